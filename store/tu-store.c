/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Storing one host's scan; see tu-store.h for the contract.
 *
 * Identities are computed here, not by the server: a software row's id hashes its raw
 * identity, an installation's install_key hashes (source, raw_name, arch, location). The diff
 * against the host's current installations is done in memory (a host has thousands of rows,
 * not millions), then applied with a handful of batched statements: close what vanished or
 * changed version, move last_seen on the rest, insert what is new.
 *
 * The store remembers which software ids it has written in earlier committed transactions, so
 * an estate of many hosts writes each distinct package once per process.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-sql.h"
#include "tu-store.h"
#include "tu-fit.h"
#include "tu-product-columns.h"
#include "tu-writer.h"

struct _TuStore {
	TuDb *db;
	TuNormaliser *norm;
	gint64 fixed_time_us;
	GHashTable *known_software; /* guint64* software ids committed by this process */
	GHashTable *new_software;   /* guint64* -> Entry*: written by the transaction in flight */
	TuFit *fit;		    /* column widths, read on the first scan */
	gboolean fit_borrowed;	    /* a lane's: its first store's (read-only once read) */
	TuDb *own_db;		    /* a lane's own connection, closed with it */
	gboolean prepare_ready;	    /* tu_store_prepare may run on other threads */
};

/* One distinct installation of the scan. */
typedef struct {
	const TuRecord *rec;
	guint64 install_key;
	guint64 software_id;
	const TuProduct *product;
	gboolean matched;
} Entry;

/* One current installation row of the host. */
typedef struct {
	guint64 id;
	guint64 install_key;
	guint64 software_id;
	char *state;
	char *raw_version;
	TuSource source;
	gboolean matched;
	gboolean kept;		 /* the scan has it unchanged: it stays open */
	gboolean kept_installed; /* and its state after this scan is 'installed' */
} Current;

typedef struct _Tail Tail;

typedef struct {
	TuStore *store;
	TuHostScan *scan;
	GHashTable *warned; /* warnings already given (a transaction may run again) */
	const char *hostname; /* the host's name as stored: its hostname fact, else the target */
	GPtrArray *owned;   /* values cut to their columns */
	GArray *entries; /* Entry */
	char *token;
	guint64 scan_id;
	char *now;	 /* DATETIME(6) literal value */
	/* per attempt */
	guint64 host_id;
	guint64 prev_scan_id; /* the host's newest stored scan; 0: none yet */
	char *prev_seen;      /* its observation time (DATETIME(6) literal value) */
	char *prev_digest;    /* hosts.current_digest in hex (migration 0013); NULL: not known */
	char *digest;	      /* the same digest of this scan's entries, in hex */
	guint64 install_seq;  /* hosts.install_seq: the last installation id it gave (0014) */
	char *refusal;	      /* why an out-of-order scan was not stored */
	gboolean is_new_host; /* this attempt created the host's row: it has nothing stored yet */
	GArray *current; /* Current */
	TuStoreStats stats;
	/* the group's tail (see "hosts in groups"): what this attempt left for the end of the
	 * group's transaction; tail NULL: everything is written at once */
	Tail *tail;
	char *identity;	      /* hosts.identity of the host's row (lock_host) */
	gboolean in_tail;     /* listed in tail->jobs */
	gboolean tail_finish; /* its hosts row (update_host) and scans row (finish_scan_row) wait */
	char *tail_set;	      /* its software set's software_ids in hex; NULL: none waits */
	guint tail_set_n;     /* and its n_installations */
} Job;

/* One software row a host of the group left for the tail. */
typedef struct {
	Job *job;
	Entry *entry;
} TailSoftware;

struct _Tail {
	GPtrArray *jobs;  /* Job *: hosts with rows waiting, in the order they were stored */
	GArray *software; /* TailSoftware: new software rows of the group's hosts */
	TuWriter *lic;	  /* licensable_installations rows; NULL: none yet */
};

TuStore *
tu_store_new (TuDb *db, TuNormaliser *norm)
{
	TuStore *store = g_new0 (TuStore, 1);
	store->db = db;
	store->norm = norm;
	store->known_software = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
	store->new_software = g_hash_table_new (g_int64_hash, g_int64_equal);
	return store;
}

static void load_widths (TuStore *store);

TuStore *
tu_store_new_lane (TuStore *store, GError **error)
{
	TuDb *db = tu_db_open_another (store->db, error);
	if (db == NULL)
		return NULL;
	load_widths (store);
	TuStore *lane = tu_store_new (db, store->norm);
	lane->own_db = db;
	lane->fixed_time_us = store->fixed_time_us;
	lane->fit = store->fit;
	lane->fit_borrowed = TRUE;
	lane->prepare_ready = store->prepare_ready;
	return lane;
}

TuDb *
tu_store_db (TuStore *store)
{
	return store->db;
}

void
tu_store_free (TuStore *store)
{
	if (store == NULL)
		return;
	g_hash_table_unref (store->known_software);
	g_hash_table_unref (store->new_software);
	if (store->fit != NULL && !store->fit_borrowed)
		tu_fit_free (store->fit);
	tu_db_close (store->own_db);
	g_free (store);
}

void
tu_store_set_time (TuStore *store, gint64 time_us)
{
	store->fixed_time_us = time_us;
}

char *
tu_store_format_time (gint64 time_us)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
	g_autofree char *secs = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
	return g_strdup_printf ("%s.%06d", secs, (int) (time_us % G_USEC_PER_SEC));
}

static guint64
software_id_of (const TuRecord *r)
{
	const char *parts[] = {tu_source_to_string (r->source), r->raw_name,
			       r->raw_version ? r->raw_version : "",
			       r->raw_publisher ? r->raw_publisher : "", r->arch ? r->arch : ""};
	return tu_hash_strings (parts, G_N_ELEMENTS (parts));
}

static guint64
install_key_of (const TuRecord *r)
{
	const char *parts[] = {tu_source_to_string (r->source), r->raw_name, r->arch ? r->arch : "",
			       r->location ? r->location : ""};
	return tu_hash_strings (parts, G_N_ELEMENTS (parts));
}

static const char *
state_of (const TuRecord *r)
{
	return r->state ? r->state : "installed";
}

/* ---------------------------------------------------------------- column widths -------- */
/*
 * A value longer than its column would fail the whole host's transaction ("Data truncated"),
 * keeping one hostile or odd package (a 40-character Architecture, a 1,000-character
 * PRETTY_NAME) out of the inventory with everything else of its host. Values are cut to the
 * column's width (tu-fit.h) instead, with a warning naming the field, before anything is
 * written.
 */

static void
load_widths (TuStore *store)
{
	if (store->fit == NULL)
		store->fit = tu_fit_new (store->db);
}

static char *
fit_value (TuStore *store, const char *column, const char *value, guint *n_chars, gint *width)
{
	return tu_fit_value (store->fit, column, value, n_chars, width);
}

static void
warn_cut (TuHostScan *scan, const char *field, const char *whose, guint n, gint width)
{
	if (width > 0)
		tu_host_scan_warn (scan, "%s%s%s: %u characters, more than the %d the inventory "
					 "holds; cut to %d",
				   whose ? whose : "", whose ? ": " : "", field, n, width, width);
	else
		tu_host_scan_warn (scan, "%s%s%s: %u bytes, more than the %d the inventory holds; cut",
				   whose ? whose : "", whose ? ": " : "", field, n, -width);
}

static void
fit_fact (TuStore *store, TuHostScan *scan, char **fact, const char *column)
{
	guint n = 0;
	gint w = 0;
	char *cut = fit_value (store, column, *fact, &n, &w);
	if (cut == NULL)
		return;
	warn_cut (scan, strchr (column, '.') + 1, "host fact", n, w);
	g_free (*fact);
	*fact = cut;
}

#define FACT(f) {G_STRUCT_OFFSET (TuHostFacts, f), "hosts." #f}
#define REC(f, col) {G_STRUCT_OFFSET (TuRecord, f), col}

/* Cut the scan's over-long values (facts, target, records) to the columns they go to. */
static void
fit_scan (TuStore *store, TuHostScan *scan)
{
	load_widths (store);
	static const struct {
		glong offset;
		const char *column;
	} facts[] = {
		FACT (hostname),   FACT (fqdn),	     FACT (machine_id), FACT (os_id),
		FACT (os_like),	   FACT (os_name),   FACT (os_version), FACT (os_version_id),
		FACT (os_pretty),  FACT (os_edition), FACT (kernel),	FACT (arch),
		FACT (cpu_model),  FACT (hypervisor), FACT (dmi_vendor), FACT (dmi_model),
		FACT (dmi_serial), FACT (ip_addresses), FACT (domain),
	};
	for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
		fit_fact (store, scan, G_STRUCT_MEMBER_P (&scan->facts, facts[i].offset),
			  facts[i].column);
	fit_fact (store, scan, &scan->target, "scans.target");
	fit_fact (store, scan, &scan->target, "hosts.target");
	if (scan->records == NULL)
		return;
	static const struct {
		glong offset;
		const char *column;
	} fields[] = {
		REC (raw_name, "software.raw_name"),
		REC (raw_version, "software.raw_version"),
		REC (raw_publisher, "software.raw_publisher"),
		REC (arch, "software.arch"),
		REC (source_package, "software.source_package"),
		REC (kind, "software.source_kind"),
		REC (purl, "software.purl"),
		REC (cpe, "software.cpe"),
		REC (location, "installations.location"),
		REC (state, "installations.state"),
	};
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		TuRecord *r = tu_record_list_get_mutable (scan->records, i);
		for (guint f = 0; f < G_N_ELEMENTS (fields); f++) {
			const char **field = G_STRUCT_MEMBER_P (r, fields[f].offset);
			guint n = 0;
			gint w = 0;
			g_autofree char *cut = fit_value (store, fields[f].column, *field, &n, &w);
			if (cut == NULL)
				continue;
			/* name the record by what is left of its name */
			g_autofree char *who = g_strdup_printf (
				"%s %.60s%s", tu_source_to_string (r->source), r->raw_name ? r->raw_name : "",
				r->raw_name && g_utf8_strlen (r->raw_name, -1) > 60 ? "…" : "");
			g_autofree char *whose = g_utf8_make_valid (who, -1);
			warn_cut (scan, strchr (fields[f].column, '.') + 1, whose, n, w);
			*field = tu_record_list_intern (scan->records, cut, -1);
		}
	}
}

/* A value computed here (a normalised field from the rules, which may copy a raw field into a
 * narrower column; the host name taken from the target) cut to its column; @value itself when
 * it fits. The cut copies live in @owned. */
static const char *
fit_str (Job *job, const char *column, const char *value, GPtrArray *owned, const char *whose)
{
	guint n = 0;
	gint w = 0;
	char *cut = fit_value (job->store, column, value, &n, &w);
	if (cut == NULL)
		return value;
	g_ptr_array_add (owned, cut);
	g_autofree char *key = g_strdup_printf ("%s\t%s", column, value);
	if (!g_hash_table_contains (job->warned, key)) {
		/* a retried transaction must not warn twice */
		g_hash_table_add (job->warned, g_steal_pointer (&key));
		warn_cut (job->scan, strchr (column, '.') + 1, whose, n, w);
	}
	return cut;
}

/* ---------------------------------------------------------------- scans rows ----------- */

/* The scan's row, 'running' (migration 0010): @token, made once per scan, makes the INSERT
 * idempotent. When the connection is lost after the server ran it but before its answer came,
 * the INSERT sent again after the reconnect (or the group's transaction run again) finds the
 * row by its token and takes its id (LAST_INSERT_ID(id)) instead of making a second one that
 * would stay 'running'. */
static gboolean
insert_scan_row (TuStore *store, const TuHostScan *scan, const char *started, const char *token,
		 gboolean in_transaction, guint64 *scan_id, GError **error)
{
	static const char sql[] = "INSERT INTO scans (target, started_at, status, token, runner, "
				  "runner_user, lease_until) VALUES (?, ?, 'running', ?, "
				  "CONCAT(@@hostname, ':', @@port, '/', CONNECTION_ID()), "
				  "SUBSTRING_INDEX(USER(), '@', 1), "
				  "UTC_TIMESTAMP(6) + INTERVAL ? SECOND) ON DUPLICATE KEY UPDATE "
				  "id = LAST_INSERT_ID(id), runner = VALUES(runner), "
				  "lease_until = VALUES(lease_until)";
	g_autoptr(TuSql) q = tu_sql_new (store->db, sql);
	tu_sql_bind_str (q, scan->target);
	tu_sql_bind_str (q, started);
	tu_sql_bind_str (q, token);
	tu_sql_bind_int (q, TU_STORE_LEASE_SECONDS);
	if (in_transaction ? !tu_db_exec (store->db, tu_sql_get (q), error)
			   : !tu_db_exec_retry (store->db, tu_sql_get (q), error))
		return FALSE;
	*scan_id = tu_db_insert_id (store->db);
	return TRUE;
}

