/*
 * A run's results gathered for a report: events folded into tests, each
 * with its attempts (records) and their attachments; the writers in
 * report_junit.c and report_json.c render it.
 */
#include "config-build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "context.h"
#include "fileio.h"
#include "repo_scan.h"
#include "report.h"

/* The bytes of each version of struct testr_report_options. */
static const size_t report_options_sizes[] = {
	OPTIONS_END(testr_report_options, name),
};

TESTR_API int
testr_report_new(struct testr_report **out, struct testr_context *ctx,
		 const struct testr_report_options *opts)
{
	struct testr_report_options o = TESTR_REPORT_OPTIONS_INIT;
	struct testr_report *r;
	int rc;

	*out = NULL;
	rc = OPTIONS_COPY(ctx, &o, opts, testr_report_options,
			  report_options_sizes);
	if (rc < 0)
		return rc;
	r = calloc(1, sizeof(*r));
	if (!r)
		return TESTR_ENOMEM;
	r->ctx = ctx;
	r->opts = o;
	r->name = strdup(r->opts.name ? r->opts.name : "testr");
	r->opts.name = r->name;
	report_spool_init(&r->spool);
	if (!r->name) {
		free(r);
		return TESTR_ENOMEM;
	}
	*out = r;
	return 0;
}

static void
free_files(struct report_file *f)
{
	while (f) {
		struct report_file *next = f->next;

		free(f->name);
		free(f->mime);
		free(f->bytes);
		free(f);
		f = next;
	}
}

static void
free_test(struct report_test *t)
{
	struct report_attempt *a = t->first;

	while (a) {
		struct report_attempt *next = a->next;

		free(a->worker);
		testr_strv_dispose(&a->tags);
		free_files(a->files);
		free(a);
		a = next;
	}
	free(t->id);
	free(t);
}

TESTR_API void
testr_report_free(struct testr_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].t)
			free_test(r->slots[i].t);
	free(r->slots);
	report_spool_dispose(&r->spool);
	free_files(r->run_files);
	free(r->name);
	free(r);
}

/* ---- tests not spooled, by id: open addressing, linear probing ---- */

/*
 * The hash of an id, eight bytes at a time: every new test's id is hashed
 * once, and ids of a large suite are long (a byte-at-a-time hash showed
 * in profiles).  Multiply-xorshift; the finaliser spreads the low bits a
 * masked table uses.
 */
static uint64_t
id_hash(const char *id, size_t len)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h = len * k, w;

	for (; len >= 8; id += 8, len -= 8) {
		memcpy(&w, id, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, id, len);
	h = (h ^ w) * k;
	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

static size_t
find_slot(const struct report_slot *slots, size_t n_slots, const char *id,
	  uint64_t hash)
{
	size_t i = hash & (n_slots - 1);

	while (slots[i].t && (slots[i].hash != hash ||
			      strcmp(slots[i].t->id, id) != 0))
		i = (i + 1) & (n_slots - 1);
	return i;
}

static int
grow_slots(struct testr_report *r)
{
	size_t n = r->n_slots ? r->n_slots * 2 : 256;
	struct report_slot *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return TESTR_ENOMEM;
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].t)
			slots[find_slot(slots, n, r->slots[i].t->id,
					r->slots[i].hash)] = r->slots[i];
	free(r->slots);
	r->slots = slots;
	r->n_slots = n;
	return 0;
}

/* Take @t out of the table, shifting back the entries probed past it. */
static void
remove_test(struct testr_report *r, struct report_test *t)
{
	size_t mask = r->n_slots - 1;
	size_t i = find_slot(r->slots, r->n_slots, t->id, t->hash);

	r->slots[i].t = NULL;
	for (size_t j = (i + 1) & mask; r->slots[j].t; j = (j + 1) & mask) {
		size_t home = r->slots[j].hash & mask;

		/* Move j into the hole unless its home lies in (i, j]. */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			r->slots[i] = r->slots[j];
			r->slots[j].t = NULL;
			i = j;
		}
	}
	r->n_live--;
	if (r->last == t)
		r->last = NULL;
}

