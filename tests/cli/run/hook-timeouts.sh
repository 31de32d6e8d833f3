#!/bin/sh
# Every hook has a time limit: a hung listing, concurrency callout,
# instance_provision or instance_dispose is stopped (its whole process
# group, SIGKILL when SIGTERM is ignored), the error names the command on
# one line, testr exits 3 and stores nothing new.  `timeout 60` only guards
# against a hang; nothing here measures time.
. "$(dirname "$0")/common.sh"

guarded() { timeout 60 "$TESTR_BIN" "$@"; }

# $1 holds a pid that is dead (the hook's background child was stopped
# with its group); a zombie counts, as no init may be reaping here.
must_be_dead() {
	pid=$(cat "$1")
	[ -n "$pid" ] || fail "$1 is empty"
	state=$(ps -o stat= -p "$pid" || :)
	case $state in
	''|Z*) ;;
	*) kill -9 "$pid"; fail "$1: $pid still runs ($state)" ;;
	esac
}

runs() { ls .testrepository | grep -c '^[0-9][0-9]*$' || :; }

# A hung listing.
project list "a.one
a.two" "test_list_timeout=1"
sed -i "s|^test_list_option=.*|test_list_option=--list; sleep 1000 \& echo \$! > $tmp/list/pid; wait|" .testr.conf
expect_rc 3 guarded run --parallel --concurrency 2
must_have "$tmp/err" "the test listing timed out after 1 s (test_list_timeout); its command was: '"
[ "$(grep -c 'timed out' "$tmp/err")" = 1 ] || fail "one error line: $(cat "$tmp/err")"
must_be_dead pid
expect "runs after a hung listing" 0 "$(runs)"
# list-tests goes through the same limit.
expect_rc 3 guarded list-tests
must_have "$tmp/err" "the test listing timed out after 1 s"

# A hung concurrency callout.
project callout "a.one" "test_run_concurrency=sleep 1000 & echo \$! > $tmp/callout/pid; wait
test_run_concurrency_timeout=1"
expect_rc 3 guarded run --parallel
must_have "$tmp/err" "test_run_concurrency timed out after 1 s (test_run_concurrency_timeout); its command was: 'sleep 1000 & echo"
must_be_dead pid
expect "runs after a hung callout" 0 "$(runs)"

# A hung instance_provision that ignores SIGTERM: SIGKILL after the grace.
project prov "a.one" "instance_provision=trap '' TERM; sleep 1000 & echo \$! > $tmp/prov/pid; wait
instance_dispose=touch $tmp/prov/disposed
instance_provision_timeout=1"
expect_rc 3 guarded run
must_have "$tmp/err" "instance_provision timed out after 1 s (instance_provision_timeout); its command was: 'trap"
must_be_dead pid
[ ! -e disposed ] || fail "dispose ran though nothing was provisioned"
expect "runs after a hung provision" 0 "$(runs)"

# A hung instance_dispose: the run is stored, testr still exits 3.
project disp "a.one" "instance_provision=echo vm-a
instance_dispose=sleep 1000 & echo \$! > $tmp/disp/pid; wait
instance_dispose_timeout=1"
expect_rc 3 guarded run
must_have "$tmp/err" "instance_dispose timed out after 1 s (instance_dispose_timeout); its command was: 'sleep 1000"
must_be_dead pid

# A command with a newline in it is still one line in the error.
project nl "a.one" "test_run_concurrency=sleep 1000
	true
test_run_concurrency_timeout=0.5"
expect_rc 3 guarded run --parallel
must_have "$tmp/err" "its command was: 'sleep 1000\\ntrue'"
expect "error lines" 1 "$(grep -c . "$tmp/err")"

# Limits are validated at load, naming file, line and value.
project bad "a.one" "test_list_timeout=soon"
expect_rc 3 testr run
must_have "$tmp/err" ".testr.conf:5: test_list_timeout: 'soon' is not a number of seconds"
project neg "a.one" "instance_dispose_timeout=-1"
expect_rc 3 testr run
must_have "$tmp/err" "instance_dispose_timeout: '-1' is not a number of seconds"
project auto "a.one" "test_list_timeout=auto"
expect_rc 3 testr run
must_have "$tmp/err" "test_list_timeout: 'auto' is not a number of seconds"
# 0 is no limit.
project zero "a.one" "test_list_timeout=0"
expect_rc 0 testr run --parallel --concurrency 2
echo ok
