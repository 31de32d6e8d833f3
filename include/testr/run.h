/*
 * libtestr: running a project's tests.
 *
 * The data flow of `testr run`, as calls a C tool can make one by one:
 *
 *   testr_run_list_tests()      list the ids (test_list_option, $LISTOPT)
 *   testr_filter_apply()        keep the ids the filters select (filter.h)
 *   testr_run_concurrency()     option, test_run_concurrency callout, CPUs
 *   testr_partition_new()       balanced per-worker lists (partition.h)
 *   testr_run_start()           write $IDFILE, expand, spawn every worker
 *   testr_run_wait()            read all workers with poll(), deliver events
 *
 * or all at once with testr_run_tests().  Nothing is printed: events go to
 * the caller's sinks, commands to on_command, output the user must see to
 * on_output.
 */
#ifndef TESTR_RUN_H
#define TESTR_RUN_H

#include <signal.h>

#include <testr/common.h>
#include <testr/config.h>
#include <testr/durations.h>
#include <testr/partition.h>
#include <testr/pool.h>
#include <testr/shard.h>
#include <testr/sched.h>
#include <testr/subunit.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Looks up the recorded durations of @n_ids tests: out[i] is the time in
 * seconds of @ids[i], or NAN when none is known.  For durations from
 * somewhere other than a libtestr repository (whose durations a run takes
 * itself: testr_run_options.repo).  Returns 0 or a negative TESTR_E* code.
 */
typedef int (*testr_run_durations_fn)(void *userdata, double *out,
				      const char *const *ids, size_t n_ids);

/**
 * Told what a run will do before it starts: @n_tests ids (0: the runner
 * chooses), @seconds their recorded durations summed (0: unknown), on
 * @n_workers workers.
 */
typedef void (*testr_run_plan_fn)(void *userdata, size_t n_tests,
				  double seconds, size_t n_workers);

/**
 * Estimates of @n_ids tests into @out, as testr_repo_estimates() gives
 * them.  For a model other than a libtestr repository's (whose estimates
 * a run takes itself: testr_run_options.repo).  Returns 0 or a negative
 * TESTR_E* code.
 */
typedef int (*testr_run_estimates_fn)(void *userdata,
				      struct testr_estimate *out,
				      const char *const *ids, size_t n_ids);

/**
 * Told the median start-up cost (spawn to first output) of a run's
 * runners.  A run given testr_run_options.repo records it there itself.
 */
typedef void (*testr_run_startup_fn)(void *userdata, double seconds);

/**
 * Told the plan of a parallel run before it starts: @plan's batches index
 * into @ids.  Both are valid only during the call.
 */
typedef void (*testr_run_schedule_fn)(void *userdata,
				      const struct testr_sched *plan,
				      const struct testr_strv *ids);

/**
 * Told, before a run starts, each id it will run with the estimate its
 * plan goes by: @seconds[i] for @ids[i] in seconds (NAN: unknown), @n_ids
 * of them, on @n_workers workers; @ids and @seconds are NULL and @n_ids 0
 * when the runner chooses the tests.  What a progress display needs for
 * the time left (testr_progress_plan() takes the same).  Both arrays are
 * valid only during the call.
 */
typedef void (*testr_run_forecast_fn)(void *userdata, const char *const *ids,
				      const double *seconds, size_t n_ids,
				      size_t n_workers);

