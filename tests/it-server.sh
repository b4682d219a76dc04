#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The same binary against a real MariaDB server that this test starts itself (private socket,
# random loopback port, a user with a password): migrations, status, scans, reports, the
# three URL forms, the password kept out of argv, ps and messages, a database newer than the
# binary refused, two scanners at once, and a lock wait retried.
. "$(dirname "$0")/lib.sh"

S="$TMP/server"
harness="$TU_SOURCE_ROOT/tests/mariadbd-harness.sh"
vars=$("$harness" start "$S") || { rc=$?; [ $rc -eq 77 ] && skip_all "no MariaDB server installed"; echo "Bail out! cannot start mariadbd"; exit 1; }
stop_server() { "$harness" stop "$S"; }
at_exit stop_server
eval "$vars"
CLIENT="mariadb --no-defaults -S $TU_TEST_SOCKET -uroot"
export TRUEUP_DB_PASSWORD="$TU_TEST_PASSWORD"
URL="mysql://trueup@127.0.0.1:$TU_TEST_PORT/trueup_it"
T() { "$TRUEUP" --data-dir "$TMP/unused" --db "$URL" "$@"; }

run T db migrate
is "$rc" 0 "db migrate on a server creates the database and migrates it"
like "$out" "applied [0-9]+ migration" "applies the migrations"
run T db migrate
is "$rc" 0 "db migrate again succeeds"
like "$out" "is current" "and applies nothing"
run T db status
is "$err" "" "server mode prints nothing on stderr (no embedded server is started)"
like "$out" "mode: +server" "status says server"
like "$out" "server version: +[0-9]+\.[0-9]+\.[0-9]+-MariaDB" "with the server's version"
like "$out" "database: +127.0.0.1:$TU_TEST_PORT/trueup_it" "and where"
test ! -e "$TMP/unused/db"
ok $? "no embedded store was created"

# the socket form and an option group
run "$TRUEUP" --db "mysql://trueup@localhost/trueup_it?socket=$TU_TEST_SOCKET" db status
is "$rc" 0 "the socket URL form works"
printf '[client-it]\nuser=trueup\npassword=%s\nhost=127.0.0.1\nport=%s\n' "$TU_TEST_PASSWORD" "$TU_TEST_PORT" > "$TMP/my.cnf"
chmod 600 "$TMP/my.cnf"
run env -u TRUEUP_DB_PASSWORD "$TRUEUP" --config "$TMP/my.cnf" --db "mysql://?group=client-it" db status
is "$rc" 0 "an option group from the config file supplies user, host, port and password"

# a scan and reports against the server
R="$TMP/root"
mkdir -p "$R/etc" "$R/var/lib/dpkg"
echo "srv-host" > "$R/etc/hostname"
printf 'Package: nginx\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.22.1-9\n\n' > "$R/var/lib/dpkg/status"
run T scan --root "$R"
is "$rc" 0 "scan --root into the server"
like "$err" "1 added" "stores the installation"
run T inventory --print tsv
like "$out" "srv-host	dpkg	nginx	1.22.1-9" "inventory reads it back"
run T report inventory -o "$TMP/srv.xlsx"
is "$rc" 0 "report inventory from the server"

# the password: never in argv, ps or messages
run env TRUEUP_DB_PASSWORD=wrong-secret-xyz "$TRUEUP" --db "$URL" db status
is "$rc" 1 "a wrong password is an error"
like "$err" "Access denied" "saying access was denied"
not_like "$err" "wrong-secret-xyz" "without the password"
( T scan --root "$R" --timeout 5 >/dev/null 2>&1 ) &
bg=$!
seen=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	seen="$seen$(ps -eo args 2>/dev/null | grep -v grep | grep -c -- "$TU_TEST_PASSWORD")"
	sleep 0.05
done
wait $bg
is "$(echo "$seen" | tr -d 0)" "" "the password never appears in ps"

# a user who may not create the database
run env TRUEUP_DB_PASSWORD="$TU_TEST_PASSWORD" "$TRUEUP" --db "mysql://limited@127.0.0.1:$TU_TEST_PORT/nope" db status
is "$rc" 1 "a database the user may neither create nor use is a clear error"
like "$err" "cannot use database nope" "naming it"

# a database newer than the binary
$CLIENT -e "INSERT INTO trueup_it.schema_migrations VALUES (999, '0999-future.sql', REPEAT('0',64), NOW())"
run T db status
is "$rc" 1 "a database migrated by a newer trueup is refused"
like "$err" "schema is at version 999" "with a clear message"
$CLIENT -e "DELETE FROM trueup_it.schema_migrations WHERE version = 999"

# two scanners writing different hosts at once
for n in 1 2 3 4; do
	mkdir -p "$TMP/r$n/etc" "$TMP/r$n/var/lib/dpkg"
	echo "conc-$n" > "$TMP/r$n/etc/hostname"
	for p in $(seq 1 300); do
		printf 'Package: pkg%s\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.%s\n\n' "$p" "$n"
	done > "$TMP/r$n/var/lib/dpkg/status"
