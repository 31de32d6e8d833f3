/*
 * libtestr: planning a run as a work queue.  Tests are cut into batches,
 * longest first and shrinking towards the end, that workers take as they
 * free up; or, when that gains nothing, one list per worker exactly as
 * testrepository partitions (testr/partition.h).
 */
#ifndef TESTR_SCHED_H
#define TESTR_SCHED_H

#include <testr/common.h>
#include <testr/partition.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How to plan. */
enum testr_sched_mode {
	/* Batches from a work queue, unless one list per worker is
	 * predicted to be as fast: then exactly the static partition. */
	TESTR_SCHED_AUTO = 0,
	/* testrepository's partition: one list per worker, fixed. */
	TESTR_SCHED_STATIC = 1,
	/* Batches from a work queue, even when they gain nothing. */
	TESTR_SCHED_BATCHES = 2,
	/* One runner per worker reading ids as it goes: every group is a
	 * batch of its own, and only the first batch of a worker pays the
	 * start-up cost. */
	TESTR_SCHED_PULL = 3,
};

struct testr_sched_options {
	unsigned version;		/* = 2 */
	enum testr_sched_mode mode;
	testr_group_key_fn group_key;	/* NULL: every id is its own group */
	const struct testr_config *group_config;  /* handed to group_key */
	/* Per id, how far its duration may stray (a standard deviation in
	 * seconds; NaN: unknown, taken as large as the duration itself).
	 * NULL: durations are exact. */
	const double *spread;
	/* Seconds from starting a runner to its first result; negative or
	 * NaN: unknown (planned as 0.1 s, an interpreter's start-up). */
	double startup;
	/* Version 2.  Seconds between the starts of consecutive runners
	 * when the workers are started one after another: the runner
	 * started k-th begins k x stagger after the first (spawning and
	 * start-ups compete for the CPUs).  TESTR_SCHED_AUTO's plan of one
	 * list per worker then gives the later ones less work, so that all
	 * finish together (TESTR_SCHED_STATIC stays testrepository's
	 * partition), and predictions count it.  0, negative or NaN: all
	 * start at once. */
	double stagger;
};

#define TESTR_SCHED_OPTIONS_INIT \
	{ .version = 2, .mode = TESTR_SCHED_AUTO, .startup = -1.0 }

/** A plan: batches in the order they are handed out.  Opaque. */
struct testr_sched;

/** A batch that any free worker may take (see testr_sched_batch_worker()). */
#define TESTR_SCHED_ANY_WORKER ((size_t)-1)

/**
 * Plan @n_ids ids for @n_workers workers.  @durations (may be NULL) holds
 * one estimate in seconds per id, negative or NaN for unknown (planned as
 * the median of the known ones, or 0.05 s each when none is known).
 *
 * Groups (by @opts->group_key) are never split across batches.  The queue
 * holds the groups longest first, cut into batches of about a
 * 1/(2 x workers) share of the work still to hand out (guided
 * self-scheduling), no smaller than ten start-up costs, no larger than a
 * worker's fair share.  TESTR_SCHED_AUTO degenerates to one batch per
 * worker, equal to testr_partition_new() on the same @durations, when
 * that is predicted (durations, spreads and start-up costs considered) to
 * be no slower; with no duration known at all it always queues.
 *
 * Returns 0, TESTR_EINVAL (0 workers, bad options), TESTR_ENOMEM or the
 * group function's error.  Free *@out with testr_sched_free().  @ids and
 * @durations are only read during the call.
 */
TESTR_API int testr_sched_new(struct testr_sched **out,
			      struct testr_context *ctx,
			      const char *const *ids, size_t n_ids,
			      const double *durations, size_t n_workers,
			      const struct testr_sched_options *opts);

/** Free a plan; NULL is a no-op. */
TESTR_API void testr_sched_free(struct testr_sched *s);

/** The mode the plan ended in: AUTO resolves to STATIC or BATCHES. */
TESTR_API enum testr_sched_mode testr_sched_mode(const struct testr_sched *s);

/** Number of workers (the @n_workers given). */
TESTR_API size_t testr_sched_workers(const struct testr_sched *s);

/** Number of batches. */
TESTR_API size_t testr_sched_batches(const struct testr_sched *s);

/**
 * The ids of batch @batch, as indices into the @ids given to
 * testr_sched_new(), in the order to run them; *@out_n gets the count.
 * Owned by @s.
 */
TESTR_API const size_t *testr_sched_batch(size_t *out_n,
					  const struct testr_sched *s,
					  size_t batch);

/** Estimated seconds of the tests of batch @batch (start-up excluded). */
TESTR_API double testr_sched_batch_seconds(const struct testr_sched *s,
					   size_t batch);

/**
 * The worker batch @batch is fixed to (a static plan), or
 * TESTR_SCHED_ANY_WORKER (the next worker to free up takes it).
 */
TESTR_API size_t testr_sched_batch_worker(const struct testr_sched *s,
					  size_t batch);

/**
 * Predicted wall time of the plan in seconds: the batches handed out in
 * order to the first free worker, each paying the start-up cost (once per
 * worker in pull mode).
 */
TESTR_API double testr_sched_makespan(const struct testr_sched *s);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_SCHED_H */
