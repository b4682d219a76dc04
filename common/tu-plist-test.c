/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The property-list reader on real files and on hostile ones: the XML and the binary form of
 * the same plists (Slack's Info.plist, a system_profiler export) read to the same tree; dates
 * to UTC text; JSON only when allowed; and binary plists that lie (a cycle, references out of
 * range, a trailer that does not fit, an object shared into a huge tree, an unknown version)
 * refused with the byte at fault.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-plist.h"
#include "tu-test-util.h"

static GBytes *
fixture (const char *rel)
{
	g_autofree char *full = g_build_filename ("tests/fixtures/macos", rel, NULL);
	g_autofree char *path = tu_test_source_path (full);
	return tu_test_read (path);
}

static TuPlistNode *
parse_bytes (GBytes *b, const char *path, gboolean allow_json, GError **error)
{
	return tu_plist_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path, allow_json,
			       error);
}

/* The tree as text: types, keys, values, in order. */
static void
dump (const TuPlistNode *n, GString *out)
{
	static const char *const names[] = {"null", "bool", "int", "real", "date",
					    "data", "string", "uid", "array", "dict"};
	g_string_append_printf (out, "%s", names[n->type]);
	if (n->type == TU_PLIST_ARRAY || n->type == TU_PLIST_DICT) {
		g_string_append (out, n->type == TU_PLIST_ARRAY ? "[" : "{");
		for (guint i = 0; i < n->items->len; i++) {
			if (n->type == TU_PLIST_DICT)
				g_string_append_printf (
					out, "%s=", (const char *) g_ptr_array_index (n->keys, i));
			dump (g_ptr_array_index (n->items, i), out);
			g_string_append_c (out, ',');
		}
		g_string_append (out, n->type == TU_PLIST_ARRAY ? "]" : "}");
	} else if (n->type == TU_PLIST_BOOL || n->type == TU_PLIST_UID) {
		g_string_append_printf (out, ":%" G_GINT64_FORMAT, n->integer);
	} else if (n->str != NULL) {
		g_string_append_printf (out, ":%s", n->str);
	}
}

static char *
dump_text (const TuPlistNode *n)
{
	GString *s = g_string_new (NULL);
	dump (n, s);
	return g_string_free (s, FALSE);
}

static void
test_xml_and_binary_agree (void)
{
	static const char *const pairs[][2] = {
		{"syft-apple/install-example/Applications/Slack.app/Contents/Info.plist",
		 "Slack.Info.bplist"},
		{"glpi-agent/sample5.SPApplicationsDataType-xml",
		 "glpi-agent/sample5.SPApplicationsDataType.bplist"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (pairs); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) xb = fixture (pairs[i][0]);
		g_autoptr(GBytes) bb = fixture (pairs[i][1]);
		g_assert_true (g_str_has_prefix (g_bytes_get_data (bb, NULL), "bplist00"));
		g_autoptr(TuPlistNode) x = parse_bytes (xb, pairs[i][0], FALSE, &error);
		g_assert_no_error (error);
		g_autoptr(TuPlistNode) b = parse_bytes (bb, pairs[i][1], FALSE, &error);
		g_assert_no_error (error);
		g_autofree char *xt = dump_text (x);
		g_autofree char *bt = dump_text (b);
		g_assert_cmpstr (xt, ==, bt);
	}
}

static void
test_values (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = fixture ("Slack.Info.bplist");
	g_autoptr(TuPlistNode) root = parse_bytes (b, "Slack.Info.bplist", FALSE, &error);
	g_assert_no_error (error);
	g_assert_true (tu_plist_is (root, TU_PLIST_DICT));
	g_assert_cmpstr (tu_plist_get_text (root, "CFBundleShortVersionString"), ==, "4.50.128");
	g_assert_cmpstr (tu_plist_get_text (root, "NSHumanReadableCopyright"), ==,
			 "\xc2\xa9"
			 "2026 Slack Technologies LLC, a Salesforce company. All rights reserved.");
	g_assert_null (tu_plist_get (root, "NoSuchKey"));
	g_assert_null (tu_plist_get_text (root, NULL) ? root : NULL);

	/* dates as UTC text, integers and reals as written, booleans, data not text */
	static const char xml[] =
		"<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict>\n"
		"<key>when</key><date>2024-02-26T05:47:45Z</date>\n"
		"<key>n</key><integer>-42</integer><key>r</key><real>6.5</real>\n"
		"<key>yes</key><true/><key>blob</key><data>AAEC</data>\n"
		"<key>list</key><array><string>a</string><string></string></array>\n"
		"</dict></plist>\n";
	g_autoptr(TuPlistNode) x =
		tu_plist_parse ((const guint8 *) xml, strlen (xml), "x.plist", FALSE, &error);
	g_assert_no_error (error);
	g_autofree char *t = dump_text (x);
	g_assert_cmpstr (t, ==,
			 "dict{when=date:2024-02-26T05:47:45Z,n=int:-42,r=real:6.5,yes=bool:1,"
			 "blob=data,list=array[string:a,string:,],}");
	g_assert_null (tu_plist_get_text (x, "blob"));
	g_assert_null (tu_plist_text (g_ptr_array_index (tu_plist_get (x, "list")->items, 1)));
}

