/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GLPI inventories: the format's own example inventories (glpi-project/inventory_format),
 * checked against the files' content (counts asserted upstream and in shared/data/SOURCES.md),
 * and every kind of inventory trueup must refuse.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static GPtrArray *
parse_file (const char *path, GError **error)
{
	g_autoptr(GBytes) b = tu_test_read (path);
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	if (!tu_glpi_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path, hosts, error)) {
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

static void
test_computer_1 (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/glpi/computer_1.json");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file (path, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 1);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	TuHostFacts *f = &scan->facts;
	g_assert_cmpstr (f->hostname, ==, "glpixps");
	g_assert_null (f->fqdn); /* "glpixps" is no FQDN */
	g_assert_cmpstr (f->machine_id, ==, "4c4c4544-0034-3010-8048-b6c04f503732");
	g_assert_cmpstr (f->os_name, ==, "Fedora");
	g_assert_cmpstr (f->os_version, ==, "31 (Workstation Edition)");
	g_assert_cmpstr (f->os_pretty, ==, "Fedora 31 (Workstation Edition)");
	g_assert_cmpstr (f->kernel, ==, "5.6.15-200.fc31.x86_64");
	g_assert_cmpstr (f->arch, ==, "x86_64");
	g_assert_cmpint (f->sockets, ==, 1);
	g_assert_cmpint (f->cores, ==, 2);
	g_assert_cmpint (f->threads, ==, 4);
	g_assert_cmpstr (f->cpu_model, ==, "Intel(R) Core(TM) i5-6200U CPU @ 2.30GHz");
	/* two 4096 MiB modules */
	g_assert_cmpint (f->memory_bytes, ==, G_GINT64_CONSTANT (8192) * 1024 * 1024);
	g_assert_cmpint (f->is_virtual, ==, 0);
	g_assert_cmpstr (f->dmi_vendor, ==, "Dell Inc.");
	g_assert_cmpstr (f->dmi_model, ==, "XPS 13 9350");
	g_assert_cmpstr (f->dmi_serial, ==, "640HP72");
	g_assert_nonnull (f->ip_addresses);
	g_assert_null (strstr (f->ip_addresses, "127.0.0.1"));
	g_assert_null (strstr (f->ip_addresses, "fe80:"));

	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 6);
	const TuRecord *gitg = find (scan, "gitg");
	g_assert_nonnull (gitg);
	g_assert_cmpint (gitg->source, ==, TU_SOURCE_GLPI);
	g_assert_cmpstr (gitg->raw_version, ==, "3.32.1-1.fc31");
	g_assert_cmpstr (gitg->raw_publisher, ==, "Fedora Project");
	g_assert_cmpstr (gitg->arch, ==, "x86_64");
	g_assert_cmpstr (gitg->install_date, ==, "2019-12-19");
	g_assert_cmpint (gitg->size_bytes, ==, 2335956);
	g_assert_null (gitg->kind);
	g_autofree char *target = g_strconcat ("import:", path, NULL);
	g_assert_cmpstr (scan->target, ==, target);
}

/* A partial inventory with softwares: the list is complete (the same packages as the full
 * one, one of them upgraded since). */
static void
test_partial_with_softwares (void)
{
	g_autofree char *full = tu_test_source_path ("tests/fixtures/glpi/computer_1.json");
	g_autofree char *part = tu_test_source_path ("tests/fixtures/glpi/computer_1_partial_softs.json");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) a = parse_file (full, &error);
	g_autoptr(GPtrArray) b = parse_file (part, &error);
	g_assert_no_error (error);
	TuHostScan *sa = g_ptr_array_index (a, 0), *sb = g_ptr_array_index (b, 0);
	g_assert_cmpuint (tu_record_list_len (sb->records), ==, tu_record_list_len (sa->records));
	for (guint i = 0; i < tu_record_list_len (sa->records); i++) {
		const TuRecord *r = tu_record_list_get (sa->records, i);
		const TuRecord *q = find (sb, r->raw_name);
		g_assert_nonnull (q);
	}
	/* sent later, after an upgrade */
	g_assert_cmpstr (find (sb, "gitg")->raw_version, ==, "3.33.0-1.fc31");
	g_assert_cmpstr (sb->facts.machine_id, ==, sa->facts.machine_id);
}

