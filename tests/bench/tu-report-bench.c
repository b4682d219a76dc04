/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Workbook writing speed and memory: N rows x 4 columns (host, product, version text, an
 * integer) through TuTable's xlsx sheet (type conversion, formula-safe strings, row styles,
 * autofilter) against libxlsxwriter called directly in constant_memory mode with the same
 * cells (the reference). Three runs each, alternating; medians; peak resident memory of each
 * run (the kernel's high-water mark, reset before each run).
 *
 *   tu-report-bench [--rows N]     (default 1,000,000)
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-table.h"
#include "tu-test-util.h"

static const char *products[] = {"Microsoft Office Professional Plus", "Adobe Acrobat",
				  "OpenSSL", "Mozilla Firefox", "Oracle Java SE", "nginx",
				  "Microsoft SQL Server", "7-Zip"};

static void
reset_peak (void)
{
	FILE *f = fopen ("/proc/self/clear_refs", "w");
	if (f != NULL) {
		fputs ("5", f);
		fclose (f);
	}
}

static long
peak_kib (void)
{
	FILE *f = fopen ("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	while (f != NULL && fgets (line, sizeof line, f) != NULL) {
		if (strncmp (line, "VmHWM:", 6) == 0)
			kib = strtol (line + 6, NULL, 10);
	}
	if (f != NULL)
		fclose (f);
	return kib;
}

static double
run_reference (const char *path, guint rows)
{
	double t0 = tu_now_seconds ();
	lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = (char *) g_get_tmp_dir ()};
	lxw_workbook *wb = workbook_new_opt (path, &o);
	lxw_worksheet *ws = workbook_add_worksheet (wb, "Installations");
	char host[32], version[32];
	worksheet_write_string (ws, 0, 0, "host", NULL);
	worksheet_write_string (ws, 0, 1, "product", NULL);
	worksheet_write_string (ws, 0, 2, "version", NULL);
	worksheet_write_string (ws, 0, 3, "count", NULL);
	for (guint r = 1; r <= rows; r++) {
		g_snprintf (host, sizeof host, "host%05u", r / 1500);
		g_snprintf (version, sizeof version, "%u.%u.%u", r % 17, r % 5, r % 101);
		worksheet_write_string (ws, r, 0, host, NULL);
		worksheet_write_string (ws, r, 1, products[r % G_N_ELEMENTS (products)], NULL);
		worksheet_write_string (ws, r, 2, version, NULL);
		worksheet_write_number (ws, r, 3, (double) (r % 1000), NULL);
	}
	if (workbook_close (wb) != LXW_NO_ERROR) {
		fprintf (stderr, "tu-report-bench: cannot write %s\n", path);
		exit (1);
	}
	return tu_now_seconds () - t0;
}

static G_NORETURN void
fail (const GError *error)
{
	fprintf (stderr, "tu-report-bench: %s\n", error->message);
	exit (1);
}

static double
run_table (const char *path, guint rows)
{
	static const TuColumn cols[] = {{"host", TU_COL_TEXT, 12},
					{"product", TU_COL_TEXT, 30},
					{"version", TU_COL_TEXT, 12},
					{"count", TU_COL_INT, 8}};
	double t0 = tu_now_seconds ();
	g_autoptr(GError) error = NULL;
	g_autoptr(TuWorkbook) wb = tu_workbook_new (path, &error);
	if (wb == NULL)
		fail (error);
	g_autoptr(TuTable) t = tu_table_new_sheet (wb, "Installations", cols, G_N_ELEMENTS (cols),
						   NULL);
	char host[32], version[32];
	for (guint r = 1; r <= rows; r++) {
		g_snprintf (host, sizeof host, "host%05u", r / 1500);
		g_snprintf (version, sizeof version, "%u.%u.%u", r % 17, r % 5, r % 101);
		tu_table_set_row_style (t, r % 50 == 0 ? TU_ROW_RED : TU_ROW_PLAIN);
		tu_table_add_str (t, host);
		tu_table_add_str (t, products[r % G_N_ELEMENTS (products)]);
		tu_table_add_str (t, version);
		tu_table_add_int (t, r % 1000);
		if (!tu_table_end_row (t, &error))
			fail (error);
	}
	if (!tu_table_finish (t, &error) || !tu_workbook_close (wb, &error))
		fail (error);
	return tu_now_seconds () - t0;
}

static int
cmp_double (const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
	gint rows = 1000000;
	GOptionEntry entries[] = {
	    {"rows", 0, 0, G_OPTION_ARG_INT, &rows, "rows to write (default 1,000,000)", "N"},
	    {NULL}};
	g_autoptr(GOptionContext) ctx = g_option_context_new ("- workbook writing benchmark");
	g_option_context_add_main_entries (ctx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse (ctx, &argc, &argv, &error) || rows < 1) {
		fprintf (stderr, "tu-report-bench: %s\n", error ? error->message : "bad --rows");
		return 2;
	}
	g_autofree char *dir = tu_test_mkdtemp ();
	g_autofree char *ref_path = g_build_filename (dir, "reference.xlsx", NULL);
	g_autofree char *tab_path = g_build_filename (dir, "table.xlsx", NULL);
	enum { RUNS = 3 };
	double ref[RUNS], tab[RUNS];
	long ref_kib = 0, tab_kib = 0;
	for (int i = 0; i < RUNS; i++) {
		reset_peak ();
		ref[i] = run_reference (ref_path, (guint) rows);
		ref_kib = MAX (ref_kib, peak_kib ());
		reset_peak ();
		tab[i] = run_table (tab_path, (guint) rows);
		tab_kib = MAX (tab_kib, peak_kib ());
	}
	qsort (ref, RUNS, sizeof ref[0], cmp_double);
	qsort (tab, RUNS, sizeof tab[0], cmp_double);
	printf ("workbook, %d rows x 4 columns (medians of %d):\n", rows, RUNS);
	printf ("  libxlsxwriter directly (reference): %.2f s = %.0f rows/s, peak RSS %ld KiB\n",
		ref[1], rows / ref[1], ref_kib);
	printf ("  TuTable xlsx sheet:                 %.2f s = %.0f rows/s, peak RSS %ld KiB "
		"(%.2fx the reference's speed)\n",
		tab[1], rows / tab[1], tab_kib, ref[1] / tab[1]);
	tu_test_rmtree (dir);
	return 0;
}
