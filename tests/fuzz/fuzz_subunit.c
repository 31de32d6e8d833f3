/*
 * libFuzzer target for the subunit decoder (built per protocol: FUZZ_PROTOCOL
 * is TESTR_SUBUNIT_V1, TESTR_SUBUNIT_V2 or TESTR_SUBUNIT_TAP).  The input is
 * decoded in one piece and again in chunks whose sizes come from the input itself; the two must
 * give the same events and the same corruption reports, and every byte of
 * every event is read so that ASan sees any overrun.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "../subunit-record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
decode(const uint8_t *p, size_t len, unsigned seed, struct rec *r)
{
	uint64_t offset = 0;
	int rc = rec_decode(p, len, FUZZ_PROTOCOL, 0, seed, r, &offset);

	if (offset != len)
		abort();
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec whole = { 0 }, chunked = { 0 };
	unsigned seed = size ? data[0] | 1u : 1u;

	if (decode(data, size, 0, &whole) != 0 ||
	    decode(data, size, seed, &chunked) != 0)
		abort();
	if (strcmp(rec_text(&whole), rec_text(&chunked)) != 0 ||
	    strcmp(whole.corrupt, chunked.corrupt) != 0)
		abort();
	rec_free(&whole);
	rec_free(&chunked);
	return 0;
}
