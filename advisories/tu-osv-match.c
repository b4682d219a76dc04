/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Evaluating a version against an OSV affected package (see tu_osv_affected_eval), with the
 * specification's algorithm: events sorted by version ("introduced 0" first, "limit *" last),
 * last_affected inclusive, limit exclusive, or the version listed. A version the scheme cannot
 * parse answers UNKNOWN, never affected or safe.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-osv-private.h"

/* ---------------------------------------------------------------- evaluation ----------- */

typedef struct {
	TuScheme scheme;
} SortCtx;

/* "introduced 0" before everything, "limit *" after everything, the rest by version. */
static gint
compare_events (gconstpointer pa, gconstpointer pb, gpointer user_data)
{
	const TuOsvEvent *a = *(const TuOsvEvent *const *) pa;
	const TuOsvEvent *b = *(const TuOsvEvent *const *) pb;
	const SortCtx *ctx = user_data;
	int ka = strcmp (a->kind, "introduced") == 0 && strcmp (a->version, "0") == 0 ? -1
		 : strcmp (a->kind, "limit") == 0 && strcmp (a->version, "*") == 0    ? 1
										       : 0;
	int kb = strcmp (b->kind, "introduced") == 0 && strcmp (b->version, "0") == 0 ? -1
		 : strcmp (b->kind, "limit") == 0 && strcmp (b->version, "*") == 0    ? 1
										       : 0;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (ka != 0)
		return 0;
	return tu_version_compare (ctx->scheme, a->version, b->version);
}

/* One range (the specification's IncludedInRanges for a single range). */
static TuOsvVerdict
eval_range (const TuOsvAffected *a, const TuOsvRange *range, const char *version,
	    char **fixed, char **why)
{
	TuScheme scheme = tu_osv_range_scheme (a, range);
	g_autofree char *bad = NULL;
	if (!tu_osv_version_valid (scheme, version, &bad)) {
		*why = g_strdup_printf ("%s range: installed version: %s", range->type, bad);
		return TU_OSV_UNKNOWN;
	}
	for (guint i = 0; i < range->events->len; i++) {
		const TuOsvEvent *e = g_ptr_array_index (range->events, i);
		if (!tu_osv_event_is_special (e) && !tu_osv_version_valid (scheme, e->version, &bad)) {
			*why =
			    g_strdup_printf ("%s range: %s event: %s", range->type, e->kind, bad);
			return TU_OSV_UNKNOWN;
		}
	}

	/* BeforeLimits */
	gboolean has_limit = FALSE, before_limit = FALSE;
	for (guint i = 0; i < range->events->len; i++) {
		const TuOsvEvent *e = g_ptr_array_index (range->events, i);
		if (strcmp (e->kind, "limit") != 0)
			continue;
		has_limit = TRUE;
		if (strcmp (e->version, "*") == 0 ||
		    tu_version_compare (scheme, version, e->version) < 0)
			before_limit = TRUE;
	}
	if (has_limit && !before_limit)
		return TU_OSV_NOT_AFFECTED;

	/* a copy of the pointers only: the copy would otherwise inherit the free function */
	g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (range->events->len);
	for (guint i = 0; i < range->events->len; i++)
		g_ptr_array_add (sorted, g_ptr_array_index (range->events, i));
	SortCtx ctx = {scheme};
	g_ptr_array_sort_with_data (sorted, compare_events, &ctx); /* stable */
	gboolean vulnerable = FALSE;
	for (guint i = 0; i < sorted->len; i++) {
		const TuOsvEvent *e = g_ptr_array_index (sorted, i);
		if (strcmp (e->kind, "introduced") == 0) {
			if (strcmp (e->version, "0") == 0 ||
			    tu_version_compare (scheme, version, e->version) >= 0)
				vulnerable = TRUE;
		} else if (strcmp (e->kind, "fixed") == 0) {
			if (tu_version_compare (scheme, version, e->version) >= 0)
				vulnerable = FALSE;
		} else if (strcmp (e->kind, "last_affected") == 0) {
			if (tu_version_compare (scheme, version, e->version) > 0)
				vulnerable = FALSE;
		}
	}
	if (!vulnerable)
		return TU_OSV_NOT_AFFECTED;
	/* the lowest fix above the version */
	for (guint i = 0; i < sorted->len; i++) {
		const TuOsvEvent *e = g_ptr_array_index (sorted, i);
		if (strcmp (e->kind, "fixed") == 0 &&
		    tu_version_compare (scheme, version, e->version) < 0) {
			*fixed = g_strdup (e->version);
			break;
		}
	}
	return TU_OSV_AFFECTED;
}

TuOsvVerdict
tu_osv_affected_eval (const TuOsvAffected *a, const char *version, char **fixed, char **why)
{
	g_return_val_if_fail (a != NULL, TU_OSV_UNKNOWN);
	if (fixed != NULL)
		*fixed = NULL;
	if (why != NULL)
		*why = NULL;

	g_autofree char *bad = NULL;
	if (version == NULL || !tu_osv_version_valid (a->scheme, version, &bad)) {
		if (why != NULL)
			*why = g_strdup_printf ("installed version: %s",
						bad ? bad : "no version");
		return TU_OSV_UNKNOWN;
	}

	gboolean affected = FALSE, unfixed = FALSE, listed = FALSE;
	g_autofree char *first_why = NULL;
	g_autofree char *fix = NULL; /* the version that leaves every affecting range */
	for (guint i = 0; i < a->ranges->len; i++) {
		const TuOsvRange *range = g_ptr_array_index (a->ranges, i);
		g_autofree char *rfix = NULL;
		g_autofree char *rwhy = NULL;
		TuOsvVerdict v = eval_range (a, range, version, &rfix, &rwhy);
		if (v == TU_OSV_UNKNOWN) {
			if (first_why == NULL)
				first_why = g_steal_pointer (&rwhy);
			continue;
		}
		if (v != TU_OSV_AFFECTED)
			continue;
		affected = TRUE;
		if (rfix == NULL)
			unfixed = TRUE;
		else if (fix == NULL ||
			 tu_version_compare (tu_osv_range_scheme (a, range), rfix, fix) > 0)
			tu_osv_set_str (&fix, rfix);
	}
	for (guint i = 0; !affected && i < a->versions->len; i++) {
		const char *v = g_ptr_array_index (a->versions, i);
		if (strcmp (v, version) == 0 || tu_version_compare (a->scheme, v, version) == 0)
			affected = listed = TRUE;
	}
	if (affected) {
		if (listed) {
			/* listed only: the lowest fix above it in any range, when one says so */
			for (guint i = 0; i < a->ranges->len; i++) {
				const TuOsvRange *range = g_ptr_array_index (a->ranges, i);
				TuScheme scheme = tu_osv_range_scheme (a, range);
				for (guint j = 0; j < range->events->len; j++) {
					const TuOsvEvent *e = g_ptr_array_index (range->events, j);
					if (strcmp (e->kind, "fixed") != 0 ||
					    !tu_osv_version_valid (scheme, e->version, NULL) ||
					    tu_version_compare (scheme, version, e->version) >= 0)
						continue;
					if (fix == NULL ||
					    tu_version_compare (scheme, e->version, fix) < 0)
						tu_osv_set_str (&fix, e->version);
				}
			}
		}
		if (fixed != NULL && !unfixed)
			*fixed = g_steal_pointer (&fix);
		return TU_OSV_AFFECTED;
	}
	if (first_why != NULL) {
		if (why != NULL)
			*why = g_steal_pointer (&first_why);
		return TU_OSV_UNKNOWN;
	}
	return TU_OSV_NOT_AFFECTED;
}
