/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Storing scans. One host's scan is one transaction: its facts, its software and the changes
 * to its installations land whole or not at all, and a transient error retries the whole
 * transaction. Repeated scans are idempotent and write nothing for an unchanged installation
 * (the host's row records when it was last seen); a vanished one is closed (removed_at); a new
 * version closes the old interval and opens a new one ('upgraded'/'downgraded'); a reinstalled
 * one opens a new interval.
 *
 * History is ordered by observation time per host: a scan takes its host's row lock before it
 * reads the host's current state. A scan observed before the host's newest stored scan never
 * replaces the current state: it is placed in the history between the stored scans around it
 * (intervals split, extended or added so that the state at any instant between them is the
 * scan's; stats->is_history), or, when it cannot be (the same instant as a stored scan that
 * found other software), refused with TU_ERROR_OUT_OF_ORDER naming both and recorded as
 * 'refused'. A scan of the same instant as the newest replaces it.
 *
 * installations.last_seen: for a closed interval, when it was last seen (its host's last scan
 * before removed_at); for an open interval it is not maintained: the interval was last seen at
 * its host's hosts.last_seen. Readers use IF(removed_at IS NULL, hosts.last_seen, last_seen).
 *
 * Host identity: machine-id first, then hostname. A rename keeps the machine-id and so the
 * host; a clone with a new machine-id is a new host; a host first seen without a machine-id
 * (an export) is adopted when the same hostname later comes with one.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-normaliser.h"
#include "tu-record.h"

G_BEGIN_DECLS

typedef struct {
	guint64 host_id;
	guint64 scan_id;
	guint n_records;   /* records in the scan (after de-duplication) */
	guint n_added;
	guint n_updated;   /* version or state changed */
	guint n_removed;
	guint n_unchanged;
	gboolean is_history; /* observed before the host's newest stored scan: placed in its
			      * history, the current state untouched */
} TuStoreStats;

typedef struct _TuStore TuStore;

/* @norm: the normaliser applied on ingest (transfer none; must outlive the store).
 * (transfer full) */
TuStore *tu_store_new (TuDb *db, TuNormaliser *norm);
void tu_store_free (TuStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuStore, tu_store_free)
/* A lane of @store: the same store through a connection of its own (tu_db_open_another), with
 * @store's normaliser, time and column widths, so that a second thread stores other hosts at
 * the same time, in transactions of its own (as a second scanner would). Scans prepared with
 * @store (tu_store_prepare) may be stored through any of its lanes. Set @store's time first.
 * (transfer full) */
TuStore *tu_store_new_lane (TuStore *store, GError **error);
/* (transfer none) the connection @store writes through */
TuDb *tu_store_db (TuStore *store);

/* Record the time of the scans stored from now on (microseconds since the epoch, UTC);
 * 0: each scan's own start time. For `scan --as-of` and history tests. */
void tu_store_set_time (TuStore *store, gint64 time_us);

/* Store one host's scan. A scan with scan->error set is recorded as failed (scans row with
 * the reason) and leaves the host's inventory as it was; the function then returns TRUE. */
gboolean tu_store_host_scan (TuStore *store, TuHostScan *scan, TuStoreStats *stats,
			     GError **error);

/* The part of storing a scan that needs no database: its values cut to their columns (with
 * their warnings) and its distinct installations normalised. It can run on another thread
 * than the store's, while the store writes other hosts (the ingest does it in its scan
 * workers, so normalising overlaps writing on a second core). */
typedef struct _TuStorePrepared TuStorePrepared;

/* Before any tu_store_prepare on another thread: reads the columns' widths, on the thread
 * that uses the store. */
void tu_store_prepare_begin (TuStore *store);
/* @scan prepared, or NULL when tu_store_prepare_begin has not run (the store then prepares it
 * itself). Thread-safe after tu_store_prepare_begin; @scan is changed (cut values, warnings)
 * and must outlive the result. (transfer full) */
TuStorePrepared *tu_store_prepare (TuStore *store, TuHostScan *scan);
void tu_store_prepared_free (TuStorePrepared *prepared);

/* One host of a group: the scan (in), its tu_store_prepare result if any (in, taken over and
 * set to NULL; NULL: prepared by the store), what the store did (out) and why it did not store
 * it (out: NULL when stored; the error tu_store_host_scan would give, transfer full). */
typedef struct {
	TuHostScan *scan;
	TuStorePrepared *prepared;
	TuStoreStats stats;
	GError *error;
} TuStoreItem;

/* Store the scans of @items in order, as tu_store_host_scan would one by one, but several
 * hosts to a transaction: each host is still stored whole or not at all (when the group's
 * transaction fails, its hosts are stored again one transaction each), and each still takes
 * its host's row lock and observation-time check. The server syncs its log once per group
 * instead of twice per host. A group of one is tu_store_host_scan. */
void tu_store_host_scans (TuStore *store, TuStoreItem *items, guint n);

/* Who is storing a scan is recorded in scans.runner while it runs (server or Galera node,
 * port, connection: "host:port/id") and scans.runner_user, so that a later trueup can tell a
 * scan still in progress from one whose process died. */

/* How long a scan's row may stay 'running' before anyone may take its process for dead: one
 * host's store (or a group's) takes seconds; an hour covers retries, a failover window and a
 * slow server many times over. */
#define TU_STORE_LEASE_SECONDS 3600

/* Mark scans left 'running' by a process that died as 'interrupted': every such scan of an
 * embedded store (which one process holds at a time); on a server, those whose connection no
 * longer exists on the server they ran on, as far as this user can see: a user without the
 * PROCESS privilege sees only its own user's connections, so another user's scan is marked by
 * it only once its lease (TU_STORE_LEASE_SECONDS from its start) has ended; and any scan whose
 * lease has ended (its server may be gone). @n_marked: how many, or NULL. */
gboolean tu_store_mark_interrupted (TuDb *db, guint *n_marked, GError **error);

/* Format microseconds since the epoch as a UTC DATETIME(6) literal value. (transfer full) */
char *tu_store_format_time (gint64 time_us);

G_END_DECLS
