/* testr last (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_last(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: last is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
