/* Unit tests for lib/regex.c: Python re.search / re.match over PCRE2. */
#include <string.h>

#include <testr/testr.h>

#include "../lib/context.h"
#include "../lib/regex.h"
#include "config_reference.h"
#include "harness.h"

const char harness_module[] = "regex";

static struct testr_regex *
compile_ok(const char *pattern)
{
	struct testr_regex *re = NULL;

	ck_assert_int_eq(regex_compile(&re, NULL, pattern), 0);
	ck_assert_ptr_nonnull(re);
	return re;
}

static int
search(const char *pattern, const char *subject)
{
	struct testr_regex *re = compile_ok(pattern);
	int rc = regex_search(re, subject, strlen(subject));

	regex_free(re);
	return rc;
}

/* The matched length, or -1 when re.match() finds nothing. */
static long
match_len(const char *pattern, const char *subject)
{
	struct testr_regex *re = compile_ok(pattern);
	size_t len = 12345;
	int rc = regex_match(&len, re, subject, strlen(subject));

	regex_free(re);
	ck_assert_int_ge(rc, 0);
	return rc ? (long)len : -1;
}

START_TEST(regex_search_finds_a_match_anywhere)
{
	ck_assert_int_eq(search("test_b", "pkg.mod.Case.test_bar"), 1);
	ck_assert_int_eq(search("^mod", "pkg.mod.Case.test_bar"), 0);
	ck_assert_int_eq(search("bar$", "pkg.mod.Case.test_bar"), 1);
	ck_assert_int_eq(search("baz", "pkg.mod.Case.test_bar"), 0);
	ck_assert_int_eq(search("", ""), 1);
}
END_TEST

START_TEST(regex_match_is_anchored_at_the_start_only)
{
	/* testrepository's own group_regex example. */
	ck_assert_int_eq(match_len("([^\\.]*\\.)*", "pkg.mod.Case.test_x"), 13);
	ck_assert_int_eq(match_len("mod", "pkg.mod.Case.test_x"), -1);
	ck_assert_int_eq(match_len("pkg", "pkg.mod"), 3);
	ck_assert_int_eq(match_len("x*", "pkg.mod"), 0);
	ck_assert_int_eq(match_len("(?P<cls>[^(]+)\\(", "a.B.test(1)"), 9);
}
END_TEST

START_TEST(regex_match_returns_leftmost_alternative_like_python)
{
	/* Python's re takes the first alternative that matches, not the longest. */
	ck_assert_int_eq(match_len("a|ab", "abc"), 1);
	ck_assert_int_eq(match_len("a*?", "aaa"), 0);
}
END_TEST

START_TEST(regex_classes_are_unicode_as_in_python3)
{
	ck_assert_int_eq(search("^\\w+$", "t\xc3\xa9st"), 1);	/* "tést" */
	ck_assert_int_eq(search("^\\d$", "\xd9\xa3"), 1);	/* ARABIC-INDIC 3 */
	ck_assert_int_eq(search("(?i)\xc3\xa9", "\xc3\x89"), 1);	/* é / É */
	ck_assert_int_eq(match_len(".", "\xc3\xa9x"), 2);	/* one character */
}
END_TEST

START_TEST(regex_invalid_utf8_subject_never_crashes)
{
	struct testr_regex *re = compile_ok("test");
	const char bad[] = "\xff\xfe test \xc3";

	ck_assert_int_eq(regex_search(re, bad, sizeof(bad) - 1), 1);
	ck_assert_int_eq(regex_search(re, "\xff\xff", 2), 0);
	regex_free(re);
}
END_TEST

START_TEST(regex_subject_length_is_respected)
{
	struct testr_regex *re = compile_ok("b");

	ck_assert_int_eq(regex_search(re, "abc", 1), 0);
	ck_assert_int_eq(regex_search(re, "abc", 2), 1);
	regex_free(re);
}
END_TEST

START_TEST(regex_bad_pattern_names_pattern_reason_and_offset)
{
	struct testr_context *ctx;
	struct testr_regex *re = (void *)1;

	testr_context_new(&ctx);
	ck_assert_int_eq(regex_compile(&re, ctx, "ab(c"), TESTR_EPARSE);
	ck_assert_ptr_null(re);
	ck_assert_str_eq(testr_context_error(ctx),
		"bad regex 'ab(c': missing closing parenthesis at offset 4");
	ck_assert_int_eq(regex_compile(&re, ctx, "x{2,1}"), TESTR_EPARSE);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "'x{2,1}'"));
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "at offset 5"));
	testr_context_free(ctx);
}
END_TEST

