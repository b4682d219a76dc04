#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The demo estate (examples/demo) through tools/demo and the real binary: rendering, last
# month's scan, `trueup run`, and the position, renewals, patch currency and changes it gives,
# checked against values worked out by hand from the demo's files (the working is in
# examples/demo/README.md). Dates are relative to today, as the demo renders them.
. "$(dirname "$0")/lib.sh"
need_embedded

DEMO="$TU_SOURCE_ROOT/tools/demo"
today=$(date -u +%Y-%m-%d)
day() { date -u -d "$today $1 days" +%Y-%m-%d; }
TAB=$(printf '\t')

# One sheet of a workbook, a line per row: ROW<TAB>cell<TAB>cell..., as wide as the widest row
# (empty cells kept). Each workbook is read by openpyxl once.
sheet() {
	dump="$TMP/$(basename "$1").$(stat -c %Y "$1").dump"
	[ -f "$dump" ] || xlsx_dump "$1" > "$dump"
	awk -F'\t' -v sheet="$2" '
		$1 == sheet { r = $2 + 0; c = $3 + 0; v[r, c] = $5; seen[r] = 1; if (c > mc) mc = c; if (r > mr) mr = r }
		END { for (r = 1; r <= mr; r++) { if (!(r in seen)) continue; line = r
			for (c = 1; c <= mc; c++) line = line "\t" v[r, c]; print line } }' "$dump"
}
# The rows of a sheet whose first cells are the given ones (row number dropped).
rows_of() { # FILE SHEET PREFIX
	sheet "$1" "$2" | cut -f2- | grep -F -- "$3" | awk -v p="$3" 'index($0, p) == 1'
}

# --- rendering --------------------------------------------------------------------------------
run "$DEMO" --render-only "$TMP/rendered"
is "$rc" 0 "tools/demo --render-only renders the estate"
run grep -rl "@TODAY" "$TMP/rendered/licences" "$TMP/rendered/windows" "$TMP/rendered/macos"
is "$out" "" "no date placeholder is left"
test ! -e "$TMP/rendered/data"
ok $? "rendering alone scans nothing"
like "$(grep '^MS-EA-7351,' "$TMP/rendered/licences/contracts.csv")" \
	",$(day -1050),$(day +45),60,no," "the Enterprise Agreement ends in 45 days with 60 days' notice"
like "$(grep '^PRJ-P3-2025,' "$TMP/rendered/licences/entitlements.csv")" \
	",user,2,$(day -394),$(day -29)," "the Project subscription ended 29 days ago"
mkdir "$TMP/not-a-demo" && echo keep > "$TMP/not-a-demo/file"
run "$DEMO" --render-only "$TMP/not-a-demo"
is "$rc" 1 "tools/demo refuses to render over a directory that is not a demo"
test -f "$TMP/not-a-demo/file"
ok $? "and leaves it alone"

# --- the pipeline -----------------------------------------------------------------------------
W="$TMP/demo"
run env TRUEUP="$TRUEUP" "$DEMO" "$W"
is "$rc" 0 "tools/demo runs the pipeline"
[ "$rc" -eq 0 ] || { diag "$err"; diag "$out"; }
for kind in inventory compliance renewals patch changes; do
	like "$out" "  $W/reports/$kind-$today\.xlsx" "it prints the path of the $kind workbook"
done
like "$out" "Total \(19 rows\)" "19 hosts: 12 Windows, 3 Macs, 4 Linux roots"
like "$err$out" "reconcile: 37 licensable installations, 14 entitlements, 16 position rows, 23 units short" \
	"the run logs 37 licensable installations and 23 units short"
like "$out" "Total \(16 rows\) +16,204\.96" "the summary prices the shortfall"
grep -q "finished: 0 step(s) failed" "$W/reports/trueup-run.log"
ok $? "the run's log says no step failed"
T() { "$TRUEUP" --data-dir "$W/data" "$@"; }

# --- the licence position (trueup reconcile) --------------------------------------------------
run T reconcile --print tsv
is "$rc" 0 "reconcile succeeds"
position="$out"
# publisher product edition metric -> required entitled shortfall surplus shortfall_cost needs_data
pos() {
	printf '%s\n' "$position" | awk -F'\t' -v a="$1" -v b="$2" -v c="$3" -v d="$4" \
		'$1 == a && $2 == b && $3 == c && $4 == d { print $5, $6, $7, $8, ($9 == "" ? "-" : $9), $11 }'
}
is "$(printf '%s\n' "$position" | awk 'END { print NR - 1 }')" 16 "16 position rows"
is "$(pos Microsoft Office 'Professional Plus' device)" "4 2 2 0 878.00 0" \
	"Office Pro Plus: 3 London + 1 Paris installs, 2 London licences: 2 short, 2 x 439"
is "$(pos Microsoft Office Standard device)" "2 2 0 0 0.00 0" "Office Standard: 2 installs (2016 by downgrade), 2 licences"
is "$(pos Microsoft Visio Professional device)" "3 5 0 2 0.00 0" "Visio Professional: 3 installs, 5 licences, 2 spare"
is "$(pos Microsoft 'Project Online Desktop Client' '' user)" "2 0 2 0 607.20 0" \
	"Project: the subscription ended, 2 users short at 303.60"
is "$(pos Microsoft 'Microsoft 365 Apps' Enterprise user)" "1 1 0 0 0.00 0" "Microsoft 365 Apps: 1 New York user, 1 licence"
is "$(pos Microsoft Windows Pro device)" "7 7 0 0 - 0" "Windows Pro: 7 PCs, 7 OEM licences"
is "$(pos Microsoft 'Windows Server' Datacenter core)" "56 48 8 0 2752.00 0" \
	"Windows Server Datacenter: 32 + 24 cores, 48 licensed: 8 short at 344"
is "$(pos Microsoft 'Windows Server' Standard core)" "32 32 0 0 0.00 1" \
	"Windows Server Standard: 16 + 16 cores (minimum 16 each), one server without core counts"
