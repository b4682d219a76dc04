/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Installation ids given by the store (migration 0014): a host's rows get (host_id << 32) | 1,
 * 2, ... in the order they are inserted (primary-key order within a scan); the count goes on
 * after a rescan that opens more, after an older scan placed in the history (which splits an
 * interval and adds a closed one) and across hosts stored in one group. A store made at
 * schema 0013, whose ids the server gave (AUTO_INCREMENT), migrates without touching them:
 * its software sets keep their order (installation-id order), `db check` passes, and a rescan
 * puts its new rows after the old ones.
 *
 * The store of this program is created at 0013 and filled the way trueup wrote it then (ids
 * by AUTO_INCREMENT, the software set made as migration 0009 makes it), then migrated.
 */
#include "config.h"

#include <string.h>

#include "tu-check.h"
#include "tu-common.h"
#include "tu-migrate.h"
#include "tu-sql.h"
#include "tu-store.h"
#include "tu-test-store.h"

static TuDb *db = NULL;
static char *dir = NULL;
static TuNormaliser *norm = NULL;

static gint64
day_us (guint day)
{
	g_autoptr(GDateTime) dt = g_date_time_new_utc (2026, 6, (gint) day, 0, 0, 0);
	return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
exec_ok (const char *sql)
{
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_db_exec (db, sql, &error));
	g_assert_no_error (error);
}

/* A scan of @host with the dpkg packages @pkgs ("name=version", NULL-terminated). */
static TuHostScan *
scan_of (const char *host, const char *const *pkgs)
{
	TuHostScan *scan = tu_host_scan_new ("import:test");
	tu_host_facts_set (&scan->facts.hostname, host);
	for (guint i = 0; pkgs[i] != NULL; i++) {
		g_auto(GStrv) nv = g_strsplit (pkgs[i], "=", 2);
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_DPKG;
		r.raw_name = tu_record_list_intern (scan->records, nv[0], -1);
		r.raw_version = tu_record_list_intern (scan->records, nv[1], -1);
		tu_record_list_add (scan->records, &r);
	}
	return scan;
}

static void
store_pkgs (TuStore *store, const char *host, guint day, const char *const *pkgs,
	    TuStoreStats *st)
{
	g_autoptr(TuHostScan) scan = scan_of (host, pkgs);
	g_autoptr(GError) error = NULL;
	tu_store_set_time (store, day_us (day));
	g_assert_true (tu_store_host_scan (store, scan, st, &error));
	g_assert_no_error (error);
}

/* The host's rows as "name version seq reason" lines in id order, seq being the id less
 * host_id << 32 ("old:ID" for an id below 2^32, which the server gave before 0014); each id
 * is checked to carry the host's id in its high half. */
static char *
rows_by_id (const char *host)
{
	guint64 h = tu_test_host_id (db, host);
	g_autoptr(TuSql) q = tu_sql_new (
		db, "SELECT i.id, w.raw_name, w.raw_version, COALESCE(i.removed_reason, 'open') "
		    "FROM installations i JOIN software w ON w.id = i.software_id WHERE "
		    "i.host_id = ? ORDER BY i.id");
	tu_sql_bind_uint (q, h);
	g_autoptr(GError) error = NULL;
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), &error);
	g_assert_no_error (error);
	GString *s = g_string_new (NULL);
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		guint64 id = g_ascii_strtoull (row[0], NULL, 10);
		g_autofree char *seq = NULL;
		if (id >> 32 == 0) {
			seq = g_strconcat ("old:", row[0], NULL);
		} else {
			g_assert_cmpuint (id >> 32, ==, h);
			seq = g_strdup_printf ("%" G_GUINT64_FORMAT, id & G_MAXUINT32);
		}
		g_string_append_printf (s, "%s %s %s %s\n", row[1], row[2], seq, row[3]);
	}
	return g_string_free (s, FALSE);
}

/* The names of the host's software set (host_software_sets), in its stored order. */
static char *
set_names (const char *host)
{
	g_autoptr(TuSql) q = tu_sql_new (db, "SELECT HEX(software_ids) FROM host_software_sets "
					     "WHERE host_id = ?");
	tu_sql_bind_uint (q, tu_test_host_id (db, host));
	g_autofree char *hex = tu_test_query_text (db, tu_sql_get (q));
	GString *s = g_string_new (NULL);
	for (const char *p = hex; strlen (p) >= 16; p += 16) {
		g_autofree char *one = g_strndup (p, 16);
		g_autoptr(TuSql) w = tu_sql_new (db, "SELECT raw_name FROM software WHERE id = ?");
		tu_sql_bind_uint (w, g_ascii_strtoull (one, NULL, 16));
		g_autofree char *name = tu_test_query_text (db, tu_sql_get (w));
		g_strchomp (name);
		g_string_append_printf (s, "%s%s", s->len ? " " : "", name);
	}
	return g_string_free (s, FALSE);
}

