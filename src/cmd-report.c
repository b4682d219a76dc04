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

/* -o and --format, which every report takes first */
#define REPORT_OUTPUT_OPTIONS(type)                                                           \
	{"output", 'o', 0, G_OPTION_ARG_FILENAME, TU_OPT (type, output), "the file to write", \
	 "FILE"},                                                                             \
	{                                                                                     \
		"format", 0, 0, G_OPTION_ARG_STRING, TU_OPT (type, format),                   \
			"xlsx or csv (default: from the file name, else xlsx)", "FORMAT"      \
	}

typedef struct {
	char *output;
	char *format;
} InventoryOpts;

static const GOptionEntry inventory_options[] = {
	REPORT_OUTPUT_OPTIONS (InventoryOpts),
	{NULL},
};

static gboolean
check_inventory (TuCli *cli, TuInvocation *inv, GError **error)
{
	const InventoryOpts *o = inv->opts;
	if (o->output == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "report inventory: -o FILE is required");
		return FALSE;
	}
	return TRUE;
}

static int
run_inventory (TuCli *cli, TuInvocation *inv)
{
	const InventoryOpts *o = inv->opts;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	TuEstateScope scope;
	if (!load_scope (cli, db, "report inventory", NULL, &scope, &error))
		return tu_cli_fail (error);
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(TuRows) hosts = tu_query_hosts (db);
	g_autoptr(TuRows) installations = tu_query_installations (db, NULL);
	g_autoptr(TuRows) products = tu_query_products (db);
	gboolean ok = tu_report_inventory (hosts, installations, products, &scope, o->output,
					   o->format, &files, &error);
	tu_estate_scope_clear (&scope);
	if (!ok)
		return tu_cli_fail (error);
	print_written (cli, files);
	return TU_EXIT_OK;
}

static const TuCommand report_inventory = {
	.name = "inventory",
	.args = "-o FILE",
	.summary = "sheets: " TU_REPORT_INVENTORY_SHEETS,
	.group = "report inventory",
	.usage = "-o FILE",
	.help = "Write the inventory workbook. Sheets: " TU_REPORT_INVENTORY_SHEETS
		" (hosts per product and version).",
	.options = inventory_options,
	.options_size = sizeof (InventoryOpts),
	.max_args = -1,
	.check = check_inventory,
	.needs = TU_NEEDS_STORE,
	.run = run_inventory,
};

typedef enum { LICENCE_COMPLIANCE,
	       LICENCE_RENEWALS } LicenceReport;

typedef struct {
	char *output;
	char *format;
	char *at;
	gint within;
	guint32 when; /* --at, checked */
} LicenceOpts;

/* compliance takes the first three, renewals all four */
static const GOptionEntry licence_options[] = {
	REPORT_OUTPUT_OPTIONS (LicenceOpts),
	{"at", 0, 0, G_OPTION_ARG_STRING, TU_OPT (LicenceOpts, at),
	 "the position as of this date (default today)", "YYYY-MM-DD"},
	{"within", 0, 0, G_OPTION_ARG_INT, TU_OPT (LicenceOpts, within),
	 "renewals: contracts ending within this many days (180)", "DAYS"},
	{NULL},
};

static const GOptionEntry compliance_options[] = {
	REPORT_OUTPUT_OPTIONS (LicenceOpts),
	{"at", 0, 0, G_OPTION_ARG_STRING, TU_OPT (LicenceOpts, at),
	 "the position as of this date (default today)", "YYYY-MM-DD"},
	{NULL},
};

static void
init_licence (gpointer opts)
{
	((LicenceOpts *) opts)->within = 180;
}

static gboolean
check_licence (TuCli *cli, TuInvocation *inv, GError **error)
{
	LicenceOpts *o = inv->opts;
	const char *name = inv->cmd->group;
	if (o->output == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s: -o FILE is required", name);
		return FALSE;
	}
	if (o->within < 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s: --within must not be negative",
			     name);
		return FALSE;
	}
	return tu_cli_parse_at (o->at, &o->when, error);
}

