/*
 * Running tests: listing, concurrency, and the workers themselves, read all
 * at once with poll() and decoded as their bytes arrive.
 */
#include "config-build.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <testr/durations.h>
#include <testr/filter.h>
#include <testr/ingest.h>
#include <testr/run.h>
#include <testr/template.h>

#include "array.h"
#include "context.h"
#include "feed.h"
#include "list.h"
#include "idset.h"
#include "model.h"
#include "process.h"
#include "schedule.h"
#include "repo_store.h"
#include "strbuf.h"
#include "template.h"

/* ---- listing ----------------------------------------------------------- */

static void
tell_command(const struct testr_run_options *opts, const char *cmd)
{
	if (opts && opts->on_command)
		opts->on_command(opts->command_userdata, cmd);
}

/* Show what a failed listing printed: its plain output and any files
 * (its stderr has already gone straight through). */
static int
show_file_bytes(void *userdata, const struct testr_event *ev)
{
	const struct testr_run_options *opts = userdata;

	if ((ev->fields & TESTR_EVENT_FILE) && ev->file_len)
		return opts->on_output(opts->output_userdata, ev->file_bytes,
				       ev->file_len);
	return 0;
}

static void
show_listing_output(struct testr_context *ctx,
		    const struct testr_run_options *opts,
		    const struct proc_capture *c)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_subunit_decoder *dec;

	if (!opts || !opts->on_output)
		return;
	o.protocol = TESTR_SUBUNIT_V2;
	o.on_event = show_file_bytes;
	o.userdata = (void *)opts;
	o.noise_file_name = "stdout";
	if (testr_subunit_decoder_new(&dec, ctx, &o) == 0) {
		testr_subunit_decoder_feed(dec, c->out, c->out_len);
		testr_subunit_decoder_finish(dec);
		testr_subunit_decoder_free(dec);
	}
}

static const volatile sig_atomic_t *
stop_flag(const struct testr_run_options *opts)
{
	return opts ? opts->interrupted : NULL;
}

static int
wrap_for_instance(char **out, struct testr_pool *pool, const char *instance,
		  const char *cmd, const char *files)
{
	if (!pool) {
		*out = strdup(cmd);
		return *out ? TESTR_OK : TESTR_ENOMEM;
	}
	return testr_pool_wrap(out, pool, instance, cmd, files);
}

static int
run_listing(struct testr_strv *out, struct testr_context *ctx,
	    const char *cmd, const struct testr_run_options *opts,
	    double timeout)
{
	struct proc_capture c;
	int rc;

	tell_command(opts, cmd);
	/* stderr goes straight through, as testrepository lets it. */
	rc = proc_capture_timed(&c, ctx, cmd, true, stop_flag(opts), timeout);
	if (rc == TESTR_ETIMEDOUT)
		return proc_fail_timeout(ctx, "the test listing",
					 "test_list_timeout", timeout, cmd);
	if (rc < 0)
		return rc;
	if (c.status.exit_code != 0) {
		show_listing_output(ctx, opts, &c);
		rc = context_fail(ctx, TESTR_ECHILD,
				"Non-zero exit code (%d) from test listing.",
				proc_status_code(&c.status));
	} else {
		rc = testr_run_parse_listing(out, ctx, c.out, c.out_len);
	}
	proc_capture_dispose(&c);
	return rc;
}

static size_t
workers_wanted(const struct testr_run_options *opts)
{
	return opts && opts->parallel && opts->concurrency ? opts->concurrency : 1;
}

/* The bytes of each version of struct testr_run_options. */
static const size_t run_options_sizes[] = {
	OPTIONS_END(testr_run_options, shard),
	OPTIONS_END(testr_run_options, dry_run),
	OPTIONS_END(testr_run_options, max_restarts),
	OPTIONS_END(testr_run_options, auto_factor),
	OPTIONS_END(testr_run_options, max_failures),
	OPTIONS_END(testr_run_options, forecast_userdata),
};

TESTR_API int
testr_run_list_tests(struct testr_strv *out, struct testr_context *ctx,
		     const struct testr_config *cfg, struct testr_pool *pool,
		     const struct testr_run_options *opts)
{
	struct testr_command_options co = TESTR_COMMAND_OPTIONS_INIT;
	struct testr_command cmd = TESTR_COMMAND_INIT;
	const char *instance = NULL;
	char *wrapped = NULL;
	struct testr_run_options o = TESTR_RUN_OPTIONS_INIT;
	int rc = OPTIONS_COPY(ctx, &o, opts, testr_run_options,
			      run_options_sizes);

	if (rc < 0)
		return rc;
	if (opts) {
		opts = &o;
		co.args = opts->args;
		co.n_args = opts->n_args;
	}
	rc = testr_command_list(&cmd, ctx, cfg, &co);
	/* One instance lists; the others wait until the plan says how many
	 * workers get tests. */
	if (rc == TESTR_OK && pool)
		rc = testr_pool_obtain(&instance, pool, 1);
	if (rc == TESTR_OK)
		rc = wrap_for_instance(&wrapped, pool, instance, cmd.command,
				       NULL);
	if (rc == TESTR_OK)
		rc = run_listing(out, ctx, wrapped, opts,
				 testr_config_seconds(cfg, "test_list_timeout",
						      TESTR_LIST_TIMEOUT_DEFAULT));
	testr_pool_release(pool, instance);
	free(wrapped);
	testr_command_dispose(&cmd);
	return rc;
}

/* ---- concurrency ------------------------------------------------------ */

static int
parse_concurrency(size_t *out, struct testr_context *ctx, const char *text)
{
	const char *ws = " \t\r\n\v\f";
	const char *s = text + strspn(text, ws);
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || *s == '-' || *s == '+' || errno ||
	    end[strspn(end, ws)] != '\0')
		return context_fail(ctx, TESTR_EPARSE,
				  "test_run_concurrency printed '%.*s', "
				  "not a number of workers",
				  (int)strcspn(s, "\n"), s);
	*out = (size_t)v;
	return TESTR_OK;
}

static int
callout_concurrency(size_t *out, struct testr_context *ctx,
		    const char *callout, double timeout)
{
	struct proc_capture c;
	int rc = proc_capture_timed(&c, ctx, callout, false, NULL, timeout);

	if (rc == TESTR_ETIMEDOUT)
		return proc_fail_timeout(ctx, "test_run_concurrency",
					 "test_run_concurrency_timeout",
					 timeout, callout);
	if (rc < 0)
		return rc;
	if (c.status.exit_code != 0) {
		c.err[strcspn(c.err, "\n")] = '\0';
		rc = context_fail(ctx, TESTR_ECHILD,
				"test_run_concurrency failed: exit code %d, "
				"stderr='%s'", proc_status_code(&c.status),
				c.err);
	} else {
		rc = parse_concurrency(out, ctx, c.out);
	}
	proc_capture_dispose(&c);
	return rc;
}

/* testr_run_concurrency() with the callout's time limit. */
static int
run_concurrency(size_t *out, struct testr_context *ctx, size_t requested,
		const char *callout, double timeout)
{
	const char *source = "--concurrency";
	long cpus;
	int rc;

	*out = requested;
	if (*out == 0 && callout) {
		source = "the test_run_concurrency callout";
		rc = callout_concurrency(out, ctx, callout, timeout);
		if (rc < 0)
			return rc;
	}
	if (*out == 0) {
		source = "the online CPUs";
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		*out = cpus > 0 ? (size_t)cpus : 1;
	}
	context_log(ctx, TESTR_LOG_DEBUG, "concurrency: %zu (%s)", *out, source);
	return TESTR_OK;
}

TESTR_API int
testr_run_concurrency(size_t *out, struct testr_context *ctx,
		      size_t requested, const char *callout)
{
	return run_concurrency(out, ctx, requested, callout,
			       TESTR_CONCURRENCY_TIMEOUT_DEFAULT);
}

/* ---- workers ---------------------------------------------------------- */

/* Why testr stopped a runner. */
enum stop_why {
	STOP_TEST,	/* its test ran past its limit (--timeout) */
	STOP_IDLE,	/* it printed nothing for too long (--idle-timeout) */
	STOP_RUN,	/* the whole run ran out of time (--run-timeout) */
};

/* --timeout auto: one test's limit (model_timeout()). */
struct auto_limit {
	char *id;
	double seconds;
};

struct worker {
	struct testr_run *run;
	size_t number;			/* N of worker-N */
	char tag[32];
	struct testr_command cmd;	/* expanded command, $IDFILE, ids */
	char *command;			/* after instance_execute */
	const char *instance;
	struct proc proc;
	pid_t group;			/* its process group, once spawned */
	struct proc_status status;
	struct testr_ingest *ing;	/* its stdout, decoded and delivered */
	struct testr_strv extras;	/* reported, never handed out */
	struct strbuf err;		/* stderr bytes after the last newline */
	struct timespec spawned;	/* when its runner started */
	int open;			/* its runner's pipes not at end of file */
	bool heard;			/* its runner has printed something */
	bool at_eof;			/* its stdout ended: the parser's last */
	bool died_in_test;		/* its stream ended inside a test, which
					 * the parser failed ("lost connection") */
	bool ended;			/* its batch was waited for and reported */
	char *current;			/* the test in progress; NULL: none */
	struct timespec since;		/* when @current started */
	struct strbuf tail;		/* the runner's last stderr bytes */
	bool timed_out;			/* stopped by testr: see @why */
	enum stop_why why;
	double kill_at;			/* then SIGKILL, if still open */
	double limit;			/* seconds @current may run; 0: none */
	double last_heard;		/* when its runner last printed */
	size_t restarts;		/* fresh runners on this batch's rest */
	/* Pull mode: the runner reads ids from @feed as it goes. */
	bool pulling;
	struct feed feed;
	size_t fed_done;		/* ids of cmd.ids known to be finished */
	double *fed_secs;		/* each fed id's estimated seconds */
	size_t fed_cap;
	size_t serial;			/* which of the run's runners it is */
	size_t results;			/* final results this runner reported */
	size_t start_failures;		/* runners that died saying nothing */
	size_t done_ids;		/* ids of its batch this runner reported */
	struct testr_strv failed;	/* ids of its batch that failed on this
					 * runner, with retries left */
};

struct testr_run {
	struct testr_context *ctx;
	struct testr_pool *pool;
	const struct testr_run_options *opts;	/* &options */
	struct testr_run_options options;	/* the caller's, copied */
	struct worker *workers;
	size_t n_workers;
	struct idset handed;		/* every id handed out, and by whom */
	size_t n_handed;
	size_t reported;		/* final results from the workers */
	size_t strays;			/* ...for ids nobody was given */
	bool finishing;			/* results now are made up by testr */
	struct proc_guard guard;	/* kills the workers if testr dies */
	size_t round_bytes;		/* read since the last poll (coalesce) */
	const struct testr_config *cfg;
	/* A work queue: the plan, its ids, the next batch to hand out. */
	const struct testr_sched *plan;
	const struct testr_strv *plan_ids;
	size_t next;
	int *fds;			/* what the pump reads, per worker slot */
	struct testr_run_result acc;	/* counts as batches start and end */
	double *startups;		/* spawn to first output, per runner */
	size_t n_startups;
	bool startup_told;		/* kept already: not again at the end */
	struct testr_strv kept;		/* keys of @handed no batch outlives */
	struct testr_strv put_back;	/* ids to hand out again... */
	size_t put_back_next;		/* ...from here on */
	size_t n_runners;		/* pull mode: runners started so far */
	double ran_secs;		/* seconds of the tests finished... */
	size_t ran_n;			/* ...and their number (pull mode) */
	double test_timeout;		/* seconds one test may run; 0: no limit */
	double idle_timeout;		/* seconds a runner may be silent; 0: none */
	double run_timeout;		/* seconds the run may take; 0: no limit */
	double run_deadline;		/* mono_now() when it runs out */
	bool expired;			/* run_timeout passed: everything stops */
	bool auto_timeout;		/* limits from the durations (@limits) */
	double auto_floor, auto_factor;
	struct auto_limit *limits;	/* sorted by id */
	size_t n_limits;
	size_t max_restarts;		/* fresh runners per batch after crashes */
	bool draining;			/* the pump is over: nothing restarts */
	size_t retry;			/* runs again of a failed test */
	size_t max_failures;		/* withhold work after these; 0: never */
	size_t failures;		/* tests failed for good so far */
	struct testr_strv retries;	/* failed ids waiting to run again... */
	size_t *retry_from;		/* ...and the slot each failed on */
	size_t retry_cap;
};

static void
now(int64_t *sec, uint32_t *nsec)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	*sec = ts.tv_sec;
	*nsec = (uint32_t)ts.tv_nsec;
}

static bool
is_final(enum testr_status st)
{
	return st >= TESTR_STATUS_SUCCESS && st <= TESTR_STATUS_XFAIL;
}

/*
 * A final result from @w.  An id nobody was handed may be an expansion of
 * one that was (test_x(a) for test_x) or a stray; which, is decided once
 * the worker has ended (report_missing).
 */
static int
worker_reported(struct worker *w, const char *id)
{
	struct testr_run *run = w->run;
	struct idset_slot *handed;

	if (run->finishing)
		return TESTR_OK;
	if ((handed = idset_find(&run->handed, id))) {
		w->done_ids += !handed->marked;
		/* A retry's result replaces the first: one test. */
		run->reported += handed->count == 0;
		handed->marked = true;
		return TESTR_OK;
	}
	run->reported++;
	/* The ingest's own failure for corrupt input is no stray. */
	if (!run->n_handed || strcmp(id, "subunit.parser") == 0)
		return TESTR_OK;
	return testr_strv_push(&w->extras, id);
}

static double
mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
cmp_limit(const void *a, const void *b)
{
	return strcmp(((const struct auto_limit *)a)->id,
		      ((const struct auto_limit *)b)->id);
}

/* Seconds test @id may run: --timeout, or its own limit under --timeout
 * auto (the floor for an id not planned, such as test_x(a)); 0: none. */
static double
test_limit(const struct testr_run *run, const char *id)
{
	struct auto_limit key = { (char *)id, 0 };
	const struct auto_limit *hit;

	if (!run->auto_timeout)
		return run->test_timeout;
	hit = run->n_limits ? bsearch(&key, run->limits, run->n_limits,
				      sizeof(key), cmp_limit) : NULL;
	return hit ? hit->seconds : run->auto_floor;
}