static char *
join_warnings (const TuHostScan *scan)
{
	if (scan->warnings->len == 0)
		return NULL;
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < scan->warnings->len && s->len < 60000; i++) {
		if (i > 0)
			g_string_append_c (s, '\n');
		g_string_append (s, tu_warnings_text (scan->warnings, i));
	}
	return g_string_free (s, FALSE);
}

/* The values of a finished scan's row from host_id to warnings, in the order of
 * finish_scan_sql and of the group's tail (tail_scans_row). */
static void
bind_scan_finish (TuSql *q, TuStore *store, const TuHostScan *scan, guint64 host_id,
		  const char *status, const char *error_message, const TuStoreStats *stats)
{
	g_autofree char *warnings = join_warnings (scan);
	g_autofree char *finished = tu_store_format_time (
		store->fixed_time_us ? store->fixed_time_us : g_get_real_time ());
	tu_sql_bind_uint_or_null (q, host_id, host_id != 0);
	tu_sql_bind_str (q, finished);
	tu_sql_bind_str (q, status);
	tu_sql_bind_str (q, error_message);
	tu_sql_bind_uint (q, stats ? stats->n_records : 0);
	tu_sql_bind_uint (q, stats ? stats->n_added : 0);
	tu_sql_bind_uint (q, stats ? stats->n_updated : 0);
	tu_sql_bind_uint (q, stats ? stats->n_removed : 0);
	tu_sql_bind_uint (q, stats ? stats->n_unchanged : 0);
	tu_sql_bind_uint (q, scan->warnings->len);
	tu_sql_bind_str (q, warnings);
}

static gboolean
finish_scan_row (TuStore *store, const TuHostScan *scan, guint64 scan_id, guint64 host_id,
		 const char *status, const char *error_message, const TuStoreStats *stats,
		 gboolean in_transaction, GError **error)
{
	g_autoptr(TuSql) q = tu_sql_new (
		store->db, "UPDATE scans SET host_id = ?, finished_at = ?, status = ?, error = ?, "
			   "n_records = ?, n_added = ?, n_updated = ?, n_removed = ?, "
			   "n_unchanged = ?, n_warnings = ?, warnings = ? WHERE id = ?");
	bind_scan_finish (q, store, scan, host_id, status, error_message, stats);
	tu_sql_bind_uint (q, scan_id);
	if (in_transaction)
		return tu_db_exec (store->db, tu_sql_get (q), error);
	return tu_db_exec_retry (store->db, tu_sql_get (q), error);
}

/* ---------------------------------------------------------------- host identity -------- */

static char *
host_identity (const TuHostFacts *f, const char *hostname)
{
	if (f->machine_id != NULL)
		return g_strdup_printf ("machine-id:%s", f->machine_id);
	g_autofree char *lower = g_utf8_strdown (hostname, -1);
	return g_strdup_printf ("hostname:%s", lower);
}

static const char *
effective_hostname (const TuHostScan *scan)
{
	if (scan->facts.hostname != NULL)
		return scan->facts.hostname;
	return scan->target;
}

static gboolean tail_holds (const Tail *t, guint64 host_id);
static gboolean tail_flush (Tail *t, TuDb *db, GError **error);

/* Read the host's row under its row lock (SELECT ... FOR UPDATE, which a Galera cluster
 * certifies, unlike GET_LOCK): every scan of one host serialises here, before it reads the
 * host's current state. A host that an earlier scan of the group stored has rows waiting in
 * the group's tail: they are written first and the row read again, so that this scan reads
 * what that one stored. */
static gboolean
select_host_locked (Job *job, const char *identity, gboolean *found, GError **error)
{
	TuDb *db = job->store->db;
	g_autoptr(TuSql) q = tu_sql_new (db, "SELECT id, last_scan_id, last_seen, "
					     "HEX(current_digest), install_seq FROM hosts "
					     "WHERE identity = ? FOR UPDATE");
	tu_sql_bind_str (q, identity);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row = mysql_fetch_row (res);
	*found = row != NULL;
	if (row == NULL)
		return TRUE;
	if (job->tail != NULL && tail_holds (job->tail, g_ascii_strtoull (row[0], NULL, 10))) {
		g_clear_pointer (&res, mysql_free_result);
		if (!tail_flush (job->tail, db, error))
			return FALSE;
		return select_host_locked (job, identity, found, error);
	}
	job->host_id = g_ascii_strtoull (row[0], NULL, 10);
	job->prev_scan_id = (guint64) tu_row_int (row, 1, 0);
	g_free (job->prev_seen);
	job->prev_seen = g_strdup (tu_row_str (row, 2));
	g_free (job->prev_digest);
	job->prev_digest = row[3] != NULL ? g_ascii_strdown (row[3], -1) : NULL;
	job->install_seq = g_ascii_strtoull (row[4], NULL, 10);
	return TRUE;
}

static gboolean
lock_host (Job *job, GError **error)
{
	TuDb *db = job->store->db;
	const TuHostFacts *f = &job->scan->facts;
	const char *hostname = job->hostname;
	g_autofree char *identity = host_identity (f, hostname);
	gboolean found = FALSE;

	g_free (job->identity);
	job->identity = g_strdup (identity);

	job->is_new_host = FALSE;
	if (!select_host_locked (job, identity, &found, error))
		return FALSE;
	if (!found && f->machine_id != NULL) {
		/* adopt a host first known by name only (from an export) */
		g_autofree char *lower = g_utf8_strdown (hostname, -1);
		g_autofree char *by_name = g_strdup_printf ("hostname:%s", lower);
		if (!select_host_locked (job, by_name, &found, error))
			return FALSE;
		if (found) {
			g_autoptr(TuSql) adopt = tu_sql_new (db, "UPDATE hosts SET identity = ?, "
								 "machine_id = ? WHERE id = ?");
			tu_sql_bind_str (adopt, identity);
			tu_sql_bind_str (adopt, f->machine_id);
			tu_sql_bind_uint (adopt, job->host_id);
			if (!tu_db_exec (db, tu_sql_get (adopt), error))
				return FALSE;
		}
	}
	if (!found) {
		/* a new host: two scanners may race here; the unique identity lets one insert
		 * and the other wait on it, then both read the row under its lock */
		g_autoptr(TuSql) ins = tu_sql_new (db, "INSERT INTO hosts (identity, machine_id, "
						       "hostname, first_seen, last_seen) VALUES "
						       "(?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id");
		tu_sql_bind_str (ins, identity);
		tu_sql_bind_str (ins, f->machine_id);
		tu_sql_bind_str (ins, hostname);
		tu_sql_bind_str (ins, job->now);
		tu_sql_bind_str (ins, job->now);
		if (!tu_db_exec (db, tu_sql_get (ins), error))
			return FALSE;
		if (tu_db_affected_rows (db) == 1) {
			/* this scan made the row (and holds its lock): nothing to read back, and
			 * no installations yet (two round trips a new host saved) */
			job->host_id = tu_db_insert_id (db);
			job->prev_scan_id = 0;
			g_free (job->prev_seen);
			job->prev_seen = g_strdup (job->now);
			g_clear_pointer (&job->prev_digest, g_free);
			job->install_seq = 0;
			job->is_new_host = TRUE;
			return TRUE;
		}
		if (!select_host_locked (job, identity, &found, error))
			return FALSE;
		if (!found) {
			g_set_error (error, TU_ERROR, TU_ERROR_DB, "host %s: no row after inserting it",
				     hostname);
			return FALSE;
		}
	}
	return TRUE;
}

/* The host's facts and its newest scan from machine_id to install_seq, in the order of
 * update_host and of the group's tail (tail_hosts_row). */
static void
bind_host_facts (TuSql *q, const Job *job)
{
	const TuHostFacts *f = &job->scan->facts;
	tu_sql_bind_str (q, f->machine_id);
	tu_sql_bind_str (q, job->hostname);
	tu_sql_bind_str (q, f->fqdn);
	tu_sql_bind_str (q, f->domain);
	tu_sql_bind_str (q, f->os_id);
	tu_sql_bind_str (q, f->os_like);
	tu_sql_bind_str (q, f->os_name);
	tu_sql_bind_str (q, f->os_version);
	tu_sql_bind_str (q, f->os_version_id);
	tu_sql_bind_str (q, f->os_pretty);
	tu_sql_bind_str (q, f->os_edition);
	tu_sql_bind_str (q, f->kernel);
	tu_sql_bind_str (q, f->arch);
	tu_sql_bind_str (q, f->cpu_model);
	tu_sql_bind_int_or_null (q, f->sockets, f->sockets >= 0);
	tu_sql_bind_int_or_null (q, f->cores, f->cores >= 0);
	tu_sql_bind_int_or_null (q, f->threads, f->threads >= 0);
	tu_sql_bind_int_or_null (q, f->memory_bytes, f->memory_bytes >= 0);
	tu_sql_bind_int_or_null (q, f->is_virtual, f->is_virtual >= 0);
	tu_sql_bind_str (q, f->hypervisor);
	tu_sql_bind_str (q, f->dmi_vendor);
	tu_sql_bind_str (q, f->dmi_model);
	tu_sql_bind_str (q, f->dmi_serial);
	tu_sql_bind_str (q, f->ip_addresses);
	tu_sql_bind_str (q, job->scan->target);
	tu_sql_bind_str (q, job->now);
	tu_sql_bind_str (q, job->now);
	tu_sql_bind_uint (q, job->scan_id);
	tu_sql_bind_str (q, job->digest);
	tu_sql_bind_uint (q, job->install_seq);
}

/* The host's facts and its newest scan, written once the scan is known to be the newest. */
static gboolean
update_host (Job *job, GError **error)
{
	TuDb *db = job->store->db;
	g_autoptr(TuSql) q = tu_sql_new (
		db,
		"UPDATE hosts SET machine_id = ?, hostname = ?, fqdn = ?, domain = ?, os_id = ?, "
		"os_like = ?, os_name = ?, os_version = ?, os_version_id = ?, os_pretty = ?, "
		"os_edition = ?, kernel = ?, arch = ?, cpu_model = ?, cpu_sockets = ?, "
		"cpu_cores = ?, cpu_threads = ?, memory_bytes = ?, is_virtual = ?, hypervisor = ?, "
		"dmi_vendor = ?, dmi_model = ?, dmi_serial = ?, ip_addresses = ?, target = ?, "
		"first_seen = LEAST(first_seen, ?), last_seen = ?, last_scan_id = ?, "
		"current_digest = UNHEX(?), install_seq = ? WHERE id = ?");
	bind_host_facts (q, job);
	tu_sql_bind_uint (q, job->host_id);
	return tu_db_exec (db, tu_sql_get (q), error);
}

/* ---------------------------------------------------------------- installation ids ----- */
/*
 * An installation row's id is given by the store, not by the server (migration 0014):
 * (host_id << 32) | seq, where seq counts the host's rows in hosts.install_seq, read with the
 * host's row under its lock (select_host_locked) and written back with it (update_host,
 * place_older). The ids are unique (the host in the high half, a counter that only the holder
 * of the host's lock moves in the low one) and grow within a host in the order its rows are
 * inserted; those AUTO_INCREMENT gave before 0014 are below 2^32, so below every new one. Host
 * ids stay below 2^31, so that an id fits a signed 64-bit integer as well.
 */
static gboolean
next_install_id (Job *job, guint64 *id, GError **error)
{
	if (job->host_id >= G_GUINT64_CONSTANT (1) << 31 || job->install_seq >= G_MAXUINT32) {
		g_set_error (error, TU_ERROR, TU_ERROR_DB,
			     "host %s (id %" G_GUINT64_FORMAT "): no installation id is left "
			     "for it (%" G_GUINT64_FORMAT " given; ids are host_id * 2^32 + a "
			     "32-bit count, for host ids below 2^31)",
			     job->hostname, job->host_id, job->install_seq);
		return FALSE;
	}
	*id = (job->host_id << 32) | ++job->install_seq;
	return TRUE;
}

/* ---------------------------------------------------------------- diff ----------------- */

