#!/bin/sh
# testr run --parallel --static hands each id to exactly one worker, keeps
# groups whole, and balances by recorded durations once it has them, as
# testrepository does (queue.sh pins the default work queue).
. "$(dirname "$0")/common.sh"

ids=$(seq -f 'm%g.test' 1 40)
project disjoint "$ids"
expect_rc 0 testr run --parallel --static --concurrency 4
[ "$(partitions | wc -l)" = 4 ] || fail "expected 4 workers"
partitions | tr ' ' '\n' | sort > "$tmp/got"
printf '%s\n' $ids | sort > "$tmp/want"
cmp "$tmp/got" "$tmp/want" || fail "partitions are not disjoint and complete"
must_have "$tmp/out" "Ran 40 tests"
must_have "$tmp/out" "PASSED (id=0)"
[ "$(grep -c '^running=' "$tmp/err")" = 5 ] || fail "one listing + 4 workers"

# Groups stay whole: group_regex keys on the part before the first dot.
ids=$(for g in a b c d e; do for t in 1 2 3; do echo "$g.t$t"; done; done)
project groups "$ids" 'group_regex=([^.]*\.)'
expect_rc 0 testr run --parallel --static --concurrency 2
for g in a b c d e; do
	[ "$(grep -c " $g\.\|:$g\." "$FAKE_LOG")" = 1 ] ||
		fail "group $g split across workers: $(cat "$FAKE_LOG")"
done

# Balance: two long tests listed first would share worker 0 round-robin;
# once durations are known they go to different workers.
project balance "$(printf 'a_time800\nc1_time100\nb_time800\nc2_time100')"
expect_rc 0 testr run --parallel --static --concurrency 2
partitions > "$tmp/first"
grep -qx 'a_time800 b_time800' "$tmp/first" || fail "first run: $(cat "$tmp/first")"
rm "$FAKE_LOG"
expect_rc 0 testr run --parallel --static --concurrency 2
partitions > "$tmp/second"
grep -qx 'a_time800 c._time100' "$tmp/second" ||
	fail "second run not balanced: $(cat "$tmp/second")"
grep -qx 'b_time800 c._time100' "$tmp/second" ||
	fail "second run not balanced: $(cat "$tmp/second")"

# The concurrency callout decides when --concurrency is not given.
project callout "$(seq -f 'x%g' 1 9)" 'test_run_concurrency=echo 3'
expect_rc 0 testr run --parallel --static
[ "$(partitions | wc -l)" = 3 ] || fail "callout said 3 workers"
# ...and --concurrency wins over it.
rm "$FAKE_LOG"
expect_rc 0 testr run --parallel --static --concurrency 2
[ "$(partitions | wc -l)" = 2 ] || fail "--concurrency 2 ignored"
# test_schedule=static is --static.
project confstatic "$(seq -f 'y%g' 1 9)" 'test_schedule=static'
expect_rc 0 testr run --parallel --concurrency 3
[ "$(partitions | wc -l)" = 3 ] || fail "test_schedule=static: $(partitions)"
echo ok
