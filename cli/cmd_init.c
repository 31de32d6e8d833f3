/* testr init: create the repository. */
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

int
cmd_init(int argc, char **argv)
{
	static const struct cli_flag flags[] = { { NULL, NULL } };
	struct testr_context *ctx;
	struct testr_repo *repo = NULL;
	char *cwd;
	int rc = cli_parse_flags_only("init", argc, argv, flags);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	cwd = getcwd(NULL, 0);
	rc = testr_repo_init(&repo, ctx, cwd ? cwd : ".");
	rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	free(cwd);
	testr_repo_free(repo);
	testr_context_free(ctx);
	return rc;
}
