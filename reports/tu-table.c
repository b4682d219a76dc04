/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table backends; see tu-table.h. The xlsx backend relies on libxlsxwriter's constant_memory
 * mode: rows are written in order and flushed as they go, so a sheet of millions of rows costs
 * a few megabytes. Formats are made once per workbook and per (column type, row style).
 * Column widths are not known until the last row: each sheet keeps the widest cell of each
 * column and sets the widths (libxlsxwriter writes them when the workbook closes); a cell
 * wider than its column's cap is written wrapped. The terminal backend holds the first
 * thousand rows back to size its columns, then streams.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "tu-common.h"
#include "tu-table.h"

typedef enum { B_TSV, B_JSON, B_CSV, B_XLSX, B_TEXT } Backend;

struct _TuWorkbook {
	lxw_workbook *wb;
	char *path;
	GHashTable *formats; /* name -> lxw_format* (owned by the workbook) */
	char *report;
	char *info_line;     /* row 2 of every sheet */
	char *currency;
};

typedef struct {
	lxw_chart *chart;
	double x_scale;
	double y_scale;
} PendingChart;

/* the terminal holds rows back until it knows the widths */
#define TEXT_HOLD_ROWS 1000
typedef struct {
	char **cells;
	TuRowStyle style;
} TextRow;

struct _TuTable {
	Backend backend;
	FILE *out;
	GArray *columns; /* TuColumn, names duplicated */
	GString *line;
	guint col;
	guint64 n_rows;
	TuRowStyle style;
	char *currency;
	/* xlsx */
	TuWorkbook *wb;
	lxw_worksheet *ws;
	guint first_row;
	double *widths;	      /* the widest cell of each column, in characters */
	double *floors;	      /* the narrowest each column may be: its header in 3 lines */
	guint row_lines;      /* lines of the tallest wrapped cell of the row being written */
	/* formats by column type, row style and wrapping: looked up once, not per cell */
	lxw_format *formats[TU_COL_DATETIME + 1][TU_ROW_BOLD + 1][2];
	gboolean has_format[TU_COL_DATETIME + 1][TU_ROW_BOLD + 1][2];
	GArray *charts;	      /* PendingChart */
	/* the first sheet's name and note (continuations are "NAME (2)", ...), the sheets so
	 * far, the rows written on the earlier ones, and the data rows a sheet holds (Excel's
	 * 1,048,576 less the title block and header) */
	char *sheet;
	char *note;
	guint n_sheets;
	guint64 sheet_base;
	guint64 sheet_rows;
	/* text */
	GPtrArray *held;      /* TextRow*, until the widths are known */
	char **cells;	      /* the row being built */
	guint *text_widths;   /* NULL until the widths are known */
	double *sums;
	gboolean colour;
	TuRowStyle last_style; /* of the last row: a bold one is the table's own total */
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
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
		} else if (g_strcmp0 (p, "datetime") == 0) {
			format_set_num_format (f, "yyyy-mm-dd hh:mm:ss");
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
		} else if (g_strcmp0 (p, "money") == 0) {
			format_set_num_format (f, "#,##0.00");
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
		} else if (g_strcmp0 (p, "int") == 0) {
			format_set_num_format (f, "#,##0");
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
		} else if (g_strcmp0 (p, "number") == 0) {
			format_set_num_format (f, "0.0");
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
		} else if (g_strcmp0 (p, "percent") == 0) {
			format_set_num_format (f, "0%");
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
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
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
		} else if (g_strcmp0 (p, "top") == 0) {
			format_set_align (f, LXW_ALIGN_VERTICAL_TOP);
		} else if (g_strcmp0 (p, "subtitle") == 0) {
			format_set_italic (f);
			format_set_font_color (f, 0x595959);
		} else if (g_strcmp0 (p, "note") == 0) {
			format_set_italic (f);
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
	g_free (wb->report);
	g_free (wb->info_line);
	g_free (wb->currency);
	g_free (wb);
}

