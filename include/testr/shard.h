/*
 * libtestr: time-balanced shards, so that N independent CI jobs each run
 * one part of a suite and agree on the split without talking to each other.
 */
#ifndef TESTR_SHARD_H
#define TESTR_SHARD_H

#include <testr/common.h>
#include <testr/partition.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Shard @index of @count, counted from 0 (0 <= index < count). */
struct testr_shard {
	size_t index;
	size_t count;
	/* Where it came from: "--shard", or the environment variable read. */
	const char *source;
};

/**
 * Parse "I/N" (shard I of N, from 0) into @out.  Returns 0 or TESTR_EINVAL
 * with a message naming the text (escaped) when it is not two whole
 * numbers with 0 <= I < N.
 */
TESTR_API int testr_shard_parse(struct testr_shard *out,
				struct testr_context *ctx, const char *text);

/**
 * Read the shard from the environment a CI system sets, in this order:
 * TESTR_SHARD ("I/N"); Bazel's TEST_SHARD_INDEX/TEST_TOTAL_SHARDS (and
 * then TEST_SHARD_STATUS_FILE is touched, as Bazel's sharding protocol
 * asks); Kubernetes Indexed Jobs' JOB_COMPLETION_INDEX with
 * TESTR_SHARD_COUNT; GitLab's CI_NODE_INDEX/CI_NODE_TOTAL (GitLab counts
 * from 1); CircleCI's CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL; Buildkite's
 * BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT.  Returns 0,
 * TESTR_ENOTFOUND when none is set, or TESTR_EINVAL naming the variable
 * when a value is malformed or out of range.
 */
TESTR_API int testr_shard_from_env(struct testr_shard *out,
				   struct testr_context *ctx);

/**
 * Keep in @ids only the ids of shard @shard.  The split depends only on the
 * set of ids, their durations and their groups, never on their order or on
 * the machine: the ids are sorted, then partitioned into @shard->count
 * lists as testr_partition_new() does (groups whole, longest first), and
 * list @shard->index is kept, in sorted order.  @durations holds one
 * duration per id of @ids in its order on entry (NaN: unknown; may be
 * NULL).  @opts gives the groups (may be NULL).  Returns 0, TESTR_EINVAL,
 * TESTR_ENOMEM or the group function's error.
 */
TESTR_API int testr_shard_select(struct testr_strv *ids,
				 struct testr_context *ctx,
				 const double *durations,
				 const struct testr_shard *shard,
				 const struct testr_partition_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_SHARD_H */
