/*
 * libtestr: the repository of runs, durations and failures
 * (.testrepository/ in a project directory).  The on-disk format is
 * described in testr-repository(5).
 */
#ifndef TESTR_REPO_H
#define TESTR_REPO_H

#include <testr/common.h>
#include <testr/subunit.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open repository.  Opaque; free with testr_repo_free(). */
struct testr_repo;

/**
 * Create .testrepository/ in the project directory @dir (NULL means ".")
 * and open it.  Returns 0, TESTR_EEXISTS when it already exists (message
 * worded as testrepository words it), TESTR_EIO or TESTR_ENOMEM.  The caller
 * frees *out with testr_repo_free().
 */
TESTR_API int testr_repo_init(struct testr_repo **out, struct testr_context *ctx,
			      const char *dir);

/**
 * Open the repository of the project directory @dir (NULL means ".").
 * Reads our own format and testrepository 0.0.20's format 1.  Returns 0,
 * TESTR_ENOTFOUND (no repository; testrepository's wording),
 * TESTR_EUNSUPPORTED (a format we do not know: refused, never guessed),
 * TESTR_EIO or TESTR_ENOMEM.  Derived files (failing set, durations) left
 * stale by a killed writer are brought up to date here, under the lock.
 * The caller frees *out with testr_repo_free().
 */
TESTR_API int testr_repo_open(struct testr_repo **out, struct testr_context *ctx,
			      const char *dir);

/** Close the repository.  NULL is a no-op. */
TESTR_API void testr_repo_free(struct testr_repo *repo);

/** Path of the .testrepository directory; owned by @repo. */
TESTR_API const char *testr_repo_path(const struct testr_repo *repo);

/**
 * True when the repository is in testrepository's format 1: it is read as
 * it is, but no run is stored in it until testr_repo_upgrade() (see
 * testr-repository(5)).
 */
TESTR_API bool testr_repo_is_legacy(const struct testr_repo *repo);

/**
 * Convert a repository in testrepository's format 1 to ours, in place and
 * under the lock: its runs stay as they are, the durations store is built
 * from them, and the format marker changes last (testrepository refuses
 * the repository from then on).  A no-op for one in our format.  Returns
 * 0, TESTR_EIO, TESTR_ELOCKED or TESTR_ENOMEM.
 */
TESTR_API int testr_repo_upgrade(struct testr_repo *repo);

/** Number of runs stored ("runs=N" of testr stats).  Returns 0 or TESTR_EIO. */
TESTR_API int testr_repo_count(uint64_t *out, struct testr_repo *repo);

/**
 * Id of the most recent run that exists.  Returns 0, TESTR_ENOTFOUND when the
 * repository holds no run (message "No tests in repository") or TESTR_EIO.
 */
TESTR_API int testr_repo_latest_id(uint64_t *out, struct testr_repo *repo);

/**
 * Replay run @run_id as events, in stored order, to @fn.  Returns 0,
 * TESTR_ENOTFOUND (no such run), TESTR_ECORRUPT (the run file is damaged:
 * the events before the damage were delivered; or it is not the file that
 * was stored, emptied or replaced: nothing was delivered; the message names
 * the file), TESTR_EIO, or the non-zero value @fn returned.
 */
TESTR_API int testr_repo_read_run(struct testr_repo *repo, uint64_t run_id,
				  testr_event_fn fn, void *userdata);

/**
 * Replay the failing set (every event of every currently failing test) to
 * @fn.  An absent failing file is an empty set.  Returns as
 * testr_repo_read_run().
 */
TESTR_API int testr_repo_read_failing(struct testr_repo *repo,
				      testr_event_fn fn, void *userdata);

/**
 * The ids of the failing set, in stored order, appended to @out (owned by
 * the caller).  Returns 0, TESTR_ECORRUPT, TESTR_EIO or TESTR_ENOMEM.
 */
TESTR_API int testr_repo_failing_ids(struct testr_strv *out,
				     struct testr_repo *repo);

/**
 * Recorded duration of each of the @n_ids tests in @ids: out[i] is the time
 * in seconds, or NAN (check with isnan()) when no duration is known.  @out
 * has room for @n_ids doubles.  Returns 0, TESTR_EIO or TESTR_ENOMEM.
 */
TESTR_API int testr_repo_durations(double *out, struct testr_repo *repo,
				   const char *const *ids, size_t n_ids);

/** Receives one (test id, seconds) pair; return non-zero to stop. */
typedef int (*testr_duration_fn)(void *userdata, const char *test_id,
				 double seconds);

/**
 * The tests of the latest run that have a known duration, slowest first
 * (ties by id), at most @limit of them (0: all), each handed to @fn.
 * Returns 0 (also for an empty repository: nothing is reported),
 * TESTR_ECORRUPT, TESTR_EIO, TESTR_ENOMEM or what @fn returned.
 */
TESTR_API int testr_repo_slowest(struct testr_repo *repo, size_t limit,
				 testr_duration_fn fn, void *userdata);

/** What testr last says about a run, and what its deltas are computed from. */
struct testr_run_summary {
	uint64_t id;
	uint64_t tests_run;	/* completed tests, "exists" not counted */
	uint64_t failures;	/* fail, plus tests that never completed */
	uint64_t skips;
	bool has_time;		/* at least one timestamp was seen */
	double time_taken;	/* last timestamp - first timestamp, seconds */
	bool partial;		/* stored with --partial */
	bool interrupted;	/* the run was interrupted (and is partial) */
	uint64_t flaky;		/* tests that failed, then passed on a retry
				 * in the same run (counted as run, not failed) */
};

