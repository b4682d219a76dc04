/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The licence engine; see tu-licence.h for the contract. Per product:
 *
 *  1. Site entitlements cover what they cover, without limit.
 *  2. For each other metric that has active entitlements (device, user, install, processor,
 *     core, in that order), the installations not yet covered form demands: one per host and
 *     product (device, processor, core), per owner (user) or per installation (install), with
 *     the units the metric counts (1, sockets, max(ceil(cores x factor), min_cores)). Demands
 *     that look alike to every entitlement (same edition, release, scope attributes and units)
 *     are grouped, and a minimum-cost maximum flow allocates groups to entitlements: source ->
 *     group (its units) -> entitlement it may use -> sink (the quantity). The maximum flow is
 *     the least shortfall; costs prefer the same edition, then the soonest end, then the lower
 *     unit cost, then the id, so ties are broken the same way every time.
 *  3. What is left uncovered is counted in the first metric it was eligible for (else the
 *     product's usual metric), with the reason none covers it.
 * Unknown sockets or cores make a demand "needs data": listed, never counted as zero.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tu-common.h"
#include "tu-flow.h"
#include "tu-licence.h"
#include "tu-version.h"

const char *
tu_verdict_status_to_string (TuVerdictStatus s)
{
	switch (s) {
	case TU_VERDICT_COVERED:
		return "covered";
	case TU_VERDICT_PARTIAL:
		return "partial";
	case TU_VERDICT_UNCOVERED:
		return "uncovered";
	case TU_VERDICT_NEEDS_DATA:
	default:
		return "needs-data";
	}
}

/* ---------------------------------------------------------------- input ---------------- */

static void
host_free (TuLicHost *h)
{
	g_free (h->name);
	g_free (h->site);
	g_free (h->cost_centre);
	g_free (h->owner);
	g_free (h->environment);
	g_free (h->cluster);
	g_strfreev (h->groups);
	g_free (h);
}

static void
install_free (TuLicInstall *i)
{
	g_free (i->publisher);
	g_free (i->product);
	g_free (i->edition);
	g_free (i->release);
	g_free (i->version);
	g_free (i->raw_name);
	g_free (i->metric_hint);
	g_free (i);
}

TuLicenceInput *
tu_licence_input_new (void)
{
	TuLicenceInput *in = g_new0 (TuLicenceInput, 1);
	in->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_free);
	in->installs = g_ptr_array_new_with_free_func ((GDestroyNotify) install_free);
	in->entitlements = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_entitlement_free);
	in->prices = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_price_free);
	in->release_dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	in->at = tu_date_today ();
	return in;
}

void
tu_licence_input_free (TuLicenceInput *in)
{
	if (in == NULL)
		return;
	g_ptr_array_unref (in->hosts);
	g_ptr_array_unref (in->installs);
	g_ptr_array_unref (in->entitlements);
	g_ptr_array_unref (in->prices);
	g_hash_table_unref (in->release_dates);
	g_free (in);
}

TuLicHost *
tu_lic_host_new (guint64 id, const char *name)
{
	TuLicHost *h = g_new0 (TuLicHost, 1);
	h->id = id;
	h->name = g_strdup (name);
	h->cores = -1;
	h->sockets = -1;
	h->is_virtual = -1;
	h->groups = g_new0 (char *, 1);
	return h;
}

TuLicInstall *
tu_lic_install_new (guint64 id, guint host, const char *publisher, const char *product,
		    const char *edition, const char *release)
{
	TuLicInstall *i = g_new0 (TuLicInstall, 1);
	i->id = id;
	i->host = host;
	i->publisher = g_strdup (publisher);
	i->product = g_strdup (product);
	i->edition = g_strdup (edition ? edition : "");
	i->release = g_strdup (release ? release : "");
	return i;
}

/* ---------------------------------------------------------------- results --------------- */

static void
verdict_free (TuVerdict *v)
{
	g_free (v->entitlements);
	g_free (v->reason);
	g_free (v);
}

static void
row_free (TuPositionRow *r)
{
	g_free (r->publisher);
	g_free (r->product);
	g_free (r->edition);
	g_free (r->currency);
	g_free (r);
}

static void
use_free (TuEntitlementUse *u)
{
	g_free (u->inactive_reason);
	g_free (u);
}

void
tu_licence_position_free (TuLicencePosition *pos)
{
	if (pos == NULL)
		return;
	g_ptr_array_unref (pos->rows);
	g_ptr_array_unref (pos->verdicts);
	g_ptr_array_unref (pos->uses);
	tu_warnings_free (pos->warnings);
	g_free (pos);
}

/* ---------------------------------------------------------------- rights ---------------- */

typedef struct {
	const TuLicenceInput *in;
	TuLicencePosition *pos;
	GHashTable *rows; /* key -> TuPositionRow* */
	GHashTable *row_hosts; /* key -> GHashTable of host indices */
	const guint *rank;     /* installation index -> its place in the engine's order */
} Ctx;

static const TuProductInfo *
info_for (const Ctx *c, const char *publisher, const char *product)
{
	return c->in->rules ? tu_rule_set_product_info (c->in->rules, publisher, product) : NULL;
}

static gboolean
edition_covers (const TuProductInfo *info, const char *ent_edition, const char *inst_edition)
{
	if (tu_str_equal_fold (ent_edition, inst_edition))
		return TRUE;
	return info != NULL && tu_product_info_covers (info, ent_edition, inst_edition);
}

/* <0, 0, >0 by the product's release order, else by version order */
static int
release_cmp (const TuProductInfo *info, const char *a, const char *b)
{
	if (tu_str_equal_fold (a, b))
		return 0;
	if (info != NULL && info->release_order->len > 0) {
		gint ia = -1, ib = -1;
		for (guint i = 0; i < info->release_order->len; i++) {
			const char *r = g_ptr_array_index (info->release_order, i);
			if (tu_str_equal_fold (r, a))
				ia = (gint) i;
			if (tu_str_equal_fold (r, b))
				ib = (gint) i;
		}
		if (ia >= 0 && ib >= 0)
			return ia < ib ? -1 : 1;
	}
	return tu_version_compare (TU_SCHEME_GENERIC, a, b);
}