static void
test_json_only_when_allowed (void)
{
	static const char json[] = " {\"a\": [1, 2.5, \"x\", true, null]}";
	g_autoptr(GError) error = NULL;
	g_autoptr(TuPlistNode) j =
		tu_plist_parse ((const guint8 *) json, strlen (json), "a.json", TRUE, &error);
	g_assert_no_error (error);
	g_autofree char *t = dump_text (j);
	g_assert_cmpstr (t, ==, "dict{a=array[int:1,real:2.5,string:x,bool:1,null,],}");
	g_autoptr(TuPlistNode) x =
		tu_plist_parse ((const guint8 *) json, strlen (json), "a.plist", FALSE, &error);
	g_assert_null (x);
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_true (g_str_has_prefix (error->message, "a.plist:1: "));
}

static void
test_malformed_xml_names_the_line (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = fixture ("syft-apple/parse-cases/malformed.plist");
	g_autoptr(TuPlistNode) n = parse_bytes (b, "malformed.plist", FALSE, &error);
	g_assert_null (n);
	g_assert_nonnull (error);
	g_assert_true (g_str_has_prefix (error->message, "malformed.plist:"));

	GString *deep = g_string_new ("<plist>");
	for (guint i = 0; i < TU_PLIST_MAX_DEPTH + 2; i++)
		g_string_append (deep, "<array>\n");
	g_clear_error (&error);
	g_autoptr(TuPlistNode) d =
		tu_plist_parse ((const guint8 *) deep->str, deep->len, "deep.plist", FALSE, &error);
	g_assert_null (d);
	g_assert_nonnull (strstr (error->message, "nested deeper than 128"));
	g_string_free (deep, TRUE);
}

/* A binary plist: the header, @objects, an offset table of one-byte offsets and the trailer
 * (one-byte offsets and references). */
static GByteArray *
bplist (const guint8 *objects, gsize len, const guint8 *offsets, guint n_objects, guint top)
{
	GByteArray *a = g_byte_array_new ();
	g_byte_array_append (a, (const guint8 *) "bplist00", 8);
	g_byte_array_append (a, objects, (guint) len);
	guint table = a->len;
	g_byte_array_append (a, offsets, n_objects);
	guint8 trailer[32] = {0};
	trailer[6] = 1;
	trailer[7] = 1;
	trailer[15] = (guint8) n_objects;
	trailer[23] = (guint8) top;
	trailer[31] = (guint8) table;
	g_byte_array_append (a, trailer, 32);
	return a;
}

static void
expect_refused (GByteArray *a, const char *what)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuPlistNode) n =
		tu_plist_parse (a->data, a->len, "hostile.bplist", FALSE, &error);
	g_assert_null (n);
	g_assert_nonnull (error);
	if (strstr (error->message, what) == NULL)
		g_error ("expected \"%s\" in: %s", what, error->message);
	g_assert_true (g_str_has_prefix (error->message, "hostile.bplist: byte "));
	g_byte_array_unref (a);
}

static void
test_hostile_binary (void)
{
	/* an array that contains itself */
	static const guint8 cycle[] = {0xA1, 0x00};
	static const guint8 cycle_off[] = {8};
	expect_refused (bplist (cycle, sizeof cycle, cycle_off, 1, 0), "contains itself");
	/* a reference to an object that does not exist */
	static const guint8 dangling[] = {0xA1, 0x05};
	expect_refused (bplist (dangling, sizeof dangling, cycle_off, 1, 0),
			"reference to object 5");
	/* the top object out of range */
	expect_refused (bplist (cycle, sizeof cycle, cycle_off, 1, 3), "top object 3 of 1");
	/* 20 arrays, each holding the next twice: 2^20 nodes from 42 bytes */
	guint8 chain[64];
	guint8 chain_off[24];
	gsize n = 0;
	for (guint i = 0; i < 20; i++) {
		chain_off[i] = (guint8) (8 + n);
		chain[n++] = 0xA2;
		chain[n++] = (guint8) (i + 1);
		chain[n++] = (guint8) (i + 1);
	}
	chain_off[20] = (guint8) (8 + n);
	chain[n++] = 0x10; /* a one-byte integer */
	chain[n++] = 7;
	expect_refused (bplist (chain, n, chain_off, 21, 0), "objects decoded (shared references)");
	/* a string longer than the file */
	static const guint8 overlong[] = {0x5F, 0x10, 0x7F, 'a'};
	expect_refused (bplist (overlong, sizeof overlong, cycle_off, 1, 0), "past the end");

	/* too short, and a version trueup does not know */
	g_autoptr(GError) error = NULL;
	g_autoptr(TuPlistNode) s =
		tu_plist_parse ((const guint8 *) "bplist00xx", 10, "s.bplist", FALSE, &error);
	g_assert_null (s);
	g_assert_nonnull (strstr (error->message, "too short"));
	g_clear_error (&error);
	g_autoptr(TuPlistNode) v =
		tu_plist_parse ((const guint8 *) "bplist15xxxxxxxx", 16, "v.bplist", FALSE, &error);
	g_assert_null (v);
	g_assert_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/plist/xml-and-binary-read-the-same", test_xml_and_binary_agree);
	g_test_add_func ("/trueup/plist/values-dates-numbers-data", test_values);
	g_test_add_func ("/trueup/plist/json-only-when-allowed", test_json_only_when_allowed);
	g_test_add_func ("/trueup/plist/malformed-xml-and-depth",
			 test_malformed_xml_names_the_line);
	g_test_add_func ("/trueup/plist/hostile-binary-refused-with-the-byte", test_hostile_binary);
	return g_test_run ();
}
