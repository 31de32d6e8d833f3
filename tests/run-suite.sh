#!/bin/sh
# The whole test suite, from a fresh Debian machine: install what is needed,
# build into build/, and run every unit, CLI and interop test.
set -eu
cd "$(dirname "$0")/.."
sh .ci/install-deps
[ -d build ] || meson setup build
meson compile -C build
meson test -C build --print-errorlogs "$@"
