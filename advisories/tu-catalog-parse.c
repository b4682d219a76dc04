/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the release catalogue (see tu-catalog.h): endoflife.date product pages (YAML front
 * matter through libyaml events, every scalar kept as the text written, so "1.30" stays
 * "1.30"), release-data JSON (json-glib) and in-house CSV catalogues. Pure: buffers in,
 * TuCatalogProduct out, no database and no files.
 *
 * A release-data entry overrides the page's cycle of the same name. Every field is checked
 * against the column sizes of schema/0003-catalogue.sql here, so storing never truncates.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <string.h>

#include "tu-catalog-private.h"
#include "tu-common.h"
#include "tu-json.h"
#include "tu-csv.h"
#include "tu-record.h"
#include "tu-rules.h"
#include "tu-yaml.h"

#define CAT_MAX_DEPTH	   64	    /* nesting of YAML and JSON documents */
#define CAT_MAX_YAML_NODES 2000000u /* a front matter is a few thousand nodes */

/* column sizes of schema/0003-catalogue.sql, in characters */
#define LEN_ID	     128
#define LEN_TITLE    255
#define LEN_CATEGORY 64
#define LEN_IDENT    512
#define LEN_CYCLE    64
#define LEN_CODENAME 128
#define LEN_LABEL    255
#define LEN_VERSION  128

/* ---------------------------------------------------------------- values --------------- */

static gboolean
too_long (const char *s, guint max_chars)
{
	return g_utf8_strlen (s, -1) > (glong) max_chars;
}

static int
bool_text (const char *s)
{
	static const char *const yes[] = {"true", "True", "TRUE", NULL};
	static const char *const no[] = {"false", "False", "FALSE", NULL};
	if (g_strv_contains (yes, s))
		return 1;
	if (g_strv_contains (no, s))
		return 0;
	return -1;
}

/* A date, normalised to YYYY-MM-DD; the message names no place (callers add it). */
static gboolean
parse_date (const char *s, char **out, GError **error)
{
	guint32 j = 0;
	if (!tu_date_parse (s, &j, "date", NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "\"%s\" is not a date (YYYY-MM-DD)", s);
		return FALSE;
	}
	g_free (*out);
	*out = tu_date_format (j);
	return TRUE;
}

/* A boolean or a date (eol, eoas): *@flag is 1/0 for a boolean, -1 with a date. */
static gboolean
parse_flag_or_date (const char *s, char **date, int *flag, GError **error)
{
	int b = bool_text (s);
	if (b >= 0) {
		g_clear_pointer (date, g_free);
		*flag = b;
		return TRUE;
	}
	guint32 j = 0;
	if (!tu_date_parse (s, &j, "date", NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "\"%s\" is not a date (YYYY-MM-DD), true or false", s);
		return FALSE;
	}
	g_free (*date);
	*date = tu_date_format (j);
	*flag = -1;
	return TRUE;
}
/* ---------------------------------------------------------------- YAML tree ------------ */

/* The front matter as a tree (common/tu-yaml): aliases are kept as nodes of their own and
 * never expanded, so a hostile page cannot grow in memory. @first_line: the file line @buf
 * starts on, for messages. */
static TuYamlNode *
yaml_tree (const char *buf, gsize len, const char *path, guint first_line, GError **error)
{
	TuYamlOptions opts = {
		.syntax_label = "YAML",
		.first_line = first_line,
		.max_depth = CAT_MAX_DEPTH,
		.max_nodes = CAT_MAX_YAML_NODES,
		.first_document_only = TRUE,
	};
	g_autoptr(GPtrArray) docs = tu_yaml_parse (buf, len, path, &opts, error);
	if (docs == NULL)
		return NULL;
	if (docs->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: the front matter is empty",
			     path);
		return NULL;
	}
	return g_ptr_array_steal_index (docs, 0);
}

/* ---------------------------------------------------------------- product pages -------- */

/* The text between the first two "---" lines; the first line of the file must be "---". */
static gboolean
front_matter (const char *buf, gsize len, const char *path, const char **fm, gsize *fm_len,
	      GError **error)
{
	const char *p = buf, *end = buf + len;
	if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	gboolean first = TRUE;
	const char *start = NULL;
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *line_end = nl ? nl : end;
		const char *e = line_end;
		while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		gboolean fence = e - p == 3 && memcmp (p, "---", 3) == 0;
		if (first) {
			if (!fence)
				break;
			first = FALSE;
			start = nl ? nl + 1 : end;
		} else if (fence) {
			*fm = start;
			*fm_len = (gsize) (p - start);
			return TRUE;
		}
		p = nl ? nl + 1 : end;
	}
	if (start == NULL)
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an endoflife.date product page: no YAML front matter (the "
			     "first line must be \"---\")",
			     path);
	else
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: the front matter has no end (a second \"---\" line)", path);
	return FALSE;
}

