/*
 * testr upgrade: convert a repository testrepository created to ours, the
 * one change after which Python testr cannot read it (so it is never made
 * behind the user's back).
 */
#include "cli.h"

int
cmd_upgrade(int argc, char **argv)
{
	const struct cli_flag flags[] = { { NULL, NULL } };
	struct testr_context *ctx;
	struct testr_repo *repo = NULL;
	bool legacy = false;
	int rc = cli_parse_flags_only("upgrade", argc, argv, flags);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = cli_open_repo(&repo, ctx);
	if (rc == 0) {
		legacy = testr_repo_is_legacy(repo);
		rc = testr_repo_upgrade(repo);
	}
	if (rc == 0 && legacy)
		printf("%s: upgraded from testrepository's format 1; Python "
		       "testr can no longer read it\n", testr_repo_path(repo));
	else if (rc == 0)
		printf("%s: already in libtestr's format\n",
		       testr_repo_path(repo));
	rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	testr_repo_free(repo);
	testr_context_free(ctx);
	return rc;
}
