/*
 * The durations store "times": one header line, then one line per test,
 * "<id>\t<last>\t<estimate>\t<spread>\t<samples>\n" (version 2; version 1
 * had "<id>\t<seconds>\n"), sorted by id, so a lookup is a binary search
 * over a mapping of the file and an update is one merge pass.  Each line is
 * one test's duration model (model.c).  The header carries a CRC32 of the
 * body (corruption means rebuild from the runs) and how many runs it covers
 * (fewer than stored means a writer was killed: fold in the rest).
 */
#include "config-build.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "array.h"
#include "context.h"
#include "model.h"
#include "repo_times.h"

#define TIMES_MAGIC_1 "libtestr-durations 1 "
#define TIMES_MAGIC_2 "libtestr-durations 2 "
/* The header is written last into a fixed-width slot at the start. */
#define HEADER_WIDTH 128

static int
cmp_ids(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* "median=M" of a version 2 header; "-" when nothing is measured. */
static bool
parse_median(double *out, const char *s)
{
	char *end;

	if (strcmp(s, "-") == 0) {
		*out = NAN;
		return true;
	}
	*out = strtod(s, &end);
	return end != s && *end == '\0' && isfinite(*out) && *out >= 0;
}

/* Version 2 carries the project median; version 1 (libtestr before the
 * duration model) has only the last duration per test. */
static bool
scan_header(struct repo_times *t, const char *head, unsigned long *crc)
{
	char median[48];
	int used = 0;

	t->median = NAN;
	if (sscanf(head, TIMES_MAGIC_1 "runs=%" SCNu64 " tests=%" SCNu64
		   " crc32=%lx%n", &t->upto, &t->n, crc, &used) == 3) {
		t->version = 1;
	} else if (sscanf(head, TIMES_MAGIC_2 "runs=%" SCNu64 " tests=%"
			  SCNu64 " median=%47s crc32=%lx%n", &t->upto, &t->n,
			  median, crc, &used) == 4 &&
		   parse_median(&t->median, median)) {
		t->version = 2;
	} else {
		return false;
	}
	return strlen(head) - (size_t)used == strspn(head + used, " ");
}

static int
parse_header(struct repo_times *t, const char *path, struct testr_repo *repo)
{
	struct testr_context *ctx = repo->ctx;
	const unsigned char *nl = memchr(t->map.data, '\n', t->map.len);
	unsigned long crc = 0;
	char head[HEADER_WIDTH + 1];
	size_t hlen;

	if (!nl || (hlen = (size_t)(nl - t->map.data)) >= sizeof(head))
		return context_fail(ctx, TESTR_ECORRUPT, "%s:1: bad header", path);
	memcpy(head, t->map.data, hlen);
	head[hlen] = '\0';
	if (!scan_header(t, head, &crc))
		return context_fail(ctx, TESTR_ECORRUPT, "%s:1: bad header: '%s'",
				  path, head);
	t->body = nl + 1;
	t->body_len = t->map.len - hlen - 1;
	if (t->body_len && t->body[t->body_len - 1] != '\n')
		return context_fail(ctx, TESTR_ECORRUPT, "%s: checksum mismatch",
				  path);
	if (repo->times_checked_set &&
	    fileio_same_ident(&repo->times_checked, &t->map.ident))
		return 0;
	if (crc32_z(0, t->body, t->body_len) != crc)
		return context_fail(ctx, TESTR_ECORRUPT, "%s: checksum mismatch",
				  path);
	repo->times_checked = t->map.ident;
	repo->times_checked_set = true;
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
		rc = context_fail(repo->ctx, TESTR_ECORRUPT, "%s: empty", path);
	if (rc == 0)
		rc = parse_header(t, path, repo);
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

/*
 * Binary search for @id: the rest of its line (after the id's tab) into
 * [*rest, *rest + *rest_len).  False when absent.
 */
static bool
find_rest(const struct repo_times *t, const char *id, size_t len,
	  const char **rest, size_t *rest_len)
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
			*rest = tab + 1;
			*rest_len = e - s - klen - 1;
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

/* The model of one line's @rest, in either version; false if malformed. */
static bool
parse_rest(struct model_rec *out, unsigned version, const char *rest,
	   size_t len)
{
	char buf[48], *end;
	double v;

	if (version == 2)
		return model_parse(out, rest, len);
	model_init(out);
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, rest, len);
	buf[len] = '\0';
	v = strtod(buf, &end);
	if (*end || !isfinite(v))
		return false;
	/* Version 1 kept one duration, failed or not: our best sample. */
	model_observe(out, v, true);
	return true;
}

bool
repo_times_model(const struct repo_times *t, const char *id, size_t len,
		 struct model_rec *out)
{
	const char *rest;
	size_t rlen;

	return find_rest(t, id, len, &rest, &rlen) &&
	       parse_rest(out, t->version, rest, rlen);
}

bool
repo_times_lookup(const struct repo_times *t, const char *id, size_t len,
		  double *out)
{
	struct model_rec m;

	if (!repo_times_model(t, id, len, &m) || isnan(m.last))
		return false;
	*out = m.last;
	return true;
}

/* One asked id, escaped as the store spells it, and where its answer goes. */
struct wanted {
	const char *esc;
	size_t len;
	size_t index;
	bool copied;	/* esc is ours to free */
};

static int
by_wanted(const void *a, const void *b)
{
	const struct wanted *x = a, *y = b;

	return cmp_ids(x->esc, x->len, y->esc, y->len);
}

/* @ids, escaped, sorted as the store's lines are. */
static struct wanted *
sorted_wanted(const char *const *ids, size_t n)
{
	struct wanted *v = calloc(n + 1, sizeof(*v));

	for (size_t i = 0; v && i < n; i++) {
		size_t len = strlen(ids[i]);
		char *e;

		v[i] = (struct wanted){ ids[i], len, i, false };
		if (!repo_needs_escape(ids[i], len))
			continue;
		if (!(e = malloc(len * 2 + 1))) {
			for (size_t k = 0; k < i; k++)
				if (v[k].copied)
					free((char *)v[k].esc);
			free(v);
			return NULL;
		}
		v[i] = (struct wanted){ e, repo_escape(e, ids[i], len), i, true };
	}
	if (v)
		qsort(v, n, sizeof(*v), by_wanted);
	return v;
}

/* The store's lines and the sorted ids, walked side by side. */
static void
merge_wanted(const struct repo_times *t, const struct wanted *v, size_t n,
	     repo_times_found_fn fn, void *userdata)
{
	const char *p = (const char *)t->body, *end = p + t->body_len;
	size_t i = 0;

	while (p < end && i < n) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *tab = memchr(p, '\t', (size_t)(nl - p));
		size_t klen = tab ? (size_t)(tab - p) : 0;
		struct model_rec m;
		int c = 1;

		while (tab && i < n && (c = cmp_ids(v[i].esc, v[i].len, p,
						    klen)) < 0)
			i++;
		for (; tab && c == 0 && i < n &&
		     cmp_ids(v[i].esc, v[i].len, p, klen) == 0; i++)
			if (parse_rest(&m, t->version, tab + 1,
				       (size_t)(nl - tab - 1)))
				fn(userdata, v[i].index, &m);
		p = nl + 1;
	}
}

