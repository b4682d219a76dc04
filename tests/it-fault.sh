#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The fault suite: real processes, no mocks. Eight scanners importing different generations of
# the same hosts into one private mariadbd at once; an older export after a newer one; kill -9
# of the scanner at random points (ten runs, embedded store); SIGTERM and SIGINT between the
# hosts of one import file; a disk that fills up (a small tmpfs when root, as in CI); the data directory and
# `run` configuration faults. After each, `trueup db check` must be clean and nothing that was
# stored may be lost: every host's current set is exactly the generation of its newest scan.
. "$(dirname "$0")/lib.sh"
need_embedded

# gen G N: the CSV export of generation G of hosts fault-001..N. Per host: 30 packages that
# never change, 10 whose version is 2.G, 5 present in odd generations only, 1 named after G.
gen() {
	awk -v g="$1" -v n="$2" 'BEGIN {
		print "host,name,version"
		for (h = 1; h <= n; h++) {
			host = sprintf("fault-%03d", h)
			for (p = 1; p <= 30; p++) printf "%s,base-%d,1.0\n", host, p
			for (p = 1; p <= 10; p++) printf "%s,moving-%d,2.%d\n", host, p, g
			if (g % 2) for (p = 1; p <= 5; p++) printf "%s,odd-%d,1.0\n", host, p
			printf "%s,gen-%d,1.0\n", host, g
		}
	}'
}
# current T: "host<TAB>name<TAB>version<TAB>last_seen-date" of the store, sorted
current() { "$@" inventory --print tsv | tail -n +2 | awk -F'\t' '{ print $1 "\t" $3 "\t" $4 "\t" substr($20, 1, 10) }' | sort; }
# consistent FILE: every host's current set is exactly the generation its last scan was observed
# at (as-of 2026-MM-DD, the day being the generation; the rules are gen's); prints the hosts
# that are not
consistent() {
	awk -F'\t' '
	$2 ~ /^Adobe Acrobat/ { next }
	{
		day = $4; sub(/^2026-[0-9]*-0*/, "", day)
		if (($1 in g) && g[$1] != day) several[$1] = 1
		g[$1] = day; have[$1, $2] = $3; n[$1]++
	}
	END {
		for (h in g) {
			if (h in several) { print h ": last seen on several days"; continue }
			G = g[h]; want = 0; bad = 0
			for (p = 1; p <= 30; p++) { want++; if (have[h, "base-" p] != "1.0") bad = 1 }
			for (p = 1; p <= 10; p++) { want++; if (have[h, "moving-" p] != "2." G) bad = 1 }
			if (G % 2) for (p = 1; p <= 5; p++) { want++; if (have[h, "odd-" p] != "1.0") bad = 1 }
			want++; if (have[h, "gen-" G] != "1.0") bad = 1
			if (bad || n[h] != want) print h ": not generation " G
		}
	}' "$1" | sort
}

