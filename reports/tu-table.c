/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table backends; see tu-table.h. The xlsx backend relies on libxlsxwriter's constant_memory
 * mode: rows are written in order and flushed as they go, so a sheet of millions of rows costs
 * a few megabytes. Formats are made once per workbook and per (column type, row style).
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tu-common.h"
#include "tu-table.h"

typedef enum { B_TSV, B_JSON, B_CSV, B_XLSX } Backend;

struct _TuWorkbook {
	lxw_workbook *wb;
	char *path;
	GHashTable *formats; /* name -> lxw_format* (owned by the workbook) */
};

struct _TuTable {
	Backend backend;
	FILE *out;
	GArray *columns; /* TuColumn, names duplicated */
	GString *line;
	guint col;
	guint64 n_rows;
	TuRowStyle style;
	/* xlsx */
	TuWorkbook *wb;
	lxw_worksheet *ws;
	guint first_row;
	gboolean failed;
	int write_errno;
};

/* ---------------------------------------------------------------- workbook ------------- */

static lxw_format *
make_format (TuWorkbook *wb, const char *name)
{
	lxw_format *f = workbook_add_format (wb->wb);
	g_auto(GStrv) parts = g_strsplit (name, "+", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		const char *p = parts[i];
		if (g_strcmp0 (p, "header") == 0) {
			format_set_bold (f);
			format_set_bg_color (f, 0xD9E1F2);
			format_set_bottom (f, LXW_BORDER_THIN);
			format_set_text_wrap (f);
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
		} else if (g_strcmp0 (p, "date") == 0) {
			format_set_num_format (f, "yyyy-mm-dd");
		} else if (g_strcmp0 (p, "datetime") == 0) {
			format_set_num_format (f, "yyyy-mm-dd hh:mm:ss");
		} else if (g_strcmp0 (p, "money") == 0) {
			format_set_num_format (f, "#,##0.00");
		} else if (g_strcmp0 (p, "int") == 0) {
			format_set_num_format (f, "0");
		} else if (g_strcmp0 (p, "number") == 0) {
			format_set_num_format (f, "0.0");
		} else if (g_strcmp0 (p, "percent") == 0) {
			format_set_num_format (f, "0%");
		} else if (g_strcmp0 (p, "red") == 0) {
			format_set_bg_color (f, 0xFFC7CE);
			format_set_font_color (f, 0x9C0006);
		} else if (g_strcmp0 (p, "amber") == 0) {
			format_set_bg_color (f, 0xFFEB9C);
			format_set_font_color (f, 0x9C5700);
		} else if (g_strcmp0 (p, "green") == 0) {
			format_set_bg_color (f, 0xC6EFCE);
			format_set_font_color (f, 0x006100);
		} else if (g_strcmp0 (p, "bold") == 0) {
			format_set_bold (f);
		} else if (g_strcmp0 (p, "title") == 0) {
			format_set_bold (f);
			format_set_font_size (f, 14);
		} else if (g_strcmp0 (p, "wrap") == 0) {
			format_set_text_wrap (f);
		}
	}
	return f;
}

lxw_format *
tu_workbook_format (TuWorkbook *wb, const char *name)
{
	lxw_format *f = g_hash_table_lookup (wb->formats, name);
	if (f == NULL) {
		f = make_format (wb, name);
		g_hash_table_insert (wb->formats, g_strdup (name), f);
	}
	return f;
}

TuWorkbook *
tu_workbook_new (const char *path, GError **error)
{
	lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *lwb = workbook_new_opt (path, &options);
	if (lwb == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: cannot create the workbook", path);
		return NULL;
	}
	TuWorkbook *wb = g_new0 (TuWorkbook, 1);
	wb->wb = lwb;
	wb->path = g_strdup (path);
	wb->formats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	return wb;
}

gboolean
tu_workbook_close (TuWorkbook *wb, GError **error)
{
	if (wb->wb == NULL)
		return TRUE;
	lxw_error err = workbook_close (wb->wb);
	wb->wb = NULL;
	if (err != LXW_NO_ERROR) {
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", wb->path, lxw_strerror (err));
		return FALSE;
	}
	return TRUE;
}

void
tu_workbook_free (TuWorkbook *wb)
{
	if (wb == NULL)
		return;
	if (wb->wb != NULL) {
		/* not closed: a failed report. Close to free, then remove the partial file. */
		workbook_close (wb->wb);
		g_unlink (wb->path);
	}
	g_hash_table_unref (wb->formats);
	g_free (wb->path);
	g_free (wb);
}

lxw_workbook *
tu_workbook_handle (TuWorkbook *wb)
{
	return wb->wb;
}

/* ---------------------------------------------------------------- tables --------------- */

