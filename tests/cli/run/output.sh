#!/bin/sh
# Text a runner prints outside its subunit stream is shown by testr run,
# in plain output, and the tests after it are still read (a v2 stream
# after a banner is still v2).
. "$(dirname "$0")/common.sh"

project banner "a.ok1
b.fail1"
cat > .testr.conf <<CONF
[DEFAULT]
test_command=echo "banner: runner \$((6 * 7)) starting"; $RUNNER \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
CONF

# The shell computes 42, so only the runner's output can hold it (the
# running= line shows the command as written).
expect_rc 1 testr run
must_have "$tmp/out" "banner: runner 42 starting"
must_have "$tmp/out" "FAIL: b.fail1"
must_have "$tmp/out" "Ran 2 tests"
expect_rc 1 testr run --parallel --concurrency 2
[ "$(grep -c 'banner: runner 42 starting' "$tmp/out")" -ge 2 ] ||
	fail "each worker's banner should show: $(cat "$tmp/out")"
must_have "$tmp/out" "Ran 2 tests"
echo "ok: runner output is shown and the stream after it is read"
