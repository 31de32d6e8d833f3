/* Unit tests for the work-queue planner (lib/sched.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "sched";

/* Ids "g<k>.t<i>", @n of them in @groups groups (0: ungrouped "t<i>"). */
static struct testr_strv
make_ids(size_t n, size_t groups)
{
	struct testr_strv ids = TESTR_STRV_INIT;

	for (size_t i = 0; i < n; i++) {
		char buf[64];

		if (groups)
			snprintf(buf, sizeof(buf), "g%zu.t%zu", i % groups, i);
		else
			snprintf(buf, sizeof(buf), "t%zu", i);
		ck_assert_int_eq(testr_strv_push(&ids, buf), 0);
	}
	return ids;
}

static int
prefix_group(const char **key, size_t *len,
             const struct testr_config *cfg, const char *id)
{
	const char *dot = strchr(id, '.');

	(void)cfg;
	if (!dot)
		return 0;
	*key = id;
	*len = (size_t)(dot - id);
	return 1;
}

static struct testr_sched *
plan(const char *const *ids, size_t n, const double *d, size_t workers,
     enum testr_sched_mode mode, double startup, bool grouped)
{
	struct testr_sched_options o = TESTR_SCHED_OPTIONS_INIT;
	struct testr_sched *s = NULL;

	o.mode = mode;
	o.startup = startup;
	if (grouped)
		o.group_key = prefix_group;
	ck_assert_int_eq(testr_sched_new(&s, NULL, ids, n, d, workers, &o), 0);
	return s;
}

/* Every id in exactly one batch. */
static void
ck_each_once(const struct testr_sched *s, size_t n)
{
	unsigned char *seen = calloc(n, 1);
	size_t total = 0;

	for (size_t b = 0; b < testr_sched_batches(s); b++) {
		size_t k;
		const size_t *idx = testr_sched_batch(&k, s, b);

		ck_assert_uint_gt(k, 0);
		for (size_t i = 0; i < k; i++) {
			ck_assert_uint_lt(idx[i], n);
			ck_assert_msg(!seen[idx[i]]++, "id %zu twice", idx[i]);
		}
		total += k;
	}
	ck_assert_uint_eq(total, n);
	free(seen);
}

