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

#endif
