/*
 * The durations store "times": one header line, then "<id>\t<seconds>\n"
 * lines sorted by id, so a lookup is a binary search over a mapping of the
 * file and an update is one merge pass.  The header carries a CRC32 of the
 * body (corruption means rebuild from the runs) and how many runs it covers
 * (fewer than stored means a writer was killed: fold in the rest).
 */
#include "config-build.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "context.h"
#include "repo.h"

#define TIMES_MAGIC "libtestr-durations 1 "

static bool
needs_escape(const char *id, size_t len)
{
	/* ids are NUL-terminated: one strcspn scan instead of three memchr */
	return strcspn(id, "\\\n\t") < len;
}

size_t
repo_escape(char *out, const char *id, size_t len)
{
	size_t o = 0;

	if (!needs_escape(id, len)) {
		memcpy(out, id, len);
		return len;
	}
	for (size_t i = 0; i < len; i++) {
		char c = id[i];

		if (c == '\\' || c == '\n' || c == '\t') {
			out[o++] = '\\';
			c = c == '\n' ? 'n' : c == '\t' ? 't' : '\\';
		}
		out[o++] = c;
	}
	return o;
}

size_t
repo_unescape(char *out, const char *esc, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = esc[i];

		if (c == '\\' && i + 1 < len) {
			c = esc[++i];
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		out[o++] = c;
	}
	return o;
}

