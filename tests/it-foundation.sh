#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The command line and the embedded store, driven through the real binary: usage errors and
# exit codes, first start without chatter, idempotent migrations, the data-directory lock,
# bad config and URLs, scans with history, and the inventory workbook read back by openpyxl
# with the formula-injection guard.
. "$(dirname "$0")/lib.sh"
need_embedded

D="$TMP/data"
T() { "$TRUEUP" --data-dir "$D" "$@"; }

# --- usage -------------------------------------------------------------------------------
run "$TRUEUP" --help
is "$rc" 0 "--help exits 0"
for c in scan inventory hosts normalise version import reconcile report run db; do
	like "$out" "^  $c " "--help lists $c"
done
run "$TRUEUP" --version
like "$out" '^trueup [0-9]+\.[0-9]+' "--version prints the version"
run "$TRUEUP" frobnicate
is "$rc" 2 "an unknown command exits 2"
like "$err" "^trueup: unknown command 'frobnicate'" "and says so in one line"
run "$TRUEUP" --frob
is "$rc" 2 "an unknown global option exits 2"
run "$TRUEUP" --data-dir "$D" inventory --frob
is "$rc" 2 "an unknown command option exits 2"
like "$err" "^trueup: inventory:" "the error names the command"
run "$TRUEUP" db status --help
is "$rc" 0 "a command's --help exits 0"
like "$out" "Usage:" "and shows its usage"

# --- first start, migrations ---------------------------------------------------------------
run T db migrate
is "$rc" 0 "db migrate on a fresh embedded store succeeds"
is "$err" "" "and prints nothing on stderr (no server chatter)"
like "$out" "applied [0-9]+ migration" "and says what it applied"
run T db migrate
is "$rc" 0 "db migrate again succeeds"
like "$out" "is current" "and applies nothing"
run T db status
is "$rc" 0 "db status succeeds"
like "$out" "mode: +embedded" "status shows the mode"
like "$out" "server version: +[0-9]+\.[0-9]+" "status shows the server version"
like "$out" "data directory: +$D/db" "status shows the data directory"
like "$out" "pending: +none" "no pending migrations"
like "$out" "hosts +0" "row counts per table"
test -f "$D/server.log"
ok $? "server messages go to a log in the data directory"

# --- lock ------------------------------------------------------------------------------------
# another process holding the data directory (flock, as trueup takes it)
( echo $$ > "$D/trueup.lock"; exec flock "$D/trueup.lock" sleep 3 ) &
holder=$!
sleep 0.5
run T db status
is "$rc" 1 "a second process on the same data directory fails"
like "$err" "^trueup: data directory $D is in use by process [0-9]+$" "naming the process"
wait $holder
run T db status
is "$rc" 0 "and works again once the other process is gone"

# --- bad input -------------------------------------------------------------------------------
mkdir "$TMP/ro"
chmod 500 "$TMP/ro"
if [ "$(id -u)" -ne 0 ]; then
	run "$TRUEUP" --data-dir "$TMP/ro/x" db status
	is "$rc" 1 "an unwritable data directory is an error"
fi
printf 'data-dir=%s\n' "$D" > "$TMP/x.conf"
run "$TRUEUP" --data-dir "$TMP/ro-file/x" --config /nonexistent.conf db status
is "$rc" 1 "a missing --config file is an error"
like "$err" "/nonexistent.conf" "naming it"
printf '[trueup]\nquiet=true\nthis line is broken\n' > "$TMP/bad.conf"
run "$TRUEUP" --config "$TMP/bad.conf" --data-dir "$D" db status
is "$rc" 1 "a corrupt config file is an error"
like "$err" "bad.conf:3:" "naming file and line"
run "$TRUEUP" --db "postgres://x@y/z" db status
is "$rc" 2 "a URL that is not mysql:// is a usage error"
run "$TRUEUP" --db "mysql://u:hunter2@127.0.0.1/db" db status
is "$rc" 2 "a password in the URL is refused"
not_like "$err" "hunter2" "and the password is not repeated"
run "$TRUEUP" --db "mysql://u@127.0.0.1:1/db" db status
is "$rc" 1 "an unreachable server is an error"
is "$(printf '%s\n' "$err" | wc -l)" 1 "in one line"
like "$err" "cannot connect to 127.0.0.1:1" "naming the server"
run "$TRUEUP" --db "mysql://u@127.0.0.1:99999/db" db status
is "$rc" 2 "a bad port is a usage error"
run "$TRUEUP" --db "mysql://u@h/bad-name" db status
is "$rc" 2 "a bad database name is a usage error"

