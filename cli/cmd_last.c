/* testr last: show the latest run again. */
#include "cli.h"

static int
show_last(struct testr_context *ctx, bool subunit)
{
	struct testr_repo *repo = NULL;
	uint64_t id;
	int rc = cli_open_repo(&repo, ctx);

	if (rc == 0)
		rc = testr_repo_latest_id(&id, repo);
	if (rc == 0 && subunit) {
		rc = testr_repo_read_run(repo, id, cli_subunit_event, ctx);
		rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	} else if (rc == 0) {
		rc = cli_print_run_summary(ctx, repo, id, stdout);
	} else {
		rc = cli_report(ctx, rc);
	}
	testr_repo_free(repo);
	return rc;
}

int
cmd_last(int argc, char **argv)
{
	bool subunit = false;
	const struct cli_flag flags[] = { { "subunit", &subunit },
					  { NULL, NULL } };
	struct testr_context *ctx;
	int rc = cli_parse_flags_only("last", argc, argv, flags);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = show_last(ctx, subunit);
	testr_context_free(ctx);
	return rc;
}
