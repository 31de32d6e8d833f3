#!/bin/sh
# libtestr's own unit tests, as one test command for testr (see /.testr.conf):
#
#   sh tests/testr-suite.sh [--list] [--load-list FILE]
#
# Asks every check program in the build's tests/ in turn, in subunit v2.
# Ids are "<module>.<test>" and test_<module> runs them, so with --load-list
# each program gets only its own ids.  TESTR_SUITE_BUILD overrides the build
# directory (default: build/ beside this script's directory).
set -eu
top=$(cd -P "$(dirname "$0")/.." && pwd)
build=${TESTR_SUITE_BUILD:-$top/build}
# What meson test gives the unit tests (tests/meson.build, test_env).
TESTR_SOURCE_DIR=$top
TESTR_BUILD_DIR=$build
TESTR_BIN=$build/cli/testr
CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-60}
export TESTR_SOURCE_DIR TESTR_BUILD_DIR TESTR_BIN CK_DEFAULT_TIMEOUT

list=
idfile=
while [ $# -gt 0 ]; do
	case $1 in
	--list) list=--list ;;
	--load-list)
		[ $# -ge 2 ] || { echo "testr-suite.sh: --load-list needs a file" >&2; exit 2; }
		idfile=$2
		shift ;;
	*) echo "usage: testr-suite.sh [--list] [--load-list FILE]" >&2; exit 2 ;;
	esac
	shift
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
found=0
for prog in "$build"/tests/test_*; do
	[ -f "$prog" ] && [ -x "$prog" ] || continue
	found=$((found + 1))
	module=${prog##*/test_}
	if [ -n "$idfile" ]; then
		# Only this program's ids; skip it if it has none.
		grep "^$module\\." "$idfile" > "$tmp/ids" || continue
		"$prog" --subunit $list --load-list "$tmp/ids" || rc=$?
	else
		"$prog" --subunit $list || rc=$?
	fi
done
if [ "$found" = 0 ]; then
	echo "testr-suite.sh: no test programs in $build/tests: build first" >&2
	exit 3
fi
exit "$rc"