is "$(pos Adobe Photoshop '' user)" "2 2 0 0 0.00 0" "Photoshop: 3 installations, 2 users (by owner), 2 licences"
is "$(pos Adobe Illustrator '' user)" "2 1 1 0 263.76 0" "Illustrator: 2 users, 1 licence"
is "$(pos Adobe 'Creative Cloud' '' user)" "1 1 0 0 - 0" "Creative Cloud: 1 user, 1 licence"
is "$(pos Oracle 'Java SE' '' user)" "2 0 2 0 360.00 0" \
	"Oracle Java SE: 2 users of 8u431 (8u202 is free), no subscription, 2 x 180 from the price list"
# SQL Server 2019 and Acrobat DC name no edition in the Uninstall key: they are taken as the
# product's base edition (Standard for both), which the Enterprise and Pro entitlements cover
# (see examples/demo/README.md).
is "$(pos Microsoft 'SQL Server' Standard core)" "32 8 8 0 11344.00 0" \
	"SQL Server, no edition taken as Standard: 24 + 8 cores, 8 Standard + 16 Enterprise: 8 short at 1418"
is "$(pos Microsoft 'SQL Server' Enterprise core)" "0 16 0 0 0.00 0" "SQL Server Enterprise: all 16 cores used"
is "$(pos Microsoft 'SQL Server' '' core)" "" "no SQL Server row without an edition"
is "$(pos Adobe Acrobat Standard user)" "3 0 0 0 - 0" "Acrobat DC, no edition taken as Standard: 3 users"
is "$(pos Adobe Acrobat Pro user)" "0 3 0 0 0.00 0" "Acrobat Pro: the 3 users cover them"

# --- why (trueup reconcile --installs) ---------------------------------------------------------
run T reconcile --installs --print tsv
is "$rc" 0 "reconcile --installs succeeds"
installs="$out"
is "$(printf '%s\n' "$installs" | awk 'END { print NR - 1 }')" 37 "37 licensable installations"
# host product -> status<TAB>entitlement<TAB>reason
why() {
	printf '%s\n' "$installs" | awk -F'\t' -v h="$1" -v p="$2" '$1 == h && $3 == p { print $10 "\t" $11 "\t" $12 }'
}
is "$(why LON-WS-0157 'Project Online Desktop Client')" "uncovered${TAB}${TAB}subscription ended $(day -29) (PRJ-P3-2025)" \
	"expired subscription: the reason names the end date and the entitlement"
is "$(why NYC-WS-0305 'Project Online Desktop Client')" "uncovered${TAB}${TAB}subscription ended $(day -29) (PRJ-P3-2025)" \
	"the same for the New York user"
is "$(why PAR-WS-0207 Office)" "uncovered${TAB}${TAB}out of scope site=London" "a Paris host is out of the London licence's scope"
is "$(why LON-WS-0141 Office)" "covered${TAB}OFF-PP-2021-LON${TAB}covered by OFF-PP-2021-LON" \
	"downgrade rights: a 2021 licence covers the 2019 install"
is "$(why LON-WS-0142 Office)" "uncovered${TAB}${TAB}all 2 licences of OFF-PP-2021-LON used" \
	"the second 2019 install finds the licences used (the 2021 install keeps its own)"
is "$(why LON-WS-0163 Office)" "covered${TAB}OFF-STD-2019${TAB}covered by OFF-STD-2019" "Office Standard 2016 (MSI) under the 2019 licence"
is "$(why NYC-FS-01 'Windows Server')" "needs-data${TAB}${TAB}needs data: the number of cores of NYC-FS-01 is unknown" \
	"the server without CPU facts needs data"
is "$(why LON-SQL-01 'Windows Server')" \
	"partial${TAB}WS-DC-2022:16${TAB}16 of 24 cores covered by WS-DC-2022:16; 8 short: all 48 cores of WS-DC-2022 used" \
	"the 2019 Datacenter host gets what the 2022 host leaves: 16 of 24 cores"
is "$(why LON-HV-01 'Windows Server')" "covered${TAB}WS-DC-2022:32${TAB}covered by WS-DC-2022:32" "the 2022 Datacenter host: 32 cores"
is "$(why PAR-SQL-02 'Windows Server')" "covered${TAB}WS-STD-2022:16${TAB}covered by WS-STD-2022:16" \
	"host facts give the VM its 8 cores: 16 with the minimum"
is "$(why LON-WS-0141 'Java SE')" "uncovered${TAB}${TAB}no entitlement for Oracle Java SE" "Java 8 Update 431 needs a subscription"
is "$(why LON-WS-0142 'Java SE')" "" "Java 8 Update 202 (free licence) is not licensable"
like "$(why PAR-WS-0207 Photoshop)$(why PAR-MAC-0212 Photoshop)" \
	"counted with Adobe Photoshop 2024 on PAR-(MAC-0212|WS-0207) \(user metric\): covered by ADB-PS-SA" \
	"per user: Chloé's PC and Mac count once"
is "$(printf '%s\n' "$installs" | awk -F'\t' '$3 == "Illustrator" && $12 == "all 1 user licence of ADB-AI-SA used"' | wc -l)" 1 \
	"one of the two Illustrator users is short"
is "$(why LON-SQL-01 'SQL Server')" \
	"covered${TAB}SQL-STD-2019:8,SQL-ENT-2019:16${TAB}covered by SQL-STD-2019:8,SQL-ENT-2019:16 (no edition in the installation data: taken as Standard, the base edition)" \
	"SQL Server 2019's Uninstall entry names no edition: taken as Standard, and the verdict says so"
is "$(why PAR-SQL-02 'SQL Server')" \
	"uncovered${TAB}${TAB}all 24 cores of SQL-STD-2019, SQL-ENT-2019 used (no edition in the installation data: taken as Standard, the base edition)" \
	"the second SQL Server finds every core used"

# --- compliance workbook ----------------------------------------------------------------------
# (the title block takes rows 1-3, the header row 4; rows_of drops the row number)
C="$W/reports/compliance-$today.xlsx"
is "$(xlsx_dump --sheets "$C" | tr '\n' ,)" \
	"What to do,Summary,Shortfall by product,By site,By cost centre,By owner,Installations,Entitlements,Needs review," \
	"compliance workbook sheets"
