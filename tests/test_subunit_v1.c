/* Unit tests for lib/subunit_v1.c: the v1 text protocol as v2 events.  The
 * expected lines are what subunit-1to2 | python-subunit gives for the same
 * input (tests/cli/subunit/interop.sh checks that against the real tools). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "../lib/subunit.h"
#include "harness.h"
#include "subunit-record.h"

const char harness_module[] = "subunit_v1";

/* Decode @s fed @chunk bytes at a time (0: at once); the canonical text. */
static char *
v1_text(const char *s, size_t chunk, struct rec *r)
{
	ck_assert_int_eq(rec_decode(s, strlen(s), TESTR_SUBUNIT_V1, chunk, 0, r,
				    NULL), 0);
	return strdup(rec_text(r));
}

static void
check_v1(const char *in, const char *want)
{
	struct rec r = { 0 };
	char *got = v1_text(in, 0, &r);

	ck_assert_str_eq(got, want);
	free(got);
	rec_free(&r);
}

#define T0 "time: 2026-01-02 03:04:05.678901Z\n"
#define TS " ts=1767323045.678901"

START_TEST(v1_every_outcome_maps_to_its_status)
{
	check_v1(T0 "test: a\nsuccess: a\ntest: b\nsuccessful: b\n"
		 "test: c\nfailure: c\ntest: d\nerror: d\ntest: e\nskip: e\n"
		 "test: f\nxfail: f\ntest: g\nuxsuccess: g\n",
		 "status=inprogress id=a" TS " runnable\n"
		 "status=success id=a" TS " runnable\n"
		 "status=inprogress id=b" TS " runnable\n"
		 "status=success id=b" TS " runnable\n"
		 "status=inprogress id=c" TS " runnable\n"
		 "status=fail id=c" TS " runnable\n"
		 "status=inprogress id=d" TS " runnable\n"
		 "status=fail id=d" TS " runnable\n"
		 "status=inprogress id=e" TS " runnable\n"
		 "status=skip id=e" TS " runnable\n"
		 "status=inprogress id=f" TS " runnable\n"
		 "status=xfail id=f" TS " runnable\n"
		 "status=inprogress id=g" TS " runnable\n"
		 "status=uxsuccess id=g" TS " runnable\n");
}
END_TEST

START_TEST(v1_testing_and_colonless_commands_are_accepted)
{
	check_v1("testing a\nsuccess a\n",
		 "status=inprogress id=a runnable\n"
		 "status=success id=a runnable\n");
}
END_TEST

START_TEST(v1_time_stamps_following_events_with_offsets_and_fractions)
{
	check_v1("time: 2026-01-02 03:04:05Z\ntest: a\n"
		 "time: 2026-01-02T05:04:05.5+02:00\nsuccess: a\n",
		 "status=inprogress id=a ts=1767323045.000000 runnable\n"
		 "status=success id=a ts=1767323045.500000 runnable\n");
}
END_TEST

/* python-subunit keeps int(float("0.F") * 1e6) microseconds: .256229
 * becomes 256228, and digits past the sixth are cut, not rounded. */
START_TEST(v1_time_fractions_round_as_python_subunit_does)
{
	check_v1("time: 2026-01-02 03:04:05.256229Z\ntest: a\n"
		 "time: 2026-01-02 03:04:05.9999999Z\nsuccess: a\n",
		 "status=inprogress id=a ts=1767323045.256228 runnable\n"
		 "status=success id=a ts=1767323045.999999 runnable\n");
}
END_TEST

START_TEST(v1_bad_time_is_reported_and_ignored)
{
	struct rec r = { 0 };
	char *got = v1_text(T0 "time: 2026-13-01 00:00:00Z\ntest: a\n"
			    "success: a\n", 0, &r);

	ck_assert_str_eq(got, "status=inprogress id=a" TS " runnable\n"
			      "status=success id=a" TS " runnable\n");
	ck_assert_str_eq(r.corrupt, "34:bad time\n");
	free(got);
	rec_free(&r);
}
END_TEST

START_TEST(v1_tags_are_global_or_scoped_to_the_test)
{
	check_v1("tags: x z\ntest: a\ntags: y -x\nskip: a\ntest: b\n"
		 "success: b\n",
		 "status=inprogress id=a runnable\n"
		 "status=skip id=a tags=y,z runnable\n"
		 "status=inprogress id=b runnable\n"
		 "status=success id=b tags=x,z runnable\n");
}
END_TEST

/* python-subunit strips the last byte of test and outcome names, but not of
 * a tags line, whether or not it is a newline. */
