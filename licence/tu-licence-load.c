/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading the licence engine's input from the store: the licensable installations present at
 * the end of the given day (by their history), hosts with imported attributes overriding
 * scanned facts, every entitlement but purchases of extended support (the engine decides
 * which are active), prices, and the product facts of the rules. Installations are streamed:
 * memory grows with the licensable installations only, not with the estate. The statements
 * are the store's (tu-query.h); this file turns their rows into the engine's types.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-licence.h"
#include "tu-query.h"

static void
attrs_free (char **a)
{
	for (guint i = 0; i < TU_Q_ATTR_N; i++)
		g_free (a[i]);
	g_free (a);
}

static gboolean
load_hosts (TuDb *db, TuLicenceInput *in, GHashTable *index, GError **error)
{
	g_autoptr(GHashTable) attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
							     (GDestroyNotify) attrs_free);
	g_autoptr(TuRows) ares = tu_query_host_attributes (db);
	GError *local = NULL;
	char **r;
	while ((r = tu_rows_next (ares, &local)) != NULL) {
		/* any column may be NULL: g_strfreev would stop at the first and leak the rest */
		char **copy = g_new0 (char *, TU_Q_ATTR_N);
		for (guint i = 0; i < TU_Q_ATTR_N; i++)
			copy[i] = g_strdup (r[i]);
		g_hash_table_insert (attrs, g_utf8_strdown (r[TU_Q_ATTR_HOST_KEY], -1), copy);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	g_autoptr(TuRows) res = tu_query_host_facts (db);
	while ((r = tu_rows_next (res, &local)) != NULL) {
		TuLicHost *h = tu_lic_host_new (g_ascii_strtoull (r[TU_Q_LHOST_ID], NULL, 10),
						r[TU_Q_LHOST_NAME]);
		h->cores = (gint) tu_cell_int (r, TU_Q_LHOST_CORES, -1);
		h->sockets = (gint) tu_cell_int (r, TU_Q_LHOST_SOCKETS, -1);
		h->is_virtual = (gint) tu_cell_int (r, TU_Q_LHOST_VIRTUAL, -1);
		/* attributes by machine-id, FQDN or hostname */
		char **a = NULL;
		const char *keys[] = {r[TU_Q_LHOST_MACHINE_ID], r[TU_Q_LHOST_FQDN], r[TU_Q_LHOST_NAME]};
		for (guint k = 0; k < G_N_ELEMENTS (keys) && a == NULL; k++) {
			if (keys[k] == NULL)
				continue;
			g_autofree char *lower = g_utf8_strdown (keys[k], -1);
			a = g_hash_table_lookup (attrs, lower);
		}
		if (a != NULL) {
			h->site = g_strdup (a[TU_Q_ATTR_SITE]);
			h->cost_centre = g_strdup (a[TU_Q_ATTR_COST_CENTRE]);
			h->owner = g_strdup (a[TU_Q_ATTR_OWNER]);
			if (a[TU_Q_ATTR_GROUPS] != NULL) {
				g_strfreev (h->groups);
				h->groups = g_strsplit (a[TU_Q_ATTR_GROUPS], ";", -1);
				for (guint g = 0; h->groups[g] != NULL; g++)
					g_strstrip (h->groups[g]);
			}
			h->environment = g_strdup (a[TU_Q_ATTR_ENVIRONMENT]);
			if (a[TU_Q_ATTR_CORES] != NULL)
				h->cores = (gint) g_ascii_strtoll (a[TU_Q_ATTR_CORES], NULL, 10);
			if (a[TU_Q_ATTR_SOCKETS] != NULL)
				h->sockets = (gint) g_ascii_strtoll (a[TU_Q_ATTR_SOCKETS], NULL, 10);
			if (a[TU_Q_ATTR_VIRTUAL] != NULL)
				h->is_virtual = (gint) g_ascii_strtoll (a[TU_Q_ATTR_VIRTUAL], NULL, 10);
			h->cluster = g_strdup (a[TU_Q_ATTR_CLUSTER]);
		}
		g_hash_table_insert (index, g_memdup2 (&h->id, sizeof h->id),
				     GUINT_TO_POINTER (in->hosts->len));
		g_ptr_array_add (in->hosts, h);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

/* The fields of a licensable software row the installations take, in this order. */
enum { SW_PUBLISHER, SW_PRODUCT, SW_EDITION, SW_RELEASE, SW_VERSION, SW_RAW_NAME, SW_N };

static gboolean
load_installs (TuDb *db, TuLicenceInput *in, GHashTable *host_index, GError **error)
{
	/* licensable software first (few rows); then their installations only, through an
	 * index: the read grows with what reconcile judges, not with the estate */
	g_autoptr(TuRows) sw = tu_query_licensable_software (db);
	g_autoptr(GHashTable) licensable = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
								  (GDestroyNotify) g_strfreev);
	static const guint sw_columns[SW_N] = {
		[SW_PUBLISHER] = TU_Q_LSW_PUBLISHER, [SW_PRODUCT] = TU_Q_LSW_PRODUCT,
		[SW_EDITION] = TU_Q_LSW_EDITION,     [SW_RELEASE] = TU_Q_LSW_RELEASE,
		[SW_VERSION] = TU_Q_LSW_VERSION,     [SW_RAW_NAME] = TU_Q_LSW_RAW_NAME,
	};
	GError *local = NULL;
	char **r;
	while ((r = tu_rows_next (sw, &local)) != NULL) {
		guint64 id = g_ascii_strtoull (r[TU_Q_LSW_ID], NULL, 10);
		char **fields = g_new0 (char *, SW_N + 1);
		for (guint i = 0; i < SW_N; i++)
			fields[i] = g_strdup (tu_cell_str (r, sw_columns[i]));
		g_hash_table_insert (licensable, g_memdup2 (&id, sizeof id), fields);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	if (g_hash_table_size (licensable) == 0)
		return TRUE;
	g_autoptr(TuRows) present = tu_query_licensable_installations_at (db, in->at);
	TuRuleSet *rules = in->rules;
	while ((r = tu_rows_next (present, &local)) != NULL) {
		guint64 software_id = g_ascii_strtoull (r[TU_Q_LPRESENT_SOFTWARE_ID], NULL, 10);
		char **sw_fields = g_hash_table_lookup (licensable, &software_id);
		if (sw_fields == NULL)
			continue;
		guint64 host_id = g_ascii_strtoull (r[TU_Q_LPRESENT_HOST_ID], NULL, 10);
		gpointer hi = NULL;
		if (!g_hash_table_lookup_extended (host_index, &host_id, NULL, &hi))
			continue;
		TuLicInstall *inst = tu_lic_install_new (
			g_ascii_strtoull (r[TU_Q_LPRESENT_ID], NULL, 10), GPOINTER_TO_UINT (hi),
			sw_fields[SW_PUBLISHER], sw_fields[SW_PRODUCT], sw_fields[SW_EDITION],
			sw_fields[SW_RELEASE]);
		inst->version = g_strdup (sw_fields[SW_VERSION]);
		inst->raw_name = g_strdup (sw_fields[SW_RAW_NAME]);
		const TuProductInfo *info = rules ? tu_rule_set_product_info (rules, sw_fields[SW_PUBLISHER],
									      sw_fields[SW_PRODUCT])
						  : NULL;
		if (info != NULL && info->metric != NULL)
			inst->metric_hint = g_strdup (info->metric);
		/* no edition in the installation data (SQL Server 2012 and later, current Acrobat):
		 * the product's base edition, as for an entitlement that names none; the verdict
		 * says so */
		if (*inst->edition == '\0' && info != NULL && info->base_edition != NULL &&
		    *info->base_edition != '\0') {
			g_free (inst->edition);
			inst->edition = g_strdup (info->base_edition);
			inst->edition_assumed = TRUE;
		}
		g_ptr_array_add (in->installs, inst);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

static gboolean
load_entitlements (TuDb *db, TuLicenceInput *in, GError **error)
{
	g_autoptr(TuRows) res = tu_query_entitlements (db);
	GError *local = NULL;
	char **r;
	while ((r = tu_rows_next (res, &local)) != NULL) {
		/* paid extended support bought licenses nothing: patch counts it */
		if (r[TU_Q_ENT_EXTENDED] != NULL)
			continue;
		TuMetric m = TU_METRIC_DEVICE;
		tu_metric_from_string (r[TU_Q_ENT_METRIC], &m);
		TuEntitlement *e = tu_entitlement_new (r[TU_Q_ENT_ID], r[TU_Q_ENT_PUBLISHER],
						       r[TU_Q_ENT_PRODUCT], r[TU_Q_ENT_EDITION], m,
						       tu_cell_int (r, TU_Q_ENT_QUANTITY, 0));
		g_free (e->release);
		e->release = g_strdup (tu_cell_str (r, TU_Q_ENT_RELEASE));
		e->start = tu_cell_date (r, TU_Q_ENT_START);
		e->end = tu_cell_date (r, TU_Q_ENT_END);
		e->maintenance_end = tu_cell_date (r, TU_Q_ENT_MAINTENANCE_END);
		e->downgrade = tu_cell_int (r, TU_Q_ENT_DOWNGRADE, 1) != 0;
		e->core_factor = r[TU_Q_ENT_CORE_FACTOR] ? g_ascii_strtod (r[TU_Q_ENT_CORE_FACTOR], NULL)
							 : 1.0;
		e->min_cores = (gint) tu_cell_int (r, TU_Q_ENT_MIN_CORES, 0);
		e->has_unit_cost = r[TU_Q_ENT_UNIT_COST] != NULL;
		e->unit_cost = r[TU_Q_ENT_UNIT_COST] ? g_ascii_strtod (r[TU_Q_ENT_UNIT_COST], NULL) : 0;
		e->currency = g_strdup (r[TU_Q_ENT_CURRENCY]);
		g_free (e->scope);
		e->scope = g_strdup (tu_cell_str (r, TU_Q_ENT_SCOPE));
		e->contract_id = g_strdup (r[TU_Q_ENT_CONTRACT]);
		e->po = g_strdup (r[TU_Q_ENT_PO]);
		g_ptr_array_add (in->entitlements, e);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

static gboolean
load_prices (TuDb *db, TuLicenceInput *in, GError **error)
{
	g_autoptr(TuRows) res = tu_query_prices (db);
	GError *local = NULL;
	char **r;
	while ((r = tu_rows_next (res, &local)) != NULL) {
		TuPrice *p = g_new0 (TuPrice, 1);
		p->publisher = g_strdup (r[TU_Q_PRICE_PUBLISHER]);
		p->product = g_strdup (r[TU_Q_PRICE_PRODUCT]);
		p->edition = g_strdup (r[TU_Q_PRICE_EDITION]);
		tu_metric_from_string (r[TU_Q_PRICE_METRIC], &p->metric);
		p->unit_cost = g_ascii_strtod (r[TU_Q_PRICE_UNIT_COST], NULL);
		p->currency = g_strdup (r[TU_Q_PRICE_CURRENCY]);
		g_ptr_array_add (in->prices, p);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

TuLicenceInput *
tu_licence_load (TuDb *db, TuNormaliser *norm, guint32 at, GError **error)
{
	g_autoptr(TuLicenceInput) in = tu_licence_input_new ();
	in->at = at;
	in->rules = norm ? tu_normaliser_get_rules (norm) : NULL;
	g_autoptr(GHashTable) host_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
								  NULL);
	if (!load_hosts (db, in, host_index, error) || !load_installs (db, in, host_index, error) ||
	    !load_entitlements (db, in, error) || !load_prices (db, in, error))
		return NULL;
	return g_steal_pointer (&in);
}
