#!/bin/sh
# The unit-test harness speaks subunit v2 for testr: ids exactly as --list
# prints them, an inprogress and a final event with timestamps per test,
# --load-list honoured; tests/testr-suite.sh lists every unit program's ids.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
py=$PY
prog="$TESTR_BUILD_DIR/tests/test_strv"
[ -x "$prog" ] || fail "no $prog"

"$prog" --list > "$tmp/ids"
[ -s "$tmp/ids" ] || fail "test_strv lists nothing"
"$prog" --subunit --list | $py /usr/bin/subunit-ls --exists > "$tmp/v2ids"
cmp -s "$tmp/ids" "$tmp/v2ids" || fail "v2 enumeration differs from --list"

"$prog" --subunit > "$tmp/all.v2" || fail "--subunit exited non-zero"
$py "$TESTR_SOURCE_DIR/tests/cli/ecosystem/events.py" "$tmp/all.v2" > "$tmp/events"
# For each id in --list order: inprogress then success, both with a time.
sed 's/$/ inprogress ts -/' "$tmp/ids" > "$tmp/want1"
sed 's/$/ success ts -/' "$tmp/ids" > "$tmp/want2"
paste -d'\n' "$tmp/want1" "$tmp/want2" > "$tmp/want"
cmp -s "$tmp/want" "$tmp/events" || fail "bad --subunit stream: $(diff "$tmp/want" "$tmp/events" | head -n 5)"

head -n 1 "$tmp/ids" > "$tmp/one"
"$prog" --subunit --load-list "$tmp/one" | $py /usr/bin/subunit-ls > "$tmp/ran"
cmp -s "$tmp/one" "$tmp/ran" || fail "--load-list ran $(cat "$tmp/ran")"

# The dogfood command lists each unit program's ids, once.
TESTR_SUITE_BUILD="$TESTR_BUILD_DIR" sh "$TESTR_SOURCE_DIR/tests/testr-suite.sh" --list |
	$py /usr/bin/subunit-ls --exists | sort > "$tmp/suite"
want=0
for p in "$TESTR_BUILD_DIR"/tests/test_*; do
	[ -f "$p" ] && [ -x "$p" ] || continue
	want=$((want + $("$p" --list | wc -l)))
done
[ "$(wc -l < "$tmp/suite")" = "$want" ] || fail "suite lists $(wc -l < "$tmp/suite"), programs hold $want"
[ "$(sort -u "$tmp/suite" | wc -l)" = "$want" ] || fail "duplicate ids in the suite listing"
grep -qx "$(head -n 1 "$tmp/ids")" "$tmp/suite" || fail "suite listing lacks test_strv's ids"
echo "ok: harness subunit v2 with times; suite lists $want ids"