summary() { rows_of "$C" Summary "$1" | cut -f1-14; }
is "$(summary "Microsoft${TAB}Office${TAB}Professional Plus")" \
	"Microsoft${TAB}Office${TAB}Professional Plus${TAB}device${TAB}4${TAB}2${TAB}2${TAB}0${TAB}878${TAB}GBP${TAB}0${TAB}4${TAB}4${TAB}shortfall" \
	"Summary: Office Pro Plus short 2, 878 GBP"
is "$(summary "Microsoft${TAB}Windows Server${TAB}Datacenter")" \
	"Microsoft${TAB}Windows Server${TAB}Datacenter${TAB}core${TAB}56${TAB}48${TAB}8${TAB}0${TAB}2752${TAB}GBP${TAB}0${TAB}2${TAB}2${TAB}shortfall" \
	"Summary: Windows Server Datacenter short 8 cores, 2752 GBP"
is "$(summary "Microsoft${TAB}Windows Server${TAB}Standard")" \
	"Microsoft${TAB}Windows Server${TAB}Standard${TAB}core${TAB}32${TAB}32${TAB}0${TAB}0${TAB}0${TAB}GBP${TAB}1${TAB}3${TAB}3${TAB}needs data" \
	"Summary: Windows Server Standard needs data"
is "$(summary "Microsoft${TAB}Visio")" \
	"Microsoft${TAB}Visio${TAB}Professional${TAB}device${TAB}3${TAB}5${TAB}0${TAB}2${TAB}0${TAB}GBP${TAB}0${TAB}3${TAB}3${TAB}surplus" \
	"Summary: Visio surplus 2"
is "$(summary "Microsoft${TAB}Project Online Desktop Client")" \
	"Microsoft${TAB}Project Online Desktop Client${TAB}${TAB}user${TAB}2${TAB}0${TAB}2${TAB}0${TAB}607.2${TAB}GBP${TAB}0${TAB}2${TAB}2${TAB}shortfall" \
	"Summary: Project short 2 users"
is "$(summary "Oracle${TAB}Java SE")" \
	"Oracle${TAB}Java SE${TAB}${TAB}user${TAB}2${TAB}0${TAB}2${TAB}0${TAB}360${TAB}GBP${TAB}0${TAB}2${TAB}2${TAB}shortfall" \
	"Summary: Java SE short 2 users, priced from the price list"
like "$(sheet "$C" Summary | sed -n 1p)" "Licence compliance: Summary" "the Summary's title names the report"
like "$(sheet "$C" Summary | sed -n 2p)" "As of $today .*Scope: 19 hosts; sites: London, New York, Paris .*Data: " \
	"and gives the date, the scope and the data's freshness"
# by metric: a subtotal per unit, money per currency, never devices + users + cores
is "$(rows_of "$C" Summary "All device licences" | cut -f4-8)" "device${TAB}16${TAB}16${TAB}2${TAB}2" "devices: 16 required, 16 entitled"
is "$(rows_of "$C" Summary "All user licences" | cut -f4-8)" "user${TAB}13${TAB}8${TAB}5${TAB}0" "users: 13 required, 5 short"
is "$(rows_of "$C" Summary "All core licences" | cut -f4-8)" "core${TAB}120${TAB}104${TAB}16${TAB}0" "cores: 120 required, 16 short"
is "$(rows_of "$C" Summary "Total cost in GBP" | cut -f5,9,15)" "${TAB}16204.96${TAB}968" \
	"the total is money only: 16204.96 short, 968 possible for the server without core counts"
# what explains a row, on the row
like "$(rows_of "$C" Summary "Adobe${TAB}Acrobat${TAB}Standard" | cut -f16,18)" "^3${TAB}3 users covered by another edition \(Pro\)" \
	"Acrobat Standard: 3 users covered by another edition"
like "$(rows_of "$C" Summary "Microsoft${TAB}Office${TAB}Standard" | cut -f17,18)" "^1${TAB}1 device covered by downgrade" \
	"Office Standard 2016: covered by downgrade rights"
like "$(rows_of "$C" Summary "Microsoft${TAB}SQL Server${TAB}Enterprise" | cut -f18)" "16 of its cores used by another edition \(Standard\)" \
	"SQL Server Enterprise: its 16 cores cover Standard"
like "$(rows_of "$C" Summary "Microsoft${TAB}Windows Server${TAB}Standard" | cut -f18)" "needs data on NYC-FS-01: at least 16 cores" \
	"the possible exposure is explained: the 16-core minimum"
is "$(sheet "$C" "Shortfall by product" | awk -F'\t' '$1 > 4' | cut -f2,5,6 | tr '\n' '|')" \
"SQL Server Standard${TAB}8${TAB}11344|Windows Server Datacenter${TAB}8${TAB}2752|Office Professional Plus${TAB}2${TAB}878|\
Project Online Desktop Client${TAB}2${TAB}607.2|Java SE${TAB}2${TAB}360|Illustrator${TAB}1${TAB}263.76|" \
	"shortfall by product, costliest first"
# the breakdowns add up to the position
is "$(sheet "$C" "By site" | awk -F'\t' '$1 > 4 { s += $10 } END { printf "%.2f", s }')" 16204.96 \
	"by site: the shortfall costs add up to the total"
is "$(sheet "$C" "By site" | awk -F'\t' '$1 > 4 { print $2 }' | sort -u | tr '\n' ,)" "London,New York,Paris," "by site: the three sites"
is "$(sheet "$C" "By cost centre" | awk -F'\t' '$1 > 4 { s += $10 } END { printf "%.2f", s }')" 16204.96 \
	"by cost centre: the same total"
is "$(rows_of "$C" "By owner" "chloe.dubois${TAB}Adobe${TAB}Photoshop" | cut -f6,12,13)" "1${TAB}2${TAB}2" \
	"by owner: Chloé's two machines are one Photoshop user"
