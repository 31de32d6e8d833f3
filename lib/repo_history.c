/*
 * The repository over time: every stored run, and each result of chosen
 * tests across runs.  Both read the history section of the per-run index
 * (written with the run: each test's outcome and duration sorted by id,
 * then a trailer line), so a lookup is a binary search in a mapped file;
 * only runs whose index predates the section are decoded.
 */
#include "config-build.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "context.h"
#include "repo.h"

#include <testr/history.h>

/* Is run @id still stored (its run file present, not pruned)? */
static bool
run_stored(struct testr_repo *repo, uint64_t id)
{
	struct stat st;
	char *path = repo_run_file(repo, id, "");
	bool ok = path && stat(path, &st) == 0;

	free(path);
	return ok;
}

int
repo_count_stored(uint64_t *out, struct testr_repo *repo, uint64_t count)
{
	*out = 0;
	for (uint64_t id = 0; id < count; id++)
		*out += run_stored(repo, id);
	return 0;
}

static const char *const outcome_names[] = {
	"success", "fail", "skip", "xfail", "uxsuccess", "flaky", "incomplete",
};

const char *
repo_test_outcome(const struct repo_test *t)
{
	unsigned st = (t->flags >> TEST_STATUS_SHIFT) & 7u;
	bool earlier = t->flags & TEST_EARLIER_FAIL;

	switch (st) {
	case TESTR_STATUS_SUCCESS: return earlier ? "flaky" : "success";
	case TESTR_STATUS_XFAIL: return earlier ? "flaky" : "xfail";
	case TESTR_STATUS_FAIL: return "fail";
	case TESTR_STATUS_UXSUCCESS: return "uxsuccess";
	case TESTR_STATUS_SKIP: return "skip";
	case TESTR_STATUS_INPROGRESS: return "incomplete";
	default: return NULL;
	}
}

/* ---- writing the section ---- */

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

/* "<escaped id>\t<outcome>\t<seconds or ->\n"; returns its length or < 0. */
static long
write_result(struct fileio_out *o, const struct result_ref *r)
{
	char val[48] = "-";
	size_t len = strlen(r->esc), vlen = 1;
	const char *outcome = repo_test_outcome(r->t);
	int rc;

	if (r->t->flags & TEST_TIMED)
		vlen = repo_format_seconds(val, r->t->seconds);
	rc = fileio_out_write(o, r->esc, len);
	if (rc == 0)
		rc = fileio_out_printf(o, "\t%s\t%s\n", outcome, val);
	return rc < 0 ? rc : (long)(len + strlen(outcome) + vlen + 3);
}

int
repo_index_write_results(struct fileio_out *o, const struct repo_scan *scan)
{
	char *arena = NULL, started[64] = "none";
	size_t n = 0, bytes = 0;
	struct result_ref *v = sorted_results(&n, &arena, scan);
	int rc = v ? 0 : TESTR_ENOMEM;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		long len = write_result(o, &v[i]);

		rc = len < 0 ? (int)len : 0;
		bytes += len < 0 ? 0 : (size_t)len;
	}
	if (scan->sum.has_time)
		snprintf(started, sizeof(started), "%" PRId64 ".%09" PRIu32,
			 scan->first_sec, scan->first_nsec);
	if (rc == 0)
		rc = fileio_out_printf(o, "history started=%s results=%zu "
				       "bytes=%zu\n", started, n, bytes);
	free(v);
	free(arena);
	return rc;
}

/* ---- reading: one run, from its index or else its stream ---- */

struct run_view {
	struct testr_history_run run;
	struct fileio_map map;
	const char *res, *res_end;	/* the index's history section */
	bool scanned;
	struct repo_scan scan;
	char *esc;			/* scratch for escaped ids */
};

static bool
parse_started(struct testr_history_run *run, const char *s)
{
	long long sec;
	unsigned long nsec;

	if (strcmp(s, "none") == 0)
		return true;
	if (sscanf(s, "%lld.%9lu", &sec, &nsec) != 2 || nsec > 999999999)
		return false;
	run->has_started = true;
	run->started_sec = sec;
	run->started_nsec = (uint32_t)nsec;
	return true;
}

/* The trailer, the line before "end": where the section is. */
static bool
parse_trailer(struct run_view *v)
{
	const char *data = (const char *)v->map.data;
	const char *end = data + v->map.len - 4, *ls = end - 1;
	char line[160], started[64];
	size_t n, bytes;

	while (ls > data && ls[-1] != '\n')
		ls--;
	if (end - ls >= (long)sizeof(line) || end - ls < 8 ||
	    memcmp(ls, "history ", 8) != 0)
		return false;
	memcpy(line, ls, (size_t)(end - ls));
	line[end - ls] = '\0';
	if (sscanf(line, "history started=%63s results=%zu bytes=%zu", started,
		   &n, &bytes) != 3 || bytes > (size_t)(ls - data) ||
	    !parse_started(&v->run, started))
		return false;
	v->res_end = ls;
	v->res = ls - bytes;
	return true;
}

/* No usable section: decode the run (a damaged one: what was readable). */
static int
scan_run(struct run_view *v, struct testr_repo *repo, bool have_summary)
{
	int rc;

	v->scanned = true;
	repo_scan_init(&v->scan);
	rc = testr_repo_read_run(repo, v->run.id, repo_scan_event_fn, &v->scan);
	repo_scan_finish(&v->scan);
	if (rc == TESTR_ECORRUPT) {
		testr_log(repo->ctx, TESTR_LOG_WARNING, "%s",
			  testr_context_error(repo->ctx));
		rc = 0;
	}
	if (rc < 0)
		return rc;
	if (!have_summary) {
		v->run.summary = v->scan.sum;
		v->run.summary.id = v->run.id;
	}
	v->run.has_started = v->scan.sum.has_time;
	v->run.started_sec = v->scan.first_sec;
	v->run.started_nsec = v->scan.first_nsec;
	return 0;
}

