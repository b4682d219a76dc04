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

typedef struct {
	char *config_again;
} RunOpts;

static const GOptionEntry run_options[] = {
	{"config", 0, 0, G_OPTION_ARG_FILENAME, TU_OPT (RunOpts, config_again),
	 "the run's configuration (also accepted before the command)", "FILE"},
	{NULL},
};

static gboolean
check_run (TuCli *cli, TuInvocation *inv, GError **error)
{
	if (cli->config == NULL || !g_key_file_has_group (cli->config, "run")) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "run: the config (%s) has no [run] group: see examples/trueup.conf",
			     cli->config_path);
		return FALSE;
	}
	return TRUE;
}

static int
run_run (TuCli *cli, TuInvocation *inv)
{
	g_autoptr(GError) error = NULL;
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

const TuCommand tu_cmd_run = {
	.name = "run",
	.args = "--config FILE",
	.summary = "the scheduled pipeline: scan, import, reconcile, report",
	.group = "run",
	.usage = "--config FILE",
	.help = "The scheduled pipeline: scan the targets, import the licence files, catalogue "
		"and advisories, re-normalise, reconcile, and write the inventory, compliance, "
		"renewals, patch and changes workbooks with dated names.",
	.options = run_options,
	.options_size = sizeof (RunOpts),
	.max_args = -1,
	.check = check_run,
	.run = run_run,
};
