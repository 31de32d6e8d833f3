/* Unit tests for lib/subunit_tap.c: TAP 13/14 as subunit events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "../lib/subunit.h"
#include "harness.h"
#include "subunit-record.h"

const char harness_module[] = "subunit_tap";

#define MIME " mime=text/plain;\\x20charset=utf8"
#define YAML " mime=text/x-yaml;\\x20charset=utf8"

/* Decode @s fed @chunk bytes at a time (0: at once); the canonical text. */
static char *
tap_text(const char *s, size_t chunk, struct rec *r)
{
	ck_assert_int_eq(rec_decode(s, strlen(s), TESTR_SUBUNIT_TAP, chunk, 0,
				    r, NULL), 0);
	return strdup(rec_text(r));
}

static void
check_tap(const char *in, const char *want)
{
	struct rec r = { 0 }, bytes = { 0 };
	char *got = tap_text(in, 0, &r), *got1 = tap_text(in, 1, &bytes);

	ck_assert_str_eq(got, want);
	ck_assert_str_eq(got1, want);
	free(got);
	free(got1);
	rec_free(&r);
	rec_free(&bytes);
}

START_TEST(tap_ok_and_not_ok_become_success_and_fail_by_description)
{
	check_tap("TAP version 14\n1..3\nok 1 - first\nnot ok 2 second\n"
		  "ok 3\n",
		  "status=success id=first runnable\n"
		  "status=fail id=second runnable\n"
		  "status=success id=test\\x203 runnable\n");
}
END_TEST

START_TEST(tap_skip_and_todo_directives_map_with_their_reason)
{
	check_tap("1..4\nok 1 - a # SKIP no network\nnot ok 2 - b # TODO later\n"
		  "ok 3 - c # todo fixed\nok 4 - d # skipped\n",
		  "status=undefined id=a" MIME " file=reason"
		  " bytes=no\\x20network eof runnable\n"
		  "status=skip id=a runnable\n"
		  "status=undefined id=b" MIME " file=reason bytes=later eof"
		  " runnable\n"
		  "status=xfail id=b runnable\n"
		  "status=undefined id=c" MIME " file=reason bytes=fixed eof"
		  " runnable\n"
		  "status=success id=c runnable\n"
		  "status=skip id=d runnable\n");
}
END_TEST

START_TEST(tap_yaml_block_and_comments_attach_to_the_test_above)
{
	check_tap("1..2\nnot ok 1 - a\n  ---\n  message: boom\n  ...\n"
		  "# got 1\n# expected 2\nok 2 - b\n",
		  "status=undefined id=a" YAML " file=tap\\x20yaml"
		  " bytes=\\x20\\x20message:\\x20boom\\x0a eof runnable\n"
		  "status=undefined id=a" MIME " file=tap\\x20comment"
		  " bytes=#\\x20got\\x201\\x0a#\\x20expected\\x202\\x0a eof"
		  " runnable\n"
		  "status=fail id=a runnable\n"
		  "status=success id=b runnable\n");
}
END_TEST

START_TEST(tap_escaped_hash_stays_in_the_description)
{
	check_tap("1..1\nok 1 - issue \\#12 fixed # not a directive\n",
		  "status=undefined id=issue\\x20#12\\x20fixed" MIME
		  " file=tap\\x20comment bytes=not\\x20a\\x20directive\\x0a eof"
		  " runnable\n"
		  "status=success id=issue\\x20#12\\x20fixed runnable\n");
}
END_TEST

START_TEST(tap_repeated_description_gets_the_test_number)
{
	check_tap("ok 1 - same\nok 2 - same\n1..2\n",
		  "status=success id=same runnable\n"
		  "status=success id=same\\x20#2 runnable\n");
}
END_TEST

START_TEST(tap_plan_not_met_is_a_failure)
{
	check_tap("1..3\nok 1 - a\n",
		  "status=success id=a runnable\n"
		  "status=undefined id=TAP\\x20plan" MIME " file=reason"
		  " bytes=planned\\x203\\x20tests\\x20but\\x20ran\\x201 eof"
		  " runnable\n"
		  "status=fail id=TAP\\x20plan runnable\n");
}
END_TEST

START_TEST(tap_missing_plan_and_empty_stream_are_failures)
{
	check_tap("ok 1 - a\n",
		  "status=success id=a runnable\n"
		  "status=undefined id=TAP\\x20plan" MIME " file=reason"
		  " bytes=no\\x20plan\\x20(ran\\x201\\x20tests) eof runnable\n"
		  "status=fail id=TAP\\x20plan runnable\n");
	check_tap("",
		  "status=undefined id=TAP\\x20plan" MIME " file=reason"
		  " bytes=no\\x20plan\\x20(ran\\x200\\x20tests) eof runnable\n"
		  "status=fail id=TAP\\x20plan runnable\n");
}
END_TEST

START_TEST(tap_numbers_out_of_sequence_fail_the_plan)
{
	struct rec r = { 0 };
	char *got = tap_text("1..2\nok 2 - a\nok 1 - b\n", 0, &r);

	ck_assert_ptr_nonnull(strstr(got, "out\\x20of\\x20sequence"));
	ck_assert_ptr_nonnull(strstr(got, "status=fail id=TAP\\x20plan"));
	free(got);
	rec_free(&r);
}
END_TEST

