#!/bin/sh
# testr run's options and testr list-tests, driven through fake_runner.
. "$(dirname "$0")/common.sh"

all=$(printf 'x.ok1\nx.fail1\ny.ok2\ny.skip1\nz.fail2')
project opts "$all"

# Serial: one runner, no id list, everything runs; exit 1 on failures.
expect_rc 1 testr run
[ "$(wc -l < "$FAKE_LOG")" = 1 ] || fail "serial run used several runners"
must_have "$tmp/err" "running=$RUNNER  "
must_lack "$tmp/out" "--load-list"
must_have "$tmp/out" "FAIL: x.fail1"
must_have "$tmp/out" "Ran 5 tests"
must_have "$tmp/out" "FAILED (id=0, failures=2, skips=1)"

# --failing runs only the failing set (and is a partial run).
rm "$FAKE_LOG"
expect_rc 1 testr run --failing
[ "$(partitions)" = "x.fail1 z.fail2" ] || fail "--failing ran: $(partitions)"
must_have "$tmp/out" "Ran 2 (-3) tests"

# Filters: search semantics, the union of all of them.
rm "$FAKE_LOG"
expect_rc 0 testr run 'ok1$' '^y\.'
[ "$(partitions)" = "x.ok1 y.ok2 y.skip1" ] || fail "filters ran: $(partitions)"

# --load-list, and its intersection with --failing.
printf 'y.ok2\nz.fail2\n' > "$tmp/list"
rm "$FAKE_LOG"
expect_rc 1 testr run --load-list "$tmp/list"
[ "$(partitions)" = "y.ok2 z.fail2" ] || fail "--load-list ran: $(partitions)"
rm "$FAKE_LOG"
expect_rc 1 testr run --failing --load-list="$tmp/list"
[ "$(partitions)" = "z.fail2" ] || fail "--failing --load-list ran: $(partitions)"

# --isolated: one runner per id, each stored as its own run.
rm "$FAKE_LOG"
expect_rc 1 testr run --isolated 'x\.'
[ "$(wc -l < "$FAKE_LOG")" = 2 ] || fail "--isolated: $(cat "$FAKE_LOG")"
grep -q ':x.ok1$' "$FAKE_LOG" && grep -q ':x.fail1$' "$FAKE_LOG" ||
	fail "--isolated gave: $(cat "$FAKE_LOG")"

# --until-failure repeats until a run fails (the 3rd runner here).
project flaky "$(printf 'f.ok\nf.flaky3')"
expect_rc 1 testr run --until-failure
[ "$(wc -l < "$FAKE_LOG")" = 3 ] || fail "--until-failure ran $(wc -l < "$FAKE_LOG") times"
must_have "$tmp/out" "FAIL: f.flaky3"
# ... and, where it needs the ids, lists them once, not once per run.
project flakylist "$(printf 'f.ok\nf.flaky3\nf.ok2')"
sed -i 's/^test_list_option=.*/test_list_option=--list; echo >> listings/' \
	.testr.conf
expect_rc 1 testr run --until-failure --parallel --concurrency 2
must_have "$tmp/out" "FAIL: f.flaky3"
expect "listings" 1 "$(wc -l < listings)"
# ... asks the concurrency callout once, as testrepository does ...
rm -f listings "$FAKE_LOG"
echo 'test_run_concurrency=echo >> callouts; echo 2' >> .testr.conf
expect_rc 1 testr run --until-failure --parallel 'f\.'
expect "listings" 1 "$(wc -l < listings)"
expect "concurrency callouts" 1 "$(wc -l < callouts)"
# ... and runs a selection that matches nothing once, instead of forever.
rm -f listings "$FAKE_LOG"
expect_rc 0 testr run --until-failure 'matches-nothing'
expect "listings" 1 "$(wc -l < listings)"

# --analyze-isolation: b.victim fails only after a.polluter on its worker;
# the bisection finds it, prints the table and exits 3 -- the same output
# as testrepository's, run by run.
# running= lines: on stdout in testrepository, on stderr in ours; the
# closing counts and failed list are ours alone.
analysis() {
	awk '/^running=/ || /^Totals: / { next }
	     /^The following tests FAILED:$/ { list = 1; next }
	     list && /^    / { next } { list = 0; print }' "$tmp/out" |
		sed 's/ in [0-9.]*s.*//'
}
for tool in "$TESTR_BIN" /usr/bin/testr; do
	project "iso$(basename "$tool" | tr -dc a-z)$([ "$tool" = /usr/bin/testr ] && echo py)" \
		"$(printf 'a.one\na.polluter\na.two\na.victim\nb.three\nb.fail')"
	[ "$tool" = "$TESTR_BIN" ] || { rm -rf .testrepository; "$tool" init > /dev/null; }
	expect_rc 1 "$tool" run
	expect_rc 3 "$tool" run --analyze-isolation
	analysis > "$dir/analysis"
	# Filtered to a test that fails alone too: no victim, exit 0.
	expect_rc 0 "$tool" run --analyze-isolation 'b\.'
	analysis > "$dir/filtered"
done
diff -u "$tmp/isotestrpy/analysis" "$tmp/isotestr/analysis" ||
	fail "--analyze-isolation differs from testrepository"
must_have "$tmp/isotestr/analysis" "a.victim      a.polluter"
# testrepository also runs the failing tests the filter leaves out, each
# as an empty run it stores as PASSED; we run only what the filter keeps.
must_have "$tmp/isotestrpy/filtered" "PASSED (id=7)"
expect "filtered analysis" "$(grep -v '^PASSED (id=7)$' \
	"$tmp/isotestrpy/filtered")" "$(cat "$tmp/isotestr/filtered")"

# --subunit: the merged v2 stream on stdout, running= kept out of it.
project sub "$(printf 's.ok\ns.fail')"
expect_rc 0 testr run --subunit --parallel --concurrency 2
must_have "$tmp/err" "running="
/usr/bin/subunit2csv < "$tmp/out" > "$tmp/csv" || true
must_have "$tmp/csv" "s.fail,failure"
must_have "$tmp/csv" "s.ok,success"
testr last > "$tmp/last" || true
must_have "$tmp/last" "FAILED (id=0, failures=1)"

# --partial keeps failures of tests not run; a full run forgets them.
project partial "$(printf 'p.fail\np.ok')"
expect_rc 1 testr run
expect_rc 0 testr run --partial p.ok
testr failing > "$tmp/failing" || true
must_have "$tmp/failing" "p.fail"
# --full-results is accepted and ignored.
expect_rc 0 testr run --full-results --partial p.ok

# Arguments after -- go to the runner.
project args "a.one"
expect_rc 0 testr run -- --plain-extra
must_have "$tmp/err" "running=$RUNNER   --plain-extra"

# list-tests: exactly the ids (filtered) on stdout; the listing's
# running= line on stderr.
project listing "$(printf 'l.one\nl.two\nm.thr\303\251e')"
expect_rc 0 testr list-tests
must_have "$tmp/err" "running=$RUNNER --list "
printf 'l.one\nl.two\nm.thr\303\251e\n' | cmp - "$tmp/out" || fail "list-tests ids"
expect_rc 0 testr list-tests 'e$' 'two'
printf 'l.one\nl.two\nm.thr\303\251e\n' | cmp - "$tmp/out" || fail "filtered ids"
expect_rc 0 testr list-tests 'thr'
[ "$(cat "$tmp/out")" = "$(printf 'm.thr\303\251e')" ] || fail "filter thr"
echo ok
