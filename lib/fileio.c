/* Crash-safe writes (temp file, fsync, rename), reads and the repository lock. */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "context.h"
#include "fileio.h"

#define OUT_BUF_SIZE (256u * 1024u)

/* The directory part of @path, malloc'd ("." when there is none). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static mode_t
current_umask(void)
{
	/* Reading the umask means setting it; put it straight back.  The
	 * window is only a problem for another thread creating files now. */
	mode_t m = umask(022);

	umask(m);
	return m;
}

int
fileio_fsync_dir(struct testr_context *ctx, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return context_fail(ctx, TESTR_EIO, "%s: %s", dir, strerror(errno));
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = context_fail(ctx, TESTR_EIO, "%s: fsync: %s", dir,
				strerror(errno));
	close(fd);
	return rc;
}

int
fileio_out_open(struct fileio_out *o, struct testr_context *ctx,
		const char *path)
{
	const char *base = strrchr(path, '/');
	char *dir = dir_of(path);
	int rc = TESTR_ENOMEM;

	memset(o, 0, sizeof(*o));
	o->ctx = ctx;
	o->fd = -1;
	base = base ? base + 1 : path;
	if (!dir)
		goto done;
	o->tmp_path = str_printf("%s/.tmp-%s-XXXXXX", dir, base);
	o->path = strdup(path);
	o->buf = malloc(OUT_BUF_SIZE);
	if (!o->tmp_path || !o->path || !o->buf)
		goto done;
	o->fd = mkostemp(o->tmp_path, O_CLOEXEC);
	if (o->fd < 0) {
		rc = context_fail(ctx, TESTR_EIO, "%s: %s", path, strerror(errno));
		goto done;
	}
	/* mkostemp makes 0600; give the file the mode open(2) would. */
	fchmod(o->fd, 0666 & ~current_umask());
	rc = 0;
done:
	free(dir);
	if (rc < 0) {
		free(o->tmp_path);
		o->tmp_path = NULL;	/* nothing was created */
		fileio_out_abort(o);
	}
	return rc;
}

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fold the buffered bytes not yet in the CRC into it. */
static void
crc_catch_up(struct fileio_out *o)
{
	if (o->crc_on && o->len > o->crc_from)
		o->crc = crc32_z(o->crc, o->buf + o->crc_from,
				 o->len - o->crc_from);
	o->crc_from = o->len;
}

static int
out_flush(struct fileio_out *o)
{
	crc_catch_up(o);
	if (o->len && write_all(o->fd, o->buf, o->len) < 0)
		return context_fail(o->ctx, TESTR_EIO, "%s: write: %s", o->path,
				  strerror(errno));
	o->len = 0;
	o->crc_from = 0;
	return 0;
}

void
fileio_out_crc_start(struct fileio_out *o)
{
	o->crc_on = true;
	o->crc = crc32_z(0, NULL, 0);
	o->crc_from = o->len;
}

uint32_t
fileio_out_crc(struct fileio_out *o)
{
	crc_catch_up(o);
	return (uint32_t)o->crc;
}

int
fileio_out_write(struct fileio_out *o, const void *buf, size_t len)
{
	int rc;

	if (o->len + len > OUT_BUF_SIZE) {
		rc = out_flush(o);
		if (rc < 0)
			return rc;
	}
	if (len >= OUT_BUF_SIZE) {
		if (o->crc_on)
			o->crc = crc32_z(o->crc, buf, len);
		if (write_all(o->fd, buf, len) < 0)
			return context_fail(o->ctx, TESTR_EIO, "%s: write: %s",
					  o->path, strerror(errno));
		return 0;
	}
	memcpy(o->buf + o->len, buf, len);
	o->len += len;
	return 0;
}

int
fileio_out_printf(struct fileio_out *o, const char *fmt, ...)
{
	char small[512];
	char *big = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return context_fail(o->ctx, TESTR_EIO, "%s: format error", o->path);
	if ((size_t)n < sizeof(small))
		return fileio_out_write(o, small, (size_t)n);
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TESTR_ENOMEM;
	rc = fileio_out_write(o, big, (size_t)n);
	free(big);
	return rc;
}

int
fileio_out_flush_header(struct fileio_out *o, char *scratch, size_t width,
			const char *fmt, ...)
{
	va_list ap;
	int n, rc = out_flush(o);

	if (rc < 0)
		return rc;
	va_start(ap, fmt);
	n = vsnprintf(scratch, width + 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= width)
		return context_fail(o->ctx, TESTR_EINVAL, "%s: header too long",
				  o->path);
	memset(scratch + n, ' ', width - (size_t)n - 1);
	scratch[width - 1] = '\n';
	if (pwrite(o->fd, scratch, width, 0) != (ssize_t)width)
		return context_fail(o->ctx, TESTR_EIO, "%s: write: %s", o->path,
				  strerror(errno));
	return 0;
}

