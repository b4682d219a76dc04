/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The scope of a report: hosts, sites and the age of their last scans. See tu-estate.h. */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-estate.h"
#include "tu-renormalise.h"
#include "tu-sql.h"

gboolean
tu_estate_scope_load (TuDb *db, const char *host, TuEstateScope *out, GError **error)
{
	memset (out, 0, sizeof *out);
	out->sites = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (TuSql) q =
	    tu_sql_new (db, "SELECT COUNT(*), DATE_FORMAT(MIN(last_seen), '%Y-%m-%d %H:%i'), "
	                    "DATE_FORMAT(MAX(last_seen), '%Y-%m-%d %H:%i'), "
	                    "DATE_FORMAT(MIN(first_seen), '%Y-%m-%d %H:%i') FROM hosts "
	                    "WHERE ? IS NULL OR hostname = ? OR fqdn = ? OR machine_id = ?");
	for (guint i = 0; i < 4; i++)
		tu_sql_bind_str (q, host);
	g_autoptr (MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW r = mysql_fetch_row (res);
	if (r != NULL) {
		out->n_hosts = (guint)tu_row_int (r, 0, 0);
		out->oldest_scan = g_strdup (r[1]);
		out->newest_scan = g_strdup (r[2]);
		out->first_scan = g_strdup (r[3]);
	}
	g_autoptr (TuSql) sq = tu_sql_new (
	    db, "SELECT DISTINCT a.site FROM hosts h JOIN host_attributes a ON a.host_key IN "
	        "(LOWER(h.machine_id), LOWER(h.fqdn), LOWER(h.hostname)) WHERE a.site IS NOT NULL "
	        "AND a.site <> '' AND (? IS NULL OR h.hostname = ? OR h.fqdn = ? OR "
	        "h.machine_id = ?) ORDER BY a.site");
	for (guint i = 0; i < 4; i++)
		tu_sql_bind_str (sq, host);
	g_autoptr (MYSQL_RES) sres = tu_db_query (db, tu_sql_get (sq), error);
	if (sres == NULL)
		return FALSE;
	while ((r = mysql_fetch_row (sres)) != NULL)
		g_ptr_array_add (out->sites, g_strdup (r[0]));
	return TRUE;
}

void
tu_estate_scope_clear (TuEstateScope *s)
{
	g_clear_pointer (&s->oldest_scan, g_free);
	g_clear_pointer (&s->newest_scan, g_free);
	g_clear_pointer (&s->first_scan, g_free);
	g_clear_pointer (&s->sites, g_ptr_array_unref);
}

char *
tu_estate_scope_describe (const TuEstateScope *s)
{
	GString *out = g_string_new (NULL);
	g_string_append_printf (out, "%u host%s", s->n_hosts, s->n_hosts == 1 ? "" : "s");
	if (s->sites != NULL && s->sites->len > 0) {
		g_string_append_printf (out, "; site%s: ", s->sites->len == 1 ? "" : "s");
		for (guint i = 0; i < s->sites->len; i++)
			g_string_append_printf (out, "%s%s", i ? ", " : "",
			                        (const char *)g_ptr_array_index (s->sites, i));
	}
	return g_string_free (out, FALSE);
}

char *
tu_estate_scope_freshness (const TuEstateScope *s)
{
	if (s->oldest_scan == NULL)
		return g_strdup ("no scans yet");
	if (g_strcmp0 (s->oldest_scan, s->newest_scan) == 0)
		return g_strdup_printf ("last scans %s UTC", s->oldest_scan);
	return g_strdup_printf ("oldest last scan %s, newest %s (UTC)", s->oldest_scan,
	                        s->newest_scan);
}

void
tu_review_item_free (TuReviewItem *u)
{
	g_free (u->source);
	g_free (u->raw_name);
	g_free (u->raw_publisher);
	g_free (u->product);
	g_free (u->klass);
	g_free (u);
}

GPtrArray *
tu_estate_review_items (TuDb *db, guint limit, guint *n_left_out, GError **error)
{
	g_autoptr (TuSql) q = tu_sql_new (
	    db,
	    "SELECT COUNT(DISTINCT i.host_id), COUNT(*), s.source, s.raw_name, "
	    "MIN(s.raw_publisher), "
	    "MIN(s.product), s.source IN ('windows', 'macos') AS desktop, MAX(s.is_recognised), "
	    "MIN(s.class) FROM installations i JOIN software s ON s.id = i.software_id "
	    "WHERE i.removed_at IS NULL AND " TU_REVIEW_CONDITION " GROUP BY s.source, s.raw_name "
	    "ORDER BY FIELD(MIN(s.class), 'commercial', 'unknown', 'freeware', 'open-source'), "
	    "desktop DESC, MIN(s.raw_publisher) LIKE 'CN=%' ASC, COUNT(DISTINCT i.host_id) DESC, "
	    "s.raw_name LIMIT ?");
	tu_sql_bind_uint (q, limit);
	g_autoptr (MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), error);
	if (res == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)tu_review_item_free);
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL) {
		TuReviewItem *u = g_new0 (TuReviewItem, 1);
		u->n_hosts = (guint)tu_row_int (r, 0, 0);
		u->n_installs = (guint)tu_row_int (r, 1, 0);
		u->source = g_strdup (r[2]);
		u->raw_name = g_strdup (r[3]);
		u->raw_publisher = g_strdup (r[4]);
		u->product = g_strdup (r[5]);
		u->is_desktop = tu_row_int (r, 6, 0) != 0;
		u->is_recognised = tu_row_int (r, 7, 0) != 0;
		u->klass = g_strdup (r[8]);
		g_ptr_array_add (out, u);
	}
	g_autoptr (MYSQL_RES) left = tu_db_query (
	    db,
	    "SELECT COUNT(DISTINCT s.source, s.raw_name) FROM installations i JOIN software s ON "
	    "s.id = i.software_id WHERE i.removed_at IS NULL AND s.is_recognised = 0 AND s.class "
	    "IN "
	    "('os', 'driver', 'component')",
	    error);
	if (left == NULL) {
		g_ptr_array_unref (out);
		return NULL;
	}
	r = mysql_fetch_row (left);
	if (n_left_out != NULL)
		*n_left_out = r ? (guint)tu_row_int (r, 0, 0) : 0;
	return out;
}
