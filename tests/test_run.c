/* Unit tests for lib/run.c: listing, concurrency, workers, failures. */
#include <math.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "run";

/* Everything a run delivered, for assertions. */
struct seen {
	char events[64][160];	/* "status id tags route" or "file name" */
	size_t n_events;
	char commands[8][600];
	size_t n_commands;
	char output[1024];
	volatile sig_atomic_t stop;
	bool stop_on_first;
	size_t plan_tests, plan_workers;
	size_t forecast_n;		/* ids on_forecast was told */
	double forecast_a;		/* ...and a_time4000's estimate */
	double makespan;		/* on_schedule's plan's prediction */
	char warnings[512];		/* what the log callback was told */
};

struct fixture {
	char *dir;
	char log[600];
	struct testr_context *ctx;
	struct testr_config *cfg;
	struct seen seen;
	struct testr_run_options opts;
};

static bool
is_final_for_test(enum testr_status st)
{
	return st >= TESTR_STATUS_SUCCESS && st <= TESTR_STATUS_XFAIL;
}

static int
on_event(void *userdata, const struct testr_event *ev)
{
	struct seen *s = userdata;
	char *line;

	if (s->n_events == 64)
		return 0;
	line = s->events[s->n_events++];
	if (!(ev->fields & TESTR_EVENT_TEST_ID)) {
		snprintf(line, 160, "file %s %.*s", ev->file_name,
			 (int)ev->file_len, (const char *)ev->file_bytes);
		return 0;
	}
	snprintf(line, 160, "%s %s", testr_status_name(ev->status),
		 ev->test_id);
	for (size_t i = 0; i < ev->n_tags; i++)
		snprintf(line + strlen(line), 160 - strlen(line), " %s",
			 ev->tags[i]);
	if (ev->fields & TESTR_EVENT_ROUTE_CODE)
		snprintf(line + strlen(line), 160 - strlen(line), " @%s",
			 ev->route_code);
	if (s->stop_on_first && is_final_for_test(ev->status))
		s->stop = 1;
	return 0;
}

static void
on_command(void *userdata, const char *cmd)
{
	struct seen *s = userdata;

	if (s->n_commands < 8)
		snprintf(s->commands[s->n_commands++], 600, "%s", cmd);
}

static int
on_output(void *userdata, const void *buf, size_t len)
{
	struct seen *s = userdata;
	size_t have = strlen(s->output);

	snprintf(s->output + have, sizeof(s->output) - have, "%.*s", (int)len,
		 (const char *)buf);
	return 0;
}

static void
on_plan(void *userdata, size_t n_tests, double seconds, size_t n_workers)
{
	struct seen *s = userdata;

	(void)seconds;
	s->plan_tests = n_tests;
	s->plan_workers = n_workers;
}

