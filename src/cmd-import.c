/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup import KIND FILE`: licence files, host attributes, catalogues, advisories and
 * distribution package indexes. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-catalog.h"
#include "tu-licence-import.h"
#include "tu-osv.h"
#include "tu-patch-extended.h"
#include "tu-pkgindex.h"

typedef gboolean (*ImportFunc) (TuCli *cli, TuDb *db, const char *path, TuImportStats *st,
				GError **error);

typedef struct {
	const char *what; /* "entitlements": in messages */
	ImportFunc func;
} ImportKind;

static gboolean
do_entitlements (TuCli *cli, TuDb *db, const char *path, TuImportStats *st, GError **error)
{
	TuNormaliser *norm = tu_cli_get_normaliser (cli, error);
	if (norm == NULL || !tu_import_entitlements (db, norm, path, st, error))
		return FALSE;
	/* a purchase of extended support that would count for nothing says so now */
	g_autoptr(TuWarnings) warnings = tu_warnings_new ();
	g_autoptr(GError) local = NULL;
	if (!tu_extended_support_check (db, warnings, &local))
		tu_cli_error ("%s: extended support not checked: %s", path, local->message);
	else if (cli->verbosity >= 0)
		tu_cli_print_warnings (path, warnings);
	return TRUE;
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

/* entitlements, contracts, hosts and prices: CSV files, each all or nothing */
static int
run_import (TuCli *cli, TuInvocation *inv)
{
	const ImportKind *kind = inv->cmd->data;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	int rc = TU_EXIT_OK;
	for (int i = 1; i < inv->argc; i++) {
		const char *path = inv->argv[i];
		TuImportStats st = {0};
		if (!kind->func (cli, db, path, &st, &error)) {
			tu_cli_error ("%s (nothing from this file was stored)", error->message);
			g_clear_error (&error);
			rc = TU_EXIT_ERROR;
			continue;
		}
		tu_cli_info (cli, "%s: %u %s imported (%u new, %u updated)", path, st.n_rows,
			     kind->what, st.n_new, st.n_updated);
		if (st.n_unknown_hosts > 0)
			tu_cli_info (cli,
				     "%s: %u host(s) are not in the inventory yet; their facts apply "
				     "once they are scanned",
				     path, st.n_unknown_hosts);
	}
	return rc;
}

#define IMPORT_CSV(ident, kind, table_summary, long_help)                  \
	static const ImportKind ident##_kind = {#kind, do_##kind};         \
	static const TuCommand ident = {                                   \
		.name = #kind,                                             \
		.args = "FILE.csv",                                        \
		.summary = table_summary,                                  \
		.group = "import " #kind,                                  \
		.usage = "FILE.csv...",                                    \
		.help = long_help,                                         \
		.min_args = 1,                                             \
		.max_args = -1,                                            \
		.too_few = "import " #kind ": give the file(s) to import", \
		.needs = TU_NEEDS_STORE,                                   \
		.run = run_import,                                         \
		.data = &ident##_kind,                                     \
	}

IMPORT_CSV (import_entitlements, entitlements, "licence entitlements",
	    "Import entitlements: id, publisher, product, edition, release, metric, quantity, "
	    "start, end, maintenance_end, downgrade, core_factor, min_cores, unit_cost, currency, "
	    "scope, contract, po. All or nothing per file; an id imported again is updated.");
IMPORT_CSV (import_contracts, contracts, "vendor contracts",
	    "Import contracts: id, vendor, title, start, end, notice_days, auto_renew, value, "
	    "currency, owner, notes.");
IMPORT_CSV (import_hosts, hosts, "host facts: site, owner, cores, ...",
	    "Import host facts scans cannot see: host, site, cost_centre, owner, groups, "
	    "environment, cores, sockets, virtual, cluster.");
IMPORT_CSV (import_prices, prices, "a price list for shortfall costs",
	    "Import a price list for shortfall costs: publisher, product, edition, metric, "
	    "unit_cost, currency.");

static int
run_catalog (TuCli *cli, TuInvocation *inv)
{
	g_autoptr(GError) error = NULL;
	int rc = TU_EXIT_OK;
	for (int i = 1; i < inv->argc; i++) {
		const char *path = inv->argv[i];
		TuCatalogImportStats st = {0};
		g_autoptr(TuWarnings) messages = tu_warnings_new ();
		gboolean ok = tu_catalog_import (inv->db, inv->norm, path, &st, messages, &error);
		tu_cli_print_warnings (NULL, messages);
		if (!ok) {
			tu_cli_error ("%s", error->message);
			g_clear_error (&error);
			rc = TU_EXIT_ERROR;
			continue;
		}
		if (messages->len > 0)
			rc = TU_EXIT_ERROR;
		tu_cli_info (cli, "%s: %u products, %u cycles, %u versions, %u identifiers", path,
			     st.n_products, st.n_cycles, st.n_versions, st.n_identifiers);
	}
	return rc;
}

static const TuCommand import_catalog = {
	.name = "catalog",
	.args = "FILE|DIR",
	.summary = "release and end-of-life catalogue",
	.group = "import catalog",
	.usage = "FILE|DIR...",
	.help = "Import a release and end-of-life catalogue: endoflife.date's data (a directory "
		"with products/ and releases/, or single .md and .json files) or an in-house CSV "
		"(publisher,product,cycle,release_date,latest,latest_date,eol,support_end,lts).",
	.min_args = 1,
	.max_args = -1,
	.too_few = "import catalog: give the file(s) or directory to import",
	.needs = TU_NEEDS_STORE | TU_NEEDS_NORMALISER,
	.run = run_catalog,
};

typedef struct {
	gboolean strict;
} OsvOpts;

static const GOptionEntry osv_options[] = {
	{"strict", 0, 0, G_OPTION_ARG_NONE, TU_OPT (OsvOpts, strict),
	 "exit with status 1 when any record or file is refused", NULL},
	{NULL},
};

static int
run_osv (TuCli *cli, TuInvocation *inv)
{
	const OsvOpts *o = inv->opts;
	g_autoptr(GError) error = NULL;
	int rc = TU_EXIT_OK;
	for (int i = 1; i < inv->argc; i++) {
		const char *path = inv->argv[i];
		TuOsvImportStats st = {0};
		g_autoptr(TuWarnings) messages = tu_warnings_new ();
		gboolean ok = tu_osv_import (inv->db, path, &st, messages, &error);
		if (cli->verbosity >= 0)
			tu_cli_print_warnings (NULL, messages);
		if (!ok) {
			tu_cli_error ("%s", error->message);
			g_clear_error (&error);
			rc = TU_EXIT_ERROR;
			continue;
		}
		if (o->strict && (st.n_rejected > 0 || st.n_files_refused > 0))
			rc = TU_EXIT_ERROR;
		tu_cli_info (cli,
			     "%s: %u files, %u records stored, %u refused, %u files not OSV; %u "
			     "affected packages, %u GIT ranges (not matchable), %u invalid versions",
			     path, st.n_files, st.n_records, st.n_rejected, st.n_files_refused,
			     st.n_affected, st.n_git_ranges, st.n_invalid_versions);
	}
	return rc;
}

static const TuCommand import_osv = {
	.name = "osv",
	.args = "FILE|DIR",
	.summary = "OSV vulnerability advisories",
	.group = "import osv",
	.usage = "FILE|DIR...",
	.help = "Import OSV advisories (JSON or YAML; a directory is walked). Invalid records are "
		"refused with their file and reason and the rest is stored.",
	.options = osv_options,
	.options_size = sizeof (OsvOpts),
	.min_args = 1,
	.max_args = -1,
	.too_few = "import osv: give the file(s) or directory to import",
	.needs = TU_NEEDS_STORE,
	.run = run_osv,
};

static int
run_kev (TuCli *cli, TuInvocation *inv)
{
	g_autoptr(GError) error = NULL;
	guint n = 0;
	if (!tu_kev_import (inv->db, inv->argv[1], &n, &error)) {
		tu_cli_error ("%s (the stored list is unchanged)", error->message);
		return TU_EXIT_ERROR;
	}
	tu_cli_info (cli, "%s: %u known exploited vulnerabilities", inv->argv[1], n);
	return TU_EXIT_OK;
}

static const TuCommand import_kev = {
	.name = "kev",
	.args = "FILE",
	.summary = "CISA known exploited vulnerabilities",
	.group = "import kev",
	.usage = "FILE",
	.help = "Import CISA's known exploited vulnerabilities catalogue (JSON or CSV); it "
		"replaces the stored list.",
	.min_args = 1,
	.max_args = 1,
	.too_few = "import kev: give one file",
	.too_many = "import kev: give one file",
	.needs = TU_NEEDS_STORE,
	.run = run_kev,
};

typedef struct {
	char *distro;
	gboolean strict;
} PackagesOpts;

static const GOptionEntry packages_options[] = {
	{"distro", 0, 0, G_OPTION_ARG_STRING, TU_OPT (PackagesOpts, distro),
	 "the distribution release of every file (debian:12, ubuntu:22.04, alpine:3.18, "
	 "almalinux:9); default: a Debian index's Release file",
	 "ID:RELEASE"},
	{"strict", 0, 0, G_OPTION_ARG_NONE, TU_OPT (PackagesOpts, strict),
	 "exit with status 1 when any record is refused", NULL},
	{NULL},
};

static int
run_packages (TuCli *cli, TuInvocation *inv)
{
	const PackagesOpts *o = inv->opts;
	g_autoptr(GError) error = NULL;
	TuPkgIndexImportStats st = {0};
	g_autoptr(TuWarnings) messages = tu_warnings_new ();
	g_autoptr(GPtrArray) files = g_ptr_array_new ();
	for (int i = 1; i < inv->argc; i++)
		g_ptr_array_add (files, inv->argv[i]);
	g_ptr_array_add (files, NULL);
	gboolean ok = tu_pkgindex_import (inv->db, o->distro, (const char *const *) files->pdata,
					  &st, messages, &error);
	if (cli->verbosity >= 0)
		tu_cli_print_warnings (NULL, messages);
	if (!ok) {
		tu_cli_error ("%s (no stored package index was changed)", error->message);
		return error->code == TU_ERROR_USAGE ? TU_EXIT_USAGE : TU_EXIT_ERROR;
	}
	tu_cli_info (cli,
		     "%u files: %u records, %u distinct packages stored for %u distribution "
		     "release(s), %u records refused",
		     st.n_files, st.n_records, st.n_packages, st.n_releases, st.n_refused);
	return o->strict && st.n_refused > 0 ? TU_EXIT_ERROR : TU_EXIT_OK;
}

static const TuCommand import_packages = {
	.name = "packages",
	.args = "FILE",
	.summary = "distribution package indexes (Packages, APKINDEX, primary.xml)",
	.group = "import packages",
	.usage = "[--distro ID:RELEASE] FILE...",
	.help = "Import a distribution's package index: Debian/Ubuntu Packages, Alpine APKINDEX "
		"(or APKINDEX.tar.gz), RPM repodata primary.xml; plain, gzip, xz or lz4. The files "
		"of one call that belong to one distribution release replace its stored index "
		"together (give bookworm, bookworm-updates and bookworm-security at once). patch "
		"then takes latest and behind of that release's distribution packages from it.",
	.options = packages_options,
	.options_size = sizeof (PackagesOpts),
	.min_args = 1,
	.max_args = -1,
	.too_few = "import packages: give the index file(s) to import",
	.needs = TU_NEEDS_STORE,
	.run = run_packages,
};

static const TuCommand *const import_commands[] = {
	&import_entitlements,
	&import_contracts,
	&import_hosts,
	&import_prices,
	&import_catalog,
	&import_osv,
	&import_kev,
	&import_packages,
	NULL,
};

const TuCommand tu_cmd_import = {
	.name = "import",
	.args = "entitlements|contracts|hosts|prices|catalog|osv|kev|packages FILE",
	.summary = "import licence, host, catalogue and vulnerability files",
	.subs = import_commands,
};
