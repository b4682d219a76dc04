/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dpkg parser tests on real status files: Syft's fixtures, distroless status.d entries, and
 * this machine's own database compared package for package with `dpkg-query -W`.
 */
#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static const TuRecord *
find (TuHostScan *scan, const char *name, const char *arch)
{
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (g_strcmp0 (r->raw_name, name) == 0 && (arch == NULL || g_strcmp0 (r->arch, arch) == 0))
			return r;
	}
	return NULL;
}

static void
test_syft_status (void)
{
	g_autofree char *path = tu_test_shared_path ("fixtures/syft/debian/var/lib/dpkg/status");
	if (path == NULL) {
		g_test_skip ("shared fixtures not present");
		return;
	}
	g_autoptr(GBytes) b = tu_test_read (path);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_dpkg_parse_status (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path,
					     scan, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (tu_record_list_len (scan->records), >, 0);
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		g_assert_cmpint (r->source, ==, TU_SOURCE_DPKG);
		g_assert_nonnull (r->raw_version);
		g_assert_nonnull (r->source_package);
	}
}

static void
test_states (void)
{
	const char *status =
		"Package: ok\nStatus: install ok installed\nVersion: 1:2.3-4\nArchitecture: amd64\n"
		"Maintainer: A <a@example.org>\nSource: okay-src (2.3-4)\nInstalled-Size: 10\n"
		"Description: x\n multi\n .\n line\n\n"
		"Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
		"Package: purged\nStatus: purge ok not-installed\n\n"
		"Package: half\nStatus: install reinstreq half-installed\nVersion: 2.0\n"
		"Architecture: all\n\n"
		"Package: held\nStatus: hold ok installed\nVersion: 3.0\nArchitecture: i386\n";
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_dpkg_parse_status (status, strlen (status), "status", scan, &error));
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 3);
	const TuRecord *ok = find (scan, "ok", NULL);
	g_assert_nonnull (ok);
	g_assert_cmpstr (ok->raw_version, ==, "1:2.3-4"); /* epoch and revision kept */
	g_assert_cmpstr (ok->source_package, ==, "okay-src");
	g_assert_cmpstr (ok->arch, ==, "amd64");
	g_assert_cmpstr (ok->raw_publisher, ==, "A <a@example.org>");
	g_assert_cmpint (ok->size_bytes, ==, 10240);
	g_assert_null (ok->state);
	const TuRecord *half = find (scan, "half", NULL);
	g_assert_nonnull (half);
	g_assert_cmpstr (half->state, ==, "half-installed");
	g_assert_cmpstr (half->source_package, ==, "half"); /* no Source: the package itself */
	g_assert_nonnull (find (scan, "held", "i386"));
	g_assert_null (find (scan, "gone", NULL));
	g_assert_null (find (scan, "purged", NULL));
}