static void
current_clear (gpointer p)
{
	Current *c = p;
	g_free (c->state);
	g_free (c->raw_version);
}

static gboolean
load_current (Job *job, GError **error)
{
	TuDb *db = job->store->db;
	g_autoptr(TuSql) q = tu_sql_new (db,
					 "SELECT i.id, i.install_key, i.software_id, i.state, "
					 "s.raw_version, s.source FROM installations i JOIN software s "
					 "ON s.id = i.software_id WHERE i.host_id = ? AND "
					 "i.removed_at IS NULL");
	tu_sql_bind_uint (q, job->host_id);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		Current c = {0};
		c.id = g_ascii_strtoull (row[0], NULL, 10);
		c.install_key = g_ascii_strtoull (row[1], NULL, 10);
		c.software_id = g_ascii_strtoull (row[2], NULL, 10);
		c.state = g_strdup (tu_row_str (row, 3));
		c.raw_version = g_strdup (tu_row_str (row, 4));
		c.source = tu_source_from_string (row[5]);
		g_array_append_val (job->current, c);
	}
	return TRUE;
}

typedef struct {
	guint64 a, b;
} KeyPair;

static guint
keypair_hash (gconstpointer p)
{
	const KeyPair *k = p;
	return (guint) (k->a ^ (k->a >> 32) ^ (k->b * 31) ^ (k->b >> 29));
}

static gboolean
keypair_equal (gconstpointer a, gconstpointer b)
{
	const KeyPair *x = a, *y = b;
	return x->a == y->a && x->b == y->b;
}

