/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front end's shared state and helpers: global options, the config file (GKeyFile), the
 * lazily opened store and normaliser, option parsing per command with config defaults, and the
 * one-line error style ("trueup: CONTEXT: MESSAGE"). No business logic lives in src/.
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <stdio.h>

#include "tu-db.h"
#include "tu-ingest.h"
#include "tu-normaliser.h"
#include "tu-table.h"

G_BEGIN_DECLS

/* exit statuses */
#define TU_EXIT_OK 0
#define TU_EXIT_ERROR 1
#define TU_EXIT_USAGE 2

typedef struct {
	/* global options */
	char *db_url;
	char *data_dir;
	char *config_path;
	gboolean config_explicit;
	char *rules_dir;
	int verbosity; /* -1 quiet, 0 normal, 1 verbose, 2 debug */
	GKeyFile *config;
	/* opened on demand */
	TuDb *db;
	TuNormaliser *norm;
	char *program_dir;
} TuCli;

typedef int (*TuCommandFunc) (TuCli *cli, int argc, char **argv);

typedef struct {
	const char *name;
	const char *alias;
	const char *args;    /* usage after the command name */
	const char *summary; /* one line for `trueup --help` */
	TuCommandFunc run;
} TuCommand;

/* Print "trueup: MESSAGE" to stderr. */
void tu_cli_error (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Print @error as one line and return the exit status it deserves (2 for usage errors). A
 * closed pipe (`trueup patch | head`) is not an error: nothing is printed and the status is 0. */
int tu_cli_fail (GError *error);
/* Progress and information for humans, on stderr, unless -q. */
void tu_cli_info (TuCli *cli, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* Is stderr a terminal and not -q? (progress lines) */
gboolean tu_cli_show_progress (TuCli *cli);

/* Parse a command's options: config defaults from group @group (the long option names as
 * keys), then argv. Returns FALSE with a usage error. Handles --help (prints and exits 0). On
 * success argv holds the positional arguments (argv[0] is the command). */
gboolean tu_cli_parse (TuCli *cli, const char *group, const char *usage, const char *summary,
		       GOptionEntry *entries, int *argc, char ***argv, GError **error);

/* The store, opened (and migrated when it is a fresh embedded one, or when @migrate). The
 * schema must be current: commands never run on a partly migrated store. (transfer none) */
TuDb *tu_cli_get_db (TuCli *cli, GError **error);
/* The store as is, without checking or applying migrations (for `db status`/`db migrate`). */
TuDb *tu_cli_get_db_raw (TuCli *cli, GError **error);
/* The normaliser with the shipped and the user's rules. (transfer none) */
TuNormaliser *tu_cli_get_normaliser (TuCli *cli, GError **error);

/* A config value of [trueup] (or NULL), e.g. for output directories. (transfer full) */
char *tu_cli_config_string (TuCli *cli, const char *group, const char *key);

/* Check "--print FORMAT": NULL (not given) or one of table/tsv/json. */
gboolean tu_cli_check_print (const char *print, GError **error);
/* A table on stdout for "--print FORMAT": NULL is "table" on a terminal and "tsv" in a pipe;
 * a table is coloured on a terminal unless NO_COLOR is set or TERM is dumb. (transfer full) */
TuTable *tu_cli_new_table (const char *print, const TuColumn *columns, guint n_columns,
			   GError **error);
/* The closest of @names to @word when it is close enough to be a typo, else NULL.
 * (transfer none) */
const char *tu_cli_suggest (const char *word, const char *const *names, guint n_names);

/* Signals: SIGINT, SIGTERM and SIGHUP are blocked in every thread (the embedded server's
 * threads included) and handled by one thread. With a cancellable registered (a scan or a run
 * in progress) the first signal cancels it, so the work stops cleanly between hosts; otherwise,
 * or on a second signal, the process ends as the signal would have ended it. Call first thing
 * in main, before any thread exists. */
void tu_cli_signals_init (void);
void tu_cli_set_cancellable (GCancellable *cancellable);

/* What a scan says about each host (warnings, failures, progress on a terminal, -v's counts,
 * the closing line): the ingest's reporter, shared by `scan` and `run`'s scan step. */
typedef struct {
	TuCli *cli;
	TuTable *table;	    /* (nullable) --print: the records go here instead of the store */
	TuNormaliser *norm; /* for --print */
	gboolean progress;
	gboolean finished;  /* the closing line was printed */
	gboolean failed;    /* an error stopped the scan or the output */
	TuIngestReporter reporter;
} TuCliScanReport;

void tu_cli_scan_report_init (TuCliScanReport *report, TuCli *cli, TuTable *table,
			      TuNormaliser *norm);

/* Commands, one file each in src/ */
int tu_cmd_db (TuCli *cli, int argc, char **argv);
int tu_cmd_inventory (TuCli *cli, int argc, char **argv);
int tu_cmd_hosts (TuCli *cli, int argc, char **argv);
int tu_cmd_report (TuCli *cli, int argc, char **argv);
int tu_cmd_scan (TuCli *cli, int argc, char **argv);
int tu_cmd_normalise (TuCli *cli, int argc, char **argv);
int tu_cmd_version (TuCli *cli, int argc, char **argv);
int tu_cmd_import (TuCli *cli, int argc, char **argv);
int tu_cmd_reconcile (TuCli *cli, int argc, char **argv);
int tu_cmd_patch (TuCli *cli, int argc, char **argv);
int tu_cmd_catalog (TuCli *cli, int argc, char **argv);
int tu_cmd_run (TuCli *cli, int argc, char **argv);

/* Sub-command dispatch for db/import/report: find argv[1] in @table and run it with argv
 * shifted, or print the table and return a usage error. */
int tu_cli_dispatch (TuCli *cli, const char *parent, const TuCommand *table, guint n_table,
		     int argc, char **argv);

/* The normalised columns of a printed record, in the order scan --print and normalise --batch
 * share: publisher, product, edition, release, version, scheme, kind, licensable. */
void tu_cli_add_product_cells (TuTable *t, const TuProduct *p);

G_END_DECLS
