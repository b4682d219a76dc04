/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scan pool and the per-host store; see tu-ingest.h. Workers scan and prepare what they
 * found for the store (values cut to their columns, installations normalised: the
 * normaliser's cache is locked, the rest is the scan's own), so normalising a host overlaps
 * writing others (a target of many hosts, an import file, is prepared by the lanes group by
 * group instead). The hosts that came back are grouped (GROUP_HOSTS) and each group is stored
 * by one of up to @writers lanes: a thread with a store connection of its own, so that two
 * groups are written at once (on a server, its statements and trueup's work overlap; embedded,
 * two cores insert). Lanes are started as groups wait for one. Groups come back to the caller's
 * thread, which reports them in the order they were made. A host's scans are never in two lanes
 * at once (host_keys), so they are stored in the order they came, as by one connection. The
 * store's statements never run on the process's initial thread: the embedded server checks
 * the stack at every statement, and there glibc finds the stack's bounds by reading
 * /proc/self/maps (pthread_getattr_np), a tenth of the embedded ingest's time.
 * The queue between the workers and the lanes is bounded by pushing at most 2 x jobs targets
 * ahead of what has been taken, and by groups waiting for a free lane.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-ingest.h"
#include "tu-scan.h"

/* Hosts stored together, in one transaction (tu_store_host_scans): enough to spread a
 * server's log sync and round trips over many hosts, few enough that a host's row lock is not
 * held long and a Galera write set stays small. Only what has already come back is grouped:
 * no host waits for another. */
