/*
 * Events as the repository can store them (see repo_storable.h).  The rules,
 * documented in testr-repository(5):
 *  - a timestamp outside what v2 holds (seconds 0 .. 2^32-1) is dropped:
 *    the test then has no duration, never a false one;
 *  - a string that is not NUL-free UTF-8 keeps its valid characters and
 *    writes every other byte as \xNN;
 *  - an attachment too long for one packet is split into chunks (faithful);
 *  - strings too long for any packet (megabytes of test id or tags) are cut.
 */
#include "config-build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repo_storable.h"
#include "subunit.h"

#define STR_MAX (512u * 1024u)		/* a string kept whole when cutting */
#define CHUNK_MIN (64u * 1024u)		/* room always left for attachments */

/* Length of the UTF-8 character (not NUL) starting @p, or 0 when invalid. */
static size_t
utf8_char(const unsigned char *p, size_t n)
{
	unsigned c = p[0], min, len;
	uint32_t cp;

	if (c < 0x80)
		return c != 0;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		len = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (unsigned i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool
utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0, k; i < n; i += k) {
		/* ASCII (most ids, every tag) needs no decoding. */
		if (p[i] - 1u < 0x7fu) {
			k = 1;
			continue;
		}
		if (!(k = utf8_char(p + i, n - i)))
			return false;
	}
	return true;
}

/* @s with every byte that is not part of a UTF-8 character as \xNN. */
static char *
escape_bytes(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(n * 4 + 1);

	if (!out)
		return NULL;
	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_char((const unsigned char *)s + i, n - i);
		if (k) {
			memcpy(out + o, s + i, k);
			o += k;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x",
					     (unsigned char)s[i]);
			k = 1;
		}
	}
	out[o] = '\0';
	return out;
}

/* At most STR_MAX bytes of @s, cut at a character boundary. */
static char *
cut_string(const char *s)
{
	size_t n = STR_MAX;

	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return strndup(s, n);
}

static size_t
str_size(const char *s)
{
	return s ? 4 + strlen(s) : 0;
}

/* An upper bound of a packet's size without its attachment bytes. */
static size_t
head_size(const struct testr_event *ev)
{
	size_t n = 16 + 9 + 8 + str_size(ev->test_id) + str_size(ev->mime_type) +
		   str_size(ev->route_code) + str_size(ev->file_name);

	for (size_t i = 0; (ev->fields & TESTR_EVENT_TAGS) && i < ev->n_tags; i++)
		n += str_size(ev->tags[i]);
	return n;
}

/* Keep a changed copy of a string: *@p points at it.  0 or TESTR_ENOMEM. */
static int
keep(struct repo_storable *s, const char **p, char *copy)
{
	int rc = copy ? testr_strv_push(&s->owned, copy) : TESTR_ENOMEM;

	free(copy);
	if (rc == 0)
		*p = s->owned.v[s->owned.n - 1];
	return rc;
}

/* Escape *@p when it is not UTF-8; with @cut, also cut it when too long. */
static int
fix_string(struct repo_storable *s, const char **p, bool cut)
{
	int rc = 0;

	if (*p && !utf8_ok(*p, strlen(*p))) {
		s->notes |= STORABLE_ESCAPED;
		rc = keep(s, p, escape_bytes(*p));
	}
	if (rc == 0 && cut && *p && strlen(*p) > STR_MAX) {
		s->notes |= STORABLE_CUT;
		rc = keep(s, p, cut_string(*p));
	}
	return rc;
}

/* The tags: escaped, and with @cut only as many as fit in STR_MAX bytes. */
static int
fix_tags(struct repo_storable *s, bool cut)
{
	struct testr_event *ev = &s->ev;
	size_t n = 0, total = 0;
	int rc = 0;

	const char **v;

	if (!(ev->fields & TESTR_EVENT_TAGS) || !ev->n_tags || !ev->tags)
		return 0;
	v = malloc(ev->n_tags * sizeof(*v));
	if (!v)
		return TESTR_ENOMEM;
	for (size_t i = 0; rc == 0 && i < ev->n_tags; i++) {
		v[n] = ev->tags[i];
		rc = fix_string(s, &v[n], false);
		total += str_size(v[n]);
		if (cut && total > STR_MAX)
			s->notes |= STORABLE_CUT;
		else
			n++;
	}
	free(s->tags);	/* ev->tags may point into it: replaced only now */
	s->tags = v;
	ev->tags = v;
	ev->n_tags = n;
	return rc;
}