static guint64
install_seq_of (const char *host)
{
	g_autoptr(TuSql) q = tu_sql_new (db, "SELECT install_seq FROM hosts WHERE hostname = ?");
	tu_sql_bind_str (q, host);
	g_autofree char *t = tu_test_query_text (db, tu_sql_get (q));
	return g_ascii_strtoull (t, NULL, 10);
}

/* ---------------------------------------------------------------- from 0013 ----------- */

/* the ids a store computes for a dpkg package (tu-store.c software_id_of, install_key_of) */
static guint64
software_id (const char *name, const char *version)
{
	const char *parts[] = {tu_source_to_string (TU_SOURCE_DPKG), name, version, "", ""};
	return tu_hash_strings (parts, G_N_ELEMENTS (parts));
}

static guint64
install_key (const char *name)
{
	const char *parts[] = {tu_source_to_string (TU_SOURCE_DPKG), name, "", ""};
	return tu_hash_strings (parts, G_N_ELEMENTS (parts));
}

static gint
cmp_key_desc (gconstpointer a, gconstpointer b)
{
	guint64 x = install_key (*(const char *const *) a);
	guint64 y = install_key (*(const char *const *) b);
	return (x < y) - (x > y);
}

/* Host "legacy" as trueup stored it at schema 0013: one scan on June 1 of four packages, its
 * rows given ids by AUTO_INCREMENT (from 1000 on, inserted in descending install_key order, so
 * that id order is not key order), its software set made as migration 0009 makes it. */
static void
fill_at_0013 (void)
{
	exec_ok ("INSERT INTO scans (target, started_at, finished_at, status, n_records, "
		 "n_added) VALUES ('import:test', '2026-06-01 00:00:00', '2026-06-01 00:00:00', "
		 "'ok', 4, 4)");
	guint64 scan_id = tu_db_insert_id (db);
	g_autoptr(TuSql) h = tu_sql_new (
		db, "INSERT INTO hosts (identity, hostname, first_seen, last_seen, last_scan_id) "
		    "VALUES ('hostname:legacy', 'legacy', '2026-06-01 00:00:00', "
		    "'2026-06-01 00:00:00', ?)");
	tu_sql_bind_uint (h, scan_id);
	exec_ok (tu_sql_get (h));
	guint64 host_id = tu_db_insert_id (db);
	g_autoptr(TuSql) s = tu_sql_new (db, "UPDATE scans SET host_id = ? WHERE id = ?");
	tu_sql_bind_uint (s, host_id);
	tu_sql_bind_uint (s, scan_id);
	exec_ok (tu_sql_get (s));
	exec_ok ("ALTER TABLE installations AUTO_INCREMENT = 1000");
	const char *names[] = {"pkg-a", "pkg-b", "pkg-c", "pkg-d"};
	qsort (names, G_N_ELEMENTS (names), sizeof names[0], cmp_key_desc);
	for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
		g_autoptr(TuSql) w = tu_sql_new (
			db, "INSERT INTO software (id, source, raw_name, raw_version, first_seen) "
			    "VALUES (?, 'dpkg', ?, '1.0', '2026-06-01 00:00:00')");
		tu_sql_bind_uint (w, software_id (names[i], "1.0"));
		tu_sql_bind_str (w, names[i]);
		exec_ok (tu_sql_get (w));
		g_autoptr(TuSql) q = tu_sql_new (
			db, "INSERT INTO installations (host_id, install_key, software_id, "
			    "first_seen, last_seen, first_scan_id, last_scan_id) VALUES (?, ?, ?, "
			    "'2026-06-01 00:00:00', '2026-06-01 00:00:00', ?, ?)");
		tu_sql_bind_uint (q, host_id);
		tu_sql_bind_uint (q, install_key (names[i]));
		tu_sql_bind_uint (q, software_id (names[i], "1.0"));
		tu_sql_bind_uint (q, scan_id);
		tu_sql_bind_uint (q, scan_id);
		exec_ok (tu_sql_get (q));
	}
	exec_ok ("SET SESSION group_concat_max_len = 4294967295");
	exec_ok ("INSERT INTO host_software_sets (host_id, n_installations, software_ids) "
		 "SELECT host_id, COUNT(*), GROUP_CONCAT(UNHEX(LPAD(HEX(software_id), 16, '0')) "
		 "ORDER BY id SEPARATOR '') FROM installations WHERE removed_at IS NULL AND "
		 "state = 'installed' GROUP BY host_id");
}

