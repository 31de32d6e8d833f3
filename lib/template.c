/*
 * Command templates, expanded as testrepository's TestListingFixture and
 * TestCommand do (re.sub over \$(IDOPTION|IDFILE|IDLIST|LISTOPT) and the
 * instance variables), with ids in $IDLIST shell-quoted when needed and a
 * UTF-8 $IDFILE.
 */
#include "config-build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/config.h>
#include <testr/template.h>

#include "context.h"
#include "fileio.h"
#include "ini.h"
#include "strbuf.h"
#include "template.h"

static int
nomem(struct testr_context *ctx)
{
	return testr_fail(ctx, TESTR_ENOMEM, "out of memory");
}

/* The first variable (in @vars order) whose name starts @s, as a regex
 * alternation picks it. */
static const struct testr_template_var *
variable_at(const char *s, const struct testr_template_var *vars, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(vars[i].name);

		if (len && strncmp(s, vars[i].name, len) == 0)
			return &vars[i];
	}
	return NULL;
}

TESTR_API int
testr_template_expand(char **out, const char *tmpl,
		      const struct testr_template_var *vars, size_t n_vars)
{
	struct strbuf b = STRBUF_INIT;
	const char *p = tmpl;
	int rc = strbuf_addn(&b, "", 0);

	*out = NULL;
	while (rc == 0 && *p) {
		const char *d = strchr(p, '$');
		const struct testr_template_var *v;

		if (!d) {
			rc = strbuf_add(&b, p);
			break;
		}
		rc = strbuf_addn(&b, p, (size_t)(d - p));
		v = variable_at(d + 1, vars, n_vars);
		if (rc == 0 && v) {
			rc = strbuf_add(&b, v->value ? v->value : "");
			p = d + 1 + strlen(v->name);
		} else if (rc == 0) {
			rc = strbuf_addc(&b, '$');	/* left for the shell */
			p = d + 1;
		}
	}
	if (rc < 0) {
		strbuf_dispose(&b);
		return TESTR_ENOMEM;
	}
	*out = strbuf_detach(&b);
	return TESTR_OK;
}

/* Bytes that never need quoting: what Python's shlex.quote leaves alone,
 * plus non-ASCII (UTF-8) so non-ASCII ids stay byte-identical. */
static int
is_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80 ||
	       (c && strchr("_-.,/:=@%+", c) != NULL);
}

static int
shell_quote_into(struct strbuf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int rc = 0;

	while (*u && is_plain(*u))
		u++;
	if (*s && !*u)
		return strbuf_add(b, s);
	rc = strbuf_addc(b, '\'');
	for (const char *p = s; rc == 0 && *p; p++)
		rc = *p == '\'' ? strbuf_add(b, "'\\''") : strbuf_addc(b, *p);
	return rc == 0 ? strbuf_addc(b, '\'') : rc;
}

TESTR_API int
testr_shell_quote(char **out, const char *s)
{
	struct strbuf b = STRBUF_INIT;

	*out = NULL;
	if (shell_quote_into(&b, s) < 0) {
		strbuf_dispose(&b);
		return TESTR_ENOMEM;
	}
	*out = strbuf_detach(&b);
	return *out ? TESTR_OK : TESTR_ENOMEM;
}

/* ---- test_command ---- */

/* What get_run_command() reads before any expansion. */
struct run_template {
	char *tmpl;		/* test_command + args joined with spaces */
	const char *idoption;	/* test_id_option, "" when not used */
	const char *listopt;	/* test_list_option, "" when not used */
};

/* An option a command uses must be set: testrepository's wording. */
static int
required_option(const char **out, struct testr_context *ctx,
		const struct testr_config *cfg, const char *command,
		const char *var, const char *name)
{
	*out = "";
	if (!strstr(command, var))
		return TESTR_OK;
	if (!(*out = testr_config_get(cfg, name)))
		return testr_fail(ctx, TESTR_ENOTFOUND,
				  "No %s option present in .testr.conf", name);
	return TESTR_OK;
}

