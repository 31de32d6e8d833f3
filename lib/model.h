/* Private: one test's duration model (lib/model.c). */
#ifndef TESTR_LIB_MODEL_H
#define TESTR_LIB_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <testr/durations.h>

/* Recent samples kept per test: enough for a median that shrugs off one or
 * two outliers, few enough that a test that really changed adapts within
 * a handful of runs. */
#define MODEL_SAMPLES 8

struct model_rec {
	double last;			/* the latest duration, any outcome; NAN: none */
	double s[MODEL_SAMPLES];	/* passing durations, oldest first */
	uint8_t n;
};

void model_init(struct model_rec *m);
/* A new duration: always the latest; a sample only when @counts (the test
 * completed without failing) and it is a real duration (>= 0). */
void model_observe(struct model_rec *m, double seconds, bool counts);
/* Fold @later (newer runs) onto @m: its last wins, its samples follow. */
void model_append(struct model_rec *m, const struct model_rec *later);
/* Median of the samples; NAN when there are none. */
double model_estimate(const struct model_rec *m);
/* Robust spread: 1.4826 x the median absolute deviation (0 for one
 * sample); NAN when there are no samples. */
double model_spread(const struct model_rec *m);
/* Median of @v[0..n), reordering @v; NAN when @n is 0. */
double model_median(double *v, size_t n);

/*
 * --timeout auto: the limit of a test with estimate @e, in seconds:
 * max(@floor, @factor x (median + 3 x spread)), where median + 3 x spread
 * (the robust spread, so about the 99.9th percentile of a normal spread)
 * stands for the test's slowest plausible passing run.  A test without
 * passing runs of its own (source other than MEASURED) gets @floor.
 */
double model_timeout(const struct testr_estimate *e, double floor,
		     double factor);

/* The fields after the id in a "times" line, "last\test\tspread\tS,S,...";
 * @buf has room for MODEL_LINE_MAX.  Returns the length. */
#define MODEL_LINE_MAX (40 * (MODEL_SAMPLES + 3))
size_t model_format(char *buf, const struct model_rec *m);
/* Parse what model_format() wrote; false when malformed. */
bool model_parse(struct model_rec *m, const char *s, size_t len);

#endif
