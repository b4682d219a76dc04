/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Software bills of materials: CycloneDX JSON (specVersion 1.2 to 1.6) and SPDX 2.x JSON.
 * One SBOM describes one host, image or project: one TuHostScan.
 *
 * CycloneDX: components[] and their nested components, all of them; "file" components are
 * not software and are skipped. metadata.component is what the BOM describes (the host or
 * image): it names the host and is not a record itself. The publisher is the first of
 * publisher, supplier.name, author (1.2-1.5), authors[].name and manufacturer.name (1.6).
 *
 * SPDX: packages[]; the packages the document DESCRIBES (documentDescribes, or DESCRIBES
 * relationships from the document, or DESCRIBED_BY ones to it) name the host or image and are
 * not records. The supplier ("Organization: X", "Person: Y") is the publisher, else the
 * originator. The purl and CPE come from externalRefs.
 *
 * In both, raw fields are kept as written and the licence is the one the SBOM states
 * (concluded before declared for SPDX). An operating-system component/package is a record
 * too (an OS is licensed software) and also fills the host's OS facts.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-json.h"
#include "tu-sources.h"

/* An SBOM is a JSON object. (transfer full) */
static JsonParser *
load_object (const char *buf, gsize len, const char *path, GError **error)
{
	g_autoptr(JsonParser) parser = tu_json_load (buf, len, path, 1, error);
	if (parser == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an SBOM: the top level is not a JSON object", path);
		return NULL;
	}
	return g_steal_pointer (&parser);
}

/* A string member, or NULL (other types are not what the specifications allow). */
static const char *
member_str (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;
	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (n);
}

static char *
member_dup (JsonObject *o, const char *name)
{
	const char *s = member_str (o, name);
	return s != NULL && *s != '\0' ? tu_scan_clean_field (s, -1) : NULL;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;
	return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;
	return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static JsonObject *
array_object (JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element (a, i);
	return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static TuHostScan *
new_host (const char *path)
{
	g_autofree char *target = g_strdup_printf ("import:%s", path);
	return tu_host_scan_new (target);
}

static void
name_host_after_file (TuHostScan *scan, const char *path, const char *what)
{
	g_autofree char *base = g_path_get_basename (path);
	char *dot = strchr (base, '.');
	if (dot != NULL && dot != base)
		*dot = '\0';
	g_autofree char *clean = tu_scan_clean_field (base, -1);
	tu_host_facts_set (&scan->facts.hostname, clean);
	tu_host_scan_warn (scan, "%s: %s: host name \"%s\" taken from the file name", path, what,
			   clean);
}

/* ---- CycloneDX -------------------------------------------------------------------------- */

/* The licences of a component: ids, names or expressions joined by " AND ". */
static char *
cdx_licenses (JsonObject *c)
{
	JsonArray *a = member_array (c, "licenses");
	if (a == NULL)
		return NULL;
	GString *out = g_string_new (NULL);
	for (guint i = 0; i < json_array_get_length (a); i++) {
		JsonObject *choice = array_object (a, i);
		JsonObject *lic = member_object (choice, "license");
		const char *v = member_str (choice, "expression");
		if (v == NULL)
			v = member_str (lic, "id");
		if (v == NULL)
			v = member_str (lic, "name");
		if (v == NULL || *v == '\0')
			continue;
		if (out->len > 0)
			g_string_append (out, " AND ");
		g_string_append (out, v);
	}
	char *s = g_string_free (out, out->len == 0);
	if (s == NULL)
		return NULL;
	char *clean = tu_scan_clean_field (s, -1);
	g_free (s);
	return clean;
}

static char *
cdx_publisher (JsonObject *c)
{
	char *v = member_dup (c, "publisher");
	if (v == NULL)
		v = member_dup (member_object (c, "supplier"), "name");
	if (v == NULL)
		v = member_dup (c, "author");
	JsonArray *authors = member_array (c, "authors");
	if (v == NULL && authors != NULL && json_array_get_length (authors) > 0)
		v = member_dup (array_object (authors, 0), "name");
	if (v == NULL)
		v = member_dup (member_object (c, "manufacturer"), "name");
	return v;
}

static gboolean
cdx_components (JsonArray *components, const char *where, const char *path, guint depth,
		TuHostScan *scan, GError **error)
{
	for (guint i = 0; i < json_array_get_length (components); i++) {
		JsonObject *c = array_object (components, i);
		if (c == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: %s[%u]: not an object",
				     path, where, i);
			return FALSE;
		}
		const char *type = member_str (c, "type");
		g_autofree char *name = member_dup (c, "name");
		if (name == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: %s[%u]: name missing",
				     path, where, i);
			return FALSE;
		}
		if (g_strcmp0 (type, "file") != 0) {
			g_autofree char *version = member_dup (c, "version");
			g_autofree char *publisher = cdx_publisher (c);
			g_autofree char *purl = member_dup (c, "purl");
			g_autofree char *cpe = member_dup (c, "cpe");
			g_autofree char *license = cdx_licenses (c);
			TuRecord r = TU_RECORD_INIT;
			r.source = TU_SOURCE_CYCLONEDX;
			r.raw_name = name;
			r.raw_version = version;
			r.raw_publisher = publisher;
			r.purl = purl;
			r.cpe = cpe;
			r.license = license;
			if (g_strcmp0 (type, "operating-system") == 0) {
				tu_host_facts_set (&scan->facts.os_name, name);
				tu_host_facts_set (&scan->facts.os_version, version);
			}
			tu_record_list_add (scan->records, &r);
		}
		JsonArray *nested = member_array (c, "components");
		if (nested != NULL) {
			g_autofree char *sub = g_strdup_printf ("%s[%u].components", where, i);
			if (!cdx_components (nested, sub, path, depth + 1, scan, error))
				return FALSE;
		}
	}
	return TRUE;
}

