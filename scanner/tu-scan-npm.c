/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * npm: the globally installed packages of a host, one node_modules/NAME/package.json (or
 * node_modules/@SCOPE/NAME/package.json) each, at the top level of the global prefixes
 * (usr/lib/node_modules, usr/local/lib/node_modules, opt/PREFIX/lib/node_modules). Nested
 * node_modules are the dependencies of those packages and are not installations of their own.
 *
 * package.json is parsed with json-glib after two guards: the nesting depth is checked in one
 * pass first (json-glib's parser recurses, so a file of a million '[' must not reach it), and
 * bytes that are not UTF-8 become U+FFFD as Node's own reader does. A manifest with neither
 * name nor version is no package (Syft agrees); one with only one of them is an error for
 * that file. raw_publisher is the author's name ("Name <mail> (url)" or {"name": ...}); the
 * licence is the SPDX expression of "license", the "type" of its object form, or the legacy
 * "licenses" array joined with OR. location is the global prefix.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-json.h"
#include "tu-sources.h"

#define MAX_DEPTH 128

/* json-glib names the input "<data>": name the file instead */
static void
set_parse_error (GError **error, const char *path, const GError *json_error)
{
	const char *msg = json_error->message;
	if (g_str_has_prefix (msg, "<data>:"))
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%s", path, msg + 7);
	else
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: %s", path, msg);
}

/* A string member, NULL when absent or null; FALSE when present with another type. */
static gboolean
get_string (JsonObject *o, const char *member, const char **out, const char *path,
	    GError **error)
{
	*out = NULL;
	JsonNode *n = json_object_get_member (o, member);
	if (n == NULL || JSON_NODE_HOLDS_NULL (n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:1: field \"%s\" is not a string", path, member);
		return FALSE;
	}
	*out = json_node_get_string (n);
	return TRUE;
}

static const char *
member_string (JsonObject *o, const char *member)
{
	JsonNode *n = json_object_get_member (o, member);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (n);
}

/* "Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)" -> "Isaac Z. Schlueter" */
static char *
person_name (JsonNode *n)
{
	const char *s = NULL;
	if (n == NULL)
		return NULL;
	if (JSON_NODE_HOLDS_OBJECT (n))
		s = member_string (json_node_get_object (n), "name");
	else if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
		s = json_node_get_string (n);
	if (s == NULL)
		return NULL;
	gsize end = strcspn (s, "<(");
	g_autofree char *name = tu_scan_clean_field (s, (gssize) end);
	g_strstrip (name);
	return *name != '\0' ? g_steal_pointer (&name) : NULL;
}

/* "license": "MIT" | {"type": "ISC"}; legacy "licenses": [{"type": ...}, ...] (a choice,
 * hence OR). Plain strings in the array are not the documented form: ignored, as Syft does. */
static char *
license_of (JsonObject *o)
{
	JsonNode *n = json_object_get_member (o, "license");
	if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
		return tu_scan_clean_field (json_node_get_string (n), -1);
	if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
		return tu_scan_clean_field (member_string (json_node_get_object (n), "type"), -1);
	if (n == NULL)
		n = json_object_get_member (o, "licenses");
	if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
		return NULL;
	JsonArray *a = json_node_get_array (n);
	GString *out = g_string_new (NULL);
	for (guint i = 0; i < json_array_get_length (a); i++) {
		JsonNode *e = json_array_get_element (a, i);
		const char *type = JSON_NODE_HOLDS_OBJECT (e)
					   ? member_string (json_node_get_object (e), "type")
					   : NULL;
		if (type == NULL || *type == '\0')
			continue;
		if (out->len > 0)
			g_string_append (out, " OR ");
		g_string_append (out, type);
	}
	g_autofree char *joined = g_string_free (out, FALSE);
	return *joined != '\0' ? tu_scan_clean_field (joined, -1) : NULL;
}

/* pkg:npm/%40scope/name@version: the scope's '@' and anything outside the unreserved set
 * percent-encoded, the '/' between scope and name kept */
static char *
npm_purl (const char *name, const char *version)
{
	GString *out = g_string_new ("pkg:npm/");
	const char *slash = name[0] == '@' ? strchr (name, '/') : NULL;
	for (const guchar *p = (const guchar *) name; *p != '\0'; p++) {
		if ((const char *) p == slash)
			g_string_append_c (out, '/');
		else if (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_' || *p == '~')
			g_string_append_c (out, (char) *p);
		else
			g_string_append_printf (out, "%%%02X", *p);
	}
	g_string_append_c (out, '@');
	for (const guchar *p = (const guchar *) version; *p != '\0'; p++) {
		if (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_' || *p == '~')
			g_string_append_c (out, (char) *p);
		else
			g_string_append_printf (out, "%%%02X", *p);
	}
	return g_string_free (out, FALSE);
}

/* PREFIX/NAME/package.json or PREFIX/@SCOPE/NAME/package.json -> PREFIX */
static char *
prefix_of (const char *path)
{
	g_autofree char *pkgdir = g_path_get_dirname (path);
	g_autofree char *parent = g_path_get_dirname (pkgdir);
	g_autofree char *base = g_path_get_basename (parent);
	if (base[0] == '@')
		return g_path_get_dirname (parent);
	return g_steal_pointer (&parent);
}

static gboolean
parse_package_json (const char *buf, gsize len, const char *path, const char *location,
		    TuHostScan *scan, GError **error)
{
	guint line = 0;
	if (len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: empty file", path);
		return FALSE;
	}
	if (tu_json_check_nesting (buf, len, MAX_DEPTH, FALSE, &line) != TU_JSON_NESTING_OK) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: nested deeper than %u levels", path, line, MAX_DEPTH);
		return FALSE;
	}
	g_autofree char *repaired = NULL;
	if (!g_utf8_validate (buf, (gssize) len, NULL)) {
		gsize n = 0;
		repaired = tu_json_repair_utf8 (buf, len, &n);
		buf = repaired;
		len = n;
	}
	g_autoptr(JsonParser) parser = json_parser_new_immutable ();
	g_autoptr(GError) json_error = NULL;
	if (!json_parser_load_from_data (parser, buf, (gssize) len, &json_error)) {
		set_parse_error (error, path, json_error);
		return FALSE;
	}
	JsonNode *root = json_parser_get_root (parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: not a JSON object", path);
		return FALSE;
	}
	JsonObject *o = json_node_get_object (root);
	const char *name = NULL;
	const char *version = NULL;
	if (!get_string (o, "name", &name, path, error) ||
	    !get_string (o, "version", &version, path, error))
		return FALSE;
	if ((name == NULL || *name == '\0') && (version == NULL || *version == '\0')) {
		g_debug ("%s: no name and no version: not a package manifest", path);
		return TRUE;
	}
	g_autofree char *clean_name = tu_scan_clean_field (name, -1);
	if (name == NULL || *name == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: \"name\" field missing",
			     path);
		return FALSE;
	}
	if (version == NULL || *version == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:1: package %s: \"version\" field missing", path, clean_name);
		return FALSE;
	}
	g_autofree char *clean_version = tu_scan_clean_field (version, -1);
	g_autofree char *publisher = person_name (json_object_get_member (o, "author"));
	g_autofree char *license = license_of (o);
	g_autofree char *purl = npm_purl (clean_name, clean_version);
	g_autofree char *derived = location ? NULL : prefix_of (path);

	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_NPM;
	r.raw_name = clean_name;
	r.raw_version = clean_version;
	r.raw_publisher = publisher;
	r.location = location ? location : derived;
	r.purl = purl;
	r.license = license;
	tu_record_list_add (scan->records, &r);
	return TRUE;
}

gboolean
tu_npm_parse_package_json (const char *buf, gsize len, const char *path, TuHostScan *scan,
			   GError **error)
{
	return parse_package_json (buf, len, path, NULL, scan, error);
}

static void
scan_package (TuFs *fs, const char *dir, const char *location, TuHostScan *scan)
{
	g_autofree char *file = g_strdup_printf ("%s/package.json", dir);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_META_BYTES, &error);
	if (bytes == NULL) {
		/* a folder without a manifest is no package (npm skips it too) */
		if (!g_error_matches (error, TU_ERROR, TU_ERROR_NOT_FOUND))
			tu_host_scan_warn (scan, "%s (skipped)", error->message);
		return;
	}
	g_autofree char *shown = tu_fs_display (fs, file);
	if (!parse_package_json (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), shown,
				 location, scan, &error))
		tu_host_scan_warn (scan, "%s (skipped)", error->message);
}

