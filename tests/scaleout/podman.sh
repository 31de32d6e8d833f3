#!/bin/sh
# testr in podman containers through `testr-instance podman`: one container
# per worker, run from the host's own root (no image needs pulling), all of
# them removed at the end.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
command -v podman > /dev/null || { echo "SKIP: podman is not installed"; exit 77; }
export PATH="$TESTR_SOURCE_DIR/tools:$PATH"
# This machine may lack CAP_SYS_RESOURCE: podman must not try to raise the
# open-file and process limits above the current hard limits.
export CONTAINERS_CONF="$tmp/containers.conf"
nofile=$(awk '/^Max open files/ {print $5}' /proc/self/limits)
nproc=4096
cat > "$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
CONF
export TESTR_PODMAN_ROOTFS=/ TESTR_PODMAN_ARGS="--network host --label testr-test=$$"
podman run --rm $TESTR_PODMAN_ARGS --rootfs /:O true > "$tmp/probe" 2>&1 ||
	{ cat "$tmp/probe"; echo "SKIP: podman cannot run a container here"; exit 77; }
ours() { podman ps -a -q --filter "label=testr-test=$$"; }
trap 'c=$(ours); [ -z "$c" ] || podman rm -f -t 0 $c > /dev/null; [ -n "${KEEP_WORK:-}" ] || rm -rf "$tmp"' EXIT
# A signal (meson's timeout, Ctrl-C) still runs the clean-up above.
trap 'exit 143' HUP INT TERM

mkdir "$tmp/p" && cd "$tmp/p"
cp "$TESTR_SOURCE_DIR/tests/scaleout/fixture/test_nodes.py" .
cat "$TESTR_SOURCE_DIR/tests/scaleout/fixture/testr.conf" \
    "$TESTR_SOURCE_DIR/examples/instances/podman.conf" > .testr.conf
testr init > /dev/null
touch fail_02
expect_rc 1 testr run --parallel --concurrency 2
expect "tests run" 9 "$(wc -l < nodes.log)"
expect "containers used" 2 \
	"$(awk '{print $2}' nodes.log | grep '^container-' | sort -u | wc -l)"
expect "failing" "test_nodes.Nodes.test_02" "$(testr failing --list)"
expect "containers left after dispose" "" "$(ours)"
echo "podman: passed"
