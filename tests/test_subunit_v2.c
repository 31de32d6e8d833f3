/* Unit tests for lib/subunit_v2.c: the v2 packet codec. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include <zlib.h>

#include "../lib/subunit.h"
#include "harness.h"
#include "subunit-record.h"

const char harness_module[] = "subunit_v2";

struct bytes {
	unsigned char *p;
	size_t len, cap;
};

static int
bytes_write(void *userdata, const void *buf, size_t len)
{
	struct bytes *b = userdata;
	void *t = b->p;

	rec_grow(&t, &b->cap, b->len + len + 1);
	b->p = t;
	memcpy(b->p + b->len, buf, len);
	b->len += len;
	return 0;
}

static void
bytes_add(struct bytes *b, const char *s, size_t n)
{
	bytes_write(b, s, n);
}

static void
encode(struct bytes *b, const struct testr_event *ev)
{
	ck_assert_int_eq(testr_subunit_encode_v2(NULL, ev, bytes_write, b), 0);
}

/* Decode @len bytes fed @chunk at a time (0: all at once) into @r. */
static int
decode(const unsigned char *p, size_t len, size_t chunk, struct rec *r)
{
	return rec_decode(p, len, TESTR_SUBUNIT_V2, chunk, 0, r, NULL);
}

static char *
decode_text(const struct bytes *b, size_t chunk, size_t *n_corrupt)
{
	struct rec r = { 0 };
	char *s;

	ck_assert_int_eq(decode(b->p, b->len, chunk, &r), 0);
	s = strdup(rec_text(&r));
	if (n_corrupt)
		*n_corrupt = r.n_corrupt;
	rec_free(&r);
	return s;
}

static const char *const two_tags[] = { "worker-0", "alpha" };

static struct testr_event
full_event(void)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP |
		    TESTR_EVENT_TAGS | TESTR_EVENT_ROUTE_CODE |
		    TESTR_EVENT_MIME_TYPE | TESTR_EVENT_FILE;
	ev.status = TESTR_STATUS_FAIL;
	ev.runnable = true;
	ev.eof = true;
	ev.ts_sec = 1767323045;
	ev.ts_nsec = 678901000;
	ev.test_id = "pkg.mod.Test.test_\xc3\xa9t\xc3\xa9";
	ev.route_code = "0/1";
	ev.tags = two_tags;
	ev.n_tags = 2;
	ev.mime_type = "text/plain;charset=utf8";
	ev.file_name = "traceback";
	ev.file_bytes = (const unsigned char *)"boom\0\xb3\xff";
	ev.file_len = 7;
	return ev;
}

START_TEST(v2_every_field_round_trips)
{
	struct testr_event ev = full_event();
	struct bytes b = { 0 };
	char *got;

	encode(&b, &ev);
	got = decode_text(&b, 0, NULL);
	ck_assert_str_eq(got,
		"status=fail id=pkg.mod.Test.test_\\xc3\\xa9t\\xc3\\xa9 "
		"ts=1767323045.678901 tags=alpha,worker-0 route=0/1 "
		"mime=text/plain;charset=utf8 file=traceback "
		"bytes=boom\\x00\\xb3\\xff eof runnable\n");
	free(got);
	free(b.p);
}
END_TEST

/* Exact nanoseconds and field presence, beyond the canonical text. */
static int
keep_event(void *userdata, const struct testr_event *ev)
{
	struct testr_event *out = userdata;

	*out = *ev;
	out->test_id = NULL;	/* borrowed: gone after the callback */
	out->tags = NULL;
	out->file_bytes = NULL;
	out->file_name = out->mime_type = out->route_code = NULL;
	return 0;
}

