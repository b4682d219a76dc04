/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Storing scans in any order of observation (issue 14): the history a host gets from its scans
 * must not depend on the order in which they arrive. Four generations of one host's software
 * (packages that stay, move version, come and go, and a licensable program) are stored in
 * order into a reference host and in each of the 24 orders (and orders with re-imports) into
 * other hosts of one embedded store; every host's whole history (intervals, their reasons,
 * last sightings, the scans they open and close at, the licensable keys) must equal the
 * reference's, the current state must stay the newest scan's after every step, and the
 * history's invariants (tu-check.h) must hold. A scan of the instant of a stored scan that
 * found other software cannot be placed and is refused, naming the time.
 *
 * And the plain life of a host, in order: a package upgraded, downgraded, removed and
 * reinstalled (each interval closed with its reason, the state at past dates by
 * tu_query_installations_at), a rename (same machine-id: one host), a clone (same name, new
 * machine-id: a new host) and an export adopted when its host later comes with a machine-id.
 *
 * And hosts stored in one group (tu_store_host_scans, one transaction, each host's last rows
 * written once for the group): every host ends exactly as when its scans are stored one by
 * one (history, licensable keys, software set, hosts row, scans rows), also when a host comes
 * twice or more in the group, an older scan is placed in the history within it, or a host of
 * the group fails and the others are stored again alone.
 */
#include "config.h"

#include <string.h>

#include "tu-check.h"
#include "tu-common.h"
#include "tu-query.h"
#include "tu-store.h"
#include "tu-test-store.h"

static TuNormaliser *norm = NULL;

