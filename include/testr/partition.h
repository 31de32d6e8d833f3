/* libtestr: splitting test ids into balanced per-worker lists. */
#ifndef TESTR_PARTITION_H
#define TESTR_PARTITION_H

#include <testr/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded configuration (config.h): what a group function groups by. */
struct testr_config;

/**
 * Gives the group key of @test_id, in the shape of testr_config_group_key()
 * (which serves as it is): set *@out_key / *@out_len (the key may point
 * into @test_id; it must stay valid until the next call) and return 1, or
 * return 0 when the id forms a group of its own.  An empty key also means
 * "its own group".  A negative TESTR_E* code stops partitioning.  @cfg is
 * the options' group_config, passed as given (a function of your own may
 * ignore it).
 */
typedef int (*testr_group_key_fn)(const char **out_key, size_t *out_len,
				  const struct testr_config *cfg,
				  const char *test_id);

struct testr_partition_options {
	unsigned version;		/* = 1 */
	testr_group_key_fn group_key;	/* NULL: every id is its own group */
	const struct testr_config *group_config;  /* handed to group_key */
};

#define TESTR_PARTITION_OPTIONS_INIT { .version = 1 }

/** The per-worker lists; opaque. */
struct testr_partition;

/**
 * Split @n_ids ids among @n_workers workers the way testrepository does:
 * ids are grouped by key; groups whose every id has a duration go longest
 * first to the worker with the least time (ties: fewer tests, then the
 * worker that most recently received work); partly timed groups follow the
 * same way; groups with no duration at all are dealt round-robin from
 * worker 0.  @durations (may be NULL) holds one duration in seconds per id,
 * negative or NaN for "unknown".  @opts may be NULL.
 *
 * Returns 0, TESTR_EINVAL (@n_workers is 0), TESTR_ENOMEM or the group
 * function's error.  Free *@out with testr_partition_free().  @ids are only
 * read during the call.
 */
TESTR_API int testr_partition_new(struct testr_partition **out,
				  struct testr_context *ctx,
				  const char *const *ids, size_t n_ids,
				  const double *durations, size_t n_workers,
				  const struct testr_partition_options *opts);

/** Free a partition; NULL is a no-op. */
TESTR_API void testr_partition_free(struct testr_partition *p);

/** Number of workers (the @n_workers given), including empty ones. */
TESTR_API size_t testr_partition_workers(const struct testr_partition *p);

/**
 * The ids given to @worker, as indices into the @ids passed to
 * testr_partition_new(), in the order the worker should run them.  *@out_n
 * receives the count.  Owned by @p.
 */
TESTR_API const size_t *testr_partition_worker(size_t *out_n,
					       const struct testr_partition *p,
					       size_t worker);

/** Sum of the known durations placed on @worker, in seconds. */
TESTR_API double testr_partition_worker_time(const struct testr_partition *p,
					     size_t worker);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_PARTITION_H */
