/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The licence records (see tu-licence-record.h): metric names, making and freeing records.
 */
#include "tu-licence-record.h"
#include "tu-util.h"

#include <string.h>

static const char *const metric_names[TU_METRIC_LAST] = {
	"site",
	"device",
	"user",
	"install",
	"processor",
	"core",
};

const char *
tu_metric_to_string (TuMetric m)
{
	return (guint) m < TU_METRIC_LAST ? metric_names[m] : "device";
}

gboolean
tu_metric_from_string (const char *s, TuMetric *out)
{
	for (guint i = 0; s != NULL && i < TU_METRIC_LAST; i++) {
		if (g_ascii_strcasecmp (s, metric_names[i]) == 0) {
			*out = (TuMetric) i;
			return TRUE;
		}
	}
	return FALSE;
}

static const char *
scope_attr (const TuScopeHost *h, const char *key)
{
	if (g_ascii_strcasecmp (key, "site") == 0)
		return h->site;
	if (g_ascii_strcasecmp (key, "cost_centre") == 0 ||
	    g_ascii_strcasecmp (key, "cost_center") == 0)
		return h->cost_centre;
	if (g_ascii_strcasecmp (key, "environment") == 0)
		return h->environment;
	if (g_ascii_strcasecmp (key, "cluster") == 0)
		return h->cluster;
	return NULL;
}

char *
tu_scope_problem (const char *scope, const TuScopeHost *h)
{
	if (scope == NULL || *scope == '\0')
		return NULL;
	g_auto(GStrv) conds = g_strsplit (scope, ";", -1);
	for (guint i = 0; conds[i] != NULL; i++) {
		char *eq = strchr (conds[i], '=');
		if (eq == NULL)
			continue;
		g_autofree char *key = g_strstrip (g_strndup (conds[i], (gsize) (eq - conds[i])));
		g_autofree char *value = g_strstrip (g_strdup (eq + 1));
		gboolean ok;
		if (g_ascii_strcasecmp (key, "group") == 0) {
			ok = FALSE;
			for (guint g = 0; h->groups != NULL && h->groups[g] != NULL; g++)
				ok |= tu_str_equal_fold (h->groups[g], value);
		} else {
			ok = tu_str_equal_fold (scope_attr (h, key), value);
		}
		if (!ok)
			return g_strdup_printf ("%s=%s", key, value);
	}
	return NULL;
}

TuEntitlement *
tu_entitlement_new (const char *id, const char *publisher, const char *product,
		    const char *edition, TuMetric metric, gint64 quantity)
{
	TuEntitlement *e = g_new0 (TuEntitlement, 1);
	e->id = g_strdup (id);
	e->publisher = g_strdup (publisher);
	e->product = g_strdup (product);
	e->edition = g_strdup (edition ? edition : "");
	e->release = g_strdup ("");
	e->metric = metric;
	e->quantity = quantity;
	e->downgrade = TRUE;
	e->core_factor = 1.0;
	e->scope = g_strdup ("");
	return e;
}

void
tu_entitlement_free (TuEntitlement *e)
{
	if (e == NULL)
		return;
	g_free (e->id);
	g_free (e->publisher);
	g_free (e->product);
	g_free (e->edition);
	g_free (e->release);
	g_free (e->currency);
	g_free (e->scope);
	g_free (e->contract_id);
	g_free (e->po);
	g_free (e->extended_support);
	g_free (e);
}

void
tu_price_free (TuPrice *p)
{
	if (p == NULL)
		return;
	g_free (p->publisher);
	g_free (p->product);
	g_free (p->edition);
	g_free (p->currency);
	g_free (p);
}

void
tu_contract_free (TuContract *c)
{
	if (c == NULL)
		return;
	g_free (c->id);
	g_free (c->vendor);
	g_free (c->title);
	g_free (c->currency);
	g_free (c->owner);
	g_free (c->notes);
	g_free (c);
}

void
tu_host_attributes_free (TuHostAttributes *h)
{
	if (h == NULL)
		return;
	g_free (h->key);
	g_free (h->site);
	g_free (h->cost_centre);
	g_free (h->owner);
	g_free (h->groups);
	g_free (h->environment);
	g_free (h->cluster);
	g_free (h);
}
