"""Run testrepository's own partition_tests on an input file.

Usage: partition_reference.py INPUT WORKERS GROUP_REGEX
INPUT has one "id<TAB>duration" line per id ("-" = no recorded duration).
Prints one "worker<TAB>id" line per id, worker by worker, in the order
testrepository would hand them out.  GROUP_REGEX "" means no grouping.
"""
import re
import sys

from testrepository.repository import AbstractRepository
from testrepository.testcommand import TestListingFixture


class FakeRepository(AbstractRepository):
    """Only what partition_tests asks for: recorded durations."""

    def __init__(self, times):
        self._times = times

    def _get_test_times(self, test_ids):
        return {i: self._times[i] for i in test_ids if i in self._times}


def main():
    path, workers, group_regex = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ids, times = [], {}
    with open(path, encoding='utf8') as f:
        for line in f:
            test_id, duration = line.rstrip('\n').split('\t')
            ids.append(test_id)
            if duration != '-':
                times[test_id] = float(duration)
    callback = None
    if group_regex:
        regex = re.compile(group_regex)

        def callback(test_id):
            match = regex.match(test_id)
            return match.group(0) if match else None
    fixture = TestListingFixture(None, '', '', '', None,
                                 FakeRepository(times),
                                 group_callback=callback)
    out = sys.stdout
    for n, part in enumerate(fixture.partition_tests(ids, workers)):
        for test_id in part:
            out.write('%d\t%s\n' % (n, test_id))


main()
