/*
 * Private: the durations store "times" (lib/repo_times.c): open, look up,
 * write, and the per-test models folded from runs.  Rebuilding it from the
 * run files is repair's job (repo_repair.h).
 */
#ifndef TESTR_LIB_REPO_TIMES_H
#define TESTR_LIB_REPO_TIMES_H

#include "repo_idmap.h"
#include "repo_scan.h"
#include "repo_store.h"

struct model_rec;

struct repo_times {
	struct fileio_map map;
	const unsigned char *body;	/* first entry line */
	size_t body_len;
	uint64_t upto;			/* runs folded in */
	uint64_t n;
	unsigned version;		/* 1: last duration only; 2: models */
	double median;			/* of all estimates; NAN: none (or v1) */
};

/*
 * Open the store: TESTR_ENOTFOUND when absent, TESTR_ECORRUPT when its
 * header or checksum is wrong.
 */
int repo_times_open(struct repo_times *t, struct testr_repo *repo);
void repo_times_close(struct repo_times *t);
/* Look @id's latest duration up; true and *out set when known. */
bool repo_times_lookup(const struct repo_times *t, const char *id,
		       size_t len, double *out);
/* Look @id's model up; true and *out set when known. */
bool repo_times_model(const struct repo_times *t, const char *id, size_t len,
		      struct model_rec *out);
/*
 * The models of @ids[0..n): @fn is called with the index in @ids and the
 * model of each known id (borrowed for the call), in no particular order.
 * Many ids are read in one pass over the store (sorted as it is), a few by
 * a binary search each.  0 or TESTR_ENOMEM.
 */
typedef void (*repo_times_found_fn)(void *userdata, size_t index,
				    const struct model_rec *m);
int repo_times_models(const struct repo_times *t, const char *const *ids,
		      size_t n, repo_times_found_fn fn, void *userdata);
/* Every test's model in id order, with its escaped id; stops on non-zero. */
typedef int (*repo_times_fn)(void *userdata, const char *esc, size_t len,
			     const struct model_rec *m);
int repo_times_each(const struct repo_times *t, repo_times_fn fn,
		    void *userdata);
/*
 * Write a new store: old entries of @old (may be NULL) merged with the timed
 * tests of @tests (they win), stamped as covering @upto runs.
 */
int repo_times_write(struct testr_repo *repo, const struct repo_times *old,
		     const struct repo_idmap *tests, uint64_t upto);

/* Models rebuilt from stored runs (testrepository's repositories, repair). */
struct repo_models {
	struct repo_idmap ids;		/* start_ns holds the index into recs */
	struct model_rec *recs;
	size_t cap;
};

void repo_models_init(struct repo_models *m);
void repo_models_dispose(struct repo_models *m);
/* Fold one finished run into @m.  0 or TESTR_ENOMEM. */
int repo_models_fold(struct repo_models *m, const struct repo_scan *one);
/* @id's model, NULL when unknown. */
const struct model_rec *repo_models_find(const struct repo_models *m,
					 const char *id, size_t len);

/* As repo_times_write(), with rebuilt models (@models) folded on top. */
int repo_times_write_models(struct testr_repo *repo,
			    const struct repo_times *old,
			    const struct repo_models *models, uint64_t upto);

#endif
