/*
 * A report as JUnit XML: the schema Jenkins, GitLab and GitHub reporters
 * read, with Maven Surefire's flakyFailure/rerunFailure for retried tests.
 * Every byte of an id or attachment is escaped: characters XML 1.0 cannot
 * carry (control characters, invalid UTF-8) become the text \xNN.
 */
#include "config-build.h"

#include <inttypes.h>
#include <string.h>

#include "report.h"

/* Bytes copied as they are: printable ASCII but the markup characters. */
static bool
plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' &&
	       c != '"';
}

static void
escape_char(struct report_out *o, const unsigned char *s, size_t n,
	    int32_t c, bool attr)
{
	static const char *const ent[] = { ['&'] = "&amp;", ['<'] = "&lt;",
		['>'] = "&gt;", ['"'] = "&quot;", ['\t'] = "&#9;",
		['\n'] = "&#10;", ['\r'] = "&#13;" };
	bool ws = c == '\t' || c == '\n';	/* CR would read back as LF */

	if (c >= 0 && c < 0x7f && ent[c] && (attr || !ws))
		report_out_str(o, ent[c]);
	else if (ws || c >= 0x7f)
		report_out_add(o, (const char *)s, n);
	else if (c >= 0)	/* a control character XML cannot hold */
		report_out_printf(o, "\\x%02x", (unsigned)c);
	else
		report_out_printf(o, "\\x%02x", s[0]);
}

/* XML text (or an attribute value when @attr) of @len bytes. */
static void
xml_escape(struct report_out *o, const void *data, size_t len, bool attr)
{
	const unsigned char *s = data, *end = s + len;

	while (s < end) {
		const unsigned char *run = s;
		size_t n;
		int32_t c;

		while (s < end && plain(*s))
			s++;
		if (s > run)
			report_out_add(o, (const char *)run, (size_t)(s - run));
		if (s == end)
			break;
		c = report_utf8_next(s, (size_t)(end - s), &n);
		if (c == 0xfffe || c == 0xffff) {
			report_out_printf(o, "\\u%04x", (unsigned)c);
		} else {
			escape_char(o, s, n, c, attr);
		}
		s += n;
	}
}

static void
attr(struct report_out *o, const char *name, const char *value, size_t len)
{
	/* Not printf: this runs several times for each of 100,000 tests. */
	report_out_str(o, " ");
	report_out_str(o, name);
	report_out_str(o, "=\"");
	xml_escape(o, value, len, true);
	report_out_str(o, "\"");
}

static void
attr_str(struct report_out *o, const char *name, const char *value)
{
	attr(o, name, value, strlen(value));
}

/*
 * classname and name: the id split at its last dot, not counting dots in
 * a parameter part ("pkg.Class.test(a.b)", "test[x.y]").
 */
static void
split_id(struct report_out *o, const char *id)
{
	size_t head = strcspn(id, "([");
	const char *dot = NULL;

	for (const char *p = id; p < id + head; p++)
		if (*p == '.')
			dot = p;
	if (!dot) {
		attr_str(o, "classname", "");
		attr_str(o, "name", id);
		return;
	}
	attr(o, "classname", id, (size_t)(dot - id));
	attr_str(o, "name", dot + 1);
}

static void
time_attr(struct report_out *o, const struct report_attempt *a)
{
	int64_t ns;

	if (report_attempt_ns(a, &ns)) {
		report_out_str(o, " time=\"");
		report_out_seconds(o, ns);
		report_out_str(o, "\"");
	}
}

/* The last non-blank line of a traceback: what the assertion said. */
static void
message_attr(struct report_out *o, const struct report_file *tb,
	     const char *fallback)
{
	const char *s = tb ? (const char *)tb->bytes : NULL;
	size_t end = tb ? tb->len : 0, start;

	while (end && (s[end - 1] == '\n' || s[end - 1] == '\r' ||
		       s[end - 1] == ' '))
		end--;
	start = end;
	while (start && s[start - 1] != '\n')
		start--;
	if (end == start) {
		attr_str(o, "message", fallback);
		return;
	}
	/* One line of a message, cut on a character: the whole text is the
	 * element's body. */
	if (end - start > 1024) {
		end = start + 1024;
		while (end > start && ((unsigned char)s[end] & 0xc0) == 0x80)
			end--;
	}
	attr(o, "message", s + start, end - start);
}

