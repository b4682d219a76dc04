/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup db migrate` and `trueup db status`. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-migrate.h"

static int
cmd_migrate (TuCli *cli, int argc, char **argv)
{
	gint to = 0;
	GOptionEntry entries[] = {
		{"to", 0, 0, G_OPTION_ARG_INT, &to,
		 "stop after this schema version (for staged upgrades and tests)", "N"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "db migrate", "", "Apply the pending schema migrations.", entries,
			   &argc, &argv, &error))
		return tu_cli_fail (error);
	if (to < 0) {
		tu_cli_error ("db migrate: --to must be a schema version");
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db_raw (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	guint applied = 0;
	if (!tu_migrate_apply_to (db, to > 0 ? (guint) to : G_MAXUINT, &applied, &error))
		return tu_cli_fail (error);
	TuMigrateStatus status = {0};
	if (!tu_migrate_status (db, &status, &error))
		return tu_cli_fail (error);
	if (applied > 0)
		printf ("applied %u migration(s); schema version %u\n", applied, status.current);
	else
		printf ("schema version %u is current\n", status.current);
	tu_migrate_status_clear (&status);
	return TU_EXIT_OK;
}

/* Tables whose row counts `db status` shows, in this order (fixed identifiers). */
static const char *const status_tables[] = {
	"hosts",       "scans",	      "software",	"installations",  "host_attributes",
	"contracts",   "entitlements", "catalog_products", "catalog_cycles", "vulnerabilities",
	"vuln_affected", "kev",	       NULL,
};

static int
cmd_status (TuCli *cli, int argc, char **argv)
{
	GOptionEntry entries[] = {{NULL}};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "db status", "",
			   "Show the store: mode, server, location, schema version, pending "
			   "migrations and row counts.",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	TuDb *db = tu_cli_get_db_raw (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	TuMigrateStatus status = {0};
	if (!tu_migrate_status (db, &status, &error))
		return tu_cli_fail (error);
	printf ("mode:            %s\n", tu_db_is_embedded (db) ? "embedded" : "server");
	printf ("server version:  %s\n", tu_db_server_version (db));
	printf ("%-17s%s\n", tu_db_is_embedded (db) ? "data directory:" : "database:",
		tu_db_location (db));
	printf ("schema version:  %u (this trueup knows %u)\n", status.current, status.latest);
	if (status.pending->len == 0) {
		printf ("pending:         none\n");
	} else {
		printf ("pending:         %u\n", status.pending->len);
		for (guint i = 0; i < status.pending->len; i++) {
			const TuMigration *m = g_ptr_array_index (status.pending, i);
			printf ("  %s\n", m->name);
		}
	}
	for (guint i = 0; i < status.applied->len; i++)
		printf ("%s  %s\n", i == 0 ? "applied:        " : "                ",
			(const char *) g_ptr_array_index (status.applied, i));
	tu_migrate_status_clear (&status);
	printf ("rows:\n");
	for (guint i = 0; status_tables[i] != NULL; i++) {
		g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", status_tables[i]);
		g_autoptr(GError) local = NULL;
		g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, &local);
		if (res == NULL)
			continue; /* a table of a pending migration */
		MYSQL_ROW row = mysql_fetch_row (res);
		printf ("  %-17s %s\n", status_tables[i], row ? row[0] : "?");
	}
	return TU_EXIT_OK;
}

int
tu_cmd_db (TuCli *cli, int argc, char **argv)
{
	static const TuCommand table[] = {
		{"migrate", NULL, "", "apply pending schema migrations", cmd_migrate},
		{"status", NULL, "", "mode, server, schema version, pending migrations, row counts",
		 cmd_status},
	};
	return tu_cli_dispatch (cli, "db", table, G_N_ELEMENTS (table), argc, argv);
}