static void
expect_refused (const char *rel, TuError code, const char *needle)
{
	g_autofree char *path = tu_test_source_path (rel);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file (path, &error);
	g_assert_null (hosts);
	g_assert_error (error, TU_ERROR, (gint) code);
	if (strstr (error->message, needle) == NULL || strstr (error->message, path) == NULL)
		g_error ("\"%s\" lacks \"%s\" or the file name", error->message, needle);
}

static void
test_refused (void)
{
	/* partial inventories without software, and a full one without the section */
	expect_refused ("tests/fixtures/glpi/computer_1_partial_cpu.json", TU_ERROR_INVALID_DATA,
			"a partial GLPI inventory without a softwares section");
	expect_refused ("tests/fixtures/glpi/computer_2.json", TU_ERROR_INVALID_DATA,
			"without a softwares section");
	/* not computers */
	expect_refused ("tests/fixtures/glpi/phone_1.json", TU_ERROR_UNSUPPORTED, "itemtype \"Phone\"");
	expect_refused ("tests/fixtures/glpi/printer_1.json", TU_ERROR_UNSUPPORTED,
			"itemtype \"Printer\"");
	expect_refused ("tests/fixtures/glpi/networkequipment_3.json", TU_ERROR_UNSUPPORTED,
			"itemtype \"NetworkEquipment\"");
	/* a legacy XML inventory that is not a computer's (a network discovery) */
	expect_refused ("tests/fixtures/glpi/10.xml", TU_ERROR_UNSUPPORTED,
			"itemtype \"NETDISCOVERY\"");
}

/* The legacy XML format (FusionInventory, GLPI Agent --xml): the same facts and records as the
 * JSON format would give. 1.xml: a Fedora 25 laptop with 42 SOFTWARES elements. */
static void
test_xml (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/glpi/1.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file (path, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 1);
	TuHostScan *h = g_ptr_array_index (hosts, 0);
	g_assert_cmpstr (h->facts.hostname, ==, "LF014");
	g_assert_cmpstr (h->facts.machine_id, ==, "0055ADC9-1D3A-E411-8043-B05D95113232");
	g_assert_cmpstr (h->facts.os_name, ==, "Fedora");
	g_assert_cmpstr (h->facts.os_pretty, ==, "Fedora release 25 (Twenty Five)");
	g_assert_cmpstr (h->facts.dmi_vendor, ==, "TOSHIBA");
	g_assert_cmpstr (h->facts.dmi_serial, ==, "9E113232I");
	g_assert_cmpint (h->facts.sockets, ==, 1);
	g_assert_cmpint (h->facts.cores, ==, 2);
	g_assert_cmpint (h->facts.threads, ==, 4);
	g_assert_cmpint (h->facts.memory_bytes, ==, (gint64) 8192 * 1024 * 1024);
	g_assert_cmpuint (tu_record_list_len (h->records), ==, 42);
	const TuRecord *bzr = find (h, "bzr");
	g_assert_nonnull (bzr);
	g_assert_cmpint (bzr->source, ==, TU_SOURCE_GLPI);
	g_assert_cmpstr (bzr->raw_version, ==, "2.7.0-15.fc25");
	g_assert_cmpstr (bzr->raw_publisher, ==, "Fedora Project");
	g_assert_cmpstr (bzr->arch, ==, "x86_64");
	g_assert_cmpstr (bzr->install_date, ==, "2017-02-02");
	g_assert_cmpint (bzr->size_bytes, ==, 30662956);
	/* "N/A" is no date */
	g_assert_null (find (h, "xerces-j2")->install_date);
}