/* The test @w's runner is in: set by its inprogress event, cleared by its
 * final result.  A timeout or a crash is blamed on it. */
static int
track_current(struct worker *w, const struct testr_event *ev)
{
	if (w->run->finishing)
		return TESTR_OK;
	if (ev->status == TESTR_STATUS_INPROGRESS) {
		free(w->current);
		w->current = strdup(ev->test_id);
		clock_gettime(CLOCK_MONOTONIC, &w->since);
		w->limit = test_limit(w->run, ev->test_id);
		return w->current ? TESTR_OK : TESTR_ENOMEM;
	}
	if (is_final(ev->status) && w->current &&
	    strcmp(w->current, ev->test_id) == 0) {
		if (w->pulling) {	/* a guide for ids with no estimate */
			w->run->ran_secs += mono_now() -
					    ((double)w->since.tv_sec +
					     (double)w->since.tv_nsec / 1e9);
			w->run->ran_n++;
		}
		/* A result only at the stream's end: the parser's own, for
		 * the test the runner died in. */
		w->died_in_test |= w->at_eof;
		free(w->current);
		w->current = NULL;
	}
	return TESTR_OK;
}

/* ---- retries and --max-failures: outcomes ------------------------------
 *
 * A handed-out id that fails (as its runner reports, or as testr blames a
 * hang or a crash on it) with retries left waits for the end of its runner
 * (w->failed); slot_end() then puts it on the retry queue, counted in the
 * id's idset counter, for a fresh runner on another slot.  Every attempt
 * is delivered and stored; the last one is the test's result.
 */

static bool
is_failure(enum testr_status st)
{
	return st == TESTR_STATUS_FAIL || st == TESTR_STATUS_UXSUCCESS;
}

/* Has --max-failures been reached?  Then no more work is handed out. */
static bool
withholding(const struct testr_run *run)
{
	return run->max_failures && run->failures >= run->max_failures;
}

/* A final result of @w: a handed-out id that failed with retries left is
 * kept for a retry; one that passes after a retry is flaky. */
static int
note_outcome(struct worker *w, const struct testr_event *ev)
{
	struct testr_run *run = w->run;
	const char *id = ev->test_id;
	const struct idset_slot *handed = idset_find(&run->handed, id);
	uint32_t tries = handed ? handed->count : 0;

	if (!handed)
		return TESTR_OK;
	if (!is_failure(ev->status)) {
		run->acc.flaky += tries > 0 &&
				  (ev->status == TESTR_STATUS_SUCCESS ||
				   ev->status == TESTR_STATUS_XFAIL);
		return TESTR_OK;
	}
	if (tries < run->retry) {
		for (size_t i = 0; i < w->failed.n; i++)
			if (strcmp(w->failed.v[i], id) == 0)
				return TESTR_OK;	/* reported twice */
		return testr_strv_push(&w->failed, id);
	}
	run->failures++;
	return TESTR_OK;
}

/*
 * Pull mode: what @w's runner has finished, so that testr knows when to
 * write the next id.  A final result ends a test; a fed id's result, or
 * its start, also ends every id fed before it (a runner takes its ids in
 * order).  A result for an id not fed (a scenario of one that was) counts
 * as one finished.
 */
static void
pull_progress(struct worker *w, const struct testr_event *ev)
{
	const struct testr_strv *fed = &w->cmd.ids;
	bool final = is_final(ev->status);

	if (w->run->finishing || (!final && ev->status != TESTR_STATUS_INPROGRESS))
		return;
	w->results += final;
	for (size_t k = w->fed_done; k < fed->n; k++) {
		if (strcmp(fed->v[k], ev->test_id) == 0) {
			w->fed_done = final ? k + 1 : k;
			return;
		}
	}
	if (final && w->fed_done < fed->n)
		w->fed_done++;
}

/*
 * The store sink of a worker's ingest: note which handed-out ids reported
 * a result, then the caller's store.  The ingest tags, routes and turns
 * corruption into failures; the display comes after this.
 */
static int
worker_event(void *userdata, const struct testr_event *ev)
{
	struct worker *w = userdata;
	const struct testr_run_options *o = w->run->opts;
	int rc = (ev->fields & TESTR_EVENT_TEST_ID) && is_final(ev->status) ?
		 worker_reported(w, ev->test_id) : TESTR_OK;

	if (rc == TESTR_OK && (ev->fields & TESTR_EVENT_TEST_ID))
		rc = track_current(w, ev);
	if (rc == TESTR_OK && w->pulling && (ev->fields & TESTR_EVENT_TEST_ID))
		pull_progress(w, ev);
	if (rc == TESTR_OK && (ev->fields & TESTR_EVENT_TEST_ID) &&
	    is_final(ev->status))
		rc = note_outcome(w, ev);
	if (rc == TESTR_OK && o->on_store)
		rc = o->on_store(o->store_userdata, ev);
	return rc;
}

/* A result made up by testr, for a dead worker or a lost id: tagged and
 * routed as the worker's own events are. */
static int
synthetic_result(struct worker *w, enum testr_status status,
		 const char *test_id, const char *why)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP |
		    TESTR_EVENT_MIME_TYPE | TESTR_EVENT_FILE;
	ev.status = status;
	ev.runnable = true;
	ev.eof = true;
	now(&ev.ts_sec, &ev.ts_nsec);
	ev.test_id = test_id;
	ev.mime_type = "text/plain;charset=utf8";
	ev.file_name = "traceback";
	ev.file_bytes = (const unsigned char *)why;
	ev.file_len = strlen(why);
	return testr_ingest_event(w->ing, &ev);
}

/* Ids named in a failure's text before "and N more". */
#define IDS_SHOWN 10

/* @b gets @cmd with each @path in it written as $IDFILE. */
static int
add_command(struct strbuf *b, const char *cmd, const char *path)
{
	const char *at;
	size_t plen = path ? strlen(path) : 0;

	while (plen && (at = strstr(cmd, path)) != NULL) {
		if (strbuf_addn(b, cmd, (size_t)(at - cmd)) < 0 ||
		    strbuf_add(b, "$IDFILE") < 0)
			return TESTR_ENOMEM;
		cmd = at + plen;
	}
	return strbuf_add(b, cmd);
}

/* " (its $IDFILE ... held N ids: 'a', 'b', ... and M more)" */
static int
add_held_ids(struct strbuf *b, const struct testr_strv *ids)
{
	char q[160], n[64];
	int rc = strbuf_add(b, " (its $IDFILE is removed after the run; it "
			       "held ");

	snprintf(n, sizeof(n), "%zu id%s:", ids->n, ids->n == 1 ? "" : "s");
	if (rc == 0)
		rc = strbuf_add(b, n);
	for (size_t i = 0; rc == 0 && i < ids->n && i < IDS_SHOWN; i++) {
		testr_quote(q, sizeof(q), ids->v[i], strlen(ids->v[i]));
		rc = strbuf_add(b, i ? ", " : " ");
		if (rc == 0)
			rc = strbuf_add(b, q);
	}
	if (rc == 0 && ids->n > IDS_SHOWN) {
		snprintf(n, sizeof(n), " and %zu more", ids->n - IDS_SHOWN);
		rc = strbuf_add(b, n);
	}
	return rc == 0 ? strbuf_addc(b, ')') : rc;
}

/*
 * The worker's command as a user can still use it after the run: its
 * $IDFILE is deleted by then, so the file's path reads "$IDFILE" and the
 * ids it held are named instead.  malloc'd, NULL when out of memory.
 */
static char *
command_text(const struct worker *w)
{
	struct strbuf b = STRBUF_INIT;
	int rc = add_command(&b, w->command ? w->command : "",
			     w->cmd.id_file);

	if (rc == 0 && w->cmd.id_file && w->cmd.ids_known)
		rc = add_held_ids(&b, &w->cmd.ids);
	if (rc < 0) {
		strbuf_dispose(&b);
		return NULL;
	}
	return strbuf_detach(&b);
}

static int
synthetic_failure(struct worker *w, const char *test_id, const char *why)
{
	return synthetic_result(w, TESTR_STATUS_FAIL, test_id, why);
}

static int
report_worker_status(struct worker *w)
{
	char status[96], *why, *cmd;
	int rc;

	if (w->status.exit_code == 0 && w->status.signal == 0)
		return TESTR_OK;
	proc_status_describe(&w->status, status, sizeof(status));
	cmd = command_text(w);
	why = cmd ? str_printf("%s ended with %s; its command was: %s\n",
				   w->tag, status, cmd) : NULL;
	free(cmd);
	if (!why)
		return TESTR_ENOMEM;
	rc = synthetic_failure(w, "process-returncode", why);
	free(why);
	return rc;
}

/* A copy of @id that lives as long as @run: a key of run->handed. */
static int
keep_id(const char **out, struct testr_run *run, const char *id)
{
	if (testr_strv_push(&run->kept, id) < 0)
		return TESTR_ENOMEM;
	*out = run->kept.v[run->kept.n - 1];
	return TESTR_OK;
}

/* @id is handed out; a new key is a copy kept by the run, since a slot's
 * batch (and its command) may end before the run does. */
static int
hand_out(struct testr_run *run, const char *id)
{
	const char *key = NULL;
	int rc;

	if (idset_has(&run->handed, id))
		return TESTR_OK;
	rc = keep_id(&key, run, id);
	return rc == TESTR_OK ? idset_add(&run->handed, key) : rc;
}

/* Ids testr could not hand to the runner fail with the reason.  Their
 * keys are kept by the run: the command goes with its batch. */
static int
report_refused(struct worker *w)
{
	const struct testr_command *c = &w->cmd;
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < c->refused.n; i++) {
		char *why = str_printf("%s\n", c->reasons.v[i]);
		const char *key = NULL;

		rc = why ? keep_id(&key, w->run, c->refused.v[i]) : TESTR_ENOMEM;
		if (rc == TESTR_OK)
			rc = idset_add(&w->run->handed, key);
		if (rc == TESTR_OK)
			rc = synthetic_failure(w, c->refused.v[i], why);
		free(why);
	}
	return rc;
}

/* Could @c end the name a longer id extends (test_x in test_x(a))? */
static bool
ends_name(char c)
{
	return !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
	       !(c >= '0' && c <= '9') && c != '_';
}

/* Mark in @lost every id that @extra extends; false when none. */
static bool
mark_extended(struct idset *lost, const char *extra)
{
	char *cut = strdup(extra);
	bool any = !cut;	/* out of memory: warn about nothing */

	for (size_t p = 1; cut && cut[p]; p++) {
		char c = cut[p];

		if (!ends_name(c))
			continue;
		cut[p] = '\0';
		if (idset_has(lost, cut)) {
			idset_mark(lost, cut);
			any = true;
		}
		cut[p] = c;
	}
	free(cut);
	return any;
}

#define STRAYS_SHOWN 5

/* Results for ids nobody was given, and no expansions: say so. */
static void
warn_stray(struct worker *w, const char *id)
{
	struct testr_run *run = w->run;
	char q[256];

	if (run->strays++ < STRAYS_SHOWN)
		context_log(run->ctx, TESTR_LOG_WARNING, "%s reported %s, a test "
			  "it was not given", w->tag,
			  testr_quote(q, sizeof(q), id, strlen(id)));
}

static bool unreported(const struct worker *w);

/* The ids @w was given and never reported, each once, into @lost. */
static int
collect_lost(struct idset *lost, struct worker *w)
{
	int rc = idset_init(lost);

	for (size_t i = 0; rc == TESTR_OK && i < w->cmd.ids.n; i++)
		if (!idset_marked(&w->run->handed, w->cmd.ids.v[i]))
			rc = idset_add(lost, w->cmd.ids.v[i]);
	for (size_t i = 0; rc == TESTR_OK && i < w->extras.n; i++)
		if (!mark_extended(lost, w->extras.v[i]))
			warn_stray(w, w->extras.v[i]);
	return rc;
}

/*
 * Account for the ids @w was given and never reported.  A runner that
 * exited 0 and reported ids extending one (test_x(a), test_x(b) for
 * test_x) has run it: it is stored as "exists", which counts no test and
 * takes a stale entry out of the failing set.  Any other is a failure: a
 * runner that died or stopped early must not look green.
 */
static int
report_missing(struct worker *w, struct testr_run_result *res)
{
	bool ended_well = w->status.exit_code == 0 && w->status.signal == 0;
	char *cmd, *why;
	struct idset lost = { 0 };
	int rc;

	/* The usual end, checked in one lookup per id rather than three:
	 * every id reported, and no stray one to account for. */
	if (w->extras.n == 0 && !unreported(w))
		return TESTR_OK;
	cmd = command_text(w);
	why = cmd ? str_printf("%s was given this test and never reported a "
			       "result for it; its command was: %s\n", w->tag,
			       cmd) : NULL;
	rc = why ? collect_lost(&lost, w) : TESTR_ENOMEM;
	free(cmd);
	for (size_t i = 0; rc == TESTR_OK && i < w->cmd.ids.n; i++) {
		const char *id = w->cmd.ids.v[i];

		if (idset_marked(&w->run->handed, id) || !idset_has(&lost, id))
			continue;
		/* Account for each id once, even if listed twice. */
		idset_mark(&w->run->handed, id);
		if (ended_well && idset_marked(&lost, id)) {
			res->expanded++;
			rc = synthetic_result(w, TESTR_STATUS_EXISTS, id,
					      "run as the tests extending its id\n");
		} else {
			res->missing++;
			rc = synthetic_failure(w, id, why);
		}
	}
	idset_dispose(&lost);
	free(why);
	return rc;
}

/* The worker's stdout goes through the one ingest path (ingest.h). */
static int
worker_decoder(struct worker *w, struct testr_context *ctx,
	       const struct testr_config *cfg)
{
	struct testr_ingest_options o = TESTR_INGEST_OPTIONS_INIT;
	const char *format = testr_config_get(cfg, "test_format");

	/* The config loader has checked the name. */
	if (format && testr_ingest_protocol_from_name(&o.protocol, format))
		return context_fail(ctx, TESTR_EINVAL, "test_format: unknown "
				  "format '%s'", format);
	o.worker = w->number;
	o.on_store = worker_event;
	o.store_userdata = w;
	o.on_event = w->run->opts->on_event;
	o.event_userdata = w->run->opts->event_userdata;
	return testr_ingest_new(&w->ing, ctx, &o);
}

