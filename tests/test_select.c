/* Unit tests for lib/select.c: which ids a run asks for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "select";

struct fixture {
	char *dir;
	char path[700];
	struct testr_context *ctx;
	struct testr_repo *repo;
	struct testr_strv ids;
};

static void
setup(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->dir = harness_tmpdir();
	snprintf(fx->path, sizeof(fx->path), "%s/list", fx->dir);
	ck_assert_int_eq(testr_context_new(&fx->ctx), 0);
}

static void
teardown(struct fixture *fx)
{
	testr_strv_dispose(&fx->ids);
	testr_repo_free(fx->repo);
	testr_context_free(fx->ctx);
	harness_rmtree(fx->dir);
	free(fx->dir);
}

static void
write_list(struct fixture *fx, const char *text)
{
	FILE *f = fopen(fx->path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void
store_event(struct testr_repo_writer *w, const char *id, enum testr_status st)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = id;
	ev.status = st;
	ev.runnable = true;
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
}

/* A repository whose failing set is c.fail, a.fail, b.fail (stored order). */
static void
make_failing(struct fixture *fx)
{
	struct testr_repo_writer *w;
	uint64_t id;

	ck_assert_int_eq(testr_repo_init(&fx->repo, fx->ctx, fx->dir), 0);
	ck_assert_int_eq(testr_repo_writer_new(&w, fx->repo, NULL), 0);
	store_event(w, "c.fail", TESTR_STATUS_FAIL);
	store_event(w, "ok", TESTR_STATUS_SUCCESS);
	store_event(w, "a.fail", TESTR_STATUS_FAIL);
	store_event(w, "b.fail", TESTR_STATUS_FAIL);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
}

static const char *
joined(const struct testr_strv *ids)
{
	static char buf[512];

	buf[0] = '\0';
	for (size_t i = 0; i < ids->n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? " " : "", ids->v[i]);
	return buf;
}

START_TEST(select_asks_for_everything_without_failing_or_list)
{
	struct fixture fx;
	bool all = false;

	setup(&fx);
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, NULL, NULL), 0);
	ck_assert(all);
	ck_assert_uint_eq(fx.ids.n, 0);
	teardown(&fx);
}
END_TEST

START_TEST(select_failing_keeps_stored_order)
{
	struct fixture fx;
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	bool all = true;

	setup(&fx);
	make_failing(&fx);
	o.failing = true;
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, fx.repo, &o),
			 0);
	ck_assert(!all);
	ck_assert_str_eq(joined(&fx.ids), "c.fail a.fail b.fail");
	teardown(&fx);
}
END_TEST

START_TEST(select_failing_and_list_give_the_ids_in_both)
{
	struct fixture fx;
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	bool all = true;

	setup(&fx);
	make_failing(&fx);
	write_list(&fx, "b.fail\nok\nnew\nc.fail\n");
	o.failing = true;
	o.load_list = fx.path;
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, fx.repo, &o),
			 0);
	ck_assert(!all);
	ck_assert_str_eq(joined(&fx.ids), "c.fail b.fail");
	teardown(&fx);
}
END_TEST

START_TEST(select_empty_list_runs_nothing_rather_than_everything)
{
	struct fixture fx;
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	bool all = true;

	setup(&fx);
	write_list(&fx, "\n  \n");
	o.load_list = fx.path;
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, NULL, &o), 0);
	ck_assert(!all);
	ck_assert_uint_eq(fx.ids.n, 0);
	teardown(&fx);
}
END_TEST

START_TEST(select_list_naming_a_directory_is_an_error)
{
	struct fixture fx;
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	bool all;
	char want[800];

	setup(&fx);
	o.load_list = fx.dir;
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, NULL, &o),
			 TESTR_EIO);
	snprintf(want, sizeof(want), "cannot read list file '%s': "
		 "is a directory", fx.dir);
	ck_assert_str_eq(testr_context_error(fx.ctx), want);
	ck_assert_uint_eq(fx.ids.n, 0);
	teardown(&fx);
}
END_TEST

START_TEST(select_list_that_fails_to_read_is_an_error)
{
	struct fixture fx;
	bool all;
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;

	setup(&fx);
	/* A regular file whose every read fails (EIO at address 0). */
	o.load_list = "/proc/self/mem";
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, NULL, &o),
			 TESTR_EIO);
	ck_assert_ptr_nonnull(strstr(testr_context_error(fx.ctx),
				     "/proc/self/mem"));
	ck_assert_uint_eq(fx.ids.n, 0);
	teardown(&fx);
}
END_TEST

START_TEST(select_missing_list_is_an_error)
{
	struct fixture fx;
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	bool all;

	setup(&fx);
	o.load_list = fx.path;
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, NULL, &o),
			 TESTR_EIO);
	ck_assert_ptr_nonnull(strstr(testr_context_error(fx.ctx),
				     "No such file"));
	teardown(&fx);
}
END_TEST

START_TEST(select_list_may_be_a_pipe)
{
	struct fixture fx;
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	bool all;
	FILE *f;
	pid_t pid;

	setup(&fx);
	ck_assert_int_eq(mkfifo(fx.path, 0600), 0);
	pid = fork();
	if (pid == 0) {
		f = fopen(fx.path, "w");
		fputs("x.one\nx.two\n", f);
		fclose(f);
		_exit(0);
	}
	o.load_list = fx.path;
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, NULL, &o), 0);
	ck_assert_str_eq(joined(&fx.ids), "x.one x.two");
	waitpid(pid, NULL, 0);
	teardown(&fx);
}
END_TEST

START_TEST(select_list_line_holding_nul_is_an_error_naming_file_and_line)
{
	struct fixture fx;
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	FILE *f;
	bool all;
	char want[900];

	setup(&fx);
	f = fopen(fx.path, "w");
	ck_assert_ptr_nonnull(f);
	fwrite("x.one\nx.two\0x.three\n", 1, 20, f);
	fclose(f);
	o.load_list = fx.path;
	ck_assert_int_eq(testr_select_ids(&fx.ids, &all, fx.ctx, NULL, &o),
			 TESTR_EPARSE);
	snprintf(want, sizeof(want), "list file '%s', line 2: test id "
		 "'x.two\\x00x.three' holds a NUL byte, which no test id can "
		 "carry", fx.path);
	ck_assert_str_eq(testr_context_error(fx.ctx), want);
	ck_assert_uint_eq(fx.ids.n, 0);
	teardown(&fx);
}
END_TEST

START_TEST(select_options_of_an_unknown_version_are_refused)
{
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_context *ctx;
	bool all = false;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(ctx,
			testr_select_ids(&ids, &all, ctx, NULL, &o),
			"testr_select_options", v);
		ck_assert_uint_eq(ids.n, 0);
	}
	testr_context_free(ctx);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, select_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, select_asks_for_everything_without_failing_or_list);
	HARNESS_ADD(h, select_failing_keeps_stored_order);
	HARNESS_ADD(h, select_failing_and_list_give_the_ids_in_both);
	HARNESS_ADD(h, select_empty_list_runs_nothing_rather_than_everything);
	HARNESS_ADD(h, select_list_naming_a_directory_is_an_error);
	HARNESS_ADD(h, select_list_that_fails_to_read_is_an_error);
	HARNESS_ADD(h, select_missing_list_is_an_error);
	HARNESS_ADD(h, select_list_may_be_a_pipe);
	HARNESS_ADD(h, select_list_line_holding_nul_is_an_error_naming_file_and_line);
}