#define GROUP_HOSTS 16
#define GROUP_ROWS  20000

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
	/* A target of many hosts (an import file) is left to the store thread, which prepares
	 * each group as it stores it: prepared here, the whole file's would be held at once
	 * and its first host would wait for its last (measured: +12 MB for 2,000 hosts). */
	gboolean prepare = pool->store != NULL && b->scans->len <= GROUP_HOSTS;
	for (guint i = 0; i < b->scans->len; i++) {
		TuHostScan *scan = g_ptr_array_index (b->scans, i);
		TuStorePrepared *p = prepare ? tu_store_prepare (pool->store, scan) : NULL;
		g_ptr_array_add (b->prepared, p);
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

/* A group of hosts on its way: stored by a lane (one transaction, tu_store_host_scans), then
 * reported, in the order the groups were made. It owns its scans. */
typedef enum {
	GROUP_STORE,	 /* to be stored (or, without a store, only reported) */
	GROUP_CANCELLED, /* not stored: the ingest was cancelled before it */
	GROUP_STOPPED,	 /* not stored: the ingest had stopped (a fatal error) before it */
} GroupFate;

typedef struct {
	TuStoreItem items[GROUP_HOSTS];
	guint n;
	GroupFate fate;
	gboolean done;	 /* its lane has finished with it */
	GPtrArray *keys; /* char*: what names its hosts (host_keys), while it is in a lane */
} Group;

static void
group_free (Group *g)
{
	for (guint k = 0; k < g->n; k++) {
		tu_host_scan_free (g->items[k].scan);
		g_clear_error (&g->items[k].error);
		g_clear_pointer (&g->items[k].prepared, tu_store_prepared_free);
	}
	if (g->keys != NULL)
		g_ptr_array_unref (g->keys);
	g_free (g);
}

/* What may name @scan's host in the store: its machine-id and its name (the store finds a host
 * by either). Two groups that share one are never in lanes at once, so a host's scans are
 * stored in the order they came, as by one connection. */
static void
host_keys (const TuHostScan *scan, GPtrArray *keys)
{
	if (scan->facts.machine_id != NULL)
		g_ptr_array_add (keys, g_strconcat ("m:", scan->facts.machine_id, NULL));
	const char *name = scan->facts.hostname ? scan->facts.hostname : scan->target;
	if (name != NULL) {
		g_autofree char *lower = g_utf8_strdown (name, -1);
		g_ptr_array_add (keys, g_strconcat ("h:", lower, NULL));
	}
}

/* A thread that stores groups through a store of its own (the first lane: the caller's store;
 * the others: tu_store_new_lane, each its own connection). */
typedef struct {
	TuStore *store;
	gboolean own_store;
	GThread *thread;
	GAsyncQueue *to_store; /* Group*, shared by the lanes; &lane_stop ends a lane */
	GAsyncQueue *done;     /* Group* */
} Lane;

static Group lane_stop;

static gpointer
lane_loop (gpointer data)
{
	Lane *lane = data;
	tu_db_thread_enter ();
	for (;;) {
		Group *g = g_async_queue_pop (lane->to_store);
		if (g == &lane_stop)
			break;
		tu_store_host_scans (lane->store, g->items, g->n);
		g_async_queue_push (lane->done, g);
	}
	tu_db_thread_leave ();
	return NULL;
}

/* The ingest's loop: keep the scan pool fed, group what comes back, hand the groups to the
 * lanes, report them in order. */
typedef struct {
	guint n_targets;
	guint jobs;
	Pool *pool;
	GThreadPool *threads;
	TuStore *store;
	GCancellable *cancellable;
	const TuIngestReporter *rep;
	TuIngestSummary *summary;
	GError *fatal;
	/* lanes */
	guint max_lanes;
	GPtrArray *lanes; /* Lane* */
	GAsyncQueue *to_store, *done;
	GQueue pending;	      /* Group*, in the order made: reported from the head */
	guint n_in_lanes;     /* groups handed to lanes and not back yet */
	GHashTable *in_lanes; /* host key -> number of groups in lanes with it */
} Run;

/* Report @g's hosts: count them, tell the reporter. */
static void
report_group (Run *r, Group *g)
{
	TuIngestSummary *summary = r->summary;
	for (guint k = 0; k < g->n; k++) {
		TuHostScan *host = g->items[k].scan;
		if (g->fate == GROUP_CANCELLED) {
			summary->n_not_stored++;
		} else if (g->fate == GROUP_STOPPED) {
			if (host->error != NULL)
				summary->n_failed++;
			summary->n_not_stored++;
		} else if (r->fatal == NULL) {
			TuStoreItem *item = r->store != NULL ? &g->items[k] : NULL;
			if (!take_host (host, item, r->rep, summary, &r->fatal) &&
			    stops_ingest (r->fatal) && r->cancellable != NULL)
				/* and the scans in flight stop early */
				g_cancellable_cancel (r->cancellable);
		} else if (r->store != NULL && g->items[k].error == NULL) {
			/* stored with its group before the ingest stopped */
			summary->n_hosts_ok++;
			summary->n_records += tu_record_list_len (host->records);
			summary->n_stored++;
		} else {
			if (host->error != NULL)
				summary->n_failed++;
			summary->n_not_stored++;
		}
	}
}

/* Report the groups at the head that are done. */
static void
report_ready (Run *r)
{
	Group *g;
	while ((g = g_queue_peek_head (&r->pending)) != NULL && g->done) {
		g_queue_pop_head (&r->pending);
		report_group (r, g);
		group_free (g);
	}
}

/* A group with @keys went into a lane (@delta +1) or came back (-1). */
static void
count_keys (Run *r, GPtrArray *keys, gint delta)
{
	for (guint i = 0; i < keys->len; i++) {
		const char *key = g_ptr_array_index (keys, i);
		gint n = GPOINTER_TO_INT (g_hash_table_lookup (r->in_lanes, key)) + delta;
		if (n <= 0)
			g_hash_table_remove (r->in_lanes, key);
		else
			g_hash_table_insert (r->in_lanes, g_strdup (key), GINT_TO_POINTER (n));
	}
}

/* Wait for a lane to give a group back. */
static void
take_back (Run *r)
{
	Group *g = g_async_queue_pop (r->done);
	g->done = TRUE;
	r->n_in_lanes--;
	count_keys (r, g->keys, -1);
	report_ready (r);
}

/* Start one more lane; FALSE (and no more are tried) when its connection cannot be made. */
static gboolean
add_lane (Run *r)
{
	Lane *lane = g_new0 (Lane, 1);
	lane->to_store = r->to_store;
	lane->done = r->done;
	if (r->lanes->len == 0) {
		lane->store = r->store;
	} else {
		g_autoptr(GError) error = NULL;
		lane->store = tu_store_new_lane (r->store, &error);
		if (lane->store == NULL) {
			g_debug ("storing through %u connection(s): %s", r->lanes->len,
				 error->message);
			r->max_lanes = r->lanes->len;
			g_free (lane);
			return FALSE;
		}
		lane->own_store = TRUE;
	}
	lane->thread = g_thread_new ("store", lane_loop, lane);
	g_ptr_array_add (r->lanes, lane);
	return TRUE;
}

/* Hand @g to a lane, once one is free and no lane holds a group of one of its hosts. */
static void
to_lane (Run *r, Group *g)
{
	g->keys = g_ptr_array_new_with_free_func (g_free);
	for (guint k = 0; k < g->n; k++)
		host_keys (g->items[k].scan, g->keys);
	for (guint i = 0; i < g->keys->len && r->n_in_lanes > 0; i++) {
		if (g_hash_table_contains (r->in_lanes, g_ptr_array_index (g->keys, i))) {
			while (r->n_in_lanes > 0)
				take_back (r);
		}
	}
	while (r->n_in_lanes >= r->lanes->len && !(r->lanes->len < r->max_lanes && add_lane (r)))
		take_back (r);
	count_keys (r, g->keys, +1);
	r->n_in_lanes++;
	g_async_queue_push (r->to_store, g);
}

/* Group @batch's hosts (the targets' results in the order they came back) and send each group
 * on its way: to a lane, or straight to the report without a store. A cancel stops between
 * groups (the first host is taken whatever, as before any cancel); after a fatal error the
 * rest is counted as not stored. */
static void
take_batch (Run *r, Batch *batch)
{
	GPtrArray *hosts = batch->scans;
	g_ptr_array_set_free_func (hosts, NULL);
	g_ptr_array_set_free_func (batch->prepared, NULL);
	for (guint i = 0; i < hosts->len;) {
		Group *g = g_new0 (Group, 1);
		gboolean cancelled = g_cancellable_is_cancelled (r->cancellable);
		guint rows = 0;
		if (r->fatal != NULL || (i > 0 && cancelled)) {
			/* the rest of the batch, unstored, reported as one group per host */
			g->fate = r->fatal != NULL ? GROUP_STOPPED : GROUP_CANCELLED;
			g->n = 1;
		} else {
			while (i + g->n < hosts->len && g->n < GROUP_HOSTS && rows < GROUP_ROWS &&
			       (g->n == 0 || !cancelled)) {
				TuHostScan *host = g_ptr_array_index (hosts, i + g->n);
				guint len = host->error == NULL ? tu_record_list_len (host->records)
								: 1;
				rows += MAX (len, 1u);
				g->n++;
			}
		}
		for (guint k = 0; k < g->n; k++) {
			g->items[k].scan = g_ptr_array_index (hosts, i + k);
			g->items[k].prepared = g_ptr_array_index (batch->prepared, i + k);
		}
		i += g->n;
		g_queue_push_tail (&r->pending, g);
		if (g->fate == GROUP_STORE && r->store != NULL)
			to_lane (r, g);
		else
			g->done = TRUE;
		report_ready (r);
	}
	batch_free (batch);
}

static void
run_loop (Run *r)
{
	TuIngestSummary *summary = r->summary;
	GCancellable *cancellable = r->cancellable;
	guint next = 0, in_flight = 0;
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
		take_batch (r, hosts);
		if (r->rep != NULL && r->rep->progress != NULL)
			r->rep->progress (summary, r->rep->data);
	}
	while (r->n_in_lanes > 0)
		take_back (r);
	report_ready (r);
}

