#!/bin/sh
# Interop: libtestr's subunit codec against the real python-subunit tools and
# testrepository 0.0.20.  Every comparison is of whole canonical event lists
# (tests/subunit-record.h), printed by our decoder (subunit-events) and by
# python-subunit (python-events.py).
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
py=$PY
here="$TESTR_SOURCE_DIR/tests/cli/subunit"
ev="$TESTR_BUILD_DIR/tests/cli/subunit/subunit-events"
cd "$tmp"

# Our view of FILE (extra args: decoder options) must equal python's view of
# the v2 stream PYFILE.
same_events() {
	name=$1 file=$2 pyfile=$3
	shift 3
	"$ev" "$@" "$file" > "$name.ours" 2> "$name.corrupt"
	"$py" "$here/python-events.py" < "$pyfile" > "$name.theirs"
	if ! cmp -s "$name.ours" "$name.theirs"; then
		diff -u "$name.theirs" "$name.ours" | head -20 >&2
		fail "$name: events differ from python-subunit's"
	fi
	# expect_corrupt: the one report the input deserves, if any.
	if [ -n "${expect_corrupt:-}" ]; then
		grep -q "$expect_corrupt" "$name.corrupt" ||
			fail "$name: no report of: $expect_corrupt"
	elif [ -s "$name.corrupt" ]; then
		cat "$name.corrupt" >&2
		fail "$name: corruption reported"
	fi
	[ -s "$name.ours" ] || fail "$name: no events at all"
}

# 1. A real run: python -m subunit.run (v2, with noise from a print).
cp "$here/fixture/test_sample.py" .
"$py" -m subunit.run test_sample > run.v2
same_events run-v2 run.v2 run.v2
for chunk in 1 7 4096; do
	"$ev" --chunk $chunk run.v2 > "run-$chunk.ours" 2>/dev/null
	cmp -s "run-$chunk.ours" run-v2.ours ||
		fail "run.v2 fed in $chunk-byte chunks decodes differently"
done
grep -q 'status=fail id=test_sample.Sample.test_error' run-v2.ours ||
	fail "run.v2: the failing test is missing"
grep -q 'file=stdout bytes=printed' run-v2.ours ||
	fail "run.v2: the printed line is missing"

# 2. subunit-2to1 (v1 with time: and multipart details), read as v1 and
# compared with what subunit-1to2 makes of it.
subunit-2to1 < run.v2 > run.v1
subunit-1to2 < run.v1 > run.v1.v2
same_events run-v1 run.v1 run.v1.v2
grep -q '^test: ' run.v1 || fail "subunit-2to1 wrote no v1 tests"

# ... and a hand-written v1 stream with every command, both detail forms, a
# scoped tag change, noise and a stream that ends inside details.
subunit-1to2 < "$here/fixture/every-feature.v1" > every.v2
expect_corrupt='stream ended inside a test' \
	same_events every-v1 "$here/fixture/every-feature.v1" every.v2

# 3. subunit-1to2 output, read as v2.
same_events run-1to2 run.v1.v2 run.v1.v2

# 4. The StreamResultToBytes API with every field, flag, status and length
# size, plus noise (including a 0xb3 inside a UTF-8 character).
"$py" - > api.v2 <<'EOF'
import datetime, sys
from subunit.v2 import StreamResultToBytes
from subunit import iso8601
out = sys.stdout.buffer
s = StreamResultToBytes(out)
ts = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=iso8601.Utc())
for i, st in enumerate([None, 'exists', 'inprogress', 'success',
                        'uxsuccess', 'skip', 'fail', 'xfail']):
    s.status(test_id='t.%d' % i, test_status=st, runnable=bool(i % 2),
             timestamp=ts if i % 3 else None, route_code='0/%d' % i,
             test_tags={'worker-%d' % i, 'b'} if i % 2 else None)
    out.write(('print %d \u00b3\n' % i).encode('utf8'))
    out.flush()
