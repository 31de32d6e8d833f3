/* Unit tests for lib/pool.c: provisioning, reuse, wrapping, disposal. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "pool";

struct fixture {
	char *dir;
	char log[600];		/* provision calls */
	char dlog[600];		/* dispose calls */
	char provision[1400];
	char dispose[1400];
	struct testr_context *ctx;
	int announced;
};

static void
count_command(void *userdata, const char *command)
{
	struct fixture *fx = userdata;

	(void)command;
	fx->announced++;
}

static struct testr_pool *
setup(struct fixture *fx, const char *ids_cmd, const char *execute)
{
	struct testr_pool_options opts = TESTR_POOL_OPTIONS_INIT;
	struct testr_pool *pool;

	memset(fx, 0, sizeof(*fx));
	fx->dir = harness_tmpdir();
	snprintf(fx->log, sizeof(fx->log), "%s/provision.log", fx->dir);
	snprintf(fx->dlog, sizeof(fx->dlog), "%s/dispose.log", fx->dir);
	snprintf(fx->provision, sizeof(fx->provision),
		 "echo $INSTANCE_COUNT >> '%s'; %s", fx->log, ids_cmd);
	snprintf(fx->dispose, sizeof(fx->dispose),
		 "echo \"$INSTANCE_IDS\" >> '%s'", fx->dlog);
	opts.provision = fx->provision;
	opts.execute = execute;
	opts.dispose = fx->dispose;
	opts.on_command = count_command;
	opts.userdata = fx;
	testr_context_new(&fx->ctx);
	ck_assert_int_eq(testr_pool_new(&pool, fx->ctx, &opts), 0);
	return pool;
}

static void
teardown(struct fixture *fx, struct testr_pool *pool)
{
	testr_pool_free(pool);
	testr_context_free(fx->ctx);
	harness_rmtree(fx->dir);
	free(fx->dir);
}

START_TEST(pool_provisions_once_and_reuses_released_instances)
{
	struct fixture fx;
	struct testr_pool *pool = setup(&fx, "echo i1 i2", NULL);
	const char *a, *b, *c;

	ck_assert(testr_pool_enabled(pool));
	ck_assert_int_eq(testr_pool_obtain(&a, pool, 2), 0);
	ck_assert_int_eq(testr_pool_obtain(&b, pool, 2), 0);
	ck_assert_str_eq(a, "i1");
	ck_assert_str_eq(b, "i2");
	testr_pool_release(pool, a);
	ck_assert_int_eq(testr_pool_obtain(&c, pool, 2), 0);
	ck_assert_str_eq(c, "i1");
	ck_assert_str_eq(harness_slurp(fx.log), "2\n");
	ck_assert_int_eq(testr_pool_obtain(&c, pool, 2), TESTR_EINVAL);
	teardown(&fx, pool);
}
END_TEST

/* Lazy: each call provisions only when no instance is free, asking for
 * the ones still missing (the provisioner gives one id per call). */
START_TEST(pool_provisions_only_when_none_is_free_asking_for_the_missing)
{
	struct fixture fx;
	/* One new id per call: x1, then x2, then x3. */
	struct testr_pool *pool =
		setup(&fx, "echo x$(wc -l < \"$PROVISION_LOG\")", NULL);
	const char *a, *b, *c;

	setenv("PROVISION_LOG", fx.log, 1);
	ck_assert_int_eq(testr_pool_obtain(&a, pool, 3), 0);
	ck_assert_str_eq(a, "x1");
	ck_assert_str_eq(harness_slurp(fx.log), "3\n");
	ck_assert_int_eq(testr_pool_obtain(&b, pool, 3), 0);
	ck_assert_str_eq(b, "x2");
	testr_pool_release(pool, a);
	ck_assert_int_eq(testr_pool_obtain(&c, pool, 3), 0);
	ck_assert_str_eq(c, "x1");	/* reused: no provisioning */
	ck_assert_str_eq(harness_slurp(fx.log), "3\n2\n");
	ck_assert_int_eq(testr_pool_obtain(&c, pool, 3), 0);
	ck_assert_str_eq(c, "x3");
	ck_assert_str_eq(harness_slurp(fx.log), "3\n2\n1\n");
	teardown(&fx, pool);
}
END_TEST

