/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The release and end-of-life catalogue (see tu-catalog.h): reading endoflife.date product
 * pages (YAML front matter through libyaml events, every scalar kept as the text written, so
 * "1.30" stays "1.30"), release-data JSON (json-glib) and in-house CSV catalogues; storing
 * each product whole; and answering, for an installed product, its catalogue product, cycle,
 * latest version and support status.
 *
 * Ownership: a TuCatalogProduct owns its strings and arrays. A TuCatalog owns its products and
 * the indexes over them; everything it hands out is borrowed and lives as long as it does.
 * A loaded TuCatalog is read-only, so matching may run from several threads at once.
 *
 * Invariants of a parsed or loaded product: cycle names are unique and non-empty; dates are
 * "YYYY-MM-DD" or NULL; cycles are sorted newest first (release date, then cycle name), which
 * is also the order a reload from the store gives, since the store keeps no order column.
 *
 * Rules taken from upstream's own updater: a release-data entry overrides the page's cycle of
 * the same name; a version belongs to a cycle when it equals it or starts with it followed by
 * a non-digit ("4.10.1" is not in "4.1"); the highest version of a cycle becomes its latest
 * only when the page has none, because upstream edits "latest" by hand in vendor syntax.
 * A cycle is end of life from its eol date on (the date itself included), as the site shows it.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <yaml.h>

#include "tu-catalog.h"
#include "tu-common.h"
#include "tu-csv.h"
#include "tu-record.h"
#include "tu-rules.h"
#include "tu-writer.h"

#define CAT_MAX_FILE_SIZE  (64u * 1024u * 1024u)
#define CAT_MAX_DEPTH	   64	    /* nesting of YAML and JSON documents */
#define CAT_MAX_YAML_NODES 2000000u /* a front matter is a few thousand nodes */

/* column sizes of schema/0003-catalogue.sql, in characters */
#define LEN_ID	     128
#define LEN_TITLE    255
#define LEN_CATEGORY 64
#define LEN_IDENT    512
#define LEN_CYCLE    64
#define LEN_CODENAME 128
#define LEN_VERSION  128

/* ---------------------------------------------------------------- memory --------------- */

static void
cycle_free (TuCatalogCycle *c)
{
	if (c == NULL)
		return;
	g_free (c->cycle);
	g_free (c->codename);
	g_free (c->release_date);
	g_free (c->latest);
	g_free (c->latest_date);
	g_free (c->eol);
	g_free (c->support_end);
	g_free (c->extended_end);
	g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuCatalogCycle, cycle_free)

static TuCatalogCycle *
cycle_new (const char *name)
{
	TuCatalogCycle *c = g_new0 (TuCatalogCycle, 1);
	c->cycle = g_strdup (name);
	c->eol_flag = -1;
	c->support_flag = -1;
	return c;
}

static void
version_free (TuCatalogVersion *v)
{
	if (v == NULL)
		return;
	g_free (v->version);
	g_free (v->date);
	g_free (v);
}

TuCatalogProduct *
tu_catalog_product_new (const char *id)
{
	TuCatalogProduct *p = g_new0 (TuCatalogProduct, 1);
	p->id = g_strdup (id);
	p->identifiers = g_ptr_array_new_with_free_func (g_free);
	p->cycles = g_ptr_array_new_with_free_func ((GDestroyNotify) cycle_free);
	p->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) version_free);
	return p;
}

void
tu_catalog_product_free (TuCatalogProduct *p)
{
	if (p == NULL)
		return;
	g_free (p->id);
	g_free (p->title);
	g_free (p->category);
	g_free (p->publisher);
	g_free (p->product);
	g_ptr_array_unref (p->identifiers);
	g_ptr_array_unref (p->cycles);
	g_ptr_array_unref (p->versions);
	g_free (p);
}

static GPtrArray *
products_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) tu_catalog_product_free);
}

static void
set_str (char **slot, const char *value)
{
	char *copy = g_strdup (value);
	g_free (*slot);
	*slot = copy;
}

static TuCatalogCycle *
find_cycle (const TuCatalogProduct *p, const char *name)
{
	for (guint i = 0; i < p->cycles->len; i++) {
		TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		if (strcmp (c->cycle, name) == 0)
			return c;
	}
	return NULL;
}

