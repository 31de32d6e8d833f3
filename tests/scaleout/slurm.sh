#!/bin/sh
# testr on a real Slurm cluster (three slurmd nodes on loopback) through
# `testr-instance slurm`: parallel, --failing, a node killed mid-run, and
# Ctrl-C, with every allocation released.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
. "$TESTR_SOURCE_DIR/tests/scaleout/slurm-cluster.sh"
command -v slurmctld > /dev/null || { echo "SKIP: slurm-wlm is not installed"; exit 77; }
trap 'slurm_stop; [ -n "${KEEP_WORK:-}" ] || rm -rf "$tmp"' EXIT
# A signal (meson's timeout, Ctrl-C) still runs the clean-up above.
trap 'exit 143' HUP INT TERM
slurm_start "$tmp/slurm"
export PATH="$TESTR_SOURCE_DIR/tools:$PATH"

mkdir "$tmp/p" && cd "$tmp/p"
cp "$TESTR_SOURCE_DIR/tests/scaleout/fixture/test_nodes.py" .
cat "$TESTR_SOURCE_DIR/tests/scaleout/fixture/testr.conf" \
    "$TESTR_SOURCE_DIR/examples/instances/slurm.conf" > .testr.conf
testr init > /dev/null

queue_empty() {
	i=0
	while [ -n "$(squeue -h)" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { squeue >&2; fail "$1: allocations left in the queue"; }
		sleep 0.1
	done
}

# 1. A parallel run puts one worker on each node.
expect_rc 0 testr run --parallel --concurrency 3
must_have "$tmp/out" "PASSED"
expect "nodes used" "n1 n2 n3" "$(awk '{print $2}' nodes.log | sort -u | tr '\n' ' ' | sed 's/ $//')"
expect "tests run" 9 "$(wc -l < nodes.log)"
queue_empty "parallel run"

# 2. --failing reruns only what failed, still on the cluster.
touch fail_04
expect_rc 1 testr run --parallel --concurrency 3
expect "failing after run" "test_nodes.Nodes.test_04" "$(testr failing --list)"
rm fail_04 nodes.log
expect_rc 0 testr run --failing --parallel --concurrency 3
expect "rerun" "test_04" "$(awk '{print $1}' nodes.log)"
expect_rc 0 testr failing
queue_empty "--failing run"

# 3. Ctrl-C mid-run: testr stops, disposes, and the allocation is released.
rm -f nodes.log
# A background job ignores SIGINT; --default-signal gives it back, as a
# terminal's Ctrl-C would reach a foreground testr.
echo 3 > sleep; env --default-signal=INT "$TESTR_BIN" run --parallel \
	--concurrency 3 > "$tmp/int.out" 2>&1 &
pid=$!
i=0
until [ -s nodes.log ]; do
	i=$((i + 1)); [ $i -lt 600 ] || fail "the interrupted run never started"
	sleep 0.1
done
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" -ne 0 ] || { cat "$tmp/int.out" >&2; fail "an interrupted run exited 0"; }
must_have "$tmp/int.out" "testr-instance slurm dispose"
queue_empty "Ctrl-C"

# 4. A node dies mid-run: the run fails, naming the tests that were on it,
#    and the other nodes' results are kept.
rm -f nodes.log
echo 1 > sleep; timeout 180 "$TESTR_BIN" run --parallel --concurrency 3 > "$tmp/kill.out" 2>&1 &
pid=$!
i=0
until grep -q ' n2$' nodes.log 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 600 ] || fail "node n2 never ran a test"
	sleep 0.1
done
slurm_kill_node n2
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" -ne 124 ] || { cat "$tmp/kill.out" >&2; fail "testr hung after a node died"; }
[ "$rc" -eq 1 ] || { cat "$tmp/kill.out" >&2; fail "a run that lost a node exited $rc"; }
must_have "$tmp/kill.out" "node n2"
lost=$(grep ' n2$' nodes.log | awk '{print $1}' | tail -n 1)
set +e; testr failing --list > "$tmp/failing"; set -e
must_have "$tmp/failing" "$lost"
ok=$(grep ' n1$' nodes.log | awk '{print $1}' | head -n 1)
must_lack "$tmp/failing" "$ok"
queue_empty "node loss"
cat "$tmp/kill.out"
echo "slurm: all scenarios passed"
