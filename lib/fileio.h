/* Private: crash-safe file writing, small-file reading and the repository lock. */
#ifndef TESTR_LIB_FILEIO_H
#define TESTR_LIB_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <testr/common.h>

/*
 * A file being written atomically: bytes go to a temporary file made with
 * mkostemp in the destination's directory; commit flushes, fsyncs, renames
 * it over the destination and fsyncs the directory, so a reader sees the old
 * file or the whole new one, never a mixture, even after a crash.
 */
struct fileio_out {
	struct testr_context *ctx;
	int fd;
	char *tmp_path;
	char *path;
	unsigned char *buf;
	size_t len;
	bool crc_on;		/* keeping a CRC-32 (fileio_out_crc_start) */
	unsigned long crc;	/* of what was written up to buf + crc_from */
	size_t crc_from;
};

/* Start writing @path (temporary "<dir>/.tmp-<name>-XXXXXX"). 0 or TESTR_EIO/ENOMEM. */
int fileio_out_open(struct fileio_out *out, struct testr_context *ctx,
		    const char *path);

/* Append @len bytes.  0 or TESTR_EIO. */
int fileio_out_write(struct fileio_out *o, const void *buf, size_t len);

/* Keep the CRC-32 (zlib's) of everything appended from now on: computed
 * over whole buffers, where a CRC per small write costs zlib's set-up each
 * time. */
void fileio_out_crc_start(struct fileio_out *o);

/* The CRC-32 of what was appended since fileio_out_crc_start(). */
uint32_t fileio_out_crc(struct fileio_out *o);

/* printf-style append.  0, TESTR_EIO or TESTR_ENOMEM. */
int fileio_out_printf(struct fileio_out *o, const char *fmt, ...)
	TESTR_PRINTF(2, 3);

/*
 * Overwrite the first @width bytes written (reserved earlier) with a line
 * formatted from @fmt, padded with spaces and ending in '\n'.  @scratch has
 * room for @width + 1 bytes.  0, TESTR_EINVAL (too long) or TESTR_EIO.
 */
int fileio_out_flush_header(struct fileio_out *o, char *scratch, size_t width,
			    const char *fmt, ...) TESTR_PRINTF(4, 5);

/* Flush, fsync, rename over the destination, fsync the directory. */
int fileio_out_commit(struct fileio_out *o);

/*
 * Like fileio_out_commit(), but to @path and never over an existing file:
 * the file is hard-linked into place, so creating it is exclusive and
 * atomic.  TESTR_EEXISTS (no message) when @path exists: the data is kept
 * and the caller may try another name or abort.  The file is flushed and
 * synced on the first call.
 */
int fileio_out_commit_new(struct fileio_out *o, const char *path);

/* Drop an uncommitted file (temporary removed).  Safe after commit too. */
void fileio_out_abort(struct fileio_out *o);

/* Write @len bytes as the whole of @path, atomically. */
int fileio_write_file(struct testr_context *ctx, const char *path,
		      const void *data, size_t len);

/*
 * Read a whole (small) file into a NUL-terminated malloc'd buffer.  Returns
 * 0, TESTR_ENOTFOUND (absent; no message set), TESTR_EIO or TESTR_ENOMEM.
 */
int fileio_read_file(char **out, size_t *out_len, struct testr_context *ctx,
		     const char *path);

/*
 * Receives a file's bytes in chunks, then once with @len 0 at its end.
 * Return 0 to go on; anything else stops the reading and is returned.
 */
typedef int (*fileio_chunk_fn)(void *userdata, const void *buf, size_t len);

/*
 * Stream the file at @path ("-": standard input) to @fn, as it is read, in
 * chunks of bounded size.  Returns 0, TESTR_ENOTFOUND or TESTR_EIO (message
 * naming @path), TESTR_ENOMEM, or what @fn returned.
 */
int fileio_stream_file(struct testr_context *ctx, const char *path,
		       fileio_chunk_fn fn, void *userdata);

/* A whole file read-only: mapped, or read when small (len 0: data NULL). */
/* Which file a mapping holds: a file we replace by rename gets a new
 * inode, one edited in place a new size or modification time. */
struct fileio_ident {
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec;
};

struct fileio_map {
	const unsigned char *data;
	size_t len;
	bool mapped;		/* else data is malloc'd */
	struct fileio_ident ident;	/* of the file when it was read */
};

/* Do @a and @b name the same unchanged file? */
bool fileio_same_ident(const struct fileio_ident *a,
		       const struct fileio_ident *b);

/* Map @path.  0, TESTR_ENOTFOUND (no message), TESTR_EIO. */
int fileio_map_file(struct fileio_map *out, struct testr_context *ctx,
		    const char *path);

void fileio_unmap(struct fileio_map *m);

/*
 * Take an exclusive lock on @path (created if needed), waiting for the
 * holder to release it (TESTR_EINTR once the context is interrupted).
 * *out is the descriptor to pass to fileio_unlock().
 */
int fileio_lock(int *out, struct testr_context *ctx, const char *path);

/* Release a lock taken by fileio_lock(); -1 is a no-op. */
void fileio_unlock(int fd);

/* fsync the directory @dir so a rename or creation in it is durable. */
int fileio_fsync_dir(struct testr_context *ctx, const char *dir);

/* write() all @len bytes at @buf to @fd, retrying on EINTR.  0 or -1 (errno). */
int fileio_write_all(int fd, const void *buf, size_t len);

#endif
