#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# trueup against a real MariaDB server at scale (not in CI; `meson benchmark server-scale`
# runs the small default). A private mariadbd (tests/mariadbd-harness.sh), an estate
# generated as CSV exports (host,name,version,publisher: the shape of a Windows inventory
# export), one file per CHUNK hosts (an export is read whole, so a 100,000-host estate comes
# as many exports, as sites would send them), then:
#
#   reference  the server's own LOAD DATA LOCAL INFILE of the same CSVs into a table with a
#              primary key (the bulk-load limit: no normalising, no history)
#   ingest     trueup scan --import of each CSV (normalise, one transaction per host, history)
#   rescan     the same exports a day later: nothing changed
#   reconcile  against entitlements for the licensable products in the estate
#   patch      with the demo's endoflife.date catalogue: --print tsv, --summary, the workbook
#   read-all   the server reading every current installation (mariadb client, to /dev/null):
#              what reconcile and patch read before their projections (0008, 0009), the
#              reference they are compared with; it grows with the estate, they should not
#
# Each line gives the time, the rate and the ratio to its reference measured in this run, and
# the peak memory of the trueup process (the largest of the chunks for ingest).
#
#   server-scale-bench.sh [HOSTS [INSTALLS_PER_HOST [CHUNK]]]     (default 2000 x 250, 2000)
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
eval "$("$harness" start "$S")"
export TRUEUP_DB_PASSWORD="$TU_TEST_PASSWORD"
URL="mysql://trueup@127.0.0.1:$TU_TEST_PORT/trueup"
SQL() { mariadb --no-defaults --local-infile=1 -S "$TU_TEST_SOCKET" -uroot -N -B -e "$1"; }
# the server sized for the estate, as one would (the harness starts with 64 MB)
SQL "SET GLOBAL innodb_buffer_pool_size = 1073741824" 2>/dev/null || true

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# timed NAME CMD...: runs CMD with its output in $TMP/NAME.out and .err, sets $ms and $rss_mb
timed() {
	_name=$1; shift
	_t0=$(now_ms)
	/usr/bin/time -f '%M' -o "$TMP/$_name.rss" "$@" > "$TMP/$_name.out" 2> "$TMP/$_name.err" || {
		echo "$_name failed:" >&2; tail -5 "$TMP/$_name.err" >&2; exit 1; }
	ms=$(( $(now_ms) - _t0 ))
	rss_mb=$(( $(tail -1 "$TMP/$_name.rss") / 1024 ))
}
rate() { echo $(( $1 * 1000 / ($2 > 0 ? $2 : 1) )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }'; }

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
rows=$(cat "$TMP"/estate-*.csv | grep -vc '^host,')
load=$(awk 'BEGIN { getline < "/proc/loadavg"; print $1 }')
echo "estate: $hosts hosts x $per_host installations = $rows rows in $(ls "$TMP"/estate-*.csv | wc -l) exports of $chunk hosts; load average at start $load on $(nproc) cores"

# the reference: the server's own LOAD DATA of the same CSV
SQL "CREATE DATABASE IF NOT EXISTS bench; CREATE TABLE bench.ref (id BIGINT UNSIGNED NOT NULL
	AUTO_INCREMENT PRIMARY KEY, host VARCHAR(255) NOT NULL, name VARCHAR(512) NOT NULL,
	version VARCHAR(255) NOT NULL, publisher VARCHAR(255) NOT NULL) ENGINE=InnoDB
	CHARACTER SET utf8mb4"
# each timed step over every export: $ms summed, $rss_mb the largest
each_export() {
	_step=$1; shift
	_sum=0; _rss=0
	for _f in "$TMP"/estate-*.csv; do
		timed "$_step" "$@" "$_f"
		_sum=$(( _sum + ms )); [ "$rss_mb" -gt "$_rss" ] && _rss=$rss_mb
	done
	ms=$_sum; rss_mb=$_rss
}
cat > "$TMP/load-data.sh" <<EOF
#!/bin/sh
exec mariadb --no-defaults --local-infile=1 -S "$TU_TEST_SOCKET" -uroot -e "LOAD DATA LOCAL
	INFILE '\$1' INTO TABLE bench.ref FIELDS TERMINATED BY ',' IGNORE 1 LINES
	(host, name, version, publisher)"
EOF
each_export ref sh "$TMP/load-data.sh"
ref_ms=$ms
echo "reference: LOAD DATA LOCAL INFILE of the CSV: ${ref_ms} ms = $(rate "$rows" "$ref_ms") rows/s"

"$TRUEUP" --db "$URL" db migrate > /dev/null
each_export ingest "$TRUEUP" --db "$URL" scan --as-of 2026-06-01T06:00:00 --import
echo "ingest: trueup scan --import: ${ms} ms = $(rate "$rows" "$ms") rows/s, $(ratio "$ms" "$ref_ms")x the reference; peak ${rss_mb} MB"
ingest_ms=$ms
each_export rescan "$TRUEUP" --db "$URL" scan --as-of 2026-06-02T06:00:00 --import
echo "rescan (nothing changed): ${ms} ms = $(rate "$rows" "$ms") rows/s, $(ratio "$ms" "$ingest_ms")x the first ingest, $(ratio "$ms" "$ref_ms")x the reference; peak ${rss_mb} MB"

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
echo "read-all: the server reading every current installation: ${read_ms} ms ($(grep -c . "$TMP/read_all.out") rows)"
timed reconcile "$TRUEUP" --db "$URL" reconcile --at 2026-06-02 --print tsv
echo "reconcile: ${ms} ms ($(grep -c . "$TMP/reconcile.out") rows), $(ratio "$ms" "$read_ms")x read-all; peak ${rss_mb} MB"

"$TRUEUP" --db "$URL" import catalog "$src/examples/demo/feeds/endoflife" > /dev/null 2>&1
timed patch "$TRUEUP" --db "$URL" patch --at 2026-06-02 --print tsv
echo "patch: ${ms} ms ($(( $(grep -c . "$TMP/patch.out") - 1 )) rows), $(ratio "$ms" "$read_ms")x read-all; peak ${rss_mb} MB"
timed patch_summary "$TRUEUP" --db "$URL" patch --summary --at 2026-06-02 --print tsv
echo "patch --summary: ${ms} ms, $(ratio "$ms" "$read_ms")x read-all; peak ${rss_mb} MB"
timed patch_report "$TRUEUP" --db "$URL" report patch --at 2026-06-02 -o "$TMP/patch.xlsx"
echo "report patch (workbook): ${ms} ms, $(ratio "$ms" "$read_ms")x read-all; peak ${rss_mb} MB"
load=$(awk 'BEGIN { getline < "/proc/loadavg"; print $1 }')
echo "load average at the end: $load"
