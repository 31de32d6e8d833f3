#!/bin/sh
# A pull-mode test runner for testr run (test_feed), speaking subunit v1.
#
#   pull_runner.sh --list           list the ids in $FAKE_TESTS
#   pull_runner.sh --pull [FIFO]    run ids as they arrive on stdin (or FIFO)
#
# Each runner appends "<pid> start" to $PULL_LOG, then "<pid> <id>" for
# each id as it reads it, byte for byte.  An id containing
#   fail   fails            crash  makes the runner exit 3 once in progress
#   flaky  fails the first time a runner reads it, passes after that
#   await  waits (up to 30 s) until a runner has read the id $PULL_AWAIT
#          (it is in $PULL_LOG), and fails if none does
#   stop   is the runner's last: it exits 0 right after it
#   slow   takes half a second
# and otherwise succeeds.
set -u
case "${1:-}" in
--list)
	cat "$FAKE_TESTS"
	exit 0 ;;
--pull)
	[ $# -lt 2 ] || exec < "$2" ;;
*)
	echo "pull_runner.sh: --list or --pull expected" >&2
	exit 2 ;;
esac
log=${PULL_LOG:-/dev/null}
echo "$$ start" >> "$log"
while IFS= read -r id; do
	printf '%s %s\n' "$$" "$id" >> "$log"
	printf 'test: %s\n' "$id"
	case $id in
	*crash*)
		exit 3 ;;
	*await*)
		i=0
		until grep -q -- " $PULL_AWAIT\$" "$log" || [ $i -ge 600 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		grep -q -- " $PULL_AWAIT\$" "$log" || id="$id fail" ;;
	esac
	case $id in *slow*) sleep 0.5 ;; esac
	case $id in
	*flaky*)
		[ "$(grep -c -- " $id\$" "$log")" -gt 1 ] || id="$id fail" ;;
	esac
	case $id in
	*fail*) printf 'failure: %s\n' "${id% fail}" ;;
	*) printf 'success: %s\n' "$id" ;;
	esac
	case $id in *stop*) exit 0 ;; esac
done
exit 0