/* Expand and wrap the command of one worker for @ids (NULL: run
 * everything); w->cmd.command is NULL when every id was refused. */
static int
worker_prepare(struct testr_run *run, struct worker *w,
	       const struct testr_config *cfg, const struct testr_strv *ids,
	       size_t concurrency)
{
	struct testr_command_options co = TESTR_COMMAND_OPTIONS_INIT;
	int rc;

	co.ids = ids;
	co.args = run->opts->args;
	co.n_args = run->opts->n_args;
	rc = testr_command_run(&w->cmd, run->ctx, cfg, &co);
	if (rc == TESTR_OK && w->cmd.id_file)
		proc_guard_add_file(&run->guard, w->cmd.id_file);
	if (rc == TESTR_OK)
		rc = worker_decoder(w, run->ctx, cfg);
	if (rc == TESTR_OK)
		rc = report_refused(w);
	if (rc < 0 || !w->cmd.command)
		return rc;
	/* A slot keeps its instance from batch to batch. */
	if (run->pool && !w->instance)
		rc = testr_pool_obtain(&w->instance, run->pool, concurrency);
	if (rc == TESTR_OK)
		rc = wrap_for_instance(&w->command, run->pool, w->instance,
				       w->cmd.command, w->cmd.id_file);
	for (size_t i = 0; rc == TESTR_OK && i < w->cmd.ids.n; i++)
		rc = hand_out(run, w->cmd.ids.v[i]);
	run->n_handed += w->cmd.ids.n;
	return rc;
}

/* A slot's state before a fresh runner: its tag, nothing in progress. */
static void
worker_reset(struct worker *w)
{
	snprintf(w->tag, sizeof(w->tag), "worker-%zu", w->number);
	w->proc = (struct proc){ 0, -1, -1, false, NULL };
	w->status = (struct proc_status){ 0, 0 };
	w->heard = w->ended = w->timed_out = false;
	w->at_eof = w->died_in_test = false;
	w->done_ids = 0;
	free(w->current);
	w->current = NULL;
	w->tail.len = 0;
}

/* Spawn @w's prepared command, its stdin on @in_fd (-1: /dev/null). */
static int
worker_spawn(struct testr_run *run, struct worker *w, int in_fd)
{
	int rc;

	tell_command(run->opts, w->command);
	clock_gettime(CLOCK_MONOTONIC, &w->spawned);
	w->last_heard = mono_now();
	/* With on_output, stderr comes through it (whole lines), so a
	 * display can keep it apart from its own output; else inherited. */
	rc = proc_spawn_fed(&w->proc, run->ctx, w->command,
			    PROC_PIPE_STDOUT | PROC_OWN_GROUP |
			    (run->opts->on_output ? PROC_PIPE_STDERR : 0),
			    in_fd);
	if (rc < 0)
		return rc;
	w->group = w->proc.pid;
	w->open = 1 + (w->proc.err_fd >= 0);
	proc_guard_watch(&run->guard, w->group);
	run->acc.workers++;
	run->acc.ids += w->cmd.ids.n;
	return TESTR_OK;
}

/* Expand, wrap and spawn one worker for @ids (NULL: run everything). */
static int
worker_start(struct testr_run *run, struct worker *w,
	     const struct testr_config *cfg, const struct testr_strv *ids,
	     size_t concurrency)
{
	int rc;

	worker_reset(w);
	rc = worker_prepare(run, w, cfg, ids, concurrency);
	if (rc < 0 || !w->cmd.command)
		return rc;
	return worker_spawn(run, w, -1);
}

/* Close @w's feed (the runner reads end of file) and remove its pipe. */
static void
pull_feed_dispose(struct testr_run *run, struct worker *w)
{
	if (w->feed.path)
		proc_guard_forget_file(&run->guard, w->feed.path);
	if (w->feed.dir)
		proc_guard_forget_file(&run->guard, w->feed.dir);
	feed_dispose(&w->feed);
}

static void
worker_dispose(struct testr_run *run, struct worker *w)
{
	struct proc_status ignored;

	if (w->proc.pid > 0) {
		proc_kill(&w->proc, SIGKILL);
		proc_wait(&w->proc, &ignored);
	}
	if (w->group > 0)
		proc_guard_forget(&run->guard, w->group);
	w->group = 0;
	testr_pool_release(run->pool, w->instance);
	w->instance = NULL;
	testr_ingest_free(w->ing);
	w->ing = NULL;
	free(w->err.s);
	w->err = (struct strbuf)STRBUF_INIT;
	strbuf_dispose(&w->tail);
	free(w->current);
	w->current = NULL;
	free(w->command);
	w->command = NULL;
	testr_strv_dispose(&w->extras);
	testr_strv_dispose(&w->failed);
	if (w->cmd.id_file)
		proc_guard_forget_file(&run->guard, w->cmd.id_file);
	testr_command_dispose(&w->cmd);
	pull_feed_dispose(run, w);
	free(w->fed_secs);
	w->fed_secs = NULL;
	w->fed_cap = 0;
}

/* The caller's options (required), copied as far as their version goes. */
static int
run_options_copy(struct testr_run_options *o, struct testr_context *ctx,
		 const struct testr_run_options *opts)
{
	int rc;

	*o = (struct testr_run_options)TESTR_RUN_OPTIONS_INIT;
	if (!opts)
		return context_fail(ctx, TESTR_EINVAL,
				  "struct testr_run_options: none given");
	rc = OPTIONS_COPY(ctx, o, opts, testr_run_options, run_options_sizes);
	/* Every field past the caller's version has its _INIT default, but
	 * one: a version 1 caller knew only testrepository's partition. */
	if (rc == TESTR_OK && o->version < 2)
		o->schedule = TESTR_SCHED_STATIC;
	if (rc == TESTR_OK && o->repo && (o->durations || o->estimates))
		rc = context_fail(ctx, TESTR_EINVAL, "struct testr_run_options: "
				  "repo and a durations or estimates callback "
				  "are both set; plan by one of them");
	return rc;
}

/* ---- the duration model: the caller's repository, or its callbacks ---- */

/* Start-up costs are kept per test_command template. */
static const char *
runner_key(const struct testr_config *cfg)
{
	const char *cmd = testr_config_get(cfg, "test_command");

	return cmd ? cmd : "";
}

/* How much later each runner of a wave starts than the one before, kept
 * per runner beside its start-up cost: "[stagger] <test_command>". */
static char *
stagger_key(const struct testr_config *cfg)
{
	const char *cmd = runner_key(cfg);
	size_t n = strlen(cmd) + sizeof("[stagger] ");
	char *key = malloc(n);

	if (key)
		snprintf(key, n, "[stagger] %s", cmd);
	return key;
}

/* A start-up cost is a planning hint: failing to read or keep one is
 * worth a warning (the repository's message), never a failed run. */
static void
warn_startup(struct testr_context *ctx, const struct testr_repo *repo)
{
	context_log(ctx, TESTR_LOG_WARNING, "%s",
		    testr_context_error(repo->ctx));
}

static bool
has_estimates(const struct testr_run_options *opts)
{
	return opts->repo || opts->estimates;
}

/* The model's estimates of @ids into @out (room for ids->n): the
 * repository's, grouped as the run groups, or the caller's. */
static int
model_estimates(struct testr_estimate *out, const struct testr_config *cfg,
		const struct testr_run_options *opts,
		const struct testr_strv *ids)
{
	struct testr_estimate_options eo = TESTR_ESTIMATE_OPTIONS_INIT;

	if (!opts->repo)
		return opts->estimates(opts->estimates_userdata, out,
				       testr_strv_items(ids), ids->n);
	eo.group_key = testr_config_group_key;
	eo.group_config = cfg;
	return testr_repo_estimates(out, opts->repo, testr_strv_items(ids),
				    ids->n, &eo);
}

/* Recorded durations of @ids into @out (room for ids->n), NAN where none
 * is known. */
static int
model_durations(double *out, const struct testr_run_options *opts,
		const struct testr_strv *ids)
{
	for (size_t i = 0; i < ids->n; i++)
		out[i] = NAN;
	if (opts->repo)
		return testr_repo_durations(out, opts->repo,
					    testr_strv_items(ids), ids->n);
	if (!opts->durations)
		return TESTR_OK;
	return opts->durations(opts->durations_userdata, out,
			       testr_strv_items(ids), ids->n);
}

/* A start-up cost not given: the repository's record of this runner. */
static void
recorded_startup(struct testr_run_options *o, struct testr_context *ctx,
		 const struct testr_config *cfg)
{
	struct testr_estimate e;

	if (!o->repo || o->startup >= 0)
		return;
	if (testr_repo_startup(&e, o->repo, runner_key(cfg)) < 0)
		warn_startup(ctx, o->repo);
	else if (e.source == TESTR_ESTIMATE_MEASURED)
		o->startup = e.seconds;
}

/* The run's measured start-up @seconds: into the repository, and to the
 * caller. */
static void
keep_startup(struct testr_context *ctx, const struct testr_config *cfg,
	     const struct testr_run_options *o, double seconds)
{
	if (o->repo &&
	    testr_repo_note_startup(o->repo, runner_key(cfg), seconds) < 0)
		warn_startup(ctx, o->repo);
	if (o->on_startup)
		o->on_startup(o->startup_userdata, seconds);
}

/* The repository's record of this runner's stagger (seconds), or 0. */
static double
recorded_stagger(struct testr_context *ctx, const struct testr_config *cfg,
		 const struct testr_run_options *o)
{
	struct testr_estimate e;
	char *key = o->repo ? stagger_key(cfg) : NULL;
	double seconds = 0;

	if (key && testr_repo_startup(&e, o->repo, key) < 0)
		warn_startup(ctx, o->repo);
	else if (key && e.source == TESTR_ESTIMATE_MEASURED)
		seconds = e.seconds;
	free(key);
	return seconds;
}

/* The run's measured stagger @seconds, into the repository. */
static void
keep_stagger(struct testr_context *ctx, const struct testr_config *cfg,
	     const struct testr_run_options *o, double seconds)
{
	char *key = o->repo ? stagger_key(cfg) : NULL;

	if (key && testr_repo_note_startup(o->repo, key, seconds) < 0)
		warn_startup(ctx, o->repo);
	free(key);
}

/* Seconds: @given when the caller set it (>= 0), else option @name of
 * the config, else @fallback ("auto", -1, reads as the fallback too). */
static double
seconds_of(const struct testr_config *cfg, double given, const char *name,
	   double fallback)
{
	double t = given >= 0 ? given :
		   testr_config_seconds(cfg, name, fallback);

	return t >= 0 ? t : fallback;
}

/* Seconds one test may run: the caller's, else test_timeout; 0: none. */
static double
test_timeout_of(const struct testr_config *cfg,
		const struct testr_run_options *opts)
{
	return seconds_of(cfg, opts->test_timeout, "test_timeout", 0);
}

/* Seconds a runner may print nothing: the caller's, else
 * test_idle_timeout; 0: no limit. */
static double
idle_timeout_of(const struct testr_config *cfg,
		const struct testr_run_options *opts)
{
	return seconds_of(cfg, opts->idle_timeout, "test_idle_timeout", 0);
}

/* --timeout auto: asked for, or test_timeout=auto with no limit given. */
static bool
auto_timeout_of(const struct testr_config *cfg,
		const struct testr_run_options *opts)
{
	if (opts->auto_timeout)
		return true;
	if (opts->test_timeout >= 0)
		return false;
	return testr_config_seconds(cfg, "test_timeout", 0) < 0;
}

/* Does the run stop runners mid-batch, and so want the ids of each batch
 * to hand the rest of one to a fresh runner? */
static bool
guarded(const struct testr_config *cfg, const struct testr_run_options *opts)
{
	return test_timeout_of(cfg, opts) > 0 || auto_timeout_of(cfg, opts) ||
	       idle_timeout_of(cfg, opts) > 0;
}

/* The time limits of @run, from @opts and @cfg. */
static void
set_limits(struct testr_run *run, const struct testr_config *cfg,
	   const struct testr_run_options *opts)
{
	run->test_timeout = test_timeout_of(cfg, opts);
	run->idle_timeout = idle_timeout_of(cfg, opts);
	run->run_timeout = seconds_of(cfg, opts->run_timeout,
				      "test_run_timeout", 0);
	run->run_deadline = mono_now() + run->run_timeout;
	run->auto_timeout = auto_timeout_of(cfg, opts);
	run->auto_floor = seconds_of(cfg, opts->auto_floor,
				     "test_timeout_floor",
				     TESTR_AUTO_TIMEOUT_FLOOR);
	run->auto_factor = seconds_of(cfg, opts->auto_factor,
				      "test_timeout_factor",
				      TESTR_AUTO_TIMEOUT_FACTOR);
}

/* --timeout auto: the limit of each of @ids (NULL: the runner chooses;
 * every test then gets the floor) from the duration model. */
static int
auto_limits(struct testr_run *run, const struct testr_strv *ids)
{
	const struct testr_run_options *o = run->opts;
	size_t n = ids ? ids->n : 0;
	struct testr_estimate *e;
	int rc = TESTR_OK;

	if (!run->auto_timeout || n == 0 || !has_estimates(o))
		return TESTR_OK;
	e = malloc(n * sizeof(*e));
	run->limits = calloc(n, sizeof(*run->limits));
	if (!e || !run->limits)
		rc = TESTR_ENOMEM;
	if (rc == TESTR_OK)
		rc = model_estimates(e, run->cfg, o, ids);
	for (size_t i = 0; rc == TESTR_OK && i < n; i++) {
		run->limits[i].seconds = model_timeout(&e[i], run->auto_floor,
						       run->auto_factor);
		run->limits[i].id = strdup(ids->v[i]);
		rc = run->limits[i].id ? TESTR_OK : TESTR_ENOMEM;
		run->n_limits += rc == TESTR_OK;
	}
	if (rc == TESTR_OK)
		qsort(run->limits, n, sizeof(*run->limits), cmp_limit);
	free(e);
	return rc;
}