static void
view_close(struct run_view *v)
{
	fileio_unmap(&v->map);
	if (v->scanned)
		repo_scan_dispose(&v->scan);
	v->scanned = false;
}

/* 0: ready; 1: the run is pruned (skip it); < 0: an error. */
static int
view_open(struct run_view *v, struct testr_repo *repo, uint64_t id)
{
	int rc = repo->legacy ? TESTR_ENOTFOUND :
		 repo_index_load(&v->map, &v->run.summary, repo, id);

	v->run.id = id;
	v->run.has_started = false;
	v->res = v->res_end = NULL;
	if (rc == 0 && parse_trailer(v))
		return 0;
	if (rc < 0 && rc != TESTR_ENOTFOUND && rc != TESTR_ECORRUPT)
		return rc;
	testr_context_clear_error(repo->ctx);
	fileio_unmap(&v->map);
	if (!run_stored(repo, id))
		return 1;
	rc = scan_run(v, repo, rc == 0);
	if (rc == TESTR_ENOTFOUND) {	/* pruned while we looked */
		testr_context_clear_error(repo->ctx);
		rc = 1;
	}
	return rc;
}

TESTR_API int
testr_repo_history_runs(struct testr_repo *repo, testr_history_run_fn fn,
			void *userdata)
{
	struct run_view v = { 0 };
	uint64_t count;
	int rc = testr_repo_count(&count, repo);

	for (uint64_t id = 0; rc == 0 && id < count; id++) {
		rc = view_open(&v, repo, id);
		if (rc == 0)
			rc = fn(userdata, &v.run);
		else if (rc == 1)
			rc = 0;
		view_close(&v);
	}
	return rc;
}

/* ---- looking a test up ---- */

static int
compare_key(const char *key, size_t klen, const char *s, size_t len)
{
	int c = memcmp(key, s, klen < len ? klen : len);

	return c ? c : (klen > len) - (klen < len);
}

/* The line of the section whose id is @key, as [*out, *out_end). */
static bool
find_line(const char *lo, const char *hi, const char *key, size_t klen,
	  const char **out, const char **out_end)
{
	while (lo < hi) {
		const char *ls = lo + (hi - lo) / 2, *le, *tab;
		int c;

		while (ls > lo && ls[-1] != '\n')
			ls--;
		le = memchr(ls, '\n', (size_t)(hi - ls));
		tab = le ? memchr(ls, '\t', (size_t)(le - ls)) : NULL;
		if (!tab)
			return false;	/* damaged: found nothing */
		c = compare_key(key, klen, ls, (size_t)(tab - ls));
		if (c == 0) {
			*out = tab + 1;
			*out_end = le;
			return true;
		}
		if (c < 0)
			hi = ls;
		else
			lo = le + 1;
	}
	return false;
}

/* "<outcome>\t<seconds or ->" into @r. */
static bool
parse_result(struct testr_history_result *r, const char *s, const char *end)
{
	const char *tab = memchr(s, '\t', (size_t)(end - s));
	char val[48];

	if (!tab || end - tab - 1 <= 0 || end - tab - 1 >= (long)sizeof(val))
		return false;
	r->status = NULL;
	for (size_t i = 0; i < sizeof(outcome_names) / sizeof(*outcome_names); i++)
		if ((size_t)(tab - s) == strlen(outcome_names[i]) &&
		    memcmp(s, outcome_names[i], (size_t)(tab - s)) == 0)
			r->status = outcome_names[i];
	memcpy(val, tab + 1, (size_t)(end - tab - 1));
	val[end - tab - 1] = '\0';
	r->has_duration = strcmp(val, "-") != 0;
	r->seconds = r->has_duration ? strtod(val, NULL) : 0.0;
	return r->status != NULL;
}

static bool
lookup_index(struct run_view *v, struct testr_history_result *r)
{
	size_t len = strlen(r->test_id), elen;
	const char *s, *end;
	char *e = realloc(v->esc, len * 2 + 1);

	if (!e)
		return false;
	v->esc = e;
	elen = repo_escape(e, r->test_id, len);
	return find_line(v->res, v->res_end, e, elen, &s, &end) &&
	       parse_result(r, s, end);
}

static bool
lookup_scan(struct run_view *v, struct testr_history_result *r)
{
	const struct repo_test *t = repo_idmap_find(&v->scan.tests, r->test_id,
						    strlen(r->test_id));

	if (!t || !(r->status = repo_test_outcome(t)))
		return false;
	r->has_duration = t->flags & TEST_TIMED;
	r->seconds = r->has_duration ? t->seconds : 0.0;
	return true;
}

static int
report_run(struct run_view *v, const char *const *ids, size_t n_ids,
	   testr_history_result_fn fn, void *userdata)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n_ids; i++) {
		struct testr_history_result r = { &v->run, ids[i], NULL,
						  false, 0.0 };

		if (v->scanned ? lookup_scan(v, &r) : lookup_index(v, &r))
			rc = fn(userdata, &r);
	}
	return rc;
}

TESTR_API int
testr_repo_history_tests(struct testr_repo *repo, const char *const *ids,
			 size_t n_ids, testr_history_result_fn fn,
			 void *userdata)
{
	struct run_view v = { 0 };
	uint64_t count;
	int rc = testr_repo_count(&count, repo);

	for (uint64_t id = 0; rc == 0 && id < count; id++) {
		rc = view_open(&v, repo, id);
		if (rc == 0)
			rc = report_run(&v, ids, n_ids, fn, userdata);
		else if (rc == 1)
			rc = 0;
		view_close(&v);
	}
	free(v.esc);
	return rc;
}