like "$(rows_of "$C" Entitlements "PRJ-P3-2025")" "${TAB}ended $(day -29)${TAB}" "the expired entitlement is listed as ended"
is "$(rows_of "$C" Entitlements "VIS-PRO-2021" | cut -f7-12)" "5${TAB}3${TAB}2${TAB}529${TAB}1058${TAB}GBP" \
	"Visio: 5 bought, 3 used, 2 unused worth 1058"
like "$(rows_of "$C" "Needs review" "needs data")" "Microsoft Windows Server 2019 Standard.*NYC-FS-01" \
	"Needs review lists the server without core counts first"
like "$(sheet "$C" "Needs review" | awk -F'\t' '$2 ~ /^unrecognised/' | head -3 | cut -f6 | tr '\n' ,)" "IntelliJ IDEA" \
	"the paid IDE is among the first three unrecognised applications (it was 18th)"
is "$(sheet "$C" "Needs review" | grep -cE "${TAB}(Web-Server|RSAT-Clustering|Hyper-V|Microsoft\.Windows\.ShellExperienceHost)${TAB}")" 0 \
	"Windows roles, features and AppX system packages are not in the review list"

# --- renewals workbook ------------------------------------------------------------------------
R="$W/reports/renewals-$today.xlsx"
is "$(xlsx_dump --sheets "$R" | tr '\n' ,)" "Renewals,Entitlement use," "renewals workbook sheets"
like "$(sheet "$R" Renewals | sed -n 3p)" "Contracts ending by $(day +180) \(within 180 days\)" \
	"the renewals sheet says its window"
# contract, end, days to end, notice, deadline, days left, state, auto-renews
ren() { sheet "$R" Renewals | awk -F'\t' '$1 > 4' | cut -f2,7-13 | sed 's/T00:00:00//g'; }
is "$(ren | tr '\n' '|')" \
"MS-CSP-PRJ-0931${TAB}$(day -29)${TAB}-29${TAB}30${TAB}$(day -59)${TAB}${TAB}ended${TAB}no|\
MS-EA-7351${TAB}$(day +45)${TAB}45${TAB}60${TAB}$(day -15)${TAB}-15${TAB}notice deadline passed${TAB}no|\
ADOBE-VIP-2291${TAB}$(day +50)${TAB}50${TAB}30${TAB}$(day +20)${TAB}20${TAB}notice due within 30 days${TAB}yes|\
MS-CSP-M365-1187${TAB}$(day +165)${TAB}165${TAB}30${TAB}$(day +135)${TAB}135${TAB}open${TAB}yes|\
Total in GBP${TAB}${TAB}${TAB}${TAB}${TAB}${TAB}${TAB}|" \
	"renewals: the ended subscription, the EA past its deadline, Adobe's deadline in 20 days, M365 open"
is "$(rows_of "$R" Renewals "MS-EA-7351" | cut -f16-18)" \
	"1058${TAB}14974${TAB}Office Professional Plus: 2 devices; SQL Server Standard: 8 cores; Windows Server Datacenter: 8 cores" \
	"the EA's true-up exposure: 878 + 11344 + 2752 for the products it covers"
is "$(rows_of "$R" Renewals "MS-CSP-PRJ-0931" | cut -f19)" \
	"Project Online Desktop Client: 2 users (LON-WS-0157, NYC-WS-0305)" \
	"the ended Project subscription: two users still run it"
is "$(rows_of "$R" Renewals "MS-EA-7351" | cut -f14 | sed 's/T00:00:00//')" "$(grep '^WS-DC-2022,' "$W/licences/entitlements.csv" | cut -d, -f10)" \
	"the EA's maintenance end: that of its entitlements"
is "$(rows_of "$R" Renewals "Total in GBP" | cut -f5-8,15-17)" \
	"${TAB}${TAB}${TAB}${TAB}188743.48${TAB}1058${TAB}15237.76" "totals per currency: money only, no units"

# --- patch workbook ---------------------------------------------------------------------------
P="$W/reports/patch-$today.xlsx"
is "$(xlsx_dump --sheets "$P" | tr '\n' ,)" "What to do,Summary,Status,Vulnerable,End of life,Hosts," "patch workbook sheets"
vuln() { # host raw_name -> version vulns kev fixed_in
	sheet "$P" Vulnerable | awk -F'\t' -v h="$2" -v n="$3" '$2 == h && $3 == n { print $5 " " $10 " " $8 " " $11 }'
}
ids() { sheet "$P" Vulnerable | awk -F'\t' -v h="$1" -v n="$2" '$2 == h && $3 == n { print $12 }'; }
cves() { sheet "$P" Vulnerable | awk -F'\t' -v h="$1" -v n="$2" '$2 == h && $3 == n { print $13 }'; }
kevs() { sheet "$P" Vulnerable | awk -F'\t' -v h="$1" -v n="$2" '$2 == h && $3 == n { print $9 }'; }
is "$(sheet "$P" Vulnerable | awk '$1 > 4' | wc -l)" 27 "27 vulnerable installations: 3 + 5 PyPI, 19 AlmaLinux"
is "$(sheet "$P" Vulnerable | awk -F'\t' '$8 == "yes"' | wc -l)" 9 "9 known-exploited: httpd (5 packages) and git (4)"
is "$(sheet "$P" Vulnerable | awk -F'\t' '$1 > 4 && $1 <= 13 { print $8 }' | sort -u)" yes "the known-exploited rows come first"
# (Windows features are recognised as the few OS products they belong to, so a server's FS-*
# features are one installation of "Windows Server file and storage services", not five)
is "$(sheet "$P" Status | awk -F'\t' '$1 > 4 && $2 != "All installations" { s += $3 } END { print s }')" 131 \
	"the status pie's slices add up to the 131 installations (Microsoft 365 Apps is one, no verdict; macOS is one row per host, its OS row)"
