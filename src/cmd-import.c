/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup import KIND FILE`: licence files, host attributes, catalogues and advisories. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-licence-import.h"

typedef gboolean (*ImportFunc) (TuCli *cli, TuDb *db, const char *path, TuImportStats *st,
				GError **error);

static gboolean
do_entitlements (TuCli *cli, TuDb *db, const char *path, TuImportStats *st, GError **error)
{
	TuNormaliser *norm = tu_cli_get_normaliser (cli, error);
	return norm != NULL && tu_import_entitlements (db, norm, path, st, error);
}

static gboolean
do_contracts (TuCli *cli, TuDb *db, const char *path, TuImportStats *st, GError **error)
{
	return tu_import_contracts (db, path, st, error);
}

static gboolean
do_hosts (TuCli *cli, TuDb *db, const char *path, TuImportStats *st, GError **error)
{
	return tu_import_host_attributes (db, path, st, error);
}

static gboolean
do_prices (TuCli *cli, TuDb *db, const char *path, TuImportStats *st, GError **error)
{
	TuNormaliser *norm = tu_cli_get_normaliser (cli, error);
	return norm != NULL && tu_import_prices (db, norm, path, st, error);
}

static int
run_import (TuCli *cli, int argc, char **argv, const char *what, const char *summary,
	    ImportFunc func)
{
	GOptionEntry entries[] = {{NULL}};
	g_autoptr(GError) error = NULL;
	g_autofree char *group = g_strdup_printf ("import %s", what);
	if (!tu_cli_parse (cli, group, "FILE.csv...", summary, entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (argc < 2) {
		tu_cli_error ("import %s: give the file(s) to import", what);
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	int rc = TU_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		TuImportStats st = {0};
		if (!func (cli, db, argv[i], &st, &error)) {
			tu_cli_error ("%s (nothing from this file was stored)", error->message);
			g_clear_error (&error);
			rc = TU_EXIT_ERROR;
			continue;
		}
		tu_cli_info (cli, "%s: %u %s imported (%u new, %u updated)", argv[i], st.n_rows, what,
			     st.n_new, st.n_updated);
		if (st.n_unknown_hosts > 0)
			tu_cli_info (cli,
				     "%s: %u host(s) are not in the inventory yet; their facts apply "
				     "once they are scanned",
				     argv[i], st.n_unknown_hosts);
	}
	return rc;
}

static int
cmd_entitlements (TuCli *cli, int argc, char **argv)
{
	return run_import (cli, argc, argv, "entitlements",
			   "Import entitlements: id, publisher, product, edition, release, metric, "
			   "quantity, start, end, maintenance_end, downgrade, core_factor, min_cores, "
			   "unit_cost, currency, scope, contract, po. All or nothing per file; an id "
			   "imported again is updated.",
			   do_entitlements);
}

static int
cmd_contracts (TuCli *cli, int argc, char **argv)
{
	return run_import (cli, argc, argv, "contracts",
			   "Import contracts: id, vendor, title, start, end, notice_days, auto_renew, "
			   "value, currency, owner, notes.",
			   do_contracts);
}

static int
cmd_hosts (TuCli *cli, int argc, char **argv)
{
	return run_import (cli, argc, argv, "hosts",
			   "Import host facts scans cannot see: host, site, cost_centre, owner, "
			   "groups, environment, cores, sockets, virtual, cluster.",
			   do_hosts);
}

static int
cmd_prices (TuCli *cli, int argc, char **argv)
{
	return run_import (cli, argc, argv, "prices",
			   "Import a price list for shortfall costs: publisher, product, edition, "
			   "metric, unit_cost, currency.",
			   do_prices);
}

int
tu_cmd_import (TuCli *cli, int argc, char **argv)
{
	static const TuCommand table[] = {
		{"entitlements", NULL, "FILE.csv", "licence entitlements", cmd_entitlements},
		{"contracts", NULL, "FILE.csv", "vendor contracts", cmd_contracts},
		{"hosts", NULL, "FILE.csv", "host facts: site, owner, cores, ...", cmd_hosts},
		{"prices", NULL, "FILE.csv", "a price list for shortfall costs", cmd_prices},
	};
	return tu_cli_dispatch (cli, "import", table, G_N_ELEMENTS (table), argc, argv);
}
