/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * osquery results, in the two shapes osquery writes them:
 *  - the plain array `osqueryi --json "SELECT * FROM programs"` prints (every value a
 *    string). It names no host: the host is named after the file, with a warning;
 *  - osqueryd result logs (filesystem logger): one JSON object per line with name,
 *    hostIdentifier, calendarTime, decorations, and either "snapshot" (the whole result), or
 *    "columns" + "action" (event format), or "diffResults" {added, removed} (batch format).
 *    Lines are grouped by host; per host and query the last snapshot wins, and differential
 *    results are replayed (added, then removed) from the query's first run (counter 0): a
 *    log that starts later holds changes only, not a list, and is refused.
 *
 * The table is recognised by its columns, never by the query's name (packs name queries
 * freely). Each table keeps its own meaning: deb_packages follows dpkg (only "installed"
 * status counts, Source is the source package, size is in KiB), rpm_packages is composed
 * into EPOCH:VERSION-RELEASE as rpm prints it, and so on; the record's source stays
 * "osquery", and where the table is a package ecosystem a package URL (pkg:deb, pkg:rpm,
 * pkg:pypi, pkg:npm) says which, so that the normaliser can pick the version scheme. The
 * system_info and os_version tables fill host facts.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-json.h"
#include "tu-sources.h"

/* ---- JSON helpers (the same in each import parser: see tu-scan-windows.c) -------------- */

static guint
line_at (const char *text, gsize offset)
{
	guint line = 1;
	for (gsize i = 0; i < offset; i++)
		line += text[i] == '\n';
	return line;
}

/* A column's value as text: osqueryi writes strings, numeric logs write numbers. */
static const char *
col (JsonObject *o, const char *name, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;
	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
		return NULL;
	switch (json_node_get_value_type (n)) {
	case G_TYPE_STRING:
		return json_node_get_string (n);
	case G_TYPE_INT64:
		g_snprintf (buf, G_ASCII_DTOSTR_BUF_SIZE, "%" G_GINT64_FORMAT, json_node_get_int (n));
		return buf;
	case G_TYPE_DOUBLE:
		return g_ascii_dtostr (buf, G_ASCII_DTOSTR_BUF_SIZE, json_node_get_double (n));
	case G_TYPE_BOOLEAN:
		return json_node_get_boolean (n) ? "1" : "0";
	default:
		return NULL;
	}
}

/* A cleaned copy of a column; empty strings become NULL (osquery writes "" for unknown). */
static char *
col_dup (JsonObject *o, const char *name)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	const char *v = col (o, name, buf);
	if (v == NULL || *v == '\0')
		return NULL;
	return tu_scan_clean_field (v, -1);
}

static gint64
col_int (JsonObject *o, const char *name)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	const char *v = col (o, name, buf);
	guint64 n = 0;
	if (v == NULL || !g_ascii_string_to_unsigned (v, 10, 0, G_MAXINT64, &n, NULL))
		return -1;
	return (gint64) n;
}

/* ---- tables ----------------------------------------------------------------------------- */

typedef enum {
	TABLE_UNKNOWN,
	TABLE_PROGRAMS,
	TABLE_DEB,
	TABLE_RPM,
	TABLE_APPS,
	TABLE_PYTHON,
	TABLE_NPM,
	TABLE_CHOCOLATEY,
	TABLE_HOMEBREW,
	TABLE_PORTAGE,
	TABLE_SYSTEM_INFO,
	TABLE_OS_VERSION,
} Table;

static const char *const table_names[] = {
	"unknown",	"programs",	 "deb_packages",	"rpm_packages",
	"apps",		"python_packages", "npm_packages",	"chocolatey_packages",
	"homebrew_packages", "portage_packages", "system_info", "os_version",
};

static gboolean
has (JsonObject *o, const char *name)
{
	return json_object_has_member (o, name);
}

