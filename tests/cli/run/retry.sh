#!/bin/sh
# --retry / test_retry, --strict, --max-failures / test_max_failures.
# A failed test runs again on a fresh runner (another slot when there are
# several); one that then passes is flaky: it passes the run unless
# --strict, it is not failing, and its failed attempt stays in the stored
# run.  --max-failures stops handing out work and stores a partial run in
# which nothing that did not run looks passed.
. "$(dirname "$0")/common.sh"
here="$TESTR_SOURCE_DIR/tests/cli/reports"
valid() {
	xmllint --noout --schema "$here/junit.xsd" "$1" 2> "$tmp/xerr" || {
		cat "$tmp/xerr" >&2
		fail "$1 does not validate"
	}
}
# runners ID: how many runners were given ID (lines of the fake log).
runners() { grep -c -- " $1\$\|:$1\$\|:$1 \| $1 " "$FAKE_LOG" || :; }

# A test that fails on its first attempt and passes on its second.
project flaky "a_ok
b_passon2
c_ok"
expect_rc 0 testr run --retry 2 --junit flaky.xml --json flaky.json
must_have "$tmp/out" "PASSED (id=0, flaky=1)"
must_have "$tmp/out" "Totals: 3 passed, 0 failed, 0 skipped, 1 flaky"
must_have "$tmp/out" "The following tests were FLAKY"
must_lack "$tmp/out" "The following tests FAILED"
expect "runners of b_passon2" 2 "$(runners b_passon2)"
expect "runners of a_ok" 1 "$(runners a_ok)"
# Stored: passing, not failing, flaky; the first attempt's output kept.
expect_rc 0 testr failing --list
expect "failing set" "" "$(cat "$tmp/out")"
expect_rc 0 testr last
must_have "$tmp/out" "Ran 3 tests"
must_have "$tmp/out" "PASSED (id=0, flaky=1)"
must_have "$tmp/out" "FAIL: b_passon2"
must_have "$tmp/out" "Traceback: it failed"
expect_rc 0 testr flaky --list
expect "testr flaky" b_passon2 "$(cat "$tmp/out")"
expect_rc 0 testr history b_passon2
must_have "$tmp/out" "flaky"
# The reports: JUnit's flakyFailure, JSON's attempts.
valid flaky.xml
must_have flaky.xml "<flakyFailure"
must_lack flaky.xml "<rerunFailure"
"$PY" "$here/check_report.py" junit flaky.xml flaky.json ||
	fail "check_report.py on the retried run"
"$PY" - flaky.json <<'PY' || fail "JSON of the retried run"
import json, sys
doc = json.load(open(sys.argv[1], encoding='utf-8'))
t = {x['id']: x for x in doc['tests']}
assert doc['totals']['tests'] == 3 and doc['totals']['flaky'] == 1, doc
assert doc['totals']['fail'] == 0, doc['totals']
assert t['b_passon2']['status'] == 'flaky'
assert [a['status'] for a in t['b_passon2']['attempts']] == \
    ['fail', 'success'], t['b_passon2']
assert t['b_passon2']['attempts'][0]['attachments'][0]['name'] == \
    'traceback'
PY

# --strict: the flaky test fails the run.
project strict "a_ok
b_passon2"
expect_rc 1 testr run --retry 1 --strict
must_have "$tmp/out" "FAILED (id=0, flaky=1)"
must_have "$tmp/out" "--strict fails the run"
# Without --retry the same test fails, and runs once.
project noretry "a_ok
b_passon2"
expect_rc 1 testr run
must_have "$tmp/out" "FAILED (id=0, failures=1)"
expect "runners of b_passon2" 1 "$(runners b_passon2)"

# A test that always fails: 3 attempts, one failure in the totals.
project always "a_ok
b_fail" 'test_retry=2'
expect_rc 1 testr run --junit always.xml
expect "runners of b_fail" 3 "$(runners b_fail)"
must_have "$tmp/out" "FAILED (id=0, failures=1)"
must_have "$tmp/out" "Totals: 1 passed, 1 failed, 0 skipped"
expect_rc 1 testr last
must_have "$tmp/out" "Ran 2 tests"
expect_rc 1 testr failing --list
expect "failing set" b_fail "$(cat "$tmp/out")"
valid always.xml
expect "rerunFailure elements" 2 "$(grep -c '<rerunFailure' always.xml)"
must_lack always.xml "<flakyFailure"

