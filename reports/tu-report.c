/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The report container (xlsx workbook or a set of CSV files) and the inventory report. Every
 * file is written under a temporary name and renamed into place when the whole report
 * succeeded, so a failed report never leaves a half-written workbook where the last good one
 * was.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tu-common.h"
#include "tu-report.h"

typedef struct {
	char *final_path;
	char *tmp_path;
	FILE *fp;
} CsvFile;

struct _TuReport {
	TuReportFormat format;
	char *path;
	char *tmp_path;	    /* xlsx */
	TuWorkbook *wb;	    /* xlsx */
	GPtrArray *csv;	    /* CsvFile* */
	GHashTable *tables; /* TuTable* -> CsvFile* */
};

static void
csv_file_free (CsvFile *f)
{
	if (f->fp != NULL) {
		fclose (f->fp);
		g_unlink (f->tmp_path);
	}
	g_free (f->final_path);
	g_free (f->tmp_path);
	g_free (f);
}

static char *
tmp_name (const char *path)
{
	g_autofree char *dir = g_path_get_dirname (path);
	g_autofree char *base = g_path_get_basename (path);
	g_autofree char *name = g_strdup_printf (".%s.%d.tmp", base, (int) getpid ());
	return g_build_filename (dir, name, NULL);
}

TuReport *
tu_report_new (const char *path, const char *format, GError **error)
{
	TuReportFormat fmt;
	if (format == NULL)
		fmt = tu_str_has_suffix_ci (path, ".csv") ? TU_REPORT_CSV : TU_REPORT_XLSX;
	else if (g_ascii_strcasecmp (format, "xlsx") == 0)
		fmt = TU_REPORT_XLSX;
	else if (g_ascii_strcasecmp (format, "csv") == 0)
		fmt = TU_REPORT_CSV;
	else {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "--format %s: use xlsx or csv", format);
		return NULL;
	}
	g_autofree char *dir = g_path_get_dirname (path);
	if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: directory %s does not exist", path, dir);
		return NULL;
	}
	TuReport *r = g_new0 (TuReport, 1);
	r->format = fmt;
	r->path = g_strdup (path);
	r->csv = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_file_free);
	r->tables = g_hash_table_new (g_direct_hash, g_direct_equal);
	if (fmt == TU_REPORT_XLSX) {
		r->tmp_path = tmp_name (path);
		r->wb = tu_workbook_new (r->tmp_path, error);
		if (r->wb == NULL) {
			g_prefix_error (error, "%s: ", path);
			tu_report_free (r);
			return NULL;
		}
	}
	return r;
}

void
tu_report_free (TuReport *r)
{
	if (r == NULL)
		return;
	if (r->wb != NULL)
		tu_workbook_free (r->wb); /* removes the temporary file when not closed */
	g_ptr_array_unref (r->csv);
	g_hash_table_unref (r->tables);
	g_free (r->path);
	g_free (r->tmp_path);
	g_free (r);
}

TuReportFormat
tu_report_format (TuReport *r)
{
	return r->format;
}

TuWorkbook *
tu_report_workbook (TuReport *r)
{
	return r->wb;
}

static char *
sheet_csv_path (const char *path, const char *sheet)
{
	g_autofree char *stem = tu_str_has_suffix_ci (path, ".csv") ? g_strndup (path, strlen (path) - 4)
								     : g_strdup (path);
	g_autofree char *lower = g_ascii_strdown (sheet, -1);
	for (char *p = lower; *p; p++) {
		if (!g_ascii_isalnum (*p))
			*p = '-';
	}
	return g_strdup_printf ("%s-%s.csv", stem, lower);
}

TuTable *
tu_report_sheet (TuReport *r, const char *name, const TuColumn *columns, guint n_columns,
		 gboolean is_main, const char *title, GError **error)
{
	if (r->format == TU_REPORT_XLSX)
		return tu_table_new_sheet (r->wb, name, columns, n_columns, title);
	CsvFile *f = g_new0 (CsvFile, 1);
	f->final_path = is_main ? g_strdup (r->path) : sheet_csv_path (r->path, name);
	f->tmp_path = tmp_name (f->final_path);
	f->fp = fopen (f->tmp_path, "w");
	if (f->fp == NULL) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", f->final_path, g_strerror (saved));
		g_free (f->final_path);
		g_free (f->tmp_path);
		g_free (f);
		return NULL;
	}
	g_ptr_array_add (r->csv, f);
	TuTable *t = tu_table_new_csv (f->fp, columns, n_columns);
	g_hash_table_insert (r->tables, t, f);
	return t;
}

gboolean
tu_report_sheet_done (TuReport *r, TuTable *t, GError **error)
{
	CsvFile *f = g_hash_table_lookup (r->tables, t);
	if (!tu_table_finish (t, error)) {
		if (f != NULL)
			g_prefix_error (error, "%s: ", f->final_path);
		return FALSE;
	}
	return TRUE;
}

