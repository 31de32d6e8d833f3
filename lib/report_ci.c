/*
 * A report for the CI system the run is in: GitHub Actions workflow
 * commands (an ::error annotation per failed test, ::warning per flaky
 * one), a Markdown summary (GitHub's step summary), and GitLab's collapsed
 * log sections, one per failed test.  Only failed and flaky tests are
 * written, and they are exactly the tests the report holds in memory: the
 * spool of passed tests is not read.
 *
 * Ids and tracebacks are data: every format escapes them so that no id can
 * end a command, open one, close a section or inject markup.  Bytes that
 * are not UTF-8 and control characters become the text \xNN everywhere.
 */
#include "config-build.h"

#include <inttypes.h>
#include <string.h>

#include "report.h"

/* GitHub shows 10 error annotations per step, 50 per job: more are noise. */
#define CI_MAX_TESTS 50
/* The end of a traceback is what tells; its start is cut beyond this. */
#define CI_MAX_TRACEBACK 4096

/* Escapes of one format: how a character is written, NULL: as it is. */
typedef const char *(*escape_fn)(int32_t c, char buf[16]);

/* Write @len bytes with @esc, bad UTF-8 and controls as \xNN. */
static void
put_escaped(struct report_out *o, const void *data, size_t len, escape_fn esc)
{
	const unsigned char *s = data, *end = s + len;
	char buf[16];

	while (s < end) {
		size_t n;
		int32_t c = report_utf8_next(s, (size_t)(end - s), &n);
		const char *e = c < 0 ? NULL : esc(c, buf);

		if (c < 0) {
			report_out_printf(o, "\\x%02x", s[0]);
		} else if (e) {
			report_out_str(o, e);
		} else if (c < 0x20 || c == 0x7f) {
			report_out_printf(o, "\\x%02x", (unsigned)c);
		} else {
			report_out_add(o, (const char *)s, n);
		}
		s += n;
	}
}

/* The tail of @tb worth showing, starting on a character boundary. */
static const unsigned char *
traceback_tail(const struct report_file *tb, size_t *out_len)
{
	size_t skip = tb->len > CI_MAX_TRACEBACK ? tb->len - CI_MAX_TRACEBACK : 0;

	while (skip < tb->len && (tb->bytes[skip] & 0xc0) == 0x80)
		skip++;
	*out_len = tb->len - skip;
	return tb->bytes + skip;
}

static bool
is_failure(enum report_outcome oc)
{
	return oc == OUTCOME_FAIL || oc == OUTCOME_UXSUCCESS ||
	       oc == OUTCOME_INCOMPLETE;
}

/* Where the failure's text is: the final record, or for a flaky test the
 * last record that failed. */
static const struct report_attempt *
failed_attempt(const struct report_test *t)
{
	const struct report_attempt *found = t->last;

	if (report_outcome(t) != OUTCOME_FLAKY)
		return found;
	for (const struct report_attempt *a = t->first; a != t->last; a = a->next)
		if (a->status != TESTR_STATUS_SUCCESS &&
		    a->status != TESTR_STATUS_XFAIL && a->status != TESTR_STATUS_SKIP)
			found = a;
	return found;
}

/* The failed and flaky tests in report order, up to CI_MAX_TESTS; the
 * count of the others in *more. */
struct ci_walk {
	struct report_out *o;
	void (*fn)(struct report_out *o, const struct report_test *t,
		   size_t n);
	size_t n, more;
};

static void
ci_visit(void *userdata, const struct report_test *t)
{
	struct ci_walk *w = userdata;
	enum report_outcome oc = report_outcome(t);

	if (!is_failure(oc) && oc != OUTCOME_FLAKY)
		return;
	if (w->n == CI_MAX_TESTS) {
		w->more++;
		return;
	}
	w->fn(w->o, t, ++w->n);
}

/* ---- GitHub Actions workflow commands ---- */

