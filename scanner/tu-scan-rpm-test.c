/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rpm parser tests on real databases: go-rpmdb's SQLite, NDB and Berkeley DB fixtures and
 * Syft's Berkeley DB, each compared package for package, in database order, with the list
 * upstream expects (name, epoch, version, release, arch, source rpm, size, licence, vendor);
 * the same databases compared with what rpm 4.18 itself prints for them (tests/fixtures/rpm/
 * *.rpm-qa, made with the SSH collector's query format); and damaged input of every kind.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

typedef gboolean (*DbParser) (const guint8 *buf, gsize len, const char *path, TuHostScan *scan,
			      GError **error);

static TuHostScan *
parse_file (DbParser parse, const char *path)
{
	g_autoptr(GBytes) b = tu_test_read (path);
	TuHostScan *scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	gboolean ok = parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path, scan, &error);
	g_assert_no_error (error);
	g_assert_true (ok);
	return scan;
}

/* The name of a source rpm, computed independently of the parser: the part before the
 * second-to-last '-' of "NAME-VERSION-RELEASE.src.rpm". */
static char *
expected_source_name (const char *srpm)
{
	if (*srpm == '\0' || strcmp (srpm, "(none)") == 0)
		return NULL;
	g_auto(GStrv) parts = g_strsplit (srpm, "-", -1);
	guint n = g_strv_length (parts);
	g_assert_cmpuint (n, >=, 3);
	g_free (parts[n - 2]);
	parts[n - 2] = NULL;
	char *name = g_strjoinv ("-", parts);
	parts[n - 2] = g_strdup ("");
	return name;
}

/* Compare every package of @scan with the ¶-separated list at @csv, in order:
 * epoch¶name¶version¶release¶arch¶sourcerpm¶size¶license¶vendor¶summary¶sigmd5 */
static void
compare_with_csv (TuHostScan *scan, const char *csv)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
	guint n = 0;
	for (guint i = 0; lines[i] != NULL; i++) {
		if (*lines[i] == '\0')
			continue;
		g_auto(GStrv) f = g_strsplit (lines[i], "\xc2\xb6", -1);
		g_assert_cmpuint (g_strv_length (f), ==, 11);
		g_assert_cmpuint (n, <, tu_record_list_len (scan->records));
		const TuRecord *r = tu_record_list_get (scan->records, n++);
		g_autofree char *evr = *f[0] ? g_strdup_printf ("%s:%s-%s", f[0], f[2], f[3])
					     : g_strdup_printf ("%s-%s", f[2], f[3]);
		g_autofree char *src = expected_source_name (f[5]);
		g_assert_cmpint (r->source, ==, TU_SOURCE_RPM);
		g_assert_cmpstr (r->raw_name, ==, f[1]);
		g_assert_cmpstr (r->raw_version, ==, evr);
		g_assert_cmpstr (r->arch, ==, *f[4] ? f[4] : NULL);
		g_assert_cmpstr (r->source_package, ==, src);
		g_assert_cmpint (r->size_bytes, ==, g_ascii_strtoll (f[6], NULL, 10));
		g_assert_cmpstr (r->license, ==, *f[7] ? f[7] : NULL);
		g_assert_cmpstr (r->raw_publisher, ==, *f[8] ? f[8] : NULL);
		g_assert_cmpstr (r->kind, ==, strcmp (f[1], "gpg-pubkey") == 0 ? "system" : NULL);
		g_assert_null (r->state);
	}
	g_assert_cmpuint (n, ==, tu_record_list_len (scan->records));
	g_test_message ("%s: %u packages as expected", csv, n);
}

/* The same packages, field for field, as rpm 4.18 printed them (with install dates). */
static void
compare_scans (TuHostScan *a, TuHostScan *b)
{
	g_assert_cmpuint (tu_record_list_len (a->records), ==, tu_record_list_len (b->records));
	for (guint i = 0; i < tu_record_list_len (a->records); i++) {
		const TuRecord *x = tu_record_list_get (a->records, i);
		const TuRecord *y = tu_record_list_get (b->records, i);
		g_assert_cmpstr (x->raw_name, ==, y->raw_name);
		g_assert_cmpstr (x->raw_version, ==, y->raw_version);
		g_assert_cmpstr (x->arch, ==, y->arch);
		g_assert_cmpstr (x->raw_publisher, ==, y->raw_publisher);
		g_assert_cmpstr (x->source_package, ==, y->source_package);
		g_assert_cmpstr (x->license, ==, y->license);
		g_assert_cmpstr (x->install_date, ==, y->install_date);
		g_assert_cmpstr (x->kind, ==, y->kind);
		g_assert_cmpint (x->size_bytes, ==, y->size_bytes);
		g_assert_nonnull (x->install_date);
	}
}

