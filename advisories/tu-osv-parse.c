/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading OSV advisories (see tu-osv.h): records from JSON (json-glib) or YAML (libyaml
 * events, every scalar kept as the text written, so "1.10" stays "1.10"), checked the way
 * the OSV schema and its linter do; and the JSON form of ranges and versions the store keeps,
 * written here and read back by tu_osv_affected_from_json. Pure: buffers in, records out.
 * Importing is tu-osv-import.c, the SQL tu-osv-store.c, evaluating a version tu-osv-match.c.
 *
 * Both syntaxes become one JsonNode tree, so the record reader is written once. The tree
 * remembers the line each object starts on, for messages about records inside arrays.
 *
 * What a record may hold and what happens to it:
 *  - a record is refused (with the file and the reason) when it has no id, no affected
 *    entries, a range without an "introduced" event, an unknown range type, an event with
 *    more or less than one key, a range with both "fixed" and "last_affected", a field of
 *    the wrong type, or when none of its affected entries can be used;
 *  - an affected entry without a package, or with nothing a version can be matched against
 *    (only GIT ranges, or only versions its scheme cannot parse), is skipped with a warning;
 *    its GIT ranges are still counted;
 *  - a listed version the scheme cannot parse is moved to invalid_versions: it can never be
 *    equal to a version the scheme accepts, so leaving it out changes no verdict. An event
 *    version the scheme cannot parse stays in its range (dropping a "fixed" would turn a
 *    range into "affected forever") and is also reported in invalid_versions; evaluating
 *    that range answers UNKNOWN.
 *
 * A file that is neither JSON nor YAML, or whose top level is not OSV records (a KEV file, an
 * endoflife.date file), is refused as a whole.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-json.h"
#include "tu-osv-private.h"
#include "tu-yaml.h"

#define OSV_MAX_DEPTH 64  /* nesting of YAML and JSON documents */

/* ---------------------------------------------------------------- memory --------------- */

static void
osv_event_free (TuOsvEvent *e)
{
	if (e == NULL)
		return;
	g_free (e->kind);
	g_free (e->version);
	g_free (e);
}

static void
osv_range_free (TuOsvRange *r)
{
	if (r == NULL)
		return;
	g_free (r->type);
	g_ptr_array_unref (r->events);
	g_free (r);
}

static TuOsvRange *
osv_range_new (const char *type)
{
	TuOsvRange *r = g_new0 (TuOsvRange, 1);
	r->type = g_strdup (type);
	r->events = g_ptr_array_new_with_free_func ((GDestroyNotify) osv_event_free);
	return r;
}

static void
osv_range_add (TuOsvRange *r, const char *kind, const char *version)
{
	TuOsvEvent *e = g_new0 (TuOsvEvent, 1);
	e->kind = g_strdup (kind);
	e->version = g_strdup (version);
	g_ptr_array_add (r->events, e);
}

void
tu_osv_affected_free (TuOsvAffected *a)
{
	if (a == NULL)
		return;
	g_free (a->ecosystem);
	g_free (a->ecosystem_base);
	g_free (a->ecosystem_release);
	g_free (a->package);
	g_free (a->package_key);
	g_free (a->purl);
	g_ptr_array_unref (a->ranges);
	g_ptr_array_unref (a->versions);
	g_ptr_array_unref (a->invalid_versions);
	g_free (a);
}

static TuOsvAffected *
osv_affected_new (const char *ecosystem, const char *package)
{
	TuOsvAffected *a = g_new0 (TuOsvAffected, 1);
	const char *colon = strchr (ecosystem, ':');
	a->ecosystem = g_strdup (ecosystem);
	a->ecosystem_base = colon ? g_strndup (ecosystem, (gsize) (colon - ecosystem))
				  : g_strdup (ecosystem);
	a->ecosystem_release = g_strdup (colon ? colon + 1 : "");
	a->package = g_strdup (package);
	a->package_key = tu_osv_package_key (a->ecosystem_base, package);
	a->scheme = tu_osv_scheme_for_ecosystem (a->ecosystem_base);
	a->ranges = g_ptr_array_new_with_free_func ((GDestroyNotify) osv_range_free);
	a->versions = g_ptr_array_new_with_free_func (g_free);
	a->invalid_versions = g_ptr_array_new_with_free_func (g_free);
	return a;
}

void
tu_osv_record_free (TuOsvRecord *r)
{
	if (r == NULL)
		return;
	g_free (r->id);
	g_free (r->summary);
	g_free (r->published);
	g_free (r->modified);
	g_free (r->withdrawn);
	g_ptr_array_unref (r->aliases);
	g_free (r->cvss_vector);
	g_free (r->severity);
	g_free (r->severity_source);
	g_ptr_array_unref (r->affected);
	g_ptr_array_unref (r->warnings);
	g_free (r);
}

static TuOsvRecord *
osv_record_new (void)
{
	TuOsvRecord *r = g_new0 (TuOsvRecord, 1);
	r->aliases = g_ptr_array_new_with_free_func (g_free);
	r->affected = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_osv_affected_free);
	r->warnings = g_ptr_array_new_with_free_func (g_free);
	r->cvss_score = -1.0;
	return r;
}

static void
warn (TuOsvRecord *r, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
warn (TuOsvRecord *r, const char *format, ...)
{
	va_list args;
	va_start (args, format);
	g_ptr_array_add (r->warnings, g_strdup_vprintf (format, args));
	va_end (args);
}

/* @s shortened for a message, never splitting a character. (transfer full) */
static char *
clip (const char *s)
{
	return tu_utf8_clean (s, -1, 60, NULL);
}

void
tu_osv_set_str (char **slot, const char *value)
{
	char *copy = g_strdup (value);
	g_free (*slot);
	*slot = copy;
}

static gboolean
str_array_contains (GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp (g_ptr_array_index (a, i), s) == 0)
			return TRUE;
	return FALSE;
}

/* ---------------------------------------------------------------- ecosystems ----------- */

