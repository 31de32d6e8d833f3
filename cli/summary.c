/*
 * A run as testr last shows it (testrepository's CLI result): a FAIL block
 * for each test as it fails, then "Ran N tests in X.XXXs" with the deltas
 * against the previous run and "PASSED (id=N)" or "FAILED (id=N, ...)".
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* One attachment of a test still in progress. */
struct detail {
	char *name;
	char *mime;
	char *bytes;
	size_t len;
};

/* A test still in progress: what its FAIL block would show. */
struct record {
	struct record *next;
	char *id;
	char *tags;		/* latest tags, joined; NULL for none */
	uint64_t seq;		/* order of first appearance */
	struct detail *details;
	size_t n_details;
};

#define N_BUCKETS 1024u

struct cli_summary {
	FILE *out;
	struct testr_tally *tally;
	bool verdict;			/* counts and failed ids at the end */
	bool interrupted;		/* say INTERRUPTED, not PASSED */
	bool strict;			/* flaky tests fail the run */
	struct testr_strv failed;	/* with verdict: ids whose last result
					 * failed (NULL: passed on a retry) */
	struct testr_strv flaky;	/* with verdict: failed, then passed */
	struct record *failed_ids[N_BUCKETS];	/* each failed id once; seq:
						 * its index in failed */
	struct testr_strv filter_tags;	/* filter_tags of the config */
	uint64_t filtered;		/* tests they leave out of the count */
	struct record *buckets[N_BUCKETS];
	uint64_t next_seq;
};

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fputs("testr: out of memory\n", stderr);
		exit(CLI_EXIT_ERROR);
	}
	return p;
}

static char *
xstrndup(const char *s, size_t len)
{
	char *p = xcalloc(len + 1, 1);

	memcpy(p, s, len);
	return p;
}

struct cli_summary *
cli_summary_new_uncounted(FILE *out)
{
	struct cli_summary *s = xcalloc(1, sizeof(*s));

	s->out = out;
	return s;
}

struct cli_summary *
cli_summary_new(FILE *out)
{
	struct cli_summary *s = cli_summary_new_uncounted(out);

	if (testr_tally_new(&s->tally) < 0) {
		fputs("testr: out of memory\n", stderr);
		exit(CLI_EXIT_ERROR);
	}
	return s;
}

static void
record_free(struct record *r)
{
	for (size_t i = 0; i < r->n_details; i++) {
		free(r->details[i].name);
		free(r->details[i].mime);
		free(r->details[i].bytes);
	}
	free(r->details);
	free(r->tags);
	free(r->id);
	free(r);
}

static void
free_buckets(struct record **buckets)
{
	for (size_t b = 0; b < N_BUCKETS; b++)
		while (buckets[b]) {
			struct record *r = buckets[b];

			buckets[b] = r->next;
			record_free(r);
		}
}

void
cli_summary_free(struct cli_summary *s)
{
	if (!s)
		return;
	free_buckets(s->buckets);
	free_buckets(s->failed_ids);
	testr_tally_free(s->tally);
	testr_strv_dispose(&s->failed);
	testr_strv_dispose(&s->flaky);
	testr_strv_dispose(&s->filter_tags);
	free(s);
}

void
cli_summary_filter_tags(struct cli_summary *s, const struct testr_strv *tags)
{
	for (size_t i = 0; tags && i < tags->n; i++)
		if (testr_strv_push(&s->filter_tags, tags->v[i]) < 0) {
			fputs("testr: out of memory\n", stderr);
			exit(CLI_EXIT_ERROR);
		}
}

void
cli_summary_adjust(const struct cli_summary *s, struct testr_run_summary *cur)
{
	testr_run_summary_filter(cur, s->filtered);
}

void
cli_summary_want_verdict(struct cli_summary *s)
{
	s->verdict = true;
}

void
cli_summary_set_strict(struct cli_summary *s)
{
	s->strict = true;
}