gboolean
tu_report_close (TuReport *r, GPtrArray **files, GError **error)
{
	g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
	if (r->format == TU_REPORT_XLSX) {
		gboolean ok = tu_workbook_close (r->wb, error);
		tu_workbook_free (r->wb);
		r->wb = NULL;
		if (!ok) {
			g_unlink (r->tmp_path);
			g_prefix_error (error, "%s: ", r->path);
			return FALSE;
		}
		if (g_rename (r->tmp_path, r->path) != 0) {
			int saved = errno;
			g_unlink (r->tmp_path);
			g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", r->path, g_strerror (saved));
			return FALSE;
		}
		g_ptr_array_add (written, g_strdup (r->path));
	} else {
		for (guint i = 0; i < r->csv->len; i++) {
			CsvFile *f = g_ptr_array_index (r->csv, i);
			if (fclose (f->fp) != 0) {
				int saved = errno;
				f->fp = NULL;
				g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", f->final_path,
					     g_strerror (saved));
				return FALSE;
			}
			f->fp = NULL;
		}
		for (guint i = 0; i < r->csv->len; i++) {
			CsvFile *f = g_ptr_array_index (r->csv, i);
			if (g_rename (f->tmp_path, f->final_path) != 0) {
				int saved = errno;
				g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", f->final_path,
					     g_strerror (saved));
				return FALSE;
			}
			g_ptr_array_add (written, g_strdup (f->final_path));
		}
	}
	if (files != NULL)
		*files = g_steal_pointer (&written);
	return TRUE;
}

/* ---------------------------------------------------------------- inventory ------------ */

const TuColumn tu_inventory_columns[] = {
	{"host", TU_COL_TEXT, 20},	       {"source", TU_COL_TEXT, 9},
	{"raw_name", TU_COL_TEXT, 36},	       {"raw_version", TU_COL_TEXT, 18},
	{"raw_publisher", TU_COL_TEXT, 24},    {"arch", TU_COL_TEXT, 8},
	{"publisher", TU_COL_TEXT, 18},	       {"product", TU_COL_TEXT, 28},
	{"edition", TU_COL_TEXT, 16},	       {"release", TU_COL_TEXT, 9},
	{"version", TU_COL_TEXT, 18},	       {"scheme", TU_COL_TEXT, 8},
	{"kind", TU_COL_TEXT, 12},	       {"licensable", TU_COL_TEXT, 10},
	{"recognised", TU_COL_TEXT, 10},       {"state", TU_COL_TEXT, 10},
	{"location", TU_COL_TEXT, 30},	       {"install_date", TU_COL_DATE, 12},
	{"first_seen", TU_COL_DATETIME, 19},   {"last_seen", TU_COL_DATETIME, 19},
	{"class", TU_COL_TEXT, 12},	       {"upstream_version", TU_COL_TEXT, 16},
};
const guint tu_inventory_n_columns = G_N_ELEMENTS (tu_inventory_columns);

gboolean
tu_report_write_installations (TuDb *db, TuTable *t, const char *host, GError **error)
{
	/* the hosts in report order, then their installations a page of hosts at a time */
	g_autoptr(TuSql) hq = tu_sql_new (db, "SELECT id FROM hosts WHERE ? IS NULL OR hostname = ? "
					      "OR fqdn = ? OR machine_id = ? ORDER BY hostname, id");
	for (guint i = 0; i < 4; i++)
		tu_sql_bind_str (hq, host);
	g_autoptr(MYSQL_RES) hres = tu_db_query (db, tu_sql_get (hq), error);
	if (hres == NULL)
		return FALSE;
	g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (hres)) != NULL) {
		guint64 id = g_ascii_strtoull (row[0], NULL, 10);
		g_array_append_val (ids, id);
	}
	g_autoptr(TuDbPager) pager = tu_db_pager_new (
		db,
		"SELECT h.hostname, s.source, s.raw_name, s.raw_version, s.raw_publisher, s.arch, "
		"s.publisher, s.product, s.edition, s.product_release, s.version, s.scheme, s.kind, "
		"IF(s.is_licensable, 'yes', 'no'), IF(s.is_recognised, 'yes', 'no'), i.state, "
		"i.location, DATE_FORMAT(i.install_date, '%Y-%m-%d'), "
		"DATE_FORMAT(i.first_seen, '%Y-%m-%d %H:%i:%s'), "
		/* an open interval was last seen when its host was (see tu-store.h) */
		"DATE_FORMAT(h.last_seen, '%Y-%m-%d %H:%i:%s'), s.class, s.upstream_version "
		"FROM installations i JOIN hosts h ON h.id = i.host_id "
		"JOIN software s ON s.id = i.software_id "
		"WHERE {hosts} AND i.removed_at IS NULL "
		"ORDER BY h.hostname, h.id, s.source, s.raw_name, s.raw_version, i.id",
		"i.host_id", ids, error);
	if (pager == NULL)
		return FALSE;
	GError *local = NULL;
	while ((row = tu_db_pager_next (pager, &local)) != NULL) {
		for (guint c = 0; c < tu_inventory_n_columns; c++)
			tu_table_add_text_as_type (t, row[c]);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	if (local != NULL) {
		g_propagate_prefixed_error (error, local, "reading installations: ");
		return FALSE;
	}
	return TRUE;
}

