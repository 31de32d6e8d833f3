/*
 * testr run [options] [FILTER...] [-- TESTARGS...]: run the project's tests
 * through the library (lib/run.c), store the run and print its summary as
 * testr last does.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct run_args {
	bool parallel, failing, partial, subunit, until_failure, isolated;
	bool analyze_isolation, static_plan, dry_run, strict;
	size_t concurrency;
	enum cli_color color;
	const char *load_list;
	const char *shard_text;		/* --shard I/N or auto */
	struct testr_shard shard;
	const char **filters;	/* argv's filters, as the library reads them */
	size_t n_filters;
	char **testargs;
	size_t n_testargs;
	double timeout;		/* --timeout; negative: test_timeout */
	bool auto_timeout;	/* --timeout auto */
	double idle_timeout;	/* --idle-timeout; negative: the config's */
	double run_timeout;	/* --run-timeout; negative: the config's */
	int max_restarts;	/* --max-restarts; negative: the default */
	int retry;		/* --retry; negative: test_retry */
	int max_failures;	/* --max-failures; negative: test_max_failures */
};

/* Everything one `testr run` holds, so that every exit path cleans up. */
struct run_session {
	struct testr_context *ctx;
	struct testr_repo *repo;
	struct testr_config *cfg;
	struct testr_pool *pool;
	struct run_args args;
	struct cli_report_args reports;	/* --junit FILE, --json FILE, --ci */
};

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	interrupted = sig;
}

/* SIGINT/SIGTERM only set a flag: the run stops its workers, stores what
 * arrived and disposes of the instances before testr exits. */
static void
catch_signals(struct testr_context *ctx)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* A SIGINT ignored when testr started (a background job of a script)
	 * stays ignored: Ctrl-C aimed at the foreground must not stop it. */
	if (sigaction(SIGINT, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Every wait in the library (callout, provisioning, listing, the
	 * repository lock) ends soon after the flag is raised. */
	testr_context_set_interrupt(ctx, &interrupted);
}

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-')
		return cli_usage_error("run", "--concurrency needs a number, "
				       "not '%s'", s);
	*out = (size_t)v;
	return CLI_EXIT_OK;
}

/* A boolean option's flag in @a, or NULL. */
static bool *
bool_option(struct run_args *a, const char *name)
{
	static const char *const names[] = {
		"parallel", "failing", "partial", "subunit", "until-failure",
		"isolated", "analyze-isolation", "full-results", "static",
		"dry-run", "strict",
	};
	static bool ignored;	/* --full-results: accepted, a no-op */
	bool *flags[] = {
		&a->parallel, &a->failing, &a->partial, &a->subunit,
		&a->until_failure, &a->isolated, &a->analyze_isolation,
		&ignored, &a->static_plan, &a->dry_run, &a->strict,
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return flags[i];
	return NULL;
}

/* --timeout, --idle-timeout, --run-timeout SECONDS: a non-negative
 * number; 0 means no limit. */
static int
parse_seconds(const char *option, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !(v >= 0) || v > 1e9)
		return cli_usage_error("run", "%s needs a number of seconds%s, "
				       "not '%s'", option,
				       strcmp(option, "--timeout") == 0 ?
				       " or auto" : "", s);
	*out = v;
	return CLI_EXIT_OK;
}

/* --timeout SECONDS or --timeout auto (limits from the durations). */
static int
parse_timeout(struct run_args *a, const char *s)
{
	a->auto_timeout = strcmp(s, "auto") == 0;
	return a->auto_timeout ? CLI_EXIT_OK :
	       parse_seconds("--timeout", s, &a->timeout);
}

/* --max-restarts, --retry, --max-failures N: a small non-negative count. */
static int
parse_count(const char *option, const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 0 || v > 1000000)
		return cli_usage_error("run", "%s needs a number, not '%s'",
				       option, s);
	*out = (int)v;
	return CLI_EXIT_OK;
}

/* The options taking a value. */
enum value_opt {
	OPT_CONCURRENCY, OPT_LOAD_LIST, OPT_COLOR, OPT_SHARD, OPT_TIMEOUT,
	OPT_RESTARTS, OPT_IDLE, OPT_RUN_TIMEOUT, OPT_RETRY, OPT_MAX_FAILURES,
	OPT_UNKNOWN
};