static struct record **
find_in(struct record **buckets, const char *id)
{
	uint32_t h = 2166136261u;
	struct record **p;

	for (const char *c = id; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	for (p = &buckets[h % N_BUCKETS]; *p; p = &(*p)->next)
		if (strcmp((*p)->id, id) == 0)
			break;
	return p;
}

static struct record **
find_slot(struct cli_summary *s, const char *id)
{
	return find_in(s->buckets, id);
}

static void
push_or_die(struct testr_strv *v, const char *id)
{
	if (testr_strv_push(v, id) < 0) {
		fputs("testr: out of memory\n", stderr);
		exit(CLI_EXIT_ERROR);
	}
}

/*
 * With a verdict wanted, keep the closing lists: each id whose last result
 * failed, once; an id that passes after failing (on a retry) leaves the
 * failed list for the flaky one.
 */
static void
note_failed(struct cli_summary *s, const struct testr_event *ev)
{
	bool failed = ev->status == TESTR_STATUS_FAIL ||
		      ev->status == TESTR_STATUS_UXSUCCESS;
	struct record **slot, *r;

	if (!s->verdict || ev->status < TESTR_STATUS_SUCCESS)
		return;
	slot = find_in(s->failed_ids, ev->test_id);
	if (failed && !*slot) {
		*slot = r = xcalloc(1, sizeof(*r));
		r->id = xstrndup(ev->test_id, strlen(ev->test_id));
		r->seq = s->failed.n;
		push_or_die(&s->failed, ev->test_id);
	} else if (!failed && *slot) {
		r = *slot;
		*slot = r->next;
		free(s->failed.v[r->seq]);
		s->failed.v[r->seq] = NULL;
		if (ev->status == TESTR_STATUS_SUCCESS ||
		    ev->status == TESTR_STATUS_XFAIL)
			push_or_die(&s->flaky, ev->test_id);
		record_free(r);
	}
}

static void
add_detail(struct record *r, const struct testr_event *ev)
{
	struct detail *d = NULL;

	for (size_t i = 0; i < r->n_details; i++)
		if (strcmp(r->details[i].name, ev->file_name) == 0)
			d = &r->details[i];
	if (!d) {
		struct detail *v = realloc(r->details,
					   (r->n_details + 1) * sizeof(*v));

		if (!v) {
			fputs("testr: out of memory\n", stderr);
			exit(CLI_EXIT_ERROR);
		}
		r->details = v;
		d = &v[r->n_details++];
		memset(d, 0, sizeof(*d));
		d->name = xstrndup(ev->file_name, strlen(ev->file_name));
		if (ev->fields & TESTR_EVENT_MIME_TYPE && ev->mime_type)
			d->mime = xstrndup(ev->mime_type, strlen(ev->mime_type));
	}
	d->bytes = realloc(d->bytes, d->len + ev->file_len + 1);
	if (!d->bytes) {
		fputs("testr: out of memory\n", stderr);
		exit(CLI_EXIT_ERROR);
	}
	memcpy(d->bytes + d->len, ev->file_bytes, ev->file_len);
	d->len += ev->file_len;
	d->bytes[d->len] = '\0';
}

static int
by_name(const void *a, const void *b)
{
	const struct detail *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int
by_str(const void *a, const void *b)
{
	char *const *sa = a, *const *sb = b;

	return strcmp(*sa, *sb);
}

/* Is the attachment text?  Its MIME major type says. */
static bool
is_text(const struct detail *d)
{
	const char *m = d->mime ? d->mime : "application/octet-stream";

	while (isspace((unsigned char)*m))
		m++;
	return strncmp(m, "text/", 5) == 0;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* The MIME type as testtools prints it: 'type/sub; k="v"' (keys sorted). */
static void
print_content_type(FILE *out, const char *mime)
{
	char *copy = xstrndup(mime, strlen(mime)), *params[32], *p, *save;
	size_t n = 0;

	p = strtok_r(copy, ";", &save);
	fputs(p ? trim(p) : "", out);
	while ((p = strtok_r(NULL, ";", &save)) && n < 32) {
		char *eq = strchr(p, '='), *v;
		size_t vl;

		if (!eq)
			continue;
		*eq = '\0';
		v = trim(eq + 1);
		vl = strlen(v);
		if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
			v[vl - 1] = '\0', v++;
		if (asprintf(&params[n++], "%s=\"%s\"", trim(p), v) < 0) {
			fputs("testr: out of memory\n", stderr);
			exit(CLI_EXIT_ERROR);
		}
	}
	qsort(params, n, sizeof(*params), by_str);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "; %s", params[i]);
		free(params[i]);
	}
	free(copy);
}

/* Text with surrounding whitespace removed (Python's str.strip). */
static const char *
strip(const char *s, size_t *len)
{
	size_t n = *len;

	while (n && (isspace((unsigned char)*s) || (*s >= 0x1c && *s <= 0x1f)))
		s++, n--;
	while (n && (isspace((unsigned char)s[n - 1]) ||
		     (s[n - 1] >= 0x1c && s[n - 1] <= 0x1f)))
		n--;
	*len = n;
	return s;
}

/* "name: {{{text}}}", or the multi-line form; malloc'd. */
static char *
format_text(const struct detail *d)
{
	size_t len = d->len;
	const char *t = strip(d->bytes ? d->bytes : "", &len);
	char *out = NULL;
	int n = memchr(t, '\n', len) ?
		asprintf(&out, "%s: {{{\n%.*s\n}}}\n", d->name, (int)len, t) :
		asprintf(&out, "%s: {{{%.*s}}}", d->name, (int)len, t);

	if (n < 0) {
		fputs("testr: out of memory\n", stderr);
		exit(CLI_EXIT_ERROR);
	}
	return out;
}

/*
 * The text attachments, then the traceback, joined as testtools joins them
 * (a blank element keeps a single-line attachment off the traceback).
 */
static void
print_texts(FILE *out, struct detail *d, size_t n, const struct detail *special)
{
	char **parts = xcalloc(n + 2, sizeof(*parts));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = d[i].len;

		if (is_text(&d[i]) && &d[i] != special &&
		    (strip(d[i].bytes ? d[i].bytes : "", &len), len))
			parts[k++] = format_text(&d[i]);
	}
	if (k && parts[k - 1][strlen(parts[k - 1]) - 1] != '\n')
		parts[k++] = xstrndup("", 0);
	if (special) {
		size_t len = special->len;
		const char *t = strip(special->bytes, &len);

		parts[k] = xcalloc(len + 2, 1);
		memcpy(parts[k], t, len);
		parts[k++][len] = '\n';
	}
	for (size_t i = 0; i < k; i++) {
		fprintf(out, "%s%s", i ? "\n" : "", parts[i]);
		free(parts[i]);
	}
	free(parts);
}

