/*
 * Write a subunit v2 stream for the repository benchmark:
 *   bench-repo-mkstream N [FAIL_EVERY [DISTINCT]]
 * N tests (inprogress + result, timestamped; every FAIL_EVERY-th fails with
 * a traceback), ids cycling over DISTINCT names (default: all distinct).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

static int
write_stdout(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	return fwrite(buf, 1, len, stdout) == len ? 0 : TESTR_EIO;
}

static int
emit(struct testr_context *ctx, struct testr_event *ev, enum testr_status st,
     uint64_t usec)
{
	ev->status = st;
	ev->ts_sec = 1767225600 + (int64_t)(usec / 1000000);
	ev->ts_nsec = (uint32_t)(usec % 1000000) * 1000;
	return testr_subunit_encode_v2(ctx, ev, write_stdout, NULL);
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	unsigned long every = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	unsigned long distinct = argc > 3 ? strtoul(argv[3], NULL, 10) : n;
	struct testr_context *ctx;
	char id[128], tb[160];
	uint64_t clock = 0;
	int rc = 0;

	if (testr_context_new(&ctx) < 0 || !distinct)
		return 1;
	for (unsigned long i = 0; rc == 0 && i < n; i++) {
		struct testr_event ev = { 0 };
		bool fail = every && i % every == every - 1;

		snprintf(id, sizeof(id), "project.package.module.TestClass."
			 "test_case_%07lu", i % distinct);
		ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP;
		ev.test_id = id;
		ev.runnable = true;
		rc = emit(ctx, &ev, TESTR_STATUS_INPROGRESS, clock);
		clock += (i * 7919) % 20000 + 1;
		if (rc == 0 && fail) {
			ev.fields |= TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE;
			ev.file_name = "traceback";
			ev.mime_type = "text/x-traceback; charset=utf8";
			snprintf(tb, sizeof(tb), "Traceback: %s failed\n", id);
			ev.file_bytes = (const unsigned char *)tb;
			ev.file_len = strlen(tb);
			ev.eof = true;
			rc = emit(ctx, &ev, TESTR_STATUS_UNDEFINED, clock);
			ev.fields &= ~(unsigned)(TESTR_EVENT_FILE |
						 TESTR_EVENT_MIME_TYPE);
		}
		if (rc == 0)
			rc = emit(ctx, &ev, fail ? TESTR_STATUS_FAIL :
				  TESTR_STATUS_SUCCESS, clock);
	}
	testr_context_free(ctx);
	return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}
