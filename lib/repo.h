/*
 * Private: the repository's modules, for code above them all (for example
 * reports over the stored runs).  Each lib/repo*.c has one job and its own
 * private header, and includes only the headers of layers below its own,
 * so the dependencies run one way (tests/cli/repo/layers.sh checks it):
 *
 *   0  repo_store     the directory: handle, file names, counters, lock,
 *                     the list of run files, reading a stored stream
 *   0  repo_idmap     test id -> per-test state
 *   0  repo_storable  any event as packets subunit v2 can hold
 *   1  repo_scan      per-test records and counts from events (testr_tally)
 *   2  repo_times     the durations store
 *   3  repo_index     the per-run index: summary, run file size and CRC,
 *                     timed tests, under checksums
 *   4  repo_run       reading a run file checked against its index
 *   4  repo_failing   the failing set
 *   5  repo_repair    derived files brought up to date from the runs
 *   6  repo_writer    storing a run (testr_repo_writer_*)
 *   6  repo_read      reading runs, failures, durations back (public)
 *   6  repo_history   every stored run, and chosen tests across runs
 *   6  repo_prune     removing old runs
 *   7  repo_flaky     tests whose outcome flips, from the history
 *   7  repo           create and open (testr_repo_init/open/count/...)
 */
#ifndef TESTR_LIB_REPO_H
#define TESTR_LIB_REPO_H

#include "repo_failing.h"
#include "repo_history.h"
#include "repo_idmap.h"
#include "repo_index.h"
#include "repo_repair.h"
#include "repo_run.h"
#include "repo_scan.h"
#include "repo_storable.h"
#include "repo_store.h"
#include "repo_times.h"

#endif
