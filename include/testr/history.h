/*
 * libtestr: the repository over time: the stored runs, each result of
 * chosen tests across runs, and pruning old runs (testr history, testr
 * prune; testr-repository(5) describes the files).
 */
#ifndef TESTR_HISTORY_H
#define TESTR_HISTORY_H

#include <testr/common.h>
#include <testr/repo.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One stored run as testr history lists it. */
struct testr_history_run {
	uint64_t id;
	bool has_started;	/* the run's first timestamp is known */
	int64_t started_sec;	/* UTC seconds since the epoch */
	uint32_t started_nsec;
	struct testr_run_summary summary;	/* counts, duration, partial */
};

/** Receives one run; return non-zero to stop (that value is returned). */
typedef int (*testr_history_run_fn)(void *userdata,
				    const struct testr_history_run *run);

/**
 * Hand every stored run, oldest first, to @fn; pruned runs are skipped.
 * Reads each run's index, not its stream (runs without a usable index are
 * decoded).  Returns 0, TESTR_EIO, TESTR_ENOMEM or what @fn returned.
 */
TESTR_API int testr_repo_history_runs(struct testr_repo *repo,
				      testr_history_run_fn fn, void *userdata);

/* One stored result of one test. */
struct testr_history_result {
	const struct testr_history_run *run;
	const char *test_id;
	/* "success", "fail", "skip", "xfail", "uxsuccess", "flaky" (failed,
	 * then passed on a retry) or "incomplete" (never completed). */
	const char *status;
	bool has_duration;
	double seconds;
};

/** Receives one result; return non-zero to stop (that value is returned). */
typedef int (*testr_history_result_fn)(
	void *userdata, const struct testr_history_result *result);

/**
 * Hand each stored result of the @n_ids tests @ids to @fn: runs oldest
 * first, and within a run in the order of @ids; a run that did not run a
 * test has no result for it.  Each run's index is searched (binary search),
 * never its stream.  All pointers are valid during the call only.  Returns
 * as testr_repo_history_runs().
 */
TESTR_API int testr_repo_history_tests(struct testr_repo *repo,
				       const char *const *ids, size_t n_ids,
				       testr_history_result_fn fn,
				       void *userdata);

/**
 * Hand every stored result of every run numbered @first_run or later to
 * @fn: runs oldest first (pruned ones skipped), within a run in the index's
 * order.  Pointers are valid during the call only.  Returns as
 * testr_repo_history_runs().
 */
TESTR_API int testr_repo_history_all(struct testr_repo *repo,
				     uint64_t first_run,
				     testr_history_result_fn fn,
				     void *userdata);

/* What testr_repo_flaky() looks at. */
struct testr_flaky_options {
	unsigned version;	/* = 1 */
	uint64_t last_runs;	/* the newest this many stored runs; 0: all */
};

#define TESTR_FLAKY_OPTIONS_INIT { .version = 1, .last_runs = 20 }

/* One test whose outcome flipped, or that needed a retry. */
struct testr_flaky_test {
	const char *test_id;
	uint64_t runs;		/* runs in the window with a pass or fail */
	uint64_t flips;		/* pass<->fail changes between those runs */
	uint64_t retried;	/* runs where it failed, then passed on retry */
	/* (flips + retried) / runs: the share of its runs that changed
	 * outcome, between runs or within one; how the list is ranked. */
	double flip_rate;
	bool last_failed;	/* its newest outcome in the window failed */
};

/** Receives one test; return non-zero to stop (that value is returned). */
typedef int (*testr_flaky_fn)(void *userdata,
			      const struct testr_flaky_test *test);

/**
 * The flaky tests of the newest @opts->last_runs stored runs (@opts may be
 * NULL: the defaults): each test whose outcome changed between pass
 * (success, xfail, or "flaky": passed on a retry) and fail (fail,
 * uxsuccess, incomplete) from one of its runs to the next, or that was
 * "flaky" in a run.  Skips are no outcome.  Handed to @fn highest
 * flip_rate first, then most runs, then by id.  Reads each run's index.
 * Returns 0, TESTR_ENOMEM, TESTR_EIO or what @fn returned.
 */
TESTR_API int testr_repo_flaky(struct testr_repo *repo,
			       const struct testr_flaky_options *opts,
			       testr_flaky_fn fn, void *userdata);

struct testr_prune_options {
	unsigned version;	/* = 1 */
	bool by_count;		/* keep only the newest @keep runs */
	uint64_t keep;
	bool by_age;		/* remove runs stored over @older_than_days ago */
	double older_than_days;
	int64_t now;		/* seconds since the epoch; 0: the clock */
};

#define TESTR_PRUNE_OPTIONS_INIT { .version = 1 }

/**
 * Remove old runs (their streams and indexes), keeping what planning needs:
 * the durations and the failing set are brought up to date first and are
 * not changed.  With both criteria a run goes only when both say so.  Run
 * ids are never reused.  Takes the repository lock; crash-safe (a killed
 * prune leaves whole runs, each either stored or gone).  *out receives the
 * number of runs removed.  Returns 0, TESTR_EINVAL (no criterion),
 * TESTR_EUNSUPPORTED (a testrepository repository: its durations live in
 * the runs), TESTR_EIO or TESTR_ENOMEM.
 */
TESTR_API int testr_repo_prune(uint64_t *out, struct testr_repo *repo,
			       const struct testr_prune_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_HISTORY_H */
