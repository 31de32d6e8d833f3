/* The channel of pull mode: ids to a runner, one per line, as it goes. */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "feed.h"

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int
open_pipe(struct feed *f, struct testr_context *ctx)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return context_fail(ctx, TESTR_EIO, "cannot create the pull "
				    "pipe: %s", strerror(errno));
	f->child_fd = p[0];
	f->fd = p[1];
	/* testr never waits on a runner that is slow to read. */
	if (fcntl(f->fd, F_SETFL, O_NONBLOCK) < 0)
		return context_fail(ctx, TESTR_EIO, "cannot set up the pull "
				    "pipe: %s", strerror(errno));
	return TESTR_OK;
}

/*
 * A named pipe in a directory only this user can enter.  testr opens it
 * read-write: that open does not wait for a reader, and the bytes written
 * before the runner opens its end stay in the pipe for it.
 */
static int
open_fifo(struct feed *f, struct testr_context *ctx, const char *tmpdir)
{
	const char *env = getenv("TMPDIR");
	const char *base = tmpdir ? tmpdir : (env && *env) ? env : "/tmp";
	char q[160];

	f->dir = str_printf("%s/testr-pull-XXXXXX", base);
	if (!f->dir)
		return context_fail(ctx, TESTR_ENOMEM, "out of memory");
	if (!mkdtemp(f->dir)) {
		free(f->dir);
		f->dir = NULL;
		return context_fail(ctx, TESTR_EIO, "%s: cannot create a "
				    "directory for $IDPIPE: %s",
				    testr_quote(q, sizeof(q), base, strlen(base)),
				    strerror(errno));
	}
	f->path = str_printf("%s/ids", f->dir);
	if (!f->path)
		return context_fail(ctx, TESTR_ENOMEM, "out of memory");
	if (mkfifo(f->path, 0600) < 0 ||
	    (f->fd = open(f->path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		return context_fail(ctx, TESTR_EIO, "%s: cannot create "
				    "$IDPIPE: %s", testr_quote(q, sizeof(q),
				    f->path, strlen(f->path)), strerror(errno));
	return TESTR_OK;
}

int
feed_open(struct feed *f, struct testr_context *ctx, enum feed_kind kind,
	  const char *tmpdir)
{
	*f = (struct feed)FEED_INIT;
	f->kind = kind;
	return kind == FEED_FIFO ? open_fifo(f, ctx, tmpdir) : open_pipe(f, ctx);
}

void
feed_spawned(struct feed *f)
{
	close_fd(&f->child_fd);
}

/*
 * write(2) with SIGPIPE held off, for this thread only: a runner that has
 * gone must not kill the program testr runs in, whatever that program does
 * with SIGPIPE.  A SIGPIPE this write raised is taken back before the mask
 * is restored; one that was pending already is left alone.
 */
static ssize_t
write_quietly(int fd, const void *buf, size_t len)
{
	sigset_t pipe_only, old, pending;
	struct timespec zero = { 0, 0 };
	bool was_pending;
	ssize_t n;
	int err;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE) == 1;
	n = write(fd, buf, len);
	err = errno;
	if (n < 0 && err == EPIPE && !was_pending)
		while (sigtimedwait(&pipe_only, NULL, &zero) < 0 &&
		       errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return n;
}

static void
drop_pending(struct feed *f)
{
	f->pending.len = 0;
	if (f->closing)
		close_fd(&f->fd);
}

int
feed_flush(struct feed *f)
{
	size_t done = 0;

	while (f->fd >= 0 && done < f->pending.len) {
		ssize_t n = write_quietly(f->fd, f->pending.s + done,
					  f->pending.len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;		/* the rest at the next flush */
		if (n < 0) {		/* EPIPE: the runner has gone */
			f->broken = true;
			drop_pending(f);
			return TESTR_OK;
		}
		done += (size_t)n;
	}
	if (done > 0) {		/* nothing pending: no buffer yet */
		memmove(f->pending.s, f->pending.s + done,
			f->pending.len - done);
		f->pending.len -= done;
	}
	if (f->closing && f->pending.len == 0)
		close_fd(&f->fd);
	return TESTR_OK;
}

int
feed_write(struct feed *f, const char *id)
{
	if (f->fd < 0 || f->broken || f->closing)
		return TESTR_OK;
	if (strbuf_add(&f->pending, id) < 0 ||
	    strbuf_addc(&f->pending, '\n') < 0)
		return TESTR_ENOMEM;
	return feed_flush(f);
}

bool
feed_drained(const struct feed *f)
{
	return f->pending.len == 0 || f->broken || f->fd < 0;
}

void
feed_close(struct feed *f)
{
	f->closing = true;
	if (f->pending.len == 0 || f->broken)
		close_fd(&f->fd);
}

void
feed_dispose(struct feed *f)
{
	close_fd(&f->fd);
	close_fd(&f->child_fd);
	if (f->path)
		unlink(f->path);
	if (f->dir)
		rmdir(f->dir);
	free(f->path);
	free(f->dir);
	strbuf_dispose(&f->pending);
	*f = (struct feed)FEED_INIT;
}
