#!/bin/sh
# The work queue of testr run --parallel: batches of ids handed to worker
# slots as they free up, each batch a fresh runner (fresh $IDFILE) on the
# slot's instance; every id once, groups whole; Ctrl-C mid-batch stores a
# partial run; --static is testrepository's partition exactly.
. "$(dirname "$0")/common.sh"

# Ids of each runner, one runner per line (in the order they started).
runners() { sed 's/^[0-9]*://' "$FAKE_LOG"; }

# Every id exactly once over many runners; groups whole within a batch.
ids=$(for g in $(seq 1 12); do for t in 1 2 3; do echo "g$g.t${t}_time$((g * 1000))"; done; done)
project once "$ids" 'test_schedule=batches
group_regex=([^.]*\.)'
# (A first run knows no duration: how many batches it cuts depends on
# the runner's start-up, which the listing measures; the first run
# records the durations, 1 to 12 s a test.)
expect_rc 0 testr run --parallel --concurrency 3
must_have "$tmp/out" "Ran 36 tests"
rm "$FAKE_LOG"
expect_rc 0 testr run --parallel --concurrency 3
must_have "$tmp/out" "Ran 36 tests"
[ "$(wc -l < "$FAKE_LOG")" -gt 3 ] || fail "no batches: $(runners)"
runners | tr ' ' '\n' | sed '/^$/d' | sort > "$tmp/got"
printf '%s\n' $ids | sort > "$tmp/want"
same "ids handed out" "$tmp/want" "$tmp/got"
for g in $(seq 1 12); do
	[ "$(grep -c "g$g\." "$FAKE_LOG")" = 1 ] ||
		fail "group g$g split across batches: $(runners)"
done
# With durations known, the longest group goes first.
# (Runners log as they start, so any of the first three.)
head -n 3 "$FAKE_LOG" | grep -q 'g12\.' ||
	fail "longest group not first: $(runners)"

# A slot keeps its instance: runners on one instance never overlap, and
# the listing aside, only the two instances of the two slots are used.
exec_log="$tmp/inst/exec.log"
project inst "$ids" "test_schedule=batches
group_regex=([^.]*\\.)
instance_provision=echo vm-a vm-b
instance_execute=echo \$INSTANCE_ID begin >> $exec_log; \$COMMAND; rc=\$?; echo \$INSTANCE_ID end >> $exec_log; exit \$rc
instance_dispose=echo \$INSTANCE_IDS >> $tmp/inst/dispose.log"
expect_rc 0 testr run --parallel --concurrency 2	# records the durations
rm "$exec_log" dispose.log
expect_rc 0 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 36 tests"
[ "$(grep -c begin "$exec_log")" -gt 3 ] || fail "no batches: $(cat "$exec_log")"
[ "$(cat dispose.log)" = "vm-a vm-b" ] || fail "dispose: $(cat dispose.log)"
for vm in vm-a vm-b; do
	grep "^$vm " "$exec_log" | uniq -c | awk '$1 != 1 { exit 1 }' ||
		fail "$vm ran two runners at once: $(cat "$exec_log")"
done

# A freed worker takes the next batch.  a_await is the longest test, in a
# batch of its own, and waits until the last batch (the shortest test,
# z_time1000) has started: that can only happen on the other slot while
# a_await's slot is busy.  (The first run records the durations.)
tests="a_await_time60000
$(seq -f 'm%g_time3000' 1 12)
z_time1000"
project freed "$tests" "test_schedule=batches
instance_provision=echo vm-a vm-b
instance_execute=echo \$INSTANCE_ID \$(cat \$FILES /dev/null) >> $tmp/freed/exec.log; \$COMMAND"
echo go > go
FAKE_AWAIT_FILE="$PWD/go" FAKE_AWAIT_TEXT=go expect_rc 0 testr run --parallel --concurrency 2
rm "$FAKE_LOG" exec.log
FAKE_AWAIT_FILE="$FAKE_LOG" FAKE_AWAIT_TEXT=z_time1000 expect_rc 0 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 14 tests"
[ "$(grep -c . "$FAKE_LOG")" -gt 3 ] || fail "no batches: $(runners)"
grep -qx '[0-9]*:a_await_time60000' "$FAKE_LOG" ||
	fail "a_await not in a batch of its own: $(runners)"
