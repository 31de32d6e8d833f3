#!/bin/sh
# What testr run and list-tests print, and where: results on stdout,
# running= lines on stderr (hidden by -q), a closing summary that lists
# the failed ids with the counts; and in a CI log, everything as it happens.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

# list-tests prints exactly the ids: its output is a valid --load-list, and
# running it adds no phantom test to the failing set.
project roundtrip "$(printf 'r.one\nr.two\ns.other')"
testr list-tests 'r\.' > "$tmp/picked" 2> "$tmp/list-err"
printf 'r.one\nr.two\n' | cmp -s - "$tmp/picked" ||
	fail "list-tests stdout is not just the ids: $(cat "$tmp/picked")"
must_have "$tmp/list-err" "running=$RUNNER --list"
expect_rc 0 testr run --load-list "$tmp/picked"
must_have "$tmp/out" "PASSED (id=0)"
[ "$(partitions)" = "r.one r.two" ] || fail "--load-list ran: $(partitions)"
expect_rc 0 testr failing --list
[ ! -s "$tmp/out" ] || fail "phantom failing tests: $(cat "$tmp/out")"

# running= goes to stderr for run too; -q hides it and keeps the summary.
project quiet "$(printf 'q.ok\nq.fail')"
expect_rc 1 testr run
must_have "$tmp/err" "running=$RUNNER"
must_lack "$tmp/out" "running="
expect_rc 1 testr -q run
must_lack "$tmp/err" "running="
must_have "$tmp/out" "FAIL: q.fail"
must_have "$tmp/out" "Ran 2 tests"
must_have "$tmp/out" "FAILED (id=1, failures=1)"
expect_rc 0 testr list-tests --quiet
must_lack "$tmp/err" "running="
[ "$(cat "$tmp/out")" = "$(printf 'q.ok\nq.fail')" ] || fail "quiet list-tests: $(cat "$tmp/out")"
expect_rc 1 testr last -q
must_have "$tmp/out" "FAILED (id=1, failures=1)"

# The closing summary: testrepository's lines intact, then the counts and
# the failed ids in one list.
project verdict "$(printf 'v.ok1\nv.fail1\nv.skip1\nv.ok2\nv.fail2')"
expect_rc 1 testr run --parallel --concurrency 2
tail -n 6 "$tmp/out" | sed 's/ in [0-9.]*s$//' > "$tmp/tail"
sort "$tmp/tail" > "$tmp/tail.sorted"
cat > "$tmp/want" <<'WANT'
    v.fail1
    v.fail2
FAILED (id=0, failures=2, skips=1)
Ran 5 tests
The following tests FAILED:
Totals: 2 passed, 2 failed, 1 skipped
WANT
same "run's closing summary" "$tmp/want" "$tmp/tail.sorted"
[ "$(sed -n 1p "$tmp/tail")" = "Ran 5 tests" ] || fail "order: $(cat "$tmp/tail")"
[ "$(sed -n 4p "$tmp/tail")" = "The following tests FAILED:" ] ||
	fail "order: $(cat "$tmp/tail")"
expect_rc 0 testr run --partial v.ok1
must_have "$tmp/out" "Totals: 1 passed, 0 failed, 0 skipped"
must_lack "$tmp/out" "FAILED"
# A failed id holding a terminal escape, a newline or a quote is listed
# escaped and quoted, one line each, as error lines show ids; a plain id
# stays as it is.
project hostile-verdict ""
cat > emit.py <<'EOF'
import sys
from subunit import StreamResultToBytes
out = StreamResultToBytes(sys.stdout.buffer)
for i in ["h.ok", "h.plain_fail", "h.fail\x1b]0;pwned\x07\x1b[2J",
          "h.fail\nFAIL: forged", "h.fail'q"]:
    out.status(test_id=i, test_status="inprogress")
    out.status(test_id=i, test_status="success" if i == "h.ok" else "fail")
EOF
sed -i "s|^test_command=.*|test_command=$PY emit.py|" .testr.conf
expect_rc 1 testr run
sed -n '/^The following tests FAILED:$/,$p' "$tmp/out" | sed 1d |
	grep -v '^Totals: ' | LC_ALL=C sort > "$tmp/failed-list"
cat > "$tmp/want" <<'WANT'
    'h.fail\'q'
    'h.fail\nFAIL: forged'
    'h.fail\x1b]0;pwned\x07\x1b[2J'
    h.plain_fail
WANT
same "the failed list of hostile ids" "$tmp/want" "$tmp/failed-list"

# Off a terminal (a CI log), output comes as it happens.  c.await passes
# only once the log already holds the failure of c.fail1, which ran first.
project ci "$(printf 'c.fail1\nc.await')"
FAKE_AWAIT_FILE="$tmp/out" FAKE_AWAIT_TEXT="FAIL: c.fail1" expect_rc 1 testr run
must_lack "$tmp/out" "FAIL: c.await"
must_have "$tmp/out" "FAILED (id=0, failures=1)"

# ...a progress line comes every TESTR_PROGRESS_INTERVAL seconds (10 by
# default): p.await passes only once stderr holds one, mid-run...
project alive "p.await"
TESTR_PROGRESS_INTERVAL=1 FAKE_AWAIT_FILE="$tmp/err" \
	FAKE_AWAIT_TEXT=" tests, 0 failed, " expect_rc 0 testr run
grep -q '^testr: 0 tests, 0 failed, [0-9:]* elapsed, ? left$' "$tmp/err" ||
	fail "progress line: $(cat "$tmp/err")"
# (-q: none, while a test sleeps through several intervals.)
project calm "q.sleep2500"
TESTR_PROGRESS_INTERVAL=1 expect_rc 0 testr -q run
[ ! -s "$tmp/err" ] || fail "-q printed: $(cat "$tmp/err")"

# ...and every stderr line of the test program is shown, whole, even the
# last one without a newline.
project noise "$(printf 'n.one_stderr\nn.two_stderr')"
expect_rc 0 testr run --isolated
for id in n.one_stderr n.two_stderr; do
	grep -qx "stderr from $id" "$tmp/err" || fail "stderr of $id: $(cat "$tmp/err")"
	grep -qx "last words after $id" "$tmp/err" ||
		fail "last stderr line of $id not whole: $(cat "$tmp/err")"
done
echo "ok: stdout holds results, running= is on stderr, the summary lists failures"
