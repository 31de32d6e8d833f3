/* suite: read a test list (meson, ctest or plain) into struct exec_test. */
#include "suite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct loader {
	const char *path;
	char *err;
	size_t errlen;
	double default_timeout;
	struct exec_suite *suite;
};

static int
bad(struct loader *l, unsigned line, const char *what, const char *value)
{
	if (line)
		snprintf(l->err, l->errlen, "%s:%u: %s '%s'", l->path, line,
			 what, value);
	else
		snprintf(l->err, l->errlen, "%s: %s '%s'", l->path, what,
			 value);
	return -1;
}

static int
nomem(struct loader *l)
{
	snprintf(l->err, l->errlen, "%s: %s", l->path, strerror(ENOMEM));
	return -1;
}

static struct exec_test *
new_test(struct loader *l)
{
	struct exec_suite *s = l->suite;
	struct exec_test *t = realloc(s->tests, (s->n + 1) * sizeof(*t));

	if (!t)
		return NULL;
	s->tests = t;
	t = &s->tests[s->n++];
	memset(t, 0, sizeof(*t));
	t->timeout = l->default_timeout;
	t->skip_code = 77;
	return t;
}

static int
read_file(struct loader *l, char **out, size_t *len)
{
	FILE *f = fopen(l->path, "re");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		snprintf(l->err, l->errlen, "%s: %s", l->path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - n < 65536) {
			char *b = realloc(buf, cap = cap * 2 + 65536);

			if (!b) {
				free(buf);
				fclose(f);
				return nomem(l);
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0)
			break;
	}
	buf[n] = '\0';
	if (ferror(f)) {
		snprintf(l->err, l->errlen, "%s: read error", l->path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

/* ---- plain: "id<TAB>command" lines, # comments and blank lines ---- */

static int
plain_line(struct loader *l, char *line, unsigned lineno)
{
	char *tab = strchr(line, '\t');
	struct exec_test *t;

	if (!tab || tab == line || !tab[1])
		return bad(l, lineno, "expected id<TAB>command, got", line);
	*tab = '\0';
	if (!(t = new_test(l)))
		return nomem(l);
	t->id = strdup(line);
	t->shell_command = strdup(tab + 1);
	return t->id && t->shell_command ? 0 : nomem(l);
}

static int
load_plain(struct loader *l, char *buf)
{
	unsigned lineno = 0;

	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t n;

		if (nl)
			*nl = '\0';
		lineno++;
		n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n && line[0] != '#' && plain_line(l, line, lineno) != 0)
			return -1;
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* ---- JSON helpers ---- */

static int
strv_from_array(struct loader *l, struct testr_strv *out,
		const struct json *a, const char *what)
{
	if (!a || a->type != JSON_ARRAY)
		return bad(l, 0, "expected an array of strings for", what);
	for (size_t i = 0; i < a->n; i++) {
		if (!json_str(a->items[i]))
			return bad(l, 0, "expected a string in", what);
		if (testr_strv_push(out, a->items[i]->string) != 0)
			return nomem(l);
	}
	return 0;
}

static int
dup_str(struct loader *l, char **out, const struct json *j, const char *what)
{
	if (!j || j->type == JSON_NULL)
		return 0;
	if (!json_str(j))
		return bad(l, 0, "expected a string for", what);
	*out = strdup(j->string);
	return *out ? 0 : nomem(l);
}

/* ---- meson introspect --tests ---- */

static int
meson_env(struct loader *l, struct exec_test *t, const struct json *env)
{
	if (!env || env->type == JSON_NULL)
		return 0;
	if (env->type != JSON_OBJECT)
		return bad(l, 0, "expected an object for env of", t->id);
	for (size_t i = 0; i < env->n; i++) {
		char *kv;
		int rc;

		if (!json_str(env->items[i]))
			return bad(l, 0, "expected a string value in env of",
				   t->id);
		if (asprintf(&kv, "%s=%s", env->keys[i],
			     env->items[i]->string) < 0)
			return nomem(l);
		rc = testr_strv_push(&t->env, kv);
		free(kv);
		if (rc != 0)
			return nomem(l);
	}
	return 0;
}

/* "<first suite>/<name>": meson names repeat across suites. */
static int
meson_id(struct loader *l, struct exec_test *t, const struct json *j)
{
	const char *name = json_str(json_get(j, "name"));
	const struct json *suites = json_get(j, "suite");
	const char *suite = suites && suites->type == JSON_ARRAY &&
			    suites->n ? json_str(suites->items[0]) : NULL;

	if (!name)
		return bad(l, 0, "a test has no", "name");
	if (asprintf(&t->id, "%s%s%s", suite ? suite : "", suite ? "/" : "",
		     name) < 0) {
		t->id = NULL;
		return nomem(l);
	}
	return 0;
}

static int
meson_test(struct loader *l, const struct json *j)
{
	struct exec_test *t = new_test(l);
	const struct json *v;
	const char *proto;

	if (!t)
		return nomem(l);
	if (meson_id(l, t, j) != 0 ||
	    strv_from_array(l, &t->argv, json_get(j, "cmd"), t->id) != 0 ||
	    meson_env(l, t, json_get(j, "env")) != 0 ||
	    dup_str(l, &t->workdir, json_get(j, "workdir"), t->id) != 0)
		return -1;
	if (t->argv.n == 0)
		return bad(l, 0, "empty cmd for", t->id);
	if ((v = json_get(j, "timeout")) && v->type == JSON_NUMBER)
		t->timeout = v->number > 0 ? v->number : 0;
	if ((v = json_get(j, "is_parallel")) && v->type == JSON_BOOL)
		t->serial = !v->boolean;
	if ((v = json_get(j, "should_fail")) && v->type == JSON_BOOL)
		t->should_fail = v->boolean;
	proto = json_str(json_get(j, "protocol"));
	t->tap = proto && strcmp(proto, "tap") == 0;
	return 0;
}

static int
load_meson(struct loader *l, const struct json *doc)
{
	for (size_t i = 0; i < doc->n; i++)
		if (meson_test(l, doc->items[i]) != 0)
			return -1;
	return 0;
}

/* ---- ctest --show-only=json-v1 ---- */

static int
ctest_property(struct loader *l, struct exec_test *t, const char *name,
	       const struct json *v)
{
	if (strcmp(name, "ENVIRONMENT") == 0)
		return strv_from_array(l, &t->env, v, t->id);
	if (strcmp(name, "RESOURCE_LOCK") == 0)
		return strv_from_array(l, &t->locks, v, t->id);
	if (strcmp(name, "WORKING_DIRECTORY") == 0)
		return dup_str(l, &t->workdir, v, t->id);
	if (strcmp(name, "TIMEOUT") == 0 && v->type == JSON_NUMBER)
		t->timeout = v->number > 0 ? v->number : 0;
	else if (strcmp(name, "RUN_SERIAL") == 0 && v->type == JSON_BOOL)
		t->serial = v->boolean;
	else if (strcmp(name, "WILL_FAIL") == 0 && v->type == JSON_BOOL)
		t->should_fail = v->boolean;
	else if (strcmp(name, "SKIP_RETURN_CODE") == 0 &&
		 v->type == JSON_NUMBER)
		t->skip_code = (int)v->number;
	return 0;
}

static int
ctest_test(struct loader *l, const struct json *j)
{
	struct exec_test *t = new_test(l);
	const struct json *props = json_get(j, "properties");

	if (!t)
		return nomem(l);
	if (dup_str(l, &t->id, json_get(j, "name"), "name") != 0)
		return -1;
	if (!t->id)
		return bad(l, 0, "a test has no", "name");
	if (strv_from_array(l, &t->argv, json_get(j, "command"), t->id) != 0)
		return -1;
	if (t->argv.n == 0)	/* a test whose command was not found */
		return bad(l, 0, "no command for", t->id);
	for (size_t i = 0; props && props->type == JSON_ARRAY &&
			   i < props->n; i++) {
		const struct json *p = props->items[i];
		const char *name = json_str(json_get(p, "name"));
		const struct json *v = json_get(p, "value");

		if (name && v && ctest_property(l, t, name, v) != 0)
			return -1;
	}
	return 0;
}

static int
load_ctest(struct loader *l, const struct json *doc)
{
	const struct json *tests = json_get(doc, "tests");

	if (!tests || tests->type != JSON_ARRAY)
		return bad(l, 0, "not ctest json-v1: no", "tests");
	for (size_t i = 0; i < tests->n; i++)
		if (ctest_test(l, tests->items[i]) != 0)
			return -1;
	return 0;
}

static int
load_json(struct loader *l, const char *buf, size_t len,
	  enum exec_format format)
{
	char jerr[128];
	struct json *doc = json_parse(buf, len, jerr, sizeof(jerr));
	int rc;

	if (!doc) {
		snprintf(l->err, l->errlen, "%s:%s", l->path, jerr + 5);
		return -1;
	}
	if (format == EXEC_AUTO)
		format = doc->type == JSON_ARRAY ? EXEC_MESON : EXEC_CTEST;
	if (format == EXEC_MESON && doc->type != JSON_ARRAY)
		rc = bad(l, 0, "not meson introspect --tests output:",
			 "expected an array");
	else
		rc = format == EXEC_MESON ? load_meson(l, doc)
					  : load_ctest(l, doc);
	json_free(doc);
	return rc;
}

/* Ids must be unique: a repeated one gets "#2", "#3", ... */
static int
unique_ids(struct loader *l)
{
	struct exec_suite *s = l->suite;

	for (size_t i = 1; i < s->n; i++) {
		unsigned k = 1;

		for (size_t j = 0; j < i; j++) {
			char *id;

			if (strcmp(s->tests[i].id, s->tests[j].id) != 0)
				continue;
			if (asprintf(&id, "%s#%u", s->tests[i].id, ++k) < 0)
				return nomem(l);
			free(s->tests[i].id);
			s->tests[i].id = id;
			j = (size_t)-1;	/* the new id may repeat too */
		}
	}
	return 0;
}

static bool
looks_json(const char *buf)
{
	buf += strspn(buf, " \t\r\n");
	return *buf == '[' || *buf == '{';
}

int
exec_suite_load(struct exec_suite *out, const char *path,
		enum exec_format format, double default_timeout, char *err,
		size_t errlen)
{
	struct loader l = { path, err, errlen, default_timeout, out };
	char *buf = NULL;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (read_file(&l, &buf, &len) != 0)
		return -1;
	if (format == EXEC_PLAIN || (format == EXEC_AUTO && !looks_json(buf)))
		rc = load_plain(&l, buf);
	else
		rc = load_json(&l, buf, len, format);
	if (rc == 0)
		rc = unique_ids(&l);
	free(buf);
	if (rc != 0)
		exec_suite_dispose(out);
	return rc;
}

void
exec_suite_dispose(struct exec_suite *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct exec_test *t = &s->tests[i];

		free(t->id);
		free(t->shell_command);
		free(t->workdir);
		testr_strv_dispose(&t->argv);
		testr_strv_dispose(&t->env);
		testr_strv_dispose(&t->locks);
	}
	free(s->tests);
	memset(s, 0, sizeof(*s));
}

const struct exec_test *
exec_suite_find(const struct exec_suite *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->tests[i].id, id) == 0)
			return &s->tests[i];
	return NULL;
}
