/* The running side: list the recorded tests, run a chosen list of them one
 * at a time through check, and report each in subunit v2 with timestamps. */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <testr/testr.h>

struct options {
	int list;
	int subunit;
	const char *load_list;
	int pull;		/* --pull: ids as they arrive... */
	const char *pull_from;	/* ...on stdin, or from this named pipe */
};

/* One test id: a test, or one iteration of a loop test. */
struct entry {
	char *id;
	const struct rec_suite *suite;
	const struct rec_tcase *tcase;
	const struct rec_test *test;
	int iter;
	int done;		/* already run: a list naming it twice runs it once */
};

struct plan {
	struct entry *v;
	size_t n;
	struct entry **sorted;	/* by id, for lookups */
};

struct outcome {
	enum testr_status status;
	char msg[4096];
	struct timespec start, end;
};

static const char usage[] =
	"usage: %s [--list] [--subunit] [--load-list FILE | --pull [FIFO]]\n";

static int
parse_args(struct options *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			o->list = 1;
		} else if (strcmp(argv[i], "--subunit") == 0) {
			o->subunit = 1;
		} else if (strcmp(argv[i], "--load-list") == 0 && i + 1 < argc) {
			o->load_list = argv[++i];
		} else if (strcmp(argv[i], "--pull") == 0) {
			o->pull = 1;
			if (i + 1 < argc && argv[i + 1][0] != '-')
				o->pull_from = argv[++i];
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", argv[0],
				argv[i]);
			fprintf(stderr, usage, argv[0]);
			return -1;
		}
	}
	return 0;
}

/* Does the space-separated tag list @tags hold any tag of @want? */
static int
tags_match(const char *tags, const char *want)
{
	char *copy = want ? strdup(want) : NULL;
	char *save = NULL;
	int found = 0;

	for (char *w = copy ? strtok_r(copy, " ", &save) : NULL; w && !found;
	     w = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(w);

		for (const char *t = tags; t && *t && !found; t += strcspn(t, " ")) {
			t += strspn(t, " ");
			found = strncmp(t, w, len) == 0 &&
				(t[len] == ' ' || t[len] == '\0');
		}
	}
	free(copy);
	return found;
}

/* The test cases check itself would run: it reads CK_RUN_SUITE,
 * CK_RUN_CASE, CK_INCLUDE_TAGS and CK_EXCLUDE_TAGS, and so does the list. */
static int
env_selects(const struct rec_suite *s, const struct rec_tcase *tc)
{
	const char *sname = getenv("CK_RUN_SUITE");
	const char *tcname = getenv("CK_RUN_CASE");
	const char *incl = getenv("CK_INCLUDE_TAGS");
	const char *excl = getenv("CK_EXCLUDE_TAGS");

	if (sname && (!s->name || strcmp(sname, s->name) != 0))
		return 0;
	if (tcname && (!tc->name || strcmp(tcname, tc->name) != 0))
		return 0;
	if (incl && !tags_match(tc->tags, incl))
		return 0;
	return !(excl && tags_match(tc->tags, excl));
}

static char *
make_id(const struct rec_suite *s, const struct rec_tcase *tc,
	const struct rec_test *t, int iter)
{
	const char *sn = s->name ? s->name : "";
	const char *tn = tc->name ? tc->name : "";
	char loop[16] = "";
	int len;
	char *id;

	if (t->loop)
		snprintf(loop, sizeof(loop), "#%d", iter);
	len = snprintf(NULL, 0, "%s.%s.%s%s", sn, tn, t->ttest->name, loop);
	id = len > 0 ? malloc((size_t)len + 1) : NULL;
	if (id)
		snprintf(id, (size_t)len + 1, "%s.%s.%s%s", sn, tn,
			 t->ttest->name, loop);
	return id;
}

