/* numkit: small number utilities. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "numkit.h"

static const struct {
	int value;
	const char *symbol;
} roman_digits[] = {
	{ 1000, "M" }, { 900, "CM" }, { 500, "D" }, { 400, "CD" },
	{ 100, "C" },
#ifndef NUMKIT_BUG	/* `make BUG=1` forgets XC, so 90 comes out as LXXXX */
	{ 90, "XC" },
#endif
	{ 50, "L" }, { 40, "XL" }, { 10, "X" }, { 9, "IX" },
	{ 5, "V" }, { 4, "IV" }, { 1, "I" },
};

int
nk_to_roman(char *out, size_t size, int value)
{
	size_t len = 0;

	if (value < 1 || value > 3999)
		return NK_ERANGE;
	for (size_t i = 0; i < sizeof(roman_digits) / sizeof(roman_digits[0]); i++) {
		size_t n = strlen(roman_digits[i].symbol);

		while (value >= roman_digits[i].value) {
			if (len + n + 1 > size)
				return NK_EINVAL;
			memcpy(out + len, roman_digits[i].symbol, n);
			len += n;
			value -= roman_digits[i].value;
		}
	}
	out[len] = '\0';
	return (int)len;
}

static int
roman_digit(char c)
{
	switch (c) {
	case 'I': return 1;
	case 'V': return 5;
	case 'X': return 10;
	case 'L': return 50;
	case 'C': return 100;
	case 'D': return 500;
	case 'M': return 1000;
	default: return 0;
	}
}

int
nk_from_roman(int *out, const char *numeral)
{
	char canonical[32];
	int total = 0;

	*out = 0;
	for (const char *p = numeral; *p; p++) {
		int v = roman_digit(p[0]);

		if (!v || total > 4000)
			return NK_EINVAL;
		total += v < roman_digit(p[1]) ? -v : v;
	}
	/* Accept only the one spelling nk_to_roman gives: "IIII" is not 4. */
	if (nk_to_roman(canonical, sizeof(canonical), total) < 0 ||
	    strcmp(canonical, numeral) != 0)
		return NK_EINVAL;
	*out = total;
	return NK_OK;
}

int
nk_parse_long(long *out, const char *s)
{
	char *end;
	long v;

	*out = 0;
	if (!*s || isspace((unsigned char)*s))
		return NK_EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end)
		return NK_EINVAL;
	if (errno == ERANGE)
		return NK_ERANGE;
	*out = v;
	return NK_OK;
}

int
nk_is_prime(unsigned long n)
{
	if (n < 4)
		return n >= 2;
	if (n % 2 == 0 || n % 3 == 0)
		return 0;
	for (unsigned long d = 5; d <= n / d; d += 6)
		if (n % d == 0 || n % (d + 2) == 0)
			return 0;
	return 1;
}

long
nk_count_primes(unsigned long limit)
{
	unsigned char *composite;
	long count = 0;

	if (limit < 3)
		return 0;
	composite = calloc(limit, 1);
	if (!composite)
		return -1;
	for (unsigned long i = 2; i < limit; i++) {
		if (composite[i])
			continue;
		count++;
		for (unsigned long j = i * i; i <= limit / i && j < limit; j += i)
			composite[j] = 1;
	}
	free(composite);
	return count;
}

unsigned long
nk_gcd(unsigned long a, unsigned long b)
{
	while (b) {
		unsigned long t = a % b;

		a = b;
		b = t;
	}
	return a;
}
