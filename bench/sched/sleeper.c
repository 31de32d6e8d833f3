/*
 * A benchmark runner that sleeps: each id "..._sleep<MS>" takes MS
 * milliseconds, times the id's factor in $BENCH_FACTORS (lines
 * "<id> <factor>"; absent: 1), so one suite can be replayed with fresh
 * noise on every run.  $BENCH_STARTUP_MS is slept first, as an
 * interpreter's start-up would.  Speaks subunit v2.
 *
 *   sleeper --list                  the ids of $BENCH_TESTS, as "exists"
 *   sleeper [--load-list FILE]      run FILE's ids (default: all)
 *   sleeper --pull                  run ids as they arrive on stdin
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <testr/testr.h>

static int
write_out(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	return fwrite(buf, 1, len, stdout) == len ? 0 : TESTR_EIO;
}

static void
emit(const char *id, enum testr_status st)
{
	struct testr_event ev = { 0 };
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP;
	ev.status = st;
	ev.runnable = true;
	ev.test_id = id;
	ev.ts_sec = ts.tv_sec;
	ev.ts_nsec = (uint32_t)ts.tv_nsec;
	testr_subunit_encode_v2(NULL, &ev, write_out, NULL);
	fflush(stdout);
}

static void
sleep_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1000),
			       (long)((ms - 1000.0 * (double)(time_t)(ms / 1000)) * 1e6) };

	if (ms > 0)
		nanosleep(&ts, NULL);
}

static double
factor(const char *id)
{
	const char *path = getenv("BENCH_FACTORS");
	FILE *f = path ? fopen(path, "r") : NULL;
	char name[512];
	double v, found = 1.0;

	while (f && fscanf(f, "%511s %lf", name, &v) == 2)
		if (strcmp(name, id) == 0) {
			found = v;
			break;
		}
	if (f)
		fclose(f);
	return found;
}

static void
run_one(const char *id)
{
	const char *s = strstr(id, "_sleep");

	emit(id, TESTR_STATUS_INPROGRESS);
	if (s)
		sleep_ms(atof(s + 6) * factor(id));
	emit(id, TESTR_STATUS_SUCCESS);
}

int
main(int argc, char **argv)
{
	bool list = argc > 1 && strcmp(argv[1], "--list") == 0;
	bool pull = argc > 1 && strcmp(argv[1], "--pull") == 0;
	const char *file = argc > 2 && strcmp(argv[1], "--load-list") == 0 ?
			   argv[2] : getenv("BENCH_TESTS");
	const char *startup = getenv("BENCH_STARTUP_MS");
	FILE *f = pull ? stdin : file ? fopen(file, "r") : NULL;
	char line[512];

	sleep_ms(startup ? atof(startup) : 0);
	if (list)
		f = getenv("BENCH_TESTS") ? fopen(getenv("BENCH_TESTS"), "r") : NULL;
	if (!f) {
		fputs("sleeper: no tests (set BENCH_TESTS)\n", stderr);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		if (list)
			emit(line, TESTR_STATUS_EXISTS);
		else
			run_one(line);
	}
	fclose(f);
	return 0;
}