# (the Debian hosts' packages are behind or current by Debian 12's package index, which the
# demo imports: 24 behind and 16 current of what was 40 "supported" without it)
is "$(rows_of "$P" Summary "All products" | cut -f3-11)" "19${TAB}131${TAB}9${TAB}18${TAB}42${TAB}28${TAB}22${TAB}8${TAB}4" \
	"Summary: 19 hosts and 131 installations, each once under its worst verdict"
is "$(sheet "$P" Summary | awk -F'\t' '$1 > 4 && $2 != "All products" && $5 != $6 + $7 + $8 + $9 + $10 + $11 + $12' | wc -l)" 0 \
	"per product, the verdicts add up to the installations"
is "$(sheet "$P" Hosts | awk -F'\t' '$1 == 5 { print $2 }')" par-web-02 "the worst host first"
like "$(rows_of "$P" "What to do" "1${TAB}Update")" "^1${TAB}Update HTTP Server to 2\.4\.62-13\.el9_8\.5 on 1 host" \
	"what to do: the known-exploited product first, with its fixed version"
is "$(sheet "$P" "What to do" | cut -f3 | grep '^Move Windows ')" \
	"Move Windows to a supported release on 7 hosts, or buy extended support for 1 of them (available until 2028-10-10)" \
	"what to do: end-of-life Windows, and the paid extended support one host could still buy (Windows 10 22H2)"
is "$(vuln x lon-web-01 urllib3)" "1.26.12 2 no 1.26.18" "Debian's urllib3 1.26.12: 2 PyPA advisories, fixed in 1.26.18"
like "$(ids lon-web-01 urllib3)" "PYSEC-2023-192.*PYSEC-2023-212|PYSEC-2023-212.*PYSEC-2023-192" "the PyPA ids"
is "$(vuln x lon-web-01 requests)" "2.28.1 1 no 2.31.0" "requests 2.28.1: PYSEC-2023-74"
is "$(ids lon-web-01 requests)" "PYSEC-2023-74" "requests: the advisory in vuln_ids"
like "$(cves lon-web-01 requests)" "CVE-2023-32681" "and its CVE in cves"
is "$(vuln x lon-web-01 cryptography)" "38.0.4 2 no 41.0.6" "cryptography 38.0.4: 2 advisories, fixed in 41.0.6"
is "$(vuln x lon-web-01 Jinja2)" "" "Jinja2 3.1.2 has no advisory in the feed"
is "$(vuln x par-app-01 PyYAML)" "5.3.1 1 no 5.4" "the venv's PyYAML 5.3.1: PYSEC-2021-142"
is "$(ids par-app-01 PyYAML)" "PYSEC-2021-142" "PyYAML: the advisory"
like "$(cves par-app-01 PyYAML)" "CVE-2020-14343" "and its CVE"
is "$(vuln x par-app-01 Jinja2)" "2.11.2 1 no 2.11.3" "the venv's Jinja2 2.11.2: PYSEC-2021-66"
is "$(vuln x par-app-01 cryptography)" "3.3.1 3 no 41.0.6" "the venv's cryptography 3.3.1: 3 advisories"
is "$(vuln x par-web-02 httpd)" "2.4.57-5.el9 8 yes 2.4.62-13.el9_8.5" "AlmaLinux httpd: 8 advisories, known-exploited"
like "$(ids par-web-02 httpd)" "ALSA-2024:4726" "ALSA-2024:4726 affects httpd"
like "$(kevs par-web-02 httpd)" "^CVE-2024-38475 \\(due 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]\\)" \
	"kev_cves names the known-exploited CVE-2024-38475 and its due date"
is "$(vuln x par-web-02 mod_ssl)" "1:2.4.57-5.el9 8 yes 1:2.4.62-13.el9_8.5" "mod_ssl, with its epoch"
is "$(vuln x par-web-02 git)" "2.39.3-1.el9_2 3 yes 2.47.3-1.el9_6" "AlmaLinux git: 3 advisories, known-exploited"
like "$(ids par-web-02 git)" "ALSA-2025:11462" "ALSA-2025:11462 affects git"
like "$(kevs par-web-02 git)" "CVE-2025-48384 \\(due " "kev_cves: CVE-2025-48384 with its due date"
is "$(vuln x par-web-02 openssl-libs)" "1:3.0.7-24.el9 10 no 1:3.5.5-4.el9_8" "openssl-libs: 10 advisories, none known-exploited"
is "$(vuln x par-web-02 sudo)" "1.9.5p2-9.el9 4 no 1.9.17p2-3.el9_8" "sudo: 4 advisories"
is "$(vuln x par-web-02 python3)" "3.9.18-1.el9_3 19 no 3.9.25-7.el9_8.3" "python3: 19 advisories"
is "$(sheet "$P" Hosts | awk -F'\t' '$2 == "par-web-02" { print $5, $6 }')" "9 10" \
	"Hosts: par-web-02 has 19 vulnerable installations, 9 of them known-exploited"
eol() { sheet "$P" "End of life" | awk -F'\t' -v h="$1" -v n="$2" '$2 == h && $3 == n { print $5 " " $6 " " $7 " " $8 }' | sed 's/T00:00:00//'; }
is "$(sheet "$P" "End of life" | awk -F'\t' '$1 > 4 { print $9 }' | sort -n -r | tr '\n' , | head -c 40)" \
	"$(sheet "$P" "End of life" | awk -F'\t' '$1 > 4 { print $9 }' | tr '\n' , | head -c 40)" \
	"End of life: the days past end of life, longest first"
is "$(eol par-app-01 node)" "19.2.0 19 eol 2023-06-01" "the Node.js 19 tarball in /opt is end of life"
is "$(eol lon-web-01 nginx)" "" "Debian's nginx is not end of life: upstream's 1.22 is, Debian 12 is in its LTS"
is "$(sheet "$P" "End of life" | awk -F'\t' -v h=par-app-01 '$2 == h && $3 == "node" { print $9 }')" \
	"$(( ($(date -u -d "$today" +%s) - $(date -u -d 2023-06-01 +%s)) / 86400 ))" \
	"the End of life sheet says how many days past end of life"

