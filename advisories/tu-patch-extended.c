/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Paid extended support bought through entitlements (see tu-patch-extended.h): the purchases
 * are read with the other entitlements (tu_query_entitlements, those with extended_support
 * set), the host attributes with tu_query_host_attributes; which hosts a purchase covers is
 * the licence engine's scope rule, tu_scope_problem.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-licence-record.h"
#include "tu-patch-extended.h"
#include "tu-query.h"

typedef struct {
	char *site, *cost_centre, *environment, *cluster;
	char **groups;
} Attrs;

struct _TuExtendedSupport {
	GPtrArray *purchases; /* TuExtendedPurchase* */
	GHashTable *attrs;    /* lower-case host key -> Attrs* */
};

static void
purchase_free (TuExtendedPurchase *p)
{
	g_free (p->id);
	g_free (p->catalog_id);
	g_free (p->release);
	g_free (p->scope);
	g_free (p);
}

static void
attrs_free (Attrs *a)
{
	g_free (a->site);
	g_free (a->cost_centre);
	g_free (a->environment);
	g_free (a->cluster);
	g_strfreev (a->groups);
	g_free (a);
}

void
tu_extended_support_free (TuExtendedSupport *es)
{
	if (es == NULL)
		return;
	g_ptr_array_unref (es->purchases);
	g_hash_table_unref (es->attrs);
	g_free (es);
}

/* A purchase that covers nothing says why. */
static void
warn_unmatched (TuWarnings *warnings, const char *id, gboolean yes, const char *publisher,
		const char *product, const char *target)
{
	if (yes)
		tu_warnings_add (warnings, NULL, 0, "extended_support",
				 "%s: %s %s is no product of the release catalogue: the purchase "
				 "covers nothing (give the catalogue product id instead of yes)",
				 id, publisher, product);
	else
		tu_warnings_add (warnings, NULL, 0, "extended_support",
				 "%s: the release catalogue has no product \"%s\": the purchase "
				 "covers nothing",
				 id, target);
}