static int
licence_report (TuCli *cli, TuInvocation *inv)
{
	const LicenceOpts *o = inv->opts;
	LicenceReport kind = inv->cmd->options == compliance_options ? LICENCE_COMPLIANCE
								     : LICENCE_RENEWALS;
	const char *name = inv->cmd->group;
	TuDb *db = inv->db;
	TuNormaliser *norm = inv->norm;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuLicenceInput) in = tu_licence_load (db, norm, o->when, &error);
	if (in == NULL)
		return tu_cli_fail (error);
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (in);
	if (cli->verbosity >= 0)
		tu_cli_print_warnings ("report: warning", pos->warnings);
	TuEstateScope scope;
	if (!load_scope (cli, db, name, NULL, &scope, &error))
		return tu_cli_fail (error);
	if (scope.n_hosts > 0 && pos->rows->len == 0)
		tu_cli_error ("%s: nothing licensable on the %u hosts and no entitlement: the position "
			      "is empty (see trueup normalise --stats)",
			      name, scope.n_hosts);
	g_autoptr(GPtrArray) files = NULL;
	gboolean ok;
	if (kind == LICENCE_COMPLIANCE) {
		guint n_left_out = 0;
		g_autoptr(GPtrArray) review =
			tu_estate_review_items (db, TU_REPORT_REVIEW_MAX, &n_left_out, &error);
		ok = review != NULL && tu_report_compliance (review, n_left_out, &scope, in, pos,
							     o->output, o->format, &files, &error);
	} else {
		g_autoptr(TuRows) contracts =
			tu_query_contracts_ending (db, in->at, in->at + (guint) o->within);
		ok = tu_report_renewals (contracts, &scope, in, pos, (guint) o->within, o->output,
					 o->format, &files, &error);
	}
	tu_estate_scope_clear (&scope);
	if (!ok)
		return tu_cli_fail (error);
	print_written (cli, files);
	return TU_EXIT_OK;
}

static const TuCommand report_compliance = {
	.name = "compliance",
	.args = "-o FILE [--at DATE]",
	.summary = "the licence position; sheets: " TU_REPORT_COMPLIANCE_SHEETS,
	.group = "report compliance",
	.usage = "-o FILE",
	.help = "The licence position workbook. Sheets: " TU_REPORT_COMPLIANCE_SHEETS ".",
	.options = compliance_options,
	.options_size = sizeof (LicenceOpts),
	.init = init_licence,
	.max_args = -1,
	.check = check_licence,
	.needs = TU_NEEDS_STORE | TU_NEEDS_NORMALISER,
	.run = licence_report,
};

static const TuCommand report_renewals = {
	.name = "renewals",
	.args = "-o FILE [--within DAYS]",
	.summary = "contracts ending soon; sheets: " TU_REPORT_RENEWALS_SHEETS,
	.group = "report renewals",
	.usage = "-o FILE",
	.help = "Contracts ending soon: notice deadlines and days left, true-up exposure, software "
		"in use after a contract ended. Sheets: " TU_REPORT_RENEWALS_SHEETS ".",
	.options = licence_options,
	.options_size = sizeof (LicenceOpts),
	.init = init_licence,
	.max_args = -1,
	.check = check_licence,
	.needs = TU_NEEDS_STORE | TU_NEEDS_NORMALISER,
	.run = licence_report,
};

typedef struct {
	char *output;
	char *format;
	char *at;
	char *host;
	guint32 when; /* --at, checked */
} PatchOpts;

static const GOptionEntry patch_options[] = {
	REPORT_OUTPUT_OPTIONS (PatchOpts),
	{"at", 0, 0, G_OPTION_ARG_STRING, TU_OPT (PatchOpts, at),
	 "judge support status at this date (default today)", "YYYY-MM-DD"},
	{"host", 0, 0, G_OPTION_ARG_STRING, TU_OPT (PatchOpts, host), "only this host", "H"},
	{NULL},
};

static gboolean
check_patch (TuCli *cli, TuInvocation *inv, GError **error)
{
	PatchOpts *o = inv->opts;
	if (o->output == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "report patch: -o FILE is required");
		return FALSE;
	}
	return tu_cli_parse_at (o->at, &o->when, error);
}

