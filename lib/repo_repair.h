/*
 * Private: bringing derived files up to date from the run files
 * (lib/repo_repair.c): the failing set and durations after a writer died,
 * and an index that is missing or fails its checksum.
 */
#ifndef TESTR_LIB_REPO_REPAIR_H
#define TESTR_LIB_REPO_REPAIR_H

#include "repo_idmap.h"
#include "repo_store.h"
#include "repo_times.h"

/* Bring the failing set and the durations up to date (caller holds the lock). */
int repo_repair(struct testr_repo *repo);
/* The same, taking the lock. */
int repo_repair_with_lock(struct testr_repo *repo);

/* Durations of the runs with ids in [@from, @to) folded into @all (later runs win). */
int repo_collect_times(struct repo_idmap *all, struct testr_repo *repo,
		       uint64_t from, uint64_t to);

/* Models of the runs with ids in [@from, @to) folded into @m, in order. */
int repo_models_collect(struct repo_models *m, struct testr_repo *repo,
			uint64_t from, uint64_t to);

/* Bring the durations store up to @count runs (rebuilt when absent or corrupt). */
int repo_times_update(struct testr_repo *repo, uint64_t count);

/*
 * Write run @id's index again from its run file (taking the lock), after
 * repo_index_head() found it missing or damaged.  Whether the run was
 * partial or interrupted comes from the mark its stream ends with.
 */
int repo_index_rebuild(struct testr_repo *repo, uint64_t id);

#endif
