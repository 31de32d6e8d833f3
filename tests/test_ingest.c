/* Unit tests for lib/ingest.c: the one path from bytes to the sinks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "ingest";

/* What both sinks saw, one line per event: "<sink> <what>". */
struct seen {
	char text[8192];
	int store_rc;		/* the store sink returns this */
	size_t n_store, n_display;
};

static void
record(struct seen *s, const char *sink, const struct testr_event *ev)
{
	size_t at = strlen(s->text), room = sizeof(s->text) - at;
	int n;

	if (ev->fields & TESTR_EVENT_TEST_ID)
		n = snprintf(s->text + at, room, "%s %s %s", sink,
			     testr_status_name(ev->status), ev->test_id);
	else
		n = snprintf(s->text + at, room, "%s", sink);
	if (n > 0 && (ev->fields & TESTR_EVENT_FILE))
		n += snprintf(s->text + at + n, room - (size_t)n,
			      " file %s '%.*s'", ev->file_name,
			      (int)ev->file_len, (const char *)ev->file_bytes);
	for (size_t i = 0; n > 0 && i < ev->n_tags; i++)
		n += snprintf(s->text + at + n, room - (size_t)n, " #%s",
			      ev->tags[i]);
	if (ev->fields & TESTR_EVENT_ROUTE_CODE)
		n += snprintf(s->text + at + n, room - (size_t)n, " @%s",
			      ev->route_code);
	snprintf(s->text + at + n, room - (size_t)n, "\n");
}

static int
on_store(void *userdata, const struct testr_event *ev)
{
	struct seen *s = userdata;

	s->n_store++;
	record(s, "store", ev);
	return s->store_rc;
}

static int
on_display(void *userdata, const struct testr_event *ev)
{
	struct seen *s = userdata;

	s->n_display++;
	record(s, "display", ev);
	return 0;
}

static struct testr_ingest *
new_ingest(struct testr_context *ctx, struct seen *s, size_t worker,
	   enum testr_ingest_protocol protocol)
{
	struct testr_ingest_options o = TESTR_INGEST_OPTIONS_INIT;
	struct testr_ingest *ing = NULL;

	o.protocol = protocol;
	o.worker = worker;
	o.on_store = on_store;
	o.store_userdata = s;
	o.on_event = on_display;
	o.event_userdata = s;
	ck_assert_int_eq(testr_ingest_new(&ing, ctx, &o), 0);
	return ing;
}

/* v2 bytes of one status event. */
struct bytes {
	unsigned char b[512];
	size_t n;
};

static int
append(void *userdata, const void *buf, size_t len)
{
	struct bytes *out = userdata;

	ck_assert_uint_le(out->n + len, sizeof(out->b));
	memcpy(out->b + out->n, buf, len);
	out->n += len;
	return 0;
}

static void
encode(struct bytes *out, const char *id, enum testr_status st)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = id;
	ev.status = st;
	ck_assert_int_eq(testr_subunit_encode_v2(NULL, &ev, append, out), 0);
}

START_TEST(ingest_protocol_names_are_subunit_and_tap)
{
	enum testr_ingest_protocol p = TESTR_INGEST_SUBUNIT_V1;

	ck_assert_int_eq(testr_ingest_protocol_from_name(&p, "tap"), 0);
	ck_assert_int_eq(p, TESTR_INGEST_TAP);
	ck_assert_int_eq(testr_ingest_protocol_from_name(&p, "subunit"), 0);
	ck_assert_int_eq(p, TESTR_INGEST_AUTO);
	ck_assert_int_eq(testr_ingest_protocol_from_name(&p, "TAP"),
			 TESTR_EINVAL);
	ck_assert_int_eq(p, TESTR_INGEST_AUTO);
}
END_TEST

