/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The history's invariants, checked against a store (`trueup db check`):
 *  - no interval closes before it opens (removed_at < first_seen);
 *  - no two intervals of one installation (host, install_key, software) overlap;
 *  - each host's current set comes from one scan: the host's newest scan (hosts.last_scan_id)
 *    is 'ok', was observed at hosts.last_seen, stored as many installations as the host has
 *    open intervals, and no open interval opened after it;
 *  - each host's software set (host_software_sets, what patch reads) holds the software of its
 *    open installed intervals, in installation order;
 *  - each host's current digest (hosts.current_digest), where known, is that of its open
 *    intervals: the store skips reading a host whose scan has the same digest;
 *  - each installation id the store gave (migration 0014) is its host's id * 2^32 plus a count
 *    no higher than the host's counter (hosts.install_seq), and none is 0.
 * Each violation is named by its rows, so that it can be found and repaired.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"

G_BEGIN_DECLS

typedef struct {
	guint64 n_inverted;	/* intervals closing before they open */
	guint64 n_overlapping;	/* pairs of overlapping intervals of one installation */
	guint64 n_hosts_mixed;	/* hosts whose current set is not one scan's */
	guint64 n_sets_stale;	/* hosts whose software set is not their installations' */
	guint64 n_digest_stale; /* hosts whose current digest is not their installations' */
	guint64 n_ids_bad;	/* installations whose id is not one the store gives its host */
	guint64 n_intervals;	/* intervals checked */
	guint64 n_hosts;	/* hosts checked */
	GPtrArray *problems;	/* char*: one line per offending row (at most @max_named per kind) */
} TuCheckResult;

void tu_check_result_clear (TuCheckResult *r);

/* Check every invariant; @max_named: how many offending rows of each kind to name. */
gboolean tu_check_history (TuDb *db, guint max_named, TuCheckResult *result, GError **error);

G_END_DECLS