static TuTable *
table_new (Backend backend, const TuColumn *columns, guint n_columns)
{
	TuTable *t = g_new0 (TuTable, 1);
	t->backend = backend;
	t->columns = g_array_sized_new (FALSE, FALSE, sizeof (TuColumn), n_columns);
	for (guint i = 0; i < n_columns; i++) {
		TuColumn c = columns[i];
		c.name = g_strdup (columns[i].name);
		g_array_append_val (t->columns, c);
	}
	t->line = g_string_sized_new (256);
	return t;
}

static void
write_out (TuTable *t)
{
	if (t->line->len > 0 && fwrite (t->line->str, 1, t->line->len, t->out) != t->line->len) {
		t->failed = TRUE;
		t->write_errno = errno;
	}
	g_string_truncate (t->line, 0);
}

TuTable *
tu_table_new_tsv (FILE *out, const TuColumn *columns, guint n_columns)
{
	TuTable *t = table_new (B_TSV, columns, n_columns);
	t->out = out;
	for (guint i = 0; i < n_columns; i++) {
		if (i > 0)
			g_string_append_c (t->line, '\t');
		g_string_append (t->line, columns[i].name);
	}
	g_string_append_c (t->line, '\n');
	write_out (t);
	return t;
}

TuTable *
tu_table_new_csv (FILE *out, const TuColumn *columns, guint n_columns)
{
	TuTable *t = table_new (B_CSV, columns, n_columns);
	t->out = out;
	for (guint i = 0; i < n_columns; i++) {
		if (i > 0)
			g_string_append_c (t->line, ',');
		tu_csv_append_field (t->line, columns[i].name);
	}
	g_string_append (t->line, "\r\n");
	write_out (t);
	return t;
}

TuTable *
tu_table_new_json (FILE *out, const TuColumn *columns, guint n_columns)
{
	TuTable *t = table_new (B_JSON, columns, n_columns);
	t->out = out;
	g_string_append_c (t->line, '[');
	write_out (t);
	return t;
}

static double
default_width (TuColType type)
{
	switch (type) {
	case TU_COL_DATE:
		return 11;
	case TU_COL_DATETIME:
		return 19;
	case TU_COL_INT:
	case TU_COL_PERCENT:
		return 10;
	case TU_COL_NUMBER:
	case TU_COL_MONEY:
		return 14;
	case TU_COL_TEXT:
	default:
		return 24;
	}
}

TuTable *
tu_table_new_sheet (TuWorkbook *wb, const char *sheet, const TuColumn *columns, guint n_columns,
		    const char *title)
{
	TuTable *t = table_new (B_XLSX, columns, n_columns);
	guint first_row = title != NULL ? 2 : 0;
	t->wb = wb;
	t->first_row = first_row;
	t->ws = workbook_add_worksheet (wb->wb, sheet);
	/* constant_memory mode writes rows in order and drops a row written after a later one:
	 * the title goes first */
	if (title != NULL)
		worksheet_write_string (t->ws, 0, 0, title, tu_workbook_format (wb, "title"));
	lxw_format *header = tu_workbook_format (wb, "header");
	for (guint i = 0; i < n_columns; i++) {
		double w = columns[i].width > 0 ? columns[i].width : default_width (columns[i].type);
		/* a header longer than the column wraps; make room for short names at least */
		w = MAX (w, MIN ((double) strlen (columns[i].name) + 2, 40.0));
		worksheet_set_column (t->ws, (lxw_col_t) i, (lxw_col_t) i, w, NULL);
	}
	for (guint i = 0; i < n_columns; i++)
		worksheet_write_string (t->ws, (lxw_row_t) first_row, (lxw_col_t) i, columns[i].name,
					header);
	worksheet_freeze_panes (t->ws, (lxw_row_t) (first_row + 1), 0);
	return t;
}

TuTable *
tu_table_new_for_format (const char *format, FILE *out, const TuColumn *columns, guint n_columns,
			 GError **error)
{
	if (g_strcmp0 (format, "tsv") == 0)
		return tu_table_new_tsv (out, columns, n_columns);
	if (g_strcmp0 (format, "json") == 0)
		return tu_table_new_json (out, columns, n_columns);
	if (g_strcmp0 (format, "csv") == 0)
		return tu_table_new_csv (out, columns, n_columns);
	g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "unknown output format \"%s\" (tsv, json, csv)",
		     format ? format : "");
	return NULL;
}

void
tu_table_free (TuTable *t)
{
	if (t == NULL)
		return;
	for (guint i = 0; i < t->columns->len; i++)
		g_free ((char *) g_array_index (t->columns, TuColumn, i).name);
	g_array_unref (t->columns);
	g_string_free (t->line, TRUE);
	g_free (t);
}

void
tu_table_set_row_style (TuTable *t, TuRowStyle style)
{
	t->style = style;
}