/* The names of @names in the order fill_at_0013 gave them ids, joined by spaces. */
static char *
old_order (const char *const *keep)
{
	g_autoptr(GPtrArray) v = g_ptr_array_new ();
	for (guint i = 0; keep[i] != NULL; i++)
		g_ptr_array_add (v, (gpointer) keep[i]);
	g_ptr_array_sort (v, cmp_key_desc);
	g_ptr_array_add (v, NULL);
	return g_strjoinv (" ", (char **) v->pdata);
}

static void
test_migrated_from_0013 (void)
{
	if (db == NULL) {
		g_test_skip ("built without the embedded server (-Dembedded=false)");
		return;
	}
	fill_at_0013 ();
	g_autofree char *before = rows_by_id ("legacy");
	g_autofree char *set_before = set_names ("legacy");
	static const char *const all[] = {"pkg-a", "pkg-b", "pkg-c", "pkg-d", NULL};
	g_autofree char *want_set = old_order (all);
	g_assert_cmpstr (set_before, ==, want_set);

	g_autoptr(GError) error = NULL;
	g_assert_true (tu_migrate_apply (db, NULL, &error));
	g_assert_no_error (error);
	/* no AUTO_INCREMENT, no key on id; the counter starts at 0 */
	static const char *const extra_sql =
		"SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
		"AND TABLE_NAME = 'installations' AND COLUMN_NAME = 'id'";
	g_autofree char *extra = tu_test_query_text (db, extra_sql);
	g_assert_cmpstr (extra, ==, "\n");
	static const char *const keys_sql =
		"SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE "
		"TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'installations'";
	g_autofree char *keys = tu_test_query_text (db, keys_sql);
	g_assert_cmpstr (keys, ==, "PRIMARY\n");
	g_assert_cmpuint (install_seq_of ("legacy"), ==, 0);
	/* the old rows and their order are untouched, and the history is sound */
	g_autofree char *after = rows_by_id ("legacy");
	g_assert_cmpstr (after, ==, before);
	g_autofree char *set_after = set_names ("legacy");
	g_assert_cmpstr (set_after, ==, want_set);
	tu_test_assert_clean (db);

	/* a rescan keeps three old rows, upgrades one (pkg-d) and adds one: the new rows come
	 * after the old ones, numbered from 1 in primary-key order */
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	static const char *const next[] = {"pkg-a=1.0", "pkg-b=1.0", "pkg-c=1.0", "pkg-d=2.0",
					   "pkg-e=1.0", NULL};
	TuStoreStats st = {0};
	store_pkgs (store, "legacy", 2, next, &st);
	g_assert_cmpuint (st.n_unchanged, ==, 3);
	g_assert_cmpuint (st.n_updated, ==, 1);
	g_assert_cmpuint (st.n_added, ==, 1);
	g_assert_cmpuint (install_seq_of ("legacy"), ==, 2);
	static const char *const kept[] = {"pkg-a", "pkg-b", "pkg-c", NULL};
	g_autofree char *kept_order = old_order (kept);
	gboolean d_first = install_key ("pkg-d") < install_key ("pkg-e");
	g_autofree char *want_next = g_strdup_printf ("%s %s", kept_order,
						      d_first ? "pkg-d pkg-e" : "pkg-e pkg-d");
	g_autofree char *set_next = set_names ("legacy");
	g_assert_cmpstr (set_next, ==, want_next);
	g_autofree char *rows = rows_by_id ("legacy");
	g_assert_true (strstr (rows, "pkg-d 1.0 old:") != NULL);
	g_assert_true (strstr (rows, d_first ? "pkg-d 2.0 1 open\npkg-e 1.0 2 open\n"
					     : "pkg-e 1.0 1 open\npkg-d 2.0 2 open\n") != NULL);
	g_assert_true (g_str_has_suffix (rows, d_first ? "pkg-e 1.0 2 open\n"
						       : "pkg-d 2.0 2 open\n"));
	tu_test_assert_clean (db);
}

/* ---------------------------------------------------------------- new hosts ----------- */

/* The host's ids in primary-key order, less host_id << 32, as "1 2 3". */
static char *
seqs_in_key_order (const char *host)
{
	g_autoptr(TuSql) q = tu_sql_new (db, "SELECT id - (host_id << 32) FROM installations "
					     "WHERE host_id = ? ORDER BY install_key, software_id, "
					     "first_seen");
	tu_sql_bind_uint (q, tu_test_host_id (db, host));
	g_autofree char *t = tu_test_query_text (db, tu_sql_get (q));
	g_strstrip (t);
	g_strdelimit (t, "\n", ' ');
	return g_steal_pointer (&t);
}