/* Fresh runners per batch: the caller's, else test_max_restarts (checked
 * at load: digits only), else the default. */
static size_t
max_restarts_of(const struct testr_config *cfg,
		const struct testr_run_options *opts)
{
	const char *v = testr_config_get(cfg, "test_max_restarts");

	if (opts->max_restarts >= 0)
		return (size_t)opts->max_restarts;
	return v ? (size_t)strtoul(v, NULL, 10) : TESTR_MAX_RESTARTS_DEFAULT;
}

/* A count the caller gives (@given >= 0), else the config's @key (checked
 * by the config loader), else 0. */
static size_t
count_option(const struct testr_config *cfg, int given, const char *key)
{
	const char *v = cfg ? testr_config_get(cfg, key) : NULL;

	if (given >= 0)
		return (size_t)given;
	return v ? (size_t)strtoul(v, NULL, 10) : 0;
}

/* Runs again of a failed test: the caller's, else test_retry. */
static size_t
retry_of(const struct testr_config *cfg, const struct testr_run_options *opts)
{
	return count_option(cfg, opts->retry, "test_retry");
}

/* Failures before work is withheld: the caller's, else
 * test_max_failures; 0: no limit. */
static size_t
max_failures_of(const struct testr_config *cfg,
		const struct testr_run_options *opts)
{
	return count_option(cfg, opts->max_failures, "test_max_failures");
}

/*
 * The run's guardian: @early's when the caller forked one already (the
 * run then owns it, and @early is left inert), else a new one.
 */
static int
run_guard(struct testr_run *run, struct proc_guard *early)
{
	if (early && early->pid > 0) {
		run->guard = *early;
		*early = (struct proc_guard){ 0, -1 };
		return TESTR_OK;
	}
	return proc_guard_start(&run->guard, run->ctx);
}

static int
run_alloc(struct testr_run **out, struct testr_context *ctx,
	  const struct testr_config *cfg, struct testr_pool *pool,
	  const struct testr_run_options *opts, size_t n_workers,
	  struct proc_guard *early)
{
	struct testr_run_options o;
	struct testr_run *run;
	int rc = run_options_copy(&o, ctx, opts);

	*out = NULL;
	if (rc < 0)
		return rc;
	*out = run = calloc(1, sizeof(*run));
	if (!run)
		return TESTR_ENOMEM;
	run->ctx = ctx;
	run->cfg = cfg;
	run->pool = pool;
	run->options = o;
	run->opts = opts = &run->options;
	set_limits(run, cfg, opts);
	run->max_restarts = max_restarts_of(cfg, opts);
	run->retry = retry_of(cfg, opts);
	run->max_failures = max_failures_of(cfg, opts);
	run->workers = calloc(n_workers ? n_workers : 1, sizeof(*run->workers));
	run->fds = calloc(n_workers ? 2 * n_workers : 1, sizeof(*run->fds));
	run->guard = (struct proc_guard){ 0, -1 };
	if (!run->workers || !run->fds || idset_init(&run->handed) < 0)
		return TESTR_ENOMEM;
	/* No feed yet: -1, never descriptor 0 (testr's own stdin). */
	for (size_t i = 0; i < (n_workers ? n_workers : 1); i++)
		run->workers[i].feed = (struct feed)FEED_INIT;
	return run_guard(run, early);
}

/* The ids of one partition list, as a vector of copies. */
static int
partition_ids(struct testr_strv *out, const struct testr_partition *p,
	      size_t worker, const struct testr_strv *ids)
{
	size_t n;
	const size_t *idx = testr_partition_worker(&n, p, worker);

	for (size_t i = 0; i < n; i++)
		if (testr_strv_push(out, ids->v[idx[i]]) < 0)
			return TESTR_ENOMEM;
	return TESTR_OK;
}

/* How many workers of @p get tests: the instances worth provisioning. */
static size_t
busy_workers(const struct testr_partition *p)
{
	size_t n = testr_partition_workers(p), busy = 0, len;

	for (size_t i = 0; i < n; i++)
		busy += testr_partition_worker(&len, p, i) != NULL && len > 0;
	return busy;
}

static int
start_partitioned(struct testr_run *run, const struct testr_config *cfg,
		  const struct testr_partition *p, const struct testr_strv *ids)
{
	size_t n = testr_partition_workers(p), busy = busy_workers(p);
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < n; i++) {
		struct testr_strv part = TESTR_STRV_INIT;
		struct worker *w = &run->workers[run->n_workers];

		rc = partition_ids(&part, p, i, ids);
		if (rc == TESTR_OK && part.n > 0) {
			w->run = run;
			w->number = run->n_workers++;
			rc = worker_start(run, w, cfg, &part, busy);
		}
		testr_strv_dispose(&part);
	}
	return rc;
}

static int
start_partition(struct testr_run **out, struct testr_context *ctx,
		const struct testr_config *cfg, struct testr_pool *pool,
		const struct testr_partition *partition,
		const struct testr_strv *ids,
		const struct testr_run_options *opts, struct proc_guard *early)
{
	size_t n = partition ? testr_partition_workers(partition) : 1;
	int rc = run_alloc(out, ctx, cfg, pool, opts, n, early);

	if (rc == TESTR_OK)
		rc = auto_limits(*out, ids);
	if (rc == TESTR_OK && partition) {
		rc = start_partitioned(*out, cfg, partition, ids);
	} else if (rc == TESTR_OK && (!ids || ids->n > 0)) {
		struct worker *w = &(*out)->workers[0];

		w->run = *out;
		(*out)->n_workers = 1;
		rc = worker_start(*out, w, cfg, ids, 1);
	}
	if (rc == TESTR_ENOMEM)
		context_fail(ctx, rc, "out of memory starting the test workers");
	if (rc < 0) {
		testr_run_free(*out);
		*out = NULL;
	}
	return rc;
}

TESTR_API int
testr_run_start(struct testr_run **out, struct testr_context *ctx,
		const struct testr_config *cfg, struct testr_pool *pool,
		const struct testr_partition *partition,
		const struct testr_strv *ids,
		const struct testr_run_options *opts)
{
	return start_partition(out, ctx, cfg, pool, partition, ids, opts,
			       NULL);
}

/* The last TAIL_KEEP bytes @w's runner printed on stderr, for the failure
 * of a test it hung or crashed in. */
#define TAIL_KEEP 2048

static void
keep_tail(struct worker *w, const char *buf, size_t len)
{
	if (len >= TAIL_KEEP) {
		buf += len - TAIL_KEEP;
		len = TAIL_KEEP;
		w->tail.len = 0;
	}
	if (w->tail.len + len > TAIL_KEEP) {
		size_t drop = w->tail.len + len - TAIL_KEEP;

		memmove(w->tail.s, w->tail.s + drop, w->tail.len - drop);
		w->tail.len -= drop;
	}
	(void)strbuf_addn(&w->tail, buf, len);	/* a hint: no failure */
}

/* Hand on_output what @w printed on stderr up to its last newline; at the
 * end (@len 0) the rest too, with a newline of its own. */
static int
worker_stderr(struct testr_run *run, struct worker *w, const char *buf,
	      size_t len)
{
	const struct testr_run_options *o = run->opts;
	size_t whole;
	int rc = strbuf_addn(&w->err, buf, len);

	keep_tail(w, buf, len);

	if (rc == TESTR_OK && len == 0 && w->err.len &&
	    w->err.s[w->err.len - 1] != '\n')
		rc = strbuf_addn(&w->err, "\n", 1);
	for (whole = w->err.len; whole && w->err.s[whole - 1] != '\n'; whole--)
		;
	if (!whole && w->err.len >= 65536)	/* no newline in sight */
		whole = w->err.len;
	if (rc == TESTR_OK && whole)
		rc = o->on_output(o->output_userdata, w->err.s, whole);
	if (whole) {
		memmove(w->err.s, w->err.s + whole, w->err.len - whole);
		w->err.len -= whole;
	}
	return rc < 0 ? rc : TESTR_OK;
}

/* ---- the work queue ---------------------------------------------------
 *
 * A run hands out work to worker slots.  A slot runs the test command on
 * one batch at a time; when its runner has ended (both pipes at end of
 * file) the batch is accounted for (slot_end) and, unless the plan is
 * static or testr is stopping, the slot starts a fresh runner on the next
 * batch (slot_start), keeping its instance and its worker-N tag.
 *
 * The calls a guard builds on (timeouts, crash recovery, retries):
 *   queue_put_back()  ids to hand out again, before the plan's next batch;
 *   queue_take()      the next batch, put-back ids first;
 *   slot_start()      a fresh runner on a slot, on the next batch;
 *   slot_end()        wait for a slot's runner and account for its batch.
 */

/* Is testr stopping (Ctrl-C)?  Then no slot takes another batch. */
static bool
stopping(const struct testr_run *run)
{
	const volatile sig_atomic_t *stop = run->opts->interrupted;

	if (!stop)
		stop = context_interrupt_flag(run->ctx);
	return stop && *stop;
}

/* Hand @ids out again, before the plan's next batch. */
static int
queue_put_back(struct testr_run *run, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (testr_strv_push(&run->put_back, ids[i]) < 0)
			return TESTR_ENOMEM;
	return TESTR_OK;
}

static bool
queue_empty(const struct testr_run *run)
{
	if (run->expired)
		return true;	/* --run-timeout: nothing more is handed out */
	return run->put_back_next >= run->put_back.n &&
	       (!run->plan || run->next >= testr_sched_batches(run->plan));
}

/* Put-back ids, all in one batch: their keys are already handed out. */
static int
take_put_back(struct testr_run *run, struct testr_strv *out)
{
	for (; run->put_back_next < run->put_back.n; run->put_back_next++)
		if (testr_strv_push(out, run->put_back.v[run->put_back_next]) < 0)
			return TESTR_ENOMEM;
	return TESTR_OK;
}

/* The next batch's ids into @out (empty: the queue is empty). */
static int
queue_take(struct testr_run *run, struct testr_strv *out)
{
	size_t n;
	const size_t *idx;
	int rc = TESTR_OK;

	if (run->put_back_next < run->put_back.n)
		return take_put_back(run, out);
	if (!run->plan || run->next >= testr_sched_batches(run->plan))
		return TESTR_OK;
	idx = testr_sched_batch(&n, run->plan, run->next++);
	/* The set borrows its keys: the plan's ids outlive every batch. */
	for (size_t i = 0; rc == TESTR_OK && i < n; i++)
		rc = idset_add(&run->handed, run->plan_ids->v[idx[i]]);
	for (size_t i = 0; rc == TESTR_OK && i < n; i++)
		rc = testr_strv_push(out, run->plan_ids->v[idx[i]]);
	return rc;
}

/* Between two batches of a slot: everything but its instance and tag. */
static void
worker_recycle(struct testr_run *run, struct worker *w)
{
	if (w->group > 0)
		proc_guard_forget(&run->guard, w->group);
	w->group = 0;
	testr_strv_dispose(&w->extras);
	testr_strv_dispose(&w->failed);
	testr_ingest_free(w->ing);
	w->ing = NULL;
	free(w->command);
	w->command = NULL;
	if (w->cmd.id_file)
		proc_guard_forget_file(&run->guard, w->cmd.id_file);
	testr_command_dispose(&w->cmd);
	pull_feed_dispose(run, w);
}

/* Test @id of @w's batch fails with @what and the runner's last output;
 * it counts as reported.  False (nothing done) when @id is NULL or has
 * already reported. */
static int
blame_id(bool *blamed, struct worker *w, const char *id, const char *what)
{
	struct testr_run *run = w->run;
	char *why;
	int rc;

	*blamed = false;
	if (!id || idset_marked(&run->handed, id))
		return TESTR_OK;
	why = str_printf("%s%s%.*s", what, w->tail.len ? "; the runner's "
			     "last output was:\n" : "\n", (int)w->tail.len,
			     w->tail.s ? w->tail.s : "");
	if (!why)
		return TESTR_ENOMEM;
	idset_mark(&run->handed, id);
	run->reported++;
	*blamed = true;
	rc = synthetic_failure(w, id, why);
	free(why);
	return rc;
}

/* The first id of @w's batch that has not reported; NULL: none. */
static const char *
next_unreported(const struct worker *w)
{
	for (size_t i = 0; i < w->cmd.ids.n; i++)
		if (!idset_marked(&w->run->handed, w->cmd.ids.v[i]))
			return w->cmd.ids.v[i];
	return NULL;
}

/* The ids @w was given and has not reported go back on the queue, to a
 * fresh runner; each once. */
static int
put_back_rest(struct worker *w)
{
	struct testr_run *run = w->run;
	struct idset seen = { 0 };
	int rc = idset_init(&seen);

	for (size_t i = 0; rc == TESTR_OK && i < w->cmd.ids.n; i++) {
		const char *id = w->cmd.ids.v[i];

		if (idset_marked(&run->handed, id) || idset_has(&seen, id))
			continue;
		rc = idset_add(&seen, id);
		if (rc == TESTR_OK)
			rc = queue_put_back(run, &id, 1);
		if (rc == TESTR_OK)
			run->acc.ids--;	/* counted again when handed out */
	}
	idset_dispose(&seen);
	return rc;
}

/*
 * After an interrupt or once the run timed out: every id @w was given and
 * had not reported is stored as a failure saying it was not run, so that
 * the failing set holds it and `testr run --failing` runs it.
 */
static int
report_not_run(struct worker *w, struct testr_run_result *res)
{
	char *why = str_printf("not run: %s before %s reported this test\n",
			       w->run->expired ? "the run timed out "
			       "(--run-timeout, test_run_timeout)" :
			       "testr was interrupted", w->tag);
	int rc = why ? TESTR_OK : TESTR_ENOMEM;

	for (size_t i = 0; rc == TESTR_OK && i < w->cmd.ids.n; i++) {
		const char *id = w->cmd.ids.v[i];

		if (idset_marked(&w->run->handed, id))
			continue;
		idset_mark(&w->run->handed, id);
		res->not_run++;
		rc = synthetic_failure(w, id, why);
	}
	free(why);
	return rc;
}

