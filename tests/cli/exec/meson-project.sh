#!/bin/sh
# A meson project's own tests run through testr-exec under testr: results,
# output, skips (exit 77), a timeout, TAP-protocol tests, env and workdir,
# then --failing and slowest.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
exe="$TESTR_BUILD_DIR/exec/testr-exec"
mkdir "$tmp/p" && cd "$tmp/p"
cat > meson.build <<'M'
project('demo', 'c')
sh = find_program('sh')
foreach i : ['1', '2', '3', '4', '5', '6']
  test('add' + i, sh, args: ['-c', 'echo adding ' + i], suite: 'math')
endforeach
test('env', sh, args: ['-c', 'test "$DEMO" = "x y"'], env: {'DEMO': 'x y'})
test('workdir', sh, args: ['-c', 'test -f marker'], workdir: meson.current_source_dir())
test('broken', sh, args: ['-c', 'echo expected 2 got 3 >&2; exit 1'])
test('needs-db', sh, args: ['-c', 'echo no database; exit 77'])
test('hangs', sh, args: ['-c', 'sleep 60'], timeout: 1)
test('alone', sh, args: ['-c', 'exit 0'], is_parallel: false)
test('tap', sh, args: ['-c', 'echo 1..2; echo ok 1 - a; echo ok 2 - b # SKIP x'], protocol: 'tap')
test('tap-bad', sh, args: ['-c', 'echo 1..2; echo ok 1 - a; echo not ok 2 - b'], protocol: 'tap')
M
touch marker
meson setup b > /dev/null 2>&1 || fail "meson setup failed"
intro=b/meson-info/intro-tests.json
cat > .testr.conf <<C
[DEFAULT]
test_command="$exe" "$intro" \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
C
testr init > /dev/null

expect_rc 1 testr run --parallel --concurrency 3
must_have "$tmp/out" "Ran 14 tests"
expect_rc 1 testr failing --list
printf '%s\n' demo/broken demo/hangs demo/tap-bad > want
# The failing set is stored in completion order, which varies by worker.
sort "$tmp/out" > got
same "failing ids" want got

# The reasons reach the repository as attachments.
testr last --subunit | /usr/bin/python3 -c '
import sys, subunit, testtools
class R(testtools.StreamResult):
    def status(self, test_id=None, test_status=None, file_name=None, file_bytes=None, **kw):
        if file_name:
            sys.stdout.write("%s %s %s\n" % (test_id, file_name, file_bytes.decode()))
        if test_status and test_status not in ("inprogress", "undefined"):
            sys.stdout.write("%s => %s\n" % (test_id, test_status))
subunit.ByteStreamToStreamResult(sys.stdin.buffer).run(R())' > events
must_have events "demo/hangs reason timed out after 1 s"
must_have events "demo/broken stdout expected 2 got 3"
must_have events "demo/broken reason exit status 1"
must_have events "demo/needs-db => skip"
must_have events "demo:math/add3 stdout adding 3"
must_have events "demo/env => success"
must_have events "demo/workdir => success"
must_have events "demo/tap => success"
must_have events "demo/tap-bad reason 1 TAP test points failed"

# --failing runs just those; slowest knows the durations.
expect_rc 1 testr run --failing
must_have "$tmp/out" "Ran 3 ("
testr slowest > slowest
must_have slowest "demo/hangs"

# An id the suite does not have fails rather than vanishing.
echo demo/gone > ids
"$exe" --load-list ids "$intro" > stream
expect_rc 1 testr load --partial < stream
must_have "$tmp/out" "demo/gone"
echo "ok: meson project through testr-exec"
