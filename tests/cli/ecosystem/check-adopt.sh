#!/bin/sh
# libtestr-check, installed, adopted by a realistic check project
# (tests/cli/ecosystem/check-adopt: 36 tests in two suites, checked and
# unchecked fixtures, a per-tcase timeout, loop, signal and exit tests,
# tags, a slow test and a crashing one):
# - adopt.patch turns the plain check project into a testr one in at most
#   10 added and 10 removed lines, and the plain project keeps working;
# - built through pkg-config against the installed testr-check only, it
#   lists stable unique ids and keeps check's semantics test by test;
# - testr runs it in parallel; --failing and slowest work.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
py=$PY
fixture="$TESTR_SOURCE_DIR/tests/cli/ecosystem/check-adopt"
here="$TESTR_SOURCE_DIR/tests/cli/ecosystem"

root="$tmp/root"
meson install --quiet --no-rebuild -C "$TESTR_BUILD_DIR" --destdir "$root" >/dev/null
pcdir=$(dirname "$(find "$root" -name testr-check.pc | head -n 1)")
[ -f "$pcdir/testr-check.pc" ] || fail "testr-check.pc not installed"
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$root"
export LD_LIBRARY_PATH="$(dirname "$pcdir")"
# The harness's 60 s would hide whether the 1 s tcase timeout is kept.
unset CK_DEFAULT_TIMEOUT CK_FORK CK_RUN_SUITE CK_RUN_CASE CK_INCLUDE_TAGS CK_EXCLUDE_TAGS

# --- Adoption: the patch is small, and it is all that changes.
plus=$(grep -c '^+[^+]' "$fixture/adopt.patch" || :)
minus=$(grep -c '^-[^-]' "$fixture/adopt.patch" || :)
[ "$plus" -ge 1 ] && [ "$plus" -le 10 ] || fail "adopting adds $plus lines (at most 10)"
[ "$minus" -le 10 ] || fail "adopting removes $minus lines (at most 10)"
mkdir "$tmp/plain"
cp -R "$fixture/Makefile" "$fixture/src" "$fixture/tests" "$tmp/plain/"
cp -R "$tmp/plain" "$tmp/proj"
(cd "$tmp/proj" && patch -p1 -s < "$fixture/adopt.patch") || fail "adopt.patch does not apply"
diff -r "$tmp/plain" "$tmp/proj" | grep -c '^[<>]' > "$tmp/changed" || :
[ "$(cat "$tmp/changed")" -le 20 ] || fail "the trees differ by more than the patch"

# The plain project, with check alone: 36 checks, 3 planted failures.
cd "$tmp/plain"
make -s
expect_rc 1 ./tests/check_kv
must_have "$tmp/out" "Checks: 36, Failures: 1, Errors: 2"

# --- The adopted project builds against the installed library only.
cd "$tmp/proj"
make -s || fail "the adopted project does not build with pkg-config testr-check"
ldd tests/check_kv | grep -q "libtestr-check.so.0 => $root" ||
	fail "not linked to the installed libtestr-check: $(ldd tests/check_kv)"
# Without options it is still check's own run, exit status included.
expect_rc 1 ./tests/check_kv
must_have "$tmp/out" "Checks: 36, Failures: 1, Errors: 2"

# Ids: suite.tcase.test, "#i" per loop iteration, unique, stable.
./tests/check_kv --list > ids
[ "$(wc -l < ids)" -eq 36 ] || fail "listed $(wc -l < ids) ids, not 36"
[ "$(sort -u ids | wc -l)" -eq 36 ] || fail "duplicate ids: $(sort ids | uniq -d)"
grep -v '^[a-z]*\.[a-z]*\.[a-z_]*\(#[0-9]\)\{0,1\}$' ids && fail "malformed id above"
for i in 0 1 2 3 4; do
	must_have ids "kv.limits.limits_stores_powers_of_two#$i"
done
must_have ids "str.palindrome.palindrome_accepts_palindromes#3"
./tests/check_kv --list > ids2
same "a second listing" ids ids2
./tests/check_kv --subunit --list | $py /usr/bin/subunit-ls --exists > v2ids
same "the subunit enumeration" ids v2ids
# check's tag filters shape the listing as they shape check's run.
CK_EXCLUDE_TAGS=slow ./tests/check_kv --list > noslow
[ "$(wc -l < noslow)" -eq 35 ] || fail "CK_EXCLUDE_TAGS=slow listed $(wc -l < noslow)"
must_lack noslow kv.slow.