struct testr_run_options {
	unsigned version;		/* = 1 */
	/* Several workers?  Without it everything runs in one worker. */
	bool parallel;
	/* With parallel: the worker count; 0 asks the callout, then CPUs. */
	size_t concurrency;
	/* The ids to run, or NULL for "everything the runner has". */
	const struct testr_strv *ids;
	/* Filters (regexes, search semantics, union); none when 0. */
	const char *const *filters;
	size_t n_filters;
	/* Extra arguments appended to test_command (after `--`). */
	char *const *args;
	size_t n_args;
	/* Every event of every worker, tagged worker-N: for display... */
	testr_event_fn on_event;
	void *event_userdata;
	/* ...and, first, for the repository (either may be NULL). */
	testr_event_fn on_store;
	void *store_userdata;
	/* Told `<command>` before each spawn (show it as running=...). */
	testr_command_fn on_command;
	void *command_userdata;
	/*
	 * Bytes the user must see: a failed listing's output, and every line
	 * the workers print on stderr, as it comes (whole lines; a last line
	 * without a newline gets one).  NULL: the workers' stderr is
	 * inherited.
	 */
	testr_write_fn on_output;
	void *output_userdata;
	/* Recorded durations, for balancing, from a source other than a
	 * repository (see repo); NULL: none known. */
	testr_run_durations_fn durations;
	void *durations_userdata;
	/* Set non-zero (from a SIGINT/SIGTERM handler) to stop the run. */
	const volatile sig_atomic_t *interrupted;
	/* testr_run_tests() tells the plan here before starting; may be NULL. */
	testr_run_plan_fn on_plan;
	void *plan_userdata;
	/* Run only this shard of the (listed, filtered) ids; NULL: all. */
	const struct testr_shard *shard;
	/* Version 2.  How to plan several workers: TESTR_SCHED_AUTO, the
	 * work queue; TESTR_SCHED_STATIC, testrepository's partition (what a
	 * version 1 caller gets). */
	enum testr_sched_mode schedule;
	/* A duration model other than a repository's (see repo), to plan
	 * the queue by; NULL: the durations. */
	testr_run_estimates_fn estimates;
	void *estimates_userdata;
	/* Seconds a runner takes to start; negative: unknown, and then
	 * testr_run_tests() plans by repo's record of it, else by the wall
	 * time of its listing. */
	double startup;
	/* Told the measured start-up cost once it is known: when every
	 * runner of a one-list-per-worker plan (no retries) has been heard
	 * from, else at the end of a run; may be NULL. */
	testr_run_startup_fn on_startup;
	void *startup_userdata;
	/* Told the plan before a parallel run starts; may be NULL. */
	testr_run_schedule_fn on_schedule;
	void *schedule_userdata;
	/* Plan (and tell on_schedule), but run nothing: the ids are listed
	 * and planned even for one worker. */
	bool dry_run;
	/* Version 3.  Seconds one test may run before its runner is stopped
	 * and it fails as timed out (0: no limit; negative: the config's
	 * test_timeout). */
	double test_timeout;
	/* Fresh runners a batch may get after its runner died mid-batch
	 * (negative: the config's test_max_restarts, else
	 * TESTR_MAX_RESTARTS_DEFAULT; 0: none). */
	int max_restarts;
	/* Version 4.  Seconds a runner may print nothing (on stdout, or on
	 * stderr when it comes through on_output) before it counts as hung
	 * and is stopped as for test_timeout: the test in progress fails,
	 * or, with none, the first id of its batch not yet reported (0: no
	 * limit; negative: the config's test_idle_timeout). */
	double idle_timeout;
	/* Seconds the whole run may take from its first runner's start:
	 * then no more work is handed out, every runner is stopped, each
	 * test in progress fails as timed out, each id handed out and not
	 * run fails as not run, and testr_run_wait() returns
	 * TESTR_ETIMEDOUT (0: no limit; negative: the config's
	 * test_run_timeout). */
	double run_timeout;
	/* Derive each test's limit from its recorded durations, through
	 * @estimates (--timeout auto): max(auto_floor, auto_factor x
	 * (median + 3 x spread)), auto_floor for a test with no passing run
	 * of its own; test_timeout is then ignored.  A negative test_timeout
	 * with test_timeout=auto in the config does the same. */
	bool auto_timeout;
	/* Negative: the config's test_timeout_floor and
	 * test_timeout_factor, else the defaults below. */
	double auto_floor;
	double auto_factor;
	/* Version 5.  Times a failed test is run again, each time on a
	 * fresh runner (on another worker slot when there is one); a test
	 * that then passes is flaky (negative: the config's test_retry;
	 * 0: never).  Every attempt is delivered; the last is the result. */
	int retry;
	/* Stop handing out work once this many tests have failed (after
	 * their retries): running runners finish, and every id not run is
	 * reported as a failure saying so (negative: the config's
	 * test_max_failures; 0: no limit). */
	int max_failures;
	/* Version 6.  The repository whose duration model plans the run,
	 * taken by the run itself: the static plan and shards go by
	 * testr_repo_durations(), the work queue and auto_timeout by
	 * testr_repo_estimates() grouped by the config's group_regex, a
	 * negative startup by testr_repo_startup() of the test_command, and
	 * at the end of the run the measured start-up is recorded with
	 * testr_repo_note_startup() (a failure to read or keep a start-up is
	 * logged as a warning, not an error).  NULL: the durations and
	 * estimates callbacks, for another source; giving both is
	 * TESTR_EINVAL.  Must stay valid as long as opts. */
	struct testr_repo *repo;
	/* testr_run_tests() tells here, before the run starts, each id with
	 * its estimate; may be NULL. */
	testr_run_forecast_fn on_forecast;
	void *forecast_userdata;
};

