/* testr help (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: help is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
