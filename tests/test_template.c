/* Unit tests for lib/template.c: command templates and $IDFILE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <testr/testr.h>

#include "../lib/context.h"
#include "config_reference.h"
#include "harness.h"

const char harness_module[] = "template";

struct fx {
	struct testr_context *ctx;
	struct testr_config *cfg;
	struct testr_command cmd;
	struct testr_command_options opts;
	struct testr_strv ids;
	char *dir;
};

static void
fx_init(struct fx *f)
{
	struct testr_command_options init = TESTR_COMMAND_OPTIONS_INIT;
	struct testr_command cinit = TESTR_COMMAND_INIT;

	memset(f, 0, sizeof(*f));
	ck_assert_int_eq(testr_context_new(&f->ctx), 0);
	f->dir = harness_tmpdir();
	f->opts = init;
	f->opts.tmpdir = f->dir;	/* $IDFILE lands in the test's own dir */
	f->cmd = cinit;
	testr_strv_init(&f->ids);
}

static void
fx_dispose(struct fx *f)
{
	testr_command_dispose(&f->cmd);
	testr_config_free(f->cfg);
	testr_strv_dispose(&f->ids);
	testr_context_free(f->ctx);
	harness_rmtree(f->dir);
	free(f->dir);
}

/* Write @text as DIR/.testr.conf and load it. */
static void
fx_config(struct fx *f, const char *text)
{
	char *path = str_printf("%s/.testr.conf", f->dir);

	testr_config_free(f->cfg);
	f->cfg = NULL;
	write_file(path, text, strlen(text));
	ck_assert_msg(testr_config_load(&f->cfg, f->ctx, path) == 0, "%s",
		      testr_context_error(f->ctx));
	free(path);
}

static void
fx_ids(struct fx *f, const char *const *ids)
{
	testr_strv_dispose(&f->ids);
	for (size_t i = 0; ids[i]; i++)
		testr_strv_push(&f->ids, ids[i]);
	f->opts.ids = &f->ids;
}

static int
fx_run(struct fx *f)
{
	testr_command_dispose(&f->cmd);
	return testr_command_run(&f->cmd, f->ctx, f->cfg, &f->opts);
}

static int
fx_list(struct fx *f)
{
	testr_command_dispose(&f->cmd);
	return testr_command_list(&f->cmd, f->ctx, f->cfg, &f->opts);
}

