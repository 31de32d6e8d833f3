/*
 * The repository directory and its plain files: names, counters, the lock,
 * the list of stored runs, reading a stored stream, line-file escaping.
 */
#include "config-build.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"
#include "context.h"
#include "repo_store.h"

char *
repo_file(const struct testr_repo *repo, const char *name)
{
	return str_printf("%s/%s", repo->path, name);
}

char *
repo_run_file(const struct testr_repo *repo, uint64_t id, const char *suffix)
{
	return str_printf("%s/%" PRIu64 "%s", repo->path, id, suffix);
}

int
repo_read_counter(uint64_t *out, struct testr_repo *repo, const char *name)
{
	char *path = repo_file(repo, name), *text = NULL, *end;
	char shown[64];
	int rc;

	if (!path)
		return TESTR_ENOMEM;
	rc = fileio_read_file(&text, NULL, repo->ctx, path);
	if (rc < 0)
		goto done;
	errno = 0;
	*out = strtoull(text, &end, 10);
	if (errno || end == text || (*end && strcmp(end, "\n") != 0) ||
	    text[0] == '-')
		rc = context_fail(repo->ctx, TESTR_ECORRUPT,
				"%s:1: not a run counter: %s", path,
				testr_quote(shown, sizeof(shown), text,
					    strlen(text)));
done:
	free(text);
	free(path);
	return rc;
}

int
repo_write_counter(struct testr_repo *repo, const char *name, uint64_t v)
{
	char buf[32], *path = repo_file(repo, name);
	int rc, n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", v);

	if (!path)
		return TESTR_ENOMEM;
	rc = fileio_write_file(repo->ctx, path, buf, (size_t)n);
	free(path);
	return rc;
}

bool
repo_run_exists(struct testr_repo *repo, uint64_t id)
{
	struct stat st;
	char *path = repo_run_file(repo, id, "");
	bool exists = path && lstat(path, &st) == 0;

	free(path);
	return exists;
}

/* A run file's name: a decimal number without leading zeros. */
static bool
run_name(const char *name, uint64_t *out)
{
	char *end;

	if (name[0] < '0' || name[0] > '9' || (name[0] == '0' && name[1]))
		return false;
	errno = 0;
	*out = strtoull(name, &end, 10);
	return !*end && errno == 0;
}

static int
by_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
runs_add(struct repo_runs *r, size_t *cap, uint64_t id)
{
	if (array_reserve(&r->ids, cap, r->n + 1, sizeof(*r->ids), 64))
		return TESTR_ENOMEM;
	r->ids[r->n++] = id;
	return 0;
}

int
repo_runs_list(struct repo_runs *out, struct testr_repo *repo, uint64_t from,
	       uint64_t to)
{
	DIR *d = opendir(repo->path);
	struct dirent *e;
	size_t cap = 0;
	uint64_t id;
	int rc = 0;

	out->ids = NULL;
	out->n = 0;
	if (!d)
		return context_fail(repo->ctx, TESTR_EIO, "%s: %s", repo->path,
				  strerror(errno));
	while (rc == 0 && (e = readdir(d)) != NULL)
		if (run_name(e->d_name, &id) && id >= from && id < to)
			rc = runs_add(out, &cap, id);
	closedir(d);
	if (rc < 0)
		repo_runs_dispose(out);
	else if (out->n)	/* qsort wants a non-NULL array, even empty */
		qsort(out->ids, out->n, sizeof(*out->ids), by_id);
	return rc;
}

void
repo_runs_dispose(struct repo_runs *runs)
{
	free(runs->ids);
	runs->ids = NULL;
	runs->n = 0;
}

/*
 * Can next-stream be taken as it is?  Run @n must not exist, and run @n-1
 * should: otherwise the counter was edited back (or a writer died between
 * its run and the counter), maybe into a gap left by pruned runs.  Two
 * stats; only a suspect counter costs a listing of the directory.
 */
static bool
counter_plausible(struct testr_repo *repo, uint64_t n)
{
	return !repo_run_exists(repo, n) &&
	       (n == 0 || repo_run_exists(repo, n - 1));
}

int
repo_count(uint64_t *out, struct testr_repo *repo)
{
	struct repo_runs runs;
	uint64_t n;
	int rc = repo_read_counter(&n, repo, "next-stream");

	if (rc == TESTR_ENOTFOUND)
		return context_fail(repo->ctx, TESTR_EIO, "%s/next-stream: missing",
				  repo->path);
	*out = n;
	if (rc < 0 || counter_plausible(repo, n))
		return rc;
	/* Behind a stored run: past the highest one, never onto it. */
	rc = repo_runs_list(&runs, repo, n, UINT64_MAX);
	if (rc == 0 && runs.n) {
		*out = runs.ids[runs.n - 1] + 1;
		context_log(repo->ctx, TESTR_LOG_DEBUG, "%s/next-stream says %"
			  PRIu64 " but run %" PRIu64 " exists: counting %"
			  PRIu64, repo->path, n, runs.ids[0], *out);
	}
	repo_runs_dispose(&runs);
	return rc;
}

