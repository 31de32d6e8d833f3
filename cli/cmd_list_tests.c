/* testr list-tests (being written). */
#include <stdio.h>

#include "cli.h"

int
cmd_list_tests(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("testr: list-tests is not implemented yet\n", stderr);
	return CLI_EXIT_ERROR;
}
