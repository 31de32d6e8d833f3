/*
 * The duration model seen from outside: estimates for a list of ids (the
 * scheduler's input), the slowest tests over everything known, and the
 * runners' start-up costs (the file "startup").
 */
#include "config-build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <testr/durations.h>

#include "array.h"
#include "context.h"
#include "model.h"
#include "repo.h"

/* The models of a repository: its store, or for testrepository's format
 * (whose times.dbm we do not read), rebuilt from its runs. */
struct model_source {
	struct repo_times times;
	struct repo_models legacy;
	bool is_legacy;
};

static int
source_open(struct model_source *s, struct testr_repo *repo)
{
	uint64_t count;
	int rc;

	memset(s, 0, sizeof(*s));
	repo_models_init(&s->legacy);
	s->is_legacy = repo->legacy;
	if (s->is_legacy) {
		rc = testr_repo_count(&count, repo);
		return rc < 0 ? rc : repo_models_collect(&s->legacy, repo, 0,
							 count);
	}
	rc = repo_times_open(&s->times, repo);
	if (rc == TESTR_ENOTFOUND || rc == TESTR_ECORRUPT) {
		/* Absent or corrupt: rebuild it (under the lock), then retry. */
		testr_context_clear_error(repo->ctx);
		rc = repo_repair_with_lock(repo);
		if (rc == 0)
			rc = repo_times_open(&s->times, repo);
	}
	return rc;
}

static void
source_close(struct model_source *s)
{
	repo_times_close(&s->times);
	repo_models_dispose(&s->legacy);
}

static bool
source_find(const struct model_source *s, const char *id,
	    struct model_rec *out)
{
	const struct model_rec *m;

	if (!s->is_legacy)
		return repo_times_model(&s->times, id, strlen(id), out);
	m = repo_models_find(&s->legacy, id, strlen(id));
	if (m)
		*out = *m;
	return m != NULL;
}

static int
note_est(void *userdata, const char *esc, size_t len, const struct model_rec *m)
{
	struct testr_strv *v = userdata;
	double e = model_estimate(m);
	char buf[48];

	(void)esc;
	(void)len;
	if (isnan(e))
		return 0;
	repo_format_seconds(buf, e);
	return testr_strv_push(v, buf);
}

/* The median estimate of every measured test; NAN when none. */
static int
source_median(double *out, const struct model_source *s)
{
	struct testr_strv v = TESTR_STRV_INIT;
	double *e = NULL;
	size_t n = 0;
	int rc = 0;

	*out = s->is_legacy ? NAN : s->times.median;
	if (!s->is_legacy && s->times.version == 2)
		return 0;	/* kept in the header */
	if (s->is_legacy) {
		e = malloc((s->legacy.ids.n + 1) * sizeof(*e));
		for (size_t i = 0; e && i < s->legacy.ids.n; i++)
			if (!isnan(model_estimate(&s->legacy.recs[i])))
				e[n++] = model_estimate(&s->legacy.recs[i]);
	} else {
		/* Version 1: one pass over the lines (rare: upgraded on the
		 * next write). */
		rc = repo_times_each(&s->times, note_est, &v);
		e = malloc((v.n + 1) * sizeof(*e));
		for (size_t i = 0; rc == 0 && e && i < v.n; i++)
			e[n++] = strtod(v.v[i], NULL);
	}
	if (!e)
		rc = TESTR_ENOMEM;
	if (rc == 0)
		*out = model_median(e, n);
	free(e);
	testr_strv_dispose(&v);
	return rc;
}

static void
set_measured(struct testr_estimate *out, const struct model_rec *m)
{
	out->seconds = model_estimate(m);
	out->spread = model_spread(m);
	out->samples = m->n;
	out->source = TESTR_ESTIMATE_MEASURED;
}

/* ---- unseen tests: their group's median ---- */

struct keyed {
	char *key;		/* NULL: the id is a group of its own */
	size_t index;
};

static int
by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (!x->key || !y->key)
		return !x->key - !y->key;
	return strcmp(x->key, y->key);
}

/* The default group: a module or class, the id up to its last '.'. */
static int
default_key(const char **key, size_t *len,
            const struct testr_config *cfg, const char *id)
{
	const char *dot = strrchr(id, '.');

	(void)cfg;
	if (!dot || dot == id)
		return 0;
	*key = id;
	*len = (size_t)(dot - id);
	return 1;
}

