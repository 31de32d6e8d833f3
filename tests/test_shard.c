/* Unit tests for lib/shard.c: parsing, the CI environments, the split. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "shard";

static const char *const ci_vars[] = {
	"TESTR_SHARD", "TESTR_SHARD_COUNT", "TEST_SHARD_INDEX",
	"TEST_TOTAL_SHARDS", "TEST_SHARD_STATUS_FILE", "JOB_COMPLETION_INDEX",
	"CI_NODE_INDEX", "CI_NODE_TOTAL", "CIRCLE_NODE_INDEX",
	"CIRCLE_NODE_TOTAL", "BUILDKITE_PARALLEL_JOB",
	"BUILDKITE_PARALLEL_JOB_COUNT",
};

static void
clear_env(void)
{
	for (size_t i = 0; i < sizeof(ci_vars) / sizeof(ci_vars[0]); i++)
		unsetenv(ci_vars[i]);
}

/* "t0000".."t(n-1)", listed in a scrambled order. */
static void
make_ids(struct testr_strv *ids, size_t n)
{
	char id[32];

	testr_strv_init(ids);
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "t%04zu", (i * 7919) % n);
		testr_strv_push(ids, id);
	}
}

static double
seconds_of(const char *id)
{
	/* Heavy-tailed: every 50th test is 40x longer. */
	long k = strtol(id + 1, NULL, 10);

	return k % 50 == 0 ? 4.0 : 0.1 + (double)(k % 7) / 100;
}

static double *
durations_of(const struct testr_strv *ids)
{
	double *t = malloc(ids->n * sizeof(*t));

	for (size_t i = 0; i < ids->n; i++)
		t[i] = seconds_of(ids->v[i]);
	return t;
}

START_TEST(shard_parse_accepts_index_slash_count)
{
	struct testr_shard s;

	ck_assert_int_eq(testr_shard_parse(&s, NULL, "2/5"), 0);
	ck_assert_uint_eq(s.index, 2);
	ck_assert_uint_eq(s.count, 5);
	ck_assert_str_eq(s.source, "--shard");
}
END_TEST

START_TEST(shard_parse_refuses_out_of_range_and_junk_naming_it)
{
	const char *bad[] = { "5/5", "1/0", "-1/3", "1/", "/3", "a/3", "1/3x",
			      "1 / 3", "", "1/3/4", "99999999999/3" };
	struct testr_context *ctx;
	struct testr_shard s;

	testr_context_new(&ctx);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(testr_shard_parse(&s, ctx, bad[i]),
				 TESTR_EINVAL);
	testr_shard_parse(&s, ctx, "7/3\033[2J");
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "--shard"));
	ck_assert_ptr_null(strchr(testr_context_error(ctx), '\033'));
	testr_context_free(ctx);
}
END_TEST

START_TEST(shard_env_reads_each_ci_system)
{
	static const struct {
		const char *iv, *ivalue, *cv, *cvalue;
		size_t index;
	} cases[] = {
		{ "TEST_SHARD_INDEX", "1", "TEST_TOTAL_SHARDS", "4", 1 },
		{ "JOB_COMPLETION_INDEX", "3", "TESTR_SHARD_COUNT", "4", 3 },
		{ "CI_NODE_INDEX", "1", "CI_NODE_TOTAL", "4", 0 },
		{ "CIRCLE_NODE_INDEX", "2", "CIRCLE_NODE_TOTAL", "4", 2 },
		{ "BUILDKITE_PARALLEL_JOB", "0", "BUILDKITE_PARALLEL_JOB_COUNT",
		  "4", 0 },
	};
	struct testr_shard s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		clear_env();
		setenv(cases[i].iv, cases[i].ivalue, 1);
		setenv(cases[i].cv, cases[i].cvalue, 1);
		ck_assert_int_eq(testr_shard_from_env(&s, NULL), 0);
		ck_assert_uint_eq(s.index, cases[i].index);
		ck_assert_uint_eq(s.count, 4);
		ck_assert_str_eq(s.source, cases[i].iv);
	}
	clear_env();
}
END_TEST

START_TEST(shard_env_gitlab_index_counts_from_one)
{
	struct testr_shard s;

	clear_env();
	setenv("CI_NODE_INDEX", "0", 1);	/* GitLab never says 0 */
	setenv("CI_NODE_TOTAL", "2", 1);
	ck_assert_int_eq(testr_shard_from_env(&s, NULL), TESTR_EINVAL);
	setenv("CI_NODE_INDEX", "2", 1);
	ck_assert_int_eq(testr_shard_from_env(&s, NULL), 0);
	ck_assert_uint_eq(s.index, 1);
	clear_env();
}
END_TEST

START_TEST(shard_env_absent_is_not_found)
{
	struct testr_shard s;

	clear_env();
	ck_assert_int_eq(testr_shard_from_env(&s, NULL), TESTR_ENOTFOUND);
}
END_TEST

