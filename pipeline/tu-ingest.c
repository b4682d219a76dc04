/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scan pool and the per-host store; see tu-ingest.h. Workers scan and prepare what they
 * found for the store (values cut to their columns, installations normalised: the
 * normaliser's cache is locked, the rest is the scan's own), so normalising a host overlaps
 * writing others on a second core; the database is used by one thread alone (the store's,
 * while the caller waits) and a host's transaction never waits on another's scan. The queue
 * between them is bounded by pushing at most 2 x jobs targets ahead of what has been stored.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-ingest.h"
#include "tu-scan.h"

typedef struct {
	GAsyncQueue *results; /* Batch* */
	TuIngestScanFunc scan;
	gpointer scan_data;
	TuStore *store; /* NULL: scan only */
} Pool;

/* What came back from targets: their scans and, with a store, each one's preparation. */
typedef struct {
	GPtrArray *scans;    /* TuHostScan* */
	GPtrArray *prepared; /* TuStorePrepared* of each scan, NULL when not prepared */
} Batch;

static void
batch_free (Batch *b)
{
	g_ptr_array_unref (b->prepared);
	g_ptr_array_unref (b->scans);
	g_free (b);
}

/* Move @more's hosts to the end of @b. */
static void
batch_take (Batch *b, Batch *more)
{
	g_ptr_array_set_free_func (more->scans, NULL);
	g_ptr_array_set_free_func (more->prepared, NULL);
	for (guint i = 0; i < more->scans->len; i++) {
		g_ptr_array_add (b->scans, g_ptr_array_index (more->scans, i));
		g_ptr_array_add (b->prepared, g_ptr_array_index (more->prepared, i));
	}
	batch_free (more);
}

static void
worker (gpointer data, gpointer user_data)
{
	guint index = GPOINTER_TO_UINT (data) - 1;
	Pool *pool = user_data;
	Batch *b = g_new0 (Batch, 1);
	b->scans = pool->scan (index, pool->scan_data);
	g_ptr_array_set_free_func (b->scans, (GDestroyNotify) tu_host_scan_free);
	b->prepared = g_ptr_array_new_full (b->scans->len,
					    (GDestroyNotify) tu_store_prepared_free);
	for (guint i = 0; i < b->scans->len; i++) {
		TuHostScan *scan = g_ptr_array_index (b->scans, i);
		g_ptr_array_add (b->prepared,
				 pool->store != NULL ? tu_store_prepare (pool->store, scan) : NULL);
	}
	g_async_queue_push (pool->results, b);
}

/* The store's errors that stop the ingest rather than fail one host: the servers are gone, or
 * the disk is full (that host's transaction was rolled back, nothing is half written). */
static gboolean
stops_ingest (const GError *error)
{
	return g_error_matches (error, TU_ERROR, TU_ERROR_DB_UNREACHABLE) ||
	       g_error_matches (error, TU_ERROR, TU_ERROR_DISK_FULL);
}

/* Hosts stored together, in one transaction (tu_store_host_scans): enough to spread a
 * server's log sync and round trips over many hosts, few enough that a host's row lock is not
 * held long and a Galera write set stays small. Only what has already come back is grouped:
 * no host waits for another. */
#define GROUP_HOSTS 16
#define GROUP_ROWS  20000

/* One host, after the store had it (@item: NULL without a store): count it, tell the reporter.
 * FALSE when the reporter stops or the store is unreachable (@error set either way). */
static gboolean
take_host (TuHostScan *scan, TuStoreItem *item, const TuIngestReporter *rep,
	   TuIngestSummary *sum, GError **error)
{
	if (scan->error != NULL) {
		sum->n_failed++;
	} else {
		sum->n_hosts_ok++;
		sum->n_records += tu_record_list_len (scan->records);
	}
	const GError *store_error = item != NULL ? item->error : NULL;
	gboolean stored = item != NULL && item->error == NULL;
	if (stored) {
		sum->n_stored++;
		sum->n_added += item->stats.n_added;
		sum->n_updated += item->stats.n_updated;
		sum->n_removed += item->stats.n_removed;
		if (item->stats.is_history)
			sum->n_history++;
	} else if (item != NULL && stops_ingest (store_error)) {
		/* one error for the ingest, not one per host */
		sum->n_not_stored++;
		if (scan->error == NULL)
			sum->n_hosts_ok--;
		g_propagate_error (error, g_error_copy (store_error));
		return FALSE;
	} else if (item != NULL) {
		/* the host is not stored: it failed, whatever its scan said */
		if (g_error_matches (store_error, TU_ERROR, TU_ERROR_OUT_OF_ORDER))
			sum->n_refused++;
		sum->n_failed++;
		if (scan->error == NULL)
			sum->n_hosts_ok--;
	}
	if (rep != NULL && rep->host != NULL)
		return rep->host (scan, stored ? &item->stats : NULL, store_error, rep->data,
				  error);
	return TRUE;
}

