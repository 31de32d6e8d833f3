/* conf-dump FILE: load FILE as a .testr.conf and print its syntax and every
 * option as name=value (for tests that check the documented examples). */
#include <stdio.h>
#include <testr/testr.h>

int
main(int argc, char **argv)
{
	struct testr_context *ctx;
	struct testr_config *cfg;
	const char *name, *value;
	int rc;

	if (argc != 2 || testr_context_new(&ctx) != 0)
		return 2;
	rc = testr_config_load(&cfg, ctx, argv[1]);
	if (rc != 0) {
		fprintf(stderr, "%s\n", testr_context_error(ctx));
		testr_context_free(ctx);
		return 1;
	}
	printf("syntax=%s\n", testr_config_syntax(cfg) == TESTR_CONFIG_INI ?
	       "ini" : "confuse");
	for (size_t i = 0; testr_config_option(&name, &value, cfg, i) == 0; i++)
		printf("%s=%s\n", name, value);
	testr_config_free(cfg);
	testr_context_free(ctx);
	return 0;
}
