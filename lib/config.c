/*
 * Loading .testr.conf: read the file, check it is text, detect the syntax,
 * and fill the one libconfuse option table (which validates every value)
 * from either the INI reader or libconfuse's own parser.
 */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <confuse.h>

#include <testr/config.h>

#include "array.h"
#include "config.h"
#include "context.h"
#include "ini.h"
#include "regex.h"
#include "strbuf.h"

/* A config file larger than this is not a config file. */
#define CONFIG_FILE_MAX (64u << 20)

struct config_entry {
	char *name;		/* lower case */
	char *value;
	unsigned int line;	/* 0: not known */
};

struct testr_config {
	char *path;
	enum testr_config_syntax syntax;
	struct config_entry *entries;
	size_t n;
	size_t cap;
	struct testr_regex *group_regex;	/* NULL: no grouping */
};

/* Every option testrepository's .testr.conf help documents. */
static const char *const known_options[] = {
	"test_command", "test_id_option", "test_list_option",
	"test_id_list_default", "test_run_concurrency", "filter_tags",
	"group_regex", "instance_provision", "instance_execute",
	"instance_dispose", "test_format", "test_schedule",
	/* libtestr's own: how long a test and each hook may run. */
	"test_list_timeout", "test_run_concurrency_timeout",
	"instance_provision_timeout", "instance_dispose_timeout",
	"test_timeout", "test_idle_timeout", "test_run_timeout",
	"test_timeout_floor", "test_timeout_factor", "test_max_restarts",
	/* libtestr's own: pull mode, ids fed to the runner as it goes. */
	"test_feed", "test_feed_option",
	/* ... how often a failed test runs again, when a run gives up. */
	"test_retry", "test_max_failures",
};
#define N_KNOWN (sizeof(known_options) / sizeof(known_options[0]))

/* State of one load, reachable from libconfuse's callbacks. */
struct loader {
	struct testr_context *ctx;
	struct testr_config *cfg;
	cfg_t *table;
	int rc;				/* first error, 0 if none */
	char confuse_msg[512];		/* libconfuse's last complaint */
	unsigned int confuse_line;
	unsigned int lines[N_KNOWN];	/* where each known option was set */
	const char *confuse_text;	/* the text libconfuse is parsing */
};

/*
 * libconfuse's error and validation callbacks get no user pointer, so the
 * load in progress on this thread is found here.  Set only for the duration
 * of a libconfuse call; not shared between threads.
 */
static _Thread_local struct loader *current_loader;

static int
known_index(const char *name)
{
	for (size_t i = 0; i < N_KNOWN; i++)
		if (strcasecmp(known_options[i], name) == 0)
			return (int)i;
	return -1;
}

/* Record the load's first error: "FILE[:LINE]: MSG[DETAIL]". */
static int
loader_fail(struct loader *ld, int code, unsigned int line, const char *msg,
	    const char *detail)
{
	char where[64] = "";

	if (ld->rc)
		return ld->rc;	/* keep the first error */
	if (line)
		snprintf(where, sizeof(where), ":%u", line);
	ld->rc = context_fail(ld->ctx, code, "%s%s: %s%s", ld->cfg->path, where,
			    msg, detail ? detail : "");
	return ld->rc;
}

/*
 * Only remembered: libconfuse also complains "no such option" about the
 * unknown options it then keeps, so a message is an error only when the
 * parse fails.
 */
static void TESTR_PRINTF(2, 0)
on_confuse_error(cfg_t *table, const char *fmt, va_list ap)
{
	struct loader *ld = current_loader;

	if (!ld)
		return;
	vsnprintf(ld->confuse_msg, sizeof(ld->confuse_msg), fmt, ap);
	ld->confuse_line = (unsigned int)table->line;
}

/*
 * libconfuse's own line counter may already be past the option when it
 * calls back, and it keeps none for unknown options: find the line.
 */
static unsigned int
line_of(const char *buf, const char *name)
{
	size_t n = strlen(name);
	unsigned int line = 1;

	for (const char *p = buf; p; line++) {
		p += strspn(p, " \t");
		if (strncasecmp(p, name, n) == 0 && p[n] && strchr(" \t=+", p[n]))
			return line;
		if ((p = strchr(p, '\n')))
			p++;
	}
	return 0;
}

