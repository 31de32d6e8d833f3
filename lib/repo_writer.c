/*
 * Storing a run.  Events stream to a temporary run file while per-test state
 * accumulates (one entry per distinct id).  Commit writes the run's index,
 * then links the run file into place under a name no file has (the commit
 * point: a stored run is never overwritten, whatever the counters say),
 * then the run counter, the failing set and the durations, each by temp
 * file + fsync + rename.
 */
#include "config-build.h"

#include <inttypes.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "context.h"
#include "repo_failing.h"
#include "repo_index.h"
#include "repo_repair.h"
#include "repo_storable.h"

struct testr_repo_writer {
	struct testr_repo *repo;
	bool locked;
	uint64_t id;
	bool partial;
	bool interrupted;
	bool committed;
	bool finished;		/* commit was tried: no more events */
	struct fileio_out run;
	uint64_t run_bytes;
	struct repo_scan scan;
	unsigned notes;		/* kinds of degraded events already reported */
	uint64_t n_degraded;	/* events stored in a degraded form */
	bool ran;		/* some test started or ended */
};

/* Temporary files left by killed writers (we hold the lock: none is live). */
static void
remove_stale_temps(struct testr_repo *repo)
{
	DIR *d = opendir(repo->path);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char *path;

		if (strncmp(e->d_name, ".tmp-", 5) != 0)
			continue;
		path = repo_file(repo, e->d_name);
		if (path)
			unlink(path);
		free(path);
	}
	closedir(d);
}

/* The run's id: the counter's, unless that names a stored run. */
static int
choose_id(struct testr_repo_writer *w)
{
	uint64_t said;
	int rc = repo_count(&w->id, w->repo);

	if (rc == 0 && repo_read_counter(&said, w->repo, "next-stream") == 0 &&
	    said != w->id)
		context_log(w->repo->ctx, TESTR_LOG_WARNING, "%s/next-stream says "
			  "%" PRIu64 ", but run %" PRIu64 " is stored: this run "
			  "is %" PRIu64 " (stored runs are never overwritten)",
			  w->repo->path, said, said, w->id);
	return rc;
}

static int
writer_start(struct testr_repo_writer *w)
{
	char *run = NULL;
	int rc;

	/* testrepository would refuse the repository once it holds our runs:
	 * that change is the user's to make (testr upgrade). */
	if (w->repo->legacy)
		return context_fail(w->repo->ctx, TESTR_EUNSUPPORTED, "%s is "
				  "testrepository's (format 1): it is read as it "
				  "is, but runs are stored only after 'testr "
				  "upgrade', after which Python testr cannot "
				  "read it", w->repo->path);
	rc = repo_lock(w->repo);
	if (rc == 0) {
		w->locked = true;
		remove_stale_temps(w->repo);
	}
	if (rc == 0)	/* another writer may have run while we waited */
		rc = repo_repair(w->repo);
	if (rc == 0)
		rc = choose_id(w);
	if (rc == 0 && !(run = repo_run_file(w->repo, w->id, "")))
		rc = TESTR_ENOMEM;
	if (rc == 0)
		rc = fileio_out_open(&w->run, w->repo->ctx, run);
	if (rc == 0)	/* for the index */
		fileio_out_crc_start(&w->run);
	free(run);
	return rc;
}

/* The bytes of each version of struct testr_repo_writer_options. */
static const size_t writer_options_sizes[] = {
	OPTIONS_END(testr_repo_writer_options, interrupted),
};

