/* Unit tests for the repository (lib/repo*.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <testr/testr.h>

#include "../lib/context.h"
#include "../lib/fileio.h"
#include "../lib/repo.h"
#include "harness.h"

const char harness_module[] = "repo";

/* One test of a synthetic run: start/end < 0 means "no timestamp". */
struct spec {
	const char *id;
	enum testr_status status;
	double start, end;
};

#define BASE 1767225600	/* 2026-01-01 */

static void
set_ts(struct testr_event *ev, double t)
{
	ev->fields &= ~(unsigned)TESTR_EVENT_TIMESTAMP;
	if (t < 0)
		return;
	ev->fields |= TESTR_EVENT_TIMESTAMP;
	ev->ts_sec = BASE + (int64_t)t;
	ev->ts_nsec = (uint32_t)((t - (double)(int64_t)t) * 1e9 + 0.5);
}

static int
emit_spec(testr_event_fn fn, void *ud, const struct spec *s)
{
	struct testr_event ev = { 0 };
	int rc;

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = s->id;
	ev.runnable = true;
	if (s->status != TESTR_STATUS_EXISTS) {
		ev.status = TESTR_STATUS_INPROGRESS;
		set_ts(&ev, s->start);
		rc = fn(ud, &ev);
		if (rc)
			return rc;
	}
	if (s->status == TESTR_STATUS_FAIL) {
		ev.status = TESTR_STATUS_UNDEFINED;
		ev.fields |= TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE;
		ev.file_name = "traceback";
		ev.mime_type = "text/x-traceback; charset=utf8";
		ev.file_bytes = (const unsigned char *)"boom\n";
		ev.file_len = 5;
		ev.eof = true;
		rc = fn(ud, &ev);
		if (rc)
			return rc;
		ev.fields &= ~(unsigned)(TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE);
	}
	if (s->status == TESTR_STATUS_INPROGRESS)
		return 0;	/* never completes */
	ev.status = s->status;
	set_ts(&ev, s->end);
	return fn(ud, &ev);
}

static uint64_t
store(struct testr_repo *repo, bool partial, const struct spec *specs, size_t n)
{
	struct testr_repo_writer_options o = TESTR_REPO_WRITER_OPTIONS_INIT;
	struct testr_repo_writer *w;
	uint64_t id = 999;

	o.partial = partial;
	ck_assert_int_eq(testr_repo_writer_new(&w, repo, &o), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(emit_spec(testr_repo_writer_event_fn, w,
					   &specs[i]), 0);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	return id;
}

#define STORE(repo, partial, ...) \
	store(repo, partial, (const struct spec[]){ __VA_ARGS__ }, \
	      sizeof((const struct spec[]){ __VA_ARGS__ }) / sizeof(struct spec))


static char *
repo_path(struct harness_repo *f, const char *name)
{
	return str_printf("%s/.testrepository/%s", f->dir, name);
}

/* Remove repository file @name. */
static void
remove_file(struct harness_repo *f, const char *name)
{
	char *p = repo_path(f, name);

	ck_assert_int_eq(unlink(p), 0);
	free(p);
}

static void
write_text(struct harness_repo *f, const char *name, const char *text)
{
	char *p = repo_path(f, name);
	FILE *fp = fopen(p, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	free(p);
}

static double
duration_of(struct testr_repo *repo, const char *id)
{
	double d;

	ck_assert_int_eq(testr_repo_durations(&d, repo, &id, 1), 0);
	return d;
}

/* The failing ids joined with spaces. */
static char *
failing(struct testr_repo *repo)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	char buf[1024] = "";

	ck_assert_int_eq(testr_repo_failing_ids(&ids, repo), 0);
	for (size_t i = 0; i < ids.n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? " " : "", ids.v[i]);
	testr_strv_dispose(&ids);
	return strdup(buf);
}

#define ck_failing(repo, expect) do { \
	char *got_ = failing(repo); \
	ck_assert_str_eq(got_, expect); \
	free(got_); \
} while (0)

