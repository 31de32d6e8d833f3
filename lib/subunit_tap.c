/*
 * subunit_tap: a streaming TAP (13 and 14) reader that yields the same
 * events as the subunit readers, so TAP producers go through the one ingest
 * path.
 *
 * Mapping (documented in testr(1), FORMATS):
 *   ok / not ok            success / fail
 *   # SKIP reason          skip, reason attached as "reason"
 *   not ok # TODO reason   xfail; ok # TODO is success (TAP passes it)
 *   YAML block (--- ...)   attachment "tap yaml" of the test point above
 *   # comment lines        attachment "tap comment" of the test point above
 *   Bail out! reason       fail of the id "Bail out!"; the rest is output
 *   plan not met, no plan,
 *   numbers out of order   fail of the id "TAP plan"
 *   1..0 # SKIP reason     skip of the id "TAP plan"
 * The id of a test point is its description, so that it stays the same
 * when a runner is given a subset; "test N" without one, "desc #N" when the
 * description repeats.  Subtest lines and anything else go out as output.
 *
 * A test point's result waits for the line after it (its YAML block and
 * comments come after it); attachments go out in 1 MiB pieces, so memory
 * stays bounded.
 */
#include "config-build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "context.h"
#include "idset.h"
#include "subunit.h"

#define TAP_LINE_MAX SUBUNIT_NOISE_MAX
#define TAP_TEXT_MIME "text/plain; charset=utf8"
#define TAP_YAML_MIME "text/x-yaml; charset=utf8"
#define PLAN_ID "TAP plan"
#define BAIL_ID "Bail out!"

/* An attachment being collected for the pending test point. */
struct tap_attachment {
	const char *name;
	const char *mime;
	struct strbuf text;
	bool sent;		/* a piece already went out */
};

struct subunit_tap {
	struct strbuf line;
	uint64_t line_off;	/* stream offset of its first byte */
	bool line_cut;		/* an over-long line: its rest is output */

	/* The test point whose result waits for its YAML and comments. */
	bool pending;
	struct strbuf id;
	enum testr_status status;
	struct tap_attachment reason, comment, yaml;
	bool in_yaml;
	bool yaml_done;		/* one block per test point */

	bool have_plan;
	unsigned long plan_n;
	bool plan_skip;
	bool plan_before;	/* the plan came before any test point */
	bool plan_misplaced;	/* a second plan, or one among the tests */
	struct strbuf plan_reason;
	unsigned long count;	/* test points seen */
	bool numbers_bad;
	bool bailed;

	struct testr_strv ids;	/* owns the keys of seen */
	struct idset seen;
};

void
subunit_tap_free(struct subunit_tap *tap)
{
	if (!tap)
		return;
	strbuf_dispose(&tap->line);
	strbuf_dispose(&tap->id);
	strbuf_dispose(&tap->reason.text);
	strbuf_dispose(&tap->comment.text);
	strbuf_dispose(&tap->yaml.text);
	strbuf_dispose(&tap->plan_reason);
	testr_strv_dispose(&tap->ids);
	idset_dispose(&tap->seen);
	free(tap);
}

static int
tap_start(struct testr_subunit_decoder *dec)
{
	struct subunit_tap *tap;

	if (dec->tap)
		return TESTR_OK;
	tap = calloc(1, sizeof(*tap));
	if (!tap || idset_init(&tap->seen) != 0) {
		free(tap);
		return context_fail(dec->ctx, TESTR_ENOMEM, "TAP decoder: %s",
				  strerror(ENOMEM));
	}
	tap->reason = (struct tap_attachment){ "reason", TAP_TEXT_MIME,
					       STRBUF_INIT, false };
	tap->comment = (struct tap_attachment){ "tap comment", TAP_TEXT_MIME,
						STRBUF_INIT, false };
	tap->yaml = (struct tap_attachment){ "tap yaml", TAP_YAML_MIME,
					     STRBUF_INIT, false };
	dec->tap = tap;
	return TESTR_OK;
}

/* ---- events ---- */

