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

/* A range made ready once (tu_osv_matcher_new): its scheme, whether an event version is
 * one the scheme cannot parse (then the range answers UNKNOWN), and its events in the
 * specification's order. Evaluating the same advisory against many installed versions then
 * no longer validates and sorts its events each time. */
typedef struct {
	const TuOsvRange *range; /* borrowed from the affected package */
	TuScheme scheme;
	char *bad_event;   /* "RANGE range: KIND event: WHY", or NULL when all parse */
	GPtrArray *sorted; /* TuOsvEvent* (borrowed), stable by compare_events */
} MatchRange;

struct _TuOsvMatcher {
	const TuOsvAffected *a; /* borrowed */
	MatchRange *ranges;
	guint n_ranges;
};

TuOsvMatcher *
tu_osv_matcher_new (const TuOsvAffected *a)
{
	g_return_val_if_fail (a != NULL, NULL);
	TuOsvMatcher *m = g_new0 (TuOsvMatcher, 1);
	m->a = a;
	m->n_ranges = a->ranges->len;
	m->ranges = g_new0 (MatchRange, MAX (m->n_ranges, 1));
	for (guint r = 0; r < m->n_ranges; r++) {
		MatchRange *mr = &m->ranges[r];
		mr->range = g_ptr_array_index (a->ranges, r);
		mr->scheme = tu_osv_range_scheme (a, mr->range);
		for (guint i = 0; i < mr->range->events->len && mr->bad_event == NULL; i++) {
			const TuOsvEvent *e = g_ptr_array_index (mr->range->events, i);
			g_autofree char *bad = NULL;
			if (!tu_osv_event_is_special (e) &&
			    !tu_osv_version_valid (mr->scheme, e->version, &bad))
				mr->bad_event = g_strdup_printf ("%s range: %s event: %s",
								 mr->range->type, e->kind, bad);
		}
		/* a copy of the pointers only: the copy would otherwise inherit the free
		 * function; sorted only when every version parses (else it answers UNKNOWN) */
		mr->sorted = g_ptr_array_sized_new (mr->range->events->len);
		for (guint i = 0; i < mr->range->events->len; i++)
			g_ptr_array_add (mr->sorted, g_ptr_array_index (mr->range->events, i));
		SortCtx ctx = {mr->scheme};
		if (mr->bad_event == NULL)
			g_ptr_array_sort_with_data (mr->sorted, compare_events, &ctx); /* stable */
	}
	return m;
}

void
tu_osv_matcher_free (TuOsvMatcher *m)
{
	if (m == NULL)
		return;
	for (guint r = 0; r < m->n_ranges; r++) {
		g_free (m->ranges[r].bad_event);
		g_ptr_array_unref (m->ranges[r].sorted);
	}
	g_free (m->ranges);
	g_free (m);
}

/* One range (the specification's IncludedInRanges for a single range). @version_valid: the
 * installed version is known to parse in the range's scheme (-1: not checked yet). */
static TuOsvVerdict
eval_range (const MatchRange *mr, const char *version, int version_valid, char **fixed,
	    char **why)
{
	const TuOsvRange *range = mr->range;
	TuScheme scheme = mr->scheme;
	g_autofree char *bad = NULL;
	if (version_valid == 0 ||
	    (version_valid < 0 && !tu_osv_version_valid (scheme, version, &bad))) {
		if (bad == NULL)
			tu_osv_version_valid (scheme, version, &bad);
		*why = g_strdup_printf ("%s range: installed version: %s", range->type, bad);
		return TU_OSV_UNKNOWN;
	}
	if (mr->bad_event != NULL) {
		*why = g_strdup (mr->bad_event);
		return TU_OSV_UNKNOWN;
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

	const GPtrArray *sorted = mr->sorted;
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
	g_autoptr(TuOsvMatcher) m = tu_osv_matcher_new (a);
	return tu_osv_matcher_eval (m, version, fixed, why);
}

TuOsvVerdict
tu_osv_matcher_eval (const TuOsvMatcher *m, const char *version, char **fixed, char **why)
{
	g_return_val_if_fail (m != NULL, TU_OSV_UNKNOWN);
	const TuOsvAffected *a = m->a;
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
	for (guint i = 0; i < m->n_ranges; i++) {
		const MatchRange *mr = &m->ranges[i];
		g_autofree char *rfix = NULL;
		g_autofree char *rwhy = NULL;
		/* the version parses in the package's scheme (checked above) */
		TuOsvVerdict v = eval_range (mr, version, mr->scheme == a->scheme ? 1 : -1, &rfix,
					     &rwhy);
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
			 tu_version_compare (mr->scheme, rfix, fix) > 0)
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
