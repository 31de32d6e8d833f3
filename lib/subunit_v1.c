/* subunit_v1: the line-based v1 text protocol, read into the same events a
 * v2 stream gives.
 *
 * The mapping is the one python-subunit's v1 parser and testtools'
 * ExtendedToStreamDecorator produce together (what subunit-1to2 writes):
 * "test:" is inprogress; error and failure are fail; details become file
 * events (eof, the test's id) before the outcome; the outcome carries the
 * current tags; "time:" stamps the events after it; lines that are not
 * protocol are noise, kept in order.
 *
 * Where we differ on purpose: before any "time:" events carry no timestamp
 * (python stamps the wall clock); a detail part read whole is kept when the
 * stream then ends inside the details (python drops them all); input that
 * makes python raise (bad time, bad UTF-8, bad chunk size, bad MIME type) is
 * reported through on_corrupt and decoding goes on. */
#include "config-build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "subunit.h"

/* Longer lines are not commands: their bytes pass on as noise or content. */
#define LINE_MAX_BYTES (1u << 20)
/* Bounds memory on a stream that keeps adding distinct tags. */
#define TAGS_MAX 4096

enum v1_state {
	V1_OUTSIDE,		/* between tests */
	V1_IN_TEST,		/* after "test: X" */
	V1_SIMPLE,		/* "outcome: X [" ... "]" */
	V1_MP_TYPE,		/* multipart: "Content-Type: t/s" or "]" */
	V1_MP_NAME,		/* multipart: the part's name */
	V1_MP_CHUNKS,		/* multipart: chunked body */
};

enum v1_outcome {
	OUT_ERROR, OUT_FAILURE, OUT_SKIP, OUT_SUCCESS, OUT_XFAIL,
	OUT_UXSUCCESS,
};

static const struct {
	const char *label;	/* in "lost connection during <label>test" */
	enum testr_status status;
} outcomes[] = {
	[OUT_ERROR] = { "error report of ", TESTR_STATUS_FAIL },
	[OUT_FAILURE] = { "failure report of ", TESTR_STATUS_FAIL },
	[OUT_SKIP] = { "skip report of ", TESTR_STATUS_SKIP },
	[OUT_SUCCESS] = { "success report of ", TESTR_STATUS_SUCCESS },
	[OUT_XFAIL] = { "xfail report of ", TESTR_STATUS_XFAIL },
	[OUT_UXSUCCESS] = { "uxsuccess report of ",
			    TESTR_STATUS_UXSUCCESS },
};

struct subunit_v1 {
	enum v1_state state;
	enum v1_outcome outcome;
	struct strbuf line;	/* the line being read */
	uint64_t line_off;	/* stream offset of its first byte */
	bool line_cut;		/* the line was too long; rest passes on */
	struct strbuf test_id;
	struct testr_strv global_tags, test_tags;
	bool have_time;
	int64_t ts_sec;
	uint32_t ts_nsec;
	/* The detail being read: its name, MIME type and content so far. */
	struct strbuf name, mime, content;
	bool content_sent;	/* a piece of it already went out */
	/* Chunked decoding of a multipart body. */
	struct strbuf chunk_len;
	size_t chunk_left;
	bool chunk_done;
};

static int
gb_set(struct strbuf *b, const void *p, size_t n)
{
	b->len = 0;
	return strbuf_addn(b, p, n);
}

void
subunit_v1_free(struct subunit_v1 *v1)
{
	if (!v1)
		return;
	strbuf_dispose(&v1->line);
	strbuf_dispose(&v1->test_id);
	strbuf_dispose(&v1->name);
	strbuf_dispose(&v1->mime);
	strbuf_dispose(&v1->content);
	strbuf_dispose(&v1->chunk_len);
	testr_strv_dispose(&v1->global_tags);
	testr_strv_dispose(&v1->test_tags);
	free(v1);
}

/* ---- events ---- */

static void
stamp(const struct subunit_v1 *v1, struct testr_event *ev)
{
	ev->fields = TESTR_EVENT_TEST_ID;
	ev->runnable = true;
	ev->test_id = v1->test_id.s;
	if (v1->have_time) {
		ev->fields |= TESTR_EVENT_TIMESTAMP;
		ev->ts_sec = v1->ts_sec;
		ev->ts_nsec = v1->ts_nsec;
	}
}

