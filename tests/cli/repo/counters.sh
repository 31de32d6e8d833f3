#!/bin/sh
# The run counter and the run files (issue 9, items 5 and 9): a counter
# edited back never lets a run overwrite a stored one; a counter far ahead
# costs nothing; an emptied run file is reported, never shown as green.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
MK="$PY $TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py"
R=.testrepository

mkdir "$tmp/p"
cd "$tmp/p"
testr init > /dev/null
$MK a.one:fail:1 > "$tmp/s0"
$MK b.one:success:2 > "$tmp/s1"
$MK c.one:success:3 > "$tmp/s2"
expect_rc 1 testr load "$tmp/s0"
expect_rc 0 testr load "$tmp/s1"
cp $R/0 "$tmp/run0"
cp $R/1 "$tmp/run1"

# Edited back by one bit (2 -> 0): run 2 is new, runs 0 and 1 stay.
echo 0 > $R/next-stream
expect_rc 0 testr load "$tmp/s2"
must_have "$tmp/err" "$R/next-stream says 0, but run 0 is stored: this run is 2"
same "run 0 kept" "$tmp/run0" $R/0
same "run 1 kept" "$tmp/run1" $R/1
expect "counter after" "runs=3" "$(testr stats)"

# Far ahead: the next run takes that id, nothing in between is read.
echo 1000000000 > $R/next-stream
expect_rc 0 testr last
must_have "$tmp/out" "PASSED (id=2"
must_lack "$tmp/err" "warning"
expect_rc 1 testr load "$tmp/s0"
must_have "$tmp/out" "FAILED (id=1000000000"
expect "failing" "a.one" "$(testr failing --list)"

# An emptied latest run: named, not green.
: > $R/1000000000
expect_rc 3 testr last
must_have "$tmp/err" "$R/1000000000: run file is not the one stored (0 bytes"
