/*
 * testr help, testr commands, testr quickstart, and the help text of every
 * command: one table, so `testr help run` and `testr run --help` print the
 * same thing and unknown options get a "did you mean" from the same names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define WIDTH 78	/* wrap help text to fit an 80-column terminal */
#define OPT_COLUMN 24	/* where option descriptions start */

struct opt_help {
	const char *name;	/* "--concurrency" */
	const char *value;	/* "N", or NULL for a flag */
	const char *text;
};

struct cmd_help {
	const char *name;
	const char *usage;	/* after "testr NAME " */
	const char *text;	/* paragraphs separated by "\n\n" */
	struct opt_help opts[12];
};

static const struct opt_help global_opts[] = {
	{ "-d, --here", "DIR", "Run as if testr had been started in DIR." },
	{ "-q, --quiet", NULL, "Print only the command's main output and errors." },
	{ "-h, --help", NULL, "Show this help." },
	{ NULL, NULL, NULL },
};

static const struct cmd_help helps[] = {
	{ "commands", "",
	  "Print every command with a one-line description.", { { 0 } } },
	{ "failing", "[--list] [--subunit]",
	  "Show the tests that are failing now: those that failed in a stored "
	  "run and have not passed in a later one.  Exit status 1 when there "
	  "are failing tests, 0 when there are none.",
	  { { "--list", NULL, "Print only their ids, one per line." },
	    { "--subunit", NULL, "Print them as a subunit v2 stream." } } },
	{ "help", "[COMMAND]",
	  "Without COMMAND, show the overview and the list of commands.  With "
	  "COMMAND, show its usage and options, as `testr COMMAND --help' "
	  "does.", { { 0 } } },
	{ "init", "",
	  "Create an empty repository, .testrepository/, in the current "
	  "directory (see testr-repository(5)).  It is an error if there is "
	  "one already.", { { 0 } } },
	{ "last", "[--subunit]",
	  "Show the latest stored run: each failure with its details, then "
	  "how many tests ran and for how long, the change since the run "
	  "before, and PASSED or FAILED.  Exit status 1 if the run had "
	  "failures.",
	  { { "--subunit", NULL, "Print the run as a subunit v2 stream." } } },
	{ "list-tests", "[FILTER...] [-- TESTARGS...]",
	  "Run the test command with $LISTOPT and print the test ids it "
	  "reports, one per line.\n\n"
	  "A FILTER is a regular expression (PCRE2) that may match anywhere "
	  "in an id; with several, an id is listed if any of them matches.  "
	  "TESTARGS are appended to the test command.", { { 0 } } },
	{ "load", "[OPTIONS] [FILE...]",
	  "Store the subunit streams (v1 or v2) in the FILEs, or on standard "
	  "input, as one run; each stream counts as one worker.  Then show "
	  "the run as `testr last' does.  Exit status 1 if it had failures.",
	  { { "--partial", NULL, "The streams hold only some of the tests: "
	      "tests that did not run stay failing." },
	    { "--force-init", NULL, "Create the repository first if there "
	      "is none." },
	    { "--subunit", NULL, "Print the run as a subunit v2 stream." },
	    { "--full-results", NULL, "Accepted for compatibility; does "
	      "nothing." } } },
	{ "quickstart", "",
	  "Print a short guide that takes a project from nothing to a "
	  "parallel test run.", { { 0 } } },
	{ "run", "[OPTIONS] [FILTER...] [-- TESTARGS...]",
	  "Run the project's tests with the test_command of .testr.conf (see "
	  "testr.conf(5)) and store the results as a new run, then show it "
	  "as `testr last' does.\n\n"
	  "With --parallel, testr lists the test ids first ($LISTOPT) and "
	  "splits them over several workers, balanced by the durations "
	  "recorded in earlier runs.  Ids with the same group_regex match "
	  "stay on one worker.\n\n"
	  "A FILTER is a regular expression (PCRE2) that may match anywhere "
	  "in an id: only ids that match at least one FILTER run.  TESTARGS "
	  "are appended to the test command.\n\n"
	  "Exit status 0 if every test passed, 1 if any failed, 3 on an "
	  "error.",
	  { { "--parallel", NULL, "Run the tests in several workers at once." },
	    { "--concurrency", "N", "Use N workers (default: the "
	      "test_run_concurrency callout, else the number of CPUs)." },
	    { "--failing", NULL, "Run only the tests that are failing now.  "
	      "Implies --partial." },
	    { "--load-list", "FILE", "Run only the ids listed in FILE, one "
	      "per line." },
	    { "--partial", NULL, "Only some tests run: tests that did not "
	      "run stay failing." },
	    { "--subunit", NULL, "Print the results as a subunit v2 stream." },
	    { "--until-failure", NULL, "Repeat the run until a test fails." },
	    { "--isolated", NULL, "Run each test in its own test process." },
	    { "--analyze-isolation", NULL, "Find the earlier test that makes "
	      "a test fail only when run after it." },
	    { "--color", "WHEN", "Colour the live progress: auto (the "
	      "default: on a terminal, unless NO_COLOR is set), always or "
	      "never." },
	    { "--full-results", NULL, "Accepted for compatibility; does "
	      "nothing." } } },
	{ "slowest", "[--all]",
	  "Show the slowest tests of the latest run, with their durations in "
	  "seconds.",
	  { { "--all", NULL, "Show every test, not only the ten slowest." } } },
	{ "stats", "",
	  "Show statistics about the repository, such as how many runs it "
	  "holds.", { { 0 } } },
};

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

