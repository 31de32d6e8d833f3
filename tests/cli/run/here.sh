#!/bin/sh
# -d DIR works in DIR, but a relative FILE on the command line is still the
# file the user sees from the directory they typed it in.
. "$(dirname "$0")/common.sh"

project proj "a.ok1
b.ok2
c.fail1"
cd "$tmp"
mkdir caller
cd caller
printf 'b.ok2\n' > picked

# run -d DIR --load-list RELATIVE: the list is read from here, not DIR.
expect_rc 0 testr run -d ../proj --load-list picked
[ "$(partitions)" = "b.ok2" ] || fail "--load-list under -d ran: $(partitions)"
[ ! -e ../proj/picked ] || fail "picked leaked into the project"
# The run was stored in the project's repository, not here.
[ ! -d .testrepository ] || fail "a repository appeared in the caller's dir"
expect_rc 0 testr last -d ../proj
must_have "$tmp/out" "Ran 1 tests"

# load -d DIR RELATIVE-FILE: the stream is read from here too.
testr last -d ../proj --subunit > stream
expect_rc 0 testr load -d ../proj stream
expect_rc 0 testr stats -d ../proj
must_have "$tmp/out" "runs=2"

# A missing relative file is named as given, with the error, exit 3.
expect_rc 3 testr run -d ../proj --load-list missing-list
must_have "$tmp/err" "missing-list"
echo "ok: -d keeps command-line files relative to the caller"
