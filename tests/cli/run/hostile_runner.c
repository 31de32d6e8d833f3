/*
 * A test runner for the hostile-id tests: it records the exact bytes of
 * every id it is given and reports each one as passed (subunit v2).
 *
 *   hostile_runner --ids ID...       run the ids given as arguments
 *   hostile_runner --load-list FILE  run the ids in FILE, one per line
 *
 * Each id run is appended to $HOSTILE_LOG, ended by a NUL byte, exactly as
 * received.  An id subunit v2 cannot carry (not UTF-8) is not reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

static int
write_out(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	return fwrite(buf, 1, len, stdout) == len ? 0 : TESTR_EIO;
}

static void
run_one(FILE *log, const char *id, size_t len)
{
	struct testr_event ev = { 0 };

	fwrite(id, 1, len, log);
	fputc('\0', log);
	ev.fields = TESTR_EVENT_TEST_ID;
	ev.status = TESTR_STATUS_SUCCESS;
	ev.runnable = true;
	ev.test_id = id;
	testr_subunit_encode_v2(NULL, &ev, write_out, NULL);
}

static int
run_file(FILE *log, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		perror(path);
		return 2;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		run_one(log, line, (size_t)n);
	}
	free(line);
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *path = getenv("HOSTILE_LOG");
	FILE *log = path ? fopen(path, "ab") : NULL;
	int rc = 0;

	if (!log) {
		fputs("hostile_runner: set HOSTILE_LOG\n", stderr);
		return 2;
	}
	if (argc == 3 && strcmp(argv[1], "--load-list") == 0)
		rc = run_file(log, argv[2]);
	else if (argc >= 2 && strcmp(argv[1], "--ids") == 0)
		for (int i = 2; i < argc; i++)
			run_one(log, argv[i], strlen(argv[i]));
	else
		rc = 2;
	fclose(log);
	return rc;
}
