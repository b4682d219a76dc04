/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plain CSV imports: host,name,version[,publisher,arch,install_date], for estates whose
 * inventory lives in a spreadsheet or another tool's report.
 *
 * The header line names the columns, in any order, case-insensitively; unknown columns and
 * missing required ones are errors naming them (a misspelt "publsher" must not silently drop
 * every publisher). RFC 4180 via libcsv (strict: a quote inside an unquoted field, or a
 * quoted field never closed, is an error with the line where its row starts); a UTF-8 BOM
 * and CRLF line ends are accepted. Rows are grouped by host, one TuHostScan per host in the
 * order hosts first appear; every host's list is taken as complete.
 */
#include "config.h"

#include <csv.h>
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

enum { COL_HOST, COL_NAME, COL_VERSION, COL_PUBLISHER, COL_ARCH, COL_INSTALL_DATE, N_COLS };

static const char *const col_names[N_COLS] = {"host",	   "name", "version",
					      "publisher", "arch", "install_date"};

typedef struct {
	const char *path;
	guint line;	    /* the line being fed */
	guint row_line;	    /* the line the current row started on */
	guint n_rows;	    /* rows seen, the header included */
	int map[64];	    /* field index -> column, for the first 64 fields */
	guint n_fields;	    /* fields of the current row */
	guint n_header;	    /* fields of the header */
	char *fields[N_COLS];
	GPtrArray *hosts;   /* TuHostScan*, borrowed from the caller's array */
	GHashTable *by_host; /* hostname -> TuHostScan* */
	GError *error;
} Reader;

static void
clear_fields (Reader *r)
{
	for (guint i = 0; i < N_COLS; i++)
		g_clear_pointer (&r->fields[i], g_free);
	r->n_fields = 0;
}

static void
header_field (Reader *r, const char *s, gsize len)
{
	guint i = r->n_fields;
	g_autofree char *name = tu_scan_clean_field (s ? s : "", (gssize) len);
	tu_strstrip (name);
	if (i >= G_N_ELEMENTS (r->map)) {
		g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: more than %u columns in the header", r->path, r->line,
			     (guint) G_N_ELEMENTS (r->map));
		return;
	}
	for (guint c = 0; c < N_COLS; c++) {
		if (g_ascii_strcasecmp (name, col_names[c]) != 0)
			continue;
		for (guint k = 0; k < i; k++) {
			if (r->map[k] == (int) c) {
				g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: column \"%s\" named twice in the header", r->path,
					     r->line, name);
				return;
			}
		}
		r->map[i] = (int) c;
		return;
	}
	g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "%s:%u: unknown column \"%s\" (known: host, name, version, publisher, arch, "
		     "install_date)",
		     r->path, r->line, name);
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
	} else if (r->n_fields < r->n_header) {
		int c = r->map[r->n_fields];
		if (s != NULL && len > 0)
			r->fields[c] = tu_scan_clean_field (s, (gssize) len);
	}
	r->n_fields++;
}

/* "2024-06-11" only: a spreadsheet's "11/06/2024" is ambiguous. */
static gboolean
valid_date (const char *s)
{
	guint32 julian;
	return strlen (s) == 10 && tu_date_parse (s, &julian, "install_date", NULL);
}

static void
end_row (Reader *r)
{
	guint line = r->row_line;
	if (r->n_rows == 0) {
		r->n_header = r->n_fields;
		for (guint c = 0; c < 3; c++) {
			gboolean found = FALSE;
			for (guint i = 0; i < r->n_header; i++)
				found |= r->map[i] == (int) c;
			if (!found) {
				g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: required column \"%s\" missing from the header "
					     "(host,name,version[,publisher,arch,install_date])",
					     r->path, line, col_names[c]);
				return;
			}
		}
		return;
	}
	if (r->n_fields != r->n_header) {
		g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: %u fields where the header has %u", r->path, line, r->n_fields,
			     r->n_header);
		return;
	}
	char **f = r->fields;
	for (guint c = 0; c < 2; c++) {
		if (f[c] != NULL)
			tu_strstrip (f[c]);
		if (f[c] == NULL || *f[c] == '\0') {
			g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s is empty",
				     r->path, line, col_names[c]);
			return;
		}
	}
	if (f[COL_INSTALL_DATE] != NULL && !valid_date (f[COL_INSTALL_DATE])) {
		g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: install_date \"%s\" is not a date (YYYY-MM-DD)", r->path, line,
			     f[COL_INSTALL_DATE]);
		return;
	}
	TuHostScan *scan = g_hash_table_lookup (r->by_host, f[COL_HOST]);
	if (scan == NULL) {
		g_autofree char *target = g_strdup_printf ("import:%s", r->path);
		scan = tu_host_scan_new (target);
		tu_host_facts_set (&scan->facts.hostname, f[COL_HOST]);
		g_hash_table_insert (r->by_host, g_strdup (f[COL_HOST]), scan);
		g_ptr_array_add (r->hosts, scan);
	}
	TuRecord rec = TU_RECORD_INIT;
	rec.source = TU_SOURCE_CSV;
	rec.raw_name = f[COL_NAME];
	rec.raw_version = f[COL_VERSION];
	rec.raw_publisher = f[COL_PUBLISHER];
	rec.arch = f[COL_ARCH];
	rec.install_date = f[COL_INSTALL_DATE];
	tu_record_list_add (scan->records, &rec);
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
	clear_fields (r);
}

gboolean
tu_csv_import_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
		     GError **error)
{
	const char *p = buf;
	const char *end = buf + len;
	if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	const char *bad = NULL;
	if (!g_utf8_validate_len (p, (gsize) (end - p), &bad)) {
		guint line = 1;
		for (const char *q = p; q < bad; q++)
			line += *q == '\n';
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: not valid UTF-8 (byte 0x%02x): save the CSV as UTF-8", path, line,
			     (guint) (guint8) *bad);
		return FALSE;
	}
	struct csv_parser csv;
	if (csv_init (&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: cannot set up the CSV parser", path);
		return FALSE;
	}
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GHashTable) by_host = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	Reader r = {.path = path, .line = 1, .hosts = found, .by_host = by_host};
	for (guint i = 0; i < G_N_ELEMENTS (r.map); i++)
		r.map[i] = -1;
	while (p < end && r.error == NULL) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *next = nl ? nl + 1 : end;
		if (csv_parse (&csv, p, (size_t) (next - p), field_cb, row_cb, &r) != (size_t) (next - p)) {
			g_set_error (&r.error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: malformed CSV: %s (a quote inside an unquoted field?)", path,
				     r.line, csv_strerror (csv_error (&csv)));
			break;
		}
		r.line++;
		p = next;
	}
	if (r.error == NULL && csv_fini (&csv, field_cb, row_cb, &r) != 0)
		g_set_error (&r.error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: malformed CSV: unbalanced quotes in the row starting here", path,
			     r.n_fields > 0 ? r.row_line : r.line - 1);
	csv_free (&csv);
	clear_fields (&r);
	if (r.error != NULL) {
		g_propagate_error (error, r.error);
		return FALSE;
	}
	if (r.n_rows == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: empty: expected a header line host,name,version[,...]", path);
		return FALSE;
	}
	if (found->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: a header but no rows", path);
		return FALSE;
	}
	for (guint i = 0; i < found->len; i++)
		((TuHostScan *) g_ptr_array_index (found, i))->finished_us = g_get_real_time ();
	while (found->len > 0)
		g_ptr_array_add (hosts, g_ptr_array_steal_index (found, 0));
	return TRUE;
}
