#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Server faults against one real mariadbd (tests/mariadbd-harness.sh): the server killed and
# restarted under an import (the scan rides it out on the same host and stores everything);
# the server killed for good (one message naming the server, a prompt exit, the summary saying
# what was stored); a host list whose first host is down at the start; and the URL forms that
# must never print a password or fall back to another account (issue 16, items 5 and 10).
. "$(dirname "$0")/lib.sh"

# --- the URL, with no server needed ---
run "$TRUEUP" --data-dir "$TMP/none" --db "mysql://u:S3cret/PW@127.0.0.1:1/db" db status
is "$rc" 2 "a password holding '/' in the URL is a usage error"
not_like "$err" "S3cret|PW" "and neither part of it is printed"
run "$TRUEUP" --data-dir "$TMP/none" --db "mysql://u:p?w@d@127.0.0.1:1/db" db status
not_like "$err" "p\?w|w@d" "nor a password holding '?' and '@'"
run "$TRUEUP" --data-dir "$TMP/none" --db "mysql://u%00x@127.0.0.1:1/db" db status
is "$rc" 2 "a %00 in the user is refused (not the OS user with the password)"
like "$err" "user name: %00" "saying where"
run "$TRUEUP" --data-dir "$TMP/none" --db "mysql://%ZZ@127.0.0.1:1/db" db status
is "$rc" 2 "a malformed %-escape in the user is refused"
run "$TRUEUP" --data-dir "$TMP/none" --db "mysql://u@127.0.0.1:1/inv%00" db status
like "$err" "database name: %00" "a %00 in the database name is refused by name"
not_like "$err" "\(null\)" "never printed as (null)"

S="$TMP/server"
harness="$TU_SOURCE_ROOT/tests/mariadbd-harness.sh"
vars=$("$harness" start "$S") || { rc=$?; [ $rc -eq 77 ] && skip_all "no MariaDB server installed"; echo "Bail out! cannot start mariadbd"; exit 1; }
stop_server() { "$harness" stop "$S"; }
at_exit stop_server
eval "$vars"
export TRUEUP_DB_PASSWORD="$TU_TEST_PASSWORD"
HOST="127.0.0.1:$TU_TEST_PORT"
SQL() { mariadb --no-defaults -S "$TU_TEST_SOCKET" -uroot -N -B -e "$1"; }
T() { # T WINDOW ARGS...
	_w=$1; shift
	"$TRUEUP" --data-dir "$TMP/unused" --db "mysql://trueup@$HOST/trueup?failover-window=$_w" "$@"
}
gen() { # gen PREFIX HOSTS PKGS > FILE
	awk -v pre="$1" -v nh="$2" -v np="$3" 'BEGIN {
		print "host,name,version,publisher"
		for (h = 1; h <= nh; h++)
			for (p = 1; p <= np; p++)
				printf "%s-%d,pkg-%d,1.%d.%d,Vendor %d\n", pre, h, p, p % 7, h % 5, p % 13
	}'
}
# wait until N hosts named PREFIX-* are stored
wait_hosts() {
	i=0
	while [ "$(SQL "SELECT COUNT(*) FROM trueup.hosts WHERE hostname LIKE '$1-%'" 2>/dev/null || echo 0)" -lt "$2" ] && [ $i -lt 600 ]; do
		sleep 0.05; i=$((i + 1))
	done
}

run T 60 db migrate
is "$rc" 0 "db migrate"

# a host list whose first host does not answer: the next one is used
dead=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run "$TRUEUP" --data-dir "$TMP/unused" --db "mysql://trueup@127.0.0.1:$dead,$HOST/trueup" db status
is "$rc" 0 "the first host of the list is down: the second one answers"
like "$out" "database: +$HOST/trueup" "and is the one used"