guint
tu_ingest_writers (guint writers, TuStore *store)
{
	if (writers == 0 && store != NULL)
		writers = tu_db_is_embedded (tu_store_db (store)) ? TU_INGEST_EMBEDDED_WRITERS
								  : TU_INGEST_SERVER_WRITERS;
	return CLAMP (writers, 1, TU_INGEST_MAX_WRITERS);
}

gboolean
tu_ingest_run (guint n_targets, TuIngestScanFunc scan, gpointer scan_data, guint jobs,
	       guint writers, TuStore *store, GCancellable *cancellable,
	       const TuIngestReporter *rep, TuIngestSummary *summary, GError **error)
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
		.max_lanes = tu_ingest_writers (writers, store),
		.lanes = g_ptr_array_new (),
		.to_store = g_async_queue_new (),
		.done = g_async_queue_new (),
		.pending = G_QUEUE_INIT,
		.in_lanes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
	};
	run_loop (&run);
	for (guint i = 0; i < run.lanes->len; i++)
		g_async_queue_push (run.to_store, &lane_stop);
	for (guint i = 0; i < run.lanes->len; i++) {
		Lane *lane = g_ptr_array_index (run.lanes, i);
		g_thread_join (lane->thread);
		TuDb *db = tu_store_db (lane->store);
		if (lane->own_store && tu_db_n_reconnects (db) > 0) {
			summary->n_lane_reconnects += tu_db_n_reconnects (db);
			g_strlcpy (summary->lane_location, tu_db_location (db),
				   sizeof summary->lane_location);
		}
		if (lane->own_store)
			tu_store_free (lane->store);
		g_free (lane);
	}
	g_ptr_array_unref (run.lanes);
	g_async_queue_unref (run.to_store);
	g_async_queue_unref (run.done);
	g_hash_table_unref (run.in_lanes);
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
				     req->writers, store, req->cancellable, reporter, summary,
				     error);
	tu_scan_binary_rules_free (rules);
	return ok;
}
