/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The history's invariants; see tu-check.h. Each check is one query that counts the
 * violations, and one that names the first of them; both use the installations table's
 * clustering by (host_id, install_key, software_id, first_seen), so a check reads the table
 * once and pairs neighbouring intervals rather than joining every interval with every other.
 */
#include "config.h"

#include <string.h>

#include "tu-check.h"
#include "tu-common.h"
#include "tu-sql.h"

void
tu_check_result_clear (TuCheckResult *r)
{
	g_clear_pointer (&r->problems, g_ptr_array_unref);
}

static gboolean
count_of (TuDb *db, const char *sql, guint64 *out, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row = mysql_fetch_row (res);
	*out = row != NULL ? (guint64) tu_row_int (row, 0, 0) : 0;
	return TRUE;
}

/* Intervals of one installation ordered by opening time: each overlaps the previous one when it
 * opens before the previous one closes (an open interval never closes). Ordered intervals that
 * do not overlap their predecessor do not overlap any earlier one either. */
#define OVERLAP_SQL                                                                              \
	"FROM (SELECT i.id, i.host_id, i.install_key, i.software_id, i.first_seen, i.removed_at, " \
	"LAG(i.id) OVER w AS prev_id, LAG(i.first_seen) OVER w AS prev_first, "                   \
	"LAG(i.removed_at) OVER w AS prev_removed, ROW_NUMBER() OVER w AS n "                     \
	"FROM installations i WINDOW w AS (PARTITION BY i.host_id, i.install_key, i.software_id " \
	"ORDER BY i.first_seen, i.id)) x WHERE x.n > 1 AND "                                      \
	"(x.prev_removed IS NULL OR x.first_seen < x.prev_removed)"

/* A host's current set and its newest scan. */
#define MIXED_SQL                                                                                \
	"FROM (SELECT h.id, h.hostname, h.last_scan_id, h.last_seen, s.status, s.started_at, "   \
	"s.n_records, (SELECT COUNT(*) FROM installations i WHERE i.host_id = h.id AND "         \
	"i.removed_at IS NULL) AS n_open, (SELECT COUNT(*) FROM installations i WHERE "          \
	"i.host_id = h.id AND i.removed_at IS NULL AND i.first_seen > h.last_seen) AS n_later "  \
	"FROM hosts h LEFT JOIN scans s ON s.id = h.last_scan_id) x WHERE "                      \
	"(x.last_scan_id IS NULL AND x.n_open > 0) OR (x.last_scan_id IS NOT NULL AND "          \
	"(x.status IS NULL OR x.status <> 'ok' OR x.started_at <> x.last_seen OR "               \
	"x.n_records <> x.n_open OR x.n_later > 0))"

/* A host's software set (migration 0009) against its open installed intervals, packed the same
 * way (8 bytes each, big-endian, in id order). */
#define SETS_SQL                                                                       \
	"FROM (SELECT h.id, h.hostname, (SELECT GROUP_CONCAT("                         \
	"UNHEX(LPAD(HEX(i.software_id), 16, '0')) ORDER BY i.id SEPARATOR '') "        \
	"FROM installations i WHERE i.host_id = h.id AND i.removed_at IS NULL AND "    \
	"i.state = 'installed') AS want, (SELECT COUNT(*) FROM installations i "       \
	"WHERE i.host_id = h.id AND i.removed_at IS NULL AND i.state = 'installed') "  \
	"AS n_want, s.software_ids AS have, s.n_installations AS n_have FROM hosts h " \
	"LEFT JOIN host_software_sets s ON s.host_id = h.id) x WHERE "                 \
	"COALESCE(x.want, '') <> COALESCE(x.have, '') OR "                             \
	"x.n_want <> COALESCE(x.n_have, 0)"

/* A host's digest of its current set (migration 0013), where known, against its open
 * intervals digested the same way as the store does (one "install_key software_id state" line
 * each, ended by a newline, in (install_key, software_id) order). */
#define DIGEST_SQL                                                                            \
	"FROM (SELECT h.id, h.hostname, LOWER(HEX(h.current_digest)) AS have, (SELECT "       \
	"SHA2(COALESCE(GROUP_CONCAT(CONCAT(i.install_key, ' ', i.software_id, ' ', i.state, " \
	"CHAR(10)) ORDER BY i.install_key, i.software_id SEPARATOR ''), ''), 256) FROM "      \
	"installations i WHERE i.host_id = h.id AND i.removed_at IS NULL) AS want FROM "      \
	"hosts h WHERE h.current_digest IS NOT NULL) x WHERE x.have <> x.want"

/* An installation's id (migration 0014): one the store gave holds its host in the high half and
 * a count no higher than the host's counter (else the host's next rows could take it again);
 * one from before 0014 is below 2^32; 0 is none (a writer that left the id out: LOAD DATA LOCAL
 * fills a missing column with 0 instead of failing). */
#define IDS_SQL                                                                        \
	"FROM installations i JOIN hosts h ON h.id = i.host_id WHERE i.id = 0 OR "     \
	"(i.id >= 4294967296 AND ((i.id >> 32) <> i.host_id OR (i.id & 4294967295) > " \
	"h.install_seq))"