/* Run "PREFIX id IN (...)" (PREFIX ends in WHERE or AND) with at most 1000 ids each. */
static gboolean
update_ids (TuDb *db, const char *prefix, GArray *ids, GError **error)
{
	for (guint start = 0; start < ids->len; start += 1000) {
		g_autoptr(GString) sql = g_string_new (prefix);
		g_string_append (sql, " id IN (");
		for (guint i = start; i < ids->len && i < start + 1000; i++)
			g_string_append_printf (sql, "%s%" G_GUINT64_FORMAT, i > start ? "," : "",
						g_array_index (ids, guint64, i));
		g_string_append_c (sql, ')');
		if (!tu_db_exec (db, sql->str, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
close_rows (Job *job, GArray *ids, const char *reason, GError **error)
{
	if (ids->len == 0)
		return TRUE;
	TuDb *db = job->store->db;
	/* A scan of the same instant as the newest stored one replaces it: what that scan
	 * opened and this one does not see was never there, and an empty interval [t, t)
	 * would be no history at all. (The prefix is built with bound values; ids are appended
	 * as integers.) */
	if (g_strcmp0 (job->prev_seen, job->now) == 0) {
		g_autoptr(TuSql) del = tu_sql_new (db, "DELETE FROM installations WHERE host_id = ? "
						       "AND first_seen = ? AND");
		tu_sql_bind_uint (del, job->host_id);
		tu_sql_bind_str (del, job->now);
		if (!update_ids (db, tu_sql_get (del), ids, error))
			return FALSE;
	}
	/* An interval closes at this scan; it was last seen by the host's previous scan, which
	 * saw every current installation (a host's current set comes from one scan). */
	g_autoptr(TuSql) q = tu_sql_new (db, "UPDATE installations SET removed_at = ?, "
					     "removed_reason = ?, last_seen = ?, last_scan_id = ? "
					     "WHERE host_id = ? AND removed_at IS NULL AND");
	tu_sql_bind_str (q, job->now);
	tu_sql_bind_str (q, reason);
	tu_sql_bind_str (q, job->prev_seen);
	tu_sql_bind_uint (q, job->prev_scan_id);
	tu_sql_bind_uint (q, job->host_id);
	return update_ids (db, tu_sql_get (q), ids, error);
}

static int
compare_for_pairing (TuSource source, const char *a, const char *b)
{
	return tu_version_compare (tu_scheme_for_source (source), a ? a : "", b ? b : "");
}

static gboolean
write_software (Job *job, TuWriter *sw, Entry *e, GError **error)
{
	const TuRecord *r = e->rec;
	const TuProduct *p = e->product;
	tu_writer_add_uint (sw, e->software_id);
	tu_writer_add_str (sw, tu_source_to_string (r->source));
	tu_writer_add_str (sw, r->raw_name);
	tu_writer_add_str (sw, r->raw_version ? r->raw_version : "");
	tu_writer_add_str (sw, r->raw_publisher ? r->raw_publisher : "");
	tu_writer_add_str (sw, r->arch ? r->arch : "");
	tu_writer_add_str (sw, r->source_package);
	tu_writer_add_str (sw, r->kind);
	tu_writer_add_str (sw, r->purl);
	tu_writer_add_str (sw, r->cpe);
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
	for (guint k = 0; k < TU_N_PCOLS; k++) {
		const TuProductColumn *c = tu_product_column (k);
		gint64 flag = 0;
		const char *text = tu_product_column_value (p, k, &flag);
		if (c->is_flag)
			tu_writer_add_int (sw, flag);
		else if (c->fit_column != NULL)
			tu_writer_add_str (sw, fit_str (job, c->fit_column, text, owned,
							"normalised"));
		else
			tu_writer_add_str (sw, text);
	}
	tu_writer_add_str (sw, job->now);
	return tu_writer_end_row (sw, error);
}

static const char *const software_columns[] = {
	"id",
	"source",
	"raw_name",
	"raw_version",
	"raw_publisher",
	"arch",
	"source_package",
	"source_kind",
	"purl",
	"cpe",
	TU_PRODUCT_COLUMN_NAMES,
	"first_seen",
	NULL,
};

/* an opened installation's own columns; the host's (host_id, first_seen, last_seen,
 * first_scan_id, last_scan_id) are the same for all its rows and go once a batch
 * (install_writer) */
static const char *const installation_columns[] = {
	"id", "install_key", "software_id", "location", "install_date", "size_bytes", "state",
	NULL};

static const char *const licensable_columns[] = {
	"host_id",
	"install_key",
	"software_id",
	"first_seen",
	NULL,
};

/* The writer of the intervals this scan opens: the server reads and converts the host's values
 * once a batch, not once a row. */
static TuWriter *
install_writer (Job *job, TuDb *db)
{
	TuWriter *w = tu_writer_new (db, "installations", installation_columns, TU_WRITER_INSERT,
				     NULL);
	tu_writer_set_const_uint (w, "host_id", job->host_id);
	tu_writer_set_const_str (w, "first_seen", job->now);
	tu_writer_set_const_str (w, "last_seen", job->now);
	tu_writer_set_const_uint (w, "first_scan_id", job->scan_id);
	tu_writer_set_const_uint (w, "last_scan_id", job->scan_id);
	return w;
}

static gboolean
write_installation (TuWriter *w, guint64 id, const Entry *e, GError **error)
{
	const TuRecord *r = e->rec;
	guint32 julian = 0;
	tu_writer_add_uint (w, id);
	tu_writer_add_uint (w, e->install_key);
	tu_writer_add_uint (w, e->software_id);
	tu_writer_add_str (w, r->location ? r->location : "");
	if (r->install_date == NULL ||
	    !tu_date_parse (r->install_date, &julian, "install_date", NULL))
		julian = 0;
	tu_writer_add_date (w, julian);
	tu_writer_add_int_or_null (w, r->size_bytes, r->size_bytes >= 0);
	tu_writer_add_str (w, state_of (r));
	return tu_writer_end_row (w, error);
}

static gint
entry_cmp_software (gconstpointer a, gconstpointer b)
{
	const Entry *x = *(const Entry *const *) a;
	const Entry *y = *(const Entry *const *) b;
	return (x->software_id > y->software_id) - (x->software_id < y->software_id);
}

static gint
current_cmp_id (gconstpointer a, gconstpointer b)
{
	const Current *x = *(Current *const *) a, *y = *(Current *const *) b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void tail_add (Tail *t, Job *job);

/* @v as 16 hex digits, without a printf: a set has one a current installation */
static void
append_hex64 (GString *s, guint64 v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[16];
	for (int i = 15; i >= 0; i--) {
		buf[i] = digits[v & 0xf];
		v >>= 4;
	}
	g_string_append_len (s, buf, sizeof buf);
}

/* The host's current installed software (host_software_sets, migration 0009) after this scan:
 * the installations it keeps, in id order, then those it opens, in the order they were
 * inserted (their ids come after). Written only when the scan changed the set. */
static gboolean
write_software_set (Job *job, GPtrArray *to_insert, GError **error)
{
	g_autoptr(GPtrArray) kept = g_ptr_array_new ();
	for (guint i = 0; i < job->current->len; i++) {
		Current *c = &g_array_index (job->current, Current, i);
		if (c->kept && c->kept_installed)
			g_ptr_array_add (kept, c);
	}
	g_ptr_array_sort (kept, current_cmp_id);
	g_autoptr(GString) hex = g_string_sized_new (16 * (kept->len + to_insert->len) + 1);
	guint n = kept->len;
	for (guint i = 0; i < kept->len; i++) {
		const Current *c = g_ptr_array_index (kept, i);
		append_hex64 (hex, c->software_id);
	}
	for (guint i = 0; i < to_insert->len; i++) {
		const Entry *e = g_ptr_array_index (to_insert, i);
		if (g_strcmp0 (state_of (e->rec), "installed") != 0)
			continue;
		append_hex64 (hex, e->software_id);
		n++;
	}
	if (job->tail != NULL) {
		g_free (job->tail_set);
		job->tail_set = g_string_free (g_steal_pointer (&hex), FALSE);
		job->tail_set_n = n;
		tail_add (job->tail, job);
		return TRUE;
	}
	TuDb *db = job->store->db;
	static const char *const sql =
		"INSERT INTO host_software_sets (host_id, n_installations, software_ids) VALUES "
		"(?, ?, UNHEX(?)) ON DUPLICATE KEY UPDATE n_installations = "
		"VALUES(n_installations), software_ids = VALUES(software_ids)";
	g_autoptr(TuSql) q = tu_sql_new (db, sql);
	tu_sql_bind_uint (q, job->host_id);
	tu_sql_bind_uint (q, n);
	tu_sql_bind_str (q, hex->str);
	return tu_db_exec (db, tu_sql_get (q), error);
}

/* The host's software set made again from its installations, after a placement that may have
 * reopened current intervals as new rows (new ids): rare, so read back rather than tracked. */
static gboolean
refresh_software_set (Job *job, GError **error)
{
	TuDb *db = job->store->db;
	static const char *const sql =
		"INSERT INTO host_software_sets (host_id, n_installations, software_ids) SELECT ?, "
		"COUNT(*), COALESCE(GROUP_CONCAT(UNHEX(LPAD(HEX(software_id), 16, '0')) "
		"ORDER BY id SEPARATOR ''), '') FROM installations WHERE host_id = ? AND "
		"removed_at IS NULL AND state = 'installed' ON DUPLICATE KEY UPDATE "
		"n_installations = "
		"VALUES(n_installations), software_ids = VALUES(software_ids)";
	g_autoptr(TuSql) q = tu_sql_new (db, sql);
	tu_sql_bind_uint (q, job->host_id);
	tu_sql_bind_uint (q, job->host_id);
	return tu_db_exec (db, "SET SESSION group_concat_max_len = 4294967295", error) &&
	       tu_db_exec (db, tu_sql_get (q), error);
}

/* ---------------------------------------------------------------- the group's tail ----- */
/*
 * In a group of several hosts (group_txn), what each host writes last and alone (its new
 * software rows, its licensable keys, its software set, its hosts row, its scans row's
 * finishing) waits in the group's tail and is written once for the group, at the end of the
 * group's transaction, as a few multi-row statements: a host then costs its own reads and its
 * installations' LOAD DATA, not seven statements. The tail belongs to the transaction: it is
 * emptied when the group's transaction starts (again), written before it commits, and a host
 * stored again alone after a failed group writes everything at once (tail NULL). A host that
 * an earlier scan of the group stored is found waiting in the tail by select_host_locked,
 * which writes the tail before reading the host, so a second scan reads what the first
 * stored. Rows of existing keys are written with INSERT ... ON DUPLICATE KEY UPDATE on the
 * primary key, giving every NOT NULL column without a default the row's own value.
 */

/* about the most one statement of the tail sends (a server's max_allowed_packet is 16 MB by
 * default) */
#define TAIL_STATEMENT_BYTES (1024 * 1024)

static gboolean
tail_holds (const Tail *t, guint64 host_id)
{
	for (guint i = 0; i < t->jobs->len; i++) {
		const Job *job = g_ptr_array_index (t->jobs, i);
		if (job->host_id == host_id)
			return TRUE;
	}
	return FALSE;
}

static void
tail_add (Tail *t, Job *job)
{
	if (!job->in_tail)
		g_ptr_array_add (t->jobs, job);
	job->in_tail = TRUE;
}

/* The licensable keys' writer of the tail, made on first use. (transfer none) */
static TuWriter *
tail_lic (Tail *t, TuDb *db)
{
	if (t->lic == NULL)
		t->lic = tu_writer_new (db, "licensable_installations", licensable_columns,
					TU_WRITER_INSERT_IGNORE, NULL);
	return t->lic;
}

/* Forget what waits (a new attempt of the group's transaction, or after writing it). */
static void
tail_clear (Tail *t)
{
	for (guint i = 0; i < t->jobs->len; i++) {
		Job *job = g_ptr_array_index (t->jobs, i);
		job->in_tail = FALSE;
		job->tail_finish = FALSE;
		g_clear_pointer (&job->tail_set, g_free);
	}
	g_ptr_array_set_size (t->jobs, 0);
	g_array_set_size (t->software, 0);
	g_clear_pointer (&t->lic, tu_writer_free);
}

typedef gboolean (*TailWants) (const Job *job);
typedef gsize (*TailBytes) (const Job *job);
typedef void (*TailBind) (TuSql *q, const Job *job);

/* "@head (@row), (@row), ... ON DUPLICATE KEY UPDATE @update" over the tail's hosts that
 * @wants, one statement per about TAIL_STATEMENT_BYTES; @bind binds one host's @row. The
 * statement's text is made of the fixed strings only; every value is bound. */
static gboolean
tail_upsert (Tail *t, TuDb *db, TailWants wants, TailBytes bytes, const char *head,
	     const char *row, const char *update, TailBind bind, GError **error)
{
	g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
	for (guint i = 0; i < t->jobs->len; i++) {
		Job *job = g_ptr_array_index (t->jobs, i);
		if (wants (job))
			g_ptr_array_add (jobs, job);
	}
	for (guint start = 0; start < jobs->len;) {
		guint end = start;
		gsize n_bytes = 0;
		while (end < jobs->len && (end == start || n_bytes < TAIL_STATEMENT_BYTES))
			n_bytes += bytes (g_ptr_array_index (jobs, end++));
		g_autoptr(GString) sql = g_string_new (head);
		for (guint i = start; i < end; i++) {
			g_string_append (sql, i > start ? ", " : " ");
			g_string_append (sql, row);
		}
		g_string_append (sql, " ON DUPLICATE KEY UPDATE ");
		g_string_append (sql, update);
		g_autoptr(TuSql) q = tu_sql_new (db, sql->str);
		for (guint i = start; i < end; i++)
			bind (q, g_ptr_array_index (jobs, i));
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
		start = end;
	}
	return TRUE;
}

static gboolean
tail_wants_set (const Job *job)
{
	return job->tail_set != NULL;
}

static gsize
tail_set_bytes (const Job *job)
{
	return 64 + strlen (job->tail_set);
}

static void
tail_set_row (TuSql *q, const Job *job)
{
	tu_sql_bind_uint (q, job->host_id);
	tu_sql_bind_uint (q, job->tail_set_n);
	tu_sql_bind_str (q, job->tail_set);
}

static gboolean
tail_wants_finish (const Job *job)
{
	return job->tail_finish;
}

static gsize
tail_host_bytes (const Job *job)
{
	const char *ips = job->scan->facts.ip_addresses;
	return 8192 + (ips != NULL ? 2 * strlen (ips) : 0);
}

/* (id, identity, then update_host's values) */
static void
tail_hosts_row (TuSql *q, const Job *job)
{
	tu_sql_bind_uint (q, job->host_id);
	tu_sql_bind_str (q, job->identity);
	bind_host_facts (q, job);
}

static gsize
tail_scan_bytes (const Job *job)
{
	gsize n = 2048;
	for (guint i = 0; i < job->scan->warnings->len && n < 130000; i++)
		n += 2 * strlen (tu_warnings_text (job->scan->warnings, i)) + 2;
	return n;
}

/* (id, target, started_at, token: the row's own, then finish_scan_row's values) */
static void
tail_scans_row (TuSql *q, const Job *job)
{
	tu_sql_bind_uint (q, job->scan_id);
	tu_sql_bind_str (q, job->scan->target);
	tu_sql_bind_str (q, job->now);
	tu_sql_bind_str (q, job->token);
	bind_scan_finish (q, job->store, job->scan, job->host_id, "ok", NULL, &job->stats);
}

static gint
tail_software_cmp (gconstpointer a, gconstpointer b)
{
	const TailSoftware *x = a, *y = b;
	return (x->entry->software_id > y->entry->software_id) -
	       (x->entry->software_id < y->entry->software_id);
}

/* Write what waits, in the order a host alone writes it: software (in id order over the
 * group, as one host's: concurrent groups take the rows' locks in one order), licensable
 * keys, software sets, hosts rows, then the scans rows (which count the warnings the rest
 * gave). */
static gboolean
tail_flush (Tail *t, TuDb *db, GError **error)
{
	if (t->software->len > 0) {
		g_array_sort (t->software, tail_software_cmp);
		g_autoptr(TuWriter) sw = tu_writer_new (db, "software", software_columns,
							TU_WRITER_INSERT_IGNORE, NULL);
		for (guint i = 0; i < t->software->len; i++) {
			TailSoftware *w = &g_array_index (t->software, TailSoftware, i);
			if (!write_software (w->job, sw, w->entry, error))
				return FALSE;
		}
		if (!tu_writer_flush (sw, error))
			return FALSE;
	}
	if (t->lic != NULL && !tu_writer_flush (t->lic, error))
		return FALSE;
	if (!tail_upsert (t, db, tail_wants_set, tail_set_bytes,
			  "INSERT INTO host_software_sets (host_id, n_installations, "
			  "software_ids) VALUES",
			  "(?, ?, UNHEX(?))",
			  "n_installations = VALUES(n_installations), "
			  "software_ids = VALUES(software_ids)",
			  tail_set_row, error))
		return FALSE;
	if (!tail_upsert (t, db, tail_wants_finish, tail_host_bytes,
			  "INSERT INTO hosts (id, identity, machine_id, hostname, fqdn, domain, "
			  "os_id, os_like, os_name, os_version, os_version_id, os_pretty, "
			  "os_edition, kernel, arch, cpu_model, cpu_sockets, cpu_cores, "
			  "cpu_threads, memory_bytes, is_virtual, hypervisor, dmi_vendor, "
			  "dmi_model, dmi_serial, ip_addresses, target, first_seen, last_seen, "
			  "last_scan_id, current_digest, install_seq) VALUES",
			  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			  "?, ?, ?, ?, ?, ?, ?, ?, UNHEX(?), ?)",
			  "machine_id = VALUES(machine_id), hostname = VALUES(hostname), "
			  "fqdn = VALUES(fqdn), domain = VALUES(domain), os_id = VALUES(os_id), "
			  "os_like = VALUES(os_like), os_name = VALUES(os_name), "
			  "os_version = VALUES(os_version), os_version_id = VALUES(os_version_id), "
			  "os_pretty = VALUES(os_pretty), os_edition = VALUES(os_edition), "
			  "kernel = VALUES(kernel), arch = VALUES(arch), "
			  "cpu_model = VALUES(cpu_model), cpu_sockets = VALUES(cpu_sockets), "
			  "cpu_cores = VALUES(cpu_cores), cpu_threads = VALUES(cpu_threads), "
			  "memory_bytes = VALUES(memory_bytes), is_virtual = VALUES(is_virtual), "
			  "hypervisor = VALUES(hypervisor), dmi_vendor = VALUES(dmi_vendor), "
			  "dmi_model = VALUES(dmi_model), dmi_serial = VALUES(dmi_serial), "
			  "ip_addresses = VALUES(ip_addresses), target = VALUES(target), "
			  "first_seen = LEAST(first_seen, VALUES(first_seen)), "
			  "last_seen = VALUES(last_seen), last_scan_id = VALUES(last_scan_id), "
			  "current_digest = VALUES(current_digest), "
			  "install_seq = VALUES(install_seq)",
			  tail_hosts_row, error))
		return FALSE;
	if (!tail_upsert (t, db, tail_wants_finish, tail_scan_bytes,
			  "INSERT INTO scans (id, target, started_at, token, host_id, finished_at, "
			  "status, error, n_records, n_added, n_updated, n_removed, n_unchanged, "
			  "n_warnings, warnings) VALUES",
			  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			  "host_id = VALUES(host_id), finished_at = VALUES(finished_at), "
			  "status = VALUES(status), error = VALUES(error), "
			  "n_records = VALUES(n_records), n_added = VALUES(n_added), "
			  "n_updated = VALUES(n_updated), n_removed = VALUES(n_removed), "
			  "n_unchanged = VALUES(n_unchanged), n_warnings = VALUES(n_warnings), "
			  "warnings = VALUES(warnings)",
			  tail_scans_row, error))
		return FALSE;
	tail_clear (t);
	return TRUE;
}

/* The host's row and its scan's, once the host is stored: at once, or with the group's
 * tail. */
static gboolean
finish_host (Job *job, GError **error)
{
	if (job->tail != NULL) {
		job->tail_finish = TRUE;
		tail_add (job->tail, job);
		return TRUE;
	}
	/* the scan's own row commits with what it stored: a scan is either 'ok' with its
	 * installations or not stored at all */
	return update_host (job, error) &&
	       finish_scan_row (job->store, job->scan, job->scan_id, job->host_id, "ok", NULL,
				&job->stats, TRUE, error);
}

/* ---------------------------------------------------------------- older scans ---------- */
/*
 * A scan observed at T before the host's newest stored scan is placed into the history
 * between the stored scans around it: P, the newest 'ok' scan before T (if any), and N, the
 * oldest one after T. Between P and N the host's state was P's set (the intervals that cover
 * T); it becomes the scan's set from T to N, and N's set from N on, so:
 *  - an interval that covers T and that the scan saw goes on as it was (only, when it closes at
 *    N, it was last seen at T);
 *  - an interval that covers T and that the scan did not see closes at T (last seen at P);
 *    when it went on past N it opens again at N, as a new row with the rest of its life;
 *  - an installation the scan saw that opened at N opens at T instead;
 *  - one it saw that N did not gets an interval [T, N) of its own.
 * The reasons of the intervals closing at T and at N are paired again by install_key (an
 * upgrade is a closing and an opening of one installation at the same instant). The current
 * state, the host's facts and its newest scan are untouched; no interval opens after it closes
 * or overlaps another of its installation, as every new boundary lies strictly between two
 * stored scans. A scan of the same instant as a stored (not newest) scan is stored when it saw
 * the same installations, and refused otherwise: a host has one state at one instant.
 */

/* An interval of the host around the placed scan. */
typedef struct {
	guint64 id, install_key, software_id;
	char *first_seen;
	char *removed_at; /* NULL: open */
	char *raw_version;
	TuSource source;
	gboolean is_licensable;
	gboolean in_scan;
} Span;

static void
span_clear (gpointer p)
{
	Span *s = p;
	g_free (s->first_seen);
	g_free (s->removed_at);
	g_free (s->raw_version);
}

/* One side of a boundary: an interval closing or opening at an instant. */
typedef struct {
	guint64 install_key;
	const char *version;
	TuSource source;
	Span *span; /* the stored interval; NULL: one of the scan's entries */
	const Entry *entry;
	const char *reason; /* closings: removed, upgraded, downgraded, changed */
	gboolean paired;
} Edge;

static void
edge_add (GArray *edges, guint64 key, const char *version, TuSource source, Span *span,
	  const Entry *entry)
{
	Edge e = {key, version, source, span, entry, "removed", FALSE};
	g_array_append_val (edges, e);
}

/* Pair the closings and openings of one instant by install_key, as a scan does: a closing
 * with an opening of its installation is a version change, else a removal. Returns how many
 * closings were paired. */
static guint
pair_edges (GArray *closing, GArray *opening)
{
	guint n_paired = 0;
	for (guint i = 0; i < closing->len; i++) {
		Edge *c = &g_array_index (closing, Edge, i);
		for (guint j = 0; j < opening->len; j++) {
			Edge *o = &g_array_index (opening, Edge, j);
			if (o->paired || o->install_key != c->install_key)
				continue;
			o->paired = c->paired = TRUE;
			int cmp = compare_for_pairing (c->source, c->version, o->version);
			if (cmp < 0)
				c->reason = "upgraded";
			else if (cmp > 0)
				c->reason = "downgraded";
			else
				c->reason = "changed";
			n_paired++;
			break;
		}
	}
	return n_paired;
}

/* The host's 'ok' scan nearest to @at: the oldest at or after it (@after) or the newest
 * before it. FALSE with *id = 0 when there is none. */
static gboolean
neighbour_scan (Job *job, gboolean after, guint64 *id, char **seen, GError **error)
{
	TuDb *db = job->store->db;
	g_autoptr(TuSql) q = tu_sql_new (
		db, after ? "SELECT id, started_at FROM scans WHERE host_id = ? AND status = 'ok' "
			    "AND started_at >= ? ORDER BY started_at, id DESC LIMIT 1"
			  : "SELECT id, started_at FROM scans WHERE host_id = ? AND status = 'ok' "
			    "AND started_at < ? ORDER BY started_at DESC, id DESC LIMIT 1");
	tu_sql_bind_uint (q, job->host_id);
	tu_sql_bind_str (q, job->now);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row = mysql_fetch_row (res);
	*id = row != NULL ? g_ascii_strtoull (row[0], NULL, 10) : 0;
	*seen = row != NULL ? g_strdup (tu_row_str (row, 1)) : NULL;
	return TRUE;
}

/* The host's intervals that cover @from or touch @to (from < to): those open at @from, and
 * those opening or closing at @to. With from == to: those open at that instant. */
static gboolean
load_spans (Job *job, const char *from, const char *to, GArray *spans, GError **error)
{
	TuDb *db = job->store->db;
	g_autoptr(TuSql) q = tu_sql_new (
		db, "SELECT i.id, i.install_key, i.software_id, i.first_seen, i.removed_at, "
		    "s.raw_version, s.source, s.is_licensable FROM installations i JOIN software s "
		    "ON s.id = i.software_id WHERE i.host_id = ? AND i.first_seen <= ? AND "
		    "(i.removed_at IS NULL OR i.removed_at > ?)");
	tu_sql_bind_uint (q, job->host_id);
	tu_sql_bind_str (q, to);
	tu_sql_bind_str (q, from);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		Span s = {0};
		s.id = g_ascii_strtoull (row[0], NULL, 10);
		s.install_key = g_ascii_strtoull (row[1], NULL, 10);
		s.software_id = g_ascii_strtoull (row[2], NULL, 10);
		s.first_seen = g_strdup (tu_row_str (row, 3));
		s.removed_at = row[4] != NULL ? g_strdup (row[4]) : NULL;
		s.raw_version = g_strdup (tu_row_str (row, 5));
		s.source = tu_source_from_string (row[6]);
		s.is_licensable = tu_row_int (row, 7, 0) != 0;
		g_array_append_val (spans, s);
	}
	return TRUE;
}

/* KeyPair* (owned) -> borrowed value */
static GHashTable *
pair_table (void)
{
	return g_hash_table_new_full (keypair_hash, keypair_equal, g_free, NULL);
}

static void
ids_add (GHashTable *by_reason, const char *reason, guint64 id)
{
	GArray *ids = g_hash_table_lookup (by_reason, reason);
	if (ids == NULL) {
		ids = g_array_new (FALSE, FALSE, sizeof (guint64));
		g_hash_table_insert (by_reason, (gpointer) reason, ids);
	}
	g_array_append_val (ids, id);
}

/* UPDATE installations SET <set> for each reason's ids, binding the reason, @a, @b (when
 * @has_b; NULL is SQL NULL) and @c. */
static gboolean
update_by_reason (Job *job, GHashTable *by_reason, const char *set_sql, const char *a,
		  gboolean has_b, const char *b, guint64 c, GError **error)
{
	TuDb *db = job->store->db;
	GHashTableIter iter;
	gpointer reason, ids;
	g_hash_table_iter_init (&iter, by_reason);
	while (g_hash_table_iter_next (&iter, &reason, &ids)) {
		g_autofree char *sql = g_strconcat ("UPDATE installations SET ", set_sql,
						    " WHERE host_id = ? AND", NULL);
		g_autoptr(TuSql) q = tu_sql_new (db, sql);
		tu_sql_bind_str (q, reason);
		tu_sql_bind_str (q, a);
		if (has_b)
			tu_sql_bind_str (q, b);
		tu_sql_bind_uint_or_null (q, c, c != 0);
		tu_sql_bind_uint (q, job->host_id);
		if (!update_ids (db, tu_sql_get (q), ids, error))
			return FALSE;
	}
	return TRUE;
}

static const char *const closed_columns[] = {
	"id",
	"host_id",
	"install_key",
	"software_id",
	"location",
	"install_date",
	"size_bytes",
	"state",
	"first_seen",
	"last_seen",
	"removed_at",
	"removed_reason",
	"first_scan_id",
	"last_scan_id",
	NULL,
};

/* An interval [now, removed_at) of one of the scan's entries, closed at the next scan. */
static gboolean
write_closed (Job *job, TuWriter *w, const Edge *edge, const char *removed_at, GError **error)
{
	const TuRecord *r = edge->entry->rec;
	guint32 julian = 0;
	guint64 id = 0;
	if (!next_install_id (job, &id, error))
		return FALSE;
	tu_writer_add_uint (w, id);
	tu_writer_add_uint (w, job->host_id);
	tu_writer_add_uint (w, edge->entry->install_key);
	tu_writer_add_uint (w, edge->entry->software_id);
	tu_writer_add_str (w, r->location ? r->location : "");
	if (r->install_date == NULL ||
	    !tu_date_parse (r->install_date, &julian, "install_date", NULL))
		julian = 0;
	tu_writer_add_date (w, julian);
	tu_writer_add_int_or_null (w, r->size_bytes, r->size_bytes >= 0);
	tu_writer_add_str (w, state_of (r));
	tu_writer_add_str (w, job->now);
	tu_writer_add_str (w, job->now);
	tu_writer_add_str (w, removed_at);
	tu_writer_add_str (w, edge->reason);
	tu_writer_add_uint (w, job->scan_id);
	tu_writer_add_uint (w, job->scan_id);
	return tu_writer_end_row (w, error);
}

static void
refuse (Job *job, const char *why)
{
	g_free (job->refusal);
	job->refusal = g_strdup_printf ("not stored: this scan of %s was observed at %s UTC, %s",
					effective_hostname (job->scan), job->now, why);
}

/* A scan of the same instant as a stored scan that is not the host's newest: the same
 * installations are the same observation (stored, nothing changes); others cannot be. */
static gboolean
place_same_instant (Job *job, guint64 same_id, GError **error)
{
	g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
	g_array_set_clear_func (spans, span_clear);
	if (!load_spans (job, job->now, job->now, spans, error))
		return FALSE;
	g_autoptr(GHashTable) seen = g_hash_table_new (keypair_hash, keypair_equal);
	g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (KeyPair), spans->len);
	for (guint i = 0; i < spans->len; i++) {
		const Span *s = &g_array_index (spans, Span, i);
		KeyPair k = {s->install_key, s->software_id};
		g_array_append_val (keys, k);
	}
	for (guint i = 0; i < keys->len; i++)
		g_hash_table_add (seen, &g_array_index (keys, KeyPair, i));
	guint n_same = 0;
	for (guint i = 0; i < job->entries->len; i++) {
		const Entry *e = &g_array_index (job->entries, Entry, i);
		KeyPair k = {e->install_key, e->software_id};
		if (g_hash_table_contains (seen, &k))
			n_same++;
	}
	if (n_same != spans->len || n_same != job->entries->len) {
		g_autofree char *why = g_strdup_printf (
			"the same instant as stored scan %" G_GUINT64_FORMAT " of the host (%s "
			"UTC), which found other software (%u installations, %u of them in this "
			"scan, which has %u); a host has one state at one instant, so this scan "
			"cannot be placed in its history",
			same_id, job->now, spans->len, n_same, job->entries->len);
		refuse (job, why);
		return finish_scan_row (job->store, job->scan, job->scan_id, job->host_id,
					"refused", job->refusal, NULL, TRUE, error);
	}
	job->stats.n_records = job->entries->len;
	job->stats.n_unchanged = n_same;
	job->stats.is_history = TRUE;
	return finish_scan_row (job->store, job->scan, job->scan_id, job->host_id, "ok", NULL,
				&job->stats, TRUE, error);
}

static gint
span_cmp_pair (gconstpointer a, gconstpointer b)
{
	const Span *x = *(const Span *const *) a, *y = *(const Span *const *) b;
	if (x->install_key != y->install_key)
		return x->install_key < y->install_key ? -1 : 1;
	return x->software_id < y->software_id ? -1 : x->software_id > y->software_id;
}

/* The rest of each interval of @split from N (@n_seen, scan @n_id) on, as a new row: a copy
 * of the stored row with an id of its own, given in primary-key order like a scan's new rows
 * (the ids, integers, are written into the statement; the rest is bound). */
static gboolean
insert_split (Job *job, GPtrArray *split, const char *n_seen, guint64 n_id, GError **error)
{
	TuDb *db = job->store->db;
	g_ptr_array_sort (split, span_cmp_pair);
	for (guint start = 0; start < split->len; start += 1000) {
		g_autoptr(GString) sql = g_string_new (
			"INSERT INTO installations (id, host_id, install_key, software_id, "
			"location, install_date, size_bytes, state, first_seen, last_seen, "
			"removed_at, removed_reason, first_scan_id, last_scan_id) SELECT CASE id");
		g_autoptr(GString) old_ids = g_string_new (NULL);
		for (guint i = start; i < split->len && i < start + 1000; i++) {
			const Span *a = g_ptr_array_index (split, i);
			guint64 id = 0;
			if (!next_install_id (job, &id, error))
				return FALSE;
			g_string_append_printf (sql, " WHEN %" G_GUINT64_FORMAT
						" THEN %" G_GUINT64_FORMAT, a->id, id);
			g_string_append_printf (old_ids, "%s%" G_GUINT64_FORMAT,
						i > start ? "," : "", a->id);
		}
		g_string_append (sql, " END, host_id, install_key, software_id, location, "
				      "install_date, size_bytes, state, ?, last_seen, removed_at, "
				      "removed_reason, ?, last_scan_id FROM installations WHERE "
				      "host_id = ? AND id IN (");
		g_string_append (sql, old_ids->str);
		g_string_append_c (sql, ')');
		g_autoptr(TuSql) q = tu_sql_new (db, sql->str);
		tu_sql_bind_str (q, n_seen);
		tu_sql_bind_uint (q, n_id);
		tu_sql_bind_uint (q, job->host_id);
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
place_older (Job *job, GError **error)
{
	TuStore *store = job->store;
	TuDb *db = store->db;
	guint64 n_id = 0, p_id = 0;
	g_autofree char *n_seen = NULL;
	g_autofree char *p_seen = NULL;
	if (!neighbour_scan (job, TRUE, &n_id, &n_seen, error))
		return FALSE;
	if (n_id == 0) {
		/* the host's newest scan is later, yet no stored scan is: a store whose history
		 * this trueup did not write */
		g_autofree char *why = g_strdup_printf (
			"before the newest stored scan of the host (%s UTC, scan %" G_GUINT64_FORMAT
			"), which is not recorded as stored, so this scan cannot be placed in the "
			"host's history",
			job->prev_seen, job->prev_scan_id);
		refuse (job, why);
		return finish_scan_row (store, job->scan, job->scan_id, job->host_id, "refused",
					job->refusal, NULL, TRUE, error);
	}
	if (g_strcmp0 (n_seen, job->now) == 0)
		return place_same_instant (job, n_id, error);
	if (!neighbour_scan (job, FALSE, &p_id, &p_seen, error))
		return FALSE;

	g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
	g_array_set_clear_func (spans, span_clear);
	if (!load_spans (job, job->now, n_seen, spans, error))
		return FALSE;
	/* A: open at now (so at P); S: opening at N */
	g_autoptr(GHashTable) at_now = pair_table ();
	g_autoptr(GHashTable) at_next = pair_table ();
	for (guint i = 0; i < spans->len; i++) {
		Span *s = &g_array_index (spans, Span, i);
		KeyPair k = {s->install_key, s->software_id};
		if (strcmp (s->first_seen, job->now) < 0)
			g_hash_table_insert (at_now, g_memdup2 (&k, sizeof k), s);
		else if (strcmp (s->first_seen, n_seen) == 0)
			g_hash_table_insert (at_next, g_memdup2 (&k, sizeof k), s);
	}

	g_autoptr(GArray) closing_now = g_array_new (FALSE, FALSE, sizeof (Edge));
	g_autoptr(GArray) opening_now = g_array_new (FALSE, FALSE, sizeof (Edge));
	g_autoptr(GArray) closing_next = g_array_new (FALSE, FALSE, sizeof (Edge));
	g_autoptr(GArray) opening_next = g_array_new (FALSE, FALSE, sizeof (Edge));
	g_autoptr(GArray) extend = g_array_new (FALSE, FALSE, sizeof (guint64));
	g_autoptr(GPtrArray) split = g_ptr_array_new ();
	g_autoptr(GPtrArray) split_licensable = g_ptr_array_new ();
	g_autoptr(GPtrArray) extend_licensable = g_ptr_array_new ();
	for (guint i = 0; i < job->entries->len; i++) {
		const Entry *e = &g_array_index (job->entries, Entry, i);
		KeyPair k = {e->install_key, e->software_id};
		const char *version = e->rec->raw_version ? e->rec->raw_version : "";
		Span *a = g_hash_table_lookup (at_now, &k);
		if (a != NULL) {
			a->in_scan = TRUE;
			job->stats.n_unchanged++;
			if (a->removed_at != NULL && strcmp (a->removed_at, n_seen) == 0)
				edge_add (closing_next, a->install_key, a->raw_version,
					  a->source, a, NULL);
			continue;
		}
		edge_add (opening_now, e->install_key, version, e->rec->source, NULL, e);
		Span *b = g_hash_table_lookup (at_next, &k);
		if (b != NULL) {
			b->in_scan = TRUE;
			g_array_append_val (extend, b->id);
			if (b->is_licensable)
				g_ptr_array_add (extend_licensable, b);
		} else {
			edge_add (closing_next, e->install_key, version, e->rec->source, NULL, e);
		}
	}
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init (&iter, at_now);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		Span *a = value;
		if (a->in_scan)
			continue;
		edge_add (closing_now, a->install_key, a->raw_version, a->source, a, NULL);
		if (a->removed_at == NULL || strcmp (a->removed_at, n_seen) > 0) {
			/* it went on past N: the rest of its life opens again at N */
			g_ptr_array_add (split, a);
			if (a->is_licensable)
				g_ptr_array_add (split_licensable, a);
			edge_add (opening_next, a->install_key, a->raw_version, a->source, a, NULL);
		}
	}
	g_hash_table_iter_init (&iter, at_next);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		Span *b = value;
		if (!b->in_scan)
			edge_add (opening_next, b->install_key, b->raw_version, b->source, b, NULL);
	}
	guint n_paired = pair_edges (closing_now, opening_now);
	pair_edges (closing_next, opening_next);
	job->stats.n_records = job->entries->len;
	job->stats.n_updated = n_paired;
	job->stats.n_added = opening_now->len - n_paired;
	job->stats.n_removed = closing_now->len - n_paired;
	job->stats.is_history = TRUE;

	/* software of the intervals this scan adds */
	g_autoptr(TuWriter) sw = tu_writer_new (db, "software", software_columns,
						TU_WRITER_INSERT_IGNORE, NULL);
	for (guint i = 0; i < closing_next->len; i++) {
		const Edge *c = &g_array_index (closing_next, Edge, i);
		Entry *e = (Entry *) c->entry;
		if (e == NULL || g_hash_table_contains (store->known_software, &e->software_id) ||
		    g_hash_table_contains (store->new_software, &e->software_id))
			continue;
		g_hash_table_insert (store->new_software, &e->software_id, e);
		if (!write_software (job, sw, e, error))
			return FALSE;
	}
	if (!tu_writer_flush (sw, error))
		return FALSE;

	/* the rest of a split interval, from N on, before the interval itself closes at now */
	if (!insert_split (job, split, n_seen, n_id, error))
		return FALSE;
	/* closing at now: last seen by P (every interval open at now was open at P) */
	g_autoptr(GHashTable) by_reason = g_hash_table_new_full (
		g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
	for (guint i = 0; i < closing_now->len; i++) {
		const Edge *c = &g_array_index (closing_now, Edge, i);
		ids_add (by_reason, c->reason, c->span->id);
	}
	if (!update_by_reason (job, by_reason,
			       "removed_reason = ?, removed_at = ?, last_seen = ?, "
			       "last_scan_id = ?",
			       job->now, TRUE, p_seen, p_id, error))
		return FALSE;
	/* closing at N, already stored: now last seen by this scan, for perhaps another reason */
	g_hash_table_remove_all (by_reason);
	for (guint i = 0; i < closing_next->len; i++) {
		const Edge *c = &g_array_index (closing_next, Edge, i);
		if (c->span != NULL)
			ids_add (by_reason, c->reason, c->span->id);
	}
	if (!update_by_reason (job, by_reason,
			       "removed_reason = ?, last_seen = ?, last_scan_id = ?", job->now,
			       FALSE, NULL, job->scan_id, error))
		return FALSE;
	/* opening at N, seen by this scan: opens now (its licensable key moves with it) */
	for (guint i = 0; i < extend_licensable->len; i++) {
		const Span *b = g_ptr_array_index (extend_licensable, i);
		g_autoptr(TuSql) q = tu_sql_new (db, "UPDATE licensable_installations SET "
						     "first_seen = ? WHERE host_id = ? AND "
						     "install_key = ? AND software_id = ? AND "
						     "first_seen = ?");
		tu_sql_bind_str (q, job->now);
		tu_sql_bind_uint (q, job->host_id);
		tu_sql_bind_uint (q, b->install_key);
		tu_sql_bind_uint (q, b->software_id);
		tu_sql_bind_str (q, b->first_seen);
		if (!tu_db_exec (db, tu_sql_get (q), error))
			return FALSE;
	}
	if (extend->len > 0) {
		g_autoptr(TuSql) q = tu_sql_new (db, "UPDATE installations SET first_seen = ?, "
						     "first_scan_id = ? WHERE host_id = ? AND");
		tu_sql_bind_str (q, job->now);
		tu_sql_bind_uint (q, job->scan_id);
		tu_sql_bind_uint (q, job->host_id);
		if (!update_ids (db, tu_sql_get (q), extend, error))
			return FALSE;
	}
	/* seen by this scan only: [now, N) */
	g_autoptr(TuWriter) ins = tu_writer_new (db, "installations", closed_columns,
						 TU_WRITER_INSERT, NULL);
	g_autoptr(TuWriter) lic = tu_writer_new (db, "licensable_installations",
						 licensable_columns, TU_WRITER_INSERT_IGNORE, NULL);
	for (guint i = 0; i < closing_next->len; i++) {
		const Edge *c = &g_array_index (closing_next, Edge, i);
		if (c->entry == NULL)
			continue;
		if (!write_closed (job, ins, c, n_seen, error))
			return FALSE;
		if (c->entry->product == NULL || !c->entry->product->is_licensable)
			continue;
		tu_writer_add_uint (lic, job->host_id);
		tu_writer_add_uint (lic, c->entry->install_key);
		tu_writer_add_uint (lic, c->entry->software_id);
		tu_writer_add_str (lic, job->now);
		if (!tu_writer_end_row (lic, error))
			return FALSE;
	}
	for (guint i = 0; i < split_licensable->len; i++) {
		const Span *a = g_ptr_array_index (split_licensable, i);
		tu_writer_add_uint (lic, job->host_id);
		tu_writer_add_uint (lic, a->install_key);
		tu_writer_add_uint (lic, a->software_id);
		tu_writer_add_str (lic, n_seen);
		if (!tu_writer_end_row (lic, error))
			return FALSE;
	}
	if (!tu_writer_flush (ins, error) || !tu_writer_flush (lic, error) ||
	    !refresh_software_set (job, error))
		return FALSE;

	/* the current intervals may have been made again as new rows: their digest is not known
	 * until the host's next scan compares them one by one (migration 0013) */
	g_autoptr(TuSql) h = tu_sql_new (db, "UPDATE hosts SET first_seen = LEAST(first_seen, ?), "
					     "current_digest = NULL, install_seq = ? WHERE id = ?");
	tu_sql_bind_str (h, job->now);
	tu_sql_bind_uint (h, job->install_seq);
	tu_sql_bind_uint (h, job->host_id);
	if (!tu_db_exec (db, tu_sql_get (h), error))
		return FALSE;
	return finish_scan_row (store, job->scan, job->scan_id, job->host_id, "ok", NULL,
				&job->stats, TRUE, error);
}

static gint
entry_cmp_key (gconstpointer a, gconstpointer b)
{
	const Entry *x = *(const Entry *const *) a;
	const Entry *y = *(const Entry *const *) b;
	if (x->install_key != y->install_key)
		return x->install_key > y->install_key ? 1 : -1;
	return (x->software_id > y->software_id) - (x->software_id < y->software_id);
}

static gboolean
store_txn (TuDb *db, gpointer user_data, GError **error)
{
	Job *job = user_data;
	TuStore *store = job->store;

	/* reset per-attempt state: this may run again after a transient error */
	memset (&job->stats, 0, sizeof job->stats);
	g_array_set_size (job->current, 0);
	for (guint i = 0; i < job->entries->len; i++)
		g_array_index (job->entries, Entry, i).matched = FALSE;

	g_clear_pointer (&job->refusal, g_free);
	job->in_tail = FALSE;
	job->tail_finish = FALSE;
	g_clear_pointer (&job->tail_set, g_free);
	if (!lock_host (job, error))
		return FALSE;
	/* History is ordered by observation time, whatever the commit order: a scan older than
	 * the host's newest stored scan never replaces the current state; it is placed in the
	 * history where it was observed, or refused when it cannot be. */
	if (job->prev_scan_id != 0 && g_strcmp0 (job->now, job->prev_seen) < 0)
		return place_older (job, error);
	/* The host's current set is what this scan found (equal digests): nothing opens, closes
	 * or changes state, so the installations are neither read nor written (migration 0013). */
	if (!job->is_new_host && job->prev_digest != NULL &&
	    g_strcmp0 (job->prev_digest, job->digest) == 0) {
		job->stats.n_records = job->entries->len;
		job->stats.n_unchanged = job->entries->len;
		return finish_host (job, error);
	}
	if (!job->is_new_host && !load_current (job, error))
		return FALSE;

	/* exact matches: same installation, same software */
	g_autoptr(GHashTable) by_pair = g_hash_table_new (keypair_hash, keypair_equal);
	for (guint i = 0; i < job->current->len; i++) {
		Current *c = &g_array_index (job->current, Current, i);
		KeyPair *k = g_new (KeyPair, 1);
		k->a = c->install_key;
		k->b = c->software_id;
		/* duplicates cannot exist: (host, key, software, current) is unique */
		g_hash_table_insert (by_pair, k, c);
	}
	g_autoptr(GArray) state_changed = g_array_new (FALSE, FALSE, sizeof (guint64));
	/* new state -> GArray of ids */
	g_autoptr(GHashTable) by_state = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
								(GDestroyNotify) g_array_unref);
	for (guint i = 0; i < job->entries->len; i++) {
		Entry *e = &g_array_index (job->entries, Entry, i);
		KeyPair k = {e->install_key, e->software_id};
		Current *c = g_hash_table_lookup (by_pair, &k);
		if (c == NULL)
			continue;
		e->matched = TRUE;
		c->matched = TRUE;
		c->kept = TRUE;
		c->kept_installed = g_strcmp0 (state_of (e->rec), "installed") == 0;
		if (g_strcmp0 (c->state, state_of (e->rec)) != 0) {
			g_array_append_val (state_changed, c->id);
			ids_add (by_state, state_of (e->rec), c->id);
		}
	}
	GList *keys = g_hash_table_get_keys (by_pair);
	g_list_free_full (keys, g_free);

	/* pair what is left by install_key: a version change of the same installation */
	g_autoptr(GHashTable) left_current = g_hash_table_new_full (
		g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
	for (guint i = 0; i < job->current->len; i++) {
		Current *c = &g_array_index (job->current, Current, i);
		if (c->matched)
			continue;
		GPtrArray *list = g_hash_table_lookup (left_current, &c->install_key);
		if (list == NULL) {
			list = g_ptr_array_new ();
			g_hash_table_insert (left_current, &c->install_key, list);
		}
		g_ptr_array_add (list, c);
	}
	g_autoptr(GArray) upgraded = g_array_new (FALSE, FALSE, sizeof (guint64));
	g_autoptr(GArray) downgraded = g_array_new (FALSE, FALSE, sizeof (guint64));
	g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (guint64));
	g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, sizeof (guint64));
	g_autoptr(GPtrArray) to_insert = g_ptr_array_new ();
	for (guint i = 0; i < job->entries->len; i++) {
		Entry *e = &g_array_index (job->entries, Entry, i);
		if (e->matched)
			continue;
		g_ptr_array_add (to_insert, e);
		GPtrArray *list = g_hash_table_lookup (left_current, &e->install_key);
		Current *pair = NULL;
		for (guint j = 0; list != NULL && j < list->len; j++) {
			Current *c = g_ptr_array_index (list, j);
			if (!c->matched) {
				pair = c;
				break;
			}
		}
		if (pair == NULL) {
			job->stats.n_added++;
			continue;
		}
		pair->matched = TRUE;
		job->stats.n_updated++;
		int cmp = compare_for_pairing (e->rec->source, pair->raw_version,
					       e->rec->raw_version);
		if (cmp < 0)
			g_array_append_val (upgraded, pair->id);
		else if (cmp > 0)
			g_array_append_val (downgraded, pair->id);
		else
			g_array_append_val (changed, pair->id);
	}
	for (guint i = 0; i < job->current->len; i++) {
		Current *c = &g_array_index (job->current, Current, i);
		if (!c->matched)
			g_array_append_val (removed, c->id);
	}
	job->stats.n_removed = removed->len;
	job->stats.n_records = job->entries->len;

	/* software first (installations refer to it), in id order: concurrent scans of
	 * different hosts then take the rows' locks in one order and rarely deadlock */
	g_ptr_array_sort (to_insert, entry_cmp_software);
	g_autoptr(TuWriter) sw = NULL;
	if (job->tail == NULL)
		sw = tu_writer_new (db, "software", software_columns, TU_WRITER_INSERT_IGNORE,
				    NULL);
	for (guint i = 0; i < to_insert->len; i++) {
		Entry *e = g_ptr_array_index (to_insert, i);
		if (g_hash_table_contains (store->known_software, &e->software_id) ||
		    g_hash_table_contains (store->new_software, &e->software_id))
			continue;
		g_hash_table_insert (store->new_software, &e->software_id, e);
		if (job->tail != NULL) {
			/* in a group: with the tail (no foreign key waits for it) */
			TailSoftware w = {job, e};
			g_array_append_val (job->tail->software, w);
			tail_add (job->tail, job);
		} else if (!write_software (job, sw, e, error)) {
			return FALSE;
		}
	}
	if (sw != NULL && !tu_writer_flush (sw, error))
		return FALSE;

	if (!close_rows (job, removed, "removed", error) ||
	    !close_rows (job, upgraded, "upgraded", error) ||
	    !close_rows (job, downgraded, "downgraded", error) ||
	    !close_rows (job, changed, "changed", error))
		return FALSE;
	job->stats.n_updated += state_changed->len;
	/* one statement a new state, over the host's rows (the primary key's prefix) */
	GHashTableIter state_iter;
	gpointer state, state_ids;
	g_hash_table_iter_init (&state_iter, by_state);
	while (g_hash_table_iter_next (&state_iter, &state, &state_ids)) {
		g_autoptr(TuSql) q = tu_sql_new (db, "UPDATE installations SET state = ? WHERE "
						     "host_id = ? AND");
		tu_sql_bind_str (q, state);
		tu_sql_bind_uint (q, job->host_id);
		if (!update_ids (db, tu_sql_get (q), state_ids, error))
			return FALSE;
	}
	/* Nothing is written for an unchanged installation: an open interval was last seen when
	 * its host was (hosts.last_seen), so a rescan that changes nothing writes the host's row
	 * and its scan's, whatever the number of installations. */
	job->stats.n_unchanged = job->entries->len - to_insert->len - state_changed->len;

	/* in primary-key order: the host's new rows then fill the clustered index's pages one
	 * after another instead of splitting them at random */
	g_ptr_array_sort (to_insert, entry_cmp_key);
	g_autoptr(TuWriter) ins = install_writer (job, db);
	for (guint i = 0; i < to_insert->len; i++) {
		guint64 id = 0;
		if (!next_install_id (job, &id, error) ||
		    !write_installation (ins, id, g_ptr_array_index (to_insert, i), error))
			return FALSE;
	}
	if (!tu_writer_flush (ins, error))
		return FALSE;
	/* the keys of the licensable intervals this scan opens: reconcile reads these and not
	 * the estate (migration 0008); none for most hosts */
	g_autoptr(TuWriter) own_lic = NULL;
	TuWriter *lic = NULL;
	for (guint i = 0; i < to_insert->len; i++) {
		const Entry *e = g_ptr_array_index (to_insert, i);
		if (e->product == NULL || !e->product->is_licensable)
			continue;
		if (lic == NULL && job->tail != NULL) {
			lic = tail_lic (job->tail, db);
			tail_add (job->tail, job);
		} else if (lic == NULL) {
			lic = own_lic = tu_writer_new (db, "licensable_installations",
						       licensable_columns, TU_WRITER_INSERT_IGNORE,
						       NULL);
		}
		tu_writer_add_uint (lic, job->host_id);
		tu_writer_add_uint (lic, e->install_key);
		tu_writer_add_uint (lic, e->software_id);
		tu_writer_add_str (lic, job->now);
		if (!tu_writer_end_row (lic, error))
			return FALSE;
	}
	if (own_lic != NULL && !tu_writer_flush (own_lic, error))
		return FALSE;
	/* what patch reads: the host's current software as one row (migration 0009) */
	if ((to_insert->len > 0 || removed->len > 0 || upgraded->len > 0 || downgraded->len > 0 ||
	     changed->len > 0 || state_changed->len > 0) &&
	    !write_software_set (job, to_insert, error))
		return FALSE;
	return finish_host (job, error);
}

/* ---------------------------------------------------------------- hosts in groups ------ */
/*
 * A host's scan is prepared before any statement (values cut to their columns, its distinct
 * installations normalised), then stored. Hosts come in groups (tu_store_host_scans): their
 * scans rows are inserted by one short transaction, then the hosts are stored by one
 * transaction, host after host, each exactly as alone (its row lock, its observation-time
 * check, its diff). A server then syncs its log once per group, not twice per host. Each host
 * stays all-or-nothing: when the group's transaction fails for any reason but a gone server
 * or a full disk, it has been rolled back whole, and its hosts are stored again one
 * transaction each, so that only the host at fault fails. A transient error (deadlock, lost
 * connection) retries the whole group's transaction, like a host's own.
 */

static int
entry_cmp_pair (gconstpointer a, gconstpointer b)
{
	const Entry *x = *(const Entry *const *) a, *y = *(const Entry *const *) b;
	if (x->install_key != y->install_key)
		return x->install_key < y->install_key ? -1 : 1;
	return x->software_id < y->software_id ? -1 : x->software_id > y->software_id;
}

/* The digest of a host's current set (migration 0013) that @entries would leave: SHA-256, in
 * hex, of one line "install_key software_id state\n" an entry in (install_key, software_id)
 * order; `db check` computes the same of the open intervals in SQL. */
static char *
entries_digest (GArray *entries)
{
	g_autoptr(GPtrArray) order = g_ptr_array_sized_new (entries->len);
	for (guint i = 0; i < entries->len; i++)
		g_ptr_array_add (order, &g_array_index (entries, Entry, i));
	g_ptr_array_sort (order, entry_cmp_pair);
	g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
	char line[64];
	for (guint i = 0; i < order->len; i++) {
		const Entry *e = g_ptr_array_index (order, i);
		int n = g_snprintf (line, sizeof line, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
				    " ", e->install_key, e->software_id);
		g_checksum_update (sum, (const guchar *) line, n);
		const char *state = state_of (e->rec);
		g_checksum_update (sum, (const guchar *) state, (gssize) strlen (state));
		g_checksum_update (sum, (const guchar *) "\n", 1);
	}
	return g_strdup (g_checksum_get_string (sum));
}

static void
job_prepare (TuStore *store, Job *job, TuHostScan *scan)
{
	fit_scan (store, scan);
	gint64 when = store->fixed_time_us ? store->fixed_time_us : scan->started_us;
	if (when == 0)
		when = g_get_real_time ();
	memset (job, 0, sizeof *job);
	job->store = store;
	job->scan = scan;
	job->warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	job->owned = g_ptr_array_new_with_free_func (g_free);
	job->hostname = fit_str (job, "hosts.hostname", effective_hostname (scan), job->owned,
				 "host name");
	job->now = tu_store_format_time (when);
	job->token = g_uuid_string_random ();
	job->current = g_array_new (FALSE, FALSE, sizeof (Current));
	g_array_set_clear_func (job->current, current_clear);
	if (scan->error != NULL)
		return;

	/* distinct installations of the scan, normalised */
	job->entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry),
					  tu_record_list_len (scan->records));
	g_autoptr(GHashTable) seen = g_hash_table_new_full (keypair_hash, keypair_equal, g_free, NULL);
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		Entry e = {0};
		e.rec = r;
		e.install_key = install_key_of (r);
		e.software_id = software_id_of (r);
		KeyPair k = {e.install_key, e.software_id};
		if (g_hash_table_contains (seen, &k))
			continue;
		g_hash_table_add (seen, g_memdup2 (&k, sizeof k));
		e.product = tu_normaliser_apply (store->norm, r);
		g_array_append_val (job->entries, e);
	}
	job->digest = entries_digest (job->entries);
}

