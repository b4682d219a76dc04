/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup db migrate` and `trueup db status`. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-check.h"
#include "tu-migrate.h"
#include "tu-query.h"
#include "tu-store.h"

typedef struct {
	gint to;
} MigrateOpts;

static const GOptionEntry migrate_options[] = {
	{"to", 0, 0, G_OPTION_ARG_INT, TU_OPT (MigrateOpts, to),
	 "stop after this schema version (for staged upgrades and tests)", "N"},
	{NULL},
};

static gboolean
check_migrate (TuCli *cli, TuInvocation *inv, GError **error)
{
	const MigrateOpts *o = inv->opts;
	if (o->to < 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "db migrate: --to must be a schema version");
		return FALSE;
	}
	return TRUE;
}

static int
run_migrate (TuCli *cli, TuInvocation *inv)
{
	const MigrateOpts *o = inv->opts;
	gint to = o->to;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
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

static const TuCommand db_migrate = {
	.name = "migrate",
	.summary = "apply pending schema migrations",
	.group = "db migrate",
	.usage = "",
	.help = "Apply the pending schema migrations.",
	.options = migrate_options,
	.options_size = sizeof (MigrateOpts),
	.max_args = -1,
	.check = check_migrate,
	.needs = TU_NEEDS_STORE_AS_IS,
	.run = run_migrate,
};

static int
run_status (TuCli *cli, TuInvocation *inv)
{
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
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
	/* marking needs the scans columns of migration 0010: only on an up-to-date schema */
	gboolean has_runner = status.pending->len == 0;
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

static const TuCommand db_status = {
	.name = "status",
	.summary = "mode, server, schema version, pending migrations, row counts",
	.group = "db status",
	.usage = "",
	.help = "Show the store: mode, server, location, schema version, pending migrations "
		"and row counts.",
	.max_args = -1,
	.needs = TU_NEEDS_STORE_AS_IS,
	.run = run_status,
};

typedef struct {
	gint max_named;
} CheckOpts;

static const GOptionEntry check_options[] = {
	{"max", 0, 0, G_OPTION_ARG_INT, TU_OPT (CheckOpts, max_named),
	 "name at most N offending rows of each kind (default 20)", "N"},
	{NULL},
};

static void
init_check (gpointer opts)
{
	((CheckOpts *) opts)->max_named = 20;
}

static gboolean
check_check (TuCli *cli, TuInvocation *inv, GError **error)
{
	const CheckOpts *o = inv->opts;
	if (o->max_named < 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "db check: --max must not be negative");
		return FALSE;
	}
	return TRUE;
}

static int
run_check (TuCli *cli, TuInvocation *inv)
{
	const CheckOpts *o = inv->opts;
	guint max_named = (guint) o->max_named;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	TuCheckResult r;
	if (!tu_check_history (db, max_named, &r, &error))
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
	printf ("%" G_GUINT64_FORMAT " hosts have a current digest that differs from their "
		"installations\n",
		r.n_digest_stale);
	printf ("%" G_GUINT64_FORMAT " installations have an id the store does not give their "
		"host\n",
		r.n_ids_bad);
	gboolean clean = r.n_inverted == 0 && r.n_overlapping == 0 && r.n_hosts_mixed == 0 &&
			 r.n_sets_stale == 0 && r.n_digest_stale == 0 && r.n_ids_bad == 0;
	printf ("%s: %" G_GUINT64_FORMAT " intervals of %" G_GUINT64_FORMAT " hosts checked\n",
		clean ? "clean" : "NOT clean", r.n_intervals, r.n_hosts);
	tu_check_result_clear (&r);
	if (!clean) {
		tu_cli_error ("db check: the history breaks its invariants (rows named above)");
		return TU_EXIT_ERROR;
	}
	return TU_EXIT_OK;
}

static const TuCommand db_check = {
	.name = "check",
	.summary = "check the history's invariants; exit 1 naming offending rows",
	.group = "db check",
	.usage = "",
	.help = "Check the history's invariants: no interval closes before it opens, no two "
		"intervals of one installation overlap, each host's current set comes from one "
		"scan. Exit status 1 with the offending rows named when one fails.",
	.options = check_options,
	.options_size = sizeof (CheckOpts),
	.init = init_check,
	.max_args = -1,
	.check = check_check,
	.needs = TU_NEEDS_STORE,
	.run = run_check,
};

static const TuCommand *const db_commands[] = {&db_check, &db_migrate, &db_status, NULL};

const TuCommand tu_cmd_db = {
	.name = "db",
	.args = "migrate|status",
	.summary = "the inventory store: migrations and status",
	.subs = db_commands,
};
