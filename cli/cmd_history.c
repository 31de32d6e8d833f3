/* testr history [ID...]: the stored runs, or each stored result of tests. */
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"

/* "2026-01-01 00:00:00" (UTC) of a run, or "-". */
static const char *
started(char *buf, size_t size, const struct testr_history_run *run)
{
	time_t t = (time_t)run->started_sec;
	struct tm tm;

	if (!run->has_started || !gmtime_r(&t, &tm))
		return "-";
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static int
print_run(void *userdata, const struct testr_history_run *run)
{
	const struct testr_run_summary *s = &run->summary;
	char when[32], took[32] = "-";

	(void)userdata;
	if (s->has_time)
		snprintf(took, sizeof(took), "%.3f", s->time_taken);
	printf("%-6" PRIu64 " %-19s %7" PRIu64 " %8" PRIu64 " %6" PRIu64
	       " %10s%s\n", run->id, started(when, sizeof(when), run),
	       s->tests_run, s->failures, s->skips, took,
	       s->partial ? "  partial" : "");
	return 0;
}

static int
print_result(void *userdata, const struct testr_history_result *r)
{
	char when[32], took[32] = "-";

	(void)userdata;
	if (r->has_duration)
		snprintf(took, sizeof(took), "%.3f", r->seconds);
	printf("%-6" PRIu64 " %-19s %-10s %10s  %s\n", r->run->id,
	       started(when, sizeof(when), r->run), r->status, took,
	       r->test_id);
	return 0;
}

int
cmd_history(int argc, char **argv)
{
	static const struct cli_flag flags[] = { { NULL, NULL } };
	struct testr_context *ctx;
	struct testr_repo *repo = NULL;
	int first, rc = cli_parse_flags("history", argc, argv, flags, &first);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = cli_open_repo(&repo, ctx);
	if (rc == 0 && first == argc) {
		printf("%-6s %-19s %7s %8s %6s %10s\n", "run", "started (UTC)",
		       "tests", "failures", "skips", "time (s)");
		rc = testr_repo_history_runs(repo, print_run, NULL);
	} else if (rc == 0) {
		const char **ids = cli_arg_list(argv, first, argc);

		printf("%-6s %-19s %-10s %10s  %s\n", "run", "started (UTC)",
		       "status", "time (s)", "test");
		rc = testr_repo_history_tests(repo, ids, (size_t)(argc - first),
					      print_result, NULL);
		free(ids);
	}
	rc = rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
	testr_repo_free(repo);
	testr_context_free(ctx);
	return rc;
}