static void
job_clear (Job *job)
{
	g_clear_pointer (&job->warned, g_hash_table_unref);
	g_clear_pointer (&job->owned, g_ptr_array_unref);
	g_clear_pointer (&job->entries, g_array_unref);
	g_clear_pointer (&job->current, g_array_unref);
	g_clear_pointer (&job->now, g_free);
	g_clear_pointer (&job->token, g_free);
	g_clear_pointer (&job->prev_seen, g_free);
	g_clear_pointer (&job->prev_digest, g_free);
	g_clear_pointer (&job->digest, g_free);
	g_clear_pointer (&job->refusal, g_free);
	g_clear_pointer (&job->identity, g_free);
	g_clear_pointer (&job->tail_set, g_free);
}

/* The prepared job is the Job itself: tu_store_host_scans takes it over. */
struct _TuStorePrepared {
	Job job;
};

void
tu_store_prepare_begin (TuStore *store)
{
	load_widths (store);
	store->prepare_ready = TRUE;
}

TuStorePrepared *
tu_store_prepare (TuStore *store, TuHostScan *scan)
{
	if (!store->prepare_ready)
		return NULL;
	TuStorePrepared *p = g_new (TuStorePrepared, 1);
	job_prepare (store, &p->job, scan);
	return p;
}

void
tu_store_prepared_free (TuStorePrepared *p)
{
	if (p == NULL)
		return;
	job_clear (&p->job);
	g_free (p);
}

