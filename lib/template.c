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
#include "shell.h"
#include "strbuf.h"
#include "template.h"

static int
nomem(struct testr_context *ctx)
{
	return context_fail(ctx, TESTR_ENOMEM, "out of memory");
}

/*
 * A variable and how its value is placed.  TV_TEXT goes in as it is (the
 * user's own text, a number).  TV_CODE is shell text testr made (the
 * expanded test command): it is escaped for the quotes it stands in, so
 * the shell that reads those quotes gets it unchanged.  TV_WORDS is data
 * (ids, paths): bare, each word is quoted where needed; inside quotes that
 * read as a command line, the same, escaped for those quotes; inside
 * quotes that read as one piece of text, the words as they are, escaped.
 */
enum tvar_kind { TV_TEXT, TV_CODE, TV_WORDS };

struct tvar {
	const char *name;
	enum tvar_kind kind;
	const char *text;		/* TV_TEXT, TV_CODE; NULL is "" */
	const struct testr_strv *words;	/* TV_WORDS; NULL is none */
};

/* The first variable (in @vars order) whose name starts @s, as a regex
 * alternation picks it. */
static const struct tvar *
variable_at(const char *s, const struct tvar *vars, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(vars[i].name);

		if (len && strncmp(s, vars[i].name, len) == 0)
			return &vars[i];
	}
	return NULL;
}

/* The next variable at or after @from: its '$' is at *@pos. */
static const struct tvar *
next_var(size_t *pos, const char *tmpl, size_t from, const struct tvar *vars,
	 size_t n)
{
	for (const char *d = strchr(tmpl + from, '$'); d; d = strchr(d + 1, '$')) {
		const struct tvar *v = variable_at(d + 1, vars, n);

		if (v) {
			*pos = (size_t)(d - tmpl);
			return v;
		}
	}
	return NULL;
}

/* @words joined with spaces, each one a shell word when @quote. */
static int
join_words(struct strbuf *b, const struct testr_strv *words, bool quote)
{
	int rc = strbuf_addn(b, "", 0);

	for (size_t i = 0; rc == 0 && words && i < words->n; i++) {
		if (i)
			rc = strbuf_addc(b, ' ');
		if (rc == 0)
			rc = quote ? shell_add_word(b, words->v[i])
				   : strbuf_add(b, words->v[i]);
	}
	return rc;
}

static int
add_words(struct strbuf *b, const struct testr_strv *words,
	  const struct shell_spot *spot)
{
	struct strbuf joined = STRBUF_INIT;
	bool bare = spot->level[0] == SHELL_BARE;
	int rc = join_words(bare ? b : &joined, words, bare || spot->command);

	if (rc == 0 && !bare)
		rc = spot->command ? shell_add_for(b, joined.s, spot)
				   : shell_add_escaped(b, joined.s,
						       spot->level[0]);
	strbuf_dispose(&joined);
	return rc;
}

static int
add_value(struct strbuf *b, const struct tvar *v, const char *tmpl, size_t pos)
{
	struct shell_spot spot;
	int rc;

	if (v->kind == TV_TEXT)
		return strbuf_add(b, v->text ? v->text : "");
	if ((rc = shell_spot_at(&spot, tmpl, pos)) < 0)
		return rc;
	if (v->kind == TV_CODE)
		return shell_add_for(b, v->text ? v->text : "", &spot);
	return add_words(b, v->words, &spot);
}

/* Returns 0, TESTR_ENOMEM, or TESTR_EINVAL for quotes nested too deep. */
static int
expand(char **out, const char *tmpl, const struct tvar *vars, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	const struct tvar *v;
	size_t from = 0, pos;
	int rc = strbuf_addn(&b, "", 0);

	*out = NULL;
	while (rc == 0 && (v = next_var(&pos, tmpl, from, vars, n))) {
		rc = strbuf_addn(&b, tmpl + from, pos - from);
		if (rc == 0)
			rc = add_value(&b, v, tmpl, pos);
		from = pos + 1 + strlen(v->name);
	}
	if (rc == 0)
		rc = strbuf_add(&b, tmpl + from);
	if (rc < 0) {
		strbuf_dispose(&b);
		return rc;
	}
	*out = strbuf_detach(&b);
	return *out ? TESTR_OK : TESTR_ENOMEM;
}

