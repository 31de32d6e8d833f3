/*
 * testr load: store subunit streams (files, or stdin) as one run.  Each
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
	struct testr_repo_writer *writer;
	struct cli_summary *display;	/* NULL with --subunit */
	const char *source;
	char worker_tag[32];
	size_t worker;
	char worker_route[24];		/* "N" */
	char *route;			/* scratch: "N" or "N/inner" */
	const char **tags;		/* scratch for the tagged copy */
	size_t tags_cap;
	int error;
};

/* Route codes as testrepository's concurrent suite sets them: "N[/inner]". */
static int
route_event(struct load *l, struct testr_event *ev)
{
	bool inner = (ev->fields & TESTR_EVENT_ROUTE_CODE) && ev->route_code &&
		     *ev->route_code;

	if (!inner) {
		ev->route_code = l->worker_route;
		ev->fields |= TESTR_EVENT_ROUTE_CODE;
		return 0;
	}
	free(l->route);
	if (asprintf(&l->route, "%zu/%s", l->worker, ev->route_code) < 0) {
		l->route = NULL;
		return TESTR_ENOMEM;
	}
	ev->route_code = l->route;
	ev->fields |= TESTR_EVENT_ROUTE_CODE;
	return 0;
}

/* The event plus our worker tag, to the repository and the display. */
static int
tee_event(void *userdata, const struct testr_event *ev)
{
	struct load *l = userdata;
	struct testr_event tagged = *ev;
	size_t n = (ev->fields & TESTR_EVENT_TAGS) ? ev->n_tags : 0;
	int rc;

	if (n + 1 > l->tags_cap) {
		const char **t = realloc(l->tags, (n + 1) * sizeof(*t));

		if (!t)
			return TESTR_ENOMEM;
		l->tags = t;
		l->tags_cap = n + 1;
	}
	for (size_t i = 0; i < n; i++)
		l->tags[i] = ev->tags[i];
	tagged.tags = l->tags;
	tagged.n_tags = n;
	if (testr_strv_find(&(struct testr_strv){ (char **)l->tags, n, n },
			    l->worker_tag) < 0)
		l->tags[tagged.n_tags++] = l->worker_tag;
	tagged.fields |= TESTR_EVENT_TAGS;
	rc = route_event(l, &tagged);
	if (rc < 0)
		return rc;
	rc = testr_repo_writer_add(l->writer, &tagged);
	if (rc == 0)
		rc = l->display ? cli_summary_event(l->display, &tagged) :
		     cli_subunit_event(l->ctx, &tagged);
	return rc;
}

/* Corrupt input: say so, and store it as testrepository does (a failure). */
static void
on_corrupt(void *userdata, uint64_t offset, const char *what)
{
	struct load *l = userdata;
	int rc;

	fflush(stdout);
	fprintf(stderr, "testr: %s: corrupt subunit at byte %" PRIu64 ": %s; "
		"keeping what was readable\n", l->source, offset, what);
	rc = testr_repo_report_corrupt(l->source, offset, what, tee_event, l);
	if (rc < 0 && !l->error)
		l->error = rc;
}

static int
load_stream(struct load *l, const char *path, size_t worker)
{
	struct testr_subunit_decoder_options opts =
		TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	char *full;
	int rc;

	l->source = strcmp(path, "-") == 0 ? "stdin" : path;
	snprintf(l->worker_tag, sizeof(l->worker_tag), "worker-%zu", worker);
	l->worker = worker;
	snprintf(l->worker_route, sizeof(l->worker_route), "%zu", worker);
	opts.on_event = tee_event;
	opts.on_corrupt = on_corrupt;
	opts.userdata = l;
	full = cli_arg_path(path);
	rc = full ? testr_subunit_decode_file(l->ctx, full, &opts) : TESTR_ENOMEM;
	free(full);
	return rc < 0 ? rc : l->error;
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
	if (rc == 0)
		rc = testr_repo_writer_commit(&id, l->writer);
	if (rc == 0)
		rc = testr_repo_run_summary(&cur, repo, id);
	if (rc < 0)
		return cli_report(l->ctx, rc);
	if (!l->display)
		return CLI_EXIT_OK;	/* --subunit: success means stored */
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
	int first, rc = cli_parse_flags("load", argc, argv, flags, &first);

	if (rc != CLI_EXIT_OK || (rc = check_files(argv + first, argc - first)))
		return rc;
	l.ctx = cli_context_new();
	rc = open_or_init(&repo, l.ctx, o.force_init);
	if (rc < 0) {
		rc = cli_report(l.ctx, rc);
		goto done;
	}
	l.display = o.subunit ? NULL : cli_summary_new_uncounted(stdout);
	rc = store_run(&l, repo, &o, argv + first, argc - first);
done:
	testr_repo_writer_free(l.writer);
	cli_summary_free(l.display);
	free(l.tags);
	free(l.route);
	testr_repo_free(repo);
	testr_context_free(l.ctx);
	return rc;
}