static gboolean
has_identifier (const TuCatalogProduct *p, const char *ident)
{
	for (guint i = 0; i < p->identifiers->len; i++) {
		if (strcmp (g_ptr_array_index (p->identifiers, i), ident) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Newest first: by release date, then by cycle name (generic version order). */
static int
cycle_order (gconstpointer a, gconstpointer b)
{
	const TuCatalogCycle *x = *(TuCatalogCycle *const *) a;
	const TuCatalogCycle *y = *(TuCatalogCycle *const *) b;
	if (x->release_date != NULL && y->release_date != NULL) {
		int d = strcmp (y->release_date, x->release_date);
		if (d != 0)
			return d;
	} else if (x->release_date != NULL || y->release_date != NULL) {
		return x->release_date != NULL ? -1 : 1;
	}
	int c = tu_version_compare (TU_SCHEME_GENERIC, y->cycle, x->cycle);
	return c != 0 ? c : strcmp (y->cycle, x->cycle);
}

static void
sort_cycles (TuCatalogProduct *p)
{
	g_ptr_array_sort (p->cycles, cycle_order);
}

/* ---------------------------------------------------------------- values --------------- */

static gboolean
too_long (const char *s, guint max_chars)
{
	return g_utf8_strlen (s, -1) > (glong) max_chars;
}

static gboolean
is_null_text (const char *s)
{
	return s == NULL || *s == '\0' || strcmp (s, "~") == 0 || strcmp (s, "null") == 0 ||
	       strcmp (s, "Null") == 0 || strcmp (s, "NULL") == 0;
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

static gboolean
date_julian (const char *s, guint32 *out)
{
	return s != NULL && tu_date_parse (s, out, "date", NULL);
}

/* ---------------------------------------------------------------- version cycles ------- */

static gboolean
version_in_cycle (const char *version, const char *cycle)
{
	gsize n = strlen (cycle);
	if (n == 0 || strncmp (version, cycle, n) != 0)
		return FALSE;
	return version[n] == '\0' || !g_ascii_isdigit (version[n]);
}

/* The highest known version of @cycle (ties: the later date). (transfer none) */
static const TuCatalogVersion *
highest_in_cycle (const TuCatalogProduct *p, const char *cycle)
{
	const TuCatalogVersion *best = NULL;
	for (guint i = 0; i < p->versions->len; i++) {
		const TuCatalogVersion *v = g_ptr_array_index (p->versions, i);
		if (!version_in_cycle (v->version, cycle))
			continue;
		if (best == NULL) {
			best = v;
			continue;
		}
		int c = tu_version_compare (TU_SCHEME_GENERIC, v->version, best->version);
		if (c > 0 || (c == 0 && g_strcmp0 (v->date, best->date) > 0))
			best = v;
	}
	return best;
}

/* Cycles without a latest get the highest known version of the cycle; a latest without a
 * date gets the date of that version when the catalogue knows it. */
static void
fill_latest (TuCatalogProduct *p)
{
	if (p->versions->len == 0)
		return;
	g_autoptr(GHashTable) dates = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < p->versions->len; i++) {
		TuCatalogVersion *v = g_ptr_array_index (p->versions, i);
		g_hash_table_insert (dates, v->version, v);
	}
	for (guint i = 0; i < p->cycles->len; i++) {
		TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		if (c->latest == NULL) {
			const TuCatalogVersion *v = highest_in_cycle (p, c->cycle);
			if (v != NULL) {
				set_str (&c->latest, v->version);
				set_str (&c->latest_date, v->date);
			}
		} else if (c->latest_date == NULL) {
			const TuCatalogVersion *v = g_hash_table_lookup (dates, c->latest);
			if (v != NULL)
				set_str (&c->latest_date, v->date);
		}
	}
}

/* ---------------------------------------------------------------- YAML tree ------------ */

/* The front matter as a small tree; aliases are kept as nodes of their own and never
 * expanded, so a hostile page cannot grow in memory. */
typedef enum { Y_SCALAR, Y_SEQ, Y_MAP, Y_ALIAS } YKind;

typedef struct _YNode YNode;
struct _YNode {
	YKind kind;
	guint line;	  /* 1-based line in the file */
	char *value;	  /* scalars */
	GPtrArray *items; /* sequences: YNode*; mappings: key, value, key, value, ... */
};

static void
ynode_free (YNode *n)
{
	if (n == NULL)
		return;
	g_free (n->value);
	if (n->items != NULL)
		g_ptr_array_unref (n->items);
	g_free (n);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YNode, ynode_free)

static YNode *
ynode_new (YKind kind, guint line)
{
	YNode *n = g_new0 (YNode, 1);
	n->kind = kind;
	n->line = line;
	if (kind == Y_SEQ || kind == Y_MAP)
		n->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ynode_free);
	return n;
}

/* The value of @key in mapping @map, or NULL. (transfer none) */
static const YNode *
ymap_get (const YNode *map, const char *key)
{
	if (map == NULL || map->kind != Y_MAP)
		return NULL;
	for (guint i = 0; i + 1 < map->items->len; i += 2) {
		const YNode *k = g_ptr_array_index (map->items, i);
		if (k->kind == Y_SCALAR && strcmp (k->value, key) == 0)
			return g_ptr_array_index (map->items, i + 1);
	}
	return NULL;
}

/* Parse the first YAML document of @buf into a tree. @first_line: the file line @buf starts
 * on, for messages. */
static YNode *
yaml_tree (const char *buf, gsize len, const char *path, guint first_line, GError **error)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize (&parser)) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: cannot set up the YAML parser",
			     path);
		return NULL;
	}
	yaml_parser_set_input_string (&parser, (const unsigned char *) buf, len);
	g_autoptr(GPtrArray) stack = g_ptr_array_new ();
	g_autoptr(YNode) root = NULL;
	guint n_nodes = 0;
	gboolean done = FALSE, ok = TRUE;
	while (!done && ok) {
		yaml_event_t ev;
		if (!yaml_parser_parse (&parser, &ev)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: YAML: %s%s%s",
				     path, first_line + (guint) parser.problem_mark.line,
				     parser.problem ? parser.problem : "syntax error",
				     parser.context ? " " : "", parser.context ? parser.context : "");
			ok = FALSE;
			break;
		}
		guint line = first_line + (guint) ev.start_mark.line;
		YNode *node = NULL;
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
			node = ynode_new (Y_SCALAR, line);
			node->value = g_strndup ((const char *) ev.data.scalar.value,
						 ev.data.scalar.length);
			if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			    is_null_text (node->value))
				g_clear_pointer (&node->value, g_free);
			if (node->value == NULL)
				node->value = g_strdup ("");
			break;
		case YAML_ALIAS_EVENT:
			node = ynode_new (Y_ALIAS, line);
			break;
		case YAML_SEQUENCE_START_EVENT:
			node = ynode_new (Y_SEQ, line);
			break;
		case YAML_MAPPING_START_EVENT:
			node = ynode_new (Y_MAP, line);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (stack->len > 0)
				g_ptr_array_remove_index (stack, stack->len - 1);
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = TRUE;
			break;
		default:
			break;
		}
		yaml_event_delete (&ev);
		if (node == NULL)
			continue;
		if (++n_nodes > CAT_MAX_YAML_NODES) {
			ynode_free (node);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: YAML: more than %u nodes", path, line,
				     CAT_MAX_YAML_NODES);
			ok = FALSE;
			break;
		}
		if (stack->len > 0) {
			YNode *top = g_ptr_array_index (stack, stack->len - 1);
			g_ptr_array_add (top->items, node);
		} else if (root == NULL) {
			root = node;
		} else {
			ynode_free (node); /* cannot happen within one document */
			continue;
		}
		if (node->kind == Y_SEQ || node->kind == Y_MAP) {
			if (stack->len >= CAT_MAX_DEPTH) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: YAML: nested deeper than %u levels", path, line,
					     CAT_MAX_DEPTH);
				ok = FALSE;
				break;
			}
			g_ptr_array_add (stack, node);
		}
	}
	yaml_parser_delete (&parser);
	if (!ok)
		return NULL;
	if (root == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: the front matter is empty",
			     path);
		return NULL;
	}
	return g_steal_pointer (&root);
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
yfield (const YNode *map, const char *key, const char *path, const char *where,
	const char **out, GError **error)
{
	*out = NULL;
	const YNode *n = ymap_get (map, key);
	if (n == NULL)
		return TRUE;
	if (n->kind == Y_ALIAS) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: %s%s: YAML aliases are not supported", path, n->line, where,
			     key);
		return FALSE;
	}
	if (n->kind != Y_SCALAR) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: %s%s: expected a single value, not a %s", path, n->line, where,
			     key, n->kind == Y_MAP ? "mapping" : "list");
		return FALSE;
	}
	if (*n->value != '\0')
		*out = n->value;
	return TRUE;
}

static gboolean
yfield_text (const YNode *map, const char *key, guint max_chars, const char *path,
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
			     ymap_get (map, key)->line, where, key, max_chars);
		return FALSE;
	}
	set_str (out, v);
	return TRUE;
}

static gboolean
yfield_date (const YNode *map, const char *key, const char *path, const char *where,
	     char **out, GError **error)
{
	const char *v = NULL;
	if (!yfield (map, key, path, where, &v, error))
		return FALSE;
	g_autoptr(GError) local = NULL;
	if (v != NULL && !parse_date (v, out, &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s%s: %s", path,
			     ymap_get (map, key)->line, where, key, local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
yfield_flag_date (const YNode *map, const char *key, const char *path, const char *where,
		  char **date, int *flag, GError **error)
{
	const char *v = NULL;
	if (!yfield (map, key, path, where, &v, error))
		return FALSE;
	g_autoptr(GError) local = NULL;
	if (v != NULL && !parse_flag_or_date (v, date, flag, &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s%s: %s", path,
			     ymap_get (map, key)->line, where, key, local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
page_identifiers (const YNode *list, const char *path, TuCatalogProduct *out, GError **error)
{
	if (list == NULL || (list->kind == Y_SCALAR && *list->value == '\0'))
		return TRUE;
	if (list->kind != Y_SEQ) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: identifiers: expected a list", path, list->line);
		return FALSE;
	}
	static const char *const kinds[] = {"purl", "cpe", "repology", NULL};
	for (guint i = 0; i < list->items->len; i++) {
		const YNode *item = g_ptr_array_index (list->items, i);
		if (item->kind != Y_MAP) {
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
			if (!has_identifier (out, ident))
				g_ptr_array_add (out->identifiers, g_steal_pointer (&ident));
		}
	}
	return TRUE;
}

static gboolean
page_release (const YNode *item, const char *path, TuCatalogProduct *out, GError **error)
{
	if (item->kind != Y_MAP) {
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
	if (find_cycle (out, name) != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: release cycle \"%s\" appears twice", path, item->line, name);
		return FALSE;
	}
	g_autoptr(TuCatalogCycle) c = cycle_new (name);
	g_autofree char *where = g_strdup_printf ("cycle %s: ", name);
	const char *lts = NULL;
	int unused_flag = -1;
	if (!yfield_text (item, "codename", LEN_CODENAME, path, where, &c->codename, error) ||
	    !yfield_date (item, "releaseDate", path, where, &c->release_date, error) ||
	    !yfield_flag_date (item, "eol", path, where, &c->eol, &c->eol_flag, error) ||
	    !yfield_flag_date (item, "eoas", path, where, &c->support_end, &c->support_flag,
			       error) ||
	    !yfield_flag_date (item, "eoes", path, where, &c->extended_end, &unused_flag, error) ||
	    !yfield_text (item, "latest", LEN_VERSION, path, where, &c->latest, error) ||
	    !yfield_date (item, "latestReleaseDate", path, where, &c->latest_date, error) ||
	    !yfield (item, "lts", path, where, &lts, error))
		return FALSE;
	/* lts: true, false, or the date the cycle becomes LTS (Node.js, Jenkins, RHEL) */
	if (lts != NULL) {
		g_autofree char *lts_date = NULL;
		int flag = -1;
		g_autoptr(GError) local = NULL;
		if (!parse_flag_or_date (lts, &lts_date, &flag, &local)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %slts: %s", path,
				     ymap_get (item, "lts")->line, where, local->message);
			return FALSE;
		}
		c->lts = flag != 0;
	}
	g_ptr_array_add (out->cycles, g_steal_pointer (&c));
	return TRUE;
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
	g_autoptr(YNode) root = yaml_tree (fm, fm_len, path, first_line, error);
	if (root == NULL)
		return FALSE;
	if (root->kind != Y_MAP) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an endoflife.date product page: the front matter is not a "
			     "mapping",
			     path);
		return FALSE;
	}
	const char *title = NULL;
	const YNode *releases = ymap_get (root, "releases");
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
	set_str (&out->id, id);
	set_str (&out->title, title);
	g_clear_pointer (&out->category, g_free);
	if (!yfield_text (root, "category", LEN_CATEGORY, path, "", &out->category, error))
		return FALSE;
	g_ptr_array_set_size (out->identifiers, 0);
	g_ptr_array_set_size (out->cycles, 0);
	if (!page_identifiers (ymap_get (root, "identifiers"), path, out, error))
		return FALSE;
	if (releases->kind == Y_SCALAR && *releases->value == '\0')
		return TRUE; /* "releases:" with nothing: release data may add cycles */
	if (releases->kind != Y_SEQ) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: releases: expected a list", path, releases->line);
		return FALSE;
	}
	for (guint i = 0; i < releases->items->len; i++) {
		if (!page_release (g_ptr_array_index (releases->items, i), path, out, error))
			return FALSE;
	}
	sort_cycles (out);
	return TRUE;
}

/* ---------------------------------------------------------------- release data --------- */

/* Nesting depth of a JSON text, so json-glib never recurses on hostile input. */
static gboolean
json_depth_ok (const char *buf, gsize len, guint max_depth)
{
	guint depth = 0;
	gboolean in_string = FALSE;
	for (gsize i = 0; i < len; i++) {
		char ch = buf[i];
		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = FALSE;
		} else if (ch == '"') {
			in_string = TRUE;
		} else if (ch == '{' || ch == '[') {
			if (++depth > max_depth)
				return FALSE;
		} else if ((ch == '}' || ch == ']') && depth > 0) {
			depth--;
		}
	}
	return TRUE;
}

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
} JsonCycle;

