#!/bin/sh
# filter_tags (issue 9 item 11): tests carrying a filtered tag are left out
# of the count of run, last and load, unless they failed, as
# testrepository counts them.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

stream="$tmp/stream"
$PY - "$stream" <<'PY'
import sys
from subunit import StreamResultToBytes
with open(sys.argv[1], 'wb') as f:
    out = StreamResultToBytes(f)
    for tid, status, tags in [('t.a', 'success', {'slow'}),
                              ('t.b', 'success', None),
                              ('t.c', 'fail', {'slow'}),
                              ('t.d', 'skip', {'slow', 'net'}),
                              ('t.e', 'xfail', {'net'})]:
        out.status(test_id=tid, test_status='inprogress')
        out.status(test_id=tid, test_status=status, test_tags=tags)
PY

conf() {
	printf '[DEFAULT]\ntest_command=cat "%s"\nfilter_tags=%s\n' "$stream" "$1" > .testr.conf
}

# ran FILE: the N of "Ran N tests".
ran() { sed -n 's/^Ran \([0-9]*\) .*/\1/p' "$1"; }

# check TAGS WANT: run, last and load all count WANT tests, and so does
# testrepository's load.
check() {
	dir="$tmp/p$(printf '%s' "$1" | tr -c 'a-z' _)"
	mkdir -p "$dir/ours" "$dir/py"
	cd "$dir/py"
	conf "$1"
	$PYTESTR init > /dev/null
	set +e
	$PYTESTR load < "$stream" > out 2>&1
	set -e
	expect "testrepository with filter_tags='$1'" "$2" "$(ran out)"
	cd "$dir/ours"
	conf "$1"
	testr init > /dev/null
	expect_rc 1 testr run
	expect "run with filter_tags='$1'" "$2" "$(ran "$tmp/out")"
	expect_rc 1 testr last
	expect "last with filter_tags='$1'" "$2" "$(ran "$tmp/out")"
	expect_rc 1 testr load "$stream"
	expect "load with filter_tags='$1'" "$2" "$(ran "$tmp/out")"
}

check "" 5
check "slow" 3		# t.a and t.d left out; t.c failed, so it counts
check "slow net" 2	# and t.e
check "other" 5
echo "ok: filter_tags counts as testrepository does"
