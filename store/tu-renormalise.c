/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Re-normalising the stored inventory and its statistics; see tu-renormalise.h. Software rows
 * are read in id order, a batch at a time, so memory stays flat whatever the estate's size.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-fit.h"
#include "tu-product-columns.h"
#include "tu-renormalise.h"
#include "tu-sql.h"

#define PRODUCT_FIRST 10 /* the product's first column in the SELECT below */
#define BATCH 5000

typedef struct {
	guint64 id;
	TuProduct product;
} Change;

typedef struct {
	GArray *changes;	/* Change */
	const char *update_sql; /* UPDATE software SET (the product's columns) WHERE id = ? */
} Batch;

static gboolean
write_batch (TuDb *db, gpointer user_data, GError **error)
{
	Batch *b = user_data;
	for (guint i = 0; i < b->changes->len; i++) {
		const Change *c = &g_array_index (b->changes, Change, i);
		const TuProduct *p = &c->product;
		g_autoptr(TuSql) q = tu_sql_new (db, b->update_sql);
		for (guint k = 0; k < TU_N_PCOLS; k++) {
			gint64 flag = 0;
			const char *text = tu_product_column_value (p, k, &flag);
			if (tu_product_column (k)->is_flag)
				tu_sql_bind_int (q, flag);
			else
				tu_sql_bind_str (q, text);
		}
		tu_sql_bind_uint (q, c->id);
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
	}
	return TRUE;
}

/* The normalised fields cut to their columns, as a scan stores them, so that a value longer
 * than its column neither fails the update nor reads as changed on every run. The cut copies
 * live in @owned. */
static void
fit_product (TuFit *fit, TuProduct *p, GPtrArray *owned)
{
	for (guint k = 0; k < TU_N_PCOLS; k++) {
		const char *column = tu_product_column (k)->fit_column;
		gint64 flag = 0;
		guint n = 0;
		gint w = 0;
		if (column == NULL)
			continue;
		const char *value = tu_product_column_value (p, k, &flag);
		char *cut = tu_fit_value (fit, column, value, &n, &w);
		if (cut != NULL) {
			g_ptr_array_add (owned, cut);
			tu_product_column_set (p, k, cut);
		}
	}
}

/* Does the stored row (the product's columns from @row[@first]) hold @p already? */
static gboolean
same_product (MYSQL_ROW row, guint first, const TuProduct *p)
{
	for (guint k = 0; k < TU_N_PCOLS; k++) {
		gint64 flag = 0;
		const char *text = tu_product_column_value (p, k, &flag);
		if (tu_product_column (k)->is_flag) {
			if ((tu_row_int (row, first + k, 0) != 0) != (flag != 0))
				return FALSE;
		} else if (g_strcmp0 (row[first + k] ? row[first + k] : "", text ? text : "")) {
			return FALSE;
		}
	}
	return TRUE;
}

/* The keys of every interval of @ids (software ids) into licensable_installations, a thousand
 * software rows a statement. One pass over the installations per statement: normalise
 * --apply reads the inventory anyway, and it happens only when rules make software licensable.
 * Idempotent (INSERT IGNORE), so a retry or a second --apply is harmless. */