# Several slots: the retry runs on another one.
project slots "t0_ok
t1_ok
t2_passon2
t3_ok
t4_ok
t5_ok" 'test_schedule=batches'
expect_rc 0 testr run --parallel --concurrency 2 --retry 1 --json slots.json
"$PY" - slots.json <<'PY' || fail "the retry ran on the same slot"
import json, sys
doc = json.load(open(sys.argv[1], encoding='utf-8'))
t = {x['id']: x for x in doc['tests']}['t2_passon2']
workers = [a['worker'] for a in t['attempts']]
assert len(workers) == 2 and workers[0] != workers[1], workers
PY
# A static plan retries too.
project static "t0_ok
t1_passon2
t2_ok
t3_ok"
expect_rc 0 testr run --parallel --concurrency 2 --static --retry 1
must_have "$tmp/out" "PASSED (id=0, flaky=1)"

# With instances: the retry runs wrapped, on the other instance, and the
# instances are disposed of once.
project inst "a.t_ok
b.t_passon2
c.t_ok
d.t_ok" "instance_provision=echo vm-b vm-a
instance_execute=echo \$INSTANCE_ID \$FILES >> $tmp/inst/execute.log; \$COMMAND
instance_dispose=echo \$INSTANCE_IDS >> $tmp/inst/dispose.log
test_schedule=batches"
expect_rc 0 testr run --parallel --concurrency 2 --retry 1 --json inst.json
must_have "$tmp/out" "PASSED (id=0, flaky=1)"
[ "$(cat dispose.log)" = "vm-a vm-b" ] || fail "dispose: $(cat dispose.log)"
"$PY" - inst.json <<'PY' || fail "the retry ran on the same slot"
import json, sys
doc = json.load(open(sys.argv[1], encoding='utf-8'))
t = {x['id']: x for x in doc['tests']}['b.t_passon2']
workers = [a['worker'] for a in t['attempts']]
assert len(workers) == 2 and workers[0] != workers[1], workers
PY

# --max-failures: stop handing out work, store a partial run, pass nothing
# that did not run.
# A first run records durations, so that the queue plans several batches;
# then the t* tests fail (flaky2: from the second runner on).
ids=$(for i in 0 1 2 3 4 5 6 7 8 9; do
	echo "t${i}_flaky2_time1000"
	echo "u${i}_time1000"
done)
project stop "$ids" 'test_schedule=batches'
expect_rc 0 testr run
expect_rc 1 testr run --parallel --concurrency 2 --max-failures 1 \
	--json stop.json
must_have "$tmp/out" "Stopped early: the --max-failures limit was reached"
"$PY" - stop.json "$FAKE_LOG" > "$tmp/out" <<'PY' ||
	fail "--max-failures accounting"
import json, sys
doc = json.load(open(sys.argv[1], encoding='utf-8'))
# The second run's runners: the log's lines after the first run's one.
lines = open(sys.argv[2]).read().splitlines()[1:]
ran = set(' '.join(lines).replace(':', ' ').split())
tests = {x['id']: x for x in doc['tests']}
assert len(tests) == 20, sorted(tests)
assert doc['run']['partial'] is True
not_run = [i for i in tests if i not in ran]
assert not_run, 'nothing was withheld'
for i in not_run:
    assert tests[i]['status'] == 'fail', tests[i]
for i, t in tests.items():
    if t['status'] != 'fail':
        assert i in ran, i + ' passed without running'
print('\n'.join(not_run))
PY
cp "$tmp/out" not_run
expect_rc 1 testr failing --list
while read -r id; do
	must_have "$tmp/out" "$id"
done < not_run
# The config key, and bad values.
project stopconf "a_fail
b_fail
c_ok" 'test_max_failures=1'
expect_rc 1 testr run
must_have "$tmp/out" "failures=2"
project bad "a_ok" 'test_retry=lots'
expect_rc 3 testr run
must_have "$tmp/err" "test_retry: 'lots' is not a count"
must_have "$tmp/err" ".testr.conf:5"
project badopt "a_ok"
expect_rc 2 testr run --retry many
must_have "$tmp/err" "--retry needs a number, not 'many'"
expect_rc 2 testr run --max-failures -1
must_have "$tmp/err" "--max-failures needs a number, not '-1'"
echo ok