static struct testr_event
round_trip(const struct testr_event *in)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_event out = { 0 };
	struct bytes b = { 0 };

	encode(&b, in);
	o.on_event = keep_event;
	o.userdata = &out;
	o.protocol = TESTR_SUBUNIT_V2;
	struct testr_subunit_decoder *dec;
	ck_assert_int_eq(testr_subunit_decoder_new(&dec, NULL, &o), 0);
	ck_assert_int_eq(testr_subunit_decoder_feed(dec, b.p, b.len), 0);
	ck_assert_int_eq(testr_subunit_decoder_finish(dec), 0);
	ck_assert_uint_eq(testr_subunit_decoder_corrupt_count(dec), 0);
	testr_subunit_decoder_free(dec);
	free(b.p);
	return out;
}

START_TEST(v2_every_status_and_flag_round_trips)
{
	for (int s = TESTR_STATUS_UNDEFINED; s <= TESTR_STATUS_XFAIL; s++)
		for (int flags = 0; flags < 4; flags++) {
			struct testr_event ev = { 0 }, out;

			ev.status = (enum testr_status)s;
			ev.runnable = flags & 1;
			ev.eof = flags & 2;
			ev.fields = TESTR_EVENT_TEST_ID;
			ev.test_id = "t";
			out = round_trip(&ev);
			ck_assert_int_eq(out.status, s);
			ck_assert_int_eq(out.runnable, ev.runnable);
			ck_assert_int_eq(out.eof, ev.eof);
			ck_assert_uint_eq(out.fields, TESTR_EVENT_TEST_ID);
		}
}
END_TEST

START_TEST(v2_each_optional_field_alone_round_trips)
{
	static const unsigned fields[] = {
		TESTR_EVENT_TEST_ID, TESTR_EVENT_TIMESTAMP, TESTR_EVENT_TAGS,
		TESTR_EVENT_ROUTE_CODE, TESTR_EVENT_MIME_TYPE,
		TESTR_EVENT_FILE, 0,
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct testr_event ev = full_event(), out;

		ev.fields = fields[i];
		out = round_trip(&ev);
		ck_assert_uint_eq(out.fields, fields[i]);
		if (fields[i] == TESTR_EVENT_TIMESTAMP) {
			ck_assert_int_eq(out.ts_sec, ev.ts_sec);
			ck_assert_uint_eq(out.ts_nsec, ev.ts_nsec);
		}
		if (fields[i] == TESTR_EVENT_FILE)
			ck_assert_uint_eq(out.file_len, ev.file_len);
	}
}
END_TEST

START_TEST(v2_timestamp_nanosecond_varint_boundaries_round_trip)
{
	static const uint32_t ns[] = { 0, 63, 64, 16383, 16384, 4194303,
				       4194304, 999999999 };
	static const int64_t secs[] = { 0, 1, 4294967295LL };

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		for (size_t k = 0; k < 3; k++) {
			struct testr_event ev = { 0 }, out;

			ev.fields = TESTR_EVENT_TIMESTAMP;
			ev.ts_sec = secs[k];
			ev.ts_nsec = ns[i];
			out = round_trip(&ev);
			ck_assert_int_eq(out.ts_sec, secs[k]);
			ck_assert_uint_eq(out.ts_nsec, ns[i]);
		}
}
END_TEST

/* The packet length field is 1, 2 or 3 bytes: pin both sides of each step
 * (64 and 16384 cannot occur: the field grows with the packet),
 * and the largest packet there is. */
