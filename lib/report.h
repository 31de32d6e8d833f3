/* Private: a run's results as report writers see them (lib/report*.c). */
#ifndef TESTR_LIB_REPORT_H
#define TESTR_LIB_REPORT_H

#include <testr/report.h>

#include "strbuf.h"

/* One attachment (the chunks of one file name, joined). */
struct report_file {
	char *name;
	char *mime;		/* NULL when the stream gave none */
	unsigned char *bytes;
	size_t len;
	struct report_file *next;
};

/* One record of a test: first event to final status (a retry is another). */
struct report_attempt {
	enum testr_status status;	/* INPROGRESS while open */
	bool has_start, has_end;
	int64_t start_ns, end_ns;
	char *worker;			/* "worker-N" tag or route code */
	struct testr_strv tags;
	struct report_file *files, *files_tail;
	struct report_attempt *next;
};

/* What a test came to, over all its attempts. */
enum report_outcome {
	OUTCOME_SUCCESS, OUTCOME_FAIL, OUTCOME_SKIP, OUTCOME_XFAIL,
	OUTCOME_UXSUCCESS, OUTCOME_FLAKY, OUTCOME_INCOMPLETE,
};

struct report_test {
	char *id;
	struct report_attempt *first, *last;
};

struct testr_report {
	struct testr_context *ctx;
	struct testr_report_options opts;
	char *name;
	struct report_test **tests;	/* first-seen order */
	size_t n, cap;
	size_t *slots;			/* index + 1; 0 empty */
	size_t n_slots;
	struct report_test *last;	/* a test's events mostly come together */
	struct report_file *run_files;	/* output of no test (runner noise) */
	struct report_file *run_files_tail;
	bool has_time;
	int64_t first_ns, last_ns;
};

/* A buffered writer: output goes to @write in 64 KiB pieces. */
struct report_out {
	struct strbuf buf;
	testr_write_fn write;
	void *userdata;
	int rc;				/* first failure; later writes no-ops */
};

void report_out_init(struct report_out *o, testr_write_fn write, void *ud);
void report_out_add(struct report_out *o, const char *s, size_t len);
void report_out_str(struct report_out *o, const char *s);
void report_out_printf(struct report_out *o, const char *fmt, ...)
	TESTR_PRINTF(2, 3);
/* Flush and free; returns the first failure or 0. */
int report_out_finish(struct report_out *o);

/*
 * Decode one UTF-8 character at @s (@len bytes left): its code point, and
 * its length in *out_len; -1 (length 1) for a byte that starts no valid
 * character (overlong, surrogate, past U+10FFFF, truncated).
 */
int32_t report_utf8_next(const unsigned char *s, size_t len, size_t *out_len);

enum report_outcome report_outcome(const struct report_test *t);
/* Seconds of an attempt; false when it lacks a timestamp. */
bool report_attempt_seconds(const struct report_attempt *a, double *out);
/* The attachment called @name, or NULL. */
const struct report_file *report_find_file(const struct report_attempt *a,
					   const char *name);
/* Is @f text (a text/ MIME type, or none at all: runner output)? */
bool report_file_is_text(const struct report_file *f);
/* "2026-12-02T07:06:38.123456Z" of @ns into @buf (room for 64). */
void report_format_time(char *buf, int64_t ns);

int report_write_junit(struct testr_report *r, struct report_out *o);
int report_write_json(struct testr_report *r, struct report_out *o);

#endif
