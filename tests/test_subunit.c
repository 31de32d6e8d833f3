/* Unit tests for lib/subunit.c: the decoder object, detection, files. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/testr.h>

#include "../lib/subunit.h"
#include "harness.h"
#include "subunit-record.h"

const char harness_module[] = "subunit";

START_TEST(status_names_match_python_subunit)
{
	static const char *const want[] = {
		"undefined", "exists", "inprogress", "success",
		"uxsuccess", "skip", "fail", "xfail",
	};

	for (int s = 0; s < 8; s++)
		ck_assert_str_eq(testr_status_name((enum testr_status)s),
				 want[s]);
	ck_assert_str_eq(testr_status_name((enum testr_status)8), "unknown");
	ck_assert_str_eq(testr_status_name((enum testr_status)-1), "unknown");
}
END_TEST

static int
write_fd(void *userdata, const void *buf, size_t len)
{
	return write(*(int *)userdata, buf, len) == (ssize_t)len ? 0
								 : TESTR_EIO;
}

/* A file holding one v2 packet for test "t" with @status, after @prefix. */
static char *
v2_file(const char *dir, const char *prefix, enum testr_status status)
{
	char *path = malloc(strlen(dir) + 16);
	struct testr_event ev = { 0 };
	int fd;

	sprintf(path, "%s/stream", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, prefix, strlen(prefix)),
			 (ssize_t)strlen(prefix));
	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = "t";
	ev.status = status;
	ck_assert_int_eq(testr_subunit_encode_v2(NULL, &ev, write_fd, &fd), 0);
	close(fd);
	return path;
}

static int
decode_path(const char *path, enum testr_subunit_version v, struct rec *r,
	    struct testr_context *ctx)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;

	o.protocol = v;
	o.on_event = rec_event;
	o.on_corrupt = rec_corrupt;
	o.userdata = r;
	return testr_subunit_decode_file(ctx, path, &o);
}

START_TEST(decode_file_reads_a_v2_file)
{
	char *dir = harness_tmpdir();
	char *path = v2_file(dir, "", TESTR_STATUS_SKIP);
	struct rec r = { 0 };

	ck_assert_int_eq(decode_path(path, TESTR_SUBUNIT_AUTO, &r, NULL), 0);
	ck_assert_str_eq(rec_text(&r), "status=skip id=t\n");
	rec_free(&r);
	free(path);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(decode_file_names_a_missing_file)
{
	struct testr_context *ctx;
	struct rec r = { 0 };

	testr_context_new(&ctx);
	ck_assert_int_eq(decode_path("/nonexistent/run", TESTR_SUBUNIT_AUTO,
				     &r, ctx), TESTR_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx),
				     "/nonexistent/run"));
	testr_context_free(ctx);
	rec_free(&r);
}
END_TEST

START_TEST(forced_v2_keeps_leading_text_as_noise)
{
	char *dir = harness_tmpdir();
	char *path = v2_file(dir, "hello\n", TESTR_STATUS_SUCCESS);
	struct rec r = { 0 };

	ck_assert_int_eq(decode_path(path, TESTR_SUBUNIT_V2, &r, NULL), 0);
	ck_assert_str_eq(rec_text(&r), "status=undefined file=stdout "
				       "bytes=hello\\x0a runnable\n"
				       "status=success id=t\n");
	rec_free(&r);
	free(path);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(auto_detects_v1_when_first_byte_is_not_b3)
{
	static const char v1[] = "test: a\nsuccess: a\n";
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_subunit_decoder *dec;
	struct rec r = { 0 };

	o.on_event = rec_event;
	o.userdata = &r;
	ck_assert_int_eq(testr_subunit_decoder_new(&dec, NULL, &o), 0);
	ck_assert_int_eq(testr_subunit_decoder_feed(dec, v1, 0), 0);
	ck_assert_int_eq(dec->protocol, TESTR_SUBUNIT_AUTO);
	testr_subunit_decoder_feed(dec, v1, strlen(v1));
	ck_assert_int_eq(dec->protocol, TESTR_SUBUNIT_V1);
	testr_subunit_decoder_free(dec);
	ck_assert_int_eq(testr_subunit_decoder_new(&dec, NULL, &o), 0);
	testr_subunit_decoder_feed(dec, "\xb3", 1);
	ck_assert_int_eq(dec->protocol, TESTR_SUBUNIT_V2);
	testr_subunit_decoder_free(dec);
	rec_free(&r);
}
END_TEST

START_TEST(decoder_refuses_options_without_a_callback)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_subunit_decoder *dec = (void *)1;
	struct testr_context *ctx;

	testr_context_new(&ctx);
	ck_assert_int_eq(testr_subunit_decoder_new(&dec, ctx, &o),
			 TESTR_EINVAL);
	ck_assert_ptr_null(dec);
	ck_assert_str_ne(testr_context_error(ctx), "");
	o.on_event = rec_event;
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(ctx,
			testr_subunit_decoder_new(&dec, ctx, &o),
			"testr_subunit_decoder_options", v);
		ck_assert_ptr_null(dec);
	}
	testr_subunit_decoder_free(NULL);
	testr_context_free(ctx);
}
END_TEST