START_TEST(ingest_adds_worker_tag_once)
{
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "" };
	struct testr_ingest *ing;
	const char *tags[] = { "slow", "worker-2" };
	struct testr_event ev = { 0 };

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ing = new_ingest(ctx, &s, 2, TESTR_INGEST_AUTO);
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TAGS;
	ev.test_id = "a";
	ev.status = TESTR_STATUS_FAIL;
	ev.tags = tags;
	ev.n_tags = 2;
	ck_assert_int_eq(testr_ingest_event(ing, &ev), 0);
	ev.n_tags = 1;
	ck_assert_int_eq(testr_ingest_event(ing, &ev), 0);
	ck_assert_str_eq(s.text,
			 "store fail a #slow #worker-2 @2\n"
			 "display fail a #slow #worker-2 @2\n"
			 "store fail a #slow #worker-2 @2\n"
			 "display fail a #slow #worker-2 @2\n");
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_routes_inner_code_under_worker)
{
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "" };
	struct testr_ingest *ing;
	struct testr_event ev = { 0 };

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ing = new_ingest(ctx, &s, 0, TESTR_INGEST_AUTO);
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_ROUTE_CODE;
	ev.test_id = "a";
	ev.status = TESTR_STATUS_SUCCESS;
	ev.route_code = "3/1";
	ck_assert_int_eq(testr_ingest_event(ing, &ev), 0);
	ck_assert_str_eq(s.text, "store success a #worker-0 @0/3/1\n"
				 "display success a #worker-0 @0/3/1\n");
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_turns_bad_crc_into_parser_failure)
{
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "" };
	struct testr_ingest *ing;
	struct bytes b = { .n = 0 };

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	encode(&b, "ok", TESTR_STATUS_SUCCESS);
	encode(&b, "bad", TESTR_STATUS_FAIL);
	b.b[b.n - 1] ^= 0xff;	/* the failure's CRC */
	ing = new_ingest(ctx, &s, 1, TESTR_INGEST_AUTO);
	ck_assert_int_eq(testr_ingest_feed(ing, b.b, b.n), 0);
	ck_assert_int_eq(testr_ingest_finish(ing), 0);
	ck_assert_uint_eq(testr_ingest_corrupt_count(ing), 1);
	ck_assert_msg(strstr(s.text, "store success ok #worker-1 @1\n"),
		      "%s", s.text);
	ck_assert_msg(strstr(s.text, "store undefined subunit.parser file Parser Error 'worker-1: "
			     "corrupt at byte 11: bad CRC32' #worker-1 @1\n"),
		      "%s", s.text);
	ck_assert_msg(strstr(s.text, "store fail subunit.parser #worker-1 @1\n"
				     "display fail subunit.parser"),
		      "%s", s.text);
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_turns_truncated_stream_into_failure)
{
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "" };
	struct testr_ingest *ing;
	struct bytes b = { .n = 0 };

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	encode(&b, "cut", TESTR_STATUS_FAIL);
	ing = new_ingest(ctx, &s, 0, TESTR_INGEST_SUBUNIT_V2);
	ck_assert_int_eq(testr_ingest_feed(ing, b.b, b.n - 3), 0);
	ck_assert_int_eq(testr_ingest_finish(ing), 0);
	ck_assert_msg(strstr(s.text, "store fail subunit.parser"), "%s",
		      s.text);
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_keeps_noise_for_both_sinks)
{
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "" };
	struct testr_ingest *ing;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ing = new_ingest(ctx, &s, 0, TESTR_INGEST_AUTO);
	ck_assert_int_eq(testr_ingest_feed(ing, "warming up\n", 11), 0);
	ck_assert_int_eq(testr_ingest_finish(ing), 0);
	ck_assert_str_eq(s.text,
			 "store file stdout 'warming up\n' #worker-0 @0\n"
			 "display file stdout 'warming up\n' #worker-0 @0\n");
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_decodes_v1_with_the_same_rule)
{
	static const char v1[] = "test: t.one\nfailure: t.one\n";
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "" };
	struct testr_ingest *ing;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ing = new_ingest(ctx, &s, 4, TESTR_INGEST_AUTO);
	ck_assert_int_eq(testr_ingest_feed(ing, v1, strlen(v1)), 0);
	ck_assert_int_eq(testr_ingest_finish(ing), 0);
	ck_assert_msg(strstr(s.text, "store fail t.one #worker-4 @4\n"),
		      "%s", s.text);
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_reads_tap_by_the_same_rule)
{
	static const char tap[] = "1..2\nok 1 - first\nnot ok 2 - second\n";
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "" };
	struct testr_ingest *ing;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ing = new_ingest(ctx, &s, 1, TESTR_INGEST_TAP);
	ck_assert_int_eq(testr_ingest_feed(ing, tap, strlen(tap)), 0);
	ck_assert_int_eq(testr_ingest_finish(ing), 0);
	ck_assert_msg(strstr(s.text, "store fail second #worker-1 @1\n"),
		      "%s", s.text);
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_stops_at_a_store_error_before_display)
{
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "", .store_rc = TESTR_EIO };
	struct testr_ingest *ing;
	struct bytes b = { .n = 0 };

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	encode(&b, "a", TESTR_STATUS_SUCCESS);
	encode(&b, "b", TESTR_STATUS_SUCCESS);
	ing = new_ingest(ctx, &s, 0, TESTR_INGEST_AUTO);
	ck_assert_int_eq(testr_ingest_feed(ing, b.b, b.n), TESTR_EIO);
	ck_assert_int_eq(testr_ingest_finish(ing), TESTR_EIO);
	ck_assert_uint_eq(s.n_store, 1);
	ck_assert_uint_eq(s.n_display, 0);
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_file_names_a_missing_file)
{
	struct testr_context *ctx = NULL;
	struct seen s = { .text = "" };
	struct testr_ingest *ing;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ing = new_ingest(ctx, &s, 0, TESTR_INGEST_AUTO);
	ck_assert_int_eq(testr_ingest_file(ing, "/nonexistent/stream"),
			 TESTR_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx),
				     "/nonexistent/stream"));
	testr_ingest_free(ing);
	testr_context_free(ctx);
}
END_TEST

START_TEST(ingest_refuses_unknown_options_version)
{
	struct testr_ingest_options o = TESTR_INGEST_OPTIONS_INIT;
	struct testr_ingest *ing = (void *)&o;
	struct testr_context *ctx;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(ctx,
			testr_ingest_new(&ing, ctx, &o),
			"testr_ingest_options", v);
		ck_assert_ptr_null(ing);
	}
	testr_context_free(ctx);
	o.version = 1;
	o.protocol = (enum testr_ingest_protocol)42;
	ck_assert_int_eq(testr_ingest_new(&ing, NULL, &o), TESTR_EINVAL);
	ck_assert_ptr_null(ing);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, ingest_protocol_names_are_subunit_and_tap);
	HARNESS_ADD(h, ingest_adds_worker_tag_once);
	HARNESS_ADD(h, ingest_routes_inner_code_under_worker);
	HARNESS_ADD(h, ingest_turns_bad_crc_into_parser_failure);
	HARNESS_ADD(h, ingest_turns_truncated_stream_into_failure);
	HARNESS_ADD(h, ingest_keeps_noise_for_both_sinks);
	HARNESS_ADD(h, ingest_decodes_v1_with_the_same_rule);
	HARNESS_ADD(h, ingest_reads_tap_by_the_same_rule);
	HARNESS_ADD(h, ingest_stops_at_a_store_error_before_display);
	HARNESS_ADD(h, ingest_file_names_a_missing_file);
	HARNESS_ADD(h, ingest_refuses_unknown_options_version);
}