static const char *
release_date (const Ctx *c, const TuProductInfo *info, const char *publisher, const char *product,
	      const char *release)
{
	if (info != NULL) {
		GHashTableIter iter;
		gpointer k, v;
		g_hash_table_iter_init (&iter, info->release_dates);
		while (g_hash_table_iter_next (&iter, &k, &v)) {
			if (tu_str_equal_fold (k, release))
				return v;
		}
	}
	g_autofree char *key0 = g_strdup_printf ("%s\x1f%s\x1f%s", publisher, product, release);
	g_autofree char *key = g_utf8_casefold (key0, -1);
	return g_hash_table_lookup (c->in->release_dates, key);
}

/* NULL when @e's release rights cover @release; else why not (transfer full) */
static char *
release_problem (const Ctx *c, const TuProductInfo *info, const TuEntitlement *e,
		 const TuLicInstall *inst)
{
	if (e->release == NULL || *e->release == '\0')
		return NULL;
	if (inst->release == NULL || *inst->release == '\0')
		return g_strdup_printf ("release of the installation unknown; %s licenses %s only",
					e->id, e->release);
	int cmp = release_cmp (info, inst->release, e->release);
	if (cmp == 0)
		return NULL;
	if (cmp < 0) {
		if (e->downgrade)
			return NULL;
		return g_strdup_printf ("release %s is older than %s licensed by %s, without "
					"downgrade rights",
					inst->release, e->release, e->id);
	}
	if (e->maintenance_end == 0)
		return g_strdup_printf ("release %s is newer than %s licensed by %s, without "
					"maintenance",
					inst->release, e->release, e->id);
	const char *date = release_date (c, info, inst->publisher, inst->product, inst->release);
	g_autofree char *mend = tu_date_format (e->maintenance_end);
	if (date == NULL)
		return g_strdup_printf ("release %s is newer than %s licensed by %s and its release "
					"date is unknown (maintenance to %s)",
					inst->release, e->release, e->id, mend);
	guint32 released = 0;
	if (tu_date_parse (date, &released, "released", NULL) && released <= e->maintenance_end)
		return NULL;
	return g_strdup_printf ("release %s (released %s) came after the maintenance of %s ended "
				"%s",
				inst->release, date, e->id, mend);
}

/* NULL when @h is in @scope; else the condition it fails, e.g. "site=London" */
static char *
scope_problem (const char *scope, const TuLicHost *h)
{
	const TuScopeHost sh = {
		.site = h->site,
		.cost_centre = h->cost_centre,
		.environment = h->environment,
		.cluster = h->cluster,
		.groups = (const char *const *) h->groups,
	};
	return tu_scope_problem (scope, &sh);
}

static gboolean
is_active (const TuEntitlement *e, guint32 at)
{
	return (e->start == 0 || e->start <= at) && (e->end == 0 || e->end >= at);
}

/* ---------------------------------------------------------------- demands --------------- */

typedef struct {
	guint rep;	     /* representative installation */
	GArray *members;     /* guint installation indices */
	gint64 units;
	gboolean needs_data;
	char *needs_what;
	/* allocation */
	gint64 covered;
	GString *used;	     /* "E-1:8,E-2:8" */
	GPtrArray *used_ids; /* entitlements used (borrowed ids) */
	TuMetric metric;
	gboolean done;
	char *capacity_note; /* eligible entitlements whose capacity ran out */
} Demand;

static void
demand_free (Demand *d)
{
	g_array_unref (d->members);
	g_free (d->needs_what);
	if (d->used != NULL)
		g_string_free (d->used, TRUE);
	if (d->used_ids != NULL)
		g_ptr_array_unref (d->used_ids);
	g_free (d->capacity_note);
	g_free (d);
}

static const TuLicInstall *
inst_at (const Ctx *c, guint i)
{
	return g_ptr_array_index (c->in->installs, i);
}

static const TuLicHost *
host_of (const Ctx *c, guint i)
{
	return g_ptr_array_index (c->in->hosts, inst_at (c, i)->host);
}

/* Is installation a "higher" than b: a's edition covers b's, then the later release. */
static gboolean
is_higher (const Ctx *c, const TuProductInfo *info, guint a, guint b)
{
	const TuLicInstall *ia = inst_at (c, a), *ib = inst_at (c, b);
	if (!tu_str_equal_fold (ia->edition, ib->edition)) {
		if (info != NULL && tu_product_info_covers (info, ia->edition, ib->edition))
			return TRUE;
		if (info != NULL && tu_product_info_covers (info, ib->edition, ia->edition))
			return FALSE;
		return g_strcmp0 (ia->edition, ib->edition) > 0;
	}
	int r = release_cmp (info, ia->release, ib->release);
	if (r != 0)
		return r > 0;
	return c->rank[a] > c->rank[b];
}

static gint64
core_units (gint cores, double factor, gint min_cores)
{
	gint64 u = (gint64) ceil ((double) cores * factor - 1e-9);
	return MAX (u, (gint64) min_cores);
}

/* Eligibility of a demand for an entitlement, ignoring capacity and dates. */
static gboolean
eligible (const Ctx *c, const TuProductInfo *info, const TuEntitlement *e, const Demand *d)
{
	const TuLicInstall *rep = inst_at (c, d->rep);
	if (!edition_covers (info, e->edition, rep->edition))
		return FALSE;
	g_autofree char *rp = release_problem (c, info, e, rep);
	if (rp != NULL)
		return FALSE;
	g_autofree char *sp = scope_problem (e->scope, host_of (c, d->rep));
	return sp == NULL;
}