START_TEST(v1_last_line_without_newline_is_still_a_line)
{
	check_v1("tags: a b",
		 "");
	check_v1("tags: a b\ntest: x\nsuccess: x",
		 "status=inprogress id=x runnable\n"
		 "status=undefined file=stdout bytes=success:\\x20x runnable\n"
		 "status=undefined id=x mime=text/x-traceback;\\x20"
		 "charset=\"utf8\";\\x20language=\"python\" file=traceback "
		 "bytes=testtools.testresult.real._StringException:\\x20lost"
		 "\\x20connection\\x20during\\x20test\\x20'x'\\x0a eof runnable\n"
		 "status=fail id=x tags=a,b runnable\n");
}
END_TEST

START_TEST(v1_simple_details_become_named_attachments)
{
	check_v1(T0 "test: a\nfailure: a [\nTraceback\n ]quoted\n]\n"
		 "test: b\nskip: b [\nwhy\n]\n"
		 "test: c\nsuccess: c [\nmsg\n]\n",
		 "status=inprogress id=a" TS " runnable\n"
		 "status=undefined id=a" TS
		 " mime=text/x-traceback;\\x20charset=\"utf8\" file=traceback"
		 " bytes=Traceback\\x0a]quoted\\x0a eof runnable\n"
		 "status=fail id=a" TS " runnable\n"
		 "status=inprogress id=b" TS " runnable\n"
		 "status=undefined id=b" TS " mime=text/plain file=reason"
		 " bytes=why\\x0a eof runnable\n"
		 "status=skip id=b" TS " runnable\n"
		 "status=inprogress id=c" TS " runnable\n"
		 "status=undefined id=c" TS " mime=text/plain file=message"
		 " bytes=msg\\x0a eof runnable\n"
		 "status=success id=c" TS " runnable\n");
}
END_TEST

static const char multipart[] =
	"test: b\nerror: b [ multipart\n"
	"Content-Type: text/plain;charset=utf8\nlog\n5\r\nhel\nl3\r\no\n\n0\r\n"
	"Content-Type: application/octet-stream\nbin\n0\r\n]\n";

START_TEST(v1_multipart_details_are_dechunked_in_order)
{
	check_v1(multipart,
		 "status=inprogress id=b runnable\n"
		 "status=undefined id=b mime=text/plain;charset=utf8 file=log"
		 " bytes=hel\\x0alo\\x0a\\x0a eof runnable\n"
		 "status=undefined id=b mime=application/octet-stream"
		 " file=bin bytes= eof runnable\n"
		 "status=fail id=b runnable\n");
}
END_TEST

START_TEST(v1_byte_by_byte_feeding_equals_one_shot)
{
	static const char in[] = T0 "tags: q\ntest: a\nfailure: a [\nx\n]\n"
				 "noise\ntest: b\nerror: b [ multipart\n"
				 "Content-Type: a/b\nn\n3\r\nabc0\r\n]\ntail";
	struct rec r1 = { 0 }, r2 = { 0 };
	char *one = v1_text(in, 0, &r1), *bytes = v1_text(in, 1, &r2);

	ck_assert_str_eq(bytes, one);
	ck_assert_ptr_nonnull(strstr(one, "file=n bytes=abc eof"));
	free(one);
	free(bytes);
	rec_free(&r1);
	rec_free(&r2);
}
END_TEST

START_TEST(v1_non_protocol_lines_are_noise_in_order)
{
	check_v1("hello\ntest: a\nsuccess: other\nsuccess: a\nbye",
		 "status=undefined file=stdout bytes=hello\\x0a runnable\n"
		 "status=inprogress id=a runnable\n"
		 "status=undefined file=stdout bytes=success:\\x20other\\x0a"
		 " runnable\n"
		 "status=success id=a runnable\n"
		 "status=undefined file=stdout bytes=bye runnable\n");
}
END_TEST

START_TEST(v1_stream_ending_inside_a_test_fails_it)
{
	struct rec r = { 0 };
	char *got = v1_text("test: a\nfailure: a [\nhalf", 0, &r);

	ck_assert_str_eq(got,
		"status=inprogress id=a runnable\n"
		"status=undefined id=a mime=text/x-traceback;\\x20"
		"charset=\"utf8\";\\x20language=\"python\" file=traceback "
		"bytes=testtools.testresult.real._StringException:\\x20lost"
		"\\x20connection\\x20during\\x20failure\\x20report\\x20of\\x20"
		"test\\x20'a'\\x0a eof runnable\n"
		"status=fail id=a runnable\n");
	ck_assert_uint_eq(r.n_corrupt, 1);
	free(got);
	rec_free(&r);
}
END_TEST

