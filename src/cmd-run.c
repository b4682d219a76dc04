/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `trueup run --config FILE`: the scheduled pipeline (pipeline/tu-pipeline.c) with this
 * process's store and normaliser, the scan's per-host messages as `scan` prints them, and
 * Ctrl-C stopping the scan between hosts and the run between steps.
 */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-pipeline.h"

static TuDb *
get_db (gpointer data, GError **error)
{
	return tu_cli_get_db (data, error);
}

static TuNormaliser *
get_normaliser (gpointer data, GError **error)
{
	return tu_cli_get_normaliser (data, error);
}

int
tu_cmd_run (TuCli *cli, int argc, char **argv)
{
	g_autofree char *config_again = NULL;
	GOptionEntry entries[] = {
		{"config", 0, 0, G_OPTION_ARG_FILENAME, &config_again,
		 "the run's configuration (also accepted before the command)", "FILE"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "run", "--config FILE",
			   "The scheduled pipeline: scan the targets, import the licence files, "
			   "catalogue and advisories, re-normalise, reconcile, and write the "
			   "inventory, compliance, renewals, patch and changes workbooks with dated "
			   "names.",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (cli->config == NULL || !g_key_file_has_group (cli->config, "run")) {
		tu_cli_error ("run: the config (%s) has no [run] group: see examples/trueup.conf",
			      cli->config_path);
		return TU_EXIT_USAGE;
	}
	TuCliScanReport report;
	tu_cli_scan_report_init (&report, cli, NULL, NULL);
	g_autoptr(GCancellable) cancellable = g_cancellable_new ();
	TuPipelineOptions opts = {
		.config = cli->config,
		.config_path = cli->config_path,
		.quiet = cli->verbosity < 0,
		.rules_dir = cli->rules_dir,
		.get_db = get_db,
		.get_normaliser = get_normaliser,
		.data = cli,
		.scan_reporter = &report.reporter,
		.cancellable = cancellable,
	};
	guint n_failed = 0;
	tu_cli_set_cancellable (cancellable);
	gboolean ok = tu_pipeline_run (&opts, &n_failed, &error);
	tu_cli_set_cancellable (NULL);
	if (!ok)
		return tu_cli_fail (error);
	return n_failed > 0 ? TU_EXIT_ERROR : TU_EXIT_OK;
}
