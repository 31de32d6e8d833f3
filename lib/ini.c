/*
 * INI as Python 3's configparser.ConfigParser reads it.  The rules below are
 * the observable behaviour of RawConfigParser._read() with the defaults
 * testrepository uses (strict, '=' and ':' delimiters, '#' and ';' full-line
 * comments, empty lines kept in values) and of BasicInterpolation.
 */
#include "config-build.h"

#include <stdbool.h>
#include <string.h>

#include "array.h"
#include "context.h"
#include "ini.h"

struct ini_parser {
	struct testr_ini *ini;
	struct testr_context *ctx;
	const char *file;
	struct testr_ini_section *cur;	/* NULL before the first header */
	bool have_opt;			/* Python's "optname" is set */
	size_t opt;			/* its index in cur->opts */
	size_t indent;			/* indent_level */
	unsigned int line;
	unsigned int bad_line;		/* first line Python's ParsingError lists */
	const char *bad, *bad_end;
	size_t n_options;
};

size_t
py_space(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = (size_t)(end - p);

	if (n == 0)
		return 0;
	if ((u[0] >= 0x09 && u[0] <= 0x0d) || (u[0] >= 0x1c && u[0] <= 0x20))
		return 1;
	if (n >= 2 && u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	if ((u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) ||	/* U+1680 */
	    (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) ||	/* U+3000 */
	    (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f))	/* U+205F */
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x80 &&	/* U+2000-200A, 2028, 2029, 202F */
	    ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 ||
	     u[2] == 0xaf))
		return 3;
	return 0;
}

int
py_split(struct testr_strv *out, const char *s)
{
	const char *p = s, *end = s + strlen(s);

	while (p < end) {
		const char *w;
		size_t k;

		while ((k = py_space(p, end)) > 0)
			p += k;
		for (w = p; w < end && !py_space(w, end); w++)
			;
		if (w > p && testr_strv_pushn(out, p, (size_t)(w - p)) < 0)
			return TESTR_ENOMEM;
		p = w;
	}
	return TESTR_OK;
}

/* Length of the whitespace character ending at @e, or 0. */
static size_t
space_before(const char *start, const char *e)
{
	for (size_t k = 1; k <= 3 && (size_t)(e - start) >= k; k++)
		if (py_space(e - k, e) == k)
			return k;
	return 0;
}

void
py_strip(const char **p, const char **e)
{
	size_t k;

	while ((k = py_space(*p, *e)) > 0)
		*p += k;
	while ((k = space_before(*p, *e)) > 0)
		*e -= k;
}

/* Leading whitespace, counted in characters as Python counts indentation. */
static size_t
indent_of(const char *p, const char *e)
{
	size_t n = 0, k;

	while ((k = py_space(p, e)) > 0) {
		p += k;
		n++;
	}
	return n;
}

static char *
lower_dup(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++)
		s[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] - 'A' + 'a') : p[i];
	s[n] = '\0';
	return s;
}

static int
fail_at(struct ini_parser *ps, unsigned int line, const char *what,
	const char *p, const char *e)
{
	char q[160];

	return context_fail(ps->ctx, TESTR_EPARSE, "%s:%u: %s: %s", ps->file,
			  line, what, testr_quote(q, sizeof(q), p, (size_t)(e - p)));
}

static int
nomem(struct ini_parser *ps)
{
	return context_fail(ps->ctx, TESTR_ENOMEM, "%s: out of memory", ps->file);
}

const struct testr_ini_option *
ini_find(const struct testr_ini_section *sec, const char *name)
{
	for (size_t i = 0; i < sec->n; i++)
		if (strcmp(sec->opts[i].name, name) == 0)
			return &sec->opts[i];
	return NULL;
}

static bool
optname_set(const struct ini_parser *ps)
{
	return ps->cur && ps->have_opt && ps->cur->opts[ps->opt].name[0];
}

