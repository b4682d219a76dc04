/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CISA's Known Exploited Vulnerabilities catalogue (see tu-osv.h): the JSON feed
 * ({"catalogVersion", "count", "vulnerabilities": [...]}) or the CSV with the same columns,
 * told apart by content. The whole file is read and checked first (CVE ids, dates, lengths,
 * duplicates: an error names the file, the line and the field); only then is the table
 * replaced, in one transaction retried as a whole on a transient error, so a bad file never
 * leaves a half list. Values are cleaned the same way in both formats, as the CSV reader
 * does it (surrounding blanks trimmed: 51 JSON values end in a blank; control characters,
 * newlines included, dropped), so the two files give identical rows.
 * shortDescription, requiredAction and cwes are read but not stored: the table has no
 * column for them.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-json.h"
#include "tu-csv.h"
#include "tu-osv-store.h"
#include "tu-osv.h"

#define KEV_MAX_FILE_SIZE (64u * 1024u * 1024u)
#define KEV_MAX_DEPTH 16

typedef struct {
	const char *path;
	GPtrArray *rows;  /* TuKevEntry* */
	GHashTable *seen;  /* cve -> line */
} KevReader;

static gboolean
kev_fail (GError **error, const char *path, guint line, const char *field, const char *format,
	  ...) G_GNUC_PRINTF (5, 6);

static gboolean
kev_fail (GError **error, const char *path, guint line, const char *field, const char *format,
	  ...)
{
	va_list args;
	va_start (args, format);
	g_autofree char *msg = g_strdup_vprintf (format, args);
	va_end (args);
	g_autofree char *where = line > 0 ? g_strdup_printf ("%s:%u", path, line) : g_strdup (path);
	if (field != NULL)
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: field %s: %s", where,
			     field, msg);
	else
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: %s", where, msg);
	return FALSE;
}

static gboolean
is_cve_id (const char *s)
{
	/* CVE-YYYY-NNNN with at least four digits in the sequence number */
	if (!g_str_has_prefix (s, "CVE-") || strlen (s) > 32)
		return FALSE;
	const char *p = s + 4;
	for (guint i = 0; i < 4; i++, p++)
		if (!g_ascii_isdigit (*p))
			return FALSE;
	if (*p++ != '-')
		return FALSE;
	guint n = 0;
	for (; g_ascii_isdigit (*p); p++)
		n++;
	return *p == '\0' && n >= 4;
}

/* A trimmed copy of @value, NULL when empty; an error when longer than @max_chars (0: no
 * limit but 65535 bytes, the TEXT column). */
static gboolean
take_text (const KevReader *kr, guint line, const char *field, const char *value,
	   glong max_chars, gboolean required, char **out, GError **error)
{
	*out = NULL;
	/* as the CSV reader does: control characters (newlines too) dropped, blanks trimmed */
	g_autofree char *v = g_strstrip (tu_utf8_clean (value ? value : "", -1, G_MAXSIZE, NULL));
	if (*v == '\0') {
		if (required)
			return kev_fail (error, kr->path, line, field, "must not be empty");
		return TRUE;
	}
	if (max_chars > 0 && g_utf8_strlen (v, -1) > max_chars)
		return kev_fail (error, kr->path, line, field, "longer than %ld characters",
				 max_chars);
	if (max_chars == 0 && strlen (v) > 65535)
		return kev_fail (error, kr->path, line, field, "longer than 65535 bytes");
	*out = g_steal_pointer (&v);
	return TRUE;
}

static gboolean
take_date (const KevReader *kr, guint line, const char *field, const char *value,
	   gboolean required, char **out, GError **error)
{
	g_autofree char *v = NULL;
	*out = NULL;
	if (!take_text (kr, line, field, value, 0, required, &v, error))
		return FALSE;
	if (v == NULL)
		return TRUE;
	guint32 julian = 0;
	g_autoptr(GError) local = NULL;
	if (strlen (v) != 10 || !tu_date_parse (v, &julian, field, &local))
		return kev_fail (error, kr->path, line, field, "\"%s\" is not a date (YYYY-MM-DD)",
				 v);
	*out = tu_date_format (julian);
	return TRUE;
}

/* Check and keep one entry; @v holds the values by the column order below. */
enum {
	COL_CVE,
	COL_VENDOR,
	COL_PRODUCT,
	COL_NAME,
	COL_DATE_ADDED,
	COL_DESCRIPTION,
	COL_ACTION,
	COL_DUE_DATE,
	COL_RANSOMWARE,
	COL_NOTES,
	COL_CWES,
	N_COLS
};

