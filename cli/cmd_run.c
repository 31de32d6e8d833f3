/* testr run (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: run is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