/* A continuation (or, for an empty line, "") joins the value with "\n". */
static int
continue_value(struct ini_parser *ps, const char *p, const char *e)
{
	struct strbuf *v = &ps->cur->opts[ps->opt].value;

	if (strbuf_addc(v, '\n') < 0 || strbuf_addn(v, p, (size_t)(e - p)) < 0)
		return nomem(ps);
	if (v->len > TESTR_INI_VALUE_MAX)
		return context_fail(ps->ctx, TESTR_EPARSE, "%s:%u: value too large",
				  ps->file, ps->line);
	return TESTR_OK;
}

static struct testr_ini_section *
find_section(struct testr_ini *ini, const char *name, size_t n)
{
	for (size_t i = 0; i < ini->n; i++)
		if (strlen(ini->sections[i].name) == n &&
		    memcmp(ini->sections[i].name, name, n) == 0)
			return &ini->sections[i];
	return NULL;
}

static int
add_section(struct ini_parser *ps, const char *name, size_t n)
{
	struct testr_ini *ini = ps->ini;
	struct testr_ini_section *s;

	if (array_reserve(&ini->sections, &ini->cap, ini->n + 1,
			  sizeof(*ini->sections), 4))
		return nomem(ps);
	s = &ini->sections[ini->n];
	memset(s, 0, sizeof(*s));
	if (!(s->name = strndup(name, n)))
		return nomem(ps);
	s->line = ps->line;
	ini->n++;
	ps->cur = s;
	return TESTR_OK;
}

/* "[name]": the name runs to the last ']' and is not stripped, as in Python. */
static int
section_header(struct ini_parser *ps, const char *p, const char *e)
{
	const char *close = e - 1;
	size_t n;

	while (*close != ']')
		close--;
	n = (size_t)(close - p - 1);
	ps->have_opt = false;
	if (n == 7 && memcmp(p + 1, "DEFAULT", 7) == 0) {
		/* Re-opening [DEFAULT] is allowed; its options still clash. */
		ps->cur = &ps->ini->defaults;
		return TESTR_OK;
	}
	if (ps->ini->n + ps->n_options >= TESTR_INI_MAX_OPTIONS)
		return context_fail(ps->ctx, TESTR_EPARSE,
				  "%s:%u: too many sections", ps->file, ps->line);
	if (find_section(ps->ini, p + 1, n))
		return fail_at(ps, ps->line, "section already exists", p + 1,
			       close);
	return add_section(ps, p + 1, n);
}

static bool
is_section_header(const char *p, const char *e)
{
	/* Python: \[(?P<header>.+)\] at the start; ']' after at least 1 char. */
	if (e - p < 3 || *p != '[')
		return false;
	for (const char *q = e - 1; q > p + 1; q--)
		if (*q == ']')
			return true;
	return false;
}

static int
push_option(struct ini_parser *ps, char *name, const char *v, const char *ve)
{
	struct testr_ini_section *s = ps->cur;
	struct testr_ini_option *o;

	if (array_reserve(&s->opts, &s->cap, s->n + 1, sizeof(*s->opts), 8)) {
		free(name);
		return nomem(ps);
	}
	o = &s->opts[s->n];
	memset(o, 0, sizeof(*o));
	o->name = name;
	o->line = ps->line;
	s->n++;
	ps->n_options++;
	ps->have_opt = true;
	ps->opt = s->n - 1;
	return strbuf_addn(&o->value, v, (size_t)(ve - v)) < 0 ? nomem(ps) : 0;
}

/* Python's ParsingError is raised at the end; remember the first line. */
static void
defer_error(struct ini_parser *ps, const char *p, const char *e)
{
	if (ps->bad_line)
		return;
	ps->bad_line = ps->line;
	ps->bad = p;
	ps->bad_end = e;
}

