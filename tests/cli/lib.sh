# The one shell library of the CLI tests: source it first.
#   . "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
# It gives a temp dir ($tmp, removed on exit unless KEEP_WORK is set), the
# built testr as `testr`, and assertions that stop the test at the first
# failure with one line saying what was wrong.
set -eu
: "${TESTR_BIN:?}" "${TESTR_BUILD_DIR:?}" "${TESTR_SOURCE_DIR:?}"
RUNNER="$TESTR_BUILD_DIR/tests/cli/run/fake_runner"
PY=/usr/bin/python3
PYTESTR=/usr/bin/testr
tmp=$(mktemp -d)
[ -n "${KEEP_WORK:-}" ] || trap 'rm -rf "$tmp"' EXIT
testr() { "$TESTR_BIN" "$@"; }
# Plain progress lines come by the clock: on a loaded machine a slow run
# would add one to stderr.  Tests of the progress line set it themselves.
export TESTR_PROGRESS_INTERVAL=0

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_rc CODE CMD...: run CMD (output to $tmp/out and $tmp/err).
expect_rc() {
	want=$1
	shift
	set +e
	"$@" > "$tmp/out" 2> "$tmp/err"
	got=$?
	set -e
	[ "$got" = "$want" ] || {
		cat "$tmp/out" "$tmp/err" >&2
		fail "'$*' exited $got, expected $want"
	}
}

# expect LABEL WANTED GOT: two strings must be equal.
expect() {
	[ "$2" = "$3" ] || fail "$1: wanted '$2', got '$3'"
}

# same LABEL FILE1 FILE2: the two files must be byte for byte equal.
same() {
	cmp -s "$2" "$3" || {
		diff -u "$2" "$3" | head -40 >&2
		fail "$1 differs"
	}
}

# Does file $1 contain the fixed string $2?
has() { grep -qF -- "$2" "$1"; }
must_have() { has "$1" "$2" || { cat "$1" >&2; fail "$1 lacks '$2'"; }; }
must_lack() { ! has "$1" "$2" || { cat "$1" >&2; fail "$1 has '$2'"; }; }

# start_with_sigint CMD...: run CMD in the background, its pid in $pid and
# its output in $tmp/out and $tmp/err, with SIGINT at its default as in a
# foreground command: sh starts background jobs with SIGINT ignored, and
# testr, like testrepository, keeps an ignored SIGINT ignored.  CMD is
# looked up in PATH, so `start_with_sigint env VAR=VALUE testr ...` works.
start_with_sigint() {
	"$PY" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@" > "$tmp/out" 2> "$tmp/err" &
	pid=$!
}

# signal_and_wait SIG: send SIG to the background command $pid and wait for
# it to end; its exit status in $rc.  One still running 30 s later is
# killed and the test fails: the signal did not stop it.
signal_and_wait() {
	kill -"$1" "$pid" || fail "process $pid ended before SIG$1 was sent"
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || {
			kill -9 "$pid"
			fail "SIG$1 did not stop process $pid within 30 s"
		}
		sleep 0.05
	done
	set +e
	wait "$pid"
	rc=$?
	set -e
}

# project NAME IDS [CONF-LINES]: a fresh project in $tmp/NAME (and cd there)
# whose runner, fake_runner, lists IDS (one per line) and logs each
# runner's ids to $FAKE_LOG.
project() {
	dir="$tmp/$1"
	mkdir -p "$dir"
	cd "$dir"
	printf '%s\n' "$2" > tests
	{
		echo '[DEFAULT]'
		echo "test_command=$RUNNER \$LISTOPT \$IDOPTION"
		echo 'test_id_option=--load-list $IDFILE'
		echo 'test_list_option=--list'
		[ $# -lt 3 ] || printf '%s\n' "$3"
	} > .testr.conf
	export FAKE_TESTS="$dir/tests" FAKE_LOG="$dir/log"
	rm -f "$FAKE_LOG"
	testr init > /dev/null
}

# The ids each runner received, one runner per line, each line sorted.
partitions() {
	[ -f "$FAKE_LOG" ] || return 0
	sed 's/^[0-9]*://' "$FAKE_LOG" | while read -r line; do
		printf '%s\n' $line | sort | tr '\n' ' ' | sed 's/ $//'
		echo
	done | sort
}
