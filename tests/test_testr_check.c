/* libtestr-check: the ids it lists for the suites a program builds, and the
 * one test (iteration) it runs for an id.  Each test builds its own small
 * suite with testr-check's recording macros and calls testr_check_main()
 * with stdout sent to a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr-check.h>

#include "harness.h"

const char harness_module[] = "testr_check";

/* testr_check_main(sr, argv...) with stdout in a file; returns its status
 * and sets *@out to what it printed (caller frees). */
static int
main_to_string(char **out, SRunner *sr, const char *a1, const char *a2,
	       const char *a3)
{
	char *dir = harness_tmpdir();
	char path[4096];
	char *argv[] = { "prog", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);
	int saved, rc;

	snprintf(path, sizeof(path), "%s/stdout", dir);
	fflush(stdout);
	saved = dup(1);
	ck_assert_int_ge(saved, 0);
	ck_assert_ptr_nonnull(freopen(path, "w", stdout));
	rc = testr_check_main(sr, argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	*out = strdup(harness_slurp(path));
	harness_rmtree(dir);
	free(dir);
	return rc;
}

START_TEST(plain)
{
}
END_TEST

/* Passes only as the iteration testr asked for. */
START_TEST(third)
{
	ck_assert_int_eq(_i, 3);
}
END_TEST

static SRunner *
loop_runner(void)
{
	Suite *s = suite_create("s");
	TCase *tc = tcase_create("tc");
	SRunner *sr;

	tcase_add_test(tc, plain);
	tcase_add_loop_test(tc, third, 2, 4);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* Its tests fork even under CK_FORK=no: check nests one run in
	 * another only when the inner one forks. */
	srunner_set_fork_status(sr, CK_FORK);
	return sr;
}

START_TEST(testr_check_lists_suite_tcase_test_and_loop_index)
{
	SRunner *sr = loop_runner();
	char *out = NULL;

	ck_assert_int_eq(main_to_string(&out, sr, "--list", NULL, NULL), 0);
	ck_assert_str_eq(out, "s.tc.plain\ns.tc.third#2\ns.tc.third#3\n");
	free(out);
	srunner_free(sr);
}
END_TEST

START_TEST(testr_check_runs_the_loop_iteration_named)
{
	SRunner *sr = loop_runner();
	char *dir = harness_tmpdir(), list[4096], *out = NULL;
	FILE *f;

	snprintf(list, sizeof(list), "%s/ids", dir);
	f = fopen(list, "w");
	ck_assert_ptr_nonnull(f);
	fputs("s.tc.third#3\n", f);
	fclose(f);
	ck_assert_int_eq(main_to_string(&out, sr, "--load-list", list, NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "ok   s.tc.third#3 "));
	ck_assert_ptr_null(strstr(out, "#2"));
	free(out);
	f = fopen(list, "w");
	fputs("s.tc.third#2\ns.tc.nothing\n", f);
	fclose(f);
	ck_assert_int_eq(main_to_string(&out, sr, "--load-list", list, NULL), 1);
	ck_assert_ptr_nonnull(strstr(out, "FAIL s.tc.third#2 "));
	ck_assert_ptr_nonnull(strstr(out, "FAIL s.tc.nothing "));
	ck_assert_ptr_nonnull(strstr(out, "no test with this id"));
	free(out);
	harness_rmtree(dir);
	free(dir);
	srunner_free(sr);
}
END_TEST

START_TEST(testr_check_renames_duplicate_ids_in_order)
{
	Suite *s = suite_create("s");
	TCase *a = tcase_create("tc"), *b = tcase_create("tc");
	SRunner *sr;
	char *out = NULL;

	tcase_add_test(a, plain);
	tcase_add_test(a, plain);
	tcase_add_test(b, plain);
	suite_add_tcase(s, a);
	suite_add_tcase(s, b);
	sr = srunner_create(s);
	ck_assert_int_eq(main_to_string(&out, sr, "--list", NULL, NULL), 0);
	ck_assert_str_eq(out, "s.tc.plain\ns.tc.plain~2\ns.tc.plain~3\n");
	free(out);
	srunner_free(sr);
}
END_TEST

START_TEST(testr_check_lists_what_check_tag_filters_keep)
{
	Suite *s = suite_create("s");
	TCase *fast = tcase_create("fast"), *slow = tcase_create("slow");
	SRunner *sr;
	char *out = NULL;

	tcase_set_tags(slow, "big slow");
	tcase_add_test(fast, plain);
	tcase_add_test(slow, plain);
	suite_add_tcase(s, fast);
	suite_add_tcase(s, slow);
	sr = srunner_create(s);
	setenv("CK_EXCLUDE_TAGS", "slow", 1);
	ck_assert_int_eq(main_to_string(&out, sr, "--list", NULL, NULL), 0);
	unsetenv("CK_EXCLUDE_TAGS");
	ck_assert_str_eq(out, "s.fast.plain\n");
	free(out);
	setenv("CK_INCLUDE_TAGS", "slo big", 1);
	ck_assert_int_eq(main_to_string(&out, sr, "--list", NULL, NULL), 0);
	unsetenv("CK_INCLUDE_TAGS");
	ck_assert_str_eq(out, "s.slow.plain\n");
	free(out);
	srunner_free(sr);
}
END_TEST

/* A TCase made where the macros were not in scope cannot be listed in
 * full, so nothing is listed: a short list would drop tests silently. */
START_TEST(testr_check_refuses_a_tcase_it_did_not_see_built)
{
	Suite *s = suite_create("s");
	TCase *unseen = (tcase_create)("unseen");
	SRunner *sr;
	char *out = NULL;

	suite_add_tcase(s, unseen);
	sr = srunner_create(s);
	ck_assert_int_eq(main_to_string(&out, sr, "--list", NULL, NULL), 3);
	ck_assert_str_eq(out, "");
	free(out);
	srunner_free(sr);
}
END_TEST

START_TEST(testr_check_refuses_an_unknown_option)
{
	SRunner *sr = loop_runner();
	char *out = NULL;

	ck_assert_int_eq(main_to_string(&out, sr, "--lsit", NULL, NULL), 2);
	free(out);
	srunner_free(sr);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, testr_check_lists_suite_tcase_test_and_loop_index);
	HARNESS_ADD(h, testr_check_runs_the_loop_iteration_named);
	HARNESS_ADD(h, testr_check_renames_duplicate_ids_in_order);
	HARNESS_ADD(h, testr_check_lists_what_check_tag_filters_keep);
	HARNESS_ADD(h, testr_check_refuses_a_tcase_it_did_not_see_built);
	HARNESS_ADD(h, testr_check_refuses_an_unknown_option);
}
