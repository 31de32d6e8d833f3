/* Unit tests for lib/process.c: spawning, statuses, descriptors, poll. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <testr/testr.h>

#include "../lib/process.h"
#include "harness.h"

const char harness_module[] = "process";

extern char **environ;

static int
cmp_str(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

static struct proc_capture
run_capture(const char *cmd)
{
	struct testr_context *ctx;
	struct proc_capture c;

	testr_context_new(&ctx);
	ck_assert_int_eq(proc_capture(&c, ctx, cmd, false, NULL), 0);
	testr_context_free(ctx);
	return c;
}

START_TEST(process_reports_exit_code)
{
	struct proc_capture c = run_capture("exit 3");

	ck_assert_int_eq(c.status.exit_code, 3);
	ck_assert_int_eq(c.status.signal, 0);
	proc_capture_dispose(&c);
}
END_TEST

START_TEST(process_reports_killing_signal)
{
	struct proc_capture c = run_capture("kill -TERM $$");
	char buf[64];

	ck_assert_int_eq(c.status.signal, SIGTERM);
	ck_assert_int_eq(c.status.exit_code, -1);
	proc_status_describe(&c.status, buf, sizeof(buf));
	ck_assert_str_eq(buf, "signal 15 (Terminated)");
	proc_capture_dispose(&c);
}
END_TEST

START_TEST(process_captures_stdout_and_stderr_separately)
{
	struct proc_capture c = run_capture("echo out; echo err >&2; exit 1");

	ck_assert_str_eq(c.out, "out\n");
	ck_assert_str_eq(c.err, "err\n");
	ck_assert_int_eq(c.status.exit_code, 1);
	proc_capture_dispose(&c);
}
END_TEST

START_TEST(process_capture_keeps_every_byte_of_a_trickling_writer)
{
	/* Thousands of small writes on both pipes (a runner listing its ids,
	 * one flush each), read in coalesced rounds into growing buffers:
	 * nothing lost, nothing repeated, each stream whole. */
	struct proc_capture c = run_capture(
		"i=0; while [ $i -lt 3000 ]; do printf '%05d\\n' $i; "
		"[ $((i % 100)) -eq 0 ] && printf 'e%d\\n' $i >&2; "
		"i=$((i + 1)); done");
	char line[16];

	ck_assert_uint_eq(c.out_len, 3000 * 6);
	ck_assert_uint_eq(strlen(c.out), c.out_len);
	for (int i = 0; i < 3000; i++) {
		snprintf(line, sizeof(line), "%05d\n", i);
		ck_assert_msg(memcmp(c.out + 6 * i, line, 6) == 0,
			      "line %d is '%.6s'", i, c.out + 6 * i);
	}
	ck_assert_str_eq(c.err + c.err_len - 6, "e2900\n");
	ck_assert(strncmp(c.err, "e0\ne100\n", 8) == 0);
	proc_capture_dispose(&c);
}
END_TEST

START_TEST(process_stdin_is_dev_null)
{
	struct proc_capture c = run_capture("cat; echo after");

	ck_assert_str_eq(c.out, "after\n");
	proc_capture_dispose(&c);
}
END_TEST

START_TEST(process_child_sees_only_standard_descriptors)
{
	/* A descriptor the parent leaks on purpose (no O_CLOEXEC). */
	int leak = open("/dev/null", O_RDONLY);
	struct proc_capture c;

	ck_assert_int_ge(leak, 3);
	c = run_capture("ls /proc/$$/fd");
	ck_assert_str_eq(c.out, "0\n1\n2\n");
	proc_capture_dispose(&c);
	close(leak);
}
END_TEST

/* Valgrind cannot survive a failed execve (it kills the child itself). */
static bool
under_valgrind(void)
{
	const char *preload = getenv("LD_PRELOAD");

	return preload && strstr(preload, "vgpreload");
}

START_TEST(process_failed_exec_is_reported)
{
	/* One argument longer than the kernel allows makes execve fail. */
	size_t len = 300 * 1024;
	char *cmd = malloc(len + 1);
	struct testr_context *ctx;
	struct proc_status st;
	struct proc p;
	int rc;

	memset(cmd, 'x', len);
	cmd[len] = '\0';
	testr_context_new(&ctx);
	rc = proc_spawn(&p, ctx, cmd, PROC_PIPE_STDOUT);
	if (under_valgrind() && rc == TESTR_OK) {
		/* The child died instead of reporting: never a success. */
		ck_assert_int_eq(proc_wait(&p, &st), 0);
		ck_assert(st.exit_code != 0 || st.signal != 0);
	} else {
		ck_assert_int_eq(rc, TESTR_ECHILD);
		ck_assert_ptr_nonnull(strstr(testr_context_error(ctx),
					     "Argument list too long"));
		ck_assert_int_eq(p.pid, 0);
		ck_assert_int_eq(p.out_fd, -1);
	}
	testr_context_free(ctx);
	free(cmd);
}
END_TEST

