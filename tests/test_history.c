/* Unit tests for lib/repo_history.c, lib/repo_flaky.c and lib/repo_prune.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "history";

static void
event(struct testr_repo_writer *w, const char *id, enum testr_status st,
      int64_t sec)
{
	struct testr_event ev = harness_event(id, st, sec);

	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
}

/* One run: each id in @ids runs for 1 s with status @st[i]. */
static void
store(struct testr_repo *repo, const char *const *ids,
      const enum testr_status *st, size_t n)
{
	struct testr_repo_writer *w;
	uint64_t id;

	ck_assert_int_eq(testr_repo_writer_new(&w, repo, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		event(w, ids[i], TESTR_STATUS_INPROGRESS, 100 + (int64_t)i);
		event(w, ids[i], st[i], 101 + (int64_t)i);
	}
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
}

struct seen {
	char text[4096];
};

static int
note(void *userdata, const struct testr_history_result *r)
{
	struct seen *s = userdata;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%llu:%s:%s:%.0f;",
		 (unsigned long long)r->run->id, r->test_id, r->status,
		 r->has_duration ? r->seconds : -1.0);
	return 0;
}

static struct testr_repo *
new_repo(struct testr_context **ctx, char **dir)
{
	struct testr_repo *repo;

	*dir = harness_tmpdir();
	ck_assert_int_eq(testr_context_new(ctx), 0);
	ck_assert_int_eq(testr_repo_init(&repo, *ctx, *dir), 0);
	return repo;
}

static void
done(struct testr_repo *repo, struct testr_context *ctx, char *dir)
{
	testr_repo_free(repo);
	testr_context_free(ctx);
	harness_rmtree(dir);
	free(dir);
}

START_TEST(history_finds_each_test_among_many_by_binary_search)
{
	struct testr_context *ctx;
	char *dir, names[300][16];
	const char *ids[300];
	enum testr_status st[300];
	struct testr_repo *repo = new_repo(&ctx, &dir);
	const char *want[] = { "t.150", "t.0", "t.299", "t.nope", "t.1\n" };
	struct seen s = { "" };

	for (int i = 0; i < 300; i++) {
		snprintf(names[i], sizeof(names[i]), "t.%d", i);
		ids[i] = names[i];
		st[i] = i % 2 ? TESTR_STATUS_FAIL : TESTR_STATUS_SUCCESS;
	}
	/* "t.1\n": escaped in the index */
	snprintf(names[1], sizeof(names[1]), "t.1\n");
	store(repo, ids, st, 300);
	ck_assert_int_eq(testr_repo_history_tests(repo, want, 5, note, &s), 0);
	ck_assert_str_eq(s.text, "0:t.150:success:1;0:t.0:success:1;"
			 "0:t.299:fail:1;0:t.1\n:fail:1;");
	done(repo, ctx, dir);
}
END_TEST

START_TEST(history_marks_a_retry_that_passed_as_flaky)
{
	struct testr_context *ctx;
	char *dir;
	struct testr_repo *repo = new_repo(&ctx, &dir);
	const char *ids[] = { "a.x", "a.x" }, *want[] = { "a.x" };
	const enum testr_status st[] = { TESTR_STATUS_FAIL,
					 TESTR_STATUS_SUCCESS };
	struct seen s = { "" };

	store(repo, ids, st, 2);
	ck_assert_int_eq(testr_repo_history_tests(repo, want, 1, note, &s), 0);
	ck_assert_str_eq(s.text, "0:a.x:flaky:1;");
	done(repo, ctx, dir);
}
END_TEST

static int
count_runs(void *userdata, const struct testr_history_run *run)
{
	(*(uint64_t *)userdata) += run->id + 1;
	return 0;
}

START_TEST(prune_keeps_newest_and_durations)
{
	struct testr_context *ctx;
	char *dir;
	struct testr_repo *repo = new_repo(&ctx, &dir);
	struct testr_prune_options o = TESTR_PRUNE_OPTIONS_INIT;
	const char *ids[] = { "a.x" };
	const enum testr_status st[] = { TESTR_STATUS_SUCCESS };
	uint64_t removed, sum = 0;
	double secs;

	for (int i = 0; i < 3; i++)
		store(repo, ids, st, 1);
	o.by_count = true;
	o.keep = 1;
	ck_assert_int_eq(testr_repo_prune(&removed, repo, &o), 0);
	ck_assert_uint_eq(removed, 2);
	ck_assert_int_eq(testr_repo_history_runs(repo, count_runs, &sum), 0);
	ck_assert_uint_eq(sum, 3);	/* only run 2 */
	ck_assert_int_eq(testr_repo_durations(&secs, repo, ids, 1), 0);
	ck_assert(secs == 1.0);
	done(repo, ctx, dir);
}
END_TEST

