#!/bin/sh
# A test command with no shell syntax at all runs its program directly,
# without /bin/sh in between (one exec and one process less per runner),
# with exactly the argv the shell would give it; any shell syntax (quotes,
# redirections, `;`, $VAR, globs, a builtin) still goes through
# `/bin/sh -c`, as in testrepository.  Test ids are data either way.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

mkdir -p "$tmp/bin"
export ARGV_LOG="$tmp/argv"
# Logs its arguments (each ended by '|'), then runs fake_runner on all
# but the first three.
cat > "$tmp/bin/argv_runner" <<EOF
#!/bin/sh
for a in "\$@"; do printf '%s|' "\$a"; done >> "\$ARGV_LOG"
echo >> "\$ARGV_LOG"
shift 3
exec "$RUNNER" "\$@"
EOF
chmod +x "$tmp/bin/argv_runner"
argv_runner="$tmp/bin/argv_runner"
tab=$(printf '\t')

# run_with NAME COMMAND: a parallel run of two tests with COMMAND as
# test_command; leaves the normalised argv log in $tmp/NAME.argv and
# the debug log in $tmp/NAME.err.
run_with() {
	project "$1" "a.one
b.two" > /dev/null
	sed -i '/^test_command=/d' .testr.conf
	# (ConfigParser: % is written %%.)
	printf 'test_command=%s\n' "$(printf '%s' "$2" | sed 's/%/%%/g')" \
		>> .testr.conf
	rm -f "$ARGV_LOG"
	expect_rc 0 testr -v run --parallel --concurrency 2
	cp "$tmp/err" "$tmp/$1.err"
	sed 's/--load-list|[^|]*|/--load-list|IDFILE|/' "$ARGV_LOG" | sort \
		> "$tmp/$1.argv"
	expect "$1: runners" 3 "$(wc -l < "$tmp/$1.argv" | tr -d ' ')"
}

# spawns NAME HOW: every spawn of run NAME was HOW ("exec" or "/bin/sh").
spawns() {
	n=$(grep -c '^debug: spawn: pid ' "$tmp/$1.err")
	expect "$1: spawns" 3 "$n"
	case $2 in
	exec) re='^debug: spawn: pid [0-9]+: exec [^ ]*/argv_runner \(no shell\): ' ;;
	*) re='^debug: spawn: pid [0-9]+: /bin/sh -c ' ;;
	esac
	expect "$1: spawns by $2" 3 "$(grep -Ec "$re" "$tmp/$1.err")"
}

# Plain words, blanks and tabs between them: run directly.
run_with plain "$argv_runner  a,b${tab}x=y  %@:+ \$LISTOPT \$IDOPTION"
spawns plain exec
must_have "$tmp/plain.argv" "a,b|x=y|%@:+|--list|"
must_have "$tmp/plain.argv" "a,b|x=y|%@:+|--load-list|IDFILE|"
# Found on PATH as the shell finds it.
PATH="$tmp/bin:$PATH" run_with on-path "argv_runner a,b x=y %@:+ \$LISTOPT \$IDOPTION"
spawns on-path exec
same "the argv found on PATH" "$tmp/plain.argv" "$tmp/on-path.argv"

# Every kind of shell syntax goes through sh, and sh gives the runner the
# same argv as the direct exec did.
export ARGV_RUNNER="$argv_runner"
k=0
for cmd in \
	"exec $argv_runner a,b x=y %@:+ \$LISTOPT \$IDOPTION" \
	"$argv_runner 'a,b' \"x=y\" %@:+ \$LISTOPT \$IDOPTION" \
	"$argv_runner a,b x=y %@:+ \$LISTOPT \$IDOPTION 2>>$tmp/stderr" \
	": ; $argv_runner a,b x=y %@:+ \$LISTOPT \$IDOPTION" \
	"\$ARGV_RUNNER a,b x=y %@:+ \$LISTOPT \$IDOPTION" \
	"$tmp/bin/argv_runne? a,b x=y %@:+ \$LISTOPT \$IDOPTION" \
	"X=1 $argv_runner a,b x=y %@:+ \$LISTOPT \$IDOPTION"; do
	k=$((k + 1))
	run_with "sh$k" "$cmd"
	spawns "sh$k" /bin/sh
	same "the argv through sh ($cmd)" "$tmp/plain.argv" "$tmp/sh$k.argv"
done

# Ids with shell metacharacters are data in a runner run directly: they
# reach it through $IDFILE byte for byte, and nothing they say runs (no
# spaces in them: $FAKE_LOG separates ids by spaces).
ids='semi;touch${IFS}canary1
dollar$(touch${IFS}canary2)
tick`touch${IFS}canary3`
quote'"'"'x"y
glob*?[a]
redirect>canary4'
project hostile "$ids" > /dev/null
expect_rc 0 testr -v run --parallel --concurrency 2
grep -Eq '^debug: spawn: pid [0-9]+: exec [^ ]*/fake_runner \(no shell\): .*--load-list' "$tmp/err" ||
	fail "the runner of the hostile ids was not run directly"
for f in canary1 canary2 canary3 canary4; do
	[ ! -e "$f" ] && [ ! -e "$tmp/$f" ] || fail "an id ran as code: $f exists"
done
printf '%s\n' "$ids" | sort > "$tmp/want"
tr ' ' '\n' < "$FAKE_LOG" | sed 's/^[0-9]*://' | grep -v '^$' | sort > "$tmp/got"
same "the hostile ids the runners got" "$tmp/want" "$tmp/got"

# The runner gets the environment sh would pass on.  An exported bash
# function (BASH_FUNC_f%%, as module systems export), a name sh drops,
# or a variable sh sets itself leaves the command to sh (testr used to
# free its plan twice then, and abort).
cat > "$tmp/bin/env_runner" <<EOF
#!/bin/sh
env | grep -v '^_=' | sort > "\$ENV_LOG.\$\$"
exec "$RUNNER" "\$@"
EOF
chmod +x "$tmp/bin/env_runner"
export ENV_LOG="$tmp/env.log"
k=0
for var in 'BASH_FUNC_f%%=() {  echo f; }' 'A-B=1' 'IFS=:' 'PPID=1'; do
	k=$((k + 1))
	project "env$k" "a.one" > /dev/null
	sed -i '/^test_command=/d' .testr.conf
	echo "test_command=$tmp/bin/env_runner \$LISTOPT \$IDOPTION" >> .testr.conf
	rm -f "$ENV_LOG".*
	expect_rc 0 env "$var" "$TESTR_BIN" -v run --parallel --concurrency 1
	must_lack "$tmp/err" "(no shell)"
	env "$var" /bin/sh -c 'env | grep -v "^_=" | sort' |
		grep -v '^PPID=' > "$tmp/env-want"
	for f in "$ENV_LOG".*; do
		grep -v '^PPID=' "$f" > "$tmp/env-got"
		same "the runner's environment with $var" "$tmp/env-want" \
			"$tmp/env-got"
	done
done

# A runner that is not there fails as it does through the shell.
k=0
for cmd in "/nonexistent/runner" "'/nonexistent/runner'"; do
	k=$((k + 1))
	project "missing$k" "a.one" "test_command=$cmd \$LISTOPT \$IDOPTION" > /dev/null
	sed -i '0,/^test_command=/{/^test_command=/d}' .testr.conf
	expect_rc 3 testr run --parallel
	must_have "$tmp/err" "not found"
	must_have "$tmp/err" "Non-zero exit code (127) from test listing."
done
echo ok
