#!/bin/sh
# --timeout / test_timeout: a test running too long costs that test, not
# the run.  Its runner's group is stopped (SIGTERM, SIGKILL after a grace),
# the test fails as timed out with the runner's last output, and the rest
# of its batch runs on a fresh runner.  Outer `timeout` guards a hang; no
# timing is asserted.
. "$(dirname "$0")/common.sh"

ids="a_ok
b_ok
c_stuck
d_ok
e_ok"

# check_hung NAME: c_stuck failed as timed out; the others ran and passed.
check_hung() {
	must_have "$tmp/out" "Ran 5 tests"
	must_have "$tmp/out" "timed out after 2 s"
	must_have "$tmp/out" "stuck in c_stuck"
	failing_is c_stuck
}

# failing_is ID: the stored run's failing set is just ID.
failing_is() {
	expect_rc 1 testr failing --list
	expect "failing" "$1" "$(cat "$tmp/out")"
}

# One runner: the hung test is in the middle of its only batch.
project serial "$ids"
expect_rc 1 timeout 120 "$TESTR_BIN" run --timeout 2
check_hung
[ "$(wc -l < "$FAKE_LOG")" = 2 ] || fail "no fresh runner: $(cat "$FAKE_LOG")"
tail -n 1 "$FAKE_LOG" | grep -q 'd_ok e_ok$' ||
	fail "fresh runner not on the rest: $(cat "$FAKE_LOG")"

# The config option, and a runner that ignores SIGTERM.
project deaf "$(echo "$ids" | sed 's/c_stuck/c_stuck_deaf/')" 'test_timeout=2'
expect_rc 1 timeout 120 "$TESTR_BIN" run
must_have "$tmp/out" "timed out after 2 s"
must_have "$tmp/out" "Ran 5 tests"
failing_is c_stuck_deaf

# In the work queue too.
project queue "$ids" 'test_schedule=batches'
expect_rc 1 timeout 120 "$TESTR_BIN" run --parallel --concurrency 2 --timeout 2
check_hung

# --timeout 0 is no limit; a bad value is a usage error.
project bad "a_ok"
expect_rc 0 testr run --timeout 0
expect_rc 2 testr run --timeout soon
must_have "$tmp/err" "--timeout needs a number of seconds or auto, not 'soon'"
