#!/bin/sh
# Our testr and testrepository 0.0.20's, on the same streams, each in its
# own project: load, last, failing, slowest and stats must print the same
# bytes and exit with the same codes.
. "$TESTR_SOURCE_DIR/tests/cli/repo/lib.sh"

# both NAME CMD...: run CMD in both projects, compare stdout+stderr and rc.
both() {
	name=$1
	shift
	for who in py c; do
		if [ $who = py ]; then bin=$PYTESTR; else bin=$T; fi
		rc=0
		(cd "$WORK/$who" && "$bin" "$@" < "${STDIN:-/dev/null}" \
			> "$WORK/$who.out" 2> "$WORK/$who.err") || rc=$?
		echo "rc=$rc" >> "$WORK/$who.out"
		sed "s|$WORK/$who|DIR|g" "$WORK/$who.err" > "$WORK/$who.err2"
	done
	for who in py c; do	# testrepository prints tags in hash order
		awk '/^tags: / { n = split(substr($0, 7), t, " ");
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (t[j] < t[i]) { x = t[i]; t[i] = t[j]; t[j] = x }
			s = "tags:"; for (i = 1; i <= n; i++) s = s " " t[i];
			print s; next } { print }' "$WORK/$who.out" > "$WORK/$who.sorted"
		mv "$WORK/$who.sorted" "$WORK/$who.out"
	done
	same "$name: stdout" "$WORK/py.out" "$WORK/c.out"
	same "$name: stderr" "$WORK/py.err2" "$WORK/c.err2"
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

project "$WORK/py"
project "$WORK/c"

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
	> "$WORK/s1"
STDIN="$WORK/s1" both "load 1" load
views "run 0"

$MK --start=100 a.b.one:success:1.25 a.b.two:success:0.5 \
	a.b.six:fail:3.125 a.b.seven:fail:0.375 > "$WORK/s2"
STDIN="$WORK/s2" both "load 2" load
views "run 1"

# --subunit: the same results and attachments (testrepository's version 1
# storage drops route codes and "exists" events, so bytes differ).
EV="$PY $TESTR_SOURCE_DIR/tests/cli/repo/events.py"
for args in "last --subunit" "failing --subunit"; do
	(cd "$WORK/py" && $PYTESTR $args | $EV > "$WORK/py.ev")
	(cd "$WORK/c" && $T $args | $EV > "$WORK/c.ev")
	same "$args: results" "$WORK/py.ev" "$WORK/c.ev"
done
checks=$((checks + 1))
[ -s "$WORK/c.ev" ] || fail "failing --subunit: empty"


# Partial: an old failure passes, a new one fails, others untouched.
$MK --start=200 a.b.six:success:0.75 a.b.eight:fail:1 > "$WORK/s3"
STDIN="$WORK/s3" both "load 3 --partial" load --partial
views "run 2 (partial)"

# Several streams make one run, one worker each.
$MK --start=300 w.one:success:1 w.two:fail:2 > "$WORK/w0"
$MK --start=300 w.three:success:4 w.four:skip:0.5 > "$WORK/w1"
cp "$WORK/w0" "$WORK/w1" "$WORK/py/"
cp "$WORK/w0" "$WORK/w1" "$WORK/c/"
both "load 2 files" load w0 w1
views "run 3 (two workers)"

# More than ten timed tests: top ten, --all, widths from the largest.
$MK --start=400 --many=25:7 big.slow:success:12.5 > "$WORK/s5"
STDIN="$WORK/s5" both "load 5" load
views "run 4 (25 tests)"

# Attachments of every kind, several tags, a test that never completes.
$PY "$TESTR_SOURCE_DIR/tests/cli/repo/attachments.py" > "$WORK/att"
STDIN="$WORK/att" both "load attachments" load
both "attachments: last" last
both "attachments: failing" failing
both "attachments: failing --list" failing --list
# (not slowest: testrepository gives the unfinished t.four a duration of 0)

: > "$WORK/empty"
STDIN="$WORK/empty" both "load empty" load
views "run 5 (empty)"

