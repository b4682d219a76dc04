/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One migrated embedded store per test process (the embedded server starts once a process),
 * for the unit tests that need a database. In a client-only build (-Dembedded=false) there is
 * no embedded server: tu_test_store_get() marks the test skipped and returns NULL.
 * TU_TEST_SERVER_OPTIONS passes extra server options to the test store.
 */
#pragma once
#include "tu-check.h"
#include "tu-sql.h"
#include "tu-migrate.h"
#include "tu-test-util.h"

static TuDb *tu_test_store = NULL;
static char *tu_test_store_dir = NULL;

static inline TuDb *
tu_test_store_get (void)
{
#ifndef TU_HAVE_EMBEDDED
	g_test_skip ("built without the embedded server (-Dembedded=false)");
	return NULL;
#else
	if (tu_test_store != NULL)
		return tu_test_store;
	g_autoptr(GError) error = NULL;
	tu_test_store_dir = tu_test_mkdtemp ();
	TuDbOptions opts = {0};
	opts.data_dir = tu_test_store_dir;
	opts.server_options = g_getenv ("TU_TEST_SERVER_OPTIONS");
	tu_test_store = tu_db_open (&opts, &error);
	g_assert_no_error (error);
	g_assert_true (tu_migrate_apply (tu_test_store, NULL, &error));
	g_assert_no_error (error);
	return tu_test_store;
#endif
}

/* The rows of @sql as lines, columns joined by '|', NULL as "NULL". (transfer full) */
static inline char *
tu_test_query_text (TuDb *db, const char *sql)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, &error);
	g_assert_no_error (error);
	GString *s = g_string_new (NULL);
	MYSQL_ROW row;
	guint n = mysql_num_fields (res);
	while ((row = mysql_fetch_row (res)) != NULL) {
		for (guint i = 0; i < n; i++)
			g_string_append_printf (s, "%s%s", i ? "|" : "", row[i] ? row[i] : "NULL");
		g_string_append_c (s, '\n');
	}
	return g_string_free (s, FALSE);
}

/* The id of the host named @host (0: none). */
static inline guint64
tu_test_host_id (TuDb *db, const char *host)
{
	g_autoptr(TuSql) q = tu_sql_new (db, "SELECT id FROM hosts WHERE hostname = ?");
	tu_sql_bind_str (q, host);
	g_autofree char *t = tu_test_query_text (db, tu_sql_get (q));
	return g_ascii_strtoull (t, NULL, 10);
}

/* The history's invariants hold (tu_check_history, what `trueup db check` runs): no count and
 * no problem; the problems found are shown as test messages. */
static inline void
tu_test_assert_clean (TuDb *db)
{
	g_autoptr(GError) error = NULL;
	TuCheckResult r = {0};
	g_assert_true (tu_check_history (db, 5, &r, &error));
	g_assert_no_error (error);
	for (guint i = 0; i < r.problems->len; i++)
		g_test_message ("%s", (const char *) g_ptr_array_index (r.problems, i));
	g_assert_cmpuint (r.n_inverted, ==, 0);
	g_assert_cmpuint (r.n_overlapping, ==, 0);
	g_assert_cmpuint (r.n_hosts_mixed, ==, 0);
	g_assert_cmpuint (r.n_sets_stale, ==, 0);
	g_assert_cmpuint (r.n_digest_stale, ==, 0);
	g_assert_cmpuint (r.n_ids_bad, ==, 0);
	g_assert_cmpuint (r.problems->len, ==, 0);
	tu_check_result_clear (&r);
}

/* At the end of main(): stop the server and remove its data. */
static inline void
tu_test_store_close (void)
{
	if (tu_test_store == NULL)
		return;
	tu_db_close (tu_test_store);
	tu_db_shutdown ();
	tu_test_rmtree (tu_test_store_dir);
	g_clear_pointer (&tu_test_store_dir, g_free);
	tu_test_store = NULL;
}