/* The command with the $IDFILE path replaced by "IDFILE". */
static char *
with_idfile_masked(const char *command, const char *path)
{
	char *out = strdup(command), *at;

	while (path && *path && (at = strstr(out, path))) {
		char *next = str_printf("%.*sIDFILE%s", (int)(at - out), out,
					    at + strlen(path));

		free(out);
		out = next;
	}
	return out;
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char *const basic_conf =
	"[DEFAULT]\n"
	"test_command=python -m subunit.run $LISTOPT $IDOPTION\n"
	"test_id_option=--load-list $IDFILE\n"
	"test_list_option=--list\n";

START_TEST(template_expand_takes_the_first_name_that_follows_the_dollar)
{
	const struct testr_template_var vars[] = {
		{ "IDOPTION", "O" }, { "IDFILE", "F" }, { "IDLIST", "L" },
		{ "LISTOPT", NULL },
	};
	char *out;

	ck_assert_int_eq(testr_template_expand(&out,
		"$IDFILEX $IDLISTS $IDOPTION_ a$LISTOPT.b", vars, 4), 0);
	ck_assert_str_eq(out, "FX LS O_ a.b");
	free(out);
}
END_TEST

START_TEST(template_expand_leaves_other_dollars_for_the_shell)
{
	const struct testr_template_var vars[] = { { "IDFILE", "F" } };
	char *out;

	ck_assert_int_eq(testr_template_expand(&out,
		"$HOME ${IDFILE} $$ $1 $ end$ $idfile $IDFIL", vars, 1), 0);
	ck_assert_str_eq(out, "$HOME ${IDFILE} $$ $1 $ end$ $idfile $IDFIL");
	free(out);
}
END_TEST

START_TEST(template_expand_does_not_rescan_replaced_text)
{
	const struct testr_template_var vars[] = {
		{ "IDLIST", "$IDFILE $IDLIST" }, { "IDFILE", "F" },
	};
	char *out;

	ck_assert_int_eq(testr_template_expand(&out, "[$IDLIST]", vars, 2), 0);
	ck_assert_str_eq(out, "[$IDFILE $IDLIST]");
	free(out);
}
END_TEST

START_TEST(shell_quote_leaves_plain_ids_alone_and_quotes_metacharacters)
{
	static const char *const cases[][2] = {
		{ "pkg.mod.Case.test_a", "pkg.mod.Case.test_a" },
		{ "a/b-c,d:e=f@g%h+i", "a/b-c,d:e=f@g%h+i" },
		{ "t\xc3\xa9st_\xe6\x97\xa5", "t\xc3\xa9st_\xe6\x97\xa5" },
		{ "test(param)", "'test(param)'" },
		{ "with space", "'with space'" },
		{ "a;rm -rf ~", "'a;rm -rf ~'" },
		{ "$(evil)", "'$(evil)'" },
		{ "`x`", "'`x`'" },
		{ "it's", "'it'\\''s'" },
		{ "a[1]*?", "'a[1]*?'" },
		{ "x>y|z&", "'x>y|z&'" },
		{ "~home", "'~home'" },
		{ "#hash", "'#hash'" },
		{ "", "''" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out;

		ck_assert_int_eq(testr_shell_quote(&out, cases[i][0]), 0);
		ck_assert_str_eq(out, cases[i][1]);
		free(out);
	}
}
END_TEST

START_TEST(command_run_without_ids_blanks_every_variable)
{
	struct fx f;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDOPTION|$IDFILE|$IDLIST|"
		      "$LISTOPT|$HOME\ntest_id_option=--load $IDFILE\n"
		      "test_list_option=--list\n");
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_str_eq(f.cmd.command, "run ||||$HOME");
	ck_assert_ptr_null(f.cmd.id_file);
	ck_assert(!f.cmd.ids_known);
	ck_assert_uint_eq(f.cmd.ids.n, 0);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_with_ids_fills_idoption_idfile_and_idlist)
{
	static const char *const ids[] = { "a.b", "c.d", NULL };
	struct fx f;
	char *masked;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDOPTION [$IDLIST] $LISTOPT\n"
		      "test_id_option=--load $IDFILE ($IDLIST) $IDOPTION $LISTOPT.\n"
		      "test_list_option=--list\n");
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_ptr_nonnull(f.cmd.id_file);
	ck_assert(f.cmd.ids_known);
	ck_assert_uint_eq(f.cmd.ids.n, 2);
	masked = with_idfile_masked(f.cmd.command, f.cmd.id_file);
	ck_assert_str_eq(masked, "run --load IDFILE (a.b c.d)  . [a.b c.d] ");
	free(masked);
	ck_assert_int_eq(strncmp(f.cmd.id_file, f.dir, strlen(f.dir)), 0);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_quotes_metacharacter_ids_in_idlist_only)
{
	static const char *const ids[] = { "plain.id", "t(1)", "a b", "x'y", NULL };
	struct fx f;
	char *content;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDLIST\n");
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_str_eq(f.cmd.command, "run plain.id 't(1)' 'a b' 'x'\\''y'");
	content = read_file(f.cmd.id_file);
	ck_assert_str_eq(content, "plain.id\nt(1)\na b\nx'y\n");
	free(content);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_id_file_round_trips_spaces_and_non_ascii_as_utf8)
{
	static const char *const ids[] = {
		"pkg.Test.test_with space", "pkg.T\xc3\xa9st.t\xc3\xa9st_\xe6\x97\xa5",
		"emoji.\xf0\x9f\x98\x80", "tab\tinside", NULL,
	};
	struct fx f;
	char *content, *line, *save = NULL;
	size_t i = 0;
	struct stat st;

	fx_init(&f);
	fx_config(&f, basic_conf);
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_int_eq(stat(f.cmd.id_file, &st), 0);
	ck_assert_int_eq(st.st_mode & 077, 0);	/* mkstemp: private */
	content = read_file(f.cmd.id_file);
	for (line = strtok_r(content, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		ck_assert_str_eq(line, ids[i++]);
	ck_assert_uint_eq(i, 4);
	free(content);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_dispose_removes_the_id_file)
{
	static const char *const ids[] = { "a", NULL };
	struct fx f;
	char *path;

	fx_init(&f);
	fx_config(&f, basic_conf);
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	path = strdup(f.cmd.id_file);
	ck_assert_int_eq(access(path, F_OK), 0);
	testr_command_dispose(&f.cmd);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_ptr_null(f.cmd.command);
	ck_assert_ptr_null(f.cmd.id_file);
	testr_command_dispose(&f.cmd);	/* twice is harmless */
	testr_command_dispose(NULL);
	free(path);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_leaves_out_an_id_with_a_newline_and_says_why)
{
	static const char *const ids[] = { "good", "bad\nid", NULL };
	struct fx f;
	char *content;

	fx_init(&f);
	fx_config(&f, basic_conf);
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_uint_eq(f.cmd.ids.n, 1);
	ck_assert_str_eq(f.cmd.ids.v[0], "good");
	ck_assert_uint_eq(f.cmd.refused.n, 1);
	ck_assert_str_eq(f.cmd.refused.v[0], "bad\nid");
	ck_assert_str_eq(f.cmd.reasons.v[0], "test id 'bad\\nid' holds a "
			 "newline, which $IDFILE cannot hold: it was not run");
	content = read_file(f.cmd.id_file);
	ck_assert_str_eq(content, "good\n");
	free(content);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_with_every_id_refused_has_no_command_and_no_file)
{
	static const char *const ids[] = { "a\nb", NULL };
	struct fx f;
	char *cmd;

	fx_init(&f);
	fx_config(&f, basic_conf);
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert(f.cmd.ids_known);
	ck_assert_ptr_null(f.cmd.command);	/* it would run everything */
	ck_assert_ptr_null(f.cmd.id_file);
	ck_assert_uint_eq(f.cmd.refused.n, 1);
	/* The temp dir holds nothing but the config. */
	cmd = str_printf("test $(ls -A '%s' | wc -l) -eq 1", f.dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	fx_dispose(&f);
}
END_TEST

/* Run @command with sh; what it wrote to @dir/out. */
static char *
run_for_output(const char *dir, const char *command)
{
	char *out = str_printf("%s/out", dir), *text;

	unlink(out);
	ck_assert_int_eq(system(command), 0);
	text = read_file(out);
	free(out);
	return text;
}

/* Hostile ids whose quotes would close the user's own. */
static const char *const hostile[] = {
	"x;touch pwned", "a'b", "c\"d", "$(touch pwned)", "`touch pwned`",
	"e\\f", "g h", "*", NULL,
};

static const char *const hostile_lines =
	"x;touch pwned\na'b\nc\"d\n$(touch pwned)\n`touch pwned`\ne\\f\ng h\n*\n";

START_TEST(command_run_quotes_idlist_for_the_nested_shell_in_single_quotes)
{
	struct fx f;
	char *conf, *text;

	fx_init(&f);
	conf = str_printf("[DEFAULT]\ntest_command=cd '%s' && sh -c "
			      "'printf \"%%%%s\\n\" $IDLIST > out'\n", f.dir);
	fx_config(&f, conf);
	fx_ids(&f, hostile);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_uint_eq(f.cmd.refused.n, 0);
	text = run_for_output(f.dir, f.cmd.command);
	ck_assert_str_eq(text, hostile_lines);
	free(conf);
	conf = str_printf("%s/pwned", f.dir);
	ck_assert_int_ne(access(conf, F_OK), 0);
	free(text);
	free(conf);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_refuses_ids_needing_quotes_where_idlist_is_quoted_text)
{
	static const char *const ids[] = { "plain.id", "x;y", NULL };
	struct fx f;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run --ids \"$IDLIST\"\n");
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_str_eq(f.cmd.command, "run --ids \"plain.id\"");
	ck_assert_uint_eq(f.cmd.refused.n, 1);
	ck_assert_str_eq(f.cmd.refused.v[0], "x;y");
	ck_assert_ptr_nonnull(strstr(f.cmd.reasons.v[0],
				     "test id 'x;y' needs shell quotes, but "
				     "$IDLIST stands inside quotes"));
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_refuses_ids_needing_quotes_when_command_is_bare_in_instances)
{
	static const char *const ids[] = { "plain.id", "t(1)", NULL };
	struct fx f;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDLIST\n"
		      "instance_provision=echo vm\n"
		      "instance_execute=ssh $INSTANCE_ID $COMMAND\n");
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_str_eq(f.cmd.command, "run plain.id");
	ck_assert_uint_eq(f.cmd.refused.n, 1);
	ck_assert_ptr_nonnull(strstr(f.cmd.reasons.v[0],
				     "instance_execute has $COMMAND unquoted"));
	/* Quoted $COMMAND: every id can go. */
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDLIST\n"
		      "instance_provision=echo vm\n"
		      "instance_execute=ssh $INSTANCE_ID \"$COMMAND\"\n");
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_uint_eq(f.cmd.refused.n, 0);
	ck_assert_str_eq(f.cmd.command, "run plain.id 't(1)'");
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_quotes_an_idfile_path_holding_a_space)
{
	static const char *const ids[] = { "a", NULL };
	struct fx f;
	char *dir, *want;

	fx_init(&f);
	dir = str_printf("%s/with space", f.dir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	f.opts.tmpdir = dir;
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDOPTION \"$IDFILE\"\n"
		      "test_id_option=--load-list $IDFILE\n");
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	want = str_printf("run --load-list '%s' \"%s\"", f.cmd.id_file,
			      f.cmd.id_file);
	ck_assert_str_eq(f.cmd.command, want);
	free(want);
	testr_command_dispose(&f.cmd);
	free(dir);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_with_an_empty_id_list_writes_an_empty_file)
{
	static const char *const ids[] = { NULL };
	struct fx f;
	char *content, *masked;

	fx_init(&f);
	fx_config(&f, basic_conf);
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert(f.cmd.ids_known);
	masked = with_idfile_masked(f.cmd.command, f.cmd.id_file);
	ck_assert_str_eq(masked, "python -m subunit.run  --load-list IDFILE");
	content = read_file(f.cmd.id_file);
	ck_assert_str_eq(content, "");
	free(content);
	free(masked);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_uses_test_id_list_default_when_no_ids_are_given)
{
	struct fx f;
	char *masked;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDOPTION / $IDLIST\n"
		      "test_id_option=--load $IDFILE\n"
		      "test_id_list_default=pkg.a   pkg.b\n");
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert(f.cmd.ids_known);
	ck_assert_uint_eq(f.cmd.ids.n, 2);
	masked = with_idfile_masked(f.cmd.command, f.cmd.id_file);
	ck_assert_str_eq(masked, "run --load IDFILE / pkg.a pkg.b");
	free(masked);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_run_appends_extra_arguments_with_spaces)
{
	char *args[] = { "--verbose", "$IDLIST", "two words" };
	static const char *const ids[] = { "x", NULL };
	struct fx f;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run\n");
	f.opts.args = args;
	f.opts.n_args = 3;
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_str_eq(f.cmd.command, "run --verbose x two words");
	fx_dispose(&f);
}
END_TEST