enum { JC_RELEASE, JC_EOL, JC_EOAS, JC_EOES, JC_CODENAME, JC_LTS, JC_LATEST, JC_LATEST_DATE };
static const char *const jc_members[] = {"releaseDate", "eol",	  "eoas",
					 "eoes",	"codename", "lts",
					 "latest",	"latestReleaseDate", NULL};

static void
json_cycle_free (JsonCycle *c)
{
	g_free (c->name);
	for (guint i = 0; i < G_N_ELEMENTS (c->text); i++)
		g_free (c->text[i]);
	g_free (c);
}

/* Check one release entry into @jc (values validated, nothing applied yet). */
static gboolean
json_release (const char *path, const char *name, JsonNode *node, JsonCycle *jc,
	      GError **error)
{
	g_autofree char *where = g_strdup_printf ("releases: %s: ", name);
	if (*name == '\0' || too_long (name, LEN_CYCLE)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: releases: the cycle name \"%s\" is empty or longer than %u "
			     "characters",
			     path, name, LEN_CYCLE);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_OBJECT (node)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: %sexpected an object",
			     path, where);
		return FALSE;
	}
	JsonObject *o = json_node_get_object (node);
	jc->name = g_strdup (name);
	for (guint m = 0; jc_members[m] != NULL; m++) {
		const char *v = NULL;
		if (!json_text (o, jc_members[m], path, where, &v, error))
			return FALSE;
		if (v == NULL)
			continue;
		g_autoptr(GError) local = NULL;
		g_autofree char *date = NULL;
		int flag = -1;
		gboolean ok = TRUE;
		switch (m) {
		case JC_RELEASE:
		case JC_LATEST_DATE:
			ok = parse_date (v, &date, &local);
			break;
		case JC_EOL:
		case JC_EOAS:
		case JC_EOES:
		case JC_LTS:
			ok = parse_flag_or_date (v, &date, &flag, &local);
			break;
		case JC_CODENAME:
			ok = !too_long (v, LEN_CODENAME);
			break;
		case JC_LATEST:
			ok = !too_long (v, LEN_VERSION);
			break;
		default:
			break;
		}
		if (!ok) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: %s%s: %s", path,
				     where, jc_members[m],
				     local ? local->message : "longer than the store allows");
			return FALSE;
		}
		jc->has[m] = TRUE;
		jc->text[m] = date ? g_steal_pointer (&date) : g_strdup (v);
	}
	return TRUE;
}

static void
apply_json_cycle (TuCatalogProduct *p, const JsonCycle *jc)
{
	TuCatalogCycle *c = find_cycle (p, jc->name);
	if (c == NULL) {
		c = cycle_new (jc->name);
		g_ptr_array_add (p->cycles, c);
	}
	for (guint m = 0; jc_members[m] != NULL; m++) {
		if (!jc->has[m])
			continue;
		const char *v = jc->text[m];
		int b = bool_text (v);
		switch (m) {
		case JC_RELEASE:
			set_str (&c->release_date, v);
			break;
		case JC_LATEST_DATE:
			set_str (&c->latest_date, v);
			break;
		case JC_EOL:
			set_str (&c->eol, b >= 0 ? NULL : v);
			c->eol_flag = b;
			break;
		case JC_EOAS:
			set_str (&c->support_end, b >= 0 ? NULL : v);
			c->support_flag = b;
			break;
		case JC_EOES:
			set_str (&c->extended_end, b >= 0 ? NULL : v);
			break;
		case JC_LTS:
			c->lts = b != 0;
			break;
		case JC_CODENAME:
			set_str (&c->codename, v);
			break;
		case JC_LATEST:
			/* the page's hand-edited latest wins */
			if (c->latest == NULL)
				set_str (&c->latest, v);
			break;
		default:
			break;
		}
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
	if (!json_depth_ok (buf, len, CAT_MAX_DEPTH)) {
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
			g_ptr_array_add (cycles, jc);
			if (!json_release (path, l->data, json_object_get_member (o, l->data), jc,
					   error))
				return FALSE;
		}
	}
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) version_free);
	if (versions != NULL) {
		JsonObject *o = json_node_get_object (versions);
		g_autoptr(GList) names = json_object_get_members (o);
		for (GList *l = names; l != NULL; l = l->next) {
			const char *name = l->data;
			JsonNode *n = json_object_get_member (o, name);
			if (*name == '\0' || too_long (name, LEN_VERSION)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: versions: the version \"%s\" is empty or longer "
					     "than %u characters",
					     path, name, LEN_VERSION);
				return FALSE;
			}
			if (!JSON_NODE_HOLDS_OBJECT (n)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: versions: %s: expected an object", path, name);
				return FALSE;
			}
			g_autofree char *where = g_strdup_printf ("versions: %s: ", name);
			const char *date = NULL;
			if (!json_text (json_node_get_object (n), "date", path, where, &date, error))
				return FALSE;
			TuCatalogVersion *v = g_new0 (TuCatalogVersion, 1);
			v->version = g_strdup (name);
			g_ptr_array_add (found, v);
			if (date != NULL && !parse_date (date, &v->date, &local)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: %sdate: %s", path, where, local->message);
				return FALSE;
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
			set_str (&old->date, v->date);
			continue;
		}
		g_ptr_array_index (found, i) = NULL;
		g_ptr_array_add (into->versions, v);
		g_hash_table_insert (known, v->version, v);
	}
	sort_cycles (into);
	fill_latest (into);
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
	g_autoptr(TuCatalogCycle) c = cycle_new (cycle);
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
	g_autoptr(GPtrArray) read = products_new ();
	CsvReader r = {norm, known, by_id, lines, read};
	if (!tu_csv_read (buf, len, path, csv_columns, csv_required, csv_row, &r, error))
		return FALSE;
	for (guint i = 0; i < read->len; i++) {
		TuCatalogProduct *p = g_ptr_array_index (read, i);
		sort_cycles (p);
		g_ptr_array_index (read, i) = NULL;
		g_ptr_array_add (products, p);
	}
	return TRUE;
}

/* ---------------------------------------------------------------- store ---------------- */