TuScheme
tu_osv_scheme_for_ecosystem (const char *ecosystem_base)
{
	static const struct {
		const char *name;
		TuScheme scheme;
	} table[] = {
		{"AlmaLinux", TU_SCHEME_RPM},
		{"Azure Linux", TU_SCHEME_RPM},
		{"Mageia", TU_SCHEME_RPM},
		{"openEuler", TU_SCHEME_RPM},
		{"openSUSE", TU_SCHEME_RPM},
		{"Photon OS", TU_SCHEME_RPM},
		{"Red Hat", TU_SCHEME_RPM},
		{"Rocky Linux", TU_SCHEME_RPM},
		{"SUSE", TU_SCHEME_RPM},
		{"Debian", TU_SCHEME_DPKG},
		{"Ubuntu", TU_SCHEME_DPKG},
		{"Alpine", TU_SCHEME_APK},
		{"Alpaquita", TU_SCHEME_APK},
		{"Chainguard", TU_SCHEME_APK},
		{"Wolfi", TU_SCHEME_APK},
		{"PyPI", TU_SCHEME_PEP440},
		{"crates.io", TU_SCHEME_SEMVER},
		{"Go", TU_SCHEME_SEMVER},
		{"npm", TU_SCHEME_SEMVER},
	};
	if (ecosystem_base == NULL)
		return TU_SCHEME_GENERIC;
	for (guint i = 0; i < G_N_ELEMENTS (table); i++)
		if (strcmp (table[i].name, ecosystem_base) == 0)
			return table[i].scheme;
	return TU_SCHEME_GENERIC;
}

char *
tu_osv_package_key (const char *ecosystem_base, const char *name)
{
	g_return_val_if_fail (name != NULL, NULL);
	if (g_strcmp0 (ecosystem_base, "PyPI") == 0) {
		/* PEP 503: re.sub(r"[-_.]+", "-", name).lower() */
		GString *key = g_string_sized_new (strlen (name));
		for (const char *p = name; *p != '\0'; p++) {
			if (*p == '-' || *p == '_' || *p == '.') {
				while (p[1] == '-' || p[1] == '_' || p[1] == '.')
					p++;
				g_string_append_c (key, '-');
			} else {
				g_string_append_c (key, g_ascii_tolower (*p));
			}
		}
		return g_string_free (key, FALSE);
	}
	if (g_strcmp0 (ecosystem_base, "npm") == 0)
		return g_ascii_strdown (name, -1);
	return g_strdup (name);
}

/* ---------------------------------------------------------------- JSON and YAML ------- */

/* A parsed document: the tree, and the line each object starts on. */
typedef struct {
	JsonNode *root;
	GHashTable *lines; /* JsonObject* -> line (GUINT_TO_POINTER) */
	GArray *stack;	   /* JSON: start lines of the objects being read */
} OsvDoc;

static void
osv_doc_clear (OsvDoc *doc)
{
	g_clear_pointer (&doc->root, json_node_unref);
	g_clear_pointer (&doc->lines, g_hash_table_unref);
	g_clear_pointer (&doc->stack, g_array_unref);
}

static guint
doc_line (const OsvDoc *doc, JsonObject *o)
{
	return GPOINTER_TO_UINT (g_hash_table_lookup (doc->lines, o));
}

static void
on_object_start (JsonParser *parser, gpointer user_data)
{
	OsvDoc *doc = user_data;
	guint line = json_parser_get_current_line (parser);
	g_array_append_val (doc->stack, line);
}

static void
on_object_end (JsonParser *parser, JsonObject *object, gpointer user_data)
{
	OsvDoc *doc = user_data;
	if (doc->stack->len == 0)
		return;
	guint line = g_array_index (doc->stack, guint, doc->stack->len - 1);
	g_array_set_size (doc->stack, doc->stack->len - 1);
	g_hash_table_insert (doc->lines, object, GUINT_TO_POINTER (line));
}

static gboolean
parse_json (const char *buf, gsize len, const char *path, OsvDoc *doc, GError **error)
{
	g_autofree char *why = NULL;
	if ((why = tu_json_nesting_problem (buf, len, OSV_MAX_DEPTH, TRUE)) != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an OSV file: %s", path, why);
		return FALSE;
	}
	g_autoptr(JsonParser) parser = json_parser_new ();
	doc->stack = g_array_new (FALSE, FALSE, sizeof (guint));
	g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), doc);
	g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), doc);
	g_autoptr(GError) local = NULL;
	if (!json_parser_load_from_data (parser, buf, (gssize) len, &local)) {
		/* json-glib says "<data>:LINE:COL: Parse error: ..." */
		const char *msg = local->message;
		if (g_str_has_prefix (msg, "<data>:"))
			msg += strlen ("<data>:");
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%s%s", path,
			     msg == local->message ? " not valid JSON: " : "", msg);
		return FALSE;
	}
	JsonNode *root = json_parser_get_root (parser);
	if (root == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: empty JSON document",
			     path);
		return FALSE;
	}
	doc->root = json_node_copy (root);
	return TRUE;
}

/* A YAML node (common/tu-yaml) to JSON: every scalar a string, except the plain empty, "~"
 * and "null" scalars, which are null. Aliases are refused (never expanded); the walker
 * refuses collections as keys and duplicate keys. (transfer full) */
static JsonNode *
yaml_to_json (const TuYamlNode *y, const char *path, OsvDoc *doc, GError **error)
{
	switch (y->kind) {
	case TU_YAML_ALIAS:
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: YAML aliases (*%s) are not used in OSV records", path, y->line,
			     y->value);
		return NULL;
	case TU_YAML_SCALAR: {
		JsonNode *node = json_node_alloc ();
		if (y->is_null)
			json_node_init_null (node);
		else
			json_node_init_string (node, y->value);
		return node;
	}
	case TU_YAML_SEQUENCE: {
		JsonArray *a = json_array_new ();
		JsonNode *node = json_node_init_array (json_node_alloc (), a);
		json_array_unref (a);
		for (guint i = 0; i < y->items->len; i++) {
			JsonNode *item = yaml_to_json (g_ptr_array_index (y->items, i), path, doc,
						       error);
			if (item == NULL) {
				json_node_unref (node);
				return NULL;
			}
			json_array_add_element (a, item);
		}
		return node;
	}
	case TU_YAML_MAPPING:
	default: {
		JsonObject *o = json_object_new ();
		JsonNode *node = json_node_init_object (json_node_alloc (), o);
		json_object_unref (o);
		g_hash_table_insert (doc->lines, o, GUINT_TO_POINTER (y->line));
		for (guint i = 0; i + 1 < y->items->len; i += 2) {
			const TuYamlNode *k = g_ptr_array_index (y->items, i);
			if (k->kind == TU_YAML_ALIAS) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: YAML aliases (*%s) are not used in OSV "
					     "records",
					     path, k->line, k->value);
				json_node_unref (node);
				return NULL;
			}
			JsonNode *v = yaml_to_json (g_ptr_array_index (y->items, i + 1), path, doc,
						    error);
			if (v == NULL) {
				json_node_unref (node);
				return NULL;
			}
			json_object_set_member (o, k->value, v);
		}
		return node;
	}
	}
}

