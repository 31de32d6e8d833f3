#!/bin/sh
# Two `testr load` at once in one tree serialise on the lock: both runs are
# stored, with distinct ids, and nothing is corrupted.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
MK="$PY $TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py"

mkdir "$tmp/p" && cd "$tmp/p"
printf '[DEFAULT]\ntest_command=true\n' > .testr.conf
testr init > /dev/null
$MK --start=0 --many=20000:50 > "$tmp/a"
$MK --start=0 x.one:fail:1 x.two:success:2 > "$tmp/b"

runs=0
for round in 1 2 3 4 5; do
	testr load < "$tmp/a" > "$tmp/out.a" 2>&1 &
	pa=$!
	testr load < "$tmp/b" > "$tmp/out.b" 2>&1 &
	pb=$!
	ra=0; wait $pa || ra=$?
	rb=0; wait $pb || rb=$?
	expect "round $round: load a exit" 1 "$ra"
	expect "round $round: load b exit" 1 "$rb"
	ida=$(sed -n 's/^FAILED (id=\([0-9]*\).*/\1/p' "$tmp/out.a")
	idb=$(sed -n 's/^FAILED (id=\([0-9]*\).*/\1/p' "$tmp/out.b")
	got=$(printf '%s\n%s\n' "$ida" "$idb" | sort -n | tr '\n' ' ')
	expect "round $round: ids" "$runs $((runs + 1)) " "$got"
	runs=$((runs + 2))
	expect "round $round: stats" "runs=$runs" "$(testr stats)"
	# The failing set is that of whichever run committed last.
	if [ "$ida" -gt "$idb" ]; then size=400; else size=1; fi
	expect_rc 1 testr failing --list
	expect "round $round: failing set size" "$size" "$(wc -l < "$tmp/out")"
done
# Every stored run, not just the last, decodes without corruption and
# holds one of the two streams whole: 20,000 results or 2.
EV="$TESTR_BUILD_DIR/tests/cli/subunit/subunit-events"
n=0
while [ "$n" -lt "$runs" ]; do
	f="$tmp/p/.testrepository/$n"
	"$EV" "$f" > "$tmp/ev" 2> "$tmp/err" || fail "run $n: decode failed"
	expect "run $n: corruption reports" "" "$(cat "$tmp/err")"
	k=$(grep -cE 'status=(success|fail)( |$)' "$tmp/ev") || k=0
	case "$k" in
	20000|2) ;;
	*) fail "run $n holds $k results, not 20000 or 2" ;;
	esac
	n=$((n + 1))
done
