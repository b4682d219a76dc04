/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading CSV files with a header line (RFC 4180, libcsv in strict mode): the columns are named
 * by the header in any order, case-insensitively; unknown columns and missing required ones
 * are errors naming them; each row comes with the line it starts on. A UTF-8 BOM and CRLF
 * line ends are accepted; other encodings (UTF-16, Latin-1) are an error naming the line.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	const char *path;
	guint line;		     /* the line the row starts on */
	const char *const *values;   /* by column index of @columns; NULL when absent or empty */
	const gboolean *present;     /* by column index: does the header have this column? */
} TuCsvRow;

/* Return FALSE with @error (which should name row->path and row->line) to stop. */
typedef gboolean (*TuCsvRowFunc) (const TuCsvRow *row, gpointer user_data, GError **error);

/* Read @buf: @columns lists the known column names (NULL-terminated), @required the ones the
 * header must have. Values are trimmed of surrounding blanks; empty values are NULL. */
gboolean tu_csv_read (const char *buf, gsize len, const char *path, const char *const *columns,
		      const char *const *required, TuCsvRowFunc func, gpointer user_data,
		      GError **error);

/* Read a file and call tu_csv_read; a file with a header but no rows is an error ("a header
 * but no rows; nothing to import"), for the import files that use it. */
gboolean tu_csv_read_file (const char *path, const char *const *columns,
			   const char *const *required, TuCsvRowFunc func, gpointer user_data,
			   GError **error);

G_END_DECLS
