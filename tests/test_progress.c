/* Unit tests for a run's progress and time left (lib/progress.c), driven
 * by a synthetic clock: every call is given its time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "progress";

/* @id's event @st on worker @worker (its "worker-N" tag). */
static void
feed(struct testr_progress *p, const char *id, enum testr_status st,
     int worker, double now)
{
	char tag[32];
	const char *tags[] = { tag };
	struct testr_event ev = { 0 };

	snprintf(tag, sizeof(tag), "worker-%d", worker);
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TAGS;
	ev.test_id = id;
	ev.status = st;
	ev.tags = tags;
	ev.n_tags = 1;
	ck_assert_int_eq(testr_progress_event(p, &ev, now), 0);
}

static void
run_test(struct testr_progress *p, const char *id, int worker, double from,
	 double to)
{
	feed(p, id, TESTR_STATUS_INPROGRESS, worker, from);
	feed(p, id, TESTR_STATUS_SUCCESS, worker, to);
}

static struct testr_progress *
planned(const char *const *ids, const double *est, size_t n, size_t workers)
{
	struct testr_progress *p;

	ck_assert_int_eq(testr_progress_new(&p, 100.0), 0);
	ck_assert_int_eq(testr_progress_plan(p, ids, est, n, workers), 0);
	return p;
}

static double
left_at(const struct testr_progress *p, double now)
{
	struct testr_progress_state st;

	testr_progress_state(&st, p, now);
	return st.left;
}