static gboolean
parse_yaml (const char *buf, gsize len, const char *path, OsvDoc *doc, GError **error)
{
	TuYamlOptions opts = {
		.syntax_label = "neither JSON nor valid YAML",
		.max_depth = OSV_MAX_DEPTH,
		.refuse_duplicate_keys = TRUE,
	};
	g_autoptr(GPtrArray) roots = tu_yaml_parse (buf, len, path, &opts, error);
	if (roots == NULL)
		return FALSE;
	JsonArray *doc_list = json_array_new ();
	g_autoptr(JsonNode) docs = json_node_init_array (json_node_alloc (), doc_list);
	json_array_unref (doc_list);
	for (guint i = 0; i < roots->len; i++) {
		JsonNode *d = yaml_to_json (g_ptr_array_index (roots, i), path, doc, error);
		if (d == NULL)
			return FALSE;
		json_array_add_element (doc_list, d);
	}

	JsonArray *all = json_node_get_array (docs);
	guint n_docs = json_array_get_length (all);
	if (n_docs == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: empty document", path);
		return FALSE;
	}
	if (n_docs == 1) {
		doc->root = json_node_copy (json_array_get_element (all, 0));
		return TRUE;
	}
	/* a stream of documents, each a record or a list of records: one list */
	JsonArray *flat = json_array_new ();
	for (guint i = 0; i < n_docs; i++) {
		JsonNode *d = json_array_get_element (all, i);
		if (JSON_NODE_HOLDS_ARRAY (d)) {
			JsonArray *inner = json_node_get_array (d);
			for (guint j = 0; j < json_array_get_length (inner); j++)
				json_array_add_element (
				    flat, json_node_copy (json_array_get_element (inner, j)));
		} else {
			json_array_add_element (flat, json_node_copy (d));
		}
	}
	doc->root = json_node_init_array (json_node_alloc (), flat);
	json_array_unref (flat);
	return TRUE;
}

/* ---------------------------------------------------------------- record fields -------- */

/* A string member: *out NULL when absent or null; FALSE (with *why) when of another type. */
static gboolean
get_string (JsonObject *o, const char *name, const char *where, const char **out, char **why)
{
	*out = NULL;
	JsonNode *n = json_object_get_member (o, name);
	if (n == NULL || JSON_NODE_HOLDS_NULL (n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING) {
		*why = g_strdup_printf ("%s%s\"%s\" is not a string", where ? where : "",
					where ? ": " : "", name);
		return FALSE;
	}
	*out = json_node_get_string (n);
	return TRUE;
}

static gboolean
get_array (JsonObject *o, const char *name, const char *where, JsonArray **out, char **why)
{
	*out = NULL;
	JsonNode *n = json_object_get_member (o, name);
	if (n == NULL || JSON_NODE_HOLDS_NULL (n))
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY (n)) {
		*why = g_strdup_printf ("%s%s\"%s\" is not an array", where ? where : "",
					where ? ": " : "", name);
		return FALSE;
	}
	*out = json_node_get_array (n);
	return TRUE;
}

static gboolean
get_object (JsonObject *o, const char *name, const char *where, JsonObject **out, char **why)
{
	*out = NULL;
	JsonNode *n = json_object_get_member (o, name);
	if (n == NULL || JSON_NODE_HOLDS_NULL (n))
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT (n)) {
		*why = g_strdup_printf ("%s%s\"%s\" is not an object", where ? where : "",
					where ? ": " : "", name);
		return FALSE;
	}
	*out = json_node_get_object (n);
	return TRUE;
}

/* Element @i of @a as a string, or FALSE with *why. */
static gboolean
element_string (JsonArray *a, guint i, const char *where, const char **out, char **why)
{
	JsonNode *n = json_array_get_element (a, i);
	if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING) {
		*why = g_strdup_printf ("%s[%u] is not a string", where, i);
		return FALSE;
	}
	*out = json_node_get_string (n);
	return TRUE;
}

static gboolean
fits (const char *s, glong max_chars)
{
	return g_utf8_strlen (s, -1) <= max_chars;
}

static gboolean
has_blank_or_control (const char *s)
{
	for (const char *p = s; *p != '\0'; p++)
		if ((guchar) *p <= 0x20 || *p == 0x7f)
			return TRUE;
	return FALSE;
}

static void
set_time (TuOsvRecord *r, const char *name, const char *value, char **slot)
{
	if (value == NULL)
		return;
	g_autofree char *sql = tu_osv_time_to_sql (value);
	if (sql == NULL) {
		/* the field is dropped, the record is kept: say both, so that the warning is not
		 * read as the record being refused */
		g_autofree char *shown = clip (value);
		warn (r, "\"%s\" is not an RFC 3339 time: \"%s\"; the record is stored without its "
			 "%s date",
		      name, shown, name);
	}
	*slot = g_strdup (value);
}