static gboolean
load_purchases (TuExtendedSupport *es, TuDb *db, TuCatalog *catalog, TuWarnings *warnings,
		guint *n_unmatched, GError **error)
{
	/* a catalogue with no products (none imported yet) cannot say a purchase is wrong */
	gboolean judged = tu_catalog_n_products (catalog) > 0;
	g_autoptr(TuRows) rows = tu_query_entitlements (db);
	GError *local = NULL;
	char **r;
	while ((r = tu_rows_next (rows, &local)) != NULL) {
		const char *target = r[TU_Q_ENT_EXTENDED];
		if (target == NULL)
			continue;
		TuExtendedPurchase *p = g_new0 (TuExtendedPurchase, 1);
		p->id = g_strdup (r[TU_Q_ENT_ID]);
		gboolean yes = g_ascii_strcasecmp (target, "yes") == 0;
		const TuCatalogProduct *cp =
			yes ? tu_catalog_match (catalog, r[TU_Q_ENT_PUBLISHER], r[TU_Q_ENT_PRODUCT],
						NULL, NULL, NULL)
			    : tu_catalog_product (catalog, target);
		p->catalog_id = cp ? g_strdup (cp->id) : NULL;
		if (cp == NULL && judged && n_unmatched != NULL)
			(*n_unmatched)++;
		if (cp == NULL && judged && warnings != NULL)
			warn_unmatched (warnings, p->id, yes, r[TU_Q_ENT_PUBLISHER],
					r[TU_Q_ENT_PRODUCT], target);
		p->release = g_strdup (tu_cell_str (r, TU_Q_ENT_RELEASE));
		p->scope = g_strdup (tu_cell_str (r, TU_Q_ENT_SCOPE));
		p->start = tu_cell_date (r, TU_Q_ENT_START);
		p->end = tu_cell_date (r, TU_Q_ENT_END);
		g_ptr_array_add (es->purchases, p);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

static gboolean
load_attributes (TuExtendedSupport *es, TuDb *db, GError **error)
{
	g_autoptr(TuRows) rows = tu_query_host_attributes (db);
	GError *local = NULL;
	char **r;
	while ((r = tu_rows_next (rows, &local)) != NULL) {
		Attrs *a = g_new0 (Attrs, 1);
		a->site = g_strdup (r[TU_Q_ATTR_SITE]);
		a->cost_centre = g_strdup (r[TU_Q_ATTR_COST_CENTRE]);
		a->environment = g_strdup (r[TU_Q_ATTR_ENVIRONMENT]);
		a->cluster = g_strdup (r[TU_Q_ATTR_CLUSTER]);
		if (r[TU_Q_ATTR_GROUPS] != NULL) {
			a->groups = g_strsplit (r[TU_Q_ATTR_GROUPS], ";", -1);
			for (guint g = 0; a->groups[g] != NULL; g++)
				g_strstrip (a->groups[g]);
		}
		g_hash_table_insert (es->attrs, g_utf8_strdown (r[TU_Q_ATTR_HOST_KEY], -1), a);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

TuExtendedSupport *
tu_extended_support_load (TuDb *db, TuCatalog *catalog, TuWarnings *warnings, guint *n_unmatched,
			  GError **error)
{
	g_autoptr(TuExtendedSupport) es = g_new0 (TuExtendedSupport, 1);
	es->purchases = g_ptr_array_new_with_free_func ((GDestroyNotify) purchase_free);
	es->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					   (GDestroyNotify) attrs_free);
	if (!load_purchases (es, db, catalog, warnings, n_unmatched, error))
		return NULL;
	/* the attributes matter only when something was bought */
	if (es->purchases->len > 0 && !load_attributes (es, db, error))
		return NULL;
	return g_steal_pointer (&es);
}

GPtrArray *
tu_extended_support_for_host (TuExtendedSupport *es, const char *name, const char *machine_id)
{
	if (es == NULL || es->purchases->len == 0)
		return NULL;
	const Attrs *a = NULL;
	const char *keys[] = {name, machine_id};
	for (guint k = 0; k < G_N_ELEMENTS (keys) && a == NULL; k++) {
		if (keys[k] == NULL)
			continue;
		g_autofree char *lower = g_utf8_strdown (keys[k], -1);
		a = g_hash_table_lookup (es->attrs, lower);
	}
	TuScopeHost sh = {0};
	if (a != NULL) {
		sh.site = a->site;
		sh.cost_centre = a->cost_centre;
		sh.environment = a->environment;
		sh.cluster = a->cluster;
		sh.groups = (const char *const *) a->groups;
	}
	GPtrArray *out = NULL;
	for (guint i = 0; i < es->purchases->len; i++) {
		TuExtendedPurchase *p = g_ptr_array_index (es->purchases, i);
		g_autofree char *problem = tu_scope_problem (p->scope, &sh);
		if (problem != NULL || p->catalog_id == NULL)
			continue;
		if (out == NULL)
			out = g_ptr_array_new ();
		g_ptr_array_add (out, p);
	}
	return out;
}

/* Is @cycle the purchase's release: equal, or the release followed by '-' or ' ' ("10" is
 * "10-22h2")? An empty release is any. */
static gboolean
release_fits (const char *release, const char *cycle)
{
	if (release == NULL || *release == '\0')
		return TRUE;
	if (cycle == NULL)
		return FALSE;
	gsize n = strlen (release);
	return g_ascii_strncasecmp (cycle, release, n) == 0 &&
	       (cycle[n] == '\0' || cycle[n] == '-' || cycle[n] == ' ');
}

/* Does @a end later than @b (0 is never)? */
static gboolean
ends_later (guint32 a, guint32 b)
{
	return b != 0 && (a == 0 || a > b);
}

const TuExtendedPurchase *
tu_extended_support_find (const GPtrArray *purchases, const char *catalog_id, const char *cycle,
			  guint32 at, const TuExtendedPurchase **lapsed)
{
	const TuExtendedPurchase *best = NULL, *ended = NULL;
	for (guint i = 0; purchases != NULL && catalog_id != NULL && i < purchases->len; i++) {
		const TuExtendedPurchase *p = g_ptr_array_index (purchases, i);
		if (g_ascii_strcasecmp (p->catalog_id, catalog_id) != 0 ||
		    !release_fits (p->release, cycle))
			continue;
		if ((p->start == 0 || p->start <= at) && (p->end == 0 || at <= p->end)) {
			if (best == NULL || ends_later (p->end, best->end))
				best = p;
		} else if (p->end != 0 && p->end < at) {
			if (ended == NULL || p->end > ended->end)
				ended = p;
		}
	}
	if (lapsed != NULL)
		*lapsed = best == NULL ? ended : NULL;
	return best;
}

gboolean
tu_extended_support_check (TuDb *db, TuWarnings *warnings, GError **error)
{
	g_autoptr(TuCatalog) catalog = tu_catalog_load (db, error);
	if (catalog == NULL)
		return FALSE;
	g_autoptr(TuExtendedSupport) es =
		tu_extended_support_load (db, catalog, warnings, NULL, error);
	return es != NULL;
}
