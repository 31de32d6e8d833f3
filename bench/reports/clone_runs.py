#!/usr/bin/python3
"""clone_runs.py REPO N: make runs 1..N-1 of the repository copies of its
run 0 (the run file as it is, its index with the header's run id and the
header's CRC-32 rewritten), and set the run counter to N.  For the history
benchmark of bench/reports/run.sh: loading 10,000 runs one by one takes
longer than the measurement it prepares."""
import os, sys, zlib
repo, n = sys.argv[1], int(sys.argv[2])
run = open(os.path.join(repo, '0'), 'rb').read()
idx = open(os.path.join(repo, '0.index'), 'rb').read()
lines = idx.split(b'\n')
# header: magic, 9 fields, crc32=
hdr_end = next(i for i, l in enumerate(lines) if l.startswith(b'crc32='))
for i in range(1, n):
    h = list(lines[:hdr_end])
    h[1] = b'run=%d' % i
    head = b'\n'.join(h) + b'\n'
    out = head + b'crc32=%08x\n' % zlib.crc32(head) + b'\n'.join(lines[hdr_end + 1:])
    open(os.path.join(repo, str(i)), 'wb').write(run)
    open(os.path.join(repo, '%d.index' % i), 'wb').write(out)
open(os.path.join(repo, 'next-stream'), 'w').write('%d\n' % n)