START_TEST(sched_runs_every_id_exactly_once_in_every_mode)
{
	static const size_t workers[] = { 1, 3, 8, 64, 1000 };
	struct testr_strv owned = make_ids(500, 37);
	const char *const *ids = testr_strv_items(&owned);
	double d[500];

	for (size_t i = 0; i < 500; i++)
		d[i] = i % 7 == 0 ? NAN : 0.001 * (double)((i * 7919) % 1000);
	for (enum testr_sched_mode m = TESTR_SCHED_AUTO; m <= TESTR_SCHED_PULL; m++)
		for (size_t w = 0; w < 5; w++)
			for (int g = 0; g < 2; g++) {
				struct testr_sched *s = plan(ids, 500, d, workers[w],
							     m, 0.01, g);

				ck_each_once(s, 500);
				testr_sched_free(s);
			}
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_batches_shrink_longest_first)
{
	struct testr_strv owned = make_ids(1000, 0);
	const char *const *ids = testr_strv_items(&owned);
	double d[1000];
	struct testr_sched *s;
	size_t nb;

	/* Equal tests but the first, long one; no start-up cost. */
	for (size_t i = 0; i < 1000; i++)
		d[i] = i == 0 ? 3.0 : 0.01;
	s = plan(ids, 1000, d, 4, TESTR_SCHED_BATCHES, 0, false);
	nb = testr_sched_batches(s);
	/* Work 12.99 over 4 workers: the 3 s test first, alone. */
	{
		size_t k;
		const size_t *idx = testr_sched_batch(&k, s, 0);

		ck_assert_uint_eq(k, 1);
		ck_assert_uint_eq(idx[0], 0);
	}
	/* Then about 1/8 of what is left, shrinking to single tests. */
	ck_assert_double_eq_tol(testr_sched_batch_seconds(s, 1), 10.0 / 8, 0.011);
	for (size_t b = 2; b < nb; b++)
		ck_assert_double_le(testr_sched_batch_seconds(s, b),
				    testr_sched_batch_seconds(s, b - 1) + 1e-9);
	ck_assert_double_eq_tol(testr_sched_batch_seconds(s, nb - 1), 0.01, 1e-9);
	ck_assert_uint_lt(nb, 100);	/* guided: logarithmically many */
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_batches_cost_at_least_ten_startups)
{
	struct testr_strv owned = make_ids(1000, 0);
	const char *const *ids = testr_strv_items(&owned);
	double d[1000];
	struct testr_sched *s;
	size_t nb;

	for (size_t i = 0; i < 1000; i++)
		d[i] = 0.01;	/* 10 s in all */
	s = plan(ids, 1000, d, 4, TESTR_SCHED_BATCHES, 0.05, false);
	nb = testr_sched_batches(s);
	for (size_t b = 0; b + 1 < nb; b++)	/* the last takes what is left */
		ck_assert_double_ge(testr_sched_batch_seconds(s, b), 0.5 - 1e-9);
	/* ...and no batch above a worker's fair share. */
	ck_assert_double_le(testr_sched_batch_seconds(s, 0), 2.5 + 1e-9);
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_keeps_every_group_whole_in_one_batch)
{
	struct testr_strv owned = make_ids(600, 40);
	const char *const *ids = testr_strv_items(&owned);
	double d[600];
	int owner[40];

	for (size_t i = 0; i < 600; i++)
		d[i] = 0.001 * (double)(i % 13 + 1);
	for (enum testr_sched_mode m = TESTR_SCHED_AUTO; m <= TESTR_SCHED_PULL; m++) {
		struct testr_sched *s = plan(ids, 600, d, 8, m, 0, true);

		for (int g = 0; g < 40; g++)
			owner[g] = -1;
		for (size_t b = 0; b < testr_sched_batches(s); b++) {
			size_t k;
			const size_t *idx = testr_sched_batch(&k, s, b);

			for (size_t i = 0; i < k; i++) {
				int g = (int)(idx[i] % 40);

				ck_assert_msg(owner[g] == -1 || owner[g] == (int)b,
					      "group %d split (mode %d)", g, m);
				owner[g] = (int)b;
			}
		}
		testr_sched_free(s);
	}
	testr_strv_dispose(&owned);
}
END_TEST

/* The plan as one line per batch: "worker: ids". */
static void
ck_plan_is_partition(const struct testr_sched *s, const char *const *ids,
		     size_t n, const double *d, size_t workers, bool grouped)
{
	struct testr_partition_options po = TESTR_PARTITION_OPTIONS_INIT;
	struct testr_partition *p;
	size_t b = 0;

	if (grouped)
		po.group_key = prefix_group;
	ck_assert_int_eq(testr_partition_new(&p, NULL, ids, n, d, workers, &po),
			 0);
	for (size_t w = 0; w < workers; w++) {
		size_t pn, sn;
		const size_t *pi = testr_partition_worker(&pn, p, w);
		const size_t *si;

		if (pn == 0)
			continue;
		ck_assert_uint_lt(b, testr_sched_batches(s));
		ck_assert_uint_eq(testr_sched_batch_worker(s, b), w);
		si = testr_sched_batch(&sn, s, b++);
		ck_assert_uint_eq(sn, pn);
		ck_assert_mem_eq(si, pi, pn * sizeof(*pi));
	}
	ck_assert_uint_eq(b, testr_sched_batches(s));
	testr_partition_free(p);
}

