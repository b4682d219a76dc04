/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Distribution package indexes: the three parsers on real records and on broken ones (a
 * record without Package or Version, a line that is no field, a bad Source: a warning naming
 * file, line and field, and the rest read), the decompressors on the real Debian 12 cut of
 * tests/fixtures/debian-packages (gzip, xz, lz4, as apt and the archive keep them) and an
 * APKINDEX tarball, the Release file that names the release, and then the whole path on the
 * embedded store: the demo's Debian 12 packages judged by patch before and after the index
 * is imported (advisory fixes without it, the index's versions with it, by dpkg's order), a
 * re-import replacing the index and a failed one leaving it.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog.h"
#include "tu-common.h"
#include "tu-osv.h"
#include "tu-patch.h"
#include "tu-pkgindex.h"
#include "tu-query.h"
#include "tu-store.h"
#include "tu-test-store.h"

static char *dir = NULL;

static char *
write_file (const char *name, const char *text, gssize len)
{
	char *path = g_build_filename (dir, name, NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true (g_file_set_contents (path, text, len, &error));
	g_assert_no_error (error);
	return path;
}

static GPtrArray *
parse (TuPkgIndexFormat format, const char *text, TuWarnings *warnings)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *entries =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_pkgindex_entry_free);
	g_assert_true (tu_pkgindex_parse (format, "Packages", text, strlen (text), entries,
					  warnings, &error));
	g_assert_no_error (error);
	return entries;
}

static const TuPkgIndexEntry *
find (GPtrArray *entries, const char *name)
{
	for (guint i = 0; i < entries->len; i++) {
		const TuPkgIndexEntry *e = g_ptr_array_index (entries, i);
		if (strcmp (e->name, name) == 0)
			return e;
	}
	return NULL;
}

/* stanzas as bookworm-security publishes them (fields trimmed), and broken ones */
static const char deb_packages[] =
	"Package: libssl3\n"
	"Source: openssl\n"
	"Version: 3.0.17-1~deb12u2\n"
	"Installed-Size: 6171\n"
	"Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>\n"
	"Architecture: amd64\n"
	"Description: Secure Sockets Layer toolkit - shared libraries\n"
	" This package is part of the OpenSSL project's implementation of the SSL and TLS\n"
	" .\n"
	" It provides the libssl and libcrypto shared libraries.\n"
	"\n"
	"Package: libpython3.11-minimal\n"
	"Source: python3.11 (3.11.2-6+deb12u6)\n"
	"Version: 3.11.2-6+deb12u6\n"
	"Architecture: amd64\n"
	"\n"
	"Package: perl-base\n"
	"Source: perl\n"
	"Architecture: amd64\n"
	"\n" /* line 17: Version missing */
	"Source: lonely\n"
	"Version: 1.0-1\n"
	"\n" /* line 20: Package missing */
	"Package: bad-version\n"
	"Version: 1.0 beta\n"
	"\n"
	"Package: bad-source\n"
	"Source: foo (1.0\n"
	"Version: 1.0-1\n"
	"\n"
	"Package: not-a-field\n"
	"Version: 2.0-1\n"
	"this line has no colon\n"
	"\n"
	"Package: tzdata\n"
	"Version: 2025b-0+deb12u1\n"
	"Architecture: all\n";

