/*
 * Planning a run as a work queue (guided self-scheduling over groups sorted
 * longest first): each batch takes about 1/(2P) of the work not yet handed
 * out, so the first batches are large (few runner start-ups) and the last
 * ones small (workers finish together even when estimates were off).  A
 * batch is never smaller than ten start-up costs, so start-ups stay under
 * a tenth of the time.
 *
 * When one list per worker is predicted to be no slower (exact durations,
 * or start-ups that cost more than the balance gains), the plan is the
 * static partition itself (partition.c), as testrepository's.
 */
#include "config-build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <testr/sched.h>

#include "context.h"
#include "model.h"
#include "partition.h"
#include "schedule.h"

/* The factoring divisor: a batch is 1/(FACTOR x workers) of what remains. */
#define FACTOR 2.0
/* A batch costs at least this many start-ups' worth of tests. */
#define MIN_BATCH_STARTUPS 10.0
/* With nothing known, no batch is below 1/(this x workers) of the tests. */
#define BLIND_MIN_SHARE 16.0
/* With no duration known at all, a test is planned as taking this long:
 * a typical unit test, so that a costly start-up is weighed against it. */
#define BLIND_TEST_SECONDS 0.05
/* An unmeasured runner is planned as starting in this long (an
 * interpreter's start-up), not for free: free start-ups cut too many
 * batches. */
#define DEFAULT_STARTUP 0.1

struct batch {
	size_t first, count;	/* into idx */
	double seconds;
	double var;		/* sum of the variances of its tests */
	size_t worker;
};

struct testr_sched {
	enum testr_sched_mode mode;
	size_t n_workers;
	double startup;
	double stagger;		/* the k-th runner starts k x this late */
	double makespan;
	bool blind;		/* planned with no duration known */
	struct batch *b;
	size_t n_b;
	size_t *idx;
};

/* What the planner knows of each id: a duration and a variance. */
struct weights {
	double *t;
	double *var;
	bool blind;		/* no duration was known: t is a unit */
};

static bool
known(const double *d, size_t i)
{
	return d && !isnan(d[i]) && d[i] >= 0;
}

