/*
 * Private: an INI reader with Python 3 configparser.ConfigParser semantics
 * (strict=True, default delimiters and comment prefixes, no inline comments,
 * empty lines kept inside values, BasicInterpolation at lookup time).
 */
#ifndef TESTR_LIB_INI_H
#define TESTR_LIB_INI_H

#include <stddef.h>

#include <testr/common.h>

#include "strbuf.h"

/* Python's MAX_INTERPOLATION_DEPTH. */
#define TESTR_INI_MAX_DEPTH 10

/* No value may grow beyond this through interpolation (a "billion laughs"
 * config must fail cleanly, not eat the machine). */
#define TESTR_INI_VALUE_MAX (64u << 20)

/* More options than this in one file is taken for garbage. */
#define TESTR_INI_MAX_OPTIONS 10000

struct testr_ini_option {
	char *name;		/* lower-cased (ASCII) */
	struct strbuf value;	/* raw: continuation lines joined with "\n" */
	unsigned int line;	/* where the option starts */
};

struct testr_ini_section {
	char *name;
	unsigned int line;
	struct testr_ini_option *opts;
	size_t n;
	size_t cap;
};

struct testr_ini {
	struct testr_ini_section defaults;	/* [DEFAULT], possibly empty */
	struct testr_ini_section *sections;	/* the others, in file order */
	size_t n;
	size_t cap;
};

/*
 * Parse the @len bytes at @buf (UTF-8, read from @file, which names it in
 * errors).  Fills *out, which the caller releases with ini_dispose()
 * whatever the result.  Returns 0, TESTR_EPARSE (message on @ctx: file, line,
 * what is wrong, as Python would refuse it) or TESTR_ENOMEM.
 */
int ini_parse(struct testr_ini *out, struct testr_context *ctx,
		    const char *file, const char *buf, size_t len);

void ini_dispose(struct testr_ini *ini);

/* The option @name (lower case) of @sec, or NULL. */
const struct testr_ini_option *
ini_find(const struct testr_ini_section *sec, const char *name);

/*
 * The value of @opt with %(name)s and %% expanded against @sec, as Python's
 * BasicInterpolation does for parser.get(): *out is malloc'd.  Returns 0,
 * TESTR_EPARSE naming @file, the option's line and name, or TESTR_ENOMEM.
 */
int ini_interpolate(char **out, struct testr_context *ctx,
			  const char *file, const struct testr_ini_section *sec,
			  const struct testr_ini_option *opt);

/*
 * Byte length of the character at @p (before @end) when Python's
 * str.isspace() holds for it, else 0.  Used wherever Python strips or splits.
 */
size_t py_space(const char *p, const char *end);

/* Python's str.strip() on the text [*p, *e): moves both ends inwards. */
void py_strip(const char **p, const char **e);

/* Append the words of @s to @out as Python's s.split() finds them.
 * 0 or TESTR_ENOMEM. */
int py_split(struct testr_strv *out, const char *s);

#endif
