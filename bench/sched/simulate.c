/*
 * The scheduling simulator: replays policies over generated (or recorded)
 * durations at 2 to 10,000 workers and prints each plan's makespan over the
 * lower bound max(total / workers, longest test).
 *
 *   simulate [--startup S] [--sigma X] [--durations FILE]
 *
 * Policies (all planned by libtestr's own testr_sched_new):
 *   static   testrepository's partition (longest first onto the least
 *            loaded worker), one runner per worker;
 *   guided   the work queue's shrinking batches, one runner per batch;
 *   pull     one runner per worker, reading ids as it goes;
 *   auto     what testr run does by default (guided, or static when that
 *            is predicted no slower).
 * Knowledge: "exact" plans on the true durations; "noisy" on the previous
 * run's (each run's durations are the base times a lognormal factor of
 * sigma X, mean 1: the estimate is off by two such factors); "unknown" on
 * no duration (a first run; the start-up known, as testr run takes it
 * from the listing).  Every runner start costs S seconds (default 0.005, a
 * C runner; 0.3 is a Python one).  FILE holds one duration in seconds per
 * line (for example the last column of `testr slowest --all --estimates`):
 * it replaces the generated workloads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

static const size_t worker_counts[] = { 2, 8, 64, 1024, 10000 };
#define N_COUNTS (sizeof(worker_counts) / sizeof(worker_counts[0]))

static unsigned long long rng = 88172645463325252ULL;

static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

/* exp(N(-s^2/2, s^2)): mean 1. */
static double
lognormal(double sigma)
{
	return sigma > 0 ? exp(sigma * normal() - sigma * sigma / 2) : 1.0;
}

/* A workload: @n base durations. */
struct workload {
	const char *name;
	double *base;
	size_t n;
};

/* heavy400's shape for @p workers: i^-1.1, the longest 2 s, 2 s of work
 * per worker in all (so the bound is 2 s, as for heavy400 at 8). */
static void
gen_heavy(double *d, size_t n, size_t p)
{
	double s = 0;

	for (size_t i = 1; i < n; i++)
		s += pow((double)i + 1, -1.1);
	d[0] = 2.0;
	for (size_t i = 1; i < n; i++)
		d[i] = (2.0 * (double)p - 2.0) * pow((double)i + 1, -1.1) / s;
	for (size_t i = n - 1; i > 0; i--) {	/* shuffled */
		size_t k = (size_t)(uniform() * (double)(i + 1));
		double t = d[i];

		d[i] = d[k];
		d[k] = t;
	}
}

static void
gen_lognormal(double *d, size_t n, size_t p)
{
	(void)p;
	for (size_t i = 0; i < n; i++)
		d[i] = 0.05 * lognormal(1.0);
}

static struct testr_strv
make_ids(size_t n)
{
	struct testr_strv ids = TESTR_STRV_INIT;

	for (size_t i = 0; i < n; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "t%zu", i);
		if (testr_strv_push(&ids, buf) < 0) {
			fputs("out of memory\n", stderr);
			exit(1);
		}
	}
	return ids;
}

static void
sift_down(double *h, size_t *who, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i, tw;
		double t;

		if (l < n && h[l] < h[m])
			m = l;
		if (l + 1 < n && h[l + 1] < h[m])
			m = l + 1;
		if (m == i)
			return;
		t = h[i], h[i] = h[m], h[m] = t;
		tw = who[i], who[i] = who[m], who[m] = tw;
		i = m;
	}
}

/* Replay @s on the @actual durations: batches in order to the first free
 * worker (a pinned one to its worker); pull mode starts each runner once. */
static double
replay(const struct testr_sched *s, const double *actual, size_t workers,
       double startup)
{
	double *h = calloc(workers, sizeof(*h)), end = 0;
	double *pinned = calloc(workers, sizeof(*pinned));
	size_t *who = malloc(workers * sizeof(*who));
	bool pull = testr_sched_mode(s) == TESTR_SCHED_PULL;

	for (size_t k = 0; k < workers; k++)
		who[k] = k;
	for (size_t b = 0; b < testr_sched_batches(s); b++) {
		size_t n, w = testr_sched_batch_worker(s, b);
		const size_t *idx = testr_sched_batch(&n, s, b);
		double t = pull && b >= workers ? 0 : startup;
		double *slot = w == TESTR_SCHED_ANY_WORKER ? &h[0] : &pinned[w];

		for (size_t i = 0; i < n; i++)
			t += actual[idx[i]];
		*slot += t;
		end = *slot > end ? *slot : end;
		if (w == TESTR_SCHED_ANY_WORKER)
			sift_down(h, who, workers, 0);
	}
	free(h);
	free(pinned);
	free(who);
	return end;
}

static double
lower_bound(const double *d, size_t n, size_t workers)
{
	double total = 0, longest = 0;

	for (size_t i = 0; i < n; i++) {
		total += d[i];
		longest = d[i] > longest ? d[i] : longest;
	}
	total /= (double)workers;
	return total > longest ? total : longest;
}

