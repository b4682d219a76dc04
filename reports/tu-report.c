/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The report container (xlsx workbook or a set of CSV files) and the inventory report. Every
 * file is written under a temporary name and renamed into place when the whole report
 * succeeded, so a failed report never leaves a half-written workbook where the last good one
 * was.
 *
 * The output directory may be shared with other users (a reports share), so no file is ever
 * opened there by a name someone else could have planted: the files are written into a
 * staging directory that this process creates (mkdirat, mode 0700, a random name; a planted
 * name makes mkdirat fail rather than be followed), reached only through its descriptor, and
 * renamed from it into the output directory's descriptor (rename replaces a planted symlink,
 * never writes through it). They get the user's umask, not the embedded server's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-report.h"

typedef struct {
	char *final_path;
	char *name; /* the file's name, in the staging and the output directory */
	FILE *fp;
} CsvFile;

struct _TuReport {
	TuReportFormat format;
	char *path;
	char *currency;	    /* of the money columns' titles, or NULL */
	char *name;	    /* basename of path */
	int dir_fd;	    /* the output directory */
	int stage_fd;	    /* the private staging directory inside it */
	char *stage_name;   /* its name in the output directory */
	TuWorkbook *wb;	    /* xlsx */
	GPtrArray *csv;	    /* CsvFile* */
	GHashTable *tables; /* TuTable* -> CsvFile* */
};

static void
csv_file_free (CsvFile *f)
{
	if (f->fp != NULL)
		fclose (f->fp);
	g_free (f->final_path);
	g_free (f->name);
	g_free (f);
}

/* A fresh staging directory in the output directory, private to this process. */
static gboolean
stage_open (TuReport *r, const char *dir, GError **error)
{
	r->dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dir_fd < 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", dir, g_strerror (saved));
		return FALSE;
	}
	for (guint attempt = 0; attempt < 100; attempt++) {
		g_autofree char *name = g_strdup_printf (".trueup-%08x%08x.tmp", g_random_int (),
							 g_random_int ());
		if (mkdirat (r->dir_fd, name, 0700) != 0) {
			if (errno == EEXIST)
				continue;
			int saved = errno;
			g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: cannot write here: %s", dir,
				     g_strerror (saved));
			return FALSE;
		}
		int fd = openat (r->dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat (fd, &st) != 0 || st.st_uid != geteuid () ||
		    (st.st_mode & 0077) != 0) {
			/* swapped between mkdirat and openat: not ours */
			if (fd >= 0)
				close (fd);
			g_set_error (error, TU_ERROR, TU_ERROR_IO,
				     "%s: the staging directory %s was replaced; refused", dir, name);
			return FALSE;
		}
		r->stage_fd = fd;
		r->stage_name = g_steal_pointer (&name);
		return TRUE;
	}
	g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: no free staging name", dir);
	return FALSE;
}

/* Remove the staging directory and whatever is still in it. */
static void
stage_remove (TuReport *r)
{
	if (r->stage_fd >= 0) {
		int fd = dup (r->stage_fd);
		DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
		struct dirent *de;
		while (d != NULL && (de = readdir (d)) != NULL) {
			if (g_strcmp0 (de->d_name, ".") != 0 && g_strcmp0 (de->d_name, "..") != 0)
				unlinkat (r->stage_fd, de->d_name, 0);
		}
		if (d != NULL)
			closedir (d);
		else if (fd >= 0)
			close (fd);
		close (r->stage_fd);
		r->stage_fd = -1;
	}
	if (r->stage_name != NULL && r->dir_fd >= 0)
		unlinkat (r->dir_fd, r->stage_name, AT_REMOVEDIR);
	g_clear_pointer (&r->stage_name, g_free);
}

/* The staging file @name as a path for libraries that open by name (libxlsxwriter): through
 * this process's descriptor of the staging directory, so no name in the shared directory is
 * looked up again. (transfer full) */
static char *
stage_path (TuReport *r, const char *name)
{
	g_autofree char *via_fd = g_strdup_printf ("/proc/self/fd/%d", r->stage_fd);
	if (g_file_test (via_fd, G_FILE_TEST_IS_DIR))
		return g_build_filename (via_fd, name, NULL);
	g_autofree char *dir = g_path_get_dirname (r->path);
	return g_build_filename (dir, r->stage_name, name, NULL);
}