START_TEST(sched_degenerates_to_the_static_partition_when_batching_gains_nothing)
{
	struct testr_strv owned = make_ids(300, 30);
	const char *const *ids = testr_strv_items(&owned);
	double d[300];
	struct testr_sched *s;

	/* Exact durations: one list per worker is already balanced. */
	for (size_t i = 0; i < 300; i++)
		d[i] = 0.01 * (double)(i % 17 + 1);
	s = plan(ids, 300, d, 4, TESTR_SCHED_AUTO, 0.2, true);
	ck_assert_int_eq(testr_sched_mode(s), TESTR_SCHED_STATIC);
	ck_plan_is_partition(s, ids, 300, d, 4, true);
	testr_sched_free(s);
	/* Short tests and an expensive start-up: the same. */
	for (size_t i = 0; i < 300; i++)
		d[i] = 0.0001;
	s = plan(ids, 300, d, 8, TESTR_SCHED_AUTO, 0.5, false);
	ck_assert_int_eq(testr_sched_mode(s), TESTR_SCHED_STATIC);
	ck_plan_is_partition(s, ids, 300, d, 8, false);
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_static_mode_is_exactly_the_partition)
{
	struct testr_strv owned = make_ids(200, 11);
	const char *const *ids = testr_strv_items(&owned);
	double d[200];
	struct testr_sched *s;

	for (size_t i = 0; i < 200; i++)	/* timed, partly and untimed */
		d[i] = i % 11 < 3 ? NAN : i % 5 == 0 ? NAN : 0.1 * (double)(i % 9);
	s = plan(ids, 200, d, 6, TESTR_SCHED_STATIC, 0, true);
	ck_plan_is_partition(s, ids, 200, d, 6, true);
	testr_sched_free(s);
	s = plan(ids, 200, NULL, 3, TESTR_SCHED_STATIC, 0, false);
	ck_plan_is_partition(s, ids, 200, NULL, 3, false);
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_queues_when_durations_are_unknown_or_uncertain)
{
	struct testr_strv owned = make_ids(400, 0);
	const char *const *ids = testr_strv_items(&owned);
	double d[400], spread[400];
	struct testr_sched_options o = TESTR_SCHED_OPTIONS_INIT;
	struct testr_sched *s;

	/* Nothing known (a first run): the queue, sized by test counts. */
	s = plan(ids, 400, NULL, 8, TESTR_SCHED_AUTO, 0.005, false);
	ck_assert_int_eq(testr_sched_mode(s), TESTR_SCHED_BATCHES);
	ck_assert_uint_gt(testr_sched_batches(s), 8);
	testr_sched_free(s);
	/* Known but noisy (30 %): the queue absorbs the noise. */
	for (size_t i = 0; i < 400; i++) {
		d[i] = 0.01 + 0.1 * (double)(i % 10);
		spread[i] = 0.3 * d[i];
	}
	o.spread = spread;
	o.startup = 0.005;
	ck_assert_int_eq(testr_sched_new(&s, NULL, ids, 400, d, 8, &o), 0);
	ck_assert_int_eq(testr_sched_mode(s), TESTR_SCHED_BATCHES);
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_an_unmeasured_runner_is_not_planned_as_starting_for_free)
{
	struct testr_strv owned = make_ids(400, 0);
	const char *const *ids = testr_strv_items(&owned);
	struct testr_sched *unknown, *guessed, *instant;

	/* Nothing known (a first run): an unknown start-up is planned as
	 * 0.1 s, which buys fewer batches than a free one would. */
	unknown = plan(ids, 400, NULL, 8, TESTR_SCHED_AUTO, -1.0, false);
	guessed = plan(ids, 400, NULL, 8, TESTR_SCHED_AUTO, 0.1, false);
	instant = plan(ids, 400, NULL, 8, TESTR_SCHED_AUTO, 0.0, false);
	ck_assert_uint_eq(testr_sched_batches(unknown),
			  testr_sched_batches(guessed));
	ck_assert_uint_lt(testr_sched_batches(unknown),
			  testr_sched_batches(instant));
	ck_assert_double_gt(testr_sched_makespan(unknown), 0.1);
	testr_sched_free(unknown);
	testr_sched_free(guessed);
	testr_sched_free(instant);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_first_run_with_a_slow_runner_starts_each_worker_once)
{
	struct testr_strv owned = make_ids(400, 0);
	const char *const *ids = testr_strv_items(&owned);
	struct testr_sched *s;

	/* Nothing known but a 0.5 s start-up: ten start-ups' worth of
	 * unknown tests (each planned as 0.05 s) is more than a worker's
	 * share, so one batch per worker, handed out as they free up. */
	s = plan(ids, 400, NULL, 8, TESTR_SCHED_AUTO, 0.5, false);
	ck_assert_int_eq(testr_sched_mode(s), TESTR_SCHED_BATCHES);
	ck_assert_uint_eq(testr_sched_batches(s), 8);
	ck_each_once(s, 400);
	testr_sched_free(s);
	/* A fast runner (5 ms): small batches towards the end. */
	s = plan(ids, 400, NULL, 8, TESTR_SCHED_AUTO, 0.005, false);
	ck_assert_uint_gt(testr_sched_batches(s), 24);
	ck_each_once(s, 400);
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_equal_shares_make_one_batch_per_worker)
{
	struct testr_strv owned = make_ids(3, 0);
	const char *const *ids = testr_strv_items(&owned);
	struct testr_sched *s;

	/* Three unknown tests, three workers, a slow start-up: each
	 * worker's share is one test, however the sum of shares rounds. */
	s = plan(ids, 3, NULL, 3, TESTR_SCHED_AUTO, 0.5, false);
	ck_assert_uint_eq(testr_sched_batches(s), 3);
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_predicts_the_makespan_of_the_plan)
{
	const char *ids[] = { "a", "b", "c", "d" };
	double d[] = { 4, 3, 2, 1 };
	struct testr_sched *s;

	/* Static LPT on 2 workers: {4, 1} and {3, 2}: 5 s, plus one start. */
	s = plan(ids, 4, d, 2, TESTR_SCHED_STATIC, 0.5, false);
	ck_assert_double_eq_tol(testr_sched_makespan(s), 5.5, 1e-9);
	testr_sched_free(s);
	/* Pull: one start per worker, each test its own batch. */
	s = plan(ids, 4, d, 2, TESTR_SCHED_PULL, 0.5, false);
	ck_assert_uint_eq(testr_sched_batches(s), 4);
	ck_assert_double_eq_tol(testr_sched_makespan(s), 5.5, 1e-9);
	testr_sched_free(s);
}
END_TEST

