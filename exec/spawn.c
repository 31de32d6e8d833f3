/*
 * spawn: run one test in its own process group, stream its output as an
 * attachment, enforce its timeout, and turn its exit into a status.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"

volatile int exec_interrupted;

/* How long a test gets between SIGTERM and SIGKILL. */
#define KILL_GRACE_MS 1000

struct child {
	pid_t pid;
	int out;		/* read end of its stdout+stderr */
	int status;
	bool exited;
	bool timed_out;
	bool killed;		/* SIGTERM sent; SIGKILL at kill_at */
	double kill_at;
	/* TAP protocol: its output decoded to find failures. */
	struct testr_subunit_decoder *tap;
	unsigned tap_failed, tap_passed, tap_skipped;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: environment, directory, exec.  Never returns.  @argv is
 * t->argv NULL-terminated (a testr_strv is not). */
static void
child_exec(const struct exec_test *t, char **argv, int out)
{
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(out, 2) < 0)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	for (size_t i = 0; i < t->env.n; i++)
		putenv(t->env.v[i]);
	if (t->workdir && chdir(t->workdir) != 0) {
		dprintf(2, "testr-exec: cd %s: %s\n", t->workdir,
			strerror(errno));
		_exit(127);
	}
	if (t->argv.n > 0) {
		execvp(argv[0], argv);
		dprintf(2, "testr-exec: %s: %s\n", t->argv.v[0],
			strerror(errno));
	} else {
		execl("/bin/sh", "sh", "-c", t->shell_command, (char *)NULL);
		dprintf(2, "testr-exec: /bin/sh: %s\n", strerror(errno));
	}
	_exit(127);
}

static int
start(struct child *c, const struct exec_test *t)
{
	char **argv = calloc(t->argv.n + 1, sizeof(*argv));
	int p[2];

	if (!argv || pipe2(p, O_CLOEXEC) != 0) {
		free(argv);
		return -1;
	}
	memcpy(argv, t->argv.v, t->argv.n * sizeof(*argv));
	c->pid = fork();
	if (c->pid == 0)
		child_exec(t, argv, p[1]);
	free(argv);
	close(p[1]);
	if (c->pid < 0) {
		close(p[0]);
		return -1;
	}
	setpgid(c->pid, c->pid);	/* both sides: no race with kill */
	c->out = p[0];
	return 0;
}

static int
tap_event(void *userdata, const struct testr_event *ev)
{
	struct child *c = userdata;

	if (ev->status == TESTR_STATUS_FAIL || ev->status == TESTR_STATUS_UXSUCCESS)
		c->tap_failed++;
	else if (ev->status == TESTR_STATUS_SUCCESS ||
		 ev->status == TESTR_STATUS_XFAIL)
		c->tap_passed++;
	else if (ev->status == TESTR_STATUS_SKIP)
		c->tap_skipped++;
	return 0;
}

static int
forward(struct exec_out *o, const struct exec_test *t, struct child *c)
{
	char buf[65536];
	ssize_t n = read(c->out, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		close(c->out);
		c->out = -1;
		return 0;
	}
	if (c->tap)
		testr_subunit_decoder_feed(c->tap, buf, (size_t)n);
	return exec_emit(o, t->id, TESTR_STATUS_UNDEFINED, "stdout", buf,
			 (size_t)n, false);
}

static void
signal_group(struct child *c, int sig)
{
	if (!c->exited)
		kill(-c->pid, sig);
}

/* The timeout or an interrupt: SIGTERM, then SIGKILL after a grace. */
static void
maybe_kill(struct child *c, double deadline)
{
	double now = now_s();

	if (!c->killed && (exec_interrupted || (deadline > 0 && now >= deadline))) {
		c->timed_out = !exec_interrupted;
		c->killed = true;
		c->kill_at = now + KILL_GRACE_MS / 1000.0;
		signal_group(c, SIGTERM);
	} else if (c->killed && now >= c->kill_at) {
		signal_group(c, SIGKILL);
		c->kill_at = now + 3600;
	}
}

