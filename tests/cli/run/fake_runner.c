/*
 * A test runner for testing testr run: it speaks subunit v2 and does, per
 * test id, what the id asks for.
 *
 *   fake_runner --list [--plain]     list the ids in $FAKE_TESTS
 *   fake_runner [--load-list FILE]   run FILE's ids, or all of $FAKE_TESTS
 *   fake_runner --pull [FIFO]        pull mode: run ids as they arrive on
 *                                    stdin (or FIFO), one per line
 *
 * Every run appends one line to $FAKE_LOG (if set): "<pid>:<ids...>", the
 * ids it was given, space separated, so tests can check partitions; in
 * pull mode one line "<pid>:<id>" per id, as it is read.
 * An id containing
 *   fail      fails (with a traceback)      skip     is skipped
 *   silent    is never reported             crash    makes the runner exit 3
 *   selfkill  makes the runner SIGKILL itself
 *   hang      blocks for a minute first      noisy    prints a non-subunit line
 *   timeN     reports a duration of N ms (fake clock, no sleeping)
 *   sleepN    sleeps N ms
 *   flakyN    fails once $FAKE_LOG has N or more lines (the Nth runner)
 *   passonN   fails until N runners were given it (per $FAKE_LOG): on
 *             its Nth attempt it passes
 *   polluter  succeeds, and breaks every later "victim" in this runner
 *   victim    fails if a polluter ran before it in the same runner
 *   scenarios is reported as two scenarios, "<id>(a)" and "<id>(b)"
 *   stray     also reports "stray.unasked", a test it was not given
 *   stderr    prints "stderr from ID" on stderr, and the runner's last
 *             words are "last words after ID", without a newline
 *   await     waits (up to 30 s) until file $FAKE_AWAIT_FILE contains the
 *             text $FAKE_AWAIT_TEXT; fails if it never does
 *   stuck     once in progress, prints "stuck in ID" on stderr and
 *             runs `sleep 100000` (a child holding its stdout)
 *   deaf      as stuck, ignoring SIGTERM
 *   wedge     as stuck when $FAKE_WEDGE is set (a test that hangs only
 *             now, after a history of passing)
 *   segv      once in progress, dies of SIGSEGV
 * and otherwise succeeds.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <testr/testr.h>

static int
write_out(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	return fwrite(buf, 1, len, stdout) == len ? 0 : TESTR_EIO;
}

/* A fake clock: starts now, moves only when an id says timeN. */
static int64_t clock_ms;

static void
emit(const char *id, enum testr_status st, const char *file,
     const char *bytes)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP;
	ev.status = st;
	ev.runnable = true;
	ev.test_id = id;
	ev.ts_sec = clock_ms / 1000;
	ev.ts_nsec = (uint32_t)(clock_ms % 1000) * 1000000u;
	if (file) {
		ev.fields |= TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE;
		ev.file_name = file;
		ev.mime_type = "text/plain;charset=utf8";
		ev.file_bytes = (const unsigned char *)bytes;
		ev.file_len = strlen(bytes);
		ev.eof = true;
	}
	testr_subunit_encode_v2(NULL, &ev, write_out, NULL);
	fflush(stdout);
}

static long
number_after(const char *id, const char *word)
{
	const char *s = strstr(id, word);

	return s ? strtol(s + strlen(word), NULL, 10) : 0;
}

/* Runners started so far: the lines of $FAKE_LOG. */
static long
runs_logged(void)
{
	const char *path = getenv("FAKE_LOG");
	FILE *f = path ? fopen(path, "r") : NULL;
	long lines = 0;
	int c;

	while (f && (c = fgetc(f)) != EOF)
		lines += c == '\n';
	if (f)
		fclose(f);
	return lines;
}

/* Runners that were given @id so far, this one included: the lines of
 * $FAKE_LOG holding it as a word. */
static long
attempts_logged(const char *id)
{
	const char *path = getenv("FAKE_LOG");
	FILE *f = path ? fopen(path, "r") : NULL;
	char line[8192];
	size_t len = strlen(id);
	long n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		char *word = strchr(line, ':');

		for (word = strtok(word ? word + 1 : line, " \n"); word;
		     word = strtok(NULL, " \n"))
			if (strlen(word) == len && strcmp(word, id) == 0) {
				n++;
				break;
			}
	}
	if (f)
		fclose(f);
	return n;
}

static bool polluted;
static const char *last_words;	/* an id: say so on exit, no newline */

/* Does the file @path contain @text yet?  Polled for "await". */
static bool
file_has(const char *path, const char *text)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char buf[65536];
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return text && strstr(buf, text);
}

