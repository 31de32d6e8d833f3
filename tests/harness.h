/*
 * The unit-test harness.  Each tests/test_<module>.c defines
 *
 *     void harness_register(struct harness *h);
 *
 * which calls HARNESS_ADD(h, test) for every START_TEST.  The harness gives
 * each test its own TCase, so a single test can be listed, selected and
 * reported by id "<module>.<test>":
 *
 *     test_config                 run everything, human output, exit 1 on failure
 *     test_config --list          print the ids, one per line
 *     test_config --subunit [--load-list FILE]
 *                                 run (the listed ids) one by one: subunit v2
 *                                 on stdout, inprogress and result events
 *                                 with timestamps, check's message attached
 *                                 as "traceback" on failure; exit 0 unless
 *                                 stdout fails (failures are in the stream)
 *     test_config --subunit --list
 *                                 the ids as a v2 enumeration ("exists")
 *
 * That is what lets testr run the project's own suite (see .testr.conf).
 */
#ifndef TESTR_TESTS_HARNESS_H
#define TESTR_TESTS_HARNESS_H

#include <check.h>

#include <testr/testr.h>

struct harness;

/* Add one test; @timeout_s 0 keeps check's default. */
void harness_add(struct harness *h, const TTest *test, double timeout_s);

#define HARNESS_ADD(h, t) harness_add((h), (t), 0)

/* Provided by each test file. */
void harness_register(struct harness *h);

/* Provided by each test file: the module name, for example "config". */
extern const char harness_module[];

/*
 * Absolute paths the tests may need: the source tree, the build tree and the
 * built testr (from the environment meson test sets; NULL when unset).
 */
const char *harness_source_dir(void);
const char *harness_build_dir(void);
const char *harness_testr_bin(void);

/* A fresh temporary directory (mkdtemp) for this test; removed by the caller. */
char *harness_tmpdir(void);

/* rm -rf @path (no shell involved). */
void harness_rmtree(const char *path);

/* A fresh repository in its own temporary directory, with a context. */
struct harness_repo {
	char *dir;
	struct testr_context *ctx;
	struct testr_repo *repo;
};

void harness_repo_init(struct harness_repo *f);
/* Close and open the repository again (what a new testr process sees). */
void harness_repo_reopen(struct harness_repo *f);
void harness_repo_dispose(struct harness_repo *f);

/*
 * Assert that @rc refused an options struct @type ("testr_run_options")
 * whose version @version this library does not know: TESTR_EINVAL, and the
 * message on @ctx names the struct and the version.  Clears the message.
 */
void harness_assert_version_refused(struct testr_context *ctx, int rc,
				    const char *type, unsigned version);

/*
 * The first 8 KiB of the file at @path as a string ("" when it cannot be
 * read), in a static buffer valid until the next call.
 */
const char *harness_slurp(const char *path);

/* A test event for @id with status @st, stamped @sec seconds after the
 * epoch: the one the repository and report tests feed their sinks. */
struct testr_event harness_event(const char *id, enum testr_status st,
				 int64_t sec);

#endif