static void
test_corrupt (void)
{
	g_autoptr(GError) error = NULL;
	const char *bad = "Package: a\nStatus: install ok installed\nVersion: 1\n\nthis is not a field\n";
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_assert_false (tu_dpkg_parse_status (bad, strlen (bad), "/x/status", scan, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (error->message, "/x/status:5:"));
	g_clear_error (&error);

	const char *noversion = "Package: a\nStatus: install ok installed\n\n";
	g_assert_false (tu_dpkg_parse_status (noversion, strlen (noversion), "s", scan, &error));
	g_assert_nonnull (strstr (error->message, "s:1: package a: missing Version"));
	g_clear_error (&error);

	const char *dup = "Package: a\nStatus: install ok installed\nVersion: 1\nVersion: 2\n";
	g_assert_false (tu_dpkg_parse_status (dup, strlen (dup), "s", scan, &error));
	g_assert_nonnull (strstr (error->message, "s:4: duplicate field Version"));
	g_clear_error (&error);

	/* truncated in the middle of a stanza: the last one lacks its Version */
	const char *truncated = "Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\nSta";
	g_assert_false (tu_dpkg_parse_status (truncated, strlen (truncated), "s", scan, &error));
	g_clear_error (&error);

	/* binary garbage, embedded NULs */
	const char garbage[] = "Package: \xff\xfe\x00\x01\nStatus: install ok installed\nVersion: 1\n";
	g_autoptr(TuHostScan) scan2 = tu_host_scan_new ("test");
	g_assert_true (tu_dpkg_parse_status (garbage, sizeof garbage - 1, "s", scan2, &error));
	const TuRecord *r = tu_record_list_get (scan2->records, 0);
	g_assert_true (g_utf8_validate (r->raw_name, -1, NULL));
}

static void
test_distroless (void)
{
	g_autofree char *root = tu_test_shared_path ("fixtures/syft/debian/image-distroless-deb");
	g_autofree char *root2 = tu_test_shared_path ("fixtures/syft/debian");
	if (root == NULL || root2 == NULL) {
		g_test_skip ("shared fixtures not present");
		return;
	}
	g_autoptr(TuFs) fs = tu_fs_new_root (root, NULL);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	TuScanOptions opts = {0};
	tu_source_dpkg (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
	g_assert_cmpstr (tu_record_list_get (scan->records, 0)->raw_name, ==, "libsqlite3-0");

	/* Syft's status.d mix: a deinstalled package skipped, the corrupt file a warning */
	g_autoptr(TuFs) fs2 = tu_fs_new_root (root2, NULL);
	g_autoptr(TuHostScan) scan2 = tu_host_scan_new ("test");
	tu_source_dpkg (fs2, scan2, &opts);
	g_assert_no_error (scan2->error);
	g_assert_nonnull (find (scan2, "linux-image-6.14.0-1012-aws", NULL));
	g_assert_null (find (scan2, "linux-image-6.8.0-1029-aws", NULL));
	g_assert_cmpuint (scan2->warnings->len, >, 0);
	gboolean corrupt_named = FALSE;
	for (guint i = 0; i < scan2->warnings->len; i++)
		corrupt_named |=
			strstr (tu_warnings_text (scan2->warnings, i), "status.d/corrupt") != NULL;
	g_assert_true (corrupt_named);
}

/* This machine's database, package for package, against dpkg-query. */
static void
test_against_dpkg_query (void)
{
	g_autofree char *dpkg_query = g_find_program_in_path ("dpkg-query");
	if (!g_file_test ("/var/lib/dpkg/status", G_FILE_TEST_EXISTS) || dpkg_query == NULL) {
		g_test_skip ("not a dpkg system");
		return;
	}
	g_autofree char *out = NULL;
	g_autoptr(GError) error = NULL;
	const char *argv[] = {"dpkg-query", "-W", "-f",
			      "${db:Status-Status}\\t${Package}\\t${Architecture}\\t${Version}\\n", NULL};
	g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
				     NULL, NULL, &error));
	g_autoptr(TuFs) fs = tu_fs_new_root ("/", NULL);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("local");
	TuScanOptions opts = {0};
	tu_source_dpkg (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (r->state == NULL)
			g_hash_table_add (ours, g_strdup_printf ("%s\t%s\t%s", r->raw_name, r->arch,
								 r->raw_version));
	}
	g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
	guint n_installed = 0;
	for (guint i = 0; lines[i] != NULL; i++) {
		if (!g_str_has_prefix (lines[i], "installed\t"))
			continue;
		n_installed++;
		if (!g_hash_table_contains (ours, lines[i] + 10))
			g_error ("dpkg-query lists %s but the parser does not", lines[i] + 10);
	}
	g_assert_cmpuint (n_installed, ==, g_hash_table_size (ours));
	g_test_message ("%u installed packages agree with dpkg-query", n_installed);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/dpkg/syft-status", test_syft_status);
	g_test_add_func ("/trueup/scan/dpkg/states", test_states);
	g_test_add_func ("/trueup/scan/dpkg/corrupt-is-an-error-with-line", test_corrupt);
	g_test_add_func ("/trueup/scan/dpkg/distroless-status.d", test_distroless);
	g_test_add_func ("/trueup/scan/dpkg/agrees-with-dpkg-query", test_against_dpkg_query);
	return g_test_run ();
}
