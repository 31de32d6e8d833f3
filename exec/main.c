/*
 * testr-exec: run a suite of exit-code tests (meson, CTest, or a plain
 * "id<TAB>command" list) the way testr expects a test runner to: --list,
 * --load-list FILE, subunit v2 on stdout.  See testr-exec(1).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"

struct options {
	const char *suite;
	const char *load_list;
	enum exec_format format;
	bool list;
	double default_timeout;
	double multiplier;
};

static void
usage(FILE *f)
{
	fputs("usage: testr-exec [--list] [--load-list FILE] "
	      "[--format meson|ctest|plain]\n"
	      "                  [--timeout S] [--timeout-multiplier M] SUITE\n"
	      "Run the tests of SUITE (`meson introspect --tests` or\n"
	      "`ctest --show-only=json-v1` JSON, or id<TAB>command lines) and\n"
	      "report them as a subunit v2 stream on stdout.\n", f);
}

static int
bad_option(const char *what, const char *value)
{
	fprintf(stderr, "testr-exec: %s '%s'\n", what, value);
	return 2;
}

static int
parse_number(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || *out < 0 ? -1 : 0;
}

static int
parse_format(const char *s, enum exec_format *out)
{
	if (strcmp(s, "meson") == 0)
		*out = EXEC_MESON;
	else if (strcmp(s, "ctest") == 0)
		*out = EXEC_CTEST;
	else if (strcmp(s, "plain") == 0)
		*out = EXEC_PLAIN;
	else
		return -1;
	return 0;
}

static int
parse_args(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "load-list", required_argument, NULL, 'L' },
		{ "format", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ "timeout-multiplier", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': o->list = true; break;
		case 'L': o->load_list = optarg; break;
		case 'f':
			if (parse_format(optarg, &o->format) != 0)
				return bad_option("unknown --format", optarg);
			break;
		case 't':
			if (parse_number(optarg, &o->default_timeout) != 0)
				return bad_option("bad --timeout", optarg);
			break;
		case 'm':
			if (parse_number(optarg, &o->multiplier) != 0)
				return bad_option("bad --timeout-multiplier",
						  optarg);
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	o->suite = argv[optind];
	return 0;
}

static int
list(struct exec_out *out, const struct exec_suite *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (exec_emit(out, s->tests[i].id, TESTR_STATUS_EXISTS, NULL,
			      NULL, 0, false) != 0)
			return -1;
	return 0;
}

/* The ids in @path, one per line (blank lines ignored). */
static int
read_ids(const char *path, struct testr_strv *ids)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (!f) {
		fprintf(stderr, "testr-exec: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > 0)
			rc = testr_strv_push(ids, line);
	}
	free(line);
	fclose(f);
	return rc;
}

static int
run_one(struct exec_out *out, const struct options *o,
	const struct exec_suite *s, const char *id)
{
	const struct exec_test *t = exec_suite_find(s, id);
	struct exec_locks locks;
	char err[512], why[640];
	int rc;

	if (exec_interrupted)
		return exec_emit_result(out, id, TESTR_STATUS_FAIL,
					"interrupted before it started");
	if (!t) {
		snprintf(why, sizeof(why), "no test '%s' in %s", id, o->suite);
		return exec_emit_result(out, id, TESTR_STATUS_FAIL, why);
	}
	if (exec_locks_take(&locks, o->suite, t, err, sizeof(err)) != 0) {
		snprintf(why, sizeof(why), "testr-exec: %s", err);
		return exec_emit_result(out, id, TESTR_STATUS_FAIL, why);
	}
	rc = exec_run_test(out, t, o->multiplier);
	exec_locks_release(&locks);
	return rc;
}

static int
run(struct exec_out *out, const struct options *o, const struct exec_suite *s)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	int rc = 0;

	if (o->load_list && read_ids(o->load_list, &ids) != 0)
		return -1;
	if (!o->load_list)
		for (size_t i = 0; i < s->n && rc == 0; i++)
			rc = testr_strv_push(&ids, s->tests[i].id);
	/* Every id gets a result, even after an interrupt. */
	for (size_t i = 0; i < ids.n && rc == 0; i++)
		rc = run_one(out, o, s, ids.v[i]);
	testr_strv_dispose(&ids);
	return rc;
}

static void
on_signal(int sig)
{
	(void)sig;
	exec_interrupted = 1;
}

static void
install_signals(void)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char **argv)
{
	struct options o = { .multiplier = 1.0 };
	struct exec_suite suite;
	struct exec_out out = { .fd = STDOUT_FILENO };
	char err[1024];
	int rc = parse_args(&o, argc, argv);

	if (rc != 0)
		return rc;
	if (exec_suite_load(&suite, o.suite, o.format, o.default_timeout, err,
			    sizeof(err)) != 0) {
		fprintf(stderr, "testr-exec: %s\n", err);
		return 3;
	}
	if (testr_context_new(&out.ctx) != 0) {
		exec_suite_dispose(&suite);
		return 3;
	}
	install_signals();
	rc = o.list ? list(&out, &suite) : run(&out, &o, &suite);
	if (rc != 0)
		fprintf(stderr, "testr-exec: %s\n",
			out.error ? "cannot write the subunit stream"
				  : "out of memory");
	testr_context_free(out.ctx);
	exec_suite_dispose(&suite);
	if (rc == 0 && exec_interrupted)
		return 130;
	return rc != 0 ? 3 : 0;
}
