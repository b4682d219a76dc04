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

typedef struct {
	const char *name;
	TuColType type;
	double width; /* xlsx column width in characters; 0: from the type */
} TuColumn;

/* Row emphasis in workbooks (ignored by text backends). */
typedef enum {
	TU_ROW_PLAIN,
	TU_ROW_RED,   /* shortfall, known-exploited, end of life */
	TU_ROW_AMBER, /* surplus, behind, close to a deadline */
	TU_ROW_GREEN, /* compliant, current */
	TU_ROW_BOLD,  /* totals */
} TuRowStyle;

/* A workbook: formats shared by its sheets. */
typedef struct _TuWorkbook TuWorkbook;

/* Open @path for writing in constant_memory mode. (transfer full) */
TuWorkbook *tu_workbook_new (const char *path, GError **error);
/* Write and close the file. */
gboolean tu_workbook_close (TuWorkbook *wb, GError **error);
void tu_workbook_free (TuWorkbook *wb);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuWorkbook, tu_workbook_free)
lxw_workbook *tu_workbook_handle (TuWorkbook *wb);
/* A named format of the workbook: "header", "date", "money", "percent", "red", "amber",
 * "green", "bold", "title", "wrap". (transfer none) */
lxw_format *tu_workbook_format (TuWorkbook *wb, const char *name);

typedef struct _TuTable TuTable;

/* (transfer full) tables; @out is borrowed */
TuTable *tu_table_new_tsv (FILE *out, const TuColumn *columns, guint n_columns);
TuTable *tu_table_new_json (FILE *out, const TuColumn *columns, guint n_columns);
TuTable *tu_table_new_csv (FILE *out, const TuColumn *columns, guint n_columns);
/* A new sheet of @wb named @sheet, with a frozen, filtered header row. @title, when not NULL,
 * goes in the first row and the header in the third; otherwise the header is the first row. */
TuTable *tu_table_new_sheet (TuWorkbook *wb, const char *sheet, const TuColumn *columns,
			     guint n_columns, const char *title);
/* A table by format name: "tsv", "json" or "csv" to @out. NULL with @error otherwise. */
TuTable *tu_table_new_for_format (const char *format, FILE *out, const TuColumn *columns,
				  guint n_columns, GError **error);

void tu_table_free (TuTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuTable, tu_table_free)

void tu_table_set_row_style (TuTable *t, TuRowStyle style);
void tu_table_add_str (TuTable *t, const char *value); /* NULL: empty / null */
void tu_table_add_int (TuTable *t, gint64 value);
void tu_table_add_double (TuTable *t, double value);
void tu_table_add_null (TuTable *t);
/* Add a value from its text, converting it for the column's type (int, number, date...). */
void tu_table_add_text_as_type (TuTable *t, const char *value);
gboolean tu_table_end_row (TuTable *t, GError **error);
/* Close the table: the JSON array, the sheet's autofilter over the rows written. */
gboolean tu_table_finish (TuTable *t, GError **error);
guint64 tu_table_n_rows (TuTable *t);
/* The worksheet (xlsx tables only), for charts and extra cells. (transfer none) */
lxw_worksheet *tu_table_worksheet (TuTable *t);

/* Append @s to @out as a JSON string literal (with quotes). */
void tu_json_append_string (GString *out, const char *s);

G_END_DECLS