static void
reap(struct child *c)
{
	if (!c->exited && waitpid(c->pid, &c->status, WNOHANG) == c->pid) {
		c->exited = true;
		/* Whatever it left behind in its group goes too: a daemon
		 * holding the pipe open must not hang the run. */
		kill(-c->pid, SIGKILL);
	}
}

/* Poll the output until the test has exited and its pipe is drained. */
static int
watch(struct exec_out *o, const struct exec_test *t, struct child *c,
      double deadline)
{
	int rc = 0;

	while (rc == 0 && (!c->exited || c->out >= 0)) {
		struct pollfd pfd = { c->out, POLLIN, 0 };

		if (c->out >= 0 && poll(&pfd, 1, 50) > 0)
			rc = forward(o, t, c);
		else if (c->out < 0)
			poll(NULL, 0, 2);
		reap(c);
		if (!c->exited)
			maybe_kill(c, deadline);
	}
	if (!c->exited)
		waitpid(c->pid, &c->status, 0);
	return rc;
}

/* The status the exit gives, and why, in @why (empty for success). */
static enum testr_status
verdict(const struct exec_test *t, const struct child *c, char *why,
	size_t n, double timeout)
{
	int code = WIFEXITED(c->status) ? WEXITSTATUS(c->status) : -1;
	bool ok;

	why[0] = '\0';
	if (c->timed_out) {
		snprintf(why, n, "timed out after %g s", timeout);
		return TESTR_STATUS_FAIL;
	}
	if (exec_interrupted) {
		snprintf(why, n, "interrupted");
		return TESTR_STATUS_FAIL;
	}
	if (code >= 0 && code == t->skip_code)
		return TESTR_STATUS_SKIP;
	if (code < 0)
		snprintf(why, n, "killed by signal %d (%s)",
			 WTERMSIG(c->status), strsignal(WTERMSIG(c->status)));
	else if (code != 0)
		snprintf(why, n, "exit status %d", code);
	ok = code == 0 && (!t->tap || c->tap_failed == 0);
	if (t->tap && c->tap_failed)
		snprintf(why, n, "%u TAP test points failed", c->tap_failed);
	if (t->should_fail)
		ok = !ok && code > 0;	/* a crash is never the expected failure */
	if (t->should_fail && !ok)
		snprintf(why, n, "expected to fail but %s",
			 code == 0 ? "exited 0" : why);
	if (ok)
		why[0] = '\0';
	return ok ? TESTR_STATUS_SUCCESS : TESTR_STATUS_FAIL;
}

static int
tap_start(struct child *c)
{
	struct testr_subunit_decoder_options opts =
		TESTR_SUBUNIT_DECODER_OPTIONS_INIT;

	opts.protocol = TESTR_SUBUNIT_TAP;
	opts.on_event = tap_event;
	opts.userdata = c;
	return testr_subunit_decoder_new(&c->tap, NULL, &opts);
}

int
exec_run_test(struct exec_out *o, const struct exec_test *t,
	      double timeout_multiplier)
{
	struct child c = { .out = -1 };
	double timeout = t->timeout * timeout_multiplier;
	char why[256];
	enum testr_status st;
	int rc;

	if ((rc = exec_emit(o, t->id, TESTR_STATUS_INPROGRESS, NULL, NULL, 0,
			    false)) != 0)
		return rc;
	if ((t->tap && tap_start(&c) != 0) || start(&c, t) != 0) {
		snprintf(why, sizeof(why), "cannot start: %s", strerror(errno));
		testr_subunit_decoder_free(c.tap);
		return exec_emit_result(o, t->id, TESTR_STATUS_FAIL, why);
	}
	rc = watch(o, t, &c, timeout > 0 ? now_s() + timeout : 0);
	if (c.out >= 0)
		close(c.out);
	if (c.tap)
		testr_subunit_decoder_finish(c.tap);
	if (rc == 0)
		rc = exec_emit(o, t->id, TESTR_STATUS_UNDEFINED, "stdout", "", 0,
			       true);
	st = verdict(t, &c, why, sizeof(why), timeout);
	testr_subunit_decoder_free(c.tap);
	return rc ? rc : exec_emit_result(o, t->id, st, why[0] ? why : NULL);
}