static void
test_deb_records_and_warnings (void)
{
	g_autoptr(TuWarnings) w = tu_warnings_new ();
	g_autoptr(GPtrArray) entries = parse (TU_PKGINDEX_DEB, deb_packages, w);
	g_assert_cmpuint (entries->len, ==, 3);
	const TuPkgIndexEntry *ssl = find (entries, "libssl3");
	g_assert_nonnull (ssl);
	g_assert_cmpstr (ssl->version, ==, "3.0.17-1~deb12u2");
	g_assert_cmpstr (ssl->source, ==, "openssl");
	/* no version in Source: the binary's */
	g_assert_cmpstr (ssl->source_version, ==, "3.0.17-1~deb12u2");
	g_assert_cmpstr (ssl->arch, ==, "amd64");
	g_assert_cmpuint (ssl->line, ==, 1);
	const TuPkgIndexEntry *py = find (entries, "libpython3.11-minimal");
	g_assert_cmpstr (py->source, ==, "python3.11");
	g_assert_cmpstr (py->source_version, ==, "3.11.2-6+deb12u6");
	const TuPkgIndexEntry *tz = find (entries, "tzdata");
	g_assert_cmpstr (tz->source, ==, "tzdata");
	g_assert_cmpstr (tz->arch, ==, "all");
	g_assert_null (find (entries, "perl-base"));
	g_assert_null (find (entries, "bad-version"));
	g_assert_null (find (entries, "not-a-field"));

	g_assert_cmpuint (w->len, ==, 5);
	g_assert_cmpstr (tu_warnings_text (w, 0), ==,
			 "Packages:17: Version: package perl-base has no version (skipped)");
	g_assert_cmpstr (tu_warnings_text (w, 1), ==,
			 "Packages:21: Package: a record without a package name (skipped)");
	g_assert_cmpstr (tu_warnings_text (w, 2), ==,
			 "Packages:25: Version: package bad-version: \"1.0 beta\" is not a dpkg "
			 "version (skipped)");
	g_assert_cmpstr (tu_warnings_text (w, 3), ==,
			 "Packages:28: Source: \"foo (1.0\" is not \"NAME (VERSION)\"");
	g_assert_cmpstr (tu_warnings_text (w, 4), ==,
			 "Packages:33: \"this line has no colon\" is not a \"Field: value\" line "
			 "(record skipped)");
}