START_TEST(progress_time_left_is_the_planned_work_spread_over_the_workers)
{
	static const char *const ids[] = { "a", "b", "c", "d" };
	static const double est[] = { 4, 4, 4, 4 };
	struct testr_progress *p = planned(ids, est, 4, 2);
	struct testr_progress_state st;

	testr_progress_state(&st, p, 100.0);
	ck_assert_uint_eq(st.expected, 4);
	ck_assert_uint_eq(st.done, 0);
	ck_assert_double_eq_tol(st.left, 8.0, 1e-9);
	ck_assert_double_eq_tol(st.pace, 1.0, 1e-9);
	/* On time: a and b ran their 4 s; c and d are left. */
	run_test(p, "a", 0, 100, 104);
	run_test(p, "b", 1, 100, 104);
	testr_progress_state(&st, p, 104.0);
	ck_assert_uint_eq(st.done, 2);
	ck_assert_double_eq_tol(st.elapsed, 4.0, 1e-9);
	ck_assert_double_eq_tol(st.left, 4.0, 1e-9);
	run_test(p, "c", 0, 104, 108);
	run_test(p, "d", 1, 104, 108);
	ck_assert_double_eq_tol(left_at(p, 108.0), 0.0, 1e-9);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_time_left_grows_when_tests_run_slower_than_planned)
{
	static const char *const ids[] = { "a", "b", "c", "d", "e", "f" };
	static const double est[] = { 1, 1, 1, 1, 1, 1 };
	struct testr_progress *p = planned(ids, est, 6, 1);
	struct testr_progress_state st;

	/* Every test takes twice its estimate: the four left take ~8 s. */
	run_test(p, "a", 0, 100, 102);
	run_test(p, "b", 0, 102, 104);
	testr_progress_state(&st, p, 104.0);
	ck_assert_double_gt(st.pace, 1.5);
	ck_assert_double_gt(st.left, 6.0);
	ck_assert_double_le(st.left, 8.0 + 1e-9);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_a_test_past_its_estimate_pushes_the_time_left_up_while_it_runs)
{
	static const char *const ids[] = { "slow", "x", "y" };
	static const double est[] = { 2, 2, 2 };
	struct testr_progress *p = planned(ids, est, 3, 1);
	struct testr_progress_worker w;
	double early, late;

	feed(p, "slow", TESTR_STATUS_INPROGRESS, 0, 100.0);
	early = left_at(p, 101.0);	/* 1 s of slow, then x and y: 5 s */
	ck_assert_double_eq_tol(early, 5.0, 1e-9);
	testr_progress_worker(&w, p, 0, 101.0);
	ck_assert_str_eq(w.test, "slow");
	ck_assert_double_eq_tol(w.running, 1.0, 1e-9);
	ck_assert_double_eq_tol(w.expected, 2.0, 1e-9);
	ck_assert(!w.overdue);
	/* 20 s in, ten times its estimate: still running, so the rest is
	 * expected slower too, and the test is marked overdue. */
	late = left_at(p, 120.0);
	ck_assert_double_gt(late, 4.0);
	testr_progress_worker(&w, p, 0, 120.0);
	ck_assert_double_eq_tol(w.running, 20.0, 1e-9);
	ck_assert(w.overdue);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_a_short_overrun_is_not_overdue)
{
	static const char *const ids[] = { "t" };
	static const double est[] = { 0.01 };
	struct testr_progress *p = planned(ids, est, 1, 1);
	struct testr_progress_worker w;

	feed(p, "t", TESTR_STATUS_INPROGRESS, 0, 100.0);
	testr_progress_worker(&w, p, 0, 100.5);	/* 50 times, but 0.5 s */
	ck_assert(!w.overdue);
	testr_progress_worker(&w, p, 0, 101.5);
	ck_assert(w.overdue);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_shows_each_workers_test_and_how_long_it_has_run)
{
	static const char *const ids[] = { "a", "b", "c" };
	struct testr_progress *p = planned(ids, NULL, 3, 2);
	struct testr_progress_worker w;

	ck_assert_uint_eq(testr_progress_workers(p), 2);
	feed(p, "a", TESTR_STATUS_INPROGRESS, 0, 100.0);
	feed(p, "b", TESTR_STATUS_INPROGRESS, 1, 103.0);
	testr_progress_worker(&w, p, 0, 105.0);
	ck_assert_str_eq(w.test, "a");
	ck_assert_double_eq_tol(w.running, 5.0, 1e-9);
	ck_assert(isnan(w.expected));
	ck_assert(!w.overdue);		/* no estimate: never overdue */
	testr_progress_worker(&w, p, 1, 105.0);
	ck_assert_str_eq(w.test, "b");
	ck_assert_double_eq_tol(w.running, 2.0, 1e-9);
	feed(p, "a", TESTR_STATUS_FAIL, 0, 106.0);
	testr_progress_worker(&w, p, 0, 106.0);
	ck_assert_ptr_null(w.test);
	/* A worker the plan did not know: there, and idle. */
	feed(p, "c", TESTR_STATUS_INPROGRESS, 3, 106.0);
	ck_assert_uint_eq(testr_progress_workers(p), 4);
	testr_progress_worker(&w, p, 2, 106.0);
	ck_assert_ptr_null(w.test);
	testr_progress_worker(&w, p, 99, 106.0);
	ck_assert_ptr_null(w.test);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_counts_final_results_and_failures_once)
{
	static const char *const ids[] = { "a", "b", "c" };
	struct testr_progress *p = planned(ids, NULL, 3, 1);
	struct testr_progress_state st;
	struct testr_event ev = { 0 };

	run_test(p, "a", 0, 100, 101);
	feed(p, "b", TESTR_STATUS_INPROGRESS, 0, 101);
	/* b's traceback in two packets: b ends with the last. */
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_FILE;
	ev.test_id = "b";
	ev.status = TESTR_STATUS_FAIL;
	ev.eof = false;
	ck_assert_int_eq(testr_progress_event(p, &ev, 102), 0);
	testr_progress_state(&st, p, 102);
	ck_assert_uint_eq(st.done, 1);
	ck_assert_uint_eq(st.running, 1);
	ev.eof = true;
	ck_assert_int_eq(testr_progress_event(p, &ev, 102), 0);
	feed(p, "c", TESTR_STATUS_SKIP, 0, 102);	/* no inprogress */
	testr_progress_state(&st, p, 102);
	ck_assert_uint_eq(st.done, 3);
	ck_assert_uint_eq(st.failed, 1);
	ck_assert_uint_eq(st.running, 0);
	ck_assert_double_eq_tol(st.left, 0.0, 1e-9);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_without_estimates_uses_the_mean_of_the_finished_tests)
{
	static const char *const ids[] = { "a", "b", "c", "d", "e" };
	struct testr_progress *p = planned(ids, NULL, 5, 1);

	/* Nothing known, nothing finished: no guess. */
	ck_assert(isnan(left_at(p, 100.0)));
	run_test(p, "a", 0, 100, 103);	/* 3 s each, then: 4 x 3 s */
	ck_assert_double_eq_tol(left_at(p, 103.0), 12.0, 1e-9);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_an_unknown_test_is_estimated_as_the_median_of_the_plan)
{
	static const char *const ids[] = { "a", "b", "c", "new" };
	static const double est[] = { 1, 3, 5, NAN };
	struct testr_progress *p = planned(ids, est, 4, 1);
	struct testr_progress_worker w;

	ck_assert_double_eq_tol(left_at(p, 100.0), 12.0, 1e-9);
	feed(p, "new", TESTR_STATUS_INPROGRESS, 0, 100.0);
	testr_progress_worker(&w, p, 0, 100.0);
	ck_assert_double_eq_tol(w.expected, 3.0, 1e-9);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_a_plan_without_ids_still_gives_the_total)
{
	static const double est[] = { 2, 2, 2, 2 };
	struct testr_progress *p = planned(NULL, est, 4, 2);

	ck_assert_double_eq_tol(left_at(p, 100.0), 4.0, 1e-9);
	run_test(p, "any", 0, 100, 102);
	ck_assert_double_eq_tol(left_at(p, 102.0), 3.0, 1e-9);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_a_new_plan_keeps_the_tests_running)
{
	static const char *const ids[] = { "a", "b" };
	static const double est[] = { 5, 1 };
	struct testr_progress *p = planned(ids, est, 2, 1);
	struct testr_progress_worker w;

	feed(p, "a", TESTR_STATUS_INPROGRESS, 0, 100.0);
	/* A plan of the same ids: a is running, so only b is left. */
	ck_assert_int_eq(testr_progress_plan(p, ids, est, 2, 1), 0);
	testr_progress_worker(&w, p, 0, 101.0);
	ck_assert_str_eq(w.test, "a");
	ck_assert_double_eq_tol(w.running, 1.0, 1e-9);
	ck_assert_double_eq_tol(left_at(p, 101.0), 4.0 + 1.0, 1e-9);
	feed(p, "a", TESTR_STATUS_SUCCESS, 0, 105.0);
	ck_assert_double_eq_tol(left_at(p, 105.0), 1.0, 1e-9);
	testr_progress_free(p);
}
END_TEST