/* Give a staged file the user's permissions and move it into place. */
static gboolean
stage_commit (TuReport *r, const char *name, const char *final_path, GError **error)
{
	if (fchmodat (r->stage_fd, name, tu_user_file_mode (), 0) != 0 ||
	    renameat (r->stage_fd, name, r->dir_fd, name) != 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", final_path, g_strerror (saved));
		return FALSE;
	}
	return TRUE;
}

TuReport *
tu_report_new (const char *path, const char *format, const TuReportInfo *info, GError **error)
{
	TuReportFormat fmt;
	g_autofree char *base = g_path_get_basename (path);
	const char *dot = strrchr (base, '.');
	if (format == NULL)
		fmt = dot != NULL && g_ascii_strcasecmp (dot, ".csv") == 0 ? TU_REPORT_CSV : TU_REPORT_XLSX;
	else if (g_ascii_strcasecmp (format, "xlsx") == 0)
		fmt = TU_REPORT_XLSX;
	else if (g_ascii_strcasecmp (format, "csv") == 0)
		fmt = TU_REPORT_CSV;
	else {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "--format %s: use xlsx or csv", format);
		return NULL;
	}
	const char *ext = fmt == TU_REPORT_CSV ? ".csv" : ".xlsx";
	g_autofree char *full = NULL;
	if (dot == NULL || dot == base) {
		full = g_strconcat (path, ext, NULL);
	} else if (g_ascii_strcasecmp (dot, ext) != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "%s: a %s report is written to a %s file (name it so, or leave the "
			     "extension out and %s is added)",
			     path, fmt == TU_REPORT_CSV ? "CSV" : "workbook", ext, ext);
		return NULL;
	} else {
		full = g_strdup (path);
	}
	g_autofree char *dir = g_path_get_dirname (full);
	if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: directory %s does not exist", full, dir);
		return NULL;
	}
	TuReport *r = g_new0 (TuReport, 1);
	r->format = fmt;
	r->path = g_steal_pointer (&full);
	r->name = g_path_get_basename (r->path);
	r->currency = info ? g_strdup (info->currency) : NULL;
	r->dir_fd = r->stage_fd = -1;
	r->csv = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_file_free);
	r->tables = g_hash_table_new (g_direct_hash, g_direct_equal);
	if (!stage_open (r, dir, error)) {
		tu_report_free (r);
		return NULL;
	}
	if (fmt == TU_REPORT_XLSX) {
		g_autofree char *staged = stage_path (r, r->name);
		r->wb = tu_workbook_new (staged, error);
		if (r->wb == NULL) {
			g_prefix_error (error, "%s: ", r->path);
			tu_report_free (r);
			return NULL;
		}
		if (info != NULL)
			tu_workbook_set_info (r->wb, info);
	}
	return r;
}

TuReport *
tu_report_new_for (const char *path, const char *format, const char *report, const char *subject,
		   guint32 as_of, guint32 since, const TuEstateScope *scope, const char *currency,
		   GError **error)
{
	g_autofree char *where = scope ? tu_estate_scope_describe (scope) : NULL;
	g_autofree char *fresh = scope ? tu_estate_scope_freshness (scope) : NULL;
	TuReportInfo info = {
		.report = report,
		.subject = subject,
		.as_of = as_of,
		.since = since,
		.scope = where,
		.freshness = fresh,
		.currency = currency,
	};
	return tu_report_new (path, format, &info, error);
}

const char *
tu_report_path (TuReport *r)
{
	return r->path;
}

