/* Unit tests for lib/fileio.c: atomic writes, reads and the lock. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <testr/testr.h>

#include "../lib/context.h"
#include "../lib/fileio.h"
#include "harness.h"

const char harness_module[] = "fileio";

static char *
path_in(const char *dir, const char *name)
{
	return str_printf("%s/%s", dir, name);
}

/* Number of directory entries other than . and .. */
static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

START_TEST(fileio_write_file_replaces_the_whole_file_and_leaves_no_temp)
{
	char *dir = harness_tmpdir(), *p = path_in(dir, "f"), *text = NULL;
	size_t len = 0;

	ck_assert_int_eq(fileio_write_file(NULL, p, "old content\n", 12), 0);
	ck_assert_int_eq(fileio_write_file(NULL, p, "new\n", 4), 0);
	ck_assert_int_eq(fileio_read_file(&text, &len, NULL, p), 0);
	ck_assert_str_eq(text, "new\n");
	ck_assert_uint_eq(len, 4);
	ck_assert_int_eq(count_entries(dir), 1);
	free(text);
	free(p);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(fileio_abort_keeps_the_old_file_and_removes_the_temp)
{
	char *dir = harness_tmpdir(), *p = path_in(dir, "f"), *text = NULL;
	struct fileio_out o;

	ck_assert_int_eq(fileio_write_file(NULL, p, "kept\n", 5), 0);
	ck_assert_int_eq(fileio_out_open(&o, NULL, p), 0);
	ck_assert_int_eq(fileio_out_write(&o, "half", 4), 0);
	ck_assert_int_eq(count_entries(dir), 2);
	fileio_out_abort(&o);
	ck_assert_int_eq(count_entries(dir), 1);
	ck_assert_int_eq(fileio_read_file(&text, NULL, NULL, p), 0);
	ck_assert_str_eq(text, "kept\n");
	free(text);
	free(p);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(fileio_large_writes_arrive_in_order)
{
	char *dir = harness_tmpdir(), *p = path_in(dir, "big"), *text = NULL;
	struct fileio_out o;
	size_t len = 0;

	ck_assert_int_eq(fileio_out_open(&o, NULL, p), 0);
	for (int i = 0; i < 100000; i++)
		ck_assert_int_eq(fileio_out_printf(&o, "%d\n", i), 0);
	ck_assert_int_eq(fileio_out_commit(&o), 0);
	ck_assert_int_eq(fileio_read_file(&text, &len, NULL, p), 0);
	ck_assert_int_eq(strncmp(text, "0\n1\n2\n", 6), 0);
	ck_assert_str_eq(text + len - 6, "99999\n");
	free(text);
	free(p);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(fileio_running_crc_covers_what_was_written_since_its_start)
{
	/* Small writes, buffer flushes and a write past the buffer: the CRC
	 * is that of the bytes after fileio_out_crc_start(), whenever read. */
	char *dir = harness_tmpdir(), *p = path_in(dir, "crc"), *text = NULL;
	size_t big = 300 * 1024, len = 0, from;
	unsigned char *blob = malloc(big);
	struct fileio_out o;
	uint32_t mid;

	for (size_t i = 0; i < big; i++)
		blob[i] = (unsigned char)(i * 131 + 7);
	ck_assert_int_eq(fileio_out_open(&o, NULL, p), 0);
	ck_assert_int_eq(fileio_out_printf(&o, "header\n"), 0);
	fileio_out_crc_start(&o);
	for (int i = 0; i < 50000; i++)
		ck_assert_int_eq(fileio_out_printf(&o, "%d\n", i), 0);
	mid = fileio_out_crc(&o);
	ck_assert_int_eq(fileio_out_write(&o, blob, big), 0);
	ck_assert_int_eq(fileio_out_printf(&o, "tail\n"), 0);
	ck_assert_uint_eq(fileio_out_crc(&o), fileio_out_crc(&o));
	{
		uint32_t end = fileio_out_crc(&o);

		ck_assert_int_eq(fileio_out_commit(&o), 0);
		ck_assert_int_eq(fileio_read_file(&text, &len, NULL, p), 0);
		from = strlen("header\n");
		ck_assert_uint_eq(end, crc32_z(0, (const unsigned char *)text +
					       from, len - from));
		ck_assert_uint_eq(mid, crc32_z(0, (const unsigned char *)text +
					       from, len - from - big - 5));
	}
	free(text);
	free(blob);
	free(p);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(fileio_header_slot_is_rewritten_in_place)
{
	char *dir = harness_tmpdir(), *p = path_in(dir, "h"), *text = NULL;
	char scratch[17];
	struct fileio_out o;

	ck_assert_int_eq(fileio_out_open(&o, NULL, p), 0);
	ck_assert_int_eq(fileio_out_write(&o, "................", 16), 0);
	ck_assert_int_eq(fileio_out_write(&o, "body\n", 5), 0);
	ck_assert_int_eq(fileio_out_flush_header(&o, scratch, 16, "n=%d", 42), 0);
	ck_assert_int_eq(fileio_out_flush_header(&o, scratch, 16, "%s",
			 "far too long for it"), TESTR_EINVAL);
	ck_assert_int_eq(fileio_out_commit(&o), 0);
	ck_assert_int_eq(fileio_read_file(&text, NULL, NULL, p), 0);
	ck_assert_str_eq(text, "n=42           \nbody\n");
	free(text);
	free(p);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(fileio_missing_file_is_notfound_without_a_message)
{
	struct testr_context *ctx;
	struct fileio_map m;
	char *text = NULL;

	testr_context_new(&ctx);
	ck_assert_int_eq(fileio_read_file(&text, NULL, ctx, "/nonexistent/x"),
			 TESTR_ENOTFOUND);
	ck_assert_int_eq(fileio_map_file(&m, ctx, "/nonexistent/x"),
			 TESTR_ENOTFOUND);
	ck_assert_str_eq(testr_context_error(ctx), "");
	ck_assert_int_eq(fileio_write_file(ctx, "/nonexistent/x", "a", 1),
			 TESTR_EIO);
	ck_assert_ptr_nonnull(strstr(testr_context_error(ctx), "/nonexistent/x"));
	testr_context_free(ctx);
}
END_TEST

START_TEST(fileio_new_files_follow_the_umask)
{
	char *dir = harness_tmpdir(), *p = path_in(dir, "m");
	mode_t old = umask(027);
	struct stat st;

	ck_assert_int_eq(fileio_write_file(NULL, p, "x", 1), 0);
	umask(old);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	free(p);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(fileio_lock_excludes_a_second_holder_until_released)
{
	char *dir = harness_tmpdir(), *p = path_in(dir, "lock");
	int fd, status;
	pid_t child;

	ck_assert_int_eq(fileio_lock(&fd, NULL, p), 0);
	child = fork();
	if (child == 0) {
		int other = open(p, O_RDWR | O_CLOEXEC);
		/* Held by the parent: a non-blocking attempt must fail. */
		int held = flock(other, LOCK_EX | LOCK_NB) < 0 &&
			   errno == EWOULDBLOCK;

		free(p);	/* the child's copies, for leak checkers */
		free(dir);
		_exit(held ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	fileio_unlock(fd);
	child = fork();
	if (child == 0) {
		int other = open(p, O_RDWR | O_CLOEXEC);
		int got = flock(other, LOCK_EX | LOCK_NB) == 0;

		free(p);
		free(dir);
		_exit(got ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	free(p);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(fileio_lock_descriptor_is_close_on_exec)
{
	char *dir = harness_tmpdir(), *p = path_in(dir, "lock");
	int fd;

	ck_assert_int_eq(fileio_lock(&fd, NULL, p), 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	fileio_unlock(fd);
	free(p);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(fileio_commit_new_never_replaces_a_file_and_keeps_the_data)
{
	char *dir = harness_tmpdir(), *a = path_in(dir, "a"), *b = path_in(dir, "b");
	char *text = NULL;
	struct fileio_out o;

	ck_assert_int_eq(fileio_write_file(NULL, a, "old\n", 4), 0);
	ck_assert_int_eq(fileio_out_open(&o, NULL, a), 0);
	ck_assert_int_eq(fileio_out_write(&o, "new\n", 4), 0);
	ck_assert_int_eq(fileio_out_commit_new(&o, a), TESTR_EEXISTS);
	ck_assert_int_eq(fileio_read_file(&text, NULL, NULL, a), 0);
	ck_assert_str_eq(text, "old\n");
	free(text);
	/* The data waits for another name; then no temporary is left. */
	ck_assert_int_eq(fileio_out_commit_new(&o, b), 0);
	ck_assert_int_eq(fileio_read_file(&text, NULL, NULL, b), 0);
	ck_assert_str_eq(text, "new\n");
	ck_assert_int_eq(count_entries(dir), 2);
	fileio_out_abort(&o);
	free(text);
	free(a);
	free(b);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, fileio_running_crc_covers_what_was_written_since_its_start);
	HARNESS_ADD(h, fileio_write_file_replaces_the_whole_file_and_leaves_no_temp);
	HARNESS_ADD(h, fileio_abort_keeps_the_old_file_and_removes_the_temp);
	HARNESS_ADD(h, fileio_large_writes_arrive_in_order);
	HARNESS_ADD(h, fileio_header_slot_is_rewritten_in_place);
	HARNESS_ADD(h, fileio_missing_file_is_notfound_without_a_message);
	HARNESS_ADD(h, fileio_new_files_follow_the_umask);
	HARNESS_ADD(h, fileio_lock_excludes_a_second_holder_until_released);
	HARNESS_ADD(h, fileio_lock_descriptor_is_close_on_exec);
	HARNESS_ADD(h, fileio_commit_new_never_replaces_a_file_and_keeps_the_data);
}
