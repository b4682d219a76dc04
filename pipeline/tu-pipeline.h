/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scheduled pipeline (`trueup run`): scan the configured targets, import the licence files,
 * catalogue and advisories, re-normalise, reconcile, and write the inventory, compliance,
 * renewals, patch and changes workbooks into an output directory with dated names, keeping the
 * last N of each.
 * A lock in the output directory keeps two runs from overlapping. Each step logs one line with
 * its counts and time (on stderr unless quiet, and in the [run] log file); a failed step is
 * logged and the others still run. A cancel stops the run between steps.
 *
 * The configuration is the [run] group of a GKeyFile; its paths are relative to the config
 * file's directory. The store and the normaliser come from the caller, opened when a step
 * first needs them, so that a front end keeps one of each per process.
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "tu-db.h"
#include "tu-ingest.h"
#include "tu-normaliser.h"

G_BEGIN_DECLS

typedef struct {
	GKeyFile *config;	 /* with a [run] group (transfer none) */
	const char *config_path; /* the file @config was read from */
	gboolean quiet;		 /* log to the log file only */
	const char *rules_dir;	 /* (nullable) the user's extra fingerprint rules */
	/* the store (migrated) and the normaliser, (transfer none), NULL with an error */
	TuDb *(*get_db) (gpointer data, GError **error);
	TuNormaliser *(*get_normaliser) (gpointer data, GError **error);
	gpointer data;
	const TuIngestReporter *scan_reporter; /* (nullable) what the scan says about each host */
	GCancellable *cancellable;	       /* (nullable) stops the scan between hosts and the
						  run between steps */
} TuPipelineOptions;

/* Run every step. @n_failed: the steps that failed (a glob that matches no file is one, unless
 * its key is listed in [run] allow-empty). FALSE with @error when the run could not start: no
 * output-dir (TU_ERROR_USAGE), the output directory cannot be made, another run holds its
 * lock, or the log cannot be opened. */
gboolean tu_pipeline_run (const TuPipelineOptions *options, guint *n_failed, GError **error);

G_END_DECLS
