/* Unit tests for lib/config.c and lib/ini.c: loading .testr.conf. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#include <testr/testr.h>

#include "../lib/context.h"
#include "config_reference.h"
#include "harness.h"

const char harness_module[] = "config";

/* A temp dir with a context whose warnings are collected. */
struct fx {
	struct testr_context *ctx;
	struct testr_config *cfg;
	char *dir;
	char path[4096];
	char log[8192];
};

static void
collect_log(void *userdata, enum testr_log_level level, const char *msg)
{
	struct fx *f = userdata;
	size_t n = strlen(f->log);

	snprintf(f->log + n, sizeof(f->log) - n, "%d:%s\n", (int)level, msg);
}

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	ck_assert_int_eq(testr_context_new(&f->ctx), 0);
	testr_context_set_log(f->ctx, collect_log, f, TESTR_LOG_INFO);
	f->dir = harness_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/.testr.conf", f->dir);
}

static void
fx_dispose(struct fx *f)
{
	testr_config_free(f->cfg);
	testr_context_free(f->ctx);
	harness_rmtree(f->dir);
	free(f->dir);
}

/* Write @len bytes of config and load them; returns the load's result. */
static int
fx_loadn(struct fx *f, const char *text, size_t len)
{
	testr_config_free(f->cfg);
	f->cfg = NULL;
	write_file(f->path, text, len);
	return testr_config_load(&f->cfg, f->ctx, f->path);
}

static int
fx_load(struct fx *f, const char *text)
{
	return fx_loadn(f, text, strlen(text));
}

/* The load's error with the temp dir replaced by "DIR". */
static const char *
fx_error(struct fx *f)
{
	static char msg[2048];
	const char *e = testr_context_error(f->ctx);
	const char *at = strstr(e, f->dir);

	if (at)
		snprintf(msg, sizeof(msg), "%.*sDIR%s", (int)(at - e), e,
			 at + strlen(f->dir));
	else
		snprintf(msg, sizeof(msg), "%s", e);
	return msg;
}

#define GET(f, name) testr_config_get((f)->cfg, (name))

