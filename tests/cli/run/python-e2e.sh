#!/bin/sh
# End to end with a real client: a Python unittest package run by
# python-subunit (`python3 -m subunit.run discover`, --list, --load-list
# $IDFILE), serially and in parallel, with failures, skips and non-ASCII
# ids; compared with testrepository's own testr on the same suite.
. "$(dirname "$0")/common.sh"
PY=/usr/bin/python3
[ -x /usr/bin/testr ] || fail "testrepository is not installed"

make_suite() {
	mkdir -p "$1/pkg"
	: > "$1/pkg/__init__.py"
	cat > "$1/pkg/test_a.py" <<'PY'
import unittest

class T(unittest.TestCase):
    def test_ok(self):
        pass

    def test_fail(self):
        self.fail("boom")

    def test_skip(self):
        self.skipTest("not today")
PY
	cat > "$1/pkg/test_b.py" <<'PY'
import unittest

class U(unittest.TestCase):
    def test_one(self):
        pass

    def test_two(self):
        pass

class V(unittest.TestCase):
    def test_three(self):
        print("noise on stdout")
PY
	cat > "$1/.testr.conf" <<'EOF2'
[DEFAULT]
test_command=/usr/bin/python3 -m subunit.run discover -t . . $LISTOPT $IDOPTION
test_id_option=--load-list $IDFILE
test_list_option=--list
EOF2
}

# The lines that must agree with testrepository: Ran/PASSED/FAILED, minus
# the time, which differs from run to run.
summary() { grep -E '^(Ran|PASSED|FAILED)' "$1" | sed 's/ in [0-9.]*s.*//'; }

ours="$tmp/ours"
theirs="$tmp/theirs"
make_suite "$ours"
make_suite "$theirs"

for mode in serial parallel; do
	opts=""
	[ $mode = serial ] || opts="--parallel --concurrency 2"
	cd "$ours"
	[ -d .testrepository ] || testr init > /dev/null
	expect_rc 1 testr run $opts
	cp "$tmp/out" "$tmp/ours.$mode"
	cp "$tmp/err" "$tmp/ours.$mode.err"
	cd "$theirs"
	[ -d .testrepository ] || /usr/bin/testr init > /dev/null
	expect_rc 1 /usr/bin/testr run $opts
	cp "$tmp/out" "$tmp/theirs.$mode"
	summary "$tmp/ours.$mode" > "$tmp/s.ours"
	summary "$tmp/theirs.$mode" > "$tmp/s.theirs"
	diff -u "$tmp/s.theirs" "$tmp/s.ours" || fail "$mode summary differs"
	must_have "$tmp/ours.$mode" "FAIL: pkg.test_a.T.test_fail"
	must_have "$tmp/ours.$mode" "AssertionError: boom"
done
must_have "$tmp/ours.serial" "FAILED (id=0, failures=1, skips=1)"
# In parallel each worker got its own $IDFILE.
[ "$(grep -c -- '--load-list' "$tmp/ours.parallel.err")" = 2 ] || fail "2 workers"

cd "$ours"
testr failing | sed 's/ in [0-9.]*s//; s/worker-[0-9]*/worker-N/' > "$tmp/f.ours" || true
cd "$theirs"
/usr/bin/testr failing | sed "s|$theirs|$ours|; s/ in [0-9.]*s//; s/worker-[0-9]*/worker-N/" \
	> "$tmp/f.theirs" || true
diff -u "$tmp/f.theirs" "$tmp/f.ours" || fail "testr failing differs"

# --failing re-runs just the failure; filters select tests.
cd "$ours"
expect_rc 1 testr run --failing
must_have "$tmp/out" "Ran 1 (-5) tests"
expect_rc 0 testr run --parallel --concurrency 2 'test_(one|two)$'
must_have "$tmp/out" "Ran 2 (+1) tests"
must_have "$tmp/out" "PASSED (id=3)"

# Non-ASCII ids: listed, written to $IDFILE as UTF-8, run in parallel
# (testrepository writes latin-1 here and the runner crashes).
cat >> "$ours/pkg/test_b.py" <<'PY'

class W(unittest.TestCase):
    def test_ünïcode(self):
        pass
PY
expect_rc 0 testr list-tests
must_have "$tmp/out" "pkg.test_b.W.test_ünïcode"
expect_rc 0 testr run --parallel --concurrency 2 'ünï|test_one'
must_have "$tmp/out" "Ran 2"
must_have "$tmp/out" "PASSED"
expect_rc 0 testr last --subunit
$PY -c '
import sys, subunit, testtools
ids = []
class R(testtools.StreamResult):
    def status(self, test_id=None, test_status=None, **kw):
        if test_status == "success": ids.append(test_id)
subunit.ByteStreamToStreamResult(sys.stdin.buffer).run(R())
assert "pkg.test_b.W.test_\u00fcn\u00efcode" in ids, ids
' < "$tmp/out" || fail "non-ASCII id not stored as UTF-8"
echo ok