static int
key_copy(char **out, const struct testr_estimate_options *opts,
	 const char *id)
{
	testr_group_key_fn fn = opts && opts->group_key ? opts->group_key :
				default_key;
	const char *k = NULL;
	size_t len = 0;
	int rc = fn(&k, &len, opts ? opts->group_config : NULL, id);

	*out = NULL;
	if (rc <= 0 || len == 0)
		return rc < 0 ? rc : 0;
	*out = malloc(len + 1);
	if (!*out)
		return TESTR_ENOMEM;
	memcpy(*out, k, len);
	(*out)[len] = '\0';
	return 0;
}

/* Give the unmeasured members of group v[0..n) the group's median. */
static void
fill_group(struct testr_estimate *out, const struct keyed *v, size_t n,
	   double *scratch)
{
	size_t k = 0;
	double med;

	for (size_t i = 0; i < n; i++)
		if (out[v[i].index].source == TESTR_ESTIMATE_MEASURED)
			scratch[k++] = out[v[i].index].seconds;
	if (k == 0)
		return;
	med = model_median(scratch, k);
	for (size_t i = 0; i < n; i++) {
		struct testr_estimate *e = &out[v[i].index];

		if (e->source == TESTR_ESTIMATE_NONE)
			*e = (struct testr_estimate){ med, NAN, 0,
						      TESTR_ESTIMATE_GROUP };
	}
}

static int
estimate_groups(struct testr_estimate *out, const char *const *ids,
		size_t n_ids, const struct testr_estimate_options *opts)
{
	struct keyed *v = calloc(n_ids + 1, sizeof(*v));
	double *scratch = malloc((n_ids + 1) * sizeof(*scratch));
	int rc = v && scratch ? 0 : TESTR_ENOMEM;
	size_t start = 0;

	for (size_t i = 0; rc == 0 && i < n_ids; i++) {
		v[i].index = i;
		rc = key_copy(&v[i].key, opts, ids[i]);
	}
	if (rc == 0)
		qsort(v, n_ids, sizeof(*v), by_key);
	for (size_t i = 1; rc == 0 && i <= n_ids; i++) {
		if (i < n_ids && v[i].key && by_key(&v[i], &v[start]) == 0)
			continue;
		if (v[start].key)
			fill_group(out, v + start, i - start, scratch);
		start = i;
	}
	for (size_t i = 0; v && i < n_ids; i++)
		free(v[i].key);
	free(v);
	free(scratch);
	return rc;
}

static bool
any_unknown(const struct testr_estimate *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (out[i].source == TESTR_ESTIMATE_NONE)
			return true;
	return false;
}

/* The rest: the project's median, if anything was ever measured. */
static int
estimate_rest(struct testr_estimate *out, size_t n,
	      const struct model_source *s)
{
	double med = NAN;
	int rc = any_unknown(out, n) ? source_median(&med, s) : 0;

	for (size_t i = 0; rc == 0 && !isnan(med) && i < n; i++)
		if (out[i].source == TESTR_ESTIMATE_NONE)
			out[i] = (struct testr_estimate){ med, NAN, 0,
				TESTR_ESTIMATE_PROJECT };
	return rc;
}

static void
found_model(void *userdata, size_t index, const struct model_rec *m)
{
	struct testr_estimate *out = userdata;

	if (m->n)
		set_measured(&out[index], m);
}

/* Each id's own estimate, where it has samples; TESTR_ESTIMATE_NONE else. */
static int
measured(struct testr_estimate *out, const struct model_source *s,
	 const char *const *ids, size_t n_ids)
{
	for (size_t i = 0; i < n_ids; i++)
		out[i] = (struct testr_estimate){ NAN, NAN, 0,
						  TESTR_ESTIMATE_NONE };
	if (s->is_legacy) {
		struct model_rec one;

		for (size_t i = 0; i < n_ids; i++)
			if (source_find(s, ids[i], &one) && one.n)
				set_measured(&out[i], &one);
		return 0;
	}
	return repo_times_models(&s->times, ids, n_ids, found_model, out);
}

/* The bytes of each version of struct testr_estimate_options. */
static const size_t estimate_options_sizes[] = {
	OPTIONS_END(testr_estimate_options, group_config),
};

