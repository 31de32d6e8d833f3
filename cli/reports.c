/*
 * --junit FILE, --json FILE and --ci of testr run and testr last: taken out
 * of the command's arguments here, written by the library after the run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

		if (strcmp(argv[i], "--ci") == 0) {
			out->ci = true;
			continue;
		}

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

bool
cli_reports_wanted(const struct cli_report_args *a)
{
	return a->junit || a->json || a->ci;
}

static bool
env_true(const char *name)
{
	const char *v = getenv(name);

	return v && strcmp(v, "true") == 0;
}

static int
write_file_stream(void *userdata, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, userdata) == len ? 0 : TESTR_EIO;
}

/* A library failure, or a write error on @what: reported, CLI_EXIT_ERROR. */
static int
ci_error(struct testr_context *ctx, int rc, const char *what)
{
	if (rc == TESTR_EIO && !*testr_context_error(ctx)) {
		fprintf(stderr, "testr: %s: %s\n", what, strerror(errno));
		return CLI_EXIT_ERROR;
	}
	return cli_report(ctx, rc);
}

/* GitHub's step summary: Markdown appended to $GITHUB_STEP_SUMMARY. */
static int
github_summary(struct testr_context *ctx, struct testr_report *r)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	FILE *f;
	int rc;

	if (!path || !*path)
		return CLI_EXIT_OK;
	f = fopen(path, "ae");
	if (!f)
		return ci_error(ctx, TESTR_EIO, path);
	rc = testr_report_write(r, TESTR_REPORT_MARKDOWN, write_file_stream, f);
	if (fclose(f) != 0 && rc == 0)
		rc = TESTR_EIO;
	return rc < 0 ? ci_error(ctx, rc, path) : CLI_EXIT_OK;
}

/* GitLab: the failures as collapsed sections, and where JUnit goes. */
static int
gitlab(struct testr_report *r, const struct cli_report_args *a, FILE *out)
{
	int rc = testr_report_write(r, TESTR_REPORT_GITLAB, write_file_stream,
				    out);

	if (rc == 0 && a->junit && strcmp(a->junit, "-") != 0)
		fprintf(out, "testr: JUnit report: %s (list it under "
			"artifacts:reports:junit in .gitlab-ci.yml)\n", a->junit);
	else if (rc == 0)
		fputs("testr: add --junit FILE and list FILE under "
		      "artifacts:reports:junit in .gitlab-ci.yml to see each "
		      "test in merge requests\n", out);
	return rc;
}

/* GitHub: the token that stops workflow commands in testr's own output. */
static char stop_token[33];

/*
 * GitLab: a log section marker is "section_start:T:NAME" or "section_end:
 * T:NAME" ending in CR ESC [ 0 K, anywhere in a line.  GitLab has nothing
 * like GitHub's stop-commands, so while testr shows test output with --ci,
 * standard output and error pass through a guard that writes that ending's
 * CR as the text \x0d: no output can open, close or fold a section, and
 * everything else (colours, progress CRs) is as it was.  testr's own
 * sections go to the streams underneath.
 */
static const char marker_end[] = "\r\033[0K";
#define MARKER_END_LEN (sizeof(marker_end) - 1)

struct gitlab_guard {
	FILE *to;		/* the stream underneath */
	size_t held;		/* bytes of marker_end the last write ended in */
};

static struct gitlab_guard guards[2];
static FILE *guarded[2];	/* the guard streams, while installed */

/* A run of @buf with no CR: copied as it is. */
static size_t
guard_plain(struct gitlab_guard *g, const char *buf, size_t len)
{
	const char *cr = memchr(buf, '\r', len);
	size_t n = cr ? (size_t)(cr - buf) : len;

	fwrite(buf, 1, n, g->to);
	return n;
}

static ssize_t
guard_write(void *cookie, const char *buf, size_t len)
{
	struct gitlab_guard *g = cookie;

	for (size_t i = 0; i < len;) {
		if (!g->held && buf[i] != '\r') {
			i += guard_plain(g, buf + i, len - i);
		} else if (buf[i] == marker_end[g->held]) {
			i++;
			if (++g->held < MARKER_END_LEN)
				continue;
			fputs("\\x0d\033[0K", g->to);
			g->held = 0;
		} else {
			/* Not the ending after all: what was held, as it was
			 * (marker_end has no prefix that is also its suffix). */
			fwrite(marker_end, 1, g->held, g->to);
			g->held = 0;
		}
	}
	return ferror(g->to) ? -1 : (ssize_t)len;
}

