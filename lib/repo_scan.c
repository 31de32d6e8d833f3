/*
 * Per-test records from a stream, as testtools' StreamToDict and
 * StreamSummary see them: a record opens at a test's first event and closes
 * at its first final status; its duration runs from the timestamp of the
 * opening event to that of the closing one.  Unlike StreamSummary, a test
 * with several records in one run (a retry's attempts) counts once, as its
 * last record: a fail then a pass is one flaky test, not a failure.
 */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include "repo_scan.h"

void
repo_scan_init(struct repo_scan *s)
{
	memset(s, 0, sizeof(*s));
	repo_idmap_init(&s->tests);
}

void
repo_scan_dispose(struct repo_scan *s)
{
	repo_idmap_dispose(&s->tests);
}

static bool
ts_before(int64_t a_sec, uint32_t a_nsec, int64_t b_sec, uint32_t b_nsec)
{
	return a_sec < b_sec || (a_sec == b_sec && a_nsec < b_nsec);
}

static void
note_time(struct repo_scan *s, const struct testr_event *ev)
{
	if (!s->sum.has_time) {
		s->sum.has_time = true;
		s->first_sec = s->last_sec = ev->ts_sec;
		s->first_nsec = s->last_nsec = ev->ts_nsec;
		return;
	}
	if (ts_before(ev->ts_sec, ev->ts_nsec, s->first_sec, s->first_nsec)) {
		s->first_sec = ev->ts_sec;
		s->first_nsec = ev->ts_nsec;
	}
	if (ts_before(s->last_sec, s->last_nsec, ev->ts_sec, ev->ts_nsec)) {
		s->last_sec = ev->ts_sec;
		s->last_nsec = ev->ts_nsec;
	}
	s->sum.time_taken = (double)(s->last_sec - s->first_sec) +
			    ((double)s->last_nsec - (double)s->first_nsec) / 1e9;
}

/* Nanoseconds since the epoch, clamped (int64 reaches the year 2262). */
static int64_t
ts_ns(const struct testr_event *ev)
{
	const int64_t lim = INT64_MAX / 1000000000 - 1;
	int64_t s = ev->ts_sec > lim ? lim : ev->ts_sec < -lim ? -lim : ev->ts_sec;

	return s * 1000000000 + ev->ts_nsec % 1000000000;
}

void
repo_test_set_status(struct repo_test *t, enum testr_status status)
{
	unsigned prev = (t->flags >> TEST_STATUS_SHIFT) & 7u;

	if (prev == TESTR_STATUS_FAIL || prev == TESTR_STATUS_UXSUCCESS)
		t->flags |= TEST_EARLIER_FAIL;
	t->flags = (t->flags & ~(7u << TEST_STATUS_SHIFT) & 0xffu) |
		   ((unsigned)status << TEST_STATUS_SHIFT);
}

static const char *const outcome_names[] = {
	"success", "fail", "skip", "xfail", "uxsuccess", "flaky", "incomplete",
};

const char *
repo_test_outcome(const struct repo_test *t)
{
	unsigned st = (t->flags >> TEST_STATUS_SHIFT) & 7u;
	bool earlier = t->flags & TEST_EARLIER_FAIL;

	switch (st) {
	case TESTR_STATUS_SUCCESS: return earlier ? "flaky" : "success";
	case TESTR_STATUS_XFAIL: return earlier ? "flaky" : "xfail";
	case TESTR_STATUS_FAIL: return "fail";
	case TESTR_STATUS_UXSUCCESS: return "uxsuccess";
	case TESTR_STATUS_SKIP: return "skip";
	case TESTR_STATUS_INPROGRESS: return "incomplete";
	default: return NULL;
	}
}

const char *
repo_outcome_parse(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(outcome_names) / sizeof(*outcome_names); i++)
		if (len == strlen(outcome_names[i]) &&
		    memcmp(s, outcome_names[i], len) == 0)
			return outcome_names[i];
	return NULL;
}

static bool
is_flaky(const struct repo_test *t)
{
	const char *o = repo_test_outcome(t);

	return o && strcmp(o, "flaky") == 0;
}

/* Did @t's last record fail (fail, uxsuccess)?  Then a later record of
 * it in the same run is a retry, as the reports see it (report.c). */
static bool
last_failed(const struct repo_test *t)
{
	unsigned prev = (t->flags >> TEST_STATUS_SHIFT) & 7u;

	return prev == TESTR_STATUS_FAIL || prev == TESTR_STATUS_UXSUCCESS;
}

/* @t is being retried: its new record replaces the failed one in the
 * counts, so a test counts once, as its last attempt.  (A record after a
 * pass counts as another test, as in testrepository.) */
static void
uncount(struct repo_scan *s, const struct repo_test *t)
{
	unsigned prev = (t->flags >> TEST_STATUS_SHIFT) & 7u;

	s->sum.tests_run--;
	s->sum.failures -= prev == TESTR_STATUS_FAIL;
}