void
tu_workbook_set_info (TuWorkbook *wb, const TuReportInfo *info)
{
	g_autoptr(GString) line = g_string_new (NULL);
	g_autofree char *as_of = info->as_of ? tu_date_format (info->as_of) : NULL;
	if (info->since != 0) {
		g_autofree char *since = tu_date_format (info->since);
		g_string_append_printf (line, "Period: %s to %s", since, as_of ? as_of : "today");
	} else if (as_of != NULL) {
		g_string_append_printf (line, "As of %s", as_of);
	}
	if (info->scope != NULL && *info->scope)
		g_string_append_printf (line, "%sScope: %s", line->len ? " \u00b7 " : "", info->scope);
	if (info->freshness != NULL && *info->freshness)
		g_string_append_printf (line, "%sData: %s", line->len ? " \u00b7 " : "", info->freshness);
	g_free (wb->report);
	g_free (wb->info_line);
	g_free (wb->currency);
	wb->report = g_strdup (info->report);
	wb->info_line = g_string_free (g_steal_pointer (&line), FALSE);
	wb->currency = g_strdup (info->currency);

	g_autofree char *title = NULL;
	if (info->since != 0)
		title = g_strdup_printf ("%s, %s", info->report, wb->info_line + strlen ("Period: "));
	else if (as_of != NULL)
		title = g_strdup_printf ("%s as of %s", info->report, as_of);
	else
		title = g_strdup (info->report);
	g_autofree char *comments = g_strdup (wb->info_line);
	lxw_doc_properties props = {
		.title = title,
		.subject = (char *) (info->subject ? info->subject : info->report),
		.author = (char *) "trueup",
		.company = NULL,
		.category = (char *) "Software asset management",
		.keywords = (char *) "trueup",
		.comments = comments,
		.created = time (NULL),
	};
	workbook_set_properties (wb->wb, &props);
}

lxw_workbook *
tu_workbook_handle (TuWorkbook *wb)
{
	return wb->wb;
}

/* ---------------------------------------------------------------- tables --------------- */

char *
tu_column_title (const TuColumn *c, const char *currency)
{
	g_autofree char *base = NULL;
	if (c->title != NULL) {
		base = g_strdup (c->title);
	} else {
		base = g_strdup (c->name);
		for (char *p = base; *p; p++) {
			if (*p == '_')
				*p = ' ';
		}
		base[0] = g_ascii_toupper (base[0]);
	}
	if (c->type == TU_COL_MONEY && currency != NULL && *currency && strchr (base, '(') == NULL)
		return g_strdup_printf ("%s (%s)", base, currency);
	return g_steal_pointer (&base);
}

static TuTable *
table_new (Backend backend, const TuColumn *columns, guint n_columns)
{
	TuTable *t = g_new0 (TuTable, 1);
	t->backend = backend;
	t->columns = g_array_sized_new (FALSE, FALSE, sizeof (TuColumn), n_columns);
	for (guint i = 0; i < n_columns; i++) {
		TuColumn c = columns[i];
		c.name = g_strdup (columns[i].name);
		c.title = g_strdup (columns[i].title);
		g_array_append_val (t->columns, c);
	}
	t->line = g_string_sized_new (256);
	t->widths = g_new0 (double, n_columns);
	t->sums = g_new0 (double, n_columns);
	return t;
}

static const TuColumn *
col_at (TuTable *t, guint i)
{
	return &g_array_index (t->columns, TuColumn, i);
}

void
tu_table_set_currency (TuTable *t, const char *currency)
{
	g_free (t->currency);
	t->currency = g_strdup (currency);
}

static void
write_out (TuTable *t)
{
	if (!t->failed && t->line->len > 0 &&
	    fwrite (t->line->str, 1, t->line->len, t->out) != t->line->len) {
		t->failed = TRUE;
		t->write_errno = errno;
	}
	g_string_truncate (t->line, 0);
}

static void
set_write_error (TuTable *t, GError **error)
{
	if (t->write_errno == EPIPE)
		g_set_error (error, TU_ERROR, TU_ERROR_CLOSED_PIPE, "writing output: %s",
			     g_strerror (t->write_errno));
	else
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "writing output: %s",
			     g_strerror (t->write_errno));
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

/* the widest a column grows before its cells wrap, when the column does not say */
static double
default_cap (TuColType type)
{
	switch (type) {
	case TU_COL_DATE:
		return 11;
	case TU_COL_DATETIME:
		return 17;
	case TU_COL_INT:
	case TU_COL_PERCENT:
	case TU_COL_NUMBER:
	case TU_COL_MONEY:
		return 16;
	case TU_COL_TEXT:
	default:
		return 50;
	}
}

static double
cap_of (const TuColumn *c)
{
	return c->width > 0 ? c->width : default_cap (c->type);
}