START_TEST(repo_init_twice_is_an_error_worded_as_testrepository)
{
	struct harness_repo f;
	struct testr_repo *again = NULL;
	char expect[4200];

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_init(&again, f.ctx, f.dir), TESTR_EEXISTS);
	ck_assert_ptr_null(again);
	snprintf(expect, sizeof(expect),
		 "[Errno 17] File exists: '%s/.testrepository'", f.dir);
	ck_assert_str_eq(testr_context_error(f.ctx), expect);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_open_without_repository_says_how_to_create_one)
{
	struct testr_context *ctx;
	struct testr_repo *repo = NULL;
	char *dir = harness_tmpdir(), expect[4200];

	testr_context_new(&ctx);
	ck_assert_int_eq(testr_repo_open(&repo, ctx, dir), TESTR_ENOTFOUND);
	snprintf(expect, sizeof(expect), "No repository found in %s. Create "
		 "one by running \"testr init\".", dir);
	ck_assert_str_eq(testr_context_error(ctx), expect);
	testr_context_free(ctx);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(repo_open_refuses_a_format_it_does_not_know)
{
	struct harness_repo f;
	struct testr_repo *other = NULL;

	harness_repo_init(&f);
	write_text(&f, "format", "2\n");
	ck_assert_int_eq(testr_repo_open(&other, f.ctx, f.dir),
			 TESTR_EUNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(testr_context_error(f.ctx),
				     "unknown repository format '2'"));
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_new_repository_is_empty)
{
	struct harness_repo f;
	uint64_t n = 99, id;

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_count(&n, f.repo), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(testr_repo_latest_id(&id, f.repo), TESTR_ENOTFOUND);
	ck_assert_str_eq(testr_context_error(f.ctx), "'No tests in repository'");
	ck_failing(f.repo, "");
	ck_assert(!testr_repo_is_legacy(f.repo));
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_runs_get_consecutive_ids_and_summaries)
{
	struct harness_repo f;
	struct testr_run_summary s;
	uint64_t n, latest;

	harness_repo_init(&f);
	ck_assert_uint_eq(STORE(f.repo, false,
		{ "a", TESTR_STATUS_SUCCESS, 0, 1 },
		{ "b", TESTR_STATUS_FAIL, 1, 1.5 },
		{ "c", TESTR_STATUS_SKIP, 1.5, 1.5 },
		{ "d", TESTR_STATUS_EXISTS, -1, -1 }), 0);
	ck_assert_uint_eq(STORE(f.repo, false,
		{ "a", TESTR_STATUS_SUCCESS, 10, 12 }), 1);
	harness_repo_reopen(&f);
	ck_assert_int_eq(testr_repo_count(&n, f.repo), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(testr_repo_latest_id(&latest, f.repo), 0);
	ck_assert_uint_eq(latest, 1);
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 0), 0);
	ck_assert_uint_eq(s.tests_run, 3);	/* "exists" is not a run */
	ck_assert_uint_eq(s.failures, 1);
	ck_assert_uint_eq(s.skips, 1);
	ck_assert(s.has_time);
	ck_assert_double_eq_tol(s.time_taken, 1.5, 1e-9);
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 1), 0);
	ck_assert_uint_eq(s.tests_run, 1);
	ck_assert_uint_eq(s.failures, 0);
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 7), TESTR_ENOTFOUND);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_full_run_replaces_the_failing_set)
{
	struct harness_repo f;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 1 },
	      { "b", TESTR_STATUS_FAIL, 1, 2 });
	ck_failing(f.repo, "a b");
	STORE(f.repo, false, { "c", TESTR_STATUS_FAIL, 0, 1 });
	ck_failing(f.repo, "c");
	STORE(f.repo, false, { "c", TESTR_STATUS_SUCCESS, 0, 1 });
	ck_failing(f.repo, "");
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_partial_run_keeps_failures_of_tests_it_did_not_run)
{
	struct harness_repo f;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 1 },
	      { "b", TESTR_STATUS_FAIL, 1, 2 }, { "c", TESTR_STATUS_FAIL, 2, 3 });
	STORE(f.repo, true, { "b", TESTR_STATUS_SUCCESS, 0, 1 },
	      { "d", TESTR_STATUS_FAIL, 1, 2 }, { "c", TESTR_STATUS_FAIL, 2, 3 });
	/* Untouched old failures first, then the run's failures in run order
	 * (testrepository keeps c at its old place: see testr-repository(5)). */
	ck_failing(f.repo, "a d c");
	harness_repo_reopen(&f);
	ck_failing(f.repo, "a d c");
	harness_repo_dispose(&f);
}
END_TEST

struct collect {
	int n;
	char ids[16][64];
	double secs[16];
};

static int
collect_fn(void *userdata, const char *id, double seconds)
{
	struct collect *c = userdata;

	snprintf(c->ids[c->n], sizeof(c->ids[0]), "%s", id);
	c->secs[c->n++] = seconds;
	return 0;
}