/* Strict mode: an option appears once per section. */
static int
check_new_option(struct ini_parser *ps, const char *name)
{
	char q[160];

	if (ini_find(ps->cur, name))
		return context_fail(ps->ctx, TESTR_EPARSE,
				  "%s:%u: option %s in section '%s' already exists",
				  ps->file, ps->line,
				  testr_quote(q, sizeof(q), name, strlen(name)),
				  ps->cur->name);
	if (ps->ini->n + ps->n_options >= TESTR_INI_MAX_OPTIONS)
		return context_fail(ps->ctx, TESTR_EPARSE, "%s:%u: too many options",
				  ps->file, ps->line);
	return TESTR_OK;
}

static int
option_line(struct ini_parser *ps, const char *p, const char *e)
{
	const char *d = p, *ne, *v;
	char *name;
	int rc;

	while (d < e && *d != '=' && *d != ':')
		d++;
	if (d == e) {
		defer_error(ps, p, e);
		return TESTR_OK;
	}
	ne = d;
	v = d + 1;
	py_strip(&p, &ne);
	py_strip(&v, &e);
	if (p == ne)
		defer_error(ps, p, e);	/* no name: Python still stores it */
	if (!(name = lower_dup(p, (size_t)(ne - p))))
		return nomem(ps);
	if ((rc = check_new_option(ps, name)) < 0) {
		free(name);
		return rc;
	}
	return push_option(ps, name, v, e);
}

/* One physical line [p, e) without its line break. */
static int
parse_line(struct ini_parser *ps, const char *p, const char *e)
{
	const char *vp = p, *ve = e;
	size_t indent;

	py_strip(&vp, &ve);
	if (vp == ve || *vp == '#' || *vp == ';') {
		/* An empty line (not a comment) is kept inside a value. */
		if (vp == ve && optname_set(ps))
			return continue_value(ps, vp, ve);
		return TESTR_OK;
	}
	indent = indent_of(p, e);
	if (optname_set(ps) && indent > ps->indent)
		return continue_value(ps, vp, ve);
	ps->indent = indent;
	if (is_section_header(vp, ve))
		return section_header(ps, vp, ve);
	if (!ps->cur)
		return fail_at(ps, ps->line, "File contains no section headers",
			       p, e);
	return option_line(ps, vp, ve);
}

/* '\n'.join(lines).rstrip(), done once every line is in. */
static void
rstrip_values(struct testr_ini_section *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct strbuf *v = &s->opts[i].value;
		const char *e = v->s + v->len;
		size_t k;

		while ((k = space_before(v->s, e)) > 0)
			e -= k;
		v->len = (size_t)(e - v->s);
		v->s[v->len] = '\0';
	}
}

int
ini_parse(struct testr_ini *out, struct testr_context *ctx,
		const char *file, const char *buf, size_t len)
{
	struct ini_parser ps = { .ini = out, .ctx = ctx, .file = file };
	const char *p = buf, *end = buf + len;
	int rc = TESTR_OK;

	memset(out, 0, sizeof(*out));
	if (!(out->defaults.name = strdup("DEFAULT")))
		return nomem(&ps);
	/* Universal newlines, as Python's text mode: \n, \r\n and \r. */
	while (p < end && rc == TESTR_OK) {
		const char *e = p;

		while (e < end && *e != '\n' && *e != '\r')
			e++;
		ps.line++;
		rc = parse_line(&ps, p, e);
		p = (e < end && *e == '\r' && e + 1 < end && e[1] == '\n') ? e + 2 : e + 1;
	}
	if (rc < 0)
		return rc;
	rstrip_values(&out->defaults);
	for (size_t i = 0; i < out->n; i++)
		rstrip_values(&out->sections[i]);
	if (ps.bad_line)
		return fail_at(&ps, ps.bad_line,
			       "parsing error: not a [section] or an option line",
			       ps.bad, ps.bad_end);
	return TESTR_OK;
}

static void
dispose_section(struct testr_ini_section *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->opts[i].name);
		strbuf_dispose(&s->opts[i].value);
	}
	free(s->opts);
	free(s->name);
}

void
ini_dispose(struct testr_ini *ini)
{
	dispose_section(&ini->defaults);
	for (size_t i = 0; i < ini->n; i++)
		dispose_section(&ini->sections[i]);
	free(ini->sections);
	memset(ini, 0, sizeof(*ini));
}

