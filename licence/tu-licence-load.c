/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading the licence engine's input from the store: the licensable installations present at
 * the end of the given day (by their history), hosts with imported attributes overriding
 * scanned facts, every entitlement (the engine decides which are active), prices, and the
 * product facts of the rules. Installations are streamed: memory grows with the licensable
 * installations only, not with the estate.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-licence.h"

static guint32
date_of (const char *s)
{
	guint32 j = 0;
	if (s != NULL && !tu_date_parse (s, &j, "date", NULL))
		j = 0;
	return j;
}

/* The columns of a host_attributes row as read below, any of them NULL (g_strfreev would stop
 * at the first NULL and leak the rest). */
#define N_ATTRS 10

static void
attrs_free (char **a)
{
	for (guint i = 0; i < N_ATTRS; i++)
		g_free (a[i]);
	g_free (a);
}

static gboolean
load_hosts (TuDb *db, TuLicenceInput *in, GHashTable *index, GError **error)
{
	g_autoptr(GHashTable) attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
							     (GDestroyNotify) attrs_free);
	g_autoptr(MYSQL_RES) ares = tu_db_query (
		db,
		"SELECT host_key, site, cost_centre, owner, groups_list, environment, cpu_cores, "
		"cpu_sockets, is_virtual, cluster FROM host_attributes",
		error);
	if (ares == NULL)
		return FALSE;
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (ares)) != NULL) {
		char **copy = g_new0 (char *, N_ATTRS);
		for (guint i = 0; i < N_ATTRS; i++)
			copy[i] = g_strdup (r[i]);
		g_hash_table_insert (attrs, g_utf8_strdown (r[0], -1), copy);
	}
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db,
		"SELECT id, hostname, fqdn, machine_id, cpu_cores, cpu_sockets, is_virtual FROM hosts "
		"ORDER BY hostname, id",
		error);
	if (res == NULL)
		return FALSE;
	while ((r = mysql_fetch_row (res)) != NULL) {
		TuLicHost *h = tu_lic_host_new (g_ascii_strtoull (r[0], NULL, 10), r[1]);
		h->cores = (gint) tu_row_int (r, 4, -1);
		h->sockets = (gint) tu_row_int (r, 5, -1);
		h->is_virtual = (gint) tu_row_int (r, 6, -1);
		/* attributes by machine-id, FQDN or hostname */
		char **a = NULL;
		const char *keys[] = {r[3], r[2], r[1]};
		for (guint k = 0; k < G_N_ELEMENTS (keys) && a == NULL; k++) {
			if (keys[k] == NULL)
				continue;
			g_autofree char *lower = g_utf8_strdown (keys[k], -1);
			a = g_hash_table_lookup (attrs, lower);
		}
		if (a != NULL) {
			h->site = g_strdup (a[1]);
			h->cost_centre = g_strdup (a[2]);
			h->owner = g_strdup (a[3]);
			if (a[4] != NULL) {
				g_strfreev (h->groups);
				h->groups = g_strsplit (a[4], ";", -1);
				for (guint g = 0; h->groups[g] != NULL; g++)
					g_strstrip (h->groups[g]);
			}
			h->environment = g_strdup (a[5]);
			if (a[6] != NULL)
				h->cores = (gint) g_ascii_strtoll (a[6], NULL, 10);
			if (a[7] != NULL)
				h->sockets = (gint) g_ascii_strtoll (a[7], NULL, 10);
			if (a[8] != NULL)
				h->is_virtual = (gint) g_ascii_strtoll (a[8], NULL, 10);
			h->cluster = g_strdup (a[9]);
		}
		g_hash_table_insert (index, g_memdup2 (&h->id, sizeof h->id),
				     GUINT_TO_POINTER (in->hosts->len));
		g_ptr_array_add (in->hosts, h);
	}
	return TRUE;
}

