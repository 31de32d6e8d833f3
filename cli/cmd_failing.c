/* testr failing: show the tests that are failing now. */
#include "cli.h"

static int
list_failing(struct testr_context *ctx, struct testr_repo *repo)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	int rc = testr_repo_failing_ids(&ids, repo);

	if (rc < 0) {
		testr_strv_dispose(&ids);
		return cli_report(ctx, rc);
	}
	for (size_t i = 0; i < ids.n; i++)
		printf("%s\n", ids.v[i]);
	rc = ids.n ? CLI_EXIT_FAILURES : CLI_EXIT_OK;
	testr_strv_dispose(&ids);
	return rc;
}

/* FAIL blocks and a summary, numbered with the latest run's id. */
static int
show_failing(struct testr_context *ctx, struct testr_repo *repo)
{
	struct cli_summary *s = NULL;
	uint64_t id;
	int rc = testr_repo_latest_id(&id, repo);

	if (rc == 0) {
		s = cli_summary_new(stdout);
		rc = testr_repo_read_failing(repo, cli_summary_event, s);
	}
	if (rc == TESTR_ECORRUPT) {
		fflush(stdout);
		fprintf(stderr, "%s\n", testr_context_error(ctx));
		rc = 0;
	}
	if (rc >= 0)
		cli_summary_flush(s);
	rc = rc < 0 ? cli_report(ctx, rc) : cli_summary_finish(s, id, NULL);
	cli_summary_free(s);
	return rc;
}

static int
run_failing(struct testr_context *ctx, bool list, bool subunit)
{
	struct testr_repo *repo = NULL;
	int rc = cli_open_repo(&repo, ctx);

	if (rc < 0) {
		rc = cli_report(ctx, rc);
	} else if (subunit) {
		rc = testr_repo_read_failing(repo, cli_subunit_event, ctx);
		rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	} else if (list) {
		rc = list_failing(ctx, repo);
	} else {
		rc = show_failing(ctx, repo);
	}
	testr_repo_free(repo);
	return rc;
}

int
cmd_failing(int argc, char **argv)
{
	bool list = false, subunit = false;
	const struct cli_flag flags[] = { { "list", &list },
					  { "subunit", &subunit },
					  { NULL, NULL } };
	struct testr_context *ctx;
	int rc = cli_parse_flags_only("failing", argc, argv, flags);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = run_failing(ctx, list, subunit);
	testr_context_free(ctx);
	return rc;
}
