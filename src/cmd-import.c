/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup import KIND FILE`: licence files, host attributes, catalogues and advisories. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-catalog.h"
#include "tu-licence-import.h"
#include "tu-osv.h"

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

static int
cmd_catalog (TuCli *cli, int argc, char **argv)
{
	GOptionEntry entries[] = {{NULL}};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "import catalog", "FILE|DIR...",
			   "Import a release and end-of-life catalogue: endoflife.date's data (a "
			   "directory with products/ and releases/, or single .md and .json files) or "
			   "an in-house CSV (publisher,product,cycle,release_date,latest,latest_date,"
			   "eol,support_end,lts).",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (argc < 2) {
		tu_cli_error ("import catalog: give the file(s) or directory to import");
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	TuNormaliser *norm = db ? tu_cli_get_normaliser (cli, &error) : NULL;
	if (norm == NULL)
		return tu_cli_fail (error);
	int rc = TU_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		TuCatalogImportStats st = {0};
		g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
		gboolean ok = tu_catalog_import (db, norm, argv[i], &st, messages, &error);
		for (guint m = 0; m < messages->len; m++)
			tu_cli_error ("%s", (const char *) g_ptr_array_index (messages, m));
		if (!ok) {
			tu_cli_error ("%s", error->message);
			g_clear_error (&error);
			rc = TU_EXIT_ERROR;
			continue;
		}
		if (messages->len > 0)
			rc = TU_EXIT_ERROR;
		tu_cli_info (cli, "%s: %u products, %u cycles, %u versions, %u identifiers", argv[i],
			     st.n_products, st.n_cycles, st.n_versions, st.n_identifiers);
	}
	return rc;
}

static int
cmd_osv (TuCli *cli, int argc, char **argv)
{
	gboolean strict = FALSE;
	GOptionEntry entries[] = {
		{"strict", 0, 0, G_OPTION_ARG_NONE, &strict,
		 "exit with status 1 when any record or file is refused", NULL},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "import osv", "FILE|DIR...",
			   "Import OSV advisories (JSON or YAML; a directory is walked). Invalid "
			   "records are refused with their file and reason and the rest is stored.",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (argc < 2) {
		tu_cli_error ("import osv: give the file(s) or directory to import");
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	int rc = TU_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		TuOsvImportStats st = {0};
		g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
		gboolean ok = tu_osv_import (db, argv[i], &st, messages, &error);
		for (guint m = 0; m < messages->len && cli->verbosity >= 0; m++)
			tu_cli_error ("%s", (const char *) g_ptr_array_index (messages, m));
		if (!ok) {
			tu_cli_error ("%s", error->message);
			g_clear_error (&error);
			rc = TU_EXIT_ERROR;
			continue;
		}
		if (strict && (st.n_rejected > 0 || st.n_files_refused > 0))
			rc = TU_EXIT_ERROR;
		tu_cli_info (cli,
			     "%s: %u files, %u records stored, %u refused, %u files not OSV; %u "
			     "affected packages, %u GIT ranges (not matchable), %u invalid versions",
			     argv[i], st.n_files, st.n_records, st.n_rejected, st.n_files_refused,
			     st.n_affected, st.n_git_ranges, st.n_invalid_versions);
	}
	return rc;
}

static int
cmd_kev (TuCli *cli, int argc, char **argv)
{
	GOptionEntry entries[] = {{NULL}};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "import kev", "FILE",
			   "Import CISA's known exploited vulnerabilities catalogue (JSON or CSV); it "
			   "replaces the stored list.",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (argc != 2) {
		tu_cli_error ("import kev: give one file");
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	guint n = 0;
	if (!tu_kev_import (db, argv[1], &n, &error)) {
		tu_cli_error ("%s (the stored list is unchanged)", error->message);
		return TU_EXIT_ERROR;
	}
	tu_cli_info (cli, "%s: %u known exploited vulnerabilities", argv[1], n);
	return TU_EXIT_OK;
}

int
tu_cmd_import (TuCli *cli, int argc, char **argv)
{
	static const TuCommand table[] = {
		{"entitlements", NULL, "FILE.csv", "licence entitlements", cmd_entitlements},
		{"contracts", NULL, "FILE.csv", "vendor contracts", cmd_contracts},
		{"hosts", NULL, "FILE.csv", "host facts: site, owner, cores, ...", cmd_hosts},
		{"prices", NULL, "FILE.csv", "a price list for shortfall costs", cmd_prices},
		{"catalog", NULL, "FILE|DIR", "release and end-of-life catalogue", cmd_catalog},
		{"osv", NULL, "FILE|DIR", "OSV vulnerability advisories", cmd_osv},
		{"kev", NULL, "FILE", "CISA known exploited vulnerabilities", cmd_kev},
	};
	return tu_cli_dispatch (cli, "import", table, G_N_ELEMENTS (table), argc, argv);
}
