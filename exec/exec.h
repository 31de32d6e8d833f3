/* testr-exec internals shared by main.c, emit.c, lock.c and spawn.c. */
#ifndef TESTR_EXEC_EXEC_H
#define TESTR_EXEC_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include <testr/testr.h>

#include "suite.h"

/* Where events go: subunit v2 on a file descriptor. */
struct exec_out {
	struct testr_context *ctx;
	int fd;
	int error;		/* first write error, a TESTR_E* code */
};

/* Emit an event for @id with @status (and a file piece when @name). */
int exec_emit(struct exec_out *o, const char *id, enum testr_status status,
	      const char *name, const void *bytes, size_t len, bool eof);

/* Emit the final status with a reason attachment first when @why. */
int exec_emit_result(struct exec_out *o, const char *id,
		     enum testr_status status, const char *why);

/*
 * Inter-process locks for serial tests and RESOURCE_LOCK, held across
 * every testr-exec running the same suite (testr's workers): a serial test
 * holds the suite lock exclusively, every other test shares it.
 */
struct exec_locks {
	int fds[32];
	int n;
};

/* Take the locks @t needs.  0, or -1 with a message in @err. */
int exec_locks_take(struct exec_locks *out, const char *suite_path,
		    const struct exec_test *t, char *err, size_t errlen);

void exec_locks_release(struct exec_locks *l);

/*
 * Run @t: its output streams out as the "stdout" attachment, then its
 * result.  A timeout kills its process group.  Returns 0 or a write error.
 */
int exec_run_test(struct exec_out *o, const struct exec_test *t,
		  double timeout_multiplier);

/* Set by SIGINT/SIGTERM: stop, and kill the running test's group. */
extern volatile int exec_interrupted;

#endif
