/*
 * libFuzzer target for the config loader (INI and libconfuse syntax, with
 * interpolation and group_regex) and the template expander.  Whatever the
 * input, loading must either fail with a message or give a config whose
 * options read back consistently, and expanding a template whose variables
 * stand for themselves must give the template back unchanged.
 *
 *     CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined
 *     build-fuzz/tests/fuzz/fuzz_config CORPUS_DIR tests/data/config
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "../../lib/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_config(struct testr_context *ctx, const struct testr_config *cfg)
{
	const char *name, *value;
	struct testr_command cmd = TESTR_COMMAND_INIT;
	struct testr_strv tags = TESTR_STRV_INIT;
	const char *key;
	size_t len;
	char *out;

	for (size_t i = 0; testr_config_option(&name, &value, cfg, i) == 0; i++)
		if (testr_config_get(cfg, name) == NULL)
			abort();
	testr_command_list(&cmd, ctx, cfg, NULL);
	testr_command_dispose(&cmd);
	testr_config_group_key(&key, &len, cfg, "pkg.mod.Class.test_x(param)");
	testr_config_filter_tags(&tags, cfg);
	testr_strv_dispose(&tags);
	if (testr_instance_provision_command(&out, ctx, cfg, 4) == 0)
		free(out);
	if (testr_instance_execute_command(&out, ctx, cfg, "i", "c", NULL) == 0)
		free(out);
}

/* $NAME -> "$NAME" for every variable: an identity expansion. */
static void
check_template(const char *tmpl)
{
	static const struct testr_template_var vars[] = {
		{ "IDOPTION", "$IDOPTION" }, { "IDFILE", "$IDFILE" },
		{ "IDLIST", "$IDLIST" }, { "LISTOPT", "$LISTOPT" },
		{ "INSTANCE_ID", "$INSTANCE_ID" },
	};
	char *out;

	if (testr_template_expand(&out, tmpl, vars, 5) != 0)
		abort();
	if (strcmp(out, tmpl) != 0)
		abort();
	free(out);
	if (testr_shell_quote(&out, tmpl) != 0)
		abort();
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct testr_context *ctx;
	struct testr_config *cfg = NULL;
	char *text = malloc(size + 1);

	if (!text || testr_context_new(&ctx) != 0)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (config_parse(&cfg, ctx, "fuzz.conf", text, size) == 0)
		check_config(ctx, cfg);
	else if (cfg != NULL || testr_context_error(ctx)[0] == '\0')
		abort();	/* a failure always says why */
	check_template(text);
	testr_config_free(cfg);
	testr_context_free(ctx);
	free(text);
	return 0;
}
