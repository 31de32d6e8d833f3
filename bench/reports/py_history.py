#!/usr/bin/python3
"""The closest Python to `testr history [ID]` on a libtestr repository:
decode every stored run with python-subunit into testtools' StreamToDict
(as stestr's history and testrepository's commands read runs) and print
each run's counts, or ID's status and duration in each run."""
import os
import sys

import subunit
import testtools


def main(repo, ids):
    count = int(open(os.path.join(repo, 'next-stream')).read())
    for run in range(count):
        path = os.path.join(repo, str(run))
        if not os.path.exists(path):
            continue
        tests = {}
        result = testtools.StreamToDict(lambda t: tests.__setitem__(t['id'], t))
        with open(path, 'rb') as f:
            case = subunit.ByteStreamToStreamResult(f)
            result.startTestRun()
            case.run(result)
            result.stopTestRun()
        if not ids:
            failed = sum(1 for t in tests.values() if t['status'] == 'fail')
            print(run, len(tests), failed)
            continue
        for tid in ids:
            t = tests.get(tid)
            if t:
                start, end = t['timestamps']
                print(run, t['status'], (end - start).total_seconds(), tid)


main(sys.argv[1], sys.argv[2:])
