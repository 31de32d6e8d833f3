/* testr stats: how many runs the repository holds. */
#include <inttypes.h>

#include "cli.h"

int
cmd_stats(int argc, char **argv)
{
	bool json = false;
	const struct cli_flag flags[] = { { "json", &json }, { NULL, NULL } };
	struct testr_context *ctx;
	struct testr_repo *repo = NULL;
	uint64_t n = 0;
	int rc = cli_parse_flags_only("stats", argc, argv, flags);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = cli_open_repo(&repo, ctx);
	if (rc == 0 && json)
		rc = testr_repo_stats_json(repo, cli_write_stdout, NULL);
	else if (rc == 0)
		rc = testr_repo_count(&n, repo);
	if (rc == 0 && !json)
		printf("runs=%" PRIu64 "\n", n);
	rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	testr_repo_free(repo);
	testr_context_free(ctx);
	return rc;
}
