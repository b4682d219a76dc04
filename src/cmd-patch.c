/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup patch` (the patch-currency position) and `trueup catalog` (the catalogue's mapping). */
#include "config.h"

#include "tu-catalog.h"
#include "tu-cli.h"
#include "tu-common.h"
#include "tu-patch.h"
#include "tu-query.h"
#include "tu-report-rows.h"
#include "tu-report-patch.h"

static gboolean
print_row (const TuPatchRow *row, gpointer user_data, GError **error)
{
	return tu_report_write_patch_row (user_data, row, error);
}

typedef struct {
	char *host;
	char *print;
	char *at;
	gboolean summary;
	guint32 when; /* --at, checked */
} PatchOpts;

static const GOptionEntry patch_options[] = {
	{"host", 0, 0, G_OPTION_ARG_STRING, TU_OPT (PatchOpts, host),
	 "only this host (name, FQDN or machine-id)", "H"},
	{"at", 0, 0, G_OPTION_ARG_STRING, TU_OPT (PatchOpts, at),
	 "judge support status at this date (default today)", "YYYY-MM-DD"},
	{"summary", 0, 0, G_OPTION_ARG_NONE, TU_OPT (PatchOpts, summary),
	 "one row per product instead: hosts, installations, each under its worst verdict", NULL},
	{"print", 0, 0, G_OPTION_ARG_STRING, TU_OPT (PatchOpts, print),
	 "table (default on a terminal), tsv (default in a pipe) or json", "FORMAT"},
	{NULL},
};

static gboolean
check_patch (TuCli *cli, TuInvocation *inv, GError **error)
{
	PatchOpts *o = inv->opts;
	return tu_cli_parse_at (o->at, &o->when, error);
}

static int
run_patch (TuCli *cli, TuInvocation *inv)
{
	const PatchOpts *o = inv->opts;
	const char *host = o->host;
	const char *print = o->print;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	TuPatchOptions opts = {.host = host, .sorted = TRUE, .at = o->when};
	TuPatchStats st;
	if (o->summary) {
		g_autoptr(TuTable) t = tu_cli_new_table (print, tu_patch_summary_columns,
							 tu_patch_summary_n_columns, &error);
		g_autoptr(TuPatchAgg) agg = tu_patch_agg_new ();
		if (t == NULL ||
		    !tu_patch_run (db, &opts, tu_patch_agg_add_row, agg, &st, &error) ||
		    !tu_report_write_patch_summary (agg, t, &error) ||
		    !tu_table_finish (t, &error))
			return tu_cli_fail (error);
	} else {
		g_autoptr(TuTable) t = tu_cli_new_table (print, tu_patch_columns, tu_patch_n_columns,
							 &error);
		if (t == NULL || !tu_patch_run (db, &opts, print_row, t, &st, &error) ||
		    !tu_table_finish (t, &error))
			return tu_cli_fail (error);
	}
	if (st.n_rows == 0) {
		TuEstateScope scope;
		if (!tu_estate_scope_load (db, host, &scope, &error))
			return tu_cli_fail (error);
		if (scope.n_hosts == 0 && host != NULL)
			tu_cli_error ("patch: no host matches '%s' (a hostname, FQDN or machine-id; see "
				      "trueup hosts)",
				      host);
		else if (scope.n_hosts == 0)
			tu_cli_error ("patch: no host has been scanned yet (trueup scan)");
		else
			tu_cli_error ("patch: no installation is covered by the release catalogue or "
				      "the advisories (trueup import catalog|osv|kev)");
		tu_estate_scope_clear (&scope);
	}
	g_debug ("patch: %" G_GUINT64_FORMAT " installations, %" G_GUINT64_FORMAT
		 " distinct pairs, %u advisory entries; load %.2f s, match %.2f s",
		 st.n_installations, st.n_distinct, st.n_advisories, st.seconds_load, st.seconds_match);
	if (st.n_unknown > 0)
		tu_cli_info (cli,
			     "patch: %" G_GUINT64_FORMAT " installation(s) have advisories whose "
			     "versions could not be compared (neither affected nor safe: see -v)",
			     st.n_unknown);
	if (st.n_extended_unmatched > 0)
		tu_cli_info (cli,
			     "patch: %u purchase(s) of extended support name no product of the "
			     "release catalogue and cover nothing (trueup import entitlements "
			     "names them)",
			     st.n_extended_unmatched);
	if (st.n_git_ranges > 0 && cli->verbosity > 0)
		tu_cli_info (cli, "patch: %u GIT range(s) in the advisories cannot be matched to "
				  "installed versions and were not used",
			     st.n_git_ranges);
	return TU_EXIT_OK;
}

const TuCommand tu_cmd_patch = {
	.name = "patch",
	.args = "[--host H] [--summary] [--print table|tsv|json]",
	.summary = "patch currency: behind, end of life, vulnerable, known-exploited",
	.group = "patch",
	.usage = "",
	.help = "One row per installation a catalogue or advisory covers: cycle, latest, how far "
		"behind, support status, known vulnerabilities, known exploitation and the version "
		"that fixes them all.",
	.options = patch_options,
	.options_size = sizeof (PatchOpts),
	.max_args = -1,
	.check = check_patch,
	.needs = TU_NEEDS_STORE,
	.run = run_patch,
};

typedef struct {
	gboolean unmapped;
	char *print;
} CatalogOpts;

static const GOptionEntry catalog_options[] = {
	{"unmapped", 0, 0, G_OPTION_ARG_NONE, TU_OPT (CatalogOpts, unmapped),
	 "catalogue products no product of the inventory maps to", NULL},
	{"print", 0, 0, G_OPTION_ARG_STRING, TU_OPT (CatalogOpts, print), "tsv (default) or json",
	 "FORMAT"},
	{NULL},
};

static int
run_catalog (TuCli *cli, TuInvocation *inv)
{
	const CatalogOpts *o = inv->opts;
	const char *print = o->print;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	/* the catalogue query's columns, also for the listing made from the loaded catalogue */
	static const TuColumn cols[] = {TU_QUERY_CATALOG (TU_Q_COLUMN)};
	g_autoptr(TuTable) t = tu_table_new_for_format (print ? print : "tsv", stdout, cols,
							G_N_ELEMENTS (cols), &error);
	if (o->unmapped) {
		g_autoptr(TuCatalog) cat = tu_catalog_load (db, &error);
		g_autoptr(GPtrArray) list = cat ? tu_catalog_unmapped (cat, db, &error) : NULL;
		if (list == NULL)
			return tu_cli_fail (error);
		for (guint i = 0; i < list->len; i++) {
			const TuCatalogProduct *p = g_ptr_array_index (list, i);
			g_autoptr(GString) ids = g_string_new (NULL);
			for (guint k = 0; k < p->identifiers->len; k++)
				g_string_append_printf (ids, "%s%s", k ? " " : "",
							(const char *) g_ptr_array_index (p->identifiers, k));
			tu_table_add_str (t, p->id);
			tu_table_add_str (t, p->title);
			tu_table_add_str (t, p->category);
			tu_table_add_int (t, p->cycles->len);
			tu_table_add_str (t, ids->str);
			if (!tu_table_end_row (t, &error))
				return tu_cli_fail (error);
		}
	} else {
		g_autoptr(TuRows) rows = tu_query_catalog_products (db);
		if (!tu_report_write_rows (t, rows, &error))
			return tu_cli_fail (error);
	}
	if (!tu_table_finish (t, &error))
		return tu_cli_fail (error);
	return TU_EXIT_OK;
}

const TuCommand tu_cmd_catalog = {
	.name = "catalog",
	.args = "[--unmapped]",
	.summary = "the release catalogue and its mapping",
	.group = "catalog",
	.usage = "",
	.help = "The release catalogue: its products, and which of them no installed product maps "
		"to (--unmapped).",
	.options = catalog_options,
	.options_size = sizeof (CatalogOpts),
	.max_args = -1,
	.needs = TU_NEEDS_STORE,
	.run = run_catalog,
};
