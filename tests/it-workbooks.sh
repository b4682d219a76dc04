#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The five workbooks of the demo read as a manager receives them: openpyxl checks every sheet's
# title block, headers in words, frozen and filtered header, widths, formats, print setup and
# the document properties (tests/xlsx-check.py); LibreOffice opens each one headless and
# renders it to PDF, whose page count must stay sane. And the terminal: tables with units and
# totals, colour only on a terminal and never with NO_COLOR, a closed pipe ends quietly, an
# empty result says why, a workbook is never written under another extension, a mistyped
# command gets a suggestion, and each report's --help lists its sheets.
. "$(dirname "$0")/lib.sh"
need_embedded

today=$(date -u +%Y-%m-%d)
W="$TMP/demo"
run env TRUEUP="$TRUEUP" "$TU_SOURCE_ROOT/tools/demo" "$W"
is "$rc" 0 "tools/demo runs the pipeline"
[ "$rc" -eq 0 ] || { diag "$err"; exit 1; }
not_like "$out" "awk" "the demo's summary is trueup's own output"
like "$out" "Total \(19 rows\)" "the demo's summary counts the hosts"
like "$out" "Shortfall cost \(GBP\)" "the position's header names its unit"
like "$out" "Total \(16 rows\) +16,204\.96 +968\.00" "the position's totals line: shortfall cost and possible exposure"
like "$out" "All products +19 +131 +9 +18 +42 +28 +22 +8 +4" \
	"patch summary: 19 hosts and 131 installations, each counted once under its worst verdict"
T() { "$TRUEUP" --data-dir "$W/data" "$@"; }

# --- every workbook, as openpyxl reads it -----------------------------------------------------
for pair in "inventory:Software inventory" "compliance:Licence compliance" "renewals:Renewals" \
	"patch:Patch currency" "changes:Software changes"; do
	kind=${pair%%:*}
	name=${pair#*:}
	f="$W/reports/$kind-$today.xlsx"
	test -f "$f"
	ok $? "the run wrote the $kind workbook"
	run "$PY" "$TU_SOURCE_ROOT/tests/xlsx-check.py" "$f" "$name"
	is "$rc" 0 "$kind: properties, title blocks, headers, widths, formats and print setup hold"
	[ "$rc" -eq 0 ] || diag "$out$err"
done

# --- LibreOffice opens and renders each one ---------------------------------------------------
# The most pages each may take; before the layout work they took 141, 20, 10, 19 and 3.
max_pages() {
	case $1 in
	inventory) echo 40 ;;
	compliance) echo 14 ;;
	renewals) echo 3 ;;
	patch) echo 14 ;;
	changes) echo 4 ;;
	esac
}
if ! command -v soffice > /dev/null 2>&1; then
	diag "soffice is absent (tools/setup-deps installs libreoffice-calc-nogui): not rendering"
	ok 0 "# SKIP LibreOffice rendering: soffice is not installed"
elif ! command -v pdfinfo > /dev/null 2>&1; then
	ok 0 "# SKIP LibreOffice rendering: pdfinfo (poppler-utils) is not installed"
else
	mkdir -p "$TMP/pdf"
	# a private profile, so that a desktop session or a parallel test does not interfere
	run soffice "-env:UserInstallation=file://$TMP/lo-profile" --headless --convert-to pdf \
		--outdir "$TMP/pdf" "$W/reports/inventory-$today.xlsx" "$W/reports/compliance-$today.xlsx" \
		"$W/reports/renewals-$today.xlsx" "$W/reports/patch-$today.xlsx" "$W/reports/changes-$today.xlsx"
	is "$rc" 0 "LibreOffice converts the five workbooks"
	not_like "$err" "[Ee]rror" "without an error"
	for kind in inventory compliance renewals patch changes; do
		pdf="$TMP/pdf/$kind-$today.pdf"
		pages=$(pdfinfo "$pdf" 2> /dev/null | sed -n 's/^Pages: *//p')
		diag "$kind: ${pages:-no} pages rendered"
		is "$([ -n "$pages" ] && [ "$pages" -ge 1 ] && [ "$pages" -le "$(max_pages "$kind")" ] && echo sane)" \
			sane "$kind renders in 1 to $(max_pages "$kind") pages (${pages:-none})"
	done
fi

# --- what the workbooks say -------------------------------------------------------------------
C="$W/reports/compliance-$today.xlsx"
cells() { # FILE SHEET ROW -> the row's cells, tab-separated
	xlsx_dump "$1" | awk -F'\t' -v s="$2" -v r="$3" '$1 == s && $2 == r { printf "%s%s", (n++ ? "\t" : ""), $5 } END { print "" }'
}
like "$(cells "$C" "What to do" 5)" "^1	Buy 8 cores of SQL Server Standard for 11,344\.00 GBP, or remove it from PAR-SQL-02	11344" \
	"what to do: the costliest shortfall first, with the host to remove it from"