START_TEST(config_ini_reads_the_default_section)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n"
		"test_command=python -m subunit.run $LISTOPT $IDOPTION\n"
		"test_id_option=--load-list $IDFILE\n"
		"test_list_option=--list\n"), 0);
	ck_assert_int_eq(testr_config_syntax(f.cfg), TESTR_CONFIG_INI);
	ck_assert_str_eq(GET(&f, "test_command"),
			 "python -m subunit.run $LISTOPT $IDOPTION");
	ck_assert_str_eq(GET(&f, "test_id_option"), "--load-list $IDFILE");
	ck_assert_str_eq(GET(&f, "TEST_LIST_OPTION"), "--list");
	ck_assert_ptr_null(GET(&f, "test_id_list_default"));
	ck_assert_uint_eq(testr_config_line(f.cfg, "test_list_option"), 4);
	ck_assert_str_eq(testr_config_path(f.cfg), f.path);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_keys_ignore_case_and_the_first_delimiter_wins)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n"
		"Test_Command : a=b:c\n"
		"test_list_option=x:y=z\n"), 0);
	ck_assert_str_eq(GET(&f, "test_command"), "a=b:c");
	ck_assert_str_eq(GET(&f, "test_list_option"), "x:y=z");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_strips_whitespace_but_keeps_inline_hash)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n"
		"  test_command   =   run # not a comment ; either  \t\n"
		"test_list_option=\n"), 0);
	ck_assert_str_eq(GET(&f, "test_command"),
			 "run # not a comment ; either");
	ck_assert_str_eq(GET(&f, "test_list_option"), "");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_joins_continuation_lines_with_newlines)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n"
		"test_command=run\n"
		"   -a\n"
		"\n"
		"# a comment line is dropped, not kept\n"
		"\t-b\n"
		"\n\n"
		"test_list_option=\n"
		"  --list\n"), 0);
	ck_assert_str_eq(GET(&f, "test_command"), "run\n-a\n\n-b");
	/* An empty first line stays, as Python keeps it. */
	ck_assert_str_eq(GET(&f, "test_list_option"), "\n--list");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_interpolates_references_and_double_percent)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n"
		"python=python3\n"
		"runner=%(PYTHON)s -m subunit.run\n"
		"test_command=%(runner)s at 100%% $IDOPTION\n"), 0);
	ck_assert_str_eq(GET(&f, "test_command"),
			 "python3 -m subunit.run at 100% $IDOPTION");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_lone_percent_is_an_error_naming_file_line_option)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n\ntest_command=at 100% load\n"),
			 TESTR_EPARSE);
	ck_assert_ptr_null(f.cfg);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:3: test_command: '%' "
			 "must be followed by '%' or '(', found: '% load'");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_value_ending_in_a_lone_percent_is_an_error)
{
	struct fx f;
	char text[256] = "[DEFAULT]\ntest_command=";

	fx_init(&f);
	/* 62 bytes and a '%': the value fills its 64-byte buffer exactly, so
	 * reading past the '%' would be caught by AddressSanitizer (found by
	 * fuzzing). */
	memset(text + strlen(text), 'x', 62);
	ck_assert_int_eq(fx_load(&f, strcat(text, "%\n")), TESTR_EPARSE);
	ck_assert_ptr_nonnull(strstr(fx_error(&f), "found: '%'"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_unterminated_interpolation_is_an_error)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=run %(python\n"),
			 TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:2: test_command: bad "
			 "interpolation variable reference '%(python'");
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=%()s\n"),
			 TESTR_EPARSE);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=%(a)x\na=1\n"),
			 TESTR_EPARSE);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_reference_to_a_missing_option_is_an_error)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=%(nope)s\n"
				 "[other]\nnope=1\n"), TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:2: test_command: "
			 "interpolation key is not a valid option name: 'nope'");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_interpolation_depth_is_limited_as_in_python)
{
	struct fx f;
	char text[1024] = "[DEFAULT]\ntest_command=%(v1)s\n";

	fx_init(&f);
	/* v1 -> v2 -> ... -> v9 -> v10 (plain): 10 levels, Python's limit. */
	for (int i = 1; i <= 9; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "v%d=%%(v%d)s\n", i, i + 1);
	ck_assert_int_eq(fx_load(&f, strcat(text, "v10=deep\n")), 0);
	ck_assert_str_eq(GET(&f, "test_command"), "deep");
	/* One more level (a '%' in v10 means v10 is expanded too) is too deep. */
	strcpy(strstr(text, "v10=deep"), "v10=deep%%\n");
	ck_assert_int_eq(fx_load(&f, text), TESTR_EPARSE);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\na=%(a)s\ntest_command=%(a)s\n"),
			 TESTR_EPARSE);
	ck_assert_ptr_nonnull(strstr(fx_error(&f), ":3: test_command: recursion "
				     "limit exceeded"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_fan_out_interpolation_fails_cleanly)
{
	struct fx f;
	char text[2048] = "[DEFAULT]\ntest_command=%(l0)s\n";

	fx_init(&f);
	/* Each level doubles the work: 2^9 * 2^9 ... would never finish. */
	for (int i = 0; i < 9; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "l%d=%%(l%d)s%%(l%d)s%%(l%d)s%%(l%d)s%%(l%d)s%%(l%d)s%%(l%d)s%%(l%d)s\n",
			 i, i + 1, i + 1, i + 1, i + 1, i + 1, i + 1, i + 1, i + 1);
	ck_assert_int_eq(fx_load(&f, strcat(text, "l9=x\n")), TESTR_EPARSE);
	ck_assert_ptr_nonnull(strstr(fx_error(&f), "test_command: too many "
				     "interpolation steps"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_duplicates_are_errors_as_in_strict_mode)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=a\nTEST_COMMAND=b\n"),
			 TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:3: option 'test_command' "
			 "in section 'DEFAULT' already exists");
	ck_assert_int_eq(fx_load(&f, "[x]\na=1\n[x]\n"), TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f),
			 "DIR/.testr.conf:3: section already exists: 'x'");
	/* [DEFAULT] may be reopened, but its options still clash. */
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\na=1\n[x]\n[DEFAULT]\nb=2\n"), 0);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\na=1\n[x]\n[DEFAULT]\na=2\n"),
			 TESTR_EPARSE);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_key_before_any_section_is_an_error)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "# comment\ntest_command=python -m x\n"
				 "[DEFAULT]\n"), TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:2: File contains no "
			 "section headers: 'test_command=python -m x'");
	ck_assert_int_eq(fx_load(&f, "test_command: x\n"), TESTR_EPARSE);
	ck_assert_ptr_nonnull(strstr(fx_error(&f), "no section headers"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_line_without_delimiter_is_an_error)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=a\nbare words\n"),
			 TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:3: parsing error: not a "
			 "[section] or an option line: 'bare words'");
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n=value\n"), TESTR_EPARSE);
	ck_assert_ptr_nonnull(strstr(fx_error(&f), ":2: parsing error"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_other_sections_parse_but_do_not_count)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_list_option=--list\n"
		"[testr]\ntest_command=ignored\nbroken=%(nothing)s 100%\n"
		"[Default]\ntest_id_option=ignored too\n"), 0);
	ck_assert_ptr_null(GET(&f, "test_command"));
	ck_assert_ptr_null(GET(&f, "test_id_option"));
	ck_assert_str_eq(GET(&f, "test_list_option"), "--list");
	ck_assert_ptr_nonnull(strstr(f.log, ":3: section [testr] ignored"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_handles_crlf_cr_and_unicode_whitespace)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\r\ntest_command=a\r\n  b\r"
		"test_list_option=\xe3\x80\x80--list\xc2\xa0\r\n"), 0);
	ck_assert_str_eq(GET(&f, "test_command"), "a\nb");
	ck_assert_str_eq(GET(&f, "test_list_option"), "--list");
	ck_assert_uint_eq(testr_config_line(f.cfg, "test_list_option"), 4);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_ini_skips_a_utf8_byte_order_mark)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "\xef\xbb\xbf[DEFAULT]\ntest_command=a\n"), 0);
	ck_assert_str_eq(GET(&f, "test_command"), "a");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_missing_file_uses_testrepository_wording)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(testr_config_load_dir(&f.cfg, f.ctx, f.dir),
			 TESTR_ENOTFOUND);
	ck_assert_ptr_null(f.cfg);
	ck_assert_str_eq(testr_context_error(f.ctx), "No .testr.conf config file");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_directory_instead_of_a_file_is_a_clear_error)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(mkdir(f.path, 0700), 0);
	ck_assert_int_eq(testr_config_load(&f.cfg, f.ctx, f.path), TESTR_EIO);
	ck_assert_ptr_null(f.cfg);
	ck_assert_str_eq(fx_error(&f), "No .testr.conf config file: "
			 "DIR/.testr.conf: is a directory");
	ck_assert_int_eq(rmdir(f.path), 0);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_fifo_is_refused_without_waiting_for_a_writer)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(mkfifo(f.path, 0600), 0);
	/* With no writer, opening the FIFO for reading would block forever. */
	ck_assert_int_eq(testr_config_load(&f.cfg, f.ctx, f.path), TESTR_EIO);
	ck_assert_ptr_null(f.cfg);
	ck_assert_str_eq(fx_error(&f), "No .testr.conf config file: "
			 "DIR/.testr.conf: is not a regular file");
	ck_assert_int_eq(unlink(f.path), 0);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_empty_file_loads_with_no_options)
{
	struct fx f;
	const char *name, *value;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, ""), 0);
	ck_assert_int_eq(testr_config_option(&name, &value, f.cfg, 0),
			 TESTR_ENOTFOUND);
	ck_assert_ptr_null(GET(&f, "test_command"));
	ck_assert_int_eq(fx_load(&f, "# only\n; comments\n\n"), 0);
	ck_assert_ptr_null(GET(&f, "test_command"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_binary_file_is_rejected_naming_the_line)
{
	static const char nul[] = "[DEFAULT]\ntest_command=a\0b\n";
	struct fx f;

	fx_init(&f);

	ck_assert_int_eq(fx_loadn(&f, nul, sizeof(nul) - 1),
			 TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f),
			 "DIR/.testr.conf:2: NUL byte: not a text file");
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n\ntest_command=caf\xe9\n"),
			 TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:3: not valid UTF-8");
	/* Surrogates and overlong forms are not UTF-8 either. */
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\na=\xed\xa0\x80\n"), TESTR_EPARSE);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\na=\xc0\xaf\n"), TESTR_EPARSE);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\na=\xe2\x82"), TESTR_EPARSE);
	fx_dispose(&f);
}
END_TEST