static void
test_xml_bad (void)
{
	/* one SOFTWARES element is still a list; names are case-insensitive */
	const char *one = "<?xml version=\"1.0\"?>\n<REQUEST><CONTENT><HARDWARE><NAME>pc1</NAME>"
			  "</HARDWARE><SOFTWARES><NAME>Foo &amp; Bar</NAME><VERSION>1.0</VERSION>"
			  "<INSTALLDATE>2020-05-04</INSTALLDATE></SOFTWARES></CONTENT>"
			  "<QUERY>INVENTORY</QUERY></REQUEST>";
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_glpi_parse (one, strlen (one), "inv.xml", hosts, &error));
	g_assert_no_error (error);
	TuHostScan *h = g_ptr_array_index (hosts, 0);
	g_assert_cmpstr (h->facts.hostname, ==, "pc1");
	g_assert_cmpuint (tu_record_list_len (h->records), ==, 1);
	g_assert_cmpstr (find (h, "Foo & Bar")->install_date, ==, "2020-05-04");
	/* no SOFTWARES: refused like the JSON form */
	const char *none = "<REQUEST><CONTENT><HARDWARE><NAME>pc1</NAME></HARDWARE></CONTENT>"
			   "<QUERY>INVENTORY</QUERY></REQUEST>";
	g_assert_false (tu_glpi_parse (none, strlen (none), "inv.xml", hosts, &error));
	g_assert_nonnull (strstr (error->message, "without a softwares section"));
	g_clear_error (&error);
	/* malformed: file and line */
	const char *bad = "<REQUEST>\n<CONTENT>\n<SOFTWARES><NAME>x</VERSION>\n</CONTENT></REQUEST>";
	g_assert_false (tu_glpi_parse (bad, strlen (bad), "inv.xml", hosts, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (error->message, "inv.xml:3: malformed XML"));
	g_clear_error (&error);
	/* truncated */
	const char *cut = "<REQUEST><CONTENT><SOFTWARES><NAME>x</NAME>";
	g_assert_false (tu_glpi_parse (cut, strlen (cut), "inv.xml", hosts, &error));
	g_assert_nonnull (strstr (error->message, "inv.xml:1: malformed XML"));
	g_clear_error (&error);
	/* another root element */
	const char *other = "<plist><dict/></plist>";
	g_assert_false (tu_glpi_parse (other, strlen (other), "inv.xml", hosts, &error));
	g_assert_nonnull (strstr (error->message, "expected <REQUEST>"));
	g_clear_error (&error);
	/* nesting bomb: refused quickly */
	GString *deep = g_string_new ("<REQUEST>");
	for (guint i = 0; i < 100000; i++)
		g_string_append (deep, "<A>");
	g_assert_false (tu_glpi_parse (deep->str, deep->len, "inv.xml", hosts, &error));
	g_assert_nonnull (strstr (error->message, "nested too deeply"));
	g_clear_error (&error);
	g_string_free (deep, TRUE);
	g_assert_cmpuint (hosts->len, ==, 1);
}

/* The big inventory and the same host later: 3033 and 3184 entries, one identity. */
static void
test_computer_3 (void)
{
	g_autofree char *p1 = tu_test_shared_path ("fixtures/glpi-inventory-format/examples/computer_3.json");
	g_autofree char *p2 =
		tu_test_shared_path ("fixtures/glpi-inventory-format/examples/computer_3_updated.json");
	if (p1 == NULL || p2 == NULL) {
		g_test_skip ("shared fixtures not present");
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) a = parse_file (p1, &error);
	g_assert_no_error (error);
	g_autoptr(GPtrArray) b = parse_file (p2, &error);
	g_assert_no_error (error);
	TuHostScan *before = g_ptr_array_index (a, 0), *after = g_ptr_array_index (b, 0);
	g_assert_cmpuint (tu_record_list_len (before->records), ==, 3033);
	g_assert_cmpuint (tu_record_list_len (after->records), ==, 3184);
	g_assert_cmpstr (before->facts.machine_id, ==, "0055ADC9-1D3A-E411-8043-B05D95113232");
	g_assert_cmpstr (after->facts.machine_id, ==, before->facts.machine_id);
	g_assert_cmpstr (before->facts.hostname, ==, "LF014");
	g_assert_cmpstr (before->facts.fqdn, ==, "LF014.glpi-project.infra");
	g_assert_cmpstr (before->facts.domain, ==, "glpi-project.infra");
	g_assert_cmpint (before->facts.memory_bytes, ==, G_GINT64_CONSTANT (4096) * 1024 * 1024);
	g_assert_cmpstr (before->facts.ip_addresses, ==, "172.28.220.96,172.28.220.181");
	/* an upgrade between the two */
	g_assert_cmpstr (find (before, "armadillo")->raw_version, ==, "7.600.2-1.fc25");
	g_assert_cmpstr (find (after, "armadillo")->raw_version, ==, "7.800.2-1.fc25");
	g_assert_null (find (before, "php72"));
	g_assert_nonnull (find (after, "php72"));
}