START_TEST(shard_env_bazel_touches_the_status_file)
{
	char *dir = harness_tmpdir(), path[4096];
	struct testr_shard s;

	clear_env();
	snprintf(path, sizeof(path), "%s/status", dir);
	setenv("TEST_SHARD_INDEX", "0", 1);
	setenv("TEST_TOTAL_SHARDS", "2", 1);
	setenv("TEST_SHARD_STATUS_FILE", path, 1);
	ck_assert_int_eq(testr_shard_from_env(&s, NULL), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	unlink(path);
	rmdir(dir);
	free(dir);
	clear_env();
}
END_TEST

START_TEST(shard_env_own_variable_wins_and_bad_value_is_named)
{
	struct testr_context *ctx;
	struct testr_shard s;

	clear_env();
	testr_context_new(&ctx);
	setenv("TESTR_SHARD", "1/3", 1);
	setenv("CI_NODE_INDEX", "1", 1);
	setenv("CI_NODE_TOTAL", "9", 1);
	ck_assert_int_eq(testr_shard_from_env(&s, ctx), 0);
	ck_assert_uint_eq(s.count, 3);
	unsetenv("TESTR_SHARD");
	setenv("CI_NODE_TOTAL", "x", 1);
	ck_assert_int_eq(testr_shard_from_env(&s, ctx), TESTR_EINVAL);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "CI_NODE_TOTAL=x"));
	testr_context_free(ctx);
	clear_env();
}
END_TEST

/* Shard @i of @n of 1000 scrambled ids, each with its duration. */
static void
one_shard(struct testr_strv *ids, size_t i, size_t n, bool timed)
{
	struct testr_shard s = { i, n, "test" };
	double *t;

	make_ids(ids, 1000);
	t = timed ? durations_of(ids) : NULL;
	ck_assert_int_eq(testr_shard_select(ids, NULL, t, &s, NULL), 0);
	free(t);
}

START_TEST(shards_are_disjoint_and_complete)
{
	struct testr_strv all = TESTR_STRV_INIT;

	for (size_t i = 0; i < 4; i++) {
		struct testr_strv ids;

		one_shard(&ids, i, 4, true);
		for (size_t k = 0; k < ids.n; k++)
			testr_strv_push(&all, ids.v[k]);
		testr_strv_dispose(&ids);
	}
	ck_assert_uint_eq(all.n, 1000);
	testr_strv_sort_unique(&all);
	ck_assert_uint_eq(all.n, 1000);
	testr_strv_dispose(&all);
}
END_TEST

START_TEST(shards_are_balanced_within_ten_percent_by_time)
{
	double total = 0, per[5] = { 0 };

	for (size_t i = 0; i < 5; i++) {
		struct testr_strv ids;

		one_shard(&ids, i, 5, true);
		for (size_t k = 0; k < ids.n; k++)
			per[i] += seconds_of(ids.v[k]);
		total += per[i];
		testr_strv_dispose(&ids);
	}
	for (size_t i = 0; i < 5; i++)
		ck_assert_double_le(fabs(per[i] - total / 5), 0.1 * total / 5);
}
END_TEST

START_TEST(shard_split_ignores_the_listing_order)
{
	struct testr_shard s = { 1, 3, "test" };
	struct testr_strv a, b = TESTR_STRV_INIT;
	double *ta, *tb;

	make_ids(&a, 300);
	for (size_t i = a.n; i-- > 0;)	/* the same ids, reversed */
		testr_strv_push(&b, a.v[i]);
	ta = durations_of(&a);
	tb = durations_of(&b);
	ck_assert_int_eq(testr_shard_select(&a, NULL, ta, &s, NULL), 0);
	ck_assert_int_eq(testr_shard_select(&b, NULL, tb, &s, NULL), 0);
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		ck_assert_str_eq(a.v[i], b.v[i]);
	free(ta);
	free(tb);
	testr_strv_dispose(&a);
	testr_strv_dispose(&b);
}
END_TEST

static int
module_group(const char **key, size_t *len,
             const struct testr_config *cfg, const char *id)
{
	(void)cfg;
	*key = id;
	*len = 4;	/* "t001" of "t0012": ten ids per group */
	return 1;
}

START_TEST(shard_keeps_a_group_in_one_shard)
{
	struct testr_partition_options po = TESTR_PARTITION_OPTIONS_INIT;
	struct testr_shard s = { 0, 4, "test" };
	struct testr_strv ids;

	po.group_key = module_group;
	make_ids(&ids, 1000);
	ck_assert_int_eq(testr_shard_select(&ids, NULL, NULL, &s, &po), 0);
	for (size_t i = 0; i < ids.n; i++)
		for (size_t k = 0; k < 10; k++) {
			char sib[8];

			memcpy(sib, ids.v[i], 4);
			snprintf(sib + 4, sizeof(sib) - 4, "%zu", k);
			ck_assert_int_ge(testr_strv_find(&ids, sib), 0);
		}
	testr_strv_dispose(&ids);
}
END_TEST

START_TEST(shard_with_no_durations_still_splits_evenly_by_count)
{
	struct testr_strv ids;

	one_shard(&ids, 2, 4, false);
	ck_assert_uint_eq(ids.n, 250);
	testr_strv_dispose(&ids);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, shard_parse_accepts_index_slash_count);
	HARNESS_ADD(h, shard_parse_refuses_out_of_range_and_junk_naming_it);
	HARNESS_ADD(h, shard_env_reads_each_ci_system);
	HARNESS_ADD(h, shard_env_gitlab_index_counts_from_one);
	HARNESS_ADD(h, shard_env_absent_is_not_found);
	HARNESS_ADD(h, shard_env_bazel_touches_the_status_file);
	HARNESS_ADD(h, shard_env_own_variable_wins_and_bad_value_is_named);
	HARNESS_ADD(h, shards_are_disjoint_and_complete);
	HARNESS_ADD(h, shards_are_balanced_within_ten_percent_by_time);
	HARNESS_ADD(h, shard_split_ignores_the_listing_order);
	HARNESS_ADD(h, shard_keeps_a_group_in_one_shard);
	HARNESS_ADD(h, shard_with_no_durations_still_splits_evenly_by_count);
}
