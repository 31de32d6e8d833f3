#!/bin/sh
# The failures testr makes up for a worker (issue 9 item 12): tagged with
# their worker once, and naming a command the user can still use after the
# run, whose $IDFILE is deleted by then.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

# A worker that dies is one failure, tagged with its worker once.
mkdir "$tmp/dies"
cd "$tmp/dies"
printf '[DEFAULT]\ntest_command=echo starting; exit 3\n' > .testr.conf
testr init > /dev/null
expect_rc 1 testr run
must_have "$tmp/out" "FAIL: process-returncode"
must_have "$tmp/out" "tags: worker-0"
must_lack "$tmp/out" "worker-0 worker-0"

# Its text says $IDFILE, not a deleted temp file, and names the ids held;
# without restarts, the ids never reported fail with the same command.
project idfile "t.ok
t.crash
t.after"
expect_rc 1 testr run --max-restarts 0 t.
must_have "$tmp/out" "FAIL: process-returncode"
must_have "$tmp/out" "--load-list \$IDFILE (its \$IDFILE is removed after the run; it held 3 ids: 't.ok', 't.crash', 't.after')"
must_have "$tmp/out" "FAIL: t.after"
must_lack "$tmp/out" "testr-ids-"
must_lack "$tmp/out" "worker-0 worker-0"

# Many ids: the first ten, then how many more.
project many "$(seq -f 't.%02g' 1 11)
t.crash"
expect_rc 1 testr run t.
must_have "$tmp/out" "it held 12 ids: 't.01', 't.02'"
must_have "$tmp/out" "'t.10' and 2 more)"
echo "ok: synthesised failures are tagged once and name usable commands"