START_TEST(repo_durations_run_from_inprogress_to_final_timestamp)
{
	struct harness_repo f;

	harness_repo_init(&f);
	STORE(f.repo, false, { "timed", TESTR_STATUS_SUCCESS, 1, 3.25 },
	      { "untimed", TESTR_STATUS_SUCCESS, -1, -1 },
	      { "listed", TESTR_STATUS_EXISTS, -1, -1 },
	      { "hung", TESTR_STATUS_INPROGRESS, 4, -1 },
	      { "zero", TESTR_STATUS_SKIP, 5, 5 });
	ck_assert_double_eq_tol(duration_of(f.repo, "timed"), 2.25, 1e-6);
	ck_assert(isnan(duration_of(f.repo, "untimed")));
	ck_assert(isnan(duration_of(f.repo, "listed")));
	ck_assert(isnan(duration_of(f.repo, "hung")));
	ck_failing(f.repo, "hung");	/* never completed: failing, as in Python */
	ck_assert_double_eq_tol(duration_of(f.repo, "zero"), 0, 1e-9);
	ck_assert(isnan(duration_of(f.repo, "never-seen")));
	/* A later run overrides; tests it does not time keep their old value. */
	STORE(f.repo, true, { "timed", TESTR_STATUS_SUCCESS, 0, 0.5 },
	      { "zero", TESTR_STATUS_SUCCESS, -1, -1 });
	ck_assert_double_eq_tol(duration_of(f.repo, "timed"), 0.5, 1e-6);
	ck_assert_double_eq_tol(duration_of(f.repo, "zero"), 0, 1e-9);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_ids_with_tabs_newlines_and_backslashes_round_trip)
{
	static const char *const ids[] = { "a\tb", "a\nb", "a\\b", "a", "ab",
		"\xc3\xa9t\xc3\xa9" };
	struct harness_repo f;
	double d[6];
	struct collect c = { 0 };

	harness_repo_init(&f);
	STORE(f.repo, false, { ids[0], TESTR_STATUS_SUCCESS, 0, 1 },
	      { ids[1], TESTR_STATUS_SUCCESS, 0, 2 },
	      { ids[2], TESTR_STATUS_SUCCESS, 0, 3 },
	      { ids[3], TESTR_STATUS_SUCCESS, 0, 4 },
	      { ids[4], TESTR_STATUS_SUCCESS, 0, 5 },
	      { ids[5], TESTR_STATUS_SUCCESS, 0, 6 });
	ck_assert_int_eq(testr_repo_durations(d, f.repo, ids, 6), 0);
	for (int i = 0; i < 6; i++)
		ck_assert_double_eq_tol(d[i], i + 1, 1e-6);
	ck_assert_int_eq(testr_repo_slowest(f.repo, 0, collect_fn, &c), 0);
	ck_assert_int_eq(c.n, 6);
	ck_assert_str_eq(c.ids[5], "a\tb");
	ck_assert_str_eq(c.ids[4], "a\nb");
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_slowest_is_slowest_first_ties_by_id_and_limited)
{
	struct harness_repo f;
	struct collect c = { 0 };

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_slowest(f.repo, 10, collect_fn, &c), 0);
	ck_assert_int_eq(c.n, 0);	/* empty repository: nothing */
	STORE(f.repo, false, { "old", TESTR_STATUS_SUCCESS, 0, 9 });
	STORE(f.repo, false, { "b", TESTR_STATUS_SUCCESS, 0, 1 },
	      { "a", TESTR_STATUS_SUCCESS, 0, 1 },
	      { "c", TESTR_STATUS_SUCCESS, 0, 3 },
	      { "d", TESTR_STATUS_SUCCESS, 0, 0 });
	ck_assert_int_eq(testr_repo_slowest(f.repo, 3, collect_fn, &c), 0);
	ck_assert_int_eq(c.n, 3);	/* "old" is not in the latest run */
	ck_assert_str_eq(c.ids[0], "c");
	ck_assert_str_eq(c.ids[1], "a");
	ck_assert_str_eq(c.ids[2], "b");
	ck_assert_double_eq_tol(c.secs[0], 3, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_slowest_uses_remembered_times_for_untimed_tests)
{
	struct harness_repo f;
	struct collect c = { 0 };

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_SUCCESS, 0, 4 });
	STORE(f.repo, false, { "a", TESTR_STATUS_SUCCESS, -1, -1 },
	      { "b", TESTR_STATUS_SUCCESS, -1, -1 });
	ck_assert_int_eq(testr_repo_slowest(f.repo, 0, collect_fn, &c), 0);
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(c.ids[0], "a");
	ck_assert_double_eq_tol(c.secs[0], 4, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_uncommitted_writer_stores_nothing)
{
	struct harness_repo f;
	struct testr_repo_writer *w;
	const struct spec s = { "a", TESTR_STATUS_FAIL, 0, 1 };
	uint64_t n;

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, NULL), 0);
	ck_assert_int_eq(emit_spec(testr_repo_writer_event_fn, w, &s), 0);
	testr_repo_writer_free(w);
	harness_repo_reopen(&f);
	ck_assert_int_eq(testr_repo_count(&n, f.repo), 0);
	ck_assert_uint_eq(n, 0);
	ck_failing(f.repo, "");
	ck_assert_uint_eq(STORE(f.repo, false, { "b", TESTR_STATUS_SUCCESS, 0, 1 }), 0);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_writer_refuses_events_after_a_failed_commit)
{
	struct harness_repo f;
	struct testr_repo_writer *w;
	const struct spec s = { "a", TESTR_STATUS_SUCCESS, 0, 1 };
	char *store;
	uint64_t id = 42;

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, NULL), 0);
	ck_assert_int_eq(emit_spec(testr_repo_writer_event_fn, w, &s), 0);
	/* The repository vanishes under the writer: the commit cannot land. */
	store = str_printf("%s/.testrepository", f.dir);
	harness_rmtree(store);
	ck_assert_int_lt(testr_repo_writer_commit(&id, w), 0);
	ck_assert_uint_eq(id, 42);
	/* Its run file is gone: more events or a second commit are refused,
	 * not written through a freed buffer. */
	ck_assert_int_eq(emit_spec(testr_repo_writer_event_fn, w, &s),
			 TESTR_EINVAL);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), TESTR_EINVAL);
	ck_assert_ptr_nonnull(strstr(testr_context_error(f.ctx),
				     "failed to commit"));
	testr_repo_writer_free(w);
	free(store);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_corrupt_durations_are_rebuilt_from_the_runs)
{
	struct harness_repo f;
	char *p;
	FILE *fp;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_SUCCESS, 0, 2 });
	STORE(f.repo, true, { "b", TESTR_STATUS_SUCCESS, 0, 3 });
	p = repo_path(&f, "times");
	fp = fopen(p, "r+");
	ck_assert_ptr_nonnull(fp);
	fseek(fp, -3, SEEK_END);
	fputs("9", fp);		/* one flipped digit: the CRC catches it */
	fclose(fp);
	free(p);
	ck_assert_double_eq_tol(duration_of(f.repo, "a"), 2, 1e-6);
	ck_assert_double_eq_tol(duration_of(f.repo, "b"), 3, 1e-6);
	write_text(&f, "times", "garbage\n");
	ck_assert_double_eq_tol(duration_of(f.repo, "b"), 3, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

/* A writer killed after the commit point: failing and times are behind. */
START_TEST(repo_open_catches_up_after_a_writer_died_after_commit)
{
	struct harness_repo f;
	char *p;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 2 });
	p = repo_path(&f, "times");
	unlink(p);
	free(p);
	write_text(&f, "failing.upto", "0\n");
	write_text(&f, "failing", "");
	harness_repo_reopen(&f);
	ck_failing(f.repo, "a");
	ck_assert_double_eq_tol(duration_of(f.repo, "a"), 2, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_truncated_run_is_reported_by_name_and_the_rest_kept)
{
	struct harness_repo f;
	struct testr_run_summary s;
	char *p;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_SUCCESS, 0, 2 });
	STORE(f.repo, false, { "b", TESTR_STATUS_SUCCESS, 0, 3 },
	      { "c", TESTR_STATUS_SUCCESS, 3, 4 });
	p = repo_path(&f, "1");
	ck_assert_int_eq(truncate(p, 20), 0);
	free(p);
	p = repo_path(&f, "times");
	unlink(p);		/* force a rebuild that reads run 1 */
	free(p);
	ck_assert_double_eq_tol(duration_of(f.repo, "a"), 2, 1e-6);
	ck_assert(isnan(duration_of(f.repo, "c")));
	p = repo_path(&f, "1.index");
	unlink(p);
	free(p);
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 1), TESTR_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(testr_context_error(f.ctx), "/1: corrupt"));
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_damaged_index_falls_back_to_the_run)
{
	struct harness_repo f;
	struct testr_run_summary s;
	struct collect c = { 0 };

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 2 },
	      { "b", TESTR_STATUS_SUCCESS, 2, 3 });
	write_text(&f, "0.index", "libtestr-index 1\nrun=0\n");
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 0), 0);
	ck_assert_uint_eq(s.tests_run, 2);
	ck_assert_uint_eq(s.failures, 1);
	ck_assert_int_eq(testr_repo_slowest(f.repo, 10, collect_fn, &c), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_str_eq(c.ids[0], "a");
	harness_repo_dispose(&f);
}
END_TEST