START_TEST(tap_plan_in_the_middle_fails)
{
	struct rec r = { 0 };
	char *got = tap_text("ok 1 - a\n1..2\nok 2 - b\n", 0, &r);

	ck_assert_ptr_nonnull(strstr(got, "status=fail id=TAP\\x20plan"));
	free(got);
	rec_free(&r);
}
END_TEST

START_TEST(tap_skip_all_plan_is_one_skip)
{
	check_tap("1..0 # SKIP no database\n",
		  "status=undefined id=TAP\\x20plan" MIME " file=reason"
		  " bytes=SKIP\\x20no\\x20database eof runnable\n"
		  "status=skip id=TAP\\x20plan runnable\n");
}
END_TEST

START_TEST(tap_bail_out_fails_and_the_rest_is_output)
{
	check_tap("1..3\nok 1 - a\nBail out! disk full\nok 2 - b\n",
		  "status=success id=a runnable\n"
		  "status=undefined id=Bail\\x20out!" MIME " file=reason"
		  " bytes=disk\\x20full eof runnable\n"
		  "status=fail id=Bail\\x20out! runnable\n"
		  "status=undefined file=stdout bytes=ok\\x202\\x20-\\x20b\\x0a"
		  " runnable\n");
}
END_TEST

START_TEST(tap_other_lines_and_subtests_pass_on_as_output)
{
	check_tap("hello\n# Subtest: s\n    ok 1 - inner\n    1..1\n"
		  "ok 1 - s\n1..1\n",
		  "status=undefined file=stdout bytes=hello\\x0a#\\x20Subtest:"
		  "\\x20s\\x0a\\x20\\x20\\x20\\x20ok\\x201\\x20-\\x20inner\\x0a"
		  "\\x20\\x20\\x20\\x201..1\\x0a runnable\n"
		  "status=success id=s runnable\n");
}
END_TEST

START_TEST(tap_last_line_without_newline_and_crlf_are_lines)
{
	check_tap("1..2\r\nok 1 - a\r\nnot ok 2 - b",
		  "status=success id=a runnable\n"
		  "status=fail id=b runnable\n");
}
END_TEST

START_TEST(tap_non_utf8_description_is_reported_and_numbered)
{
	struct rec r = { 0 };
	char *got = tap_text("1..1\nok 1 - \xff\xfe\n", 0, &r);

	ck_assert_str_eq(got, "status=success id=test\\x201 runnable\n");
	ck_assert_str_eq(r.corrupt, "5:TAP description is not UTF-8\n");
	free(got);
	rec_free(&r);
}
END_TEST

START_TEST(tap_over_long_line_is_output_whatever_the_chunking)
{
	size_t n = (1u << 20) + 100;
	char *in = malloc(n + 32);
	struct rec r1 = { 0 }, r2 = { 0 };
	char *one, *chunked;

	strcpy(in, "1..1\nok 1 - ");
	memset(in + 12, 'x', n);
	strcpy(in + 12 + n, "\nok 1 - a\n");
	one = tap_text(in, 0, &r1);
	chunked = tap_text(in, 4096, &r2);
	ck_assert_str_eq(one, chunked);
	ck_assert_ptr_nonnull(strstr(one, "status=success id=a runnable"));
	ck_assert_str_eq(r1.corrupt, "5:TAP line over 1 MiB\n");
	ck_assert_str_eq(r2.corrupt, r1.corrupt);
	free(in);
	free(one);
	free(chunked);
	rec_free(&r1);
	rec_free(&r2);
}
END_TEST

START_TEST(tap_callback_stop_is_returned)
{
	struct rec r = { 0 };
	static const char in[] = "1..2\nok 1 - a\nok 2 - b\n";

	r.stop_after = 1;
	ck_assert_int_eq(rec_decode(in, strlen(in), TESTR_SUBUNIT_TAP, 0, 0,
				    &r, NULL), 1);
	ck_assert_uint_eq(r.n_events, 1);
	rec_free(&r);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, tap_ok_and_not_ok_become_success_and_fail_by_description);
	HARNESS_ADD(h, tap_skip_and_todo_directives_map_with_their_reason);
	HARNESS_ADD(h, tap_yaml_block_and_comments_attach_to_the_test_above);
	HARNESS_ADD(h, tap_escaped_hash_stays_in_the_description);
	HARNESS_ADD(h, tap_repeated_description_gets_the_test_number);
	HARNESS_ADD(h, tap_plan_not_met_is_a_failure);
	HARNESS_ADD(h, tap_missing_plan_and_empty_stream_are_failures);
	HARNESS_ADD(h, tap_numbers_out_of_sequence_fail_the_plan);
	HARNESS_ADD(h, tap_plan_in_the_middle_fails);
	HARNESS_ADD(h, tap_skip_all_plan_is_one_skip);
	HARNESS_ADD(h, tap_bail_out_fails_and_the_rest_is_output);
	HARNESS_ADD(h, tap_other_lines_and_subtests_pass_on_as_output);
	HARNESS_ADD(h, tap_last_line_without_newline_and_crlf_are_lines);
	HARNESS_ADD(h, tap_non_utf8_description_is_reported_and_numbered);
	HARNESS_ADD(h, tap_over_long_line_is_output_whatever_the_chunking);
	HARNESS_ADD(h, tap_callback_stop_is_returned);
}
