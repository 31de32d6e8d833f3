/* Run check tests one by one so that each gets its own id and duration. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runner.h"
#include "subunit_v2.h"

struct options {
	int list;
	int subunit;
	const char *load_list;
};

struct selection {
	char **ids;		/* NULL: every test */
	size_t n;
};

static int
parse_args(struct options *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0)
			o->list = 1;
		else if (strcmp(argv[i], "--subunit") == 0)
			o->subunit = 1;
		else if (strcmp(argv[i], "--load-list") == 0 && i + 1 < argc)
			o->load_list = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--list] [--subunit] "
				"[--load-list FILE]\n", argv[0]);
			return -1;
		}
	}
	return 0;
}

static int
read_selection(struct selection *sel, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	sel->ids = calloc(1, sizeof(char *));
	while (sel->ids && fgets(line, sizeof(line), f)) {
		char **grown;

		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		grown = realloc(sel->ids, (sel->n + 1) * sizeof(char *));
		if (!grown || !(grown[sel->n] = strdup(line))) {
			sel->ids = grown;
			break;
		}
		sel->ids = grown;
		sel->n++;
	}
	fclose(f);
	return sel->ids ? 0 : -1;
}

static int
selected(const struct selection *sel, const char *id)
{
	if (!sel->ids)
		return 1;
	for (size_t i = 0; i < sel->n; i++)
		if (strcmp(sel->ids[i], id) == 0)
			return 1;
	return 0;
}

/* Run one test in its own forked check runner; *msg gets a failure text. */
static int
run_one(const struct runner_test *t, char *msg, size_t size)
{
	Suite *s = suite_create("suite");
	TCase *tc = tcase_create(t->id);
	SRunner *sr;
	TestResult **results;
	int rtype = CK_ERROR;

	tcase_add_test(tc, *t->test);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_SILENT);
	results = srunner_results(sr);
	snprintf(msg, size, "test did not run");
	if (results && srunner_ntests_run(sr) == 1) {
		rtype = tr_rtype(results[0]);
		snprintf(msg, size, "%s:%d: %s\n", tr_lfile(results[0]),
			 tr_lno(results[0]), tr_msg(results[0]));
	}
	free(results);	/* the array is ours, the results are the runner's */
	srunner_free(sr);
	return rtype == CK_PASS ? 0 : -1;
}

/* Returns -1 if stdout could not be written. */
static int
report_subunit(const struct runner_test *t)
{
	struct timespec start, end;
	char msg[4096];
	struct sv2_file tb = { "traceback", "text/plain;charset=utf8", msg, 0 };
	int ok;

	clock_gettime(CLOCK_REALTIME, &start);
	if (sv2_write(stdout, t->id, SV2_INPROGRESS, &start, NULL) < 0)
		return -1;
	ok = run_one(t, msg, sizeof(msg)) == 0;
	clock_gettime(CLOCK_REALTIME, &end);
	tb.len = strlen(msg);
	return sv2_write(stdout, t->id, ok ? SV2_SUCCESS : SV2_FAIL, &end,
			 ok ? NULL : &tb);
}

static double
seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static int
report_text(const struct runner_test *t)
{
	struct timespec start;
	char msg[4096];
	int ok;

	clock_gettime(CLOCK_MONOTONIC, &start);
	ok = run_one(t, msg, sizeof(msg)) == 0;
	printf("%s %s (%.3fs)\n", ok ? "ok  " : "FAIL", t->id,
	       seconds_since(&start));
	if (!ok)
		printf("    %s", msg);
	fflush(stdout);
	return ok;
}

static void
warn_unknown(const struct selection *sel, const struct runner_test *tests,
	     size_t n_tests)
{
	for (size_t i = 0; i < sel->n; i++) {
		size_t j = 0;

		while (j < n_tests && strcmp(tests[j].id, sel->ids[i]) != 0)
			j++;
		if (j == n_tests)
			fprintf(stderr, "warning: no test with id '%s'\n",
				sel->ids[i]);
	}
}

int
runner_main(int argc, char **argv, const struct runner_test *tests,
	    size_t n_tests)
{
	struct options o = { 0 };
	struct selection sel = { 0 };
	size_t failed = 0;
	int io_error = 0;

	if (parse_args(&o, argc, argv) < 0)
		return 2;
	if (o.load_list && read_selection(&sel, o.load_list) < 0)
		return 2;
	warn_unknown(&sel, tests, n_tests);
	for (size_t i = 0; i < n_tests; i++) {
		if (!selected(&sel, tests[i].id))
			continue;
		if (o.list && o.subunit)
			io_error |= sv2_write(stdout, tests[i].id, SV2_EXISTS,
					      NULL, NULL) < 0;
		else if (o.list)
			printf("%s\n", tests[i].id);
		else if (o.subunit)
			io_error |= report_subunit(&tests[i]) < 0;
		else if (!report_text(&tests[i]))
			failed++;
	}
	for (size_t i = 0; i < sel.n; i++)
		free(sel.ids[i]);
	free(sel.ids);
	if (!o.list && !o.subunit)
		printf("%zu failed\n", failed);
	if (io_error || fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write to stdout\n", argv[0]);
		return 3;
	}
	return failed ? 1 : 0;
}
