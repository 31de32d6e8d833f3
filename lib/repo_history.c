/*
 * The repository over time: every stored run, and each result of chosen
 * tests across runs, read from the per-run indexes (never the run files,
 * except for runs whose index predates the results section).
 */
#include "config-build.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "context.h"
#include "repo.h"

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