static int
prepare(struct run_template *rt, struct testr_context *ctx,
	const struct testr_config *cfg, const struct testr_command_options *o)
{
	const char *command = testr_config_get(cfg, "test_command");
	struct strbuf b = STRBUF_INIT;
	int rc;

	if (o && (o->version == 0 || o->version > TESTR_COMMAND_OPTIONS_VERSION))
		return testr_fail(ctx, TESTR_EINVAL,
				  "testr_command_options version %u is not known",
				  o->version);
	if (!command)
		return testr_fail(ctx, TESTR_ENOTFOUND,
				  "No test_command option present in .testr.conf");
	/* Only test_command itself decides which options are required. */
	if ((rc = required_option(&rt->idoption, ctx, cfg, command, "$IDOPTION",
				  "test_id_option")) < 0 ||
	    (rc = required_option(&rt->listopt, ctx, cfg, command, "$LISTOPT",
				  "test_list_option")) < 0)
		return rc;
	rc = strbuf_add(&b, command);
	for (size_t i = 0; o && rc == 0 && i < o->n_args; i++)
		if ((rc = strbuf_addc(&b, ' ')) == 0)
			rc = strbuf_add(&b, o->args[i]);
	if (rc < 0 || !(rt->tmpl = strbuf_detach(&b))) {
		strbuf_dispose(&b);
		return nomem(ctx);
	}
	return TESTR_OK;
}

static void
init_command(struct testr_command *out)
{
	memset(out, 0, sizeof(*out));
	testr_strv_init(&out->ids);
}

TESTR_API void
testr_command_dispose(struct testr_command *cmd)
{
	if (!cmd)
		return;
	if (cmd->id_file)
		unlink(cmd->id_file);
	free(cmd->id_file);
	free(cmd->command);
	testr_strv_dispose(&cmd->ids);
	init_command(cmd);
}

TESTR_API int
testr_command_list(struct testr_command *out, struct testr_context *ctx,
		   const struct testr_config *cfg,
		   const struct testr_command_options *opts)
{
	struct run_template rt = { 0 };
	const char *idlist = testr_config_get(cfg, "test_id_list_default");
	int rc;

	init_command(out);
	if ((rc = prepare(&rt, ctx, cfg, opts)) < 0)
		return rc;
	if (!strstr(rt.tmpl, "$LISTOPT")) {
		free(rt.tmpl);
		return testr_fail(ctx, TESTR_ENOTFOUND,
				  "LISTOPT not configured in .testr.conf");
	}
	{
		const struct testr_template_var vars[] = {
			{ "IDOPTION", "" }, { "IDFILE", "" },
			{ "IDLIST", idlist }, { "LISTOPT", rt.listopt },
		};

		rc = testr_template_expand(&out->command, rt.tmpl, vars, 4);
	}
	free(rt.tmpl);
	return rc < 0 ? nomem(ctx) : TESTR_OK;
}

/* The ids to run: the caller's, else test_id_list_default split (a serial
 * run in testrepository), else none known. */
static int
choose_ids(struct testr_command *out, const struct testr_config *cfg,
	   const struct testr_command_options *opts)
{
	const char *def = testr_config_get(cfg, "test_id_list_default");

	if (opts && opts->ids) {
		out->ids_known = true;
		for (size_t i = 0; i < opts->ids->n; i++)
			if (testr_strv_push(&out->ids, opts->ids->v[i]) < 0)
				return TESTR_ENOMEM;
		return TESTR_OK;
	}
	if (!def || !*def)
		return TESTR_OK;
	out->ids_known = true;
	return testr_py_split(&out->ids, def);
}

