#!/bin/sh
# testr run and testr load reach the same verdict for the same bytes (issue
# 9): both go through the library's one ingest path.  Each stream is what a
# runner printed; run gets it from a test_command that cats it, load from
# the file.  Corrupt or cut streams must fail both ways, as testrepository's
# load fails them.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

streams="$tmp/streams"
mkdir "$streams"
$PY "$TESTR_SOURCE_DIR/tests/cli/subunit/streams.py" "$streams"

# verdict NAME CODE: run and load of stream NAME both exit CODE, and say so.
verdict() {
	name=$1 code=$2 word=PASSED
	[ "$code" = 0 ] || word=FAILED
	mkdir "$tmp/run-$name" "$tmp/load-$name"
	cd "$tmp/run-$name"
	printf '[DEFAULT]\ntest_command=cat "%s"\n' "$streams/$name" > .testr.conf
	testr init > /dev/null
	expect_rc "$code" testr run
	must_have "$tmp/out" "$word (id=0"
	cp "$tmp/out" "$tmp/$name.run"
	expect_rc "$code" testr last
	cd "$tmp/load-$name"
	testr init > /dev/null
	expect_rc "$code" testr load "$streams/$name"
	must_have "$tmp/out" "$word (id=0"
	cp "$tmp/out" "$tmp/$name.load"
	expect_rc "$code" testr last
}

verdict good 0
verdict failing 1
verdict badcrc 1
verdict truncated 1
verdict v1 1
verdict noise 1

# The corrupt stream's failure names what was wrong and where.
must_have "$tmp/badcrc.run" "FAIL: subunit.parser"
must_have "$tmp/badcrc.run" "worker-0: corrupt at byte 13: bad CRC32"
must_have "$tmp/badcrc.load" "corrupt at byte 13: bad CRC32"
must_have "$tmp/truncated.run" "truncated"
# The long v1 test id is a test, not text (item 3).
must_have "$tmp/v1.run" "FAIL: t.xxxxxxxxxx"
must_have "$tmp/v1.load" "FAIL: t.xxxxxxxxxx"
# Nothing a runner prints vanishes.
must_have "$tmp/noise.run" "starting up"
must_have "$tmp/noise.run" "a warning"

# No test ran (nothing, or only a listing): not a pass, and nothing is
# stored, so the failing set of the run before survives.  testrepository
# stores an empty PASSED run here; we do not (testr(1) says so).
for name in empty listing; do
	mkdir "$tmp/none-$name"
	cd "$tmp/none-$name"
	printf '[DEFAULT]\ntest_command=cat "%s"\n' "$streams/$name" > .testr.conf
	testr init > /dev/null
	expect_rc 1 testr load "$streams/failing"
	expect_rc 1 testr run
	must_have "$tmp/err" "reported no tests; nothing was stored"
	expect_rc 1 testr load "$streams/$name"
	must_have "$tmp/err" "held no tests; nothing was stored"
	must_lack "$tmp/out" PASSED
	expect_rc 1 testr load --subunit < "$streams/$name"
	expect_rc 1 testr last
	must_have "$tmp/out" "FAILED (id=0"
	expect_rc 1 testr failing --list
	must_have "$tmp/out" t.fails
done

# A run exported as interrupted stays interrupted when loaded: its index
# agrees with one rebuilt from the run file, and it is not green.
mkdir "$tmp/marked"
cd "$tmp/marked"
testr init > /dev/null
expect_rc 130 testr load "$streams/marked"
expect_rc 130 testr last
must_have "$tmp/out" "INTERRUPTED (id=0)"
rm .testrepository/0.index
expect_rc 130 testr last
must_have "$tmp/out" "INTERRUPTED (id=0)"

# testrepository's load agrees on every v2 stream (it reads no v1).
for name in good failing badcrc truncated noise; do
	mkdir "$tmp/py-$name"
	cd "$tmp/py-$name"
	printf '[DEFAULT]\ntest_command=true\n' > .testr.conf
	$PYTESTR init > /dev/null
	set +e
	$PYTESTR load < "$streams/$name" > "$tmp/py.out" 2>&1
	want=$?
	set -e
	cd "$tmp/load-$name"
	expect_rc "$want" testr last
done

echo "ok: run and load agree on every stream"
