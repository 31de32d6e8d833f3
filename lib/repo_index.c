/*
 * The per-run index "<id>.index", written with the run: the run's summary
 * (for testr last's deltas), the size and CRC-32 of its run file (to catch a
 * run file emptied or replaced later), its timed tests slowest first
 * (testr slowest reads its first lines, never the run), then the history
 * section: each test's outcome and duration sorted by escaped id (a binary
 * search finds one) and its trailer line.  The header has its own CRC-32,
 * so reading a summary stays cheap; the end line carries one of the rest.
 */
#include "config-build.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "context.h"
#include "repo_index.h"

#define INDEX_MAGIC "libtestr-index 3"
#define INDEX_MAGIC_2 "libtestr-index 2"	/* before flaky counts */
#define INDEX_MAGIC_1 "libtestr-index 1"	/* before checksums */
#define HISTORY_TRAILER "history "
#define END_LINE_LEN 19			/* "end crc32=XXXXXXXX\n" */

static int
by_seconds_desc(const void *a, const void *b)
{
	const struct repo_test *x = *(const struct repo_test *const *)a;
	const struct repo_test *y = *(const struct repo_test *const *)b;

	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? 1 : -1;
	return strcmp(x->id, y->id);
}

/*
 * The tests of the run that have a duration, slowest first: from this run,
 * else the remembered one (copied into the entry).
 */