/* Which option @arg (up to @len bytes) names. */
static enum value_opt
value_opt_of(const char *arg, size_t len)
{
	static const char *const names[] = {
		"--concurrency", "--load-list", "--color", "--shard",
		"--timeout", "--max-restarts", "--idle-timeout",
		"--run-timeout", "--retry", "--max-failures",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(arg, names[i], len) == 0)
			return (enum value_opt)i;
	return OPT_UNKNOWN;
}

/* Store @value of option @opt in @a. */
static int
set_value(struct run_args *a, enum value_opt opt, const char *value)
{
	switch (opt) {
	case OPT_LOAD_LIST:
		a->load_list = value;
		return CLI_EXIT_OK;
	case OPT_SHARD:
		a->shard_text = value;
		return CLI_EXIT_OK;
	case OPT_TIMEOUT:
		return parse_timeout(a, value);
	case OPT_IDLE:
		return parse_seconds("--idle-timeout", value, &a->idle_timeout);
	case OPT_RUN_TIMEOUT:
		return parse_seconds("--run-timeout", value, &a->run_timeout);
	case OPT_RESTARTS:
		return parse_count("--max-restarts", value, &a->max_restarts);
	case OPT_RETRY:
		return parse_count("--retry", value, &a->retry);
	case OPT_MAX_FAILURES:
		return parse_count("--max-failures", value, &a->max_failures);
	case OPT_COLOR:
		return cli_color_parse(&a->color, value) < 0 ?
		       cli_usage_error("run", "--color takes auto, always or "
				       "never, not '%s'", value) : CLI_EXIT_OK;
	default:
		return parse_size(value, &a->concurrency);
	}
}

/* --name VALUE or --name=VALUE for the options taking a value. */
static int
value_option(struct run_args *a, const char *arg, int argc, char **argv,
	     int *i)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *value = eq ? eq + 1 : NULL;
	enum value_opt opt = value_opt_of(arg, len);

	if (opt == OPT_UNKNOWN)
		return cli_unknown_option("run", arg);
	if (!value && *i + 1 >= argc)
		return cli_usage_error("run", "option '%.*s' needs a value",
				       (int)len, arg);
	if (!value)
		value = argv[++*i];
	return set_value(a, opt, value);
}

static int
parse_args(struct run_args *a, int argc, char **argv)
{
	int rc = CLI_EXIT_OK;

	a->timeout = a->idle_timeout = a->run_timeout = -1.0;
	a->max_restarts = -1;
	a->retry = -1;
	a->max_failures = -1;
	a->filters = calloc((size_t)argc + 1, sizeof(*a->filters));
	if (!a->filters)
		return CLI_EXIT_ERROR;
	for (int i = 1; i < argc && rc == CLI_EXIT_OK; i++) {
		bool *flag;

		if (strcmp(argv[i], "--") == 0) {
			a->testargs = argv + i + 1;
			a->n_testargs = (size_t)(argc - i - 1);
			break;
		}
		if (argv[i][0] != '-' || !argv[i][1])
			a->filters[a->n_filters++] = argv[i];
		else if (strncmp(argv[i], "--", 2) == 0 &&
			 (flag = bool_option(a, argv[i] + 2)))
			*flag = true;
		else
			rc = value_option(a, argv[i], argc, argv, &i);
	}
	return rc;
}

/* Step 2, in the library: the ids --failing and --load-list ask for. */
static int
choose_ids(struct run_session *s, struct testr_strv *ids, bool *given)
{
	struct testr_select_options so = TESTR_SELECT_OPTIONS_INIT;
	char *path = NULL;
	bool all;
	int rc;

	so.failing = s->args.failing;
	if (s->args.load_list && !(path = cli_arg_path(s->args.load_list)))
		return TESTR_ENOMEM;
	so.load_list = path;
	rc = testr_select_ids(ids, &all, s->ctx, s->repo, &so);
	*given = !all;
	free(path);
	return rc;
}

/* An id as data: control bytes, backslash and space escaped, so that
 * each id stays one word on its batch's line. */