# Test by test, check's semantics hold: fixtures, the signal and exit
# expectations, one loop iteration, the 1 s timeout, the crash.
cat > sel <<'IDS'
kv.core.core_fixture_runs_per_test
kv.file.file_loads_what_setup_saved
kv.crash.crash_aborts_on_purpose
kv.crash.crash_exits_with_three
kv.limits.limits_stores_powers_of_two#3
kv.limits.limits_stores_powers_of_two#4
kv.limits.limits_finishes_in_time
kv.crash.crash_segfaults_unless_fixed
kv.slow.slow_fills_a_large_map
IDS
./tests/check_kv --subunit --load-list sel > sel.v2 || fail "--subunit exited $?"
$py "$here/events.py" sel.v2 > events
grep -v ' inprogress ' events | cut -d' ' -f1,2 > got
cat > want <<'R'
kv.core.core_fixture_runs_per_test success
kv.file.file_loads_what_setup_saved success
kv.crash.crash_aborts_on_purpose success
kv.crash.crash_exits_with_three success
kv.limits.limits_stores_powers_of_two#3 success
kv.limits.limits_stores_powers_of_two#4 fail
kv.limits.limits_finishes_in_time fail
kv.crash.crash_segfaults_unless_fixed fail
kv.slow.slow_fills_a_large_map success
R
same "results of the selection, in its order" want got
[ "$(grep -c ' inprogress ts ' events)" -eq 9 ] || fail "not one timed inprogress per test"
grep -q ' - ' events && fail "an event without a timestamp: $(grep ' - ' events)"
$py /usr/bin/subunit2pyunit < sel.v2 > sel.txt 2>&1 || :
must_have sel.txt "planted failure in iteration 4"
must_have sel.txt "Test timeout expired"
must_have sel.txt "Received signal 11"
$py - sel.v2 > tags <<'PY'
import sys, subunit, testtools
class T(testtools.StreamResult):
    def status(self, test_id=None, test_status=None, test_tags=None, **kw):
        if test_status == 'success':
            print(test_id, ' '.join(sorted(test_tags or ())))
subunit.ByteStreamToStreamResult(open(sys.argv[1], 'rb')).run(T())
PY
must_have tags "kv.slow.slow_fills_a_large_map slow"
# An id the program lacks is reported failed, never silently dropped.
printf 'kv.core.no_such_test\n' > gone
./tests/check_kv --subunit --load-list gone | $py /usr/bin/subunit2pyunit > gone.txt 2>&1 &&
	fail "an unknown id passed"
must_have gone.txt "no test with this id"
# No-fork mode runs the same ids in one process.
printf 'kv.file.file_round_trips\nkv.limits.limits_stores_powers_of_two#2\nstr.parse.to_long_refuses_garbage\n' > nofork
CK_FORK=no ./tests/check_kv --subunit --load-list nofork > nofork.v2
[ "$($py "$here/events.py" nofork.v2 | grep -c ' success ')" -eq 3 ] ||
	fail "CK_FORK=no: $($py "$here/events.py" nofork.v2)"

# --- testr runs it in parallel; --failing and slowest work.
testr init > /dev/null
expect_rc 1 testr run --parallel --concurrency 3
must_have "$tmp/out" "Ran 36 tests"
testr failing --list | sort > failing
printf '%s\n' kv.crash.crash_segfaults_unless_fixed \
	kv.limits.limits_finishes_in_time \
	'kv.limits.limits_stores_powers_of_two#4' > want
same "the failing tests" want failing
KV_FIXED=1 testr run --failing > fixed.out 2>&1 || fail "run --failing: $(cat fixed.out)"
must_have fixed.out "Ran 3 "
[ -z "$(testr failing --list)" ] || fail "still failing: $(testr failing --list)"
KV_FIXED=1 testr run --parallel --concurrency 3 > all.out 2>&1 || fail "fixed run: $(cat all.out)"
testr slowest --all | sed 1,2d > slow
[ "$(wc -l < slow)" -eq 36 ] || fail "slowest --all lists $(wc -l < slow) tests"
# The slow test sleeps a second, so at least that much is recorded.
awk '$1 == "kv.slow.slow_fills_a_large_map" { print ($2 >= 1.0) }' slow > s
[ "$(cat s)" = 1 ] || fail "slow test's duration: $(grep slow_fills slow)"

# --- Pull mode (testr.conf test_feed): the same project, each worker's
# runner started once and fed ids as it goes, gives batch mode's results.
results() {
	testr last --subunit > last.v2
	$py "$here/events.py" last.v2 | grep -v ' inprogress ' | cut -d' ' -f1,2 |
		grep -v '^process-returncode ' | sort
}
expect_rc 1 testr run --parallel --concurrency 3
results > batch.results
[ "$(wc -l < batch.results)" -eq 36 ] || fail "batch mode: $(cat batch.results)"
printf 'test_feed=stdin\ntest_feed_option=--pull\n' >> .testr.conf
expect_rc 1 testr run --parallel --concurrency 3
must_have "$tmp/out" "Ran 36 tests"
[ "$(grep -c -- '--subunit  --pull$' "$tmp/err")" -eq 3 ] ||
	fail "not one pulling runner per worker: $(grep running= "$tmp/err")"
results > pull.results
same "pull mode's results" batch.results pull.results
testr failing --list | sort > pfailing
printf '%s\n' kv.crash.crash_segfaults_unless_fixed \
	kv.limits.limits_finishes_in_time \
	'kv.limits.limits_stores_powers_of_two#4' > want
same "pull mode's failing tests" want pfailing
echo "ok: adopted in $plus added and $minus removed lines; 36 ids through testr"