/* Flush, fsync and close the temporary file (once). */
static int
out_finish(struct fileio_out *o)
{
	int rc;

	if (o->fd < 0)
		return 0;
	rc = out_flush(o);
	if (rc < 0)
		return rc;
	if (fsync(o->fd) < 0)
		return context_fail(o->ctx, TESTR_EIO, "%s: fsync: %s", o->path,
				  strerror(errno));
	rc = close(o->fd);
	o->fd = -1;
	if (rc < 0)
		return context_fail(o->ctx, TESTR_EIO, "%s: close: %s", o->path,
				  strerror(errno));
	return 0;
}

/* Hard links unsupported here: only a check, fine under the repository lock. */
static bool
no_links(int err)
{
	return err == EPERM || err == ENOTSUP || err == EOPNOTSUPP ||
	       err == ENOSYS || err == EMLINK;
}

int
fileio_out_commit_new(struct fileio_out *o, const char *path)
{
	struct stat st;
	char *dir = NULL;
	int rc = out_finish(o);

	if (rc < 0)
		goto fail;
	if (link(o->tmp_path, path) < 0 && (!no_links(errno) ||
	    lstat(path, &st) == 0 || rename(o->tmp_path, path) < 0)) {
		if (errno == EEXIST || no_links(errno))
			return TESTR_EEXISTS;	/* kept for another name */
		rc = context_fail(o->ctx, TESTR_EIO, "%s: link: %s", path,
				strerror(errno));
		goto fail;
	}
	dir = dir_of(path);
	rc = dir ? fileio_fsync_dir(o->ctx, dir) : TESTR_ENOMEM;
	free(dir);
fail:
	fileio_out_abort(o);	/* the temporary name goes (if still there) */
	return rc;
}

int
fileio_out_commit(struct fileio_out *o)
{
	char *dir = NULL;
	int rc = out_finish(o);

	if (rc < 0)
		goto done;
	if (rename(o->tmp_path, o->path) < 0) {
		rc = context_fail(o->ctx, TESTR_EIO, "%s: rename: %s", o->path,
				strerror(errno));
		goto done;
	}
	free(o->tmp_path);
	o->tmp_path = NULL;
	context_log(o->ctx, TESTR_LOG_DEBUG, "write: %s", o->path);
	dir = dir_of(o->path);
	rc = dir ? fileio_fsync_dir(o->ctx, dir) : TESTR_ENOMEM;
done:
	free(dir);
	fileio_out_abort(o);
	return rc;
}

void
fileio_out_abort(struct fileio_out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp_path)
		unlink(o->tmp_path);
	free(o->tmp_path);
	free(o->path);
	free(o->buf);
	o->tmp_path = o->path = NULL;
	o->buf = NULL;
	o->len = 0;
}

int
fileio_write_file(struct testr_context *ctx, const char *path,
		  const void *data, size_t len)
{
	struct fileio_out o;
	int rc = fileio_out_open(&o, ctx, path);

	if (rc < 0)
		return rc;
	rc = fileio_out_write(&o, data, len);
	if (rc < 0) {
		fileio_out_abort(&o);
		return rc;
	}
	return fileio_out_commit(&o);
}

static int
open_read(struct testr_context *ctx, const char *path, int *out)
{
	*out = open(path, O_RDONLY | O_CLOEXEC);
	if (*out >= 0) {
		context_log(ctx, TESTR_LOG_DEBUG, "read: %s", path);
		return 0;
	}
	if (errno == ENOENT)
		return TESTR_ENOTFOUND;
	return context_fail(ctx, TESTR_EIO, "%s: %s", path, strerror(errno));
}

/* Chunks of this size bound the memory a streamed file costs. */
#define STREAM_CHUNK (256u * 1024u)

static int
open_input(struct testr_context *ctx, const char *path, int *out)
{
	if (strcmp(path, "-") == 0) {
		*out = STDIN_FILENO;
		return TESTR_OK;
	}
	*out = open(path, O_RDONLY | O_CLOEXEC);
	if (*out < 0)
		return context_fail(ctx, errno == ENOENT ? TESTR_ENOTFOUND
						       : TESTR_EIO,
				  "%s: %s", path, strerror(errno));
	context_log(ctx, TESTR_LOG_DEBUG, "read: %s", path);
	return TESTR_OK;
}

static int
stream_fd(struct testr_context *ctx, const char *path, int fd,
	  unsigned char *buf, fileio_chunk_fn fn, void *userdata)
{
	for (;;) {
		ssize_t n = read(fd, buf, STREAM_CHUNK);
		int rc;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return context_fail(ctx, TESTR_EIO, "%s: %s", path,
					  strerror(errno));
		rc = fn(userdata, buf, (size_t)n);
		if (rc != 0 || n == 0)
			return rc;
	}
}

