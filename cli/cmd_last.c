/* testr last: show the latest run again. */
#include <string.h>

#include "cli.h"

/* With a report on stdout, only the exit status tells how the run went. */
static int
run_status(struct testr_context *ctx, struct testr_repo *repo, uint64_t id)
{
	struct testr_run_summary sum;
	int rc = testr_repo_run_summary(&sum, repo, id);

	if (rc < 0 && rc != TESTR_ECORRUPT)
		return cli_report(ctx, rc);
	return rc < 0 || sum.failures ? CLI_EXIT_FAILURES : CLI_EXIT_OK;
}

static bool
report_on_stdout(const struct cli_report_args *r)
{
	return (r->junit && strcmp(r->junit, "-") == 0) ||
	       (r->json && strcmp(r->json, "-") == 0);
}

/* The summary and report files from one reading of the run. */
static int
summary_and_reports(struct testr_context *ctx, struct testr_repo *repo,
		    uint64_t id, const struct cli_report_args *reports)
{
	struct testr_report *r;
	int rc = testr_repo_report_new(&r, repo, id), written;

	if (rc < 0)
		return cli_report(ctx, rc);
	cli_ci_begin(reports);
	rc = cli_print_run_summary(ctx, repo, id, stdout, r);
	written = rc == CLI_EXIT_ERROR ? rc :
		  cli_write_report_files(ctx, r, reports);
	testr_report_free(r);
	return written != CLI_EXIT_OK ? written : rc;
}

static int
show_last(struct testr_context *ctx, bool subunit,
	  struct cli_report_args *reports)
{
	struct testr_repo *repo = NULL;
	uint64_t id;
	int rc = cli_open_repo(&repo, ctx);

	if (rc == 0)
		rc = testr_repo_latest_id(&id, repo);
	if (rc == 0 && report_on_stdout(reports)) {
		reports->stdout_busy = true;
		rc = cli_write_reports(ctx, repo, id, reports);
		if (rc == CLI_EXIT_OK)
			rc = run_status(ctx, repo, id);
	} else if (rc == 0 && cli_reports_wanted(reports)) {
		rc = summary_and_reports(ctx, repo, id, reports);
	} else if (rc == 0 && subunit) {
		rc = testr_repo_read_run(repo, id, cli_subunit_event, ctx);
		rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	} else if (rc == 0) {
		rc = cli_print_run_summary(ctx, repo, id, stdout, NULL);
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
	struct cli_report_args reports;
	struct testr_context *ctx;
	int rc = cli_take_report_args(&reports, "last", &argc, argv, true);

	if (rc == CLI_EXIT_OK)
		rc = cli_parse_flags_only("last", argc, argv, flags);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = show_last(ctx, subunit, &reports);
	testr_context_free(ctx);
	return rc;
}
