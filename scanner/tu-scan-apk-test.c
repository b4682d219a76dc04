/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apk parser tests on Syft's lib/apk/db/installed fixtures, with the values Syft's
 * parse_apk_db_test.go expects (name, version, origin, maintainer, arch, installed size,
 * licence), whole databases in order, and the corrupt one failing with file:line.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static TuHostScan *
parse_fixture (const char *rel, GError **error)
{
	g_autofree char *path = tu_test_source_path (rel);
	g_autoptr(GBytes) b = tu_test_read (path);
	TuHostScan *scan = tu_host_scan_new ("test");
	tu_apk_parse_installed (g_bytes_get_data (b, NULL), g_bytes_get_size (b), rel, scan, error);
	return scan;
}

static void
test_single (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuHostScan) scan = parse_fixture ("tests/fixtures/apk/single", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpint (r->source, ==, TU_SOURCE_APK);
	g_assert_cmpstr (r->raw_name, ==, "musl-utils");
	g_assert_cmpstr (r->raw_version, ==, "1.1.24-r2");
	g_assert_cmpstr (r->source_package, ==, "musl");
	g_assert_cmpstr (r->raw_publisher, ==, "Timo Teräs <timo.teras@iki.fi>");
	g_assert_cmpstr (r->arch, ==, "x86_64");
	g_assert_cmpint (r->size_bytes, ==, 151552);
	g_assert_cmpstr (r->license, ==, "MIT BSD GPL2+");
	g_assert_null (r->state);
}

static void
test_variants (void)
{
	static const struct {
		const char *file, *name, *version, *origin, *maintainer, *license;
		gint64 size;
	} cases[] = {
		{"tests/fixtures/apk/base", "alpine-baselayout", "3.2.0-r6", "alpine-baselayout",
		 "Natanael Copa <ncopa@alpinelinux.org>", "GPL-2.0-only", 409600},
		{"tests/fixtures/apk/empty-deps-and-provides", "alpine-baselayout-data", "3.4.0-r0",
		 "alpine-baselayout", "Natanael Copa <ncopa@alpinelinux.org>", "GPL-2.0-only", 77824},
		{"tests/fixtures/apk/extra-file-attributes", "openjdk8-jre", "8.212.04-r0", "openjdk8",
		 "Timo Teras <timo.teras@iki.fi>", "custom", 970752},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(TuHostScan) scan = parse_fixture (cases[i].file, &error);
		g_assert_no_error (error);
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
		const TuRecord *r = tu_record_list_get (scan->records, 0);
		g_assert_cmpstr (r->raw_name, ==, cases[i].name);
		g_assert_cmpstr (r->raw_version, ==, cases[i].version);
		g_assert_cmpstr (r->source_package, ==, cases[i].origin);
		g_assert_cmpstr (r->raw_publisher, ==, cases[i].maintainer);
		g_assert_cmpstr (r->license, ==, cases[i].license);
		g_assert_cmpint (r->size_bytes, ==, cases[i].size);
	}
}

static void
test_multiple (void)
{
	static const char *const expected1[] = {"bash 5.2.21-r0 bash 1396736",
						"busybox-binsh 1.36.1-r15 busybox 8192",
						"musl 1.2.4_git20230717-r4 musl 667648",
						"readline 8.2.1-r2 readline 303104", NULL};
	static const char *const expected2[] = {
		"alpine-baselayout-data 3.2.0-r22 alpine-baselayout 73728",
		"musl 1.2.3-r0 musl 622592",
		"busybox 1.35.0-r17 busybox 962560",
		"alpine-baselayout 3.2.0-r22 alpine-baselayout 348160",
		"alpine-keys 2.4-r1 alpine-keys 159744",
		"ca-certificates-bundle 20220614-r0 ca-certificates 233472",
		"libcrypto1.1 1.1.1q-r0 openssl 2772992",
		"libssl1.1 1.1.1q-r0 openssl 540672",
		"ssl_client 1.35.0-r17 busybox 28672",
		"zlib 1.2.12-r3 zlib 110592",
		"apk-tools 2.12.9-r3 apk-tools 307200",
		"scanelf 1.3.4-r0 pax-utils 94208",
		"musl-utils 1.2.3-r0 musl 135168",
		"libc-utils 0.7.2-r3 libc-dev 4096",
		NULL};
	const struct {
		const char *file;
		const char *const *expected;
	} dbs[] = {{"tests/fixtures/apk/multiple-1/lib/apk/db/installed", expected1},
		   {"tests/fixtures/apk/multiple-2/lib/apk/db/installed", expected2}};
	for (guint d = 0; d < G_N_ELEMENTS (dbs); d++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(TuHostScan) scan = parse_fixture (dbs[d].file, &error);
		g_assert_no_error (error);
		guint n = g_strv_length ((char **) dbs[d].expected);
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, n);
		for (guint i = 0; i < n; i++) {
			const TuRecord *r = tu_record_list_get (scan->records, i);
			g_autofree char *got = g_strdup_printf ("%s %s %s %" G_GINT64_FORMAT, r->raw_name,
								r->raw_version, r->source_package,
								r->size_bytes);
			g_assert_cmpstr (got, ==, dbs[d].expected[i]);
			g_assert_cmpstr (r->arch, ==, "x86_64");
		}
	}
}