START_TEST(decoder_counts_offset_and_names_noise_as_asked)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_subunit_decoder *dec;
	struct rec r = { 0 };

	o.protocol = TESTR_SUBUNIT_V2;
	o.on_event = rec_event;
	o.userdata = &r;
	o.noise_file_name = "worker-3";
	ck_assert_int_eq(testr_subunit_decoder_new(&dec, NULL, &o), 0);
	ck_assert_int_eq(testr_subunit_decoder_feed(dec, "abc", 3), 0);
	ck_assert_int_eq(testr_subunit_decoder_feed(dec, "de", 2), 0);
	ck_assert_int_eq(testr_subunit_decoder_finish(dec), 0);
	ck_assert_uint_eq(testr_subunit_decoder_offset(dec), 5);
	ck_assert_uint_eq(testr_subunit_decoder_corrupt_count(dec), 0);
	ck_assert_str_eq(rec_text(&r),
		"status=undefined file=worker-3 bytes=abc runnable\n"
		"status=undefined file=worker-3 bytes=de runnable\n");
	testr_subunit_decoder_free(dec);
	rec_free(&r);
}
END_TEST

/* A v2 success packet for id "t" after @prefix, in a malloc'd buffer. */
struct bytes {
	unsigned char *p;
	size_t len;
};

static int
append_bytes(void *userdata, const void *buf, size_t len)
{
	struct bytes *b = userdata;

	b->p = realloc(b->p, b->len + len);
	memcpy(b->p + b->len, buf, len);
	b->len += len;
	return 0;
}

static struct bytes
prefixed_v2(const char *prefix)
{
	struct bytes b = { NULL, 0 };
	struct testr_event ev = { 0 };

	append_bytes(&b, prefix, strlen(prefix));
	ev.fields = TESTR_EVENT_TEST_ID;
	ev.status = TESTR_STATUS_SUCCESS;
	ev.test_id = "t";
	ck_assert_int_eq(testr_subunit_encode_v2(NULL, &ev, append_bytes, &b), 0);
	return b;
}

/* The canonical text of decoding @p as @protocol fed @chunk at a time. */
static char *
decoded(const void *p, size_t len, enum testr_subunit_version protocol,
	size_t chunk)
{
	struct rec r = { 0 };
	char *text;

	ck_assert_int_eq(rec_decode(p, len, protocol, chunk, 0, &r, NULL), 0);
	text = strdup(rec_text(&r));
	rec_free(&r);
	return text;
}

/* AUTO must give what the right forced protocol gives, in any chunking. */
static void
assert_auto_equals(const void *p, size_t len, enum testr_subunit_version want)
{
	char *forced = decoded(p, len, want, 0);

	for (size_t chunk = 0; chunk <= 3; chunk++) {
		char *got = decoded(p, len, TESTR_SUBUNIT_AUTO, chunk);

		ck_assert_str_eq(got, forced);
		free(got);
	}
	free(forced);
}

/*
 * @prefix then a v2 packet: AUTO must find the packet (and @also in the
 * output, when given) and decode it as forced v2 does, in any chunking.
 */
static void
assert_v2_found_after(const char *prefix, const char *also)
{
	struct bytes b = prefixed_v2(prefix);
	char *got = decoded(b.p, b.len, TESTR_SUBUNIT_AUTO, 0);

	ck_assert_ptr_nonnull(strstr(got, "status=success id=t"));
	if (also)
		ck_assert_ptr_nonnull(strstr(got, also));
	assert_auto_equals(b.p, b.len, TESTR_SUBUNIT_V2);
	free(got);
	free(b.p);
}

START_TEST(auto_detects_v2_after_leading_noise)
{
	assert_v2_found_after("Warning: deprecated option\nloading...\n",
			      "bytes=Warning:");
}
END_TEST

START_TEST(auto_detects_v2_after_noise_without_newline)
{
	assert_v2_found_after("loading 10%...", NULL);
}
END_TEST

START_TEST(auto_detects_v1_after_leading_noise)
{
	static const char v1[] = "runner 1.0 starting\n\ntime: 2026-01-01 "
				 "00:00:00Z\ntest: a\nsuccess: a\n";
	char *got = decoded(v1, strlen(v1), TESTR_SUBUNIT_AUTO, 0);

	ck_assert_ptr_nonnull(strstr(got, "status=success id=a"));
	ck_assert_ptr_nonnull(strstr(got, "bytes=runner"));
	assert_auto_equals(v1, strlen(v1), TESTR_SUBUNIT_V1);
	free(got);
}
END_TEST

