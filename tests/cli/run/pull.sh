#!/bin/sh
# Pull mode (test_feed): one runner per worker slot reads its ids one per
# line as it goes, from its stdin or from the named pipe $IDPIPE.  Each
# slot's runner starts once; a freed runner gets the next id; a crash
# blames one test and the rest runs; Ctrl-C stores a partial run with
# nothing lost; hostile ids arrive byte for byte and never reach a shell.
. "$(dirname "$0")/common.sh"

PULLER="$TESTR_SOURCE_DIR/tests/cli/run/pull_runner.sh"

# pull_project NAME IDS [CONF-LINES]: as project, with the shell runner
# pull_runner.sh reading ids from its stdin (test_feed $FEED, default
# stdin; test_feed_option $FEEDOPT, default --pull); it logs to $PULL_LOG.
pull_project() {
	project "$@"
	{
		echo '[DEFAULT]'
		echo "test_command=$PULLER \$LISTOPT \$IDOPTION"
		echo 'test_list_option=--list'
		echo "test_feed=${FEED:-stdin}"
		echo "test_feed_option=${FEEDOPT:---pull}"
		[ $# -lt 3 ] || printf '%s\n' "$3"
	} > .testr.conf
	export PULL_LOG="$dir/pull.log"
	rm -f "$PULL_LOG"
}
starts() { grep -c ' start$' "$PULL_LOG"; }
# The ids the runners read, sorted, one a line.
pulled() { grep -v ' start$' "$PULL_LOG" | cut -d' ' -f2- | sort; }

# Every id once; each worker's runner started once; groups whole.
ids=$(for g in $(seq 1 8); do for t in 1 2 3; do echo "g$g.t$t"; done; done)
pull_project once "$ids" 'group_regex=([^.]*\.)'
expect_rc 0 testr run --parallel --concurrency 3
must_have "$tmp/out" "Ran 24 tests"
expect "runner starts" 3 "$(starts)"
printf '%s\n' $ids | sort > "$tmp/want"
pulled > "$tmp/got"
same "ids pulled" "$tmp/want" "$tmp/got"
for g in $(seq 1 8); do
	[ "$(grep " g$g\." "$PULL_LOG" | cut -d' ' -f1 | sort -u | wc -l)" = 1 ] ||
		fail "group g$g split across runners: $(cat "$PULL_LOG")"
done
# The listing is no runner: it ran the command with --list, not --pull.
must_have "$tmp/err" "running=$PULLER --list"
# A serial run pulls too, through one runner.
rm "$PULL_LOG"
expect_rc 0 testr run
must_have "$tmp/out" "Ran 24 tests"
expect "serial runner starts" 1 "$(starts)"

# --dry-run shows the pull plan; testr -v each id written to its worker.
expect_rc 0 testr run --dry-run --parallel --concurrency 3
must_have "$tmp/out" "plan: pull, 3 workers, 8 batches"
rm "$PULL_LOG"
expect_rc 0 testr -v run --parallel --concurrency 2
must_have "$tmp/err" "pull: worker-0 <- 'g"
must_have "$tmp/err" "pull: worker-1 <- 'g"
expect "debug run writes each id once" 24 \
	"$(grep -c '^debug: pull: worker-[01] <- ' "$tmp/err")"

# A freed worker gets the next id: a_await (first, the ids in listed
# order) waits until z_last, the last id, has been read, which only the
# other runner can do while a_await's runner is busy.  One start each.
tests="a_await
$(seq -f 'm%g' 1 8)
z_last"
pull_project freed "$tests"
PULL_AWAIT="z_last" expect_rc 0 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 10 tests"
expect "runner starts" 2 "$(starts)"
a_pid=$(grep ' a_await$' "$PULL_LOG" | cut -d' ' -f1)
z_pid=$(grep ' z_last$' "$PULL_LOG" | cut -d' ' -f1)
[ "$a_pid" != "$z_pid" ] || fail "z_last read by a_await's runner"

# Through instances: each slot's runner runs on its own instance, once,
# its stdin passed through instance_execute; dispose sees exactly those.
pull_project inst "$(seq -f 'i%g' 1 12)" "instance_provision=echo vm-a vm-b
instance_execute=echo \$INSTANCE_ID >> $tmp/inst/exec.log; \$COMMAND
instance_dispose=echo \$INSTANCE_IDS >> $tmp/inst/dispose.log"
expect_rc 0 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 12 tests"
expect "runner starts" 2 "$(starts)"
expect "instances used" "vm-a
vm-b" "$(sed 1d exec.log | sort)"
expect "disposed" "vm-a vm-b" "$(cat dispose.log)"

# A crash mid-stream fails the test in progress (and the runner, as
# process-returncode); the id fed after it goes back, and everything else
# runs, each id once.  (fake_runner: subunit v2, a segfault in c_segv.)
project crash "a
b
c_segv
d
e
f
g
h" 'test_feed=stdin
test_feed_option=--pull'
expect_rc 1 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 9 tests"
expect_rc 1 testr failing --list
expect "failing" "c_segv
process-returncode" "$(sort "$tmp/out")"
expect_rc 0 testr last --subunit
for id in a b d e f g h; do
	[ "$(sed 's/^[0-9]*://' "$FAKE_LOG" | grep -cx "$id")" = 1 ] ||
		fail "$id run $(sed 's/^[0-9]*://' "$FAKE_LOG" | grep -cx "$id") times"
done

# The same crash in a subunit v1 runner (pull_runner.sh): its stream ends
# inside the test, which the parser fails (lost connection); the id fed
# after it was never read, so it goes back and runs on a fresh runner
# rather than being failed as the test in progress.
pull_project crash-v1 "a
b_crash
c
d"
expect_rc 1 testr run --parallel --concurrency 1
must_have "$tmp/out" "lost connection during test 'b_crash'"
must_lack "$tmp/out" "FAIL: c"
expect "ids pulled" "a
b_crash
c
d" "$(pulled)"
expect "runner starts" 2 "$(starts)"
expect_rc 1 testr failing --list
expect "failing" "b_crash
process-returncode
subunit.parser" "$(sort "$tmp/out")"

# Ctrl-C mid-run: both runners wait on a test that never ends; what they
# were fed is stored as "not run" (in the failing set), the ids never fed
# are neither run nor failures.
tests="a_await
b_await
$(seq -f 'q%g' 1 12)"
pull_project ctrlc "$tests"
start_with_sigint env PULL_AWAIT=never "$TESTR_BIN" run --parallel \
	--concurrency 2
i=0
until [ "$(grep -c '_await$' "$PULL_LOG" 2>/dev/null)" = 2 ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "runners did not start"
	sleep 0.05
done
signal_and_wait INT
[ "$rc" = 130 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "Ctrl-C: testr exited $rc"; }
expect "runner starts" 2 "$(starts)"
must_have "$tmp/out" "INTERRUPTED (id=0"
expect_rc 1 testr failing --list
must_have "$tmp/out" "a_await"
must_have "$tmp/out" "b_await"
# Each runner was fed two ids (its first, then the rest of the window:
# a_await and q1, b_await and q2): four not run, in failing.
expect "not run" 4 "$(grep -c . "$tmp/out")"
must_lack "$tmp/out" "q12"
expect_rc 130 testr last
must_have "$tmp/out" "INTERRUPTED (id=0"

# Hostile ids arrive byte for byte, one per line, and no shell sees them.
canary="$tmp/canary"
mkdir -p "$canary"
hostile=$(cat <<EOT
x;touch $canary/c1
\$(touch $canary/c2)
\`touch $canary/c3\`
x' ; touch $canary/c4 ; '
x" ; touch $canary/c5 ; "
a b  c
back\\slash\\n
\\
'
"
*
-n
--pull
\$IDPIPE
%s%n
ünïcødé
EOT
)
pull_project hostile "$hostile"
expect_rc 0 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 16 tests"
printf '%s\n' "$hostile" | sort > "$tmp/want"
pulled > "$tmp/got"
same "hostile ids pulled" "$tmp/want" "$tmp/got"
[ -z "$(ls "$canary")" ] || fail "a hostile id ran: $(ls "$canary")"

# The fifo variant: $IDPIPE names a named pipe in a private directory,
# removed after the run.
FEED=fifo FEEDOPT='--pull $IDPIPE' pull_project fifo "$(seq -f 'f%g' 1 9)"
mkdir "$tmp/fifo/t"
TMPDIR="$tmp/fifo/t" expect_rc 0 testr run --parallel --concurrency 3
must_have "$tmp/out" "Ran 9 tests"
expect "fifo runner starts" 3 "$(starts)"
must_have "$tmp/err" "--pull $tmp/fifo/t/testr-pull-"
[ -z "$(ls "$tmp/fifo/t")" ] || fail "left behind: $(ls "$tmp/fifo/t")"

# A fifo nobody is told about is an error, before anything runs.
FEED=fifo pull_project nopipe "a"
expect_rc 3 testr run
must_have "$tmp/err" "test_feed = fifo, but neither test_command nor test_feed_option uses \$IDPIPE"
[ "$(wc -l < "$tmp/err")" -le 2 ] || fail "error not short: $(cat "$tmp/err")"
# An unknown feed is a load error naming the line.
FEED=socket pull_project badfeed "a"
expect_rc 3 testr run
must_have "$tmp/err" ".testr.conf:4: test_feed: unknown value 'socket' (expected file, stdin or fifo)"

# Nothing is fed behind a test estimated long: an id in that runner's pipe
# would wait for it while the other worker frees up.  a_await (recorded at
# 5 s, so handed out first) waits until b4 is read; the other runner reads
# every b, and a_await's runner reads nothing more.
pull_project ahead "a_await
b1
b2
b3
b4"
$PY "$TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py" a_await:success:5 \
	b1:success:0.01 b2:success:0.01 b3:success:0.01 b4:success:0.01 |
	testr load > /dev/null
PULL_AWAIT=b4 expect_rc 0 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 5 tests"
a_pid=$(grep ' a_await$' "$PULL_LOG" | cut -d' ' -f1)
expect "ids a_await's runner read" "a_await" \
	"$(grep "^$a_pid " "$PULL_LOG" | grep -v ' start$' | cut -d' ' -f2-)"

# --retry: a test that failed is fed again to another runner.  a_flaky
# fails on the first runner; the second, in b_await until the first has
# read z_done, has room for it (b_await is recorded as short) and takes
# it.  Two runners in all.
pull_project retry "a_flaky
b_await
z_done"
$PY "$TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py" a_flaky:success:0.003 \
	b_await:success:0.002 z_done:success:0.001 | testr load > /dev/null
PULL_AWAIT=z_done expect_rc 0 testr run --parallel --concurrency 2 --retry 1
must_have "$tmp/out" "Ran 3 tests"
must_have "$tmp/out" "PASSED (id=1, flaky=1)"
must_have "$tmp/out" "Totals: 3 passed, 0 failed, 0 skipped, 1 flaky"
must_lack "$tmp/err" "retry"
expect "runner starts" 2 "$(starts)"
expect "runners that read a_flaky" 2 \
	"$(grep ' a_flaky$' "$PULL_LOG" | cut -d' ' -f1 | sort -u | wc -l)"
expect_rc 0 testr failing --list
expect "failing set" "" "$(cat "$tmp/out")"
# A runner left with nothing to run stays open while another runner's
# test may still fail and need running again: b's runner is done long
# before a_flaky_slow fails, and still takes its retry.  (Its feed used to
# be closed as soon as it had finished b, and a fresh runner started.)
pull_project retry-late "a_flaky_slow
b"
$PY "$TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py" a_flaky_slow:success:1.0 \
	b:success:0.001 | testr load > /dev/null
expect_rc 0 testr run --parallel --concurrency 2 --retry 1
must_have "$tmp/out" "PASSED (id=1, flaky=1)"
expect "runner starts" 2 "$(starts)"
expect "runners that read a_flaky_slow" 2 \
	"$(grep ' a_flaky_slow$' "$PULL_LOG" | cut -d' ' -f1 | sort -u | wc -l)"
b_pid=$(grep ' b$' "$PULL_LOG" | cut -d' ' -f1)
expect "b's runner's ids" "b
a_flaky_slow" "$(grep "^$b_pid " "$PULL_LOG" | grep -v ' start$' | cut -d' ' -f2-)"
# With one runner, the retry goes to a fresh one once it has ended.
pull_project retry1 "a_flaky
b
c"
expect_rc 0 testr run --retry 1
must_have "$tmp/out" "PASSED (id=0, flaky=1)"
must_have "$tmp/out" "Ran 3 tests"
expect "serial runner starts" 2 "$(starts)"
expect "the fresh runner's ids" "a_flaky" \
	"$(grep -v ' start$' "$PULL_LOG" | sed 1,3d | cut -d' ' -f2-)"
# A test that fails every attempt runs 1 + N times and fails the run once.
pull_project retry-fail "a_fail
b"
expect_rc 1 testr run --retry 2
must_have "$tmp/out" "FAILED (id=0, failures=1)"
expect "attempts" 3 "$(grep -c ' a_fail$' "$PULL_LOG")"
expect "runner starts" 3 "$(starts)"
failing_is a_fail

# testr SIGKILLed mid-run: its guardian stops the runner and removes the
# named pipe and its private directory.
FEED=fifo FEEDOPT='--pull $IDPIPE' pull_project fifo-kill "a_await
b"
mkdir "$tmp/fifo-kill/t"
start_with_sigint env TMPDIR="$tmp/fifo-kill/t" PULL_AWAIT=never \
	"$TESTR_BIN" run --parallel --concurrency 2
i=0
until grep -q ' a_await$' "$PULL_LOG" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "the runner did not start"
	sleep 0.05
done
[ -n "$(ls "$tmp/fifo-kill/t")" ] || fail "no pipe directory while running"
signal_and_wait KILL
expect "SIGKILL: testr's exit status" 137 "$rc"
i=0
until [ -z "$(ls "$tmp/fifo-kill/t")" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "left behind: $(ls -R "$tmp/fifo-kill/t")"
	sleep 0.05
done
