/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Import format detection on every real export the parsers are tested with (renamed, so that
 * only the content can tell), and tu_scan_import end to end: targets, UTF-16 text, unknown
 * formats and unreadable files.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static TuImportFormat
detect_file (const char *path, const char *as_name)
{
	g_autoptr(GBytes) b = tu_test_read (path);
	return tu_import_detect (g_bytes_get_data (b, NULL), g_bytes_get_size (b), as_name);
}

static void
test_detect_fixtures (void)
{
	static const struct {
		const char *rel;
		TuImportFormat format;
	} cases[] = {
		{"tests/fixtures/windows/mssql-Uninstall.reg", TU_IMPORT_WINDOWS_REG},
		{"tests/fixtures/windows/10_russian-Uninstall.reg", TU_IMPORT_WINDOWS_REG},
		{"tests/fixtures/windows/mssql-Uninstall.ps.json", TU_IMPORT_WINDOWS_JSON},
		{"tests/fixtures/windows/mssql-Uninstall.ps.csv", TU_IMPORT_WINDOWS_CSV},
		{"tests/fixtures/windows/collector-sample.json", TU_IMPORT_WINDOWS_JSON},
		{"tests/fixtures/glpi/computer_1.json", TU_IMPORT_GLPI},
		{"tests/fixtures/glpi/computer_1_partial_cpu.json", TU_IMPORT_GLPI},
		{"tests/fixtures/glpi/phone_1.json", TU_IMPORT_GLPI},
		{"tests/fixtures/glpi/10.xml", TU_IMPORT_GLPI},
		{"tests/fixtures/osquery/deb_packages.json", TU_IMPORT_OSQUERY},
		{"tests/fixtures/osquery/rpm_packages.json", TU_IMPORT_OSQUERY},
		{"tests/fixtures/osquery/programs.json", TU_IMPORT_OSQUERY},
		{"tests/fixtures/osquery/osqueryd.results.log", TU_IMPORT_OSQUERY},
		{"tests/fixtures/sbom/npm-sbom.cdx.json", TU_IMPORT_CYCLONEDX},
		{"tests/fixtures/sbom/npm-sbom.spdx.json", TU_IMPORT_SPDX},
		{"tests/fixtures/csv/estate.csv", TU_IMPORT_CSV},
		{"tests/fixtures/macos/glpi-agent/sample1.SPApplicationsDataType", TU_IMPORT_MACOS},
		{"tests/fixtures/macos/glpi-agent/"
		 "10.8-system_profiler_SPApplicationsDataType.example.txt",
		 TU_IMPORT_MACOS},
		{"tests/fixtures/sbom/npm-project.package-lock.json", TU_IMPORT_UNKNOWN},
		{"tests/fixtures/windows/SOURCES.md", TU_IMPORT_UNKNOWN},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *path = tu_test_source_path (cases[i].rel);
		/* the content decides, whatever the name */
		TuImportFormat f = detect_file (path, "export.dat");
		if (f != cases[i].format)
			g_error ("%s: detected %s, expected %s", cases[i].rel, tu_import_format_name (f),
				 tu_import_format_name (cases[i].format));
	}
	/* the shared macOS plist and the big GLPI inventory, when present */
	g_autofree char *mac = tu_test_shared_path (
		"fixtures/glpi-agent/macos/system_profiler/sample5.SPApplicationsDataType-xml");
	if (mac != NULL)
		g_assert_cmpint (detect_file (mac, "x"), ==, TU_IMPORT_MACOS);
	g_autofree char *c3 = tu_test_shared_path ("fixtures/glpi-inventory-format/examples/computer_3.json");
	if (c3 != NULL)
		g_assert_cmpint (detect_file (c3, "x"), ==, TU_IMPORT_GLPI);
}

static TuImportFormat
detect_str (const char *s, const char *name)
{
	return tu_import_detect ((const guint8 *) s, strlen (s), name);
}

