/* Unit tests for lib/feed.c: the pull-mode channel to a runner. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <testr/testr.h>

#include "../lib/feed.h"
#include "harness.h"

const char harness_module[] = "feed";

/* Everything readable on @fd now, NUL-terminated into @buf. */
static size_t
drain(int fd, char *buf, size_t size)
{
	size_t have = 0;
	ssize_t n;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (have + 1 < size &&
	       (n = read(fd, buf + have, size - 1 - have)) > 0)
		have += (size_t)n;
	buf[have] = '\0';
	return have;
}

START_TEST(feed_writes_one_id_a_line_byte_for_byte)
{
	struct testr_context *ctx;
	struct feed f;
	char got[256];

	testr_context_new(&ctx);
	ck_assert_int_eq(feed_open(&f, ctx, FEED_STDIN, NULL), 0);
	ck_assert_int_eq(feed_write(&f, "a b"), 0);
	ck_assert_int_eq(feed_write(&f, "$(x) 'q' \\"), 0);
	feed_close(&f);
	ck_assert_int_eq(f.fd, -1);	/* nothing pending: closed at once */
	drain(f.child_fd, got, sizeof(got));
	ck_assert_str_eq(got, "a b\n$(x) 'q' \\\n");
	feed_dispose(&f);
	testr_context_free(ctx);
}
END_TEST

START_TEST(feed_survives_a_runner_that_has_gone)
{
	struct testr_context *ctx;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	struct feed f;

	/* With SIGPIPE's default action a raised one would kill this test. */
	sigaction(SIGPIPE, &dfl, &old);
	testr_context_new(&ctx);
	ck_assert_int_eq(feed_open(&f, ctx, FEED_STDIN, NULL), 0);
	feed_spawned(&f);	/* the only reader goes */
	ck_assert_int_eq(feed_write(&f, "a"), 0);
	ck_assert(f.broken);
	ck_assert(feed_drained(&f));
	ck_assert_int_eq(feed_write(&f, "b"), 0);
	feed_dispose(&f);
	testr_context_free(ctx);
	sigaction(SIGPIPE, &old, NULL);
}
END_TEST

START_TEST(feed_keeps_what_the_pipe_cannot_take_yet)
{
	struct testr_context *ctx;
	struct feed f;
	static char id[4096], got[1 << 20];
	size_t total = 0, want = 0;

	memset(id, 'x', sizeof(id) - 1);
	testr_context_new(&ctx);
	ck_assert_int_eq(feed_open(&f, ctx, FEED_STDIN, NULL), 0);
	for (int i = 0; i < 64; i++) {	/* 256 KiB: more than a pipe holds */
		ck_assert_int_eq(feed_write(&f, id), 0);
		want += sizeof(id);
	}
	ck_assert(!feed_drained(&f));
	feed_close(&f);
	ck_assert_int_ge(f.fd, 0);	/* closes once the rest is out */
	while (f.fd >= 0) {
		total += drain(f.child_fd, got, sizeof(got));
		ck_assert_int_eq(feed_flush(&f), 0);
	}
	total += drain(f.child_fd, got, sizeof(got));
	ck_assert_uint_eq(total, want);
	feed_dispose(&f);
	testr_context_free(ctx);
}
END_TEST

START_TEST(feed_fifo_is_private_and_removed_with_its_directory)
{
	struct testr_context *ctx;
	struct feed f;
	struct stat st;
	char *dir = harness_tmpdir(), *path, got[64];
	int rd;

	testr_context_new(&ctx);
	ck_assert_int_eq(feed_open(&f, ctx, FEED_FIFO, dir), 0);
	ck_assert_int_eq(stat(f.dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(f.path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	/* Written before the runner opens it: still there for it. */
	ck_assert_int_eq(feed_write(&f, "first"), 0);
	rd = open(f.path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rd, 0);
	feed_close(&f);
	drain(rd, got, sizeof(got));
	ck_assert_str_eq(got, "first\n");
	close(rd);
	path = strdup(f.dir);
	feed_dispose(&f);
	ck_assert_int_ne(stat(path, &st), 0);
	free(path);
	harness_rmtree(dir);
	free(dir);
	testr_context_free(ctx);
}
END_TEST

START_TEST(feed_fifo_in_a_missing_directory_is_an_error)
{
	struct testr_context *ctx;
	struct feed f;

	testr_context_new(&ctx);
	ck_assert_int_eq(feed_open(&f, ctx, FEED_FIFO, "/nonexistent/dir"),
			 TESTR_EIO);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx),
				     "cannot create a directory for $IDPIPE"));
	feed_dispose(&f);
	testr_context_free(ctx);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, feed_writes_one_id_a_line_byte_for_byte);
	HARNESS_ADD(h, feed_survives_a_runner_that_has_gone);
	HARNESS_ADD(h, feed_keeps_what_the_pipe_cannot_take_yet);
	HARNESS_ADD(h, feed_fifo_is_private_and_removed_with_its_directory);
	HARNESS_ADD(h, feed_fifo_in_a_missing_directory_is_an_error);
}
