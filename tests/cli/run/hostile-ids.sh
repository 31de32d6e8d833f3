#!/bin/sh
# Test ids are data, never shell code (issue 9 item 1).  A corpus of hostile
# ids goes through every instance_execute pattern testr.conf(5) documents or
# a user would write, with $IDLIST and with $IDFILE, from a TMPDIR holding a
# space.  Nothing may execute (canary files), and each id either reaches the
# runner byte for byte or is refused with one error line naming it.
# ssh, scp and podman are fakes that behave as the real tools do locally:
# ssh joins its arguments with spaces and hands them to the remote user's
# shell; podman exec runs its arguments as they are.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

HOSTILE_RUNNER="$TESTR_BUILD_DIR/tests/cli/run/hostile_runner"
canary="$tmp/canary"
mkdir -p "$canary" "$tmp/bin" "$tmp/tmp dir"
export TMPDIR="$tmp/tmp dir" HOSTILE_LOG

cat > "$tmp/bin/ssh" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do case $1 in -*) shift ;; *) break ;; esac; done
shift
exec /bin/sh -c "$*"
EOF
cat > "$tmp/bin/scp" <<'EOF'
#!/bin/sh
exit 0
EOF
cat > "$tmp/bin/podman" <<'EOF'
#!/bin/sh
case $1 in
cp) exit 0 ;;
exec) shift; shift; exec "$@" ;;
esac
exit 125
EOF
chmod +x "$tmp/bin/ssh" "$tmp/bin/scp" "$tmp/bin/podman"
PATH="$tmp/bin:$PATH"

# The corpus: each id ended by a NUL byte.  No id starts or ends with
# white space, which --load-list strips.
cat > "$tmp/corpus.py" <<'EOF'
import sys
c = sys.argv[1]
ids = [
    "x;touch C/c1", "x';touch C/c2;'", 'x";touch C/c3;"', "$(touch C/c4)",
    "`touch C/c5`", "a && touch C/c6", "a || touch C/c7", "a | touch C/c8",
    "a & touch C/c9", "a > C/c10", "a</dev/null;touch C/c11", "*", "?",
    "[a-z]*", "~", "~root", "a b", "a\tb", "\\", "x\\';touch C/c20;\\'",
    "'", '"', "''", '""', "$HOME", "${PATH}", "$IDFILE", "$COMMAND", "-n",
    "--help", "#comment", "{a,b}", "!", "%s%n", "\x1b[31mred", "a\rb",
    "'\"'\"'$(touch C/c42)'\"'\"'", '\\"; touch C/c43; \\"',
    "; touch C/c44 #", "pkg.T.test_x(a)", "test[1-2]",
    "t\u00e9st.\u65e5\u672c", "plain.id-1:2=3@4%5+6,7/8",
    "x" * 100000 + ";touch C/c48",
]
out = sys.stdout.buffer
for i in ids:
    out.write(i.replace("C/", c + "/").encode() + b"\0")
EOF
$PY "$tmp/corpus.py" "$canary" > "$tmp/corpus"
# One corpus where quotes balance, so that a shell that gets them wrong
# still parses the command, and runs the ids.  Then one id that is not
# UTF-8: subunit v2 cannot carry it back as a result, so only its delivery
# is checked.
printf 'x;touch %s/s1\0$(touch %s/s2)\0plain.id\0' "$canary" "$canary" \
	> "$tmp/corpus-small"
{
	cat "$tmp/corpus-small"
	printf 'bad\377\376;touch %s/c49\0' "$canary"
} > "$tmp/corpus-bytes"
total=$(tr -cd '\0' < "$tmp/corpus" | wc -c)
[ "$total" -ge 30 ] || fail "corpus holds $total ids"

# The ids of a NUL-separated file, one per line, sorted.
sorted() { tr '\0' '\n' < "$1" | LC_ALL=C sort; }

# run_corpus NAME IDOPTION EXECUTE CORPUS: run the ids of CORPUS through one
# pattern; sets $rc, $ran (ids the runner got) and $refused.
run_corpus() {
	name=$1 ids=$4
	project "$name" "" "test_command=$HOSTILE_RUNNER \$LISTOPT \$IDOPTION"
	sed -i '/^test_command=.*fake_runner/d; /^test_id_option=/d' .testr.conf
	{
		echo "test_id_option=$2"
		if [ -n "$3" ]; then
			echo "instance_provision=echo host-1"
			printf 'instance_execute=%s\n' "$3"
		fi
	} >> .testr.conf
	HOSTILE_LOG="$tmp/$name/ran"
	: > "$HOSTILE_LOG"
	tr '\0' '\n' < "$ids" > "$tmp/load-list"
	set +e
	testr run --load-list "$tmp/load-list" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	set -e
	[ -z "$(ls -A "$canary")" ] || fail "$name: an id ran as code: $(ls "$canary")"
	refused=$(grep -ac '^error: test id .* needs shell quotes' "$tmp/err" || :)
	ran=$(tr -cd '\0' < "$HOSTILE_LOG" | wc -c)
	# Every id the runner got is one of the corpus, byte for byte.
	sorted "$HOSTILE_LOG" > "$tmp/ran.sorted"
	sorted "$ids" > "$tmp/corpus.sorted"
	[ -z "$(LC_ALL=C comm -23 "$tmp/ran.sorted" "$tmp/corpus.sorted" | head -c 300)" ] ||
		fail "$name: the runner got ids not in the corpus"
	expect "$name: ids run or refused" \
		"$(tr -cd '\0' < "$ids" | wc -c)" "$((ran + refused))"
}

