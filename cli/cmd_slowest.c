/*
 * testr slowest: the slowest tests of the latest run, as a table; with
 * --estimates, the duration model's estimates over every known test.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct row {
	char *id;
	double seconds;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static int
add_row(void *userdata, const char *test_id, double seconds)
{
	struct rows *r = userdata;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct row *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return TESTR_ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n].id = strdup(test_id);
	if (!r->v[r->n].id)
		return TESTR_ENOMEM;
	r->v[r->n++].seconds = seconds;
	return 0;
}

/*
 * Times get 3 decimals and a minimum width from the largest one, as
 * testrepository does; it crashes when that is 0 (log10), we use 1 digit.
 */
static int
time_width(double largest)
{
	int digits = 1;

	if (largest > 0 && isfinite(largest))
		digits = (int)trunc(log10(largest)) + 1;
	return digits + 3 + 1;
}

static int
add_estimate(void *userdata, const char *test_id,
	     const struct testr_estimate *est)
{
	return add_row(userdata, test_id, est->seconds);
}

static void
print_table(const struct rows *r, const char *label)
{
	int tw = time_width(r->v[0].seconds);
	size_t w0 = strlen("Test id"), w1 = strlen(label);
	char buf[64];

	for (size_t i = 0; i < r->n; i++) {
		size_t w = cli_text_width(r->v[i].id);
		int n = snprintf(buf, sizeof(buf), "%*.*f", tw, 3, r->v[i].seconds);

		w0 = w > w0 ? w : w0;
		w1 = (size_t)n > w1 ? (size_t)n : w1;
	}
	printf("%-*s  %s\n", (int)w0, "Test id", label);
	for (size_t i = 0; i < w0; i++)
		putchar('-');
	fputs("  ", stdout);
	for (size_t i = 0; i < w1; i++)
		putchar('-');
	putchar('\n');
	for (size_t i = 0; i < r->n; i++)
		printf("%s%*s  %*.*f\n", r->v[i].id,
		       (int)(w0 - cli_text_width(r->v[i].id)), "", tw, 3,
		       r->v[i].seconds);
}

static int
show_slowest(struct testr_context *ctx, bool all, bool estimates)
{
	struct testr_repo *repo = NULL;
	struct rows rows = { 0 };
	uint64_t id;
	int rc = cli_open_repo(&repo, ctx);

	if (rc == 0)
		rc = testr_repo_latest_id(&id, repo);
	if (rc == TESTR_ENOTFOUND && repo) {
		rc = CLI_EXIT_ERROR;	/* testrepository: exit 3, says nothing */
		goto done;
	}
	if (rc == 0 && estimates)
		rc = testr_repo_slowest_estimates(repo, all ? 0 : 10,
						  add_estimate, &rows);
	else if (rc == 0)
		rc = testr_repo_slowest(repo, all ? 0 : 10, add_row, &rows);
	if (rc < 0) {
		rc = cli_report(ctx, rc);
		goto done;
	}
	if (rows.n)
		print_table(&rows, estimates ? "Estimate (s)" : "Runtime (s)");
	rc = CLI_EXIT_OK;
done:
	for (size_t i = 0; i < rows.n; i++)
		free(rows.v[i].id);
	free(rows.v);
	testr_repo_free(repo);
	return rc;
}

int
cmd_slowest(int argc, char **argv)
{
	bool all = false, estimates = false;
	const struct cli_flag flags[] = { { "all", &all },
		{ "estimates", &estimates }, { NULL, NULL } };
	struct testr_context *ctx;
	int rc = cli_parse_flags_only("slowest", argc, argv, flags);

	if (rc != CLI_EXIT_OK)
		return rc;
	ctx = cli_context_new();
	rc = show_slowest(ctx, all, estimates);
	testr_context_free(ctx);
	return rc;
}