static const char *
runner(void)
{
	static char path[700];

	snprintf(path, sizeof(path), "%s/tests/cli/run/fake_runner",
		 harness_build_dir());
	return path;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A project whose runner is fake_runner over @tests (newline separated). */
static void
setup(struct fixture *fx, const char *tests, const char *extra_conf)
{
	char conf[2000], path[700];

	memset(fx, 0, sizeof(*fx));
	fx->dir = harness_tmpdir();
	snprintf(conf, sizeof(conf),
		 "[DEFAULT]\ntest_command=%s $LISTOPT $IDOPTION\n"
		 "test_id_option=--load-list $IDFILE\n"
		 "test_list_option=--list\n%s", runner(),
		 extra_conf ? extra_conf : "");
	write_file(fx->dir, ".testr.conf", conf);
	write_file(fx->dir, "tests", tests);
	snprintf(path, sizeof(path), "%s/tests", fx->dir);
	setenv("FAKE_TESTS", path, 1);
	snprintf(fx->log, sizeof(fx->log), "%s/log", fx->dir);
	setenv("FAKE_LOG", fx->log, 1);
	testr_context_new(&fx->ctx);
	ck_assert_int_eq(testr_config_load_dir(&fx->cfg, fx->ctx, fx->dir), 0);
	fx->opts = (struct testr_run_options)TESTR_RUN_OPTIONS_INIT;
	fx->opts.on_event = on_event;
	fx->opts.event_userdata = &fx->seen;
	fx->opts.on_command = on_command;
	fx->opts.command_userdata = &fx->seen;
	fx->opts.on_output = on_output;
	fx->opts.output_userdata = &fx->seen;
	fx->opts.interrupted = &fx->seen.stop;
	fx->opts.on_plan = on_plan;
	fx->opts.plan_userdata = &fx->seen;
}

static void
teardown(struct fixture *fx)
{
	testr_config_free(fx->cfg);
	testr_context_free(fx->ctx);
	harness_rmtree(fx->dir);
	free(fx->dir);
}

static bool
saw(const struct seen *s, const char *prefix)
{
	for (size_t i = 0; i < s->n_events; i++)
		if (strncmp(s->events[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* Run the ids a, @middle, c (in that order, one batch). */
static void
ids_around(struct fixture *fx, struct testr_strv *ids, const char *middle)
{
	testr_strv_push(ids, "a");
	testr_strv_push(ids, middle);
	testr_strv_push(ids, "c");
	fx->opts.ids = ids;
}

START_TEST(run_list_tests_runs_the_list_command)
{
	struct fixture fx;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "x.a\nx.b\ny.c\n", NULL);
	ck_assert_int_eq(testr_run_list_tests(&ids, fx.ctx, fx.cfg, NULL,
					      &fx.opts), 0);
	ck_assert_uint_eq(ids.n, 3);
	ck_assert_str_eq(ids.v[2], "y.c");
	ck_assert_uint_eq(fx.seen.n_commands, 1);
	ck_assert_ptr_nonnull(strstr(fx.seen.commands[0], " --list"));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

START_TEST(run_list_tests_shows_output_of_failed_listing)
{
	struct fixture fx;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_config *bad;

	setup(&fx, "x\n", NULL);
	write_file(fx.dir, ".testr.conf", "[DEFAULT]\ntest_command=echo out; "
		   "echo err >&2; exit 5 $LISTOPT\ntest_list_option=--list\n");
	ck_assert_int_eq(testr_config_load_dir(&bad, fx.ctx, fx.dir), 0);
	ck_assert_int_eq(testr_run_list_tests(&ids, fx.ctx, bad, NULL,
					      &fx.opts), TESTR_ECHILD);
	ck_assert_str_eq(testr_context_error(fx.ctx),
			 "Non-zero exit code (5) from test listing.");
	ck_assert_str_eq(fx.seen.output, "out\n");
	testr_config_free(bad);
	teardown(&fx);
}
END_TEST

START_TEST(run_list_tests_needs_listopt)
{
	struct fixture fx;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_config *bad;

	setup(&fx, "x\n", NULL);
	write_file(fx.dir, ".testr.conf", "[DEFAULT]\ntest_command=true\n");
	ck_assert_int_eq(testr_config_load_dir(&bad, fx.ctx, fx.dir), 0);
	ck_assert_int_lt(testr_run_list_tests(&ids, fx.ctx, bad, NULL,
					      &fx.opts), 0);
	ck_assert_str_eq(testr_context_error(fx.ctx),
			 "LISTOPT not configured in .testr.conf");
	testr_config_free(bad);
	teardown(&fx);
}
END_TEST

START_TEST(run_concurrency_prefers_option_then_callout_then_cpus)
{
	size_t n;

	ck_assert_int_eq(testr_run_concurrency(&n, NULL, 5, "echo 3"), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(testr_run_concurrency(&n, NULL, 0, "echo ' 3 '"), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(testr_run_concurrency(&n, NULL, 0, NULL), 0);
	ck_assert_uint_eq(n, (size_t)sysconf(_SC_NPROCESSORS_ONLN));
}
END_TEST

START_TEST(run_concurrency_callout_failure_is_an_error)
{
	struct testr_context *ctx;
	size_t n;

	testr_context_new(&ctx);
	ck_assert_int_eq(testr_run_concurrency(&n, ctx, 0,
			"echo no cpus here >&2; exit 2"), TESTR_ECHILD);
	ck_assert_str_eq(testr_context_error(ctx),
			 "test_run_concurrency failed: exit code 2, "
			 "stderr='no cpus here'");
	ck_assert_int_eq(testr_run_concurrency(&n, ctx, 0, "echo many"),
			 TESTR_EPARSE);
	ck_assert_str_eq(testr_context_error(ctx),
			 "test_run_concurrency printed 'many', not a number "
			 "of workers");
	ck_assert_int_eq(testr_run_concurrency(&n, ctx, 0, "echo -2"),
			 TESTR_EPARSE);
	testr_context_free(ctx);
}
END_TEST

/* The id lists the runners logged, one line per runner, sorted. */
static void
logged_partitions(const char *log, char lines[][256], size_t *n)
{
	char text[8192], *save = NULL;

	snprintf(text, sizeof(text), "%s", harness_slurp(log));

	*n = 0;
	for (char *l = strtok_r(text, "\n", &save); l && *n < 8;
	     l = strtok_r(NULL, "\n", &save))
		snprintf(lines[(*n)++], 256, "%s", strchr(l, ':') + 1);
	qsort(lines, *n, 256, (int (*)(const void *, const void *))strcmp);
}

START_TEST(run_tests_in_parallel_tags_each_workers_events)
{
	struct fixture fx;
	struct testr_run_result res;
	char parts[8][256];
	size_t n;

	setup(&fx, "g1.a\ng2.b\ng1.c\ng2.d\n", "group_regex=([^.]*\\.)\n");
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.workers, 2);
	ck_assert_uint_eq(res.ids, 4);
	ck_assert_uint_eq(fx.seen.plan_tests, 4);
	ck_assert_uint_eq(fx.seen.plan_workers, 2);
	ck_assert_uint_eq(res.failed_workers, 0);
	ck_assert_uint_eq(res.missing, 0);
	logged_partitions(fx.log, parts, &n);
	ck_assert_uint_eq(n, 2);
	/* Groups kept whole, round-robin: g1 on worker 0, g2 on worker 1. */
	ck_assert_str_eq(parts[0], "g1.a g1.c");
	ck_assert_str_eq(parts[1], "g2.b g2.d");
	ck_assert(saw(&fx.seen, "success g1.a worker-0 @0"));
	ck_assert(saw(&fx.seen, "success g2.d worker-1 @1"));
	/* running= for the listing, then one per worker. */
	ck_assert_uint_eq(fx.seen.n_commands, 3);
	teardown(&fx);
}
END_TEST

START_TEST(run_tests_serially_runs_everything_in_one_worker)
{
	struct fixture fx;
	struct testr_run_result res;

	setup(&fx, "a\nb_noisy\nc_skip\n", NULL);
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.workers, 1);
	ck_assert_uint_eq(res.ids, 0);
	ck_assert_uint_eq(fx.seen.n_commands, 1);
	ck_assert_ptr_null(strstr(fx.seen.commands[0], "--load-list"));
	ck_assert(saw(&fx.seen, "success a worker-0"));
	ck_assert(saw(&fx.seen, "skip c_skip worker-0"));
	/* Non-subunit output is delivered too, never dropped. */
	ck_assert(saw(&fx.seen, "file stdout noise from b_noisy"));
	teardown(&fx);
}
END_TEST

START_TEST(run_tests_filters_select_the_union)
{
	struct fixture fx;
	struct testr_run_result res;
	const char *filters[] = { "^x\\.", "fail" };

	setup(&fx, "x.a\ny.b\ny.fail\nz.c\n", NULL);
	fx.opts.filters = filters;
	fx.opts.n_filters = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.ids, 2);
	ck_assert_str_eq(strchr(harness_slurp(fx.log), ':') + 1, "x.a y.fail\n");
	ck_assert(saw(&fx.seen, "fail y.fail"));
	teardown(&fx);
}
END_TEST

START_TEST(run_reports_dead_worker_and_its_lost_ids)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	ids_around(&fx, &ids, "b_crash");
	fx.opts.max_restarts = 0;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.failed_workers, 1);
	ck_assert_uint_eq(res.missing, 2);
	ck_assert(saw(&fx.seen, "success a worker-0"));
	ck_assert(saw(&fx.seen, "fail process-returncode worker-0"));
	ck_assert(saw(&fx.seen, "fail b_crash worker-0"));
	ck_assert(saw(&fx.seen, "fail c worker-0"));
	ck_assert(!saw(&fx.seen, "fail a "));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

/* Captures the synthetic failure's text. */
static char traceback[512];

static int
keep_traceback(void *userdata, const struct testr_event *ev)
{
	(void)userdata;
	if ((ev->fields & TESTR_EVENT_TEST_ID) &&
	    strcmp(ev->test_id, "process-returncode") == 0)
		snprintf(traceback, sizeof(traceback), "%.*s",
			 (int)ev->file_len, (const char *)ev->file_bytes);
	return 0;
}

START_TEST(run_names_worker_command_and_signal_of_killed_runner)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	testr_strv_push(&ids, "x_selfkill");
	fx.opts.ids = &ids;
	fx.opts.on_store = keep_traceback;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.failed_workers, 1);
	/* A command with no shell syntax runs without sh in between, so
	 * the runner's own death is seen (sh would report 128 + 9). */
	ck_assert_msg(strstr(traceback, "worker-0 ended with signal 9 "
			     "(Killed)"), "%s", traceback);
	ck_assert_ptr_nonnull(strstr(traceback, runner()));
	ck_assert(saw(&fx.seen, "fail x_selfkill"));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

static struct testr_strv *
ids_of(struct testr_strv *ids, const char *a, const char *b)
{
	testr_strv_push(ids, a);
	if (b)
		testr_strv_push(ids, b);
	return ids;
}

START_TEST(run_counts_a_listed_id_reported_as_its_scenarios_as_run)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	fx.opts.ids = ids_of(&ids, "p.T.test_scenarios", "p.T.test_ok");
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.missing, 0);
	ck_assert_uint_eq(res.expanded, 1);
	ck_assert_uint_eq(res.strays, 0);
	ck_assert_uint_eq(res.tests, 3);
	ck_assert(saw(&fx.seen, "success p.T.test_scenarios(a) worker-0"));
	ck_assert(saw(&fx.seen, "success p.T.test_scenarios(b) worker-0"));
	/* "exists": no count, and a stale failing entry goes. */
	ck_assert(saw(&fx.seen, "exists p.T.test_scenarios worker-0"));
	ck_assert(!saw(&fx.seen, "fail"));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

START_TEST(run_scenarios_of_a_runner_that_died_leave_the_listed_id_failed)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	fx.opts.ids = ids_of(&ids, "p.T.test_scenarios", "p.z_crash");
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.expanded, 0);
	ck_assert_uint_eq(res.missing, 2);
	ck_assert(saw(&fx.seen, "fail p.T.test_scenarios worker-0"));
	ck_assert(saw(&fx.seen, "fail p.z_crash worker-0"));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

START_TEST(run_an_id_merely_sharing_a_prefix_is_no_expansion)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	/* "p.test_x" is not run by "p.test_xy(a)": a different test. */
	setup(&fx, "", NULL);
	fx.opts.ids = ids_of(&ids, "p.test_silent", "p.test_silent2_scenarios");
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.expanded, 1);
	ck_assert_uint_eq(res.missing, 1);
	ck_assert(saw(&fx.seen, "fail p.test_silent worker-0"));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

static char warned[512];

static void
keep_warning(void *userdata, enum testr_log_level level, const char *msg)
{
	(void)userdata;
	if (level == TESTR_LOG_WARNING)
		snprintf(warned, sizeof(warned), "%s", msg);
}