/* An option with a fixed set of values: @choices, NULL-terminated.  The
 * formats a runner may speak are the names
 * testr_ingest_protocol_from_name() knows; the schedules, run.c's. */
static int
check_choice(struct loader *ld, const char *name, const char *value,
	     unsigned int line, const char *const *choices)
{
	char detail[192], prefix[64];
	size_t used;

	for (size_t i = 0; choices[i]; i++)
		if (strcmp(value, choices[i]) == 0)
			return TESTR_OK;
	used = (size_t)snprintf(detail, sizeof(detail), "unknown %s '%.60s' "
				"(expected", strcmp(name, "test_format") == 0 ?
				"format" : "value", value);
	for (size_t i = 0; choices[i] && used < sizeof(detail); i++)
		used += (size_t)snprintf(detail + used, sizeof(detail) - used,
					 "%s%s", i == 0 ? " " : choices[i + 1] ?
					 ", " : " or ", choices[i]);
	if (used < sizeof(detail))
		snprintf(detail + used, sizeof(detail) - used, ")");
	snprintf(prefix, sizeof(prefix), "%s: ", name);
	return loader_fail(ld, TESTR_EPARSE, line, prefix, detail);
}

static const char *const formats[] = { "subunit", "tap", NULL };
static const char *const schedules[] = { "auto", "static", "batches", NULL };
static const char *const feeds[] = { "file", "stdin", "fifo", NULL };

/* A timeout: seconds, >= 0 and finite (0: no limit); -1 for "auto". */
static bool
parse_seconds(double *out, const char *value, bool auto_ok)
{
	char *end;

	if (auto_ok && strcmp(value, "auto") == 0) {
		*out = -1;
		return true;
	}
	errno = 0;
	*out = strtod(value, &end);
	return end != value && !*end && !errno && *out >= 0 &&
	       *out < 1e9 && value[strspn(value, "0123456789.")] == '\0';
}

/* Options holding a number of seconds (or, for the factor, a plain
 * non-negative number): every *_timeout, and --timeout auto's knobs. */
static bool
is_timeout_option(const char *name)
{
	size_t n = strlen(name);

	return (n > 8 && strcmp(name + n - 8, "_timeout") == 0) ||
	       strcmp(name, "test_timeout_floor") == 0 ||
	       strcmp(name, "test_timeout_factor") == 0;
}

static int
check_seconds(struct loader *ld, const char *name, const char *value,
	      unsigned int line)
{
	bool auto_ok = strcmp(name, "test_timeout") == 0;
	bool factor = strcmp(name, "test_timeout_factor") == 0;
	char detail[160], q[64];
	double ignored;

	if (parse_seconds(&ignored, value, auto_ok))
		return TESTR_OK;
	snprintf(detail, sizeof(detail), "%s is not a number%s%s",
		 testr_quote(q, sizeof(q), value, strlen(value)),
		 factor ? "" : " of seconds", auto_ok ? " or auto" : "");
	snprintf(q, sizeof(q), "%s: ", name);
	return loader_fail(ld, TESTR_EPARSE, line, q, detail);
}

/* test_max_restarts, test_retry, test_max_failures: a count, 0 to 1000000. */
static int
check_count(struct loader *ld, const char *name, const char *value,
	    unsigned int line)
{
	char detail[160], q[64];
	size_t digits = strspn(value, "0123456789");

	if (digits && digits <= 7 && !value[digits] &&
	    strtoul(value, NULL, 10) <= 1000000)
		return TESTR_OK;
	snprintf(detail, sizeof(detail), "%s is not a count (0 to 1000000)",
		 testr_quote(q, sizeof(q), value, strlen(value)));
	snprintf(q, sizeof(q), "%s: ", name);
	return loader_fail(ld, TESTR_EPARSE, line, q, detail);
}

/* group_regex is compiled now, so a bad one is a load error. */
static int
set_group_regex(struct loader *ld, const char *pattern, unsigned int line)
{
	struct testr_regex *re = NULL;
	char detail[1024];

	regex_free(ld->cfg->group_regex);
	ld->cfg->group_regex = NULL;
	if (!*pattern)
		return TESTR_OK;	/* empty: no grouping, as in Python */
	if (regex_compile(&re, ld->ctx, pattern) < 0) {
		snprintf(detail, sizeof(detail), "%s", testr_context_error(ld->ctx));
		return loader_fail(ld, TESTR_EPARSE, line, "group_regex: ", detail);
	}
	ld->cfg->group_regex = re;
	return TESTR_OK;
}