/* The first line of @details that has something on it. (transfer full) */
static char *
first_line (const char *details)
{
	const char *p = details;
	while (*p != '\0') {
		const char *nl = strchr (p, '\n');
		gsize n = nl ? (gsize) (nl - p) : strlen (p);
		g_autofree char *line = g_strndup (p, n);
		tu_strstrip (line);
		if (*line != '\0')
			return g_steal_pointer (&line);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return NULL;
}

static void
add_alias (TuOsvRecord *r, const char *alias)
{
	if (alias == NULL || *alias == '\0' || strcmp (alias, r->id) == 0 ||
	    str_array_contains (r->aliases, alias))
		return;
	if (!fits (alias, 128) || has_blank_or_control (alias)) {
		g_autofree char *c = clip (alias);
		warn (r, "alias \"%s\" is not an identifier of at most 128 characters (skipped)",
		      c);
		return;
	}
	g_ptr_array_add (r->aliases, g_strdup (alias));
}

/* severity[]: the first CVSS_V3 and CVSS_V4 vectors and an Ubuntu priority. */
static gboolean
read_severity (JsonObject *o, const char *where, const char **v3, const char **v4,
	       const char **text, const char **text_src, char **why)
{
	JsonArray *sev = NULL;
	if (!get_array (o, "severity", where, &sev, why))
		return FALSE;
	for (guint i = 0; sev != NULL && i < json_array_get_length (sev); i++) {
		JsonNode *n = json_array_get_element (sev, i);
		g_autofree char *w = g_strdup_printf ("%s%sseverity[%u]", where ? where : "",
						      where ? "." : "", i);
		if (!JSON_NODE_HOLDS_OBJECT (n)) {
			*why = g_strdup_printf ("%s is not an object", w);
			return FALSE;
		}
		const char *type = NULL, *score = NULL;
		if (!get_string (json_node_get_object (n), "type", w, &type, why) ||
		    !get_string (json_node_get_object (n), "score", w, &score, why))
			return FALSE;
		if (type == NULL || score == NULL)
			continue;
		if (strcmp (type, "CVSS_V3") == 0 && *v3 == NULL)
			*v3 = score;
		else if (strcmp (type, "CVSS_V4") == 0 && *v4 == NULL)
			*v4 = score;
		else if (strcmp (type, "Ubuntu") == 0 && *text == NULL) {
			*text = score;
			*text_src = "Ubuntu";
		}
	}
	return TRUE;
}

/* A severity word from database_specific / ecosystem_specific. */
static const char *
specific_severity (JsonObject *o, const char **source)
{
	static const char *const members[] = {"database_specific", "ecosystem_specific"};
	for (guint i = 0; i < G_N_ELEMENTS (members); i++) {
		JsonNode *n = json_object_get_member (o, members[i]);
		if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
			continue;
		JsonNode *s = json_object_get_member (json_node_get_object (n), "severity");
		if (s != NULL && JSON_NODE_HOLDS_VALUE (s) &&
		    json_node_get_value_type (s) == G_TYPE_STRING && *json_node_get_string (s)) {
			*source = members[i];
			return json_node_get_string (s);
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------- affected ------------- */

static const char *const event_kinds[] = {"introduced", "fixed", "last_affected", "limit", NULL};

gboolean
tu_osv_event_is_special (const TuOsvEvent *e)
{
	return (strcmp (e->kind, "introduced") == 0 && strcmp (e->version, "0") == 0) ||
	       (strcmp (e->kind, "limit") == 0 && strcmp (e->version, "*") == 0);
}

/* Read one range. FALSE (with *why) rejects the record; *out is NULL for GIT ranges. */
static gboolean
read_range (JsonNode *n, const char *where, TuOsvRange **out, gboolean *is_git, char **why)
{
	*out = NULL;
	*is_git = FALSE;
	if (!JSON_NODE_HOLDS_OBJECT (n)) {
		*why = g_strdup_printf ("%s is not an object", where);
		return FALSE;
	}
	JsonObject *o = json_node_get_object (n);
	const char *type = NULL;
	JsonArray *events = NULL;
	if (!get_string (o, "type", where, &type, why) ||
	    !get_array (o, "events", where, &events, why))
		return FALSE;
	if (type == NULL) {
		*why = g_strdup_printf ("%s: a range without a type", where);
		return FALSE;
	}
	gboolean git = strcmp (type, "GIT") == 0;
	if (!git && strcmp (type, "ECOSYSTEM") != 0 && strcmp (type, "SEMVER") != 0) {
		g_autofree char *c = clip (type);
		*why = g_strdup_printf ("%s: unknown range type \"%s\"", where, c);
		return FALSE;
	}
	if (events == NULL || json_array_get_length (events) == 0) {
		*why = g_strdup_printf ("%s: a range without events", where);
		return FALSE;
	}
	g_autoptr(GPtrArray) tmp = g_ptr_array_new_with_free_func ((GDestroyNotify) osv_range_free);
	TuOsvRange *range = osv_range_new (type);
	g_ptr_array_add (tmp, range);
	gboolean has_introduced = FALSE, has_fixed = FALSE, has_last = FALSE;
	for (guint i = 0; i < json_array_get_length (events); i++) {
		JsonNode *en = json_array_get_element (events, i);
		if (!JSON_NODE_HOLDS_OBJECT (en)) {
			*why = g_strdup_printf ("%s.events[%u] is not an object", where, i);
			return FALSE;
		}
		JsonObject *eo = json_node_get_object (en);
		guint n_members = json_object_get_size (eo);
		if (n_members != 1) {
			*why = g_strdup_printf (
			    "%s.events[%u]: an event must have exactly one of "
			    "introduced, fixed, last_affected, limit (it has %u keys)",
			    where, i, n_members);
			return FALSE;
		}
		g_autoptr(GList) members = json_object_get_members (eo);
		const char *kind = members->data;
		if (!g_strv_contains (event_kinds, kind)) {
			g_autofree char *c = clip (kind);
			*why = g_strdup_printf ("%s.events[%u]: unknown event \"%s\"", where, i, c);
			return FALSE;
		}
		const char *version = NULL;
		g_autofree char *ew = g_strdup_printf ("%s.events[%u]", where, i);
		if (!get_string (eo, kind, ew, &version, why))
			return FALSE;
		if (version == NULL || *version == '\0') {
			*why = g_strdup_printf ("%s: \"%s\" without a version", ew, kind);
			return FALSE;
		}
		has_introduced |= strcmp (kind, "introduced") == 0;
		has_fixed |= strcmp (kind, "fixed") == 0;
		has_last |= strcmp (kind, "last_affected") == 0;
		osv_range_add (range, kind, version);
	}
	if (!has_introduced) {
		*why = g_strdup_printf ("%s: a range without an \"introduced\" event (RNG:001)",
					where);
		return FALSE;
	}
	if (has_fixed && has_last) {
		*why = g_strdup_printf (
		    "%s: a range with both \"fixed\" and \"last_affected\" events", where);
		return FALSE;
	}
	*is_git = git;
	if (!git)
		*out = g_ptr_array_steal_index (tmp, 0);
	return TRUE;
}

gboolean
tu_osv_version_valid (TuScheme scheme, const char *version, char **why)
{
	g_autoptr(GError) local = NULL;
	if (tu_version_validate (scheme, version, &local))
		return TRUE;
	if (why != NULL)
		*why = g_strdup (local->message);
	return FALSE;
}

TuScheme
tu_osv_range_scheme (const TuOsvAffected *a, const TuOsvRange *range)
{
	return strcmp (range->type, "SEMVER") == 0 ? TU_SCHEME_SEMVER : a->scheme;
}

/* Put the versions the scheme cannot parse aside (versions list) or on record (events). */
static void
check_versions (TuOsvAffected *a, GPtrArray *listed, TuOsvRecord *r, const char *where)
{
	for (guint i = 0; i < a->ranges->len; i++) {
		const TuOsvRange *range = g_ptr_array_index (a->ranges, i);
		TuScheme scheme = tu_osv_range_scheme (a, range);
		for (guint j = 0; j < range->events->len; j++) {
			const TuOsvEvent *e = g_ptr_array_index (range->events, j);
			g_autofree char *why = NULL;
			if (tu_osv_event_is_special (e) || tu_osv_version_valid (scheme, e->version, &why))
				continue;
			if (!str_array_contains (a->invalid_versions, e->version))
				g_ptr_array_add (a->invalid_versions, g_strdup (e->version));
			if (r != NULL)
				warn (
				    r,
				    "%s (%s %s): %s event: %s (ranges with it evaluate to unknown)",
				    where, a->ecosystem, a->package, e->kind, why);
		}
	}
	for (guint i = 0; listed != NULL && i < listed->len; i++) {
		const char *v = g_ptr_array_index (listed, i);
		g_autofree char *why = NULL;
		if (tu_osv_version_valid (a->scheme, v, &why)) {
			if (!str_array_contains (a->versions, v))
				g_ptr_array_add (a->versions, g_strdup (v));
			continue;
		}
		if (!str_array_contains (a->invalid_versions, v))
			g_ptr_array_add (a->invalid_versions, g_strdup (v));
		if (r != NULL)
			warn (r, "%s (%s %s): listed version: %s (left out)", where, a->ecosystem,
			      a->package, why);
	}
}

/* Read affected[@index]. FALSE (with *why) rejects the record; *out is NULL when the entry
 * has nothing to store (warned about), *usable says whether it counted for anything. */
static gboolean
read_affected (TuOsvRecord *r, JsonNode *n, guint index, TuOsvAffected **out,
	       gboolean *usable, const char **v3, const char **v4, const char **sev_text,
	       const char **sev_src, char **why)
{
	*out = NULL;
	*usable = FALSE;
	g_autofree char *where = g_strdup_printf ("affected[%u]", index);
	if (!JSON_NODE_HOLDS_OBJECT (n)) {
		*why = g_strdup_printf ("%s is not an object", where);
		return FALSE;
	}
	JsonObject *o = json_node_get_object (n);
	JsonObject *pkg = NULL;
	JsonArray *ranges = NULL, *versions = NULL;
	const char *ecosystem = NULL, *name = NULL, *purl = NULL;
	if (!get_object (o, "package", where, &pkg, why) ||
	    !get_array (o, "ranges", where, &ranges, why) ||
	    !get_array (o, "versions", where, &versions, why))
		return FALSE;
	if (pkg != NULL) {
		g_autofree char *pw = g_strdup_printf ("%s.package", where);
		if (!get_string (pkg, "ecosystem", pw, &ecosystem, why) ||
		    !get_string (pkg, "name", pw, &name, why) ||
		    !get_string (pkg, "purl", pw, &purl, why))
			return FALSE;
	}
	if (!read_severity (o, where, v3, v4, sev_text, sev_src, why))
		return FALSE;
	if (*sev_text == NULL)
		*sev_text = specific_severity (o, sev_src);

	g_autoptr(GPtrArray) kept =
	    g_ptr_array_new_with_free_func ((GDestroyNotify) osv_range_free);
	guint n_git = 0;
	for (guint i = 0; ranges != NULL && i < json_array_get_length (ranges); i++) {
		g_autofree char *rw = g_strdup_printf ("%s.ranges[%u]", where, i);
		TuOsvRange *range = NULL;
		gboolean is_git = FALSE;
		if (!read_range (json_array_get_element (ranges, i), rw, &range, &is_git, why))
			return FALSE;
		if (is_git)
			n_git++;
		else
			g_ptr_array_add (kept, range);
	}
	g_autoptr(GPtrArray) listed = g_ptr_array_new ();
	for (guint i = 0; versions != NULL && i < json_array_get_length (versions); i++) {
		const char *v = NULL;
		g_autofree char *vw = g_strdup_printf ("%s.versions", where);
		if (!element_string (versions, i, vw, &v, why))
			return FALSE;
		g_ptr_array_add (listed, (gpointer) v);
	}
	r->n_git_ranges += n_git;
	*usable = n_git > 0;

	if (ecosystem == NULL || *ecosystem == '\0' || name == NULL || *name == '\0') {
		if (kept->len > 0 || listed->len > 0)
			warn (r,
			      "%s: no package (ecosystem and name): %u range(s) and %u version(s) "
			      "cannot be matched%s",
			      where, kept->len, listed->len,
			      n_git ? "; its GIT ranges are counted" : "");
		else if (n_git == 0)
			warn (r, "%s: no package and no ranges: nothing to match", where);
		return TRUE;
	}
	if (!fits (ecosystem, 128) || !fits (name, 255) || (purl != NULL && !fits (purl, 512))) {
		warn (r, "%s: ecosystem, name or purl too long to store (skipped)", where);
		return TRUE;
	}
	g_autoptr(TuOsvAffected) a = osv_affected_new (ecosystem, name);
	if (!fits (a->ecosystem_base, 64) || !fits (a->ecosystem_release, 64)) {
		g_autofree char *c = clip (ecosystem);
		warn (r, "%s: ecosystem \"%s\" too long to store (skipped)", where, c);
		return TRUE;
	}
	a->purl = g_strdup (purl);
	g_ptr_array_extend_and_steal (a->ranges, g_steal_pointer (&kept));
	check_versions (a, listed, r, where);
	if (a->ranges->len == 0 && a->versions->len == 0) {
		if (n_git > 0)
			warn (r,
			      "%s (%s %s): only GIT ranges: counted, cannot be matched to versions",
			      where, ecosystem, name);
		else
			warn (r, "%s (%s %s): no range and no version its scheme accepts (skipped)",
			      where, ecosystem, name);
		return TRUE;
	}
	*usable = TRUE;
	*out = g_steal_pointer (&a);
	return TRUE;
}

/* ---------------------------------------------------------------- records -------------- */

/* Read one record. NULL with *why when it is refused. */
static TuOsvRecord *
read_record (JsonObject *o, char **why)
{
	g_autoptr(TuOsvRecord) r = osv_record_new ();
	const char *id = NULL, *summary = NULL, *details = NULL;
	const char *published = NULL, *modified = NULL, *withdrawn = NULL;
	JsonArray *aliases = NULL, *related = NULL, *affected = NULL;

	if (!get_string (o, "id", NULL, &id, why))
		return NULL;
	if (id == NULL || *id == '\0') {
		*why = g_strdup ("no \"id\"");
		return NULL;
	}
	if (!fits (id, 128) || has_blank_or_control (id)) {
		*why = g_strdup ("\"id\" is not an identifier of at most 128 characters");
		return NULL;
	}
	r->id = g_strdup (id);
	if (!get_string (o, "summary", NULL, &summary, why) ||
	    !get_string (o, "details", NULL, &details, why) ||
	    !get_string (o, "published", NULL, &published, why) ||
	    !get_string (o, "modified", NULL, &modified, why) ||
	    !get_string (o, "withdrawn", NULL, &withdrawn, why) ||
	    !get_array (o, "aliases", NULL, &aliases, why) ||
	    !get_array (o, "related", NULL, &related, why) ||
	    !get_array (o, "affected", NULL, &affected, why))
		return NULL;
	if (affected == NULL || json_array_get_length (affected) == 0) {
		*why = g_strdup ("\"affected\" is missing or empty (REC:001)");
		return NULL;
	}

	g_autofree char *sum = NULL;
	if (summary != NULL && *summary != '\0')
		sum = g_strdup (summary);
	else if (details != NULL)
		sum = first_line (details);
	if (sum != NULL) {
		tu_strstrip (sum);
		r->summary = tu_utf8_clean (sum, -1, 65535, NULL);
	}
	set_time (r, "published", published, &r->published);
	set_time (r, "modified", modified, &r->modified);
	set_time (r, "withdrawn", withdrawn, &r->withdrawn);
	for (guint i = 0; aliases != NULL && i < json_array_get_length (aliases); i++) {
		const char *s = NULL;
		if (!element_string (aliases, i, "aliases", &s, why))
			return NULL;
		add_alias (r, s);
	}
	for (guint i = 0; related != NULL && i < json_array_get_length (related); i++) {
		const char *s = NULL;
		if (!element_string (related, i, "related", &s, why))
			return NULL;
		if (g_str_has_prefix (s, "CVE-"))
			add_alias (r, s);
	}

	const char *v3 = NULL, *v4 = NULL, *sev_text = NULL, *sev_src = NULL;
	if (!read_severity (o, NULL, &v3, &v4, &sev_text, &sev_src, why))
		return NULL;
	if (sev_text == NULL)
		sev_text = specific_severity (o, &sev_src);
	/* the record's own severity first; package-level ones only when it has none */
	const char *a_v3 = NULL, *a_v4 = NULL, *a_text = NULL, *a_src = NULL;
	guint n_usable = 0;
	for (guint i = 0; i < json_array_get_length (affected); i++) {
		TuOsvAffected *a = NULL;
		gboolean usable = FALSE;
		if (!read_affected (r, json_array_get_element (affected, i), i, &a, &usable, &a_v3,
				    &a_v4, &a_text, &a_src, why))
			return NULL;
		if (a != NULL)
			g_ptr_array_add (r->affected, a);
		n_usable += usable;
	}
	if (n_usable == 0) {
		*why = g_strdup ("no affected entry can be used (no package with ranges or "
				 "versions, no GIT range)");
		return NULL;
	}
	if (v3 == NULL && v4 == NULL) {
		v3 = a_v3;
		v4 = a_v4;
	}
	if (sev_text == NULL) {
		sev_text = a_text;
		sev_src = a_src;
	}
	/* a distribution's own label leading its summary ("Important: php security update", as
	 * AlmaLinux, Rocky Linux and Red Hat write them): only the labels of the scale's table,
	 * since any other word before a colon is the summary's subject ("php: ...") */
	g_autofree char *summary_label = NULL;
	if (sev_text == NULL && r->summary != NULL) {
		const char *colon = strchr (r->summary, ':');
		TuSeverity unused = TU_SEVERITY_UNKNOWN;
		if (colon != NULL && colon - r->summary < 32) {
			summary_label = g_strndup (r->summary, (gsize) (colon - r->summary));
			if (tu_severity_from_label (summary_label, &unused)) {
				sev_text = summary_label;
				sev_src = "summary";
			}
		}
	}

	if (v3 != NULL) {
		g_autoptr(GError) local = NULL;
		if (!fits (v3, 255))
			warn (r,
			      "severity: CVSS_V3 vector longer than 255 characters (not stored)");
		else if (!tu_cvss3_base_score (v3, &r->cvss_score, &local))
			warn (r, "severity: %s (no score)", local->message);
		if (fits (v3, 255))
			r->cvss_vector = g_strdup (v3);
		if (r->cvss_score >= 0)
			r->severity_source = g_strdup ("CVSS_V3");
	} else if (v4 != NULL) {
		g_autoptr(GError) local = NULL;
		if (!fits (v4, 255))
			warn (r,
			      "severity: CVSS_V4 vector longer than 255 characters (not stored)");
		else if (!tu_cvss4_score (v4, &r->cvss_score, &local))
			warn (r, "severity: %s (no score)", local->message);
		if (fits (v4, 255))
			r->cvss_vector = g_strdup (v4);
		if (r->cvss_score >= 0)
			r->severity_source = g_strdup ("CVSS_V4");
	}
	if (sev_text != NULL) {
		TuSeverity unused = TU_SEVERITY_UNKNOWN;
		if (!tu_severity_from_label (sev_text, &unused)) {
			g_autofree char *c = clip (sev_text);
			warn (r, "severity: unknown label \"%s\" (%s): severity unknown", c,
			      sev_src ? sev_src : "severity");
		}
		if (fits (sev_text, 32)) {
			if (r->severity_source == NULL)
				r->severity_source = g_strdup (sev_src ? sev_src : "severity");
			r->severity = g_strdup (sev_text);
		} else {
			g_autofree char *c = clip (sev_text);
			warn (r, "severity \"%s\" longer than 32 characters (not stored)", c);
		}
	}
	if (withdrawn != NULL)
		warn (r, "withdrawn on %s", withdrawn);
	return g_steal_pointer (&r);
}

/* Does @o look like an OSV record at all (rather than some other JSON or YAML)? */
static gboolean
looks_like_osv (JsonObject *o)
{
	static const char *const keys[] = {"affected", "modified",  "published", "withdrawn",
					   "aliases",  "related",   "schema_version"};
	for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
		if (json_object_has_member (o, keys[i]))
			return TRUE;
	return FALSE;
}

static const char *
node_kind (JsonNode *n)
{
	if (JSON_NODE_HOLDS_OBJECT (n))
		return "an object";
	if (JSON_NODE_HOLDS_ARRAY (n))
		return "an array";
	if (JSON_NODE_HOLDS_NULL (n))
		return "null";
	return "a plain value";
}

/* The keys of @o, for "this is not OSV" messages. (transfer full) */
static char *
some_keys (JsonObject *o)
{
	g_autoptr(GList) members = json_object_get_members (o);
	GString *s = g_string_new (NULL);
	guint n = 0;
	for (GList *l = members; l != NULL; l = l->next, n++) {
		if (n == 4) {
			g_string_append (s, ", …");
			break;
		}
		g_autofree char *clean = tu_utf8_clean (l->data, -1, 40, NULL);
		g_string_append_printf (s, "%s\"%s\"", n ? ", " : "", clean);
	}
	if (n == 0)
		g_string_append (s, "none");
	return g_string_free (s, FALSE);
}

gboolean
tu_osv_parse (const char *buf, gsize len, const char *path, GPtrArray *records,
	      GPtrArray *rejected, GError **error)
{
	g_return_val_if_fail (buf != NULL || len == 0, FALSE);
	g_return_val_if_fail (records != NULL && rejected != NULL, FALSE);
	if (path == NULL)
		path = "(input)";

	/* JSON or YAML, from the content: JSON starts with { or [ after blanks and a BOM */
	gsize at = 0;
	if (len >= 3 && memcmp (buf, "\xef\xbb\xbf", 3) == 0)
		at = 3;
	while (at < len &&
	       (buf[at] == ' ' || buf[at] == '\t' || buf[at] == '\r' || buf[at] == '\n'))
		at++;
	if (at == len) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an OSV file: it is empty", path);
		return FALSE;
	}
	if (!g_utf8_validate_len (buf, len, NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an OSV file: not UTF-8 text (or it holds NUL bytes)", path);
		return FALSE;
	}
	OsvDoc doc = {0};
	doc.lines = g_hash_table_new (g_direct_hash, g_direct_equal);
	gboolean ok = (buf[at] == '{' || buf[at] == '[')
			      ? parse_json (buf + at, len - at, path, &doc, error)
			      : parse_yaml (buf, len, path, &doc, error);
	if (!ok) {
		osv_doc_clear (&doc);
		return FALSE;
	}

	/* the whole file must be OSV before any of it is used */
	g_autoptr(GPtrArray) objects = g_ptr_array_new ();
	if (JSON_NODE_HOLDS_OBJECT (doc.root)) {
		JsonObject *o = json_node_get_object (doc.root);
		if (!looks_like_osv (o)) {
			g_autofree char *keys = some_keys (o);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: not an OSV record: none of \"affected\", \"modified\", "
				     "\"published\", \"aliases\" … at the top (its keys: %s)",
				     path, keys);
			osv_doc_clear (&doc);
			return FALSE;
		}
		g_ptr_array_add (objects, o);
	} else if (JSON_NODE_HOLDS_ARRAY (doc.root)) {
		JsonArray *a = json_node_get_array (doc.root);
		for (guint i = 0; i < json_array_get_length (a); i++) {
			JsonNode *n = json_array_get_element (a, i);
			if (JSON_NODE_HOLDS_OBJECT (n) &&
			    looks_like_osv (json_node_get_object (n))) {
				g_ptr_array_add (objects, json_node_get_object (n));
				continue;
			}
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: not OSV records: element %u is %s%s", path, i,
				     node_kind (n),
				     JSON_NODE_HOLDS_OBJECT (n) ? " without OSV fields" : "");
			osv_doc_clear (&doc);
			return FALSE;
		}
	} else {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an OSV record: the document is %s, not an object", path,
			     node_kind (doc.root));
		osv_doc_clear (&doc);
		return FALSE;
	}

	for (guint i = 0; i < objects->len; i++) {
		JsonObject *o = g_ptr_array_index (objects, i);
		g_autofree char *why = NULL;
		TuOsvRecord *r = read_record (o, &why);
		if (r != NULL) {
			g_ptr_array_add (records, r);
			continue;
		}
		JsonNode *idn = json_object_get_member (o, "id");
		g_autofree char *label = NULL;
		if (idn != NULL && JSON_NODE_HOLDS_VALUE (idn) &&
		    json_node_get_value_type (idn) == G_TYPE_STRING &&
		    *json_node_get_string (idn) != '\0')
			label = tu_utf8_clean (json_node_get_string (idn), -1, 128, NULL);
		else
			label = g_strdup ("(no id)");
		guint line = doc_line (&doc, o);
		if (objects->len > 1 && line > 0)
			g_ptr_array_add (rejected,
					 g_strdup_printf ("%s:%u: %s: %s", path, line, label, why));
		else
			g_ptr_array_add (rejected,
					 g_strdup_printf ("%s: %s: %s", path, label, why));
	}
	osv_doc_clear (&doc);
	return TRUE;
}

/* ---------------------------------------------------------------- stored columns ------- */

/* The stored columns as tu_osv_ranges_to_json and tu_osv_strings_to_json write them (compact
 * JSON, strings without escapes), read without building a json-glib tree: patch reads back
 * hundreds of thousands of them, and json-glib's tree was most of its time. Anything else
 * (white space, an escape, another key order, a rule read_range enforces broken) is left to
 * json-glib, which reads it or says what is wrong with it. */

/* A JSON string without escapes or control characters at *@p; moves past it. (transfer none:
 * @p's text, not terminated) */
static gboolean
plain_string (const char **p, const char **start, gsize *len)
{
	const char *s = *p;
	if (*s != '"')
		return FALSE;
	s++;
	*start = s;
	while (*s != '"') {
		if (*s == '\0' || *s == '\\' || (guchar) *s < 0x20)
			return FALSE;
		s++;
	}
	*len = (gsize) (s - *start);
	*p = s + 1;
	return TRUE;
}

static gboolean
plain_literal (const char **p, const char *lit)
{
	gsize n = strlen (lit);
	if (strncmp (*p, lit, n) != 0)
		return FALSE;
	*p += n;
	return TRUE;
}

static gboolean
plain_is (const char *start, gsize len, const char *word)
{
	return strlen (word) == len && memcmp (start, word, len) == 0;
}

gboolean
tu_osv_ranges_read_plain (const char *text, GPtrArray *ranges)
{
	if (!g_utf8_validate (text, -1, NULL))
		return FALSE;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) osv_range_free);
	const char *p = text;
	if (!plain_literal (&p, "["))
		return FALSE;
	while (*p != ']') {
		if (out->len > 0 && !plain_literal (&p, ","))
			return FALSE;
		const char *type, *kind, *version;
		gsize type_len, kind_len, version_len;
		if (!plain_literal (&p, "{\"type\":") || !plain_string (&p, &type, &type_len) ||
		    !plain_literal (&p, ",\"events\":["))
			return FALSE;
		/* GIT ranges are skipped by json-glib's reader; unknown types are errors */
		if (!plain_is (type, type_len, "ECOSYSTEM") && !plain_is (type, type_len, "SEMVER"))
			return FALSE;
		gboolean semver = plain_is (type, type_len, "SEMVER");
		TuOsvRange *range = osv_range_new (semver ? "SEMVER" : "ECOSYSTEM");
		g_ptr_array_add (out, range);
		gboolean has_introduced = FALSE, has_fixed = FALSE, has_last = FALSE;
		while (*p != ']') {
			if (range->events->len > 0 && !plain_literal (&p, ","))
				return FALSE;
			if (!plain_literal (&p, "{") || !plain_string (&p, &kind, &kind_len) ||
			    !plain_literal (&p, ":") ||
			    !plain_string (&p, &version, &version_len) || !plain_literal (&p, "}"))
				return FALSE;
			g_autofree char *k = g_strndup (kind, kind_len);
			if (!g_strv_contains (event_kinds, k) || version_len == 0)
				return FALSE;
			g_autofree char *v = g_strndup (version, version_len);
			has_introduced |= strcmp (k, "introduced") == 0;
			has_fixed |= strcmp (k, "fixed") == 0;
			has_last |= strcmp (k, "last_affected") == 0;
			osv_range_add (range, k, v);
		}
		p++;
		if (!plain_literal (&p, "}") || range->events->len == 0 || !has_introduced ||
		    (has_fixed && has_last))
			return FALSE;
	}
	p++;
	if (*p != '\0')
		return FALSE;
	for (guint i = 0; i < out->len; i++)
		g_ptr_array_add (ranges, g_steal_pointer (&out->pdata[i]));
	return TRUE;
}

