/* json: a small recursive-descent JSON reader (RFC 8259), no dependencies. */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper nesting than any test list has; bounds the recursion. */
#define JSON_MAX_DEPTH 64

struct parser {
	const char *p, *end;
	unsigned line;
	char *err;
	size_t errlen;
	bool failed;
};

static void
fail(struct parser *ps, const char *what)
{
	if (ps->failed)
		return;
	ps->failed = true;
	snprintf(ps->err, ps->errlen, "line %u: %s", ps->line, what);
}

static void
skip_ws(struct parser *ps)
{
	for (; ps->p < ps->end; ps->p++) {
		if (*ps->p == '\n')
			ps->line++;
		else if (*ps->p != ' ' && *ps->p != '\t' && *ps->p != '\r')
			return;
	}
}

static struct json *
node(enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	if (j)
		j->type = type;
	return j;
}

void
json_free(struct json *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++) {
		json_free(j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->string);
	free(j);
}

static struct json *value(struct parser *ps, unsigned depth);

static int
hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t
utf8_put(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* \uXXXX, with a surrogate pair when there is one; *o advanced. */
static int
unicode_escape(struct parser *ps, char **o)
{
	unsigned cp, lo;

	if (ps->end - ps->p < 5 || hex4(ps->p + 1, &cp) != 0)
		return -1;
	ps->p += 4;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (ps->end - ps->p < 7 || ps->p[1] != '\\' || ps->p[2] != 'u' ||
		    hex4(ps->p + 3, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
			return -1;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		ps->p += 6;
	} else if (cp >= 0xdc00 && cp <= 0xdfff) {
		return -1;
	}
	*o += utf8_put(*o, cp);
	return 0;
}

static int
escape(struct parser *ps, char **o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (ps->p >= ps->end)
		return -1;
	if (*ps->p == 'u')
		return unicode_escape(ps, o);
	k = strchr(from, *ps->p);
	if (!k || !*k)
		return -1;
	*(*o)++ = to[k - from];
	return 0;
}

/* A string at ps->p (on the opening quote); NULL on error. */
static char *
string(struct parser *ps)
{
	/* Decoded text is never longer than the source. */
	const char *close = ps->p + 1;
	char *out, *o;

	while (close < ps->end && *close != '"')
		close += *close == '\\' ? 2 : 1;
	if (close >= ps->end) {
		fail(ps, "unterminated string");
		return NULL;
	}
	out = o = malloc((size_t)(close - ps->p) + 4);
	if (!out) {
		fail(ps, "out of memory");
		return NULL;
	}
	for (ps->p++; ps->p < close; ps->p++) {
		if ((unsigned char)*ps->p < 0x20) {
			fail(ps, "control character in string");
			break;
		}
		if (*ps->p != '\\')
			*o++ = *ps->p;
		else if (ps->p++, escape(ps, &o) != 0) {
			fail(ps, "bad escape in string");
			break;
		}
	}
	*o = '\0';
	ps->p = close + 1;
	if (ps->failed) {
		free(out);
		return NULL;
	}
	return out;
}

static int
push(struct json *j, char *key, struct json *item)
{
	struct json **items = realloc(j->items, (j->n + 1) * sizeof(*items));
	char **keys;

	if (!items)
		return -1;
	j->items = items;
	if (j->type == JSON_OBJECT) {
		keys = realloc(j->keys, (j->n + 1) * sizeof(*keys));
		if (!keys)
			return -1;
		j->keys = keys;
		j->keys[j->n] = key;
	}
	j->items[j->n++] = item;
	return 0;
}

/* One member: "key": value.  Returns -1 on error. */
static int
member(struct parser *ps, struct json *obj, unsigned depth)
{
	char *key;
	struct json *v;

	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != '"') {
		fail(ps, "expected a string key");
		return -1;
	}
	if (!(key = string(ps)))
		return -1;
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != ':') {
		free(key);
		fail(ps, "expected ':'");
		return -1;
	}
	ps->p++;
	v = value(ps, depth + 1);
	if (!v || push(obj, key, v) != 0) {
		free(key);
		json_free(v);
		fail(ps, "out of memory");
		return -1;
	}
	return 0;
}

/* An array or object after its opening bracket. */
static struct json *
container(struct parser *ps, enum json_type type, unsigned depth)
{
	char close = type == JSON_ARRAY ? ']' : '}';
	struct json *j = node(type), *v;

	if (!j)
		return fail(ps, "out of memory"), NULL;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return j;
	}
	for (;;) {
		if (type == JSON_OBJECT) {
			if (member(ps, j, depth) != 0)
				break;
		} else if (!(v = value(ps, depth + 1)) || push(j, NULL, v)) {
			json_free(v);
			fail(ps, "out of memory");
			break;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return j;
		}
		fail(ps, type == JSON_ARRAY ? "expected ',' or ']'"
					    : "expected ',' or '}'");
		break;
	}
	json_free(j);
	return NULL;
}

static struct json *
number(struct parser *ps)
{
	char buf[64], *e;
	size_t n = 0;
	struct json *j;

	while (ps->p + n < ps->end && n < sizeof(buf) - 1 &&
	       strchr("+-0123456789.eE", ps->p[n]))
		n++;
	memcpy(buf, ps->p, n);
	buf[n] = '\0';
	j = node(JSON_NUMBER);
	if (!j)
		return fail(ps, "out of memory"), NULL;
	j->number = strtod(buf, &e);
	if (n == 0 || *e) {
		json_free(j);
		return fail(ps, "bad number"), NULL;
	}
	ps->p += n;
	return j;
}

static struct json *
literal(struct parser *ps, const char *word, enum json_type type, bool b)
{
	size_t n = strlen(word);
	struct json *j;

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return fail(ps, "unexpected character"), NULL;
	ps->p += n;
	if (!(j = node(type)))
		return fail(ps, "out of memory"), NULL;
	j->boolean = b;
	return j;
}

static struct json *
value(struct parser *ps, unsigned depth)
{
	struct json *j;

	skip_ws(ps);
	if (depth > JSON_MAX_DEPTH)
		return fail(ps, "nested too deeply"), NULL;
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end of input"), NULL;
	switch (*ps->p) {
	case '{': ps->p++; return container(ps, JSON_OBJECT, depth);
	case '[': ps->p++; return container(ps, JSON_ARRAY, depth);
	case 't': return literal(ps, "true", JSON_BOOL, true);
	case 'f': return literal(ps, "false", JSON_BOOL, false);
	case 'n': return literal(ps, "null", JSON_NULL, false);
	case '"':
		if (!(j = node(JSON_STRING)))
			return fail(ps, "out of memory"), NULL;
		if (!(j->string = string(ps))) {
			free(j);
			return NULL;
		}
		return j;
	default:
		return number(ps);
	}
}

struct json *
json_parse(const char *s, size_t len, char *err, size_t errlen)
{
	struct parser ps = { s, s + len, 1, err, errlen, false };
	struct json *j = value(&ps, 0);

	skip_ws(&ps);
	if (j && ps.p != ps.end) {
		fail(&ps, "trailing data after the document");
		json_free(j);
		j = NULL;
	}
	return j;
}

const struct json *
json_get(const struct json *j, const char *key)
{
	if (!j || j->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < j->n; i++)
		if (strcmp(j->keys[i], key) == 0)
			return j->items[i];
	return NULL;
}

const char *
json_str(const struct json *j)
{
	return j && j->type == JSON_STRING ? j->string : NULL;
}
