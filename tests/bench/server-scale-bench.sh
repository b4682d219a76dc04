#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# trueup against a real MariaDB server at scale (not in CI; `meson benchmark server-scale`
# runs the small default). A private mariadbd (tests/mariadbd-harness.sh), an estate
# generated as CSV exports (host,name,version,publisher: the shape of a Windows inventory
# export), one file per CHUNK hosts (an export is read whole, so a 100,000-host estate comes
# as many exports, as sites would send them), then:
#
#   ingest     per export: the server's own LOAD DATA LOCAL INFILE of the CSV into a table with
#              a primary key (the reference: the bulk-load limit, no normalising, no history),
#              then trueup scan --import of the same CSV (normalise, one transaction per host,
#              history); paired export by export, so both see the same load on a shared machine
#   read-all   the server reading every current installation (mariadb client, to /dev/null):
#              what reconcile and patch read before their projections (0008, 0009), the
#              reference they are compared with; it grows with the estate, they should not
#   reconcile  against entitlements for the licensable products in the estate
#   patch      with the demo's endoflife.date catalogue: --print tsv, --summary, the workbook
#   rescan     the same exports a day later: nothing changed (last: the longest after ingest)
#
# Each phase prints a line for people and, as soon as it finishes, one machine-readable line
#   RESULT phase=NAME ms=... rows=... rate=... ref=NAME ref_ms=... ratio=... rss_mb=...
#          cpu_ms=... server_cpu_ms=... pool_reads=... server_rss_mb=... load=...
# (rss_mb: trueup's peak resident memory, the largest over the exports; cpu_ms: trueup's user
# + system CPU; server_cpu_ms: the mariadbd's CPU during the phase; pool_reads: InnoDB pages the
# phase read into the buffer pool; server_rss_mb: the mariadbd's peak so far, VmHWM). Ingest and rescan also print a PROGRESS line per export with
# the running totals, so a run cut short still gives its rates and ratio. The figures are
# appended to $BENCH_LOG as well when it is set.
#
#   server-scale-bench.sh [HOSTS [INSTALLS_PER_HOST [CHUNK]]]     (default 2000 x 250, 2000)
#   (TU_SCAN_ARGS: more options for trueup scan, e.g. "--writers 1")
set -eu
hosts=${1:-2000}
per_host=${2:-250}
chunk=${3:-2000}
src=${TU_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${TRUEUP:?TRUEUP must name the trueup binary}"
harness="$src/tests/mariadbd-harness.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/trueup-scale-XXXXXX")
S="$TMP/server"
cleanup() { "$harness" stop "$S" || true; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
eval "$("$harness" start "$S")"
export TRUEUP_DB_PASSWORD="$TU_TEST_PASSWORD"
URL="mysql://trueup@127.0.0.1:$TU_TEST_PORT/trueup"
SQL() { mariadb --no-defaults --local-infile=1 -S "$TU_TEST_SOCKET" -uroot -N -B -e "$1"; }
# the server sized for the estate, as one would (the harness starts with 64 MB; the same 1 GB
# at every size, so the growth from 1 k to 100 k hosts includes outgrowing it)
SQL "SET GLOBAL innodb_buffer_pool_size = 1073741824" 2>/dev/null || true

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
load1() { awk 'BEGIN { getline < "/proc/loadavg"; print $1 }'; }
# the server's peak resident memory so far, in MB
server_rss() { awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$(cat "$S/mysqld.pid")/status"; }
# the server's CPU time so far (user + system), in ms
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' \
	"/proc/$(cat "$S/mysqld.pid")/stat"; }
# InnoDB pages read from disk (or the page cache) so far: the buffer pool's misses
pool_reads() { SQL "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'" | cut -f2; }
# timed NAME CMD...: runs CMD with its output in $TMP/NAME.out and .err; sets $ms (wall),
# $rss_mb (its peak), $cpu_ms (its user + system CPU), $srv_ms (the server's CPU meanwhile)
# and $preads (the buffer pool's misses meanwhile)
timed() {
	_name=$1; shift
	_s0=$(server_cpu); _p0=$(pool_reads)
	_t0=$(now_ms)
	/usr/bin/time -f '%M %U %S' -o "$TMP/$_name.rss" "$@" > "$TMP/$_name.out" \
		2> "$TMP/$_name.err" || {
		echo "$_name failed:" >&2; tail -5 "$TMP/$_name.err" >&2; exit 1; }
	ms=$(( $(now_ms) - _t0 ))
	srv_ms=$(( $(server_cpu) - _s0 )); preads=$(( $(pool_reads) - _p0 ))
	rss_mb=$(awk 'END { print int($1 / 1024) }' "$TMP/$_name.rss")
	cpu_ms=$(awk 'END { print int(($2 + $3) * 1000) }' "$TMP/$_name.rss")
}
rate() { echo $(( $1 * 1000 / ($2 > 0 ? $2 : 1) )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
# say WORDS...: one line to stdout and to $BENCH_LOG
say() {
	echo "$*"
	[ -z "${BENCH_LOG:-}" ] || echo "$*" >> "$BENCH_LOG"
}
# result PHASE MS ROWS REF REF_MS RSS_MB CPU_MS SRV_MS PREADS: the machine-readable line of a
# finished phase
result() {
	say "RESULT phase=$1 hosts=$hosts per_host=$per_host ms=$2 rows=$3 rate=$(rate "$3" "$2")" \
		"ref=$4 ref_ms=$5 ratio=$(ratio "$2" "$5") rss_mb=$6 cpu_ms=$7 server_cpu_ms=$8" \
		"pool_reads=$9 server_rss_mb=$(server_rss) load=$(load1) time=$(date -u +%H:%M:%S)"
}

# The estate: each host has PER_HOST installations from a pool of 6,000 package names (the
# same names recur across hosts, as in a real estate), and one in ten hosts has Microsoft
# Office Professional Plus 2019, one in forty SQL Server 2019 (the licensable share). One CSV
# of CHUNK hosts at a time: estate-00001.csv, ...
awk -v nh="$hosts" -v np="$per_host" -v chunk="$chunk" -v dir="$TMP" 'BEGIN {
	srand(42)
	for (h = 1; h <= nh; h++) {
		if ((h - 1) % chunk == 0) {
			if (out != "") close(out)
			out = sprintf("%s/estate-%05d.csv", dir, (h - 1) / chunk + 1)
			print "host,name,version,publisher" > out
		}
		host = sprintf("WS-%06d", h)
		n = np
		if (h % 10 == 0) { printf "%s,Microsoft Office Professional Plus 2019 - en-us,16.0.10827.20138,Microsoft Corporation\n", host > out; n-- }
		if (h % 40 == 0) { printf "%s,Microsoft SQL Server 2019 (64-bit),15.0.2000.5,Microsoft Corporation\n", host > out; n-- }
		start = (h * 7919) % 6000
		for (p = 0; p < n; p++) {
			k = (start + p * 13) % 6000
			printf "%s,Package %d Runtime,%d.%d.%d,Vendor %d Ltd\n", host, k, 1 + k % 9, k % 17, (k + h % 3) % 5, k % 97 > out
		}
	}
}'
exports=$(ls "$TMP"/estate-*.csv | wc -l)
# the rows of each export (its header left out), counted once
for _f in "$TMP"/estate-*.csv; do echo $(( $(wc -l < "$_f") - 1 )); done > "$TMP/rows"
rows=$(awk '{ n += $1 } END { print n }' "$TMP/rows")
say "estate: $hosts hosts x $per_host installations = $rows rows in $exports exports of" \
	"$chunk hosts; load average at start $(load1) on $(nproc) cores; nice $(nice);" \
	"$(date -u +%FT%TZ)"
say "disk: $(df -h "$TMP" | awk 'NR == 2 { print $4 " free on " $6 }'); the exports" \
	"$(du -sh "$TMP" | cut -f1)"

# the reference: the server's own LOAD DATA of the same CSV
SQL "CREATE DATABASE IF NOT EXISTS bench; CREATE TABLE bench.ref (id BIGINT UNSIGNED NOT NULL
	AUTO_INCREMENT PRIMARY KEY, host VARCHAR(255) NOT NULL, name VARCHAR(512) NOT NULL,
	version VARCHAR(255) NOT NULL, publisher VARCHAR(255) NOT NULL) ENGINE=InnoDB
	CHARACTER SET utf8mb4"
cat > "$TMP/load-data.sh" <<EOF
#!/bin/sh
exec mariadb --no-defaults --local-infile=1 -S "$TU_TEST_SOCKET" -uroot -e "LOAD DATA LOCAL
	INFILE '\$1' INTO TABLE bench.ref FIELDS TERMINATED BY ',' IGNORE 1 LINES
	(host, name, version, publisher)"
EOF
"$TRUEUP" --db "$URL" db migrate > /dev/null

# over_exports PHASE AS_OF WITH_REF: trueup scan --import of each export in turn, after the
# reference's LOAD DATA of the same export when WITH_REF is 1, and a PROGRESS line with the
# running totals after each; leaves $ms, $ref_ms (0 without the reference) and $rss_mb
over_exports() {
	_phase=$1; _as_of=$2; _with_ref=$3
	_sum=0; _ref=0; _rss=0; _done=0; _i=0; _cpu=0; _srv=0; _pr=0; _rsrv=0; _rpr=0
	for _f in "$TMP"/estate-*.csv; do
		_i=$(( _i + 1 ))
		_n=$(sed -n "${_i}p" "$TMP/rows")
		if [ "$_with_ref" = 1 ]; then
			timed ref sh "$TMP/load-data.sh" "$_f"
			_ref=$(( _ref + ms )); _rsrv=$(( _rsrv + srv_ms )); _rpr=$(( _rpr + preads ))
		fi
		# shellcheck disable=SC2086 # TU_SCAN_ARGS: more options of scan, word-split
		timed "$_phase" "$TRUEUP" --db "$URL" scan ${TU_SCAN_ARGS:-} --as-of "$_as_of" \
			--import "$_f"
		_sum=$(( _sum + ms )); _cpu=$(( _cpu + cpu_ms )); _srv=$(( _srv + srv_ms ))
		_pr=$(( _pr + preads ))
		[ "$rss_mb" -gt "$_rss" ] && _rss=$rss_mb
		_done=$(( _done + _n ))
		_vs=""
		[ "$_with_ref" = 1 ] && _vs="ref_ms=$_ref ratio=$(ratio "$_sum" "$_ref")"
		say "PROGRESS phase=$_phase export=$_i/$exports rows=$_done ms=$_sum" \
			"rate=$(rate "$_done" "$_sum") $_vs rss_mb=$_rss cpu_ms=$_cpu" \
			"server_cpu_ms=$_srv pool_reads=$_pr load=$(load1)" \
			"time=$(date -u +%H:%M:%S)"
	done
	ms=$_sum; ref_ms=$_ref; rss_mb=$_rss; cpu_ms=$_cpu; srv_ms=$_srv; preads=$_pr
	ref_srv_ms=$_rsrv; ref_preads=$_rpr
}

over_exports ingest 2026-06-01T06:00:00 1
ingest_ms=$ms
ingest_ref_ms=$ref_ms
say "reference: LOAD DATA LOCAL INFILE of the CSVs: ${ref_ms} ms = $(rate "$rows" "$ref_ms") rows/s"
result load_data "$ref_ms" "$rows" none 0 0 0 "$ref_srv_ms" "$ref_preads"
say "ingest: trueup scan --import: ${ms} ms = $(rate "$rows" "$ms") rows/s," \
	"$(ratio "$ms" "$ref_ms")x the reference; peak ${rss_mb} MB"
result ingest "$ms" "$rows" load_data "$ref_ms" "$rss_mb" "$cpu_ms" "$srv_ms" "$preads"

cat > "$TMP/ent.csv" <<EOF
id,publisher,product,edition,release,metric,quantity,start,end,maintenance_end,downgrade,core_factor,min_cores,unit_cost,currency,scope,contract,po
OFF,Microsoft Corporation,Office,Professional Plus,2019,device,$(( hosts / 12 + 1 )),2019-01-01,,,yes,,,439.00,GBP,,,
SQL,Microsoft Corporation,SQL Server,Standard,2019,core,$(( hosts / 10 + 4 )),2019-01-01,,,yes,1,4,1800.00,GBP,,,
EOF
"$TRUEUP" --db "$URL" import entitlements "$TMP/ent.csv" > /dev/null 2>&1
# the reference of the engines: every current installation read by the server's own client
timed read_all mariadb --no-defaults -S "$TU_TEST_SOCKET" -uroot -N -B -e "SELECT host_id,
	software_id FROM trueup.installations WHERE removed_at IS NULL AND state = 'installed'"
read_ms=$ms
n=$(grep -c . "$TMP/read_all.out")
rm -f "$TMP/read_all.out"
say "read-all: the server reading every current installation: ${read_ms} ms ($n rows)"
result read_all "$read_ms" "$n" none 0 "$rss_mb" "$cpu_ms" \
	"$srv_ms" "$preads"
timed reconcile "$TRUEUP" --db "$URL" reconcile --at 2026-06-02 --print tsv
n=$(grep -c . "$TMP/reconcile.out")
say "reconcile: ${ms} ms ($n rows), $(ratio "$ms" "$read_ms")x read-all; peak ${rss_mb} MB"
result reconcile "$ms" "$n" read_all "$read_ms" "$rss_mb" "$cpu_ms" \
	"$srv_ms" "$preads"

"$TRUEUP" --db "$URL" import catalog "$src/examples/demo/feeds/endoflife" > /dev/null 2>&1
timed patch "$TRUEUP" --db "$URL" patch --at 2026-06-02 --print tsv
n=$(( $(grep -c . "$TMP/patch.out") - 1 ))
rm -f "$TMP/patch.out"
say "patch: ${ms} ms ($n rows), $(ratio "$ms" "$read_ms")x read-all; peak ${rss_mb} MB"
result patch "$ms" "$n" read_all "$read_ms" "$rss_mb" "$cpu_ms" \
	"$srv_ms" "$preads"
timed patch_summary "$TRUEUP" --db "$URL" patch --summary --at 2026-06-02 --print tsv
n=$(( $(grep -c . "$TMP/patch_summary.out") - 1 ))
say "patch --summary: ${ms} ms ($n rows), $(ratio "$ms" "$read_ms")x read-all; peak ${rss_mb} MB"
result patch_summary "$ms" "$n" read_all "$read_ms" "$rss_mb" "$cpu_ms" \
	"$srv_ms" "$preads"
timed patch_report "$TRUEUP" --db "$URL" report patch --at 2026-06-02 -o "$TMP/patch.xlsx"
say "report patch (workbook): ${ms} ms, $(ratio "$ms" "$read_ms")x read-all; peak ${rss_mb} MB"
result patch_report "$ms" 0 read_all "$read_ms" "$rss_mb" "$cpu_ms" \
	"$srv_ms" "$preads"
rm -f "$TMP/patch.xlsx"

# last, being the longest after the ingest: a run cut short still has the engines' figures
over_exports rescan 2026-06-02T06:00:00 0
say "rescan (nothing changed): ${ms} ms = $(rate "$rows" "$ms") rows/s," \
	"$(ratio "$ms" "$ingest_ms")x the first ingest, $(ratio "$ms" "$ingest_ref_ms")x the" \
	"reference; peak ${rss_mb} MB"
result rescan "$ms" "$rows" load_data "$ingest_ref_ms" "$rss_mb" "$cpu_ms" "$srv_ms" \
	"$preads"
say "disk: the server's data directory $(du -sh "$S" | cut -f1) at the end"
say "load average at the end: $(load1); $(date -u +%FT%TZ)"
