/*
 * Bringing derived files up to date from the run files: the failing set and
 * the durations when a writer died after publishing its run (or a counter
 * was edited), and a run's index when it is missing or fails its checksum.
 * Work follows the run files that exist, never the counters' distance.
 */
#include "config-build.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "repo_failing.h"
#include "repo_repair.h"
#include "repo_run.h"
#include "repo_times.h"

/* Warn with the context's message and go on (rc 0), unless out of memory. */
static int
warn_and_go_on(struct testr_repo *repo, int rc, const char *what)
{
	if (rc == 0 || rc == TESTR_ENOMEM)
		return rc;
	context_log(repo->ctx, TESTR_LOG_WARNING, "%s; %s",
		  testr_context_error(repo->ctx), what);
	testr_context_clear_error(repo->ctx);
	return 0;
}

/*
 * Scan run @id for a repair: false when it must be left out (its run file
 * is not the one stored, or is gone); a damaged one keeps what was read.
 */
static bool
scan_for_repair(struct repo_scan *scan, struct testr_repo *repo, uint64_t id,
		const char *what, int *rc)
{
	char *path;

	*rc = repo_run_check(repo, id);
	if (*rc < 0) {
		*rc = warn_and_go_on(repo, *rc, what);
		return false;
	}
	path = repo_run_file(repo, id, "");
	*rc = path ? repo_scan_file(scan, repo, path) : TESTR_ENOMEM;
	free(path);
	*rc = warn_and_go_on(repo, *rc, "kept what was readable");
	return *rc == 0;
}