/* ---- BasicInterpolation ---- */

struct interp {
	struct testr_context *ctx;
	const char *file;
	const struct testr_ini_section *sec;
	const struct testr_ini_option *opt;
	struct strbuf out;
	size_t steps;
};

/* Nested references may fan out; bound the work, not just the depth. */
#define INTERP_MAX_STEPS 100000

static int
interp_fail(struct interp *in, const char *what, const char *p, size_t n)
{
	char q[160];

	return context_fail(in->ctx, TESTR_EPARSE, "%s:%u: %s: %s%s", in->file,
			  in->opt->line, in->opt->name, what,
			  p ? testr_quote(q, sizeof(q), p, n) : "");
}

static int
interp_add(struct interp *in, const char *p, size_t n)
{
	if (in->out.len + n > TESTR_INI_VALUE_MAX)
		return interp_fail(in, "value too large after interpolation",
				   NULL, 0);
	if (strbuf_addn(&in->out, p, n) < 0)
		return context_fail(in->ctx, TESTR_ENOMEM, "out of memory");
	return TESTR_OK;
}

static int interp_some(struct interp *in, const char *rest, unsigned depth);

/* "%(name)s" at @rest: append the referenced value; *used gets its length. */
static int
interp_reference(struct interp *in, const char *rest, unsigned depth,
		 size_t *used)
{
	const char *close = strchr(rest + 2, ')');
	const struct testr_ini_option *ref;
	char *name;

	if (!close || close == rest + 2 || close[1] != 's')
		return interp_fail(in, "bad interpolation variable reference ",
				   rest, strlen(rest));
	*used = (size_t)(close + 2 - rest);
	if (!(name = lower_dup(rest + 2, (size_t)(close - rest - 2))))
		return context_fail(in->ctx, TESTR_ENOMEM, "out of memory");
	ref = ini_find(in->sec, name);
	free(name);
	if (!ref)
		return interp_fail(in, "interpolation key is not a valid option name: ",
				   rest + 2, (size_t)(close - rest - 2));
	if (++in->steps > INTERP_MAX_STEPS)
		return interp_fail(in, "too many interpolation steps", NULL, 0);
	if (strchr(ref->value.s, '%'))
		return interp_some(in, ref->value.s, depth + 1);
	return interp_add(in, ref->value.s, ref->value.len);
}

static int
interp_some(struct interp *in, const char *rest, unsigned depth)
{
	int rc = TESTR_OK;

	if (depth > TESTR_INI_MAX_DEPTH)
		return interp_fail(in, "recursion limit exceeded in value "
				   "substitution, raw value ", in->opt->value.s,
				   in->opt->value.len);
	while (*rest) {
		const char *pct = strchr(rest, '%');
		size_t used = 2;

		if (!pct)
			return interp_add(in, rest, strlen(rest));
		if ((rc = interp_add(in, rest, (size_t)(pct - rest))) < 0)
			return rc;
		rest = pct;
		if (rest[1] == '%')
			rc = interp_add(in, "%", 1);
		else if (rest[1] == '(')
			rc = interp_reference(in, rest, depth, &used);
		else
			rc = interp_fail(in, "'%' must be followed by '%' or '(', "
					 "found: ", rest, strlen(rest));
		if (rc < 0)
			return rc;	/* @used may not be valid then */
		rest += used;
	}
	return rc;
}

int
ini_interpolate(char **out, struct testr_context *ctx, const char *file,
		      const struct testr_ini_section *sec,
		      const struct testr_ini_option *opt)
{
	struct interp in = { ctx, file, sec, opt, STRBUF_INIT, 0 };
	int rc = interp_some(&in, opt->value.s, 1);

	*out = NULL;
	if (rc < 0) {
		strbuf_dispose(&in.out);
		return rc;
	}
	if (!(*out = strbuf_detach(&in.out)))
		return context_fail(ctx, TESTR_ENOMEM, "out of memory");
	return TESTR_OK;
}
