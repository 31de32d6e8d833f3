/*
 * libtestr: reports of one run for CI systems and people: JUnit XML, JSON
 * and what GitHub Actions and GitLab CI show (formats in testr(1),
 * "REPORTS").  Feed a report the run's events,
 * then write it out as often as wanted.
 */
#ifndef TESTR_REPORT_H
#define TESTR_REPORT_H

#include <testr/common.h>
#include <testr/repo.h>
#include <testr/subunit.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The formats a report can be written in. */
enum testr_report_format {
	TESTR_REPORT_JUNIT = 1,	/* JUnit XML (with Surefire's flaky elements) */
	TESTR_REPORT_JSON = 2,	/* testr's JSON document, "version": 1 */
	/* GitHub Actions workflow commands: ::error per failed test,
	 * ::warning per flaky one (testr(1), "CI"). */
	TESTR_REPORT_GITHUB = 3,
	/* Markdown: totals and each failure (a GitHub step summary). */
	TESTR_REPORT_MARKDOWN = 4,
	/* GitLab CI log: a collapsed section per failed or flaky test. */
	TESTR_REPORT_GITLAB = 5,
};

/* Version of the JSON document written by TESTR_REPORT_JSON. */
#define TESTR_REPORT_JSON_VERSION 1

struct testr_report_options {
	unsigned version;	/* = 1 */
	bool has_run_id;	/* run_id is meaningful */
	uint64_t run_id;
	bool partial;		/* the run was stored as partial */
	const char *name;	/* suite name; NULL means "testr" */
};

#define TESTR_REPORT_OPTIONS_INIT { .version = 1 }

/** A run's results gathered for a report.  Opaque; testr_report_free(). */
struct testr_report;

/**
 * New, empty report.  @opts may be NULL for the defaults (the strings are
 * copied).  Returns 0, TESTR_EINVAL (unknown options version) or
 * TESTR_ENOMEM; the caller frees *out with testr_report_free().
 */
TESTR_API int testr_report_new(struct testr_report **out,
			       struct testr_context *ctx,
			       const struct testr_report_options *opts);

/** Free a report.  NULL is a no-op. */
TESTR_API void testr_report_free(struct testr_report *report);

/**
 * Add one event.  A test's record runs from its first event to its first
 * final status; a later record of a test whose record failed is a retry of
 * it.  A test whose record passed, was skipped or was an expected failure
 * is settled: it moves to the report's spool (in memory up to 4 MiB, then
 * an unlinked temporary file in $TMPDIR), so memory holds only the tests in
 * progress and the failed ones, and a later record of its id counts as
 * another test.  Returns 0, TESTR_ENOMEM or TESTR_EIO (the spool).
 */
TESTR_API int testr_report_add(struct testr_report *report,
			       const struct testr_event *ev);

/** testr_report_add() as a testr_event_fn: @userdata is the report. */
TESTR_API int testr_report_event_fn(void *userdata,
				    const struct testr_event *ev);

/**
 * Outcomes of the tests of a report, one per distinct test id (a retried
 * test counts once); the fields add up to @tests.
 */
struct testr_report_totals {
	uint64_t tests;
	uint64_t success;
	uint64_t fail;
	uint64_t skip;
	uint64_t xfail;
	uint64_t uxsuccess;
	uint64_t flaky;		/* failed, then passed on a retry */
	uint64_t incomplete;	/* never reached a final status */
};

/** Fill @out with the outcomes counted so far. */
TESTR_API void testr_report_totals(struct testr_report_totals *out,
				   const struct testr_report *report);

/**
 * Write the report in @format to @write, in pieces.  Returns 0,
 * TESTR_EINVAL (unknown format), TESTR_ENOMEM or what @write returned.
 */
TESTR_API int testr_report_write(struct testr_report *report,
				 enum testr_report_format format,
				 testr_write_fn write, void *userdata);

/**
 * Write the report in @format as the file @path, atomically (temporary
 * file, fsync, rename): a reader never sees half a report.  Returns 0,
 * TESTR_EINVAL, TESTR_EIO (message names the file) or TESTR_ENOMEM.
 */
TESTR_API int testr_report_write_file(struct testr_report *report,
				      enum testr_report_format format,
				      const char *path);

/**
 * An empty report for stored run @run_id (its id and partial flag filled
 * in), to feed with testr_report_add() while the run is read for
 * something else.  Returns 0, TESTR_ENOTFOUND, TESTR_EIO or TESTR_ENOMEM;
 * free with testr_report_free().
 */
TESTR_API int testr_repo_report_new(struct testr_report **out,
				    struct testr_repo *repo, uint64_t run_id);

/**
 * A report of stored run @run_id (testr_repo_report_new(), then the run).
 * Returns 0, TESTR_ENOTFOUND, TESTR_ECORRUPT (the readable part is in
 * *out, which the caller must then free too), TESTR_EIO or TESTR_ENOMEM.
 */
TESTR_API int testr_repo_report(struct testr_report **out,
				struct testr_repo *repo, uint64_t run_id);

/**
 * testr stats --json: the repository's statistics as one JSON document
 * ("version", "runs", "stored_runs", "latest_run") handed to @write.
 * Returns 0, TESTR_EIO, TESTR_ENOMEM or what @write returned.
 */
TESTR_API int testr_repo_stats_json(struct testr_repo *repo,
				    testr_write_fn write, void *userdata);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_REPORT_H */
