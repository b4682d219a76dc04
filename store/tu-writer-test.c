/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The batched writer's constant columns: a value every row of a batch has is given once
 * (LOAD DATA ... SET, or repeated by an INSERT batch) and lands in every row, whichever the
 * method, with a row's own values beside it; strings are quoted (a quote, a tab, a backslash
 * and a newline survive), NULL is NULL, and a value changed between flushes applies to the
 * rows after it only; integers at their limits land as given.
 */
#include "config.h"

#include <string.h>

#include "tu-test-store.h"
#include "tu-writer.h"

static const char *const cols[] = {"n", "own", NULL};

static void
check_rows (TuDb *db, const char *table, guint n, const char *tag, const char *tag_of_last)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *sql = g_strdup_printf ("SELECT n, own, tag, k, z FROM %s ORDER BY n",
						table);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, &error);
	g_assert_no_error (error);
	MYSQL_ROW row;
	guint i = 0;
	while ((row = mysql_fetch_row (res)) != NULL) {
		g_autofree char *own = g_strdup_printf ("own %u", i);
		g_assert_cmpint (tu_row_int (row, 0, -1), ==, i);
		g_assert_cmpstr (row[1], ==, own);
		g_assert_cmpstr (row[2], ==, i + 1 == n ? tag_of_last : tag);
		g_assert_cmpint (tu_row_int (row, 3, -1), ==, i + 1 == n ? 43 : 42);
		g_assert_null (row[4]);
		i++;
	}
	g_assert_cmpuint (i, ==, n);
}

static void
write_with (TuWriterMethod method, const char *table)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autofree char *ddl = g_strdup_printf (
		"CREATE TABLE %s (n INT NOT NULL PRIMARY KEY, own VARCHAR(32) NOT NULL, tag "
		"VARCHAR(64) NOT NULL, k BIGINT UNSIGNED NOT NULL, z VARCHAR(8) NULL "
		"DEFAULT 'x') ENGINE=InnoDB",
		table);
	g_assert_true (tu_db_exec (db, ddl, &error));
	const char *tag = "it's\ta \\ tag\nof two lines";
	g_autoptr(TuWriter) w = tu_writer_new (db, table, cols, TU_WRITER_INSERT, NULL);
	tu_writer_set_method (w, method);
	tu_writer_set_batch_rows (w, 7); /* several batches */
	tu_writer_set_const_str (w, "tag", tag);
	tu_writer_set_const_uint (w, "k", 42);
	tu_writer_set_const_str (w, "z", NULL);
	guint n = 20;
	for (guint i = 0; i + 1 < n; i++) {
		g_autofree char *own = g_strdup_printf ("own %u", i);
		tu_writer_add_int (w, i);
		tu_writer_add_str (w, own);
		g_assert_true (tu_writer_end_row (w, &error));
		g_assert_no_error (error);
	}
	g_assert_true (tu_writer_flush (w, &error));
	/* a new value applies from the next row on */
	tu_writer_set_const_str (w, "tag", "last");
	tu_writer_set_const_uint (w, "k", 43);
	tu_writer_add_int (w, n - 1);
	tu_writer_add_str (w, "own 19");
	g_assert_true (tu_writer_end_row (w, &error));
	g_assert_true (tu_writer_flush (w, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (tu_writer_rows_written (w), ==, n);
	check_rows (db, table, n, tag, "last");
}

static void
test_load_data (void)
{
	write_with (TU_WRITER_METHOD_LOAD_DATA, "w_load");
}

static void
test_insert (void)
{
	write_with (TU_WRITER_METHOD_INSERT, "w_insert");
}

/* Integers at their limits and around zero land as they were given, by either method. */
static void
write_limits (TuWriterMethod method, const char *table)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autofree char *ddl = g_strdup_printf ("CREATE TABLE %s (n INT NOT NULL PRIMARY KEY, "
						"s BIGINT NOT NULL, u BIGINT UNSIGNED NOT NULL)",
						table);
	g_assert_true (tu_db_exec (db, ddl, &error));
	static const char *const limit_cols[] = {"n", "s", "u", NULL};
	static const gint64 s[] = {G_MININT64, -1234567890123, -10, -1, 0, 9, 10, G_MAXINT64};
	static const guint64 u[] = {0, 1, 9, 10, 99, 100, 18446744073709551614u, G_MAXUINT64};
	g_autoptr(TuWriter) w = tu_writer_new (db, table, limit_cols, TU_WRITER_INSERT, NULL);
	tu_writer_set_method (w, method);
	for (guint i = 0; i < G_N_ELEMENTS (s); i++) {
		tu_writer_add_int (w, i);
		tu_writer_add_int (w, s[i]);
		tu_writer_add_uint (w, u[i]);
		g_assert_true (tu_writer_end_row (w, &error));
	}
	g_assert_true (tu_writer_flush (w, &error));
	g_assert_no_error (error);
	g_autofree char *sql = g_strdup_printf ("SELECT n, s, u FROM %s ORDER BY n", table);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, &error);
	g_assert_no_error (error);
	MYSQL_ROW row;
	guint i = 0;
	while ((row = mysql_fetch_row (res)) != NULL) {
		g_autofree char *want_s = g_strdup_printf ("%" G_GINT64_FORMAT, s[i]);
		g_autofree char *want_u = g_strdup_printf ("%" G_GUINT64_FORMAT, u[i]);
		g_assert_cmpstr (row[1], ==, want_s);
		g_assert_cmpstr (row[2], ==, want_u);
		i++;
	}
	g_assert_cmpuint (i, ==, G_N_ELEMENTS (s));
}

static void
test_limits_load_data (void)
{
	write_limits (TU_WRITER_METHOD_LOAD_DATA, "w_limits_load");
}

static void
test_limits_insert (void)
{
	write_limits (TU_WRITER_METHOD_INSERT, "w_limits_insert");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/writer/constants-load-data", test_load_data);
	g_test_add_func ("/trueup/writer/constants-insert", test_insert);
	g_test_add_func ("/trueup/writer/integer-limits-load-data", test_limits_load_data);
	g_test_add_func ("/trueup/writer/integer-limits-insert", test_limits_insert);
	int rc = g_test_run ();
	tu_test_store_close ();
	return rc;
}