/* The attachments as testtools' _details_to_str(special="traceback"). */
static void
print_details(FILE *out, struct record *r)
{
	struct detail *d = r->details, *special = NULL;
	bool any_bin = false, any_empty = false, any_text = false;
	size_t n = r->n_details;

	if (n)
		qsort(d, n, sizeof(*d), by_name);
	for (size_t i = 0; i < n; i++) {
		size_t len = d[i].len;

		if (!is_text(&d[i]))
			any_bin = true;
		else if (strip(d[i].bytes ? d[i].bytes : "", &len), !len)
			any_empty = true;
		else if (strcmp(d[i].name, "traceback") == 0)
			special = &d[i];
		else
			any_text = true;
	}
	if (any_bin)
		fputs("Binary content:\n", out);
	for (size_t i = 0; any_bin && i < n; i++)
		if (!is_text(&d[i])) {
			fprintf(out, "  %s (", d[i].name);
			print_content_type(out, d[i].mime ? d[i].mime :
					   "application/octet-stream");
			fputs(")\n", out);
		}
	if (any_empty)
		fputs("Empty attachments:\n", out);
	for (size_t i = 0; any_empty && i < n; i++) {
		size_t len = d[i].len;

		if (is_text(&d[i]) && (strip(d[i].bytes ? d[i].bytes : "", &len), !len))
			fprintf(out, "  %s\n", d[i].name);
	}
	if ((any_bin || any_empty) && (any_text || special))
		fputs("\n", out);
	print_texts(out, d, n, special);
}

