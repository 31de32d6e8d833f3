#!/bin/sh
# Selecting ids (--failing, --load-list) and reading .testr.conf: bad input
# is an error (exit 3) that stores nothing and keeps the failing set.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

project sel "$(printf 's.ok\ns.fail')"
expect_rc 1 testr run
must_have "$tmp/out" "FAIL: s.fail"

# A list that cannot be read must not become an empty list: that would be
# a PASSED run storing nothing and wiping the failing set.
mkdir adir
for bad in adir /proc/self/mem missing-file; do
	expect_rc 3 testr run --load-list "$bad"
	must_have "$tmp/err" "cannot read list file"
	must_lack "$tmp/out" "PASSED"
	expect_rc 1 testr failing
	must_have "$tmp/out" "s.fail"
	expect_rc 1 testr last
	must_have "$tmp/out" "id=0"
done
expect_rc 3 testr run --failing --load-list adir
must_have "$tmp/err" "'adir': is a directory"

# A pipe is a fine list (--load-list <(...)).
mkfifo pipe
printf 's.ok\n' > pipe &
expect_rc 0 testr run --load-list pipe
wait
must_have "$tmp/out" "PASSED (id=1)"

# --failing with --load-list runs the ids in both.
expect_rc 1 testr run
printf 's.fail\ns.other\n' > list
rm -f "$FAKE_LOG"
expect_rc 1 testr run --failing --load-list list
expect "ids handed out" "s.fail" "$(partitions)"

# A .testr.conf that is a FIFO is refused at once, not waited on.
mv .testr.conf conf
mkfifo .testr.conf
expect_rc 3 timeout 20 "$TESTR_BIN" run
must_have "$tmp/err" "is not a regular file"
echo ok
