/* The numkit test suite: a plain check suite.  Built with
 * `pkg-config --cflags --libs testr-check`, each test gets a stable id
 * "numkit.<tcase>.<test>" (see numkit_suite() at the end). */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../src/numkit.h"

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

/* One TCase per group; the heavy groups get a longer timeout than check's
 * 4 s default (testr-check keeps each TCase's timeout). */
static TCase *
group(Suite *s, const char *name, double timeout)
{
	TCase *tc = tcase_create(name);

	if (timeout > 0)
		tcase_set_timeout(tc, timeout);
	suite_add_tcase(s, tc);
	return tc;
}

static Suite *
numkit_suite(void)
{
	Suite *s = suite_create("numkit");
	TCase *roman = group(s, "roman", 30), *parse = group(s, "parse", 0);
	TCase *primes = group(s, "primes", 60), *gcd = group(s, "gcd", 30);

	tcase_add_test(roman, roman_encodes_small_values);
	tcase_add_test(roman, roman_encodes_subtractive_pairs);
	tcase_add_test(roman, roman_rejects_out_of_range_values);
	tcase_add_test(roman, roman_refuses_a_short_buffer);
	tcase_add_test(roman, roman_rejects_non_canonical_numerals);
	tcase_add_test(roman, roman_round_trips_every_value);
	tcase_add_test(parse, parse_accepts_signed_decimals);
	tcase_add_test(parse, parse_rejects_trailing_garbage);
	tcase_add_test(parse, parse_detects_overflow_both_ways);
	tcase_add_test(parse, parse_round_trips_printed_values);
	tcase_add_test(primes, primes_small_numbers_are_classified);
	tcase_add_test(primes, primes_counts_below_one_million);
	tcase_add_test(primes, primes_counts_below_twenty_million);
	tcase_add_test(primes, primes_trial_division_agrees_with_sieve);
	tcase_add_test(gcd, gcd_of_coprimes_is_one);
	tcase_add_test(gcd, gcd_with_zero_is_the_other_value);
	tcase_add_test(gcd, gcd_agrees_with_brute_force);
	return s;
}

/* A plain check main(), adopted for testr in four lines: main takes its
 * arguments, and testr_check_main() replaces srunner_run_all() (see
 * ../README).  Without options it is still exactly check's own run. */
int
main(int argc, char **argv)
{
	int status;
	SRunner *sr;

	sr = srunner_create(numkit_suite());
	status = testr_check_main(sr, argc, argv);
	srunner_free(sr);
	return status;
}