START_TEST(v2_packet_length_varint_boundaries_round_trip)
{
	static const size_t totals[] = { 8, 63, 65, 16383, 16385,
					 SUBUNIT_V2_MAX_PACKET };
	/* signature + flags + "f" name + content varint + CRC, before the
	 * length field and the content. */
	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		size_t want = totals[i], content = 0;
		struct testr_event ev = { 0 }, out;
		unsigned char *blob;
		struct bytes b = { 0 };

		if (want == 8) {
			encode(&b, &ev);
			ck_assert_uint_eq(b.len, 8);
			free(b.p);
			continue;
		}
		/* Find the content length giving exactly @want bytes. */
		blob = calloc(1, want);
		ev.fields = TESTR_EVENT_FILE;
		ev.file_name = "f";
		ev.file_bytes = blob;
		for (content = want > 20 ? want - 20 : 0; content < want;
		     content++) {
			ev.file_len = content;
			b.len = 0;
			encode(&b, &ev);
			if (b.len >= want)
				break;
		}
		ck_assert_uint_eq(b.len, want);
		ck_assert_uint_eq(b.p[3] >> 6,
				  want < 64 ? 0 : want < 16384 ? 1 : 2);
		free(b.p);
		out = round_trip(&ev);
		ck_assert_uint_eq(out.file_len, content);
		free(blob);
	}
}
END_TEST

START_TEST(v2_encode_matches_python_subunit_bytes)
{
	/* From python-subunit's StreamResultToBytes for the same calls. */
	static const char want1[] =
		"b32ff32b695735a5e877350803666f6f0101610a746578742f706c61696e"
		"036c6f670268690130a924ca78";
	static const char want2[] = "b328020a01783c7621af";
	static const char *const tag_a[] = { "a" };
	struct testr_event ev = full_event();	/* every field set */
	struct bytes b = { 0 };
	char hex[256] = "";

	ev.status = TESTR_STATUS_SUCCESS;
	ev.test_id = "foo";
	ev.tags = tag_a;
	ev.n_tags = 1;
	ev.route_code = "0";
	ev.file_name = "log";
	ev.file_bytes = (const unsigned char *)"hi";
	ev.file_len = 2;
	ev.mime_type = "text/plain";
	encode(&b, &ev);
	for (size_t i = 0; i < b.len; i++)
		sprintf(hex + 2 * i, "%02x", b.p[i]);
	ck_assert_str_eq(hex, want1);
	memset(&ev, 0, sizeof(ev));
	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = "x";
	ev.status = TESTR_STATUS_INPROGRESS;
	b.len = 0;
	encode(&b, &ev);
	for (size_t i = 0; i < b.len; i++)
		sprintf(hex + 2 * i, "%02x", b.p[i]);
	ck_assert_str_eq(hex, want2);
	free(b.p);
}
END_TEST

/* A stream with packets, noise between and around them and a stray 0xb3. */
static void
mixed_stream(struct bytes *b)
{
	struct testr_event ev = full_event();

	bytes_add(b, "starting\n", 9);
	for (int i = 0; i < 5; i++) {
		ev.status = (enum testr_status)(i + 2);
		encode(b, &ev);
		bytes_add(b, "print \xc2\xb3 \xb3x\n", 11);
	}
	ev.file_len = 3000;	/* a 2-byte length, straddling many chunks */
	ev.file_bytes = calloc(1, 3000);
	encode(b, &ev);
	free((void *)ev.file_bytes);
	bytes_add(b, "bye", 3);
}

START_TEST(v2_byte_by_byte_feeding_equals_one_shot)
{
	struct bytes b = { 0 };
	size_t c1, c2;
	char *one, *bytewise;

	mixed_stream(&b);
	one = decode_text(&b, 0, &c1);
	bytewise = decode_text(&b, 1, &c2);
	ck_assert_str_eq(bytewise, one);
	ck_assert_uint_eq(c1, c2);
	ck_assert_ptr_nonnull(strstr(one, "status=skip"));
	free(one);
	free(bytewise);
	free(b.p);
}
END_TEST

START_TEST(v2_every_chunk_size_equals_one_shot)
{
	struct bytes b = { 0 };
	char *one, *chunked;

	mixed_stream(&b);
	one = decode_text(&b, 0, NULL);
	for (size_t chunk = 2; chunk < 400; chunk += 7) {
		chunked = decode_text(&b, chunk, NULL);
		ck_assert_str_eq(chunked, one);
		free(chunked);
	}
	free(one);
	free(b.p);
}
END_TEST