void
tu_json_append_string (GString *out, const char *s)
{
	g_string_append_c (out, '"');
	for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
		switch (*p) {
		case '"':
			g_string_append (out, "\\\"");
			break;
		case '\\':
			g_string_append (out, "\\\\");
			break;
		case '\n':
			g_string_append (out, "\\n");
			break;
		case '\r':
			g_string_append (out, "\\r");
			break;
		case '\t':
			g_string_append (out, "\\t");
			break;
		default:
			if (*p < 0x20)
				g_string_append_printf (out, "\\u%04x", *p);
			else
				g_string_append_c (out, (char) *p);
		}
	}
	g_string_append_c (out, '"');
}

static const TuColumn *
cur_col (TuTable *t)
{
	if (t->col >= t->columns->len) {
		g_critical ("table: more values than the %u columns", t->columns->len);
		return NULL;
	}
	return &g_array_index (t->columns, TuColumn, t->col);
}

static void
text_sep (TuTable *t)
{
	if (t->backend == B_TSV && t->col > 0)
		g_string_append_c (t->line, '\t');
	else if (t->backend == B_CSV && t->col > 0)
		g_string_append_c (t->line, ',');
	else if (t->backend == B_JSON) {
		if (t->col == 0)
			g_string_append (t->line, t->n_rows > 0 ? ",\n{" : "\n{");
		else
			g_string_append_c (t->line, ',');
		const TuColumn *c = cur_col (t);
		tu_json_append_string (t->line, c ? c->name : "");
		g_string_append_c (t->line, ':');
	}
}

static const char *
style_name (TuRowStyle style)
{
	switch (style) {
	case TU_ROW_RED:
		return "red";
	case TU_ROW_AMBER:
		return "amber";
	case TU_ROW_GREEN:
		return "green";
	case TU_ROW_BOLD:
		return "bold";
	case TU_ROW_PLAIN:
	default:
		return NULL;
	}
}

static lxw_format *
cell_format (TuTable *t, TuColType type)
{
	const char *base = NULL;
	switch (type) {
	case TU_COL_DATE:
		base = "date";
		break;
	case TU_COL_DATETIME:
		base = "datetime";
		break;
	case TU_COL_MONEY:
		base = "money";
		break;
	case TU_COL_PERCENT:
		base = "percent";
		break;
	case TU_COL_NUMBER:
		base = "number";
		break;
	default:
		break;
	}
	const char *style = style_name (t->style);
	if (base == NULL && style == NULL)
		return NULL;
	g_autofree char *name = g_strdup_printf ("%s%s%s", base ? base : "",
						 base && style ? "+" : "", style ? style : "");
	return tu_workbook_format (t->wb, name);
}

static lxw_row_t
xrow (TuTable *t)
{
	return (lxw_row_t) (t->first_row + 1 + t->n_rows);
}

void
tu_table_add_str (TuTable *t, const char *value)
{
	const TuColumn *c = cur_col (t);
	if (c == NULL)
		return;
	switch (t->backend) {
	case B_TSV:
		text_sep (t);
		tu_tsv_append_field (t->line, value);
		break;
	case B_CSV:
		text_sep (t);
		tu_csv_append_field (t->line, value);
		break;
	case B_JSON:
		text_sep (t);
		if (value == NULL)
			g_string_append (t->line, "null");
		else
			tu_json_append_string (t->line, value);
		break;
	case B_XLSX:
		if (value != NULL && *value != '\0') {
			/* Excel's cell limit is 32,767 characters */
			g_autofree char *capped = NULL;
			if (strlen (value) > 32000) {
				const char *end = value + 32000;
				while (end > value && ((unsigned char) *end & 0xC0) == 0x80)
					end--;
				capped = g_strndup (value, (gsize) (end - value));
			}
			worksheet_write_string (t->ws, xrow (t), (lxw_col_t) t->col,
						capped ? capped : value, cell_format (t, TU_COL_TEXT));
		} else if (t->style != TU_ROW_PLAIN) {
			worksheet_write_blank (t->ws, xrow (t), (lxw_col_t) t->col,
					       cell_format (t, TU_COL_TEXT));
		}
		break;
	}
	t->col++;
}

void
tu_table_add_null (TuTable *t)
{
	tu_table_add_str (t, NULL);
}

void
tu_table_add_int (TuTable *t, gint64 value)
{
	const TuColumn *c = cur_col (t);
	if (c == NULL)
		return;
	if (t->backend == B_XLSX) {
		worksheet_write_number (t->ws, xrow (t), (lxw_col_t) t->col, (double) value,
					cell_format (t, c->type));
	} else {
		text_sep (t);
		g_string_append_printf (t->line, "%" G_GINT64_FORMAT, value);
	}
	t->col++;
}

