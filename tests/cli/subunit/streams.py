#!/usr/bin/python3
"""Write the byte streams of the verdict test into the directory argv[1].

Each is what a runner might print: good v2, a failing test whose packets
all have a bad CRC, a stream cut inside a packet, v1 (with a test id longer
than 256 bytes), v2 among plain text, an empty stream, a
listing only, and a run that says it was stored interrupted.
"""
import io
import os
import sys

from subunit import StreamResultToBytes


def packet(**kw):
    buf = io.BytesIO()
    StreamResultToBytes(buf).status(**kw)
    return buf.getvalue()


def failing(tid):
    return [dict(test_id=tid, test_status='inprogress'),
            dict(test_id=tid, file_name='traceback', file_bytes=b'boom\n',
                 mime_type='text/plain', eof=True),
            dict(test_id=tid, test_status='fail')]


def main(out):
    ok = packet(test_id='t.ok', test_status='success')
    bad = b''
    for kw in failing('t.fails'):
        p = bytearray(packet(**kw))
        p[-1] ^= 0xff
        bad += bytes(p)
    fail = b''.join(packet(**kw) for kw in failing('t.fails'))
    long_id = 't.' + 'x' * 300
    streams = {
        'good': ok,
        'failing': ok + fail,
        'badcrc': ok + bad,
        'truncated': ok + fail[:-5],
        'v1': ('test: %s\nfailure: %s [\nboom\n]\ntest: t.ok\nsuccess: t.ok\n'
               % (long_id, long_id)).encode(),
        'noise': b'starting up\n' + ok + b'a warning\n' + fail + b'bye\n',
        'empty': b'',
        'listing': packet(test_id='t.ok', test_status='exists'),
        'marked': ok + packet(file_name='testr-interrupted',
                              file_bytes=b'this run was stored interrupted\n',
                              mime_type='text/plain;charset=utf8', eof=True),
    }
    for name, data in streams.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


main(sys.argv[1])