static gint64
day_us (guint day)
{
	g_autoptr(GDateTime) dt = g_date_time_new_utc (2026, 6, (gint) day, 0, 0, 0);
	return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
add (TuHostScan *scan, TuSource source, const char *name, const char *version)
{
	TuRecord r = TU_RECORD_INIT;
	r.source = source;
	r.raw_name = name;
	r.raw_version = version;
	tu_record_list_add (scan->records, &r);
}

/* Generation @g of host @host: 3 packages that stay, 2 whose version is 2.g, 2 in odd
 * generations only, one named after g, and a licensable program in even generations whose
 * version moves. */
static TuHostScan *
make_scan (const char *host, guint g)
{
	TuHostScan *scan = tu_host_scan_new ("import:test");
	tu_host_facts_set (&scan->facts.hostname, host);
	for (guint p = 1; p <= 3; p++) {
		g_autofree char *n = g_strdup_printf ("base-%u", p);
		add (scan, TU_SOURCE_DPKG, n, "1.0");
	}
	for (guint p = 1; p <= 2; p++) {
		g_autofree char *n = g_strdup_printf ("moving-%u", p);
		g_autofree char *v = g_strdup_printf ("2.%u", g);
		add (scan, TU_SOURCE_DPKG, n, v);
	}
	for (guint p = 1; g % 2 && p <= 2; p++) {
		g_autofree char *n = g_strdup_printf ("odd-%u", p);
		add (scan, TU_SOURCE_DPKG, n, "1.0");
	}
	g_autofree char *gn = g_strdup_printf ("gen-%u", g);
	add (scan, TU_SOURCE_DPKG, gn, "1.0");
	if (g % 2 == 0) {
		g_autofree char *v = g_strdup_printf ("23.%03u.20360", g);
		add (scan, TU_SOURCE_WINDOWS, "Adobe Acrobat DC (64-bit)", v);
	}
	return scan;
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Everything of a host's history that does not depend on row ids: each interval's software,
 * when it opened and closed and why, when it was last seen (closed ones), the times of the
 * scans it opened and closed at, and whether its licensable key is there. */
static char *
history_of (TuDb *db, const char *host)
{
	g_autoptr(TuSql) q = tu_sql_new (
		db, "SELECT w.raw_name, w.raw_version, i.first_seen, i.removed_at, "
		    "i.removed_reason, "
		    "IF(i.removed_at IS NULL, NULL, i.last_seen), fs.started_at, "
		    "IF(i.removed_at IS NULL, NULL, ls.started_at), (SELECT COUNT(*) FROM "
		    "licensable_installations l WHERE l.host_id = i.host_id AND l.install_key = "
		    "i.install_key AND l.software_id = i.software_id AND l.first_seen = "
		    "i.first_seen) FROM installations i JOIN software w ON w.id = i.software_id "
		    "JOIN hosts h ON h.id = i.host_id LEFT JOIN scans fs ON "
		    "fs.id = i.first_scan_id LEFT JOIN scans ls ON ls.id = i.last_scan_id "
		    "WHERE h.hostname = ? ORDER BY 1, 2, 3");
	tu_sql_bind_str (q, host);
	g_autofree char *rows = tu_test_query_text (db, tu_sql_get (q));
	g_autoptr(TuSql) hq = tu_sql_new (
		db, "SELECT h.first_seen, h.last_seen, s.started_at, (SELECT COUNT(*) FROM "
		    "licensable_installations l WHERE l.host_id = h.id) FROM hosts h JOIN scans s "
		    "ON s.id = h.last_scan_id WHERE h.hostname = ?");
	tu_sql_bind_str (hq, host);
	g_autofree char *hrow = tu_test_query_text (db, tu_sql_get (hq));
	return g_strconcat (hrow, rows, NULL);
}

/* The host's open installations: name and version. */
static char *
current_of (TuDb *db, const char *host)
{
	g_autoptr(TuSql) q = tu_sql_new (
		db, "SELECT w.raw_name, w.raw_version FROM installations i JOIN software w ON "
		    "w.id = i.software_id JOIN hosts h ON h.id = i.host_id WHERE h.hostname = ? "
		    "AND i.removed_at IS NULL ORDER BY 1, 2");
	tu_sql_bind_str (q, host);
	return tu_test_query_text (db, tu_sql_get (q));
}

/* What the generation's scan holds, as current_of prints it. */
static char *
expected_current (guint g)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
	for (guint p = 1; p <= 3; p++)
		g_ptr_array_add (lines, g_strdup_printf ("base-%u|1.0\n", p));
	for (guint p = 1; p <= 2; p++)
		g_ptr_array_add (lines, g_strdup_printf ("moving-%u|2.%u\n", p, g));
	for (guint p = 1; g % 2 && p <= 2; p++)
		g_ptr_array_add (lines, g_strdup_printf ("odd-%u|1.0\n", p));
	g_ptr_array_add (lines, g_strdup_printf ("gen-%u|1.0\n", g));
	if (g % 2 == 0)
		g_ptr_array_add (lines,
				 g_strdup_printf ("Adobe Acrobat DC (64-bit)|23.%03u.20360\n", g));
	g_ptr_array_sort (lines, cmp_str);
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < lines->len; i++)
		g_string_append (s, g_ptr_array_index (lines, i));
	return g_string_free (s, FALSE);
}

static void
store_gen (TuStore *store, const char *host, guint g, TuStoreStats *st, GError **error)
{
	g_autoptr(TuHostScan) scan = make_scan (host, g);
	tu_store_set_time (store, day_us (g));
	tu_store_host_scan (store, scan, st, error);
}

/* Store generations @order (0-terminated) into @host; after each, the current state is the
 * newest generation stored so far. */
static void
store_in_order (TuDb *db, TuStore *store, const char *host, const guint *order)
{
	guint newest = 0;
	for (guint i = 0; order[i] != 0; i++) {
		g_autoptr(GError) error = NULL;
		TuStoreStats st = {0};
		store_gen (store, host, order[i], &st, &error);
		g_assert_no_error (error);
		g_assert_cmpint (st.is_history, ==, order[i] < newest);
		newest = MAX (newest, order[i]);
		g_autofree char *cur = current_of (db, host);
		g_autofree char *want = expected_current (newest);
		g_assert_cmpstr (cur, ==, want);
	}
}

