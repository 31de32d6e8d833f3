#!/bin/sh
# testr history: the runs (partial ones marked), and each stored result of
# chosen tests, from the per-run indexes; a run without the section falls
# back to its stream with the same answer.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
mk() { "$PY" "$TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py" "$@"; }

mkdir "$tmp/p" && cd "$tmp/p"
testr init > /dev/null
expect_rc 0 testr history
expect 'empty history' 1 "$(wc -l < "$tmp/out")"
mk a.one:success:1 a.two:fail:2 'a.th ree\tx:skip:0.5' > s0
mk --start=100 a.one:success:1.5 a.two:success:2 > s1
mk --start=200 a.two:fail:3 > s2
expect_rc 1 testr load s0
expect_rc 0 testr load s1
expect_rc 1 testr load --partial s2

expect_rc 0 testr history
sed 1d "$tmp/out" | awk '{o=$1; for (i = 4; i <= NF; i++) o = o " " $i; print o}' > runs
printf '%s\n' '0 3 1 1 3.500' '1 2 0 0 3.500' '2 1 1 0 3.000 partial' > want
same 'history runs' want runs
must_have "$tmp/out" '2026-01-01 00:01:40'

expect_rc 0 testr history a.two a.one nosuch.test
sed 1d "$tmp/out" | awk '{print $1, $4, $5, $6}' > results
printf '%s\n' '0 fail 2.000 a.two' '0 success 1.000 a.one' \
	'1 success 2.000 a.two' '1 success 1.500 a.one' '2 fail 3.000 a.two' > want
same 'history of tests' want results
must_lack "$tmp/out" nosuch

# Without the section (an index from before it, or none), the run is read.
rm .testrepository/1.index
expect_rc 0 testr history a.two a.one
sed 1d "$tmp/out" | awk '{print $1, $4, $5, $6}' > again
same 'history without an index' want again

# Python testrepository's repository: no index at all, same answers.
mkdir "$tmp/legacy" && cd "$tmp/legacy"
printf '[DEFAULT]\ntest_command=true\n' > .testr.conf
"$PYTESTR" init > /dev/null
expect_rc 1 "$PYTESTR" load "$tmp/p/s0"
expect_rc 0 testr history a.two
must_have "$tmp/out" 'fail'
echo ok