START_TEST(pool_wrap_substitutes_instance_command_and_files)
{
	struct fixture fx;
	struct testr_pool *pool =
		setup(&fx, "echo vm1", "ssh $INSTANCE_ID -- $COMMAND [$FILES]");
	const char *id;
	char *cmd;

	ck_assert_int_eq(testr_pool_obtain(&id, pool, 1), 0);
	ck_assert_int_eq(testr_pool_wrap(&cmd, pool, id, "run it", "/tmp/x"), 0);
	ck_assert_str_eq(cmd, "ssh vm1 -- run it [/tmp/x]");
	free(cmd);
	ck_assert_int_eq(testr_pool_wrap(&cmd, pool, id, "list", NULL), 0);
	ck_assert_str_eq(cmd, "ssh vm1 -- list []");
	free(cmd);
	ck_assert_int_eq(testr_pool_wrap(&cmd, pool, NULL, "bare", NULL), 0);
	ck_assert_str_eq(cmd, "bare");
	free(cmd);
	teardown(&fx, pool);
}
END_TEST

START_TEST(pool_disposes_sorted_ids_exactly_once)
{
	struct fixture fx;
	struct testr_pool *pool = setup(&fx, "echo zeta alpha mid", NULL);
	const char *id;

	ck_assert_int_eq(testr_pool_obtain(&id, pool, 3), 0);
	ck_assert_int_eq(testr_pool_dispose(pool), 0);
	ck_assert_int_eq(testr_pool_dispose(pool), 0);
	ck_assert_str_eq(harness_slurp(fx.dlog), "alpha mid zeta\n");
	ck_assert_int_eq(fx.announced, 2);	/* provision + dispose */
	teardown(&fx, pool);
}
END_TEST

START_TEST(pool_free_disposes_when_nobody_did)
{
	struct fixture fx;
	struct testr_pool *pool = setup(&fx, "echo b a", NULL);
	const char *id;
	char dlog[600];

	ck_assert_int_eq(testr_pool_obtain(&id, pool, 1), 0);
	snprintf(dlog, sizeof(dlog), "%s", fx.dlog);
	testr_pool_free(pool);
	ck_assert_str_eq(harness_slurp(dlog), "a b\n");
	teardown(&fx, NULL);
}
END_TEST

START_TEST(pool_reports_failed_provision_with_its_code)
{
	struct fixture fx;
	struct testr_pool *pool = setup(&fx, "exit 3", NULL);
	const char *id;

	ck_assert_int_eq(testr_pool_obtain(&id, pool, 2), TESTR_ECHILD);
	ck_assert_str_eq(testr_context_error(fx.ctx),
			 "Provisioning instances failed, return 3");
	teardown(&fx, pool);
}
END_TEST

START_TEST(pool_refuses_provision_that_prints_no_ids)
{
	struct fixture fx;
	struct testr_pool *pool = setup(&fx, "true", NULL);
	const char *id;

	ck_assert_int_eq(testr_pool_obtain(&id, pool, 2), TESTR_ECHILD);
	ck_assert_ptr_nonnull(strstr(testr_context_error(fx.ctx),
				     "no new instance ids"));
	teardown(&fx, pool);
}
END_TEST

START_TEST(pool_reports_failed_dispose_with_its_code)
{
	struct testr_pool_options opts = TESTR_POOL_OPTIONS_INIT;
	struct testr_context *ctx;
	struct testr_pool *pool;
	const char *id;

	opts.provision = "echo vm";
	opts.dispose = "exit 4";
	testr_context_new(&ctx);
	ck_assert_int_eq(testr_pool_new(&pool, ctx, &opts), 0);
	ck_assert_int_eq(testr_pool_obtain(&id, pool, 1), 0);
	ck_assert_int_eq(testr_pool_dispose(pool), TESTR_ECHILD);
	ck_assert_str_eq(testr_context_error(ctx),
			 "Disposing of instances failed, return 4");
	testr_pool_free(pool);
	testr_context_free(ctx);
}
END_TEST

START_TEST(pool_never_disposes_what_was_not_provisioned)
{
	struct fixture fx;
	struct testr_pool *pool = setup(&fx, "exit 3", NULL);
	const char *id;

	/* Never asked for an instance. */
	ck_assert_int_eq(testr_pool_dispose(pool), 0);
	teardown(&fx, pool);
	/* Asked, and provisioning failed. */
	pool = setup(&fx, "exit 3", NULL);
	ck_assert_int_eq(testr_pool_obtain(&id, pool, 2), TESTR_ECHILD);
	ck_assert_int_eq(testr_pool_dispose(pool), 0);
	ck_assert_int_eq(access(fx.dlog, F_OK), -1);
	ck_assert_int_eq(fx.announced, 1);	/* the provision only */
	teardown(&fx, pool);
}
END_TEST

