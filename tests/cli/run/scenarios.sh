#!/bin/sh
# Expanded ids: a real testscenarios suite run by python-subunit.  The
# listed id pkg.test_s.T.test_x is reported as test_x(a) and test_x(b):
# that is the listed test having run, not a test "never reported".  A
# stale entry for it in the failing set leaves once a run shows it.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
$PY -c 'import testscenarios' 2>/dev/null ||
	fail "python3-testscenarios is not installed (.ci/install-deps)"

cd "$tmp"
mkdir -p pkg
: > pkg/__init__.py
cat > pkg/test_s.py <<'PY'
import unittest
import testscenarios


class T(testscenarios.TestWithScenarios):
    scenarios = [('a', {'v': 1}), ('b', {'v': 2})]

    def test_x(self):
        self.assertTrue(self.v)


class U(unittest.TestCase):
    def test_plain(self):
        pass
PY
cat > .testr.conf <<EOF2
[DEFAULT]
test_command=$PY -m subunit.run discover -t . . \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
EOF2
testr init > /dev/null

# Ids handed out (parallel, filtered): green, nothing failing.
expect_rc 0 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 3 tests"
must_have "$tmp/out" "PASSED"
must_lack "$tmp/out" "never reported"
expect_rc 0 testr failing
expect_rc 0 testr run test_x
must_have "$tmp/out" "Ran 2 (-1) tests"
must_have "$tmp/out" "PASSED"

# A phantom left in the failing set (as older versions stored it) leaves
# it with the next run --failing, which runs its scenarios.
$PY - > phantom.subunit <<'PY'
import sys
from subunit import StreamResultToBytes
out = StreamResultToBytes(sys.stdout.buffer)
out.status(test_id='pkg.test_s.T.test_x', test_status='fail')
PY
expect_rc 1 testr load --partial phantom.subunit
expect_rc 1 testr failing
must_have "$tmp/out" "pkg.test_s.T.test_x"
expect_rc 0 testr run --failing
must_have "$tmp/out" "PASSED"
expect_rc 0 testr failing
must_lack "$tmp/out" "pkg.test_s.T.test_x"

# A runner that dies after the scenarios has not run the listed test.
cat > .testr.conf <<EOF2
[DEFAULT]
test_command=$PY -m subunit.run discover -t . . \$LISTOPT \$IDOPTION; exit 3
test_id_option=--load-list \$IDFILE
test_list_option=--list
EOF2
echo pkg.test_s.T.test_x > list
expect_rc 1 testr run --load-list list
must_have "$tmp/out" "FAIL: process-returncode"
must_have "$tmp/out" "FAIL: pkg.test_s.T.test_x"
echo ok