# --- eight scanners, one server, different generations of the same 40 hosts ----------------
S="$TMP/server"
harness="$TU_SOURCE_ROOT/tests/mariadbd-harness.sh"
if vars=$("$harness" start "$S"); then
	stop_server() { "$harness" stop "$S"; }
	at_exit stop_server
	eval "$vars"
	CLIENT="mariadb --no-defaults -S $TU_TEST_SOCKET -uroot"
	export TRUEUP_DB_PASSWORD="$TU_TEST_PASSWORD"
	URL="mysql://trueup@127.0.0.1:$TU_TEST_PORT/trueup_fault"
	TS() { "$TRUEUP" --data-dir "$TMP/unused" --db "$URL" "$@"; }
	run TS db migrate
	is "$rc" 0 "a private server is migrated"
	for g in 1 2 3 4 5 6 7 8; do gen $g 40 > "$TMP/gen$g.csv"; done
	for round in 1 2; do
		pids=""
		for g in 8 3 6 1 7 2 5 4; do
			TS scan --import "$TMP/gen$g.csv" --as-of "2026-0$((5 + round))-0${g}T00:00:00Z" \
				> "$TMP/scanner$round-$g.out" 2>&1 &
			pids="$pids $!"
		done
		for p in $pids; do wait "$p"; done
		cat "$TMP"/scanner$round-*.out > "$TMP/all$round.out"
		bad=$(grep '^trueup: ' "$TMP/all$round.out")
		is "$bad" "" "round $round: eight scanners of the same 40 hosts: no failure, no refusal"
		not_like "$(cat "$TMP/all$round.out")" "Deadlock|1213|1205|1467|Lock wait" "round $round: no deadlock or lock wait reaches the user"
		run TS db check
		is "$rc" 0 "round $round: db check is clean after eight concurrent scanners"
		[ "$rc" = 0 ] || printf '%s\n' "$out" | head -20 | sed 's/^/#   /'
		current TS > "$TMP/cur$round"
		is "$(cut -f1 "$TMP/cur$round" | sort -u | wc -l)" 40 "round $round: every host is stored"
		is "$(consistent "$TMP/cur$round")" "" "round $round: each host's current set is exactly the generation of its newest scan"
		is "$(cut -f4 "$TMP/cur$round" | sort -u)" "2026-0$((5 + round))-08" "round $round: and that is the newest generation for every host"
		n=$($CLIENT -N trueup_fault -e "SELECT COUNT(*) FROM scans WHERE status <> 'ok'")
		is "$n" 0 "round $round: every scan is stored ('ok'), the older ones as history"
	done
	# history: every interval opens and closes at a stored scan of its host, and the intervals
	# of a package whose version moves chain without a gap
	n=$($CLIENT -N trueup_fault -e "SELECT COUNT(*) FROM installations i WHERE NOT EXISTS (SELECT 1 FROM scans s WHERE s.host_id = i.host_id AND s.status = 'ok' AND s.started_at = i.first_seen) OR (i.removed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.host_id = i.host_id AND s.status = 'ok' AND s.started_at = i.removed_at))")
	is "$n" 0 "every interval opens and closes at a stored scan of its host"
	n=$($CLIENT -N trueup_fault -e "SELECT COUNT(*) FROM installations i JOIN software w ON w.id = i.software_id WHERE w.raw_name LIKE 'moving-%' AND i.removed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM installations j WHERE j.host_id = i.host_id AND j.install_key = i.install_key AND j.first_seen = i.removed_at)")
	is "$n" 0 "a moving package's intervals chain: each closes where the next opens"
	# the history at every scan's instant is that scan's generation, whatever the order the
	# scanners committed in: 40 hosts x 16 instants, each the generation of its day
	n=$($CLIENT -N trueup_fault -e "SELECT COUNT(*) FROM (SELECT DISTINCT host_id, started_at FROM scans WHERE status = 'ok') s")
	is "$n" 640 "all 640 host scans are in the history, at 640 distinct instants"
	n=$($CLIENT -N trueup_fault -e "SELECT COUNT(*) FROM (SELECT s.host_id, s.started_at AS t, COUNT(*) AS n,
		SUM(w.raw_name LIKE 'moving-%' AND w.raw_version <> CONCAT('2.', DAY(s.started_at))) AS bad_moving,
		SUM(w.raw_name = CONCAT('gen-', DAY(s.started_at))) AS gen
		FROM (SELECT DISTINCT host_id, started_at FROM scans WHERE status = 'ok') s
		JOIN installations i ON i.host_id = s.host_id AND i.first_seen <= s.started_at AND
		(i.removed_at IS NULL OR i.removed_at > s.started_at) JOIN software w ON w.id = i.software_id
		GROUP BY s.host_id, s.started_at) x
		WHERE x.n <> 41 + 5 * (DAY(x.t) % 2) OR x.bad_moving > 0 OR x.gen <> 1")
	is "$n" 0 "at each of them the host's installations are exactly that generation's"
	diag "invariants on the server: $(TS db check | tail -4 | tr '\n' ';')"
