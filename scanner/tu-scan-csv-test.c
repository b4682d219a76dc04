/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plain CSV imports: a spreadsheet-made file with two hosts, a round trip of this machine's
 * real dpkg database through CSV, and every header and quoting mistake.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static const TuRecord *
find (TuHostScan *scan, const char *name)
{
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (g_strcmp0 (r->raw_name, name) == 0)
			return r;
	}
	return NULL;
}

static void
test_estate (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/csv/estate.csv");
	g_autoptr(GBytes) b = tu_test_read (path);
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_csv_import_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path,
					    hosts, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 2);
	TuHostScan *web = g_ptr_array_index (hosts, 0);
	TuHostScan *sql = g_ptr_array_index (hosts, 1);
	g_assert_cmpstr (web->facts.hostname, ==, "web01");
	g_assert_cmpstr (sql->facts.hostname, ==, "sql01");
	g_assert_cmpuint (tu_record_list_len (web->records), ==, 4);
	g_assert_cmpuint (tu_record_list_len (sql->records), ==, 3);
	const TuRecord *nginx = find (web, "nginx");
	g_assert_cmpint (nginx->source, ==, TU_SOURCE_CSV);
	g_assert_cmpstr (nginx->raw_version, ==, "1.22.1-9");
	g_assert_cmpstr (nginx->arch, ==, "amd64");
	g_assert_cmpstr (nginx->install_date, ==, "2024-03-02");
	g_assert_null (find (web, "openssl")->raw_publisher);
	const TuRecord *vendor = find (sql, "Vendor \"Quoted\" Tool, Enterprise");
	g_assert_nonnull (vendor);
	g_assert_cmpstr (vendor->raw_publisher, ==, "Acme, Inc.");
	g_assert_null (vendor->arch);
	g_assert_cmpstr (vendor->install_date, ==, "2023-12-31");
	g_assert_null (find (sql, "Notepad++")->raw_version);
	g_assert_nonnull (find (web, "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130"));
}

/* This machine's dpkg database written as CSV (columns shuffled) and read back. */
static void
test_dpkg_round_trip (void)
{
	if (!g_file_test ("/var/lib/dpkg/status", G_FILE_TEST_EXISTS)) {
		g_test_skip ("not a dpkg system");
		return;
	}
	g_autoptr(GBytes) b = tu_test_read ("/var/lib/dpkg/status");
	g_autoptr(TuHostScan) dpkg = tu_host_scan_new ("local");
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_dpkg_parse_status (g_bytes_get_data (b, NULL), g_bytes_get_size (b),
					     "/var/lib/dpkg/status", dpkg, &error));
	g_autoptr(GString) csv = g_string_new ("version,arch,name,host,publisher\r\n");
	guint n = 0;
	for (guint i = 0; i < tu_record_list_len (dpkg->records); i++) {
		const TuRecord *r = tu_record_list_get (dpkg->records, i);
		/* RFC 4180 quoting by hand: the writer's formula guard would alter values */
		const char *cells[] = {r->raw_version, r->arch, r->raw_name, "this-machine",
				       r->raw_publisher};
		for (guint c = 0; c < G_N_ELEMENTS (cells); c++) {
			if (c > 0)
				g_string_append_c (csv, ',');
			g_string_append_c (csv, '"');
			for (const char *s = cells[c] ? cells[c] : ""; *s; s++) {
				if (*s == '"')
					g_string_append_c (csv, '"');
				g_string_append_c (csv, *s);
			}
			g_string_append_c (csv, '"');
		}
		g_string_append (csv, "\r\n");
		n++;
	}
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_assert_true (tu_csv_import_parse (csv->str, csv->len, "dpkg.csv", hosts, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 1);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, n);
	for (guint i = 0; i < n; i++) {
		const TuRecord *want = tu_record_list_get (dpkg->records, i);
		const TuRecord *got = tu_record_list_get (scan->records, i);
		g_assert_cmpstr (got->raw_name, ==, want->raw_name);
		g_assert_cmpstr (got->raw_version, ==, want->raw_version);
		g_assert_cmpstr (got->arch, ==, want->arch);
		g_assert_cmpstr (got->raw_publisher, ==,
				 want->raw_publisher && *want->raw_publisher ? want->raw_publisher : NULL);
	}
}