static int
count_fn(void *userdata, const struct testr_event *ev)
{
	int *n = userdata;

	(void)ev;
	(*n)++;
	return 0;
}

START_TEST(repo_read_run_replays_every_stored_event)
{
	struct harness_repo f;
	int n = 0;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 2 },
	      { "b", TESTR_STATUS_SUCCESS, 2, 3 });
	ck_assert_int_eq(testr_repo_read_run(f.repo, 0, count_fn, &n), 0);
	ck_assert_int_eq(n, 5);	/* 2 inprogress, 1 attachment, 2 results */
	n = 0;
	ck_assert_int_eq(testr_repo_read_failing(f.repo, count_fn, &n), 0);
	ck_assert_int_eq(n, 3);	/* every event of "a" only */
	ck_assert_int_eq(testr_repo_read_run(f.repo, 1, count_fn, &n),
			 TESTR_ENOTFOUND);
	harness_repo_dispose(&f);
}
END_TEST

struct tee {
	struct testr_tally *tally;
	int files;
};

static int
tally_and_count(void *userdata, const struct testr_event *ev)
{
	struct tee *t = userdata;

	t->files += (ev->fields & TESTR_EVENT_FILE) != 0;
	return testr_tally_event_fn(t->tally, ev);
}

START_TEST(repo_report_corrupt_makes_a_parser_failure)
{
	struct tee t = { NULL, 0 };
	struct testr_run_summary s;

	ck_assert_int_eq(testr_tally_new(&t.tally), 0);
	ck_assert_int_eq(testr_repo_report_corrupt("in.subunit", 42, "bad CRC32",
						   tally_and_count, &t), 0);
	testr_tally_result(&s, t.tally);
	ck_assert_uint_eq(s.tests_run, 1);
	ck_assert_uint_eq(s.failures, 1);
	ck_assert_int_eq(t.files, 1);
	testr_tally_free(t.tally);
}
END_TEST

START_TEST(repo_tally_counts_unfinished_tests_as_failures)
{
	struct testr_tally *tally;
	struct testr_run_summary s;
	const struct spec specs[] = {
		{ "a", TESTR_STATUS_SUCCESS, 0, 1 },
		{ "b", TESTR_STATUS_INPROGRESS, 1, -1 },
		{ "c", TESTR_STATUS_XFAIL, 1, 2 },
		{ "d", TESTR_STATUS_UXSUCCESS, 2, 3 },
	};

	ck_assert_int_eq(testr_tally_new(&tally), 0);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(emit_spec(testr_tally_event_fn, tally,
					   &specs[i]), 0);
	testr_tally_result(&s, tally);
	ck_assert_uint_eq(s.tests_run, 4);
	ck_assert_uint_eq(s.failures, 1);
	ck_assert_double_eq_tol(s.time_taken, 3, 1e-9);
	testr_tally_free(tally);
	testr_tally_free(NULL);
}
END_TEST

START_TEST(repo_writer_rejects_unknown_options_version)
{
	struct harness_repo f;
	struct testr_repo_writer *w = NULL;
	struct testr_repo_writer_options o = { 7, false, false };

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, &o), TESTR_EINVAL);
	ck_assert_ptr_null(w);
	testr_repo_writer_free(NULL);
	testr_repo_free(NULL);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_legacy_format_is_only_read_until_upgraded)
{
	struct harness_repo f;
	struct testr_repo_writer *w = NULL;
	char *p, *text = NULL;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 1 });
	/* As testrepository leaves it: format 1, nothing of ours but runs. */
	write_text(&f, "format", "1\n");
	remove_file(&f, "failing.upto");
	remove_file(&f, "times");
	harness_repo_reopen(&f);
	ck_assert(testr_repo_is_legacy(f.repo));
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, NULL),
			 TESTR_EUNSUPPORTED);
	ck_assert_ptr_null(w);
	ck_assert_ptr_nonnull(strstr(testr_context_error(f.ctx),
				     "only after 'testr upgrade'"));
	p = repo_path(&f, "format");
	ck_assert_int_eq(fileio_read_file(&text, NULL, NULL, p), 0);
	ck_assert_str_eq(text, "1\n");
	free(text);
	ck_assert_int_eq(testr_repo_upgrade(f.repo), 0);
	ck_assert(!testr_repo_is_legacy(f.repo));
	ck_assert_int_eq(fileio_read_file(&text, NULL, NULL, p), 0);
	ck_assert_str_eq(text, "libtestr-1\n");
	free(text);
	free(p);
	ck_assert_int_eq(testr_repo_upgrade(f.repo), 0);	/* a no-op now */
	ck_assert_double_eq_tol(duration_of(f.repo, "a"), 1, 1e-6);
	ck_assert_uint_eq(STORE(f.repo, true, { "b", TESTR_STATUS_FAIL, 0, 1 }),
			  1);
	harness_repo_reopen(&f);
	ck_failing(f.repo, "a b");
	harness_repo_dispose(&f);
}
END_TEST