static gboolean
parse_qa_bytes (const guint8 *buf, gsize len, const char *path, TuHostScan *scan, GError **error)
{
	return tu_rpm_parse_qa ((const char *) buf, len, path, scan, error);
}

static void
check_shared_db (DbParser parse, const char *db_rel, const char *csv_rel, const char *qa_rel)
{
	g_autofree char *db = tu_test_shared_path (db_rel);
	g_autofree char *csv = tu_test_shared_path (csv_rel);
	if (db == NULL || csv == NULL) {
		g_test_skip ("shared fixtures not present");
		return;
	}
	g_autoptr(TuHostScan) scan = parse_file (parse, db);
	compare_with_csv (scan, csv);
	if (qa_rel != NULL) {
		g_autofree char *qa = tu_test_source_path (qa_rel);
		g_autoptr(TuHostScan) by_rpm = parse_file (parse_qa_bytes, qa);
		compare_scans (scan, by_rpm);
	}
}

static void
test_sqlite_cbl_mariner (void)
{
	check_shared_db (tu_rpm_parse_sqlite, "fixtures/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite",
			 "fixtures/go-rpmdb/cbl-mariner-2.0/expected-packages.derived.csv",
			 "tests/fixtures/rpm/cbl-mariner-2.0.rpm-qa");
}

static void
test_sqlite_amazonlinux (void)
{
	check_shared_db (tu_rpm_parse_sqlite,
			 "fixtures/go-rpmdb-pr42/amazonlinux2023-plain/rpmdb.sqlite",
			 "fixtures/go-rpmdb-pr42/amazonlinux2023-plain/packages.csv",
			 "tests/fixtures/rpm/amazonlinux2023-plain.rpm-qa");
}

static void
test_ndb_sle15 (void)
{
	check_shared_db (tu_rpm_parse_ndb, "fixtures/go-rpmdb/sle15-bci/Packages.db",
			 "fixtures/go-rpmdb/sle15-bci/expected-packages.derived.csv", NULL);
}

static void
test_ndb_sle15_pr42 (void)
{
	check_shared_db (tu_rpm_parse_ndb, "fixtures/go-rpmdb-pr42/sle15-bci/Packages.db",
			 "fixtures/go-rpmdb-pr42/sle15-bci/packages.csv", NULL);
}

static void
test_bdb (void)
{
	g_autofree char *db = tu_test_source_path ("tests/fixtures/rpm/libuuid/Packages");
	g_autofree char *csv = tu_test_source_path (
		"tests/fixtures/rpm/libuuid/expected-packages.derived.csv");
	g_autofree char *qa = tu_test_source_path ("tests/fixtures/rpm/libuuid/rpm-qa");
	g_autoptr(TuHostScan) scan = parse_file (tu_rpm_parse_bdb, db);
	compare_with_csv (scan, csv);
	g_autoptr(TuHostScan) by_rpm = parse_file (parse_qa_bytes, qa);
	compare_scans (scan, by_rpm);
	g_assert_cmpstr (tu_record_list_get (scan->records, 0)->install_date, ==, "2023-10-04");

	/* Syft's: dive 0.9.2-1, MIT, 12406784 bytes, no vendor */
	g_autofree char *db2 = tu_test_source_path ("tests/fixtures/rpm/syft-redhat/Packages");
	g_autofree char *qa2 = tu_test_source_path ("tests/fixtures/rpm/syft-redhat/rpm-qa");
	g_autoptr(TuHostScan) scan2 = parse_file (tu_rpm_parse_bdb, db2);
	g_assert_cmpuint (tu_record_list_len (scan2->records), ==, 1);
	const TuRecord *r = tu_record_list_get (scan2->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "dive");
	g_assert_cmpstr (r->raw_version, ==, "0.9.2-1");
	g_assert_cmpstr (r->arch, ==, "x86_64");
	g_assert_cmpstr (r->license, ==, "MIT");
	g_assert_cmpint (r->size_bytes, ==, 12406784);
	g_assert_cmpstr (r->source_package, ==, "dive");
	g_assert_null (r->raw_publisher);
	g_autoptr(TuHostScan) by_rpm2 = parse_file (parse_qa_bytes, qa2);
	compare_scans (scan2, by_rpm2);
}

/* 32 packages in a Berkeley DB hash file made with db5.3_load from CBL-Mariner's headers (and
 * rpm's record 0), in the order rpm 4.18 lists them: hash order, not package-number order */
