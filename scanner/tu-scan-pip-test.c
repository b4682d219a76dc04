/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Python metadata parser and finder tests: Syft's METADATA / PKG-INFO fixtures with upstream's
 * expected values, broken files, the finder on a snapshot laid out like a host, and this
 * machine's dist-packages compared with what Python's importlib.metadata reports.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static const TuRecord *
find (TuHostScan *scan, const char *name, const char *location)
{
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (g_strcmp0 (r->raw_name, name) == 0 &&
		    (location == NULL || g_strcmp0 (r->location, location) == 0))
			return r;
	}
	return NULL;
}

/* Parse a fixture of tests/fixtures/pip; returns the scan, @error set on failure. */
static TuHostScan *
parse_fixture (const char *rel, gboolean *ok, GError **error)
{
	g_autofree char *full = g_build_filename ("tests/fixtures/pip", rel, NULL);
	g_autofree char *path = tu_test_source_path (full);
	g_autoptr(GBytes) b = tu_test_read (path);
	TuHostScan *scan = tu_host_scan_new ("test");
	*ok = tu_pip_parse_metadata (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path, scan,
				     error);
	return scan;
}

static gboolean
warned (TuHostScan *scan, const char *needle)
{
	for (guint i = 0; i < scan->warnings->len; i++) {
		if (strstr (tu_warnings_text (scan->warnings, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

/* upstream parse_wheel_egg_metadata_test.go: dist-info/METADATA */
static void
test_dist_info (void)
{
	g_autoptr(GError) error = NULL;
	gboolean ok;
	g_autoptr(TuHostScan) scan = parse_fixture ("site-packages/partial.dist-info/METADATA", &ok,
						    &error);
	g_assert_no_error (error);
	g_assert_true (ok);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpint (r->source, ==, TU_SOURCE_PIP);
	g_assert_cmpstr (r->raw_name, ==, "Pygments"); /* as written, not normalised */
	g_assert_cmpstr (r->raw_version, ==, "2.6.1");
	g_assert_cmpstr (r->raw_publisher, ==, "Georg Brandl");
	g_assert_cmpstr (r->license, ==, "BSD License");
	g_assert_cmpstr (r->purl, ==, "pkg:pypi/pygments@2.6.1");
	g_assert_true (g_str_has_suffix (r->location, "tests/fixtures/pip/site-packages"));
	g_assert_null (r->state);
	g_assert_cmpuint (scan->warnings->len, ==, 0);

	/* upper-case DIST-INFO: the same distribution, its site-packages is the folder above */
	g_clear_error (&error);
	g_autoptr(TuHostScan) upper = parse_fixture ("site-packages/uppercase/dist-name/DIST-INFO/METADATA",
						     &ok, &error);
	g_assert_true (ok);
	r = tu_record_list_get (upper->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "Pygments");
	g_assert_true (g_str_has_suffix (r->location, "site-packages/uppercase/dist-name"));

	/* no License field: the trove classifier names the licence */
	g_autoptr(TuHostScan) lic = parse_fixture (
		"site-packages/license/with-license-file-declared.dist-info/METADATA", &ok, &error);
	g_assert_true (ok);
	g_assert_cmpstr (tu_record_list_get (lic->records, 0)->license, ==, "BSD License");
}

/* upstream: egg-info/PKG-INFO and the single-file test.egg-info */
static void
test_egg_info (void)
{
	const char *fixtures[] = {"site-packages/nested/egg-name/egg-info/PKG-INFO",
				  "site-packages/test/test.egg-info"};
	for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++) {
		g_autoptr(GError) error = NULL;
		gboolean ok;
		g_autoptr(TuHostScan) scan = parse_fixture (fixtures[i], &ok, &error);
		g_assert_no_error (error);
		g_assert_true (ok);
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
		const TuRecord *r = tu_record_list_get (scan->records, 0);
		g_assert_cmpstr (r->raw_name, ==, "requests");
		g_assert_cmpstr (r->raw_version, ==, "2.22.0");
		g_assert_cmpstr (r->raw_publisher, ==, "Kenneth Reitz");
		g_assert_cmpstr (r->license, ==, "Apache 2.0");
		g_assert_cmpstr (r->purl, ==, "pkg:pypi/requests@2.22.0");
		g_assert_cmpuint (scan->warnings->len, ==, 0);
	}
	/* distutils' egg-info of the interpreter itself */
	g_autoptr(GError) error = NULL;
	gboolean ok;
	g_autoptr(TuHostScan) py = parse_fixture ("Python-2.7.egg-info", &ok, &error);
	g_assert_true (ok);
	const TuRecord *r = tu_record_list_get (py->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "Python");
	g_assert_cmpstr (r->raw_version, ==, "2.7.13");
	g_assert_cmpstr (r->raw_publisher, ==, "Guido van Rossum and the Python community");
	g_assert_cmpstr (r->license, ==, "PSF license");
}

/* upstream TestParseWheelEggMetadataInvalid: mxnet 1.8.0, the fields before the stray line */
static void
test_invalid_keeps_header (void)
{
	g_autoptr(GError) error = NULL;
	gboolean ok;
	g_autoptr(TuHostScan) scan = parse_fixture ("site-packages/nested/egg-name/egg-info/PKG-INFO-INVALID",
						    &ok, &error);
	g_assert_no_error (error);
	g_assert_true (ok);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "mxnet");
	g_assert_cmpstr (r->raw_version, ==, "1.8.0");
	g_assert_null (r->license);
	g_assert_null (r->raw_publisher);
	/* the warning names file and line (line 5 is the first unindented summary line) */
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	g_assert_true (warned (scan, "PKG-INFO-INVALID:5: package mxnet: not a metadata field"));
}

/* A file that names no version, or nothing, is an error naming file and line. */
static void
test_errors_name_file_and_line (void)
{
	g_autoptr(GError) error = NULL;
	gboolean ok;
	g_autoptr(TuHostScan) nv = parse_fixture ("site-packages/no-version/no-version-py3.8.egg-info",
						  &ok, &error);
	g_assert_false (ok);
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_true (g_str_has_suffix (error->message,
					 "no-version-py3.8.egg-info:1: package no-version: Version field missing"));
	g_assert_cmpuint (tu_record_list_len (nv->records), ==, 0);
	g_clear_error (&error);

	g_autoptr(TuHostScan) empty = parse_fixture ("empty-1.0.0-py3.8.egg-info", &ok, &error);
	g_assert_false (ok);
	g_assert_nonnull (strstr (error->message, "empty-1.0.0-py3.8.egg-info:1: empty file"));
	g_assert_cmpuint (tu_record_list_len (empty->records), ==, 0);
	g_clear_error (&error);

	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	/* binary garbage: no field at all */
	const char garbage[] = "\x7f" "ELF\x02\x01\x01\x00\x00\x00\xff\xfe\n\x01\x02";
	g_assert_false (tu_pip_parse_metadata (garbage, sizeof garbage - 1, "x/METADATA", scan, &error));
	g_assert_nonnull (strstr (error->message, "x/METADATA:1: not a metadata field"));
	g_clear_error (&error);

	/* truncated in the middle of the Version field name */
	const char *truncated = "Metadata-Version: 2.1\nName: foo\nVers";
	g_assert_false (tu_pip_parse_metadata (truncated, strlen (truncated), "m", scan, &error));
	g_assert_cmpstr (error->message, ==, "m:2: package foo: Version field missing");
	g_clear_error (&error);

	/* the Name field, then the body before any Version */
	const char *noversion = "Name: foo\n\nVersion: 1.0\n";
	g_assert_false (tu_pip_parse_metadata (noversion, strlen (noversion), "m", scan, &error));
	g_assert_cmpstr (error->message, ==, "m:1: package foo: Version field missing");
	g_clear_error (&error);

	/* a body only */
	const char *bodyonly = "\nName: foo\nVersion: 1\n";
	g_assert_false (tu_pip_parse_metadata (bodyonly, strlen (bodyonly), "m", scan, &error));
	g_assert_cmpstr (error->message, ==, "m:1: no metadata fields before the first blank line");
	g_clear_error (&error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
}

/* Wrong encoding, CRLF, BOM, folding, UNKNOWN placeholders, fallbacks, purl encoding. */
static void
test_fields (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	const char *latin1 = "\xef\xbb\xbfMetadata-Version: 1.0\r\nName: caf\xe9_Lib.Extra\r\n"
			     "Version: 1.0+cpu\r\nAuthor: UNKNOWN\r\nAuthor-email: \"Zo\xc3\xab Q\" <z@q.org>, x <x@y>\r\n"
			     "License: MIT License\r\n  with a second line\r\n\r\nbody\n";
	g_assert_true (tu_pip_parse_metadata (latin1, strlen (latin1), "s/caf.egg-info", scan, &error));
	g_assert_no_error (error);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_true (g_utf8_validate (r->raw_name, -1, NULL));
	g_assert_cmpstr (r->raw_name, ==, "caf\xef\xbf\xbd_Lib.Extra"); /* U+FFFD, the rest kept */
	g_assert_cmpstr (r->raw_version, ==, "1.0+cpu");
	g_assert_cmpstr (r->raw_publisher, ==, "Zo\xc3\xab Q"); /* Author UNKNOWN: the email's name */
	g_assert_null (r->license);	  /* a folded License is licence text, not a name */
	g_assert_cmpstr (r->purl, ==, "pkg:pypi/caf%EF%BF%BD-lib-extra@1.0%2Bcpu");
	g_assert_cmpstr (r->location, ==, "s");

	const char *maint = "Name: a\nVersion: 2\nMaintainer: The Team\nAuthor-email: a@b\n"
			    "License-Expression: MIT OR Apache-2.0\nLicense: UNKNOWN\nName: second\n";
	g_assert_true (tu_pip_parse_metadata (maint, strlen (maint), "p/a.dist-info/METADATA", scan,
					      &error));
	r = tu_record_list_get (scan->records, 1);
	g_assert_cmpstr (r->raw_name, ==, "a"); /* the first Name wins, as in email.message */
	g_assert_cmpstr (r->raw_publisher, ==, "The Team");
	g_assert_cmpstr (r->license, ==, "MIT OR Apache-2.0");
	g_assert_cmpstr (r->location, ==, "p");

	const char *nopub = "Name: b\nVersion: 3\nAuthor-email: b@example.org\n";
	g_assert_true (tu_pip_parse_metadata (nopub, strlen (nopub), "b.egg-info", scan, &error));
	g_assert_null (tu_record_list_get (scan->records, 2)->raw_publisher);

	/* a huge field is cut to the field limit, never read past the buffer */
	gsize big = TU_SCAN_MAX_FIELD_BYTES * 2;
	g_autofree char *huge = g_malloc (big + 32);
	memcpy (huge, "Name: ", 6);
	memset (huge + 6, 'x', big);
	memcpy (huge + 6 + big, "\nVersion: 1\n", 12);
	g_assert_true (tu_pip_parse_metadata (huge, 6 + big + 12, "h", scan, &error));
	g_assert_cmpuint (strlen (tu_record_list_get (scan->records, 3)->raw_name), <=,
			  TU_SCAN_MAX_FIELD_BYTES);
}

static void
add_fixture (TuFs *fs, const char *rel, const char *at)
{
	g_autofree char *full = g_build_filename ("tests/fixtures/pip", rel, NULL);
	g_autofree char *path = tu_test_source_path (full);
	g_autoptr(GBytes) b = tu_test_read (path);
	tu_fs_snapshot_add (fs, at, b);
}

/* The finder on a host-like snapshot: two environments, lib64 as an alias of lib. */
static void
test_finder (void)
{
	g_autoptr(TuFs) fs = tu_fs_new_snapshot ("web01");
	const char *sp = "usr/lib/python3.11/site-packages";
	const char *sp64 = "usr/lib64/python3.11/site-packages";
	const char *user = "home/alice/.local/lib/python3.11/site-packages";
	const char *roots[] = {sp, sp64, user};
	for (guint i = 0; i < G_N_ELEMENTS (roots); i++) {
		g_autofree char *a = g_strdup_printf ("%s/Pygments-2.6.1.dist-info/METADATA", roots[i]);
		add_fixture (fs, "site-packages/partial.dist-info/METADATA", a);
		if (i == 2)
			break; /* alice has Pygments only */
		g_autofree char *b = g_strdup_printf ("%s/requests-2.22.0-py3.8.egg-info/PKG-INFO", roots[i]);
		add_fixture (fs, "site-packages/nested/egg-name/egg-info/PKG-INFO", b);
		g_autofree char *c = g_strdup_printf ("%s/Python-2.7.egg-info", roots[i]);
		add_fixture (fs, "Python-2.7.egg-info", c);
		g_autofree char *d = g_strdup_printf ("%s/no-version-py3.8.egg-info", roots[i]);
		add_fixture (fs, "site-packages/no-version/no-version-py3.8.egg-info", d);
		g_autofree char *e = g_strdup_printf ("%s/MXNET-1.8.0.EGG-INFO/PKG-INFO", roots[i]);
		add_fixture (fs, "site-packages/nested/egg-name/egg-info/PKG-INFO-INVALID", e);
		g_autofree char *f = g_strdup_printf ("%s/pygments/__init__.py", roots[i]);
		add_fixture (fs, "Python-2.7.egg-info", f); /* not metadata: ignored */
	}
	/* the same distribution as dist-info and egg-info side by side (Debian's
	 * python3-cryptography ships both): one installation */
	add_fixture (fs, "site-packages/partial.dist-info/METADATA",
		     "home/alice/.local/lib/python3.11/site-packages/Pygments.egg-info/PKG-INFO");
	/* a dist-packages of a second interpreter in /opt */
	add_fixture (fs, "site-packages/test/test.egg-info",
		     "opt/tool/lib/python3.9/dist-packages/requests-2.22.0.egg-info");

	g_autoptr(TuHostScan) scan = tu_host_scan_new ("ssh://web01");
	TuScanOptions opts = {0};
	tu_source_pip (fs, scan, &opts);
	g_assert_no_error (scan->error);
	for (guint i = 0; i < scan->warnings->len; i++)
		g_test_message ("warning: %s", tu_warnings_text (scan->warnings, i));
	/* lib: 4 distributions (no-version skipped), lib64 skipped as the same directory,
	 * alice: 1, /opt: 1 */
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 6);
	g_assert_nonnull (find (scan, "Pygments", "/usr/lib/python3.11/site-packages"));
	g_assert_nonnull (find (scan, "Pygments", "/home/alice/.local/lib/python3.11/site-packages"));
	g_assert_nonnull (find (scan, "requests", "/opt/tool/lib/python3.9/dist-packages"));
	g_assert_nonnull (find (scan, "mxnet", "/usr/lib/python3.11/site-packages"));
	g_assert_null (find (scan, "Pygments", "/usr/lib64/python3.11/site-packages"));
	g_assert_null (find (scan, "no-version", NULL));
	g_assert_true (warned (scan, "web01:/usr/lib/python3.11/site-packages/no-version-py3.8.egg-info:1: "
				     "package no-version: Version field missing (skipped)"));
	g_assert_true (warned (scan, "MXNET-1.8.0.EGG-INFO/PKG-INFO:5:"));
	g_assert_cmpuint (scan->warnings->len, ==, 2);

	/* lib64 with contents of its own (Fedora) is an environment of its own */
	g_autoptr(GBytes) extra = g_bytes_new_static ("Name: numpy\nVersion: 1.26.4\n", 28);
	tu_fs_snapshot_add (fs, "usr/lib64/python3.11/site-packages/numpy-1.26.4.dist-info/METADATA",
			    extra);
	g_autoptr(TuHostScan) scan2 = tu_host_scan_new ("ssh://web01");
	tu_source_pip (fs, scan2, &opts);
	g_assert_nonnull (find (scan2, "numpy", "/usr/lib64/python3.11/site-packages"));
	g_assert_nonnull (find (scan2, "Pygments", "/usr/lib64/python3.11/site-packages"));
	g_assert_cmpuint (tu_record_list_len (scan2->records), ==, 11);
}

/* This machine's dist-packages against importlib.metadata, distribution for distribution. */
static void
test_against_importlib (void)
{
	const char *dir = "/usr/lib/python3/dist-packages";
	if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ||
	    !g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		g_test_skip ("no /usr/bin/python3 or /usr/lib/python3/dist-packages");
		return;
	}
	const char *code = "import importlib.metadata as m, sys\n"
			   "for d in m.distributions(path=[sys.argv[1]]):\n"
			   "    n = d.metadata['Name']\n"
			   "    if n is not None and d.version is not None:\n"
			   "        print(n + '\\t' + d.version)\n";
	const char *argv[] = {"/usr/bin/python3", "-I", "-c", code, dir, NULL};
	g_autofree char *out = NULL;
	g_autoptr(GError) error = NULL;
	int status = 0;
	g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL, &status,
				     &error));
	g_assert_no_error (error);
	g_assert_true (g_spawn_check_wait_status (status, NULL));

	g_autoptr(TuFs) fs = tu_fs_new_root ("/", NULL);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("local");
	TuScanOptions opts = {0};
	tu_source_pip (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (g_strcmp0 (r->location, dir) == 0)
			g_hash_table_add (ours, g_strdup_printf ("%s\t%s", r->raw_name, r->raw_version));
	}
	g_autoptr(GHashTable) theirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (*lines[i] == '\0')
			continue;
		if (!g_hash_table_contains (ours, lines[i]))
			g_error ("importlib.metadata lists %s but the parser does not", lines[i]);
		g_hash_table_add (theirs, g_strdup (lines[i]));
	}
	GHashTableIter iter;
	gpointer key;
	g_hash_table_iter_init (&iter, ours);
	while (g_hash_table_iter_next (&iter, &key, NULL)) {
		if (!g_hash_table_contains (theirs, key))
			g_error ("the parser lists %s but importlib.metadata does not", (char *) key);
	}
	g_assert_cmpuint (g_hash_table_size (ours), >, 0);
	g_test_message ("%u distributions agree with importlib.metadata", g_hash_table_size (ours));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/pip/dist-info-metadata", test_dist_info);
	g_test_add_func ("/trueup/scan/pip/egg-info-pkg-info-and-single-file", test_egg_info);
	g_test_add_func ("/trueup/scan/pip/invalid-pkg-info-keeps-fields-before-stray-line",
			 test_invalid_keeps_header);
	g_test_add_func ("/trueup/scan/pip/bad-input-is-an-error-with-file-and-line",
			 test_errors_name_file_and_line);
	g_test_add_func ("/trueup/scan/pip/fields-encoding-fallbacks-purl", test_fields);
	g_test_add_func ("/trueup/scan/pip/finder-environments-and-lib64-alias", test_finder);
	g_test_add_func ("/trueup/scan/pip/agrees-with-importlib-metadata", test_against_importlib);
	return g_test_run ();
}
