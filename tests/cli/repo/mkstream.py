#!/usr/bin/python3
"""Write a subunit v2 stream for the repository tests.

Each argument is ID:STATUS:SECONDS (SECONDS < 0: no timestamps), or
--many=N[:FAILEVERY] for N generated tests, or --start=SECONDS to move the
clock.  Failing tests carry a traceback attachment.
"""
import datetime
import sys

from subunit import StreamResultToBytes

UTC = datetime.timezone.utc
BASE = datetime.datetime(2026, 1, 1, tzinfo=UTC)


def main(argv):
    out = StreamResultToBytes(sys.stdout.buffer)
    clock = [0.0]

    def at(t):
        return BASE + datetime.timedelta(seconds=t)

    def one(tid, status, dur):
        if dur < 0:
            out.status(test_id=tid, test_status=status)
            return
        if status != 'exists':
            out.status(test_id=tid, test_status='inprogress',
                       timestamp=at(clock[0]))
        clock[0] += dur
        if status == 'fail':
            out.status(test_id=tid, file_name='traceback',
                       file_bytes=('Traceback: %s failed\n' % tid).encode(),
                       mime_type='text/x-traceback; charset=utf8', eof=True,
                       timestamp=at(clock[0]))
        out.status(test_id=tid, test_status=status, timestamp=at(clock[0]))

    for arg in argv:
        if arg.startswith('--start='):
            clock[0] = float(arg[8:])
        elif arg.startswith('--many='):
            spec = arg[7:].split(':')
            n, every = int(spec[0]), int(spec[1]) if len(spec) > 1 else 0
            for i in range(n):
                status = 'fail' if every and i % every == every - 1 else 'success'
                one('pkg.mod.Class.test_%07d' % i, status,
                    ((i * 7919) % 1000) / 1000.0 + 0.0005)
        else:
            tid, status, dur = arg.rsplit(':', 2)
            one(tid, status, float(dur))


if __name__ == '__main__':
    main(sys.argv[1:])
