/*
 * Reading a stored run file, checked first against the size and CRC-32 its
 * index recorded: a run file emptied or replaced after it was stored is
 * reported by name, never read as a run that passed.
 */
#include "config-build.h"

#include <inttypes.h>
#include <stdlib.h>
#include <zlib.h>

#include "context.h"
#include "repo_run.h"

int
repo_run_measure(uint64_t *out_bytes, uint32_t *out_crc,
		 struct testr_repo *repo, uint64_t id)
{
	struct fileio_map map;
	char *path = repo_run_file(repo, id, "");
	int rc = path ? fileio_map_file(&map, repo->ctx, path) : TESTR_ENOMEM;

	if (rc == TESTR_ENOTFOUND)
		rc = context_fail(repo->ctx, rc, "%s: no such run", path);
	if (rc == 0) {
		*out_bytes = map.len;
		*out_crc = (uint32_t)crc32_z(0, map.data, map.len);
		fileio_unmap(&map);
	}
	free(path);
	return rc;
}

int
repo_run_check(struct testr_repo *repo, uint64_t id)
{
	struct repo_index_head h;
	uint64_t bytes;
	uint32_t crc;
	int rc;

	if (repo->legacy)
		return 0;	/* testrepository keeps no index */
	rc = repo_index_head(&h, repo, id);
	if (rc < 0) {		/* nothing to check against */
		testr_context_clear_error(repo->ctx);
		return rc == TESTR_ENOMEM ? rc : 0;
	}
	rc = repo_run_measure(&bytes, &crc, repo, id);
	if (rc == 0 && (bytes != h.run_bytes || crc != h.run_crc))
		rc = context_fail(repo->ctx, TESTR_ECORRUPT, "%s/%" PRIu64 ": run "
				"file is not the one stored (%" PRIu64 " bytes, "
				"CRC-32 %08" PRIx32 "; its index says %" PRIu64
				" bytes, %08" PRIx32 "): emptied or replaced",
				repo->path, id, bytes, crc, h.run_bytes,
				h.run_crc);
	return rc;
}

int
repo_run_decode(struct testr_repo *repo, uint64_t id, testr_event_fn fn,
		void *userdata)
{
	char *path;
	int rc = repo_run_check(repo, id);

	if (rc < 0)
		return rc;
	path = repo_run_file(repo, id, "");
	rc = path ? repo_decode_file(repo, path, fn, userdata) : TESTR_ENOMEM;
	free(path);
	return rc;
}

int
repo_run_scan(struct repo_scan *s, struct testr_repo *repo, uint64_t id)
{
	int rc = repo_run_decode(repo, id, repo_scan_event_fn, s);

	repo_scan_finish(s);
	return rc;
}
