/* Private: a map from test id to per-test state (no repository file). */
#ifndef TESTR_LIB_REPO_IDMAP_H
#define TESTR_LIB_REPO_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum repo_test_flags {
	TEST_OPEN = 1u << 0,	/* a record is in progress */
	TEST_HAS_START = 1u << 1,
	TEST_TIMED = 1u << 2,	/* seconds is a duration from this run */
	TEST_FAILING = 1u << 3,	/* last completed record failed */
	TEST_EARLIER_FAIL = 1u << 4,	/* a record before the last failed */
};

/* The last record's final status lives in flags bits 5-7 (0: none yet;
 * TESTR_STATUS_INPROGRESS: never completed). */
#define TEST_STATUS_SHIFT 5

/* 32 bytes per distinct id (plus the id): a 1M-test run fits in ~90 MB. */
struct repo_test {
	const char *id;		/* NUL-terminated, in the map's arena */
	double seconds;
	int64_t start_ns;	/* timestamp of the record's first event */
	uint32_t hash;
	uint32_t id_len : 24;	/* ids are cut to fit a v2 packet */
	uint32_t flags : 8;
};

#define IDMAP_CHUNK_BITS 16	/* entries live in chunks: no realloc copies */

struct repo_idmap {
	struct repo_test **chunks;
	size_t n, n_chunks;
	/* Open addressing: (hash tag << 32) | (index + 1), 0 = empty.  The
	 * tag lets a probe skip entries without touching them. */
	uint64_t *slots;
	size_t n_slots;
	struct arena_chunk *arena;
};

static inline struct repo_test *
repo_idmap_at(const struct repo_idmap *m, size_t i)
{
	return &m->chunks[i >> IDMAP_CHUNK_BITS][i & ((1u << IDMAP_CHUNK_BITS) - 1)];
}

void repo_idmap_init(struct repo_idmap *m);
void repo_idmap_dispose(struct repo_idmap *m);
/* Find @id; NULL when absent. */
struct repo_test *repo_idmap_find(const struct repo_idmap *m, const char *id,
				  size_t len);
/* Find or add @id; NULL when out of memory or @len is too long. */
struct repo_test *repo_idmap_get(struct repo_idmap *m, const char *id,
				 size_t len);

#endif
