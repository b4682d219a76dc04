/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup db migrate` and `trueup db status`. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-check.h"
#include "tu-migrate.h"
#include "tu-query.h"
#include "tu-store.h"

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
	gboolean has_runner = status.current >= 5;
	tu_migrate_status_clear (&status);
	/* a scan left running by a process that died is interrupted, not in progress */
	guint n_marked = 0;
	if (has_runner && !tu_store_mark_interrupted (db, &n_marked, &error))
		return tu_cli_fail (error);
	{
		g_autoptr(GError) local = NULL;
		g_autoptr(TuRows) rows = tu_query_scans_by_status (db);
		char **row = tu_rows_next (rows, &local);
		if (local == NULL)
			printf ("scans:\n");
		for (; row != NULL; row = tu_rows_next (rows, &local))
			printf ("  %-17s %s\n", row[TU_Q_SCANS_STATUS], row[TU_Q_SCANS_N]);
		if (n_marked > 0)
			printf ("  (%u left running by a process that ended: now interrupted)\n",
				n_marked);
	}
	g_autoptr(GPtrArray) tables = NULL;
	g_autoptr(GArray) counts = NULL;
	if (!tu_query_table_counts (db, &tables, &counts, &error))
		return tu_cli_fail (error);
	printf ("rows:\n");
	for (guint i = 0; i < tables->len; i++) {
		gint64 n = g_array_index (counts, gint64, i);
		if (n < 0)
			continue; /* a table of a pending migration */
		printf ("  %-17s %" G_GINT64_FORMAT "\n", (const char *) g_ptr_array_index (tables, i),
			n);
	}
	return TU_EXIT_OK;
}

static int
cmd_check (TuCli *cli, int argc, char **argv)
{
	gint max_named = 20;
	GOptionEntry entries[] = {
		{"max", 0, 0, G_OPTION_ARG_INT, &max_named,
		 "name at most N offending rows of each kind (default 20)", "N"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "db check", "",
			   "Check the history's invariants: no interval closes before it opens, no "
			   "two intervals of one installation overlap, each host's current set comes "
			   "from one scan. Exit status 1 with the offending rows named when one fails.",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (max_named < 0) {
		tu_cli_error ("db check: --max must not be negative");
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	TuCheckResult r;
	if (!tu_check_history (db, (guint) max_named, &r, &error))
		return tu_cli_fail (error);
	for (guint i = 0; i < r.problems->len; i++)
		printf ("%s\n", (const char *) g_ptr_array_index (r.problems, i));
	printf ("%" G_GUINT64_FORMAT " intervals close before they open\n", r.n_inverted);
	printf ("%" G_GUINT64_FORMAT " pairs of intervals of one installation overlap\n",
		r.n_overlapping);
	printf ("%" G_GUINT64_FORMAT " hosts have a current set that is not one scan's\n",
		r.n_hosts_mixed);
	printf ("%" G_GUINT64_FORMAT " hosts have a software set that differs from their "
		"installations\n",
		r.n_sets_stale);
	gboolean clean = r.n_inverted == 0 && r.n_overlapping == 0 && r.n_hosts_mixed == 0 &&
			 r.n_sets_stale == 0;
	printf ("%s: %" G_GUINT64_FORMAT " intervals of %" G_GUINT64_FORMAT " hosts checked\n",
		clean ? "clean" : "NOT clean", r.n_intervals, r.n_hosts);
	tu_check_result_clear (&r);
	if (!clean) {
		tu_cli_error ("db check: the history breaks its invariants (rows named above)");
		return TU_EXIT_ERROR;
	}
	return TU_EXIT_OK;
}

int
tu_cmd_db (TuCli *cli, int argc, char **argv)
{
	static const TuCommand table[] = {
		{"check", NULL, "", "check the history's invariants; exit 1 naming offending rows",
		 cmd_check},
		{"migrate", NULL, "", "apply pending schema migrations", cmd_migrate},
		{"status", NULL, "", "mode, server, schema version, pending migrations, row counts",
		 cmd_status},
	};
	return tu_cli_dispatch (cli, "db", table, G_N_ELEMENTS (table), argc, argv);
}