TESTR_API int
testr_repo_writer_new(struct testr_repo_writer **out, struct testr_repo *repo,
		      const struct testr_repo_writer_options *opts)
{
	struct testr_repo_writer_options o = TESTR_REPO_WRITER_OPTIONS_INIT;
	struct testr_repo_writer *w;
	int rc;

	*out = NULL;
	rc = OPTIONS_COPY(repo->ctx, &o, opts, testr_repo_writer_options,
			  writer_options_sizes);
	if (rc < 0)
		return rc;
	opts = &o;
	w = calloc(1, sizeof(*w));
	if (!w)
		return TESTR_ENOMEM;
	w->repo = repo;
	w->run.fd = -1;
	w->interrupted = opts && opts->interrupted;
	w->partial = (opts && opts->partial) || w->interrupted;
	repo_scan_init(&w->scan);
	rc = writer_start(w);
	if (rc < 0) {
		testr_repo_writer_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

/* The run file, with its size and CRC-32 for the index. */
static int
write_run(void *userdata, const void *buf, size_t len)
{
	struct testr_repo_writer *w = userdata;

	w->run_bytes += len;
	return fileio_out_write(&w->run, buf, len);
}

static int
writer_finished(struct testr_repo_writer *w)
{
	return context_fail(w->repo->ctx, TESTR_EINVAL,
			  "run %" PRIu64 " already %s", w->id,
			  w->committed ? "committed" : "failed to commit");
}

/* The first event of each degraded kind is named in a warning. */
static void
note_degraded(struct testr_repo_writer *w, const struct repo_storable *st,
	      const struct testr_event *ev)
{
	char id[96];
	const char *what = repo_storable_describe(st->notes & ~w->notes);

	w->n_degraded++;
	if (!(st->notes & ~w->notes))
		return;
	w->notes |= st->notes;
	testr_quote(id, sizeof(id), ev->test_id ? ev->test_id : "",
		    ev->test_id ? strlen(ev->test_id) : 0);
	context_log(w->repo->ctx, TESTR_LOG_WARNING,
		  "%s/%" PRIu64 ": test %s: %s (see testr-repository(5))",
		  w->repo->path, w->id, id, what);
}

TESTR_API int
testr_repo_writer_add(struct testr_repo_writer *w, const struct testr_event *ev)
{
	struct repo_storable st;
	int rc;

	if (w->finished)
		return writer_finished(w);
	/* Whatever the event holds, it is stored: an event v2 cannot hold
	 * as it came is stored in a documented degraded form. */
	rc = repo_storable_make(&st, ev);
	if (rc == 0 && st.notes)
		note_degraded(w, &st, ev);
	if (rc == 0)
		rc = repo_storable_encode(w->repo->ctx, &st.ev, write_run, w);
	/* Count what was stored, so re-reading the run gives the same. */
	if (rc == 0)
		rc = repo_scan_event(&w->scan, &st.ev);
	if (rc == 0 && (st.ev.fields & TESTR_EVENT_TEST_ID) &&
	    st.ev.status > TESTR_STATUS_EXISTS)
		w->ran = true;
	repo_storable_dispose(&st);
	return rc;
}

TESTR_API bool
testr_repo_writer_ran_tests(const struct testr_repo_writer *w)
{
	return w && w->ran;
}

TESTR_API int
testr_repo_writer_event_fn(void *userdata, const struct testr_event *ev)
{
	return testr_repo_writer_add(userdata, ev);
}

/* After the commit point: the run counter, the failing set, the durations. */
static int
update_derived(struct testr_repo_writer *w, const struct repo_times *old)
{
	int rc = repo_write_counter(w->repo, "next-stream", w->id + 1);

	if (rc == 0)
		rc = repo_failing_apply(w->repo, w->id, &w->scan, w->partial);

	/* Without the old store (damaged since we started), rebuild from the
	 * runs rather than keep only this run's durations. */
	if (rc == 0 && old)
		rc = repo_times_write(w->repo, old, &w->scan.tests, w->id + 1);
	else if (rc == 0)
		rc = repo_times_update(w->repo, w->id + 1);
	if (rc < 0)	/* the run is stored; the next open repairs the rest */
		context_log(w->repo->ctx, TESTR_LOG_WARNING, "%s",
			  testr_context_error(w->repo->ctx));
	return 0;
}

/* The index's "partial" value for this run. */
static int
index_partial(const struct testr_repo_writer *w)
{
	return w->interrupted ? REPO_RUN_INTERRUPTED : (int)w->partial;
}

static void
remove_index(struct testr_repo *repo, uint64_t id)
{
	char *path = repo_run_file(repo, id, ".index");

	if (path)
		unlink(path);
	free(path);
}

/*
 * The index, then the run file linked into place: under the lock its id is
 * free, but a writer that takes no lock (testrepository) may have taken it;
 * then the next free id is used.
 */
static int
publish(struct testr_repo_writer *w, const struct repo_times *old)
{
	char *run = NULL;
	int rc = 0;

	do {
		free(run);
		if (rc == TESTR_EEXISTS)	/* that run is not ours: nor its index */
			remove_index(w->repo, w->id);
		if (rc == TESTR_EEXISTS || repo_run_exists(w->repo, w->id))
			rc = repo_count(&w->id, w->repo);
		if (rc < 0)
			break;
		run = repo_run_file(w->repo, w->id, "");
		rc = run ? repo_index_write(w->repo, w->id, &w->scan, old,
					    index_partial(w), w->run_bytes,
					    fileio_out_crc(&w->run)) :
			    TESTR_ENOMEM;
		if (rc == 0)
			rc = fileio_out_commit_new(&w->run, run);
	} while (rc == TESTR_EEXISTS);
	free(run);
	return rc;
}

/*
 * A partial or interrupted run says so at the end of its own stream, so an
 * index rebuilt from the run file keeps it (testrepository ignores a packet
 * of no test).
 */
static int
write_mark(struct testr_repo_writer *w)
{
	struct testr_event ev = { 0 };
	const char *what = w->interrupted ? "interrupted" : "partial";
	char *text;
	int rc;

	if (!w->partial && !w->interrupted)
		return 0;
	text = str_printf("this run was stored %s\n", what);
	if (!text)
		return TESTR_ENOMEM;
	ev.fields = TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE;
	ev.file_name = w->interrupted ? REPO_MARK_INTERRUPTED : REPO_MARK_PARTIAL;
	ev.mime_type = "text/plain;charset=utf8";
	ev.file_bytes = (const unsigned char *)text;
	ev.file_len = strlen(text);
	ev.eof = true;
	rc = repo_storable_encode(w->repo->ctx, &ev, write_run, w);
	if (rc == 0)
		rc = repo_scan_event(&w->scan, &ev);
	free(text);
	return rc;
}

/*
 * A loaded stream that says it was stored interrupted or partial (a run
 * exported with testr last --subunit) stays so: the index must agree with
 * one rebuilt from the run file, which reads the same mark.
 */
static void
adopt_marks(struct testr_repo_writer *w)
{
	if (w->scan.sum.interrupted)
		w->interrupted = true;
	if (w->scan.sum.partial || w->interrupted)
		w->partial = true;
}

TESTR_API int
testr_repo_writer_commit(uint64_t *out, struct testr_repo_writer *w)
{
	struct repo_times old;
	int rc;

	if (w->finished)
		return writer_finished(w);
	adopt_marks(w);
	rc = write_mark(w);
	/* A failed commit has aborted the run file: nothing may follow. */
	w->finished = true;
	if (rc < 0) {
		fileio_out_abort(&w->run);
		return rc;
	}
	repo_scan_finish(&w->scan);
	rc = repo_times_open(&old, w->repo);
	if (rc < 0)	/* damaged since we started: update_derived rebuilds it */
		testr_context_clear_error(w->repo->ctx);
	rc = publish(w, old.map.data ? &old : NULL);
	if (rc == 0) {	/* stored: the rest can be brought up to date later */
		w->committed = true;
		*out = w->id;
		rc = update_derived(w, old.map.data ? &old : NULL);
	}
	if (rc == 0)
		context_log(w->repo->ctx, TESTR_LOG_DEBUG, "repo: stored run %llu "
			  "in %s", (unsigned long long)w->id, w->repo->path);
	repo_times_close(&old);
	return rc;
}

TESTR_API void
testr_repo_writer_free(struct testr_repo_writer *w)
{
	if (!w)
		return;
	if (!w->committed)
		fileio_out_abort(&w->run);
	repo_scan_dispose(&w->scan);
	if (w->locked)
		repo_unlock(w->repo);
	free(w);
}

TESTR_API int
testr_repo_report_corrupt(const char *source, uint64_t offset,
			  const char *what, testr_event_fn fn, void *userdata)
{
	struct testr_event ev = { 0 };
	char *text = str_printf("%s: corrupt at byte %" PRIu64 ": %s",
				    source, offset, what);
	int rc;

	if (!text)
		return TESTR_ENOMEM;
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_FILE |
		    TESTR_EVENT_MIME_TYPE;
	ev.test_id = "subunit.parser";
	ev.file_name = "Parser Error";
	ev.mime_type = "text/plain;charset=utf8";
	ev.file_bytes = (const unsigned char *)text;
	ev.file_len = strlen(text);
	ev.eof = true;
	ev.runnable = true;
	rc = fn(userdata, &ev);
	if (rc == 0) {
		memset(&ev, 0, sizeof(ev));
		ev.fields = TESTR_EVENT_TEST_ID;
		ev.test_id = "subunit.parser";
		ev.status = TESTR_STATUS_FAIL;
		ev.runnable = true;
		rc = fn(userdata, &ev);
	}
	free(text);
	return rc;
}

TESTR_API void
testr_repo_writer_set_partial(struct testr_repo_writer *w, bool partial)
{
	if (w)
		w->partial = partial;
}

TESTR_API void
testr_repo_writer_set_interrupted(struct testr_repo_writer *w)
{
	if (w)
		w->interrupted = w->partial = true;
}