static int
fix_strings(struct repo_storable *s, bool cut)
{
	struct testr_event *ev = &s->ev;
	int rc = fix_string(s, &ev->test_id, cut);

	if (rc == 0)
		rc = fix_string(s, &ev->route_code, cut);
	if (rc == 0)
		rc = fix_string(s, &ev->mime_type, cut);
	if (rc == 0)
		rc = fix_string(s, &ev->file_name, cut);
	if (rc == 0)
		rc = fix_tags(s, cut);
	return rc;
}

int
repo_storable_make(struct repo_storable *s, const struct testr_event *ev)
{
	int rc;

	memset(s, 0, sizeof(*s));
	testr_strv_init(&s->owned);
	s->ev = *ev;
	/* Absent fields may hold anything: store none of it. */
	if (!(ev->fields & TESTR_EVENT_TEST_ID))
		s->ev.test_id = NULL;
	if (!(ev->fields & TESTR_EVENT_ROUTE_CODE))
		s->ev.route_code = NULL;
	if (!(ev->fields & TESTR_EVENT_MIME_TYPE))
		s->ev.mime_type = NULL;
	if (!(ev->fields & TESTR_EVENT_FILE))
		s->ev.file_name = NULL;
	if ((ev->fields & TESTR_EVENT_TIMESTAMP) &&
	    (ev->ts_sec < 0 || ev->ts_sec > (int64_t)UINT32_MAX ||
	     ev->ts_nsec >= 1000000000u)) {
		s->ev.fields &= ~(unsigned)TESTR_EVENT_TIMESTAMP;
		s->notes |= STORABLE_TIME_DROPPED;
	}
	rc = fix_strings(s, false);
	if (rc == 0 && head_size(&s->ev) > SUBUNIT_V2_MAX_PACKET - CHUNK_MIN)
		rc = fix_strings(s, true);
	return rc;
}

void
repo_storable_dispose(struct repo_storable *s)
{
	testr_strv_dispose(&s->owned);
	free(s->tags);
	s->tags = NULL;
}

int
repo_storable_encode(struct testr_context *ctx, const struct testr_event *ev,
		     testr_write_fn write, void *userdata)
{
	size_t room = SUBUNIT_V2_MAX_PACKET - head_size(ev), off = 0;
	struct testr_event piece = *ev;
	int rc = 0;

	if (!(ev->fields & TESTR_EVENT_FILE) || ev->file_len <= room)
		return testr_subunit_encode_v2(ctx, ev, write, userdata);
	/* Every chunk but the last: no status, no end of file. */
	piece.status = TESTR_STATUS_UNDEFINED;
	piece.eof = false;
	piece.file_len = room;
	for (; rc == 0 && ev->file_len - off > room; off += room) {
		piece.file_bytes = ev->file_bytes + off;
		rc = testr_subunit_encode_v2(ctx, &piece, write, userdata);
	}
	piece = *ev;
	piece.file_bytes = ev->file_bytes + off;
	piece.file_len = ev->file_len - off;
	return rc ? rc : testr_subunit_encode_v2(ctx, &piece, write, userdata);
}

const char *
repo_storable_describe(unsigned notes)
{
	if (notes & STORABLE_CUT)
		return "strings too long for a subunit v2 packet were cut";
	if (notes & STORABLE_ESCAPED)
		return "bytes that are not UTF-8 were stored as \\xNN";
	if (notes & STORABLE_TIME_DROPPED)
		return "a timestamp outside 1970..2106 was dropped";
	return "stored as it came";
}
