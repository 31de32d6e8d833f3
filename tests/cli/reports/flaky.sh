#!/bin/sh
# testr flaky: tests whose outcome flips between pass and fail across the
# stored runs, and those that failed then passed on a retry within a run,
# ranked by flip rate over the newest N runs.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
mk() { "$PY" "$TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py" "$@"; }

mkdir "$tmp/p" && cd "$tmp/p"
testr init > /dev/null
expect_rc 0 testr flaky
expect 'header only' 1 "$(wc -l < "$tmp/out")"
# r0: retry failed once then passed; r1: flip fails; r2: flip passes again.
mk a.steady:success:1 b.flip:success:1 c.retry:fail:1 c.retry:success:1 \
   d.skips:skip:0 > r0
mk --start=100 a.steady:success:1 b.flip:fail:1 c.retry:success:1 \
   d.skips:success:1 e.broken:fail:1 > r1
mk --start=200 a.steady:success:1 b.flip:success:1 c.retry:success:1 \
   d.skips:skip:0 e.broken:fail:1 > r2
for r in r0 r1 r2; do testr load "$r" > /dev/null 2>&1 || :; done
expect 'runs stored' 3 "$(ls .testrepository | grep -c '^[0-9]*$')"

expect_rc 0 testr flaky
# b.flip: 2 flips in 3 runs; c.retry: 1 retried run in 3; steady, skipping
# and always-failing tests are not flaky.
sed 1d "$tmp/out" | awk '{print $1, $2, $3, $4, $5, $6}' > got
printf '%s\n' '67% 3 2 0 pass b.flip' '33% 3 0 1 pass c.retry' > want
same 'flaky table' want got
expect_rc 0 testr flaky --list
printf '%s\n' b.flip c.retry > want
same 'flaky --list' want "$tmp/out"
# Only the newest run: nothing flipped in it, the retry was earlier.
expect_rc 0 testr flaky --runs 1 --list
expect 'newest run only' '' "$(cat "$tmp/out")"
# The newest two: b.flip went fail -> pass.
expect_rc 0 testr flaky --runs=2 --list
expect 'newest two runs' b.flip "$(cat "$tmp/out")"
expect_rc 0 testr flaky --runs 0 --list
expect 'all runs' 2 "$(wc -l < "$tmp/out")"

expect_rc 2 testr flaky --runs many
must_have "$tmp/err" "--runs needs a whole number, not 'many'"
expect_rc 2 testr flaky --bogus
expect_rc 2 testr flaky extra
echo ok
