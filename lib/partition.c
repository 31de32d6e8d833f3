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
#include "partition.h"

struct testr_partition {
	size_t n_workers;
	size_t *offsets;	/* n_workers + 1 */
	size_t *idx;
	double *time;
};

void
grouping_dispose(struct grouping *g)
{
	for (size_t i = 0; i < g->n_owned; i++)
		free(g->owned_keys[i]);
	free(g->owned_keys);
	free(g->groups);
	free(g->gid);
	free(g->slots);
}

static int
grouping_init(struct grouping *g, size_t n_ids, bool owns_keys)
{
	size_t cap = 16, n = n_ids ? n_ids : 1;

	memset(g, 0, sizeof(*g));
	while (cap < n_ids * 2)
		cap *= 2;
	g->mask = cap - 1;
	g->slots = calloc(cap, sizeof(*g->slots));
	g->groups = malloc(n * sizeof(*g->groups));
	g->gid = malloc(n * sizeof(*g->gid));
	if (owns_keys)
		g->owned_keys = malloc(n * sizeof(char *));
	if (!g->slots || !g->groups || !g->gid || (owns_keys && !g->owned_keys))
		return TESTR_ENOMEM;
	return TESTR_OK;
}

/*
 * The index of the group for @key, created if new.  When @owned, @key is a
 * malloc'd copy: kept as the new group's key, or freed.
 */
static uint32_t
grouping_find(struct grouping *g, char *key, size_t len, uint64_t h,
	      bool owned)
{
	size_t i = h & g->mask;
	uint32_t h32 = (uint32_t)(h >> 32);

	for (; g->slots[i].group; i = (i + 1) & g->mask) {
		const struct group *grp = &g->groups[g->slots[i].group - 1];

		if (g->slots[i].hash == h32 && grp->key_len == len &&
		    memcmp(grp->key, key, len) == 0) {
			if (owned)
				free(key);
			return g->slots[i].group - 1;
		}
	}
	if (owned)
		g->owned_keys[g->n_owned++] = key;
	g->groups[g->n_groups] = (struct group){ key, (uint32_t)len, 0, 0, 0.0 };
	g->slots[i] = (struct slot){ h32, ++g->n_groups };
	return g->n_groups - 1;
}

static bool
is_known(const double *durations, size_t i)
{
	return durations && !isnan(durations[i]) && durations[i] >= 0;
}

/*
 * The group key of @id into *@key / *@len.  A key inside the id is used in
 * place; any other is copied at once (*@owned), since the group function
 * may reuse its memory on the next call.
 */
static int
key_of(const struct testr_partition_options *opts, const char *id,
       char **key, size_t *len, bool *owned)
{
	const char *k = NULL;
	int rc = 0;

	*owned = false;
	if (opts && opts->group_key)
		rc = opts->group_key(&k, len, opts->group_config, id);
	if (rc < 0)
		return rc;
	if (rc == 0 || *len == 0) {
		k = id;
		*len = strlen(id);
	} else if (!(k >= id && k + *len <= id + strlen(id))) {
		*owned = true;
		if (!(*key = malloc(*len ? *len : 1)))
			return TESTR_ENOMEM;
		memcpy(*key, k, *len);
		return TESTR_OK;
	}
	*key = (char *)k;	/* never written through: not owned */
	return TESTR_OK;
}

/* Ids are looked up in batches: hash a batch and prefetch its slots
 * first, so the table's cache misses overlap instead of queueing. */
#define BATCH 32

struct pending {
	char *key;
	size_t len;
	uint64_t hash;
	bool owned;
};

static void
count_id(struct grouping *g, uint32_t gi, size_t id, const double *durations)
{
	g->gid[id] = gi;
	g->groups[gi].count++;
	if (is_known(durations, id))
		g->groups[gi].time += durations[id];
	else
		g->groups[gi].untimed++;
}

