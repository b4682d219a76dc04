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
 *
 * A big file (an estate's export: 2,000 hosts x 250 rows is 25 MB) is read by one thread a
 * core, each a stretch of whole rows (cut where the quotes before are balanced, so a quoted
 * field's line break never splits a row); the stretches' hosts are then joined in file order,
 * and the first error in the file is the one reported, as one thread would.
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

/* Feed the rows of [p, end) to @csv: a row a line at a time, so that an error names its line. */
static void
parse_rows (Reader *r, struct csv_parser *csv, const char *p, const char *end)
{
	while (p < end && r->error == NULL) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *next = nl ? nl + 1 : end;
		size_t n = (size_t) (next - p);
		if (csv_parse (csv, p, n, field_cb, row_cb, r) != n) {
			g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: malformed CSV: %s (a quote inside an unquoted field?)",
				     r->path, r->line, csv_strerror (csv_error (csv)));
			break;
		}
		r->line++;
		p = next;
	}
	if (r->error == NULL && csv_fini (csv, field_cb, row_cb, r) != 0)
		g_set_error (&r->error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: malformed CSV: unbalanced quotes in the row starting here",
			     r->path, r->n_fields > 0 ? r->row_line : r->line - 1);
	clear_fields (r);
}

/* One stretch of the file's rows, read by a thread of its own. */
typedef struct {
	Reader r;
	const char *p, *end;
	GPtrArray *hosts;
	GHashTable *by_host;
} Part;

static void
part_init (Part *part, const Reader *header, const char *p, const char *end, guint line)
{
	part->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	part->by_host = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	part->r = *header; /* the header's columns; rows from here on */
	part->r.line = line;
	part->r.error = NULL;
	part->r.hosts = part->hosts;
	part->r.by_host = part->by_host;
	for (guint i = 0; i < N_COLS; i++)
		part->r.fields[i] = NULL;
	part->p = p;
	part->end = end;
}

static void
part_clear (Part *part)
{
	g_clear_pointer (&part->hosts, g_ptr_array_unref);
	g_clear_pointer (&part->by_host, g_hash_table_unref);
	g_clear_error (&part->r.error);
}

static gpointer
part_parse (gpointer data)
{
	Part *part = data;
	struct csv_parser csv;
	if (csv_init (&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
		g_set_error (&part->r.error, TU_ERROR, TU_ERROR_FAILED,
			     "%s: cannot set up the CSV parser", part->r.path);
		return NULL;
	}
	parse_rows (&part->r, &csv, part->p, part->end);
	csv_free (&csv);
	return NULL;
}

/* The end of the line that holds @from, when it ends a row: the next newline after which the
 * quotes from @start are balanced (RFC 4180: a quote inside a quoted field is doubled, so a
 * newline is outside quotes exactly when the quotes before it are even). NULL: none before
 * @end. Malformed quoting only moves the cut: the stretch that holds it fails as the whole
 * file would, and the first error in the file is the one reported. */
static const char *
row_end_after (const char *start, const char *from, const char *end)
{
	gsize quotes = 0;
	for (const char *q = start; (q = memchr (q, '"', (gsize) (from - q))) != NULL; q++)
		quotes++;
	for (const char *q = from; q < end; q++) {
		if (*q == '"')
			quotes++;
		else if (*q == '\n' && quotes % 2 == 0)
			return q + 1;
	}
	return NULL;
}

/* Files this big are read by several threads, a stretch of whole rows each. */
#define PARALLEL_BYTES (1u << 20)
#define MAX_PARTS      4

gboolean
tu_csv_import_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
		     GError **error)
{
	return tu_csv_import_parse_parts (buf, len, path, 0, hosts, error);
}

gboolean
tu_csv_import_parse_parts (const char *buf, gsize len, const char *path, guint max_parts,
			   GPtrArray *hosts, GError **error)
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
	/* the header's line first: every stretch reads its rows by the header's columns. That
	 * line may hold rows too (libcsv also ends a row at a lone CR): they are its stretch's. */
	Reader tmpl = {.path = path, .line = 1};
	for (guint i = 0; i < G_N_ELEMENTS (tmpl.map); i++)
		tmpl.map[i] = -1;
	const char *body = row_end_after (p, p, end);
	if (body == NULL)
		body = end;
	Part parts[MAX_PARTS + 1];
	part_init (&parts[0], &tmpl, p, body, 1);
	part_parse (&parts[0]);
	const Reader *header = &parts[0].r;
	if (header->error != NULL || header->n_rows == 0) {
		if (header->error == NULL)
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: empty: expected a header line host,name,version[,...]",
				     path);
		else
			g_propagate_error (error, g_steal_pointer (&parts[0].r.error));
		part_clear (&parts[0]);
		return FALSE;
	}

	/* the rows in stretches of whole rows, one a core (at least PARALLEL_BYTES each) */
	guint n_parts = max_parts != 0 ? MIN (max_parts, MAX_PARTS)
				       : (guint) CLAMP ((gsize) (end - body) / PARALLEL_BYTES, 1,
							MIN (MAX_PARTS, g_get_num_processors ()));
	guint n = 1;
	const char *from = body;
	guint line = header->line;
	for (guint k = 0; k < n_parts && from < end; k++) {
		const char *to = end;
		if (k + 1 < n_parts) {
			const char *cut = body + (gsize) (end - body) * (k + 1) / n_parts;
			to = cut > from ? row_end_after (from, cut, end) : NULL;
			if (to == NULL)
				to = end;
		}
		part_init (&parts[n++], header, from, to, line);
		for (const char *q = from; q < to; q++) {
			q = memchr (q, '\n', (gsize) (to - q));
			if (q == NULL)
				break;
			line++;
		}
		from = to;
	}
	GThread *threads[MAX_PARTS + 1] = {NULL};
	for (guint k = 2; k < n; k++)
		threads[k] = g_thread_new ("csv", part_parse, &parts[k]);
	if (n > 1)
		part_parse (&parts[1]);
	for (guint k = 2; k < n; k++)
		g_thread_join (threads[k]);

	/* the first error in the file, else the hosts in the order they first appear, each with
	 * its rows in file order */
	GError *first = NULL;
	for (guint k = 0; k < n && first == NULL; k++)
		first = g_steal_pointer (&parts[k].r.error);
	g_autoptr(GPtrArray) found =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GHashTable) by_host = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint k = 0; k < n && first == NULL; k++) {
		/* a host is its host field as read (the key of the stretch's table) */
		g_autoptr(GHashTable) key_of = g_hash_table_new (NULL, NULL);
		GHashTableIter iter;
		gpointer key, value;
		g_hash_table_iter_init (&iter, parts[k].by_host);
		while (g_hash_table_iter_next (&iter, &key, &value))
			g_hash_table_insert (key_of, value, key);
		for (guint i = 0; i < parts[k].hosts->len; i++) {
			TuHostScan *scan = g_ptr_array_index (parts[k].hosts, i);
			const char *host = g_hash_table_lookup (key_of, scan);
			TuHostScan *had = g_hash_table_lookup (by_host, host);
			if (had == NULL) {
				g_ptr_array_index (parts[k].hosts, i) = NULL;
				g_hash_table_insert (by_host, (gpointer) host, scan);
				g_ptr_array_add (found, scan);
				continue;
			}
			for (guint j = 0; j < tu_record_list_len (scan->records); j++)
				tu_record_list_add (had->records,
						    tu_record_list_get (scan->records, j));
		}
	}
	for (guint k = 0; k < n; k++)
		part_clear (&parts[k]);
	if (first != NULL) {
		g_propagate_error (error, first);
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
