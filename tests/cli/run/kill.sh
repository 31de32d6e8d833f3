#!/bin/sh
# Killed runs: a worker killed from outside, testr itself interrupted with
# SIGINT and SIGTERM (workers stopped, what arrived stored as a partial run,
# instances disposed of once) and killed with SIGKILL (the repository stays
# intact, no runner is left behind).
. "$(dirname "$0")/common.sh"

marker="--kill-test-$$"
leftovers() { ps -eo pid=,args= | grep -F -- "$marker" | grep -v grep || true; }
cleanup_leftovers() {
	leftovers | while read -r pid rest; do kill -9 "$pid" 2>/dev/null || true; done
}
trap 'cleanup_leftovers; rm -rf "$tmp"' EXIT

# Wait (up to 10 s) until $FAKE_LOG has $1 lines: that many runners started.
wait_runners() {
	i=0
	while [ "$(cat "$FAKE_LOG" 2>/dev/null | wc -l)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "runners did not start"
		sleep 0.05
	done
	sleep 0.3	# let the quick tests report
}

# wait_gone: up to 5 s for the marked runners to disappear.
wait_gone() {
	i=0
	while [ -n "$(leftovers)" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "runners left behind: $(leftovers)"
		sleep 0.05
	done
}

# One good run, then a parallel run left going in the background ($pid)
# once both its runners have started.
good_then_background() {
	printf 'k.ok1\n' > one
	expect_rc 0 testr run --load-list one -- "$marker"
	rm -f "$FAKE_LOG"
	start_with_sigint "$TESTR_BIN" run --parallel --static --concurrency 2 \
		-- "$marker"
	wait_runners 2
}

hooks="instance_provision=echo vm1 vm2
instance_dispose=echo \$INSTANCE_IDS >> $tmp/DIR/dispose.log"

for sig in INT TERM; do
	project "sig$sig" "$(printf 'k.ok1\nk.hang\nk.ok2')" \
		"$(echo "$hooks" | sed "s|DIR|sig$sig|")"
	good_then_background	# the good run must survive
	signal_and_wait "$sig"
	[ "$rc" = 130 ] || fail "SIG$sig: testr exited $rc, not 130"
	must_have "$tmp/out" "INTERRUPTED (id=1"
	must_lack "$tmp/out" "PASSED"
	must_have "$tmp/err" "run interrupted"
	must_have "$tmp/err" "1 tests not run"
	wait_gone
	[ "$(wc -l < dispose.log)" = 2 ] || fail "SIG$sig: dispose: $(cat dispose.log)"
	[ "$(tail -n 1 dispose.log)" = "vm1 vm2" ] || fail "SIG$sig: dispose ids"
	# What arrived is stored (as run 1) and says it was interrupted.
	expect_rc 130 testr last
	must_have "$tmp/out" "INTERRUPTED (id=1"
	expect_rc 0 testr stats
	must_have "$tmp/out" "runs=2"
	# The id handed out and never reported is "not run", in the failing
	# set, and testr run --failing runs it.
	expect_rc 1 testr failing
	must_have "$tmp/out" "k.hang"
	must_have "$tmp/out" "not run: testr was interrupted"
	must_lack "$tmp/out" "k.ok"
done

# SIGKILL: nothing can clean up in testr itself; the guardian kills the
# runners and the repository must still be intact.
project sigkill "$(printf 'k.ok1\nk.hang\nk.ok2')"
good_then_background
signal_and_wait KILL
expect "SIGKILL: testr's exit status" 137 "$rc"
wait_gone
expect_rc 0 testr last
must_have "$tmp/out" "id=0"
expect_rc 0 testr run --load-list one -- "$marker"
must_have "$tmp/out" "PASSED (id=1)"

# A worker killed from outside: its failure is recorded, the others run.
project outside "$(printf 'w.ok\nw.hang')" 'group_regex=(w\.h)'
"$TESTR_BIN" run --parallel --concurrency 2 -- "$marker" > "$tmp/out" 2> "$tmp/err" &
pid=$!
wait_runners 2
victim=$(ps -eo pid=,args= | grep -F -- "$marker" | grep -F fake_runner |
	 grep -v grep | while read -r p rest; do
		if grep -q "^$p:w.hang" "$FAKE_LOG"; then echo "$p"; fi
	 done)
[ -n "$victim" ] || fail "no hanging worker found"
kill -KILL "$victim"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "killed worker: testr exited $rc"; }
must_have "$tmp/out" "FAIL: process-returncode"
must_have "$tmp/out" "FAIL: w.hang"
must_have "$tmp/out" "ended with signal 9 (Killed)"
echo ok
