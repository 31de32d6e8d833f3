/*
 * libtestr: the one ingest path, from a runner's bytes to stored and
 * displayed events.  testr run feeds each worker's stdout through one ingest;
 * testr load feeds each stream through one; a C tool can do the same.
 *
 * Every event, decoded or made up, passes one rule: its tags gain
 * "worker-N" (once: a tag already there is not repeated) and its route code
 * becomes "N", or "N/inner" when it carried one, as testrepository's
 * concurrent suite routes them.  It then goes to the store sink first (the
 * repository writer, so nothing shown is unstored), then the display sink.
 * Corrupt input becomes a failure of the test "subunit.parser", as
 * testrepository reports a stream it cannot parse, so a damaged stream can
 * never look green.  Bytes that are not protocol (a runner's prints) come
 * out in order as file events named "stdout" without a test id: nothing a
 * runner prints vanishes.
 */
#ifndef TESTR_INGEST_H
#define TESTR_INGEST_H

#include <testr/common.h>
#include <testr/repo.h>
#include <testr/subunit.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the bytes are read; values beyond these are other stream formats. */
enum testr_ingest_protocol {
	/* subunit v2 or v1, decided from the stream (see testr_subunit_version) */
	TESTR_INGEST_AUTO = 0,
	TESTR_INGEST_SUBUNIT_V1 = 1,
	TESTR_INGEST_SUBUNIT_V2 = 2,
	/* TAP 13/14 (see TESTR_SUBUNIT_TAP); never chosen by AUTO */
	TESTR_INGEST_TAP = 3,
};

struct testr_ingest_options {
	unsigned version;			/* = 1 */
	enum testr_ingest_protocol protocol;
	/* N of worker-N: the tag and route every event gets. */
	size_t worker;
	/* Names the stream in corruption failures ("stdin", a path); NULL:
	 * "worker-N". */
	const char *source;
	/* Each event, tagged and routed: first to the store... */
	testr_event_fn on_store;
	void *store_userdata;
	/* ...then to the display (either may be NULL). */
	testr_event_fn on_event;
	void *event_userdata;
	/* Told of each corrupt stretch after its failure was delivered (to
	 * warn the user); may be NULL. */
	testr_corrupt_fn on_corrupt;
	void *corrupt_userdata;
};

#define TESTR_INGEST_OPTIONS_INIT \
	{ .version = 1, .protocol = TESTR_INGEST_AUTO }

/**
 * The protocol a user names: "subunit" (v2 or v1, detected: AUTO) or "tap".
 * Returns 0, or TESTR_EINVAL for any other name (*@out untouched).
 */
TESTR_API int testr_ingest_protocol_from_name(
	enum testr_ingest_protocol *out, const char *name);

/** One stream being ingested; opaque. */
struct testr_ingest;

/**
 * Start ingesting one stream with @opts (copied; the strings it points to
 * must outlive the ingest).  Returns 0, TESTR_EINVAL (bad options, message
 * on @ctx) or TESTR_ENOMEM.  Free *@out with testr_ingest_free().
 */
TESTR_API int testr_ingest_new(struct testr_ingest **out,
			       struct testr_context *ctx,
			       const struct testr_ingest_options *opts);

/** Free the ingest; NULL is a no-op. */
TESTR_API void testr_ingest_free(struct testr_ingest *ing);

/**
 * Decode @len more bytes (any chunking) and deliver their events.  Returns
 * 0, TESTR_ENOMEM, or the first non-zero value a sink returned (negative
 * values as they were, others as TESTR_EABORT); after that nothing more is
 * delivered.  Corrupt input does not make this fail: it is delivered as a
 * failure.
 */
TESTR_API int testr_ingest_feed(struct testr_ingest *ing, const void *buf,
				size_t len);

/**
 * End of the stream: flush what is held (a truncated last packet or test
 * becomes a failure).  Returns as testr_ingest_feed().  Call it once.
 */
TESTR_API int testr_ingest_finish(struct testr_ingest *ing);

/**
 * Deliver an event made up by the caller (a dead worker, a lost test) by
 * the same rule: tagged, routed, store then display.  Returns as
 * testr_ingest_feed().
 */
TESTR_API int testr_ingest_event(struct testr_ingest *ing,
				 const struct testr_event *ev);

/**
 * Ingest a whole file (@path, or "-" for stdin), streamed, then finish.
 * Returns as testr_ingest_finish(), or TESTR_ENOTFOUND / TESTR_EIO when the
 * file cannot be opened or read (message on the context names it).
 */
TESTR_API int testr_ingest_file(struct testr_ingest *ing, const char *path);

/**
 * testrepository's filter_tags rule (testr.conf(5)): true when @ev is the
 * final status of a test that did not fail (success, uxsuccess, xfail or
 * skip) and carries one of @filter_tags.  Such a test is left out of the
 * count of tests run; a failure always counts.  An empty @filter_tags
 * filters nothing.
 */
TESTR_API bool testr_event_filtered(const struct testr_event *ev,
				    const struct testr_strv *filter_tags);

/**
 * Leave @n_filtered tests (those testr_event_filtered() picked out) out of
 * @sum's count of tests run (never below its failures); as testrepository
 * does, a filtered skip still counts among the skips.
 */
TESTR_API void testr_run_summary_filter(struct testr_run_summary *sum,
					uint64_t n_filtered);

/** How many corrupt stretches became failures so far. */
TESTR_API uint64_t testr_ingest_corrupt_count(const struct testr_ingest *ing);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_INGEST_H */