/* A scalar field of a mapping: NULL when absent or null; an error when it is not a scalar. */
static gboolean
yfield (const TuYamlNode *map, const char *key, const char *path, const char *where,
	const char **out, GError **error)
{
	*out = NULL;
	const TuYamlNode *n = tu_yaml_map_get (map, key);
	if (n == NULL)
		return TRUE;
	if (n->kind == TU_YAML_ALIAS) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: %s%s: YAML aliases are not supported", path, n->line, where,
			     key);
		return FALSE;
	}
	if (n->kind != TU_YAML_SCALAR) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: %s%s: expected a single value, not a %s", path, n->line, where,
			     key, n->kind == TU_YAML_MAPPING ? "mapping" : "list");
		return FALSE;
	}
	if (*n->value != '\0')
		*out = n->value;
	return TRUE;
}

static gboolean
yfield_text (const TuYamlNode *map, const char *key, guint max_chars, const char *path,
	     const char *where, char **out, GError **error)
{
	const char *v = NULL;
	if (!yfield (map, key, path, where, &v, error))
		return FALSE;
	if (v == NULL)
		return TRUE;
	if (too_long (v, max_chars)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: %s%s: longer than %u characters", path,
			     tu_yaml_map_get (map, key)->line, where, key, max_chars);
		return FALSE;
	}
	tu_catalog_set_str (out, v);
	return TRUE;
}

