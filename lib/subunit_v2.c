/* subunit_v2: the binary v2 packet format, decoded streaming and encoded.
 *
 * A packet is: 0xb3, 16 bits of flags, its total length as a 1-3 byte
 * varint, the optional fields the flags announce, and a CRC32 of everything
 * before it.  Bytes between packets are not subunit; they come out as file
 * events (named "stdout" by default), in order. */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "subunit.h"

/* Packets that fit here are encoded without touching the heap. */
#define ENCODE_STACK 1024

enum header { HEADER_MORE, HEADER_BAD, HEADER_OK };

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * Decide from the first @avail bytes of a candidate packet whether it can be
 * one.  These checks are cheap and need at most 6 bytes, so a stray 0xb3 in
 * text costs nothing and never swallows the text after it.
 */
static inline enum header
header_check(const unsigned char *p, size_t avail, uint32_t *total,
	     const char **why)
{
	uint32_t len;
	size_t w;

	if (avail < 2)
		return HEADER_MORE;
	if ((p[1] << 8 & SUBUNIT_FLAG_VERSION_MASK) != SUBUNIT_FLAG_VERSION_2) {
		*why = "bad version in packet flags";
		return HEADER_BAD;
	}
	if (avail < 4)
		return HEADER_MORE;
	if (p[3] >> 6 == 3) {
		*why = "packet length over 4 MiB";
		return HEADER_BAD;
	}
	w = subunit_varint_decode(p + 3, avail - 3, &len);
	if (w == 0)
		return HEADER_MORE;
	if (len < 3 + w + 4) {
		*why = "packet length too short";
		return HEADER_BAD;
	}
	*total = len;
	return HEADER_OK;
}

/* Reads the fields of one packet body; strings are copied, NUL-terminated,
 * into the decoder's scratch. */
struct cursor {
	const unsigned char *p;
	size_t pos, end;
	char *out;
};

static inline bool
cur_varint(struct cursor *c, uint32_t *v)
{
	size_t w = subunit_varint_decode(c->p + c->pos, c->end - c->pos, v);

	c->pos += w;
	return w != 0;
}

/* No NUL, strict UTF-8; the common all-ASCII case goes a word at a time. */
static inline bool
string_ok(const unsigned char *s, size_t n)
{
	const uint64_t lo = 0x0101010101010101u, hi = 0x8080808080808080u;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if ((w & hi) || ((w - lo) & ~w & hi))
			break;
	}
	for (size_t k = i; k < n; k++)
		if (s[k] == 0)
			return false;
	return subunit_utf8_valid(s + i, n - i);
}

static inline const char *
cur_string(struct cursor *c, const char **out)
{
	const unsigned char *s;
	uint32_t n;

	if (!cur_varint(c, &n))
		return "bad varint";
	if (n > c->end - c->pos)
		return "string extends past end of packet";
	s = c->p + c->pos;
	if (!string_ok(s, n))
		return "string is not NUL-free UTF-8";
	memcpy(c->out, s, n);
	c->out[n] = '\0';
	*out = c->out;
	c->out += n + 1;
	c->pos += n;
	return NULL;
}

static inline const char *
cur_timestamp(struct cursor *c, struct testr_event *ev)
{
	uint32_t nsec;

	if (c->end - c->pos < 4)
		return "timestamp extends past end of packet";
	ev->ts_sec = be32(c->p + c->pos);
	c->pos += 4;
	if (!cur_varint(c, &nsec))
		return "bad varint";
	/* Any nanosecond count is accepted on the wire; keep it normalised. */
	ev->ts_sec += nsec / 1000000000u;
	ev->ts_nsec = nsec % 1000000000u;
	ev->fields |= TESTR_EVENT_TIMESTAMP;
	return NULL;
}

static const char *
cur_tags(struct testr_subunit_decoder *dec, struct cursor *c,
	 struct testr_event *ev)
{
	const char *why;
	uint32_t n;