void
tu_report_free (TuReport *r)
{
	if (r == NULL)
		return;
	if (r->wb != NULL)
		tu_workbook_free (r->wb);
	g_ptr_array_unref (r->csv);
	stage_remove (r); /* whatever was not committed */
	if (r->dir_fd >= 0)
		close (r->dir_fd);
	g_hash_table_unref (r->tables);
	g_free (r->path);
	g_free (r->currency);
	g_free (r->name);
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
		 gboolean is_main, const char *note, GError **error)
{
	if (r->format == TU_REPORT_XLSX)
		return tu_table_new_sheet (r->wb, name, columns, n_columns, note);
	CsvFile *f = g_new0 (CsvFile, 1);
	f->final_path = is_main ? g_strdup (r->path) : sheet_csv_path (r->path, name);
	f->name = g_path_get_basename (f->final_path);
	int fd = openat (r->stage_fd, f->name,
			 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	f->fp = fd >= 0 ? fdopen (fd, "w") : NULL;
	if (f->fp == NULL) {
		int saved = errno;
		if (fd >= 0)
			close (fd);
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", f->final_path, g_strerror (saved));
		csv_file_free (f);
		return NULL;
	}
	g_ptr_array_add (r->csv, f);
	/* a CSV report is read by people and spreadsheets: the header has the titles */
	g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
	g_autofree TuColumn *titled = g_new0 (TuColumn, MAX (n_columns, 1));
	for (guint i = 0; i < n_columns; i++) {
		titled[i] = columns[i];
		titled[i].name = tu_column_title (&columns[i], r->currency);
		g_ptr_array_add (titles, (char *) titled[i].name);
	}
	TuTable *t = tu_table_new_csv (f->fp, titled, n_columns);
	tu_table_set_currency (t, r->currency);
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
			g_prefix_error (error, "%s: ", r->path);
			return FALSE;
		}
		if (!stage_commit (r, r->name, r->path, error))
			return FALSE;
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
			if (!stage_commit (r, f->name, f->final_path, error))
				return FALSE;
			g_ptr_array_add (written, g_strdup (f->final_path));
		}
	}
	stage_remove (r);
	if (files != NULL)
		*files = g_steal_pointer (&written);
	return TRUE;
}

/* ---------------------------------------------------------------- inventory ------------ */

/* the columns of tu_query_installations (store/tu-query.h), by its indexes, with their titles */
const TuColumn tu_inventory_columns[] = {
	[TU_Q_INST_HOST] = {"host", TU_COL_TEXT, 24, "Host"},
	[TU_Q_INST_SOURCE] = {"source", TU_COL_TEXT, 10, "Source", TU_COL_NO_TEXT},
	[TU_Q_INST_RAW_NAME] = {"raw_name", TU_COL_TEXT, 40, "Name as found"},
	[TU_Q_INST_RAW_VERSION] = {"raw_version", TU_COL_TEXT, 24, "Version as found"},
	[TU_Q_INST_RAW_PUBLISHER] = {"raw_publisher", TU_COL_TEXT, 28,
				     "Publisher as found", TU_COL_NO_TEXT},
	[TU_Q_INST_ARCH] = {"arch", TU_COL_TEXT, 8, "Architecture", TU_COL_NO_TEXT},
	[TU_Q_INST_PUBLISHER] = {"publisher", TU_COL_TEXT, 24, "Publisher"},
	[TU_Q_INST_PRODUCT] = {"product", TU_COL_TEXT, 32, "Product"},
	[TU_Q_INST_EDITION] = {"edition", TU_COL_TEXT, 20, "Edition"},
	[TU_Q_INST_RELEASE] = {"release", TU_COL_TEXT, 10, "Release", TU_COL_NO_TEXT},
	[TU_Q_INST_VERSION] = {"version", TU_COL_TEXT, 24, "Version"},
	[TU_Q_INST_SCHEME] = {"scheme", TU_COL_TEXT, 8, "Version scheme", TU_COL_NO_TEXT},
	[TU_Q_INST_KIND] = {"kind", TU_COL_TEXT, 12, "Kind", TU_COL_NO_TEXT},
	[TU_Q_INST_LICENSABLE] = {"licensable", TU_COL_TEXT, 10, "Licensable"},
	[TU_Q_INST_RECOGNISED] = {"recognised", TU_COL_TEXT, 10, "Recognised", TU_COL_NO_TEXT},
	[TU_Q_INST_STATE] = {"state", TU_COL_TEXT, 10, "State", TU_COL_NO_TEXT},
	[TU_Q_INST_LOCATION] = {"location", TU_COL_TEXT, 36, "Location", TU_COL_NO_TEXT},
	[TU_Q_INST_INSTALL_DATE] = {"install_date", TU_COL_DATE, 0, "Installed on", TU_COL_NO_TEXT},
	[TU_Q_INST_FIRST_SEEN] = {"first_seen", TU_COL_DATETIME, 0,
				  "First seen (UTC)", TU_COL_NO_TEXT},
	[TU_Q_INST_LAST_SEEN] = {"last_seen", TU_COL_DATETIME, 0,
				 "Last seen (UTC)", TU_COL_NO_TEXT},
	[TU_Q_INST_CLASS] = {"class", TU_COL_TEXT, 12, "Class"},
	[TU_Q_INST_UPSTREAM_VERSION] = {"upstream_version", TU_COL_TEXT, 20,
					"Upstream version", TU_COL_NO_TEXT},
};
const guint tu_inventory_n_columns = G_N_ELEMENTS (tu_inventory_columns);
G_STATIC_ASSERT (G_N_ELEMENTS (tu_inventory_columns) == TU_Q_INST_N);

