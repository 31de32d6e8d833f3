#!/bin/sh
# A run that was asked for every test and got none is not a pass: a test
# command that reports nothing is broken.  Nothing is stored, so the
# failing set survives.  Selecting nothing (a filter matching no id,
# --failing with nothing failing) is still a quiet success.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

project empty "$(printf 'e.ok\ne.fail')"
expect_rc 1 testr run
cp .testr.conf good.conf
for cmd in true 'echo not subunit' "$RUNNER --load-list /dev/null"; do
	printf '[DEFAULT]\ntest_command=%s\n' "$cmd" > .testr.conf
	expect_rc 1 testr run
	must_have "$tmp/err" "the test command reported no tests"
	must_lack "$tmp/out" "PASSED"
	expect_rc 1 testr last
	must_have "$tmp/out" "FAILED (id=0"
	expect_rc 1 testr failing
	must_have "$tmp/out" "e.fail"
done
# Everything listed, and the listing is empty: the same.
cp good.conf .testr.conf
: > tests
expect_rc 1 testr run --parallel --concurrency 2
must_have "$tmp/err" "the test command reported no tests"

printf 'e.ok\ne.fail\n' > tests
expect_rc 0 testr run nomatch
expect_rc 1 testr run
printf 'e.ok\n' > tests
expect_rc 0 testr run
expect_rc 0 testr run --failing
echo ok