static gboolean
yfield_date (const TuYamlNode *map, const char *key, const char *path, const char *where,
	     char **out, GError **error)
{
	const char *v = NULL;
	if (!yfield (map, key, path, where, &v, error))
		return FALSE;
	g_autoptr(GError) local = NULL;
	if (v != NULL && !parse_date (v, out, &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s%s: %s", path,
			     tu_yaml_map_get (map, key)->line, where, key, local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
yfield_flag_date (const TuYamlNode *map, const char *key, const char *path, const char *where,
		  char **date, int *flag, GError **error)
{
	const char *v = NULL;
	if (!yfield (map, key, path, where, &v, error))
		return FALSE;
	g_autoptr(GError) local = NULL;
	if (v != NULL && !parse_flag_or_date (v, date, flag, &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s%s: %s", path,
			     tu_yaml_map_get (map, key)->line, where, key, local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
page_identifiers (const TuYamlNode *list, const char *path, TuCatalogProduct *out, GError **error)
{
	if (list == NULL || (list->kind == TU_YAML_SCALAR && *list->value == '\0'))
		return TRUE;
	if (list->kind != TU_YAML_SEQUENCE) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: identifiers: expected a list", path, list->line);
		return FALSE;
	}
	static const char *const kinds[] = {"purl", "cpe", "repology", NULL};
	for (guint i = 0; i < list->items->len; i++) {
		const TuYamlNode *item = g_ptr_array_index (list->items, i);
		if (item->kind != TU_YAML_MAPPING) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: identifiers: expected \"- purl: ...\", \"- cpe: ...\" "
				     "or \"- repology: ...\"",
				     path, item->line);
			return FALSE;
		}
		for (guint k = 0; kinds[k] != NULL; k++) {
			const char *v = NULL;
			if (!yfield (item, kinds[k], path, "identifiers: ", &v, error))
				return FALSE;
			if (v == NULL)
				continue;
			if (too_long (v, LEN_IDENT)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: identifiers: %s: longer than %u characters",
					     path, item->line, kinds[k], LEN_IDENT);
				return FALSE;
			}
			g_autofree char *ident = g_strdup_printf ("%s:%s", kinds[k], v);
			if (!tu_catalog_has_identifier (out, ident))
				g_ptr_array_add (out->identifiers, g_steal_pointer (&ident));
		}
	}
	return TRUE;
}

static gboolean
page_release (const TuYamlNode *item, const char *path, TuCatalogProduct *out, GError **error)
{
	if (item->kind != TU_YAML_MAPPING) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: releases: expected a mapping with releaseCycle", path,
			     item->line);
		return FALSE;
	}
	const char *name = NULL;
	if (!yfield (item, "releaseCycle", path, "releases: ", &name, error))
		return FALSE;
	if (name == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: releases: a release without releaseCycle", path, item->line);
		return FALSE;
	}
	if (too_long (name, LEN_CYCLE)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: releaseCycle: longer than %u characters", path, item->line,
			     LEN_CYCLE);
		return FALSE;
	}
	if (tu_catalog_find_cycle (out, name) != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: release cycle \"%s\" appears twice", path, item->line, name);
		return FALSE;
	}
	g_autoptr(TuCatalogCycle) c = tu_catalog_cycle_new (name);
	g_autofree char *where = g_strdup_printf ("cycle %s: ", name);
	const char *lts = NULL;
	int unused_flag = -1;
	if (!yfield_text (item, "codename", LEN_CODENAME, path, where, &c->codename, error) ||
	    !yfield_text (item, "releaseLabel", LEN_LABEL, path, where, &c->label, error) ||
	    !yfield_text (item, "latest", LEN_VERSION, path, where, &c->latest, error) ||
	    !yfield (item, "lts", path, where, &lts, error))
		return FALSE;
	/* A date that cannot be read costs the cycle its dates, not the product its page: the
	 * cycle is still placed, its verdict is unknown (no end of life), and the warning names
	 * the file, line and cycle. A release date alone is only dropped. */
	g_autoptr(GError) bad = NULL;
	if (!yfield_date (item, "releaseDate", path, where, &c->release_date, &bad) ||
	    !yfield_date (item, "latestReleaseDate", path, where, &c->latest_date, &bad)) {
		g_ptr_array_add (out->warnings,
				 g_strdup_printf ("%s (the date is ignored)", bad->message));
		g_clear_error (&bad);
	}
	if (!yfield_flag_date (item, "eol", path, where, &c->eol, &c->eol_flag, &bad) ||
	    !yfield_flag_date (item, "eoas", path, where, &c->support_end, &c->support_flag,
			       &bad) ||
	    !yfield_flag_date (item, "eoes", path, where, &c->extended_end, &unused_flag, &bad)) {
		g_ptr_array_add (out->warnings,
				 g_strdup_printf ("%s (the cycle's support dates are ignored: its "
						  "verdict is unknown)",
						  bad->message));
		g_clear_pointer (&c->eol, g_free);
		g_clear_pointer (&c->support_end, g_free);
		g_clear_pointer (&c->extended_end, g_free);
		c->eol_flag = -1;
		c->support_flag = -1;
	}
	/* lts: true, false, or the date the cycle becomes LTS (Node.js, Jenkins, RHEL) */
	if (lts != NULL) {
		g_autofree char *lts_date = NULL;
		int flag = -1;
		g_autoptr(GError) local = NULL;
		if (!parse_flag_or_date (lts, &lts_date, &flag, &local)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %slts: %s", path,
				     tu_yaml_map_get (item, "lts")->line, where, local->message);
			return FALSE;
		}
		c->lts = flag != 0;
	}
	g_ptr_array_add (out->cycles, g_steal_pointer (&c));
	return TRUE;
}

/* A release label with endoflife.date's placeholders filled in: "__RELEASE_CYCLE__" by the
 * cycle, "__CODENAME__" by its codename (dropped with its quotes when there is none).
 * (transfer full) */
