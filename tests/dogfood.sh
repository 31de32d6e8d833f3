#!/bin/sh
# CI: testr runs libtestr's own unit tests, in parallel, with the project's
# own .testr.conf, and must run exactly the tests meson's unit programs hold.
#
#   sh tests/dogfood.sh [BUILD_DIR]      (default: build; built already)
#
# It works in a scratch directory holding a copy of the root .testr.conf
# and a link to tests/, so the source tree gets no .testrepository/.
set -eu
top=$(cd -P "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
testr=${TESTR:-$build/cli/testr}	# TESTR=/usr/bin/testr runs the Python tool
export TESTR_SOURCE_DIR="$top" TESTR_BUILD_DIR="$build" TESTR_BIN="$testr"
. "$top/tests/cli/lib.sh"

# What meson test runs: the unit programs and the tests each one holds.
expected=0
programs=0
for name in $(meson test -C "$build" --no-rebuild --suite unit --list 2>/dev/null |
	      sed -n 's/^.*:unit \/ //p'); do
	n=$("$build/tests/test_$name" --list | wc -l)
	expected=$((expected + n))
	programs=$((programs + 1))
done
[ "$programs" -gt 0 ] || fail "meson lists no unit programs in $build"

work=$tmp
cp "$top/.testr.conf" "$work/"
ln -s "$top/tests" "$work/tests"
cd "$work"
export TESTR_SUITE_BUILD="$build"
"$testr" init > /dev/null
set +e
"$testr" run --parallel > run.out 2>&1
rc=$?
set -e
cat run.out
[ "$rc" = 0 ] || fail "testr run --parallel exited $rc"
ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in .*/\1/p' run.out | tail -n 1)
[ -n "$ran" ] || fail "no 'Ran N tests' line"
[ "$ran" = "$expected" ] ||
	fail "testr ran $ran tests; meson's $programs unit programs hold $expected"
"$testr" slowest
echo "dogfood: ok: testr ran all $ran tests of $programs unit programs in parallel"