static void
permute (guint *a, guint k, guint n, GPtrArray *out)
{
	if (k == n) {
		g_ptr_array_add (out, g_memdup2 (a, sizeof (guint) * (n + 1)));
		return;
	}
	for (guint i = k; i < n; i++) {
		guint t = a[k];
		a[k] = a[i];
		a[i] = t;
		permute (a, k + 1, n, out);
		a[i] = a[k];
		a[k] = t;
	}
}

static void
test_every_order (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	static const guint in_order[] = {1, 2, 3, 4, 0};
	store_in_order (db, store, "ref", in_order);
	g_autofree char *ref = history_of (db, "ref");
	/* the reference is the history as scans in order write it */
	g_assert_nonnull (strstr (ref, "moving-1|2.1|2026-06-01 00:00:00.000000|2026-06-02 "
				       "00:00:00.000000|upgraded|"));
	g_assert_nonnull (strstr (ref, "odd-1|1.0|2026-06-03 00:00:00.000000|2026-06-04 "
				       "00:00:00.000000|removed|2026-06-03 00:00:00.000000|"));

	guint a[5] = {1, 2, 3, 4, 0};
	g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_free);
	permute (a, 0, 4, orders);
	g_assert_cmpuint (orders->len, ==, 24);
	/* re-imports of the same export (the same instant, the same software) change nothing */
	static const guint again[] = {3, 1, 3, 2, 1, 4, 2, 4, 0};
	g_ptr_array_add (orders, g_memdup2 (again, sizeof again));
	for (guint i = 0; i < orders->len; i++) {
		const guint *order = g_ptr_array_index (orders, i);
		g_autofree char *host = g_strdup_printf ("order-%02u", i);
		store_in_order (db, store, host, order);
		g_autofree char *got = history_of (db, host);
		if (g_strcmp0 (got, ref) != 0)
			g_test_message ("order %u %u %u %u", order[0], order[1], order[2],
					order[3]);
		g_assert_cmpstr (got, ==, ref);
	}
	tu_test_assert_clean (db);
	/* no licensable key without its interval */
	g_autofree char *orphans = tu_test_query_text (
		db, "SELECT COUNT(*) FROM licensable_installations l LEFT JOIN installations i ON "
		    "i.host_id = l.host_id AND i.install_key = l.install_key AND i.software_id = "
		    "l.software_id AND i.first_seen = l.first_seen WHERE i.id IS NULL");
	g_assert_cmpstr (orphans, ==, "0\n");
	g_autofree char *statuses = tu_test_query_text (db, "SELECT DISTINCT status FROM scans");
	g_assert_cmpstr (statuses, ==, "ok\n");
}

static void
test_same_instant_other_software_refused (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	static const guint order[] = {4, 2, 0};
	store_in_order (db, store, "clash", order);
	store_in_order (db, store, "clash-ref", order);
	g_autofree char *before = history_of (db, "clash");
	/* generation 3's software, observed at generation 2's instant */
	g_autoptr(TuHostScan) scan = make_scan ("clash", 3);
	tu_store_set_time (store, day_us (2));
	g_autoptr(GError) error = NULL;
	TuStoreStats st = {0};
	g_assert_false (tu_store_host_scan (store, scan, &st, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_OUT_OF_ORDER);
	g_assert_nonnull (strstr (error->message, "observed at 2026-06-02 00:00:00.000000 UTC, the "
						  "same instant as stored scan"));
	g_assert_nonnull (strstr (error->message, "cannot be placed"));
	g_autofree char *after = history_of (db, "clash");
	g_assert_cmpstr (after, ==, before);
	g_autoptr(TuSql) q = tu_sql_new (db, "SELECT status FROM scans WHERE id = ?");
	tu_sql_bind_uint (q, st.scan_id);
	g_autofree char *status = tu_test_query_text (db, tu_sql_get (q));
	g_assert_cmpstr (status, ==, "refused\n");
	/* the same software at that instant is the same observation: stored, nothing changes */
	g_autoptr(TuHostScan) same = make_scan ("clash", 2);
	g_clear_error (&error);
	g_assert_true (tu_store_host_scan (store, same, &st, &error));
	g_assert_no_error (error);
	g_assert_true (st.is_history);
	g_autofree char *again = history_of (db, "clash");
	g_autofree char *ref = history_of (db, "clash-ref");
	g_assert_cmpstr (again, ==, ref);
	g_assert_cmpuint (tu_test_host_id (db, "clash"), !=, 0);
	tu_test_assert_clean (db);
}

/* One scan of @host (machine-id @machine_id, may be NULL) on day @day of June 2026 with the
 * dpkg packages @pkgs ("name=version" strings, NULL-terminated). */
static void
store_pkgs (TuStore *store, const char *host, const char *machine_id, guint day,
	    const char *const *pkgs, TuStoreStats *st)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("import:test");
	tu_host_facts_set (&scan->facts.hostname, host);
	if (machine_id != NULL)
		tu_host_facts_set (&scan->facts.machine_id, machine_id);
	for (guint i = 0; pkgs[i] != NULL; i++) {
		g_auto(GStrv) nv = g_strsplit (pkgs[i], "=", 2);
		add (scan, TU_SOURCE_DPKG, nv[0], nv[1]);
	}
	g_autoptr(GError) error = NULL;
	tu_store_set_time (store, day_us (day));
	g_assert_true (tu_store_host_scan (store, scan, st, &error));
	g_assert_no_error (error);
}