START_TEST(run_warns_about_a_test_the_worker_was_not_given)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	warned[0] = '\0';
	testr_context_set_log(fx.ctx, keep_warning, NULL, TESTR_LOG_WARNING);
	fx.opts.ids = ids_of(&ids, "a.stray", NULL);
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.strays, 1);
	ck_assert_uint_eq(res.missing, 0);
	ck_assert_str_eq(warned, "worker-0 reported 'stray.unasked', a test "
			 "it was not given");
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

START_TEST(run_of_everything_that_reports_nothing_is_no_tests)
{
	struct fixture fx;
	struct testr_run_result res;

	setup(&fx, "", NULL);
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(res.no_tests);
	ck_assert_uint_eq(res.tests, 0);
	teardown(&fx);
}
END_TEST

START_TEST(run_that_selected_nothing_is_not_no_tests)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv none = TESTR_STRV_INIT;
	const char *filters[] = { "nomatch" };

	setup(&fx, "a\nb\n", NULL);
	fx.opts.ids = &none;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(!res.no_tests);
	fx.opts.ids = NULL;
	fx.opts.filters = filters;
	fx.opts.n_filters = 1;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(!res.no_tests);
	ck_assert_uint_eq(res.tests, 0);
	teardown(&fx);
}
END_TEST

START_TEST(run_interrupted_stores_unreported_ids_as_not_run)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	fx.seen.stop_on_first = true;
	fx.opts.ids = ids_of(&ids, "a", "b_hang");
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), TESTR_EINTR);
	ck_assert(res.interrupted);
	ck_assert_uint_eq(res.not_run, 1);
	ck_assert(saw(&fx.seen, "success a worker-0"));
	ck_assert(saw(&fx.seen, "fail b_hang worker-0"));
	ck_assert(!saw(&fx.seen, "fail process-returncode"));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

START_TEST(run_concurrency_callout_ends_on_the_context_interrupt)
{
	struct testr_context *ctx;
	volatile sig_atomic_t stop = 1;
	size_t n = 0;

	testr_context_new(&ctx);
	testr_context_set_interrupt(ctx, &stop);
	ck_assert_int_eq(testr_run_concurrency(&n, ctx, 0, "sleep 30; echo 2"),
			 TESTR_EINTR);
	testr_context_free(ctx);
}
END_TEST

START_TEST(run_interrupted_stops_workers_without_inventing_failures)
{
	struct fixture fx;
	struct testr_run_result res;

	setup(&fx, "a\nb_hang\nc\n", NULL);
	fx.seen.stop_on_first = true;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), TESTR_EINTR);
	ck_assert(res.interrupted);
	ck_assert(saw(&fx.seen, "success a"));
	ck_assert(!saw(&fx.seen, "fail"));
	teardown(&fx);
}
END_TEST

START_TEST(run_wraps_workers_in_instances_and_releases_them)
{
	struct fixture fx;
	struct testr_pool_options po = TESTR_POOL_OPTIONS_INIT;
	struct testr_run_result res;
	struct testr_pool *pool;

	setup(&fx, "g1.a\ng2.b\n", "group_regex=([^.]*\\.)\n");
	po.provision = "echo i1 i2";
	po.execute = "INSTANCE=$INSTANCE_ID $COMMAND";
	ck_assert_int_eq(testr_pool_new(&pool, fx.ctx, &po), 0);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, pool,
					 &fx.opts), 0);
	ck_assert_uint_eq(fx.seen.n_commands, 3);
	ck_assert_ptr_nonnull(strstr(fx.seen.commands[0], "INSTANCE=i1 "));
	ck_assert_ptr_nonnull(strstr(fx.seen.commands[1], "INSTANCE=i1 "));
	ck_assert_ptr_nonnull(strstr(fx.seen.commands[2], "INSTANCE=i2 "));
	testr_pool_free(pool);
	teardown(&fx);
}
END_TEST

START_TEST(run_hands_worker_stderr_to_on_output_in_whole_lines)
{
	struct fixture fx;
	struct testr_run_result res;

	setup(&fx, "a_stderr\nb_stderr\n", NULL);
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	/* The runner's last words lack a newline: they get one. */
	ck_assert_str_eq(fx.seen.output, "stderr from a_stderr\n"
			 "stderr from b_stderr\nlast words after b_stderr\n");
	teardown(&fx);
}
END_TEST

/* The ids of every runner's line in @log, one id a line, sorted; how many
 * runners there were into *@runners. */
static void
logged_ids(const char *log, char *out, size_t size, size_t *runners)
{
	char text[8192], *save = NULL, ids[64][64];
	size_t n = 0;

	snprintf(text, sizeof(text), "%s", harness_slurp(log));
	*runners = 0;
	for (char *l = strtok_r(text, " \n", &save); l && n < 64;
	     l = strtok_r(NULL, " \n", &save)) {
		char *colon = strchr(l, ':');

		*runners += colon != NULL;
		snprintf(ids[n++], 64, "%s", colon ? colon + 1 : l);
	}
	qsort(ids, n, 64, (int (*)(const void *, const void *))strcmp);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s ", ids[i]);
}

START_TEST(run_queue_hands_every_id_once_in_batches_to_the_slots)
{
	struct fixture fx;
	struct testr_run_result res;
	char ids[1024];
	size_t runners;

	setup(&fx, "t0\nt1\nt2\nt3\nt4\nt5\nt6\nt7\nt8\nt9\n",
	      "test_schedule=batches\n");
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.startup = 0.001;	/* not the listing's time: small batches */
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	logged_ids(fx.log, ids, sizeof(ids), &runners);
	ck_assert_str_eq(ids, "t0 t1 t2 t3 t4 t5 t6 t7 t8 t9 ");
	ck_assert_uint_gt(runners, 2);
	ck_assert_uint_eq(res.workers, runners);	/* runners started */
	ck_assert_uint_eq(res.ids, 10);
	ck_assert_uint_eq(res.tests, 10);
	ck_assert_uint_eq(res.missing, 0);
	/* One $IDFILE per batch; only two slots, worker-0 and worker-1. */
	ck_assert_uint_eq(fx.seen.n_commands, 1 + (runners < 7 ? runners : 7));
	ck_assert_str_ne(fx.seen.commands[1], fx.seen.commands[2]);
	for (size_t i = 0; i < fx.seen.n_events; i++)
		ck_assert_ptr_null(strstr(fx.seen.events[i], "worker-2"));
	teardown(&fx);
}
END_TEST

START_TEST(run_queue_interrupted_hands_out_no_more_batches)
{
	struct fixture fx;
	struct testr_run_result res;
	char ids[1024];
	size_t runners, failed = 0;

	setup(&fx, "a\nb_hang\nc\nd\ne\nf\ng\nh\ni\nj\n",
	      "test_schedule=batches\n");
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.startup = 0.001;	/* not the listing's time: small batches */
	fx.seen.stop_on_first = true;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), TESTR_EINTR);
	ck_assert(res.interrupted);
	/* The two first batches only (a runner stopped early may not have
	 * logged), none after the interrupt. */
	logged_ids(fx.log, ids, sizeof(ids), &runners);
	ck_assert_uint_eq(res.workers, 2);
	ck_assert_uint_le(runners, 2);
	ck_assert_uint_lt(res.ids, 10);
	/* What was handed out and not reported is "not run", nothing else. */
	for (size_t i = 0; i < fx.seen.n_events; i++)
		failed += strncmp(fx.seen.events[i], "fail ", 5) == 0;
	ck_assert_uint_ge(res.not_run, 1);
	ck_assert_uint_eq(failed, res.not_run);
	ck_assert_uint_eq(res.tests + res.not_run, res.ids);
	ck_assert(saw(&fx.seen, "fail b_hang"));
	teardown(&fx);
}
END_TEST

START_TEST(run_static_schedule_gives_each_worker_one_runner)
{
	struct fixture fx;
	struct testr_run_result res;
	char ids[1024];
	size_t runners;

	setup(&fx, "t0\nt1\nt2\nt3\nt4\nt5\nt6\nt7\nt8\nt9\n",
	      "test_schedule=batches\n");
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.schedule = TESTR_SCHED_STATIC;	/* wins over the config */
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	logged_ids(fx.log, ids, sizeof(ids), &runners);
	ck_assert_str_eq(ids, "t0 t1 t2 t3 t4 t5 t6 t7 t8 t9 ");
	ck_assert_uint_eq(runners, 2);
	ck_assert_uint_eq(res.workers, 2);
	teardown(&fx);
}
END_TEST

