#!/usr/bin/python3
"""Read a subunit v2 stream on stdin; print "ID STATUS" for every result
(inprogress and exists left out) and "ID FILE NAME BYTES" for attachments."""
import sys

import subunit
import testtools


class Lines(testtools.StreamResult):
    def status(self, test_id=None, test_status=None, file_name=None,
               file_bytes=None, **kw):
        if test_status not in (None, 'inprogress', 'exists'):
            print(test_id, test_status)
        if file_name:
            print(test_id, 'file', file_name, file_bytes)


result = Lines()
result.startTestRun()
subunit.ByteStreamToStreamResult(sys.stdin.buffer,
                                 non_subunit_name='stdout').run(result)
result.stopTestRun()