# Where the ids travel whole: every one reaches the runner.
all_ran() {
	expect "$name: refused" 0 "$refused"
	same "$name: the ids the runner got" "$tmp/corpus.sorted" "$tmp/ran.sorted"
}

# Ids needing quotes are refused, each with one error line.
quoted_refused() {
	[ "$refused" -ge 30 ] || fail "$name: only $refused ids refused"
	must_have "$tmp/err" "error: test id 'x;touch "
	must_have "$tmp/out" "FAILED"
	! grep -av -e '^error: test id' -e '^running=' "$tmp/err" | grep -aq 'touch' ||
		fail "$name: an error line was split: $(cat "$tmp/err")"
}

# check NAME IDOPTION EXECUTE ALL: the main corpus, then the non-UTF-8 id.
# ALL is 1 where every id must reach the runner, 0 where those needing
# quotes must be refused.
check() {
	run_corpus "$1" "$2" "$3" "$tmp/corpus"
	if [ "$4" = 1 ]; then
		expect "$name: exit code" 0 "$rc"
		all_ran
	else
		expect "$name: exit code" 1 "$rc"
		quoted_refused
		run_corpus "$1-small" "$2" "$3" "$tmp/corpus-small"
		expect "$name: exit code" 1 "$rc"
		expect "$name: ids run" 1 "$ran"
		return
	fi
	run_corpus "$1-bytes" "$2" "$3" "$tmp/corpus-bytes"
	all_ran
	# The runner cannot report that id, so the run is never green.
	[ "$rc" -ne 0 ] || fail "$name: a result that was never reported passed"
}

for opt in ids file; do
	case $opt in
	ids) idoption='--ids $IDLIST' all=0 ;;
	file) idoption='--load-list $IDFILE' all=1 ;;
	esac
	check "$opt-none" "$idoption" "" 1
	check "$opt-sh-c" "$idoption" "sh -c '\$COMMAND'" 1
	check "$opt-ssh" "$idoption" "ssh \$INSTANCE_ID \"\$COMMAND\"" 1
	check "$opt-podman-sh" "$idoption" \
		"podman exec \$INSTANCE_ID sh -c '\$COMMAND'" 1
	check "$opt-ssh-nested" "$idoption" \
		"ssh -q \$INSTANCE_ID 'sh -c \"\$COMMAND\"'" 1
	# testr.conf(5)'s container and ssh examples.
	check "$opt-man-podman" "$idoption" "for f in \$FILES; do podman cp \"\$f\" \"\$INSTANCE_ID:\$f\"; done;
  podman exec \$INSTANCE_ID sh -c '\$COMMAND'" 1
	check "$opt-man-ssh" "$idoption" "for f in \$FILES; do scp -q \"\$f\" \"\$INSTANCE_ID:\$f\"; done;
  ssh \$INSTANCE_ID \"cd /tmp && \$COMMAND\"" 1
	# A bare $COMMAND may meet a second shell (ssh's): with $IDLIST, ids
	# needing quotes are refused; through $IDFILE they all go.
	# The $IDFILE path holds a space here: refused there, so those runs
	# use a plain TMPDIR.
	TMPDIR="$tmp/plain"
	mkdir -p "$TMPDIR"
	check "$opt-bare" "$idoption" '$COMMAND' "$all"
	check "$opt-bare-podman" "$idoption" 'podman exec $INSTANCE_ID $COMMAND' "$all"
	check "$opt-bare-ssh" "$idoption" 'ssh $INSTANCE_ID $COMMAND' "$all"
	TMPDIR="$tmp/tmp dir"
done
project idfile-space "a.b" 'instance_provision=echo host-1
instance_execute=ssh $INSTANCE_ID $COMMAND'
echo a.b > "$tmp/one"
expect_rc 3 testr run --load-list "$tmp/one"
must_have "$tmp/err" "needs shell quotes, but instance_execute has \$COMMAND unquoted"
expect "one error line" 1 "$(wc -l < "$tmp/err")"
[ ! -e "$FAKE_LOG" ] || fail "the runner ran with a split \$IDFILE path"
echo ok