static void
expect_error (const char *text, gssize len, const char *needle)
{
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	gsize n = len < 0 ? strlen (text) : (gsize) len;
	g_assert_false (tu_glpi_parse (text, n, "inv.json", hosts, &error));
	g_assert_nonnull (error);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" does not contain \"%s\"", error->message, needle);
	g_assert_cmpuint (hosts->len, ==, 0);
}

static void
test_corrupt (void)
{
#define HW "\"content\":{\"hardware\":{\"name\":\"pc\"},"
	expect_error ("{\"deviceid\":\"x\",\n\"content\":{\"softwares\":[{\"name\":}]}}", -1, "inv.json:2:");
	expect_error ("{" HW "\"softwares\":[{\"version\":\"1\"}]}}", -1,
		      "inv.json: content.softwares[0]: name missing");
	expect_error ("{" HW "\"softwares\":[3]}}", -1, "content.softwares[0]: not an object");
	expect_error ("{" HW "\"softwares\":{}}}", -1, "content.softwares: not an array");
	expect_error ("{\"content\":{\"softwares\":[]}}", -1, "no host name");
	expect_error ("[]", -1, "not a GLPI inventory");
	expect_error ("{\"itemtype\":\"Computer\"}", -1, "no \"content\" object");
	expect_error ("", 0, "inv.json:1: empty JSON document");
	expect_error ("{\"content\":{\"hardware\":{\"name\":\"caf\xe9\"}}}", -1, "inv.json:1: not valid UTF-8");
	expect_error ("\xff\xfe{\x00}\x00", 6, "inv.json:1: not valid UTF-8");
	GString *deep = g_string_new ("{\"content\":");
	for (guint i = 0; i < 50000; i++)
		g_string_append (deep, "{\"a\":");
	expect_error (deep->str, (gssize) deep->len, "nested deeper than");
	g_string_free (deep, TRUE);

	/* an empty list is a complete list of nothing; deviceid names a host without hardware */
	const char *empty = "{\"deviceid\":\"web01-2021-01-26-14-32-36\",\"content\":{\"softwares\":[]}}";
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_glpi_parse (empty, strlen (empty), "inv.json", hosts, &error));
	g_assert_cmpstr (((TuHostScan *) g_ptr_array_index (hosts, 0))->facts.hostname, ==, "web01");
	/* Windows categories and dates as the Windows agent writes them */
	const char *win = "{" HW "\"operatingsystem\":{\"kernel_name\":\"MSWin32\"},"
			  "\"softwares\":[{\"name\":\"KB1\",\"system_category\":\"security_update\","
			  "\"install_date\":\"24/07/2021\",\"guid\":\"KB1\"},"
			  "{\"name\":\"C\",\"system_category\":\"system_component\",\"filesize\":-5}]}}";
	g_assert_true (tu_glpi_parse (win, strlen (win), "inv.json", hosts, &error));
	TuHostScan *w = g_ptr_array_index (hosts, 1);
	g_assert_cmpstr (w->facts.os_id, ==, "windows");
	g_assert_cmpstr (find (w, "KB1")->kind, ==, "update");
	g_assert_cmpstr (find (w, "KB1")->install_date, ==, "2021-07-24");
	g_assert_cmpstr (find (w, "KB1")->location, ==, "KB1");
	g_assert_cmpstr (find (w, "C")->kind, ==, "system");
	g_assert_cmpint (find (w, "C")->size_bytes, ==, -1);
	/* unknown counts stay -1, never 0 */
	g_assert_cmpint (w->facts.sockets, ==, -1);
	g_assert_cmpint (w->facts.cores, ==, -1);
	g_assert_cmpint (w->facts.memory_bytes, ==, -1);
	g_assert_cmpint (w->facts.is_virtual, ==, -1);
#undef HW
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/glpi/computer-1-facts-and-softwares", test_computer_1);
	g_test_add_func ("/trueup/scan/glpi/partial-with-softwares-is-complete", test_partial_with_softwares);
	g_test_add_func ("/trueup/scan/glpi/refuses-no-softwares-non-computers", test_refused);
	g_test_add_func ("/trueup/scan/glpi/computer-3-and-its-update", test_computer_3);
	g_test_add_func ("/trueup/scan/glpi/legacy-xml", test_xml);
	g_test_add_func ("/trueup/scan/glpi/legacy-xml-bad-input", test_xml_bad);
	g_test_add_func ("/trueup/scan/glpi/corrupt-is-error-naming-field", test_corrupt);
	return g_test_run ();
}
