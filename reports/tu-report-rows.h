/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of the store's queries (TuRows, store/tu-query.h) into a table: how `inventory`,
 * `hosts`, `catalog` and the inventory report print what is stored without holding SQL.
 */
#pragma once

#include <glib.h>

#include "tu-query.h"
#include "tu-table.h"

G_BEGIN_DECLS

/* Every row of @rows into @t, each cell converted for its column's type; @t has the query's
 * columns (TU_QUERY_XXX (TU_Q_COLUMN)). */
gboolean tu_report_write_rows (TuTable *t, TuRows *rows, GError **error);

G_END_DECLS