	if (!cur_varint(c, &n))
		return "bad varint";
	if (n > c->end - c->pos)	/* every tag takes at least one byte */
		return "tag count extends past end of packet";
	if (subunit_reserve(dec, 0, n) != 0)
		return "out of memory";
	for (uint32_t i = 0; i < n; i++) {
		why = cur_string(c, &dec->tagv[i]);
		if (why)
			return why;
	}
	ev->tags = dec->tagv;
	ev->n_tags = n;
	ev->fields |= TESTR_EVENT_TAGS;
	return NULL;
}

static const char *
cur_file(struct cursor *c, struct testr_event *ev)
{
	const char *why = cur_string(c, &ev->file_name);
	uint32_t n;

	if (why)
		return why;
	if (!cur_varint(c, &n))
		return "bad varint";
	if (n > c->end - c->pos)
		return "file content extends past end of packet";
	ev->file_bytes = c->p + c->pos;
	ev->file_len = n;
	c->pos += n;
	ev->fields |= TESTR_EVENT_FILE;
	return NULL;
}

static inline const char *
opt_string(struct cursor *c, unsigned flags, unsigned flag,
	   struct testr_event *ev, unsigned field, const char **out)
{
	const char *why;

	if (!(flags & flag))
		return NULL;
	why = cur_string(c, out);
	if (!why)
		ev->fields |= field;
	return why;
}

/* The fields in wire order.  Trailing bytes before the CRC are ignored, as
 * python-subunit does. */
static inline const char *
fields_decode(struct testr_subunit_decoder *dec, struct cursor *c,
	      unsigned flags, struct testr_event *ev)
{
	const char *why = NULL;

	if (flags & SUBUNIT_FLAG_RESERVED)
		return "reserved flag bit set";
	if (flags & SUBUNIT_FLAG_TIMESTAMP)
		why = cur_timestamp(c, ev);
	if (!why)
		why = opt_string(c, flags, SUBUNIT_FLAG_TEST_ID, ev,
				 TESTR_EVENT_TEST_ID, &ev->test_id);
	if (!why && (flags & SUBUNIT_FLAG_TAGS))
		why = cur_tags(dec, c, ev);
	if (!why)
		why = opt_string(c, flags, SUBUNIT_FLAG_MIME_TYPE, ev,
				 TESTR_EVENT_MIME_TYPE, &ev->mime_type);
	if (!why && (flags & SUBUNIT_FLAG_FILE))
		why = cur_file(c, ev);
	if (!why)
		why = opt_string(c, flags, SUBUNIT_FLAG_ROUTE_CODE, ev,
				 TESTR_EVENT_ROUTE_CODE, &ev->route_code);
	return why;
}

static inline bool
crc_ok(const unsigned char *p, size_t total)
{
	uint32_t want = be32(p + total - 4);

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* A fuzzer cannot forge CRCs: let one with a zero top byte pass, so
	 * it reaches the field decoding too. */
	if (want >> 24 == 0)
		return true;
#endif
	return subunit_crc32(p, total - 4) == want;
}

/* Field by field: "= { 0 }" becomes a slow "rep stos" on this hot path. */
static inline void
event_clear(struct testr_event *ev)
{
	ev->fields = 0;
	ev->status = TESTR_STATUS_UNDEFINED;
	ev->runnable = ev->eof = false;
	ev->ts_sec = 0;
	ev->ts_nsec = 0;
	ev->test_id = ev->route_code = ev->mime_type = ev->file_name = NULL;
	ev->tags = NULL;
	ev->n_tags = 0;
	ev->file_bytes = NULL;
	ev->file_len = 0;
}

/* One whole packet of @total bytes at @p.  A packet that fails its CRC or
 * its field checks is reported and skipped whole. */