# --- a root with history ---------------------------------------------------------------------
R="$TMP/root"
mkdir -p "$R/etc" "$R/var/lib/dpkg"
printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' > "$R/etc/os-release"
echo "img-host" > "$R/etc/hostname"
echo "0123456789abcdef0123456789abcdef" > "$R/etc/machine-id"
pkg() { printf 'Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s\nMaintainer: %s\n\n' "$1" "$2" "$3"; }
{
	pkg bash 5.2.15-2+b2 "Matthias Klose <doko@debian.org>"
	pkg openssl 3.0.11-1~deb12u2 "Debian OpenSSL Team <x@y>"
	pkg curl 7.88.1-10+deb12u4 "Alessandro <a@b>"
	pkg '=HYPERLINK("http://evil.example","x")' 1.0 '@SUM(1+1)'
	pkg '-2+3' '+1' 'tab'
} > "$R/var/lib/dpkg/status"
run T scan --root "$R"
is "$rc" 0 "scan --root succeeds"
like "$err" "scanned 1 host, 0 failed; installations: 5 added, 0 updated, 0 removed" "summary line"
run T scan --root "$R"
like "$err" "installations: 0 added, 0 updated, 0 removed" "a repeated scan changes nothing"
run T scan --root "$R" -q
is "$rc$err" "0" "-q after the command: quiet, as before it"
run T inventory --print tsv
is "$(printf '%s\n' "$out" | head -1 | cut -f1-13)" "host	source	raw_name	raw_version	raw_publisher	arch	publisher	product	edition	release	version	scheme	kind" "inventory TSV header"
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 5 "five installations"
like "$out" "img-host	dpkg	openssl	3.0.11-1~deb12u2	" "raw version kept with revision"
is "$(printf '%s\n' "$out" | awk -F'\t' '$3 == "openssl" { print $21 "|" $22 }')" "open-source|3.0.11" \
	"inventory: class and upstream version (no revision, no ~deb12u2) of a dpkg record"
{
	pkg bash 5.2.15-2+b2 "Matthias Klose <doko@debian.org>"
	pkg openssl 3.0.13-1~deb12u1 "Debian OpenSSL Team <x@y>"
	pkg '=HYPERLINK("http://evil.example","x")' 1.0 '@SUM(1+1)'
	pkg '-2+3' '+1' 'tab'
} > "$R/var/lib/dpkg/status"
run T scan --root "$R"
like "$err" "installations: 0 added, 1 updated, 1 removed" "an upgrade and a removal are seen"
{
	pkg bash 5.2.15-2+b2 "Matthias Klose <doko@debian.org>"
	pkg openssl 3.0.13-1~deb12u1 "Debian OpenSSL Team <x@y>"
	pkg curl 7.88.1-10+deb12u4 "Alessandro <a@b>"
	pkg '=HYPERLINK("http://evil.example","x")' 1.0 '@SUM(1+1)'
	pkg '-2+3' '+1' 'tab'
} > "$R/var/lib/dpkg/status"
run T scan --root "$R"
like "$err" "installations: 1 added, 0 updated, 0 removed" "a reinstalled package comes back"
run T inventory --print json
is "$rc" 0 "inventory --print json"
n=$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')
is "$n" 5 "JSON parses and has the current installations"
printf 'Package: broken\nStatus: install ok installed\nno colon here\n' > "$R/var/lib/dpkg/status"
run T scan --root "$R"
is "$rc" 1 "a corrupt package database fails the scan"
like "$err" "status:3:" "naming file and line"
run T inventory --print tsv
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 5 "and the host's inventory is as it was"
run T hosts --print tsv
like "$out" "img-host	" "hosts lists the host"
like "$(printf '%s\n' "$out" | head -1)" "^host	fqdn	machine_id	os	" "hosts TSV header"

