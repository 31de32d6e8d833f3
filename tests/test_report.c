/* Unit tests for lib/report*.c: JUnit XML and JSON reports of a run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "report";

static int
to_buf(void *userdata, const void *buf, size_t len)
{
	FILE *f = userdata;

	return fwrite(buf, 1, len, f) == len ? 0 : TESTR_EIO;
}

/* The report written in @format, as a malloc'd string. */
static char *
render(struct testr_report *r, enum testr_report_format format)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(testr_report_write(r, format, to_buf, f), 0);
	fclose(f);
	return s;
}

static void
status(struct testr_report *r, const char *id, enum testr_status st,
       int64_t sec)
{
	struct testr_event ev = harness_event(id, st, sec);

	ck_assert_int_eq(testr_report_add(r, &ev), 0);
}

static void
attach(struct testr_report *r, const char *id, const char *name,
       const char *bytes, size_t len)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_FILE |
		    TESTR_EVENT_MIME_TYPE;
	ev.test_id = id;
	ev.file_name = name;
	ev.mime_type = "text/plain";
	ev.file_bytes = (const unsigned char *)bytes;
	ev.file_len = len;
	ck_assert_int_eq(testr_report_add(r, &ev), 0);
}

static struct testr_report *
new_report(void)
{
	struct testr_report *r;

	ck_assert_int_eq(testr_report_new(&r, NULL, NULL), 0);
	return r;
}

START_TEST(report_retry_that_passes_is_flaky)
{
	struct testr_report *r = new_report();
	struct testr_report_totals n;
	char *xml;

	status(r, "a.b.t", TESTR_STATUS_INPROGRESS, 1);
	attach(r, "a.b.t", "traceback", "boom\n", 5);
	status(r, "a.b.t", TESTR_STATUS_FAIL, 2);
	status(r, "a.b.t", TESTR_STATUS_INPROGRESS, 3);
	status(r, "a.b.t", TESTR_STATUS_SUCCESS, 4);
	testr_report_totals(&n, r);
	ck_assert_uint_eq(n.tests, 1);
	ck_assert_uint_eq(n.flaky, 1);
	ck_assert_uint_eq(n.fail, 0);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_ptr_nonnull(strstr(xml, "<flakyFailure message=\"boom\""));
	ck_assert_ptr_null(strstr(xml, "<failure"));
	free(xml);
	testr_report_free(r);
}
END_TEST

START_TEST(report_record_never_finished_is_an_error_not_a_pass)
{
	struct testr_report *r = new_report();
	struct testr_report_totals n;
	char *xml;

	status(r, "a.t", TESTR_STATUS_INPROGRESS, 1);
	testr_report_totals(&n, r);
	ck_assert_uint_eq(n.incomplete, 1);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_ptr_nonnull(strstr(xml, "errors=\"1\""));
	ck_assert_ptr_nonnull(strstr(xml, "<error message=\"test did not complete\""));
	free(xml);
	testr_report_free(r);
}
END_TEST

START_TEST(report_junit_escapes_markup_controls_and_bad_utf8_in_ids)
{
	struct testr_report *r = new_report();
	char *xml;

	status(r, "m.t<\"&>\x01\xff\xc3\xa9", TESTR_STATUS_SUCCESS, 1);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_ptr_nonnull(strstr(xml,
		"name=\"t&lt;&quot;&amp;&gt;\\x01\\xff\xc3\xa9\""));
	free(xml);
	testr_report_free(r);
}
END_TEST

START_TEST(report_json_escapes_bad_utf8_as_text_and_controls_as_unicode)
{
	struct testr_report *r = new_report();
	char *json;

	status(r, "t\"\\\x01\xfe\xe2\x98\x83", TESTR_STATUS_SUCCESS, 1);
	json = render(r, TESTR_REPORT_JSON);
	ck_assert_ptr_nonnull(strstr(json,
		"\"id\": \"t\\\"\\\\\\u0001\\\\xfe\xe2\x98\x83\""));
	free(json);
	testr_report_free(r);
}
END_TEST

START_TEST(report_junit_splits_classname_before_parameters)
{
	struct testr_report *r = new_report();
	char *xml;

	status(r, "pkg.Class.test(x.y)", TESTR_STATUS_SUCCESS, 1);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_ptr_nonnull(strstr(xml,
		"classname=\"pkg.Class\" name=\"test(x.y)\""));
	free(xml);
	testr_report_free(r);
}
END_TEST

START_TEST(report_enumeration_alone_is_not_a_test)
{
	struct testr_report *r = new_report();
	struct testr_report_totals n;

	status(r, "listed.only", TESTR_STATUS_EXISTS, 1);
	testr_report_totals(&n, r);
	ck_assert_uint_eq(n.tests, 0);
	testr_report_free(r);
}
END_TEST

