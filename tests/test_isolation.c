/* Unit tests for lib/isolation.c: --analyze-isolation's bisection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "isolation";

/* A fake runner: a "victim" fails after a "polluter" in the same run, a
 * "fail" always fails; each probe is stored, and its ids logged. */
struct fake {
	struct testr_repo *repo;
	char log[16][256];
	size_t n_runs;
	int error;	/* returned by the probe once n_runs reaches 2 */
	volatile sig_atomic_t *interrupt_after_first;
};

static void
store(struct testr_repo_writer *w, const char *id, const char *worker,
      enum testr_status st)
{
	struct testr_event ev = { 0 };
	const char *tags[1] = { worker };

	ev.fields = TESTR_EVENT_TEST_ID | (worker ? TESTR_EVENT_TAGS : 0);
	ev.test_id = id;
	ev.status = st;
	ev.runnable = true;
	ev.tags = worker ? tags : NULL;
	ev.n_tags = worker ? 1 : 0;
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
}

static int
fake_run(void *userdata, bool *passed, const struct testr_strv *ids)
{
	struct testr_repo_writer_options wo = TESTR_REPO_WRITER_OPTIONS_INIT;
	struct fake *f = userdata;
	struct testr_repo_writer *w;
	bool polluted = false;
	uint64_t id;
	char *log = f->log[f->n_runs < 16 ? f->n_runs : 15];

	if (f->error && f->n_runs == 2)
		return f->error;
	log[0] = '\0';
	wo.partial = true;
	ck_assert_int_eq(testr_repo_writer_new(&w, f->repo, &wo), 0);
	*passed = true;
	for (size_t i = 0; i < ids->n; i++) {
		const char *t = ids->v[i];
		bool fails = strstr(t, "fail") ||
			     (strstr(t, "victim") && polluted);

		polluted |= strstr(t, "polluter") != NULL;
		*passed &= !fails;
		store(w, t, "worker-0", fails ? TESTR_STATUS_FAIL :
					     TESTR_STATUS_SUCCESS);
		snprintf(log + strlen(log), 256 - strlen(log), "%s%s",
			 i ? " " : "", t);
	}
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	f->n_runs++;
	if (f->interrupt_after_first)
		*f->interrupt_after_first = 1;
	return 0;
}

/* The latest run: worker-0 ran a.one a.polluter a.two a.victim, worker-1
 * ran b.three b.victim2 b.fail, interleaved. */
static void
latest_run(struct harness_repo *h)
{
	struct testr_repo_writer *w;
	uint64_t id;

	ck_assert_int_eq(testr_repo_writer_new(&w, h->repo, NULL), 0);
	store(w, "a.one", "worker-0", TESTR_STATUS_SUCCESS);
	store(w, "b.three", "worker-1", TESTR_STATUS_SUCCESS);
	store(w, "a.polluter", "worker-0", TESTR_STATUS_SUCCESS);
	store(w, "b.victim2", "worker-1", TESTR_STATUS_FAIL);
	store(w, "a.two", "worker-0", TESTR_STATUS_SUCCESS);
	store(w, "b.fail", "worker-1", TESTR_STATUS_FAIL);
	store(w, "a.victim", "worker-0", TESTR_STATUS_FAIL);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
}

static int
analyze(struct testr_isolation_result *r, struct harness_repo *h,
	struct fake *f, const char *filter)
{
	struct testr_isolation_options o = TESTR_ISOLATION_OPTIONS_INIT;

	f->repo = h->repo;
	o.run = fake_run;
	o.userdata = f;
	o.filters = &filter;
	o.n_filters = filter ? 1 : 0;
	return testr_isolation_analyze(r, h->ctx, h->repo, &o);
}

static bool
logged(const struct fake *f, const char *ids)
{
	for (size_t i = 0; i < f->n_runs; i++)
		if (strcmp(f->log[i], ids) == 0)
			return true;
	return false;
}

START_TEST(isolation_finds_the_earlier_test_that_breaks_a_victim)
{
	struct harness_repo h;
	struct fake f = { 0 };
	struct testr_isolation_result r;

	harness_repo_init(&h);
	latest_run(&h);
	ck_assert_int_eq(analyze(&r, &h, &f, "^a\\."), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.conflicts[0].victim, "a.victim");
	ck_assert_str_eq(r.conflicts[0].cause, "a.polluter");
	/* Alone, then halves of a.one a.polluter a.two with the victim. */
	ck_assert_str_eq(f.log[0], "a.victim");
	ck_assert_str_eq(f.log[1], "a.one a.polluter a.victim");
	ck_assert_str_eq(f.log[2], "a.one a.victim");
	ck_assert_str_eq(f.log[3], "a.polluter a.victim");
	ck_assert_uint_eq(f.n_runs, 4);
	testr_isolation_result_dispose(&r);
	harness_repo_dispose(&h);
}
END_TEST

