/*
 * api-example: what `testr run --parallel` does, step by step, through
 * libtestr.  Run it in a project directory that has a .testr.conf:
 *
 *     cc -o api-example api-example.c $(pkg-config --cflags --libs testr)
 *     ./api-example
 *
 * It loads the config, lists the tests, partitions them over the workers
 * by the durations recorded in .testrepository/ (if there is one), runs
 * the workers, prints one line per result, and stores the run (and the
 * runners' start-up cost) so that the next partition is better balanced.  Exit: 0 all passed, 1 failures, 3 an
 * error (its message on stderr).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <testr/testr.h>

struct tally {
	size_t passed, failed;
};

/* Every result of every worker comes here (the repository has it first). */
static int
show_result(void *userdata, const struct testr_event *ev)
{
	struct tally *t = userdata;

	if (!(ev->fields & TESTR_EVENT_TEST_ID))
		return 0;
	if (ev->status == TESTR_STATUS_SUCCESS)
		t->passed++;
	else if (ev->status == TESTR_STATUS_FAIL)
		t->failed++;
	else
		return 0;
	printf("%-7s %s\n", testr_status_name(ev->status), ev->test_id);
	return 0;
}

/* The recorded duration of each id, NAN where none is known. */
static int
durations_of(double *out, struct testr_repo *repo,
	     const struct testr_strv *ids)
{
	for (size_t i = 0; i < ids->n; i++)
		out[i] = NAN;
	if (!repo)
		return 0;
	return testr_repo_durations(out, repo, testr_strv_items(ids), ids->n);
}

/* Partition, run and store; the caller has the config and the ids. */
static int
run_tests(struct testr_context *ctx, struct testr_config *cfg,
	  struct testr_repo *repo, const struct testr_strv *ids,
	  struct tally *tally)
{
	struct testr_partition_options po = TESTR_PARTITION_OPTIONS_INIT;
	struct testr_run_options ro = TESTR_RUN_OPTIONS_INIT;
	struct testr_repo_writer *writer = NULL;
	struct testr_partition *part = NULL;
	struct testr_run *run = NULL;
	double *durations = calloc(ids->n + 1, sizeof(double));
	size_t workers = 0;
	uint64_t run_id;
	int rc = durations ? 0 : TESTR_ENOMEM;

	if (rc == 0)
		rc = durations_of(durations, repo, ids);
	if (rc == 0)
		rc = testr_run_concurrency(&workers, ctx, 0,
			testr_config_get(cfg, "test_run_concurrency"));
	/* group_regex decides which ids must share a worker. */
	po.group_key = testr_config_group_key;
	po.group_config = cfg;
	if (rc == 0)
		rc = testr_partition_new(&part, ctx, testr_strv_items(ids),
					 ids->n, durations, workers, &po);
	if (rc == 0 && repo)
		rc = testr_repo_writer_new(&writer, repo, NULL);
	ro.on_event = show_result;
	ro.event_userdata = tally;
	ro.on_store = writer ? testr_repo_writer_event_fn : NULL;
	ro.store_userdata = writer;
	/* The run records its runners' start-up cost there itself. */
	ro.repo = repo;
	if (rc == 0)
		rc = testr_run_start(&run, ctx, cfg, NULL, part, ids, &ro);
	if (rc == 0)
		rc = testr_run_wait(NULL, run);
	if (rc == 0 && writer)
		rc = testr_repo_writer_commit(&run_id, writer);
	testr_run_free(run);
	testr_repo_writer_free(writer);
	testr_partition_free(part);
	free(durations);
	return rc;
}

int
main(void)
{
	struct testr_run_options listing = TESTR_RUN_OPTIONS_INIT;
	struct testr_strv ids = TESTR_STRV_INIT;
	struct testr_context *ctx = NULL;
	struct testr_config *cfg = NULL;
	struct testr_repo *repo = NULL;
	struct tally tally = { 0, 0 };
	int rc = testr_context_new(&ctx);

	if (rc != 0)
		return 3;
	rc = testr_config_load_dir(&cfg, ctx, NULL);
	/* No repository is fine: nothing recorded, nothing stored. */
	if (rc == 0 && testr_repo_open(&repo, ctx, NULL) != 0)
		testr_context_clear_error(ctx);
	if (rc == 0)
		rc = testr_run_list_tests(&ids, ctx, cfg, NULL, &listing);
	if (rc == 0)
		rc = run_tests(ctx, cfg, repo, &ids, &tally);
	if (rc == 0)
		printf("%zu passed, %zu failed\n", tally.passed, tally.failed);
	else
		fprintf(stderr, "api-example: %s\n", testr_context_error(ctx));
	testr_strv_dispose(&ids);
	testr_repo_free(repo);
	testr_config_free(cfg);
	testr_context_free(ctx);
	return rc != 0 ? 3 : tally.failed ? 1 : 0;
}
