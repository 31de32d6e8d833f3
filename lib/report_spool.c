/*
 * The spool of a report: each test whose result is settled (one record
 * that passed, was skipped or was an expected failure) is written out here
 * in a compact binary form and freed, so a report of a run of any size
 * holds only its tests in progress and its failures.  The spool stays in
 * memory up to 4 MiB, then moves to an unlinked temporary file; the
 * writers read it back in order (report.c, report_each_test()).
 *
 * Records are read only front to back, so each is written as a change
 * from the one before (a passing test takes about 15 bytes, not 100):
 *   id       varint bytes shared with the previous id, varint length of
 *            the rest, the rest
 *   flags    status (bits 0-3), has_start, has_end, same worker as the
 *            previous record, same tags as the previous record
 *   start    zigzag varint, ns after the previous record's start
 *   end      zigzag varint, ns after this start (or the previous one)
 *   worker   string, unless the same
 *   tags     varint count and strings, unless the same
 *   files    varint count; each: name, MIME type (strings), varint length
 *            and the bytes
 * A string is varint (length + 1), 0 for NULL, then the bytes and a NUL,
 * so the reader points into the spool instead of copying.
 */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "context.h"
#include "fileio.h"
#include "report.h"

#define SPOOL_MEMORY_MAX (4u << 20)

enum {
	F_STATUS = 0x0f,
	F_START = 0x10,
	F_END = 0x20,
	F_SAME_WORKER = 0x40,
	F_SAME_TAGS = 0x80,
};

