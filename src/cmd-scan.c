/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `trueup scan`: the targets from the options, scanned and stored by the ingest pool
 * (pipeline/tu-ingest.c), or printed with --print. This file says what happens to each host
 * (warnings, failures, progress, the closing line); `run`'s scan step says it the same way.
 * SIGINT/SIGTERM stop the scan between hosts: what was stored stays.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-ingest.h"
#include "tu-scan.h"
#include "tu-table.h"

static const TuColumn print_columns[] = {
	{"host", TU_COL_TEXT, 0},
	{"source", TU_COL_TEXT, 0},
	{"raw_name", TU_COL_TEXT, 0},
	{"raw_version", TU_COL_TEXT, 0},
	{"raw_publisher", TU_COL_TEXT, 0},
	{"arch", TU_COL_TEXT, 0},
	{"publisher", TU_COL_TEXT, 0},
	{"product", TU_COL_TEXT, 0},
	{"edition", TU_COL_TEXT, 0},
	{"release", TU_COL_TEXT, 0},
	{"version", TU_COL_TEXT, 0},
	{"scheme", TU_COL_TEXT, 0},
	{"kind", TU_COL_TEXT, 0},
	{"licensable", TU_COL_TEXT, 0},
	{"state", TU_COL_TEXT, 0},
	{"source_package", TU_COL_TEXT, 0},
	{"location", TU_COL_TEXT, 0},
	{"class", TU_COL_TEXT, 0},
	{"upstream_version", TU_COL_TEXT, 0},
};

static gboolean
print_scan (TuTable *t, TuNormaliser *norm, const TuHostScan *scan, GError **error)
{
	const char *host = scan->facts.hostname ? scan->facts.hostname : scan->target;
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		const TuProduct *p = tu_normaliser_apply (norm, r);
		tu_table_add_str (t, host);
		tu_table_add_str (t, tu_source_to_string (r->source));
		tu_table_add_str (t, r->raw_name);
		tu_table_add_str (t, r->raw_version);
		tu_table_add_str (t, r->raw_publisher);
		tu_table_add_str (t, r->arch);
		tu_cli_add_product_cells (t, p);
		tu_table_add_str (t, r->state ? r->state : "installed");
		tu_table_add_str (t, r->source_package);
		tu_table_add_str (t, r->location);
		tu_table_add_str (t, tu_class_to_string (p->klass));
		tu_table_add_str (t, p->upstream_version);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
parse_as_of (const char *s, gint64 *out_us, GError **error)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
	g_autofree char *iso = NULL;
	if (strlen (s) == 10)
		iso = g_strdup_printf ("%sT00:00:00Z", s);
	else
		iso = g_strdup (s);
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, utc);
	if (dt == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "scan: --as-of %s: not an ISO 8601 date or date-time", s);
		return FALSE;
	}
	*out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
	return TRUE;
}

typedef struct {
	gboolean local, no_binaries, accept_new;
	char **roots, **ssh, **imports;
	char *hosts_file;
	char *print;
	char *as_of;
	char *ssh_options;
	gint jobs, timeout, writers;
	/* made by check_scan */
	gint64 as_of_us;
	GPtrArray *targets;
} ScanOpts;