START_TEST(command_errors_use_testrepository_wording)
{
	struct fx f;
	char *args[] = { "$IDOPTION" };

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_id_option=--load $IDFILE\n");
	ck_assert_int_eq(fx_run(&f), TESTR_ENOTFOUND);
	ck_assert_str_eq(testr_context_error(f.ctx),
			 "No test_command option present in .testr.conf");
	ck_assert_int_eq(fx_list(&f), TESTR_ENOTFOUND);
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDOPTION\n");
	ck_assert_int_eq(fx_run(&f), TESTR_ENOTFOUND);
	ck_assert_str_eq(testr_context_error(f.ctx),
			 "No test_id_option option present in .testr.conf");
	fx_config(&f, "[DEFAULT]\ntest_command=run $LISTOPT\n");
	ck_assert_int_eq(fx_run(&f), TESTR_ENOTFOUND);
	ck_assert_str_eq(testr_context_error(f.ctx),
			 "No test_list_option option present in .testr.conf");
	/* Only test_command decides: $IDOPTION in the arguments expands to "". */
	fx_config(&f, "[DEFAULT]\ntest_command=run\n");
	f.opts.args = args;
	f.opts.n_args = 1;
	ck_assert_int_eq(fx_run(&f), 0);
	ck_assert_str_eq(f.cmd.command, "run ");
	fx_dispose(&f);
}
END_TEST