else
	rc=$?
	[ $rc -eq 77 ] || { echo "Bail out! cannot start mariadbd"; exit 1; }
	diag "no MariaDB server installed: the server part is skipped"
fi

# --- older exports after newer ones, in every order (embedded store) -------------------------
# The history must not depend on the order exports arrive in: the changes report and
# `reconcile --at` of stores fed generations 1..4 in other orders equal those of the store fed
# them in order. gen_lic adds a licensable program (Adobe Acrobat DC) in even generations.
gen_lic() { gen "$1" "$2"; [ $(($1 % 2)) = 0 ] && awk -v g="$1" -v n="$2" 'BEGIN {
	for (h = 1; h <= n; h++) printf "fault-%03d,Adobe Acrobat DC,23.00%d.20360\n", h, g }'; true; }
T() { "$TRUEUP" --data-dir "$D" "$@"; }
for g in 1 2 3 4; do gen_lic $g 5 > "$TMP/old$g.csv"; done
for order in 1234 21 4213 4321 3142; do
	D="$TMP/older-$order"
	status=""
	for g in $(echo "$order" | sed 's/./& /g'); do
		run T scan --import "$TMP/old$g.csv" --as-of "2026-06-0$g"
		status="$status$rc"
		printf '%s\n' "$out" "$err" >> "$TMP/older-$order.log"
		run T db check
		status="$status$rc"
		current T > "$TMP/older.cur"
		status="$status$(consistent "$TMP/older.cur")"
	done
	is "$status" "$(echo "$order" | sed 's/./00/g')" "order $order: every export stored, db check clean and the current state the newest generation after each"
	run T report changes --since 2026-01-01 --format csv -o "$TMP/changes-$order.csv"
	for d in 1 2 3 4; do
		T reconcile --at "2026-06-0$d" --print tsv > "$TMP/at$d-$order.tsv" 2>&1
	done
done
like "$(cat "$TMP/older-21.log")" "5 host scans observed before the host's newest stored scan placed in its history" \
	"an older export after a newer one is placed in the history, saying so"
is "$(cut -f4 "$TMP/older.cur" | sort -u)" "2026-06-04" "the current state is the newest export's, as of its date"
for order in 4213 4321 3142; do
	same=0
	for f in "" -by-host -by-product; do
		cmp -s "$TMP/changes-1234$f.csv" "$TMP/changes-$order$f.csv" ||
			{ same=1; diff "$TMP/changes-1234$f.csv" "$TMP/changes-$order$f.csv" | head -5 | sed 's/^/#   /'; }
	done
	is "$same" 0 "order $order: the changes report is the one of exports stored in order"
	same=0
	for d in 1 2 3 4; do cmp -s "$TMP/at$d-1234.tsv" "$TMP/at$d-$order.tsv" || same=1; done
	is "$same" 0 "order $order: reconcile --at each export's date is the one of exports stored in order"
done
like "$(cat "$TMP/at2-4321.tsv")" "Acrobat" "reconcile --at an even generation's date counts the licensable program"
not_like "$(cat "$TMP/at3-4321.tsv")" "Acrobat" "and --at an odd one's does not, though it was stored before and after"
like "$(cat "$TMP/changes-4321.csv")" "2026-06-02 00:00:00,fault-001,upgraded,csv,moving-1" "upgrades are reported at the day they happened"
not_like "$(cat "$TMP/changes-4321.csv")" "downgraded" "and no reversal is reported as a downgrade"
# a scan of the instant of a stored scan, with other software, cannot be placed
D="$TMP/older-4321"
run T scan --import "$TMP/old3.csv" --as-of 2026-06-02
is "$rc" 1 "an export with other software at the instant of a stored scan is an error"
like "$err" "fault-001: not stored: this scan of fault-001 was observed at 2026-06-02 00:00:00.000000 UTC, the same instant as stored scan [0-9]+ of the host \(2026-06-02 00:00:00.000000 UTC\)" "naming both scans' time"
like "$err" "5 host scans that cannot be placed in the history not stored" "summed up once"
run T report changes --since 2026-01-01 --format csv -o "$TMP/changes-after.csv"
cmp -s "$TMP/changes-1234.csv" "$TMP/changes-after.csv"
is "$?" 0 "and the history is as it was"
run T db check
is "$rc" 0 "db check is clean"
run T db status
like "$out" "refused +5" "db status counts the refused scans"