/* The host's intervals as "name version reason" lines, oldest first (reason "open" for the
 * current ones). */
static char *
intervals_of (TuDb *db, const char *host)
{
	g_autoptr(TuSql) q = tu_sql_new (
		db, "SELECT w.raw_name, w.raw_version, COALESCE(i.removed_reason, 'open') FROM "
		    "installations i JOIN software w ON w.id = i.software_id JOIN hosts h ON "
		    "h.id = i.host_id WHERE h.hostname = ? ORDER BY i.first_seen, w.raw_name");
	tu_sql_bind_str (q, host);
	return tu_test_query_text (db, tu_sql_get (q));
}

/* The raw versions of @host's installations present at the end of day @day of June 2026, by
 * the store's query for dates (tu_query_installations_at), sorted. */
static char *
versions_at (TuDb *db, const char *host, guint day)
{
	g_autofree char *iso = g_strdup_printf ("2026-06-%02u", day);
	guint32 at = 0;
	g_assert_true (tu_date_parse (iso, &at, "at", NULL));
	guint64 host_id = tu_test_host_id (db, host);
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(TuRows) rows = tu_query_installations_at (db, at);
	g_autoptr(GError) error = NULL;
	char **r;
	while ((r = tu_rows_next (rows, &error)) != NULL) {
		if (g_ascii_strtoull (r[TU_Q_PRESENT_HOST_ID], NULL, 10) != host_id)
			continue;
		g_autoptr(TuSql) q = tu_sql_new (
			db, "SELECT CONCAT(raw_name, ' ', raw_version) FROM software WHERE id = ?");
		tu_sql_bind_uint (q, g_ascii_strtoull (r[TU_Q_PRESENT_SOFTWARE_ID], NULL, 10));
		g_ptr_array_add (lines, tu_test_query_text (db, tu_sql_get (q)));
	}
	g_assert_no_error (error);
	g_ptr_array_sort (lines, cmp_str);
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < lines->len; i++)
		g_string_append (s, g_ptr_array_index (lines, i));
	return g_string_free (s, FALSE);
}

/* A package upgraded, downgraded, removed and installed again: each step closes the interval
 * with its reason or opens a new one, the counts say so, and the state at each past date is
 * what was scanned then. */
