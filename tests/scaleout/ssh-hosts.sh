# Sourced: ssh "hosts" in network namespaces of their own, joined by a
# bridge in a switch namespace on a private subnet made here, each running
# its own sshd (key-only auth) with an empty home.  The client side (testr)
# runs in a namespace too, through `on_client`.  Nothing touches the host's
# own network; ssh_hosts_stop removes it all, processes first, by pid.
#   ssh_hosts_start DIR N   hosts h1..hN at 10.213.X.11.. (exports
#                           TESTR_SSH, TESTR_SSH_HOSTS)
#   on_client CMD...        run CMD in the client namespace
#   ssh_link_down I         cut host I's cable at the switch
#   ssh_host_kill I         every process of host I dies (a crashed host)
#   ssh_hosts_stop
ns_prefix="tr$$"
net="10.213.$(($$ % 250))"

ssh_hosts_start() {
	SSH_DIR=$1
	SSH_N=$2
	mkdir -p "$SSH_DIR/home" /run/sshd
	chmod 700 "$SSH_DIR/home"
	ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/hostkey"
	ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/id"
	cp "$SSH_DIR/id.pub" "$SSH_DIR/authorized_keys"
	cat > "$SSH_DIR/sshd_config" <<CONF
HostKey $SSH_DIR/hostkey
AuthorizedKeysFile $SSH_DIR/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
ClientAliveInterval 2
ClientAliveCountMax 2
CONF
	cat > "$SSH_DIR/ssh_config" <<CONF
Host *
  User root
  IdentityFile $SSH_DIR/id
  IdentitiesOnly yes
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  LogLevel ERROR
CONF
	ip netns add "${ns_prefix}sw"
	ip netns add "${ns_prefix}c"
	ip -n "${ns_prefix}sw" link add br0 type bridge
	ip -n "${ns_prefix}sw" link set br0 up
	ssh_plug c "$net.1"
	hosts=
	i=1
	while [ "$i" -le "$SSH_N" ]; do
		ip netns add "${ns_prefix}h$i"
		ssh_plug "h$i" "$net.$((10 + i))"
		# An empty home, as on a fresh worker: no shell start-up files.
		ip netns exec "${ns_prefix}h$i" unshare -m sh -c \
			'mount --bind "$1/home" /root && exec /usr/sbin/sshd -f "$1/sshd_config" -o PidFile="$1/sshd.h$2.pid"' \
			sh "$SSH_DIR" "$i"
		hosts="$hosts $net.$((10 + i))"
		i=$((i + 1))
	done
	export TESTR_SSH="ssh -F $SSH_DIR/ssh_config"
	export TESTR_SSH_HOSTS="${hosts# }"
	for h in $TESTR_SSH_HOSTS; do
		i=0
		until on_client $TESTR_SSH -o ConnectTimeout=1 "$h" true 2>/dev/null; do
			i=$((i + 1))
			[ $i -lt 50 ] || { echo "sshd on $h did not come up" >&2; return 1; }
			sleep 0.1
		done
	done
}

# ssh_plug NAME ADDR: a veth from namespace NAME to the switch.
ssh_plug() {
	ip link add "${ns_prefix}$1" type veth peer name "${ns_prefix}$1p"
	ip link set "${ns_prefix}$1" netns "${ns_prefix}$1"
	ip link set "${ns_prefix}$1p" netns "${ns_prefix}sw"
	ip -n "${ns_prefix}sw" link set "${ns_prefix}$1p" master br0 up
	ip -n "${ns_prefix}$1" addr add "$2/24" dev "${ns_prefix}$1"
	ip -n "${ns_prefix}$1" link set "${ns_prefix}$1" up
	ip -n "${ns_prefix}$1" link set lo up
}

on_client() {
	ip netns exec "${ns_prefix}c" "$@"
}

ssh_link_down() {
	ip -n "${ns_prefix}sw" link set "${ns_prefix}h$1p" down
}

ssh_host_kill() {
	pids=$(ip netns pids "${ns_prefix}h$1")
	[ -z "$pids" ] || kill -9 $pids
}

ssh_hosts_stop() {
	set +e
	for ns in $(ip netns list | awk '{print $1}' | grep "^${ns_prefix}"); do
		pids=$(ip netns pids "$ns")
		[ -z "$pids" ] || kill -9 $pids 2>/dev/null
	done
	for ns in $(ip netns list | awk '{print $1}' | grep "^${ns_prefix}"); do
		ip netns del "$ns"
	done
	return 0
}