static void
close_record(struct repo_scan *s, struct repo_test *t,
	     const struct testr_event *ev)
{
	t->flags &= ~(TEST_OPEN | TEST_FAILING) & 0xffu;
	if (ev->status == TESTR_STATUS_EXISTS)
		return;		/* listed, not run: no count, no duration */
	if (last_failed(t))
		uncount(s, t);
	s->sum.flaky -= is_flaky(t);	/* (passed before: no longer its outcome) */
	repo_test_set_status(t, ev->status);
	s->sum.flaky += is_flaky(t);
	s->sum.tests_run++;
	if (ev->status == TESTR_STATUS_FAIL) {
		s->sum.failures++;
		t->flags |= TEST_FAILING;
	} else if (ev->status == TESTR_STATUS_SKIP) {
		s->sum.skips++;
	}
	if ((t->flags & TEST_HAS_START) && (ev->fields & TESTR_EVENT_TIMESTAMP)) {
		t->seconds = (double)(ts_ns(ev) - t->start_ns) / 1e9;
		t->flags |= TEST_TIMED;
	}
}

/* A run's note about itself (REPO_MARK_*): only on a packet of no test. */
static void
note_mark(struct repo_scan *s, const struct testr_event *ev)
{
	if (!(ev->fields & TESTR_EVENT_FILE) || !ev->file_name)
		return;
	if (strcmp(ev->file_name, REPO_MARK_INTERRUPTED) == 0)
		s->sum.interrupted = s->sum.partial = true;
	else if (strcmp(ev->file_name, REPO_MARK_PARTIAL) == 0)
		s->sum.partial = true;
}

int
repo_scan_event(struct repo_scan *s, const struct testr_event *ev)
{
	struct repo_test *t;
	bool has_ts = ev->fields & TESTR_EVENT_TIMESTAMP;

	if (has_ts)
		note_time(s, ev);
	if (!(ev->fields & TESTR_EVENT_TEST_ID) || !ev->test_id) {
		note_mark(s, ev);
		return 0;
	}
	t = s->last;
	if (!t || strcmp(t->id, ev->test_id) != 0) {
		t = repo_idmap_get(&s->tests, ev->test_id, strlen(ev->test_id));
		if (!t)
			return TESTR_ENOMEM;
		s->last = t;	/* entries never move: chunks are not reallocated */
	}
	if (!(t->flags & TEST_OPEN)) {
		t->flags |= TEST_OPEN;
		t->flags &= ~TEST_HAS_START & 0xffu;
		if (has_ts) {
			t->flags |= TEST_HAS_START;
			t->start_ns = ts_ns(ev);
		}
	}
	if (ev->status != TESTR_STATUS_UNDEFINED &&
	    ev->status != TESTR_STATUS_INPROGRESS)
		close_record(s, t, ev);
	return 0;
}

int
repo_scan_event_fn(void *userdata, const struct testr_event *ev)
{
	return repo_scan_event(userdata, ev);
}

void
repo_scan_finish(struct repo_scan *s)
{
	for (size_t i = 0; i < s->tests.n; i++) {
		struct repo_test *t = repo_idmap_at(&s->tests, i);

		if (!(t->flags & TEST_OPEN))
			continue;
		/* Never completed: testtools reports it as a failure, and
		 * testrepository keeps it in the failing set. */
		t->flags &= ~TEST_OPEN & 0xffu;
		t->flags |= TEST_FAILING;
		if (last_failed(t))
			uncount(s, t);	/* a retry that never ended */
		s->sum.flaky -= is_flaky(t);
		repo_test_set_status(t, TESTR_STATUS_INPROGRESS);
		s->sum.tests_run++;
		s->sum.failures++;
	}
}

int
repo_scan_file(struct repo_scan *s, struct testr_repo *repo, const char *path)
{
	int rc = repo_decode_file(repo, path, repo_scan_event_fn, s);

	repo_scan_finish(s);
	return rc;
}

struct testr_tally {
	struct repo_scan scan;
};

TESTR_API int
testr_tally_new(struct testr_tally **out)
{
	*out = malloc(sizeof(**out));
	if (!*out)
		return TESTR_ENOMEM;
	repo_scan_init(&(*out)->scan);
	return 0;
}

TESTR_API void
testr_tally_free(struct testr_tally *tally)
{
	if (!tally)
		return;
	repo_scan_dispose(&tally->scan);
	free(tally);
}

TESTR_API int
testr_tally_event_fn(void *userdata, const struct testr_event *ev)
{
	struct testr_tally *tally = userdata;

	return repo_scan_event(&tally->scan, ev);
}

TESTR_API void
testr_tally_result(struct testr_run_summary *out,
		   const struct testr_tally *tally)
{
	const struct repo_scan *s = &tally->scan;

	*out = s->sum;
	out->id = 0;
	out->partial = false;
	/* Open records count as failed runs, as repo_scan_finish() would. */
	for (size_t i = 0; i < s->tests.n; i++) {
		const struct repo_test *t = repo_idmap_at(&s->tests, i);
		unsigned prev = (t->flags >> TEST_STATUS_SHIFT) & 7u;

		if (!(t->flags & TEST_OPEN))
			continue;
		/* A retry in progress replaces its failed record. */
		out->tests_run += !last_failed(t);
		out->failures += prev != TESTR_STATUS_FAIL;
		out->flaky -= is_flaky(t);
	}
}