/* Check @value of known option @name, set on @line. */
static int
check_value(struct loader *ld, const char *name, const char *value,
	    unsigned int line)
{
	if (strcmp(name, "group_regex") == 0)
		return set_group_regex(ld, value, line);
	if (strcmp(name, "test_format") == 0)
		return check_choice(ld, name, value, line, formats);
	if (strcmp(name, "test_schedule") == 0)
		return check_choice(ld, name, value, line, schedules);
	if (strcmp(name, "test_feed") == 0)
		return check_choice(ld, name, value, line, feeds);
	if (is_timeout_option(name))
		return check_seconds(ld, name, value, line);
	if (strcmp(name, "test_max_restarts") == 0 ||
	    strcmp(name, "test_retry") == 0 ||
	    strcmp(name, "test_max_failures") == 0)
		return check_count(ld, name, value, line);
	return TESTR_OK;
}

/* The validation every known option goes through, whatever the syntax. */
static int
validate_option(cfg_t *table, cfg_opt_t *opt)
{
	struct loader *ld = current_loader;
	int k = known_index(cfg_opt_name(opt));

	if (!ld || k < 0)
		return 0;
	ld->lines[k] = ld->confuse_text ? line_of(ld->confuse_text, known_options[k])
					: (unsigned int)table->line;
	return check_value(ld, known_options[k], cfg_opt_getnstr(opt, 0),
			   ld->lines[k]) < 0 ? -1 : 0;
}

static cfg_t *
new_table(void)
{
	cfg_opt_t opts[] = {
		CFG_STR("test_command", NULL, CFGF_NODEFAULT),
		CFG_STR("test_id_option", NULL, CFGF_NODEFAULT),
		CFG_STR("test_list_option", NULL, CFGF_NODEFAULT),
		CFG_STR("test_id_list_default", NULL, CFGF_NODEFAULT),
		CFG_STR("test_run_concurrency", NULL, CFGF_NODEFAULT),
		/* A list in libconfuse syntax; one whitespace-separated
		 * string in INI.  Either way split on whitespace when used. */
		CFG_STR_LIST("filter_tags", NULL, CFGF_NODEFAULT),
		CFG_STR("group_regex", NULL, CFGF_NODEFAULT),
		CFG_STR("instance_provision", NULL, CFGF_NODEFAULT),
		CFG_STR("instance_execute", NULL, CFGF_NODEFAULT),
		CFG_STR("instance_dispose", NULL, CFGF_NODEFAULT),
		CFG_STR("test_format", NULL, CFGF_NODEFAULT),
		CFG_STR("test_schedule", NULL, CFGF_NODEFAULT),
		CFG_STR("test_list_timeout", NULL, CFGF_NODEFAULT),
		CFG_STR("test_run_concurrency_timeout", NULL, CFGF_NODEFAULT),
		CFG_STR("instance_provision_timeout", NULL, CFGF_NODEFAULT),
		CFG_STR("instance_dispose_timeout", NULL, CFGF_NODEFAULT),
		CFG_STR("test_timeout", NULL, CFGF_NODEFAULT),
		CFG_STR("test_idle_timeout", NULL, CFGF_NODEFAULT),
		CFG_STR("test_run_timeout", NULL, CFGF_NODEFAULT),
		CFG_STR("test_timeout_floor", NULL, CFGF_NODEFAULT),
		CFG_STR("test_timeout_factor", NULL, CFGF_NODEFAULT),
		CFG_STR("test_max_restarts", NULL, CFGF_NODEFAULT),
		CFG_STR("test_feed", NULL, CFGF_NODEFAULT),
		CFG_STR("test_feed_option", NULL, CFGF_NODEFAULT),
		CFG_STR("test_retry", NULL, CFGF_NODEFAULT),
		CFG_STR("test_max_failures", NULL, CFGF_NODEFAULT),
		CFG_END()
	};
	/* KEYSTRVAL keeps unknown options as strings instead of failing. */
	cfg_t *table = cfg_init(opts, CFGF_NOCASE | CFGF_KEYSTRVAL);

	if (!table)
		return NULL;
	cfg_set_error_function(table, on_confuse_error);
	for (size_t i = 0; i < N_KNOWN; i++)
		cfg_set_validate_func(table, known_options[i], validate_option);
	return table;
}