TESTR_API int
testr_template_expand(char **out, const char *tmpl,
		      const struct testr_template_var *vars, size_t n_vars)
{
	struct tvar *tv = calloc(n_vars ? n_vars : 1, sizeof(*tv));
	int rc;

	*out = NULL;
	if (!tv)
		return TESTR_ENOMEM;
	for (size_t i = 0; i < n_vars; i++)
		tv[i] = (struct tvar){ vars[i].name, TV_TEXT, vars[i].value, NULL };
	rc = expand(out, tmpl, tv, n_vars);
	free(tv);
	return rc;
}

TESTR_API int
testr_shell_quote(char **out, const char *s)
{
	struct strbuf b = STRBUF_INIT;

	*out = NULL;
	if (strbuf_addn(&b, "", 0) < 0 || shell_add_word(&b, s) < 0) {
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
	struct testr_command_options opts;	/* the caller's, copied */
	const struct testr_command_options *o;	/* &opts, or NULL: none */
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
		return context_fail(ctx, TESTR_ENOTFOUND,
				  "No %s option present in .testr.conf", name);
	return TESTR_OK;
}

/* The bytes of each version of struct testr_command_options. */
static const size_t command_options_sizes[] = {
	OPTIONS_END(testr_command_options, tmpdir),
};

static int
prepare(struct run_template *rt, struct testr_context *ctx,
	const struct testr_config *cfg, const struct testr_command_options *o,
	const char *idoption)
{
	const char *command = testr_config_get(cfg, "test_command");
	struct strbuf b = STRBUF_INIT;
	int rc;

	rt->opts = (struct testr_command_options)TESTR_COMMAND_OPTIONS_INIT;
	rc = OPTIONS_COPY(ctx, &rt->opts, o, testr_command_options,
			  command_options_sizes);
	if (rc < 0)
		return rc;
	rt->o = o = o ? &rt->opts : NULL;
	if (!command)
		return context_fail(ctx, TESTR_ENOTFOUND,
				  "No test_command option present in .testr.conf");
	/* Only test_command itself decides which options are required. */
	if ((rc = required_option(&rt->idoption, ctx, cfg, command, "$IDOPTION",
				  idoption)) < 0 ||
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
	testr_strv_init(&out->refused);
	testr_strv_init(&out->reasons);
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
	testr_strv_dispose(&cmd->refused);
	testr_strv_dispose(&cmd->reasons);
	init_command(cmd);
}

/* The variables of test_command and test_id_option, in testrepository's
 * order; the values are filled in by each use. */
#define RUN_VARS(idoption, idfile, idlist, listopt, idpipe) { \
	{ "IDOPTION", TV_CODE, (idoption), NULL }, \
	{ "IDFILE", TV_WORDS, NULL, (idfile) }, \
	{ "IDLIST", TV_WORDS, NULL, (idlist) }, \
	{ "LISTOPT", TV_TEXT, (listopt), NULL }, \
	{ "IDPIPE", TV_WORDS, NULL, (idpipe) }, \
}
#define N_RUN_VARS 5

/* The error of template @option that failed to expand with @rc. */
static int
expand_error(struct testr_context *ctx, const char *option, int rc)
{
	if (rc == TESTR_EINVAL)
		return context_fail(ctx, rc, "%s: quotes nest more than %d deep: "
				  "testr cannot tell how to quote a value there",
				  option, SHELL_LEVELS_MAX);
	return rc < 0 ? nomem(ctx) : TESTR_OK;
}

static int
expand_option(char **out, struct testr_context *ctx, const char *option,
	      const char *tmpl, const struct tvar *vars, size_t n)
{
	return expand_error(ctx, option, expand(out, tmpl, vars, n));
}

/* The option $IDOPTION needs for a listing: a runner that only pulls its
 * ids (test_feed, no test_id_option) lists with test_feed_option set. */
static const char *
listing_idoption(const struct testr_config *cfg)
{
	const char *feed = testr_config_get(cfg, "test_feed");

	if (!testr_config_get(cfg, "test_id_option") && feed &&
	    strcmp(feed, "file") != 0)
		return "test_feed_option";
	return "test_id_option";
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
	if ((rc = prepare(&rt, ctx, cfg, opts, listing_idoption(cfg))) < 0)
		return rc;
	if (!strstr(rt.tmpl, "$LISTOPT")) {
		free(rt.tmpl);
		return context_fail(ctx, TESTR_ENOTFOUND,
				  "LISTOPT not configured in .testr.conf");
	}
	{
		/* All the user's own text: placed as written. */
		const struct testr_template_var vars[] = {
			{ "IDOPTION", "" }, { "IDFILE", "" },
			{ "IDLIST", idlist }, { "LISTOPT", rt.listopt },
			{ "IDPIPE", "" },
		};

		rc = testr_template_expand(&out->command, rt.tmpl, vars,
					   N_RUN_VARS);
	}
	free(rt.tmpl);
	return rc < 0 ? nomem(ctx) : TESTR_OK;
}

/* The ids to run: the caller's, else test_id_list_default split (a serial
 * run in testrepository), else none known. */
static int
choose_ids(struct testr_strv *ids, bool *known, const struct testr_config *cfg,
	   const struct testr_command_options *opts)
{
	const char *def = testr_config_get(cfg, "test_id_list_default");

	*known = false;
	if (opts && opts->ids) {
		*known = true;
		for (size_t i = 0; i < opts->ids->n; i++)
			if (testr_strv_push(ids, opts->ids->v[i]) < 0)
				return TESTR_ENOMEM;
		return TESTR_OK;
	}
	if (!def || !*def)
		return TESTR_OK;
	*known = true;
	return py_split(ids, def);
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

/* Where the ids of one command go, and so which of them cannot go. */
struct id_rules {
	bool idlist;		/* $IDLIST puts them on the command line */
	bool idlist_as_text;	/* ...inside quotes read as one piece of text */
	bool command_bare;	/* instance_execute reads $COMMAND unquoted */
};

/* How @name is placed in @tmpl: *@any when it occurs at all; *@bare and
 * *@as_text when some occurrence stands bare, or quoted as text. */
static int
find_spots(bool *any, bool *bare, bool *as_text, const char *tmpl,
	   const struct tvar *vars, size_t n, const char *name)
{
	const struct tvar *v;
	size_t from = 0, pos;

	*any = *bare = *as_text = false;
	while ((v = next_var(&pos, tmpl, from, vars, n))) {
		struct shell_spot spot;
		int rc;

		from = pos + 1 + strlen(v->name);
		if (strcmp(v->name, name) != 0)
			continue;
		if ((rc = shell_spot_at(&spot, tmpl, pos)) < 0)
			return rc;
		*any = true;
		*bare |= spot.depth == 1;
		*as_text |= spot.level[0] != SHELL_BARE && !spot.command;
	}
	return TESTR_OK;
}

#define EXECUTE_VARS(id, command, files) { \
	{ "INSTANCE_ID", TV_WORDS, NULL, (id) }, \
	{ "COMMAND", TV_CODE, (command), NULL }, \
	{ "FILES", TV_WORDS, NULL, (files) }, \
}

static int
id_rules(struct id_rules *r, const struct testr_config *cfg,
	 const struct run_template *rt)
{
	const struct tvar vars[] = RUN_VARS(NULL, NULL, NULL, NULL, NULL);
	const struct tvar exec_vars[] = EXECUTE_VARS(NULL, NULL, NULL);
	const char *exec = testr_config_get(cfg, "instance_execute");
	bool in_cmd, in_opt, opt_used, bare, text_cmd, text_opt, unused;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = find_spots(&in_cmd, &bare, &text_cmd, rt->tmpl, vars, N_RUN_VARS,
			     "IDLIST")) < 0 ||
	    (rc = find_spots(&opt_used, &bare, &unused, rt->tmpl, vars, N_RUN_VARS,
			     "IDOPTION")) < 0 ||
	    (rc = find_spots(&in_opt, &bare, &text_opt, rt->idoption, vars, N_RUN_VARS,
			     "IDLIST")) < 0)
		return rc;
	r->idlist = in_cmd || (opt_used && in_opt);
	r->idlist_as_text = text_cmd || (opt_used && text_opt);
	/* Instances wrap the command only when they are provisioned. */
	if (exec && testr_config_get(cfg, "instance_provision"))
		rc = find_spots(&unused, &r->command_bare, &text_cmd, exec,
				exec_vars, 3, "COMMAND");
	return rc;
}