static int
guard_close(void *cookie)
{
	struct gitlab_guard *g = cookie;

	fwrite(marker_end, 1, g->held, g->to);
	g->held = 0;
	return fflush(g->to) == 0 ? 0 : EOF;
}

/* Put the guard streams back to what they stood in for; atexit too. */
static void
gitlab_guard_remove(void)
{
	FILE **std[2] = { &stdout, &stderr };

	for (int i = 0; i < 2; i++) {
		if (!guarded[i])
			continue;
		fclose(guarded[i]);
		*std[i] = guards[i].to;
		guarded[i] = NULL;
	}
}

/* Guard stdout (unless it carries a stream) and stderr. */
static void
gitlab_guard_install(bool stdout_busy)
{
	static const cookie_io_functions_t io = { .write = guard_write,
						  .close = guard_close };
	FILE **std[2] = { &stdout, &stderr };

	fflush(stdout);
	for (int i = stdout_busy ? 1 : 0; i < 2; i++) {
		guards[i] = (struct gitlab_guard){ *std[i], 0 };
		guarded[i] = fopencookie(&guards[i], "w", io);
		if (!guarded[i])
			continue;	/* unguarded beats no output */
		if (i == 1)
			setvbuf(guarded[i], NULL, _IONBF, 0);
		*std[i] = guarded[i];
	}
	atexit(gitlab_guard_remove);
}

void
cli_ci_begin(const struct cli_report_args *a)
{
	unsigned char raw[16];
	FILE *out = a->stdout_busy ? stderr : stdout;

	if (a->ci && env_true("GITLAB_CI") && !env_true("GITHUB_ACTIONS") &&
	    !guarded[0] && !guarded[1]) {
		gitlab_guard_install(a->stdout_busy);
		return;
	}
	if (!a->ci || !env_true("GITHUB_ACTIONS") || *stop_token ||
	    getentropy(raw, sizeof(raw)) != 0)
		return;
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(stop_token + 2 * i, 3, "%02x", raw[i]);
	/* Test output shown from here on (FAIL blocks, runner stderr) may
	 * hold "::" lines: GitHub must not run them. */
	fprintf(out, "::stop-commands::%s\n", stop_token);
	fflush(out);
}

/* --ci: what the CI system the environment names can show; else nothing. */
static int
write_ci(struct testr_context *ctx, struct testr_report *r,
	 const struct cli_report_args *a)
{
	FILE *out = a->stdout_busy ? stderr : stdout;
	int rc = 0;

	fflush(stdout);
	testr_context_clear_error(ctx);
	if (env_true("GITHUB_ACTIONS")) {
		if (*stop_token)
			fprintf(out, "::%s::\n", stop_token);
		rc = testr_report_write(r, TESTR_REPORT_GITHUB,
					write_file_stream, out);
		if (rc == 0 && fflush(out) == 0)
			return github_summary(ctx, r);
	} else if (env_true("GITLAB_CI")) {
		gitlab_guard_remove();	/* testr's own markers, as they are */
		out = a->stdout_busy ? stderr : stdout;
		rc = gitlab(r, a, out);
	}
	if (fflush(out) != 0 && rc == 0)
		rc = TESTR_EIO;
	return rc < 0 ? ci_error(ctx, rc, "CI output") : CLI_EXIT_OK;
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
	if (rc < 0)
		return cli_report(ctx, rc);
	return a->ci ? write_ci(ctx, r, a) : CLI_EXIT_OK;
}

int
cli_write_reports(struct testr_context *ctx, struct testr_repo *repo,
		  uint64_t run_id, const struct cli_report_args *a)
{
	struct testr_report *r = NULL;
	bool damaged;
	int rc;

	if (!cli_reports_wanted(a))
		return CLI_EXIT_OK;
	rc = testr_repo_report(&r, repo, run_id);
	damaged = rc == TESTR_ECORRUPT;
	if (damaged) {	/* report what was readable, and say so */
		fprintf(stderr, "%s\n", testr_context_error(ctx));
		rc = 0;
	}
	if (rc < 0)
		return cli_report(ctx, rc);
	rc = cli_write_report_files(ctx, r, a);
	testr_report_free(r);
	/* A damaged run is no pass, whatever its index says. */
	return damaged && rc == CLI_EXIT_OK ? CLI_EXIT_ERROR : rc;
}
