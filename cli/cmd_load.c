/* testr load (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_load(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: load is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