static struct report_test *
get_test(struct testr_report *r, const char *id)
{
	struct report_test *t;
	size_t i, len;
	uint64_t hash;

	if (r->last && strcmp(r->last->id, id) == 0)
		return r->last;
	if ((r->n_live + 1) * 2 > r->n_slots && grow_slots(r) < 0)
		return NULL;
	len = strlen(id);
	hash = id_hash(id, len);
	i = find_slot(r->slots, r->n_slots, id, hash);
	if (r->slots[i].t)
		return r->last = r->slots[i].t;
	t = calloc(1, sizeof(*t));
	if (!t || !(t->id = malloc(len + 1))) {
		free(t);
		return NULL;
	}
	memcpy(t->id, id, len + 1);
	t->hash = hash;
	t->seq = r->next_seq++;
	r->slots[i] = (struct report_slot){ hash, t };
	r->n_live++;
	return r->last = t;
}

/* ---- attachments ---- */

static struct report_file *
new_file(const struct testr_event *ev)
{
	struct report_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->name = strdup(ev->file_name ? ev->file_name : "");
	if (ev->fields & TESTR_EVENT_MIME_TYPE && ev->mime_type)
		f->mime = strdup(ev->mime_type);
	if (!f->name || (ev->fields & TESTR_EVENT_MIME_TYPE && ev->mime_type &&
			 !f->mime)) {
		free_files(f);
		return NULL;
	}
	return f;
}

/* Append the chunk to the file of that name last seen, or start a file. */
static int
add_chunk(struct report_file **head, struct report_file **tail,
	  const struct testr_event *ev)
{
	struct report_file *f = *tail;
	const char *name = ev->file_name ? ev->file_name : "";
	unsigned char *b;

	if (!f || strcmp(f->name, name) != 0) {
		if (!(f = new_file(ev)))
			return TESTR_ENOMEM;
		if (*tail)
			(*tail)->next = f;
		else
			*head = f;
		*tail = f;
	}
	if (!ev->file_len)
		return 0;
	b = realloc(f->bytes, f->len + ev->file_len);
	if (!b)
		return TESTR_ENOMEM;
	memcpy(b + f->len, ev->file_bytes, ev->file_len);
	f->bytes = b;
	f->len += ev->file_len;
	return 0;
}

/* ---- events ---- */

static bool
is_final(enum testr_status s)
{
	return s >= TESTR_STATUS_SUCCESS && s <= TESTR_STATUS_XFAIL;
}

static int64_t
event_ns(const struct testr_event *ev)
{
	return ev->ts_sec * 1000000000 + ev->ts_nsec;
}

static struct report_attempt *
open_attempt(struct report_test *t)
{
	struct report_attempt *a = t->last;

	if (a && a->status == TESTR_STATUS_INPROGRESS)
		return a;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->status = TESTR_STATUS_INPROGRESS;
	if (t->last)
		t->last->next = a;
	else
		t->first = a;
	t->last = a;
	return a;
}

static int
add_tags(struct report_attempt *a, const struct testr_event *ev)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < ev->n_tags; i++) {
		const char *tag = ev->tags[i];

		if (strncmp(tag, "worker-", 7) == 0 && !a->worker &&
		    !(a->worker = strdup(tag)))
			return TESTR_ENOMEM;
		if (testr_strv_find(&a->tags, tag) < 0)
			rc = testr_strv_push(&a->tags, tag);
	}
	return rc;
}