/* A scan that failed (scan->error): its row says so, linked to the host last reached through
 * its target, if any; the inventory stays as it was. */
static gboolean
record_failed_scan (TuStore *store, Job *job, GError **error)
{
	guint64 host_id = 0;
	g_autoptr(TuSql) q = tu_sql_new (store->db, "SELECT id FROM hosts WHERE target = ? "
						    "ORDER BY last_seen DESC LIMIT 1");
	tu_sql_bind_str (q, job->scan->target);
	g_autoptr(MYSQL_RES) res = tu_db_query (store->db, tu_sql_get (q), NULL);
	MYSQL_ROW row = res ? mysql_fetch_row (res) : NULL;
	if (row != NULL)
		host_id = g_ascii_strtoull (row[0], NULL, 10);
	return finish_scan_row (store, job->scan, job->scan_id, host_id, "failed",
				job->scan->error->message, NULL, FALSE, error);
}

static gboolean
single_txn (TuDb *db, gpointer user_data, GError **error)
{
	Job *job = user_data;
	job->tail = NULL;
	g_hash_table_remove_all (job->store->new_software);
	return store_txn (db, job, error);
}

/* The software the committed transaction wrote is known from now on. */
static void
remember_software (TuStore *store)
{
	GHashTableIter iter;
	gpointer key;
	g_hash_table_iter_init (&iter, store->new_software);
	while (g_hash_table_iter_next (&iter, &key, NULL))
		g_hash_table_add (store->known_software, g_memdup2 (key, sizeof (guint64)));
	g_hash_table_remove_all (store->new_software);
}

