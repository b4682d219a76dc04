/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Storing scans. One host's scan is one transaction: its facts, its software and the changes
 * to its installations land whole or not at all, and a transient error retries the whole
 * transaction. Repeated scans are idempotent: an unchanged installation only moves last_seen;
 * a vanished one is closed (removed_at); a new version closes the old interval and opens a
 * new one ('upgraded'/'downgraded'); a reinstalled one opens a new interval.
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
} TuStoreStats;

typedef struct _TuStore TuStore;

/* @norm: the normaliser applied on ingest (transfer none; must outlive the store).
 * (transfer full) */
TuStore *tu_store_new (TuDb *db, TuNormaliser *norm);
void tu_store_free (TuStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuStore, tu_store_free)

/* Record the time of the scans stored from now on (microseconds since the epoch, UTC);
 * 0: each scan's own start time. For `scan --as-of` and history tests. */
void tu_store_set_time (TuStore *store, gint64 time_us);

/* Store one host's scan. A scan with scan->error set is recorded as failed (scans row with
 * the reason) and leaves the host's inventory as it was; the function then returns TRUE. */
gboolean tu_store_host_scan (TuStore *store, const TuHostScan *scan, TuStoreStats *stats,
			     GError **error);

/* Format microseconds since the epoch as a UTC DATETIME(6) literal value. (transfer full) */
char *tu_store_format_time (gint64 time_us);

G_END_DECLS
