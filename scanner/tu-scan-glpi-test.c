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
	/* legacy XML inventories that are not a computer's: a network discovery, and an SNMP
	 * inventory of a NAS; neither has a SOFTWARES section */
	expect_refused ("tests/fixtures/glpi/10.xml", TU_ERROR_UNSUPPORTED,
			"QUERY NETDISCOVERY (a network discovery)");
	expect_refused ("tests/fixtures/glpi/19.xml", TU_ERROR_UNSUPPORTED,
			"QUERY SNMPQUERY (a network device's inventory)");
}

/* The number of <SOFTWARES> elements in @path: one record each. */
static guint
count_softwares (const char *path)
{
	g_autoptr(GBytes) b = tu_test_read (path);
	gsize len = 0;
	const char *p = g_bytes_get_data (b, &len);
	const char *end = p + len;
	guint n = 0;
	while ((p = g_strstr_len (p, end - p, "<SOFTWARES>")) != NULL) {
		n++;
		p++;
	}
	return n;
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
	g_assert_cmpuint (tu_record_list_len (h->records), ==, count_softwares (path));
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

/* 12.xml: Windows 8.1 (FusionInventory Agent 2.3.19): registry entries, their key as GUID,
 * dates as dd/mm/yyyy. */
static void
test_xml_windows (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/glpi/12.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file (path, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 1);
	TuHostScan *h = g_ptr_array_index (hosts, 0);
	TuHostFacts *f = &h->facts;
	g_assert_cmpstr (f->hostname, ==, "pc-arg-23");
	g_assert_cmpstr (f->fqdn, ==, "pc-arg-23.cedre.local");
	g_assert_cmpstr (f->domain, ==, "cedre.local");
	g_assert_cmpstr (f->machine_id, ==, "33E737A8-F827-11DF-9297-47C0A301005A");
	g_assert_cmpstr (f->os_id, ==, "windows");
	g_assert_cmpstr (f->os_name, ==, "Windows");
	g_assert_cmpstr (f->os_pretty, ==, "Microsoft Windows 8.1 Professionnel");
	g_assert_cmpstr (f->kernel, ==, "6.3.9600");
	g_assert_cmpint (f->sockets, ==, 1);
	g_assert_cmpint (f->cores, ==, 2);
	g_assert_cmpint (f->threads, ==, 4);
	g_assert_cmpint (f->memory_bytes, ==, G_GINT64_CONSTANT (4096) * 1024 * 1024);
	g_assert_cmpint (f->is_virtual, ==, 0);
	g_assert_cmpstr (f->dmi_model, ==, "HP EliteBook 2540p");
	g_assert_cmpstr (f->ip_addresses, ==, "10.253.6.55");

	g_assert_cmpuint (tu_record_list_len (h->records), ==, 8);
	g_assert_cmpuint (tu_record_list_len (h->records), ==, count_softwares (path));
	const TuRecord *cc = find (h, "CCleaner");
	g_assert_nonnull (cc);
	g_assert_cmpstr (cc->raw_version, ==, "5.09");
	g_assert_cmpstr (cc->raw_publisher, ==, "Piriform");
	g_assert_cmpstr (cc->arch, ==, "x86_64");
	g_assert_cmpstr (cc->install_date, ==, "2015-09-11");
	g_assert_cmpstr (cc->location, ==, "CCleaner");
	const TuRecord *agent = find (h, "FusionInventory Agent 2.3.19 (x64 edition)");
	g_assert_nonnull (agent);
	g_assert_cmpstr (agent->raw_version, ==, "2.3.19");
	g_assert_cmpstr (agent->raw_publisher, ==, "FusionInventory Team");
	g_assert_cmpstr (agent->install_date, ==, "2017-04-18");
	g_assert_cmpstr (agent->location, ==, "FusionInventory-Agent");
}

/* 3.xml: Mac OS X 10.6 (FusionInventory for macOS): dates with a time, no publisher on some. */
static void
test_xml_macos (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/glpi/3.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_file (path, &error);
	g_assert_no_error (error);
	TuHostScan *h = g_ptr_array_index (hosts, 0);
	TuHostFacts *f = &h->facts;
	g_assert_cmpstr (f->hostname, ==, "MacBook-de-teclib");
	g_assert_cmpstr (f->machine_id, ==, "00000000-0000-1000-8000-0017F2D11432");
	g_assert_cmpstr (f->os_id, ==, "macos");
	g_assert_cmpstr (f->os_name, ==, "MacOSX");
	g_assert_cmpstr (f->os_version, ==, "10.6.8 (10K549)");
	g_assert_cmpstr (f->os_pretty, ==, "Mac OS X");
	g_assert_cmpint (f->cores, ==, 2);
	/* two 2000 MiB modules */
	g_assert_cmpint (f->memory_bytes, ==, G_GINT64_CONSTANT (4000) * 1024 * 1024);
	g_assert_cmpstr (f->ip_addresses, ==, "172.28.220.124");

	g_assert_cmpuint (tu_record_list_len (h->records), ==, 40);
	g_assert_cmpuint (tu_record_list_len (h->records), ==, count_softwares (path));
	const TuRecord *ci = find (h, "ContentIndexing");
	g_assert_nonnull (ci);
	g_assert_cmpstr (ci->raw_version, ==, "1.2.1");
	g_assert_null (ci->raw_publisher);
	g_assert_cmpstr (ci->install_date, ==, "2006-08-20");
	const TuRecord *ui = find (h, "SystemUIServer_1");
	g_assert_nonnull (ui);
	g_assert_cmpstr (ui->raw_version, ==, "1.5.5");
	g_assert_cmpstr (ui->raw_publisher, ==,
			 "SystemUIServer version 1.5.5, Copyright 2000-2009 Apple Computer, Inc.");
	g_assert_cmpstr (ui->install_date, ==, "2015-05-02");
}

/* computer_1.xml is computer_1.json written as the XML agents write it (see SOURCES.md): the
 * same facts and the same records, in the same order. */
static void
test_xml_same_as_json (void)
{
	g_autofree char *jpath = tu_test_source_path ("tests/fixtures/glpi/computer_1.json");
	g_autofree char *xpath = tu_test_source_path ("tests/fixtures/glpi/computer_1.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) j = parse_file (jpath, &error);
	g_assert_no_error (error);
	g_autoptr(GPtrArray) x = parse_file (xpath, &error);
	g_assert_no_error (error);
	TuHostFacts *a = &((TuHostScan *) g_ptr_array_index (j, 0))->facts;
	TuHostFacts *b = &((TuHostScan *) g_ptr_array_index (x, 0))->facts;
	const char *const fa[] = {a->hostname,	 a->fqdn,	a->machine_id, a->os_id,
				  a->os_name,	 a->os_version, a->os_pretty,  a->kernel,
				  a->arch,	 a->cpu_model,	a->hypervisor, a->dmi_vendor,
				  a->dmi_model,	 a->dmi_serial, a->ip_addresses, a->domain};
	const char *const fb[] = {b->hostname,	 b->fqdn,	b->machine_id, b->os_id,
				  b->os_name,	 b->os_version, b->os_pretty,  b->kernel,
				  b->arch,	 b->cpu_model,	b->hypervisor, b->dmi_vendor,
				  b->dmi_model,	 b->dmi_serial, b->ip_addresses, b->domain};
	for (guint i = 0; i < G_N_ELEMENTS (fa); i++)
		g_assert_cmpstr (fb[i], ==, fa[i]);
	g_assert_cmpint (b->sockets, ==, a->sockets);
	g_assert_cmpint (b->cores, ==, a->cores);
	g_assert_cmpint (b->threads, ==, a->threads);
	g_assert_cmpint (b->memory_bytes, ==, a->memory_bytes);
	g_assert_cmpint (b->is_virtual, ==, a->is_virtual);

	TuRecordList *ra = ((TuHostScan *) g_ptr_array_index (j, 0))->records;
	TuRecordList *rb = ((TuHostScan *) g_ptr_array_index (x, 0))->records;
	g_assert_cmpuint (tu_record_list_len (rb), ==, tu_record_list_len (ra));
	g_assert_cmpuint (tu_record_list_len (rb), ==, count_softwares (xpath));
	for (guint i = 0; i < tu_record_list_len (ra); i++) {
		const TuRecord *p = tu_record_list_get (ra, i), *q = tu_record_list_get (rb, i);
		g_assert_cmpstr (q->raw_name, ==, p->raw_name);
		g_assert_cmpstr (q->raw_version, ==, p->raw_version);
		g_assert_cmpstr (q->raw_publisher, ==, p->raw_publisher);
		g_assert_cmpstr (q->arch, ==, p->arch);
		g_assert_cmpstr (q->install_date, ==, p->install_date);
		g_assert_cmpstr (q->location, ==, p->location);
		g_assert_cmpstr (q->kind, ==, p->kind);
		g_assert_cmpint (q->size_bytes, ==, p->size_bytes);
	}
}

/* Every legacy XML inventory of the format's tests: a computer's gives one record per
 * SOFTWARES element (and 1.xml names the host computer_3.json does); the others are refused
 * naming the file. */
static void
test_xml_all_samples (void)
{
	g_autofree char *dir = tu_test_shared_path ("fixtures/glpi-inventory-format/tests-data");
	if (dir == NULL) {
		g_test_skip ("shared fixtures not present");
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
	g_assert_no_error (error);
	guint n_files = 0, n_computers = 0;
	for (const char *name; (name = g_dir_read_name (d)) != NULL;) {
		if (!g_str_has_suffix (name, ".xml"))
			continue;
		n_files++;
		g_autofree char *path = g_build_filename (dir, name, NULL);
		guint n_softwares = count_softwares (path);
		g_autoptr(GPtrArray) hosts = parse_file (path, &error);
		if (n_softwares == 0) {
			g_assert_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED);
			g_assert_nonnull (strstr (error->message, path));
			g_clear_error (&error);
			continue;
		}
		g_assert_no_error (error);
		g_assert_cmpuint (hosts->len, ==, 1);
		TuHostScan *h = g_ptr_array_index (hosts, 0);
		g_assert_nonnull (h->facts.hostname);
		g_assert_nonnull (h->facts.machine_id);
		g_assert_cmpuint (tu_record_list_len (h->records), ==, n_softwares);
		n_computers++;
		if (strcmp (name, "1.xml") == 0) {
			g_autofree char *p3 = tu_test_shared_path (
				"fixtures/glpi-inventory-format/examples/computer_3.json");
			g_autoptr(GPtrArray) c3 = parse_file (p3, &error);
			g_assert_no_error (error);
			TuHostScan *later = g_ptr_array_index (c3, 0);
			g_assert_cmpstr (h->facts.machine_id, ==, later->facts.machine_id);
			g_assert_cmpstr (h->facts.hostname, ==, later->facts.hostname);
		}
	}
	g_assert_cmpuint (n_files, ==, 20);
	g_assert_cmpuint (n_computers, ==, 8);
}

static void
expect_xml_error (const char *text, TuError code, const char *needle)
{
	g_autoptr(GPtrArray) hosts =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	g_assert_false (tu_glpi_parse (text, strlen (text), "inv.xml", hosts, &error));
	g_assert_error (error, TU_ERROR, (gint) code);
	if (strstr (error->message, needle) == NULL ||
	    !g_str_has_prefix (error->message, "inv.xml"))
		g_error ("\"%s\" lacks \"%s\" or the file name", error->message, needle);
	g_assert_cmpuint (hosts->len, ==, 0);
}

static TuHostScan *
parse_xml_text (const char *text, GPtrArray *hosts)
{
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_glpi_parse (text, strlen (text), "inv.xml", hosts, &error));
	g_assert_no_error (error);
	return g_ptr_array_index (hosts, hosts->len - 1);
}

#define HW "<REQUEST><CONTENT><HARDWARE><NAME>pc1</NAME></HARDWARE>"
#define INV "</CONTENT><QUERY>INVENTORY</QUERY></REQUEST>"

static void
test_xml_bad (void)
{
	g_autoptr(GPtrArray) hosts =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	/* one SOFTWARES element is still a list; names are case-insensitive */
	TuHostScan *h = parse_xml_text ("<?xml version=\"1.0\"?>\n" HW "<softwares><NAME>Foo &amp; "
					"Bar</NAME><VERSION>1.0</VERSION><INSTALLDATE>2020-05-04"
					"</INSTALLDATE></softwares>" INV,
					hosts);
	g_assert_cmpstr (h->facts.hostname, ==, "pc1");
	g_assert_cmpuint (tu_record_list_len (h->records), ==, 1);
	g_assert_cmpstr (find (h, "Foo & Bar")->raw_version, ==, "1.0");
	g_assert_cmpstr (find (h, "Foo & Bar")->install_date, ==, "2020-05-04");
	/* empty elements are no values: no empty publisher, and no entry for <SOFTWARES/> */
	h = parse_xml_text (HW "<SOFTWARES/><SOFTWARES><NAME>a</NAME><PUBLISHER> </PUBLISHER>"
			    "</SOFTWARES>" INV,
			    hosts);
	g_assert_cmpuint (tu_record_list_len (h->records), ==, 1);
	g_assert_null (find (h, "a")->raw_publisher);
	/* no QUERY and no DEVICE: a computer, as GLPI reads it; an OCS Inventory NG agent's OS */
	h = parse_xml_text (HW "<SOFTWARES><NAME>a</NAME></SOFTWARES></CONTENT></REQUEST>", hosts);
	g_assert_cmpstr (h->facts.hostname, ==, "pc1");
	h = parse_xml_text ("<REQUEST><CONTENT><HARDWARE><NAME>pc2</NAME><OSNAME>Debian GNU/Linux "
			    "12</OSNAME></HARDWARE><SOFTWARES><NAME>a</NAME></SOFTWARES>" INV,
			    hosts);
	g_assert_cmpstr (h->facts.os_pretty, ==, "Debian GNU/Linux 12");

	/* no SOFTWARES, or only empty ones: refused like the JSON form */
	expect_xml_error (HW INV, TU_ERROR_INVALID_DATA, "without a softwares section");
	expect_xml_error (HW "<SOFTWARES>\n</SOFTWARES>" INV, TU_ERROR_INVALID_DATA,
			  "without a softwares section");
	/* an entry without a name, at its line */
	expect_xml_error (HW "\n<SOFTWARES><NAME>a</NAME></SOFTWARES>\n<SOFTWARES>\n<VERSION>1"
			  "</VERSION>\n</SOFTWARES>" INV,
			  TU_ERROR_INVALID_DATA, "inv.xml:3: <SOFTWARES> without a NAME");
	expect_xml_error (HW "<SOFTWARES>a</SOFTWARES>" INV, TU_ERROR_INVALID_DATA,
			  "inv.xml:1: <SOFTWARES> without a NAME");
	/* not a computer's */
	expect_xml_error (HW "<DEVICE><INFO><TYPE>PRINTER</TYPE></INFO></DEVICE>"
			     "</CONTENT></REQUEST>",
			  TU_ERROR_UNSUPPORTED, "QUERY (none) (a network device's inventory)");
	expect_xml_error ("<REQUEST><ITEMTYPE>Phone</ITEMTYPE><CONTENT><SOFTWARES><NAME>a</NAME>"
			  "</SOFTWARES>" INV,
			  TU_ERROR_UNSUPPORTED, "itemtype \"Phone\"");
	expect_xml_error (HW INV "x", TU_ERROR_INVALID_DATA, "malformed XML");
	expect_xml_error (HW "</CONTENT><QUERY>A</QUERY><QUERY>B</QUERY></REQUEST>",
			  TU_ERROR_UNSUPPORTED, "QUERY (none) (not a computer inventory)");
	/* malformed: file and line, blank lines before the root counted */
	expect_xml_error ("\n\n<REQUEST>\n<CONTENT>\n<SOFTWARES><NAME>x</VERSION>\n"
			  "</CONTENT></REQUEST>",
			  TU_ERROR_INVALID_DATA, "inv.xml:5: malformed XML");
	expect_xml_error ("<REQUEST><CONTENT><SOFTWARES><NAME>x</NAME>", TU_ERROR_INVALID_DATA,
			  "inv.xml:1: malformed XML");
	expect_xml_error ("<REQUEST><CONTENT><NAME>&bomb;</NAME>", TU_ERROR_INVALID_DATA,
			  "inv.xml:1: malformed XML");
	expect_xml_error ("<REQUEST><CONTENT><NAME>caf\xe9</NAME></CONTENT></REQUEST>",
			  TU_ERROR_INVALID_DATA, "inv.xml:1: malformed XML");
	expect_xml_error ("<REQUEST/>", TU_ERROR_INVALID_DATA, "inv.xml: an empty <REQUEST>");
	/* another root element */
	expect_xml_error ("<plist><dict/></plist>", TU_ERROR_UNSUPPORTED, "expected <REQUEST>");
	/* nesting bomb: refused at the depth limit, before the rest is read */
	GString *deep = g_string_new ("<REQUEST>");
	for (guint i = 0; i < 100000; i++)
		g_string_append (deep, "<A>\n");
	expect_xml_error (deep->str, TU_ERROR_INVALID_DATA,
			  "inv.xml:256: XML nested deeper than 256 levels");
	g_string_free (deep, TRUE);
	g_assert_cmpuint (hosts->len, ==, 4);
}

#undef HW
#undef INV

/* A real inventory cut anywhere is refused at the line where it ends. */
static void
test_xml_truncated (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/glpi/12.xml");
	g_autoptr(GBytes) b = tu_test_read (path);
	gsize len = 0;
	const char *text = g_bytes_get_data (b, &len);
	const gsize cuts[] = {len / 3, len / 2, len - 20};
	for (guint i = 0; i < G_N_ELEMENTS (cuts); i++) {
		g_autoptr(GPtrArray) hosts =
			g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
		g_autoptr(GError) error = NULL;
		g_assert_false (tu_glpi_parse (text, cuts[i], path, hosts, &error));
		g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
		guint line = 1;
		for (gsize k = 0; k < cuts[i]; k++)
			line += text[k] == '\n';
		g_autofree char *want = g_strdup_printf ("%s:%u: malformed XML", path, line);
		if (!g_str_has_prefix (error->message, want))
			g_error ("\"%s\" does not start with \"%s\"", error->message, want);
	}
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
	g_test_add_func ("/trueup/scan/glpi/legacy-xml-windows", test_xml_windows);
	g_test_add_func ("/trueup/scan/glpi/legacy-xml-macos", test_xml_macos);
	g_test_add_func ("/trueup/scan/glpi/legacy-xml-same-as-json", test_xml_same_as_json);
	g_test_add_func ("/trueup/scan/glpi/legacy-xml-all-upstream-samples", test_xml_all_samples);
	g_test_add_func ("/trueup/scan/glpi/legacy-xml-bad-input", test_xml_bad);
	g_test_add_func ("/trueup/scan/glpi/legacy-xml-truncated-at-its-line", test_xml_truncated);
	g_test_add_func ("/trueup/scan/glpi/corrupt-is-error-naming-field", test_corrupt);
	return g_test_run ();
}