static char *
fill_label (const char *label, const TuCatalogCycle *c)
{
	g_autoptr(GString) out = g_string_new (label);
	g_string_replace (out, "__RELEASE_CYCLE__", c->cycle, 0);
	if (c->codename != NULL) {
		g_string_replace (out, "__CODENAME__", c->codename, 0);
	} else {
		g_string_replace (out, " '__CODENAME__'", "", 0);
		g_string_replace (out, " (__CODENAME__)", "", 0);
		g_string_replace (out, "__CODENAME__", "", 0);
	}
	g_strstrip (out->str);
	g_string_set_size (out, strlen (out->str));
	if (g_utf8_strlen (out->str, -1) > LEN_LABEL)
		return NULL;
	return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
tu_catalog_parse_markdown (const char *buf, gsize len, const char *path, const char *id,
			   TuCatalogProduct *out, GError **error)
{
	const char *fm = NULL;
	gsize fm_len = 0;
	if (!front_matter (buf, len, path, &fm, &fm_len, error))
		return FALSE;
	/* the line the front matter starts on, for messages */
	guint first_line = 1;
	for (const char *q = buf; q < fm; q++)
		first_line += *q == '\n';
	g_autoptr(TuYamlNode) root = yaml_tree (fm, fm_len, path, first_line, error);
	if (root == NULL)
		return FALSE;
	if (root->kind != TU_YAML_MAPPING) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an endoflife.date product page: the front matter is not a "
			     "mapping",
			     path);
		return FALSE;
	}
	const char *title = NULL;
	const TuYamlNode *releases = tu_yaml_map_get (root, "releases");
	if (!yfield (root, "title", path, "", &title, error))
		return FALSE;
	if (title == NULL || releases == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an endoflife.date product page: the front matter has no %s",
			     path, title == NULL ? "title" : "releases");
		return FALSE;
	}
	if (too_long (title, LEN_TITLE)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: title: longer than %u characters", path, LEN_TITLE);
		return FALSE;
	}
	if (too_long (id, LEN_ID) || *id == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: the product name \"%s\" is empty or longer than %u characters",
			     path, id, LEN_ID);
		return FALSE;
	}
	tu_catalog_set_str (&out->id, id);
	tu_catalog_set_str (&out->title, title);
	g_clear_pointer (&out->category, g_free);
	if (!yfield_text (root, "category", LEN_CATEGORY, path, "", &out->category, error))
		return FALSE;
	g_ptr_array_set_size (out->identifiers, 0);
	g_ptr_array_set_size (out->cycles, 0);
	if (!page_identifiers (tu_yaml_map_get (root, "identifiers"), path, out, error))
		return FALSE;
	if (releases->kind == TU_YAML_SCALAR && *releases->value == '\0')
		return TRUE; /* "releases:" with nothing: release data may add cycles */
	if (releases->kind != TU_YAML_SEQUENCE) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: releases: expected a list", path, releases->line);
		return FALSE;
	}
	for (guint i = 0; i < releases->items->len; i++) {
		if (!page_release (g_ptr_array_index (releases->items, i), path, out, error))
			return FALSE;
	}
	g_autofree char *default_label = NULL;
	if (!yfield_text (root, "releaseLabel", LEN_LABEL, path, "", &default_label, error))
		return FALSE;
	for (guint i = 0; i < out->cycles->len; i++) {
		TuCatalogCycle *c = g_ptr_array_index (out->cycles, i);
		const char *label = c->label != NULL ? c->label : default_label;
		if (label != NULL) {
			char *filled = fill_label (label, c);
			g_free (c->label);
			c->label = filled;
		}
	}
	tu_catalog_sort_cycles (out);
	return TRUE;
}

/* ---------------------------------------------------------------- release data --------- */

/* A JSON member as text: strings as they are, booleans as "true"/"false"; NULL for null or
 * absent; an error for numbers, objects and arrays. */
static gboolean
json_text (JsonObject *o, const char *member, const char *path, const char *where,
	   const char **out, GError **error)
{
	*out = NULL;
	JsonNode *n = json_object_get_member (o, member);
	if (n == NULL || JSON_NODE_HOLDS_NULL (n))
		return TRUE;
	if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING) {
		const char *s = json_node_get_string (n);
		*out = s != NULL && *s != '\0' ? s : NULL;
		return TRUE;
	}
	if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN) {
		*out = json_node_get_boolean (n) ? "true" : "false";
		return TRUE;
	}
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "%s: %s%s: expected a string, true or false", path, where, member);
	return FALSE;
}

typedef struct {
	char *name;
	gboolean has[8];
	char *text[8];
	gboolean bad_support; /* a support date could not be read: the cycle has none */
} JsonCycle;

enum { JC_RELEASE,
       JC_EOL,
       JC_EOAS,
       JC_EOES,
       JC_CODENAME,
       JC_LTS,
       JC_LATEST,
       JC_LATEST_DATE };
static const char *const jc_members[] = {"releaseDate", "eol", "eoas",
					 "eoes", "codename", "lts",
					 "latest", "latestReleaseDate", NULL};

static void
json_cycle_free (JsonCycle *c)
{
	g_free (c->name);
	for (guint i = 0; i < G_N_ELEMENTS (c->text); i++)
		g_free (c->text[i]);
	g_free (c);
}