static int
emit(struct testr_subunit_decoder *dec, const struct testr_event *ev)
{
	return dec->opts.on_event(dec->opts.userdata, ev);
}

static int
emit_status(struct testr_subunit_decoder *dec, enum testr_status status)
{
	struct subunit_v1 *v1 = dec->v1;
	struct testr_strv *tags = v1->state == V1_OUTSIDE ? &v1->global_tags
							  : &v1->test_tags;
	struct testr_event ev = { 0 };

	stamp(v1, &ev);
	ev.status = status;
	if (status != TESTR_STATUS_INPROGRESS && tags->n > 0) {
		ev.fields |= TESTR_EVENT_TAGS;
		ev.tags = testr_strv_items(tags);
		ev.n_tags = tags->n;
	}
	return emit(dec, &ev);
}

static int
emit_file(struct testr_subunit_decoder *dec, const char *name,
	  const char *mime, const void *p, size_t n, bool eof)
{
	struct testr_event ev = { 0 };

	stamp(dec->v1, &ev);
	ev.fields |= TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE;
	ev.file_name = name;
	ev.mime_type = mime;
	ev.file_bytes = (const unsigned char *)p;
	ev.file_len = n;
	ev.eof = eof;
	return emit(dec, &ev);
}

/* Detail content goes out whole when small (as python-subunit sends it),
 * in 1 MiB pieces when not, so memory stays bounded. */
static int
content_add(struct testr_subunit_decoder *dec, const char *p, size_t n)
{
	struct subunit_v1 *v1 = dec->v1;
	int rc;

	while (n > 0) {
		size_t room = SUBUNIT_NOISE_MAX - v1->content.len;
		size_t take = n < room ? n : room;

		if ((rc = strbuf_addn(&v1->content, p, take)) != 0)
			return rc;
		p += take;
		n -= take;
		if (v1->content.len < SUBUNIT_NOISE_MAX)
			break;
		rc = emit_file(dec, v1->name.s, v1->mime.s, v1->content.s,
			       v1->content.len, false);
		v1->content.len = 0;
		v1->content_sent = true;
		if (rc != 0)
			return rc;
	}
	return TESTR_OK;
}

static int
content_end(struct testr_subunit_decoder *dec)
{
	struct subunit_v1 *v1 = dec->v1;
	int rc = emit_file(dec, v1->name.s, v1->mime.s,
			   v1->content.s ? v1->content.s : "",
			   v1->content.len, true);

	v1->content.len = 0;
	v1->content_sent = false;
	return rc;
}

/* The test ends with its outcome; its tags go back to the global ones. */
static int
finish_test(struct testr_subunit_decoder *dec, enum testr_status status)
{
	struct subunit_v1 *v1 = dec->v1;
	int rc;

	if (v1->state == V1_OUTSIDE)
		return TESTR_OK;
	v1->state = V1_IN_TEST;		/* so the test's tags are used */
	rc = emit_status(dec, status);
	v1->state = V1_OUTSIDE;
	testr_strv_dispose(&v1->test_tags);
	return rc;
}

/* ---- commands ---- */

static int
strv_copy(struct testr_strv *dst, const struct testr_strv *src)
{
	testr_strv_dispose(dst);
	for (size_t i = 0; i < src->n; i++)
		if (testr_strv_push(dst, src->v[i]) != 0)
			return TESTR_ENOMEM;
	return TESTR_OK;
}

static void
strv_remove(struct testr_strv *sv, const char *s)
{
	long i = testr_strv_find(sv, s);

	if (i < 0)
		return;
	free(sv->v[i]);
	sv->v[i] = sv->v[--sv->n];
}

