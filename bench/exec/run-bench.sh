#!/bin/sh
# testr-exec against meson test and ctest on one meson-style suite: 120
# exit-code tests (one tiny C program, 5-400 ms each, heavy-tailed, 8.5 s in
# all) at the same concurrency.  testr runs twice; the second run knows the
# durations and balances on them.  Prints wall seconds for each.
# Usage: bench/exec/run-bench.sh [BUILD_DIR] [JOBS]   (run it under nice)
set -eu
build=$(cd "${1:-build}" && pwd)
jobs=${2:-2}
src=$(cd "$(dirname "$0")" && pwd)
TESTR="$build/cli/testr"
EXEC="$build/exec/testr-exec"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
timed() {
	t0=$(now)
	"$@" > /dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }
	t1=$(now)
	printf '%.2f' "$(echo "$t1 - $t0" | bc -l)"
}

cd "$tmp"
cp "$src/sleeper.c" .
# Durations: mostly short, a few long ones (the long tail is what a
# balancing scheduler must place well); fixed, so runs compare.
durations() {
	i=0
	while [ $i -lt 120 ]; do
		case $((i % 12)) in
		0) echo 400 ;; 1|2) echo 150 ;; *) echo $((5 + (i * 37) % 40)) ;;
		esac
		i=$((i + 1))
	done
}
{
	echo "project('bench', 'c')"
	echo "sleeper = executable('sleeper', 'sleeper.c')"
	n=0
	durations | while read -r ms; do
		echo "test('t$n', sleeper, args: ['$ms'])"
		n=$((n + 1))
	done
} > meson.build
{
	echo 'cmake_minimum_required(VERSION 3.10)'
	echo 'project(bench C)'
	echo 'enable_testing()'
	echo 'add_executable(sleeper sleeper.c)'
	n=0
	durations | while read -r ms; do
		echo "add_test(NAME t$n COMMAND sleeper $ms)"
		n=$((n + 1))
	done
} > CMakeLists.txt
meson setup mb > /dev/null && meson compile -C mb > /dev/null
cmake -S . -B cb > /dev/null && cmake --build cb > /dev/null
cat > .testr.conf <<C
[DEFAULT]
test_command=$EXEC mb/meson-info/intro-tests.json \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
C
"$TESTR" init > /dev/null
total=$(durations | paste -sd+ | bc)
echo "suite: 120 tests, ${total} ms of sleeps, concurrency $jobs"
echo "meson test --num-processes $jobs: $(timed meson test -C mb --num-processes "$jobs" --no-rebuild)"
echo "ctest -j $jobs:                 $(cd cb && timed ctest -j "$jobs")"
echo "testr run (first, untimed):  $(timed "$TESTR" run --parallel --concurrency "$jobs")"
echo "testr run (durations known): $(timed "$TESTR" run --parallel --concurrency "$jobs")"
echo "testr run (again):           $(timed "$TESTR" run --parallel --concurrency "$jobs")"