static gboolean
add_licensable_intervals (TuDb *db, GArray *ids, GError **error)
{
	for (guint i = 0; i < ids->len; i += 1000) {
		g_autoptr(GString) sql = g_string_new (
			"INSERT IGNORE INTO licensable_installations (host_id, install_key, "
			"software_id, first_seen) SELECT host_id, install_key, software_id, "
			"first_seen FROM installations WHERE software_id IN (");
		for (guint j = i; j < ids->len && j < i + 1000; j++)
			g_string_append_printf (sql, "%s%" G_GUINT64_FORMAT, j > i ? "," : "",
						g_array_index (ids, guint64, j));
		g_string_append_c (sql, ')');
		/* integers from the store itself */
		if (!tu_db_exec_retry (db, sql->str, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
tu_renormalise (TuDb *db, TuNormaliser *norm, TuRenormaliseStats *stats, GError **error)
{
	memset (stats, 0, sizeof *stats);
	guint64 last = 0;
	/* software that becomes licensable: its intervals join licensable_installations (what
	 * reconcile reads) once every batch is written */
	g_autoptr(GArray) newly_licensable = g_array_new (FALSE, FALSE, sizeof (guint64));
	g_autoptr(TuFit) fit = tu_fit_new (db);
	/* the raw record's columns, then the product's from row[PRODUCT_FIRST] */
	g_autoptr(GString) select = g_string_new (
		"SELECT id, source, raw_name, raw_version, raw_publisher, arch, source_package, "
		"source_kind, purl, cpe");
	g_autoptr(GString) update = g_string_new ("UPDATE software SET ");
	for (guint k = 0; k < TU_N_PCOLS; k++) {
		g_string_append_printf (select, ", %s", tu_product_column (k)->column);
		g_string_append_printf (update, "%s%s = ?", k ? ", " : "",
					tu_product_column (k)->column);
	}
	g_string_append (select, " FROM software WHERE id > ? ORDER BY id LIMIT ?");
	g_string_append (update, " WHERE id = ?");
	const char *select_sql = select->str;
	for (;;) {
		g_autoptr(TuSql) q = tu_sql_new (db, select_sql);
		tu_sql_bind_uint (q, last);
		tu_sql_bind_int (q, BATCH);
		g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), error);
		if (res == NULL)
			return FALSE;
		if (mysql_num_rows (res) == 0)
			break;
		Batch b = {g_array_new (FALSE, FALSE, sizeof (Change)), update->str};
		g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
		MYSQL_ROW row;
		while ((row = mysql_fetch_row (res)) != NULL) {
			TuRecord r = TU_RECORD_INIT;
			guint64 id = g_ascii_strtoull (row[0], NULL, 10);
			last = id;
			r.source = tu_source_from_string (row[1]);
			r.raw_name = row[2];
			r.raw_version = row[3];
			r.raw_publisher = row[4];
			r.arch = row[5];
			r.source_package = row[6];
			r.kind = row[7];
			r.purl = row[8];
			r.cpe = row[9];
			TuProduct fitted = *tu_normaliser_apply (norm, &r);
			fit_product (fit, &fitted, owned);
			const TuProduct *p = &fitted;
			stats->n_checked++;
			gboolean was_recognised =
				tu_row_int (row, PRODUCT_FIRST + TU_PCOL_IS_RECOGNISED, 0) != 0;
			gboolean was_licensable =
				tu_row_int (row, PRODUCT_FIRST + TU_PCOL_IS_LICENSABLE, 0) != 0;
			if (same_product (row, PRODUCT_FIRST, p))
				continue;
			Change c = {id, *p};
			g_array_append_val (b.changes, c);
			if (p->is_licensable && !was_licensable)
				g_array_append_val (newly_licensable, id);
			stats->n_changed++;
			if (p->is_recognised && !was_recognised)
				stats->n_newly_recognised++;
			else if (!p->is_recognised && was_recognised)
				stats->n_unrecognised++;
		}
		gboolean ok = b.changes->len == 0 || tu_db_transaction (db, write_batch, &b, error);
		g_array_unref (b.changes);
		if (!ok)
			return FALSE;
	}
	return add_licensable_intervals (db, newly_licensable, error);
}

void
tu_normalise_summary_clear (TuNormaliseSummary *sum)
{
	if (sum->by_source != NULL)
		g_ptr_array_unref (sum->by_source);
	if (sum->by_class != NULL)
		g_ptr_array_unref (sum->by_class);
	memset (sum, 0, sizeof *sum);
}

static void
source_stats_free (TuSourceStats *s)
{
	g_free (s->source);
	g_free (s);
}

static void
class_stats_free (TuClassStats *s)
{
	g_free (s->klass);
	g_free (s);
}

static void
unrecognised_free (TuUnrecognised *u)
{
	g_free (u->klass);
	g_free (u->source);
	g_free (u->raw_name);
	g_free (u->raw_publisher);
	g_free (u->product);
	g_free (u);
}

gboolean
tu_normalise_stats (TuDb *db, guint top, TuNormaliseSummary *sum, GPtrArray **unrecognised,
		    GError **error)
{
	memset (sum, 0, sizeof *sum);
	sum->by_source = g_ptr_array_new_with_free_func ((GDestroyNotify) source_stats_free);
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db,
		"SELECT s.source, COUNT(*), SUM(s.is_recognised), SUM(s.kind = 'update'), "
		"SUM(s.kind = 'language-pack'), SUM(s.is_licensable) FROM installations i "
		"JOIN software s ON s.id = i.software_id WHERE i.removed_at IS NULL AND "
		"i.state = 'installed' GROUP BY s.source ORDER BY COUNT(*) DESC",
		error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		TuSourceStats *s = g_new0 (TuSourceStats, 1);
		s->source = g_strdup (row[0]);
		s->n_installations = (guint64) tu_row_int (row, 1, 0);
		s->n_recognised = (guint64) tu_row_int (row, 2, 0);
		g_ptr_array_add (sum->by_source, s);
		sum->n_installations += s->n_installations;
		sum->n_recognised += s->n_recognised;
		sum->n_updates += (guint64) tu_row_int (row, 3, 0);
		sum->n_language_packs += (guint64) tu_row_int (row, 4, 0);
		sum->n_licensable += (guint64) tu_row_int (row, 5, 0);
	}
	g_autoptr(MYSQL_RES) resc = tu_db_query (
		db,
		"SELECT s.class, COUNT(*), SUM(s.is_recognised) FROM installations i "
		"JOIN software s ON s.id = i.software_id WHERE i.removed_at IS NULL AND "
		"i.state = 'installed' GROUP BY s.class ORDER BY COUNT(*) DESC, s.class",
		error);
	if (resc == NULL)
		return FALSE;
	sum->by_class = g_ptr_array_new_with_free_func ((GDestroyNotify) class_stats_free);
	while ((row = mysql_fetch_row (resc)) != NULL) {
		TuClassStats *c = g_new0 (TuClassStats, 1);
		c->klass = g_strdup (row[0]);
		c->n_installations = (guint64) tu_row_int (row, 1, 0);
		c->n_recognised = (guint64) tu_row_int (row, 2, 0);
		g_ptr_array_add (sum->by_class, c);
	}
	g_autoptr(MYSQL_RES) res2 = tu_db_query (
		db, "SELECT COUNT(*), COUNT(DISTINCT publisher) FROM software", error);
	if (res2 == NULL)
		return FALSE;
	if ((row = mysql_fetch_row (res2)) != NULL) {
		sum->n_software = (guint64) tu_row_int (row, 0, 0);
		sum->n_publishers = (guint64) tu_row_int (row, 1, 0);
	}
	g_autoptr(TuSql) q = tu_sql_new (
		db, "SELECT COUNT(DISTINCT i.host_id), COUNT(*), s.source, s.raw_name, "
		    "MIN(s.raw_publisher), MIN(s.product), MIN(s.class) FROM installations i "
		    "JOIN software s ON s.id = i.software_id WHERE i.removed_at IS NULL AND "
		    "s.is_recognised = 0 GROUP BY s.source, s.raw_name "
		    "ORDER BY COUNT(*) DESC, COUNT(DISTINCT i.host_id) DESC, s.raw_name LIMIT ?");
	tu_sql_bind_uint (q, top);
	g_autoptr(MYSQL_RES) res3 = tu_db_query (db, tu_sql_get (q), error);
	if (res3 == NULL)
		return FALSE;
	*unrecognised = g_ptr_array_new_with_free_func ((GDestroyNotify) unrecognised_free);
	while ((row = mysql_fetch_row (res3)) != NULL) {
		TuUnrecognised *u = g_new0 (TuUnrecognised, 1);
		u->n_hosts = (guint64) tu_row_int (row, 0, 0);
		u->n_installations = (guint64) tu_row_int (row, 1, 0);
		u->source = g_strdup (row[2]);
		u->raw_name = g_strdup (row[3]);
		u->raw_publisher = g_strdup (tu_row_str (row, 4));
		u->product = g_strdup (tu_row_str (row, 5));
		u->klass = g_strdup (tu_row_str (row, 6));
		g_ptr_array_add (*unrecognised, u);
	}
	return TRUE;
}