# --- kill -9 of the scanner at random points (ten runs) --------------------------------------
D="$TMP/killed"
gen 8 150 > "$TMP/big.csv"
gen 1 150 > "$TMP/big1.csv"
t0=$(date +%s%N)
run T scan --import "$TMP/big1.csv" --as-of 2026-07-01
t1=$(date +%s%N)
is "$rc" 0 "a first import to kill later ones over"
# the kill points spread over what a whole import takes here (parsing, then storing)
span_ms=$(( (t1 - t0) / 1000000 ))
killed=0
marked=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	g=$(( (i % 7) + 2 ))
	gen $g 150 > "$TMP/kill.csv"
	"$TRUEUP" --data-dir "$D" scan --import "$TMP/kill.csv" --as-of "2026-07-0${g}T00:00:$(printf %02d $i)Z" > /dev/null 2>&1 &
	pid=$!
	# a random point between start-up and the end of the import
	sleep "$(od -An -N2 -tu2 /dev/urandom | awk -v s="$span_ms" '{ printf "%.3f", (20 + $1 % int(s * 0.7 + 1)) / 1000 }')"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	run T db check
	[ "$rc" = 0 ] || { diag "run $i: db check failed after kill -9"; printf '%s\n' "$out" | head | sed 's/^/#   /'; }
	# a kill while a group of hosts was being stored leaves its scans 'running': the open marks them
	n=$(printf '%s\n' "$err" | sed -n 's/^\([0-9][0-9]*\) scans\{0,1\} left running by a process that ended marked interrupted$/\1/p')
	marked=$((marked + ${n:-0}))
	current T > "$TMP/kill.cur"
	bad=$(consistent "$TMP/kill.cur")
	[ -z "$bad" ] || diag "run $i: $bad"
	eval "check_$i=\$rc\$bad"
done
all=""
for i in 1 2 3 4 5 6 7 8 9 10; do eval "all=\$all\$check_$i"; done
is "$all" "0000000000" "after each of ten kill -9 at random points the store opens, db check is clean and each host is one whole generation"
diag "$killed of 10 scanners were killed before they finished"
run T db status
like "$out" "interrupted|ok" "db status reports the scans"
n_running=$(printf '%s\n' "$out" | grep -c '^  running ')
is "$n_running" 0 "no scan is left 'running' once a store is opened again"
# (whether a kill lands while scans are 'running' is chance; it-server-faults kills one there)
n_interrupted=$(printf '%s\n' "$out" | sed -n 's/^  interrupted *\([0-9]*\)$/\1/p')
is "${n_interrupted:-0}" "$marked" "db status counts as interrupted exactly the scans the opens after the kills marked ($marked)"
run T scan --import "$TMP/big.csv" --as-of 2026-07-08T01:00:00Z
is "$rc" 0 "a full import completes after the kills"
current T > "$TMP/kill.cur"
is "$(consistent "$TMP/kill.cur")$(cut -f1 "$TMP/kill.cur" | sort -u | wc -l)" "150" "and every host is its newest generation"