static int
emit_for(struct testr_subunit_decoder *dec, const char *id,
	 enum testr_status status, const struct tap_attachment *a,
	 const void *p, size_t n, bool eof)
{
	struct testr_event ev = { 0 };

	ev.fields = TESTR_EVENT_TEST_ID;
	ev.test_id = id;
	ev.status = status;
	ev.runnable = true;
	if (a) {
		ev.fields |= TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE;
		ev.file_name = a->name;
		ev.mime_type = a->mime;
		ev.file_bytes = p;
		ev.file_len = n;
		ev.eof = eof;
	}
	return dec->opts.on_event(dec->opts.userdata, &ev);
}

/* Add text to an attachment of the pending test, sending full pieces. */
static int
attach(struct testr_subunit_decoder *dec, struct tap_attachment *a,
       const char *p, size_t n)
{
	int rc;

	while (n > 0) {
		size_t room = SUBUNIT_NOISE_MAX - a->text.len;
		size_t take = n < room ? n : room;

		if ((rc = strbuf_addn(&a->text, p, take)) != 0)
			return rc;
		p += take;
		n -= take;
		if (a->text.len < SUBUNIT_NOISE_MAX)
			break;
		rc = emit_for(dec, dec->tap->id.s, TESTR_STATUS_UNDEFINED, a,
			      a->text.s, a->text.len, false);
		a->text.len = 0;
		a->sent = true;
		if (rc != 0)
			return rc;
	}
	return TESTR_OK;
}

static int
attachment_end(struct testr_subunit_decoder *dec, struct tap_attachment *a)
{
	int rc = TESTR_OK;

	if (a->text.len > 0 || a->sent)
		rc = emit_for(dec, dec->tap->id.s, TESTR_STATUS_UNDEFINED, a,
			      a->text.s ? a->text.s : "", a->text.len, true);
	a->text.len = 0;
	a->sent = false;
	return rc;
}

/* The pending test point ends: its attachments, then its result. */
static int
flush_pending(struct testr_subunit_decoder *dec)
{
	struct subunit_tap *tap = dec->tap;
	int rc;

	if (!tap->pending)
		return TESTR_OK;
	tap->pending = false;
	tap->in_yaml = false;
	if ((rc = attachment_end(dec, &tap->reason)) != 0 ||
	    (rc = attachment_end(dec, &tap->yaml)) != 0 ||
	    (rc = attachment_end(dec, &tap->comment)) != 0)
		return rc;
	return emit_for(dec, tap->id.s, tap->status, NULL, NULL, 0, false);
}

/* A result of our own making (plan, bail out), with one attachment. */
static int
emit_meta(struct testr_subunit_decoder *dec, const char *id,
	  enum testr_status status, const char *why, size_t n)
{
	struct tap_attachment a = { "reason", TAP_TEXT_MIME, STRBUF_INIT,
				    false };
	int rc = TESTR_OK;

	if (n > 0)
		rc = emit_for(dec, id, TESTR_STATUS_UNDEFINED, &a, why, n,
			      true);
	return rc ? rc : emit_for(dec, id, status, NULL, NULL, 0, false);
}

static int
output(struct testr_subunit_decoder *dec, const char *p, size_t n)
{
	return subunit_emit_noise(dec, (const unsigned char *)p, n);
}

/* ---- line parsing ---- */

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *
skip_blanks(const char *s, const char *end)
{
	while (s < end && is_blank(*s))
		s++;
	return s;
}

static const char *
trim_end(const char *s, const char *end)
{
	while (end > s && (is_blank(end[-1]) || end[-1] == '\r'))
		end--;
	return end;
}

/* Does [s, end) start with @word, case-insensitively, followed by a
 * non-letter?  A TAP 13 "skipped" counts as "skip". */
static bool
directive_is(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && strncasecmp(s, word, n) == 0;
}

/* Parse an unsigned decimal; false when there is none or it overflows. */
static bool
number(const char **s, const char *end, unsigned long *out)
{
	const char *p = *s;
	unsigned long v = 0;

	if (p >= end || *p < '0' || *p > '9')
		return false;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ul - 9) / 10)
			return false;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*s = p;
	*out = v;
	return true;
}

