/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark of the batched writer on the embedded store: installation rows per second through
 * tu_writer with multi-row INSERT and with LOAD DATA, against a plain LOAD DATA of the same rows
 * from one file, in the same run. Each measurement loads N rows into an empty installations
 * table; medians of 3 runs. Usage: tu-writer-bench [ROWS] (default 1,000,000).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "tu-common.h"
#include "tu-db.h"
#include "tu-migrate.h"
#include "tu-sql.h"
#include "tu-test-util.h"
#include "tu-writer.h"

static const char *const columns[] = {
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
	"first_scan_id",
	"last_scan_id",
	NULL,
};

/* row @i's id as the store gives it (migration 0014): its host's id * 2^32 + its number there */
static guint64
row_id (guint64 i)
{
	return ((1 + i / 1500) << 32) | (1 + i % 1500);
}

static void
add_row (TuWriter *w, guint64 i)
{
	tu_writer_add_uint (w, row_id (i));
	tu_writer_add_uint (w, 1 + i / 1500);
	tu_writer_add_uint (w, tu_hash64 (&i, sizeof i, 1) >> 1);
	tu_writer_add_uint (w, 1 + (i % 5000));
	tu_writer_add_str (w, "");
	tu_writer_add_null (w);
	tu_writer_add_int (w, (gint64) (i % 100000) * 1024);
	tu_writer_add_str (w, "installed");
	tu_writer_add_str (w, "2026-11-01 08:00:00.000000");
	tu_writer_add_str (w, "2026-11-01 08:00:00.000000");
	tu_writer_add_uint (w, 1);
	tu_writer_add_uint (w, 1);
}

static void
reset (TuDb *db)
{
	g_autoptr(GError) error = NULL;
	if (!tu_db_exec (db, "TRUNCATE TABLE installations", &error))
		g_error ("%s", error->message);
}

static double
via_writer (TuDb *db, TuWriterMethod method, guint64 n)
{
	g_autoptr(GError) error = NULL;
	reset (db);
	double t0 = tu_now_seconds ();
	tu_db_exec (db, "START TRANSACTION", NULL);
	g_autoptr(TuWriter) w = tu_writer_new (db, "installations", columns, TU_WRITER_INSERT, NULL);
	tu_writer_set_method (w, method);
	tu_writer_set_batch_rows (w, 5000);
	for (guint64 i = 0; i < n; i++) {
		add_row (w, i);
		if (!tu_writer_end_row (w, &error))
			g_error ("%s", error->message);
	}
	if (!tu_writer_flush (w, &error) || !tu_db_exec (db, "COMMIT", &error))
		g_error ("%s", error->message);
	return (double) n / (tu_now_seconds () - t0);
}

/* the reference: the same rows in one TSV file, then one plain LOAD DATA */
static double
plain_load_data (TuDb *db, guint64 n, const char *file)
{
	g_autoptr(GError) error = NULL;
	reset (db);
	FILE *fp = fopen (file, "w");
	for (guint64 i = 0; i < n; i++)
		fprintf (fp,
			 "%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
			 "\t%" G_GUINT64_FORMAT "\t\t\\N\t%" G_GUINT64_FORMAT
			 "\tinstalled\t2026-11-01 08:00:00.000000\t"
			 "2026-11-01 08:00:00.000000\t1\t1\n",
			 row_id (i), 1 + i / 1500, tu_hash64 (&i, sizeof i, 1) >> 1, 1 + (i % 5000),
			 (i % 100000) * 1024);
	fclose (fp);
	g_autoptr(GString) sql = g_string_new ("LOAD DATA INFILE ");
	tu_db_append_quoted (db, sql, file, -1);
	g_string_append (sql, " INTO TABLE installations (id, host_id, install_key, software_id, "
			      "location, install_date, size_bytes, state, first_seen, last_seen, "
			      "first_scan_id, last_scan_id)");
	double t0 = tu_now_seconds ();
	if (!tu_db_exec (db, sql->str, &error))
		g_error ("%s", error->message);
	double rate = (double) n / (tu_now_seconds () - t0);
	g_unlink (file);
	return rate;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return (x > y) - (x < y);
}

static double
median3 (double v[3])
{
	qsort (v, 3, sizeof v[0], (int (*) (const void *, const void *)) cmp_double);
	return v[1];
}

int
main (int argc, char **argv)
{
	guint64 n = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
	g_autofree char *dir = tu_test_mkdtemp ();
	TuDbOptions opts = {.data_dir = dir, .server_options = g_getenv ("TRUEUP_SERVER_OPTIONS")};
	g_autoptr(GError) error = NULL;
	g_autoptr(TuDb) db = tu_db_open (&opts, &error);
	if (db == NULL || !tu_migrate_apply (db, NULL, &error))
		g_error ("%s", error->message);
	g_autofree char *file = g_build_filename (tu_db_load_dir (db), "bench.tsv", NULL);
	double ins[3], load[3], plain[3];
	for (guint r = 0; r < 3; r++) {
		plain[r] = plain_load_data (db, n, file);
		ins[r] = via_writer (db, TU_WRITER_METHOD_INSERT, n);
		load[r] = via_writer (db, TU_WRITER_METHOD_LOAD_DATA, n);
	}
	double p = median3 (plain), i = median3 (ins), l = median3 (load);
	printf ("writer (embedded store, %" G_GUINT64_FORMAT " installation rows, median of 3):\n", n);
	printf ("  plain LOAD DATA (reference): %8.0f rows/s\n", p);
	printf ("  writer, multi-row INSERT:    %8.0f rows/s  (%.2f x the reference)\n", i, i / p);
	printf ("  writer, LOAD DATA:           %8.0f rows/s  (%.2f x the reference)\n", l, l / p);
	tu_db_close (g_steal_pointer (&db));
	tu_db_shutdown ();
	tu_test_rmtree (dir);
	return 0;
}
