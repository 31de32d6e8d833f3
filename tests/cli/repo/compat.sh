#!/bin/sh
# Our testr and testrepository 0.0.20's, on the same streams, each in its
# own project: load, last, failing, slowest and stats must print the same
# bytes and exit with the same codes.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
MK="$PY $TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py"

# conf_dir DIR: a project dir with a .testr.conf and no repository
# (testrepository's last and failing want one).
conf_dir() {
	mkdir -p "$1"
	printf '[DEFAULT]\ntest_command=true\n' > "$1/.testr.conf"
}

# both NAME CMD...: run CMD in both projects, compare stdout+stderr and rc.
both() {
	name=$1
	shift
	for who in py c; do
		if [ $who = py ]; then bin=$PYTESTR; else bin=testr; fi
		rc=0
		(cd "$tmp/$who" && "$bin" "$@" < "${STDIN:-/dev/null}" \
			> "$tmp/$who.out" 2> "$tmp/$who.err") || rc=$?
		echo "rc=$rc" >> "$tmp/$who.out"
		sed "s|$tmp/$who|DIR|g" "$tmp/$who.err" > "$tmp/$who.err2"
	done
	for who in py c; do	# testrepository prints tags in hash order
		awk '/^tags: / { n = split(substr($0, 7), t, " ");
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (t[j] < t[i]) { x = t[i]; t[i] = t[j]; t[j] = x }
			s = "tags:"; for (i = 1; i <= n; i++) s = s " " t[i];
			print s; next } { print }' "$tmp/$who.out" > "$tmp/$who.sorted"
		mv "$tmp/$who.sorted" "$tmp/$who.out"
	done
	same "$name: stdout" "$tmp/py.out" "$tmp/c.out"
	same "$name: stderr" "$tmp/py.err2" "$tmp/c.err2"
}

# Every reading command after each load.
views() {
	both "$1: last" last
	both "$1: failing" failing
	both "$1: failing --list" failing --list
	both "$1: slowest" slowest
	both "$1: slowest --all" slowest --all
	both "$1: stats" stats
}

conf_dir "$tmp/py"
conf_dir "$tmp/c"

# Before init: every command says there is no repository.
for cmd in last failing slowest stats load; do
	both "no repository: $cmd" $cmd
done
both "init" init
both "init twice" init
both "empty: last" last
both "empty: failing" failing
both "empty: failing --list" failing --list
both "empty: slowest" slowest
both "empty: stats" stats

$MK a.b.one:success:1.5 a.b.two:fail:0.25 a.b.three:skip:0.125 \
	a.b.four:xfail:0.0625 a.b.five:uxsuccess:2.75 a.b.listed:exists:0 \
	> "$tmp/s1"
STDIN="$tmp/s1" both "load 1" load
views "run 0"

$MK --start=100 a.b.one:success:1.25 a.b.two:success:0.5 \
	a.b.six:fail:3.125 a.b.seven:fail:0.375 > "$tmp/s2"
STDIN="$tmp/s2" both "load 2" load
views "run 1"

# --subunit: the same results and attachments (testrepository's version 1
# storage drops route codes and "exists" events, so bytes differ).
EV="$PY $TESTR_SOURCE_DIR/tests/cli/repo/events.py"
for args in "last --subunit" "failing --subunit"; do
	(cd "$tmp/py" && $PYTESTR $args | $EV > "$tmp/py.ev")
	(cd "$tmp/c" && testr $args | $EV > "$tmp/c.ev")
	same "$args: results" "$tmp/py.ev" "$tmp/c.ev"
done
[ -s "$tmp/c.ev" ] || fail "failing --subunit: empty"


# Partial: an old failure passes, a new one fails, others untouched.
$MK --start=200 a.b.six:success:0.75 a.b.eight:fail:1 > "$tmp/s3"
STDIN="$tmp/s3" both "load 3 --partial" load --partial
views "run 2 (partial)"

# Several streams make one run, one worker each.
$MK --start=300 w.one:success:1 w.two:fail:2 > "$tmp/w0"
$MK --start=300 w.three:success:4 w.four:skip:0.5 > "$tmp/w1"
cp "$tmp/w0" "$tmp/w1" "$tmp/py/"
cp "$tmp/w0" "$tmp/w1" "$tmp/c/"
both "load 2 files" load w0 w1
views "run 3 (two workers)"

# More than ten timed tests: top ten, --all, widths from the largest.
$MK --start=400 --many=25:7 big.slow:success:12.5 > "$tmp/s5"
STDIN="$tmp/s5" both "load 5" load
views "run 4 (25 tests)"

# Attachments of every kind, several tags, a test that never completes.
$PY "$TESTR_SOURCE_DIR/tests/cli/repo/attachments.py" > "$tmp/att"
STDIN="$tmp/att" both "load attachments" load
both "attachments: last" last
both "attachments: failing" failing
both "attachments: failing --list" failing --list
# (not slowest: testrepository gives the unfinished t.four a duration of 0)

