/*
 * Test helper: turns decoded subunit events into one canonical text line
 * each, so tests (and tests/cli/subunit/python-events.py, which prints
 * python-subunit's view the same way) can compare whole streams as text.
 *
 *   status=<name> [id=<id>] [ts=<sec>.<usec>] [tags=<sorted,comma>]
 *   [route=<rc>] [mime=<type>] [file=<name> bytes=<escaped>] [eof]
 *   [runnable]
 *
 * Adjacent non-subunit ("stdout" noise) events are merged, because how noise
 * is cut into events depends on how the input was chunked.
 */
#ifndef TESTR_TESTS_SUBUNIT_RECORD_H
#define TESTR_TESTS_SUBUNIT_RECORD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/subunit.h>

struct rec {
	char *text;		/* canonical lines */
	size_t len, cap;
	unsigned char *noise;	/* noise not yet written out */
	size_t noise_len, noise_cap;
	size_t n_events;
	size_t n_corrupt;
	char corrupt[4096];	/* "<offset>:<what>\n" for each report */
	int stop_after;		/* return 1 after this many events; 0: never */
	const unsigned char *last_file_bytes;
};

static inline void
rec_grow(void **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 256;

	if (need <= *cap)
		return;
	while (n < need)
		n *= 2;
	*buf = realloc(*buf, n);
	if (!*buf)
		abort();
	*cap = n;
}

static inline void
rec_put(struct rec *r, const char *s, size_t n)
{
	void *t = r->text;

	rec_grow(&t, &r->cap, r->len + n + 1);
	r->text = t;
	memcpy(r->text + r->len, s, n);
	r->len += n;
	r->text[r->len] = '\0';
}

static inline void
rec_puts(struct rec *r, const char *s)
{
	rec_put(r, s, strlen(s));
}

/* Printable ASCII stays, except backslash and space; the rest is \xNN. */
static inline void
rec_escaped(struct rec *r, const unsigned char *p, size_t n)
{
	char hex[8];

	for (size_t i = 0; i < n; i++) {
		if (p[i] > 0x20 && p[i] < 0x7f && p[i] != '\\') {
			rec_put(r, (const char *)p + i, 1);
			continue;
		}
		snprintf(hex, sizeof(hex), "\\x%02x", p[i]);
		rec_puts(r, hex);
	}
}

static inline void
rec_flush_noise(struct rec *r)
{
	if (!r->noise_len)
		return;
	rec_puts(r, "status=undefined file=stdout bytes=");
	rec_escaped(r, r->noise, r->noise_len);
	rec_puts(r, " runnable\n");
	r->noise_len = 0;
}

static inline int
rec_cmp(const void *a, const void *b)
{
	const char *const *sa = a, *const *sb = b;

	return strcmp(*sa, *sb);
}

static inline void
rec_tags(struct rec *r, const struct testr_event *ev)
{
	const char **t = malloc((ev->n_tags + 1) * sizeof(*t));

	memcpy(t, ev->tags, ev->n_tags * sizeof(*t));
	qsort(t, ev->n_tags, sizeof(*t), rec_cmp);
	rec_puts(r, " tags=");
	for (size_t i = 0; i < ev->n_tags; i++) {
		if (i)
			rec_puts(r, ",");
		rec_escaped(r, (const unsigned char *)t[i], strlen(t[i]));
	}
	free(t);
}

static inline void
rec_field(struct rec *r, const char *key, const char *value)
{
	rec_puts(r, key);
	rec_escaped(r, (const unsigned char *)value, strlen(value));
}

static inline bool
rec_is_noise(const struct testr_event *ev)
{
	return ev->fields == TESTR_EVENT_FILE && !ev->mime_type &&
	       ev->status == TESTR_STATUS_UNDEFINED && ev->runnable &&
	       !ev->eof && strcmp(ev->file_name, "stdout") == 0;
}

