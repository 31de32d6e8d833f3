/*
 * testr help, testr commands, testr quickstart, and the help text of every
 * command: rendered from the one table in cli/commands.c, so `testr help
 * run` and `testr run --help` print the same thing.  Misuse is reported
 * through cli/usage.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define WIDTH 78	/* wrap help text to fit an 80-column terminal */
#define OPT_COLUMN 24	/* where option descriptions start */

static const char quickstart_text[] =
	"testr quickstart: from nothing to a parallel test run\n"
	"\n"
	"1. Make the test program report in subunit, list its test ids, and\n"
	"   run only the ids in a file.  Python's unittest does all three via\n"
	"   python3 -m subunit.run; for a C suite using check, copy the runner\n"
	"   of the example project (examples/check-project/ in the sources).\n"
	"\n"
	"2. Describe the test program in .testr.conf at the project's top:\n"
	"\n"
	"     [DEFAULT]\n"
	"     test_command=python3 -m subunit.run discover -t . . $LISTOPT $IDOPTION\n"
	"     test_id_option=--load-list $IDFILE\n"
	"     test_list_option=--list\n"
	"\n"
	"   testr puts test_list_option in place of $LISTOPT to list the ids,\n"
	"   and test_id_option in place of $IDOPTION to run some of them.\n"
	"\n"
	"3. Create the repository that keeps the results:\n"
	"\n"
	"     testr init\n"
	"\n"
	"4. Run the suite on every CPU.  The first run records how long each\n"
	"   test takes; later runs use that to give every worker equal work:\n"
	"\n"
	"     testr run --parallel\n"
	"\n"
	"5. Then, day to day:\n"
	"\n"
	"     testr failing            what is failing now\n"
	"     testr run --failing      run only that, until it passes\n"
	"     testr slowest            where the time goes\n"
	"     testr last               the latest run again\n"
	"\n"
	"More: testr help run, man testr, man testr.conf (every option, with\n"
	"examples for Python, C and tests in containers or over ssh).\n";

/* Print @text word-wrapped, each line indented by @indent columns; @col is
 * where the cursor already is on the first line. */
static void
wrap(FILE *out, const char *text, int indent, int col)
{
	while (*text) {
		int len = (int)strcspn(text, " \n");

		if (col > indent && col + 1 + len > WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", len, text);
		col += len;
		text += len;
		if (text[0] == '\n' && text[1] == '\n') {
			fprintf(out, "\n\n%*s", indent, "");
			col = indent;
		}
		text += strspn(text, " \n");
	}
	fputc('\n', out);
}

static void
print_options(FILE *out, const struct cli_opt_help *opts)
{
	for (; opts->name; opts++) {
		int col = fprintf(out, "  %s%s%s", opts->name,
				  opts->value ? " " : "",
				  opts->value ? opts->value : "");

		if (col >= OPT_COLUMN - 1) {
			fputc('\n', out);
			col = 0;
		}
		fprintf(out, "%*s", OPT_COLUMN - col, "");
		wrap(out, opts->text, OPT_COLUMN, OPT_COLUMN);
	}
}

int
cli_usage(const char *cmd, FILE *out)
{
	const struct cli_help *h = cli_help_find(cmd);

	if (!h)
		return cli_unknown_command(cmd);
	fprintf(out, "Usage: testr %s%s%s\n\n%s\n\n", h->name,
		*h->usage ? " " : "", h->usage, h->summary);
	wrap(out, h->text, 0, 0);
	if (h->opts[0].name) {
		fputs("\nOptions:\n", out);
		print_options(out, h->opts);
	}
	fputs("\nGlobal options:\n", out);
	print_options(out, cli_global_opts);
	return CLI_EXIT_OK;
}

static void
print_command_table(FILE *out)
{
	int w = (int)strlen("command");

	for (const struct cli_help *h = cli_helps; h->name; h++)
		if ((int)strlen(h->name) > w)
			w = (int)strlen(h->name);
	fprintf(out, "  %-*s  %s\n", w, "command", "description");
	fprintf(out, "  %.*s  %.*s\n", w, "--------------------", 52,
		"----------------------------------------------------");
	for (const struct cli_help *h = cli_helps; h->name; h++)
		fprintf(out, "  %-*s  %s\n", w, h->name, h->summary);
}

static void
print_overview(FILE *out)
{
	fprintf(out, "testr %s: run a project's tests in parallel, balanced by "
		"recorded durations\n\n"
		"Usage: testr [-d DIR] [-q] COMMAND [OPTIONS] [ARGS...]\n\n",
		testr_version());
	print_command_table(out);
	fputs("\n  testr help COMMAND      usage and options of COMMAND\n"
	      "  testr quickstart        from nothing to a parallel run\n"
	      "  testr --version         print the version\n"
	      "\nGlobal options (before or after COMMAND):\n", out);
	print_options(out, cli_global_opts);
	fputs("\nExit status: 0 success, 1 tests failed, 2 unknown command or "
	      "option,\n3 any other error.  See testr(1), testr.conf(5), "
	      "testr-repository(5)\nand libtestr(3).\n", out);
}

int
cmd_help(int argc, char **argv)
{
	if (argc > 2)
		return cli_usage_error("help", "unexpected argument '%s'",
				       argv[2]);
	if (argc == 2 && argv[1][0] == '-')
		return cli_unknown_option("help", argv[1]);
	if (argc == 2)
		return cli_usage(argv[1], stdout);
	print_overview(stdout);
	return CLI_EXIT_OK;
}

int
cmd_commands(int argc, char **argv)
{
	int rc = cli_no_arguments(argc, argv);

	if (rc == 0)
		print_command_table(stdout);
	return rc;
}

int
cmd_quickstart(int argc, char **argv)
{
	int rc = cli_no_arguments(argc, argv);

	if (rc == 0)
		fputs(quickstart_text, stdout);
	return rc;
}