static void
test_bdb_many (void)
{
	g_autofree char *db = tu_test_source_path ("tests/fixtures/rpm/bdb-32/Packages");
	g_autofree char *qa = tu_test_source_path ("tests/fixtures/rpm/bdb-32/rpm-qa");
	g_autoptr(TuHostScan) scan = parse_file (tu_rpm_parse_bdb, db);
	g_autoptr(TuHostScan) by_rpm = parse_file (parse_qa_bytes, qa);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 32);
	compare_scans (scan, by_rpm);
}

static void
test_blob (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/rpm/blob.bin");
	g_autoptr(TuHostScan) scan = parse_file (tu_rpm_parse_header, path);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	/* go-rpmdb's TestRpmDB_Package imports it as Fedora 35's publicsuffix-list-dafsa */
	g_assert_cmpstr (r->raw_name, ==, "publicsuffix-list-dafsa");
	g_assert_cmpstr (r->raw_version, ==, "20210518-2.fc35");
	g_assert_cmpstr (r->arch, ==, "noarch");
	g_assert_cmpstr (r->source_package, ==, "publicsuffix-list");
}

static void
assert_error_has (GError *error, const char *needle)
{
	g_assert_nonnull (error);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" does not contain \"%s\"", error->message, needle);
}

static void
test_header_damage (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/rpm/blob.bin");
	g_autoptr(GBytes) b = tu_test_read (path);
	gsize len = 0;
	const guint8 *orig = g_bytes_get_data (b, &len);
	g_autoptr(GError) error = NULL;

	/* truncated at every length: an error, never a record or a crash */
	for (gsize cut = 0; cut < len; cut += cut < 64 ? 1 : 97) {
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_header (orig, cut, "blob", scan, &error));
		g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
		g_assert_true (g_str_has_prefix (error->message, "blob: "));
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
		g_clear_error (&error);
	}
	g_assert_cmpuint (len, >, 8);
	g_autofree guint8 *copy = g_memdup2 (orig, len);
	guint32 il = GUINT32_FROM_BE (*(guint32 *) copy);
	/* every index entry pointing far outside the data: the entry is named */
	for (guint32 i = 1; i < il; i++) {
		guint8 *e = copy + 8 + 16 * i;
		guint32 tag = GUINT32_FROM_BE (*(guint32 *) e);
		if (tag != 1000)
			continue;
		*(guint32 *) (e + 8) = GUINT32_TO_BE (0x7ffffff0);
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_header (copy, len, "blob", scan, &error));
		assert_error_has (error, "tag NAME (1000): offset 2147483632 outside");
		g_clear_error (&error);
	}
	/* an implausible index count */
	memcpy (copy, orig, len);
	*(guint32 *) copy = GUINT32_TO_BE (0xffffffff);
	{
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_header (copy, len, "blob", scan, &error));
		assert_error_has (error, "blob: header byte 0: implausible header");
		g_clear_error (&error);
	}
	/* the region trailer overwritten */
	memcpy (copy, orig, len);
	guint32 region_off = GUINT32_FROM_BE (*(guint32 *) (copy + 8 + 8));
	guint8 *data = copy + 8 + 16 * il;
	memset (data + region_off, 0xab, 16);
	{
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_header (copy, len, "blob", scan, &error));
		assert_error_has (error, "bad region trailer");
		g_clear_error (&error);
	}
	/* the data store with no NUL at all: strings run off the end */
	memcpy (copy, orig, len);
	guint32 dl = GUINT32_FROM_BE (*(guint32 *) (copy + 4));
	for (guint32 i = 0; i < dl; i++)
		if (data[i] == 0)
			data[i] = 'x';
	{
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_header (copy, len, "blob", scan, &error));
		g_assert_nonnull (error);
		g_clear_error (&error);
	}
	/* garbage */
	static const guint8 garbage[64] = {0, 0, 0, 2, 0, 0, 0, 16, 0xde, 0xad, 0xbe, 0xef};
	{
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_header (garbage, sizeof garbage, "g", scan, &error));
		g_clear_error (&error);
	}
}