static const GOptionEntry scan_options[] = {
	{"local", 0, 0, G_OPTION_ARG_NONE, TU_OPT (ScanOpts, local), "scan this machine", NULL},
	{"root", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, TU_OPT (ScanOpts, roots),
	 "scan a mounted disk image or container root as one host (repeatable)", "DIR"},
	{"ssh", 0, 0, G_OPTION_ARG_STRING_ARRAY, TU_OPT (ScanOpts, ssh),
	 "scan a remote host over ssh (repeatable)", "[USER@]HOST[:PORT]"},
	{"hosts", 0, 0, G_OPTION_ARG_FILENAME, TU_OPT (ScanOpts, hosts_file),
	 "targets one a line: ssh://user@host:port, root:/path, local, import:FILE", "FILE"},
	{"import", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, TU_OPT (ScanOpts, imports),
	 "an export: Windows .reg/JSON/CSV, macOS, GLPI, osquery, CycloneDX, SPDX, CSV "
	 "(repeatable)",
	 "FILE"},
	{"jobs", 'j', 0, G_OPTION_ARG_INT, TU_OPT (ScanOpts, jobs), "targets scanned at a time (2)",
	 "N"},
	{"writers", 'w', 0, G_OPTION_ARG_INT, TU_OPT (ScanOpts, writers),
	 "database connections storing hosts at a time (2)", "N"},
	{"timeout", 0, 0, G_OPTION_ARG_INT, TU_OPT (ScanOpts, timeout),
	 "seconds per remote host (600; 0: none)", "S"},
	{"print", 0, 0, G_OPTION_ARG_STRING, TU_OPT (ScanOpts, print),
	 "print the records (tsv or json) instead of storing them", "FORMAT"},
	{"as-of", 0, 0, G_OPTION_ARG_STRING, TU_OPT (ScanOpts, as_of),
	 "record the scan as taken at this UTC date-time (for historical exports)", "TIME"},
	{"no-binaries", 0, 0, G_OPTION_ARG_NONE, TU_OPT (ScanOpts, no_binaries),
	 "skip binary fingerprints (faster)", NULL},
	{"ssh-accept-new", 0, 0, G_OPTION_ARG_NONE, TU_OPT (ScanOpts, accept_new),
	 "accept and remember unknown ssh host keys (default: refuse them)", NULL},
	{"ssh-options", 0, 0, G_OPTION_ARG_STRING, TU_OPT (ScanOpts, ssh_options),
	 "extra ssh options, e.g. \"-i KEY -o UserKnownHostsFile=F\"", "OPTS"},
	{NULL},
};

static void
init_scan (gpointer opts)
{
	ScanOpts *o = opts;
	o->jobs = 2;
	o->writers = -1; /* not given: the store's default */
	o->timeout = 600;
}

static void
clear_scan (gpointer opts)
{
	ScanOpts *o = opts;
	g_clear_pointer (&o->targets, g_ptr_array_unref);
}

/* The options' sense and the list of targets, before the normaliser is loaded. */
static gboolean
check_scan (TuCli *cli, TuInvocation *inv, GError **error)
{
	ScanOpts *o = inv->opts;
	if (o->jobs < 1 || o->jobs > 256) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "scan: --jobs must be between 1 and 256");
		return FALSE;
	}
	if (o->writers != -1 && (o->writers < 1 || o->writers > TU_INGEST_MAX_WRITERS)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "scan: --writers must be between 1 and %d", TU_INGEST_MAX_WRITERS);
		return FALSE;
	}
	if (o->timeout < 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "scan: --timeout must not be negative");
		return FALSE;
	}
	if (o->as_of != NULL && !parse_as_of (o->as_of, &o->as_of_us, error))
		return FALSE;

	GPtrArray *targets = o->targets = g_ptr_array_new_with_free_func (g_free);
	if (o->local)
		g_ptr_array_add (targets, g_strdup ("local"));
	for (guint i = 0; o->roots != NULL && o->roots[i] != NULL; i++)
		g_ptr_array_add (targets, g_strdup_printf ("root:%s", o->roots[i]));
	for (guint i = 0; o->ssh != NULL && o->ssh[i] != NULL; i++)
		g_ptr_array_add (targets, g_str_has_prefix (o->ssh[i], "ssh://")
						  ? g_strdup (o->ssh[i])
						  : g_strdup_printf ("ssh://%s", o->ssh[i]));
	for (guint i = 0; o->imports != NULL && o->imports[i] != NULL; i++)
		g_ptr_array_add (targets, g_strdup_printf ("import:%s", o->imports[i]));
	if (o->hosts_file != NULL) {
		g_autoptr(GPtrArray) more = tu_scan_parse_targets (o->hosts_file, error);
		if (more == NULL)
			return FALSE;
		for (guint i = 0; i < more->len; i++)
			g_ptr_array_add (targets, g_strdup (g_ptr_array_index (more, i)));
	}
	if (targets->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "scan: nothing to scan: give --local, --root DIR, --ssh HOST, --hosts "
			     "FILE or --import FILE");
		return FALSE;
	}
	return TRUE;
}

static int scan_targets (TuCli *cli, TuIngestRequest *req, TuNormaliser *norm, const char *print,
			 gint64 as_of_us);

