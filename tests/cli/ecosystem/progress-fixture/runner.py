"""A slow test runner for the progress tests: subunit v2 with timestamps.

    runner.py [--list] [--load-list FILE]

Tests sleep PROGRESS_SLEEP seconds each (default 0.4); the ids named in
PROGRESS_FAIL (space separated) fail; those in PROGRESS_STDERR print
"stderr line from ID" on stderr half way through.
"""
import datetime
import os
import sys
import time

from subunit.v2 import StreamResultToBytes

IDS = ['slow.alpha', 'slow.bravo', 'slow.charlie', 'slow.delta',
       'slow.echo', 'slow.foxtrot']


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def main(argv):
    out = StreamResultToBytes(sys.stdout.buffer)
    ids = IDS
    if '--load-list' in argv:
        with open(argv[argv.index('--load-list') + 1]) as f:
            wanted = set(line.strip() for line in f if line.strip())
        ids = [i for i in IDS if i in wanted]
    if '--list' in argv:
        for test_id in ids:
            out.status(test_id=test_id, test_status='exists')
        return 0
    pause = float(os.environ.get('PROGRESS_SLEEP', '0.4'))
    failing = os.environ.get('PROGRESS_FAIL', '').split()
    noisy = os.environ.get('PROGRESS_STDERR', '').split()
    for test_id in ids:
        out.status(test_id=test_id, test_status='inprogress', timestamp=now())
        sys.stdout.flush()
        time.sleep(pause / 2)
        if test_id in noisy:
            sys.stderr.write('stderr line from %s\n' % test_id)
            sys.stderr.flush()
        time.sleep(pause / 2)
        if test_id in failing:
            out.status(test_id=test_id, test_status='fail', timestamp=now(),
                       file_name='traceback', mime_type='text/plain;charset=utf8',
                       file_bytes=b'planted failure\n', eof=True)
        else:
            out.status(test_id=test_id, test_status='success', timestamp=now())
        sys.stdout.flush()
    return 0


sys.exit(main(sys.argv[1:]))
