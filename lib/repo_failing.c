/*
 * The failing set "failing": a subunit stream holding every event of every
 * currently failing test.  After a full run it is that run's failures; after
 * a partial run, the old failures of tests the run did not touch, then the
 * run's failures.
 */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "repo_failing.h"

struct copier {
	struct testr_repo *repo;
	struct fileio_out *out;
	const struct repo_idmap *tests;
	bool want_failing;	/* copy tests failing in @tests, else unseen ones */
	const struct repo_test *last;	/* lookup cache: events come together */
	const char *last_id;
};

static int
write_out(void *userdata, const void *buf, size_t len)
{
	return fileio_out_write(userdata, buf, len);
}

static int
copy_event(void *userdata, const struct testr_event *ev)
{
	struct copier *c = userdata;
	const struct repo_test *t;

	if (!(ev->fields & TESTR_EVENT_TEST_ID) || !ev->test_id)
		return 0;
	if (c->last_id && strcmp(c->last_id, ev->test_id) == 0) {
		t = c->last;
	} else {
		t = repo_idmap_find(c->tests, ev->test_id, strlen(ev->test_id));
		c->last = t;
		c->last_id = t ? t->id : NULL;
	}
	if (c->want_failing ? !t || !(t->flags & TEST_FAILING) : t != NULL)
		return 0;
	return testr_subunit_encode_v2(c->repo->ctx, ev, write_out, c->out);
}

static bool
any_failing(const struct repo_idmap *tests)
{
	for (size_t i = 0; i < tests->n; i++)
		if (repo_idmap_at(tests, i)->flags & TEST_FAILING)
			return true;
	return false;
}

/* Copy from @path; a damaged file is reported and its readable part kept. */
static int
copy_from(struct copier *c, const char *path)
{
	int rc = repo_decode_file(c->repo, path, copy_event, c);

	if (rc == TESTR_ECORRUPT || (rc == TESTR_ENOTFOUND && !c->want_failing)) {
		if (rc == TESTR_ECORRUPT)
			context_log(c->repo->ctx, TESTR_LOG_WARNING,
				  "%s; kept what was readable",
				  testr_context_error(c->repo->ctx));
		testr_context_clear_error(c->repo->ctx);
		rc = 0;
	}
	return rc;
}

int
repo_failing_apply(struct testr_repo *repo, uint64_t id,
		   struct repo_scan *scan, bool partial)
{
	struct fileio_out out;
	struct copier c = { repo, &out, &scan->tests, false, NULL, NULL };
	char *path = repo_file(repo, "failing");
	char *run = repo_run_file(repo, id, "");
	int rc = path && run ? fileio_out_open(&out, repo->ctx, path) :
		 TESTR_ENOMEM;

	if (rc < 0)
		goto done;
	if (partial)
		rc = copy_from(&c, path);
	c.want_failing = true;
	c.last = NULL;
	c.last_id = NULL;
	if (rc == 0 && any_failing(&scan->tests))
		rc = copy_from(&c, run);
	if (rc == 0)
		rc = fileio_out_commit(&out);
	else
		fileio_out_abort(&out);
	if (rc == 0)
		rc = repo_write_counter(repo, "failing.upto", id + 1);
done:
	free(run);
	free(path);
	return rc;
}
