#!/bin/sh
# A meson project that uses libtestr as a subproject: dependency('testr',
# fallback: 'libtestr') resolves through meson.override_dependency (no
# dependency variable named), and the consumer builds and runs.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/app/subprojects"
# A copy of the tree without its build directories or git data.
tar -C "$TESTR_SOURCE_DIR" --exclude='./build*' --exclude=./.git -cf - . |
	(mkdir "$tmp/app/subprojects/libtestr" &&
	 tar -C "$tmp/app/subprojects/libtestr" -xf -)
cd "$tmp/app"
cat > meson.build <<'M'
project('app', 'c', default_options: ['c_std=c11'])
testr = dependency('testr', fallback: 'libtestr',
                   default_options: ['tests=false', 'benchmarks=false'])
executable('app', 'app.c', dependencies: testr)
M
cat > app.c <<'C'
#include <stdio.h>
#include <testr/testr.h>

int
main(void)
{
	printf("%s\n", testr_version());
	return 0;
}
C
meson setup b > setup.log 2>&1 || { cat setup.log >&2; echo "FAIL: setup" >&2; exit 1; }
meson compile -C b > build.log 2>&1 || { tail -30 build.log >&2; echo "FAIL: build" >&2; exit 1; }
got=$(./b/app)
want=$(sed -n "s/^  version: '\(.*\)',$/\1/p" "$TESTR_SOURCE_DIR/meson.build")
[ "$got" = "$want" ] || { echo "FAIL: app printed '$got', wanted '$want'" >&2; exit 1; }
echo "ok: libtestr as a meson subproject, version $got"
