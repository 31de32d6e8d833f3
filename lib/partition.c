/*
 * Duration-balanced partitioning, reproducing testrepository's
 * partition_tests() exactly (same input, same lists) in O(n log n).
 *
 * Python keeps the partitions in a list sorted by (time, test count) and
 * re-sorts it (stably) after each placement, always filling the first.
 * Because only the first entry changes and the sort is stable, the refilled
 * partition lands before every other partition with an equal key.  A heap
 * keyed on (time, count, -placement sequence) yields the same order.
 */
#include "config-build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <testr/partition.h>

#include "context.h"
#include "idset.h"

struct group {
	const char *key;
	size_t key_len;
	size_t head, tail;	/* member chain through next[] */
	size_t count;
	size_t untimed;
	double time;
};

struct grouping {
	struct group *groups;
	size_t n_groups;
	size_t *next;		/* next member of the same group, per id */
	size_t *slots;		/* hash table of group index + 1 */
	size_t mask;
	char **owned_keys;	/* keys copied from the group function */
	size_t n_owned;
};

struct testr_partition {
	size_t n_workers;
	size_t *offsets;	/* n_workers + 1 */
	size_t *idx;
	double *time;
};

#define NO_ID ((size_t)-1)

static void
grouping_dispose(struct grouping *g)
{
	for (size_t i = 0; i < g->n_owned; i++)
		free(g->owned_keys[i]);
	free(g->owned_keys);
	free(g->groups);
	free(g->next);
	free(g->slots);
}

static int
grouping_init(struct grouping *g, size_t n_ids, bool owns_keys)
{
	size_t cap = 16;

	memset(g, 0, sizeof(*g));
	while (cap < n_ids * 2)
		cap *= 2;
	g->mask = cap - 1;
	g->slots = calloc(cap, sizeof(*g->slots));
	g->groups = malloc((n_ids ? n_ids : 1) * sizeof(*g->groups));
	g->next = malloc((n_ids ? n_ids : 1) * sizeof(*g->next));
	if (owns_keys)
		g->owned_keys = malloc((n_ids ? n_ids : 1) * sizeof(char *));
	if (!g->slots || !g->groups || !g->next || (owns_keys && !g->owned_keys))
		return TESTR_ENOMEM;
	return TESTR_OK;
}

/* The group for @key, created (keyed by a copy when @copy) if new. */
static struct group *
grouping_find(struct grouping *g, const char *key, size_t len, bool copy)
{
	size_t slot = testr_hash_bytes(key, len) & g->mask;
	struct group *grp;

	for (; g->slots[slot]; slot = (slot + 1) & g->mask) {
		grp = &g->groups[g->slots[slot] - 1];
		if (grp->key_len == len && memcmp(grp->key, key, len) == 0)
			return grp;
	}
	if (copy) {
		char *dup = malloc(len ? len : 1);

		if (!dup)
			return NULL;
		memcpy(dup, key, len);
		g->owned_keys[g->n_owned++] = dup;
		key = dup;
	}
	grp = &g->groups[g->n_groups++];
	*grp = (struct group){ key, len, NO_ID, NO_ID, 0, 0, 0.0 };
	g->slots[slot] = g->n_groups;
	return grp;
}

static bool
is_known(const double *durations, size_t i)
{
	return durations && !isnan(durations[i]) && durations[i] >= 0;
}

static void
group_add(struct grouping *g, struct group *grp, size_t id,
	  const double *durations)
{
	g->next[id] = NO_ID;
	if (grp->tail == NO_ID)
		grp->head = id;
	else
		g->next[grp->tail] = id;
	grp->tail = id;
	grp->count++;
	if (is_known(durations, id))
		grp->time += durations[id];
	else
		grp->untimed++;
}

