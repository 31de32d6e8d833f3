"""Print python-subunit's view of a v2 stream in the canonical text form of
tests/subunit-record.h (one line per event, adjacent stdout noise merged).

Usage: /usr/bin/python3 python-events.py < STREAM
"""
import datetime
import sys

from subunit.v2 import ByteStreamToStreamResult
from testtools import StreamResult

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def escape(data):
    if isinstance(data, str):
        data = data.encode('utf8')
    return ''.join(chr(b) if 0x20 < b < 0x7f and b != 0x5c else '\\x%02x' % b
                   for b in data)


class Canonical(StreamResult):
    def __init__(self):
        super().__init__()
        self.noise = b''

    def flush(self):
        if self.noise:
            print('status=undefined file=stdout bytes=%s runnable'
                  % escape(self.noise))
            self.noise = b''

    def status(self, test_id=None, test_status=None, test_tags=None,
               runnable=True, file_name=None, file_bytes=None, eof=False,
               mime_type=None, route_code=None, timestamp=None):
        if (file_name == 'stdout' and test_id is None and not mime_type
                and test_status is None and runnable and not eof
                and not test_tags and route_code is None
                and timestamp is None):
            self.noise += bytes(file_bytes)
            return
        self.flush()
        out = ['status=%s' % (test_status or 'undefined')]
        if test_id is not None:
            out.append('id=' + escape(test_id))
        if timestamp is not None:
            delta = timestamp - EPOCH
            out.append('ts=%d.%06d' % (delta.days * 86400 + delta.seconds,
                                       delta.microseconds))
        if test_tags:
            out.append('tags=' + ','.join(escape(t) for t in sorted(test_tags)))
        if route_code is not None:
            out.append('route=' + escape(route_code))
        if mime_type:
            out.append('mime=' + escape(mime_type))
        if file_name is not None:
            out.append('file=' + escape(file_name))
            out.append('bytes=' + escape(bytes(file_bytes)))
        if eof:
            out.append('eof')
        if runnable:
            out.append('runnable')
        print(' '.join(out))


result = Canonical()
ByteStreamToStreamResult(sys.stdin.buffer, non_subunit_name='stdout').run(result)
result.flush()
