/*
 * Private: reading a stored run file (lib/repo_run.c), checked against what
 * its index recorded, so an emptied or replaced run file is reported rather
 * than read as a run that passed.
 */
#ifndef TESTR_LIB_REPO_RUN_H
#define TESTR_LIB_REPO_RUN_H

#include "repo_index.h"
#include "repo_scan.h"

/* Size and CRC-32 of run file @id.  0, TESTR_ENOTFOUND (message set), TESTR_EIO. */
int repo_run_measure(uint64_t *out_bytes, uint32_t *out_crc,
		     struct testr_repo *repo, uint64_t id);

/*
 * Is run file @id what its index says was stored?  0 (also when there is no
 * usable index to check against), TESTR_ECORRUPT (emptied or replaced: the
 * message names the file), TESTR_ENOTFOUND (no run file), TESTR_EIO.
 */
int repo_run_check(struct testr_repo *repo, uint64_t id);

/*
 * Decode run @id to @fn, checked as repo_run_check() does: a wrong size
 * fails before any event, a wrong CRC-32 (TESTR_ECORRUPT) after them.
 */
int repo_run_decode(struct testr_repo *repo, uint64_t id, testr_event_fn fn,
		    void *userdata);

/* repo_run_decode() into @s, finished. */
int repo_run_scan(struct repo_scan *s, struct testr_repo *repo, uint64_t id);

#endif