static const struct repo_test **
timed_tests(size_t *out_n, struct repo_scan *scan,
	    const struct repo_times *times)
{
	const struct repo_test **v = malloc((scan->tests.n + 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < scan->tests.n; i++) {
		struct repo_test *t = repo_idmap_at(&scan->tests, i);
		double s;

		if (t->flags & TEST_TIMED) {
			v[n++] = t;
		} else if (times &&
			   repo_times_lookup(times, t->id, t->id_len, &s)) {
			t->seconds = s;
			v[n++] = t;
		}
	}
	qsort(v, n, sizeof(*v), by_seconds_desc);
	*out_n = n;
	return v;
}

/* The header lines, then "crc32=" of them. */
static int
write_header(struct fileio_out *o, uint64_t id, const struct repo_scan *scan,
	     int partial, size_t n, uint64_t run_bytes, uint32_t run_crc)
{
	const struct testr_run_summary *s = &scan->sum;
	char time[64] = "none", *head;
	int rc;

	if (s->has_time)
		snprintf(time, sizeof(time), "%.9f", s->time_taken);
	head = str_printf(INDEX_MAGIC "\nrun=%" PRIu64 "\npartial=%d\n"
			      "tests_run=%" PRIu64 "\nfailures=%" PRIu64
			      "\nskips=%" PRIu64 "\ntime=%s\ntimed=%zu\n"
			      "run_bytes=%" PRIu64 "\nrun_crc32=%08" PRIx32
			      "\nflaky=%" PRIu64 "\n",
			      id, partial, s->tests_run, s->failures, s->skips,
			      time, n, run_bytes, run_crc, s->flaky);
	if (!head)
		return TESTR_ENOMEM;
	rc = fileio_out_write(o, head, strlen(head));
	if (rc == 0)
		rc = fileio_out_printf(o, "crc32=%08lx\n",
				       crc32_z(0, (const Bytef *)head,
					       strlen(head)));
	free(head);
	return rc;
}

/* The lines after the header: written with their running CRC-32 (the
 * file's, from fileio_out_crc_start()). */
struct body_out {
	struct fileio_out *o;
	size_t bytes;
};

static int
body_write(struct body_out *b, const void *buf, size_t len)
{
	b->bytes += len;
	return fileio_out_write(b->o, buf, len);
}

/* "<seconds>\t<escaped id>\n"; *esc is scratch space. */
static int
write_line(struct body_out *b, const struct repo_test *t, char **esc)
{
	char val[48];
	size_t n = repo_format_seconds(val, t->seconds), elen;
	char *e = realloc(*esc, (size_t)t->id_len * 2 + 2);
	int rc;

	if (!e)
		return TESTR_ENOMEM;
	*esc = e;
	val[n++] = '\t';
	elen = repo_escape(e, t->id, t->id_len);
	e[elen++] = '\n';
	rc = body_write(b, val, n);
	return rc < 0 ? rc : body_write(b, e, elen);
}

/* ---- the history section ---- */

struct result_ref {
	const struct repo_test *t;
	const char *esc;
};

static int
by_escaped(const void *a, const void *b)
{
	return strcmp(((const struct result_ref *)a)->esc,
		      ((const struct result_ref *)b)->esc);
}

/* The tests that ran, escaped into @arena, sorted by escaped id. */
static struct result_ref *
sorted_results(size_t *out_n, char **arena, const struct repo_scan *scan)
{
	size_t cap = 1, n = 0, used = 0;
	struct result_ref *v;

	for (size_t i = 0; i < scan->tests.n; i++)
		cap += (size_t)repo_idmap_at(&scan->tests, i)->id_len * 2 + 1;
	*arena = malloc(cap);
	v = malloc((scan->tests.n + 1) * sizeof(*v));
	if (!*arena || !v) {
		free(v);
		return NULL;
	}
	for (size_t i = 0; i < scan->tests.n; i++) {
		const struct repo_test *t = repo_idmap_at(&scan->tests, i);
		char *e = *arena + used;

		if (!repo_test_outcome(t))
			continue;
		used += repo_escape(e, t->id, t->id_len);
		(*arena)[used++] = '\0';
		v[n++] = (struct result_ref){ t, e };
	}
	qsort(v, n, sizeof(*v), by_escaped);
	*out_n = n;
	return v;
}

/* "<escaped id>\t<outcome>\t<seconds or ->\n" */
static int
write_result(struct body_out *b, const struct result_ref *r)
{
	char val[64] = "\t";
	const char *outcome = repo_test_outcome(r->t);
	size_t n = 1;
	int rc = body_write(b, r->esc, strlen(r->esc));

	if (rc == 0)
		rc = body_write(b, val, 1);
	if (rc == 0)
		rc = body_write(b, outcome, strlen(outcome));
	if (r->t->flags & TEST_TIMED)
		n += repo_format_seconds(val + 1, r->t->seconds);
	else
		val[n++] = '-';
	val[n++] = '\n';
	return rc < 0 ? rc : body_write(b, val, n);
}

/* The section, then its trailer "history started=S results=N bytes=B". */
static int
write_results(struct body_out *b, const struct repo_scan *scan)
{
	char *arena = NULL, started[64] = "none", trailer[160];
	size_t n = 0, before = b->bytes;
	struct result_ref *v = sorted_results(&n, &arena, scan);
	int rc = v ? 0 : TESTR_ENOMEM;

	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = write_result(b, &v[i]);
	if (scan->sum.has_time)
		snprintf(started, sizeof(started), "%" PRId64 ".%09" PRIu32,
			 scan->first_sec, scan->first_nsec);
	if (rc == 0)
		rc = body_write(b, trailer, (size_t)snprintf(trailer,
				sizeof(trailer), HISTORY_TRAILER "started=%s "
				"results=%zu bytes=%zu\n", started, n,
				b->bytes - before));
	free(v);
	free(arena);
	return rc;
}

int
repo_index_write(struct testr_repo *repo, uint64_t id, struct repo_scan *scan,
		 const struct repo_times *times, int partial,
		 uint64_t run_bytes, uint32_t run_crc)
{
	struct fileio_out o;
	struct body_out b = { &o, 0 };
	size_t n = 0;
	const struct repo_test **v = timed_tests(&n, scan, times);
	char *path = repo_run_file(repo, id, ".index"), *esc = NULL;
	int rc = v && path ? fileio_out_open(&o, repo->ctx, path) : TESTR_ENOMEM;

	if (rc < 0)
		goto done;
	rc = write_header(&o, id, scan, partial, n, run_bytes, run_crc);
	fileio_out_crc_start(&o);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = write_line(&b, v[i], &esc);
	if (rc == 0)
		rc = write_results(&b, scan);
	if (rc == 0)
		rc = fileio_out_printf(&o, "end crc32=%08lx\n",
				       (unsigned long)fileio_out_crc(&o));
	if (rc == 0)
		rc = fileio_out_commit(&o);
	else
		fileio_out_abort(&o);
done:
	free(esc);
	free(path);
	free((void *)v);
	return rc;
}

struct index_reader {
	struct fileio_map map;
	const char *p, *end;	/* lines still to read; end: the end line */
	const char *body;	/* first timed line */
	char *path;
	struct repo_index_head head;
};

/* The next line as [*out, *out_len); false at the end. */
static bool
next_line(struct index_reader *r, const char **out, size_t *out_len)
{
	const char *nl;

	if (r->p >= r->end)
		return false;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	if (!nl)
		return false;
	*out = r->p;
	*out_len = (size_t)(nl - r->p);
	r->p = nl + 1;
	return true;
}

static bool
header_field(struct index_reader *r, const char *key, char *val, size_t cap)
{
	const char *line;
	size_t len, klen = strlen(key);

	if (!next_line(r, &line, &len) || len <= klen || len - klen >= cap ||
	    memcmp(line, key, klen) != 0 || line[klen] != '=')
		return false;
	memcpy(val, line + klen + 1, len - klen - 1);
	val[len - klen - 1] = '\0';
	return true;
}

static bool
parse_u64(const char *s, uint64_t *out)
{
	char *end;

	*out = strtoull(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end;
}

static bool
parse_crc(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 16);

	*out = (uint32_t)v;
	return strlen(s) == 8 && !*end && v <= UINT32_MAX;
}

#define N_KEYS 11
#define KEY_FLAKY 9

/* The header lines; false when one is missing or malformed.  A version 2
 * header has no flaky line: none were counted. */
static bool
read_fields(struct index_reader *r, char v[N_KEYS][64], bool has_flaky)
{
	static const char *const keys[N_KEYS] = { "run", "partial",
		"tests_run", "failures", "skips", "time", "timed", "run_bytes",
		"run_crc32", "flaky", "crc32" };

	for (size_t i = 0; i < N_KEYS; i++) {
		if (i == KEY_FLAKY && !has_flaky) {
			strcpy(v[i], "0");
			continue;
		}
		if (!header_field(r, keys[i], v[i], sizeof(v[i])))
			return false;
	}
	return true;
}

/* Is [@line, +@len) the magic line @magic? */
static bool
is_magic(const char *line, size_t len, const char *magic)
{
	return len == strlen(magic) && memcmp(line, magic, len) == 0;
}

static bool
parse_header(struct index_reader *r, uint64_t id)
{
	struct repo_index_head *h = &r->head;
	char v[N_KEYS][64];
	const char *line, *crc_line;
	size_t len;
	uint64_t run, partial;
	uint32_t crc;

	if (!next_line(r, &line, &len) || (!is_magic(line, len, INDEX_MAGIC) &&
					   !is_magic(line, len, INDEX_MAGIC_2)))
		return false;
	if (!read_fields(r, v, is_magic(line, len, INDEX_MAGIC)))
		return false;
	crc_line = r->p - strlen(v[10]) - strlen("crc32=\n");
	if (!parse_crc(v[10], &crc) ||
	    crc32_z(0, r->map.data, (size_t)(crc_line - (const char *)r->map.data)) != crc)
		return false;
	r->body = r->p;
	h->sum.has_time = strcmp(v[5], "none") != 0;
	h->sum.time_taken = h->sum.has_time ? strtod(v[5], NULL) : 0.0;
	h->sum.id = id;
	if (!parse_u64(v[1], &partial) || partial > REPO_RUN_INTERRUPTED)
		return false;
	h->sum.partial = partial != 0;
	h->sum.interrupted = partial == REPO_RUN_INTERRUPTED;
	return parse_u64(v[0], &run) && run == id &&
	       parse_u64(v[2], &h->sum.tests_run) &&
	       parse_u64(v[3], &h->sum.failures) &&
	       parse_u64(v[4], &h->sum.skips) && parse_u64(v[6], &h->timed) &&
	       parse_u64(v[KEY_FLAKY], &h->sum.flaky) &&
	       parse_u64(v[7], &h->run_bytes) && parse_crc(v[8], &h->run_crc);
}

/* What is wrong with the index, for the message; NULL when nothing. */
static const char *
index_problem(struct index_reader *r, uint64_t id)
{
	const char *d = (const char *)r->map.data;

	/* A complete index ends with its end line. */
	if (r->map.len < END_LINE_LEN ||
	    memcmp(d + r->map.len - END_LINE_LEN, "end crc32=", 10) != 0)
		return r->map.len >= strlen(INDEX_MAGIC_1) &&
		       memcmp(d, INDEX_MAGIC_1, strlen(INDEX_MAGIC_1)) == 0 ?
		       "written before indexes had checksums" : "incomplete";
	r->end = d + r->map.len - END_LINE_LEN;
	return parse_header(r, id) ? NULL : "header checksum mismatch";
}

static int
index_open(struct index_reader *r, struct testr_repo *repo, uint64_t id)
{
	const char *problem;
	int rc;

	memset(r, 0, sizeof(*r));
	r->path = repo_run_file(repo, id, ".index");
	if (!r->path)
		return TESTR_ENOMEM;
	rc = fileio_map_file(&r->map, repo->ctx, r->path);
	if (rc == TESTR_ENOTFOUND)
		return context_fail(repo->ctx, rc, "%s: missing", r->path);
	if (rc < 0)
		return rc;
	r->p = (const char *)r->map.data;
	r->end = r->p + r->map.len;
	problem = index_problem(r, id);
	if (problem)
		return context_fail(repo->ctx, TESTR_ECORRUPT, "%s: corrupt "
				  "index (%s)", r->path, problem);
	return 0;
}

static void
index_close(struct index_reader *r)
{
	fileio_unmap(&r->map);
	free(r->path);
}

int
repo_index_head(struct repo_index_head *out, struct testr_repo *repo,
		uint64_t id)
{
	struct index_reader r;
	int rc = index_open(&r, repo, id);

	if (rc == 0)
		*out = r.head;
	index_close(&r);
	return rc;
}

int
repo_index_summary(struct testr_run_summary *out, struct testr_repo *repo,
		   uint64_t id)
{
	struct repo_index_head h;
	int rc = repo_index_head(&h, repo, id);

	if (rc == 0)
		*out = h.sum;
	return rc;
}

/* The timed lines must match the end line's CRC-32. */
static int
check_body(struct index_reader *r, struct testr_context *ctx)
{
	uint32_t want;
	char hex[9];

	memcpy(hex, r->end + 10, 8);
	hex[8] = '\0';
	if (!parse_crc(hex, &want) ||
	    crc32_z(0, (const Bytef *)r->body, (size_t)(r->end - r->body)) != want)
		return context_fail(ctx, TESTR_ECORRUPT, "%s: corrupt index "
				  "(checksum mismatch)", r->path);
	return 0;
}

static int
emit_line(struct index_reader *r, struct testr_context *ctx, char **buf,
	  testr_duration_fn fn, void *userdata)
{
	const char *line, *tab;
	size_t len, idlen;
	char *b;

	if (!next_line(r, &line, &len) || !(tab = memchr(line, '\t', len)))
		return context_fail(ctx, TESTR_ECORRUPT, "%s: corrupt index "
				  "(bad line)", r->path);
	idlen = len - (size_t)(tab - line) - 1;
	b = realloc(*buf, idlen + 1);
	if (!b)
		return TESTR_ENOMEM;
	*buf = b;
	b[repo_unescape(b, tab + 1, idlen)] = '\0';
	return fn(userdata, b, strtod(line, NULL));
}

int
repo_index_slowest(struct testr_repo *repo, uint64_t id, size_t limit,
		   testr_duration_fn fn, void *userdata)
{
	struct index_reader r;
	char *buf = NULL;
	int rc = index_open(&r, repo, id);

	if (rc == 0)
		rc = check_body(&r, repo->ctx);
	for (uint64_t i = 0; rc == 0 && i < r.head.timed &&
	     (!limit || i < limit); i++)
		rc = emit_line(&r, repo->ctx, &buf, fn, userdata);
	free(buf);
	index_close(&r);
	return rc;
}

static bool
parse_started(struct repo_index_results *out, const char *s)
{
	long long sec;
	unsigned long nsec;

	if (strcmp(s, "none") == 0)
		return true;
	if (sscanf(s, "%lld.%9lu", &sec, &nsec) != 2 || nsec > 999999999)
		return false;
	out->has_started = true;
	out->started_sec = sec;
	out->started_nsec = (uint32_t)nsec;
	return true;
}

/* The history trailer, the last line before the end line: the section. */
static bool
parse_trailer(struct repo_index_results *out, const char *body,
	      const char *end)
{
	const char *ls = end - 1;
	char line[160], started[64];
	size_t n, bytes;

	while (ls > body && ls[-1] != '\n')
		ls--;
	if (end - ls >= (long)sizeof(line) || end - ls < 8 ||
	    memcmp(ls, HISTORY_TRAILER, 8) != 0)
		return false;
	memcpy(line, ls, (size_t)(end - ls));
	line[end - ls] = '\0';
	if (sscanf(line, HISTORY_TRAILER "started=%63s results=%zu bytes=%zu",
		   started, &n, &bytes) != 3 || bytes > (size_t)(ls - body) ||
	    !parse_started(out, started))
		return false;
	out->end = ls;
	out->begin = ls - bytes;
	return true;
}

int
repo_index_load(struct fileio_map *map, struct repo_index_results *out,
		struct testr_run_summary *sum, struct testr_repo *repo,
		uint64_t id)
{
	struct index_reader r;
	int rc = index_open(&r, repo, id);

	if (rc == 0)
		rc = check_body(&r, repo->ctx);
	memset(out, 0, sizeof(*out));
	if (rc == 0 && !parse_trailer(out, r.body, r.end))
		rc = context_fail(repo->ctx, TESTR_ECORRUPT, "%s: corrupt index "
				"(no history section)", r.path);
	if (rc == 0) {
		*sum = r.head.sum;
		*map = r.map;
		r.map.data = NULL;	/* handed over */
	}
	index_close(&r);
	return rc;
}
