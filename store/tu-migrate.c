/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migrations; see tu-migrate.h. MySQL commits DDL implicitly, so a migration is not atomic:
 * each file is written to be re-runnable (CREATE ... IF NOT EXISTS), and the version is only
 * recorded after every statement of it succeeded. A named lock (GET_LOCK) keeps two processes
 * on one server from migrating at the same time.
 */
#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-migrate.h"
#include "tu-schema-resources.h"
#include "tu-sql.h"

#define SCHEMA_RESOURCE_DIR "/org/trueup/schema"

void
tu_migration_free (TuMigration *m)
{
	if (m == NULL)
		return;
	g_free (m->name);
	g_free (m->checksum);
	g_free (m->sql);
	g_free (m);
}

static gint
migration_cmp (gconstpointer a, gconstpointer b)
{
	const TuMigration *ma = *(TuMigration *const *) a;
	const TuMigration *mb = *(TuMigration *const *) b;
	return (ma->version > mb->version) - (ma->version < mb->version);
}

GPtrArray *
tu_migrations_known (GError **error)
{
	/* the resource object is used directly: a constructor-registered resource in a static
	 * library is dropped by the linker when nothing refers to it */
	GResource *resource = tu_schema_get_resource ();
	g_auto(GStrv) names = g_resource_enumerate_children (resource, SCHEMA_RESOURCE_DIR,
							      G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	if (names == NULL)
		return NULL;
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_migration_free);
	for (guint i = 0; names[i] != NULL; i++) {
		if (!g_str_has_suffix (names[i], ".sql"))
			continue;
		guint64 version = 0;
		g_autofree char *digits = g_strndup (names[i], 4);
		if (!g_ascii_string_to_unsigned (digits, 10, 1, 9999, &version, NULL)) {
			g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
				     "schema file %s does not start with a 4-digit number", names[i]);
			return NULL;
		}
		g_autofree char *path = g_build_path ("/", SCHEMA_RESOURCE_DIR, names[i], NULL);
		g_autoptr(GBytes) bytes = g_resource_lookup_data (resource, path,
								  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
		if (bytes == NULL)
			return NULL;
		TuMigration *m = g_new0 (TuMigration, 1);
		m->version = (guint) version;
		m->name = g_strdup (names[i]);
		m->sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
		m->checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
		g_ptr_array_add (list, m);
	}
	g_ptr_array_sort (list, migration_cmp);
	for (guint i = 1; i < list->len; i++) {
		const TuMigration *a = g_ptr_array_index (list, i - 1);
		const TuMigration *b = g_ptr_array_index (list, i);
		if (a->version == b->version) {
			g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
				     "schema files %s and %s have the same number", a->name, b->name);
			return NULL;
		}
	}
	return g_steal_pointer (&list);
}

void
tu_migrate_status_clear (TuMigrateStatus *status)
{
	g_clear_pointer (&status->pending, g_ptr_array_unref);
	g_clear_pointer (&status->applied, g_ptr_array_unref);
	status->current = status->latest = 0;
}

static gboolean
ensure_table (TuDb *db, GError **error)
{
	return tu_db_exec_retry (db,
				 "CREATE TABLE IF NOT EXISTS schema_migrations ("
				 " version INT UNSIGNED NOT NULL PRIMARY KEY,"
				 " name VARCHAR(255) NOT NULL,"
				 " checksum CHAR(64) NOT NULL,"
				 " applied_at DATETIME(6) NOT NULL"
				 ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
				 error);
}

gboolean
tu_migrate_status (TuDb *db, TuMigrateStatus *status, GError **error)
{
	memset (status, 0, sizeof *status);
	g_autoptr(GPtrArray) known = tu_migrations_known (error);
	if (known == NULL)
		return FALSE;
	if (!ensure_table (db, error))
		return FALSE;
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db,
		"SELECT version, name, checksum, DATE_FORMAT(applied_at, '%Y-%m-%d %H:%i:%s') "
		"FROM schema_migrations ORDER BY version",
		error);
	if (res == NULL)
		return FALSE;
	status->applied = g_ptr_array_new_with_free_func (g_free);
	status->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_migration_free);
	status->latest = known->len > 0 ? ((TuMigration *) g_ptr_array_index (known, known->len - 1))->version
					: 0;
	g_autoptr(GHashTable) applied = g_hash_table_new (g_direct_hash, g_direct_equal);
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		guint version = (guint) tu_row_int (row, 0, 0);
		status->current = MAX (status->current, version);
		g_ptr_array_add (status->applied, g_strdup_printf ("%04u %s %s", version, row[1], row[3]));
		g_hash_table_add (applied, GUINT_TO_POINTER (version));
		for (guint i = 0; i < known->len; i++) {
			const TuMigration *m = g_ptr_array_index (known, i);
			if (m->version == version && g_strcmp0 (m->checksum, row[2]) != 0) {
				g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
					     "schema migration %04u (%s) in the database differs from "
					     "the one this trueup ships; migrations must never be edited "
					     "once applied",
					     version, m->name);
				tu_migrate_status_clear (status);
				return FALSE;
			}
		}
	}
	if (status->current > status->latest) {
		g_set_error (error, TU_ERROR, TU_ERROR_SCHEMA_NEWER,
			     "the database schema is at version %u but this trueup %s knows "
			     "versions up to %u: use a newer trueup",
			     status->current, TU_VERSION, status->latest);
		tu_migrate_status_clear (status);
		return FALSE;
	}
	for (guint i = 0; i < known->len; i++) {
		TuMigration *m = g_ptr_array_index (known, i);
		if (!g_hash_table_contains (applied, GUINT_TO_POINTER (m->version))) {
			g_ptr_array_add (status->pending, g_ptr_array_steal_index (known, i));
			i--;
		}
	}
	return TRUE;
}

