/* The unit-test harness: one TCase per test, listing and selection by id. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <testr/testr.h>

#include "harness.h"

/* A test kept aside in --subunit mode, to be run on its own. */
struct harness_entry {
	const char *id;		/* one of harness.names */
	const TTest *test;
	double timeout_s;
};

struct harness {
	Suite *suite;
	int list_only;
	int subunit;		/* --subunit: v2 events, one test at a time */
	struct testr_context *ctx;
	struct harness_entry *entries;
	size_t n_entries;
	int write_failed;
	char **wanted;		/* NULL: every test */
	size_t n_wanted;
	char **names;		/* TCase names: check keeps the pointers */
	size_t n_names;
};

static int
is_wanted(const struct harness *h, const char *id)
{
	if (!h->wanted)
		return 1;
	for (size_t i = 0; i < h->n_wanted; i++)
		if (strcmp(h->wanted[i], id) == 0)
			return 1;
	return 0;
}

static int
write_stdout(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	return fwrite(buf, 1, len, stdout) == len ? 0 : TESTR_EIO;
}

/* One v2 event for @id, stamped now; @message (may be NULL) is attached as
 * the "traceback" that testr shows for a failure. */
static void
emit(struct harness *h, const char *id, enum testr_status status,
     const char *message)
{
	struct testr_event ev = { 0 };
	struct timespec now;

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = id;
	ev.status = status;
	ev.runnable = true;
	if (status != TESTR_STATUS_EXISTS) {
		clock_gettime(CLOCK_REALTIME, &now);
		ev.fields |= TESTR_EVENT_TIMESTAMP;
		ev.ts_sec = now.tv_sec;
		ev.ts_nsec = (uint32_t)now.tv_nsec;
	}
	if (message) {
		ev.fields |= TESTR_EVENT_MIME_TYPE | TESTR_EVENT_FILE;
		ev.mime_type = "text/plain;charset=utf8";
		ev.file_name = "traceback";
		ev.file_bytes = (const unsigned char *)message;
		ev.file_len = strlen(message);
		ev.eof = true;
	}
	if (testr_subunit_encode_v2(h->ctx, &ev, write_stdout, NULL) != 0 ||
	    fflush(stdout) != 0)
		h->write_failed = 1;
}

/* Run one test in a runner of its own, so it gets its own times. */
static void
run_entry(struct harness *h, const struct harness_entry *e)
{
	Suite *s = suite_create(harness_module);
	TCase *tc = tcase_create(e->id);
	SRunner *sr;
	TestResult **results;
	char msg[4096] = "the test did not report a result";
	int passed = 0;

	if (e->timeout_s > 0)
		tcase_set_timeout(tc, e->timeout_s);
	_tcase_add_test(tc, e->test, 0, 0, 0, 1);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	emit(h, e->id, TESTR_STATUS_INPROGRESS, NULL);
	srunner_run_all(sr, CK_SILENT);
	results = srunner_results(sr);
	if (results && srunner_ntests_run(sr) == 1) {
		passed = tr_rtype(results[0]) == CK_PASS;
		snprintf(msg, sizeof(msg), "%s:%d: %s\n", tr_lfile(results[0]),
			 tr_lno(results[0]), tr_msg(results[0]));
	}
	free(results);
	emit(h, e->id, passed ? TESTR_STATUS_SUCCESS : TESTR_STATUS_FAIL,
	     passed ? NULL : msg);
	srunner_free(sr);
}

void
harness_add(struct harness *h, const TTest *test, double timeout_s)
{
	char id[512];
	TCase *tc;

	snprintf(id, sizeof(id), "%s.%s", harness_module, test->name);
	if (!is_wanted(h, id))
		return;
	if (h->list_only && h->subunit) {
		emit(h, id, TESTR_STATUS_EXISTS, NULL);
		return;
	}
	if (h->list_only) {
		printf("%s\n", id);
		return;
	}
	/* check names the subunit test after the TCase; make that the id. */
	h->names = realloc(h->names, (h->n_names + 1) * sizeof(char *));
	h->names[h->n_names] = strdup(id);
	if (h->subunit) {
		h->entries = realloc(h->entries,
				     (h->n_entries + 1) * sizeof(*h->entries));
		h->entries[h->n_entries++] = (struct harness_entry){
			h->names[h->n_names++], test, timeout_s };
		return;
	}
	tc = tcase_create(h->names[h->n_names++]);
	if (timeout_s > 0)
		tcase_set_timeout(tc, timeout_s);
	_tcase_add_test(tc, test, 0, 0, 0, 1);
	suite_add_tcase(h->suite, tc);
}

