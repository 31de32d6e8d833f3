#!/bin/sh
# For libtestr and libtestr-check: the exported symbols are exactly the
# public declarations (TESTR_API in include/testr/*.h; TESTR_CHECK_API in
# testr-check/testr-check.h), and exactly the names the version script
# lists, each exported in the version node that lists it.  Nothing private
# leaks, nothing public is missing, and no symbol joins a node unlisted.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# "name version" for each defined dynamic symbol of the library $1.
exported() {
	nm -D --defined-only "$1" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' |
		sed -n 's/^\([A-Za-z0-9_]*\)@@*\(.*\)$/\1 \2/p' |
		awk '$1 != $2' | sort -u
}

# The identifier before the first "(" of every $2 declaration in the
# headers $3...  Each header is joined into one line; preprocessor lines
# are dropped first (the macro's own definition is not a declaration).
declared() {
	macro=$1
	shift
	for h in "$@"; do
		grep -v '^#' "$h" | tr '\n' ' ' | grep -o "$macro [^;]*;" |
			sed -E 's/\(.*//; s/.*[^A-Za-z0-9_]([A-Za-z0-9_]+)[[:space:]]*$/\1/'
	done | sort -u
}

# "name node" for every name the version script $1 lists as global.
listed() {
	sed 's,/\*.*\*/,,; s,//.*,,' "$1" | awk '
		/^[A-Za-z0-9_]+[[:space:]]*\{/ { node = $1; sub(/\{.*/, "", node); scope = "" }
		/global:/ { scope = "global"; next }
		/local:/ { scope = "local"; next }
		scope == "global" && /^[[:space:]]*[A-Za-z0-9_]+;/ {
			name = $1; sub(/;.*/, "", name); print name, node
		}' | sort -u
}

compare() {	# compare WHAT LIB MACRO MAP HEADERS...
	what=$1 lib=$2 macro=$3 map=$4
	before=$status
	status=0
	shift 4
	exported "$lib" > "$tmp/exported"
	declared "$macro" "$@" > "$tmp/declared"
	listed "$map" > "$tmp/listed"
	cut -d' ' -f1 "$tmp/exported" > "$tmp/exported.names"
	cut -d' ' -f1 "$tmp/listed" > "$tmp/listed.names"
	if [ ! -s "$tmp/declared" ]; then
		echo "FAIL: $what: no $macro declarations found" >&2
		status=1
	fi
	if ! diff -u "$tmp/declared" "$tmp/exported.names"; then
		echo "FAIL: $what: exported symbols (+) differ from $macro declarations (-)" >&2
		status=1
	fi
	if ! diff -u "$tmp/declared" "$tmp/listed.names"; then
		echo "FAIL: $what: ${map##*/} lists (+) other names than the $macro declarations (-)" >&2
		status=1
	fi
	if ! diff -u "$tmp/listed" "$tmp/exported"; then
		echo "FAIL: $what: a symbol is exported (+) in another version node than ${map##*/} lists it in (-)" >&2
		status=1
	fi
	[ "$status" != 0 ] ||
		echo "$what: $(wc -l < "$tmp/declared") symbols declared, listed and exported"
	[ "$before" = 0 ] || status=$before
}

b=$TESTR_BUILD_DIR s=$TESTR_SOURCE_DIR
compare libtestr "$b/lib/libtestr.so" TESTR_API "$s/lib/libtestr.map" \
	"$s"/include/testr/*.h
if [ -f "$b/testr-check/libtestr-check.so" ]; then
	compare libtestr-check "$b/testr-check/libtestr-check.so" TESTR_CHECK_API \
		"$s/testr-check/libtestr-check.map" "$s/testr-check/testr-check.h"
fi
# Internal functions never take the public prefix: every global function
# of the static archive named testr_* is one of the exported symbols.
if [ -f "$b/lib/libtestr.a" ]; then
	exported "$b/lib/libtestr.so" | cut -d' ' -f1 > "$tmp/public"
	nm -g --defined-only "$b/lib/libtestr.a" 2>/dev/null |
		awk '$2 == "T" && $3 ~ /^testr_/ { print $3 }' | sort -u > "$tmp/global"
	if ! comm -23 "$tmp/global" "$tmp/public" > "$tmp/private" ||
	   [ -s "$tmp/private" ]; then
		sed 's/^/  /' "$tmp/private" >&2
		echo "FAIL: internal functions above use the public testr_ prefix" >&2
		status=1
	fi
fi
[ "$status" = 0 ] && echo "ok: exported == declared == listed"
exit "$status"