gboolean
tu_cyclonedx_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
		    GError **error)
{
	g_autoptr(JsonParser) parser = load_object (buf, len, path, error);
	if (parser == NULL)
		return FALSE;
	JsonObject *bom = json_node_get_object (json_parser_get_root (parser));
	if (g_strcmp0 (member_str (bom, "bomFormat"), "CycloneDX") != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not a CycloneDX BOM (bomFormat is not \"CycloneDX\")", path);
		return FALSE;
	}
	const char *spec = member_str (bom, "specVersion");
	static const char *const known[] = {"1.2", "1.3", "1.4", "1.5", "1.6", NULL};
	if (spec == NULL || !g_str_has_prefix (spec, "1.")) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: CycloneDX specVersion %s is not supported (1.2 to 1.6 are)", path,
			     spec ? spec : "(missing)");
		return FALSE;
	}
	g_autoptr(TuHostScan) scan = new_host (path);
	if (!g_strv_contains (known, spec))
		tu_host_scan_warn (scan, "%s: CycloneDX specVersion %s: read as 1.6", path, spec);

	JsonObject *meta = member_object (bom, "metadata");
	JsonObject *subject = member_object (meta, "component");
	g_autofree char *subject_name = member_dup (subject, "name");
	if (subject_name != NULL) {
		/* an image is its name and tag: two tags are two hosts */
		g_autofree char *subject_version = member_dup (subject, "version");
		const char *type = member_str (subject, "type");
		g_autofree char *host = g_strcmp0 (type, "container") == 0 && subject_version != NULL
						? g_strdup_printf ("%s:%s", subject_name, subject_version)
						: g_strdup (subject_name);
		tu_host_facts_set (&scan->facts.hostname, host);
	} else {
		name_host_after_file (scan, path, "the BOM has no metadata.component");
	}

	JsonNode *cn = json_object_get_member (bom, "components");
	if (cn != NULL && !JSON_NODE_HOLDS_ARRAY (cn) && !JSON_NODE_HOLDS_NULL (cn)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: components: not an array", path);
		return FALSE;
	}
	JsonArray *components = member_array (bom, "components");
	if (components != NULL && !cdx_components (components, "components", path, 0, scan, error))
		return FALSE;
	scan->finished_us = g_get_real_time ();
	g_ptr_array_add (hosts, g_steal_pointer (&scan));
	return TRUE;
}

/* ---- SPDX ------------------------------------------------------------------------------- */

/* "Organization: Debian" -> "Debian"; NOASSERTION -> NULL */
static char *
spdx_party (const char *s)
{
	if (s == NULL || strcmp (s, "NOASSERTION") == 0 || strcmp (s, "NONE") == 0)
		return NULL;
	const char *colon = strchr (s, ':');
	if (colon != NULL &&
	    (g_str_has_prefix (s, "Organization:") || g_str_has_prefix (s, "Person:") ||
	     g_str_has_prefix (s, "Tool:"))) {
		s = colon + 1;
		while (*s == ' ')
			s++;
	}
	return *s != '\0' ? tu_scan_clean_field (s, -1) : NULL;
}

static char *
spdx_license (JsonObject *p)
{
	static const char *const fields[] = {"licenseConcluded", "licenseDeclared"};
	for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
		const char *v = member_str (p, fields[i]);
		if (v != NULL && *v != '\0' && strcmp (v, "NOASSERTION") != 0 && strcmp (v, "NONE") != 0)
			return tu_scan_clean_field (v, -1);
	}
	return NULL;
}