void
report_spool_init(struct report_spool *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

void
report_spool_dispose(struct report_spool *s)
{
	strbuf_dispose(&s->buf);
	strbuf_dispose(&s->prev_id);
	free(s->prev_worker);
	testr_strv_dispose(&s->prev_tags);
	if (s->fd >= 0)
		close(s->fd);
	report_spool_init(s);
}

uint64_t
report_spool_len(const struct report_spool *s)
{
	return s->flushed + s->buf.len;
}

/* ---- writing ---- */

/*
 * Room for the longest encoding of @t's record (varints at their longest),
 * reserved before it is written: the put_*() below then only copy.
 */
static size_t
record_room(const struct report_test *t)
{
	const struct report_attempt *a = t->first;
	size_t n = 80 + strlen(t->id) + (a->worker ? strlen(a->worker) : 0);

	for (size_t i = 0; i < a->tags.n; i++)
		n += 11 + strlen(a->tags.v[i]);
	for (const struct report_file *f = a->files; f; f = f->next)
		n += 33 + strlen(f->name) + (f->mime ? strlen(f->mime) : 0) +
		     f->len;
	return n;
}

static void
put(struct report_spool *s, const void *p, size_t n)
{
	memcpy(s->buf.s + s->buf.len, p, n);
	s->buf.len += n;
}

static void
put_varint(struct report_spool *s, uint64_t v)
{
	unsigned char *b = (unsigned char *)s->buf.s + s->buf.len;
	size_t n = 0;

	for (; v >= 0x80; v >>= 7)
		b[n++] = (unsigned char)(v | 0x80);
	b[n++] = (unsigned char)v;
	s->buf.len += n;
}

/* Signed as unsigned, small magnitudes small: 0, -1, 1, -2 -> 0, 1, 2, 3. */
static void
put_zigzag(struct report_spool *s, int64_t v)
{
	put_varint(s, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void
put_str(struct report_spool *s, const char *str)
{
	size_t n = str ? strlen(str) : 0;

	put_varint(s, str ? (uint64_t)n + 1 : 0);
	if (str)
		put(s, str, n + 1);
}

static void
put_id(struct report_spool *s, const char *id)
{
	size_t n = strlen(id), same = 0;

	while (same < n && same < s->prev_id.len && id[same] == s->prev_id.s[same])
		same++;
	put_varint(s, same);
	put_varint(s, n - same);
	put(s, id + same, n - same);
	s->prev_id.len = same;
	if (strbuf_addn(&s->prev_id, id + same, n - same) < 0)
		s->rc = TESTR_ENOMEM;
}

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool
same_tags(const struct testr_strv *a, const struct testr_strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* Remember @a's worker and tags, which the next record may repeat. */
static void
remember(struct report_spool *s, const struct report_attempt *a,
	 unsigned flags)
{
	if (!(flags & F_SAME_WORKER)) {
		free(s->prev_worker);
		s->prev_worker = a->worker ? strdup(a->worker) : NULL;
		if (a->worker && !s->prev_worker)
			s->rc = TESTR_ENOMEM;
	}
	if (!(flags & F_SAME_TAGS)) {
		testr_strv_dispose(&s->prev_tags);
		for (size_t i = 0; i < a->tags.n && s->rc == 0; i++)
			if (testr_strv_push(&s->prev_tags, a->tags.v[i]) < 0)
				s->rc = TESTR_ENOMEM;
	}
}

static void
put_times(struct report_spool *s, const struct report_attempt *a)
{
	if (a->has_start) {
		put_zigzag(s, (int64_t)((uint64_t)a->start_ns -
					(uint64_t)s->prev_start));
		s->prev_start = a->start_ns;
	}
	if (a->has_end)
		put_zigzag(s, (int64_t)((uint64_t)a->end_ns -
					(uint64_t)s->prev_start));
}

static void
put_file(struct report_spool *s, const struct report_file *f)
{
	put_str(s, f->name);
	put_str(s, f->mime);
	put_varint(s, f->len);
	put(s, f->bytes, f->len);
}

static void
put_attempt(struct report_spool *s, const struct report_attempt *a)
{
	unsigned char flags = (unsigned char)(a->status & F_STATUS);
	uint64_t n = 0;

	flags |= (a->has_start ? F_START : 0) | (a->has_end ? F_END : 0);
	if (s->any && same_str(a->worker, s->prev_worker))
		flags |= F_SAME_WORKER;
	if (s->any && same_tags(&a->tags, &s->prev_tags))
		flags |= F_SAME_TAGS;
	put(s, &flags, 1);
	put_times(s, a);
	if (!(flags & F_SAME_WORKER))
		put_str(s, a->worker);
	if (!(flags & F_SAME_TAGS)) {
		put_varint(s, a->tags.n);
		for (size_t i = 0; i < a->tags.n; i++)
			put_str(s, a->tags.v[i]);
	}
	remember(s, a, flags);
	for (const struct report_file *f = a->files; f; f = f->next)
		n++;
	put_varint(s, n);
	for (const struct report_file *f = a->files; f; f = f->next)
		put_file(s, f);
	s->any = true;
}

/* Move the buffered records to the temporary file (made on first use). */
static int
spool_flush(struct report_spool *s, struct testr_context *ctx)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];

	if (s->fd < 0) {
		snprintf(path, sizeof(path), "%s/testr-report-XXXXXX",
			 dir && *dir ? dir : "/tmp");
		s->fd = mkostemp(path, O_CLOEXEC);
		if (s->fd < 0)
			return context_fail(ctx, TESTR_EIO, "report spool %s: %s",
					  path, strerror(errno));
		unlink(path);
	}
	if (fileio_write_all(s->fd, s->buf.s, s->buf.len) < 0)
		return context_fail(ctx, TESTR_EIO, "report spool: %s",
				  strerror(errno));
	s->flushed += s->buf.len;
	s->buf.len = 0;
	return 0;
}

int
report_spool_add(struct report_spool *s, struct testr_context *ctx,
		 const struct report_test *t)
{
	if (strbuf_reserve(&s->buf, record_room(t)) < 0)
		return TESTR_ENOMEM;
	put_id(s, t->id);
	put_attempt(s, t->first);
	if (s->rc < 0)
		return s->rc;
	return s->buf.len >= SPOOL_MEMORY_MAX ? spool_flush(s, ctx) : 0;
}

/* ---- reading back ---- */

int
report_spool_view(struct report_spool_view *out, struct report_spool *s,
		  struct testr_context *ctx)
{
	void *p;
	int rc;

	memset(out, 0, sizeof(*out));
	if (s->fd < 0) {
		out->data = (const unsigned char *)s->buf.s;
		out->len = s->buf.len;
		return 0;
	}
	if (s->buf.len && (rc = spool_flush(s, ctx)) < 0)
		return rc;
	if (s->flushed == 0)
		return 0;
	p = mmap(NULL, (size_t)s->flushed, PROT_READ, MAP_PRIVATE, s->fd, 0);
	if (p == MAP_FAILED)
		return context_fail(ctx, TESTR_EIO, "report spool: mmap: %s",
				  strerror(errno));
	out->data = p;
	out->len = (size_t)s->flushed;
	out->mapped = true;
	return 0;
}

void
report_spool_unview(struct report_spool_view *v)
{
	if (v->mapped)
		munmap((void *)v->data, v->len);
	memset(v, 0, sizeof(*v));
}

/* A cursor over spooled records; a short record sets bad and stops. */
struct cursor {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t
take_varint(struct cursor *c)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end)
			break;
		v |= (uint64_t)(*c->p & 0x7f) << shift;
		if (!(*c->p++ & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

static int64_t
take_zigzag(struct cursor *c)
{
	uint64_t v = take_varint(c);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* @n bytes at the cursor (NULL when fewer are left). */
static const unsigned char *
take_bytes(struct cursor *c, uint64_t n)
{
	const unsigned char *p = c->p;

	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	return p;
}

static char *
take_str(struct cursor *c)
{
	uint64_t n = take_varint(c);
	char *s;

	if (c->bad || n == 0)
		return NULL;
	s = (char *)take_bytes(c, n);	/* the writers only read it */
	if (s && s[n - 1] != '\0')
		c->bad = true;
	return c->bad ? NULL : s;
}

static int
reserve(void **v, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n <= *cap)
		return 0;
	p = realloc(*v, n * size);
	if (!p)
		return TESTR_ENOMEM;
	*v = p;
	*cap = n;
	return 0;
}

/* The id: the bytes it shares with the one before, then the rest. */
static int
take_id(struct cursor *c, struct report_spool_scratch *sc)
{
	uint64_t same = take_varint(c), rest = take_varint(c);
	const unsigned char *p = take_bytes(c, rest);

	if (!p || same > sc->id.len) {
		c->bad = true;
		return 0;
	}
	sc->id.len = (size_t)same;
	return strbuf_addn(&sc->id, (const char *)p, (size_t)rest);
}

static int
take_tags(struct cursor *c, struct report_spool_scratch *sc)
{
	uint64_t n = take_varint(c);

	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		return 0;
	}
	if (reserve((void **)&sc->tags, &sc->tags_cap, (size_t)n,
		    sizeof(char *)) < 0)
		return TESTR_ENOMEM;
	for (uint64_t i = 0; i < n; i++)
		sc->tags[i] = take_str(c);
	sc->n_tags = (size_t)n;
	return 0;
}

static int
take_files(struct cursor *c, struct report_spool_scratch *sc)
{
	uint64_t n = take_varint(c);

	if (c->bad || n > (uint64_t)(c->end - c->p) / 3) {
		c->bad = true;
		return 0;
	}
	if (reserve((void **)&sc->files, &sc->files_cap, (size_t)n,
		    sizeof(*sc->files)) < 0)
		return TESTR_ENOMEM;
	for (uint64_t i = 0; i < n && !c->bad; i++) {
		struct report_file *f = &sc->files[i];

		f->name = take_str(c);
		f->mime = take_str(c);
		f->len = (size_t)take_varint(c);
		f->bytes = (unsigned char *)take_bytes(c, f->len);
		f->next = i + 1 < n ? &sc->files[i + 1] : NULL;
	}
	sc->attempt.files = n ? sc->files : NULL;
	sc->attempt.files_tail = n ? &sc->files[n - 1] : NULL;
	return 0;
}

static void
take_times(struct cursor *c, struct report_spool_scratch *sc,
	   unsigned flags)
{
	struct report_attempt *a = &sc->attempt;

	a->has_start = flags & F_START;
	a->has_end = flags & F_END;
	if (a->has_start) {
		sc->prev_start = (int64_t)((uint64_t)sc->prev_start +
					   (uint64_t)take_zigzag(c));
		a->start_ns = sc->prev_start;
	}
	if (a->has_end)
		a->end_ns = (int64_t)((uint64_t)sc->prev_start +
				      (uint64_t)take_zigzag(c));
}

/* Decode the record at the cursor into @sc (pointing into the spool). */
static int
take_test(struct cursor *c, struct report_spool_scratch *sc)
{
	struct report_attempt *a = &sc->attempt;
	const unsigned char *fp;
	unsigned flags;
	int rc = take_id(c, sc);

	memset(a, 0, sizeof(*a));
	sc->test = (struct report_test){ .first = a, .last = a };
	fp = take_bytes(c, 1);
	flags = fp ? *fp : 0;
	a->status = (enum testr_status)(flags & F_STATUS);
	take_times(c, sc, flags);
	if (!(flags & F_SAME_WORKER))
		sc->worker = take_str(c);
	if (rc == 0 && !(flags & F_SAME_TAGS))
		rc = take_tags(c, sc);
	if (rc == 0)
		rc = take_files(c, sc);
	a->worker = sc->worker;
	a->tags = (struct testr_strv){ sc->tags, sc->n_tags, sc->n_tags };
	sc->test.id = sc->id.s;
	if (rc == 0 && (c->bad || !sc->test.id))
		rc = TESTR_ECORRUPT;
	return rc;
}

/*
 * Drop the mapped pages before @pos from memory once a few MiB were read:
 * the spool is read once, front to back, and should not count against the
 * process as a whole.  (A private read-only mapping: pages come back from
 * the file if touched again.)
 */
static void
release_read(struct report_spool_view *v, size_t pos)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t upto = pos / page * page;

	if (upto < v->released + SPOOL_MEMORY_MAX)
		return;
	madvise((void *)(v->data + v->released), upto - v->released,
		MADV_DONTNEED);
	v->released = upto;
}

int
report_spool_each(struct report_spool_view *v, size_t *pos, size_t end,
		  struct report_spool_scratch *sc, report_test_fn fn, void *ud)
{
	struct cursor c;
	int rc = 0;

	if (*pos >= end || end > v->len)
		return end > v->len ? TESTR_ECORRUPT : 0;
	c = (struct cursor){ v->data + *pos, v->data + end, false };
	while (rc == 0 && c.p < c.end) {
		rc = take_test(&c, sc);
		if (rc == 0)
			fn(ud, &sc->test);
		if (v->mapped)
			release_read(v, (size_t)(c.p - v->data));
	}
	*pos = (size_t)(c.p - v->data);
	return rc;
}

void
report_spool_scratch_dispose(struct report_spool_scratch *sc)
{
	strbuf_dispose(&sc->id);
	free(sc->tags);
	free(sc->files);
	memset(sc, 0, sizeof(*sc));
}
