#!/bin/sh
# testr over ssh through `testr-instance ssh`, to two sshd hosts in network
# namespaces made here: parallel, --failing, Ctrl-C with the remote tests
# stopped, a host that crashes and a link that goes down mid-run.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
. "$TESTR_SOURCE_DIR/tests/scaleout/ssh-hosts.sh"
[ -x /usr/sbin/sshd ] || { echo "SKIP: openssh-server is not installed"; exit 77; }
ip netns add "tr$$probe" 2> /dev/null ||
	{ echo "SKIP: this machine cannot create network namespaces"; exit 77; }
ip netns del "tr$$probe"
trap 'ssh_hosts_stop; [ -n "${KEEP_WORK:-}" ] || rm -rf "$tmp"' EXIT
# A signal (meson's timeout, Ctrl-C) still runs the clean-up above.
trap 'exit 143' HUP INT TERM
ssh_hosts_start "$tmp/ssh" 2
export PATH="$TESTR_SOURCE_DIR/tools:$PATH"
export TESTR_INSTANCE_STATE="$tmp/state" TESTR_SSH_ALIVE=1

mkdir "$tmp/p" && cd "$tmp/p"
cp "$TESTR_SOURCE_DIR/tests/scaleout/fixture/test_nodes.py" .
cat "$TESTR_SOURCE_DIR/tests/scaleout/fixture/testr.conf" \
    "$TESTR_SOURCE_DIR/examples/instances/ssh.conf" > .testr.conf
testr init > /dev/null
h1="${ns_prefix}h1" h2="${ns_prefix}h2"

# Test processes still alive on host $1 (its sshd does not count).
leftovers() {
	for p in $(ip netns pids "${ns_prefix}$1"); do
		tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q subunit.run &&
			echo "$p"
	done
	return 0
}

wait_for_test_on() {
	i=0
	until grep -q " $1\$" nodes.log 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 600 ] || fail "host $1 never ran a test"
		sleep 0.1
	done
}

# 1. A parallel run uses both hosts.
expect_rc 0 on_client "$TESTR_BIN" run --parallel --concurrency 2
must_have "$tmp/out" "PASSED"
expect "hosts used" "$h1 $h2" "$(awk '{print $2}' nodes.log | sort -u | tr '\n' ' ' | sed 's/ $//')"
expect "tests run" 9 "$(wc -l < nodes.log)"

# 2. --failing reruns only what failed.
touch fail_05
expect_rc 1 on_client "$TESTR_BIN" run --parallel --concurrency 2
expect "failing" "test_nodes.Nodes.test_05" "$(testr failing --list)"
rm fail_05 nodes.log
expect_rc 0 on_client "$TESTR_BIN" run --failing --parallel --concurrency 2
expect "rerun" "test_05" "$(awk '{print $1}' nodes.log)"

# 3. Ctrl-C: the run stops and dispose kills the remote tests.
rm -f nodes.log
echo 5 > sleep; env --default-signal=INT ip netns exec "${ns_prefix}c" \
	"$TESTR_BIN" run --parallel --concurrency 2 > "$tmp/int.out" 2>&1 &
pid=$!
wait_for_test_on "$h1"
wait_for_test_on "$h2"
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" -ne 0 ] || { cat "$tmp/int.out" >&2; fail "an interrupted run exited 0"; }
must_have "$tmp/int.out" "testr-instance ssh dispose"
expect "tests left on h1" "" "$(leftovers h1)"
expect "tests left on h2" "" "$(leftovers h2)"

# 4. A host crashes mid-run: its tests fail, the other host's are kept.
rm -f nodes.log
echo 1 > sleep; timeout 120 ip netns exec "${ns_prefix}c" "$TESTR_BIN" run \
	--parallel --concurrency 2 > "$tmp/crash.out" 2>&1 &
pid=$!
wait_for_test_on "$h2"
ssh_host_kill 2
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" -ne 124 ] || { cat "$tmp/crash.out" >&2; fail "testr hung after a host crashed"; }
[ "$rc" -eq 1 ] || { cat "$tmp/crash.out" >&2; fail "a run that lost a host exited $rc"; }
must_have "$tmp/crash.out" "lost the connection to"
set +e; testr failing --list > "$tmp/failing"; set -e
must_have "$tmp/failing" "$(grep " $h2\$" nodes.log | awk '{print $1}' | tail -n 1)"
must_lack "$tmp/failing" "$(grep " $h1\$" nodes.log | awk '{print $1}' | head -n 1)"

# 5. A link goes down mid-run: ServerAliveInterval (TESTR_SSH_ALIVE=1, so
#    about 3 s) ends the worker instead of a hang.  The timeout is only a
#    guard against hanging for ever.
ssh_hosts_stop
ssh_hosts_start "$tmp/ssh2" 2
rm -f nodes.log
echo 2 > sleep; timeout 120 ip netns exec "${ns_prefix}c" "$TESTR_BIN" run \
	--parallel --concurrency 2 > "$tmp/link.out" 2>&1 &
pid=$!
wait_for_test_on "$h2"
ssh_link_down 2
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" -ne 124 ] || { cat "$tmp/link.out" >&2; fail "testr hung after a link went down"; }
[ "$rc" -eq 1 ] || { cat "$tmp/link.out" >&2; fail "a run that lost a link exited $rc"; }
must_have "$tmp/link.out" "lost the connection to"
set +e; testr failing --list > "$tmp/failing"; set -e
must_have "$tmp/failing" "$(grep " $h2\$" nodes.log | awk '{print $1}' | tail -n 1)"
echo "ssh: all scenarios passed"
