/*
 * Time-balanced shards: the ids of one of N CI jobs.  The split is a
 * function of the id set, the durations and the groups alone, so N jobs
 * that see the same timings agree without talking to each other.
 */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/shard.h>

#include "context.h"

/* A whole decimal number, nothing else; false otherwise. */
static bool
parse_count(size_t *out, const char *s, size_t len)
{
	size_t v = 0;

	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

static int
bad_shard(struct testr_context *ctx, const char *source, const char *text)
{
	char q[128];

	return context_fail(ctx, TESTR_EINVAL, "%s: %s is not a shard I/N "
			  "with 0 <= I < N", source,
			  testr_quote(q, sizeof(q), text, strlen(text)));
}

static int
shard_set(struct testr_shard *out, size_t index, size_t count,
	  const char *source)
{
	if (count == 0 || index >= count)
		return TESTR_EINVAL;
	out->index = index;
	out->count = count;
	out->source = source;
	return TESTR_OK;
}

static int
parse_as(struct testr_shard *out, struct testr_context *ctx,
	 const char *text, const char *source)
{
	const char *slash = strchr(text, '/');
	size_t index, count;

	if (!slash || !parse_count(&index, text, (size_t)(slash - text)) ||
	    !parse_count(&count, slash + 1, strlen(slash + 1)) ||
	    shard_set(out, index, count, source) < 0)
		return bad_shard(ctx, source, text);
	return TESTR_OK;
}

TESTR_API int
testr_shard_parse(struct testr_shard *out, struct testr_context *ctx,
		  const char *text)
{
	return parse_as(out, ctx, text, "--shard");
}

/* The CI systems' variables: index, count, and the index of the first. */
static const struct shard_env {
	const char *index, *count;
	size_t base;
} shard_envs[] = {
	{ "TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS", 0 },		/* Bazel */
	{ "JOB_COMPLETION_INDEX", "TESTR_SHARD_COUNT", 0 },	/* Kubernetes */
	{ "CI_NODE_INDEX", "CI_NODE_TOTAL", 1 },		/* GitLab */
	{ "CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 0 },	/* CircleCI */
	{ "BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0 },
};

/* Bazel asks a test that shards to touch this file. */
static void
ack_bazel(struct testr_context *ctx)
{
	const char *path = getenv("TEST_SHARD_STATUS_FILE");
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		context_log(ctx, TESTR_LOG_WARNING, "TEST_SHARD_STATUS_FILE %s: "
			  "%s", path, strerror(errno));
	else
		close(fd);
}

static int
from_pair(struct testr_shard *out, struct testr_context *ctx,
	  const struct shard_env *e)
{
	const char *is = getenv(e->index), *cs = getenv(e->count);
	size_t index, count;

	if (!is || !cs || !parse_count(&index, is, strlen(is)) ||
	    !parse_count(&count, cs, strlen(cs)) || index < e->base ||
	    shard_set(out, index - e->base, count, e->index) < 0)
		return context_fail(ctx, TESTR_EINVAL, "%s=%s and %s=%s do not "
				  "name a shard", e->index, is ? is : "(unset)",
				  e->count, cs ? cs : "(unset)");
	return TESTR_OK;
}

TESTR_API int
testr_shard_from_env(struct testr_shard *out, struct testr_context *ctx)
{
	const char *own = getenv("TESTR_SHARD");
	size_t n = sizeof(shard_envs) / sizeof(shard_envs[0]);
	int rc;

	if (own && *own)
		return parse_as(out, ctx, own, "TESTR_SHARD");
	for (size_t i = 0; i < n; i++) {
		if (!getenv(shard_envs[i].index))
			continue;
		rc = from_pair(out, ctx, &shard_envs[i]);
		if (rc == TESTR_OK && i == 0)
			ack_bazel(ctx);
		return rc;
	}
	return context_fail(ctx, TESTR_ENOTFOUND, "no shard in the environment "
			  "(TESTR_SHARD, TEST_SHARD_INDEX, JOB_COMPLETION_INDEX, "
			  "CI_NODE_INDEX, CIRCLE_NODE_INDEX, "
			  "BUILDKITE_PARALLEL_JOB)");
}

struct sorted_id {
	char *id;
	double seconds;
};

static int
by_id(const void *a, const void *b)
{
	return strcmp(((const struct sorted_id *)a)->id,
		      ((const struct sorted_id *)b)->id);
}

/* @ids' strings (moved, not copied) with their durations, sorted by id. */
static struct sorted_id *
sort_ids(const struct testr_strv *ids, const double *durations)
{
	struct sorted_id *s = malloc((ids->n ? ids->n : 1) * sizeof(*s));

	if (!s)
		return NULL;
	for (size_t i = 0; i < ids->n; i++) {
		s[i].id = ids->v[i];
		s[i].seconds = durations ? durations[i] : NAN;
	}
	qsort(s, ids->n, sizeof(*s), by_id);
	return s;
}

/* Partition the sorted ids and put shard @index's back into @ids. */
static int
keep_shard(struct testr_strv *ids, struct testr_context *ctx,
	   struct sorted_id *s, const struct testr_shard *shard,
	   const struct testr_partition_options *opts)
{
	const char **v = malloc((ids->n ? ids->n : 1) * sizeof(*v));
	double *t = malloc((ids->n ? ids->n : 1) * sizeof(*t));
	struct testr_partition *p = NULL;
	bool *keep = calloc(ids->n ? ids->n : 1, sizeof(*keep));
	size_t n = 0, w = 0;
	const size_t *idx;
	int rc = v && t && keep ? TESTR_OK : TESTR_ENOMEM;

	for (size_t i = 0; rc == TESTR_OK && i < ids->n; i++) {
		v[i] = s[i].id;
		t[i] = s[i].seconds;
	}
	if (rc == TESTR_OK)
		rc = testr_partition_new(&p, ctx, v, ids->n, t, shard->count,
					 opts);
	idx = rc == TESTR_OK ? testr_partition_worker(&n, p, shard->index) :
	      NULL;
	for (size_t i = 0; i < n; i++)
		keep[idx[i]] = true;
	for (size_t i = 0; rc == TESTR_OK && i < ids->n; i++) {
		if (keep[i])
			ids->v[w++] = s[i].id;
		else
			free(s[i].id);
	}
	if (rc == TESTR_OK)
		ids->n = w;
	else	/* the strings are still all in @s: put them back */
		for (size_t i = 0; i < ids->n; i++)
			ids->v[i] = s[i].id;
	testr_partition_free(p);
	free(keep);
	free(t);
	free(v);
	return rc;
}

TESTR_API int
testr_shard_select(struct testr_strv *ids, struct testr_context *ctx,
		   const double *durations, const struct testr_shard *shard,
		   const struct testr_partition_options *opts)
{
	struct sorted_id *s;
	int rc;

	if (!shard || shard->count == 0 || shard->index >= shard->count)
		return context_fail(ctx, TESTR_EINVAL, "no valid shard given");
	s = sort_ids(ids, durations);
	if (!s)
		return context_fail(ctx, TESTR_ENOMEM, "out of memory sharding");
	rc = keep_shard(ids, ctx, s, shard, opts);
	free(s);
	return rc;
}