# --- the inventory workbook --------------------------------------------------------------------
run T report inventory -o "$TMP/inv.xlsx"
is "$rc" 0 "report inventory writes a workbook"
is "$(xlsx_dump --sheets "$TMP/inv.xlsx" | tr '\n' ' ')" "Hosts Installations Products " "sheets Hosts, Installations, Products"
dump=$(xlsx_dump "$TMP/inv.xlsx")
like "$dump" 'Installations	[0-9]+	3	s	=HYPERLINK\("http://evil.example","x"\)' "a formula-like name stays a string"
not_like "$dump" '	f	' "no cell is a formula"
like "$dump" 'Installations	[0-9]+	5	s	@SUM\(1\+1\)' "an @ value stays a string"
like "$dump" 'Installations	[0-9]+	19	d	20[0-9][0-9]-' "first_seen is a real Excel date"
meta=$(xlsx_dump --meta "$TMP/inv.xlsx")
like "$meta" "Installations	freeze	A5" "header row (under the title block) frozen"
like "$meta" "Installations	autofilter	A4:V9" "autofilter over the header and the 5 rows"
run T report inventory --format csv -o "$TMP/inv.csv"
is "$rc" 0 "report inventory as CSV"
like "$(cat "$TMP/inv.csv")" "\"'=HYPERLINK" "CSV guards a formula-like cell with an apostrophe"
like "$(cat "$TMP/inv.csv")" "\"'-2\+3\"" "and a leading minus"
test -f "$TMP/inv-hosts.csv" && test -f "$TMP/inv-products.csv"
ok $? "the other sheets are written beside it"
run T report inventory -o "$TMP/no/such/dir/x.xlsx"
is "$rc" 1 "a report into a missing directory fails"

# --- normalise ---------------------------------------------------------------------------------
TAB=$(printf '\t')
printf 'raw_publisher\traw_name\traw_version\textra\n%s\n%s\n%s\n%s\n' \
	"Microsoft Corporation${TAB}Microsoft Office Professional Plus 2019 - en-us${TAB}16.0.10827.20138${TAB}x" \
	"Adobe Inc.${TAB}Adobe Acrobat DC (64-bit)${TAB}23.008.20470${TAB}" \
	"Oracle Corporation${TAB}Java 8 Update 351 (64-bit)${TAB}8.0.3510.10${TAB}" \
	"${TAB}Some Unknown Tool 2.1 (x64) - en-us${TAB}2.1${TAB}" > "$TMP/names.tsv"
run sh -c "\"$TRUEUP\" --data-dir \"$D\" normalise --batch < \"$TMP/names.tsv\""
is "$rc" 0 "normalise --batch succeeds"
is "$(printf '%s\n' "$out" | head -1 | cut -f1-13)" \
	"raw_name${TAB}raw_publisher${TAB}raw_version${TAB}source${TAB}publisher${TAB}product${TAB}edition${TAB}release${TAB}version${TAB}scheme${TAB}kind${TAB}licensable${TAB}recognised" \
	"--batch header"
is "$(printf '%s\n' "$out" | awk 'END { print NR }')" 5 "one row out per row in"
is "$(printf '%s\n' "$out" | sed -n 2p | cut -f5-9,12,13)" \
	"Microsoft${TAB}Office${TAB}Professional Plus${TAB}2019${TAB}16.0.10827.20138${TAB}yes${TAB}yes" \
	"Office Professional Plus 2019, in input order"
is "$(printf '%s\n' "$out" | sed -n 3p | cut -f5-8,12)" "Adobe${TAB}Acrobat${TAB}${TAB}DC${TAB}yes" "Acrobat DC"
is "$(printf '%s\n' "$out" | sed -n 4p | cut -f5,6,8,9)" "Oracle${TAB}Java SE${TAB}8${TAB}1.8.0_351" "Java 8 Update 351"
is "$(printf '%s\n' "$out" | sed -n 5p | cut -f6,13)" "Some Unknown Tool${TAB}no" "the fallback cleans an unknown name"
run sh -c "T() { \"$TRUEUP\" --data-dir \"$D\" \"\$@\"; }; T inventory --print tsv | T normalise --batch"
is "$rc" 0 "the inventory's TSV can be piped into --batch"
is "$(printf '%s\n' "$out" | sed -n 2p | cut -f4)" "dpkg" "with its source column"
run sh -c "printf 'publisher\tversion\nx\t1\n' | \"$TRUEUP\" --data-dir \"$D\" normalise --batch"
is "$rc" 1 "--batch without a raw_name column fails"
like "$err" "<stdin>:1: the header names no raw_name column" "saying so"
run sh -c "printf 'raw_name\tsource\nfoo\tdpkg\nbar\tmainframe\n' | \"$TRUEUP\" --data-dir \"$D\" normalise --batch"
is "$rc" 1 "--batch with an unknown source fails"
like "$err" "<stdin>:3: source: \"mainframe\" is not a source name" "naming line and field"
run T normalise --explain "Microsoft SQL Server 2019 (64-bit)" --publisher "Microsoft Corporation"
is "$rc" 0 "normalise --explain succeeds"
like "$out" "rule: +sql-server \(data/fingerprints/microsoft-server.rules:[0-9]+\)" "--explain names the rule and its file:line"
run T normalise --test
is "$rc" 0 "every inline rule test passes"
like "$out" "^[0-9]+ rules, [0-9]+ tests, 0 failed" "and says how many"
run T normalise --stats
is "$rc" 0 "normalise --stats succeeds"
like "$out" "recognised: " "with the recognition rate"
run T normalise --apply
is "$rc" 0 "normalise --apply succeeds"
like "$out" "software records checked, 0 changed" "and changes nothing when the rules did not change"