/* Units of a demand under @metric, using the largest factor and minimum of @ents (core). */
static void
demand_units (const Ctx *c, Demand *d, TuMetric metric, GPtrArray *ents)
{
	const TuLicHost *h = host_of (c, d->rep);
	g_clear_pointer (&d->needs_what, g_free);
	d->needs_data = FALSE;
	switch (metric) {
	case TU_METRIC_PROCESSOR:
		if (h->sockets < 0) {
			d->needs_data = TRUE;
			d->needs_what = g_strdup_printf ("the number of processors (sockets) of %s is "
							 "unknown",
							 h->name);
			d->units = 0;
		} else {
			d->units = h->sockets;
		}
		break;
	case TU_METRIC_CORE: {
		double factor = 0;
		gint min_cores = 0;
		for (guint i = 0; ents != NULL && i < ents->len; i++) {
			const TuEntitlement *e = g_ptr_array_index (ents, i);
			if (e->metric != TU_METRIC_CORE)
				continue;
			factor = MAX (factor, e->core_factor);
			min_cores = MAX (min_cores, e->min_cores);
		}
		if (factor <= 0)
			factor = 1.0;
		if (h->cores < 0) {
			d->needs_data = TRUE;
			d->needs_what = g_strdup_printf ("the number of cores of %s is unknown", h->name);
			d->units = 0;
		} else {
			d->units = core_units (h->cores, factor, min_cores);
		}
		break;
	}
	default:
		d->units = 1;
	}
}

/* Demands of one metric from the installation indices in @remaining. */
static GPtrArray *
build_demands (const Ctx *c, const TuProductInfo *info, GArray *remaining, TuMetric metric)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) demand_free);
	g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint k = 0; k < remaining->len; k++) {
		guint i = g_array_index (remaining, guint, k);
		const TuLicInstall *inst = inst_at (c, i);
		const TuLicHost *h = host_of (c, i);
		char *key = NULL;
		switch (metric) {
		case TU_METRIC_USER:
			key = h->owner && *h->owner ? g_utf8_casefold (h->owner, -1)
						    : g_strdup_printf ("\x1fhost:%u", inst->host);
			break;
		case TU_METRIC_DEVICE:
		case TU_METRIC_PROCESSOR:
		case TU_METRIC_CORE:
			key = g_strdup_printf ("%u", inst->host);
			break;
		default:
			key = g_strdup_printf ("i%u", i);
		}
		Demand *d = g_hash_table_lookup (by_key, key);
		if (d == NULL) {
			d = g_new0 (Demand, 1);
			d->rep = i;
			d->members = g_array_new (FALSE, FALSE, sizeof (guint));
			d->metric = metric;
			g_hash_table_insert (by_key, key, d);
			g_ptr_array_add (out, d);
		} else {
			g_free (key);
			if (is_higher (c, info, i, d->rep))
				d->rep = i;
		}
		g_array_append_val (d->members, i);
	}
	return out;
}

/* Sort active entitlements: soonest end first (perpetual last), then cheaper, then id. */
static gint
ent_order (gconstpointer pa, gconstpointer pb)
{
	const TuEntitlement *a = *(TuEntitlement *const *) pa;
	const TuEntitlement *b = *(TuEntitlement *const *) pb;
	guint32 ea = a->end ? a->end : G_MAXUINT32, eb = b->end ? b->end : G_MAXUINT32;
	if (ea != eb)
		return ea < eb ? -1 : 1;
	double ca = a->has_unit_cost ? a->unit_cost : G_MAXDOUBLE;
	double cb = b->has_unit_cost ? b->unit_cost : G_MAXDOUBLE;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return g_strcmp0 (a->id, b->id);
}

static const char *
unit_word (TuMetric m, gint64 n)
{
	switch (m) {
	case TU_METRIC_CORE:
		return n == 1 ? "core" : "cores";
	case TU_METRIC_PROCESSOR:
		return n == 1 ? "processor" : "processors";
	case TU_METRIC_USER:
		return n == 1 ? "user licence" : "user licences";
	default:
		return n == 1 ? "licence" : "licences";
	}
}

/* Group key: what makes two demands look alike to every entitlement. */
static char *
group_key (const Ctx *c, const Demand *d)
{
	const TuLicInstall *rep = inst_at (c, d->rep);
	const TuLicHost *h = host_of (c, d->rep);
	g_autofree char *groups = h->groups ? g_strjoinv (";", h->groups) : g_strdup ("");
	g_autofree char *k = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT,
					      rep->edition, rep->release, h->site ? h->site : "",
					      h->cost_centre ? h->cost_centre : "",
					      h->environment ? h->environment : "",
					      h->cluster ? h->cluster : "", groups, d->units);
	return g_utf8_casefold (k, -1);
}

static gint
demand_order (gconstpointer pa, gconstpointer pb, gpointer user_data)
{
	const Ctx *c = user_data;
	const Demand *a = *(Demand *const *) pa, *b = *(Demand *const *) pb;
	guint ra = c->rank[a->rep], rb = c->rank[b->rep];
	return (ra > rb) - (ra < rb);
}

typedef struct {
	const TuEntitlement *e;
	guint index;	   /* into input->entitlements */
	gint64 used;
} Pool;