# --- patch verdicts a security team can act on (trueup patch) -------------------------------------
run T patch --print tsv
is "$rc" 0 "patch succeeds"
patch_tsv="$out"
# awk over the TSV with the columns by name: c["support"]...
pq() { printf '%s\n' "$patch_tsv" | awk -F'\t' "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next } $1"; }
is "$(pq '$c["product"] ~ /^(Windows|Windows Server|Office|Microsoft Office|SQL Server)$/ && ($c["cycle"] == "" || $c["support"] !~ /^(supported|security-only|eol)$/) { print $c["host"], $c["raw_name"] }')" "" \
	"every Windows, Windows Server, Office and SQL Server installation has a cycle and a support verdict"
is "$(pq '$c["product"] ~ /^(Windows|Windows Server|Office|Microsoft Office|SQL Server)$/ { n++ } END { print n }')" 21 \
	"21 of them: 7 Windows 10 and 11, 5 Windows Server, 7 Office, 2 SQL Server"
is "$(pq '$c["host"] == "LON-WS-0141" && $c["product"] == "Windows" { print $c["cycle"], $c["support"], $c["os_build"], $c["os_edition"] }')" \
	"11-23h2-w eol 10.0.22631.4460 Professional" "Windows 11 Pro 22631 is 11 23H2 (W), with the host's build and edition"
is "$(pq '$c["host"] == "LON-WS-0163" && $c["product"] == "Windows" { print $c["cycle"], $c["support"], $c["extended_support"] }')" \
	"10-22h2 eol 2028-10-10" "Windows 10 22H2 is end of life; paid ESU is shown available until 2028-10-10"
is "$(pq '$c["host"] == "LON-SQL-01" && $c["product"] ~ /^Windows Server|^SQL Server$/ { print $c["product"], $c["cycle"] }' | sort | tr '\n' ,)" \
	"SQL Server 15.0,Windows Server 2019," "build 17763 is Windows Server 2019; SQL Server 2019 is cycle 15.0"
is "$(pq '$c["host"] == "LON-WS-0163" && $c["raw_name"] ~ /^Microsoft Office/ { print $c["cycle"] }' | sort -u)" 2016 \
	"the MSI Office 16.0.4266 is 2016"
is "$(pq '$c["product"] == "Java SE" { print $c["cycle"] }' | sort -u)" 8 "Java 8 updates are cycle 8"
is "$(pq '($c["source"] == "dpkg" || $c["source"] == "rpm") && $c["support"] == "eol" { print $c["host"], $c["raw_name"] }')" "" \
	"no Debian or AlmaLinux package is end of life while its distribution is supported"
is "$(pq '$c["source"] == "os" && $c["os"] ~ /Debian/ { print $c["support"], $c["eol_date"] }' | sort -u)" "security-only 2028-06-30" \
	"Debian 12 is in its free LTS until 2028-06-30"
is "$(pq '$c["source"] == "os" { print $c["publisher"] "|" $c["product"] }' | sort -u | tr '\n' ,)" \
	"AlmaLinux|AlmaLinux OS,Apple|Apple macOS,Debian|Debian," \
	"the OS rows carry their publisher, as the normaliser names the vendor's own packages"
is "$(pq '$c["host"] == "lon-web-01" && $c["raw_name"] == "nginx" { print $c["support"], $c["cycle"] }')" "security-only 1.22" \
	"Debian's nginx follows Debian 12; upstream's cycle 1.22 is shown for information"
# latest and behind of Debian's packages from Debian 12's package index (the demo's cut of
# bookworm, -updates and -security, hand-checked with dpkg --compare-versions: openssl is
# 3.0.20-1~deb12u2, 3.0.17-1~deb12u2 and 3.0.22-1~deb12u2 there, all above 3.0.14-1~deb12u2)
grep -q "import packages: 3 files, 592 distinct packages for 1 distribution release(s), 0 records refused" \
	"$W/reports/trueup-run.log"
ok $? "the run imports Debian 12's package index (592 packages of the three suites)"
is "$(pq '$c["host"] == "lon-db-01" && $c["raw_name"] == "openssl" { print $c["version"], $c["latest"], $c["behind"], $c["verdict"] }')" \
	"3.0.14-1~deb12u2 3.0.22-1~deb12u2 3 behind" \
	"Debian's openssl is 3 behind Debian's own 3.0.22-1~deb12u2 (the package index), not upstream's releases"
like "$(pq '$c["host"] == "lon-db-01" && $c["raw_name"] == "openssl" { print $c["support_basis"] }')" \
	"^Debian 12 .*[(]distribution package[)]; latest and behind from the package index [(]debian 12[)]$" \
	"support_basis says latest and behind came from the package index"
is "$(pq '$c["host"] == "lon-db-01" && $c["raw_name"] == "perl-base" { print $c["latest"], $c["behind"], $c["verdict"] }')" \
	"5.36.0-7+deb12u4 0 current" "perl-base at bookworm-security's version is current (bookworm's +deb12u3 is older)"
is "$(pq '$c["host"] == "lon-web-01" && $c["raw_name"] == "nginx" { print $c["latest"], $c["behind"] }')" \
	"1.22.1-9+deb12u12 2" "Debian's nginx 1.22.1-9 is 2 behind (bookworm's +deb12u9, -security's +deb12u12), not upstream's 1.2x"
is "$(pq '$c["vulns"] > 0 && ($c["severity"] == "" || $c["severity_source"] == "") { print $c["host"], $c["raw_name"] }')" "" \
	"every vulnerable row has a severity and its source"
is "$(pq '$c["host"] == "par-web-02" && $c["raw_name"] == "sudo" { print $c["severity"], $c["severity_source"] }')" \
	"high summary label Important (ALSA-2025:9978)" "AlmaLinux's own label where there is no vector, with its source"
is "$(pq '$c["vulns"] != ($c["vuln_ids"] == "" ? 0 : split($c["vuln_ids"], a, ",")) { print $c["host"], $c["raw_name"] }')" "" \
	"vulns counts the ids in vuln_ids"
is "$(pq '$c["support"] == "unknown" && $c["reason"] == "" { print $c["host"], $c["raw_name"] }')" "" \
	"every unknown support verdict has a reason"
