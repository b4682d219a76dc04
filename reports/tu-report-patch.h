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

gboolean tu_report_patch (TuDb *db, const TuPatchOptions *options, const char *path,
			  const char *format, GPtrArray **files, TuPatchStats *stats,
			  GError **error);

extern const TuColumn tu_change_columns[];
extern const guint tu_change_n_columns;
/* Installed, removed, upgraded, downgraded software since @since ("YYYY-MM-DD[ HH:MM:SS]"). */
gboolean tu_report_write_changes (TuDb *db, const char *since, TuTable *t, guint64 *n_rows,
				  GError **error);
gboolean tu_report_changes (TuDb *db, const char *since, const char *path, const char *format,
			    GPtrArray **files, GError **error);

G_END_DECLS
