/*
 * Parsing a listing: the ids a test list command printed (a subunit v2
 * enumeration, or plain lines), and the ids of a --load-list file.
 */
#include "config-build.h"

#include <string.h>

#include <testr/run.h>
#include <testr/subunit.h>

#include "context.h"
#include "ini.h"
#include "list.h"

struct listing {
	struct testr_strv *out;
	size_t packets;		/* real subunit events seen */
	int rc;
};

static int
listing_event(void *userdata, const struct testr_event *ev)
{
	struct listing *l = userdata;

	/* Non-subunit bytes come as a "stdout" file with no test id. */
	if (!(ev->fields & TESTR_EVENT_TEST_ID) && ev->file_name &&
	    strcmp(ev->file_name, "stdout") == 0)
		return 0;
	l->packets++;
	if (ev->status == TESTR_STATUS_EXISTS &&
	    (ev->fields & TESTR_EVENT_TEST_ID))
		return testr_strv_push(l->out, ev->test_id);
	return 0;
}

/*
 * An id is a C string everywhere after this point ($IDFILE lines, argv,
 * the repository): a NUL would silently cut it, and the cut id would run
 * (or match) another test.  Refuse it, naming it whole.
 */
static int
nul_error(struct testr_context *ctx, const char *source, size_t line,
	  const char *id, size_t len)
{
	char q[512];

	return context_fail(ctx, TESTR_EPARSE, "%s, line %zu: test id %s holds "
			  "a NUL byte, which no test id can carry", source,
			  line, testr_quote(q, sizeof(q), id, len));
}

/* Plain lines, stripped as Python's str.strip() does; blanks skipped. */
static int
listing_lines(struct testr_strv *out, struct testr_context *ctx,
	      const char *source, const char *buf, size_t len)
{
	const char *end = buf + len;

	for (size_t line = 1; buf < end; line++) {
		const char *nl = memchr(buf, '\n', (size_t)(end - buf));
		const char *stop = nl ? nl : end;
		const char *s = buf;

		py_strip(&s, &stop);
		if (memchr(s, '\0', (size_t)(stop - s)))
			return nul_error(ctx, source, line, s,
					 (size_t)(stop - s));
		if (stop > s && testr_strv_pushn(out, s, (size_t)(stop - s)) < 0)
			return TESTR_ENOMEM;
		buf = nl ? nl + 1 : end;
	}
	return TESTR_OK;
}

int
list_parse(struct testr_strv *out, struct testr_context *ctx,
	   const char *source, const void *buf, size_t len)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_subunit_decoder *dec;
	struct listing l = { out, 0, 0 };
	int rc;

	o.protocol = TESTR_SUBUNIT_V2;
	o.on_event = listing_event;
	o.userdata = &l;
	o.noise_file_name = "stdout";
	rc = testr_subunit_decoder_new(&dec, ctx, &o);
	if (rc < 0)
		return rc;
	rc = testr_subunit_decoder_feed(dec, buf, len);
	if (rc == 0)
		rc = testr_subunit_decoder_finish(dec);
	testr_subunit_decoder_free(dec);
	if (rc < 0 || l.packets > 0)
		return rc;
	/* No subunit at all (so nothing was pushed): one id per line. */
	return listing_lines(out, ctx, source, buf, len);
}

TESTR_API int
testr_run_parse_listing(struct testr_strv *out, struct testr_context *ctx,
			const void *buf, size_t len)
{
	return list_parse(out, ctx, "the test listing", buf, len);
}