/* A command's message: %, CR and LF are its syntax. */
static const char *
gh_data(int32_t c, char buf[16])
{
	(void)buf;
	return c == '%' ? "%25" : c == '\r' ? "%0D" : c == '\n' ? "%0A" : NULL;
}

/* A property value: also : and , (they end it). */
static const char *
gh_property(int32_t c, char buf[16])
{
	return c == ':' ? "%3A" : c == ',' ? "%2C" : gh_data(c, buf);
}

static void
gh_annotation(struct report_out *o, const struct report_test *t, size_t n)
{
	bool flaky = report_outcome(t) == OUTCOME_FLAKY;
	const struct report_attempt *a = failed_attempt(t);
	const struct report_file *tb = report_find_file(a, "traceback");
	const char *what = flaky ? "flaky" :
			   a->status == TESTR_STATUS_INPROGRESS ? "did not complete" :
			   a->status == TESTR_STATUS_UXSUCCESS ?
			   "unexpected success" : "failed";
	const unsigned char *text;
	size_t len;

	(void)n;
	report_out_str(o, flaky ? "::warning title=" : "::error title=");
	put_escaped(o, t->id, strlen(t->id), gh_property);
	report_out_str(o, "::");
	put_escaped(o, t->id, strlen(t->id), gh_data);
	report_out_printf(o, " %s", what);
	if (tb) {
		text = traceback_tail(tb, &len);
		report_out_str(o, "%0A");
		put_escaped(o, text, len, gh_data);
	}
	report_out_str(o, "\n");
}

int
report_write_github(struct testr_report *r, struct report_out *o)
{
	struct ci_walk w = { o, gh_annotation, 0, 0 };
	int rc = report_each_failure(r, ci_visit, &w);

	if (rc == 0 && w.more)
		report_out_printf(o, "::warning title=testr::%zu more failed "
				  "or flaky tests are not annotated; the JUnit "
				  "report has them all\n", w.more);
	if (rc == 0 && r->interrupted)
		report_out_str(o, "::error title=testr::" REPORT_INTERRUPTED "\n");
	return rc < 0 ? rc : o->rc;
}

/* ---- Markdown (GitHub's step summary) ---- */

/* Text inside an HTML element of a Markdown HTML block. */
static const char *
html_text(int32_t c, char buf[16])
{
	(void)buf;
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case '\n': return "\\n";	/* the block would end at a blank line */
	case '\t': return "\\t";
	default: return NULL;
	}
}

/* Text of a code block or log section: only controls are escaped. */
static const char *
code_text(int32_t c, char buf[16])
{
	(void)c;
	(void)buf;
	return NULL;
}

/* Lines of text: newlines and tabs kept, other controls (ESC, CR) \xNN. */
static void
put_code(struct report_out *o, const unsigned char *s, size_t len)
{
	const unsigned char *end = s + len;

	while (s < end) {
		const unsigned char *run = s;

		while (s < end && *s != '\n' && *s != '\t')
			s++;
		put_escaped(o, run, (size_t)(s - run), code_text);
		if (s < end)
			report_out_add(o, (const char *)s++, 1);
	}
}

/* A fence longer than any run of backticks in the text. */
static size_t
fence_len(const unsigned char *s, size_t len)
{
	size_t best = 2, cur = 0;

	for (size_t i = 0; i < len; i++) {
		cur = s[i] == '`' ? cur + 1 : 0;
		if (cur > best)
			best = cur;
	}
	return best + 1;
}

static void
put_fence(struct report_out *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		report_out_str(o, "`");
}

static void
md_failure(struct report_out *o, const struct report_test *t, size_t n)
{
	const struct report_attempt *a = failed_attempt(t);
	const struct report_file *tb = report_find_file(a, "traceback");
	const unsigned char *text;
	size_t len, fence;

	(void)n;
	report_out_str(o, report_outcome(t) == OUTCOME_FLAKY ?
		       "<details><summary>FLAKY: <code>" :
		       "<details><summary>FAIL: <code>");
	put_escaped(o, t->id, strlen(t->id), html_text);
	report_out_str(o, "</code></summary>\n\n");
	if (tb) {
		text = traceback_tail(tb, &len);
		fence = fence_len(text, len);
		put_fence(o, fence);
		report_out_str(o, "text\n");
		put_code(o, text, len);
		if (len && text[len - 1] != '\n')
			report_out_str(o, "\n");
		put_fence(o, fence);
		report_out_str(o, "\n\n");
	}
	report_out_str(o, "</details>\n\n");
}