static const struct cmd_help *
find_help(const char *name)
{
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (strcmp(helps[i].name, name) == 0)
			return &helps[i];
	return NULL;
}

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
print_options(FILE *out, const struct opt_help *opts)
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
	const struct cmd_help *h = find_help(cmd);
	const struct cli_command *c = cli_find_command(cmd);

	if (!h || !c)
		return cli_unknown_command(cmd);
	fprintf(out, "Usage: testr %s%s%s\n\n%s\n\n", h->name,
		*h->usage ? " " : "", h->usage, c->summary);
	wrap(out, h->text, 0, 0);
	if (h->opts[0].name) {
		fputs("\nOptions:\n", out);
		print_options(out, h->opts);
	}
	fputs("\nGlobal options:\n", out);
	print_options(out, global_opts);
	return CLI_EXIT_OK;
}

/* Edit distance counting a swap of neighbours as one edit (optimal string
 * alignment); names are short, longer ones are simply "far". */
static size_t
distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), d[32][32];

	if (la >= 32 || lb >= 32)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* Keep @cand in *best if it is closer to @word (its first @len bytes). */
static void
consider(const char **best, size_t *best_d, const char *word, size_t len,
	 const char *cand)
{
	size_t d = distance(word, len, cand);

	/* A long enough prefix ("--concur" for "--concurrency") wins. */
	if (len >= 3 && strncmp(word, cand, len) == 0)
		d = 0;
	if (d < *best_d) {
		*best = cand;
		*best_d = d;
	}
}

/* A typo, not an unrelated word: allow about one edit per three letters. */
static bool
close_enough(size_t d, size_t len)
{
	return d <= 2 && d * 3 <= len + 1;
}

int
cli_unknown_command(const char *name)
{
	const char *best = NULL;
	size_t best_d = 99, len = strlen(name);

	for (const struct cli_command *c = cli_commands; c->name; c++)
		consider(&best, &best_d, name, len, c->name);
	if (best && close_enough(best_d, len))
		fprintf(stderr, "testr: unknown command '%s'; did you mean "
			"'%s'?\n", name, best);
	else
		fprintf(stderr, "testr: unknown command '%s'; see 'testr "
			"commands'\n", name);
	return CLI_EXIT_USAGE;
}

int
cli_unknown_option(const char *cmd, const char *arg)
{
	const struct cmd_help *h = cmd ? find_help(cmd) : NULL;
	const char *best = NULL;
	size_t best_d = 99, len = strcspn(arg, "=");

	for (size_t i = 0; h && h->opts[i].name; i++)
		consider(&best, &best_d, arg, len, h->opts[i].name);
	consider(&best, &best_d, arg, len, "--here");
	consider(&best, &best_d, arg, len, "--quiet");
	consider(&best, &best_d, arg, len, "--help");
	if (!cmd)
		consider(&best, &best_d, arg, len, "--version");
	fprintf(stderr, "testr%s%s: unknown option '%s'", cmd ? " " : "",
		cmd ? cmd : "", arg);
	if (best && close_enough(best_d, len))
		fprintf(stderr, "; did you mean '%s'?\n", best);
	else
		fprintf(stderr, "; see 'testr help%s%s'\n", cmd ? " " : "",
			cmd ? cmd : "");
	return CLI_EXIT_USAGE;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "testr%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'testr help%s%s'\n", cmd ? " " : "",
		cmd ? cmd : "");
	return CLI_EXIT_USAGE;
}

/* The commands that take no arguments at all share this check. */
static int
no_arguments(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	if (argv[1][0] == '-' && argv[1][1])
		return cli_unknown_option(argv[0], argv[1]);
	return cli_usage_error(argv[0], "unexpected argument '%s'", argv[1]);
}

static void
print_command_table(FILE *out)
{
	int w = (int)strlen("command");

	for (const struct cli_command *c = cli_commands; c->name; c++)
		if ((int)strlen(c->name) > w)
			w = (int)strlen(c->name);
	fprintf(out, "  %-*s  %s\n", w, "command", "description");
	fprintf(out, "  %.*s  %.*s\n", w, "--------------------", 52,
		"----------------------------------------------------");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-*s  %s\n", w, c->name, c->summary);
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
	print_options(out, global_opts);
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
	int rc = no_arguments(argc, argv);

	if (rc == 0)
		print_command_table(stdout);
	return rc;
}

int
cmd_quickstart(int argc, char **argv)
{
	int rc = no_arguments(argc, argv);

	if (rc == 0)
		fputs(quickstart_text, stdout);
	return rc;
}