START_TEST(sched_rejects_zero_workers_and_bad_options)
{
	struct testr_sched_options o = TESTR_SCHED_OPTIONS_INIT;
	struct testr_sched *s = (void *)1;
	struct testr_context *ctx;
	const char *id = "a";

	ck_assert_int_eq(testr_sched_new(&s, NULL, &id, 1, NULL, 0, NULL),
			 TESTR_EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(testr_context_new(&ctx), 0);
	for (unsigned v = 0; v <= 3; v += 3) {
		o.version = v;
		harness_assert_version_refused(ctx,
			testr_sched_new(&s, ctx, &id, 1, NULL, 1, &o),
			"testr_sched_options", v);
		ck_assert_ptr_null(s);
	}
	testr_context_free(ctx);
	/* No ids: an empty plan. */
	ck_assert_int_eq(testr_sched_new(&s, NULL, NULL, 0, NULL, 4, NULL), 0);
	ck_assert_uint_eq(testr_sched_batches(s), 0);
	testr_sched_free(s);
}
END_TEST

/* Every group ("g<k>." prefix, k < 1000) in one batch only. */
static void
ck_groups_whole(const struct testr_sched *s, const char *const *ids,
		size_t n)
{
	size_t owner[1000];

	for (size_t g = 0; g < 1000; g++)
		owner[g] = (size_t)-1;
	for (size_t b = 0; b < testr_sched_batches(s); b++) {
		size_t k;
		const size_t *idx = testr_sched_batch(&k, s, b);

		for (size_t i = 0; i < k; i++) {
			size_t g = strtoul(ids[idx[i]] + 1, NULL, 10);

			ck_assert_uint_lt(idx[i], n);
			ck_assert_uint_lt(g, 1000);
			ck_assert_msg(owner[g] == (size_t)-1 || owner[g] == b,
				      "group %zu split", g);
			owner[g] = b;
		}
	}
}

/* @plan of @ids for @workers runners started @stagger s apart. */
static struct testr_sched *
plan_staggered(const char *const *ids, size_t n, const double *d,
	       size_t workers, enum testr_sched_mode mode, double stagger,
	       unsigned version)
{
	struct testr_sched_options o = TESTR_SCHED_OPTIONS_INIT;
	struct testr_sched *s = NULL;

	o.version = version;
	o.mode = mode;
	o.startup = 0.2;
	o.stagger = stagger;
	o.group_key = prefix_group;
	ck_assert_int_eq(testr_sched_new(&s, NULL, ids, n, d, workers, &o), 0);
	return s;
}

START_TEST(sched_staggered_starts_give_later_workers_less_work)
{
	struct testr_strv owned = make_ids(400, 100);
	const char *const *ids = testr_strv_items(&owned);
	double d[400], end[4], ends_even = 0;
	struct testr_sched *s, *even;

	for (size_t i = 0; i < 400; i++)
		d[i] = 0.001 * (double)(i % 7 + 1);
	/* Exact durations: still one list per worker, the k-th started
	 * 0.05 s after the one before. */
	s = plan_staggered(ids, 400, d, 4, TESTR_SCHED_AUTO, 0.05, 2);
	ck_assert_int_eq(testr_sched_mode(s), TESTR_SCHED_STATIC);
	ck_assert_uint_eq(testr_sched_batches(s), 4);
	ck_each_once(s, 400);
	ck_groups_whole(s, ids, 400);
	for (size_t k = 0; k < 4; k++) {
		ck_assert_uint_eq(testr_sched_batch_worker(s, k), k);
		end[k] = testr_sched_batch_seconds(s, k) + 0.05 * (double)k;
	}
	/* Each starts later with less: all end within one group's time
	 * (at most 4 x 0.007 s) of each other. */
	for (size_t k = 1; k < 4; k++) {
		ck_assert_double_lt(testr_sched_batch_seconds(s, k),
				    testr_sched_batch_seconds(s, k - 1));
		ck_assert_double_lt(fabs(end[k] - end[0]), 0.028 + 1e-9);
	}
	/* Sooner than equal lists started the same way. */
	even = plan_staggered(ids, 400, d, 4, TESTR_SCHED_STATIC, 0.05, 2);
	ck_plan_is_partition(even, ids, 400, d, 4, true);
	for (size_t k = 0; k < 4; k++)
		ends_even = fmax(ends_even, testr_sched_batch_seconds(even, k) +
					    0.05 * (double)k);
	ck_assert_double_lt(testr_sched_makespan(s), 0.2 + ends_even - 0.05);
	ck_assert_double_eq_tol(testr_sched_makespan(even), 0.2 + ends_even,
				1e-9);
	testr_sched_free(even);
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

START_TEST(sched_stagger_is_unread_from_a_version_1_caller)
{
	struct testr_strv owned = make_ids(300, 30);
	const char *const *ids = testr_strv_items(&owned);
	double d[300];
	struct testr_sched *s;

	for (size_t i = 0; i < 300; i++)
		d[i] = 0.01 * (double)(i % 17 + 1);
	/* A version 1 struct ends before stagger: what lies there is not
	 * read, and the plan is testrepository's partition. */
	s = plan_staggered(ids, 300, d, 4, TESTR_SCHED_AUTO, 0.5, 1);
	ck_assert_int_eq(testr_sched_mode(s), TESTR_SCHED_STATIC);
	ck_plan_is_partition(s, ids, 300, d, 4, true);
	testr_sched_free(s);
	testr_strv_dispose(&owned);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, sched_runs_every_id_exactly_once_in_every_mode);
	HARNESS_ADD(h, sched_batches_shrink_longest_first);
	HARNESS_ADD(h, sched_batches_cost_at_least_ten_startups);
	HARNESS_ADD(h, sched_keeps_every_group_whole_in_one_batch);
	HARNESS_ADD(h, sched_degenerates_to_the_static_partition_when_batching_gains_nothing);
	HARNESS_ADD(h, sched_static_mode_is_exactly_the_partition);
	HARNESS_ADD(h, sched_queues_when_durations_are_unknown_or_uncertain);
	HARNESS_ADD(h, sched_an_unmeasured_runner_is_not_planned_as_starting_for_free);
	HARNESS_ADD(h, sched_first_run_with_a_slow_runner_starts_each_worker_once);
	HARNESS_ADD(h, sched_equal_shares_make_one_batch_per_worker);
	HARNESS_ADD(h, sched_predicts_the_makespan_of_the_plan);
	HARNESS_ADD(h, sched_rejects_zero_workers_and_bad_options);
	HARNESS_ADD(h, sched_staggered_starts_give_later_workers_less_work);
	HARNESS_ADD(h, sched_stagger_is_unread_from_a_version_1_caller);
}
