/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reports: read the inventory and write workbooks (xlsx) or CSV files. A report is a set of
 * sheets; in CSV each sheet is its own file: the main sheet is the path given, the others sit
 * beside it as STEM-SHEET.csv. Reports compute nothing that belongs to an engine: they lay out
 * what the inventory, the licence engine and the patch engine say.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-table.h"

G_BEGIN_DECLS

typedef enum {
	TU_REPORT_XLSX,
	TU_REPORT_CSV,
} TuReportFormat;

typedef struct _TuReport TuReport;

/* @format: "xlsx" or "csv" (NULL: from the file name's extension, xlsx by default). */
TuReport *tu_report_new (const char *path, const char *format, GError **error);
void tu_report_free (TuReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuReport, tu_report_free)

TuReportFormat tu_report_format (TuReport *r);
/* The workbook (xlsx only), for charts. (transfer none) */
TuWorkbook *tu_report_workbook (TuReport *r);

/* Start a sheet. @is_main: in CSV, the sheet written to the path itself. @title: a line
 * above the header in xlsx; ignored in CSV. (transfer full) */
TuTable *tu_report_sheet (TuReport *r, const char *name, const TuColumn *columns,
			  guint n_columns, gboolean is_main, const char *title, GError **error);
/* Finish a sheet (and close its CSV file). */
gboolean tu_report_sheet_done (TuReport *r, TuTable *t, GError **error);
/* Write everything; on failure nothing is left at the path. Returns the files written
 * (transfer full, char*) in @files when not NULL. */
gboolean tu_report_close (TuReport *r, GPtrArray **files, GError **error);

/* The inventory report: Hosts, Installations, Products. */
gboolean tu_report_inventory (TuDb *db, const char *path, const char *format, GPtrArray **files,
			      GError **error);

/* Rows of stored data into any table, for `inventory --print` and `hosts --print`. @host: a
 * hostname, FQDN or machine-id to restrict to (NULL: all). */
extern const TuColumn tu_inventory_columns[];
extern const guint tu_inventory_n_columns;
gboolean tu_report_write_installations (TuDb *db, TuTable *t, const char *host, GError **error);
extern const TuColumn tu_host_columns[];
extern const guint tu_host_n_columns;
gboolean tu_report_write_hosts (TuDb *db, TuTable *t, GError **error);

G_END_DECLS
