#!/bin/sh
# testr slowest --estimates: the duration model's medians over every test
# the repository knows; failed runs are no samples; plain slowest stays
# testrepository's (the latest run's durations).
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
MK="$PY $TESTR_SOURCE_DIR/tests/cli/repo/mkstream.py"

mkdir "$tmp/p" && cd "$tmp/p"
printf '[DEFAULT]\ntest_command=true\n' > .testr.conf
testr init > /dev/null
$MK a.slow:success:3 a.gone:success:5 a.flaky:success:1 | testr load > /dev/null
$MK --start=100 a.slow:success:9 a.flaky:fail:0.001 | testr load > /dev/null || :
$MK --start=200 a.slow:success:2 a.flaky:success:1.5 | testr load > /dev/null

expect_rc 0 testr slowest --estimates
cat > "$tmp/want" <<'EOT'
Test id  Estimate (s)
-------  ------------
a.gone   5.000
a.slow   3.000
a.flaky  1.250
EOT
same "slowest --estimates" "$tmp/want" "$tmp/out"

# Without the option: the latest run's durations, as testrepository.
expect_rc 0 testr slowest --all
cat > "$tmp/want" <<'EOT'
Test id  Runtime (s)
-------  -----------
a.slow   2.000
a.flaky  1.500
EOT
same "slowest" "$tmp/want" "$tmp/out"

# The store says the same, in its documented format.
must_have .testrepository/times "libtestr-durations 2 runs=3 tests=3 median=3.000000 "
must_have .testrepository/times "a.flaky	1.500000	1.250000	0.370650	1.000000,1.500000"
echo ok
