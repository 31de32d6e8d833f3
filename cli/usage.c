/*
 * Usage errors: one line on stderr naming what was wrong, with a "did you
 * mean" hint drawn from the command table (cli/commands.c), and exit code
 * CLI_EXIT_USAGE.  Every command reports misuse through here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

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

	for (const struct cli_help *h = cli_helps; h->name; h++)
		consider(&best, &best_d, name, len, h->name);
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
	const struct cli_help *h = cmd ? cli_help_find(cmd) : NULL;
	const char *best = NULL;
	size_t best_d = 99, len = strcspn(arg, "=");

	for (size_t i = 0; h && h->opts[i].name; i++)
		consider(&best, &best_d, arg, len, h->opts[i].name);
	consider(&best, &best_d, arg, len, "--here");
	consider(&best, &best_d, arg, len, "--quiet");
	consider(&best, &best_d, arg, len, "--verbose");
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

int
cli_no_arguments(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	if (argv[1][0] == '-' && argv[1][1])
		return cli_unknown_option(argv[0], argv[1]);
	return cli_usage_error(argv[0], "unexpected argument '%s'", argv[1]);
}