static int
weights_init(struct weights *w, const double *d, size_t n,
	     const double *spread)
{
	double *k = malloc((n + 1) * sizeof(*k)), fill;
	size_t nk = 0;

	w->t = malloc((n + 1) * sizeof(*w->t));
	w->var = malloc((n + 1) * sizeof(*w->var));
	if (!k || !w->t || !w->var) {
		free(k);
		return TESTR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (known(d, i))
			k[nk++] = d[i];
	w->blind = nk == 0;
	fill = nk ? model_median(k, nk) : BLIND_TEST_SECONDS;
	for (size_t i = 0; i < n; i++) {
		bool sure = known(d, i) && (!spread || (!isnan(spread[i]) &&
							spread[i] >= 0));

		w->t[i] = known(d, i) ? d[i] : fill;
		/* Unknown: as likely to take twice as long as nothing. */
		w->var[i] = sure ? (spread ? spread[i] * spread[i] : 0) :
			    w->t[i] * w->t[i];
	}
	free(k);
	return TESTR_OK;
}

static void
weights_dispose(struct weights *w)
{
	free(w->t);
	free(w->var);
}

/* ---- static: the partition as one pinned batch per worker ---- */

static int
plan_static(struct testr_sched *s, struct testr_context *ctx,
	    const char *const *ids, size_t n_ids, const double *durations,
	    const struct weights *w, const struct testr_sched_options *opts)
{
	struct testr_partition_options po = TESTR_PARTITION_OPTIONS_INIT;
	struct testr_partition *p = NULL;
	size_t at = 0;
	int rc;

	po.group_key = opts->group_key;
	po.group_config = opts->group_config;
	rc = testr_partition_new(&p, ctx, ids, n_ids, durations, s->n_workers,
				 &po);
	s->b = calloc(s->n_workers, sizeof(*s->b));
	if (rc == 0 && !s->b)
		rc = TESTR_ENOMEM;
	for (size_t k = 0; rc == 0 && k < s->n_workers; k++) {
		size_t n;
		const size_t *idx = testr_partition_worker(&n, p, k);
		struct batch *b = &s->b[s->n_b];

		if (n == 0)
			continue;	/* testrepository starts no empty worker */
		*b = (struct batch){ at, n, 0, 0, k };
		for (size_t i = 0; i < n; i++) {
			s->idx[at++] = idx[i];
			b->seconds += w->t[idx[i]];
			b->var += w->var[idx[i]];
		}
		s->n_b++;
	}
	testr_partition_free(p);
	return rc;
}

/* ---- the queue ---- */

struct ranked_group {
	double work, var;
	uint32_t group;
};

static int
by_work_desc(const void *a, const void *b)
{
	const struct ranked_group *x = a, *y = b;

	if (x->work != y->work)
		return x->work < y->work ? 1 : -1;
	return x->group < y->group ? -1 : x->group > y->group;
}

/* The groups, longest first (ties: first seen first). */
static struct ranked_group *
rank_groups(const struct grouping *g, const struct weights *w, size_t n_ids)
{
	struct ranked_group *r = calloc(g->n_groups + 1, sizeof(*r));

	if (!r)
		return NULL;
	for (uint32_t i = 0; i < g->n_groups; i++)
		r[i].group = i;
	for (size_t i = 0; i < n_ids; i++) {
		r[g->gid[i]].work += w->t[i];
		r[g->gid[i]].var += w->var[i];
	}
	qsort(r, g->n_groups, sizeof(*r), by_work_desc);
	return r;
}

/* The smallest batch worth a runner start-up. */
static double
min_batch(const struct testr_sched *s, const struct weights *w, double total)
{
	double floor_ = MIN_BATCH_STARTUPS * s->startup;

	if (w->blind)
		return fmax(floor_, total / (BLIND_MIN_SHARE *
					     (double)s->n_workers));
	return floor_;
}

/*
 * Cut the ranked groups into batches (each group its own in pull mode);
 * *@group_batch receives each group's batch.
 */
static int
cut_batches(struct testr_sched *s, const struct ranked_group *r, uint32_t n,
	    const struct weights *w, uint32_t *group_batch)
{
	double total = 0, left, floor_, cap;
	uint32_t i = 0;

	for (uint32_t k = 0; k < n; k++)
		total += r[k].work;
	left = total;
	floor_ = min_batch(s, w, total);
	cap = total / (double)s->n_workers;
	s->b = calloc(n + 1, sizeof(*s->b));
	if (!s->b)
		return TESTR_ENOMEM;
	while (i < n) {
		struct batch *b = &s->b[s->n_b];
		double target = fmax(left / (FACTOR * (double)s->n_workers),
				     floor_);

		target = fmin(target, cap);
		*b = (struct batch){ 0, 0, 0, 0, TESTR_SCHED_ANY_WORKER };
		do {
			b->seconds += r[i].work;
			b->var += r[i].var;
			group_batch[r[i].group] = (uint32_t)s->n_b;
			i++;
		/* (Relative slack: sums of equal shares round either way.) */
		} while (s->mode != TESTR_SCHED_PULL && i < n &&
			 b->seconds < target * (1 - 1e-9));
		left -= b->seconds;
		s->n_b++;
	}
	return TESTR_OK;
}

/* Lay the ids out batch after batch, each batch's groups in rank order
 * and each group's ids in input order (*@group_batch: each group's
 * batch). */
static int
lay_out(struct testr_sched *s, const struct grouping *g,
	const struct ranked_group *r, const uint32_t *group_batch,
	size_t n_ids)
{
	size_t *start = malloc((g->n_groups + 1) * sizeof(*start));
	size_t at = 0;

	if (!start)
		return TESTR_ENOMEM;
	for (size_t b = 0; b < s->n_b; b++)
		s->b[b].count = 0;
	for (uint32_t k = 0; k < g->n_groups; k++)
		s->b[group_batch[r[k].group]].count +=
			g->groups[r[k].group].count;
	for (size_t b = 0; b < s->n_b; b++) {
		s->b[b].first = at;
		at += s->b[b].count;
		s->b[b].count = 0;
	}
	for (uint32_t k = 0; k < g->n_groups; k++) {
		struct batch *b = &s->b[group_batch[r[k].group]];

		start[r[k].group] = b->first + b->count;
		b->count += g->groups[r[k].group].count;
	}
	for (size_t i = 0; i < n_ids; i++)
		s->idx[start[g->gid[i]]++] = i;
	free(start);
	return TESTR_OK;
}

/* ---- one list per worker, for runners started one after another ---- */

/*
 * The worker (spawn position) free first when each starts k x stagger
 * late: least offset + load, ties to fewer tests, then the earlier one.
 */
static size_t
least_loaded(const struct testr_sched *s, const double *load,
	     const size_t *count)
{
	size_t best = 0;

	for (size_t k = 1; k < s->n_workers; k++) {
		double a = load[k] + (double)k * s->stagger;
		double b = load[best] + (double)best * s->stagger;

		if (a < b || (a == b && count[k] < count[best]))
			best = k;
	}
	return best;
}

/* Each group, longest first, to the worker that is free first: worker
 * k's batch is the k-th handed out, so its runner is spawned k-th. */
static int
assign_staggered(struct testr_sched *s, const struct ranked_group *r,
		 const struct grouping *g, uint32_t *group_batch)
{
	double *load = calloc(s->n_workers, sizeof(*load));
	size_t *count = calloc(s->n_workers, sizeof(*count));
	int rc = load && count ? TESTR_OK : TESTR_ENOMEM;

	s->b = calloc(s->n_workers, sizeof(*s->b));
	if (!s->b)
		rc = TESTR_ENOMEM;
	for (uint32_t i = 0; rc == TESTR_OK && i < g->n_groups; i++) {
		size_t k = least_loaded(s, load, count);

		load[k] += r[i].work;
		count[k] += g->groups[r[i].group].count;
		s->b[k].count += g->groups[r[i].group].count;
		s->b[k].seconds += r[i].work;
		s->b[k].var += r[i].var;
		group_batch[r[i].group] = (uint32_t)k;
	}
	for (size_t k = 0; rc == TESTR_OK && k < s->n_workers; k++)
		s->b[k].worker = k;
	/* Workers that got nothing are last (the latest starts): drop
	 * them, as testrepository starts no empty worker. */
	s->n_b = s->n_workers;
	while (rc == TESTR_OK && s->n_b > 0 && count[s->n_b - 1] == 0)
		s->n_b--;
	free(load);
	free(count);
	return rc;
}

/*
 * Group and rank the ids, then cut the ranked groups into shrinking
 * batches (@staggered false: the work queue, or pull mode) or deal them
 * out one list per worker (@staggered true).
 */
static int
plan_grouped(struct testr_sched *s, const char *const *ids, size_t n_ids,
	     const struct weights *w, const struct testr_sched_options *opts,
	     bool staggered)
{
	struct testr_partition_options po = TESTR_PARTITION_OPTIONS_INIT;
	struct grouping g;
	struct ranked_group *r = NULL;
	uint32_t *group_batch = NULL;
	int rc;

	po.group_key = opts->group_key;
	po.group_config = opts->group_config;
	rc = group_ids(&g, ids, n_ids, w->t, &po);
	if (rc == TESTR_OK) {
		r = rank_groups(&g, w, n_ids);
		group_batch = malloc((g.n_groups + 1) * sizeof(*group_batch));
		rc = r && group_batch ? TESTR_OK : TESTR_ENOMEM;
	}
	if (rc == TESTR_OK)
		rc = staggered ? assign_staggered(s, r, &g, group_batch) :
				 cut_batches(s, r, g.n_groups, w, group_batch);
	if (rc == TESTR_OK)
		rc = lay_out(s, &g, r, group_batch, n_ids);
	free(r);
	free(group_batch);
	grouping_dispose(&g);
	return rc;
}

/* ---- prediction ---- */

/* Min-heap of the times the workers free up. */
static void
sift_down(double *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		double tmp;

		if (l < n && h[l] < h[m])
			m = l;
		if (l + 1 < n && h[l + 1] < h[m])
			m = l + 1;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

/*
 * Hand the batches out in order to the first free worker (a pinned batch
 * to its own worker); the makespan, and in *@tail_var the largest
 * variance among the batches that finish last (one per worker).
 */
static int
simulate(const struct testr_sched *s, double *out, double *tail_var)
{
	size_t p = s->n_workers;
	double *h = calloc(p, sizeof(*h)), end = 0;

	if (!h)
		return TESTR_ENOMEM;
	/* (Increasing: still a min-heap.) */
	for (size_t k = 0; k < p; k++)
		h[k] = (double)k * s->stagger;
	*tail_var = 0;
	for (size_t i = 0; i < s->n_b; i++) {
		const struct batch *b = &s->b[i];
		bool pinned = b->worker != TESTR_SCHED_ANY_WORKER;
		/* pull mode: a worker's runner starts once */
		bool starts = s->mode != TESTR_SCHED_PULL || i < p;
		double *slot = pinned ? &h[b->worker % p] : &h[0];

		*slot += b->seconds + (starts ? s->startup : 0);
		end = fmax(end, *slot);
		if (i + p >= s->n_b)
			*tail_var = fmax(*tail_var, b->var);
		if (!pinned)
			sift_down(h, p, 0);
	}
	free(h);
	*out = end;
	return TESTR_OK;
}

/* Static: no worker can hand work on, so each one's uncertainty counts. */
static double
expected_static(const struct testr_sched *s)
{
	double worst = 0;

	for (size_t i = 0; i < s->n_b; i++)
		worst = fmax(worst, s->b[i].seconds + sqrt(s->b[i].var) +
				    s->startup + (double)i * s->stagger);
	return worst;
}

static int
predict(struct testr_sched *s, double *expected)
{
	double tail = 0;
	int rc = simulate(s, &s->makespan, &tail);

	if (s->mode == TESTR_SCHED_STATIC)
		*expected = expected_static(s);
	else
		*expected = s->makespan + sqrt(tail);
	return rc;
}

/* ---- the plan ---- */

static int
sched_alloc(struct testr_sched **out, size_t n_workers, size_t n_ids,
	    const struct testr_sched_options *opts)
{
	struct testr_sched *s = calloc(1, sizeof(*s));

	*out = s;
	if (!s)
		return TESTR_ENOMEM;
	s->mode = opts->mode;
	s->n_workers = n_workers;
	s->startup = isnan(opts->startup) || opts->startup < 0 ?
		     DEFAULT_STARTUP : opts->startup;
	s->stagger = opts->stagger > 0 ? opts->stagger : 0;
	s->idx = malloc((n_ids + 1) * sizeof(*s->idx));
	return s->idx ? TESTR_OK : TESTR_ENOMEM;
}

/* One plan of @opts->mode (static: testrepository's partition, or with
 * @staggered the one for runners started one after another). */
static int
plan_one(struct testr_sched **out, double *expected, struct testr_context *ctx,
	 const char *const *ids, size_t n_ids, const double *durations,
	 size_t n_workers, const struct weights *w,
	 const struct testr_sched_options *opts, bool staggered)
{
	int rc = sched_alloc(out, n_workers, n_ids, opts);

	if (rc == TESTR_OK)
		(*out)->blind = w->blind;
	if (rc == TESTR_OK && opts->mode == TESTR_SCHED_STATIC &&
	    staggered)
		rc = plan_grouped(*out, ids, n_ids, w, opts, true);
	else if (rc == TESTR_OK && opts->mode == TESTR_SCHED_STATIC)
		rc = plan_static(*out, ctx, ids, n_ids, durations, w, opts);
	else if (rc == TESTR_OK)
		rc = plan_grouped(*out, ids, n_ids, w, opts, false);
	if (rc == TESTR_OK)
		rc = predict(*out, expected);
	if (rc < 0) {
		testr_sched_free(*out);
		*out = NULL;
	}
	return rc;
}

/* AUTO: the queue, unless the static partition is expected no slower. */
static int
plan_auto(struct testr_sched **out, struct testr_context *ctx,
	  const char *const *ids, size_t n_ids, const double *durations,
	  size_t n_workers, const struct weights *w,
	  const struct testr_sched_options *opts)
{
	struct testr_sched_options o = *opts;
	struct testr_sched *queue = NULL;
	double e_static, e_queue;
	int rc;

	/* Nothing known: a fixed list per worker is a blind bet, and the
	 * queue's batches are already no smaller than the start-up allows. */
	o.mode = w->blind ? TESTR_SCHED_BATCHES : TESTR_SCHED_STATIC;
	rc = plan_one(out, &e_static, ctx, ids, n_ids, durations, n_workers,
		      w, &o, o.stagger > 0);
	if (w->blind)
		return rc;
	o.mode = TESTR_SCHED_BATCHES;
	if (rc == TESTR_OK)
		rc = plan_one(&queue, &e_queue, ctx, ids, n_ids, durations,
			      n_workers, w, &o, false);
	if (rc == TESTR_OK && e_queue < e_static) {
		testr_sched_free(*out);
		*out = queue;
		queue = NULL;
	}
	testr_sched_free(queue);
	return rc;
}

/* The bytes of each version of struct testr_sched_options. */
static const size_t sched_options_sizes[] = {
	OPTIONS_END(testr_sched_options, startup),
	OPTIONS_END(testr_sched_options, stagger),
};

TESTR_API int
testr_sched_new(struct testr_sched **out, struct testr_context *ctx,
		const char *const *ids, size_t n_ids, const double *durations,
		size_t n_workers, const struct testr_sched_options *opts)
{
	struct testr_sched_options o = TESTR_SCHED_OPTIONS_INIT;
	struct weights w = { NULL, NULL, false };
	double ignored;
	int rc;

	*out = NULL;
	rc = OPTIONS_COPY(ctx, &o, opts, testr_sched_options,
			  sched_options_sizes);
	if (rc < 0)
		return rc;
	if ((unsigned)o.mode > TESTR_SCHED_PULL)
		return context_fail(ctx, TESTR_EINVAL, "struct testr_sched_options: "
				  "mode %u is not known", (unsigned)o.mode);
	if (n_workers == 0)
		return context_fail(ctx, TESTR_EINVAL,
				  "cannot schedule tests on 0 workers");
	rc = weights_init(&w, durations, n_ids, o.spread);
	if (rc == TESTR_OK && o.mode == TESTR_SCHED_AUTO)
		rc = plan_auto(out, ctx, ids, n_ids, durations, n_workers, &w,
			       &o);
	else if (rc == TESTR_OK)
		rc = plan_one(out, &ignored, ctx, ids, n_ids, durations,
			      n_workers, &w, &o, false);
	weights_dispose(&w);
	if (rc == TESTR_ENOMEM)
		context_fail(ctx, rc, "out of memory planning the run");
	return rc;
}

TESTR_API void
testr_sched_free(struct testr_sched *s)
{
	if (!s)
		return;
	free(s->b);
	free(s->idx);
	free(s);
}

TESTR_API enum testr_sched_mode
testr_sched_mode(const struct testr_sched *s)
{
	return s->mode;
}

TESTR_API size_t
testr_sched_workers(const struct testr_sched *s)
{
	return s->n_workers;
}

TESTR_API size_t
testr_sched_batches(const struct testr_sched *s)
{
	return s->n_b;
}

TESTR_API const size_t *
testr_sched_batch(size_t *out_n, const struct testr_sched *s, size_t batch)
{
	if (batch >= s->n_b) {
		*out_n = 0;
		return NULL;
	}
	*out_n = s->b[batch].count;
	return s->idx + s->b[batch].first;
}

bool
sched_blind(const struct testr_sched *s)
{
	return s->blind;
}

TESTR_API double
testr_sched_batch_seconds(const struct testr_sched *s, size_t batch)
{
	return batch < s->n_b ? s->b[batch].seconds : 0.0;
}

TESTR_API size_t
testr_sched_batch_worker(const struct testr_sched *s, size_t batch)
{
	return batch < s->n_b ? s->b[batch].worker : TESTR_SCHED_ANY_WORKER;
}

TESTR_API double
testr_sched_makespan(const struct testr_sched *s)
{
	return s->makespan;
}
