#!/usr/bin/python3
"""Write streams holding one event the repository cannot store as it came.

Usage: unstorable.py KIND, KIND one of
  bigpacket  a v2 packet of exactly 4,194,303 bytes (the largest legal one)
  v1-1969    a v1 stream whose failing test is timed before 1970
  v1-2107    a v1 stream whose failing test is timed after 2106
  v2-carry   a v2 timestamp whose nanoseconds carry it past 2^32 seconds
  badutf8    a v1 stream whose failing test id is not UTF-8
Each stream also holds a passing test "ok.before" and a failing test
"bad.after" around the odd event, so a test can see nothing was lost.
"""
import struct
import sys
import zlib

FLAGS = {'id': 0x0800, 'route': 0x0400, 'time': 0x0200, 'runnable': 0x0100,
         'tags': 0x0080, 'file': 0x0040, 'mime': 0x0020, 'eof': 0x0010}
STATUS = {None: 0, 'inprogress': 2, 'success': 3, 'fail': 6}
MAX = 4194303


def varint(n):
    if n < 0x40:
        return bytes([n])
    if n < 0x4000:
        return struct.pack('>H', n | 0x4000)
    if n < 0x400000:
        return bytes([0x80 | n >> 16]) + struct.pack('>H', n & 0xffff)
    return struct.pack('>I', n | 0xc0000000)


def string(b):
    return varint(len(b)) + b


def packet(test_id, status=None, sec=None, nsec=0, name=None, data=b'',
           pad_to=0):
    flags = 0x2000 | FLAGS['id'] | FLAGS['runnable'] | STATUS[status]
    body = b''
    if sec is not None:
        flags |= FLAGS['time']
        body += struct.pack('>I', sec) + varint(nsec)
    body += string(test_id)
    if name is not None:
        flags |= FLAGS['file'] | FLAGS['mime'] | FLAGS['eof']
        body += string(b'text/plain;charset=utf8')
        if pad_to:  # grow the content until the packet is pad_to bytes
            data += b'x' * (pad_to - (3 + 3 + len(body) + len(string(name))
                                      + 3 + len(data) + 4))
        body += string(name) + varint(len(data)) + data
    total = 3 + len(body) + 4
    total += len(varint(total + 1))
    head = bytes([0xb3]) + struct.pack('>H', flags) + varint(total)
    pkt = head + body
    pkt += struct.pack('>I', zlib.crc32(pkt))
    assert not pad_to or len(pkt) == pad_to
    return pkt


def v2_stream(middle):
    t = 1767225600   # 2026-01-01
    return (packet(b'ok.before', 'inprogress', t) +
            packet(b'ok.before', 'success', t + 1) + middle +
            packet(b'bad.after', 'inprogress', t + 2) +
            packet(b'bad.after', 'fail', t + 3))


def v1_stream(stamp, test_id=b'odd.test'):
    return (b'time: 2026-01-01 00:00:00Z\ntest: ok.before\n'
            b'success: ok.before\n'
            b'time: ' + stamp + b'\ntest: ' + test_id + b'\n'
            b'failure: ' + test_id + b' [\nodd failed\n]\n'
            b'time: 2026-01-01 00:00:02Z\ntest: bad.after\n'
            b'failure: bad.after\n')


def main(kind):
    t = 1767225600
    out = {
        'bigpacket': lambda: v2_stream(
            packet(b'odd.test', 'inprogress', t + 1) +
            packet(b'odd.test', 'fail', t + 2, name=b'traceback',
                   pad_to=MAX)),
        'v1-1969': lambda: v1_stream(b'1969-12-31 23:59:59Z'),
        'v1-2107': lambda: v1_stream(b'2107-01-01 00:00:00Z'),
        'v2-carry': lambda: v2_stream(
            packet(b'odd.test', 'inprogress', 0xffffffff, 999999999) +
            packet(b'odd.test', 'fail', 0xffffffff, 1000000001)),
        'badutf8': lambda: v1_stream(b'2026-01-01 00:00:01Z',
                                     b'odd.test_\xff\xfe'),
    }[kind]()
    sys.stdout.buffer.write(out)


if __name__ == '__main__':
    main(sys.argv[1])
