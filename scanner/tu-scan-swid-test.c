/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SWID tag parser and finder tests: NIST's and rpm2swidtag's tags (valid ones recorded,
 * supplemental and rpm-generated ones skipped, every deliberately wrong one an error naming
 * the file and what is wrong), a 2009 tag, patch and corpus tags, hostile input, and the
 * finder on a host-like snapshot with Linux and Windows tag directories.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static GBytes *
fixture (const char *rel)
{
	g_autofree char *full = g_build_filename ("tests/fixtures/swid", rel, NULL);
	g_autofree char *path = tu_test_source_path (full);
	return tu_test_read (path);
}

/* Parse a fixture; the number of records it added, -1 when it failed (error set). */
static int
parse (TuHostScan *scan, const char *rel, GError **error)
{
	g_autoptr(GBytes) b = fixture (rel);
	guint before = tu_record_list_len (scan->records);
	if (!tu_swid_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), rel, scan, error))
		return -1;
	return (int) (tu_record_list_len (scan->records) - before);
}

static const TuRecord *
last (TuHostScan *scan)
{
	return tu_record_list_get (scan->records, tu_record_list_len (scan->records) - 1);
}

static void
test_nist (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_cmpint (parse (scan, "nist-swid-tools/authoritative.swidtag", &error), ==, 1);
	g_assert_no_error (error);
	const TuRecord *r = last (scan);
	g_assert_cmpint (r->source, ==, TU_SOURCE_SWID);
	g_assert_cmpstr (r->raw_name, ==, "swidval");
	g_assert_cmpstr (r->raw_version, ==, "0.5.0.1");
	g_assert_cmpstr (r->raw_publisher, ==, "National Institute of Standards and Technology");
	g_assert_cmpstr (r->location, ==, "nist-swid-tools/authoritative.swidtag");
	g_assert_null (r->kind);

	/* only a tagCreator: the publisher falls back to it */
	g_assert_cmpint (parse (scan, "nist-swid-tools/non-authoritative.swidtag", &error), ==, 1);
	g_assert_cmpstr (last (scan)->raw_publisher, ==, "National Institute of Standards and Technology");

	/* the smallest valid tag: no version attribute */
	g_assert_cmpint (parse (scan, "nist-swid-tools/minimal-swid.xml", &error), ==, 1);
	r = last (scan);
	g_assert_cmpstr (r->raw_name, ==, "ACME Roadrunner Management Suite Coyote Edition");
	g_assert_null (r->raw_version);
	g_assert_cmpstr (r->raw_publisher, ==, "ACME Connection");
	g_assert_cmpuint (scan->warnings->len, ==, 0);
}

static void
test_rpm2swidtag (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_cmpint (parse (scan, "rpm2swidtag/swiddata1/a.test/distro.swidtag", &error), ==, 1);
	const TuRecord *r = last (scan);
	g_assert_cmpstr (r->raw_name, ==, "Example OS Distribution");
	g_assert_cmpstr (r->raw_version, ==, "3.x86_64");
	g_assert_cmpstr (r->raw_publisher, ==, "Example A Organization");
	g_assert_cmpint (parse (scan, "rpm2swidtag/swiddata1/a.test/minimal.swidtag", &error), ==, 1);
	g_assert_cmpstr (last (scan)->raw_name, ==, "Minial SWID tag");
	g_assert_cmpint (parse (scan, "rpm2swidtag/swiddata1/sup/p1.swidtag", &error), ==, 1);

	/* strongSwan's tag of an rpm (versionScheme alphanumeric): recorded; the tagCreator is
	 * the only entity */
	g_assert_cmpint (parse (scan, "rpm2swidtag/swid_generator/swid_generator_bash.swidtag", &error),
			 ==, 1);
	r = last (scan);
	g_assert_cmpstr (r->raw_name, ==, "bash");
	g_assert_cmpstr (r->raw_version, ==, "4.4.23-4.fc30.x86_64");
	g_assert_cmpstr (r->raw_publisher, ==, "strongSwan Project");

	/* not products: supplemental tags, and tags generated from the rpm database (the rpm
	 * source records those packages); signed tags parse despite the DSig namespace */
	const char *skipped[] = {
		"rpm2swidtag/swiddata1/sup/s1.swidtag",
		"rpm2swidtag/pkg1/pkg1-1.3.0-1.fc28.x86_64.swidtag.supplemental-component-of-distro",
		"rpm2swidtag/swiddata1/a.test/pkg3.swidtag",
		"rpm2swidtag/swiddata1/a.test/qkg1.swidtag",
		"rpm2swidtag/hello-rpm/hello-1.0-1.i386.swidtag",
		"rpm2swidtag/pkg-signed-xmlsec-1.3/test.example.pkg1-1.2.0-1.fc28.x86_64-rpm-"
		"fc67230522bd0a0d030568a8cfb108419cd51f173753ff2ef618a42bbfa29096.swidtag",
	};
	for (guint i = 0; i < G_N_ELEMENTS (skipped); i++) {
		g_assert_cmpint (parse (scan, skipped[i], &error), ==, 0);
		g_assert_no_error (error);
	}
	g_assert_cmpuint (scan->warnings->len, ==, 0);
}

