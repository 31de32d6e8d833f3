/* The testr command: shared declarations.  Includes only the public API. */
#ifndef TESTR_CLI_H
#define TESTR_CLI_H

#include <stdio.h>

#include <testr/testr.h>

/* Every exit code testr uses, in one place. */
enum cli_exit {
	CLI_EXIT_OK = 0,	/* success, all tests passed */
	CLI_EXIT_FAILURES = 1,	/* tests failed */
	CLI_EXIT_USAGE = 2,	/* unknown command or option */
	CLI_EXIT_ERROR = 3,	/* an error (testrepository's code for any error) */
};

/* One subcommand: its name, a one-line summary and its entry point. */
struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* The table of commands, terminated by a NULL name (cli/main.c). */
extern const struct cli_command cli_commands[];

int cmd_init(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list_tests(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_last(int argc, char **argv);
int cmd_failing(int argc, char **argv);
int cmd_slowest(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_help(int argc, char **argv);

/*
 * A context whose log callback writes warnings and errors to stderr
 * (TESTR_DEBUG=1 in the environment adds debug lines).  Exits with
 * CLI_EXIT_ERROR if memory runs out: the CLI may exit, the library may not.
 */
struct testr_context *cli_context_new(void);

/*
 * Print the context's last error message (or the code's name if there is
 * none) on one line to stderr and return CLI_EXIT_ERROR.
 */
int cli_report(struct testr_context *ctx, int code);

#endif
