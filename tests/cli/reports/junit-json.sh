#!/bin/sh
# testr last/run --junit and --json: every outcome, hostile ids and
# attachments; the XML validates against junit.xsd and reads back with the
# same counts as the JSON report, which has every documented field.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
here="$TESTR_SOURCE_DIR/tests/cli/reports"
check() { "$PY" "$here/check_report.py" "$@" || fail "check_report.py $*"; }
valid() {
	xmllint --noout --schema "$here/junit.xsd" "$1" 2> "$tmp/xerr" || {
		cat "$tmp/xerr" >&2
		fail "$1 does not validate"
	}
}

mkdir "$tmp/p" && cd "$tmp/p"
testr init > /dev/null
"$PY" "$here/stream.py" > stream
expect_rc 1 testr load stream

# testr last --junit FILE: the file, and testr last's own output and status.
expect_rc 1 testr last --junit out.xml
must_have "$tmp/out" "FAILED (id=0"
valid out.xml
expect_rc 1 testr last --json=out.json
check junit out.xml out.json
"$PY" - out.json <<'PY' || fail "JSON report content"
import json, sys
doc = json.load(open(sys.argv[1], encoding='utf-8'))
t = {x['id']: x for x in doc['tests']}
assert doc['totals'] == {'tests': 14, 'success': 6, 'fail': 3, 'skip': 1,
    'xfail': 1, 'uxsuccess': 1, 'flaky': 1, 'incomplete': 1}, doc['totals']
assert doc['run']['id'] == 0 and doc['run']['partial'] is False
assert doc['run']['started'] == '2026-01-01T00:00:00.000000Z'
assert [a['status'] for a in t['pkg.mod.Class.test_flaky']['attempts']] == \
    ['fail', 'success']
assert t['pkg.mod.Class.test_twice']['status'] == 'fail'
assert t['pkg.mod.Class.test_hangs']['status'] == 'incomplete'
assert t['pkg.mod.Class.test_hangs']['duration'] is None
assert t['pkg.mod.Class.test_fail']['worker'] == 'worker-1'
assert t['pkg.bin.test_blob']['attachments'] == [
    {'name': 'blob', 'mime_type': 'application/octet-stream', 'size': 4}]
assert 'pkg.m\u00f6d.Cl\u00e4ss.test_\u00fcn\u00efc\u00f6d\u00e9_\u2603' in t
assert 'pkg.hostile.test_<a href="x">&amp;\'</a>' in t
assert 'pkg.ctl.test_\x01\x1b[31m\x7f' in t
assert doc['run']['output'][0]['name'] == 'stdout'
PY
"$PY" - out.xml <<'PY' || fail "JUnit report content"
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find('testsuite')
c = {(x.get('classname'), x.get('name')): x for x in s.findall('testcase')}
f = c[('pkg.mod.Class', 'test_fail')].find('failure')
assert f.get('message') == 'AssertionError: 1 != 2 <&>', f.get('message')
assert f.text.startswith('Traceback (most recent call last):')
assert c[('pkg.mod.Class', 'test_skip')].find('skipped').get('message') == \
    'not on Tuesdays'
assert c[('pkg.mod.Class', 'test_flaky')].find('flakyFailure') \
    .find('stackTrace').text == 'flake 1\n'
tw = c[('pkg.mod.Class', 'test_twice')]
assert tw.find('failure').text == 'twice\n'
assert tw.find('rerunFailure').find('stackTrace').text == 'once\n'
p = c[('pkg.mod.Class', 'test_pass')]
assert p.find('system-out').text == 'hello out\n'
assert p.find('system-err').text == 'hello err\n'
assert ('pkg.hostile', 'test_<a href="x">&amp;\'</a>') in c
assert ('pkg.params.Class', 'test_p(a.b)') in c and ('', 'nodot') in c
ctl = c[('pkg.ctl', 'test_\\x01\\x1b[31m\x7f')].find('failure')
assert ctl.text == 'bad \\xff\\xfe utf8 \\x00 and \\x1b\n', repr(ctl.text)
assert 'binary, 4 bytes' in c[('pkg.bin', 'test_blob')].find('system-out').text
assert s.find('system-out').text == 'runner chatter\n'
PY

# --json alone writes to standard output and nothing else; status kept.
expect_rc 1 testr last --json
cp "$tmp/out" stdout.json
check json stdout.json
expect_rc 1 testr last --junit -
cp "$tmp/out" stdout.xml
valid stdout.xml

# A v1 stream: control characters in an id, a failure's text not UTF-8.
printf 'test: ok.\001\nfailure: ok.\001 [\n\377\n]\n' > v1
expect_rc 1 testr load v1
expect_rc 1 testr last --junit v1.xml --json=v1.json
valid v1.xml
check junit v1.xml v1.json
must_have v1.json '"ok.\u0001"'
must_have v1.xml 'name="\x01"'
must_have v1.xml '\xff'

# A report that cannot be written: one line naming it, status 3, run kept.
expect_rc 3 testr last --junit "$tmp/no/such/dir/x.xml"
must_have "$tmp/err" "$tmp/no/such/dir"
expect 'error lines' 1 "$(wc -l < "$tmp/err")"
expect_rc 2 testr last --junit
must_have "$tmp/err" "needs a file name"

# testr run --junit FILE --json FILE, from a real run.
project r "$(printf 'a.b.test_ok\na.b.test_fail\na.c.test_skip')"
expect_rc 1 testr run --junit run.xml --json run.json
must_have "$tmp/out" "FAILED (id=0"
valid run.xml
check junit run.xml run.json
"$PY" -c 'import json,sys; d=json.load(open("run.json"))
assert d["totals"]["fail"] == 1 and d["totals"]["skip"] == 1, d["totals"]
assert d["run"]["id"] == 0' || fail "run.json totals"
expect_rc 2 testr run --json
must_have "$tmp/err" "needs a file name"

