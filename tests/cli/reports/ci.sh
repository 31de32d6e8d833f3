#!/bin/sh
# testr last/run --ci: GitHub Actions annotations and step summary, GitLab
# collapsed sections and JUnit hint, nothing without a CI.  Hostile ids and
# tracebacks try to forge workflow commands, end sections and inject
# Markdown/HTML; each must come through as inert text.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY GITLAB_CI

mkdir "$tmp/p" && cd "$tmp/p"
testr init > /dev/null
"$PY" - > stream <<'PY'
import datetime, sys
from subunit import StreamResultToBytes
out = StreamResultToBytes(sys.stdout.buffer)
at = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
def test(tid, *statuses, tb=b''):
    for st in statuses:
        out.status(test_id=tid, test_status='inprogress', timestamp=at)
        if tb and st != 'success':
            out.status(test_id=tid, file_name='traceback', file_bytes=tb,
                       mime_type='text/x-traceback; charset=utf8', eof=True,
                       timestamp=at)
        out.status(test_id=tid, test_status=st, timestamp=at)
test('pkg.ok', 'success')
test('pkg.plain', 'fail', tb=b'AssertionError: 1 != 2\n')
test('pkg.gh%0A::error::forged, title=x:y\nnewline\rcr', 'fail',
     tb=b'line 1\n::error::forged from a traceback\n%0A::warning::x\n')
test('pkg.gl\x1b[0Ksection_end:1:testr_failure_1\r\x1b[0K', 'fail',
     tb=b'\x1b[0Ksection_start:1:evil\r\x1b[0Kboo\n')
test('pkg.md</code></summary><script>x</script>|`', 'fail',
     tb=b'```\n</details>\n# heading\n````\n')
test('pkg.flaky', 'fail', 'success', tb=b'flake\n')
test('pkg.bad\xc3\x28utf8', 'fail', tb=b'\xff\xfe bytes\n')
PY
expect_rc 1 testr load stream

# No CI in the environment: --ci adds nothing.
expect_rc 1 testr last
cp "$tmp/out" plain.out
expect_rc 1 testr last --ci
same "testr last --ci without a CI" plain.out "$tmp/out"

# GitHub Actions: one ::error per failure, ::warning for the flaky test,
# the step summary appended (what was there stays).
echo "earlier step" > summary.md
expect_rc 1 env GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$tmp/p/summary.md" \
	"$TESTR_BIN" last --ci
cp "$tmp/out" gh.out
"$PY" - gh.out summary.md <<'PY' || fail "GitHub annotations / summary"
import re, sys
lines = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace').split('\n')
# testr stops workflow commands before it shows test output, and resumes
# them for its annotations: the forged lines fall in between.
stop = lines[0]
assert stop.startswith('::stop-commands::') and len(stop) == 17 + 32, stop
resume = lines.index('::' + stop[17:] + '::')
assert any('::error::forged' in l for l in lines[1:resume])
cmds = [l for l in lines[resume + 1:] if l.startswith('::')]
def data(s):
    return s.replace('%0A', '\n').replace('%0D', '\r').replace('%25', '%')
def prop(s):
    return data(s.replace('%3A', ':').replace('%2C', ','))
errors, warnings = {}, {}
for c in cmds:
    m = re.fullmatch(r'::(error|warning) title=([^:,]*)::(.*)', c)
    assert m, c
    (errors if m[1] == 'error' else warnings)[prop(m[2])] = data(m[3])
gh = 'pkg.gh%0A::error::forged, title=x:y\nnewline\rcr'
assert sorted(errors) == sorted(['pkg.plain', gh,
    'pkg.gl\\x1b[0Ksection_end:1:testr_failure_1\r\\x1b[0K',
    'pkg.md</code></summary><script>x</script>|`',
    'pkg.bad\xc3(utf8']), sorted(errors)
assert list(warnings) == ['pkg.flaky'], warnings
assert errors[gh] == gh + ' failed\nline 1\n::error::forged from a ' \
    'traceback\n%0A::warning::x\n', repr(errors[gh])
assert errors['pkg.plain'] == 'pkg.plain failed\nAssertionError: 1 != 2\n'
assert warnings['pkg.flaky'] == 'pkg.flaky flaky\nflake\n'
assert '\\xff\\xfe bytes' in errors['pkg.bad\xc3(utf8']
# Everything else testr printed is the summary: no other line is a command.
md = open(sys.argv[2], encoding='utf-8').read()
assert md.startswith('earlier step\n### testr: run 0 FAILED\n'), md[:80]
assert '| 7 | 1 | 5 | 0 | 0 | 1 | 0 |' in md, md
assert '<script>' not in md and '&lt;script&gt;' in md
assert '<code>pkg.md&lt;/code&gt;&lt;/summary&gt;' in md
# The traceback with ``` and ```` sits in a longer fence, untouched.
assert '`````text\n```\n</details>\n# heading\n````\n`````\n' in md, md
assert md.count('<details><summary>') == md.count('\n</details>\n\n') == 6
PY