/* Fold the timed tests of one finished scan into @all (later runs win). */
static int
fold_times(void *userdata, const struct repo_scan *one)
{
	struct repo_idmap *all = userdata;

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

static int
fold_models(void *userdata, const struct repo_scan *one)
{
	return repo_models_fold(userdata, one);
}

/* Scan the runs with ids in [@from, @to) that exist, in order, each handed
 * to @fold (pruned ones are simply not there). */
static int
each_run(struct testr_repo *repo, uint64_t from, uint64_t to,
	 int (*fold)(void *, const struct repo_scan *), void *userdata)
{
	struct repo_runs runs;
	int rc = repo_runs_list(&runs, repo, from, to);

	for (size_t i = 0; rc == 0 && i < runs.n; i++) {
		struct repo_scan one;

		repo_scan_init(&one);
		if (scan_for_repair(&one, repo, runs.ids[i],
				    "its durations are left out", &rc))
			rc = fold(userdata, &one);
		repo_scan_dispose(&one);
	}
	repo_runs_dispose(&runs);
	return rc;
}

int
repo_collect_times(struct repo_idmap *all, struct testr_repo *repo,
		   uint64_t from, uint64_t to)
{
	return each_run(repo, from, to, fold_times, all);
}

int
repo_models_collect(struct repo_models *m, struct testr_repo *repo,
		    uint64_t from, uint64_t to)
{
	return each_run(repo, from, to, fold_models, m);
}

int
repo_times_update(struct testr_repo *repo, uint64_t count)
{
	struct repo_times old;
	struct repo_models fresh;
	uint64_t from = 0;
	int rc = repo_times_open(&old, repo);

	if (rc == TESTR_ECORRUPT)
		context_log(repo->ctx, TESTR_LOG_WARNING,
			  "%s; rebuilding it from the runs",
			  testr_context_error(repo->ctx));
	if (rc < 0 && rc != TESTR_ECORRUPT && rc != TESTR_ENOTFOUND)
		return rc;
	if (rc == 0 && old.upto > count) {
		context_log(repo->ctx, TESTR_LOG_WARNING, "durations cover more "
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
	repo_models_init(&fresh);
	rc = repo_models_collect(&fresh, repo, from, count);
	if (rc == 0)
		rc = repo_times_write_models(repo, from ? &old : NULL, &fresh,
					     count);
	repo_models_dispose(&fresh);
	repo_times_close(&old);
	return rc;
}

/* Was run @id stored with --partial?  Its index says (runs stored before
 * streams carried the mark); unknown means full. */
static bool
run_was_partial(struct testr_repo *repo, uint64_t id)
{
	struct testr_run_summary sum;

	if (repo_index_summary(&sum, repo, id) < 0) {
		testr_context_clear_error(repo->ctx);
		return false;
	}
	return sum.partial;
}

/* Fold the runs in [@from, @count) into the failing set. */
static int
replay_failing(struct testr_repo *repo, uint64_t from, uint64_t count)
{
	struct repo_runs runs;
	int rc = repo_runs_list(&runs, repo, from, count);

	for (size_t i = 0; rc == 0 && i < runs.n; i++) {
		struct repo_scan scan;
		uint64_t id = runs.ids[i];

		repo_scan_init(&scan);
		if (scan_for_repair(&scan, repo, id,
				    "left out of the failing set", &rc))
			rc = repo_failing_apply(repo, id, &scan,
						scan.sum.partial ||
						run_was_partial(repo, id));
		repo_scan_dispose(&scan);
	}
	repo_runs_dispose(&runs);
	return rc == 0 ? repo_write_counter(repo, "failing.upto", count) : rc;
}

int
repo_repair(struct testr_repo *repo)
{
	uint64_t count, upto = 0;
	bool rewrite;
	int rc = repo_count(&count, repo);

	if (rc < 0 || repo->legacy)
		return rc;
	rc = repo_read_counter(&upto, repo, "failing.upto");
	rewrite = rc < 0 || upto > count;
	if (rc == TESTR_ECORRUPT || (rc == 0 && upto > count)) {
		context_log(repo->ctx, TESTR_LOG_WARNING, "%s; taken as current",
			  rc ? testr_context_error(repo->ctx) :
			  "failing.upto is ahead of next-stream");
		upto = count;
		rc = 0;
	} else if (rc == TESTR_ENOTFOUND) {
		upto = count;	/* written by testrepository: in step */
		rc = 0;
	}
	if (rc == 0 && upto < count)
		rc = replay_failing(repo, upto, count);
	else if (rc == 0 && rewrite)
		rc = repo_write_counter(repo, "failing.upto", count);
	if (rc == 0)
		rc = repo_times_update(repo, count);
	return rc;
}

int
repo_repair_with_lock(struct testr_repo *repo)
{
	int rc = repo_lock(repo);

	if (rc == 0)
		rc = repo_repair(repo);
	repo_unlock(repo);
	return rc;
}

/* The index's "partial" value, from the marks the run's stream carries. */
static int
index_partial(const struct repo_scan *scan)
{
	return scan->sum.interrupted ? REPO_RUN_INTERRUPTED :
	       (int)scan->sum.partial;
}

static int
rebuild_locked(struct testr_repo *repo, uint64_t id)
{
	struct repo_scan scan;
	struct repo_times times;
	uint64_t bytes;
	uint32_t crc;
	char *path = repo_run_file(repo, id, "");
	int rc = path ? repo_run_measure(&bytes, &crc, repo, id) : TESTR_ENOMEM;

	repo_scan_init(&scan);
	if (rc == 0)	/* a damaged run gets no index: it stays reported */
		rc = repo_scan_file(&scan, repo, path);
	if (rc == 0 && repo_times_open(&times, repo) < 0)
		testr_context_clear_error(repo->ctx);
	if (rc == 0) {
		rc = repo_index_write(repo, id, &scan,
				      times.map.data ? &times : NULL,
				      index_partial(&scan), bytes, crc);
		repo_times_close(&times);
	}
	repo_scan_dispose(&scan);
	free(path);
	return rc;
}

int
repo_index_rebuild(struct testr_repo *repo, uint64_t id)
{
	int rc = repo_lock(repo);

	if (rc == 0)
		rc = rebuild_locked(repo, id);
	repo_unlock(repo);
	return rc;
}