static void
split_identifier (const char *ident, char **kind, const char **value)
{
	const char *colon = strchr (ident, ':');
	if (colon == NULL) {
		*kind = g_strdup ("");
		*value = ident;
		return;
	}
	*kind = g_strndup (ident, (gsize) (colon - ident));
	*value = colon + 1;
}

typedef struct {
	GPtrArray *products;
	const char *source;
} StoreJob;

static const char *const ident_columns[] = {"product_id", "kind", "value", NULL};
static const char *const cycle_columns[] = {
	"product_id", "cycle",	      "codename",     "release_date", "latest", "latest_date",
	"eol",	      "eol_flag",     "support_end",  "support_flag", "extended_end", "lts",
	NULL,
};
static const char *const version_columns[] = {"product_id", "version", "release_date", NULL};

static void
add_flag (TuWriter *w, int flag)
{
	if (flag < 0)
		tu_writer_add_null (w);
	else
		tu_writer_add_int (w, flag);
}

static gboolean
store_one (TuDb *db, const TuCatalogProduct *p, const char *source, GError **error)
{
	static const char *const deletes[] = {
		"DELETE FROM catalog_versions WHERE product_id = ?",
		"DELETE FROM catalog_cycles WHERE product_id = ?",
		"DELETE FROM catalog_identifiers WHERE product_id = ?",
	};
	for (guint i = 0; i < G_N_ELEMENTS (deletes); i++) {
		g_autoptr(TuSql) q = tu_sql_new (db, deletes[i]);
		tu_sql_bind_str (q, p->id);
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
	}
	g_autoptr(TuSql) q = tu_sql_new (
		db, "INSERT INTO catalog_products (id, title, category, publisher, product, "
		    "source_file, imported_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6)) ON "
		    "DUPLICATE KEY UPDATE title = VALUES(title), category = VALUES(category), "
		    "publisher = VALUES(publisher), product = VALUES(product), source_file = "
		    "VALUES(source_file), imported_at = VALUES(imported_at)");
	tu_sql_bind_str (q, p->id);
	tu_sql_bind_str (q, p->title ? p->title : p->id);
	tu_sql_bind_str (q, p->category);
	tu_sql_bind_str (q, p->publisher);
	tu_sql_bind_str (q, p->product);
	g_autofree char *src = source ? tu_utf8_clean (source, -1, 1024, NULL) : NULL;
	tu_sql_bind_str (q, src);
	if (!tu_db_exec (db, tu_sql_get (q), error))
		return FALSE;

	g_autoptr(TuWriter) iw = tu_writer_new (db, "catalog_identifiers", ident_columns,
						TU_WRITER_INSERT_IGNORE, NULL);
	for (guint i = 0; i < p->identifiers->len; i++) {
		g_autofree char *kind = NULL;
		const char *value = NULL;
		split_identifier (g_ptr_array_index (p->identifiers, i), &kind, &value);
		tu_writer_add_str (iw, p->id);
		tu_writer_add_str (iw, kind);
		tu_writer_add_str (iw, value);
		if (!tu_writer_end_row (iw, error))
			return FALSE;
	}
	if (!tu_writer_flush (iw, error))
		return FALSE;

	g_autoptr(TuWriter) cw = tu_writer_new (db, "catalog_cycles", cycle_columns,
						TU_WRITER_INSERT, NULL);
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		tu_writer_add_str (cw, p->id);
		tu_writer_add_str (cw, c->cycle);
		tu_writer_add_str (cw, c->codename);
		tu_writer_add_str (cw, c->release_date);
		tu_writer_add_str (cw, c->latest);
		tu_writer_add_str (cw, c->latest_date);
		tu_writer_add_str (cw, c->eol);
		add_flag (cw, c->eol_flag);
		tu_writer_add_str (cw, c->support_end);
		add_flag (cw, c->support_flag);
		tu_writer_add_str (cw, c->extended_end);
		tu_writer_add_int (cw, c->lts ? 1 : 0);
		if (!tu_writer_end_row (cw, error))
			return FALSE;
	}
	if (!tu_writer_flush (cw, error))
		return FALSE;

	g_autoptr(TuWriter) vw = tu_writer_new (db, "catalog_versions", version_columns,
						TU_WRITER_INSERT, NULL);
	for (guint i = 0; i < p->versions->len; i++) {
		const TuCatalogVersion *v = g_ptr_array_index (p->versions, i);
		tu_writer_add_str (vw, p->id);
		tu_writer_add_str (vw, v->version);
		tu_writer_add_str (vw, v->date);
		if (!tu_writer_end_row (vw, error))
			return FALSE;
	}
	return tu_writer_flush (vw, error);
}