static void
test_new_host_ids (void)
{
	if (db == NULL) {
		g_test_skip ("built without the embedded server (-Dembedded=false)");
		return;
	}
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	TuStoreStats st = {0};
	/* June 1: five packages, ids 1..5 in primary-key order */
	static const char *const d1[] = {"a=1", "b=1", "c=1", "d=1", "e=1", NULL};
	store_pkgs (store, "fresh", 1, d1, &st);
	g_autofree char *k1 = seqs_in_key_order ("fresh");
	g_assert_cmpstr (k1, ==, "1 2 3 4 5");
	g_assert_cmpuint (install_seq_of ("fresh"), ==, 5);
	tu_test_assert_clean (db);

	/* June 3: d upgraded, f added: two new rows, 6 and 7 in key order */
	static const char *const d3[] = {"a=1", "b=1", "c=1", "d=2", "e=1", "f=1", NULL};
	store_pkgs (store, "fresh", 3, d3, &st);
	g_assert_cmpuint (st.n_added, ==, 1);
	g_assert_cmpuint (st.n_updated, ==, 1);
	g_assert_cmpuint (install_seq_of ("fresh"), ==, 7);
	gboolean d_first = install_key ("d") < install_key ("f");
	g_autofree char *r3 = rows_by_id ("fresh");
	g_assert_true (g_str_has_suffix (r3, d_first ? "d 2 6 open\nf 1 7 open\n"
						     : "f 1 6 open\nd 2 7 open\n"));
	tu_test_assert_clean (db);

	/* June 2, placed between them: without b (b's interval closes at June 2 and the rest of
	 * it, from June 3 on, becomes a new row) and with x, gone by June 3 (a closed interval
	 * [June 2, June 3)): ids 8 (b's rest) and 9 (x), and the counter is stored */
	static const char *const d2[] = {"a=1", "c=1", "d=1", "e=1", "x=1", NULL};
	store_pkgs (store, "fresh", 2, d2, &st);
	g_assert_true (st.is_history);
	g_assert_cmpuint (install_seq_of ("fresh"), ==, 9);
	g_autofree char *r2 = rows_by_id ("fresh");
	g_assert_true (g_str_has_suffix (r2, "b 1 8 open\nx 1 9 removed\n"));
	/* b's first row, numbered in key order among a..e on June 1, closed at June 2 */
	guint b_seq = 1;
	for (guint i = 0; d1[i] != NULL; i++) {
		const char name[2] = {d1[i][0], '\0'};
		b_seq += install_key (name) < install_key ("b");
	}
	g_autofree char *b_closed = g_strdup_printf ("b 1 %u removed\n", b_seq);
	g_assert_true (strstr (r2, b_closed) != NULL);
	g_assert_cmpuint (st.n_removed, ==, 1);
	/* b's reopened row is now the last of the set, as in id order */
	g_autofree char *set2 = set_names ("fresh");
	g_assert_true (g_str_has_suffix (set2, " b"));
	tu_test_assert_clean (db);

	/* June 4: the count goes on from what the placement stored */
	static const char *const d4[] = {"a=1", "b=1", "c=1", "d=2", "e=1", "f=1", "g=1", NULL};
	store_pkgs (store, "fresh", 4, d4, &st);
	g_assert_cmpuint (st.n_added, ==, 1);
	g_autofree char *r4 = rows_by_id ("fresh");
	g_assert_true (g_str_has_suffix (r4, "g 1 10 open\n"));
	g_assert_cmpuint (install_seq_of ("fresh"), ==, 10);
	/* every id of the store is unique (the primary key does not say so) */
	g_autofree char *dups =
		tu_test_query_text (db, "SELECT COUNT(*) - COUNT(DISTINCT id) FROM installations");
	g_assert_cmpstr (dups, ==, "0\n");
	tu_test_assert_clean (db);
}

/* `db check` names an id that is not one the store gives: a host's counter behind its ids
 * (its next rows would take an id again), an id of another host, an id left out (0). */