START_TEST(v2_noise_is_kept_in_order_as_stdout_file_events)
{
	struct testr_event ev = { 0 };
	struct bytes b = { 0 };
	char *got;

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = "a";
	ev.status = TESTR_STATUS_SUCCESS;
	bytes_add(&b, "one ", 4);
	encode(&b, &ev);
	bytes_add(&b, "two", 3);
	encode(&b, &ev);
	bytes_add(&b, "three", 5);
	got = decode_text(&b, 0, NULL);
	ck_assert_str_eq(got,
		"status=undefined file=stdout bytes=one\\x20 runnable\n"
		"status=success id=a\n"
		"status=undefined file=stdout bytes=two runnable\n"
		"status=success id=a\n"
		"status=undefined file=stdout bytes=three runnable\n");
	free(got);
	free(b.p);
}
END_TEST

/* "³" is C2 B3 in UTF-8; python-subunit does not start a packet at a 0xb3
 * that continues a character, and neither do we. */
START_TEST(v2_b3_inside_a_utf8_character_is_text)
{
	struct bytes b = { 0 };
	size_t corrupt;
	char *got;

	bytes_add(&b, "x\xc2\xb3y", 4);
	got = decode_text(&b, 1, &corrupt);
	ck_assert_str_eq(got, "status=undefined file=stdout "
			      "bytes=x\\xc2\\xb3y runnable\n");
	ck_assert_uint_eq(corrupt, 0);
	free(got);
	free(b.p);
}
END_TEST

START_TEST(v2_noise_events_are_at_most_one_mib)
{
	size_t n = 3 * SUBUNIT_NOISE_MAX + 5;
	unsigned char *p = malloc(n);
	struct rec r = { 0 };

	memset(p, 'x', n);
	ck_assert_int_eq(decode(p, n, 0, &r), 0);
	ck_assert_uint_eq(r.n_events, 4);
	ck_assert_uint_eq(r.noise_len, n);
	rec_free(&r);
	free(p);
}
END_TEST

START_TEST(v2_bad_crc_is_reported_with_offset_and_next_packet_decodes)
{
	struct testr_event ev = { 0 };
	struct bytes b = { 0 };
	struct rec r = { 0 };
	size_t second;

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.status = TESTR_STATUS_SUCCESS;
	ev.test_id = "first";
	encode(&b, &ev);
	second = b.len;
	ev.test_id = "second";
	encode(&b, &ev);
	ev.test_id = "third";
	encode(&b, &ev);
	b.p[second + 6] ^= 0x20;	/* "second" -> "Second" */
	ck_assert_int_eq(decode(b.p, b.len, 0, &r), 0);
	ck_assert_str_eq(rec_text(&r), "status=success id=first\n"
				       "status=success id=third\n");
	ck_assert_uint_eq(r.n_corrupt, 1);
	ck_assert_uint_eq(strtoull(r.corrupt, NULL, 10), second);
	ck_assert_ptr_nonnull(strstr(r.corrupt, "CRC"));
	rec_free(&r);
	free(b.p);
}
END_TEST

START_TEST(v2_truncated_tail_is_reported_and_kept_as_noise)
{
	struct testr_event ev = { 0 };
	struct bytes b = { 0 };
	struct rec r = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = "whole";
	encode(&b, &ev);
	encode(&b, &ev);
	b.len -= 3;
	ck_assert_int_eq(decode(b.p, b.len, 5, &r), 0);
	ck_assert_uint_eq(r.n_corrupt, 1);
	ck_assert_str_eq(r.corrupt, "14:truncated packet\n");
	ck_assert_str_eq(r.text, "status=undefined id=whole\n");
	/* The kept bytes are exactly the truncated packet's. */
	ck_assert_uint_eq(r.noise_len, b.len - 14);
	ck_assert_int_eq(memcmp(r.noise, b.p + 14, b.len - 14), 0);
	rec_free(&r);
	free(b.p);
}
END_TEST