static void
test_corrupt (void)
{
	g_autoptr(GError) error = NULL;
	const char *rel = "tests/fixtures/apk/corrupt/lib/apk/db/installed";
	g_autoptr(TuHostScan) scan = parse_fixture (rel, &error);
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_autofree char *want = g_strdup_printf ("%s:1: \"this is a corrupt db\" is not a field", rel);
	g_assert_true (g_str_has_prefix (error->message, want));
	g_clear_error (&error);

	g_autoptr(TuHostScan) s2 = tu_host_scan_new ("test");
	const char *noversion = "P:a\nV:1\n\nP:b\nA:x86_64\n";
	g_assert_false (tu_apk_parse_installed (noversion, strlen (noversion), "i", s2, &error));
	g_assert_cmpstr (error->message, ==, "i:4: package b: V: (version) field missing");
	g_clear_error (&error);

	const char *noname = "V:1\nA:x86_64\n";
	g_assert_false (tu_apk_parse_installed (noname, strlen (noname), "i", s2, &error));
	g_assert_cmpstr (error->message, ==, "i:1: package entry without a P: (name) field");
	g_clear_error (&error);

	const char *dup = "P:a\nV:1\nV:2\n";
	g_assert_false (tu_apk_parse_installed (dup, strlen (dup), "i", s2, &error));
	g_assert_cmpstr (error->message, ==, "i:3: duplicate field V: in one package");
	g_clear_error (&error);

	/* truncated in the middle of a field name: "P" alone is not X:value */
	const char *truncated = "P:a\nV:1\n\nP";
	g_assert_false (tu_apk_parse_installed (truncated, strlen (truncated), "i", s2, &error));
	g_assert_true (g_str_has_prefix (error->message, "i:4: "));
	g_clear_error (&error);

	/* wrong encoding and control characters are cleaned, CRLF accepted */
	const char latin1[] = "P:caf\xe9\r\nV:1.0\x01-r0\r\nm:Ren\xe9 <r@example.org>\r\nI:huge\r\n";
	g_autoptr(TuHostScan) s3 = tu_host_scan_new ("test");
	g_assert_true (tu_apk_parse_installed (latin1, sizeof latin1 - 1, "i", s3, &error));
	g_assert_no_error (error);
	const TuRecord *r = tu_record_list_get (s3->records, 0);
	g_assert_true (g_utf8_validate (r->raw_name, -1, NULL));
	g_assert_cmpstr (r->raw_version, ==, "1.0-r0");
	g_assert_cmpint (r->size_bytes, ==, -1);
	g_assert_cmpuint (s3->warnings->len, ==, 1); /* the size that is not a number */
}

static void
test_finder (void)
{
	TuScanOptions opts = {0};
	g_autofree char *root = tu_test_source_path ("tests/fixtures/apk/multiple-2");
	g_autoptr(TuFs) fs = tu_fs_new_root (root, NULL);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	tu_source_apk (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 14);

	/* a corrupt database fails the host, naming the file and line */
	g_autofree char *bad = tu_test_source_path ("tests/fixtures/apk/corrupt");
	g_autoptr(TuFs) fs2 = tu_fs_new_root (bad, NULL);
	g_autoptr(TuHostScan) scan2 = tu_host_scan_new ("test");
	tu_source_apk (fs2, scan2, &opts);
	g_assert_nonnull (scan2->error);
	g_assert_nonnull (strstr (scan2->error->message, "lib/apk/db/installed:1:"));

	/* no apk at all: nothing, no error */
	g_autofree char *none = tu_test_source_path ("tests/fixtures/apk/multiple-1/lib");
	g_autoptr(TuFs) fs3 = tu_fs_new_root (none, NULL);
	g_autoptr(TuHostScan) scan3 = tu_host_scan_new ("test");
	tu_source_apk (fs3, scan3, &opts);
	g_assert_no_error (scan3->error);
	g_assert_cmpuint (tu_record_list_len (scan3->records), ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/apk/single-package-fields", test_single);
	g_test_add_func ("/trueup/scan/apk/base-empty-deps-extra-attributes", test_variants);
	g_test_add_func ("/trueup/scan/apk/whole-databases-in-order", test_multiple);
	g_test_add_func ("/trueup/scan/apk/corrupt-is-an-error-with-line", test_corrupt);
	g_test_add_func ("/trueup/scan/apk/finder", test_finder);
	return g_test_run ();
}
