/*
 * libtestr: the duration model.  The repository keeps the last few passing
 * durations of every test and the start-up cost of each runner; from them
 * come the estimates that plan a run (see testr-repository(5)).
 */
#ifndef TESTR_DURATIONS_H
#define TESTR_DURATIONS_H

#include <testr/common.h>
#include <testr/partition.h>
#include <testr/repo.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Where an estimate comes from. */
enum testr_estimate_source {
	TESTR_ESTIMATE_NONE = 0,	/* nothing known: seconds is NAN */
	TESTR_ESTIMATE_MEASURED = 1,	/* the test's own passing runs */
	TESTR_ESTIMATE_GROUP = 2,	/* the median of its measured group */
	TESTR_ESTIMATE_PROJECT = 3,	/* the median of every measured test */
};

/** One test's (or runner's) expected duration. */
struct testr_estimate {
	double seconds;		/* median of the samples; NAN when unknown */
	double spread;		/* 1.4826 x median absolute deviation; NAN
				 * unless measured */
	unsigned samples;	/* passing runs behind it (at most 8) */
	enum testr_estimate_source source;
};

struct testr_estimate_options {
	unsigned version;		/* = 1 */
	testr_group_key_fn group_key;	/* NULL: the id up to its last '.' */
	const struct testr_config *group_config;  /* handed to group_key */
};

#define TESTR_ESTIMATE_OPTIONS_INIT { .version = 1 }

/**
 * Estimate each of the @n_ids tests in @ids into @out (room for @n_ids).
 * A test with passing runs gets the median of its last ones (failed and
 * interrupted runs are no samples); an unseen one gets the median estimate
 * of the measured tests of its group among @ids, else the median of every
 * measured test in the repository.  @opts may be NULL.  Returns 0,
 * TESTR_EINVAL, TESTR_EIO, TESTR_ENOMEM or the group function's error.
 */
TESTR_API int testr_repo_estimates(struct testr_estimate *out,
				   struct testr_repo *repo,
				   const char *const *ids, size_t n_ids,
				   const struct testr_estimate_options *opts);

/** Receives one test's estimate; return non-zero to stop. */
typedef int (*testr_estimate_fn)(void *userdata, const char *test_id,
				 const struct testr_estimate *est);

/**
 * Every measured test the repository knows (not only the latest run's),
 * slowest estimate first (ties by id), at most @limit (0: all), each
 * handed to @fn.  Returns 0, TESTR_ECORRUPT, TESTR_EIO, TESTR_ENOMEM or
 * what @fn returned.
 */
TESTR_API int testr_repo_slowest_estimates(struct testr_repo *repo,
					   size_t limit, testr_estimate_fn fn,
					   void *userdata);

/**
 * Record one start-up cost of @runner (any key naming the runner, for
 * example its test_command; NULL is ""): the seconds from spawning it to
 * its first event.  The last 8 are kept.  Takes the repository lock unless
 * a writer of @repo holds it.  A testrepository repository is left
 * untouched.  Returns 0, TESTR_EINVAL (negative or not finite), TESTR_EIO
 * or TESTR_ENOMEM.
 */
TESTR_API int testr_repo_note_startup(struct testr_repo *repo,
				      const char *runner, double seconds);

/**
 * The start-up cost of @runner into *@out: source MEASURED, or NONE with
 * seconds NAN when nothing is recorded.  Returns 0, TESTR_ECORRUPT (the
 * file is damaged; message names it), TESTR_EIO or TESTR_ENOMEM.
 */
TESTR_API int testr_repo_startup(struct testr_estimate *out,
				 struct testr_repo *repo, const char *runner);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_DURATIONS_H */