/* What the host's transaction came to, in @stats and @error: stored (TRUE), refused as older
 * than what is stored, or failed (@local, transfer full), which its scans row then says. */
static gboolean
job_result (TuStore *store, Job *job, gboolean committed, GError *local, TuStoreStats *stats,
	    GError **error)
{
	stats->host_id = job->host_id;
	stats->scan_id = job->scan_id;
	if (committed && job->refusal != NULL) {
		g_set_error_literal (error, TU_ERROR, TU_ERROR_OUT_OF_ORDER, job->refusal);
		return FALSE;
	}
	if (committed) {
		*stats = job->stats;
		stats->host_id = job->host_id;
		stats->scan_id = job->scan_id;
		return TRUE;
	}
	stats->host_id = 0;
	g_prefix_error (&local, "%s: storing the scan: ", effective_hostname (job->scan));
	/* on a full disk this may fail too: the scan then stays 'running' until the next open
	 * marks it interrupted */
	finish_scan_row (store, job->scan, job->scan_id, 0, "failed", local->message, NULL, FALSE,
			 NULL);
	g_propagate_error (error, local);
	return FALSE;
}

static gboolean
store_alone (TuStore *store, Job *job, TuStoreStats *stats, GError **error)
{
	GError *local = NULL;
	gboolean ok = tu_db_transaction (store->db, single_txn, job, &local);
	if (ok)
		remember_software (store);
	else
		g_hash_table_remove_all (store->new_software);
	return job_result (store, job, ok, local, stats, error);
}

