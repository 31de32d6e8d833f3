#!/bin/sh
# A runner dying mid-batch costs the test in progress, not its batch: that
# test fails with the runner's exit status and last output, the runner's
# death fails the run (process-returncode), and the unreported ids run on
# a fresh runner, up to --max-restarts fresh runners per batch.  Every id
# handed out ends as exactly one result.
. "$(dirname "$0")/common.sh"

# A segfault on one test mid-batch: it is blamed; the rest ran.
project segv "a_ok
b_ok
c_segv
d_ok
e_ok"
expect_rc 1 timeout 120 "$TESTR_BIN" run --load-list tests --max-restarts 3
must_have "$tmp/out" "ended with signal 11 (Segmentation fault)"
must_have "$tmp/out" "while this test was in progress"
failing_is c_segv process-returncode
[ "$(wc -l < "$FAKE_LOG")" = 2 ] || fail "no fresh runner: $(cat "$FAKE_LOG")"
tail -n 1 "$FAKE_LOG" | grep -q 'd_ok e_ok$' ||
	fail "fresh runner not on the rest: $(cat "$FAKE_LOG")"

# The same in the work queue.
project queue "a_ok
b_ok
c_segv
d_ok
e_ok" 'test_schedule=batches'
expect_rc 1 timeout 120 "$TESTR_BIN" run --parallel --concurrency 2 --max-restarts 3
failing_is c_segv process-returncode

# Crashing on every test: one blamed per runner, then the budget is spent
# and the rest fail as never reported; every id is accounted for once.
ids="t1_segv
t2_segv
t3_segv
t4_segv
t5_segv
t6_segv"
project every "$ids"
expect_rc 1 timeout 120 "$TESTR_BIN" run --load-list tests --max-restarts 2
[ "$(wc -l < "$FAKE_LOG")" = 3 ] || fail "not 1 + 2 runners: $(cat "$FAKE_LOG")"
must_have "$tmp/out" "never reported a result"
failing_is t1_segv t2_segv t3_segv t4_segv t5_segv t6_segv process-returncode
for t in t1 t2 t3 t4 t5 t6; do
	expect "results for ${t}_segv" 1 \
		"$(testr last 2>/dev/null | grep -c "^FAIL: ${t}_segv\$")"
done

# The default budget is 3 fresh runners per batch; test_max_restarts
# sets it, --max-restarts overrides that.
project default "$ids"
expect_rc 1 timeout 120 "$TESTR_BIN" run --load-list tests
[ "$(wc -l < "$FAKE_LOG")" = 4 ] || fail "not 1 + 3 runners: $(cat "$FAKE_LOG")"
failing_is t1_segv t2_segv t3_segv t4_segv t5_segv t6_segv process-returncode
project config "$ids" 'test_max_restarts=1'
expect_rc 1 timeout 120 "$TESTR_BIN" run --load-list tests
[ "$(wc -l < "$FAKE_LOG")" = 2 ] || fail "not 1 + 1 runners: $(cat "$FAKE_LOG")"
rm "$FAKE_LOG"
expect_rc 1 timeout 120 "$TESTR_BIN" run --load-list tests --max-restarts 0
[ "$(wc -l < "$FAKE_LOG")" = 1 ] || fail "option did not win: $(cat "$FAKE_LOG")"

# --max-restarts 0: no fresh runner; a bad value is a usage error.
project none "a_ok
b_segv
c_ok"
expect_rc 1 timeout 120 "$TESTR_BIN" run --load-list tests --max-restarts 0
[ "$(wc -l < "$FAKE_LOG")" = 1 ] || fail "restarted: $(cat "$FAKE_LOG")"
failing_is b_segv c_ok process-returncode
expect_rc 2 testr run --max-restarts lots
must_have "$tmp/err" "--max-restarts needs a number"
