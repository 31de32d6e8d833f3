/*
 * --junit FILE and --json FILE of testr run and testr last: taken out of
 * the command's arguments here, written by the library after the run.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "--NAME VALUE" or "--NAME=VALUE" at argv[*i]: 1 and *out set, 0 if it is
 * not --NAME, -1 when the value is missing. */
static int
take_value(const char **out, const char *name, bool optional, int argc,
	   char **argv, int *i)
{
	size_t len = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, len) != 0)
		return 0;
	if (a[2 + len] == '=') {
		*out = a + 3 + len;
		return **out ? 1 : -1;
	}
	if (a[2 + len])
		return 0;
	if (optional) {
		*out = "-";
		return 1;
	}
	if (*i + 1 >= argc)
		return -1;
	*out = argv[++*i];
	return 1;
}

int
cli_take_report_args(struct cli_report_args *out, const char *cmd, int *argc,
		     char **argv, bool json_to_stdout)
{
	int n = 1, i;

	memset(out, 0, sizeof(*out));
	for (i = 1; i < *argc && strcmp(argv[i], "--") != 0; i++) {
		int r = take_value(&out->junit, "junit", false, *argc, argv, &i);

		if (r == 0)
			r = take_value(&out->json, "json", json_to_stdout,
				       *argc, argv, &i);
		if (r < 0)
			return cli_usage_error(cmd, "option '%s' needs a file "
					       "name", argv[i]);
		if (r == 0)
			argv[n++] = argv[i];
	}
	while (i < *argc)
		argv[n++] = argv[i++];
	argv[n] = NULL;
	*argc = n;
	return CLI_EXIT_OK;
}

static int
write_one(struct testr_report *r, enum testr_report_format format,
	  const char *file)
{
	char *path;
	int rc;

	if (strcmp(file, "-") == 0) {
		rc = testr_report_write(r, format, cli_write_stdout, NULL);
		return rc == 0 && fflush(stdout) != 0 ? TESTR_EIO : rc;
	}
	path = cli_arg_path(file);
	if (!path)
		return TESTR_ENOMEM;
	rc = testr_report_write_file(r, format, path);
	free(path);
	return rc;
}

int
cli_report_for_run(struct testr_report **out, struct testr_context *ctx,
		   struct testr_repo *repo, uint64_t run_id)
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
	return testr_report_new(out, ctx, &opts);
}

int
cli_write_report_files(struct testr_context *ctx, struct testr_report *r,
		       const struct cli_report_args *a)
{
	int rc = 0;

	if (a->junit)
		rc = write_one(r, TESTR_REPORT_JUNIT, a->junit);
	if (rc == 0 && a->json)
		rc = write_one(r, TESTR_REPORT_JSON, a->json);
	return rc < 0 ? cli_report(ctx, rc) : CLI_EXIT_OK;
}

int
cli_write_reports(struct testr_context *ctx, struct testr_repo *repo,
		  uint64_t run_id, const struct cli_report_args *a)
{
	struct testr_report *r = NULL;
	int rc;

	if (!a->junit && !a->json)
		return CLI_EXIT_OK;
	rc = testr_repo_report(&r, repo, run_id);
	if (rc == TESTR_ECORRUPT) {	/* report what was readable, and say so */
		fprintf(stderr, "%s\n", testr_context_error(ctx));
		rc = 0;
	}
	if (rc < 0)
		return cli_report(ctx, rc);
	rc = cli_write_report_files(ctx, r, a);
	testr_report_free(r);
	return rc;
}
