#!/bin/sh
# A CMake project's tests through testr-exec (ctest --show-only=json-v1):
# TIMEOUT, ENVIRONMENT, WORKING_DIRECTORY, WILL_FAIL, SKIP_RETURN_CODE, and
# RUN_SERIAL / RESOURCE_LOCK honoured across testr's parallel workers.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
exe="$TESTR_BUILD_DIR/exec/testr-exec"
mkdir "$tmp/p" && cd "$tmp/p"
log="$tmp/p/order"
# Each test logs its start and end; the sleep makes overlaps happen when
# nothing prevents them.
step='echo "start $0" >> "$LOG"; sleep 0.3; echo "end $0" >> "$LOG"'
cat > CMakeLists.txt <<M
cmake_minimum_required(VERSION 3.10)
project(demo NONE)
enable_testing()
foreach(i 1 2 3 4 5 6)
  add_test(NAME par\${i} COMMAND sh -c [[$step]] par\${i})
endforeach()
add_test(NAME serial COMMAND sh -c [[$step]] serial)
add_test(NAME db1 COMMAND sh -c [[$step]] db1)
add_test(NAME db2 COMMAND sh -c [[$step]] db2)
add_test(NAME env COMMAND sh -c "test \"\$DEMO\" = yes")
add_test(NAME here COMMAND sh -c "test -f marker")
add_test(NAME xfail COMMAND sh -c "exit 3")
add_test(NAME skipper COMMAND sh -c "exit 42")
add_test(NAME slow COMMAND sleep 60)
add_test(NAME broken COMMAND sh -c "exit 2")
set_tests_properties(par1 par2 par3 par4 par5 par6 serial db1 db2
  PROPERTIES ENVIRONMENT "LOG=$log")
set_tests_properties(serial PROPERTIES RUN_SERIAL ON)
set_tests_properties(db1 db2 PROPERTIES RESOURCE_LOCK database)
set_tests_properties(env PROPERTIES ENVIRONMENT "DEMO=yes")
set_tests_properties(here PROPERTIES WORKING_DIRECTORY "$tmp/p")
set_tests_properties(xfail PROPERTIES WILL_FAIL ON)
set_tests_properties(skipper PROPERTIES SKIP_RETURN_CODE 42)
set_tests_properties(slow PROPERTIES TIMEOUT 1)
M
touch marker
cmake -S . -B b > /dev/null 2>&1 || fail "cmake failed"
(cd b && ctest --show-only=json-v1) > tests.json || fail "ctest failed"
cat > .testr.conf <<C
[DEFAULT]
test_command="$exe" tests.json \$LISTOPT \$IDOPTION
test_id_option=--load-list \$IDFILE
test_list_option=--list
C
testr init > /dev/null
expect_rc 1 testr run --parallel --concurrency 3
must_have "$tmp/out" "Ran 15 tests"
must_have "$tmp/out" "skips=1"
expect_rc 1 testr failing --list
printf '%s\n' broken slow > want
sort "$tmp/out" > got
same "failing ids" want got

# serial ran alone: nothing started between its start and its end.
sed -n '/^start serial$/,/^end serial$/p' "$log" > during
printf '%s\n' "start serial" "end serial" > want
same "lines while serial ran" want during
# db1 and db2 never overlapped.
grep ' db[12]$' "$log" > db
a=$(sed -n 1p db | cut -d' ' -f2) b=$(sed -n 3p db | cut -d' ' -f2)
expect "db1/db2 order" "start end start end" \
	"$(cut -d' ' -f1 db | tr '\n' ' ' | sed 's/ $//')"
expect "db lock pairs" "$(sed -n 2p db | cut -d' ' -f2)" "$a"
[ "$a" != "$b" ] || fail "one db test ran twice"
echo "ok: CMake project through testr-exec"
