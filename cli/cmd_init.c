/* testr init (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_init(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: init is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