static void
test_check_names_bad_ids (void)
{
	if (db == NULL) {
		g_test_skip ("built without the embedded server (-Dembedded=false)");
		return;
	}
	guint64 h = tu_test_host_id (db, "fresh");
	g_assert_cmpuint (h, !=, 0);
	g_autofree char *behind = g_strdup_printf (
		"UPDATE hosts SET install_seq = install_seq - 1 WHERE id = %" G_GUINT64_FORMAT, h);
	g_autofree char *restore = g_strdup_printf (
		"UPDATE hosts SET install_seq = install_seq + 1 WHERE id = %" G_GUINT64_FORMAT, h);
	g_autofree char *other = g_strdup_printf (
		"UPDATE installations SET id = ((host_id + 1) << 32) | 1 WHERE host_id = "
		"%" G_GUINT64_FORMAT " ORDER BY install_key LIMIT 1",
		h);
	g_autofree char *zero = g_strdup_printf (
		"UPDATE installations SET id = 0 WHERE host_id = %" G_GUINT64_FORMAT
		" AND id = (%" G_GUINT64_FORMAT " << 32) | 1",
		h, h + 1);
	/* in turn: the counter put back after the first; the row moved to another host's ids
	 * then made 0 */
	const char *const tamper[] = {behind, other, zero};
	for (guint t = 0; t < G_N_ELEMENTS (tamper); t++) {
		exec_ok (tamper[t]);
		g_autoptr(GError) error = NULL;
		TuCheckResult r = {0};
		g_assert_true (tu_check_history (db, 5, &r, &error));
		g_assert_no_error (error);
		g_assert_cmpuint (r.n_ids_bad, ==, 1);
		guint named = 0;
		for (guint i = 0; i < r.problems->len; i++) {
			const char *line = g_ptr_array_index (r.problems, i);
			named += strstr (line, "not an id the store") != NULL;
		}
		g_assert_cmpuint (named, ==, 1);
		tu_check_result_clear (&r);
		if (t == 0) {
			exec_ok (restore);
			tu_test_assert_clean (db);
		}
	}
}

/* Hosts stored in one group (one transaction), one of them twice: each host counts its own
 * rows, and the second scan of a host in the group goes on from the first's count. */
static void
test_group_ids (void)
{
	if (db == NULL) {
		g_test_skip ("built without the embedded server (-Dembedded=false)");
		return;
	}
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	static const char *const p1[] = {"a=1", "b=1", NULL};
	static const char *const p2[] = {"a=1", "b=1", "c=1", NULL};
	g_autoptr(TuHostScan) s1 = scan_of ("grp-1", p1);
	g_autoptr(TuHostScan) s2 = scan_of ("grp-2", p2);
	g_autoptr(TuHostScan) s3 = scan_of ("grp-1", p2);
	s1->started_us = day_us (1);
	s2->started_us = day_us (1);
	s3->started_us = day_us (2);
	TuStoreItem items[] = {{.scan = s1}, {.scan = s2}, {.scan = s3}};
	tu_store_host_scans (store, items, G_N_ELEMENTS (items));
	for (guint i = 0; i < G_N_ELEMENTS (items); i++)
		g_assert_no_error (items[i].error);
	g_assert_cmpuint (install_seq_of ("grp-1"), ==, 3);
	g_assert_cmpuint (install_seq_of ("grp-2"), ==, 3);
	g_autofree char *r1 = rows_by_id ("grp-1");
	g_assert_true (g_str_has_suffix (r1, "c 1 3 open\n"));
	g_autofree char *k2 = seqs_in_key_order ("grp-2");
	g_assert_cmpstr (k2, ==, "1 2 3");
	tu_test_assert_clean (db);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	norm = tu_normaliser_new (NULL, NULL);
	g_assert_nonnull (norm);
#ifdef TU_HAVE_EMBEDDED
	g_autoptr(GError) error = NULL;
	dir = tu_test_mkdtemp ();
	TuDbOptions opts = {.data_dir = dir, .server_options = g_getenv ("TU_TEST_SERVER_OPTIONS")};
	db = tu_db_open (&opts, &error);
	g_assert_no_error (error);
	/* this store starts at schema 0013; the first test fills and migrates it */
	g_assert_true (tu_migrate_apply_to (db, 13, NULL, &error));
	g_assert_no_error (error);
#endif
	g_test_add_func ("/trueup/store-ids/migrated-from-0013", test_migrated_from_0013);
	g_test_add_func ("/trueup/store-ids/new-host-rescan-placed-older", test_new_host_ids);
	g_test_add_func ("/trueup/store-ids/group", test_group_ids);
	g_test_add_func ("/trueup/store-ids/db-check-names-bad-ids", test_check_names_bad_ids);
	int rc = g_test_run ();
	if (db != NULL) {
		tu_db_close (db);
		tu_db_shutdown ();
		tu_test_rmtree (dir);
	}
	g_free (dir);
	tu_normaliser_free (norm);
	return rc;
}