static gboolean
store_txn (TuDb *db, gpointer user_data, GError **error)
{
	StoreJob *job = user_data;
	for (guint i = 0; i < job->products->len; i++) {
		if (!store_one (db, g_ptr_array_index (job->products, i), job->source, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
store_products (TuDb *db, GPtrArray *products, const char *source, TuCatalogImportStats *stats,
		GError **error)
{
	StoreJob job = {products, source};
	if (!tu_db_transaction (db, store_txn, &job, error))
		return FALSE;
	for (guint i = 0; i < products->len; i++) {
		const TuCatalogProduct *p = g_ptr_array_index (products, i);
		stats->n_products++;
		stats->n_cycles += p->cycles->len;
		stats->n_versions += p->versions->len;
		stats->n_identifiers += p->identifiers->len;
	}
	return TRUE;
}

/* ---------------------------------------------------------------- load ----------------- */

static char *
row_dup (MYSQL_ROW r, guint col)
{
	return r[col] != NULL ? g_strdup (r[col]) : NULL;
}

/* Products of the store (all, or the one named @only_id), sorted by id. (transfer full) */
static GPtrArray *
load_products (TuDb *db, const char *only_id, GError **error)
{
	static const char *const queries[] = {
		"SELECT id, title, category, publisher, product FROM catalog_products",
		"SELECT product_id, kind, value FROM catalog_identifiers",
		("SELECT product_id, cycle, codename, release_date, latest, latest_date, eol, "
		 "eol_flag, support_end, support_flag, extended_end, lts FROM catalog_cycles"),
		"SELECT product_id, version, release_date FROM catalog_versions",
	};
	static const char *const filters[] = {" WHERE id = ?", " WHERE product_id = ?",
					      " WHERE product_id = ?", " WHERE product_id = ?"};
	static const char *const orders[] = {" ORDER BY id", " ORDER BY product_id, kind, value",
					     "", ""};
	g_autoptr(GPtrArray) products = products_new ();
	g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint t = 0; t < G_N_ELEMENTS (queries); t++) {
		g_autofree char *sql = g_strconcat (queries[t], only_id ? filters[t] : "", orders[t],
						    NULL);
		g_autoptr(TuSql) q = tu_sql_new (db, sql);
		if (only_id != NULL)
			tu_sql_bind_str (q, only_id);
		g_autoptr(MYSQL_RES) res = tu_db_query_stream (db, tu_sql_get (q), error);
		if (res == NULL)
			return NULL;
		MYSQL_ROW r;
		while ((r = mysql_fetch_row (res)) != NULL) {
			if (t == 0) {
				TuCatalogProduct *p = tu_catalog_product_new (r[0]);
				p->title = row_dup (r, 1);
				p->category = row_dup (r, 2);
				p->publisher = row_dup (r, 3);
				p->product = row_dup (r, 4);
				g_ptr_array_add (products, p);
				g_hash_table_insert (by_id, p->id, p);
				continue;
			}
			TuCatalogProduct *p = g_hash_table_lookup (by_id, r[0]);
			if (p == NULL)
				continue;
			if (t == 1) {
				g_ptr_array_add (p->identifiers,
						 g_strdup_printf ("%s:%s", r[1], r[2]));
			} else if (t == 2) {
				TuCatalogCycle *c = cycle_new (r[1]);
				c->codename = row_dup (r, 2);
				c->release_date = row_dup (r, 3);
				c->latest = row_dup (r, 4);
				c->latest_date = row_dup (r, 5);
				c->eol = row_dup (r, 6);
				c->eol_flag = (int) tu_row_int (r, 7, -1);
				c->support_end = row_dup (r, 8);
				c->support_flag = (int) tu_row_int (r, 9, -1);
				c->extended_end = row_dup (r, 10);
				c->lts = tu_row_int (r, 11, 0) != 0;
				g_ptr_array_add (p->cycles, c);
			} else {
				TuCatalogVersion *v = g_new0 (TuCatalogVersion, 1);
				v->version = g_strdup (r[1]);
				v->date = row_dup (r, 2);
				g_ptr_array_add (p->versions, v);
			}
		}
		if (mysql_errno (tu_db_handle (db)) != 0) {
			tu_db_set_error (db, error, "reading the catalogue");
			return NULL;
		}
	}
	for (guint i = 0; i < products->len; i++)
		sort_cycles (g_ptr_array_index (products, i));
	return g_steal_pointer (&products);
}

/* ---------------------------------------------------------------- import --------------- */

static void
add_message (GPtrArray *messages, const char *msg)
{
	if (messages != NULL)
		g_ptr_array_add (messages, g_strdup (msg));
	else
		g_warning ("%s", msg);
}

static GBytes *
read_file (const char *path, GError **error)
{
	return tu_file_read (path, CAT_MAX_FILE_SIZE, error);
}

/* "products/openssl.md" -> "openssl" (transfer full) */
static char *
name_of (const char *path, const char *suffix)
{
	g_autofree char *base = g_path_get_basename (path);
	gsize n = strlen (base), s = strlen (suffix);
	if (n > s && g_ascii_strcasecmp (base + n - s, suffix) == 0)
		base[n - s] = '\0';
	return g_steal_pointer (&base);
}

/* The release data beside a page: DIR/../releases/NAME.json when the page is in a folder
 * with a releases/ sibling (endoflife.date's layout), else NULL. (transfer full) */
static char *
sibling_file (const char *path, const char *folder, const char *name, const char *suffix)
{
	g_autofree char *dir = g_path_get_dirname (path);
	g_autofree char *parent = g_path_get_dirname (dir);
	g_autofree char *file = g_strconcat (name, suffix, NULL);
	g_autofree char *candidate = g_build_filename (parent, folder, file, NULL);
	if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer (&candidate);
	return NULL;
}

/* Parse a page and (when not NULL) its release data into one product. (transfer full) */
static TuCatalogProduct *
read_page (const char *md_path, const char *json_path, GError **error)
{
	g_autofree char *id = name_of (md_path, ".md");
	g_autoptr(GBytes) md = read_file (md_path, error);
	if (md == NULL)
		return NULL;
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new (id);
	gsize len = 0;
	const char *data = g_bytes_get_data (md, &len);
	if (!tu_catalog_parse_markdown (data, len, md_path, id, p, error))
		return NULL;
	if (json_path != NULL) {
		g_autoptr(GBytes) js = read_file (json_path, error);
		if (js == NULL)
			return NULL;
		data = g_bytes_get_data (js, &len);
		if (!tu_catalog_parse_release_json (data, len, json_path, p, error))
			return NULL;
	}
	return g_steal_pointer (&p);
}

static gboolean
store_single (TuDb *db, TuCatalogProduct *p, const char *source, TuCatalogImportStats *stats,
	      GError **error)
{
	g_autoptr(GPtrArray) one = g_ptr_array_new ();
	g_ptr_array_add (one, p);
	return store_products (db, one, source, stats, error);
}

static gboolean
import_csv (TuDb *db, TuNormaliser *norm, const char *path, TuCatalogImportStats *stats,
	    GError **error)
{
	g_autoptr(GBytes) bytes = read_file (path, error);
	if (bytes == NULL)
		return FALSE;
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	g_autoptr(GPtrArray) products = products_new ();
	if (!tu_catalog_parse_csv (data, len, path, norm, products, error))
		return FALSE;
	return store_products (db, products, path, stats, error);
}

/* Release data on its own: merged into its page beside it, or into the stored product. */
static gboolean
import_json (TuDb *db, const char *path, TuCatalogImportStats *stats, GError **error)
{
	g_autoptr(GBytes) bytes = read_file (path, error);
	if (bytes == NULL)
		return FALSE;
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	g_autofree char *id = name_of (path, ".json");
	g_autoptr(TuCatalogProduct) scratch = tu_catalog_product_new (id);
	if (!tu_catalog_parse_release_json (data, len, path, scratch, error))
		return FALSE;
	g_autofree char *page = sibling_file (path, "products", id, ".md");
	if (page != NULL) {
		g_autoptr(TuCatalogProduct) p = read_page (page, path, error);
		return p != NULL && store_single (db, p, page, stats, error);
	}
	g_autoptr(GPtrArray) stored = load_products (db, id, error);
	if (stored == NULL)
		return FALSE;
	if (stored->len == 0 || g_str_has_prefix (id, "csv:")) {
		g_set_error (error, TU_ERROR, TU_ERROR_NOT_FOUND,
			     "%s: release data of \"%s\" needs its product page: import "
			     "products/%s.md first (or the whole endoflife.date directory)",
			     path, id, id);
		return FALSE;
	}
	TuCatalogProduct *p = g_ptr_array_index (stored, 0);
	/* a latest that is the highest stored version was derived from older release data:
	 * let the new data recompute it */
	for (guint i = 0; i < p->cycles->len; i++) {
		TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		const TuCatalogVersion *v = c->latest ? highest_in_cycle (p, c->cycle) : NULL;
		if (v != NULL && strcmp (v->version, c->latest) == 0) {
			g_clear_pointer (&c->latest, g_free);
			g_clear_pointer (&c->latest_date, g_free);
		}
	}
	if (!tu_catalog_parse_release_json (data, len, path, p, error))
		return FALSE;
	return store_single (db, p, path, stats, error);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Sorted names of the regular files of @dir ending in @suffix. (transfer full) */
static GPtrArray *
list_files (const char *dir, const char *suffix, GError **error)
{
	g_autoptr(GDir) d = g_dir_open (dir, 0, error);
	if (d == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	while ((name = g_dir_read_name (d)) != NULL) {
		g_autofree char *full = g_build_filename (dir, name, NULL);
		if (tu_str_has_suffix_ci (name, suffix) && strlen (name) > strlen (suffix) &&
		    g_file_test (full, G_FILE_TEST_IS_REGULAR))
			g_ptr_array_add (out, g_strdup (name));
	}
	g_ptr_array_sort (out, compare_names);
	return out;
}

static gboolean
import_dir (TuDb *db, TuNormaliser *norm, const char *path, TuCatalogImportStats *stats,
	    GPtrArray *messages, GError **error)
{
	g_autofree char *products_dir = g_build_filename (path, "products", NULL);
	g_autofree char *releases_dir = g_build_filename (path, "releases", NULL);
	gboolean layout = g_file_test (products_dir, G_FILE_TEST_IS_DIR);
	if (!layout) {
		g_free (products_dir);
		products_dir = g_strdup (path);
	}
	if (!layout || !g_file_test (releases_dir, G_FILE_TEST_IS_DIR)) {
		g_free (releases_dir);
		releases_dir = g_strdup (layout ? "" : path);
	}
	g_autoptr(GPtrArray) pages = list_files (products_dir, ".md", error);
	if (pages == NULL)
		return FALSE;
	g_autoptr(GPtrArray) jsons = *releases_dir ? list_files (releases_dir, ".json", error)
						   : g_ptr_array_new_with_free_func (g_free);
	if (jsons == NULL)
		return FALSE;
	g_autoptr(GPtrArray) csvs = layout ? g_ptr_array_new_with_free_func (g_free)
					   : list_files (path, ".csv", error);
	if (csvs == NULL)
		return FALSE;
	if (pages->len == 0 && jsons->len == 0 && csvs->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: no catalogue files here: expected endoflife.date's products/*.md "
			     "and releases/*.json, or .md, .json and .csv files",
			     path);
		return FALSE;
	}
	g_autoptr(GHashTable) page_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
								  NULL);
	for (guint i = 0; i < pages->len; i++)
		g_hash_table_add (page_names, name_of (g_ptr_array_index (pages, i), ".md"));
	g_autoptr(GHashTable) json_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
								  g_free);
	for (guint i = 0; i < jsons->len; i++) {
		const char *file = g_ptr_array_index (jsons, i);
		g_autofree char *name = name_of (file, ".json");
		g_autofree char *full = g_build_filename (releases_dir, file, NULL);
		if (g_hash_table_contains (page_names, name)) {
			g_hash_table_insert (json_names, g_steal_pointer (&name),
					     g_steal_pointer (&full));
		} else {
			g_autofree char *msg = g_strdup_printf (
				"%s: release data without its product page %s.md: not imported",
				full, name);
			add_message (messages, msg);
		}
	}
	for (guint i = 0; i < pages->len; i++) {
		const char *file = g_ptr_array_index (pages, i);
		g_autofree char *name = name_of (file, ".md");
		g_autofree char *md = g_build_filename (products_dir, file, NULL);
		const char *json = g_hash_table_lookup (json_names, name);
		g_autoptr(GError) local = NULL;
		g_autoptr(TuCatalogProduct) p = read_page (md, json, &local);
		if (p == NULL) {
			add_message (messages, local->message);
			continue;
		}
		if (!store_single (db, p, md, stats, error))
			return FALSE;
	}
	for (guint i = 0; i < csvs->len; i++) {
		g_autofree char *full = g_build_filename (path, g_ptr_array_index (csvs, i), NULL);
		g_autoptr(GError) local = NULL;
		if (import_csv (db, norm, full, stats, &local))
			continue;
		if (g_error_matches (local, TU_ERROR, TU_ERROR_DB) ||
		    g_error_matches (local, TU_ERROR, TU_ERROR_DB_TRANSIENT)) {
			g_propagate_error (error, g_steal_pointer (&local));
			return FALSE;
		}
		add_message (messages, local->message);
	}
	return TRUE;
}

gboolean
tu_catalog_import (TuDb *db, TuNormaliser *norm, const char *path, TuCatalogImportStats *stats,
		   GPtrArray *messages, GError **error)
{
	TuCatalogImportStats local_stats;
	if (stats == NULL)
		stats = &local_stats;
	memset (stats, 0, sizeof *stats);
	if (g_file_test (path, G_FILE_TEST_IS_DIR))
		return import_dir (db, norm, path, stats, messages, error);
	if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
		g_set_error (error, TU_ERROR, TU_ERROR_NOT_FOUND, "%s: no such file or directory",
			     path);
		return FALSE;
	}
	if (tu_str_has_suffix_ci (path, ".md")) {
		g_autofree char *id = name_of (path, ".md");
		g_autofree char *json = sibling_file (path, "releases", id, ".json");
		g_autoptr(TuCatalogProduct) p = read_page (path, json, error);
		return p != NULL && store_single (db, p, path, stats, error);
	}
	if (tu_str_has_suffix_ci (path, ".json"))
		return import_json (db, path, stats, error);
	if (tu_str_has_suffix_ci (path, ".csv"))
		return import_csv (db, norm, path, stats, error);
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "%s: not a catalogue file: expected an endoflife.date product page (.md), its "
		     "release data (.json), an in-house catalogue (.csv) or a directory of them",
		     path);
	return FALSE;
}