START_TEST(regex_bad_pattern_message_stays_on_one_line)
{
	struct testr_context *ctx;
	struct testr_regex *re;
	char big[4096];

	testr_context_new(&ctx);
	ck_assert_int_eq(regex_compile(&re, ctx, "a\n("), TESTR_EPARSE);
	ck_assert_ptr_null(strchr(testr_context_error(ctx), '\n'));
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "'a\\n('"));
	memset(big, 'a', sizeof(big) - 2);
	big[sizeof(big) - 2] = '(';
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(regex_compile(&re, ctx, big), TESTR_EPARSE);
	ck_assert_uint_lt(strlen(testr_context_error(ctx)), 300);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "...'"));
	testr_context_free(ctx);
}
END_TEST

START_TEST(regex_invalid_utf8_pattern_is_a_parse_error)
{
	struct testr_regex *re;

	ck_assert_int_eq(regex_compile(&re, NULL, "a\xff"), TESTR_EPARSE);
	ck_assert_ptr_null(re);
}
END_TEST

START_TEST(regex_keeps_its_pattern_and_free_null_is_noop)
{
	struct testr_regex *re = compile_ok("x+");

	ck_assert_str_eq(regex_pattern(re), "x+");
	regex_free(re);
	regex_free(NULL);
}
END_TEST

START_TEST(regex_match_reuse_gives_independent_results)
{
	struct testr_regex *re = compile_ok("[a-z]+");
	size_t len = 0;

	ck_assert_int_eq(regex_match(&len, re, "abc1", 4), 1);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(regex_match(&len, re, "1abc", 4), 0);
	ck_assert_int_eq(regex_match(&len, re, "z", 1), 1);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(regex_match(NULL, re, "q", 1), 1);
	regex_free(re);
}
END_TEST

/* group_regex values seen in real .testr.conf files, and filter shapes. */
static const char *const py_patterns[] = {
	"([^\\.]*\\.)*", "([^\\.]+\\.)+", "(?P<cls>[^\\[(]+)", "^(.*)\\.test_",
	"[^.]+\\.[^.]+", "\\w+", "test_\\d+$", "(?i)CASE", "\\bfoo\\b", "a|ab",
	"(\\w+\\.)+?", "[\xc3\xa9\xc3\x89]t", "\\s", "(?:x|y)*z", "", ".",
};
static const char *const py_ids[] = {
	"pkg.mod.Case.test_a", "nodots", "pkg.Test[param].test_1",
	"t\xc3\xa9st.\xc3\x89t\xc3\xa9.test_\xd9\xa3", "Case.test_42",
	"foo.bar foo", "with space", "xyxyz", "", "ab", "\xe6\x97\xa5.\xe6\x9c\xac",
};

START_TEST(regex_match_and_search_agree_with_python_re)
{
	enum { NP = sizeof(py_patterns) / sizeof(py_patterns[0]),
	       NI = sizeof(py_ids) / sizeof(py_ids[0]) };
	const char *argv[NP + NI + 3] = { "regex" };
	struct reference ref;
	size_t n = 1, j = 0;

	for (size_t p = 0; p < NP; p++)
		argv[n++] = py_patterns[p];
	argv[n++] = "--";
	for (size_t i = 0; i < NI; i++)
		argv[n++] = py_ids[i];
	reference_run(&ref, argv);
	ck_assert_uint_eq(ref.n, NP * NI * 2);
	for (size_t p = 0; p < NP; p++) {
		struct testr_regex *re = compile_ok(py_patterns[p]);

		for (size_t i = 0; i < NI; i++, j += 2) {
			size_t len = 0, n_id = strlen(py_ids[i]);
			int m = regex_match(&len, re, py_ids[i], n_id);
			char ours[32];

			snprintf(ours, sizeof(ours), "%ld", m == 1 ? (long)len : -1L);
			ck_assert_msg(strcmp(ours, ref.value[j]) == 0,
				      "re.match('%s', '%s'): Python %s, we %s",
				      py_patterns[p], py_ids[i], ref.value[j], ours);
			ck_assert_int_eq(regex_search(re, py_ids[i], n_id),
					 atoi(ref.value[j + 1]));
		}
		regex_free(re);
	}
	reference_dispose(&ref);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, regex_search_finds_a_match_anywhere);
	HARNESS_ADD(h, regex_match_is_anchored_at_the_start_only);
	HARNESS_ADD(h, regex_match_returns_leftmost_alternative_like_python);
	HARNESS_ADD(h, regex_classes_are_unicode_as_in_python3);
	HARNESS_ADD(h, regex_invalid_utf8_subject_never_crashes);
	HARNESS_ADD(h, regex_subject_length_is_respected);
	HARNESS_ADD(h, regex_bad_pattern_names_pattern_reason_and_offset);
	HARNESS_ADD(h, regex_bad_pattern_message_stays_on_one_line);
	HARNESS_ADD(h, regex_invalid_utf8_pattern_is_a_parse_error);
	HARNESS_ADD(h, regex_keeps_its_pattern_and_free_null_is_noop);
	HARNESS_ADD(h, regex_match_reuse_gives_independent_results);
	HARNESS_ADD(h, regex_match_and_search_agree_with_python_re);
}
