#!/bin/sh
# Bad input never loses data: a corrupt stream keeps what was readable and
# says so; a damaged run file is named and skipped; formats we do not know
# are refused, and testrepository refuses ours cleanly.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
MK="$PY $TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py"

mkdir "$tmp/p" && cd "$tmp/p"
printf '[DEFAULT]\ntest_command=true\n' > .testr.conf
testr init > /dev/null
$MK a.one:success:1 a.two:fail:2 a.three:success:3 > "$tmp/s"
size=$(wc -c < "$tmp/s")
head -c $((size - 7)) "$tmp/s" > "$tmp/trunc"

expect_rc 1 testr load < "$tmp/trunc"
must_have "$tmp/err" "stdin: corrupt subunit at byte"
grep -q "^FAIL: subunit.parser$" "$tmp/out" || fail "no parser failure"
# a.three lost its result with the cut: no duration, and it never
# completed, so it is failing (as testrepository has it).
expect "truncated stream: readable tests kept" "a.one
a.two" "$(testr slowest --all | tail -n +3 | awk '{print $1}' | sort)"
expect_rc 1 testr failing --list
expect "failing after truncated stream" "a.three
a.two
subunit.parser" "$(sort "$tmp/out")"

# A second, good run; then damage the first run file.
$MK --start=10 b.one:success:1 > "$tmp/s2"
expect_rc 0 testr load < "$tmp/s2"
printf '\263garbage' > .testrepository/0
rm -f .testrepository/0.index
expect_rc 0 testr load < "$tmp/s2"
must_have "$tmp/out" "PASSED (id=2)"
expect "stats" "runs=3" "$(testr stats)"

# Damaged latest run: last names the file, shows what it could read.
printf '\263garbage' >> .testrepository/2
rm -f .testrepository/2.index
expect_rc 3 testr last
must_have "$tmp/err" "/.testrepository/2: corrupt"
grep -q "^Ran 1 tests" "$tmp/out" || fail "last out: $(cat "$tmp/out")"

# Damaged durations store: rebuilt from the runs, with a warning.
printf 'libtestr-durations 1 runs=3 tests=1 crc32=00000000\nx\t1\n' \
	> .testrepository/times
$MK --start=20 c.one:success:4 > "$tmp/s3"
expect_rc 0 testr load < "$tmp/s3"
must_have "$tmp/err" "times: checksum mismatch; rebuilding"
expect "durations after rebuild" "c.one  4.000" \
	"$(testr slowest | tail -1 | sed 's/  */  /')"

# An unknown format is refused, not guessed at.
cp -a .testrepository "$tmp/saved"
echo 7 > .testrepository/format
expect_rc 3 testr stats
must_have "$tmp/err" "unknown repository format '7'"
rm -rf .testrepository && mv "$tmp/saved" .testrepository

# testrepository refuses our format cleanly (exit 3, no traceback).
expect_rc 3 "$PYTESTR" stats
must_lack "$tmp/err" "Traceback"
