#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Dump a workbook with openpyxl, an independent reader: one line per non-empty cell,
SHEET<TAB>ROW<TAB>COL<TAB>TYPE<TAB>VALUE, where TYPE is openpyxl's data type
(s string, n number, d date, f formula, b boolean). With --sheets, the sheet names only;
with --meta, frozen panes, autofilter, conditional formats and charts per sheet."""
import sys
import openpyxl

def main():
    args = sys.argv[1:]
    mode = "cells"
    if args and args[0] in ("--sheets", "--meta"):
        mode = args.pop(0)[2:]
    wb = openpyxl.load_workbook(args[0])
    for ws in wb.worksheets:
        if mode == "sheets":
            print(ws.title)
            continue
        if mode == "meta":
            print(f"{ws.title}\tfreeze\t{ws.freeze_panes}")
            print(f"{ws.title}\tautofilter\t{ws.auto_filter.ref}")
            print(f"{ws.title}\tconditional\t{len(ws.conditional_formatting)}")
            print(f"{ws.title}\tcharts\t{len(ws._charts)}")
            print(f"{ws.title}\trows\t{ws.max_row}")
            continue
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                v = c.value
                if hasattr(v, "isoformat"):
                    v = v.isoformat()
                v = str(v).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
                print(f"{ws.title}\t{c.row}\t{c.column}\t{c.data_type}\t{v}")

main()