static int
add_entry(struct plan *p, const struct rec_suite *s,
	  const struct rec_tcase *tc, const struct rec_test *t, int iter)
{
	struct entry *grown = realloc(p->v, (p->n + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	p->v = grown;
	grown[p->n] = (struct entry){ make_id(s, tc, t, iter), s, tc, t, iter, 0 };
	if (!grown[p->n].id)
		return -1;
	p->n++;
	return 0;
}

static int
add_tcase(struct plan *p, const struct rec_suite *s, const struct rec_tcase *tc)
{
	if (!env_selects(s, tc))
		return 0;
	for (size_t i = 0; i < tc->n_tests; i++) {
		const struct rec_test *t = &tc->tests[i];

		for (int iter = t->start; iter < t->end; iter++)
			if (add_entry(p, s, tc, t, iter) < 0)
				return -1;
	}
	return 0;
}

static int
by_id(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	int c = strcmp(x->id, y->id);

	/* Equal ids stay in registration order, so renaming is stable. */
	return c ? c : (x < y ? -1 : x > y);
}

static int
sort_ids(struct plan *p)
{
	free(p->sorted);
	p->sorted = malloc((p->n ? p->n : 1) * sizeof(*p->sorted));
	if (!p->sorted)
		return -1;
	for (size_t i = 0; i < p->n; i++)
		p->sorted[i] = &p->v[i];
	qsort(p->sorted, p->n, sizeof(*p->sorted), by_id);
	return 0;
}

/* check lets one test be added to one TCase twice, or two TCases share a
 * name; their ids get "~2", "~3", ... in registration order. */
static int
rename_duplicates(struct plan *p)
{
	int renamed = 0;

	for (size_t i = 1; i < p->n; i++) {
		size_t k = 1;

		while (i < p->n && strcmp(p->sorted[i]->id, p->sorted[i - k]->id) == 0) {
			struct entry *e = p->sorted[i];
			size_t len = strlen(e->id) + 24;
			char *id = malloc(len);

			if (!id)
				return -1;
			snprintf(id, len, "%s~%zu", e->id, ++k);
			free(e->id);
			e->id = id;
			renamed = 1;
			i++;
		}
	}
	return renamed;
}

static void
plan_dispose(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].id);
	free(p->v);
	free(p->sorted);
}

/* The ids in check's own order: suites as added to the runner, test cases
 * as added to each suite, tests as added, loop iterations in order. */
static int
plan_build(struct plan *p, const struct rec_runner *r, const char *prog)
{
	int rc;

	if (r->n_unknown)
		goto incomplete;
	for (size_t i = 0; i < r->n_suites; i++) {
		const struct rec_suite *s = r->suites[i];

		if (s->n_unknown)
			goto incomplete;
		for (size_t j = 0; j < s->n_tcases; j++)
			if (add_tcase(p, s, s->tcases[j]) < 0)
				goto nomem;
	}
	if (sort_ids(p) < 0 || (rc = rename_duplicates(p)) < 0 ||
	    (rc && sort_ids(p) < 0))
		goto nomem;
	return 0;
incomplete:
	fprintf(stderr, "%s: a Suite or TCase was built where testr-check.h "
		"was not included; compile with `pkg-config --cflags "
		"testr-check`\n", prog);
	return -1;
nomem:
	fprintf(stderr, "%s: out of memory\n", prog);
	return -1;
}

static struct entry *
plan_find(const struct plan *p, const char *id)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->sorted[mid]->id, id);

		if (c == 0)
			return p->sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A TCase holding just this test (one iteration of it), shaped by the
 * original's fixtures, timeout and tags replayed in their order. */
static Suite *
single_test_suite(const struct entry *e)
{
	Suite *s = suite_create(e->suite->name);
	TCase *tc = tcase_create(e->tcase->name);
	const struct rec_test *t = e->test;

	for (size_t i = 0; i < e->tcase->n_ops; i++) {
		const struct op *op = &e->tcase->ops[i];

		if (op->kind == OP_CHECKED)
			tcase_add_checked_fixture(tc, op->setup, op->teardown);
		else if (op->kind == OP_UNCHECKED)
			tcase_add_unchecked_fixture(tc, op->setup, op->teardown);
		else if (op->kind == OP_TIMEOUT)
			tcase_set_timeout(tc, op->timeout);
		else
			tcase_set_tags(tc, op->tags);
	}
	_tcase_add_test(tc, t->ttest, t->signal, t->exit_value, e->iter,
			e->iter + 1);
	suite_add_tcase(s, tc);
	return s;
}

static const char *
context_name(enum ck_result_ctx ctx)
{
	return ctx == CK_CTX_SETUP ? " (in setup)" :
	       ctx == CK_CTX_TEARDOWN ? " (in teardown)" : "";
}

/* check's verdict on the one test it ran: the first result that is not a
 * pass (an unchecked setup failure comes before the test's own). */