/* "tags: a -b": whitespace-separated; a leading '-' removes. */
static int
cmd_tags(struct testr_subunit_decoder *dec, char *arg)
{
	struct subunit_v1 *v1 = dec->v1;
	struct testr_strv *tags = v1->state == V1_OUTSIDE ? &v1->global_tags
							  : &v1->test_tags;
	char *save = NULL;

	for (char *t = strtok_r(arg, " \t\r\n\v\f", &save); t;
	     t = strtok_r(NULL, " \t\r\n\v\f", &save)) {
		if (t[0] == '-') {
			strv_remove(tags, t + 1);
			continue;
		}
		if (testr_strv_find(tags, t) >= 0)
			continue;
		if (tags->n >= TAGS_MAX) {
			subunit_corrupt(dec, v1->line_off, "too many tags");
			return TESTR_OK;
		}
		if (testr_strv_push(tags, t) != 0)
			return TESTR_ENOMEM;
	}
	testr_strv_sort_unique(tags);
	return TESTR_OK;
}

static bool
digits(const char **s, unsigned min, unsigned max, int *out)
{
	unsigned n = 0;

	*out = 0;
	while (n < max && (*s)[n] >= '0' && (*s)[n] <= '9')
		*out = *out * 10 + ((*s)[n++] - '0');
	*s += n;
	return n >= min;
}

static bool
expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static bool
date_ok(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= mdays[m - 1] + (m == 2 && leap);
}

/* "+HH:MM", "-HH:MM" or "Z"; anything else means UTC, as in
 * python-subunit's iso8601 module. */
static int
tz_offset(const char *s)
{
	int h, m, sign = *s == '-' ? -1 : 1;

	if (*s != '+' && *s != '-')
		return 0;
	s++;
	if (!digits(&s, 2, 2, &h) || !expect(&s, ':') || !digits(&s, 2, 2, &m))
		return 0;
	return sign * (h * 3600 + m * 60);
}

/*
 * Microseconds as python-subunit computes them, rounding included:
 * int(float("0.F") * 1e6).  Up to 15 digits, N / 10^k is that same
 * correctly rounded double (both operands are exact), without strtod().
 */
static uint32_t
fraction_usec(const char **s)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
					 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
					 1e14, 1e15 };
	const char *start = *s;
	uint64_t n = 0;
	char buf[64];
	size_t k;

	while (**s >= '0' && **s <= '9')
		n = n * 10 + (uint64_t)(*(*s)++ - '0');
	k = (size_t)(*s - start);
	if (k <= 15)
		return (uint32_t)((double)n / pow10[k] * 1e6);
	k = k < sizeof(buf) - 3 ? k : sizeof(buf) - 3;
	snprintf(buf, sizeof(buf), "0.%.*s", (int)k, start);
	return (uint32_t)(strtod(buf, NULL) * 1e6);
}

/* "YYYY-MM-DD HH:MM:SS[.frac][Z|+HH:MM]", any separator between date and
 * time; a prefix match, as python-subunit's iso8601 does. */
static bool
parse_time(const char *s, int64_t *sec, uint32_t *nsec)
{
	int y, mo, d, h, mi, se;
	uint32_t usec = 0;

	if (!digits(&s, 4, 4, &y) || !expect(&s, '-') ||
	    !digits(&s, 1, 2, &mo) || !expect(&s, '-') ||
	    !digits(&s, 1, 2, &d) || !*s++ || !digits(&s, 2, 2, &h) ||
	    !expect(&s, ':') || !digits(&s, 2, 2, &mi) || !expect(&s, ':') ||
	    !digits(&s, 2, 2, &se))
		return false;
	if (!date_ok(y, mo, d) || h > 23 || mi > 59 || se > 59)
		return false;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9') {
		s++;
		usec = fraction_usec(&s);
	}
	*sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	       tz_offset(s);
	*nsec = usec * 1000;
	return true;
}

static int
cmd_time(struct testr_subunit_decoder *dec, const char *arg)
{
	struct subunit_v1 *v1 = dec->v1;

	if (parse_time(arg, &v1->ts_sec, &v1->ts_nsec))
		v1->have_time = true;
	else
		subunit_corrupt(dec, v1->line_off, "bad time");
	return TESTR_OK;
}

static int
cmd_test(struct testr_subunit_decoder *dec, const char *name, size_t n)
{
	struct subunit_v1 *v1 = dec->v1;
	int rc;

	if ((rc = gb_set(&v1->test_id, name, n)) != 0 ||
	    (rc = strv_copy(&v1->test_tags, &v1->global_tags)) != 0)
		return rc;
	v1->state = V1_IN_TEST;
	return emit_status(dec, TESTR_STATUS_INPROGRESS);
}