/* Every row of @rows into @t, each cell converted for its column's type, with a row style
 * from @style (nullable). */
static gboolean
write_rows (TuTable *t, TuRows *rows, TuRowStyle (*style) (char **row), GError **error)
{
	guint n_columns = tu_rows_n_columns (rows);
	GError *local = NULL;
	char **row;
	while ((row = tu_rows_next (rows, &local)) != NULL) {
		if (style != NULL)
			tu_table_set_row_style (t, style (row));
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

gboolean
tu_report_write_installations (TuTable *t, TuRows *installations, GError **error)
{
	return write_rows (t, installations, NULL, error);
}

/* the columns of tu_query_hosts (store/tu-query.h), by its indexes, with their titles */
const TuColumn tu_host_columns[] = {
	[TU_Q_HOST_NAME] = {"host", TU_COL_TEXT, 24, "Host"},
	[TU_Q_HOST_FQDN] = {"fqdn", TU_COL_TEXT, 24, "Fully qualified name", TU_COL_NO_TEXT},
	[TU_Q_HOST_MACHINE_ID] = {"machine_id", TU_COL_TEXT, 18, "Machine ID", TU_COL_NO_TEXT},
	[TU_Q_HOST_OS] = {"os", TU_COL_TEXT, 28, "Operating system"},
	[TU_Q_HOST_OS_VERSION] = {"os_version", TU_COL_TEXT, 12, "OS version", TU_COL_NO_TEXT},
	[TU_Q_HOST_OS_EDITION] = {"os_edition", TU_COL_TEXT, 16, "OS edition", TU_COL_NO_TEXT},
	[TU_Q_HOST_KERNEL] = {"kernel", TU_COL_TEXT, 20, "Kernel", TU_COL_NO_TEXT},
	[TU_Q_HOST_ARCH] = {"arch", TU_COL_TEXT, 8, "Architecture", TU_COL_NO_TEXT},
	[TU_Q_HOST_SOCKETS] = {"sockets", TU_COL_INT, 0,
			       "CPU sockets", TU_COL_SUM | TU_COL_NO_TEXT},
	[TU_Q_HOST_CORES] = {"cores", TU_COL_INT, 0, "CPU cores", TU_COL_SUM},
	[TU_Q_HOST_THREADS] = {"threads", TU_COL_INT, 0,
			       "CPU threads", TU_COL_SUM | TU_COL_NO_TEXT},
	[TU_Q_HOST_MEMORY_MB] = {"memory_mb", TU_COL_INT, 0, "Memory (MB)", TU_COL_SUM},
	[TU_Q_HOST_VIRTUAL] = {"virtual", TU_COL_TEXT, 8, "Virtual", TU_COL_NO_TEXT},
	[TU_Q_HOST_HYPERVISOR] = {"hypervisor", TU_COL_TEXT, 12, "Hypervisor", TU_COL_NO_TEXT},
	[TU_Q_HOST_VENDOR] = {"vendor", TU_COL_TEXT, 20, "Hardware vendor", TU_COL_NO_TEXT},
	[TU_Q_HOST_MODEL] = {"model", TU_COL_TEXT, 24, "Model", TU_COL_NO_TEXT},
	[TU_Q_HOST_SERIAL] = {"serial", TU_COL_TEXT, 20, "Serial number", TU_COL_NO_TEXT},
	[TU_Q_HOST_IP_ADDRESSES] = {"ip_addresses", TU_COL_TEXT, 18,
				    "IP addresses", TU_COL_NO_TEXT},
	[TU_Q_HOST_INSTALLATIONS] = {"installations", TU_COL_INT, 0, "Installations", TU_COL_SUM},
	[TU_Q_HOST_TARGET] = {"target", TU_COL_TEXT, 24, "Scanned through", TU_COL_NO_TEXT},
	[TU_Q_HOST_FIRST_SEEN] = {"first_seen", TU_COL_DATETIME, 0,
				  "First seen (UTC)", TU_COL_NO_TEXT},
	[TU_Q_HOST_LAST_SEEN] = {"last_seen", TU_COL_DATETIME, 0, "Last seen (UTC)"},
	[TU_Q_HOST_LAST_SCAN] = {"last_scan", TU_COL_TEXT, 10, "Last scan", TU_COL_STATUS},
};
const guint tu_host_n_columns = G_N_ELEMENTS (tu_host_columns);
G_STATIC_ASSERT (G_N_ELEMENTS (tu_host_columns) == TU_Q_HOST_N);

/* a host whose last scan failed stands out */
static TuRowStyle
host_style (char **row)
{
	const char *status = row[TU_Q_HOST_LAST_SCAN];
	return status != NULL && g_strcmp0 (status, "ok") != 0 ? TU_ROW_RED : TU_ROW_PLAIN;
}

gboolean
tu_report_write_hosts (TuTable *t, TuRows *hosts, GError **error)
{
	return write_rows (t, hosts, host_style, error);
}

/* the columns of tu_query_products (store/tu-query.h), by its indexes, with their titles */
static const TuColumn product_columns[] = {
	[TU_Q_PROD_PUBLISHER] = {"publisher", TU_COL_TEXT, 28, "Publisher"},
	[TU_Q_PROD_PRODUCT] = {"product", TU_COL_TEXT, 36, "Product"},
	[TU_Q_PROD_EDITION] = {"edition", TU_COL_TEXT, 20, "Edition"},
	[TU_Q_PROD_VERSION] = {"version", TU_COL_TEXT, 24, "Version"},
	[TU_Q_PROD_LICENSABLE] = {"licensable", TU_COL_TEXT, 10, "Licensable"},
	[TU_Q_PROD_RECOGNISED] = {"recognised", TU_COL_TEXT, 10, "Recognised"},
	[TU_Q_PROD_HOSTS] = {"hosts", TU_COL_INT, 0, "Hosts"},
	[TU_Q_PROD_INSTALLATIONS] = {"installations", TU_COL_INT, 0, "Installations"},
};
G_STATIC_ASSERT (G_N_ELEMENTS (product_columns) == TU_Q_PROD_N);

gboolean
tu_report_inventory (TuRows *hosts_rows, TuRows *installations, TuRows *products,
		     const TuEstateScope *scope, const char *path, const char *format,
		     GPtrArray **files, GError **error)
{
	g_autoptr(TuReport) r = tu_report_new_for (
		path, format, "Software inventory",
		"The hosts, the software installed on them and the products it is", tu_date_today (), 0,
		scope, NULL, error);
	if (r == NULL)
		return FALSE;
	g_autoptr(TuTable) hosts = tu_report_sheet (r, "Hosts", tu_host_columns, tu_host_n_columns,
						    FALSE, "One row per host, with its facts", error);
	if (hosts == NULL || !tu_report_write_hosts (hosts, hosts_rows, error) ||
	    !tu_report_sheet_done (r, hosts, error))
		return FALSE;
	g_autoptr(TuTable) inst = tu_report_sheet (
		r, "Installations", tu_inventory_columns, tu_inventory_n_columns, TRUE,
		"Every installation present, as found and as recognised", error);
	if (inst == NULL || !tu_report_write_installations (inst, installations, error) ||
	    !tu_report_sheet_done (r, inst, error))
		return FALSE;
	g_autoptr(TuTable) prods = tu_report_sheet (
		r, "Products", product_columns, G_N_ELEMENTS (product_columns), FALSE,
		"Each product and version with the hosts that have it, most widespread first", error);
	if (prods == NULL || !write_rows (prods, products, NULL, error) ||
	    !tu_report_sheet_done (r, prods, error))
		return FALSE;
	return tu_report_close (r, files, error);
}
