/* Private: the repository's internals shared by lib/repo*.c. */
#ifndef TESTR_LIB_REPO_H
#define TESTR_LIB_REPO_H

#include <stdio.h>

#include <testr/repo.h>

#include "fileio.h"

/* Our format marker; testrepository 0.0.20 insists on exactly "1\n". */
#define REPO_FORMAT "libtestr-1\n"
#define REPO_FORMAT_LEGACY "1\n"

struct testr_repo {
	struct testr_context *ctx;
	char *path;		/* .../.testrepository */
	bool legacy;		/* testrepository format 1 */
	unsigned locks_held;	/* writers of this handle holding the lock */
};

/* "<repo>/<name>", malloc'd; NULL when out of memory. */
char *repo_file(const struct testr_repo *repo, const char *name);

/* "<repo>/<run id><suffix>", malloc'd. */
char *repo_run_file(const struct testr_repo *repo, uint64_t id,
		    const char *suffix);

/* Parse a "N\n" counter file; TESTR_ENOTFOUND when absent. */
int repo_read_counter(uint64_t *out, struct testr_repo *repo, const char *name);

/* Atomically write "N\n" to a counter file. */
int repo_write_counter(struct testr_repo *repo, const char *name, uint64_t v);

/* Bring the failing set and the durations up to date (caller holds the lock). */
int repo_repair(struct testr_repo *repo);
/* The same, taking the lock. */
int repo_repair_with_lock(struct testr_repo *repo);

/* Decode the stream in file @path (v1 or v2) to @fn. */
int repo_decode_file(struct testr_repo *repo, const char *path,
		     testr_event_fn fn, void *userdata);

/* ---- id map: one entry per distinct test id (lib/repo_idmap.c) ---- */

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
	uint32_t id_len : 24;	/* a v2 packet is at most 4 MiB */
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

/* ---- scan: per-test records and run counts from events (repo_scan.c) ---- */

struct repo_scan {
	struct repo_idmap tests;
	struct testr_run_summary sum;
	int64_t first_sec, last_sec;
	uint32_t first_nsec, last_nsec;
	struct repo_test *last;	/* a test's events mostly come together */
};

void repo_scan_init(struct repo_scan *s);
void repo_scan_dispose(struct repo_scan *s);
/* Account one event.  0 or TESTR_ENOMEM. */
int repo_scan_event(struct repo_scan *s, const struct testr_event *ev);
/* testr_event_fn wrapper around repo_scan_event. */
int repo_scan_event_fn(void *userdata, const struct testr_event *ev);
/* End of stream: tests still in progress count as run and failed. */
void repo_scan_finish(struct repo_scan *s);
/* Decode run file @path into @s and finish it. */
int repo_scan_file(struct repo_scan *s, struct testr_repo *repo,
		   const char *path);

/* ---- durations store "times" (repo_times.c) ---- */

struct model_rec;

struct repo_times {
	struct fileio_map map;
	const unsigned char *body;	/* first entry line */
	size_t body_len;
	uint64_t upto;			/* runs folded in */
	uint64_t n;
	unsigned version;		/* 1: last duration only; 2: models */
	double median;			/* of all estimates; NAN: none (or v1) */
};

/*
 * Open the store: TESTR_ENOTFOUND when absent, TESTR_ECORRUPT when its
 * header or checksum is wrong.
 */
int repo_times_open(struct repo_times *t, struct testr_repo *repo);
void repo_times_close(struct repo_times *t);
/* Look @id's latest duration up; true and *out set when known. */
bool repo_times_lookup(const struct repo_times *t, const char *id,
		       size_t len, double *out);
/* Look @id's model up; true and *out set when known. */
bool repo_times_model(const struct repo_times *t, const char *id, size_t len,
		      struct model_rec *out);
/* Every test's model in id order, with its escaped id; stops on non-zero. */
typedef int (*repo_times_fn)(void *userdata, const char *esc, size_t len,
			     const struct model_rec *m);