static const char *const kev_columns[] = {
	"cveID",	    "vendorProject", "product", "vulnerabilityName",
	"dateAdded",	    "shortDescription", "requiredAction", "dueDate",
	"knownRansomwareCampaignUse", "notes", "cwes", NULL};

static gboolean
add_row (KevReader *kr, guint line, const char *const *v, GError **error)
{
	g_autoptr(GPtrArray) hold =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_kev_entry_free);
	TuKevEntry *k = g_new0 (TuKevEntry, 1);
	g_ptr_array_add (hold, k);
	k->line = line;
	if (!take_text (kr, line, "cveID", v[COL_CVE], 32, TRUE, &k->cve, error))
		return FALSE;
	if (!is_cve_id (k->cve))
		return kev_fail (error, kr->path, line, "cveID", "\"%s\" is not a CVE id", k->cve);
	gpointer seen = g_hash_table_lookup (kr->seen, k->cve);
	if (seen != NULL)
		return kev_fail (error, kr->path, line, "cveID", "%s is already on line %u", k->cve,
				 GPOINTER_TO_UINT (seen));
	if (!take_text (kr, line, "vendorProject", v[COL_VENDOR], 255, FALSE, &k->vendor, error) ||
	    !take_text (kr, line, "product", v[COL_PRODUCT], 255, FALSE, &k->product, error) ||
	    !take_text (kr, line, "vulnerabilityName", v[COL_NAME], 512, FALSE, &k->name,
			error) ||
	    !take_date (kr, line, "dateAdded", v[COL_DATE_ADDED], TRUE, &k->date_added, error) ||
	    !take_date (kr, line, "dueDate", v[COL_DUE_DATE], FALSE, &k->due_date, error) ||
	    !take_text (kr, line, "knownRansomwareCampaignUse", v[COL_RANSOMWARE], 16, FALSE,
			&k->ransomware, error) ||
	    !take_text (kr, line, "notes", v[COL_NOTES], 0, FALSE, &k->notes, error))
		return FALSE;
	g_hash_table_insert (kr->seen, g_strdup (k->cve), GUINT_TO_POINTER (MAX (line, 1u)));
	g_ptr_array_add (kr->rows, g_ptr_array_steal_index (hold, 0));
	return TRUE;
}

/* ---------------------------------------------------------------- CSV ------------------ */

static gboolean
csv_row (const TuCsvRow *row, gpointer user_data, GError **error)
{
	return add_row (user_data, row->line, row->values, error);
}

/* ---------------------------------------------------------------- JSON ----------------- */

typedef struct {
	GArray *stack;	   /* start lines of the objects being read */
	GHashTable *lines; /* JsonObject* -> line */
} LineMap;

static void
on_object_start (JsonParser *parser, gpointer user_data)
{
	LineMap *m = user_data;
	guint line = json_parser_get_current_line (parser);
	g_array_append_val (m->stack, line);
}

static void
on_object_end (JsonParser *parser, JsonObject *object, gpointer user_data)
{
	LineMap *m = user_data;
	if (m->stack->len == 0)
		return;
	guint line = g_array_index (m->stack, guint, m->stack->len - 1);
	g_array_set_size (m->stack, m->stack->len - 1);
	g_hash_table_insert (m->lines, object, GUINT_TO_POINTER (line));
}

