/*
 * Private: per-test records and run counts from events, as testtools'
 * StreamSummary sees them (lib/repo_scan.c; also the public testr_tally).
 */
#ifndef TESTR_LIB_REPO_SCAN_H
#define TESTR_LIB_REPO_SCAN_H

#include "repo_idmap.h"
#include "repo_store.h"

/*
 * How a run records in its own stream that it was stored partial or
 * interrupted, so an index rebuilt from the stream keeps it: a last packet
 * with no test id carrying a text file of this name.
 */
#define REPO_MARK_PARTIAL "testr-partial"
#define REPO_MARK_INTERRUPTED "testr-interrupted"

struct repo_scan {
	struct repo_idmap tests;
	struct testr_run_summary sum;
	int64_t first_sec, last_sec;
	uint32_t first_nsec, last_nsec;
	struct repo_test *last;	/* a test's events mostly come together */
};

void repo_scan_init(struct repo_scan *s);
void repo_scan_dispose(struct repo_scan *s);
/* Account one event (a marker above sets sum.partial or sum.interrupted).
 * 0 or TESTR_ENOMEM. */
int repo_scan_event(struct repo_scan *s, const struct testr_event *ev);
/* testr_event_fn wrapper around repo_scan_event. */
int repo_scan_event_fn(void *userdata, const struct testr_event *ev);
/* End of stream: tests still in progress count as run and failed. */
void repo_scan_finish(struct repo_scan *s);
/* Decode the stream file @path into @s and finish it. */
int repo_scan_file(struct repo_scan *s, struct testr_repo *repo,
		   const char *path);

/* Record the end of a record of @t with @status. */
void repo_test_set_status(struct repo_test *t, enum testr_status status);
/* What @t came to in its run ("success" ... "flaky", "incomplete"), or NULL
 * when it never ran (only listed). */
const char *repo_test_outcome(const struct repo_test *t);
/* The outcome named by [@s, @s+@len) as repo_test_outcome() spells it, or
 * NULL when it names none. */
const char *repo_outcome_parse(const char *s, size_t len);

#endif
