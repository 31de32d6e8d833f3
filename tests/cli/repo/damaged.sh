#!/bin/sh
# Bad input never loses data: a corrupt stream keeps what was readable and
# says so; a damaged run file is named and skipped; formats we do not know
# are refused, and testrepository refuses ours cleanly.
. "$TESTR_SOURCE_DIR/tests/cli/repo/lib.sh"

project "$WORK/p"
cd "$WORK/p"
$T init
$MK a.one:success:1 a.two:fail:2 a.three:success:3 > "$WORK/s"
size=$(wc -c < "$WORK/s")
head -c $((size - 7)) "$WORK/s" > "$WORK/trunc"

rc=0
$T load < "$WORK/trunc" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "truncated stream: exit" 1 "$rc"
checks=$((checks + 1))
grep -q "stdin: corrupt subunit at byte" "$WORK/err" || fail "no corrupt warning: $(cat "$WORK/err")"
checks=$((checks + 1))
grep -q "^FAIL: subunit.parser$" "$WORK/out" || fail "no parser failure"
# a.three lost its result with the cut: no duration, and it never
# completed, so it is failing (as testrepository has it).
expect "truncated stream: readable tests kept" "a.one
a.two" "$($T slowest --all | tail -n +3 | awk '{print $1}' | sort)"
expect "failing after truncated stream" "a.three
a.two
subunit.parser" "$($T failing --list | sort)"

# A second, good run; then damage the first run file.
$MK --start=10 b.one:success:1 > "$WORK/s2"
$T load < "$WORK/s2" > /dev/null
printf '\263garbage' > .testrepository/0
rm -f .testrepository/0.index
rc=0
$T load < "$WORK/s2" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "load with a damaged earlier run: exit" 0 "$rc"
checks=$((checks + 1))
grep -q "PASSED (id=2)" "$WORK/out" || fail "load output: $(cat "$WORK/out")"
expect "stats" "runs=3" "$($T stats)"

# Damaged latest run: last names the file, shows what it could read.
printf '\263garbage' >> .testrepository/2
rm -f .testrepository/2.index
rc=0
$T last > "$WORK/out" 2> "$WORK/err" || rc=$?
checks=$((checks + 1))
grep -q "/.testrepository/2: corrupt" "$WORK/err" || fail "last err: $(cat "$WORK/err")"
checks=$((checks + 1))
grep -q "^Ran 1 tests" "$WORK/out" || fail "last out: $(cat "$WORK/out")"

# Damaged durations store: rebuilt from the runs, with a warning.
printf 'libtestr-durations 1 runs=3 tests=1 crc32=00000000\nx\t1\n' \
	> .testrepository/times
$MK --start=20 c.one:success:4 | $T load > /dev/null 2> "$WORK/err"
checks=$((checks + 1))
grep -q "times: checksum mismatch; rebuilding" "$WORK/err" || fail "times: $(cat "$WORK/err")"
expect "durations after rebuild" "c.one  4.000" \
	"$($T slowest | tail -1 | sed 's/  */  /')"

# An unknown format is refused, not guessed at.
cp -a .testrepository "$WORK/saved"
echo 7 > .testrepository/format
rc=0
$T stats > /dev/null 2> "$WORK/err" || rc=$?
expect "unknown format: exit" 3 "$rc"
checks=$((checks + 1))
grep -q "unknown repository format '7'" "$WORK/err" || fail "format: $(cat "$WORK/err")"
rm -rf .testrepository && mv "$WORK/saved" .testrepository

# testrepository refuses our format cleanly (exit 3, no traceback).
rc=0
$PYTESTR stats > /dev/null 2> "$WORK/err" || rc=$?
expect "python testr on our repository: exit" 3 "$rc"
checks=$((checks + 1))
! grep -q Traceback "$WORK/err" || fail "python traceback: $(cat "$WORK/err")"
finish
