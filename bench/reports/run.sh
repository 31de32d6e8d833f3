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
# Prints wall seconds of each side and the ratio.  Runs under nice.
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

now() { date +%s%N; }
# time_it VAR CMD...: wall seconds of CMD (under nice) into VAR.
time_it() {
	var=$1
	shift
	t0=$(now)
	nice sh -c "$*" > /dev/null 2>&1 || true	# failing runs exit 1
	t1=$(now)
	eval "$var=\$(echo \"scale=3; (\$t1 - \$t0) / 1000000000\" | bc)"
}
ratio() { echo "scale=1; $1 / $2" | bc; }
row() { printf '%-28s %9s %9s %8sx\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"; }

cd "$work"
"$T" init > /dev/null
nice "$MK" "$n" 100 > stream
"$T" load < stream > /dev/null 2>&1 || true
printf '%-28s %9s %9s %9s\n' "step" "ours(s)" "python(s)" "ratio"
time_it c "'$T' last --junit c.xml"
time_it py "'$T' last --subunit | subunit2junitxml > py.xml"
row "junit, $n tests" "$c" "$py"
for f in c.xml py.xml; do
	[ "$(grep -c '<testcase' $f)" = "$n" ] || echo "# $f: wrong testcase count" >&2
done

# A repository of $runs runs.
mkdir h && cd h
"$T" init > /dev/null
nice "$MK" "$per" 10 > s
i=0
while [ $i -lt "$runs" ]; do "$T" load < s > /dev/null 2>&1 || true; i=$((i + 1)); done
id=$(nice "$T" last --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["tests"][3]["id"])')
time_it c "'$T' history '$id'"
time_it py "'$PY' '$here/py_history.py' .testrepository '$id'"
row "history ID, $runs runs" "$c" "$py"
time_it c "'$T' history"
time_it py "'$PY' '$here/py_history.py' .testrepository"
row "history (runs), $runs runs" "$c" "$py"
