/*
 * The one ingest path: decode a stream, tag and route every event for its
 * worker, turn corruption into a failure, and hand each event to the store
 * before the display.  testr run (one per worker) and testr load (one per
 * stream) both come through here, so both reach the same verdict for the
 * same bytes.
 */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/ingest.h>
#include <testr/repo.h>

#include "context.h"
#include "fileio.h"
#include "strbuf.h"

/* Big enough that read() overhead vanishes, small enough to stay in cache. */

struct testr_ingest {
	struct testr_context *ctx;
	struct testr_ingest_options opts;
	struct testr_subunit_decoder *dec;
	char tag[32];			/* "worker-N" */
	const char *source;		/* opts.source, or the tag */
	struct strbuf route;		/* scratch: "N" or "N/inner" */
	const char **tags;		/* scratch: the event's tags + ours */
	size_t tags_cap;
	uint64_t corrupt;
	int error;			/* first sink error: nothing after it */
	bool finished;
};

static int
sink_error(struct testr_ingest *ing, int rc)
{
	if (rc != 0 && ing->error == 0)
		ing->error = rc < 0 ? rc : TESTR_EABORT;
	return ing->error;
}

/* The store first (as testrepository's CopyStreamResult), then display. */
static int
deliver(struct testr_ingest *ing, const struct testr_event *ev)
{
	const struct testr_ingest_options *o = &ing->opts;
	int rc = 0;

	if (o->on_store)
		rc = o->on_store(o->store_userdata, ev);
	if (rc == 0 && o->on_event)
		rc = o->on_event(o->event_userdata, ev);
	return sink_error(ing, rc);
}

/* @ev's tags plus worker-N unless it is there already, in ing->tags. */
static int
tag_event(struct testr_ingest *ing, struct testr_event *ev)
{
	size_t n = (ev->fields & TESTR_EVENT_TAGS) ? ev->n_tags : 0;
	bool have = false;

	if (n + 1 > ing->tags_cap) {
		const char **t = realloc(ing->tags, (n + 1) * sizeof(*t));

		if (!t)
			return TESTR_ENOMEM;
		ing->tags = t;
		ing->tags_cap = n + 1;
	}
	for (size_t i = 0; i < n; i++) {
		ing->tags[i] = ev->tags[i];
		have |= strcmp(ev->tags[i], ing->tag) == 0;
	}
	if (!have)
		ing->tags[n++] = ing->tag;
	ev->tags = ing->tags;
	ev->n_tags = n;
	ev->fields |= TESTR_EVENT_TAGS;
	return TESTR_OK;
}

/* "N", or "N/inner" for an event that carried a route code (testtools'
 * StreamToQueue prefixes any route code, even an empty one). */
static int
route_event(struct testr_ingest *ing, struct testr_event *ev)
{
	ing->route.len = 0;
	if (strbuf_add(&ing->route, ing->tag + strlen("worker-")) < 0)
		return TESTR_ENOMEM;
	if ((ev->fields & TESTR_EVENT_ROUTE_CODE) && ev->route_code &&
	    (strbuf_addc(&ing->route, '/') < 0 ||
	     strbuf_add(&ing->route, ev->route_code) < 0))
		return TESTR_ENOMEM;
	ev->route_code = ing->route.s;
	ev->fields |= TESTR_EVENT_ROUTE_CODE;
	return TESTR_OK;
}

TESTR_API int
testr_ingest_event(struct testr_ingest *ing, const struct testr_event *ev)
{
	struct testr_event tagged = *ev;
	int rc;

	if (ing->error)
		return ing->error;
	rc = tag_event(ing, &tagged);
	if (rc == 0)
		rc = route_event(ing, &tagged);
	if (rc < 0)
		return sink_error(ing, context_fail(ing->ctx, rc, "%s: out of "
						  "memory", ing->source));
	return deliver(ing, &tagged);
}

static int
decoded_event(void *userdata, const struct testr_event *ev)
{
	return testr_ingest_event(userdata, ev);
}

/* Corrupt input: a failure of "subunit.parser", then tell the caller. */
static void
on_corrupt(void *userdata, uint64_t offset, const char *what)
{
	struct testr_ingest *ing = userdata;

	ing->corrupt++;
	if (ing->error)
		return;
	context_log(ing->ctx, TESTR_LOG_DEBUG, "%s: corrupt at byte %llu: %s",
		  ing->source, (unsigned long long)offset, what);
	if (testr_repo_report_corrupt(ing->source, offset, what, decoded_event,
				      ing) != 0)
		return;	/* the error is kept in ing->error */
	if (ing->opts.on_corrupt)
		ing->opts.on_corrupt(ing->opts.corrupt_userdata, offset, what);
}

TESTR_API int
testr_ingest_protocol_from_name(enum testr_ingest_protocol *out,
				const char *name)
{
	/* config.c's test_format check accepts the same names. */
	if (strcmp(name, "subunit") == 0)
		*out = TESTR_INGEST_AUTO;
	else if (strcmp(name, "tap") == 0)
		*out = TESTR_INGEST_TAP;
	else
		return TESTR_EINVAL;
	return TESTR_OK;
}

