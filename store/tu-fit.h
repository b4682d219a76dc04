/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Column widths, for cutting values to fit. A value longer than its column would fail a whole
 * transaction ("Data truncated"): one odd package would keep its host out of the inventory, or
 * stop `normalise --apply`. The store cuts such values to the column's width on a character
 * boundary instead (and says so). The widths are read from the schema itself
 * (information_schema), once, so a migration that widens a column needs no change here.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"

G_BEGIN_DECLS

typedef struct _TuFit TuFit;

/* The widths of the inventory's tables (hosts, scans, software, installations); a store
 * whose schema cannot be read gives an empty set (nothing is cut). (transfer full) */
TuFit *tu_fit_new (TuDb *db);
void tu_fit_free (TuFit *fit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuFit, tu_fit_free)

/* @value cut to the width of @column ("table.column"), or NULL when it fits (or the column
 * is unknown). On a cut, @n_chars is the value's length and @width the column's: characters
 * when > 0, bytes (a TEXT column) when < 0. (transfer full) */
char *tu_fit_value (TuFit *fit, const char *column, const char *value, guint *n_chars,
		    gint *width);

G_END_DECLS
