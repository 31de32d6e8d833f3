# The run area's tests use the shared library.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

# failing_is IDS...: the failing set is exactly IDS (sorted).
failing_is() {
	expect_rc 1 testr failing --list
	printf '%s\n' "$@" | sort > "$tmp/want"
	sort "$tmp/out" > "$tmp/got"
	same "failing set" "$tmp/want" "$tmp/got"
}