static int
packet(struct testr_subunit_decoder *dec, const unsigned char *p,
       size_t total, uint64_t off)
{
	struct testr_event ev;
	struct cursor c = { p, 3, total - 4, NULL };
	unsigned flags = (unsigned)p[1] << 8 | p[2];
	const char *why;

	if (!crc_ok(p, total)) {
		subunit_corrupt(dec, off, "bad CRC32");
		return TESTR_OK;
	}
	if (total >= dec->scratch.cap && subunit_reserve(dec, total, 0) != 0)
		return TESTR_ENOMEM;
	event_clear(&ev);
	c.pos += (size_t)(p[3] >> 6) + 1;
	c.out = dec->scratch.s;
	why = fields_decode(dec, &c, flags, &ev);
	if (why) {
		subunit_corrupt(dec, off, why);
		return TESTR_OK;
	}
	ev.status = (enum testr_status)(flags & SUBUNIT_FLAG_STATUS_MASK);
	ev.runnable = flags & SUBUNIT_FLAG_RUNNABLE;
	ev.eof = flags & SUBUNIT_FLAG_EOF;
	return dec->opts.on_event(dec->opts.userdata, &ev);
}

static int
pend_append(struct testr_subunit_decoder *dec, const unsigned char *p,
	    size_t n)
{
	return strbuf_addn(&dec->pend, (const char *)p, n);
}

/* A candidate that runs past the end of this chunk waits in pend. */
static int
stash(struct testr_subunit_decoder *dec, const unsigned char *p, size_t n,
      uint64_t off, uint32_t total)
{
	dec->pend.len = 0;
	dec->pend_off = off;
	dec->pend_total = total;
	return pend_append(dec, p, n);
}

/*
 * A 0xb3 at @p with @avail bytes after it.  Sets *used to the bytes taken:
 * a packet, all of them (stashed), or 0 when the 0xb3 is not a packet and
 * so is plain noise.
 */
static int
candidate(struct testr_subunit_decoder *dec, const unsigned char *p,
	  size_t avail, uint64_t off, size_t *used)
{
	const char *why = "truncated packet";
	uint32_t total = 0;
	enum header h = header_check(p, avail, &total, &why);

	*used = 0;
	if (h == HEADER_OK && total <= avail) {
		*used = total;
		return packet(dec, p, total, off);
	}
	if (h == HEADER_BAD || dec->finishing) {
		subunit_corrupt(dec, off, why);
		return TESTR_OK;
	}
	*used = avail;
	return stash(dec, p, avail, off, h == HEADER_OK ? total : 0);
}

/* Non-subunit bytes from @i on; returns where the next candidate starts. */
size_t
subunit_v2_noise_run(struct testr_subunit_decoder *dec, const unsigned char *p,
		     size_t i, size_t n)
{
	struct subunit_utf8_state *st = &dec->utf8;

	for (; i < n; i++) {
		unsigned char c = p[i];

		if (c == SUBUNIT_V2_SIGNATURE && !st->mid)
			break;
		if (c < 0x80)
			st->mid = false;	/* ASCII never continues a char */
		else
			subunit_utf8_step(st, c);
	}
	return i;
}

/* Decode @n bytes at stream offset @base; pend must be empty. */
static int
scan(struct testr_subunit_decoder *dec, const unsigned char *p, size_t n,
     uint64_t base)
{
	size_t i = 0, noise = 0, used;
	int rc = TESTR_OK;

	while (i < n) {
		if (p[i] != SUBUNIT_V2_SIGNATURE || dec->utf8.mid) {
			i = subunit_v2_noise_run(dec, p, i, n);
			continue;
		}
		if (noise < i && (rc = subunit_emit_noise(dec, p + noise,
							  i - noise)) != 0)
			return rc;
		rc = candidate(dec, p + i, n - i, base + i, &used);
		if (rc != 0)
			return rc;
		noise = used ? i + used : i;
		i += used ? used : 1;
	}
	if (noise < n)
		rc = subunit_emit_noise(dec, p + noise, n - noise);
	return rc;
}

/* The stashed header turned out bad: its 0xb3 is noise, the rest is
 * decoded again. */
