/*
 * libtestr: expanding the command templates of .testr.conf.
 *
 * The results equal testrepository 0.0.20's for the same config and ids
 * (TestListingFixture, TestCommand), with two deliberate improvements:
 *   - an id placed into $IDLIST is shell-quoted ('...') when it holds a shell
 *     metacharacter, so a test id is data, never shell code; plain ids
 *     (letters, digits, non-ASCII, and _ - . , / : = @ % +) stay byte-identical;
 *   - $IDFILE is written as UTF-8 (never latin-1), one id per line, created
 *     with mkstemp and close-on-exec; testr_command_dispose() removes it.
 * Any other $NAME or ${NAME} is left for the shell.
 */
#ifndef TESTR_TEMPLATE_H
#define TESTR_TEMPLATE_H

#include <testr/common.h>
#include <testr/config.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One variable for testr_template_expand(). */
struct testr_template_var {
	const char *name;	/* without the '$', for example "IDFILE" */
	const char *value;	/* the replacement; NULL expands to "" */
};

/**
 * Expand @tmpl as Python's re.sub(r'\$(NAME1|NAME2|...)', ...) does: at each
 * '$' the first variable in @vars order whose name follows is replaced, with
 * no word boundary ("$IDFILEX" is $IDFILE then "X"); replaced text is not
 * scanned again; every other '$' is copied.  *out is malloc'd and owned by
 * the caller.  Returns 0 or TESTR_ENOMEM.
 */
TESTR_API int testr_template_expand(char **out, const char *tmpl,
				    const struct testr_template_var *vars,
				    size_t n_vars);

/**
 * @s as one shell word: unchanged when it holds no shell metacharacter,
 * otherwise in single quotes (an embedded ' becomes '\'').  The empty string
 * becomes ''.  *out is malloc'd.  Returns 0 or TESTR_ENOMEM.
 */
TESTR_API int testr_shell_quote(char **out, const char *s);

/** An expanded test command, ready for /bin/sh -c. */
struct testr_command {
	char *command;		/* the command line; NULL when every id given
				   was refused (it must not run) */
	char *id_file;		/* the $IDFILE written for it, or NULL */
	struct testr_strv ids;	/* the ids it runs (when ids_known) */
	bool ids_known;		/* false: no ids given, it runs everything */
	struct testr_strv refused;	/* ids that cannot be handed over */
	struct testr_strv reasons;	/* one line per refused id: why */
};

#define TESTR_COMMAND_INIT { .command = NULL }

/** Knobs of testr_command_run() and testr_command_list(). */
struct testr_command_options {
	unsigned int version;		/* TESTR_COMMAND_OPTIONS_VERSION */
	/*
	 * The ids to run, or NULL when none are known.  With NULL,
	 * test_id_list_default (if set) supplies them, as testrepository does
	 * for a serial run; a caller that needs the ids (filters, several
	 * workers) lists them first with testr_command_list().
	 */
	const struct testr_strv *ids;
	char *const *args;		/* extra arguments appended to test_command */
	size_t n_args;
	const char *tmpdir;		/* for $IDFILE; NULL: $TMPDIR, else /tmp */
};

#define TESTR_COMMAND_OPTIONS_VERSION 1
#define TESTR_COMMAND_OPTIONS_INIT \
	{ .version = TESTR_COMMAND_OPTIONS_VERSION }

/**
 * Expand the command that runs tests: test_command plus @opts->args joined
 * with spaces.  When ids are known, $IDFILE is written and $IDFILE, $IDLIST
 * and $IDOPTION (test_id_option, itself expanded) are filled; with no ids
 * they expand to "".  $LISTOPT expands to "".  *out is initialised first and
 * always safe to pass to testr_command_dispose().  @opts may be NULL.
 *
 * Returns 0; TESTR_ENOTFOUND with testrepository's message when
 * test_command is missing ("No test_command option present in .testr.conf"),
 * or when test_command uses $IDOPTION without test_id_option or $LISTOPT
 * without test_list_option; TESTR_EINVAL for an id holding a newline (it
 * cannot be listed in $IDFILE) or an @opts->version this library does not
 * know; TESTR_EIO when $IDFILE cannot be written;
 * TESTR_ENOMEM.
 */
TESTR_API int testr_command_run(struct testr_command *out,
				struct testr_context *ctx,
				const struct testr_config *cfg,
				const struct testr_command_options *opts);

/**
 * Expand the command that lists tests: $LISTOPT is test_list_option, $IDLIST
 * is test_id_list_default (or ""), $IDOPTION and $IDFILE are "".  No file is
 * written and @opts->ids is ignored.  Same errors as testr_command_run(),
 * plus TESTR_ENOTFOUND "LISTOPT not configured in .testr.conf" when the
 * command does not use $LISTOPT.
 */
TESTR_API int testr_command_list(struct testr_command *out,
				 struct testr_context *ctx,
				 const struct testr_config *cfg,
				 const struct testr_command_options *opts);

/**
 * Remove the command's $IDFILE (if any) and free what it owns, leaving @cmd
 * empty.  Safe on a command zeroed or set to TESTR_COMMAND_INIT.
 */
TESTR_API void testr_command_dispose(struct testr_command *cmd);

/**
 * instance_provision with $INSTANCE_COUNT replaced by @count.  *out is
 * malloc'd.  Returns 0, TESTR_ENOTFOUND when instance_provision is not
 * configured (instances are then not used), or TESTR_ENOMEM.
 */
TESTR_API int testr_instance_provision_command(char **out,
					       struct testr_context *ctx,
					       const struct testr_config *cfg,
					       unsigned int count);

/**
 * instance_execute with $INSTANCE_ID, $COMMAND and $FILES replaced by
 * @instance_id, @command and @files (NULL: "", as for a listing).  When
 * instance_execute is not configured *out is a copy of @command, as in
 * testrepository.  *out is malloc'd.  Returns 0 or TESTR_ENOMEM.
 */
TESTR_API int testr_instance_execute_command(char **out,
					     struct testr_context *ctx,
					     const struct testr_config *cfg,
					     const char *instance_id,
					     const char *command,
					     const char *files);

/**
 * instance_dispose with $INSTANCE_IDS replaced by @ids sorted and joined
 * with spaces.  *out is malloc'd.  Returns 0, TESTR_ENOTFOUND when
 * instance_dispose is not configured, or TESTR_ENOMEM.
 */
TESTR_API int testr_instance_dispose_command(char **out,
					     struct testr_context *ctx,
					     const struct testr_config *cfg,
					     const struct testr_strv *ids);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_TEMPLATE_H */
