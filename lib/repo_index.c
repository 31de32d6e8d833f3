/*
 * The per-run index "<id>.index", written with the run: the run's summary
 * (for testr last's deltas) and its timed tests slowest first (testr slowest
 * reads its first lines, never the run).
 */
#include "config-build.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "repo.h"

#define INDEX_MAGIC "libtestr-index 1"

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

static int
write_header(struct fileio_out *o, uint64_t id, const struct repo_scan *scan,
	     int partial, size_t n)
{
	const struct testr_run_summary *s = &scan->sum;
	char time[64] = "none";

	if (s->has_time)
		snprintf(time, sizeof(time), "%.9f", s->time_taken);
	return fileio_out_printf(o, INDEX_MAGIC "\nrun=%" PRIu64 "\npartial=%d\n"
				 "tests_run=%" PRIu64 "\nfailures=%" PRIu64
				 "\nskips=%" PRIu64 "\ntime=%s\ntimed=%zu\n",
				 id, partial, s->tests_run, s->failures,
				 s->skips, time, n);
}

/* "<seconds>\t<escaped id>\n"; *esc is scratch space. */
static int
write_line(struct fileio_out *o, const struct repo_test *t, char **esc)
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
	rc = fileio_out_write(o, val, n);
	return rc < 0 ? rc : fileio_out_write(o, e, elen);
}

int
repo_index_write(struct testr_repo *repo, uint64_t id, struct repo_scan *scan,
		 const struct repo_times *times, int partial)
{
	struct fileio_out o;
	size_t n = 0;
	const struct repo_test **v = timed_tests(&n, scan, times);
	char *path = repo_run_file(repo, id, ".index"), *esc = NULL;
	int rc = v && path ? fileio_out_open(&o, repo->ctx, path) : TESTR_ENOMEM;

	if (rc < 0)
		goto done;
	rc = write_header(&o, id, scan, partial, n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = write_line(&o, v[i], &esc);
	if (rc == 0)
		rc = repo_index_write_results(&o, scan);
	if (rc == 0)
		rc = fileio_out_printf(&o, "end\n");
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
	const char *p, *end;
	char *path;
	struct testr_run_summary sum;
	uint64_t timed;
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
	return *s && !*end;
}

static bool
parse_header(struct index_reader *r, uint64_t id)
{
	char v[8][64];
	const char *line;
	size_t len;
	uint64_t run, partial;
	static const char *const keys[] = { "run", "partial", "tests_run",
		"failures", "skips", "time", "timed" };

	if (!next_line(r, &line, &len) || len != strlen(INDEX_MAGIC) ||
	    memcmp(line, INDEX_MAGIC, len) != 0)
		return false;
	for (size_t i = 0; i < 7; i++)
		if (!header_field(r, keys[i], v[i], sizeof(v[i])))
			return false;
	r->sum.has_time = strcmp(v[5], "none") != 0;
	r->sum.time_taken = r->sum.has_time ? strtod(v[5], NULL) : 0.0;
	r->sum.id = id;
	if (!parse_u64(v[1], &partial) || partial > REPO_RUN_INTERRUPTED)
		return false;
	r->sum.partial = partial != 0;
	r->sum.interrupted = partial == REPO_RUN_INTERRUPTED;
	return parse_u64(v[0], &run) && run == id &&
	       parse_u64(v[2], &r->sum.tests_run) &&
	       parse_u64(v[3], &r->sum.failures) &&
	       parse_u64(v[4], &r->sum.skips) && parse_u64(v[6], &r->timed);
}

static int
index_open(struct index_reader *r, struct testr_repo *repo, uint64_t id)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->path = repo_run_file(repo, id, ".index");
	if (!r->path)
		return TESTR_ENOMEM;
	rc = fileio_map_file(&r->map, repo->ctx, r->path);
	if (rc == TESTR_ENOTFOUND)
		return testr_fail(repo->ctx, rc, "%s: missing", r->path);
	if (rc < 0)
		return rc;
	r->p = (const char *)r->map.data;
	r->end = r->p + r->map.len;
	/* A complete index ends with "end\n". */
	if (r->map.len < 4 || memcmp(r->end - 4, "end\n", 4) != 0 ||
	    !parse_header(r, id))
		return testr_fail(repo->ctx, TESTR_ECORRUPT, "%s: corrupt index",
				  r->path);
	return 0;
}

static void
index_close(struct index_reader *r)
{
	fileio_unmap(&r->map);
	free(r->path);
}

int
repo_index_summary(struct testr_run_summary *out, struct testr_repo *repo,
		   uint64_t id)
{
	struct index_reader r;
	int rc = index_open(&r, repo, id);

	if (rc == 0)
		*out = r.sum;
	index_close(&r);
	return rc;
}

static int
emit_line(struct index_reader *r, struct testr_context *ctx, char **buf,
	  testr_duration_fn fn, void *userdata)
{
	const char *line, *tab;
	size_t len, idlen;
	char *b;

	if (!next_line(r, &line, &len) || !(tab = memchr(line, '\t', len)))
		return testr_fail(ctx, TESTR_ECORRUPT, "%s: corrupt index",
				  r->path);
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

	for (uint64_t i = 0; rc == 0 && i < r.timed && (!limit || i < limit); i++)
		rc = emit_line(&r, repo->ctx, &buf, fn, userdata);
	free(buf);
	index_close(&r);
	return rc;
}

int
repo_index_load(struct fileio_map *map, struct testr_run_summary *sum,
		struct testr_repo *repo, uint64_t id)
{
	struct index_reader r;
	int rc = index_open(&r, repo, id);

	if (rc == 0) {
		*sum = r.sum;
		*map = r.map;
		r.map.data = NULL;	/* handed over */
	}
	index_close(&r);
	return rc;
}