/* Store @batch's hosts (the targets' results in the order they came back) in groups and
 * report each. A cancel stops between groups (the first host is taken whatever, as before
 * any cancel); after a fatal error the rest is counted as not stored. */
static void
take_hosts (Batch *batch, TuStore *store, GCancellable *cancellable,
	    const TuIngestReporter *rep, TuIngestSummary *summary, GError **fatal)
{
	GPtrArray *hosts = batch->scans;
	g_autofree TuStoreItem *items = g_new0 (TuStoreItem, MIN (hosts->len, GROUP_HOSTS) + 1);
	for (guint i = 0; i < hosts->len;) {
		if (*fatal == NULL && i > 0 && g_cancellable_is_cancelled (cancellable)) {
			summary->n_not_stored += hosts->len - i;
			break;
		}
		if (*fatal != NULL) {
			/* stopped: what is still in flight is not stored */
			TuHostScan *host = g_ptr_array_index (hosts, i++);
			if (host->error != NULL)
				summary->n_failed++;
			summary->n_not_stored++;
			continue;
		}
		guint n = 0, rows = 0;
		gboolean cancelled = g_cancellable_is_cancelled (cancellable);
		while (i + n < hosts->len && n < GROUP_HOSTS && rows < GROUP_ROWS &&
		       (n == 0 || !cancelled)) {
			TuHostScan *host = g_ptr_array_index (hosts, i + n);
			guint len = host->error == NULL ? tu_record_list_len (host->records) : 1;
			rows += MAX (len, 1u);
			items[n].prepared =
				g_steal_pointer (&g_ptr_array_index (batch->prepared, i + n));
			items[n++].scan = host;
		}
		if (store != NULL)
			tu_store_host_scans (store, items, n);
		for (guint k = 0; k < n; k++) {
			TuHostScan *host = items[k].scan;
			if (*fatal == NULL) {
				TuStoreItem *item = store != NULL ? &items[k] : NULL;
				if (!take_host (host, item, rep, summary, fatal) &&
				    stops_ingest (*fatal) && cancellable != NULL)
					/* and the scans in flight stop early */
					g_cancellable_cancel (cancellable);
			} else if (store != NULL && items[k].error == NULL) {
				/* stored with its group before the reporter stopped the ingest */
				summary->n_hosts_ok++;
				summary->n_records += tu_record_list_len (host->records);
				summary->n_stored++;
			} else {
				if (host->error != NULL)
					summary->n_failed++;
				summary->n_not_stored++;
			}
			g_clear_error (&items[k].error);
			g_clear_pointer (&items[k].prepared, tu_store_prepared_free); /* no store */
		}
		i += n;
	}
}

/* The ingest's loop: keep the scan pool fed, store what comes back. */
typedef struct {
	guint n_targets;
	guint jobs;
	Pool *pool;
	GThreadPool *threads;
	TuStore *store;
	GCancellable *cancellable;
	const TuIngestReporter *rep;
	TuIngestSummary *summary;
	gboolean own_thread; /* the loop runs on a thread of its own */
	GError *fatal;
} Run;