/** --timeout auto: the least limit any test gets, in seconds... */
#define TESTR_AUTO_TIMEOUT_FLOOR 60.0
/** ...and how many times its slowest plausible passing run it may take. */
#define TESTR_AUTO_TIMEOUT_FACTOR 5.0

/** Fresh runners per batch after crashes, unless the caller or
 * test_max_restarts says. */
#define TESTR_MAX_RESTARTS_DEFAULT 3

#define TESTR_RUN_OPTIONS_INIT \
	{ .version = 6, .schedule = TESTR_SCHED_AUTO, .startup = -1.0, \
	  .test_timeout = -1.0, .max_restarts = -1, .idle_timeout = -1.0, \
	  .run_timeout = -1.0, .auto_floor = -1.0, .auto_factor = -1.0, \
	  .retry = -1, .max_failures = -1 }

/** What happened in a run, beyond the events themselves. */
struct testr_run_result {
	size_t workers;		/* runner processes spawned */
	size_t failed_workers;	/* exited non-zero or killed by a signal */
	size_t missing;		/* ids handed to a worker, never reported */
	size_t ids;		/* ids handed out (0: the runner chose) */
	bool interrupted;	/* stopped by *interrupted */
	size_t tests;		/* final results the workers reported */
	size_t expanded;	/* ids handed out and run as longer ids, as
				 * test_x(a) and test_x(b) for test_x */
	size_t strays;		/* results for ids no worker was given that
				 * extend none it was (warned about) */
	bool no_tests;		/* asked to run every test, none reported */
	size_t not_run;		/* interrupted: ids handed out and not yet
				 * reported, stored as failures "not run";
				 * stopped: also the ids never handed out */
	size_t retried;		/* failed tests handed out again (retry) */
	size_t flaky;		/* tests that failed, then passed on a retry */
	bool stopped;		/* max_failures reached: work was withheld */
};

/**
 * Parse a listing: the ids of a subunit v2 enumeration (status `exists`),
 * or, when @buf holds no subunit at all, one id per non-blank line
 * (stripped).  Ids are appended to @out.  Returns 0, TESTR_ENOMEM, or
 * TESTR_EPARSE when a line holds a NUL byte (no id can carry one: the
 * message names the line and the escaped id).
 */
TESTR_API int testr_run_parse_listing(struct testr_strv *out,
				      struct testr_context *ctx,
				      const void *buf, size_t len);

/**
 * Run the list command (test_command with $LISTOPT, plus @opts->args),
 * through an instance of @pool when one is configured (@pool may be NULL),
 * and append the ids to @out.  @opts->on_command hears the command.
 * Returns 0; TESTR_ENOTFOUND "LISTOPT not configured in .testr.conf" (or
 * another missing option); TESTR_ECHILD "Non-zero exit code (N) from test
 * listing." after handing the command's output to @opts->on_output;
 * TESTR_ETIMEDOUT when it runs longer than test_list_timeout (default
 * TESTR_LIST_TIMEOUT_DEFAULT; its process group is then stopped);
 * TESTR_EINTR; or another negative code.
 */
TESTR_API int testr_run_list_tests(struct testr_strv *out,
				   struct testr_context *ctx,
				   const struct testr_config *cfg,
				   struct testr_pool *pool,
				   const struct testr_run_options *opts);

/**
 * The number of workers: @requested when non-zero, else the integer the
 * @callout command (test_run_concurrency, may be NULL) prints, else the
 * number of online CPUs.  Returns 0; TESTR_ECHILD when the callout fails
 * (its exit code and stderr in the message); TESTR_EPARSE when it prints
 * anything but one non-negative integer; TESTR_ETIMEDOUT when it runs
 * longer than TESTR_CONCURRENCY_TIMEOUT_DEFAULT (testr_run_tests() uses
 * test_run_concurrency_timeout instead).
 */