gboolean
tu_check_history (TuDb *db, guint max_named, TuCheckResult *r, GError **error)
{
	memset (r, 0, sizeof *r);
	r->problems = g_ptr_array_new_with_free_func (g_free);
	if (!count_of (db, "SELECT COUNT(*) FROM installations", &r->n_intervals, error) ||
	    !count_of (db, "SELECT COUNT(*) FROM hosts", &r->n_hosts, error) ||
	    !count_of (db, "SELECT COUNT(*) FROM installations WHERE removed_at < first_seen",
		       &r->n_inverted, error) ||
	    !count_of (db, "SELECT COUNT(*) " OVERLAP_SQL, &r->n_overlapping, error) ||
	    !count_of (db, "SELECT COUNT(*) " MIXED_SQL, &r->n_hosts_mixed, error) ||
	    !tu_db_exec (db, "SET SESSION group_concat_max_len = 4294967295", error) ||
	    !count_of (db, "SELECT COUNT(*) " SETS_SQL, &r->n_sets_stale, error) ||
	    !count_of (db, "SELECT COUNT(*) " DIGEST_SQL, &r->n_digest_stale, error) ||
	    !count_of (db, "SELECT COUNT(*) " IDS_SQL, &r->n_ids_bad, error))
		return FALSE;

	g_autofree char *limit = g_strdup_printf (" LIMIT %u", max_named);
	MYSQL_ROW row;
	if (r->n_inverted > 0) {
		g_autofree char *sql = g_strconcat (
			"SELECT i.id, h.hostname, i.host_id, i.install_key, i.first_seen, "
			"i.removed_at FROM installations i JOIN hosts h ON h.id = i.host_id WHERE "
			"i.removed_at < i.first_seen ORDER BY i.host_id, i.id",
			limit, NULL);
		g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, error);
		if (res == NULL)
			return FALSE;
		while ((row = mysql_fetch_row (res)) != NULL)
			g_ptr_array_add (r->problems,
					 g_strdup_printf ("installation %s on host %s (id %s, install_key "
							  "%s): closes at %s before it opens at %s",
							  row[0], row[1], row[2], row[3], row[5], row[4]));
	}
	if (r->n_overlapping > 0) {
		g_autofree char *sql = g_strconcat (
			"SELECT y.prev_id, y.id, h.hostname, y.host_id, y.install_key, y.prev_first, "
			"IFNULL(y.prev_removed, 'now'), y.first_seen, IFNULL(y.removed_at, 'now') "
			"FROM (SELECT x.* ",
			OVERLAP_SQL, ") y JOIN hosts h ON h.id = y.host_id ORDER BY y.host_id, y.id",
			limit, NULL);
		g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, error);
		if (res == NULL)
			return FALSE;
		while ((row = mysql_fetch_row (res)) != NULL)
			g_ptr_array_add (r->problems,
					 g_strdup_printf ("installations %s and %s on host %s (id %s, "
							  "install_key %s) overlap: [%s, %s) and [%s, %s)",
							  row[0], row[1], row[2], row[3], row[4], row[5],
							  row[6], row[7], row[8]));
	}
	if (r->n_hosts_mixed > 0) {
		g_autofree char *sql = g_strconcat (
			"SELECT x.hostname, x.id, IFNULL(x.last_scan_id, 'none'), "
			"IFNULL(x.status, 'missing'), IFNULL(x.started_at, '-'), x.last_seen, "
			"IFNULL(x.n_records, 0), x.n_open, x.n_later ",
			MIXED_SQL, " ORDER BY x.id", limit, NULL);
		g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, error);
		if (res == NULL)
			return FALSE;
		while ((row = mysql_fetch_row (res)) != NULL)
			g_ptr_array_add (
				r->problems,
				g_strdup_printf ("host %s (id %s): current set is not one scan's: newest "
						 "scan %s is %s, observed at %s, host last seen %s; it "
						 "stored %s installations, %s are open, %s opened later",
						 row[0], row[1], row[2], row[3], row[4], row[5], row[6],
						 row[7], row[8]));
	}
	if (r->n_sets_stale > 0) {
		g_autofree char *sql = g_strconcat ("SELECT x.hostname, x.id, x.n_want, "
						    "COALESCE(x.n_have, 'no row') ",
						    SETS_SQL, " ORDER BY x.id", limit, NULL);
		g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, error);
		if (res == NULL)
			return FALSE;
		while ((row = mysql_fetch_row (res)) != NULL)
			g_ptr_array_add (r->problems,
					 g_strdup_printf ("host %s (id %s): its software set (%s) "
							  "is not its %s open installed intervals "
							  "in installation order",
							  row[0], row[1], row[3], row[2]));
	}
	if (r->n_digest_stale > 0) {
		g_autofree char *sql = g_strconcat ("SELECT x.hostname, x.id ", DIGEST_SQL,
						    " ORDER BY x.id", limit, NULL);
		g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, error);
		if (res == NULL)
			return FALSE;
		while ((row = mysql_fetch_row (res)) != NULL)
			g_ptr_array_add (r->problems,
					 g_strdup_printf ("host %s (id %s): its current digest "
							  "is not that of its open intervals (its "
							  "next scan would miss what changed)",
							  row[0], row[1]));
	}
	if (r->n_ids_bad > 0) {
		g_autofree char *sql = g_strconcat (
			"SELECT i.id, h.hostname, i.host_id, i.install_key, h.install_seq ",
			IDS_SQL, " ORDER BY i.host_id, i.id", limit, NULL);
		g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, error);
		if (res == NULL)
			return FALSE;
		while ((row = mysql_fetch_row (res)) != NULL)
			g_ptr_array_add (r->problems,
					 g_strdup_printf ("installation %s on host %s (id %s, "
							  "install_key %s): not an id the store "
							  "gives the host (host id * 2^32 + a "
							  "count up to its %s)",
							  row[0], row[1], row[2], row[3], row[4]));
	}
	return TRUE;
}
