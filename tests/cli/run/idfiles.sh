#!/bin/sh
# $IDFILE trouble (issue 9 item 12): an id holding a newline fails alone,
# with one error line, while the other workers' results are kept; and no
# $IDFILE is left behind when testr is SIGKILLed mid-run.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
mkdir -p "$tmp/t"
export TMPDIR="$tmp/t"

# A listing (subunit v2) that holds an id with a newline; runs go to
# fake_runner.
cat > "$tmp/lister.py" <<'PY'
import os, sys
import subunit
if sys.argv[1:2] == ["--list"]:
    out = subunit.StreamResultToBytes(sys.stdout.buffer)
    for i in ["ok.a", "bad\nid", "ok.b", "ok.c"]:
        out.status(test_id=i, test_status="exists")
else:
    os.execv(os.environ["RUNNER"], [os.environ["RUNNER"]] + sys.argv[1:])
PY
export RUNNER
project newline "ok.a" "test_command=$PY $tmp/lister.py \$LISTOPT \$IDOPTION"
sed -i '/^test_command=.*fake_runner/d' .testr.conf
# (No progress lines: a loaded machine may take their interval to run.)
TESTR_PROGRESS_INTERVAL=0 expect_rc 1 testr run --parallel --concurrency 2
must_have "$tmp/err" "error: test id 'bad\\nid' holds a newline, which \$IDFILE cannot hold: it was not run"
expect "stderr lines besides running=" 1 "$(grep -vc "^running=" "$tmp/err")"
expect "ids run" "ok.a ok.b ok.c" \
	"$(partitions | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
must_have "$tmp/out" "id=0, failures=1"
expect_rc 1 testr last
must_have "$tmp/out" "failures=1"
[ -z "$(ls -A "$TMPDIR")" ] || fail "left in TMPDIR: $(ls "$TMPDIR")"

# SIGKILL mid-run: the guardian removes every $IDFILE.
project killed "$(printf 'k.hang1\nk.hang2')"
"$TESTR_BIN" run --parallel --concurrency 2 > "$tmp/out" 2> "$tmp/err" &
pid=$!
i=0
while [ "$(cat "$FAKE_LOG" 2>/dev/null | wc -l)" -lt 2 ]; do
	i=$((i + 1))
	[ $i -lt 400 ] || fail "runners did not start"
	sleep 0.05
done
[ "$(ls "$TMPDIR" | grep -c '^testr-ids-')" = 2 ] || fail "no \$IDFILEs: $(ls "$TMPDIR")"
kill -9 "$pid"
set +e
wait "$pid"
rc=$?
set -e
expect "testr's status" 137 "$rc"
i=0
while [ -n "$(ls -A "$TMPDIR")" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "left behind after SIGKILL: $(ls "$TMPDIR")"
	sleep 0.05
done
echo ok