START_TEST(v2_overlong_length_is_reported_and_next_packet_decodes)
{
	/* 0xc0 starts a 4-byte length: over the 4 MiB packet limit. */
	static const char bad[] = "\xb3\x20\x00\xc0\x40\x00\x00";
	struct testr_event ev = { 0 };
	struct bytes b = { 0 };
	struct rec r = { 0 };

	bytes_add(&b, bad, 7);
	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = "after";
	encode(&b, &ev);
	ck_assert_int_eq(decode(b.p, b.len, 1, &r), 0);
	ck_assert_uint_eq(r.n_corrupt, 1);
	ck_assert_str_eq(r.corrupt, "0:packet length over 4 MiB\n");
	ck_assert_str_eq(rec_text(&r),
		"status=undefined file=stdout "
		"bytes=\\xb3\\x20\\x00\\xc0@\\x00\\x00 runnable\n"
		"status=undefined id=after\n");
	rec_free(&r);
	free(b.p);
}
END_TEST

START_TEST(v2_bad_version_is_reported_and_kept_as_noise)
{
	struct rec r = { 0 };

	ck_assert_int_eq(decode((const unsigned char *)"a\xb3\x30z", 4, 0,
				&r), 0);
	ck_assert_str_eq(r.corrupt, "1:bad version in packet flags\n");
	ck_assert_str_eq(rec_text(&r), "status=undefined file=stdout "
				       "bytes=a\\xb30z runnable\n");
	rec_free(&r);
}
END_TEST

/* Build a packet with a valid CRC around an arbitrary body. */
static void
raw_packet(struct bytes *b, unsigned flags, const char *body, size_t n)
{
	unsigned char p[128];
	size_t total = 1 + 2 + 1 + n + 4;
	uint32_t crc;

	p[0] = 0xb3;
	p[1] = (unsigned char)(flags >> 8);
	p[2] = (unsigned char)flags;
	p[3] = (unsigned char)total;
	memcpy(p + 4, body, n);
	crc = (uint32_t)crc32(0, p, (unsigned)(4 + n));
	for (int k = 0; k < 4; k++)
		p[4 + n + k] = (unsigned char)(crc >> (24 - 8 * k));
	bytes_add(b, (const char *)p, total);
}

