/*
 * Private: the one place that spawns child processes.
 *
 * Every command runs as `/bin/sh -c CMD` (or, when CMD holds no shell
 * syntax, as the program the shell would run, without the shell: see
 * shell_simple_argv()) with stdin from /dev/null, stdout
 * (and optionally stderr) on a close-on-exec pipe, every other inherited
 * descriptor closed, and default signal dispositions.  A failed exec is
 * reported to the parent through a close-on-exec pipe rather than as a
 * mysterious exit code.
 */
#ifndef TESTR_LIB_PROCESS_H
#define TESTR_LIB_PROCESS_H

#include <signal.h>
#include <sys/types.h>

#include <testr/common.h>

enum proc_flags {
	PROC_PIPE_STDOUT = 1u << 0,	/* else stdout is inherited */
	PROC_PIPE_STDERR = 1u << 1,	/* else stderr is inherited */
	PROC_OWN_GROUP = 1u << 2,	/* own process group, killed as one */
};

struct proc {
	pid_t pid;		/* 0 once reaped */
	int out_fd;		/* read end of stdout, or -1 */
	int err_fd;		/* read end of stderr, or -1 */
	bool own_group;
	struct testr_context *ctx;	/* where its spawn and exit are logged */
};

/* How a child ended: exactly one of the two is meaningful. */
struct proc_status {
	int exit_code;		/* -1 when killed by a signal */
	int signal;		/* 0 unless killed by a signal */
};

/*
 * Start `/bin/sh -c @cmd` (or its program directly, as above).  Returns 0,
 * TESTR_ECHILD when sh could not be
 * executed (message on @ctx), TESTR_EIO or TESTR_ENOMEM.  On success the
 * caller must proc_wait() (which also closes the pipes).
 */
int proc_spawn(struct proc *out, struct testr_context *ctx, const char *cmd,
	       unsigned flags);

/*
 * proc_spawn() with the child's stdin on @in_fd (-1: /dev/null), such as
 * the read end of a pull-mode feed.  @in_fd should be close-on-exec: only
 * this child gets it, as its stdin; the caller closes its own copy.
 */
int proc_spawn_fed(struct proc *out, struct testr_context *ctx,
		   const char *cmd, unsigned flags, int in_fd);

/* Close the pipes, wait for the child and fill @out.  0 or TESTR_EIO. */
int proc_wait(struct proc *p, struct proc_status *out);

/*
 * Reap the child if it has already ended: returns 1 and fills @out (the
 * pipes stay open), or 0 when it is still running.
 */
int proc_try_wait(struct proc *p, struct proc_status *out);

/* Send @sig to the child (its whole group when it has one). */
void proc_kill(struct proc *p, int sig);

/*
 * Stop the child: SIGTERM (its whole group when it has one), then SIGKILL
 * if it has not exited within half a second.  Fills @out once reaped; the
 * caller still calls proc_wait() to close the pipes.
 */
void proc_stop(struct proc *p, struct proc_status *out);

/* How long a child stopped for a timeout has between SIGTERM and SIGKILL. */
#define PROC_KILL_GRACE 2.0

/* Seconds on the monotonic clock (for deadlines). */
double proc_now(void);

/*
 * Stop the child: SIGTERM (its whole group when it has one), then SIGKILL
 * if it has not exited within @grace seconds.  Fills @out once reaped.
 */
void proc_stop_within(struct proc *p, struct proc_status *out, double grace);

/*
 * Close the pipes and wait for the child, at most @timeout seconds (0: no
 * limit) and only until *@stop (may be NULL) is raised; then stop it
 * (proc_stop_within(), PROC_KILL_GRACE).  Returns 0 with @out filled,
 * TESTR_ETIMEDOUT or TESTR_EINTR (the child reaped either way).
 */
int proc_wait_timed(struct proc *p, struct proc_status *out, double timeout,
		    const volatile sig_atomic_t *stop);

/*
 * The one error for a command that ran out of time, on @ctx:
 * "@what timed out after N s (@option); its command was: '@cmd'", the
 * command escaped onto one line.  Returns TESTR_ETIMEDOUT.
 */
int proc_fail_timeout(struct testr_context *ctx, const char *what,
		      const char *option, double seconds, const char *cmd);

/* Close whatever pipes are still open. */
void proc_close_pipes(struct proc *p);

/*
 * Receives bytes read from descriptor number @index of a proc_pump() set;
 * @len 0 means that descriptor reached end of file.  Return 0 to go on, or
 * a negative code to stop pumping (proc_pump() returns it).
 */
typedef int (*proc_data_fn)(void *userdata, size_t index, const void *buf,
			    size_t len);