int
fileio_stream_file(struct testr_context *ctx, const char *path,
		   fileio_chunk_fn fn, void *userdata)
{
	unsigned char *buf = NULL;
	int fd = -1;
	int rc = open_input(ctx, path, &fd);

	if (rc < 0)
		goto done;
	buf = malloc(STREAM_CHUNK);
	rc = buf ? stream_fd(ctx, path, fd, buf, fn, userdata)
		 : context_fail(ctx, TESTR_ENOMEM, "%s: out of memory", path);
done:
	if (fd > STDIN_FILENO)
		close(fd);
	free(buf);
	return rc;
}

int
fileio_read_file(char **out, size_t *out_len, struct testr_context *ctx,
		 const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = NULL;
	int fd, rc = open_read(ctx, path, &fd);

	*out = NULL;
	if (rc < 0)
		return rc;
	for (;;) {
		ssize_t n;

		if (!buf || len + 1 >= cap) {	/* room for one more byte and NUL */
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				rc = TESTR_ENOMEM;
				goto done;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = context_fail(ctx, TESTR_EIO, "%s: read: %s", path,
					strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	buf = NULL;
	if (out_len)
		*out_len = len;
done:
	free(buf);
	close(fd);
	return rc;
}

/*
 * Small files are read, not mapped: a reader of many small files (history
 * over 10,000 per-run indexes) would otherwise spend most of its time in
 * mmap and munmap.
 */
#define MAP_READ_MAX (64 * 1024)

static int
read_small(struct fileio_map *out, struct testr_context *ctx,
	   const char *path, int fd, size_t len)
{
	unsigned char *buf = malloc(len);
	size_t got = 0;

	if (!buf)
		return TESTR_ENOMEM;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {	/* shrank under us: keep what is there */
			if (n < 0) {
				free(buf);
				return context_fail(ctx, TESTR_EIO, "%s: read: %s",
						  path, strerror(errno));
			}
			break;
		}
		got += (size_t)n;
	}
	if (got == 0)
		free(buf);
	out->data = got ? buf : NULL;
	out->len = got;
	return 0;
}

int
fileio_map_file(struct fileio_map *out, struct testr_context *ctx,
		const char *path)
{
	struct stat st;
	void *p;
	int fd, rc = open_read(ctx, path, &fd);

	out->data = NULL;
	out->len = 0;
	out->mapped = false;
	if (rc < 0)
		return rc;
	if (fstat(fd, &st) < 0) {
		rc = context_fail(ctx, TESTR_EIO, "%s: %s", path, strerror(errno));
		goto done;
	}
	out->ident = (struct fileio_ident){ (uint64_t)st.st_dev,
		(uint64_t)st.st_ino, (uint64_t)st.st_size,
		(int64_t)st.st_mtim.tv_sec, (int64_t)st.st_mtim.tv_nsec };
	if (st.st_size == 0)
		goto done;
	if (st.st_size <= MAP_READ_MAX) {
		rc = read_small(out, ctx, path, fd, (size_t)st.st_size);
		goto done;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		rc = context_fail(ctx, TESTR_EIO, "%s: mmap: %s", path,
				strerror(errno));
		goto done;
	}
	out->data = p;
	out->len = (size_t)st.st_size;
	out->mapped = true;
done:
	close(fd);
	return rc;
}

bool
fileio_same_ident(const struct fileio_ident *a, const struct fileio_ident *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec;
}

void
fileio_unmap(struct fileio_map *m)
{
	if (m->data && m->mapped)
		munmap((void *)m->data, m->len);
	else
		free((void *)m->data);
	m->data = NULL;
	m->len = 0;
	m->mapped = false;
}

/* How often a waiter looks at the lock (and the interrupt flag). */
static const struct timespec lock_tick = { 0, 50 * 1000 * 1000 };

int
fileio_lock(int *out, struct testr_context *ctx, const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	*out = -1;
	if (fd < 0)
		return context_fail(ctx, TESTR_EIO, "%s: %s", path, strerror(errno));
	/* flock, not fcntl: the lock belongs to this descriptor, so closing
	 * some other descriptor of the file cannot drop it by accident.
	 * Polled, so that an interrupt ends the wait whatever SA_RESTART. */
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;

		if (context_interrupted(ctx)) {
			close(fd);
			return context_fail(ctx, TESTR_EINTR, "interrupted while "
					  "waiting for the lock %s", path);
		}
		if (err == EWOULDBLOCK || err == EINTR) {
			nanosleep(&lock_tick, NULL);
			continue;
		}
		close(fd);
		return context_fail(ctx, TESTR_ELOCKED, "%s: lock: %s", path,
				  strerror(err));
	}
	*out = fd;
	return 0;
}

void
fileio_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* closing the descriptor releases the flock */
}

int
fileio_write_all(int fd, const void *buf, size_t len)
{
	return write_all(fd, buf, len);
}
