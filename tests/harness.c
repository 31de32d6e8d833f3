/* The unit-test harness: one TCase per test, listing and selection by id. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

struct harness {
	Suite *suite;
	int list_only;
	char **wanted;		/* NULL: every test */
	size_t n_wanted;
	size_t n_added;
	char **names;		/* TCase names: check keeps the pointers */
	size_t n_names;
};

static int
is_wanted(const struct harness *h, const char *id)
{
	if (!h->wanted)
		return 1;
	for (size_t i = 0; i < h->n_wanted; i++)
		if (strcmp(h->wanted[i], id) == 0)
			return 1;
	return 0;
}

void
harness_add(struct harness *h, const TTest *test, double timeout_s)
{
	char id[512];
	TCase *tc;

	snprintf(id, sizeof(id), "%s.%s", harness_module, test->name);
	if (!is_wanted(h, id))
		return;
	h->n_added++;
	if (h->list_only) {
		printf("%s\n", id);
		return;
	}
	/* check names the subunit test after the TCase; make that the id. */
	h->names = realloc(h->names, (h->n_names + 1) * sizeof(char *));
	h->names[h->n_names] = strdup(id);
	tc = tcase_create(h->names[h->n_names++]);
	if (timeout_s > 0)
		tcase_set_timeout(tc, timeout_s);
	_tcase_add_test(tc, test, 0, 0, 0, 1);
	suite_add_tcase(h->suite, tc);
}

static int
load_list(struct harness *h, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		h->wanted = realloc(h->wanted, (h->n_wanted + 1) * sizeof(char *));
		h->wanted[h->n_wanted++] = strdup(line);
	}
	fclose(f);
	if (!h->wanted)
		h->wanted = calloc(1, sizeof(char *));
	return 0;
}

static void
harness_dispose(struct harness *h)
{
	for (size_t i = 0; i < h->n_names; i++)
		free(h->names[i]);
	free(h->names);
	for (size_t i = 0; i < h->n_wanted; i++)
		free(h->wanted[i]);
	free(h->wanted);
}

int
main(int argc, char **argv)
{
	struct harness h = { 0 };
	enum print_output mode = CK_NORMAL;
	SRunner *sr;
	int failed;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			h.list_only = 1;
		} else if (strcmp(argv[i], "--subunit") == 0) {
			mode = CK_SUBUNIT;
		} else if (strcmp(argv[i], "--load-list") == 0 && i + 1 < argc) {
			if (load_list(&h, argv[++i]) < 0)
				return 2;
		} else {
			fprintf(stderr, "usage: %s [--list] [--subunit] "
				"[--load-list FILE]\n", argv[0]);
			return 2;
		}
	}
	if (!h.list_only)
		h.suite = suite_create(harness_module);
	harness_register(&h);
	if (h.list_only) {
		harness_dispose(&h);
		return 0;
	}
	sr = srunner_create(h.suite);
	srunner_run_all(sr, mode);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	harness_dispose(&h);
	return failed ? 1 : 0;
}

const char *
harness_source_dir(void)
{
	return getenv("TESTR_SOURCE_DIR");
}

const char *
harness_build_dir(void)
{
	return getenv("TESTR_BUILD_DIR");
}

const char *
harness_testr_bin(void)
{
	return getenv("TESTR_BIN");
}

char *
harness_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *path = malloc(4096);

	snprintf(path, 4096, "%s/testr-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
harness_rmtree(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
