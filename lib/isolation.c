/*
 * --analyze-isolation: which failing tests pass alone, and which earlier
 * test on the same worker breaks each.  The caller runs the probes (and
 * shows them); this module decides what to run and reads the verdicts
 * back from the repository, as testrepository does.
 */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include <testr/filter.h>
#include <testr/isolation.h>

#include "context.h"

/* The completed tests of a run in order, with the worker tag of each. */
struct run_order {
	struct testr_strv ids;
	struct testr_strv workers;	/* "worker-N", or "" without one */
};

struct analysis {
	struct testr_context *ctx;
	struct testr_repo *repo;
	const struct testr_isolation_options *opts;
};

static int
collect_order(void *userdata, const struct testr_event *ev)
{
	struct run_order *o = userdata;
	const char *worker = "";

	if (!(ev->fields & TESTR_EVENT_TEST_ID) ||
	    ev->status < TESTR_STATUS_SUCCESS)
		return 0;
	for (size_t i = 0; i < ev->n_tags; i++)
		if (strncmp(ev->tags[i], "worker-", 7) == 0)
			worker = ev->tags[i];
	if (testr_strv_push(&o->ids, ev->test_id) < 0 ||
	    testr_strv_push(&o->workers, worker) < 0)
		return TESTR_ENOMEM;
	return 0;
}

/* The order of the latest run in the repository. */
static int
read_order(struct run_order *o, struct testr_repo *repo)
{
	uint64_t id;
	int rc = testr_repo_latest_id(&id, repo);

	if (rc == TESTR_OK)
		rc = testr_repo_read_run(repo, id, collect_order, o);
	return rc;
}

static void
order_dispose(struct run_order *o)
{
	testr_strv_dispose(&o->ids);
	testr_strv_dispose(&o->workers);
}

/* The tests that ran before @id on its worker in @o, oldest first. */
static int
prior_tests(struct testr_strv *out, const struct run_order *o, const char *id)
{
	long at = testr_strv_find(&o->ids, id);

	for (long i = 0; at >= 0 && i < at; i++)
		if (strcmp(o->workers.v[i], o->workers.v[at]) == 0 &&
		    testr_strv_push(out, o->ids.v[i]) < 0)
			return TESTR_ENOMEM;
	return TESTR_OK;
}

/* One probe run; stops the analysis once the context is interrupted. */
static int
probe(struct analysis *a, bool *passed, const struct testr_strv *ids)
{
	int rc;

	*passed = false;
	if (context_interrupted(a->ctx))
		return context_fail(a->ctx, TESTR_EINTR, "interrupted");
	rc = a->opts->run(a->opts->userdata, passed, ids);
	if (rc == TESTR_OK && context_interrupted(a->ctx))
		rc = context_fail(a->ctx, TESTR_EINTR, "interrupted");
	return rc;
}

/* Run @ids; *@failed: @victim is in the failing set afterwards. */
static int
probe_fails(struct analysis *a, bool *failed, const struct testr_strv *ids,
	    const char *victim)
{
	struct testr_strv failing = TESTR_STRV_INIT;
	bool passed;
	int rc = probe(a, &passed, ids);

	if (rc == TESTR_OK)
		rc = testr_repo_failing_ids(&failing, a->repo);
	*failed = rc == TESTR_OK && testr_strv_find(&failing, victim) >= 0;
	testr_strv_dispose(&failing);
	return rc;
}

/* Does @id pass alone (and really run: a filter may have left it out)? */
static int
passes_alone(struct analysis *a, bool *spurious, const char *id)
{
	struct run_order ran = { TESTR_STRV_INIT, TESTR_STRV_INIT };
	struct testr_strv one = TESTR_STRV_INIT;
	bool passed = false;
	int rc = testr_strv_push(&one, id);

	*spurious = false;
	if (rc == TESTR_OK)
		rc = probe(a, &passed, &one);
	if (rc == TESTR_OK && passed)
		rc = read_order(&ran, a->repo);
	if (rc == TESTR_OK && passed)
		*spurious = testr_strv_find(&ran.ids, id) >= 0;
	order_dispose(&ran);
	testr_strv_dispose(&one);
	return rc;
}

/* The ids @causes[from, from + n) then @victim: one bisection probe. */
static int
probe_ids(struct testr_strv *out, const struct testr_strv *causes,
	  size_t from, size_t n, const char *victim)
{
	int rc = TESTR_OK;

	for (size_t i = from; rc == TESTR_OK && i < from + n; i++)
		rc = testr_strv_push(out, causes->v[i]);
	return rc == TESTR_OK ? testr_strv_push(out, victim) : rc;
}

/*
 * Bisect @causes (the tests before @victim) for the one that breaks it:
 * run the first half of the range with the victim; a failure keeps that
 * half, a pass the other.  *@cause: an element of @causes, or NULL.
 */