: > "$tmp/empty"
# testrepository stores an empty stream as a PASSED run; ours stores
# nothing and exits 1 (testr(1)): an empty run is not a pass.  So only
# ours is fed it, and both repositories must still read the same.
set +e
(cd "$tmp/c" && testr load < "$tmp/empty" > "$tmp/c.out" 2> "$tmp/c.err")
rc=$?
set -e
expect "load empty: exit" 1 "$rc"
must_have "$tmp/c.err" "the stream held no tests; nothing was stored"
# (slowest left out, as for the attachments run that is still the last)
for cmd in last failing "failing --list" stats; do
	both "after an empty load: $cmd" $cmd
done

STDIN="$tmp/s1" both "load --subunit" load --subunit
# -q: the same, except that ours keeps the summary (testrepository's -q
# hides it; testr(1) documents the difference).
for who in py c; do
	if [ $who = py ]; then bin=$PYTESTR; else bin=testr; fi
	rc=0
	(cd "$tmp/$who" && "$bin" -q load < "$tmp/s1" > "$tmp/$who.q") || rc=$?
	expect "load -q: exit ($who)" 1 "$rc"
done
grep -q "^FAILED (id=" "$tmp/c.q" || fail "load -q hid the summary: $(cat "$tmp/c.q")"
# (grep exits 1 when it selects nothing: testrepository's -q prints nothing)
grep -Ev '^(Ran |FAILED |PASSED )' "$tmp/c.q" > "$tmp/c.q2" || [ $? -eq 1 ]
same "load -q: stdout without the summary" "$tmp/py.q" "$tmp/c.q2"
both "stats at the end" stats

# --force-init creates the repository when there is none.
conf_dir "$tmp/py/fi"
conf_dir "$tmp/c/fi"
STDIN="$tmp/s1" both "load --force-init" load --force-init -d fi
expect "--force-init made a repository (py)" "runs=1" \
	"$(cd "$tmp/py/fi" && $PYTESTR stats)"
expect "--force-init made a repository (c)" "runs=1" \
	"$(cd "$tmp/c/fi" && testr stats)"
both "-d: stats of another directory" stats -d fi
# Usage errors: the wording is testr's own (testr(1)), the code is optparse's.
for who in py c; do
	if [ $who = py ]; then bin=$PYTESTR; else bin=testr; fi
	rc=0
	(cd "$tmp/$who" && "$bin" load --bogus-option-x </dev/null \
		>/dev/null 2>&1) || rc=$?
	expect "unknown option exit code ($who)" 2 "$rc"
done

# Our testr reading the repository testrepository wrote (format 1, v1 runs):
# every view the same as testrepository's own.
cp -a "$tmp/py" "$tmp/legacy"
legacy() {
	name=$1
	shift
	rc=0
	(cd "$tmp/py" && $PYTESTR "$@" > "$tmp/py.out" 2>&1) || rc=$?
	echo "rc=$rc" >> "$tmp/py.out"
	rc=0
	(cd "$tmp/legacy" && testr "$@" > "$tmp/c.out" 2>&1) || rc=$?
	echo "rc=$rc" >> "$tmp/c.out"
	same "$name" "$tmp/py.out" "$tmp/c.out"
}
for cmd in stats last failing "failing --list" slowest "slowest --all"; do
	legacy "format 1 read by us: $cmd" $cmd
done
expect "reading did not change the format" "1" "$(cat "$tmp/legacy/.testrepository/format")"

# Storing a run is refused until `testr upgrade` (tests/cli/repo/coexist.sh
# alternates both tools); then history is kept, ids continue, durations are
# rebuilt from the old runs, and testrepository refuses it cleanly.
rc=0
(cd "$tmp/legacy" && testr load < "$tmp/s2" > "$tmp/c.out" 2>&1) || rc=$?
expect "load into format 1: exit" 3 "$rc"
grep -q "runs are stored only after 'testr upgrade'" "$tmp/c.out" ||
	fail "load into format 1: $(cat "$tmp/c.out")"
expect "refused load left the format" "1" "$(cat "$tmp/legacy/.testrepository/format")"
(cd "$tmp/legacy" && testr upgrade > /dev/null)
rc=0
(cd "$tmp/legacy" && testr load < "$tmp/s2" > "$tmp/c.out") || rc=$?
expect "load after upgrade: exit" 1 "$rc"
expect "upgraded format" "libtestr-1" "$(cat "$tmp/legacy/.testrepository/format")"
expect "runs after upgrade" "runs=$(( $(cd "$tmp/py" && $PYTESTR stats | cut -d= -f2) + 1 ))" \
	"$(cd "$tmp/legacy" && testr stats)"
grep -q "^FAILED (id=[0-9]*, failures=2 (+1))$" "$tmp/c.out" || fail "load after upgrade: $(cat "$tmp/c.out")"
expect "failing after upgrade" "a.b.six
a.b.seven" "$(cd "$tmp/legacy" && testr failing --list)"
(cd "$tmp/legacy" && testr slowest --all | grep -q "^big.slow ") && fail "slowest shows a test not in the latest run"
rc=0
(cd "$tmp/legacy" && $PYTESTR last > /dev/null 2> "$tmp/py.err") || rc=$?
expect "testrepository refuses the upgraded repository" 3 "$rc"
! grep -q Traceback "$tmp/py.err" || fail "testrepository crashed: $(cat "$tmp/py.err")"
