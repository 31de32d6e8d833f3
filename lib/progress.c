/*
 * The progress of a run and its time left.  The time left is the work not
 * yet done, in the plan's estimates, scaled by the pace measured so far
 * (measured over estimated seconds of the tests that finished, and of
 * those running past their estimate), spread over the workers, and never
 * less than what the slowest test in progress still needs.  The pace is
 * what makes the estimate adapt: a run on a loaded machine, or a test far
 * past its estimate, pushes it up as it happens, not when the test ends.
 * With no estimate at all, the mean duration of the finished tests stands
 * in for every test.
 */
#include "config-build.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <testr/progress.h>

#include "idset.h"
#include "model.h"

/* Workers beyond this are taken for a garbled route code, not a worker. */
#define MAX_WORKER 4096
/* The pace starts at 1 and is worth this share of the planned work in
 * measured seconds: a few short tests at the start do not swing it. */
#define PACE_PRIOR_SHARE 0.05
/* A test is marked overdue only once it overruns by this many seconds. */
#define OVERDUE_SLACK 1.0

struct entry {
	char *id;
	double est;
	bool started;
};

struct worker {
	const char *test;	/* NULL: idle */
	char *own;		/* test, when it is no plan entry's id */
	double since;
	double est;		/* NaN: unknown */
};

struct testr_progress {
	double start;
	size_t expected, done, failed;
	size_t plan_workers;
	struct worker *w;
	size_t n_w;
	/* The plan: tests by id (hashed into slots: the high half of the
	 * hash, and index + 1), and the tests planned without an id, as a
	 * count and a sum. */
	struct entry *e;
	size_t n_e;
	uint64_t *slots;
	size_t cap;
	double fill;		/* the estimate of an unknown test; NaN: none */
	double planned;		/* estimated seconds of the whole plan */
	double left_est;	/* of the tests with an id not yet started */
	size_t anon_n;
	double anon_est;
	/* What the finished tests took. */
	double sum_actual, sum_est;	/* those with an estimate */
	double sum_all;
	size_t n_timed;
};

TESTR_API int
testr_progress_new(struct testr_progress **out, double now)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return TESTR_ENOMEM;
	(*out)->start = now;
	(*out)->fill = NAN;
	return TESTR_OK;
}

static void
plan_dispose(struct testr_progress *p)
{
	for (size_t i = 0; i < p->n_e; i++)
		free(p->e[i].id);
	free(p->e);
	free(p->slots);
	p->e = NULL;
	p->slots = NULL;
	p->n_e = p->cap = 0;
}

TESTR_API void
testr_progress_free(struct testr_progress *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_w; i++)
		free(p->w[i].own);
	plan_dispose(p);
	free(p->w);
	free(p);
}

/* ---- the plan ---- */

/*
 * The slot of @id (hashed to @h): a slot holds the high half of its id's
 * hash and its entry's index + 1 (0: empty), so a probe reads an entry and
 * its id (two cache misses in a large plan) only on a likely match.
 */
static size_t
probe(const struct testr_progress *p, const char *id, uint64_t h)
{
	size_t mask = p->cap - 1, i = h & mask;
	uint64_t tag = h >> 32 << 32;

	for (; p->slots[i]; i = (i + 1) & mask)
		if ((p->slots[i] & ~0xffffffffULL) == tag &&
		    strcmp(p->e[(uint32_t)p->slots[i] - 1].id, id) == 0)
			break;
	return i;
}

static struct entry *
find(const struct testr_progress *p, const char *id)
{
	uint64_t s;

	if (!p->cap)
		return NULL;
	s = p->slots[probe(p, id, hash_bytes(id, strlen(id)))];
	return s ? &p->e[(uint32_t)s - 1] : NULL;
}