/* A 10 MB value, optionally wrapped as "prefix" VALUE "suffix". */
static char *
big_config(const char *prefix, const char *suffix, size_t value_len)
{
	size_t p = strlen(prefix), s = strlen(suffix);
	char *text = malloc(p + value_len + s + 1);

	memcpy(text, prefix, p);
	memset(text + p, 'x', value_len);
	memcpy(text + p + value_len, suffix, s + 1);
	return text;
}

/*
 * libconfuse grows a quoted string a little at a time: fine with glibc's
 * realloc, quadratic under AddressSanitizer's and valgrind's (which always
 * move the block), so those runs try its syntax with a smaller value.
 */
static size_t
confuse_big(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 64u << 10;
#else
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
	if (RUNNING_ON_VALGRIND)
		return 64u << 10;
#endif
#endif
	return 10u << 20;
#endif
}

START_TEST(config_ten_megabyte_value_loads_in_both_syntaxes)
{
	struct fx f;
	size_t big = 10u << 20;
	char *text = big_config("[DEFAULT]\ntest_command=", "\n", big);

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, text), 0);
	ck_assert_uint_eq(strlen(GET(&f, "test_command")), big);
	free(text);
	text = big_config("test_command = \"", "\"\n", confuse_big());
	ck_assert_int_eq(fx_load(&f, text), 0);
	ck_assert_int_eq(testr_config_syntax(f.cfg), TESTR_CONFIG_CONFUSE);
	ck_assert_uint_eq(strlen(GET(&f, "test_command")), confuse_big());
	free(text);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_bad_group_regex_names_file_line_option_and_pcre_error)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=a\n"
				 "group_regex=([^.]*\\.\n"), TESTR_EPARSE);
	ck_assert_ptr_null(f.cfg);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:3: group_regex: bad regex "
			 "'([^.]*\\\\.': missing closing parenthesis at offset 8");
	ck_assert_int_eq(fx_load(&f, "test_command = \"a\"\n"
				 "group_regex = '(?<'\n"), TESTR_EPARSE);
	ck_assert_ptr_nonnull(strstr(fx_error(&f), ".testr.conf:2: group_regex: "
				     "bad regex '(?<'"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_test_format_is_subunit_or_tap_in_either_syntax)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=a\n"
				 "test_format=tap\n"), 0);
	ck_assert_str_eq(GET(&f, "test_format"), "tap");
	ck_assert_int_eq(fx_load(&f, "test_command = \"a\"\n"
				 "test_format = subunit\n"), 0);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=a\n"
				 "test_format=junit\n"), TESTR_EPARSE);
	ck_assert_ptr_null(f.cfg);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:3: test_format: unknown "
			 "format 'junit' (expected subunit or tap)");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_group_key_is_the_anchored_match)
{
	struct fx f;
	const char *key = NULL;
	size_t len = 0;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ngroup_regex=([^\\.]*\\.)*\n"), 0);
	ck_assert_int_eq(testr_config_group_key(&key, &len, f.cfg,
						"pkg.mod.Case.test_a"), 1);
	ck_assert_str_eq(key, "pkg.mod.Case.test_a");
	ck_assert_uint_eq(len, 13);	/* "pkg.mod.Case." */
	/* An empty match means no group: the id is its own group. */
	ck_assert_int_eq(testr_config_group_key(&key, &len, f.cfg, "nodots"), 0);
	ck_assert_uint_eq(len, 6);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ngroup_regex=\n"), 0);
	ck_assert_int_eq(testr_config_group_key(&key, &len, f.cfg, "pkg.mod.x"),
			 0);
	ck_assert_uint_eq(len, 9);
	ck_assert_int_eq(testr_config_group_key(&key, &len, NULL, "abc"), 0);
	ck_assert_uint_eq(len, 3);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_filter_tags_split_on_whitespace)
{
	struct fx f;
	struct testr_strv tags = TESTR_STRV_INIT;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\nfilter_tags=worker-1  zope:layer"
				 "\n\tworker-0 worker-1\n"), 0);
	ck_assert_int_eq(testr_config_filter_tags(&tags, f.cfg), 0);
	ck_assert_uint_eq(tags.n, 3);
	ck_assert_str_eq(tags.v[0], "worker-0");
	ck_assert_str_eq(tags.v[1], "worker-1");
	ck_assert_str_eq(tags.v[2], "zope:layer");
	testr_strv_dispose(&tags);
	ck_assert_int_eq(fx_load(&f, "filter_tags = {\"a b\", c}\n"), 0);
	ck_assert_str_eq(GET(&f, "filter_tags"), "a b c");
	ck_assert_int_eq(testr_config_filter_tags(&tags, f.cfg), 0);
	ck_assert_uint_eq(tags.n, 3);
	testr_strv_dispose(&tags);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n"), 0);
	ck_assert_int_eq(testr_config_filter_tags(&tags, f.cfg), 0);
	ck_assert_uint_eq(tags.n, 0);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_confuse_syntax_is_parsed_by_libconfuse)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "/* libconfuse syntax */\n"
		"test_command = \"python -m subunit.run $LISTOPT $IDOPTION\"\n"
		"TEST_ID_OPTION = '--load-list $IDFILE ${KEEP}'\n"
		"test_list_option = --list  # a comment\n"
		"group_regex = '([^.]*\\.)*'\n"), 0);
	ck_assert_int_eq(testr_config_syntax(f.cfg), TESTR_CONFIG_CONFUSE);
	ck_assert_str_eq(GET(&f, "test_command"),
			 "python -m subunit.run $LISTOPT $IDOPTION");
	ck_assert_str_eq(GET(&f, "test_id_option"), "--load-list $IDFILE ${KEEP}");
	ck_assert_str_eq(GET(&f, "test_list_option"), "--list");
	ck_assert_uint_eq(testr_config_line(f.cfg, "test_id_option"), 3);
	ck_assert_str_eq(GET(&f, "group_regex"), "([^.]*\\.)*");
	/* A file with no section header that libconfuse reads is libconfuse. */
	ck_assert_int_eq(fx_load(&f, "test_command=run\n"), 0);
	ck_assert_str_eq(GET(&f, "test_command"), "run");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_confuse_syntax_errors_name_file_and_line)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "test_command = \"a\"\n\n"
				 "test_list_option = \"unterminated\n"), TESTR_EPARSE);
	ck_assert_ptr_nonnull(strstr(fx_error(&f), "DIR/.testr.conf:"));
	ck_assert_int_eq(fx_load(&f, "test_command = {a, b}\n"), TESTR_EPARSE);
	ck_assert_str_eq(fx_error(&f), "DIR/.testr.conf:1: unexpected token '{'");
	fx_dispose(&f);
}
END_TEST

