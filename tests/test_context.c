/* Unit tests for lib/context.c: errors and the log callback. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "../lib/context.h"
#include "harness.h"

const char harness_module[] = "context";

struct log_capture {
	int calls;
	enum testr_log_level level;
	char msg[256];
};

static void
capture(void *userdata, enum testr_log_level level, const char *msg)
{
	struct log_capture *c = userdata;

	c->calls++;
	c->level = level;
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

START_TEST(context_error_keeps_the_last_message)
{
	struct testr_context *ctx;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ck_assert_str_eq(testr_context_error(ctx), "");
	ck_assert_int_eq(context_fail(ctx, TESTR_EPARSE, "%s:%d: bad", "f", 3),
			 TESTR_EPARSE);
	ck_assert_str_eq(testr_context_error(ctx), "f:3: bad");
	testr_context_clear_error(ctx);
	ck_assert_str_eq(testr_context_error(ctx), "");
	testr_context_free(ctx);
}
END_TEST

START_TEST(context_log_respects_level_and_is_silent_by_default)
{
	struct testr_context *ctx;
	struct log_capture c = { 0 };

	testr_context_new(&ctx);
	context_log(ctx, TESTR_LOG_ERROR, "nobody listens");
	testr_context_set_log(ctx, capture, &c, TESTR_LOG_WARNING);
	context_log(ctx, TESTR_LOG_INFO, "too verbose");
	ck_assert_int_eq(c.calls, 0);
	context_log(ctx, TESTR_LOG_WARNING, "unknown option %s", "foo");
	ck_assert_int_eq(c.calls, 1);
	ck_assert_int_eq(c.level, TESTR_LOG_WARNING);
	ck_assert_str_eq(c.msg, "unknown option foo");
	testr_context_free(ctx);
}
END_TEST

START_TEST(context_fail_with_null_context_returns_code)
{
	ck_assert_int_eq(context_fail(NULL, TESTR_EIO, "x"), TESTR_EIO);
	ck_assert_str_eq(testr_context_error(NULL), "");
}
END_TEST

START_TEST(strerror_names_every_code)
{
	for (int c = TESTR_EABORT; c <= 0; c++)
		ck_assert_str_ne(testr_strerror(c), "unknown error");
	ck_assert_str_eq(testr_strerror(42), "unknown error");
}
END_TEST

START_TEST(context_fail_escapes_raw_bytes_into_one_line)
{
	struct testr_context *ctx;
	struct log_capture c = { 0 };

	testr_context_new(&ctx);
	testr_context_set_log(ctx, capture, &c, TESTR_LOG_DEBUG);
	context_fail(ctx, TESTR_EPARSE, "id %s: bad", "a\nb\x1b[31m\xff\xc2\x9b"
		   "t\xc3\xa9st\xe6\x97\xa5");
	/* Newline, ESC, invalid UTF-8 and a C1 control are escaped; valid
	 * UTF-8 stays. */
	ck_assert_str_eq(testr_context_error(ctx), "id a\\nb\\x1b[31m\\xff"
			 "\\xc2\\x9bt\xc3\xa9st\xe6\x97\xa5: bad");
	ck_assert_str_eq(c.msg, "error: id a\\nb\\x1b[31m\\xff\\xc2\\x9b"
			 "t\xc3\xa9st\xe6\x97\xa5: bad");
	context_log(ctx, TESTR_LOG_WARNING, "%s", "two\nlines\r\x07");
	ck_assert_str_eq(c.msg, "two\\nlines\\r\\x07");
	testr_context_free(ctx);
}
END_TEST

START_TEST(quote_escapes_invalid_utf8_and_cuts_on_a_character)
{
	char buf[16];

	ck_assert_str_eq(testr_quote(buf, sizeof(buf), "a'\\\xff\xed\xa0\x80", 7),
			 "'a\\'\\\\\\xff...'");
	ck_assert_str_eq(testr_quote(buf, sizeof(buf), "\xe6\x97\xa5\xe6\x97\xa5"
				     "\xe6\x97\xa5\xe6\x97\xa5", 12),
			 "'\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5...'");
	/* An overlong NUL and a surrogate are not UTF-8. */
	ck_assert_str_eq(testr_quote(buf, sizeof(buf), "\xc0\x80", 2),
			 "'\\xc0\\x80'");
}
END_TEST

/* Two versions of an options struct, as a header adds a field. */
struct demo_options {
	unsigned version;
	int first;		/* version 1 */
	int second;		/* version 2 */
};

static const size_t demo_sizes[] = {
	OPTIONS_END(demo_options, first),
	OPTIONS_END(demo_options, second),
};

START_TEST(options_copy_reads_an_old_version_only_to_its_end)
{
	size_t v1_size = offsetof(struct demo_options, second);
	struct demo_options *v1 = malloc(v1_size);
	struct demo_options o = { .version = 2, .second = 7 };

	ck_assert_ptr_nonnull(v1);
	memcpy(v1, &(struct demo_options){ 1, 5, 0 }, v1_size);
	ck_assert_int_eq(OPTIONS_COPY(NULL, &o, v1, demo_options,
				      demo_sizes), 0);
	/* The caller's fields, and the default where its version has none. */
	ck_assert_uint_eq(o.version, 1);
	ck_assert_int_eq(o.first, 5);
	ck_assert_int_eq(o.second, 7);
	free(v1);
}
END_TEST

START_TEST(options_copy_keeps_the_defaults_and_refuses_unknown_versions)
{
	struct demo_options o = { .version = 2, .first = 1, .second = 2 };
	struct demo_options v3 = { .version = 3, .first = 9 };
	struct testr_context *ctx;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ck_assert_int_eq(OPTIONS_COPY(ctx, &o, NULL, demo_options,
				      demo_sizes), 0);
	ck_assert_int_eq(o.first, 1);
	harness_assert_version_refused(ctx, OPTIONS_COPY(ctx, &o, &v3,
				       demo_options, demo_sizes),
				       "demo_options", 3);
	ck_assert_int_eq(o.first, 1);
	testr_context_free(ctx);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, options_copy_reads_an_old_version_only_to_its_end);
	HARNESS_ADD(h, options_copy_keeps_the_defaults_and_refuses_unknown_versions);
	HARNESS_ADD(h, context_fail_escapes_raw_bytes_into_one_line);
	HARNESS_ADD(h, quote_escapes_invalid_utf8_and_cuts_on_a_character);
	HARNESS_ADD(h, context_error_keeps_the_last_message);
	HARNESS_ADD(h, context_log_respects_level_and_is_silent_by_default);
	HARNESS_ADD(h, context_fail_with_null_context_returns_code);
	HARNESS_ADD(h, strerror_names_every_code);
}
