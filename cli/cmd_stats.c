/* testr stats (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: stats is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
