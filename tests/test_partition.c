/* Unit tests for lib/partition.c, including a comparison with Python's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "../lib/context.h"
#include "../lib/process.h"
#include "harness.h"

const char harness_module[] = "partition";

/* The group key of group_regex=([^\.]*\.)* : everything up to the last dot. */
static int
dotted_prefix(const char **key, size_t *len,
              const struct testr_config *cfg, const char *id)
{
	const char *dot = strrchr(id, '.');

	(void)cfg;
	if (!dot)
		return 0;
	*key = id;
	*len = (size_t)(dot - id) + 1;
	return 1;
}

static struct testr_partition *
partition(const char *const *ids, size_t n, const double *durations,
	  size_t workers, bool grouped)
{
	struct testr_partition_options opts = TESTR_PARTITION_OPTIONS_INIT;
	struct testr_partition *p;

	if (grouped)
		opts.group_key = dotted_prefix;
	ck_assert_int_eq(testr_partition_new(&p, NULL, ids, n, durations,
					     workers, &opts), 0);
	return p;
}

/* The ids of @worker joined with spaces into @buf. */
static const char *
worker_ids(const struct testr_partition *p, const char *const *ids,
	   size_t worker, char *buf, size_t size)
{
	size_t n;
	const size_t *idx = testr_partition_worker(&n, p, worker);

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strncat(buf, i ? " " : "", size - strlen(buf) - 1);
		strncat(buf, ids[idx[i]], size - strlen(buf) - 1);
	}
	return buf;
}

START_TEST(partition_places_longest_first_on_least_loaded_worker)
{
	const char *ids[] = { "d", "a", "e", "b", "c" };
	const double t[] = { 1, 4, 1, 3, 2 };
	struct testr_partition *p = partition(ids, 5, t, 2, false);
	char buf[256];

	/* 4 -> w0; 3 -> w1; 2 -> w1 (3 < 4); 1 -> w0 (4 < 5); then w0 and
	 * w1 tie at (5 s, 2 tests) and w0, refilled last, comes first. */
	ck_assert_str_eq(worker_ids(p, ids, 0, buf, sizeof(buf)), "a d e");
	ck_assert_str_eq(worker_ids(p, ids, 1, buf, sizeof(buf)), "b c");
	ck_assert(testr_partition_worker_time(p, 0) == 6.0);
	ck_assert(testr_partition_worker_time(p, 1) == 5.0);
	testr_partition_free(p);
}
END_TEST

START_TEST(partition_keeps_group_on_one_worker)
{
	const char *ids[] = { "m.T.a", "n.b", "m.T.c", "n.d", "m.T.e", "z" };
	struct testr_partition *p = partition(ids, 6, NULL, 3, true);
	char buf[256];

	/* Untimed groups go round-robin in first-seen order. */
	ck_assert_str_eq(worker_ids(p, ids, 0, buf, sizeof(buf)),
			 "m.T.a m.T.c m.T.e");
	ck_assert_str_eq(worker_ids(p, ids, 1, buf, sizeof(buf)), "n.b n.d");
	ck_assert_str_eq(worker_ids(p, ids, 2, buf, sizeof(buf)), "z");
	testr_partition_free(p);
}
END_TEST

START_TEST(partition_puts_partly_timed_groups_after_timed_ones)
{
	const char *ids[] = { "p.x", "p.y", "q.x", "r.x" };
	/* p is partly timed (5 s known), q fully (1 s), r unknown. */
	const double t[] = { 5, NAN, 1, -1 };
	struct testr_partition *p = partition(ids, 4, t, 2, true);
	char buf[256];

	/* q first, onto w0; then p onto w1 (0 s); r round-robin to w0. */
	ck_assert_str_eq(worker_ids(p, ids, 0, buf, sizeof(buf)), "q.x r.x");
	ck_assert_str_eq(worker_ids(p, ids, 1, buf, sizeof(buf)), "p.x p.y");
	testr_partition_free(p);
}
END_TEST

/* A key in the group function's own buffer, overwritten on every call. */
static int
first_letter_key(const char **key, size_t *len,
                 const struct testr_config *cfg, const char *id)
{
	static char buf[2];

	(void)cfg;
	buf[0] = id[0];
	*key = buf;
	*len = 1;
	return 1;
}