/* A warning about one record of a release file (the rest of the file is used). */
static void json_warn (GPtrArray *warnings, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
json_warn (GPtrArray *warnings, const char *format, ...)
{
	va_list args;
	va_start (args, format);
	g_ptr_array_add (warnings, g_strdup_vprintf (format, args));
	va_end (args);
}

/* Check one release entry into @jc (values validated, nothing applied yet). A bad entry
 * costs only itself, a bad value only what it says (as on the product pages): a warning to
 * @warnings naming the file, the cycle and the field, and FALSE when the whole entry is
 * skipped. A support date that cannot be read (eol, eoas, eoes) costs the cycle its support
 * dates, so that its verdict is unknown rather than judged on half of them. */
static gboolean
json_release (const char *path, const char *name, JsonNode *node, JsonCycle *jc,
	      GPtrArray *warnings)
{
	g_autofree char *where = g_strdup_printf ("releases: %s: ", name);
	if (*name == '\0' || too_long (name, LEN_CYCLE)) {
		json_warn (warnings, "%s: releases: the cycle name \"%s\" is empty or "
				     "longer than %u characters (the entry is skipped)",
			   path, name, LEN_CYCLE);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_OBJECT (node)) {
		json_warn (warnings, "%s: %sexpected an object (the entry is skipped)",
			   path, where);
		return FALSE;
	}
	JsonObject *o = json_node_get_object (node);
	jc->name = g_strdup (name);
	for (guint m = 0; jc_members[m] != NULL; m++) {
		const char *v = NULL;
		g_autoptr(GError) local = NULL;
		if (!json_text (o, jc_members[m], path, where, &v, &local)) {
			v = NULL;
		} else if (v == NULL) {
			continue;
		}
		g_autofree char *date = NULL;
		int flag = -1;
		gboolean ok = local == NULL;
		switch (m) {
		case JC_RELEASE:
		case JC_LATEST_DATE:
			ok = ok && parse_date (v, &date, &local);
			break;
		case JC_EOL:
		case JC_EOAS:
		case JC_EOES:
		case JC_LTS:
			ok = ok && parse_flag_or_date (v, &date, &flag, &local);
			break;
		case JC_CODENAME:
			ok = ok && !too_long (v, LEN_CODENAME);
			break;
		case JC_LATEST:
			ok = ok && !too_long (v, LEN_VERSION);
			break;
		default:
			break;
		}
		if (!ok) {
			gboolean support = m == JC_EOL || m == JC_EOAS || m == JC_EOES;
			const char *what = local ? local->message : "longer than the store allows";
			/* json_text's own message already names the file and field */
			g_autofree char *msg = NULL;
			if (g_str_has_prefix (what, path))
				msg = g_strdup (what);
			else
				msg = g_strdup_printf ("%s: %s%s: %s", path, where,
						       jc_members[m], what);
			json_warn (warnings, "%s (%s)", msg,
				   support ? "the cycle's support dates are "
					     "ignored: its verdict is unknown"
					   : "the value is ignored");
			jc->bad_support |= support;
			continue;
		}
		jc->has[m] = TRUE;
		jc->text[m] = date ? g_steal_pointer (&date) : g_strdup (v);
	}
	return TRUE;
}

static void
apply_json_cycle (TuCatalogProduct *p, const JsonCycle *jc)
{
	TuCatalogCycle *c = tu_catalog_find_cycle (p, jc->name);
	if (c == NULL) {
		c = tu_catalog_cycle_new (jc->name);
		g_ptr_array_add (p->cycles, c);
	}
	for (guint m = 0; jc_members[m] != NULL; m++) {
		if (!jc->has[m])
			continue;
		const char *v = jc->text[m];
		int b = bool_text (v);
		switch (m) {
		case JC_RELEASE:
			tu_catalog_set_str (&c->release_date, v);
			break;
		case JC_LATEST_DATE:
			tu_catalog_set_str (&c->latest_date, v);
			break;
		case JC_EOL:
			tu_catalog_set_str (&c->eol, b >= 0 ? NULL : v);
			c->eol_flag = b;
			break;
		case JC_EOAS:
			tu_catalog_set_str (&c->support_end, b >= 0 ? NULL : v);
			c->support_flag = b;
			break;
		case JC_EOES:
			tu_catalog_set_str (&c->extended_end, b >= 0 ? NULL : v);
			break;
		case JC_LTS:
			c->lts = b != 0;
			break;
		case JC_CODENAME:
			tu_catalog_set_str (&c->codename, v);
			break;
		case JC_LATEST:
			/* the page's hand-edited latest wins */
			if (c->latest == NULL)
				tu_catalog_set_str (&c->latest, v);
			break;
		default:
			break;
		}
	}
	if (jc->bad_support) {
		g_clear_pointer (&c->eol, g_free);
		g_clear_pointer (&c->support_end, g_free);
		g_clear_pointer (&c->extended_end, g_free);
		c->eol_flag = -1;
		c->support_flag = -1;
	}
}

gboolean
tu_catalog_parse_release_json (const char *buf, gsize len, const char *path,
			       TuCatalogProduct *into, GError **error)
{
	static const char *const expected =
		"expected endoflife.date release data: {\"releases\": {...}, \"versions\": {...}}";
	const char *bad = NULL;
	if (!g_utf8_validate_len (buf, len, &bad)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not valid UTF-8 at byte %" G_GSIZE_FORMAT, path,
			     (gsize) (bad - buf));
		return FALSE;
	}
	if (tu_json_check_nesting (buf, len, CAT_MAX_DEPTH, FALSE, NULL) != TU_JSON_NESTING_OK) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: JSON nested deeper than %u levels", path, CAT_MAX_DEPTH);
		return FALSE;
	}
	g_autoptr(JsonParser) parser = json_parser_new_immutable ();
	g_autoptr(GError) local = NULL;
	if (!json_parser_load_from_data (parser, buf, (gssize) len, &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: not JSON (%s)", path,
			     local->message);
		return FALSE;
	}
	JsonNode *root = json_parser_get_root (parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: %s", path, expected);
		return FALSE;
	}
	JsonObject *top = json_node_get_object (root);
	JsonNode *releases = json_object_get_member (top, "releases");
	JsonNode *versions = json_object_get_member (top, "versions");
	if ((releases == NULL && versions == NULL) ||
	    (releases != NULL && !JSON_NODE_HOLDS_OBJECT (releases)) ||
	    (versions != NULL && !JSON_NODE_HOLDS_OBJECT (versions))) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: %s", path, expected);
		return FALSE;
	}

	/* check everything first: a bad file changes nothing */
	g_autoptr(GPtrArray) cycles = NULL;
	cycles = g_ptr_array_new_with_free_func ((GDestroyNotify) json_cycle_free);
	if (releases != NULL) {
		JsonObject *o = json_node_get_object (releases);
		g_autoptr(GList) names = json_object_get_members (o);
		for (GList *l = names; l != NULL; l = l->next) {
			JsonCycle *jc = g_new0 (JsonCycle, 1);
			if (json_release (path, l->data, json_object_get_member (o, l->data), jc,
					  into->warnings))
				g_ptr_array_add (cycles, jc);
			else
				json_cycle_free (jc);
		}
	}
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_catalog_version_free);
	if (versions != NULL) {
		JsonObject *o = json_node_get_object (versions);
		g_autoptr(GList) names = json_object_get_members (o);
		for (GList *l = names; l != NULL; l = l->next) {
			const char *name = l->data;
			JsonNode *n = json_object_get_member (o, name);
			/* as with releases: a bad version is skipped, a bad date dropped */
			if (*name == '\0' || too_long (name, LEN_VERSION)) {
				json_warn (into->warnings, "%s: versions: the version \"%s\" is "
							   "empty or longer than %u characters "
							   "(skipped)",
					   path, name, LEN_VERSION);
				continue;
			}
			if (!JSON_NODE_HOLDS_OBJECT (n)) {
				json_warn (into->warnings, "%s: versions: %s: expected an "
							   "object (skipped)",
					   path, name);
				continue;
			}
			g_autofree char *where = g_strdup_printf ("versions: %s: ", name);
			const char *date = NULL;
			g_autoptr(GError) why = NULL;
			JsonObject *vo = json_node_get_object (n);
			if (!json_text (vo, "date", path, where, &date, &why)) {
				json_warn (into->warnings, "%s (the date is ignored)",
					   why->message);
				date = NULL;
			}
			TuCatalogVersion *v = g_new0 (TuCatalogVersion, 1);
			v->version = g_strdup (name);
			g_ptr_array_add (found, v);
			if (date != NULL && !parse_date (date, &v->date, &why)) {
				json_warn (into->warnings, "%s: %sdate: %s (the date is ignored)",
					   path, where, why->message);
				g_clear_pointer (&v->date, g_free);
			}
		}
	}

	for (guint i = 0; i < cycles->len; i++)
		apply_json_cycle (into, g_ptr_array_index (cycles, i));
	g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < into->versions->len; i++) {
		TuCatalogVersion *v = g_ptr_array_index (into->versions, i);
		g_hash_table_insert (known, v->version, v);
	}
	for (guint i = 0; i < found->len; i++) {
		TuCatalogVersion *v = g_ptr_array_index (found, i);
		TuCatalogVersion *old = g_hash_table_lookup (known, v->version);
		if (old != NULL) {
			tu_catalog_set_str (&old->date, v->date);
			continue;
		}
		g_ptr_array_index (found, i) = NULL;
		g_ptr_array_add (into->versions, v);
		g_hash_table_insert (known, v->version, v);
	}
	tu_catalog_sort_cycles (into);
	tu_catalog_fill_latest (into);
	return TRUE;
}

