/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CSV with a header; see tu-csv.h. The input is fed to libcsv one line at a time so that the
 * line a row starts on is known for every message, whatever quoted newlines it contains.
 */
#include "config.h"

#include <csv.h>
#include <string.h>

#include "tu-common.h"
#include "tu-csv.h"

#define MAX_COLUMNS 256

typedef struct {
	const char *path;
	const char *const *columns;
	const char *const *required;
	guint n_columns;
	TuCsvRowFunc func;
	gpointer user_data;
	guint line;	   /* the line being fed */
	guint row_line;	   /* the line the current row started on */
	guint n_rows;	   /* rows seen, the header included */
	guint n_fields;	   /* fields of the current row */
	guint n_header;	   /* fields of the header */
	int map[MAX_COLUMNS]; /* field index -> column index, -1: unknown */
	char **values;	   /* by column index */
	gboolean *present;
	GError *error;
} Reader;

static void
clear_values (Reader *r)
{
	for (guint i = 0; i < r->n_columns; i++)
		g_clear_pointer (&r->values[i], g_free);
	r->n_fields = 0;
}

static void
header_field (Reader *r, const char *s, gsize len)
{
	guint i = r->n_fields;
	g_autofree char *name = tu_utf8_clean (s ? s : "", (gssize) len, 256, NULL);
	g_strstrip (name);
	if (i >= MAX_COLUMNS) {
		g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: more than %u columns in the header", r->path, r->line,
			     MAX_COLUMNS);
		return;
	}
	for (guint c = 0; c < r->n_columns; c++) {
		if (g_ascii_strcasecmp (name, r->columns[c]) != 0)
			continue;
		if (r->present[c]) {
			g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: column \"%s\" appears twice in the header", r->path,
				     r->line, name);
			return;
		}
		r->present[c] = TRUE;
		r->map[i] = (int) c;
		return;
	}
	g_autofree char *known = g_strjoinv (", ", (char **) r->columns);
	g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "%s:%u: unknown column \"%s\" (known columns: %s)", r->path, r->line, name,
		     known);
}

static void
field_cb (void *s, size_t len, void *data)
{
	Reader *r = data;
	if (r->error != NULL)
		return;
	if (r->n_fields == 0)
		r->row_line = r->line;
	if (r->n_rows == 0) {
		header_field (r, s, len);
	} else if (r->n_fields < r->n_header && r->map[r->n_fields] >= 0) {
		int c = r->map[r->n_fields];
		if (s != NULL && len > 0) {
			char *v = tu_utf8_clean (s, (gssize) len, 65536, NULL);
			g_strstrip (v);
			if (*v == '\0')
				g_free (v);
			else
				r->values[c] = v;
		}
	}
	r->n_fields++;
}

static void
end_row (Reader *r)
{
	if (r->n_rows == 0) {
		r->n_header = r->n_fields;
		for (guint i = 0; r->required != NULL && r->required[i] != NULL; i++) {
			for (guint c = 0; c < r->n_columns; c++) {
				if (g_strcmp0 (r->columns[c], r->required[i]) == 0 && !r->present[c]) {
					g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: required column \"%s\" is missing from "
						     "the header",
						     r->path, r->row_line, r->required[i]);
					return;
				}
			}
		}
		return;
	}
	if (r->n_fields != r->n_header) {
		g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: %u fields where the header has %u", r->path, r->row_line,
			     r->n_fields, r->n_header);
		return;
	}
	TuCsvRow row = {r->path, r->row_line, (const char *const *) r->values, r->present};
	r->func (&row, r->user_data, &r->error);
}

static void
row_cb (int term, void *data)
{
	Reader *r = data;
	if (r->error == NULL) {
		if (r->n_fields == 0)
			r->row_line = r->line;
		end_row (r);
	}
	r->n_rows++;
	clear_values (r);
}

gboolean
tu_csv_read (const char *buf, gsize len, const char *path, const char *const *columns,
	     const char *const *required, TuCsvRowFunc func, gpointer user_data, GError **error)
{
	const char *p = buf;
	const char *end = buf + len;
	if (len >= 2 && ((guint8) p[0] == 0xff && (guint8) p[1] == 0xfe)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:1: the file is UTF-16: save it as UTF-8 (CSV UTF-8 in Excel)", path);
		return FALSE;
	}
	if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	const char *bad = NULL;
	if (!g_utf8_validate_len (p, (gsize) (end - p), &bad)) {
		guint line = 1;
		for (const char *q = p; q < bad; q++)
			line += *q == '\n';
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: not valid UTF-8 (byte 0x%02x): save the file as UTF-8", path, line,
			     (guint) (guint8) *bad);
		return FALSE;
	}
	struct csv_parser csv;
	if (csv_init (&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: cannot set up the CSV parser", path);
		return FALSE;
	}
	Reader r = {.path = path, .columns = columns, .required = required, .func = func,
		    .user_data = user_data, .line = 1};
	r.n_columns = g_strv_length ((char **) columns);
	r.values = g_new0 (char *, r.n_columns + 1);
	r.present = g_new0 (gboolean, r.n_columns + 1);
	for (guint i = 0; i < MAX_COLUMNS; i++)
		r.map[i] = -1;
	while (p < end && r.error == NULL) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *next = nl ? nl + 1 : end;
		if (csv_parse (&csv, p, (size_t) (next - p), field_cb, row_cb, &r) != (size_t) (next - p)) {
			if (r.error == NULL)
				g_set_error (&r.error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: malformed CSV: %s (a quote inside an unquoted "
					     "field?)",
					     path, r.line, csv_strerror (csv_error (&csv)));
			break;
		}
		r.line++;
		p = next;
	}
	if (r.error == NULL && csv_fini (&csv, field_cb, row_cb, &r) != 0)
		g_set_error (&r.error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: malformed CSV: a quoted field is never closed in the row "
			     "starting here",
			     path, r.n_fields > 0 ? r.row_line : r.line - 1);
	csv_free (&csv);
	clear_values (&r);
	g_free (r.values);
	g_free (r.present);
	if (r.error != NULL) {
		g_propagate_error (error, r.error);
		return FALSE;
	}
	if (r.n_rows == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: empty: expected a header line", path);
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	TuCsvRowFunc func;
	gpointer user_data;
	guint n_rows;
} Counting;

static gboolean
counting_row (const TuCsvRow *row, gpointer user_data, GError **error)
{
	Counting *c = user_data;
	c->n_rows++;
	return c->func (row, c->user_data, error);
}

gboolean
tu_csv_read_file (const char *path, const char *const *columns, const char *const *required,
		  TuCsvRowFunc func, gpointer user_data, GError **error)
{
	g_autoptr(GBytes) bytes = tu_file_read (path, 1024u * 1024u * 1024u, error);
	if (bytes == NULL)
		return FALSE;
	Counting c = {func, user_data, 0};
	if (!tu_csv_read (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), path, columns,
			  required, counting_row, &c, error))
		return FALSE;
	if (c.n_rows == 0) {
		/* said as the scan CSV says it: "0 imported" read like a success */
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: a header but no rows; nothing to import", path);
		return FALSE;
	}
	return TRUE;
}
