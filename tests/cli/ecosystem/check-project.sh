#!/bin/sh
# The bundled check project (examples/check-project) builds with plain make
# against the installed libtestr-check, lists stable ids, runs exactly a
# --load-list selection, and reports in subunit v2 with timestamps that
# python-subunit and testrepository accept.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
py=$PY
here="$TESTR_SOURCE_DIR/tests/cli/ecosystem"
root="$tmp/root"
meson install --quiet --no-rebuild -C "$TESTR_BUILD_DIR" --destdir "$root" >/dev/null
pcdir=$(dirname "$(find "$root" -name testr-check.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$root"
export LD_LIBRARY_PATH="$(dirname "$pcdir")"

mkdir "$tmp/proj"
cp -R "$TESTR_SOURCE_DIR/examples/check-project/." "$tmp/proj/"
cd "$tmp/proj"
make -s clean
make -s

# Ids: one per line, unique, "<suite>.<tcase>.<test>", the same in both
# listings.
./tests/test_numkit --list > ids
n=$(wc -l < ids)
[ "$n" -ge 10 ] || fail "only $n ids listed"
[ "$(sort -u ids | wc -l)" -eq "$n" ] || fail "duplicate ids"
grep -qv '^numkit\.[a-z]*\.[a-z_]*$' ids && fail "malformed id: $(grep -v '^numkit\.[a-z]*\.[a-z_]*$' ids | head -n 1)"
./tests/test_numkit --subunit --list | $py /usr/bin/subunit-ls --exists > v2ids
cmp -s ids v2ids || fail "subunit enumeration differs from --list"

# --load-list runs exactly the listed ids, each with start and end times.
printf 'numkit.gcd.gcd_of_coprimes_is_one\nnumkit.roman.roman_encodes_small_values\n' > sel
./tests/test_numkit --subunit --load-list sel > sel.v2
$py /usr/bin/subunit-ls < sel.v2 | sort > ran
printf 'numkit.gcd.gcd_of_coprimes_is_one\nnumkit.roman.roman_encodes_small_values\n' | cmp -s - ran ||
	fail "--load-list ran: $(cat ran)"
$py "$here/events.py" sel.v2 > sel.events
[ "$(cut -d' ' -f2 sel.events | tr '\n' ' ')" = "inprogress success inprogress success " ] ||
	fail "not an inprogress and a result per test: $(cat sel.events)"
grep -q ' - [^ ]*$' sel.events && fail "events lack timestamps: $(cat sel.events)"

# testr runs it in parallel: every test, durations recorded, each group
# ("numkit.roman.", ...) on one worker, and both workers busy.
t="$TESTR_BIN"
"$t" init > /dev/null
"$t" run --parallel --concurrency 2 > run1 2>&1 || fail "testr run: $(cat run1)"
grep -q "^Ran $n tests" run1 || fail "testr ran: $(grep '^Ran' run1)"
"$t" run --parallel --concurrency 2 > run2 2>&1 || fail "second run: $(cat run2)"
# Every test has a recorded duration, slowest first, and some took time
# (how long says nothing: the machine may be loaded).
"$t" slowest --all | sed 1,2d > slow
[ "$(wc -l < slow)" -eq "$n" ] || fail "slowest --all: $(cat slow)"
awk '{ print $NF }' slow > secs
grep -qv '^[0-9][0-9]*\.[0-9][0-9]*$' secs && fail "not a duration: $(cat slow)"
sort -rn secs | cmp -s - secs || fail "not slowest first: $(cat slow)"
grep -q '[1-9]' secs || fail "no test took any time: $(cat slow)"
"$t" last --subunit > last.v2
# Each group ("numkit.roman." ...) ran on one worker, and both workers ran some.
$py "$here/events.py" last.v2 | awk '{ split($1, g, "."); print g[2], $4 }' |
	sort -u > groups
[ "$(cut -d' ' -f1 groups | uniq -d)" = "" ] || fail "a group split over workers: $(cat groups)"
[ "$(cut -d' ' -f2 groups | sort -u | wc -l)" = 2 ] || fail "not both workers used: $(cat groups)"

# A planted bug fails tests, with check's message in the traceback.
make -s clean
make -s BUG=1
./tests/test_numkit --subunit > bug.v2 || fail "--subunit must exit 0 when tests fail"
$py /usr/bin/subunit2pyunit < bug.v2 > bug.txt 2>&1 && fail "bug went unnoticed"
grep -q 'FAIL: numkit.roman.roman_encodes_subtractive_pairs' bug.txt || fail "no failure reported"
grep -q "test_numkit.c:[0-9]*: Assertion" bug.txt || fail "no check message: $(cat bug.txt)"
if ./tests/test_numkit > /dev/null; then fail "plain mode must exit 1 on failure"; fi

# testr sees the failure, and --failing re-runs just it once fixed.
if "$t" run --parallel --concurrency 2 > run3 2>&1; then fail "testr run passed with a bug"; fi
[ "$("$t" failing --list)" = numkit.roman.roman_encodes_subtractive_pairs ] ||
	fail "failing: $("$t" failing --list)"
make -s clean
make -s
"$t" run --failing > run4 2>&1 || fail "run --failing: $(cat run4)"
grep -q '^Ran 1 ' run4 || fail "run --failing ran: $(grep '^Ran' run4)"
"$t" failing --list > still
[ ! -s still ] || fail "still failing: $(cat still)"
echo "ok: check project lists $n ids and reports subunit v2 with times"