static gboolean
load_installs (TuDb *db, TuLicenceInput *in, GHashTable *host_index, GError **error)
{
	g_autofree char *day = tu_date_format (in->at);
	g_autofree char *end_of_day = g_strdup_printf ("%s 23:59:59.999999", day);
	/* licensable software first (few rows); then only their installations, through the
	 * installations_software index (migration 0008): the read grows with what reconcile
	 * judges, not with the estate */
	g_autoptr(MYSQL_RES) sw = tu_db_query (
		db,
		"SELECT id, publisher, product, edition, product_release, version, raw_name FROM "
		"software WHERE is_licensable = 1 AND kind NOT IN ('update', 'language-pack')",
		error);
	if (sw == NULL)
		return FALSE;
	if (mysql_num_rows (sw) == 0)
		return TRUE;
	g_autoptr(GHashTable) licensable = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
								  (GDestroyNotify) g_strfreev);
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (sw)) != NULL) {
		guint64 id = g_ascii_strtoull (r[0], NULL, 10);
		char **fields = g_new0 (char *, 7);
		for (guint i = 0; i < 6; i++)
			fields[i] = g_strdup (r[i + 1] ? r[i + 1] : "");
		g_hash_table_insert (licensable, g_memdup2 (&id, sizeof id), fields);
	}
	/* in the store's order (host, then installation), as the allocation has always seen
	 * them; the sort is over the licensable rows only */
	g_autoptr(TuSql) q = tu_sql_new (
		db, "SELECT i.id, i.host_id, i.software_id FROM software s STRAIGHT_JOIN installations i "
		    "FORCE INDEX (installations_software) ON i.software_id = s.id WHERE "
		    "s.is_licensable = 1 AND s.kind NOT IN ('update', 'language-pack') AND i.state = "
		    "'installed' AND i.first_seen <= ? AND (i.removed_at IS NULL OR i.removed_at > ?) "
		    "ORDER BY i.host_id, i.install_key, i.software_id, i.first_seen");
	tu_sql_bind_str (q, end_of_day);
	tu_sql_bind_str (q, end_of_day);
	g_autoptr(MYSQL_RES) res = tu_db_query_stream (db, tu_sql_get (q), error);
	if (res == NULL)
		return FALSE;
	TuRuleSet *rules = in->rules;
	GError *local = NULL;
	while ((r = mysql_fetch_row (res)) != NULL) {
		guint64 software_id = g_ascii_strtoull (r[2], NULL, 10);
		char **sw_fields = g_hash_table_lookup (licensable, &software_id);
		if (sw_fields == NULL)
			continue;
		guint64 host_id = g_ascii_strtoull (r[1], NULL, 10);
		gpointer hi = NULL;
		if (!g_hash_table_lookup_extended (host_index, &host_id, NULL, &hi))
			continue;
		TuLicInstall *inst = tu_lic_install_new (g_ascii_strtoull (r[0], NULL, 10),
							 GPOINTER_TO_UINT (hi), sw_fields[0], sw_fields[1],
							 sw_fields[2], sw_fields[3]);
		inst->version = g_strdup (sw_fields[4]);
		inst->raw_name = g_strdup (sw_fields[5]);
		const TuProductInfo *info = rules ? tu_rule_set_product_info (rules, sw_fields[0],
									      sw_fields[1])
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
	if (mysql_errno (tu_db_handle (db)) != 0) {
		tu_db_set_error (db, &local, "reading installations");
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

static gboolean
load_entitlements (TuDb *db, TuLicenceInput *in, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db,
		"SELECT id, publisher, product, edition, product_release, metric, quantity, "
		"start_date, end_date, maintenance_end, downgrade, core_factor, min_cores, unit_cost, "
		"currency, scope, contract_id, po FROM entitlements ORDER BY id",
		error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL) {
		TuMetric m = TU_METRIC_DEVICE;
		tu_metric_from_string (r[5], &m);
		TuEntitlement *e = tu_entitlement_new (r[0], r[1], r[2], r[3], m, tu_row_int (r, 6, 0));
		g_free (e->release);
		e->release = g_strdup (tu_row_str (r, 4));
		e->start = date_of (r[7]);
		e->end = date_of (r[8]);
		e->maintenance_end = date_of (r[9]);
		e->downgrade = tu_row_int (r, 10, 1) != 0;
		e->core_factor = r[11] ? g_ascii_strtod (r[11], NULL) : 1.0;
		e->min_cores = (gint) tu_row_int (r, 12, 0);
		e->has_unit_cost = r[13] != NULL;
		e->unit_cost = r[13] ? g_ascii_strtod (r[13], NULL) : 0;
		e->currency = g_strdup (r[14]);
		g_free (e->scope);
		e->scope = g_strdup (tu_row_str (r, 15));
		e->contract_id = g_strdup (r[16]);
		e->po = g_strdup (r[17]);
		g_ptr_array_add (in->entitlements, e);
	}
	return TRUE;
}

static gboolean
load_prices (TuDb *db, TuLicenceInput *in, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db, "SELECT publisher, product, edition, metric, unit_cost, currency FROM prices",
		error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL) {
		TuPrice *p = g_new0 (TuPrice, 1);
		p->publisher = g_strdup (r[0]);
		p->product = g_strdup (r[1]);
		p->edition = g_strdup (r[2]);
		tu_metric_from_string (r[3], &p->metric);
		p->unit_cost = g_ascii_strtod (r[4], NULL);
		p->currency = g_strdup (r[5]);
		g_ptr_array_add (in->prices, p);
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
