#!/bin/sh
# Install into a temporary root, then build and run a program outside the
# tree that knows nothing but `pkg-config testr` and <testr/testr.h>.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"

meson install --quiet --no-rebuild -C "$TESTR_BUILD_DIR" --destdir "$root" >/dev/null
pcdir=$(dirname "$(find "$root" -name testr.pc | head -n 1)")
[ -f "$pcdir/testr.pc" ] || { echo "FAIL: testr.pc not installed" >&2; exit 1; }
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$root"

cat > "$tmp/consumer.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <testr/testr.h>

int
main(void)
{
	struct testr_context *ctx;
	struct testr_strv ids = TESTR_STRV_INIT;

	if (testr_context_new(&ctx) != 0)
		return 1;
	if (testr_strv_push(&ids, "b") || testr_strv_push(&ids, "a") ||
	    testr_strv_push(&ids, "b"))
		return 1;
	testr_strv_sort_unique(&ids);
	printf("%s %zu %s %s\n", testr_version(), ids.n, ids.v[0], ids.v[1]);
	testr_strv_dispose(&ids);
	testr_context_free(ctx);
	return 0;
}
C
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o "$tmp/consumer" "$tmp/consumer.c" \
	$(pkg-config --cflags --libs testr)
libdir=$(dirname "$pcdir")
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/consumer")
ver=$(pkg-config --modversion testr)
[ "$out" = "$ver 2 a b" ] || { echo "FAIL: consumer printed '$out'" >&2; exit 1; }
prefix=$(pkg-config --variable=prefix testr)
incdir=$(pkg-config --variable=includedir testr)
case "$prefix" in "$root"*) ;; *) prefix="$root$prefix"; incdir="$root$incdir" ;; esac
for f in testr.h common.h subunit.h config.h repo.h run.h; do
	[ -f "$incdir/testr/$f" ] || { echo "FAIL: header $f not installed" >&2; exit 1; }
done
[ -x "$prefix/bin/testr" ] || { echo "FAIL: testr not installed" >&2; exit 1; }
echo "ok: installed consumer built with pkg-config and ran: $out"
