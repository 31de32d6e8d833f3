#!/usr/bin/python3
"""A subunit v2 stream of failing tests with every kind of attachment (text
on one line and on several, binary, blank, traceback), several tags, and a
test that never completes: what testr last must render as testrepository."""
import datetime
import sys

from subunit import StreamResultToBytes

BASE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
out = StreamResultToBytes(sys.stdout.buffer)


def at(t):
    return BASE + datetime.timedelta(seconds=t)


def attach(tid, name, data, mime, t):
    out.status(test_id=tid, file_name=name, file_bytes=data, mime_type=mime,
               eof=True, timestamp=at(t))


out.status(test_id='t.one', test_status='inprogress', timestamp=at(0))
attach('t.one', 'stdout', b'single line\n', 'text/plain; charset=utf8', 0.1)
attach('t.one', 'stderr', b'line one\nline two\n', 'text/plain; charset=utf8', 0.2)
attach('t.one', 'blob', b'\x00\x01', 'application/x-thing', 0.25)
attach('t.one', 'spaces', b'   \n', 'text/plain', 0.27)
attach('t.one', 'traceback', b'Traceback:\n  boom\n',
       'text/x-traceback; charset=utf8', 0.3)
out.status(test_id='t.one', test_status='fail', test_tags={'b', 'a'},
           timestamp=at(0.5))
out.status(test_id='t.two', test_status='inprogress', timestamp=at(1))
attach('t.two', 'log', b'only text', 'text/plain', 1.1)
out.status(test_id='t.two', test_status='fail', timestamp=at(1.5))
out.status(test_id='t.three', test_status='inprogress', timestamp=at(2))
attach('t.three', 'bin', b'xx', None, 2.1)
out.status(test_id='t.three', test_status='fail', timestamp=at(2.5))
out.status(test_id='t.four', test_status='inprogress', timestamp=at(3))