static int
add_to_attempt(struct report_attempt *a, const struct testr_event *ev)
{
	int rc = 0;

	if (ev->fields & TESTR_EVENT_TIMESTAMP && !a->has_start) {
		a->has_start = true;
		a->start_ns = event_ns(ev);
	}
	if (ev->fields & TESTR_EVENT_TAGS)
		rc = add_tags(a, ev);
	if (rc == 0 && ev->fields & TESTR_EVENT_ROUTE_CODE && ev->route_code &&
	    !a->worker && !(a->worker = strdup(ev->route_code)))
		rc = TESTR_ENOMEM;
	if (rc == 0 && ev->fields & TESTR_EVENT_FILE)
		rc = add_chunk(&a->files, &a->files_tail, ev);
	if (rc == 0 && is_final(ev->status)) {
		a->status = ev->status;
		a->has_end = (ev->fields & TESTR_EVENT_TIMESTAMP) != 0;
		a->end_ns = a->has_end ? event_ns(ev) : 0;
	}
	return rc;
}

static void
note_time(struct testr_report *r, const struct testr_event *ev)
{
	int64_t ns = event_ns(ev);

	if (!r->has_time || ns < r->first_ns)
		r->first_ns = ns;
	if (!r->has_time || ns > r->last_ns)
		r->last_ns = ns;
	r->has_time = true;
}

static void count_outcome(struct testr_report_totals *n,
			  enum report_outcome oc);

/*
 * A test whose only record passed, was skipped or was an expected failure
 * is settled: spool it and forget it.  A failed one is held in memory, at
 * its place in the spool, because a retry may still follow.
 */
static int
settle(struct testr_report *r, struct report_test *t)
{
	struct report_attempt *a = t->last;
	int rc;

	if (t->held || !is_final(a->status))
		return 0;
	if (a->status == TESTR_STATUS_FAIL || a->status == TESTR_STATUS_UXSUCCESS) {
		t->held = true;
		t->held_at = report_spool_len(&r->spool);
		if (r->held_tail)
			r->held_tail->held_next = t;
		else
			r->held = t;
		r->held_tail = t;
		r->n_held++;
		return 0;
	}
	rc = report_spool_add(&r->spool, r->ctx, t);
	if (rc < 0)
		return rc;
	count_outcome(&r->spooled, report_outcome(t));
	remove_test(r, t);
	free_test(t);
	return 0;
}

/*
 * Output of no test.  The mark a stored run ends with (repo_writer.c) is
 * not output: it says the run was stored partial or interrupted.
 */
static int
run_file(struct testr_report *r, const struct testr_event *ev)
{
	const char *name = ev->file_name ? ev->file_name : "";

	if (strcmp(name, REPO_MARK_INTERRUPTED) == 0) {
		r->interrupted = r->opts.partial = true;
		return 0;
	}
	if (strcmp(name, REPO_MARK_PARTIAL) == 0) {
		r->opts.partial = true;
		return 0;
	}
	return add_chunk(&r->run_files, &r->run_files_tail, ev);
}

TESTR_API int
testr_report_add(struct testr_report *r, const struct testr_event *ev)
{
	struct report_test *t;
	struct report_attempt *a;
	int rc;
	/* An empty id is a test too, as the repository counts it: a failure
	 * of one must not vanish from the report. */
	bool has_id = ev->fields & TESTR_EVENT_TEST_ID && ev->test_id;

	if (ev->fields & TESTR_EVENT_TIMESTAMP)
		note_time(r, ev);
	if (!has_id)
		return ev->fields & TESTR_EVENT_FILE ? run_file(r, ev) : 0;
	/* An enumeration ("exists") is not a result. */
	if (ev->status == TESTR_STATUS_EXISTS && !(ev->fields & TESTR_EVENT_FILE))
		return 0;
	t = get_test(r, ev->test_id);
	a = t ? open_attempt(t) : NULL;
	rc = a ? add_to_attempt(a, ev) : TESTR_ENOMEM;
	return rc == 0 ? settle(r, t) : rc;
}

TESTR_API int
testr_report_event_fn(void *userdata, const struct testr_event *ev)
{
	return testr_report_add(userdata, ev);
}

/* ---- what the writers share ---- */

static bool
attempt_failed(const struct report_attempt *a)
{
	return a->status == TESTR_STATUS_FAIL ||
	       a->status == TESTR_STATUS_UXSUCCESS ||
	       a->status == TESTR_STATUS_INPROGRESS;
}