static void
test_detect_inline (void)
{
	g_assert_cmpint (detect_str ("{\"trueup_collector\":\"macos\",\"version\":1}", NULL), ==,
			 TU_IMPORT_MACOS);
	g_assert_cmpint (detect_str ("{\"trueup_collector\":\"solaris\"}", NULL), ==, TU_IMPORT_UNKNOWN);
	g_assert_cmpint (detect_str ("{\"SPApplicationsDataType\":[]}", NULL), ==, TU_IMPORT_MACOS);
	/* keys inside nested values do not count: only the top level does */
	g_assert_cmpint (detect_str ("{\"x\":{\"bomFormat\":\"CycloneDX\"},\"spdxVersion\":\"SPDX-2.3\"}", NULL),
			 ==, TU_IMPORT_SPDX);
	g_assert_cmpint (detect_str ("  {\"DisplayName\":\"A\"}", NULL), ==, TU_IMPORT_WINDOWS_JSON);
	g_assert_cmpint (detect_str ("\xef\xbb\xbfREGEDIT4\r\n", NULL), ==, TU_IMPORT_WINDOWS_REG);
	g_assert_cmpint (detect_str ("\"DisplayName\",\"DisplayVersion\"\r\n", NULL), ==,
			 TU_IMPORT_WINDOWS_CSV);
	g_assert_cmpint (detect_str ("Name,Host,Version\n", NULL), ==, TU_IMPORT_CSV);
	/* system_profiler SPApplicationsDataType as text: the header, then an indented name */
	const char *profiler = "\xef\xbb\xbf" "Applications:\r\n\r\n    Re: Mail:\r\n";
	g_assert_cmpint (detect_str (profiler, NULL), ==, TU_IMPORT_MACOS);
	g_assert_cmpint (detect_str ("Applications:\n", NULL), ==, TU_IMPORT_UNKNOWN);
	g_assert_cmpint (detect_str ("Applications:\n\nTerminal:\n", NULL), ==, TU_IMPORT_UNKNOWN);
	g_assert_cmpint (detect_str ("Applications: 3\n\n    Terminal:\n", NULL), ==,
			 TU_IMPORT_UNKNOWN);
	/* nothing in the content: the name picks the parser that explains best */
	g_assert_cmpint (detect_str ("garbage\n", "pc.reg"), ==, TU_IMPORT_WINDOWS_REG);
	g_assert_cmpint (detect_str ("hostname,product\n", "list.CSV"), ==, TU_IMPORT_CSV);
	g_assert_cmpint (detect_str ("garbage\n", "pc.json"), ==, TU_IMPORT_UNKNOWN);
	g_assert_cmpint (detect_str ("", "pc.json"), ==, TU_IMPORT_UNKNOWN);
	g_assert_cmpint (detect_str ("[]", NULL), ==, TU_IMPORT_UNKNOWN);
	g_assert_cmpint (detect_str ("{\"a\":\"unterminated", NULL), ==, TU_IMPORT_UNKNOWN);
	/* found by fuzzing: a key whose value would start right at the end of the input */
	const char cut[] = "\r{\"content\":";
	g_assert_cmpint (tu_import_detect ((const guint8 *) cut, sizeof cut - 1, NULL), ==,
			 TU_IMPORT_UNKNOWN);
	/* UTF-16LE without a BOM */
	const guint8 u16[] = {'[', 0, '{', 0, '"', 0, 'P', 0, 'S', 0, 'P', 0, 'a', 0, 't', 0,
			      'h', 0, '"', 0, ':', 0, '1', 0, '}', 0, ']', 0};
	g_assert_cmpint (tu_import_detect (u16, sizeof u16, NULL), ==, TU_IMPORT_WINDOWS_JSON);
	for (guint f = TU_IMPORT_UNKNOWN; f <= TU_IMPORT_CSV; f++)
		g_assert_nonnull (tu_import_format_name (f));
	g_assert_cmpstr (tu_import_format_name (TU_IMPORT_CYCLONEDX), ==, "cyclonedx");
	g_assert_cmpstr (tu_import_format_name ((TuImportFormat) 99), ==, "unknown");
}