START_TEST(run_options_of_an_unknown_version_are_refused)
{
	struct testr_run_options o = TESTR_RUN_OPTIONS_INIT;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_run_result res;
	struct testr_run *run = (void *)1;
	struct testr_context *ctx;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	for (unsigned v = 0; v <= 7; v += 7) {
		o.version = v;
		harness_assert_version_refused(ctx,
			testr_run_tests(&res, ctx, NULL, NULL, &o),
			"testr_run_options", v);
		harness_assert_version_refused(ctx,
			testr_run_start(&run, ctx, NULL, NULL, NULL, NULL, &o),
			"testr_run_options", v);
		ck_assert_ptr_null(run);
		harness_assert_version_refused(ctx,
			testr_run_list_tests(&ids, ctx, NULL, NULL, &o),
			"testr_run_options", v);
		ck_assert_uint_eq(ids.n, 0);
	}
	testr_context_free(ctx);
}
END_TEST

START_TEST(run_blames_a_death_between_tests_on_the_next_id_and_reruns_the_rest)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;
	char logged[1024];
	size_t runners;

	setup(&fx, "", NULL);
	testr_strv_push(&ids, "a");
	testr_strv_push(&ids, "b_crash");
	testr_strv_push(&ids, "c");
	fx.opts.ids = &ids;	/* the default restart budget */
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.failed_workers, 1);
	ck_assert_uint_eq(res.missing, 0);
	ck_assert(saw(&fx.seen, "success a worker-0"));
	ck_assert(saw(&fx.seen, "fail b_crash worker-0"));
	ck_assert(saw(&fx.seen, "success c worker-0"));
	/* Green means green: the death still fails the run. */
	ck_assert(saw(&fx.seen, "fail process-returncode worker-0"));
	logged_ids(fx.log, logged, sizeof(logged), &runners);
	ck_assert_uint_eq(runners, 2);
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

#define RUN_OPTIONS_END(last) \
	(offsetof(struct testr_run_options, last) + \
	 sizeof(((struct testr_run_options *)0)->last))

/* What a caller built against the version @v header passes: a struct that
 * ends at that version's last field (on the heap, so ASan sees a read
 * past it). */
static struct testr_run_options *
version_of(struct testr_run_options o, unsigned v)
{
	const size_t end[] = {
		RUN_OPTIONS_END(shard), RUN_OPTIONS_END(dry_run),
		RUN_OPTIONS_END(max_restarts), RUN_OPTIONS_END(auto_factor),
		RUN_OPTIONS_END(max_failures),
		RUN_OPTIONS_END(forecast_userdata),
	};
	void *old;

	ck_assert_uint_ge(v, 1);
	ck_assert_uint_le(v, sizeof(end) / sizeof(end[0]));
	old = malloc(end[v - 1]);
	ck_assert_ptr_nonnull(old);
	o.version = v;
	memcpy(old, &o, end[v - 1]);
	return old;
}

START_TEST(run_reads_a_version_1_callers_options_only_to_their_end)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_run_options *v1;
	struct testr_run *run = NULL;
	bool known = false;

	setup(&fx, "g1.a\ng2.b\n", NULL);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	v1 = version_of(fx.opts, 1);
	ck_assert_int_eq(testr_run_select_ids(&ids, &known, fx.ctx, fx.cfg,
					      NULL, v1), 0);
	ck_assert(known);
	ck_assert_uint_eq(ids.n, 2);
	/* Version 1 knows only testrepository's partition: one runner each. */
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL, v1), 0);
	ck_assert_uint_eq(res.workers, 2);
	ck_assert_uint_eq(res.tests, 2);
	ck_assert_int_eq(testr_run_start(&run, fx.ctx, fx.cfg, NULL, NULL, &ids,
					 v1), 0);
	ck_assert_int_eq(testr_run_wait(&res, run), 0);
	ck_assert_uint_eq(res.tests, 2);
	testr_run_free(run);
	testr_strv_dispose(&ids);
	free(v1);
	teardown(&fx);
}
END_TEST

/* Fields past an older caller's version mean "not set": the config's
 * value (here test_retry), as a current caller's -1 does. */
START_TEST(run_gives_an_older_callers_missing_fields_their_defaults)
{
	for (unsigned v = 1; v <= 6; v++) {
		struct fixture fx;
		struct testr_run_result res;
		struct testr_run_options *old;

		setup(&fx, "a\nb_passon2\n", "test_retry=1\n");
		old = version_of(fx.opts, v);
		ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
						 old), 0);
		ck_assert_msg(res.retried == 1 && res.flaky == 1,
			      "version %u: retried %zu, flaky %zu", v,
			      res.retried, res.flaky);
		ck_assert_uint_eq(res.tests, 2);
		free(old);
		teardown(&fx);
	}
}
END_TEST

START_TEST(run_timeout_fails_the_hung_test_and_reruns_the_rest)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;
	char logged[1024];
	size_t runners;

	setup(&fx, "", NULL);
	ids_around(&fx, &ids, "b_stuck");
	fx.opts.test_timeout = 1;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(saw(&fx.seen, "success a worker-0"));
	ck_assert(saw(&fx.seen, "fail b_stuck worker-0"));
	ck_assert(saw(&fx.seen, "success c worker-0"));
	ck_assert(!saw(&fx.seen, "fail c"));
	ck_assert(!saw(&fx.seen, "fail process-returncode"));
	ck_assert_uint_eq(res.missing, 0);
	ck_assert_uint_eq(res.tests, 3);
	logged_ids(fx.log, logged, sizeof(logged), &runners);
	ck_assert_uint_eq(runners, 2);	/* the rest on a fresh runner */
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

/* ---- pull mode ---- */

#define PULL_CONF "test_feed=stdin\ntest_feed_option=--pull\n"

/* How many runners logged ids: the distinct pids of "<pid>:<id>" lines. */
static size_t
pull_runners(const char *log)
{
	char text[8192], *save = NULL, pids[64][16];
	size_t n = 0;

	snprintf(text, sizeof(text), "%s", harness_slurp(log));
	for (char *l = strtok_r(text, "\n", &save); l && n < 64;
	     l = strtok_r(NULL, "\n", &save)) {
		bool known = false;

		l[strcspn(l, ":")] = '\0';
		for (size_t i = 0; i < n; i++)
			known |= strcmp(pids[i], l) == 0;
		if (!known)
			snprintf(pids[n++], 16, "%s", l);
	}
	return n;
}

/* The pid of the runner that logged @id. */
static long
pull_runner_of(const char *log, const char *id)
{
	char text[8192], *save = NULL;

	snprintf(text, sizeof(text), "%s", harness_slurp(log));
	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(l, ':');

		if (colon && strcmp(colon + 1, id) == 0)
			return atol(l);
	}
	return -1;
}

/* How many final results @id got. */
static size_t
results_of(const struct seen *s, const char *id)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_events; i++) {
		const char *sp = strchr(s->events[i], ' ');
		size_t len = strlen(id);

		if (strncmp(s->events[i], "inprogress ", 11) == 0 ||
		    strncmp(s->events[i], "file ", 5) == 0 || !sp)
			continue;
		n += strncmp(sp + 1, id, len) == 0 && sp[1 + len] == ' ';
	}
	return n;
}

