/* The numkit test suite.  Each START_TEST is one test with a stable id
 * "<group>.<name>" (see the table at the end). */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../src/numkit.h"
#include "runner.h"

static const char *
roman(int value)
{
	static char buf[32];

	return nk_to_roman(buf, sizeof(buf), value) > 0 ? buf : "(error)";
}

START_TEST(roman_encodes_small_values)
{
	ck_assert_str_eq(roman(1), "I");
	ck_assert_str_eq(roman(3), "III");
	ck_assert_str_eq(roman(8), "VIII");
}
END_TEST

START_TEST(roman_encodes_subtractive_pairs)
{
	ck_assert_str_eq(roman(4), "IV");
	ck_assert_str_eq(roman(90), "XC");
	ck_assert_str_eq(roman(1994), "MCMXCIV");
}
END_TEST

START_TEST(roman_rejects_out_of_range_values)
{
	char buf[32];

	ck_assert_int_eq(nk_to_roman(buf, sizeof(buf), 0), NK_ERANGE);
	ck_assert_int_eq(nk_to_roman(buf, sizeof(buf), 4000), NK_ERANGE);
}
END_TEST

START_TEST(roman_refuses_a_short_buffer)
{
	char buf[4];

	ck_assert_int_eq(nk_to_roman(buf, sizeof(buf), 8), NK_EINVAL);
	ck_assert_int_eq(nk_to_roman(buf, sizeof(buf), 7), 3);
}
END_TEST

START_TEST(roman_rejects_non_canonical_numerals)
{
	int v;

	ck_assert_int_eq(nk_from_roman(&v, "IIII"), NK_EINVAL);
	ck_assert_int_eq(nk_from_roman(&v, "VX"), NK_EINVAL);
	ck_assert_int_eq(nk_from_roman(&v, "mcm"), NK_EINVAL);
	ck_assert_int_eq(nk_from_roman(&v, ""), NK_EINVAL);
}
END_TEST

/* Every value, many times over: the slow test of this group. */
START_TEST(roman_round_trips_every_value)
{
	for (int pass = 0; pass < 10; pass++) {
		for (int i = 1; i <= 3999; i++) {
			int back = 0;

			ck_assert_int_eq(nk_from_roman(&back, roman(i)), NK_OK);
			ck_assert_int_eq(back, i);
		}
	}
}
END_TEST

START_TEST(parse_accepts_signed_decimals)
{
	long v;

	ck_assert_int_eq(nk_parse_long(&v, "-42"), NK_OK);
	ck_assert_int_eq(v, -42);
	ck_assert_int_eq(nk_parse_long(&v, "+7"), NK_OK);
	ck_assert_int_eq(v, 7);
}
END_TEST

START_TEST(parse_rejects_trailing_garbage)
{
	long v = 1;

	ck_assert_int_eq(nk_parse_long(&v, "12abc"), NK_EINVAL);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(nk_parse_long(&v, " 12"), NK_EINVAL);
	ck_assert_int_eq(nk_parse_long(&v, ""), NK_EINVAL);
}
END_TEST

START_TEST(parse_detects_overflow_both_ways)
{
	char big[64];
	long v;

	snprintf(big, sizeof(big), "%ld0", LONG_MAX);
	ck_assert_int_eq(nk_parse_long(&v, big), NK_ERANGE);
	snprintf(big, sizeof(big), "%ld0", LONG_MIN);
	ck_assert_int_eq(nk_parse_long(&v, big), NK_ERANGE);
}
END_TEST

/* Every printed value parses back: a few hundred thousand of them. */
START_TEST(parse_round_trips_printed_values)
{
	char text[32];
	long v;

	for (long i = -400000; i <= 400000; i++) {
		snprintf(text, sizeof(text), "%ld", i * 7919);
		if (nk_parse_long(&v, text) != NK_OK || v != i * 7919)
			ck_abort_msg("%s did not round-trip", text);
	}
}
END_TEST

START_TEST(primes_small_numbers_are_classified)
{
	static const unsigned long primes[] = { 2, 3, 5, 7, 11, 13, 97, 7919 };
	static const unsigned long others[] = { 0, 1, 4, 9, 25, 91, 7917 };

	for (size_t i = 0; i < sizeof(primes) / sizeof(primes[0]); i++)
		ck_assert_msg(nk_is_prime(primes[i]), "%lu is prime", primes[i]);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		ck_assert_msg(!nk_is_prime(others[i]), "%lu is not", others[i]);
}
END_TEST

START_TEST(primes_counts_below_one_million)
{
	ck_assert_int_eq(nk_count_primes(1000000), 78498);
}
END_TEST

START_TEST(primes_counts_below_twenty_million)
{
	ck_assert_int_eq(nk_count_primes(20000000), 1270607);
}
END_TEST

/* Trial division against the sieve over a range: slow on purpose. */
START_TEST(primes_trial_division_agrees_with_sieve)
{
	long n = 0;

	for (unsigned long i = 0; i < 3000000; i++)
		n += nk_is_prime(i);
	ck_assert_int_eq(n, nk_count_primes(3000000));
}
END_TEST

START_TEST(gcd_of_coprimes_is_one)
{
	ck_assert_uint_eq(nk_gcd(35, 64), 1);
	ck_assert_uint_eq(nk_gcd(1071, 462), 21);
}
END_TEST

START_TEST(gcd_with_zero_is_the_other_value)
{
	ck_assert_uint_eq(nk_gcd(0, 12), 12);
	ck_assert_uint_eq(nk_gcd(12, 0), 12);
	ck_assert_uint_eq(nk_gcd(0, 0), 0);
}
END_TEST

/* Euclid against a brute-force search for the largest common divisor. */
START_TEST(gcd_agrees_with_brute_force)
{
	for (unsigned long a = 1; a < 600; a++) {
		for (unsigned long b = 1; b < 600; b++) {
			unsigned long d = a < b ? a : b;

			while (a % d || b % d)
				d--;
			if (nk_gcd(a, b) != d)
				ck_abort_msg("gcd(%lu, %lu) != %lu", a, b, d);
		}
	}
}
END_TEST

static const struct runner_test tests[] = {
	RUNNER_TEST(roman, encodes_small_values),
	RUNNER_TEST(roman, encodes_subtractive_pairs),
	RUNNER_TEST(roman, rejects_out_of_range_values),
	RUNNER_TEST(roman, refuses_a_short_buffer),
	RUNNER_TEST(roman, rejects_non_canonical_numerals),
	RUNNER_TEST(roman, round_trips_every_value),
	RUNNER_TEST(parse, accepts_signed_decimals),
	RUNNER_TEST(parse, rejects_trailing_garbage),
	RUNNER_TEST(parse, detects_overflow_both_ways),
	RUNNER_TEST(parse, round_trips_printed_values),
	RUNNER_TEST(primes, small_numbers_are_classified),
	RUNNER_TEST(primes, counts_below_one_million),
	RUNNER_TEST(primes, counts_below_twenty_million),
	RUNNER_TEST(primes, trial_division_agrees_with_sieve),
	RUNNER_TEST(gcd, of_coprimes_is_one),
	RUNNER_TEST(gcd, with_zero_is_the_other_value),
	RUNNER_TEST(gcd, agrees_with_brute_force),
};

int
main(int argc, char **argv)
{
	return runner_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