static int
run_scan (TuCli *cli, TuInvocation *inv)
{
	const ScanOpts *o = inv->opts;
	TuIngestRequest req = {
		.targets = o->targets,
		.jobs = (guint) o->jobs,
		.writers = o->writers < 0 ? 0 : (guint) o->writers,
		.timeout = (guint) o->timeout,
		.no_binaries = o->no_binaries,
		.ssh_accept_new = o->accept_new,
		.ssh_options = o->ssh_options,
	};
	return scan_targets (cli, &req, inv->norm, o->print, o->as_of_us);
}

/* The store is opened unless --print: the records are printed instead. */
const TuCommand tu_cmd_scan = {
	.name = "scan",
	.args = "[--local | --root DIR | --ssh HOST | --hosts FILE | --import FILE]...",
	.summary = "scan hosts, disk images, remote machines or exports for installed software",
	.group = "scan",
	.usage = "",
	.help = "Find installed software and host facts, and store them (one transaction per "
		"host).",
	.options = scan_options,
	.options_size = sizeof (ScanOpts),
	.init = init_scan,
	.clear = clear_scan,
	.max_args = 0,
	.too_many = "scan: unexpected argument '{}' (targets are given with --local, --root, "
		    "--ssh, --hosts or --import)",
	.check = check_scan,
	.needs = TU_NEEDS_NORMALISER,
	.run = run_scan,
};

/* What a scan says about each host, shared by `scan` and `run`'s scan step: warnings, failures,
 * the progress line on a terminal, -v's per-host counts, and the closing line. */
static gboolean
report_host (const TuHostScan *scan, const TuStoreStats *st, const GError *store_error,
	     gpointer data, GError **error)
{
	TuCliScanReport *r = data;
	TuCli *cli = r->cli;
	const char *name = scan->facts.hostname ? scan->facts.hostname : scan->target;
	if (r->progress)
		fprintf (tu_terminal (), "\r\033[K");
	if (cli->verbosity >= 0) {
		g_autofree char *prefix = g_strdup_printf ("%s: warning", name);
		tu_cli_print_warnings (prefix, scan->warnings);
	}
	if (scan->error != NULL)
		tu_cli_error ("%s: scan failed: %s", scan->target, scan->error->message);
	if (r->table != NULL)
		return scan->error != NULL || print_scan (r->table, r->norm, scan, error);
	if (store_error != NULL) {
		tu_cli_error ("%s: %s", name, store_error->message);
		return TRUE;
	}
	if (cli->verbosity > 0 && scan->error == NULL && st != NULL)
		tu_cli_info (cli, "%s: %u records: %u added, %u updated, %u removed", name,
			     st->n_records, st->n_added, st->n_updated, st->n_removed);
	return TRUE;
}

static void
report_progress (const TuIngestSummary *sum, gpointer data)
{
	TuCliScanReport *r = data;
	if (r->progress)
		fprintf (tu_terminal (), "\rscanning: %u/%u targets done, %u failed", sum->n_done,
			 sum->n_targets, sum->n_failed);
}