const TuColumn tu_host_columns[] = {
	{"host", TU_COL_TEXT, 20},	    {"fqdn", TU_COL_TEXT, 26},
	{"machine_id", TU_COL_TEXT, 34},    {"os", TU_COL_TEXT, 28},
	{"os_version", TU_COL_TEXT, 12},    {"os_edition", TU_COL_TEXT, 14},
	{"kernel", TU_COL_TEXT, 18},	    {"arch", TU_COL_TEXT, 8},
	{"sockets", TU_COL_INT, 8},	    {"cores", TU_COL_INT, 8},
	{"threads", TU_COL_INT, 8},	    {"memory_mb", TU_COL_INT, 10},
	{"virtual", TU_COL_TEXT, 8},	    {"hypervisor", TU_COL_TEXT, 10},
	{"vendor", TU_COL_TEXT, 16},	    {"model", TU_COL_TEXT, 20},
	{"serial", TU_COL_TEXT, 16},	    {"ip_addresses", TU_COL_TEXT, 24},
	{"installations", TU_COL_INT, 12},  {"target", TU_COL_TEXT, 24},
	{"first_seen", TU_COL_DATETIME, 19}, {"last_seen", TU_COL_DATETIME, 19},
	{"last_scan", TU_COL_TEXT, 10},
};
const guint tu_host_n_columns = G_N_ELEMENTS (tu_host_columns);

gboolean
tu_report_write_hosts (TuDb *db, TuTable *t, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db,
		"SELECT h.hostname, h.fqdn, h.machine_id, COALESCE(h.os_pretty, h.os_name), "
		"h.os_version_id, h.os_edition, h.kernel, h.arch, h.cpu_sockets, h.cpu_cores, "
		"h.cpu_threads, ROUND(h.memory_bytes / 1048576), "
		"CASE h.is_virtual WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE NULL END, h.hypervisor, "
		"h.dmi_vendor, h.dmi_model, h.dmi_serial, h.ip_addresses, "
		"(SELECT COUNT(*) FROM installations i WHERE i.host_id = h.id AND i.removed_at IS NULL), "
		"h.target, DATE_FORMAT(h.first_seen, '%Y-%m-%d %H:%i:%s'), "
		"DATE_FORMAT(h.last_seen, '%Y-%m-%d %H:%i:%s'), "
		"(SELECT s.status FROM scans s WHERE s.host_id = h.id ORDER BY s.id DESC LIMIT 1) "
		"FROM hosts h ORDER BY h.hostname, h.id",
		error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		for (guint c = 0; c < tu_host_n_columns; c++)
			tu_table_add_text_as_type (t, row[c]);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

static const TuColumn product_columns[] = {
	{"publisher", TU_COL_TEXT, 22}, {"product", TU_COL_TEXT, 30},
	{"edition", TU_COL_TEXT, 16},	{"version", TU_COL_TEXT, 20},
	{"licensable", TU_COL_TEXT, 10}, {"recognised", TU_COL_TEXT, 10},
	{"hosts", TU_COL_INT, 8},	{"installations", TU_COL_INT, 12},
};

static gboolean
write_products (TuDb *db, TuTable *t, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query_stream (
		db,
		"SELECT s.publisher, s.product, s.edition, s.version, "
		"IF(MAX(s.is_licensable), 'yes', 'no'), IF(MAX(s.is_recognised), 'yes', 'no'), "
		"COUNT(DISTINCT i.host_id), COUNT(*) FROM installations i "
		"JOIN software s ON s.id = i.software_id WHERE i.removed_at IS NULL "
		"AND s.kind NOT IN ('update', 'language-pack') "
		"GROUP BY s.publisher, s.product, s.edition, s.version "
		"ORDER BY COUNT(DISTINCT i.host_id) DESC, s.publisher, s.product, s.edition, s.version",
		error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		for (guint c = 0; c < G_N_ELEMENTS (product_columns); c++)
			tu_table_add_text_as_type (t, row[c]);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
tu_report_inventory (TuDb *db, const char *path, const char *format, GPtrArray **files,
		     GError **error)
{
	g_autoptr(TuReport) r = tu_report_new (path, format, error);
	if (r == NULL)
		return FALSE;
	g_autoptr(TuTable) hosts = tu_report_sheet (r, "Hosts", tu_host_columns, tu_host_n_columns,
						    FALSE, NULL, error);
	if (hosts == NULL || !tu_report_write_hosts (db, hosts, error) ||
	    !tu_report_sheet_done (r, hosts, error))
		return FALSE;
	g_autoptr(TuTable) inst = tu_report_sheet (r, "Installations", tu_inventory_columns,
						   tu_inventory_n_columns, TRUE, NULL, error);
	if (inst == NULL || !tu_report_write_installations (db, inst, NULL, error) ||
	    !tu_report_sheet_done (r, inst, error))
		return FALSE;
	g_autoptr(TuTable) prods = tu_report_sheet (r, "Products", product_columns,
						    G_N_ELEMENTS (product_columns), FALSE, NULL, error);
	if (prods == NULL || !write_products (db, prods, error) ||
	    !tu_report_sheet_done (r, prods, error))
		return FALSE;
	return tu_report_close (r, files, error);
}