/* Why @id cannot be handed to the command, or NULL when it can. */
static const char *
refusal(const char *id, const struct id_rules *r)
{
	if (strchr(id, '\n'))
		return "holds a newline, which $IDFILE cannot hold: it was not run";
	if (!r->idlist || shell_is_plain(id))
		return NULL;
	if (r->idlist_as_text)
		return "needs shell quotes, but $IDLIST stands inside quotes in "
		       ".testr.conf: it was not run (leave $IDLIST unquoted, "
		       "or use $IDFILE)";
	if (r->command_bare)
		return "needs shell quotes, but instance_execute has $COMMAND "
		       "unquoted, where a second shell (as with ssh) would run "
		       "it: it was not run (write '$COMMAND' in quotes, or use "
		       "$IDFILE)";
	return NULL;
}

static int
refuse(struct testr_command *out, struct testr_context *ctx, const char *id,
       const char *reason)
{
	char q[160];
	char *why = str_printf("test id %s %s",
				   testr_quote(q, sizeof(q), id, strlen(id)),
				   reason);
	int rc = why ? TESTR_OK : TESTR_ENOMEM;

	if (rc == TESTR_OK)
		context_log(ctx, TESTR_LOG_ERROR, "%s", why);
	if (rc == TESTR_OK)
		rc = testr_strv_push(&out->refused, id);
	if (rc == TESTR_OK)
		rc = testr_strv_push(&out->reasons, why);
	free(why);
	return rc;
}

