/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup report KIND -o FILE`: workbooks and CSV. */
#include "config.h"

#include <string.h>

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-licence.h"
#include "tu-report-licence.h"
#include "tu-report-patch.h"
#include "tu-report.h"

static void
print_written (TuCli *cli, GPtrArray *files)
{
	for (guint i = 0; files != NULL && i < files->len; i++)
		tu_cli_info (cli, "wrote %s", (const char *) g_ptr_array_index (files, i));
}

/* What the report covers, for its title block; an empty store is said, not silently
 * written. */
static gboolean
load_scope (TuCli *cli, TuDb *db, const char *name, const char *host, TuEstateScope *scope,
	    GError **error)
{
	if (!tu_estate_scope_load (db, host, scope, error))
		return FALSE;
	if (scope->n_hosts == 0 && host != NULL)
		tu_cli_error ("%s: no host matches '%s': the report is empty", name, host);
	else if (scope->n_hosts == 0)
		tu_cli_error ("%s: no host has been scanned yet (trueup scan): the report is empty", name);
	return TRUE;
}

static int
cmd_inventory (TuCli *cli, int argc, char **argv)
{
	g_autofree char *output = NULL;
	g_autofree char *format = NULL;
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "the file to write", "FILE"},
		{"format", 0, 0, G_OPTION_ARG_STRING, &format,
		 "xlsx or csv (default: from the file name, else xlsx)", "FORMAT"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "report inventory", "-o FILE",
			   "Write the inventory workbook. Sheets: " TU_REPORT_INVENTORY_SHEETS
			   " (hosts per product and version).",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (output == NULL) {
		tu_cli_error ("report inventory: -o FILE is required");
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	TuEstateScope scope;
	if (!load_scope (cli, db, "report inventory", NULL, &scope, &error))
		return tu_cli_fail (error);
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(TuRows) hosts = tu_query_hosts (db);
	g_autoptr(TuRows) installations = tu_query_installations (db, NULL);
	g_autoptr(TuRows) products = tu_query_products (db);
	gboolean ok = tu_report_inventory (hosts, installations, products, &scope, output, format,
					   &files, &error);
	tu_estate_scope_clear (&scope);
	if (!ok)
		return tu_cli_fail (error);
	print_written (cli, files);
	return TU_EXIT_OK;
}

gboolean tu_cli_parse_at (const char *at, guint32 *out, GError **error);

typedef enum { LICENCE_COMPLIANCE, LICENCE_RENEWALS } LicenceReport;

static int
licence_report (TuCli *cli, int argc, char **argv, LicenceReport kind)
{
	g_autofree char *output = NULL;
	g_autofree char *format = NULL;
	g_autofree char *at = NULL;
	gint within = 180;
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "the file to write", "FILE"},
		{"format", 0, 0, G_OPTION_ARG_STRING, &format,
		 "xlsx or csv (default: from the file name, else xlsx)", "FORMAT"},
		{"at", 0, 0, G_OPTION_ARG_STRING, &at, "the position as of this date (default today)",
		 "YYYY-MM-DD"},
		{"within", 0, 0, G_OPTION_ARG_INT, &within,
		 "renewals: contracts ending within this many days (180)", "DAYS"},
		{NULL},
	};
	if (kind == LICENCE_COMPLIANCE)
		entries[3].long_name = NULL;
	g_autoptr(GError) error = NULL;
	const char *name = kind == LICENCE_COMPLIANCE ? "report compliance" : "report renewals";
	if (!tu_cli_parse (cli, name, "-o FILE",
			   kind == LICENCE_COMPLIANCE
				   ? "The licence position workbook. Sheets: " TU_REPORT_COMPLIANCE_SHEETS
				     "."
				   : "Contracts ending soon: notice deadlines and days left, true-up "
				     "exposure, software in use after a contract ended. Sheets: "
				     TU_REPORT_RENEWALS_SHEETS ".",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (output == NULL) {
		tu_cli_error ("%s: -o FILE is required", name);
		return TU_EXIT_USAGE;
	}
	if (within < 0) {
		tu_cli_error ("%s: --within must not be negative", name);
		return TU_EXIT_USAGE;
	}
	guint32 when = 0;
	if (!tu_cli_parse_at (at, &when, &error))
		return tu_cli_fail (error);
	TuDb *db = tu_cli_get_db (cli, &error);
	TuNormaliser *norm = db ? tu_cli_get_normaliser (cli, &error) : NULL;
	if (norm == NULL)
		return tu_cli_fail (error);
	g_autoptr(TuLicenceInput) in = tu_licence_load (db, norm, when, &error);
	if (in == NULL)
		return tu_cli_fail (error);
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (in);
	for (guint i = 0; i < pos->warnings->len && cli->verbosity >= 0; i++)
		tu_cli_error ("report: warning: %s", (const char *) g_ptr_array_index (pos->warnings, i));
	TuEstateScope scope;
	if (!load_scope (cli, db, name, NULL, &scope, &error))
		return tu_cli_fail (error);
	if (scope.n_hosts > 0 && pos->rows->len == 0)
		tu_cli_error ("%s: nothing licensable on the %u hosts and no entitlement: the position "
			      "is empty (see trueup normalise --stats)",
			      name, scope.n_hosts);
	g_autoptr(GPtrArray) files = NULL;
	gboolean ok = kind == LICENCE_COMPLIANCE
			      ? tu_report_compliance (db, &scope, in, pos, output, format, &files, &error)
			      : tu_report_renewals (db, &scope, in, pos, (guint) within, output, format,
						    &files, &error);
	tu_estate_scope_clear (&scope);
	if (!ok)
		return tu_cli_fail (error);
	print_written (cli, files);
	return TU_EXIT_OK;
}

static int
cmd_compliance (TuCli *cli, int argc, char **argv)
{
	return licence_report (cli, argc, argv, LICENCE_COMPLIANCE);
}

static int
cmd_renewals (TuCli *cli, int argc, char **argv)
{
	return licence_report (cli, argc, argv, LICENCE_RENEWALS);
}

static int
cmd_patch (TuCli *cli, int argc, char **argv)
{
	g_autofree char *output = NULL;
	g_autofree char *format = NULL;
	g_autofree char *at = NULL;
	g_autofree char *host = NULL;
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "the file to write", "FILE"},
		{"format", 0, 0, G_OPTION_ARG_STRING, &format,
		 "xlsx or csv (default: from the file name, else xlsx)", "FORMAT"},
		{"at", 0, 0, G_OPTION_ARG_STRING, &at, "judge support status at this date (default today)",
		 "YYYY-MM-DD"},
		{"host", 0, 0, G_OPTION_ARG_STRING, &host, "only this host", "H"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "report patch", "-o FILE",
			   "The patch-currency workbook. Sheets: " TU_REPORT_PATCH_SHEETS
			   " (vulnerable: known-exploited first, then CVSS; hosts: the worst first).",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (output == NULL) {
		tu_cli_error ("report patch: -o FILE is required");
		return TU_EXIT_USAGE;
	}
	TuPatchOptions opts = {.host = host, .sorted = TRUE};
	if (!tu_cli_parse_at (at, &opts.at, &error))
		return tu_cli_fail (error);
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	TuEstateScope scope;
	if (!load_scope (cli, db, "report patch", host, &scope, &error))
		return tu_cli_fail (error);
	g_autoptr(GPtrArray) files = NULL;
	TuPatchStats st;
	g_autoptr(TuPatchAgg) agg = tu_patch_agg_new ();
	gboolean ok = tu_patch_run (db, &opts, tu_patch_agg_add_row, agg, &st, &error) &&
		      tu_report_patch (agg, &scope, opts.at, output, format, &files, &error);
	guint n_hosts = scope.n_hosts;
	tu_estate_scope_clear (&scope);
	if (!ok)
		return tu_cli_fail (error);
	if (n_hosts > 0 && st.n_rows == 0)
		tu_cli_error ("report patch: no installation is covered by the catalogue or the "
			      "advisories (trueup import catalog|osv|kev)");
	print_written (cli, files);
	return TU_EXIT_OK;
}

static int
cmd_changes (TuCli *cli, int argc, char **argv)
{
	g_autofree char *output = NULL;
	g_autofree char *format = NULL;
	g_autofree char *since = NULL;
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "the file to write", "FILE"},
		{"format", 0, 0, G_OPTION_ARG_STRING, &format,
		 "xlsx or csv (default: from the file name, else xlsx)", "FORMAT"},
		{"since", 0, 0, G_OPTION_ARG_STRING, &since, "changes since this date (required)",
		 "YYYY-MM-DD"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "report changes", "--since DATE -o FILE",
			   "Software installed, removed, upgraded and downgraded since a date, from "
			   "the installation history; a host first scanned in the period is one "
			   "baseline line. Sheets: " TU_REPORT_CHANGES_SHEETS ".",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (output == NULL || since == NULL) {
		tu_cli_error ("report changes: --since DATE and -o FILE are required");
		return TU_EXIT_USAGE;
	}
	guint32 day = 0;
	if (!tu_cli_parse_at (since, &day, &error))
		return tu_cli_fail (error);
	g_autofree char *from = tu_date_format (day);
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	TuEstateScope scope;
	if (!load_scope (cli, db, "report changes", NULL, &scope, &error))
		return tu_cli_fail (error);
	if (scope.first_scan != NULL && strncmp (from, scope.first_scan, 10) < 0)
		tu_cli_error ("report changes: no history before %.10s (the first scan): every host "
			      "is one baseline line, not its packages",
			      scope.first_scan);
	g_autoptr(GPtrArray) files = NULL;
	guint64 n_changes = 0;
	gboolean ok = tu_report_changes (db, &scope, day, tu_date_today (), output, format, &files,
					 &n_changes, &error);
	guint n_hosts = scope.n_hosts;
	tu_estate_scope_clear (&scope);
	if (!ok)
		return tu_cli_fail (error);
	if (n_hosts > 0 && n_changes == 0)
		tu_cli_error ("report changes: nothing changed since %s", from);
	print_written (cli, files);
	return TU_EXIT_OK;
}

int
tu_cmd_report (TuCli *cli, int argc, char **argv)
{
	static const TuCommand table[] = {
		{"inventory", NULL, "-o FILE", "sheets: " TU_REPORT_INVENTORY_SHEETS, cmd_inventory},
		{"compliance", NULL, "-o FILE [--at DATE]",
		 "the licence position; sheets: " TU_REPORT_COMPLIANCE_SHEETS, cmd_compliance},
		{"renewals", NULL, "-o FILE [--within DAYS]",
		 "contracts ending soon; sheets: " TU_REPORT_RENEWALS_SHEETS, cmd_renewals},
		{"patch", NULL, "-o FILE",
		 "patch currency; sheets: " TU_REPORT_PATCH_SHEETS, cmd_patch},
		{"changes", NULL, "--since DATE -o FILE",
		 "changes since a date; sheets: " TU_REPORT_CHANGES_SHEETS, cmd_changes},
	};
	return tu_cli_dispatch (cli, "report", table, G_N_ELEMENTS (table), argc, argv);
}
