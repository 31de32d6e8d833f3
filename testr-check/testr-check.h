/* libtestr-check: a check (libcheck) test program that speaks testr's
 * runner interface.  See libtestr-check(3).
 *
 * Include this header (or, with `pkg-config --cflags testr-check`, plain
 * <check.h>, which then resolves to a shim that includes it) in every file
 * that builds a Suite, a TCase or an SRunner.  The macros below route check's
 * building calls through testr-check, which records what each TCase holds
 * (tests, loop ranges, fixtures, timeout, tags) and then calls check itself:
 * check keeps doing all the work, and testr-check learns the tests that check
 * offers no way to enumerate.  Then call testr_check_main() from main().
 */
#ifndef TESTR_CHECK_H
#define TESTR_CHECK_H

#include <check.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TESTR_CHECK_API __attribute__((visibility("default")))
#else
#define TESTR_CHECK_API
#endif

/**
 * Run the program the way testr asks, or as plain check when it asks
 * nothing.  @sr is the program's runner, built with this header in scope;
 * it stays the caller's (free it with srunner_free() afterwards).
 *
 *   (no option)        srunner_run_all(sr, CK_ENV): exactly check's own run;
 *                      returns EXIT_FAILURE if a test failed
 *   --list             the ids, one per line ("suite.tcase.test", "#i" added
 *                      for each iteration of a loop test)
 *   --subunit          subunit v2 on stdout, an inprogress and a result event
 *                      with timestamps per test; returns 0 even if tests
 *                      failed (the failures are in the stream)
 *   --load-list FILE   only the ids in FILE, in its order
 *
 * Returns the exit status for main(): 0, 1 (a test failed, without
 * --subunit), 2 (bad arguments or an unreadable list) or 3 (stdout could not
 * be written, or the suite was built without this header).
 */
TESTR_CHECK_API int testr_check_main(SRunner *sr, int argc, char **argv);

/* What the macros below call; not meant to be called directly. */

/** suite_create() that records the suite. */
TESTR_CHECK_API Suite *testr_check_suite_create(const char *name);
/** tcase_create() that records the test case. */
TESTR_CHECK_API TCase *testr_check_tcase_create(const char *name);
/** suite_add_tcase() that records the membership. */
TESTR_CHECK_API void testr_check_suite_add_tcase(Suite *s, TCase *tc);
/**
 * _tcase_add_test() that records the test.  @loop is 1 for the
 * tcase_add_loop_* macros, 0 for the others, -1 when unknown (a direct call:
 * a range other than [0, 1) is then a loop).
 */
TESTR_CHECK_API void testr_check_add_test(TCase *tc, const TTest *ttest,
					  int signal, int exit_value,
					  int start, int end, int loop);
/** tcase_add_unchecked_fixture() that records the fixture. */
TESTR_CHECK_API void testr_check_add_unchecked_fixture(TCase *tc, SFun setup,
						       SFun teardown);
/** tcase_add_checked_fixture() that records the fixture. */
TESTR_CHECK_API void testr_check_add_checked_fixture(TCase *tc, SFun setup,
						     SFun teardown);
/** tcase_set_timeout() that records the timeout. */
TESTR_CHECK_API void testr_check_tcase_set_timeout(TCase *tc, double timeout);
/** tcase_set_tags() that records the tags. */
TESTR_CHECK_API void testr_check_tcase_set_tags(TCase *tc, const char *tags);
/** srunner_create() that records the runner. */
TESTR_CHECK_API SRunner *testr_check_srunner_create(Suite *s);
/** srunner_add_suite() that records the suite's runner. */
TESTR_CHECK_API void testr_check_srunner_add_suite(SRunner *sr, Suite *s);
/** srunner_free() that forgets the runner, its suites and test cases. */
TESTR_CHECK_API void testr_check_srunner_free(SRunner *sr);

#ifndef TESTR_CHECK_NO_MACROS
#undef tcase_add_test
#undef tcase_add_test_raise_signal
#undef tcase_add_exit_test
#undef tcase_add_loop_test
#undef tcase_add_loop_test_raise_signal
#undef tcase_add_loop_exit_test
#define suite_create(name) testr_check_suite_create(name)
#define tcase_create(name) testr_check_tcase_create(name)
#define suite_add_tcase(s, tc) testr_check_suite_add_tcase(s, tc)
#define tcase_add_test(tc, t) testr_check_add_test(tc, t, 0, 0, 0, 1, 0)
#define tcase_add_test_raise_signal(tc, t, sig) \
	testr_check_add_test(tc, t, sig, 0, 0, 1, 0)
#define tcase_add_exit_test(tc, t, ex) \
	testr_check_add_test(tc, t, 0, ex, 0, 1, 0)
#define tcase_add_loop_test(tc, t, s, e) \
	testr_check_add_test(tc, t, 0, 0, s, e, 1)
#define tcase_add_loop_test_raise_signal(tc, t, sig, s, e) \
	testr_check_add_test(tc, t, sig, 0, s, e, 1)
#define tcase_add_loop_exit_test(tc, t, ex, s, e) \
	testr_check_add_test(tc, t, 0, ex, s, e, 1)
#define _tcase_add_test(tc, t, sig, ex, s, e) \
	testr_check_add_test(tc, t, sig, ex, s, e, -1)
#define tcase_add_unchecked_fixture(tc, su, td) \
	testr_check_add_unchecked_fixture(tc, su, td)
#define tcase_add_checked_fixture(tc, su, td) \
	testr_check_add_checked_fixture(tc, su, td)
#define tcase_set_timeout(tc, t) testr_check_tcase_set_timeout(tc, t)
#define tcase_set_tags(tc, tags) testr_check_tcase_set_tags(tc, tags)
#define srunner_create(s) testr_check_srunner_create(s)
#define srunner_add_suite(sr, s) testr_check_srunner_add_suite(sr, s)
#define srunner_free(sr) testr_check_srunner_free(sr)
#endif

#ifdef __cplusplus
}
#endif

#endif /* TESTR_CHECK_H */
