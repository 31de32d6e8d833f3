#!/bin/sh
# --timeout auto / test_timeout=auto: each test's limit from its recorded
# durations, max(test_timeout_floor, test_timeout_factor x (median + 3 x
# spread)); a test with no passing history gets the floor.  A test far
# slower than its history is stopped; a slow test whose history says so
# is not.  An outer `timeout` guards a hang; no timing is asserted.
. "$(dirname "$0")/common.sh"

# A history: b_wedge passes quickly (50 ms), c_sleep1500 takes 1.5 s.
project auto "a_time50
b_wedge_time50
c_sleep1500" 'test_timeout_floor=1
test_timeout_factor=5'
expect_rc 0 timeout 120 "$TESTR_BIN" run
# Now b_wedge hangs: its limit is the floor, 1 s; c_sleep1500 gets
# 5 x 1.5 s and is not stopped, though a fixed 1 s limit would stop it.
export FAKE_WEDGE=1
expect_rc 1 timeout 120 "$TESTR_BIN" run --timeout auto
must_have "$tmp/out" "this test timed out after 1 s (--timeout auto: its limit from its recorded durations)"
must_have "$tmp/out" "stuck in b_wedge_time50"
must_have "$tmp/out" "Ran 3 tests"
expect_rc 1 testr failing --list
expect "failing" "b_wedge_time50" "$(cat "$tmp/out")"

# The same from the config.
printf 'test_timeout=auto\n' >> .testr.conf
expect_rc 1 timeout 120 "$TESTR_BIN" run
must_have "$tmp/out" "timed out after 1 s (--timeout auto"
must_have "$tmp/out" "Ran 3 tests"
expect_rc 1 testr failing --list
expect "failing" "b_wedge_time50" "$(cat "$tmp/out")"
unset FAKE_WEDGE

# A bad floor or factor is a config error naming the line.
project bad "a_ok" 'test_timeout_factor=lots'
expect_rc 3 testr run --timeout auto
must_have "$tmp/err" ".testr.conf:5: test_timeout_factor: 'lots' is not a number"