int repo_times_each(const struct repo_times *t, repo_times_fn fn,
		    void *userdata);
/*
 * Write a new store: old entries of @old (may be NULL) merged with the timed
 * tests of @tests (they win), stamped as covering @upto runs.
 */
int repo_times_write(struct testr_repo *repo, const struct repo_times *old,
		     const struct repo_idmap *tests, uint64_t upto);
/* Durations of runs [@from, @to) folded into @all (later runs win). */
int repo_collect_times(struct repo_idmap *all, struct testr_repo *repo,
		       uint64_t from, uint64_t to);
/* Bring the store up to @count runs (rebuilt when absent or corrupt). */
int repo_times_update(struct testr_repo *repo, uint64_t count);

/* Models rebuilt from stored runs (testrepository's repositories, repair). */
struct repo_models {
	struct repo_idmap ids;		/* start_ns holds the index into recs */
	struct model_rec *recs;
	size_t cap;
};

void repo_models_init(struct repo_models *m);
void repo_models_dispose(struct repo_models *m);
/* Fold one finished run into @m.  0 or TESTR_ENOMEM. */
int repo_models_fold(struct repo_models *m, const struct repo_scan *one);
/* Fold runs [@from, @to) into @m, in order. */
int repo_models_collect(struct repo_models *m, struct testr_repo *repo,
			uint64_t from, uint64_t to);
/* @id's model, NULL when unknown. */
const struct model_rec *repo_models_find(const struct repo_models *m,
					 const char *id, size_t len);

/* "%.6f" of @seconds into @buf (room for 40); returns the length. */
size_t repo_format_seconds(char *buf, double seconds);

/* id escaping for line-based files: \\ \n \t */
size_t repo_escape(char *out, const char *id, size_t len);
size_t repo_unescape(char *out, const char *esc, size_t len);

/* ---- per-run index "<id>.index" (repo_index.c) ---- */

/* The index's "partial" value: 0 full, 1 partial, 2 interrupted. */
#define REPO_RUN_INTERRUPTED 2

int repo_index_write(struct testr_repo *repo, uint64_t id,
		     struct repo_scan *scan, const struct repo_times *times,
		     int partial);
/* Summary from the index; TESTR_ENOTFOUND / TESTR_ECORRUPT when unusable. */
int repo_index_summary(struct testr_run_summary *out, struct testr_repo *repo,
		       uint64_t id);
int repo_index_slowest(struct testr_repo *repo, uint64_t id, size_t limit,
		       testr_duration_fn fn, void *userdata);

/* ---- failing set (repo_failing.c) ---- */

/* Fold run @id (its failures; for a full run, drop the rest) into "failing". */
int repo_failing_apply(struct testr_repo *repo, uint64_t id,
		       struct repo_scan *scan, bool partial);

/* ---- history and pruning (repo_history.c, repo_prune.c) ---- */

/* Record the end of a record of @t with @status (repo_scan.c). */
void repo_test_set_status(struct repo_test *t, enum testr_status status);
/* What @t came to in its run ("success" ... "flaky", "incomplete"), or NULL
 * when it never ran (only listed). */
const char *repo_test_outcome(const struct repo_test *t);

/*
 * Append the index's history section: each test's outcome and duration,
 * sorted by escaped id, then the "history" trailer line (repo_index.c
 * calls it before "end").
 */
int repo_index_write_results(struct fileio_out *o, const struct repo_scan *scan);

/*
 * Map the index of run @id whole, with its summary, for reading the
 * history section.  Returns as repo_index_summary(); unmap with
 * fileio_unmap().
 */
int repo_index_load(struct fileio_map *map, struct testr_run_summary *sum,
		    struct testr_repo *repo, uint64_t id);

/* How many of runs [0, @count) still have their run file (not pruned). */
int repo_count_stored(uint64_t *out, struct testr_repo *repo, uint64_t count);

#endif