/* Index the entries; a repeated id keeps its first entry. */
static int
index_entries(struct testr_progress *p)
{
	p->cap = 16;
	while (p->cap < 2 * p->n_e)
		p->cap *= 2;
	p->slots = calloc(p->cap, sizeof(*p->slots));
	if (!p->slots)
		return TESTR_ENOMEM;
	for (size_t k = 0; k < p->n_e; k++) {
		uint64_t h = hash_bytes(p->e[k].id, strlen(p->e[k].id));
		size_t i = probe(p, p->e[k].id, h);

		if (!p->slots[i])
			p->slots[i] = (h >> 32 << 32) | (uint64_t)(k + 1);
	}
	return TESTR_OK;
}

static bool
known(const double *seconds, size_t i)
{
	return seconds && isfinite(seconds[i]) && seconds[i] >= 0;
}

/* The median of the known estimates: what an unknown test is taken for. */
static int
median_fill(struct testr_progress *p, const double *seconds, size_t n)
{
	double *k = malloc((n ? n : 1) * sizeof(*k));
	size_t nk = 0;

	if (!k)
		return TESTR_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (known(seconds, i))
			k[nk++] = seconds[i];
	p->fill = model_median(k, nk);
	free(k);
	return TESTR_OK;
}

static int
copy_entries(struct testr_progress *p, const char *const *ids,
	     const double *seconds, size_t n)
{
	p->e = calloc(n ? n : 1, sizeof(*p->e));
	if (!p->e)
		return TESTR_ENOMEM;
	for (; p->n_e < n; p->n_e++) {
		struct entry *e = &p->e[p->n_e];

		e->id = strdup(ids[p->n_e]);
		if (!e->id)
			return TESTR_ENOMEM;
		e->est = known(seconds, p->n_e) ? seconds[p->n_e] : p->fill;
	}
	return index_entries(p);
}

/* What is left of the plan once the tests already running are out. */
static void
tally_plan(struct testr_progress *p, size_t n)
{
	double total = 0;

	for (size_t i = 0; i < p->n_e; i++)
		total += isnan(p->e[i].est) ? 0 : p->e[i].est;
	if (!p->n_e) {
		total = isnan(p->fill) ? 0 : p->fill * (double)n;
		p->anon_n = n;
		p->anon_est = total;
	}
	p->planned = total;
	p->left_est = p->n_e ? total : 0;
	for (size_t i = 0; i < p->n_w; i++) {
		struct entry *e = p->w[i].test ? find(p, p->w[i].test) : NULL;

		if (e && !e->started) {
			e->started = true;
			p->left_est -= isnan(e->est) ? 0 : e->est;
		}
	}
}

static int grow_workers(struct testr_progress *p, size_t n);

/* The workers' tests outlive the plan whose ids they borrow. */
static int
own_tests(struct testr_progress *p)
{
	for (size_t i = 0; i < p->n_w; i++) {
		struct worker *w = &p->w[i];

		if (w->test && !w->own && !(w->test = w->own = strdup(w->test)))
			return TESTR_ENOMEM;
	}
	return TESTR_OK;
}

TESTR_API int
testr_progress_plan(struct testr_progress *p, const char *const *ids,
		    const double *seconds, size_t n_tests, size_t n_workers)
{
	int rc = own_tests(p);

	if (rc < 0)
		return rc;
	plan_dispose(p);
	p->anon_n = 0;
	p->anon_est = 0;
	p->expected = n_tests;
	p->plan_workers = n_workers;
	rc = median_fill(p, seconds, n_tests);
	if (rc == TESTR_OK && ids)
		rc = copy_entries(p, ids, seconds, n_tests);
	if (rc == TESTR_OK)
		rc = grow_workers(p, n_workers);
	if (rc < 0) {
		plan_dispose(p);
		return rc;
	}
	tally_plan(p, n_tests);
	return TESTR_OK;
}

/* ---- events ---- */