/* The reader for the protocol.  Another stream format gets its reader
 * here, behind the same feed/finish calls; corruption it reports becomes
 * a failure like any other. */
static int
reader_new(struct testr_ingest *ing)
{
	struct testr_subunit_decoder_options o =
		TESTR_SUBUNIT_DECODER_OPTIONS_INIT;

	switch (ing->opts.protocol) {
	case TESTR_INGEST_AUTO:
		o.protocol = TESTR_SUBUNIT_AUTO;
		break;
	case TESTR_INGEST_SUBUNIT_V1:
		o.protocol = TESTR_SUBUNIT_V1;
		break;
	case TESTR_INGEST_SUBUNIT_V2:
		o.protocol = TESTR_SUBUNIT_V2;
		break;
	case TESTR_INGEST_TAP:
		o.protocol = TESTR_SUBUNIT_TAP;
		break;
	default:
		return context_fail(ing->ctx, TESTR_EINVAL, "ingest: unknown "
				  "protocol %d", (int)ing->opts.protocol);
	}
	o.on_event = decoded_event;
	o.on_corrupt = on_corrupt;
	o.userdata = ing;
	o.noise_file_name = "stdout";
	return testr_subunit_decoder_new(&ing->dec, ing->ctx, &o);
}

/* The bytes of each version of struct testr_ingest_options. */
static const size_t ingest_options_sizes[] = {
	OPTIONS_END(testr_ingest_options, corrupt_userdata),
};

TESTR_API int
testr_ingest_new(struct testr_ingest **out, struct testr_context *ctx,
		 const struct testr_ingest_options *opts)
{
	struct testr_ingest_options o = TESTR_INGEST_OPTIONS_INIT;
	struct testr_ingest *ing;
	int rc;

	*out = NULL;
	if (!opts)
		return context_fail(ctx, TESTR_EINVAL, "ingest: no options");
	rc = OPTIONS_COPY(ctx, &o, opts, testr_ingest_options,
			  ingest_options_sizes);
	if (rc < 0)
		return rc;
	ing = calloc(1, sizeof(*ing));
	if (!ing)
		return context_fail(ctx, TESTR_ENOMEM, "ingest: out of memory");
	ing->ctx = ctx;
	ing->opts = o;
	snprintf(ing->tag, sizeof(ing->tag), "worker-%zu", o.worker);
	ing->source = o.source ? o.source : ing->tag;
	rc = reader_new(ing);
	if (rc < 0) {
		testr_ingest_free(ing);
		return rc;
	}
	*out = ing;
	return TESTR_OK;
}

TESTR_API void
testr_ingest_free(struct testr_ingest *ing)
{
	if (!ing)
		return;
	testr_subunit_decoder_free(ing->dec);
	strbuf_dispose(&ing->route);
	free(ing->tags);
	free(ing);
}

TESTR_API int
testr_ingest_feed(struct testr_ingest *ing, const void *buf, size_t len)
{
	int rc;

	if (ing->error)
		return ing->error;
	rc = testr_subunit_decoder_feed(ing->dec, buf, len);
	return ing->error ? ing->error : sink_error(ing, rc);
}

TESTR_API int
testr_ingest_finish(struct testr_ingest *ing)
{
	int rc;

	if (ing->error || ing->finished)
		return ing->error;
	ing->finished = true;
	rc = testr_subunit_decoder_finish(ing->dec);
	return ing->error ? ing->error : sink_error(ing, rc);
}

TESTR_API bool
testr_event_filtered(const struct testr_event *ev,
		     const struct testr_strv *filter_tags)
{
	if (!filter_tags || filter_tags->n == 0 ||
	    !(ev->fields & TESTR_EVENT_TEST_ID) ||
	    !(ev->fields & TESTR_EVENT_TAGS))
		return false;
	/* testrepository's filterable states: every final one but fail. */
	if (ev->status != TESTR_STATUS_SUCCESS &&
	    ev->status != TESTR_STATUS_UXSUCCESS &&
	    ev->status != TESTR_STATUS_XFAIL &&
	    ev->status != TESTR_STATUS_SKIP)
		return false;
	for (size_t i = 0; i < ev->n_tags; i++)
		if (testr_strv_find(filter_tags, ev->tags[i]) >= 0)
			return true;
	return false;
}

TESTR_API void
testr_run_summary_filter(struct testr_run_summary *sum, uint64_t n_filtered)
{
	/* Only the run count, as testrepository: skips stay counted. */
	uint64_t room = sum->tests_run > sum->failures ?
			sum->tests_run - sum->failures : 0;

	sum->tests_run -= n_filtered < room ? n_filtered : room;
}

TESTR_API uint64_t
testr_ingest_corrupt_count(const struct testr_ingest *ing)
{
	return ing->corrupt;
}

/* A fileio_chunk_fn: feed the ingest, finishing it at the end. */
static int
ingest_chunk(void *userdata, const void *buf, size_t len)
{
	return len ? testr_ingest_feed(userdata, buf, len)
		   : testr_ingest_finish(userdata);
}

TESTR_API int
testr_ingest_file(struct testr_ingest *ing, const char *path)
{
	return fileio_stream_file(ing->ctx, path, ingest_chunk, ing);
}
