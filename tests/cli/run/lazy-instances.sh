#!/bin/sh
# Lazy provisioning: testr provisions an instance only when a worker (or the
# listing) needs one and none is free, asking for as many as will get work,
# never for the whole --concurrency up front; it disposes only of what it
# provisioned.  The provisioner hands out exactly $INSTANCE_COUNT new ids
# (vm-1, vm-2, ...) and logs each call's count.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"

# lazy NAME IDS: a project whose hooks log to its directory.
lazy() {
	d="$tmp/$1"
	mkdir -p "$d"
	cat > "$d/prov.sh" <<'PROV'
n=$1 dir=$2
echo "$n" >> "$dir/provision.log"
i=0
while [ $i -lt "$n" ]; do
	c=$(($(cat "$dir/counter" 2>/dev/null || echo 0) + 1))
	echo $c > "$dir/counter"
	echo "vm-$c"
	i=$((i + 1))
done
PROV
	project "$1" "$2" "instance_provision=sh $d/prov.sh \$INSTANCE_COUNT $d
instance_execute=echo \$INSTANCE_ID >> $d/execute.log; \$COMMAND
instance_dispose=echo \$INSTANCE_IDS >> $d/dispose.log
group_regex=([^.]*\\.)"
}
# log NAME: a log's lines joined by spaces.
log() { tr '\n' ' ' < "$1" | sed 's/ $//'; }

# Two groups, four workers allowed: one instance lists, one more runs the
# second group; the other two are never provisioned.
lazy two "$(printf 'a.t1\na.t2\nb.t1\n')"
expect_rc 0 testr run --parallel --concurrency 4
expect "provisions of two" "1 1" "$(log provision.log)"
expect "dispose of two" "vm-1 vm-2" "$(log dispose.log)"
expect "instances used by two" "vm-1 vm-1 vm-2" "$(sort execute.log | log /dev/stdin)"

# One test: the listing's instance runs it too; nothing else is asked for.
lazy one "c.only"
expect_rc 0 testr run --parallel --concurrency 4
expect "provisions of one" "1" "$(log provision.log)"
expect "dispose of one" "vm-1" "$(log dispose.log)"

# Three groups, three workers: the listing's instance plus two more, asked
# for in one call once the plan is known.
lazy three "$(printf 'a.t\nb.t\nc.t\n')"
expect_rc 0 testr run --parallel --concurrency 3
expect "provisions of three" "1 2" "$(log provision.log)"
expect "dispose of three" "vm-1 vm-2 vm-3" "$(log dispose.log)"
expect "workers of three" "vm-1 vm-2 vm-3" \
	"$(sed 1d execute.log | sort | log /dev/stdin)"

# Serial, no listing: one instance, provisioned when the worker starts.
lazy serial "d.t"
expect_rc 0 testr run
expect "provisions of serial" "1" "$(log provision.log)"
expect "dispose of serial" "vm-1" "$(log dispose.log)"
echo ok