/* Allocate @demands (one metric) to the active entitlements @pools of that metric. */
static void
allocate (const Ctx *c, const TuProductInfo *info, GPtrArray *demands, GArray *pools, TuMetric m)
{
	/* groups of identical demands */
	g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
							      (GDestroyNotify) g_ptr_array_unref);
	g_autoptr(GPtrArray) groups = g_ptr_array_new ();
	for (guint i = 0; i < demands->len; i++) {
		Demand *d = g_ptr_array_index (demands, i);
		if (d->done || d->needs_data || d->units <= 0)
			continue;
		char *key = group_key (c, d);
		GPtrArray *g = g_hash_table_lookup (by_key, key);
		if (g == NULL) {
			g = g_ptr_array_new ();
			g_hash_table_insert (by_key, key, g);
			g_ptr_array_add (groups, g);
		} else {
			g_free (key);
		}
		g_ptr_array_add (g, d);
	}
	if (groups->len == 0 || pools->len == 0)
		return;
	/* nodes: source 0, groups 1..G, pools G+1..G+P, sink G+P+1 */
	guint G = groups->len, P = pools->len;
	g_autoptr(TuFlow) flow = tu_flow_new (G + P + 2);
	guint sink = G + P + 1;
	g_autofree guint *edge = g_new0 (guint, (gsize) G * P);
	g_autofree gboolean *has_edge = g_new0 (gboolean, (gsize) G * P);
	for (guint g = 0; g < G; g++) {
		GPtrArray *members = g_ptr_array_index (groups, g);
		gint64 units = 0;
		for (guint k = 0; k < members->len; k++)
			units += ((Demand *) g_ptr_array_index (members, k))->units;
		tu_flow_add_edge (flow, 0, 1 + g, units, 0);
		const Demand *rep = g_ptr_array_index (members, 0);
		const TuLicInstall *ri = inst_at (c, rep->rep);
		for (guint p = 0; p < P; p++) {
			const Pool *pool = &g_array_index (pools, Pool, p);
			if (!eligible (c, info, pool->e, rep))
				continue;
			const TuEntitlement *pe = pool->e;
			gboolean same_edition = tu_str_equal_fold (pe->edition, ri->edition);
			gboolean same_release = tu_str_equal_fold (pe->release, ri->release) ||
						*pe->release == '\0';
			gint64 cost = (same_edition ? 0 : 1000000) + (same_release ? 0 : 10000) +
				      (gint64) p;
			edge[g * P + p] = tu_flow_add_edge (flow, 1 + g, 1 + G + p, G_MAXINT64 / 8, cost);
			has_edge[g * P + p] = TRUE;
		}
	}
	for (guint p = 0; p < P; p++) {
		const Pool *pool = &g_array_index (pools, Pool, p);
		tu_flow_add_edge (flow, 1 + G + p, sink, MAX (pool->e->quantity, 0), 0);
	}
	tu_flow_solve (flow, 0, sink, NULL);

	/* hand each group's flow to its demands, in a stable order */
	for (guint g = 0; g < G; g++) {
		GPtrArray *members = g_ptr_array_index (groups, g);
		g_ptr_array_sort_with_data (members, demand_order, (gpointer) c);
		g_autofree gint64 *left = g_new0 (gint64, P);
		gboolean any_eligible = FALSE;
		for (guint p = 0; p < P; p++) {
			if (has_edge[g * P + p]) {
				left[p] = tu_flow_edge_flow (flow, edge[g * P + p]);
				any_eligible = TRUE;
			}
		}
		/* pools in cost order for this group: same edition first, then pool order */
		g_autofree guint *order = g_new (guint, P);
		guint n_order = 0;
		const TuLicInstall *ri = inst_at (c, ((Demand *) g_ptr_array_index (members, 0))->rep);
		for (guint pass = 0; pass < 2; pass++) {
			for (guint p = 0; p < P; p++) {
				const Pool *pool = &g_array_index (pools, Pool, p);
				const char *edition = pool->e->edition;
				gboolean same_ed = tu_str_equal_fold (edition, ri->edition);
				if (has_edge[g * P + p] && (pass == 0) == same_ed)
					order[n_order++] = p;
			}
		}
		for (guint k = 0; k < members->len; k++) {
			Demand *d = g_ptr_array_index (members, k);
			for (guint o = 0; o < n_order && d->covered < d->units; o++) {
				guint p = order[o];
				gint64 take = MIN (left[p], d->units - d->covered);
				if (take <= 0)
					continue;
				left[p] -= take;
				d->covered += take;
				Pool *pool = &g_array_index (pools, Pool, p);
				pool->used += take;
				if (d->used == NULL) {
					d->used = g_string_new (NULL);
					d->used_ids = g_ptr_array_new ();
				}
				if (d->used->len > 0)
					g_string_append_c (d->used, ',');
				if (m == TU_METRIC_CORE || m == TU_METRIC_PROCESSOR)
					g_string_append_printf (d->used, "%s:%" G_GINT64_FORMAT,
								pool->e->id, take);
				else
					g_string_append (d->used, pool->e->id);
				g_ptr_array_add (d->used_ids, pool->e->id);
			}
			if (d->covered < d->units && any_eligible) {
				/* eligible, but the units ran out: say whose */
				GString *note = g_string_new (NULL);
				gint64 total = 0;
				for (guint o = 0; o < n_order; o++) {
					const Pool *pool = &g_array_index (pools, Pool, order[o]);
					total += pool->e->quantity;
					g_string_append_printf (note, "%s%s", o ? ", " : "", pool->e->id);
				}
				g_free (d->capacity_note);
				d->capacity_note = g_strdup_printf ("all %" G_GINT64_FORMAT " %s of %s used",
								    total, unit_word (m, total), note->str);
				g_string_free (note, TRUE);
			}
			if (d->covered > 0) {
				/* covered, or partly: the demand stays in this metric */
				d->done = TRUE;
				d->metric = m;
			}
		}
	}
}