void
tu_source_npm (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	/* the same list as the SSH collector's (scanner/collectors/ssh-collector.sh) */
	static const char *const prefixes[] = {"usr/lib/node_modules", "usr/local/lib/node_modules",
					       "opt/*/lib/node_modules", NULL};
	for (guint i = 0; prefixes[i] != NULL; i++) {
		g_autoptr(GPtrArray) found = tu_fs_glob (fs, prefixes[i], 0);
		for (guint p = 0; p < found->len; p++) {
			const char *prefix = g_ptr_array_index (found, p);
			g_autoptr(GPtrArray) names = tu_fs_list (fs, prefix);
			g_autofree char *location = g_strdup_printf ("/%s", prefix);
			for (guint n = 0; names != NULL && n < names->len; n++) {
				const char *name = g_ptr_array_index (names, n);
				if (name[0] == '.')
					continue; /* .bin, .package-lock.json */
				g_autofree char *dir = g_strdup_printf ("%s/%s", prefix, name);
				if (name[0] != '@') {
					scan_package (fs, dir, location, scan);
					continue;
				}
				g_autoptr(GPtrArray) scoped = tu_fs_list (fs, dir);
				for (guint s = 0; scoped != NULL && s < scoped->len; s++) {
					const char *sub = g_ptr_array_index (scoped, s);
					if (sub[0] == '.')
						continue;
					g_autofree char *sdir = g_strdup_printf ("%s/%s", dir, sub);
					scan_package (fs, sdir, location, scan);
				}
			}
		}
	}
}