static void
test_db_damage (void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *bdb = tu_test_source_path ("tests/fixtures/rpm/libuuid/Packages");
	g_autoptr(GBytes) b = tu_test_read (bdb);
	gsize len = 0;
	const guint8 *orig = g_bytes_get_data (b, &len);

	/* truncated Berkeley DB */
	{
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_bdb (orig, len / 2, "/x/Packages", scan, &error));
		assert_error_has (error, "/x/Packages: truncated");
		g_clear_error (&error);
	}
	/* every byte of every page flipped in turn would be slow: damage each page header */
	g_autofree guint8 *copy = g_memdup2 (orig, len);
	for (gsize page = 4096; page < len; page += 4096) {
		memcpy (copy, orig, len);
		memset (copy + page + 16, 0x5a, 10); /* next page, entry count, offset, type */
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		if (!tu_rpm_parse_bdb (copy, len, "/x/Packages", scan, &error)) {
			g_assert_true (g_str_has_prefix (error->message, "/x/Packages: "));
			g_clear_error (&error);
		}
	}
	/* not a database at all */
	const char *text = "this is not a database, not even a little bit, and it is long enough to "
			   "be looked at as one";
	{
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_sqlite ((const guint8 *) text, strlen (text), "db", scan,
						     &error));
		assert_error_has (error, "db: byte 0: not an SQLite database");
		g_clear_error (&error);
		g_assert_false (tu_rpm_parse_ndb ((const guint8 *) text, strlen (text), "db", scan, &error));
		assert_error_has (error, "db: byte 0: not an rpm NDB database");
		g_clear_error (&error);
		g_assert_false (tu_rpm_parse_bdb ((const guint8 *) text, strlen (text), "db", scan, &error));
		g_clear_error (&error);
	}

	/* an SQLite database that is not rpm's, and a truncated rpm one */
	g_autofree char *sq = tu_test_shared_path ("fixtures/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite");
	if (sq != NULL) {
		g_autoptr(GBytes) sb = tu_test_read (sq);
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_sqlite (g_bytes_get_data (sb, NULL),
						     g_bytes_get_size (sb) / 3, "/r/rpmdb.sqlite", scan,
						     &error));
		assert_error_has (error, "/r/rpmdb.sqlite");
		g_clear_error (&error);
	}
	g_autofree char *ndb = tu_test_shared_path ("fixtures/go-rpmdb/sle15-bci/Packages.db");
	if (ndb != NULL) {
		g_autoptr(GBytes) nb = tu_test_read (ndb);
		gsize nlen = g_bytes_get_size (nb);
		g_autofree guint8 *nc = g_memdup2 (g_bytes_get_data (nb, NULL), nlen);
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_assert_false (tu_rpm_parse_ndb (nc, nlen / 2, "/s/Packages.db", scan, &error));
		assert_error_has (error, "/s/Packages.db: byte ");
		g_clear_error (&error);
		nc[40] ^= 0xff; /* the second slot's block offset */
		g_assert_false (tu_rpm_parse_ndb (nc, nlen, "/s/Packages.db", scan, &error));
		assert_error_has (error, "package index 1: bad blob header");
		g_clear_error (&error);
	}
}

static void
test_qa (void)
{
	const char *qa = "bash\t\t5.1.8\t6.el9\tx86_64\tRed Hat, Inc.\tbash-5.1.8-6.el9.src.rpm\t7738634\t"
			 "1700000000\tGPLv3+\n"
			 "openssl-libs\t1\t3.0.7\t25.el9\tx86_64\tRed Hat, Inc.\topenssl-3.0.7-25.el9.src.rpm"
			 "\t6000000\t1700000000\tASL 2.0\n"
			 "gpg-pubkey\t\tfd431d51\t4ae0493b\t\t\t(none)\t0\t1700000001\tpubkey\n"
			 "\n";
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_rpm_parse_qa (qa, strlen (qa), "rpm-qa", scan, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 3);
	const TuRecord *r = tu_record_list_get (scan->records, 1);
	g_assert_cmpstr (r->raw_version, ==, "1:3.0.7-25.el9");
	g_assert_cmpstr (r->source_package, ==, "openssl");
	g_assert_cmpstr (r->install_date, ==, "2023-11-14");
	r = tu_record_list_get (scan->records, 2);
	g_assert_cmpstr (r->kind, ==, "system");
	g_assert_null (r->source_package);
	g_assert_null (r->arch);

	const char *bad = "bash\t\t5.1.8\t6.el9\tx86_64\tRed Hat\tbash.src.rpm\t1\t1\tGPL\nbroken line\n";
	g_autoptr(TuHostScan) scan2 = tu_host_scan_new ("test");
	g_assert_false (tu_rpm_parse_qa (bad, strlen (bad), "/.trueup/cmd/rpm-qa", scan2, &error));
	assert_error_has (error, "/.trueup/cmd/rpm-qa:2: 1 tab-separated fields");
	g_clear_error (&error);
	const char *badsize = "bash\t\t5.1.8\t6.el9\tx86_64\tRed Hat\tbash.src.rpm\tbig\t1\tGPL\n";
	g_assert_false (tu_rpm_parse_qa (badsize, strlen (badsize), "q", scan2, &error));
	assert_error_has (error, "q:1: package bash: SIZE field is not a number");
	g_clear_error (&error);
	const char *noversion = "bash\t\t\t6.el9\tx86_64\tRed Hat\tbash.src.rpm\t1\t1\tGPL\n";
	g_assert_false (tu_rpm_parse_qa (noversion, strlen (noversion), "q", scan2, &error));
	assert_error_has (error, "q:1: VERSION field empty");
	g_clear_error (&error);
}

