#!/bin/sh
# testr-exec on a plain "id<TAB>command" list: ids are data (never run by
# the shell), --list is a v2 enumeration, a bad line is a one-line error.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
exe="$TESTR_BUILD_DIR/exec/testr-exec"
cd "$tmp"
printf '# comment\n\nok\ttrue\nweird $(touch pwned); id\ttrue\nno\tfalse\n' > list
cat > .testr.conf <<C
[DEFAULT]
test_command="$exe" list \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
C
testr init > /dev/null
expect_rc 0 testr list-tests
printf '%s\n' no ok 'weird $(touch pwned); id' > want
grep -v "^running=" "$tmp/out" | sort > got
same "listed ids" want got
expect_rc 1 testr run --parallel --concurrency 2
must_have "$tmp/out" "Ran 3 tests"
[ ! -e pwned ] || fail "an id was run by the shell"
expect_rc 1 testr failing --list
expect "failing" "no" "$(cat "$tmp/out")"

printf 'ok\ttrue\nmissing-tab\n' > bad
expect_rc 3 "$exe" --list bad
expect "error" "testr-exec: bad:2: expected id<TAB>command, got 'missing-tab'" \
	"$(cat "$tmp/err")"
printf '[{"name": 1' > bad.json
expect_rc 3 "$exe" --list bad.json
must_have "$tmp/err" "bad.json:1:"
expect_rc 2 "$exe" --format yaml list
must_have "$tmp/err" "unknown --format 'yaml'"
echo "ok: plain lists through testr-exec"