/* What a test stopped for @w->why fails with (malloc'd; NULL: no memory). */
static char *
timeout_text(const struct worker *w)
{
	const struct testr_run *run = w->run;

	if (w->why == STOP_RUN)
		return str_printf("%s: the run timed out after %g s "
				  "(--run-timeout, test_run_timeout) while this "
				  "test was in progress; testr stopped the runner",
				  w->tag, run->run_timeout);
	if (w->why == STOP_IDLE)
		return str_printf("%s: no output for %g s (--idle-timeout, "
				  "test_idle_timeout)%s; testr stopped the "
				  "runner", w->tag, run->idle_timeout,
				  w->current ? " while this test was in "
				  "progress" : " before this test, the first "
				  "of its batch not yet reported, had started");
	return str_printf("%s: this test timed out after %g s (%s); testr "
			  "stopped the runner", w->tag, w->limit,
			  run->auto_timeout ? "--timeout auto: its limit from "
			  "its recorded durations" : "--timeout, test_timeout");
}

/* testr stopped @w's runner (see @w->why): the test in progress fails
 * (for a silent runner with none, the first id of the batch not yet
 * reported).  The rest of the batch is handed out again; once the run
 * timed out, it fails as not run instead. */
static int
blame_timeout(struct worker *w)
{
	struct testr_run *run = w->run;
	const char *id = w->current || w->why != STOP_IDLE ? w->current :
			 next_unreported(w);
	char *what = timeout_text(w);
	bool blamed = false;
	int rc = what ? blame_id(&blamed, w, id, what) : TESTR_ENOMEM;

	free(what);
	/* A runner that chose its own tests leaves no list of the rest, and
	 * one silent with no test to blame (after its last result) is at
	 * fault itself: its stop fails the run as process-returncode. */
	if (rc == TESTR_OK && (w->cmd.ids.n == 0 ||
			       (!blamed && w->why == STOP_IDLE) ||
			       (run->draining && !run->expired)))
		rc = report_worker_status(w);
	if (rc == TESTR_OK && run->expired)
		return report_not_run(w, &run->acc);
	if (rc == TESTR_OK && run->draining)
		return report_missing(w, &run->acc);
	return rc == TESTR_OK ? put_back_rest(w) : rc;
}

/* Has @w's batch ids not reported yet? */
static bool
unreported(const struct worker *w)
{
	return next_unreported(w) != NULL;
}

/* Did @w's runner die (non-zero exit, signal) with ids of its batch not
 * reported?  Then a fresh runner may take them over. */
static bool
died_mid_batch(const struct worker *w)
{
	return (w->status.exit_code != 0 || w->status.signal != 0) &&
	       unreported(w);
}

/* May the rest of @w's batch go to a fresh runner? */
static bool
may_restart(const struct worker *w)
{
	return !w->run->draining && w->restarts < w->run->max_restarts &&
	       w->cmd.ids.n > 0;
}

/*
 * Blame @w's runner's death on a test: the one in progress; else, when
 * the runner reported results before dying between two tests, the first
 * of its batch not reported (the next it would have run, for a runner
 * that runs its ids in order).  A runner that died before reporting
 * anything blames nothing: it is broken, not crashing on a test.  One
 * whose stream ended inside a test has its death blamed already (the
 * parser failed that test): *@blamed, and nothing more.
 */
static int
blame_death(bool *blamed, struct worker *w, const char *status)
{
	bool between = !w->current && w->done_ids > 0 && may_restart(w);
	char *what;
	int rc;

	/* Its stream ended inside a test: the parser failed that one (lost
	 * connection), and the next was never started. */
	*blamed = w->died_in_test;
	if (*blamed)
		return TESTR_OK;
	what = str_printf(between ? "%s ended with %s before reporting this "
			  "test, the first of its batch not yet reported (no "
			  "test was in progress)" : "%s ended with %s while "
			  "this test was in progress", w->tag, status);
	if (!what)
		return TESTR_ENOMEM;
	rc = blame_id(blamed, w, between ? next_unreported(w) : w->current,
		      what);
	free(what);
	return rc;
}

/* @w's runner died mid-batch: a test is blamed (blame_death()), with the
 * exit status and the runner's last output; the runner's death fails the
 * run (process-returncode); when a test was blamed, within the restart
 * budget, the rest of the batch goes to a fresh runner (so each fresh
 * runner starts past a blamed test), else it fails as never reported. */
static int
blame_crash(struct worker *w)
{
	char status[96];
	bool blamed = false;
	int rc;

	proc_status_describe(&w->status, status, sizeof(status));
	rc = blame_death(&blamed, w, status);
	if (rc == TESTR_OK)
		rc = report_worker_status(w);
	if (rc == TESTR_OK && blamed && may_restart(w)) {
		w->restarts++;
		return put_back_rest(w);
	}
	return rc == TESTR_OK ? report_missing(w, &w->run->acc) : rc;
}

/* ---- retries and --max-failures: the queue --------------------------- */

static int slot_start(struct testr_run *run, struct worker *w);

static bool pulling(const struct testr_run *run);

/* Where a retry of @w's failure must not run: its slot, or in pull mode,
 * where a slot's runner lives on, that runner. */
static size_t
retry_origin(const struct worker *w)
{
	return pulling(w->run) ? w->serial : w->number;
}

/* Put @id, failed on slot (pull mode: runner) @from, on the retry queue. */
static int
retry_push(struct testr_run *run, const char *id, size_t from)
{
	if (array_reserve(&run->retry_from, &run->retry_cap,
			  run->retries.n + 1, sizeof(*run->retry_from), 16) ||
	    testr_strv_push(&run->retries, id) < 0)
		return TESTR_ENOMEM;
	run->retry_from[run->retries.n - 1] = from;
	idset_bump(&run->handed, id);
	run->acc.retried++;
	return TESTR_OK;
}

/* The ids that failed on @w's runner with retries left go on the retry
 * queue, unless the run is ending or withholding work: then their
 * failure is final. */
static int
queue_retries(struct testr_run *run, struct worker *w)
{
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < w->failed.n; i++) {
		if (run->draining || stopping(run) || withholding(run))
			run->failures++;
		else
			rc = retry_push(run, w->failed.v[i], retry_origin(w));
	}
	testr_strv_dispose(&w->failed);
	return rc;
}

/* Is a retry waiting that did not fail on slot @w? */
static bool
retry_for(const struct testr_run *run, const struct worker *w)
{
	for (size_t i = 0; i < run->retries.n; i++)
		if (run->retry_from[i] != retry_origin(w))
			return true;
	return false;
}

/* The retries @w may take into @out, @max at most: those that failed on
 * another slot; its own only when it is the only slot.  (Another slot
 * takes them when its runner ends, or, idle, is woken for them:
 * wake_slots().)  In pull mode: those that failed on another runner. */
static int
take_retries(struct testr_run *run, struct worker *w, struct testr_strv *out,
	     size_t max)
{
	bool own = run->n_workers <= 1 && !pulling(run);
	size_t kept = 0, taken = 0;
	int rc = TESTR_OK;

	for (size_t i = 0; i < run->retries.n; i++) {
		char *id = run->retries.v[i];

		if (rc == TESTR_OK && taken < max &&
		    (own || run->retry_from[i] != retry_origin(w))) {
			taken++;
			rc = testr_strv_push(out, id);
			/* Expected again; handed out (and counted) once. */
			idset_unmark(&run->handed, id);
			run->acc.ids--;
			free(id);
			continue;
		}
		run->retry_from[kept] = run->retry_from[i];
		run->retries.v[kept++] = id;
	}
	run->retries.n = kept;
	return rc;
}

/* The next work for slot @w into @out (empty: none for it): retries
 * first, then, unless --max-failures withholds it, the queue. */
static int
slot_take(struct testr_run *run, struct worker *w, struct testr_strv *out)
{
	int rc;

	if (withholding(run))
		return TESTR_OK;
	rc = take_retries(run, w, out, SIZE_MAX);
	return rc < 0 || out->n ? rc : queue_take(run, out);
}

/* Retries wait: start the slots that sit idle (their runner ended) on
 * them, before @w, whose failures they mostly are, takes any. */
static int
wake_slots(struct testr_run *run, struct worker *w)
{
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < run->n_workers; i++) {
		struct worker *v = &run->workers[i];

		if (!run->retries.n)
			break;
		if (v != w && v->ended && v->proc.pid <= 0 && retry_for(run, v))
			rc = slot_start(run, v);
	}
	return rc;
}

/*
 * --max-failures withheld work: every id never handed out (the queue's
 * rest) is reported, on @w, as a failure saying it was not run, so that
 * the failing set holds it and nothing looks passed that did not run.
 */
static int
report_withheld(struct testr_run *run, struct worker *w,
		struct testr_run_result *res)
{
	struct testr_strv rest = TESTR_STRV_INIT;
	char *why = NULL;
	int rc = TESTR_OK;

	while (rc == TESTR_OK && !queue_empty(run))
		rc = queue_take(run, &rest);
	if (rc == TESTR_OK && rest.n) {
		res->stopped = true;
		why = str_printf("not run: testr stopped handing out tests "
				 "after %zu failed (--max-failures, "
				 "test_max_failures)\n", run->failures);
		rc = why ? TESTR_OK : TESTR_ENOMEM;
	}
	for (size_t i = 0; rc == TESTR_OK && i < rest.n; i++) {
		if (idset_marked(&run->handed, rest.v[i]))
			continue;
		idset_mark(&run->handed, rest.v[i]);
		res->not_run++;
		rc = synthetic_failure(w, rest.v[i], why);
	}
	free(why);
	testr_strv_dispose(&rest);
	return rc;
}

/* Wait for the runner of @w and account for its batch: its exit status,
 * and the ids it was given and never reported. */
static int
slot_end(struct testr_run *run, struct worker *w)
{
	bool was = run->finishing;
	int rc;

	proc_wait(&w->proc, &w->status);	/* also closes the pipes */
	w->ended = true;
	run->acc.failed_workers += w->status.exit_code != 0 ||
				   w->status.signal != 0;
	/* What testr makes up is not counted as reported by a worker. */
	run->finishing = true;
	if (w->timed_out) {
		rc = blame_timeout(w);
	} else if (died_mid_batch(w)) {
		rc = blame_crash(w);
	} else {
		rc = report_worker_status(w);
		if (rc == TESTR_OK)
			rc = report_missing(w, &run->acc);
	}
	run->finishing = was;
	return rc == TESTR_OK ? queue_retries(run, w) : rc;
}

/* ---- pull mode ----------------------------------------------------------
 *
 * A runner that opts in (test_feed = stdin or fifo) reads its ids one per
 * line as it goes: one runner per worker slot, fed whole groups from the
 * plan (longest first) while fewer than PULL_WINDOW of its ids are
 * unfinished, so that it never waits for its next id and no slot holds
 * more than it can start soon.  Once the queue is empty and the runner has
 * finished what it was fed, its feed is closed and it exits.  A runner
 * that ends before that is accounted for as any other (slot_end: the test
 * in progress blamed, the rest put back within --max-restarts); its slot
 * pulls on with a fresh runner when it was restarted or timed out, or
 * stopped cleanly after finishing something (a runner that recycles
 * itself every N tests).
 *
 * --retry: a test that fails with retries left is no longer its runner's
 * to account for; it waits on the retry queue for another runner: one
 * still reading (with room in its window), else an idle slot woken for
 * it, else a fresh runner on its own slot once its runner has ended.
 */

/* Ids fed to a runner and not yet finished, at most (one group may be more). */
#define PULL_WINDOW 2

/*
 * A runner is fed its next id while its current test runs only when what
 * it holds unfinished is estimated under PULL_LOOKAHEAD seconds.  An id in
 * a runner's pipe is committed to it: fed behind a long test it waits for
 * that test while other workers free up (heavy400's 2 s test had the
 * tenth longest fed behind it: 2.39 s for a 2.0 s bound).  Behind a test
 * this long, the next id is written once it finishes, for one round trip
 * (about 0.1 ms, under 1% of the test); shorter tests are fed ahead so
 * that their runner never waits.  An id with no estimate (a first run)
 * counts as the mean of the tests this run has finished (none yet: 0).
 */
#define PULL_LOOKAHEAD 0.02

/* Nothing more to hand out: the queue is empty, or --max-failures
 * withholds the rest. */
static bool
queue_done(const struct testr_run *run)
{
	return queue_empty(run) || withholding(run);
}

static bool
pulling(const struct testr_run *run)
{
	return run->plan && testr_sched_mode(run->plan) == TESTR_SCHED_PULL;
}

/* Is a retry waiting that a runner may still be given? */
static bool
pull_retry_waiting(const struct testr_run *run)
{
	return run->retries.n > 0 && !withholding(run) && !stopping(run) &&
	       !run->expired && !run->draining;
}

/* Is there work for @w's runner: a retry of another runner's, or the
 * queue's? */
static bool
pull_work_for(const struct testr_run *run, const struct worker *w)
{
	return (pull_retry_waiting(run) && retry_for(run, w)) ||
	       !queue_done(run);
}

static size_t
pull_outstanding(const struct worker *w)
{
	return w->cmd.ids.n - w->fed_done;
}

/* May @w's runner be fed another id, holding at most @window unfinished? */
static bool
pull_wants(const struct worker *w, size_t window)
{
	const struct testr_run *run = w->run;
	double unknown = run->ran_n ? run->ran_secs / (double)run->ran_n : 0;
	double secs = 0;

	if (pull_outstanding(w) == 0)
		return true;
	if (pull_outstanding(w) >= window)
		return false;
	for (size_t k = w->fed_done; k < w->cmd.ids.n; k++)
		secs += w->fed_secs[k] > 0 ? w->fed_secs[k] : unknown;
	return secs < PULL_LOOKAHEAD;
}

/* An id holding a newline cannot travel as one line: it fails unfed. */
static int
pull_refuse(struct worker *w, const char *id)
{
	char q[160];
	char *why = str_printf("test id %s holds a newline, which the pull "
			       "feed (one id per line) cannot carry: it was "
			       "not run\n",
			       testr_quote(q, sizeof(q), id, strlen(id)));
	int rc;

	if (!why)
		return TESTR_ENOMEM;
	context_log(w->run->ctx, TESTR_LOG_ERROR, "%.*s",
		    (int)strlen(why) - 1, why);
	w->pulling = false;	/* testr's own result: no progress */
	rc = synthetic_failure(w, id, why);
	w->pulling = true;
	/* No retry: no runner can be fed it. */
	if (w->failed.n && strcmp(w->failed.v[w->failed.n - 1], id) == 0)
		free(w->failed.v[--w->failed.n]);
	free(why);
	return rc;
}