is "$(pq '$c["support"] == "" { print $c["host"], $c["raw_name"] }')" "" "no support verdict is blank"
is "$(pq '$c["host"] == "LON-MAC-0148" && $c["product"] ~ /macOS/ { print $c["source"], $c["cycle"], $c["latest_in_cycle"], $c["behind"], $c["support"], $c["verdict"] }')" \
	"os 15 15.7.9 18 supported behind" "macOS is one row per host (its OS row), behind within its release 15"
is "$(pq '$c["host"] == "par-web-02" && $c["source"] == "os" { print $c["version"], $c["latest_in_cycle"], $c["verdict"] }')" \
	"9.3 9.8 behind" "AlmaLinux 9.3 is behind its release's 9.8"
like "$(pq '$c["host"] == "NYC-WS-0305" && $c["product"] == "Microsoft 365 Apps" { print $c["support"], $c["latest"] "|" $c["reason"] }')" \
	"^unknown [|]Microsoft 365 Apps are serviced by update channel.*none for a channel: build 16[.]0[.]18129[.]20158 " \
	"Microsoft 365 Apps is a row, unknown: the catalogue has no channel cycles (not silently absent)"
is "$(pq '$c["product"] ~ /feature|^Internet Information Services$|^Hyper-V$|^Remote Server Administration Tools$/ { print $c["host"], $c["raw_name"] }')" "" \
	"Windows features (class os, no version) are not judged as products"
run T catalog --unmapped
is "$(printf '%s\n' "$out" | cut -f1 | grep -xE 'windows|windows-server|office|mssqlserver|oracle-jdk|powershell|debian|almalinux|macos')" "" \
	"catalog --unmapped: the installed OS, Windows, Office, SQL Server, Java, PowerShell products are all mapped"
is "$(pq '$c["host"] == "par-web-02" && $c["kev"] == "yes" { print $c["package"] }' | sort -u | tr '\n' ,)" "git,httpd," \
	"par-web-02's 9 known-exploited rows are two exposed packages: httpd's five sub-packages are one"

# --- changes workbook -------------------------------------------------------------------------
X="$W/reports/changes-$today.xlsx"
is "$(xlsx_dump --sheets "$X" | tr '\n' ,)" "Changes,By host,By product," "changes workbook sheets"
like "$(sheet "$X" Changes | sed -n 2p)" "Period: $(day -7) to $today" "the period is in the title block"
is "$(rows_of "$X" "By host" "lon-web-01" | cut -f2-7)" "0${TAB}1${TAB}1${TAB}4${TAB}0${TAB}0" \
	"by host: lon-web-01 installed 1, removed 1, upgraded 4"
is "$(sheet "$X" Changes | awk -F'\t' '$1 > 4' | cut -f3-6,9,10 | sort | tr '\n' '|')" \
"lon-web-01${TAB}installed${TAB}dpkg${TAB}htop${TAB}${TAB}3.2.2-2|\
lon-web-01${TAB}removed${TAB}dpkg${TAB}tcpdump${TAB}4.99.3-1${TAB}|\
lon-web-01${TAB}upgraded${TAB}dpkg${TAB}curl${TAB}7.88.1-10+deb12u7${TAB}7.88.1-10+deb12u8|\
lon-web-01${TAB}upgraded${TAB}dpkg${TAB}libcurl4${TAB}7.88.1-10+deb12u7${TAB}7.88.1-10+deb12u8|\
lon-web-01${TAB}upgraded${TAB}dpkg${TAB}libssl3${TAB}3.0.14-1~deb12u2${TAB}3.0.15-1~deb12u1|\
lon-web-01${TAB}upgraded${TAB}dpkg${TAB}openssl${TAB}3.0.14-1~deb12u2${TAB}3.0.15-1~deb12u1|\
par-app-01${TAB}upgraded${TAB}pip${TAB}Jinja2${TAB}2.10.1${TAB}2.11.2|" \
	"changes since last month: 5 upgrades, htop installed, tcpdump removed (config files kept), nothing else"

# --- reading a page of hosts at a time --------------------------------------------------------
# The embedded server holds a whole result in memory, so reads over installations go a page of
# hosts at a time; pages of 2 hosts (10 pages) must give exactly what one page gives.
for cmd in "inventory --print tsv" "reconcile --installs --print tsv" "patch --print tsv"; do
	# shellcheck disable=SC2086
	one=$(T $cmd 2>&1)
	# shellcheck disable=SC2086
	paged=$(TU_DB_PAGER_HOSTS=2 T $cmd 2>&1)
	is "$paged" "$one" "$cmd: the same rows read 2 hosts at a time"
	is "$([ "$(printf '%s\n' "$one" | wc -l)" -gt 19 ] && echo more)" more "$cmd: more rows than hosts"
done

# --- paid extended support bought through an entitlement -------------------------------------
# LON-WS-0163 runs Windows 10 22H2: end of life 2025-10-14, paid ESU available until 2028-10-10
# (the demo's catalogue). ESU entitlements for the hosts of cost centre OPS-410 (it alone):
# year 1 from 2025-10-15 to 2026-10-13, then one from 2026-10-14 ending after the catalogue's.
# Days past end of life worked by hand: 2026-06-01 is 230, 2027-01-01 444, 2028-10-10 1092.
w10() { # DATE -> support|eol_days|support_basis|extended_support of its Windows row
	T patch --host LON-WS-0163 --at "$1" --print tsv 2>/dev/null | awk -F'\t' '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["product"] == "Windows" { print $c["support"] "|" $c["eol_days"] "|" $c["support_basis"] "|" $c["extended_support"] }'
}
is "$(w10 2026-06-01)" "eol|230|Microsoft Windows 10 22H2|2028-10-10" \
	"without an ESU entitlement: end of life, ESU shown available"
