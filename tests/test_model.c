/* Unit tests for one test's duration model (lib/model.c). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/model.h"
#include "../lib/repo.h"
#include "harness.h"

const char harness_module[] = "model";

START_TEST(model_median_resists_one_slow_run)
{
	struct model_rec m;
	const double runs[] = { 1.0, 1.1, 0.9, 12.0, 1.0 };

	model_init(&m);
	for (size_t i = 0; i < 5; i++)
		model_observe(&m, runs[i], true);
	ck_assert_double_eq_tol(model_estimate(&m), 1.0, 1e-9);
	/* MAD of |0,0.1,0.1,11,0| is 0.1: the outlier barely widens it. */
	ck_assert_double_eq_tol(model_spread(&m), 0.14826, 1e-9);
	ck_assert_double_eq_tol(m.last, 1.0, 1e-9);
}
END_TEST

START_TEST(model_median_of_an_even_count_averages_the_middle_two)
{
	double v[] = { 4, 1, 3, 2 };

	ck_assert_double_eq_tol(model_median(v, 4), 2.5, 1e-12);
	ck_assert(isnan(model_median(v, 0)));
}
END_TEST

START_TEST(model_median_of_few_and_of_many_values)
{
	/* Up to 16 values are sorted in place by insertion, more by qsort:
	 * both give the middle, and leave @v sorted. */
	for (size_t n = 1; n <= 40; n++) {
		double v[40];
		uint32_t r = 12345;

		for (size_t i = 0; i < n; i++)
			v[i] = (double)i;
		for (size_t i = n - 1; i > 0; i--) {	/* a fixed shuffle */
			size_t k;
			double t = v[i];

			r = r * 1103515245u + 12345u;
			k = (r >> 16) % (i + 1);
			v[i] = v[k];
			v[k] = t;
		}
		ck_assert_double_eq_tol(model_median(v, n), (double)(n - 1) / 2,
					1e-12);
		for (size_t i = 1; i < n; i++)
			ck_assert(v[i - 1] <= v[i]);
	}
}
END_TEST

START_TEST(model_failed_runs_are_the_latest_but_no_sample)
{
	struct model_rec m;

	model_init(&m);
	ck_assert(isnan(model_estimate(&m)));
	ck_assert(isnan(model_spread(&m)));
	model_observe(&m, 2.0, true);
	model_observe(&m, 0.01, false);		/* failed fast */
	model_observe(&m, -1.0, true);		/* clock went backwards */
	ck_assert_uint_eq(m.n, 1);
	ck_assert_double_eq_tol(model_estimate(&m), 2.0, 1e-12);
	ck_assert_double_eq_tol(m.last, -1.0, 1e-12);
}
END_TEST

START_TEST(model_keeps_only_the_last_eight_samples)
{
	struct model_rec m, later;

	model_init(&m);
	for (int i = 1; i <= 10; i++)
		model_observe(&m, i, true);
	ck_assert_uint_eq(m.n, MODEL_SAMPLES);
	ck_assert_double_eq_tol(m.s[0], 3, 1e-12);
	ck_assert_double_eq_tol(model_estimate(&m), 6.5, 1e-12);
	/* Appending newer runs pushes the oldest out, in order. */
	model_init(&later);
	model_observe(&later, 20, true);
	model_observe(&later, 30, false);
	model_append(&m, &later);
	ck_assert_uint_eq(m.n, MODEL_SAMPLES);
	ck_assert_double_eq_tol(m.s[0], 4, 1e-12);
	ck_assert_double_eq_tol(m.s[7], 20, 1e-12);
	ck_assert_double_eq_tol(m.last, 30, 1e-12);
}
END_TEST

START_TEST(model_line_fields_round_trip)
{
	struct model_rec m, back;
	char buf[MODEL_LINE_MAX];

	model_init(&m);
	model_observe(&m, 0.5, true);
	model_observe(&m, 1.5, true);
	model_observe(&m, 9, false);
	model_format(buf, &m);
	ck_assert_str_eq(buf, "9.000000\t1.000000\t0.741300\t0.500000,1.500000");
	ck_assert(model_parse(&back, buf, strlen(buf)));
	ck_assert_uint_eq(back.n, 2);
	ck_assert_double_eq_tol(back.s[1], 1.5, 1e-12);
	ck_assert_double_eq_tol(back.last, 9, 1e-12);
	model_init(&m);
	model_observe(&m, 3, false);
	model_format(buf, &m);
	ck_assert_str_eq(buf, "3.000000\t-\t-\t");
	ck_assert(model_parse(&back, buf, strlen(buf)));
	ck_assert_uint_eq(back.n, 0);
}
END_TEST

