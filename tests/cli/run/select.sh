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

# A NUL byte in a list line would cut the id (and run or match another
# test): one error line naming the file, the line and the whole id,
# escaped; exit 3, nothing stored, the failing set kept.
printf 's.ok\ns.fail\0s.ok\n' > nul-list
expect_rc 3 testr run --load-list nul-list
expect "error" "list file 'nul-list', line 2: test id 's.fail\\x00s.ok' holds a NUL byte, which no test id can carry" "$(cat "$tmp/err")"
must_lack "$tmp/out" "PASSED"
expect_rc 1 testr last
must_have "$tmp/out" "id=3"
# The same in a plain listing: refused, as a runner whose listing says
# nothing trustworthy, before any test runs.
cp .testr.conf conf.good
sed -i 's/^test_list_option=.*/test_list_option=--list --plain; printf "n.x\\0evil\\n"/' .testr.conf
rm -f "$FAKE_LOG"
for cmd in "run --parallel --concurrency 2" "list-tests"; do
	expect_rc 3 testr $cmd
	must_have "$tmp/err" "the test listing, line 3: test id 'n.x\\x00evil' holds a NUL byte"
	expect "error lines" 1 "$(grep -vc '^running=' "$tmp/err")"
done
[ ! -e "$FAKE_LOG" ] || fail "tests ran after a listing was refused"
expect_rc 1 testr last
must_have "$tmp/out" "id=3"
cp conf.good .testr.conf

# A .testr.conf that is a FIFO is refused at once, not waited on.
mv .testr.conf conf
mkfifo .testr.conf
expect_rc 3 timeout 20 "$TESTR_BIN" run
must_have "$tmp/err" "is not a regular file"
echo ok