/* ---------------------------------------------------------------- matching keys -------- */

/* Case and punctuation folded away: "Node.js" -> "nodejs". NULL when nothing is left.
 * (transfer full) */
static char *
name_key (const char *s, gssize len)
{
	if (s == NULL)
		return NULL;
	g_autofree char *valid = tu_utf8_clean (s, len, 1024, NULL);
	g_autofree char *fold = g_utf8_casefold (valid, -1);
	GString *out = g_string_new (NULL);
	for (const char *p = fold; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (g_unichar_isalnum (c))
			g_string_append_unichar (out, c);
	}
	if (out->len == 0) {
		g_string_free (out, TRUE);
		return NULL;
	}
	return g_string_free (out, FALSE);
}

static int
hexval (char c)
{
	if (g_ascii_isdigit (c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decoded and lower-cased. (transfer full) */
static char *
decode_lower (const char *s, gsize len)
{
	GString *out = g_string_sized_new (len);
	for (gsize i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval (s[i + 1]) >= 0 && hexval (s[i + 2]) >= 0) {
			g_string_append_c (out, (char) (hexval (s[i + 1]) * 16 + hexval (s[i + 2])));
			i += 2;
		} else {
			g_string_append_c (out, g_ascii_tolower (s[i]));
		}
	}
	for (gsize i = 0; i < out->len; i++)
		out->str[i] = g_ascii_tolower (out->str[i]);
	return g_string_free (out, FALSE);
}

/* A package URL reduced to "type/namespace/name" (version, qualifiers and subpath dropped,
 * lower case, percent-decoded; PyPI names with - _ . folded as PEP 503 does). @distro_key
 * (nullable) gets "type//name" for distribution package types whose namespace is the
 * distribution (deb, rpm, apk, alpm). NULL when @purl is not a package URL. (transfer full) */
static char *
purl_key (const char *purl, char **distro_key)
{
	if (distro_key != NULL)
		*distro_key = NULL;
	if (purl == NULL)
		return NULL;
	while (*purl == ' ' || *purl == '\t')
		purl++;
	if (g_ascii_strncasecmp (purl, "pkg:", 4) != 0)
		return NULL;
	const char *s = purl + 4;
	while (*s == '/')
		s++;
	gsize n = strcspn (s, "?#");
	while (n > 0 && s[n - 1] == '/')
		n--;
	const char *last_slash = NULL;
	for (gsize i = 0; i < n; i++) {
		if (s[i] == '/')
			last_slash = s + i;
	}
	if (last_slash == NULL)
		return NULL;
	const char *at = memchr (last_slash, '@', (gsize) (s + n - last_slash));
	if (at != NULL)
		n = (gsize) (at - s);
	g_autofree char *type = NULL;
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *q = memchr (p, '/', (gsize) (end - p));
		const char *e = q ? q : end;
		if (e > p)
			g_ptr_array_add (parts, decode_lower (p, (gsize) (e - p)));
		p = q ? q + 1 : end;
	}
	if (parts->len < 2)
		return NULL;
	type = g_strdup (g_ptr_array_index (parts, 0));
	char *name = g_ptr_array_index (parts, parts->len - 1);
	if (strcmp (type, "pypi") == 0) {
		GString *folded = g_string_new (NULL);
		for (const char *c = name; *c; c++) {
			gboolean sep = *c == '-' || *c == '_' || *c == '.';
			if (!sep)
				g_string_append_c (folded, *c);
			else if (folded->len == 0 || folded->str[folded->len - 1] != '-')
				g_string_append_c (folded, '-');
		}
		g_free (name);
		name = g_ptr_array_index (parts, parts->len - 1) = g_string_free (folded, FALSE);
	}
	GString *key = g_string_new (type);
	g_string_append_c (key, '/');
	for (guint i = 1; i + 1 < parts->len; i++) {
		if (i > 1)
			g_string_append_c (key, '/');
		g_string_append (key, g_ptr_array_index (parts, i));
	}
	g_string_append_c (key, '/');
	g_string_append (key, name);
	static const char *const distro_types[] = {"deb", "rpm", "apk", "alpm", NULL};
	if (distro_key != NULL && g_strv_contains (distro_types, type))
		*distro_key = g_strdup_printf ("%s//%s", type, name);
	return g_string_free (key, FALSE);
}

/* "vendor:product" of a CPE 2.3 formatted string or a CPE 2.2 URI, lower case and unescaped;
 * NULL when either is missing or a wildcard. (transfer full) */
static char *
cpe_key (const char *cpe)
{
	if (cpe == NULL)
		return NULL;
	const char *s;
	gboolean fs;
	if (g_ascii_strncasecmp (cpe, "cpe:2.3:", 8) == 0) {
		s = cpe + 8;
		fs = TRUE;
	} else if (g_ascii_strncasecmp (cpe, "cpe:/", 5) == 0) {
		s = cpe + 5;
		fs = FALSE;
	} else {
		return NULL;
	}
	/* fields: part, vendor, product */
	GString *field[3] = {g_string_new (NULL), g_string_new (NULL), g_string_new (NULL)};
	guint f = 0;
	for (const char *p = s; *p && f < 3; p++) {
		if (*p == ':') {
			f++;
			continue;
		}
		if (fs && *p == '\\' && p[1] != '\0') {
			p++;
			g_string_append_c (field[f], g_ascii_tolower (*p));
		} else if (!fs && *p == '%' && hexval (p[1]) >= 0 && hexval (p[2]) >= 0) {
			char c = (char) (hexval (p[1]) * 16 + hexval (p[2]));
			g_string_append_c (field[f], g_ascii_tolower (c));
			p += 2;
		} else {
			g_string_append_c (field[f], g_ascii_tolower (*p));
		}
	}
	char *key = NULL;
	const char *vendor = field[1]->str, *product = field[2]->str;
	gboolean wild = *vendor == '\0' || *product == '\0' || strcmp (vendor, "*") == 0 ||
			strcmp (product, "*") == 0 || strcmp (vendor, "-") == 0 ||
			strcmp (product, "-") == 0;
	if (!wild)
		key = g_strdup_printf ("%s:%s", vendor, product);
	for (guint i = 0; i < 3; i++)
		g_string_free (field[i], TRUE);
	return key;
}

/* ---------------------------------------------------------------- the catalogue -------- */

/* Name-key sources, strongest first: an in-house CSV row names its product outright. */
typedef enum { NAME_CSV = 0, NAME_TITLE, NAME_SLUG, NAME_REPOLOGY } NamePriority;

typedef struct {
	const TuCatalogProduct *product;
	NamePriority priority;
} NameHit;

struct _TuCatalog {
	GPtrArray *products;	  /* TuCatalogProduct*, by id */
	GHashTable *by_purl;	  /* "type/ns/name" -> product */
	GHashTable *by_distro;	  /* "type//name" -> product, or &ambiguous */
	GHashTable *by_cpe;	  /* "vendor:product" -> product */
	GHashTable *by_name;	  /* name key -> NameHit* */
	GHashTable *by_pub_prod;  /* casefold "publisher\x1fproduct" -> product (CSV) */
};

static const char ambiguous = 0;

void
tu_catalog_free (TuCatalog *cat)
{
	if (cat == NULL)
		return;
	g_hash_table_unref (cat->by_purl);
	g_hash_table_unref (cat->by_distro);
	g_hash_table_unref (cat->by_cpe);
	g_hash_table_unref (cat->by_name);
	g_hash_table_unref (cat->by_pub_prod);
	g_ptr_array_unref (cat->products);
	g_free (cat);
}

static void
index_name (TuCatalog *cat, const char *text, const TuCatalogProduct *p, NamePriority priority)
{
	g_autofree char *key = name_key (text, -1);
	if (key == NULL)
		return;
	NameHit *hit = g_hash_table_lookup (cat->by_name, key);
	if (hit != NULL && hit->priority <= priority)
		return; /* an earlier product (by id) or a stronger source keeps the key */
	hit = g_new0 (NameHit, 1);
	hit->product = p;
	hit->priority = priority;
	g_hash_table_replace (cat->by_name, g_steal_pointer (&key), hit);
}

static char *
pub_prod_key (const char *publisher, const char *product)
{
	g_autofree char *a = g_utf8_casefold (publisher, -1);
	g_autofree char *b = g_utf8_casefold (product, -1);
	return g_strconcat (a, "\x1f", b, NULL);
}

static void
index_product (TuCatalog *cat, const TuCatalogProduct *p)
{
	for (guint i = 0; i < p->identifiers->len; i++) {
		const char *ident = g_ptr_array_index (p->identifiers, i);
		if (g_str_has_prefix (ident, "purl:")) {
			g_autofree char *distro = NULL;
			char *key = purl_key (ident + 5, &distro);
			if (key != NULL && !g_hash_table_contains (cat->by_purl, key))
				g_hash_table_insert (cat->by_purl, key, (gpointer) p);
			else
				g_free (key);
			if (distro != NULL) {
				gpointer old = g_hash_table_lookup (cat->by_distro, distro);
				/* claimed by two products: the package name alone decides nothing */
				gpointer value = old == NULL || old == p ? (gpointer) p
									 : (gpointer) &ambiguous;
				char *k = g_steal_pointer (&distro);
				g_hash_table_replace (cat->by_distro, k, value);
			}
		} else if (g_str_has_prefix (ident, "cpe:")) {
			char *key = cpe_key (ident + 4);
			if (key != NULL && !g_hash_table_contains (cat->by_cpe, key))
				g_hash_table_insert (cat->by_cpe, key, (gpointer) p);
			else
				g_free (key);
		} else if (g_str_has_prefix (ident, "repology:")) {
			index_name (cat, ident + 9, p, NAME_REPOLOGY);
		}
	}
	if (p->publisher != NULL && p->product != NULL) {
		char *key = pub_prod_key (p->publisher, p->product);
		if (!g_hash_table_contains (cat->by_pub_prod, key))
			g_hash_table_insert (cat->by_pub_prod, key, (gpointer) p);
		else
			g_free (key);
		index_name (cat, p->product, p, NAME_CSV);
		g_autofree char *both = g_strconcat (p->publisher, " ", p->product, NULL);
		index_name (cat, both, p, NAME_CSV);
	} else {
		index_name (cat, p->title, p, NAME_TITLE);
		index_name (cat, p->id, p, NAME_SLUG);
	}
}

static TuCatalog *
catalog_new (GPtrArray *products)
{
	TuCatalog *cat = g_new0 (TuCatalog, 1);
	cat->products = products;
	cat->by_purl = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	cat->by_distro = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	cat->by_cpe = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	cat->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	cat->by_pub_prod = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < products->len; i++)
		index_product (cat, g_ptr_array_index (products, i));
	return cat;
}

