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
cp -R "$top/examples/check-project/." "$work/"
cd "$work"
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