static inline void
rec_line(struct rec *r, const struct testr_event *ev)
{
	char buf[64];

	rec_puts(r, "status=");
	rec_puts(r, testr_status_name(ev->status));
	if (ev->fields & TESTR_EVENT_TEST_ID)
		rec_field(r, " id=", ev->test_id);
	if (ev->fields & TESTR_EVENT_TIMESTAMP) {
		snprintf(buf, sizeof(buf), " ts=%lld.%06u",
			 (long long)ev->ts_sec, ev->ts_nsec / 1000);
		rec_puts(r, buf);
	}
	if ((ev->fields & TESTR_EVENT_TAGS) && ev->n_tags)
		rec_tags(r, ev);
	if (ev->fields & TESTR_EVENT_ROUTE_CODE)
		rec_field(r, " route=", ev->route_code);
	if ((ev->fields & TESTR_EVENT_MIME_TYPE) && ev->mime_type[0])
		rec_field(r, " mime=", ev->mime_type);
	if (ev->fields & TESTR_EVENT_FILE) {
		rec_field(r, " file=", ev->file_name);
		rec_puts(r, " bytes=");
		rec_escaped(r, ev->file_bytes, ev->file_len);
	}
	rec_puts(r, ev->eof ? " eof" : "");
	rec_puts(r, ev->runnable ? " runnable\n" : "\n");
}

/* A testr_event_fn: userdata is a struct rec. */
static inline int
rec_event(void *userdata, const struct testr_event *ev)
{
	struct rec *r = userdata;

	r->n_events++;
	r->last_file_bytes = ev->file_bytes;
	if (rec_is_noise(ev)) {
		void *t = r->noise;

		rec_grow(&t, &r->noise_cap, r->noise_len + ev->file_len + 1);
		r->noise = t;
		memcpy(r->noise + r->noise_len, ev->file_bytes, ev->file_len);
		r->noise_len += ev->file_len;
	} else {
		rec_flush_noise(r);
		rec_line(r, ev);
	}
	if (r->stop_after && (int)r->n_events >= r->stop_after)
		return 1;
	return 0;
}

/* A testr_corrupt_fn: userdata is a struct rec. */
static inline void
rec_corrupt(void *userdata, uint64_t offset, const char *what)
{
	struct rec *r = userdata;
	size_t used = strlen(r->corrupt);

	r->n_corrupt++;
	if (used < sizeof(r->corrupt))
		snprintf(r->corrupt + used, sizeof(r->corrupt) - used,
			 "%llu:%s\n", (unsigned long long)offset, what);
}

/* The canonical text so far (noise flushed). */
static inline const char *
rec_text(struct rec *r)
{
	rec_flush_noise(r);
	return r->text ? r->text : "";
}

/*
 * Decode @len bytes as @protocol into @r, fed @chunk bytes at a time (0: all
 * at once) or, when @seed is not 0, in pseudo-random pieces of 1-17 bytes.
 * Returns what the decoder returned; *offset gets the bytes it consumed.
 */
static inline int
rec_decode(const void *p, size_t len, enum testr_subunit_version protocol,
	   size_t chunk, unsigned seed, struct rec *r, uint64_t *offset)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_subunit_decoder *dec;
	int rc;

	o.protocol = protocol;
	o.on_event = rec_event;
	o.on_corrupt = rec_corrupt;
	o.userdata = r;
	if ((rc = testr_subunit_decoder_new(&dec, NULL, &o)) != 0)
		return rc;
	for (size_t i = 0; i < len && rc == 0;) {
		size_t n = chunk ? chunk : len - i;

		if (seed) {
			seed = seed * 1103515245u + 12345u;
			n = 1 + (seed >> 16) % 17;
		}
		n = n < len - i ? n : len - i;
		rc = testr_subunit_decoder_feed(dec, (const char *)p + i, n);
		i += n;
	}
	if (rc == 0)
		rc = testr_subunit_decoder_finish(dec);
	if (offset)
		*offset = testr_subunit_decoder_offset(dec);
	testr_subunit_decoder_free(dec);
	return rc;
}

static inline void
rec_free(struct rec *r)
{
	free(r->text);
	free(r->noise);
	memset(r, 0, sizeof(*r));
}

#endif
