/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * flatpak parser tests. There are no upstream fixtures of deploy files (Syft has none, and
 * flatpak's own tests create them by installing), so the deploy files here are built with
 * GVariant exactly as flatpak_dir_new_deploy_data () in flatpak-dir.c writes them:
 * g_variant_new ("(ss^ast@a{sv})", origin, commit, subpaths, GUINT64_TO_BE (installed_size),
 * metadata) serialized with g_variant_get_data (), metadata holding deploy-version, runtime,
 * appdata-name, appdata-summary, appdata-version and appdata-license as flatpak adds them.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

/* Serialized deploy data as flatpak writes it. (transfer full) */
static GBytes *
make_deploy (const char *origin, const char *commit, guint64 installed_size, const char *runtime,
	     const char *appdata_name, const char *appdata_version, const char *appdata_license)
{
	GVariantBuilder metadata;
	g_variant_builder_init (&metadata, G_VARIANT_TYPE ("a{sv}"));
	g_variant_builder_add (&metadata, "{s@v}", "deploy-version",
			       g_variant_new_variant (g_variant_new_int32 (4)));
	if (runtime != NULL)
		g_variant_builder_add (&metadata, "{s@v}", "runtime",
				       g_variant_new_variant (g_variant_new_string (runtime)));
	if (appdata_name != NULL) {
		g_variant_builder_add (&metadata, "{s@v}", "appdata-name",
				       g_variant_new_variant (g_variant_new_string (appdata_name)));
		g_variant_builder_add (&metadata, "{s@v}", "appdata-name@de",
				       g_variant_new_variant (g_variant_new_string (appdata_name)));
		g_variant_builder_add (&metadata, "{s@v}", "appdata-summary",
				       g_variant_new_variant (g_variant_new_string ("A program")));
	}
	if (appdata_version != NULL)
		g_variant_builder_add (&metadata, "{s@v}", "appdata-version",
				       g_variant_new_variant (g_variant_new_string (appdata_version)));
	if (appdata_license != NULL)
		g_variant_builder_add (&metadata, "{s@v}", "appdata-license",
				       g_variant_new_variant (g_variant_new_string (appdata_license)));
	char *empty_subpaths[] = {NULL};
	g_autoptr(GVariant) v = g_variant_ref_sink (
		g_variant_new ("(ss^ast@a{sv})", origin, commit, empty_subpaths,
			       GUINT64_TO_BE (installed_size), g_variant_builder_end (&metadata)));
	return g_bytes_new (g_variant_get_data (v), g_variant_get_size (v));
}

static void
test_parse (void)
{
	g_autoptr(GBytes) d = make_deploy (
		"flathub", "8bd8b8fb0c4a4cfd5e4f5c9a1a3ce8d4a1b2f0d7e9c6b5a4f3e2d1c0b9a8f7e6", 254803968,
		"org.freedesktop.Platform/x86_64/23.08", "Firefox", "131.0.3", "MPL-2.0");
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	const char *path = "/var/lib/flatpak/app/org.mozilla.firefox/x86_64/stable/active/deploy";
	g_assert_true (tu_flatpak_parse_deploy (g_bytes_get_data (d, NULL), g_bytes_get_size (d), path,
						"org.mozilla.firefox", "x86_64", "stable", scan, &error));
	g_assert_no_error (error);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpint (r->source, ==, TU_SOURCE_FLATPAK);
	g_assert_cmpstr (r->raw_name, ==, "org.mozilla.firefox");
	g_assert_cmpstr (r->raw_version, ==, "131.0.3");
	g_assert_cmpstr (r->arch, ==, "x86_64");
	g_assert_cmpstr (r->raw_publisher, ==, "flathub");
	g_assert_cmpstr (r->license, ==, "MPL-2.0");
	g_assert_cmpint (r->size_bytes, ==, 254803968); /* big-endian inside the GVariant */
	g_assert_cmpstr (r->location, ==,
			 "/var/lib/flatpak/app/org.mozilla.firefox/x86_64/stable/active");
	g_assert_null (r->kind);

	/* no AppStream version: the branch */
	g_autoptr(GBytes) d2 = make_deploy ("fedora", "c0ffee", 1024, NULL, NULL, NULL, NULL);
	g_assert_true (tu_flatpak_parse_deploy (g_bytes_get_data (d2, NULL), g_bytes_get_size (d2), "d",
						"org.gnome.Platform", "aarch64", "46", scan, &error));
	r = tu_record_list_get (scan->records, 1);
	g_assert_cmpstr (r->raw_version, ==, "46");
	g_assert_cmpstr (r->raw_publisher, ==, "fedora");
	g_assert_null (r->license);
}

static void
test_bad (void)
{
	g_autoptr(GBytes) d = make_deploy ("flathub", "abc", 10, NULL, "X", "1.0", NULL);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (d, &len);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	/* truncated at every length */
	for (gsize cut = 0; cut < len; cut++) {
		g_assert_false (tu_flatpak_parse_deploy (data, cut, "/x/deploy", "a.b", "x86_64", "stable",
							 scan, &error));
		g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
		g_assert_true (g_str_has_prefix (error->message, "/x/deploy: "));
		g_clear_error (&error);
	}
	/* every byte flipped: an error or a record, never a crash or a critical */
	g_autofree guint8 *copy = g_memdup2 (data, len);
	for (gsize i = 0; i < len; i++) {
		memcpy (copy, data, len);
		copy[i] ^= 0xa5;
		if (!tu_flatpak_parse_deploy (copy, len, "/x/deploy", "a.b", "x86_64", "stable", scan,
					      &error))
			g_clear_error (&error);
	}
	/* a different GVariant type that happens to load: not normal form */
	g_autoptr(GVariant) other = g_variant_ref_sink (g_variant_new ("(ss)", "flathub", "x"));
	g_assert_false (tu_flatpak_parse_deploy (g_variant_get_data (other), g_variant_get_size (other),
						 "/x/deploy", "a.b", "x86_64", "stable", scan, &error));
	g_assert_nonnull (strstr (error->message, "not flatpak deploy data"));
	g_clear_error (&error);
	/* text garbage */
	const char *text = "[Application]\nname=org.example.App\n";
	g_assert_false (tu_flatpak_parse_deploy ((const guint8 *) text, strlen (text), "/x/deploy",
						 "a.b", "x86_64", "stable", scan, &error));
	g_clear_error (&error);
	/* no ID */
	g_assert_false (tu_flatpak_parse_deploy (data, len, "/x/deploy", "", "x86_64", "stable", scan,
						 &error));
	g_clear_error (&error);
}

static void
write_deploy (const char *root, const char *rel, GBytes *d)
{
	tu_test_write (root, rel, g_bytes_get_data (d, NULL), (gssize) g_bytes_get_size (d));
}

static void
test_finder (void)
{
	g_autofree char *root = tu_test_mkdtemp ();
	g_autoptr(GBytes) ff = make_deploy ("flathub", "aa11", 254803968,
					    "org.freedesktop.Platform/x86_64/23.08", "Firefox",
					    "131.0.3", "MPL-2.0");
	g_autoptr(GBytes) platform = make_deploy ("flathub", "bb22", 600000000, NULL,
						  "Freedesktop Platform", "23.08.21", NULL);
	g_autoptr(GBytes) gimp = make_deploy ("flathub", "cc33", 400000000,
					      "org.gnome.Platform/x86_64/46", "GIMP", "2.10.38",
					      "GPL-3.0+");
	/* system installation, with the "current" link flatpak makes */
	write_deploy (root, "var/lib/flatpak/app/org.mozilla.firefox/x86_64/stable/aa11/deploy", ff);
	g_autofree char *active = g_build_filename (
		root, "var/lib/flatpak/app/org.mozilla.firefox/x86_64/stable/active", NULL);
	g_assert_cmpint (symlink ("aa11", active), ==, 0);
	g_autofree char *current = g_build_filename (root, "var/lib/flatpak/app/org.mozilla.firefox/current",
						     NULL);
	g_assert_cmpint (symlink ("x86_64/stable", current), ==, 0);
	write_deploy (root,
		      "var/lib/flatpak/runtime/org.freedesktop.Platform/x86_64/23.08/active/deploy",
		      platform);
	/* a user's installation, and a damaged deploy file in another user's */
	write_deploy (root, "home/alice/.local/share/flatpak/app/org.gimp.GIMP/x86_64/stable/active/deploy",
		      gimp);
	tu_test_write (root, "home/bob/.local/share/flatpak/app/org.example.Bad/x86_64/stable/active/deploy",
		       "\x01\x02", 2);

	TuScanOptions opts = {0};
	g_autoptr(TuFs) fs = tu_fs_new_root (root, NULL);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	tu_source_flatpak (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 3);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "org.mozilla.firefox");
	g_assert_cmpstr (r->raw_version, ==, "131.0.3");
	g_assert_null (r->kind);
	r = tu_record_list_get (scan->records, 1);
	g_assert_cmpstr (r->raw_name, ==, "org.freedesktop.Platform");
	g_assert_cmpstr (r->raw_version, ==, "23.08.21");
	g_assert_cmpstr (r->kind, ==, "system");
	r = tu_record_list_get (scan->records, 2);
	g_assert_cmpstr (r->raw_name, ==, "org.gimp.GIMP");
	g_assert_cmpstr (r->license, ==, "GPL-3.0+");
	g_assert_nonnull (strstr (r->location, "home/alice/.local/share/flatpak/app/org.gimp.GIMP"));
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	const char *w = tu_warnings_text (scan->warnings, 0);
	g_assert_nonnull (strstr (w, "org.example.Bad/x86_64/stable/active/deploy: byte 0: "));
	g_assert_nonnull (strstr (w, "(skipped)"));
	tu_test_rmtree (root);

	/* an SSH snapshot holds the same paths */
	g_autoptr(TuFs) snap = tu_fs_new_snapshot ("web01");
	tu_fs_snapshot_add (snap, "var/lib/flatpak/app/org.mozilla.firefox/x86_64/stable/active/deploy", ff);
	g_autoptr(TuHostScan) s2 = tu_host_scan_new ("test");
	tu_source_flatpak (snap, s2, &opts);
	g_assert_no_error (s2->error);
	g_assert_cmpuint (tu_record_list_len (s2->records), ==, 1);
	g_assert_cmpstr (tu_record_list_get (s2->records, 0)->arch, ==, "x86_64");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/flatpak/deploy-data-as-flatpak-writes-it", test_parse);
	g_test_add_func ("/trueup/scan/flatpak/damaged-deploy-is-an-error", test_bad);
	g_test_add_func ("/trueup/scan/flatpak/finder-system-user-runtime", test_finder);
	return g_test_run ();
}