/* A worksheet for @t named @sheet: the title block, the header. */
static void
sheet_begin (TuTable *t, const char *sheet, const char *note)
{
	TuWorkbook *wb = t->wb;
	guint first_row = t->first_row;
	const TuColumn *columns = (const TuColumn *) t->columns->data;
	guint n_columns = t->columns->len;
	t->ws = workbook_add_worksheet (wb->wb, sheet);
	/* constant_memory mode writes rows in order and drops a row written after a later one:
	 * the title block goes first */
	g_autofree char *title = wb->report ? g_strdup_printf ("%s: %s", wb->report, sheet)
					    : g_strdup (sheet);
	worksheet_write_string (t->ws, 0, 0, title, tu_workbook_format (wb, "title"));
	if (wb->info_line != NULL && *wb->info_line)
		worksheet_write_string (t->ws, 1, 0, wb->info_line, tu_workbook_format (wb, "subtitle"));
	if (note != NULL && *note)
		worksheet_write_string (t->ws, 2, 0, note, tu_workbook_format (wb, "note"));
	lxw_format *header = tu_workbook_format (wb, "header");
	if (t->floors == NULL)
		t->floors = g_new0 (double, MAX (n_columns, 1));
	guint header_lines = 1;
	for (guint i = 0; i < n_columns; i++) {
		g_autofree char *name = tu_column_title (&columns[i], t->currency);
		/* a header wraps between words: its longest word must fit, and it takes at most
		 * three lines; the row is made as tall as the tallest header (a row's height
		 * must be known before the next row is written) */
		g_auto(GStrv) words = g_strsplit (name, " ", -1);
		double longest = 0;
		for (guint k = 0; words[k] != NULL; k++)
			longest = MAX (longest, (double) g_utf8_strlen (words[k], -1));
		double len = (double) g_utf8_strlen (name, -1);
		t->floors[i] = MAX (longest, ceil (len / 3.0) + 1);
		t->floors[i] = MAX (t->floors[i], 4);
		/* the lines of the header at the floor width, wrapped at spaces */
		guint lines = 1;
		double used = 0;
		for (guint k = 0; words[k] != NULL; k++) {
			double w = (double) g_utf8_strlen (words[k], -1);
			if (used > 0 && used + 1 + w > t->floors[i]) {
				lines++;
				used = w;
			} else {
				used += (used > 0 ? 1 : 0) + w;
			}
		}
		header_lines = MAX (header_lines, lines);
		worksheet_write_string (t->ws, (lxw_row_t) first_row, (lxw_col_t) i, name, header);
	}
	worksheet_set_row (t->ws, (lxw_row_t) first_row, 15.0 * header_lines + 2, NULL);
	worksheet_freeze_panes (t->ws, (lxw_row_t) (first_row + 1), 0);
	/* printing: landscape A4, one page wide, the title block and header on every page */
	worksheet_set_landscape (t->ws);
	worksheet_set_paper (t->ws, 9);
	worksheet_fit_to_pages (t->ws, 1, 0);
	worksheet_repeat_rows (t->ws, 0, (lxw_row_t) first_row);
	worksheet_set_margins (t->ws, 0.4, 0.4, 0.5, 0.6);
	worksheet_set_footer (t->ws, "&L&8&A&C&8Page &P of &N&R&8trueup");
}

TuTable *
tu_table_new_sheet (TuWorkbook *wb, const char *sheet, const TuColumn *columns, guint n_columns,
		    const char *note)
{
	TuTable *t = table_new (B_XLSX, columns, n_columns);
	t->wb = wb;
	t->first_row = TU_SHEET_HEADER_ROW;
	t->currency = g_strdup (wb->currency);
	t->charts = g_array_new (FALSE, TRUE, sizeof (PendingChart));
	t->sheet = g_strdup (sheet);
	t->note = g_strdup (note);
	t->n_sheets = 1;
	t->sheet_rows = LXW_ROW_MAX - (t->first_row + 1);
	sheet_begin (t, sheet, note);
	return t;
}

void
tu_table_set_sheet_rows (TuTable *t, guint64 rows)
{
	if (t->backend == B_XLSX && rows > 0)
		t->sheet_rows = MIN (rows, (guint64) LXW_ROW_MAX - (t->first_row + 1));
}

guint
tu_table_n_sheets (TuTable *t)
{
	return t->backend == B_XLSX ? t->n_sheets : 1;
}

TuTable *
tu_table_new_text (FILE *out, const TuColumn *columns, guint n_columns, gboolean colour)
{
	TuTable *t = table_new (B_TEXT, columns, n_columns);
	t->out = out;
	t->colour = colour;
	t->held = g_ptr_array_new ();
	t->cells = g_new0 (char *, n_columns + 1);
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
	if (g_strcmp0 (format, "table") == 0)
		return tu_table_new_text (out, columns, n_columns, FALSE);
	g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
		     "unknown output format \"%s\" (table, tsv, json, csv)", format ? format : "");
	return NULL;
}

