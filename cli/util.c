/* Helpers shared by the subcommands. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

bool cli_quiet;
bool cli_verbose;

static void
log_to_stderr(void *userdata, enum testr_log_level level, const char *msg)
{
	static const char *const prefix[] = {
		[TESTR_LOG_ERROR] = "error: ",
		[TESTR_LOG_WARNING] = "warning: ",
		[TESTR_LOG_INFO] = "",
		[TESTR_LOG_DEBUG] = "debug: ",
	};

	(void)userdata;
	fprintf(stderr, "%s%s\n", prefix[level], msg);
}

struct testr_context *
cli_context_new(void)
{
	struct testr_context *ctx;
	const char *debug = getenv("TESTR_DEBUG");

	if (testr_context_new(&ctx) < 0) {
		fputs("out of memory\n", stderr);
		exit(CLI_EXIT_ERROR);
	}
	if (debug && *debug && strcmp(debug, "0") != 0)
		cli_verbose = true;
	testr_context_set_log(ctx, log_to_stderr, NULL, cli_verbose ?
			      TESTR_LOG_DEBUG : TESTR_LOG_WARNING);
	return ctx;
}

const char **
cli_arg_list(char **argv, int from, int to)
{
	const char **list = calloc((size_t)(to - from) + 1, sizeof(*list));

	if (!list) {
		fputs("testr: out of memory\n", stderr);
		exit(CLI_EXIT_ERROR);
	}
	for (int i = from; i < to; i++)
		list[i - from] = argv[i];
	return list;
}

int
cli_report(struct testr_context *ctx, int code)
{
	const char *msg = testr_context_error(ctx);

	fflush(stdout);
	fprintf(stderr, "%s\n", *msg ? msg : testr_strerror(code));
	return CLI_EXIT_ERROR;
}

size_t
cli_text_width(const char *s)
{
	size_t n = 0;

	/* Count every byte that does not continue a UTF-8 sequence. */
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The directory testr was started in, when -d moved it elsewhere. */
static char *origin_dir;

void
cli_remember_origin(void)
{
	free(origin_dir);
	origin_dir = getcwd(NULL, 0);
}

char *
cli_arg_path(const char *path)
{
	size_t n;
	char *out;

	if (!origin_dir || path[0] == '/' || strcmp(path, "-") == 0)
		return strdup(path);
	n = strlen(origin_dir) + strlen(path) + 2;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s/%s", origin_dir, path);
	return out;
}

int
cli_parse_flags(const char *cmd, int argc, char **argv,
		const struct cli_flag *flags, int *out_first_arg)
{
	struct option opts[16];
	size_t n = 0;
	int c;

	for (; flags[n].name && n < 15; n++)
		opts[n] = (struct option){ flags[n].name, no_argument, NULL,
					   (int)n + 1 };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return cli_unknown_option(cmd, argv[optind - 1]);
		*flags[c - 1].value = true;
	}
	*out_first_arg = optind;
	return CLI_EXIT_OK;
}

int
cli_parse_flags_only(const char *cmd, int argc, char **argv,
		     const struct cli_flag *flags)
{
	int first, rc = cli_parse_flags(cmd, argc, argv, flags, &first);

	if (rc == CLI_EXIT_OK && first < argc)
		rc = cli_usage_error(cmd, "unexpected argument '%s'",
				     argv[first]);
	return rc;
}

int
cli_open_repo(struct testr_repo **out, struct testr_context *ctx)
{
	char *cwd = getcwd(NULL, 0);
	int rc;

	/* testrepository names the project directory in full in its errors. */
	rc = testr_repo_open(out, ctx, cwd ? cwd : ".");
	free(cwd);
	return rc;
}

int
cli_write_stdout(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	return fwrite(buf, 1, len, stdout) == len ? 0 : TESTR_EIO;
}

int
cli_subunit_event(void *userdata, const struct testr_event *ev)
{
	return testr_subunit_encode_v2(userdata, ev, cli_write_stdout, NULL);
}

int
cli_write_stderr(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	fflush(stdout);	/* what came before stays before */
	return fwrite(buf, 1, len, stderr) == len ? 0 : TESTR_EIO;
}

void
cli_show_running(void *file, const char *command)
{
	if (cli_quiet)
		return;
	fflush(stdout);
	fprintf(file, "running=%s\n", command);
	fflush(file);
}
