/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The patch-currency and changes reports, and their rows for `patch --print`. */
#pragma once

#include <glib.h>

#include "tu-patch.h"
#include "tu-report.h"

G_BEGIN_DECLS

extern const TuColumn tu_patch_columns[];
extern const guint tu_patch_n_columns;
gboolean tu_report_write_patch_row (TuTable *t, const TuPatchRow *row, GError **error);

/* The patch position's aggregates, which the summary and the workbook are written from: per
 * product and per host, each installation counted once under the worst verdict that applies,
 * and the vulnerable and end-of-life installations. Fed by the engine, in host order:
 *   g_autoptr(TuPatchAgg) agg = tu_patch_agg_new ();
 *   TuPatchOptions o = {.at = at, .host = host, .sorted = TRUE};
 *   tu_patch_run (db, &o, tu_patch_agg_add_row, agg, &stats, error);
 * (the compliance report is written the same way from the licence engine's position). */
typedef struct _TuPatchAgg TuPatchAgg;
TuPatchAgg *tu_patch_agg_new (void);
void tu_patch_agg_free (TuPatchAgg *agg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuPatchAgg, tu_patch_agg_free)
/* For tests: the detail rows kept in memory before a sorted batch goes to the temporary
 * file (default 65,536), and the rows a detail sheet holds before it goes on on "Vulnerable
 * (2)"... (0: Excel's 1,048,576 less the header). */
void tu_patch_agg_set_limits (TuPatchAgg *agg, guint batch_rows, guint64 sheet_rows);
/* A TuPatchRowFunc: @agg is the TuPatchAgg. Memory follows the products, hosts and distinct
 * verdicts, not the rows; a host's rows must come together (tu_patch_run hands them so). */
gboolean tu_patch_agg_add_row (const TuPatchRow *row, gpointer agg, GError **error);

/* One row per product: hosts and installations counted once, each installation under the
 * worst verdict that applies; a last row for the whole estate. For `patch --summary`. */
extern const TuColumn tu_patch_summary_columns[];
extern const guint tu_patch_summary_n_columns;
gboolean tu_report_write_patch_summary (TuPatchAgg *agg, TuTable *t, GError **error);

#define TU_REPORT_PATCH_SHEETS "What to do, Summary, Status, Vulnerable, End of life, Hosts"
#define TU_REPORT_CHANGES_SHEETS "Changes, By host, By product"

/* The workbook of @agg, support judged at @at (a Julian day; 0: today). */
gboolean tu_report_patch (TuPatchAgg *agg, const TuEstateScope *scope, guint32 at,
			  const char *path, const char *format, GPtrArray **files, GError **error);

extern const TuColumn tu_change_columns[];
extern const guint tu_change_n_columns;
/* The changes from @since to @until (Julian days: the period of the title), from @changes:
 * tu_query_changes (db, since as "YYYY-MM-DD"). @n_changes: the rows of the Changes sheet. */
gboolean tu_report_changes (TuRows *changes, const TuEstateScope *scope, guint32 since,
			    guint32 until,
			    const char *path, const char *format, GPtrArray **files,
			    guint64 *n_changes, GError **error);

G_END_DECLS