START_TEST(progress_with_no_plan_knows_no_time_left)
{
	struct testr_progress *p;
	struct testr_progress_state st;

	ck_assert_int_eq(testr_progress_new(&p, 5.0), 0);
	run_test(p, "a", 0, 5, 6);
	testr_progress_state(&st, p, 7.0);
	ck_assert_uint_eq(st.done, 1);
	ck_assert_uint_eq(st.expected, 0);
	ck_assert(isnan(st.left));
	ck_assert_double_eq_tol(st.elapsed, 2.0, 1e-9);
	testr_progress_free(p);
	testr_progress_free(NULL);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, progress_time_left_is_the_planned_work_spread_over_the_workers);
	HARNESS_ADD(h, progress_time_left_grows_when_tests_run_slower_than_planned);
	HARNESS_ADD(h, progress_a_test_past_its_estimate_pushes_the_time_left_up_while_it_runs);
	HARNESS_ADD(h, progress_a_short_overrun_is_not_overdue);
	HARNESS_ADD(h, progress_shows_each_workers_test_and_how_long_it_has_run);
	HARNESS_ADD(h, progress_counts_final_results_and_failures_once);
	HARNESS_ADD(h, progress_without_estimates_uses_the_mean_of_the_finished_tests);
	HARNESS_ADD(h, progress_an_unknown_test_is_estimated_as_the_median_of_the_plan);
	HARNESS_ADD(h, progress_a_plan_without_ids_still_gives_the_total);
	HARNESS_ADD(h, progress_a_new_plan_keeps_the_tests_running);
	HARNESS_ADD(h, progress_with_no_plan_knows_no_time_left);
}