like "$(xlsx_dump --meta "$C" | grep '^What to do	charts')" "	1$" "the shortfall chart is on the first sheet"

# --- the terminal -----------------------------------------------------------------------------
run T reconcile --print table
like "$out" "Shortfall cost \(GBP\) +Needs data \(installations\)" "a table's headers are words with units"
like "$out" "Total \(16 rows\)" "a totals line"
not_like "$out" "$(printf '\033')" "no colour when not on a terminal"
if script -qec "true" /dev/null > /dev/null 2>&1; then
	tty_out=$(script -qec "$TRUEUP --data-dir $W/data reconcile" /dev/null < /dev/null)
	like "$tty_out" "$(printf '\033')\[31mshortfall" "on a terminal: a table by default, the status in colour"
	tty_out=$(NO_COLOR=1 script -qec "$TRUEUP --data-dir $W/data reconcile" /dev/null < /dev/null)
	like "$tty_out" "Licence unit" "NO_COLOR: still a table"
	not_like "$tty_out" "$(printf '\033')\[3" "NO_COLOR: no colour"
else
	ok 0 "# SKIP no script(1) to give trueup a terminal"
fi
run T reconcile
like "$out" "^publisher	product	edition	metric	required" "in a pipe the default stays TSV"

# a closed pipe: the reader left, nothing to report
( T inventory --print tsv 2> "$TMP/pipe.err"; echo "$?" > "$TMP/pipe.rc" ) | head -1 > /dev/null
is "$(cat "$TMP/pipe.rc")" 0 "inventory | head: exit status 0"
is "$(cat "$TMP/pipe.err")" "" "inventory | head: nothing on stderr"
( T patch --print table 2> "$TMP/pipe.err"; echo "$?" > "$TMP/pipe.rc" ) | head -1 > /dev/null
is "$(cat "$TMP/pipe.rc")" 0 "patch | head: exit status 0"

# empty results say why
run T inventory --host no-such-host
is "$rc" 0 "an unknown host is not an error"
like "$err" "no host matches 'no-such-host'" "inventory says the host is unknown"
run T patch --host no-such-host --print table
is "$rc" 0 "patch --host unknown: exit 0"
like "$err" "patch: no host matches 'no-such-host'" "patch says the host is unknown"
run T report changes --since "$(date -u -d "$today -400 days" +%Y-%m-%d)" -o "$TMP/changes.xlsx"
is "$rc" 0 "changes since before the history"
like "$err" "no history before" "says there is no history before the first scan"
is "$(xlsx_dump "$TMP/changes.xlsx" | awk -F'\t' '$1 == "Changes" && $3 == 3 && $5 == "new host (baseline)"' | wc -l | tr -d ' ')" 19 \
	"each host's first scan is one baseline line"
like "$(xlsx_dump "$TMP/changes.xlsx" | awk -F'\t' '$1 == "Changes" && $2 == 2')" "Period: $(date -u -d "$today -400 days" +%Y-%m-%d) to $today" \
	"the period is in the title block"
is "$(xlsx_dump "$TMP/changes.xlsx" | awk -F'\t' '$1 == "Changes" && $3 == 3 && $5 == "installed"' | wc -l | tr -d ' ')" 1 \
	"and the one installation of the period is still there"

# a workbook under another extension is refused; without one, .xlsx is added
run T report compliance -o "$TMP/report.txt"
is "$rc" 2 "-o report.txt for a workbook is refused"
like "$err" "\.xlsx" "and the message names the extension"
test ! -e "$TMP/report.txt"
ok $? "nothing is written"
run T report renewals -o "$TMP/renewals"
is "$rc" 0 "-o without an extension"
test -f "$TMP/renewals.xlsx"
ok $? "gets .xlsx"

# did you mean, and each report's sheets in --help
run T reconcil
is "$rc" 2 "a mistyped command is a usage error"
like "$err" "did you mean 'reconcile'" "with a suggestion"
run T report complaince
like "$err" "did you mean 'compliance'" "also for a report"
for pair in "inventory:Hosts, Installations, Products" \
	"compliance:What to do, Summary, Shortfall by product, By site, By cost centre, By owner, Installations, Entitlements, Needs review" \
	"renewals:Renewals, Entitlement use" "patch:What to do, Summary, Status, Vulnerable, End of life, Hosts" \
	"changes:Changes, By host, By product"; do
	kind=${pair%%:*}
	run T report "$kind" --help
	like "$(printf '%s' "$out" | tr '\n' ' ' | tr -s ' ')" "${pair#*:}" "report $kind --help lists its sheets"
	f="$W/reports/$kind-$today.xlsx"
	is "$(xlsx_dump --sheets "$f" | tr '\n' ',' | sed 's/,$//; s/,/, /g')" "${pair#*:}" "and they are the sheets written"
done

done_testing
