/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rows of a store query into a table; see tu-report-rows.h. */
#include "config.h"

#include "tu-report-rows.h"

gboolean
tu_report_write_rows (TuTable *t, TuRows *rows, GError **error)
{
	guint n_columns = tu_rows_n_columns (rows);
	GError *local = NULL;
	char **row;
	while ((row = tu_rows_next (rows, &local)) != NULL) {
		for (guint c = 0; c < n_columns; c++)
			tu_table_add_text_as_type (t, row[c]);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}
