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
#   4. the scheduling simulator's table (bench/sched/simulate);
#   5. pull mode (test_feed=stdin) on heavy400 at concurrency 8, runs 1 and
#      3, beside the queue, --static and Python testrepository.
# Only some sections: BENCH_SECTIONS="1 5" (default: all).
# Usage: bench/sched/run-bench.sh [BUILD_DIR]   (run it under nice)
set -eu
build=$(cd "${1:-build}" && pwd)
TESTR="$build/cli/testr"
PYTESTR=/usr/bin/testr
SLEEPER="$build/bench/sched/sleeper"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset BENCH_FACTORS BENCH_STARTUP_MS

now() { date +%s.%N; }
# timed CMD...: run quietly, print the wall seconds.
timed() {
	t0=$(now)
	"$@" > "$tmp/last.out" 2>&1 || true
	t1=$(now)
	echo "$t1 - $t0" | bc -l
}
ratio() { printf '%.3f' "$(echo "$1 / $2" | bc -l)"; }

sections=${BENCH_SECTIONS:-1 2 3 4 5}
want() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }

# project TOOL DIR [CONF-LINES]: a fresh project for TOOL (ours or
# python), made the current directory; sets $bin.
project() {
	rm -rf "$2"
	mkdir -p "$2"
	cat > "$2/.testr.conf" <<EOF2
[DEFAULT]
test_command=$SLEEPER \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
${3:-}
EOF2
	cd "$2"
	bin=$TESTR
	[ "$1" = ours ] || bin=$PYTESTR
	"$bin" init > /dev/null
}

# Durations ~ i^-1.1, the longest 2000 ms, 16 s in all, in a shuffled (but
# fixed) order: the same suite as bench/run's makespan benchmark.
awk 'BEGIN {
	n = 400; total = 16000; top = 2000;
	for (i = 2; i <= n; i++) { w[i] = i ^ -1.1; s += w[i] }
	ms[1] = top;
	for (i = 2; i <= n; i++) ms[i] = int((total - top) * w[i] / s + 0.5);
	srand(7);
	for (i = 1; i <= n; i++) { k = int(rand() * i) + 1; p[i] = p[k]; p[k] = i }
	for (i = 1; i <= n; i++) printf "bench.span.t%03d_sleep%d\n", p[i], ms[p[i]];
}' > "$tmp/span"
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

lb=$(bound)
want 1 && echo "== 1. heavy400 at concurrency 8 (lower bound ${lb} s)"
want 1 && for tool in ours python; do
	project $tool "$tmp/h-$tool"
	r1=$(timed "$bin" run --parallel --concurrency 8)
	r2=$(timed "$bin" run --parallel --concurrency 8)
	r3=$(timed "$bin" run --parallel --concurrency 8)
	printf '%-7s run 1 %6.3f s = %s x bound; run 2 %6.3f s; run 3 %6.3f s = %s x bound\n' \
		"$tool" "$r1" "$(ratio "$r1" "$lb")" "$r2" "$r3" "$(ratio "$r3" "$lb")"
	echo "$r1 $r3" > "$tmp/h-$tool.res"
	cd /
done
if want 1; then
	read -r o1 o3 < "$tmp/h-ours.res"
	read -r p1 p3 < "$tmp/h-python.res"
	echo "python/ours: run 1 $(ratio "$p1" "$o1")x, run 3 $(ratio "$p3" "$o3")x"
fi

want 2 && echo "== 2. heavy400 with noise (lognormal sigma 0.3 per test and run)"
want 2 && for run in 1 2 3 4; do
	factors "$run" > "$tmp/factors-$run"
done
want 2 && for tool in ours python; do
	project $tool "$tmp/n-$tool"
	line="$tool"
	for run in 1 2 3 4; do
		w=$(BENCH_FACTORS="$tmp/factors-$run" timed "$bin" run --parallel --concurrency 8)
		b=$(bound "$tmp/factors-$run")
		line="$line; run $run $(printf '%.3f' "$w") s / $b = $(ratio "$w" "$b")"
	done
	echo "$line"
	cd /
done

want 3 && echo "== 3. a runner with a 0.5 s start-up, heavy400, third run"
export BENCH_STARTUP_MS=500
want 3 && for plan in default static; do
	project ours "$tmp/s-$plan"
	args=""
	[ $plan = default ] || args=--static
	if [ -n "$args" ] && ! "$bin" run --help 2>/dev/null | grep -q -- --static; then
		echo "static  (testr run has no --static yet)"
		continue
	fi
	timed "$bin" run --parallel --concurrency 8 $args > /dev/null
	timed "$bin" run --parallel --concurrency 8 $args > /dev/null
	w=$(timed "$bin" run --parallel --concurrency 8 $args)
	printf '%-7s run 3 %6.3f s = %s x bound\n' "$plan" "$w" "$(ratio "$w" "$lb")"
	cd /
done
unset BENCH_STARTUP_MS

if want 4; then
	echo "== 4. the scheduling simulator"
	"$build/bench/sched/simulate"
	"$build/bench/sched/simulate" --startup 0.3
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
		project $tool "$tmp/p-$plan" "$conf"
		args=""
		[ $plan != static ] || args=--static
		r1=$(timed "$bin" run --parallel --concurrency 8 $args)
		timed "$bin" run --parallel --concurrency 8 $args > /dev/null
		r3=$(timed "$bin" run --parallel --concurrency 8 $args)
		printf '%-7s run 1 %6.3f s = %s x bound; run 3 %6.3f s = %s x bound\n' \
			"$plan" "$r1" "$(ratio "$r1" "$lb")" "$r3" "$(ratio "$r3" "$lb")"
		cd /
	done
fi