# --- SIGTERM and Ctrl-C (SIGINT) stop between the hosts of one import file -------------------
# (6,000 hosts: with two store connections 1,500 were sometimes all stored between the first
# host's line reaching the file and the signal, which then found no scan to stop)
gen 3 6000 > "$TMP/many.csv"
for sig in TERM INT; do
	D="$TMP/term-$sig"
	T db migrate > /dev/null 2>&1
	# the binary itself in the background (not a shell function), so that the signal reaches
	# it, with SIGINT's default action (a shell starts background commands with it ignored);
	# -v says each host as it is stored
	env --default-signal=INT "$TRUEUP" --data-dir "$D" -v scan --import "$TMP/many.csv" --as-of 2026-07-03 > "$TMP/term.out" 2>&1 &
	pid=$!
	# once it is storing hosts (the import file takes a moment to parse), ask it to stop; under
	# a load of 16 on two cores the embedded server's start and the parse took over a minute,
	# and a signal before the handlers are set ends it by the default action (status 130)
	i=0
	until grep -q "records:" "$TMP/term.out" || [ $i -gt 3000 ]; do sleep 0.1; i=$((i + 1)); done
	[ $i -le 3000 ] || diag "no host stored after 300 s: the signal comes before the import"
	kill -$sig "$pid"
	wait "$pid"
	trc=$?
	is "$trc" 1 "SIG$sig during one import file ends the scan with status 1"
	like "$(cat "$TMP/term.out")" "interrupted: .*the rest of an import file's hosts not stored" "saying it was interrupted and what was not stored"
	run T db check
	is "$rc" 0 "db check is clean after the stop"
	current T > "$TMP/term.cur"
	n=$(cut -f1 "$TMP/term.cur" | sort -u | wc -l)
	ok "$([ "$n" -lt 6000 ] && echo 0 || echo 1)" "it stopped between hosts: $n of 6000 stored"
	is "$(consistent "$TMP/term.cur")" "" "and each stored host is whole"
done

# --- the disk fills up ------------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && mkdir -p "$TMP/small" && mount -t tmpfs -o size=64m tmpfs "$TMP/small" 2>/dev/null; then
	unmount_small() { umount "$TMP/small" 2>/dev/null || umount -l "$TMP/small"; }
	at_exit unmount_small
	D="$TMP/small/data"
	run T db migrate
	is "$rc" 0 "a store on a 64 MB file system"
	# leave about 14 MB free, which the import fills (InnoDB then asks for 20 MB more at once)
	free_kb=$(df -k "$TMP/small" | awk 'NR == 2 { print $4 }')
	dd if=/dev/zero of="$TMP/small/filler" bs=1k count=$((free_kb - 14336)) 2>/dev/null
	gen 5 3000 > "$TMP/huge.csv"
	run T scan --import "$TMP/huge.csv" --as-of 2026-08-05
	is "$rc" 1 "a scan onto a full disk fails"
	like "$err" "disk full" "saying the disk is full"
	like "$err" "$D" "and where"
	is "$(printf '%s\n' "$err" | grep -c 'disk full')" 1 "once: the run stops at once, not once per host"
	like "$err" "scan: stopped: " "and says what was stored"
	diag "disk full: $(printf '%s\n' "$err" | tr '\n' '|')"
	is "$(printf '%s\n' "$err" | grep -Evc '^trueup: |^scanned ')" 0 "nothing but trueup's own messages reaches the terminal"
	like "$(cat "$D/server.log")" "28|full" "the server's own messages are in server.log"
	rm -f "$TMP/small/filler"
	run T db check
	is "$rc" 0 "the store opens afterwards and db check is clean"
	current T > "$TMP/full.cur"
	is "$(consistent "$TMP/full.cur")" "" "each host stored before the disk filled is whole"
	gen 6 5 > "$TMP/after.csv"
	run T scan --import "$TMP/after.csv" --as-of 2026-08-06
	is "$rc" 0 "with space again, a scan is stored"
	[ "$rc" = 0 ] || diag "$err"
	# a store that cannot even start: a full disk from the first byte
	dd if=/dev/zero of="$TMP/small/filler" bs=1M count=100 2>/dev/null
	run "$TRUEUP" --data-dir "$TMP/small/fresh" db status
	is "$rc" 1 "a new store on a full disk cannot be made"
	like "$err" "disk full" "and the error names the cause"
	like "$err" "see $TMP/small/fresh/server.log|No space left" "and where the log is (or why it cannot be written)"
	rm -f "$TMP/small/filler"