/* The table a row comes from, by the columns only that table has. */
static Table
table_of (JsonObject *row)
{
	if (has (row, "identifying_number") || (has (row, "uninstall_string") && has (row, "publisher")))
		return TABLE_PROGRAMS;
	if (has (row, "revision") && (has (row, "maintainer") || has (row, "admindir")))
		return TABLE_DEB;
	if (has (row, "release") && (has (row, "epoch") || has (row, "package_group") || has (row, "sha1")))
		return TABLE_RPM;
	if (has (row, "bundle_identifier") || has (row, "bundle_short_version"))
		return TABLE_APPS;
	if (has (row, "slot") && has (row, "eapi"))
		return TABLE_PORTAGE;
	if (has (row, "auto_updated") || (has (row, "type") && has (row, "app_name")))
		return TABLE_HOMEBREW;
	if (has (row, "homepage") && has (row, "description"))
		return TABLE_NPM;
	if (has (row, "summary") && has (row, "directory"))
		return TABLE_PYTHON;
	if (has (row, "summary") && has (row, "author") && has (row, "path"))
		return TABLE_CHOCOLATEY;
	if (has (row, "cpu_brand") || has (row, "hardware_serial") || has (row, "cpu_logical_cores"))
		return TABLE_SYSTEM_INFO;
	if (has (row, "platform") && has (row, "major") && has (row, "minor"))
		return TABLE_OS_VERSION;
	return TABLE_UNKNOWN;
}

static gboolean
is_software (Table t)
{
	return t >= TABLE_PROGRAMS && t <= TABLE_PORTAGE;
}

