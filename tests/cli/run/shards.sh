#!/bin/sh
# testr run --shard: N independent jobs (copies of one project with the
# same recorded durations) run disjoint shards that cover the suite, each
# balanced by time, and `testr load` of their streams gives the same
# failing set as one full run.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

# 40 ids in 8 modules; timeN is N ms on the fake runner's clock; 3 fail.
ids=$(i=0; while [ $i -lt 40 ]; do
	t=$(( (i * 37) % 11 * 10 + 5 ))
	case $i in 3 | 17 | 29) f=-fail ;; *) f= ;; esac
	echo "pkg.m$((i % 8)).t$i-time$t$f"
	i=$((i + 1))
done)
project full "$ids"
expect_rc 1 testr run --parallel --concurrency 4
expect_rc 1 testr failing --list
sort "$tmp/out" > "$tmp/full-failing"
expect "full run failures" 3 "$(wc -l < "$tmp/full-failing")"

# ms of an id, from its timeN.
ms() { sed 's/.*-time\([0-9]*\).*/\1/'; }
total=$(printf '%s\n' "$ids" | ms | paste -sd+ | bc)

for i in 0 1 2 3; do
	cp -r "$tmp/full" "$tmp/job$i"
	cd "$tmp/job$i"
	export FAKE_LOG="$tmp/job$i/log"
	rm -f "$FAKE_LOG"
	set +e
	testr run --shard "$i/4" --parallel --concurrency 2 --subunit \
		> "$tmp/stream$i" 2> "$tmp/err$i"
	rc=$?
	set -e
	[ "$rc" -le 1 ] || { cat "$tmp/err$i" >&2; fail "shard $i exited $rc"; }
	sed 's/^[0-9]*://' "$FAKE_LOG" | tr ' ' '\n' | sed '/^$/d' | sort > "$tmp/ran$i"
	[ -s "$tmp/ran$i" ] || fail "shard $i ran nothing"
	# Balanced by the recorded durations: within 10% of total/4.
	got=$(ms < "$tmp/ran$i" | paste -sd+ | bc)
	dev=$(echo "($got * 4 - $total)" | bc | tr -d -)
	[ "$((dev * 10))" -le "$total" ] ||
		fail "shard $i holds ${got} ms of ${total} ms: not within 10% of a quarter"
done

# Disjoint and complete.
cat "$tmp/ran0" "$tmp/ran1" "$tmp/ran2" "$tmp/ran3" | sort > "$tmp/ran-all"
printf '%s\n' "$ids" | sort > "$tmp/all"
same "the shards together" "$tmp/all" "$tmp/ran-all"

# A module (group_regex) stays in one shard; each job has its own copy of
# the (timing-free) repository, as independent CI jobs do.
project grouped "$ids" 'group_regex=pkg\.m[0-9]\.'
for i in 0 1 2; do
	cp -r "$tmp/grouped" "$tmp/grouped$i"
	cd "$tmp/grouped$i"
	export FAKE_LOG="$tmp/grouped-log$i"
	set +e; testr run --shard "$i/3" > /dev/null 2>&1; set -e
done
for m in 0 1 2 3 4 5 6 7; do
	n=$(grep -l "pkg\.m$m\." "$tmp"/grouped-log* | wc -l)
	expect "shards holding module m$m" 1 "$n"
done

# The merged streams make one run with the full run's failing set.
mkdir "$tmp/merged" && cd "$tmp/merged"
cp "$tmp/full/.testr.conf" .
testr init > /dev/null
expect_rc 1 testr load "$tmp/stream0" "$tmp/stream1" "$tmp/stream2" "$tmp/stream3"
expect_rc 1 testr failing --list
sort "$tmp/out" > "$tmp/merged-failing"
same "failing after the merge" "$tmp/full-failing" "$tmp/merged-failing"
expect_rc 1 testr last
must_have "$tmp/out" "Ran 40 tests"

# --shard auto reads the CI system's variables (GitLab counts from 1).
cd "$tmp/job1"
export FAKE_LOG="$tmp/job1/auto-log"
set +e
CI_NODE_INDEX=2 CI_NODE_TOTAL=4 testr run --shard auto > /dev/null 2>&1
set -e
sed 's/^[0-9]*://' "$FAKE_LOG" | tr ' ' '\n' | sed '/^$/d' | sort > "$tmp/auto1"
same "--shard auto as CI_NODE_INDEX=2 of 4" "$tmp/ran1" "$tmp/auto1"

# Bad shards: one clear line, nothing stored.
before=$(testr stats | grep runs=)
expect_rc 3 testr run --shard 4/4
must_have "$tmp/err" "'4/4' is not a shard"
expect_rc 3 env -u CI_NODE_INDEX "$TESTR_BIN" run --shard auto
must_have "$tmp/err" "no shard in the environment"
expect "runs stored after bad shards" "$before" "$(testr stats | grep runs=)"
echo "ok: shards disjoint, complete, balanced, grouped and mergeable"