/* Keep the ids the command can be given; the others go to out->refused
 * with the reason, and are logged as errors. */
static int
sort_ids(struct testr_command *out, struct testr_context *ctx,
	 const struct testr_strv *ids, const struct id_rules *r)
{
	int rc = TESTR_OK;

	for (size_t i = 0; rc == TESTR_OK && i < ids->n; i++) {
		const char *reason = refusal(ids->v[i], r);

		rc = reason ? refuse(out, ctx, ids->v[i], reason)
			    : testr_strv_push(&out->ids, ids->v[i]);
	}
	return rc;
}

static int
write_id_file(struct testr_command *out, struct testr_context *ctx,
	      const char *tmpdir)
{
	const char *env = getenv("TMPDIR");
	const char *dir = tmpdir ? tmpdir : (env && *env) ? env : "/tmp";
	char *path = str_printf("%s/testr-ids-XXXXXX", dir);
	char q[160];
	int fd, rc;

	if (!path)
		return nomem(ctx);
	if ((fd = mkostemp(path, O_CLOEXEC)) < 0) {
		rc = context_fail(ctx, TESTR_EIO, "%s: cannot create $IDFILE: %s",
				testr_quote(q, sizeof(q), dir, strlen(dir)),
				strerror(errno));
		free(path);
		return rc;
	}
	rc = write_ids(fd, &out->ids);
	if (close(fd) < 0 && rc == 0)
		rc = TESTR_EIO;
	if (rc < 0) {
		unlink(path);
		free(path);
		return context_fail(ctx, rc, "%s: cannot write $IDFILE",
				  testr_quote(q, sizeof(q), dir, strlen(dir)));
	}
	out->id_file = path;
	return TESTR_OK;
}