static gboolean
json_member_string (JsonObject *o, const char *name, const char **out)
{
	*out = NULL;
	JsonNode *n = json_object_get_member (o, name);
	if (n == NULL || JSON_NODE_HOLDS_NULL (n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
		return FALSE;
	*out = json_node_get_string (n);
	return TRUE;
}

static gboolean
read_json (KevReader *kr, const char *buf, gsize len, GError **error)
{
	g_autofree char *why = NULL;
	if ((why = tu_json_nesting_problem (buf, len, KEV_MAX_DEPTH, TRUE)) != NULL)
		return kev_fail (error, kr->path, 0, NULL, "not a KEV catalogue: %s", why);
	g_autoptr(JsonParser) parser = json_parser_new ();
	LineMap map = {g_array_new (FALSE, FALSE, sizeof (guint)),
		       g_hash_table_new (g_direct_hash, g_direct_equal)};
	g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), &map);
	g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), &map);
	g_autoptr(GError) local = NULL;
	gboolean parsed = json_parser_load_from_data (parser, buf, (gssize) len, &local);
	g_signal_handlers_disconnect_by_data (parser, &map);
	g_array_unref (map.stack);
	g_autoptr(GHashTable) lines = map.lines;
	if (!parsed) {
		const char *msg = local->message;
		if (g_str_has_prefix (msg, "<data>:")) {
			/* "<data>:LINE:COLUMN: Parse error: ..." */
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%s", kr->path,
				     msg + strlen ("<data>:"));
			return FALSE;
		}
		return kev_fail (error, kr->path, 0, NULL, "not valid JSON: %s", msg);
	}
	JsonNode *root = json_parser_get_root (parser);
	JsonObject *top =
	    root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
	JsonNode *vn = top ? json_object_get_member (top, "vulnerabilities") : NULL;
	if (vn == NULL || !JSON_NODE_HOLDS_ARRAY (vn))
		return kev_fail (error, kr->path, 0, NULL,
				 "not a KEV catalogue: no \"vulnerabilities\" array at the top");
	JsonArray *vulns = json_node_get_array (vn);
	guint n = json_array_get_length (vulns);
	for (guint i = 0; i < n; i++) {
		JsonNode *en = json_array_get_element (vulns, i);
		if (!JSON_NODE_HOLDS_OBJECT (en))
			return kev_fail (error, kr->path, 0, NULL,
					 "vulnerabilities[%u] is not an object", i);
		JsonObject *o = json_node_get_object (en);
		guint line = GPOINTER_TO_UINT (g_hash_table_lookup (lines, o));
		const char *values[N_COLS] = {0};
		for (guint c = 0; c < N_COLS; c++) {
			if (c == COL_CWES)
				continue; /* an array in JSON; not stored */
			if (!json_member_string (o, kev_columns[c], &values[c]))
				return kev_fail (error, kr->path, line, kev_columns[c],
						 "not a string (vulnerabilities[%u])", i);
		}
		if (!add_row (kr, line, values, error))
			return FALSE;
	}
	JsonNode *count = json_object_get_member (top, "count");
	if (count != NULL && JSON_NODE_HOLDS_VALUE (count) &&
	    json_node_get_value_type (count) == G_TYPE_INT64 &&
	    json_node_get_int (count) != (gint64) n)
		return kev_fail (error, kr->path, 0, "count",
				 "says %" G_GINT64_FORMAT " vulnerabilities but the file has %u",
				 json_node_get_int (count), n);
	return TRUE;
}

/* Read and check a whole catalogue into @rows (TuKevEntry*), JSON or CSV from the content. The
 * libFuzzer harness (advisories/fuzz/fuzz-kev.c) calls this directly. */
static gboolean
kev_read (const char *buf, gsize len, const char *path, GPtrArray *rows, GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	KevReader kr = {path, rows, seen};

	gsize at = 0;
	if (len >= 3 && memcmp (buf, "\xef\xbb\xbf", 3) == 0)
		at = 3;
	while (at < len && g_ascii_isspace (buf[at]))
		at++;
	if (at == len)
		return kev_fail (error, path, 0, NULL, "not a KEV catalogue: the file is empty");
	if (buf[at] == '{' || buf[at] == '[') {
		if (!g_utf8_validate_len (buf, len, NULL))
			return kev_fail (error, path, 0, NULL,
					 "not UTF-8 text (or it holds NUL bytes)");
		if (!read_json (&kr, buf + at, len - at, error))
			return FALSE;
	} else {
		static const char *const required[] = {"cveID", "vendorProject", "product",
						       "vulnerabilityName", "dateAdded", NULL};
		if (!tu_csv_read (buf, len, path, kev_columns, required, csv_row, &kr, error))
			return FALSE;
	}
	if (rows->len == 0)
		return kev_fail (error, path, 0, NULL,
				 "no vulnerabilities: refusing to empty the known-exploited list");
	return TRUE;
}

gboolean
tu_kev_import (TuDb *db, const char *path, guint *n_cves, GError **error)
{
	g_return_val_if_fail (db != NULL && path != NULL, FALSE);
	if (n_cves != NULL)
		*n_cves = 0;
	g_autoptr(GBytes) bytes = tu_file_read (path, KEV_MAX_FILE_SIZE, error);
	if (bytes == NULL)
		return FALSE;
	gsize len = 0;
	const char *buf = g_bytes_get_data (bytes, &len);
	g_autoptr(GPtrArray) rows =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_kev_entry_free);
	if (!kev_read (buf, len, path, rows, error))
		return FALSE;

	if (!tu_kev_store_replace (db, rows, error)) {
		g_prefix_error (error, "%s: ", path);
		return FALSE;
	}
	if (n_cves != NULL)
		*n_cves = rows->len;
	return TRUE;
}
