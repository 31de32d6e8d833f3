/*
 * libFuzzer target for the ingest path: a worker's bytes through
 * testr_ingest (protocol and worker number from the first byte, chunk sizes
 * from the input) into a repository writer in a temporary repository, and
 * a display sink.  Whatever the bytes:
 *
 * - the store and the display see the same events, each tagged with its
 *   worker exactly once and routed under it;
 * - the run commits, reads back without damage, event for event, and the
 *   stored counts equal a tally of what was delivered;
 * - a stream reported corrupt stores a failure, so it cannot look green.
 *
 *     CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined
 *     build-fuzz/tests/fuzz/fuzz_ingest CORPUS_DIR tests/fuzz/corpus-ingest
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fresh repository every so many runs, so it does not grow forever. */
#define RUNS_PER_REPO 64

struct sinks {
	struct testr_repo_writer *writer;
	struct testr_tally *tally;	/* of what was delivered */
	char tag[32];
	size_t worker;
	uint64_t stored, shown, read_back;
};

static struct testr_context *ctx;
static struct testr_repo *repo;
static char *repo_dir;
static unsigned runs;

static void
drop_repo(void)
{
	testr_repo_free(repo);
	repo = NULL;
	if (repo_dir)
		fuzz_rmtree(repo_dir);
	free(repo_dir);
	repo_dir = NULL;
}

static void
at_exit(void)
{
	drop_repo();
	testr_context_free(ctx);
}

static void
fresh_repo(void)
{
	if (!ctx) {
		if (testr_context_new(&ctx) != 0)
			abort();
		atexit(at_exit);
	}
	drop_repo();
	repo_dir = fuzz_tmpdir();
	if (testr_repo_init(&repo, ctx, repo_dir) != 0)
		abort();
}

/* The one tag and route rule, checked on every delivered event. */
static void
check_tagged(const struct sinks *s, const struct testr_event *ev)
{
	size_t n = 0, len = strlen(s->tag + 7);

	for (size_t i = 0; i < ev->n_tags; i++)
		n += strcmp(ev->tags[i], s->tag) == 0;
	if (n != 1 || !(ev->fields & TESTR_EVENT_ROUTE_CODE) ||
	    strncmp(ev->route_code, s->tag + 7, len) != 0 ||
	    (ev->route_code[len] != '\0' && ev->route_code[len] != '/'))
		abort();
}

static int
on_store(void *userdata, const struct testr_event *ev)
{
	struct sinks *s = userdata;

	check_tagged(s, ev);
	s->stored++;
	if (testr_tally_event_fn(s->tally, ev) != 0)
		abort();
	return testr_repo_writer_add(s->writer, ev);
}

static int
on_display(void *userdata, const struct testr_event *ev)
{
	struct sinks *s = userdata;

	check_tagged(s, ev);
	s->shown++;
	return 0;
}

static int
on_read_back(void *userdata, const struct testr_event *ev)
{
	struct sinks *s = userdata;

	(void)ev;
	s->read_back++;
	return 0;
}

/* Feed @p in chunks whose sizes come from the input itself. */
static int
feed(struct testr_ingest *ing, const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = 1 + (size_t)p[i] * 7 % 97;
		int rc;

		n = n < len - i ? n : len - i;
		rc = testr_ingest_feed(ing, p + i, n);
		if (rc != 0)
			return rc;
		i += n;
	}
	return testr_ingest_finish(ing);
}

static int
ingest(struct sinks *s, const uint8_t *data, size_t size)
{
	struct testr_ingest_options o = TESTR_INGEST_OPTIONS_INIT;
	struct testr_ingest *ing = NULL;
	int rc;

	o.protocol = (enum testr_ingest_protocol)(size ? data[0] % 4 : 0);
	o.worker = s->worker;
	o.on_store = on_store;
	o.store_userdata = s;
	o.on_event = on_display;
	o.event_userdata = s;
	if (testr_ingest_new(&ing, ctx, &o) != 0)
		abort();
	rc = feed(ing, data + (size > 0), size - (size > 0));
	if (rc == 0 && testr_ingest_corrupt_count(ing) > 0) {
		struct testr_run_summary sum;

		testr_tally_result(&sum, s->tally);
		if (sum.failures == 0)
			abort();	/* corrupt input must never be green */
	}
	testr_ingest_free(ing);
	return rc;
}

/* The stored run reads back whole and counts what was delivered. */
static void
check_stored(struct sinks *s, uint64_t id)
{
	struct testr_run_summary stored, tallied;

	if (testr_repo_read_run(repo, id, on_read_back, s) != 0 ||
	    s->read_back != s->stored)
		abort();
	if (testr_repo_run_summary(&stored, repo, id) != 0)
		abort();
	testr_tally_result(&tallied, s->tally);
	if (stored.tests_run != tallied.tests_run ||
	    stored.failures != tallied.failures ||
	    stored.skips != tallied.skips)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sinks s = { 0 };
	uint64_t id;
	int rc;

	if (!repo || runs++ % RUNS_PER_REPO == 0)
		fresh_repo();
	s.worker = size ? data[0] / 4 % 5 : 0;
	snprintf(s.tag, sizeof(s.tag), "worker-%zu", s.worker);
	if (testr_tally_new(&s.tally) != 0 ||
	    testr_repo_writer_new(&s.writer, repo, NULL) != 0)
		abort();
	rc = ingest(&s, data, size);
	if (rc != 0 && rc != TESTR_EINVAL)	/* an event too odd to store */
		abort();
	if (s.stored != s.shown && rc == 0)
		abort();
	if (rc == 0) {
		if (testr_repo_writer_commit(&id, s.writer) != 0)
			abort();
		check_stored(&s, id);
	}
	testr_repo_writer_free(s.writer);
	testr_tally_free(s.tally);
	testr_context_clear_error(ctx);
	return 0;
}
