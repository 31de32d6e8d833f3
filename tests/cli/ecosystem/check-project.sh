#!/bin/sh
# The bundled check project (examples/check-project) builds with plain make,
# lists stable ids, runs exactly a --load-list selection, and reports in
# subunit v2 with timestamps that python-subunit and testrepository accept.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
py=/usr/bin/python3

cp -R "$TESTR_SOURCE_DIR/examples/check-project/." "$tmp/"
cd "$tmp"
make -s clean
make -s

# Ids: one per line, unique, "<group>.<name>", the same in both listings.
./tests/test_numkit --list > ids
n=$(wc -l < ids)
[ "$n" -ge 10 ] || fail "only $n ids listed"
[ "$(sort -u ids | wc -l)" -eq "$n" ] || fail "duplicate ids"
grep -qv '^[a-z]*\.[a-z_]*$' ids && fail "malformed id: $(grep -v '^[a-z]*\.[a-z_]*$' ids | head -n 1)"
./tests/test_numkit --subunit --list | $py /usr/bin/subunit-ls --exists > v2ids
cmp -s ids v2ids || fail "subunit enumeration differs from --list"

# --load-list runs exactly the listed ids, each with start and end times.
printf 'gcd.of_coprimes_is_one\nroman.encodes_small_values\n' > sel
./tests/test_numkit --subunit --load-list sel > sel.v2
$py /usr/bin/subunit-ls < sel.v2 | sort > ran
printf 'gcd.of_coprimes_is_one\nroman.encodes_small_values\n' | cmp -s - ran ||
	fail "--load-list ran: $(cat ran)"
$py - sel.v2 <<'PY' || fail "events lack timestamps"
import sys, subunit, testtools
seen = []
class R(testtools.StreamResult):
    def status(self, test_id=None, test_status=None, timestamp=None, **kw):
        if test_id:
            seen.append((test_id, test_status, timestamp))
subunit.ByteStreamToStreamResult(open(sys.argv[1], 'rb')).run(R())
assert len(seen) == 4, seen
assert all(ts is not None for _, _, ts in seen), seen
assert [s for _, s, _ in seen] == ['inprogress', 'success'] * 2, seen
PY

# testr runs it in parallel: every test, durations recorded, each group
# ("roman.", "primes.", ...) on one worker, and both workers busy.
t="$TESTR_BIN"
"$t" init > /dev/null
"$t" run --parallel --concurrency 2 > run1 2>&1 || fail "testr run: $(cat run1)"
grep -q "^Ran $n tests" run1 || fail "testr ran: $(grep '^Ran' run1)"
"$t" run --parallel --concurrency 2 > run2 2>&1 || fail "second run: $(cat run2)"
"$t" slowest | sed -n 3p | grep -q ' 0\.[0-9]*[1-9]' || fail "no durations: $("$t" slowest)"
"$t" last --subunit > last.v2
$py - last.v2 <<'PY' || fail "groups split over workers"
import re, sys, subunit, testtools
where = {}
class R(testtools.StreamResult):
    def status(self, test_id=None, test_tags=None, **kw):
        for tag in test_tags or ():
            if test_id and tag.startswith('worker-'):
                where[test_id] = tag
subunit.ByteStreamToStreamResult(open(sys.argv[1], 'rb')).run(R())
groups = {}
for test_id, worker in where.items():
    groups.setdefault(test_id.split('.')[0], set()).add(worker)
assert len(where) >= 10, where
assert all(len(w) == 1 for w in groups.values()), groups
assert len(set(where.values())) == 2, where
PY

# A planted bug fails tests, with check's message in the traceback.
make -s clean
make -s BUG=1
./tests/test_numkit --subunit > bug.v2 || fail "--subunit must exit 0 when tests fail"
$py /usr/bin/subunit2pyunit < bug.v2 > bug.txt 2>&1 && fail "bug went unnoticed"
grep -q 'FAIL: roman.encodes_subtractive_pairs' bug.txt || fail "no failure reported"
grep -q "test_numkit.c:[0-9]*: Assertion" bug.txt || fail "no check message: $(cat bug.txt)"
if ./tests/test_numkit > /dev/null; then fail "plain mode must exit 1 on failure"; fi

# testr sees the failure, and --failing re-runs just it once fixed.
if "$t" run --parallel --concurrency 2 > run3 2>&1; then fail "testr run passed with a bug"; fi
[ "$("$t" failing --list)" = roman.encodes_subtractive_pairs ] ||
	fail "failing: $("$t" failing --list)"
make -s clean
make -s
"$t" run --failing > run4 2>&1 || fail "run --failing: $(cat run4)"
grep -q '^Ran 1 ' run4 || fail "run --failing ran: $(grep '^Ran' run4)"
"$t" failing --list > still
[ ! -s still ] || fail "still failing: $(cat still)"
echo "ok: check project lists $n ids and reports subunit v2 with times"