static void
print_id(const char *id)
{
	putchar(' ');
	for (const unsigned char *c = (const unsigned char *)id; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || *c == ' ' || *c == '\\')
			printf("\\x%02x", *c);
		else
			putchar(*c);
	}
}

/* --dry-run: the plan, one line per batch, and its predicted wall time. */
static void
show_schedule(void *userdata, const struct testr_sched *plan,
	      const struct testr_strv *ids)
{
	enum testr_sched_mode mode = testr_sched_mode(plan);
	bool fixed = mode == TESTR_SCHED_STATIC;

	(void)userdata;
	printf("plan: %s, %zu worker%s, %zu batch%s, predicted %.3f s\n",
	       fixed ? "static" : mode == TESTR_SCHED_PULL ? "pull" : "queue",
	       testr_sched_workers(plan),
	       testr_sched_workers(plan) == 1 ? "" : "s",
	       testr_sched_batches(plan),
	       testr_sched_batches(plan) == 1 ? "" : "es",
	       testr_sched_makespan(plan));
	for (size_t b = 0; b < testr_sched_batches(plan); b++) {
		size_t n;
		const size_t *idx = testr_sched_batch(&n, plan, b);

		printf("batch %zu", b);
		if (fixed)
			printf(" worker-%zu", testr_sched_batch_worker(plan, b));
		printf(": %zu test%s, %.3f s:", n, n == 1 ? "" : "s",
		       testr_sched_batch_seconds(plan, b));
		for (size_t i = 0; i < n; i++)
			print_id(ids->v[idx[i]]);
		putchar('\n');
	}
}

/*
 * The display sink: every event of every worker comes through here, after
 * the repository has stored it.  This is the place for per-event display
 * (the summary renderer's FAIL blocks, the subunit stream, a progress line).
 */
struct display {
	struct run_session *s;
	struct cli_summary *summary;	/* NULL with --subunit */
};

/* Bytes a runner printed outside subunit: the decoder's "stdout" file. */
static bool
is_runner_output(const struct testr_event *ev)
{
	return !(ev->fields & TESTR_EVENT_TEST_ID) &&
	       (ev->fields & TESTR_EVENT_FILE) && ev->file_name &&
	       strcmp(ev->file_name, "stdout") == 0;
}

static int
display_event(void *userdata, const struct testr_event *ev)
{
	struct display *d = userdata;

	if (!d->summary)
		return cli_subunit_event(d->s->ctx, ev);
	/* Nothing a runner prints may vanish: show it as it comes. */
	if (is_runner_output(ev)) {
		fwrite(ev->file_bytes, 1, ev->file_len, stdout);
		return 0;
	}
	return cli_summary_event(d->summary, ev);
}

static void
run_options(struct testr_run_options *o, struct run_session *s,
	    const struct testr_strv *ids, struct testr_repo_writer *w,
	    struct display *d)
{
	*o = (struct testr_run_options)TESTR_RUN_OPTIONS_INIT;
	o->parallel = s->args.parallel;
	o->concurrency = s->args.concurrency;
	o->ids = ids;
	o->filters = s->args.filters;
	o->n_filters = s->args.n_filters;
	o->args = s->args.testargs;
	o->n_args = s->args.n_testargs;
	o->on_event = display_event;
	o->event_userdata = d;
	o->on_store = testr_repo_writer_event_fn;
	o->store_userdata = w;
	o->on_command = cli_show_running;
	o->command_userdata = stderr;
	o->on_output = cli_write_stderr;
	o->interrupted = &interrupted;
	o->shard = s->args.shard_text ? &s->args.shard : NULL;
	o->schedule = s->args.static_plan ? TESTR_SCHED_STATIC :
		      TESTR_SCHED_AUTO;
	/* The run plans by the repository's model and records its
	 * runners' start-up there itself. */
	o->repo = s->repo;
	o->test_timeout = s->args.timeout;
	o->auto_timeout = s->args.auto_timeout;
	o->idle_timeout = s->args.idle_timeout;
	o->run_timeout = s->args.run_timeout;
	o->max_restarts = s->args.max_restarts;
	o->retry = s->args.retry;
	o->max_failures = s->args.max_failures;
}

