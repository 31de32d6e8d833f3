#!/bin/sh
# What testr run and list-tests say when something is wrong, and that a
# runner that dies can never look green.
. "$(dirname "$0")/common.sh"

project base "a.one"

# Configuration and usage errors: exit 3 (2 for usage), one clear line.
rm .testr.conf
expect_rc 3 testr run
must_have "$tmp/err" "No .testr.conf config file"
expect_rc 3 testr list-tests
must_have "$tmp/err" "No .testr.conf config file"

project nolistopt "a.one"
sed -i 's/ \$LISTOPT//' .testr.conf
expect_rc 3 testr run --parallel --concurrency 2
must_have "$tmp/err" "LISTOPT not configured in .testr.conf"
expect_rc 3 testr list-tests
must_have "$tmp/err" "LISTOPT not configured in .testr.conf"
# A filter needs the listing too.
expect_rc 3 testr run one
must_have "$tmp/err" "LISTOPT not configured in .testr.conf"

project badlist "a.one"
# The shell computes the 42s, so the running= line (the command as
# written) cannot stand in for the listing's own output.
sed -i 's/^test_list_option=.*/test_list_option=--list; echo listing-out-$((6 * 7)); echo listing-err-$((6 * 7)) >\&2; exit 6/' .testr.conf
expect_rc 3 testr list-tests
must_have "$tmp/out" "listing-out-42"
must_have "$tmp/err" "listing-err-42"
must_have "$tmp/err" "Non-zero exit code (6) from test listing."

project callout "a.one" "test_run_concurrency=echo too busy >&2; exit 2"
expect_rc 3 testr run --parallel
must_have "$tmp/err" "test_run_concurrency failed: exit code 2, stderr='too busy'"
project callout2 "a.one" "test_run_concurrency=echo lots"
expect_rc 3 testr run --parallel
must_have "$tmp/err" "test_run_concurrency printed 'lots', not a number of workers"

project usage "a.one"
expect_rc 3 testr run '(a'
must_have "$tmp/err" "'(a'"
must_have "$tmp/err" "offset 2"
expect_rc 2 testr run --no-such-option
expect_rc 2 testr run --concurrency many
expect_rc 2 testr list-tests --bogus
expect_rc 3 testr run --load-list "$tmp/does-not-exist"
must_have "$tmp/err" "does-not-exist"
# Without a repository, run fails and list-tests does not need one.
rm -rf .testrepository
expect_rc 3 testr run
expect_rc 0 testr list-tests

# A runner that exits non-zero: a failure naming the worker, its command
# and the status; the ids it never reported are failures too.
project crash2 "$(printf 'c.ok\nc.crash\nc.after')"
expect_rc 1 testr run
must_have "$tmp/out" "FAIL: process-returncode"
must_have "$tmp/out" "worker-0 ended with exit code 3; its command was: $RUNNER"
testr failing > "$tmp/failing" || true
must_have "$tmp/failing" "process-returncode"

# The runner dies between two tests: by default (3 restarts) the death is
# blamed on the first id it had not reported, and the rest runs on a fresh
# runner; the run still fails.
project crash3 "$(printf 'c.ok\nc.crash\nc.after')"
expect_rc 1 testr run --load-list tests
must_have "$tmp/out" "FAIL: c.crash"
must_have "$tmp/out" "before reporting this test, the first of its batch"
must_have "$tmp/out" "FAIL: process-returncode"
must_lack "$tmp/out" "FAIL: c.after"
# Without restarts, every id it never reported fails.
expect_rc 1 testr run --load-list tests --max-restarts 0
must_have "$tmp/out" "FAIL: c.after"
must_have "$tmp/out" "never reported a result"
# The ids alone: the failures' text names every id the worker held.
expect_rc 1 testr failing --list
cp "$tmp/out" "$tmp/failing"
must_have "$tmp/failing" "c.crash"
must_have "$tmp/failing" "c.after"
must_lack "$tmp/failing" "c.ok"

# A subunit v1 runner dies inside a test: the parser fails that test (lost
# connection) and no other is blamed; the rest of its batch runs on a
# fresh runner (it was failed as never run, its death blamed twice).
cat > "$tmp/v1runner" <<'EOF'
#!/bin/sh
case $1 in
--list) cat "$FAKE_TESTS"; exit 0 ;;
--load-list) ids=$(cat "$2") ;;
*) ids=$(cat "$FAKE_TESTS") ;;
esac
for id in $ids; do
	echo "$id" >> "$FAKE_LOG"
	echo "test: $id"
	case $id in *crash*) exit 3 ;; esac
	echo "success: $id"
done
EOF
chmod +x "$tmp/v1runner"
project crash-v1 "$(printf 'c.ok\nc.crash\nc.after')" \
	"test_command=$tmp/v1runner \$LISTOPT \$IDOPTION"
sed -i '0,/^test_command=/{/^test_command=/d}' .testr.conf
expect_rc 1 testr run --load-list tests
must_have "$tmp/out" "lost connection during test 'c.crash'"
must_have "$tmp/out" "FAIL: process-returncode"
must_lack "$tmp/out" "FAIL: c.after"
expect "the ids run" "c.ok
c.crash
c.after" "$(cat "$FAKE_LOG")"
expect_rc 1 testr failing --list
must_lack "$tmp/out" "c.after"

# A runner killed by a signal mid-run.
project killed "$(printf 'k.ok\nk.selfkill\nk.lost')"
expect_rc 1 testr run --load-list tests --max-restarts 0
must_have "$tmp/out" "ended with signal 9 (Killed)"
must_have "$tmp/out" "FAIL: k.lost"
expect_rc 1 testr last
must_have "$tmp/out" "FAILED (id=0, failures=3)"
# With the default budget, k.lost runs on a fresh runner; the death and
# the test it is blamed on still fail the run.
expect_rc 1 testr run --load-list tests
must_have "$tmp/out" "FAIL: k.selfkill"
must_lack "$tmp/out" "FAIL: k.lost"
expect_rc 1 testr last
must_have "$tmp/out" "FAILED (id=1, failures=2 (-1))"
echo ok