/* Write @id, estimated @secs seconds, to @w's runner; cmd.ids lists what
 * it was fed, fed_secs their estimates. */
static int
pull_write(struct worker *w, const char *id, double secs)
{
	struct testr_context *ctx = w->run->ctx;
	char q[256];
	int rc;

	if (strchr(id, '\n'))
		return pull_refuse(w, id);
	if (log_wants(ctx, TESTR_LOG_DEBUG))
		context_log(ctx, TESTR_LOG_DEBUG, "pull: %s <- %s", w->tag,
			    testr_quote(q, sizeof(q), id, strlen(id)));
	if (array_reserve(&w->fed_secs, &w->fed_cap, w->cmd.ids.n + 1,
			  sizeof(*w->fed_secs), 16) < 0)
		return TESTR_ENOMEM;
	w->fed_secs[w->cmd.ids.n] = secs;
	rc = testr_strv_push(&w->cmd.ids, id);
	if (rc == TESTR_OK)
		rc = feed_write(&w->feed, id);
	w->run->acc.ids++;
	w->run->n_handed++;
	return rc;
}

/* The estimated seconds of the group queue_take() gives next: the plan's
 * (each group its own batch in pull mode); 0 (none) for ids put back and
 * for a plan made with no duration known, whose seconds are a guess. */
static double
pull_next_seconds(const struct testr_run *run)
{
	if (run->put_back_next < run->put_back.n || sched_blind(run->plan))
		return 0;
	return testr_sched_batch_seconds(run->plan, run->next);
}

/* Is @w's runner still reading what testr writes? */
static bool
pull_open(const struct worker *w)
{
	return w->pulling && w->feed.fd >= 0 && !w->feed.closing &&
	       !w->feed.broken && w->proc.pid > 0;
}

/*
 * With --retry, may a test another runner holds unfinished still fail and
 * need a runner other than its own?  Then @w's runner, idle, stays open
 * for it (a retry waits for no fresh runner's start-up), and whatever
 * order testr reads the runners' results in, a failure read after
 * another runner's last result still finds that runner reading.  The
 * pump's tick closes it once nothing is unfinished elsewhere.
 */
static bool
pull_retry_possible(const struct testr_run *run, const struct worker *w)
{
	if (run->retry == 0 || withholding(run) || stopping(run) ||
	    run->expired || run->draining)
		return false;
	for (size_t i = 0; i < run->n_workers; i++) {
		const struct worker *v = &run->workers[i];

		if (v != w && pull_open(v) && pull_outstanding(v) > 0)
			return true;
	}
	return false;
}

/*
 * Keep @w's runner @window ids ahead, a group at a time; once the queue is
 * empty and the runner has finished everything, close its feed.
 */
static int
pull_feed_upto(struct testr_run *run, struct worker *w, size_t window)
{
	int rc = feed_flush(&w->feed);

	while (rc == TESTR_OK && pull_open(w) && !stopping(run) &&
	       pull_wants(w, window) && pull_work_for(run, w)) {
		struct testr_strv group = TESTR_STRV_INIT;
		double secs = 0;

		if (pull_retry_waiting(run) && retry_for(run, w)) {
			rc = take_retries(run, w, &group, 1);
		} else {
			secs = pull_next_seconds(run);
			rc = queue_take(run, &group);
		}
		for (size_t i = 0; rc == TESTR_OK && i < group.n; i++)
			rc = pull_write(w, group.v[i], secs / (double)group.n);
		testr_strv_dispose(&group);
	}
	if (rc == TESTR_OK && pull_open(w) && !pull_work_for(run, w) &&
	    pull_outstanding(w) == 0 && !pull_retry_possible(run, w))
		feed_close(&w->feed);
	return rc;
}

static int
pull_feed(struct testr_run *run, struct worker *w)
{
	return pull_feed_upto(run, w, PULL_WINDOW);
}

/* Every runner still reading: flush, and feed ids put back. */
static int
pull_feed_all(struct testr_run *run)
{
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < run->n_workers; i++)
		if (run->workers[i].pulling && !run->workers[i].ended)
			rc = pull_feed(run, &run->workers[i]);
	return rc;
}

/* Expand and wrap @w's pull command, with a fresh feed. */
static int
pull_prepare(struct testr_run *run, struct worker *w)
{
	struct testr_command_options co = TESTR_COMMAND_OPTIONS_INIT;
	const char *kind = testr_config_get(run->cfg, "test_feed");
	bool fifo = kind && strcmp(kind, "fifo") == 0;
	int rc;

	co.args = run->opts->args;
	co.n_args = run->opts->n_args;
	rc = feed_open(&w->feed, run->ctx, fifo ? FEED_FIFO : FEED_STDIN,
		       NULL);
	/* testr SIGKILLed: the guardian removes the pipe, then its directory. */
	if (rc == TESTR_OK && w->feed.path) {
		proc_guard_add_file(&run->guard, w->feed.path);
		proc_guard_add_file(&run->guard, w->feed.dir);
	}
	if (rc == TESTR_OK)
		rc = command_pull(&w->cmd, run->ctx, run->cfg, &co,
				  w->feed.path);
	if (rc == TESTR_OK)
		rc = worker_decoder(w, run->ctx, run->cfg);
	/* A slot keeps its instance from runner to runner. */
	if (rc == TESTR_OK && run->pool && !w->instance)
		rc = testr_pool_obtain(&w->instance, run->pool, run->n_workers);
	if (rc == TESTR_OK)
		rc = wrap_for_instance(&w->command, run->pool, w->instance,
				       w->cmd.command, NULL);
	return rc;
}

/*
 * A fresh pull-mode runner on slot @w, fed its first group at once (the
 * rest of its window at its first word, so that the slots starting
 * together each get a group first).
 */
static int
pull_slot_start(struct testr_run *run, struct worker *w)
{
	int rc;

	if (w->ing)
		worker_recycle(run, w);
	worker_reset(w);
	w->pulling = true;
	w->fed_done = w->results = 0;
	w->serial = run->n_runners++;
	rc = pull_prepare(run, w);
	if (rc == TESTR_OK)
		rc = worker_spawn(run, w, w->feed.child_fd);
	feed_spawned(&w->feed);
	if (rc == TESTR_OK)
		rc = pull_feed_upto(run, w, 1);
	if (rc == TESTR_OK) {
		run->fds[w->number] = w->proc.out_fd;
		run->fds[run->n_workers + w->number] = w->proc.err_fd;
	}
	return rc;
}

/*
 * The ids fed to @w's runner that it never started go back to the queue,
 * and are no longer its to account for: all it did not report, but with
 * @keep_first the first of them (a runner takes its ids in order: that is
 * the one it was in).
 */
static int
pull_take_back(struct worker *w, bool keep_first)
{
	struct testr_strv kept = TESTR_STRV_INIT;
	struct testr_run *run = w->run;
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < w->cmd.ids.n; i++) {
		const char *id = w->cmd.ids.v[i];

		if (idset_marked(&run->handed, id) || keep_first) {
			keep_first &= idset_marked(&run->handed, id);
			w->fed_secs[kept.n] = w->fed_secs[i];
			rc = testr_strv_push(&kept, id);
		} else if ((rc = queue_put_back(run, &id, 1)) == TESTR_OK) {
			run->acc.ids--;	/* counted again when fed */
		}
	}
	testr_strv_dispose(&w->cmd.ids);
	w->cmd.ids = kept;
	return rc;
}

/* A runner takes its ids in order: with no test in progress, the first
 * it was fed and did not finish is the one it died in. */
static int
pull_find_current(struct worker *w)
{
	for (size_t i = 0; !w->current && i < w->cmd.ids.n; i++)
		if (!idset_marked(&w->run->handed, w->cmd.ids.v[i]) &&
		    !(w->current = strdup(w->cmd.ids.v[i])))
			return TESTR_ENOMEM;
	return TESTR_OK;
}

static bool
ended_well(const struct worker *w)
{
	return w->status.exit_code == 0 && w->status.signal == 0;
}

/*
 * Account for @w's ended runner (slot_end) and say whether its slot pulls
 * on with a fresh one:
 *   timed out: its test fails, the rest goes back; yes;
 *   exit 0 before its feed was closed (a runner that recycles itself):
 *     what it did not report was never read and goes back; yes if it
 *     finished something and reported nothing it was not fed;
 *   died after printing something: the test in progress (else the first
 *     one unfinished) fails, the rest goes back; yes;
 *   died before printing anything: everything goes back; yes within
 *     --max-restarts such start-up failures per slot.
 */
static int
pull_account(struct testr_run *run, struct worker *w, bool early, bool *again)
{
	int rc = TESTR_OK;

	*again = true;
	if (w->timed_out) {
		/* slot_end() blames it and puts the rest back. */
	} else if (ended_well(w) && !w->current) {
		if (early)
			rc = pull_take_back(w, false);
		/* (Not early: only for retries, as pull_slot_done() says.) */
		*again = (!early || w->results > 0) && w->extras.n == 0;
	} else if (w->died_in_test) {
		/* The parser failed the test it died in: the rest was never
		 * started. */
		rc = pull_take_back(w, false);
	} else if (ended_well(w) || w->heard) {
		rc = pull_find_current(w);
		if (rc == TESTR_OK)
			rc = pull_take_back(w, true);
	} else {
		rc = pull_take_back(w, false);
		*again = w->start_failures++ < run->max_restarts;
	}
	return rc == TESTR_OK ? slot_end(run, w) : rc;
}

/*
 * Both pipes of @w's runner are at end of file: account for it, hand
 * what it gave back to the runners still reading, and pull on with a
 * fresh runner on this slot (pull_account() says when).
 */
static int
pull_slot_done(struct testr_run *run, struct worker *w)
{
	bool early = !w->feed.closing, again;
	int rc;

	pull_feed_dispose(run, w);
	if (stopping(run))
		return TESTR_OK;
	proc_wait(&w->proc, &w->status);
	rc = pull_account(run, w, early, &again);
	if (w->extras.n > 0)
		context_log(run->ctx, TESTR_LOG_WARNING, "%s reported tests it "
			    "was not fed: does its runner read its ids as "
			    "test_feed says?", w->tag);
	if (rc == TESTR_OK)
		rc = pull_feed_all(run);
	if (rc == TESTR_OK && again &&
	    (!queue_done(run) || pull_retry_waiting(run)))
		rc = pull_slot_start(run, w);
	return rc;
}

/* Drop @id, which @w's runner reported, from the ids it answers for. */
static void
pull_forget(struct worker *w, const char *id)
{
	struct testr_strv *ids = &w->cmd.ids;

	for (size_t k = 0; k < ids->n; k++) {
		if (strcmp(ids->v[k], id) != 0)
			continue;
		free(ids->v[k]);
		memmove(&ids->v[k], &ids->v[k + 1],
			(ids->n - k - 1) * sizeof(*ids->v));
		memmove(&w->fed_secs[k], &w->fed_secs[k + 1],
			(ids->n - k - 1) * sizeof(*w->fed_secs));
		ids->n--;
		w->fed_done -= k < w->fed_done;
		return;
	}
}

/* A slot whose runner has ended and may run another: woken for a retry. */
static bool
pull_idle(const struct worker *w)
{
	return w->ended && w->proc.pid <= 0 && w->heard && w->extras.n == 0;
}

/*
 * The tests @w's runner failed with retries left go on the retry queue,
 * no longer its own; the runners still reading take them as they have
 * room, and idle slots are started for what is left.
 */
static int
pull_retry(struct testr_run *run, struct worker *w)
{
	int rc;

	for (size_t i = 0; i < w->failed.n; i++)
		pull_forget(w, w->failed.v[i]);
	rc = queue_retries(run, w);
	if (rc == TESTR_OK)
		rc = pull_feed_all(run);
	for (size_t i = 0; rc == TESTR_OK && i < run->n_workers; i++) {
		struct worker *v = &run->workers[i];

		if (!pull_retry_waiting(run))
			break;
		if (pull_idle(v) && retry_for(run, v))
			rc = pull_slot_start(run, v);
	}
	return rc;
}

/*
 * Every runner has stopped and the queue still holds ids (their restart
 * budgets spent): each fails as not run, once.
 */
static int
pull_fail_rest(struct testr_run *run, struct testr_run_result *res)
{
	struct testr_strv rest = TESTR_STRV_INIT;
	struct worker *w = NULL;
	char *why;
	int rc = TESTR_OK;

	for (size_t i = 0; i < run->n_workers; i++)
		if (run->workers[i].ing)
			w = &run->workers[i];
	if (!pulling(run) || !w || queue_empty(run))
		return TESTR_OK;
	why = str_printf("not run: every pull-mode runner had stopped, the "
			 "last ones failing to start (--max-restarts %zu)\n",
			 run->max_restarts);
	while (rc == TESTR_OK && why && !queue_empty(run))
		rc = queue_take(run, &rest);
	for (size_t i = 0; rc == TESTR_OK && why && i < rest.n; i++) {
		if (idset_marked(&run->handed, rest.v[i]))
			continue;
		idset_mark(&run->handed, rest.v[i]);
		res->missing++;
		res->ids++;
		rc = synthetic_failure(w, rest.v[i], why);
	}
	testr_strv_dispose(&rest);
	free(why);
	return why ? rc : TESTR_ENOMEM;
}

/* Ctrl-C: no runner is fed any more; each reads end of file. */
static void
pull_stop_feeds(struct testr_run *run)
{
	for (size_t i = 0; i < run->n_workers; i++)
		pull_feed_dispose(run, &run->workers[i]);
}

/*
 * A fresh runner on slot @w for the next batch of the queue; nothing when
 * the queue is empty.  A batch whose ids were all refused runs nothing
 * and is accounted for at once.
 */