START_TEST(run_pull_feeds_every_id_once_to_one_runner_per_worker)
{
	struct fixture fx;
	struct testr_run_result res;
	char ids[1024];
	size_t lines;

	setup(&fx, "t0\nt1\nt2\nt3\nt4\nt5\nt6\nt7\nt8\nt9\n", PULL_CONF);
	fx.opts.parallel = true;
	fx.opts.concurrency = 3;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	logged_ids(fx.log, ids, sizeof(ids), &lines);
	ck_assert_str_eq(ids, "t0 t1 t2 t3 t4 t5 t6 t7 t8 t9 ");
	/* One runner per worker, each started once, fed as it went. */
	ck_assert_uint_eq(pull_runners(fx.log), 3);
	ck_assert_uint_eq(res.workers, 3);
	ck_assert_uint_eq(fx.seen.n_commands, 1 + 3);
	ck_assert_ptr_nonnull(strstr(fx.seen.commands[1], "--pull"));
	ck_assert_uint_eq(res.ids, 10);
	ck_assert_uint_eq(res.tests, 10);
	ck_assert_uint_eq(res.missing, 0);
	for (int i = 0; i < 10; i++) {
		char id[8];

		snprintf(id, sizeof(id), "t%d", i);
		ck_assert_uint_eq(results_of(&fx.seen, id), 1);
	}
	teardown(&fx);
}
END_TEST

START_TEST(run_pull_keeps_a_group_on_one_runner)
{
	struct fixture fx;
	struct testr_run_result res;
	const char *groups[] = { "a", "b", "c", "d" };

	setup(&fx, "a.1\nb.1\nc.1\nd.1\na.2\nb.2\nc.2\nd.2\na.3\nb.3\n"
	      "c.3\nd.3\n", PULL_CONF "group_regex=([^.]*\\.)\n");
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.tests, 12);
	ck_assert_uint_eq(pull_runners(fx.log), 2);
	for (size_t g = 0; g < 4; g++) {
		char id[8];
		long pid;

		snprintf(id, sizeof(id), "%s.1", groups[g]);
		pid = pull_runner_of(fx.log, id);
		ck_assert_int_gt(pid, 0);
		for (int t = 2; t <= 3; t++) {
			snprintf(id, sizeof(id), "%s.%d", groups[g], t);
			ck_assert_int_eq(pull_runner_of(fx.log, id), pid);
		}
	}
	teardown(&fx);
}
END_TEST

START_TEST(run_pull_blames_a_crash_on_its_test_and_runs_the_rest)
{
	struct fixture fx;
	struct testr_run_result res;

	setup(&fx, "a\nb\nc_segv\nd\ne\nf\ng\nh\n", PULL_CONF);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(saw(&fx.seen, "fail c_segv"));
	ck_assert(saw(&fx.seen, "fail process-returncode"));
	for (const char *id = "abdefgh"; *id; id++) {
		char one[2] = { *id, '\0' }, ok[16];

		snprintf(ok, sizeof(ok), "success %s ", one);
		ck_assert_msg(saw(&fx.seen, ok), "%s did not pass", one);
		ck_assert_uint_eq(results_of(&fx.seen, one), 1);
	}
	ck_assert_uint_eq(results_of(&fx.seen, "c_segv"), 1);
	ck_assert_uint_eq(res.missing, 0);
	teardown(&fx);
}
END_TEST

START_TEST(run_pull_refuses_an_id_holding_a_newline)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", PULL_CONF);
	testr_strv_push(&ids, "a");
	testr_strv_push(&ids, "two\nlines");
	testr_strv_push(&ids, "b");
	fx.opts.ids = &ids;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(saw(&fx.seen, "fail two\nlines"));
	ck_assert(saw(&fx.seen, "success a "));
	ck_assert(saw(&fx.seen, "success b "));
	ck_assert_uint_eq(pull_runners(fx.log), 1);
	ck_assert_ptr_null(strstr(harness_slurp(fx.log), "two"));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

/* No runner can be fed it, so a retry would only fail it again. */
START_TEST(run_pull_does_not_retry_an_id_holding_a_newline)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", PULL_CONF);
	testr_strv_push(&ids, "a");
	testr_strv_push(&ids, "two\nlines");
	fx.opts.ids = &ids;
	fx.opts.retry = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(results_of(&fx.seen, "two\nlines"), 1);
	ck_assert_uint_eq(res.retried, 0);
	ck_assert(saw(&fx.seen, "success a "));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

START_TEST(run_pull_interrupted_stores_fed_ids_as_not_run)
{
	struct fixture fx;
	struct testr_run_result res;
	size_t failed = 0;

	setup(&fx, "a\nb_hang\nc\nd\ne\nf\ng\nh\ni\nj\n", PULL_CONF);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.seen.stop_on_first = true;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), TESTR_EINTR);
	ck_assert(res.interrupted);
	ck_assert_uint_eq(res.workers, 2);
	ck_assert_uint_lt(res.ids, 10);
	for (size_t i = 0; i < fx.seen.n_events; i++)
		failed += strncmp(fx.seen.events[i], "fail ", 5) == 0;
	ck_assert_uint_ge(res.not_run, 1);
	ck_assert_uint_eq(failed, res.not_run);
	ck_assert_uint_eq(res.tests + res.not_run, res.ids);
	ck_assert(saw(&fx.seen, "fail b_hang"));
	teardown(&fx);
}
END_TEST

START_TEST(run_pull_needs_a_runner_that_pulls)
{
	struct fixture fx;
	struct testr_run_result res;

	setup(&fx, "a\nb\n", NULL);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.schedule = TESTR_SCHED_PULL;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), TESTR_EINVAL);
	ck_assert_ptr_nonnull(strstr(testr_context_error(fx.ctx),
				     "test_feed = stdin or fifo"));
	teardown(&fx);
}
END_TEST

START_TEST(run_pull_through_a_fifo_removes_it_after)
{
	struct fixture fx;
	struct testr_run_result res;
	char tmp[700];

	setup(&fx, "a\nb\nc\n", "test_feed=fifo\n"
	      "test_feed_option=--pull $IDPIPE\n");
	snprintf(tmp, sizeof(tmp), "%s/t", fx.dir);
	ck_assert_int_eq(mkdir(tmp, 0700), 0);
	setenv("TMPDIR", tmp, 1);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	unsetenv("TMPDIR");
	ck_assert_uint_eq(res.tests, 3);
	ck_assert_ptr_nonnull(strstr(fx.seen.commands[1], "/testr-pull-"));
	ck_assert_int_eq(rmdir(tmp), 0);	/* empty: the fifo is gone */
	teardown(&fx);
}
END_TEST

START_TEST(run_leaves_the_callers_stdin_open)
{
	struct fixture fx;
	struct testr_run_result res;
	int null = open("/dev/null", O_RDONLY);

	/* A worker slot without a feed must not close descriptor 0. */
	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, 0), 0);
	close(null);
	setup(&fx, "t0\nt1\nt2\nt3\n", "test_schedule=batches\n");
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_int_ne(fcntl(0, F_GETFD), -1);
	teardown(&fx);
}
END_TEST

/* The text of the last failure stored, for the auto timeout's wording. */
static char failure_text[512];

static int
keep_failure_text(void *userdata, const struct testr_event *ev)
{
	(void)userdata;
	if ((ev->fields & TESTR_EVENT_FILE) && ev->status == TESTR_STATUS_FAIL)
		snprintf(failure_text, sizeof(failure_text), "%.*s",
			 (int)ev->file_len, (const char *)ev->file_bytes);
	return 0;
}

START_TEST(run_idle_timeout_fails_the_silent_test_and_reruns_the_rest)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;
	char logged[1024];
	size_t runners;

	setup(&fx, "", NULL);
	ids_around(&fx, &ids, "b_stuck");
	fx.opts.idle_timeout = 1;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(saw(&fx.seen, "success a worker-0"));
	ck_assert(saw(&fx.seen, "fail b_stuck worker-0"));
	ck_assert(saw(&fx.seen, "success c worker-0"));
	ck_assert_uint_eq(res.missing, 0);
	logged_ids(fx.log, logged, sizeof(logged), &runners);
	ck_assert_uint_eq(runners, 2);
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

