/* The str suite: plain tests, no fixtures. */
#include <string.h>

#include "../src/kv.h"
#include "suites.h"

START_TEST(trim_strips_both_ends)
{
	char s[] = "  hello \t\n";

	ck_assert_uint_eq(str_trim(s), 5);
	ck_assert_str_eq(s, "hello");
}
END_TEST

START_TEST(trim_empties_blank_strings)
{
	char s[] = " \t ";

	ck_assert_uint_eq(str_trim(s), 0);
	ck_assert_str_eq(s, "");
}
END_TEST

START_TEST(split_cuts_at_each_separator)
{
	char s[] = "a,b,,c";
	char *parts[8];

	ck_assert_int_eq(str_split(parts, 8, s, ','), 4);
	ck_assert_str_eq(parts[1], "b");
	ck_assert_str_eq(parts[2], "");
}
END_TEST

START_TEST(split_refuses_too_many_parts)
{
	char s[] = "a,b,c";
	char *parts[2];

	ck_assert_int_eq(str_split(parts, 2, s, ','), -1);
}
END_TEST

START_TEST(to_long_parses_signed_numbers)
{
	long v = 0;

	ck_assert_int_eq(str_to_long("-42", &v), 0);
	ck_assert_int_eq(v, -42);
}
END_TEST

START_TEST(to_long_refuses_garbage)
{
	long v = 0;

	ck_assert_int_eq(str_to_long("12x", &v), -1);
	ck_assert_int_eq(str_to_long("", &v), -1);
}
END_TEST

START_TEST(to_long_refuses_overflow)
{
	long v = 0;

	ck_assert_int_eq(str_to_long("99999999999999999999999", &v), -1);
}
END_TEST

START_TEST(reverse_reverses)
{
	char s[] = "abcde";

	str_reverse(s);
	ck_assert_str_eq(s, "edcba");
}
END_TEST

static const char *const palindromes[] = { "", "a", "abba", "racecar" };

/* One iteration per word. */
START_TEST(palindrome_accepts_palindromes)
{
	ck_assert(str_is_palindrome(palindromes[_i]));
}
END_TEST

START_TEST(palindrome_rejects_others)
{
	ck_assert(!str_is_palindrome("ab"));
	ck_assert(!str_is_palindrome("abca"));
}
END_TEST

Suite *
str_suite(void)
{
	Suite *s = suite_create("str");
	TCase *edit = tcase_create("edit"), *parse = tcase_create("parse");
	TCase *pal = tcase_create("palindrome");

	tcase_add_test(edit, trim_strips_both_ends);
	tcase_add_test(edit, trim_empties_blank_strings);
	tcase_add_test(edit, split_cuts_at_each_separator);
	tcase_add_test(edit, split_refuses_too_many_parts);
	tcase_add_test(edit, reverse_reverses);
	tcase_add_test(parse, to_long_parses_signed_numbers);
	tcase_add_test(parse, to_long_refuses_garbage);
	tcase_add_test(parse, to_long_refuses_overflow);
	tcase_add_loop_test(pal, palindrome_accepts_palindromes, 0, 4);
	tcase_add_test(pal, palindrome_rejects_others);
	suite_add_tcase(s, edit);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, pal);
	return s;
}
