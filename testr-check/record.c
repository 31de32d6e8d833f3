/* The recording side: each wrapper calls check, then remembers the call.
 * check keeps Suite and TCase opaque and offers no way to list what they
 * hold, so this registry is the only way to know the tests without reading
 * check's private structures (which change between check versions). */
#include "record.h"

#include <stdlib.h>
#include <string.h>

/* Objects are few (one per suite and test case), so plain arrays searched
 * linearly are enough.  Test programs build suites on one thread. */
static struct {
	struct rec_runner **runners;
	size_t n_runners;
	struct rec_suite **suites;
	size_t n_suites;
	struct rec_tcase **tcases;
	size_t n_tcases;
} reg;

/* Grow *@v (of @n elements of @size) by one zeroed element; NULL if out of
 * memory, and then nothing is recorded: the program still runs as plain
 * check, and testr-check reports the suite as incomplete. */
static void *
grow(void *v, size_t *n, size_t size)
{
	char *p = realloc(*(void **)v, (*n + 1) * size);

	if (!p)
		return NULL;
	*(void **)v = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static struct rec_suite *
find_suite(Suite *s)
{
	for (size_t i = 0; i < reg.n_suites; i++)
		if (reg.suites[i]->s == s)
			return reg.suites[i];
	return NULL;
}

static struct rec_tcase *
find_tcase(TCase *tc)
{
	for (size_t i = 0; i < reg.n_tcases; i++)
		if (reg.tcases[i]->tc == tc)
			return reg.tcases[i];
	return NULL;
}

struct rec_runner *
record_runner(SRunner *sr)
{
	for (size_t i = 0; i < reg.n_runners; i++)
		if (reg.runners[i]->sr == sr)
			return reg.runners[i];
	return NULL;
}

/* Append @p (an owned pointer) to the array at @v; frees it on failure. */
static int
push_ptr(void *v, size_t *n, void *p)
{
	void **slot = p ? grow(v, n, sizeof(void *)) : NULL;

	if (!slot) {
		free(p);
		return -1;
	}
	*slot = p;
	return 0;
}

Suite *
testr_check_suite_create(const char *name)
{
	Suite *s = suite_create(name);
	struct rec_suite *r = calloc(1, sizeof(*r));
	char *copy = dup_or_null(name);

	if (r && (copy || !name)) {
		r->s = s;
		r->name = copy;
		if (push_ptr(&reg.suites, &reg.n_suites, r) == 0)
			return s;
		r = NULL;
	}
	free(r);
	free(copy);
	return s;
}

TCase *
testr_check_tcase_create(const char *name)
{
	TCase *tc = tcase_create(name);
	struct rec_tcase *r = calloc(1, sizeof(*r));
	char *copy = dup_or_null(name);

	if (r && (copy || !name)) {
		r->tc = tc;
		r->name = copy;
		if (push_ptr(&reg.tcases, &reg.n_tcases, r) == 0)
			return tc;
		r = NULL;
	}
	free(r);
	free(copy);
	return tc;
}

void
testr_check_suite_add_tcase(Suite *s, TCase *tc)
{
	struct rec_suite *rs = find_suite(s);
	struct rec_tcase *rt = find_tcase(tc);
	struct rec_tcase **slot;

	suite_add_tcase(s, tc);
	if (!rs)
		return;
	/* check ignores a TCase added twice; so do we. */
	for (size_t i = 0; rt && i < rs->n_tcases; i++)
		if (rs->tcases[i] == rt)
			return;
	slot = rt ? grow(&rs->tcases, &rs->n_tcases, sizeof(*slot)) : NULL;
	if (slot)
		*slot = rt;
	else
		rs->n_unknown++;
}

void
testr_check_add_test(TCase *tc, const TTest *ttest, int signal,
		     int exit_value, int start, int end, int loop)
{
	struct rec_tcase *rt = find_tcase(tc);
	struct rec_test *t;

	_tcase_add_test(tc, ttest, signal, exit_value, start, end);
	t = rt ? grow(&rt->tests, &rt->n_tests, sizeof(*t)) : NULL;
	if (!t)
		return;
	*t = (struct rec_test){ ttest, signal, exit_value, start, end,
				loop >= 0 ? loop : start != 0 || end != 1 };
}

/* Remember one shaping call; false if it could not be (out of memory). */
static struct op *
add_op(TCase *tc, enum op_kind kind)
{
	struct rec_tcase *rt = find_tcase(tc);
	struct op *op = rt ? grow(&rt->ops, &rt->n_ops, sizeof(*op)) : NULL;

	if (op)
		op->kind = kind;
	return op;
}

void
testr_check_add_unchecked_fixture(TCase *tc, SFun setup, SFun teardown)
{
	struct op *op;

	tcase_add_unchecked_fixture(tc, setup, teardown);
	if ((op = add_op(tc, OP_UNCHECKED))) {
		op->setup = setup;
		op->teardown = teardown;
	}
}

void
testr_check_add_checked_fixture(TCase *tc, SFun setup, SFun teardown)
{
	struct op *op;

	tcase_add_checked_fixture(tc, setup, teardown);
	if ((op = add_op(tc, OP_CHECKED))) {
		op->setup = setup;
		op->teardown = teardown;
	}
}

void
testr_check_tcase_set_timeout(TCase *tc, double timeout)
{
	struct op *op;

	tcase_set_timeout(tc, timeout);
	if ((op = add_op(tc, OP_TIMEOUT)))
		op->timeout = timeout;
}

void
testr_check_tcase_set_tags(TCase *tc, const char *tags)
{
	struct rec_tcase *rt = find_tcase(tc);
	struct op *op;

	tcase_set_tags(tc, tags);
	if (!(op = add_op(tc, OP_TAGS)))
		return;
	op->tags = dup_or_null(tags);
	rt->tags = op->tags;
}

static struct rec_runner *
new_runner(SRunner *sr)
{
	struct rec_runner *r = calloc(1, sizeof(*r));

	if (r)
		r->sr = sr;
	if (push_ptr(&reg.runners, &reg.n_runners, r) < 0)
		return NULL;
	return r;
}

static void
runner_add(struct rec_runner *r, Suite *s)
{
	struct rec_suite *rs = find_suite(s);
	struct rec_suite **slot;

	slot = rs ? grow(&r->suites, &r->n_suites, sizeof(*slot)) : NULL;
	if (slot)
		*slot = rs;
	else
		r->n_unknown++;
}

SRunner *
testr_check_srunner_create(Suite *s)
{
	SRunner *sr = srunner_create(s);
	struct rec_runner *r = new_runner(sr);

	/* A runner we failed to record stays unknown: testr_check_main()
	 * then refuses to list it rather than list it short. */
	if (r && s)
		runner_add(r, s);
	return sr;
}

void
testr_check_srunner_add_suite(SRunner *sr, Suite *s)
{
	struct rec_runner *r = record_runner(sr);

	srunner_add_suite(sr, s);
	if (r)
		runner_add(r, s);
}

/* Remove @p from the array @v of @n pointers, if it is there. */
static void
drop_ptr(void **v, size_t *n, const void *p)
{
	for (size_t i = 0; i < *n; i++) {
		if (v[i] == p) {
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			(*n)--;
			return;
		}
	}
}

/* Is @p in the array @v of @n pointers?  Compares addresses only, so it is
 * safe on a record already freed through another suite or runner. */
static int
has_ptr(void *const *v, size_t n, const void *p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p)
			return 1;
	return 0;
}