/* Percent-encode a purl component (RFC 3986 unreserved kept). */
static void
purl_append (GString *out, const char *s)
{
	for (; *s != '\0'; s++) {
		guchar c = (guchar) *s;
		if (g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_' || c == '~')
			g_string_append_c (out, (char) c);
		else
			g_string_append_printf (out, "%%%02X", c);
	}
}

static char *
make_purl (const char *type, const char *name, const char *version, const char *arch,
	   const char *epoch)
{
	GString *p = g_string_new ("pkg:");
	g_string_append (p, type);
	g_string_append_c (p, '/');
	if (name[0] == '@' && strchr (name, '/') != NULL) {
		/* npm scope: the namespace */
		const char *slash = strchr (name, '/');
		g_autofree char *scope = g_strndup (name, (gsize) (slash - name));
		purl_append (p, scope);
		g_string_append_c (p, '/');
		purl_append (p, slash + 1);
	} else {
		purl_append (p, name);
	}
	if (version != NULL) {
		g_string_append_c (p, '@');
		purl_append (p, version);
	}
	char sep = '?';
	if (arch != NULL) {
		g_string_append_printf (p, "%carch=", sep);
		purl_append (p, arch);
		sep = '&';
	}
	if (epoch != NULL) {
		g_string_append_printf (p, "%cepoch=", sep);
		purl_append (p, epoch);
	}
	return g_string_free (p, FALSE);
}

/* "20170502" -> "2017-05-02" */
static gboolean
ymd_date (const char *s, char out[11])
{
	if (s == NULL || strlen (s) != 8)
		return FALSE;
	for (guint i = 0; i < 8; i++) {
		if (!g_ascii_isdigit (s[i]))
			return FALSE;
	}
	guint y = (guint) ((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
	guint m = (guint) ((s[4] - '0') * 10 + (s[5] - '0'));
	guint d = (guint) ((s[6] - '0') * 10 + (s[7] - '0'));
	if (y < 1980 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
		return FALSE;
	g_snprintf (out, 11, "%04u-%02u-%02u", y, m, d);
	return TRUE;
}

/* The source package of an rpm's SOURCERPM "bash-5.1.8-6.el9.src.rpm": "bash". */
static char *
srpm_name (const char *srpm)
{
	if (srpm == NULL || !g_str_has_suffix (srpm, ".src.rpm"))
		return NULL;
	g_autofree char *s = g_strndup (srpm, strlen (srpm) - 8);
	for (guint i = 0; i < 2; i++) {
		char *dash = strrchr (s, '-');
		if (dash == NULL || dash == s)
			return NULL;
		*dash = '\0';
	}
	return g_steal_pointer (&s);
}

/* Append the record of one software row of table @t (or skip it). */
static void
emit_row (JsonObject *row, Table t, const char *path, guint line, TuHostScan *scan)
{
	g_autofree char *name = col_dup (row, t == TABLE_PORTAGE ? "package" : "name");
	if (name == NULL) {
		tu_scan_warn_at (scan, path, line, "%s row without a name (skipped)", table_names[t]);
		return;
	}
	g_autofree char *version = col_dup (row, "version");
	g_autofree char *composed = NULL;
	g_autofree char *publisher = NULL;
	g_autofree char *arch = NULL;
	g_autofree char *location = NULL;
	g_autofree char *srcpkg = NULL;
	g_autofree char *license = NULL;
	g_autofree char *purl = NULL;
	char date[11];
	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_OSQUERY;
	switch (t) {
	case TABLE_PROGRAMS: {
		/* the Uninstall keys as osquery reads them */
		publisher = col_dup (row, "publisher");
		location = col_dup (row, "install_location");
		g_autofree char *d = col_dup (row, "install_date");
		if (ymd_date (d, date))
			r.install_date = date;
		break;
	}
	case TABLE_DEB: {
		g_autofree char *status = col_dup (row, "status");
		/* dpkg: only "installed" is installed (osquery lists config-files too) */
		if (status != NULL && !g_str_has_suffix (status, " installed"))
			return;
		publisher = col_dup (row, "maintainer");
		arch = col_dup (row, "arch");
		g_autofree char *src = col_dup (row, "source");
		if (src != NULL)
			srcpkg = g_strndup (src, strcspn (src, " "));
		gint64 kib = col_int (row, "size");
		if (kib > 0 && kib < G_MAXINT64 / 1024)
			r.size_bytes = kib * 1024;
		if (version != NULL)
			purl = make_purl ("deb", name, version, arch, NULL);
		break;
	}
	case TABLE_RPM: {
		g_autofree char *release = col_dup (row, "release");
		g_autofree char *epoch = col_dup (row, "epoch");
		if (epoch != NULL && strcmp (epoch, "0") == 0)
			g_clear_pointer (&epoch, g_free);
		if (version != NULL) {
			composed = g_strdup_printf ("%s%s%s%s%s", epoch ? epoch : "", epoch ? ":" : "",
						    version, release ? "-" : "", release ? release : "");
			g_autofree char *vr = g_strdup_printf ("%s%s%s", version, release ? "-" : "",
							       release ? release : "");
			arch = col_dup (row, "arch");
			purl = make_purl ("rpm", name, vr, arch, epoch);
		} else {
			arch = col_dup (row, "arch");
		}
		publisher = col_dup (row, "vendor");
		g_autofree char *src = col_dup (row, "source");
		srcpkg = srpm_name (src);
		gint64 size = col_int (row, "size");
		if (size > 0)
			r.size_bytes = size;
		break;
	}
	case TABLE_APPS:
		g_clear_pointer (&version, g_free);
		version = col_dup (row, "bundle_short_version");
		if (version == NULL)
			version = col_dup (row, "bundle_version");
		location = col_dup (row, "path");
		break;
	case TABLE_PYTHON:
	case TABLE_NPM:
		publisher = col_dup (row, "author");
		license = col_dup (row, "license");
		location = col_dup (row, "path");
		if (version != NULL) {
			g_autofree char *pname = t == TABLE_PYTHON ? g_ascii_strdown (name, -1) : NULL;
			if (pname != NULL)
				g_strdelimit (pname, "_.", '-');
			purl = make_purl (t == TABLE_PYTHON ? "pypi" : "npm", pname ? pname : name,
					  version, NULL, NULL);
		}
		break;
	case TABLE_CHOCOLATEY:
		publisher = col_dup (row, "author");
		license = col_dup (row, "license");
		location = col_dup (row, "path");
		break;
	case TABLE_HOMEBREW:
	case TABLE_PORTAGE:
		location = col_dup (row, "path");
		break;
	default:
		return;
	}
	r.raw_name = name;
	r.raw_version = composed ? composed : version;
	r.raw_publisher = publisher;
	r.arch = arch;
	r.location = location;
	r.source_package = srcpkg;
	r.license = license;
	r.purl = purl;
	tu_record_list_add (scan->records, &r);
}

static void
facts_from_row (JsonObject *row, Table t, TuHostFacts *f)
{
	g_autofree char *a = NULL, *b = NULL;
	if (t == TABLE_SYSTEM_INFO) {
		a = col_dup (row, "hostname");
		if (a != NULL && strchr (a, '.') != NULL) {
			tu_host_facts_set (&f->fqdn, a);
			g_autofree char *short_name = g_strndup (a, strcspn (a, "."));
			if (f->hostname == NULL)
				tu_host_facts_set (&f->hostname, short_name);
		} else if (f->hostname == NULL) {
			tu_host_facts_set (&f->hostname, a);
		}
		g_autofree char *uuid = col_dup (row, "uuid");
		tu_host_facts_set (&f->machine_id, uuid);
		g_autofree char *cpu = col_dup (row, "cpu_brand");
		tu_host_facts_set (&f->cpu_model, cpu);
		g_autofree char *vendor = col_dup (row, "hardware_vendor");
		tu_host_facts_set (&f->dmi_vendor, vendor);
		g_autofree char *model = col_dup (row, "hardware_model");
		tu_host_facts_set (&f->dmi_model, model);
		g_autofree char *serial = col_dup (row, "hardware_serial");
		tu_host_facts_set (&f->dmi_serial, serial);
		gint64 v = col_int (row, "cpu_physical_cores");
		f->cores = v > 0 && v < G_MAXINT ? (gint) v : f->cores;
		v = col_int (row, "cpu_logical_cores");
		f->threads = v > 0 && v < G_MAXINT ? (gint) v : f->threads;
		v = col_int (row, "cpu_sockets");
		f->sockets = v > 0 && v < G_MAXINT ? (gint) v : f->sockets;
		v = col_int (row, "physical_memory");
		f->memory_bytes = v > 0 ? v : f->memory_bytes;
	} else if (t == TABLE_OS_VERSION) {
		a = col_dup (row, "name");
		tu_host_facts_set (&f->os_name, a);
		b = col_dup (row, "version");
		tu_host_facts_set (&f->os_version, b);
		g_autofree char *build = col_dup (row, "build");
		tu_host_facts_set (&f->os_version_id, build);
		g_autofree char *platform = col_dup (row, "platform");
		if (platform != NULL && strcmp (platform, "darwin") == 0)
			tu_host_facts_set (&f->os_id, "macos");
		else
			tu_host_facts_set (&f->os_id, platform);
		g_autofree char *like = col_dup (row, "platform_like");
		tu_host_facts_set (&f->os_like, like);
		g_autofree char *arch = col_dup (row, "arch");
		tu_host_facts_set (&f->arch, arch);
	}
}

/* Records or facts from one query's rows (all of one table). Unknown tables: a warning. */
static void
emit_rows (GPtrArray *rows, GArray *lines, const char *query, const char *path, TuHostScan *scan,
	   guint *n_software)
{
	Table t = TABLE_UNKNOWN;
	for (guint i = 0; i < rows->len; i++) {
		JsonObject *row = g_ptr_array_index (rows, i);
		guint line = g_array_index (lines, guint, i);
		if (i == 0 || t == TABLE_UNKNOWN)
			t = table_of (row);
		if (is_software (t)) {
			emit_row (row, t, path, line, scan);
			(*n_software)++;
		} else if (t != TABLE_UNKNOWN) {
			facts_from_row (row, t, &scan->facts);
		}
	}
	if (rows->len > 0 && t == TABLE_UNKNOWN)
		tu_scan_warn_at (scan, path, g_array_index (lines, guint, 0),
				 "query \"%s\": columns of no known osquery table (skipped)",
				 query ? query : "(unnamed)");
}

static GList *
sorted_members (JsonObject *o)
{
	return g_list_sort (json_object_get_members (o), (GCompareFunc) strcmp);
}

/* ---- plain arrays ----------------------------------------------------------------------- */

static gboolean
parse_array (JsonArray *a, const char *path, GPtrArray *hosts, GError **error)
{
	guint n = json_array_get_length (a);
	if (n == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: an empty osquery result: no columns to recognise the table by", path);
		return FALSE;
	}
	g_autoptr(GPtrArray) rows = g_ptr_array_new ();
	g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (guint));
	for (guint i = 0; i < n; i++) {
		JsonNode *node = json_array_get_element (a, i);
		if (!JSON_NODE_HOLDS_OBJECT (node)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: [%u]: not an object (a row)", path, i);
			return FALSE;
		}
		g_ptr_array_add (rows, json_node_get_object (node));
		guint zero = 0;
		g_array_append_val (lines, zero);
	}
	Table t = table_of (g_ptr_array_index (rows, 0));
	if (!is_software (t)) {
		g_autoptr(GString) cols = g_string_new (NULL);
		GList *members = sorted_members (g_ptr_array_index (rows, 0));
		for (GList *l = members; l != NULL; l = l->next)
			g_string_append_printf (cols, "%s%s", cols->len ? ", " : "", (char *) l->data);
		g_list_free (members);
		g_autofree char *shown = tu_scan_clean_field (cols->str, MIN ((gssize) cols->len, 200));
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: the columns (%s) are of no osquery software table trueup knows "
			     "(programs, deb_packages, rpm_packages, apps, python_packages, "
			     "npm_packages, chocolatey_packages, homebrew_packages, portage_packages)",
			     path, shown);
		return FALSE;
	}
	g_autofree char *target = g_strdup_printf ("import:%s", path);
	TuHostScan *scan = tu_host_scan_new (target);
	g_autofree char *base = g_path_get_basename (path);
	char *dot = strrchr (base, '.');
	if (dot != NULL && dot != base)
		*dot = '\0';
	g_autofree char *host = tu_scan_clean_field (base, -1);
	tu_host_facts_set (&scan->facts.hostname, host);
	tu_host_scan_warn (scan,
			   "%s: osqueryi output names no host: host name \"%s\" taken from the file name",
			   path, host);
	guint n_software = 0;
	emit_rows (rows, lines, table_names[t], path, scan, &n_software);
	scan->finished_us = g_get_real_time ();
	g_ptr_array_add (hosts, scan);
	return TRUE;
}

/* ---- result logs ------------------------------------------------------------------------ */

/* One query's current result for one host. Rows are appended as they come; the index says
 * which of them are still current (a removal drops the key, a re-add points it at the newer
 * row), so replaying a long differential log stays linear. */
typedef struct {
	char *name;
	GPtrArray *rows;      /* JsonObject* (refs) */
	GPtrArray *keys;      /* char*, the canonical text of each row */
	GArray *lines;	      /* guint, the log line each row came from */
	GHashTable *index;    /* key (borrowed from keys) -> the current JsonObject* */
	gboolean started;
	gint64 epoch;
} Query;

static void
query_free (Query *q)
{
	g_free (q->name);
	g_hash_table_unref (q->index);
	g_ptr_array_unref (q->rows);
	g_ptr_array_unref (q->keys);
	g_array_unref (q->lines);
	g_free (q);
}

static void
query_reset (Query *q)
{
	g_hash_table_remove_all (q->index);
	g_ptr_array_set_size (q->rows, 0);
	g_ptr_array_set_size (q->keys, 0);
	g_array_set_size (q->lines, 0);
}

typedef struct {
	TuHostScan *scan;
	GPtrArray *queries;	 /* Query*, in order of appearance */
	GHashTable *by_name;	 /* name -> Query* */
} Host;

static void
host_free (Host *h)
{
	if (h->scan != NULL)
		tu_host_scan_free (h->scan);
	g_ptr_array_unref (h->queries);
	g_hash_table_unref (h->by_name);
	g_free (h);
}

static char *
row_key (JsonObject *row)
{
	GString *k = g_string_new (NULL);
	GList *members = sorted_members (row);
	for (GList *l = members; l != NULL; l = l->next) {
		char buf[G_ASCII_DTOSTR_BUF_SIZE];
		const char *v = col (row, l->data, buf);
		g_string_append (k, l->data);
		g_string_append_c (k, '\x1f');
		g_string_append (k, v ? v : "");
		g_string_append_c (k, '\x1e');
	}
	g_list_free (members);
	return g_string_free (k, FALSE);
}

static void
query_add (Query *q, JsonObject *row, guint line)
{
	char *k = row_key (row);
	g_ptr_array_add (q->keys, k);
	g_ptr_array_add (q->rows, json_object_ref (row));
	g_array_append_val (q->lines, line);
	g_hash_table_insert (q->index, k, row);
}

static void
query_remove (Query *q, JsonObject *row)
{
	g_autofree char *k = row_key (row);
	g_hash_table_remove (q->index, k);
}

/* The rows still current, in the order they came. */
static void
query_current (Query *q, GPtrArray *rows, GArray *lines)
{
	for (guint i = 0; i < q->rows->len; i++) {
		JsonObject *row = g_ptr_array_index (q->rows, i);
		if (g_hash_table_lookup (q->index, g_ptr_array_index (q->keys, i)) != row)
			continue;
		g_ptr_array_add (rows, row);
		g_array_append_val (lines, g_array_index (q->lines, guint, i));
	}
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);
	return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static gboolean
add_rows (Query *q, JsonArray *a, gboolean remove, const char *path, guint line, GError **error)
{
	for (guint i = 0; a != NULL && i < json_array_get_length (a); i++) {
		JsonNode *n = json_array_get_element (a, i);
		if (!JSON_NODE_HOLDS_OBJECT (n)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: query \"%s\": row %u is not an object", path, line, q->name, i);
			return FALSE;
		}
		if (remove)
			query_remove (q, json_node_get_object (n));
		else
			query_add (q, json_node_get_object (n), line);
	}
	return TRUE;
}

static gboolean
parse_log_line (JsonObject *o, const char *path, guint line, GPtrArray *host_list,
		GHashTable *hosts_by_id, GError **error)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	const char *host_id = col (o, "hostIdentifier", buf);
	if (host_id == NULL || *host_id == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: not an osquery result line (no hostIdentifier)", path, line);
		return FALSE;
	}
	char nbuf[G_ASCII_DTOSTR_BUF_SIZE];
	const char *qname = col (o, "name", nbuf);
	if (qname == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: osquery result line without a query name", path, line);
		return FALSE;
	}
	Host *h = g_hash_table_lookup (hosts_by_id, host_id);
	if (h == NULL) {
		h = g_new0 (Host, 1);
		g_autofree char *target = g_strdup_printf ("import:%s", path);
		h->scan = tu_host_scan_new (target);
		h->queries = g_ptr_array_new_with_free_func ((GDestroyNotify) query_free);
		h->by_name = g_hash_table_new (g_str_hash, g_str_equal);
		g_autofree char *id = tu_scan_clean_field (host_id, -1);
		tu_host_facts_set (&h->scan->facts.hostname, id);
		g_hash_table_insert (hosts_by_id, g_strdup (host_id), h);
		g_ptr_array_add (host_list, h);
	}
	/* decorations: the usual host_uuid / hostname decorators */
	JsonNode *dn = json_object_get_member (o, "decorations");
	if (dn != NULL && JSON_NODE_HOLDS_OBJECT (dn)) {
		JsonObject *d = json_node_get_object (dn);
		g_autofree char *uuid = col_dup (d, "host_uuid");
		if (uuid == NULL)
			uuid = col_dup (d, "uuid");
		if (uuid != NULL)
			tu_host_facts_set (&h->scan->facts.machine_id, uuid);
		g_autofree char *hn = col_dup (d, "hostname");
		if (hn != NULL)
			tu_host_facts_set (&h->scan->facts.hostname, hn);
	}
	Query *q = g_hash_table_lookup (h->by_name, qname);
	if (q == NULL) {
		q = g_new0 (Query, 1);
		q->name = g_strdup (qname);
		q->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
		q->keys = g_ptr_array_new_with_free_func (g_free);
		q->lines = g_array_new (FALSE, TRUE, sizeof (guint));
		q->index = g_hash_table_new (g_str_hash, g_str_equal);
		q->epoch = -1;
		g_hash_table_insert (h->by_name, q->name, q);
		g_ptr_array_add (h->queries, q);
	}
	JsonArray *snapshot = member_array (o, "snapshot");
	if (snapshot != NULL) {
		query_reset (q);
		q->started = TRUE;
		return add_rows (q, snapshot, FALSE, path, line, error);
	}
	/* differential: complete only from the query's first run (counter 0) of an epoch; the
	 * rows of one run come on several lines with the same counter */
	gint64 counter = col_int (o, "counter");
	gint64 epoch = col_int (o, "epoch");
	if (counter == 0 && (!q->started || epoch != q->epoch)) {
		query_reset (q);
		q->started = TRUE;
		q->epoch = epoch;
	}
	if (!q->started && counter > 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: query \"%s\" of host %s: differential results starting at run %" G_GINT64_FORMAT
			     " hold changes, not a complete list: use snapshot queries or a log that "
			     "starts at the query's first run",
			     path, line, q->name, host_id, counter);
		return FALSE;
	}
	q->started = TRUE;
	JsonNode *diff = json_object_get_member (o, "diffResults");
	if (diff != NULL && JSON_NODE_HOLDS_OBJECT (diff)) {
		JsonObject *d = json_node_get_object (diff);
		return add_rows (q, member_array (d, "removed"), TRUE, path, line, error) &&
		       add_rows (q, member_array (d, "added"), FALSE, path, line, error);
	}
	JsonNode *cols = json_object_get_member (o, "columns");
	if (cols == NULL || !JSON_NODE_HOLDS_OBJECT (cols)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: query \"%s\": no snapshot, columns or diffResults", path, line,
			     q->name);
		return FALSE;
	}
	char abuf[G_ASCII_DTOSTR_BUF_SIZE];
	const char *action = col (o, "action", abuf);
	if (g_strcmp0 (action, "removed") == 0)
		query_remove (q, json_node_get_object (cols));
	else if (g_strcmp0 (action, "added") == 0 || action == NULL)
		query_add (q, json_node_get_object (cols), line);
	else {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: query \"%s\": unknown action \"%s\"", path, line, q->name, action);
		return FALSE;
	}
	return TRUE;
}