START_TEST(run_idle_timeout_with_no_test_in_progress_blames_the_next_id)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	ids_around(&fx, &ids, "b_hang");	/* silent before it starts */
	fx.opts.idle_timeout = 1;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(saw(&fx.seen, "fail b_hang worker-0"));
	ck_assert(saw(&fx.seen, "success c worker-0"));
	ck_assert(!saw(&fx.seen, "fail process-returncode"));
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

START_TEST(run_timeout_of_the_whole_run_stops_it_and_fails_what_did_not_run)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	ids_around(&fx, &ids, "b_stuck");
	fx.opts.run_timeout = 1;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), TESTR_ETIMEDOUT);
	ck_assert_ptr_nonnull(strstr(testr_context_error(fx.ctx),
				     "the run timed out after 1 s"));
	ck_assert(saw(&fx.seen, "success a worker-0"));
	ck_assert(saw(&fx.seen, "fail b_stuck worker-0"));
	ck_assert(saw(&fx.seen, "fail c worker-0"));	/* not run */
	ck_assert_uint_eq(res.not_run, 1);
	ck_assert(!res.interrupted);
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

/* The duration model of run_auto_timeout_...: every test measured at 10 ms. */
static int
tiny_estimates(void *userdata, struct testr_estimate *out,
	       const char *const *ids, size_t n)
{
	(void)userdata;
	(void)ids;
	for (size_t i = 0; i < n; i++)
		out[i] = (struct testr_estimate){ 0.01, 0, 8,
						  TESTR_ESTIMATE_MEASURED };
	return 0;
}

START_TEST(run_auto_timeout_stops_a_test_far_slower_than_its_history)
{
	struct fixture fx;
	struct testr_run_result res;
	struct testr_strv ids = TESTR_STRV_INIT;

	setup(&fx, "", NULL);
	ids_around(&fx, &ids, "b_stuck");
	fx.opts.on_store = keep_failure_text;
	fx.opts.auto_timeout = true;
	fx.opts.auto_floor = 1;
	fx.opts.estimates = tiny_estimates;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert(saw(&fx.seen, "success a worker-0"));
	ck_assert(saw(&fx.seen, "fail b_stuck worker-0"));
	ck_assert(saw(&fx.seen, "success c worker-0"));
	ck_assert_msg(strstr(failure_text, "timed out after 1 s (--timeout "
			     "auto"), "%s", failure_text);
	testr_strv_dispose(&ids);
	teardown(&fx);
}
END_TEST

/* The worker tag of the first event starting with @prefix, or "". */
static const char *
tag_of(const struct seen *s, const char *prefix, char *buf, size_t size)
{
	for (size_t i = 0; i < s->n_events; i++) {
		const char *w;

		if (strncmp(s->events[i], prefix, strlen(prefix)) != 0)
			continue;
		w = strstr(s->events[i], "worker-");
		snprintf(buf, size, "%.*s", w ? (int)strcspn(w, " ") : 0,
			 w ? w : "");
		return buf;
	}
	return "";
}

/* The index of the first event starting with @prefix (n_events: none). */
static size_t
first_event(const struct seen *s, const char *prefix)
{
	for (size_t i = 0; i < s->n_events; i++)
		if (strncmp(s->events[i], prefix, strlen(prefix)) == 0)
			return i;
	return s->n_events;
}

static size_t
count_events(const struct seen *s, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_events; i++)
		n += strncmp(s->events[i], prefix, strlen(prefix)) == 0;
	return n;
}

START_TEST(run_retry_reruns_a_failed_test_on_a_fresh_runner_then_it_is_flaky)
{
	struct fixture fx;
	struct testr_run_result res;
	char logged[1024];
	size_t runners;

	setup(&fx, "a\nb_passon2\nc\n", NULL);
	fx.opts.retry = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	/* Both attempts are delivered, the failure first. */
	ck_assert_uint_eq(count_events(&fx.seen, "fail b_passon2"), 1);
	ck_assert_uint_eq(count_events(&fx.seen, "success b_passon2"), 1);
	ck_assert_uint_lt(first_event(&fx.seen, "fail b_passon2"),
			  first_event(&fx.seen, "success b_passon2"));
	ck_assert_uint_eq(res.retried, 1);
	ck_assert_uint_eq(res.flaky, 1);
	ck_assert_uint_eq(res.tests, 3);	/* the retry replaces, not adds */
	ck_assert_uint_eq(res.ids, 3);
	ck_assert_uint_eq(res.missing, 0);
	logged_ids(fx.log, logged, sizeof(logged), &runners);
	ck_assert_uint_eq(runners, 2);		/* a fresh runner for it */
	ck_assert_str_eq(logged, "a b_passon2 b_passon2 c ");
	teardown(&fx);
}
END_TEST

START_TEST(run_retry_of_a_test_that_always_fails_runs_it_n_more_times)
{
	struct fixture fx;
	struct testr_run_result res;
	char logged[1024];
	size_t runners;

	setup(&fx, "a\nb_fail\n", "test_retry=2\n");	/* the config's */
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(count_events(&fx.seen, "fail b_fail"), 3);
	ck_assert_uint_eq(count_events(&fx.seen, "success a"), 1);
	ck_assert_uint_eq(res.retried, 2);
	ck_assert_uint_eq(res.flaky, 0);
	ck_assert_uint_eq(res.tests, 2);
	logged_ids(fx.log, logged, sizeof(logged), &runners);
	ck_assert_uint_eq(runners, 3);
	ck_assert_str_eq(logged, "a b_fail b_fail b_fail ");
	teardown(&fx);
}
END_TEST

START_TEST(run_without_retry_runs_a_failed_test_once)
{
	struct fixture fx;
	struct testr_run_result res;

	setup(&fx, "a\nb_passon2\n", NULL);
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(count_events(&fx.seen, "fail b_passon2"), 1);
	ck_assert_uint_eq(count_events(&fx.seen, "success b_passon2"), 0);
	ck_assert_uint_eq(res.retried, 0);
	teardown(&fx);
}
END_TEST

START_TEST(run_retry_prefers_another_worker_slot)
{
	struct fixture fx;
	struct testr_run_result res;
	char failed_on[32], passed_on[32];

	setup(&fx, "t0\nt1\nt2_passon2\nt3\nt4\nt5\nt6\nt7\n",
	      "test_schedule=batches\n");
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.retry = 1;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	tag_of(&fx.seen, "fail t2_passon2", failed_on, sizeof(failed_on));
	tag_of(&fx.seen, "success t2_passon2", passed_on, sizeof(passed_on));
	ck_assert_str_ne(failed_on, "");
	ck_assert_str_ne(passed_on, "");
	ck_assert_str_ne(failed_on, passed_on);
	ck_assert_uint_eq(res.flaky, 1);
	ck_assert_uint_eq(res.tests, 8);
	teardown(&fx);
}
END_TEST

START_TEST(run_retry_works_on_a_static_plan)
{
	struct fixture fx;
	struct testr_run_result res;

	setup(&fx, "t0\nt1_passon2\nt2\nt3\n", NULL);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.schedule = TESTR_SCHED_STATIC;
	fx.opts.retry = 1;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(count_events(&fx.seen, "fail t1_passon2"), 1);
	ck_assert_uint_eq(count_events(&fx.seen, "success t1_passon2"), 1);
	ck_assert_uint_eq(res.flaky, 1);
	teardown(&fx);
}
END_TEST

/* Every test took a second: the queue then plans batches that shrink. */
static int
one_second_each(void *userdata, double *out, const char *const *ids, size_t n)
{
	(void)userdata;
	(void)ids;
	for (size_t i = 0; i < n; i++)
		out[i] = 1.0;
	return 0;
}

