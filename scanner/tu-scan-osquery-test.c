/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * osquery results. No real osquery output of the software tables was found under a suitable
 * licence and osquery is not packaged in Debian: deb_packages.json is made from this build
 * machine's real dpkg database in osqueryi's shape (see tests/fixtures/osquery/SOURCES.md),
 * the others are written by hand from osquery's table schemas.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static GPtrArray *
parse_file (const char *rel, GError **error)
{
	g_autofree char *path = tu_test_source_path (rel);
	g_autoptr(GBytes) b = tu_test_read (path);
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	if (!tu_osquery_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path, hosts, error)) {
		g_assert_cmpuint (hosts->len, ==, 0);
		g_ptr_array_unref (hosts);
		return NULL;
	}
	return hosts;
}

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

/* deb_packages with dpkg's meaning, checked against the same packages parsed as a dpkg
 * status file would give them. */
static void
test_deb_packages (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file ("tests/fixtures/osquery/deb_packages.json", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 1);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpstr (scan->facts.hostname, ==, "deb_packages");
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	g_assert_nonnull (strstr (tu_warnings_text (scan->warnings, 0), "names no host"));
	/* 17 installed; apache2's config files are not an installation */
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 17);
	g_assert_null (find (scan, "apache2"));
	const TuRecord *bash = find (scan, "bash");
	g_assert_nonnull (bash);
	g_assert_cmpint (bash->source, ==, TU_SOURCE_OSQUERY);
	g_assert_cmpstr (bash->raw_version, ==, "5.2.15-2+b8");
	g_assert_cmpstr (bash->source_package, ==, "bash");
	g_assert_cmpstr (bash->arch, ==, "amd64");
	g_assert_cmpstr (bash->raw_publisher, ==, "Matthias Klose <doko@debian.org>");
	g_assert_cmpint (bash->size_bytes, ==, 7164 * 1024);
	g_assert_cmpstr (bash->purl, ==, "pkg:deb/bash@5.2.15-2%2Bb8?arch=amd64");
	const TuRecord *zlib = find (scan, "zlib1g");
	g_assert_cmpstr (zlib->raw_version, ==, "1:1.2.13.dfsg-1"); /* the epoch kept */
	g_assert_cmpstr (zlib->source_package, ==, "zlib");
	g_assert_null (find (scan, "openssl")->source_package);
}

static void
test_rpm_packages (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file ("tests/fixtures/osquery/rpm_packages.json", &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 4);
	const TuRecord *bash = find (scan, "bash");
	g_assert_cmpstr (bash->raw_version, ==, "5.1.8-6.el9");
	g_assert_cmpstr (bash->source_package, ==, "bash");
	g_assert_cmpstr (bash->raw_publisher, ==, "Rocky Enterprise Software Foundation");
	g_assert_cmpint (bash->size_bytes, ==, 7738594);
	g_assert_cmpstr (bash->purl, ==, "pkg:rpm/bash@5.1.8-6.el9?arch=x86_64");
	const TuRecord *ssl = find (scan, "openssl");
	g_assert_cmpstr (ssl->raw_version, ==, "1:3.0.7-27.el9_4");
	g_assert_cmpstr (ssl->purl, ==, "pkg:rpm/openssl@3.0.7-27.el9_4?arch=x86_64&epoch=1");
	/* an explicit epoch 0 compares as none */
	g_assert_cmpstr (find (scan, "tzdata")->raw_version, ==, "2024a-1.el9");
	g_assert_cmpint (find (scan, "gpg-pubkey")->size_bytes, ==, -1);
}

static void
test_programs (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file ("tests/fixtures/osquery/programs.json", &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 4);
	const TuRecord *sql = find (scan, "Microsoft SQL Server 2019 (64-bit)");
	g_assert_cmpstr (sql->raw_version, ==, "15.0.2000.5");
	g_assert_cmpstr (sql->raw_publisher, ==, "Microsoft Corporation");
	g_assert_cmpstr (sql->install_date, ==, "2024-01-15");
	g_assert_cmpstr (sql->location, ==, "C:\\Program Files\\Microsoft SQL Server\\");
	g_assert_null (sql->purl);
	const TuRecord *zip = find (scan, "7-Zip 23.01 (x64)");
	g_assert_null (zip->install_date); /* "" is unknown */
	g_assert_nonnull (find (scan, "Microsoft.WindowsCalculator"));
}

/* osqueryd's log: hosts from hostIdentifier and decorations, facts from system_info and
 * os_version, the latest snapshot, differential rows replayed. */