START_TEST(command_options_of_an_unknown_version_are_refused)
{
	struct fx f;

	fx_init(&f);
	fx_config(&f, basic_conf);
	f.opts.version = TESTR_COMMAND_OPTIONS_VERSION + 1;
	harness_assert_version_refused(f.ctx, fx_run(&f),
				       "testr_command_options",
				       TESTR_COMMAND_OPTIONS_VERSION + 1);
	harness_assert_version_refused(f.ctx, fx_list(&f),
				       "testr_command_options",
				       TESTR_COMMAND_OPTIONS_VERSION + 1);
	f.opts.version = 0;
	harness_assert_version_refused(f.ctx, fx_run(&f),
				       "testr_command_options", 0);
	ck_assert_int_eq(testr_command_run(&f.cmd, f.ctx, f.cfg, NULL), 0);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_list_fills_listopt_and_the_default_idlist)
{
	static const char *const ids[] = { "ignored", NULL };
	struct fx f;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run $LISTOPT $IDOPTION $IDFILE "
		      "[$IDLIST]\ntest_id_option=--load $IDFILE\n"
		      "test_list_option=--list\ntest_id_list_default=a  b\n");
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_list(&f), 0);
	ck_assert_str_eq(f.cmd.command, "run --list   [a  b]");
	ck_assert_ptr_null(f.cmd.id_file);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_list_needs_listopt_in_the_command)
{
	struct fx f;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDOPTION\n"
		      "test_id_option=--load $IDFILE\ntest_list_option=--list\n");
	ck_assert_int_eq(fx_list(&f), TESTR_ENOTFOUND);
	ck_assert_str_eq(testr_context_error(f.ctx),
			 "LISTOPT not configured in .testr.conf");
	ck_assert_ptr_null(f.cmd.command);
	fx_dispose(&f);
}
END_TEST