/* "a b worker-0": the event's tags, sorted; NULL when it has none. */
static char *
join_tags(const struct testr_event *ev)
{
	const char **tags;
	size_t len = 1;
	char *out;

	if (!(ev->fields & TESTR_EVENT_TAGS) || !ev->n_tags)
		return NULL;
	if (ev->n_tags == 1)	/* worker-N: every event of a parallel run */
		return xstrndup(ev->tags[0], strlen(ev->tags[0]));
	tags = xcalloc(ev->n_tags, sizeof(*tags));
	memcpy(tags, ev->tags, ev->n_tags * sizeof(*tags));
	qsort(tags, ev->n_tags, sizeof(*tags), by_str);
	for (size_t i = 0; i < ev->n_tags; i++)
		len += strlen(tags[i]) + 1;
	out = xcalloc(len, 1);
	for (size_t i = 0; i < ev->n_tags; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, tags[i]);
	}
	free(tags);
	return out;
}

/* The tags of @ev on @r, for a test that never completes (most events
 * carry the one worker-N tag the record already has: no work then). */
static void
keep_tags(struct record *r, const struct testr_event *ev)
{
	if (ev->n_tags == 1 && r->tags && strcmp(r->tags, ev->tags[0]) == 0)
		return;
	free(r->tags);
	r->tags = join_tags(ev);
}

static void
print_fail_block(struct cli_summary *s, struct record *r, const char *tags)
{
	static const char eq[] = "======================================="
				 "===============================";
	static const char dash[] = "---------------------------------------"
				   "-------------------------------";

	fprintf(s->out, "%s\nFAIL: %s\n", eq, r->id);
	if (tags)
		fprintf(s->out, "tags: %s\n", tags);
	fprintf(s->out, "%s\n", dash);
	print_details(s->out, r);
}

int
cli_summary_event(void *userdata, const struct testr_event *ev)
{
	struct cli_summary *s = userdata;
	struct record **slot, *r;

	if (s->tally && testr_tally_event_fn(s->tally, ev) < 0) {
		fputs("testr: out of memory\n", stderr);
		exit(CLI_EXIT_ERROR);
	}
	s->filtered += testr_event_filtered(ev, &s->filter_tags);
	if (!(ev->fields & TESTR_EVENT_TEST_ID) || !ev->test_id)
		return 0;
	slot = find_slot(s, ev->test_id);
	if (!*slot) {
		*slot = xcalloc(1, sizeof(**slot));
		(*slot)->id = xstrndup(ev->test_id, strlen(ev->test_id));
		(*slot)->seq = s->next_seq++;
	}
	r = *slot;
	if ((ev->fields & TESTR_EVENT_FILE) && ev->file_name && ev->file_len)
		add_detail(r, ev);
	if (ev->fields & TESTR_EVENT_TAGS)
		keep_tags(r, ev);
	if (ev->status == TESTR_STATUS_UNDEFINED ||
	    ev->status == TESTR_STATUS_INPROGRESS)
		return 0;
	note_failed(s, ev);
	if (ev->status == TESTR_STATUS_FAIL) {
		char *tags = join_tags(ev);

		print_fail_block(s, r, tags);
		free(tags);
	}
	*slot = r->next;
	record_free(r);
	return 0;
}

/* testrepository's summary line: "Ran N (+d) tests in X.XXXs (+d.ddds)". */
static void
print_ran_line(FILE *out, const struct testr_run_summary *cur,
	       const struct testr_run_summary *prev)
{
	bool any = false;

	if (cur->tests_run) {
		fprintf(out, "Ran %" PRIu64, cur->tests_run);
		if (prev && cur->tests_run != prev->tests_run)
			fprintf(out, " (%+" PRId64 ")",
				(int64_t)(cur->tests_run - prev->tests_run));
		fputs(" tests", out);
		any = true;
	}
	if (cur->has_time && cur->time_taken != 0.0) {
		fputs(any ? "" : "Ran tests", out);
		fprintf(out, " in %0.3fs", cur->time_taken);
		if (prev && prev->has_time && prev->time_taken != 0.0 &&
		    cur->time_taken != prev->time_taken)
			fprintf(out, " (%+0.3fs)",
				cur->time_taken - prev->time_taken);
		any = true;
	}
	if (any)
		fputs("\n", out);
}

