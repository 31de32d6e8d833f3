#!/bin/sh
# testr --help, help [COMMAND], commands, quickstart and --version work and
# agree; unknown commands and options give one line with a hint and exit 2.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
t="$TESTR_BIN"
cd "$tmp"

# expect_rc writes $tmp/out and $tmp/err: out and err here.
expect_rc 0 "$t" --help
grep -q '^Usage: testr ' out || fail "--help has no usage line"
cp out overview
expect_rc 0 "$t"
cmp -s out overview || fail "bare testr differs from --help"
expect_rc 0 "$t" help
cmp -s out overview || fail "testr help differs from --help"
[ ! -s err ] || fail "help wrote to stderr: $(cat err)"

expect_rc 0 "$t" --version
ver=$(cat out)
case "$ver" in "testr "[0-9]*.[0-9]*) ;; *) fail "--version printed '$ver'" ;; esac

# Every listed command has help, and both spellings print the same text.
expect_rc 0 "$t" commands
sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' out | grep -v '^command$' > names
[ "$(wc -l < names)" -ge 11 ] || fail "commands lists $(wc -l < names) commands"
for c in init run list-tests load last failing slowest stats help commands quickstart; do
	grep -qx "$c" names || fail "commands does not list $c"
	grep -q "^  $c " overview || fail "the overview does not list $c"
done
while read -r c; do
	expect_rc 0 "$t" help "$c"
	grep -q "^Usage: testr $c" out || fail "help $c: no usage line"
	cp out help1
	expect_rc 0 "$t" "$c" --help
	cmp -s out help1 || fail "'$c --help' differs from 'help $c'"
	expect_rc 0 "$t" "$c" -h
	cmp -s out help1 || fail "'$c -h' differs from 'help $c'"
	awk -v c="$c" 'length > 80 { print "help " c ": line over 80 columns: " $0; bad = 1 }
		END { exit bad }' out >&2 || exit 1
done < names
expect_rc 0 "$t" help run
for o in --parallel --concurrency --failing --load-list --partial --subunit \
	 --until-failure --isolated --analyze-isolation --color; do
	grep -q -- "^  $o" out || fail "help run does not document $o"
done

expect_rc 0 "$t" quickstart
grep -q 'testr init' out && grep -q 'testr run --parallel' out &&
	grep -q 'test_command=' out || fail "quickstart misses a step"

# Unknown commands and options: exit 2, one line on stderr, a hint.
expect_rc 2 "$t" rnu
[ "$(wc -l < err)" = 1 ] || fail "unknown command: not one line: $(cat err)"
grep -q "did you mean 'run'" err || fail "no hint for rnu: $(cat err)"
[ ! -s out ] || fail "unknown command wrote to stdout"
expect_rc 2 "$t" frobnicate
grep -q "testr commands" err || fail "no pointer to the command list: $(cat err)"
expect_rc 2 "$t" help rnu
grep -q "did you mean 'run'" err || fail "help rnu: $(cat err)"
expect_rc 2 "$t" --verison
grep -q "did you mean '--version'" err || fail "no hint for --verison: $(cat err)"
expect_rc 2 "$t" commands --bogus
[ "$(wc -l < err)" = 1 ] || fail "unknown option: not one line: $(cat err)"
# Every command reports an unknown option the same way, with a hint.
while read -r c; do
	expect_rc 2 "$t" "$c" --bogus-option
	[ "$(wc -l < err)" = 1 ] || fail "$c --bogus-option: not one line: $(cat err)"
	grep -q "unknown option '--bogus-option'" err || fail "$c: $(cat err)"
done < names
expect_rc 2 "$t" run --paralel
grep -q "did you mean '--parallel'" err || fail "no hint for run --paralel: $(cat err)"
expect_rc 2 "$t" quickstart extra
expect_rc 2 "$t" help run extra
expect_rc 2 "$t" -d
expect_rc 3 "$t" -d "$tmp/missing" stats
grep -q "missing" err || fail "-d error does not name the directory"

# Global options may come before the command, as in testrepository.
expect_rc 0 "$t" -q help run
grep -q '^Usage: testr run' out || fail "-q help run"
echo "ok: help, commands, quickstart, --version and usage errors"