TuCatalog *
tu_catalog_load (TuDb *db, GError **error)
{
	GPtrArray *products = load_products (db, NULL, error);
	if (products == NULL)
		return NULL;
	return catalog_new (products);
}

static const TuCatalogProduct *
match_name_key (TuCatalog *cat, const char *text, gssize len)
{
	g_autofree char *key = name_key (text, len);
	if (key == NULL)
		return NULL;
	NameHit *hit = g_hash_table_lookup (cat->by_name, key);
	return hit ? hit->product : NULL;
}

static const TuCatalogProduct *
match_by_name (TuCatalog *cat, const char *publisher, const char *product)
{
	if (product == NULL || *product == '\0')
		return NULL;
	if (publisher != NULL && *publisher != '\0') {
		g_autofree char *key = pub_prod_key (publisher, product);
		const TuCatalogProduct *p = g_hash_table_lookup (cat->by_pub_prod, key);
		if (p != NULL)
			return p;
	}
	const TuCatalogProduct *p = match_name_key (cat, product, -1);
	if (p != NULL || publisher == NULL || *publisher == '\0')
		return p;
	/* without a leading publisher word: "Apache Tomcat" of "Apache Software Foundation" */
	g_autofree char *pub_key = name_key (publisher, -1);
	gsize first_len = strcspn (publisher, " \t,");
	g_autofree char *pub_first = name_key (publisher, (gssize) first_len);
	for (const char *sp = product; (sp = strchr (sp, ' ')) != NULL; sp++) {
		g_autofree char *head = name_key (product, sp - product);
		if (head == NULL ||
		    (g_strcmp0 (head, pub_key) != 0 && g_strcmp0 (head, pub_first) != 0))
			continue;
		g_autofree char *rest = name_key (sp + 1, -1);
		if (rest == NULL || strlen (rest) < 2)
			continue;
		if ((p = match_name_key (cat, sp + 1, -1)) != NULL)
			return p;
	}
	/* the publisher and the product together: "Apache" + "HTTP Server" */
	g_autofree char *both = g_strconcat (publisher, " ", product, NULL);
	if ((p = match_name_key (cat, both, -1)) != NULL)
		return p;
	if (first_len < strlen (publisher)) {
		g_autofree char *first_both = g_strdup_printf ("%.*s %s", (int) first_len, publisher,
							       product);
		p = match_name_key (cat, first_both, -1);
	}
	return p;
}