/* Store the run and print its summary; the exit code of one run. */
static int
finish_run(struct run_session *s, struct testr_repo_writer *w,
	   struct display *d)
{
	struct testr_run_summary prev_buf, sum;
	const struct testr_run_summary *prev;
	uint64_t id;
	int rc = testr_repo_writer_commit(&id, w);

	if (rc < 0)
		return cli_report(s->ctx, rc);
	if (!d->summary) {
		fflush(stdout);
		if (cli_write_reports(s->ctx, s->repo, id, &s->reports) !=
		    CLI_EXIT_OK)
			return CLI_EXIT_ERROR;
		/* As testrepository: with --subunit the stream is the result. */
		return testr_repo_run_summary(&sum, s->repo, id) < 0 ?
		       cli_report(s->ctx, TESTR_EIO) : CLI_EXIT_OK;
	}
	prev = cli_previous_summary(&prev_buf, s->ctx, s->repo, id);
	rc = cli_summary_finish(d->summary, id, prev);
	return cli_write_reports(s->ctx, s->repo, id, &s->reports) ==
	       CLI_EXIT_OK ? rc : CLI_EXIT_ERROR;
}

/*
 * Asked to run everything, the test command reported nothing: a broken
 * command, not a pass.  Nothing is stored, so the failing set survives.
 */
static int
no_tests(void)
{
	fflush(stdout);
	fputs("testr: the test command reported no tests; nothing was "
	      "stored\n", stderr);
	return CLI_EXIT_FAILURES;
}

/* Interrupted before any worker started (callout, provisioning, listing,
 * the lock): there is nothing to store, least of all a passing run. */
static int
interrupted_before_start(struct run_session *s)
{
	fflush(stdout);
	fprintf(stderr, "testr: %s; nothing was stored\n",
		testr_context_error(s->ctx));
	return CLI_EXIT_INTERRUPTED;
}

/*
 * Interrupted with workers running: store what arrived as an interrupted
 * (partial) run, the ids not reported yet as failures "not run", so that
 * testr run --failing picks them up; never exit 0.
 */
static int
finish_interrupted(struct run_session *s, struct testr_repo_writer *w,
		   struct display *d, const struct testr_run_result *res)
{
	int exit_code;

	testr_repo_writer_set_interrupted(w);
	if (d->summary)
		cli_summary_set_interrupted(d->summary);
	exit_code = finish_run(s, w, d);
	fflush(stdout);
	fprintf(stderr, "testr: run interrupted: the workers were stopped; "
		"%zu tests not run are in the failing set (testr run "
		"--failing runs them)\n", res->not_run);
	return exit_code == CLI_EXIT_ERROR ? exit_code : CLI_EXIT_INTERRUPTED;
}

/*
 * The run ran out of --run-timeout: store what arrived as a partial run
 * (the tests never handed out keep their place in the failing set), the
 * tests stopped and the ids not run as failures; never exit 0.
 */
static int
finish_timed_out(struct run_session *s, struct testr_repo_writer *w,
		 struct display *d, const struct testr_run_result *res)
{
	char *why = strdup(testr_context_error(s->ctx));
	int exit_code;

	testr_repo_writer_set_partial(w, true);
	exit_code = finish_run(s, w, d);
	fflush(stdout);
	fprintf(stderr, "testr: %s; %zu tests not run are in the failing set "
		"(testr run --failing runs them)\n", why ? why : "the run "
		"timed out", res->not_run);
	free(why);
	return exit_code == CLI_EXIT_ERROR ? exit_code : CLI_EXIT_FAILURES;
}

/*
 * --max-failures withheld work: stored as a partial run (the ids not run
 * are failures "not run", in the failing set), and the summary says why
 * the run stopped.  Never exit 0.
 */
static int
finish_stopped(struct run_session *s, struct testr_repo_writer *w,
	       struct display *d, const struct testr_run_result *res)
{
	int exit_code;

	testr_repo_writer_set_partial(w, true);
	exit_code = finish_run(s, w, d);
	fflush(stdout);
	printf("Stopped early: the --max-failures limit was reached, so no "
	       "more tests were handed out; %zu tests not run are in the "
	       "failing set (testr run --failing runs them)\n", res->not_run);
	fflush(stdout);
	return exit_code == CLI_EXIT_OK ? CLI_EXIT_FAILURES : exit_code;
}