TESTR_API int testr_run_concurrency(size_t *out, struct testr_context *ctx,
				    size_t requested, const char *callout);

/** A set of running workers; opaque. */
struct testr_run;

/**
 * Start the workers: one per non-empty list of @partition (whose indices
 * refer to @ids), or, when @partition is NULL, a single worker running
 * @ids (NULL: everything).  For each: write $IDFILE, expand test_command,
 * wrap it with instance_execute on an instance of @pool (may be NULL), tell
 * @opts->on_command, spawn.  @opts must stay valid until testr_run_free().
 * Returns 0 (then call testr_run_wait()) or a negative code; on failure
 * workers already started are stopped.  Free *@out with testr_run_free().
 */
TESTR_API int testr_run_start(struct testr_run **out, struct testr_context *ctx,
			      const struct testr_config *cfg,
			      struct testr_pool *pool,
			      const struct testr_partition *partition,
			      const struct testr_strv *ids,
			      const struct testr_run_options *opts);

/**
 * Start a planned run (testr_sched_new() over @ids): one worker slot per
 * worker of @plan (per batch for a static plan), each starting a batch;
 * as a slot's runner finishes, it is reported (as testr_run_wait() says)
 * and the slot runs the test command again on the next batch, with a
 * fresh $IDFILE, the same instance and the same worker-N tag.  @plan and
 * @ids must stay valid until testr_run_free().  Returns as
 * testr_run_start().
 */
TESTR_API int testr_run_start_plan(struct testr_run **out,
				   struct testr_context *ctx,
				   const struct testr_config *cfg,
				   struct testr_pool *pool,
				   const struct testr_sched *plan,
				   const struct testr_strv *ids,
				   const struct testr_run_options *opts);
/**
 * Read every worker at once until all finish, decoding each stream as it
 * arrives and delivering each event, tagged worker-N and routed N, to
 * on_store then on_event.  Then, for a worker that exited non-zero or died
 * by a signal, deliver a failure `process-returncode` naming the worker,
 * its command and the status; and for every id handed to a worker that it
 * never reported, a failure of that id, unless the worker exited 0 and
 * reported ids extending it (test_x(a) for test_x): then an `exists`
 * event (no test counted; out of the failing set).  Results for ids nobody
 * was given that extend none are logged as warnings.  On *interrupted the
 * workers are stopped (SIGTERM, then SIGKILL), and each id handed out and
 * not yet reported becomes a failure saying it was not run.  Instances are
 * released and $IDFILEs removed.  Fills @out (may be NULL).  Returns 0,
 * TESTR_EINTR, TESTR_ETIMEDOUT when the run ran out of @opts->run_timeout
 * (@out filled as for an interrupt; store what arrived as a partial run),
 * or the error a sink returned.
 */
TESTR_API int testr_run_wait(struct testr_run_result *out,
			     struct testr_run *run);

/** Stop any worker still running, clean up, free.  NULL is a no-op. */
TESTR_API void testr_run_free(struct testr_run *run);

/**
 * The ids testr_run_tests() would run with @opts, decided once: @opts->ids
 * (else, when several workers or filters need them, the listing), then the
 * filters, then @opts->shard.  *@known is false when the runner is to
 * choose (nothing listed, @out untouched).  Repeating a run
 * (--until-failure) passes the result as ids, without filters or shard, so
 * the tests are listed once.  @out is the caller's to dispose.  Returns 0
 * or the error of the callout, the listing, the filters or the shard.
 */
TESTR_API int testr_run_select_ids(struct testr_strv *out, bool *known,
				   struct testr_context *ctx,
				   const struct testr_config *cfg,
				   struct testr_pool *pool,
				   const struct testr_run_options *opts);

/**
 * The whole flow in one call: decide the ids (list when several workers or
 * filters need them), filter, choose the concurrency, plan by group_regex
 * and @opts->repo's model (or the durations and estimates callbacks),
 * start and wait.  @out->no_tests is set
 * when every test was asked for (no ids, no filters) and none was
 * reported.  Returns as testr_run_wait(), or the first error on the way.
 */
TESTR_API int testr_run_tests(struct testr_run_result *out,
			      struct testr_context *ctx,
			      const struct testr_config *cfg,
			      struct testr_pool *pool,
			      const struct testr_run_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_RUN_H */
