#!/bin/sh
# The live progress of testr run, under a real pseudo-terminal (script(1)
# and tmux): one status line updated in place with done/expected, failures,
# elapsed, an ETA from recorded durations and each worker's test; failures
# shown as they happen; colour per NO_COLOR and --color; and off a terminal
# exactly the plain output.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
sock="$tmp/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
t="$TESTR_BIN"
py=$PY
fixture="$TESTR_SOURCE_DIR/tests/cli/ecosystem/progress-fixture"

mkdir "$tmp/proj"
cp "$fixture/runner.py" "$tmp/proj/"
cp "$fixture/testr.conf" "$tmp/proj/.testr.conf"
cd "$tmp/proj"
"$t" init > /dev/null
export PROGRESS_SLEEP=0.3
unset NO_COLOR

# tty NAME CMD: run CMD on a pseudo-terminal, the raw bytes in NAME.raw.
tty() {
	name=$1
	shift
	TERM=xterm script -qfec "$*" "$tmp/$name.raw" > /dev/null 2>&1 || true
}

# What is left of a terminal capture once the status lines are taken out,
# with run-to-run differences (times, temp file names) made equal.
strip_progress() {
	$py - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace')
data = re.sub(r'^Script started.*\n', '', data)
data = re.sub(r'\n?Script done.*\n?$', '', data)
data = re.sub(r'\d+(/\d+)? tests  .*?\x1b\[K', '', data, flags=re.S)
data = data.replace('\r\x1b[K', '').replace('\r\n', '\n')
print(data, end="")
PY
}
normalise() {
	sed -e 's/ in [0-9.]*s/ in Xs/' -e 's/([+-][0-9.]*s)/(Xs)/' \
	    -e 's/tmp[A-Za-z0-9_.-]*/TMP/g' -e 's/testr-ids-[A-Za-z0-9]*/IDS/g' \
	    -e 's/=[0-9]*)/=N)/' "$1"
}

# 1. Off a terminal: no escape sequence, no carriage return.
set +e
"$t" run --parallel --concurrency 2 > plain1.out 2>&1
set -e
if grep -q "$(printf '\033')" plain1.out || grep -q "$(printf '\r')" plain1.out; then
	fail "control characters in the plain output"
fi
grep -q '^Ran 6 tests' plain1.out || fail "plain run: $(cat plain1.out)"

# 2. On a terminal, with durations now recorded: the status line, an ETA
#    from them, every worker's test.
tty run2 "$t" run --parallel --concurrency 2
raw=$(cat -v "$tmp/run2.raw")
echo "$raw" | grep -q '0/6 tests  0 failed  [0-9:]* elapsed  0:0[0-9] left' ||
	fail "no first status line with an ETA: $(echo "$raw" | head -c 600)"
echo "$raw" | grep -q '[1-5]/6 tests' || fail "the status line never advanced"
# Each worker's test is shown.  Not both in one frame: with the work queue a
# worker reads "idle" between its batches, and on some timings no redraw
# falls while both run.
echo "$raw" | grep -q 'w0 slow\.[a-z]' || fail "worker 0's tests not shown"
echo "$raw" | grep -q 'w1 slow\.[a-z]' || fail "worker 1's tests not shown"
echo "$raw" | grep -q '\^\[\[K' || fail "the line is not updated in place"
echo "$raw" | grep -q 'Ran 6 tests' || fail "no summary on the terminal"

# 3. The terminal shows exactly the plain output once the status lines are
#    taken out (and, off the terminal, the periodic progress lines).
TESTR_PROGRESS_INTERVAL=0 "$t" run --parallel --concurrency 2 > plain3.out 2>&1 || true
strip_progress "$tmp/run2.raw" > tty3.out
normalise plain3.out > a
normalise tty3.out > b
diff a b > /dev/null || fail "terminal output differs from the plain output: $(diff a b | head -n 10 | cat -v)"