/* One id per line, UTF-8 bytes as given; buffered in 64 KiB chunks. */
static int
write_ids(int fd, const struct testr_strv *ids)
{
	struct strbuf b = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < ids->n; i++) {
		if (strbuf_add(&b, ids->v[i]) < 0 || strbuf_addc(&b, '\n') < 0)
			rc = TESTR_ENOMEM;
		else if (b.len >= 65536 || i + 1 == ids->n) {
			rc = fileio_write_all(fd, b.s, b.len) < 0 ? TESTR_EIO : 0;
			b.len = 0;
		}
	}
	strbuf_dispose(&b);
	return rc;
}

static int
check_ids(struct testr_context *ctx, const struct testr_strv *ids)
{
	char q[160];

	for (size_t i = 0; i < ids->n; i++)
		if (strchr(ids->v[i], '\n'))
			return testr_fail(ctx, TESTR_EINVAL,
					  "test id %s holds a newline: it cannot "
					  "be listed in $IDFILE",
					  testr_quote(q, sizeof(q), ids->v[i],
						      strlen(ids->v[i])));
	return TESTR_OK;
}

static int
write_id_file(struct testr_command *out, struct testr_context *ctx,
	      const char *tmpdir)
{
	const char *env = getenv("TMPDIR");
	const char *dir = tmpdir ? tmpdir : (env && *env) ? env : "/tmp";
	char *path = testr_asprintf("%s/testr-ids-XXXXXX", dir);
	int fd, rc;

	if (!path)
		return nomem(ctx);
	if ((fd = mkostemp(path, O_CLOEXEC)) < 0) {
		rc = testr_fail(ctx, TESTR_EIO, "%s: cannot create $IDFILE: %s",
				dir, strerror(errno));
		free(path);
		return rc;
	}
	rc = write_ids(fd, &out->ids);
	if (close(fd) < 0 && rc == 0)
		rc = TESTR_EIO;
	if (rc < 0) {
		unlink(path);
		free(path);
		return testr_fail(ctx, rc, "%s: cannot write $IDFILE", dir);
	}
	out->id_file = path;
	return TESTR_OK;
}

static int
join_quoted(char **out, const struct testr_strv *ids)
{
	struct strbuf b = STRBUF_INIT;
	int rc = strbuf_addn(&b, "", 0);

	for (size_t i = 0; rc == 0 && i < ids->n; i++) {
		if (i)
			rc = strbuf_addc(&b, ' ');
		if (rc == 0)
			rc = shell_quote_into(&b, ids->v[i]);
	}
	if (rc < 0) {
		strbuf_dispose(&b);
		return TESTR_ENOMEM;
	}
	*out = strbuf_detach(&b);
	return TESTR_OK;
}

/* Ids known: $IDOPTION is test_id_option with $IDFILE and $IDLIST filled. */
static int
expand_with_ids(struct testr_command *out, const struct run_template *rt)
{
	char *idlist = NULL, *idoption = NULL;
	int rc = join_quoted(&idlist, &out->ids);
	struct testr_template_var vars[] = {
		{ "IDOPTION", "" }, { "IDFILE", out->id_file },
		{ "IDLIST", idlist }, { "LISTOPT", "" },
	};

	vars[2].value = idlist;
	if (rc == 0)
		rc = testr_template_expand(&idoption, rt->idoption, vars, 4);
	vars[0].value = idoption;
	if (rc == 0)
		rc = testr_template_expand(&out->command, rt->tmpl, vars, 4);
	free(idlist);
	free(idoption);
	return rc;
}

TESTR_API int
testr_command_run(struct testr_command *out, struct testr_context *ctx,
		  const struct testr_config *cfg,
		  const struct testr_command_options *opts)
{
	struct run_template rt = { 0 };
	const struct testr_template_var none[] = {
		{ "IDOPTION", "" }, { "IDFILE", "" },
		{ "IDLIST", "" }, { "LISTOPT", "" },
	};
	int rc;

	init_command(out);
	if ((rc = prepare(&rt, ctx, cfg, opts)) < 0)
		return rc;
	if ((rc = choose_ids(out, cfg, opts)) < 0)
		rc = nomem(ctx);
	else if (!out->ids_known)
		rc = testr_template_expand(&out->command, rt.tmpl, none, 4);
	else if ((rc = check_ids(ctx, &out->ids)) == 0 &&
		 (rc = write_id_file(out, ctx, opts ? opts->tmpdir : NULL)) == 0)
		rc = expand_with_ids(out, &rt);
	free(rt.tmpl);
	if (rc == TESTR_ENOMEM)
		nomem(ctx);
	if (rc < 0)
		testr_command_dispose(out);
	return rc;
}

