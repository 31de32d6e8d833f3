/* subunit: the decoder object, protocol detection and helpers shared by the
 * v1 and v2 readers. */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "fileio.h"
#include "subunit.h"

/* Big enough that read() overhead vanishes, small enough to stay in cache. */

static const char *const status_names[] = {
	"undefined", "exists", "inprogress", "success",
	"uxsuccess", "skip", "fail", "xfail",
};

TESTR_API const char *
testr_status_name(enum testr_status status)
{
	if ((unsigned)status >= sizeof(status_names) / sizeof(status_names[0]))
		return "unknown";
	return status_names[status];
}

/* The bytes of each version of struct testr_subunit_decoder_options. */
static const size_t decoder_options_sizes[] = {
	OPTIONS_END(testr_subunit_decoder_options, noise_file_name),
};

TESTR_API int
testr_subunit_decoder_new(struct testr_subunit_decoder **out,
			  struct testr_context *ctx,
			  const struct testr_subunit_decoder_options *opts)
{
	struct testr_subunit_decoder_options o =
		TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_subunit_decoder *dec;
	int rc;

	*out = NULL;
	rc = OPTIONS_COPY(ctx, &o, opts, testr_subunit_decoder_options,
			  decoder_options_sizes);
	if (rc < 0)
		return rc;
	opts = opts ? &o : NULL;
	if (!opts || !opts->on_event ||
	    (unsigned)opts->protocol > TESTR_SUBUNIT_TAP)
		return context_fail(ctx, TESTR_EINVAL,
				  "subunit decoder: bad options");
	dec = calloc(1, sizeof(*dec));
	if (!dec)
		return context_fail(ctx, TESTR_ENOMEM, "subunit decoder: %s",
				  strerror(ENOMEM));
	dec->ctx = ctx;
	dec->opts = *opts;
	dec->noise_name = opts->noise_file_name ? opts->noise_file_name
						: "stdout";
	dec->protocol = opts->protocol;
	*out = dec;
	return TESTR_OK;
}

TESTR_API void
testr_subunit_decoder_free(struct testr_subunit_decoder *dec)
{
	if (!dec)
		return;
	subunit_v1_free(dec->v1);
	subunit_tap_free(dec->tap);
	strbuf_dispose(&dec->pend);
	strbuf_dispose(&dec->scratch);
	strbuf_dispose(&dec->sniff);
	free(dec->tagv);
	free(dec);
}

/*
 * AUTO detection.  Runners print text before their first packet (a warning,
 * a banner), so the first byte decides nothing.  Text lines are noise to
 * both readers, so they go out as noise while we wait; the stream is v2 at
 * the first 0xb3 on a character boundary, v1 at the first line that starts
 * with a directive a v1 stream can open with.  Only a line start that may
 * still become such a directive is held (a few bytes), so memory stays
 * bounded and noise is not delayed.
 */
static int
sniff_flush_noise(struct testr_subunit_decoder *dec, size_t n)
{
	int rc = subunit_emit_noise(dec, (const unsigned char *)dec->sniff.s, n);

	dec->offset += n;
	memmove(dec->sniff.s, dec->sniff.s + n, dec->sniff.len - n);
	dec->sniff.len -= n;
	return rc;
}

/* Settle on @protocol and replay the held bytes through its reader. */
static int
sniff_decide(struct testr_subunit_decoder *dec,
	     enum testr_subunit_version protocol)
{
	struct strbuf held = dec->sniff;
	int rc;

	dec->protocol = protocol;
	dec->sniff = (struct strbuf)STRBUF_INIT;
	rc = held.len ? testr_subunit_decoder_feed(dec, held.s, held.len) : 0;
	strbuf_dispose(&held);
	return rc;
}