static int
details_begin(struct subunit_v1 *v1, bool multipart)
{
	static const char traceback[] = "text/x-traceback; charset=\"utf8\"";
	const char *name = "traceback", *mime = traceback;

	if (v1->outcome == OUT_SKIP || v1->outcome == OUT_SUCCESS) {
		name = v1->outcome == OUT_SKIP ? "reason" : "message";
		mime = "text/plain";
	}
	v1->state = multipart ? V1_MP_TYPE : V1_SIMPLE;
	v1->content.len = 0;
	v1->content_sent = false;
	if (multipart)
		return TESTR_OK;
	if (gb_set(&v1->name, name, strlen(name)) != 0)
		return TESTR_ENOMEM;
	return gb_set(&v1->mime, mime, strlen(mime));
}

/* "outcome: NAME", "outcome: NAME [" or "outcome: NAME [ multipart" for the
 * current test; anything else is not protocol. */
static int
cmd_outcome(struct testr_subunit_decoder *dec, enum v1_outcome o,
	    const char *name, size_t n, bool *taken)
{
	struct subunit_v1 *v1 = dec->v1;
	size_t id = v1->test_id.len;

	*taken = v1->state == V1_IN_TEST && n >= id &&
		 memcmp(name, v1->test_id.s, id) == 0;
	if (!*taken)
		return TESTR_OK;
	v1->outcome = o;
	if (n == id)
		return finish_test(dec, outcomes[o].status);
	if (n - id == 2 && memcmp(name + id, " [", 2) == 0)
		return details_begin(v1, false);
	if (n - id == 12 && memcmp(name + id, " [ multipart", 12) == 0)
		return details_begin(v1, true);
	*taken = false;
	return TESTR_OK;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

/* python-subunit compares "skip" with `in` on a bytes object, so any
 * substring of it ("k", "ip", even "") names the skip outcome. */
static bool
is_skip(const char *cmd, size_t n)
{
	return n == 0 || (n <= 4 && memmem("skip", 4, cmd, n) != NULL);
}

static bool
word_is(const char *cmd, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(cmd, w, n) == 0;
}

static int
outcome_of(const char *cmd, size_t n)
{
	if (word_is(cmd, n, "error"))
		return OUT_ERROR;
	if (word_is(cmd, n, "failure"))
		return OUT_FAILURE;
	if (is_skip(cmd, n))
		return OUT_SKIP;
	if (word_is(cmd, n, "success") || word_is(cmd, n, "successful"))
		return OUT_SUCCESS;
	if (word_is(cmd, n, "xfail"))
		return OUT_XFAIL;
	if (word_is(cmd, n, "uxsuccess"))
		return OUT_UXSUCCESS;
	return -1;
}

/* The argument a command acts on: after the command word and one
 * separator, without the line's last byte (its newline). */
struct command {
	const char *word;
	size_t word_len;
	char *arg;
	size_t arg_len;
};

/* The commands a v1 stream opens with; outcomes only follow "test:". */
static const char *const openers[] = {
	"test", "testing", "time", "tags", "progress",
};

static bool
is_opener(const char *word, size_t n)
{

	for (size_t i = 0; i < sizeof(openers) / sizeof(*openers); i++)
		if (word_is(word, n, openers[i]))
			return true;
	return false;
}

/* Could the unfinished first word @s[0..n) still become an opener? */
static bool
may_become_opener(const char *s, size_t n)
{
	size_t wl = n;

	while (wl > 0 && s[wl - 1] == ':')
		wl--;
	if (wl < n)	/* colons end the word: it must be one already */
		return is_opener(s, wl);
	for (size_t i = 0; i < sizeof(openers) / sizeof(*openers); i++)
		if (n <= strlen(openers[i]) && memcmp(s, openers[i], n) == 0)
			return true;
	return false;
}

/*
 * Beyond this a line start that is still undecided (a word of colons, or a
 * word and only blanks so far) is not held back.  A line that already reads
 * "test: <id>" is decided at once, however long it grows: the v1 reader's
 * own limit (LINE_MAX_BYTES) then applies, so a long test id stays a test.
 */
#define OPENER_HOLD_MAX 256

int
subunit_v1_line_opens(const char *s, size_t n)
{
	size_t w = 0, wl, rest;

	while (w < n && !is_space(s[w]))
		w++;
	for (rest = w; rest < n && is_space(s[rest]); rest++)
		;
	if (w == n)
		return n && n <= OPENER_HOLD_MAX && may_become_opener(s, n) ?
		       -1 : 0;
	for (wl = w; wl > 0 && s[wl - 1] == ':'; wl--)
		;
	if (!is_opener(s, wl))
		return 0;
	if (rest < n)	/* word, separator, text: split_command takes it */
		return 1;
	return s[n - 1] == '\n' || n > OPENER_HOLD_MAX ? 0 : -1;
}

static bool
split_command(char *line, size_t len, struct command *c)
{
	size_t w = 0, rest;

	while (w < len && !is_space(line[w]))
		w++;
	if (w == 0 || w == len)
		return false;
	for (rest = w; rest < len && is_space(line[rest]); rest++)
		;
	if (rest == len)	/* nothing after the command word */
		return false;
	c->word = line;
	c->word_len = w;
	while (c->word_len > 0 && line[c->word_len - 1] == ':')
		c->word_len--;
	c->arg = line + w + 1;
	c->arg_len = len - w - 2;
	return true;
}

static int
command(struct testr_subunit_decoder *dec, struct command *c, bool *taken)
{
	struct subunit_v1 *v1 = dec->v1;
	int o;

	*taken = true;
	if (word_is(c->word, c->word_len, "test") ||
	    word_is(c->word, c->word_len, "testing")) {
		*taken = v1->state == V1_OUTSIDE;
		return *taken ? cmd_test(dec, c->arg, c->arg_len) : TESTR_OK;
	}
	if (word_is(c->word, c->word_len, "progress"))
		return TESTR_OK;	/* no event carries progress */
	/* Unlike the others, python-subunit keeps the line's last byte here;
	 * protocol lines are copied, NUL-terminated, so arg ends the line. */
	if (word_is(c->word, c->word_len, "tags"))
		return cmd_tags(dec, c->arg);
	if (word_is(c->word, c->word_len, "time")) {
		c->arg[c->arg_len] = '\0';
		return cmd_time(dec, c->arg);
	}
	o = outcome_of(c->word, c->word_len);
	if (o < 0) {
		*taken = false;
		return TESTR_OK;
	}
	return cmd_outcome(dec, (enum v1_outcome)o, c->arg, c->arg_len,
			   taken);
}

/* A whole line while outside details. */
static int
line_protocol(struct testr_subunit_decoder *dec, char *line, size_t len)
{
	struct command c;
	bool taken = false;
	int rc = TESTR_OK;

	if (split_command(line, len, &c)) {
		if (!subunit_utf8_valid((unsigned char *)c.arg, c.arg_len)) {
			subunit_corrupt(dec, dec->v1->line_off,
					"line is not UTF-8");
		} else {
			rc = command(dec, &c, &taken);
		}
	}
	if (rc == 0 && !taken)
		rc = subunit_emit_noise(dec, (unsigned char *)line, len);
	return rc;
}

/* ---- details ---- */

static int
details_end(struct testr_subunit_decoder *dec)
{
	return finish_test(dec, outcomes[dec->v1->outcome].status);
}

static int
line_simple(struct testr_subunit_decoder *dec, const char *line, size_t len)
{
	if (len == 2 && memcmp(line, "]\n", 2) == 0) {
		int rc = content_end(dec);

		return rc ? rc : details_end(dec);
	}
	if (len >= 2 && line[0] == ' ' && line[1] == ']')
		return content_add(dec, line + 1, len - 1);
	return content_add(dec, line, len);
}

/* "Content-Type: type/subtype" (the first word is not checked). */
static int
line_mp_type(struct testr_subunit_decoder *dec, const char *line, size_t len)
{
	struct subunit_v1 *v1 = dec->v1;
	const char *sp = memchr(line, ' ', len), *value, *slash;
	size_t n;

	if (len == 2 && memcmp(line, "]\n", 2) == 0)
		return details_end(dec);
	if (!sp || line[len - 1] != '\n') {
		subunit_corrupt(dec, v1->line_off, "bad multipart header");
		return TESTR_OK;
	}
	value = sp + 1;
	n = (size_t)(line + len - 1 - value);
	slash = memchr(value, '/', n);
	if (!slash || memchr(slash + 1, '/', n - (size_t)(slash + 1 - value)) ||
	    !subunit_utf8_valid((const unsigned char *)value, n)) {
		subunit_corrupt(dec, v1->line_off, "bad MIME type");
		return TESTR_OK;
	}
	v1->state = V1_MP_NAME;
	return gb_set(&v1->mime, value, n);
}

static int
line_mp_name(struct testr_subunit_decoder *dec, const char *line, size_t len)
{
	struct subunit_v1 *v1 = dec->v1;

	v1->state = V1_MP_CHUNKS;
	v1->chunk_len.len = 0;
	v1->chunk_left = 0;
	v1->chunk_done = false;
	return gb_set(&v1->name, line, len - 1);
}

/* A chunk size line "HEX\r\n" (a bare "\n" is accepted too). */
static int
chunk_header(struct testr_subunit_decoder *dec)
{
	struct subunit_v1 *v1 = dec->v1;
	char *end;
	unsigned long long n;

	n = strtoull(v1->chunk_len.s, &end, 16);
	if (end == v1->chunk_len.s || (*end && strcmp(end, "\r\n") &&
				       strcmp(end, "\n"))) {
		subunit_corrupt(dec, v1->line_off, "bad chunk size");
		n = 0;
	}
	v1->chunk_len.len = 0;
	if (n == 0) {
		v1->chunk_done = true;
		return content_end(dec);
	}
	v1->chunk_left = n > SIZE_MAX ? SIZE_MAX : (size_t)n;
	return TESTR_OK;
}

/* Bytes of a chunked body, however they are cut into lines. */
static int
chunk_bytes(struct testr_subunit_decoder *dec, const char *p, size_t n)
{
	struct subunit_v1 *v1 = dec->v1;
	int rc = TESTR_OK;

	while (n > 0 && rc == 0 && !v1->chunk_done) {
		if (v1->chunk_left > 0) {
			size_t take = n < v1->chunk_left ? n : v1->chunk_left;

			rc = content_add(dec, p, take);
			v1->chunk_left -= take;
			p += take;
			n -= take;
			continue;
		}
		if (v1->chunk_len.len > 64) {
			subunit_corrupt(dec, v1->line_off, "bad chunk size");
			v1->chunk_len.len = 0;
		}
		rc = strbuf_addn(&v1->chunk_len, p, 1);
		if (rc == 0 && *p == '\n')
			rc = chunk_header(dec);
		p++;
		n--;
	}
	if (rc == 0 && v1->chunk_done) {
		if (n > 0)
			subunit_corrupt(dec, v1->line_off,
					"bytes after the last chunk");
		v1->state = V1_MP_TYPE;
	}
	return rc;
}

/* ---- lines ---- */

static int
line_whole(struct testr_subunit_decoder *dec, char *line, size_t len)
{
	switch (dec->v1->state) {
	case V1_SIMPLE:
		return line_simple(dec, line, len);
	case V1_MP_TYPE:
		return line_mp_type(dec, line, len);
	case V1_MP_NAME:
		return line_mp_name(dec, line, len);
	case V1_MP_CHUNKS:
		return chunk_bytes(dec, line, len);
	default:
		return line_protocol(dec, line, len);
	}
}

/* Part of a line too long to be a command, or the rest of one. */
static int
line_piece(struct testr_subunit_decoder *dec, const char *p, size_t n)
{
	switch (dec->v1->state) {
	case V1_SIMPLE:
		return content_add(dec, p, n);
	case V1_MP_CHUNKS:
		return chunk_bytes(dec, p, n);
	case V1_MP_TYPE:
	case V1_MP_NAME:
		subunit_corrupt(dec, dec->v1->line_off, "line too long");
		return TESTR_OK;
	default:
		return subunit_emit_noise(dec, (const unsigned char *)p, n);
	}
}

static int
v1_start(struct testr_subunit_decoder *dec)
{
	if (dec->v1)
		return TESTR_OK;
	dec->v1 = calloc(1, sizeof(*dec->v1));
	return dec->v1 ? TESTR_OK : TESTR_ENOMEM;
}

/*
 * One line (its newline included, except for a stream's last line).  Inside
 * details the line is used where it lies; protocol lines are copied first,
 * because parsing them edits them in place.
 */
static int
take_line(struct testr_subunit_decoder *dec, const char *p, size_t n)
{
	struct subunit_v1 *v1 = dec->v1;
	int rc;

	if (v1->line_cut) {
		v1->line_cut = false;
		return line_piece(dec, p, n);
	}
	if (v1->line.len + n > LINE_MAX_BYTES) {
		/* As hold_partial cuts it when it comes in chunks: the same
		 * events whatever the chunking, and never more held. */
		rc = line_piece(dec, v1->line.s ? v1->line.s : "",
				v1->line.len);
		v1->line.len = 0;
		return rc ? rc : line_piece(dec, p, n);
	}
	if (v1->line.len == 0 && v1->state > V1_IN_TEST)
		return line_whole(dec, (char *)p, n);
	if ((rc = strbuf_addn(&v1->line, p, n)) != 0)
		return rc;
	rc = line_whole(dec, v1->line.s, v1->line.len);
	v1->line.len = 0;
	return rc;
}

/* Bytes without a newline: kept for the next feed, up to a limit. */
static int
hold_partial(struct testr_subunit_decoder *dec, const char *p, size_t n)
{
	struct subunit_v1 *v1 = dec->v1;
	int rc;

	if (v1->line_cut)
		return line_piece(dec, p, n);
	if (v1->line.len + n <= LINE_MAX_BYTES)
		return strbuf_addn(&v1->line, p, n);
	v1->line_cut = true;
	rc = line_piece(dec, v1->line.s ? v1->line.s : "", v1->line.len);
	v1->line.len = 0;
	return rc ? rc : line_piece(dec, p, n);
}

int
subunit_v1_feed(struct testr_subunit_decoder *dec, const unsigned char *buf,
		size_t len)
{
	const char *p = (const char *)buf, *end = p + len;
	uint64_t base = dec->offset;
	int rc = v1_start(dec);

	while (rc == 0 && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (dec->v1->line.len == 0 && !dec->v1->line_cut)
			dec->v1->line_off = base + (uint64_t)(p -
							      (const char *)buf);
		if (!nl) {
			rc = hold_partial(dec, p, (size_t)(end - p));
			break;
		}
		rc = take_line(dec, p, (size_t)(nl + 1 - p));
		p = nl + 1;
	}
	dec->offset = base + len;
	return rc;
}

static int
lost_connection(struct testr_subunit_decoder *dec)
{
	static const char mime[] =
		"text/x-traceback; charset=\"utf8\"; language=\"python\"";
	struct subunit_v1 *v1 = dec->v1;
	const char *label = v1->state == V1_IN_TEST
				    ? "" : outcomes[v1->outcome].label;
	char *text;
	int rc;

	subunit_corrupt(dec, dec->offset, "stream ended inside a test");
	text = str_printf("testtools.testresult.real._StringException: "
			      "lost connection during %stest '%s'\n", label,
			      v1->test_id.s);
	if (!text)
		return TESTR_ENOMEM;
	rc = emit_file(dec, "traceback", mime, text, strlen(text), true);
	free(text);
	return rc ? rc : finish_test(dec, TESTR_STATUS_FAIL);
}

int
subunit_v1_finish(struct testr_subunit_decoder *dec)
{
	struct subunit_v1 *v1 = dec->v1;
	int rc = TESTR_OK;

	if (!v1)
		return TESTR_OK;
	/* A last line without a newline is still a line, as in python. */
	if (v1->line.len > 0 && !v1->line_cut)
		rc = take_line(dec, "", 0);
	v1->line.len = 0;
	v1->line_cut = false;
	if (rc == 0 && v1->state != V1_OUTSIDE)
		rc = lost_connection(dec);
	return rc;
}
