/*
 * Parsing a listing (step 3 of a run): the test list command's output, or
 * a --load-list file.  Private: testr_run_parse_listing() is the public face.
 */
#ifndef TESTR_LIB_LIST_H
#define TESTR_LIB_LIST_H

#include <stddef.h>

#include <testr/common.h>

/*
 * As testr_run_parse_listing(), with @source naming where @buf came from in
 * error messages ("the test listing", "list file 'ids.txt'").  A plain line
 * holding a NUL byte is TESTR_EPARSE naming @source, the line and the id.
 */
int list_parse(struct testr_strv *out, struct testr_context *ctx,
	       const char *source, const void *buf, size_t len);

#endif