TESTR_API int
testr_repo_estimates(struct testr_estimate *out, struct testr_repo *repo,
		     const char *const *ids, size_t n_ids,
		     const struct testr_estimate_options *opts)
{
	struct testr_estimate_options o = TESTR_ESTIMATE_OPTIONS_INIT;
	struct model_source src;
	int rc;

	rc = OPTIONS_COPY(repo->ctx, &o, opts, testr_estimate_options,
			  estimate_options_sizes);
	if (rc < 0)
		return rc;
	opts = &o;
	rc = source_open(&src, repo);
	if (rc == 0)
		rc = measured(out, &src, ids, n_ids);
	if (rc == 0 && any_unknown(out, n_ids))
		rc = estimate_groups(out, ids, n_ids, opts);
	if (rc == 0)
		rc = estimate_rest(out, n_ids, &src);
	source_close(&src);
	return rc;
}

/* ---- the slowest of everything known ---- */

struct ranked {
	char *id;
	struct testr_estimate est;
};

struct ranking {
	struct ranked *v;
	size_t n, cap;
};

static int
rank_one(struct ranking *r, const char *id, size_t len, bool escaped,
	 const struct model_rec *m)
{
	struct ranked *e;

	if (m->n == 0)
		return 0;	/* only ever failed: nothing to estimate */
	if (array_reserve(&r->v, &r->cap, r->n + 1, sizeof(*r->v), 64))
		return TESTR_ENOMEM;
	e = &r->v[r->n];
	if (!(e->id = malloc(len + 1)))
		return TESTR_ENOMEM;
	len = escaped ? repo_unescape(e->id, id, len) : len;
	if (!escaped)
		memcpy(e->id, id, len);
	e->id[len] = '\0';
	set_measured(&e->est, m);
	r->n++;
	return 0;
}

static int
rank_escaped(void *userdata, const char *esc, size_t len,
	     const struct model_rec *m)
{
	return rank_one(userdata, esc, len, true, m);
}

static int
by_estimate_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->est.seconds != y->est.seconds)
		return x->est.seconds < y->est.seconds ? 1 : -1;
	return strcmp(x->id, y->id);
}

TESTR_API int
testr_repo_slowest_estimates(struct testr_repo *repo, size_t limit,
			     testr_estimate_fn fn, void *userdata)
{
	struct model_source src;
	struct ranking r = { NULL, 0, 0 };
	int rc = source_open(&src, repo);

	if (rc == 0 && !src.is_legacy)
		rc = repo_times_each(&src.times, rank_escaped, &r);
	for (size_t i = 0; rc == 0 && src.is_legacy && i < src.legacy.ids.n; i++) {
		const struct repo_test *t = repo_idmap_at(&src.legacy.ids, i);

		rc = rank_one(&r, t->id, t->id_len, false, &src.legacy.recs[i]);
	}
	if (rc == 0)
		qsort(r.v, r.n, sizeof(*r.v), by_estimate_desc);
	for (size_t i = 0; rc == 0 && i < r.n && (!limit || i < limit); i++)
		rc = fn(userdata, r.v[i].id, &r.v[i].est);
	for (size_t i = 0; i < r.n; i++)
		free(r.v[i].id);
	free(r.v);
	source_close(&src);
	return rc;
}

/* ---- runners' start-up costs: "startup" ---- */

#define STARTUP_MAGIC "libtestr-startup 1\n"

/* The startup file's text ("" when absent) into *@out. */
static int
startup_read(char **out, char **path, struct testr_repo *repo)
{
	int rc;

	*path = repo_file(repo, "startup");
	if (!*path)
		return TESTR_ENOMEM;
	rc = fileio_read_file(out, NULL, repo->ctx, *path);
	if (rc == TESTR_ENOTFOUND)
		return (*out = strdup("")) ? 0 : TESTR_ENOMEM;
	if (rc == 0 && strncmp(*out, STARTUP_MAGIC, strlen(STARTUP_MAGIC)))
		rc = context_fail(repo->ctx, TESTR_ECORRUPT, "%s:1: bad header",
				*path);
	return rc;
}

/*
 * Find @runner's line in @text: its samples into @m, the line's span into
 * [*start, *end) (both at the end of @text when absent).
 */
static int
startup_find(struct model_rec *m, size_t *start, size_t *end,
	     const char *text, const char *esc, const char *path,
	     struct testr_context *ctx)
{
	size_t len = strlen(text), elen = strlen(esc), line = 1;
	const char *p = text + (len ? strlen(STARTUP_MAGIC) : 0);

