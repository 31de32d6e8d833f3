/*
 * One test's duration model: its latest duration (what testrepository
 * keeps, and what --static partitions by) and its last few passing
 * durations, summarised by their median and median absolute deviation.
 * A median of several runs is not dragged by one run on a busy machine,
 * and a failed or interrupted run (often much shorter, or a timeout) is
 * no sample at all.
 */
#include "config-build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "repo.h"

void
model_init(struct model_rec *m)
{
	memset(m, 0, sizeof(*m));
	m->last = NAN;
}

static void
push_sample(struct model_rec *m, double seconds)
{
	if (m->n == MODEL_SAMPLES) {
		memmove(m->s, m->s + 1, (MODEL_SAMPLES - 1) * sizeof(m->s[0]));
		m->n--;
	}
	m->s[m->n++] = seconds;
}

void
model_observe(struct model_rec *m, double seconds, bool counts)
{
	m->last = seconds;
	if (counts && seconds >= 0 && isfinite(seconds))
		push_sample(m, seconds);
}

void
model_append(struct model_rec *m, const struct model_rec *later)
{
	if (!isnan(later->last))
		m->last = later->last;
	for (uint8_t i = 0; i < later->n; i++)
		push_sample(m, later->s[i]);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A test's few samples: an insertion sort beats qsort's call per
 * comparison, and it runs twice per test for every estimate. */
static void
sort_few(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Quickselect would do for the project median too; a sort is simpler and
 * runs once per write. */
double
model_median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	if (n <= 2 * MODEL_SAMPLES)
		sort_few(v, n);
	else
		qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
model_estimate(const struct model_rec *m)
{
	double v[MODEL_SAMPLES];

	memcpy(v, m->s, m->n * sizeof(v[0]));
	return model_median(v, m->n);
}

double
model_spread(const struct model_rec *m)
{
	double v[MODEL_SAMPLES], med = model_estimate(m);

	if (m->n == 0)
		return NAN;
	for (uint8_t i = 0; i < m->n; i++)
		v[i] = fabs(m->s[i] - med);
	return 1.4826 * model_median(v, m->n);
}

double
model_timeout(const struct testr_estimate *e, double floor, double factor)
{
	double spread, high;

	if (e->source != TESTR_ESTIMATE_MEASURED || !isfinite(e->seconds))
		return floor;
	spread = isfinite(e->spread) ? e->spread : 0;
	high = e->seconds + 3 * spread;
	return fmax(floor, factor * high);
}

/* One value, "-" for none. */
static size_t
put_value(char *buf, double v)
{
	if (isnan(v)) {
		buf[0] = '-';
		buf[1] = '\0';
		return 1;
	}
	return repo_format_seconds(buf, v);
}

size_t
model_format(char *buf, const struct model_rec *m)
{
	size_t o = put_value(buf, m->last);

	buf[o++] = '\t';
	o += put_value(buf + o, model_estimate(m));
	buf[o++] = '\t';
	o += put_value(buf + o, model_spread(m));
	buf[o++] = '\t';
	for (uint8_t i = 0; i < m->n; i++) {
		if (i)
			buf[o++] = ',';
		o += repo_format_seconds(buf + o, m->s[i]);
	}
	buf[o] = '\0';
	return o;
}

/* strtod's reading of [s, s + len): false unless it is all one finite
 * number. */
static bool
parse_slow(double *out, const char *s, size_t len)
{
	char buf[48], *e;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, &e);
	return *e == '\0' && isfinite(*out);
}

/*
 * A number or "-" ending exactly at @end or at @stop; *@p moves past it.
 * What model_format() writes, "D.DDDDDD" (at most 9 integer digits), is
 * read in the same pass that finds its end, without strtod's cost (a store
 * holds a dozen numbers per test): the microseconds, an exact integer,
 * divided by 1e6 in one correctly rounded division are the double nearest
 * the decimal, exactly what strtod gives.  Anything else goes to strtod.
 */
static bool
parse_value(double *out, const char **p, const char *end, char stop)
{
	const char *s = *p, *c = s, *dot = NULL;
	uint64_t us = 0;
	bool digits = true;

	for (; c < end && *c != stop; c++) {
		unsigned d = (unsigned char)*c - '0';

		if (d < 10)
			us = us * 10 + d;
		else if (*c == '.' && !dot)
			dot = c;
		else
			digits = false;
	}
	*p = c;
	if (c - s == 1 && *s == '-') {
		*out = NAN;
		return true;
	}
	if (digits && dot && dot > s && dot - s <= 9 && c - dot == 7) {
		*out = (double)us / 1e6;
		return true;
	}
	return parse_slow(out, s, (size_t)(c - s));
}

static bool
parse_samples(struct model_rec *m, const char *p, const char *end)
{
	while (p < end) {
		double v;

		if (m->n == MODEL_SAMPLES || !parse_value(&v, &p, end, ',') ||
		    v < 0)
			return false;
		m->s[m->n++] = v;
		if (p < end && ++p == end)
			return false;	/* a trailing comma */
	}
	return true;
}

bool
model_parse(struct model_rec *m, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	double ignored;

	model_init(m);
	/* The estimate and spread are for readers; they are recomputed. */
	if (!parse_value(&m->last, &p, end, '\t') || p++ == end ||
	    !parse_value(&ignored, &p, end, '\t') || p++ == end ||
	    !parse_value(&ignored, &p, end, '\t') || p++ == end)
		return false;
	return parse_samples(m, p, end);
}