/* One run of @ids (NULL: as the options say), stored as one repository run. */
static int
run_once(struct run_session *s, const struct testr_strv *ids, bool partial)
{
	struct testr_repo_writer_options wo = TESTR_REPO_WRITER_OPTIONS_INIT;
	struct testr_repo_writer *w = NULL;
	struct display d = { s, NULL };
	struct cli_progress *pg = NULL;
	struct testr_run_options o;
	struct testr_run_result res;
	int rc, exit_code;

	wo.partial = partial;
	rc = testr_repo_writer_new(&w, s->repo, &wo);
	if (rc == TESTR_EINTR)
		return interrupted_before_start(s);
	if (rc < 0)
		return cli_report(s->ctx, rc);
	run_options(&o, s, ids, w, &d);
	if (!s->args.subunit) {
		d.summary = cli_summary_new(stdout);
		cli_summary_config_filter_tags(d.summary, s->ctx);
		cli_summary_want_verdict(d.summary);
		if (s->args.strict)
			cli_summary_set_strict(d.summary);
		/* The live line sits between the run and the display. */
		pg = cli_progress_new(stdout, s->args.color);
		cli_progress_wrap(pg, &o.on_event, &o.event_userdata,
				  &o.on_command, &o.command_userdata,
				  &o.on_output, &o.output_userdata);
		/* Its time left goes by what the plan goes by. */
		if (pg) {
			o.on_forecast = cli_progress_forecast;
			o.forecast_userdata = pg;
		}
	}
	rc = testr_run_tests(&res, s->ctx, s->cfg, s->pool, &o);
	cli_progress_free(pg);
	if (rc == TESTR_EINTR && res.workers == 0)
		exit_code = interrupted_before_start(s);
	else if (rc == TESTR_EINTR)
		exit_code = finish_interrupted(s, w, &d, &res);
	else if (rc == TESTR_ETIMEDOUT && res.workers > 0)
		exit_code = finish_timed_out(s, w, &d, &res);
	else if (rc < 0)
		exit_code = cli_report(s->ctx, rc);
	else if (res.no_tests)
		exit_code = no_tests();
	else if (res.stopped)
		exit_code = finish_stopped(s, w, &d, &res);
	else
		exit_code = finish_run(s, w, &d);
	cli_summary_free(d.summary);
	testr_repo_writer_free(w);
	return exit_code;
}

static bool
stop_repeating(int exit_code)
{
	return exit_code != CLI_EXIT_OK || interrupted;
}

/* --isolated: every id in a runner of its own, each stored as a run. */
static int
run_isolated(struct run_session *s, const struct testr_strv *given)
{
	struct testr_run_options o = TESTR_RUN_OPTIONS_INIT;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_filter *f = NULL;
	int rc = TESTR_OK, worst = CLI_EXIT_OK;

	o.args = s->args.testargs;
	o.n_args = s->args.n_testargs;
	o.on_command = cli_show_running;
	o.command_userdata = stderr;
	o.on_output = cli_write_stderr;
	o.interrupted = &interrupted;
	for (size_t i = 0; given && i < given->n && rc == TESTR_OK; i++)
		rc = testr_strv_push(&ids, given->v[i]);
	if (rc == TESTR_OK && !given)
		rc = testr_run_list_tests(&ids, s->ctx, s->cfg, s->pool, &o);
	if (rc == TESTR_OK)
		rc = testr_filter_new(&f, s->ctx, s->args.filters,
				      s->args.n_filters);
	if (rc == TESTR_OK)
		rc = testr_filter_apply(f, &ids);
	testr_filter_free(f);
	if (rc < 0)
		worst = cli_report(s->ctx, rc);
	s->args.n_filters = 0;	/* applied already */
	s->args.parallel = false;
	for (size_t i = 0; rc == TESTR_OK && i < ids.n && !interrupted; i++) {
		struct testr_strv one = { &ids.v[i], 1, 1 };
		int r = run_once(s, &one, true);

		worst = r > worst ? r : worst;
	}
	testr_strv_dispose(&ids);
	return worst;
}