/* Ids known: $IDOPTION is test_id_option with $IDFILE and $IDLIST filled. */
static int
expand_with_ids(struct testr_command *out, struct testr_context *ctx,
		const struct run_template *rt)
{
	struct testr_strv file = TESTR_STRV_INIT;
	char *idoption = NULL;
	int rc = testr_strv_push(&file, out->id_file) < 0 ? nomem(ctx) : 0;
	struct tvar vars[] = RUN_VARS(NULL, &file, &out->ids, "", NULL);

	if (rc == 0)
		rc = expand_option(&idoption, ctx, "test_id_option",
				   rt->idoption, vars, N_RUN_VARS);
	vars[0].text = idoption;
	if (rc == 0)
		rc = expand_option(&out->command, ctx, "test_command", rt->tmpl,
				   vars, N_RUN_VARS);
	free(idoption);
	testr_strv_dispose(&file);
	return rc;
}

/* Ids known: hand on those the command can take, write $IDFILE, expand. */
static int
command_for_ids(struct testr_command *out, struct testr_context *ctx,
		const struct testr_config *cfg, const struct run_template *rt,
		const struct testr_strv *ids, const char *tmpdir)
{
	struct id_rules rules;
	int rc = id_rules(&rules, cfg, rt);

	if (rc == TESTR_EINVAL)
		return context_fail(ctx, rc, "test_command, test_id_option or "
				  "instance_execute: quotes nest more than %d "
				  "deep", SHELL_LEVELS_MAX);
	if (rc < 0 || (rc = sort_ids(out, ctx, ids, &rules)) < 0)
		return nomem(ctx);
	/* Every id refused: running the command would run them all. */
	if (ids->n > 0 && out->ids.n == 0)
		return TESTR_OK;
	if ((rc = write_id_file(out, ctx, tmpdir)) < 0)
		return rc;
	if (rules.command_bare && !shell_is_plain(out->id_file)) {
		char q[160];

		return context_fail(ctx, TESTR_EINVAL, "$IDFILE %s needs shell "
				  "quotes, but instance_execute has $COMMAND "
				  "unquoted, where a second shell (as with ssh) "
				  "would split it: write '$COMMAND' in quotes, "
				  "or set TMPDIR to a plain path",
				  testr_quote(q, sizeof(q), out->id_file,
					      strlen(out->id_file)));
	}
	return expand_with_ids(out, ctx, rt);
}

TESTR_API int
testr_command_run(struct testr_command *out, struct testr_context *ctx,
		  const struct testr_config *cfg,
		  const struct testr_command_options *opts)
{
	struct run_template rt = { 0 };
	struct testr_strv ids = TESTR_STRV_INIT;
	const struct testr_template_var none[] = {
		{ "IDOPTION", "" }, { "IDFILE", "" },
		{ "IDLIST", "" }, { "LISTOPT", "" }, { "IDPIPE", "" },
	};
	int rc;

	init_command(out);
	if ((rc = prepare(&rt, ctx, cfg, opts, "test_id_option")) < 0)
		return rc;
	if ((rc = choose_ids(&ids, &out->ids_known, cfg, rt.o)) < 0)
		rc = nomem(ctx);
	else if (!out->ids_known)
		rc = testr_template_expand(&out->command, rt.tmpl, none,
					   N_RUN_VARS) < 0
			     ? nomem(ctx) : TESTR_OK;
	else
		rc = command_for_ids(out, ctx, cfg, &rt, &ids,
				     rt.o ? rt.o->tmpdir : NULL);
	free(rt.tmpl);
	testr_strv_dispose(&ids);
	if (rc < 0)
		testr_command_dispose(out);
	return rc;
}

/* ---- pull mode ---- */