/* Split a migration into statements: a statement ends with ';' at the end of a line;
 * lines starting with "--" are comments. */
static GPtrArray *
split_statements (const char *sql)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	g_auto(GStrv) lines = g_strsplit (sql, "\n", -1);
	g_autoptr(GString) cur = g_string_new (NULL);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree char *line = g_strdup (lines[i]);
		g_strchomp (line);
		const char *trimmed = line;
		while (*trimmed == ' ' || *trimmed == '\t')
			trimmed++;
		if (g_str_has_prefix (trimmed, "--") || *trimmed == '\0')
			continue;
		g_string_append (cur, line);
		g_string_append_c (cur, '\n');
		if (g_str_has_suffix (line, ";")) {
			g_string_truncate (cur, cur->len - 2);
			g_ptr_array_add (out, g_strdup (cur->str));
			g_string_truncate (cur, 0);
		}
	}
	if (cur->len > 0 && *g_strstrip (cur->str) != '\0')
		g_ptr_array_add (out, g_strdup (cur->str));
	return out;
}

static gboolean
named_lock (TuDb *db, gboolean take, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db, take ? "SELECT GET_LOCK('trueup.migrate', 60)" : "SELECT RELEASE_LOCK('trueup.migrate')",
		error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row = mysql_fetch_row (res);
	if (take && (row == NULL || tu_row_int (row, 0, 0) != 1)) {
		g_set_error (error, TU_ERROR, TU_ERROR_LOCKED,
			     "another trueup has been migrating this database for a minute");
		return FALSE;
	}
	return TRUE;
}

static gboolean
apply_one (TuDb *db, const TuMigration *m, GError **error)
{
	g_autoptr(GPtrArray) statements = split_statements (m->sql);
	for (guint i = 0; i < statements->len; i++) {
		const char *stmt = g_ptr_array_index (statements, i);
		if (!tu_db_exec_retry (db, stmt, error)) {
			g_prefix_error (error, "schema migration %s, statement %u: ", m->name, i + 1);
			return FALSE;
		}
	}
	g_autoptr(TuSql) q = tu_sql_new (db,
					 "INSERT INTO schema_migrations (version, name, checksum, "
					 "applied_at) VALUES (?, ?, ?, UTC_TIMESTAMP(6))");
	tu_sql_bind_uint (q, m->version);
	tu_sql_bind_str (q, m->name);
	tu_sql_bind_str (q, m->checksum);
	if (!tu_db_exec_retry (db, tu_sql_get (q), error)) {
		g_prefix_error (error, "recording schema migration %s: ", m->name);
		return FALSE;
	}
	return TRUE;
}

gboolean
tu_migrate_apply_to (TuDb *db, guint target, guint *n_applied, GError **error)
{
	if (n_applied != NULL)
		*n_applied = 0;
	if (!ensure_table (db, error))
		return FALSE;
	if (!named_lock (db, TRUE, error))
		return FALSE;
	TuMigrateStatus status = {0};
	gboolean ok = tu_migrate_status (db, &status, error);
	for (guint i = 0; ok && i < status.pending->len; i++) {
		const TuMigration *m = g_ptr_array_index (status.pending, i);
		if (m->version > target)
			break;
		g_debug ("applying schema migration %s", m->name);
		ok = apply_one (db, m, error);
		if (ok && n_applied != NULL)
			(*n_applied)++;
	}
	tu_migrate_status_clear (&status);
	named_lock (db, FALSE, NULL);
	return ok;
}

gboolean
tu_migrate_apply (TuDb *db, guint *n_applied, GError **error)
{
	return tu_migrate_apply_to (db, G_MAXUINT, n_applied, error);
}