static int
group_batch(struct grouping *g, const char *const *ids, size_t first,
	    size_t n, const double *durations,
	    const struct testr_partition_options *opts)
{
	struct pending b[BATCH];
	size_t got = 0;
	int rc = TESTR_OK;

	for (; got < n; got++) {
		rc = key_of(opts, ids[first + got], &b[got].key, &b[got].len,
			    &b[got].owned);
		if (rc < 0)
			break;
		b[got].hash = hash_bytes(b[got].key, b[got].len);
		__builtin_prefetch(&g->slots[b[got].hash & g->mask]);
	}
	if (rc < 0) {
		for (size_t i = 0; i < got; i++)
			if (b[i].owned)
				free(b[i].key);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		count_id(g, grouping_find(g, b[i].key, b[i].len, b[i].hash,
					  b[i].owned), first + i, durations);
	return TESTR_OK;
}

int
group_ids(struct grouping *g, const char *const *ids, size_t n_ids,
	  const double *durations, const struct testr_partition_options *opts)
{
	int rc = grouping_init(g, n_ids, opts && opts->group_key);

	for (size_t i = 0; rc == TESTR_OK && i < n_ids; i += BATCH)
		rc = group_batch(g, ids, i, n_ids - i < BATCH ? n_ids - i : BATCH,
				 durations, opts);
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

/* A group to place, with what placing needs at hand (no cache misses). */
struct timed {
	uint64_t key;		/* the time's bits, inverted: ascending = longest first */
	uint32_t group;
	uint32_t count;
	double time;
};

/* Non-negative doubles order as their bit patterns do. */
static uint64_t
desc_key(double t)
{
	uint64_t bits;

	memcpy(&bits, &t, sizeof(bits));
	return ~bits;
}

/*
 * Longest first, equal times in first-seen order, as Python's stable
 * sorted(reverse=True): a stable LSD radix sort on the key, 8 bits a pass,
 * skipping the passes where every key has the same byte.
 */
static int
sort_timed(struct timed *q, size_t n)
{
	struct timed *tmp = malloc((n ? n : 1) * sizeof(*tmp));

	if (!tmp)
		return TESTR_ENOMEM;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };

		for (size_t i = 0; i < n; i++)
			count[((q[i].key >> shift) & 0xff) + 1]++;
		if (n && count[((q[0].key >> shift) & 0xff) + 1] == n)
			continue;
		for (size_t b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[(q[i].key >> shift) & 0xff]++] = q[i];
		memcpy(q, tmp, n * sizeof(*q));
	}
	free(tmp);
	return TESTR_OK;
}

/* Place @q[0..n) onto the heap's least loaded worker, one by one. */
static void
place_timed(const struct timed *q, size_t n,
	    struct worker *heap, size_t n_workers, size_t *seq,
	    uint32_t *order, size_t *n_order, uint32_t *assign)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t gi = q[i].group;

		heap[0].time += q[i].time;
		heap[0].count += q[i].count;
		heap[0].seq = (*seq)++;
		assign[gi] = (uint32_t)heap[0].index;
		order[(*n_order)++] = gi;
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

static int
place_kind(const struct grouping *g, enum group_kind k, struct worker *heap,
	   size_t n_workers, size_t *seq, uint32_t *order, size_t *n_order,
	   uint32_t *assign)
{
	struct timed *q = malloc((g->n_groups ? g->n_groups : 1) * sizeof(*q));
	size_t n = 0;
	int rc;

	if (!q)
		return TESTR_ENOMEM;
	for (uint32_t i = 0; i < g->n_groups; i++) {
		const struct group *grp = &g->groups[i];

		if (group_kind(grp) == k)
			q[n++] = (struct timed){ desc_key(grp->time), i,
						 grp->count, grp->time };
	}
	rc = sort_timed(q, n);
	if (rc == TESTR_OK)
		place_timed(q, n, heap, n_workers, seq, order, n_order,
			    assign);
	free(q);
	return rc;
}

/*
 * Fill @order with the groups in placement order and @assign with each
 * group's worker.
 */
