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

#include "context.h"
#include "repo_history.h"
#include "repo_run.h"

#include <testr/history.h>

int
repo_count_stored(uint64_t *out, struct testr_repo *repo, uint64_t count)
{
	struct repo_runs runs;
	int rc = repo_runs_list(&runs, repo, 0, count);

	/* The run files that exist: the counter may be far ahead of them. */
	*out = rc == 0 ? runs.n : 0;
	repo_runs_dispose(&runs);
	return rc;
}

/* ---- reading: one run, from its index or else its stream ---- */

struct run_view {
	struct testr_history_run run;
	struct fileio_map map;
	struct repo_index_results res;	/* the index's history section */
	bool scanned;
	struct repo_scan scan;
	char *esc;			/* scratch for escaped ids */
};

/* No usable section: decode the run (a damaged one: what was readable). */
static int
scan_run(struct run_view *v, struct testr_repo *repo, bool have_summary)
{
	int rc;

	v->scanned = true;
	repo_scan_init(&v->scan);
	rc = repo_run_scan(&v->scan, repo, v->run.id);
	if (rc == TESTR_ECORRUPT) {
		context_log(repo->ctx, TESTR_LOG_WARNING, "%s",
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
		 repo_index_load(&v->map, &v->res, &v->run.summary, repo, id);

	v->run.id = id;
	v->run.has_started = v->res.has_started;
	v->run.started_sec = v->res.started_sec;
	v->run.started_nsec = v->res.started_nsec;
	if (rc == 0)
		return 0;
	if (rc < 0 && rc != TESTR_ENOTFOUND && rc != TESTR_ECORRUPT)
		return rc;
	testr_context_clear_error(repo->ctx);
	fileio_unmap(&v->map);
	if (!repo_run_exists(repo, id))
		return 1;
	rc = scan_run(v, repo, rc == 0);
	if (rc == TESTR_ENOTFOUND) {	/* pruned while we looked */
		testr_context_clear_error(repo->ctx);
		rc = 1;
	}
	return rc;
}

/* The runs whose files exist, below the run counter (never its range). */
static int
stored_runs(struct repo_runs *out, struct testr_repo *repo)
{
	uint64_t count;
	int rc = repo_count(&count, repo);

	return rc < 0 ? rc : repo_runs_list(out, repo, 0, count);
}

TESTR_API int
testr_repo_history_runs(struct testr_repo *repo, testr_history_run_fn fn,
			void *userdata)
{
	struct run_view v = { 0 };
	struct repo_runs runs = { 0 };
	int rc = stored_runs(&runs, repo);

	for (size_t i = 0; rc == 0 && i < runs.n; i++) {
		rc = view_open(&v, repo, runs.ids[i]);
		if (rc == 0)
			rc = fn(userdata, &v.run);
		else if (rc == 1)
			rc = 0;
		view_close(&v);
	}
	repo_runs_dispose(&runs);
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
	r->status = repo_outcome_parse(s, (size_t)(tab - s));
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
	return find_line(v->res.begin, v->res.end, e, elen, &s, &end) &&
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
	struct repo_runs runs = { 0 };
	int rc = stored_runs(&runs, repo);

	for (size_t i = 0; rc == 0 && i < runs.n; i++) {
		rc = view_open(&v, repo, runs.ids[i]);
		if (rc == 0)
			rc = report_run(&v, ids, n_ids, fn, userdata);
		else if (rc == 1)
			rc = 0;
		view_close(&v);
	}
	free(v.esc);
	repo_runs_dispose(&runs);
	return rc;
}

/* ---- every result of a run ---- */

/* The index section's lines, each unescaped into @v->esc. */
static int
report_section(struct run_view *v, testr_history_result_fn fn, void *userdata)
{
	int rc = 0;

	for (const char *ls = v->res.begin; rc == 0 && ls < v->res.end;) {
		const char *le = memchr(ls, '\n', (size_t)(v->res.end - ls));
		const char *tab = le ? memchr(ls, '\t', (size_t)(le - ls)) : NULL;
		struct testr_history_result r = { &v->run, NULL, NULL, false, 0 };
		char *e;

		if (!tab)
			break;	/* damaged: what came before is reported */
		if (!(e = realloc(v->esc, (size_t)(tab - ls) + 1)))
			return TESTR_ENOMEM;
		v->esc = e;
		e[repo_unescape(e, ls, (size_t)(tab - ls))] = '\0';
		r.test_id = e;
		if (parse_result(&r, tab + 1, le))
			rc = fn(userdata, &r);
		ls = le + 1;
	}
	return rc;
}

static int
report_scanned(struct run_view *v, testr_history_result_fn fn, void *userdata)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < v->scan.tests.n; i++) {
		const struct repo_test *t = repo_idmap_at(&v->scan.tests, i);
		struct testr_history_result r = { &v->run, t->id, NULL, false, 0 };

		if (lookup_scan(v, &r))
			rc = fn(userdata, &r);
	}
	return rc;
}

TESTR_API int
testr_repo_history_all(struct testr_repo *repo, uint64_t first_run,
		       testr_history_result_fn fn, void *userdata)
{
	struct run_view v = { 0 };
	struct repo_runs runs = { 0 };
	int rc = stored_runs(&runs, repo);

	for (size_t i = 0; rc == 0 && i < runs.n; i++) {
		if (runs.ids[i] < first_run)
			continue;
		rc = view_open(&v, repo, runs.ids[i]);
		if (rc == 0)
			rc = v.scanned ? report_scanned(&v, fn, userdata)
				       : report_section(&v, fn, userdata);
		else if (rc == 1)
			rc = 0;
		view_close(&v);
	}
	free(v.esc);
	repo_runs_dispose(&runs);
	return rc;
}