static int
slot_start(struct testr_run *run, struct worker *w)
{
	int rc = TESTR_OK;

	if (pulling(run))
		return pull_slot_start(run, w);
	while (rc == TESTR_OK) {
		struct testr_strv part = TESTR_STRV_INIT;
		bool planned = run->put_back_next >= run->put_back.n;

		rc = slot_take(run, w, &part);
		if (rc == TESTR_OK && part.n == 0) {
			testr_strv_dispose(&part);
			break;	/* nothing for this slot */
		}
		if (w->ing)
			worker_recycle(run, w);
		if (planned)
			w->restarts = 0;	/* not the rest of a batch */
		/* Instances for the slots that get work (n_workers), not for
		 * every worker the concurrency allows. */
		if (rc == TESTR_OK)
			rc = worker_start(run, w, run->cfg, &part, run->n_workers);
		testr_strv_dispose(&part);
		if (rc < 0 || w->proc.pid > 0)
			break;
		rc = slot_end(run, w);
	}
	if (rc == TESTR_OK && w->proc.pid > 0) {
		run->fds[w->number] = w->proc.out_fd;
		run->fds[run->n_workers + w->number] = w->proc.err_fd;
	}
	return rc;
}

/* Both pipes of @w's runner are at end of file: in a queue, account for
 * its batch and start the next; a static plan is accounted at the end. */
static int
slot_done(struct testr_run *run, struct worker *w)
{
	/* With retries, every plan accounts for a runner as it ends, so
	 * that its failures run again while the others work. */
	bool resume = w->timed_out || (may_restart(w) && unreported(w)) ||
		      run->retry > 0;
	int rc;

	/* Stopping, or out of time: finish_workers() accounts for it. */
	if (pulling(run) && !run->expired)
		return pull_slot_done(run, w);
	if (stopping(run) || run->expired || (!resume && (!run->plan ||
	    testr_sched_mode(run->plan) == TESTR_SCHED_STATIC)))
		return TESTR_OK;
	rc = slot_end(run, w);
	if (rc == TESTR_OK)
		rc = wake_slots(run, w);
	if (rc == TESTR_OK)
		rc = slot_start(run, w);
	return rc;
}

/*
 * How much later each runner of the first wave (@n slots, spawned one
 * after another) started than the one before: the slope, through the
 * first, of spawn time against position (least squares).  The parent
 * waits for each child's exec, which waits for a CPU while the runners
 * spawned before it start up, so this is where the stagger shows;
 * their first output cannot tell, as it is read only after the last
 * spawn.  Negative when a slot started no runner.
 */
static double
wave_stagger(const struct testr_run *run, size_t n)
{
	const struct timespec *t0 = &run->workers[0].spawned;
	double num = 0, den = 0;

	if (n < 2)
		return -1;
	for (size_t k = 0; k < n; k++) {
		const struct worker *w = &run->workers[k];

		if (w->proc.pid <= 0)
			return -1;
		num += (double)k * ((double)(w->spawned.tv_sec - t0->tv_sec) +
				    (double)(w->spawned.tv_nsec - t0->tv_nsec) /
				    1e9);
		den += (double)k * (double)k;
	}
	return fmax(num / den, 0);
}

/* The first wave of @n runners is spawned: keep its stagger now, while
 * they start, rather than after the last one ends. */
static void
tell_stagger(struct testr_run *run, size_t n)
{
	double stagger = wave_stagger(run, n);

	if (stagger >= 0)
		keep_stagger(run->ctx, run->cfg, run->opts, stagger);
}

/* One slot per worker (a static plan: one per batch), each on a batch. */
static int
start_planned(struct testr_run *run)
{
	size_t nb = testr_sched_batches(run->plan);
	size_t slots = testr_sched_workers(run->plan);
	int rc = TESTR_OK;

	if (testr_sched_mode(run->plan) == TESTR_SCHED_STATIC || nb < slots)
		slots = nb;
	for (size_t i = 0; i < slots; i++) {
		run->workers[i].run = run;
		run->workers[i].number = run->n_workers++;
	}
	for (size_t i = 0; rc == TESTR_OK && i < slots; i++)
		rc = slot_start(run, &run->workers[i]);
	if (rc == TESTR_OK)
		tell_stagger(run, slots);
	if (rc == TESTR_OK && pulling(run))
		rc = pull_feed_all(run);
	return rc;
}

static int
start_plan(struct testr_run **out, struct testr_context *ctx,
	   const struct testr_config *cfg, struct testr_pool *pool,
	   const struct testr_sched *plan, const struct testr_strv *ids,
	   const struct testr_run_options *opts, struct proc_guard *early)
{
	size_t nb = testr_sched_batches(plan), nw = testr_sched_workers(plan);
	int rc = run_alloc(out, ctx, cfg, pool, opts, nb < nw ? nb : nw, early);

	if (rc == TESTR_OK) {
		(*out)->cfg = cfg;
		(*out)->plan = plan;
		(*out)->plan_ids = ids;
		rc = idset_reserve(&(*out)->handed, ids ? ids->n : 0);
		if (rc == TESTR_OK)
			rc = auto_limits(*out, ids);
	}
	if (rc == TESTR_OK)
		rc = start_planned(*out);
	if (rc == TESTR_ENOMEM)
		context_fail(ctx, rc, "out of memory starting the test workers");
	if (rc < 0) {
		testr_run_free(*out);
		*out = NULL;
	}
	return rc;
}

TESTR_API int
testr_run_start_plan(struct testr_run **out, struct testr_context *ctx,
		     const struct testr_config *cfg, struct testr_pool *pool,
		     const struct testr_sched *plan,
		     const struct testr_strv *ids,
		     const struct testr_run_options *opts)
{
	return start_plan(out, ctx, cfg, pool, plan, ids, opts, NULL);
}

static void tell_startup(struct testr_run *run);

/*
 * One list per worker, no retries: every runner the run starts (but for a
 * crashed one's restart) is in its first wave, so once each has been heard
 * from, the start-up is measured.  Keeping it then, while they work, takes
 * its write off the end of the run.
 */
static bool
startups_complete(const struct testr_run *run)
{
	return run->plan && !run->startup_told && run->retry == 0 &&
	       testr_sched_mode(run->plan) == TESTR_SCHED_STATIC;
}

/* Spawn to first output: the runner's start-up cost. */
static void
note_heard(struct testr_run *run, struct worker *w)
{
	struct timespec t;
	double *v;

	w->heard = true;
	clock_gettime(CLOCK_MONOTONIC, &t);

	v = realloc(run->startups, (run->n_startups + 1) * sizeof(*v));
	if (!v)
		return;		/* a planning hint: not worth failing for */
	run->startups = v;
	v[run->n_startups++] = (double)(t.tv_sec - w->spawned.tv_sec) +
			       (double)(t.tv_nsec - w->spawned.tv_nsec) / 1e9;
	if (run->n_startups == run->n_workers && startups_complete(run)) {
		tell_startup(run);
		run->startup_told = true;
	}
}

/* Descriptor @index: a worker's stdout, or (from n_workers on) stderr. */
static int
pump_data(void *userdata, size_t index, const void *buf, size_t len)
{
	struct testr_run *run = userdata;
	struct worker *w = &run->workers[index % run->n_workers];
	int rc;

	if (len > 0 && index < run->n_workers && !w->heard)
		note_heard(run, w);
	if (len > 0)
		w->last_heard = mono_now();
	run->round_bytes += len;
	if (index >= run->n_workers)
		rc = worker_stderr(run, w, buf, len);
	else if (len == 0) {
		w->at_eof = true;
		rc = testr_ingest_finish(w->ing);
		w->at_eof = false;
	}
	else
		rc = testr_ingest_feed(w->ing, buf, len);
	/* Pull mode: a result just read may make room for the next id, or
	 * be a failure to run again. */
	if (rc == TESTR_OK && len > 0 && index < run->n_workers && w->pulling)
		rc = w->failed.n ? pull_retry(run, w) : pull_feed(run, w);
	if (rc < 0 || len > 0 || --w->open > 0)
		return rc;
	return slot_done(run, w);
}

/* Give stopped workers a moment to exit on SIGTERM, then insist. */
static void
stop_workers(struct testr_run *run)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };

	for (size_t i = 0; i < run->n_workers; i++)
		proc_kill(&run->workers[i].proc, SIGTERM);
	for (int tries = 0; tries < 20; tries++) {
		bool alive = false;

		for (size_t i = 0; i < run->n_workers; i++) {
			struct worker *w = &run->workers[i];

			alive |= w->proc.pid > 0 &&
				 !proc_try_wait(&w->proc, &w->status);
		}
		if (!alive)
			return;
		nanosleep(&pause, NULL);
	}
	for (size_t i = 0; i < run->n_workers; i++)
		proc_kill(&run->workers[i].proc, SIGKILL);
}

/* Seconds between SIGTERM and SIGKILL for a runner that ran out of time. */
#define TIMEOUT_GRACE 2.0

/* Stop @w's runner for @why: SIGTERM to its group now, SIGKILL after
 * TIMEOUT_GRACE; its pipes then reach end of file and slot_end()
 * accounts for it. */
static void
stop_runner(struct worker *w, enum stop_why why, double t)
{
	w->timed_out = true;
	w->why = why;
	w->kill_at = t + TIMEOUT_GRACE;
	proc_kill(&w->proc, SIGTERM);
}

/* Has @w's runner run out of time at @t?  Its test past its limit, or
 * the runner silent for longer than idle_timeout. */
static bool
overdue(const struct worker *w, double t, enum stop_why *why)
{
	double began = (double)w->since.tv_sec +
		       (double)w->since.tv_nsec / 1e9;
	double idle = w->run->idle_timeout;

	*why = w->current && w->limit > 0 && t - began >= w->limit ?
	       STOP_TEST : STOP_IDLE;
	return *why == STOP_TEST || (idle > 0 && t - w->last_heard >= idle);
}

/* The pump's tick: stop every runner past a time limit, each runner when
 * the whole run is, and insist on those that ignore SIGTERM. */
static int
check_deadlines(void *userdata)
{
	struct testr_run *run = userdata;
	double t = mono_now();
	enum stop_why why;

	if (run->run_timeout > 0 && t >= run->run_deadline)
		run->expired = true;
	for (size_t i = 0; i < run->n_workers; i++) {
		struct worker *w = &run->workers[i];

		if (w->proc.pid <= 0 || w->ended)
			continue;
		if (w->timed_out && t >= w->kill_at) {
			proc_kill(&w->proc, SIGKILL);
			w->kill_at = t + 3600;	/* once */
		} else if (!w->timed_out && run->expired) {
			stop_runner(w, STOP_RUN, t);
		} else if (!w->timed_out && overdue(w, t, &why)) {
			stop_runner(w, why, t);
		}
	}
	return TESTR_OK;
}

/*
 * Let the workers' pipes fill before the next poll (proc_pump_settle())
 * only once nothing waits on a result: not when pulling (a runner waits
 * for its next id), nor while batches or retries remain to be handed out
 * (a freed slot takes the next at once).  20,000 zero tests on an idle
 * machine woke testr 1,800 times without it.
 */
static void
coalesce(struct testr_run *run)
{
	if (!pulling(run) && run->retry == 0 && queue_empty(run))
		proc_pump_settle(&run->round_bytes);
	run->round_bytes = 0;
}

/* The pump's tick: pull-mode feeds, a moment for the pipes to fill when
 * nothing waits on a result, then the deadlines. */
static int
run_tick(void *userdata)
{
	struct testr_run *run = userdata;
	int rc = pulling(run) ? pull_feed_all(run) : TESTR_OK;

	coalesce(run);

	return rc == TESTR_OK ? check_deadlines(run) : rc;
}

static int
pump_workers(struct testr_run *run)
{
	size_t n = run->n_workers;

	for (size_t i = 0; i < n; i++) {
		run->fds[i] = run->workers[i].proc.out_fd;
		run->fds[n + i] = run->workers[i].proc.err_fd; /* -1: inherited */
	}
	return proc_pump_ticking(run->ctx, run->fds, 2 * n, pump_data,
				 run_tick, run, run->opts->interrupted);
}

static int
finish_workers(struct testr_run *run, struct testr_run_result *res)
{
	int rc = TESTR_OK;

	run->finishing = true;
	run->draining = true;
	res->tests = run->reported;
	for (size_t i = 0; i < run->n_workers; i++) {
		struct worker *w = &run->workers[i];

		if (w->ended)
			continue;	/* its last batch is reported */
		if (res->interrupted) {
			proc_wait(&w->proc, &w->status);
			if (rc == TESTR_OK)
				rc = report_not_run(w, res);
			continue;
		}
		if (rc == TESTR_OK)
			rc = slot_end(run, w);
	}
	if (rc == TESTR_OK && !res->interrupted)
		rc = pull_fail_rest(run, res);
	if (rc == TESTR_OK && !res->interrupted && withholding(run) &&
	    run->n_workers)
		rc = report_withheld(run, &run->workers[0], res);
	if (run->strays > STRAYS_SHOWN)
		context_log(run->ctx, TESTR_LOG_WARNING, "%zu more tests were "
			  "reported by workers not given them",
			  run->strays - STRAYS_SHOWN);
	res->strays = run->strays;
	return rc;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The run's median start-up cost, to the caller. */
static void
tell_startup(struct testr_run *run)
{
	const struct testr_run_options *o = run->opts;

	if (run->n_startups == 0)
		return;
	qsort(run->startups, run->n_startups, sizeof(double), cmp_double);
	keep_startup(run->ctx, run->cfg, o,
		     run->startups[run->n_startups / 2]);
}

TESTR_API int
testr_run_wait(struct testr_run_result *out, struct testr_run *run)
{
	struct testr_run_result *res = &run->acc;
	int rc, done;

	rc = pump_workers(run);
	if (rc < 0) {
		res->interrupted = rc == TESTR_EINTR;
		pull_stop_feeds(run);
		stop_workers(run);
	}
	done = finish_workers(run, res);
	if (rc == TESTR_OK || (rc == TESTR_EINTR && done < 0))
		rc = done;
	if (rc == TESTR_OK && !run->startup_told)
		tell_startup(run);
	for (size_t i = 0; i < run->n_workers; i++)
		worker_dispose(run, &run->workers[i]);
	if (out)
		*out = *res;
	if (rc == TESTR_EINTR)
		context_fail(run->ctx, rc, "interrupted: the test workers were "
			   "stopped");
	if (rc == TESTR_OK && run->expired)
		rc = context_fail(run->ctx, TESTR_ETIMEDOUT, "the run timed out "
				  "after %g s (--run-timeout, test_run_timeout): "
				  "its runners were stopped", run->run_timeout);
	return rc;
}

TESTR_API void
testr_run_free(struct testr_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->n_workers; i++)
		worker_dispose(run, &run->workers[i]);
	proc_guard_stop(&run->guard);
	idset_dispose(&run->handed);
	free(run->workers);
	free(run->fds);
	free(run->startups);
	testr_strv_dispose(&run->kept);
	testr_strv_dispose(&run->put_back);
	for (size_t i = 0; i < run->n_limits; i++)
		free(run->limits[i].id);
	free(run->limits);
	testr_strv_dispose(&run->retries);
	free(run->retry_from);
	free(run);
}