gboolean
tu_osv_strings_read_plain (const char *text, GPtrArray *strings)
{
	if (!g_utf8_validate (text, -1, NULL))
		return FALSE;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
	const char *p = text;
	if (!plain_literal (&p, "["))
		return FALSE;
	while (*p != ']') {
		const char *v;
		gsize len;
		if ((out->len > 0 && !plain_literal (&p, ",")) || !plain_string (&p, &v, &len))
			return FALSE;
		g_ptr_array_add (out, g_strndup (v, len));
	}
	if (p[1] != '\0')
		return FALSE;
	for (guint i = 0; i < out->len; i++)
		g_ptr_array_add (strings, g_steal_pointer (&out->pdata[i]));
	return TRUE;
}

/* A stored column holding a JSON array, or NULL with @error. (transfer full) */
static JsonNode *
load_column (const char *text, const char *what, const TuOsvAffected *a, GError **error)
{
	const char *p = text;
	while (g_ascii_isspace (*p))
		p++;
	g_autofree char *why = NULL;
	if (!g_utf8_validate (p, -1, NULL))
		why = g_strdup ("not UTF-8 text");
	else if (*p != '[')
		why = g_strdup ("not a JSON array");
	else
		why = tu_json_nesting_problem (p, strlen (p), OSV_MAX_DEPTH, TRUE);
	if (why == NULL) {
		g_autoptr(JsonParser) parser = json_parser_new ();
		g_autoptr(GError) local = NULL;
		if (json_parser_load_from_data (parser, p, -1, &local)) {
			/* the parser's tree itself, not a copy of it (a copy doubled the cost of
			 * reading the advisories back in patch) */
			g_autoptr(JsonNode) root = json_parser_steal_root (parser);
			if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
				return g_steal_pointer (&root);
			why = g_strdup ("not a JSON array");
		} else {
			why = g_strdup (local->message);
		}
	}
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s %s: %s: %s", a->ecosystem,
		     a->package, what, why);
	return NULL;
}