# a scans row whose INSERT ran but whose answer was lost with the connection: the statement
# sent again after the reconnect must find its row (by the scan's token), not make a second one
# left 'running' (then 'interrupted'); alone (autocommit) and in a group's transaction (the
# COMMIT's answer lost). tests/lost-reply-proxy.py stands between trueup and the server.
lost_reply() { # lost_reply MODE PREFIX HOSTS
	rm -f "$TMP/proxy.port" "$TMP/proxy.port.lost"
	/usr/bin/python3 "$TU_SOURCE_ROOT/tests/lost-reply-proxy.py" "$TMP/proxy.port" "$TU_TEST_PORT" "$1" &
	proxy=$!
	i=0; while [ ! -s "$TMP/proxy.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	gen "$2" "$3" 10 > "$TMP/$2.csv"
	run "$TRUEUP" --data-dir "$TMP/unused" --db "mysql://trueup@127.0.0.1:$(cat "$TMP/proxy.port")/trueup?failover-window=30" \
		scan --import "$TMP/$2.csv"
	kill "$proxy"; wait "$proxy" 2>/dev/null
	is "$rc" 0 "$1: the scan whose answer was lost finishes"
	[ "$rc" = 0 ] || diag "$err"
	is "$(cat "$TMP/proxy.port.lost" 2>/dev/null)" "lost" "$1: the proxy did lose the answer"
	like "$out$err" "connection was lost and made again 1 time " "$1: and trueup reconnected once (whichever of its connections lost the answer)"
	is "$(SQL "SELECT COUNT(*) FROM trueup.scans WHERE target LIKE '%$2.csv'")" "$3" \
		"$1: one scans row per host, none twice"
	is "$(SQL "SELECT COUNT(*) FROM trueup.scans WHERE target LIKE '%$2.csv' AND status <> 'ok'")" 0 \
		"$1: all of them 'ok'"
}
lost_reply insert lone 1
lost_reply commit grp 20
run T 60 db check
is "$rc" 0 "db check is clean after the lost answers"

# a running scan of another user, seen by a user without the PROCESS privilege (which shows
# only one's own user's connections): left alone while its lease lasts; marked by its own user
# or by one with PROCESS once its connection is gone, and by anyone once its lease has ended
SQL "CREATE USER scan_a@'127.0.0.1' IDENTIFIED BY '$TU_TEST_PASSWORD';
	GRANT ALL ON trueup.* TO scan_a@'127.0.0.1';
	CREATE USER scan_b@'127.0.0.1' IDENTIFIED BY '$TU_TEST_PASSWORD';
	GRANT ALL ON trueup.* TO scan_b@'127.0.0.1';"
TU() { _u=$1; shift; "$TRUEUP" --data-dir "$TMP/unused" --db "mysql://$_u@$HOST/trueup" "$@"; }
running() { SQL "SELECT COUNT(*) FROM trueup.scans WHERE status = 'running'"; }
gen p 300 150 > "$TMP/p.csv"
# start_stopped: scan_a's import, stopped (SIGSTOP) while a scan of it is 'running'
pa=
kill_leftover() { [ -z "$pa" ] || kill -9 "$pa" 2>/dev/null || true; }
at_exit kill_leftover # a failed check must not leave a stopped scanner behind
start_stopped() {
	# the binary itself in the background (not a shell function), so that signals reach it
	"$TRUEUP" --data-dir "$TMP/unused" --db "mysql://scan_a@$HOST/trueup" scan --import "$TMP/p.csv" > /dev/null 2>&1 &
	pa=$!
	i=0
	while [ $i -lt 400 ]; do
		if [ "$(running)" -gt 0 ]; then
			kill -STOP "$pa"
			[ "$(running)" -gt 0 ] && return 0
			kill -CONT "$pa"
		fi
		sleep 0.02; i=$((i + 1))
	done
	return 1
}
# kill_stopped: kill -9 the stopped scanner and wait until the server has closed its connection
kill_stopped() {
	kill -9 "$pa"; wait "$pa" 2>/dev/null
	i=0
	while [ "$(SQL "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'scan_a'")" -gt 0 ] && [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
}
start_stopped
ok $? "scan_a's import is stopped while a scan of it is running"
n0=$(running)
run TU scan_b db status
is "$(running)" "$n0" "scan_b (no PROCESS) leaves scan_a's scan in progress running"
run TU trueup db status
is "$(running)" "$n0" "a user with PROCESS, who sees its connection alive, too"
kill_stopped
run TU scan_b db status
is "$(running)" "$n0" "scan_a killed: scan_b, who cannot see scan_a's connections, still leaves it alone"
run TU scan_a db status
is "$(running)" 0 "scan_a itself marks it interrupted"
like "$out" "left running by a process that ended: now interrupted" "db status says so"
start_stopped
n0=$(running) # the groups in flight when it stopped (one a store connection)
kill_stopped
run TU scan_b db status
is "$(running)" "$n0" "again killed: scan_b leaves it alone"
run TU trueup db status
is "$(running)" 0 "a user with PROCESS marks it"
start_stopped
n0=$(running)
kill_stopped
run TU scan_b db status
is "$(running)" "$n0" "killed a third time: scan_b leaves it alone while its lease lasts"
# an hour later (TU_STORE_LEASE_SECONDS): the lease has ended
SQL "UPDATE trueup.scans SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE status = 'running'"
run TU scan_b db status
is "$(running)" 0 "once its lease has ended, scan_b marks it"
run TU scan_b scan --import "$TMP/p.csv"
is "$rc" 0 "scan_b imports the same file whole afterwards"
run T 60 db check
is "$rc" 0 "db check is clean"

# the server killed and restarted mid-import: the scan rides it out
gen r 300 150 > "$TMP/r.csv"
T 60 scan --import "$TMP/r.csv" > "$TMP/r.out" 2>&1 & pr=$!
wait_hosts r 20
"$harness" kill "$S"
killed_at=$(date +%s)
sleep 3
"$harness" restart "$S"
diag "server down for $(( $(date +%s) - killed_at )) s"
wait $pr
is "$?" 0 "an import whose server was killed and restarted finishes with success"
like "$(cat "$TMP/r.out")" "scanned 300 hosts, 0 failed" "storing all 300 hosts"
like "$(cat "$TMP/r.out")" "connection was lost and made again [12] times? \(now $HOST/trueup\)" \
	"saying it reconnected to the same server"
is "$(SQL "SELECT COUNT(*) FROM trueup.installations i JOIN trueup.hosts h ON h.id = i.host_id
	WHERE h.hostname LIKE 'r-%' AND i.removed_at IS NULL")" 45000 "all 45,000 installations are stored"
is "$(SQL "SELECT COUNT(*) FROM (SELECT host_id, install_key FROM trueup.installations
	WHERE removed_at IS NULL GROUP BY host_id, install_key HAVING COUNT(*) > 1) x")" 0 \
	"none twice (a retried host whose COMMIT had landed is not doubled)"
is "$(SQL "SELECT COUNT(*) FROM trueup.hosts WHERE hostname LIKE 'r-%'")" 300 "nothing lost: all 300 hosts"
is "$(SQL "SELECT COUNT(*) FROM trueup.scans s JOIN trueup.hosts h ON h.id = s.host_id
	WHERE h.hostname LIKE 'r-%' AND s.status = 'ok'")" 300 "one 'ok' scan per host"
run T 60 db check
is "$rc" 0 "db check is clean after the restart"
[ "$rc" = 0 ] || printf '%s\n' "$out" | head -20 | sed 's/^/#   /'

# the server gone for good: one message naming it, a prompt exit, what was stored
gen g 300 150 > "$TMP/g.csv"
T 5 scan --import "$TMP/g.csv" > "$TMP/g.out" 2> "$TMP/g.err" & pg=$!
wait_hosts g 20
t0=$(date +%s%N)
"$harness" kill "$S"
wait $pg
grc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
elapsed=$(( ms / 1000 ))
diag "gone for good: the scan stopped $ms ms after the server died (window 5 s)"
is "$grc" 1 "the scan fails when the server stays away past the window"
n_lines=$(grep -c . "$TMP/g.err")
is "$n_lines" 1 "with one message, not one per host"
[ "$n_lines" -eq 1 ] || sed 's/^/# /' "$TMP/g.err"
like "$(cat "$TMP/g.err")" "scan: stopped: the database server $HOST did not answer for 5 s" \
	"naming the server and the window"
like "$(cat "$TMP/g.err")" "[0-9]+ hosts stored before that, [0-9]+ scanned but not stored" \
	"and saying what was stored"
# well within one window per host (the old behaviour): a bound, not a benchmark
ok $([ "$elapsed" -lt 30 ]; echo $?) "it stops within a few seconds of the window (${elapsed} s)"

"$harness" restart "$S"
stored=$(SQL "SELECT COUNT(*) FROM trueup.hosts WHERE hostname LIKE 'g-%'")
said=$(sed -n 's/.* \([0-9][0-9]*\) hosts stored before that.*/\1/p' "$TMP/g.err")
# the hosts in flight when the server died may have committed without hearing so: the hosts
# of one group (tu_store_host_scans: at most 16 hosts to a transaction) more
ok $([ -n "$said" ] && [ "$stored" -ge "$said" ] && [ "$stored" -le $((said + 16)) ]; echo $?) \
	"the count it gave ($said) is what the server holds ($stored hosts, one group more if its last COMMIT landed unheard)"
partial=$(SQL "SELECT COUNT(*) FROM trueup.hosts h WHERE h.hostname LIKE 'g-%' AND
	(SELECT COUNT(*) FROM trueup.installations i WHERE i.host_id = h.id AND i.removed_at IS NULL) <> 150")
is "$partial" 0 "every stored host is whole (one transaction per host)"
run T 60 db check
is "$rc" 0 "db check is clean after the server was gone for good"
[ "$rc" = 0 ] || printf '%s\n' "$out" | head -20 | sed 's/^/#   /'
# the earlier import is all still there, and the server's restart lost nothing committed
is "$(SQL "SELECT COUNT(*) FROM trueup.installations i JOIN trueup.hosts h ON h.id = i.host_id
	WHERE h.hostname LIKE 'r-%' AND i.removed_at IS NULL")" 45000 "nothing lost of the first import"
# the same import again, with the server back: it completes, and every host is stored once
run T 60 scan --import "$TMP/g.csv"
is "$rc" 0 "the interrupted import, run again, finishes"
is "$(SQL "SELECT COUNT(*) FROM trueup.installations i JOIN trueup.hosts h ON h.id = i.host_id
	WHERE h.hostname LIKE 'g-%' AND i.removed_at IS NULL")" 45000 "and stores all 45,000 installations, none twice"
run T 60 db check
is "$rc" 0 "db check is clean after it"
is "$(SQL "SELECT COUNT(*) FROM trueup.scans WHERE status = 'running'")" 0 \
	"no scan is left 'running' (the one in flight when the server died is marked interrupted)"

done_testing
