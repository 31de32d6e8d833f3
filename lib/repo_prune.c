/*
 * Pruning old runs.  Under the lock, the failing set and the durations are
 * first brought up to date (so they never need the pruned runs again),
 * then each old run loses its index and then its stream: a prune killed at
 * any point leaves every run either whole or gone, and the next prune
 * finishes the job.
 */
#include "config-build.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "repo_repair.h"

#include <testr/history.h>

/*
 * Should the run at @pos of the @n stored runs (ascending) go?  1 yes, 0 no
 * (also when it is gone already).  --keep counts stored runs, not ids: the
 * counter may be far past them.
 */
static int
doomed(struct testr_repo *repo, const struct repo_runs *runs, size_t pos,
       const struct testr_prune_options *o, int64_t now)
{
	struct stat st;
	char *path = repo_run_file(repo, runs->ids[pos], "");
	int rc = path && stat(path, &st) == 0;

	free(path);
	if (!rc)
		return 0;
	if (o->by_count && pos + o->keep >= runs->n)
		return 0;
	if (o->by_age && (double)(now - st.st_mtime) <
			 o->older_than_days * 86400.0)
		return 0;
	return 1;
}

static int
remove_file(struct testr_repo *repo, uint64_t id, const char *suffix)
{
	char *path = repo_run_file(repo, id, suffix);
	int rc = 0;

	if (!path)
		return TESTR_ENOMEM;
	if (unlink(path) < 0 && errno != ENOENT)
		rc = context_fail(repo->ctx, TESTR_EIO, "%s: %s", path,
				strerror(errno));
	free(path);
	return rc;
}

/* The index first: a run with a stream and no index is still a run. */
static int
remove_run(struct testr_repo *repo, uint64_t id)
{
	int rc = remove_file(repo, id, ".index");

	return rc < 0 ? rc : remove_file(repo, id, "");
}

static int
prune_locked(uint64_t *out, struct testr_repo *repo,
	     const struct testr_prune_options *o)
{
	int64_t now = o->now ? o->now : (int64_t)time(NULL);
	struct repo_runs runs = { 0 };
	uint64_t count;
	int rc = repo_repair(repo);

	if (rc == 0)
		rc = repo_count(&count, repo);
	if (rc == 0)
		rc = repo_runs_list(&runs, repo, 0, count);
	for (size_t i = 0; rc == 0 && i < runs.n; i++) {
		if (!doomed(repo, &runs, i, o, now))
			continue;
		rc = remove_run(repo, runs.ids[i]);
		*out += rc == 0;
	}
	if (*out)	/* make the removals durable too */
		fileio_fsync_dir(repo->ctx, repo->path);
	repo_runs_dispose(&runs);
	return rc;
}

/* The bytes of each version of struct testr_prune_options. */
static const size_t prune_options_sizes[] = {
	OPTIONS_END(testr_prune_options, now),
};

TESTR_API int
testr_repo_prune(uint64_t *out, struct testr_repo *repo,
		 const struct testr_prune_options *opts)
{
	struct testr_prune_options copy = TESTR_PRUNE_OPTIONS_INIT;
	const struct testr_prune_options *o = opts ? &copy : NULL;
	int rc;

	*out = 0;
	rc = OPTIONS_COPY(repo->ctx, &copy, opts, testr_prune_options,
			  prune_options_sizes);
	if (rc < 0)
		return rc;
	if (!o || (!o->by_count && !o->by_age) ||
	    (o->by_age && !(o->older_than_days >= 0)))
		return context_fail(repo->ctx, TESTR_EINVAL, "prune: say how many "
				  "runs to keep or how old a run must be");
	if (repo->legacy)
		return context_fail(repo->ctx, TESTR_EUNSUPPORTED, "%s: a "
				  "testrepository repository keeps its durations "
				  "in its runs; run 'testr upgrade' first",
				  repo->path);
	if (repo->locks_held)
		return context_fail(repo->ctx, TESTR_ELOCKED,
				  "prune: this handle is writing a run");
	rc = repo_lock(repo);
	if (rc == 0)
		rc = prune_locked(out, repo, o);
	repo_unlock(repo);
	return rc;
}