START_TEST(prune_without_a_criterion_is_refused)
{
	struct testr_context *ctx;
	char *dir;
	struct testr_repo *repo = new_repo(&ctx, &dir);
	struct testr_prune_options o = TESTR_PRUNE_OPTIONS_INIT;
	uint64_t removed;

	ck_assert_int_eq(testr_repo_prune(&removed, repo, &o), TESTR_EINVAL);
	done(repo, ctx, dir);
}
END_TEST

struct flaky_seen {
	char text[1024];
};

static int
note_flaky(void *userdata, const struct testr_flaky_test *t)
{
	struct flaky_seen *s = userdata;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s:%llu/%llu/%llu:%.2f%s;",
		 t->test_id, (unsigned long long)t->runs,
		 (unsigned long long)t->flips, (unsigned long long)t->retried,
		 t->flip_rate, t->last_failed ? ":failing" : "");
	return 0;
}

START_TEST(flaky_ranks_flips_and_retries_over_the_newest_runs)
{
	static const char *const r0[] = { "flip", "retry", "retry", "steady" };
	static const enum testr_status s0[] = { TESTR_STATUS_SUCCESS,
		TESTR_STATUS_FAIL, TESTR_STATUS_SUCCESS, TESTR_STATUS_SUCCESS };
	static const char *const r1[] = { "flip", "retry", "steady", "skips" };
	static const enum testr_status s1[] = { TESTR_STATUS_FAIL,
		TESTR_STATUS_SUCCESS, TESTR_STATUS_SUCCESS, TESTR_STATUS_SKIP };
	static const enum testr_status s2[] = { TESTR_STATUS_SUCCESS,
		TESTR_STATUS_SUCCESS, TESTR_STATUS_FAIL, TESTR_STATUS_SUCCESS };
	struct testr_flaky_options o = TESTR_FLAKY_OPTIONS_INIT;
	struct testr_context *ctx;
	char *dir;
	struct testr_repo *repo = new_repo(&ctx, &dir);
	struct flaky_seen seen = { "" };

	store(repo, r0, s0, 4);
	store(repo, r1, s1, 4);
	store(repo, r1, s2, 4);	/* steady fails, skips passes */
	ck_assert_int_eq(testr_repo_flaky(repo, NULL, note_flaky, &seen), 0);
	ck_assert_str_eq(seen.text, "flip:3/2/0:0.67;retry:3/0/1:0.33;"
			 "steady:3/1/0:0.33:failing;");
	seen.text[0] = '\0';
	o.last_runs = 2;
	ck_assert_int_eq(testr_repo_flaky(repo, &o, note_flaky, &seen), 0);
	ck_assert_str_eq(seen.text, "flip:2/1/0:0.50;steady:2/1/0:0.50:failing;");
	done(repo, ctx, dir);
}
END_TEST

START_TEST(history_all_hands_every_result_of_the_runs_asked_for)
{
	static const char *const ids[] = { "b", "a\tx" };
	static const enum testr_status st[] = { TESTR_STATUS_FAIL,
						TESTR_STATUS_SUCCESS };
	struct testr_context *ctx;
	char *dir;
	struct testr_repo *repo = new_repo(&ctx, &dir);
	struct seen seen = { "" };

	store(repo, ids, st, 2);
	store(repo, ids + 1, st + 1, 1);
	ck_assert_int_eq(testr_repo_history_all(repo, 1, note, &seen), 0);
	ck_assert_str_eq(seen.text, "1:a\tx:success:1;");
	seen.text[0] = '\0';
	ck_assert_int_eq(testr_repo_history_all(repo, 0, note, &seen), 0);
	ck_assert_str_eq(seen.text, "0:a\tx:success:1;0:b:fail:1;"
			 "1:a\tx:success:1;");
	done(repo, ctx, dir);
}
END_TEST

START_TEST(prune_options_of_an_unknown_version_are_refused)
{
	struct testr_prune_options o = TESTR_PRUNE_OPTIONS_INIT;
	struct harness_repo f;
	uint64_t removed = 7;

	harness_repo_init(&f);
	o.by_count = true;
	o.keep = 1;
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(f.ctx,
			testr_repo_prune(&removed, f.repo, &o),
			"testr_prune_options", v);
		ck_assert_uint_eq(removed, 0);
	}
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(flaky_options_of_an_unknown_version_are_refused)
{
	struct testr_flaky_options o = TESTR_FLAKY_OPTIONS_INIT;
	struct harness_repo f;

	harness_repo_init(&f);
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(f.ctx,
			testr_repo_flaky(f.repo, &o, NULL, NULL),
			"testr_flaky_options", v);
	}
	harness_repo_dispose(&f);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, flaky_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, prune_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, history_finds_each_test_among_many_by_binary_search);
	HARNESS_ADD(h, history_marks_a_retry_that_passed_as_flaky);
	HARNESS_ADD(h, prune_keeps_newest_and_durations);
	HARNESS_ADD(h, prune_without_a_criterion_is_refused);
	HARNESS_ADD(h, flaky_ranks_flips_and_retries_over_the_newest_runs);
	HARNESS_ADD(h, history_all_hands_every_result_of_the_runs_asked_for);
}
