/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The catalogue's tables (catalog_products, catalog_identifiers, catalog_cycles,
 * catalog_versions of schema/0003-catalogue.sql): writing products whole and reading them
 * back, and the inventory facts `trueup catalog --unmapped` needs (see tu-catalog-store.h).
 * The only part of the catalogue that speaks SQL; every value bound.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog-store.h"
#include "tu-common.h"
#include "tu-sql.h"
#include "tu-writer.h"

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
	"product_id",
	"cycle",
	"codename",
	"label",
	"release_date",
	"latest",
	"latest_date",
	"eol",
	"eol_flag",
	"support_end",
	"support_flag",
	"extended_end",
	"lts",
	NULL,
};
static const char *const version_columns[] = {"product_id", "version", "release_date", NULL};

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
		tu_writer_add_str (cw, c->label);
		tu_writer_add_str (cw, c->release_date);
		tu_writer_add_str (cw, c->latest);
		tu_writer_add_str (cw, c->latest_date);
		tu_writer_add_str (cw, c->eol);
		tu_writer_add_int_or_null (cw, c->eol_flag, c->eol_flag >= 0);
		tu_writer_add_str (cw, c->support_end);
		tu_writer_add_int_or_null (cw, c->support_flag, c->support_flag >= 0);
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

gboolean
tu_catalog_store_products (TuDb *db, GPtrArray *products, const char *source, GError **error)
{
	StoreJob job = {products, source};
	return tu_db_transaction (db, store_txn, &job, error);
}

/* ---------------------------------------------------------------- load ----------------- */

static char *
row_dup (MYSQL_ROW r, guint col)
{
	return r[col] != NULL ? g_strdup (r[col]) : NULL;
}

GPtrArray *
tu_catalog_store_load (TuDb *db, const char *only_id, GError **error)
{
	static const char *const queries[] = {
		"SELECT id, title, category, publisher, product FROM catalog_products",
		"SELECT product_id, kind, value FROM catalog_identifiers",
		("SELECT product_id, cycle, codename, release_date, latest, latest_date, eol, "
		 "eol_flag, support_end, support_flag, extended_end, lts, label "
		 "FROM catalog_cycles"),
		"SELECT product_id, version, release_date FROM catalog_versions",
	};
	static const char *const filters[] = {" WHERE id = ?", " WHERE product_id = ?",
					      " WHERE product_id = ?", " WHERE product_id = ?"};
	static const char *const orders[] = {" ORDER BY id", " ORDER BY product_id, kind, value",
					     "", ""};
	g_autoptr(GPtrArray) products = tu_catalog_products_new ();
	g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint t = 0; t < G_N_ELEMENTS (queries); t++) {
		g_autofree char *sql =
			g_strconcat (queries[t], only_id ? filters[t] : "", orders[t], NULL);
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
				TuCatalogCycle *c = tu_catalog_cycle_new (r[1]);
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
				c->label = row_dup (r, 12);
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
	return g_steal_pointer (&products);
}

/* ---------------------------------------------------------------- the inventory -------- */

GPtrArray *
tu_catalog_store_os_ids (TuDb *db, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db, "SELECT DISTINCT os_id FROM hosts WHERE os_id IS NOT NULL AND os_id <> ''",
		error);
	if (res == NULL)
		return NULL;
	GPtrArray *os_ids = g_ptr_array_new_with_free_func (g_free);
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL)
		g_ptr_array_add (os_ids, g_strdup (r[0]));
	return os_ids;
}

gboolean
tu_catalog_store_each_software (TuDb *db, TuCatalogSoftwareFunc func, gpointer user_data,
				GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query_stream (
		db,
		"SELECT DISTINCT publisher, product, COALESCE(norm_purl, purl), "
		"COALESCE(norm_cpe, cpe), source, raw_name, source_package FROM software",
		error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL) {
		TuCatalogSoftware sw = {r[0], r[1], r[2], r[3], r[4], r[5], r[6]};
		func (&sw, user_data);
	}
	if (mysql_errno (tu_db_handle (db)) != 0) {
		tu_db_set_error (db, error, "reading the inventory");
		return FALSE;
	}
	return TRUE;
}
