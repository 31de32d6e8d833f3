#!/bin/sh
# --idle-timeout / test_idle_timeout: a runner that prints nothing (stdout
# or stderr) for that long is hung.  It is stopped as for --timeout
# (SIGTERM to its group, SIGKILL after a grace); the test in progress, or
# with none the first id of the batch not yet reported, fails with "no
# output for N s" and the runner's last output; a fresh runner runs the
# rest.  An outer `timeout` guards a hang; no timing is asserted.
. "$(dirname "$0")/common.sh"

# A test that goes silent for ever, mid-batch.
project silent "a_ok
b_ok
c_stuck
d_ok
e_ok"
expect_rc 1 timeout 120 "$TESTR_BIN" run --idle-timeout 2
must_have "$tmp/out" "Ran 5 tests"
must_have "$tmp/out" "no output for 2 s (--idle-timeout, test_idle_timeout) while this test was in progress"
must_have "$tmp/out" "stuck in c_stuck"
failing_is c_stuck
[ "$(wc -l < "$FAKE_LOG")" = 2 ] || fail "no fresh runner: $(cat "$FAKE_LOG")"
tail -n 1 "$FAKE_LOG" | grep -q 'd_ok e_ok$' ||
	fail "fresh runner not on the rest: $(cat "$FAKE_LOG")"

# The config option, and a runner that ignores SIGTERM.
project deaf "a_ok
b_deaf
c_ok" 'test_idle_timeout=2'
expect_rc 1 timeout 120 "$TESTR_BIN" run
must_have "$tmp/out" "no output for 2 s"
must_have "$tmp/out" "Ran 3 tests"
failing_is b_deaf

# Silent between two tests: the first id not reported is blamed.
project between "a_ok
b_hang
c_ok"
expect_rc 1 timeout 120 "$TESTR_BIN" run --idle-timeout 2
must_have "$tmp/out" "before this test, the first of its batch not yet reported, had started"
must_have "$tmp/out" "Ran 3 tests"
failing_is b_hang

# In the work queue, with two workers.
project queue "a_ok
b_ok
c_stuck
d_ok
e_ok" 'test_schedule=batches'
expect_rc 1 timeout 120 "$TESTR_BIN" run --parallel --concurrency 2 --idle-timeout 2
must_have "$tmp/out" "Ran 5 tests"
failing_is c_stuck

# --idle-timeout 0 is no limit; a bad value is a usage error, in the
# config an error naming the line.
project bad "a_ok"
expect_rc 0 testr run --idle-timeout 0
expect_rc 2 testr run --idle-timeout soon
must_have "$tmp/err" "--idle-timeout needs a number of seconds, not 'soon'"
project badconf "a_ok" 'test_idle_timeout=auto'
expect_rc 3 testr run
must_have "$tmp/err" ".testr.conf:5: test_idle_timeout: 'auto' is not a number of seconds"
