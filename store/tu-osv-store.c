/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The advisories' tables (see tu-osv-store.h): an OSV record replaced whole in its own
 * transaction (vulnerabilities, vuln_aliases, vuln_affected), and the known-exploited list
 * replaced whole (kev). The only part of the advisories that writes SQL; every value bound.
 */
#include "config.h"

#include "tu-common.h"
#include "tu-osv-store.h"
#include "tu-sql.h"
#include "tu-writer.h"

typedef struct {
	const TuOsvRecord *record;
	const char *source_file;
} StoreCtx;

static gboolean
exec_bound (TuDb *db, const char *template_sql, const char *value, GError **error)
{
	g_autoptr(TuSql) q = tu_sql_new (db, template_sql);
	tu_sql_bind_str (q, value);
	return tu_db_exec (db, tu_sql_get (q), error);
}

/* The transaction body: replace one record. Re-runnable: it keeps no state. */
static gboolean
store_record (TuDb *db, gpointer user_data, GError **error)
{
	const StoreCtx *ctx = user_data;
	const TuOsvRecord *r = ctx->record;

	if (!exec_bound (db, "DELETE FROM vuln_affected WHERE vuln_id = ?", r->id, error) ||
	    !exec_bound (db, "DELETE FROM vuln_aliases WHERE vuln_id = ?", r->id, error) ||
	    !exec_bound (db, "DELETE FROM vulnerabilities WHERE id = ?", r->id, error))
		return FALSE;

	g_autofree char *published = tu_osv_time_to_sql (r->published);
	g_autofree char *modified = tu_osv_time_to_sql (r->modified);
	g_autofree char *withdrawn = tu_osv_time_to_sql (r->withdrawn);
	g_autoptr(TuSql) q = tu_sql_new (
		db, "INSERT INTO vulnerabilities (id, summary, published, modified, withdrawn, "
		    "cvss_vector, cvss_score, severity, severity_source, n_git_ranges, "
		    "source_file, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "UTC_TIMESTAMP(6))");
	tu_sql_bind_str (q, r->id);
	tu_sql_bind_str (q, r->summary);
	tu_sql_bind_str (q, published);
	tu_sql_bind_str (q, modified);
	tu_sql_bind_str (q, withdrawn);
	tu_sql_bind_str (q, r->cvss_vector);
	tu_sql_bind_double_or_null (q, r->cvss_score, r->cvss_score >= 0);
	tu_sql_bind_str (q, r->severity);
	tu_sql_bind_str (q, r->severity_source);
	tu_sql_bind_uint (q, r->n_git_ranges);
	tu_sql_bind_str (q, ctx->source_file);
	if (!tu_db_exec (db, tu_sql_get (q), error))
		return FALSE;

	if (r->aliases->len > 0) {
		static const char *const cols[] = {"vuln_id", "alias", NULL};
		g_autoptr(TuWriter) w =
			tu_writer_new (db, "vuln_aliases", cols, TU_WRITER_INSERT, NULL);
		tu_writer_set_method (w, TU_WRITER_METHOD_INSERT);
		for (guint i = 0; i < r->aliases->len; i++) {
			tu_writer_add_str (w, r->id);
			tu_writer_add_str (w, g_ptr_array_index (r->aliases, i));
			if (!tu_writer_end_row (w, error))
				return FALSE;
		}
		if (!tu_writer_flush (w, error))
			return FALSE;
	}
	if (r->affected->len > 0) {
		static const char *const cols[] = {
			"vuln_id", "ecosystem", "ecosystem_base", "ecosystem_release",
			"package", "package_key", "purl", "scheme",
			"ranges", "versions", "invalid_versions", NULL};
		g_autoptr(TuWriter) w =
			tu_writer_new (db, "vuln_affected", cols, TU_WRITER_INSERT, NULL);
		tu_writer_set_method (w, TU_WRITER_METHOD_INSERT);
		for (guint i = 0; i < r->affected->len; i++) {
			const TuOsvAffected *a = g_ptr_array_index (r->affected, i);
			g_autofree char *ranges = tu_osv_ranges_to_json (a->ranges);
			g_autofree char *versions = tu_osv_strings_to_json (a->versions);
			g_autofree char *invalid = tu_osv_strings_to_json (a->invalid_versions);
			tu_writer_add_str (w, r->id);
			tu_writer_add_str (w, a->ecosystem);
			tu_writer_add_str (w, a->ecosystem_base);
			tu_writer_add_str (w, a->ecosystem_release);
			tu_writer_add_str (w, a->package);
			tu_writer_add_str (w, a->package_key);
			tu_writer_add_str (w, a->purl);
			tu_writer_add_str (w, tu_scheme_to_string (a->scheme));
			tu_writer_add_str (w, ranges);
			tu_writer_add_str (w, versions);
			tu_writer_add_str (w, invalid);
			if (!tu_writer_end_row (w, error))
				return FALSE;
		}
		if (!tu_writer_flush (w, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
tu_osv_store_record (TuDb *db, const TuOsvRecord *record, const char *source_file,
		     GError **error)
{
	StoreCtx ctx = {record, source_file};
	return tu_db_transaction (db, store_record, &ctx, error);
}

/* ---------------------------------------------------------------- kev ------------------ */

typedef struct {
	GPtrArray *rows;
} KevStore;

static gboolean
store_kev (TuDb *db, gpointer user_data, GError **error)
{
	KevStore *ks = user_data;
	static const char *const cols[] = {"cve", "vendor", "product", "name",
					   "date_added", "due_date", "ransomware", "notes",
					   "imported_at", NULL};
	if (!tu_db_exec (db, "DELETE FROM kev", error))
		return FALSE;
	g_autoptr(TuWriter) w = tu_writer_new (db, "kev", cols, TU_WRITER_INSERT, NULL);
	tu_writer_set_method (w, TU_WRITER_METHOD_INSERT);
	for (guint i = 0; i < ks->rows->len; i++) {
		const TuKevEntry *k = g_ptr_array_index (ks->rows, i);
		tu_writer_add_str (w, k->cve);
		tu_writer_add_str (w, k->vendor);
		tu_writer_add_str (w, k->product);
		tu_writer_add_str (w, k->name);
		tu_writer_add_str (w, k->date_added);
		tu_writer_add_str (w, k->due_date);
		tu_writer_add_str (w, k->ransomware);
		tu_writer_add_str (w, k->notes);
		tu_writer_add_expr (w, "UTC_TIMESTAMP(6)");
		if (!tu_writer_end_row (w, error))
			return FALSE;
	}
	return tu_writer_flush (w, error);
}

gboolean
tu_kev_store_replace (TuDb *db, GPtrArray *entries, GError **error)
{
	KevStore ks = {entries};
	return tu_db_transaction (db, store_kev, &ks, error);
}
