#!/bin/sh
# SIGINT and SIGTERM end every wait of testr run promptly (the concurrency
# callout, provisioning, a hung listing, the repository lock), store no
# run, and exit 130.  A SIGINT that testr was started with ignored (a
# background job of a script) stays ignored, as with testrepository.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

# Wait (up to 20 s) for file $1 to appear.
wait_for() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -lt 400 ] || fail "$1 never appeared"
		sleep 0.05
	done
}

# stop SIG WHAT: send SIG to $pid; it must exit 130 well before the 60 s
# its wait would last, having stored nothing (still one run).
stop() {
	signal_and_wait "$1"
	[ "$rc" = 130 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "$2: exit $rc"; }
	must_have "$tmp/err" "nothing was stored"
	must_lack "$tmp/out" "PASSED"
	expect_rc 0 testr stats
	must_have "$tmp/out" "runs=1"
	rm -f started
}

project waits "$(printf 'w.ok1\nw.ok2')"
expect_rc 0 testr run
cp .testr.conf base.conf

# A hung listing.
sed 's/^test_list_option=.*/test_list_option=--list; touch started; sleep 60/' \
	base.conf > .testr.conf
start_with_sigint "$TESTR_BIN" run --parallel --concurrency 2
wait_for started
stop INT listing

# The concurrency callout.
{ cat base.conf; echo 'test_run_concurrency=touch started; sleep 60'; } \
	> .testr.conf
start_with_sigint "$TESTR_BIN" run --parallel
wait_for started
stop TERM callout

# Provisioning.
{ cat base.conf; echo 'instance_provision=touch started; sleep 60'
  echo 'instance_execute=$COMMAND'; echo 'instance_dispose=true'; } \
	> .testr.conf
start_with_sigint "$TESTR_BIN" run
wait_for started
stop INT provisioning

# The repository lock, held by someone else.
cp base.conf .testr.conf
$PY -c 'import fcntl, time
f = open(".testrepository/lock", "a")
fcntl.flock(f, fcntl.LOCK_EX)
open("locked", "w").close()
time.sleep(60)' &
holder=$!
wait_for locked
start_with_sigint "$TESTR_BIN" run
sleep 1
touch started
stop TERM lock
kill "$holder"
wait "$holder" || true

# SIGINT ignored from the start (sh's background job): the run goes on.
printf 'w.ok1\nw.sleep1500\n' > tests
rm -f "$FAKE_LOG"
"$TESTR_BIN" run > "$tmp/out" 2> "$tmp/err" &
pid=$!
wait_for "$FAKE_LOG"
signal_and_wait INT
[ "$rc" = 0 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "ignored SIGINT: exit $rc"; }
must_have "$tmp/out" "PASSED (id=1)"
echo ok
