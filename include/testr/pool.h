/* libtestr: the pool of test instances (instance_provision/execute/dispose). */
#ifndef TESTR_POOL_H
#define TESTR_POOL_H


#include <testr/common.h>
#include <testr/config.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Told about every command the pool is about to run (provision, dispose),
 * so a front end can show `running=<command>`.  @command is borrowed.
 */
typedef void (*testr_command_fn)(void *userdata, const char *command);

struct testr_pool_options {
	unsigned version;		/* = 1 */
	/* The .testr.conf templates; NULL when not configured. */
	const char *provision;		/* uses $INSTANCE_COUNT */
	const char *execute;		/* uses $INSTANCE_ID $COMMAND $FILES */
	const char *dispose;		/* uses $INSTANCE_IDS */
	testr_command_fn on_command;	/* may be NULL */
	void *userdata;
	/* Version 2.  Seconds provision and dispose may each run before
	 * their process group is stopped (SIGTERM, then SIGKILL) and the
	 * call fails with TESTR_ETIMEDOUT; 0: no limit. */
	double provision_timeout;
	double dispose_timeout;
};

#define TESTR_POOL_OPTIONS_INIT \
	{ .version = 2, \
	  .provision_timeout = TESTR_PROVISION_TIMEOUT_DEFAULT, \
	  .dispose_timeout = TESTR_DISPOSE_TIMEOUT_DEFAULT }

/** A set of provisioned instances and which of them are in use; opaque. */
struct testr_pool;

/** The loaded .testr.conf (see <testr/config.h>). */
struct testr_config;

/**
 * Take the three templates from @cfg's instance_provision, instance_execute
 * and instance_dispose (NULL where unset), and (version 2) the timeouts
 * instance_provision_timeout and instance_dispose_timeout where set.  The strings stay owned by @cfg,
 * which must outlive testr_pool_new() (the pool copies them).
 */
TESTR_API void testr_pool_options_set_config(struct testr_pool_options *opts,
					     const struct testr_config *cfg);

/**
 * Create a pool.  Nothing runs until the first testr_pool_obtain().  The
 * templates are copied; @opts NULL is a pool without instances.  Returns 0,
 * TESTR_EINVAL (unknown @opts->version) or TESTR_ENOMEM; free with
 * testr_pool_free().
 */
TESTR_API int testr_pool_new(struct testr_pool **out, struct testr_context *ctx,
			     const struct testr_pool_options *opts);

/**
 * Dispose of the instances (if not yet done; see testr_pool_dispose(),
 * whose error is lost here) and free the pool.  NULL is a no-op.
 */
TESTR_API void testr_pool_free(struct testr_pool *pool);

/** True when instance_provision is configured. */
TESTR_API bool testr_pool_enabled(const struct testr_pool *pool);

/**
 * Take a free instance.  Only when none is free, run instance_provision
 * with $INSTANCE_COUNT = @concurrency minus the instances already held (so
 * pass the number of workers that will get work), again if it printed
 * fewer ids, until one is free: nothing is provisioned before it is
 * needed.  *@out is the instance id (owned by the pool, valid until
 * testr_pool_free()), or NULL when no provisioning is configured.  Returns 0, TESTR_ECHILD
 * ("Provisioning instances failed, return N"), TESTR_ETIMEDOUT (past
 * provision_timeout), TESTR_EINVAL (all instances in use) or another
 * negative code.
 */
TESTR_API int testr_pool_obtain(const char **out, struct testr_pool *pool,
				size_t concurrency);

/** Give @instance_id back for reuse.  Unknown ids are ignored. */
TESTR_API void testr_pool_release(struct testr_pool *pool,
				  const char *instance_id);

/**
 * Wrap @command for running on @instance_id: instance_execute with
 * $INSTANCE_ID, $COMMAND and $FILES (@files, may be NULL for "")
 * substituted.  Without instance_execute or with a NULL @instance_id the
 * result is a copy of @command.  *@out is malloc'd; the caller frees it.
 * Returns 0 or TESTR_ENOMEM.
 */
TESTR_API int testr_pool_wrap(char **out, struct testr_pool *pool,
			      const char *instance_id, const char *command,
			      const char *files);

/**
 * Run instance_dispose once with $INSTANCE_IDS = every instance
 * provisioned, sorted and space separated; when none was provisioned it
 * does not run.  Later calls do nothing and return 0, so it is safe to
 * call on every exit path.  It runs in its own process group, is not
 * stopped by the context's interrupt flag (it is the clean-up), and is
 * stopped after dispose_timeout.  Returns 0,
 * TESTR_ECHILD ("Disposing of instances failed, return N") or
 * TESTR_ETIMEDOUT.
 */
TESTR_API int testr_pool_dispose(struct testr_pool *pool);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_POOL_H */
