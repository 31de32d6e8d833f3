/* A vector of owned strings: the currency for test id lists. */
#include "config-build.h"


#include <stdlib.h>
#include <string.h>

#include <testr/common.h>

#include "array.h"

TESTR_API void
testr_strv_init(struct testr_strv *sv)
{
	sv->v = NULL;
	sv->n = 0;
	sv->cap = 0;
}

TESTR_API void
testr_strv_dispose(struct testr_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	testr_strv_init(sv);
}

static int
strv_grow(struct testr_strv *sv)
{
	return array_reserve(&sv->v, &sv->cap, sv->n + 1, sizeof(*sv->v), 16);
}

TESTR_API int
testr_strv_pushn(struct testr_strv *sv, const char *s, size_t len)
{
	char *copy;

	if (sv->n == sv->cap && strv_grow(sv) < 0)
		return TESTR_ENOMEM;
	copy = malloc(len + 1);
	if (!copy)
		return TESTR_ENOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	sv->v[sv->n++] = copy;
	return TESTR_OK;
}

TESTR_API int
testr_strv_push(struct testr_strv *sv, const char *s)
{
	return testr_strv_pushn(sv, s, strlen(s));
}

/* The one cast of a string list in the tree: adding const at both levels
 * is safe, but C has no implicit conversion for it, so every caller that
 * holds a strv takes its read-only view from here.  header-docs.sh checks
 * that no other comes back. */
TESTR_API const char *const *
testr_strv_items(const struct testr_strv *sv)
{
	return (const char *const *)sv->v;
}

TESTR_API long
testr_strv_find(const struct testr_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (long)i;
	return -1;
}

static int
cmp_str(const void *a, const void *b)
{
	char *const *sa = a, *const *sb = b;

	return strcmp(*sa, *sb);
}

TESTR_API void
testr_strv_sort_unique(struct testr_strv *sv)
{
	size_t w = 0;

	if (sv->n < 2)
		return;
	qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
	for (size_t r = 1; r < sv->n; r++) {
		if (strcmp(sv->v[r], sv->v[w]) == 0)
			free(sv->v[r]);
		else
			sv->v[++w] = sv->v[r];
	}
	sv->n = w + 1;
}
