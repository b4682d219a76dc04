/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table writer, byte for byte: the terminal backend (titles with units, numbers
 * right-aligned, money with two decimals, a totals line, colour only when asked and only on
 * status cells), the TSV, CSV and JSON backends and the xlsx sheet (its XML unzipped from the
 * workbook, libxlsxwriter's own way of testing), every column type with the characters each
 * format must escape; a reader that went away (a distinct error the CLI turns into a quiet
 * exit); and the extension rules of a report's path.
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

/* The machine-readable backends and the workbook, byte for byte (libxlsxwriter's way: the
 * expected output is in the test). Every type, a NULL, and the characters each format must
 * escape: tab, newline, quote, comma, backslash, non-ASCII. */
static const TuColumn all_cols[] = {
	{"name", TU_COL_TEXT, 0, "Name"},
	{"count", TU_COL_INT, 0, "Count (units)"},
	{"ratio", TU_COL_NUMBER, 0, "Ratio"},
	{"cost", TU_COL_MONEY, 0, "Cost"},
	{"share", TU_COL_PERCENT, 0, "Share"},
	{"day", TU_COL_DATE, 0, "Day"},
	{"seen", TU_COL_DATETIME, 0, "Seen"},
};

static void
add_all_rows (TuTable *t)
{
	g_autoptr(GError) error = NULL;
	tu_table_set_currency (t, "GBP");
	tu_table_add_str (t, "Office \"Pro\", 2021");
	tu_table_add_int (t, -3);
	tu_table_add_double (t, 0.25);
	tu_table_add_double (t, 1234.5);
	tu_table_add_double (t, 0.125);
	tu_table_add_text_as_type (t, "2026-12-06");
	tu_table_add_text_as_type (t, "2026-12-06 10:12:30");
	g_assert_true (tu_table_end_row (t, &error));
	tu_table_add_str (t, "tab\there\nnew line \\ caf\xc3\xa9");
	tu_table_add_text_as_type (t, "17");
	tu_table_add_null (t);
	tu_table_add_null (t);
	tu_table_add_null (t);
	/* added as a string: a date column's date is a real date in a workbook all the same */
	tu_table_add_str (t, "1999-01-31");
	tu_table_add_null (t);
	g_assert_true (tu_table_end_row (t, &error));
	g_assert_true (tu_table_finish (t, &error));
	g_assert_no_error (error);
}

static char *
write_format (const char *format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream (&buf, &len);
	g_assert_nonnull (out);
	g_autoptr(GError) error = NULL;
	{
		g_autoptr(TuTable) t = tu_table_new_for_format (format, out, all_cols,
								G_N_ELEMENTS (all_cols), &error);
		g_assert_no_error (error);
		add_all_rows (t);
	}
	fclose (out);
	return buf;
}

static void
test_exact_formats (void)
{
	static const struct {
		const char *format;
		const char *expect;
	} cases[] = {
		/* TSV: a header of names, \t \n \\ escaped, NULL empty */
		{"tsv", "name\tcount\tratio\tcost\tshare\tday\tseen\n"
			"Office \"Pro\", 2021\t-3\t0.25\t1234.50\t0.125\t2026-12-06\t"
			"2026-12-06 10:12:30\n"
			"tab\\there\\nnew line \\\\ caf\xc3\xa9\t17\t\t\t\t1999-01-31\t\n"},
		/* CSV: RFC 4180, CRLF, quotes doubled, fields with separators quoted */
		{"csv", "name,count,ratio,cost,share,day,seen\r\n"
			"\"Office \"\"Pro\"\", 2021\",-3,0.25,1234.50,0.125,2026-12-06,"
			"2026-12-06 10:12:30\r\n"
			"\"tab\there\nnew line \\ caf\xc3\xa9\",17,,,,1999-01-31,\r\n"},
		/* JSON: an array of objects, one a line; numbers bare, NULL null */
		{"json", "[\n"
			 "{\"name\":\"Office \\\"Pro\\\", 2021\",\"count\":-3,\"ratio\":0.25,"
			 "\"cost\":1234.50,\"share\":0.125,\"day\":\"2026-12-06\","
			 "\"seen\":\"2026-12-06 10:12:30\"},\n"
			 "{\"name\":\"tab\\there\\nnew line \\\\ caf\xc3\xa9\",\"count\":17,"
			 "\"ratio\":null,\"cost\":null,\"share\":null,\"day\":\"1999-01-31\","
			 "\"seen\":null}\n"
			 "]\n"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *got = write_format (cases[i].format);
		g_assert_cmpstr (got, ==, cases[i].expect);
	}
}

/* One member of the .xlsx zip, by unzip(1). (transfer full) */
static char *
xlsx_member (const char *path, const char *member)
{
	const char *argv[] = {"unzip", "-p", path, member, NULL};
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	gint status = 0;
	g_autoptr(GError) error = NULL;
	g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				     &out, &err, &status, &error));
	g_assert_no_error (error);
	if (!g_spawn_check_wait_status (status, NULL))
		g_error ("unzip -p %s %s: %s", path, member, err);
	return g_steal_pointer (&out);
}