START_TEST(report_rejects_unknown_format)
{
	struct testr_report *r = new_report();

	ck_assert_int_eq(testr_report_write(r, (enum testr_report_format)9,
					    to_buf, stdout), TESTR_EINVAL);
	testr_report_free(r);
}
END_TEST

START_TEST(report_options_of_an_unknown_version_are_refused)
{
	struct testr_report_options o = TESTR_REPORT_OPTIONS_INIT;
	struct testr_report *r = (void *)1;
	struct testr_context *ctx;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(ctx,
			testr_report_new(&r, ctx, &o), "testr_report_options",
			v);
		ck_assert_ptr_null(r);
	}
	testr_context_free(ctx);
}
END_TEST

/* Where @needle first occurs in @hay, as an offset (it must occur). */
static size_t
offset_of(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	ck_assert_msg(p != NULL, "missing: %s", needle);
	return (size_t)(p - hay);
}

/*
 * 3,000 tests with 2 KiB of output each: more than the spool keeps in
 * memory, so most are read back from its temporary file.  A failure held
 * in memory (then retried) and one never finished still land in order.
 */
START_TEST(report_spooled_tests_keep_their_order_and_output)
{
	struct testr_report *r = new_report();
	struct testr_report_totals n;
	char id[32], out[2048], *xml;

	memset(out, 'x', sizeof(out));
	status(r, "never.finished", TESTR_STATUS_INPROGRESS, 1);
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "m.t%04d", i);
		attach(r, id, "stdout", out, sizeof(out));
		status(r, id, i == 1500 ? TESTR_STATUS_FAIL : TESTR_STATUS_SUCCESS,
		       i);
	}
	status(r, "m.t1500", TESTR_STATUS_INPROGRESS, 4000);
	status(r, "m.t1500", TESTR_STATUS_SUCCESS, 4001);
	testr_report_totals(&n, r);
	ck_assert_uint_eq(n.tests, 3001);
	ck_assert_uint_eq(n.success, 2999);
	ck_assert_uint_eq(n.flaky, 1);
	ck_assert_uint_eq(n.incomplete, 1);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_uint_lt(offset_of(xml, "name=\"t1499\""),
			  offset_of(xml, "name=\"t1500\""));
	ck_assert_uint_lt(offset_of(xml, "<flakyFailure"),
			  offset_of(xml, "name=\"t1501\""));
	ck_assert_uint_lt(offset_of(xml, "name=\"t2999\""),
			  offset_of(xml, "name=\"finished\""));
	ck_assert_ptr_nonnull(strstr(strstr(xml, "name=\"t2999\""),
				     "<system-out>xxxxxxxx"));
	free(xml);
	testr_report_free(r);
}
END_TEST

/* The spool is read, not used up: a second writing is the same. */
START_TEST(report_writes_the_same_twice)
{
	struct testr_report *r = new_report();
	char id[32], out[2048], *a, *b;

	memset(out, 'y', sizeof(out));
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "m.t%04d", i);
		attach(r, id, "stdout", out, sizeof(out));
		status(r, id, TESTR_STATUS_SUCCESS, i);
	}
	a = render(r, TESTR_REPORT_JSON);
	b = render(r, TESTR_REPORT_JSON);
	ck_assert_str_eq(a, b);
	ck_assert_ptr_nonnull(strstr(a, "\"id\": \"m.t0999\""));
	free(a);
	free(b);
	testr_report_free(r);
}
END_TEST

START_TEST(report_github_annotation_escapes_id_and_traceback)
{
	struct testr_report *r = new_report();
	char *out;

	status(r, "p.t%\n::x,y:z", TESTR_STATUS_INPROGRESS, 1);
	attach(r, "p.t%\n::x,y:z", "traceback", "a\r\n::error::b\x1b", 14);
	status(r, "p.t%\n::x,y:z", TESTR_STATUS_FAIL, 2);
	status(r, "p.ok", TESTR_STATUS_SUCCESS, 3);
	out = render(r, TESTR_REPORT_GITHUB);
	ck_assert_str_eq(out, "::error title=p.t%25%0A%3A%3Ax%2Cy%3Az::"
			 "p.t%25%0A::x,y:z failed%0Aa%0D%0A::error::b\\x1b\n");
	free(out);
	testr_report_free(r);
}
END_TEST

