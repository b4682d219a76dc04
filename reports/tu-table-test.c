/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table writer's terminal backend and the report container's names, byte for byte: the
 * aligned table a person reads (titles with units, numbers right-aligned, money with two
 * decimals, a totals line, colour only when asked and only on status cells), a reader that
 * went away (a distinct error the CLI turns into a quiet exit), and the extension rules of a
 * report's path.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-report.h"
#include "tu-table.h"
#include "tu-test-util.h"

static const TuColumn cols[] = {
    {"product", TU_COL_TEXT, 0, "Product"},
    {"short_units", TU_COL_INT, 0, "Short (units)", TU_COL_SUM},
    {"cost", TU_COL_MONEY, 0, "Cost", TU_COL_SUM},
    {"status", TU_COL_TEXT, 0, NULL, TU_COL_STATUS},
    {"detail", TU_COL_TEXT, 0, "Detail", TU_COL_NO_TEXT},
};

static char *
write_text (gboolean colour, const char *currency)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream (&buf, &len);
	g_assert_nonnull (out);
	g_autoptr (GError) error = NULL;
	{
		g_autoptr (TuTable) t = tu_table_new_text (out, cols, G_N_ELEMENTS (cols), colour);
		tu_table_set_currency (t, currency);
		tu_table_set_row_style (t, TU_ROW_RED);
		tu_table_add_str (t, "SQL Server Standard");
		tu_table_add_int (t, 8);
		tu_table_add_double (t, 11344);
		tu_table_add_str (t, "shortfall");
		tu_table_add_str (t, "left out of the terminal");
		g_assert_true (tu_table_end_row (t, &error));
		tu_table_set_row_style (t, TU_ROW_GREEN);
		tu_table_add_str (t, "Visio");
		tu_table_add_int (t, 0);
		tu_table_add_double (t, 0.5);
		tu_table_add_str (t, "compliant");
		tu_table_add_null (t);
		g_assert_true (tu_table_end_row (t, &error));
		g_assert_true (tu_table_finish (t, &error));
	}
	fclose (out);
	return buf;
}

static void
test_text_aligned (void)
{
	g_autofree char *text = write_text (FALSE, "GBP");
	g_assert_cmpstr (text, ==,
	                 "Product              Short (units)  Cost (GBP)  Status\n"
	                 "SQL Server Standard              8   11,344.00  shortfall\n"
	                 "Visio                            0        0.50  compliant\n"
	                 "-------------------  -------------  ----------\n"
	                 "Total (2 rows)                   8   11,344.50\n");
}

static void
test_text_mixed_currencies (void)
{
	/* without one currency the money column is not summed */
	g_autofree char *text = write_text (FALSE, NULL);
	g_assert_nonnull (strstr (text, "Product              Short (units)       Cost  Status\n"));
	g_assert_nonnull (strstr (text, "Total (2 rows)                   8      mixed\n"));
}

static void
test_text_colour (void)
{
	g_autofree char *plain = write_text (FALSE, "GBP");
	g_assert_null (strchr (plain, '\033'));
	g_autofree char *coloured = write_text (TRUE, "GBP");
	/* the status cell of the red row, not its other cells */
	g_assert_nonnull (strstr (coloured, "\033[31mshortfall\033[0m"));
	g_assert_nonnull (strstr (coloured, "\033[32mcompliant\033[0m"));
	g_assert_nonnull (strstr (coloured, "SQL Server Standard   "));
	g_assert_null (strstr (coloured, "\033[31mSQL"));
}

static void
test_closed_pipe (void)
{
	int fds[2];
	g_assert_cmpint (pipe (fds), ==, 0);
	close (fds[0]);
	signal (SIGPIPE, SIG_IGN);
	FILE *out = fdopen (fds[1], "w");
	g_assert_nonnull (out);
	g_autoptr (GError) error = NULL;
	g_autoptr (TuTable) t = tu_table_new_tsv (out, cols, G_N_ELEMENTS (cols));
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < 10000; i++) {
		tu_table_add_str (t, "a product");
		tu_table_add_int (t, i);
		tu_table_add_double (t, i);
		tu_table_add_str (t, "shortfall");
		tu_table_add_null (t);
		ok = tu_table_end_row (t, &error);
	}
	if (ok)
		ok = tu_table_finish (t, &error);
	g_assert_false (ok);
	g_assert_error (error, TU_ERROR, TU_ERROR_CLOSED_PIPE);
	fclose (out);
}

static void
test_column_titles (void)
{
	TuColumn named = {"shortfall_cost", TU_COL_MONEY, 0, NULL, 0};
	g_autofree char *a = tu_column_title (&named, "EUR");
	g_assert_cmpstr (a, ==, "Shortfall cost (EUR)");
	g_autofree char *b = tu_column_title (&named, NULL);
	g_assert_cmpstr (b, ==, "Shortfall cost");
	TuColumn unit = {"x", TU_COL_MONEY, 0, "Value (per unit)", 0};
	g_autofree char *c = tu_column_title (&unit, "GBP");
	g_assert_cmpstr (c, ==, "Value (per unit)");
}

static void
test_report_extension (void)
{
	g_autofree char *dir = tu_test_mkdtemp ();
	g_autofree char *txt = g_build_filename (dir, "report.txt", NULL);
	g_autoptr (GError) error = NULL;
	TuReportInfo info = {.report = "Test", .as_of = tu_date_today ()};
	TuReport *r = tu_report_new (txt, NULL, &info, &error);
	g_assert_null (r);
	g_assert_error (error, TU_ERROR, TU_ERROR_USAGE);
	g_assert_nonnull (strstr (error->message, ".xlsx"));
	g_clear_error (&error);
	g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));

	g_autofree char *bare = g_build_filename (dir, "report", NULL);
	r = tu_report_new (bare, NULL, &info, &error);
	g_assert_no_error (error);
	g_autofree char *want = g_strconcat (bare, ".xlsx", NULL);
	g_assert_cmpstr (tu_report_path (r), ==, want);
	tu_report_free (r);

	r = tu_report_new (bare, "csv", &info, &error);
	g_assert_no_error (error);
	g_autofree char *want_csv = g_strconcat (bare, ".csv", NULL);
	g_assert_cmpstr (tu_report_path (r), ==, want_csv);
	tu_report_free (r);

	/* --format csv with a workbook's name is a mismatch too */
	g_autofree char *xlsx = g_build_filename (dir, "report.xlsx", NULL);
	r = tu_report_new (xlsx, "csv", &info, &error);
	g_assert_null (r);
	g_assert_error (error, TU_ERROR, TU_ERROR_USAGE);
	tu_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/table/text-aligned-with-units-and-totals", test_text_aligned);
	g_test_add_func ("/trueup/table/text-money-not-summed-across-currencies",
	                 test_text_mixed_currencies);
	g_test_add_func ("/trueup/table/text-colour-on-status-cells-only", test_text_colour);
	g_test_add_func ("/trueup/table/closed-pipe-is-its-own-error", test_closed_pipe);
	g_test_add_func ("/trueup/table/column-titles-with-currency", test_column_titles);
	g_test_add_func ("/trueup/report/extension-refused-or-added", test_report_extension);
	return g_test_run ();
}
