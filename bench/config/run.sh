#!/bin/sh
# The config and template benchmark, one command:
#
#     sh bench/config/run.sh BUILD_DIR [IDS]
#
# Loads a typical .testr.conf (with interpolation and a group_regex) many
# times, and expands the run command for IDS ids (default 100k; $IDFILE
# written, $IDLIST filled), with ours and with Python (ConfigParser plus the
# parser.get calls testrepository makes; TestListingFixture.setUp).
set -eu
build=$(cd "$1" && pwd)
ids=${2:-100000}
bench="$build/bench/config/config-bench"
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

cat > .testr.conf <<'CONF'
[DEFAULT]
python=${PYTHON:-python3}
test_command=OS_STDOUT_CAPTURE=1 %(python)s -m subunit.run discover
    -t ./ ./tests $LISTOPT $IDOPTION
test_id_option=--load-list $IDFILE $IDLIST
test_list_option=--list
group_regex=([^\.]*\.)*
filter_tags=worker-0 worker-1
CONF

nice "$bench" load 20000 .testr.conf
nice "$py" - <<'PYEOF'
import configparser, re, time
n = 2000
start = time.perf_counter()
for _ in range(n):
    p = configparser.ConfigParser()
    p.read('.testr.conf')
    for k in ('test_command', 'test_id_option', 'test_list_option',
              'group_regex', 'filter_tags'):
        p.get('DEFAULT', k)
    re.compile(p.get('DEFAULT', 'group_regex'))
took = time.perf_counter() - start
print('python what=load n=%d seconds=%.3f per_second=%.0f' % (n, took, n / took))
PYEOF

nice "$bench" expand "$ids" .
nice "$py" - "$ids" <<'PYEOF'
import sys, time
from testrepository.testcommand import TestCommand
from testrepository.ui.model import UI
n = int(sys.argv[1])
ids = ['pkg.module%d.TestCase.test_%d' % (i // 50, i) for i in range(n)]
ui = UI()
ui.here = '.'
command = TestCommand(ui, None)
command.setUp()
start = time.perf_counter()
for _ in range(5):
    fixture = command.get_run_command(ids, ())
    fixture.setUp()
    fixture.cleanUp()
took = (time.perf_counter() - start) / 5
print('python what=expand n=%d seconds=%.4f per_second=%.0f' % (n, took, n / took))
PYEOF