void
tu_table_free (TuTable *t)
{
	if (t == NULL)
		return;
	for (guint i = 0; i < t->columns->len; i++) {
		g_free ((char *) g_array_index (t->columns, TuColumn, i).name);
		g_free ((char *) g_array_index (t->columns, TuColumn, i).title);
	}
	if (t->held != NULL) {
		for (guint i = 0; i < t->held->len; i++) {
			TextRow *r = g_ptr_array_index (t->held, i);
			g_strfreev (r->cells);
			g_free (r);
		}
		g_ptr_array_unref (t->held);
	}
	if (t->cells != NULL) {
		for (guint i = 0; i < t->columns->len; i++)
			g_free (t->cells[i]);
		g_free (t->cells);
	}
	if (t->charts != NULL)
		g_array_unref (t->charts);
	g_array_unref (t->columns);
	g_string_free (t->line, TRUE);
	g_free (t->widths);
	g_free (t->floors);
	g_free (t->sums);
	g_free (t->text_widths);
	g_free (t->currency);
	g_free (t->sheet);
	g_free (t->note);
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
make_cell_format (TuTable *t, TuColType type, gboolean wrap)
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
	case TU_COL_INT:
		base = "int";
		break;
	default:
		break;
	}
	const char *style = style_name (t->style);
	/* a plain cell has no format of its own (a format on every text cell costs a quarter of
	 * the writing speed); in a row made tall by a wrapped neighbour, the row's format puts it
	 * at the top */
	if (base == NULL && style == NULL && !wrap)
		return NULL;
	g_autoptr(GString) name = g_string_new (base ? base : "top");
	if (style != NULL)
		g_string_append_printf (name, "%s%s", name->len ? "+" : "", style);
	if (wrap)
		g_string_append_printf (name, "%swrap", name->len ? "+" : "");
	return tu_workbook_format (t->wb, name->str);
}

static lxw_format *
cell_format_opt (TuTable *t, TuColType type, gboolean wrap)
{
	guint ty = (guint) type <= TU_COL_DATETIME ? (guint) type : TU_COL_TEXT;
	guint st = (guint) t->style <= TU_ROW_BOLD ? (guint) t->style : TU_ROW_PLAIN;
	guint w = wrap ? 1 : 0;
	if (!t->has_format[ty][st][w]) {
		t->formats[ty][st][w] = make_cell_format (t, (TuColType) ty, wrap);
		t->has_format[ty][st][w] = TRUE;
	}
	return t->formats[ty][st][w];
}

static lxw_format *
cell_format (TuTable *t, TuColType type)
{
	return cell_format_opt (t, type, FALSE);
}

static void sheet_finish (TuTable *t);

/* The sheet is full: finish it and go on on a new one, "NAME (2)", with the same title block
 * and header and a note saying where in the list it starts. */
static void
sheet_continue (TuTable *t)
{
	sheet_finish (t);
	g_array_set_size (t->charts, 0); /* the charts were placed on the sheet just finished */
	t->sheet_base = t->n_rows;
	t->n_sheets++;
	g_autofree char *suffix = g_strdup_printf (" (%u)", t->n_sheets);
	/* a sheet's name has at most 31 characters */
	glong room = 31 - (glong) strlen (suffix);
	glong len = g_utf8_strlen (t->sheet, -1);
	g_autofree char *stem = g_utf8_substring (t->sheet, 0, MIN (len, room));
	g_autofree char *name = g_strconcat (stem, suffix, NULL);
	g_autofree char *note = g_strdup_printf (
		"%s%scontinued from \"%s\": this sheet starts at row %" G_GUINT64_FORMAT
		" of the list (a sheet holds %" G_GUINT64_FORMAT " rows)",
		t->note ? t->note : "", t->note && *t->note ? "; " : "", t->sheet, t->n_rows + 1,
		t->sheet_rows);
	sheet_begin (t, name, note);
}

/* The sheet row of the row being written (on a new sheet when this one is full). */
static lxw_row_t
xrow (TuTable *t)
{
	if (t->n_rows - t->sheet_base >= t->sheet_rows)
		sheet_continue (t);
	return (lxw_row_t) (t->first_row + 1 + (t->n_rows - t->sheet_base));
}