static void
expect_error (const char *text, gssize len, const char *needle)
{
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	gsize n = len < 0 ? strlen (text) : (gsize) len;
	g_assert_false (tu_csv_import_parse (text, n, "e.csv", hosts, &error));
	g_assert_nonnull (error);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" does not contain \"%s\"", error->message, needle);
	g_assert_cmpuint (hosts->len, ==, 0);
}

static void
test_errors (void)
{
	expect_error ("host,name,version,publsher\n", -1,
		      "e.csv:1: unknown column \"publsher\" (known: host, name, version");
	expect_error ("host,name,arch\nh,n,x\n", -1, "e.csv:1: required column \"version\" missing");
	expect_error ("name,version\n", -1, "required column \"host\" missing");
	expect_error ("host,name,version,name\n", -1, "column \"name\" named twice");
	expect_error ("host,name,version\nh,a,1\nh,\"b,2\nh,c,3\n", -1,
		      "e.csv:3: malformed CSV: unbalanced quotes in the row starting here");
	expect_error ("host,name,version\nh,a\"b,1\n", -1, "e.csv:2: malformed CSV");
	expect_error ("host,name,version\nh,a,1\nh,b\n", -1, "e.csv:3: 2 fields where the header has 3");
	expect_error ("host,name,version\n,a,1\n", -1, "e.csv:2: host is empty");
	expect_error ("host,name,version\nh,  ,1\n", -1, "e.csv:2: name is empty");
	expect_error ("host,name,version,install_date\nh,a,1,11/06/2024\n", -1,
		      "e.csv:2: install_date \"11/06/2024\" is not a date");
	expect_error ("host,name,version\n", -1, "e.csv: a header but no rows");
	expect_error ("", 0, "e.csv: empty");
	expect_error ("host,name,version\nh,caf\xe9,1\n", -1, "e.csv:2: not valid UTF-8");
	/* an embedded NUL: binary, not text */
	const char nul[] = "host,name,version\nh,a\0b,1\n";
	expect_error (nul, sizeof nul - 1, "e.csv:2: not valid UTF-8 (byte 0x00)");
}

/* Every host, its records in order, as one line each: what a parse read, to compare two. */
static char *
dump (GPtrArray *hosts)
{
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < hosts->len; i++) {
		TuHostScan *h = g_ptr_array_index (hosts, i);
		for (guint j = 0; j < tu_record_list_len (h->records); j++) {
			const TuRecord *r = tu_record_list_get (h->records, j);
			g_string_append_printf (s, "%s|%s|%s|%s|%s\n", h->facts.hostname,
						r->raw_name, r->raw_version ? r->raw_version : "-",
						r->raw_publisher ? r->raw_publisher : "-",
						r->arch ? r->arch : "-");
		}
	}
	return g_string_free (s, FALSE);
}

static char *
parse_with (const GString *csv, guint parts, guint *n_hosts, GError **error)
{
	g_autoptr(GPtrArray) hosts =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	if (!tu_csv_import_parse_parts (csv->str, csv->len, "big.csv", parts, hosts, error))
		return NULL;
	*n_hosts = hosts->len;
	return dump (hosts);
}

/* A big export read by several threads reads exactly what one thread does: hosts whose rows
 * are spread over the whole file (so over every stretch), quoted fields with doubled quotes,
 * commas and line breaks (so cuts fall next to them), CRLF lines; and an error is the first in
 * the file with its line, wherever the stretches are cut. */
