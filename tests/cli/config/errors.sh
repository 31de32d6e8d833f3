#!/bin/sh
# testr run and testr list-tests refuse a broken .testr.conf as
# testrepository 0.0.20's testr does: the same exit code, the same message
# where testrepository has one, and where it only has a traceback, one line
# naming the file, the line and the option.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
ours=$TESTR_BIN
theirs=$PYTESTR
n=0

# run TOOL DIR ARGS...: exit code in $rc, stderr in DIR/err
run() {
	tool=$1 dir=$2
	shift 2
	rc=0
	(cd "$dir" && "$tool" "$@" > out 2> err) || rc=$?
}

# setup NAME CONFIG: a repository per tool, CONFIG ('' for none) in each
setup() {
	for who in ours theirs; do
		mkdir -p "$tmp/$1/$who"
		tool=$ours
		[ $who = theirs ] && tool=$theirs
		(cd "$tmp/$1/$who" && "$tool" init > /dev/null)
		[ -z "$2" ] || printf '%s' "$2" > "$tmp/$1/$who/.testr.conf"
	done
}

# both_refuse NAME CONFIG MESSAGE CMD...: both tools exit 3 printing MESSAGE
both_refuse() {
	name=$1 conf=$2 msg=$3
	shift 3
	setup "$name" "$conf"
	for who in theirs ours; do
		tool=$ours
		[ $who = theirs ] && tool=$theirs
		run "$tool" "$tmp/$name/$who" "$@"
		[ $rc -eq 3 ] || fail "$name: $who testr $*: exit $rc, not 3"
		grep -qxF -- "$msg" "$tmp/$name/$who/err" ||
			fail "$name: $who testr $*: no '$msg' in: $(cat "$tmp/$name/$who/err")"
	done
	[ "$(wc -l < "$tmp/$name/ours/err")" -eq 1 ] ||
		fail "$name: our error is not one line: $(cat "$tmp/$name/ours/err")"
	n=$((n + 1))
}

# clearer NAME CONFIG MESSAGE CMD...: testrepository fails (exit 3, a
# traceback or a bare message), we exit 3 with exactly MESSAGE
clearer() {
	name=$1 conf=$2 msg=$3
	shift 3
	setup "$name" "$conf"
	run "$theirs" "$tmp/$name/theirs" "$@"
	[ $rc -ne 0 ] || fail "$name: testrepository accepted it"
	run "$ours" "$tmp/$name/ours" "$@"
	[ $rc -eq 3 ] || fail "$name: we exit $rc, not 3"
	[ "$(cat "$tmp/$name/ours/err")" = "$msg" ] ||
		fail "$name: we say '$(cat "$tmp/$name/ours/err")', not '$msg'"
	n=$((n + 1))
}

for cmd in run list-tests; do
	both_refuse "$cmd-missing" '' 'No .testr.conf config file' $cmd
	both_refuse "$cmd-no-command" '[DEFAULT]
test_id_option=--load-list $IDFILE
' 'No test_command option present in .testr.conf' $cmd
	both_refuse "$cmd-no-idoption" '[DEFAULT]
test_command=echo $IDOPTION $LISTOPT
test_list_option=--list
' 'No test_id_option option present in .testr.conf' $cmd
	both_refuse "$cmd-no-listopt" '[DEFAULT]
test_command=echo $LISTOPT
' 'No test_list_option option present in .testr.conf' $cmd
	clearer "$cmd-bad-regex" '[DEFAULT]
test_command=echo $LISTOPT
test_list_option=--list

group_regex=([^.]*\.
' ".testr.conf:5: group_regex: bad regex '([^.]*\\\\.': missing closing parenthesis at offset 8" $cmd
	clearer "$cmd-lone-percent" '[DEFAULT]
test_command=echo 100% $LISTOPT
' ".testr.conf:2: test_command: '%' must be followed by '%' or '(', found: '% \$LISTOPT'" $cmd
	clearer "$cmd-no-header" 'test_command: echo $LISTOPT
' ".testr.conf:1: File contains no section headers: 'test_command: echo \$LISTOPT'" $cmd
done
# A directory where the file should be: testrepository says it has no
# config; we say that and why.
setup dir ''
mkdir "$tmp/dir/ours/.testr.conf" "$tmp/dir/theirs/.testr.conf"
run "$theirs" "$tmp/dir/theirs" run
[ $rc -eq 3 ] && grep -qxF 'No .testr.conf config file' "$tmp/dir/theirs/err" ||
	fail "dir: testrepository: exit $rc, $(cat "$tmp/dir/theirs/err")"
run "$ours" "$tmp/dir/ours" run
[ $rc -eq 3 ] && grep -qxF 'No .testr.conf config file: .testr.conf: is a directory' "$tmp/dir/ours/err" ||
	fail "dir: we: exit $rc, $(cat "$tmp/dir/ours/err")"
echo "ok: $((n + 1)) broken configs refused as testrepository does (or more clearly)"
