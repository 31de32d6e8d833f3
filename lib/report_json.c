/*
 * A report as testr's JSON document (schema in testr(1), "JSON REPORT"):
 * the run, its totals, then one line per test.  Strings are valid UTF-8:
 * a byte that starts no UTF-8 character becomes the text \xNN.
 */
#include "config-build.h"

#include <inttypes.h>
#include <string.h>

#include "report.h"

static void
escape_char(struct report_out *o, const unsigned char *s, size_t n, int32_t c)
{
	if (c < 0)
		report_out_printf(o, "\\\\x%02x", s[0]);
	else if (c == '"')
		report_out_str(o, "\\\"");
	else if (c == '\\')
		report_out_str(o, "\\\\");
	else if (c == '\n')
		report_out_str(o, "\\n");
	else if (c == '\t')
		report_out_str(o, "\\t");
	else if (c < 0x20)
		report_out_printf(o, "\\u%04x", (unsigned)c);
	else
		report_out_add(o, (const char *)s, n);
}

/* A JSON string of the @len bytes at @data. */
static void
json_string(struct report_out *o, const void *data, size_t len)
{
	const unsigned char *s = data, *end = s + len;

	report_out_str(o, "\"");
	while (s < end) {
		const unsigned char *run = s;
		size_t n;
		int32_t c;

		while (s < end && *s >= 0x20 && *s < 0x80 && *s != '"' &&
		       *s != '\\')
			s++;
		if (s > run)
			report_out_add(o, (const char *)run, (size_t)(s - run));
		if (s == end)
			break;
		c = report_utf8_next(s, (size_t)(end - s), &n);
		escape_char(o, s, n, c);
		s += n;
	}
	report_out_str(o, "\"");
}

static void
json_str(struct report_out *o, const char *s)
{
	if (s)
		json_string(o, s, strlen(s));
	else
		report_out_str(o, "null");
}

static void
json_seconds(struct report_out *o, const struct report_attempt *a)
{
	int64_t ns;

	if (report_attempt_ns(a, &ns))
		report_out_seconds(o, ns);
	else
		report_out_str(o, "null");
}

static const char *
status_name(enum testr_status s)
{
	return s == TESTR_STATUS_INPROGRESS ? "incomplete" :
	       testr_status_name(s);
}

static void
attachments(struct report_out *o, const struct report_file *files)
{
	report_out_str(o, "[");
	for (const struct report_file *f = files; f; f = f->next) {
		report_out_str(o, f == files ? "{\"name\": " : ", {\"name\": ");
		json_str(o, f->name);
		report_out_str(o, ", \"mime_type\": ");
		json_str(o, f->mime);
		report_out_printf(o, ", \"size\": %zu}", f->len);
	}
	report_out_str(o, "]");
}

static void
attempt(struct report_out *o, const struct report_attempt *a)
{
	report_out_printf(o, "{\"status\": \"%s\", \"duration\": ",
			  status_name(a->status));
	json_seconds(o, a);
	report_out_str(o, ", \"worker\": ");
	json_str(o, a->worker);
	report_out_str(o, ", \"attachments\": ");
	attachments(o, a->files);
	report_out_str(o, "}");
}

static void
tags(struct report_out *o, const struct testr_strv *tags)
{
	report_out_str(o, "[");
	for (size_t i = 0; i < tags->n; i++) {
		if (i)
			report_out_str(o, ", ");
		json_str(o, tags->v[i]);
	}
	report_out_str(o, "]");
}

static const char *const outcome_names[] = {
	[OUTCOME_SUCCESS] = "success", [OUTCOME_FAIL] = "fail",
	[OUTCOME_SKIP] = "skip", [OUTCOME_XFAIL] = "xfail",
	[OUTCOME_UXSUCCESS] = "uxsuccess", [OUTCOME_FLAKY] = "flaky",
	[OUTCOME_INCOMPLETE] = "incomplete",
};

/* The output and whether a test was written yet (the commas). */
struct json_tests {
	struct report_out *o;
	bool any;
};

static void
test(void *userdata, const struct report_test *t)
{
	struct json_tests *jt = userdata;
	struct report_out *o = jt->o;
	const struct report_attempt *last = t->last;

	report_out_str(o, jt->any ? ",\n  {\"id\": " : "\n  {\"id\": ");
	jt->any = true;
	json_str(o, t->id);
	report_out_printf(o, ", \"status\": \"%s\", \"duration\": ",
			  outcome_names[report_outcome(t)]);
	json_seconds(o, last);
	report_out_str(o, ", \"worker\": ");
	json_str(o, last->worker);
	report_out_str(o, ", \"tags\": ");
	tags(o, &last->tags);
	report_out_str(o, ", \"attachments\": ");
	attachments(o, last->files);
	report_out_str(o, ", \"attempts\": [");
	for (const struct report_attempt *a = t->first; a; a = a->next) {
		if (a != t->first)
			report_out_str(o, ", ");
		attempt(o, a);
	}
	report_out_str(o, "]}");
}

static void
run(struct report_out *o, const struct testr_report *r)
{
	char when[64];

	report_out_str(o, "  \"run\": {\"id\": ");
	if (r->opts.has_run_id)
		report_out_printf(o, "%" PRIu64, r->opts.run_id);
	else
		report_out_str(o, "null");
	report_out_printf(o, ", \"partial\": %s, \"interrupted\": %s, "
			  "\"started\": ", r->opts.partial ? "true" : "false",
			  r->interrupted ? "true" : "false");
	if (r->has_time) {
		report_format_time(when, r->first_ns);
		report_out_printf(o, "\"%s\", \"duration\": ", when);
		report_out_seconds(o, r->last_ns - r->first_ns);
	} else {
		report_out_str(o, "null, \"duration\": null");
	}
	report_out_str(o, ", \"name\": ");
	json_str(o, r->name);
	report_out_printf(o, ", \"testr_version\": \"%s\", \"output\": ",
			  testr_version());
	attachments(o, r->run_files);
	report_out_str(o, "},\n");
}

static void
totals(struct report_out *o, const struct testr_report *r)
{
	struct testr_report_totals n;

	testr_report_totals(&n, r);
	report_out_printf(o, "  \"totals\": {\"tests\": %" PRIu64
			  ", \"success\": %" PRIu64 ", \"fail\": %" PRIu64
			  ", \"skip\": %" PRIu64 ", \"xfail\": %" PRIu64
			  ", \"uxsuccess\": %" PRIu64 ", \"flaky\": %" PRIu64
			  ", \"incomplete\": %" PRIu64 "},\n", n.tests,
			  n.success, n.fail, n.skip, n.xfail, n.uxsuccess,
			  n.flaky, n.incomplete);
}

int
report_write_json(struct testr_report *r, struct report_out *o)
{
	struct json_tests jt = { o, false };
	int rc;

	report_out_printf(o, "{\n  \"version\": %d,\n",
			  TESTR_REPORT_JSON_VERSION);
	run(o, r);
	totals(o, r);
	report_out_str(o, "  \"tests\": [");
	rc = report_each_test(r, test, &jt);
	if (rc < 0)
		return rc;
	report_out_str(o, "\n  ]\n}\n");
	return o->rc;
}
