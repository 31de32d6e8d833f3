/*
 * The instance pool: provisioned lazily, handed out and taken back as
 * workers start and finish, disposed of exactly once.
 */
#include "config-build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/config.h>
#include <testr/pool.h>
#include <testr/template.h>

#include "context.h"
#include "process.h"
#include "template.h"

struct testr_pool {
	struct testr_context *ctx;
	char *provision, *execute, *dispose;
	testr_command_fn on_command;
	void *userdata;
	double provision_timeout, dispose_timeout;	/* 0: no limit */
	struct testr_strv ids;	/* every instance, in provisioning order */
	bool *in_use;		/* parallel to ids */
	bool disposed;
};

static char *
dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = true;
	return d;
}

TESTR_API void
testr_pool_options_set_config(struct testr_pool_options *opts,
			      const struct testr_config *cfg)
{
	opts->provision = testr_config_get(cfg, "instance_provision");
	opts->execute = testr_config_get(cfg, "instance_execute");
	opts->dispose = testr_config_get(cfg, "instance_dispose");
	/* This writes the caller's struct: never past their version. */
	if (opts->version < 2)
		return;
	opts->provision_timeout = testr_config_seconds(cfg,
		"instance_provision_timeout", opts->provision_timeout);
	opts->dispose_timeout = testr_config_seconds(cfg,
		"instance_dispose_timeout", opts->dispose_timeout);
}

/* The bytes of each version of struct testr_pool_options. */
static const size_t pool_options_sizes[] = {
	OPTIONS_END(testr_pool_options, userdata),
	OPTIONS_END(testr_pool_options, dispose_timeout),
};

TESTR_API int
testr_pool_new(struct testr_pool **out, struct testr_context *ctx,
	       const struct testr_pool_options *opts)
{
	struct testr_pool_options o = TESTR_POOL_OPTIONS_INIT;
	struct testr_pool *pool;
	bool failed;
	int rc = OPTIONS_COPY(ctx, &o, opts, testr_pool_options,
			      pool_options_sizes);

	*out = NULL;
	if (rc < 0)
		return rc;
	opts = &o;
	pool = calloc(1, sizeof(*pool));
	if ((failed = !pool))
		return TESTR_ENOMEM;
	pool->ctx = ctx;
	pool->provision = dup_or_null(opts->provision, &failed);
	pool->execute = dup_or_null(opts->execute, &failed);
	pool->dispose = dup_or_null(opts->dispose, &failed);
	pool->on_command = opts->on_command;
	pool->userdata = opts->userdata;
	pool->provision_timeout = opts->provision_timeout;
	pool->dispose_timeout = opts->dispose_timeout;
	if (failed) {
		pool->disposed = true;
		testr_pool_free(pool);
		return TESTR_ENOMEM;
	}
	*out = pool;
	return TESTR_OK;
}

TESTR_API void
testr_pool_free(struct testr_pool *pool)
{
	if (!pool)
		return;
	testr_pool_dispose(pool);
	free(pool->provision);
	free(pool->execute);
	free(pool->dispose);
	testr_strv_dispose(&pool->ids);
	free(pool->in_use);
	free(pool);
}

TESTR_API bool
testr_pool_enabled(const struct testr_pool *pool)
{
	return pool && pool->provision;
}

static void
announce(struct testr_pool *pool, const char *cmd)
{
	if (pool->on_command)
		pool->on_command(pool->userdata, cmd);
}

/* Add the whitespace-separated ids in @out, skipping ones already held. */
static int
add_instances(struct testr_pool *pool, const char *out, size_t *added)
{
	const char *ws = " \t\r\n\v\f";

	for (const char *s = out + strspn(out, ws); *s; s += strspn(s, ws)) {
		size_t len = strcspn(s, ws);
		char *id = strndup(s, len);
		bool *grown;

		s += len;
		if (!id)
			return TESTR_ENOMEM;
		if (testr_strv_find(&pool->ids, id) >= 0) {
			free(id);
			continue;
		}
		grown = realloc(pool->in_use, (pool->ids.n + 1) * sizeof(bool));
		if (grown)	/* ids.n and in_use stay in step either way */
			pool->in_use = grown;
		if (!grown || testr_strv_push(&pool->ids, id) < 0) {
			free(id);
			return TESTR_ENOMEM;
		}
		free(id);
		grown[pool->ids.n - 1] = false;
		(*added)++;
	}
	return TESTR_OK;
}