START_TEST(partition_copies_keys_the_group_function_reuses)
{
	struct testr_partition_options opts = TESTR_PARTITION_OPTIONS_INIT;
	const char *ids[] = { "a1", "b1", "a2", "c1", "b2" };
	struct testr_partition *p;
	char buf[256];

	opts.group_key = first_letter_key;
	ck_assert_int_eq(testr_partition_new(&p, NULL, ids, 5, NULL, 2, &opts),
			 0);
	ck_assert_str_eq(worker_ids(p, ids, 0, buf, sizeof(buf)), "a1 a2 c1");
	ck_assert_str_eq(worker_ids(p, ids, 1, buf, sizeof(buf)), "b1 b2");
	testr_partition_free(p);
}
END_TEST

START_TEST(partition_leaves_extra_workers_empty)
{
	const char *ids[] = { "a", "b" };
	struct testr_partition *p = partition(ids, 2, NULL, 4, false);
	size_t n;

	ck_assert_uint_eq(testr_partition_workers(p), 4);
	testr_partition_worker(&n, p, 2);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(testr_partition_worker(&n, p, 9));
	testr_partition_free(p);
}
END_TEST

START_TEST(partition_rejects_zero_workers)
{
	struct testr_context *ctx;
	struct testr_partition *p;
	const char *ids[] = { "a" };

	testr_context_new(&ctx);
	ck_assert_int_eq(testr_partition_new(&p, ctx, ids, 1, NULL, 0, NULL),
			 TESTR_EINVAL);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(testr_context_error(ctx),
			 "cannot partition tests among 0 workers");
	testr_context_free(ctx);
}
END_TEST

static int
failing_group_key(const char **key, size_t *len,
                  const struct testr_config *cfg, const char *id)
{
	(void)cfg;
	(void)id;
	(void)key;
	(void)len;
	return TESTR_EABORT;
}

START_TEST(partition_stops_on_group_function_error)
{
	struct testr_partition_options opts = TESTR_PARTITION_OPTIONS_INIT;
	struct testr_partition *p;
	const char *ids[] = { "a" };

	opts.group_key = failing_group_key;
	ck_assert_int_eq(testr_partition_new(&p, NULL, ids, 1, NULL, 2, &opts),
			 TESTR_EABORT);
	ck_assert_ptr_null(p);
}
END_TEST

/* A tiny deterministic generator, so failures reproduce. */
static unsigned long
next_rand(unsigned long *state)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	return *state >> 33;
}

struct gen_case {
	size_t n_ids;
	size_t workers;
	unsigned unknown_pct;	/* ids with no duration */
	unsigned n_values;	/* distinct durations: few means many ties */
	bool grouped;
};

static void
generate(const struct gen_case *gc, unsigned long seed,
	 struct testr_strv *ids, double *t)
{
	for (size_t i = 0; i < gc->n_ids; i++) {
		unsigned long r = next_rand(&seed);
		char *id;

		/* Duplicate-free ids; some with no dot (their own group). */
		if (r % 7 == 0)
			id = str_printf("solo%zu", i);
		else
			id = str_printf("pkg%lu.mod%lu.test_%zu", r % 3,
					(r >> 4) % 5, i);
		ck_assert_int_eq(testr_strv_push(ids, id), 0);
		free(id);
		r = next_rand(&seed);
		if (r % 100 < gc->unknown_pct)
			t[i] = -1;
		else	/* multiples of 1/8: sums are exact in any order */
			t[i] = (double)(r % gc->n_values) / 8.0;
	}
}

/* Our partition as "worker<TAB>id" lines, like the reference script. */
static char *
render(const struct testr_partition *p, const char *const *ids)
{
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);

	out[0] = '\0';
	for (size_t w = 0; w < testr_partition_workers(p); w++) {
		size_t n;
		const size_t *idx = testr_partition_worker(&n, p, w);

		for (size_t i = 0; i < n; i++) {
			size_t need = strlen(ids[idx[i]]) + 32;

			if (len + need >= cap)
				out = realloc(out, cap *= 2);
			len += (size_t)sprintf(out + len, "%zu\t%s\n", w,
					       ids[idx[i]]);
		}
	}
	return out;
}

