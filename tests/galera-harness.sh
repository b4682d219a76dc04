#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A private three-node MariaDB Galera cluster on loopback for the tests (Debian's galera-4):
# three mariadbd with wsrep_on, each with its own data directory, socket, client port and the
# three Galera ports (group communication, incremental and full state transfer), all free
# ports picked at random. Node 1 bootstraps the cluster; nodes 2 and 3 join one after the other
# with a full state transfer by rsync. The nodes run as an unprivileged user (mysql when
# started as root): rsync's daemon on a joiner drops to nobody and could not enter a root-owned
# data directory. Never the system's service.
#
#   galera-harness.sh start DIR       -> shell assignments: TU_G_PORT1..3, TU_G_SOCKET1..3,
#                                        TU_G_USER, TU_G_PASSWORD (exit 77: no galera-4)
#   galera-harness.sh kill DIR N      -> SIGKILL node N and wait for it to be gone
#   galera-harness.sh rejoin DIR N    -> start node N again; returns when it is synced
#   galera-harness.sh sql DIR N SQL   -> run SQL as root on node N (tab-separated, no headers),
#                                        with causal reads (wsrep_sync_wait = 1)
#   galera-harness.sh stop DIR        -> stop every node (SIGTERM, then SIGKILL after 30 s)
set -eu
cmd=$1
dir=$2

provider=${TU_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}

find_prog() {
	for p in "$@"; do
		if command -v "$p" >/dev/null 2>&1; then command -v "$p"; return 0; fi
		for d in /usr/sbin /usr/bin /usr/libexec; do
			[ -x "$d/$p" ] && { echo "$d/$p"; return 0; }
		done
	done
	return 1
}

client=$(find_prog mariadb mysql 2>/dev/null || true)

node_sql() { # node_sql N SQL
	"$client" --no-defaults -S "$dir/n$1/sock" -uroot -N -B -e "$2"
}

# the user the nodes run as: never root (see above)
node_user() {
	if [ "$(id -u)" -eq 0 ]; then echo mysql; else id -un; fi
}

