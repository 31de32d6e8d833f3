#!/usr/bin/python3
"""A subunit v2 run with every outcome a report must render: success,
fail (traceback), skip (reason), xfail, uxsuccess, a flaky test (fail, then
success on a retry), a test failing twice, one that never completes;
non-ASCII, markup and control-character ids; text with invalid UTF-8 and a
binary attachment; output outside any test."""
import datetime
import sys

from subunit import StreamResultToBytes

BASE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
out = StreamResultToBytes(sys.stdout.buffer)
clock = [0.0]


def at(t):
    return BASE + datetime.timedelta(seconds=t)


def test(tid, status, files=(), worker='worker-0', dur=0.5):
    out.status(test_id=tid, test_status='inprogress', timestamp=at(clock[0]),
               test_tags={worker})
    for name, data, mime in files:
        out.status(test_id=tid, file_name=name, file_bytes=data,
                   mime_type=mime, eof=True, timestamp=at(clock[0]))
    clock[0] += dur
    out.status(test_id=tid, test_status=status, timestamp=at(clock[0]),
               test_tags={worker})


TB = 'text/x-traceback; charset=utf8'
TXT = 'text/plain; charset=utf8'
test('pkg.mod.Class.test_pass', 'success',
     [('stdout', b'hello out\n', TXT), ('stderr', b'hello err\n', TXT)])
test('pkg.mod.Class.test_fail', 'fail',
     [('traceback', b'Traceback (most recent call last):\n  x\n'
       b'AssertionError: 1 != 2 <&>\n', TB)], worker='worker-1')
test('pkg.mod.Class.test_skip', 'skip', [('reason', b'not on Tuesdays', TXT)])
test('pkg.mod.Class.test_xfail', 'xfail')
test('pkg.mod.Class.test_uxsuccess', 'uxsuccess')
test('pkg.mod.Class.test_flaky', 'fail', [('traceback', b'flake 1\n', TB)])
test('pkg.mod.Class.test_twice', 'fail', [('traceback', b'once\n', TB)])
test('pkg.mod.Class.test_flaky', 'success')
test('pkg.mod.Class.test_twice', 'fail', [('traceback', b'twice\n', TB)])
test('pkg.m\u00f6d.Cl\u00e4ss.test_\u00fcn\u00efc\u00f6d\u00e9_\u2603', 'success')
test('pkg.hostile.test_<a href="x">&amp;\'</a>', 'success')
test('pkg.ctl.test_\x01\x1b[31m\x7f', 'fail',
     [('traceback', b'bad \xff\xfe utf8 \x00 and \x1b\n', TB)])
test('pkg.params.Class.test_p(a.b)', 'success')
test('nodot', 'success')
test('pkg.bin.test_blob', 'success',
     [('blob', b'\x00\x01\x02\xff', 'application/octet-stream')])
out.status(file_name='stdout', file_bytes=b'runner chatter\n', eof=True,
           timestamp=at(clock[0]))
out.status(test_id='pkg.mod.Class.test_hangs', test_status='inprogress',
           timestamp=at(clock[0]))
