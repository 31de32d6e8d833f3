/* Helpers shared by the fuzz targets (no check harness here). */
#ifndef TESTR_TESTS_FUZZ_H
#define TESTR_TESTS_FUZZ_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int
fuzz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/* rm -rf @dir. */
static inline void
fuzz_rmtree(const char *dir)
{
	nftw(dir, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh directory under $TMPDIR (malloc'd); aborts if none can be made. */
static inline char *
fuzz_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = malloc(4096);

	if (!dir)
		abort();
	snprintf(dir, 4096, "%s/testr-fuzz-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir))
		abort();
	return dir;
}

#endif