static void
free_tcase(struct rec_tcase *rt)
{
	drop_ptr((void **)reg.tcases, &reg.n_tcases, rt);
	for (size_t i = 0; i < rt->n_ops; i++)
		free(rt->ops[i].tags);
	free(rt->ops);
	free(rt->tests);
	free(rt->name);
	free(rt);
}

static void
free_suite(struct rec_suite *rs)
{
	drop_ptr((void **)reg.suites, &reg.n_suites, rs);
	for (size_t i = 0; i < rs->n_tcases; i++)
		if (has_ptr((void **)reg.tcases, reg.n_tcases, rs->tcases[i]))
			free_tcase(rs->tcases[i]);
	free(rs->tcases);
	free(rs->name);
	free(rs);
}

static void
free_registry_if_empty(void)
{
	if (reg.n_runners || reg.n_suites || reg.n_tcases)
		return;
	free(reg.runners);
	free(reg.suites);
	free(reg.tcases);
	memset(&reg, 0, sizeof(reg));
}

/* check frees a runner's suites and their test cases with it. */
void
testr_check_srunner_free(SRunner *sr)
{
	struct rec_runner *r = record_runner(sr);

	srunner_free(sr);
	if (!r)
		return;
	drop_ptr((void **)reg.runners, &reg.n_runners, r);
	for (size_t i = 0; i < r->n_suites; i++)
		if (has_ptr((void **)reg.suites, reg.n_suites, r->suites[i]))
			free_suite(r->suites[i]);
	free(r->suites);
	free(r);
	free_registry_if_empty();
}