START_TEST(report_gitlab_section_header_cannot_hold_a_marker)
{
	struct testr_report *r = new_report();
	char *out;

	status(r, "p.t\x1b[0Ksection_end:1:x\r\n", TESTR_STATUS_FAIL, 7);
	out = render(r, TESTR_REPORT_GITLAB);
	ck_assert_str_eq(out, "\033[0Ksection_start:7:testr_failure_1"
			 "[collapsed=true]\r\033[0KFAIL: p.t\\x1b[0K"
			 "section_end:1:x\\x0d\\n\n"
			 "\033[0Ksection_end:7:testr_failure_1\r\033[0K\n");
	free(out);
	testr_report_free(r);
}
END_TEST

/* The empty report testr last feeds while it reads the run for its
 * summary: the run's id and partial flag, none of its tests yet. */
START_TEST(report_new_of_a_stored_run_has_its_id_and_flag_and_no_tests)
{
	struct testr_repo_writer_options wo = TESTR_REPO_WRITER_OPTIONS_INIT;
	struct testr_repo_writer *w;
	struct testr_report *r;
	struct testr_event ev = harness_event("a.ok", TESTR_STATUS_SUCCESS, 1);
	struct harness_repo f;
	uint64_t id;
	char *json, want[64];

	harness_repo_init(&f);
	wo.partial = true;
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, &wo), 0);
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	ck_assert_int_eq(testr_repo_report_new(&r, f.repo, id), 0);
	json = render(r, TESTR_REPORT_JSON);
	snprintf(want, sizeof(want), "\"run\": {\"id\": %llu,",
		 (unsigned long long)id);
	ck_assert_msg(strstr(json, want) != NULL, "%s", json);
	ck_assert_ptr_nonnull(strstr(json, "\"partial\": true"));
	ck_assert_ptr_null(strstr(json, "a.ok"));
	free(json);
	testr_report_free(r);
	ck_assert_int_eq(testr_repo_report_new(&r, f.repo, id + 1),
			 TESTR_ENOTFOUND);
	ck_assert_ptr_null(r);
	harness_repo_dispose(&f);
}
END_TEST

/* A stored run, interrupted after one passing test: its report must not
 * read as a passing suite anywhere a CI looks. */
START_TEST(report_of_an_interrupted_run_is_not_green)
{
	struct testr_repo_writer *w;
	struct testr_report *r;
	struct testr_event ev = harness_event("a.ok", TESTR_STATUS_SUCCESS, 1);
	struct harness_repo f;
	uint64_t id;
	char *xml, *json, *md, *gh;

	harness_repo_init(&f);
	ck_assert_int_eq(testr_repo_writer_new(&w, f.repo, NULL), 0);
	ck_assert_int_eq(testr_repo_writer_add(w, &ev), 0);
	testr_repo_writer_set_interrupted(w);
	ck_assert_int_eq(testr_repo_writer_commit(&id, w), 0);
	testr_repo_writer_free(w);
	ck_assert_int_eq(testr_repo_report(&r, f.repo, id), 0);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_ptr_nonnull(strstr(xml, "tests=\"2\" failures=\"0\" "
				     "errors=\"1\""));
	ck_assert_ptr_nonnull(strstr(xml, "<testcase classname=\"testr\" "
				     "name=\"interrupted\">\n<error "));
	ck_assert_ptr_nonnull(strstr(xml, "\"testr.interrupted\" value=\"true\""));
	ck_assert_ptr_nonnull(strstr(xml, "\"testr.partial\" value=\"true\""));
	/* The mark is how the run was stored, not output of the run. */
	ck_assert_ptr_null(strstr(xml, "system-out"));
	json = render(r, TESTR_REPORT_JSON);
	ck_assert_ptr_nonnull(strstr(json, "\"interrupted\": true"));
	ck_assert_ptr_nonnull(strstr(json, "\"output\": []"));
	md = render(r, TESTR_REPORT_MARKDOWN);
	ck_assert_ptr_nonnull(strstr(md, "INTERRUPTED"));
	gh = render(r, TESTR_REPORT_GITHUB);
	ck_assert_ptr_nonnull(strstr(gh, "::error title=testr::the run was "
				     "interrupted"));
	free(gh);
	free(md);
	free(json);
	free(xml);
	testr_report_free(r);
	harness_repo_dispose(&f);
}
END_TEST

START_TEST(report_of_a_full_run_says_it_was_not_interrupted)
{
	struct testr_report *r = new_report();
	char *xml, *json;

	status(r, "a.ok", TESTR_STATUS_SUCCESS, 1);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_ptr_nonnull(strstr(xml, "tests=\"1\" failures=\"0\" "
				     "errors=\"0\""));
	ck_assert_ptr_nonnull(strstr(xml, "\"testr.interrupted\" value=\"false\""));
	ck_assert_ptr_null(strstr(xml, "name=\"interrupted\""));
	json = render(r, TESTR_REPORT_JSON);
	ck_assert_ptr_nonnull(strstr(json, "\"interrupted\": false"));
	free(json);
	free(xml);
	testr_report_free(r);
}
END_TEST

