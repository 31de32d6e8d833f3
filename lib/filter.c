/* Test filters: the union of Python re.search() patterns. */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include <testr/filter.h>

#include "context.h"
#include "regex.h"

struct testr_filter {
	struct testr_context *ctx;
	struct testr_regex **res;
	size_t n;
};

TESTR_API int
testr_filter_new(struct testr_filter **out, struct testr_context *ctx,
		 const char *const *patterns, size_t n)
{
	struct testr_filter *f = calloc(1, sizeof(*f));
	int rc = TESTR_OK;

	*out = NULL;
	if (!f || !(f->res = calloc(n ? n : 1, sizeof(*f->res)))) {
		free(f);
		return context_fail(ctx, TESTR_ENOMEM, "out of memory");
	}
	f->ctx = ctx;
	for (; f->n < n; f->n++) {
		rc = regex_compile(&f->res[f->n], ctx, patterns[f->n]);
		if (rc < 0) {
			testr_filter_free(f);
			return rc;
		}
	}
	*out = f;
	return rc;
}

TESTR_API void
testr_filter_free(struct testr_filter *filter)
{
	if (!filter)
		return;
	for (size_t i = 0; i < filter->n; i++)
		regex_free(filter->res[i]);
	free(filter->res);
	free(filter);
}

TESTR_API int
testr_filter_match(struct testr_filter *filter, const char *test_id)
{
	size_t len = strlen(test_id);

	if (filter->n == 0)
		return 1;
	for (size_t i = 0; i < filter->n; i++) {
		int rc = regex_search(filter->res[i], test_id, len);

		if (rc != 0)
			return rc < 0 ? context_fail(filter->ctx, rc,
					"filter '%s' failed on '%s'",
					regex_pattern(filter->res[i]),
					test_id) : 1;
	}
	return 0;
}

TESTR_API int
testr_filter_apply(struct testr_filter *filter, struct testr_strv *ids)
{
	char *keep = malloc(ids->n ? ids->n : 1);
	size_t w = 0;
	int rc = TESTR_OK;

	if (!keep)
		return TESTR_ENOMEM;
	/* Decide first, so a failure leaves @ids untouched. */
	for (size_t i = 0; i < ids->n && rc >= 0; i++)
		keep[i] = (char)(rc = testr_filter_match(filter, ids->v[i]));
	for (size_t i = 0; rc >= 0 && i < ids->n; i++) {
		if (keep[i])
			ids->v[w++] = ids->v[i];
		else
			free(ids->v[i]);
	}
	if (rc >= 0)
		ids->n = w;
	free(keep);
	return rc < 0 ? rc : TESTR_OK;
}
