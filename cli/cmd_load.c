/*
 * testr load: store subunit (or, with --format tap, TAP) streams (files,
 * or stdin) as one run.  Each
 * stream is one worker: its events are tagged "worker-N".  The run is shown
 * as it streams in, as testr last shows it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct load {
	struct testr_context *ctx;
	enum testr_ingest_protocol protocol;
	struct testr_repo_writer *writer;
	struct cli_summary *display;	/* NULL with --subunit */
	const char *source;
};

/* Corrupt input is stored as a failure by the ingest; say so here too. */
static void
warn_corrupt(void *userdata, uint64_t offset, const char *what)
{
	struct load *l = userdata;

	fflush(stdout);
	fprintf(stderr, "testr: %s: corrupt subunit at byte %" PRIu64 ": %s; "
		"keeping what was readable\n", l->source, offset, what);
}

/* Each stream is worker N of the run, through the library's ingest path. */
static int
load_stream(struct load *l, const char *path, size_t worker)
{
	struct testr_ingest_options o = TESTR_INGEST_OPTIONS_INIT;
	struct testr_ingest *ing = NULL;
	char *full = cli_arg_path(path);
	int rc = full ? TESTR_OK : TESTR_ENOMEM;

	l->source = strcmp(path, "-") == 0 ? "stdin" : path;
	o.protocol = l->protocol;
	o.worker = worker;
	o.source = l->source;
	o.on_store = testr_repo_writer_event_fn;
	o.store_userdata = l->writer;
	o.on_event = l->display ? cli_summary_event : cli_subunit_event;
	o.event_userdata = l->display ? (void *)l->display : (void *)l->ctx;
	o.on_corrupt = warn_corrupt;
	o.corrupt_userdata = l;
	if (rc == TESTR_OK)
		rc = testr_ingest_new(&ing, l->ctx, &o);
	if (rc == TESTR_OK)
		rc = testr_ingest_file(ing, full);
	testr_ingest_free(ing);
	free(full);
	return rc;
}

static int
open_or_init(struct testr_repo **out, struct testr_context *ctx,
	     bool force_init)
{
	char *cwd;
	int rc = cli_open_repo(out, ctx);

	if (rc != TESTR_ENOTFOUND || !force_init)
		return rc;
	testr_context_clear_error(ctx);
	cwd = getcwd(NULL, 0);
	rc = testr_repo_init(out, ctx, cwd ? cwd : ".");
	free(cwd);
	return rc;
}

struct load_opts {
	bool partial, force_init, subunit, full_results;
};

/*
 * The streams held no test that ran (empty, or only a listing): not a
 * pass.  Nothing is stored, so the failing set survives.
 */
static int
no_tests(void)
{
	fflush(stdout);
	fputs("testr: the stream held no tests; nothing was stored\n", stderr);
	return CLI_EXIT_FAILURES;
}

static int
store_run(struct load *l, struct testr_repo *repo, const struct load_opts *o,
	  char **files, int n_files)
{
	struct testr_repo_writer_options wopts = TESTR_REPO_WRITER_OPTIONS_INIT;
	struct testr_run_summary prev_buf, cur;
	uint64_t id = 0;
	int rc;

	wopts.partial = o->partial;
	rc = testr_repo_writer_new(&l->writer, repo, &wopts);
	for (int i = 0; rc == 0 && i < (n_files ? n_files : 1); i++)
		rc = load_stream(l, n_files ? files[i] : "-", (size_t)i);
	if (rc == 0 && !testr_repo_writer_ran_tests(l->writer))
		return no_tests();
	if (rc == 0)
		rc = testr_repo_writer_commit(&id, l->writer);
	if (rc == 0)
		rc = testr_repo_run_summary(&cur, repo, id);
	if (rc < 0)
		return cli_report(l->ctx, rc);
	if (!l->display)
		return CLI_EXIT_OK;	/* --subunit: success means stored */
	cli_summary_adjust(l->display, &cur);
	return cli_summary_print(stdout, id, &cur,
				 cli_previous_summary(&prev_buf, l->ctx, repo, id));
}

static int
check_files(char **files, int n)
{
	for (int i = 0; i < n; i++) {
		char *full = cli_arg_path(files[i]);
		int err = !full ? ENOMEM : access(full, R_OK) < 0 ? errno : 0;

		free(full);
		if (err) {
			fprintf(stderr, "testr: %s: %s\n", files[i],
				strerror(err));
			return CLI_EXIT_ERROR;
		}
	}
	return CLI_EXIT_OK;
}

/*
 * Take "--format NAME" / "--format=NAME" out of argv (the shared parser
 * knows only flags).  Returns CLI_EXIT_OK or a usage error.
 */
static int
take_format(int *argc, char **argv, enum testr_ingest_protocol *out)
{
	int j = 1, rc = CLI_EXIT_OK;

	for (int i = 1; i < *argc; i++) {
		const char *name = NULL;

		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--format") == 0) {
			if (i + 1 == *argc)
				return cli_usage_error("load", "--format needs a "
						       "value: subunit or tap");
			name = argv[++i];
		} else if (strncmp(argv[i], "--format=", 9) == 0) {
			name = argv[i] + 9;
		} else {
			argv[j++] = argv[i];
			continue;
		}
		if (testr_ingest_protocol_from_name(out, name) != 0)
			rc = cli_usage_error("load", "unknown --format '%s' "
					     "(expected subunit or tap)", name);
		if (rc != CLI_EXIT_OK)
			return rc;
	}
	*argc = j;
	argv[j] = NULL;
	return CLI_EXIT_OK;
}

int
cmd_load(int argc, char **argv)
{
	struct load_opts o = { 0 };
	const struct cli_flag flags[] = {
		{ "partial", &o.partial }, { "force-init", &o.force_init },
		{ "subunit", &o.subunit }, { "full-results", &o.full_results },
		{ NULL, NULL } };
	struct load l = { 0 };
	struct testr_repo *repo = NULL;
	int first, rc = take_format(&argc, argv, &l.protocol);

	if (rc == CLI_EXIT_OK)
		rc = cli_parse_flags("load", argc, argv, flags, &first);
	if (rc != CLI_EXIT_OK || (rc = check_files(argv + first, argc - first)))
		return rc;
	l.ctx = cli_context_new();
	rc = open_or_init(&repo, l.ctx, o.force_init);
	if (rc < 0) {
		rc = cli_report(l.ctx, rc);
		goto done;
	}
	l.display = o.subunit ? NULL : cli_summary_new_uncounted(stdout);
	if (l.display)
		cli_summary_config_filter_tags(l.display, l.ctx);
	rc = store_run(&l, repo, &o, argv + first, argc - first);
done:
	testr_repo_writer_free(l.writer);
	cli_summary_free(l.display);
	testr_repo_free(repo);
	testr_context_free(l.ctx);
	return rc;
}