static void
test_import_files (void)
{
	TuScanOptions opts = {0};
	static const struct {
		const char *rel;
		guint n_hosts;
		const char *first_host;
	} cases[] = {
		{"tests/fixtures/windows/mssql-Uninstall.reg", 1, "mssql-Uninstall"},
		{"tests/fixtures/windows/mssql-Uninstall.ps.json", 1, "mssql-Uninstall.ps"},
		{"tests/fixtures/windows/mssql-Uninstall.ps.csv", 1, "mssql-Uninstall.ps"},
		{"tests/fixtures/windows/collector-sample.json", 1, "SQL-PRD-01"},
		{"tests/fixtures/glpi/computer_1.json", 1, "glpixps"},
		{"tests/fixtures/osquery/osqueryd.results.log", 2, "web01.example.com"},
		{"tests/fixtures/sbom/npm-sbom.cdx.json", 1, "sbomproj"},
		{"tests/fixtures/sbom/npm-sbom.spdx.json", 1, "sbomproj"},
		{"tests/fixtures/csv/estate.csv", 2, "web01"},
		{"tests/fixtures/macos/glpi-agent/sample3.SPApplicationsDataType", 1, "sample3"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *path = tu_test_source_path (cases[i].rel);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) hosts = tu_scan_import (path, &opts, &error);
		g_assert_no_error (error);
		g_assert_nonnull (hosts);
		g_assert_cmpuint (hosts->len, ==, cases[i].n_hosts);
		g_autofree char *target = g_strdup_printf ("import:%s", path);
		for (guint h = 0; h < hosts->len; h++) {
			TuHostScan *scan = g_ptr_array_index (hosts, h);
			g_assert_cmpstr (scan->target, ==, target);
			g_assert_no_error (scan->error);
			g_assert_cmpuint (tu_record_list_len (scan->records), >, 0);
			g_assert_cmpint (scan->finished_us, >, 0);
		}
		g_assert_cmpstr (((TuHostScan *) g_ptr_array_index (hosts, 0))->facts.hostname, ==,
				 cases[i].first_host);
	}
}

