/* A flagged hash set of borrowed test ids (open addressing). */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include <testr/common.h>

#include "idset.h"

uint64_t
hash_bytes(const char *key, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
	/* FNV's low bits see only the low bits of each byte: ids that differ
	 * in their digits would cluster in a masked table.  Mix (murmur3's
	 * finaliser). */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

int
idset_init(struct idset *s)
{
	s->cap = 64;
	s->n = 0;
	s->slots = calloc(s->cap, sizeof(*s->slots));
	return s->slots ? TESTR_OK : TESTR_ENOMEM;
}

void
idset_dispose(struct idset *s)
{
	free(s->slots);
	s->slots = NULL;
	s->cap = s->n = 0;
}

/* The slot of @key (hashed to @h), or the empty one where it would go.
 * The hash kept in each slot spares a strcmp (and a cache miss on the
 * borrowed key) for every other key probed on the way. */
static struct idset_slot *
probe(struct idset_slot *slots, size_t cap, const char *key, uint64_t h)
{
	size_t i = h & (cap - 1);

	while (slots[i].key && (slots[i].hash != (uint32_t)(h >> 32) ||
				strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static struct idset_slot *
find_slot(struct idset_slot *slots, size_t cap, const char *key)
{
	return probe(slots, cap, key, hash_bytes(key, strlen(key)));
}

struct idset_slot *
idset_find(const struct idset *s, const char *key)
{
	struct idset_slot *slot = find_slot(s->slots, s->cap, key);

	return slot->key ? slot : NULL;
}

static int
resize(struct idset *s, size_t cap)
{
	struct idset_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return TESTR_ENOMEM;
	/* The low bits of the hash are lost: the key is hashed again. */
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].key)
			*find_slot(slots, cap, s->slots[i].key) = s->slots[i];
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return TESTR_OK;
}

int
idset_reserve(struct idset *s, size_t n)
{
	size_t cap = s->cap;

	while ((s->n + n) * 2 > cap)
		cap *= 2;
	return cap == s->cap ? TESTR_OK : resize(s, cap);
}

int
idset_add(struct idset *s, const char *key)
{
	struct idset_slot *slot;
	uint64_t h;

	if ((s->n + 1) * 2 > s->cap && resize(s, s->cap * 2) < 0)
		return TESTR_ENOMEM;
	h = hash_bytes(key, strlen(key));
	slot = probe(s->slots, s->cap, key, h);
	if (!slot->key) {
		slot->key = key;
		slot->hash = (uint32_t)(h >> 32);
		s->n++;
	}
	return TESTR_OK;
}

void
idset_mark(struct idset *s, const char *key)
{
	struct idset_slot *slot = find_slot(s->slots, s->cap, key);

	if (slot->key)
		slot->marked = true;
}

bool
idset_marked(const struct idset *s, const char *key)
{
	const struct idset_slot *slot = find_slot((struct idset_slot *)s->slots, s->cap, key);

	return slot->key && slot->marked;
}

bool
idset_has(const struct idset *s, const char *key)
{
	return find_slot((struct idset_slot *)s->slots, s->cap, key)->key != NULL;
}

void
idset_unmark(struct idset *s, const char *key)
{
	struct idset_slot *slot = find_slot(s->slots, s->cap, key);

	if (slot->key)
		slot->marked = false;
}

uint32_t
idset_count(const struct idset *s, const char *key)
{
	return find_slot((struct idset_slot *)s->slots, s->cap, key)->count;
}

void
idset_bump(struct idset *s, const char *key)
{
	struct idset_slot *slot = find_slot(s->slots, s->cap, key);

	if (slot->key)
		slot->count++;
}