START_TEST(v2_malformed_fields_are_reported_and_skipped)
{
	static const struct {
		unsigned flags;
		const char *body;
		size_t n;
		const char *why;
	} cases[] = {
		{ 0x2008, "", 0, "reserved flag bit set" },
		{ 0x2800, "\x05" "ab", 3, "string extends past end" },
		{ 0x2800, "\x02" "a\x00", 3, "NUL-free UTF-8" },
		{ 0x2800, "\x02\xc3\x28", 3, "NUL-free UTF-8" },
		{ 0x2800, "\x03\xed\xa0\x80", 4, "NUL-free UTF-8" },
		{ 0x2800, "\x40", 1, "bad varint" },
		{ 0x2200, "\x00\x00", 2, "timestamp extends" },
		{ 0x2080, "\x09" "\x01" "a", 3, "tag count" },
		{ 0x2040, "\x01" "f" "\x09", 3, "file content extends" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct testr_event ev = { 0 };
		struct bytes b = { 0 };
		struct rec r = { 0 };

		raw_packet(&b, cases[i].flags, cases[i].body, cases[i].n);
		ev.fields = TESTR_EVENT_TEST_ID;
		ev.test_id = "next";
		encode(&b, &ev);
		ck_assert_int_eq(decode(b.p, b.len, 0, &r), 0);
		ck_assert_msg(strstr(r.corrupt, cases[i].why) != NULL,
			      "case %zu: %s", i, r.corrupt);
		ck_assert_uint_eq(r.n_corrupt, 1);
		ck_assert_int_eq(r.corrupt[0], '0');
		ck_assert_str_eq(rec_text(&r), "status=undefined id=next\n");
		rec_free(&r);
		free(b.p);
	}
}
END_TEST

START_TEST(v2_whole_packet_in_buffer_is_not_copied)
{
	struct testr_event ev = full_event();
	struct bytes b = { 0 };
	struct rec r = { 0 };

	ev.file_len = 7;
	encode(&b, &ev);
	ck_assert_int_eq(decode(b.p, b.len, 0, &r), 0);
	ck_assert_ptr_eq(r.last_file_bytes, b.p + b.len - 4 - 4 - 7);
	rec_free(&r);
	free(b.p);
}
END_TEST

START_TEST(v2_callback_stop_value_is_returned)
{
	struct testr_event ev = { 0 };
	struct bytes b = { 0 };
	struct rec r = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = "a";
	for (int i = 0; i < 4; i++)
		encode(&b, &ev);
	r.stop_after = 2;
	ck_assert_int_eq(decode(b.p, b.len, 0, &r), 1);
	ck_assert_uint_eq(r.n_events, 2);
	rec_free(&r);
	free(b.p);
}
END_TEST

START_TEST(v2_encode_rejects_what_the_wire_cannot_carry)
{
	struct testr_context *ctx;
	struct testr_event ev = { 0 };
	struct bytes b = { 0 };
	unsigned char *big = calloc(1, SUBUNIT_V2_MAX_PACKET);

	testr_context_new(&ctx);
	ev.fields = TESTR_EVENT_FILE;
	ev.file_name = "f";
	ev.file_bytes = big;
	ev.file_len = SUBUNIT_V2_MAX_PACKET - 8;
	ck_assert_int_eq(testr_subunit_encode_v2(ctx, &ev, bytes_write, &b),
			 TESTR_EINVAL);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "too long"));
	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = "bad \xff utf8";
	ck_assert_int_eq(testr_subunit_encode_v2(ctx, &ev, bytes_write, &b),
			 TESTR_EINVAL);
	ev.fields = TESTR_EVENT_TIMESTAMP;
	ev.ts_sec = -1;
	ck_assert_int_eq(testr_subunit_encode_v2(ctx, &ev, bytes_write, &b),
			 TESTR_EINVAL);
	ev.ts_sec = 0;
	ev.ts_nsec = 1000000000u;
	ck_assert_int_eq(testr_subunit_encode_v2(ctx, &ev, bytes_write, &b),
			 TESTR_EINVAL);
	ev.fields = 0;
	ev.status = (enum testr_status)8;
	ck_assert_int_eq(testr_subunit_encode_v2(ctx, &ev, bytes_write, &b),
			 TESTR_EINVAL);
	ck_assert_uint_eq(b.len, 0);
	free(big);
	testr_context_free(ctx);
}
END_TEST

static int
write_fails(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	(void)buf;
	(void)len;
	return TESTR_EIO;
}

START_TEST(v2_encode_returns_the_write_error)
{
	struct testr_event ev = { 0 };

	ck_assert_int_eq(testr_subunit_encode_v2(NULL, &ev, write_fails, NULL),
			 TESTR_EIO);
}
END_TEST

/* Random bytes, 0xb3-heavy so many look like packet headers: the decoder
 * must finish, keep every non-packet byte, and hold bounded memory. */
START_TEST(v2_garbage_never_grows_memory_and_keeps_bytes)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_subunit_decoder *dec;
	unsigned char buf[4096];
	struct rec r = { 0 };
	unsigned seed = 7;
	size_t fed = 0;

	o.protocol = TESTR_SUBUNIT_V2;
	o.on_event = rec_event;
	o.userdata = &r;
	ck_assert_int_eq(testr_subunit_decoder_new(&dec, NULL, &o), 0);
	for (int round = 0; round < 4000; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (seed >> 16) % 3 == 0 ? 0xb3
						       : (unsigned char)(seed >> 8);
		}
		ck_assert_int_eq(testr_subunit_decoder_feed(dec, buf,
							    sizeof(buf)), 0);
		fed += sizeof(buf);
		ck_assert_uint_le(dec->pend.cap, 2 * SUBUNIT_V2_MAX_PACKET);
		r.noise_len = 0;	/* only the count matters here */
	}
	ck_assert_int_eq(testr_subunit_decoder_finish(dec), 0);
	ck_assert_uint_eq(testr_subunit_decoder_offset(dec), fed);
	ck_assert_uint_gt(testr_subunit_decoder_corrupt_count(dec), 0);
	testr_subunit_decoder_free(dec);
	rec_free(&r);
}
END_TEST