static void
test_import_errors (void)
{
	TuScanOptions opts = {0};
	g_autofree char *dir = tu_test_mkdtemp ();
	g_autoptr(GError) error = NULL;

	/* unknown: the file is named and the known formats listed */
	tu_test_write (dir, "notes.txt", "just some notes\n", -1);
	g_autofree char *notes = g_build_filename (dir, "notes.txt", NULL);
	g_assert_null (tu_scan_import (notes, &opts, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED);
	g_assert_nonnull (strstr (error->message, notes));
	g_assert_nonnull (strstr (error->message, "CycloneDX JSON"));
	g_assert_nonnull (strstr (error->message, "GLPI Agent JSON"));
	g_clear_error (&error);

	/* missing */
	g_autofree char *missing = g_build_filename (dir, "nope.json", NULL);
	g_assert_null (tu_scan_import (missing, &opts, &error));
	g_assert_nonnull (error);
	g_clear_error (&error);

	/* a parser's error comes through with the file name */
	tu_test_write (dir, "bad.cdx.json", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\n\"components\":[{}]}", -1);
	g_autofree char *bad = g_build_filename (dir, "bad.cdx.json", NULL);
	g_assert_null (tu_scan_import (bad, &opts, &error));
	g_assert_nonnull (strstr (error->message, "bad.cdx.json: components[0]: name missing"));
	g_clear_error (&error);

	/* a GLPI inventory saved as UTF-16LE by PowerShell: converted, then read */
	const char *inv = "{\"deviceid\":\"pc-2021-01-26-14-32-36\",\"content\":{\"hardware\":"
			  "{\"name\":\"pc\"},\"softwares\":[{\"name\":\"Café\",\"version\":\"1\"}]}}";
	gsize u16len = 0;
	g_autofree char *u16 = g_convert (inv, -1, "UTF-16LE", "UTF-8", NULL, &u16len, NULL);
	g_autofree char *with_bom = g_malloc (u16len + 2);
	with_bom[0] = (char) 0xff;
	with_bom[1] = (char) 0xfe;
	memcpy (with_bom + 2, u16, u16len);
	tu_test_write (dir, "inv.json", with_bom, (gssize) u16len + 2);
	g_autofree char *invp = g_build_filename (dir, "inv.json", NULL);
	g_autoptr(GPtrArray) hosts = tu_scan_import (invp, &opts, &error);
	g_assert_no_error (error);
	TuHostScan *pc = g_ptr_array_index (hosts, 0);
	g_assert_cmpstr (tu_record_list_get (pc->records, 0)->raw_name, ==, "Café");

	/* a package database is not an export: the message says to scan its root */
	tu_test_write (dir, "status", "Package: bash\nStatus: install ok installed\n"
		       "Version: 5.2.15-2+b2\n\n", -1);
	g_autofree char *status = g_build_filename (dir, "status", NULL);
	g_assert_null (tu_scan_import (status, &opts, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED);
	g_assert_nonnull (strstr (error->message, "dpkg status file"));
	g_assert_nonnull (strstr (error->message, "--root"));
	g_clear_error (&error);
	tu_test_write (dir, "rpmdb.sqlite", "SQLite format 3\0\x10\0\x01\x01", 20);
	g_autofree char *sqlite = g_build_filename (dir, "rpmdb.sqlite", NULL);
	g_assert_null (tu_scan_import (sqlite, &opts, &error));
	g_assert_nonnull (strstr (error->message, "rpm (or other SQLite) database"));
	g_clear_error (&error);

	/* truncated UTF-16 */
	tu_test_write (dir, "odd.json", with_bom, (gssize) u16len + 1);
	g_autofree char *odd = g_build_filename (dir, "odd.json", NULL);
	g_assert_null (tu_scan_import (odd, &opts, &error));
	g_assert_nonnull (strstr (error->message, "truncated UTF-16LE"));
	g_clear_error (&error);
	tu_test_rmtree (dir);
}

/* macOS exports go to the macOS parser when this build has it. */
static void
test_import_macos (void)
{
	g_autofree char *mac = tu_test_shared_path (
		"fixtures/glpi-agent/macos/system_profiler/sample5.SPApplicationsDataType-xml");
	if (mac == NULL) {
		g_test_skip ("shared fixtures not present");
		return;
	}
	TuScanOptions opts = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = tu_scan_import (mac, &opts, &error);
	if (hosts == NULL) {
		g_assert_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED);
		g_assert_nonnull (strstr (error->message, "not supported by this build"));
		return;
	}
	g_autofree char *target = g_strdup_printf ("import:%s", mac);
	g_assert_cmpuint (hosts->len, ==, 1);
	g_assert_cmpstr (((TuHostScan *) g_ptr_array_index (hosts, 0))->target, ==, target);
	g_assert_cmpuint (tu_record_list_len (((TuHostScan *) g_ptr_array_index (hosts, 0))->records), >, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/import/detect-every-fixture-by-content", test_detect_fixtures);
	g_test_add_func ("/trueup/scan/import/detect-top-level-keys-headers-ties", test_detect_inline);
	g_test_add_func ("/trueup/scan/import/import-each-format-sets-targets", test_import_files);
	g_test_add_func ("/trueup/scan/import/unknown-missing-bad-utf16", test_import_errors);
	g_test_add_func ("/trueup/scan/import/macos-plist-goes-to-macos-parser", test_import_macos);
	return g_test_run ();
}
