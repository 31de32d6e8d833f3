"""events.py FILE: one line per test event of a subunit stream, for the
shell tests: "<id> <status> <ts|-> <worker-N|->" (python-subunit decodes)."""
import sys

import subunit
import testtools


class Lines(testtools.StreamResult):
    def status(self, test_id=None, test_status=None, timestamp=None,
               test_tags=None, **kwargs):
        if not test_id or not test_status:
            return
        workers = [t for t in test_tags or () if t.startswith('worker-')]
        print(test_id, test_status, 'ts' if timestamp else '-',
              workers[0] if workers else '-')


with open(sys.argv[1], 'rb') as stream:
    subunit.ByteStreamToStreamResult(stream).run(Lines())
