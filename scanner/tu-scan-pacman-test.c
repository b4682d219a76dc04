/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pacman parser tests on Syft's var/lib/pacman/local fixtures (expected values as in Syft's
 * parse_alpm_db_test.go): every field kept, the finder over the whole local database with the
 * corrupt desc skipped with a warning naming file and line, and damaged input.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

#define LOCAL "tests/fixtures/pacman/installed/var/lib/pacman/local/"

static TuHostScan *
parse_fixture (const char *rel, GError **error)
{
	g_autofree char *path = tu_test_source_path (rel);
	g_autoptr(GBytes) b = tu_test_read (path);
	TuHostScan *scan = tu_host_scan_new ("test");
	tu_pacman_parse_desc (g_bytes_get_data (b, NULL), g_bytes_get_size (b), rel, scan, error);
	return scan;
}

static void
test_gmp (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuHostScan) scan = parse_fixture (LOCAL "gmp-6.2.1-2/desc", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpint (r->source, ==, TU_SOURCE_PACMAN);
	g_assert_cmpstr (r->raw_name, ==, "gmp");
	g_assert_cmpstr (r->raw_version, ==, "6.2.1-2");
	g_assert_cmpstr (r->source_package, ==, "gmp");
	g_assert_cmpstr (r->arch, ==, "x86_64");
	g_assert_cmpstr (r->raw_publisher, ==, "Antonio Rojas <arojas@archlinux.org>");
	g_assert_cmpint (r->size_bytes, ==, 1044438);
	g_assert_cmpstr (r->license, ==, "LGPL3 AND GPL"); /* both entries of the array */
	g_assert_cmpstr (r->install_date, ==, "2022-10-16");  /* 1665878640 */
	g_assert_cmpuint (scan->warnings->len, ==, 0);
}

static void
test_emacs_and_minimal (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuHostScan) scan = parse_fixture (LOCAL "emacs-29.3-3/desc", &error);
	g_assert_no_error (error);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "emacs");
	g_assert_cmpstr (r->raw_version, ==, "29.3-3");
	g_assert_cmpstr (r->raw_publisher, ==, "Frederik Schwan <freswa@archlinux.org>");
	g_assert_cmpint (r->size_bytes, ==, 126427862);
	g_assert_cmpstr (r->license, ==, "GPL3");
	g_assert_cmpstr (r->install_date, ==, "2024-05-06"); /* 1715026363 */

	/* fuzzy: name and version only */
	g_autoptr(TuHostScan) s2 = parse_fixture (LOCAL "fuzzy-1.2-3/desc", &error);
	g_assert_no_error (error);
	r = tu_record_list_get (s2->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "fuzzy");
	g_assert_cmpstr (r->raw_version, ==, "1.2-3");
	g_assert_cmpstr (r->source_package, ==, "fuzzy");
	g_assert_null (r->arch);
	g_assert_null (r->license);
	g_assert_cmpint (r->size_bytes, ==, -1);
}

static void
test_corrupt (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuHostScan) scan = parse_fixture (LOCAL "corrupt-0.2.1-3/desc", &error);
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_cmpstr (error->message, ==,
			 LOCAL "corrupt-0.2.1-3/desc:4: \"%VER.6-1\" is not a %FIELD% header");
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
	g_clear_error (&error);

	g_autoptr(TuHostScan) s = tu_host_scan_new ("test");
	const char *noname = "%VERSION%\n1.0-1\n";
	g_assert_false (tu_pacman_parse_desc (noname, strlen (noname), "d", s, &error));
	g_assert_cmpstr (error->message, ==, "d:1: %NAME% field missing");
	g_clear_error (&error);
	const char *noversion = "%NAME%\nfoo\n\n%ARCH%\nany\n";
	g_assert_false (tu_pacman_parse_desc (noversion, strlen (noversion), "d", s, &error));
	g_assert_cmpstr (error->message, ==, "d:1: package foo: %VERSION% field missing");
	g_clear_error (&error);
	const char *dup = "%NAME%\nfoo\n\n%NAME%\nbar\n";
	g_assert_false (tu_pacman_parse_desc (dup, strlen (dup), "d", s, &error));
	g_assert_cmpstr (error->message, ==, "d:4: duplicate field %NAME%");
	g_clear_error (&error);
	const char *bogus = "bogus desc file";
	g_assert_false (tu_pacman_parse_desc (bogus, strlen (bogus), "d", s, &error));
	g_assert_cmpstr (error->message, ==, "d:1: \"bogus desc file\" is not a %FIELD% header");
	g_clear_error (&error);
	g_assert_cmpuint (tu_record_list_len (s->records), ==, 0);

	/* truncated inside the version: the text so far is the version, as written */
	const char *cut = "%NAME%\nfoo\n\n%VERSION%\n1.";
	g_assert_true (tu_pacman_parse_desc (cut, strlen (cut), "d", s, &error));
	g_assert_cmpstr (tu_record_list_get (s->records, 0)->raw_version, ==, "1.");

	/* bad numbers are warnings; bad bytes are cleaned */
	const char odd[] = "%NAME%\nn\xff\x01x\n\n%VERSION%\n1\n\n%SIZE%\n-5\n\n%INSTALLDATE%\nyesterday\n";
	g_autoptr(TuHostScan) s2 = tu_host_scan_new ("test");
	g_assert_true (tu_pacman_parse_desc (odd, sizeof odd - 1, "d", s2, &error));
	const TuRecord *r = tu_record_list_get (s2->records, 0);
	g_assert_true (g_utf8_validate (r->raw_name, -1, NULL));
	g_assert_null (strchr (r->raw_name, '\x01'));
	g_assert_cmpint (r->size_bytes, ==, -1);
	g_assert_null (r->install_date);
	g_assert_cmpuint (s2->warnings->len, ==, 2);
	g_assert_true (g_str_has_prefix (tu_warnings_text (s2->warnings, 0), "d:8: "));
}

static void
test_finder (void)
{
	TuScanOptions opts = {0};
	g_autofree char *root = tu_test_source_path ("tests/fixtures/pacman/installed");
	g_autoptr(TuFs) fs = tu_fs_new_root (root, NULL);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	tu_source_pacman (fs, scan, &opts);
	g_assert_no_error (scan->error);
	/* the corrupt package is skipped, the other five are there in directory order */
	static const char *const names[] = {"emacs", "fuzzy", "gmp", "madeup", "tree-sitter"};
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, G_N_ELEMENTS (names));
	for (guint i = 0; i < G_N_ELEMENTS (names); i++)
		g_assert_cmpstr (tu_record_list_get (scan->records, i)->raw_name, ==, names[i]);
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	const char *w = tu_warnings_text (scan->warnings, 0);
	g_assert_nonnull (strstr (w, "corrupt-0.2.1-3/desc:4: "));
	g_assert_nonnull (strstr (w, "(skipped)"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/pacman/desc-every-field", test_gmp);
	g_test_add_func ("/trueup/scan/pacman/desc-full-and-minimal", test_emacs_and_minimal);
	g_test_add_func ("/trueup/scan/pacman/corrupt-is-an-error-with-line", test_corrupt);
	g_test_add_func ("/trueup/scan/pacman/finder-skips-corrupt-desc-with-warning", test_finder);
	return g_test_run ();
}
