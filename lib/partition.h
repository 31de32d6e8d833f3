/* Private: grouping ids by their group key (lib/partition.c), shared by the
 * static partition and the work queue (lib/sched.c). */
#ifndef TESTR_LIB_PARTITION_H
#define TESTR_LIB_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <testr/partition.h>

struct group {
	const char *key;
	uint32_t key_len;
	uint32_t count;
	uint32_t untimed;
	double time;		/* sum of the known durations */
};

/* A hash table slot: the key's hash, to skip most key comparisons. */
struct slot {
	uint32_t hash;
	uint32_t group;		/* index + 1; 0: empty */
};

struct grouping {
	struct group *groups;	/* in order of first appearance */
	uint32_t n_groups;
	uint32_t *gid;		/* the group of each id */
	struct slot *slots;
	size_t mask;
	char **owned_keys;	/* keys copied from the group function */
	size_t n_owned;
};

/*
 * Group @ids by @opts' key function (NULL @opts or function: each id alone);
 * @durations (may be NULL; negative or NaN: unknown) are summed per group.
 * 0, TESTR_ENOMEM or the key function's error; dispose @g either way.
 */
int group_ids(struct grouping *g, const char *const *ids, size_t n_ids,
	      const double *durations,
	      const struct testr_partition_options *opts);
void grouping_dispose(struct grouping *g);

#endif