static void
report_finished (const TuIngestSummary *sum, const GError *error, double seconds, gpointer data)
{
	TuCliScanReport *r = data;
	TuCli *cli = r->cli;
	g_autoptr(GError) finish_error = NULL;
	r->finished = TRUE;
	if (r->progress)
		fprintf (tu_terminal (), "\r\033[K");
	/* the records printed before the closing line */
	if (r->table != NULL && error == NULL && !tu_table_finish (r->table, &finish_error))
		error = finish_error;
	TuDb *db = r->table == NULL ? cli->db : NULL;
	gboolean stopped = g_error_matches (error, TU_ERROR, TU_ERROR_DB_UNREACHABLE) ||
			   g_error_matches (error, TU_ERROR, TU_ERROR_DISK_FULL);
	/* the servers gone: the store's own error, without the host that happened to be in
	 * flight, is the run's one message; it carries the summary */
	const GError *unreachable = db != NULL ? tu_db_unreachable (db) : NULL;
	if (stopped)
		tu_cli_error ("scan: stopped: %s; %u host%s stored before that, %u scanned but not "
			      "stored, %u of %u targets not scanned",
			      unreachable != NULL ? unreachable->message : error->message,
			      sum->n_stored, sum->n_stored == 1 ? "" : "s", sum->n_not_stored,
			      sum->n_targets - sum->n_done, sum->n_targets);
	else if (error != NULL)
		tu_cli_error ("%s", error->message);
	if (error != NULL)
		r->failed = TRUE;
	if (sum->cancelled)
		tu_cli_error ("scan: interrupted: %u of %u targets done%s; hosts stored so far are kept",
			      sum->n_done, sum->n_targets,
			      sum->n_not_stored > 0 ? ", the rest of an import file's hosts not stored"
						    : "");
	if (sum->n_refused > 0)
		tu_cli_error ("scan: %u host scan%s that cannot be placed in the history not "
			      "stored (see above)",
			      sum->n_refused, sum->n_refused == 1 ? "" : "s");
	if (sum->n_history > 0 && cli->verbosity >= 0)
		tu_cli_info (cli,
			     "%u host scan%s observed before the host's newest stored scan placed "
			     "in its history; the current state is the newest scan's",
			     sum->n_history, sum->n_history == 1 ? "" : "s");
	if (cli->verbosity >= 0 && r->table == NULL && !stopped)
		tu_cli_info (cli,
			     "scanned %u host%s, %u failed; installations: %" G_GUINT64_FORMAT
			     " added, %" G_GUINT64_FORMAT " updated, %" G_GUINT64_FORMAT
			     " removed (%.1f s)",
			     sum->n_hosts_ok, sum->n_hosts_ok == 1 ? "" : "s", sum->n_failed,
			     sum->n_added, sum->n_updated, sum->n_removed, seconds);
	else if (cli->verbosity >= 0 && r->table != NULL)
		tu_cli_info (cli, "scanned %u host%s, %u failed; %" G_GUINT64_FORMAT " records printed",
			     sum->n_hosts_ok, sum->n_hosts_ok == 1 ? "" : "s", sum->n_failed,
			     sum->n_records);
	/* the store's connection and those of its other writers, together */
	guint n_lost = (db != NULL ? tu_db_n_reconnects (db) : 0) + sum->n_lane_reconnects;
	gboolean own = db != NULL && tu_db_n_reconnects (db) > 0;
	const char *now = own ? tu_db_location (db) : sum->lane_location;
	if (n_lost > 0 && cli->verbosity >= 0)
		tu_cli_info (cli, "the database connection was lost and made again %u time%s (now %s)",
			     n_lost, n_lost == 1 ? "" : "s", now);
}

void
tu_cli_scan_report_init (TuCliScanReport *r, TuCli *cli, TuTable *table, TuNormaliser *norm)
{
	*r = (TuCliScanReport){
		.cli = cli,
		.table = table,
		.norm = norm,
		.progress = tu_cli_show_progress (cli),
		.reporter = {report_host, report_progress, report_finished, r},
	};
}

static int
scan_targets (TuCli *cli, TuIngestRequest *req, TuNormaliser *norm, const char *print,
	      gint64 as_of_us)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuStore) store = NULL;
	if (print == NULL) {
		TuDb *db = tu_cli_get_db (cli, &error);
		if (db == NULL)
			return tu_cli_fail (error);
		store = tu_store_new (db, norm);
		if (as_of_us != 0)
			tu_store_set_time (store, as_of_us);
	}
	g_autoptr(TuTable) table = print ? tu_table_new_for_format (print, stdout, print_columns,
								    G_N_ELEMENTS (print_columns), NULL)
					 : NULL;
	/* Ctrl-C stops the scan between hosts (see tu_cli_signals_init) */
	g_autoptr(GCancellable) cancellable = g_cancellable_new ();
	tu_cli_set_cancellable (cancellable);
	req->cancellable = cancellable;
	req->rules_dir = cli->rules_dir;
	TuCliScanReport report;
	tu_cli_scan_report_init (&report, cli, table, norm);
	TuIngestSummary sum;
	gboolean ok = tu_ingest_targets (req, store, &report.reporter, &sum, &error);
	tu_cli_set_cancellable (NULL);
	if (!ok && !report.finished)
		return tu_cli_fail (error);
	return report.failed || sum.n_failed > 0 || sum.cancelled ? TU_EXIT_ERROR : TU_EXIT_OK;
}