static void
test_not_an_index (void)
{
	g_autoptr(TuWarnings) w = tu_warnings_new ();
	g_autoptr(GPtrArray) entries =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_pkgindex_entry_free);
	g_autoptr(GError) error = NULL;
	static const char binary[] = "\x89PNG\r\n\x1a\n\xff\xfe";
	g_assert_false (tu_pkgindex_parse (TU_PKGINDEX_DEB, "x.png", binary, sizeof binary - 1,
					   entries, w, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (error->message, "x.png: not UTF-8"));
	g_clear_error (&error);
	static const char prose[] = "just some words\nno fields at all\n";
	g_assert_false (tu_pkgindex_parse (TU_PKGINDEX_DEB, "notes.txt", prose, sizeof prose - 1,
					   entries, w, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_clear_error (&error);
	static const char xml[] = "<metadata><packag";
	g_assert_false (tu_pkgindex_parse (TU_PKGINDEX_RPM, "primary.xml", xml, sizeof xml - 1,
					   entries, w, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (error->message, "primary.xml: not RPM repodata XML"));
	g_clear_error (&error);
	/* a gzip stream cut short is an error, not a shorter index */
	g_autoptr(GBytes) cut = g_bytes_new_static ("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x0b",
						    11);
	g_autoptr(GBytes) none = tu_pkgindex_decompress ("Packages.gz", cut, 1024, &error);
	g_assert_null (none);
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_cmpuint (entries->len, ==, 0);
}

/* records as Alpine's APKINDEX (and the installed db syft's alpine fixture has) write them */
static const char apkindex[] =
	"C:Q1Ef6KxgPJWZ7wGr0cU1+Tm2nPb4k=\n"
	"P:musl\n"
	"V:1.2.3-r4\n"
	"A:x86_64\n"
	"S:383152\n"
	"o:musl\n"
	"\n"
	"C:Q1abc=\n"
	"P:libcrypto3\n"
	"V:3.1.4-r5\n"
	"A:x86_64\n"
	"o:openssl\n"
	"\n"
	"C:Q1def=\n"
	"P:noversion\n"
	"A:x86_64\n"
	"\n"
	"garbage line\n"
	"P:after-garbage\n"
	"V:1.0-r0\n";

static void
test_apk_records_and_warnings (void)
{
	g_autoptr(TuWarnings) w = tu_warnings_new ();
	g_assert_cmpint (tu_pkgindex_sniff (apkindex, sizeof apkindex - 1), ==, TU_PKGINDEX_APK);
	g_autoptr(GPtrArray) entries = parse (TU_PKGINDEX_APK, apkindex, w);
	g_assert_cmpuint (entries->len, ==, 2);
	const TuPkgIndexEntry *c = find (entries, "libcrypto3");
	g_assert_cmpstr (c->version, ==, "3.1.4-r5");
	g_assert_cmpstr (c->source, ==, "openssl");
	g_assert_cmpstr (c->source_version, ==, "3.1.4-r5");
	g_assert_cmpuint (c->line, ==, 8);
	g_assert_cmpuint (w->len, ==, 2);
	g_assert_cmpstr (tu_warnings_text (w, 0), ==,
			 "Packages:14: V: package noversion has no version (skipped)");
	g_assert_cmpstr (tu_warnings_text (w, 1), ==,
			 "Packages:18: \"garbage line\" is not a \"X:value\" line (record "
			 "skipped)");
}

/* a primary.xml package as AlmaLinux 9's repodata writes it, a source package and a
 * package without a version */
static const char primary_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
	"xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"3\">\n"
	"<package type=\"rpm\">\n"
	"  <name>openssl-libs</name>\n"
	"  <arch>x86_64</arch>\n"
	"  <version epoch=\"1\" ver=\"3.0.7\" rel=\"27.el9\"/>\n"
	"  <format>\n"
	"    <rpm:license>ASL 2.0</rpm:license>\n"
	"    <rpm:sourcerpm>openssl-3.0.7-27.el9.src.rpm</rpm:sourcerpm>\n"
	"  </format>\n"
	"</package>\n"
	"<package type=\"rpm\">\n"
	"  <name>bash</name>\n"
	"  <arch>src</arch>\n"
	"  <version epoch=\"0\" ver=\"5.1.8\" rel=\"9.el9\"/>\n"
	"</package>\n"
	"<package type=\"rpm\">\n"
	"  <name>nover</name>\n"
	"  <arch>noarch</arch>\n"
	"</package>\n"
	"</metadata>\n";

static void
test_rpm_records_and_warnings (void)
{
	g_autoptr(TuWarnings) w = tu_warnings_new ();
	g_assert_cmpint (tu_pkgindex_sniff (primary_xml, sizeof primary_xml - 1), ==,
			 TU_PKGINDEX_RPM);
	g_autoptr(GPtrArray) entries = parse (TU_PKGINDEX_RPM, primary_xml, w);
	g_assert_cmpuint (entries->len, ==, 1);
	const TuPkgIndexEntry *e = g_ptr_array_index (entries, 0);
	g_assert_cmpstr (e->name, ==, "openssl-libs");
	g_assert_cmpstr (e->version, ==, "1:3.0.7-27.el9");
	g_assert_cmpstr (e->arch, ==, "x86_64");
	g_assert_cmpstr (e->source, ==, "openssl");
	g_assert_cmpstr (e->source_version, ==, "3.0.7-27.el9");
	g_assert_cmpuint (e->line, ==, 3);
	g_assert_cmpuint (w->len, ==, 1);
	g_assert_cmpstr (tu_warnings_text (w, 0), ==,
			 "Packages:17: version: package nover has no version (skipped)");
}

/* The real Debian 12 cut in its three compressions, each read to the same stanzas that
 * `zcat`, `xz -dc` and `lz4 -dc` give (counted by "Package:" lines). */
static void
test_real_indexes_decompressed (void)
{
	static const struct {
		const char *file;
		guint n_packages;
	} cases[] = {
		{"deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.gz", 514},
		{"deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.xz", 7},
		{"deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_"
		 "Packages.lz4",
		 87},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *rel =
			g_strdup_printf ("tests/fixtures/debian-packages/%s", cases[i].file);
		g_autofree char *path = tu_test_source_path (rel);
		g_autoptr(GBytes) raw = tu_test_read (path);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) plain =
			tu_pkgindex_decompress (path, raw, TU_PKGINDEX_MAX_SIZE, &error);
		g_assert_no_error (error);
		gsize len = 0;
		const char *data = g_bytes_get_data (plain, &len);
		g_assert_cmpint (tu_pkgindex_sniff (data, len), ==, TU_PKGINDEX_DEB);
		g_autoptr(TuWarnings) w = tu_warnings_new ();
		g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (
			(GDestroyNotify) tu_pkgindex_entry_free);
		g_assert_true (tu_pkgindex_parse (TU_PKGINDEX_DEB, path, data, len, entries, w,
						  &error));
		g_assert_no_error (error);
		g_assert_cmpuint (w->len, ==, 0);
		g_assert_cmpuint (entries->len, ==, cases[i].n_packages);
		/* the Release beside it, by apt's naming, names Debian 12 */
		g_autofree char *release_file = tu_pkgindex_find_release (path);
		g_assert_nonnull (release_file);
		g_assert_true (g_str_has_suffix (release_file, "_InRelease"));
		g_autoptr(GBytes) rb = tu_test_read (release_file);
		g_autofree char *distro = NULL;
		g_autofree char *release = NULL;
		gsize rlen = 0;
		const char *rdata = g_bytes_get_data (rb, &rlen);
		g_assert_true (tu_pkgindex_parse_release (release_file, rdata, rlen, &distro,
							  &release, &error));
		g_assert_no_error (error);
		g_assert_cmpstr (distro, ==, "debian");
		g_assert_cmpstr (release, ==, "12");
	}
}

/* A tar header for @name of @size bytes (ustar, checksum as tar writes it). */
static void
tar_header (GByteArray *tar, const char *name, gsize size)
{
	guint8 h[512] = {0};
	g_strlcpy ((char *) h, name, 100);
	memcpy (h + 100, "0000644", 7);
	g_autofree char *sz = g_strdup_printf ("%011" G_GSIZE_MODIFIER "o", size);
	memcpy (h + 124, sz, 11);
	memcpy (h + 136, "00000000000", 11);
	h[156] = '0';
	memcpy (h + 257, "ustar", 6);
	memcpy (h + 263, "00", 2);
	memset (h + 148, ' ', 8);
	guint sum = 0;
	for (guint i = 0; i < 512; i++)
		sum += h[i];
	g_autofree char *cs = g_strdup_printf ("%06o", sum);
	memcpy (h + 148, cs, 6);
	h[154] = '\0';
	g_byte_array_append (tar, h, 512);
}

/* APKINDEX.tar.gz: a signature member, then DESCRIPTION and APKINDEX, each gzip member on its
 * own as apk writes them; the APKINDEX member is what is read. */
static void
test_apkindex_tarball (void)
{
	g_autoptr(GByteArray) sig = g_byte_array_new ();
	tar_header (sig, ".SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", 3);
	guint8 pad[512] = {'s', 'i', 'g'};
	g_byte_array_append (sig, pad, 512);
	g_autoptr(GByteArray) idx = g_byte_array_new ();
	tar_header (idx, "DESCRIPTION", 14);
	guint8 desc[512] = {0};
	memcpy (desc, "v3.18.4-0-g00", 14);
	g_byte_array_append (idx, desc, 512);
	gsize alen = sizeof apkindex - 1;
	tar_header (idx, "APKINDEX", alen);
	g_byte_array_append (idx, (const guint8 *) apkindex, (guint) alen);
	guint8 zeros[1024] = {0};
	g_byte_array_append (idx, zeros, (guint) ((512 - alen % 512) % 512));
	g_byte_array_append (idx, zeros, 1024);
	/* gzip each with the gzip tool, as apk's abuild-tar | gzip does */
	g_autofree char *sig_path = write_file ("sig.tar", (const char *) sig->data, sig->len);
	g_autofree char *idx_path = write_file ("idx.tar", (const char *) idx->data, idx->len);
	g_autofree char *cmd = g_strdup_printf ("sh -c 'gzip -n -c %s %s > %s/APKINDEX.tar.gz'",
						sig_path, idx_path, dir);
	g_autoptr(GError) error = NULL;
	int status = 0;
	g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error));
	g_assert_no_error (error);
	g_assert_cmpint (status, ==, 0);
	g_autofree char *tgz = g_build_filename (dir, "APKINDEX.tar.gz", NULL);
	g_autoptr(GBytes) raw = tu_test_read (tgz);
	g_autoptr(GBytes) plain = tu_pkgindex_decompress (tgz, raw, TU_PKGINDEX_MAX_SIZE, &error);
	g_assert_no_error (error);
	gsize len = 0;
	const char *data = g_bytes_get_data (plain, &len);
	g_assert_cmpuint (len, ==, alen);
	g_assert_true (memcmp (data, apkindex, alen) == 0);
}