/* Deliberately unlike python-subunit, which drops every detail of a test
 * whose stream ends before "]": a part already read whole is kept. */
START_TEST(v1_complete_parts_survive_a_stream_ending_in_details)
{
	struct rec r = { 0 };
	char *got = v1_text("test: a\nfailure: a [ multipart\n"
			    "Content-Type: text/plain\nlog\n2\r\nok0\r\n"
			    "Content-Type: text/plain\nhalf\n9\r\nab", 0, &r);

	ck_assert_ptr_nonnull(strstr(got, "file=log bytes=ok eof"));
	ck_assert_ptr_null(strstr(got, "file=half"));
	ck_assert_ptr_nonnull(strstr(got, "during\\x20failure\\x20report"));
	ck_assert_ptr_nonnull(strstr(got, "status=fail id=a runnable\n"));
	free(got);
	rec_free(&r);
}
END_TEST

START_TEST(v1_long_detail_is_sent_in_bounded_pieces)
{
	size_t n = 3 * SUBUNIT_NOISE_MAX;
	char *in = malloc(n + 64);
	struct rec r = { 0 };
	char *got;

	strcpy(in, "test: a\nfailure: a [\n");
	memset(in + strlen(in), 'x', n);
	strcpy(in + strlen("test: a\nfailure: a [\n") + n, "\n]\n");
	got = v1_text(in, 4096, &r);
	/* inprogress, 4 pieces (3 full, 1 with the newline), fail */
	ck_assert_uint_eq(r.n_events, 6);
	ck_assert_ptr_nonnull(strstr(got, "status=fail id=a runnable\n"));
	free(got);
	free(in);
	rec_free(&r);
}
END_TEST

START_TEST(v1_invalid_utf8_test_id_is_reported_and_kept_as_noise)
{
	struct rec r = { 0 };
	char *got = v1_text("test: \xff\n", 0, &r);

	ck_assert_str_eq(got, "status=undefined file=stdout bytes=test:"
			      "\\x20\\xff\\x0a runnable\n");
	ck_assert_str_eq(r.corrupt, "0:line is not UTF-8\n");
	free(got);
	rec_free(&r);
}
END_TEST

START_TEST(v1_over_long_line_decodes_alike_whole_or_in_chunks)
{
	/* A 2 MiB "test:" line: over the 1 MiB line limit however it comes. */
	size_t n = 2u << 20;
	char *in = malloc(n + 32);
	struct rec whole = { 0 }, chunked = { 0 };
	char *a, *b;

	strcpy(in, "test: ");
	memset(in + 6, 'a', n);
	strcpy(in + 6 + n, "\nsuccess: b\n");
	a = v1_text(in, 0, &whole);
	b = v1_text(in, 256u << 10, &chunked);
	ck_assert_str_eq(a, b);
	/* Cut, it is text: no test is started by it. */
	ck_assert_ptr_null(strstr(a, "status=inprogress"));
	free(a);
	free(b);
	free(in);
	rec_free(&whole);
	rec_free(&chunked);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, v1_over_long_line_decodes_alike_whole_or_in_chunks);
	HARNESS_ADD(h, v1_every_outcome_maps_to_its_status);
	HARNESS_ADD(h, v1_testing_and_colonless_commands_are_accepted);
	HARNESS_ADD(h, v1_time_stamps_following_events_with_offsets_and_fractions);
	HARNESS_ADD(h, v1_time_fractions_round_as_python_subunit_does);
	HARNESS_ADD(h, v1_bad_time_is_reported_and_ignored);
	HARNESS_ADD(h, v1_tags_are_global_or_scoped_to_the_test);
	HARNESS_ADD(h, v1_last_line_without_newline_is_still_a_line);
	HARNESS_ADD(h, v1_simple_details_become_named_attachments);
	HARNESS_ADD(h, v1_multipart_details_are_dechunked_in_order);
	HARNESS_ADD(h, v1_byte_by_byte_feeding_equals_one_shot);
	HARNESS_ADD(h, v1_non_protocol_lines_are_noise_in_order);
	HARNESS_ADD(h, v1_stream_ending_inside_a_test_fails_it);
	HARNESS_ADD(h, v1_complete_parts_survive_a_stream_ending_in_details);
	HARNESS_ADD(h, v1_long_detail_is_sent_in_bounded_pieces);
	HARNESS_ADD(h, v1_invalid_utf8_test_id_is_reported_and_kept_as_noise);
}
