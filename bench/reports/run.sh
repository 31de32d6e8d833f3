#!/bin/sh
# The reports benchmark, ours beside Python in the same run:
#   sh bench/reports/run.sh BUILD_DIR [N_TESTS [N_RUNS [TESTS_PER_RUN]]]
# 1. JUnit XML of an N_TESTS-test run (default 100000, 1% failing with a
#    traceback): `testr last --junit FILE` against
#    `testr last --subunit | subunit2junitxml` (python3-junitxml).
# 2. History on a repository of N_RUNS runs (default 1000) of TESTS_PER_RUN
#    tests (default 100): `testr history ID` and `testr history` against the
#    closest Python: python-subunit decoding every stored run into
#    testtools' StreamToDict and keeping that test's status and duration
#    (what stestr's history does; testrepository has no history).
# 3. History on BIG_RUNS (default 10000) copies of one run, ours only.
# Prints wall and CPU seconds of each side and the ratios, with the load
# average around the run.  Runs under nice.
set -eu
build=$(cd "${1:?usage: run.sh BUILD_DIR [N_TESTS [N_RUNS [PER_RUN]]]}" && pwd)
n=${2:-100000} runs=${3:-1000} per=${4:-100}
T="$build/cli/testr"
MK="$build/bench/repo/bench-repo-mkstream"
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
command -v subunit2junitxml > /dev/null ||
	{ echo "needs subunit2junitxml: apt-get install python3-junitxml" >&2; exit 3; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# time_it VAR CMD...: CMD under nice; VAR gets its wall seconds, VAR_cpu
# its CPU seconds (user + system, children included: a pipeline counts
# whole).  The machine may be shared: CPU time is the steadier figure.
time_it() {
	var=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$work/time" nice sh -c "$*" \
		> /dev/null 2>&1 || true	# failing runs exit 1
	# The last line: time says "Command exited with non-zero status" first.
	set -- $(tail -n 1 "$work/time")
	eval "$var=\$1"
	eval "${var}_cpu=\$(echo \"\$2 + \$3\" | bc)"
}
# ratio A B: A / B, B counted as at least 0.01 (the timer's resolution).
# A is "-" when that side was not run.
ratio() {
	[ "$1" != - ] || { printf -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / (b < 0.01 ? 0.01 : b) }'
}
# row LABEL: ours ($c, $c_cpu) beside Python ($py, $py_cpu), wall and CPU.
row() {
	printf '%-30s %7s %7s %6sx   %6s %6s %6sx\n' "$1" "$c" "$py" \
		"$(ratio "$py" "$c")" "$c_cpu" "$py_cpu" \
		"$(ratio "$py_cpu" "$c_cpu")"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

cd "$work"
"$T" init > /dev/null
nice "$MK" "$n" 100 > stream
"$T" load < stream > /dev/null 2>&1 || true
echo "# load average before: $(load) on $(nproc) CPUs"
printf '%-30s %7s %7s %7s   %6s %6s %7s\n' "" "wall:us" "python" "ratio" \
	"cpu:us" "python" "ratio"
time_it py "'$T' last --subunit | subunit2junitxml > py.xml"
time_it c "'$T' last --junit - > c.xml"
row "junit to stdout, $n tests"
time_it c "'$T' last --junit c.xml"
row "junit file + summary, $n"
for f in c.xml py.xml; do
	[ "$(grep -c '<testcase' $f)" = "$n" ] || echo "# $f: wrong testcase count" >&2
done

# A repository of $runs runs, each loaded by testr load.  Only for this
# setup, a preloaded shim makes fsync a no-op: $runs crash-safe loads take
# minutes on a shared machine, all of it waiting for the disk.  The timed
# commands below run without it.
mkdir h && cd h
"$T" init > /dev/null
nice "$MK" "$per" 10 > s
printf '%s\n' '#include <unistd.h>' 'int fsync(int fd) { (void)fd; return 0; }' \
	'int fdatasync(int fd) { (void)fd; return 0; }' > "$work/nosync.c"
cc -shared -fPIC -o "$work/nosync.so" "$work/nosync.c"
i=0
while [ $i -lt "$runs" ]; do
	LD_PRELOAD="$work/nosync.so" "$T" load < s > /dev/null 2>&1 || true
	i=$((i + 1))
done
[ "$("$T" history | tail -n +2 | wc -l)" = "$runs" ] ||
	{ echo "history does not list $runs runs" >&2; exit 3; }
id=$(nice "$T" last --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["tests"][3]["id"])')
# Ours takes a few hundredths: time ten and count a tenth, so the timer's
# 0.01 s resolution does not make the ratio.
ten() { echo "for i in 1 2 3 4 5 6 7 8 9 10; do $*; done"; }
tenth() { c=$(echo "scale=3; $c / 10" | bc); c_cpu=$(echo "scale=3; $c_cpu / 10" | bc); }
time_it c "$(ten "'$T' history '$id'")"
tenth
time_it py "'$PY' '$here/py_history.py' .testrepository '$id'"
row "history ID, $runs runs"
time_it c "$(ten "'$T' history")"
tenth
time_it py "'$PY' '$here/py_history.py' .testrepository"
row "history (runs), $runs runs"

# Ours on ten times as many runs (BIG_RUNS, default 10000; 0 skips it),
# copies of one run made by clone_runs.py.  Python is not run there: at
# its rate on $runs runs it would take minutes; scale its figure instead.
big=${BIG_RUNS:-10000}
if [ "$big" -gt 0 ]; then
	mkdir "$work/big" && cd "$work/big"
	"$T" init > /dev/null
	LD_PRELOAD="$work/nosync.so" "$T" load < "$work/h/s" > /dev/null 2>&1 || true
	nice "$PY" "$here/clone_runs.py" .testrepository "$big"
	time_it c "'$T' history '$id'"
	py=- py_cpu=-
	row "history ID, $big runs (ours)"
	time_it c "'$T' history"
	row "history (runs), $big runs (ours)"
fi
echo "# load average after: $(load)"