/* ---- the whole flow ---------------------------------------------------- */

/* Recorded durations for @ids, NAN where none is recorded. */
static int
durations_for(double **out, const struct testr_strv *ids,
	      const struct testr_run_options *opts)
{
	double *t = malloc((ids->n ? ids->n : 1) * sizeof(*t));

	*out = t;
	return t ? model_durations(t, opts, ids) : TESTR_ENOMEM;
}

/* The duration model's estimates for @ids, and their spreads. */
static int
estimates_for(double **out, double **spread, const struct testr_strv *ids,
	      const struct testr_config *cfg,
	      const struct testr_run_options *opts)
{
	size_t n = ids->n ? ids->n : 1;
	struct testr_estimate *e = malloc(n * sizeof(*e));
	int rc = TESTR_OK;

	*out = malloc(n * sizeof(**out));
	*spread = malloc(n * sizeof(**spread));
	if (!*out || !*spread || !e)
		rc = TESTR_ENOMEM;
	if (rc == TESTR_OK)
		rc = model_estimates(e, cfg, opts, ids);
	for (size_t i = 0; rc == TESTR_OK && i < ids->n; i++) {
		(*out)[i] = e[i].seconds;
		(*spread)[i] = e[i].spread;
	}
	free(e);
	return rc;
}

static void
tell_plan(const struct testr_run_options *opts, size_t n_ids,
	  const double *t, size_t workers)
{
	double seconds = 0;

	if (!opts->on_plan)
		return;
	for (size_t i = 0; t && i < n_ids; i++)
		seconds += isnan(t[i]) || t[i] < 0 ? 0 : t[i];
	opts->on_plan(opts->plan_userdata, n_ids, seconds, workers);
}

static void
tell_forecast(const struct testr_run_options *opts,
	      const struct testr_strv *ids, const double *t, size_t workers)
{
	if (!opts->on_forecast)
		return;
	opts->on_forecast(opts->forecast_userdata,
			  ids ? testr_strv_items(ids) : NULL, ids ? t : NULL,
			  ids ? ids->n : 0, workers);
}

/* Plan (and show the plan), run nothing? */
static bool
dry(const struct testr_run_options *opts)
{
	return opts->dry_run;
}

/* Does the runner read its ids as it goes (test_feed stdin or fifo)? */
static bool
runner_pulls(const struct testr_config *cfg)
{
	const char *feed = testr_config_get(cfg, "test_feed");

	return feed && strcmp(feed, "file") != 0;
}

/*
 * How to plan: the caller's mode (a version 1 caller's is STATIC); AUTO
 * follows test_schedule (auto, the default; static; batches), whose
 * values the config loader has checked.
 */
static int
sched_mode(enum testr_sched_mode *out, struct testr_context *ctx,
	   const struct testr_config *cfg, const struct testr_run_options *opts)
{
	const char *v = testr_config_get(cfg, "test_schedule");

	*out = opts->schedule;
	if (*out == TESTR_SCHED_PULL && !runner_pulls(cfg))
		return context_fail(ctx, TESTR_EINVAL, "pull mode needs a "
				    "runner that reads its ids as it goes: "
				    "set test_feed = stdin or fifo in "
				    ".testr.conf");
	if (*out != TESTR_SCHED_AUTO)
		return TESTR_OK;
	if (v && strcmp(v, "static") == 0)
		*out = TESTR_SCHED_STATIC;
	else if (v && strcmp(v, "batches") == 0)
		*out = TESTR_SCHED_BATCHES;
	else if (runner_pulls(cfg))
		*out = TESTR_SCHED_PULL;
	return TESTR_OK;
}

/* One batch of the plan, for testr -v: its ids, each with its estimate. */
static void
log_batch(struct testr_context *ctx, const char *who, const size_t *idx,
	  size_t n, const struct testr_strv *ids, const double *t)
{
	double sum = 0;

	for (size_t i = 0; t && i < n; i++)
		sum += isnan(t[idx ? idx[i] : i]) ? 0 : t[idx ? idx[i] : i];
	context_log(ctx, TESTR_LOG_DEBUG, "plan: %s: %zu tests, %.3f s "
		  "estimated", who, n, sum);
	for (size_t i = 0; i < n; i++) {
		size_t k = idx ? idx[i] : i;

		if (!t || isnan(t[k]))
			context_log(ctx, TESTR_LOG_DEBUG, "plan: %s: %s (no "
				  "estimate)", who, ids->v[k]);
		else
			context_log(ctx, TESTR_LOG_DEBUG, "plan: %s: %s (%.3f s)",
				  who, ids->v[k], t[k]);
	}
}

/* The plan, for testr -v: which ids each batch or worker runs, and the
 * estimates it was made from. */
static void
log_plan(struct testr_context *ctx, const struct testr_sched *s,
	 const struct testr_strv *ids, const double *t)
{
	char who[64];
	size_t n;

	if (!log_wants(ctx, TESTR_LOG_DEBUG))
		return;
	if (!ids) {
		context_log(ctx, TESTR_LOG_DEBUG, "plan: worker 0: every test "
			  "(the runner chooses)");
		return;
	}
	if (!s) {
		log_batch(ctx, "worker 0", NULL, ids->n, ids, t);
		return;
	}
	for (size_t b = 0; b < testr_sched_batches(s); b++) {
		size_t w = testr_sched_batch_worker(s, b);
		const size_t *idx = testr_sched_batch(&n, s, b);

		if (w == TESTR_SCHED_ANY_WORKER)
			snprintf(who, sizeof(who), "batch %zu (any worker)", b);
		else
			snprintf(who, sizeof(who), "batch %zu (worker %zu)", b,
				 w);
		log_batch(ctx, who, idx, n, ids, t);
	}
}

/* Plan @ids (when several workers) and tell the plan. */
static int
plan_run(struct testr_sched **out, struct testr_context *ctx,
	 const struct testr_config *cfg, const struct testr_strv *ids,
	 size_t workers, const struct testr_run_options *opts)
{
	struct testr_sched_options so = TESTR_SCHED_OPTIONS_INIT;
	double *t = NULL, *spread = NULL;
	int rc = TESTR_OK;

	rc = sched_mode(&so.mode, ctx, cfg, opts);
	/* A static plan uses the recorded durations, as testrepository. */
	if (rc < 0)
		return rc;
	if (ids && so.mode != TESTR_SCHED_STATIC && has_estimates(opts))
		rc = estimates_for(&t, &spread, ids, cfg, opts);
	else if (ids)
		rc = durations_for(&t, ids, opts);
	so.group_key = testr_config_group_key;
	so.group_config = cfg;
	so.spread = spread;
	so.startup = opts->startup;
	so.stagger = recorded_stagger(ctx, cfg, opts);
	/* One worker needs no plan, but a dry run shows it, and a runner
	 * that pulls is fed from one. */
	if (rc == TESTR_OK && ids && (workers > 1 || dry(opts) ||
				      so.mode == TESTR_SCHED_PULL))
		rc = testr_sched_new(out, ctx, testr_strv_items(ids),
				     ids->n, t, workers, &so);
	if (rc == TESTR_OK) {
		log_plan(ctx, *out, ids, t);
		tell_plan(opts, ids ? ids->n : 0, t, workers);
		tell_forecast(opts, ids, t, workers);
	}
	if (rc == TESTR_OK && *out && opts->on_schedule)
		opts->on_schedule(opts->schedule_userdata, *out, ids);
	free(t);
	free(spread);
	return rc;
}

/* Keep only the ids of opts->shard, balanced by the durations. */
static int
shard_ids(struct testr_strv *ids, struct testr_context *ctx,
	  const struct testr_config *cfg, const struct testr_run_options *opts)
{
	struct testr_partition_options po = TESTR_PARTITION_OPTIONS_INIT;
	double *t = NULL;
	int rc = durations_for(&t, ids, opts);

	po.group_key = testr_config_group_key;
	po.group_config = cfg;
	if (rc == TESTR_OK)
		rc = testr_shard_select(ids, ctx, t, opts->shard, &po);
	free(t);
	return rc;
}

/* The ids to run: given, or listed (and filtered) when they are needed. */
static int
select_ids(struct testr_strv *ids, bool *known, struct testr_context *ctx,
	   const struct testr_config *cfg, struct testr_pool *pool,
	   const struct testr_run_options *opts, size_t workers)
{
	struct testr_filter *filter = NULL;
	int rc = TESTR_OK;

	*known = opts->ids != NULL;
	for (size_t i = 0; *known && rc == 0 && i < opts->ids->n; i++)
		rc = testr_strv_push(ids, opts->ids->v[i]);
	/* A runner stopped mid-batch has the rest of its ids handed to a
	 * fresh one, and a failed id is retried by its id: with a time limit
	 * or retries, list them when the runner can. */
	if (rc == TESTR_OK && !*known &&
	    (workers > 1 || opts->n_filters || opts->shard || dry(opts) ||
	     ((guarded(cfg, opts) || runner_pulls(cfg) ||
	       retry_of(cfg, opts) > 0) &&
	      testr_config_get(cfg, "test_list_option")))) {
		rc = testr_run_list_tests(ids, ctx, cfg, pool, opts);
		*known = true;
	}
	if (rc == TESTR_OK && *known && opts->n_filters) {
		rc = testr_filter_new(&filter, ctx, opts->filters,
				      opts->n_filters);
		if (rc == TESTR_OK)
			rc = testr_filter_apply(filter, ids);
	}
	testr_filter_free(filter);
	if (rc == TESTR_OK && opts->shard)
		rc = shard_ids(ids, ctx, cfg, opts);
	return rc;
}

TESTR_API int
testr_run_select_ids(struct testr_strv *out, bool *known,
		     struct testr_context *ctx, const struct testr_config *cfg,
		     struct testr_pool *pool,
		     const struct testr_run_options *opts)
{
	struct testr_run_options o;
	int rc = run_options_copy(&o, ctx, opts);

	if (rc == TESTR_OK && o.parallel)
		rc = testr_run_concurrency(&o.concurrency, ctx, o.concurrency,
				testr_config_get(cfg, "test_run_concurrency"));
	if (rc == TESTR_OK)
		rc = select_ids(out, known, ctx, cfg, pool, &o,
				workers_wanted(&o));
	return rc;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * A runner never measured yet (a first run): its listing, just done, was
 * one start-up plus an enumeration, so its wall time bounds the start-up
 * from above.  Planning by it beats assuming start-ups are free (too many
 * batches for a slow interpreter) or a fixed guess (too few for a fast
 * one).
 */
static void
guess_startup(struct testr_run_options *o, const struct timespec *t0,
	      bool listed)
{
	if (listed && !(o->startup >= 0))
		o->startup = seconds_since(t0);
}

TESTR_API int
testr_run_tests(struct testr_run_result *out, struct testr_context *ctx,
		const struct testr_config *cfg, struct testr_pool *pool,
		const struct testr_run_options *opts)
{
	struct testr_run_options o;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_sched *p = NULL;
	struct testr_run *run = NULL;
	struct proc_guard guard = { 0, -1 };
	struct timespec t0;
	bool known;
	int rc = run_options_copy(&o, ctx, opts);

	if (out)
		memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	/*
	 * Fork the guardian first, while the heap is small: after a fork,
	 * each page both processes map costs the parent a copy-on-write
	 * fault on its next write, and the listing, the estimates and the
	 * plan would otherwise all be such pages (1,400 faults for 20,000
	 * ids).
	 */
	if (!dry(&o))
		rc = proc_guard_start(&guard, ctx);
	if (rc == TESTR_OK && o.parallel)
		rc = run_concurrency(&o.concurrency, ctx, o.concurrency,
				testr_config_get(cfg, "test_run_concurrency"),
				testr_config_seconds(cfg,
					"test_run_concurrency_timeout",
					TESTR_CONCURRENCY_TIMEOUT_DEFAULT));
	if (rc == TESTR_OK)
		recorded_startup(&o, ctx, cfg);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (rc == TESTR_OK)
		rc = select_ids(&ids, &known, ctx, cfg, pool, &o,
				workers_wanted(&o));
	guess_startup(&o, &t0, rc == TESTR_OK && known && !o.ids);
	if (rc == TESTR_OK)
		rc = plan_run(&p, ctx, cfg, known ? &ids : NULL,
			      known ? workers_wanted(&o) : 1, &o);
	if (rc == TESTR_OK && dry(&o))
		goto done;	/* the plan was told: nothing runs */
	if (rc == TESTR_OK && p)
		rc = start_plan(&run, ctx, cfg, pool, p, &ids, &o, &guard);
	else if (rc == TESTR_OK)
		rc = start_partition(&run, ctx, cfg, pool, NULL,
				     known ? &ids : NULL, &o, &guard);
	if (rc == TESTR_OK)
		rc = testr_run_wait(out, run);
	if (rc == TESTR_EINTR && out)	/* also before any worker started */
		out->interrupted = true;
	/* Asked for everything and given nothing: not a pass. */
	if (rc == TESTR_OK && out && !o.ids && !o.n_filters && !o.shard)
		out->no_tests = out->tests == 0;
done:
	testr_run_free(run);
	proc_guard_stop(&guard);	/* when no run took it */
	testr_sched_free(p);
	testr_strv_dispose(&ids);
	return rc;
}
