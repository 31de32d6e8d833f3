/*
 * Private: the channel of pull mode (test_feed), through which testr hands
 * a runner its test ids one per line as it completes them: a pipe on the
 * runner's stdin, or a named pipe ($IDPIPE) in a private directory.
 *
 * Writes never block and never raise SIGPIPE: what the pipe cannot take
 * yet waits in the feed until the next feed_flush(); a runner that has
 * gone (EPIPE) marks the feed broken, and the rest is dropped (its ids
 * are accounted for by the run, as any dead runner's).
 */
#ifndef TESTR_LIB_FEED_H
#define TESTR_LIB_FEED_H

#include <stdbool.h>

#include <testr/common.h>

#include "strbuf.h"

enum feed_kind {
	FEED_STDIN,	/* the runner's stdin */
	FEED_FIFO,	/* a named pipe, its path in $IDPIPE */
};

struct feed {
	enum feed_kind kind;
	int fd;			/* testr's end, or -1 once closed */
	int child_fd;		/* FEED_STDIN: the runner's stdin, until spawned */
	char *dir;		/* FEED_FIFO: the mkdtemp directory... */
	char *path;		/* ...and the named pipe in it */
	struct strbuf pending;	/* written, not yet taken by the pipe */
	bool broken;		/* the runner closed its end */
	bool closing;		/* close once the pending bytes are out */
};

#define FEED_INIT { FEED_STDIN, -1, -1, NULL, NULL, STRBUF_INIT, false, false }

/*
 * Open a feed of @kind: a pipe (both ends close-on-exec), or a named pipe
 * in a fresh directory under @tmpdir (NULL: $TMPDIR, else /tmp), held open
 * read-write by testr so that writing never waits for the runner to open
 * it.  Returns 0, or TESTR_EIO with the message on @ctx.  The feed is
 * always safe to pass to feed_dispose().
 */
int feed_open(struct feed *f, struct testr_context *ctx, enum feed_kind kind,
	      const char *tmpdir);

/* The runner has its stdin (FEED_STDIN): testr's copy of it is closed. */
void feed_spawned(struct feed *f);

/*
 * Queue @id and a newline, and write what the pipe takes.  Returns 0 (also
 * when the runner has gone: f->broken), or TESTR_ENOMEM.
 */
int feed_write(struct feed *f, const char *id);

/* Write what is pending; 0, or TESTR_ENOMEM (never for a closed feed). */
int feed_flush(struct feed *f);

/* Is nothing left to write (or nobody left to read it)? */
bool feed_drained(const struct feed *f);

/*
 * End of input for the runner: testr's end is closed once every pending
 * byte is written (at once when none is), so the runner reads what it was
 * given, then end of file.
 */
void feed_close(struct feed *f);

/* Close everything, remove the named pipe and its directory. */
void feed_dispose(struct feed *f);

#endif