static bool
awaited(void)
{
	struct timespec tick = { 0, 50000000L };

	for (int i = 0; i < 600; i++) {
		if (file_has(getenv("FAKE_AWAIT_FILE"), getenv("FAKE_AWAIT_TEXT")))
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

static void
run_one(const char *id)
{
	long ms;

	if (strstr(id, "noisy")) {
		printf("noise from %s\n", id);
		fflush(stdout);
	}
	if (strstr(id, "hang"))
		sleep(60);
	if (strstr(id, "crash"))
		exit(3);
	if (strstr(id, "selfkill"))
		raise(SIGKILL);
	if (strstr(id, "stray"))
		emit("stray.unasked", TESTR_STATUS_SUCCESS, NULL, NULL);
	if (strstr(id, "scenarios")) {
		char name[4200];

		for (char sc = 'a'; sc <= 'b'; sc++) {
			snprintf(name, sizeof(name), "%s(%c)", id, sc);
			emit(name, TESTR_STATUS_SUCCESS, NULL, NULL);
		}
		return;
	}
	if (strstr(id, "silent"))
		return;
	emit(id, TESTR_STATUS_INPROGRESS, NULL, NULL);
	if (strstr(id, "stderr")) {
		fprintf(stderr, "stderr from %s\n", id);
		fflush(stderr);
		last_words = id;
	}
	if (strstr(id, "deaf"))
		signal(SIGTERM, SIG_IGN);
	if (strstr(id, "stuck") || strstr(id, "deaf") ||
	    (strstr(id, "wedge") && getenv("FAKE_WEDGE"))) {
		fprintf(stderr, "stuck in %s\n", id);
		fflush(stderr);
		for (;;)
			if (system("sleep 100000") != 0)
				pause();
	}
	if (strstr(id, "segv"))
		raise(SIGSEGV);
	if (strstr(id, "await") && !awaited()) {
		emit(id, TESTR_STATUS_FAIL, "traceback", "the awaited text never came\n");
		return;
	}
	if ((ms = number_after(id, "sleep")) > 0) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		clock_ms += ms;
	}
	clock_ms += number_after(id, "time");
	if (strstr(id, "polluter"))
		polluted = true;
	if (strstr(id, "fail") || (strstr(id, "victim") && polluted) ||
	    (strstr(id, "flaky") && runs_logged() >= number_after(id, "flaky")) ||
	    (strstr(id, "passon") && attempts_logged(id) < number_after(id, "passon")))
		emit(id, TESTR_STATUS_FAIL, "traceback", "Traceback: it failed\n");
	else if (strstr(id, "skip"))
		emit(id, TESTR_STATUS_SKIP, "reason", "not today\n");
	else
		emit(id, TESTR_STATUS_SUCCESS, NULL, NULL);
}

static void
read_ids(struct testr_strv *ids, const char *path)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char line[4096];

	if (!f) {
		fprintf(stderr, "fake_runner: cannot open %s\n",
			path ? path : "$FAKE_TESTS");
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line)
			testr_strv_push(ids, line);
	}
	fclose(f);
}

static void
log_ids(const struct testr_strv *ids)
{
	const char *path = getenv("FAKE_LOG");
	FILE *f = path ? fopen(path, "a") : NULL;

	if (!f)
		return;
	/* One line per runner; small enough for one atomic append. */
	fprintf(f, "%ld:", (long)getpid());
	for (size_t i = 0; i < ids->n; i++)
		fprintf(f, "%s%s", i ? " " : "", ids->v[i]);
	fputc('\n', f);
	fclose(f);
}

/* Pull mode: each id as it arrives, its results flushed at once. */
static void
run_pulled(const char *fifo)
{
	FILE *in = fifo ? fopen(fifo, "r") : stdin;
	char line[4096];

	if (!in) {
		fprintf(stderr, "fake_runner: cannot open %s\n", fifo);
		exit(2);
	}
	while (fgets(line, sizeof(line), in)) {
		struct testr_strv one = TESTR_STRV_INIT;

		line[strcspn(line, "\n")] = '\0';
		testr_strv_push(&one, line);
		log_ids(&one);
		testr_strv_dispose(&one);
		run_one(line);
		fflush(stdout);
	}
	if (in != stdin)
		fclose(in);
}

int
main(int argc, char **argv)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	const char *load = NULL;
	int list = 0, plain = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0)
			list = 1;
		else if (strcmp(argv[i], "--plain") == 0)
			plain = 1;
		else if (strcmp(argv[i], "--load-list") == 0 && i + 1 < argc)
			load = argv[++i];
		else if (strcmp(argv[i], "--pull") == 0) {
			clock_ms = (int64_t)time(NULL) * 1000;
			run_pulled(i + 1 < argc ? argv[i + 1] : NULL);
			return 0;
		}
	}
	read_ids(&ids, load ? load : getenv("FAKE_TESTS"));
	clock_ms = (int64_t)time(NULL) * 1000;
	for (size_t i = 0; list && i < ids.n; i++) {
		if (plain)
			printf("%s\n", ids.v[i]);
		else
			emit(ids.v[i], TESTR_STATUS_EXISTS, NULL, NULL);
	}
	if (!list) {
		log_ids(&ids);
		for (size_t i = 0; i < ids.n; i++)
			run_one(ids.v[i]);
	}
	if (last_words)
		fprintf(stderr, "last words after %s", last_words);
	testr_strv_dispose(&ids);
	return 0;
}
