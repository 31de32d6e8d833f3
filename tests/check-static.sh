#!/bin/sh
# default_library=both installs libtestr.a beside libtestr.so, and
# `pkg-config --static --libs testr` is all a fully static program needs:
# it links (libconfuse, PCRE2, zlib and libm come from Requires.private and
# Libs.private), has no dynamic dependency, and runs.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
fail() { echo "FAIL: $*" >&2; exit 1; }

# A build directory set up before both became the default keeps "shared":
# skip there (meson's 77), saying how to run it.
if ! meson introspect --buildoptions "$TESTR_BUILD_DIR" |
	grep -q '"name": "default_library", "value": "both"'; then
	echo "SKIP: this build has no libtestr.a; meson configure -Ddefault_library=both" >&2
	exit 77
fi
meson install --quiet --no-rebuild -C "$TESTR_BUILD_DIR" --destdir "$root" >/dev/null
pcdir=$(dirname "$(find "$root" -name testr.pc | head -n 1)")
libdir=$(dirname "$pcdir")
[ -f "$libdir/libtestr.a" ] || fail "libtestr.a not installed in $libdir"
[ -f "$libdir/libtestr.so.0" ] || fail "libtestr.so.0 not installed beside it"
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$root"

# Loading a config validates group_regex with PCRE2 and parses with
# libconfuse's option table: the private dependencies are really used.
cat > "$tmp/static.c" <<'C'
#include <stdio.h>
#include <testr/testr.h>

int
main(int argc, char **argv)
{
	struct testr_context *ctx;
	struct testr_config *cfg;

	if (argc != 2 || testr_context_new(&ctx) != 0)
		return 2;
	if (testr_config_load(&cfg, ctx, argv[1]) != 0) {
		printf("error: %s\n", testr_context_error(ctx));
		testr_context_free(ctx);
		return 1;
	}
	printf("%s %s\n", testr_version(), testr_config_get(cfg, "group_regex"));
	testr_config_free(cfg);
	testr_context_free(ctx);
	return 0;
}
C
# shellcheck disable=SC2046
cc -std=c11 -static -o "$tmp/static" "$tmp/static.c" \
	$(pkg-config --static --cflags --libs testr) 2> "$tmp/link.err" ||
	fail "static link failed: $(cat "$tmp/link.err")"
if readelf -d "$tmp/static" | grep -q NEEDED; then
	fail "not static: $(readelf -d "$tmp/static" | grep NEEDED)"
fi
printf '[DEFAULT]\ntest_command=true\ngroup_regex=([^.]*\\.)*\n' > "$tmp/good.conf"
printf '[DEFAULT]\ntest_command=true\ngroup_regex=(\n' > "$tmp/bad.conf"
out=$(env -i "$tmp/static" "$tmp/good.conf") || fail "static program failed: $out"
want="$(pkg-config --modversion testr) ([^.]*\\.)*"
[ "$out" = "$want" ] || fail "static program printed '$out', wanted '$want'"
if out=$(env -i "$tmp/static" "$tmp/bad.conf"); then
	fail "a bad regex loaded: $out"
fi
case $out in *group_regex*) ;; *) fail "bad regex error: $out" ;; esac
echo "ok: a fully static program linked with pkg-config --static and ran"