/* cli_summary_print(); with @strict, flaky tests fail the run. */
static int
print_summary(FILE *out, uint64_t run_id, const struct testr_run_summary *cur,
	      const struct testr_run_summary *prev, bool strict)
{
	bool failed = cur->failures || (strict && cur->flaky);

	print_ran_line(out, cur, prev);
	fprintf(out, "%s (id=%" PRIu64, cur->interrupted ? "INTERRUPTED" :
		failed ? "FAILED" : "PASSED", run_id);
	if (cur->failures) {
		fprintf(out, ", failures=%" PRIu64, cur->failures);
		if (prev && prev->failures != cur->failures)
			fprintf(out, " (%+" PRId64 ")",
				(int64_t)(cur->failures - prev->failures));
	}
	if (cur->skips)
		fprintf(out, ", skips=%" PRIu64, cur->skips);
	if (cur->flaky)
		fprintf(out, ", flaky=%" PRIu64, cur->flaky);
	fputs(")\n", out);
	if (cur->interrupted)
		return CLI_EXIT_INTERRUPTED;
	return failed ? CLI_EXIT_FAILURES : CLI_EXIT_OK;
}

int
cli_summary_print(FILE *out, uint64_t run_id,
		  const struct testr_run_summary *cur,
		  const struct testr_run_summary *prev)
{
	return print_summary(out, run_id, cur, prev, false);
}

static int
by_seq_desc(const void *a, const void *b)
{
	const struct record *x = *(struct record *const *)a;
	const struct record *y = *(struct record *const *)b;

	return (x->seq < y->seq) - (x->seq > y->seq);
}

void
cli_summary_set_interrupted(struct cli_summary *s)
{
	s->interrupted = true;
}

void
cli_summary_flush(struct cli_summary *s)
{
	struct record **open = NULL;
	size_t n = 0, cap = 0;

	for (size_t b = 0; b < N_BUCKETS; b++)
		for (struct record *r = s->buckets[b]; r; r = r->next) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				open = realloc(open, cap * sizeof(*open));
				if (!open) {
					fputs("testr: out of memory\n", stderr);
					exit(CLI_EXIT_ERROR);
				}
			}
			open[n++] = r;
		}
	/* Latest first, as testtools reports tests still in progress. */
	if (n)
		qsort(open, n, sizeof(*open), by_seq_desc);
	for (size_t i = 0; i < n; i++)
		print_fail_block(s, open[i], open[i]->tags);
	free(open);
	for (size_t b = 0; b < N_BUCKETS; b++)
		while (s->buckets[b]) {
			struct record *r = s->buckets[b];

			s->buckets[b] = r->next;
			record_free(r);
		}
}

/*
 * One failed id for the closing list: as it is when it is plain text, else
 * quoted and escaped as error lines are, so that an id holding a newline or
 * a terminal escape stays one harmless line.  Never cut: the list is where
 * a user copies ids from.
 */
static void
print_failed_id(FILE *out, const char *id)
{
	size_t len = strlen(id), size = 4 * len + 8;
	char *q = malloc(size);

	if (q)
		testr_quote(q, size, id, len);
	if (q && (strlen(q) != len + 2 || memcmp(q + 1, id, len) != 0))
		fprintf(out, "    %s\n", q);
	else if (q)
		fprintf(out, "    %s\n", id);
	else
		fputs("    (out of memory)\n", out);
	free(q);
}

/*
 * After testrepository's lines, which scripts compare: the counts, and the
 * failed ids in one place (as ctest's list), so a long log need not be
 * searched for FAIL blocks.
 */
static void
print_verdict(struct cli_summary *s, const struct testr_run_summary *cur)
{
	uint64_t bad = cur->failures + cur->skips;

	bool any = false;

	fprintf(s->out, "Totals: %" PRIu64 " passed, %" PRIu64 " failed, %"
		PRIu64 " skipped", cur->tests_run > bad ? cur->tests_run - bad : 0,
		cur->failures, cur->skips);
	if (cur->flaky)
		fprintf(s->out, ", %" PRIu64 " flaky (passed on a retry, "
			"counted as passed%s)", cur->flaky,
			s->strict ? "; --strict fails the run" : "");
	fputc('\n', s->out);
	for (size_t i = 0; i < s->failed.n; i++) {
		if (!s->failed.v[i])
			continue;	/* passed on a retry */
		if (!any)
			fputs("The following tests FAILED:\n", s->out);
		any = true;
		print_failed_id(s->out, s->failed.v[i]);
	}
	if (s->flaky.n)
		fputs("The following tests were FLAKY (failed, then passed on "
		      "a retry):\n", s->out);
	for (size_t i = 0; i < s->flaky.n; i++)
		print_failed_id(s->out, s->flaky.v[i]);
}