START_TEST(instance_commands_expand_their_variables)
{
	struct fx f;
	char *out;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run\n"
		      "instance_provision=make $INSTANCE_COUNT $INSTANCE_COUNTX\n"
		      "instance_execute=ssh $INSTANCE_ID -- $COMMAND < $FILES "
		      "$INSTANCE_IDS\n"
		      "instance_dispose=kill $INSTANCE_IDS.\n");
	ck_assert_int_eq(testr_instance_provision_command(&out, f.ctx, f.cfg, 3), 0);
	ck_assert_str_eq(out, "make 3 3X");
	free(out);
	ck_assert_int_eq(testr_instance_execute_command(&out, f.ctx, f.cfg, "i-1",
							"run a", "/tmp/f"), 0);
	ck_assert_str_eq(out, "ssh i-1 -- run a < /tmp/f i-1S");
	free(out);
	ck_assert_int_eq(testr_instance_execute_command(&out, f.ctx, f.cfg, "i-1",
							"run a", NULL), 0);
	ck_assert_str_eq(out, "ssh i-1 -- run a <  i-1S");
	free(out);
	fx_ids(&f, (const char *const[]){ "i-3", "i-1", "i-2", NULL });
	ck_assert_int_eq(testr_instance_dispose_command(&out, f.ctx, f.cfg, &f.ids), 0);
	ck_assert_str_eq(out, "kill i-1 i-2 i-3.");
	free(out);
	fx_dispose(&f);
}
END_TEST

START_TEST(instance_commands_when_not_configured)
{
	struct fx f;
	char *out = (char *)1;

	fx_init(&f);
	fx_config(&f, "[DEFAULT]\ntest_command=run\n");
	ck_assert_int_eq(testr_instance_provision_command(&out, f.ctx, f.cfg, 2),
			 TESTR_ENOTFOUND);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(testr_instance_dispose_command(&out, f.ctx, f.cfg, &f.ids),
			 TESTR_ENOTFOUND);
	ck_assert_int_eq(testr_instance_execute_command(&out, f.ctx, f.cfg, "i",
							"run x", "f"), 0);
	ck_assert_str_eq(out, "run x");
	free(out);
	fx_dispose(&f);
}
END_TEST

/* ---- against testrepository ---- */

struct expand_case {
	const char *conf;
	char *const *args;		/* NULL-terminated, as argv */
	const char *const *ids;		/* NULL: none known */
};

static char *const no_args[] = { NULL };
static char *const two_args[] = { "--x", "$IDLIST$LISTOPT", NULL };
static const char *const two_ids[] = { "pkg.a.test_1", "pkg.b.test_2", NULL };
/* Every character shlex.quote lets through: no quoting, so identical. */
static const char *const odd_ids[] = { "a.b/c-d:e=f@g%h+i,j_K9", NULL };
static const char *const zero_ids[] = { NULL };

static const char *const confs[] = {
	"[DEFAULT]\ntest_command=python -m subunit.run discover $LISTOPT $IDOPTION\n"
	"test_id_option=--load-list $IDFILE\ntest_list_option=--list\n",
	"[DEFAULT]\ntest_command=r $IDLIST $IDFILEX ${IDFILE} $HOME $IDOPTION\n"
	"test_id_option=--ids $IDLIST --file=$IDFILE $IDOPTION $LISTOPT\n",
	"[DEFAULT]\ntest_command=r $IDLIST $LISTOPT $IDOPTION\n"
	"test_id_list_default=x.y  z\ntest_list_option=--list\n"
	"test_id_option=-f $IDFILE\n",
	"[DEFAULT]\ntest_command=r $IDOPTION\n",
	"[DEFAULT]\ntest_command=r $LISTOPT\n",
	"[DEFAULT]\ntest_id_option=x\n",
	"[DEFAULT]\ntest_command=r $IDLIST\ntest_id_list_default=\n",
};