static char *
python_partition(const struct gen_case *gc, const char *const *ids,
		 const double *t)
{
	char *dir = harness_tmpdir(), path[600], cmd[2000];
	struct proc_capture c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/input", dir);
	f = fopen(path, "w");
	for (size_t i = 0; i < gc->n_ids; i++) {
		if (t[i] < 0)
			fprintf(f, "%s\t-\n", ids[i]);
		else
			fprintf(f, "%s\t%.17g\n", ids[i], t[i]);
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 '%s/tests/cli/run/partition_reference.py' "
		 "'%s' %zu '%s'", harness_source_dir(), path, gc->workers,
		 gc->grouped ? "([^\\.]*\\.)*" : "");
	ck_assert_int_eq(proc_capture(&c, NULL, cmd, false, NULL), 0);
	ck_assert_msg(c.status.exit_code == 0, "reference failed: %s", c.err);
	free(c.err);
	harness_rmtree(dir);
	free(dir);
	return c.out;
}

static const struct gen_case reference_cases[] = {
	{ 300, 4, 20, 40, true },	/* mixed timed, partial, unknown */
	{ 200, 3, 0, 3, true },		/* everything timed, many ties */
	{ 150, 5, 100, 1, true },	/* nothing timed: round-robin */
	{ 250, 7, 30, 5, false },	/* no grouping */
	{ 60, 16, 10, 2, true },	/* more workers than groups */
	{ 120, 3, 50, 1, false },	/* all known durations are zero */
	{ 500, 8, 5, 200, true },
};

static void
compare_with_python(const struct gen_case *gc, int n_case)
{
	for (unsigned long seed = 1; seed <= 3; seed++) {
		struct testr_strv ids = TESTR_STRV_INIT;
		double *t = calloc(gc->n_ids, sizeof(*t));
		struct testr_partition *p;
		char *ours, *theirs;

		generate(gc, seed * 7919 + (unsigned long)n_case, &ids, t);
		p = partition(testr_strv_items(&ids), gc->n_ids, t,
			      gc->workers, gc->grouped);
		ours = render(p, testr_strv_items(&ids));
		theirs = python_partition(gc, testr_strv_items(&ids), t);
		ck_assert_msg(strcmp(ours, theirs) == 0,
			      "case %d seed %lu differs:\nours:\n%s\npython:\n%s",
			      n_case, seed, ours, theirs);
		free(ours);
		free(theirs);
		testr_partition_free(p);
		testr_strv_dispose(&ids);
		free(t);
	}
}

START_TEST(partition_matches_python_partition_tests)
{
	size_t n = sizeof(reference_cases) / sizeof(reference_cases[0]);

	for (size_t i = 0; i < n; i++)
		compare_with_python(&reference_cases[i], (int)i);
}
END_TEST

START_TEST(partition_options_of_an_unknown_version_are_refused)
{
	struct testr_partition_options o = TESTR_PARTITION_OPTIONS_INIT;
	struct testr_partition *p = (void *)1;
	struct testr_context *ctx;
	const char *id = "a";

	ck_assert_int_eq(testr_context_new(&ctx), 0);
	for (unsigned v = 0; v <= 2; v += 2) {
		o.version = v;
		harness_assert_version_refused(ctx,
			testr_partition_new(&p, ctx, &id, 1, NULL, 1, &o),
			"testr_partition_options", v);
		ck_assert_ptr_null(p);
	}
	testr_context_free(ctx);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, partition_options_of_an_unknown_version_are_refused);
	HARNESS_ADD(h, partition_places_longest_first_on_least_loaded_worker);
	HARNESS_ADD(h, partition_keeps_group_on_one_worker);
	HARNESS_ADD(h, partition_puts_partly_timed_groups_after_timed_ones);
	HARNESS_ADD(h, partition_copies_keys_the_group_function_reuses);
	HARNESS_ADD(h, partition_leaves_extra_workers_empty);
	HARNESS_ADD(h, partition_rejects_zero_workers);
	HARNESS_ADD(h, partition_stops_on_group_function_error);
	/* Starts python3 dozens of times: slow on a loaded machine. */
	harness_add(h, partition_matches_python_partition_tests, 600);
}
