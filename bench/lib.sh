# The setup the run-bench.sh scripts share (bench/run, bench/sched):
# sourced, never run.  A script calls bench_setup "$@" first.
#
#   bench_setup [BUILD_DIR]     sets $build, $TESTR, $PYTESTR, $tmp (removed
#                               on exit)
#   timed CMD...                runs CMD quietly, prints its wall seconds;
#                               its CPU seconds (user + sys, children
#                               included) are then in $tmp/cpu
#   cpu                         prints those CPU seconds
#   load                        the 1-minute load average, now
#   project TOOL DIR RUNNER [IDS [CONF-LINES]]
#                               a fresh project in DIR for TOOL (ours or
#                               python) running RUNNER, IDS (unless empty)
#                               copied to DIR/tests, CONF-LINES added to its
#                               .testr.conf, made the current directory and
#                               initialised; sets $bin
#   heavy400 > FILE             the heavy-tailed suite: 400 ids
#                               "bench.span.tNNN_sleepMS", durations ~ i^-1.1,
#                               the longest 2000 ms, 16 s in all, in a
#                               shuffled (but fixed) order

bench_setup() {
	build=$(cd "${1:-build}" && pwd)
	TESTR="$build/cli/testr"
	PYTESTR=/usr/bin/testr
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if ! [ -x /usr/bin/time ]; then
		echo "bench: /usr/bin/time (GNU time) is needed" >&2
		exit 2
	fi
}

timed() {
	/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" > "$tmp/last.out" \
		2>&1 || true
	awk 'END { printf "%.3f\n", $2 + $3 }' "$tmp/time" > "$tmp/cpu"
	awk 'END { printf "%.3f", $1 }' "$tmp/time"
}

cpu() { cat "$tmp/cpu"; }

load() { cut -d' ' -f1 /proc/loadavg; }

project() {
	rm -rf "$2"
	mkdir -p "$2"
	[ -z "${4:-}" ] || cp "$4" "$2/tests"
	cat > "$2/.testr.conf" <<EOF2
[DEFAULT]
test_command=$3 \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
${5:-}
EOF2
	cd "$2"
	bin=$TESTR
	[ "$1" = ours ] || bin=$PYTESTR
	"$bin" init > /dev/null
}

heavy400() {
	awk 'BEGIN {
		n = 400; total = 16000; top = 2000;
		for (i = 2; i <= n; i++) { w[i] = i ^ -1.1; s += w[i] }
		ms[1] = top;
		for (i = 2; i <= n; i++)
			ms[i] = int((total - top) * w[i] / s + 0.5);
		srand(7);
		for (i = 1; i <= n; i++) {
			k = int(rand() * i) + 1; p[i] = p[k]; p[k] = i
		}
		for (i = 1; i <= n; i++)
			printf "bench.span.t%03d_sleep%d\n", p[i], ms[p[i]];
	}'
}