/* rpm2swidtag's swiddata-wrong: each one an error naming the file, the line and the fault */
static void
test_wrong (void)
{
	struct {
		const char *file;
		const char *expect;
	} cases[] = {
		{"missing-name.xml", "missing-name.xml:2: SoftwareIdentity without a name"},
		{"missing-tagId.xml",
		 "missing-tagId.xml:2: SoftwareIdentity Example OS Distribution without a tagId"},
		{"wrong-root.xml",
		 "wrong-root.xml:2: the root element is <Entity>, not a SWID tag's <SoftwareIdentity>"},
		{"wrong-schema.xml", "wrong-schema.xml:2: <SoftwareIdentity> is in namespace "
				     "\"http://standards.iso.org/iso/19770/-2/2013-error/schema.xsd\""},
		{"SoftwareIdentity-in-SoftwareIdentity.swidtag",
		 "SoftwareIdentity-in-SoftwareIdentity.swidtag:6: a SoftwareIdentity inside the "
		 "SoftwareIdentity"},
		{"supplemental-without-link.swidtag",
		 "supplemental-without-link.swidtag:2: supplemental tag test.a.Example-OS-Distro-3.14.x86_64 "
		 "without a Link rel=\"supplemental\""},
		{"supplemental-without-attribute.swidtag",
		 "supplemental-without-attribute.swidtag:6: tag test.a.Example-OS-Distro-3.14.x86_64 has a "
		 "Link rel=\"supplemental\" but no supplemental=\"true\""},
	};
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *rel = g_strdup_printf ("rpm2swidtag/swiddata-wrong/%s", cases[i].file);
		g_assert_cmpint (parse (scan, rel, &error), ==, -1);
		g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
		if (strstr (error->message, cases[i].expect) == NULL)
			g_error ("%s: \"%s\" lacks \"%s\"", cases[i].file, error->message, cases[i].expect);
		g_assert_true (g_str_has_prefix (error->message, rel));
	}
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
}

/* ISO/IEC 19770-2:2009 in the form Flexera-built installers write (Adobe's tags under
 * ProgramData/regid.1986-12.com.adobe): constructed here, no such tag with a suitable
 * licence being available. */