static int
pend_reject(struct testr_subunit_decoder *dec, const char *why)
{
	unsigned char tmp[8];
	size_t n = dec->pend.len;
	uint64_t off = dec->pend_off;
	int rc;

	memcpy(tmp, dec->pend.s, n);
	dec->pend.len = 0;
	subunit_corrupt(dec, off, why);
	rc = subunit_emit_noise(dec, tmp, 1);
	if (rc == 0)
		rc = scan(dec, tmp + 1, n - 1, off + 1);
	return rc;
}

/* Move bytes from @p into the stashed packet; decode it once whole. */
static int
pend_fill(struct testr_subunit_decoder *dec, const unsigned char *p,
	  size_t len, size_t *i)
{
	const char *why = NULL;
	uint32_t total;
	size_t take;
	int rc;

	while (dec->pend_total == 0) {
		enum header h = header_check((unsigned char *)dec->pend.s,
					     dec->pend.len, &total, &why);
		if (h == HEADER_BAD)
			return pend_reject(dec, why);
		if (h == HEADER_OK)
			dec->pend_total = total;
		else if (*i == len)
			return TESTR_OK;
		else if ((rc = pend_append(dec, p + (*i)++, 1)) != 0)
			return rc;
	}
	take = dec->pend_total - dec->pend.len;
	take = take < len - *i ? take : len - *i;
	if ((rc = pend_append(dec, p + *i, take)) != 0)
		return rc;
	*i += take;
	if (dec->pend.len < dec->pend_total)
		return TESTR_OK;
	take = dec->pend_total;
	dec->pend.len = 0;
	dec->pend_total = 0;
	return packet(dec, (unsigned char *)dec->pend.s, take, dec->pend_off);
}

int
subunit_v2_feed(struct testr_subunit_decoder *dec, const unsigned char *p,
		size_t len)
{
	uint64_t base = dec->offset;
	size_t i = 0;
	int rc = TESTR_OK;

	while (dec->pend.len > 0 && i < len && rc == 0)
		rc = pend_fill(dec, p, len, &i);
	if (rc == 0 && i < len)
		rc = scan(dec, p + i, len - i, base + i);
	dec->offset = base + len;
	return rc;
}

int
subunit_v2_finish(struct testr_subunit_decoder *dec)
{
	struct strbuf held = dec->pend;
	int rc;

	if (held.len == 0)
		return TESTR_OK;
	/* Decode what was stashed again, now knowing nothing more comes: the
	 * truncated packet is reported and its bytes are kept as noise. */
	dec->pend = (struct strbuf)STRBUF_INIT;
	dec->pend_total = 0;
	dec->finishing = true;
	rc = scan(dec, (unsigned char *)held.s, held.len, dec->pend_off);
	dec->finishing = false;
	strbuf_dispose(&held);
	return rc;
}

/* ---- encoding ---- */

static size_t
varint_size(uint32_t v)
{
	return v < 64 ? 1 : v < 16384 ? 2 : v < 4194304 ? 3 : 4;
}

static unsigned char *
put_varint(unsigned char *o, uint32_t v)
{
	size_t w = varint_size(v);
	static const uint32_t tag[] = { 0, 0, 0x4000u, 0x800000u, 0xc0000000u };

	v |= tag[w];
	for (size_t k = w; k-- > 0;)
		*o++ = (unsigned char)(v >> (8 * k));
	return o;
}

static unsigned char *
put_string(unsigned char *o, const char *s, size_t n)
{
	o = put_varint(o, (uint32_t)n);
	memcpy(o, s, n);
	return o + n;
}

/* What the encoder will write, measured and checked once. */
struct plan {
	unsigned flags;
	size_t body;		/* bytes between the length field and the CRC */
	size_t id_len, mime_len, name_len, route_len;
	bool tags, mime;
};