STDIN="$WORK/s1" both "load --subunit" load --subunit
# -q: the same, except that ours keeps the summary (testrepository's -q
# hides it; testr(1) documents the difference).
for who in py c; do
	if [ $who = py ]; then bin=$PYTESTR; else bin=$T; fi
	(cd "$WORK/$who" && "$bin" -q load < "$WORK/s1" > "$WORK/$who.q") || true
done
grep -q "^FAILED (id=" "$WORK/c.q" || fail "load -q hid the summary: $(cat "$WORK/c.q")"
grep -Ev '^(Ran |FAILED |PASSED )' "$WORK/c.q" > "$WORK/c.q2" || true
same "load -q: stdout without the summary" "$WORK/py.q" "$WORK/c.q2"
both "stats at the end" stats

# --force-init creates the repository when there is none.
project "$WORK/py/fi"
project "$WORK/c/fi"
STDIN="$WORK/s1" both "load --force-init" load --force-init -d fi
expect "--force-init made a repository (py)" "runs=1" \
	"$(cd "$WORK/py/fi" && $PYTESTR stats)"
expect "--force-init made a repository (c)" "runs=1" \
	"$(cd "$WORK/c/fi" && $T stats)"
both "-d: stats of another directory" stats -d fi
# Usage errors: the wording is testr's own (testr(1)), the code is optparse's.
for who in py c; do
	if [ $who = py ]; then bin=$PYTESTR; else bin=$T; fi
	rc=0
	(cd "$WORK/$who" && "$bin" load --bogus-option-x </dev/null \
		>/dev/null 2>&1) || rc=$?
	expect "unknown option exit code ($who)" 2 "$rc"
done

# Our testr reading the repository testrepository wrote (format 1, v1 runs):
# every view the same as testrepository's own.
cp -a "$WORK/py" "$WORK/legacy"
legacy() {
	name=$1
	shift
	rc=0
	(cd "$WORK/py" && $PYTESTR "$@" > "$WORK/py.out" 2>&1) || rc=$?
	echo "rc=$rc" >> "$WORK/py.out"
	rc=0
	(cd "$WORK/legacy" && $T "$@" > "$WORK/c.out" 2>&1) || rc=$?
	echo "rc=$rc" >> "$WORK/c.out"
	same "$name" "$WORK/py.out" "$WORK/c.out"
}
for cmd in stats last failing "failing --list" slowest "slowest --all"; do
	legacy "format 1 read by us: $cmd" $cmd
done
expect "reading did not change the format" "1" "$(cat "$WORK/legacy/.testrepository/format")"

# Storing a run upgrades it: history kept, ids continue, durations rebuilt
# from the old runs, and testrepository then refuses it cleanly.
(cd "$WORK/legacy" && $T load < "$WORK/s2" > "$WORK/c.out") || true
expect "upgraded format" "libtestr-1" "$(cat "$WORK/legacy/.testrepository/format")"
expect "runs after upgrade" "runs=$(( $(cd "$WORK/py" && $PYTESTR stats | cut -d= -f2) + 1 ))" \
	"$(cd "$WORK/legacy" && $T stats)"
checks=$((checks + 1))
grep -q "^FAILED (id=[0-9]*, failures=2 (+1))$" "$WORK/c.out" || fail "load into format 1: $(cat "$WORK/c.out")"
expect "failing after upgrade" "a.b.six
a.b.seven" "$(cd "$WORK/legacy" && $T failing --list)"
checks=$((checks + 1))
(cd "$WORK/legacy" && $T slowest --all | grep -q "^big.slow ") && fail "slowest shows a test not in the latest run"
rc=0
(cd "$WORK/legacy" && $PYTESTR last > /dev/null 2> "$WORK/py.err") || rc=$?
expect "testrepository refuses the upgraded repository" 3 "$rc"
checks=$((checks + 1))
! grep -q Traceback "$WORK/py.err" || fail "testrepository crashed: $(cat "$WORK/py.err")"

finish
