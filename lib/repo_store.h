/*
 * Private: the repository directory and its plain files (the lowest layer
 * of lib/repo.h): the handle, file names, counters, the lock, the list of
 * stored runs, reading a stored stream, and the escaping of line files.
 */
#ifndef TESTR_LIB_REPO_STORE_H
#define TESTR_LIB_REPO_STORE_H

#include <stdio.h>

#include <testr/repo.h>

#include "fileio.h"

/* Our format marker; testrepository 0.0.20 insists on exactly "1\n". */
#define REPO_FORMAT "libtestr-1\n"
#define REPO_FORMAT_LEGACY "1\n"

struct testr_repo {
	struct testr_context *ctx;
	char *path;		/* .../.testrepository */
	bool legacy;		/* testrepository format 1 */
	unsigned locks_held;	/* holders of the lock through this handle */
	int lock_fd;		/* the lock's descriptor while held */
	/* The "times" whose checksum this handle last verified: a run opens
	 * it three times (repair, estimates, commit), 1.7 MB for 20,000
	 * tests; the same file unchanged is not checked again. */
	struct fileio_ident times_checked;
	bool times_checked_set;
};

/* "<repo>/<name>", malloc'd; NULL when out of memory. */
char *repo_file(const struct testr_repo *repo, const char *name);

/* "<repo>/<run id><suffix>", malloc'd. */
char *repo_run_file(const struct testr_repo *repo, uint64_t id,
		    const char *suffix);

/* Parse a "N\n" counter file; TESTR_ENOTFOUND when absent. */
int repo_read_counter(uint64_t *out, struct testr_repo *repo, const char *name);

/* Atomically write "N\n" to a counter file. */
int repo_write_counter(struct testr_repo *repo, const char *name, uint64_t v);

/*
 * The run counter: "next-stream", the id the next run gets.  When a run file
 * with that id or a higher one exists (the counter was edited back, maybe
 * into a gap left by pruning, or a writer died between publishing its run
 * and the counter), it is past the highest run file instead, so no stored
 * run is ever taken for a free id and a new run is always the latest.
 */
int repo_count(uint64_t *out, struct testr_repo *repo);

/* Ids of the run files that exist, ascending (work follows the files). */
struct repo_runs {
	uint64_t *ids;
	size_t n;
};

/* The runs with ids in [@from, @to).  0, TESTR_EIO or TESTR_ENOMEM. */
int repo_runs_list(struct repo_runs *out, struct testr_repo *repo,
		   uint64_t from, uint64_t to);
void repo_runs_dispose(struct repo_runs *runs);

/* Does run file @id exist?  (One stat.) */
bool repo_run_exists(struct testr_repo *repo, uint64_t id);

/*
 * Take the repository lock (waiting for its holder); nested takes through
 * one handle just count.  0, TESTR_EIO, TESTR_ELOCKED or TESTR_ENOMEM.
 */
int repo_lock(struct testr_repo *repo);
void repo_unlock(struct testr_repo *repo);

/* Decode the stream in file @path (v1 or v2) to @fn. */
int repo_decode_file(struct testr_repo *repo, const char *path,
		     testr_event_fn fn, void *userdata);
/* The same, each chunk of the file shown to @watch before it is decoded
 * (a last call with length 0 at its end). */
int repo_decode_file_watched(struct testr_repo *repo, const char *path,
			     testr_event_fn fn, void *userdata,
			     fileio_chunk_fn watch, void *watch_ud);

/* "%.6f" of @seconds into @buf (room for 40); returns the length. */
size_t repo_format_seconds(char *buf, double seconds);

/* id escaping for line-based files: \\ \n \t */
bool repo_needs_escape(const char *id, size_t len);
size_t repo_escape(char *out, const char *id, size_t len);
size_t repo_unescape(char *out, const char *esc, size_t len);

#endif
