/*
 * Private: the per-run index "<id>.index" (lib/repo_index.c), written with
 * each run: its summary, what its run file was (size, CRC-32), its timed
 * tests slowest first and each test's outcome (the history section), all
 * under checksums.
 */
#ifndef TESTR_LIB_REPO_INDEX_H
#define TESTR_LIB_REPO_INDEX_H

#include "repo_scan.h"
#include "repo_times.h"

/* The index's "partial" value: 0 full, 1 partial, 2 interrupted. */
#define REPO_RUN_INTERRUPTED 2

/* The header of an index. */
struct repo_index_head {
	struct testr_run_summary sum;
	uint64_t timed;		/* lines of timed tests */
	uint64_t run_bytes;	/* size of the run file as stored */
	uint32_t run_crc;	/* CRC-32 (zlib) of the run file as stored */
};

/*
 * Write the index of run @id from @scan (its finished scan); durations of
 * tests the run did not time come from @times (may be NULL).  @run_bytes
 * and @run_crc describe the run file.  Replaces an existing index.
 */
int repo_index_write(struct testr_repo *repo, uint64_t id,
		     struct repo_scan *scan, const struct repo_times *times,
		     int partial, uint64_t run_bytes, uint32_t run_crc);

/*
 * The header of run @id's index, checksum verified.  TESTR_ENOTFOUND or
 * TESTR_ECORRUPT (message set) when there is no usable index.
 */
int repo_index_head(struct repo_index_head *out, struct testr_repo *repo,
		    uint64_t id);

/* The summary from the index; as repo_index_head(). */
int repo_index_summary(struct testr_run_summary *out, struct testr_repo *repo,
		       uint64_t id);

/* The timed tests, slowest first, at most @limit (0: all), to @fn. */
int repo_index_slowest(struct testr_repo *repo, uint64_t id, size_t limit,
		       testr_duration_fn fn, void *userdata);

/* The history section of a loaded index: lines "<escaped id>\t<outcome>\t
 * <seconds or ->\n" sorted by escaped id, in [begin, end). */
struct repo_index_results {
	const char *begin, *end;
	bool has_started;	/* when the run's first event was */
	int64_t started_sec;
	uint32_t started_nsec;
};

/*
 * Map the index of run @id whole, every checksum verified, with its summary
 * and its history section (pointing into *map; unmap with fileio_unmap()).
 * Returns as repo_index_head().
 */
int repo_index_load(struct fileio_map *map, struct repo_index_results *out,
		    struct testr_run_summary *sum, struct testr_repo *repo,
		    uint64_t id);

#endif
