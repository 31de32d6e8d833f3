/*
 * Interop helper: decode a subunit file with libtestr and print each event in
 * the canonical text form of tests/subunit-record.h (python-events.py prints
 * python-subunit's view the same way), or re-encode every event as v2.
 *
 *   subunit-events [--v1|--v2] [--chunk N] FILE       canonical text
 *   subunit-events --reencode [--v1|--v2] FILE        v2 on stdout
 *
 * Corruption reports go to stderr as "corrupt OFFSET: WHAT".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/testr.h>

#include "../../subunit-record.h"

struct reencode {
	struct testr_context *ctx;
	int rc;
};

static int
write_stdout(void *userdata, const void *buf, size_t len)
{
	(void)userdata;
	return fwrite(buf, 1, len, stdout) == len ? 0 : TESTR_EIO;
}

static int
reencode_event(void *userdata, const struct testr_event *ev)
{
	struct reencode *re = userdata;

	return testr_subunit_encode_v2(re->ctx, ev, write_stdout, NULL);
}

static void
print_corrupt(void *userdata, uint64_t offset, const char *what)
{
	(void)userdata;
	fprintf(stderr, "corrupt %llu: %s\n", (unsigned long long)offset, what);
}

/* Feed @path in @chunk-byte pieces, so tests can vary the chunking. */
static int
decode_chunked(struct testr_context *ctx, const char *path, size_t chunk,
	       const struct testr_subunit_decoder_options *o)
{
	struct testr_subunit_decoder *dec;
	unsigned char *buf = malloc(chunk);
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc;

	if (!f || !buf) {
		perror(path);
		exit(2);
	}
	rc = testr_subunit_decoder_new(&dec, ctx, o);
	while (rc == 0 && (n = fread(buf, 1, chunk, f)) > 0)
		rc = testr_subunit_decoder_feed(dec, buf, n);
	if (rc == 0)
		rc = testr_subunit_decoder_finish(dec);
	testr_subunit_decoder_free(dec);
	fclose(f);
	free(buf);
	return rc;
}

int
main(int argc, char **argv)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct testr_context *ctx;
	struct reencode re = { 0 };
	struct rec r = { 0 };
	size_t chunk = 0;
	bool reencode = false;
	int i, rc;

	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--v1") == 0)
			o.protocol = TESTR_SUBUNIT_V1;
		else if (strcmp(argv[i], "--v2") == 0)
			o.protocol = TESTR_SUBUNIT_V2;
		else if (strcmp(argv[i], "--reencode") == 0)
			reencode = true;
		else if (strcmp(argv[i], "--chunk") == 0 && i + 1 < argc - 1)
			chunk = strtoul(argv[++i], NULL, 10);
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: subunit-events [--v1|--v2] "
				"[--reencode] [--chunk N] FILE\n");
		return 2;
	}
	testr_context_new(&ctx);
	re.ctx = ctx;
	o.on_event = reencode ? reencode_event : rec_event;
	o.userdata = reencode ? (void *)&re : (void *)&r;
	o.on_corrupt = print_corrupt;
	rc = chunk ? decode_chunked(ctx, argv[i], chunk, &o)
		   : testr_subunit_decode_file(ctx, argv[i], &o);
	if (!reencode)
		fputs(rec_text(&r), stdout);
	if (rc != 0)
		fprintf(stderr, "subunit-events: %s: %s\n", argv[i],
			testr_context_error(ctx));
	rec_free(&r);
	testr_context_free(ctx);
	return rc == 0 ? 0 : 1;
}
