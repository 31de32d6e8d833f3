#!/bin/sh
# The repository benchmark, ours next to testrepository 0.0.20's, same files,
# same run:   sh bench/repo/run.sh BUILD_DIR [N ...]   (default N: 100000 1000000)
# For each N: make an N-test subunit v2 stream (1% failing, timestamped),
# `load` it into a fresh repository with each tool, then time `last`,
# `failing`, `failing --list` and `slowest` on the loaded repositories.
# Prints wall seconds (ns clock), CPU seconds (user+sys, 10 ms resolution)
# and peak RSS (KiB) per step.
# Then shows that our memory follows distinct ids, not stream size.
# Set BENCH_SKIP_PYTHON=1 to time ours only.  Everything runs under nice.
set -eu
build=$(cd "${1:?usage: run.sh BUILD_DIR [N...]}" && pwd)
shift
sizes=${*:-100000 1000000}
T="$build/cli/testr"
MK="$build/bench/repo/bench-repo-mkstream"
PYTESTR=/usr/bin/testr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL DIR STDIN CMD...: one line "LABEL wall cpu rss rc".
measure() {
	label=$1 dir=$2 input=$3
	shift 3
	t0=$(date +%s%N)
	(cd "$dir" && nice /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
		"$@" < "$input" > /dev/null 2>&1) || true
	t1=$(date +%s%N)
	tail -1 "$work/time" > "$work/time1"
	read -r wall user sys rss < "$work/time1"
	printf '%-34s %9.3f %9.2f %10d\n' "$label" \
		"$(echo "scale=3; ($t1 - $t0) / 1000000000" | bc)" \
		"$(echo "$user + $sys" | bc)" "$rss"
}

printf '%-34s %9s %9s %10s\n' "step" "wall(s)" "cpu(s)" "rss(KiB)"
for n in $sizes; do
	nice "$MK" "$n" 100 > "$work/stream"
	echo "# N=$n: stream of $(wc -c < "$work/stream") bytes"
	for who in c py; do
		[ $who = py ] && [ -n "${BENCH_SKIP_PYTHON:-}" ] && continue
		if [ $who = py ]; then bin=$PYTESTR; else bin=$T; fi
		rm -rf "$work/$who" && mkdir "$work/$who"
		printf '[DEFAULT]\ntest_command=true\n' > "$work/$who/.testr.conf"
		(cd "$work/$who" && $bin init)
		measure "$who load" "$work/$who" "$work/stream" $bin load
		for cmd in last failing "failing --list" slowest; do
			measure "$who $cmd" "$work/$who" /dev/null $bin $cmd
		done
	done
done

# Memory follows distinct ids: the same number of tests over 1% of the ids.
n=$(echo "$sizes" | awk '{print $NF}')
nice "$MK" "$n" 100 "$((n / 100))" > "$work/stream"
rm -rf "$work/c" && mkdir "$work/c" && (cd "$work/c" && $T init)
echo "# N=$n tests over $((n / 100)) distinct ids"
measure "c load (1% distinct ids)" "$work/c" "$work/stream" $T load
