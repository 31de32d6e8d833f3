/* Unit tests for lib/context.c: errors and the log callback. */
#include <stdio.h>
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
	ck_assert_int_eq(testr_fail(ctx, TESTR_EPARSE, "%s:%d: bad", "f", 3),
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
	testr_log(ctx, TESTR_LOG_ERROR, "nobody listens");
	testr_context_set_log(ctx, capture, &c, TESTR_LOG_WARNING);
	testr_log(ctx, TESTR_LOG_INFO, "too verbose");
	ck_assert_int_eq(c.calls, 0);
	testr_log(ctx, TESTR_LOG_WARNING, "unknown option %s", "foo");
	ck_assert_int_eq(c.calls, 1);
	ck_assert_int_eq(c.level, TESTR_LOG_WARNING);
	ck_assert_str_eq(c.msg, "unknown option foo");
	testr_context_free(ctx);
}
END_TEST

START_TEST(context_fail_with_null_context_returns_code)
{
	ck_assert_int_eq(testr_fail(NULL, TESTR_EIO, "x"), TESTR_EIO);
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

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, context_error_keeps_the_last_message);
	HARNESS_ADD(h, context_log_respects_level_and_is_silent_by_default);
	HARNESS_ADD(h, context_fail_with_null_context_returns_code);
	HARNESS_ADD(h, strerror_names_every_code);
}
