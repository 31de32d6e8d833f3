/*
 * suite: the tests testr-exec knows, read from `meson introspect --tests`
 * JSON, `ctest --show-only=json-v1` JSON or a plain "id<TAB>command" file.
 */
#ifndef TESTR_EXEC_SUITE_H
#define TESTR_EXEC_SUITE_H

#include <stdbool.h>
#include <stddef.h>

#include <testr/testr.h>

struct exec_test {
	char *id;
	struct testr_strv argv;	/* empty: run shell_command via /bin/sh */
	char *shell_command;
	struct testr_strv env;	/* "NAME=value", set on top of ours */
	char *workdir;		/* NULL: the current directory */
	double timeout;		/* seconds; 0: none */
	bool serial;		/* runs alone: no other test of the suite */
	struct testr_strv locks;	/* resources held exclusively */
	bool should_fail;	/* success is a non-zero exit */
	int skip_code;		/* exit status meaning skip; -1: none */
	bool tap;		/* its output is TAP (meson protocol "tap") */
};

struct exec_suite {
	struct exec_test *tests;
	size_t n;
};

enum exec_format { EXEC_AUTO, EXEC_MESON, EXEC_CTEST, EXEC_PLAIN };

/*
 * Read @path in @format (AUTO: JSON array is meson, JSON object ctest,
 * anything else plain).  @default_timeout applies where the file gives
 * none.  Returns 0, or -1 with a one-line message in @err naming the file,
 * the line and the value.
 */
int exec_suite_load(struct exec_suite *out, const char *path,
		    enum exec_format format, double default_timeout,
		    char *err, size_t errlen);

void exec_suite_dispose(struct exec_suite *s);

/* The test with @id, or NULL. */
const struct exec_test *exec_suite_find(const struct exec_suite *s,
					const char *id);

#endif