for size in (0, 40, 100, 20000, 5000000 // 2):
    s.status(test_id='files', file_name='f%d' % size, file_bytes=b'x' * size,
             mime_type='application/octet-stream', eof=size > 100)
s.status(test_id='\u00e9t\u00e9', test_status='fail', timestamp=ts)
EOF
same_events api api.v2 api.v2

# 5. Streams we encode are streams python reads the same way, and the
# python tools count them the same.
for s in run.v2 api.v2; do
	"$ev" --reencode "$s" > "$s.ours.v2"
	same_events "reencoded-$s" "$s.ours.v2" "$s"
done
"$ev" --reencode run.v1 > run.v1.ours.v2
same_events reencoded-v1 run.v1.ours.v2 run.v1.v2
for tool in subunit-ls subunit-stats; do
	"$tool" < run.v2 > "$tool.theirs" 2>&1 || true
	"$tool" < run.v2.ours.v2 > "$tool.ours" 2>&1 || true
	cmp -s "$tool.ours" "$tool.theirs" ||
		fail "$tool counts our stream differently"
done
grep -q 'Total tests: *7' subunit-stats.ours ||
	fail "subunit-stats: $(cat subunit-stats.ours)"
subunit2pyunit < run.v2 2>&1 | grep -E '^(Ran|FAILED|OK)' |
	sed 's/ in .*//' > pyunit.theirs || true
subunit2pyunit < run.v2.ours.v2 2>&1 | grep -E '^(Ran|FAILED|OK)' |
	sed 's/ in .*//' > pyunit.ours || true
cmp -s pyunit.ours pyunit.theirs && [ -s pyunit.ours ] ||
	fail "subunit2pyunit: $(cat pyunit.ours) vs $(cat pyunit.theirs)"

# 6. A run stored by testrepository 0.0.20 (v1 on disk) reads back with the
# same ids, statuses, durations and attachments as the run it stored.
mkdir repo && cd repo
/usr/bin/testr init > /dev/null
printf '[DEFAULT]\ntest_command=%s -m subunit.run discover . $LISTOPT $IDOPTION\ntest_id_option=--load-list $IDFILE\ntest_list_option=--list\n' "$py" > .testr.conf
/usr/bin/testr load < ../run.v2 > /dev/null 2>&1 || true
[ -f .testrepository/0 ] || fail "testr load stored no run"
subunit-1to2 < .testrepository/0 > stored.v2
same_events stored .testrepository/0 stored.v2
# id, outcome, duration in microseconds and attachments, per test.
summary() {
	awk '
	function us(ts) { split(ts, p, "."); return p[1] * 1000000 + p[2] }
	{
		id = ""; st = ""; ts = ""; file = ""; data = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^id=/) id = substr($i, 4)
			if ($i ~ /^status=/) st = substr($i, 8)
			if ($i ~ /^ts=/) ts = substr($i, 4)
			if ($i ~ /^file=/) file = substr($i, 6)
			if ($i ~ /^bytes=/) data = substr($i, 7)
		}
		if (id == "") next
		# An attachment may come in several chunks: join them.
		if (file != "" && index(files[id], " " file "=") == 0)
			files[id] = files[id] " " file "="
		if (file != "") content[id, file] = content[id, file] data
		if (st == "inprogress") start[id] = us(ts)
		else if (file == "" && st != "exists") {
			out = id " " st " " (us(ts) - start[id])
			n = split(files[id], names, " ")
			for (k = 1; k <= n; k++)
				out = out " " names[k] \
				    content[id, substr(names[k], 1,
							length(names[k]) - 1)]
			print out
		}
	}' "$1" | sort
}
summary stored.ours > stored.summary
summary ../run-v2.ours > run.summary
# Durations may differ by 1 us: each stored v1 "time:" line is rounded to
# the microsecond on its own.  Everything else must match exactly.
same_within_1us() {
	awk 'NR == FNR { a[FNR] = $0; n = FNR; next }
	{
		split(a[FNR], x, " "); split($0, y, " ")
		d = x[3] - y[3]
		if (x[1] != y[1] || x[2] != y[2] || d > 1 || d < -1) exit 1
		sub(/^[^ ]* [^ ]* [^ ]*/, "", $0); r = a[FNR]
		sub(/^[^ ]* [^ ]* [^ ]*/, "", r)
		if (r != $0) exit 1
	}
	END { if (FNR != n) exit 1 }' "$1" "$2"
}
same_within_1us stored.summary run.summary || {
	fail "the stored run reads back differently"
	diff -u run.summary stored.summary >&2 || true
}
[ "$(wc -l < stored.summary)" -eq 7 ] || fail "stored run: not 7 tests"
cd ..

echo "ok: subunit interop"
