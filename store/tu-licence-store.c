/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The licence tables the importers write and read (see tu-licence-store.h). Every value is
 * bound; a file's rows are written in one transaction (tu_db_transaction retries it whole).
 */
#include "config.h"

#include "tu-common.h"
#include "tu-licence-store.h"
#include "tu-sql.h"

/* One file's rows; @lines (guint) gives each row's line where the record does not carry it. */
typedef struct {
	GPtrArray *rows;
	GArray *lines;
	const char *path;
} Batch;

static gboolean
ent_write (TuDb *db, gpointer user_data, GError **error)
{
	Batch *b = user_data;
	for (guint i = 0; i < b->rows->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (b->rows, i);
		g_autoptr(TuSql) q = tu_sql_new (
			db,
			"INSERT INTO entitlements (id, publisher, product, edition, "
			"product_release, metric, quantity, start_date, end_date, maintenance_end, "
			"downgrade, core_factor, min_cores, unit_cost, currency, scope, "
			"contract_id, po, extended_support, source_file, source_line, imported_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"UTC_TIMESTAMP(6)) ON "
			"DUPLICATE KEY UPDATE publisher = VALUES(publisher), product = "
			"VALUES(product), edition = VALUES(edition), product_release = "
			"VALUES(product_release), metric = VALUES(metric), quantity = "
			"VALUES(quantity), start_date = VALUES(start_date), end_date = "
			"VALUES(end_date), maintenance_end = VALUES(maintenance_end), downgrade = "
			"VALUES(downgrade), core_factor = VALUES(core_factor), min_cores = "
			"VALUES(min_cores), unit_cost = VALUES(unit_cost), currency = "
			"VALUES(currency), scope = VALUES(scope), contract_id = "
			"VALUES(contract_id), po = VALUES(po), extended_support = "
			"VALUES(extended_support), source_file = VALUES(source_file), "
			"source_line = VALUES(source_line), imported_at = VALUES(imported_at)");
		tu_sql_bind_str (q, e->id);
		tu_sql_bind_str (q, e->publisher);
		tu_sql_bind_str (q, e->product);
		tu_sql_bind_str (q, e->edition);
		tu_sql_bind_str (q, e->release);
		tu_sql_bind_str (q, tu_metric_to_string (e->metric));
		tu_sql_bind_int (q, e->quantity);
		tu_sql_bind_date (q, e->start);
		tu_sql_bind_date (q, e->end);
		tu_sql_bind_date (q, e->maintenance_end);
		tu_sql_bind_int (q, e->downgrade);
		tu_sql_bind_double (q, e->core_factor);
		tu_sql_bind_int (q, e->min_cores);
		tu_sql_bind_double_or_null (q, e->unit_cost, e->has_unit_cost);
		tu_sql_bind_str (q, e->currency);
		tu_sql_bind_str (q, e->scope);
		tu_sql_bind_str (q, e->contract_id);
		tu_sql_bind_str (q, e->po);
		tu_sql_bind_str (q, e->extended_support);
		tu_sql_bind_str (q, b->path);
		tu_sql_bind_uint (q, g_array_index (b->lines, guint, i));
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
contract_write (TuDb *db, gpointer user_data, GError **error)
{
	Batch *b = user_data;
	for (guint i = 0; i < b->rows->len; i++) {
		const TuContract *c = g_ptr_array_index (b->rows, i);
		g_autoptr(TuSql) q = tu_sql_new (
			db, "INSERT INTO contracts (id, vendor, title, start_date, end_date, "
			    "notice_days, auto_renew, value, currency, owner, notes, source_file, "
			    "source_line, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			    "?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE vendor = VALUES(vendor), "
			    "title = VALUES(title), start_date = VALUES(start_date), end_date = "
			    "VALUES(end_date), notice_days = VALUES(notice_days), auto_renew = "
			    "VALUES(auto_renew), value = VALUES(value), currency = "
			    "VALUES(currency), owner = VALUES(owner), notes = VALUES(notes), "
			    "source_file = VALUES(source_file), source_line = VALUES(source_line), "
			    "imported_at = VALUES(imported_at)");
		tu_sql_bind_str (q, c->id);
		tu_sql_bind_str (q, c->vendor ? c->vendor : "");
		tu_sql_bind_str (q, c->title ? c->title : "");
		tu_sql_bind_date (q, c->start);
		tu_sql_bind_date (q, c->end);
		tu_sql_bind_int_or_null (q, c->notice_days, c->notice_days >= 0);
		tu_sql_bind_int (q, c->auto_renew);
		tu_sql_bind_double_or_null (q, c->value, c->has_value);
		tu_sql_bind_str (q, c->currency);
		tu_sql_bind_str (q, c->owner);
		tu_sql_bind_str (q, c->notes);
		tu_sql_bind_str (q, b->path);
		tu_sql_bind_uint (q, c->line);
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
host_write (TuDb *db, gpointer user_data, GError **error)
{
	Batch *b = user_data;
	for (guint i = 0; i < b->rows->len; i++) {
		const TuHostAttributes *h = g_ptr_array_index (b->rows, i);
		g_autoptr(TuSql) q = tu_sql_new (
			db, "INSERT INTO host_attributes (host_key, site, cost_centre, owner, "
			    "groups_list, environment, cpu_cores, cpu_sockets, is_virtual, "
			    "cluster, source_file, source_line, imported_at) VALUES (?, ?, ?, ?, "
			    "?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE "
			    "site = VALUES(site), cost_centre = VALUES(cost_centre), owner = "
			    "VALUES(owner), groups_list = VALUES(groups_list), environment = "
			    "VALUES(environment), cpu_cores = VALUES(cpu_cores), cpu_sockets = "
			    "VALUES(cpu_sockets), is_virtual = VALUES(is_virtual), cluster = "
			    "VALUES(cluster), source_file = VALUES(source_file), source_line = "
			    "VALUES(source_line), imported_at = VALUES(imported_at)");
		tu_sql_bind_str (q, h->key);
		tu_sql_bind_str (q, h->site);
		tu_sql_bind_str (q, h->cost_centre);
		tu_sql_bind_str (q, h->owner);
		tu_sql_bind_str (q, h->groups);
		tu_sql_bind_str (q, h->environment);
		tu_sql_bind_int_or_null (q, h->cores, h->cores > 0);
		tu_sql_bind_int_or_null (q, h->sockets, h->sockets > 0);
		tu_sql_bind_int_or_null (q, h->is_virtual, h->is_virtual >= 0);
		tu_sql_bind_str (q, h->cluster);
		tu_sql_bind_str (q, b->path);
		tu_sql_bind_uint (q, h->line);
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
price_write (TuDb *db, gpointer user_data, GError **error)
{
	Batch *b = user_data;
	for (guint i = 0; i < b->rows->len; i++) {
		const TuPrice *p = g_ptr_array_index (b->rows, i);
		g_autoptr(TuSql) q = tu_sql_new (
			db, "INSERT INTO prices (publisher, product, edition, metric, unit_cost, "
			    "currency, source_file, source_line, imported_at) VALUES (?, ?, ?, ?, "
			    "?, ?, ?, ?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE unit_cost = "
			    "VALUES(unit_cost), currency = VALUES(currency), source_file = "
			    "VALUES(source_file), source_line = VALUES(source_line), imported_at = "
			    "VALUES(imported_at)");
		tu_sql_bind_str (q, p->publisher);
		tu_sql_bind_str (q, p->product);
		tu_sql_bind_str (q, p->edition);
		tu_sql_bind_str (q, tu_metric_to_string (p->metric));
		tu_sql_bind_double (q, p->unit_cost);
		tu_sql_bind_str (q, p->currency);
		tu_sql_bind_str (q, b->path);
		tu_sql_bind_uint (q, g_array_index (b->lines, guint, i));
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
	}
	return TRUE;
}

gboolean
tu_licence_store_entitlements (TuDb *db, GPtrArray *rows, GArray *lines, const char *path,
			       GError **error)
{
	Batch b = {rows, lines, path};
	return tu_db_transaction (db, ent_write, &b, error);
}

gboolean
tu_licence_store_contracts (TuDb *db, GPtrArray *rows, const char *path, GError **error)
{
	Batch b = {rows, NULL, path};
	return tu_db_transaction (db, contract_write, &b, error);
}

gboolean
tu_licence_store_host_attributes (TuDb *db, GPtrArray *rows, const char *path, GError **error)
{
	Batch b = {rows, NULL, path};
	return tu_db_transaction (db, host_write, &b, error);
}

gboolean
tu_licence_store_prices (TuDb *db, GPtrArray *rows, GArray *lines, const char *path,
			 GError **error)
{
	Batch b = {rows, lines, path};
	return tu_db_transaction (db, price_write, &b, error);
}

/* ---------------------------------------------------------------- reads ---------------- */

static GHashTable *
folded_ids (TuDb *db, const char *sql, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, error);
	if (res == NULL)
		return NULL;
	GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL)
		g_hash_table_add (ids, g_utf8_casefold (r[0], -1));
	return ids;
}

GHashTable *
tu_licence_store_ids (TuDb *db, TuLicenceIds which, GError **error)
{
	static const char *const queries[] = {
		[TU_LICENCE_IDS_CONTRACTS] = "SELECT id FROM contracts",
		[TU_LICENCE_IDS_ENTITLEMENTS] = "SELECT id FROM entitlements",
		[TU_LICENCE_IDS_HOST_ATTRIBUTES] = "SELECT host_key FROM host_attributes",
		[TU_LICENCE_IDS_HOSTS] = "SELECT LOWER(hostname) FROM hosts UNION "
					 "SELECT LOWER(fqdn) FROM hosts WHERE fqdn IS "
					 "NOT NULL UNION SELECT LOWER(machine_id) FROM "
					 "hosts WHERE machine_id IS NOT NULL",
	};
	g_return_val_if_fail ((guint) which < G_N_ELEMENTS (queries), NULL);
	return folded_ids (db, queries[which], error);
}

GPtrArray *
tu_licence_store_products (TuDb *db, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db, "SELECT DISTINCT publisher, product FROM software WHERE product <> ''", error);
	if (res == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL)
		g_ptr_array_add (out, g_strdup_printf ("%s\x1f%s", r[0], r[1]));
	return out;
}