START_TEST(v2_packet_crc_equals_zlib_crc32_for_every_length)
{
	size_t n = 5000;
	unsigned char *p = malloc(n);
	unsigned seed = 99;

	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
	for (size_t len = 0; len < 2100; len++)
		for (size_t start = 0; start < 3; start++)
			ck_assert_uint_eq(subunit_crc32(p + start, len),
					  (uint32_t)crc32(0, p + start,
							  (uInt)len));
	ck_assert_uint_eq(subunit_crc32(p, n), (uint32_t)crc32(0, p, n));
	free(p);
}
END_TEST

/* A 0xb3 (and the start of a header) as the last bytes of the stream. */
START_TEST(v2_lone_signature_at_the_end_is_reported_and_kept)
{
	for (size_t chunk = 0; chunk < 3; chunk++) {
		struct rec r = { 0 };

		ck_assert_int_eq(decode((const unsigned char *)"ok\xb3\x20",
					4, chunk, &r), 0);
		ck_assert_str_eq(r.corrupt, "2:truncated packet\n");
		ck_assert_str_eq(rec_text(&r), "status=undefined file=stdout "
					       "bytes=ok\\xb3\\x20 runnable\n");
		rec_free(&r);
	}
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, v2_every_field_round_trips);
	HARNESS_ADD(h, v2_every_status_and_flag_round_trips);
	HARNESS_ADD(h, v2_each_optional_field_alone_round_trips);
	HARNESS_ADD(h, v2_timestamp_nanosecond_varint_boundaries_round_trip);
	HARNESS_ADD(h, v2_packet_length_varint_boundaries_round_trip);
	HARNESS_ADD(h, v2_encode_matches_python_subunit_bytes);
	HARNESS_ADD(h, v2_byte_by_byte_feeding_equals_one_shot);
	HARNESS_ADD(h, v2_every_chunk_size_equals_one_shot);
	HARNESS_ADD(h, v2_noise_is_kept_in_order_as_stdout_file_events);
	HARNESS_ADD(h, v2_b3_inside_a_utf8_character_is_text);
	HARNESS_ADD(h, v2_noise_events_are_at_most_one_mib);
	HARNESS_ADD(h, v2_bad_crc_is_reported_with_offset_and_next_packet_decodes);
	HARNESS_ADD(h, v2_truncated_tail_is_reported_and_kept_as_noise);
	HARNESS_ADD(h, v2_overlong_length_is_reported_and_next_packet_decodes);
	HARNESS_ADD(h, v2_bad_version_is_reported_and_kept_as_noise);
	HARNESS_ADD(h, v2_malformed_fields_are_reported_and_skipped);
	HARNESS_ADD(h, v2_whole_packet_in_buffer_is_not_copied);
	HARNESS_ADD(h, v2_callback_stop_value_is_returned);
	HARNESS_ADD(h, v2_encode_rejects_what_the_wire_cannot_carry);
	HARNESS_ADD(h, v2_encode_returns_the_write_error);
	HARNESS_ADD(h, v2_garbage_never_grows_memory_and_keeps_bytes);
	HARNESS_ADD(h, v2_packet_crc_equals_zlib_crc32_for_every_length);
	HARNESS_ADD(h, v2_lone_signature_at_the_end_is_reported_and_kept);
}