static gpointer
run_loop (gpointer data)
{
	Run *r = data;
	TuIngestSummary *summary = r->summary;
	GCancellable *cancellable = r->cancellable;
	guint next = 0, in_flight = 0;
	if (r->own_thread)
		tu_db_thread_enter ();
	while ((next < r->n_targets && r->fatal == NULL &&
		!g_cancellable_is_cancelled (cancellable)) ||
	       in_flight > 0) {
		while (next < r->n_targets && in_flight < r->jobs * 2 && r->fatal == NULL &&
		       !g_cancellable_is_cancelled (cancellable)) {
			g_thread_pool_push (r->threads, GUINT_TO_POINTER (++next), NULL);
			in_flight++;
		}
		if (in_flight == 0)
			break;
		/* one target's hosts, and those of any other target already back */
		Batch *hosts = g_async_queue_pop (r->pool->results);
		in_flight--;
		summary->n_done++;
		Batch *more;
		while (in_flight > 0 && hosts->scans->len < GROUP_HOSTS &&
		       (more = g_async_queue_try_pop (r->pool->results)) != NULL) {
			in_flight--;
			summary->n_done++;
			batch_take (hosts, more);
		}
		take_hosts (hosts, r->store, cancellable, r->rep, summary, &r->fatal);
		batch_free (hosts);
		if (r->rep != NULL && r->rep->progress != NULL)
			r->rep->progress (summary, r->rep->data);
	}
	if (r->own_thread)
		tu_db_thread_leave ();
	return NULL;
}

gboolean
tu_ingest_run (guint n_targets, TuIngestScanFunc scan, gpointer scan_data, guint jobs,
	       TuStore *store, GCancellable *cancellable, const TuIngestReporter *rep,
	       TuIngestSummary *summary, GError **error)
{
	g_return_val_if_fail (scan != NULL, FALSE);
	g_return_val_if_fail (jobs >= 1, FALSE);
	memset (summary, 0, sizeof *summary);
	summary->n_targets = n_targets;
	double t0 = tu_now_seconds ();
	Pool pool = {g_async_queue_new (), scan, scan_data, store};
	if (store != NULL)
		tu_store_prepare_begin (store); /* on this thread, before any worker prepares */
	Run run = {
		.n_targets = n_targets,
		.jobs = jobs,
		.pool = &pool,
		.threads = g_thread_pool_new (worker, &pool, (gint) jobs, FALSE, NULL),
		.store = store,
		.cancellable = cancellable,
		.rep = rep,
		.summary = summary,
		/* The store's statements run on a thread of their own while the caller waits.
		 * The embedded server checks the stack at every statement, and on a process's
		 * initial thread glibc finds the stack's bounds by reading /proc/self/maps
		 * (pthread_getattr_np), a tenth of the embedded ingest's time; on any other
		 * thread it knows them. */
		.own_thread = store != NULL,
	};
	if (run.own_thread)
		g_thread_join (g_thread_new ("store", run_loop, &run));
	else
		run_loop (&run);
	g_autoptr(GError) fatal = g_steal_pointer (&run.fatal);
	g_thread_pool_free (run.threads, FALSE, TRUE);
	/* drop anything a worker finished after a cancel or a fatal error */
	Batch *late;
	while ((late = g_async_queue_try_pop (pool.results)) != NULL)
		batch_free (late);
	g_async_queue_unref (pool.results);
	summary->cancelled = !stops_ingest (fatal) && g_cancellable_is_cancelled (cancellable);
	if (rep != NULL && rep->finished != NULL)
		rep->finished (summary, fatal, tu_now_seconds () - t0, rep->data);
	if (fatal != NULL) {
		g_propagate_error (error, g_steal_pointer (&fatal));
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	GPtrArray *targets;
	TuScanOptions *options;
} Targets;

static GPtrArray *
scan_target (guint index, gpointer scan_data)
{
	Targets *t = scan_data;
	return tu_scan_target (g_ptr_array_index (t->targets, index), t->options);
}

gboolean
tu_ingest_targets (const TuIngestRequest *req, TuStore *store, const TuIngestReporter *reporter,
		   TuIngestSummary *summary, GError **error)
{
	memset (summary, 0, sizeof *summary);
	summary->n_targets = req->targets->len;
	TuBinaryRules *rules = NULL;
	if (!req->no_binaries) {
		rules = tu_scan_load_binary_rules (req->rules_dir, error);
		if (rules == NULL)
			return FALSE;
	}
	TuScanOptions options = {
		.timeout = req->timeout,
		.no_binaries = req->no_binaries,
		.binary_rules = rules,
		.cancellable = req->cancellable,
		.ssh_options = req->ssh_options,
		.ssh_accept_new_host_keys = req->ssh_accept_new,
	};
	Targets t = {req->targets, &options};
	gboolean ok = tu_ingest_run (req->targets->len, scan_target, &t, CLAMP (req->jobs, 1, 256),
				     store, req->cancellable, reporter, summary, error);
	tu_scan_binary_rules_free (rules);
	return ok;
}
