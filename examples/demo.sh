#!/bin/sh
# Build testr and run the bundled C project's check suite with it, in
# parallel, twice: the second run is balanced by the durations of the first.
#
#   sh examples/demo.sh          the suite passes
#   sh examples/demo.sh --bug    also plant a bug, see the failures, fix it
#                                and re-run only the failing tests
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bug=0
case "${1:-}" in
--bug) bug=1 ;;
"") ;;
*) echo "usage: sh examples/demo.sh [--bug]" >&2; exit 2 ;;
esac
sh "$top/.ci/install-deps"
[ -d "$top/build" ] || meson setup "$top/build" >/dev/null
meson compile -C "$top/build" >/dev/null
testr="$top/build/cli/testr"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The project builds against an installed libtestr-check: install into a
# scratch root and point pkg-config and the loader at it.
meson install --quiet -C "$top/build" --destdir "$work/root" >/dev/null
pcdir=$(dirname "$(find "$work/root" -name testr-check.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$work/root"
export LD_LIBRARY_PATH="$(dirname "$pcdir")"
mkdir "$work/proj"
cp -R "$top/examples/check-project/." "$work/proj/"
cd "$work/proj"
make -s clean
make -s
"$testr" init
echo "== first run: no durations known yet"
"$testr" run --parallel --concurrency 2
echo "== second run: balanced by recorded durations"
"$testr" run --parallel --concurrency 2
echo "== the slowest tests"
"$testr" slowest
if [ "$bug" = 1 ]; then
	echo "== plant a bug (make BUG=1) and run again: failures expected"
	make -s clean
	make -s BUG=1
	"$testr" run --parallel --concurrency 2 || echo "(exit $?: tests failed)"
	echo "== what is failing"
	"$testr" failing || true
	echo "== fix it and re-run only the failing tests"
	make -s clean
	make -s
	"$testr" run --failing
fi
echo "== demo done: all tests pass"