START_TEST(config_unknown_options_are_kept_and_warned)
{
	struct fx f;
	const char *name, *value;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=a\n"
				 "My_Option = %(test_command)s b\n"), 0);
	ck_assert_str_eq(GET(&f, "my_option"), "a b");
	ck_assert_int_eq(testr_config_option(&name, &value, f.cfg, 1), 0);
	ck_assert_str_eq(name, "my_option");
	ck_assert_str_eq(value, "a b");
	ck_assert_ptr_nonnull(strstr(f.log, "1:"));
	ck_assert_ptr_nonnull(strstr(f.log, ".testr.conf:3: unknown option "
				     "'my_option' (kept)"));
	f.log[0] = '\0';
	ck_assert_int_eq(fx_load(&f, "test_command = \"a\"\n\nextra = \"b\"\n"), 0);
	ck_assert_str_eq(GET(&f, "extra"), "b");
	ck_assert_ptr_nonnull(strstr(f.log, ".testr.conf:3: unknown option "
				     "'extra' (kept)"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_unknown_option_with_bad_interpolation_is_kept_raw)
{
	struct fx f;

	fx_init(&f);
	/* testrepository never reads it, so it never stopped a run. */
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_command=a\n"
				 "progress=50%\n"), 0);
	ck_assert_str_eq(GET(&f, "progress"), "50%");
	ck_assert_ptr_nonnull(strstr(f.log, ":3: progress: '%' must be followed"));
	fx_dispose(&f);
}
END_TEST