static void
test_parts (void)
{
	g_autoptr(GString) csv = g_string_new ("host,name,version,publisher,arch\r\n");
	guint line = 1;
	for (guint i = 0; i < 30000; i++) {
		guint h = (i * 7) % 97;
		static const char quoted[] =
			"pc-%02u,\"Tool %u, \"\"Pro\"\"\nEdition\",%u.0,\"Acme\r\nInc\",x64\r\n";
		static const char plain[] = "pc-%02u,app-%u,1.%u,Vendor %u,\r\n";
		if (i % 3 != 0)
			g_string_append_printf (csv, quoted, h, i, i);
		else
			g_string_append_printf (csv, plain, h, i, i % 9, i % 13);
		line += i % 3 != 0 ? 3 : 1;
	}
	g_assert_cmpuint (csv->len, >, 1u << 20);
	guint n1 = 0, n = 0;
	g_autoptr(GError) error = NULL;
	g_autofree char *one = parse_with (csv, 1, &n1, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (n1, ==, 97);
	/* control characters are dropped from fields, line breaks in quotes too */
	g_assert_nonnull (strstr (one, "pc-07|Tool 1, \"Pro\"Edition|1.0|AcmeInc|x64\n"));
	/* two of a quoted row's three lines end inside quotes; with 2, 3 and 4 threads, and rows
	 * added at the end to move every cut, the stretches never split a row */
	for (guint pad = 0; pad < 4; pad++) {
		g_autoptr(GString) shifted = g_string_new_len (csv->str, (gssize) csv->len);
		for (guint k = 0; k < pad; k++)
			g_string_append (shifted, "pc-96,pad,1.0,Acme,\r\n");
		g_autofree char *want = NULL;
		for (guint parts = 1; parts <= 4; parts++) {
			g_autofree char *got = parse_with (shifted, parts, &n, &error);
			g_assert_no_error (error);
			g_assert_cmpuint (n, ==, 97);
			if (want == NULL)
				want = g_steal_pointer (&got);
			else
				g_assert_cmpstr (got, ==, want);
		}
	}

	/* a header ended by a lone CR (libcsv ends a row there too) with rows after it on the
	 * same line: the header's stretch has rows of its own (found by fuzzing: they were read
	 * as if they had no stretch) */
	g_autoptr(GString) cr = g_string_new ("host,name,version\rweb01,nginx,1.0\r\n");
	for (guint i = 0; i < 50; i++)
		g_string_append_printf (cr, "web%02u,app-%u,1.%u\r\n", i % 7, i, i);
	g_autofree char *cr1 = parse_with (cr, 1, &n1, &error);
	g_assert_no_error (error);
	g_assert_nonnull (strstr (cr1, "web01|nginx|1.0|-|-\n"));
	for (guint parts = 2; parts <= 4; parts++) {
		g_autofree char *got = parse_with (cr, parts, &n, &error);
		g_assert_no_error (error);
		g_assert_cmpstr (got, ==, cr1);
	}

	/* a bad row near the end: the same error and line either way */
	g_string_append (csv, "pc-01,late,1.0,Acme,\r\n");
	g_string_append (csv, "pc-01,bad\"quote,1.0,Acme,x64\r\n");
	g_autofree char *e1 = NULL;
	g_assert_null (parse_with (csv, 1, &n1, &error));
	e1 = g_strdup (error->message);
	g_clear_error (&error);
	g_assert_null (parse_with (csv, 3, &n, &error));
	g_assert_cmpstr (error->message, ==, e1);
	g_autofree char *at = g_strdup_printf ("big.csv:%u:", line + 2);
	if (!g_str_has_prefix (e1, at))
		g_error ("%s does not start with %s", e1, at);
	g_clear_error (&error);

	/* and a second one early in the file: that one is reported */
	g_string_insert (csv, strlen ("host,name,version,publisher,arch\r\n"),
			 "pc-02,one,1.0,Acme\r\n");
	g_assert_null (parse_with (csv, 4, &n, &error));
	g_assert_true (
		g_str_has_prefix (error->message, "big.csv:2: 4 fields where the header has 5"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/csv/spreadsheet-file-two-hosts", test_estate);
	g_test_add_func ("/trueup/scan/csv/dpkg-database-round-trip", test_dpkg_round_trip);
	g_test_add_func ("/trueup/scan/csv/bad-header-quotes-fields-are-errors-with-line", test_errors);
	g_test_add_func ("/trueup/scan/csv/big-file-read-by-threads-reads-the-same", test_parts);
	return g_test_run ();
}
