#!/bin/sh
# testr run --dry-run: lists and plans as the run would (batches, their
# estimated seconds, the predicted wall time), runs no test and stores
# nothing.
. "$(dirname "$0")/common.sh"

ids=$(printf 'a_time3000\nb_time100\nc_time100\nx y\nback\\slash')
project dry "$ids" 'group_regex=([^_]*_)'
expect_rc 0 testr run
rm "$FAKE_LOG"
ls -l .testrepository > "$tmp/before"

# Serial: one worker, one batch with every id (escaped: one word each).
expect_rc 0 testr run --dry-run
must_have "$tmp/out" "plan: static, 1 worker, 1 batch, predicted "
must_have "$tmp/out" "batch 0 worker-0: 5 tests, 3.200 s: a_time3000"
must_have "$tmp/out" ' x\x20y'
must_have "$tmp/out" ' back\x5cslash'
[ "$(grep -c '^running=.*--list' "$tmp/err")" = 1 ] || fail "listing: $(cat "$tmp/err")"
must_lack "$tmp/err" "--load-list"

# Parallel: the plan of the queue, or --static's partition.
expect_rc 0 testr run --dry-run --parallel --concurrency 2 --static
must_have "$tmp/out" "plan: static, 2 workers, 2 batches, predicted "
must_have "$tmp/out" "batch 0 worker-0: 1 test, 3.000 s: a_time3000"
must_have "$tmp/out" "batch 1 worker-1: 4 tests, "
printf 'test_schedule=batches\n' >> .testr.conf
expect_rc 0 testr run --dry-run --parallel --concurrency 2
must_have "$tmp/out" "plan: queue, 2 workers, "
# Every id in exactly one batch.
sed -n 's/^batch [0-9]*[^:]*: [0-9]* tests*, [0-9.]* s://p' "$tmp/out" |
	tr ' ' '\n' | sed '/^$/d' | sort > "$tmp/planned"
printf '%s\n' a_time3000 b_time100 c_time100 'x\x20y' 'back\x5cslash' | sort > "$tmp/want"
same "planned ids" "$tmp/want" "$tmp/planned"

# Nothing ran and nothing was stored.
[ ! -e "$FAKE_LOG" ] || fail "a runner ran: $(cat "$FAKE_LOG")"
ls -l .testrepository > "$tmp/after"
same "repository after --dry-run" "$tmp/before" "$tmp/after"
expect_rc 0 testr stats
must_have "$tmp/out" "runs=1"
echo ok
