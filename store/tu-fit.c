/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Column widths; see tu-fit.h. One query of information_schema per TuFit; the lookups are a
 * hash table of "table.column" -> width (characters for CHAR/VARCHAR, negative bytes for the
 * TEXT types, whose limit is in bytes).
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-fit.h"
#include "tu-sql.h"

struct _TuFit {
	GHashTable *widths;
};

TuFit *
tu_fit_new (TuDb *db)
{
	TuFit *fit = g_new0 (TuFit, 1);
	fit->widths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db,
		"SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, "
		"CHARACTER_OCTET_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
		"DATABASE() AND TABLE_NAME IN ('hosts', 'scans', 'software', 'installations') AND "
		"CHARACTER_MAXIMUM_LENGTH IS NOT NULL",
		NULL);
	MYSQL_ROW row;
	while (res != NULL && (row = mysql_fetch_row (res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL || row[2] == NULL || row[3] == NULL)
			continue;
		gboolean is_text = g_str_has_suffix (row[2], "text");
		const char *n = is_text && row[4] != NULL ? row[4] : row[3];
		gint64 w = g_ascii_strtoll (n, NULL, 10);
		if (w <= 0 || w > G_MAXINT)
			continue;
		g_hash_table_insert (fit->widths, g_strdup_printf ("%s.%s", row[0], row[1]),
				     GINT_TO_POINTER (is_text ? -(gint) w : (gint) w));
	}
	return fit;
}

void
tu_fit_free (TuFit *fit)
{
	if (fit == NULL)
		return;
	g_hash_table_unref (fit->widths);
	g_free (fit);
}

char *
tu_fit_value (TuFit *fit, const char *column, const char *value, guint *n_chars, gint *width)
{
	if (value == NULL)
		return NULL;
	gint w = GPOINTER_TO_INT (g_hash_table_lookup (fit->widths, column));
	gsize len = strlen (value);
	if (w == 0 || len <= (gsize) ABS (w))
		return NULL; /* unknown column, or fits even counted in bytes */
	g_autofree char *valid = g_utf8_make_valid (value, (gssize) len);
	*width = w;
	if (w > 0) {
		glong chars = g_utf8_strlen (valid, -1);
		*n_chars = (guint) MIN (chars, G_MAXUINT);
		if (chars <= w)
			return g_strcmp0 (valid, value) == 0 ? NULL : g_steal_pointer (&valid);
		const char *end = g_utf8_offset_to_pointer (valid, w);
		return g_strndup (valid, (gsize) (end - valid));
	}
	gsize bytes = (gsize) -w;
	*n_chars = (guint) MIN (strlen (valid), G_MAXUINT);
	if (strlen (valid) <= bytes)
		return g_steal_pointer (&valid);
	const char *end = valid + bytes;
	while (end > valid && ((guchar) *end & 0xC0) == 0x80)
		end--; /* not inside a character */
	return g_strndup (valid, (gsize) (end - valid));
}
