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
#define TU_EXIT_OK    0
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

/* What a command needs opened before its body runs. The driver opens them after the options,
 * the arguments and the command's own checks passed, in this order: the store, then the
 * normaliser. Needs that depend on an option (scan's store unless --print, normalise's store
 * for --apply and --stats) are opened by the body with tu_cli_get_db (). */
typedef enum {
	TU_NEEDS_NOTHING = 0,
	TU_NEEDS_STORE = 1 << 0,       /* the store for work: migrated, interrupted scans marked */
	TU_NEEDS_STORE_AS_IS = 1 << 1, /* the store without checking or applying migrations */
	TU_NEEDS_NORMALISER = 1 << 2,  /* the shipped and the user's rules */
} TuNeeds;

typedef struct _TuCommand TuCommand;

/* What a command's body and its check receive. */
typedef struct {
	const TuCommand *cmd;
	gpointer opts; /* the command's options struct: config defaults, then argv */
	int argc;      /* the positional arguments; argv[0] is the command's name */
	char **argv;
	TuDb *db;	    /* (nullable) with TU_NEEDS_STORE or TU_NEEDS_STORE_AS_IS */
	TuNormaliser *norm; /* (nullable) with TU_NEEDS_NORMALISER */
} TuInvocation;

typedef int (*TuCommandFunc) (TuCli *cli, TuInvocation *inv);
/* A usage error (TU_ERROR_USAGE) for options that parse but do not make sense together. */
typedef gboolean (*TuCommandCheck) (TuCli *cli, TuInvocation *inv, GError **error);

/* The arg_data of a command's option: where in its options struct the value goes. */
#define TU_OPT(type, field) GSIZE_TO_POINTER (G_STRUCT_OFFSET (type, field))

/*
 * One entry of the command table, as tmux's cmd_entry: the command declares its options,
 * its positional arguments and what it needs, and tu_cli_run_command () does the preamble
 * every command shared (config defaults and argv, --help, --print's check, the argument count,
 * the command's checks, opening the store and the normaliser) before calling the body with
 * the results. A command with sub-commands (db, import, report, version) has @subs instead.
 */
struct _TuCommand {
	const char *name;
	const char *alias;
	const char *args;	      /* usage after the command's name, in the list of commands */
	const char *summary;	      /* one line in the list of commands */
	const TuCommand *const *subs; /* NULL-terminated, or NULL for a command that runs */

	const char *group; /* config group, and the name in messages: "import kev" */
	const char *usage; /* --help's parameter string */
	const char *help;  /* --help's summary */
	/* NULL-terminated; each arg_data is TU_OPT (the options struct, its field). An option
	 * named "print" is checked as --print's formats. */
	const GOptionEntry *options;
	gsize options_size;
	void (*init) (gpointer opts);  /* (nullable) defaults before the config and argv */
	void (*clear) (gpointer opts); /* (nullable) frees what @check added; options are freed */
	gint min_args;		       /* positional arguments */
	gint max_args;		       /* -1: any number */
	const char *too_few;	       /* the usage error for fewer arguments */
	const char *too_many;	       /* ... for more; "{}" is the first one too many */
	TuCommandCheck check;	       /* (nullable) */
	TuNeeds needs;
	TuCommandFunc run;
	gconstpointer data; /* (nullable) for a body shared by several commands */
};

/* Run @cmd with @argv (argv[0] is its name): a sub-command's table, or the preamble and the
 * body. Returns the exit status. */
int tu_cli_run_command (TuCli *cli, const TuCommand *cmd, int argc, char **argv);

/* Print "trueup: MESSAGE" to stderr. */
void tu_cli_error (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Print @error as one line and return the exit status it deserves (2 for usage errors). A
 * closed pipe (`trueup patch | head`) is not an error: nothing is printed and the status is 0. */
int tu_cli_fail (GError *error);
/* Warnings, one line each, the one way: "trueup: PREFIX: TEXT" (PREFIX may be NULL). The
 * caller decides whether -q hides them. */
void tu_cli_print_warnings (const char *prefix, const TuWarnings *warnings);
/* Progress and information for humans, on stderr, unless -q. */
void tu_cli_info (TuCli *cli, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* Is stderr a terminal and not -q? (progress lines) */
gboolean tu_cli_show_progress (TuCli *cli);

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
	gboolean finished; /* the closing line was printed */
	gboolean failed;   /* an error stopped the scan or the output */
	TuIngestReporter reporter;
} TuCliScanReport;

void tu_cli_scan_report_init (TuCliScanReport *report, TuCli *cli, TuTable *table,
			      TuNormaliser *norm);

/* The commands, one file each in src/; main.c's table lists them. */
extern const TuCommand tu_cmd_scan;
extern const TuCommand tu_cmd_inventory;
extern const TuCommand tu_cmd_hosts;
extern const TuCommand tu_cmd_normalise;
extern const TuCommand tu_cmd_version;
extern const TuCommand tu_cmd_import;
extern const TuCommand tu_cmd_reconcile;
extern const TuCommand tu_cmd_patch;
extern const TuCommand tu_cmd_catalog;
extern const TuCommand tu_cmd_report;
extern const TuCommand tu_cmd_run;
extern const TuCommand tu_cmd_db;

/* --at and --since: "today" or a date, as a Julian day; a usage error otherwise. */
gboolean tu_cli_parse_at (const char *at, guint32 *out, GError **error);

/* The normalised columns of a printed record, in the order scan --print and normalise --batch
 * share: publisher, product, edition, release, version, scheme, kind, licensable. */
void tu_cli_add_product_cells (TuTable *t, const TuProduct *p);

G_END_DECLS