static void
test_upgrade_downgrade_reinstall (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	TuStoreStats st;
	static const char *const v10[] = {"libc6=2.36-9", "tool=1.0-1", NULL};
	static const char *const v20[] = {"libc6=2.36-9", "tool=2.0-1", NULL};
	static const char *const v15[] = {"libc6=2.36-9", "tool=1.5-1", NULL};
	static const char *const gone[] = {"libc6=2.36-9", NULL};
	store_pkgs (store, "life", NULL, 1, v10, &st);
	g_assert_cmpuint (st.n_added, ==, 2);
	store_pkgs (store, "life", NULL, 2, v10, &st);
	g_assert_cmpuint (st.n_unchanged, ==, 2);
	g_assert_cmpuint (st.n_added + st.n_updated + st.n_removed, ==, 0);
	store_pkgs (store, "life", NULL, 3, v20, &st);
	g_assert_cmpuint (st.n_updated, ==, 1);
	store_pkgs (store, "life", NULL, 5, v15, &st);
	g_assert_cmpuint (st.n_updated, ==, 1);
	store_pkgs (store, "life", NULL, 7, gone, &st);
	g_assert_cmpuint (st.n_removed, ==, 1);
	store_pkgs (store, "life", NULL, 9, v15, &st);
	g_assert_cmpuint (st.n_added, ==, 1);
	g_autofree char *iv = intervals_of (db, "life");
	g_assert_cmpstr (iv, ==,
			 "libc6|2.36-9|open\n"
			 "tool|1.0-1|upgraded\n"
			 "tool|2.0-1|downgraded\n"
			 "tool|1.5-1|removed\n"
			 "tool|1.5-1|open\n");
	/* history at a date: the end of each day, by the intervals */
	static const struct {
		guint day;
		const char *expect;
	} at[] = {
		{1, "libc6 2.36-9\ntool 1.0-1\n"},
		{2, "libc6 2.36-9\ntool 1.0-1\n"},
		{4, "libc6 2.36-9\ntool 2.0-1\n"},
		{6, "libc6 2.36-9\ntool 1.5-1\n"},
		{8, "libc6 2.36-9\n"},
		{10, "libc6 2.36-9\ntool 1.5-1\n"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (at); i++) {
		g_autofree char *got = versions_at (db, "life", at[i].day);
		g_assert_cmpstr (got, ==, at[i].expect);
	}
	tu_test_assert_clean (db);
}

static void
exec_ok (TuDb *db, const char *sql)
{
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_db_exec (db, sql, &error));
	g_assert_no_error (error);
}

/* A rescan whose digest equals the host's stored one (migration 0013) does not read the
 * installations: shown by changing an open interval behind the store's back, which that rescan
 * then does not see and `db check` names; with the digest unknown the next scan compares one by
 * one again, puts the state right and writes the digest; a scan that changes something never
 * takes the short way. */