lxw_row_t
tu_table_sheet_row (TuTable *t, guint64 i)
{
	return (lxw_row_t) (t->first_row + 1 + i);
}

static void
note_width (TuTable *t, double chars)
{
	if (chars > t->widths[t->col])
		t->widths[t->col] = chars;
}

/* "1234567.5" -> "1,234,567.50" (money) or "1,234,567" */
static char *
group_digits (double v, int decimals)
{
	char buf[64];
	g_snprintf (buf, sizeof buf, "%.*f", decimals, v < 0 ? -v : v);
	const char *dot = strchr (buf, '.');
	gsize int_len = dot ? (gsize) (dot - buf) : strlen (buf);
	GString *out = g_string_new (v < 0 && (v <= -0.005 || decimals == 0) ? "-" : "");
	for (gsize i = 0; i < int_len; i++) {
		if (i > 0 && (int_len - i) % 3 == 0)
			g_string_append_c (out, ',');
		g_string_append_c (out, buf[i]);
	}
	if (dot != NULL)
		g_string_append (out, dot);
	return g_string_free (out, FALSE);
}

/* the text cell of the terminal backend */
static void
text_cell (TuTable *t, char *value)
{
	g_free (t->cells[t->col]);
	t->cells[t->col] = value;
}

static gboolean parse_datetime (const char *s, lxw_datetime *dt, gboolean with_time);

/* A date or date-time column's value in a workbook as a real Excel date in the column's
 * format; FALSE (nothing written) for any other column, backend, or a value that is not a
 * date. */
static gboolean
xlsx_date_cell (TuTable *t, const TuColumn *c, const char *value)
{
	if (t->backend != B_XLSX || (c->type != TU_COL_DATE && c->type != TU_COL_DATETIME) ||
	    value == NULL || *value == '\0')
		return FALSE;
	lxw_datetime dt;
	if (!parse_datetime (value, &dt, c->type == TU_COL_DATETIME))
		return FALSE;
	note_width (t, c->type == TU_COL_DATETIME ? 16 : 10);
	worksheet_write_datetime (t->ws, xrow (t), (lxw_col_t) t->col, &dt,
				  cell_format (t, c->type));
	t->col++;
	return TRUE;
}