void
tu_table_add_double (TuTable *t, double value)
{
	const TuColumn *c = cur_col (t);
	if (c == NULL)
		return;
	if (t->backend == B_XLSX) {
		worksheet_write_number (t->ws, xrow (t), (lxw_col_t) t->col, value,
					cell_format (t, c->type));
	} else {
		text_sep (t);
		char buf[64];
		if (c->type == TU_COL_MONEY)
			g_snprintf (buf, sizeof buf, "%.2f", value);
		else
			g_ascii_formatd (buf, sizeof buf, "%.6g", value);
		g_string_append (t->line, buf);
	}
	t->col++;
}

static gboolean
parse_datetime (const char *s, lxw_datetime *dt, gboolean with_time)
{
	guint32 julian;
	if (!tu_date_parse (s, &julian, "date", NULL))
		return FALSE;
	GDate d;
	g_date_clear (&d, 1);
	g_date_set_julian (&d, julian);
	memset (dt, 0, sizeof *dt);
	dt->year = g_date_get_year (&d);
	dt->month = g_date_get_month (&d);
	dt->day = g_date_get_day (&d);
	if (with_time && strlen (s) >= 19) {
		dt->hour = (s[11] - '0') * 10 + (s[12] - '0');
		dt->min = (s[14] - '0') * 10 + (s[15] - '0');
		dt->sec = (s[17] - '0') * 10 + (s[18] - '0');
	}
	return TRUE;
}

void
tu_table_add_text_as_type (TuTable *t, const char *value)
{
	const TuColumn *c = cur_col (t);
	if (c == NULL)
		return;
	if (value == NULL || *value == '\0') {
		tu_table_add_null (t);
		return;
	}
	switch (c->type) {
	case TU_COL_INT: {
		gint64 v;
		if (g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &v, NULL)) {
			tu_table_add_int (t, v);
			return;
		}
		break;
	}
	case TU_COL_NUMBER:
	case TU_COL_MONEY:
	case TU_COL_PERCENT: {
		char *end = NULL;
		double v = g_ascii_strtod (value, &end);
		if (end != value && *end == '\0') {
			tu_table_add_double (t, v);
			return;
		}
		break;
	}
	case TU_COL_DATE:
	case TU_COL_DATETIME:
		if (t->backend == B_XLSX) {
			lxw_datetime dt;
			if (parse_datetime (value, &dt, c->type == TU_COL_DATETIME)) {
				worksheet_write_datetime (t->ws, xrow (t), (lxw_col_t) t->col, &dt,
							  cell_format (t, c->type));
				t->col++;
				return;
			}
		} else if (c->type == TU_COL_DATETIME && strlen (value) > 19 && value[19] == '.') {
			/* seconds are enough in text output */
			g_autofree char *cut = g_strndup (value, 19);
			tu_table_add_str (t, cut);
			return;
		}
		break;
	case TU_COL_TEXT:
	default:
		break;
	}
	tu_table_add_str (t, value);
}

gboolean
tu_table_end_row (TuTable *t, GError **error)
{
	if (t->col != t->columns->len)
		g_critical ("table: row has %u values for %u columns", t->col, t->columns->len);
	switch (t->backend) {
	case B_TSV:
		g_string_append_c (t->line, '\n');
		write_out (t);
		break;
	case B_CSV:
		g_string_append (t->line, "\r\n");
		write_out (t);
		break;
	case B_JSON:
		g_string_append_c (t->line, '}');
		write_out (t);
		break;
	case B_XLSX:
		break;
	}
	t->col = 0;
	t->n_rows++;
	t->style = TU_ROW_PLAIN;
	if (t->failed) {
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "writing output: %s",
			     g_strerror (t->write_errno));
		return FALSE;
	}
	return TRUE;
}

gboolean
tu_table_finish (TuTable *t, GError **error)
{
	switch (t->backend) {
	case B_JSON:
		g_string_append (t->line, t->n_rows > 0 ? "\n]\n" : "]\n");
		write_out (t);
		break;
	case B_XLSX:
		if (t->columns->len > 0)
			worksheet_autofilter (t->ws, (lxw_row_t) t->first_row, 0,
					      (lxw_row_t) (t->first_row + t->n_rows),
					      (lxw_col_t) (t->columns->len - 1));
		break;
	default:
		break;
	}
	if (t->out != NULL && fflush (t->out) != 0) {
		t->failed = TRUE;
		t->write_errno = errno;
	}
	if (t->failed) {
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "writing output: %s",
			     g_strerror (t->write_errno));
		return FALSE;
	}
	return TRUE;
}

guint64
tu_table_n_rows (TuTable *t)
{
	return t->n_rows;
}

lxw_worksheet *
tu_table_worksheet (TuTable *t)
{
	return t->ws;
}
