/* testr prune --keep N | --older-than DAYS: remove old runs. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int
number(double *out, const char *opt, const char *s)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (!*s || *end || errno || *out < 0 || *out != *out)
		return cli_usage_error("prune", "%s needs a number of at least "
				       "0, not '%s'", opt, s);
	return CLI_EXIT_OK;
}

/* --keep N, --older-than DAYS (also --name=VALUE) at argv[*i]. */
static int
take_option(struct testr_prune_options *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *eq = strchr(a, '='), *value;
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	bool keep = len == 6 && strncmp(a, "--keep", 6) == 0;
	bool age = len == 12 && strncmp(a, "--older-than", 12) == 0;
	double v;
	int rc;

	if (!keep && !age)
		return a[0] == '-' ? cli_unknown_option("prune", a) :
		       cli_usage_error("prune", "unexpected argument '%s'", a);
	if (!eq && *i + 1 >= argc)
		return cli_usage_error("prune", "option '%s' needs a value", a);
	value = eq ? eq + 1 : argv[++*i];
	rc = number(&v, keep ? "--keep" : "--older-than", value);
	if (rc == CLI_EXIT_OK && keep && v != (double)(uint64_t)v)
		rc = cli_usage_error("prune", "--keep needs a whole number, "
				     "not '%s'", value);
	if (keep) {
		o->by_count = true;
		o->keep = (uint64_t)v;
	} else {
		o->by_age = true;
		o->older_than_days = v;
	}
	return rc;
}

int
cmd_prune(int argc, char **argv)
{
	struct testr_prune_options o = TESTR_PRUNE_OPTIONS_INIT;
	struct testr_context *ctx;
	struct testr_repo *repo = NULL;
	uint64_t removed = 0;
	int rc = CLI_EXIT_OK;

	for (int i = 1; i < argc && rc == CLI_EXIT_OK; i++)
		rc = take_option(&o, argc, argv, &i);
	if (rc == CLI_EXIT_OK && !o.by_count && !o.by_age)
		rc = cli_usage_error("prune", "say --keep N or --older-than DAYS");
	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = cli_open_repo(&repo, ctx);
	if (rc == 0)
		rc = testr_repo_prune(&removed, repo, &o);
	if (rc == 0 && !cli_quiet)
		printf("removed %" PRIu64 " run%s\n", removed,
		       removed == 1 ? "" : "s");
	rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	testr_repo_free(repo);
	testr_context_free(ctx);
	return rc;
}