static void
test_release_keys (void)
{
	static const char *const cases[][3] = {
		{"debian", "12", "12"},
		{"debian", "12.8", "12"},
		{"ubuntu", "22.04", "22.04"},
		{"alpine", "3.18.4", "3.18"},
		{"alpine", "v3.18", "3.18"},
		{"almalinux", "9.3", "9"},
		{"rhel", "8.10", "8"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *key = tu_distro_release_key (cases[i][0], cases[i][1]);
		g_assert_cmpstr (key, ==, cases[i][2]);
	}
	g_autofree char *none = tu_distro_release_key ("debian", "bookworm");
	g_assert_null (none);
	/* an Ubuntu Release (its first lines as archive.ubuntu.com serves jammy-updates) */
	static const char ubuntu[] = "Origin: Ubuntu\nLabel: Ubuntu\nSuite: jammy-updates\n"
				     "Version: 22.04\nCodename: jammy\n"
				     "Date: Thu, 04 Dec 2025 12:00:00 UTC\n";
	g_autofree char *distro = NULL;
	g_autofree char *release = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_pkgindex_parse_release ("Release", ubuntu, sizeof ubuntu - 1, &distro,
						  &release, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (distro, ==, "ubuntu");
	g_assert_cmpstr (release, ==, "22.04");
	/* no Version (Debian's backports): the release cannot be told */
	static const char noversion[] = "Origin: Debian Backports\nSuite: bookworm-backports\n";
	g_autofree char *d2 = NULL;
	g_autofree char *r2 = NULL;
	g_assert_false (tu_pkgindex_parse_release ("Release", noversion, sizeof noversion - 1, &d2,
						   &r2, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (error->message, "give --distro"));
}

/* ------------------------------------------------------------ store and patch ----------- */

static void
add (TuHostScan *scan, const char *name, const char *version, const char *source_package,
     const char *maintainer)
{
	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_DPKG;
	r.raw_name = name;
	r.raw_version = version;
	r.source_package = source_package;
	r.raw_publisher = maintainer;
	tu_record_list_add (scan->records, &r);
}

typedef struct {
	GHashTable *rows; /* raw_name -> "latest|behind|support" */
	GHashTable *basis;
} Collected;

static gboolean
collect (const TuPatchRow *row, gpointer user_data, GError **error)
{
	Collected *c = user_data;
	g_hash_table_insert (c->rows, g_strdup (row->raw_name),
			     g_strdup_printf ("%s|%d|%s", row->latest ? row->latest : "",
					      row->behind, row->support));
	g_hash_table_insert (c->basis, g_strdup (row->raw_name),
			     g_strdup (row->support_basis ? row->support_basis : ""));
	return TRUE;
}

static Collected
run_patch (TuDb *db)
{
	Collected c = {g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
		       g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free)};
	TuPatchOptions opts = {.sorted = TRUE};
	g_assert_true (tu_date_parse ("2026-12-01", &opts.at, "at", NULL));
	TuPatchStats st;
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_patch_run (db, &opts, collect, &c, &st, &error));
	g_assert_no_error (error);
	return c;
}

static void
collected_clear (Collected *c)
{
	g_hash_table_unref (c->rows);
	g_hash_table_unref (c->basis);
}

static guint
stored_count (TuDb *db, const char *distro, const char *release)
{
	g_autoptr(TuRows) rows = tu_query_pkgindex (db, distro, release);
	g_autoptr(GError) error = NULL;
	guint n = 0;
	while (tu_rows_next (rows, &error) != NULL)
		n++;
	g_assert_no_error (error);
	return n;
}

static const char dsa_json[] =
	"{\"schema_version\": \"1.6.0\", \"id\": \"DSA-5764-1\", \"modified\": "
	"\"2024-09-03T00:00:00Z\", \"aliases\": [\"CVE-2024-5535\"], \"affected\": [{\"package\": "
	"{\"ecosystem\": \"Debian:12\", \"name\": \"openssl\"}, \"ranges\": [{\"type\": "
	"\"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": "
	"\"3.0.14-1~deb12u1\"}]}]}]}\n";

/* The demo's lon-db-01 (Debian 12): openssl and libssl3 3.0.14-1~deb12u2, perl-base
 * 5.36.0-7+deb12u4, postgresql-15 15.8-0+deb12u1. Hand-checked against the cut of Debian's
 * lists (2026-12-06): openssl is 3.0.20-1~deb12u2 in bookworm, 3.0.17-1~deb12u2 in
 * bookworm-updates and 3.0.22-1~deb12u2 in bookworm-security, all newer than 3.0.14-1~deb12u2
 * by `dpkg --compare-versions`: latest 3.0.22-1~deb12u2, 3 behind. perl-base is
 * 5.36.0-7+deb12u3 in bookworm and 5.36.0-7+deb12u4 in bookworm-security: current. */
static void
test_patch_latest_from_index (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new (NULL, &error);
	g_assert_no_error (error);
	{
		g_autoptr(TuStore) store = tu_store_new (db, norm);
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("import:test");
		tu_host_facts_set (&scan->facts.hostname, "lon-db-01");
		tu_host_facts_set (&scan->facts.os_id, "debian");
		tu_host_facts_set (&scan->facts.os_name, "Debian GNU/Linux");
		tu_host_facts_set (&scan->facts.os_version_id, "12");
		const char *deb = "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>";
		add (scan, "openssl", "3.0.14-1~deb12u2", "openssl", deb);
		add (scan, "libssl3", "3.0.14-1~deb12u2", "openssl", deb);
		add (scan, "perl-base", "5.36.0-7+deb12u4", "perl",
		     "Niko Tyni <ntyni@debian.org>");
		add (scan, "postgresql-15", "15.8-0+deb12u1", "postgresql-15",
		     "Debian PostgreSQL Maintainers <team+postgresql@tracker.debian.org>");
		TuStoreStats sst;
		g_assert_true (tu_store_host_scan (store, scan, &sst, &error));
		g_assert_no_error (error);
	}
	g_autofree char *catalog = tu_test_source_path ("examples/demo/feeds/endoflife");
	TuCatalogImportStats cst = {0};
	g_autoptr(TuWarnings) messages = tu_warnings_new ();
	g_assert_true (tu_catalog_import (db, norm, catalog, &cst, messages, &error));
	g_assert_no_error (error);
	g_autofree char *osv = write_file ("dsa.json", dsa_json, -1);
	TuOsvImportStats ost = {0};
	g_assert_true (tu_osv_import (db, osv, &ost, messages, &error));
	g_assert_no_error (error);

	/* no index: openssl's latest is from Debian's advisory (installed above its fix) */
	Collected before = run_patch (db);
	g_assert_cmpstr (g_hash_table_lookup (before.rows, "openssl"), ==,
			 "3.0.14-1~deb12u2|0|security-only");
	g_assert_null (strstr (g_hash_table_lookup (before.basis, "openssl"), "package index"));
	collected_clear (&before);

	/* the three suites of Debian 12 in one import, the release from their InRelease files */
	g_autofree char *fixtures = tu_test_source_path ("tests/fixtures/debian-packages");
	g_autofree char *main_gz = g_build_filename (
		fixtures, "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.gz",
		NULL);
	g_autofree char *updates_xz = g_build_filename (
		fixtures,
		"deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.xz", NULL);
	g_autofree char *security_lz4 = g_build_filename (
		fixtures,
		"deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages."
		"lz4",
		NULL);
	const char *const all[] = {main_gz, updates_xz, security_lz4, NULL};
	TuPkgIndexImportStats ist = {0};
	g_assert_true (tu_pkgindex_import (db, NULL, all, &ist, messages, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (messages->len, ==, 0);
	g_assert_cmpuint (ist.n_files, ==, 3);
	g_assert_cmpuint (ist.n_records, ==, 608);
	g_assert_cmpuint (ist.n_releases, ==, 1);
	guint n_all = stored_count (db, "debian", "12");
	g_assert_cmpuint (n_all, ==, ist.n_packages);

	Collected after = run_patch (db);
	g_assert_cmpstr (g_hash_table_lookup (after.rows, "openssl"), ==,
			 "3.0.22-1~deb12u2|3|security-only");
	g_assert_cmpstr (g_hash_table_lookup (after.rows, "libssl3"), ==,
			 "3.0.22-1~deb12u2|3|security-only");
	g_assert_cmpstr (g_hash_table_lookup (after.rows, "perl-base"), ==,
			 "5.36.0-7+deb12u4|0|security-only");
	g_assert_cmpstr (g_hash_table_lookup (after.basis, "openssl"), ==,
			 "Debian 12 (Bookworm), Debian LTS until 2028-06-30 (distribution "
			 "package); latest and behind from the package index (debian 12)");
	collected_clear (&after);

	/* an InRelease given as an index (a glob of apt's lists takes it) is refused, naming it */
	g_autofree char *inrelease =
		g_build_filename (fixtures, "deb.debian.org_debian_dists_bookworm_InRelease", NULL);
	const char *const with_release[] = {main_gz, inrelease, NULL};
	g_autoptr(TuWarnings) m1 = tu_warnings_new ();
	g_assert_false (tu_pkgindex_import (db, NULL, with_release, &ist, m1, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (error->message, "a Release file, not a package index"));
	g_clear_error (&error);
	g_assert_cmpuint (stored_count (db, "debian", "12"), ==, n_all);

	/* a failed import (the second file is not an index) leaves the stored index whole */
	g_autofree char *junk = write_file ("Packages", "\xff\xfe not text", -1);
	const char *const failing[] = {security_lz4, junk, NULL};
	g_autoptr(TuWarnings) m2 = tu_warnings_new ();
	g_assert_false (tu_pkgindex_import (db, "debian:12", failing, &ist, m2, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_clear_error (&error);
	g_assert_cmpuint (stored_count (db, "debian", "12"), ==, n_all);

	/* importing only bookworm-security replaces the index: openssl is then one behind */
	const char *const security_only[] = {security_lz4, NULL};
	g_assert_true (tu_pkgindex_import (db, "debian:12", security_only, &ist, m2, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (stored_count (db, "debian", "12"), ==, 87);
	Collected again = run_patch (db);
	g_assert_cmpstr (g_hash_table_lookup (again.rows, "openssl"), ==,
			 "3.0.22-1~deb12u2|1|security-only");
	collected_clear (&again);
}

/* An APKINDEX.tar.gz names no release: --distro gives it (alpine:3.16.2 is stored as 3.16). */
static void
test_apk_import_needs_distro (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autofree char *tgz = tu_test_source_path ("tests/fixtures/apk-index/APKINDEX.tar.gz");
	const char *const files[] = {tgz, NULL};
	TuPkgIndexImportStats st = {0};
	g_autoptr(TuWarnings) w = tu_warnings_new ();
	g_autoptr(GError) error = NULL;
	g_assert_false (tu_pkgindex_import (db, NULL, files, &st, w, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_USAGE);
	g_assert_nonnull (strstr (error->message, "give --distro"));
	g_clear_error (&error);
	/* a Debian release cannot hold apk versions */
	g_assert_false (tu_pkgindex_import (db, "debian:12", files, &st, w, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_clear_error (&error);
	g_assert_true (tu_pkgindex_import (db, "alpine:3.16.2", files, &st, w, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (w->len, ==, 0);
	g_assert_cmpuint (st.n_packages, ==, 14);
	g_assert_cmpuint (stored_count (db, "alpine", "3.16"), ==, 14);
}

static const char alsa_json[] =
	"{\"schema_version\": \"1.6.0\", \"id\": \"ALSA-2023:7877\", \"modified\": "
	"\"2024-01-02T00:00:00Z\", \"summary\": \"Low: openssl security update\", "
	"\"related\": [\"CVE-2023-3446\"], \"affected\": [{\"package\": {\"ecosystem\": "
	"\"AlmaLinux:9\", \"name\": \"openssl-libs\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", "
	"\"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1:3.0.7-25.el9_3\"}]}]}]}\n";

/* an AlmaLinux 9 repository's primary.xml: openssl-libs in three builds (one in two
 * architectures) and a package the host does not have */
static const char alma_primary[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
	"xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"5\">\n"
	"<package type=\"rpm\"><name>openssl-libs</name><arch>x86_64</arch>"
	"<version epoch=\"1\" ver=\"3.0.7\" rel=\"24.el9\"/></package>\n"
	"<package type=\"rpm\"><name>openssl-libs</name><arch>x86_64</arch>"
	"<version epoch=\"1\" ver=\"3.0.7\" rel=\"25.el9_3\"/></package>\n"
	"<package type=\"rpm\"><name>openssl-libs</name><arch>x86_64</arch>"
	"<version epoch=\"1\" ver=\"3.0.7\" rel=\"27.el9\"/></package>\n"
	"<package type=\"rpm\"><name>openssl-libs</name><arch>i686</arch>"
	"<version epoch=\"1\" ver=\"3.0.7\" rel=\"27.el9\"/></package>\n"
	"<package type=\"rpm\"><name>zlib</name><arch>x86_64</arch>"
	"<version epoch=\"0\" ver=\"1.2.11\" rel=\"40.el9\"/></package>\n"
	"</metadata>\n";

/* An AlmaLinux 9.3 host's openssl-libs 1:3.0.7-24.el9 (vulnerable by ALSA-2023:7877) is two
 * behind its repository's 1:3.0.7-27.el9 by rpm's order, the i686 build of the same version
 * counting once. */
static void
test_patch_rpm_index (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new (NULL, &error);
	g_assert_no_error (error);
	{
		g_autoptr(TuStore) store = tu_store_new (db, norm);
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("import:test");
		tu_host_facts_set (&scan->facts.hostname, "par-web-09");
		tu_host_facts_set (&scan->facts.os_id, "almalinux");
		tu_host_facts_set (&scan->facts.os_name, "AlmaLinux");
		tu_host_facts_set (&scan->facts.os_version_id, "9.3");
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_RPM;
		r.raw_name = "openssl-libs";
		r.raw_version = "1:3.0.7-24.el9";
		r.raw_publisher = "AlmaLinux";
		r.source_package = "openssl-3.0.7-24.el9.src.rpm";
		tu_record_list_add (scan->records, &r);
		TuStoreStats sst;
		g_assert_true (tu_store_host_scan (store, scan, &sst, &error));
		g_assert_no_error (error);
	}
	g_autofree char *osv = write_file ("alsa.json", alsa_json, -1);
	TuOsvImportStats ost = {0};
	g_autoptr(TuWarnings) messages = tu_warnings_new ();
	g_assert_true (tu_osv_import (db, osv, &ost, messages, &error));
	g_assert_no_error (error);
	g_autofree char *xml = write_file ("primary.xml", alma_primary, -1);
	const char *const files[] = {xml, NULL};
	TuPkgIndexImportStats ist = {0};
	g_assert_true (tu_pkgindex_import (db, "almalinux:9.3", files, &ist, messages, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (messages->len, ==, 0);
	g_assert_cmpuint (stored_count (db, "almalinux", "9"), ==, 5);

	Collected c = run_patch (db);
	const char *row = g_hash_table_lookup (c.rows, "openssl-libs");
	g_assert_nonnull (row);
	g_assert_true (g_str_has_prefix (row, "1:3.0.7-27.el9|2|"));
	g_assert_true (g_str_has_suffix (g_hash_table_lookup (c.basis, "openssl-libs"),
					 "latest and behind from the package index (almalinux 9)"));
	collected_clear (&c);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	dir = tu_test_mkdtemp ();
	g_test_add_func ("/trueup/pkgindex/deb-records-and-warnings",
			 test_deb_records_and_warnings);
	g_test_add_func ("/trueup/pkgindex/apk-records-and-warnings",
			 test_apk_records_and_warnings);
	g_test_add_func ("/trueup/pkgindex/rpm-records-and-warnings",
			 test_rpm_records_and_warnings);
	g_test_add_func ("/trueup/pkgindex/not-an-index-is-an-error", test_not_an_index);
	g_test_add_func ("/trueup/pkgindex/real-debian-12-gz-xz-lz4",
			 test_real_indexes_decompressed);
	g_test_add_func ("/trueup/pkgindex/apkindex-tarball", test_apkindex_tarball);
	g_test_add_func ("/trueup/pkgindex/release-keys", test_release_keys);
	g_test_add_func ("/trueup/pkgindex/patch-latest-behind-from-index",
			 test_patch_latest_from_index);
	g_test_add_func ("/trueup/pkgindex/apk-import-needs-distro", test_apk_import_needs_distro);
	g_test_add_func ("/trueup/pkgindex/patch-rpm-index-by-rpm-order", test_patch_rpm_index);
	int rc = g_test_run ();
	tu_test_store_close ();
	tu_test_rmtree (dir);
	g_free (dir);
	return rc;
}