enum knowledge { EXACT, NOISY, UNKNOWN };

static double
ratio(const char *const *ids, const struct workload *wl, size_t workers,
      enum testr_sched_mode mode, enum knowledge k, double sigma,
      double startup)
{
	struct testr_sched_options o = TESTR_SCHED_OPTIONS_INIT;
	struct testr_sched *s;
	double *est = malloc(wl->n * sizeof(*est));
	double *act = malloc(wl->n * sizeof(*act));
	double *spread = malloc(wl->n * sizeof(*spread));
	double r;

	for (size_t i = 0; i < wl->n; i++) {
		act[i] = wl->base[i] * (k == NOISY ? lognormal(sigma) : 1.0);
		est[i] = k == NOISY ? wl->base[i] * lognormal(sigma) : act[i];
		spread[i] = k == NOISY ? sigma * est[i] : 0;
	}
	o.mode = mode;
	o.startup = startup;
	o.spread = spread;
	if (testr_sched_new(&s, NULL, ids, wl->n,
			    k == UNKNOWN ? NULL : est, workers, &o) < 0) {
		fputs("planning failed\n", stderr);
		exit(1);
	}
	r = replay(s, act, workers, startup) / lower_bound(act, wl->n, workers);
	testr_sched_free(s);
	free(est);
	free(act);
	free(spread);
	return r;
}

static const char *const kn[] = { "exact", "noisy", "unknown" };
static const struct { const char *name; enum testr_sched_mode m; } pol[] = {
	{ "static", TESTR_SCHED_STATIC }, { "guided", TESTR_SCHED_BATCHES },
	{ "pull", TESTR_SCHED_PULL }, { "auto", TESTR_SCHED_AUTO } };

/* One column of the table: every row at @workers. */
static void
column(double r[3][4], const struct workload *wl, size_t workers,
       double sigma, double startup)
{
	struct testr_strv ids = make_ids(wl->n);

	for (enum knowledge k = EXACT; k <= UNKNOWN; k++)
		for (size_t p = 0; p < 4; p++)
			r[k][p] = ratio(testr_strv_items(&ids), wl, workers,
					pol[p].m, k, sigma, startup);
	testr_strv_dispose(&ids);
}

/* @gen makes a workload per worker count (50 tests a worker, at least
 * 400); NULL: @fixed for every count. */
static void
table(const char *name, void (*gen)(double *, size_t, size_t),
      const struct workload *fixed, double sigma, double startup)
{
	double r[N_COUNTS][3][4];

	for (size_t c = 0; c < N_COUNTS; c++) {
		struct workload wl = { name, NULL, 0 };

		if (fixed) {
			wl = *fixed;
		} else {
			wl.n = worker_counts[c] * 50 < 400 ? 400 :
			       worker_counts[c] * 50;
			wl.base = malloc(wl.n * sizeof(double));
			gen(wl.base, wl.n, worker_counts[c]);
		}
		column(r[c], &wl, worker_counts[c], sigma, startup);
		if (!fixed)
			free(wl.base);
	}
	printf("\n%s; start-up %.3f s, noise sigma %.2f\n", name, startup,
	       sigma);
	printf("%-9s %-7s", "durations", "policy");
	for (size_t c = 0; c < N_COUNTS; c++)
		printf(" %8zu", worker_counts[c]);
	printf("   (makespan / lower bound, by workers)\n");
	for (enum knowledge k = EXACT; k <= UNKNOWN; k++)
		for (size_t p = 0; p < 4; p++) {
			printf("%-9s %-7s", kn[k], pol[p].name);
			for (size_t c = 0; c < N_COUNTS; c++)
				printf(" %8.3f", r[c][k][p]);
			printf("\n");
		}
}

static double *
read_durations(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	double *d = NULL, v;
	size_t cap = 0;

	*n = 0;
	if (!f) {
		perror(path);
		exit(2);
	}
	while (fscanf(f, "%lf", &v) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			d = realloc(d, cap * sizeof(*d));
		}
		d[(*n)++] = v;
	}
	fclose(f);
	return d;
}

int
main(int argc, char **argv)
{
	double startup = 0.005, sigma = 0.3;
	const char *file = NULL;
	struct workload wl[1];

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--startup") == 0)
			startup = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--sigma") == 0)
			sigma = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--durations") == 0)
			file = argv[i + 1];
	}
	if (file) {
		wl[0].name = file;
		wl[0].base = read_durations(file, &wl[0].n);
		table(file, NULL, &wl[0], sigma, startup);
		free(wl[0].base);
		return 0;
	}
	table("heavy-tailed, heavy400's shape (2 s per worker, longest 2 s)",
	      gen_heavy, NULL, sigma, startup);
	table("lognormal (median 0.05 s, sigma 1)", gen_lognormal, NULL, sigma,
	      startup);
	return 0;
}
