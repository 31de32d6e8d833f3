/*
 * libtestr: the progress of a run as it goes, for a status line or a
 * dashboard.  Fed the plan's estimates and the run's events, it counts
 * finished and failed tests, knows each worker's test in progress and how
 * long it has been running, and estimates the time left from the duration
 * model, adapting when tests run slower (or faster) than predicted.  It
 * reads no clock: every call is given the time, so a caller (or a test)
 * drives it with any monotonic clock.
 */
#ifndef TESTR_PROGRESS_H
#define TESTR_PROGRESS_H

#include <stdbool.h>

#include <testr/common.h>
#include <testr/subunit.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A run's progress and time left.  Opaque; not thread-safe. */
struct testr_progress;

/** The whole run at one moment (testr_progress_state()). */
struct testr_progress_state {
	size_t done;		/* tests with a final result */
	size_t failed;		/* of which failed (or unexpectedly passed) */
	size_t expected;	/* tests planned; 0: unknown */
	size_t running;		/* workers with a test in progress */
	double elapsed;		/* seconds since testr_progress_new() */
	/* Estimated seconds left; NaN: unknown (nothing estimated, nothing
	 * finished yet, or an unknown number of tests). */
	double left;
	/* Measured over estimated seconds of the tests so far (those past
	 * their estimate count while still running); 1 until measured. */
	double pace;
};

/** One worker at one moment (testr_progress_worker()). */
struct testr_progress_worker {
	/* Its test in progress, borrowed until the next call that feeds
	 * @p; NULL: idle. */
	const char *test;
	double running;		/* seconds it has been in that test */
	double expected;	/* that test's estimate; NaN: unknown */
	/* Running for longer than its estimate, and by at least a second
	 * (a shorter overrun is not worth a mark). */
	bool overdue;
};

/**
 * A new progress, its clock starting at @now (seconds of any monotonic
 * clock).  Returns 0 or TESTR_ENOMEM.  Free *@out with
 * testr_progress_free().
 */
TESTR_API int testr_progress_new(struct testr_progress **out, double now);

/** Free @p; NULL is a no-op. */
TESTR_API void testr_progress_free(struct testr_progress *p);

/**
 * The plan: @n_tests tests on @n_workers workers.  @ids and @seconds (each
 * may be NULL) give each test's id and estimated seconds (NaN or negative:
 * unknown, then taken as the median of the known ones).  Without ids, the
 * estimates still give the total.  The ids and estimates are copied; a
 * later plan replaces this one, keeping the counts and the workers'
 * tests.  Returns 0 or TESTR_ENOMEM.
 */
TESTR_API int testr_progress_plan(struct testr_progress *p,
				  const char *const *ids,
				  const double *seconds, size_t n_tests,
				  size_t n_workers);

/**
 * Feed one event of the run, seen at @now.  The worker is the event's
 * route code or its "worker-N" tag (none: worker 0).  An inprogress event
 * starts the worker's test; a final one (success, failure, skip, xfail,
 * uxsuccess; for an attachment in several packets, its last) counts it.
 * Returns 0 or TESTR_ENOMEM.
 */
TESTR_API int testr_progress_event(struct testr_progress *p,
				   const struct testr_event *ev, double now);

/** The whole run at @now, into *@out. */
TESTR_API void testr_progress_state(struct testr_progress_state *out,
				    const struct testr_progress *p,
				    double now);

/** Number of workers known: the plan's, or more if events named more. */
TESTR_API size_t testr_progress_workers(const struct testr_progress *p);

/**
 * Worker @worker at @now, into *@out (idle when @worker is out of range).
 */
TESTR_API void testr_progress_worker(struct testr_progress_worker *out,
				     const struct testr_progress *p,
				     size_t worker, double now);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_PROGRESS_H */
