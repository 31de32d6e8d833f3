#!/bin/sh
# The run area's benchmarks, ours next to testrepository's /usr/bin/testr:
#   1. orchestration overhead: testr run --parallel --concurrency 8 on
#      20,000 zero-duration tests (second run, durations known), minus the
#      bare runner's own time for the same tests, in wall and in CPU
#      seconds (user + sys, the runners' included: the load of a shared
#      machine skews the wall figures, far less the CPU ones);
#   2. partitioning 1,000,000 ids into 64 workers, in the library.
# The makespan benchmarks (heavy400) are bench/sched/run-bench.sh's.
# Usage: bench/run/run-bench.sh [BUILD_DIR]   (run it under nice)
set -eu
. "$(dirname "$0")/../lib.sh"
bench_setup "$@"
RUNNER="$build/tests/cli/run/fake_runner"
unset FAKE_LOG

echo "== 1. orchestration overhead, 20000 zero-duration tests, concurrency 8"
seq -f 'bench.overhead.test_%g' 1 20000 > "$tmp/ids"
export FAKE_TESTS="$tmp/ids"
bare=$(timed "$RUNNER" --load-list "$tmp/ids")
bare_cpu=$(cpu)
echo "bare runner (all tests, one process): ${bare} s, cpu ${bare_cpu} s"
for tool in ours python; do
	project $tool "$tmp/ov-$tool" "$RUNNER" "$tmp/ids"
	first=$(timed "$bin" run --parallel --concurrency 8)
	l=$(load)
	second=$(timed "$bin" run --parallel --concurrency 8)
	c=$(cpu)
	over=$(echo "$second - $bare" | bc -l)
	over_cpu=$(echo "$c - $bare_cpu" | bc -l)
	printf '%-7s first run %6.3f s, second run %6.3f s (cpu %6.3f s), overhead %6.3f s (cpu %6.3f s), load %s\n' \
		"$tool" "$first" "$second" "$c" "$over" "$over_cpu" "$l"
	echo "$over $over_cpu" > "$tmp/over-$tool"
	cd /
done
read -r ow oc < "$tmp/over-ours"
read -r pw pc < "$tmp/over-python"
printf 'overhead ratio python/ours: wall %.1fx, cpu %.1fx\n' \
	"$(echo "$pw / $ow" | bc -l)" "$(echo "$pc / $oc" | bc -l)"

echo "== 2. partitioning in the library"
"$build/bench/run/bench_partition"