/* ---------------------------------------------------------------- in-house CSV --------- */

enum { K_PUBLISHER, K_PRODUCT, K_CYCLE, K_RELEASE, K_LATEST, K_LATEST_DATE, K_EOL, K_SUPPORT, K_LTS };
static const char *const csv_columns[] = {"publisher",	 "product", "cycle",
					  "release_date", "latest",  "latest_date",
					  "eol",	  "support_end", "lts",
					  NULL};
static const char *const csv_required[] = {"publisher", "product", "cycle", NULL};

typedef struct {
	TuNormaliser *norm;
	GHashTable *known;    /* casefold "publisher\x1fproduct" -> canonical product */
	GHashTable *by_id;    /* casefold id -> TuCatalogProduct* (borrowed from @products) */
	GHashTable *lines;    /* "id\x1fcycle" -> first line */
	GPtrArray *products;  /* TuCatalogProduct* */
} CsvReader;

static gboolean
csv_fail (GError **error, const TuCsvRow *row, const char *column, const char *format, ...)
	G_GNUC_PRINTF (4, 5);

static gboolean
csv_fail (GError **error, const TuCsvRow *row, const char *column, const char *format, ...)
{
	va_list args;
	va_start (args, format);
	g_autofree char *msg = g_strdup_vprintf (format, args);
	va_end (args);
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: column %s: %s", row->path,
		     row->line, column, msg);
	return FALSE;
}