# 3b. The clock moves during a long test, with no event to redraw on.
PROGRESS_SLEEP=2.2 tty long "$t" run --parallel --concurrency 2 alpha
$py - "$tmp/long.raw" <<'PY' || fail "the elapsed time stood still during a long test"
import re, sys
data = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace')
clocks = set(re.findall(r'0/1 tests  0 failed  (\d+:\d+) elapsed', data))
assert len(clocks) >= 2, clocks
PY

# 4. Failures as they happen, in red unless NO_COLOR or --color=never.
export PROGRESS_FAIL=slow.bravo
red=$(printf '\033[1;31m')
tty fail1 "$t" run --parallel --concurrency 2
grep -qF "${red}1 failed" "$tmp/fail1.raw" || fail "no red failure count"
$py - "$tmp/fail1.raw" <<'PY' || fail "the failure was not shown before the run ended"
import sys
data = open(sys.argv[1], 'rb').read()
at = data.find(b'FAIL: slow.bravo')
assert at >= 0, 'no FAIL block'
assert data.find(b'6/6 tests') > at, 'FAIL block only after the last test'
PY
NO_COLOR=1 tty fail2 "$t" run --parallel --concurrency 2
grep -q "1 failed" "$tmp/fail2.raw" || fail "NO_COLOR: no failure count"
grep -qF "$red" "$tmp/fail2.raw" && fail "NO_COLOR=1 still coloured"
tty fail3 "$t" run --parallel --concurrency 2 --color=never
grep -qF "$red" "$tmp/fail3.raw" && fail "--color=never still coloured"
NO_COLOR=1 tty fail4 "$t" run --parallel --concurrency 2 --color=always
grep -qF "${red}1 failed" "$tmp/fail4.raw" || fail "--color=always not coloured"
"$t" run --parallel --color=sometimes > /dev/null 2> err && fail "--color=sometimes accepted"
grep -q "sometimes" err || fail "bad --color value not named: $(cat err)"
unset PROGRESS_FAIL

# 5. The screen itself (tmux): one status line mid-run, gone at the end.
tmux -S "$sock" new-session -d -x 120 -y 40 -s prog \
	"cd '$tmp/proj' && PROGRESS_SLEEP=0.5 TERM=xterm '$t' run --parallel --concurrency 2; echo EXIT=\$?; sleep 30"
seen=
for _ in $(seq 1 60); do
	sleep 0.1
	tmux -S "$sock" capture-pane -p -t prog > screen
	if grep -q '/6 tests  0 failed' screen; then seen=1; break; fi
done
[ -n "$seen" ] || fail "no status line on screen: $(cat screen)"
[ "$(grep -c ' tests  .* failed' screen)" = 1 ] || fail "more than one status line: $(cat screen)"
for _ in $(seq 1 100); do
	sleep 0.1
	tmux -S "$sock" capture-pane -p -t prog > screen
	grep -q '^EXIT=' screen && break
done
grep -q '^EXIT=0' screen || fail "tmux run: $(cat screen)"
grep -q '^Ran 6 tests' screen || fail "no summary on screen: $(cat screen)"
grep -q ' tests  .* failed' screen && fail "status line left on screen: $(cat screen)"

# 6. A test program's stderr never corrupts the status line: the line is
#    cleared, the stderr line printed whole, the status drawn again below.
tmux -S "$sock" new-session -d -x 120 -y 40 -s noisy \
	"cd '$tmp/proj' && PROGRESS_SLEEP=1 PROGRESS_STDERR='slow.bravo slow.echo' TERM=xterm '$t' run --parallel --concurrency 2; echo EXIT=\$?; sleep 30"
for _ in $(seq 1 300); do
	sleep 0.1
	tmux -S "$sock" capture-pane -p -t noisy > screen
	grep -q '^EXIT=' screen && break
done
grep -q '^EXIT=0' screen || fail "noisy run: $(cat screen)"
for id in slow.bravo slow.echo; do
	grep -qx "stderr line from $id *" screen ||
		fail "stderr of $id not on a line of its own: $(cat screen)"
done
grep -q ' tests  .* failed' screen && fail "status line text left on screen: $(cat screen)"
echo "ok: progress line under script and tmux; plain output off a terminal"