void
tu_table_add_str (TuTable *t, const char *value)
{
	const TuColumn *c = cur_col (t);
	if (c == NULL)
		return;
	/* a date column's date is a date in a workbook however it is added */
	if (xlsx_date_cell (t, c, value))
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
	case B_TEXT: {
		char *v = g_strdup (value ? value : "");
		for (char *p = v; *p; p++) {
			if (*p == '\t' || *p == '\n' || *p == '\r')
				*p = ' ';
		}
		text_cell (t, v);
		break;
	}
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
			const char *v = capped ? capped : value;
			double len = (double) g_utf8_strlen (v, -1);
			gboolean wrap = len > cap_of (c) || strchr (v, '\n') != NULL;
			note_width (t, MIN (len, cap_of (c)));
			if (wrap) {
				/* a proportional font fits a little more than the width in characters; wrapping at
				 * words takes a little more: about len / width lines */
				guint lines = (guint) ceil (len / MAX (cap_of (c), 1));
				for (const char *p = v; *p; p++)
					lines += *p == '\n';
				t->row_lines = MAX (t->row_lines, MIN (lines, 20u));
			}
			worksheet_write_string (t->ws, xrow (t), (lxw_col_t) t->col, v,
						cell_format_opt (t, TU_COL_TEXT, wrap));
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

/* the characters of @value as its cell format shows it ("#,##0.00", "0.0", "0%"), counted
 * without formatting it: this runs for every number of a sheet */
static double
number_width (const TuColumn *c, double value)
{
	if (c->type == TU_COL_PERCENT)
		value *= 100;
	double a = fabs (value);
	double digits = a < 1 ? 1 : floor (log10 (a)) + 1;
	double width = digits + (value < 0 ? 1 : 0);
	switch (c->type) {
	case TU_COL_MONEY:
		return width + floor ((digits - 1) / 3) + 3;
	case TU_COL_INT:
		return width + floor ((digits - 1) / 3);
	case TU_COL_NUMBER:
		return width + 2;
	case TU_COL_PERCENT:
		return width + 1;
	default:
		return width;
	}
}

void
tu_table_add_int (TuTable *t, gint64 value)
{
	const TuColumn *c = cur_col (t);
	if (c == NULL)
		return;
	if (t->backend == B_XLSX) {
		note_width (t, number_width (c, (double) value));
		worksheet_write_number (t->ws, xrow (t), (lxw_col_t) t->col, (double) value,
					cell_format (t, c->type));
	} else if (t->backend == B_TEXT) {
		t->sums[t->col] += (double) value;
		text_cell (t, c->type == TU_COL_MONEY ? group_digits ((double) value, 2)
						      : group_digits ((double) value, 0));
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
		note_width (t, number_width (c, value));
		worksheet_write_number (t->ws, xrow (t), (lxw_col_t) t->col, value,
					cell_format (t, c->type));
	} else if (t->backend == B_TEXT) {
		t->sums[t->col] += value;
		if (c->type == TU_COL_MONEY)
			text_cell (t, group_digits (value, 2));
		else if (c->type == TU_COL_PERCENT)
			text_cell (t, g_strdup_printf ("%.0f%%", value * 100));
		else if (c->type == TU_COL_INT)
			text_cell (t, group_digits (value, 0));
		else {
			char buf[64];
			g_ascii_formatd (buf, sizeof buf, "%.6g", value);
			text_cell (t, g_strdup (buf));
		}
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
		if (xlsx_date_cell (t, c, value)) {
			return;
		} else if (c->type == TU_COL_DATETIME && t->backend == B_TEXT && strlen (value) >= 16) {
			/* minutes are enough for a person */
			g_autofree char *cut = g_strndup (value, 16);
			tu_table_add_str (t, cut);
			return;
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

/* ---------------------------------------------------------------- terminal ------------- */

static gboolean
is_right_aligned (const TuColumn *c)
{
	return c->type == TU_COL_INT || c->type == TU_COL_NUMBER || c->type == TU_COL_MONEY ||
	       c->type == TU_COL_PERCENT;
}

/* the widest a terminal column grows (the last column is never cut) */
#define TEXT_CAP 48

static const char *
ansi_of (TuRowStyle style)
{
	switch (style) {
	case TU_ROW_RED:
		return "\033[31m";
	case TU_ROW_AMBER:
		return "\033[33m";
	case TU_ROW_GREEN:
		return "\033[32m";
	case TU_ROW_BOLD:
		return "\033[1m";
	case TU_ROW_PLAIN:
	default:
		return NULL;
	}
}

static gboolean
text_shown (TuTable *t, guint i)
{
	return !(col_at (t, i)->flags & TU_COL_NO_TEXT);
}

static gboolean
text_is_last (TuTable *t, guint i)
{
	for (guint k = i + 1; k < t->columns->len; k++) {
		if (text_shown (t, k))
			return FALSE;
	}
	return TRUE;
}

static gboolean
text_is_first (TuTable *t, guint i)
{
	for (guint k = 0; k < i; k++) {
		if (text_shown (t, k))
			return FALSE;
	}
	return TRUE;
}

static void
text_append_cell (TuTable *t, guint i, const char *value, TuRowStyle style, gboolean is_header)
{
	const TuColumn *c = col_at (t, i);
	guint w = t->text_widths[i];
	gboolean last = text_is_last (t, i);
	if (!text_shown (t, i))
		return;
	glong len = g_utf8_strlen (value, -1);
	g_autofree char *cut = NULL;
	if (len > (glong) w && !last) {
		const char *end = g_utf8_offset_to_pointer (value, (glong) w - 1);
		cut = g_strdup_printf ("%.*s\u2026", (int) (end - value), value);
		value = cut;
		len = (glong) w;
	}
	if (!text_is_first (t, i))
		g_string_append (t->line, "  ");
	const char *ansi = t->colour && !is_header &&
					   ((c->flags & TU_COL_STATUS) || style == TU_ROW_BOLD)
				   ? ansi_of (style)
				   : NULL;
	if (t->colour && is_header)
		ansi = "\033[1m";
	guint pad = len < (glong) w ? w - (guint) len : 0;
	if (is_right_aligned (c))
		g_string_append_printf (t->line, "%*s", (int) pad, "");
	if (ansi != NULL)
		g_string_append (t->line, ansi);
	g_string_append (t->line, value);
	if (ansi != NULL)
		g_string_append (t->line, "\033[0m");
	if (!is_right_aligned (c) && !last)
		g_string_append_printf (t->line, "%*s", (int) pad, "");
}

static void
text_write_row (TuTable *t, char **cells, TuRowStyle style, gboolean is_header)
{
	for (guint i = 0; i < t->columns->len; i++)
		text_append_cell (t, i, cells[i] ? cells[i] : "", style, is_header);
	/* trailing blanks of empty last cells */
	while (t->line->len > 0 && t->line->str[t->line->len - 1] == ' ')
		g_string_truncate (t->line, t->line->len - 1);
	g_string_append_c (t->line, '\n');
	write_out (t);
}

static char **
text_titles (TuTable *t)
{
	char **titles = g_new0 (char *, t->columns->len + 1);
	for (guint i = 0; i < t->columns->len; i++)
		titles[i] = tu_column_title (col_at (t, i), t->currency);
	return titles;
}

/* size the columns from the held rows, print the header and them */
static void
text_flush_held (TuTable *t)
{
	g_auto(GStrv) titles = text_titles (t);
	guint n = t->columns->len;
	t->text_widths = g_new0 (guint, n);
	for (guint i = 0; i < n; i++)
		t->text_widths[i] = (guint) g_utf8_strlen (titles[i], -1);
	for (guint r = 0; r < t->held->len; r++) {
		TextRow *row = g_ptr_array_index (t->held, r);
		for (guint i = 0; i < n; i++) {
			guint len = row->cells[i] ? (guint) g_utf8_strlen (row->cells[i], -1) : 0;
			t->text_widths[i] = MAX (t->text_widths[i], len);
		}
	}
	for (guint i = 0; i < n; i++)
		if (!text_is_last (t, i))
			t->text_widths[i] = MIN (t->text_widths[i], MAX (TEXT_CAP, (guint) g_utf8_strlen (titles[i], -1)));
	text_write_row (t, titles, TU_ROW_PLAIN, TRUE);
	for (guint r = 0; r < t->held->len; r++) {
		TextRow *row = g_ptr_array_index (t->held, r);
		text_write_row (t, row->cells, row->style, FALSE);
		g_strfreev (row->cells);
		g_free (row);
	}
	g_ptr_array_set_size (t->held, 0);
}

static void
text_end_row (TuTable *t)
{
	guint n = t->columns->len;
	if (t->text_widths != NULL) {
		text_write_row (t, t->cells, t->style, FALSE);
		for (guint i = 0; i < n; i++)
			g_clear_pointer (&t->cells[i], g_free);
		return;
	}
	TextRow *row = g_new0 (TextRow, 1);
	row->cells = t->cells;
	row->style = t->style;
	g_ptr_array_add (t->held, row);
	t->cells = g_new0 (char *, n + 1);
	/* g_strfreev stops at the first NULL: keep held rows dense */
	for (guint i = 0; i < n; i++) {
		if (row->cells[i] == NULL)
			row->cells[i] = g_strdup ("");
	}
	if (t->held->len >= TEXT_HOLD_ROWS)
		text_flush_held (t);
}

static void
text_finish (TuTable *t)
{
	if (t->text_widths == NULL)
		text_flush_held (t);
	gboolean any = FALSE;
	for (guint i = 0; i < t->columns->len; i++)
		any = any || (col_at (t, i)->flags & TU_COL_SUM);
	/* a table that ends with its own total (a bold row) needs no second one */
	if (t->n_rows == 0 || (!any && t->last_style == TU_ROW_BOLD))
		return;
	g_auto(GStrv) cells = g_new0 (char *, t->columns->len + 1);
	for (guint i = 0; i < t->columns->len; i++) {
		const TuColumn *c = col_at (t, i);
		if (!(c->flags & TU_COL_SUM))
			cells[i] = g_strdup ("");
		else if (c->type == TU_COL_MONEY && t->currency == NULL)
			cells[i] = g_strdup ("mixed");
		else
			cells[i] = group_digits (t->sums[i], c->type == TU_COL_MONEY ? 2 : 0);
	}
	if (!(col_at (t, 0)->flags & TU_COL_SUM)) {
		g_free (cells[0]);
		cells[0] = g_strdup_printf ("Total (%" G_GUINT64_FORMAT " row%s)", t->n_rows,
					    t->n_rows == 1 ? "" : "s");
	}
	/* a rule above the totals */
	for (guint i = 0; i < t->columns->len; i++) {
		if (!text_shown (t, i))
			continue;
		if (!text_is_first (t, i))
			g_string_append (t->line, "  ");
		guint w = MAX (t->text_widths[i], (guint) g_utf8_strlen (cells[i], -1));
		if (text_is_last (t, i) && !(col_at (t, i)->flags & TU_COL_SUM))
			w = 0;
		for (guint k = 0; k < w; k++)
			g_string_append (t->line, "-");
	}
	while (t->line->len > 0 && t->line->str[t->line->len - 1] == ' ')
		g_string_truncate (t->line, t->line->len - 1);
	g_string_append_c (t->line, '\n');
	write_out (t);
	/* the total's label may be wider than the first column: give it the room */
	t->text_widths[0] = MAX (t->text_widths[0], (guint) g_utf8_strlen (cells[0], -1));
	text_write_row (t, cells, TU_ROW_BOLD, FALSE);
}

/* ---------------------------------------------------------------- rows and the end ----- */

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
	case B_TEXT:
		text_end_row (t);
		break;
	case B_XLSX:
		/* the row is still being written (constant_memory): its height can be set */
		if (t->row_lines > 1)
			worksheet_set_row (t->ws, xrow (t), 15.0 * t->row_lines,
					   tu_workbook_format (t->wb, "top"));
		t->row_lines = 0;
		break;
	}
	t->col = 0;
	t->n_rows++;
	t->last_style = t->style;
	t->style = TU_ROW_PLAIN;
	if (t->failed) {
		set_write_error (t, error);
		return FALSE;
	}
	return TRUE;
}

void
tu_table_add_chart (TuTable *t, lxw_chart *chart, double x_scale, double y_scale)
{
	if (t->charts == NULL)
		return;
	PendingChart pc = {chart, x_scale > 0 ? x_scale : 1, y_scale > 0 ? y_scale : 1};
	g_array_append_val (t->charts, pc);
}

/* Column widths from the content, then the charts: beside a table that leaves room for them
 * on a screen or is too long for a chart under it to be seen, else under it. A chart is
 * 480 x 288 pixels at scale 1; a character about 7. */
static void
sheet_finish (TuTable *t)
{
	guint64 rows = t->n_rows - t->sheet_base; /* on this sheet */
	double total = 0;
	for (guint i = 0; i < t->columns->len; i++) {
		const TuColumn *c = col_at (t, i);
		double w = MAX (MIN (t->widths[i], cap_of (c)), t->floors[i]) + 2;
		total += w;
		worksheet_set_column (t->ws, (lxw_col_t) i, (lxw_col_t) i, w, NULL);
	}
	if (t->columns->len > 0)
		worksheet_autofilter (t->ws, (lxw_row_t) t->first_row, 0,
				      (lxw_row_t) (t->first_row + rows),
				      (lxw_col_t) (t->columns->len - 1));
	if (t->charts->len == 0)
		return;
	double charts_width = 0;
	for (guint i = 0; i < t->charts->len; i++) {
		const PendingChart *pc = &g_array_index (t->charts, PendingChart, i);
		charts_width = MAX (charts_width, 480 * pc->x_scale / 7.0);
	}
	/* beside the table when both fit a screen's width; else below it, unless the table is
	 * too long for that to be seen on opening (an estate with many products): then beside
	 * it at the top, where scrolling right finds it */
	gboolean beside = total + charts_width <= 190 || t->first_row + rows + 2 > 36;
	double offset = 0;
	for (guint i = 0; i < t->charts->len; i++) {
		const PendingChart *pc = &g_array_index (t->charts, PendingChart, i);
		lxw_chart_options o = {.x_scale = pc->x_scale, .y_scale = pc->y_scale};
		if (beside) {
			o.x_offset = 10;
			o.y_offset = (int32_t) offset;
			worksheet_insert_chart_opt (t->ws, (lxw_row_t) t->first_row,
						    (lxw_col_t) t->columns->len + 1, pc->chart, &o);
			offset += 288 * pc->y_scale + 10;
		} else {
			o.x_offset = (int32_t) offset;
			o.y_offset = 10;
			worksheet_insert_chart_opt (t->ws, (lxw_row_t) (t->first_row + rows + 2), 0,
						    pc->chart, &o);
			offset += 480 * pc->x_scale + 10;
		}
	}
}

gboolean
tu_table_finish (TuTable *t, GError **error)
{
	switch (t->backend) {
	case B_JSON:
		g_string_append (t->line, t->n_rows > 0 ? "\n]\n" : "]\n");
		write_out (t);
		break;
	case B_TEXT:
		text_finish (t);
		break;
	case B_XLSX:
		sheet_finish (t);
		break;
	default:
		break;
	}
	if (!t->failed && t->out != NULL && fflush (t->out) != 0) {
		t->failed = TRUE;
		t->write_errno = errno;
	}
	if (t->failed) {
		set_write_error (t, error);
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
