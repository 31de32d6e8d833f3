#!/bin/sh
# testr -v (and TESTR_DEBUG=1) shows what testr decided and did: the config
# values used, the plan with the estimates, every spawn with its command
# and pid and every exit with its status, and the repository's reads and
# writes.  Without them nothing of it is printed.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

project verbose "a.time250
a.time500
b.time1000
c.fail"
expect_rc 1 testr run --parallel --concurrency 2
must_lack "$tmp/err" "debug:"

expect_rc 1 testr -v run --parallel --concurrency 2
e="$tmp/err"
cp "$e" "$tmp/verbose"
must_have "$e" 'debug: config: .testr.conf:3: test_id_option=--load-list $IDFILE'
# Where the worker count came from: the option, the callout, the CPUs.
must_have "$e" 'debug: concurrency: 2 (--concurrency)'
# The plan: per worker its tests and their sum, then each id's estimate
# from the first run (a and b are groups of their own, c has none).
who='batch [0-9]+ \((worker [01]|any worker)\)'
grep -Eq "^debug: plan: $who: b\.time1000 \(1\.000 s\)\$" "$e" ||
	fail "no estimate of b.time1000 in the plan"
grep -Eq "^debug: plan: $who: [1-4] tests?, [0-9]+\.[0-9]{3} s estimated\$" "$e" ||
	fail "no batch with its count and estimate in the plan"
# Every spawn with its command and pid (run without a shell: the command
# has no shell syntax), every exit with its status.
grep -Eq '^debug: spawn: pid [0-9]+: exec [^ ]*fake_runner \(no shell\): .*fake_runner +--list *$' "$e" ||
	fail "the listing's spawn is not logged"
pids=$(sed -n 's/^debug: spawn: pid \([0-9]*\): .*--load-list \/.*/\1/p' "$e")
expect "workers spawned" 2 "$(echo "$pids" | wc -l | tr -d ' ')"
for pid in $pids; do
	grep -Eq "^debug: exit: pid $pid: exit code [0-9]+$" "$e" ||
		fail "the exit of worker pid $pid is not logged"
done
# The repository: what was read (the durations) and written (the run).
must_have "$e" "debug: write: $PWD/.testrepository/1"
must_have "$e" "debug: repo: stored run 1 in $PWD/.testrepository"
grep -Eq "^debug: read: $PWD/\.testrepository/" "$e" ||
	fail "no repository read is logged"

# TESTR_DEBUG=1 is the same switch; TESTR_DEBUG=0 is off.
expect_rc 1 env TESTR_DEBUG=1 "$TESTR_BIN" run --parallel --concurrency 2
must_have "$tmp/err" "debug: repo: stored run 2"
expect_rc 1 env TESTR_DEBUG=0 "$TESTR_BIN" run
must_lack "$tmp/err" "debug:"

expect_rc 1 testr -v run --parallel
must_have "$tmp/err" "debug: concurrency: $(getconf _NPROCESSORS_ONLN) (the online CPUs)"
echo 'test_run_concurrency=echo 3' >> .testr.conf
expect_rc 1 testr -v run --parallel
must_have "$tmp/err" 'debug: concurrency: 3 (the test_run_concurrency callout)'
echo ok
