#!/bin/sh
# testrepository and our testr on one tree (issue 14): until `testr upgrade`
# ours reads a repository testrepository created and stores nothing in it,
# so both tools keep working on it, alternately; after the upgrade ours
# stores runs (ids and failing set carried over) and Python's testr refuses
# the repository cleanly.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
MK="$PY $TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py"
R=.testrepository

mkdir "$tmp/p"
cd "$tmp/p"
printf '[DEFAULT]\ntest_command=true\n' > .testr.conf
$MK a.one:fail:1 a.two:success:2 > "$tmp/s0"
$MK --start=100 a.one:success:1 a.three:fail:3 > "$tmp/s1"
$MK --start=200 a.three:success:1 > "$tmp/s2"

expect_rc 0 "$PYTESTR" init
expect_rc 1 "$PYTESTR" load < "$tmp/s0"

# Ours reads it, and stores nothing in it: one line naming the way out.
expect_rc 1 testr last
must_have "$tmp/out" "FAILED (id=0, failures=1)"
expect_rc 1 testr failing --list
expect "failing read by ours" "a.one" "$(cat "$tmp/out")"
cp -a $R "$tmp/before"
for cmd in "load" "run" "prune --keep 1"; do
	expect_rc 3 testr $cmd < "$tmp/s1"
	must_have "$tmp/err" "'testr upgrade'"
	expect "$cmd: one error line" 1 "$(wc -l < "$tmp/err")"
	diff -r "$tmp/before" $R > /dev/null || fail "$cmd changed the repository"
done

# testrepository goes on storing runs in it, and ours follows.
expect_rc 1 "$PYTESTR" load < "$tmp/s1"
expect_rc 1 testr last
must_have "$tmp/out" "FAILED (id=1, failures=1)"
expect_rc 1 testr failing --list
expect "failing after Python's second run" "a.three" "$(cat "$tmp/out")"
expect_rc 0 testr slowest
must_have "$tmp/out" "a.three"
expect_rc 0 "$PYTESTR" stats
expect "Python's stats" "runs=2" "$(cat "$tmp/out")"

# The explicit upgrade: ids, failing set and durations carried over.
expect_rc 0 testr upgrade
must_have "$tmp/out" "upgraded from testrepository's format 1"
expect "format after upgrade" "libtestr-1" "$(cat $R/format)"
expect_rc 0 testr upgrade
must_have "$tmp/out" "already in libtestr's format"
expect_rc 1 testr failing --list
expect "failing after upgrade" "a.three" "$(cat "$tmp/out")"
expect_rc 0 testr load < "$tmp/s2"
must_have "$tmp/out" "PASSED (id=2)"
expect_rc 0 testr failing --list
expect "failing after our run" "" "$(cat "$tmp/out")"
expect_rc 0 testr slowest --estimates
must_have "$tmp/out" "a.two"

# Python's testr now refuses the repository, without a traceback.
expect_rc 3 "$PYTESTR" last
must_lack "$tmp/err" "Traceback"
