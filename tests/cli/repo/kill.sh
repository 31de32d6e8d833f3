#!/bin/sh
# SIGKILL a `testr load` mid-stream and at many moments after its input
# ended: every earlier run, the failing set and the durations must stay
# readable, and the repository must show either the state before the load or
# the state after a complete one, never anything else.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
MK="$PY $TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py"

# state DIR OUT: everything the reading commands say about DIR.
state() {
	(cd "$1" && for c in stats last "failing --list" "slowest --all"; do
		echo "## $c"
		rc=0
		testr $c > "$tmp/state.tmp" 2>&1 || rc=$?
		cat "$tmp/state.tmp"
		echo "rc=$rc"
	done) > "$2"
}

mkdir "$tmp/base" && cd "$tmp/base"
printf '[DEFAULT]\ntest_command=true\n' > .testr.conf
testr init > /dev/null
$MK a.one:success:1.5 a.two:fail:0.25 > "$tmp/s1"
$MK --start=10 a.one:success:1 a.three:fail:2 > "$tmp/s2"
expect_rc 1 testr load < "$tmp/s1"
expect_rc 1 testr load --partial < "$tmp/s2"
cd "$tmp"
$MK --start=100 --many=60000:97 > "$tmp/big"
state "$tmp/base" "$tmp/before"

# The state after an undisturbed load of the big stream.
cp -a "$tmp/base" "$tmp/ref"
(cd "$tmp/ref" && expect_rc 1 testr load < "$tmp/big")
state "$tmp/ref" "$tmp/after"
expect "reference stored the run" "runs=3" "$(head -2 "$tmp/after" | tail -1)"

# load_then_kill DELAY [PART]: feed the stream (or its first PART bytes and
# then stall) through a FIFO, wait DELAY seconds after the feeder is done,
# SIGKILL testr.
load_then_kill() {
	rm -rf "$tmp/p" && cp -a "$tmp/base" "$tmp/p"
	rm -f "$tmp/fifo" && mkfifo "$tmp/fifo"
	(cd "$tmp/p" && exec "$TESTR_BIN" load < "$tmp/fifo" > /dev/null 2>&1) &
	tpid=$!
	if [ -n "${2:-}" ]; then
		(head -c "$2" "$tmp/big"; sleep 5) > "$tmp/fifo" &
		fpid=$!
		sleep 0.5
	else
		cat "$tmp/big" > "$tmp/fifo"
		fpid=
	fi
	sleep "$1"
	# Killed, or finished first (exit 1: the stream has failures).
	kill -KILL "$tpid" 2>/dev/null || :
	wait "$tpid" 2>/dev/null || :
	if [ -n "$fpid" ]; then
		kill "$fpid" 2>/dev/null || :
		wait "$fpid" 2>/dev/null || :
	fi
	state "$tmp/p" "$tmp/now"
}

# Mid-stream: nothing may change.
for part in 1 100 300000 2000000; do
	load_then_kill 0 "$part"
	same "killed after $part bytes" "$tmp/before" "$tmp/now"
done

# After the input: before or after, nothing in between.
committed=0
$MK --start=900 z.next:success:1 > "$tmp/next-stream"
for delay in 0 0.002 0.005 0.01 0.02 0.03 0.05 0.07 0.1 0.15 0.2 0.3 0.5 1; do
	load_then_kill "$delay"
	if cmp -s "$tmp/before" "$tmp/now"; then
		:
	elif cmp -s "$tmp/after" "$tmp/now"; then
		committed=$((committed + 1))
	else
		diff -u "$tmp/after" "$tmp/now" | head -30 >&2
		fail "killed ${delay}s after the input: neither before nor after"
	fi
	# And the repository keeps working: the next load gets the next id.
	(cd "$tmp/p" && expect_rc 0 testr load < "$tmp/next-stream" &&
		grep -q "^PASSED (id=[23])$" "$tmp/out") ||
		fail "next load after a kill at ${delay}s: $(cat "$tmp/out")"
	if ls -a "$tmp/p/.testrepository" | grep -q '^\.tmp-'; then
		fail "temporary files left after the next load"
	fi
done
echo "kills after the input that found the run committed: $committed"