/* A test point's number: digits followed by a blank, '#' or the end. */
static bool
test_number(const char **s, const char *end, unsigned long *out)
{
	const char *p = *s;

	if (!number(&p, end, out) || (p < end && !is_blank(*p) && *p != '#'))
		return false;
	*s = p;
	return true;
}

/* The first '#' not escaped by a backslash, or @end. */
static const char *
find_hash(const char *s, const char *end)
{
	for (; s < end; s++) {
		if (*s == '\\' && s + 1 < end)
			s++;
		else if (*s == '#')
			return s;
	}
	return end;
}

/* The description with "\#" and "\\" unescaped, into @out. */
static int
unescape(struct strbuf *out, const char *s, const char *end)
{
	int rc = TESTR_OK;

	out->len = 0;
	for (; s < end && rc == 0; s++) {
		if (*s == '\\' && s + 1 < end && (s[1] == '#' || s[1] == '\\'))
			s++;
		rc = strbuf_addc(out, *s);
	}
	return rc ? rc : strbuf_addn(out, "", 0);
}

/* The id for test point @num with description @desc: unique in the stream. */
static int
choose_id(struct testr_subunit_decoder *dec, unsigned long num)
{
	struct subunit_tap *tap = dec->tap;
	char buf[48];
	int rc;

	if (tap->id.len > 0 &&
	    !subunit_utf8_valid((unsigned char *)tap->id.s, tap->id.len)) {
		subunit_corrupt(dec, tap->line_off,
				"TAP description is not UTF-8");
		tap->id.len = 0;
	}
	if (tap->id.len == 0 || idset_marked(&tap->seen, tap->id.s)) {
		snprintf(buf, sizeof(buf), tap->id.len ? " #%lu" : "test %lu",
			 num);
		if ((rc = strbuf_add(&tap->id, buf)) != 0)
			return rc;
	}
	if ((rc = testr_strv_push(&tap->ids, tap->id.s)) != 0 ||
	    (rc = idset_add(&tap->seen, tap->ids.v[tap->ids.n - 1])) != 0)
		return rc;
	idset_mark(&tap->seen, tap->id.s);
	return TESTR_OK;
}

/* Status and reason from the directive after '#' in [s, end). */
static int
directive(struct testr_subunit_decoder *dec, bool ok, const char *s,
	  const char *end)
{
	struct subunit_tap *tap = dec->tap;
	const char *why;

	tap->status = ok ? TESTR_STATUS_SUCCESS : TESTR_STATUS_FAIL;
	s = skip_blanks(s, end);
	if (directive_is(s, end, "skip"))
		tap->status = TESTR_STATUS_SKIP;
	else if (directive_is(s, end, "todo"))
		tap->status = ok ? TESTR_STATUS_SUCCESS : TESTR_STATUS_XFAIL;
	else if (s < end) {
		int rc = attach(dec, &tap->comment, s, (size_t)(end - s));

		return rc ? rc : attach(dec, &tap->comment, "\n", 1);
	} else
		return TESTR_OK;
	while (s < end && !is_blank(*s))
		s++;
	why = skip_blanks(s, end);
	return why < end ? attach(dec, &tap->reason, why, (size_t)(end - why))
			 : TESTR_OK;
}

/* "ok" / "not ok" [number] [-] [description] [# directive]. */
static int
test_point(struct testr_subunit_decoder *dec, bool ok, const char *s,
	   const char *end)
{
	struct subunit_tap *tap = dec->tap;
	unsigned long num = tap->count + 1;
	const char *hash;
	int rc;

	if ((rc = flush_pending(dec)) != 0)
		return rc;
	if (tap->have_plan && !tap->plan_before)
		tap->plan_misplaced = true;	/* a trailing plan, then more */
	s = skip_blanks(s, end);
	if (test_number(&s, end, &num) && num != tap->count + 1)
		tap->numbers_bad = true;
	tap->count++;
	s = skip_blanks(s, end);
	if (s < end && *s == '-')
		s = skip_blanks(s + 1, end);
	hash = find_hash(s, end);
	if ((rc = unescape(&tap->id, s, trim_end(s, hash))) != 0 ||
	    (rc = choose_id(dec, num)) != 0)
		return rc;
	tap->pending = true;
	tap->yaml_done = false;
	return directive(dec, ok, hash < end ? hash + 1 : end, end);
}