START_TEST(config_free_null_is_a_noop)
{
	testr_config_free(NULL);
	ck_assert_ptr_null(testr_config_get(NULL, "test_command"));
}
END_TEST

/* The error line reference.py printed in [from, to), or NULL. */
static const char *
python_error(const struct reference *ref, size_t from, size_t to)
{
	for (size_t j = from; j < to; j++)
		if (strcmp(ref->name[j], "error") == 0)
			return ref->value[j];
	return NULL;
}

/* Our load of @path against Python's output lines [from, to). */
static void
assert_same_as_python(struct fx *f, const struct reference *ref, size_t from,
		      size_t to, const char *path)
{
	int rc = testr_config_load(&f->cfg, f->ctx, path);
	const char *err = python_error(ref, from, to), *name, *value;
	size_t i = 0;
	char where[32];

	if (err) {
		ck_assert_msg(rc < 0, "%s: Python refuses it, we loaded it", path);
		snprintf(where, sizeof(where), ":%s:", err);
		ck_assert_msg(strcmp(where, ":0:") == 0 ||
			      strstr(testr_context_error(f->ctx), where),
			      "%s: Python: line %s, we: %s", path, err,
			      testr_context_error(f->ctx));
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", path, testr_context_error(f->ctx));
	for (; testr_config_option(&name, &value, f->cfg, i) == 0; i++) {
		char *ours = str_printf("%s=%s", name, value);

		ck_assert_msg(from + i < to, "%s: extra option %s", path, name);
		ck_assert_msg(strcmp(ours, ref->value[from + i]) == 0,
			      "%s: option %zu: Python '%s', we '%s'", path, i,
			      ref->value[from + i], ours);
		free(ours);
	}
	ck_assert_msg(from + i == to, "%s: we have %zu options, Python %zu",
		      path, i, to - from);
	testr_config_free(f->cfg);
	f->cfg = NULL;
}

/* Load each of @paths and compare it with Python (one python3 run). */
static void
compare_with_python(struct fx *f, char **paths, size_t n)
{
	const char **argv = calloc(n + 2, sizeof(*argv));
	struct reference ref;
	size_t j = 0;

	argv[0] = "ini";
	memcpy(argv + 1, paths, n * sizeof(*argv));
	reference_run(&ref, argv);
	for (size_t i = 0; i < n; i++) {
		size_t k = reference_group(&ref, &j, "file", paths[i]);

		assert_same_as_python(f, &ref, j, k, paths[i]);
		j = k;
	}
	ck_assert_uint_eq(j, ref.n);
	reference_dispose(&ref);
	free(argv);
}

/* Every *.conf in tests/data/config@sub, compared with Python. */
static size_t
compare_fixture_dir(struct fx *f, const char *sub)
{
	char dir[4096], *paths[256];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/tests/data/config%s", harness_source_dir(), sub);
	ck_assert_msg((d = opendir(dir)) != NULL, "cannot open %s", dir);
	while ((de = readdir(d)) && n < 256) {
		size_t len = strlen(de->d_name);

		if (len > 5 && strcmp(de->d_name + len - 5, ".conf") == 0)
			paths[n++] = str_printf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	compare_with_python(f, paths, n);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	return n;
}

START_TEST(config_ini_matches_python_configparser_on_fixtures)
{
	struct fx f;

	fx_init(&f);
	ck_assert_uint_ge(compare_fixture_dir(&f, ""), 6);
	ck_assert_uint_ge(compare_fixture_dir(&f, "/errors"), 10);
	fx_dispose(&f);
}
END_TEST

/* Corner cases that are easier to write as C strings than as files. */
static const char *const tricky[] = {
	"[DEFAULT]\r\ntest_command=a\r\n  b\r\n\r\n",
	"[DEFAULT]\rtest_command=a\r  b\r\rc=d",
	"[DEFAULT]\ntest_command = \xe3\x80\x80x\xc2\xa0\xe2\x80\x83\n",
	"[DEFAULT]\ntest_command=a\n\xe3\x80\x80" "b\n",
	"[DEFAULT]\ntest_command=a\n\x0c" "b\n",
	"[DEFAULT]\ntest_command=\n\n\n  x\n",
	"[DEFAULT]\n  test_command=a\n  b=c\n    d\n",
	"  [DEFAULT]\ntest_command=a\n",
	"[DEFAULT]\na=1\n [x]\n",
	"[DEFAULT]\na=1\n#c\n  b\n;d\n  c\n",
	"[DEFAULT]\na=%(B)s\nb=%%(x)s %%%%\n",
	"[DEFAULT]\na=x\n\t[y]\n",
	"[DEFAULT] trailing\na=1\n",
	"[a]b]\nx=1\n[DEFAULT]\nx=2\n",
	"[]\nx=1\n",
	"[DEFAULT]\nkey with  spaces : v\n",
	"[DEFAULT]\n\xc3\xa9t\xc3\xa9=\xc3\xa9\n",
	"[DEFAULT]\na=%(b)s\nb=%(c)s\nc=%(d)s\nd=%%\n",
	"[DEFAULT]\na = b\n\x1c\n c\n",
	"\n\n[DEFAULT]\n\n\na\n",
	"[DEFAULT]\na=1\n[x]\na=2\n[x]\n",
	"[DEFAULT]\nx=1\n=2\ny=3\ny=4\n",
};

START_TEST(config_ini_matches_python_configparser_on_corner_cases)
{
	struct fx f;

	enum { N = sizeof(tricky) / sizeof(tricky[0]) };
	char *paths[N];

	fx_init(&f);
	for (size_t i = 0; i < N; i++) {
		paths[i] = str_printf("%s/tricky-%zu.conf", f.dir, i);
		write_file(paths[i], tricky[i], strlen(tricky[i]));
	}
	compare_with_python(&f, paths, N);
	for (size_t i = 0; i < N; i++)
		free(paths[i]);
	fx_dispose(&f);
}
END_TEST

/* Pieces of INI lines: every construct whose handling differs subtly. */
static const char *const gen_keys[] = {
	"test_command", "Test_Command", "a", "B", "key with space", "",
	"test_list_option", "x",
};
static const char *const gen_delims[] = {
	"=", ":", " = ", "\t:\t", "==", " :=", "\xe3\x80\x80=\xc2\xa0",
};
static const char *const gen_values[] = {
	"run $IDOPTION", "", "%(a)s", "%(B)s!", "100%%", "50%", "%(x", "v # c",
	"\xc3\xa9t\xc3\xa9", "%(a)s%(x)s", "a=b:c", "  spaced  ", "\x0c",
};
static const char *const gen_lines[] = {
	"[DEFAULT]", "[x]", "[y]", "  [DEFAULT]", "# comment", "  ; comment",
	"", "   ", "\tindented", "    deeper %(a)s", "\xe3\x80\x80wide", "no delimiter",
	"[a]b]", "[]",
};
static const char *const gen_newlines[] = { "\n", "\n", "\n", "\r\n", "\r" };

static unsigned long gen_state = 20261126;

static size_t
gen_pick(size_t n)
{
	gen_state = gen_state * 6364136223846793005ul + 1442695040888963407ul;
	return (size_t)(gen_state >> 33) % n;
}

#define PICK(a) (a)[gen_pick(sizeof(a) / sizeof((a)[0]))]

/* A random config: a header first (no libconfuse look-alikes), then lines. */
static char *
gen_config(void)
{
	const char *nl = PICK(gen_newlines);
	char *text = str_printf("%s%s", gen_pick(4) ? "[DEFAULT]" : "[x]", nl);
	size_t lines = 1 + gen_pick(9);

	for (size_t i = 0; i < lines; i++) {
		char *next;

		if (gen_pick(3) == 0)
			next = str_printf("%s%s%s", text, PICK(gen_lines), nl);
		else
			next = str_printf("%s%s%s%s%s%s", text,
					      gen_pick(4) ? "" : "  ", PICK(gen_keys),
					      PICK(gen_delims), PICK(gen_values), nl);
		free(text);
		text = next;
	}
	return text;
}

START_TEST(config_ini_matches_python_configparser_on_generated_configs)
{
	enum { N = 600 };
	static char *paths[N];
	struct fx f;
	size_t loaded = 0;

	fx_init(&f);
	for (size_t i = 0; i < N; i++) {
		char *text = gen_config();

		paths[i] = str_printf("%s/gen-%zu.conf", f.dir, i);
		write_file(paths[i], text, strlen(text));
		free(text);
	}
	compare_with_python(&f, paths, N);
	/* The mix must exercise both outcomes, or it proves little. */
	for (size_t i = 0; i < N; i++) {
		if (testr_config_load(&f.cfg, f.ctx, paths[i]) == 0)
			loaded++;
		testr_config_free(f.cfg);
		f.cfg = NULL;
		free(paths[i]);
	}
	ck_assert_uint_gt(loaded, N / 10);
	ck_assert_uint_lt(loaded, N - N / 10);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_timeouts_read_as_seconds_with_defaults)
{
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\n"
				 "test_list_timeout=2.5\n"
				 "instance_dispose_timeout=0\n"), 0);
	ck_assert(testr_config_seconds(f.cfg, "test_list_timeout", 7) == 2.5);
	ck_assert(testr_config_seconds(f.cfg, "instance_dispose_timeout", 7) == 0);
	ck_assert(testr_config_seconds(f.cfg, "instance_provision_timeout",
				       7) == 7);
	ck_assert(testr_config_seconds(NULL, "test_list_timeout", 9) == 9);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_bad_timeout_names_line_and_value)
{
	static const char *const bad[] = { "soon", "-1", "1e3", "5s", "inf",
					   "" };
	char text[128];
	struct fx f;

	fx_init(&f);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[DEFAULT]\n\ntest_list_timeout=%s\n",
			 bad[i]);
		ck_assert_int_eq(fx_load(&f, text), TESTR_EPARSE);
		ck_assert_msg(strstr(fx_error(&f), "DIR/.testr.conf:3: "
				     "test_list_timeout: '") != NULL, "%s: %s",
			      bad[i], fx_error(&f));
		ck_assert_ptr_nonnull(strstr(fx_error(&f),
					     "is not a number of seconds"));
	}
	/* "auto" is no hook timeout. */
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ninstance_provision_timeout="
				 "auto\n"), TESTR_EPARSE);
	fx_dispose(&f);
}
END_TEST

