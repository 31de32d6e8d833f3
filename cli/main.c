/*
 * testr: handle the global options, find the subcommand and hand it its
 * arguments.  Like testrepository, the command is the first argument that
 * is not an option, so global options may come before or after it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "commands", cmd_commands },
	{ "failing", cmd_failing },
	{ "flaky", cmd_flaky },
	{ "help", cmd_help },
	{ "history", cmd_history },
	{ "init", cmd_init },
	{ "last", cmd_last },
	{ "list-tests", cmd_list_tests },
	{ "load", cmd_load },
	{ "prune", cmd_prune },
	{ "quickstart", cmd_quickstart },
	{ "run", cmd_run },
	{ "slowest", cmd_slowest },
	{ "stats", cmd_stats },
	{ "upgrade", cmd_upgrade },
	{ NULL, NULL },
};

/* What main() took out of argv for itself. */
struct globals {
	char *command;		/* argv's, so it can be the command's argv[0] */
	const char *here;
	const char *unknown;	/* the first unknown option before the command */
	bool help;
	bool version;
};

static const struct cli_command *
find_command(const char *name)
{
	for (const struct cli_command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/*
 * Take one global option at argv[*i]; returns 1 if it was one (and *i
 * moved past its value), 0 if it belongs to the command, -1 on misuse.
 */
static int
take_global(struct globals *g, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
		cli_quiet = true;
	} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
		cli_verbose = true;
	} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 ||
		   strcmp(a, "-?") == 0) {
		g->help = true;
	} else if (strncmp(a, "--here=", 7) == 0) {
		g->here = a + 7;
	} else if (strcmp(a, "-d") == 0 || strcmp(a, "--here") == 0) {
		if (*i + 1 >= argc)
			return -1;
		g->here = argv[++*i];
	} else if (strcmp(a, "--version") == 0 && !g->command) {
		g->version = true;
	} else {
		return 0;
	}
	return 1;
}

/* Split argv into the globals and the command's own argv (in *out). */
static int
parse_globals(struct globals *g, int argc, char **argv, char **out, int *n_out)
{
	bool dashdash = false;

	*n_out = 1;	/* out[0] becomes the command name */
	for (int i = 1; i < argc; i++) {
		int r = dashdash ? 0 : take_global(g, argc, argv, &i);

		if (r < 0)
			return cli_usage_error(NULL, "option '%s' needs a value",
					       argv[i]);
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--") == 0)
			dashdash = true;
		if (!g->command && !dashdash && argv[i][0] != '-') {
			g->command = argv[i];
			continue;
		}
		if (!g->command && !g->unknown && argv[i][0] == '-')
			g->unknown = argv[i];
		out[(*n_out)++] = argv[i];
	}
	out[*n_out] = NULL;
	return 0;
}

static int
dispatch(struct globals *g, int argc, char **argv)
{
	const struct cli_command *cmd;

	if (g->version && !g->command) {
		printf("testr %s\n", testr_version());
		return CLI_EXIT_OK;
	}
	if (!g->command) {
		if (g->unknown && !g->help)
			return cli_unknown_option(NULL, g->unknown);
		return cmd_help(1, (char *[]){ "help", NULL });
	}
	cmd = find_command(g->command);
	if (!cmd)
		return cli_unknown_command(g->command);
	if (g->help)
		return cli_usage(g->command, stdout);
	if (g->here)
		cli_remember_origin();
	if (g->here && chdir(g->here) != 0) {
		fprintf(stderr, "testr: cannot use directory '%s': %s\n",
			g->here, strerror(errno));
		return CLI_EXIT_ERROR;
	}
	argv[0] = g->command;
	return cmd->run(argc, argv);
}

int
main(int argc, char **argv)
{
	struct globals g = { 0 };
	char **args = calloc((size_t)argc + 1, sizeof(char *));
	int n_args, rc;

	if (!args) {
		fputs("testr: out of memory\n", stderr);
		return CLI_EXIT_ERROR;
	}
	rc = parse_globals(&g, argc, argv, args, &n_args);
	if (rc == 0)
		rc = dispatch(&g, n_args, args);
	free(args);
	return rc;
}