static gboolean
csv_text (const TuCsvRow *row, guint col, guint max_chars, gboolean required, const char **out,
	  GError **error)
{
	const char *v = row->values[col];
	*out = v;
	if (v == NULL && required)
		return csv_fail (error, row, csv_columns[col], "must not be empty");
	if (v != NULL && too_long (v, max_chars))
		return csv_fail (error, row, csv_columns[col], "longer than %u characters",
				 max_chars);
	return TRUE;
}

static gboolean
csv_date (const TuCsvRow *row, guint col, char **out, GError **error)
{
	g_autoptr(GError) local = NULL;
	const char *v = row->values[col];
	if (v != NULL && !parse_date (v, out, &local))
		return csv_fail (error, row, csv_columns[col], "%s", local->message);
	return TRUE;
}

static gboolean
csv_flag_date (const TuCsvRow *row, guint col, char **date, int *flag, GError **error)
{
	g_autoptr(GError) local = NULL;
	const char *v = row->values[col];
	if (v == NULL)
		return TRUE;
	g_autofree char *lower = g_ascii_strdown (v, -1);
	if (!parse_flag_or_date (lower, date, flag, &local))
		return csv_fail (error, row, csv_columns[col], "%s", local->message);
	return TRUE;
}

static gboolean
csv_row (const TuCsvRow *row, gpointer user_data, GError **error)
{
	CsvReader *r = user_data;
	const char *publisher = NULL, *product = NULL, *cycle = NULL, *latest = NULL;
	if (!csv_text (row, K_PUBLISHER, 255, TRUE, &publisher, error) ||
	    !csv_text (row, K_PRODUCT, 255, TRUE, &product, error) ||
	    !csv_text (row, K_CYCLE, LEN_CYCLE, TRUE, &cycle, error) ||
	    !csv_text (row, K_LATEST, LEN_VERSION, FALSE, &latest, error))
		return FALSE;
	const char *canonical = r->norm ? tu_normaliser_publisher (r->norm, publisher) : publisher;
	g_autofree char *pub = g_strdup (canonical ? canonical : publisher);
	g_autofree char *known_key = g_utf8_casefold (pub, -1);
	g_autofree char *prod_fold = g_utf8_casefold (product, -1);
	g_autofree char *pk = g_strconcat (known_key, "\x1f", prod_fold, NULL);
	const char *known = g_hash_table_lookup (r->known, pk);
	g_autofree char *prod = g_strdup (known ? known : product);
	g_autofree char *id = g_strdup_printf ("csv:%s/%s", pub, prod);
	if (too_long (id, LEN_ID))
		return csv_fail (error, row, "product",
				 "the catalogue id \"%s\" is longer than %u characters", id,
				 LEN_ID);
	/* rows spelling a product differently ("ACME", "ledger pro") are the first row's */
	g_autofree char *id_fold = g_utf8_casefold (id, -1);
	TuCatalogProduct *p = g_hash_table_lookup (r->by_id, id_fold);
	if (p == NULL) {
		p = tu_catalog_product_new (id);
		p->title = g_strdup (prod);
		p->publisher = g_strdup (pub);
		p->product = g_strdup (prod);
		g_ptr_array_add (r->products, p);
		g_hash_table_insert (r->by_id, g_steal_pointer (&id_fold), p);
	}
	g_autofree char *line_key = g_strconcat (p->id, "\x1f", cycle, NULL);
	gpointer first = g_hash_table_lookup (r->lines, line_key);
	if (first != NULL)
		return csv_fail (error, row, "cycle", "cycle %s of %s %s is already on line %u",
				 cycle, p->publisher, p->product, GPOINTER_TO_UINT (first));
	g_hash_table_insert (r->lines, g_steal_pointer (&line_key), GUINT_TO_POINTER (row->line));
	g_autoptr(TuCatalogCycle) c = tu_catalog_cycle_new (cycle);
	c->latest = g_strdup (latest);
	if (!csv_date (row, K_RELEASE, &c->release_date, error) ||
	    !csv_date (row, K_LATEST_DATE, &c->latest_date, error) ||
	    !csv_flag_date (row, K_EOL, &c->eol, &c->eol_flag, error) ||
	    !csv_flag_date (row, K_SUPPORT, &c->support_end, &c->support_flag, error))
		return FALSE;
	if (row->values[K_LTS] != NULL) {
		g_autoptr(GError) local = NULL;
		if (!tu_parse_bool (row->values[K_LTS], &c->lts, "lts", &local))
			return csv_fail (error, row, "lts", "\"%s\" is not true or false",
					 row->values[K_LTS]);
	}
	if (c->latest_date != NULL && c->latest == NULL)
		return csv_fail (error, row, "latest_date", "a latest_date needs a latest version");
	g_ptr_array_add (p->cycles, g_steal_pointer (&c));
	return TRUE;
}

