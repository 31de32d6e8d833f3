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
	uint64_t hash;			/* of id, for the table */
	struct report_attempt *first, *last;
	uint64_t seq;			/* first-seen order */
	bool held;			/* on the held list */
	uint64_t held_at;		/* spool offset it is written at */
	struct report_test *held_next;
};

/* Called by report_each_test() with each test in report order. */
typedef void (*report_test_fn)(void *userdata, const struct report_test *t);

/* Settled tests, written out compactly (report_spool.c). */
struct report_spool {
	struct strbuf buf;		/* records not yet in the file */
	int fd;				/* unlinked temporary file, or -1 */
	uint64_t flushed;		/* bytes in the file */
	int rc;				/* first failure building a record */
	/* What the next record is written as a change from. */
	bool any;			/* a record was written */
	struct strbuf prev_id;
	int64_t prev_start;
	char *prev_worker;
	struct testr_strv prev_tags;
};

/* The spool's bytes for reading, mapped or in memory. */
struct report_spool_view {
	const unsigned char *data;
	size_t len;
	bool mapped;
	size_t released;		/* bytes before this left memory */
};

/* What a record read back points into; reused from record to record. */
struct report_spool_scratch {
	struct report_test test;
	struct report_attempt attempt;
	/* Carried from record to record, as the writer left them out. */
	struct strbuf id;
	int64_t prev_start;
	char *worker;
	char **tags;
	size_t n_tags, tags_cap;
	struct report_file *files;
	size_t files_cap;
};

void report_spool_init(struct report_spool *s);
void report_spool_dispose(struct report_spool *s);
/* Bytes spooled so far: where the next record goes. */
uint64_t report_spool_len(const struct report_spool *s);
/* Spool @t (one finished record).  0, TESTR_ENOMEM, TESTR_EIO. */
int report_spool_add(struct report_spool *s, struct testr_context *ctx,
		     const struct report_test *t);
/* The whole spool for reading; report_spool_unview() when done. */
int report_spool_view(struct report_spool_view *out, struct report_spool *s,
		      struct testr_context *ctx);
void report_spool_unview(struct report_spool_view *v);
/* Call @fn with each record in [*pos, @end) of @v; *pos ends at @end. */
int report_spool_each(struct report_spool_view *v, size_t *pos,
		      size_t end, struct report_spool_scratch *sc,
		      report_test_fn fn, void *ud);
void report_spool_scratch_dispose(struct report_spool_scratch *sc);

struct testr_report {
	struct testr_context *ctx;
	struct testr_report_options opts;
	char *name;
	/* Tests not spooled (in progress or failed), by id: open addressing.
	 * Each slot keeps its test's hash, so a probe reads no test. */
	struct report_slot {
		uint64_t hash;
		struct report_test *t;	/* NULL: free */
	} *slots;
	size_t n_slots, n_live, n_held;
	uint64_t next_seq;
	struct report_test *held, *held_tail;	/* by held_at */
	struct report_test *last;	/* a test's events mostly come together */
	struct report_spool spool;
	struct testr_report_totals spooled;	/* outcomes of spooled tests */
	struct report_file *run_files;	/* output of no test (runner noise) */
	struct report_file *run_files_tail;
	bool has_time;
	int64_t first_ns, last_ns;
	/* The stream ended in the mark of a run stored interrupted: tests it
	 * never reached are missing, so the report must not read as green. */
	bool interrupted;
};

/* What every format says of an interrupted run. */
#define REPORT_INTERRUPTED "the run was interrupted: the tests it did not " \
	"reach are not in this report"

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
/* Nanoseconds an attempt took (0 when negative); false when it lacks a
 * timestamp. */
bool report_attempt_ns(const struct report_attempt *a, int64_t *out);
/* The attachment called @name, or NULL. */
const struct report_file *report_find_file(const struct report_attempt *a,
					   const char *name);
/* Is @f text (a text/ MIME type, or none at all: runner output)? */
bool report_file_is_text(const struct report_file *f);
/* Seconds of @ns as "%.6f" would print them (rounded to the microsecond),
 * without going through floating point. */
void report_out_seconds(struct report_out *o, int64_t ns);
/* "2026-12-02T07:06:38.123456Z" of @ns into @buf (room for 64). */
void report_format_time(char *buf, int64_t ns);

/*
 * Call @fn with every test in report order: the order in which each test's
 * first record ended (a failed test where its first record failed), then
 * the tests that never finished, in first-seen order.
 */
int report_each_test(struct testr_report *r, report_test_fn fn, void *ud);

/* The failed, flaky and unfinished tests (those not spooled), in order. */
int report_each_failure(struct testr_report *r, report_test_fn fn, void *ud);

int report_write_junit(struct testr_report *r, struct report_out *o);
int report_write_json(struct testr_report *r, struct report_out *o);
/* report_ci.c */
int report_write_github(struct testr_report *r, struct report_out *o);
int report_write_markdown(struct testr_report *r, struct report_out *o);
int report_write_gitlab(struct testr_report *r, struct report_out *o);

#endif
