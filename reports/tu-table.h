/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One way to write a table, four places to write it: TSV and JSON for `--print`, CSV and a
 * worksheet of an xlsx workbook for reports. A report declares its columns once and adds rows;
 * the backend does the escaping. Every backend streams: memory does not grow with the rows.
 *
 * Text is always text: in xlsx a string is written as a string cell (never a formula), and in
 * CSV a value that a spreadsheet would take for a formula ('=', '+', '-', '@', tab, CR first)
 * is prefixed with an apostrophe.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <xlsxwriter.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (lxw_workbook, lxw_workbook_free)

typedef enum {
	TU_COL_TEXT,
	TU_COL_INT,
	TU_COL_NUMBER,
	TU_COL_MONEY,
	TU_COL_PERCENT,	 /* a ratio 0..1 */
	TU_COL_DATE,	 /* "YYYY-MM-DD" in, a real Excel date out */
	TU_COL_DATETIME, /* "YYYY-MM-DD HH:MM:SS[.ffffff]" in (UTC) */
} TuColType;

typedef enum {
	TU_COL_SUM = 1 << 0,	/* summed in the terminal's totals line */
	TU_COL_STATUS = 1 << 1, /* coloured by the row's style in a terminal */
	TU_COL_NO_TEXT = 1 << 2, /* detail left out of the terminal's table */
} TuColFlags;

/* A column: @name is the key of machine-readable output (the TSV header, the JSON member);
 * @title the header a person reads (workbooks, CSV reports, the terminal), in words with
 * units; NULL: @name with its underscores as spaces. A money column's title gets the
 * currency of the sheet, "(GBP)", when the sheet has one. @width is the widest a workbook
 * column grows (in characters) before its longer cells wrap; 0: from the type. */
typedef struct {
	const char *name;
	TuColType type;
	double width;
	const char *title;
	guint flags;
} TuColumn;

/* Row emphasis in workbooks and terminals (ignored by TSV, CSV and JSON). */
typedef enum {
	TU_ROW_PLAIN,
	TU_ROW_RED,   /* shortfall, known-exploited, end of life */
	TU_ROW_AMBER, /* surplus, behind, close to a deadline */
	TU_ROW_GREEN, /* compliant, current */
	TU_ROW_BOLD,  /* totals */
} TuRowStyle;

/* What a workbook is about, for its properties and the title block of every sheet:
 *   row 1: "REPORT: SHEET"
 *   row 2: "As of DATE · Period: FROM to TO · Scope: ... · Data: ..."
 *   row 3: the sheet's own note (or empty)
 *   row 4: the header, frozen, filtered and repeated on every printed page. */
typedef struct {
	const char *report;    /* "Licence compliance" */
	const char *subject;   /* one sentence: what the workbook answers */
	guint32 as_of;	       /* Julian day; 0: none */
	guint32 since;	       /* the start of a period (changes); 0: none */
	const char *scope;     /* "19 hosts; sites: London, New York, Paris" */
	const char *freshness; /* "oldest scan 2026-11-06 06:00, newest 2026-12-06 10:12 UTC" */
	const char *currency;  /* the one currency of the money columns, or NULL */
} TuReportInfo;

/* The row of the header in every sheet of a workbook (0-based). */
#define TU_SHEET_HEADER_ROW 3

/* A workbook: formats shared by its sheets. */
typedef struct _TuWorkbook TuWorkbook;

/* Open @path for writing in constant_memory mode. (transfer full) */
TuWorkbook *tu_workbook_new (const char *path, GError **error);
/* The title block and document properties (title, subject, author "trueup", created). Call
 * before the first sheet. Strings are copied. */
void tu_workbook_set_info (TuWorkbook *wb, const TuReportInfo *info);
/* Write and close the file. */
gboolean tu_workbook_close (TuWorkbook *wb, GError **error);
void tu_workbook_free (TuWorkbook *wb);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuWorkbook, tu_workbook_free)
lxw_workbook *tu_workbook_handle (TuWorkbook *wb);
/* A named format of the workbook: "header", "date", "money", "percent", "red", "amber",
 * "green", "bold", "title", "wrap", joined with '+'. (transfer none) */