int
repo_times_models(const struct repo_times *t, const char *const *ids,
		  size_t n, repo_times_found_fn fn, void *userdata)
{
	struct wanted *v;
	struct model_rec m;

	/* A few ids: a binary search each beats reading every line. */
	if (n * 64 < t->n) {
		for (size_t i = 0; i < n; i++)
			if (repo_times_model(t, ids[i], strlen(ids[i]), &m))
				fn(userdata, i, &m);
		return 0;
	}
	if (!(v = sorted_wanted(ids, n)))
		return TESTR_ENOMEM;
	merge_wanted(t, v, n, fn, userdata);
	for (size_t i = 0; i < n; i++)
		if (v[i].copied)
			free((char *)v[i].esc);
	free(v);
	return 0;
}

int
repo_times_each(const struct repo_times *t, repo_times_fn fn, void *userdata)
{
	const char *p = (const char *)t->body, *end = p + t->body_len;
	int rc = 0;

	while (rc == 0 && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *tab = memchr(p, '\t', (size_t)(nl - p));
		struct model_rec m;

		if (tab && parse_rest(&m, t->version, tab + 1,
				      (size_t)(nl - tab - 1)))
			rc = fn(userdata, p, (size_t)(tab - p), &m);
		p = nl + 1;
	}
	return rc;
}

/* One test to write: a whole model (a rebuild), or one run's duration. */
struct new_time {
	const char *esc;	/* escaped id, NUL-terminated */
	const struct model_rec *rec;	/* NULL: seconds and passed */
	double seconds;
	bool passed;
};

