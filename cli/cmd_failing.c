/* testr failing (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_failing(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: failing is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
