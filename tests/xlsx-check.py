#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check a workbook as the reader receives it, with openpyxl (an independent reader): the
document properties, and on every sheet the title block (report, as-of date or period, scope,
data freshness), headers in words, a frozen and filtered header, widths from the content,
number and date formats (a date is a date cell, never text), the print setup (landscape, one page wide, header rows repeated) and
charts placed where they are seen on opening. Prints one TAP-like line per failed property
("FAIL sheet: what") and "OK N sheets" when all hold; exits 1 on any failure.

Usage: xlsx-check.py WORKBOOK REPORT-NAME"""
import re
import sys

import openpyxl
from openpyxl.utils import get_column_letter

HEADER_ROW = 4  # 1-based: title, info line, note, header
# a cell that is a date or a date and time and nothing else
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def main():
    path, report = sys.argv[1], sys.argv[2]
    wb = openpyxl.load_workbook(path)
    fails = []

    def fail(where, what):
        fails.append(f"FAIL {where}: {what}")

    p = wb.properties
    if not p.title or report not in p.title:
        fail("properties", f"title {p.title!r} does not name {report!r}")
    if not p.subject:
        fail("properties", "no subject")
    if p.creator != "trueup":
        fail("properties", f"author {p.creator!r}, not trueup")
    if p.created is None:
        fail("properties", "no creation date")

    for ws in wb.worksheets:
        name = ws.title
        title = ws.cell(1, 1).value or ""
        if not title.startswith(report):
            fail(name, f"title row {title!r} does not name the report")
        info = ws.cell(2, 1).value or ""
        if not re.search(r"(As of |Period: )\d{4}-\d{2}-\d{2}", info):
            fail(name, f"info row {info!r} has no as-of date or period")
        if "Scope: " not in info or "host" not in info:
            fail(name, f"info row {info!r} has no scope")
        if "Data: " not in info or "scan" not in info:
            fail(name, f"info row {info!r} has no data freshness")
        headers = []
        col = 1
        while ws.cell(HEADER_ROW, col).value is not None:
            headers.append(str(ws.cell(HEADER_ROW, col).value))
            col += 1
        if not headers:
            fail(name, "no header row")
            continue
        for h in headers:
            if "_" in h or h != h.strip() or (h[0].islower() and h != "#"):
                fail(name, f"header {h!r} is a field name, not words")
        if ws.freeze_panes != f"A{HEADER_ROW + 1}":
            fail(name, f"header not frozen (freeze panes {ws.freeze_panes})")
        ref = ws.auto_filter.ref or ""
        if not ref.startswith(f"A{HEADER_ROW}:{get_column_letter(len(headers))}"):
            fail(name, f"no filter over the header (autofilter {ref!r})")
        ps = ws.page_setup
        if ps.orientation != "landscape":
            fail(name, f"orientation {ps.orientation}")
        if not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage:
            fail(name, "not fitted to the page")
        # absent means 1 (the schema's default): libxlsxwriter leaves the default out
        if str(ps.fitToWidth or 1) != "1" or str(ps.fitToHeight) != "0":
            fail(name, f"fit {ps.fitToWidth} wide x {ps.fitToHeight} tall, not one page wide")
        if not ws.print_title_rows or f"{HEADER_ROW}" not in ws.print_title_rows:
            fail(name, f"header rows not repeated on print ({ws.print_title_rows})")
        # widths: every column set, none narrower than its longest header word, and no text
        # cell clipped (longer than its column without wrapping)
        wrap_rows = set()
        for c, h in enumerate(headers, start=1):
            dim = ws.column_dimensions[get_column_letter(c)]
            width = dim.width or 0
            longest = max(len(w) for w in h.split())
            if width < longest:
                fail(name, f"column {h!r} is {width} wide, narrower than its header's words")
            for r in range(HEADER_ROW + 1, min(ws.max_row, HEADER_ROW + 400) + 1):
                cell = ws.cell(r, c)
                v = cell.value
                if isinstance(v, str) and len(v) > width and not cell.alignment.wrap_text:
                    fail(name, f"{cell.coordinate} ({len(v)} characters) clipped at width {width}")
                    break
                if isinstance(v, str) and cell.alignment.wrap_text:
                    wrap_rows.add(r)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    if "cost" in h.lower() or "value" in h.lower() or "exposure" in h.lower() \
                            or h.startswith("Amount"):
                        if "0.00" not in cell.number_format:
                            fail(name, f"{cell.coordinate} money without a money format")
                            break
                if hasattr(v, "year") and cell.number_format in ("General", ""):
                    fail(name, f"{cell.coordinate} date without a date format")
                    break
                if isinstance(v, str) and ISO_DATE.match(v):
                    fail(name, f"{cell.coordinate} date {v!r} written as text, not a date")
                    break
        for r in wrap_rows:
            if not ws.row_dimensions[r].height or ws.row_dimensions[r].height <= 15:
                fail(name, f"row {r} wraps but is one line tall")
                break
        for chart in ws._charts:
            anchor = chart.anchor._from
            if anchor.row > 40:
                fail(name, f"a chart starts at row {anchor.row + 1}, out of view on opening")
    for f in fails:
        print(f)
    if fails:
        sys.exit(1)
    print(f"OK {len(wb.worksheets)} sheets")


main()
