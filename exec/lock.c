/*
 * lock: flock(2) locks shared by every testr-exec of one suite.  The lock
 * files live in a private directory named for the suite file's real path,
 * so two build trees never block each other.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"

static unsigned long long
fnv1a(const char *s)
{
	unsigned long long h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* $TMPDIR/testr-exec-UID, ours and not a link to someone else's. */
static int
lock_dir(char *out, size_t n, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;

	snprintf(out, n, "%s/testr-exec-%u", tmp && *tmp ? tmp : "/tmp",
		 (unsigned)getuid());
	if (mkdir(out, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		return -1;
	}
	if (lstat(out, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != getuid()) {
		snprintf(err, errlen, "%s: not a directory of ours", out);
		return -1;
	}
	return 0;
}

/* Lock the file for (@suite, @name), shared or exclusive, waiting. */
static int
lock_one(struct exec_locks *l, const char *dir, const char *suite,
	 const char *name, int op, char *err, size_t errlen)
{
	char path[PATH_MAX + 64];
	int fd;

	if (l->n >= (int)(sizeof(l->fds) / sizeof(l->fds[0]))) {
		snprintf(err, errlen, "more than %d resource locks", l->n);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%016llx-%016llx.lock", dir,
		 fnv1a(suite), fnv1a(name));
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (flock(fd, op) != 0) {
		if (errno == EINTR && !exec_interrupted)
			continue;
		snprintf(err, errlen, "lock %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	l->fds[l->n++] = fd;
	return 0;
}

int
exec_locks_take(struct exec_locks *out, const char *suite_path,
		const struct exec_test *t, char *err, size_t errlen)
{
	char dir[PATH_MAX], suite[PATH_MAX];
	struct testr_strv locks = TESTR_STRV_INIT;
	int rc = -1;

	out->n = 0;
	if (!realpath(suite_path, suite))
		snprintf(suite, sizeof(suite), "%s", suite_path);
	if (lock_dir(dir, sizeof(dir), err, errlen) != 0)
		return -1;
	/* The suite lock first, then resources in one order: no deadlock. */
	if (lock_one(out, dir, suite, "", t->serial ? LOCK_EX : LOCK_SH, err,
		     errlen) != 0)
		goto done;
	for (size_t i = 0; i < t->locks.n; i++)
		if (testr_strv_push(&locks, t->locks.v[i]) != 0)
			goto done;
	testr_strv_sort_unique(&locks);
	for (size_t i = 0; i < locks.n; i++)
		if (lock_one(out, dir, suite, locks.v[i], LOCK_EX, err,
			     errlen) != 0)
			goto done;
	rc = 0;
done:
	testr_strv_dispose(&locks);
	if (rc != 0)
		exec_locks_release(out);
	return rc;
}

void
exec_locks_release(struct exec_locks *l)
{
	for (int i = l->n - 1; i >= 0; i--)
		close(l->fds[i]);
	l->n = 0;
}
