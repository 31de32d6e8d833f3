#!/bin/sh
# examples/api-example.c, the program in libtestr(3), builds against an
# installed libtestr with nothing but pkg-config, and runs the check project:
# lists, partitions by recorded durations, runs the workers, stores the run.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
src="$TESTR_SOURCE_DIR"

# The man page shows exactly this program.
awk '/^\.Sh EXAMPLES/ { ex = 1 } ex && /^\.Bd -literal/ { on = 1; next }
     on && /^\.Ed/ { exit } on' "$src/man/libtestr.3" |
	sed 's/\\e/\\/g; s/^\\&//' > "$tmp/from-man.c"
cmp -s "$tmp/from-man.c" "$src/examples/api-example.c" ||
	fail "libtestr.3's example differs from examples/api-example.c: $(diff "$tmp/from-man.c" "$src/examples/api-example.c" | head -n 5)"

root="$tmp/root"
meson install --quiet --no-rebuild -C "$TESTR_BUILD_DIR" --destdir "$root" >/dev/null
pcdir=$(dirname "$(find "$root" -name testr.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$root"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/api-example" "$src/examples/api-example.c" \
	$(pkg-config --cflags --libs testr) || fail "api-example.c does not build"
export LD_LIBRARY_PATH="$(dirname "$pcdir")"

mkdir "$tmp/proj"
cp -R "$src/examples/check-project/." "$tmp/proj/"
cd "$tmp/proj"
make -s clean
make -s
n=$(./tests/test_numkit --list | wc -l)
"$TESTR_BIN" init > /dev/null

"$tmp/api-example" > out1 || fail "api-example exited $?: $(cat out1)"
grep -qx "$n passed, 0 failed" out1 || fail "first run: $(tail -n 1 out1)"
[ "$(grep -c '^success ' out1)" = "$n" ] || fail "not one line per test"
# It stored the run: testr reads it back, with durations.
"$TESTR_BIN" last > last.out || fail "testr last after api-example: $(cat last.out)"
grep -q "^Ran $n tests" last.out || fail "stored run: $(cat last.out)"
"$TESTR_BIN" slowest | grep -q '^numkit\.primes\.' || fail "no durations stored"
grep -q 'test_numkit' .testrepository/startup ||
	fail "the run recorded no start-up cost: $(cat .testrepository/startup 2>&1)"

# Failures: exit 1, and the failing test named.
make -s clean
make -s BUG=1
set +e
"$tmp/api-example" > out2
rc=$?
set -e
[ "$rc" = 1 ] || fail "with a bug api-example exited $rc"
grep -q '^fail    numkit.roman.roman_encodes_subtractive_pairs$' out2 || fail "failure not shown: $(cat out2)"

# Errors: exit 3 and one line naming the problem.
rm .testr.conf
set +e
"$tmp/api-example" > out3 2> err3
rc=$?
set -e
[ "$rc" = 3 ] || fail "without .testr.conf api-example exited $rc"
grep -q 'testr.conf' err3 || fail "error does not name the config: $(cat err3)"
echo "ok: api-example built with pkg-config, ran $n tests, stored them"
