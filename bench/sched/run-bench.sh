#!/bin/sh
# The scheduling benchmarks, ours next to testrepository's /usr/bin/testr on
# the same inputs in the same run:
#   1. heavy400: 400 tests sleeping heavy-tailed times (16 s in all, longest
#      2 s) at concurrency 8; wall / lower bound on runs 1 (nothing known)
#      and 3 (durations known);
#   2. the same with noise: every run multiplies each test's time by an
#      independent lognormal factor (sigma 0.3, mean 1); runs 3 and 4, each
#      over its own bound;
#   3. a runner with a 0.5 s start-up: default plan against --static;
#   4. the scheduling simulator's table (bench/sched/simulate), on
#      generated durations and (with section 2) on those it recorded;
#   5. pull mode (test_feed=stdin) on heavy400 at concurrency 8, runs 1 and
#      3, beside the queue, --static and Python testrepository.
# Each figure also gives the CPU seconds (user + sys, runners included) and
# the 1-minute load average: on a shared machine the load skews the wall
# times.  Only some sections: BENCH_SECTIONS="1 5" (default: all).
# Usage: bench/sched/run-bench.sh [BUILD_DIR]   (run it under nice)
set -eu
. "$(dirname "$0")/../lib.sh"
bench_setup "$@"
SLEEPER="$build/bench/sched/sleeper"
unset BENCH_FACTORS BENCH_STARTUP_MS

ratio() { printf '%.3f' "$(echo "$1 / $2" | bc -l)"; }

sections=${BENCH_SECTIONS:-1 2 3 4 5}
want() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }

heavy400 > "$tmp/span"
export BENCH_TESTS="$tmp/span"

# bound [FACTORS]: max(total / 8, longest) in seconds of the suite's times.
bound() {
	if [ $# -gt 0 ]; then
		awk '{ print $2 }' "$1" > "$tmp/f"
	else
		sed 's/.*/1/' "$tmp/span" > "$tmp/f"
	fi
	sed 's/.*_sleep//' "$tmp/span" | paste -d' ' - "$tmp/f" |
		awk '{ t = $1 * $2 / 1000; s += t; if (t > m) m = t }
		     END { b = s / 8; if (m > b) b = m; printf "%.4f", b }'
}

# factors SEED: a lognormal factor (sigma 0.3, mean 1) per test.
factors() {
	awk -v seed="$1" 'BEGIN { srand(seed) }
	{ u1 = rand(); u2 = rand(); if (u1 < 1e-12) u1 = 1e-12;
	  z = sqrt(-2 * log(u1)) * cos(6.283185307 * u2);
	  printf "%s %.6f\n", $0, exp(0.3 * z - 0.045) }' "$tmp/span"
}

# run_once [ARGS]: one parallel run; prints "WALL CPU LOAD".
run_once() {
	l=$(load)
	w=$(timed "$bin" run --parallel --concurrency 8 "$@")
	echo "$w $(cpu) $l"
}

# runs13 [ARGS]: runs 1 to 3; prints "WALL1 CPU1 LOAD1 WALL3 CPU3 LOAD3".
runs13() {
	r1=$(run_once "$@")
	run_once "$@" > /dev/null
	echo "$r1 $(run_once "$@")"
}

lb=$(bound)
if want 1; then
	echo "== 1. heavy400 at concurrency 8 (lower bound ${lb} s)"
	for tool in ours python; do
		project $tool "$tmp/h-$tool" "$SLEEPER"
		read -r r1 c1 l1 r3 c3 l3 <<EOF2
$(runs13)
EOF2
		printf '%-7s run 1 %6.3f s = %s x bound (cpu %.2f s, load %s); run 3 %6.3f s = %s x bound (cpu %.2f s, load %s)\n' \
			"$tool" "$r1" "$(ratio "$r1" "$lb")" "$c1" "$l1" \
			"$r3" "$(ratio "$r3" "$lb")" "$c3" "$l3"
		echo "$r1 $r3" > "$tmp/h-$tool.res"
		cd /
	done
	read -r o1 o3 < "$tmp/h-ours.res"
	read -r p1 p3 < "$tmp/h-python.res"
	echo "python/ours: run 1 $(ratio "$p1" "$o1")x, run 3 $(ratio "$p3" "$o3")x"
fi

if want 2; then
	echo "== 2. heavy400 with noise (lognormal sigma 0.3 per test and run)"
	for run in 1 2 3 4; do
		factors "$run" > "$tmp/factors-$run"
	done
	for tool in ours python; do
		project $tool "$tmp/n-$tool" "$SLEEPER"
		line="$tool"
		for run in 1 2 3 4; do
			read -r w c l <<EOF2
$(BENCH_FACTORS="$tmp/factors-$run" run_once)
EOF2
			b=$(bound "$tmp/factors-$run")
			line="$line; run $run $w s / $b = $(ratio "$w" "$b") (cpu $c, load $l)"
		done
		echo "$line"
		[ $tool = python ] || "$bin" slowest --all --estimates |
			awk 'NR > 2 { print $NF }' > "$tmp/recorded"
		cd /
	done
fi

if want 3; then
	echo "== 3. a runner with a 0.5 s start-up, heavy400, runs 1 and 3"
	export BENCH_STARTUP_MS=500
	for plan in default static; do
		project ours "$tmp/s-$plan" "$SLEEPER"
		args=""
		[ $plan = default ] || args=--static
		read -r r1 c1 l1 r3 c3 l3 <<EOF2
$(runs13 $args)
EOF2
		printf '%-7s run 1 %6.3f s = %s x bound (load %s); run 3 %6.3f s = %s x bound (cpu %.2f s, load %s)\n' \
			"$plan" "$r1" "$(ratio "$r1" "$lb")" "$l1" "$r3" \
			"$(ratio "$r3" "$lb")" "$c3" "$l3"
		cd /
	done
	unset BENCH_STARTUP_MS
fi

if want 4; then
	echo "== 4. the scheduling simulator"
	"$build/bench/sched/simulate"
	"$build/bench/sched/simulate" --startup 0.3
	if [ -s "$tmp/recorded" ]; then
		echo "(heavy400's durations as section 2 recorded them)"
		"$build/bench/sched/simulate" --durations "$tmp/recorded"
	fi
fi

# 5. Pull mode: each worker's runner starts once and reads ids as it goes.
if want 5; then
	echo "== 5. pull mode, heavy400 at concurrency 8 (lower bound ${lb} s)"
	for plan in pull queue static python; do
		conf=""
		[ $plan != pull ] || conf='test_feed=stdin
test_feed_option=--pull'
		tool=ours
		[ $plan != python ] || tool=python
		project $tool "$tmp/p-$plan" "$SLEEPER" "" "$conf"
		args=""
		[ $plan != static ] || args=--static
		read -r r1 c1 l1 r3 c3 l3 <<EOF2
$(runs13 $args)
EOF2
		printf '%-7s run 1 %6.3f s = %s x bound (load %s); run 3 %6.3f s = %s x bound (cpu %.2f s, load %s)\n' \
			"$plan" "$r1" "$(ratio "$r1" "$lb")" "$l1" "$r3" \
			"$(ratio "$r3" "$lb")" "$c3" "$l3"
		cd /
	done
fi