static bool
is_err_stream(const struct report_file *f)
{
	return strstr(f->name, "stderr") != NULL;
}

static bool
is_output(const struct report_file *f)
{
	return strcmp(f->name, "traceback") != 0 && strcmp(f->name, "reason") != 0;
}

/* The attachments of one stream, each named unless it is the stream itself. */
static void
stream_body(struct report_out *o, const struct report_file *files, bool err)
{
	for (const struct report_file *f = files; f; f = f->next) {
		if (!is_output(f) || is_err_stream(f) != err)
			continue;
		if (strcmp(f->name, err ? "stderr" : "stdout") != 0) {
			report_out_str(o, "[");
			xml_escape(o, f->name, strlen(f->name), false);
			report_out_str(o, "]\n");
		}
		if (report_file_is_text(f)) {
			xml_escape(o, f->bytes, f->len, false);
		} else {
			report_out_printf(o, "(binary, %zu bytes, ", f->len);
			xml_escape(o, f->mime, strlen(f->mime), false);
			report_out_str(o, ")");
		}
		if (f->len && f->bytes[f->len - 1] != '\n')
			report_out_str(o, "\n");
	}
}

static bool
has_stream(const struct report_file *files, bool err)
{
	for (const struct report_file *f = files; f; f = f->next)
		if (is_output(f) && is_err_stream(f) == err)
			return true;
	return false;
}

static void
streams(struct report_out *o, const struct report_file *files)
{
	static const char *const tag[] = { "system-out", "system-err" };

	for (int err = 0; err < 2; err++) {
		if (!has_stream(files, err))
			continue;
		report_out_printf(o, "<%s>", tag[err]);
		stream_body(o, files, err);
		report_out_printf(o, "</%s>\n", tag[err]);
	}
}

static const char *
failure_message(const struct report_attempt *a)
{
	switch (a->status) {
	case TESTR_STATUS_UXSUCCESS: return "unexpected success";
	case TESTR_STATUS_INPROGRESS: return "test did not complete";
	default: return "test failed";
	}
}

static const char *
failure_type(const struct report_attempt *a)
{
	switch (a->status) {
	case TESTR_STATUS_UXSUCCESS: return "uxsuccess";
	case TESTR_STATUS_INPROGRESS: return "incomplete";
	default: return "fail";
	}
}

/* <failure>/<error> for the final attempt: message, type, traceback. */
static void
failure(struct report_out *o, const char *tag, const struct report_attempt *a)
{
	const struct report_file *tb = report_find_file(a, "traceback");

	report_out_printf(o, "<%s", tag);
	message_attr(o, tb, failure_message(a));
	attr_str(o, "type", failure_type(a));
	report_out_str(o, ">");
	if (tb)
		xml_escape(o, tb->bytes, tb->len, false);
	report_out_printf(o, "</%s>\n", tag);
}

/* Surefire's element for an earlier failed attempt of a retried test. */
static void
rerun(struct report_out *o, const char *tag, const struct report_attempt *a)
{
	const struct report_file *tb = report_find_file(a, "traceback");

	report_out_printf(o, "<%s", tag);
	message_attr(o, tb, failure_message(a));
	attr_str(o, "type", failure_type(a));
	time_attr(o, a);
	report_out_str(o, ">");
	if (tb) {
		report_out_str(o, "<stackTrace>");
		xml_escape(o, tb->bytes, tb->len, false);
		report_out_str(o, "</stackTrace>");
	}
	streams(o, a->files);
	report_out_printf(o, "</%s>\n", tag);
}

static void
skipped(struct report_out *o, const struct report_attempt *a, bool xfail)
{
	const struct report_file *reason = report_find_file(a, "reason");

	report_out_str(o, "<skipped");
	if (xfail)
		attr_str(o, "message", "expected failure");
	else if (reason)
		attr(o, "message", (const char *)reason->bytes, reason->len);
	report_out_str(o, "/>\n");
}

