#!/bin/sh
# Every example .testr.conf in testr.conf(5) loads with libtestr, in the
# syntax it claims, and each libconfuse example means what the INI example
# before it means.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
dump="$TESTR_BUILD_DIR/tests/cli/ecosystem/conf-dump"
page="$TESTR_SOURCE_DIR/man/testr.conf.5"

# Each literal block of EXAMPLES that sets test_command, unescaped.
awk -v dir="$tmp" '
	/^\.Sh EXAMPLES/ { ex = 1 }
	ex && /^\.Bd -literal/ { n++; f = dir "/ex" n; on = 1; next }
	on && /^\.Ed/ { on = 0; next }
	on { print > f }' "$page"
n=0
for f in "$tmp"/ex*; do
	grep -q 'test_command' "$f" || continue
	sed -i 's/\\e/\\/g; s/^\\&//' "$f"
	n=$((n + 1))
	"$dump" "$f" > "$f.out" 2> "$f.err" || fail "example $(basename "$f") does not load: $(cat "$f.err")"
	[ ! -s "$f.err" ] || fail "example $(basename "$f") warns: $(cat "$f.err")"
	if head -n 3 "$f" | grep -q '^\[DEFAULT\]'; then
		grep -qx 'syntax=ini' "$f.out" || fail "$(basename "$f") is not read as INI"
		last_ini="$f.out"
	else
		grep -qx 'syntax=confuse' "$f.out" || fail "$(basename "$f") is not read as libconfuse"
		# Its INI twin may set more options (test_run_concurrency); the
		# ones it sets must be equal.
		grep -v '^syntax=' "$f.out" | while read -r line; do
			grep -qxF -- "$line" "$last_ini" || fail "$(basename "$f"): '$line' differs from the INI example"
		done
	fi
done
[ "$n" -ge 6 ] || fail "only $n example configs found in testr.conf.5"
grep -q '^instance_execute=for f in \$FILES; do podman cp' "$tmp"/ex*.out ||
	fail "continuation lines of the container example lost"
echo "ok: $n example configs load as documented"
