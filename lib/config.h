/* Private: config loading entry points not in the public API. */
#ifndef TESTR_LIB_CONFIG_H
#define TESTR_LIB_CONFIG_H

#include <stddef.h>

#include <testr/config.h>

/*
 * testr_config_load() on the @len bytes at @text instead of a file; @name
 * stands for the file in messages.  Used by the fuzzer and the tests.
 */
int config_parse(struct testr_config **out, struct testr_context *ctx,
		       const char *name, const char *text, size_t len);

#endif