/* ---- instances ---- */

int
instance_provision_expand(char **out, const char *tmpl, size_t count)
{
	char n[32];
	struct testr_template_var var = { "INSTANCE_COUNT", n };

	snprintf(n, sizeof(n), "%zu", count);
	return testr_template_expand(out, tmpl, &var, 1);
}

int
instance_execute_expand(char **out, const char *tmpl, const char *instance_id,
			const char *command, const char *files)
{
	const struct testr_template_var vars[] = {
		{ "INSTANCE_ID", instance_id }, { "COMMAND", command },
		{ "FILES", files },
	};

	return testr_template_expand(out, tmpl, vars, 3);
}

int
instance_dispose_expand(char **out, const char *tmpl,
			const struct testr_strv *ids)
{
	struct testr_strv sorted = TESTR_STRV_INIT;
	struct strbuf b = STRBUF_INIT;
	struct testr_template_var var = { "INSTANCE_IDS", NULL };
	int rc = strbuf_addn(&b, "", 0);

	*out = NULL;
	for (size_t i = 0; rc == 0 && i < ids->n; i++)
		rc = testr_strv_push(&sorted, ids->v[i]);
	/* strcmp on UTF-8 sorts by code point, as Python's sorted() does. */
	testr_strv_sort_unique(&sorted);
	for (size_t i = 0; rc == 0 && i < sorted.n; i++)
		if ((rc = i ? strbuf_addc(&b, ' ') : 0) == 0)
			rc = strbuf_add(&b, sorted.v[i]);
	var.value = b.s;
	if (rc == 0)
		rc = testr_template_expand(out, tmpl, &var, 1);
	testr_strv_dispose(&sorted);
	strbuf_dispose(&b);
	return rc < 0 ? TESTR_ENOMEM : TESTR_OK;
}

TESTR_API int
testr_instance_provision_command(char **out, struct testr_context *ctx,
				 const struct testr_config *cfg,
				 unsigned int count)
{
	const char *tmpl = testr_config_get(cfg, "instance_provision");

	*out = NULL;
	if (!tmpl)
		return testr_fail(ctx, TESTR_ENOTFOUND,
				  "instance_provision is not configured");
	return instance_provision_expand(out, tmpl, count) < 0 ? nomem(ctx) : 0;
}

TESTR_API int
testr_instance_execute_command(char **out, struct testr_context *ctx,
			       const struct testr_config *cfg,
			       const char *instance_id, const char *command,
			       const char *files)
{
	const char *tmpl = testr_config_get(cfg, "instance_execute");

	*out = NULL;
	if (!tmpl)	/* no wrapper configured: the command runs as is */
		return (*out = strdup(command)) ? TESTR_OK : nomem(ctx);
	return instance_execute_expand(out, tmpl, instance_id, command,
				       files) < 0 ? nomem(ctx) : 0;
}

TESTR_API int
testr_instance_dispose_command(char **out, struct testr_context *ctx,
			       const struct testr_config *cfg,
			       const struct testr_strv *ids)
{
	const char *tmpl = testr_config_get(cfg, "instance_dispose");

	*out = NULL;
	if (!tmpl)
		return testr_fail(ctx, TESTR_ENOTFOUND,
				  "instance_dispose is not configured");
	return instance_dispose_expand(out, tmpl, ids) < 0 ? nomem(ctx) : 0;
}