START_TEST(pool_wrap_quotes_command_and_files_for_where_they_stand)
{
	struct fixture fx;
	struct testr_pool *pool = setup(&fx, "echo vm1",
		"for f in $FILES; do cp \"$f\" x; done; sh -c '$COMMAND'");
	const char *id;
	char *cmd;

	ck_assert_int_eq(testr_pool_obtain(&id, pool, 1), 0);
	ck_assert_int_eq(testr_pool_wrap(&cmd, pool, id, "run 'a b'",
					 "/tmp/a dir/ids"), 0);
	ck_assert_str_eq(cmd, "for f in '/tmp/a dir/ids'; do cp \"$f\" x; done; "
			 "sh -c 'run '\\''a b'\\'''");
	free(cmd);
	teardown(&fx, pool);
}
END_TEST

START_TEST(pool_without_provision_hands_out_no_instance)
{
	struct testr_pool_options opts = TESTR_POOL_OPTIONS_INIT;
	struct testr_pool *pool;
	const char *id = "x";

	ck_assert_int_eq(testr_pool_new(&pool, NULL, &opts), 0);
	ck_assert_int_eq(testr_pool_obtain(&id, pool, 4), 0);
	ck_assert_ptr_null(id);
	testr_pool_free(pool);
}
END_TEST

START_TEST(pool_options_of_an_unknown_version_are_refused)
{
	struct testr_pool_options o = TESTR_POOL_OPTIONS_INIT;
	struct testr_pool *pool = (void *)1;
	struct testr_context *ctx;

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	for (unsigned v = 0; v <= 3; v += 3) {
		o.version = v;
		harness_assert_version_refused(ctx,
			testr_pool_new(&pool, ctx, &o), "testr_pool_options",
			v);
		ck_assert_ptr_null(pool);
	}
	/* No options at all: the defaults, a pool without instances. */
	ck_assert_int_eq(testr_pool_new(&pool, ctx, NULL), 0);
	ck_assert(!testr_pool_enabled(pool));
	testr_pool_free(pool);
	testr_context_free(ctx);
}
END_TEST

/* A caller built against the version 1 header: its struct ends at
 * userdata (on the heap, so ASan sees any access past it).  Setting it
 * from a config writes nothing past that, and the pool it makes works
 * with the default timeouts. */
START_TEST(pool_takes_a_version_1_callers_options_only_to_their_end)
{
	struct testr_pool_options o = TESTR_POOL_OPTIONS_INIT;
	size_t size = offsetof(struct testr_pool_options, userdata) +
		      sizeof(o.userdata);
	struct testr_pool_options *v1 = malloc(size);
	struct testr_config *cfg;
	struct testr_context *ctx;
	struct testr_pool *pool;
	char *dir = harness_tmpdir(), path[700];
	const char *id;
	FILE *f;

	ck_assert_ptr_nonnull(v1);
	snprintf(path, sizeof(path), "%s/.testr.conf", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("[DEFAULT]\ntest_command=true\ninstance_provision=echo vm1\n"
	      "instance_provision_timeout=1\n", f);
	fclose(f);
	ck_assert_int_eq(testr_context_new(&ctx), 0);
	ck_assert_int_eq(testr_config_load_dir(&cfg, ctx, dir), 0);
	o.version = 1;
	memcpy(v1, &o, size);
	testr_pool_options_set_config(v1, cfg);
	ck_assert_int_eq(testr_pool_new(&pool, ctx, v1), 0);
	ck_assert_int_eq(testr_pool_obtain(&id, pool, 1), 0);
	ck_assert_str_eq(id, "vm1");
	testr_pool_free(pool);
	testr_config_free(cfg);
	testr_context_free(ctx);
	free(v1);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, pool_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, pool_takes_a_version_1_callers_options_only_to_their_end);
	HARNESS_ADD(h, pool_provisions_once_and_reuses_released_instances);
	HARNESS_ADD(h, pool_provisions_only_when_none_is_free_asking_for_the_missing);
	HARNESS_ADD(h, pool_wrap_substitutes_instance_command_and_files);
	HARNESS_ADD(h, pool_disposes_sorted_ids_exactly_once);
	HARNESS_ADD(h, pool_free_disposes_when_nobody_did);
	HARNESS_ADD(h, pool_reports_failed_provision_with_its_code);
	HARNESS_ADD(h, pool_refuses_provision_that_prints_no_ids);
	HARNESS_ADD(h, pool_reports_failed_dispose_with_its_code);
	HARNESS_ADD(h, pool_without_provision_hands_out_no_instance);
	HARNESS_ADD(h, pool_never_disposes_what_was_not_provisioned);
	HARNESS_ADD(h, pool_wrap_quotes_command_and_files_for_where_they_stand);
}
