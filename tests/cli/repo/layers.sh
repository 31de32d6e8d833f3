#!/bin/sh
# The repository's modules depend on each other one way only: each
# lib/repo*.c and lib/repo_*.h includes only its own header and headers of
# lower layers, as the table in lib/repo.h orders them.  Files not in the
# table sit above all of it and may include lib/repo.h; modules in the table
# may not (that is how the old include cycle was made).
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
lib="$TESTR_SOURCE_DIR/lib"

# "layer module" pairs from the table.
sed -n 's/^ \*   \([0-9]\)  \(repo[a-z_]*\) .*/\1 \2/p' "$lib/repo.h" > "$tmp/layers"
[ "$(wc -l < "$tmp/layers")" -ge 10 ] || fail "no layer table in lib/repo.h"
layer() { awk -v m="$1" '$2 == m { print $1 }' "$tmp/layers"; }

checked=0
for f in "$lib"/repo*.c "$lib"/repo_*.h; do
	mod=$(basename "$f" | sed 's/\.[ch]$//')
	own=$(layer "$mod")
	[ -n "$own" ] || continue	# above the table
	checked=$((checked + 1))
	for inc in $(sed -n 's/^#include "\(repo[a-z_]*\)\.h"$/\1/p' "$f"); do
		[ "$inc" != "$mod" ] || continue
		[ "$inc" != repo ] || fail "$f includes the umbrella lib/repo.h"
		l=$(layer "$inc")
		[ -n "$l" ] || fail "$f includes $inc.h, which is not in the table"
		[ "$l" -lt "$own" ] ||
			fail "$f (layer $own) includes $inc.h (layer $l)"
	done
done
[ "$checked" -ge 20 ] || fail "only $checked files checked"