static void
md_totals(struct report_out *o, const struct testr_report *r,
	  const struct testr_report_totals *n)
{
	bool failed = n->fail || n->uxsuccess || n->incomplete;

	report_out_str(o, "### testr: ");
	if (r->opts.has_run_id)
		report_out_printf(o, "run %" PRIu64 " ", r->opts.run_id);
	report_out_str(o, r->interrupted ? "INTERRUPTED" :
		       failed ? "FAILED" : "PASSED");
	report_out_str(o, r->opts.partial ? " (partial run)\n\n" : "\n\n");
	report_out_str(o, "| tests | passed | failed | skipped | xfail | "
		       "flaky | incomplete | time (s) |\n"
		       "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	report_out_printf(o, "| %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %"
			  PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64
			  " | ", n->tests, n->success, n->fail + n->uxsuccess,
			  n->skip, n->xfail, n->flaky, n->incomplete);
	if (r->has_time)
		report_out_seconds(o, r->last_ns - r->first_ns);
	report_out_str(o, " |\n\n");
}

int
report_write_markdown(struct testr_report *r, struct report_out *o)
{
	struct ci_walk w = { o, md_failure, 0, 0 };
	struct testr_report_totals n;
	int rc;

	testr_report_totals(&n, r);
	md_totals(o, r, &n);
	rc = report_each_failure(r, ci_visit, &w);
	if (rc == 0 && w.more)
		report_out_printf(o, "and %zu more failed or flaky tests (the "
				  "JUnit report has them all).\n\n", w.more);
	return rc < 0 ? rc : o->rc;
}

/* ---- GitLab CI collapsed sections ---- */

/* A section's header line: nothing may end it or start another. */
static const char *
gitlab_line(int32_t c, char buf[16])
{
	(void)buf;
	return c == '\n' ? "\\n" : NULL;	/* ESC, CR: \xNN */
}

static void
gitlab_section(struct report_out *o, const struct report_test *t, size_t n)
{
	const struct report_attempt *a = failed_attempt(t);
	const struct report_file *tb = report_find_file(a, "traceback");
	int64_t sec = (a->has_end ? a->end_ns : a->start_ns) / 1000000000;
	const unsigned char *text;
	size_t len;

	report_out_printf(o, "\033[0Ksection_start:%" PRId64
			  ":testr_failure_%zu[collapsed=true]\r\033[0K%s: ",
			  sec, n, report_outcome(t) == OUTCOME_FLAKY ?
			  "FLAKY" : "FAIL");
	put_escaped(o, t->id, strlen(t->id), gitlab_line);
	report_out_str(o, "\n");
	if (tb) {
		text = traceback_tail(tb, &len);
		put_code(o, text, len);	/* ESC and CR: no section marker */
		if (len && text[len - 1] != '\n')
			report_out_str(o, "\n");
	}
	report_out_printf(o, "\033[0Ksection_end:%" PRId64
			  ":testr_failure_%zu\r\033[0K\n", sec, n);
}

int
report_write_gitlab(struct testr_report *r, struct report_out *o)
{
	struct ci_walk w = { o, gitlab_section, 0, 0 };
	int rc = report_each_failure(r, ci_visit, &w);

	if (rc == 0 && w.more)
		report_out_printf(o, "testr: %zu more failed or flaky tests "
				  "(the JUnit report has them all)\n", w.more);
	if (rc == 0 && r->interrupted)
		report_out_str(o, "testr: " REPORT_INTERRUPTED "\n");
	return rc < 0 ? rc : o->rc;
}