else
	diag "not root (or no tmpfs): the disk-full part needs a small file system and is skipped"
fi

# --- the data directory and run configuration -------------------------------------------------
run env -u TRUEUP_DATA_DIR HOME= XDG_DATA_HOME= "$TRUEUP" db status
is "$rc" 2 "an empty HOME gives no relative data directory"
like "$err" "is relative" "it is refused, saying so"
run env -u TRUEUP_DATA_DIR XDG_DATA_HOME=relative/dir "$TRUEUP" db status
is "$rc" 2 "a relative XDG_DATA_HOME is refused"
# a store that cannot be listed (a file where the directory should be: unreadable even to root)
mkdir -p "$TMP/blocked"
echo x > "$TMP/blocked/db"
run "$TRUEUP" --data-dir "$TMP/blocked" db status
is "$rc" 1 "an unreadable existing store is an error"
like "$err" "exists but cannot be read" "never a new store"
is "$(cat "$TMP/blocked/db")" "x" "and it is left as it was"
# a store the server may not write (made by root, say `sudo trueup`, in the user's data
# directory): the start-up error names the cause and the log. Root may write anything, so as
# root (CI) the store is opened as nobody; otherwise its files are made read-only.
P=$(mktemp -d /tmp/trueup-perm-XXXXXX)
rm_perm() { rm -rf "$P"; }
at_exit rm_perm
chmod 755 "$P"
mkdir -p "$P/home"
run "$TRUEUP" --data-dir "$P/d" db migrate
is "$rc" 0 "a store to be opened without write permission"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$TRUEUP" --version > /dev/null 2>&1; then
	# the data directory, its lock and its log are nobody's; the store inside stays root's
	chown nobody "$P/home" "$P/d" "$P/d/trueup.lock" "$P/d/server.log" "$P/d/tmp"
	chmod 755 "$P/d/db"
	as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=$P/home XDG_CONFIG_HOME=$P/home"
	who="nobody (the store is root's)"
else
	chmod -R a-w "$P/d/db"
	as_user=""
	who="$(id -un) (the store is read-only)"
fi
run $as_user "$TRUEUP" --data-dir "$P/d" db status
is "$rc" 1 "as $who: the store does not start"
like "$err" "cannot start the embedded store in $P/d/db: permission denied" "and the error names the cause"
like "$err" "see $P/d/server.log" "and where the log is"
not_like "$err" "Got ERROR|errno" "and the server's own lines stay in the log"
chmod -R u+w "$P/d/db"

mkdir -p "$TMP/run"
cat > "$TMP/run/a.conf" <<EOF
[trueup]
data-dir = $TMP/rundata
[run]
output-dir = $TMP/run/out
log = $TMP/run
EOF
run "$TRUEUP" --config "$TMP/run/a.conf" run
is "$rc" 1 "run fails when its log cannot be opened"
like "$err" "cannot open the log $TMP/run" "naming it"
cat > "$TMP/run/b.conf" <<EOF
[trueup]
data-dir = $TMP/rundata
[run]
output-dir = $TMP/run/out
log = $TMP/run/run.log
imports = $TMP/run/exports/*.csv
EOF
run "$TRUEUP" --config "$TMP/run/b.conf" run
is "$rc" 1 "run fails when an imports glob matches nothing"
like "$(cat "$TMP/run/run.log")" "imports: FAILED: $TMP/run/exports/\*.csv matches no file" "the log names the glob"
echo "allow-empty = imports" >> "$TMP/run/b.conf"
run "$TRUEUP" --config "$TMP/run/b.conf" run
like "$(cat "$TMP/run/run.log")" "matches no file \(allowed by allow-empty\)" "unless the config marks it optional, and then says so"
not_like "$(tail -20 "$TMP/run/run.log")" "imports: FAILED" "without failing the step"

done_testing