/* Does the first line name the catalogue's columns? */
static gboolean
csv_header_ok (const char *buf, gsize len)
{
	const char *p = buf, *end = buf + len;
	if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	const char *nl = memchr (p, '\n', (gsize) (end - p));
	g_autofree char *line = g_strndup (p, (gsize) ((nl ? nl : end) - p));
	g_auto(GStrv) cells = g_strsplit (line, ",", -1);
	guint n_found = 0;
	for (guint i = 0; cells[i] != NULL; i++) {
		char *cell = g_strstrip (cells[i]);
		gsize n = strlen (cell);
		if (n >= 2 && cell[0] == '"' && cell[n - 1] == '"') {
			cell[n - 1] = '\0';
			cell++;
		}
		for (guint r = 0; csv_required[r] != NULL; r++)
			n_found += g_ascii_strcasecmp (cell, csv_required[r]) == 0;
	}
	return n_found == g_strv_length ((char **) csv_required);
}

gboolean
tu_catalog_parse_csv (const char *buf, gsize len, const char *path, TuNormaliser *norm,
		      GPtrArray *products, GError **error)
{
	if (!csv_header_ok (buf, len)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:1: not an in-house catalogue: expected the header "
			     "publisher,product,cycle,release_date,latest,latest_date,eol,"
			     "support_end,lts",
			     path);
		return FALSE;
	}
	g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	if (norm != NULL) {
		GPtrArray *list = tu_rule_set_known_products (tu_normaliser_get_rules (norm));
		for (guint i = 0; list != NULL && i < list->len; i++) {
			const char *s = g_ptr_array_index (list, i);
			const char *sep = strchr (s, '\x1f');
			if (sep == NULL)
				continue;
			g_autofree char *pub = g_utf8_casefold (s, sep - s);
			g_autofree char *prod = g_utf8_casefold (sep + 1, -1);
			g_hash_table_replace (known, g_strconcat (pub, "\x1f", prod, NULL),
					      g_strdup (sep + 1));
		}
	}
	g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) read = tu_catalog_products_new ();
	CsvReader r = {norm, known, by_id, lines, read};
	if (!tu_csv_read (buf, len, path, csv_columns, csv_required, csv_row, &r, error))
		return FALSE;
	if (read->len == 0) {
		/* "0 products" would read like a success */
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: a header but no rows; nothing to import", path);
		return FALSE;
	}
	for (guint i = 0; i < read->len; i++) {
		TuCatalogProduct *p = g_ptr_array_index (read, i);
		tu_catalog_sort_cycles (p);
		g_ptr_array_index (read, i) = NULL;
		g_ptr_array_add (products, p);
	}
	return TRUE;
}