static int
grow_workers(struct testr_progress *p, size_t n)
{
	struct worker *w;

	if (n <= p->n_w)
		return TESTR_OK;
	w = realloc(p->w, n * sizeof(*w));
	if (!w)
		return TESTR_ENOMEM;
	for (size_t i = p->n_w; i < n; i++)
		w[i] = (struct worker){ NULL, NULL, 0, NAN };
	p->w = w;
	p->n_w = n;
	return TESTR_OK;
}

/* The worker an event came from: its route code, its worker-N tag, or 0. */
static size_t
worker_of(const struct testr_event *ev)
{
	char *end;
	long n;

	if ((ev->fields & TESTR_EVENT_ROUTE_CODE) && ev->route_code) {
		n = strtol(ev->route_code, &end, 10);
		if (end != ev->route_code && n >= 0 && n < MAX_WORKER)
			return (size_t)n;
	}
	for (size_t i = 0; (ev->fields & TESTR_EVENT_TAGS) && i < ev->n_tags;
	     i++) {
		if (strncmp(ev->tags[i], "worker-", 7) != 0)
			continue;
		n = strtol(ev->tags[i] + 7, &end, 10);
		if (end != ev->tags[i] + 7 && !*end && n >= 0 && n < MAX_WORKER)
			return (size_t)n;
	}
	return 0;
}

static bool
is_final(const struct testr_event *ev)
{
	enum testr_status s = ev->status;

	/* An attachment in several packets: the test ends with its last. */
	if ((ev->fields & TESTR_EVENT_FILE) && !ev->eof)
		return false;
	return s == TESTR_STATUS_SUCCESS || s == TESTR_STATUS_UXSUCCESS ||
	       s == TESTR_STATUS_SKIP || s == TESTR_STATUS_FAIL ||
	       s == TESTR_STATUS_XFAIL;
}

/* @id starts: its estimate leaves the work not yet started.  *@e (may
 * be NULL) gets its plan entry, if any. */
static double
take_from_plan(struct testr_progress *p, const char *id, struct entry **out)
{
	struct entry *e = find(p, id);
	double est;

	if (out)
		*out = e;
	if (e) {
		if (!e->started && !isnan(e->est))
			p->left_est -= e->est;
		e->started = true;
		return e->est;
	}
	if (!p->anon_n)
		return p->fill;
	est = p->anon_est / (double)p->anon_n;
	p->anon_est -= est;
	p->anon_n--;
	return isnan(p->fill) ? NAN : est;
}

/* A test left running by a runner that moved on (it crashed, or never
 * said) ends here, unmeasured. */
static void
idle(struct worker *w)
{
	free(w->own);
	w->own = NULL;
	w->test = NULL;
	w->est = NAN;
}

static int
start_test(struct testr_progress *p, struct worker *w, const char *id,
	   double now)
{
	struct entry *e;

	idle(w);
	w->since = now;
	w->est = take_from_plan(p, id, &e);
	/* A planned test's id is the plan's: no copy per test. */
	w->test = e ? e->id : (w->own = strdup(id));
	return w->test ? TESTR_OK : TESTR_ENOMEM;
}

static void
end_test(struct testr_progress *p, struct worker *w, const char *id,
	 double now)
{
	double took;

	if (!w->test || strcmp(w->test, id) != 0) {
		(void)take_from_plan(p, id, NULL);	/* reported unstarted */
		return;
	}
	took = now - w->since;
	if (took >= 0) {
		p->sum_all += took;
		p->n_timed++;
		if (!isnan(w->est)) {
			p->sum_actual += took;
			p->sum_est += w->est;
		}
	}
	idle(w);
}

TESTR_API int
testr_progress_event(struct testr_progress *p, const struct testr_event *ev,
		     double now)
{
	size_t k = worker_of(ev);
	int rc;

	if (!(ev->fields & TESTR_EVENT_TEST_ID) || !ev->test_id)
		return TESTR_OK;
	if (ev->status != TESTR_STATUS_INPROGRESS && !is_final(ev))
		return TESTR_OK;
	if ((rc = grow_workers(p, k + 1)) < 0)
		return rc;
	if (ev->status == TESTR_STATUS_INPROGRESS)
		return start_test(p, &p->w[k], ev->test_id, now);
	p->done++;
	if (ev->status == TESTR_STATUS_FAIL ||
	    ev->status == TESTR_STATUS_UXSUCCESS)
		p->failed++;
	end_test(p, &p->w[k], ev->test_id, now);
	return TESTR_OK;
}

