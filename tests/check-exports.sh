#!/bin/sh
# The symbols libtestr.so exports must be exactly the TESTR_API declarations
# in include/testr/*.h: nothing private leaks, nothing public is missing.
set -eu
lib="$TESTR_BUILD_DIR/lib/libtestr.so"
hdrs="$TESTR_SOURCE_DIR/include/testr"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ { print $3 }' |
	sed 's/@.*//' | grep -v '^TESTR_0$' | sort -u > "$tmp/exported"
# Join each header into one line, then take the identifier before the first
# "(" of every TESTR_API declaration.  Preprocessor lines are dropped first:
# the definition of TESTR_API itself is not a declaration.
for h in "$hdrs"/*.h; do
	grep -v '^#' "$h" | tr '\n' ' ' | grep -o 'TESTR_API[^;]*;' |
		sed -E 's/\(.*//; s/.*[^A-Za-z0-9_]([A-Za-z0-9_]+)[[:space:]]*$/\1/'
done | sort -u > "$tmp/declared"

if ! diff -u "$tmp/declared" "$tmp/exported"; then
	echo "FAIL: exported symbols (+) differ from TESTR_API declarations (-)" >&2
	exit 1
fi
n=$(wc -l < "$tmp/declared")
[ "$n" -gt 0 ] || { echo "FAIL: no declarations found" >&2; exit 1; }
echo "ok: $n exported symbols match the public headers"