int
repo_lock(struct testr_repo *repo)
{
	char *path;
	int rc;

	/* Held through this handle already (flock would wait for ourselves). */
	if (repo->locks_held) {
		repo->locks_held++;
		return 0;
	}
	path = repo_file(repo, "lock");
	rc = path ? fileio_lock(&repo->lock_fd, repo->ctx, path) : TESTR_ENOMEM;
	if (rc == 0)
		repo->locks_held = 1;
	free(path);
	return rc;
}

void
repo_unlock(struct testr_repo *repo)
{
	if (!repo->locks_held || --repo->locks_held)
		return;
	fileio_unlock(repo->lock_fd);
	repo->lock_fd = -1;
}

struct decode_state {
	testr_event_fn fn;
	void *userdata;
	uint64_t n_corrupt, offset;	/* the first corruption */
	char what[128];
};

static int
forward_event(void *userdata, const struct testr_event *ev)
{
	struct decode_state *st = userdata;

	return st->fn(st->userdata, ev);
}

static void
note_corrupt(void *userdata, uint64_t offset, const char *what)
{
	struct decode_state *st = userdata;

	if (st->n_corrupt++ == 0) {
		st->offset = offset;
		snprintf(st->what, sizeof(st->what), "%s", what);
	}
}

/* The file's chunks on their way to the decoder, shown to @watch first. */
struct decode_feed {
	struct testr_subunit_decoder *dec;
	fileio_chunk_fn watch;
	void *watch_ud;
};

static int
feed_chunk(void *userdata, const void *buf, size_t len)
{
	struct decode_feed *f = userdata;
	int rc = f->watch ? f->watch(f->watch_ud, buf, len) : 0;

	if (rc != 0)
		return rc;
	return len ? testr_subunit_decoder_feed(f->dec, buf, len)
		   : testr_subunit_decoder_finish(f->dec);
}

int
repo_decode_file(struct testr_repo *repo, const char *path, testr_event_fn fn,
		 void *userdata)
{
	return repo_decode_file_watched(repo, path, fn, userdata, NULL, NULL);
}

int
repo_decode_file_watched(struct testr_repo *repo, const char *path,
			 testr_event_fn fn, void *userdata,
			 fileio_chunk_fn watch, void *watch_ud)
{
	struct testr_subunit_decoder_options opts =
		TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct decode_state st = { fn, userdata, 0, 0, "" };
	struct decode_feed feed = { NULL, watch, watch_ud };
	int rc;

	opts.on_event = forward_event;
	opts.on_corrupt = note_corrupt;
	opts.userdata = &st;
	rc = testr_subunit_decoder_new(&feed.dec, repo->ctx, &opts);
	if (rc == 0)
		rc = fileio_stream_file(repo->ctx, path, feed_chunk, &feed);
	testr_subunit_decoder_free(feed.dec);
	if (rc == TESTR_ENOTFOUND)	/* the decoder says so without a stat */
		return context_fail(repo->ctx, rc, "%s: no such run", path);
	if (rc == 0 && st.n_corrupt)
		rc = context_fail(repo->ctx, TESTR_ECORRUPT,
				"%s: corrupt at byte %" PRIu64 ": %s", path,
				st.offset, st.what);
	return rc;
}

size_t
repo_format_seconds(char *buf, double seconds)
{
	/* "%.6f", without printf's cost on a million lines: the whole
	 * seconds, then the microseconds as six digits two at a time. */
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";
	double x = seconds * 1e6;
	long long us = (long long)(x < 0 ? x - 0.5 : x + 0.5);
	bool neg = us < 0;
	unsigned long long u = neg ? 0ULL - (unsigned long long)us :
				     (unsigned long long)us;
	unsigned long long whole = u / 1000000;
	unsigned frac = (unsigned)(u % 1000000);
	char tmp[24];
	size_t n = sizeof(tmp), o = 0;

	do
		tmp[--n] = (char)('0' + whole % 10);
	while ((whole /= 10) != 0);
	if (neg)
		buf[o++] = '-';
	memcpy(buf + o, tmp + n, sizeof(tmp) - n);
	o += sizeof(tmp) - n;
	buf[o] = '.';
	memcpy(buf + o + 1, pairs + 2 * (frac / 10000), 2);
	memcpy(buf + o + 3, pairs + 2 * (frac / 100 % 100), 2);
	memcpy(buf + o + 5, pairs + 2 * (frac % 100), 2);
	o += 7;
	buf[o] = '\0';
	return o;
}

bool
repo_needs_escape(const char *id, size_t len)
{
	/* ids are NUL-terminated: one strcspn scan instead of three memchr */
	return strcspn(id, "\\\n\t") < len;
}

size_t
repo_escape(char *out, const char *id, size_t len)
{
	size_t o = 0;

	if (!repo_needs_escape(id, len)) {
		memcpy(out, id, len);
		return len;
	}
	for (size_t i = 0; i < len; i++) {
		char c = id[i];

		if (c == '\\' || c == '\n' || c == '\t') {
			out[o++] = '\\';
			c = c == '\n' ? 'n' : c == '\t' ? 't' : '\\';
		}
		out[o++] = c;
	}
	return o;
}

size_t
repo_unescape(char *out, const char *esc, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = esc[i];

		if (c == '\\' && i + 1 < len) {
			c = esc[++i];
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		out[o++] = c;
	}
	return o;
}