static int
run_patch (TuCli *cli, TuInvocation *inv)
{
	const PatchOpts *o = inv->opts;
	const char *host = o->host;
	TuPatchOptions opts = {.host = host, .sorted = TRUE, .at = o->when};
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	TuEstateScope scope;
	if (!load_scope (cli, db, "report patch", host, &scope, &error))
		return tu_cli_fail (error);
	g_autoptr(GPtrArray) files = NULL;
	TuPatchStats st;
	g_autoptr(TuPatchAgg) agg = tu_patch_agg_new ();
	gboolean ok = tu_patch_run (db, &opts, tu_patch_agg_add_row, agg, &st, &error) &&
		      tu_report_patch (agg, &scope, opts.at, o->output, o->format, &files, &error);
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

static const TuCommand report_patch = {
	.name = "patch",
	.args = "-o FILE",
	.summary = "patch currency; sheets: " TU_REPORT_PATCH_SHEETS,
	.group = "report patch",
	.usage = "-o FILE",
	.help = "The patch-currency workbook. Sheets: " TU_REPORT_PATCH_SHEETS
		" (vulnerable: known-exploited first, then CVSS; hosts: the worst first).",
	.options = patch_options,
	.options_size = sizeof (PatchOpts),
	.max_args = -1,
	.check = check_patch,
	.needs = TU_NEEDS_STORE,
	.run = run_patch,
};

typedef struct {
	char *output;
	char *format;
	char *since;
	guint32 day; /* --since, checked */
} ChangesOpts;

static const GOptionEntry changes_options[] = {
	REPORT_OUTPUT_OPTIONS (ChangesOpts),
	{"since", 0, 0, G_OPTION_ARG_STRING, TU_OPT (ChangesOpts, since),
	 "changes since this date (required)", "YYYY-MM-DD"},
	{NULL},
};

static gboolean
check_changes (TuCli *cli, TuInvocation *inv, GError **error)
{
	ChangesOpts *o = inv->opts;
	if (o->output == NULL || o->since == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "report changes: --since DATE and -o FILE are required");
		return FALSE;
	}
	return tu_cli_parse_at (o->since, &o->day, error);
}

static int
run_changes (TuCli *cli, TuInvocation *inv)
{
	const ChangesOpts *o = inv->opts;
	guint32 day = o->day;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	g_autofree char *from = tu_date_format (day);
	TuEstateScope scope;
	if (!load_scope (cli, db, "report changes", NULL, &scope, &error))
		return tu_cli_fail (error);
	if (scope.first_scan != NULL && strncmp (from, scope.first_scan, 10) < 0)
		tu_cli_error ("report changes: no history before %.10s (the first scan): every host "
			      "is one baseline line, not its packages",
			      scope.first_scan);
	g_autoptr(GPtrArray) files = NULL;
	guint64 n_changes = 0;
	g_autoptr(TuRows) changes = tu_query_changes (db, from);
	gboolean ok = tu_report_changes (changes, &scope, day, tu_date_today (), o->output,
					 o->format, &files, &n_changes, &error);
	guint n_hosts = scope.n_hosts;
	tu_estate_scope_clear (&scope);
	if (!ok)
		return tu_cli_fail (error);
	if (n_hosts > 0 && n_changes == 0)
		tu_cli_error ("report changes: nothing changed since %s", from);
	print_written (cli, files);
	return TU_EXIT_OK;
}

static const TuCommand report_changes = {
	.name = "changes",
	.args = "--since DATE -o FILE",
	.summary = "changes since a date; sheets: " TU_REPORT_CHANGES_SHEETS,
	.group = "report changes",
	.usage = "--since DATE -o FILE",
	.help = "Software installed, removed, upgraded and downgraded since a date, from the "
		"installation history; a host first scanned in the period is one baseline line. "
		"Sheets: " TU_REPORT_CHANGES_SHEETS ".",
	.options = changes_options,
	.options_size = sizeof (ChangesOpts),
	.max_args = -1,
	.check = check_changes,
	.needs = TU_NEEDS_STORE,
	.run = run_changes,
};

static const TuCommand *const report_commands[] = {
	&report_inventory,
	&report_compliance,
	&report_renewals,
	&report_patch,
	&report_changes,
	NULL,
};

const TuCommand tu_cmd_report = {
	.name = "report",
	.args = "inventory|compliance|renewals|patch|changes -o FILE",
	.summary = "write workbooks (xlsx) or CSV",
	.subs = report_commands,
};