static int
add_entry(struct loader *ld, const char *name, const char *value,
	  unsigned int line)
{
	struct testr_config *cfg = ld->cfg;
	struct config_entry *e;

	if (array_reserve(&cfg->entries, &cfg->cap, cfg->n + 1,
			  sizeof(*cfg->entries), 16))
		return loader_fail(ld, TESTR_ENOMEM, 0, "out of memory", NULL);
	e = &cfg->entries[cfg->n];
	e->name = strdup(name);
	e->value = strdup(value);
	e->line = line;
	if (!e->name || !e->value) {
		free(e->name);
		free(e->value);
		return loader_fail(ld, TESTR_ENOMEM, 0, "out of memory", NULL);
	}
	for (char *c = e->name; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	cfg->n++;
	return TESTR_OK;
}

static void
warn_unknown(struct loader *ld, const char *name, unsigned int line)
{
	char q[160], where[32] = "";

	if (line)
		snprintf(where, sizeof(where), ":%u", line);
	context_log(ld->ctx, TESTR_LOG_WARNING, "%s%s: unknown option %s (kept)",
		  ld->cfg->path, where, testr_quote(q, sizeof(q), name, strlen(name)));
}

/* ---- classic INI ---- */

/* Feed one interpolated [DEFAULT] value through the option table. */
static int
feed_known(struct loader *ld, const char *name, const char *value,
	   unsigned int line)
{
	cfg_opt_t *opt = cfg_getopt(ld->table, name);

	ld->table->line = (int)line;
	if (!opt || !cfg_setopt(ld->table, opt, value))
		return loader_fail(ld, TESTR_EPARSE, line, name, ": rejected");
	if (opt->validcb && opt->validcb(ld->table, opt) != 0)
		return loader_fail(ld, TESTR_EPARSE, line, name, ": rejected");
	return add_entry(ld, name, value, line);
}

/*
 * Python only interpolates what testrepository asks for, so a broken
 * unknown option never stopped a run: keep it raw and warn instead.
 */
static int
feed_unknown(struct loader *ld, const struct testr_ini *ini,
	     const struct testr_ini_option *o)
{
	char *value = NULL;
	int rc;

	warn_unknown(ld, o->name, o->line);
	if (ini_interpolate(&value, ld->ctx, ld->cfg->path, &ini->defaults,
				  o) < 0) {
		context_log(ld->ctx, TESTR_LOG_WARNING, "%s",
			  testr_context_error(ld->ctx));
		testr_context_clear_error(ld->ctx);
		return add_entry(ld, o->name, o->value.s, o->line);
	}
	rc = add_entry(ld, o->name, value, o->line);
	free(value);
	return rc;
}

static void
note_ignored_sections(struct loader *ld, const struct testr_ini *ini)
{
	for (size_t i = 0; i < ini->n; i++)
		context_log(ld->ctx, TESTR_LOG_INFO,
			  "%s:%u: section [%s] ignored: testr reads only [DEFAULT]",
			  ld->cfg->path, ini->sections[i].line,
			  ini->sections[i].name);
}

static int
load_ini(struct loader *ld, const char *buf, size_t len)
{
	struct testr_ini ini;
	int rc = ini_parse(&ini, ld->ctx, ld->cfg->path, buf, len);

	for (size_t i = 0; rc == 0 && i < ini.defaults.n; i++) {
		const struct testr_ini_option *o = &ini.defaults.opts[i];
		char *value = NULL;

		if (known_index(o->name) < 0) {
			rc = feed_unknown(ld, &ini, o);
			continue;
		}
		rc = ini_interpolate(&value, ld->ctx, ld->cfg->path,
					   &ini.defaults, o);
		if (rc == 0)
			rc = feed_known(ld, o->name, value, o->line);
		free(value);
	}
	if (rc == 0)
		note_ignored_sections(ld, &ini);
	ini_dispose(&ini);
	ld->rc = ld->rc ? ld->rc : rc;
	return rc;
}

/* ---- libconfuse syntax ---- */

/* An option's values as one string: list elements joined with spaces. */
static char *
joined_value(cfg_opt_t *opt)
{
	struct strbuf b = STRBUF_INIT;
	unsigned int n = cfg_opt_size(opt);

	for (unsigned int i = 0; i < n; i++) {
		const char *s = cfg_opt_getnstr(opt, i);

		if ((i && strbuf_addc(&b, ' ') < 0) ||
		    strbuf_add(&b, s ? s : "") < 0) {
			strbuf_dispose(&b);
			return NULL;
		}
	}
	return strbuf_detach(&b);
}

static int
collect_confuse(struct loader *ld, const char *buf)
{
	unsigned int n = cfg_num(ld->table);
	int rc = TESTR_OK;

	for (unsigned int i = 0; i < n && rc == 0; i++) {
		cfg_opt_t *opt = cfg_getnopt(ld->table, i);
		int k = known_index(cfg_opt_name(opt));
		unsigned int line = k >= 0 ? ld->lines[k]
					   : line_of(buf, cfg_opt_name(opt));
		char *value;

		if (cfg_opt_size(opt) == 0)
			continue;
		if (!(value = joined_value(opt)))
			return loader_fail(ld, TESTR_ENOMEM, 0, "out of memory", NULL);
		if (k < 0)
			warn_unknown(ld, cfg_opt_name(opt), line);
		rc = add_entry(ld, cfg_opt_name(opt), value, line);
		free(value);
	}
	return rc;
}

/* First line that is not blank or a comment, as [p, e). */
static void
first_significant_line(const char *buf, size_t len, const char **p,
		       const char **e)
{
	const char *end = buf + len, *q = buf;

	*p = *e = end;
	while (q < end) {
		const char *s = q, *t = q;

		while (t < end && *t != '\n' && *t != '\r')
			t++;
		q = t + 1;
		while (s < t && (*s == ' ' || *s == '\t' || *s == '\f' || *s == '\v'))
			s++;
		if (s == t || *s == '#' || *s == ';' ||
		    (t - s >= 2 && s[0] == '/' && s[1] == '/'))
			continue;
		*p = s;
		*e = t;
		return;
	}
}

/* `key = value` or `key: value` with a bare value: an INI line. */
static bool
looks_like_ini_option(const char *p, const char *e)
{
	const char *d = memchr(p, '=', (size_t)(e - p));
	const char *c = memchr(p, ':', (size_t)(e - p));

	if (!d || (c && c < d))
		d = c;
	if (!d)
		return false;
	for (d++; d < e && (*d == ' ' || *d == '\t'); d++)
		;
	return d == e || (*d != '"' && *d != '\'' && *d != '{');
}

static int
load_confuse(struct loader *ld, const char *buf, size_t len)
{
	const char *p, *e;
	int rc;

	ld->confuse_text = buf;
	rc = cfg_parse_buf(ld->table, buf);
	ld->confuse_text = NULL;
	if (rc == CFG_SUCCESS && ld->rc == 0)
		return collect_confuse(ld, buf);
	rc = loader_fail(ld, TESTR_EPARSE, ld->confuse_line, ld->confuse_msg[0] ?
			 ld->confuse_msg : "not valid libconfuse syntax", NULL);
	first_significant_line(buf, len, &p, &e);
	if (p < e && looks_like_ini_option(p, e)) {
		/* An INI file missing its header: say what Python would. */
		ld->rc = 0;
		testr_context_clear_error(ld->ctx);
		rc = load_ini(ld, buf, len);
	}
	return rc;
}

/* ---- reading and checking the file ---- */

static int
read_fd(struct loader *ld, int fd, struct strbuf *out)
{
	for (;;) {
		ssize_t n;

		if (strbuf_reserve(out, 65536) < 0)
			return loader_fail(ld, TESTR_ENOMEM, 0, "out of memory", NULL);
		n = read(fd, out->s + out->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return loader_fail(ld, TESTR_EIO, 0, strerror(errno), NULL);
		if (n == 0)
			return TESTR_OK;
		out->len += (size_t)n;
		out->s[out->len] = '\0';
		if (out->len > CONFIG_FILE_MAX)
			return loader_fail(ld, TESTR_EPARSE, 0,
					   "too large for a config file", NULL);
	}
}

static bool
ends_with_testr_conf(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(base ? base + 1 : path, ".testr.conf") == 0;
}

/* Not an errno value: open_failure()'s "is not a regular file". */
#define ENOTREGULAR (-1)

static int
open_failure(struct loader *ld, int err)
{
	const char *path = ld->cfg->path;

	if (err == ENOENT && ends_with_testr_conf(path))
		ld->rc = context_fail(ld->ctx, TESTR_ENOTFOUND,
				    "No .testr.conf config file");
	else if (err == ENOENT)
		ld->rc = context_fail(ld->ctx, TESTR_ENOTFOUND,
				    "No config file %s", path);
	else
		ld->rc = context_fail(ld->ctx, TESTR_EIO,
				    "No .testr.conf config file: %s: %s", path,
				    err == EISDIR ? "is a directory" :
				    err == ENOTREGULAR ? "is not a regular file" :
				    strerror(err));
	return ld->rc;
}

static int
read_file(struct loader *ld, struct strbuf *out)
{
	struct stat st;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(ld->cfg->path,
		      O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int rc;

	if (fd < 0)
		return open_failure(ld, errno);
	if (fstat(fd, &st) < 0)
		rc = open_failure(ld, errno);
	else if (S_ISDIR(st.st_mode))
		rc = open_failure(ld, EISDIR);
	else if (!S_ISREG(st.st_mode))	/* a FIFO or device may never end */
		rc = open_failure(ld, ENOTREGULAR);
	else
		rc = read_fd(ld, fd, out);
	close(fd);
	if (rc == 0 && !out->s && strbuf_addn(out, "", 0) < 0)
		rc = loader_fail(ld, TESTR_ENOMEM, 0, "out of memory", NULL);
	return rc;
}

/* Length of the valid UTF-8 sequence at @s (strict, as Python decodes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t need;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	need = s[0] < 0xe0 ? 1 : s[0] < 0xf0 ? 2 : 3;
	if (s[0] == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;	/* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* beyond U+10FFFF */
	if (n <= need || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i <= need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need + 1;
}

/* A config is UTF-8 text: no NUL bytes, no invalid sequences. */
static int
check_text(struct loader *ld, const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	unsigned int line = 1;

	for (size_t i = 0; i < len;) {
		size_t k = utf8_seq(s + i, len - i);

		if (s[i] == '\0')
			return loader_fail(ld, TESTR_EPARSE, line,
					   "NUL byte: not a text file", NULL);
		if (k == 0)
			return loader_fail(ld, TESTR_EPARSE, line,
					   "not valid UTF-8", NULL);
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			line++;
		i += k;
	}
	return TESTR_OK;
}

/* INI when the first line that is not blank or a comment is a header. */
static enum testr_config_syntax
detect_syntax(const char *buf, size_t len)
{
	const char *p, *e;

	first_significant_line(buf, len, &p, &e);
	return (p == e || *p == '[') ? TESTR_CONFIG_INI : TESTR_CONFIG_CONFUSE;
}

static int
parse_text(struct loader *ld, const char *buf, size_t len)
{
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;	/* Python would choke on a BOM; we skip it */
		len -= 3;
	}
	if (!(ld->table = new_table()))
		return loader_fail(ld, TESTR_ENOMEM, 0, "out of memory", NULL);
	ld->cfg->syntax = detect_syntax(buf, len);
	if (ld->cfg->syntax == TESTR_CONFIG_INI)
		return load_ini(ld, buf, len);
	return load_confuse(ld, buf, len);
}

/* Every value the loaded @cfg holds, for testr -v. */
static void
log_values(struct testr_context *ctx, const struct testr_config *cfg)
{
	for (size_t i = 0; i < cfg->n; i++)
		context_log(ctx, TESTR_LOG_DEBUG, "config: %s:%u: %s=%s",
			  cfg->path, cfg->entries[i].line, cfg->entries[i].name,
			  cfg->entries[i].value);
}

/*
 * One load of @name: from @text (@len bytes, copied so libconfuse gets a C
 * string) or, when @text is NULL, from the file @name.
 */
static int
run_load(struct testr_config **out, struct testr_context *ctx,
	 const char *name, const char *text, size_t len)
{
	struct loader ld = { .ctx = ctx };
	struct strbuf buf = STRBUF_INIT;
	struct loader *saved = current_loader;

	*out = NULL;
	if (!(ld.cfg = calloc(1, sizeof(*ld.cfg))) ||
	    !(ld.cfg->path = strdup(name))) {
		free(ld.cfg);
		return context_fail(ctx, TESTR_ENOMEM, "out of memory");
	}
	current_loader = &ld;
	if (text ? strbuf_addn(&buf, text, len) < 0 : read_file(&ld, &buf) < 0)
		loader_fail(&ld, TESTR_ENOMEM, 0, "out of memory", NULL);
	if (ld.rc == 0 && check_text(&ld, buf.s, buf.len) == 0)
		parse_text(&ld, buf.s, buf.len);
	current_loader = saved;
	if (ld.table)
		cfg_free(ld.table);
	strbuf_dispose(&buf);
	if (ld.rc < 0) {
		testr_config_free(ld.cfg);
		return ld.rc;
	}
	log_values(ctx, ld.cfg);
	*out = ld.cfg;
	return TESTR_OK;
}

TESTR_API int
testr_config_load(struct testr_config **out, struct testr_context *ctx,
		  const char *path)
{
	return run_load(out, ctx, path, NULL, 0);
}

int
config_parse(struct testr_config **out, struct testr_context *ctx,
		   const char *name, const char *text, size_t len)
{
	return run_load(out, ctx, name, text, len);
}

TESTR_API int
testr_config_load_dir(struct testr_config **out, struct testr_context *ctx,
		      const char *dir)
{
	char *path = dir ? str_printf("%s/.testr.conf", dir)
			 : strdup(".testr.conf");
	int rc;

	*out = NULL;
	if (!path)
		return context_fail(ctx, TESTR_ENOMEM, "out of memory");
	rc = testr_config_load(out, ctx, path);
	free(path);
	return rc;
}

TESTR_API void
testr_config_free(struct testr_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].name);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	regex_free(cfg->group_regex);
	free(cfg->path);
	free(cfg);
}

