/* A minimal subunit v2 writer: enough for a test program to report
 * "exists", "inprogress" and final results with timestamps to testr. */
#ifndef SUBUNIT_V2_H
#define SUBUNIT_V2_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

/* Test status, numbered as on the wire. */
enum sv2_status {
	SV2_EXISTS = 1,
	SV2_INPROGRESS = 2,
	SV2_SUCCESS = 3,
	SV2_SKIP = 5,
	SV2_FAIL = 6,
};

/* An optional attachment (for example the failure message). */
struct sv2_file {
	const char *name;	/* "traceback" */
	const char *mime_type;	/* "text/plain;charset=utf8" */
	const void *bytes;
	size_t len;
};

/*
 * Write one packet for @test_id to @out: @status, the time @ts (NULL: none)
 * and @file (NULL: none).  Returns 0, or -1 if the packet would be too big
 * or writing failed.
 */
int sv2_write(FILE *out, const char *test_id, enum sv2_status status,
	      const struct timespec *ts, const struct sv2_file *file);

#endif