START_TEST(auto_does_not_take_utf8_text_for_a_v2_signature)
{
	/* "ó" is c3 b3: its second byte is not a packet start. */
	static const char v1[] = "Comprobación\ntest: a\nsuccess: a\n";
	char *got = decoded(v1, strlen(v1), TESTR_SUBUNIT_AUTO, 1);

	ck_assert_ptr_nonnull(strstr(got, "status=success id=a"));
	ck_assert_uint_eq(strstr(got, "corrupt") == NULL, 1);
	assert_auto_equals(v1, strlen(v1), TESTR_SUBUNIT_V1);
	free(got);
}
END_TEST

START_TEST(auto_finds_a_v2_packet_right_after_accented_text)
{
	/* "é" ends in 0xa9: the 0xb3 after it still starts a packet. */
	assert_v2_found_after("caf\xc3\xa9", NULL);
}
END_TEST

START_TEST(auto_ignores_lines_the_v1_reader_would_not_take)
{
	/* "test:foo" has no separator: v1 reads it as text, so it must not
	 * lock the decoder into v1 before the v2 packet. */
	assert_v2_found_after("test:foo\ntime:xyz\ntags\n", NULL);
}
END_TEST

START_TEST(auto_keeps_plain_text_as_noise_to_the_last_byte)
{
	static const char text[] = "no protocol here\ntes";
	char *got = decoded(text, strlen(text), TESTR_SUBUNIT_AUTO, 1);

	ck_assert_str_eq(got, "status=undefined file=stdout bytes=no\\x20"
			      "protocol\\x20here\\x0ates runnable\n");
	free(got);
}
END_TEST

/* "test: <id>" and its outcome, the id @id_len bytes long. */
static char *
v1_long_id(size_t id_len)
{
	size_t cap = 2 * id_len + 64;
	char *id = malloc(id_len + 1), *v1 = malloc(cap);

	memset(id, 'x', id_len);
	memcpy(id, "t.", 2);
	id[id_len] = '\0';
	snprintf(v1, cap, "test: %s\nfailure: %s\n", id, id);
	free(id);
	return v1;
}

START_TEST(auto_detects_v1_from_a_test_line_longer_than_256_bytes)
{
	char *v1 = v1_long_id(300);
	char *got = decoded(v1, strlen(v1), TESTR_SUBUNIT_AUTO, 0);

	ck_assert_ptr_nonnull(strstr(got, "status=fail id=t.xxx"));
	ck_assert_ptr_null(strstr(got, "file=stdout"));
	assert_auto_equals(v1, strlen(v1), TESTR_SUBUNIT_V1);
	free(got);
	free(v1);
}
END_TEST

START_TEST(auto_detects_v1_with_an_id_near_the_line_limit)
{
	char *v1 = v1_long_id((1u << 20) - 16);
	char *got = decoded(v1, strlen(v1), TESTR_SUBUNIT_AUTO, 0);

	ck_assert_ptr_nonnull(strstr(got, "status=fail id=t.xxx"));
	ck_assert_ptr_null(strstr(got, "file=stdout"));
	free(got);
	got = decoded(v1, strlen(v1), TESTR_SUBUNIT_AUTO, 4096);
	ck_assert_ptr_nonnull(strstr(got, "status=fail id=t.xxx"));
	free(got);
	free(v1);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, status_names_match_python_subunit);
	HARNESS_ADD(h, decode_file_reads_a_v2_file);
	HARNESS_ADD(h, decode_file_names_a_missing_file);
	HARNESS_ADD(h, forced_v2_keeps_leading_text_as_noise);
	HARNESS_ADD(h, auto_detects_v1_when_first_byte_is_not_b3);
	HARNESS_ADD(h, auto_detects_v2_after_leading_noise);
	HARNESS_ADD(h, auto_detects_v2_after_noise_without_newline);
	HARNESS_ADD(h, auto_detects_v1_after_leading_noise);
	HARNESS_ADD(h, auto_does_not_take_utf8_text_for_a_v2_signature);
	HARNESS_ADD(h, auto_finds_a_v2_packet_right_after_accented_text);
	HARNESS_ADD(h, auto_ignores_lines_the_v1_reader_would_not_take);
	HARNESS_ADD(h, auto_keeps_plain_text_as_noise_to_the_last_byte);
	HARNESS_ADD(h, decoder_refuses_options_without_a_callback);
	HARNESS_ADD(h, decoder_counts_offset_and_names_noise_as_asked);
	HARNESS_ADD(h, auto_detects_v1_from_a_test_line_longer_than_256_bytes);
	HARNESS_ADD(h, auto_detects_v1_with_an_id_near_the_line_limit);
}