cat > "$TMP/esu.csv" <<EOF
id,publisher,product,metric,quantity,start,end,scope,extended_support
ESU-W10-Y1,Microsoft,Windows,device,1,2025-10-15,2026-10-13,cost_centre=OPS-410,yes
ESU-W10-Y2,Microsoft,Windows,device,1,2026-10-14,2030-12-31,cost_centre=OPS-410,windows
ESU-W10-NYC,Microsoft,Windows,device,5,2025-10-15,2026-10-13,site=New York,yes
EOF
run T import entitlements "$TMP/esu.csv"
is "$rc" 0 "ESU entitlements import"
is "$(w10 2025-10-14)" "eol|0|Microsoft Windows 10 22H2|2028-10-10" \
	"the day of end of life, before the ESU starts: end of life"
is "$(w10 2025-10-15)" \
	"security-only||Microsoft Windows 10 22H2, extended support bought until 2026-10-13 (ESU-W10-Y1)|" \
	"the ESU's first day: security-only until the entitlement's end, naming it"
is "$(w10 2026-10-13)" \
	"security-only||Microsoft Windows 10 22H2, extended support bought until 2026-10-13 (ESU-W10-Y1)|" \
	"its last day: still covered"
is "$(w10 2027-01-01)" \
	"security-only||Microsoft Windows 10 22H2, extended support bought until 2028-10-10 (ESU-W10-Y2)|" \
	"one ending after the catalogue's ESU (named by catalogue id): until the catalogue's end"
is "$(w10 2028-10-10)" "eol|1092|Microsoft Windows 10 22H2|" \
	"the catalogue's ESU over: end of life, nothing left to buy"
is "$(T patch --at 2026-01-01 --print tsv 2>/dev/null | awk -F'\t' '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["product"] == "Windows" { print $c["host"], $c["support"] }' | tr '\n' ,)" \
	"LON-WS-0141 eol,LON-WS-0142 eol,LON-WS-0157 eol,LON-WS-0163 security-only,NYC-WS-0305 eol,PAR-WS-0207 eol,PAR-WS-0211 eol," \
	"only the host in scope is covered; New York's Windows 11 23H2 has no ESU to buy: end of life"
cat > "$TMP/esu-short.csv" <<EOF
id,publisher,product,metric,quantity,start,end,scope,extended_support
ESU-W10-Y2,Microsoft,Windows,device,1,2026-10-14,2026-12-31,cost_centre=OPS-410,windows
EOF
T import entitlements "$TMP/esu-short.csv" > /dev/null 2>&1
is "$(w10 2027-01-01)" \
	"eol|444|Microsoft Windows 10 22H2, extended support bought ended 2026-12-31 (ESU-W10-Y2)|2028-10-10" \
	"after the entitlement's end: end of life again, saying which purchase ended"
run T reconcile --print tsv
is "$out" "$position" "the licence position leaves ESU purchases out (they license nothing)"
cat > "$TMP/esu-wrong.csv" <<EOF
id,publisher,product,metric,quantity,start,end,scope,extended_support
ESU-VISIO,Microsoft,Visio,device,1,2025-10-15,2026-10-13,,yes
ESU-TYPO,Microsoft,Windows,device,1,2025-10-15,2026-10-13,,windows-srv
EOF
run T import entitlements "$TMP/esu-wrong.csv"
is "$rc" 0 "purchases naming no catalogue product import (the catalogue may come later)"
like "$err" "ESU-VISIO: Microsoft Visio is no product of the release catalogue: the purchase covers nothing" \
	"but the import says which cover nothing: yes for a product the catalogue lacks"
like "$err" "ESU-TYPO: the release catalogue has no product \"windows-srv\"" "and an unknown catalogue id"
run T patch --host LON-WS-0163 --print tsv
like "$err" "patch: 2 purchase\(s\) of extended support name no product" "patch says so too, never silently"

# --- Microsoft 365 Apps channels from an in-house catalogue -----------------------------------
# endoflife.date has no channel cycles (the row is unknown above); an imported in-house CSV
# that has them places the build as Windows is. The CSV is a hand-written test fixture with
# made-up dates, not Microsoft's (tests/fixtures/catalog/SOURCES.md).
m365() { # DATE -> cycle|latest_in_cycle|latest|support|eol_date|support_basis|reason
	T patch --host NYC-WS-0305 --at "$1" --print tsv 2>/dev/null | awk -F'\t' '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["product"] == "Microsoft 365 Apps" { print $c["cycle"] "|" $c["latest_in_cycle"] "|" $c["latest"] "|" $c["support"] "|" $c["eol_date"] "|" $c["support_basis"] "|" $c["reason"] }'
}
run T import catalog "$TU_SOURCE_ROOT/tests/fixtures/catalog/m365-channels.csv"
is "$rc" 0 "an in-house catalogue with Microsoft 365 Apps channels imports"
is "$(m365 2024-12-01)" \
	"current-2410|16.0.18129.20200|16.0.18227.20162|supported|2024-12-10|Microsoft 365 Apps current-2410|" \
	"build 16.0.18129 is Current Channel 2410; latest is that channel's newest"
is "$(m365 2024-12-10)" \
	"current-2410|16.0.18129.20200|16.0.18227.20162|eol|2024-12-10|Microsoft 365 Apps current-2410|" \
	"end of life when its version's support ends"

# --- again, and a failing pipeline ------------------------------------------------------------
run env TRUEUP="$TRUEUP" "$DEMO" "$W"
is "$rc" 0 "tools/demo runs again over its own output"
run T reconcile --print tsv
is "$out" "$position" "from an empty store: the same position"
is "$(sheet "$W/reports/changes-$today.xlsx" Changes | awk '$1 > 4' | wc -l)" 7 "and the same 7 changes"
cat > "$TMP/failing-trueup" <<EOF
#!/bin/sh
for a; do [ "\$a" = run ] && exit 1; done
exec "$TRUEUP" "\$@"
EOF
chmod +x "$TMP/failing-trueup"
run env TRUEUP="$TMP/failing-trueup" "$DEMO" "$TMP/failing"
is "$rc" 1 "tools/demo exits non-zero when the pipeline fails"
like "$err" "the pipeline failed" "and says so"

done_testing
