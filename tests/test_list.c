/* Unit tests for lib/list.c: the ids of a listing or a list file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "list";

static int
encode_to(void *userdata, const void *buf, size_t len)
{
	FILE *f = userdata;

	return fwrite(buf, 1, len, f) == len ? 0 : TESTR_EIO;
}

START_TEST(list_parse_takes_exists_ids_from_v2)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_event ev = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = "a.b";
	ev.status = TESTR_STATUS_EXISTS;
	testr_subunit_encode_v2(NULL, &ev, encode_to, f);
	fputs("noise line\n", f);
	ev.test_id = "ignored.inprogress";
	ev.status = TESTR_STATUS_INPROGRESS;
	testr_subunit_encode_v2(NULL, &ev, encode_to, f);
	ev.test_id = "c.ü";
	ev.status = TESTR_STATUS_EXISTS;
	testr_subunit_encode_v2(NULL, &ev, encode_to, f);
	fclose(f);
	ck_assert_int_eq(testr_run_parse_listing(&ids, NULL, buf, len), 0);
	ck_assert_uint_eq(ids.n, 2);
	ck_assert_str_eq(ids.v[0], "a.b");
	ck_assert_str_eq(ids.v[1], "c.ü");
	testr_strv_dispose(&ids);
	free(buf);
}
END_TEST

START_TEST(list_parse_takes_plain_lines_without_subunit)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	const char text[] = "  one \n\ntwo\r\n\tthree";

	ck_assert_int_eq(testr_run_parse_listing(&ids, NULL, text,
						 sizeof(text) - 1), 0);
	ck_assert_uint_eq(ids.n, 3);
	ck_assert_str_eq(ids.v[0], "one");
	ck_assert_str_eq(ids.v[1], "two");
	ck_assert_str_eq(ids.v[2], "three");
	testr_strv_dispose(&ids);
}
END_TEST

START_TEST(list_parse_strips_unicode_space_as_python_str_strip)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	/* NBSP, EM SPACE, U+0085 and the ASCII separators \x1c-\x1f are all
	 * str.isspace() in Python, which strips the decoded lines. */
	const char text[] = "\xc2\xa0one\xe2\x80\x83\n\x1ftwo\xc2\x85\n"
			    "\xe2\x80\x83\n";

	ck_assert_int_eq(testr_run_parse_listing(&ids, NULL, text,
						 sizeof(text) - 1), 0);
	ck_assert_uint_eq(ids.n, 2);
	ck_assert_str_eq(ids.v[0], "one");
	ck_assert_str_eq(ids.v[1], "two");
	testr_strv_dispose(&ids);
}
END_TEST

START_TEST(list_parse_refuses_a_plain_line_holding_nul_naming_line_and_id)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_context *ctx;
	/* Cut at the NUL, the id would be x.one: another test. */
	const char text[] = "x.one\n\n  x.one\0;rm -rf\x1b \nx.two\n";

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ck_assert_int_eq(testr_run_parse_listing(&ids, ctx, text,
						 sizeof(text) - 1),
			 TESTR_EPARSE);
	ck_assert_str_eq(testr_context_error(ctx), "the test listing, line 3: "
			 "test id 'x.one\\x00;rm -rf\\x1b' holds a NUL byte, "
			 "which no test id can carry");
	testr_strv_dispose(&ids);
	testr_context_free(ctx);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, list_parse_takes_exists_ids_from_v2);
	HARNESS_ADD(h, list_parse_takes_plain_lines_without_subunit);
	HARNESS_ADD(h, list_parse_strips_unicode_space_as_python_str_strip);
	HARNESS_ADD(h, list_parse_refuses_a_plain_line_holding_nul_naming_line_and_id);
}
