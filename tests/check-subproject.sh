#!/bin/sh
# A meson project that uses libtestr as a subproject: dependency('testr',
# fallback: 'libtestr') and dependency('testr-check', fallback: 'libtestr')
# resolve through meson.override_dependency (no dependency variable named),
# and the consumers build and run.
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
testr_check = dependency('testr-check', fallback: 'libtestr')
executable('check_app', 'check_app.c', dependencies: testr_check)
M
cat > check_app.c <<'C'
#include <check.h>

START_TEST(adds)
{
	ck_assert_int_eq(_i + 1, 1 + _i);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *s = suite_create("app");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int status;

	tcase_add_loop_test(tc, adds, 0, 2);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	status = testr_check_main(sr, argc, argv);
	srunner_free(sr);
	return status;
}
C
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
got=$(./b/check_app --list | tr '\n' ' ')
[ "$got" = "app.core.adds#0 app.core.adds#1 " ] ||
	{ echo "FAIL: check_app --list printed '$got'" >&2; exit 1; }
echo "ok: libtestr and libtestr-check as a meson subproject, version $want"