START_TEST(model_parse_rejects_malformed_fields)
{
	static const char *const bad[] = { "", "1", "1\t2", "1\t2\t3",
		"x\t-\t-\t", "1\t-\t-\t1,", "1\t-\t-\t-1", "1\t-\t-\t1,,2",
		"1\t-\t-\t1,2,3,4,5,6,7,8,9", "1\t-\t-\tinf" };
	struct model_rec m;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!model_parse(&m, bad[i], strlen(bad[i])),
			      "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(model_parse_reads_every_number_as_strtod_does)
{
	/* The six-decimal fast path must give strtod's double, bit for bit;
	 * other spellings still parse (through strtod). */
	static const char *const fields[] = { "0.000001", "0.1", "1e-3",
		"123456789.999999", "1234567890.123456", "0.300000",
		"2.675000", " 1.5", "+2.5" };
	uint64_t x = 88172645463325252ULL;
	struct model_rec m;
	char line[96];

	for (size_t i = 0; i < 50000 + sizeof(fields) / sizeof(fields[0]); i++) {
		char num[40];
		double want;

		if (i < sizeof(fields) / sizeof(fields[0])) {
			snprintf(num, sizeof(num), "%s", fields[i]);
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			snprintf(num, sizeof(num), "%llu.%06llu",
				 (unsigned long long)(x >> 20) % (i % 2 ? 1000 :
							       1000000000),
				 (unsigned long long)(x % 1000000));
		}
		want = strtod(num, NULL);
		snprintf(line, sizeof(line), "%s\t-\t-\t%s", num, num);
		ck_assert_msg(model_parse(&m, line, strlen(line)), "refused %s",
			      num);
		ck_assert_msg(memcmp(&m.last, &want, sizeof(want)) == 0 &&
			      memcmp(&m.s[0], &want, sizeof(want)) == 0,
			      "%s read as %.17g, strtod says %.17g", num,
			      m.last, want);
	}
}
END_TEST

START_TEST(model_numbers_are_written_as_printf_would)
{
	/* repo_format_seconds() is "%.6f" of the value rounded to whole
	 * microseconds (half away from zero). */
	static const double fixed[] = { 0, 0.0000004, 0.0000005, 1, 9.999999,
		10, 0.123456, 123456789.000001, -0.5, -1e-6, 4294967295.999999 };
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < 20000 + sizeof(fixed) / sizeof(fixed[0]); i++) {
		char got[40], want[64];
		double v, us;
		unsigned long long u;

		if (i < sizeof(fixed) / sizeof(fixed[0])) {
			v = fixed[i];
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			v = (double)(x >> 11) / (double)(1ULL << 53) *
			    (i % 3 ? 10.0 : 1e9);
		}
		us = v * 1e6;
		us = us < 0 ? us - 0.5 : us + 0.5;
		u = (unsigned long long)llabs((long long)us);
		snprintf(want, sizeof(want), "%s%llu.%06llu",
			 (long long)us < 0 ? "-" : "", u / 1000000,
			 u % 1000000);
		ck_assert_uint_eq(repo_format_seconds(got, v), strlen(want));
		ck_assert_str_eq(got, want);
	}
}
END_TEST

START_TEST(model_timeout_is_factor_times_median_plus_three_spreads)
{
	struct testr_estimate e = { 2.0, 0.5, 8, TESTR_ESTIMATE_MEASURED };

	/* 5 x (2 + 3 x 0.5) = 17.5, above the floor of 10. */
	ck_assert_double_eq_tol(model_timeout(&e, 10, 5), 17.5, 1e-9);
	/* One sample: no spread (NAN reads as 0). */
	e.spread = NAN;
	ck_assert_double_eq_tol(model_timeout(&e, 1, 3), 6.0, 1e-9);
}
END_TEST

START_TEST(model_timeout_never_goes_below_the_floor)
{
	struct testr_estimate e = { 0.01, 0.0, 8, TESTR_ESTIMATE_MEASURED };

	ck_assert_double_eq_tol(model_timeout(&e, 60, 5), 60.0, 1e-9);
}
END_TEST

START_TEST(model_timeout_of_a_test_without_its_own_history_is_the_floor)
{
	struct testr_estimate none = { NAN, NAN, 0, TESTR_ESTIMATE_NONE };
	/* A group's or the project's median says nothing about this test. */
	struct testr_estimate group = { 100.0, NAN, 0, TESTR_ESTIMATE_GROUP };
	struct testr_estimate project = { 100.0, NAN, 0,
					  TESTR_ESTIMATE_PROJECT };

	ck_assert_double_eq_tol(model_timeout(&none, 30, 5), 30.0, 1e-9);
	ck_assert_double_eq_tol(model_timeout(&group, 30, 5), 30.0, 1e-9);
	ck_assert_double_eq_tol(model_timeout(&project, 30, 5), 30.0, 1e-9);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, model_timeout_is_factor_times_median_plus_three_spreads);
	HARNESS_ADD(h, model_timeout_never_goes_below_the_floor);
	HARNESS_ADD(h, model_timeout_of_a_test_without_its_own_history_is_the_floor);
	HARNESS_ADD(h, model_median_resists_one_slow_run);
	HARNESS_ADD(h, model_median_of_an_even_count_averages_the_middle_two);
	HARNESS_ADD(h, model_failed_runs_are_the_latest_but_no_sample);
	HARNESS_ADD(h, model_keeps_only_the_last_eight_samples);
	HARNESS_ADD(h, model_line_fields_round_trip);
	HARNESS_ADD(h, model_parse_rejects_malformed_fields);
	HARNESS_ADD(h, model_parse_reads_every_number_as_strtod_does);
	HARNESS_ADD(h, model_median_of_few_and_of_many_values);
	HARNESS_ADD(h, model_numbers_are_written_as_printf_would);
}