static void
test_unchanged_rescan_skips_installations (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	TuStoreStats st;
	static const char *const v10[] = {"libc6=2.36-9", "tool=1.0-1", NULL};
	static const char *const v20[] = {"libc6=2.36-9", "tool=2.0-1", NULL};
	store_pkgs (store, "still", NULL, 1, v10, &st);
	guint64 id = tu_test_host_id (db, "still");
	g_autofree char *digest_sql = g_strdup_printf (
		"SELECT current_digest IS NOT NULL FROM hosts WHERE id = %" G_GUINT64_FORMAT, id);
	g_autofree char *known = tu_test_query_text (db, digest_sql);
	g_assert_cmpstr (known, ==, "1\n");
	store_pkgs (store, "still", NULL, 2, v10, &st);
	g_assert_cmpuint (st.n_unchanged, ==, 2);
	tu_test_assert_clean (db);

	g_autofree char *tamper = g_strdup_printf (
		"UPDATE installations SET state = 'half-installed' WHERE host_id = "
		"%" G_GUINT64_FORMAT " AND removed_at IS NULL ORDER BY install_key LIMIT 1",
		id);
	exec_ok (db, tamper);
	store_pkgs (store, "still", NULL, 3, v10, &st);
	g_assert_cmpuint (st.n_unchanged, ==, 2);
	g_assert_cmpuint (st.n_updated, ==, 0);
	g_autoptr(GError) error = NULL;
	TuCheckResult r = {0};
	g_assert_true (tu_check_history (db, 5, &r, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (r.n_digest_stale, ==, 1);
	g_assert_cmpuint (r.problems->len, >=, 1);
	tu_check_result_clear (&r);

	g_autofree char *unknown = g_strdup_printf (
		"UPDATE hosts SET current_digest = NULL WHERE id = %" G_GUINT64_FORMAT, id);
	exec_ok (db, unknown);
	store_pkgs (store, "still", NULL, 4, v10, &st);
	g_assert_cmpuint (st.n_updated, ==, 1); /* the state put right */
	g_autofree char *again = tu_test_query_text (db, digest_sql);
	g_assert_cmpstr (again, ==, "1\n");
	tu_test_assert_clean (db);

	store_pkgs (store, "still", NULL, 5, v20, &st);
	g_assert_cmpuint (st.n_updated, ==, 1);
	g_autofree char *iv = intervals_of (db, "still");
	g_assert_cmpstr (iv, ==,
			 "libc6|2.36-9|open\n"
			 "tool|1.0-1|upgraded\n"
			 "tool|2.0-1|open\n");
	tu_test_assert_clean (db);
}

/* A host renamed keeps its machine-id and so stays one host with its history; a clone (the
 * same name, another machine-id) is a new host; the original keeps its software. */
static void
test_rename_and_clone (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	TuStoreStats st;
	static const char *const pkgs[] = {"bash=5.2.15-2", "curl=7.88.1-10", NULL};
	static const char *const more[] = {"bash=5.2.15-2", "curl=7.88.1-10", "git=2.39.5-0", NULL};
	store_pkgs (store, "web-old", "4c4c4544003a", 1, pkgs, &st);
	guint64 id = st.host_id;
	store_pkgs (store, "web-new", "4c4c4544003a", 2, pkgs, &st);
	g_assert_cmpuint (st.host_id, ==, id);
	g_assert_cmpuint (st.n_unchanged, ==, 2);
	g_assert_cmpuint (st.n_added + st.n_removed, ==, 0);
	g_assert_cmpuint (tu_test_host_id (db, "web-old"), ==, 0);
	g_assert_cmpuint (tu_test_host_id (db, "web-new"), ==, id);
	g_autofree char *renamed = intervals_of (db, "web-new");
	g_assert_cmpstr (renamed, ==, "bash|5.2.15-2|open\ncurl|7.88.1-10|open\n");

	store_pkgs (store, "web-new", "9f0e1d2c003b", 3, more, &st);
	g_assert_cmpuint (st.host_id, !=, id);
	g_assert_cmpuint (st.n_added, ==, 3);
	g_autoptr(TuSql) q = tu_sql_new (db, "SELECT COUNT(*) FROM installations WHERE host_id = ? "
					     "AND removed_at IS NULL");
	tu_sql_bind_uint (q, id);
	g_autofree char *n_orig = tu_test_query_text (db, tu_sql_get (q));
	g_assert_cmpstr (n_orig, ==, "2\n");
	g_autoptr(TuSql) h = tu_sql_new (db, "SELECT COUNT(*) FROM hosts WHERE hostname = ?");
	tu_sql_bind_str (h, "web-new");
	g_autofree char *n_hosts = tu_test_query_text (db, tu_sql_get (h));
	g_assert_cmpstr (n_hosts, ==, "2\n");
	/* an export without a machine-id is adopted by the host that later comes with one */
	store_pkgs (store, "db-1", NULL, 1, pkgs, &st);
	guint64 export_id = st.host_id;
	store_pkgs (store, "db-1", "77aa55cc0001", 2, pkgs, &st);
	g_assert_cmpuint (st.host_id, ==, export_id);
	g_assert_cmpuint (st.n_unchanged, ==, 2);
	tu_test_assert_clean (db);
}

/* ---------------------------------------------------------------- groups ------------- */

/* Everything the store keeps of a host but its name and ids: its row, its software set, its
 * scans rows (in observation order) and its history. */
static char *
host_state (TuDb *db, const char *host)
{
	g_autoptr(TuSql) h = tu_sql_new (
		db, "SELECT h.first_seen, h.last_seen, h.install_seq, HEX(h.current_digest), "
		    "h.target, (SELECT started_at FROM scans WHERE id = h.last_scan_id), "
		    "s.n_installations, HEX(s.software_ids) FROM hosts h LEFT JOIN "
		    "host_software_sets s ON s.host_id = h.id WHERE h.hostname = ?");
	tu_sql_bind_str (h, host);
	g_autoptr(TuSql) sc = tu_sql_new (
		db, "SELECT s.started_at, s.status, s.error, s.n_records, s.n_added, "
		    "s.n_updated, s.n_removed, s.n_unchanged, s.n_warnings, s.finished_at IS NOT "
		    "NULL FROM scans s JOIN hosts h ON h.id = s.host_id WHERE h.hostname = ? "
		    "ORDER BY s.id");
	tu_sql_bind_str (sc, host);
	g_autofree char *row = tu_test_query_text (db, tu_sql_get (h));
	g_autofree char *scans = tu_test_query_text (db, tu_sql_get (sc));
	g_autofree char *history = history_of (db, host);
	return g_strconcat (row, "--\n", scans, "--\n", history, NULL);
}

typedef struct {
	const char *host;
	guint gen;
} GenScan;

/* A make_scan of @prefix@host observed on day @gen (a scan's own time: the store's is not
 * fixed). (transfer full) */
static TuHostScan *
gen_scan (const char *prefix, const GenScan *g)
{
	g_autofree char *name = g_strconcat (prefix, g->host, NULL);
	TuHostScan *scan = make_scan (name, g->gen);
	scan->started_us = day_us (g->gen);
	return scan;
}

/* Store @scans one by one into hosts "r-NAME" and as one group into hosts "g-NAME". */
static void
store_alone_and_grouped (TuDb *db, const GenScan *scans, guint n)
{
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	for (guint i = 0; i < n; i++) {
		g_autoptr(TuHostScan) scan = gen_scan ("r-", &scans[i]);
		g_autoptr(GError) error = NULL;
		g_assert_true (tu_store_host_scan (store, scan, NULL, &error));
		g_assert_no_error (error);
	}
	g_autoptr(GPtrArray) owned =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autofree TuStoreItem *items = g_new0 (TuStoreItem, n);
	for (guint i = 0; i < n; i++) {
		items[i].scan = gen_scan ("g-", &scans[i]);
		g_ptr_array_add (owned, items[i].scan);
	}
	tu_store_host_scans (store, items, n);
	for (guint i = 0; i < n; i++) {
		g_assert_no_error (items[i].error);
		g_assert_cmpuint (items[i].stats.host_id, ==,
				  tu_test_host_id (db, items[i].scan->facts.hostname));
	}
}

static void
assert_same (TuDb *db, const char *host)
{
	g_autofree char *r = g_strconcat ("r-", host, NULL);
	g_autofree char *g = g_strconcat ("g-", host, NULL);
	g_autofree char *alone = host_state (db, r);
	g_autofree char *grouped = host_state (db, g);
	g_test_message ("%s:\n%s", host, grouped);
	g_assert_cmpstr (grouped, ==, alone);
}

/* One group holding new hosts, a host three times (a change, then the same instant again:
 * each scan reads what the one before stored), a host twice with nothing changed, an older
 * scan placed into a history stored before the group, and a newer scan of that host after
 * it. */
static void
test_group_same_as_alone (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	static const GenScan before[] = {{"d", 3}};
	store_alone_and_grouped (db, before, G_N_ELEMENTS (before));
	static const GenScan group[] = {
		{"a", 2},
		{"b", 1},
		{"a", 3},
		{"c", 4},
		{"a", 3},
		{"b", 1},
		{"d", 1},
		{"e", 2},
		{"d", 4},
		{"a", 4},
		{"c", 5},
		{"e", 2},
	};
	store_alone_and_grouped (db, group, G_N_ELEMENTS (group));
	static const char *const hosts[] = {"a", "b", "c", "d", "e"};
	for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
		assert_same (db, hosts[i]);
	/* the scans of the group's repeated hosts are all there, in order */
	g_autoptr(TuSql) q = tu_sql_new (db, "SELECT COUNT(*) FROM scans s JOIN hosts h ON "
					     "h.id = s.host_id WHERE h.hostname = ? AND "
					     "s.status = 'ok'");
	tu_sql_bind_str (q, "g-a");
	g_autofree char *n_a = tu_test_query_text (db, tu_sql_get (q));
	g_assert_cmpstr (n_a, ==, "4\n");
	g_autofree char *cur = current_of (db, "g-a");
	g_autofree char *want = expected_current (4);
	g_assert_cmpstr (cur, ==, want);
	tu_test_assert_clean (db);
}

/* A host of a group that cannot be stored (no installation id is left for it) fails the
 * group's transaction: nothing of the group's tail is left behind, the other hosts are stored
 * again alone and end as if stored alone from the start, and the failed host keeps what it
 * had, with a 'failed' scans row. */
static void
test_group_with_failing_host (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	static const GenScan before[] = {{"fail-x", 1}};
	store_alone_and_grouped (db, before, G_N_ELEMENTS (before));
	exec_ok (db, "UPDATE hosts SET install_seq = 4294967295 WHERE hostname = 'g-fail-x'");
	g_autofree char *kept = host_state (db, "g-fail-x");

	g_autoptr(TuStore) store = tu_store_new (db, norm);
	static const GenScan group[] = {
		{"fail-p", 2},
		{"fail-q", 1},
		{"fail-p", 3},
		{"fail-x", 2},
		{"fail-r", 4},
	};
	for (guint i = 0; i < G_N_ELEMENTS (group); i++) {
		if (strcmp (group[i].host, "fail-x") == 0)
			continue;
		g_autoptr(TuHostScan) scan = gen_scan ("r-", &group[i]);
		g_autoptr(GError) error = NULL;
		g_assert_true (tu_store_host_scan (store, scan, NULL, &error));
		g_assert_no_error (error);
	}
	g_autoptr(GPtrArray) owned =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	TuStoreItem items[G_N_ELEMENTS (group)] = {{0}};
	for (guint i = 0; i < G_N_ELEMENTS (group); i++) {
		items[i].scan = gen_scan ("g-", &group[i]);
		g_ptr_array_add (owned, items[i].scan);
	}
	tu_store_host_scans (store, items, G_N_ELEMENTS (items));
	for (guint i = 0; i < G_N_ELEMENTS (items); i++) {
		if (strcmp (group[i].host, "fail-x") != 0) {
			g_assert_no_error (items[i].error);
			continue;
		}
		g_assert_nonnull (items[i].error);
		g_assert_nonnull (strstr (items[i].error->message, "no installation id is left"));
		g_autoptr(TuSql) q = tu_sql_new (db, "SELECT status, host_id IS NULL, error LIKE "
						     "'%no installation id is left%' FROM scans "
						     "WHERE id = ?");
		tu_sql_bind_uint (q, items[i].stats.scan_id);
		g_autofree char *row = tu_test_query_text (db, tu_sql_get (q));
		g_assert_cmpstr (row, ==, "failed|1|1\n");
		g_clear_error (&items[i].error);
	}
	static const char *const hosts[] = {"fail-p", "fail-q", "fail-r"};
	for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
		assert_same (db, hosts[i]);
	g_autofree char *after = host_state (db, "g-fail-x");
	g_assert_cmpstr (after, ==, kept);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	norm = tu_normaliser_new (NULL, NULL);
	g_assert_nonnull (norm);
	g_test_add_func ("/trueup/store/history-same-in-every-order", test_every_order);
	g_test_add_func ("/trueup/store/same-instant-other-software-refused",
			 test_same_instant_other_software_refused);
	g_test_add_func ("/trueup/store/upgrade-downgrade-reinstall-and-dates",
			 test_upgrade_downgrade_reinstall);
	g_test_add_func ("/trueup/store/rename-keeps-host-clone-is-new", test_rename_and_clone);
	g_test_add_func ("/trueup/store/unchanged-rescan-skips-installations",
			 test_unchanged_rescan_skips_installations);
	g_test_add_func ("/trueup/store/group-same-as-alone", test_group_same_as_alone);
	g_test_add_func ("/trueup/store/group-with-failing-host", test_group_with_failing_host);
	int rc = g_test_run ();
	tu_test_store_close ();
	tu_normaliser_free (norm);
	return rc;
}