gboolean
tu_spdx_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts, GError **error)
{
	g_autoptr(JsonParser) parser = load_object (buf, len, path, error);
	if (parser == NULL)
		return FALSE;
	JsonObject *doc = json_node_get_object (json_parser_get_root (parser));
	const char *version = member_str (doc, "spdxVersion");
	if (version == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an SPDX document (no spdxVersion)", path);
		return FALSE;
	}
	if (!g_str_has_prefix (version, "SPDX-2.")) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: %s documents are not supported (SPDX 2.2 and 2.3 JSON are)", path,
			     version);
		return FALSE;
	}
	const char *doc_id = member_str (doc, "SPDXID");
	if (doc_id == NULL)
		doc_id = "SPDXRef-DOCUMENT";

	/* what the document describes */
	g_autoptr(GHashTable) described = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) described_order = g_ptr_array_new ();
	JsonArray *dd = member_array (doc, "documentDescribes");
	for (guint i = 0; dd != NULL && i < json_array_get_length (dd); i++) {
		JsonNode *n = json_array_get_element (dd, i);
		if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING &&
		    g_hash_table_add (described, (gpointer) json_node_get_string (n)))
			g_ptr_array_add (described_order, (gpointer) json_node_get_string (n));
	}
	JsonArray *rels = member_array (doc, "relationships");
	for (guint i = 0; rels != NULL && i < json_array_get_length (rels); i++) {
		JsonObject *rel = array_object (rels, i);
		const char *type = member_str (rel, "relationshipType");
		const char *a = member_str (rel, "spdxElementId");
		const char *b = member_str (rel, "relatedSpdxElement");
		const char *subject = NULL;
		if (g_strcmp0 (type, "DESCRIBES") == 0 && g_strcmp0 (a, doc_id) == 0)
			subject = b;
		else if (g_strcmp0 (type, "DESCRIBED_BY") == 0 && g_strcmp0 (b, doc_id) == 0)
			subject = a;
		if (subject != NULL && g_hash_table_add (described, (gpointer) subject))
			g_ptr_array_add (described_order, (gpointer) subject);
	}

	JsonNode *pn = json_object_get_member (doc, "packages");
	if (pn != NULL && !JSON_NODE_HOLDS_ARRAY (pn) && !JSON_NODE_HOLDS_NULL (pn)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: packages: not an array", path);
		return FALSE;
	}
	JsonArray *packages = member_array (doc, "packages");
	g_autoptr(TuHostScan) scan = new_host (path);
	g_autofree char *host = NULL;
	for (guint i = 0; packages != NULL && i < json_array_get_length (packages); i++) {
		JsonObject *p = array_object (packages, i);
		if (p == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: packages[%u]: not an object", path, i);
			return FALSE;
		}
		g_autofree char *name = member_dup (p, "name");
		if (name == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: packages[%u]: name missing",
				     path, i);
			return FALSE;
		}
		g_autofree char *ver = member_dup (p, "versionInfo");
		const char *id = member_str (p, "SPDXID");
		const char *purpose = member_str (p, "primaryPackagePurpose");
		if (id != NULL && g_hash_table_contains (described, id)) {
			/* the host or image: the first described package names it */
			if (host == NULL)
				host = g_strcmp0 (purpose, "CONTAINER") == 0 && ver != NULL
					       ? g_strdup_printf ("%s:%s", name, ver)
					       : g_strdup (name);
			continue;
		}
		if (g_strcmp0 (purpose, "FILE") == 0)
			continue;
		g_autofree char *publisher = spdx_party (member_str (p, "supplier"));
		if (publisher == NULL)
			publisher = spdx_party (member_str (p, "originator"));
		g_autofree char *license = spdx_license (p);
		g_autofree char *purl = NULL;
		g_autofree char *cpe = NULL;
		JsonArray *refs = member_array (p, "externalRefs");
		for (guint r = 0; refs != NULL && r < json_array_get_length (refs); r++) {
			JsonObject *ref = array_object (refs, r);
			const char *type = member_str (ref, "referenceType");
			const char *loc = member_str (ref, "referenceLocator");
			if (loc == NULL || *loc == '\0')
				continue;
			if (purl == NULL && g_strcmp0 (type, "purl") == 0)
				purl = tu_scan_clean_field (loc, -1);
			else if (cpe == NULL && (g_strcmp0 (type, "cpe23Type") == 0 ||
						 g_strcmp0 (type, "cpe22Type") == 0))
				cpe = tu_scan_clean_field (loc, -1);
		}
		if (g_strcmp0 (purpose, "OPERATING-SYSTEM") == 0) {
			tu_host_facts_set (&scan->facts.os_name, name);
			tu_host_facts_set (&scan->facts.os_version, ver);
		}
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_SPDX;
		r.raw_name = name;
		r.raw_version = ver != NULL && strcmp (ver, "NOASSERTION") != 0 ? ver : NULL;
		r.raw_publisher = publisher;
		r.purl = purl;
		r.cpe = cpe;
		r.license = license;
		tu_record_list_add (scan->records, &r);
	}
	if (host != NULL) {
		g_autofree char *clean = tu_scan_clean_field (host, -1);
		tu_host_facts_set (&scan->facts.hostname, clean);
	} else {
		g_autofree char *doc_name = member_dup (doc, "name");
		if (doc_name != NULL) {
			tu_host_facts_set (&scan->facts.hostname, doc_name);
			tu_host_scan_warn (scan,
					   "%s: the document describes no package: host name \"%s\" "
					   "taken from the document name",
					   path, doc_name);
		} else {
			name_host_after_file (scan, path, "the document describes no package");
		}
	}
	scan->finished_us = g_get_real_time ();
	g_ptr_array_add (hosts, g_steal_pointer (&scan));
	return TRUE;
}
