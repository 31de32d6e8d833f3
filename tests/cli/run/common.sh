# Sourced by the run area's CLI tests: a temp dir, a fixture project driven
# by fake_runner, and small assertions.
set -eu
: "${TESTR_BIN:?}" "${TESTR_BUILD_DIR:?}"
RUNNER="$TESTR_BUILD_DIR/tests/cli/run/fake_runner"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
testr() { "$TESTR_BIN" "$@"; }

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

# Does file $1 contain the fixed string $2?
has() { grep -qF -- "$2" "$1"; }
must_have() { has "$1" "$2" || { cat "$1" >&2; fail "$1 lacks '$2'"; }; }
must_lack() { ! has "$1" "$2" || { cat "$1" >&2; fail "$1 has '$2'"; }; }

# project NAME IDS [CONF-LINES]: a fresh project whose runner lists IDS
# (one per line) and logs each runner's ids to $FAKE_LOG.
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
