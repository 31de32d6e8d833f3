/* The repository: create, open, the run counter, and reading runs back. */
#include "config-build.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "context.h"
#include "repo_repair.h"

static int
repo_alloc(struct testr_repo **out, struct testr_context *ctx, const char *dir)
{
	struct testr_repo *repo = calloc(1, sizeof(*repo));

	*out = NULL;
	if (!repo)
		return TESTR_ENOMEM;
	repo->ctx = ctx;
	repo->lock_fd = -1;
	repo->path = str_printf("%s/.testrepository", dir ? dir : ".");
	if (!repo->path) {
		free(repo);
		return TESTR_ENOMEM;
	}
	*out = repo;
	return 0;
}

TESTR_API void
testr_repo_free(struct testr_repo *repo)
{
	if (!repo)
		return;
	fileio_unlock(repo->lock_fd);
	free(repo->path);
	free(repo);
}

TESTR_API const char *
testr_repo_path(const struct testr_repo *repo)
{
	return repo->path;
}

TESTR_API bool
testr_repo_is_legacy(const struct testr_repo *repo)
{
	return repo->legacy;
}

static int
write_new_repo(struct testr_repo *repo)
{
	char *fmt = repo_file(repo, "format");
	int rc = fmt ? 0 : TESTR_ENOMEM;

	if (rc == 0)
		rc = repo_write_counter(repo, "next-stream", 0);
	if (rc == 0)
		rc = repo_write_counter(repo, "failing.upto", 0);
	/* The format marker last: a half-made repository is not a repository. */
	if (rc == 0)
		rc = fileio_write_file(repo->ctx, fmt, REPO_FORMAT,
				       strlen(REPO_FORMAT));
	free(fmt);
	return rc;
}

TESTR_API int
testr_repo_init(struct testr_repo **out, struct testr_context *ctx,
		const char *dir)
{
	struct testr_repo *repo;
	int rc = repo_alloc(&repo, ctx, dir);

	*out = NULL;
	if (rc < 0)
		return rc;
	if (mkdir(repo->path, 0777) < 0) {
		/* testrepository shows Python's OSError text here. */
		rc = context_fail(ctx, errno == EEXIST ? TESTR_EEXISTS : TESTR_EIO,
				"[Errno %d] %s: '%s'", errno, strerror(errno),
				repo->path);
		goto done;
	}
	rc = write_new_repo(repo);
done:
	if (rc < 0)
		testr_repo_free(repo);
	else
		*out = repo;
	return rc;
}

static int
check_format(struct testr_repo *repo, const char *dir)
{
	char *path = repo_file(repo, "format"), *text = NULL;
	int rc;

	if (!path)
		return TESTR_ENOMEM;
	rc = fileio_read_file(&text, NULL, repo->ctx, path);
	if (rc == TESTR_ENOTFOUND) {
		rc = context_fail(repo->ctx, TESTR_ENOTFOUND,
				"No repository found in %s. Create one by "
				"running \"testr init\".", dir ? dir : ".");
	} else if (rc == 0 && strcmp(text, REPO_FORMAT_LEGACY) == 0) {
		repo->legacy = true;
	} else if (rc == 0 && strcmp(text, REPO_FORMAT) != 0) {
		rc = context_fail(repo->ctx, TESTR_EUNSUPPORTED,
				"%s: unknown repository format '%.*s'", path,
				(int)strcspn(text, "\n"), text);
	}
	free(text);
	free(path);
	return rc;
}

/* Stale derived files (a writer was killed after its commit point)? */
static int
needs_repair(bool *out, struct testr_repo *repo, uint64_t count)
{
	uint64_t upto = 0;
	int rc;

	*out = false;
	if (repo->legacy)
		return 0;	/* nothing of ours to repair until we write */
	rc = repo_read_counter(&upto, repo, "failing.upto");
	if (rc == TESTR_ENOTFOUND || (rc == 0 && upto != count))
		*out = true;
	else if (rc < 0)
		*out = true, testr_context_clear_error(repo->ctx);
	return 0;
}

TESTR_API int
testr_repo_open(struct testr_repo **out, struct testr_context *ctx,
		const char *dir)
{
	struct testr_repo *repo;
	uint64_t count;
	bool stale;
	int rc = repo_alloc(&repo, ctx, dir);

	*out = NULL;
	if (rc < 0)
		return rc;
	rc = check_format(repo, dir);
	if (rc == 0)
		rc = repo_count(&count, repo);
	if (rc == 0)
		rc = needs_repair(&stale, repo, count);
	if (rc == 0 && stale)
		rc = repo_repair_with_lock(repo);
	if (rc < 0)
		testr_repo_free(repo);
	else
		*out = repo;
	return rc;
}

TESTR_API int
testr_repo_count(uint64_t *out, struct testr_repo *repo)
{
	return repo_count(out, repo);
}

TESTR_API int
testr_repo_latest_id(uint64_t *out, struct testr_repo *repo)
{
	struct repo_runs runs;
	uint64_t n;
	int rc = repo_count(&n, repo);

	if (rc < 0)
		return rc;
	if (n > 0 && repo_run_exists(repo, n - 1)) {
		*out = n - 1;
		return 0;
	}
	/* The counter is past missing runs: the latest one that exists. */
	rc = repo_runs_list(&runs, repo, 0, n);
	if (rc == 0 && runs.n)
		*out = runs.ids[runs.n - 1];
	else if (rc == 0)
		rc = context_fail(repo->ctx, TESTR_ENOTFOUND,
				"'No tests in repository'");
	repo_runs_dispose(&runs);
	return rc;
}

/* Under the lock; testrepository takes none, so it must not run meanwhile. */
static int
upgrade_locked(struct testr_repo *repo)
{
	uint64_t count;
	char *fmt = repo_file(repo, "format");
	int rc = fmt ? repo_count(&count, repo) : TESTR_ENOMEM;

	/* The failing set is testrepository's and current: taken as folded. */
	if (rc == 0)
		rc = repo_write_counter(repo, "failing.upto", count);
	if (rc == 0)
		rc = repo_times_update(repo, count);
	/* The marker last: until it changes, nothing else is ours to read. */
	if (rc == 0)
		rc = fileio_write_file(repo->ctx, fmt, REPO_FORMAT,
				       strlen(REPO_FORMAT));
	if (rc == 0) {
		repo->legacy = false;
		context_log(repo->ctx, TESTR_LOG_INFO, "%s: upgraded from "
			  "testrepository format 1 to %.*s", repo->path,
			  (int)strlen(REPO_FORMAT) - 1, REPO_FORMAT);
	}
	free(fmt);
	return rc;
}

TESTR_API int
testr_repo_upgrade(struct testr_repo *repo)
{
	int rc;

	if (!repo->legacy)
		return 0;
	rc = repo_lock(repo);
	if (rc == 0)
		rc = upgrade_locked(repo);
	repo_unlock(repo);
	return rc;
}