const TuCatalogProduct *
tu_catalog_match (TuCatalog *cat, const char *publisher, const char *product, const char *purl,
		  const char *cpe, const char **mapped_by)
{
	const char *by_dummy = NULL;
	if (mapped_by == NULL)
		mapped_by = &by_dummy;
	*mapped_by = NULL;
	if (cat == NULL)
		return NULL;
	if (purl != NULL && *purl != '\0') {
		g_autofree char *distro = NULL;
		g_autofree char *key = purl_key (purl, &distro);
		const TuCatalogProduct *p = key ? g_hash_table_lookup (cat->by_purl, key) : NULL;
		if (p == NULL && distro != NULL) {
			gconstpointer d = g_hash_table_lookup (cat->by_distro, distro);
			p = d != &ambiguous ? d : NULL;
		}
		if (p != NULL) {
			*mapped_by = "purl";
			return p;
		}
	}
	if (cpe != NULL && *cpe != '\0') {
		g_autofree char *key = cpe_key (cpe);
		const TuCatalogProduct *p = key ? g_hash_table_lookup (cat->by_cpe, key) : NULL;
		if (p != NULL) {
			*mapped_by = "cpe";
			return p;
		}
	}
	const TuCatalogProduct *p = match_by_name (cat, publisher, product);
	if (p != NULL)
		*mapped_by = "name";
	return p;
}

/* ---------------------------------------------------------------- cycles and support --- */

const TuCatalogCycle *
tu_catalog_cycle_for (const TuCatalogProduct *p, const char *version)
{
	if (p == NULL || version == NULL || *version == '\0')
		return NULL;
	const TuCatalogCycle *best = NULL;
	gsize best_len = 0;
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		gsize n = strlen (c->cycle);
		if (n > best_len && version_in_cycle (version, c->cycle)) {
			best = c;
			best_len = n;
		}
	}
	/* "v18.19.1" as tags and some tools write it */
	if (best == NULL && (version[0] == 'v' || version[0] == 'V') && g_ascii_isdigit (version[1]))
		return tu_catalog_cycle_for (p, version + 1);
	return best;
}

const TuCatalogCycle *
tu_catalog_newest_cycle (const TuCatalogProduct *p)
{
	if (p == NULL || p->cycles->len == 0)
		return NULL;
	gboolean all_dated = TRUE;
	for (guint i = 0; i < p->cycles->len && all_dated; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		all_dated = c->release_date != NULL;
	}
	const TuCatalogCycle *best = NULL;
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		if (best == NULL) {
			best = c;
			continue;
		}
		int d = all_dated ? strcmp (c->release_date, best->release_date) : 0;
		if (d == 0)
			d = tu_version_compare (TU_SCHEME_GENERIC, c->cycle, best->cycle);
		if (d > 0)
			best = c;
	}
	return best;
}

void
tu_catalog_behind (const TuCatalogProduct *p, const TuCatalogCycle *cycle, const char *version,
		   gint *releases_behind, gint *days_behind)
{
	gint rb = -1, days = -1;
	if (p != NULL && cycle != NULL && version != NULL && *version != '\0') {
		guint n_known = 0, n_newer = 0;
		const char *own_date = NULL;
		for (guint i = 0; i < p->versions->len; i++) {
			const TuCatalogVersion *v = g_ptr_array_index (p->versions, i);
			if (!version_in_cycle (v->version, cycle->cycle))
				continue;
			n_known++;
			if (tu_version_compare (TU_SCHEME_GENERIC, v->version, version) > 0)
				n_newer++;
			if (strcmp (v->version, version) == 0)
				own_date = v->date;
		}
		if (n_known > 0)
			rb = (gint) n_newer;
		else if (cycle->latest != NULL &&
			 tu_version_compare (TU_SCHEME_GENERIC, version, cycle->latest) >= 0)
			rb = 0;
		if (own_date == NULL && cycle->latest != NULL && strcmp (cycle->latest, version) == 0)
			own_date = cycle->latest_date;
		guint32 a = 0, b = 0;
		if (rb == 0)
			days = 0;
		else if (date_julian (own_date, &a) && date_julian (cycle->latest_date, &b))
			days = b > a ? (gint) (b - a) : 0;
	}
	if (releases_behind != NULL)
		*releases_behind = rb;
	if (days_behind != NULL)
		*days_behind = days;
}

TuSupport
tu_catalog_support (const TuCatalogCycle *cycle, guint32 at, const char **eol_date)
{
	if (eol_date != NULL)
		*eol_date = cycle ? cycle->eol : NULL;
	if (cycle == NULL)
		return TU_SUPPORT_UNKNOWN;
	guint32 j = 0;
	if ((date_julian (cycle->eol, &j) && at >= j) || cycle->eol_flag == 1)
		return TU_SUPPORT_EOL;
	if ((date_julian (cycle->support_end, &j) && at >= j) || cycle->support_flag == 1)
		return TU_SUPPORT_SECURITY_ONLY;
	if (cycle->eol != NULL || cycle->eol_flag == 0 || cycle->support_end != NULL ||
	    cycle->support_flag == 0)
		return TU_SUPPORT_SUPPORTED;
	return TU_SUPPORT_UNKNOWN;
}

const char *
tu_support_to_string (TuSupport s)
{
	switch (s) {
	case TU_SUPPORT_SUPPORTED:
		return "supported";
	case TU_SUPPORT_SECURITY_ONLY:
		return "security-only";
	case TU_SUPPORT_EOL:
		return "eol";
	case TU_SUPPORT_UNKNOWN:
	default:
		return "";
	}
}

/* ---------------------------------------------------------------- unmapped ------------- */

/* The package URL the patch engine derives for a package of a distribution. (transfer full) */
static char *
derived_purl (const char *source, const char *raw_name, const char *srcpkg, const char *os_id)
{
	switch (tu_source_from_string (source)) {
	case TU_SOURCE_DPKG:
		return g_strdup_printf ("pkg:deb/%s/%s", os_id ? os_id : "debian",
					srcpkg && *srcpkg ? srcpkg : raw_name);
	case TU_SOURCE_RPM:
		return g_strdup_printf ("pkg:rpm/%s/%s", os_id ? os_id : "redhat", raw_name);
	case TU_SOURCE_APK:
		return g_strdup_printf ("pkg:apk/alpine/%s", raw_name);
	case TU_SOURCE_PIP:
		return g_strdup_printf ("pkg:pypi/%s", raw_name);
	case TU_SOURCE_NPM:
		return g_strdup_printf ("pkg:npm/%s", raw_name);
	default:
		return NULL;
	}
}

GPtrArray *
tu_catalog_unmapped (TuCatalog *cat, TuDb *db, GError **error)
{
	g_autoptr(GPtrArray) os_ids = g_ptr_array_new_with_free_func (g_free);
	{
		g_autoptr(MYSQL_RES) res = tu_db_query (
			db, "SELECT DISTINCT os_id FROM hosts WHERE os_id IS NOT NULL AND os_id <> ''",
			error);
		if (res == NULL)
			return NULL;
		MYSQL_ROW r;
		while ((r = mysql_fetch_row (res)) != NULL)
			g_ptr_array_add (os_ids, g_strdup (r[0]));
	}
	if (os_ids->len == 0)
		g_ptr_array_add (os_ids, NULL);
	g_autoptr(GHashTable) mapped = g_hash_table_new (g_direct_hash, g_direct_equal);
	g_autoptr(MYSQL_RES) res = tu_db_query_stream (
		db,
		"SELECT DISTINCT publisher, product, COALESCE(norm_purl, purl), "
		"COALESCE(norm_cpe, cpe), source, raw_name, source_package FROM software",
		error);
	if (res == NULL)
		return NULL;
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL) {
		const TuCatalogProduct *p = NULL;
		if (r[2] != NULL && *r[2] != '\0') {
			p = tu_catalog_match (cat, r[0], r[1], r[2], r[3], NULL);
		} else {
			for (guint i = 0; i < os_ids->len && p == NULL; i++) {
				g_autofree char *purl = derived_purl (r[4], r[5] ? r[5] : "", r[6],
								      g_ptr_array_index (os_ids, i));
				p = tu_catalog_match (cat, r[0], r[1], purl, r[3], NULL);
			}
		}
		if (p != NULL)
			g_hash_table_add (mapped, (gpointer) p);
	}
	if (mysql_errno (tu_db_handle (db)) != 0) {
		tu_db_set_error (db, error, "reading the inventory");
		return NULL;
	}
	GPtrArray *out = g_ptr_array_new ();
	for (guint i = 0; i < cat->products->len; i++) {
		gpointer p = g_ptr_array_index (cat->products, i);
		if (!g_hash_table_contains (mapped, p))
			g_ptr_array_add (out, p);
	}
	return out;
}
