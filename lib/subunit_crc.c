/* subunit_crc: the CRC32 of v2 packets (zlib's polynomial and result).
 *
 * Packets are mostly 40-100 bytes, where zlib's crc32() runs at a fifth of
 * its large-buffer speed (it needs long inputs to amortise its set-up).  On
 * x86 CPUs with PCLMULQDQ we fold 16 bytes per carry-less multiply instead
 * ("Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", Intel
 * 2009).  A packet whose length is not a multiple of 16 is treated as if
 * preceded by zero bytes, with a start value chosen so the zeros leave the
 * register at its usual ~0: no byte-at-a-time tail.  Without PCLMULQDQ,
 * zlib does the work.  Unit tests compare the two on every length. */
#include "config-build.h"

#include <string.h>
#include <zlib.h>

#include "subunit.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define HAVE_CLMUL 1

/* pad_start[k]: the register value that k zero bytes turn into ~0. */
static const uint32_t pad_start[16] = {
	0xffffffff, 0xf0958fd9, 0x9a1c9d90, 0xa32e2681, 0x9226f562,
	0xf47bf9cc, 0xaf4c9d16, 0x46865aa9, 0xefe4d0af, 0x31c08543,
	0xae0bacae, 0xdac6e4e8, 0xa65c386b, 0xe06f0ca5, 0xbae5bb0a,
	0x358d0ff4,
};

/* Fold 128 bits to the final 32 (the paper's constants for the reflected
 * CRC-32 polynomial 0x04c11db7). */
__attribute__((target("pclmul,sse4.1"))) static uint32_t
clmul_reduce(__m128i x)
{
	const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
	const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
	const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
	const __m128i low32 = _mm_setr_epi32(-1, 0, -1, 0);
	__m128i t;

	t = _mm_clmulepi64_si128(x, k3k4, 0x10);
	x = _mm_xor_si128(_mm_srli_si128(x, 8), t);
	t = _mm_srli_si128(x, 4);
	x = _mm_clmulepi64_si128(_mm_and_si128(x, low32), k5, 0x00);
	x = _mm_xor_si128(x, t);
	t = _mm_clmulepi64_si128(_mm_and_si128(x, low32), poly, 0x10);
	t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), poly, 0x00);
	return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x, t), 1);
}

/* The first 16-byte block: @pad zero bytes, then the packet's first bytes.
 * Shifting a vector load avoids a byte copy and the store-forwarding stall
 * that follows it; a packet under 16 bytes is copied (it may end the
 * buffer, so no 16-byte load may touch it). */
__attribute__((target("pclmul,sse4.1"))) static __m128i
first_block(const unsigned char *p, size_t n, size_t pad)
{
	unsigned char first[16] = { 0 };
	__m128i shift;

	if (n < 16) {
		memcpy(first + pad, p, 16 - pad);
		return _mm_loadu_si128((const __m128i *)first);
	}
	/* Byte j takes byte j - pad; negative indexes give zero. */
	shift = _mm_sub_epi8(_mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					   11, 12, 13, 14, 15),
			     _mm_set1_epi8((char)pad));
	return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), shift);
}

__attribute__((target("pclmul,sse4.1"))) static uint32_t
crc_clmul(const unsigned char *p, size_t n)
{
	const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
	size_t pad = (16 - n % 16) % 16;
	__m128i x, t;

	x = _mm_xor_si128(first_block(p, n, pad),
			  _mm_cvtsi32_si128((int)pad_start[pad]));
	for (p += 16 - pad, n -= 16 - pad; n > 0; p += 16, n -= 16) {
		t = _mm_clmulepi64_si128(x, k3k4, 0x00);
		x = _mm_clmulepi64_si128(x, k3k4, 0x11);
		x = _mm_xor_si128(_mm_xor_si128(x, t),
				  _mm_loadu_si128((const __m128i *)p));
	}
	return ~clmul_reduce(x);
}

static bool
have_clmul(void)
{
	static int cached = -1;

	/* A benign race: every thread computes the same answer. */
	if (cached < 0)
		cached = __builtin_cpu_supports("pclmul") &&
			 __builtin_cpu_supports("sse4.1");
	return cached;
}
#endif

uint32_t
subunit_crc32(const unsigned char *p, size_t n)
{
#ifdef HAVE_CLMUL
	if (n > 0 && have_clmul())
		return crc_clmul(p, n);
#endif
	return (uint32_t)crc32(0, p, (uInt)n);
}