static int
by_escaped_id(const void *a, const void *b)
{
	const struct new_time *x = a, *y = b;

	return strcmp(x->esc, y->esc);
}

/* The escaped form of @id: itself, or (rarely) a copy kept in @copies. */
static const char *
escaped(const char *id, size_t len, struct testr_strv *copies)
{
	char *e;

	if (!repo_needs_escape(id, len))
		return id;
	e = malloc(len * 2 + 1);
	if (!e || testr_strv_push(copies, "") < 0) {
		free(e);
		return NULL;
	}
	e[repo_escape(e, id, len)] = '\0';
	free(copies->v[copies->n - 1]);
	copies->v[copies->n - 1] = e;
	return e;
}

/*
 * The timed tests of @tests (one run), or every model of @models, sorted
 * by escaped id into *@out.
 */
static int
collect_new(struct new_time **out, size_t *out_n, struct testr_strv *copies,
	    const struct repo_idmap *tests, const struct repo_models *models)
{
	const struct repo_idmap *ids = models ? &models->ids : tests;
	struct new_time *v = malloc((ids->n + 1) * sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; v && i < ids->n; i++) {
		const struct repo_test *t = repo_idmap_at(ids, i);

		if (!models && !(t->flags & TEST_TIMED))
			continue;
		v[n] = (struct new_time){ escaped(t->id, t->id_len, copies),
			models ? &models->recs[i] : NULL, t->seconds,
			!(t->flags & TEST_FAILING) };
		if (!v[n++].esc) {
			free(v);
			v = NULL;
		}
	}
	if (!v)
		return TESTR_ENOMEM;
	qsort(v, n, sizeof(*v), by_escaped_id);
	*out = v;
	*out_n = n;
	return 0;
}

struct body_writer {
	char *buf;
	size_t len, cap;
	uint64_t n;
	uLong crc;
	struct fileio_out *out;
	double *est;		/* every test's estimate, for the project median */
	size_t n_est, cap_est;
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
note_estimate(struct body_writer *w, const struct model_rec *m)
{
	double e = model_estimate(m);

	if (isnan(e))
		return 0;
	if (w->n_est == w->cap_est) {
		size_t cap = w->cap_est ? w->cap_est * 2 : 1024;
		double *v = realloc(w->est, cap * sizeof(*v));

		if (!v)
			return TESTR_ENOMEM;
		w->est = v;
		w->cap_est = cap;
	}
	w->est[w->n_est++] = e;
	return 0;
}

static int
body_model(struct body_writer *w, const char *esc, size_t len,
	   const struct model_rec *m)
{
	char val[MODEL_LINE_MAX];
	size_t n = model_format(val, m);
	int rc = note_estimate(w, m);

	return rc < 0 ? rc : body_line(w, esc, len, val, n);
}

/* @old (may be NULL) with @t folded on top, written as one line. */
static int
body_new_line(struct body_writer *w, const struct new_time *t,
	      const struct model_rec *old)
{
	struct model_rec m;

	if (old)
		m = *old;
	else
		model_init(&m);
	if (t->rec)
		model_append(&m, t->rec);
	else
		model_observe(&m, t->seconds, t->passed);
	return body_model(w, t->esc, strlen(t->esc), &m);
}

/* Merge the sorted old body and the sorted new entries (new ones fold
 * onto old ones); every line comes out in version 2. */
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
		struct model_rec m;
		bool ok = tab && parse_rest(&m, old->version, tab + 1,
					    (size_t)(nl - tab - 1));
		int c = 1;

		while (rc == 0 && i < n &&
		       (c = cmp_ids(v[i].esc, strlen(v[i].esc), p, klen)) < 0)
			rc = body_new_line(w, &v[i++], NULL);
		if (rc == 0 && c == 0)
			rc = body_new_line(w, &v[i++], ok ? &m : NULL);
		else if (rc == 0 && ok)	/* a malformed line is dropped */
			rc = body_model(w, p, klen, &m);
		p = nl + 1;
	}
	while (rc == 0 && i < n)
		rc = body_new_line(w, &v[i++], NULL);
	if (rc == 0) {
		w->crc = crc32_z(w->crc, (const Bytef *)w->buf, w->len);
		rc = fileio_out_write(w->out, w->buf, w->len);
		w->len = 0;
	}
	return rc;
}

