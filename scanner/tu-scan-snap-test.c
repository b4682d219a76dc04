/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snap parser tests: Syft's snap manifest.yaml (same top-level keys as snap.yaml; values as in
 * Syft's snap cataloger tests), snap.yaml files in the shape snapcraft writes for the firefox
 * and core22 snaps (tests/fixtures/snap/root, with "current" symlinks as snapd makes them),
 * files that are not snap metadata, broken and hostile YAML.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static gboolean
parse_text (const char *text, TuHostScan *scan, GError **error)
{
	return tu_snap_parse_yaml (text, strlen (text), "s.yaml", scan, error);
}

static void
test_syft_manifest (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/snap/syft/manifest.yaml");
	g_autoptr(GBytes) b = tu_test_read (path);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_snap_parse_yaml (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path, scan,
					   &error));
	g_assert_no_error (error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpint (r->source, ==, TU_SOURCE_SNAP);
	g_assert_cmpstr (r->raw_name, ==, "pc");
	g_assert_cmpstr (r->raw_version, ==, "24-0.1");
	g_assert_cmpstr (r->arch, ==, "amd64");
	g_assert_null (r->kind);
	g_assert_null (r->location); /* not a meta/snap.yaml path */

	/* a base snap's dpkg.yaml lists Debian packages: it is not snap metadata */
	g_autofree char *dpkg = tu_test_source_path ("tests/fixtures/snap/syft/dpkg.yaml");
	g_autoptr(GBytes) d = tu_test_read (dpkg);
	g_autoptr(TuHostScan) s2 = tu_host_scan_new ("test");
	g_assert_false (tu_snap_parse_yaml (g_bytes_get_data (d, NULL), g_bytes_get_size (d), "dpkg.yaml",
					    s2, &error));
	g_assert_cmpstr (error->message, ==, "dpkg.yaml:1: name field missing");
	g_assert_cmpuint (tu_record_list_len (s2->records), ==, 0);
}

static void
test_finder (void)
{
	TuScanOptions opts = {0};
	g_autofree char *root = tu_test_source_path ("tests/fixtures/snap/root");
	g_autoptr(TuFs) fs = tu_fs_new_root (root, NULL);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	tu_source_snap (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 2);
	const TuRecord *core = tu_record_list_get (scan->records, 0);
	g_assert_cmpstr (core->raw_name, ==, "core22");
	g_assert_cmpstr (core->raw_version, ==, "20240408"); /* the quoted scalar's text */
	g_assert_cmpstr (core->kind, ==, "system");		/* type: base */
	g_assert_cmpstr (core->arch, ==, "amd64");
	g_assert_true (g_str_has_suffix (core->location, "/snap/core22/current"));
	const TuRecord *ff = tu_record_list_get (scan->records, 1);
	g_assert_cmpstr (ff->raw_name, ==, "firefox");
	g_assert_cmpstr (ff->raw_version, ==, "128.0.3-1");
	g_assert_null (ff->kind);
	g_assert_null (ff->raw_publisher);
	/* the broken one is skipped with a warning naming file and line */
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	const char *w = tu_warnings_text (scan->warnings, 0);
	g_assert_nonnull (strstr (w, "snap/broken/current/meta/snap.yaml:"));
	g_assert_nonnull (strstr (w, "(skipped)"));
}

static void
test_fields (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_assert_true (parse_text ("name: lxd\nversion: 5.21.1-2d13beb\npublisher: canonical\n"
				   "architectures: [amd64, arm64]\ntype: app\n",
				   scan, &error));
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpstr (r->raw_publisher, ==, "canonical");
	g_assert_cmpstr (r->arch, ==, "amd64,arm64");
	g_assert_null (r->kind);
	/* a number stays the text it was written as */
	g_assert_true (parse_text ("version: 1.10\nname: n\narchitectures: all\ntype: snapd\n", scan,
				   &error));
	r = tu_record_list_get (scan->records, 1);
	g_assert_cmpstr (r->raw_version, ==, "1.10");
	g_assert_cmpstr (r->arch, ==, "all");
	g_assert_cmpstr (r->kind, ==, "system");
	/* anchors and aliases are never expanded */
	g_assert_true (parse_text ("a: &x [1, 2]\nname: *x\nname2: n\n", scan, &error) == FALSE);
	g_assert_cmpstr (error->message, ==, "s.yaml:1: name field missing");
	g_clear_error (&error);
}

static void
test_bad (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_assert_false (parse_text ("name: a\nversion: [1\n", scan, &error));
	g_assert_true (g_str_has_prefix (error->message, "s.yaml:3: not valid YAML: "));
	g_clear_error (&error);
	g_assert_false (parse_text ("name: a\n", scan, &error));
	g_assert_cmpstr (error->message, ==, "s.yaml:1: snap a: version field missing");
	g_clear_error (&error);
	g_assert_false (parse_text ("name: a\nversion: 1\nname: b\n", scan, &error));
	g_assert_cmpstr (error->message, ==, "s.yaml:3: duplicate key name");
	g_clear_error (&error);
	g_assert_false (parse_text ("- name: a\n", scan, &error));
	g_assert_cmpstr (error->message, ==, "s.yaml:1: the document is not a mapping of keys");
	g_clear_error (&error);
	g_assert_false (parse_text ("", scan, &error));
	g_clear_error (&error);
	/* deep nesting is refused, not recursed into */
	GString *deep = g_string_new ("name: a\nversion: 1\nx: ");
	for (guint i = 0; i < 100000; i++)
		g_string_append_c (deep, '[');
	g_assert_false (parse_text (deep->str, scan, &error));
	g_assert_nonnull (strstr (error->message, "nested deeper than"));
	g_clear_error (&error);
	g_string_free (deep, TRUE);
	/* wrong encoding: Latin-1 bytes are not UTF-8, which libyaml refuses */
	const char latin1[] = "name: caf\xe9\nversion: 1\n";
	g_assert_false (tu_snap_parse_yaml (latin1, sizeof latin1 - 1, "s.yaml", scan, &error));
	g_assert_true (g_str_has_prefix (error->message, "s.yaml:1: not valid YAML: "));
	g_clear_error (&error);
	/* binary garbage */
	const char garbage[] = "\x00\x01\x02\xff\xfe: \x80";
	g_assert_false (tu_snap_parse_yaml (garbage, sizeof garbage - 1, "s.yaml", scan, &error));
	g_clear_error (&error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/snap/syft-manifest-and-dpkg-yaml", test_syft_manifest);
	g_test_add_func ("/trueup/scan/snap/finder-current-symlinks-and-broken-warning", test_finder);
	g_test_add_func ("/trueup/scan/snap/fields-publisher-arches-kind", test_fields);
	g_test_add_func ("/trueup/scan/snap/bad-yaml-is-an-error-with-line", test_bad);
	return g_test_run ();
}