static int
key_of(const struct testr_partition_options *opts, const char *id,
       const char **key, size_t *len, bool *copy)
{
	int rc = 0;

	*copy = false;
	if (opts && opts->group_key)
		rc = opts->group_key(opts->group_userdata, id, key, len);
	if (rc < 0)
		return rc;
	if (rc > 0 && *len > 0) {
		/* A key inside the id itself needs no copy. */
		*copy = !(*key >= id && *key + *len <= id + strlen(id));
		return TESTR_OK;
	}
	*key = id;
	*len = strlen(id);
	return TESTR_OK;
}

static int
group_ids(struct grouping *g, const char *const *ids, size_t n_ids,
	  const double *durations, const struct testr_partition_options *opts)
{
	int rc = grouping_init(g, n_ids, opts && opts->group_key);

	for (size_t i = 0; rc == TESTR_OK && i < n_ids; i++) {
		const char *key;
		size_t len;
		bool copy;
		struct group *grp;

		rc = key_of(opts, ids[i], &key, &len, &copy);
		if (rc < 0)
			break;
		grp = grouping_find(g, key, len, copy);
		if (!grp)
			return TESTR_ENOMEM;
		group_add(g, grp, i, durations);
	}
	return rc;
}

/* The workers, as a binary min-heap on (time, count, -seq). */
struct worker {
	double time;
	size_t count;
	size_t seq;
	size_t index;
};

static bool
worker_before(const struct worker *a, const struct worker *b)
{
	if (a->time != b->time)
		return a->time < b->time;
	if (a->count != b->count)
		return a->count < b->count;
	return a->seq > b->seq;
}