static void
judge(struct outcome *out, SRunner *sr)
{
	TestResult **results = srunner_results(sr);
	int n = srunner_ntests_run(sr);

	out->status = n > 0 ? TESTR_STATUS_SUCCESS : TESTR_STATUS_SKIP;
	snprintf(out->msg, sizeof(out->msg), "%s", n > 0 ? "" :
		 "check did not run it (CK_RUN_SUITE, CK_RUN_CASE or a tag filter)\n");
	for (int i = 0; results && i < n; i++) {
		TestResult *tr = results[i];

		if (tr_rtype(tr) == CK_PASS)
			continue;
		out->status = TESTR_STATUS_FAIL;
		snprintf(out->msg, sizeof(out->msg), "%s:%d: %s%s\n",
			 tr_lfile(tr) ? tr_lfile(tr) : "?", tr_lno(tr),
			 tr_msg(tr) ? tr_msg(tr) : "", context_name(tr_ctx(tr)));
		break;
	}
	free(results);	/* the array is ours, the results are the runner's */
}

static void
run_entry(struct outcome *out, const struct entry *e, enum fork_status mode)
{
	SRunner *sr = srunner_create(single_test_suite(e));

	srunner_set_fork_status(sr, mode);
	/* A forked test exits through exit(), which would flush a copy of
	 * whatever stdio still buffers: flush it first. */
	fflush(stdout);
	srunner_run_all(sr, CK_SILENT);
	clock_gettime(CLOCK_REALTIME, &out->end);
	judge(out, sr);
	srunner_free(sr);
}

/* The reporting side: subunit v2 events through libtestr's encoder, or
 * one line per test for a person. */
struct reporter {
	struct testr_context *ctx;
	int subunit;
	int io_error;
	size_t failed;
};

static int
write_stdout(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	return fwrite(buf, 1, len, stdout) == len ? 0 : TESTR_EIO;
}

/* Split a tcase's tags (space-separated) into at most @max words of @buf. */
static size_t
split_tags(const char **tags, size_t max, char *buf, size_t size,
	   const char *src)
{
	char *save = NULL;
	size_t n = 0;

	snprintf(buf, size, "%s", src ? src : "");
	for (char *w = strtok_r(buf, " ", &save); w && n < max;
	     w = strtok_r(NULL, " ", &save))
		tags[n++] = w;
	return n;
}

static void
emit(struct reporter *rep, const struct entry *e, enum testr_status status,
     const struct timespec *ts, const char *traceback)
{
	const char *tags[32];
	char tagbuf[1024];
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.status = status;
	ev.runnable = true;
	ev.test_id = e->id;
	ev.n_tags = split_tags(tags, 32, tagbuf, sizeof(tagbuf), e->tcase->tags);
	if (ev.n_tags) {
		ev.fields |= TESTR_EVENT_TAGS;
		ev.tags = tags;
	}
	if (ts) {
		ev.fields |= TESTR_EVENT_TIMESTAMP;
		ev.ts_sec = ts->tv_sec;
		ev.ts_nsec = (uint32_t)ts->tv_nsec;
	}
	if (traceback && *traceback) {
		ev.fields |= TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE;
		ev.file_name = "traceback";
		ev.mime_type = "text/plain;charset=utf8";
		ev.file_bytes = (const unsigned char *)traceback;
		ev.file_len = strlen(traceback);
		ev.eof = true;
	}
	if (testr_subunit_encode_v2(rep->ctx, &ev, write_stdout, NULL) < 0 ||
	    fflush(stdout) != 0)
		rep->io_error = 1;
}

static double
seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
report(struct reporter *rep, const struct entry *e, const struct outcome *o)
{
	if (o->status == TESTR_STATUS_FAIL)
		rep->failed++;
	if (rep->subunit) {
		emit(rep, e, o->status, &o->end, o->msg);
		return;
	}
	printf("%-4s %s (%.3fs)\n", o->status == TESTR_STATUS_FAIL ? "FAIL" :
	       o->status == TESTR_STATUS_SKIP ? "SKIP" : "ok",
	       e->id, seconds(&o->start, &o->end));
	if (*o->msg)
		printf("    %s", o->msg);
	fflush(stdout);
}

static void
run_one(struct reporter *rep, struct entry *e, enum fork_status mode)
{
	struct outcome o = { 0 };

	e->done = 1;
	clock_gettime(CLOCK_REALTIME, &o.start);
	if (rep->subunit)
		emit(rep, e, TESTR_STATUS_INPROGRESS, &o.start, NULL);
	run_entry(&o, e, mode);
	clock_gettime(CLOCK_REALTIME, &o.end);
	report(rep, e, &o);
}

/* An id the program does not have still gets a final result: it was asked
 * for, and a silent gap would let a renamed test pass unnoticed. */