START_TEST(isolation_leaves_out_tests_that_fail_alone)
{
	struct harness_repo h;
	struct fake f = { 0 };
	struct testr_isolation_result r;

	harness_repo_init(&h);
	latest_run(&h);
	ck_assert_int_eq(analyze(&r, &h, &f, "fail"), 0);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_uint_eq(f.n_runs, 1);
	ck_assert_str_eq(f.log[0], "b.fail");
	testr_isolation_result_dispose(&r);
	harness_repo_dispose(&h);
}
END_TEST

START_TEST(isolation_bisects_only_the_victims_worker_and_may_find_nothing)
{
	struct harness_repo h;
	struct fake f = { 0 };
	struct testr_isolation_result r;

	harness_repo_init(&h);
	latest_run(&h);
	/* b.victim2 passes alone and with b.three: no cause on worker-1,
	 * and no probe holds a test of worker-0. */
	ck_assert_int_eq(analyze(&r, &h, &f, "victim2"), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.conflicts[0].victim, "b.victim2");
	ck_assert_ptr_null(r.conflicts[0].cause);
	ck_assert(logged(&f, "b.three b.victim2"));
	ck_assert_uint_eq(f.n_runs, 2);
	testr_isolation_result_dispose(&r);
	harness_repo_dispose(&h);
}
END_TEST

START_TEST(isolation_analyses_every_failing_test_without_filters)
{
	struct harness_repo h;
	struct fake f = { 0 };
	struct testr_isolation_result r;

	harness_repo_init(&h);
	latest_run(&h);
	ck_assert_int_eq(analyze(&r, &h, &f, NULL), 0);
	ck_assert_uint_eq(r.n, 2);
	ck_assert(logged(&f, "b.fail"));
	ck_assert(logged(&f, "a.one a.polluter a.victim"));
	testr_isolation_result_dispose(&r);
	harness_repo_dispose(&h);
}
END_TEST

START_TEST(isolation_stops_at_the_first_probe_error)
{
	struct harness_repo h;
	struct fake f = { 0 };
	struct testr_isolation_result r;

	harness_repo_init(&h);
	latest_run(&h);
	f.error = TESTR_ECHILD;
	ck_assert_int_eq(analyze(&r, &h, &f, "^a\\."), TESTR_ECHILD);
	ck_assert_uint_eq(f.n_runs, 2);
	testr_isolation_result_dispose(&r);
	harness_repo_dispose(&h);
}
END_TEST

START_TEST(isolation_stops_when_interrupted)
{
	struct harness_repo h;
	struct fake f = { 0 };
	struct testr_isolation_result r;
	static volatile sig_atomic_t flag;

	harness_repo_init(&h);
	latest_run(&h);
	flag = 0;
	testr_context_set_interrupt(h.ctx, &flag);
	f.interrupt_after_first = &flag;
	ck_assert_int_eq(analyze(&r, &h, &f, NULL), TESTR_EINTR);
	ck_assert_uint_eq(f.n_runs, 1);
	testr_isolation_result_dispose(&r);
	harness_repo_dispose(&h);
}
END_TEST

START_TEST(isolation_needs_a_run_function)
{
	struct harness_repo h;
	struct testr_isolation_options o = TESTR_ISOLATION_OPTIONS_INIT;
	struct testr_isolation_result r;

	harness_repo_init(&h);
	ck_assert_int_eq(testr_isolation_analyze(&r, h.ctx, h.repo, &o),
			 TESTR_EINVAL);
	ck_assert_uint_eq(r.n, 0);
	harness_repo_dispose(&h);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, isolation_finds_the_earlier_test_that_breaks_a_victim);
	HARNESS_ADD(h, isolation_leaves_out_tests_that_fail_alone);
	HARNESS_ADD(h, isolation_bisects_only_the_victims_worker_and_may_find_nothing);
	HARNESS_ADD(h, isolation_analyses_every_failing_test_without_filters);
	HARNESS_ADD(h, isolation_stops_at_the_first_probe_error);
	HARNESS_ADD(h, isolation_stops_when_interrupted);
	HARNESS_ADD(h, isolation_needs_a_run_function);
}