/* Append @c's arguments for reference.py, its config written in @dir. */
static size_t
add_case_argv(const char **argv, size_t n, const struct expand_case *c,
	      const char *dir, char *count, size_t count_size)
{
	size_t nargs = 0;
	char *path = str_printf("%s/.testr.conf", dir);

	mkdir(dir, 0700);
	write_file(path, c->conf, strlen(c->conf));
	free(path);
	while (c->args[nargs])
		nargs++;
	snprintf(count, count_size, "%zu", nargs);
	argv[n++] = dir;
	argv[n++] = count;
	for (size_t i = 0; i < nargs; i++)
		argv[n++] = c->args[i];
	for (size_t i = 0; c->ids && c->ids[i]; i++)
		argv[n++] = c->ids[i];
	if (!c->ids)
		argv[n++] = "--none";
	argv[n++] = "--end";
	return n;
}

/* Our run and list commands for @c against reference lines [j, k). */
static void
assert_expands_as_testrepository(struct fx *f, const struct expand_case *c,
				 const char *dir, const struct reference *ref,
				 size_t j, size_t k)
{
	struct reference one = { ref->name + j, ref->value + j, k - j };
	char *path = str_printf("%s/.testr.conf", dir), *masked, *ours;
	const char *err = reference_get(&one, "error");

	testr_config_free(f->cfg);
	ck_assert_int_eq(testr_config_load(&f->cfg, f->ctx, path), 0);
	free(path);
	f->opts.args = c->args;
	for (f->opts.n_args = 0; c->args[f->opts.n_args]; f->opts.n_args++)
		;
	f->opts.ids = NULL;
	if (c->ids)
		fx_ids(f, c->ids);
	if (err) {
		ck_assert_msg(fx_run(f) < 0, "%s: Python: %s", dir, err);
		ck_assert_str_eq(testr_context_error(f->ctx), err);
		return;
	}
	ck_assert_msg(fx_run(f) == 0, "%s", testr_context_error(f->ctx));
	masked = with_idfile_masked(reference_get(&one, "run"),
				    reference_get(&one, "idfile"));
	ours = with_idfile_masked(f->cmd.command, f->cmd.id_file);
	ck_assert_str_eq(ours, masked);
	free(masked);
	free(ours);
	if (f->cmd.id_file) {
		char *content = read_file(f->cmd.id_file);

		ck_assert_str_eq(content, reference_get(&one, "idfile_content"));
		free(content);
	} else {
		ck_assert_str_eq(reference_get(&one, "idfile"), "");
	}
	if (fx_list(f) == 0)
		ck_assert_str_eq(f->cmd.command, reference_get(&one, "list"));
	else
		ck_assert_str_eq(testr_context_error(f->ctx),
				 "LISTOPT not configured in .testr.conf");
}

#define N_CONFS (sizeof(confs) / sizeof(confs[0]))
#define N_CASES (N_CONFS * 4 * 2)

START_TEST(commands_match_testrepository_for_the_same_config_and_ids)
{
	const char *const *id_sets[] = { NULL, two_ids, odd_ids, zero_ids };
	char *const *arg_sets[] = { no_args, two_args };
	static struct expand_case cases[N_CASES];
	static const char *argv[N_CASES * 12 + 2];
	char *dirs[N_CASES], counts[N_CASES][24];
	struct reference ref;
	struct fx f;
	size_t n = 0, argc = 1, j = 0;

	fx_init(&f);
	argv[0] = "expand";
	for (size_t c = 0; c < N_CONFS; c++)
		for (size_t i = 0; i < 4; i++)
			for (size_t a = 0; a < 2; a++, n++) {
				cases[n] = (struct expand_case){ confs[c], arg_sets[a],
								 id_sets[i] };
				dirs[n] = str_printf("%s/case-%zu", f.dir, n);
				argc = add_case_argv(argv, argc, &cases[n], dirs[n],
						     counts[n], sizeof(counts[n]));
			}
	argv[argc] = NULL;
	reference_run(&ref, argv);
	for (size_t i = 0; i < n; i++) {
		size_t k = reference_group(&ref, &j, "case", dirs[i]);

		assert_expands_as_testrepository(&f, &cases[i], dirs[i], &ref, j, k);
		j = k;
		free(dirs[i]);
	}
	ck_assert_uint_eq(j, ref.n);
	ck_assert_uint_eq(n, 56);
	reference_dispose(&ref);
	fx_dispose(&f);
}
END_TEST

