/*
 * libtestr: which ids a run asks for (step 2 of `testr run`).
 *
 * Everything, or the repository's failing ids (--failing), or the ids of a
 * list file (--load-list), or the ids in both when both are given.  Listing
 * and filtering (run.h, filter.h) come after.
 */
#ifndef TESTR_SELECT_H
#define TESTR_SELECT_H

#include <stdbool.h>

#include <testr/common.h>
#include <testr/repo.h>

#ifdef __cplusplus
extern "C" {
#endif

struct testr_select_options {
	unsigned version;	/* = 1 */
	/* The repository's failing ids (testr run --failing). */
	bool failing;
	/* A list file (testr run --load-list): a subunit v2 enumeration or
	 * one id per line; NULL for none. */
	const char *load_list;
};

#define TESTR_SELECT_OPTIONS_INIT { .version = 1 }

/**
 * Choose the ids to run.  *@all is set true when @opts asks for neither
 * source: the run is of every test and nothing is appended to @out.
 * Otherwise the ids are appended to @out (failing ids in their stored
 * order, kept only when also in the list file), possibly none.  @repo may
 * be NULL unless @opts->failing.  Returns 0, or the error of
 * testr_select_read_list() or of reading the failing set; nothing is
 * appended then.
 */
TESTR_API int testr_select_ids(struct testr_strv *out, bool *all,
			       struct testr_context *ctx,
			       struct testr_repo *repo,
			       const struct testr_select_options *opts);

/**
 * Append the ids of the list file at @path to @out (see
 * testr_run_parse_listing()).  A pipe is read to its end; a directory,
 * a device or a file that cannot be read is an error naming @path:
 * TESTR_EIO (nothing appended), or TESTR_ENOMEM.
 */
TESTR_API int testr_select_read_list(struct testr_strv *out,
				     struct testr_context *ctx,
				     const char *path);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_SELECT_H */