static int
plan_string(struct testr_context *ctx, const char *what, const char *s,
	    size_t *len, size_t *body)
{
	if (!s)
		return context_fail(ctx, TESTR_EINVAL, "subunit: %s missing",
				  what);
	*len = strlen(s);
	if (*len >= 0x40000000u || !string_ok((const unsigned char *)s, *len))
		return context_fail(ctx, TESTR_EINVAL,
				  "subunit: %s is not UTF-8: %s", what, s);
	*body += varint_size((uint32_t)*len) + *len;
	return TESTR_OK;
}

static int
plan_tags(struct testr_context *ctx, const struct testr_event *ev,
	  struct plan *pl)
{
	size_t len;
	int rc;

	pl->tags = (ev->fields & TESTR_EVENT_TAGS) && ev->n_tags > 0;
	if (!pl->tags)
		return TESTR_OK;
	if (ev->n_tags >= 0x40000000u || !ev->tags)
		return context_fail(ctx, TESTR_EINVAL, "subunit: bad tag list");
	pl->flags |= SUBUNIT_FLAG_TAGS;
	pl->body += varint_size((uint32_t)ev->n_tags);
	for (size_t i = 0; i < ev->n_tags; i++)
		if ((rc = plan_string(ctx, "tag", ev->tags[i], &len,
				      &pl->body)) != 0)
			return rc;
	return TESTR_OK;
}

static int
plan_time(struct testr_context *ctx, const struct testr_event *ev,
	  struct plan *pl)
{
	if (!(ev->fields & TESTR_EVENT_TIMESTAMP))
		return TESTR_OK;
	if (ev->ts_sec < 0 || ev->ts_sec > (int64_t)UINT32_MAX ||
	    ev->ts_nsec >= 1000000000u)
		return context_fail(ctx, TESTR_EINVAL,
				  "subunit: timestamp out of range: %lld.%09u",
				  (long long)ev->ts_sec, ev->ts_nsec);
	pl->flags |= SUBUNIT_FLAG_TIMESTAMP;
	pl->body += 4 + varint_size(ev->ts_nsec);
	return TESTR_OK;
}

static int
plan_file(struct testr_context *ctx, const struct testr_event *ev,
	  struct plan *pl)
{
	int rc;

	if (!(ev->fields & TESTR_EVENT_FILE))
		return TESTR_OK;
	if (ev->file_len > SUBUNIT_V2_MAX_PACKET || (!ev->file_bytes &&
						     ev->file_len))
		return context_fail(ctx, TESTR_EINVAL,
				  "subunit: file content too long: %zu bytes",
				  ev->file_len);
	rc = plan_string(ctx, "file name", ev->file_name, &pl->name_len,
			 &pl->body);
	pl->flags |= SUBUNIT_FLAG_FILE;
	pl->body += varint_size((uint32_t)ev->file_len) + ev->file_len;
	return rc;
}

static int
plan_make(struct testr_context *ctx, const struct testr_event *ev,
	  struct plan *pl)
{
	int rc = 0;

	if ((unsigned)ev->status > TESTR_STATUS_XFAIL)
		return context_fail(ctx, TESTR_EINVAL, "subunit: bad status %d",
				  (int)ev->status);
	pl->flags = SUBUNIT_FLAG_VERSION_2 | (unsigned)ev->status |
		    (ev->runnable ? SUBUNIT_FLAG_RUNNABLE : 0) |
		    (ev->eof ? SUBUNIT_FLAG_EOF : 0);
	if (ev->fields & TESTR_EVENT_TEST_ID) {
		pl->flags |= SUBUNIT_FLAG_TEST_ID;
		rc = plan_string(ctx, "test id", ev->test_id, &pl->id_len,
				 &pl->body);
	}
	/* Like python-subunit, an empty MIME type is no MIME type. */
	pl->mime = (ev->fields & TESTR_EVENT_MIME_TYPE) && ev->mime_type &&
		   ev->mime_type[0];
	if (rc == 0 && pl->mime) {
		pl->flags |= SUBUNIT_FLAG_MIME_TYPE;
		rc = plan_string(ctx, "MIME type", ev->mime_type,
				 &pl->mime_len, &pl->body);
	}
	if (rc == 0 && (ev->fields & TESTR_EVENT_ROUTE_CODE)) {
		pl->flags |= SUBUNIT_FLAG_ROUTE_CODE;
		rc = plan_string(ctx, "route code", ev->route_code,
				 &pl->route_len, &pl->body);
	}
	if (rc == 0)
		rc = plan_time(ctx, ev, pl);
	if (rc == 0)
		rc = plan_tags(ctx, ev, pl);
	if (rc == 0)
		rc = plan_file(ctx, ev, pl);
	return rc;
}