/* "1..N" [# reason]; false when the line is not a plan. */
static bool
plan_line(struct testr_subunit_decoder *dec, const char *s, const char *end,
	  int *rc)
{
	struct subunit_tap *tap = dec->tap;
	unsigned long first, n;
	const char *hash;

	if (!number(&s, end, &first) || first != 1 || end - s < 2 ||
	    s[0] != '.' || s[1] != '.')
		return false;
	s += 2;
	if (!number(&s, end, &n))
		return false;
	hash = skip_blanks(s, end);
	if (hash < end && *hash != '#')
		return false;
	if (tap->have_plan)
		tap->plan_misplaced = true;
	tap->have_plan = true;
	tap->plan_n = n;
	tap->plan_before = tap->count == 0;
	tap->plan_reason.len = 0;
	tap->plan_skip = n == 0;	/* 1..0: the whole stream is skipped */
	*rc = TESTR_OK;
	if (hash < end) {
		const char *why = skip_blanks(hash + 1, end);

		*rc = strbuf_addn(&tap->plan_reason, why, (size_t)(end - why));
	}
	return true;
}

static int
bail_out(struct testr_subunit_decoder *dec, const char *s, const char *end)
{
	int rc = flush_pending(dec);

	dec->tap->bailed = true;
	s = skip_blanks(s, end);
	return rc ? rc : emit_meta(dec, BAIL_ID, TESTR_STATUS_FAIL, s,
				   (size_t)(end - s));
}

/* Indented lines: the YAML block of the pending test, or output. */
static int
indented(struct testr_subunit_decoder *dec, const char *line, size_t n,
	 const char *s, const char *end)
{
	struct subunit_tap *tap = dec->tap;

	if (tap->in_yaml) {
		if (end - s == 3 && memcmp(s, "...", 3) == 0) {
			tap->in_yaml = false;
			tap->yaml_done = true;
			return TESTR_OK;
		}
		return attach(dec, &tap->yaml, line, n);
	}
	if (tap->pending && !tap->yaml_done && end - s == 3 &&
	    memcmp(s, "---", 3) == 0) {
		tap->in_yaml = true;
		return TESTR_OK;
	}
	return output(dec, line, n);
}

static bool
starts(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && memcmp(s, word, n) == 0;
}

/* "ok" or "not ok" followed by a blank or the end of the line. */
static bool
is_test_point(const char *s, const char *end, bool *ok, const char **rest)
{
	size_t n;

	if (starts(s, end, "ok"))
		n = 2;
	else if (starts(s, end, "not ok"))
		n = 6;
	else
		return false;
	if (s + n < end && !is_blank(s[n]))
		return false;
	*ok = n == 2;
	*rest = s + n;
	return true;
}

/* One whole line, its newline (if any) included in @n. */
static int
tap_line(struct testr_subunit_decoder *dec, const char *line, size_t n)
{
	struct subunit_tap *tap = dec->tap;
	const char *end = trim_end(line, line + n - (n && line[n - 1] == '\n'));
	const char *rest;
	bool ok;
	int rc = TESTR_OK;

	if (tap->bailed)
		return output(dec, line, n);
	if (line < end && is_blank(line[0]))
		return indented(dec, line, n, skip_blanks(line, end), end);
	if (tap->in_yaml)	/* an unterminated block ends here */
		tap->in_yaml = false;
	if (is_test_point(line, end, &ok, &rest))
		return test_point(dec, ok, rest, end);
	if (plan_line(dec, line, end, &rc))
		return rc;
	if (starts(line, end, "Bail out!"))
		return bail_out(dec, line + 9, end);
	if (line < end && line[0] == '#' && tap->pending)
		return attach(dec, &tap->comment, line, n);
	if (starts(line, end, "TAP version ") || starts(line, end, "pragma "))
		return TESTR_OK;
	return output(dec, line, n);
}

