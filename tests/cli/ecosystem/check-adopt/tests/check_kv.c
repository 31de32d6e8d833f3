/* The kv suite: checked and unchecked fixtures, a per-tcase timeout, loop,
 * signal and exit tests, a slow test and a crashing one.  KV_FIXED=1 in the
 * environment mends the three planted failures. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/kv.h"
#include "suites.h"

static struct kv *kv;		/* the checked fixture's map, fresh per test */
static char saved[64];		/* the unchecked fixture's file, one per tcase */
static int setups;		/* checked setups seen by this test's process */

static int
fixed(void)
{
	const char *f = getenv("KV_FIXED");

	return f && strcmp(f, "1") == 0;
}

static void
map_setup(void)
{
	setups++;
	kv = kv_new();
	ck_assert_ptr_nonnull(kv);
	ck_assert_int_eq(kv_set(kv, "one", 1), 0);
	ck_assert_int_eq(kv_set(kv, "two", 2), 0);
}

static void
map_teardown(void)
{
	kv_free(kv);
	kv = NULL;
}

static void
file_setup(void)
{
	struct kv *seed = kv_new();

	snprintf(saved, sizeof(saved), "kv-fixture-%ld.txt", (long)getpid());
	kv_set(seed, "alpha", 10);
	kv_set(seed, "beta", -20);
	kv_save(seed, saved);
	kv_free(seed);
}

static void
file_teardown(void)
{
	unlink(saved);
}

START_TEST(core_gets_what_was_set)
{
	long v = 0;

	ck_assert_int_eq(kv_get(kv, "one", &v), 0);
	ck_assert_int_eq(v, 1);
}
END_TEST

START_TEST(core_overwrites_a_key)
{
	long v = 0;

	ck_assert_int_eq(kv_set(kv, "one", 11), 0);
	ck_assert_int_eq(kv_get(kv, "one", &v), 0);
	ck_assert_int_eq(v, 11);
	ck_assert_uint_eq(kv_count(kv), 2);
}
END_TEST

START_TEST(core_misses_an_absent_key)
{
	long v = 0;

	ck_assert_int_eq(kv_get(kv, "three", &v), -1);
}
END_TEST

START_TEST(core_deletes_a_key)
{
	long v = 0;

	ck_assert_int_eq(kv_del(kv, "one"), 0);
	ck_assert_int_eq(kv_get(kv, "one", &v), -1);
	ck_assert_uint_eq(kv_count(kv), 1);
}
END_TEST

START_TEST(core_refuses_bad_keys)
{
	ck_assert_int_eq(kv_set(kv, "", 1), -1);
	ck_assert_int_eq(kv_set(kv, "a=b", 1), -1);
}
END_TEST

/* The checked fixture ran for this test, in this test's process. */
START_TEST(core_fixture_runs_per_test)
{
	ck_assert_int_eq(setups, 1);
	ck_assert_uint_eq(kv_count(kv), 2);
}
END_TEST

START_TEST(core_grows_past_its_first_block)
{
	char key[16];

	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_int_eq(kv_set(kv, key, i), 0);
	}
	ck_assert_uint_eq(kv_count(kv), 102);
}
END_TEST

START_TEST(core_delete_of_absent_key_fails)
{
	ck_assert_int_eq(kv_del(kv, "nope"), -1);
}
END_TEST

START_TEST(file_loads_what_setup_saved)
{
	struct kv *m = kv_new();
	long v = 0;

	ck_assert_int_eq(kv_load(m, saved), 0);
	ck_assert_int_eq(kv_get(m, "beta", &v), 0);
	ck_assert_int_eq(v, -20);
	kv_free(m);
}
END_TEST

START_TEST(file_round_trips)
{
	struct kv *m = kv_new();
	long v = 0;
	char path[80];

	snprintf(path, sizeof(path), "%s.copy", saved);
	ck_assert_int_eq(kv_load(m, saved), 0);
	ck_assert_int_eq(kv_save(m, path), 0);
	kv_free(m);
	m = kv_new();
	ck_assert_int_eq(kv_load(m, path), 0);
	unlink(path);
	ck_assert_int_eq(kv_get(m, "alpha", &v), 0);
	ck_assert_int_eq(v, 10);
	kv_free(m);
}
END_TEST

