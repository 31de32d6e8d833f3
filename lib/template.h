/*
 * Private: the instance templates expanded from their template strings, for
 * the pool (which holds the strings) and for the config-based public calls.
 * Each returns 0 or TESTR_ENOMEM; *out is malloc'd.
 */
#ifndef TESTR_LIB_TEMPLATE_H
#define TESTR_LIB_TEMPLATE_H

#include <testr/template.h>

/* $INSTANCE_COUNT */
int instance_provision_expand(char **out, const char *tmpl, size_t count);

/* $INSTANCE_ID $COMMAND $FILES (@files NULL: ""). */
int instance_execute_expand(char **out, const char *tmpl,
			    const char *instance_id, const char *command,
			    const char *files);

/* $INSTANCE_IDS: @ids sorted by code point, duplicates dropped, joined
 * with spaces, as testrepository's ' '.join(sorted(set)). */
int instance_dispose_expand(char **out, const char *tmpl,
			    const struct testr_strv *ids);

/*
 * The command of a pull-mode runner (test_feed): test_command with
 * $IDOPTION as test_feed_option, $IDPIPE as @id_pipe (NULL: stdin, then
 * $IDPIPE is empty), $IDFILE, $IDLIST and $LISTOPT empty.  No id is
 * known yet: out->ids grows as ids are fed.  Errors as testr_command_run(),
 * with "No test_feed_option option present in .testr.conf", and
 * TESTR_EINVAL when @id_pipe is given but no template uses $IDPIPE.
 */
int command_pull(struct testr_command *out, struct testr_context *ctx,
		 const struct testr_config *cfg,
		 const struct testr_command_options *opts, const char *id_pipe);

#endif
