#!/usr/bin/python3
"""check_report.py junit FILE.xml FILE.json | json FILE.json [run_id]

junit: parse the JUnit XML back and check that its counts agree with the
testcases in it and with the JSON report's totals, and that every testcase
names a test of the JSON report (classname + "." + name is the id).
json: check the document has every field testr(1) documents, with the
documented types, and that the totals add up."""
import json
import sys
import xml.etree.ElementTree as ET

RUN = {'id', 'partial', 'interrupted', 'started', 'duration', 'name', 'testr_version',
       'output'}
TOTALS = ['tests', 'success', 'fail', 'skip', 'xfail', 'uxsuccess', 'flaky',
          'incomplete']
TEST = {'id', 'status', 'duration', 'worker', 'tags', 'attachments',
        'attempts'}
ATTEMPT = {'status', 'duration', 'worker', 'attachments'}
FILE = {'name', 'mime_type', 'size'}
STATUSES = set(TOTALS[1:])


def die(msg):
    sys.exit('check_report: ' + msg)


def want(cond, msg):
    if not cond:
        die(msg)


def check_files(files):
    for f in files:
        want(set(f) == FILE, 'attachment fields %r' % sorted(f))
        want(isinstance(f['size'], int) and f['size'] >= 0, 'size')


def check_test(t):
    want(set(t) == TEST, 'test fields %r' % sorted(t))
    want(t['status'] in STATUSES, 'status %r' % t['status'])
    want(t['duration'] is None or t['duration'] >= 0, 'duration')
    want(all(isinstance(x, str) for x in t['tags']), 'tags')
    check_files(t['attachments'])
    want(len(t['attempts']) >= 1, 'no attempts')
    for a in t['attempts']:
        want(set(a) == ATTEMPT, 'attempt fields %r' % sorted(a))
        check_files(a['attachments'])


def check_json(path):
    with open(path, encoding='utf-8') as f:
        doc = json.load(f)
    want(doc['version'] == 1, 'version')
    want(set(doc) == {'version', 'run', 'totals', 'tests'}, 'top fields')
    want(set(doc['run']) == RUN, 'run fields %r' % sorted(doc['run']))
    check_files(doc['run']['output'])
    want(list(doc['totals']) == TOTALS, 'totals fields')
    for t in doc['tests']:
        check_test(t)
    n = doc['totals']
    want(n['tests'] == len(doc['tests']), 'tests != len(tests)')
    want(sum(n[k] for k in TOTALS[1:]) == n['tests'], 'totals do not add up')
    for k in TOTALS[1:]:
        got = sum(1 for t in doc['tests'] if t['status'] == k)
        want(got == n[k], '%s: %d tests, totals say %d' % (k, got, n[k]))
    return doc


def check_junit(xml_path, json_path):
    doc = check_json(json_path)
    n = doc['totals']
    root = ET.parse(xml_path).getroot()
    suite = root.find('testsuite')
    cases = suite.findall('testcase')
    props = {p.get('name'): p.get('value')
             for p in suite.find('properties').findall('property')}
    # An interrupted run ends in one error testcase that says so.
    extra = 1 if doc['run']['interrupted'] else 0
    want(props['testr.interrupted'] == ('true' if extra else 'false'),
         'testr.interrupted property')
    want(props['testr.partial'] == str(doc['run']['partial']).lower(),
         'testr.partial property')
    if extra:
        last = cases.pop()
        want((last.get('classname'), last.get('name')) ==
             ('testr', 'interrupted'), 'no interrupted testcase')
        want(last.find('error').get('type') == 'interrupted',
             'interrupted testcase without its error')
    count = {k: sum(1 for c in cases if c.find(k) is not None)
             for k in ('failure', 'error', 'skipped', 'flakyFailure')}
    count['error'] += extra
    for el in (root, suite):
        want(int(el.get('tests')) - extra == len(cases) == n['tests'],
             'tests')
        want(int(el.get('failures')) == count['failure'] ==
             n['fail'] + n['uxsuccess'], 'failures')
        want(int(el.get('errors')) == count['error'] ==
             n['incomplete'] + extra,
             'errors')
        want(int(el.get('skipped')) == count['skipped'] ==
             n['skip'] + n['xfail'], 'skipped')
    want(count['flakyFailure'] == n['flaky'], 'flaky')
    for c, t in zip(cases, doc['tests']):
        name = c.get('classname') + '.' + c.get('name')
        if not c.get('classname'):
            name = c.get('name')
        want(name == t['id'] or '\\x' in name,
             'testcase %r is not test %r' % (name, t['id']))


if sys.argv[1] == 'junit':
    check_junit(sys.argv[2], sys.argv[3])
else:
    check_json(sys.argv[2])
