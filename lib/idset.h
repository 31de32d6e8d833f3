/*
 * Private: a hash set of test ids with one flag each, for "which ids handed
 * to a worker were reported".  Keys are borrowed: they must outlive the set.
 */
#ifndef TESTR_LIB_IDSET_H
#define TESTR_LIB_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 16 bytes: a plan's table is probed at random, so its size is what the
 * cache misses cost. */
struct idset_slot {
	const char *key;	/* NULL: an empty slot */
	uint32_t hash;		/* the high half of the key's hash */
	unsigned count : 31;	/* a counter per key (run.c: retries) */
	unsigned marked : 1;
};

struct idset {
	struct idset_slot *slots;
	size_t cap;		/* a power of two */
	size_t n;
};

/* FNV-1a over @len bytes, folded; shared by every id hash table. */
uint64_t hash_bytes(const char *key, size_t len);

/* An empty set.  0 or TESTR_ENOMEM. */
int idset_init(struct idset *s);

void idset_dispose(struct idset *s);

/* Room for @n more keys without growing (one table for a whole plan,
 * rather than rehashing it a dozen times on the way).  0 or ENOMEM. */
int idset_reserve(struct idset *s, size_t n);

/* Add @key (borrowed) unmarked; a key already present is left as it is. */
int idset_add(struct idset *s, const char *key);

/* @key's slot (its flag and counter, to read or change), NULL when absent:
 * one lookup where several calls below would each hash and probe. */
struct idset_slot *idset_find(const struct idset *s, const char *key);

/* Mark @key if present. */
void idset_mark(struct idset *s, const char *key);

/* Unmark @key if present: it is expected again (a retry). */
void idset_unmark(struct idset *s, const char *key);

/* The counter of @key: 0 when absent. */
uint32_t idset_count(const struct idset *s, const char *key);

/* Add one to the counter of @key if present. */
void idset_bump(struct idset *s, const char *key);

/* Is @key present (marked or not)? */
bool idset_has(const struct idset *s, const char *key);

/* Is @key present and marked? */
bool idset_marked(const struct idset *s, const char *key);

#endif