enum report_outcome
report_outcome(const struct report_test *t)
{
	const struct report_attempt *last = t->last;

	switch (last->status) {
	case TESTR_STATUS_FAIL: return OUTCOME_FAIL;
	case TESTR_STATUS_UXSUCCESS: return OUTCOME_UXSUCCESS;
	case TESTR_STATUS_SKIP: return OUTCOME_SKIP;
	case TESTR_STATUS_INPROGRESS: return OUTCOME_INCOMPLETE;
	default: break;
	}
	for (const struct report_attempt *a = t->first; a != last; a = a->next)
		if (attempt_failed(a))
			return OUTCOME_FLAKY;
	return last->status == TESTR_STATUS_XFAIL ? OUTCOME_XFAIL :
	       OUTCOME_SUCCESS;
}

static void
count_outcome(struct testr_report_totals *n, enum report_outcome oc)
{
	uint64_t *by[] = { &n->success, &n->fail, &n->skip, &n->xfail,
			   &n->uxsuccess, &n->flaky, &n->incomplete };

	(*by[oc])++;
	n->tests++;
}

TESTR_API void
testr_report_totals(struct testr_report_totals *out,
		    const struct testr_report *r)
{
	*out = r->spooled;
	for (const struct report_test *t = r->held; t; t = t->held_next)
		count_outcome(out, report_outcome(t));
	/* Every other test in the table never finished its record. */
	out->incomplete += r->n_live - r->n_held;
	out->tests += r->n_live - r->n_held;
}

/* ---- the tests in report order ---- */

static int
by_seq(const void *a, const void *b)
{
	const struct report_test *x = *(const struct report_test *const *)a;
	const struct report_test *y = *(const struct report_test *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The tests that never finished, in first-seen order. */
static int
each_unfinished(struct testr_report *r, report_test_fn fn, void *ud)
{
	size_t n = 0;
	struct report_test **v = malloc((r->n_live + 1) * sizeof(*v));

	if (!v)
		return TESTR_ENOMEM;
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].t && !r->slots[i].t->held)
			v[n++] = r->slots[i].t;
	qsort(v, n, sizeof(*v), by_seq);
	for (size_t i = 0; i < n; i++)
		fn(ud, v[i]);
	free(v);
	return 0;
}

int
report_each_failure(struct testr_report *r, report_test_fn fn, void *ud)
{
	/* Settled tests passed: every other test is held or unfinished. */
	for (struct report_test *t = r->held; t; t = t->held_next)
		fn(ud, t);
	return each_unfinished(r, fn, ud);
}

int
report_each_test(struct testr_report *r, report_test_fn fn, void *ud)
{
	struct report_spool_view view;
	struct report_spool_scratch sc = { 0 };
	size_t pos = 0;
	int rc = report_spool_view(&view, &r->spool, r->ctx);

	if (rc < 0)
		return rc;
	for (struct report_test *t = r->held; rc == 0 && t; t = t->held_next) {
		rc = report_spool_each(&view, &pos, (size_t)t->held_at, &sc,
				       fn, ud);
		if (rc == 0)
			fn(ud, t);
	}
	if (rc == 0)
		rc = report_spool_each(&view, &pos, view.len, &sc, fn, ud);
	if (rc == 0)
		rc = each_unfinished(r, fn, ud);
	report_spool_scratch_dispose(&sc);
	report_spool_unview(&view);
	return rc == TESTR_ECORRUPT ?
	       context_fail(r->ctx, rc, "report spool: a damaged record") : rc;
}

bool
report_attempt_ns(const struct report_attempt *a, int64_t *out)
{
	if (!a->has_start || !a->has_end)
		return false;
	*out = a->end_ns > a->start_ns ? a->end_ns - a->start_ns : 0;
	return true;
}

