#!/bin/sh
# One event that subunit v2 cannot hold as it came never costs the run
# (issue 9, item 4): each stream below holds such an event between a passing
# and a failing test; the run is stored, every result in it is kept, and a
# degraded event is named in a warning (testr-repository(5), "Events v2
# cannot hold").
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
UNSTORABLE="$PY $TESTR_SOURCE_DIR/tests/cli/repo/unstorable.py"

mkdir "$tmp/p"
cd "$tmp/p"
for kind in bigpacket v1-1969 v1-2107 v2-carry; do
	rm -rf .testrepository
	testr init > /dev/null
	$UNSTORABLE $kind > "$tmp/$kind"
	expect_rc 1 testr load "$tmp/$kind"
	cp "$tmp/out" "$tmp/load.out"
	cp "$tmp/err" "$tmp/load.err"
	expect "$kind: the run is stored" "runs=1" "$(testr stats)"
	expect "$kind: every failure kept" "bad.after
odd.test" "$(testr failing --list | sort)"
	expect_rc 1 testr last
	must_have "$tmp/out" "Ran 3 tests"
	must_have "$tmp/out" "FAILED (id=0, failures=2)"
	case $kind in
	bigpacket)	# split into packets, joined again: stored whole
		same "$kind: the stored run shows as loaded" "$tmp/load.out" \
			"$tmp/out";;
	*)		# the timestamp is dropped, with a warning naming it
		must_have "$tmp/load.out" "FAIL: odd.test"
		must_have "$tmp/load.err" ".testrepository/0: test 'odd.test': a timestamp outside 1970..2106 was dropped";;
	esac
done