/* Why does no entitlement cover demand @d? (transfer full) */
static char *
uncovered_reason (const Ctx *c, const TuProductInfo *info, const Demand *d, GPtrArray *all)
{
	const TuLicInstall *rep = inst_at (c, d->rep);
	const TuLicHost *h = host_of (c, d->rep);
	if (d->capacity_note != NULL)
		return g_strdup (d->capacity_note);
	if (all == NULL || all->len == 0)
		return g_strdup_printf ("no entitlement for %s %s", rep->publisher, rep->product);
	g_autoptr(GPtrArray) ed_ok = g_ptr_array_new ();
	GString *editions = g_string_new (NULL);
	for (guint i = 0; i < all->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (all, i);
		if (edition_covers (info, e->edition, rep->edition))
			g_ptr_array_add (ed_ok, (gpointer) e);
		else if (strstr (editions->str, e->edition) == NULL)
			g_string_append_printf (editions, "%s%s", editions->len ? ", " : "",
						*e->edition ? e->edition : "(no edition)");
	}
	if (ed_ok->len == 0) {
		char *r = g_strdup_printf ("no entitlement for this edition (%s); entitlements are "
					   "for %s",
					   *rep->edition ? rep->edition : "no edition", editions->str);
		g_string_free (editions, TRUE);
		return r;
	}
	g_string_free (editions, TRUE);
	g_autoptr(GPtrArray) rel_ok = g_ptr_array_new ();
	g_autofree char *first_release = NULL;
	for (guint i = 0; i < ed_ok->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (ed_ok, i);
		char *rp = release_problem (c, info, e, rep);
		if (rp == NULL)
			g_ptr_array_add (rel_ok, (gpointer) e);
		else if (first_release == NULL)
			first_release = rp;
		else
			g_free (rp);
	}
	if (rel_ok->len == 0)
		return g_steal_pointer (&first_release);
	g_autoptr(GPtrArray) scope_ok = g_ptr_array_new ();
	g_autofree char *first_scope = NULL;
	for (guint i = 0; i < rel_ok->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (rel_ok, i);
		char *sp = scope_problem (e->scope, h);
		if (sp == NULL)
			g_ptr_array_add (scope_ok, (gpointer) e);
		else if (first_scope == NULL)
			first_scope = sp;
		else
			g_free (sp);
	}
	if (scope_ok->len == 0)
		return g_strdup_printf ("out of scope %s", first_scope);
	/* dates: say the most recent end, or the soonest start */
	const TuEntitlement *ended = NULL, *future = NULL;
	gboolean any_active = FALSE;
	for (guint i = 0; i < scope_ok->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (scope_ok, i);
		if (is_active (e, c->in->at)) {
			any_active = TRUE;
		} else if (e->end != 0 && e->end < c->in->at) {
			if (ended == NULL || e->end > ended->end)
				ended = e;
		} else if (future == NULL || e->start < future->start) {
			future = e;
		}
	}
	if (!any_active && ended != NULL) {
		g_autofree char *d_end = tu_date_format (ended->end);
		return g_strdup_printf ("subscription ended %s (%s)", d_end, ended->id);
	}
	if (!any_active && future != NULL) {
		g_autofree char *d_start = tu_date_format (future->start);
		return g_strdup_printf ("entitlement %s starts %s", future->id, d_start);
	}
	/* active and eligible, but in another metric without capacity left */
	return g_strdup_printf ("all units of %s used", ((TuEntitlement *) g_ptr_array_index (scope_ok, 0))->id);
}

/* ---------------------------------------------------------------- rows ------------------ */

static TuPositionRow *
row_for (Ctx *c, const char *publisher, const char *product, const char *edition, TuMetric m)
{
	g_autofree char *k0 = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%d", publisher, product, edition, m);
	g_autofree char *k = g_utf8_casefold (k0, -1);
	TuPositionRow *r = g_hash_table_lookup (c->rows, k);
	if (r == NULL) {
		r = g_new0 (TuPositionRow, 1);
		r->publisher = g_strdup (publisher);
		r->product = g_strdup (product);
		r->edition = g_strdup (edition);
		r->metric = m;
		g_hash_table_insert (c->rows, g_strdup (k), r);
		g_hash_table_insert (c->row_hosts, g_steal_pointer (&k),
				     g_hash_table_new (g_direct_hash, g_direct_equal));
		g_ptr_array_add (c->pos->rows, r);
	}
	return r;
}

static void
row_add_host (Ctx *c, TuPositionRow *r, guint host)
{
	g_autofree char *k0 = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%d", r->publisher, r->product,
					       r->edition, r->metric);
	g_autofree char *k = g_utf8_casefold (k0, -1);
	GHashTable *hosts = g_hash_table_lookup (c->row_hosts, k);
	g_hash_table_add (hosts, GUINT_TO_POINTER (host + 1));
	r->n_hosts = g_hash_table_size (hosts);
}

static void
finish_demand (Ctx *c, const TuProductInfo *info, Demand *d, GPtrArray *all_ents)
{
	const TuLicInstall *rep = inst_at (c, d->rep);
	TuPositionRow *row = row_for (c, rep->publisher, rep->product, rep->edition, d->metric);
	g_autofree char *reason = NULL;
	TuVerdictStatus status;
	if (d->needs_data) {
		status = TU_VERDICT_NEEDS_DATA;
		reason = g_strdup_printf ("needs data: %s", d->needs_what);
		row->needs_data += d->members->len;
	} else {
		row->required += d->units;
		row->shortfall += d->units - d->covered;
		if (d->covered >= d->units) {
			status = TU_VERDICT_COVERED;
			reason = g_strdup_printf ("covered by %s", d->used ? d->used->str : "");
		} else if (d->covered > 0) {
			status = TU_VERDICT_PARTIAL;
			reason = g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
						  " %s covered by %s; %" G_GINT64_FORMAT " short: %s",
						  d->covered, d->units, unit_word (d->metric, d->units),
						  d->used->str, d->units - d->covered,
						  d->capacity_note ? d->capacity_note : "no more units");
		} else {
			status = TU_VERDICT_UNCOVERED;
			reason = uncovered_reason (c, info, d, all_ents);
		}
	}
	row->n_installs += d->members->len;
	for (guint k = 0; k < d->members->len; k++) {
		guint i = g_array_index (d->members, guint, k);
		row_add_host (c, row, inst_at (c, i)->host);
		TuVerdict *v = g_ptr_array_index (c->pos->verdicts, i);
		v->metric = d->metric;
		v->units = d->units;
		v->covered = d->covered;
		v->status = status;
		v->entitlements = g_strdup (d->used ? d->used->str : "");
		v->is_representative = i == d->rep;
		if (i == d->rep || d->members->len == 1)
			v->reason = g_strdup (reason);
		else
			v->reason = g_strdup_printf ("counted with %s on %s (%s metric): %s",
						     inst_at (c, d->rep)->raw_name
							     ? inst_at (c, d->rep)->raw_name
							     : inst_at (c, d->rep)->product,
						     host_of (c, d->rep)->name,
						     tu_metric_to_string (d->metric), reason);
		if (inst_at (c, i)->edition_assumed) {
			char *r = g_strdup_printf ("%s (no edition in the installation data: taken "
						   "as %s, the base edition)",
						   v->reason, inst_at (c, i)->edition);
			g_free (v->reason);
			v->reason = r;
		}
	}
}

