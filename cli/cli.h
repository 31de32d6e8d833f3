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
	CLI_EXIT_INTERRUPTED = 130, /* a run stopped by SIGINT or SIGTERM */
};

/* One subcommand: its name and its entry point (cli/main.c's table). */
struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
};

/* One option in a command's help. */
struct cli_opt_help {
	const char *name;	/* "--concurrency" */
	const char *value;	/* "N", or NULL for a flag */
	const char *text;
};

/* One command as the help and the usage errors know it (cli/commands.c). */
struct cli_help {
	const char *name;
	const char *summary;	/* one line, for `testr commands` */
	const char *usage;	/* after "testr NAME " */
	const char *text;	/* paragraphs separated by "\n\n" */
	struct cli_opt_help opts[32];	/* ends at the first without a name */
};

/* Every command, terminated by a NULL name; the global options likewise. */
extern const struct cli_help cli_helps[];
extern const struct cli_opt_help cli_global_opts[];

/* The help of command @name, or NULL when there is no such command. */
const struct cli_help *cli_help_find(const char *name);

int cmd_init(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list_tests(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_last(int argc, char **argv);
int cmd_failing(int argc, char **argv);
int cmd_slowest(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_flaky(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_upgrade(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_commands(int argc, char **argv);
int cmd_quickstart(int argc, char **argv);

/*
 * Conventions every cmd_<name>.c follows (cli/main.c, cli/usage.c):
 * - main() handles the global options before the command runs and removes
 *   them from argv: -d/--here DIR (main chdir()s to DIR), -q/--quiet (sets
 *   cli_quiet), -v/--verbose (sets cli_verbose), and -h/--help/-? anywhere
 *   before "--" prints cli_usage() for the command and exits 0.  A command never sees them.
 * - A command parses its own options, e.g. with getopt_long() and opterr = 0.
 *   For an unknown option it returns cli_unknown_option(cmd, arg); for any
 *   other misuse (missing value, too many arguments) cli_usage_error().
 *   Both print one line to stderr and return CLI_EXIT_USAGE.
 * - Its options and their help live in the table in cli/commands.c: add an
 *   option there when you add it to a command.
 *
 * The files depend in one direction: main.c on the commands; the commands
 * on util.c, summary.c, progress.c and usage.c; cmd_help.c and usage.c on
 * the data in commands.c, which depends on nothing.
 */

/*
 * Set by -q/--quiet: print only a command's main output (ids, FAIL blocks,
 * the summary) and errors; no running= lines and no progress.
 */
extern bool cli_quiet;

/*
 * Set by -v/--verbose (or TESTR_DEBUG=1): the library's debug log goes to
 * stderr, as "debug: " lines (config values, plan, spawns and exits, files
 * read and written).
 */
extern bool cli_verbose;

/*
 * Print the full help of command @cmd (usage, description, options) to @out
 * (cli/cmd_help.c).
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
 * For a command that takes no arguments: 0 when argv holds none, else the
 * usage error for the first one (CLI_EXIT_USAGE).
 */
int cli_no_arguments(int argc, char **argv);

/*
 * Report @name, which is not a command, on one line on stderr with a hint
 * (the closest command, or "see 'testr commands'").  Returns CLI_EXIT_USAGE.
 */
int cli_unknown_command(const char *name);

/* --color=WHEN of testr run: colour the live progress? */
enum cli_color {
	CLI_COLOR_AUTO = 0,	/* yes on a terminal, unless NO_COLOR is set */
	CLI_COLOR_ALWAYS = 1,
	CLI_COLOR_NEVER = 2,
};

/* Parse "auto", "always" or "never" into *out; -1 for anything else. */
int cli_color_parse(enum cli_color *out, const char *when);

/*
 * The progress of testr run (cli/progress.c): on a terminal a live status
 * line, elsewhere stdout flushed event by event and a "testr: N/M tests"
 * line on stderr every TESTR_PROGRESS_INTERVAL seconds (default 10); -q
 * keeps only the flushing.  Use:
 *
 *	struct cli_progress *pg = cli_progress_new(stdout, color);
 *	cli_progress_wrap(pg, &opts.on_event, &opts.event_userdata,
 *			  &opts.on_command, &opts.command_userdata,
 *			  &opts.on_output, &opts.output_userdata);
 *	opts.on_forecast = cli_progress_forecast;
 *	opts.forecast_userdata = pg;
 *	... run ...
 *	cli_progress_free(pg);		(erases the line; before the summary)
 *
 * cli_progress_new() returns NULL only when out of memory; every other
 * call accepts NULL and does nothing.
 */
struct cli_progress;

struct cli_progress *cli_progress_new(FILE *out, enum cli_color color);

/*
 * A testr_run_forecast_fn, its userdata the progress: what the run will do,
 * each id with the estimate the plan goes by (NaN: unknown), copied, for
 * the time left and for marking tests past their estimate.
 */
void cli_progress_forecast(void *userdata, const char *const *ids,
			   const double *seconds, size_t n_ids,
			   size_t n_workers);

/*
 * Put the progress between the run and the display sinks given (each may be
 * NULL): they are replaced by wrappers that erase the line, call the
 * original, and draw the line again.
 */
void cli_progress_wrap(struct cli_progress *p, testr_event_fn *event,
		       void **event_ud, testr_command_fn *command,
		       void **command_ud, testr_write_fn *output,
		       void **output_ud);

/* Erase the line (it comes back with the next event). */
void cli_progress_end(struct cli_progress *p);

/* Erase the line and free; NULL is a no-op. */
void cli_progress_free(struct cli_progress *p);

/*
 * A context whose log callback writes warnings and errors to stderr
 * (TESTR_DEBUG=1 in the environment adds debug lines).  Exits with
 * CLI_EXIT_ERROR if memory runs out: the CLI may exit, the library may not.
 */
struct testr_context *cli_context_new(void);

/*
 * argv[from..to) as a string list the library reads (`const char *const *`
 * with to - from strings), in a NULL-terminated array the caller frees;
 * the strings stay argv's.  C converts argv's `char **` to that type only
 * by a cast, and no string list is cast (header-docs.sh checks).  Exits
 * with CLI_EXIT_ERROR if memory runs out.
 */
const char **cli_arg_list(char **argv, int from, int to);

/*
 * Print the context's last error message (or the code's name if there is
 * none) on one line to stderr and return CLI_EXIT_ERROR.
 */
int cli_report(struct testr_context *ctx, int code);

/*
 * testr_command_fn: "running=<command>" on the FILE * in @file (stderr:
 * stdout holds only results, so `testr list-tests > f` is a clean id list);
 * nothing with -q.
 */
void cli_show_running(void *file, const char *command);

/* testr_write_fn to stdout (@userdata unused). */
int cli_write_stdout(void *userdata, const void *buf, size_t len);

/* testr_write_fn to stderr, stdout flushed first (@userdata unused). */
int cli_write_stderr(void *userdata, const void *buf, size_t len);

/*
 * -d DIR makes testr work in DIR, but a file named on the command line
 * still means the file the user sees from where they typed it.  main()
 * calls cli_remember_origin() before changing directory; cli_arg_path()
 * then returns a malloc'd path that names the same file from DIR ("-" and
 * absolute paths unchanged), or NULL when out of memory.
 */
void cli_remember_origin(void);
char *cli_arg_path(const char *path);

/* Width of UTF-8 text @s in characters (code points), as Python's len()
 * counts it when testrepository lines up a table. */
size_t cli_text_width(const char *s);

/*
 * Rendering a run as testr last shows it (cli/summary.c): a FAIL block per
 * failing test as it completes, then the "Ran N tests in X.XXXs" line with
 * deltas and "PASSED (id=N)" / "FAILED (id=N, failures=K, skips=S)".
 * Feed events with cli_summary_event() (a testr_event_fn taking the
 * renderer), then cli_summary_finish() prints the summary and returns
 * CLI_EXIT_OK or CLI_EXIT_FAILURES.
 */
struct cli_summary;
struct cli_summary *cli_summary_new(FILE *out);
/*
 * A renderer that does not count (memory stays flat however long the run):
 * print its summary with cli_summary_print() and the stored run's counts
 * (testr_repo_run_summary() after the commit); cli_summary_finish() on it
 * would print zero counts.
 */
struct cli_summary *cli_summary_new_uncounted(FILE *out);

/*
 * End of a stored run: a FAIL block for each test that never completed
 * (latest first).  testrepository shows these when it reads a run back
 * (testr last, testr failing: its storage turned them into failures), not
 * while a run streams in (testr load, testr run), where they are only
 * counted as failures.
 */
void cli_summary_flush(struct cli_summary *s);

/*
 * testr run's ending: after the summary lines cli_summary_finish() prints
 * "Totals: P passed, F failed, S skipped" and, when tests failed, "The
 * following tests FAILED:" with their ids, one per line, indented.
 */
void cli_summary_want_verdict(struct cli_summary *s);
/* The run was interrupted: cli_summary_finish() says "INTERRUPTED (id=N"
 * instead of PASSED/FAILED and returns CLI_EXIT_INTERRUPTED (as
 * cli_summary_print() does for a stored interrupted run). */
void cli_summary_set_interrupted(struct cli_summary *s);
/* --strict: cli_summary_finish() says FAILED and returns
 * CLI_EXIT_FAILURES when a test was flaky (failed, then passed on a
 * retry); without it a flaky test counts as passed. */
void cli_summary_set_strict(struct cli_summary *s);
int cli_summary_event(void *userdata, const struct testr_event *ev);
/*
 * filter_tags (testr.conf(5)): tests that did not fail and carry one of
 * @tags are left out of the count of tests run, as testrepository does
 * (testr_event_filtered()).  cli_summary_config_filter_tags() takes them
 * from the .testr.conf of the current directory, if there is one.
 * cli_summary_adjust() applies the events seen so far to counts @cur that
 * came from elsewhere (the stored run's index).
 */
void cli_summary_filter_tags(struct cli_summary *s,
			     const struct testr_strv *tags);
void cli_summary_config_filter_tags(struct cli_summary *s,
				    struct testr_context *ctx);
void cli_summary_adjust(const struct cli_summary *s,
			struct testr_run_summary *cur);
int cli_summary_finish(struct cli_summary *s, uint64_t run_id,
		       const struct testr_run_summary *prev);
void cli_summary_free(struct cli_summary *s);

/* Print the summary for counts @cur of run @run_id against @prev (or NULL). */
int cli_summary_print(FILE *out, uint64_t run_id,
		      const struct testr_run_summary *cur,
		      const struct testr_run_summary *prev);

/*
 * The summary of run @run_id - 1 in *buf, or NULL when there is none (a
 * damaged one is reported on stderr; what was readable is used).
 */
const struct testr_run_summary *cli_previous_summary(
	struct testr_run_summary *buf, struct testr_context *ctx,
	struct testr_repo *repo, uint64_t run_id);

/*
 * testr last for run @run_id: replay it through the renderer, with deltas
 * against the run before it.  Returns CLI_EXIT_OK, CLI_EXIT_FAILURES, or
 * CLI_EXIT_ERROR after reporting on stderr.  testr run calls this after
 * storing a run.  With @report, the events read also go to it (one reading
 * of the run for the summary and the reports).
 */
int cli_print_run_summary(struct testr_context *ctx, struct testr_repo *repo,
			  uint64_t run_id, FILE *out,
			  struct testr_report *report);

/* A testr_event_fn writing each event to stdout as subunit v2 (@userdata: the context). */
int cli_subunit_event(void *userdata, const struct testr_event *ev);

/* Open the repository of the current directory (testr's -d already applied). */
int cli_open_repo(struct testr_repo **out, struct testr_context *ctx);

/* A boolean option of a repository command. */
struct cli_flag {
	const char *name;	/* long name without "--" */
	bool *value;
};

/*
 * Parse the boolean long options @flags (terminated by a NULL name) of
 * command @cmd; *out_first_arg is the index of the first operand.  Returns
 * CLI_EXIT_OK or, after reporting an unknown option, CLI_EXIT_USAGE.
 */
int cli_parse_flags(const char *cmd, int argc, char **argv,
		    const struct cli_flag *flags, int *out_first_arg);

/* cli_parse_flags() for a command that takes no operands: one is a usage
 * error. */
int cli_parse_flags_only(const char *cmd, int argc, char **argv,
			 const struct cli_flag *flags);

/* --junit FILE and --json FILE of testr run and testr last (cli/reports.c). */
struct cli_report_args {
	const char *junit;	/* NULL: none; "-": standard output */
	const char *json;
	bool ci;		/* --ci: annotations for GitHub / GitLab */
	bool stdout_busy;	/* stdout carries a stream: CI output to stderr */
};

/* Does @a ask for any report (a file, stdout or --ci)? */
bool cli_reports_wanted(const struct cli_report_args *a);

/*
 * With --ci on GitHub Actions, before testr shows any test output: stop
 * workflow commands (::stop-commands:: with a random token) so that a test
 * printing "::error::..." cannot make annotations or change the job; the
 * annotations of the reports resume them.
 */
void cli_ci_begin(const struct cli_report_args *a);

/*
 * Take --junit FILE, --json FILE and --ci (before any "--") out of argv, shifting
 * the rest down and updating *argc.  With @json_to_stdout, a bare --json
 * means standard output (--json=FILE names a file).  Returns CLI_EXIT_OK or
 * CLI_EXIT_USAGE after reporting a missing file name.
 */
int cli_take_report_args(struct cli_report_args *out, const char *cmd,
			 int *argc, char **argv, bool json_to_stdout);

/*
 * Write the reports @a asks for of stored run @run_id.  Returns CLI_EXIT_OK
 * or CLI_EXIT_ERROR after reporting on stderr (also when the run file is
 * damaged: what was readable is written, then its error).
 */
int cli_write_reports(struct testr_context *ctx, struct testr_repo *repo,
		      uint64_t run_id, const struct cli_report_args *a);

/*
 * Write the reports @a asks for from @r, filled already.  Returns
 * CLI_EXIT_OK or CLI_EXIT_ERROR after reporting on stderr.
 */
int cli_write_report_files(struct testr_context *ctx, struct testr_report *r,
			   const struct cli_report_args *a);

#endif