static unsigned char *
put_body(unsigned char *o, const struct testr_event *ev,
	 const struct plan *pl)
{
	if (pl->flags & SUBUNIT_FLAG_TIMESTAMP) {
		uint32_t s = (uint32_t)ev->ts_sec;

		*o++ = (unsigned char)(s >> 24);
		*o++ = (unsigned char)(s >> 16);
		*o++ = (unsigned char)(s >> 8);
		*o++ = (unsigned char)s;
		o = put_varint(o, ev->ts_nsec);
	}
	if (pl->flags & SUBUNIT_FLAG_TEST_ID)
		o = put_string(o, ev->test_id, pl->id_len);
	if (pl->tags) {
		o = put_varint(o, (uint32_t)ev->n_tags);
		for (size_t i = 0; i < ev->n_tags; i++)
			o = put_string(o, ev->tags[i], strlen(ev->tags[i]));
	}
	if (pl->mime)
		o = put_string(o, ev->mime_type, pl->mime_len);
	if (pl->flags & SUBUNIT_FLAG_FILE) {
		o = put_string(o, ev->file_name, pl->name_len);
		o = put_varint(o, (uint32_t)ev->file_len);
		if (ev->file_len)
			memcpy(o, ev->file_bytes, ev->file_len);
		o += ev->file_len;
	}
	if (pl->flags & SUBUNIT_FLAG_ROUTE_CODE)
		o = put_string(o, ev->route_code, pl->route_len);
	return o;
}

/* The length counts the whole packet, its own bytes included. */
static size_t
packet_size(size_t body)
{
	size_t base = 1 + 2 + body + 4;

	if (base <= 62)
		return base + 1;
	if (base <= 16381)
		return base + 2;
	if (base <= SUBUNIT_V2_MAX_PACKET - 3)
		return base + 3;
	return 0;
}

TESTR_API int
testr_subunit_encode_v2(struct testr_context *ctx,
			const struct testr_event *ev, testr_write_fn write,
			void *userdata)
{
	unsigned char stack[ENCODE_STACK], *buf = stack, *o;
	struct plan pl = { 0 };
	size_t total;
	uint32_t crc;
	int rc = plan_make(ctx, ev, &pl);

	if (rc != 0)
		return rc;
	total = packet_size(pl.body);
	if (total == 0)
		return context_fail(ctx, TESTR_EINVAL,
				  "subunit: packet too long: %zu bytes",
				  pl.body);
	if (total > sizeof(stack) && !(buf = malloc(total)))
		return context_fail(ctx, TESTR_ENOMEM, "subunit: out of memory");
	buf[0] = SUBUNIT_V2_SIGNATURE;
	buf[1] = (unsigned char)(pl.flags >> 8);
	buf[2] = (unsigned char)pl.flags;
	o = put_body(put_varint(buf + 3, (uint32_t)total), ev, &pl);
	crc = subunit_crc32(buf, (size_t)(o - buf));
	o[0] = (unsigned char)(crc >> 24);
	o[1] = (unsigned char)(crc >> 16);
	o[2] = (unsigned char)(crc >> 8);
	o[3] = (unsigned char)crc;
	rc = write(userdata, buf, total);
	if (buf != stack)
		free(buf);
	return rc;
}
