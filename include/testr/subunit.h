/* libtestr: subunit v1/v2 streams as events. */
#ifndef TESTR_SUBUNIT_H
#define TESTR_SUBUNIT_H

#include <testr/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Test status, numbered as on the v2 wire. */
enum testr_status {
	TESTR_STATUS_UNDEFINED = 0,
	TESTR_STATUS_EXISTS = 1,
	TESTR_STATUS_INPROGRESS = 2,
	TESTR_STATUS_SUCCESS = 3,
	TESTR_STATUS_UXSUCCESS = 4,
	TESTR_STATUS_SKIP = 5,
	TESTR_STATUS_FAIL = 6,
	TESTR_STATUS_XFAIL = 7,
};

/** Lower-case name as python-subunit spells it ("success", "fail", ...). */
TESTR_API const char *testr_status_name(enum testr_status status);

/* Which optional fields of a struct testr_event are present. */
enum testr_event_field {
	TESTR_EVENT_TEST_ID = 1u << 0,
	TESTR_EVENT_TIMESTAMP = 1u << 1,
	TESTR_EVENT_TAGS = 1u << 2,
	TESTR_EVENT_ROUTE_CODE = 1u << 3,
	TESTR_EVENT_MIME_TYPE = 1u << 4,
	TESTR_EVENT_FILE = 1u << 5,	/* file_name and file_bytes */
};

/**
 * One subunit status event (the v2 packet model; v1 input is mapped onto
 * it).  All pointers are borrowed: valid only during the callback that
 * receives the event.  Strings are NUL-terminated; file_bytes is not.
 */
struct testr_event {
	unsigned fields;	/* TESTR_EVENT_* bits */
	enum testr_status status;
	bool runnable;
	bool eof;		/* last chunk of this file */
	int64_t ts_sec;		/* UTC seconds since the epoch */
	uint32_t ts_nsec;
	const char *test_id;
	const char *route_code;
	const char *const *tags;
	size_t n_tags;
	const char *mime_type;
	const char *file_name;
	const unsigned char *file_bytes;
	size_t file_len;
};

/**
 * Receives each decoded event.  Return 0 to go on; any other value stops
 * decoding and is returned by testr_subunit_decoder_feed().
 */
typedef int (*testr_event_fn)(void *userdata, const struct testr_event *ev);

/**
 * Told about each stretch of corrupt input: @offset is the byte offset in
 * the stream where it starts and @what a short reason ("bad CRC32",
 * "truncated packet", ...).  Decoding carries on after it.
 */
typedef void (*testr_corrupt_fn)(void *userdata, uint64_t offset,
				 const char *what);

enum testr_subunit_version {
	/*
	 * Decide from the stream: v2 at the first 0xb3 that starts a
	 * character, v1 at the first line opening with a v1 directive
	 * ("test:", "time:", "tags:", "progress:"); plain text before either
	 * comes out as noise, as both readers would give it.
	 */
	TESTR_SUBUNIT_AUTO = 0,
	TESTR_SUBUNIT_V1 = 1,
	TESTR_SUBUNIT_V2 = 2,
	/*
	 * TAP 13/14 mapped onto events: ok/not ok, # SKIP, # TODO, YAML
	 * blocks and comments as attachments, Bail out! and an unmet plan as
	 * failures (ids "Bail out!", "TAP plan").  Never chosen by AUTO.
	 */
	TESTR_SUBUNIT_TAP = 3,
};

struct testr_subunit_decoder_options {
	unsigned version;			/* = 1 */
	enum testr_subunit_version protocol;
	testr_event_fn on_event;
	testr_corrupt_fn on_corrupt;		/* may be NULL */
	void *userdata;
	/* File name given to non-subunit bytes (v2) ; NULL means "stdout". */
	const char *noise_file_name;
};

#define TESTR_SUBUNIT_DECODER_OPTIONS_INIT \
	{ .version = 1, .protocol = TESTR_SUBUNIT_AUTO }

/** A streaming subunit decoder (v1 or v2); opaque. */
struct testr_subunit_decoder;

/**
 * Create a streaming decoder.  Feed it any chunking of the input: the events
 * and corruption reports do not depend on it (except how noise is cut into
 * events).  Memory stays bounded: at most one v2 packet (4 MiB) or one v1
 * line/detail piece (1 MiB) is held.
 *
 * Non-subunit bytes come out in order as file events named noise_file_name
 * ("stdout"): no test id, no MIME type, runnable, at most 1 MiB each, as
 * python-subunit's ByteStreamToStreamResult(non_subunit_name=...) gives them.
 * v2 corruption: a bad header (version, length over 4 MiB) is reported and
 * its bytes kept as noise; a packet with a bad CRC32 or malformed fields is
 * reported and skipped whole; a truncated last packet is reported at finish
 * and its bytes kept as noise.  v1 input maps onto events as subunit-1to2
 * does.  Returns 0, TESTR_EINVAL or TESTR_ENOMEM; free with
 * testr_subunit_decoder_free().
 */
TESTR_API int testr_subunit_decoder_new(
	struct testr_subunit_decoder **out, struct testr_context *ctx,
	const struct testr_subunit_decoder_options *opts);

/** Free the decoder; NULL is a no-op. */
TESTR_API void testr_subunit_decoder_free(struct testr_subunit_decoder *dec);

/**
 * Decode @len more bytes.  Returns 0, TESTR_ENOMEM, or the non-zero value an
 * event callback returned.  Corrupt input is reported through on_corrupt and
 * does not make this fail.  After a non-zero return the rest of the input is
 * not decoded; only testr_subunit_decoder_free() remains meaningful.
 */
TESTR_API int testr_subunit_decoder_feed(struct testr_subunit_decoder *dec,
					 const void *buf, size_t len);

/**
 * End of input: flush what is buffered (a trailing partial packet is reported
 * as corrupt "truncated packet").  Returns as testr_subunit_decoder_feed().
 */
TESTR_API int testr_subunit_decoder_finish(struct testr_subunit_decoder *dec);

/** How many corrupt stretches have been reported so far. */
TESTR_API uint64_t testr_subunit_decoder_corrupt_count(
	const struct testr_subunit_decoder *dec);

/** Bytes consumed so far. */
TESTR_API uint64_t testr_subunit_decoder_offset(
	const struct testr_subunit_decoder *dec);

/**
 * Decode a whole file (path, or "-" for stdin) by streaming it through a
 * decoder with @opts.  Returns 0, TESTR_EIO (message on @ctx) or as
 * testr_subunit_decoder_feed().
 */
TESTR_API int testr_subunit_decode_file(
	struct testr_context *ctx, const char *path,
	const struct testr_subunit_decoder_options *opts);

/**
 * Receives encoded bytes.  Return 0 on success or a negative TESTR_E* code,
 * which the encoder returns to its caller.
 */
typedef int (*testr_write_fn)(void *userdata, const void *buf, size_t len);

/**
 * Encode one event as a v2 packet (CRC32 included) and hand it to @write.
 * Returns 0, TESTR_EINVAL (the packet would exceed the v2 size limit, or a
 * field is malformed; message on @ctx), TESTR_ENOMEM, or what @write returned.
 */
TESTR_API int testr_subunit_encode_v2(struct testr_context *ctx,
				      const struct testr_event *ev,
				      testr_write_fn write, void *userdata);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_SUBUNIT_H */