static void
heap_sift_down(struct worker *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct worker tmp;

		if (l < n && worker_before(&h[l], &h[m]))
			m = l;
		if (r < n && worker_before(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

/* Longest first; equal times keep first-seen order (Python's stable sort). */
static int
cmp_group_time_desc(const void *a, const void *b, void *groups)
{
	const struct group *base = groups;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	double ta = base[ia].time, tb = base[ib].time;

	if (ta != tb)
		return ta > tb ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

/* Place @order[0..n) onto the heap's least loaded worker, one by one. */
static void
place_timed(const struct grouping *g, const size_t *order, size_t n,
	    struct worker *heap, size_t n_workers, size_t *seq,
	    size_t *assign)
{
	for (size_t i = 0; i < n; i++) {
		const struct group *grp = &g->groups[order[i]];

		heap[0].time += grp->time;
		heap[0].count += grp->count;
		heap[0].seq = (*seq)++;
		assign[order[i]] = heap[0].index;
		heap_sift_down(heap, n_workers, 0);
	}
}

enum group_kind { KIND_TIMED, KIND_PARTIAL, KIND_UNKNOWN };

static enum group_kind
group_kind(const struct group *grp)
{
	if (grp->untimed == 0)
		return KIND_TIMED;
	return grp->time != 0.0 ? KIND_PARTIAL : KIND_UNKNOWN;
}

/*
 * Fill @order with the groups in placement order and @assign with each
 * group's worker.
 */
static int
schedule(const struct grouping *g, size_t n_workers, size_t *order,
	 size_t *assign)
{
	struct worker *heap = calloc(n_workers, sizeof(*heap));
	size_t n = 0, seq = n_workers, rr = 0;

	if (!heap)
		return TESTR_ENOMEM;
	/* Initially every worker ties; list order wins: higher seq first. */
	for (size_t w = 0; w < n_workers; w++)
		heap[w] = (struct worker){ 0.0, 0, n_workers - 1 - w, w };
	for (enum group_kind k = KIND_TIMED; k <= KIND_PARTIAL; k++) {
		size_t start = n;

		for (size_t i = 0; i < g->n_groups; i++)
			if (group_kind(&g->groups[i]) == k)
				order[n++] = i;
		qsort_r(order + start, n - start, sizeof(*order),
			cmp_group_time_desc, g->groups);
		place_timed(g, order + start, n - start, heap, n_workers,
			    &seq, assign);
	}
	for (size_t i = 0; i < g->n_groups; i++) {
		if (group_kind(&g->groups[i]) != KIND_UNKNOWN)
			continue;
		order[n++] = i;
		assign[i] = rr++ % n_workers;
	}
	free(heap);
	return TESTR_OK;
}

static int
partition_alloc(struct testr_partition **out, size_t n_workers, size_t n_ids)
{
	struct testr_partition *p = calloc(1, sizeof(*p));

	*out = p;
	if (!p)
		return TESTR_ENOMEM;
	p->n_workers = n_workers;
	p->offsets = calloc(n_workers + 1, sizeof(*p->offsets));
	p->idx = malloc((n_ids ? n_ids : 1) * sizeof(*p->idx));
	p->time = calloc(n_workers, sizeof(*p->time));
	if (!p->offsets || !p->idx || !p->time)
		return TESTR_ENOMEM;
	return TESTR_OK;
}

/* Lay the groups out worker by worker, in placement order. */
static void
partition_fill(struct testr_partition *p, const struct grouping *g,
	       const size_t *order, const size_t *assign)
{
	size_t *fill = p->offsets;	/* reused as cursors, then restored */

	for (size_t i = 0; i < g->n_groups; i++) {
		fill[assign[i] + 1] += g->groups[i].count;
		p->time[assign[i]] += g->groups[i].time;
	}
	for (size_t w = 0; w < p->n_workers; w++)
		fill[w + 1] += fill[w];
	for (size_t i = 0; i < g->n_groups; i++) {
		const struct group *grp = &g->groups[order[i]];
		size_t w = assign[order[i]];

		for (size_t id = grp->head; id != NO_ID; id = g->next[id])
			p->idx[fill[w]++] = id;
	}
	for (size_t w = p->n_workers; w > 0; w--)
		fill[w] = fill[w - 1];
	fill[0] = 0;
}

TESTR_API int
testr_partition_new(struct testr_partition **out, struct testr_context *ctx,
		    const char *const *ids, size_t n_ids,
		    const double *durations, size_t n_workers,
		    const struct testr_partition_options *opts)
{
	struct grouping g;
	size_t *order = NULL, *assign = NULL;
	int rc;

	*out = NULL;
	if (n_workers == 0)
		return testr_fail(ctx, TESTR_EINVAL,
				  "cannot partition tests among 0 workers");
	rc = group_ids(&g, ids, n_ids, durations, opts);
	if (rc == TESTR_OK)
		rc = partition_alloc(out, n_workers, n_ids);
	order = malloc((g.n_groups ? g.n_groups : 1) * sizeof(*order));
	assign = malloc((g.n_groups ? g.n_groups : 1) * sizeof(*assign));
	if (rc == TESTR_OK && (!order || !assign))
		rc = TESTR_ENOMEM;
	if (rc == TESTR_OK)
		rc = schedule(&g, n_workers, order, assign);
	if (rc == TESTR_OK)
		partition_fill(*out, &g, order, assign);
	free(order);
	free(assign);
	grouping_dispose(&g);
	if (rc < 0) {
		testr_partition_free(*out);
		*out = NULL;
		if (rc == TESTR_ENOMEM)
			testr_fail(ctx, rc, "out of memory partitioning tests");
	}
	return rc;
}

TESTR_API void
testr_partition_free(struct testr_partition *p)
{
	if (!p)
		return;
	free(p->offsets);
	free(p->idx);
	free(p->time);
	free(p);
}

TESTR_API size_t
testr_partition_workers(const struct testr_partition *p)
{
	return p->n_workers;
}

TESTR_API const size_t *
testr_partition_worker(const struct testr_partition *p, size_t worker,
		       size_t *out_n)
{
	if (worker >= p->n_workers) {
		*out_n = 0;
		return NULL;
	}
	*out_n = p->offsets[worker + 1] - p->offsets[worker];
	return p->idx + p->offsets[worker];
}

TESTR_API double
testr_partition_worker_time(const struct testr_partition *p, size_t worker)
{
	return worker < p->n_workers ? p->time[worker] : 0.0;
}
