/* Unit tests for the duration model seen through the repository
 * (lib/durations.c over lib/repo_times.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <testr/testr.h>

#include "../lib/context.h"
#include "harness.h"

const char harness_module[] = "durations";

#define BASE 1767225600	/* 2026-01-01 */

/* One test of a run: it takes @seconds and ends with @status (INPROGRESS:
 * it never ends, as when the run is interrupted). */
struct result {
	const char *id;
	enum testr_status status;
	double seconds;
};

static void
emit(struct testr_repo_writer *w, const char *id, enum testr_status st,
     double t)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP;
	ev.test_id = id;
	ev.runnable = true;
	ev.status = st;
	ev.ts_sec = BASE + (int64_t)t;
	ev.ts_nsec = (uint32_t)((t - floor(t)) * 1e9 + 0.5);
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
}

static void
store(struct testr_repo *repo, const struct result *r, size_t n)
{
	struct testr_repo_writer *w;
	uint64_t id;

	ck_assert_int_eq(testr_repo_writer_new(&w, repo, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		emit(w, r[i].id, TESTR_STATUS_INPROGRESS, 0);
		if (r[i].status != TESTR_STATUS_INPROGRESS)
			emit(w, r[i].id, r[i].status, r[i].seconds);
	}
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
}

#define STORE(repo, ...) \
	store(repo, (const struct result[]){ __VA_ARGS__ }, \
	      sizeof((const struct result[]){ __VA_ARGS__ }) / sizeof(struct result))


static void
write_file(struct harness_repo *f, const char *name, const char *text)
{
	char *p = str_printf("%s/.testrepository/%s", f->dir, name);
	FILE *fp = fopen(p, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	free(p);
}

static struct testr_estimate
estimate(struct harness_repo *f, const char *id)
{
	struct testr_estimate e;

	ck_assert_int_eq(testr_repo_estimates(&e, f->repo, &id, 1, NULL), 0);
	return e;
}

static double
last_duration(struct harness_repo *f, const char *id)
{
	double d;

	ck_assert_int_eq(testr_repo_durations(&d, f->repo, &id, 1), 0);
	return d;
}

START_TEST(durations_estimate_ignores_one_run_on_a_busy_machine)
{
	static const double runs[] = { 1.0, 1.1, 0.9, 9.0, 1.0 };
	struct harness_repo f;
	struct testr_estimate e;

	harness_repo_init(&f);
	for (size_t i = 0; i < 5; i++)
		STORE(f.repo, { "a.slow", TESTR_STATUS_SUCCESS, runs[i] });
	e = estimate(&f, "a.slow");
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_MEASURED);
	ck_assert_uint_eq(e.samples, 5);
	ck_assert_double_eq_tol(e.seconds, 1.0, 1e-6);
	ck_assert_double_lt(e.spread, 0.2);
	/* What testrepository would partition by: the last run's time. */
	ck_assert_double_eq_tol(last_duration(&f, "a.slow"), 1.0, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(durations_many_ids_are_estimated_as_each_alone)
{
	/* Asked for many ids, the store is read in one pass (sorted by
	 * escaped id), for one id by a binary search: the same answers,
	 * escaped ids, repeats and unknown ids included. */
	enum { N = 300 };
	static const char *const odd[] = { "t.tab\there", "t.back\\slash",
		"t.nl\nline", "t.", "t.zzz" };
	struct result r[N + 5];
	const char *ask[N + 9];
	char names[N][16];
	struct testr_estimate many[N + 9];
	struct harness_repo f;
	size_t n = 0;

	harness_repo_init(&f);
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "t.%03zu", (i * 7) % N);
		r[i] = (struct result){ names[i], TESTR_STATUS_SUCCESS,
					0.5 + (double)((i * 7) % N) / 100 };
	}
	for (size_t i = 0; i < 5; i++)
		r[N + i] = (struct result){ odd[i], TESTR_STATUS_SUCCESS,
					    10.0 + (double)i };
	store(f.repo, r, N + 5);
	for (size_t i = N + 5; i-- > 0;)	/* not in store order */
		ask[n++] = r[i].id;
	ask[n++] = "t.000";			/* asked twice */
	ask[n++] = "t.tab\there";
	ask[n++] = "t.unknown";
	ask[n++] = "a.zzz";
	ck_assert_int_eq(testr_repo_estimates(many, f.repo, ask, n, NULL), 0);
	for (size_t i = 0; i < n - 2; i++) {
		struct testr_estimate one = estimate(&f, ask[i]);

		ck_assert_msg(one.source == TESTR_ESTIMATE_MEASURED &&
			      many[i].source == TESTR_ESTIMATE_MEASURED &&
			      one.seconds == many[i].seconds &&
			      one.samples == many[i].samples,
			      "%s: %g alone, %g among many", ask[i], one.seconds,
			      many[i].seconds);
	}
	ck_assert_double_eq_tol(many[n - 5].seconds, 0.5, 1e-9);	/* t.000 */
	ck_assert_double_eq_tol(many[n - 4].seconds, 0.5, 1e-9);	/* again */
	ck_assert_double_eq_tol(many[n - 3].seconds, 10.0, 1e-9);
	ck_assert_int_ne(many[n - 2].source, TESTR_ESTIMATE_MEASURED);
	ck_assert_int_ne(many[n - 1].source, TESTR_ESTIMATE_MEASURED);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(durations_store_changed_after_a_check_is_checked_again)
{
	/* A handle checks the store's CRC once per file: one edited in
	 * place since (another time stamp) is checked again, found damaged
	 * and rebuilt from the runs, never read as it now is. */
	struct harness_repo f;
	struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	char *path, *text, *at;
	FILE *fp;
	long len;

	harness_repo_init(&f);
	STORE(f.repo, { "a.t", TESTR_STATUS_SUCCESS, 2.0 });
	ck_assert_double_eq_tol(estimate(&f, "a.t").seconds, 2.0, 1e-6);
	path = str_printf("%s/.testrepository/times", f.dir);
	fp = fopen(path, "r+");
	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	text = calloc(1, (size_t)len + 1);
	rewind(fp);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, fp), (size_t)len);
	at = strstr(text, "2.000000\n");	/* the sample, last on its line */
	ck_assert_ptr_nonnull(at);
	fseek(fp, at - text, SEEK_SET);
	fputc('9', fp);		/* same size: only the CRC can tell */
	fclose(fp);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, old, 0), 0);
	ck_assert_double_eq_tol(estimate(&f, "a.t").seconds, 2.0, 1e-6);
	free(text);
	free(path);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(durations_failed_and_interrupted_runs_are_no_samples)
{
	static const char *const ids[] = { "a.never_passed", "a.t" };
	struct harness_repo f;
	struct testr_estimate e, two[2];

	harness_repo_init(&f);
	STORE(f.repo, { "a.t", TESTR_STATUS_SUCCESS, 2.0 },
	      { "a.never_passed", TESTR_STATUS_FAIL, 5.0 });
	STORE(f.repo, { "a.t", TESTR_STATUS_FAIL, 0.1 });
	STORE(f.repo, { "a.t", TESTR_STATUS_INPROGRESS, 0 });
	e = estimate(&f, "a.t");
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_MEASURED);
	ck_assert_uint_eq(e.samples, 1);
	ck_assert_double_eq_tol(e.seconds, 2.0, 1e-6);
	/* testrepository keeps the failed run's duration: so does --static. */
	ck_assert_double_eq_tol(last_duration(&f, "a.t"), 0.1, 1e-6);
	/* A test that never passed is estimated like an unseen one. */
	ck_assert_int_eq(testr_repo_estimates(two, f.repo, ids, 2, NULL), 0);
	ck_assert_int_eq(two[0].source, TESTR_ESTIMATE_GROUP);
	ck_assert_double_eq_tol(two[0].seconds, 2.0, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

static int
group_before_colon(const char **key, size_t *len,
                   const struct testr_config *cfg, const char *id)
{
	const char *c = strchr(id, ':');

	(void)cfg;
	if (!c)
		return 0;
	*key = id;
	*len = (size_t)(c - id);
	return 1;
}

START_TEST(durations_unseen_tests_take_their_group_else_the_project_median)
{
	static const char *const ids[] = { "p.A.new", "p.A.t1", "p.A.t2",
		"q.new", "p.B.new", "lonely" };
	struct testr_estimate_options o = TESTR_ESTIMATE_OPTIONS_INIT;
	struct testr_estimate e[6];
	struct harness_repo f;

	harness_repo_init(&f);
	STORE(f.repo, { "p.A.t1", TESTR_STATUS_SUCCESS, 1 },
	      { "p.A.t2", TESTR_STATUS_SUCCESS, 3 },
	      { "p.B.t1", TESTR_STATUS_SUCCESS, 10 },
	      { "p.C.t1", TESTR_STATUS_SUCCESS, 4 });
	ck_assert_int_eq(testr_repo_estimates(e, f.repo, ids, 6, NULL), 0);
	ck_assert_int_eq(e[0].source, TESTR_ESTIMATE_GROUP);
	ck_assert_double_eq_tol(e[0].seconds, 2, 1e-6);	/* median of 1, 3 */
	ck_assert_int_eq(e[1].source, TESTR_ESTIMATE_MEASURED);
	/* p.B.t1 is not among the ids: its group has no measured member
	 * here, so the project median (of 1, 3, 4, 10) stands in. */
	for (int i = 3; i < 6; i++) {
		ck_assert_int_eq(e[i].source, TESTR_ESTIMATE_PROJECT);
		ck_assert_double_eq_tol(e[i].seconds, 3.5, 1e-6);
		ck_assert(isnan(e[i].spread));
	}
	/* A caller's grouping replaces the default (up to the last dot). */
	o.group_key = group_before_colon;
	{
		static const char *const g[] = { "x:1", "x:2" };

		STORE(f.repo, { "x:1", TESTR_STATUS_SUCCESS, 7 });
		ck_assert_int_eq(testr_repo_estimates(e, f.repo, g, 2, &o), 0);
		ck_assert_int_eq(e[1].source, TESTR_ESTIMATE_GROUP);
		ck_assert_double_eq_tol(e[1].seconds, 7, 1e-6);
	}
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(durations_empty_repository_estimates_nothing)
{
	const char *id = "a.b";
	struct harness_repo f;
	struct testr_estimate e;

	harness_repo_init(&f);
	e = estimate(&f, id);
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_NONE);
	ck_assert(isnan(e.seconds));
	harness_repo_dispose(&f);
}
END_TEST

/* A version 1 store (libtestr before the model) with a correct checksum. */
static void
write_v1_store(struct harness_repo *f, const char *body, unsigned runs)
{
	char *text = str_printf("%-95s\n%s", "", body);
	char head[96];

	snprintf(head, sizeof(head), "libtestr-durations 1 runs=%u tests=1 "
		 "crc32=%08lx", runs, crc32_z(0, (const Bytef *)body,
					       strlen(body)));
	memcpy(text, head, strlen(head));
	write_file(f, "times", text);
	free(text);
}

START_TEST(durations_version1_store_is_read_then_upgraded)
{
	struct harness_repo f;
	struct testr_estimate e;
	char *p;

	harness_repo_init(&f);
	STORE(f.repo, { "a.t", TESTR_STATUS_SUCCESS, 4 });
	write_v1_store(&f, "a.t\t3.000000\n", 1);
	e = estimate(&f, "a.t");
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_MEASURED);
	ck_assert_double_eq_tol(e.seconds, 3, 1e-6);
	ck_assert_double_eq_tol(last_duration(&f, "a.t"), 3, 1e-6);
	STORE(f.repo, { "a.t", TESTR_STATUS_SUCCESS, 5 });
	e = estimate(&f, "a.t");
	ck_assert_uint_eq(e.samples, 2);
	ck_assert_double_eq_tol(e.seconds, 4, 1e-6);
	p = str_printf("%s/.testrepository/times", f.dir);
	ck_assert_ptr_nonnull(strstr(harness_slurp(p),
				     "libtestr-durations 2 runs=2 tests=1 "
				     "median=4.000000 crc32="));
	ck_assert_ptr_nonnull(strstr(harness_slurp(p),
		"\na.t\t5.000000\t4.000000\t1.482600\t3.000000,5.000000\n"));
	free(p);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(durations_testrepository_repository_is_modelled_from_its_runs)
{
	struct harness_repo f;
	struct testr_estimate e;
	char *p;

	harness_repo_init(&f);
	STORE(f.repo, { "a.t", TESTR_STATUS_SUCCESS, 1 });
	STORE(f.repo, { "a.t", TESTR_STATUS_SUCCESS, 3 });
	STORE(f.repo, { "a.t", TESTR_STATUS_SUCCESS, 2 });
	/* Make it look like testrepository's: format 1, no store of ours. */
	write_file(&f, "format", "1\n");
	p = str_printf("%s/.testrepository/times", f.dir);
	unlink(p);
	free(p);
	harness_repo_reopen(&f);
	ck_assert(testr_repo_is_legacy(f.repo));
	e = estimate(&f, "a.t");
	ck_assert_uint_eq(e.samples, 3);
	ck_assert_double_eq_tol(e.seconds, 2, 1e-6);
	e = estimate(&f, "b.unseen");
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_PROJECT);
	ck_assert_double_eq_tol(e.seconds, 2, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

struct ranked {
	int n;
	char ids[8][32];
	double secs[8];
};

static int
collect(void *userdata, const char *id, const struct testr_estimate *est)
{
	struct ranked *r = userdata;

	snprintf(r->ids[r->n], sizeof(r->ids[0]), "%s", id);
	r->secs[r->n++] = est->seconds;
	return 0;
}

START_TEST(durations_slowest_estimates_cover_every_known_test)
{
	struct harness_repo f;
	struct ranked r = { 0 };

	harness_repo_init(&f);
	STORE(f.repo, { "old\tone", TESTR_STATUS_SUCCESS, 9 },
	      { "b", TESTR_STATUS_SUCCESS, 1 },
	      { "failed", TESTR_STATUS_FAIL, 50 });
	STORE(f.repo, { "b", TESTR_STATUS_SUCCESS, 3 },
	      { "c", TESTR_STATUS_SUCCESS, 2 }, { "a", TESTR_STATUS_SUCCESS, 2 });
	ck_assert_int_eq(testr_repo_slowest_estimates(f.repo, 0, collect, &r), 0);
	ck_assert_int_eq(r.n, 4);	/* "failed" never passed */
	ck_assert_str_eq(r.ids[0], "old\tone");
	ck_assert_str_eq(r.ids[1], "a");	/* 2 (median of 1, 3) ties: by id */
	ck_assert_str_eq(r.ids[2], "b");
	ck_assert_str_eq(r.ids[3], "c");
	r.n = 0;
	ck_assert_int_eq(testr_repo_slowest_estimates(f.repo, 2, collect, &r), 0);
	ck_assert_int_eq(r.n, 2);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(durations_startup_cost_is_kept_per_runner)
{
	struct harness_repo f;
	struct testr_estimate e;

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_startup(&e, f.repo, "runner a"), 0);
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_NONE);
	ck_assert_int_eq(testr_repo_note_startup(f.repo, "runner a", 0.5), 0);
	ck_assert_int_eq(testr_repo_note_startup(f.repo, "b\tc", 2), 0);
	ck_assert_int_eq(testr_repo_note_startup(f.repo, "runner a", 0.7), 0);
	ck_assert_int_eq(testr_repo_note_startup(f.repo, "runner a", 0.6), 0);
	ck_assert_int_eq(testr_repo_note_startup(f.repo, "runner a", -1),
			 TESTR_EINVAL);
	harness_repo_reopen(&f);
	ck_assert_int_eq(testr_repo_startup(&e, f.repo, "runner a"), 0);
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_MEASURED);
	ck_assert_uint_eq(e.samples, 3);
	ck_assert_double_eq_tol(e.seconds, 0.6, 1e-6);
	ck_assert_int_eq(testr_repo_startup(&e, f.repo, "b\tc"), 0);
	ck_assert_double_eq_tol(e.seconds, 2, 1e-6);
	ck_assert_int_eq(testr_repo_startup(&e, f.repo, "runner"), 0);
	ck_assert_int_eq(e.source, TESTR_ESTIMATE_NONE);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(durations_damaged_startup_file_is_named_then_started_afresh)
{
	struct harness_repo f;
	struct testr_estimate e;

	harness_repo_init(&f);
	write_file(&f, "startup", "libtestr-startup 1\nr\t0.5\nr 0.6\n");
	ck_assert_int_eq(testr_repo_startup(&e, f.repo, "r"), TESTR_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(testr_context_error(f.ctx),
				     "startup:3: bad line"));
	ck_assert_int_eq(testr_repo_note_startup(f.repo, "r", 1.5), 0);
	ck_assert_int_eq(testr_repo_startup(&e, f.repo, "r"), 0);
	ck_assert_uint_eq(e.samples, 1);
	ck_assert_double_eq_tol(e.seconds, 1.5, 1e-6);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(estimate_options_of_an_unknown_version_are_refused)
{
	struct testr_estimate_options o = TESTR_ESTIMATE_OPTIONS_INIT;
	struct testr_estimate est;
	struct harness_repo f;
	const char *id = "a.b";

	harness_repo_init(&f);
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(f.ctx,
			testr_repo_estimates(&est, f.repo, &id, 1, &o),
			"testr_estimate_options", v);
	}
	harness_repo_dispose(&f);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, estimate_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, durations_estimate_ignores_one_run_on_a_busy_machine);
	HARNESS_ADD(h, durations_failed_and_interrupted_runs_are_no_samples);
	HARNESS_ADD(h, durations_many_ids_are_estimated_as_each_alone);
	HARNESS_ADD(h, durations_store_changed_after_a_check_is_checked_again);
	HARNESS_ADD(h, durations_unseen_tests_take_their_group_else_the_project_median);
	HARNESS_ADD(h, durations_empty_repository_estimates_nothing);
	HARNESS_ADD(h, durations_version1_store_is_read_then_upgraded);
	HARNESS_ADD(h, durations_testrepository_repository_is_modelled_from_its_runs);
	HARNESS_ADD(h, durations_slowest_estimates_cover_every_known_test);
	HARNESS_ADD(h, durations_startup_cost_is_kept_per_runner);
	HARNESS_ADD(h, durations_damaged_startup_file_is_named_then_started_afresh);
}