START_TEST(file_refuses_a_missing_file)
{
	struct kv *m = kv_new();

	ck_assert_int_eq(kv_load(m, "no-such-file.txt"), -1);
	kv_free(m);
}
END_TEST

START_TEST(file_refuses_a_malformed_line)
{
	struct kv *m = kv_new();
	char path[80];
	FILE *f;

	snprintf(path, sizeof(path), "%s.bad", saved);
	f = fopen(path, "w");
	fputs("alpha\n", f);
	fclose(f);
	ck_assert_int_eq(kv_load(m, path), -1);
	unlink(path);
	kv_free(m);
}
END_TEST

/* One iteration per power of two; iteration 4 is planted to fail. */
START_TEST(limits_stores_powers_of_two)
{
	long want = 1L << (_i * 8), v = 0;

	ck_assert_int_eq(kv_set(kv, "p", want), 0);
	ck_assert_int_eq(kv_get(kv, "p", &v), 0);
	if (_i == 4 && !fixed())
		ck_abort_msg("planted failure in iteration %d", _i);
	ck_assert_int_eq(v, want);
}
END_TEST

/* Longer than this tcase's 1 s timeout (shorter than check's 4 s
 * default), unless fixed. */
START_TEST(limits_finishes_in_time)
{
	if (!fixed())
		sleep(3);
	ck_assert_uint_eq(kv_count(kv), 2);
}
END_TEST

START_TEST(limits_handles_long_keys)
{
	char key[256];
	long v = 0;

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	ck_assert_int_eq(kv_set(kv, key, 7), 0);
	ck_assert_int_eq(kv_get(kv, key, &v), 0);
	ck_assert_int_eq(v, 7);
}
END_TEST

/* Passes only by dying of SIGABRT. */
START_TEST(crash_aborts_on_purpose)
{
	abort();
}
END_TEST

/* Passes only by exiting with status 3. */
START_TEST(crash_exits_with_three)
{
	exit(3);
}
END_TEST

/* The crashing test: a NULL map, dereferenced, unless fixed. */
START_TEST(crash_segfaults_unless_fixed)
{
	struct kv *volatile none = fixed() ? kv : NULL;

	ck_assert_uint_eq(kv_count(none), 2);
}
END_TEST

/* The slow test: a second of "work". */
START_TEST(slow_fills_a_large_map)
{
	char key[16];

	sleep(1);
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_int_eq(kv_set(kv, key, i), 0);
	}
}
END_TEST

static TCase *
map_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, map_setup, map_teardown);
	return tc;
}

Suite *
kv_suite(void)
{
	Suite *s = suite_create("kv");
	TCase *core = map_tcase("core"), *file = tcase_create("file");
	TCase *limits = map_tcase("limits"), *crash = map_tcase("crash");
	TCase *slow = map_tcase("slow");

	tcase_add_test(core, core_gets_what_was_set);
	tcase_add_test(core, core_overwrites_a_key);
	tcase_add_test(core, core_misses_an_absent_key);
	tcase_add_test(core, core_deletes_a_key);
	tcase_add_test(core, core_refuses_bad_keys);
	tcase_add_test(core, core_fixture_runs_per_test);
	tcase_add_test(core, core_grows_past_its_first_block);
	tcase_add_test(core, core_delete_of_absent_key_fails);
	tcase_add_unchecked_fixture(file, file_setup, file_teardown);
	tcase_add_test(file, file_loads_what_setup_saved);
	tcase_add_test(file, file_round_trips);
	tcase_add_test(file, file_refuses_a_missing_file);
	tcase_add_test(file, file_refuses_a_malformed_line);
	tcase_set_timeout(limits, 1);
	tcase_add_loop_test(limits, limits_stores_powers_of_two, 0, 5);
	tcase_add_test(limits, limits_finishes_in_time);
	tcase_add_test(limits, limits_handles_long_keys);
	tcase_add_test_raise_signal(crash, crash_aborts_on_purpose, SIGABRT);
	tcase_add_exit_test(crash, crash_exits_with_three, 3);
	tcase_add_test(crash, crash_segfaults_unless_fixed);
	tcase_set_tags(slow, "slow");
	tcase_add_test(slow, slow_fills_a_large_map);
	suite_add_tcase(s, core);
	suite_add_tcase(s, file);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, crash);
	suite_add_tcase(s, slow);
	return s;
}