/* The value of "@key:" in /proc/@pid/status-like text @s, or -1. */
static long
status_field(const char *s, const char *key)
{
	const char *at = strstr(s, key);

	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

START_TEST(process_plain_command_runs_without_a_shell)
{
	/* Its parent is us: no sh in between (dash would fork it). */
	struct proc_capture c = run_capture("/bin/cat /proc/self/status");

	ck_assert_int_eq(c.status.exit_code, 0);
	ck_assert_int_eq(status_field(c.out, "\nPPid:"), (long)getpid());
	proc_capture_dispose(&c);
	/* Found on PATH as the shell finds it. */
	c = run_capture("cat /proc/self/status");
	ck_assert_int_eq(status_field(c.out, "\nPPid:"), (long)getpid());
	proc_capture_dispose(&c);
}
END_TEST

START_TEST(process_plain_command_gets_the_pwd_sh_would_set)
{
	char *cwd = getcwd(NULL, 0), want[4200];
	const char *old = getenv("PWD");
	char *saved = old ? strdup(old) : NULL;
	struct proc_capture c;

	snprintf(want, sizeof(want), "\nPWD=%s\n", cwd);
	setenv("PWD", "/nonexistent-dir", 1);
	c = run_capture("/usr/bin/env");
	ck_assert_msg(strstr(c.out, want), "%s", c.out);
	ck_assert_ptr_null(strstr(c.out, "/nonexistent-dir"));
	proc_capture_dispose(&c);
	unsetenv("PWD");
	c = run_capture("/usr/bin/env");
	ck_assert_msg(strstr(c.out, want), "%s", c.out);
	proc_capture_dispose(&c);
	if (saved)
		setenv("PWD", saved, 1);
	free(saved);
	free(cwd);
}
END_TEST

/* The lines of @s sorted, joined again (malloc'd): an environment's
 * entries in a comparable order. */
static char *
sorted_lines(const char *s)
{
	char *copy = strdup(s), **lines = NULL, *out;
	size_t n = 0, len = 0;

	for (char *p = strtok(copy, "\n"); p; p = strtok(NULL, "\n")) {
		lines = realloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = p;
		len += strlen(p) + 1;
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	out = calloc(len + 1, 1);
	for (size_t i = 0; i < n; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
	}
	free(lines);
	free(copy);
	return out;
}

/* @cmd, run as a plain command, sees what `@cmd;` (run by the shell
 * because of the `;`) sees on its standard output. */
static void
assert_same_as_through_the_shell(const char *cmd, bool sort)
{
	char *shell_cmd = malloc(strlen(cmd) + 2);
	struct proc_capture direct, shell;
	char *a, *b;

	sprintf(shell_cmd, "%s;", cmd);
	direct = run_capture(cmd);
	shell = run_capture(shell_cmd);
	ck_assert_int_eq(direct.status.exit_code, 0);
	ck_assert_int_eq(shell.status.exit_code, 0);
	a = sort ? sorted_lines(direct.out) : strdup(direct.out);
	b = sort ? sorted_lines(shell.out) : strdup(shell.out);
	ck_assert_msg(strcmp(a, b) == 0, "%s: directly:\n%s\nthrough sh:\n%s",
		      cmd, a, b);
	free(a);
	free(b);
	proc_capture_dispose(&direct);
	proc_capture_dispose(&shell);
	free(shell_cmd);
}

START_TEST(process_program_in_an_empty_path_entry_gets_the_shells_argv0)
{
	char *dir = harness_tmpdir(), *cwd = getcwd(NULL, 0);
	char *old = strdup(getenv("PATH")), *path = malloc(strlen(old) + 2);
	FILE *f;

	ck_assert_int_eq(chdir(dir), 0);
	f = fopen("prog-argv0", "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\necho \"$0\"\n", f);
	fclose(f);
	ck_assert_int_eq(chmod("prog-argv0", 0755), 0);
	/* dash runs "prog-argv0" from an empty entry, bash "./prog-argv0":
	 * a script's $0 is whatever /bin/sh says. */
	sprintf(path, ":%s", old);
	setenv("PATH", path, 1);
	assert_same_as_through_the_shell("prog-argv0", false);
	sprintf(path, "%s:", old);
	setenv("PATH", path, 1);
	assert_same_as_through_the_shell("prog-argv0", false);
	setenv("PATH", old, 1);
	ck_assert_int_eq(chdir(cwd), 0);
	harness_rmtree(dir);
	free(path);
	free(old);
	free(cwd);
	free(dir);
}
END_TEST

START_TEST(process_plain_command_gets_the_environment_sh_passes_on)
{
	static const char *const vars[][2] = {
		{ "TESTR_PLAIN_X", "1" },	/* kept as it is */
		{ "A-B", "dropped by sh" }, { "a.b", "dropped by sh" },
		{ "BASH_FUNC_f%%", "() { :; }" },
		{ "IFS", ":" }, { "OPTIND", "5" }, { "PPID", "1" },
	};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		ck_assert_int_eq(setenv(vars[i][0], vars[i][1], 1), 0);
		assert_same_as_through_the_shell("/usr/bin/env", true);
		if (i > 0)
			unsetenv(vars[i][0]);
	}
	/* No '=' at all, and a name given twice (the shell keeps the last). */
	for (size_t i = 0; i < 2; i++) {
		char **saved = environ;
		size_t n = 0;
		char **env;

		while (saved[n])
			n++;
		env = calloc(n + 3, sizeof(*env));
		memcpy(env, saved, n * sizeof(*env));
		env[n] = i == 0 ? "TESTR_NO_EQUALS" : "TESTR_PLAIN_X=2";
		environ = env;
		assert_same_as_through_the_shell("/usr/bin/env", true);
		environ = saved;
		free(env);
	}
	unsetenv("TESTR_PLAIN_X");
}
END_TEST

START_TEST(process_missing_program_fails_as_through_the_shell)
{
	struct proc_capture c;

	/* (Valgrind cannot survive the failed execve before sh.) */
	if (!under_valgrind()) {
		c = run_capture("/nonexistent/runner --list");
		ck_assert_int_eq(c.status.exit_code, 127);
		ck_assert_msg(strstr(c.err, "not found"), "%s", c.err);
		proc_capture_dispose(&c);
	}
	c = run_capture("testr-no-such-runner-anywhere --list");
	ck_assert_int_eq(c.status.exit_code, 127);
	ck_assert_msg(strstr(c.err, "not found"), "%s", c.err);
	proc_capture_dispose(&c);
}
END_TEST

struct interleave {
	char marker[512];
	char seen[2][64];
};

static int
interleave_data(void *userdata, size_t index, const void *buf, size_t len)
{
	struct interleave *il = userdata;
	size_t have = strlen(il->seen[index]);

	if (len == 0)
		return 0;
	ck_assert_uint_lt(have + len, sizeof(il->seen[index]));
	memcpy(il->seen[index] + have, buf, len);
	/* Child 0 only finishes once child 1 has been heard from. */
	if (index == 1)
		close(open(il->marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	return 0;
}

START_TEST(process_pump_reads_all_children_at_once)
{
	char *dir = harness_tmpdir();
	struct interleave il = { .seen = { "", "" } };
	struct testr_context *ctx;
	struct proc p[2];
	struct proc_status st;
	char cmd[1200];
	int fds[2];

	snprintf(il.marker, sizeof(il.marker), "%s/marker", dir);
	snprintf(cmd, sizeof(cmd),
		 "echo a; while [ ! -e '%s' ]; do sleep 0.01; done; echo b",
		 il.marker);
	testr_context_new(&ctx);
	ck_assert_int_eq(proc_spawn(&p[0], ctx, cmd, PROC_PIPE_STDOUT), 0);
	ck_assert_int_eq(proc_spawn(&p[1], ctx, "sleep 0.2; echo c",
				    PROC_PIPE_STDOUT), 0);
	fds[0] = p[0].out_fd;
	fds[1] = p[1].out_fd;
	ck_assert_int_eq(proc_pump(ctx, fds, 2, interleave_data, &il, NULL), 0);
	ck_assert_str_eq(il.seen[0], "a\nb\n");
	ck_assert_str_eq(il.seen[1], "c\n");
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(proc_wait(&p[i], &st), 0);
		ck_assert_int_eq(st.exit_code, 0);
	}
	testr_context_free(ctx);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

static int
ignore_data(void *userdata, size_t index, const void *buf, size_t len)
{
	volatile sig_atomic_t *stop = userdata;

	(void)index;
	(void)buf;
	if (len > 0)
		*stop = 1;	/* as a SIGINT handler would */
	return 0;
}

START_TEST(process_pump_stops_when_interrupted)
{
	volatile sig_atomic_t stop = 0;
	struct testr_context *ctx;
	struct proc p;
	struct proc_status st;

	testr_context_new(&ctx);
	ck_assert_int_eq(proc_spawn(&p, ctx, "echo x; exec sleep 30",
				    PROC_PIPE_STDOUT | PROC_OWN_GROUP), 0);
	ck_assert_int_eq(proc_pump(ctx, &p.out_fd, 1, ignore_data,
				   (void *)&stop, &stop), TESTR_EINTR);
	proc_kill(&p, SIGTERM);
	ck_assert_int_eq(proc_wait(&p, &st), 0);
	ck_assert_int_eq(st.signal, SIGTERM);
	testr_context_free(ctx);
}
END_TEST

static char *
touch_in(const char *dir, const char *name)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	int fd;

	sprintf(path, "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	return path;
}

START_TEST(guard_removes_the_files_still_held_when_the_parent_dies)
{
	char *dir = harness_tmpdir();
	char *held = touch_in(dir, "held"), *forgotten = touch_in(dir, "forgotten");
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct proc_guard g;

		if (proc_guard_start(&g, NULL) != 0)
			_exit(1);
		proc_guard_add_file(&g, held);
		proc_guard_add_file(&g, forgotten);
		proc_guard_forget_file(&g, forgotten);
		raise(SIGKILL);	/* as when testr is SIGKILLed */
	}
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	/* The guardian acts on end of file; give it up to 10 s. */
	for (int i = 0; i < 1000 && access(held, F_OK) == 0; i++)
		usleep(10000);
	ck_assert_int_ne(access(held, F_OK), 0);
	ck_assert_int_eq(access(forgotten, F_OK), 0);
	harness_rmtree(dir);
	free(held);
	free(forgotten);
	free(dir);
}
END_TEST

START_TEST(guard_removes_a_held_directory_after_its_files)
{
	char *dir = harness_tmpdir();
	char *sub = malloc(strlen(dir) + 8), *inner, *full;
	pid_t pid;

	sprintf(sub, "%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	inner = touch_in(sub, "pipe");
	full = malloc(strlen(dir) + 8);
	sprintf(full, "%s/full", dir);
	ck_assert_int_eq(mkdir(full, 0700), 0);
	free(touch_in(full, "kept"));
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct proc_guard g;

		if (proc_guard_start(&g, NULL) != 0)
			_exit(1);
		/* The directory first: it is still removed after its file. */
		proc_guard_add_file(&g, sub);
		proc_guard_add_file(&g, inner);
		proc_guard_add_file(&g, full);
		raise(SIGKILL);
	}
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	for (int i = 0; i < 1000 && access(sub, F_OK) == 0; i++)
		usleep(10000);
	ck_assert_int_ne(access(sub, F_OK), 0);
	/* A directory holding what nobody asked to remove stays. */
	ck_assert_int_eq(access(full, F_OK), 0);
	harness_rmtree(dir);
	free(inner);
	free(sub);
	free(full);
	free(dir);
}
END_TEST

/* The state letter of process @pid once it is no longer running (or
 * 'Z' for a process gone altogether), waiting up to @seconds. */
static char
proc_state_after(long pid, double seconds)
{
	char path[64], state = 'R';

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	for (int i = 0; i < (int)(seconds * 100); i++) {
		FILE *f = fopen(path, "r");

		if (!f)
			return 'Z';	/* reaped: gone */
		state = 0;
		ck_assert_int_eq(fscanf(f, "%*d %*s %c", &state), 1);
		fclose(f);
		if (state == 'Z' || state == 'X')
			return 'Z';
		usleep(10000);
	}
	return state;
}

START_TEST(process_capture_timed_stops_a_group_ignoring_sigterm)
{
	struct testr_context *ctx;
	struct proc_capture c;
	char *dir = harness_tmpdir(), cmd[512], pidtext[32] = "";
	FILE *f;
	long pid;

	snprintf(cmd, sizeof(cmd), "trap '' TERM; echo partial; sleep 300 & "
		 "echo $! > %s/pid; wait", dir);
	testr_context_new(&ctx);
	ck_assert_int_eq(proc_capture_timed(&c, ctx, cmd, false, NULL, 0.2),
			 TESTR_ETIMEDOUT);
	ck_assert_ptr_null(c.out);	/* nothing is handed back */
	snprintf(cmd, sizeof(cmd), "%s/pid", dir);
	f = fopen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(pidtext, sizeof(pidtext), f));
	fclose(f);
	pid = strtol(pidtext, NULL, 10);
	ck_assert_int_gt(pid, 0);
	/* The grandchild went with its group: dead, or a zombie nobody reaps.
	 * SIGKILL is delivered asynchronously: on a loaded machine the
	 * process can still read as running for a moment, so allow 10 s. */
	ck_assert_int_eq(proc_state_after(pid, 10.0), 'Z');
	testr_context_free(ctx);
	harness_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(process_capture_timed_returns_what_finished_in_time)
{
	struct testr_context *ctx;
	struct proc_capture c;

	testr_context_new(&ctx);
	ck_assert_int_eq(proc_capture_timed(&c, ctx, "echo quick; exit 2", false,
					    NULL, 30), 0);
	ck_assert_str_eq(c.out, "quick\n");
	ck_assert_int_eq(c.status.exit_code, 2);
	proc_capture_dispose(&c);
	testr_context_free(ctx);
}
END_TEST

START_TEST(process_wait_timed_stops_a_child_that_closed_its_pipes)
{
	struct testr_context *ctx;
	struct proc p;
	struct proc_status st;

	testr_context_new(&ctx);
	ck_assert_int_eq(proc_spawn(&p, ctx, "exec >&- 2>&-; sleep 300",
				    PROC_OWN_GROUP), 0);
	ck_assert_int_eq(proc_wait_timed(&p, &st, 0.2, NULL), TESTR_ETIMEDOUT);
	ck_assert_int_eq(p.pid, 0);
	ck_assert_int_eq(st.signal, SIGTERM);
	testr_context_free(ctx);
}
END_TEST

START_TEST(process_timeout_error_is_one_line_naming_the_command)
{
	struct testr_context *ctx;

	testr_context_new(&ctx);
	ck_assert_int_eq(proc_fail_timeout(ctx, "instance_dispose",
					   "instance_dispose_timeout", 1.5,
					   "a\nb'c"), TESTR_ETIMEDOUT);
	ck_assert_str_eq(testr_context_error(ctx), "instance_dispose timed out "
			 "after 1.5 s (instance_dispose_timeout); its command "
			 "was: 'a\\nb\\'c'");
	testr_context_free(ctx);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, guard_removes_the_files_still_held_when_the_parent_dies);
	HARNESS_ADD(h, guard_removes_a_held_directory_after_its_files);
	HARNESS_ADD(h, process_reports_exit_code);
	HARNESS_ADD(h, process_capture_keeps_every_byte_of_a_trickling_writer);
	HARNESS_ADD(h, process_reports_killing_signal);
	HARNESS_ADD(h, process_captures_stdout_and_stderr_separately);
	HARNESS_ADD(h, process_stdin_is_dev_null);
	HARNESS_ADD(h, process_child_sees_only_standard_descriptors);
	HARNESS_ADD(h, process_failed_exec_is_reported);
	HARNESS_ADD(h, process_plain_command_runs_without_a_shell);
	HARNESS_ADD(h, process_plain_command_gets_the_pwd_sh_would_set);
	HARNESS_ADD(h, process_missing_program_fails_as_through_the_shell);
	HARNESS_ADD(h, process_program_in_an_empty_path_entry_gets_the_shells_argv0);
	HARNESS_ADD(h, process_plain_command_gets_the_environment_sh_passes_on);
	HARNESS_ADD(h, process_pump_reads_all_children_at_once);
	HARNESS_ADD(h, process_pump_stops_when_interrupted);
	HARNESS_ADD(h, process_capture_timed_stops_a_group_ignoring_sigterm);
	HARNESS_ADD(h, process_capture_timed_returns_what_finished_in_time);
	HARNESS_ADD(h, process_wait_timed_stops_a_child_that_closed_its_pipes);
	HARNESS_ADD(h, process_timeout_error_is_one_line_naming_the_command);
}