/* The usual metric of a product: that of most of its entitlements, else the rules' hint. */
static TuMetric
default_metric (const Ctx *c, const TuProductInfo *info, GPtrArray *ents, GArray *installs)
{
	guint counts[TU_METRIC_LAST] = {0};
	for (guint i = 0; ents != NULL && i < ents->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (ents, i);
		if (e->metric != TU_METRIC_SITE)
			counts[e->metric]++;
	}
	guint best = 0;
	TuMetric m = TU_METRIC_LAST;
	for (guint i = 0; i < TU_METRIC_LAST; i++) {
		if (counts[i] > best) {
			best = counts[i];
			m = (TuMetric) i;
		}
	}
	if (m != TU_METRIC_LAST)
		return m;
	for (guint k = 0; k < installs->len; k++) {
		const TuLicInstall *inst = inst_at (c, g_array_index (installs, guint, k));
		if (inst->metric_hint != NULL && tu_metric_from_string (inst->metric_hint, &m) &&
		    m != TU_METRIC_SITE)
			return m;
	}
	if (info != NULL && info->metric != NULL && tu_metric_from_string (info->metric, &m) &&
	    m != TU_METRIC_SITE)
		return m;
	return TU_METRIC_DEVICE;
}

static void
compute_product (Ctx *c, GArray *installs, GPtrArray *all_ents)
{
	const TuLicInstall *first = inst_at (c, g_array_index (installs, guint, 0));
	const TuProductInfo *info = info_for (c, first->publisher, first->product);
	g_autoptr(GArray) remaining = g_array_copy (installs);

	/* active entitlements per metric, in tie-break order */
	g_autoptr(GPtrArray) active = g_ptr_array_new ();
	for (guint i = 0; all_ents != NULL && i < all_ents->len; i++) {
		TuEntitlement *e = g_ptr_array_index (all_ents, i);
		if (is_active (e, c->in->at))
			g_ptr_array_add (active, e);
	}
	g_ptr_array_sort (active, ent_order);

	/* 1. site entitlements */
	gboolean any_site = FALSE;
	for (guint i = 0; i < active->len; i++)
		any_site |= ((TuEntitlement *) g_ptr_array_index (active, i))->metric == TU_METRIC_SITE;
	if (any_site) {
		g_autoptr(GPtrArray) demands = build_demands (c, info, remaining, TU_METRIC_SITE);
		g_array_set_size (remaining, 0);
		for (guint k = 0; k < demands->len; k++) {
			Demand *d = g_ptr_array_index (demands, k);
			d->units = 1;
			for (guint i = 0; i < active->len && !d->done; i++) {
				TuEntitlement *e = g_ptr_array_index (active, i);
				if (e->metric != TU_METRIC_SITE || !eligible (c, info, e, d))
					continue;
				d->done = TRUE;
				d->covered = 1;
				d->used = g_string_new (e->id);
				d->used_ids = g_ptr_array_new ();
				g_ptr_array_add (d->used_ids, e->id);
				guint idx = 0;
				g_ptr_array_find (c->in->entitlements, e, &idx);
				TuEntitlementUse *u = g_ptr_array_index (c->pos->uses, idx);
				u->used++;
			}
			if (d->done)
				finish_demand (c, info, d, all_ents);
			else
				g_array_append_vals (remaining, d->members->data, d->members->len);
		}
	}

	/* 2. the other metrics, each a flow */
	g_autoptr(GPtrArray) carried = g_ptr_array_new_with_free_func ((GDestroyNotify) demand_free);
	g_autoptr(GHashTable) notes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
	g_autoptr(GHashTable) first_metric = g_hash_table_new (g_direct_hash, g_direct_equal);
	for (TuMetric m = TU_METRIC_DEVICE; m < TU_METRIC_LAST && remaining->len > 0; m++) {
		g_autoptr(GArray) pools = g_array_new (FALSE, FALSE, sizeof (Pool));
		for (guint i = 0; i < active->len; i++) {
			TuEntitlement *e = g_ptr_array_index (active, i);
			if (e->metric != m)
				continue;
			Pool p = {e, 0, 0};
			g_ptr_array_find (c->in->entitlements, e, &p.index);
			g_array_append_val (pools, p);
		}
		if (pools->len == 0)
			continue;
		g_autoptr(GPtrArray) pool_ents = g_ptr_array_new ();
		for (guint p = 0; p < pools->len; p++)
			g_ptr_array_add (pool_ents, (gpointer) g_array_index (pools, Pool, p).e);
		g_autoptr(GPtrArray) demands = build_demands (c, info, remaining, m);
		for (guint k = 0; k < demands->len; k++) {
			Demand *d = g_ptr_array_index (demands, k);
			/* eligible entitlements of this metric decide the units (core factor) */
			g_autoptr(GPtrArray) elig = g_ptr_array_new ();
			for (guint p = 0; p < pool_ents->len; p++) {
				const TuEntitlement *e = g_ptr_array_index (pool_ents, p);
				if (eligible (c, info, e, d))
					g_ptr_array_add (elig, (gpointer) e);
			}
			demand_units (c, d, m, elig->len ? elig : pool_ents);
			if (elig->len > 0 && !g_hash_table_contains (first_metric, GUINT_TO_POINTER (d->rep + 1)))
				g_hash_table_insert (first_metric, GUINT_TO_POINTER (d->rep + 1),
						     GINT_TO_POINTER (m + 1));
			if (elig->len > 0 && d->needs_data) {
				d->done = TRUE;
				d->metric = m;
			}
		}
		allocate (c, info, demands, pools, m);
		for (guint p = 0; p < pools->len; p++) {
			const Pool *pool = &g_array_index (pools, Pool, p);
			TuEntitlementUse *u = g_ptr_array_index (c->pos->uses, pool->index);
			u->used += pool->used;
		}
		g_array_set_size (remaining, 0);
		for (guint k = 0; k < demands->len; k++) {
			Demand *d = g_ptr_array_index (demands, k);
			if (d->done) {
				finish_demand (c, info, d, all_ents);
				continue;
			}
			if (d->capacity_note != NULL)
				for (guint x = 0; x < d->members->len; x++) {
					guint mi = g_array_index (d->members, guint, x);
					if (!g_hash_table_contains (notes, GUINT_TO_POINTER (mi + 1)))
						g_hash_table_insert (notes, GUINT_TO_POINTER (mi + 1),
								     g_strdup (d->capacity_note));
				}
			g_array_append_vals (remaining, d->members->data, d->members->len);
		}
	}

	/* 3. what is left: uncovered, counted in the first metric it was eligible for */
	if (remaining->len == 0)
		return;
	TuMetric dflt = default_metric (c, info, all_ents, installs);
	for (TuMetric m = TU_METRIC_DEVICE; m < TU_METRIC_LAST; m++) {
		g_autoptr(GArray) mine = g_array_new (FALSE, FALSE, sizeof (guint));
		for (guint k = 0; k < remaining->len; k++) {
			guint i = g_array_index (remaining, guint, k);
			gint fm = GPOINTER_TO_INT (g_hash_table_lookup (first_metric, GUINT_TO_POINTER (i + 1)));
			TuMetric want = fm > 0 ? (TuMetric) (fm - 1) : dflt;
			if (want == m)
				g_array_append_val (mine, i);
		}
		if (mine->len == 0)
			continue;
		g_autoptr(GPtrArray) demands = build_demands (c, info, mine, m);
		for (guint k = 0; k < demands->len; k++) {
			Demand *d = g_ptr_array_index (demands, k);
			d->metric = m;
			demand_units (c, d, m, all_ents);
			const char *note = NULL;
			for (guint x = 0; x < d->members->len && note == NULL; x++)
				note = g_hash_table_lookup (notes, GUINT_TO_POINTER (g_array_index (d->members, guint, x) + 1));
			if (note != NULL)
				d->capacity_note = g_strdup (note);
			finish_demand (c, info, d, all_ents);
		}
	}
}

