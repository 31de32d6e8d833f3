/*
 * Every command as data: name, one-line summary, usage, help text and
 * options.  cli/cmd_help.c renders it, cli/usage.c takes its "did you
 * mean" candidates from it; it depends on nothing, so neither depends on
 * the other through it.
 */
#include <string.h>

#include "cli.h"

const struct cli_opt_help cli_global_opts[] = {
	{ "-d, --here", "DIR", "Run as if testr had been started in DIR." },
	{ "-q, --quiet", NULL, "Print only the command's main output and errors." },
	{ "-v, --verbose", NULL, "Print the library's debug log on stderr "
	  "(as TESTR_DEBUG=1)." },
	{ "-h, --help", NULL, "Show this help." },
	{ NULL, NULL, NULL },
};

const struct cli_help cli_helps[] = {
	{ "commands", "List the commands.",
	  "",
	  "Print every command with a one-line description.", { { 0 } } },
	{ "failing", "Show the tests that are failing now.",
	  "[--list] [--subunit]",
	  "Show the tests that are failing now: those that failed in a stored "
	  "run and have not passed in a later one.  Exit status 1 when there "
	  "are failing tests, 0 when there are none.",
	  { { "--list", NULL, "Print only their ids, one per line." },
	    { "--subunit", NULL, "Print them as a subunit v2 stream." } } },
	{ "flaky", "Show the tests whose outcome flips between runs.",
	  "[--runs N] [--list]",
	  "Over the newest N stored runs, list the tests whose outcome "
	  "changed between pass and fail from one of their runs to the next, "
	  "and those that failed and then passed on a retry (testr run "
	  "--retry), highest flip rate first: (flips + retried runs) / runs.  "
	  "Columns: flip rate, runs with a pass or fail, flips, retried runs, "
	  "the newest outcome, the id.  Reads the per-run indexes.",
	  { { "--runs", "N", "Look at the newest N stored runs (default 20; "
	      "0: all)." },
	    { "--list", NULL, "Print only the ids, one per line." } } },
	{ "help", "Show help on testr or on one command.",
	  "[COMMAND]",
	  "Without COMMAND, show the overview and the list of commands.  With "
	  "COMMAND, show its usage and options, as `testr COMMAND --help' "
	  "does.", { { 0 } } },
	{ "history", "Show the stored runs, or how tests did over time.",
	  "[ID...]",
	  "Without ID, list the stored runs: id, when it started (UTC), how "
	  "many tests ran, failed and were skipped, how long it took, and "
	  "whether it was partial.  With IDs, show each stored result of "
	  "those tests: run, date, status and duration.  Both read the "
	  "per-run indexes, not the runs.", { { 0 } } },
	{ "init", "Create a repository in the current directory.",
	  "",
	  "Create an empty repository, .testrepository/, in the current "
	  "directory (see testr-repository(5)).  It is an error if there is "
	  "one already.", { { 0 } } },
	{ "last", "Show the results of the latest run.",
	  "[--subunit] [--junit FILE] [--json[=FILE]] [--ci]",
	  "Show the latest stored run: each failure with its details, then "
	  "how many tests ran and for how long, the change since the run "
	  "before, and PASSED or FAILED.  Exit status 1 if the run had "
	  "failures.",
	  { { "--subunit", NULL, "Print the run as a subunit v2 stream." },
	    { "--junit", "FILE", "Also write the run as JUnit XML to FILE "
	      "(- for standard output)." },
	    { "--json", "[=FILE]", "Write the run as JSON to standard output, "
	      "or to FILE." },
	    { "--ci", NULL, "Also show the failures as GitHub Actions "
	      "annotations and step summary, or GitLab log sections, when "
	      "their environment is set." } } },
	{ "list-tests", "List the project's test ids.",
	  "[FILTER...] [-- TESTARGS...]",
	  "Run the test command with $LISTOPT and print the test ids it "
	  "reports, one per line.\n\n"
	  "A FILTER is a regular expression (PCRE2) that may match anywhere "
	  "in an id; with several, an id is listed if any of them matches.  "
	  "TESTARGS are appended to the test command.", { { 0 } } },
	{ "load", "Store subunit streams as a run in the repository.",
	  "[OPTIONS] [FILE...]",
	  "Store the subunit streams (v1 or v2) in the FILEs, or on standard "
	  "input, as one run; each stream counts as one worker.  Then show "
	  "the run as `testr last' does.  Exit status 1 if it had failures.",
	  { { "--partial", NULL, "The streams hold only some of the tests: "
	      "tests that did not run stay failing." },
	    { "--force-init", NULL, "Create the repository first if there "
	      "is none." },
	    { "--subunit", NULL, "Print the run as a subunit v2 stream." },
	    { "--full-results", NULL, "Accepted for compatibility; does "
	      "nothing." },
	    { "--format", "FORMAT", "Read the streams as FORMAT: subunit "
	      "(v2 or v1, the default) or tap (TAP 13/14)." } } },
	{ "prune", "Remove old runs from the repository.",
	  "--keep N | --older-than DAYS",
	  "Remove the streams of old runs, keeping the durations and the "
	  "failing set, so testr run plans as before.  With both options, a "
	  "run goes only if it is older than DAYS and not among the newest N.",
	  { { "--keep", "N", "Keep the newest N runs (0: only the timings)." },
	    { "--older-than", "DAYS", "Remove runs stored more than DAYS "
	      "days ago." } } },
	{ "quickstart", "From nothing to a parallel test run, step by step.",
	  "",
	  "Print a short guide that takes a project from nothing to a "
	  "parallel test run.", { { 0 } } },
	{ "run", "Run the project's tests and store the results.",
	  "[OPTIONS] [FILTER...] [-- TESTARGS...]",
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
	  "Exit status 0 if every test passed (flaky ones too, unless "
	  "--strict), 1 if any failed, 3 on an error.",
	  { { "--parallel", NULL, "Run the tests in several workers at once." },
	    { "--concurrency", "N", "Use N workers (default: the "
	      "test_run_concurrency callout, else the number of CPUs)." },
	    { "--failing", NULL, "Run only the tests that are failing now.  "
	      "Implies --partial." },
	    { "--load-list", "FILE", "Run only the ids listed in FILE, one "
	      "per line." },
	    { "--partial", NULL, "Only some tests run: tests that did not "
	      "run stay failing." },
	    { "--shard", "I/N", "Run shard I of N (from 0), balanced by "
	      "recorded durations; 'auto' reads the CI system's variables.  "
	      "Implies --partial." },
	    { "--max-restarts", "N", "Fresh runners a batch gets after its "
	      "runner died mid-batch (default: test_max_restarts, else 3; 0: "
	      "none)." },
	    { "--timeout", "SECONDS", "Stop a test running longer than "
	      "SECONDS (0: no limit; default: test_timeout): it fails as timed "
	      "out and the rest of its batch runs on a fresh runner.  'auto': "
	      "each test's limit from its recorded durations." },
	    { "--idle-timeout", "SECONDS", "Stop a runner that prints nothing "
	      "for SECONDS (0: no limit; default: test_idle_timeout), as "
	      "--timeout does." },
	    { "--run-timeout", "SECONDS", "Stop the whole run after SECONDS "
	      "(0: no limit; default: test_run_timeout): the tests running "
	      "fail, what arrived is stored as a partial run, exit 1." },
	    { "--retry", "N", "Run a failed test again, up to N times, each "
	      "time on a fresh runner (default: test_retry, else 0); a test "
	      "that then passes is flaky, and passes the run." },
	    { "--strict", NULL, "Flaky tests fail the run (exit status 1)." },
	    { "--max-failures", "N", "Stop handing out tests after N failed "
	      "(default: test_max_failures, else no limit); the run is stored "
	      "partial, the tests not run as failed." },
	    { "--subunit", NULL, "Print the results as a subunit v2 stream." },
	    { "--until-failure", NULL, "Repeat the run until a test fails." },
	    { "--isolated", NULL, "Run each test in its own test process." },
	    { "--analyze-isolation", NULL, "Find the earlier test that makes "
	      "a test fail only when run after it." },
	    { "--color", "WHEN", "Colour the live progress: auto (the "
	      "default: on a terminal, unless NO_COLOR is set), always or "
	      "never." },
	    { "--junit", "FILE", "Also write the run as JUnit XML to FILE." },
	    { "--json", "FILE", "Also write the run as JSON to FILE." },
	    { "--static", NULL, "Give each worker one fixed list, exactly as "
	      "testrepository partitions, instead of handing out batches as "
	      "workers free up (also test_schedule=static)." },
	    { "--dry-run", NULL, "Show the plan (its batches, their estimated "
	      "seconds and the predicted wall time) and run nothing." },
	    { "--ci", NULL, "Also show the failures as GitHub Actions "
	      "annotations and step summary, or GitLab log sections, when "
	      "their environment is set." },
	    { "--full-results", NULL, "Accepted for compatibility; does "
	      "nothing." } } },
	{ "slowest", "Show the slowest tests of the latest run.",
	  "[--all] [--estimates]",
	  "Show the slowest tests of the latest run, with their durations in "
	  "seconds.",
	  { { "--all", NULL, "Show every test, not only the ten slowest." },
	    { "--estimates", NULL, "Show the duration model's estimates "
	      "(the median of each test's recent passing runs) over every "
	      "test the repository knows, instead of the latest run's "
	      "durations." } } },
	{ "stats", "Show statistics about the repository.",
	  "[--json]",
	  "Show statistics about the repository, such as how many runs it "
	  "holds.",
	  { { "--json", NULL, "Print them as one JSON object." } } },
	{ "upgrade", "Convert a testrepository repository to ours.",
	  "",
	  "Convert the repository, if Python testrepository created it "
	  "(format 1), to libtestr's format, so that runs can be stored in "
	  "it; its runs and failing set are kept.  Until then testr reads it "
	  "as it is and refuses to store runs in it.  Afterwards Python testr "
	  "cannot read it (see testr-repository(5)).", { { 0 } } },
	{ NULL, NULL, NULL, NULL, { { 0 } } },
};

const struct cli_help *
cli_help_find(const char *name)
{
	for (const struct cli_help *h = cli_helps; h->name; h++)
		if (strcmp(h->name, name) == 0)
			return h;
	return NULL;
}