static int
write_store(struct testr_repo *repo, const struct repo_times *old,
	    const struct new_time *v, size_t n, uint64_t upto)
{
	struct body_writer w = { .crc = crc32_z(0, NULL, 0), .cap = 1u << 20 };
	struct fileio_out out;
	char *path = repo_file(repo, "times");
	char head[HEADER_WIDTH + 1], median[48] = "-";
	int rc = TESTR_ENOMEM;

	w.buf = malloc(w.cap);
	if (w.buf && path)
		rc = fileio_out_open(&out, repo->ctx, path);
	if (rc < 0)
		goto done;
	w.out = &out;
	/* The header holds the count and CRC of the body: it is written last,
	 * into a fixed-width slot, to keep this to one pass. */
	memset(head, ' ', HEADER_WIDTH);
	rc = fileio_out_write(&out, head, HEADER_WIDTH);
	if (rc == 0)
		rc = merge(&w, old, v, n);
	if (rc == 0 && w.n_est)
		repo_format_seconds(median, model_median(w.est, w.n_est));
	if (rc == 0)
		rc = fileio_out_flush_header(&out, head, HEADER_WIDTH,
			TIMES_MAGIC_2 "runs=%" PRIu64 " tests=%" PRIu64
			" median=%s crc32=%08lx", upto, w.n, median,
			(unsigned long)w.crc);
	if (rc == 0)
		rc = fileio_out_commit(&out);
	else
		fileio_out_abort(&out);
done:
	free(w.buf);
	free(w.est);
	free(path);
	return rc;
}

/* @old (may be NULL) with one run's timed tests (@tests) or with rebuilt
 * models (@models) folded on top. */
static int
write_with(struct testr_repo *repo, const struct repo_times *old,
	   const struct repo_idmap *tests, const struct repo_models *models,
	   uint64_t upto)
{
	struct new_time *v = NULL;
	struct testr_strv copies = TESTR_STRV_INIT;
	size_t n = 0;
	int rc = collect_new(&v, &n, &copies, tests, models);

	if (rc == 0)
		rc = write_store(repo, old, v, n, upto);
	free(v);
	testr_strv_dispose(&copies);
	return rc;
}

int
repo_times_write(struct testr_repo *repo, const struct repo_times *old,
		 const struct repo_idmap *tests, uint64_t upto)
{
	return write_with(repo, old, tests, NULL, upto);
}

/* ---- models rebuilt from stored runs ---- */

void
repo_models_init(struct repo_models *m)
{
	memset(m, 0, sizeof(*m));
	repo_idmap_init(&m->ids);
}

void
repo_models_dispose(struct repo_models *m)
{
	repo_idmap_dispose(&m->ids);
	free(m->recs);
}

/* The model of @id, created empty if new. */
static struct model_rec *
models_get(struct repo_models *m, const char *id, size_t len)
{
	size_t before = m->ids.n;
	struct repo_test *t = repo_idmap_get(&m->ids, id, len);

	if (!t)
		return NULL;
	if (m->ids.n > before) {
		if (array_reserve(&m->recs, &m->cap, m->ids.n,
				  sizeof(*m->recs), 256))
			return NULL;	/* the id stays, modelless: harmless */
		model_init(&m->recs[before]);
		t->start_ns = (int64_t)before;	/* this map's own use: the index */
	}
	return &m->recs[t->start_ns];
}

const struct model_rec *
repo_models_find(const struct repo_models *m, const char *id, size_t len)
{
	const struct repo_test *t = repo_idmap_find(&m->ids, id, len);

	return t ? &m->recs[t->start_ns] : NULL;
}

int
repo_models_fold(struct repo_models *m, const struct repo_scan *one)
{
	for (size_t i = 0; i < one->tests.n; i++) {
		const struct repo_test *t = repo_idmap_at(&one->tests, i);
		struct model_rec *r;

		if (!(t->flags & TEST_TIMED))
			continue;
		r = models_get(m, t->id, t->id_len);
		if (!r)
			return TESTR_ENOMEM;
		model_observe(r, t->seconds, !(t->flags & TEST_FAILING));
	}
	return 0;
}

int
repo_times_write_models(struct testr_repo *repo, const struct repo_times *old,
			const struct repo_models *models, uint64_t upto)
{
	return write_with(repo, old, NULL, models, upto);
}
