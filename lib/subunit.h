/* Private: the subunit decoder state shared by the v1 and v2 readers. */
#ifndef TESTR_LIB_SUBUNIT_H
#define TESTR_LIB_SUBUNIT_H

#include <testr/subunit.h>

#include "strbuf.h"

/* v2 wire constants. */
#define SUBUNIT_V2_SIGNATURE 0xb3
#define SUBUNIT_V2_MAX_PACKET 4194303u	/* largest 3-byte length varint */
#define SUBUNIT_V2_MIN_PACKET 8u	/* signature, flags, length, CRC */

#define SUBUNIT_FLAG_VERSION_MASK 0xf000u
#define SUBUNIT_FLAG_VERSION_2 0x2000u
#define SUBUNIT_FLAG_TEST_ID 0x0800u
#define SUBUNIT_FLAG_ROUTE_CODE 0x0400u
#define SUBUNIT_FLAG_TIMESTAMP 0x0200u
#define SUBUNIT_FLAG_RUNNABLE 0x0100u
#define SUBUNIT_FLAG_TAGS 0x0080u
#define SUBUNIT_FLAG_FILE 0x0040u
#define SUBUNIT_FLAG_MIME_TYPE 0x0020u
#define SUBUNIT_FLAG_EOF 0x0010u
#define SUBUNIT_FLAG_RESERVED 0x0008u
#define SUBUNIT_FLAG_STATUS_MASK 0x0007u

/* Noise is handed on in pieces no larger than python-subunit's (1 MiB). */
#define SUBUNIT_NOISE_MAX (1u << 20)

struct subunit_v1;
struct subunit_tap;

/*
 * Mirrors python-subunit's incremental UTF-8 decoder over non-subunit bytes:
 * a 0xb3 in the middle of a UTF-8 character is text, not a packet.
 */
struct subunit_utf8_state {
	unsigned char pending[4];	/* a valid, incomplete UTF-8 prefix */
	unsigned n;
	bool mid;			/* last byte left a character open */
};

struct testr_subunit_decoder {
	struct testr_context *ctx;
	struct testr_subunit_decoder_options opts;
	const char *noise_name;
	enum testr_subunit_version protocol;	/* AUTO until the first byte */
	uint64_t offset;		/* stream offset of the next fed byte */
	uint64_t n_corrupt;

	/* v2: a packet that straddles feed chunks, copied here. */
	struct strbuf pend;
	size_t pend_total;		/* its length once the header is read */
	bool finishing;			/* no more input will come */
	uint64_t pend_off;
	struct subunit_utf8_state utf8;

	/* Scratch for NUL-terminated strings and the tag array of one event. */
	struct strbuf scratch;
	const char **tagv;
	size_t tag_cap;

	struct subunit_v1 *v1;
	struct subunit_tap *tap;

	/* AUTO: the current line while the protocol is still undecided. */
	struct strbuf sniff;
	bool sniff_midline;		/* sniff was flushed mid-line */
};

/* Report corruption at @off (stream offset). */
void subunit_corrupt(struct testr_subunit_decoder *dec, uint64_t off,
		     const char *what);

/* Emit @len non-subunit bytes as file events named noise_name. */
int subunit_emit_noise(struct testr_subunit_decoder *dec,
		       const unsigned char *p, size_t len);

/* Make room for @n bytes of scratch and @ntags tag pointers. */
int subunit_reserve(struct testr_subunit_decoder *dec, size_t n, size_t ntags);

/* True when @p[0..len) is strict UTF-8 (no overlongs, no surrogates). */
bool subunit_utf8_valid(const unsigned char *p, size_t len);

/* Feed one more non-subunit byte; returns whether a character is open. */
bool subunit_utf8_step(struct subunit_utf8_state *st, unsigned char c);

/* zlib's crc32(0, p, n), faster on short packets (subunit_crc.c). */
uint32_t subunit_crc32(const unsigned char *p, size_t n);

/*
 * 1 when the line @s[0..n) (its newline included once it has come) is a
 * command a v1 stream opens with, as the v1 reader splits commands; 0 when
 * it is not; -1 when more of the line is needed to tell.
 */
int subunit_v1_line_opens(const char *s, size_t n);

/* v2 reader (subunit_v2.c). */

/*
 * Step the UTF-8 state over non-subunit bytes p[i..n) and return the index
 * of the first 0xb3 that starts a character (a packet candidate), or n.
 */
size_t subunit_v2_noise_run(struct testr_subunit_decoder *dec,
			    const unsigned char *p, size_t i, size_t n);
int subunit_v2_feed(struct testr_subunit_decoder *dec,
		    const unsigned char *p, size_t len);
int subunit_v2_finish(struct testr_subunit_decoder *dec);

/* v1 reader (subunit_v1.c). */
int subunit_v1_feed(struct testr_subunit_decoder *dec,
		    const unsigned char *p, size_t len);
int subunit_v1_finish(struct testr_subunit_decoder *dec);
void subunit_v1_free(struct subunit_v1 *v1);

/* TAP reader (subunit_tap.c). */
int subunit_tap_feed(struct testr_subunit_decoder *dec,
		     const unsigned char *p, size_t len);
int subunit_tap_finish(struct testr_subunit_decoder *dec);
void subunit_tap_free(struct subunit_tap *tap);

/* Varint as on the v2 wire: 1-4 bytes, the top two bits of the first give
 * the width (00: 1 byte ... 11: 4).  Returns the width, or 0 when @len bytes
 * are too few.  Inline: it runs several times per packet. */
static inline size_t
subunit_varint_decode(const unsigned char *p, size_t len, uint32_t *out)
{
	size_t w;
	uint32_t v;

	if (len == 0)
		return 0;
	w = (size_t)(p[0] >> 6) + 1;
	if (len < w)
		return 0;
	v = p[0] & 0x3fu;
	for (size_t i = 1; i < w; i++)
		v = v << 8 | p[i];
	*out = v;
	return w;
}

#endif
