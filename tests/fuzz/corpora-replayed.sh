#!/bin/sh
# corpora-replayed.sh FUZZDIR CORPUS:TARGET...: every FUZZDIR/corpus-*
# directory is named in some CORPUS:TARGET pair of tests/fuzz/meson.build,
# so `meson test` replays it; a new corpus without a target fails here.
set -eu
dir=$1
shift
n=0
for c in "$dir"/corpus-*; do
	[ -d "$c" ] || continue
	name=${c##*/}
	n=$((n + 1))
	found=
	for pair in "$@"; do
		[ "${pair%%:*}" = "$name" ] && found=${pair#*:}
	done
	[ -n "$found" ] || {
		echo "FAIL: tests/fuzz/$name is replayed by no target:" \
			"add it to fuzz_targets in tests/fuzz/meson.build" >&2
		exit 1
	}
	echo "ok: $name -> $found"
done
[ "$n" -gt 0 ] || { echo "FAIL: no corpus found in $dir" >&2; exit 1; }