/* ---- the estimate ---- */

/* Measured over estimated seconds, a test running past its estimate
 * counting as if it ended now; pulled towards 1 while little is known. */
static double
pace(const struct testr_progress *p, double now)
{
	double prior = PACE_PRIOR_SHARE * p->planned;
	double num = p->sum_actual, den = p->sum_est;

	for (size_t i = 0; i < p->n_w; i++) {
		const struct worker *w = &p->w[i];

		if (w->test && !isnan(w->est) && now - w->since > w->est) {
			num += now - w->since;
			den += w->est;
		}
	}
	if (den + prior <= 0)
		return 1.0;
	return (num + prior) / (den + prior);
}

/* The tests neither finished nor running. */
static size_t
not_started(const struct testr_progress *p, size_t running)
{
	size_t gone = p->done + running;

	return p->expected > gone ? p->expected - gone : 0;
}

/* Seconds of work left, and in *@longest the most any running test still
 * needs; @per_test: each test's (paced) estimate when it has none. */
static double
work_left(const struct testr_progress *p, double now, double r,
	  double per_test, size_t running, double *longest)
{
	double work;

	if (isnan(p->fill))
		work = per_test * (double)not_started(p, running);
	else
		work = r * fmax(p->left_est + p->anon_est, 0);
	*longest = 0;
	for (size_t i = 0; i < p->n_w; i++) {
		const struct worker *w = &p->w[i];
		double need;

		if (!w->test)
			continue;
		need = isnan(w->est) ? per_test : r * w->est;
		need = fmax(need - (now - w->since), 0);
		work += need;
		*longest = fmax(*longest, need);
	}
	return work;
}

static size_t
running_tests(const struct testr_progress *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_w; i++)
		n += p->w[i].test != NULL;
	return n;
}

static double
seconds_left(const struct testr_progress *p, double now, double r,
	     size_t running)
{
	double mean = p->n_timed ? p->sum_all / (double)p->n_timed : NAN;
	double per_test = isnan(p->fill) ? mean : r * p->fill;
	size_t workers = p->plan_workers > p->n_w ? p->plan_workers : p->n_w;
	size_t busy = not_started(p, running) + running;
	double work, longest;

	if (p->expected && p->done >= p->expected)
		return 0;
	if (!p->expected || isnan(per_test))
		return NAN;
	work = work_left(p, now, r, per_test, running, &longest);
	if (busy < workers)
		workers = busy;
	return fmax(work / (double)(workers ? workers : 1), longest);
}

TESTR_API void
testr_progress_state(struct testr_progress_state *out,
		     const struct testr_progress *p, double now)
{
	out->done = p->done;
	out->failed = p->failed;
	out->expected = p->expected;
	out->running = running_tests(p);
	out->elapsed = now - p->start;
	out->pace = pace(p, now);
	out->left = seconds_left(p, now, out->pace, out->running);
}

TESTR_API size_t
testr_progress_workers(const struct testr_progress *p)
{
	return p->plan_workers > p->n_w ? p->plan_workers : p->n_w;
}

TESTR_API void
testr_progress_worker(struct testr_progress_worker *out,
		      const struct testr_progress *p, size_t worker,
		      double now)
{
	const struct worker *w = worker < p->n_w ? &p->w[worker] : NULL;

	*out = (struct testr_progress_worker){ NULL, 0, NAN, false };
	if (!w || !w->test)
		return;
	out->test = w->test;
	out->running = now - w->since;
	out->expected = w->est;
	out->overdue = !isnan(w->est) &&
		       out->running > w->est + OVERDUE_SLACK;
}