static int
provision(struct testr_pool *pool, size_t missing)
{
	struct proc_capture c;
	size_t added = 0;
	char *cmd;
	int rc;

	if (instance_provision_expand(&cmd, pool->provision, missing) < 0)
		return TESTR_ENOMEM;
	announce(pool, cmd);
	rc = proc_capture_timed(&c, pool->ctx, cmd, true, NULL,
				pool->provision_timeout);
	if (rc == TESTR_ETIMEDOUT)
		proc_fail_timeout(pool->ctx, "instance_provision",
				  "instance_provision_timeout",
				  pool->provision_timeout, cmd);
	free(cmd);
	if (rc < 0)
		return rc;
	if (c.status.exit_code != 0)
		rc = context_fail(pool->ctx, TESTR_ECHILD,
				"Provisioning instances failed, return %d",
				proc_status_code(&c.status));
	else if ((rc = add_instances(pool, c.out, &added)) == 0 && !added)
		/* testrepository would loop forever here. */
		rc = context_fail(pool->ctx, TESTR_ECHILD,
				"Provisioning instances failed: "
				"instance_provision printed no new instance ids");
	proc_capture_dispose(&c);
	return rc;
}

/* Mark a free instance used and point *@out_id at it; false if none. */
static bool
take_free(struct testr_pool *pool, const char **out_id)
{
	for (size_t i = 0; i < pool->ids.n; i++) {
		if (!pool->in_use[i]) {
			pool->in_use[i] = true;
			*out_id = pool->ids.v[i];
			return true;
		}
	}
	return false;
}

TESTR_API int
testr_pool_obtain(const char **out, struct testr_pool *pool,
		  size_t concurrency)
{
	int rc;

	*out = NULL;
	if (!pool->provision)
		return TESTR_OK;
	/* Lazily: a free instance is reused; only when none is free are the
	 * ones still missing provisioned, in one call where possible. */
	while (!take_free(pool, out)) {
		if (pool->ids.n >= concurrency)
			return context_fail(pool->ctx, TESTR_EINVAL,
					  "all %zu test instances are in use",
					  pool->ids.n);
		if ((rc = provision(pool, concurrency - pool->ids.n)) < 0)
			return rc;
	}
	return TESTR_OK;
}

TESTR_API void
testr_pool_release(struct testr_pool *pool, const char *instance_id)
{
	long i;

	if (!pool || !instance_id)
		return;
	i = testr_strv_find(&pool->ids, instance_id);
	if (i >= 0)
		pool->in_use[i] = false;
}

TESTR_API int
testr_pool_wrap(char **out, struct testr_pool *pool, const char *instance_id,
		const char *command, const char *files)
{
	if (instance_id && pool->execute)
		return instance_execute_expand(out, pool->execute, instance_id,
					       command, files);
	*out = strdup(command);
	return *out ? TESTR_OK : TESTR_ENOMEM;
}

TESTR_API int
testr_pool_dispose(struct testr_pool *pool)
{
	struct proc p;
	struct proc_status st;
	char *cmd;
	int rc;

	if (!pool || pool->disposed || !pool->dispose)
		return TESTR_OK;
	pool->disposed = true;
	if (pool->ids.n == 0)
		return TESTR_OK;	/* nothing was provisioned */
	if (instance_dispose_expand(&cmd, pool->dispose, &pool->ids) < 0)
		return TESTR_ENOMEM;
	announce(pool, cmd);
	/* Its own group, so a timeout stops all of it; and Ctrl-C, which
	 * the run is cleaning up after, does not stop the clean-up. */
	rc = proc_spawn(&p, pool->ctx, cmd, PROC_OWN_GROUP);
	if (rc == TESTR_OK)
		rc = proc_wait_timed(&p, &st, pool->dispose_timeout, NULL);
	if (rc == TESTR_ETIMEDOUT)
		proc_fail_timeout(pool->ctx, "instance_dispose",
				  "instance_dispose_timeout",
				  pool->dispose_timeout, cmd);
	else if (rc == TESTR_OK && (st.exit_code != 0 || st.signal != 0))
		rc = context_fail(pool->ctx, TESTR_ECHILD,
				"Disposing of instances failed, return %d",
				proc_status_code(&st));
	free(cmd);
	return rc;
}
