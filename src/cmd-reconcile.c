/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup reconcile`: the effective licence position, per product or per installation. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-licence.h"
#include "tu-report-licence.h"

gboolean tu_cli_parse_at (const char *at, guint32 *out, GError **error);

gboolean
tu_cli_parse_at (const char *at, guint32 *out, GError **error)
{
	if (at == NULL || g_strcmp0 (at, "today") == 0) {
		*out = tu_date_today ();
		return TRUE;
	}
	g_autoptr(GError) local = NULL;
	if (!tu_date_parse (at, out, "--at", &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s", local->message);
		return FALSE;
	}
	return TRUE;
}

int
tu_cmd_reconcile (TuCli *cli, int argc, char **argv)
{
	g_autofree char *at = NULL;
	g_autofree char *print = NULL;
	gboolean installs = FALSE;
	GOptionEntry entries[] = {
		{"at", 0, 0, G_OPTION_ARG_STRING, &at,
		 "the position as of this date (installations present then, entitlements active "
		 "then; default today)",
		 "YYYY-MM-DD"},
		{"installs", 0, 0, G_OPTION_ARG_NONE, &installs,
		 "one row per licensable installation, with the entitlement that covers it or why "
		 "none does",
		 NULL},
		{"print", 0, 0, G_OPTION_ARG_STRING, &print,
		 "table (default on a terminal), tsv (default in a pipe) or json", "FORMAT"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "reconcile", "",
			   "The effective licence position: what is installed against what was "
			   "bought, with use rights, the least shortfall and its cost.",
			   entries, &argc, &argv, &error) ||
	    !tu_cli_check_print (print, &error))
		return tu_cli_fail (error);
	guint32 when = 0;
	if (!tu_cli_parse_at (at, &when, &error))
		return tu_cli_fail (error);
	TuDb *db = tu_cli_get_db (cli, &error);
	TuNormaliser *norm = db ? tu_cli_get_normaliser (cli, &error) : NULL;
	if (norm == NULL)
		return tu_cli_fail (error);
	double t0 = tu_now_seconds ();
	g_autoptr(TuLicenceInput) in = tu_licence_load (db, norm, when, &error);
	if (in == NULL)
		return tu_cli_fail (error);
	double t1 = tu_now_seconds ();
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (in);
	double t2 = tu_now_seconds ();
	for (guint i = 0; i < pos->warnings->len && cli->verbosity >= 0; i++)
		tu_cli_error ("reconcile: warning: %s", (const char *) g_ptr_array_index (pos->warnings, i));
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
	if (installs) {
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
