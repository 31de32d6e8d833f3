/*
 * Private: the repository over time (lib/repo_history.c; the public side is
 * testr_repo_history_*): what reports need beyond it.
 */
#ifndef TESTR_LIB_REPO_HISTORY_H
#define TESTR_LIB_REPO_HISTORY_H

#include "repo_store.h"

/* How many runs with ids below @count still have their run file (not
 * pruned); the work follows the run files, not @count. */
int repo_count_stored(uint64_t *out, struct testr_repo *repo, uint64_t count);

#endif