/* Unit cost of a row: the latest entitlement of the product, edition and metric that has one,
 * else the price list. */
static void
row_cost (Ctx *c, TuPositionRow *r, GPtrArray *ents)
{
	const TuEntitlement *best = NULL;
	for (guint i = 0; ents != NULL && i < ents->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (ents, i);
		if (!e->has_unit_cost || e->metric != r->metric ||
		    !tu_str_equal_fold (e->edition, r->edition))
			continue;
		if (best == NULL || e->start > best->start ||
		    (e->start == best->start && g_strcmp0 (e->id, best->id) > 0))
			best = e;
	}
	double unit = 0;
	const char *currency = NULL;
	gboolean found = FALSE;
	if (best != NULL) {
		unit = best->unit_cost;
		currency = best->currency;
		found = TRUE;
	} else {
		for (guint i = 0; i < c->in->prices->len; i++) {
			const TuPrice *p = g_ptr_array_index (c->in->prices, i);
			if (tu_str_equal_fold (p->publisher, r->publisher) &&
			    tu_str_equal_fold (p->product, r->product) &&
			    tu_str_equal_fold (p->edition, r->edition) && p->metric == r->metric) {
				unit = p->unit_cost;
				currency = p->currency;
				found = TRUE;
				break;
			}
		}
	}
	/* entitlements of the row priced in other currencies: the cost is in one of them, and no
	 * rate is known to convert, so say which was used rather than mix them silently */
	g_autoptr(GPtrArray) others = g_ptr_array_new ();
	for (guint i = 0; best != NULL && ents != NULL && i < ents->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (ents, i);
		if (!e->has_unit_cost || e->metric != r->metric ||
		    !tu_str_equal_fold (e->edition, r->edition) ||
		    g_strcmp0 (e->currency ? e->currency : "", currency ? currency : "") == 0)
			continue;
		gboolean seen = FALSE;
		for (guint k = 0; k < others->len && !seen; k++)
			seen = g_strcmp0 (g_ptr_array_index (others, k), e->currency) == 0;
		if (!seen)
			g_ptr_array_add (others, e->currency ? e->currency : (char *) "");
	}
	if (others->len > 0) {
		g_ptr_array_add (others, NULL);
		g_autofree char *list = g_strjoinv (", ", (char **) others->pdata);
		tu_warnings_add (c->pos->warnings, NULL, 0, NULL,
				 "%s %s%s%s (%s): entitlements are priced in %s and in %s; "
				 "the shortfall is costed in %s, at entitlement %s's unit "
				 "cost, without conversion",
				 r->publisher, r->product, r->edition && *r->edition ? " " : "",
				 r->edition ? r->edition : "", tu_metric_to_string (r->metric),
				 currency && *currency ? currency : "no currency", list,
				 currency && *currency ? currency : "no currency",
				 best->id ? best->id : "?");
	}
	g_free (r->currency);
	r->currency = g_strdup (currency);
	r->has_cost = found;
	r->unit_cost = found ? unit : 0;
	r->shortfall_cost = found ? unit * (double) r->shortfall : 0;
}

static gint
row_order (gconstpointer pa, gconstpointer pb)
{
	const TuPositionRow *a = *(TuPositionRow *const *) pa, *b = *(TuPositionRow *const *) pb;
	int r;
	if ((r = g_utf8_collate (a->publisher, b->publisher)) != 0)
		return r;
	if ((r = g_utf8_collate (a->product, b->product)) != 0)
		return r;
	if ((r = g_utf8_collate (a->edition, b->edition)) != 0)
		return r;
	return (int) a->metric - (int) b->metric;
}

static int
cmp_text (const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	int r = g_ascii_strcasecmp (a, b);
	return r != 0 ? r : strcmp (a, b);
}

/* The engine's order of installations: by host name, then publisher, product, edition,
 * release, version and raw name, then the store's host and installation ids (which tell
 * apart only hosts of one name and identical installations). Demands, groups, flows and
 * verdicts all follow it, so the position and every verdict depend on what is installed,
 * not on the order the store happened to assign ids in (parallel scans store hosts in
 * whatever order their threads finish). */