/*
 * Read every descriptor in @fds (entries < 0 are skipped) at once with
 * poll() until all reach end of file, handing bytes to @fn.  Descriptors
 * are not closed.  At an end of file @fds[index] becomes -1; when @fn,
 * told of it, stores a new descriptor there, pumping goes on with it (a
 * worker slot's next runner).  When *@stop (NULL: the context's interrupt
 * flag) becomes non-zero (a signal handler sets it) pumping ends with
 * TESTR_EINTR.  Returns 0, TESTR_EINTR, TESTR_EIO or what
 * @fn returned.
 */
int proc_pump(struct testr_context *ctx, int *fds, size_t n,
	      proc_data_fn fn, void *userdata,
	      const volatile sig_atomic_t *stop);

/*
 * Called by proc_pump_ticking() before every wait, at least every 200 ms:
 * return 0 to go on, or a negative code to stop pumping with it (a
 * deadline passed).
 */
typedef int (*proc_tick_fn)(void *userdata);

/* proc_pump(), also calling @tick (may be NULL) with @userdata. */
int proc_pump_ticking(struct testr_context *ctx, int *fds, size_t n,
		      proc_data_fn fn, proc_tick_fn tick, void *userdata,
		      const volatile sig_atomic_t *stop);

/*
 * For a tick: a writer that flushes a little at a time (a runner's event
 * per line, a listing's id per write) would wake the pump for each write,
 * which costs both sides more than the bytes.  After a round that read
 * some but under 4 KiB (*@round bytes), pause a millisecond so the pipe
 * (64 KiB) fills before the next poll.  Resets *@round.
 */
void proc_pump_settle(size_t *round);

/* The result of proc_capture(): both outputs, NUL-terminated, owned. */
struct proc_capture {
	char *out;
	size_t out_len;
	char *err;
	size_t err_len;
	struct proc_status status;
};

/*
 * Run @cmd to completion, in its own process group, collecting stdout and
 * (unless @pass_stderr) stderr.  Returns 0 whatever the exit status (see
 * out->status), or a negative code when it could not be run.  On *@stop
 * (NULL: the context's interrupt flag) the command is stopped (proc_stop())
 * and TESTR_EINTR returned.  Free with proc_capture_dispose().
 */
int proc_capture(struct proc_capture *out, struct testr_context *ctx,
		 const char *cmd, bool pass_stderr,
		 const volatile sig_atomic_t *stop);

/*
 * proc_capture(), for at most @timeout seconds (0: no limit): then the
 * command's group is stopped (SIGTERM, SIGKILL after PROC_KILL_GRACE) and
 * TESTR_ETIMEDOUT returned, with no message (the caller names the command:
 * proc_fail_timeout()).
 */
int proc_capture_timed(struct proc_capture *out, struct testr_context *ctx,
		       const char *cmd, bool pass_stderr,
		       const volatile sig_atomic_t *stop, double timeout);

void proc_capture_dispose(struct proc_capture *c);

/*
 * A guardian: a small helper process that outlives its parent by a moment
 * and kills the process groups, and removes the files, it was told about if
 * the parent dies without forgetting them first (testr SIGKILLed mid-run),
 * so no runner and no $IDFILE is left behind.  The parent talks to it through a close-on-exec pipe whose
 * end of file is the signal.
 */
struct proc_guard {
	pid_t pid;	/* 0: none */
	int fd;		/* write end, or -1 */
};

/* Start a guardian.  0, or TESTR_EIO (*g then stays inert). */
int proc_guard_start(struct proc_guard *g, struct testr_context *ctx);

/* Have the guardian kill process group @pgid should the parent die. */
void proc_guard_watch(struct proc_guard *g, pid_t pgid);

/* The group ended normally: no need to kill it any more. */
void proc_guard_forget(struct proc_guard *g, pid_t pgid);

/* Have the guardian remove @path should the parent die: a file, or an
 * empty directory (removed after the files).  A path of 4096 bytes or
 * more is not sent. */
void proc_guard_add_file(struct proc_guard *g, const char *path);

/* The file was removed (or kept) by the parent: leave it alone. */
void proc_guard_forget_file(struct proc_guard *g, const char *path);

/* Let the guardian go (it kills what is still watched, and removes the
 * files still held) and reap it. */
void proc_guard_stop(struct proc_guard *g);

/* The one number a shell would give: the exit code, or 128 + signal. */
int proc_status_code(const struct proc_status *st);

/* "exit code 3" or "signal 9 (Killed)" into @buf. */
const char *proc_status_describe(const struct proc_status *st, char *buf,
				 size_t size);

#endif
