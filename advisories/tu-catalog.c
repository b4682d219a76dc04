/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The release and end-of-life catalogue (see tu-catalog.h): the rules about the product,
 * cycle and version records (common/tu-catalog-record.h) that parsing, storing and matching
 * all apply (tu-catalog-private.h). Reading files is tu-catalog-parse.c, walking an import
 * tu-catalog-import.c, the SQL store/tu-catalog-store.c, answering for an installation
 * tu-catalog-match.c.
 *
 * Invariants of a parsed or loaded product: cycle names are unique and non-empty; dates are
 * "YYYY-MM-DD" or NULL; cycles are sorted newest first (release date, then cycle name), which
 * is also the order a reload from the store gives, since the store keeps no order column.
 *
 * Rules taken from upstream's own updater: a version belongs to a cycle when it equals it or
 * starts with it followed by a non-digit ("4.10.1" is not in "4.1"); the highest version of a
 * cycle becomes its latest only when the page has none, because upstream edits "latest" by
 * hand in vendor syntax.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog-private.h"
#include "tu-common.h"

void
tu_catalog_set_str (char **slot, const char *value)
{
	char *copy = g_strdup (value);
	g_free (*slot);
	*slot = copy;
}

TuCatalogCycle *
tu_catalog_find_cycle (const TuCatalogProduct *p, const char *name)
{
	for (guint i = 0; i < p->cycles->len; i++) {
		TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		if (strcmp (c->cycle, name) == 0)
			return c;
	}
	return NULL;
}

gboolean
tu_catalog_has_identifier (const TuCatalogProduct *p, const char *ident)
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

void
tu_catalog_sort_cycles (TuCatalogProduct *p)
{
	g_ptr_array_sort (p->cycles, cycle_order);
}

GPtrArray *
tu_catalog_load_products (TuDb *db, const char *only_id, GError **error)
{
	GPtrArray *products = tu_catalog_store_load (db, only_id, error);
	for (guint i = 0; products != NULL && i < products->len; i++)
		tu_catalog_sort_cycles (g_ptr_array_index (products, i));
	return products;
}


gboolean
tu_catalog_date_julian (const char *s, guint32 *out)
{
	return s != NULL && tu_date_parse (s, out, "date", NULL);
}

/* ---------------------------------------------------------------- version cycles ------- */

gboolean
tu_catalog_version_in_cycle (const char *version, const char *cycle)
{
	gsize n = strlen (cycle);
	if (n == 0 || strncmp (version, cycle, n) != 0)
		return FALSE;
	return version[n] == '\0' || !g_ascii_isdigit (version[n]);
}

/* The highest known version of @cycle (ties: the later date). (transfer none) */
const TuCatalogVersion *
tu_catalog_highest_in_cycle (const TuCatalogProduct *p, const char *cycle)
{
	const TuCatalogVersion *best = NULL;
	for (guint i = 0; i < p->versions->len; i++) {
		const TuCatalogVersion *v = g_ptr_array_index (p->versions, i);
		if (!tu_catalog_version_in_cycle (v->version, cycle))
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
void
tu_catalog_fill_latest (TuCatalogProduct *p)
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
			const TuCatalogVersion *v = tu_catalog_highest_in_cycle (p, c->cycle);
			if (v != NULL) {
				tu_catalog_set_str (&c->latest, v->version);
				tu_catalog_set_str (&c->latest_date, v->date);
			}
		} else if (c->latest_date == NULL) {
			const TuCatalogVersion *v = g_hash_table_lookup (dates, c->latest);
			if (v != NULL)
				tu_catalog_set_str (&c->latest_date, v->date);
		}
	}
}

