/* numkit: small number utilities (roman numerals, strict integer parsing,
 * primes).  The library under test in the check-project example. */
#ifndef NUMKIT_H
#define NUMKIT_H

#include <stddef.h>

enum nk_error {
	NK_OK = 0,
	NK_EINVAL = -1,		/* not a number / not a canonical numeral */
	NK_ERANGE = -2,		/* value out of the representable range */
};

/* Write @value (1..3999) as a roman numeral into @out.  Returns its length,
 * NK_ERANGE for a value out of range, NK_EINVAL if @size is too small. */
int nk_to_roman(char *out, size_t size, int value);

/* Parse a canonical upper-case roman numeral ("MCMXCIV", not "IIII"). */
int nk_from_roman(int *out, const char *numeral);

/* Parse a whole string as a signed decimal long: no leading space, no
 * trailing garbage.  NK_EINVAL or NK_ERANGE on error; *out is then 0. */
int nk_parse_long(long *out, const char *s);

/* 1 if @n is prime, else 0 (trial division by 6k +/- 1). */
int nk_is_prime(unsigned long n);

/* How many primes are < @limit (sieve of Eratosthenes); -1 without memory. */
long nk_count_primes(unsigned long limit);

/* Greatest common divisor; nk_gcd(0, 0) is 0. */
unsigned long nk_gcd(unsigned long a, unsigned long b);

#endif
