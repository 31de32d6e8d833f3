/* The private PCRE2 wrapper: Python re.search / re.match on UTF-8 ids. */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#if HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#include "context.h"
#include "regex.h"

struct testr_regex {
	pcre2_code *code;
	pcre2_match_data *md;	/* reused across matches: no malloc per id */
	char *pattern;
};

/*
 * UTF + UCP gives Python 3 str-pattern semantics for \d \w \s \b and
 * case-folding; MATCH_INVALID_UTF lets ids that are not valid UTF-8 be
 * matched safely (bad sequences just never match) instead of failing.
 */
#define COMPILE_FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF)

static int
compile_error(struct testr_context *ctx, const char *pattern, int code,
	      PCRE2_SIZE offset)
{
	PCRE2_UCHAR msg[256];
	char q[160];

	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		strcpy((char *)msg, "unknown PCRE2 error");
	return context_fail(ctx, TESTR_EPARSE, "bad regex %s: %s at offset %zu",
			  testr_quote(q, sizeof(q), pattern, strlen(pattern)),
			  (const char *)msg, (size_t)offset);
}

int
regex_compile(struct testr_regex **out, struct testr_context *ctx,
		    const char *pattern)
{
	struct testr_regex *re = calloc(1, sizeof(*re));
	PCRE2_SIZE offset = 0;
	int code = 0, rc = TESTR_ENOMEM;

	*out = NULL;
	if (!re || !(re->pattern = strdup(pattern)))
		goto done;
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				 COMPILE_FLAGS, &code, &offset, NULL);
	if (!re->code) {
		rc = compile_error(ctx, pattern, code, offset);
		goto done;
	}
	/*
	 * JIT is only a speed-up: without it pcre2_match interprets.  Under
	 * valgrind the JIT's wide vector reads past the subject look like
	 * errors, so interpret there and keep memcheck's reports meaningful.
	 */
	if (!RUNNING_ON_VALGRIND)
		(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!re->md)
		goto done;
	*out = re;
	re = NULL;
	rc = TESTR_OK;
done:
	if (rc == TESTR_ENOMEM)
		context_fail(ctx, rc, "out of memory compiling a regex");
	regex_free(re);
	return rc;
}

void
regex_free(struct testr_regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re->pattern);
	free(re);
}

const char *
regex_pattern(const struct testr_regex *re)
{
	return re->pattern;
}

/* 1 on a match, 0 on none, a negative TESTR_E* code on a PCRE2 failure. */
static int
run_match(struct testr_regex *re, const char *subject, size_t len,
	  uint32_t options)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, options,
			     re->md, NULL);

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc == PCRE2_ERROR_NOMEMORY ? TESTR_ENOMEM : TESTR_ERROR;
}

int
regex_search(struct testr_regex *re, const char *subject, size_t len)
{
	return run_match(re, subject, len, 0);
}

int
regex_match(size_t *out_len, struct testr_regex *re,
		  const char *subject, size_t len)
{
	int rc = run_match(re, subject, len, PCRE2_ANCHORED);

	/* The match starts at 0, so its end is its length (even with \K). */
	if (rc == 1 && out_len)
		*out_len = (size_t)pcre2_get_ovector_pointer(re->md)[1];
	return rc;
}
