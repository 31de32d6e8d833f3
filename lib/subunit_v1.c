/* subunit_v1: the v1 text protocol (being written). */
#include "config-build.h"

#include <stdlib.h>

#include "context.h"
#include "subunit.h"

int
subunit_v1_feed(struct testr_subunit_decoder *dec, const unsigned char *p,
		size_t len)
{
	(void)p;
	(void)len;
	return testr_fail(dec->ctx, TESTR_EUNSUPPORTED,
			  "subunit v1 is not supported yet");
}

int
subunit_v1_finish(struct testr_subunit_decoder *dec)
{
	(void)dec;
	return TESTR_OK;
}

void
subunit_v1_free(struct subunit_v1 *v1)
{
	free(v1);
}
