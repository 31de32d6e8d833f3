/* testr: find the subcommand and hand it its arguments. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const struct cli_command cli_commands[] = {
	{ "failing", "Show the current failures known by the repository.", cmd_failing },
	{ "help", "Get help on a command.", cmd_help },
	{ "init", "Create a new repository.", cmd_init },
	{ "last", "Show the last run loaded into a repository.", cmd_last },
	{ "list-tests", "Lists the tests for a project.", cmd_list_tests },
	{ "load", "Load a subunit stream into a repository.", cmd_load },
	{ "run", "Run the tests for a project and load them into testrepository.", cmd_run },
	{ "slowest", "Show the slowest tests from the last test run.", cmd_slowest },
	{ "stats", "Report stats about a repository.", cmd_stats },
	{ NULL, NULL, NULL },
};

static const struct cli_command *
find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct cli_command *cmd;

	if (argc < 2)
		return cmd_help(argc - 1, argv + 1);
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "testr: unknown command '%s'; try 'testr help'\n",
			argv[1]);
		return CLI_EXIT_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