int
cli_summary_finish(struct cli_summary *s, uint64_t run_id,
		   const struct testr_run_summary *prev)
{
	struct testr_run_summary cur = { 0 };
	int rc;

	if (s->tally)
		testr_tally_result(&cur, s->tally);
	cli_summary_adjust(s, &cur);
	cur.interrupted = s->interrupted;
	rc = print_summary(s->out, run_id, &cur, prev, s->strict);
	if (s->verdict)
		print_verdict(s, &cur);
	return rc;
}

void
cli_summary_config_filter_tags(struct cli_summary *s,
			       struct testr_context *ctx)
{
	struct testr_config *cfg = NULL;
	struct testr_strv tags = TESTR_STRV_INIT;

	/* No config (or a bad one) filters nothing here: the commands that
	 * need the config report its errors. */
	if (testr_config_load_dir(&cfg, ctx, NULL) == 0 &&
	    testr_config_filter_tags(&tags, cfg) == 0)
		cli_summary_filter_tags(s, &tags);
	else
		testr_context_clear_error(ctx);
	testr_strv_dispose(&tags);
	testr_config_free(cfg);
}

/* The summary of the run before @run_id, if there is one. */
const struct testr_run_summary *
cli_previous_summary(struct testr_run_summary *buf, struct testr_context *ctx,
		     struct testr_repo *repo, uint64_t run_id)
{
	int rc;

	if (run_id == 0)
		return NULL;
	rc = testr_repo_run_summary(buf, repo, run_id - 1);
	if (rc == TESTR_ENOTFOUND) {
		testr_context_clear_error(ctx);
		return NULL;
	}
	if (rc < 0)	/* a damaged previous run: say so, keep what was read */
		fprintf(stderr, "%s\n", testr_context_error(ctx));
	return rc < 0 && rc != TESTR_ECORRUPT ? NULL : buf;
}

/* The renderer and a report fed from the same reading of the run. */
struct summary_tee {
	struct cli_summary *s;
	struct testr_report *report;
};

static int
tee_event(void *userdata, const struct testr_event *ev)
{
	struct summary_tee *t = userdata;
	int rc = cli_summary_event(t->s, ev);

	return rc == 0 && t->report ? testr_report_add(t->report, ev) : rc;
}

int
cli_print_run_summary(struct testr_context *ctx, struct testr_repo *repo,
		      uint64_t run_id, FILE *out, struct testr_report *report)
{
	struct testr_run_summary prev_buf, cur;
	const struct testr_run_summary *prev;
	/* The counts come from the repository (the run's index), so memory
	 * does not grow with the run: only tests in progress are held. */
	struct summary_tee tee = { cli_summary_new_uncounted(out), report };
	struct cli_summary *s = tee.s;
	bool damaged;
	int rc;

	cli_summary_config_filter_tags(s, ctx);
	rc = testr_repo_read_run(repo, run_id, tee_event, &tee);
	/* A damaged run file is shown as far as it goes, never as green. */
	damaged = rc == TESTR_ECORRUPT;

	if (damaged) {
		fflush(out);
		fprintf(stderr, "%s\n", testr_context_error(ctx));
	} else if (rc < 0) {
		cli_summary_free(s);
		return cli_report(ctx, rc);
	}
	cli_summary_flush(s);
	rc = testr_repo_run_summary(&cur, repo, run_id);
	cli_summary_adjust(s, &cur);
	cli_summary_free(s);
	if (rc < 0 && rc != TESTR_ECORRUPT)
		return cli_report(ctx, rc);
	prev = cli_previous_summary(&prev_buf, ctx, repo, run_id);
	rc = cli_summary_print(out, run_id, &cur, prev);
	return damaged ? CLI_EXIT_ERROR : rc;
}