/* ---- bytes to lines ---- */

/* Part of an over-long line: output, as it cannot be TAP we would keep. */
static int
long_line(struct testr_subunit_decoder *dec, const char *p, size_t n)
{
	struct subunit_tap *tap = dec->tap;
	int rc = TESTR_OK;

	if (!tap->line_cut) {
		subunit_corrupt(dec, tap->line_off, "TAP line over 1 MiB");
		tap->line_cut = true;
		rc = output(dec, tap->line.s ? tap->line.s : "", tap->line.len);
		tap->line.len = 0;
	}
	return rc ? rc : output(dec, p, n);
}

static int
take(struct testr_subunit_decoder *dec, const char *p, size_t n, bool nl)
{
	struct subunit_tap *tap = dec->tap;
	int rc;

	if (tap->line_cut || tap->line.len + n > TAP_LINE_MAX) {
		rc = long_line(dec, p, n);
		if (nl)
			tap->line_cut = false;
		return rc;
	}
	if (!nl)
		return strbuf_addn(&tap->line, p, n);
	if (tap->line.len == 0)
		return tap_line(dec, p, n);
	if ((rc = strbuf_addn(&tap->line, p, n)) != 0)
		return rc;
	rc = tap_line(dec, tap->line.s, tap->line.len);
	tap->line.len = 0;
	return rc;
}

int
subunit_tap_feed(struct testr_subunit_decoder *dec, const unsigned char *buf,
		 size_t len)
{
	const char *p = (const char *)buf, *end = p + len;
	int rc = tap_start(dec);

	while (rc == 0 && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);

		if (dec->tap->line.len == 0 && !dec->tap->line_cut)
			dec->tap->line_off = dec->offset;
		rc = take(dec, p, n, nl != NULL);
		dec->offset += n;
		p += n;
	}
	return rc;
}

/* What is wrong with the plan, in @out; empty when nothing is. */
static int
plan_problem(const struct subunit_tap *tap, struct strbuf *out)
{
	char buf[160];

	if (!tap->have_plan)
		snprintf(buf, sizeof(buf), "no plan (ran %lu tests)",
			 tap->count);
	else if (tap->plan_misplaced)
		snprintf(buf, sizeof(buf), "the plan is not at the start "
			 "or the end of the tests, or is given twice");
	else if (tap->plan_n != tap->count)
		snprintf(buf, sizeof(buf), "planned %lu tests but ran %lu",
			 tap->plan_n, tap->count);
	else if (tap->numbers_bad)
		snprintf(buf, sizeof(buf), "test numbers out of sequence");
	else
		return TESTR_OK;
	return strbuf_add(out, buf);
}

/* At the end of the stream: the plan must have been met. */
static int
check_plan(struct testr_subunit_decoder *dec)
{
	struct subunit_tap *tap = dec->tap;
	struct strbuf why = STRBUF_INIT;
	int rc;

	if (tap->bailed)
		return TESTR_OK;
	if (tap->plan_skip && tap->count == 0 && !tap->plan_misplaced)
		return emit_meta(dec, PLAN_ID, TESTR_STATUS_SKIP,
				 tap->plan_reason.s, tap->plan_reason.len);
	rc = plan_problem(tap, &why);
	if (rc == 0 && why.len > 0)
		rc = emit_meta(dec, PLAN_ID, TESTR_STATUS_FAIL, why.s, why.len);
	strbuf_dispose(&why);
	return rc;
}

int
subunit_tap_finish(struct testr_subunit_decoder *dec)
{
	struct subunit_tap *tap;
	int rc = tap_start(dec);

	if (rc != 0)
		return rc;
	tap = dec->tap;
	if (tap->line.len > 0 && !tap->line_cut)
		rc = tap_line(dec, tap->line.s, tap->line.len);
	tap->line.len = 0;
	tap->line_cut = false;
	if (rc == 0)
		rc = flush_pending(dec);
	return rc ? rc : check_plan(dec);
}