# testr run --ci on GitHub: annotations after the run's own summary.
project run "$(printf 'a.ok\nb.fail\n')"
expect_rc 1 env GITHUB_ACTIONS=true "$TESTR_BIN" run --ci
must_have "$tmp/out" "::error title=b.fail::b.fail failed"
[ "$(grep -c '^::error' "$tmp/out")" = 1 ] || fail "one annotation for b.fail"
[ "$(sed -n 1p "$tmp/out" | cut -c1-17)" = "::stop-commands::" ] ||
	fail "run --ci does not stop workflow commands first"
# With --subunit on stdout, the annotations go to stderr.
expect_rc 0 env GITHUB_ACTIONS=true "$TESTR_BIN" run --ci --subunit
must_lack "$tmp/out" "::error"
must_have "$tmp/err" "::error title=b.fail::"
cd "$tmp/p"

# GitLab: a collapsed section per failed or flaky test; no id, traceback
# or other test output opens or closes one (GitLab reads a marker anywhere
# in a line: gitlab.py checks the whole log as its regex would); the JUnit
# hint names the report.
cat > gitlab.py <<'PY'
import re, sys
want = int(sys.argv[2])
s = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace')
marker = re.compile(r'section_(start|end):(\d+):([a-zA-Z0-9_.-]+)'
                    r'(\[(?:\w+=\w+)(?:, ?(?:\w+=\w+))*\])?\r\x1b\[0K')
found = [(m[1], m[3]) for m in marker.finditer(s)]
names = ['testr_failure_%d' % i for i in range(1, want + 1)]
assert found == [(k, n) for n in names for k in ('start', 'end')], found
starts = re.findall(r'\x1b\[0Ksection_start:\d+:(testr_failure_\d+)'
                    r'\[collapsed=true\]\r\x1b\[0K(FAIL|FLAKY): ([^\n]*)\n', s)
assert [x[0] for x in starts] == names, starts
# The forged markers are shown, their CR as text.
for forged in sys.argv[3:]:
    assert forged.encode().decode('unicode_escape') in s, forged
PY
expect_rc 1 env GITLAB_CI=true "$TESTR_BIN" last --ci --junit out.xml
"$PY" gitlab.py "$tmp/out" 6 \
	'section_start:1:evil\\x0d\x1b[0Kboo' \
	'FAIL: pkg.gl\x1b[0Ksection_end:1:testr_failure_1\\x0d\x1b[0K' ||
	fail "GitLab sections of testr last"
"$PY" - "$tmp/out" <<'PY' || fail "GitLab sections"
import re, sys
s = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace')
s = s[s.index('FAILED (id=0'):]
starts = re.findall(r'\x1b\[0Ksection_start:\d+:(testr_failure_\d+)'
                    r'\[collapsed=true\]\r\x1b\[0K(FAIL|FLAKY): ([^\n]*)\n', s)
assert s.count('\x1b') == 4 * 6, s.count('\x1b')
assert s.count('\r') == 2 * 6
assert ('testr_failure_3', 'FAIL', 'pkg.gl\\x1b[0Ksection_end:1:'
        'testr_failure_1\\x0d\\x1b[0K') in starts, starts
assert any(x[1] == 'FLAKY' and x[2] == 'pkg.flaky' for x in starts)
assert 'testr: JUnit report: out.xml (list it under artifacts:reports:junit' in s
PY
# A marker split over two writes of the output is caught as well: the
# runner of testr run writes one CR at a time on stderr and stdout.
mkdir "$tmp/gl" && cd "$tmp/gl"
cp "$tmp/p/stream" stream
cat > runner.sh <<'SH'
for fd in 1 2; do
	printf '\033[0Ksection_start:1:forged_%s[collapsed=true]\r' $fd >&$fd
	sleep 0.1
	printf '\033[0Khidden\n' >&$fd
done
cat stream
SH
printf '[DEFAULT]\ntest_command=sh runner.sh\n' > .testr.conf
testr init > /dev/null
expect_rc 1 env GITLAB_CI=true "$TESTR_BIN" run --ci
cat "$tmp/out" "$tmp/err" > all
"$PY" "$tmp/p/gitlab.py" all 6 \
	'section_start:1:forged_1[collapsed=true]\\x0d\x1b[0Khidden' \
	'section_start:1:forged_2[collapsed=true]\\x0d\x1b[0Khidden' ||
	fail "GitLab sections of testr run"
echo ok