/* The runner asks for durations while its writer holds the lock. */
START_TEST(repo_durations_while_writing_do_not_wait_for_ourselves)
{
	struct harness_repo f;
	struct testr_repo_writer *w;
	const char *id = "a";
	double d;
	char *p;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_SUCCESS, 0, 2 });
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, NULL), 0);
	p = repo_path(&f, "times");
	unlink(p);		/* forces a rebuild, which needs the lock */
	free(p);
	ck_assert_int_eq(testr_repo_durations(&d, f.repo, &id, 1), 0);
	ck_assert_double_eq_tol(d, 2, 1e-6);
	testr_repo_writer_free(w);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_durations_damaged_during_a_run_are_rebuilt_at_commit)
{
	struct harness_repo f;
	struct testr_repo_writer *w;
	const struct spec s = { "new", TESTR_STATUS_SUCCESS, 0, 1 };
	uint64_t id;

	harness_repo_init(&f);
	STORE(f.repo, false, { "old", TESTR_STATUS_SUCCESS, 0, 3 });
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, NULL), 0);
	ck_assert_int_eq(emit_spec(testr_repo_writer_event_fn, w, &s), 0);
	write_text(&f, "times", "damaged\n");
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	ck_assert_double_eq_tol(duration_of(f.repo, "old"), 3, 1e-6);
	ck_assert_double_eq_tol(duration_of(f.repo, "new"), 1, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

/* The ids of a stored run's events, joined with spaces. */
static int
join_ids(void *userdata, const struct testr_event *ev)
{
	char *buf = userdata;

	if ((ev->fields & TESTR_EVENT_TEST_ID) && ev->status != 0)
		snprintf(buf + strlen(buf), 256 - strlen(buf), "%s%s",
			 *buf ? " " : "", ev->test_id);
	return 0;
}

START_TEST(repo_id_that_is_not_utf8_is_stored_escaped_with_the_run)
{
	struct harness_repo f;
	char ids[256] = "";
	const char *tags[] = { "worker-0", "t\xc3" };
	struct testr_event ev = { 0 };
	struct testr_repo_writer *w;
	uint64_t id;

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, NULL), 0);
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TAGS;
	ev.tags = tags;
	ev.n_tags = 2;
	ev.test_id = "bad\xff\xfe\xc3\xa9";	/* two bad bytes, then an e-acute */
	ev.status = TESTR_STATUS_FAIL;
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
	ev.test_id = "ok";
	ev.status = TESTR_STATUS_SUCCESS;
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	ck_assert_int_eq(testr_repo_read_run(f.repo, id, join_ids, ids), 0);
	ck_assert_str_eq(ids, "bad\\xff\\xfe\xc3\xa9 ok");
	ck_failing(f.repo, "bad\\xff\\xfe\xc3\xa9");
	harness_repo_dispose(&f);
}
END_TEST

/* Store one event with timestamp @sec.@nsec between two ordinary tests. */
static struct testr_run_summary
store_with_time(struct harness_repo *f, int64_t sec, uint32_t nsec)
{
	struct testr_repo_writer *w;
	struct testr_event ev = { 0 };
	struct testr_run_summary sum;
	const struct spec a = { "a", TESTR_STATUS_SUCCESS, 0, 1 };
	const struct spec b = { "b", TESTR_STATUS_FAIL, 2, 3 };
	uint64_t id;

	ck_assert_int_eq(testr_repo_writer_new(&w, f->repo, NULL), 0);
	ck_assert_int_eq(emit_spec(testr_repo_writer_event_fn, w, &a), 0);
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP;
	ev.test_id = "odd";
	ev.status = TESTR_STATUS_FAIL;
	ev.ts_sec = sec;
	ev.ts_nsec = nsec;
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
	ck_assert_int_eq(emit_spec(testr_repo_writer_event_fn, w, &b), 0);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	ck_assert_int_eq(testr_repo_run_summary(&sum, f->repo, id), 0);
	return sum;
}

START_TEST(repo_timestamp_v2_cannot_hold_is_dropped_not_the_run)
{
	struct harness_repo f;
	const int64_t secs[] = { -1, (int64_t)UINT32_MAX + 1, INT64_MIN };
	struct testr_run_summary sum;

	harness_repo_init(&f);
	for (size_t i = 0; i < 3; i++) {
		sum = store_with_time(&f, secs[i], 0);
		ck_assert_uint_eq(sum.tests_run, 3);
		ck_assert_uint_eq(sum.failures, 2);
		/* the run's time comes from the timestamps that were kept */
		ck_assert_double_eq_tol(sum.time_taken, 3, 1e-6);
	}
	ck_failing(f.repo, "odd b");
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_strings_too_long_for_any_packet_are_cut_not_the_run)
{
	struct harness_repo f;
	size_t big = 5u << 20;
	char *id = malloc(big + 1);
	struct testr_repo_writer *w;
	struct testr_event ev = { 0 };
	struct testr_strv ids = TESTR_STRV_INIT;
	uint64_t run;

	memset(id, 'i', big);
	id[big] = '\0';
	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, NULL), 0);
	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = id;
	ev.status = TESTR_STATUS_FAIL;
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
	ck_assert_int_eq(testr_repo_writer_commit(&run, w), 0);
	testr_repo_writer_free(w);
	ck_assert_int_eq(testr_repo_failing_ids(&ids, f.repo), 0);
	ck_assert_uint_eq(ids.n, 1);
	ck_assert_uint_eq(strlen(ids.v[0]), 512u * 1024u);
	ck_assert_int_eq(strncmp(ids.v[0], id, 512u * 1024u), 0);
	testr_strv_dispose(&ids);
	free(id);
	harness_repo_dispose(&f);
}
END_TEST