/* Template pieces: every way a '$' can sit next to a variable name. */
static const char *const gen_pieces[] = {
	"$IDOPTION", "$IDFILE", "$IDFILEX", "$IDLIST", "${IDLIST}", "$LISTOPT",
	"$LISTOPTS", "$$", "$", "$HOME", "100%%", "run", " ", "$IDOPTIO",
	"\\$IDLIST", "$IDOPTION$IDLIST", "'$IDFILE'", "-",
};

static unsigned long gen_state = 42;

static size_t
gen_pick(size_t n)
{
	gen_state = gen_state * 6364136223846793005ul + 1442695040888963407ul;
	return (size_t)(gen_state >> 33) % n;
}

static char *
gen_template(void)
{
	char *t = strdup("");
	size_t n = 1 + gen_pick(6);

	for (size_t i = 0; i < n; i++) {
		const char *p = gen_pieces[gen_pick(sizeof(gen_pieces) /
						    sizeof(gen_pieces[0]))];
		char *next = str_printf("%s%s", t, p);

		free(t);
		t = next;
	}
	return t;
}

/* A config with a random test_command and, maybe, the other options. */
static char *
gen_expand_conf(void)
{
	static const char *const defaults[] = {
		"", "", "", "test_id_list_default=d.1 d.2\n",
		"test_id_list_default=\n",
	};
	char *cmd = gen_template(), *idopt = gen_template(), *conf;

	conf = str_printf("[DEFAULT]\ntest_command=%s\n%s%s%s%s",
		cmd, gen_pick(4) ? "test_id_option=" : "#",
		idopt, gen_pick(4) ? "\ntest_list_option=--list\n" : "\n",
		defaults[gen_pick(5)]);
	free(cmd);
	free(idopt);
	return conf;
}

START_TEST(commands_match_testrepository_on_generated_templates)
{
	enum { N = 150 };
	const char *const *id_sets[] = { NULL, two_ids, zero_ids };
	char *const *arg_sets[] = { no_args, two_args };
	static struct expand_case cases[N];
	static const char *argv[N * 12 + 2];
	char *dirs[N], *confs_gen[N], counts[N][24];
	struct reference ref;
	struct fx f;
	size_t argc = 1, j = 0, errors = 0;

	fx_init(&f);
	argv[0] = "expand";
	for (size_t n = 0; n < N; n++) {
		confs_gen[n] = gen_expand_conf();
		cases[n] = (struct expand_case){ confs_gen[n],
			arg_sets[gen_pick(2)], id_sets[gen_pick(3)] };
		dirs[n] = str_printf("%s/case-%zu", f.dir, n);
		argc = add_case_argv(argv, argc, &cases[n], dirs[n], counts[n],
				     sizeof(counts[n]));
	}
	argv[argc] = NULL;
	reference_run(&ref, argv);
	for (size_t i = 0; i < N; i++) {
		size_t k = reference_group(&ref, &j, "case", dirs[i]);
		struct reference one = { ref.name + j, ref.value + j, k - j };

		errors += reference_get(&one, "error") != NULL;
		assert_expands_as_testrepository(&f, &cases[i], dirs[i], &ref, j, k);
		j = k;
		free(dirs[i]);
		free(confs_gen[i]);
	}
	/* Both outcomes must be well represented. */
	ck_assert_uint_gt(errors, N / 20);
	ck_assert_uint_lt(errors, N / 2);
	reference_dispose(&ref);
	fx_dispose(&f);
}
END_TEST

START_TEST(command_idfile_is_utf8_where_testrepository_fails)
{
	static const char *const ids[] = { "pkg.t\xc3\xa9st.\xe6\x97\xa5", NULL };
	const struct expand_case c = { confs[0], no_args, ids };
	const char *argv[16] = { "expand" };
	char *dir, count[24], *content;
	struct reference ref;
	struct fx f;

	fx_init(&f);
	dir = str_printf("%s/case", f.dir);
	add_case_argv(argv, 1, &c, dir, count, sizeof(count));
	reference_run(&ref, argv);
	/* testrepository writes $IDFILE as latin-1 and dies on this id. */
	ck_assert_ptr_nonnull(strstr(reference_get(&ref, "error"),
				     "codec can't encode"));
	fx_config(&f, confs[0]);
	fx_ids(&f, ids);
	ck_assert_int_eq(fx_run(&f), 0);
	content = read_file(f.cmd.id_file);
	ck_assert_str_eq(content, "pkg.t\xc3\xa9st.\xe6\x97\xa5\n");
	free(content);
	free(dir);
	reference_dispose(&ref);
	fx_dispose(&f);
}
END_TEST