static int
schedule(const struct grouping *g, size_t n_workers, uint32_t *order,
	 uint32_t *assign)
{
	struct worker *heap = calloc(n_workers, sizeof(*heap));
	size_t n = 0, seq = n_workers, rr = 0;
	int rc = TESTR_OK;

	if (!heap)
		return TESTR_ENOMEM;
	/* Initially every worker ties; list order wins: higher seq first. */
	for (size_t w = 0; w < n_workers; w++)
		heap[w] = (struct worker){ 0.0, 0, n_workers - 1 - w, w };
	for (enum group_kind k = KIND_TIMED; rc == 0 && k <= KIND_PARTIAL; k++)
		rc = place_kind(g, k, heap, n_workers, &seq, order, &n, assign);
	for (uint32_t i = 0; i < g->n_groups; i++) {
		if (group_kind(&g->groups[i]) != KIND_UNKNOWN)
			continue;
		order[n++] = i;
		assign[i] = (uint32_t)(rr++ % n_workers);
	}
	free(heap);
	return rc;
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

/*
 * Lay the ids out worker by worker, groups in placement order, each
 * group's ids in input order: give every group its start, then deal the
 * ids out in one sequential pass.  @start (one per group) is scratch.
 */
static void
partition_fill(struct testr_partition *p, const struct grouping *g,
	       size_t n_ids, const uint32_t *order, const uint32_t *assign,
	       size_t *start)
{
	size_t *cursor = p->offsets;	/* used as cursors, then restored */

	for (uint32_t i = 0; i < g->n_groups; i++) {
		cursor[assign[i] + 1] += g->groups[i].count;
		p->time[assign[i]] += g->groups[i].time;
	}
	for (size_t w = 0; w < p->n_workers; w++)
		cursor[w + 1] += cursor[w];
	for (uint32_t i = 0; i < g->n_groups; i++) {
		uint32_t gi = order[i];

		start[gi] = cursor[assign[gi]];
		cursor[assign[gi]] += g->groups[gi].count;
	}
	for (size_t id = 0; id < n_ids; id++)
		p->idx[start[g->gid[id]]++] = id;
	for (size_t w = p->n_workers; w > 0; w--)
		cursor[w] = cursor[w - 1];
	cursor[0] = 0;
}

/* The bytes of each version of struct testr_partition_options. */
static const size_t partition_options_sizes[] = {
	OPTIONS_END(testr_partition_options, group_config),
};

TESTR_API int
testr_partition_new(struct testr_partition **out, struct testr_context *ctx,
		    const char *const *ids, size_t n_ids,
		    const double *durations, size_t n_workers,
		    const struct testr_partition_options *opts)
{
	struct testr_partition_options o = TESTR_PARTITION_OPTIONS_INIT;
	struct grouping g;
	uint32_t *order = NULL, *assign = NULL;
	size_t *start = NULL;
	int rc;

	*out = NULL;
	rc = OPTIONS_COPY(ctx, &o, opts, testr_partition_options,
			  partition_options_sizes);
	if (rc < 0)
		return rc;
	opts = &o;
	if (n_workers == 0)
		return context_fail(ctx, TESTR_EINVAL,
				  "cannot partition tests among 0 workers");
	if (n_ids >= UINT32_MAX)
		return context_fail(ctx, TESTR_EINVAL, "too many tests (%zu) "
				  "to partition", n_ids);
	rc = group_ids(&g, ids, n_ids, durations, opts);
	if (rc == TESTR_OK)
		rc = partition_alloc(out, n_workers, n_ids);
	order = malloc((g.n_groups ? g.n_groups : 1) * sizeof(*order));
	assign = malloc((g.n_groups ? g.n_groups : 1) * sizeof(*assign));
	start = malloc((g.n_groups ? g.n_groups : 1) * sizeof(*start));
	if (rc == TESTR_OK && (!order || !assign || !start))
		rc = TESTR_ENOMEM;
	if (rc == TESTR_OK)
		rc = schedule(&g, n_workers, order, assign);
	if (rc == TESTR_OK)
		partition_fill(*out, &g, n_ids, order, assign, start);
	free(order);
	free(assign);
	free(start);
	grouping_dispose(&g);
	if (rc < 0) {
		testr_partition_free(*out);
		*out = NULL;
		if (rc == TESTR_ENOMEM)
			context_fail(ctx, rc, "out of memory partitioning tests");
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
testr_partition_worker(size_t *out_n, const struct testr_partition *p,
		       size_t worker)
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
