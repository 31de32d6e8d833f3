#!/bin/sh
# testr prune: old runs go, durations and the failing set stay; the
# "timings only" repository still plans runs; prune waits for concurrent
# writers and survives SIGKILL.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
mk() { "$PY" "$TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py" "$@"; }
repo=.testrepository

mkdir "$tmp/p" && cd "$tmp/p"
testr init > /dev/null
expect_rc 2 testr prune
must_have "$tmp/err" "--keep N or --older-than DAYS"
expect_rc 2 testr prune --keep x
expect_rc 2 testr prune --keep 1.5
mk a.one:success:1 a.two:fail:2 a.three:success:3 > s0
mk a.one:success:4 > s1
mk a.two:fail:5 > s2
expect_rc 1 testr load s0
expect_rc 0 testr load --partial s1
expect_rc 1 testr load --partial s2
expect_rc 1 testr failing --list
cp "$tmp/out" failing.before
testr slowest --all > slowest.before

expect_rc 0 testr prune --keep 1
expect 'prune says' 'removed 2 runs' "$(cat "$tmp/out")"
[ ! -e $repo/0 ] && [ ! -e $repo/0.index ] && [ ! -e $repo/1 ] ||
	fail "runs 0 and 1 still there"
[ -e $repo/2 ] || fail "run 2 was pruned"
expect_rc 1 testr failing --list
cp "$tmp/out" failing.after
same 'failing set after prune' failing.before failing.after
testr slowest --all > slowest.after
same 'durations after prune' slowest.before slowest.after
expect_rc 0 testr history
expect 'runs listed' 2 "$(wc -l < "$tmp/out")"
expect_rc 0 testr stats --json
must_have "$tmp/out" '"runs": 3, "stored_runs": 1'
expect_rc 0 testr prune --keep 1
expect 'nothing more' 'removed 0 runs' "$(cat "$tmp/out")"

# The durations still plan: a rebuilt durations file skips pruned runs
# quietly.
rm $repo/times
expect_rc 1 testr failing
must_lack "$tmp/err" 'warning'

# --older-than: the run file's age; --keep wins when both are given.
mk a.one:success:1 > s3
expect_rc 0 testr load s3
touch -d '10 days ago' $repo/2 $repo/3
expect_rc 0 testr prune --older-than 5 --keep 1
expect 'age and keep' 'removed 1 run' "$(cat "$tmp/out")"
[ -e $repo/3 ] || fail "the newest run went"
expect_rc 0 testr prune --older-than 5
[ ! -e $repo/3 ] || fail "an old run stayed"

# "Timings only": no run at all; testr run still plans from the durations.
project t "$(printf 'x.a\nx.b\nx.c\nx.d')"
expect_rc 0 testr run
expect_rc 0 testr prune --keep 0
ls $repo | grep -E '^[0-9]' && fail "a run file is left"
expect_rc 0 testr run --parallel --concurrency 2
must_have "$tmp/out" 'PASSED (id=1)'

# Concurrent: prunes while runs are stored; nothing is lost or damaged.
mkdir "$tmp/c" && cd "$tmp/c"
testr init > /dev/null
mk c.ok:success:1 c.bad:fail:1 > s
(
	set +e
	i=0
	while [ $i -lt 15 ]; do
		testr load s > /dev/null 2>> load.err
		rc=$?
		[ $rc = 1 ] || echo "load exited $rc" >> load.err
		i=$((i+1))
	done
) &
writer=$!
i=0
while [ $i -lt 15 ]; do
	testr prune --keep 2 > /dev/null || fail "concurrent prune failed"
	i=$((i+1))
done
wait $writer
[ ! -s load.err ] || fail "concurrent loads: $(cat load.err)"
expect 'runs stored' 15 "$(cat $repo/next-stream)"
expect_rc 0 testr prune --keep 2
expect_rc 1 testr last
must_have "$tmp/out" 'FAILED (id=14'
expect_rc 1 testr failing --list
expect 'failing' 'c.bad' "$(cat "$tmp/out")"
ls -a $repo | grep -q '^\.tmp-' && fail "temporary files left"
expect 'stored' '13 14' "$(ls $repo | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ' | sed 's/ $//')"

# SIGKILL during a prune: every run is whole or gone, and the next prune
# finishes.
mkdir "$tmp/k" && cd "$tmp/k"
testr init > /dev/null
i=0
while [ $i -lt 60 ]; do expect_rc 1 testr load ../c/s; i=$((i+1)); done
testr slowest --all > slowest.before
for delay in 0 0.001 0.005 0.02; do
	testr prune --keep 1 > /dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -KILL $pid 2> /dev/null || true
	wait $pid 2> /dev/null || true
	expect_rc 0 testr history
	expect_rc 1 testr last
	must_have "$tmp/out" 'FAILED (id=59'
done
expect_rc 0 testr prune --keep 1
expect 'after kill' '59' "$(ls $repo | grep -E '^[0-9]+$' | tr '\n' ' ' | sed 's/ $//')"
testr slowest --all > slowest.after
same 'durations after killed prunes' slowest.before slowest.after
expect_rc 1 testr failing --list
expect 'failing after kill' 'c.bad' "$(cat "$tmp/out")"
echo ok
