/* testr flaky [--runs N] [--list]: tests whose outcome flips, ranked. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct flaky_args {
	struct testr_flaky_options o;
	bool list;
};

/* --runs N or --runs=N at argv[*i]. */
static int
take_runs(struct flaky_args *a, int argc, char **argv, int *i)
{
	const char *eq = strchr(argv[*i], '='), *value;
	char *end;
	unsigned long long v;

	if (!eq && *i + 1 >= argc)
		return cli_usage_error("flaky", "option '--runs' needs a value");
	value = eq ? eq + 1 : argv[++*i];
	errno = 0;
	v = strtoull(value, &end, 10);
	if (!*value || *end || errno || *value == '-')
		return cli_usage_error("flaky", "--runs needs a whole number, "
				       "not '%s'", value);
	a->o.last_runs = v;
	return CLI_EXIT_OK;
}

static int
parse_args(struct flaky_args *a, int argc, char **argv)
{
	int rc = CLI_EXIT_OK;

	for (int i = 1; i < argc && rc == CLI_EXIT_OK; i++) {
		const char *s = argv[i];

		if (strcmp(s, "--list") == 0)
			a->list = true;
		else if (strncmp(s, "--runs", 6) == 0 && (!s[6] || s[6] == '='))
			rc = take_runs(a, argc, argv, &i);
		else
			rc = s[0] == '-' ? cli_unknown_option("flaky", s) :
			     cli_usage_error("flaky", "unexpected argument '%s'",
					     s);
	}
	return rc;
}

static int
print_test(void *userdata, const struct testr_flaky_test *t)
{
	const struct flaky_args *a = userdata;

	if (a->list)
		printf("%s\n", t->test_id);
	else
		printf("%6.0f%% %6" PRIu64 " %6" PRIu64 " %8" PRIu64 "  %-6s %s\n",
		       100 * t->flip_rate, t->runs, t->flips, t->retried,
		       t->last_failed ? "fail" : "pass", t->test_id);
	return 0;
}

int
cmd_flaky(int argc, char **argv)
{
	struct flaky_args a = { TESTR_FLAKY_OPTIONS_INIT, false };
	struct testr_context *ctx;
	struct testr_repo *repo = NULL;
	int rc = parse_args(&a, argc, argv);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = cli_open_repo(&repo, ctx);
	if (rc == 0 && !a.list)
		printf("%7s %6s %6s %8s  %-6s %s\n", "rate", "runs", "flips",
		       "retried", "last", "test");
	if (rc == 0)
		rc = testr_repo_flaky(repo, &a.o, print_test, &a);
	rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	testr_repo_free(repo);
	testr_context_free(ctx);
	return rc;
}