START_TEST(instance_commands_match_testrepository)
{
	const char *argv[] = { "instances", NULL, "3", "inst-b inst-c\ninst-a",
			       NULL };
	struct reference ref;
	struct fx f;
	char *out;

	fx_init(&f);
	argv[1] = f.dir;
	fx_config(&f, "[DEFAULT]\ntest_command=run $IDOPTION\n"
		      "test_id_option=--load $IDFILE\n"
		      "instance_provision=prov -n $INSTANCE_COUNT$INSTANCE_COUNT\n"
		      "instance_execute=exec $INSTANCE_ID:$FILES -- $COMMAND"
		      " $INSTANCE_IDS\n"
		      "instance_dispose=dispose $INSTANCE_IDS$INSTANCE_IDSX\n");
	reference_run(&ref, argv);
	ck_assert_int_eq(testr_instance_provision_command(&out, f.ctx, f.cfg, 3), 0);
	ck_assert_str_eq(out, reference_get(&ref, "provision"));
	free(out);
	ck_assert_int_eq(testr_instance_execute_command(&out, f.ctx, f.cfg,
		reference_get(&ref, "instance"), "CMD",
		reference_get(&ref, "files")), 0);
	ck_assert_str_eq(out, reference_get(&ref, "execute"));
	free(out);
	fx_ids(&f, (const char *const[]){ "inst-c", "inst-a", "inst-b", NULL });
	ck_assert_int_eq(testr_instance_dispose_command(&out, f.ctx, f.cfg, &f.ids), 0);
	ck_assert_str_eq(out, reference_get(&ref, "dispose"));
	free(out);
	reference_dispose(&ref);
	fx_dispose(&f);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, template_expand_takes_the_first_name_that_follows_the_dollar);
	HARNESS_ADD(h, template_expand_leaves_other_dollars_for_the_shell);
	HARNESS_ADD(h, template_expand_does_not_rescan_replaced_text);
	HARNESS_ADD(h, shell_quote_leaves_plain_ids_alone_and_quotes_metacharacters);
	HARNESS_ADD(h, command_run_without_ids_blanks_every_variable);
	HARNESS_ADD(h, command_run_with_ids_fills_idoption_idfile_and_idlist);
	HARNESS_ADD(h, command_run_quotes_metacharacter_ids_in_idlist_only);
	HARNESS_ADD(h, command_id_file_round_trips_spaces_and_non_ascii_as_utf8);
	HARNESS_ADD(h, command_dispose_removes_the_id_file);
	HARNESS_ADD(h, command_run_leaves_out_an_id_with_a_newline_and_says_why);
	HARNESS_ADD(h, command_run_with_every_id_refused_has_no_command_and_no_file);
	HARNESS_ADD(h, command_run_quotes_idlist_for_the_nested_shell_in_single_quotes);
	HARNESS_ADD(h, command_run_refuses_ids_needing_quotes_where_idlist_is_quoted_text);
	HARNESS_ADD(h, command_run_refuses_ids_needing_quotes_when_command_is_bare_in_instances);
	HARNESS_ADD(h, command_run_quotes_an_idfile_path_holding_a_space);
	HARNESS_ADD(h, command_run_with_an_empty_id_list_writes_an_empty_file);
	HARNESS_ADD(h, command_run_uses_test_id_list_default_when_no_ids_are_given);
	HARNESS_ADD(h, command_run_appends_extra_arguments_with_spaces);
	HARNESS_ADD(h, command_errors_use_testrepository_wording);
	HARNESS_ADD(h, command_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, command_list_fills_listopt_and_the_default_idlist);
	HARNESS_ADD(h, command_list_needs_listopt_in_the_command);
	HARNESS_ADD(h, instance_commands_expand_their_variables);
	HARNESS_ADD(h, instance_commands_when_not_configured);
	HARNESS_ADD(h, commands_match_testrepository_for_the_same_config_and_ids);
	HARNESS_ADD(h, commands_match_testrepository_on_generated_templates);
	HARNESS_ADD(h, command_idfile_is_utf8_where_testrepository_fails);
	HARNESS_ADD(h, instance_commands_match_testrepository);
}