static void
report_unknown(struct reporter *rep, const char *id)
{
	struct entry e = { 0 };
	struct rec_tcase none = { 0 };
	struct outcome o = { .status = TESTR_STATUS_FAIL };

	e.id = (char *)id;
	e.tcase = &none;
	clock_gettime(CLOCK_REALTIME, &o.start);
	o.end = o.start;
	snprintf(o.msg, sizeof(o.msg), "no test with this id in this program\n");
	report(rep, &e, &o);
}

static int
run_list(struct reporter *rep, struct plan *p, const char *path,
	 enum fork_status mode)
{
	struct testr_strv ids = TESTR_STRV_INIT;

	if (testr_select_read_list(&ids, rep->ctx, path) < 0) {
		fprintf(stderr, "%s\n", testr_context_error(rep->ctx));
		return -1;
	}
	for (size_t i = 0; i < ids.n && !rep->io_error; i++) {
		struct entry *e = plan_find(p, ids.v[i]);

		if (!e)
			report_unknown(rep, ids.v[i]);
		else if (!e->done)
			run_one(rep, e, mode);
	}
	testr_strv_dispose(&ids);
	return 0;
}

/*
 * Pull mode (testr.conf(5) test_feed): run each id as its line arrives,
 * its result flushed before the next line is read, until end of file.
 * Unlike a list, an id named again runs again: testr waits for a result
 * of every id it writes.
 */
static int
run_pulled(struct reporter *rep, struct plan *p, const char *path,
	   enum fork_status mode, const char *prog)
{
	FILE *in = path ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (!in) {
		fprintf(stderr, "%s: --pull: cannot open '%s'\n", prog, path);
		return -1;
	}
	while (!rep->io_error && (len = getline(&line, &cap, in)) >= 0) {
		struct entry *e;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		e = plan_find(p, line);
		if (e)
			run_one(rep, e, mode);
		else
			report_unknown(rep, line);
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return 0;
}

static void
list_ids(struct reporter *rep, const struct plan *p)
{
	for (size_t i = 0; i < p->n && !rep->io_error; i++) {
		if (rep->subunit)
			emit(rep, &p->v[i], TESTR_STATUS_EXISTS, NULL, NULL);
		else if (printf("%s\n", p->v[i].id) < 0)
			rep->io_error = 1;
	}
}

/* In testr's modes stdout is the stream: check's log files, which each
 * single-test run would reopen and truncate, are turned off. */
static void
quiet_check_logs(void)
{
	unsetenv("CK_LOG_FILE_NAME");
	unsetenv("CK_XML_LOG_FILE_NAME");
	unsetenv("CK_TAP_LOG_FILE_NAME");
}

static int
drive(struct reporter *rep, const struct options *o, SRunner *sr,
      const char *prog)
{
	const struct rec_runner *r = record_runner(sr);
	struct plan p = { 0 };
	enum fork_status mode = srunner_fork_status(sr);
	int rc = 3;

	if (!r) {
		fprintf(stderr, "%s: the SRunner was not created where "
			"testr-check.h was included\n", prog);
		return 3;
	}
	if (plan_build(&p, r, prog) < 0)
		goto done;
	quiet_check_logs();
	rc = 0;
	if (o->list)
		list_ids(rep, &p);
	else if (o->load_list)
		rc = run_list(rep, &p, o->load_list, mode) < 0 ? 2 : 0;
	else if (o->pull)
		rc = run_pulled(rep, &p, o->pull_from, mode, prog) < 0 ? 2 : 0;
	else
		for (size_t i = 0; i < p.n && !rep->io_error; i++)
			run_one(rep, &p.v[i], mode);
done:
	plan_dispose(&p);
	return rc;
}

int
testr_check_main(SRunner *sr, int argc, char **argv)
{
	struct options o = { 0 };
	struct reporter rep = { 0 };
	const char *prog = argc > 0 ? argv[0] : "testr-check";
	int rc;

	if (parse_args(&o, argc, argv) < 0)
		return 2;
	if (!o.list && !o.subunit && !o.load_list && !o.pull) {
		srunner_run_all(sr, CK_ENV);
		return srunner_ntests_failed(sr) ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	if (testr_context_new(&rep.ctx) < 0)
		return 3;
	rep.subunit = o.subunit;
	rc = drive(&rep, &o, sr, prog);
	if (rc == 0 && (rep.io_error || fflush(stdout) != 0)) {
		fprintf(stderr, "%s: cannot write to stdout\n", prog);
		rc = 3;
	}
	if (rc == 0 && !o.subunit && !o.list) {
		printf("%zu failed\n", rep.failed);
		rc = rep.failed ? 1 : 0;
	}
	testr_context_free(rep.ctx);
	return rc;
}
