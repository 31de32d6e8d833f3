#!/bin/sh
# Two `testr load` at once in one tree serialise on the lock: both runs are
# stored, with distinct ids, and nothing is corrupted.
. "$TESTR_SOURCE_DIR/tests/cli/repo/lib.sh"

project "$WORK/p"
(cd "$WORK/p" && $T init)
$MK --start=0 --many=20000:50 > "$WORK/a"
$MK --start=0 x.one:fail:1 x.two:success:2 > "$WORK/b"

runs=0
for round in 1 2 3 4 5; do
	(cd "$WORK/p" && $T load < "$WORK/a" > "$WORK/out.a" 2>&1) &
	pa=$!
	(cd "$WORK/p" && $T load < "$WORK/b" > "$WORK/out.b" 2>&1) &
	pb=$!
	ra=0; wait $pa || ra=$?
	rb=0; wait $pb || rb=$?
	expect "round $round: load a exit" 1 "$ra"
	expect "round $round: load b exit" 1 "$rb"
	ida=$(sed -n 's/^FAILED (id=\([0-9]*\).*/\1/p' "$WORK/out.a")
	idb=$(sed -n 's/^FAILED (id=\([0-9]*\).*/\1/p' "$WORK/out.b")
	got=$(printf '%s\n%s\n' "$ida" "$idb" | sort -n | tr '\n' ' ')
	expect "round $round: ids" "$runs $((runs + 1)) " "$got"
	runs=$((runs + 2))
	expect "round $round: stats" "runs=$runs" "$(cd "$WORK/p" && $T stats)"
	# The failing set is that of whichever run committed last.
	if [ "$ida" -gt "$idb" ]; then want=400; else want=1; fi
	n=$(cd "$WORK/p" && $T failing --list | wc -l)
	expect "round $round: failing set size" "$want" "$n"
done
# Every stored run, not just the last, decodes without corruption and
# holds one of the two streams whole: 20,000 results or 2.
EV="$TESTR_BUILD_DIR/tests/cli/subunit/subunit-events"
n=0
while [ "$n" -lt "$runs" ]; do
	f="$WORK/p/.testrepository/$n"
	"$EV" "$f" > "$WORK/ev" 2> "$WORK/err" || fail "run $n: decode failed"
	expect "run $n: corruption reports" "" "$(cat "$WORK/err")"
	k=$(grep -cE 'status=(success|fail)( |$)' "$WORK/ev" || true)
	case "$k" in
	20000|2) checks=$((checks + 1)) ;;
	*) fail "run $n holds $k results, not 20000 or 2" ;;
	esac
	n=$((n + 1))
done
finish