# reconcile reads the licensable intervals the store keeps (licensable_installations): one a
# rule makes licensable later joins them with normalise --apply, and reconcile counts it
L="$TMP/lic-data"
printf 'host,name,version,publisher\nlic-a,Frobnicator Studio 7,7.1,Acme Widgets\nlic-a,Office Helper,1.0,Nobody\nlic-b,Frobnicator Studio 7,7.2,Acme Widgets\n' > "$TMP/lic.csv"
printf 'id,publisher,product,edition,release,metric,quantity,start,end,maintenance_end,downgrade,core_factor,min_cores,unit_cost,currency,scope,contract,po\nFROB,Acme Widgets,Frobnicator Studio,,7,device,1,2020-01-01,,,yes,,,100.00,GBP,,,\n' > "$TMP/frob-ent.csv"
mkdir -p "$TMP/lic-rules"
printf 'rule frobnicator-test\n  name ^Frobnicator Studio (?<r>\\d+)$\n  set publisher Acme Widgets\n  set product Frobnicator Studio\n  set release {r}\n  set licensable yes\n  test "Frobnicator Studio 7"\n  expect product="Frobnicator Studio" release=7 licensable=yes\n' > "$TMP/lic-rules/frob.rules"
run "$TRUEUP" --data-dir "$L" scan --import "$TMP/lic.csv"
is "$rc" 0 "an export with software no rule calls licensable yet"
run "$TRUEUP" --data-dir "$L" import entitlements "$TMP/frob-ent.csv"
run "$TRUEUP" --data-dir "$L" reconcile --print tsv
not_like "$out" "Frobnicator" "reconcile does not count it"
run "$TRUEUP" --data-dir "$L" --rules "$TMP/lic-rules" normalise --apply
is "$rc" 0 "normalise --apply with a rule that makes it licensable"
run "$TRUEUP" --data-dir "$L" --rules "$TMP/lic-rules" reconcile --installs --print tsv
is "$(printf '%s\n' "$out" | grep -c 'Frobnicator')" 2 "reconcile now judges both installations"
run "$TRUEUP" --data-dir "$L" --rules "$TMP/lic-rules" scan --import "$TMP/lic.csv"
run "$TRUEUP" --data-dir "$L" --rules "$TMP/lic-rules" reconcile --installs --print tsv
is "$(printf '%s\n' "$out" | grep -c 'Frobnicator')" 2 "and still both after a rescan (no interval twice)"
run "$TRUEUP" --data-dir "$TMP/lic-data2" --rules "$TMP/lic-rules" scan --import "$TMP/lic.csv"
run "$TRUEUP" --data-dir "$TMP/lic-data2" --rules "$TMP/lic-rules" reconcile --installs --print tsv
is "$(printf '%s\n' "$out" | grep -c 'Frobnicator')" 2 "licensable from the first scan: the ingest keeps them"

# a big ingest into the embedded store grows its redo log (a new store's is 16 MB), and the next
# start keeps it; a small one leaves it alone
awk 'BEGIN { print "host,name,version"; for (h = 1; h <= 60; h++) for (p = 1; p <= 1000; p++)
	printf "big-%02d,pkg-%d,1.%d\n", h, p, h % 3 }' > "$TMP/big.csv"
run "$TRUEUP" --data-dir "$TMP/redo" scan --import "$TMP/lic.csv"
is "$(stat -c %s "$TMP/redo/db/ib_logfile0")" 16777216 "a small scan leaves the new store's 16 MB redo log"
run "$TRUEUP" --data-dir "$TMP/redo" scan --import "$TMP/big.csv"
is "$rc" 0 "an import of 60,000 installations"
is "$(stat -c %s "$TMP/redo/db/ib_logfile0")" 268435456 "grows the redo log to 256 MB while it stores"
run "$TRUEUP" --data-dir "$TMP/redo" db check
is "$rc" 0 "db check is clean after the resize"
is "$(stat -c %s "$TMP/redo/db/ib_logfile0")" 268435456 "and the next start keeps it"

done_testing
