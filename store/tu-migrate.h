/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Schema migrations: the numbered SQL files of schema/, compiled into the binary as a
 * GResource, applied in order and recorded in schema_migrations (version, name, checksum,
 * applied time). Applying is idempotent and serialised between processes by a named lock.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"

G_BEGIN_DECLS

typedef struct {
	guint version;
	char *name;	/* "0001-inventory.sql" */
	char *checksum; /* SHA-256 of the file */
	char *sql;
} TuMigration;

/* The migrations this binary knows, sorted. (transfer full): TuMigration* */
GPtrArray *tu_migrations_known (GError **error);
void tu_migration_free (TuMigration *m);

typedef struct {
	guint current;	     /* highest applied version, 0: none */
	guint latest;	     /* highest version this binary knows */
	GPtrArray *pending;  /* (transfer full) TuMigration* not applied yet */
	GPtrArray *applied;  /* (transfer full) char*: "0001 0001-inventory.sql 2026-11-23 19:04:57" */
} TuMigrateStatus;

void tu_migrate_status_clear (TuMigrateStatus *status);

/* Read the state of @db. Refuses (TU_ERROR_SCHEMA_NEWER) a database migrated by a newer
 * trueup, and a database whose applied migration differs from the file of the same number. */
gboolean tu_migrate_status (TuDb *db, TuMigrateStatus *status, GError **error);

/* Apply what is pending. @n_applied: how many were applied now. */
gboolean tu_migrate_apply (TuDb *db, guint *n_applied, GError **error);

/* Apply pending migrations up to and including @target only (for upgrade tests). */
gboolean tu_migrate_apply_to (TuDb *db, guint target, guint *n_applied, GError **error);

G_END_DECLS
