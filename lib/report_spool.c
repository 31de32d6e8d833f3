/*
 * The spool of a report: each test whose result is settled (one record
 * that passed, was skipped or was an expected failure) is written out here
 * in a compact binary form and freed, so a report of a run of any size
 * holds only its tests in progress and its failures.  The spool stays in
 * memory up to 1 MiB, then moves to an unlinked temporary file; the
 * writers read it back in order (report.c, report_each_test()).
 *
 * A record: id, status byte, has_start/has_end bytes, start and end ns,
 * worker, tag count and tags, file count and files (name, MIME type, bytes).
 * Strings are a u32 length (UINT32_MAX: NULL), the bytes and a NUL, so the
 * reader points into the spool instead of copying.
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

#define SPOOL_MEMORY_MAX (1u << 20)
#define NO_STRING UINT32_MAX

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

static void
put(struct report_spool *s, const void *p, size_t n)
{
	if (s->rc == 0 && strbuf_addn(&s->buf, p, n) < 0)
		s->rc = TESTR_ENOMEM;
}

static void
put_u32(struct report_spool *s, uint32_t v)
{
	put(s, &v, sizeof(v));
}

static void
put_str(struct report_spool *s, const char *str)
{
	size_t n = str ? strlen(str) : 0;

	if (n >= NO_STRING) {		/* no id or name is 4 GiB long */
		s->rc = s->rc ? s->rc : TESTR_EINVAL;
		return;
	}
	put_u32(s, str ? (uint32_t)n : NO_STRING);
	if (str)
		put(s, str, n + 1);
}

static void
put_file(struct report_spool *s, const struct report_file *f)
{
	uint64_t len = f->len;

	put_str(s, f->name);
	put_str(s, f->mime);
	put(s, &len, sizeof(len));
	put(s, f->bytes, f->len);
}

static void
put_attempt(struct report_spool *s, const struct report_attempt *a)
{
	unsigned char flags[3] = { (unsigned char)a->status, a->has_start,
				   a->has_end };
	uint32_t n = 0;

	put(s, flags, sizeof(flags));
	put(s, &a->start_ns, sizeof(a->start_ns));
	put(s, &a->end_ns, sizeof(a->end_ns));
	put_str(s, a->worker);
	put_u32(s, (uint32_t)a->tags.n);
	for (size_t i = 0; i < a->tags.n; i++)
		put_str(s, a->tags.v[i]);
	for (const struct report_file *f = a->files; f; f = f->next)
		n++;
	put_u32(s, n);
	for (const struct report_file *f = a->files; f; f = f->next)
		put_file(s, f);
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
	put_str(s, t->id);
	put_attempt(s, t->first);
	if (s->rc < 0)
		return s->rc == TESTR_ENOMEM ? TESTR_ENOMEM :
		       context_fail(ctx, s->rc, "report: a string too long");
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

static bool
take(struct cursor *c, void *out, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return false;
	}
	memcpy(out, c->p, n);
	c->p += n;
	return true;
}

static char *
take_str(struct cursor *c)
{
	uint32_t n;
	char *s;

	if (!take(c, &n, sizeof(n)) || n == NO_STRING)
		return NULL;
	if ((size_t)(c->end - c->p) <= n) {
		c->bad = true;
		return NULL;
	}
	s = (char *)c->p;	/* the writers only read it */
	c->p += n + 1;
	return s;
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

static int
take_tags(struct cursor *c, struct report_spool_scratch *sc)
{
	struct report_attempt *a = &sc->attempt;
	uint32_t n = 0;

	if (!take(c, &n, sizeof(n)) || n > (size_t)(c->end - c->p) / 4) {
		c->bad = true;
		return 0;
	}
	if (reserve((void **)&sc->tags, &sc->tags_cap, n, sizeof(char *)) < 0)
		return TESTR_ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		sc->tags[i] = take_str(c);
	a->tags.v = sc->tags;
	a->tags.n = n;
	a->tags.cap = n;
	return 0;
}

static int
take_files(struct cursor *c, struct report_spool_scratch *sc)
{
	uint32_t n = 0;
	uint64_t len = 0;

	if (!take(c, &n, sizeof(n)) || n > (size_t)(c->end - c->p) / 16) {
		c->bad = true;
		return 0;
	}
	if (reserve((void **)&sc->files, &sc->files_cap, n,
		    sizeof(*sc->files)) < 0)
		return TESTR_ENOMEM;
	for (uint32_t i = 0; i < n && !c->bad; i++) {
		struct report_file *f = &sc->files[i];

		f->name = take_str(c);
		f->mime = take_str(c);
		if (!take(c, &len, sizeof(len)) ||
		    len > (size_t)(c->end - c->p)) {
			c->bad = true;
			return 0;
		}
		f->bytes = (unsigned char *)c->p;
		f->len = (size_t)len;
		c->p += len;
		f->next = i + 1 < n ? &sc->files[i + 1] : NULL;
	}
	sc->attempt.files = n ? sc->files : NULL;
	sc->attempt.files_tail = n ? &sc->files[n - 1] : NULL;
	return 0;
}

/* Decode the record at the cursor into @sc (pointing into the spool). */
static int
take_test(struct cursor *c, struct report_spool_scratch *sc)
{
	struct report_attempt *a = &sc->attempt;
	unsigned char flags[3] = { 0 };
	int rc;

	memset(a, 0, sizeof(*a));
	sc->test = (struct report_test){ .first = a, .last = a };
	sc->test.id = take_str(c);
	take(c, flags, sizeof(flags));
	take(c, &a->start_ns, sizeof(a->start_ns));
	take(c, &a->end_ns, sizeof(a->end_ns));
	a->status = (enum testr_status)flags[0];
	a->has_start = flags[1];
	a->has_end = flags[2];
	a->worker = take_str(c);
	rc = take_tags(c, sc);
	if (rc == 0)
		rc = take_files(c, sc);
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
	free(sc->tags);
	free(sc->files);
	memset(sc, 0, sizeof(*sc));
}
