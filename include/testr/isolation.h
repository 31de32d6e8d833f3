/*
 * libtestr: --analyze-isolation.  Find the tests that failed in the latest
 * run but pass alone, then bisect the tests that ran before each on the
 * same worker for the one that makes it fail, as testrepository does.
 */
#ifndef TESTR_ISOLATION_H
#define TESTR_ISOLATION_H

#include <stdbool.h>

#include <testr/common.h>
#include <testr/repo.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Run exactly @ids, in this order, in one runner (serially, unfiltered) and
 * store the result in the repository as a partial run.  Set *@passed when
 * the run passed.  Returns 0, or a negative TESTR_E* code that stops the
 * analysis and is returned by testr_isolation_analyze().
 */
typedef int (*testr_isolation_run_fn)(void *userdata, bool *passed,
				      const struct testr_strv *ids);

/** Options of testr_isolation_analyze(); start from the _INIT macro. */
struct testr_isolation_options {
	unsigned int version;		/* 1 */
	/* Analyse only the failing tests these regexes select (search
	 * semantics, the union of all); none: every failing test. */
	const char *const *filters;
	size_t n_filters;
	/* Runs each probe (required). */
	testr_isolation_run_fn run;
	void *userdata;
};

#define TESTR_ISOLATION_OPTIONS_INIT { .version = 1 }

/** A failing test that passes alone, and the test found to break it. */
struct testr_isolation_conflict {
	char *victim;
	char *cause;	/* NULL: no earlier test on its worker breaks it */
};

/** What testr_isolation_analyze() found; dispose of it when done. */
struct testr_isolation_result {
	struct testr_isolation_conflict *conflicts;
	size_t n;
};

/**
 * Analyse the latest run of @repo: every failing test (selected by
 * @opts->filters) is run alone through @opts->run; one that passes and
 * ran is a victim, and the tests that ran before it on its worker in
 * that latest run are bisected (probes of half the candidates plus the
 * victim) for the one that makes it fail.  @out lists each victim with
 * its cause, in failing-set order; @out->n is 0 when every failing test
 * also fails alone.  Stops with TESTR_EINTR once the context's interrupt
 * flag is raised.  Returns 0, TESTR_EINVAL (bad options), TESTR_ENOMEM,
 * or the error of the repository, the filters or @opts->run.  Free @out
 * with testr_isolation_result_dispose(), even on error.
 */
TESTR_API int testr_isolation_analyze(struct testr_isolation_result *out,
				      struct testr_context *ctx,
				      struct testr_repo *repo,
				      const struct testr_isolation_options *opts);

/** Free what @r holds; leaves it empty.  NULL is a no-op. */
TESTR_API void testr_isolation_result_dispose(struct testr_isolation_result *r);

#ifdef __cplusplus
}
#endif

#endif