START_TEST(run_max_failures_withholds_the_rest_and_reports_it_not_run)
{
	struct fixture fx;
	struct testr_run_result res;
	char logged[1024], id[16];
	size_t runners, ran = 0;

	setup(&fx, "t0_fail\nt1_fail\nt2_fail\nt3_fail\nt4_fail\n"
	      "t5_fail\nt6_fail\nt7_fail\nt8_fail\nt9_fail\n",
	      "test_schedule=batches\n");
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.max_failures = 1;
	fx.opts.durations = one_second_each;
	fx.opts.startup = 0.1;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	logged_ids(fx.log, logged, sizeof(logged), &runners);
	ck_assert(res.stopped);
	ck_assert_uint_gt(res.not_run, 0);
	ck_assert_uint_lt(res.not_run, 10);
	ck_assert_uint_eq(res.tests + res.not_run, 10);
	/* Every id ran (a runner logged it) or failed as not run, once;
	 * none passed. */
	ck_assert_uint_eq(count_events(&fx.seen, "success"), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "fail t%d_fail", i);
		ck_assert_uint_eq(count_events(&fx.seen, id), 1);
		ran += strstr(logged, id + 5) != NULL;
	}
	ck_assert_uint_eq(ran, res.tests);
	ck_assert_uint_lt(runners, 5);	/* no batch after the failure */
	teardown(&fx);
}
END_TEST

static void
on_forecast(void *userdata, const char *const *ids, const double *seconds,
	    size_t n_ids, size_t n_workers)
{
	struct seen *s = userdata;

	(void)n_workers;
	s->forecast_n = n_ids;
	s->forecast_a = NAN;
	for (size_t i = 0; i < n_ids; i++)
		if (strcmp(ids[i], "a_time4000") == 0)
			s->forecast_a = seconds[i];
}

static void
on_schedule(void *userdata, const struct testr_sched *plan,
	    const struct testr_strv *ids)
{
	struct seen *s = userdata;

	(void)ids;
	s->makespan = testr_sched_makespan(plan);
}

static void
on_log(void *userdata, enum testr_log_level level, const char *msg)
{
	struct seen *s = userdata;
	size_t have = strlen(s->warnings);

	if (level == TESTR_LOG_WARNING)
		snprintf(s->warnings + have, sizeof(s->warnings) - have,
			 "%s\n", msg);
}

/* One test of 4 s and four of 1 s, as fake_runner's clock has them. */
#define TIMED_TESTS "a_time4000\nb_time1000\nc_time1000\nd_time1000\n" \
		    "e_time1000\n"

/* A run of every test, serial, stored in @repo, its options given only
 * the repository for the model. */
static void
store_a_run(struct fixture *fx, struct testr_repo *repo)
{
	struct testr_repo_writer *w;
	struct testr_run_result res;
	uint64_t id;

	ck_assert_int_eq(testr_repo_writer_new(&w, repo, NULL), 0);
	fx->opts.repo = repo;
	fx->opts.on_store = testr_repo_writer_event_fn;
	fx->opts.store_userdata = w;
	ck_assert_int_eq(testr_run_tests(&res, fx->ctx, fx->cfg, NULL,
					 &fx->opts), 0);
	ck_assert_uint_eq(res.tests, 5);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	fx->opts.on_store = NULL;
	fx->opts.store_userdata = NULL;
}

static struct testr_estimate
startup_of(struct fixture *fx, struct testr_repo *repo)
{
	struct testr_estimate e;

	ck_assert_int_eq(testr_repo_startup(&e, repo, testr_config_get(fx->cfg,
					    "test_command")), 0);
	return e;
}

START_TEST(run_given_only_a_repo_plans_by_its_model_and_records_startup)
{
	struct fixture fx;
	struct testr_repo *repo;
	struct testr_run_result res;
	char parts[8][256];
	size_t n;

	setup(&fx, TIMED_TESTS, NULL);
	ck_assert_int_eq(testr_repo_init(&repo, fx.ctx, fx.dir), 0);
	fx.opts.on_forecast = on_forecast;
	fx.opts.forecast_userdata = &fx.seen;
	ck_assert_int_eq(startup_of(&fx, repo).source, TESTR_ESTIMATE_NONE);
	store_a_run(&fx, repo);
	/* The run recorded its runner's start-up in the repository. */
	ck_assert_int_eq(startup_of(&fx, repo).source,
			 TESTR_ESTIMATE_MEASURED);
	ck_assert_uint_eq(startup_of(&fx, repo).samples, 1);
	/* The static plan goes by the stored durations: the 4 s test alone,
	 * the four 1 s ones on the other worker (unknown durations would
	 * have gone round-robin: a c e, b d). */
	ck_assert_int_eq(unlink(fx.log), 0);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.schedule = TESTR_SCHED_STATIC;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	logged_partitions(fx.log, parts, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(parts[0], "a_time4000");
	ck_assert_str_eq(parts[1], "b_time1000 c_time1000 d_time1000 "
			 "e_time1000");
	/* The caller is told what the plan went by, id by id. */
	ck_assert_uint_eq(fx.seen.forecast_n, 5);
	ck_assert_double_eq_tol(fx.seen.forecast_a, 4.0, 1e-6);
	ck_assert_uint_eq(startup_of(&fx, repo).samples, 2);
	testr_repo_free(repo);
	teardown(&fx);
}
END_TEST

START_TEST(run_with_a_repo_records_its_stagger_and_gives_later_workers_less)
{
	struct fixture fx;
	struct testr_repo *repo;
	struct testr_run_result res;
	struct testr_estimate e;
	char parts[8][256], key[900];
	size_t n;

	setup(&fx, TIMED_TESTS, NULL);
	ck_assert_int_eq(testr_repo_init(&repo, fx.ctx, fx.dir), 0);
	store_a_run(&fx, repo);
	snprintf(key, sizeof(key), "[stagger] %s",
		 testr_config_get(fx.cfg, "test_command"));
	/* A serial run has no wave of runners to measure. */
	ck_assert_int_eq(testr_repo_startup(&e, repo, key), 0);
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_NONE);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_int_eq(testr_repo_startup(&e, repo, key), 0);
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_MEASURED);
	ck_assert_double_ge(e.seconds, 0);
	/* Runners recorded as starting 2 s apart: the second worker, 2 s
	 * late, takes less than the four 1 s tests of the even split. */
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(testr_repo_note_startup(repo, key, 2.0), 0);
	ck_assert_int_eq(unlink(fx.log), 0);
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	logged_partitions(fx.log, parts, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(parts[0], "a_time4000 d_time1000");
	ck_assert_str_eq(parts[1], "b_time1000 c_time1000 e_time1000");
	/* --static stays testrepository's partition. */
	ck_assert_int_eq(unlink(fx.log), 0);
	fx.opts.schedule = TESTR_SCHED_STATIC;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	logged_partitions(fx.log, parts, &n);
	ck_assert_str_eq(parts[0], "a_time4000");
	testr_repo_free(repo);
	teardown(&fx);
}
END_TEST

/* on_startup: how many events had been seen when it was told. */
static void
note_events_at_startup(void *userdata, double seconds)
{
	struct seen *s = userdata;

	ck_assert_double_ge(seconds, 0);
	snprintf(s->warnings, sizeof(s->warnings), "%zu", s->n_events);
}

START_TEST(run_of_one_list_per_worker_tells_its_startup_while_they_work)
{
	struct fixture fx;
	struct testr_run_result res;
	size_t at;

	setup(&fx, "a_sleep400\nb_ok\n", NULL);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.schedule = TESTR_SCHED_STATIC;
	fx.opts.on_startup = note_events_at_startup;
	fx.opts.startup_userdata = &fx.seen;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.workers, 2);
	/* Told once both runners were heard from: before a_sleep400's
	 * result, not after the last runner ended. */
	ck_assert_msg(*fx.seen.warnings, "on_startup was not told");
	at = strtoul(fx.seen.warnings, NULL, 10);
	ck_assert(saw(&fx.seen, "success a_sleep400"));
	for (size_t i = 0; i < at; i++)
		ck_assert_msg(strncmp(fx.seen.events[i], "success a_sleep400",
				      18) != 0, "told after the last result");
	teardown(&fx);
}
END_TEST

