/*
 * Flaky tests: over the newest stored runs, the tests whose outcome
 * flipped between pass and fail from one run to the next, and those that
 * failed and then passed on a retry within a run.  Reads the per-run
 * history sections (repo_history.c), never the streams of indexed runs.
 */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "context.h"
#include "repo_idmap.h"
#include "repo_store.h"

#include <testr/history.h>

enum outcome { OUT_NONE, OUT_PASS, OUT_FAIL };

/* Per test, parallel to the id map (repo_test.start_ns is the index). */
struct flaky_rec {
	uint64_t runs, flips, retried;
	enum outcome last;
};

struct flaky_scan {
	struct repo_idmap ids;
	struct flaky_rec *recs;
	size_t cap;
};

static enum outcome
classify(const char *status, bool *retried)
{
	*retried = strcmp(status, "flaky") == 0;
	if (*retried || strcmp(status, "success") == 0 ||
	    strcmp(status, "xfail") == 0)
		return OUT_PASS;
	if (strcmp(status, "skip") == 0)
		return OUT_NONE;
	return OUT_FAIL;	/* fail, uxsuccess, incomplete */
}

/* The record of @id, added when new; NULL when out of memory. */
static struct flaky_rec *
record_of(struct flaky_scan *fs, const char *id)
{
	size_t before = fs->ids.n;
	struct repo_test *t = repo_idmap_get(&fs->ids, id, strlen(id));

	if (!t)
		return NULL;
	if (fs->ids.n == before)
		return &fs->recs[t->start_ns];
	if (array_reserve(&fs->recs, &fs->cap, fs->ids.n, sizeof(*fs->recs), 256))
		return NULL;
	t->start_ns = (int64_t)before;
	fs->recs[before] = (struct flaky_rec){ 0, 0, 0, OUT_NONE };
	return &fs->recs[before];
}

static int
add_result(void *userdata, const struct testr_history_result *r)
{
	struct flaky_scan *fs = userdata;
	bool retried;
	enum outcome o = classify(r->status, &retried);
	struct flaky_rec *rec;

	if (o == OUT_NONE)
		return 0;
	if (!(rec = record_of(fs, r->test_id)))
		return TESTR_ENOMEM;
	rec->runs++;
	rec->retried += retried;
	rec->flips += rec->last != OUT_NONE && rec->last != o;
	rec->last = o;
	return 0;
}

/* The stored run ids, oldest first, to find where the window starts. */
struct run_ids {
	uint64_t *v;
	size_t n, cap;
};

static int
add_run(void *userdata, const struct testr_history_run *run)
{
	struct run_ids *ids = userdata;

	if (array_reserve(&ids->v, &ids->cap, ids->n + 1, sizeof(*ids->v), 64))
		return TESTR_ENOMEM;
	ids->v[ids->n++] = run->id;
	return 0;
}

static int
window_start(uint64_t *out, struct testr_repo *repo, uint64_t last_runs)
{
	struct run_ids ids = { NULL, 0, 0 };
	int rc;

	*out = 0;
	if (last_runs == 0)
		return TESTR_OK;
	rc = testr_repo_history_runs(repo, add_run, &ids);
	if (rc == 0 && ids.n > last_runs)
		*out = ids.v[ids.n - last_runs];
	free(ids.v);
	return rc;
}

static struct testr_flaky_test
summarise(const struct flaky_scan *fs, size_t i)
{
	const struct flaky_rec *r = &fs->recs[i];
	struct testr_flaky_test t = { repo_idmap_at(&fs->ids, i)->id, r->runs,
				      r->flips, r->retried, 0.0,
				      r->last == OUT_FAIL };

	t.flip_rate = r->runs ? (double)(r->flips + r->retried) /
				(double)r->runs : 0.0;
	return t;
}

static int
by_rank(const void *a, const void *b)
{
	const struct testr_flaky_test *x = a, *y = b;

	if (x->flip_rate != y->flip_rate)
		return x->flip_rate < y->flip_rate ? 1 : -1;
	if (x->runs != y->runs)
		return x->runs < y->runs ? 1 : -1;
	return strcmp(x->test_id, y->test_id);
}

/* The flaky ones, ranked, handed to @fn. */
static int
report_ranked(const struct flaky_scan *fs, testr_flaky_fn fn, void *userdata)
{
	struct testr_flaky_test *v = malloc((fs->ids.n + 1) * sizeof(*v));
	size_t n = 0;
	int rc = 0;

	if (!v)
		return TESTR_ENOMEM;
	for (size_t i = 0; i < fs->ids.n; i++)
		if (fs->recs[i].flips || fs->recs[i].retried)
			v[n++] = summarise(fs, i);
	qsort(v, n, sizeof(*v), by_rank);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = fn(userdata, &v[i]);
	free(v);
	return rc;
}

/* The bytes of each version of struct testr_flaky_options. */
static const size_t flaky_options_sizes[] = {
	OPTIONS_END(testr_flaky_options, last_runs),
};

TESTR_API int
testr_repo_flaky(struct testr_repo *repo,
		 const struct testr_flaky_options *opts, testr_flaky_fn fn,
		 void *userdata)
{
	struct testr_flaky_options o = TESTR_FLAKY_OPTIONS_INIT;
	struct flaky_scan fs = { .recs = NULL, .cap = 0 };
	uint64_t first;
	int rc = OPTIONS_COPY(repo->ctx, &o, opts, testr_flaky_options,
			      flaky_options_sizes);

	if (rc < 0)
		return rc;
	repo_idmap_init(&fs.ids);
	rc = window_start(&first, repo, o.last_runs);
	if (rc == 0)
		rc = testr_repo_history_all(repo, first, add_result, &fs);
	if (rc == TESTR_ENOMEM)
		context_fail(repo->ctx, rc, "out of memory reading the history");
	if (rc == 0)
		rc = report_ranked(&fs, fn, userdata);
	repo_idmap_dispose(&fs.ids);
	free(fs.recs);
	return rc;
}
