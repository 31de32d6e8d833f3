/* The testr command: shared declarations.  Includes only the public API. */
#ifndef TESTR_CLI_H
#define TESTR_CLI_H

#include <stdbool.h>
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
int cmd_commands(int argc, char **argv);
int cmd_quickstart(int argc, char **argv);

/*
 * Conventions every cmd_<name>.c follows (cli/main.c and cli/cmd_help.c):
 * - main() handles the global options before the command runs and removes
 *   them from argv: -d/--here DIR (main chdir()s to DIR), -q/--quiet (sets
 *   cli_quiet), and -h/--help/-? anywhere before "--" prints cli_usage() for
 *   the command and exits 0.  A command never sees them.
 * - A command parses its own options, e.g. with getopt_long() and opterr = 0.
 *   For an unknown option it returns cli_unknown_option(cmd, arg); for any
 *   other misuse (missing value, too many arguments) cli_usage_error().
 *   Both print one line to stderr and return CLI_EXIT_USAGE.
 * - Its options and their help live in the help table in cli/cmd_help.c:
 *   add an option there when you add it to a command.
 */

/* Set by -q/--quiet: print only a command's main output and errors. */
extern bool cli_quiet;

/*
 * Print the full help of command @cmd (usage, description, options) to @out.
 * Returns CLI_EXIT_OK, or CLI_EXIT_USAGE (after an error line on stderr) if
 * there is no such command.
 */
int cli_usage(const char *cmd, FILE *out);

/*
 * Report @arg, an option @cmd does not know, on one line on stderr with a
 * hint (the closest option of @cmd, or "see 'testr help CMD'").  Returns
 * CLI_EXIT_USAGE.
 */
int cli_unknown_option(const char *cmd, const char *arg);

/*
 * Report a misuse of @cmd on one line on stderr ("testr CMD: <message>;
 * see 'testr help CMD'").  Returns CLI_EXIT_USAGE.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...) TESTR_PRINTF(2, 3);

/*
 * Report @name, which is not a command, on one line on stderr with a hint
 * (the closest command, or "see 'testr commands'").  Returns CLI_EXIT_USAGE.
 */
int cli_unknown_command(const char *name);

/* The command called @name, or NULL. */
const struct cli_command *cli_find_command(const char *name);

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
