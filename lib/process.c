/*
 * Spawning children (`/bin/sh -c CMD`, or CMD's program itself when CMD
 * holds no shell syntax) and reading many of them at once.
 */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "context.h"
#include "process.h"
#include "shell.h"

extern char **environ;

/* Descriptors the child needs, all opened in the parent before fork(). */
struct child_fds {
	int devnull;
	int out[2];
	int err[2];
	int report[2];	/* close-on-exec: the child writes errno on failure */
};

/*
 * How the child runs CMD.  A command with no shell syntax at all runs as
 * its program directly, with the argv, the PATH search and the PWD that
 * `sh -c` would give it: one exec and one process fewer per runner.  If
 * that exec fails, the child runs `sh -c CMD` after all, so a missing or
 * unrunnable program fails exactly as it does through the shell.
 */
struct exec_plan {
	const char *cmd;
	char **argv;		/* NULL: through the shell */
	char *path;		/* argv[0] found on PATH */
	char **envp;		/* environ, or a copy with PWD set */
	char **own_env;		/* that copy, when made */
	volatile int fell_back;	/* the child's exec failed: it ran sh */
};

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void
child_fds_close(struct child_fds *f)
{
	close_fd(&f->devnull);
	close_fd(&f->out[0]);
	close_fd(&f->out[1]);
	close_fd(&f->err[0]);
	close_fd(&f->err[1]);
	close_fd(&f->report[0]);
	close_fd(&f->report[1]);
}

static int
child_fds_open(struct child_fds *f, struct testr_context *ctx, unsigned flags)
{
	*f = (struct child_fds){ -1, { -1, -1 }, { -1, -1 }, { -1, -1 } };
	f->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (f->devnull < 0 || pipe2(f->report, O_CLOEXEC) < 0 ||
	    ((flags & PROC_PIPE_STDOUT) && pipe2(f->out, O_CLOEXEC) < 0) ||
	    ((flags & PROC_PIPE_STDERR) && pipe2(f->err, O_CLOEXEC) < 0)) {
		int e = errno;

		child_fds_close(f);
		return context_fail(ctx, TESTR_EIO, "cannot create pipes: %s",
				  strerror(e));
	}
	return TESTR_OK;
}

/*
 * Only async-signal-safe calls from here to execve: the parent may have
 * threads, and the child is a copy of one of them.
 */
static void
child_setup_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	/*
	 * An ignored SIGPIPE would survive exec; reset them all.  But a
	 * SIGINT or SIGQUIT that testr was started with ignored (a background
	 * job of a script) stays ignored, as the shell meant it to.
	 */
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction old;

		if ((sig == SIGINT || sig == SIGQUIT) &&
		    sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sig, &sa, NULL);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * Mark everything above 2 close-on-exec, so descriptors the embedding
 * program leaked (without O_CLOEXEC) never reach the runner.  The exec
 * report pipe stays open until execve succeeds.
 */