/* The sheet as libxlsxwriter writes it in constant_memory mode: the title block (rows 1-3),
 * the header frozen and filtered (row 4), numbers, money, percentages and real Excel dates
 * (serial days: 2026-12-06 is 46362) in their formats, inline strings, a wrapped row for a
 * multi-line cell, widths from the content, landscape fitted to the page. */
static const char expected_sheet[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
	"\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xml"
	"ns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><dimension ref=\"A1:G6\"/>"
	"<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">"
	"<pane ySplit=\"4\" topLeftCell=\"A5\" activePane=\"bottomLeft\" state=\"frozen\"/>"
	"<selection pane=\"bottomLeft\"/></sheetView></sheetViews>"
	"<sheetFormatPr defaultRowHeight=\"15\"/><cols>"
	"<col min=\"1\" max=\"1\" width=\"26.7109375\" customWidth=\"1\"/>"
	"<col min=\"2\" max=\"2\" width=\"9.7109375\" customWidth=\"1\"/>"
	"<col min=\"3\" max=\"3\" width=\"7.7109375\" customWidth=\"1\"/>"
	"<col min=\"4\" max=\"4\" width=\"10.7109375\" customWidth=\"1\"/>"
	"<col min=\"5\" max=\"5\" width=\"7.7109375\" customWidth=\"1\"/>"
	"<col min=\"6\" max=\"6\" width=\"12.7109375\" customWidth=\"1\"/>"
	"<col min=\"7\" max=\"7\" width=\"18.7109375\" customWidth=\"1\"/></cols><sheetData>"
	"<row r=\"1\"><c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>Test: Data</t></is></c>"
	"</row><row r=\"2\"><c r=\"A2\" s=\"2\" t=\"inlineStr\"><is><t>As of 2026-12-06</t>"
	"</is></c></row><row r=\"3\"><c r=\"A3\" s=\"3\" t=\"inlineStr\"><is><t>a note</t>"
	"</is></c></row><row r=\"4\" ht=\"32\" customHeight=\"1\">"
	"<c r=\"A4\" s=\"4\" t=\"inlineStr\"><is><t>Name</t></is></c>"
	"<c r=\"B4\" s=\"4\" t=\"inlineStr\"><is><t>Count (units)</t></is></c>"
	"<c r=\"C4\" s=\"4\" t=\"inlineStr\"><is><t>Ratio</t></is></c>"
	"<c r=\"D4\" s=\"4\" t=\"inlineStr\"><is><t>Cost (GBP)</t></is></c>"
	"<c r=\"E4\" s=\"4\" t=\"inlineStr\"><is><t>Share</t></is></c>"
	"<c r=\"F4\" s=\"4\" t=\"inlineStr\"><is><t>Day</t></is></c>"
	"<c r=\"G4\" s=\"4\" t=\"inlineStr\"><is><t>Seen</t></is></c></row><row r=\"5\">"
	"<c r=\"A5\" t=\"inlineStr\"><is><t>Office \"Pro\", 2021</t></is></c>"
	"<c r=\"B5\" s=\"5\"><v>-3</v></c><c r=\"C5\" s=\"6\"><v>0.25</v></c>"
	"<c r=\"D5\" s=\"7\"><v>1234.5</v></c><c r=\"E5\" s=\"8\"><v>0.125</v></c>"
	"<c r=\"F5\" s=\"9\"><v>46362</v></c><c r=\"G5\" s=\"10\"><v>46362.42534722222</v>"
	"</c></row><row r=\"6\" s=\"11\" customFormat=\"1\" ht=\"30\" customHeight=\"1\">"
	"<c r=\"A6\" s=\"12\" t=\"inlineStr\"><is><t>"
	"tab\there\nnew line \\ caf\xc3\xa9"
	"</t></is></c><c r=\"B6\" s=\"5\"><v>17</v></c>"
	"<c r=\"F6\" s=\"9\"><v>36191</v></c></row></sheetData><autoFilter ref=\"A4:G6\"/>"
	"<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.5\" bottom=\"0.6\" header=\"0.3\" fo"
	"oter=\"0.3\"/>"
	"<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>"
	"<headerFooter><oddFooter>"
	"&amp;L&amp;8&amp;A&amp;C&amp;8Page &amp;P of &amp;N&amp;R&amp;8trueup</oddFooter>"
	"</headerFooter></worksheet>";

/* the number formats the sheet's styles 5 to 10 use (int, number, money, percent, date,
 * date-time) */
static const char expected_numfmts[] =
	"<numFmts count=\"6\"><numFmt numFmtId=\"164\" formatCode=\"#,##0\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"0.0\"/>"
	"<numFmt numFmtId=\"166\" formatCode=\"#,##0.00\"/>"
	"<numFmt numFmtId=\"167\" formatCode=\"0%\"/>"
	"<numFmt numFmtId=\"168\" formatCode=\"yyyy-mm-dd\"/>"
	"<numFmt numFmtId=\"169\" formatCode=\"yyyy-mm-dd hh:mm:ss\"/></numFmts>";

static void
test_exact_xlsx (void)
{
	g_autofree char *dir = tu_test_mkdtemp ();
	g_autofree char *path = g_build_filename (dir, "t.xlsx", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(TuWorkbook) wb = tu_workbook_new (path, &error);
	g_assert_no_error (error);
	TuReportInfo info = {.report = "Test", .subject = "every type", .currency = "GBP"};
	g_assert_true (tu_date_parse ("2026-12-06", &info.as_of, "as of", NULL));
	tu_workbook_set_info (wb, &info);
	{
		g_autoptr(TuTable) t = tu_table_new_sheet (wb, "Data", all_cols,
							   G_N_ELEMENTS (all_cols), "a note");
		add_all_rows (t);
	}
	g_assert_true (tu_workbook_close (wb, &error));
	g_assert_no_error (error);
	g_autofree char *sheet = xlsx_member (path, "xl/worksheets/sheet1.xml");
	g_assert_cmpstr (sheet, ==, expected_sheet);
	g_autofree char *styles = xlsx_member (path, "xl/styles.xml");
	g_assert_nonnull (strstr (styles, expected_numfmts));
	static const char *const xf_formats[] = {"164", "165", "166", "167", "168", "169"};
	const char *xfs = strstr (styles, "<cellXfs");
	g_assert_nonnull (xfs);
	for (guint i = 0; i < 5 + G_N_ELEMENTS (xf_formats); i++) {
		xfs = strstr (xfs + 1, "<xf ");
		g_assert_nonnull (xfs);
		if (i >= 5) {
			g_autofree char *id =
				g_strdup_printf ("<xf numFmtId=\"%s\"", xf_formats[i - 5]);
			g_assert_true (g_str_has_prefix (xfs, id));
		}
	}
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
	g_test_add_func ("/trueup/table/tsv-csv-json-exact-bytes", test_exact_formats);
	g_test_add_func ("/trueup/table/xlsx-exact-sheet-xml", test_exact_xlsx);
	return g_test_run ();
}
