/* Private: the failing set "failing" (lib/repo_failing.c). */
#ifndef TESTR_LIB_REPO_FAILING_H
#define TESTR_LIB_REPO_FAILING_H

#include "repo_scan.h"

/*
 * Fold run @id, scanned into @scan, into "failing" (its failures; for a
 * full run, drop the rest) and record it in "failing.upto".
 */
int repo_failing_apply(struct testr_repo *repo, uint64_t id,
		       struct repo_scan *scan, bool partial);

#endif
