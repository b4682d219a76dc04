/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `trueup scan`: targets are scanned --jobs at a time by worker threads; the main thread
 * normalises and stores each host's result as it arrives (one transaction per host), or
 * prints the records with --print. At most 2 x jobs results wait in memory. SIGINT/SIGTERM
 * stop the scan between hosts: what was stored stays, the host in flight is not stored.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-scan.h"
#include "tu-store.h"
#include "tu-table.h"

typedef struct {
	GAsyncQueue *results; /* GPtrArray* of TuHostScan* */
	const TuScanOptions *options;
} Pool;

static void
worker (gpointer data, gpointer user_data)
{
	char *target = data;
	Pool *pool = user_data;
	GPtrArray *scans = tu_scan_target (target, pool->options);
	g_async_queue_push (pool->results, scans);
	g_free (target);
}

static const TuColumn print_columns[] = {
	{"host", TU_COL_TEXT, 0},	  {"source", TU_COL_TEXT, 0},	  {"raw_name", TU_COL_TEXT, 0},
	{"raw_version", TU_COL_TEXT, 0},  {"raw_publisher", TU_COL_TEXT, 0}, {"arch", TU_COL_TEXT, 0},
	{"publisher", TU_COL_TEXT, 0},	  {"product", TU_COL_TEXT, 0},	  {"edition", TU_COL_TEXT, 0},
	{"release", TU_COL_TEXT, 0},	  {"version", TU_COL_TEXT, 0},	  {"scheme", TU_COL_TEXT, 0},
	{"kind", TU_COL_TEXT, 0},	  {"licensable", TU_COL_TEXT, 0},  {"state", TU_COL_TEXT, 0},
	{"source_package", TU_COL_TEXT, 0}, {"location", TU_COL_TEXT, 0},
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

int
tu_cmd_scan (TuCli *cli, int argc, char **argv)
{
	gboolean local = FALSE, no_binaries = FALSE, accept_new = FALSE;
	g_auto(GStrv) roots = NULL, ssh = NULL, imports = NULL;
	g_autofree char *hosts_file = NULL;
	g_autofree char *print = NULL;
	g_autofree char *as_of = NULL;
	g_autofree char *ssh_options = NULL;
	gint jobs = 2, timeout = 600;
	GOptionEntry entries[] = {
		{"local", 0, 0, G_OPTION_ARG_NONE, &local, "scan this machine", NULL},
		{"root", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &roots,
		 "scan a mounted disk image or container root as one host (repeatable)", "DIR"},
		{"ssh", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ssh,
		 "scan a remote host over ssh (repeatable)", "[USER@]HOST[:PORT]"},
		{"hosts", 0, 0, G_OPTION_ARG_FILENAME, &hosts_file,
		 "targets one a line: ssh://user@host:port, root:/path, local, import:FILE", "FILE"},
		{"import", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &imports,
		 "an export: Windows .reg/JSON/CSV, macOS, GLPI, osquery, CycloneDX, SPDX, CSV "
		 "(repeatable)",
		 "FILE"},
		{"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "targets scanned at a time (2)", "N"},
		{"timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "seconds per remote host (600; 0: none)",
		 "S"},
		{"print", 0, 0, G_OPTION_ARG_STRING, &print,
		 "print the records (tsv or json) instead of storing them", "FORMAT"},
		{"as-of", 0, 0, G_OPTION_ARG_STRING, &as_of,
		 "record the scan as taken at this UTC date-time (for historical exports)", "TIME"},
		{"no-binaries", 0, 0, G_OPTION_ARG_NONE, &no_binaries,
		 "skip binary fingerprints (faster)", NULL},
		{"ssh-accept-new", 0, 0, G_OPTION_ARG_NONE, &accept_new,
		 "accept and remember unknown ssh host keys (default: refuse them)", NULL},
		{"ssh-options", 0, 0, G_OPTION_ARG_STRING, &ssh_options,
		 "extra ssh options, e.g. \"-i KEY -o UserKnownHostsFile=F\"", "OPTS"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "scan", "",
			   "Find installed software and host facts, and store them (one transaction "
			   "per host).",
			   entries, &argc, &argv, &error) ||
	    !tu_cli_check_print (print, &error))
		return tu_cli_fail (error);
	if (argc > 1) {
		tu_cli_error ("scan: unexpected argument '%s' (targets are given with --local, --root, "
			      "--ssh, --hosts or --import)",
			      argv[1]);
		return TU_EXIT_USAGE;
	}
	if (jobs < 1 || jobs > 256) {
		tu_cli_error ("scan: --jobs must be between 1 and 256");
		return TU_EXIT_USAGE;
	}
	if (timeout < 0) {
		tu_cli_error ("scan: --timeout must not be negative");
		return TU_EXIT_USAGE;
	}
	gint64 as_of_us = 0;
	if (as_of != NULL && !parse_as_of (as_of, &as_of_us, &error))
		return tu_cli_fail (error);

	g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
	if (local)
		g_ptr_array_add (targets, g_strdup ("local"));
	for (guint i = 0; roots != NULL && roots[i] != NULL; i++)
		g_ptr_array_add (targets, g_strdup_printf ("root:%s", roots[i]));
	for (guint i = 0; ssh != NULL && ssh[i] != NULL; i++)
		g_ptr_array_add (targets, g_str_has_prefix (ssh[i], "ssh://")
						  ? g_strdup (ssh[i])
						  : g_strdup_printf ("ssh://%s", ssh[i]));
	for (guint i = 0; imports != NULL && imports[i] != NULL; i++)
		g_ptr_array_add (targets, g_strdup_printf ("import:%s", imports[i]));
	if (hosts_file != NULL) {
		g_autoptr(GPtrArray) more = tu_scan_parse_targets (hosts_file, &error);
		if (more == NULL)
			return tu_cli_fail (error);
		for (guint i = 0; i < more->len; i++)
			g_ptr_array_add (targets, g_strdup (g_ptr_array_index (more, i)));
	}
	if (targets->len == 0) {
		tu_cli_error ("scan: nothing to scan: give --local, --root DIR, --ssh HOST, --hosts FILE "
			      "or --import FILE");
		return TU_EXIT_USAGE;
	}

	TuScanRequest req = {
		.targets = targets,
		.jobs = jobs,
		.timeout = timeout,
		.print = print,
		.as_of_us = as_of_us,
		.no_binaries = no_binaries,
		.ssh_accept_new = accept_new,
		.ssh_options = ssh_options,
	};
	TuScanSummary sum;
	return tu_cli_scan_targets (cli, &req, &sum);
}

int
tu_cli_scan_targets (TuCli *cli, const TuScanRequest *req, TuScanSummary *summary)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *targets = req->targets;
	const char *print = req->print;
	gint jobs = req->jobs;
	memset (summary, 0, sizeof *summary);
	TuNormaliser *norm = tu_cli_get_normaliser (cli, &error);
	if (norm == NULL)
		return tu_cli_fail (error);
	g_autoptr(TuStore) store = NULL;
	TuDb *db = NULL;
	if (print == NULL) {
		db = tu_cli_get_db (cli, &error);
		if (db == NULL)
			return tu_cli_fail (error);
		store = tu_store_new (db, norm);
		if (req->as_of_us != 0)
			tu_store_set_time (store, req->as_of_us);
	}
	TuBinaryRules *binary_rules = req->no_binaries ? NULL : tu_scan_load_binary_rules (cli->rules_dir, &error);
	if (error != NULL)
		return tu_cli_fail (error);

	/* Ctrl-C stops the scan between hosts (see tu_cli_signals_init) */
	g_autoptr(GCancellable) cancellable = g_cancellable_new ();
	tu_cli_set_cancellable (cancellable);

	TuScanOptions options = {
		.timeout = (guint) req->timeout,
		.no_binaries = req->no_binaries,
		.binary_rules = binary_rules,
		.cancellable = cancellable,
		.ssh_options = req->ssh_options,
		.ssh_accept_new_host_keys = req->ssh_accept_new,
	};
	Pool pool = {g_async_queue_new (), &options};
	GThreadPool *threads = g_thread_pool_new (worker, &pool, jobs, FALSE, NULL);
	g_autoptr(TuTable) table = print ? tu_table_new_for_format (print, stdout, print_columns,
								    G_N_ELEMENTS (print_columns), NULL)
					 : NULL;
	gboolean progress = tu_cli_show_progress (cli);
	guint next = 0, in_flight = 0, done = 0, failed = 0, hosts_ok = 0;
	guint64 added = 0, updated = 0, removed = 0, records = 0;
	guint stored = 0, not_stored = 0, refused = 0;
	g_autoptr(GError) gone = NULL;
	int rc = TU_EXIT_OK;
	gboolean fatal = FALSE;
	double t0 = tu_now_seconds ();

	while ((next < targets->len && !fatal && !g_cancellable_is_cancelled (cancellable)) ||
	       in_flight > 0) {
		while (next < targets->len && in_flight < (guint) jobs * 2 && !fatal &&
		       !g_cancellable_is_cancelled (cancellable)) {
			g_thread_pool_push (threads, g_strdup (g_ptr_array_index (targets, next++)), NULL);
			in_flight++;
		}
		if (in_flight == 0)
			break;
		g_autoptr(GPtrArray) scans = g_async_queue_pop (pool.results);
		g_ptr_array_set_free_func (scans, (GDestroyNotify) tu_host_scan_free);
		in_flight--;
		done++;
		for (guint i = 0; i < scans->len; i++) {
			TuHostScan *scan = g_ptr_array_index (scans, i);
			/* an import file of many hosts stops between its hosts, as between targets */
			if (i > 0 && gone == NULL && g_cancellable_is_cancelled (cancellable)) {
				not_stored += scans->len - i;
				break;
			}
			const char *name = scan->facts.hostname ? scan->facts.hostname : scan->target;
			if (progress)
				fprintf (tu_terminal (), "\r\033[K");
			for (guint w = 0; w < scan->warnings->len && cli->verbosity >= 0; w++)
				tu_cli_error ("%s: warning: %s", name,
					      (const char *) g_ptr_array_index (scan->warnings, w));
			if (scan->error != NULL) {
				failed++;
				tu_cli_error ("%s: scan failed: %s", scan->target, scan->error->message);
			} else {
				hosts_ok++;
				records += tu_record_list_len (scan->records);
			}
			if (table != NULL) {
				if (scan->error == NULL && !print_scan (table, norm, scan, &error)) {
					fatal = TRUE;
					break;
				}
				continue;
			}
			if (gone != NULL) {
				/* the servers are gone: what is still in flight is not stored */
				not_stored++;
				if (scan->error == NULL)
					hosts_ok--;
				continue;
			}
			TuStoreStats st;
			if (!tu_store_host_scan (store, scan, &st, &error)) {
				if (scan->error == NULL)
					hosts_ok--;
				if (g_error_matches (error, TU_ERROR, TU_ERROR_DB_UNREACHABLE) ||
				    g_error_matches (error, TU_ERROR, TU_ERROR_DISK_FULL)) {
					/* a disk full is said once too: this host's transaction
					 * was rolled back, nothing of it is half written */
					/* one message for the run, not one per host: stop here */
					gone = g_steal_pointer (&error);
					fatal = TRUE;
					/* and the scans in flight stop early */
					g_cancellable_cancel (cancellable);
					not_stored++;
					continue;
				}
				if (g_error_matches (error, TU_ERROR, TU_ERROR_OUT_OF_ORDER))
					refused++;
				tu_cli_error ("%s: %s", name, error->message);
				g_clear_error (&error);
				failed++;
				continue;
			}
			stored++;
			added += st.n_added;
			updated += st.n_updated;
			removed += st.n_removed;
			if (cli->verbosity > 0 && scan->error == NULL)
				tu_cli_info (cli, "%s: %u records: %u added, %u updated, %u removed", name,
					     st.n_records, st.n_added, st.n_updated, st.n_removed);
		}
		if (progress)
			fprintf (tu_terminal (), "\rscanning: %u/%u targets done, %u failed", done,
				 targets->len, failed);
	}
	g_thread_pool_free (threads, FALSE, TRUE);
	/* drain anything a worker finished after a cancel */
	GPtrArray *late;
	while ((late = g_async_queue_try_pop (pool.results)) != NULL) {
		g_ptr_array_set_free_func (late, (GDestroyNotify) tu_host_scan_free);
		g_ptr_array_unref (late);
	}
	g_async_queue_unref (pool.results);
	if (progress)
		fprintf (tu_terminal (), "\r\033[K");
	if (table != NULL && !tu_table_finish (table, &error))
		fatal = TRUE;
	tu_cli_set_cancellable (NULL);
	tu_scan_binary_rules_free (binary_rules);

	if (error != NULL)
		tu_cli_error ("%s", error->message);
	gboolean cancelled = gone == NULL && g_cancellable_is_cancelled (cancellable);
	if (gone != NULL)
		tu_cli_error ("scan: stopped: %s; %u host%s stored before that, %u scanned but not "
			      "stored, %u of %u targets not scanned",
			      gone->message, stored, stored == 1 ? "" : "s", not_stored,
			      targets->len - done, targets->len);
	if (cancelled)
		tu_cli_error ("scan: interrupted: %u of %u targets done%s; hosts stored so far are kept",
			      done, targets->len,
			      not_stored > 0 ? ", the rest of an import file's hosts not stored" : "");
	if (refused > 0)
		tu_cli_error ("scan: %u host scan%s older than what is stored not stored (see above)",
			      refused, refused == 1 ? "" : "s");
	if (cli->verbosity >= 0 && table == NULL)
		tu_cli_info (cli,
			     "scanned %u host%s, %u failed; installations: %" G_GUINT64_FORMAT
			     " added, %" G_GUINT64_FORMAT " updated, %" G_GUINT64_FORMAT
			     " removed (%.1f s)",
			     hosts_ok, hosts_ok == 1 ? "" : "s", failed, added, updated, removed,
			     tu_now_seconds () - t0);
	else if (cli->verbosity >= 0)
		tu_cli_info (cli, "scanned %u host%s, %u failed; %" G_GUINT64_FORMAT " records printed",
			     hosts_ok, hosts_ok == 1 ? "" : "s", failed, records);
	summary->n_targets = targets->len;
	summary->n_hosts_ok = hosts_ok;
	summary->n_failed = failed;
	summary->n_added = added;
	summary->n_updated = updated;
	summary->n_removed = removed;
	summary->cancelled = cancelled;
	if (db != NULL && tu_db_n_reconnects (db) > 0 && cli->verbosity >= 0)
		tu_cli_info (cli, "the database connection was lost and made again %u time%s (now %s)",
			     tu_db_n_reconnects (db), tu_db_n_reconnects (db) == 1 ? "" : "s",
			     tu_db_location (db));
	if (fatal || failed > 0 || cancelled)
		rc = TU_EXIT_ERROR;
	return rc;
}