	model_init(m);
	*start = *end = len;
	for (; *p; line++) {
		const char *nl = strchr(p, '\n'), *tab = memchr(p, '\t',
			nl ? (size_t)(nl - p) : strlen(p));
		/* Same fields as a "times" line, with no last/estimate. */
		char fields[MODEL_LINE_MAX];

		if (!nl || !tab || (size_t)(nl - tab) + 8 > sizeof(fields))
			return context_fail(ctx, TESTR_ECORRUPT, "%s:%zu: bad "
					  "line", path, line + 1);
		snprintf(fields, sizeof(fields), "-\t-\t-\t%.*s",
			 (int)(nl - tab - 1), tab + 1);
		if ((size_t)(tab - p) == elen && !memcmp(p, esc, elen)) {
			*start = (size_t)(p - text);
			*end = (size_t)(nl + 1 - text);
			if (!model_parse(m, fields, strlen(fields)))
				return context_fail(ctx, TESTR_ECORRUPT, "%s:%zu: "
						  "bad line", path, line + 1);
		}
		p = nl + 1;
	}
	return 0;
}

static char *
escape_runner(const char *runner)
{
	size_t len = strlen(runner ? runner : "");
	char *esc = malloc(len * 2 + 1);

	if (esc)
		esc[repo_escape(esc, runner ? runner : "", len)] = '\0';
	return esc;
}

TESTR_API int
testr_repo_startup(struct testr_estimate *out, struct testr_repo *repo,
		   const char *runner)
{
	char *text = NULL, *path = NULL, *esc = escape_runner(runner);
	struct model_rec m;
	size_t s, e;
	int rc = esc ? startup_read(&text, &path, repo) : TESTR_ENOMEM;

	*out = (struct testr_estimate){ NAN, NAN, 0, TESTR_ESTIMATE_NONE };
	if (rc == 0)
		rc = startup_find(&m, &s, &e, text, esc, path, repo->ctx);
	if (rc == 0 && m.n)
		set_measured(out, &m);
	free(text);
	free(path);
	free(esc);
	return rc;
}

/* @text with @runner's line replaced by one holding @m, written atomically. */
static int
startup_write(struct testr_repo *repo, const char *path, const char *text,
	      size_t s, size_t e, const char *esc, const struct model_rec *m)
{
	char fields[MODEL_LINE_MAX], *samples, *out;
	bool fresh = *text == '\0';
	int rc;

	model_format(fields, m);
	/* Only the samples: "last", estimate and spread are derived. */
	samples = strrchr(fields, '\t') + 1;
	out = str_printf("%s%.*s%s\t%s\n%s", fresh ? STARTUP_MAGIC : "",
			     (int)s, text, esc, samples, text + e);
	if (!out)
		return TESTR_ENOMEM;
	rc = fileio_write_file(repo->ctx, path, out, strlen(out));
	free(out);
	return rc;
}

static int
note_locked(struct testr_repo *repo, const char *runner, double seconds)
{
	char *text = NULL, *path = NULL, *esc = escape_runner(runner);
	struct model_rec m;
	size_t s, e;
	int rc = esc ? startup_read(&text, &path, repo) : TESTR_ENOMEM;

	if (rc == 0)
		rc = startup_find(&m, &s, &e, text, esc, path, repo->ctx);
	if (rc == TESTR_ECORRUPT) {
		/* Only a planning hint: start it afresh, and say so. */
		context_log(repo->ctx, TESTR_LOG_WARNING, "%s; starting it "
			  "afresh", testr_context_error(repo->ctx));
		text[0] = '\0';
		rc = startup_find(&m, &s, &e, text, esc, path, repo->ctx);
	}
	if (rc == 0) {
		model_observe(&m, seconds, true);
		rc = startup_write(repo, path, text, s, e, esc, &m);
	}
	free(text);
	free(path);
	free(esc);
	return rc;
}

TESTR_API int
testr_repo_note_startup(struct testr_repo *repo, const char *runner,
			double seconds)
{
	char *lock;
	int fd = -1, rc;

	if (!(seconds >= 0) || !isfinite(seconds))
		return context_fail(repo->ctx, TESTR_EINVAL, "start-up cost %g "
				  "is not a duration", seconds);
	if (repo->legacy)
		return 0;	/* nothing of ours is written before a run */
	/* A writer of this handle has it (flock would wait for ourselves). */
	if (repo->locks_held)
		return note_locked(repo, runner, seconds);
	lock = repo_file(repo, "lock");
	rc = lock ? fileio_lock(&fd, repo->ctx, lock) : TESTR_ENOMEM;
	if (rc == 0)
		rc = note_locked(repo, runner, seconds);
	fileio_unlock(fd);
	free(lock);
	return rc;
}
