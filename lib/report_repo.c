/* Reports of what the repository holds: a stored run, the statistics. */
#include "config-build.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "context.h"
#include "repo.h"
#include "report.h"

TESTR_API int
testr_repo_report_new(struct testr_report **out, struct testr_repo *repo,
		      uint64_t run_id)
{
	struct testr_report_options opts = TESTR_REPORT_OPTIONS_INIT;
	struct testr_run_summary sum;
	int rc = testr_repo_run_summary(&sum, repo, run_id);

	*out = NULL;
	if (rc < 0 && rc != TESTR_ECORRUPT)
		return rc;
	opts.has_run_id = true;
	opts.run_id = run_id;
	opts.partial = rc == 0 && sum.partial;
	return testr_report_new(out, repo->ctx, &opts);
}

TESTR_API int
testr_repo_report(struct testr_report **out, struct testr_repo *repo,
		  uint64_t run_id)
{
	int rc = testr_repo_report_new(out, repo, run_id);

	if (rc == 0)
		rc = testr_repo_read_run(repo, run_id, testr_report_event_fn,
					 *out);
	if (rc < 0 && rc != TESTR_ECORRUPT) {
		testr_report_free(*out);
		*out = NULL;
	}
	return rc;
}

TESTR_API int
testr_repo_stats_json(struct testr_repo *repo, testr_write_fn write,
		      void *userdata)
{
	uint64_t count, stored = 0, latest = 0;
	char buf[160];
	int rc = testr_repo_count(&count, repo), n;

	if (rc == 0)
		rc = repo_count_stored(&stored, repo, count);
	if (rc == 0 && stored)	/* the counter may be past the latest run */
		rc = testr_repo_latest_id(&latest, repo);
	if (rc < 0)
		return rc;
	n = snprintf(buf, sizeof(buf), "{\"version\": %d, \"runs\": %" PRIu64
		     ", \"stored_runs\": %" PRIu64 ", \"latest_run\": ",
		     TESTR_REPORT_JSON_VERSION, count, stored);
	if (stored)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%" PRIu64 "}\n",
			      latest);
	else
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "null}\n");
	return write(userdata, buf, (size_t)n);
}
