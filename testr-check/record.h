/* What testr-check learned about the program's suites while check built
 * them: the registry of runners, suites and test cases (private). */
#ifndef TESTR_CHECK_RECORD_H
#define TESTR_CHECK_RECORD_H

#define TESTR_CHECK_NO_MACROS
#include "testr-check.h"

#include <stddef.h>

/* One call that shaped a TCase, replayed in order on the copy that runs a
 * single test, so check applies it exactly as it did to the original. */
enum op_kind { OP_CHECKED, OP_UNCHECKED, OP_TIMEOUT, OP_TAGS };

struct op {
	enum op_kind kind;
	SFun setup, teardown;
	double timeout;
	char *tags;		/* NULL clears */
};

struct rec_test {
	const TTest *ttest;
	int signal, exit_value, start, end;
	int loop;		/* ids carry "#i" */
};

struct rec_tcase {
	TCase *tc;
	char *name;
	struct op *ops;
	size_t n_ops;
	struct rec_test *tests;
	size_t n_tests;
	const char *tags;	/* the last tcase_set_tags(), in ops; or NULL */
};

struct rec_suite {
	Suite *s;
	char *name;
	struct rec_tcase **tcases;
	size_t n_tcases;
	size_t n_unknown;	/* TCases created without testr-check.h */
};

struct rec_runner {
	SRunner *sr;
	struct rec_suite **suites;
	size_t n_suites;
	size_t n_unknown;	/* Suites created without testr-check.h */
};

/* The runner recorded for @sr, or NULL. */
struct rec_runner *record_runner(SRunner *sr);

#endif