static gint
install_order (gconstpointer pa, gconstpointer pb, gpointer data)
{
	const TuLicenceInput *in = data;
	const TuLicInstall *a = g_ptr_array_index (in->installs, *(const guint *) pa);
	const TuLicInstall *b = g_ptr_array_index (in->installs, *(const guint *) pb);
	const TuLicHost *ha = g_ptr_array_index (in->hosts, a->host);
	const TuLicHost *hb = g_ptr_array_index (in->hosts, b->host);
	int r;
	if ((r = cmp_text (ha->name, hb->name)) != 0 ||
	    (r = cmp_text (a->publisher, b->publisher)) != 0 ||
	    (r = cmp_text (a->product, b->product)) != 0 ||
	    (r = cmp_text (a->edition, b->edition)) != 0 ||
	    (r = cmp_text (a->release, b->release)) != 0 ||
	    (r = cmp_text (a->version, b->version)) != 0 ||
	    (r = cmp_text (a->raw_name, b->raw_name)) != 0)
		return r;
	if (ha->id != hb->id)
		return ha->id < hb->id ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static gint
verdict_order (gconstpointer pa, gconstpointer pb, gpointer data)
{
	const guint *rank = data;
	guint a = rank[(*(TuVerdict *const *) pa)->install];
	guint b = rank[(*(TuVerdict *const *) pb)->install];
	return (a > b) - (a < b);
}

static char *
product_key (const char *publisher, const char *product)
{
	g_autofree char *k = g_strdup_printf ("%s\x1f%s", publisher, product);
	return g_utf8_casefold (k, -1);
}

TuLicencePosition *
tu_licence_compute (const TuLicenceInput *in)
{
	TuLicencePosition *pos = g_new0 (TuLicencePosition, 1);
	pos->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
	pos->verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) verdict_free);
	pos->uses = g_ptr_array_new_with_free_func ((GDestroyNotify) use_free);
	pos->warnings = tu_warnings_new ();
	guint n_installs = in->installs->len;
	g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_installs);
	g_autofree guint *rank = g_new (guint, MAX (n_installs, 1));
	for (guint i = 0; i < n_installs; i++)
		g_array_append_val (order, i);
	g_array_sort_with_data (order, install_order, (gpointer) in);
	for (guint k = 0; k < n_installs; k++)
		rank[g_array_index (order, guint, k)] = k;
	Ctx c = {in, pos, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
		 g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					(GDestroyNotify) g_hash_table_unref),
		 rank};

	for (guint i = 0; i < in->installs->len; i++) {
		TuVerdict *v = g_new0 (TuVerdict, 1);
		v->install = i;
		g_ptr_array_add (pos->verdicts, v);
	}
	for (guint i = 0; i < in->entitlements->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (in->entitlements, i);
		TuEntitlementUse *u = g_new0 (TuEntitlementUse, 1);
		u->entitlement = i;
		u->is_active = is_active (e, in->at);
		if (!u->is_active) {
			g_autofree char *d = tu_date_format (e->end && e->end < in->at ? e->end : e->start);
			u->inactive_reason = g_strdup_printf (e->end && e->end < in->at ? "ended %s"
											: "starts %s",
							      d);
		}
		g_ptr_array_add (pos->uses, u);
	}

	/* installations and entitlements by product */
	g_autoptr(GHashTable) inst_by_product = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
								       (GDestroyNotify) g_array_unref);
	g_autoptr(GPtrArray) product_order = g_ptr_array_new_with_free_func (g_free);
	for (guint o = 0; o < n_installs; o++) {
		guint i = g_array_index (order, guint, o);
		const TuLicInstall *inst = g_ptr_array_index (in->installs, i);
		char *k = product_key (inst->publisher, inst->product);
		GArray *a = g_hash_table_lookup (inst_by_product, k);
		if (a == NULL) {
			a = g_array_new (FALSE, FALSE, sizeof (guint));
			g_hash_table_insert (inst_by_product, k, a);
			g_ptr_array_add (product_order, g_strdup (k));
		} else {
			g_free (k);
		}
		g_array_append_val (a, i);
	}
	g_autoptr(GHashTable) ents_by_product = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
								       (GDestroyNotify) g_ptr_array_unref);
	for (guint i = 0; i < in->entitlements->len; i++) {
		TuEntitlement *e = g_ptr_array_index (in->entitlements, i);
		char *k = product_key (e->publisher, e->product);
		GPtrArray *a = g_hash_table_lookup (ents_by_product, k);
		if (a == NULL) {
			a = g_ptr_array_new ();
			g_hash_table_insert (ents_by_product, k, a);
		} else {
			g_free (k);
		}
		g_ptr_array_add (a, e);
	}
	for (guint p = 0; p < product_order->len; p++) {
		const char *k = g_ptr_array_index (product_order, p);
		compute_product (&c, g_hash_table_lookup (inst_by_product, k),
				 g_hash_table_lookup (ents_by_product, k));
	}

	/* entitled and surplus, per the entitlement's own product, edition and metric */
	for (guint i = 0; i < in->entitlements->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (in->entitlements, i);
		TuEntitlementUse *u = g_ptr_array_index (pos->uses, i);
		if (!u->is_active) {
			u->unused = 0;
			continue;
		}
		TuPositionRow *r = row_for (&c, e->publisher, e->product, e->edition, e->metric);
		if (e->metric == TU_METRIC_SITE) {
			r->is_unlimited = TRUE;
			r->entitled += u->used;
			u->unused = 0;
			continue;
		}
		r->entitled += e->quantity;
		u->unused = MAX (e->quantity - u->used, 0);
		r->surplus += u->unused;
		if (e->has_unit_cost) {
			u->has_cost = TRUE;
			u->unused_cost = e->unit_cost * (double) u->unused;
		}
	}
	for (guint i = 0; i < pos->rows->len; i++) {
		TuPositionRow *r = g_ptr_array_index (pos->rows, i);
		g_autofree char *k = product_key (r->publisher, r->product);
		row_cost (&c, r, g_hash_table_lookup (ents_by_product, k));
	}
	g_ptr_array_sort (pos->rows, row_order);
	g_ptr_array_sort_with_data (pos->verdicts, verdict_order, rank);
	g_hash_table_unref (c.rows);
	g_hash_table_unref (c.row_hosts);
	return pos;
}