/*
 * --until-failure: as testrepository, ask the test_run_concurrency callout
 * and list (filter, shard) once, then run the same ids again and again
 * until a run does not pass.  An empty selection runs once: repeating it
 * could never fail.
 */
static int
run_until_failure(struct run_session *s, const struct testr_strv *given,
		  bool partial)
{
	struct testr_run_options o;
	struct testr_strv ids = TESTR_STRV_INIT;
	bool known, everything = !given && !s->args.n_filters &&
				 !s->args.shard_text;
	int rc = TESTR_OK, exit_code;

	if (s->args.parallel)
		rc = testr_run_concurrency(&s->args.concurrency, s->ctx,
				s->args.concurrency,
				testr_config_get(s->cfg, "test_run_concurrency"));
	run_options(&o, s, given, NULL, NULL);
	o.on_event = o.on_store = NULL;	/* listing only: no events */
	if (rc == TESTR_OK)
		rc = testr_run_select_ids(&ids, &known, s->ctx, s->cfg,
					  s->pool, &o);
	if (rc == TESTR_EINTR)
		return interrupted_before_start(s);
	if (rc < 0)
		return cli_report(s->ctx, rc);
	if (known) {	/* applied already */
		s->args.n_filters = 0;
		s->args.shard_text = NULL;
	}
	if (known && everything && ids.n == 0)
		exit_code = no_tests();
	else
		do
			exit_code = run_once(s, known ? &ids : NULL, partial);
		while (!stop_repeating(exit_code) && !(known && ids.n == 0));
	testr_strv_dispose(&ids);
	return exit_code;
}

/* --dry-run: list, select and plan as a run would; run and store nothing. */
static int
dry_run(struct run_session *s, const struct testr_strv *ids)
{
	struct testr_run_options o;
	int rc;

	run_options(&o, s, ids, NULL, NULL);
	o.on_event = NULL;
	o.on_store = NULL;
	o.dry_run = true;
	o.on_schedule = show_schedule;
	o.schedule_userdata = s;
	rc = testr_run_tests(NULL, s->ctx, s->cfg, s->pool, &o);
	fflush(stdout);
	return rc < 0 ? cli_report(s->ctx, rc) : CLI_EXIT_OK;
}

static int
run_selected(struct run_session *s)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	/* A shard runs part of the suite: other shards' failures stay. */
	bool given, partial = s->args.partial || s->args.failing ||
			      s->args.shard_text;
	int rc = choose_ids(s, &ids, &given), exit_code;

	if (rc < 0)
		return cli_report(s->ctx, rc);
	if (s->args.dry_run)
		exit_code = dry_run(s, given ? &ids : NULL);
	else if (s->args.isolated)
		exit_code = run_isolated(s, given ? &ids : NULL);
	else if (s->args.until_failure)
		exit_code = run_until_failure(s, given ? &ids : NULL, partial);
	else
		exit_code = run_once(s, given ? &ids : NULL, partial);
	testr_strv_dispose(&ids);
	return exit_code;
}

/* ---- --analyze-isolation ------------------------------------------------ */

/* One probe of the analysis: exactly @ids, serially, as a partial run. */
static int
isolation_probe(void *userdata, bool *passed, const struct testr_strv *ids)
{
	int exit_code = run_once(userdata, ids, true);

	*passed = exit_code == CLI_EXIT_OK;
	/* A probe that fails to run counts as failed, as in testrepository;
	 * only an interruption stops the analysis. */
	return exit_code == CLI_EXIT_INTERRUPTED ? TESTR_EINTR : TESTR_OK;
}

static void
print_conflicts(const struct testr_isolation_result *r)
{
	size_t w = cli_text_width("failing test");

	for (size_t i = 0; i < r->n; i++)
		if (cli_text_width(r->conflicts[i].victim) > w)
			w = cli_text_width(r->conflicts[i].victim);
	printf("%-*s  caused by test\n", (int)w, "failing test");
	for (size_t i = 0; i < w; i++)
		putchar('-');
	fputs("  --------------\n", stdout);
	for (size_t i = 0; i < r->n; i++) {
		const struct testr_isolation_conflict *c = &r->conflicts[i];

		printf("%s%*s  %s\n", c->victim,
		       (int)(w - cli_text_width(c->victim)), "",
		       c->cause ? c->cause : "unknown - no conflicts");
	}
}

