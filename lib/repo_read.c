/* Reading a repository back: runs and the failing set as events, ids, durations. */
#include "config-build.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "repo_repair.h"
#include "repo_run.h"

TESTR_API int
testr_repo_read_run(struct testr_repo *repo, uint64_t run_id,
		    testr_event_fn fn, void *userdata)
{
	uint64_t count;
	int rc = repo_count(&count, repo);

	if (rc < 0)
		return rc;
	if (run_id >= count)
		return context_fail(repo->ctx, TESTR_ENOTFOUND,
				  "'No such run.'");
	return repo_run_decode(repo, run_id, fn, userdata);
}

TESTR_API int
testr_repo_read_failing(struct testr_repo *repo, testr_event_fn fn,
			void *userdata)
{
	char *path = repo_file(repo, "failing");
	int rc;

	if (!path)
		return TESTR_ENOMEM;
	rc = repo_decode_file(repo, path, fn, userdata);
	if (rc == TESTR_ENOTFOUND) {
		testr_context_clear_error(repo->ctx);
		rc = 0;		/* no failing file: nothing fails */
	}
	free(path);
	return rc;
}

TESTR_API int
testr_repo_failing_ids(struct testr_strv *out, struct testr_repo *repo)
{
	struct repo_scan scan;
	int rc;

	repo_scan_init(&scan);
	rc = testr_repo_read_failing(repo, repo_scan_event_fn, &scan);
	repo_scan_finish(&scan);
	for (size_t i = 0; rc == 0 && i < scan.tests.n; i++)
		if (repo_idmap_at(&scan.tests, i)->flags & TEST_FAILING)
			rc = testr_strv_push(out, repo_idmap_at(&scan.tests, i)->id);
	repo_scan_dispose(&scan);
	return rc;
}

/* Durations of a testrepository repository, rebuilt in memory from its runs. */
static int
legacy_times(struct repo_scan *all, struct testr_repo *repo)
{
	uint64_t count;
	int rc = repo_count(&count, repo);

	return rc < 0 ? rc : repo_collect_times(&all->tests, repo, 0, count);
}

TESTR_API int
testr_repo_durations(double *out, struct testr_repo *repo,
		     const char *const *ids, size_t n_ids)
{
	struct repo_times times;
	struct repo_scan legacy;
	int rc = repo->legacy ? TESTR_ENOTFOUND : repo_times_open(&times, repo);

	repo_scan_init(&legacy);
	if (rc < 0 && repo->legacy)
		rc = legacy_times(&legacy, repo);
	else if (rc < 0) {
		/* Absent or corrupt: rebuild it (under the lock), then retry. */
		testr_context_clear_error(repo->ctx);
		rc = repo_repair_with_lock(repo);
		if (rc == 0)
			rc = repo_times_open(&times, repo);
		if (rc < 0)
			goto done;
	}
	for (size_t i = 0; rc == 0 && i < n_ids; i++) {
		size_t len = strlen(ids[i]);
		struct repo_test *t;

		out[i] = NAN;
		if (!repo->legacy) {
			repo_times_lookup(&times, ids[i], len, &out[i]);
			continue;
		}
		t = repo_idmap_find(&legacy.tests, ids[i], len);
		if (t && (t->flags & TEST_TIMED))
			out[i] = t->seconds;
	}
	if (!repo->legacy)
		repo_times_close(&times);
done:
	repo_scan_dispose(&legacy);
	return rc;
}

struct timed {
	const char *id;
	double seconds;
};

static int
by_time_desc(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;

	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? 1 : -1;
	return strcmp(x->id, y->id);
}

