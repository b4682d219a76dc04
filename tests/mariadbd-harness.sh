#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Start or stop a private MariaDB server for the tests: mariadb-install-db into a temporary
# directory, mariadbd --no-defaults on a private socket and a random loopback port, a user
# with a password. Never the system's service.
#
#   mariadbd-harness.sh start DIR   -> prints shell assignments: TU_TEST_PORT, TU_TEST_SOCKET,
#                                      TU_TEST_USER, TU_TEST_PASSWORD
#   mariadbd-harness.sh stop DIR
#   mariadbd-harness.sh kill DIR      -> SIGKILL the server (a crash) and wait until it is gone
#   mariadbd-harness.sh restart DIR   -> start it again on the same port and data (after kill)
set -eu
cmd=$1
dir=$2

find_prog() {
	for p in "$@"; do
		if command -v "$p" >/dev/null 2>&1; then command -v "$p"; return 0; fi
		for d in /usr/sbin /usr/bin /usr/libexec; do
			[ -x "$d/$p" ] && { echo "$d/$p"; return 0; }
		done
	done
	return 1
}

start_server() {
	mkdir -p "$dir/tmp"
	"$mariadbd" --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --socket="$dir/mysqld.sock" \
		--port="$port" --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" \
		--log-error="$dir/mysqld.err" --user="$(id -un)" --skip-name-resolve \
		--innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
		--character-set-server=utf8mb4 --local-infile=1 --max-connections=50 \
		> /dev/null 2>&1 &
	i=0
	until "$client" --no-defaults -S "$dir/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then echo "mariadbd did not start:" >&2; tail -20 "$dir/mysqld.err" >&2; exit 1; fi
		sleep 0.1
	done
}

case $cmd in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	install_db=$(find_prog mariadb-install-db mysql_install_db) || { echo "mariadb-install-db not found" >&2; exit 77; }
	mariadbd=$(find_prog mariadbd mysqld) || { echo "mariadbd not found" >&2; exit 77; }
	client=$(find_prog mariadb mysql) || { echo "mariadb client not found" >&2; exit 77; }
	mkdir -p "$dir/tmp"
	TMPDIR="$dir/tmp" "$install_db" --no-defaults --datadir="$dir/data" --user="$(id -un)" \
		--auth-root-authentication-method=socket --skip-test-db \
		> "$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
	# a random free port on loopback
	port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
	echo "$port" > "$dir/port"
	start_server
	password="pw-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
	"$client" --no-defaults -S "$dir/mysqld.sock" -uroot <<SQL
CREATE USER 'trueup'@'localhost' IDENTIFIED BY '$password';
CREATE USER 'trueup'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL ON *.* TO 'trueup'@'localhost';
GRANT ALL ON *.* TO 'trueup'@'127.0.0.1';
CREATE USER 'limited'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT SELECT ON trueup.* TO 'limited'@'127.0.0.1';
SQL
	echo "TU_TEST_PORT=$port"
	echo "TU_TEST_SOCKET=$dir/mysqld.sock"
	echo "TU_TEST_USER=trueup"
	echo "TU_TEST_PASSWORD=$password"
	;;
kill)
	pid=$(cat "$dir/mysqld.pid")
	kill -9 "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	;;
restart)
	dir=$(cd "$dir" && pwd)
	mariadbd=$(find_prog mariadbd mysqld)
	client=$(find_prog mariadb mysql)
	port=$(cat "$dir/port")
	rm -f "$dir/mysqld.pid"
	start_server
	;;
stop)
	if [ -f "$dir/mysqld.pid" ]; then
		pid=$(cat "$dir/mysqld.pid")
		kill "$pid" 2>/dev/null || true
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$pid" 2>/dev/null || true
	fi
	;;
*)
	echo "usage: $0 start|stop|kill|restart DIR" >&2
	exit 2
	;;
esac
exit 0
