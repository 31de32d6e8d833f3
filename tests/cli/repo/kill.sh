#!/bin/sh
# SIGKILL a `testr load` mid-stream and at many moments after its input
# ended: every earlier run, the failing set and the durations must stay
# readable, and the repository must show either the state before the load or
# the state after a complete one, never anything else.
. "$TESTR_SOURCE_DIR/tests/cli/repo/lib.sh"

# state DIR OUT: everything the reading commands say about DIR.
state() {
	(cd "$1" && for c in stats last "failing --list" "slowest --all"; do
		echo "## $c"
		rc=0
		$T $c > "$WORK/state.tmp" 2>&1 || rc=$?
		cat "$WORK/state.tmp"
		echo "rc=$rc"
	done) > "$2"
}

project "$WORK/base"
(cd "$WORK/base" && $T init && \
	$MK a.one:success:1.5 a.two:fail:0.25 | $T load >/dev/null || true
	$MK --start=10 a.one:success:1 a.three:fail:2 | $T load --partial \
	>/dev/null || true)
$MK --start=100 --many=60000:97 > "$WORK/big"
state "$WORK/base" "$WORK/before"

# The state after an undisturbed load of the big stream.
cp -a "$WORK/base" "$WORK/ref"
(cd "$WORK/ref" && $T load < "$WORK/big" > /dev/null) || true
state "$WORK/ref" "$WORK/after"
expect "reference stored the run" "runs=3" "$(head -2 "$WORK/after" | tail -1)"

# load_then_kill DELAY [PART]: feed the stream (or its first PART bytes and
# then stall) through a FIFO, wait DELAY seconds after the feeder is done,
# SIGKILL testr.
load_then_kill() {
	rm -rf "$WORK/p" && cp -a "$WORK/base" "$WORK/p"
	rm -f "$WORK/fifo" && mkfifo "$WORK/fifo"
	(cd "$WORK/p" && exec $T load < "$WORK/fifo" > /dev/null 2>&1) &
	tpid=$!
	if [ -n "${2:-}" ]; then
		(head -c "$2" "$WORK/big"; sleep 5) > "$WORK/fifo" &
		fpid=$!
		sleep 0.5
	else
		cat "$WORK/big" > "$WORK/fifo"
		fpid=
	fi
	sleep "$1"
	kill -KILL "$tpid" 2>/dev/null || true
	wait "$tpid" 2>/dev/null || true
	if [ -n "$fpid" ]; then
		kill "$fpid" 2>/dev/null || true
		wait "$fpid" 2>/dev/null || true
	fi
	state "$WORK/p" "$WORK/now"
}

# Mid-stream: nothing may change.
for part in 1 100 300000 2000000; do
	load_then_kill 0 "$part"
	same "killed after $part bytes" "$WORK/before" "$WORK/now"
done

# After the input: before or after, nothing in between.
committed=0
for delay in 0 0.002 0.005 0.01 0.02 0.03 0.05 0.07 0.1 0.15 0.2 0.3 0.5 1; do
	load_then_kill "$delay"
	checks=$((checks + 1))
	if cmp -s "$WORK/before" "$WORK/now"; then
		:
	elif cmp -s "$WORK/after" "$WORK/now"; then
		committed=$((committed + 1))
	else
		fail "killed ${delay}s after the input: neither before nor after"
		diff -u "$WORK/after" "$WORK/now" | head -30 >&2 || true
	fi
	# And the repository keeps working: the next load gets the next id.
	rc=0
	(cd "$WORK/p" && $MK --start=900 z.next:success:1 | $T load > "$WORK/next") \
		|| rc=$?
	expect "load after kill at ${delay}s" 0 "$rc"
	checks=$((checks + 1))
	grep -q "^PASSED (id=[23])$" "$WORK/next" || fail "next id: $(cat "$WORK/next")"
	checks=$((checks + 1))
	if ls -a "$WORK/p/.testrepository" | grep -q '^\.tmp-'; then
		fail "temporary files left after the next load"
	fi
done
echo "kills after the input that found the run committed: $committed"
finish