static const char tag_2009[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<swid:software_identification_tag xmlns:swid=\"http://standards.iso.org/iso/19770/-2/2008/schema.xsd\"\n"
	"    xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" xmlns:fs=\"http://www.flexerasoftware.com/swid/2011/arp\">\n"
	"  <swid:entitlement_required_indicator>true</swid:entitlement_required_indicator>\n"
	"  <swid:product_title>Acrobat X Pro</swid:product_title>\n"
	"  <swid:product_version><swid:name>10.0</swid:name><swid:numeric><swid:major>10</swid:major>"
	"<swid:minor>0</swid:minor><swid:build>0</swid:build><swid:review>0</swid:review></swid:numeric>"
	"</swid:product_version>\n"
	"  <swid:software_creator><swid:name>Adobe Systems Incorporated</swid:name>"
	"<swid:regid>regid.1986-12.com.adobe</swid:regid></swid:software_creator>\n"
	"  <swid:software_licensor><swid:name>Adobe Systems Incorporated</swid:name></swid:software_licensor>\n"
	"  <swid:software_id><swid:unique_id>AcrobatPro-AS1-Win-GM-MUL</swid:unique_id>"
	"<swid:tag_creator_regid>regid.1986-12.com.adobe</swid:tag_creator_regid></swid:software_id>\n"
	"  <swid:tag_creator><swid:name>Adobe Systems Incorporated</swid:name></swid:tag_creator>\n"
	"  <swid:extended_information><fs:original_arp_display_name>Adobe Acrobat X Pro</fs:original_arp_display_name>"
	"<swid:name>not the product</swid:name></swid:extended_information>\n"
	"</swid:software_identification_tag>\n";

static void
test_2009_patch_corpus (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_swid_parse (tag_2009, sizeof tag_2009 - 1, "adobe.swidtag", scan, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
	const TuRecord *r = last (scan);
	g_assert_cmpstr (r->raw_name, ==, "Acrobat X Pro");
	g_assert_cmpstr (r->raw_version, ==, "10.0");
	g_assert_cmpstr (r->raw_publisher, ==, "Adobe Systems Incorporated");

	/* 2009, no version name: the numeric parts; no unique_id: an error */
	g_autofree char *numeric = g_strdup (tag_2009);
	char *at = strstr (numeric, "<swid:name>10.0</swid:name>");
	memcpy (at, "<swid:nome>10.0</swid:nome>", 27);
	g_assert_true (tu_swid_parse (numeric, strlen (numeric), "n.swidtag", scan, &error));
	g_assert_cmpstr (last (scan)->raw_version, ==, "10.0.0.0");
	at = strstr (numeric, "unique_id>AcrobatPro");
	memcpy (at, "unique_xx", 9);
	at = strstr (numeric, "unique_id>");
	memcpy (at, "unique_xx", 9);
	g_assert_false (tu_swid_parse (numeric, strlen (numeric), "n.swidtag", scan, &error));
	g_assert_cmpstr (error->message, ==,
			 "n.swidtag:2: software_identification_tag Acrobat X Pro without a software_id/unique_id");
	g_clear_error (&error);

	/* a patch is recorded as an update, a corpus tag (an installer) is not recorded; a
	 * prefixed root element resolves through its xmlns declaration */
	const char *patch = "<s:SoftwareIdentity xmlns:s=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\" "
			    "name=\"ACME Suite Patch KB1\" tagId=\"acme.patch.1\" version=\"4.1.5.1\" patch=\"true\">"
			    "<s:Entity name=\"ACME\" role=\"tagCreator softwareCreator\"/>"
			    "<s:Meta arch=\"x86_64\"/>"
			    "<s:Link rel=\"patches\" href=\"swid:acme.rms\"/></s:SoftwareIdentity>";
	g_assert_true (tu_swid_parse (patch, strlen (patch), "p.swidtag", scan, &error));
	r = last (scan);
	g_assert_cmpstr (r->raw_name, ==, "ACME Suite Patch KB1");
	g_assert_cmpstr (r->kind, ==, "update");
	g_assert_cmpstr (r->arch, ==, "x86_64");
	guint before = tu_record_list_len (scan->records);
	const char *corpus = "<SoftwareIdentity xmlns=\"https://standards.iso.org/iso/19770/-2/2015/schema.xsd\" "
			     "name=\"ACME Installer\" tagId=\"acme.setup\" corpus=\"true\"/>";
	g_assert_true (tu_swid_parse (corpus, strlen (corpus), "c.swidtag", scan, &error));
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, before);
}

/* Truncated, garbage, UTF-16, deep nesting, entities that are not XML's. */
static void
test_bad_input (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = fixture ("nist-swid-tools/authoritative.swidtag");
	gsize len = 0;
	const char *tag = g_bytes_get_data (b, &len);

	g_assert_false (tu_swid_parse (tag, 300, "t.swidtag", scan, &error));
	g_assert_true (g_str_has_prefix (error->message, "t.swidtag:"));
	g_clear_error (&error);

	const char garbage[] = "\x7f" "ELF\x02\x01\x01\x00\xff\xfe<<<>>";
	g_assert_false (tu_swid_parse (garbage, sizeof garbage - 1, "g.swidtag", scan, &error));
	g_assert_true (g_str_has_prefix (error->message, "g.swidtag:1: "));
	g_clear_error (&error);

	g_assert_false (tu_swid_parse ("", 0, "e.swidtag", scan, &error));
	g_assert_true (g_str_has_prefix (error->message, "e.swidtag:1: "));
	g_clear_error (&error);

	const char *entity = "<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\" "
			     "name=\"&xxe;\" tagId=\"x\"/>";
	g_assert_false (tu_swid_parse (entity, strlen (entity), "x.swidtag", scan, &error));
	g_assert_true (g_str_has_prefix (error->message, "x.swidtag:1: "));
	g_clear_error (&error);

	/* UTF-16LE with a BOM, as some Windows installers write */
	gsize u16_len = 0;
	g_autofree char *u16 = g_convert (tag, (gssize) len, "UTF-16LE", "UTF-8", NULL, &u16_len, &error);
	g_assert_no_error (error);
	g_autofree char *with_bom = g_malloc (u16_len + 2);
	with_bom[0] = (char) 0xff;
	with_bom[1] = (char) 0xfe;
	memcpy (with_bom + 2, u16, u16_len);
	/* the declaration says UTF-8; what matters is the bytes */
	g_assert_true (tu_swid_parse (with_bom, u16_len + 2, "w.swidtag", scan, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (last (scan)->raw_name, ==, "swidval");

	GString *deep = g_string_new ("<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/"
				      "schema.xsd\" name=\"a\" tagId=\"b\">\n");
	for (guint i = 0; i < 10000; i++)
		g_string_append (deep, "<x>");
	g_assert_false (tu_swid_parse (deep->str, deep->len, "d.swidtag", scan, &error));
	g_assert_cmpstr (error->message, ==, "d.swidtag:2: nested deeper than 256 elements");
	g_clear_error (&error);
	g_string_free (deep, TRUE);

	/* two root elements (GMarkup reads on after the first) */
	const char *two = "<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\" "
			  "name=\"a\" tagId=\"b\"/>\n<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/"
			  "2015/schema.xsd\" name=\"c\" tagId=\"d\"/>";
	g_assert_false (tu_swid_parse (two, strlen (two), "2.swidtag", scan, &error));
	g_assert_cmpstr (error->message, ==, "2.swidtag:2: a second root element <SoftwareIdentity> after the tag");
	g_clear_error (&error);

	/* invalid UTF-8 in an attribute value */
	const char *latin1 = "<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\" "
			     "name=\"Caf\xe9\" tagId=\"x\"/>";
	g_assert_false (tu_swid_parse (latin1, strlen (latin1), "l.swidtag", scan, &error));
	g_assert_true (g_str_has_prefix (error->message, "l.swidtag:1: "));
	g_clear_error (&error);
}

static void
add_fixture (TuFs *fs, const char *rel, const char *at)
{
	g_autoptr(GBytes) b = fixture (rel);
	tu_fs_snapshot_add (fs, at, b);
}

static void
test_finder (void)
{
	g_autoptr(TuFs) fs = tu_fs_new_snapshot ("img");
	add_fixture (fs, "nist-swid-tools/authoritative.swidtag",
		     "usr/share/swidtag/nist.gov/gov.nist.decima-swidval-0.5.0.1.swidtag");
	/* the same tagId twice (a copy in another directory): one product */
	add_fixture (fs, "nist-swid-tools/non-authoritative.swidtag",
		     "etc/swid/swidtags.d/nist.gov/gov.nist.decima-swidval-0.5.0.1.swidtag");
	add_fixture (fs, "rpm2swidtag/swiddata1/a.test/distro.swidtag",
		     "etc/swid/swidtags.d/a.test/distro.swidtag");
	add_fixture (fs, "rpm2swidtag/swiddata1/a.test/pkg3.swidtag",
		     "etc/swid/swidtags.d/a.test/pkg3.swidtag");
	add_fixture (fs, "nist-swid-tools/minimal-swid.xml", "usr/local/share/swidtag/acme.org/rms.xml");
	add_fixture (fs, "rpm2swidtag/swiddata-wrong/missing-name.xml",
		     "usr/local/share/swidtag/a.test/missing-name.xml");
	add_fixture (fs, "rpm2swidtag/swiddata-wrong/wrong-root.xml",
		     "usr/share/swidtag/a.test/wrong-root.xml");
	/* too deep for the collector's find -maxdepth 3: not looked at */
	add_fixture (fs, "rpm2swidtag/swiddata1/sup/p1.swidtag", "usr/share/swidtag/a/b/c/p1.swidtag");
	/* not a tag's extension */
	add_fixture (fs, "rpm2swidtag/swiddata1/sup/p1.swidtag", "usr/share/swidtag/a.test/p1.txt");
	g_autoptr(GBytes) adobe = g_bytes_new_static (tag_2009, sizeof tag_2009 - 1);
	tu_fs_snapshot_add (fs,
			    "ProgramData/regid.1986-12.com.adobe/regid.1986-12.com.adobe_AcrobatPro-AS1-Win-GM-MUL.swidtag",
			    adobe);

	g_autoptr(TuHostScan) scan = tu_host_scan_new ("root:/img");
	TuScanOptions opts = {0};
	tu_source_swid (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 4);
	gboolean found_adobe = FALSE, found_acme = FALSE;
	guint n_swidval = 0;
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		n_swidval += g_strcmp0 (r->raw_name, "swidval") == 0;
		if (g_strcmp0 (r->raw_name, "Acrobat X Pro") == 0) {
			found_adobe = TRUE;
			g_assert_cmpstr (r->location, ==,
					 "/ProgramData/regid.1986-12.com.adobe/regid.1986-12.com.adobe_"
					 "AcrobatPro-AS1-Win-GM-MUL.swidtag");
		}
		found_acme |= g_strcmp0 (r->location, "/usr/local/share/swidtag/acme.org/rms.xml") == 0;
	}
	g_assert_cmpuint (n_swidval, ==, 1);
	g_assert_true (found_adobe);
	g_assert_true (found_acme);
	g_assert_cmpuint (scan->warnings->len, ==, 2);
	g_assert_true (g_str_has_prefix (tu_warnings_text (scan->warnings, 0),
					 "img:/usr/share/swidtag/a.test/wrong-root.xml:2: the root element"));
	g_assert_true (g_str_has_prefix (tu_warnings_text (scan->warnings, 1),
					 "img:/usr/local/share/swidtag/a.test/missing-name.xml:2: "));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/swid/nist-2015-tags", test_nist);
	g_test_add_func ("/trueup/scan/swid/rpm2swidtag-products-and-skips", test_rpm2swidtag);
	g_test_add_func ("/trueup/scan/swid/wrong-tags-are-errors-naming-the-fault", test_wrong);
	g_test_add_func ("/trueup/scan/swid/2009-tag-patch-corpus", test_2009_patch_corpus);
	g_test_add_func ("/trueup/scan/swid/bad-input-is-an-error-with-line", test_bad_input);
	g_test_add_func ("/trueup/scan/swid/finder-linux-and-windows-dirs", test_finder);
	return g_test_run ();
}
