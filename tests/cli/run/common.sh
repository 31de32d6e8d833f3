# The run area's tests use the shared library.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
