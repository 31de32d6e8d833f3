#!/bin/sh
# A TAP suite (a shell TAP producer) through testr: test_format=tap for
# `testr run`, `testr load --format tap`, failures with YAML diagnostics,
# skips, TODO, an unmet plan, and a bad test_format named with its line.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
cd "$tmp"
cat > producer.sh <<'T'
echo "TAP version 14"
echo "1..6"
echo "ok 1 - adds"
echo "not ok 2 - divides"
echo "  ---"
echo "  message: 'division by zero'"
echo "  ..."
echo "# remainder was 3"
echo "ok 3 - needs network # SKIP offline"
echo "not ok 4 - parses dates # TODO not written"
echo "ok 5 - formats"
T
cat > .testr.conf <<'C'
[DEFAULT]
test_command=sh ./producer.sh
test_format=tap
C
testr init > /dev/null
expect_rc 1 testr run
must_have "$tmp/out" "Ran 6 tests"
expect_rc 1 testr failing --list
printf '%s\n' "TAP plan" divides > want
sort "$tmp/out" > got
same "failing ids" want got
expect_rc 1 testr failing
must_have "$tmp/out" "division by zero"
must_have "$tmp/out" "remainder was 3"
must_have "$tmp/out" "planned 6 tests but ran 5"
testr last --subunit | /usr/bin/python3 -c '
import sys, subunit, testtools
class R(testtools.StreamResult):
    def status(self, test_id=None, test_status=None, **kw):
        if test_status and test_status not in ("inprogress", "undefined"):
            print(test_id, test_status)
subunit.ByteStreamToStreamResult(sys.stdin.buffer).run(R())' | sort > statuses
printf '%s\n' "TAP plan fail" "adds success" "divides fail" "formats success" \
	"needs network skip" "parses dates xfail" > want
same "statuses" want statuses

# The same stream through testr load; subunit stays the default format.
sh ./producer.sh > stream.tap
expect_rc 1 testr load --format tap stream.tap
must_have "$tmp/out" "Ran 6 tests"
expect_rc 1 testr load --format=tap < stream.tap
must_have "$tmp/out" "Ran 6 tests"
expect_rc 2 testr load --format yaml stream.tap
must_have "$tmp/err" "unknown --format 'yaml'"
printf 'ok 1 - alone\n1..1\n' > pass.tap
expect_rc 0 testr load --format tap pass.tap

# A plan with no tests at all, and a producer that prints nothing, fail.
printf '1..2\n' > short.tap
expect_rc 1 testr load --format tap short.tap
: > empty.tap
expect_rc 1 testr load --format tap empty.tap

printf '[DEFAULT]\ntest_command=sh ./producer.sh\ntest_format=xml\n' > .testr.conf
expect_rc 3 testr run
must_have "$tmp/err" ".testr.conf:3: test_format: unknown format 'xml'"
echo "ok: a TAP suite through testr"