/**
 * Fill @out for run @run_id.  Fast for runs we stored (an index written
 * with the run); runs stored by testrepository are decoded.  Returns 0,
 * TESTR_ENOTFOUND, TESTR_ECORRUPT or TESTR_EIO.
 */
TESTR_API int testr_repo_run_summary(struct testr_run_summary *out,
				     struct testr_repo *repo, uint64_t run_id);

/**
 * Counts tests from events as testr last does (testtools' StreamSummary):
 * a test's record opens at its first event and closes at its first final
 * status; records still open at the end count as run and failed.  A test
 * with several records (a retry's attempts) counts once, as its last.  Memory
 * grows with the number of distinct test ids.
 */
struct testr_tally;

/** New, empty tally.  Returns 0 or TESTR_ENOMEM; free with testr_tally_free(). */
TESTR_API int testr_tally_new(struct testr_tally **out);

/** Free a tally.  NULL is a no-op. */
TESTR_API void testr_tally_free(struct testr_tally *tally);

/** Count one event; a testr_event_fn with the tally as @userdata.  0 or TESTR_ENOMEM. */
TESTR_API int testr_tally_event_fn(void *userdata, const struct testr_event *ev);

/**
 * The counts so far, open records included as failures (@out->id is 0 and
 * @out->partial false: the caller knows them).
 */
TESTR_API void testr_tally_result(struct testr_run_summary *out,
				  const struct testr_tally *tally);

/** Stores one run, event by event; the run appears only on commit. */
struct testr_repo_writer;

struct testr_repo_writer_options {
	unsigned version;	/* = 1 */
	/* Only some tests ran: keep the old failures of tests not in this
	 * run (testr load --partial, testr run --failing). */
	bool partial;
	/* The run was interrupted: stored as partial, and its summary says
	 * so (testr last). */
	bool interrupted;
};

#define TESTR_REPO_WRITER_OPTIONS_INIT { .version = 1 }

/**
 * Start storing a run.  Takes the repository lock (waiting for another
 * writer to finish), so two writers in one tree serialise.  @opts may be
 * NULL for the defaults.  Returns 0, TESTR_EINVAL, TESTR_EIO or
 * TESTR_ENOMEM; free with testr_repo_writer_free().
 */
TESTR_API int testr_repo_writer_new(struct testr_repo_writer **out,
				    struct testr_repo *repo,
				    const struct testr_repo_writer_options *opts);

/**
 * Store one event.  Streams it to disk; only per-test state (one entry per
 * distinct test id) is kept in memory.  An event subunit v2 cannot hold as
 * it is (a timestamp out of range, bytes that are not UTF-8, strings too
 * long) is stored in a degraded form with a warning, as testr-repository(5)
 * documents, never refused.  Returns 0, TESTR_EINVAL (after a commit),
 * TESTR_EIO or TESTR_ENOMEM.
 */
TESTR_API int testr_repo_writer_add(struct testr_repo_writer *w,
				    const struct testr_event *ev);

/**
 * Has a test started or ended among the events stored so far?  "exists"
 * events (a listing) and output that belongs to no test do not count.  An
 * empty run is not a pass: testr load stores nothing when no test ran.
 */
TESTR_API bool testr_repo_writer_ran_tests(const struct testr_repo_writer *w);

/**
 * testr_repo_writer_add() shaped as a testr_event_fn: pass the writer as
 * @userdata, for example as a decoder's on_event.
 */
TESTR_API int testr_repo_writer_event_fn(void *userdata,
					 const struct testr_event *ev);

/**
 * Describe corrupt input as testrepository does, so a damaged stream can
 * never look green: two events for the test "subunit.parser", a "Parser
 * Error" text attachment saying "@source: corrupt at byte @offset: @what",
 * then a fail status.  They are handed to @fn (for example a function
 * feeding both the display and testr_repo_writer_add()).  Returns 0,
 * TESTR_ENOMEM or what @fn returned.
 */
TESTR_API int testr_repo_report_corrupt(const char *source, uint64_t offset,
					const char *what, testr_event_fn fn,
					void *userdata);

/**
 * Make the run durable and visible: its index, then the run file, linked
 * into place under an id no stored run has (the commit point), then the run
 * counter, the failing set and the durations.  Every file is written to a
 * temporary file and fsync'd.  *out receives the run id.  Returns 0,
 * TESTR_EIO or TESTR_ENOMEM; on failure nothing is stored.  The writer must
 * still be freed.
 */
TESTR_API int testr_repo_writer_commit(uint64_t *out,
				       struct testr_repo_writer *w);

/**
 * Free the writer and release the lock.  An uncommitted run is discarded
 * (its temporary file removed).  NULL is a no-op.
 */
TESTR_API void testr_repo_writer_free(struct testr_repo_writer *w);

/**
 * Change whether the run being written is partial (see
 * testr_repo_writer_options), before testr_repo_writer_commit(): an
 * interrupted testr run stores what arrived as a partial run.
 */
TESTR_API void testr_repo_writer_set_partial(struct testr_repo_writer *w,
					     bool partial);

/**
 * Mark the run being written as interrupted (see
 * testr_repo_writer_options), before testr_repo_writer_commit().  It is
 * then stored as partial too.
 */
TESTR_API void testr_repo_writer_set_interrupted(struct testr_repo_writer *w);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_REPO_H */