/* No CDATA anywhere: "]]>" in a traceback or an id is only text. */
START_TEST(report_junit_text_never_holds_a_cdata_end)
{
	struct testr_report *r = new_report();
	char *xml;

	status(r, "p.t]]>", TESTR_STATUS_INPROGRESS, 1);
	attach(r, "p.t]]>", "traceback", "x ]]> y\n", 8);
	status(r, "p.t]]>", TESTR_STATUS_FAIL, 2);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_ptr_null(strstr(xml, "]]>"));
	ck_assert_ptr_nonnull(strstr(xml, "name=\"t]]&gt;\""));
	ck_assert_ptr_nonnull(strstr(xml, ">x ]]&gt; y\n</failure>"));
	free(xml);
	testr_report_free(r);
}
END_TEST

/* A 1 MiB traceback of one line of "é": the message keeps 1 KiB of it,
 * cut on a character, never half of one written as \xNN. */
START_TEST(report_junit_message_of_a_long_line_is_cut_on_a_character)
{
	struct testr_report *r = new_report();
	size_t len = 1u << 20;
	char *tb = malloc(len), *xml, *msg;

	ck_assert_ptr_nonnull(tb);
	tb[0] = 'x';	/* then characters at odd offsets: 1023 starts one */
	for (size_t i = 1; i + 2 < len; i += 2)
		memcpy(tb + i, "\xc3\xa9", 2);
	status(r, "p.long", TESTR_STATUS_INPROGRESS, 1);
	attach(r, "p.long", "traceback", tb, len - 1);
	status(r, "p.long", TESTR_STATUS_FAIL, 2);
	xml = render(r, TESTR_REPORT_JUNIT);
	msg = strstr(xml, "<failure message=\"");
	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_null(strstr(xml, "\\x"));
	ck_assert_ptr_nonnull(strstr(msg, "\" type=\"fail\">"));
	ck_assert_uint_le((size_t)(strstr(msg, "\" type=") - msg) - 18, 1024);
	free(xml);
	free(tb);
	testr_report_free(r);
}
END_TEST

/* The repository counts a failure of the empty id; so must the report. */
START_TEST(report_test_with_an_empty_id_is_reported)
{
	struct testr_report *r = new_report();
	struct testr_report_totals n;
	char *xml, *json;

	status(r, "", TESTR_STATUS_FAIL, 1);
	testr_report_totals(&n, r);
	ck_assert_uint_eq(n.fail, 1);
	xml = render(r, TESTR_REPORT_JUNIT);
	ck_assert_ptr_nonnull(strstr(xml, "failures=\"1\""));
	ck_assert_ptr_nonnull(strstr(xml, "<testcase classname=\"\" name=\"\" "));
	json = render(r, TESTR_REPORT_JSON);
	ck_assert_ptr_nonnull(strstr(json, "{\"id\": \"\", \"status\": \"fail\""));
	free(json);
	free(xml);
	testr_report_free(r);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, report_test_with_an_empty_id_is_reported);
	HARNESS_ADD(h, report_of_an_interrupted_run_is_not_green);
	HARNESS_ADD(h, report_new_of_a_stored_run_has_its_id_and_flag_and_no_tests);
	HARNESS_ADD(h, report_of_a_full_run_says_it_was_not_interrupted);
	HARNESS_ADD(h, report_junit_text_never_holds_a_cdata_end);
	HARNESS_ADD(h, report_junit_message_of_a_long_line_is_cut_on_a_character);
	HARNESS_ADD(h, report_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, report_github_annotation_escapes_id_and_traceback);
	HARNESS_ADD(h, report_gitlab_section_header_cannot_hold_a_marker);
	HARNESS_ADD(h, report_spooled_tests_keep_their_order_and_output);
	HARNESS_ADD(h, report_writes_the_same_twice);
	HARNESS_ADD(h, report_retry_that_passes_is_flaky);
	HARNESS_ADD(h, report_record_never_finished_is_an_error_not_a_pass);
	HARNESS_ADD(h, report_junit_escapes_markup_controls_and_bad_utf8_in_ids);
	HARNESS_ADD(h, report_json_escapes_bad_utf8_as_text_and_controls_as_unicode);
	HARNESS_ADD(h, report_junit_splits_classname_before_parameters);
	HARNESS_ADD(h, report_enumeration_alone_is_not_a_test);
	HARNESS_ADD(h, report_rejects_unknown_format);
}