/* Warnings logged, and the last of them. */
struct warnings {
	int n;
	char last[512];
};

static void
count_warning(void *userdata, enum testr_log_level level, const char *msg)
{
	struct warnings *w = userdata;

	if (level > TESTR_LOG_WARNING)
		return;
	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

/* The bytes of a repository file, malloc'd. */
static char *
slurp(struct harness_repo *f, const char *name, size_t *len)
{
	char *p = repo_path(f, name), *text = NULL;

	ck_assert_int_eq(fileio_read_file(&text, len, NULL, p), 0);
	free(p);
	return text;
}

START_TEST(repo_next_stream_edited_back_never_overwrites_a_run)
{
	struct harness_repo f;
	struct testr_run_summary s;
	struct warnings w = { 0, "" };
	char *before[3];
	size_t len[3], n;
	uint64_t count;

	harness_repo_init(&f);
	testr_context_set_log(f.ctx, count_warning, &w, TESTR_LOG_WARNING);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 1 });
	STORE(f.repo, false, { "b", TESTR_STATUS_SUCCESS, 0, 2 });
	STORE(f.repo, false, { "c", TESTR_STATUS_SKIP, 0, 3 });
	for (int i = 0; i < 3; i++) {
		char name[4] = { (char)('0' + i), 0 };

		before[i] = slurp(&f, name, &len[i]);
	}
	write_text(&f, "next-stream", "1\n");	/* 3 with one bit flipped */
	ck_assert_uint_eq(STORE(f.repo, false,
				{ "d", TESTR_STATUS_SUCCESS, 0, 4 }), 3);
	ck_assert_int_eq(w.n, 1);
	ck_assert_ptr_nonnull(strstr(w.last, "next-stream says 1, but run 1 "
					    "is stored: this run is 3"));
	for (int i = 0; i < 3; i++) {
		char name[4] = { (char)('0' + i), 0 };
		char *now = slurp(&f, name, &n);

		ck_assert_uint_eq(n, len[i]);
		ck_assert_int_eq(memcmp(now, before[i], n), 0);
		free(now);
		free(before[i]);
	}
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 0), 0);
	ck_assert_uint_eq(s.failures, 1);
	ck_assert_int_eq(testr_repo_count(&count, f.repo), 0);
	ck_assert_uint_eq(count, 4);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_next_stream_far_ahead_costs_only_the_runs_that_exist)
{
	struct harness_repo f;
	struct warnings w = { 0, "" };
	struct testr_run_summary s;
	uint64_t id;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 1 });
	STORE(f.repo, false, { "b", TESTR_STATUS_FAIL, 0, 2 });
	/* Each missing run used to be read (and warned about) in turn. */
	write_text(&f, "next-stream", "5002\n");
	testr_context_set_log(f.ctx, count_warning, &w, TESTR_LOG_WARNING);
	harness_repo_reopen(&f);
	ck_assert_int_eq(w.n, 0);
	ck_assert_int_eq(testr_repo_latest_id(&id, f.repo), 0);
	ck_assert_uint_eq(id, 1);
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, id), 0);
	ck_assert_uint_eq(s.failures, 1);
	ck_failing(f.repo, "b");
	ck_assert_double_eq_tol(duration_of(f.repo, "a"), 1, 1e-6);
	ck_assert_uint_eq(STORE(f.repo, false,
				{ "c", TESTR_STATUS_FAIL, 0, 3 }), 5002);
	ck_assert_int_eq(w.n, 0);
	ck_failing(f.repo, "c");
	harness_repo_dispose(&f);
}
END_TEST

/* Replace @from with @to in repository file @name. */
static void
edit_file(struct harness_repo *f, const char *name, const char *from,
	  const char *to)
{
	char *text = slurp(f, name, NULL), *at = strstr(text, from);
	char *edited;

	ck_assert_ptr_nonnull(at);
	*at = '\0';
	edited = str_printf("%s%s%s", text, to, at + strlen(from));
	write_text(f, name, edited);
	free(edited);
	free(text);
}