# testr stats --json
expect_rc 0 testr stats --json
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d == {"version": 1, "runs": 1, "stored_runs": 1, "latest_run": 0}, d
' "$tmp/out" || fail "stats --json: $(cat "$tmp/out")"

# Hostile edges: "]]>" in ids and text, a 200 KB line, an empty id and an
# empty attachment name, control characters in output, then an empty run,
# an interrupted one and a damaged one.
mkdir "$tmp/edge" && cd "$tmp/edge"
testr init > /dev/null
"$PY" - > edges <<'PY'
import datetime, sys
from subunit import StreamResultToBytes
out = StreamResultToBytes(sys.stdout.buffer)
at = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
TB = 'text/x-traceback; charset=utf8'
def test(tid, st, files=()):
    out.status(test_id=tid, test_status='inprogress', timestamp=at)
    for name, data, mime in files:
        out.status(test_id=tid, file_name=name, file_bytes=data,
                   mime_type=mime, eof=True, timestamp=at)
    out.status(test_id=tid, test_status=st, timestamp=at)
test('cdata.test_]]>', 'fail', [('traceback', b'a ]]> b <![CDATA[ c\n', TB)])
test('long.test_line', 'fail', [('traceback', b'\xc3\xa9' * 100000, TB)])
test('', 'fail', [('traceback', b'empty id\n', TB)])
test('noname.test', 'success', [('', b'nameless\n', 'text/plain')])
test('ctl.test_out', 'success', [('stdout', b'\x1b[31mred\x1b[0m\r\x08\x00\n',
                                  'text/plain')])
PY
expect_rc 1 testr load edges
expect_rc 1 testr last --junit edges.xml --json=edges.json
valid edges.xml
check junit edges.xml edges.json
"$PY" - edges.xml edges.json <<'PY' || fail "hostile edges"
import json, sys, xml.etree.ElementTree as ET
raw = open(sys.argv[1], 'rb').read()
assert b']]>' not in raw
s = ET.parse(sys.argv[1]).getroot().find('testsuite')
c = {(x.get('classname'), x.get('name')): x for x in s.findall('testcase')}
assert c[('cdata', 'test_]]>')].find('failure').text == \
    'a ]]> b <![CDATA[ c\n'
f = c[('long', 'test_line')].find('failure')
assert f.text == '\u00e9' * 100000 and f.get('message') == '\u00e9' * 512
assert c[('', '')].find('failure').text == 'empty id\n'
assert c[('noname', 'test')].find('system-out').text == '[]\nnameless\n'
assert c[('ctl', 'test_out')].find('system-out').text == \
    '\\x1b[31mred\\x1b[0m\r\\x08\\x00\n'
d = json.load(open(sys.argv[2], encoding='utf-8'))
t = {x['id']: x for x in d['tests']}
assert t['']['status'] == 'fail' and d['totals']['fail'] == 3
assert t['noname.test']['attachments'] == [
    {'name': '', 'mime_type': 'text/plain', 'size': 9}]
PY

# A stream where no test ran is not stored (testr load exits 1, as testr
# run does).  A run of no tests that testrepository stored (it calls it
# PASSED) is exported as an empty suite, which CI readers do not take for
# a pass (Jenkins fails on it).
: > empty
expect_rc 1 testr load empty
must_have "$tmp/err" "held no tests; nothing was stored"
mkdir py-empty
cd py-empty
printf '[DEFAULT]\ntest_command=true\n' > .testr.conf
$PYTESTR init > /dev/null
$PYTESTR load < ../empty > /dev/null
expect_rc 0 testr last --junit ../empty.xml --json=../empty.json
cd ..
valid empty.xml
check junit empty.xml empty.json
must_have empty.xml 'tests="0" failures="0" errors="0"'

# testr run interrupted while w.sleep20000 runs: w.ok2 was never reached,
# so one error testcase says the run was interrupted; never a green suite.
project cut "$(printf 'w.ok1\nw.sleep20000\nw.ok2')"
start_with_sigint "$TESTR_BIN" run --junit cut.xml --json cut.json
i=0
until grep -q sleep20000 "$FAKE_LOG" 2> /dev/null; do
	i=$((i + 1))
	[ $i -lt 400 ] || fail "the runner never started"
	sleep 0.05
done
signal_and_wait INT
expect 'interrupted run status' 130 "$rc"
valid cut.xml
check junit cut.xml cut.json
must_have cut.xml '<testcase classname="testr" name="interrupted">'
must_have cut.xml '<property name="testr.interrupted" value="true"/>'
must_lack cut.xml 'name="ok2"'
must_have cut.json '"interrupted": true'
cd "$tmp/edge"

# A damaged run file of a run that passed: what was readable, its error,
# and never status 0, with the report on standard output too.
"$PY" - > ok <<'PY'
import sys
from subunit import StreamResultToBytes
out = StreamResultToBytes(sys.stdout.buffer)
out.status(test_id='ok.test', test_status='inprogress')
out.status(test_id='ok.test', test_status='success')
PY
expect_rc 0 testr load ok
n=$(testr last --subunit | wc -c)
truncate -s 10 ".testrepository/$(ls .testrepository | grep -x '[0-9]*' | sort -n | tail -n 1)"
expect_rc 3 testr last --junit -
must_have "$tmp/err" "run file is not the one stored"
expect_rc 3 testr last --junit damaged.xml
must_have "$tmp/err" "run file is not the one stored"
[ "$n" -gt 10 ] || fail "the run file was not longer than 10 bytes"
echo ok