/* Slowest tests of run @id without an index: decode it, look times up. */
static int
slowest_by_scan(struct testr_repo *repo, uint64_t id, size_t limit,
		testr_duration_fn fn, void *userdata)
{
	struct repo_scan scan;
	struct timed *v = NULL;
	const char **ids = NULL;
	double *secs = NULL;
	size_t n = 0;
	int rc;

	repo_scan_init(&scan);
	rc = testr_repo_read_run(repo, id, repo_scan_event_fn, &scan);
	if (rc == TESTR_ECORRUPT) {
		context_log(repo->ctx, TESTR_LOG_WARNING, "%s",
			  testr_context_error(repo->ctx));
		rc = 0;
	}
	if (rc < 0)
		goto done;
	ids = malloc((scan.tests.n + 1) * sizeof(*ids));
	secs = malloc((scan.tests.n + 1) * sizeof(*secs));
	v = malloc((scan.tests.n + 1) * sizeof(*v));
	if (!ids || !secs || !v) {
		rc = TESTR_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < scan.tests.n; i++)
		ids[i] = repo_idmap_at(&scan.tests, i)->id;
	rc = testr_repo_durations(secs, repo, ids, scan.tests.n);
	for (size_t i = 0; rc == 0 && i < scan.tests.n; i++)
		if (!isnan(secs[i]))
			v[n++] = (struct timed){ ids[i], secs[i] };
	qsort(v, n, sizeof(*v), by_time_desc);
	for (size_t i = 0; rc == 0 && i < n && (!limit || i < limit); i++)
		rc = fn(userdata, v[i].id, v[i].seconds);
done:
	free(v);
	free(secs);
	free(ids);
	repo_scan_dispose(&scan);
	return rc;
}

/*
 * Run @id's index is missing or damaged (message on the context): say so
 * and write it again from the run file.  0 when the index is usable now.
 */
static int
rebuild_index(struct testr_repo *repo, uint64_t id)
{
	context_log(repo->ctx, TESTR_LOG_WARNING, "%s; rebuilding it from the "
		  "run", testr_context_error(repo->ctx));
	testr_context_clear_error(repo->ctx);
	return repo_index_rebuild(repo, id);
}

TESTR_API int
testr_repo_slowest(struct testr_repo *repo, size_t limit,
		   testr_duration_fn fn, void *userdata)
{
	uint64_t id;
	int rc = testr_repo_latest_id(&id, repo);

	if (rc == TESTR_ENOTFOUND) {
		testr_context_clear_error(repo->ctx);
		return 0;
	}
	if (rc < 0 || repo->legacy)
		return rc < 0 ? rc : slowest_by_scan(repo, id, limit, fn, userdata);
	rc = repo_index_slowest(repo, id, limit, fn, userdata);
	if (rc != TESTR_ENOTFOUND && rc != TESTR_ECORRUPT)
		return rc;
	rc = rebuild_index(repo, id);
	if (rc == TESTR_ECORRUPT) {	/* the run is damaged: what it holds */
		testr_context_clear_error(repo->ctx);
		return slowest_by_scan(repo, id, limit, fn, userdata);
	}
	return rc < 0 ? rc : repo_index_slowest(repo, id, limit, fn, userdata);
}

static int
summary_by_scan(struct testr_run_summary *out, struct testr_repo *repo,
		uint64_t run_id)
{
	struct repo_scan scan;
	int rc;

	repo_scan_init(&scan);
	rc = testr_repo_read_run(repo, run_id, repo_scan_event_fn, &scan);
	repo_scan_finish(&scan);
	if (rc == 0 || rc == TESTR_ECORRUPT) {
		*out = scan.sum;
		out->id = run_id;
	}
	repo_scan_dispose(&scan);
	return rc;
}

TESTR_API int
testr_repo_run_summary(struct testr_run_summary *out, struct testr_repo *repo,
		       uint64_t run_id)
{
	uint64_t count;
	int rc = repo_count(&count, repo);

	if (rc == 0 && run_id >= count)
		rc = context_fail(repo->ctx, TESTR_ENOTFOUND, "'No such run.'");
	if (rc < 0 || repo->legacy)
		return rc < 0 ? rc : summary_by_scan(out, repo, run_id);
	rc = repo_index_summary(out, repo, run_id);
	if (rc != TESTR_ENOTFOUND && rc != TESTR_ECORRUPT)
		return rc;
	if (!repo_run_exists(repo, run_id)) {	/* no run: say so */
		testr_context_clear_error(repo->ctx);
		return summary_by_scan(out, repo, run_id);
	}
	rc = rebuild_index(repo, run_id);
	if (rc == TESTR_ECORRUPT) {	/* the run is damaged: what it holds */
		testr_context_clear_error(repo->ctx);
		return summary_by_scan(out, repo, run_id);
	}
	return rc < 0 ? rc : repo_index_summary(out, repo, run_id);
}