START_TEST(repo_tampered_index_is_detected_and_rebuilt_from_the_run)
{
	struct harness_repo f;
	struct warnings w = { 0, "" };
	struct testr_run_summary s;
	struct collect c = { 0 };

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 2 },
	      { "b", TESTR_STATUS_SUCCESS, 2, 3 });
	testr_context_set_log(f.ctx, count_warning, &w, TESTR_LOG_WARNING);
	edit_file(&f, "0.index", "failures=1", "failures=0");
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 0), 0);
	ck_assert_uint_eq(s.failures, 1);
	ck_assert_uint_eq(s.tests_run, 2);
	ck_assert_int_eq(w.n, 1);
	ck_assert_ptr_nonnull(strstr(w.last, "0.index: corrupt index"));
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 0), 0);
	ck_assert_int_eq(w.n, 1);	/* rebuilt: good again */
	/* A timed line edited: slowest notices too. */
	edit_file(&f, "0.index", "2.000000\ta", "0.500000\ta");
	ck_assert_int_eq(testr_repo_slowest(f.repo, 1, collect_fn, &c), 0);
	ck_assert_int_eq(w.n, 2);
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(c.ids[0], "a");
	ck_assert_double_eq_tol(c.secs[0], 2, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_emptied_or_replaced_run_file_is_reported_not_read_as_passed)
{
	struct harness_repo f;
	struct testr_run_summary s;
	char *p, *other;
	size_t len;
	int n = 0;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 2 });
	STORE(f.repo, true, { "b", TESTR_STATUS_SUCCESS, 0, 1 });
	p = repo_path(&f, "0");
	ck_assert_int_eq(truncate(p, 0), 0);
	ck_assert_int_eq(testr_repo_read_run(f.repo, 0, count_fn, &n),
			 TESTR_ECORRUPT);
	ck_assert_int_eq(n, 0);
	ck_assert_ptr_nonnull(strstr(testr_context_error(f.ctx), "/0: run "
				     "file is not the one stored (0 bytes"));
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 0), 0);
	ck_assert_uint_eq(s.failures, 1);
	/* Replaced by another run's stream: caught as well. */
	other = slurp(&f, "1", &len);
	write_text(&f, "0", other);
	ck_assert_int_eq(testr_repo_read_run(f.repo, 0, count_fn, &n),
			 TESTR_ECORRUPT);
	/* A repair leaves it out instead of taking it as a full run. */
	write_text(&f, "failing.upto", "0\n");
	harness_repo_reopen(&f);
	ck_failing(f.repo, "a");
	free(other);
	free(p);
	harness_repo_dispose(&f);
}
END_TEST

/* Write @len bytes to repository file @name (NULs included). */
static void
write_bytes(struct harness_repo *f, const char *name, const char *bytes,
	    size_t len)
{
	char *p = repo_path(f, name);
	FILE *fp = fopen(p, "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(bytes, 1, len, fp), len);
	fclose(fp);
	free(p);
}

/* The CRC-32 is checked while the run is read: the wrong content of the
 * right size is still reported, never returned as the run. */
START_TEST(repo_run_file_replaced_by_one_of_the_same_size_is_reported)
{
	struct harness_repo f;
	char *mine, *other;
	size_t len, other_len;
	int n = 0;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 2 });
	STORE(f.repo, false, { "b", TESTR_STATUS_FAIL, 0, 2 });
	mine = slurp(&f, "0", &len);
	other = slurp(&f, "1", &other_len);
	ck_assert_uint_eq(len, other_len);
	ck_assert_int_ne(memcmp(mine, other, len), 0);
	write_bytes(&f, "0", other, other_len);
	ck_assert_int_eq(testr_repo_read_run(f.repo, 0, count_fn, &n),
			 TESTR_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(testr_context_error(f.ctx), "/0: run "
				     "file is not the one stored"));
	free(mine);
	free(other);
	harness_repo_dispose(&f);
}
END_TEST

static int
prune_keeping(struct testr_repo *repo, uint64_t keep)
{
	struct testr_prune_options o = TESTR_PRUNE_OPTIONS_INIT;
	uint64_t removed = 0;

	o.by_count = true;
	o.keep = keep;
	ck_assert_int_eq(testr_repo_prune(&removed, repo, &o), 0);
	return (int)removed;
}

START_TEST(repo_next_stream_edited_back_into_a_pruned_gap_keeps_runs_in_order)
{
	struct harness_repo f;
	uint64_t id, count;

	harness_repo_init(&f);
	for (int i = 0; i < 4; i++)
		STORE(f.repo, false, { "a", TESTR_STATUS_SUCCESS, 0, 1 });
	ck_assert_int_eq(prune_keeping(f.repo, 2), 2);	/* runs 2 and 3 stay */
	/* Into the gap: the free id 1 would put the new run before 3. */
	write_text(&f, "next-stream", "1\n");
	ck_assert_uint_eq(STORE(f.repo, false,
				{ "b", TESTR_STATUS_FAIL, 0, 1 }), 4);
	ck_assert_int_eq(testr_repo_latest_id(&id, f.repo), 0);
	ck_assert_uint_eq(id, 4);
	ck_assert_int_eq(testr_repo_count(&count, f.repo), 0);
	ck_assert_uint_eq(count, 5);
	ck_failing(f.repo, "b");
	harness_repo_dispose(&f);
}
END_TEST

static int
count_run(void *userdata, const struct testr_history_run *run)
{
	(void)run;
	++*(int *)userdata;
	return 0;
}

static int
write_nothing(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	(void)buf;
	(void)len;
	return 0;
}

/*
 * A counter near the top of its range: every command walking the counter's
 * range instead of the run files would never finish (check's timeout).
 */
