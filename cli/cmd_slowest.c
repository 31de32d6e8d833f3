/* testr slowest (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_slowest(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: slowest is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