/*
 * --analyze-isolation, in the library (testr_isolation_analyze): prints the
 * `failing test / caused by test` table and exits 3 when it finds any
 * failing test that passes alone, as testrepository does.
 */
static int
analyze_isolation(struct run_session *s)
{
	struct testr_isolation_options o = TESTR_ISOLATION_OPTIONS_INIT;
	struct testr_isolation_result r;
	int rc, exit_code = CLI_EXIT_OK;

	o.filters = s->args.filters;
	o.n_filters = s->args.n_filters;
	o.run = isolation_probe;
	o.userdata = s;
	s->args.n_filters = 0;		/* probes run exactly their ids */
	s->args.parallel = false;	/* ... in one worker */
	rc = testr_isolation_analyze(&r, s->ctx, s->repo, &o);
	if (rc == TESTR_EINTR)
		exit_code = CLI_EXIT_INTERRUPTED;
	else if (rc < 0)
		exit_code = cli_report(s->ctx, rc);
	else if (r.n) {
		print_conflicts(&r);
		exit_code = CLI_EXIT_ERROR;
	}
	testr_isolation_result_dispose(&r);
	return exit_code;
}

static int
make_pool(struct run_session *s)
{
	struct testr_pool_options po = TESTR_POOL_OPTIONS_INIT;

	testr_pool_options_set_config(&po, s->cfg);
	po.on_command = cli_show_running;
	po.userdata = stderr;
	return testr_pool_new(&s->pool, s->ctx, &po);
}

/* Open what a run needs: repository, config, instance pool. */
static int
session_open(struct run_session *s, bool need_repo)
{
	int rc = TESTR_OK;

	if (need_repo)
		rc = cli_open_repo(&s->repo, s->ctx);
	if (rc == TESTR_OK)
		rc = testr_config_load_dir(&s->cfg, s->ctx, NULL);
	if (rc == TESTR_OK)
		rc = make_pool(s);
	return rc;
}

/* Dispose of the instances (once, whatever happened) and free it all. */
static int
session_close(struct run_session *s, int exit_code)
{
	int rc = testr_pool_dispose(s->pool);

	if (rc < 0)
		exit_code = cli_report(s->ctx, rc);
	testr_pool_free(s->pool);
	testr_config_free(s->cfg);
	testr_repo_free(s->repo);
	testr_context_free(s->ctx);
	free(s->args.filters);
	return exit_code;
}

/* --shard I/N, or --shard auto: the CI system's environment. */
static int
resolve_shard(struct run_args *a, struct testr_context *ctx)
{
	if (!a->shard_text)
		return TESTR_OK;
	if (strcmp(a->shard_text, "auto") == 0)
		return testr_shard_from_env(&a->shard, ctx);
	return testr_shard_parse(&a->shard, ctx, a->shard_text);
}

int
cmd_run(int argc, char **argv)
{
	struct run_session s = { 0 };
	int exit_code = cli_take_report_args(&s.reports, "run", &argc, argv,
					     false), rc;

	if (exit_code == CLI_EXIT_OK)
		exit_code = parse_args(&s.args, argc, argv);

	if (exit_code != CLI_EXIT_OK) {
		free(s.args.filters);
		return exit_code;
	}
	s.reports.stdout_busy = s.args.subunit ||
		(s.reports.junit && strcmp(s.reports.junit, "-") == 0) ||
		(s.reports.json && strcmp(s.reports.json, "-") == 0);
	cli_ci_begin(&s.reports);
	s.ctx = cli_context_new();
	catch_signals(s.ctx);
	rc = resolve_shard(&s.args, s.ctx);
	if (rc == TESTR_OK)
		rc = session_open(&s, true);
	if (rc < 0)
		exit_code = cli_report(s.ctx, rc);
	else if (s.args.analyze_isolation)
		exit_code = analyze_isolation(&s);
	else
		exit_code = run_selected(&s);
	return session_close(&s, exit_code);
}
