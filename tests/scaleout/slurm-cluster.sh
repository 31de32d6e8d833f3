# Sourced: a throw-away Slurm cluster on this host, three slurmd "nodes"
# n1..n3 on loopback ports, with its own munged.  Everything lives under
# $SLURM_DIR and is stopped by pid in slurm_stop.
#   slurm_start DIR      start it (SLURM_CONF is exported)
#   slurm_kill_node N    SIGKILL node N: its slurmd, step daemons and tasks
#   slurm_stop           stop every daemon started here, by pid
slurm_start() {
	SLURM_DIR=$1
	mkdir -p "$SLURM_DIR/munge" "$SLURM_DIR/state" "$SLURM_DIR/log"
	chmod 700 "$SLURM_DIR/munge"
	dd if=/dev/urandom of="$SLURM_DIR/munge/key" bs=1024 count=1 2>/dev/null
	chmod 600 "$SLURM_DIR/munge/key"
	/usr/sbin/munged --force -S "$SLURM_DIR/munge/sock" \
		--key-file="$SLURM_DIR/munge/key" --log-file="$SLURM_DIR/munge/log" \
		--pid-file="$SLURM_DIR/munge/pid" --seed-file="$SLURM_DIR/munge/seed"
	base=$((20000 + $$ % 20000))
	export SLURM_CONF="$SLURM_DIR/slurm.conf"
	cat > "$SLURM_CONF" <<CONF
ClusterName=testr
SlurmctldHost=localhost
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$SLURM_DIR/munge/sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool/%n
SlurmctldPidFile=$SLURM_DIR/ctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.%n.pid
SlurmctldLogFile=$SLURM_DIR/log/ctld.log
SlurmdLogFile=$SLURM_DIR/log/slurmd.%n.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
SlurmdTimeout=5
SlurmctldTimeout=5
MessageTimeout=5
KillWait=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
CONF
	for n in 1 2 3; do
		mkdir -p "$SLURM_DIR/spool/n$n"
		echo "NodeName=n$n NodeHostname=localhost NodeAddr=127.0.0.1 Port=$((base + 1 + n)) CPUs=1 State=UNKNOWN" >> "$SLURM_CONF"
	done
	echo 'PartitionName=test Nodes=n[1-3] Default=YES MaxTime=INFINITE State=UP' >> "$SLURM_CONF"
	slurmctld -i
	for n in 1 2 3; do
		slurmd -N "n$n"
	done
	i=0
	until [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "slurm did not come up" >&2; return 1; }
		sleep 0.1
	done
}

slurm_kill_node() {
	set +e
	for p in $(grep -lzx "SLURMD_NODENAME=$1" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
		pp=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null) || continue
		case "$(tr '\0' ' ' < "/proc/$pp/cmdline" 2>/dev/null)" in
		slurmstepd*) kill -9 "$pp" 2>/dev/null ;;
		esac
		kill -9 "$p" 2>/dev/null
	done
	kill -9 "$(cat "$SLURM_DIR/slurmd.$1.pid")"
}

slurm_stop() {
	set +e
	[ -n "${SLURM_DIR:-}" ] || return 0
	pids=$(cat "$SLURM_DIR"/slurmd.*.pid "$SLURM_DIR/ctld.pid" \
		"$SLURM_DIR/munge/pid" 2>/dev/null)
	# Step daemons of this cluster outlive their slurmd.
	for p in $(pgrep -x slurmstepd); do
		grep -qF "$SLURM_DIR" "/proc/$p/environ" 2>/dev/null &&
			pids="$pids $p"
	done
	[ -n "$pids" ] || return 0
	kill $pids 2>/dev/null
	i=0
	while [ $i -lt 30 ] && kill -0 $pids 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 $pids 2>/dev/null
	return 0
}
