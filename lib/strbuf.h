/*
 * Private: a growable NUL-terminated byte buffer, for building values and
 * command lines.  Header-only: every function is small.
 */
#ifndef TESTR_LIB_STRBUF_H
#define TESTR_LIB_STRBUF_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <testr/common.h>

struct strbuf {
	char *s;	/* NULL until something is added */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

/* Make room for @n more bytes plus the NUL.  0 or TESTR_ENOMEM. */
static inline int
strbuf_reserve(struct strbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 64;
	char *s;

	if (n > SIZE_MAX / 2 - b->len)
		return TESTR_ENOMEM;
	if (b->len + n < b->cap)
		return TESTR_OK;
	while (cap <= b->len + n)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s)
		return TESTR_ENOMEM;
	b->s = s;
	b->cap = cap;
	return TESTR_OK;
}

static inline int
strbuf_addn(struct strbuf *b, const char *s, size_t n)
{
	if (strbuf_reserve(b, n) < 0)
		return TESTR_ENOMEM;
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return TESTR_OK;
}

static inline int
strbuf_add(struct strbuf *b, const char *s)
{
	return strbuf_addn(b, s, strlen(s));
}

static inline int
strbuf_addc(struct strbuf *b, char c)
{
	return strbuf_addn(b, &c, 1);
}

/* Hand the string over to the caller ("" when empty); leaves @b empty. */
static inline char *
strbuf_detach(struct strbuf *b)
{
	char *s = b->s ? b->s : strdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

static inline void
strbuf_dispose(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

#endif