static void
outcome_elements(struct report_out *o, const struct report_test *t)
{
	enum report_outcome oc = report_outcome(t);
	const char *earlier = oc == OUTCOME_FLAKY ? "flakyFailure" : "rerunFailure";

	if (oc == OUTCOME_FAIL || oc == OUTCOME_UXSUCCESS)
		failure(o, "failure", t->last);
	else if (oc == OUTCOME_INCOMPLETE)
		failure(o, "error", t->last);
	else if (oc == OUTCOME_SKIP || oc == OUTCOME_XFAIL)
		skipped(o, t->last, oc == OUTCOME_XFAIL);
	if (oc == OUTCOME_SUCCESS || oc == OUTCOME_SKIP || oc == OUTCOME_XFAIL)
		return;
	for (const struct report_attempt *a = t->first; a != t->last;
	     a = a->next)
		if (a->status == TESTR_STATUS_FAIL ||
		    a->status == TESTR_STATUS_UXSUCCESS ||
		    a->status == TESTR_STATUS_INPROGRESS)
			rerun(o, earlier, a);
}

/* A test that passed first time and printed nothing: a bare element. */
static bool
bare(const struct report_test *t)
{
	return report_outcome(t) == OUTCOME_SUCCESS &&
	       !has_stream(t->last->files, false) &&
	       !has_stream(t->last->files, true);
}

static void
testcase(void *userdata, const struct report_test *t)
{
	struct report_out *o = userdata;

	report_out_str(o, "<testcase");
	split_id(o, t->id);
	time_attr(o, t->last);
	if (bare(t)) {
		report_out_str(o, "/>\n");
		return;
	}
	report_out_str(o, ">\n");
	outcome_elements(o, t);
	streams(o, t->last->files);
	report_out_str(o, "</testcase>\n");
}

/*
 * An interrupted run: the tests it never reached are in no testcase, and
 * CI readers judge a suite by its testcases, so one error says so.
 */
static void
interrupted_case(struct report_out *o)
{
	report_out_str(o, "<testcase classname=\"testr\" name=\"interrupted\">\n"
		       "<error message=\"" REPORT_INTERRUPTED "\" "
		       "type=\"interrupted\"/>\n</testcase>\n");
}

/* tests, failures, errors, skipped and time, as both wrappers carry them. */
static void
count_attrs(struct report_out *o, const struct testr_report *r)
{
	struct testr_report_totals n;

	testr_report_totals(&n, r);
	/* An interrupted run has one more: the error that says so. */
	report_out_printf(o, " tests=\"%" PRIu64 "\" failures=\"%" PRIu64
			  "\" errors=\"%" PRIu64 "\" skipped=\"%" PRIu64 "\"",
			  n.tests + r->interrupted, n.fail + n.uxsuccess,
			  n.incomplete + r->interrupted, n.skip + n.xfail);
	if (r->has_time) {
		report_out_str(o, " time=\"");
		report_out_seconds(o, r->last_ns - r->first_ns);
		report_out_str(o, "\"");
	}
}

static void
properties(struct report_out *o, const struct testr_report *r)
{
	report_out_str(o, "<properties>\n");
	if (r->opts.has_run_id)
		report_out_printf(o, "<property name=\"testr.run_id\" value=\"%"
				  PRIu64 "\"/>\n", r->opts.run_id);
	report_out_printf(o, "<property name=\"testr.partial\" value=\"%s\"/>\n",
			  r->opts.partial ? "true" : "false");
	report_out_printf(o, "<property name=\"testr.interrupted\" "
			  "value=\"%s\"/>\n", r->interrupted ? "true" : "false");
	report_out_printf(o, "<property name=\"testr.version\" value=\"%s\"/>\n",
			  testr_version());
	report_out_str(o, "</properties>\n");
}

int
report_write_junit(struct testr_report *r, struct report_out *o)
{
	char when[64];
	int rc;

	report_out_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<testsuites");
	attr_str(o, "name", r->name);
	count_attrs(o, r);
	report_out_str(o, ">\n<testsuite");
	attr_str(o, "name", r->name);
	count_attrs(o, r);
	if (r->has_time) {
		report_format_time(when, r->first_ns);
		attr_str(o, "timestamp", when);
	}
	report_out_str(o, ">\n");
	properties(o, r);
	rc = report_each_test(r, testcase, o);
	if (rc < 0)
		return rc;
	if (r->interrupted)
		interrupted_case(o);
	streams(o, r->run_files);
	report_out_str(o, "</testsuite>\n</testsuites>\n");
	return o->rc;
}