# wait until node N says it is synced with the cluster (or its process died)
wait_synced() {
	i=0
	while :; do
		state=$(node_sql "$1" "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2 || true)
		ready=$(node_sql "$1" "SHOW STATUS LIKE 'wsrep_ready'" 2>/dev/null | cut -f2 || true)
		[ "$state" = Synced ] && [ "$ready" = ON ] && return 0
		pid=$(cat "$dir/n$1/pid" 2>/dev/null || true)
		if [ $i -gt 50 ] && [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			echo "galera node $1 died while joining:" >&2; tail -20 "$dir/n$1/err.log" >&2; return 1
		fi
		i=$((i + 1))
		if [ $i -gt 1200 ]; then echo "galera node $1 not synced after 120 s:" >&2; tail -20 "$dir/n$1/err.log" >&2; return 1; fi
		sleep 0.1
	done
}

start_node() { # start_node N [--wsrep-new-cluster]
	n=$1; shift
	rm -f "$dir/n$n/pid"
	"$mariadbd" --defaults-file="$dir/n$n/my.cnf" "$@" > "$dir/n$n/stdout.log" 2>&1 &
	# the pid file appears once the server runs; until then the shell's child is the server
	echo $! > "$dir/n$n/launch.pid"
}

case $cmd in
start)
	[ -r "$provider" ] || { echo "galera-4 is not installed ($provider missing)" >&2; exit 77; }
	install_db=$(find_prog mariadb-install-db mysql_install_db) || { echo "mariadb-install-db not found" >&2; exit 77; }
	mariadbd=$(find_prog mariadbd mysqld) || { echo "mariadbd not found" >&2; exit 77; }
	[ -n "$client" ] || { echo "mariadb client not found" >&2; exit 77; }
	find_prog rsync >/dev/null || { echo "rsync not found (needed for the state transfer)" >&2; exit 77; }
	user=$(node_user)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	# the nodes' user must reach DIR: open the path to it for traversal only
	p=$dir
	while [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
	# twelve free loopback ports at once: client, group communication, IST and SST per node
	ports=$(/usr/bin/python3 -c '
import socket
socks = []
for _ in range(12):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
')
	set -- $ports
	P1=$1 P2=$2 P3=$3 G1=$4 G2=$5 G3=$6 I1=$7 I2=$8 I3=$9
	shift 9
	S1=$1 S2=$2 S3=$3
	for n in 1 2 3; do
		eval "P=\$P$n G=\$G$n I=\$I$n S=\$S$n"
		mkdir -p "$dir/n$n/tmp"
		cat > "$dir/n$n/my.cnf" <<EOF
[mariadbd]
datadir=$dir/n$n/data
tmpdir=$dir/n$n/tmp
socket=$dir/n$n/sock
port=$P
bind-address=127.0.0.1
user=$user
log-error=$dir/n$n/err.log
pid-file=$dir/n$n/pid
skip-name-resolve
character-set-server=utf8mb4
local-infile=1
max-connections=60
binlog_format=ROW
default-storage-engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
wsrep_on=ON
wsrep_provider=$provider
wsrep_cluster_name=trueup-test
wsrep_cluster_address=gcomm://127.0.0.1:$G1,127.0.0.1:$G2,127.0.0.1:$G3
wsrep_node_address=127.0.0.1:$G
wsrep_node_name=n$n
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$G;ist.recv_addr=127.0.0.1:$I;gcache.size=64M"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$S
wsrep_slave_threads=2
EOF
		echo "$P" > "$dir/n$n/port"
	done
	# its own temporary directory: install-db's bootstrap server otherwise uses /tmp, where a
	# concurrent test's cleanup removed its temporary tables ("Error on delete of
	# '/tmp/#sql-temptable-...'")
	chown -R "$user" "$dir" 2>/dev/null || true
	TMPDIR="$dir/n1/tmp" "$install_db" --no-defaults --user="$user" --datadir="$dir/n1/data" \
		--auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
		> "$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
	# the joiners receive node 1's data by state transfer; they only need a directory
	mkdir -p "$dir/n2/data" "$dir/n3/data"
	chown -R "$user" "$dir" 2>/dev/null || true
	start_node 1 --wsrep-new-cluster
	wait_synced 1
	password="pw-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
	# users replicate to the joiners with the state transfer
	node_sql 1 "CREATE USER 'trueup'@'127.0.0.1' IDENTIFIED BY '$password';
		GRANT ALL ON *.* TO 'trueup'@'127.0.0.1';
		CREATE USER 'trueup'@'localhost' IDENTIFIED BY '$password';
		GRANT ALL ON *.* TO 'trueup'@'localhost';"
	start_node 2
	wait_synced 2
	start_node 3
	wait_synced 3
	for n in 1 2 3; do
		echo "TU_G_PORT$n=$(cat "$dir/n$n/port")"
		echo "TU_G_SOCKET$n=$dir/n$n/sock"
	done
	echo "TU_G_USER=trueup"
	echo "TU_G_PASSWORD=$password"
	;;
kill)
	n=$3
	pid=$(cat "$dir/n$n/pid" 2>/dev/null || cat "$dir/n$n/launch.pid")
	kill -9 "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	;;
rejoin)
	n=$3
	mariadbd=$(find_prog mariadbd mysqld)
	start_node "$n"
	wait_synced "$n"
	;;
sql)
	# causal reads: a node applies other nodes' commits asynchronously, so a check right
	# after a scanner finished waits until this node has applied everything committed before
	node_sql "$3" "SET SESSION wsrep_sync_wait = 1; $4"
	;;
stop)
	# a node that failed while joining never wrote its pid file: its launch pid is the server
	for n in 1 2 3; do
		pid=$(cat "$dir/n$n/pid" 2>/dev/null || cat "$dir/n$n/launch.pid" 2>/dev/null || true)
		[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	done
	for n in 1 2 3; do
		pid=$(cat "$dir/n$n/pid" 2>/dev/null || cat "$dir/n$n/launch.pid" 2>/dev/null || true)
		[ -n "$pid" ] || continue
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$pid" 2>/dev/null || true
	done
	# rsync daemons of a state transfer cut short outlive their server
	pkill -f -- "--config $dir/" 2>/dev/null || true
	;;
*)
	echo "usage: $0 start|kill|rejoin|sql|stop DIR [N [SQL]]" >&2
	exit 2
	;;
esac