/* Look at the line held in sniff, now @complete or not. */
static int
sniff_line(struct testr_subunit_decoder *dec, bool complete)
{
	int kind = dec->sniff_midline ? 0 :
		   subunit_v1_line_opens(dec->sniff.s, dec->sniff.len);
	size_t sig;

	if (kind > 0)
		return sniff_decide(dec, TESTR_SUBUNIT_V1);
	if (kind < 0)
		return TESTR_OK;	/* may still become "test: ..." */
	/* The v2 reader's own rule, so its UTF-8 state carries on. */
	sig = subunit_v2_noise_run(dec, (const unsigned char *)dec->sniff.s, 0,
				   dec->sniff.len);
	if (sig < dec->sniff.len) {
		int rc = sig ? sniff_flush_noise(dec, sig) : 0;

		return rc ? rc : sniff_decide(dec, TESTR_SUBUNIT_V2);
	}
	dec->sniff_midline = !complete;
	return sniff_flush_noise(dec, dec->sniff.len);
}

static int
sniff_feed(struct testr_subunit_decoder *dec, const unsigned char *p,
	   size_t len)
{
	while (len > 0 && dec->protocol == TESTR_SUBUNIT_AUTO) {
		const unsigned char *nl = memchr(p, '\n', len);
		size_t seg = nl ? (size_t)(nl - p) + 1 : len;
		int rc;

		if (strbuf_addn(&dec->sniff, (const char *)p, seg) < 0)
			return context_fail(dec->ctx, TESTR_ENOMEM,
					  "subunit decoder: %s", strerror(ENOMEM));
		rc = sniff_line(dec, nl != NULL);
		if (rc != 0)
			return rc;
		p += seg;
		len -= seg;
	}
	return len > 0 ? testr_subunit_decoder_feed(dec, p, len) : TESTR_OK;
}

TESTR_API int
testr_subunit_decoder_feed(struct testr_subunit_decoder *dec, const void *buf,
			   size_t len)
{
	const unsigned char *p = buf;

	if (len == 0)
		return TESTR_OK;
	if (dec->protocol == TESTR_SUBUNIT_AUTO)
		return sniff_feed(dec, p, len);
	if (dec->protocol == TESTR_SUBUNIT_V2)
		return subunit_v2_feed(dec, p, len);
	if (dec->protocol == TESTR_SUBUNIT_TAP)
		return subunit_tap_feed(dec, p, len);
	return subunit_v1_feed(dec, p, len);
}

TESTR_API int
testr_subunit_decoder_finish(struct testr_subunit_decoder *dec)
{
	if (dec->protocol == TESTR_SUBUNIT_V2)
		return subunit_v2_finish(dec);
	if (dec->protocol == TESTR_SUBUNIT_V1)
		return subunit_v1_finish(dec);
	if (dec->protocol == TESTR_SUBUNIT_TAP)
		return subunit_tap_finish(dec);
	/* AUTO to the end: a partial last line of plain text. */
	return dec->sniff.len ? sniff_flush_noise(dec, dec->sniff.len)
			      : TESTR_OK;
}

TESTR_API uint64_t
testr_subunit_decoder_corrupt_count(const struct testr_subunit_decoder *dec)
{
	return dec->n_corrupt;
}

TESTR_API uint64_t
testr_subunit_decoder_offset(const struct testr_subunit_decoder *dec)
{
	return dec->offset;
}

/* A fileio_chunk_fn: feed the decoder, finishing it at the end. */
static int
decode_chunk(void *userdata, const void *buf, size_t len)
{
	return len ? testr_subunit_decoder_feed(userdata, buf, len)
		   : testr_subunit_decoder_finish(userdata);
}

TESTR_API int
testr_subunit_decode_file(struct testr_context *ctx, const char *path,
			  const struct testr_subunit_decoder_options *opts)
{
	struct testr_subunit_decoder *dec = NULL;
	int rc = testr_subunit_decoder_new(&dec, ctx, opts);

	if (rc == 0)
		rc = fileio_stream_file(ctx, path, decode_chunk, dec);
	testr_subunit_decoder_free(dec);
	return rc;
}