typedef struct {
	Job *jobs;
	guint n;
	Tail tail;
} Group;

/* The group's scans rows, as insert_scan_row makes one, by one INSERT (ids in the hosts'
 * order), then their ids read back by token (one SELECT): two statements a group. */
static gboolean
scan_rows_txn (TuDb *db, gpointer user_data, GError **error)
{
	Group *g = user_data;
	g_autoptr(GString) sql = g_string_new ("INSERT INTO scans (target, started_at, status, "
					       "token, runner, runner_user, lease_until) VALUES");
	g_autoptr(GString) select = g_string_new ("SELECT token, id FROM scans WHERE token IN (");
	for (guint i = 0; i < g->n; i++) {
		g_string_append (sql, i > 0 ? ", " : " ");
		g_string_append (sql, "(?, ?, 'running', ?, CONCAT(@@hostname, ':', @@port, '/', "
				      "CONNECTION_ID()), SUBSTRING_INDEX(USER(), '@', 1), "
				      "UTC_TIMESTAMP(6) + INTERVAL ? SECOND)");
		g_string_append (select, i > 0 ? ", ?" : "?");
	}
	g_string_append (sql, " ON DUPLICATE KEY UPDATE runner = VALUES(runner), "
			      "lease_until = VALUES(lease_until)");
	g_string_append_c (select, ')');
	g_autoptr(TuSql) q = tu_sql_new (db, sql->str);
	g_autoptr(TuSql) ids = tu_sql_new (db, select->str);
	for (guint i = 0; i < g->n; i++) {
		Job *job = &g->jobs[i];
		tu_sql_bind_str (q, job->scan->target);
		tu_sql_bind_str (q, job->now);
		tu_sql_bind_str (q, job->token);
		tu_sql_bind_int (q, TU_STORE_LEASE_SECONDS);
		tu_sql_bind_str (ids, job->token);
		job->scan_id = 0;
	}
	if (!tu_db_exec (db, tu_sql_get (q), error))
		return FALSE;
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (ids), error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		for (guint i = 0; i < g->n; i++) {
			if (strcmp (g->jobs[i].token, row[0]) == 0)
				g->jobs[i].scan_id = g_ascii_strtoull (row[1], NULL, 10);
		}
	}
	for (guint i = 0; i < g->n; i++) {
		if (g->jobs[i].scan_id == 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_DB,
				     "%s: no scans row after inserting it (token %s)",
				     g->jobs[i].scan->target, g->jobs[i].token);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
group_txn (TuDb *db, gpointer user_data, GError **error)
{
	Group *g = user_data;
	g_hash_table_remove_all (g->jobs[0].store->new_software);
	tail_clear (&g->tail);
	for (guint i = 0; i < g->n; i++) {
		Job *job = &g->jobs[i];
		job->tail = &g->tail;
		if (job->scan->error == NULL && !store_txn (db, job, error))
			return FALSE;
	}
	return tail_flush (&g->tail, db, error);
}

/* Errors after which nothing more can be stored: no host is tried again alone. */
static gboolean
stops_storing (const GError *error)
{
	return g_error_matches (error, TU_ERROR, TU_ERROR_DB_UNREACHABLE) ||
	       g_error_matches (error, TU_ERROR, TU_ERROR_DISK_FULL);
}

/* An ingest past this many rows is a big one: the embedded server's redo log is made at least
 * BIG_INGEST_REDO_LOG from then on. A new store's 16 MB log filled every few thousand rows,
 * and each time the storing threads waited for pages to be written back (measured, 300 hosts
 * of 1,500 installations: 96-107 k rows/s with 16 MB, 137-160 k rows/s with 256 MB). */
#define BIG_INGEST_ROWS	    50000
#define BIG_INGEST_REDO_LOG (256u << 20)

static void
reserve_for_big_ingest (TuStore *store, TuStoreItem *items, guint n)
{
	static gint rows_seen = 0, reserved = 0;
	if (g_atomic_int_get (&reserved) || !tu_db_is_embedded (store->db))
		return;
	gint rows = 0;
	for (guint i = 0; i < n && rows < BIG_INGEST_ROWS; i++) {
		if (items[i].scan->error == NULL)
			rows += (gint) tu_record_list_len (items[i].scan->records);
	}
	rows = MIN (rows, BIG_INGEST_ROWS);
	gint before = g_atomic_int_add (&rows_seen, rows);
	if (before + rows < BIG_INGEST_ROWS || !g_atomic_int_compare_and_exchange (&reserved, 0, 1))
		return;
	g_autoptr(GError) error = NULL;
	if (!tu_db_reserve_redo_log (store->db, BIG_INGEST_REDO_LOG, &error))
		g_debug ("the redo log stays as it is: %s", error->message);
}

void
tu_store_host_scans (TuStore *store, TuStoreItem *items, guint n)
{
	if (n == 0)
		return;
	reserve_for_big_ingest (store, items, n);
	Group g = {g_new0 (Job, n), n, {0}};
	g.tail.jobs = g_ptr_array_new ();
	g.tail.software = g_array_new (FALSE, FALSE, sizeof (TailSoftware));
	for (guint i = 0; i < n; i++) {
		memset (&items[i].stats, 0, sizeof items[i].stats);
		items[i].error = NULL;
		TuStorePrepared *p = g_steal_pointer (&items[i].prepared);
		if (p != NULL && p->job.scan == items[i].scan) {
			/* taken over: job_clear frees it; it may have been prepared through another
			 * lane of the same store */
			g.jobs[i] = p->job;
			g.jobs[i].store = store;
			g_free (p);
		} else {
			tu_store_prepared_free (p);
			job_prepare (store, &g.jobs[i], items[i].scan);
		}
	}

	/* the scans rows, 'running' until each host's transaction ends */
	g_autoptr(GError) rows_error = NULL;
	gboolean ok;
	if (n == 1)
		ok = insert_scan_row (store, items[0].scan, g.jobs[0].now, g.jobs[0].token, FALSE,
				      &g.jobs[0].scan_id, &rows_error);
	else
		ok = tu_db_transaction (store->db, scan_rows_txn, &g, &rows_error);
	if (!ok) {
		for (guint i = 0; i < n; i++)
			items[i].error = g_error_copy (rows_error);
		goto out;
	}

	guint n_ok = 0;
	for (guint i = 0; i < n; i++) {
		items[i].stats.scan_id = g.jobs[i].scan_id;
		if (items[i].scan->error == NULL)
			n_ok++;
		else
			record_failed_scan (store, &g.jobs[i], &items[i].error);
	}
	gboolean done = FALSE;
	if (n_ok > 1) {
		GError *local = NULL;
		if (tu_db_transaction (store->db, group_txn, &g, &local)) {
			remember_software (store);
			for (guint i = 0; i < n; i++) {
				if (items[i].scan->error == NULL)
					job_result (store, &g.jobs[i], TRUE, NULL, &items[i].stats,
						    &items[i].error);
			}
			done = TRUE;
		} else {
			g_hash_table_remove_all (store->new_software);
			if (stops_storing (local)) {
				for (guint i = 0; i < n; i++) {
					if (items[i].scan->error == NULL)
						job_result (store, &g.jobs[i], FALSE,
							    g_error_copy (local), &items[i].stats,
							    &items[i].error);
				}
				done = TRUE;
			}
			g_error_free (local);
		}
	}
	/* alone: a group of one, or each host of a group that failed again by itself */
	for (guint i = 0; !done && i < n; i++) {
		if (items[i].scan->error == NULL)
			store_alone (store, &g.jobs[i], &items[i].stats, &items[i].error);
	}
out:
	tail_clear (&g.tail);
	g_ptr_array_unref (g.tail.jobs);
	g_array_unref (g.tail.software);
	for (guint i = 0; i < n; i++)
		job_clear (&g.jobs[i]);
	g_free (g.jobs);
}

gboolean
tu_store_host_scan (TuStore *store, TuHostScan *scan, TuStoreStats *stats, GError **error)
{
	TuStoreItem item = {.scan = scan};
	tu_store_host_scans (store, &item, 1);
	if (stats != NULL)
		*stats = item.stats;
	if (item.error != NULL) {
		g_propagate_error (error, item.error);
		return FALSE;
	}
	return TRUE;
}

static const char interrupted_set[] = "UPDATE scans SET status = 'interrupted', error = 'the "
				      "process storing this scan ended before it finished; "
				      "nothing of it was stored' WHERE status = 'running'";

/* On a server: a scan is someone else's work in progress while its connection lives on the
 * server (or Galera node) that it ran on. The process list shows a user without the PROCESS
 * privilege only its own user's connections: another user's scan whose connection is not seen
 * is left alone until its lease ends (migration 0010); rows from before 0010 (no runner_user)
 * are judged as before. A row locked by a transaction is in progress whatever the rest says
 * (its host's transaction is writing it): SKIP LOCKED passes it by instead of waiting. */
static gboolean
mark_on_server_txn (TuDb *db, gpointer user_data, GError **error)
{
	guint *n_marked = user_data;
	*n_marked = 0;
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db,
		"SELECT id FROM scans WHERE status = 'running' AND (lease_until < "
		"UTC_TIMESTAMP(6) OR (runner LIKE CONCAT(@@hostname, ':', @@port, '/%') AND "
		"CAST(SUBSTRING_INDEX(runner, '/', -1) AS UNSIGNED) NOT IN (SELECT ID FROM "
		"information_schema.PROCESSLIST) AND (runner_user IS NULL OR runner_user = "
		"SUBSTRING_INDEX(CURRENT_USER(), '@', 1) OR EXISTS (SELECT 1 FROM "
		"information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'PROCESS' AND GRANTEE = "
		"CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
		"SUBSTRING_INDEX(CURRENT_USER(), '@', -1), ''''))))) FOR UPDATE SKIP LOCKED",
		error);
	if (res == NULL)
		return FALSE;
	g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		guint64 id = g_ascii_strtoull (row[0], NULL, 10);
		g_array_append_val (ids, id);
	}
	if (ids->len == 0)
		return TRUE;
	g_autofree char *prefix = g_strconcat (interrupted_set, " AND", NULL);
	if (!update_ids (db, prefix, ids, error))
		return FALSE;
	*n_marked = ids->len;
	return TRUE;
}

gboolean
tu_store_mark_interrupted (TuDb *db, guint *n_marked, GError **error)
{
	guint n = 0;
	if (tu_db_is_embedded (db)) {
		/* the data-directory lock makes this process the store's only user */
		if (!tu_db_exec_retry (db, interrupted_set, error)) {
			g_prefix_error (error, "marking interrupted scans: ");
			return FALSE;
		}
		n = (guint) tu_db_affected_rows (db);
	} else if (!tu_db_transaction (db, mark_on_server_txn, &n, error)) {
		g_prefix_error (error, "marking interrupted scans: ");
		return FALSE;
	}
	if (n_marked != NULL)
		*n_marked = n;
	return TRUE;
}