static gboolean
parse_log (const char *text, gsize len, const char *path, GPtrArray *hosts, GError **error)
{
	g_autoptr(GPtrArray) host_list = g_ptr_array_new_with_free_func ((GDestroyNotify) host_free);
	g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	const char *p = text;
	const char *end = text + len;
	guint lineno = 0;
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *le = nl ? nl : end;
		lineno++;
		const char *s = p;
		p = nl ? nl + 1 : end;
		while (s < le && g_ascii_isspace (*s))
			s++;
		if (s == le)
			continue;
		g_autoptr(JsonParser) parser = tu_json_load (s, (gsize) (le - s), path, lineno, error);
		if (parser == NULL)
			return FALSE;
		JsonNode *root = json_parser_get_root (parser);
		if (!JSON_NODE_HOLDS_OBJECT (root)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: not an osquery result line (not an object)", path, lineno);
			return FALSE;
		}
		if (!parse_log_line (json_node_get_object (root), path, lineno, host_list, by_id, error))
			return FALSE;
	}
	guint n_software_total = 0;
	for (guint i = 0; i < host_list->len; i++) {
		Host *h = g_ptr_array_index (host_list, i);
		guint n_software = 0;
		for (guint qi = 0; qi < h->queries->len; qi++) {
			Query *q = g_ptr_array_index (h->queries, qi);
			g_autoptr(GPtrArray) rows = g_ptr_array_new ();
			g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (guint));
			query_current (q, rows, lines);
			emit_rows (rows, lines, q->name, path, h->scan, &n_software);
		}
		n_software_total += n_software;
	}
	if (host_list->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: no osquery results", path);
		return FALSE;
	}
	if (n_software_total == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: no rows of an osquery software table (programs, deb_packages, "
			     "rpm_packages, apps, ...) in this log",
			     path);
		return FALSE;
	}
	for (guint i = 0; i < host_list->len; i++) {
		Host *h = g_ptr_array_index (host_list, i);
		h->scan->finished_us = g_get_real_time ();
		g_ptr_array_add (hosts, g_steal_pointer (&h->scan));
	}
	return TRUE;
}

gboolean
tu_osquery_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
		  GError **error)
{
	const char *text = buf;
	if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	const char *bad = NULL;
	if (!g_utf8_validate_len (text, len, &bad)) {
		gsize off = (gsize) (bad - text);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: not valid UTF-8 (byte 0x%02x at offset %" G_GSIZE_FORMAT ")", path,
			     line_at (text, off), (guint) (guint8) *bad, off);
		return FALSE;
	}
	const char *p = text;
	while (p < text + len && g_ascii_isspace (*p))
		p++;
	if (p < text + len && *p == '[') {
		g_autoptr(JsonParser) parser = tu_json_load (text, len, path, 1, error);
		if (parser == NULL)
			return FALSE;
		return parse_array (json_node_get_array (json_parser_get_root (parser)), path, hosts,
				    error);
	}
	if (p < text + len && *p == '{')
		return parse_log (text, len, path, hosts, error);
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "%s:%u: not osquery output (a JSON array of rows or result log lines)", path,
		     line_at (text, (gsize) (p - text)));
	return FALSE;
}
