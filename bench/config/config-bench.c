/*
 * Config and template benchmark (see run.sh):
 *   config-bench load N FILE     load FILE N times
 *   config-bench expand N DIR    expand DIR/.testr.conf's run command for N
 *                                ids (writes and removes $IDFILE), 5 times
 * Prints "what=... n=... seconds=... per_second=...".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <testr/testr.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
bench_load(long n, const char *path)
{
	struct testr_context *ctx;
	struct testr_config *cfg;
	double start;

	testr_context_new(&ctx);
	start = now();
	for (long i = 0; i < n; i++) {
		if (testr_config_load(&cfg, ctx, path) != 0) {
			fprintf(stderr, "%s\n", testr_context_error(ctx));
			return 1;
		}
		testr_config_free(cfg);
	}
	start = now() - start;
	printf("what=load n=%ld seconds=%.3f per_second=%.0f\n", n, start,
	       (double)n / start);
	testr_context_free(ctx);
	return 0;
}

static int
bench_expand(long n, const char *dir)
{
	struct testr_command_options o = TESTR_COMMAND_OPTIONS_INIT;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_context *ctx;
	struct testr_config *cfg;
	struct testr_command cmd;
	char id[128];
	double start;

	testr_context_new(&ctx);
	if (testr_config_load_dir(&cfg, ctx, dir) != 0)
		return 1;
	for (long i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "pkg.module%ld.TestCase.test_%ld", i / 50, i);
		testr_strv_push(&ids, id);
	}
	o.ids = &ids;
	start = now();
	for (int r = 0; r < 5; r++) {
		if (testr_command_run(&cmd, ctx, cfg, &o) != 0)
			return 1;
		testr_command_dispose(&cmd);
	}
	start = (now() - start) / 5;
	printf("what=expand n=%ld seconds=%.4f per_second=%.0f\n", n, start,
	       (double)n / start);
	testr_strv_dispose(&ids);
	testr_config_free(cfg);
	testr_context_free(ctx);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "load") == 0)
		return bench_load(atol(argv[2]), argv[3]);
	if (argc == 4 && strcmp(argv[1], "expand") == 0)
		return bench_expand(atol(argv[2]), argv[3]);
	fprintf(stderr, "usage: config-bench load N FILE | expand N DIR\n");
	return 2;
}
