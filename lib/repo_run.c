/*
 * Reading a stored run file, checked against the size and CRC-32 its index
 * recorded: a run file emptied or replaced after it was stored is reported
 * by name, never read as a run that passed.  Reading a run checks its size
 * before the first byte and its CRC-32 as the bytes go by (one pass over
 * the file, not two), so a file of the right size but the wrong content
 * is reported (TESTR_ECORRUPT) after its events.
 */
#include "config-build.h"

#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
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

static int
mismatch(struct testr_repo *repo, uint64_t id, uint64_t bytes, uint32_t crc,
	 const struct repo_index_head *h)
{
	return context_fail(repo->ctx, TESTR_ECORRUPT, "%s/%" PRIu64 ": run "
			    "file is not the one stored (%" PRIu64 " bytes, "
			    "CRC-32 %08" PRIx32 "; its index says %" PRIu64
			    " bytes, %08" PRIx32 "): emptied or replaced",
			    repo->path, id, bytes, crc, h->run_bytes,
			    h->run_crc);
}

/*
 * The index header to check run @id against: 0, or 1 when there is none to
 * check against (a testrepository repository, a missing or damaged index).
 */
static int
check_against(struct repo_index_head *out, struct testr_repo *repo,
	      uint64_t id)
{
	int rc;

	if (repo->legacy)
		return 1;	/* testrepository keeps no index */
	rc = repo_index_head(out, repo, id);
	if (rc < 0)
		testr_context_clear_error(repo->ctx);
	return rc == TESTR_ENOMEM ? rc : rc < 0;
}

int
repo_run_check(struct testr_repo *repo, uint64_t id)
{
	struct repo_index_head h;
	uint64_t bytes;
	uint32_t crc;
	int rc = check_against(&h, repo, id);

	if (rc != 0)
		return rc < 0 ? rc : 0;
	rc = repo_run_measure(&bytes, &crc, repo, id);
	if (rc == 0 && (bytes != h.run_bytes || crc != h.run_crc))
		rc = mismatch(repo, id, bytes, crc, &h);
	return rc;
}

/* Size and CRC-32 of the bytes read so far; @done at the end of the file. */
struct run_sum {
	uLong crc;
	uint64_t bytes;
	bool done;
};

static int
sum_chunk(void *userdata, const void *buf, size_t len)
{
	struct run_sum *s = userdata;

	s->crc = crc32_z(s->crc, buf, len);
	s->bytes += len;
	s->done = len == 0;
	return 0;
}

/* The decode, its bytes checked against @h as they are read. */
static int
decode_checked(struct testr_repo *repo, uint64_t id, const char *path,
	       const struct repo_index_head *h, testr_event_fn fn,
	       void *userdata)
{
	struct run_sum sum = { crc32_z(0, NULL, 0), 0, false };
	struct stat st;
	int rc;

	/* Emptied or cut short: said before a single event is read. */
	if (stat(path, &st) == 0 && (uint64_t)st.st_size != h->run_bytes)
		return repo_run_check(repo, id);
	rc = repo_decode_file_watched(repo, path, fn, userdata, sum_chunk,
				      &sum);
	if ((rc == 0 || rc == TESTR_ECORRUPT) && sum.done &&
	    (sum.bytes != h->run_bytes || (uint32_t)sum.crc != h->run_crc)) {
		testr_context_clear_error(repo->ctx);
		rc = mismatch(repo, id, sum.bytes, (uint32_t)sum.crc, h);
	}
	return rc;
}

int
repo_run_decode(struct testr_repo *repo, uint64_t id, testr_event_fn fn,
		void *userdata)
{
	struct repo_index_head h;
	char *path = repo_run_file(repo, id, "");
	int rc = path ? check_against(&h, repo, id) : TESTR_ENOMEM;

	if (rc == 1)
		rc = repo_decode_file(repo, path, fn, userdata);
	else if (rc == 0)
		rc = decode_checked(repo, id, path, &h, fn, userdata);
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
