#!/bin/sh
# The run area's benchmarks, ours next to testrepository's /usr/bin/testr:
#   1. orchestration overhead: testr run --parallel --concurrency 8 on
#      20,000 zero-duration tests (second run, durations known), minus the
#      bare runner's own time for the same tests;
#   2. partitioning 1,000,000 ids into 64 workers, in the library;
#   3. makespan on 400 tests with heavy-tailed sleeps (16 s in all, longest
#      2 s) at concurrency 8: wall / max(total/8, longest), runs 1 and 3.
# Usage: bench/run/run-bench.sh [BUILD_DIR]   (run it under nice)
set -eu
build=$(cd "${1:-build}" && pwd)
TESTR="$build/cli/testr"
PYTESTR=/usr/bin/testr
RUNNER="$build/tests/cli/run/fake_runner"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset FAKE_LOG

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }
# timed CMD...: run quietly, print the wall seconds.
timed() {
	t0=$(now)
	"$@" > /dev/null 2>&1 || true
	t1=$(now)
	printf '%.3f' "$(elapsed "$t0" "$t1")"
}

# project TOOL DIR IDS-FILE: a fresh project for TOOL (ours or python) in
# DIR, made the current directory, its repository initialised; sets $bin.
project() {
	mkdir -p "$2"
	cp "$3" "$2/tests"
	cat > "$2/.testr.conf" <<EOF2
[DEFAULT]
test_command=$RUNNER \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
EOF2
	cd "$2"
	bin=$TESTR
	[ "$1" = ours ] || bin=$PYTESTR
	"$bin" init > /dev/null
}

echo "== 1. orchestration overhead, 20000 zero-duration tests, concurrency 8"
seq -f 'bench.overhead.test_%g' 1 20000 > "$tmp/ids"
export FAKE_TESTS="$tmp/ids"
bare=$(timed "$RUNNER" --load-list "$tmp/ids")
echo "bare runner (all tests, one process): ${bare} s"
for tool in ours python; do
	project $tool "$tmp/ov-$tool" "$tmp/ids"
	first=$(timed "$bin" run --parallel --concurrency 8)
	second=$(timed "$bin" run --parallel --concurrency 8)
	over=$(elapsed "$bare" "$second")
	printf '%-7s first run %6.3f s, second run %6.3f s, overhead %6.3f s\n' \
		"$tool" "$first" "$second" "$over"
	echo "$over" > "$tmp/over-$tool"
	cd /
done
printf 'overhead ratio python/ours: %.1fx\n' \
	"$(echo "$(cat "$tmp/over-python") / $(cat "$tmp/over-ours")" | bc -l)"

echo "== 2. partitioning in the library"
"$build/bench/run/bench_partition"

echo "== 3. makespan, 400 heavy-tailed tests, concurrency 8"
# Durations ~ i^-1.1, the longest 2000 ms, scaled to 16 s in all, listed
# in a shuffled (but fixed) order.
awk 'BEGIN {
	n = 400; total = 16000; top = 2000;
	for (i = 2; i <= n; i++) { w[i] = i ^ -1.1; s += w[i] }
	ms[1] = top;
	for (i = 2; i <= n; i++) ms[i] = int((total - top) * w[i] / s + 0.5);
	srand(7);
	for (i = 1; i <= n; i++) { k = int(rand() * i) + 1; p[i] = p[k]; p[k] = i }
	for (i = 1; i <= n; i++) printf "bench.span.t%03d_sleep%d\n", p[i], ms[p[i]];
}' > "$tmp/span"
sum=$(sed 's/.*_sleep//' "$tmp/span" | paste -sd+ | bc)
longest=$(sed 's/.*_sleep//' "$tmp/span" | sort -n | tail -1)
lb=$(echo "a = $sum / 8000; b = $longest / 1000; if (a > b) a else b" | bc -l)
printf 'total %.3f s, longest %.3f s, lower bound %.3f s\n' \
	"$(echo "$sum/1000" | bc -l)" "$(echo "$longest/1000" | bc -l)" "$lb"
export FAKE_TESTS="$tmp/span"
for tool in ours python; do
	project $tool "$tmp/span-$tool" "$tmp/span"
	r1=$(timed "$bin" run --parallel --concurrency 8)
	r2=$(timed "$bin" run --parallel --concurrency 8)
	r3=$(timed "$bin" run --parallel --concurrency 8)
	printf '%-7s run 1 %.3f s (%.3f x bound), run 2 %.3f s, run 3 %.3f s (%.3f x bound)\n' \
		"$tool" "$r1" "$(echo "$r1 / $lb" | bc -l)" "$r2" "$r3" \
		"$(echo "$r3 / $lb" | bc -l)"
	cd /
done