TuOsvAffected *
tu_osv_affected_from_json (const char *ecosystem, const char *package, const char *scheme,
			   const char *ranges_json, const char *versions_json, GError **error)
{
	return tu_osv_affected_from_json_full (ecosystem, package, scheme, ranges_json,
					       versions_json, TRUE, error);
}

TuOsvAffected *
tu_osv_affected_from_json_full (const char *ecosystem, const char *package, const char *scheme,
				const char *ranges_json, const char *versions_json,
				gboolean plain_allowed, GError **error)
{
	g_return_val_if_fail (ecosystem != NULL && package != NULL, NULL);
	g_autoptr(TuOsvAffected) a = osv_affected_new (ecosystem, package);
	if (scheme != NULL && !tu_scheme_from_string (scheme, &a->scheme)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s %s: unknown version scheme \"%s\"", ecosystem, package, scheme);
		return NULL;
	}
	if (ranges_json != NULL && *ranges_json != '\0' &&
	    !(plain_allowed && tu_osv_ranges_read_plain (ranges_json, a->ranges))) {
		g_autoptr(JsonNode) root = load_column (ranges_json, "ranges", a, error);
		if (root == NULL)
			return NULL;
		JsonArray *arr = json_node_get_array (root);
		for (guint i = 0; i < json_array_get_length (arr); i++) {
			g_autofree char *where = g_strdup_printf ("ranges[%u]", i);
			g_autofree char *why = NULL;
			TuOsvRange *range = NULL;
			gboolean is_git = FALSE;
			if (!read_range (json_array_get_element (arr, i), where, &range, &is_git,
					 &why)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s %s: %s",
					     ecosystem, package, why);
				return NULL;
			}
			if (range != NULL)
				g_ptr_array_add (a->ranges, range);
		}
	}
	g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
	if (versions_json != NULL && *versions_json != '\0' &&
	    !(plain_allowed && tu_osv_strings_read_plain (versions_json, listed))) {
		g_autoptr(JsonNode) root = load_column (versions_json, "versions", a, error);
		if (root == NULL)
			return NULL;
		JsonArray *arr = json_node_get_array (root);
		for (guint i = 0; i < json_array_get_length (arr); i++) {
			const char *v = NULL;
			g_autofree char *why = NULL;
			if (!element_string (arr, i, "versions", &v, &why)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s %s: %s",
					     ecosystem, package, why);
				return NULL;
			}
			g_ptr_array_add (listed, g_strdup (v));
		}
	}
	check_versions (a, listed, NULL, NULL);
	return g_steal_pointer (&a);
}

