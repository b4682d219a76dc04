/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reports: read the inventory and write workbooks (xlsx) or CSV files. A report is a set of
 * sheets; in CSV each sheet is its own file: the main sheet is the path given, the others sit
 * beside it as STEM-SHEET.csv. Reports compute nothing that belongs to an engine: they lay out
 * what the inventory, the licence engine and the patch engine say.
 */
#pragma once

#include <glib.h>

#include "tu-query.h"
#include "tu-estate.h"
#include "tu-table.h"

G_BEGIN_DECLS

typedef enum {
	TU_REPORT_XLSX,
	TU_REPORT_CSV,
} TuReportFormat;

typedef struct _TuReport TuReport;

/* @format: "xlsx" or "csv" (NULL: from the file name's extension). A path without an
 * extension gets the format's (".xlsx" by default); one with another extension than the
 * format's is refused, so that `-o report.txt` is never silently a workbook. @info: the title
 * block and properties of the workbook (see TuReportInfo). */
TuReport *tu_report_new (const char *path, const char *format, const TuReportInfo *info,
			 GError **error);
/* The same, the info made of @report, @subject, the dates, @scope (NULL: none) and the one
 * @currency of the money columns (NULL: several or none). */
TuReport *tu_report_new_for (const char *path, const char *format, const char *report,
			     const char *subject, guint32 as_of, guint32 since,
			     const TuEstateScope *scope, const char *currency, GError **error);
/* The path written (with the extension added, if it was). (transfer none) */
const char *tu_report_path (TuReport *r);
void tu_report_free (TuReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuReport, tu_report_free)

TuReportFormat tu_report_format (TuReport *r);
/* The workbook (xlsx only), for charts. (transfer none) */
TuWorkbook *tu_report_workbook (TuReport *r);

/* Start a sheet. @is_main: in CSV, the sheet written to the path itself. @note: a line of the
 * title block in xlsx (what the sheet lists); ignored in CSV, whose header has the columns'
 * titles. (transfer full) */
TuTable *tu_report_sheet (TuReport *r, const char *name, const TuColumn *columns,
			  guint n_columns, gboolean is_main, const char *note, GError **error);
/* Finish a sheet (and close its CSV file). */
gboolean tu_report_sheet_done (TuReport *r, TuTable *t, GError **error);
/* Write everything; on failure nothing is left at the path. Returns the files written
 * (transfer full, char*) in @files when not NULL. */
gboolean tu_report_close (TuReport *r, GPtrArray **files, GError **error);

/* The inventory report: Hosts, Installations, Products, from the store's queries
 * (tu_query_hosts, tu_query_installations, tu_query_products), read in that order. */
gboolean tu_report_inventory (TuRows *hosts, TuRows *installations, TuRows *products,
			      const TuEstateScope *scope, const char *path, const char *format,
			      GPtrArray **files, GError **error);
/* The sheets of each report, for `--help` and the README. */
#define TU_REPORT_INVENTORY_SHEETS "Hosts, Installations, Products"

/* Rows of stored data into any table, for `inventory --print` and `hosts --print`: the rows
 * of tu_query_installations and tu_query_hosts, under these columns (keyed by the queries'
 * indexes). */
extern const TuColumn tu_inventory_columns[];
extern const guint tu_inventory_n_columns;
gboolean tu_report_write_installations (TuTable *t, TuRows *installations, GError **error);
extern const TuColumn tu_host_columns[];
extern const guint tu_host_n_columns;
gboolean tu_report_write_hosts (TuTable *t, TuRows *hosts, GError **error);

G_END_DECLS
