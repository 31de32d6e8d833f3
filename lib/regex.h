/*
 * Private: the one place that talks to PCRE2.
 *
 * Patterns come from users (group_regex, --filter arguments) and are written
 * for Python's `re`, so they are compiled in UTF mode with Unicode character
 * classes (\d \w \s match as in Python 3 str patterns).  Subjects that are
 * not valid UTF-8 never crash a match: invalid sequences simply cannot match.
 *
 * A compiled regex keeps its own match data, so it must not be used from two
 * threads at once (one context per thread, as everywhere in libtestr).
 */
#ifndef TESTR_LIB_REGEX_H
#define TESTR_LIB_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include <testr/common.h>

struct testr_regex;

/*
 * Compile @pattern.  On success *out owns the regex (free it with
 * regex_free()).  On a bad pattern returns TESTR_EPARSE with a one-line
 * message on @ctx naming the pattern, PCRE2's reason and the offset, e.g.
 * "bad regex '(a': missing closing parenthesis at offset 2"; TESTR_ENOMEM when
 * memory runs out.  *out is NULL on failure.
 */
int regex_compile(struct testr_regex **out, struct testr_context *ctx,
			const char *pattern);

/* Free @re; NULL is a no-op. */
void regex_free(struct testr_regex *re);

/* The pattern @re was compiled from (owned by @re). */
const char *regex_pattern(const struct testr_regex *re);

/*
 * Python re.search(): does @re match anywhere in the @len bytes at
 * @subject?  Returns 1 on a match, 0 on none, TESTR_ENOMEM or TESTR_ERROR
 * (for example when PCRE2's match limit is hit) on failure.
 */
int regex_search(struct testr_regex *re, const char *subject,
		       size_t len);

/*
 * Python re.match(): does @re match at the start of @subject (anchored at
 * the start only)?  Returns 1 on a match and stores the length in bytes of
 * the matched text (group 0, possibly 0) in *out_len; 0 when there is no
 * match; a negative TESTR_E* code on failure.  @out_len may be NULL.
 */
int regex_match(size_t *out_len, struct testr_regex *re,
		      const char *subject, size_t len);

#endif