lxw_format *tu_workbook_format (TuWorkbook *wb, const char *name);

typedef struct _TuTable TuTable;

/* (transfer full) tables; @out is borrowed */
TuTable *tu_table_new_tsv (FILE *out, const TuColumn *columns, guint n_columns);
TuTable *tu_table_new_json (FILE *out, const TuColumn *columns, guint n_columns);
TuTable *tu_table_new_csv (FILE *out, const TuColumn *columns, guint n_columns);
/* Aligned columns for a person at a terminal: titles, numbers right-aligned, money with two
 * decimals, a totals line for TU_COL_SUM columns, the TU_COL_STATUS cells coloured by the
 * row's style when @colour. Widths come from the first rows (held back until there are a
 * thousand, then streamed). */
TuTable *tu_table_new_text (FILE *out, const TuColumn *columns, guint n_columns,
			    gboolean colour);
/* A new sheet of @wb named @sheet: the title block (see TuReportInfo) with @note in its third
 * row, the header frozen, filtered and repeated on printed pages; landscape, fitted to the
 * page's width; widths from the content. */
TuTable *tu_table_new_sheet (TuWorkbook *wb, const char *sheet, const TuColumn *columns,
			     guint n_columns, const char *note);
/* A sheet holds at most @rows data rows (default and most: Excel's 1,048,576 rows less the
 * title block and header); the rows after them go on "SHEET (2)", "SHEET (3)", ..., each with
 * the same title block and header and a note saying where in the list it starts. Other
 * backends have no limit. Before the first row. */
void tu_table_set_sheet_rows (TuTable *t, guint64 rows);
/* The sheets the table's rows took (1 for other backends). */
guint tu_table_n_sheets (TuTable *t);
/* A table by format name: "tsv", "json", "csv" or "table" to @out. NULL with @error
 * otherwise. */
TuTable *tu_table_new_for_format (const char *format, FILE *out, const TuColumn *columns,
				  guint n_columns, GError **error);

void tu_table_free (TuTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuTable, tu_table_free)

/* The currency of this table's money columns (their titles say it). Before the first row. */
void tu_table_set_currency (TuTable *t, const char *currency);
void tu_table_set_row_style (TuTable *t, TuRowStyle style);
void tu_table_add_str (TuTable *t, const char *value); /* NULL: empty / null */
void tu_table_add_int (TuTable *t, gint64 value);
void tu_table_add_double (TuTable *t, double value);
void tu_table_add_null (TuTable *t);
/* Add a value from its text, converting it for the column's type (int, number, date...). */
void tu_table_add_text_as_type (TuTable *t, const char *value);
gboolean tu_table_end_row (TuTable *t, GError **error);
/* Close the table: the JSON array, the sheet's autofilter, widths and charts, the terminal's
 * totals line. */
gboolean tu_table_finish (TuTable *t, GError **error);
guint64 tu_table_n_rows (TuTable *t);
/* The worksheet (xlsx tables only), for charts and extra cells. (transfer none) */
lxw_worksheet *tu_table_worksheet (TuTable *t);
/* The sheet row (0-based) of the table's data row @i. */
lxw_row_t tu_table_sheet_row (TuTable *t, guint64 i);
/* Place @chart beside the table when the table is narrow, else under it; done when the table
 * is finished, when its widths and rows are known. The chart belongs to the workbook. */
void tu_table_add_chart (TuTable *t, lxw_chart *chart, double x_scale, double y_scale);

/* The display title of @c with @currency for money columns. (transfer full) */
char *tu_column_title (const TuColumn *c, const char *currency);

/* Append @s to @out as a JSON string literal (with quotes). */
void tu_json_append_string (GString *out, const char *s);

G_END_DECLS