START_TEST(run_given_a_repo_plans_the_queue_by_its_estimates_and_startup)
{
	struct fixture fx;
	struct testr_repo *repo;
	struct testr_run_result res;
	const char *cmd;

	setup(&fx, TIMED_TESTS, NULL);
	ck_assert_int_eq(testr_repo_init(&repo, fx.ctx, fx.dir), 0);
	store_a_run(&fx, repo);
	/* A runner that takes 7 s to start, as recorded (the median of
	 * the run's own sample and three of 7 s). */
	cmd = testr_config_get(fx.cfg, "test_command");
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(testr_repo_note_startup(repo, cmd, 7.0), 0);
	fx.opts.parallel = true;
	fx.opts.concurrency = 2;
	fx.opts.dry_run = true;
	fx.opts.on_schedule = on_schedule;
	fx.opts.schedule_userdata = &fx.seen;
	fx.opts.on_forecast = on_forecast;
	fx.opts.forecast_userdata = &fx.seen;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_double_eq_tol(fx.seen.forecast_a, 4.0, 1e-6);
	/* Each worker starts a runner once (7 s) and runs 4 s of tests;
	 * without the record the listing's few milliseconds stand in. */
	ck_assert_double_ge(fx.seen.makespan, 11.0 - 1e-6);
	testr_repo_free(repo);
	teardown(&fx);
}
END_TEST

START_TEST(run_with_a_repo_warns_of_a_damaged_startup_record_and_runs)
{
	struct fixture fx;
	struct testr_repo *repo;
	struct testr_run_result res;

	setup(&fx, TIMED_TESTS, NULL);
	ck_assert_int_eq(testr_repo_init(&repo, fx.ctx, fx.dir), 0);
	write_file(fx.dir, ".testrepository/startup",
		   "libtestr-startup 1\nr 0.6\n");
	testr_context_set_log(fx.ctx, on_log, &fx.seen, TESTR_LOG_WARNING);
	fx.opts.repo = repo;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), 0);
	ck_assert_uint_eq(res.tests, 5);
	/* Read before the run, kept after it: each a warning. */
	ck_assert_msg(strstr(fx.seen.warnings, "startup:2: bad line"),
		      "warnings: %s", fx.seen.warnings);
	testr_repo_free(repo);
	teardown(&fx);
}
END_TEST

START_TEST(run_refuses_a_repo_beside_a_durations_or_estimates_callback)
{
	struct fixture fx;
	struct testr_repo *repo;
	struct testr_run_result res;

	setup(&fx, TIMED_TESTS, NULL);
	ck_assert_int_eq(testr_repo_init(&repo, fx.ctx, fx.dir), 0);
	fx.opts.repo = repo;
	fx.opts.estimates = tiny_estimates;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), TESTR_EINVAL);
	ck_assert_ptr_nonnull(strstr(testr_context_error(fx.ctx),
				     "repo and a durations or estimates "
				     "callback are both set"));
	fx.opts.estimates = NULL;
	fx.opts.durations = one_second_each;
	ck_assert_int_eq(testr_run_tests(&res, fx.ctx, fx.cfg, NULL,
					 &fx.opts), TESTR_EINVAL);
	ck_assert_uint_eq(res.workers, 0);
	testr_repo_free(repo);
	teardown(&fx);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, run_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, run_list_tests_runs_the_list_command);
	HARNESS_ADD(h, run_list_tests_shows_output_of_failed_listing);
	HARNESS_ADD(h, run_list_tests_needs_listopt);
	HARNESS_ADD(h, run_concurrency_prefers_option_then_callout_then_cpus);
	HARNESS_ADD(h, run_concurrency_callout_failure_is_an_error);
	HARNESS_ADD(h, run_tests_in_parallel_tags_each_workers_events);
	HARNESS_ADD(h, run_tests_serially_runs_everything_in_one_worker);
	HARNESS_ADD(h, run_tests_filters_select_the_union);
	HARNESS_ADD(h, run_reports_dead_worker_and_its_lost_ids);
	HARNESS_ADD(h, run_blames_a_death_between_tests_on_the_next_id_and_reruns_the_rest);
	HARNESS_ADD(h, run_names_worker_command_and_signal_of_killed_runner);
	HARNESS_ADD(h, run_counts_a_listed_id_reported_as_its_scenarios_as_run);
	HARNESS_ADD(h, run_scenarios_of_a_runner_that_died_leave_the_listed_id_failed);
	HARNESS_ADD(h, run_an_id_merely_sharing_a_prefix_is_no_expansion);
	HARNESS_ADD(h, run_warns_about_a_test_the_worker_was_not_given);
	HARNESS_ADD(h, run_of_everything_that_reports_nothing_is_no_tests);
	HARNESS_ADD(h, run_that_selected_nothing_is_not_no_tests);
	HARNESS_ADD(h, run_interrupted_stops_workers_without_inventing_failures);
	HARNESS_ADD(h, run_interrupted_stores_unreported_ids_as_not_run);
	HARNESS_ADD(h, run_concurrency_callout_ends_on_the_context_interrupt);
	HARNESS_ADD(h, run_wraps_workers_in_instances_and_releases_them);
	HARNESS_ADD(h, run_hands_worker_stderr_to_on_output_in_whole_lines);
	HARNESS_ADD(h, run_queue_hands_every_id_once_in_batches_to_the_slots);
	HARNESS_ADD(h, run_queue_interrupted_hands_out_no_more_batches);
	HARNESS_ADD(h, run_static_schedule_gives_each_worker_one_runner);
	HARNESS_ADD(h, run_timeout_fails_the_hung_test_and_reruns_the_rest);
	HARNESS_ADD(h, run_pull_feeds_every_id_once_to_one_runner_per_worker);
	HARNESS_ADD(h, run_pull_keeps_a_group_on_one_runner);
	HARNESS_ADD(h, run_pull_blames_a_crash_on_its_test_and_runs_the_rest);
	HARNESS_ADD(h, run_pull_refuses_an_id_holding_a_newline);
	HARNESS_ADD(h, run_pull_does_not_retry_an_id_holding_a_newline);
	HARNESS_ADD(h, run_pull_interrupted_stores_fed_ids_as_not_run);
	HARNESS_ADD(h, run_pull_needs_a_runner_that_pulls);
	HARNESS_ADD(h, run_pull_through_a_fifo_removes_it_after);
	HARNESS_ADD(h, run_leaves_the_callers_stdin_open);
	HARNESS_ADD(h, run_reads_a_version_1_callers_options_only_to_their_end);
	HARNESS_ADD(h, run_gives_an_older_callers_missing_fields_their_defaults);
	HARNESS_ADD(h, run_given_only_a_repo_plans_by_its_model_and_records_startup);
	HARNESS_ADD(h, run_given_a_repo_plans_the_queue_by_its_estimates_and_startup);
	HARNESS_ADD(h, run_with_a_repo_records_its_stagger_and_gives_later_workers_less);
	HARNESS_ADD(h, run_of_one_list_per_worker_tells_its_startup_while_they_work);
	HARNESS_ADD(h, run_with_a_repo_warns_of_a_damaged_startup_record_and_runs);
	HARNESS_ADD(h, run_refuses_a_repo_beside_a_durations_or_estimates_callback);
	HARNESS_ADD(h, run_idle_timeout_fails_the_silent_test_and_reruns_the_rest);
	HARNESS_ADD(h, run_idle_timeout_with_no_test_in_progress_blames_the_next_id);
	HARNESS_ADD(h, run_timeout_of_the_whole_run_stops_it_and_fails_what_did_not_run);
	HARNESS_ADD(h, run_auto_timeout_stops_a_test_far_slower_than_its_history);
	HARNESS_ADD(h, run_retry_reruns_a_failed_test_on_a_fresh_runner_then_it_is_flaky);
	HARNESS_ADD(h, run_retry_of_a_test_that_always_fails_runs_it_n_more_times);
	HARNESS_ADD(h, run_without_retry_runs_a_failed_test_once);
	HARNESS_ADD(h, run_retry_prefers_another_worker_slot);
	HARNESS_ADD(h, run_retry_works_on_a_static_plan);
	HARNESS_ADD(h, run_max_failures_withholds_the_rest_and_reports_it_not_run);
}
