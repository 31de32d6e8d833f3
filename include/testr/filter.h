/* libtestr: selecting test ids with regular expressions. */
#ifndef TESTR_FILTER_H
#define TESTR_FILTER_H

#include <testr/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A set of test filters: Python-style regular expressions (PCRE2) with
 * search semantics.  An id is selected when any pattern matches anywhere
 * in it (the union); anchor a pattern with ^ to match from the start.
 */
struct testr_filter;

/**
 * Compile @n patterns.  With @n == 0 every id is selected.  Returns 0,
 * TESTR_EPARSE (the message on @ctx names the pattern, PCRE2's reason and
 * the offset) or TESTR_ENOMEM.  Free with testr_filter_free().
 */
TESTR_API int testr_filter_new(struct testr_filter **out,
			       struct testr_context *ctx,
			       const char *const *patterns, size_t n);

/** Free a filter; NULL is a no-op. */
TESTR_API void testr_filter_free(struct testr_filter *filter);

/**
 * Is @test_id selected?  Returns 1 or 0, or a negative TESTR_E* code when
 * matching failed (for example PCRE2's match limit).
 */
TESTR_API int testr_filter_match(struct testr_filter *filter,
				 const char *test_id);

/**
 * Drop from @ids every id no pattern matches, keeping the order of the
 * rest.  Returns 0 or a negative TESTR_E* code (then @ids is unchanged).
 */
TESTR_API int testr_filter_apply(struct testr_filter *filter,
				 struct testr_strv *ids);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_FILTER_H */
