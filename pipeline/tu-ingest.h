/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ingest: targets scanned by a pool of worker threads, each host's result normalised and
 * stored as it arrives (each host whole, several hosts that came back together to a
 * transaction: tu_store_host_scans).
 * At most 2 x jobs results wait in memory, whatever the number of targets. A cancel (Ctrl-C)
 * stops between hosts: the hosts stored so far stay, results still in flight are dropped.
 *
 * The scan of one target is a function (TuIngestScanFunc), so the same pool serves the real
 * scanner (tu_ingest_targets: "local", "root:DIR", "ssh://...", "import:FILE") and generated
 * estates (the estate benchmark). What is said about each host (warnings, failures, progress,
 * the closing line) is the caller's: the hooks of a TuIngestReporter run one at a time on the
 * calling thread, host after host in the order the hosts came back, each after its host was
 * stored; the store's statements run on threads of their own (see tu-ingest.c).
 * Without a store nothing is written and the host hook alone sees the scans (`scan --print`).
 *
 * A store whose servers stay unreachable past the failover window (TU_ERROR_DB_UNREACHABLE)
 * or whose disk is full (TU_ERROR_DISK_FULL) stops the ingest: that one error is the ingest's
 * (the host's transaction was rolled back whole), the scans in flight are cancelled (through
 * the caller's cancellable) and the hosts still coming back are counted as not stored. A
 * cancel also stops between the hosts of one import file.
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "tu-record.h"
#include "tu-store.h"

G_BEGIN_DECLS

typedef struct {
	guint n_targets;
	guint n_done;	   /* targets whose scan came back */
	guint n_hosts_ok;  /* hosts scanned (and stored, with a store) */
	guint n_failed;	   /* hosts whose scan or store failed */
	guint64 n_records; /* records of the hosts scanned */
	guint64 n_added;   /* installations, as the store counted them */
	guint64 n_updated;
	guint64 n_removed;
	guint n_stored;	    /* hosts the store took */
	guint n_not_stored; /* hosts scanned but not stored: after the store stopped, or the rest
			     * of an import file's hosts after a cancel */
	guint n_refused;    /* host scans that could not be placed in the history
			     * (TU_ERROR_OUT_OF_ORDER) */
	guint n_history;    /* host scans older than what is stored, placed in the history */
	gboolean cancelled; /* by the caller's cancellable (not by an unreachable store) */
	/* the connections other than the store's own (its lanes): how often they were lost and
	 * made again, and where the last one that was is connected now (NULL: none was) */
	guint n_lane_reconnects;
	char lane_location[256];
} TuIngestSummary;

/* Run in a worker thread: the host scans of target @index (of n_targets). (transfer full) a
 * GPtrArray of TuHostScan*, possibly empty, never NULL: a failure is a scan with ->error. */
typedef GPtrArray *(*TuIngestScanFunc) (guint index, gpointer scan_data);

typedef struct {
	/* A host's scan came back, after it was stored (when there is a store). @stats: what the
	 * store did, NULL without a store or when it failed; @store_error: why the store refused
	 * the host (then it counts as failed and the ingest goes on). Return FALSE with @error to
	 * stop the whole ingest (the output cannot be written). (nullable) */
	gboolean (*host) (const TuHostScan *scan, const TuStoreStats *stats,
			  const GError *store_error, gpointer data, GError **error);
	/* After each target. (nullable) */
	void (*progress) (const TuIngestSummary *summary, gpointer data);
	/* Once, at the end, with the error that stopped it (or NULL) and the seconds it took.
	 * (nullable) */
	void (*finished) (const TuIngestSummary *summary, const GError *error, double seconds,
			  gpointer data);
	gpointer data;
} TuIngestReporter;

/* Store connections writing at a time when not said (tu_ingest_run's @writers 0): to a server
 * (whose own threads then work on two groups at once) and to the embedded store (whose work is
 * on this machine's cores with the rest of the ingest); and the most that may be asked for. */
#define TU_INGEST_SERVER_WRITERS   2
#define TU_INGEST_EMBEDDED_WRITERS 2
#define TU_INGEST_MAX_WRITERS	   16
/* The connections tu_ingest_run uses for @writers (0: the default for @store, nullable). */
guint tu_ingest_writers (guint writers, TuStore *store);

/* Scan @n_targets targets with @scan, @jobs at a time (1..256), storing each host in @store
 * (nullable) through up to @writers connections at a time (0: TU_INGEST_SERVER_WRITERS or
 * TU_INGEST_EMBEDDED_WRITERS; the
 * first is @store's, the others are opened as needed with tu_store_new_lane, and fewer are used
 * when one cannot be opened). @summary is filled in whatever happens. Returns FALSE with @error
 * when a hook stopped the ingest or the store became unreachable; hosts that failed, and a
 * cancel, are in @summary. */
gboolean tu_ingest_run (guint n_targets, TuIngestScanFunc scan, gpointer scan_data, guint jobs,
			guint writers, TuStore *store, GCancellable *cancellable,
			const TuIngestReporter *reporter, TuIngestSummary *summary,
			GError **error);

/* What `trueup scan` and the scheduled run ask for. */
typedef struct {
	GPtrArray *targets;	   /* char*: "local", "root:DIR", "ssh://...", "import:FILE" */
	guint jobs;		   /* 1..256 */
	guint writers;		   /* store connections at a time, 0: the default */
	guint timeout;		   /* seconds per remote host, 0: none */
	gboolean no_binaries;	   /* skip binary fingerprints */
	const char *rules_dir;	   /* (nullable) the user's extra fingerprint rules */
	gboolean ssh_accept_new;   /* accept and remember unknown host keys */
	const char *ssh_options;   /* (nullable) extra ssh options */
	GCancellable *cancellable; /* (nullable) */
} TuIngestRequest;

/* Scan the targets of @request with the scanner (tu_scan_target) and store them in @store
 * (nullable: only the reporter's host hook sees them). FALSE with @error when the binary
 * fingerprint rules are broken or a hook stopped the ingest. */
gboolean tu_ingest_targets (const TuIngestRequest *request, TuStore *store,
			    const TuIngestReporter *reporter, TuIngestSummary *summary,
			    GError **error);

G_END_DECLS
