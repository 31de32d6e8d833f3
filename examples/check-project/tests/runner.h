/* A test program's main(): each check test gets its own id, and the program
 * can list the ids, run a chosen list of them and report in subunit v2 with
 * timestamps, which is what testr needs (see ../.testr.conf). */
#ifndef RUNNER_H
#define RUNNER_H

#include <check.h>

struct runner_test {
	const char *id;		/* "<group>.<behaviour>", stable and short */
	const TTest *const *test;	/* &name of the START_TEST */
};

/* RUNNER_TEST(roman, encodes_small_values) names START_TEST
 * roman_encodes_small_values and gives it the id
 * "roman.encodes_small_values". */
#define RUNNER_TEST(group, name) { #group "." #name, &group##_##name }

/*
 *   prog                     run every test, one line per test, exit 1 on failure
 *   prog --list              print the ids, one per line
 *   prog --subunit --list    the ids as a subunit v2 enumeration
 *   prog --subunit           run, subunit v2 on stdout, exit 0 unless the
 *                            program itself failed (failures are in the stream)
 *   prog --load-list FILE    only the ids in FILE (one per line)
 */
int runner_main(int argc, char **argv, const struct runner_test *tests,
		size_t n_tests);

#endif