static void
test_finder (void)
{
	TuScanOptions opts = {0};
	/* a Debian host with an empty var/lib/rpm: nothing, and no error */
	g_autofree char *root = tu_test_mkdtemp ();
	g_autofree char *rpmdir = g_build_filename (root, "var/lib/rpm", NULL);
	g_assert_cmpint (g_mkdir_with_parents (rpmdir, 0755), ==, 0);
	{
		g_autoptr(TuFs) fs = tu_fs_new_root (root, NULL);
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		tu_source_rpm (fs, scan, &opts);
		g_assert_no_error (scan->error);
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
	}
	/* a Berkeley DB under usr/lib/sysimage/rpm */
	g_autofree char *bdb = tu_test_source_path ("tests/fixtures/rpm/libuuid/Packages");
	g_autoptr(GBytes) b = tu_test_read (bdb);
	tu_test_write (root, "usr/lib/sysimage/rpm/Packages", g_bytes_get_data (b, NULL),
		       (gssize) g_bytes_get_size (b));
	{
		g_autoptr(TuFs) fs = tu_fs_new_root (root, NULL);
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		tu_source_rpm (fs, scan, &opts);
		g_assert_no_error (scan->error);
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
		g_assert_cmpstr (tu_record_list_get (scan->records, 0)->raw_name, ==, "libuuid");
	}
	/* a broken database fails the host's scan, naming the file */
	tu_test_write (root, "var/lib/rpm/Packages", "garbage", 7);
	{
		g_autoptr(TuFs) fs = tu_fs_new_root (root, NULL);
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		tu_source_rpm (fs, scan, &opts);
		g_assert_nonnull (scan->error);
		assert_error_has (scan->error, "var/lib/rpm/Packages");
	}
	tu_test_rmtree (root);

	/* an SSH snapshot: the collector's rpm -qa wins over the database files */
	g_autofree char *qa = tu_test_source_path ("tests/fixtures/rpm/cbl-mariner-2.0.rpm-qa");
	g_autoptr(GBytes) qb = tu_test_read (qa);
	g_autoptr(TuFs) snap = tu_fs_new_snapshot ("web01");
	tu_fs_snapshot_add (snap, ".trueup/cmd/rpm-qa", qb);
	tu_fs_snapshot_add (snap, "var/lib/rpm/Packages", b);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	tu_source_rpm (snap, scan, &opts);
	g_assert_no_error (scan->error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 129);
	g_assert_cmpstr (tu_record_list_get (scan->records, 0)->raw_name, ==, "mariner-release");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/rpm/sqlite-cbl-mariner-every-package", test_sqlite_cbl_mariner);
	g_test_add_func ("/trueup/scan/rpm/sqlite-amazonlinux-every-package-and-gpg-pubkey",
			 test_sqlite_amazonlinux);
	g_test_add_func ("/trueup/scan/rpm/ndb-sle15-every-package", test_ndb_sle15);
	g_test_add_func ("/trueup/scan/rpm/ndb-sle15-pr42-every-package", test_ndb_sle15_pr42);
	g_test_add_func ("/trueup/scan/rpm/bdb-agrees-with-rpm", test_bdb);
	g_test_add_func ("/trueup/scan/rpm/bdb-32-packages-in-rpm-order", test_bdb_many);
	g_test_add_func ("/trueup/scan/rpm/raw-header-blob", test_blob);
	g_test_add_func ("/trueup/scan/rpm/damaged-header-is-an-error-naming-the-entry",
			 test_header_damage);
	g_test_add_func ("/trueup/scan/rpm/damaged-database-is-an-error-naming-the-file",
			 test_db_damage);
	g_test_add_func ("/trueup/scan/rpm/collector-rpm-qa", test_qa);
	g_test_add_func ("/trueup/scan/rpm/finder", test_finder);
	return g_test_run ();
}
