/*
 * testr list-tests [FILTER...] [-- TESTARGS...]: print the project's test
 * ids, one per line, as the runner lists them (and the filters select).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int
make_pool(struct testr_pool **out, struct testr_context *ctx,
	  const struct testr_config *cfg)
{
	struct testr_pool_options po = TESTR_POOL_OPTIONS_INIT;

	testr_pool_options_set_config(&po, cfg);
	po.on_command = cli_show_running;
	po.userdata = stderr;
	return testr_pool_new(out, ctx, &po);
}

static int
list_and_filter(struct testr_strv *ids, struct testr_context *ctx,
		const struct testr_config *cfg, struct testr_pool *pool,
		const struct testr_run_options *o)
{
	struct testr_filter *f = NULL;
	int rc = testr_run_list_tests(ids, ctx, cfg, pool, o);

	if (rc == TESTR_OK)
		rc = testr_filter_new(&f, ctx, o->filters, o->n_filters);
	if (rc == TESTR_OK)
		rc = testr_filter_apply(f, ids);
	testr_filter_free(f);
	return rc;
}

/* Split argv into filters (before "--", in *filters to free) and runner
 * arguments (after). */
static int
parse_args(struct testr_run_options *o, const char ***filters, int argc,
	   char **argv)
{
	int i = 1;

	for (; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return cli_unknown_option("list-tests", argv[i]);
	*filters = cli_arg_list(argv, 1, i);
	o->filters = *filters;
	o->n_filters = (size_t)(i - 1);
	if (i < argc) {
		o->args = argv + i + 1;
		o->n_args = (size_t)(argc - i - 1);
	}
	return CLI_EXIT_OK;
}

int
cmd_list_tests(int argc, char **argv)
{
	struct testr_run_options o = TESTR_RUN_OPTIONS_INIT;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_context *ctx;
	struct testr_config *cfg = NULL;
	struct testr_pool *pool = NULL;
	const char **filters = NULL;
	int rc = parse_args(&o, &filters, argc, argv), exit_code = CLI_EXIT_OK;

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	o.on_command = cli_show_running;
	o.command_userdata = stderr;
	o.on_output = cli_write_stdout;
	rc = testr_config_load_dir(&cfg, ctx, NULL);
	if (rc == TESTR_OK)
		rc = make_pool(&pool, ctx, cfg);
	if (rc == TESTR_OK)
		rc = list_and_filter(&ids, ctx, cfg, pool, &o);
	for (size_t i = 0; rc == TESTR_OK && i < ids.n; i++)
		printf("%s\n", ids.v[i]);
	if (rc < 0)
		exit_code = cli_report(ctx, rc);
	/* Instances are disposed of whatever happened. */
	if ((rc = testr_pool_dispose(pool)) < 0)
		exit_code = cli_report(ctx, rc);
	free(filters);
	testr_strv_dispose(&ids);
	testr_pool_free(pool);
	testr_config_free(cfg);
	testr_context_free(ctx);
	return exit_code;
}