TESTR_API const char *
testr_config_path(const struct testr_config *cfg)
{
	return cfg->path;
}

TESTR_API enum testr_config_syntax
testr_config_syntax(const struct testr_config *cfg)
{
	return cfg->syntax;
}

static const struct config_entry *
find_entry(const struct testr_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && i < cfg->n; i++)
		if (strcasecmp(cfg->entries[i].name, name) == 0)
			return &cfg->entries[i];
	return NULL;
}

TESTR_API const char *
testr_config_get(const struct testr_config *cfg, const char *name)
{
	const struct config_entry *e = find_entry(cfg, name);

	return e ? e->value : NULL;
}

TESTR_API double
testr_config_seconds(const struct testr_config *cfg, const char *name,
		     double fallback)
{
	const char *value = cfg ? testr_config_get(cfg, name) : NULL;
	double v;

	return value && parse_seconds(&v, value, true) ? v : fallback;
}

TESTR_API unsigned int
testr_config_line(const struct testr_config *cfg, const char *name)
{
	const struct config_entry *e = find_entry(cfg, name);

	return e ? e->line : 0;
}

TESTR_API int
testr_config_option(const char **out_name, const char **out_value,
		    const struct testr_config *cfg, size_t index)
{
	if (index >= cfg->n)
		return TESTR_ENOTFOUND;
	*out_name = cfg->entries[index].name;
	*out_value = cfg->entries[index].value;
	return TESTR_OK;
}

TESTR_API int
testr_config_filter_tags(struct testr_strv *out, const struct testr_config *cfg)
{
	const char *tags = testr_config_get(cfg, "filter_tags");

	if (tags && py_split(out, tags) < 0)
		return TESTR_ENOMEM;
	testr_strv_sort_unique(out);
	return TESTR_OK;
}

TESTR_API int
testr_config_group_key(const char **out_key, size_t *out_len,
		       const struct testr_config *cfg, const char *id)
{
	size_t len = strlen(id), m = 0;

	*out_key = id;
	*out_len = len;
	if (!cfg || !cfg->group_regex)
		return 0;
	if (regex_match(&m, cfg->group_regex, id, len) != 1 || m == 0)
		return 0;
	*out_len = m;
	return 1;
}
