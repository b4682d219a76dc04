/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup reconcile`: the effective licence position, per product or per installation. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-licence.h"
#include "tu-report-licence.h"

typedef struct {
	char *at;
	char *print;
	gboolean installs;
	guint32 when; /* --at, checked */
} ReconcileOpts;

static const GOptionEntry reconcile_options[] = {
	{"at", 0, 0, G_OPTION_ARG_STRING, TU_OPT (ReconcileOpts, at),
	 "the position as of this date (installations present then, entitlements active "
	 "then; default today)",
	 "YYYY-MM-DD"},
	{"installs", 0, 0, G_OPTION_ARG_NONE, TU_OPT (ReconcileOpts, installs),
	 "one row per licensable installation, with the entitlement that covers it or why "
	 "none does",
	 NULL},
	{"print", 0, 0, G_OPTION_ARG_STRING, TU_OPT (ReconcileOpts, print),
	 "table (default on a terminal), tsv (default in a pipe) or json", "FORMAT"},
	{NULL},
};

static gboolean
check_reconcile (TuCli *cli, TuInvocation *inv, GError **error)
{
	ReconcileOpts *o = inv->opts;
	return tu_cli_parse_at (o->at, &o->when, error);
}

static int
run_reconcile (TuCli *cli, TuInvocation *inv)
{
	const ReconcileOpts *o = inv->opts;
	const char *print = o->print;
	TuDb *db = inv->db;
	TuNormaliser *norm = inv->norm;
	g_autoptr(GError) error = NULL;
	double t0 = tu_now_seconds ();
	g_autoptr(TuLicenceInput) in = tu_licence_load (db, norm, o->when, &error);
	if (in == NULL)
		return tu_cli_fail (error);
	double t1 = tu_now_seconds ();
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (in);
	double t2 = tu_now_seconds ();
	if (cli->verbosity >= 0)
		tu_cli_print_warnings ("reconcile: warning", pos->warnings);
	g_debug ("reconcile: loaded %u installations on %u hosts and %u entitlements in %.2f s, "
		 "computed in %.2f s",
		 in->installs->len, in->hosts->len, in->entitlements->len, t1 - t0, t2 - t1);
	if (pos->rows->len == 0) {
		if (in->hosts->len == 0)
			tu_cli_error ("reconcile: no host has been scanned yet (trueup scan)");
		else
			tu_cli_error ("reconcile: nothing licensable: none of the software on the %u "
				      "host(s) is licensable and no entitlement is imported (see trueup "
				      "normalise --stats)",
				      in->hosts->len);
	}
	if (o->installs) {
		g_autoptr(TuTable) t = tu_cli_new_table (print, tu_verdict_columns,
							 tu_verdict_n_columns, &error);
		if (t == NULL || !tu_report_write_verdicts (in, pos, t, TRUE, &error) ||
		    !tu_table_finish (t, &error))
			return tu_cli_fail (error);
	} else {
		g_autoptr(TuTable) t = tu_cli_new_table (print, tu_position_columns,
							 tu_position_n_columns, &error);
		if (t != NULL)
			tu_table_set_currency (t, tu_position_currency (in, pos));
		if (t == NULL || !tu_report_write_position (in, pos, t, TRUE, &error) ||
		    !tu_table_finish (t, &error))
			return tu_cli_fail (error);
	}
	return TU_EXIT_OK;
}

const TuCommand tu_cmd_reconcile = {
	.name = "reconcile",
	.args = "[--at DATE] [--installs] [--print table|tsv|json]",
	.summary = "the effective licence position: required, entitled, shortfall, cost",
	.group = "reconcile",
	.usage = "",
	.help = "The effective licence position: what is installed against what was bought, with "
		"use rights, the least shortfall and its cost.",
	.options = reconcile_options,
	.options_size = sizeof (ReconcileOpts),
	.max_args = -1,
	.check = check_reconcile,
	.needs = TU_NEEDS_STORE | TU_NEEDS_NORMALISER,
	.run = run_reconcile,
};
