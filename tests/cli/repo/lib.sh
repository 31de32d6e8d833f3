# Shared by the repository CLI tests: temp dirs, the two testr, comparisons.
set -eu
PY=/usr/bin/python3
PYTESTR=/usr/bin/testr
MK="$PY $TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py"
T="$TESTR_BIN"
WORK=$(mktemp -d)
[ -n "${KEEP_WORK:-}" ] || trap 'rm -rf "$WORK"' EXIT
fails=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# same LABEL FILE1 FILE2: the two files must be byte for byte equal.
same() {
	checks=$((checks + 1))
	if ! cmp -s "$2" "$3"; then
		fail "$1 differs"
		diff -u "$2" "$3" | head -40 >&2 || true
	fi
}

# expect LABEL WANTED GOT
expect() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: wanted '$2', got '$3'"
}

# A project dir with a .testr.conf (testrepository's last/failing want one).
project() {
	mkdir -p "$1"
	printf '[DEFAULT]\ntest_command=true\n' > "$1/.testr.conf"
}

finish() {
	echo "$checks checks, $fails failures"
	[ "$fails" -eq 0 ]
}
