#!/bin/sh
# --run-timeout / test_run_timeout: the whole run.  When it runs out, no
# more work is handed out, every runner is stopped (SIGTERM, then SIGKILL),
# the tests in progress fail as "run timed out", the ids handed out and not
# run fail as not run, what arrived is stored as a partial run, and testr
# exits 1 with a line saying so: never 0.  An outer `timeout` guards a
# hang; no timing is asserted.
. "$(dirname "$0")/common.sh"

# One runner, hung mid-batch.
project serial "a_ok
b_stuck
c_ok
d_ok"
expect_rc 1 timeout 120 "$TESTR_BIN" run --load-list tests --run-timeout 2
must_have "$tmp/err" "testr: the run timed out after 2 s (--run-timeout, test_run_timeout): its runners were stopped; 2 tests not run are in the failing set"
must_have "$tmp/out" "the run timed out after 2 s (--run-timeout, test_run_timeout) while this test was in progress"
must_have "$tmp/out" "not run: the run timed out"
must_lack "$tmp/out" "PASSED"
failing_is b_stuck c_ok d_ok
# Stored, as a partial run.
expect_rc 1 testr last
must_have "$tmp/out" "FAILED (id=0"

# A runner that ignores SIGTERM, in the work queue; the config option.
project deaf "a_ok
b_deaf
c_ok
d_ok" 'test_run_timeout=2
test_schedule=batches'
expect_rc 1 timeout 120 "$TESTR_BIN" run --parallel --concurrency 2
must_have "$tmp/err" "the run timed out after 2 s"
must_have "$tmp/out" "FAIL: b_deaf"
must_lack "$tmp/out" "PASSED"

# A partial run: a test failing before and never handed out stays failing.
project partial "a_fail
b_ok"
expect_rc 1 testr run
printf 'b_stuck\n' > one
printf 'a_fail\nb_ok\nb_stuck\n' > tests
expect_rc 1 timeout 120 "$TESTR_BIN" run --load-list one --run-timeout 1
failing_is a_fail b_stuck

# --run-timeout 0 is no limit; a bad value is a usage error.
project bad "a_ok"
expect_rc 0 testr run --run-timeout 0
expect_rc 2 testr run --run-timeout -5
must_have "$tmp/err" "--run-timeout needs a number of seconds, not '-5'"