static int
load_list(struct harness *h, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		h->wanted = realloc(h->wanted, (h->n_wanted + 1) * sizeof(char *));
		h->wanted[h->n_wanted++] = strdup(line);
	}
	fclose(f);
	if (!h->wanted)
		h->wanted = calloc(1, sizeof(char *));
	return 0;
}

static void
harness_dispose(struct harness *h)
{
	for (size_t i = 0; i < h->n_names; i++)
		free(h->names[i]);
	free(h->names);
	free(h->entries);
	testr_context_free(h->ctx);
	for (size_t i = 0; i < h->n_wanted; i++)
		free(h->wanted[i]);
	free(h->wanted);
}

/*
 * --subunit: run the kept tests one by one.  Failures are in the stream, so
 * the exit status is 0 unless stdout could not be written: testr counts a
 * non-zero exit as a broken test program.
 */
static int
run_subunit(struct harness *h)
{
	int rc;

	for (size_t i = 0; i < h->n_entries; i++)
		run_entry(h, &h->entries[i]);
	rc = h->write_failed ? 3 : 0;
	if (rc)
		fprintf(stderr, "%s: cannot write the subunit stream\n",
			harness_module);
	harness_dispose(h);
	return rc;
}

int
main(int argc, char **argv)
{
	struct harness h = { 0 };
	SRunner *sr;
	int failed;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			h.list_only = 1;
		} else if (strcmp(argv[i], "--subunit") == 0) {
			h.subunit = 1;
		} else if (strcmp(argv[i], "--load-list") == 0 && i + 1 < argc) {
			if (load_list(&h, argv[++i]) < 0)
				return 2;
		} else {
			fprintf(stderr, "usage: %s [--list] [--subunit] "
				"[--load-list FILE]\n", argv[0]);
			return 2;
		}
	}
	if (h.subunit && testr_context_new(&h.ctx) != 0)
		return 2;
	if (!h.list_only && !h.subunit)
		h.suite = suite_create(harness_module);
	harness_register(&h);
	if (h.list_only || h.subunit)
		return run_subunit(&h);
	sr = srunner_create(h.suite);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	harness_dispose(&h);
	return failed ? 1 : 0;
}

const char *
harness_source_dir(void)
{
	return getenv("TESTR_SOURCE_DIR");
}

const char *
harness_build_dir(void)
{
	return getenv("TESTR_BUILD_DIR");
}

const char *
harness_testr_bin(void)
{
	return getenv("TESTR_BIN");
}

char *
harness_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *path = malloc(4096);

	snprintf(path, 4096, "%s/testr-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
harness_rmtree(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
harness_slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

void
harness_repo_init(struct harness_repo *f)
{
	f->dir = harness_tmpdir();
	ck_assert_ptr_nonnull(f->dir);
	ck_assert_int_eq(testr_context_new(&f->ctx), 0);
	ck_assert_int_eq(testr_repo_init(&f->repo, f->ctx, f->dir), 0);
}

void
harness_repo_reopen(struct harness_repo *f)
{
	testr_repo_free(f->repo);
	ck_assert_int_eq(testr_repo_open(&f->repo, f->ctx, f->dir), 0);
}

void
harness_repo_dispose(struct harness_repo *f)
{
	testr_repo_free(f->repo);
	testr_context_free(f->ctx);
	harness_rmtree(f->dir);
	free(f->dir);
}

void
harness_assert_version_refused(struct testr_context *ctx, int rc,
			       const char *type, unsigned version)
{
	char want[128];

	snprintf(want, sizeof(want), "struct %s: version %u is not", type,
		 version);
	ck_assert_int_eq(rc, TESTR_EINVAL);
	ck_assert_msg(strstr(testr_context_error(ctx), want),
		      "error '%s' lacks '%s'", testr_context_error(ctx), want);
	testr_context_clear_error(ctx);
}

struct testr_event
harness_event(const char *id, enum testr_status st, int64_t sec)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP;
	ev.test_id = id;
	ev.status = st;
	ev.ts_sec = sec;
	return ev;
}