/* $IDPIPE must reach the runner, or it would wait for ids forever. */
static int
check_pipe_used(struct testr_context *ctx, const struct run_template *rt)
{
	if (strstr(rt->tmpl, "$IDPIPE") || strstr(rt->idoption, "$IDPIPE"))
		return TESTR_OK;
	return context_fail(ctx, TESTR_EINVAL, "test_feed = fifo, but neither "
			    "test_command nor test_feed_option uses $IDPIPE, "
			    "so the runner cannot find its ids");
}

int
command_pull(struct testr_command *out, struct testr_context *ctx,
	     const struct testr_config *cfg,
	     const struct testr_command_options *opts, const char *id_pipe)
{
	struct run_template rt = { 0 };
	struct testr_strv pipe = TESTR_STRV_INIT;
	struct tvar vars[] = RUN_VARS(NULL, NULL, NULL, "", &pipe);
	char *feedopt = NULL;
	int rc;

	init_command(out);
	out->ids_known = true;	/* ids are fed as the runner goes */
	if ((rc = prepare(&rt, ctx, cfg, opts, "test_feed_option")) < 0)
		return rc;
	if (id_pipe)
		rc = check_pipe_used(ctx, &rt);
	if (rc == TESTR_OK && id_pipe && testr_strv_push(&pipe, id_pipe) < 0)
		rc = nomem(ctx);
	if (rc == TESTR_OK)
		rc = expand_option(&feedopt, ctx, "test_feed_option",
				   rt.idoption, vars, N_RUN_VARS);
	vars[0].text = feedopt;
	if (rc == TESTR_OK)
		rc = expand_option(&out->command, ctx, "test_command", rt.tmpl,
				   vars, N_RUN_VARS);
	free(feedopt);
	free(rt.tmpl);
	testr_strv_dispose(&pipe);
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
	struct testr_strv id = TESTR_STRV_INIT, file = TESTR_STRV_INIT;
	struct tvar vars[] = EXECUTE_VARS(&id, command, &file);
	int rc = TESTR_OK;

	if (instance_id)
		rc = testr_strv_push(&id, instance_id);
	if (rc == TESTR_OK && files && *files)
		rc = testr_strv_push(&file, files);
	if (rc == TESTR_OK)
		rc = expand(out, tmpl, vars, 3);
	testr_strv_dispose(&id);
	testr_strv_dispose(&file);
	return rc;
}

int
instance_dispose_expand(char **out, const char *tmpl,
			const struct testr_strv *ids)
{
	struct testr_strv sorted = TESTR_STRV_INIT;
	const struct tvar var = { "INSTANCE_IDS", TV_WORDS, NULL, &sorted };
	int rc = TESTR_OK;

	*out = NULL;
	for (size_t i = 0; rc == 0 && i < ids->n; i++)
		rc = testr_strv_push(&sorted, ids->v[i]);
	/* strcmp on UTF-8 sorts by code point, as Python's sorted() does. */
	testr_strv_sort_unique(&sorted);
	if (rc == 0)
		rc = expand(out, tmpl, &var, 1);
	testr_strv_dispose(&sorted);
	return rc;
}

TESTR_API int
testr_instance_provision_command(char **out, struct testr_context *ctx,
				 const struct testr_config *cfg,
				 unsigned int count)
{
	const char *tmpl = testr_config_get(cfg, "instance_provision");

	*out = NULL;
	if (!tmpl)
		return context_fail(ctx, TESTR_ENOTFOUND,
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
	return expand_error(ctx, "instance_execute",
			      instance_execute_expand(out, tmpl, instance_id,
						      command, files));
}

TESTR_API int
testr_instance_dispose_command(char **out, struct testr_context *ctx,
			       const struct testr_config *cfg,
			       const struct testr_strv *ids)
{
	const char *tmpl = testr_config_get(cfg, "instance_dispose");

	*out = NULL;
	if (!tmpl)
		return context_fail(ctx, TESTR_ENOTFOUND,
				  "instance_dispose is not configured");
	return expand_error(ctx, "instance_dispose",
			      instance_dispose_expand(out, tmpl, ids));
}