static int
cmp_ids(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
parse_header(struct repo_times *t, const char *path, struct testr_context *ctx)
{
	const unsigned char *nl = memchr(t->map.data, '\n', t->map.len);
	unsigned long crc = 0;
	char head[160];
	size_t hlen;
	int used = 0;

	if (!nl || (hlen = (size_t)(nl - t->map.data)) >= sizeof(head))
		return testr_fail(ctx, TESTR_ECORRUPT, "%s:1: bad header", path);
	memcpy(head, t->map.data, hlen);
	head[hlen] = '\0';
	if (sscanf(head, TIMES_MAGIC "runs=%" SCNu64 " tests=%" SCNu64
		   " crc32=%lx%n", &t->upto, &t->n, &crc, &used) != 3 ||
	    hlen - (size_t)used != strspn(head + used, " "))
		return testr_fail(ctx, TESTR_ECORRUPT, "%s:1: bad header: '%s'",
				  path, head);
	t->body = nl + 1;
	t->body_len = t->map.len - hlen - 1;
	if (crc32_z(0, t->body, t->body_len) != crc ||
	    (t->body_len && t->body[t->body_len - 1] != '\n'))
		return testr_fail(ctx, TESTR_ECORRUPT, "%s: checksum mismatch",
				  path);
	return 0;
}

int
repo_times_open(struct repo_times *t, struct testr_repo *repo)
{
	char *path = repo_file(repo, "times");
	int rc;

	memset(t, 0, sizeof(*t));
	if (!path)
		return TESTR_ENOMEM;
	rc = fileio_map_file(&t->map, repo->ctx, path);
	if (rc == 0 && !t->map.data)
		rc = testr_fail(repo->ctx, TESTR_ECORRUPT, "%s: empty", path);
	if (rc == 0)
		rc = parse_header(t, path, repo->ctx);
	if (rc < 0)
		repo_times_close(t);
	free(path);
	return rc;
}

void
repo_times_close(struct repo_times *t)
{
	fileio_unmap(&t->map);
	memset(t, 0, sizeof(*t));
}

/* The line around byte @pos of the body: [*start, *end) without the '\n'. */
static void
line_at(const struct repo_times *t, size_t lo, size_t pos, size_t *start,
	size_t *end)
{
	const unsigned char *b = t->body;
	const unsigned char *nl = memchr(b + pos, '\n', t->body_len - pos);

	while (pos > lo && b[pos - 1] != '\n')
		pos--;
	*start = pos;
	*end = nl ? (size_t)(nl - b) : t->body_len;
}

bool
repo_times_lookup(const struct repo_times *t, const char *id, size_t len,
		  double *out)
{
	char stackbuf[512], *esc = len * 2 <= sizeof(stackbuf) ? stackbuf :
				   malloc(len * 2);
	size_t elen, lo = 0, hi = t->body_len;
	bool found = false;

	if (!esc)
		return false;
	elen = repo_escape(esc, id, len);
	while (lo < hi && !found) {
		size_t s, e, klen;
		const char *line, *tab;
		int c;

		line_at(t, lo, lo + (hi - lo) / 2, &s, &e);
		line = (const char *)t->body + s;
		tab = memchr(line, '\t', e - s);
		klen = tab ? (size_t)(tab - line) : e - s;
		c = cmp_ids(esc, elen, line, klen);
		if (c == 0 && !tab) {
			break;		/* malformed line (the CRC passed) */
		} else if (c == 0) {
			*out = strtod(line + klen + 1, NULL);
			found = true;
		} else if (c < 0) {
			hi = s;
		} else {
			lo = e + 1;
		}
	}
	if (esc != stackbuf)
		free(esc);
	return found;
}

struct new_time {
	const char *esc;	/* escaped id, NUL-terminated */
	double seconds;
};

static int
by_escaped_id(const void *a, const void *b)
{
	const struct new_time *x = a, *y = b;

	return strcmp(x->esc, y->esc);
}

/*
 * The timed tests of @tests sorted by escaped id.  Ids that need escaping
 * (rare) get an escaped copy in *out_copies; the others are used in place.
 */
static int
collect_new(struct new_time **out, size_t *out_n, struct testr_strv *copies,
	    const struct repo_idmap *tests)
{
	struct new_time *v = malloc((tests->n + 1) * sizeof(*v));
	size_t n = 0;
	int rc = v ? 0 : TESTR_ENOMEM;

	for (size_t i = 0; rc == 0 && i < tests->n; i++) {
		const struct repo_test *t = repo_idmap_at(tests, i);
		char *e;

		if (!(t->flags & TEST_TIMED))
			continue;
		v[n].seconds = t->seconds;
		v[n].esc = t->id;
		if (needs_escape(t->id, t->id_len)) {
			e = malloc((size_t)t->id_len * 2 + 1);
			if (!e || testr_strv_push(copies, "") < 0) {
				free(e);
				rc = TESTR_ENOMEM;
				break;
			}
			e[repo_escape(e, t->id, t->id_len)] = '\0';
			free(copies->v[copies->n - 1]);
			copies->v[copies->n - 1] = e;
			v[n].esc = e;
		}
		n++;
	}
	if (rc < 0) {
		free(v);
		return rc;
	}
	qsort(v, n, sizeof(*v), by_escaped_id);
	*out = v;
	*out_n = n;
	return 0;
}

size_t
repo_format_seconds(char *buf, double seconds)
{
	/* "%.6f", without printf's cost on a million lines. */
	double x = seconds * 1e6;
	long long us = (long long)(x < 0 ? x - 0.5 : x + 0.5);
	bool neg = us < 0;
	unsigned long long u = neg ? 0ULL - (unsigned long long)us :
				     (unsigned long long)us;
	char tmp[32];
	size_t n = 0, o = 0;

	for (int i = 0; i < 6; i++, u /= 10)
		tmp[n++] = (char)('0' + u % 10);
	tmp[n++] = '.';
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (neg)
		buf[o++] = '-';
	while (n)
		buf[o++] = tmp[--n];
	buf[o] = '\0';
	return o;
}

struct body_writer {
	char *buf;
	size_t len, cap;
	uint64_t n;
	uLong crc;
	struct fileio_out *out;
};

/* Lines are staged so the CRC can be computed as they stream out. */
static int
body_line(struct body_writer *w, const char *esc, size_t len, const char *val,
	  size_t vlen)
{
	int rc = 0;

	if (w->len + len + vlen + 2 > w->cap) {
		w->crc = crc32_z(w->crc, (const Bytef *)w->buf, w->len);
		rc = fileio_out_write(w->out, w->buf, w->len);
		w->len = 0;
		if (len + vlen + 2 > w->cap)
			return rc < 0 ? rc : TESTR_EINVAL;
	}
	memcpy(w->buf + w->len, esc, len);
	w->buf[w->len + len] = '\t';
	memcpy(w->buf + w->len + len + 1, val, vlen);
	w->buf[w->len + len + 1 + vlen] = '\n';
	w->len += len + vlen + 2;
	w->n++;
	return rc;
}

static int
body_new_line(struct body_writer *w, const struct new_time *t)
{
	char val[40];
	size_t n = repo_format_seconds(val, t->seconds);

	return body_line(w, t->esc, strlen(t->esc), val, n);
}

/* Merge the sorted old body and the sorted new entries (new ones win). */
static int
merge(struct body_writer *w, const struct repo_times *old,
      const struct new_time *v, size_t n)
{
	const char *p = old ? (const char *)old->body : NULL;
	const char *end = p ? p + old->body_len : NULL;
	size_t i = 0;
	int rc = 0;

	while (rc == 0 && p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *tab = memchr(p, '\t', (size_t)(nl - p));
		size_t klen = tab ? (size_t)(tab - p) : 0;
		int c = 1;

		while (rc == 0 && i < n &&
		       (c = cmp_ids(v[i].esc, strlen(v[i].esc), p, klen)) < 0)
			rc = body_new_line(w, &v[i++]);
		if (rc == 0 && c == 0)
			rc = body_new_line(w, &v[i++]);
		else if (rc == 0 && tab)
			rc = body_line(w, p, klen, tab + 1, (size_t)(nl - tab - 1));
		p = nl + 1;
	}
	while (rc == 0 && i < n)
		rc = body_new_line(w, &v[i++]);
	if (rc == 0) {
		w->crc = crc32_z(w->crc, (const Bytef *)w->buf, w->len);
		rc = fileio_out_write(w->out, w->buf, w->len);
		w->len = 0;
	}
	return rc;
}

/*
 * The header goes first but holds the count and CRC of the body: write the
 * body to a scratch file, then the real file from header + scratch.  To keep
 * it to one pass, the header is written last into a fixed-width slot.
 */
#define HEADER_WIDTH 96

int
repo_times_write(struct testr_repo *repo, const struct repo_times *old,
		 const struct repo_idmap *tests, uint64_t upto)
{
	struct body_writer w = { .crc = crc32_z(0, NULL, 0), .cap = 1u << 20 };
	struct fileio_out out;
	struct new_time *v = NULL;
	struct testr_strv copies = TESTR_STRV_INIT;
	char *path = repo_file(repo, "times");
	char head[HEADER_WIDTH + 1];
	size_t n = 0;
	int rc = path ? collect_new(&v, &n, &copies, tests) : TESTR_ENOMEM;

	if (rc < 0)
		goto done;
	w.buf = malloc(w.cap);
	rc = w.buf ? fileio_out_open(&out, repo->ctx, path) : TESTR_ENOMEM;
	if (rc < 0)
		goto done;
	w.out = &out;
	memset(head, ' ', HEADER_WIDTH);
	rc = fileio_out_write(&out, head, HEADER_WIDTH);
	if (rc == 0)
		rc = merge(&w, old, v, n);
	if (rc == 0)
		rc = fileio_out_flush_header(&out, head, HEADER_WIDTH,
			TIMES_MAGIC "runs=%" PRIu64 " tests=%" PRIu64
			" crc32=%08lx", upto, w.n, (unsigned long)w.crc);
	if (rc == 0)
		rc = fileio_out_commit(&out);
	else
		fileio_out_abort(&out);
done:
	free(w.buf);
	free(v);
	testr_strv_dispose(&copies);
	free(path);
	return rc;
}

/* Fold the timed tests of one finished scan into @all (later runs win). */
static int
fold_times(struct repo_idmap *all, const struct repo_scan *one)
{
	for (size_t i = 0; i < one->tests.n; i++) {
		const struct repo_test *t = repo_idmap_at(&one->tests, i);
		struct repo_test *a;

		if (!(t->flags & TEST_TIMED))
			continue;
		a = repo_idmap_get(all, t->id, t->id_len);
		if (!a)
			return TESTR_ENOMEM;
		a->seconds = t->seconds;
		a->flags |= TEST_TIMED;
	}
	return 0;
}

int
repo_collect_times(struct repo_idmap *all, struct testr_repo *repo,
		   uint64_t from, uint64_t to)
{
	int rc = 0;

	for (uint64_t id = from; rc == 0 && id < to; id++) {
		struct repo_scan one;
		char *path = repo_run_file(repo, id, "");

		if (!path)
			return TESTR_ENOMEM;
		repo_scan_init(&one);
		rc = repo_scan_file(&one, repo, path);
		if (rc < 0 && rc != TESTR_ENOMEM) {
			/* Damaged or unreadable: what was read still counts. */
			testr_log(repo->ctx, TESTR_LOG_WARNING, "%s; skipped",
				  testr_context_error(repo->ctx));
			rc = 0;
		}
		if (rc == 0)
			rc = fold_times(all, &one);
		repo_scan_dispose(&one);
		free(path);
	}
	return rc;
}

int
repo_times_update(struct testr_repo *repo, uint64_t count)
{
	struct repo_times old;
	struct repo_idmap fresh;
	uint64_t from = 0;
	int rc = repo_times_open(&old, repo);

	if (rc == TESTR_ECORRUPT)
		testr_log(repo->ctx, TESTR_LOG_WARNING,
			  "%s; rebuilding it from the runs",
			  testr_context_error(repo->ctx));
	if (rc < 0 && rc != TESTR_ECORRUPT && rc != TESTR_ENOTFOUND)
		return rc;
	if (rc == 0 && old.upto > count) {
		testr_log(repo->ctx, TESTR_LOG_WARNING, "durations cover more "
			  "runs than stored; rebuilding them from the runs");
		repo_times_close(&old);
		rc = TESTR_ENOTFOUND;
	}
	if (rc == 0 && old.upto == count) {
		repo_times_close(&old);
		return 0;
	}
	if (rc == 0)
		from = old.upto;
	repo_idmap_init(&fresh);
	rc = repo_collect_times(&fresh, repo, from, count);
	if (rc == 0)
		rc = repo_times_write(repo, from ? &old : NULL, &fresh, count);
	repo_idmap_dispose(&fresh);
	repo_times_close(&old);
	return rc;
}
