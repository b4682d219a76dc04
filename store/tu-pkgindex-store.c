/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The package index tables (see tu-pkgindex-store.h): a release's rows deleted and written
 * again in the transaction that writes every release of one import, so a reader sees the old
 * index or the new one, never a mixture, and a failed import leaves the old. Every value
 * bound; rows go through the batched writer.
 */
#include "config.h"

#include "tu-common.h"
#include "tu-pkgindex-store.h"
#include "tu-sql.h"
#include "tu-writer.h"

static gboolean
store_release (TuDb *db, const TuPkgIndexRelease *r, GError **error)
{
	g_autoptr(TuSql) del = tu_sql_new (
		db, "DELETE FROM package_index WHERE distro = ? AND distro_release = ?");
	tu_sql_bind_str (del, r->distro);
	tu_sql_bind_str (del, r->release);
	if (!tu_db_exec (db, tu_sql_get (del), error))
		return FALSE;

	g_ptr_array_add (r->files, NULL);
	g_autofree char *files = g_strjoinv ("\n", (char **) r->files->pdata);
	g_ptr_array_remove_index (r->files, r->files->len - 1);
	g_autoptr(TuSql) rel = tu_sql_new (
		db, "INSERT INTO package_index_releases (distro, distro_release, format, "
		    "n_packages, files, imported_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6)) "
		    "ON DUPLICATE KEY UPDATE format = VALUES(format), "
		    "n_packages = VALUES(n_packages), files = VALUES(files), "
		    "imported_at = VALUES(imported_at)");
	tu_sql_bind_str (rel, r->distro);
	tu_sql_bind_str (rel, r->release);
	tu_sql_bind_str (rel, tu_pkgindex_format_to_string (r->format));
	tu_sql_bind_uint (rel, r->entries->len);
	tu_sql_bind_str (rel, files);
	if (!tu_db_exec (db, tu_sql_get (rel), error))
		return FALSE;

	static const char *const cols[] = {"distro", "distro_release", "name",
					   "arch", "version", "source_name",
					   "source_version", NULL};
	g_autoptr(TuWriter) w = tu_writer_new (db, "package_index", cols, TU_WRITER_INSERT, NULL);
	for (guint i = 0; i < r->entries->len; i++) {
		const TuPkgIndexEntry *e = g_ptr_array_index (r->entries, i);
		tu_writer_add_str (w, r->distro);
		tu_writer_add_str (w, r->release);
		tu_writer_add_str (w, e->name);
		tu_writer_add_str (w, e->arch ? e->arch : "");
		tu_writer_add_str (w, e->version);
		tu_writer_add_str (w, e->source);
		tu_writer_add_str (w, e->source_version);
		if (!tu_writer_end_row (w, error))
			return FALSE;
	}
	return tu_writer_flush (w, error);
}

static gboolean
store_all (TuDb *db, gpointer user_data, GError **error)
{
	GPtrArray *releases = user_data;
	for (guint i = 0; i < releases->len; i++) {
		const TuPkgIndexRelease *r = g_ptr_array_index (releases, i);
		if (!store_release (db, r, error)) {
			g_prefix_error (error, "%s %s: ", r->distro, r->release);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
tu_pkgindex_store_replace (TuDb *db, GPtrArray *releases, GError **error)
{
	return tu_db_transaction (db, store_all, releases, error);
}