static void
child_close_others(void)
{
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	for (int fd = 3; fd < 65536; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static _Noreturn void
child_exec(const struct child_fds *f, struct exec_plan *x, unsigned flags,
	   pid_t parent, int in_fd)
{
	char *const argv[] = { (char *)"sh", (char *)"-c", (char *)x->cmd,
			       NULL };
	int err;

	child_setup_signals();
	if (flags & PROC_OWN_GROUP)
		setpgid(0, 0);
#ifdef __linux__
	/* If testr is SIGKILLed, do not leave the runner behind. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
#endif
	if (dup2(in_fd >= 0 ? in_fd : f->devnull, 0) < 0 ||
	    (f->out[1] >= 0 && dup2(f->out[1], 1) < 0) ||
	    (f->err[1] >= 0 && dup2(f->err[1], 2) < 0))
		goto fail;
	child_close_others();
	if (x->argv) {
		execve(x->path, x->argv, x->envp);
		x->fell_back = 1;	/* vfork(): the parent reads it */
	}
	execve("/bin/sh", argv, environ);
fail:
	err = errno;
	if (write(f->report[1], &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

/*
 * vfork(): the child borrows the parent's memory until it execs, instead of
 * a copy-on-write fork that makes the parent fault on every page it then
 * writes (a run with 20,000 ids in memory spawns a runner per batch).  The
 * child only makes system calls and never returns (child_exec).  Every
 * signal is blocked around it, so that no handler of the parent's runs in
 * the child on the parent's memory; the child resets them all, then
 * unblocks.
 */
static pid_t
spawn_child(const struct child_fds *f, struct exec_plan *x, unsigned flags,
	    pid_t parent, int in_fd)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0)
		child_exec(f, x, flags, parent, in_fd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return pid;
}

/* 0 when exec succeeded (the pipe closed empty), else the child's errno. */
static int
read_exec_report(int fd)
{
	int err = 0;
	ssize_t n;

	do
		n = read(fd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(err) ? err : 0;
}

/*
 * @word as the shell finds it on PATH (malloc'd), or NULL: not found, no
 * PATH (then the shell's own default applies), or found through an empty
 * entry.  The shells disagree on the path they run from an empty entry
 * (the working directory): dash runs "prog", bash "./prog", and a script
 * sees that path as its $0; only the shell itself can give its own.
 */
static char *
find_program(const char *word)
{
	const char *dirs = getenv("PATH");
	size_t wlen = strlen(word);

	if (strchr(word, '/'))
		return strdup(word);
	while (dirs) {
		const char *end = strchr(dirs, ':');
		size_t dlen = end ? (size_t)(end - dirs) : strlen(dirs);
		char *path = malloc(dlen + wlen + 3);
		struct stat st;

		if (!path)
			return NULL;
		snprintf(path, dlen + wlen + 3, "%.*s%s%s", (int)dlen, dirs,
			 dlen ? "/" : "./", word);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(path, X_OK) == 0) {
			if (dlen > 0)
				return path;
			free(path);	/* an empty entry: the shell's */
			return NULL;
		}
		free(path);
		dirs = end ? end + 1 : NULL;
	}
	return NULL;
}

/* Is $PWD the working directory already, as the shell checks it? */
static bool
pwd_is_current(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;

	return pwd && pwd[0] == '/' && stat(pwd, &a) == 0 &&
	       stat(".", &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* The length of the NAME of environment entry @e when the shell imports
 * it as it is (NAME=value, NAME a shell name), else 0. */
static size_t
env_name_len(const char *e)
{
	size_t i = 0;

	if (!((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
	      *e == '_'))
		return 0;
	while ((e[i] >= 'a' && e[i] <= 'z') || (e[i] >= 'A' && e[i] <= 'Z') ||
	       (e[i] >= '0' && e[i] <= '9') || e[i] == '_')
		i++;
	return e[i] == '=' ? i : 0;
}

/*
 * Does the shell pass on environ as it is (but for PWD)?  It drops the
 * entries that are no NAME=value with a shell name (an exported bash
 * function's BASH_FUNC_f%%, a name with '-' or '.', no '='), keeps the
 * last of a name given twice, and sets IFS, OPTIND and PPID itself.
 */
static bool
shell_passes_environ(void)
{
	for (size_t i = 0; environ[i]; i++) {
		size_t len = env_name_len(environ[i]);

		if (len == 0 ||
		    (len == 3 && memcmp(environ[i], "IFS", 3) == 0) ||
		    (len == 4 && memcmp(environ[i], "PPID", 4) == 0) ||
		    (len == 6 && memcmp(environ[i], "OPTIND", 6) == 0))
			return false;
		for (size_t j = 0; j < i; j++)
			if (strncmp(environ[j], environ[i], len + 1) == 0)
				return false;
	}
	return true;
}

/*
 * The environment the shell would pass on: ours, with PWD set to the
 * working directory when it is not already.  False when the shell could
 * pass on something else (shell_passes_environ()), or there is no working
 * directory.
 */
static bool
shell_environment(struct exec_plan *x)
{
	size_t n = 0, k = 0;
	char *cwd;

	if (!shell_passes_environ())
		return false;
	while (environ[n])
		n++;
	x->envp = environ;
	if (pwd_is_current())
		return true;
	cwd = getcwd(NULL, 0);
	x->own_env = cwd ? malloc((n + 2) * sizeof(char *) + strlen(cwd) + 5)
			 : NULL;
	if (!x->own_env) {
		free(cwd);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PWD=", 4) != 0)
			x->own_env[k++] = environ[i];
	x->own_env[k] = (char *)(x->own_env + n + 2);
	sprintf(x->own_env[k++], "PWD=%s", cwd);
	x->own_env[k] = NULL;
	x->envp = x->own_env;
	free(cwd);
	return true;
}

static void
exec_plan_dispose(struct exec_plan *x)
{
	free(x->argv);
	free(x->path);
	free(x->own_env);
	/* Disposed once when the plan falls back to the shell, and again
	 * after the spawn. */
	x->argv = NULL;
	x->path = NULL;
	x->own_env = NULL;
	x->envp = NULL;
}

/* Decide how to run @cmd: its program directly when that is what the
 * shell would do, else (or when unsure, or out of memory) the shell. */
static void
exec_plan_init(struct exec_plan *x, const char *cmd)
{
	*x = (struct exec_plan){ cmd, NULL, NULL, NULL, NULL, 0 };
	if (shell_simple_argv(&x->argv, cmd) < 0 || !x->argv)
		return;
	x->path = find_program(x->argv[0]);
	if (!x->path || !shell_environment(x))
		exec_plan_dispose(x);
}

int
proc_spawn(struct proc *out, struct testr_context *ctx, const char *cmd,
	   unsigned flags)
{
	return proc_spawn_fed(out, ctx, cmd, flags, -1);
}

int
proc_spawn_fed(struct proc *out, struct testr_context *ctx, const char *cmd,
	       unsigned flags, int in_fd)
{
	struct child_fds f;
	struct exec_plan x;
	pid_t parent = getpid();
	int rc, err;

	*out = (struct proc){ 0, -1, -1, (flags & PROC_OWN_GROUP) != 0, ctx };
	rc = child_fds_open(&f, ctx, flags);
	if (rc < 0)
		return rc;
	exec_plan_init(&x, cmd);
	out->pid = spawn_child(&f, &x, flags, parent, in_fd);
	if (out->pid < 0) {
		rc = context_fail(ctx, TESTR_EIO, "cannot fork for %.200s: %s", cmd,
				strerror(errno));
		out->pid = 0;
		goto done;
	}
	if (flags & PROC_OWN_GROUP)
		setpgid(out->pid, out->pid);	/* no race with kill() */
	close_fd(&f.report[1]);
	err = read_exec_report(f.report[0]);
	if (err) {
		waitpid(out->pid, NULL, 0);
		out->pid = 0;
		/* %.200s: a huge command must not push out the reason. */
		rc = context_fail(ctx, TESTR_ECHILD,
				"cannot run /bin/sh -c %.200s: %s", cmd,
				strerror(err));
		goto done;
	}
	out->out_fd = f.out[0];
	out->err_fd = f.err[0];
	f.out[0] = f.err[0] = -1;
	if (x.argv && !x.fell_back)
		context_log(ctx, TESTR_LOG_DEBUG, "spawn: pid %ld: exec %s "
			    "(no shell): %s", (long)out->pid, x.path, cmd);
	else
		context_log(ctx, TESTR_LOG_DEBUG, "spawn: pid %ld: /bin/sh -c %s",
			    (long)out->pid, cmd);
done:
	exec_plan_dispose(&x);
	child_fds_close(&f);
	return rc;
}

void
proc_close_pipes(struct proc *p)
{
	close_fd(&p->out_fd);
	close_fd(&p->err_fd);
}

/* Fill @out from a wait status of @p, and log the exit. */
static void
decode_status(struct proc_status *out, const struct proc *p, int status)
{
	char how[128];

	*out = (struct proc_status){ -1, 0 };
	if (WIFSIGNALED(status))
		out->signal = WTERMSIG(status);
	else
		out->exit_code = WEXITSTATUS(status);
	context_log(p->ctx, TESTR_LOG_DEBUG, "exit: pid %ld: %s", (long)p->pid,
		  proc_status_describe(out, how, sizeof(how)));
}

int
proc_wait(struct proc *p, struct proc_status *out)
{
	int status;
	pid_t r;

	proc_close_pipes(p);
	if (p->pid <= 0) {
		/* Reaped already by proc_try_wait(): @out holds the status. */
		return p->pid == 0 ? TESTR_OK : TESTR_EIO;
	}
	*out = (struct proc_status){ -1, 0 };
	do
		r = waitpid(p->pid, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		p->pid = 0;
		return TESTR_EIO;
	}
	decode_status(out, p, status);
	p->pid = 0;
	return TESTR_OK;
}

int
proc_try_wait(struct proc *p, struct proc_status *out)
{
	int status;

	if (p->pid <= 0 || waitpid(p->pid, &status, WNOHANG) != p->pid)
		return 0;
	decode_status(out, p, status);
	p->pid = 0;
	return 1;
}

/* How long an interrupted child may take to exit on SIGTERM. */
#define STOP_GRACE 0.5
#define STOP_TICK_MS 20

double
proc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
proc_stop_within(struct proc *p, struct proc_status *out, double grace)
{
	struct timespec tick = { 0, STOP_TICK_MS * 1000 * 1000 };
	double until = proc_now() + grace;

	proc_kill(p, SIGTERM);
	do {
		if (proc_try_wait(p, out))
			return;
		nanosleep(&tick, NULL);
	} while (proc_now() < until);
	proc_kill(p, SIGKILL);
	proc_wait(p, out);
}

void
proc_stop(struct proc *p, struct proc_status *out)
{
	proc_stop_within(p, out, STOP_GRACE);
}

int
proc_wait_timed(struct proc *p, struct proc_status *out, double timeout,
		const volatile sig_atomic_t *stop)
{
	struct timespec tick = { 0, STOP_TICK_MS * 1000 * 1000 };
	double until = proc_now() + timeout;

	proc_close_pipes(p);
	while (!proc_try_wait(p, out)) {
		if (p->pid <= 0)
			return proc_wait(p, out);	/* not ours to poll */
		if ((stop && *stop) || (timeout > 0 && proc_now() >= until)) {
			proc_stop_within(p, out, PROC_KILL_GRACE);
			return stop && *stop ? TESTR_EINTR : TESTR_ETIMEDOUT;
		}
		nanosleep(&tick, NULL);
	}
	return TESTR_OK;
}

int
proc_fail_timeout(struct testr_context *ctx, const char *what,
		  const char *option, double seconds, const char *cmd)
{
	char q[512];

	return context_fail(ctx, TESTR_ETIMEDOUT, "%s timed out after %g s "
			  "(%s); its command was: %s", what, seconds, option,
			  testr_quote(q, sizeof(q), cmd, strlen(cmd)));
}

void
proc_kill(struct proc *p, int sig)
{
	if (p->pid <= 0)
		return;
	if (p->own_group && kill(-p->pid, sig) == 0)
		return;
	kill(p->pid, sig);
}

int
proc_status_code(const struct proc_status *st)
{
	return st->signal ? 128 + st->signal : st->exit_code;
}

const char *
proc_status_describe(const struct proc_status *st, char *buf, size_t size)
{
	if (st->signal)
		snprintf(buf, size, "signal %d (%s)", st->signal,
			 strsignal(st->signal));
	else if (st->exit_code > 128 && st->exit_code < 128 + NSIG)
		/* How sh reports a command that a signal killed. */
		snprintf(buf, size, "exit code %d (signal %d: %s)",
			 st->exit_code, st->exit_code - 128,
			 strsignal(st->exit_code - 128));
	else
		snprintf(buf, size, "exit code %d", st->exit_code);
	return buf;
}

/* Wait this long at most between looks at the stop flag. */
#define PUMP_TICK_MS 200

static int
pump_one(struct pollfd *pfd, int *fds, size_t index, proc_data_fn fn,
	 void *userdata, struct testr_context *ctx)
{
	char buf[65536];
	ssize_t n = read(pfd->fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return TESTR_OK;
	if (n < 0)
		return context_fail(ctx, TESTR_EIO, "reading from a child: %s",
				  strerror(errno));
	if (n == 0)	/* poll() ignores negative descriptors */
		pfd->fd = fds[index] = -1;
	return fn(userdata, index, buf, (size_t)n);
}

/* After a callback: descriptors it handed over join, ended ones leave. */
static size_t
pump_sync(struct pollfd *pfds, const int *fds, size_t n)
{
	size_t open = 0;

	for (size_t i = 0; i < n; i++) {
		if (pfds[i].fd != fds[i])
			pfds[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		open += fds[i] >= 0;
	}
	return open;
}

static int
pump_ready(struct pollfd *pfds, int *fds, size_t n, size_t *open,
	   proc_data_fn fn, void *userdata, struct testr_context *ctx)
{
	bool ended = false;
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < n; i++) {
		if (pfds[i].fd < 0 || !pfds[i].revents)
			continue;
		rc = pump_one(&pfds[i], fds, i, fn, userdata, ctx);
		ended |= pfds[i].fd < 0;
	}
	/* At an end of file the callback may have handed over new ones. */
	if (ended)
		*open = pump_sync(pfds, fds, n);
	return rc;
}

int
proc_pump(struct testr_context *ctx, int *fds, size_t n,
	  proc_data_fn fn, void *userdata, const volatile sig_atomic_t *stop)
{
	return proc_pump_ticking(ctx, fds, n, fn, NULL, userdata, stop);
}

int
proc_pump_ticking(struct testr_context *ctx, int *fds, size_t n,
		  proc_data_fn fn, proc_tick_fn tick, void *userdata,
		  const volatile sig_atomic_t *stop)
{
	struct pollfd *pfds = calloc(n ? n : 1, sizeof(*pfds));
	size_t open = 0;
	int rc = TESTR_OK;

	if (!pfds)
		return TESTR_ENOMEM;
	if (!stop)
		stop = context_interrupt_flag(ctx);
	for (size_t i = 0; i < n; i++) {
		pfds[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		open += fds[i] >= 0;
	}
	while (open > 0 && rc == TESTR_OK) {
		if (stop && *stop) {
			rc = TESTR_EINTR;
			break;
		}
		if (tick && (rc = tick(userdata)) < 0)
			break;
		if (poll(pfds, n, stop || tick ? PUMP_TICK_MS : -1) < 0) {
			if (errno != EINTR)
				rc = context_fail(ctx, TESTR_EIO, "poll: %s",
						strerror(errno));
			continue;
		}
		rc = pump_ready(pfds, fds, n, &open, fn, userdata, ctx);
	}
	free(pfds);
	return rc;
}

struct capture_buf {
	char *data[2];
	size_t len[2];
	size_t cap[2];
	size_t round;		/* bytes read since the last tick */
	double deadline;	/* proc_now() seconds; 0: none */
};

static int
capture_append(void *userdata, size_t index, const void *buf, size_t len)
{
	struct capture_buf *c = userdata;
	size_t need = c->len[index] + len + 1;

	c->round += len;
	if (len == 0)
		return TESTR_OK;
	/* Doubling: a listing comes in thousands of small reads. */
	if (need > c->cap[index]) {
		size_t cap = c->cap[index] ? c->cap[index] : 4096;
		char *grown;

		while (cap < need)
			cap *= 2;
		grown = realloc(c->data[index], cap);
		if (!grown)
			return TESTR_ENOMEM;
		c->data[index] = grown;
		c->cap[index] = cap;
	}
	memcpy(c->data[index] + c->len[index], buf, len);
	c->len[index] += len;
	c->data[index][c->len[index]] = '\0';
	return TESTR_OK;
}

static char *
owned_or_empty(char *s)
{
	return s ? s : calloc(1, 1);
}

int
proc_capture(struct proc_capture *out, struct testr_context *ctx,
	     const char *cmd, bool pass_stderr,
	     const volatile sig_atomic_t *stop)
{
	return proc_capture_timed(out, ctx, cmd, pass_stderr, stop, 0);
}

#define SETTLE_SMALL 4096
#define SETTLE_PAUSE_NS 1000000

void
proc_pump_settle(size_t *round)
{
	struct timespec pause = { 0, SETTLE_PAUSE_NS };

	if (*round > 0 && *round < SETTLE_SMALL)
		nanosleep(&pause, NULL);
	*round = 0;
}

/* The pump's tick for a capture: let a trickling command's pipe fill
 * (nobody waits on a capture's every line); past the deadline, give up. */
static int
capture_tick(void *userdata)
{
	struct capture_buf *c = userdata;

	proc_pump_settle(&c->round);
	return c->deadline > 0 && proc_now() >= c->deadline ?
	       TESTR_ETIMEDOUT : TESTR_OK;
}

int
proc_capture_timed(struct proc_capture *out, struct testr_context *ctx,
		   const char *cmd, bool pass_stderr,
		   const volatile sig_atomic_t *stop, double timeout)
{
	struct capture_buf c = { { NULL, NULL }, { 0, 0 }, { 0, 0 }, 0, 0 };
	struct proc p;
	int fds[2], rc;

	memset(out, 0, sizeof(*out));
	/* Its own group: an interrupt stops all of it, grandchildren too. */
	rc = proc_spawn(&p, ctx, cmd, PROC_OWN_GROUP | PROC_PIPE_STDOUT |
			(pass_stderr ? 0 : PROC_PIPE_STDERR));
	if (rc < 0)
		return rc;
	fds[0] = p.out_fd;
	fds[1] = p.err_fd;
	if (timeout > 0)
		c.deadline = proc_now() + timeout;
	rc = proc_pump_ticking(ctx, fds, 2, capture_append, capture_tick, &c,
			       stop);
	/* A hung command (or one that closed its pipes and lingers) is
	 * stopped, its whole group, and insisted on after a grace period. */
	if (rc == TESTR_OK && timeout > 0)
		rc = proc_wait_timed(&p, &out->status,
				     fmax(c.deadline - proc_now(), 1e-3),
				     stop ? stop : context_interrupt_flag(ctx));
	if (rc < 0 && p.pid > 0)
		proc_stop_within(&p, &out->status, rc == TESTR_ETIMEDOUT ?
				 PROC_KILL_GRACE : STOP_GRACE);
	proc_wait(&p, &out->status);
	out->out = owned_or_empty(c.data[0]);
	out->err = owned_or_empty(c.data[1]);
	out->out_len = c.len[0];
	out->err_len = c.len[1];
	if (rc == TESTR_OK && (!out->out || !out->err))
		rc = TESTR_ENOMEM;
	if (rc < 0)
		proc_capture_dispose(out);
	return rc;
}

void
proc_capture_dispose(struct proc_capture *c)
{
	free(c->out);
	free(c->err);
	c->out = c->err = NULL;
	c->out_len = c->err_len = 0;
}

/* ---- the guardian ---------------------------------------------------- */

#define GUARD_MAX 4096
#define GUARD_FILES 256
#define GUARD_PATH_MAX 4096

/*
 * The records the parent sends, each an int32: a positive pgid to watch,
 * a negative one to forget; 0 is followed by an int32 op (GUARD_ADD_FILE or
 * GUARD_FORGET_FILE), a uint32 length and that many bytes of path.
 */
enum { GUARD_ADD_FILE = 1, GUARD_FORGET_FILE = 2 };

/* What the guardian holds; static: after fork() it may not call malloc. */
struct guard_state {
	pid_t groups[GUARD_MAX];
	size_t n_groups;
	char files[GUARD_FILES][GUARD_PATH_MAX];
	size_t n_files;
};

static bool
read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static void
guard_group(struct guard_state *g, int32_t rec)
{
	if (rec > 0 && g->n_groups < GUARD_MAX) {
		g->groups[g->n_groups++] = rec;
		return;
	}
	for (size_t i = 0; i < g->n_groups; i++)
		if (g->groups[i] == -rec)
			g->groups[i] = g->groups[--g->n_groups];
}

/* One file record; false when the pipe ended half-way. */
static bool
guard_file(struct guard_state *g, int fd)
{
	char path[GUARD_PATH_MAX];
	int32_t op;
	uint32_t len;

	if (!read_full(fd, &op, sizeof(op)) || !read_full(fd, &len, sizeof(len)) ||
	    len >= sizeof(path) || !read_full(fd, path, len))
		return false;
	path[len] = '\0';
	if (op == GUARD_ADD_FILE && g->n_files < GUARD_FILES) {
		memcpy(g->files[g->n_files++], path, len + 1);
		return true;
	}
	for (size_t i = 0; op == GUARD_FORGET_FILE && i < g->n_files; i++)
		if (strcmp(g->files[i], path) == 0) {
			memcpy(g->files[i], g->files[--g->n_files], GUARD_PATH_MAX);
			break;
		}
	return true;
}

/*
 * The guardian's whole life, in async-signal-safe calls only: collect
 * records until end of file, then kill the groups and remove the files
 * that are left.
 */
static _Noreturn void
guard_main(int fd)
{
	static struct guard_state g;
	int32_t rec;

	/* Ctrl-C reaches the whole terminal group; the parent handles it. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	while (read_full(fd, &rec, sizeof(rec)))
		if (rec != 0)
			guard_group(&g, rec);
		else if (!guard_file(&g, fd))
			break;
	for (size_t i = 0; i < g.n_groups; i++)
		kill(-g.groups[i], SIGKILL);
	for (size_t i = 0; i < g.n_files; i++)
		unlink(g.files[i]);
	/* Then the directories (unlink() left them), once emptied. */
	for (size_t i = 0; i < g.n_files; i++)
		rmdir(g.files[i]);
	_exit(0);
}

int
proc_guard_start(struct proc_guard *g, struct testr_context *ctx)
{
	int p[2];

	g->pid = 0;
	g->fd = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return context_fail(ctx, TESTR_EIO, "pipe: %s", strerror(errno));
	g->pid = fork();
	if (g->pid == 0) {
		/* Hold nothing of the parent's but the read end. */
		if (dup2(p[0], 3) < 0)
			_exit(0);
		close_range(4, ~0U, 0);
		guard_main(3);
	}
	close(p[0]);
	if (g->pid < 0) {
		close(p[1]);
		g->pid = 0;
		return context_fail(ctx, TESTR_EIO, "fork: %s", strerror(errno));
	}
	g->fd = p[1];
	return TESTR_OK;
}

/* One write per record, so records never interleave or split. */
static void
guard_send(struct proc_guard *g, const void *rec, size_t len)
{
	if (g->fd >= 0 && write(g->fd, rec, len) < 0)
		context_log(NULL, TESTR_LOG_DEBUG, "guardian: %s", strerror(errno));
}

void
proc_guard_watch(struct proc_guard *g, pid_t pgid)
{
	int32_t rec = (int32_t)pgid;

	guard_send(g, &rec, sizeof(rec));
}

void
proc_guard_forget(struct proc_guard *g, pid_t pgid)
{
	int32_t rec = -(int32_t)pgid;

	guard_send(g, &rec, sizeof(rec));
}

static void
guard_send_file(struct proc_guard *g, int32_t op, const char *path)
{
	char rec[3 * sizeof(int32_t) + GUARD_PATH_MAX];
	uint32_t len = path ? (uint32_t)strlen(path) : GUARD_PATH_MAX;
	int32_t zero = 0;

	if (len >= GUARD_PATH_MAX)
		return;		/* too long to keep: left to the parent */
	memcpy(rec, &zero, sizeof(zero));
	memcpy(rec + 4, &op, sizeof(op));
	memcpy(rec + 8, &len, sizeof(len));
	memcpy(rec + 12, path, len);
	guard_send(g, rec, 12 + len);
}

void
proc_guard_add_file(struct proc_guard *g, const char *path)
{
	guard_send_file(g, GUARD_ADD_FILE, path);
}

void
proc_guard_forget_file(struct proc_guard *g, const char *path)
{
	guard_send_file(g, GUARD_FORGET_FILE, path);
}

void
proc_guard_stop(struct proc_guard *g)
{
	close_fd(&g->fd);
	if (g->pid > 0)
		while (waitpid(g->pid, NULL, 0) < 0 && errno == EINTR)
			;
	g->pid = 0;
}