static int
find_cause(struct analysis *a, const char **cause,
	   const struct testr_strv *causes, const char *victim)
{
	size_t bottom = 0, top = causes->n, width = top;
	int rc = TESTR_OK;

	*cause = NULL;
	while (width && rc == TESTR_OK) {
		size_t check = (width + 1) / 2;
		struct testr_strv ids = TESTR_STRV_INIT;
		bool failed = false;

		rc = probe_ids(&ids, causes, bottom, check, victim);
		if (rc == TESTR_OK)
			rc = probe_fails(a, &failed, &ids, victim);
		testr_strv_dispose(&ids);
		if (failed && width == 1)
			*cause = causes->v[bottom];
		if (failed)
			top = bottom + check;
		else
			bottom += check;
		width = width == 1 ? 0 : top - bottom;
	}
	return rc;
}

/* The failing tests the filters select, in failing-set order. */
static int
candidates(struct testr_strv *out, struct analysis *a)
{
	struct testr_filter *f = NULL;
	int rc = testr_repo_failing_ids(out, a->repo);

	if (rc == TESTR_OK)
		rc = testr_filter_new(&f, a->ctx, a->opts->filters,
				      a->opts->n_filters);
	if (rc == TESTR_OK)
		rc = testr_filter_apply(f, out);
	testr_filter_free(f);
	return rc;
}

static int
add_conflict(struct testr_isolation_result *out, const char *victim,
	     const char *cause)
{
	struct testr_isolation_conflict *c = realloc(out->conflicts,
			(out->n + 1) * sizeof(*c));

	if (!c)
		return TESTR_ENOMEM;
	out->conflicts = c;
	c += out->n;
	c->victim = strdup(victim);
	c->cause = cause ? strdup(cause) : NULL;
	if (!c->victim || (cause && !c->cause)) {
		free(c->victim);
		free(c->cause);
		return TESTR_ENOMEM;
	}
	out->n++;
	return TESTR_OK;
}

/* For each victim, the test before it (in @before) that breaks it. */
static int
find_causes(struct testr_isolation_result *out, struct analysis *a,
	    const struct testr_strv *victims, const struct run_order *before)
{
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < victims->n; i++) {
		struct testr_strv causes = TESTR_STRV_INIT;
		const char *cause = NULL;

		rc = prior_tests(&causes, before, victims->v[i]);
		if (rc == TESTR_OK)
			rc = find_cause(a, &cause, &causes, victims->v[i]);
		if (rc == TESTR_OK)
			rc = add_conflict(out, victims->v[i], cause);
		testr_strv_dispose(&causes);
	}
	return rc;
}

/* The failing tests that pass alone, into @victims. */
static int
find_victims(struct testr_strv *victims, struct analysis *a)
{
	struct testr_strv failing = TESTR_STRV_INIT;
	int rc = candidates(&failing, a);

	for (size_t i = 0; rc == TESTR_OK && i < failing.n; i++) {
		bool spurious;

		rc = passes_alone(a, &spurious, failing.v[i]);
		if (rc == TESTR_OK && spurious)
			rc = testr_strv_push(victims, failing.v[i]);
	}
	testr_strv_dispose(&failing);
	return rc;
}

/* The bytes of each version of struct testr_isolation_options. */
static const size_t isolation_options_sizes[] = {
	OPTIONS_END(testr_isolation_options, userdata),
};

TESTR_API int
testr_isolation_analyze(struct testr_isolation_result *out,
			struct testr_context *ctx, struct testr_repo *repo,
			const struct testr_isolation_options *opts)
{
	struct testr_isolation_options o = TESTR_ISOLATION_OPTIONS_INIT;
	struct analysis a = { ctx, repo, &o };
	struct run_order before = { TESTR_STRV_INIT, TESTR_STRV_INIT };
	struct testr_strv victims = TESTR_STRV_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = OPTIONS_COPY(ctx, &o, opts, testr_isolation_options,
			  isolation_options_sizes);
	if (rc < 0)
		return rc;
	if (!o.run || !repo)
		return context_fail(ctx, TESTR_EINVAL, "isolation options: "
				  "a repository and a run function are "
				  "required");
	/* The order to bisect is the latest run's, before any probe. */
	rc = read_order(&before, repo);
	if (rc == TESTR_OK)
		rc = find_victims(&victims, &a);
	if (rc == TESTR_OK)
		rc = find_causes(out, &a, &victims, &before);
	testr_strv_dispose(&victims);
	order_dispose(&before);
	return rc;
}

TESTR_API void
testr_isolation_result_dispose(struct testr_isolation_result *r)
{
	for (size_t i = 0; r && i < r->n; i++) {
		free(r->conflicts[i].victim);
		free(r->conflicts[i].cause);
	}
	if (r) {
		free(r->conflicts);
		r->conflicts = NULL;
		r->n = 0;
	}
}