START_TEST(repo_next_stream_near_its_limit_costs_only_the_runs_that_exist)
{
	struct harness_repo f;
	struct testr_run_summary s;
	uint64_t id;
	int n = 0;

	harness_repo_init(&f);
	STORE(f.repo, false, { "a", TESTR_STATUS_FAIL, 0, 1 });
	write_text(&f, "next-stream", "18446744073709551000\n");
	write_text(&f, "failing.upto", "0\n");	/* a repair walks them */
	harness_repo_reopen(&f);
	ck_failing(f.repo, "a");
	ck_assert_int_eq(testr_repo_latest_id(&id, f.repo), 0);
	ck_assert_uint_eq(id, 0);
	ck_assert_int_eq(testr_repo_history_runs(f.repo, count_run, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(testr_repo_stats_json(f.repo, write_nothing, NULL), 0);
	ck_assert_uint_eq(STORE(f.repo, false, { "b", TESTR_STATUS_FAIL, 0, 2 }),
			  18446744073709551000u);
	ck_assert_int_eq(prune_keeping(f.repo, 1), 1);
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 18446744073709551000u),
			 0);
	ck_assert_uint_eq(s.failures, 1);
	ck_assert_double_eq_tol(duration_of(f.repo, "a"), 1, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST


START_TEST(repo_rebuilt_index_keeps_the_run_interrupted_or_partial)
{
	struct testr_repo_writer_options o = TESTR_REPO_WRITER_OPTIONS_INIT;
	struct harness_repo f;
	struct testr_repo_writer *w;
	struct testr_run_summary s;
	const struct spec a = { "a", TESTR_STATUS_SUCCESS, 0, 1 };
	uint64_t id;

	harness_repo_init(&f);
	o.interrupted = true;
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, &o), 0);
	ck_assert_int_eq(emit_spec(testr_repo_writer_event_fn, w, &a), 0);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	STORE(f.repo, true, { "b", TESTR_STATUS_SUCCESS, 0, 1 });
	STORE(f.repo, false, { "c", TESTR_STATUS_SUCCESS, 0, 1 });
	remove_file(&f, "0.index");
	edit_file(&f, "1.index", "partial=1", "partial=0");
	remove_file(&f, "2.index");
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 0), 0);
	ck_assert(s.interrupted);
	ck_assert(s.partial);
	ck_assert_uint_eq(s.tests_run, 1);
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 1), 0);
	ck_assert(!s.interrupted);
	ck_assert(s.partial);
	ck_assert_int_eq(testr_repo_run_summary(&s, f.repo, 2), 0);
	ck_assert(!s.interrupted);
	ck_assert(!s.partial);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(repo_writer_options_of_an_unknown_version_are_refused)
{
	struct testr_repo_writer_options o = TESTR_REPO_WRITER_OPTIONS_INIT;
	struct testr_repo_writer *w = (void *)1;
	struct harness_repo f;

	harness_repo_init(&f);
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(f.ctx,
			testr_repo_writer_new(&w, f.repo, &o),
			"testr_repo_writer_options", v);
		ck_assert_ptr_null(w);
	}
	harness_repo_dispose(&f);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, repo_writer_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, repo_init_twice_is_an_error_worded_as_testrepository);
	HARNESS_ADD(h, repo_open_without_repository_says_how_to_create_one);
	HARNESS_ADD(h, repo_open_refuses_a_format_it_does_not_know);
	HARNESS_ADD(h, repo_new_repository_is_empty);
	HARNESS_ADD(h, repo_runs_get_consecutive_ids_and_summaries);
	HARNESS_ADD(h, repo_full_run_replaces_the_failing_set);
	HARNESS_ADD(h, repo_partial_run_keeps_failures_of_tests_it_did_not_run);
	HARNESS_ADD(h, repo_durations_run_from_inprogress_to_final_timestamp);
	HARNESS_ADD(h, repo_ids_with_tabs_newlines_and_backslashes_round_trip);
	HARNESS_ADD(h, repo_slowest_is_slowest_first_ties_by_id_and_limited);
	HARNESS_ADD(h, repo_slowest_uses_remembered_times_for_untimed_tests);
	HARNESS_ADD(h, repo_uncommitted_writer_stores_nothing);
	HARNESS_ADD(h, repo_writer_refuses_events_after_a_failed_commit);
	HARNESS_ADD(h, repo_corrupt_durations_are_rebuilt_from_the_runs);
	HARNESS_ADD(h, repo_open_catches_up_after_a_writer_died_after_commit);
	HARNESS_ADD(h, repo_truncated_run_is_reported_by_name_and_the_rest_kept);
	HARNESS_ADD(h, repo_damaged_index_falls_back_to_the_run);
	HARNESS_ADD(h, repo_read_run_replays_every_stored_event);
	HARNESS_ADD(h, repo_report_corrupt_makes_a_parser_failure);
	HARNESS_ADD(h, repo_tally_counts_unfinished_tests_as_failures);
	HARNESS_ADD(h, repo_writer_rejects_unknown_options_version);
	HARNESS_ADD(h, repo_legacy_format_is_only_read_until_upgraded);
	HARNESS_ADD(h, repo_durations_while_writing_do_not_wait_for_ourselves);
	HARNESS_ADD(h, repo_durations_damaged_during_a_run_are_rebuilt_at_commit);
	HARNESS_ADD(h, repo_id_that_is_not_utf8_is_stored_escaped_with_the_run);
	HARNESS_ADD(h, repo_timestamp_v2_cannot_hold_is_dropped_not_the_run);
	HARNESS_ADD(h, repo_strings_too_long_for_any_packet_are_cut_not_the_run);
	HARNESS_ADD(h, repo_next_stream_edited_back_never_overwrites_a_run);
	HARNESS_ADD(h, repo_next_stream_far_ahead_costs_only_the_runs_that_exist);
	HARNESS_ADD(h, repo_tampered_index_is_detected_and_rebuilt_from_the_run);
	HARNESS_ADD(h, repo_emptied_or_replaced_run_file_is_reported_not_read_as_passed);
	HARNESS_ADD(h, repo_run_file_replaced_by_one_of_the_same_size_is_reported);
	HARNESS_ADD(h, repo_next_stream_edited_back_into_a_pruned_gap_keeps_runs_in_order);
	HARNESS_ADD(h, repo_next_stream_near_its_limit_costs_only_the_runs_that_exist);
	HARNESS_ADD(h, repo_rebuilt_index_keeps_the_run_interrupted_or_partial);
}