done
T scan --root "$TMP/r1" --root "$TMP/r2" > "$TMP/a.out" 2>&1 &
a=$!
T scan --root "$TMP/r3" --root "$TMP/r4" > "$TMP/b.out" 2>&1 &
b=$!
wait $a; ra=$?
wait $b; rb=$?
is "$ra$rb" "00" "two scanners writing different hosts at once both succeed"
[ "$ra$rb" = 00 ] || sed "s/^/#   /" "$TMP/a.out" "$TMP/b.out"
run T inventory --print tsv
is "$(printf '%s\n' "$out" | grep -c '^conc-')" 1200 "and every installation landed"

# one scan through two connections (--writers 2): groups of hosts stored at once; a host's two
# scans in one run keep their order (the same instant: the later file's replaces the earlier's)
# the server's count of connections and of deadlocks, read by one client (which counts itself)
counters() { $CLIENT -N -e "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME SEPARATOR ' ')
	FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('CONNECTIONS', 'INNODB_DEADLOCKS')"; }
awk 'BEGIN { print "host,name,version"; for (h = 1; h <= 400; h++) for (p = 1; p <= 5; p++)
	printf "lane-%03d,app-%d,1.%d\n", h, p, p }' > "$TMP/lanes-a.csv"
awk 'BEGIN { print "host,name,version"; for (h = 1; h <= 400; h++) for (p = 1; p <= 5; p++)
	printf "lane-%03d,app-%d,2.%d\n", h, p, p }' > "$TMP/lanes-b.csv"
before=$(counters)
run T scan --jobs 1 --writers 2 --as-of 2026-05-01T00:00:00Z --import "$TMP/lanes-a.csv" --import "$TMP/lanes-b.csv"
after=$(counters)
is "$rc" 0 "a scan of 800 host scans through two connections succeeds"
is "$(( ${after% *} - ${before% *} - 1 ))" 2 "through two connections to the server"
is "$(( ${after#* } - ${before#* } ))" 0 "without a deadlock between them (new hosts, READ COMMITTED)"
run T inventory --print tsv
is "$(printf '%s\n' "$out" | grep '^lane-' | cut -f4 | sort | uniq -c | tr -s ' ')" " 400 2.1
 400 2.2
 400 2.3
 400 2.4
 400 2.5" "each host holds its later scan's versions: a host's scans kept their order"
run T db check
is "$rc" 0 "db check is clean after it"
run T scan --writers 0 --import "$TMP/lanes-a.csv"
is "$rc" 2 "--writers 0 is refused"
like "$err" "writers must be between 1 and 16" "saying what it takes"

# a lock wait is retried: another session holds the host row for a moment
$CLIENT -e "SET GLOBAL innodb_lock_wait_timeout = 1"
printf 'Package: nginx\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.22.1-10\n\n' > "$R/var/lib/dpkg/status"
$CLIENT trueup_it -e "START TRANSACTION; SELECT id FROM hosts WHERE hostname = 'srv-host' FOR UPDATE; SELECT SLEEP(2); COMMIT;" > /dev/null &
holder=$!
sleep 0.3
run T scan --root "$R"
wait $holder
is "$rc" 0 "a scan waiting on a lock held by another session is retried and succeeds"
like "$err" "1 updated" "and stores the change"
$CLIENT -e "SET GLOBAL innodb_lock_wait_timeout = 50"

# migrations: a database created at every earlier version upgrades and keeps its data
latest=$(T db status | sed -n 's/^schema version: *\([0-9]*\).*/\1/p')
v=1
while [ "$v" -lt "$latest" ]; do
	U="mysql://trueup@127.0.0.1:$TU_TEST_PORT/mig_$v"
	run "$TRUEUP" --db "$U" db migrate --to "$v"
	is "$rc" 0 "a database at schema version $v"
	run "$TRUEUP" --db "$U" db status
	like "$out" "schema version: +$v " "reports version $v"
	like "$out" "pending: +$((latest - v))" "with the later migrations pending"
	# data written at that version
	$CLIENT -e "INSERT INTO mig_$v.hosts (identity, hostname, first_seen, last_seen) VALUES ('hostname:old', 'old', NOW(), NOW())"
	run "$TRUEUP" --db "$U" inventory --print tsv
	is "$rc" 1 "commands refuse a server database that is behind"
	like "$err" "run 'trueup db migrate' first" "and say what to do"
	run "$TRUEUP" --db "$U" db migrate
	is "$rc" 0 "upgrades from version $v to $latest"
	run "$TRUEUP" --db "$U" hosts --print tsv
	like "$out" "^old	" "and the data written at version $v is still there"
	v=$((v + 1))
done

done_testing