START_TEST(config_max_restarts_must_be_a_whole_number)
{
	static const char *const bad[] = { "-1", "two", "1.5", "", "99999999" };
	char text[128];
	struct fx f;

	fx_init(&f);
	ck_assert_int_eq(fx_load(&f, "[DEFAULT]\ntest_max_restarts=5\n"), 0);
	ck_assert_str_eq(testr_config_get(f.cfg, "test_max_restarts"), "5");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[DEFAULT]\n\ntest_max_restarts=%s\n",
			 bad[i]);
		ck_assert_int_eq(fx_load(&f, text), TESTR_EPARSE);
		ck_assert_msg(strstr(fx_error(&f), "DIR/.testr.conf:3: "
				     "test_max_restarts: '") != NULL, "%s: %s",
			      bad[i], fx_error(&f));
		ck_assert_ptr_nonnull(strstr(fx_error(&f),
					     "is not a count (0 to 1000000)"));
	}
	fx_dispose(&f);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, config_ini_reads_the_default_section);
	HARNESS_ADD(h, config_ini_keys_ignore_case_and_the_first_delimiter_wins);
	HARNESS_ADD(h, config_ini_strips_whitespace_but_keeps_inline_hash);
	HARNESS_ADD(h, config_ini_joins_continuation_lines_with_newlines);
	HARNESS_ADD(h, config_ini_interpolates_references_and_double_percent);
	HARNESS_ADD(h, config_ini_lone_percent_is_an_error_naming_file_line_option);
	HARNESS_ADD(h, config_ini_value_ending_in_a_lone_percent_is_an_error);
	HARNESS_ADD(h, config_ini_unterminated_interpolation_is_an_error);
	HARNESS_ADD(h, config_ini_reference_to_a_missing_option_is_an_error);
	HARNESS_ADD(h, config_ini_interpolation_depth_is_limited_as_in_python);
	HARNESS_ADD(h, config_ini_fan_out_interpolation_fails_cleanly);
	HARNESS_ADD(h, config_ini_duplicates_are_errors_as_in_strict_mode);
	HARNESS_ADD(h, config_ini_key_before_any_section_is_an_error);
	HARNESS_ADD(h, config_ini_line_without_delimiter_is_an_error);
	HARNESS_ADD(h, config_ini_other_sections_parse_but_do_not_count);
	HARNESS_ADD(h, config_ini_handles_crlf_cr_and_unicode_whitespace);
	HARNESS_ADD(h, config_ini_skips_a_utf8_byte_order_mark);
	HARNESS_ADD(h, config_missing_file_uses_testrepository_wording);
	HARNESS_ADD(h, config_directory_instead_of_a_file_is_a_clear_error);
	HARNESS_ADD(h, config_fifo_is_refused_without_waiting_for_a_writer);
	HARNESS_ADD(h, config_empty_file_loads_with_no_options);
	HARNESS_ADD(h, config_binary_file_is_rejected_naming_the_line);
	HARNESS_ADD(h, config_ten_megabyte_value_loads_in_both_syntaxes);
	HARNESS_ADD(h, config_bad_group_regex_names_file_line_option_and_pcre_error);
	HARNESS_ADD(h, config_test_format_is_subunit_or_tap_in_either_syntax);
	HARNESS_ADD(h, config_group_key_is_the_anchored_match);
	HARNESS_ADD(h, config_filter_tags_split_on_whitespace);
	HARNESS_ADD(h, config_confuse_syntax_is_parsed_by_libconfuse);
	HARNESS_ADD(h, config_confuse_syntax_errors_name_file_and_line);
	HARNESS_ADD(h, config_unknown_options_are_kept_and_warned);
	HARNESS_ADD(h, config_unknown_option_with_bad_interpolation_is_kept_raw);
	HARNESS_ADD(h, config_free_null_is_a_noop);
	HARNESS_ADD(h, config_ini_matches_python_configparser_on_fixtures);
	HARNESS_ADD(h, config_ini_matches_python_configparser_on_corner_cases);
	HARNESS_ADD(h, config_ini_matches_python_configparser_on_generated_configs);
	HARNESS_ADD(h, config_timeouts_read_as_seconds_with_defaults);
	HARNESS_ADD(h, config_bad_timeout_names_line_and_value);
	HARNESS_ADD(h, config_max_restarts_must_be_a_whole_number);
}