void
subunit_corrupt(struct testr_subunit_decoder *dec, uint64_t off,
		const char *what)
{
	dec->n_corrupt++;
	context_log(dec->ctx, TESTR_LOG_DEBUG, "subunit: offset %llu: %s",
		  (unsigned long long)off, what);
	if (dec->opts.on_corrupt)
		dec->opts.on_corrupt(dec->opts.userdata, off, what);
}

int
subunit_emit_noise(struct testr_subunit_decoder *dec, const unsigned char *p,
		   size_t len)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_FILE;
	ev.runnable = true;	/* python-subunit's default for status() */
	ev.file_name = dec->noise_name;
	while (len > 0) {
		size_t n = len < SUBUNIT_NOISE_MAX ? len : SUBUNIT_NOISE_MAX;
		int rc;

		ev.file_bytes = p;
		ev.file_len = n;
		rc = dec->opts.on_event(dec->opts.userdata, &ev);
		if (rc != 0)
			return rc;
		p += n;
		len -= n;
	}
	return TESTR_OK;
}

int
subunit_reserve(struct testr_subunit_decoder *dec, size_t n, size_t ntags)
{
	const char **t;
	size_t cap = dec->tag_cap ? dec->tag_cap : 16;

	if (strbuf_reserve(&dec->scratch, n) != 0)
		return TESTR_ENOMEM;
	if (ntags <= dec->tag_cap)
		return TESTR_OK;
	while (cap < ntags)
		cap *= 2;
	t = realloc(dec->tagv, cap * sizeof(*t));
	if (!t)
		return TESTR_ENOMEM;
	dec->tagv = t;
	dec->tag_cap = cap;
	return TESTR_OK;
}

/* Bytes in the UTF-8 sequence a lead byte starts; 0 for a bad lead. */
static unsigned
utf8_width(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Whether @c may follow @lead as the second byte (rules out overlongs,
 * surrogates and code points past U+10FFFF). */
static bool
utf8_second_ok(unsigned char lead, unsigned char c)
{
	switch (lead) {
	case 0xe0: return c >= 0xa0 && c <= 0xbf;
	case 0xed: return c >= 0x80 && c <= 0x9f;
	case 0xf0: return c >= 0x90 && c <= 0xbf;
	case 0xf4: return c >= 0x80 && c <= 0x8f;
	default: return c >= 0x80 && c <= 0xbf;
	}
}

bool
subunit_utf8_valid(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned w;
		uint64_t word;

		/* Mostly ASCII: skip it 8 bytes at a time. */
		if (len - i >= 8 && (memcpy(&word, p + i, 8),
				     !(word & 0x8080808080808080u))) {
			i += 8;
			continue;
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		w = utf8_width(p[i]);
		if (w == 0 || len - i < w || !utf8_second_ok(p[i], p[i + 1]))
			return false;
		for (unsigned k = 2; k < w; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += w;
	}
	return true;
}

/*
 * python-subunit feeds each non-subunit byte to a strict incremental UTF-8
 * decoder; a failed decode leaves its buffer untouched.  We keep the same
 * state so that the same 0xb3 bytes start packets.
 */
bool
subunit_utf8_step(struct subunit_utf8_state *st, unsigned char c)
{
	unsigned w;
	bool ok;

	if (st->n == 0) {
		st->mid = utf8_width(c) != 0;
		if (st->mid)
			st->pending[st->n++] = c;
		return st->mid;
	}
	w = utf8_width(st->pending[0]);
	ok = st->n == 1 ? utf8_second_ok(st->pending[0], c)
			: (c & 0xc0) == 0x80;
	if (!ok) {
		st->mid = false;
		return false;
	}
	st->pending[st->n++] = c;
	if (st->n == w)
		st->n = 0;
	st->mid = st->n != 0;
	return st->mid;
}