const struct report_file *
report_find_file(const struct report_attempt *a, const char *name)
{
	for (const struct report_file *f = a->files; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

bool
report_file_is_text(const struct report_file *f)
{
	return !f->mime || !*f->mime || strncmp(f->mime, "text/", 5) == 0;
}

void
report_format_time(char *buf, int64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000);
	long frac = (long)(ns % 1000000000);
	struct tm tm;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	gmtime_r(&sec, &tm);
	snprintf(buf, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, frac / 1000);
}

int32_t
report_utf8_next(const unsigned char *s, size_t len, size_t *out_len)
{
	static const int32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 :
		   s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;
	int32_t c;

	*out_len = 1;
	if (n == 1)
		return s[0];
	if (n == 0 || n > len)
		return -1;
	c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*out_len = n;
	return c;
}

/* ---- output ---- */

void
report_out_init(struct report_out *o, testr_write_fn write, void *ud)
{
	memset(o, 0, sizeof(*o));
	o->write = write;
	o->userdata = ud;
}

static void
flush_out(struct report_out *o)
{
	if (o->rc == 0 && o->buf.len)
		o->rc = o->write(o->userdata, o->buf.s, o->buf.len);
	o->buf.len = 0;
}

void
report_out_add(struct report_out *o, const char *s, size_t len)
{
	if (o->rc == 0 && strbuf_addn(&o->buf, s, len) < 0)
		o->rc = TESTR_ENOMEM;
	if (o->buf.len >= 65536)
		flush_out(o);
}

void
report_out_str(struct report_out *o, const char *s)
{
	report_out_add(o, s, strlen(s));
}

void
report_out_printf(struct report_out *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		o->rc = o->rc ? o->rc : TESTR_EINVAL;
	else
		report_out_add(o, buf, (size_t)n);
}

void
report_out_seconds(struct report_out *o, int64_t ns)
{
	char buf[32], *p = buf + sizeof(buf);
	bool neg = ns < 0;
	/* Round half away from zero, in magnitude (no overflow near MIN). */
	uint64_t us = ((neg ? -(uint64_t)ns : (uint64_t)ns) + 500) / 1000;

	for (int i = 0; i < 6; i++, us /= 10)
		*--p = (char)('0' + us % 10);
	*--p = '.';
	do {
		*--p = (char)('0' + us % 10);
		us /= 10;
	} while (us);
	if (neg)
		*--p = '-';
	report_out_add(o, p, (size_t)(buf + sizeof(buf) - p));
}

int
report_out_finish(struct report_out *o)
{
	flush_out(o);
	strbuf_dispose(&o->buf);
	return o->rc;
}

TESTR_API int
testr_report_write(struct testr_report *r, enum testr_report_format format,
		   testr_write_fn write, void *userdata)
{
	struct report_out o;
	int rc, frc;

	static int (*const writers[])(struct testr_report *,
				      struct report_out *) = {
		[TESTR_REPORT_JUNIT] = report_write_junit,
		[TESTR_REPORT_JSON] = report_write_json,
		[TESTR_REPORT_GITHUB] = report_write_github,
		[TESTR_REPORT_MARKDOWN] = report_write_markdown,
		[TESTR_REPORT_GITLAB] = report_write_gitlab,
	};

	if ((unsigned)format >= sizeof(writers) / sizeof(*writers) ||
	    !writers[format])
		return context_fail(r->ctx, TESTR_EINVAL, "unknown report format %d",
				  (int)format);
	report_out_init(&o, write, userdata);
	rc = writers[format](r, &o);
	frc = report_out_finish(&o);
	return rc < 0 ? rc : frc;
}

static int
write_to_file(void *userdata, const void *buf, size_t len)
{
	return fileio_out_write(userdata, buf, len);
}

TESTR_API int
testr_report_write_file(struct testr_report *r,
			enum testr_report_format format, const char *path)
{
	struct fileio_out f;
	int rc = fileio_out_open(&f, r->ctx, path);

	if (rc < 0)
		return rc;
	rc = testr_report_write(r, format, write_to_file, &f);
	if (rc == 0)
		return fileio_out_commit(&f);
	fileio_out_abort(&f);
	return rc;
}
