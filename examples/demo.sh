#!/bin/sh
# Build testr and run the bundled C project's check suite with it, in
# parallel, twice: the second run is balanced by the durations of the first.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/.ci/install-deps"
[ -d "$top/build" ] || meson setup "$top/build" >/dev/null
meson compile -C "$top/build" >/dev/null
testr="$top/build/cli/testr"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$top/examples/check-project/." "$work/"
cd "$work"
make -s
"$testr" init
echo "== first run: no durations known yet"
"$testr" run --parallel --concurrency 2 || true
echo "== second run: balanced by recorded durations"
"$testr" run --parallel --concurrency 2 || true
echo "== the slowest tests"
"$testr" slowest
echo "== what is failing"
"$testr" failing || true