# a_await's runner on one instance, every other batch on the other.
a_vm=$(grep ' a_await' exec.log | cut -d' ' -f1)
sed 1d exec.log | grep -v ' a_await' | cut -d' ' -f1 | sort -u > "$tmp/others"
[ -n "$a_vm" ] && [ "$(cat "$tmp/others")" != "$a_vm" ] &&
	[ "$(wc -l < "$tmp/others")" = 1 ] ||
	fail "later batches not on the freed slot: $(cat exec.log)"

# Ctrl-C mid-batch: the two slots each wait on a test that never ends;
# the ids they were given are stored as "not run" (in the failing set),
# the batches never handed out are neither run nor failures.
wait_runners() {
	i=0
	while [ "$(cat "$FAKE_LOG" 2>/dev/null | wc -l)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "runners did not start"
		sleep 0.05
	done
	sleep 0.3
}
tests="a_await_time60000
b_await_time50000
$(seq -f 'q%g_time3000' 1 12)"
project ctrlc "$tests" 'test_schedule=batches'
FAKE_AWAIT_FILE="$PWD/go" FAKE_AWAIT_TEXT=go
echo go > go
export FAKE_AWAIT_FILE FAKE_AWAIT_TEXT
expect_rc 0 testr run --parallel --concurrency 2
rm "$FAKE_LOG" go
start_with_sigint "$TESTR_BIN" run --parallel --concurrency 2
wait_runners 2
signal_and_wait INT
unset FAKE_AWAIT_FILE FAKE_AWAIT_TEXT
[ "$rc" = 130 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "Ctrl-C: testr exited $rc"; }
[ "$(grep -c . "$FAKE_LOG")" = 2 ] || fail "a batch started after Ctrl-C: $(runners)"
must_have "$tmp/err" "2 tests not run"
must_have "$tmp/out" "INTERRUPTED (id=1"
expect_rc 1 testr failing
must_have "$tmp/out" "a_await_time60000"
must_have "$tmp/out" "b_await_time50000"
must_lack "$tmp/out" "q1_"
expect_rc 130 testr last
must_have "$tmp/out" "INTERRUPTED (id=1"
expect_rc 0 testr stats
must_have "$tmp/out" "runs=2"

# --static is testrepository's partition exactly: the same project run by
# /usr/bin/testr and by testr --static gives each worker the same ids
# (second runs, so that both plan by the recorded durations).
tests=$(for i in $(seq 1 17); do echo "s$i.t_time$(( (i * 37) % 23 + 1))"; done; seq -f 'u%g' 1 5)
for who in py ours; do
	project "static-$who" "$tests" 'group_regex=([^.]*\.)'
	rm -rf .testrepository
	if [ $who = py ]; then
		$PYTESTR init > /dev/null
		$PYTESTR run --parallel --concurrency 3 > /dev/null 2>&1
		rm "$FAKE_LOG"
		$PYTESTR run --parallel --concurrency 3 > /dev/null 2>&1 ||
			fail "testrepository failed"
	else
		testr init > /dev/null
		expect_rc 0 testr run --parallel --static --concurrency 3
		rm "$FAKE_LOG"
		expect_rc 0 testr run --parallel --static --concurrency 3
	fi
	partitions > "$tmp/$who.parts"
done
same "--static against testrepository" "$tmp/py.parts" "$tmp/ours.parts"
[ "$(wc -l < "$tmp/ours.parts")" = 3 ] || fail "static: $(cat "$tmp/ours.parts")"
echo ok
