/* Unit tests for lib/filter.c: search semantics, union, bad patterns. */
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "filter";

static void
apply(const char *const *patterns, size_t n, struct testr_strv *ids)
{
	struct testr_filter *f;

	ck_assert_int_eq(testr_filter_new(&f, NULL, patterns, n), 0);
	ck_assert_int_eq(testr_filter_apply(f, ids), 0);
	testr_filter_free(f);
}

static void
fill(struct testr_strv *ids)
{
	const char *all[] = { "pkg.test_a.T.test_ok", "pkg.test_b.U.test_ok",
			      "other.test_ünï", "pkg.test_a.T.test_fail" };

	testr_strv_init(ids);
	for (size_t i = 0; i < 4; i++)
		testr_strv_push(ids, all[i]);
}

START_TEST(filter_searches_anywhere_in_the_id)
{
	const char *pat[] = { "test_ok" };
	struct testr_strv ids;

	fill(&ids);
	apply(pat, 1, &ids);
	ck_assert_uint_eq(ids.n, 2);
	ck_assert_str_eq(ids.v[0], "pkg.test_a.T.test_ok");
	ck_assert_str_eq(ids.v[1], "pkg.test_b.U.test_ok");
	testr_strv_dispose(&ids);
}
END_TEST

START_TEST(filter_takes_the_union_keeping_id_order)
{
	/* Each pattern is tried on every id, not just the ones left over. */
	const char *pat[] = { "fail$", "^pkg\\.test_a", "ünï" };
	struct testr_strv ids;

	fill(&ids);
	apply(pat, 3, &ids);
	ck_assert_uint_eq(ids.n, 3);
	ck_assert_str_eq(ids.v[0], "pkg.test_a.T.test_ok");
	ck_assert_str_eq(ids.v[1], "other.test_ünï");
	ck_assert_str_eq(ids.v[2], "pkg.test_a.T.test_fail");
	testr_strv_dispose(&ids);
}
END_TEST

START_TEST(filter_with_no_patterns_keeps_everything)
{
	struct testr_strv ids;

	fill(&ids);
	apply(NULL, 0, &ids);
	ck_assert_uint_eq(ids.n, 4);
	testr_strv_dispose(&ids);
}
END_TEST

START_TEST(filter_that_matches_nothing_empties_the_list)
{
	const char *pat[] = { "^nomatch$" };
	struct testr_strv ids;

	fill(&ids);
	apply(pat, 1, &ids);
	ck_assert_uint_eq(ids.n, 0);
	testr_strv_dispose(&ids);
}
END_TEST

START_TEST(filter_bad_pattern_names_pattern_and_position)
{
	const char *pat[] = { "ok", "(a" };
	struct testr_context *ctx;
	struct testr_filter *f;

	testr_context_new(&ctx);
	ck_assert_int_eq(testr_filter_new(&f, ctx, pat, 2), TESTR_EPARSE);
	ck_assert_ptr_null(f);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "'(a'"));
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "offset 2"));
	testr_context_free(ctx);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, filter_searches_anywhere_in_the_id);
	HARNESS_ADD(h, filter_takes_the_union_keeping_id_order);
	HARNESS_ADD(h, filter_with_no_patterns_keeps_everything);
	HARNESS_ADD(h, filter_that_matches_nothing_empties_the_list);
	HARNESS_ADD(h, filter_bad_pattern_names_pattern_and_position);
}