static void
test_results_log (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file ("tests/fixtures/osquery/osqueryd.results.log", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 2);
	TuHostScan *web = g_ptr_array_index (hosts, 0);
	TuHostFacts *f = &web->facts;
	g_assert_cmpuint (web->warnings->len, ==, 0);
	g_assert_cmpstr (f->hostname, ==, "web01.example.com");
	g_assert_cmpstr (f->fqdn, ==, "web01.example.com");
	g_assert_cmpstr (f->machine_id, ==, "4c4c4544-0042-3510-8036-b4c04f4d4e32");
	g_assert_cmpint (f->sockets, ==, 2);
	g_assert_cmpint (f->cores, ==, 24);
	g_assert_cmpint (f->threads, ==, 48);
	g_assert_cmpint (f->memory_bytes, ==, G_GINT64_CONSTANT (202617163776));
	g_assert_cmpstr (f->dmi_vendor, ==, "Dell Inc.");
	g_assert_cmpstr (f->dmi_model, ==, "PowerEdge R640");
	g_assert_cmpstr (f->dmi_serial, ==, "B5N2M43");
	g_assert_cmpstr (f->os_name, ==, "Debian GNU/Linux");
	g_assert_cmpstr (f->os_id, ==, "debian");
	g_assert_cmpstr (f->os_version, ==, "12 (bookworm)");
	/* the second snapshot replaces the first: openssl upgraded */
	g_assert_cmpstr (find (web, "openssl")->raw_version, ==, "3.0.16-1~deb12u2");
	g_assert_nonnull (find (web, "apache2"));
	/* python_packages: PyYAML 6.0 removed, 6.0.1 added */
	const TuRecord *yaml = find (web, "PyYAML");
	g_assert_cmpstr (yaml->raw_version, ==, "6.0.1");
	g_assert_cmpstr (yaml->purl, ==, "pkg:pypi/pyyaml@6.0.1");
	g_assert_cmpstr (yaml->license, ==, "MIT");
	g_assert_nonnull (find (web, "requests"));
	g_assert_cmpuint (tu_record_list_len (web->records), ==, 4);

	TuHostScan *win = g_ptr_array_index (hosts, 1);
	g_assert_cmpstr (win->facts.hostname, ==, "WIN-7Q2K1");
	g_assert_cmpstr (win->facts.machine_id, ==, "1A2B3C4D-5E6F-7081-92A3-B4C5D6E7F809");
	g_assert_cmpstr (find (win, "Notepad++ (64-bit x64)")->install_date, ==, "2024-02-12");
}

static void
expect_error (const char *text, gssize len, const char *needle)
{
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	gsize n = len < 0 ? strlen (text) : (gsize) len;
	g_assert_false (tu_osquery_parse (text, n, "q.json", hosts, &error));
	g_assert_nonnull (error);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" does not contain \"%s\"", error->message, needle);
	g_assert_cmpuint (hosts->len, ==, 0);
}

static void
test_corrupt (void)
{
	expect_error ("[\n{\"name\":\"a\",\n\"version\":}]", -1, "q.json:3:");
	expect_error ("[]", -1, "an empty osquery result");
	expect_error ("[{\"hostname\":\"x\",\"cpu_brand\":\"y\"}]", -1,
		      "the columns (cpu_brand, hostname) are of no osquery software table");
	expect_error ("[1]", -1, "q.json: [0]: not an object");
	expect_error ("hello", -1, "q.json:1: not osquery output");
	expect_error ("", 0, "not osquery output");
	expect_error ("[{\"name\":\"caf\xe9\"}]", -1, "q.json:1: not valid UTF-8");
	/* result logs: line numbers of the bad line */
	expect_error ("{\"name\":\"q\",\"hostIdentifier\":\"h\",\"snapshot\":[]}\n{\"name\":\"q\",", -1,
		      "q.json:2:");
	expect_error ("{\"name\":\"q\",\"snapshot\":[]}\n", -1, "q.json:1: not an osquery result line");
	expect_error ("\n\n{\"name\":\"q\",\"hostIdentifier\":\"h\",\"counter\":3,\"epoch\":0,"
		      "\"columns\":{\"name\":\"a\",\"version\":\"1\",\"revision\":\"1\",\"maintainer\":\"m\"},"
		      "\"action\":\"added\"}\n",
		      -1, "q.json:3: query \"q\" of host h: differential results starting at run 3");
	expect_error ("{\"name\":\"q\",\"hostIdentifier\":\"h\",\"snapshot\":[{\"cpu_brand\":\"x\"}]}", -1,
		      "no rows of an osquery software table");
	expect_error ("{\"name\":\"q\",\"hostIdentifier\":\"h\",\"columns\":{\"name\":\"a\"},\"action\":\"x\"}",
		      -1, "unknown action \"x\"");
	GString *deep = g_string_new (NULL);
	for (guint i = 0; i < 100000; i++)
		g_string_append_c (deep, '[');
	expect_error (deep->str, (gssize) deep->len, "nested deeper than");
	g_string_free (deep, TRUE);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/osquery/deb-packages-with-dpkg-meaning", test_deb_packages);
	g_test_add_func ("/trueup/scan/osquery/rpm-packages-epoch-version-release", test_rpm_packages);
	g_test_add_func ("/trueup/scan/osquery/programs-windows-like", test_programs);
	g_test_add_func ("/trueup/scan/osquery/results-log-hosts-facts-snapshots-diffs", test_results_log);
	g_test_add_func ("/trueup/scan/osquery/corrupt-is-error-with-line", test_corrupt);
	return g_test_run ();
}
