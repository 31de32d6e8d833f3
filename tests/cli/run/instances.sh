#!/bin/sh
# The instance hooks: provision asks for what is missing, execute wraps
# every listing and worker command, dispose runs exactly once with the ids
# sorted -- after a good run, after a failed one, and after an error.
. "$(dirname "$0")/common.sh"

hooks() {
	echo "instance_provision=echo \$INSTANCE_COUNT >> $1/provision.log; echo vm-b vm-a"
	echo "instance_execute=echo \$INSTANCE_ID \$FILES >> $1/execute.log; INSTANCE=\$INSTANCE_ID \$COMMAND"
	echo "instance_dispose=echo \$INSTANCE_IDS >> $1/dispose.log"
}

ids=$(for g in a b c d; do echo "$g.t1"; echo "$g.t2"; done)
project inst "$ids" "$(hooks "$tmp/inst"; echo 'group_regex=([^.]*\.)')"
expect_rc 0 testr run --parallel --static --concurrency 2
# Provisioned lazily: one instance asked for to list; this provisioner
# gives two, so the workers need no second call.
[ "$(cat provision.log)" = 1 ] || fail "provision: $(cat provision.log)"
[ "$(cat dispose.log)" = "vm-a vm-b" ] || fail "dispose: $(cat dispose.log)"
# One listing (no files) and two workers, each with its own $IDFILE.
[ "$(wc -l < execute.log)" = 3 ] || fail "execute: $(cat execute.log)"
[ "$(sed -n 1p execute.log)" = "vm-b" ] || fail "listing: $(cat execute.log)"
sed 1d execute.log | cut -d' ' -f1 | sort | tr '\n' ' ' > "$tmp/used"
[ "$(cat "$tmp/used")" = "vm-a vm-b " ] || fail "workers used $(cat "$tmp/used")"
sed 1d execute.log | while read -r vm file; do
	[ -n "$file" ] || fail "no \$FILES for $vm"
	[ ! -e "$file" ] || fail "$file was left behind"
done
must_have "$tmp/err" "running=echo 1 >> "
must_have "$tmp/err" "running=echo vm-a vm-b >> "
[ "$(grep -c '^running=echo vm-. .*INSTANCE=' "$tmp/err")" = 3 ] || fail "running= per wrapped command"

# Serial: one instance is enough; a failing run still disposes once.
project serial "x.fail" "$(hooks "$tmp/serial")"
expect_rc 1 testr run
[ "$(cat provision.log)" = 1 ] || fail "serial provision: $(cat provision.log)"
[ "$(cat dispose.log)" = "vm-a vm-b" ] || fail "serial dispose: $(cat dispose.log)"

# list-tests goes through an instance too, and disposes of it.
project lst "q.one" "$(hooks "$tmp/lst")"
expect_rc 0 testr list-tests
must_have "$tmp/out" "q.one"
[ "$(wc -l < execute.log)" = 1 ] || fail "list-tests execute"
[ "$(wc -l < dispose.log)" = 1 ] || fail "list-tests dispose"

# An error after provisioning (the listing fails) still disposes, once.
project lsterr "z.one" "$(hooks "$tmp/lsterr")"
sed -i 's/^test_list_option=.*/test_list_option=--list; exit 7/' .testr.conf
expect_rc 3 testr run --parallel --concurrency 2
must_have "$tmp/err" "Non-zero exit code (7) from test listing."
[ "$(wc -l < dispose.log)" = 1 ] || fail "dispose after error: $(cat dispose.log)"

# Failing hooks are errors with testrepository's wording.
project badprov "z.one" "instance_provision=exit 4"
expect_rc 3 testr run
must_have "$tmp/err" "Provisioning instances failed, return 4"
project baddisp "z.one" "instance_provision=echo vm-a
instance_dispose=exit 5"
expect_rc 3 testr run
must_have "$tmp/err" "Disposing of instances failed, return 5"

# Nothing provisioned (it failed, or is not configured): no dispose.
project noprov "z.one" "instance_provision=exit 4
instance_dispose=touch $tmp/noprov/disposed"
expect_rc 3 testr run
[ ! -e disposed ] || fail "dispose ran when nothing was provisioned"
project nohook "z.one" "instance_dispose=touch $tmp/nohook/disposed"
expect_rc 0 testr run
[ ! -e disposed ] || fail "dispose ran without instance_provision"
echo ok
