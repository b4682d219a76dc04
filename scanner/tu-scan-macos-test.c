/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * macOS tests: Syft's Info.plist cases with upstream's expected values, the same plist in
 * binary form, hostile binary plists (every truncation, cycles, out-of-range offsets, huge
 * counts, shared-reference bombs), GLPI Agent's system_profiler -xml samples compared with
 * upstream's expected software lists, the same data as binary plist and as -json, GLPI
 * Agent's system_profiler text samples (and the text and -xml of one host compared), the
 * collector script run against stub commands, and the finder on a snapshot of a Mac.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static GBytes *
fixture (const char *rel)
{
	g_autofree char *full = g_build_filename ("tests/fixtures/macos", rel, NULL);
	g_autofree char *path = tu_test_source_path (full);
	return tu_test_read (path);
}

static char *
fixture_path (const char *rel)
{
	g_autofree char *full = g_build_filename ("tests/fixtures/macos", rel, NULL);
	return tu_test_source_path (full);
}

/* Parse an Info.plist fixture: records added, -1 on failure (error set) */
static int
parse_plist (TuHostScan *scan, const char *rel, const char *as_path, GError **error)
{
	g_autoptr(GBytes) b = fixture (rel);
	guint before = tu_record_list_len (scan->records);
	if (!tu_macos_parse_info_plist (g_bytes_get_data (b, NULL), g_bytes_get_size (b),
					as_path ? as_path : rel, scan, error))
		return -1;
	return (int) (tu_record_list_len (scan->records) - before);
}

static const TuRecord *
last (TuHostScan *scan)
{
	return tu_record_list_get (scan->records, tu_record_list_len (scan->records) - 1);
}

/* upstream Test_AppleAppBundleCataloger */
static void
test_syft_bundles (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	const char *slack = "syft-apple/install-example/Applications/Slack.app/Contents/Info.plist";
	g_assert_cmpint (parse_plist (scan, slack, NULL, &error), ==, 1);
	g_assert_no_error (error);
	const TuRecord *r = last (scan);
	g_assert_cmpint (r->source, ==, TU_SOURCE_MACOS);
	g_assert_cmpstr (r->raw_name, ==, "Slack");
	g_assert_cmpstr (r->raw_version, ==, "4.50.128");
	/* "©2026 Slack Technologies LLC, a Salesforce company. All rights reserved." */
	g_assert_cmpstr (r->raw_publisher, ==, "Slack Technologies LLC");
	g_assert_cmpstr (r->location, ==, "syft-apple/install-example/Applications/Slack.app");
	g_assert_null (r->purl); /* no purl type for app bundles; the identifier is no publisher */

	g_assert_cmpint (parse_plist (scan, "syft-apple/native-app-example/Applications/Ghostty.app/Contents/Info.plist",
				      NULL, &error),
			 ==, 1);
	r = last (scan);
	g_assert_cmpstr (r->raw_name, ==, "Ghostty");
	g_assert_cmpstr (r->raw_version, ==, "1.3.1");
	g_assert_null (r->raw_publisher);
	g_assert_cmpuint (scan->warnings->len, ==, 0);
}

/* upstream Test_parseInfoPlist */
static void
test_syft_parse_cases (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_cmpint (parse_plist (scan, "syft-apple/parse-cases/name-from-executable.plist", NULL, &error),
			 ==, 1);
	g_assert_cmpstr (last (scan)->raw_name, ==, "Exec");
	g_assert_cmpstr (last (scan)->raw_version, ==, "1.0");
	g_assert_cmpint (parse_plist (scan, "syft-apple/parse-cases/name-from-identifier.plist", NULL, &error),
			 ==, 1);
	g_assert_cmpstr (last (scan)->raw_name, ==, "com.example.app");
	g_assert_cmpstr (last (scan)->raw_version, ==, "1.0");
	g_assert_cmpint (parse_plist (scan, "syft-apple/parse-cases/version-from-bundle-version.plist", NULL,
				      &error),
			 ==, 1);
	g_assert_cmpstr (last (scan)->raw_name, ==, "Name");
	g_assert_cmpstr (last (scan)->raw_version, ==, "42");
	/* no name: no package, no error */
	g_assert_cmpint (parse_plist (scan, "syft-apple/parse-cases/no-name.plist", NULL, &error), ==, 0);
	g_assert_no_error (error);
	/* inside a bundle, the folder names the application before the identifier does */
	g_assert_cmpint (parse_plist (scan, "syft-apple/parse-cases/no-name.plist",
				      "/mnt/Applications/Untitled Tool.app/Contents/Info.plist", &error),
			 ==, 1);
	g_assert_cmpstr (last (scan)->raw_name, ==, "Untitled Tool");
	/* no version: upstream drops the bundle; trueup records the installation without one */
	g_assert_cmpint (parse_plist (scan, "syft-apple/parse-cases/no-version.plist", NULL, &error), ==, 1);
	g_assert_cmpstr (last (scan)->raw_name, ==, "Name");
	g_assert_null (last (scan)->raw_version);
	/* malformed: an error naming the file and line */
	g_assert_cmpint (parse_plist (scan, "syft-apple/parse-cases/malformed.plist", NULL, &error), ==, -1);
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_true (g_str_has_prefix (error->message, "syft-apple/parse-cases/malformed.plist:1: "));
}

/* The Slack plist converted to bplist00 by plistlib gives the same record. */
static void
test_binary_info_plist (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_cmpint (parse_plist (scan, "Slack.Info.bplist", "Applications/Slack.app/Contents/Info.plist",
				      &error),
			 ==, 1);
	g_assert_no_error (error);
	const TuRecord *r = last (scan);
	g_assert_cmpstr (r->raw_name, ==, "Slack");
	g_assert_cmpstr (r->raw_version, ==, "4.50.128");
	g_assert_cmpstr (r->raw_publisher, ==, "Slack Technologies LLC"); /* from a UTF-16 string */
	g_assert_cmpstr (r->location, ==, "Applications/Slack.app");
}

/* A bplist00 from its objects: each object's bytes, 1-byte offsets and references. */
static GByteArray *
make_bplist (const char *const *objects, const gsize *lengths, guint n, guint top)
{
	GByteArray *out = g_byte_array_new ();
	g_byte_array_append (out, (const guint8 *) "bplist00", 8);
	guint8 offsets[64];
	for (guint i = 0; i < n; i++) {
		offsets[i] = (guint8) out->len;
		g_byte_array_append (out, (const guint8 *) objects[i], (guint) lengths[i]);
	}
	guint table = out->len;
	g_byte_array_append (out, offsets, n);
	guint8 trailer[32] = {0};
	trailer[6] = 1; /* offset size */
	trailer[7] = 1; /* reference size */
	trailer[15] = (guint8) n;
	trailer[23] = (guint8) top;
	trailer[31] = (guint8) table;
	g_byte_array_append (out, trailer, 32);
	return out;
}

static void
expect_bplist_error (GByteArray *b, const char *needle)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_false (tu_macos_parse_info_plist (b->data, b->len, "x.plist", scan, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" lacks \"%s\"", error->message, needle);
	g_assert_true (g_str_has_prefix (error->message, "x.plist: byte "));
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
}

static void
test_binary_hostile (void)
{
	/* every prefix and a corrupted copy of a real binary plist: an error or a record, never
	 * a crash (the sanitizer builds and valgrind check the "never") */
	g_autoptr(GBytes) b = fixture ("Slack.Info.bplist");
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (b, &len);
	guint n_ok = 0;
	for (gsize cut = 0; cut < len; cut++) {
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_autoptr(GError) error = NULL;
		if (tu_macos_parse_info_plist (data, cut, "t.plist", scan, &error))
			n_ok++;
		else
			g_assert_true (g_str_has_prefix (error->message, "t.plist"));
	}
	g_assert_cmpuint (n_ok, ==, 0); /* the trailer is at the end: no prefix is a plist */
	g_autofree guint8 *copy = g_memdup2 (data, len);
	for (gsize i = 8; i < len; i++) {
		guint8 saved = copy[i];
		copy[i] ^= 0xff;
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
		g_autoptr(GError) error = NULL;
		tu_macos_parse_info_plist (copy, len, "f.plist", scan, &error);
		copy[i] = saved;
	}

	/* an array that contains itself */
	const char *cycle[] = {"\xa1\x00"};
	gsize cycle_len[] = {2};
	g_autoptr(GByteArray) c = make_bplist (cycle, cycle_len, 1, 0);
	expect_bplist_error (c, "object 0 contains itself");

	/* a reference to an object that does not exist */
	const char *dangling[] = {"\xa1\x05"};
	g_autoptr(GByteArray) d = make_bplist (dangling, cycle_len, 1, 0);
	expect_bplist_error (d, "reference to object 5 of 1");

	/* a string longer than the file */
	const char *long_string[] = {"\x5f\x13\xff\xff\xff\xff\xff\xff\xff\xf0"};
	gsize long_len[] = {10};
	g_autoptr(GByteArray) l = make_bplist (long_string, long_len, 1, 0);
	expect_bplist_error (l, "past the end");

	/* an array of 2^60 references */
	const char *huge_array[] = {"\xaf\x13\x10\x00\x00\x00\x00\x00\x00\x00"};
	g_autoptr(GByteArray) h = make_bplist (huge_array, long_len, 1, 0);
	expect_bplist_error (h, "references do not fit");

	/* an unknown marker, and a dictionary key that is not a string */
	const char *bad_marker[] = {"\x70"};
	gsize one[] = {1};
	g_autoptr(GByteArray) m = make_bplist (bad_marker, one, 1, 0);
	expect_bplist_error (m, "marker 0x70 is not a valid object");
	const char *int_key[] = {"\xd1\x01\x01", "\x10\x07"};
	gsize int_key_len[] = {3, 2};
	g_autoptr(GByteArray) k = make_bplist (int_key, int_key_len, 2, 0);
	expect_bplist_error (k, "a dictionary key that is not a string");

	/* a shared-reference bomb: 20 arrays, each holding the next one twice (2^20 leaves) */
	const char *bomb[21];
	gsize bomb_len[21];
	char bomb_bytes[21][3];
	for (guint i = 0; i < 20; i++) {
		bomb_bytes[i][0] = (char) 0xa2;
		bomb_bytes[i][1] = bomb_bytes[i][2] = (char) (i + 1);
		bomb[i] = bomb_bytes[i];
		bomb_len[i] = 3;
	}
	bomb[20] = "\x10\x01";
	bomb_len[20] = 2;
	g_autoptr(GByteArray) bb = make_bplist (bomb, bomb_len, 21, 0);
	expect_bplist_error (bb, "objects decoded (shared references)");

	/* trailers that lie: offset size 0, a top object past the count, a table past the end */
	g_autoptr(GByteArray) t = make_bplist (cycle, cycle_len, 1, 0);
	t->data[t->len - 26] = 0;
	expect_bplist_error (t, "offset size 0");
	g_autoptr(GByteArray) t2 = make_bplist (cycle, cycle_len, 1, 0);
	t2->data[t2->len - 9] = 3;
	expect_bplist_error (t2, "top object 3 of 1 objects");
	g_autoptr(GByteArray) t3 = make_bplist (cycle, cycle_len, 1, 0);
	t3->data[t3->len - 17] = 0xff;
	t3->data[t3->len - 24] = 0x7f;
	expect_bplist_error (t3, "does not fit in the file");
	g_autoptr(GByteArray) t4 = make_bplist (cycle, cycle_len, 1, 0);
	t4->data[t4->len - 33] = 200; /* the object's offset, past the objects */
	expect_bplist_error (t4, "outside the objects");

	/* 200 nested arrays, with 2-byte offsets */
	g_autoptr(GByteArray) nest = g_byte_array_new ();
	g_byte_array_append (nest, (const guint8 *) "bplist00", 8);
	guint16 offsets2[201];
	for (guint i = 0; i < 200; i++) {
		offsets2[i] = (guint16) nest->len;
		guint8 obj[2] = {0xa1, (guint8) (i + 1)};
		g_byte_array_append (nest, obj, 2);
	}
	offsets2[200] = (guint16) nest->len;
	g_byte_array_append (nest, (const guint8 *) "\x10\x01", 2);
	guint16 table = (guint16) nest->len;
	for (guint i = 0; i < 201; i++) {
		guint8 be[2] = {(guint8) (offsets2[i] >> 8), (guint8) offsets2[i]};
		g_byte_array_append (nest, be, 2);
	}
	guint8 trailer[32] = {0};
	trailer[6] = 2;
	trailer[7] = 1;
	trailer[15] = 201;
	trailer[30] = (guint8) (table >> 8);
	trailer[31] = (guint8) table;
	g_byte_array_append (nest, trailer, 32);
	expect_bplist_error (nest, "nested deeper than 128");
}

/* --- system_profiler ---------------------------------------------------------------- */

static GPtrArray *
parse_profiler_bytes (GBytes *b, const char *path, GError **error)
{
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	if (!tu_macos_parse_system_profiler (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path,
					     hosts, error))
		g_clear_pointer (&hosts, g_ptr_array_unref);
	return hosts;
}

static char *
json_text (JsonObject *o, const char *member)
{
	JsonNode *n = json_object_get_member (o, member);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
		return NULL;
	if (json_node_get_value_type (n) == G_TYPE_STRING)
		return g_strdup (json_node_get_string (n));
	if (json_node_get_value_type (n) == G_TYPE_INT64)
		return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
	if (json_node_get_value_type (n) == G_TYPE_DOUBLE)
		return g_strdup_printf ("%g", json_node_get_double (n));
	return NULL;
}

/* GLPI Agent writes versions "1 . 2 . 2" as "1.2.2" */
static char *
glpi_version (const char *v)
{
	if (v == NULL)
		return g_strdup ("");
	g_auto(GStrv) parts = g_strsplit (v, " . ", -1);
	return g_strjoinv (".", parts);
}

/* Our records against upstream's expected NAME/VERSION list: the same multiset, once GLPI's
 * renaming of duplicate names ("GarageBand_0") and version clean-up are undone. */
static void
compare_with_glpi_file (TuHostScan *scan, const char *path, const char *expected_rel)
{
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(GError) error = NULL;
	g_assert_true (json_parser_load_from_file (parser, path, &error));
	JsonArray *expected = json_node_get_array (json_parser_get_root (parser));

	g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
	guint n_apps = 0;
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (r->location == NULL)
			continue; /* the operating system's own record */
		n_apps++;
		g_autofree char *v = glpi_version (r->raw_version);
		char *key = g_strdup_printf ("%s\t%s", r->raw_name, v);
		guint n = GPOINTER_TO_UINT (g_hash_table_lookup (ours, key));
		g_hash_table_replace (ours, key, GUINT_TO_POINTER (n + 1));
		g_hash_table_add (names, (gpointer) r->raw_name);
	}
	g_assert_cmpuint (n_apps, ==, json_array_get_length (expected));
	guint n_publishers = 0, n_publisher_agree = 0, n_dates = 0;
	for (guint i = 0; i < json_array_get_length (expected); i++) {
		JsonObject *e = json_array_get_object_element (expected, i);
		g_autofree char *name = json_text (e, "NAME");
		g_autofree char *version = json_text (e, "VERSION");
		/* "Siri_0": GLPI's name for a second "Siri" */
		char *us = strrchr (name, '_');
		if (us != NULL && us[1] != '\0' && strspn (us + 1, "0123456789") == strlen (us + 1)) {
			*us = '\0';
			if (!g_hash_table_contains (names, name))
				*us = '_';
		}
		g_autofree char *v = glpi_version (version);
		g_autofree char *key = g_strdup_printf ("%s\t%s", name, v);
		guint n = GPOINTER_TO_UINT (g_hash_table_lookup (ours, key));
		if (n == 0)
			g_error ("%s: expected \"%s\" version \"%s\" not found", expected_rel, name, v);
		g_hash_table_replace (ours, g_strdup (key), GUINT_TO_POINTER (n - 1));

		/* where GLPI names a publisher, ours agrees once GLPI's own suffix clean-up is
		 * applied ("Microsoft Corporation" -> "Microsoft"), for all but a few guesses that
		 * GLPI makes from the application name */
		g_autofree char *publisher = json_text (e, "PUBLISHER");
		if (publisher != NULL) {
			n_publishers++;
			for (guint j = 0; j < tu_record_list_len (scan->records); j++) {
				const TuRecord *r = tu_record_list_get (scan->records, j);
				g_autofree char *rv = glpi_version (r->raw_version);
				if (g_strcmp0 (r->raw_name, name) != 0 || g_strcmp0 (rv, v) != 0 ||
				    r->raw_publisher == NULL)
					continue;
				g_autofree char *p = g_strdup (r->raw_publisher);
				char *corp = strstr (p, " Corporation");
				if (corp != NULL)
					*corp = '\0';
				char *inc = strstr (p, " Incorporated");
				if (inc != NULL)
					memcpy (inc, " Inc.", 6);
				if (g_str_has_prefix (p, publisher) || g_str_has_prefix (publisher, p)) {
					n_publisher_agree++;
					break;
				}
			}
		}
		g_autofree char *date = json_text (e, "INSTALLDATE");
		n_dates += date != NULL;
	}
	g_test_message ("%s: %u applications agree; publishers agree for %u of %u", expected_rel,
			n_apps, n_publisher_agree, n_publishers);
	g_assert_cmpuint (n_publisher_agree * 100, >=, n_publishers * 90);
	g_assert_cmpuint (n_dates, >, 0);
}

static void
compare_with_glpi (TuHostScan *scan, const char *expected_rel)
{
	g_autofree char *path = fixture_path (expected_rel);
	compare_with_glpi_file (scan, path, expected_rel);
}

/* the number in the @n digits at @s */
static guint
number_at (const char *s, gsize n)
{
	g_autofree char *digits = g_strndup (s, n);
	guint64 v = 0;
	g_assert_true (g_ascii_string_to_unsigned (digits, 10, 0, 9999, &v, NULL));
	return (guint) v;
}

static void
check_install_dates (TuHostScan *scan, const char *expected_rel)
{
	/* GLPI's INSTALLDATE is lastModified + 7200 s as DD/MM/YYYY: ours (UTC) is that day or,
	 * for times after 22:00 UTC, the day before */
	g_autofree char *path = fixture_path (expected_rel);
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_assert_true (json_parser_load_from_file (parser, path, NULL));
	JsonArray *expected = json_node_get_array (json_parser_get_root (parser));
	guint checked = 0;
	for (guint i = 0; i < json_array_get_length (expected); i++) {
		JsonObject *e = json_array_get_object_element (expected, i);
		g_autofree char *name = json_text (e, "NAME");
		g_autofree char *date = json_text (e, "INSTALLDATE");
		if (date == NULL || strlen (date) != 10)
			continue;
		for (guint j = 0; j < tu_record_list_len (scan->records); j++) {
			const TuRecord *r = tu_record_list_get (scan->records, j);
			if (g_strcmp0 (r->raw_name, name) != 0 || r->install_date == NULL)
				continue;
			GDate ours, theirs;
			g_date_clear (&ours, 1);
			g_date_clear (&theirs, 1);
			g_date_set_dmy (&theirs, (GDateDay) number_at (date, 2), (GDateMonth) number_at (date + 3, 2),
					(GDateYear) number_at (date + 6, 4));
			g_date_set_dmy (&ours, (GDateDay) number_at (r->install_date + 8, 2),
					(GDateMonth) number_at (r->install_date + 5, 2),
					(GDateYear) number_at (r->install_date, 4));
			gint diff = g_date_days_between (&ours, &theirs);
			if (diff == 0 || diff == 1) {
				checked++;
				break;
			}
		}
	}
	g_assert_cmpuint (checked, >, json_array_get_length (expected) * 9 / 10);
}

static void
test_profiler_xml (void)
{
	const char *samples[] = {"glpi-agent/sample5.SPApplicationsDataType-xml",
				 "glpi-agent/sample6.SPApplicationsDataType-xml"};
	for (guint s = 0; s < G_N_ELEMENTS (samples); s++) {
		g_autoptr(GBytes) b = fixture (samples[s]);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) hosts = parse_profiler_bytes (b, samples[s], &error);
		g_assert_no_error (error);
		g_assert_cmpuint (hosts->len, ==, 1);
		TuHostScan *scan = g_ptr_array_index (hosts, 0);
		g_assert_cmpstr (scan->facts.hostname, ==, s == 0 ? "sample5" : "sample6");
		g_assert_cmpstr (scan->facts.os_id, ==, "macos");
		g_assert_cmpstr (scan->target, ==, s == 0 ? "import:glpi-agent/sample5.SPApplicationsDataType-xml"
							  : "import:glpi-agent/sample6.SPApplicationsDataType-xml");
		/* the host named after the file is worth a warning, nothing else is */
		g_assert_cmpuint (scan->warnings->len, ==, 1);
		g_autofree char *expected = g_strdup_printf ("%s.results.derived.json", samples[s]);
		compare_with_glpi (scan, expected);
		check_install_dates (scan, expected);
	}

	/* details of sample 5 */
	g_autoptr(GBytes) b = fixture ("glpi-agent/sample5.SPApplicationsDataType-xml");
	g_autoptr(GPtrArray) hosts = parse_profiler_bytes (b, "s5", NULL);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	gboolean seen_terminal = FALSE, seen_onedrive = FALSE, seen_acrobat = FALSE;
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		g_assert_cmpint (r->source, ==, TU_SOURCE_MACOS);
		if (g_strcmp0 (r->location, "/System/Applications/Utilities/Terminal.app") == 0) {
			seen_terminal = TRUE;
			g_assert_cmpstr (r->raw_name, ==, "Terminal");
			g_assert_cmpstr (r->raw_version, ==, "2.12.7");
			g_assert_cmpstr (r->raw_publisher, ==, "Apple");
			g_assert_cmpstr (r->arch, ==, "universal");
			g_assert_cmpstr (r->install_date, ==, "2024-02-26");
			g_assert_cmpstr (r->kind, ==, "system");
		} else if (g_strcmp0 (r->location, "/Applications/OneDrive.app") == 0) {
			seen_onedrive = TRUE;
			g_assert_cmpstr (r->raw_version, ==, "24.065.0331");
			g_assert_cmpstr (r->raw_publisher, ==, "Microsoft Corporation");
			g_assert_null (r->kind);
		} else if (g_strcmp0 (r->raw_name, "Adobe Acrobat Updater") == 0) {
			seen_acrobat = TRUE;
			g_assert_cmpstr (r->raw_version, ==, "1 . 2 . 2"); /* exactly as written */
		}
	}
	g_assert_true (seen_terminal && seen_onedrive && seen_acrobat);
}

/* Mac OS X 10.8's output: runtime_environment and has64BitIntelCode instead of arch_kind */
static void
test_profiler_old_release (void)
{
	const char *rel = "glpi-agent/10.8-system_profiler_SPApplicationsDataType_-xml.example.xml";
	g_autoptr(GBytes) b = fixture (rel);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_profiler_bytes (b, rel, &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 291);
	g_assert_cmpstr (scan->facts.hostname, ==, "10.8-system_profiler");
	guint n_x86_64 = 0;
	for (guint i = 0; i < tu_record_list_len (scan->records); i++)
		n_x86_64 += g_strcmp0 (tu_record_list_get (scan->records, i)->arch, "x86_64") == 0;
	g_assert_cmpuint (n_x86_64, >, 100);
}

static void
assert_same_records (TuHostScan *a, TuHostScan *b)
{
	g_assert_cmpuint (tu_record_list_len (a->records), ==, tu_record_list_len (b->records));
	for (guint i = 0; i < tu_record_list_len (a->records); i++) {
		const TuRecord *x = tu_record_list_get (a->records, i);
		const TuRecord *y = tu_record_list_get (b->records, i);
		g_assert_cmpstr (x->raw_name, ==, y->raw_name);
		g_assert_cmpstr (x->raw_version, ==, y->raw_version);
		g_assert_cmpstr (x->raw_publisher, ==, y->raw_publisher);
		g_assert_cmpstr (x->location, ==, y->location);
		g_assert_cmpstr (x->install_date, ==, y->install_date);
		g_assert_cmpstr (x->arch, ==, y->arch);
	}
}

/* sample 5 as bplist00 (plistlib): the same records as from the XML */
static void
test_profiler_binary (void)
{
	g_autoptr(GBytes) xml = fixture ("glpi-agent/sample5.SPApplicationsDataType-xml");
	g_autoptr(GBytes) bin = fixture ("glpi-agent/sample5.SPApplicationsDataType.bplist");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) a = parse_profiler_bytes (xml, "sample5.xml", &error);
	g_assert_no_error (error);
	g_autoptr(GPtrArray) b = parse_profiler_bytes (bin, "sample5.bplist", &error);
	g_assert_no_error (error);
	assert_same_records (g_ptr_array_index (a, 0), g_ptr_array_index (b, 0));
	g_assert_cmpstr (((TuHostScan *) g_ptr_array_index (b, 0))->facts.hostname, ==, "sample5");
}

/* `system_profiler -json` output built from the -xml sample (no real one with a suitable
 * licence exists): the items as they are, dates as system_profiler's JSON writes them. */
static char *
json_from_xml (const char *xml_path)
{
	const char *code =
		"import plistlib, json, sys, datetime\n"
		"d = plistlib.load(open(sys.argv[1], 'rb'))\n"
		"items = next(s['_items'] for s in d if s.get('_dataType') == 'SPApplicationsDataType')\n"
		"def conv(v):\n"
		"    if isinstance(v, datetime.datetime): return v.strftime('%Y-%m-%dT%H:%M:%SZ')\n"
		"    if isinstance(v, dict): return {k: conv(x) for k, x in v.items()}\n"
		"    if isinstance(v, list): return [conv(x) for x in v]\n"
		"    if isinstance(v, bytes): return None\n"
		"    return v\n"
		"print(json.dumps({'SPApplicationsDataType': [conv(i) for i in items]}, indent=2,\n"
		"                 separators=(',', ' : '), ensure_ascii=False))\n";
	const char *argv[] = {"/usr/bin/python3", "-I", "-c", code, xml_path, NULL};
	char *out = NULL;
	int status = 0;
	g_autoptr(GError) error = NULL;
	if (!g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL, &status, &error) ||
	    !g_spawn_check_wait_status (status, NULL)) {
		g_free (out);
		return NULL;
	}
	return out;
}

static void
test_profiler_json (void)
{
	if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip ("no /usr/bin/python3 to build the JSON");
		return;
	}
	g_autofree char *xml_path = fixture_path ("glpi-agent/sample5.SPApplicationsDataType-xml");
	g_autofree char *json = json_from_xml (xml_path);
	g_assert_nonnull (json);
	g_assert_true (g_str_has_prefix (json, "{\n  \"SPApplicationsDataType\" : [\n"));
	g_autoptr(GBytes) jb = g_bytes_new_take (g_steal_pointer (&json), strlen (json));
	g_autoptr(GBytes) xb = fixture ("glpi-agent/sample5.SPApplicationsDataType-xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) a = parse_profiler_bytes (xb, "sample5.SPApplicationsDataType-xml", &error);
	g_autoptr(GPtrArray) b = parse_profiler_bytes (jb, "/exports/sample5.json", &error);
	g_assert_no_error (error);
	assert_same_records (g_ptr_array_index (a, 0), g_ptr_array_index (b, 0));
	g_assert_cmpstr (((TuHostScan *) g_ptr_array_index (b, 0))->facts.hostname, ==, "sample5");
	compare_with_glpi (g_ptr_array_index (b, 0),
			   "glpi-agent/sample5.SPApplicationsDataType-xml.results.derived.json");
}

static void
write_stub (const char *dir, const char *name, const char *body)
{
	g_autofree char *script = g_strdup_printf ("#!/bin/sh\n%s\n", body);
	tu_test_write (dir, name, script, -1);
	g_autofree char *path = g_build_filename (dir, name, NULL);
	g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

/* Invented in system_profiler's JSON format, with the values of an Apple silicon laptop. */
static const char hardware_json[] =
	"{\n  \"SPHardwareDataType\" : [\n    {\n      \"_name\" : \"hardware_overview\",\n"
	"      \"activation_lock_status\" : \"activation_lock_disabled\",\n"
	"      \"boot_rom_version\" : \"10151.101.3\",\n      \"chip_type\" : \"Apple M1 Pro\",\n"
	"      \"machine_model\" : \"MacBookPro18,3\",\n      \"machine_name\" : \"MacBook Pro\",\n"
	"      \"model_number\" : \"MKGR3LL/A\",\n      \"number_processors\" : \"proc 8:6:2\",\n"
	"      \"os_loader_version\" : \"10151.101.3\",\n      \"physical_memory\" : \"16 GB\",\n"
	"      \"platform_UUID\" : \"1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D\",\n"
	"      \"provisioning_UDID\" : \"00006000-001A2B3C4D5E601E\",\n"
	"      \"serial_number\" : \"C02XG0FDH7JY\"\n    }\n  ],\n"
	"  \"SPSoftwareDataType\" : [\n    {\n      \"_name\" : \"os_overview\",\n"
	"      \"boot_mode\" : \"normal_boot\",\n      \"boot_volume\" : \"Macintosh HD\",\n"
	"      \"kernel_version\" : \"Darwin 23.4.0\",\n      \"local_host_name\" : \"Alices-MacBook-Pro\",\n"
	"      \"os_version\" : \"macOS 14.4.1 (23E224)\",\n      \"secure_vm\" : \"secure_vm_enabled\",\n"
	"      \"system_integrity\" : \"integrity_enabled\",\n      \"uptime\" : \"up 1:2:3:4\",\n"
	"      \"user_name\" : \"Alice (alice)\"\n    }\n  ]\n}\n";

/* Run scanner/collectors/macos.sh with stub commands that answer as a Mac would. */
static char *
run_collector (const char *stubs, const char *apps_json_path, gboolean has_hostname, int *status)
{
	tu_test_write (stubs, "hw.json", hardware_json, -1);
	g_autofree char *hw_path = g_build_filename (stubs, "hw.json", NULL);
	g_autofree char *sp = g_strdup_printf (
		"case \"$*\" in\n*SPApplicationsDataType*) cat '%s' ;;\n*SPHardwareDataType*) cat '%s' ;;\n"
		"*) exit 1 ;;\nesac",
		apps_json_path, hw_path);
	write_stub (stubs, "system_profiler", sp);
	write_stub (stubs, "hostname",
		    has_hostname ? "case \"$1\" in -f) echo alice-mbp.corp.example.com ;; *) echo alice-mbp ;; esac"
				 : "exit 1");
	write_stub (stubs, "scutil", "echo 'Alice’s \"MacBook\" Pro \\ 14'");
	write_stub (stubs, "sw_vers",
		    "case \"$1\" in -productName) echo macOS ;; -productVersion) echo 14.4.1 ;;\n"
		    "-buildVersion) echo 23E224 ;; esac");
	write_stub (stubs, "uname", "case \"$1\" in -r) echo 23.4.0 ;; -m) echo arm64 ;; *) echo Darwin ;; esac");
	write_stub (stubs, "sysctl",
		    "case \"$2\" in hw.model) echo MacBookPro18,3 ;; hw.memsize) echo 17179869184 ;;\n"
		    "hw.packages) echo 1 ;; hw.physicalcpu) echo 8 ;; hw.logicalcpu) echo 8 ;;\n"
		    "machdep.cpu.brand_string) echo 'Apple M1 Pro' ;; kern.hv_vmm_present) echo 0 ;;\n"
		    "*) exit 1 ;; esac");
	write_stub (stubs, "ioreg",
		    "cat <<'EOF'\n+-o J314sAP  <class IOPlatformExpertDevice, id 0x100000220, registered>\n"
		    "    {\n      \"IOPlatformSerialNumber\" = \"C02XG0FDH7JY\"\n"
		    "      \"IOPlatformUUID\" = \"1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D\"\n    }\nEOF");
	write_stub (stubs, "ifconfig",
		    "cat <<'EOF'\nlo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> mtu 16384\n"
		    "\tinet 127.0.0.1 netmask 0xff000000\n\tinet6 ::1 prefixlen 128\n"
		    "\tinet6 fe80::1%lo0 prefixlen 64 scopeid 0x1\n"
		    "en0: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500\n"
		    "\tinet6 fe80::1c2b:3d4e%en0 prefixlen 64 secured scopeid 0xe\n"
		    "\tinet 192.168.1.23 netmask 0xffffff00 broadcast 192.168.1.255\n"
		    "\tinet6 2001:db8::1c prefixlen 64 autoconf secured\nEOF");
	g_autofree char *script = tu_test_source_path ("scanner/collectors/macos.sh");
	g_autofree char *path_env = g_strdup_printf ("PATH=%s:/usr/bin:/bin", stubs);
	g_autofree char *tmp_env = g_strdup_printf ("TMPDIR=%s", stubs);
	const char *envp[] = {path_env, tmp_env, NULL};
	const char *argv[] = {"/bin/sh", script, NULL};
	char *out = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true (g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
				     NULL, &out, NULL, status, &error));
	g_assert_no_error (error);
	return out;
}

static void
test_collector (void)
{
	if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip ("no /usr/bin/python3 to build the JSON");
		return;
	}
	g_autofree char *stubs = tu_test_mkdtemp ();
	g_autofree char *xml_path = fixture_path ("glpi-agent/sample5.SPApplicationsDataType-xml");
	g_autofree char *apps = json_from_xml (xml_path);
	tu_test_write (stubs, "apps.json", apps, -1);
	g_autofree char *apps_path = g_build_filename (stubs, "apps.json", NULL);
	int status = 0;
	g_autofree char *out = run_collector (stubs, apps_path, TRUE, &status);
	g_assert_true (g_spawn_check_wait_status (status, NULL));
	g_assert_true (g_str_has_prefix (out, "{\"trueup_collector\": \"macos\", \"version\": 1,"));

	g_autoptr(GBytes) b = g_bytes_new_take (g_steal_pointer (&out), strlen (out));
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_profiler_bytes (b, "alice-mbp.json", &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	TuHostFacts *f = &scan->facts;
	g_assert_cmpuint (scan->warnings->len, ==, 0);
	g_assert_cmpstr (f->hostname, ==, "alice-mbp");
	g_assert_cmpstr (f->fqdn, ==, "alice-mbp.corp.example.com");
	g_assert_cmpstr (f->machine_id, ==, "1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D");
	g_assert_cmpstr (f->dmi_serial, ==, "C02XG0FDH7JY");
	g_assert_cmpstr (f->dmi_vendor, ==, "Apple Inc.");
	g_assert_cmpstr (f->dmi_model, ==, "MacBookPro18,3");
	g_assert_cmpstr (f->os_id, ==, "macos");
	g_assert_cmpstr (f->os_name, ==, "macOS");
	g_assert_cmpstr (f->os_version, ==, "14.4.1");
	g_assert_cmpstr (f->os_edition, ==, "23E224");
	g_assert_cmpstr (f->os_pretty, ==, "macOS 14.4.1 (23E224)");
	g_assert_cmpstr (f->kernel, ==, "23.4.0");
	g_assert_cmpstr (f->arch, ==, "arm64");
	g_assert_cmpstr (f->cpu_model, ==, "Apple M1 Pro");
	g_assert_cmpstr (f->ip_addresses, ==, "192.168.1.23,2001:db8::1c");
	g_assert_cmpint (f->memory_bytes, ==, G_GINT64_CONSTANT (17179869184));
	g_assert_cmpint (f->sockets, ==, 1);
	g_assert_cmpint (f->cores, ==, 8);
	g_assert_cmpint (f->threads, ==, 8);
	g_assert_cmpint (f->is_virtual, ==, 0);
	compare_with_glpi (scan, "glpi-agent/sample5.SPApplicationsDataType-xml.results.derived.json");
	const TuRecord *os = last (scan);
	g_assert_cmpstr (os->raw_name, ==, "macOS");
	g_assert_cmpstr (os->raw_version, ==, "14.4.1");
	g_assert_cmpstr (os->kind, ==, "system");

	/* without hostname: the system_profiler facts fill in; a computer name with quotes and
	 * a backslash survives the script's JSON escaping */
	g_autofree char *out2 = run_collector (stubs, apps_path, FALSE, &status);
	g_assert_true (g_spawn_check_wait_status (status, NULL));
	g_autoptr(GBytes) b2 = g_bytes_new_take (g_steal_pointer (&out2), strlen (out2));
	g_autoptr(GPtrArray) hosts2 = parse_profiler_bytes (b2, "x.json", &error);
	g_assert_no_error (error);
	g_assert_cmpstr (((TuHostScan *) g_ptr_array_index (hosts2, 0))->facts.hostname, ==,
			 "Alice’s \"MacBook\" Pro \\ 14");

	/* system_profiler failing on the host: the script says so, trueup refuses the file */
	g_autofree char *missing = g_build_filename (stubs, "no-such-file", NULL);
	g_autofree char *out3 = run_collector (stubs, missing, TRUE, &status);
	g_assert_false (g_spawn_check_wait_status (status, NULL));
	g_autoptr(GBytes) b3 = g_bytes_new_take (g_steal_pointer (&out3), strlen (out3));
	g_autoptr(GPtrArray) hosts3 = parse_profiler_bytes (b3, "x.json", &error);
	g_assert_null (hosts3);
	g_assert_nonnull (strstr (error->message, "x.json: applications: missing"));
	tu_test_rmtree (stubs);
}

static void
expect_profiler_error (const char *text, const char *needle)
{
	g_autoptr(GBytes) b = g_bytes_new (text, strlen (text));
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_profiler_bytes (b, "e.json", &error);
	g_assert_null (hosts);
	g_assert_nonnull (error);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" lacks \"%s\"", error->message, needle);
}

static void
test_profiler_errors (void)
{
	expect_profiler_error ("{\"SPUSBDataType\": []}", "e.json: no SPApplicationsDataType data");
	expect_profiler_error ("{\"trueup_collector\": \"windows\", \"version\": 1}", "\"windows\" collector");
	expect_profiler_error ("{\"trueup_collector\": \"macos\", \"version\": 2, \"host\": {}}",
			       "collector format version 2 is not known");
	expect_profiler_error ("{\"trueup_collector\": \"macos\", \"version\": 1, \"host\": {\"hostname\": \"m\"},"
			       "\"applications\": null}",
			       "applications: missing");
	expect_profiler_error ("{\"trueup_collector\": \"macos\", \"version\": 1, \"applications\": []}",
			       "host: missing");
	expect_profiler_error ("{\n\"SPApplicationsDataType\" : [\n{\"_name\" : \"Safari\",", "e.json:3:");
	expect_profiler_error ("", "e.json:1: empty file");
	expect_profiler_error ("<plist><array><dict><key>_dataType</key></dict></array></plist>",
			       "e.json:1: <key>_dataType</key> without a value");
	expect_profiler_error ("<plist><dict><string>x</string></dict></plist>", "without its <key>");
	expect_profiler_error ("<plist><array/><array/></plist>", "a second value at the top level");
	expect_profiler_error ("<plist><frob/></plist>", "<frob> is not a property list element");
	GString *deep = g_string_new (NULL);
	for (guint i = 0; i < 100000; i++)
		g_string_append_c (deep, '[');
	expect_profiler_error (deep->str, "e.json:1: nested deeper than 128");
	g_string_truncate (deep, 0);
	for (guint i = 0; i < 200; i++)
		g_string_append (deep, "<array>");
	expect_profiler_error (deep->str, "e.json:1: nested deeper than 128");
	g_string_free (deep, TRUE);

	/* items without a name are warned about; the rest is kept; the host's name comes from
	 * the file name */
	const char *partial = "{\"SPApplicationsDataType\": [{\"version\": \"1\"}, 7, "
			      "{\"_name\": \"Caf\xe9\", \"version\": 3, \"info\": \"Notepad, C:\\\\Windows\"},"
			      "{\"_name\": \"X\", \"signed_by\": [\"Developer ID Application: Jo Dev (ABCDE12345)\"],"
			      "\"info\": \"1.0, Copyright 2020 Other\"}]}";
	g_autoptr(GBytes) b = g_bytes_new (partial, strlen (partial));
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_profiler_bytes (b, "/x/mac07.json", &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpstr (scan->facts.hostname, ==, "mac07");
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1); /* the Parallels one skipped */
	g_assert_cmpstr (last (scan)->raw_publisher, ==, "Jo Dev");
	g_assert_cmpuint (scan->warnings->len, ==, 3);
}

/* --- system_profiler text output ------------------------------------------------------- */

/* A text sample: tests/fixtures/macos/glpi-agent/, else the shared data (NULL: neither). */
static char *
text_sample_path (const char *file)
{
	g_autofree char *rel = g_build_filename ("glpi-agent", file, NULL);
	g_autofree char *path = fixture_path (rel);
	if (g_file_test (path, G_FILE_TEST_EXISTS))
		return g_steal_pointer (&path);
	g_autofree char *shared =
		g_build_filename ("fixtures/glpi-agent/macos/system_profiler", file, NULL);
	return tu_test_shared_path (shared);
}

static const TuRecord *
find_at (TuHostScan *scan, const char *location)
{
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (g_strcmp0 (r->location, location) == 0)
			return r;
	}
	g_error ("no record at %s", location);
	return NULL;
}

/* Upstream's INSTALLDATE for a text sample: GLPI reads "A/B/CC..." as month/day/2-digit year
 * and writes "B/A/20CC" whatever the locale, so from our date: "MM/DD/20YY" for a file with
 * the day first, "DD/MM/20YY" for one with the month first, and 2020 for any year written
 * with 4 digits. */
static char *
glpi_text_date (const char *iso, gboolean is_day_first, gboolean has_4_digit_years)
{
	guint year = number_at (iso, 4);
	guint month = number_at (iso + 5, 2);
	guint day = number_at (iso + 8, 2);
	guint glpi_year = 2000 + (has_4_digit_years ? year / 100 : year % 100);
	return g_strdup_printf ("%02u/%02u/%u", is_day_first ? month : day,
				is_day_first ? day : month, glpi_year);
}

/* Our distinct names are upstream's (its "Wish_0" for a second "Wish" undone); for the names
 * that occur once, upstream's VERSION and its INSTALLDATE (garbled as it garbles it) agree. */
static void
check_text_sample (TuHostScan *scan, const char *expected_path, gboolean is_day_first,
		   gboolean has_4_digit_years)
{
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_assert_true (json_parser_load_from_file (parser, expected_path, NULL));
	JsonArray *expected = json_node_get_array (json_parser_get_root (parser));
	g_autoptr(GHashTable) n_named = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const char *name = tu_record_list_get (scan->records, i)->raw_name;
		guint n = GPOINTER_TO_UINT (g_hash_table_lookup (n_named, name));
		g_hash_table_replace (n_named, (gpointer) name, GUINT_TO_POINTER (n + 1));
	}
	g_autoptr(GHashTable) upstream =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	guint n_checked = 0;
	for (guint i = 0; i < json_array_get_length (expected); i++) {
		JsonObject *e = json_array_get_object_element (expected, i);
		g_autofree char *name = json_text (e, "NAME");
		char *us = strrchr (name, '_');
		if (us != NULL && us[1] != '\0' &&
		    strspn (us + 1, "0123456789") == strlen (us + 1)) {
			*us = '\0';
			if (!g_hash_table_contains (n_named, name))
				*us = '_';
		}
		g_hash_table_add (upstream, g_strdup (name));
		if (GPOINTER_TO_UINT (g_hash_table_lookup (n_named, name)) != 1)
			continue;
		for (guint j = 0; j < tu_record_list_len (scan->records); j++) {
			const TuRecord *r = tu_record_list_get (scan->records, j);
			if (strcmp (r->raw_name, name) != 0)
				continue;
			g_autofree char *version = json_text (e, "VERSION");
			g_autofree char *v = glpi_version (version);
			g_autofree char *ours = glpi_version (r->raw_version);
			g_assert_cmpstr (ours, ==, v);
			g_autofree char *date = json_text (e, "INSTALLDATE");
			g_assert_nonnull (r->install_date);
			g_autofree char *glpi_date =
				glpi_text_date (r->install_date, is_day_first, has_4_digit_years);
			g_assert_cmpstr (glpi_date, ==, date);
			n_checked++;
		}
	}
	GHashTableIter iter;
	gpointer name;
	g_hash_table_iter_init (&iter, n_named);
	while (g_hash_table_iter_next (&iter, &name, NULL)) {
		if (!g_hash_table_contains (upstream, name))
			g_error ("%s: \"%s\" is not upstream's", expected_path, (const char *) name);
	}
	g_assert_cmpuint (g_hash_table_size (upstream), ==, g_hash_table_size (n_named));
	g_assert_cmpuint (n_checked, >, json_array_get_length (expected) * 9 / 10);
}

/* GLPI Agent's four text samples (1 and 3 in the tree, 2 and 4 from the shared data when
 * present): every block an installation, Parallels' Windows applications skipped, so that the
 * counts are upstream's; names, versions, publishers and dates compared with upstream's. */
static void
test_profiler_text_matches_glpi (void)
{
	static const struct {
		const char *name;
		guint n_apps;
		gboolean is_day_first;
		gboolean has_4_digit_years;
	} samples[] = {{"sample1", 349, TRUE, FALSE},
		       {"sample2", 407, FALSE, FALSE},
		       {"sample3", 317, TRUE, TRUE},
		       {"sample4", 367, TRUE, TRUE}};
	for (guint s = 0; s < G_N_ELEMENTS (samples); s++) {
		g_autofree char *file =
			g_strdup_printf ("%s.SPApplicationsDataType", samples[s].name);
		g_autofree char *path = text_sample_path (file);
		if (path == NULL) {
			g_test_message ("%s: not in the tree or the shared data: not checked", file);
			continue;
		}
		g_autoptr(GBytes) b = tu_test_read (path);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) hosts = parse_profiler_bytes (b, file, &error);
		g_assert_no_error (error);
		g_assert_cmpuint (hosts->len, ==, 1);
		TuHostScan *scan = g_ptr_array_index (hosts, 0);
		g_assert_cmpstr (scan->facts.hostname, ==, samples[s].name);
		g_assert_cmpstr (scan->facts.os_id, ==, "macos");
		g_assert_cmpuint (scan->warnings->len, ==, 1); /* the host named after the file */
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, samples[s].n_apps);
		g_autofree char *expected = g_strdup_printf ("%s.results.derived.json", path);
		compare_with_glpi_file (scan, expected, file);
		check_text_sample (scan, expected, samples[s].is_day_first,
				   samples[s].has_4_digit_years);
	}
}

static TuHostScan *
parse_text_fixture (const char *file, GPtrArray **hosts)
{
	g_autofree char *path = text_sample_path (file);
	g_assert_nonnull (path);
	g_autoptr(GBytes) b = tu_test_read (path);
	g_autoptr(GError) error = NULL;
	*hosts = parse_profiler_bytes (b, file, &error);
	g_assert_no_error (error);
	return g_ptr_array_index (*hosts, 0);
}

static TuHostScan *
parse_text (const char *text, GPtrArray **hosts)
{
	g_autoptr(GBytes) b = g_bytes_new (text, strlen (text));
	g_autoptr(GError) error = NULL;
	*hosts = parse_profiler_bytes (b, "m.txt", &error);
	g_assert_no_error (error);
	return g_ptr_array_index (*hosts, 0);
}

static void
assert_app (const TuRecord *r, const char *name, const char *version, const char *publisher,
	    const char *arch, const char *date, const char *kind)
{
	g_assert_cmpstr (r->raw_name, ==, name);
	g_assert_cmpstr (r->raw_version, ==, version);
	g_assert_cmpstr (r->raw_publisher, ==, publisher);
	g_assert_cmpstr (r->arch, ==, arch);
	g_assert_cmpstr (r->install_date, ==, date);
	g_assert_cmpstr (r->kind, ==, kind);
	g_assert_cmpint (r->source, ==, TU_SOURCE_MACOS);
}

/* Named applications of samples 1 (Mac OS X 10.6, French, DD/MM/YY) and 3 (macOS 10.15,
 * DD/MM/YYYY, "Obtained from" and "Signed by") */
static void
test_profiler_text_details (void)
{
	g_autoptr(GPtrArray) h1 = NULL;
	TuHostScan *s1 = parse_text_fixture ("sample1.SPApplicationsDataType", &h1);
	/* "Get Info String: 2.1.2, © 1995-2010 Apple Inc. All Rights Reserved." */
	assert_app (find_at (s1, "/Applications/Utilities/Terminal.app"), "Terminal", "2.1.2",
		    "Apple Inc.", "x86_64", "2011-09-04", NULL);
	assert_app (find_at (s1, "/System/Library/CoreServices/Software Update.app"),
		    "Mise \xc3\xa0 jour de logiciels", "4.0.6", "Apple", "universal", "2011-09-04",
		    "system");
	/* "Last Modified: 17/02/12 12:35", "64-Bit (Intel): No" */
	assert_app (find_at (s1, "/System/Library/PrivateFrameworks/MobileDevice.framework/"
				 "Versions/A/AppleMobileSync.app"),
		    "AppleMobileSync", "5.0", NULL, "universal", "2012-02-17", "system");
	/* a Get Info String over five lines, the Location after it */
	const char *tk = "/System/Library/Frameworks/Tk.framework/Versions";
	g_autofree char *wish85 = g_strdup_printf ("%s/8.5/Resources/Wish.app", tk);
	g_autofree char *wish84_at = g_strdup_printf ("%s/8.4/Resources/Wish.app", tk);
	assert_app (find_at (s1, wish85), "Wish", "8.5.7", "Apple", "x86_64", "2009-07-23",
		    "system");
	/* the same name at another location is another installation */
	const TuRecord *wish84 = find_at (s1, wish84_at);
	g_assert_cmpstr (wish84->raw_name, ==, "Wish");
	g_assert_cmpstr (wish84->raw_version, ==, "8.4.19");
	g_assert_cmpstr (wish84->arch, ==, "i386"); /* "Kind: Intel", "64-Bit (Intel): No" */
	const TuRecord *ppt = NULL;
	for (guint i = 0; i < tu_record_list_len (s1->records); i++) {
		const TuRecord *r = tu_record_list_get (s1->records, i);
		if (g_strcmp0 (r->raw_name, "Microsoft PowerPoint") == 0)
			ppt = r;
	}
	g_assert_nonnull (ppt);
	g_assert_cmpstr (ppt->arch, ==, "ppc");
	g_assert_cmpstr (ppt->raw_version, ==, "11.2.0");

	g_autoptr(GPtrArray) h3 = NULL;
	TuHostScan *s3 = parse_text_fixture ("sample3.SPApplicationsDataType", &h3);
	assert_app (find_at (s3, "/Applications/Cyberduck.app"), "Cyberduck", "8.6.0",
		    "David Kocher", "x86_64", "2023-05-30", NULL);
	/* a comma in the certificate's name */
	assert_app (find_at (s3, "/Applications/zoom.us.app"), "zoom", "5.16.10 (25689)",
		    "Zoom Video Communications, Inc.", "x86_64", "2023-12-18", NULL);
	/* a certificate without a team identifier; "Kind: 32-bit (Unsupported)" */
	assert_app (find_at (s3, "/Applications/SerialCloner2-6/SerialCloner 2-6-1.app"),
		    "SerialCloner 2-6-1", "2.6.1", "Franck Perez", "i386", "2023-07-19", NULL);
	/* "Obtained from: Unknown", unsigned, no copyright line: no publisher */
	assert_app (find_at (s3, "/Applications/UnRarX.app"), "UnRarX", "UnRarX version 2.2", NULL,
		    "i386", "2006-07-07", NULL);
	/* "Kind: 32/64-bit"; the copyright holder */
	assert_app (find_at (s3, "/Applications/CodonCode Aligner/CodonCode Aligner.app"),
		    "CodonCode Aligner", "5.1.4", "CodonCode Corporation", "universal", "2014-12-19",
		    NULL);
	/* "Obtained from: Apple" */
	const TuRecord *terminal = find_at (s3, "/System/Applications/Utilities/Terminal.app");
	g_assert_cmpstr (terminal->raw_publisher, ==, "Apple");
	g_assert_cmpstr (terminal->kind, ==, "system");

	/* sample 4's ApE: the copyright holder on the third line of the Get Info String, read as
	 * the -xml path reads the same string (its newlines dropped) */
	g_autoptr(GPtrArray) h4 = NULL;
	TuHostScan *s4 = parse_text ("Applications:\n\n    ApE:\n\n      Version: 2.0.51\n"
				     "      Obtained from: Unknown\n      Kind: Intel\n"
				     "      Get Info String: 2.0.51 ApE, A plasmid Editor\n"
				     "Copyright \xc2\xa9 2004-2017\nM. Wayne Davis\n"
				     "      Location: /Applications/ApE.app\n\n",
				     &h4);
	assert_app (last (s4), "ApE", "2.0.51", "M. Wayne Davis", "x86_64", NULL, NULL);
	g_assert_cmpstr (last (s4)->location, ==, "/Applications/ApE.app");
}

static GDateTime *
date_of (const char *iso)
{
	return g_date_time_new_utc ((gint) number_at (iso, 4), (gint) number_at (iso + 5, 2),
				    (gint) number_at (iso + 8, 2), 0, 0, 0);
}

/* The same Mac OS X 10.8 host as text and as -xml: the same records, but for install dates,
 * which are the local date in the text and the UTC one in the XML (the host was 2 h ahead). */
static void
test_profiler_text_equals_xml (void)
{
	g_autoptr(GPtrArray) ht = NULL;
	TuHostScan *text =
		parse_text_fixture ("10.8-system_profiler_SPApplicationsDataType.example.txt", &ht);
	g_autoptr(GBytes) xb =
		fixture ("glpi-agent/10.8-system_profiler_SPApplicationsDataType_-xml.example.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hx = parse_profiler_bytes (xb, "10.8.xml", &error);
	g_assert_no_error (error);
	TuHostScan *xml = g_ptr_array_index (hx, 0);
	g_assert_cmpuint (tu_record_list_len (text->records), ==, 291);
	g_assert_cmpuint (tu_record_list_len (xml->records), ==, 291);
	guint n_same_day = 0;
	for (guint i = 0; i < 291; i++) {
		const TuRecord *t = tu_record_list_get (text->records, i);
		const TuRecord *x = tu_record_list_get (xml->records, i);
		g_assert_cmpstr (t->raw_name, ==, x->raw_name);
		g_assert_cmpstr (t->raw_version, ==, x->raw_version);
		g_assert_cmpstr (t->raw_publisher, ==, x->raw_publisher);
		g_assert_cmpstr (t->location, ==, x->location);
		g_assert_cmpstr (t->arch, ==, x->arch);
		g_assert_cmpstr (t->kind, ==, x->kind);
		g_assert_nonnull (t->install_date);
		g_assert_nonnull (x->install_date);
		if (strcmp (t->install_date, x->install_date) == 0) {
			n_same_day++;
			continue;
		}
		g_autoptr(GDateTime) dt = date_of (t->install_date);
		g_autoptr(GDateTime) utc = date_of (x->install_date);
		g_autoptr(GDateTime) next = g_date_time_add_days (utc, 1);
		g_assert_true (g_date_time_equal (dt, next));
	}
	g_assert_cmpuint (n_same_day, >, 280);
	/* "6/27/09 8:18 AM": the month first */
	const TuRecord *installer = find_at (text, "/System/Library/CoreServices/Installer.app");
	g_assert_cmpstr (installer->install_date, ==, "2009-06-27");
}

static char *
to_crlf (GBytes *b)
{
	g_autoptr(GString) out = g_string_new (NULL);
	gsize len = 0;
	const char *p = g_bytes_get_data (b, &len);
	for (gsize i = 0; i < len; i++) {
		if (p[i] == '\n')
			g_string_append_c (out, '\r');
		g_string_append_c (out, p[i]);
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}

/* CRLF line ends and a byte order mark change nothing. */
static void
test_profiler_text_crlf (void)
{
	g_autofree char *path = text_sample_path ("sample1.SPApplicationsDataType");
	g_autoptr(GBytes) lf = tu_test_read (path);
	g_autofree char *crlf = to_crlf (lf);
	g_autofree char *with_bom = g_strconcat ("\xef\xbb\xbf", crlf, NULL);
	g_autoptr(GBytes) b = g_bytes_new_take (g_steal_pointer (&with_bom), strlen (crlf) + 3);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) a = parse_profiler_bytes (lf, "sample1.SPApplicationsDataType", &error);
	g_assert_no_error (error);
	g_autoptr(GPtrArray) c = parse_profiler_bytes (b, "sample1.SPApplicationsDataType", &error);
	g_assert_no_error (error);
	assert_same_records (g_ptr_array_index (a, 0), g_ptr_array_index (c, 0));
	g_assert_cmpuint (((TuHostScan *) g_ptr_array_index (c, 0))->warnings->len, ==, 1);
}

static gboolean
has_warning (TuHostScan *scan, const char *needle)
{
	for (guint i = 0; i < scan->warnings->len; i++) {
		if (strstr (tu_warnings_text (scan->warnings, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

/* Bad text: errors naming file and line where the structure is wrong or the file is cut
 * short; warnings for what one application or line lacks; never a crash. */
static void
test_profiler_text_bad_input (void)
{
	expect_profiler_error ("Applications:\n\n      Version: 1.0\n    Foo:\n\n",
			       "e.json:3: \"Version: 1.0\" before the first application's name");
	expect_profiler_error ("Applications:\n\n    Foo:\n\n      Version: 1.0\n      Location: /A",
			       "e.json:6: the file ends in the middle of a line (truncated?)");
	expect_profiler_error ("Applications:\n\n    Foo:\n\n      Version: 1.0\n\n    Bar:\n",
			       "e.json:7: \"Bar\" has no fields and the file ends there");
	expect_profiler_error ("Applications:\n\n", "e.json:1: no application under");
	expect_profiler_error ("Software:\n\n    System Software Overview:\n\n",
			       "e.json:1: \"Software:\": not `system_profiler SPApplications");

	/* a name with colons; an empty value; a line that belongs nowhere; an application without
	 * a name; another data type after the applications */
	g_autoptr(GPtrArray) hosts = NULL;
	TuHostScan *scan = parse_text ("Applications:\r\n\r\n    Re: Mail: Tool:\r\n\r\n"
				       "      Version:\r\n"
				       "      Location: /Applications/R.app\r\n\r\n"
				       "stray\r\n\r\n    :\r\n\r\n      Version: 2\r\n\r\n"
				       "Frameworks:\r\n\r\n    Foo:\r\n\r\n      Version: 3\r\n",
				       &hosts);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
	const TuRecord *r = last (scan);
	g_assert_cmpstr (r->raw_name, ==, "Re: Mail: Tool");
	g_assert_null (r->raw_version);
	g_assert_cmpstr (r->location, ==, "/Applications/R.app");
	g_assert_true (has_warning (scan, "m.txt:8: \"stray\": neither an application's name"));
	g_assert_true (has_warning (scan, "m.txt:10: an application without a name (skipped)"));
	g_assert_true (has_warning (scan, "m.txt:14: \"Frameworks:\" and what follows not read"));

	/* no date after the 12th: day and month cannot be told apart, no date is guessed */
	g_autoptr(GPtrArray) h2 = NULL;
	scan = parse_text ("Applications:\n\n    A:\n\n      Last Modified: 01/02/11 10:00\n\n"
			   "    B:\n\n      Last Modified: 2011-02-03 10:00\n      Version: 1\n",
			   &h2);
	g_assert_null (tu_record_list_get (scan->records, 0)->install_date);
	g_assert_cmpstr (tu_record_list_get (scan->records, 1)->install_date, ==, "2011-02-03");
	g_assert_true (has_warning (scan, "whether the day or the month comes first"));

	/* every prefix of a real file: a host or an error naming the file and a line */
	g_autofree char *path = text_sample_path ("sample3.SPApplicationsDataType");
	g_autoptr(GBytes) b = tu_test_read (path);
	gsize len = 0;
	const char *data = g_bytes_get_data (b, &len);
	for (gsize cut = 0; cut < MIN (len, 4000u); cut++) {
		g_autoptr(GBytes) part = g_bytes_new_static (data, cut);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) h = parse_profiler_bytes (part, "t.txt", &error);
		if (h == NULL)
			g_assert_true (g_str_has_prefix (error->message, "t.txt:"));
	}
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
	g_autoptr(TuFs) fs = tu_fs_new_snapshot ("mac01");
	add_fixture (fs, "syft-apple/install-example/Applications/Slack.app/Contents/Info.plist",
		     "Applications/Slack.app/Contents/Info.plist");
	add_fixture (fs, "syft-apple/native-app-example/Applications/Ghostty.app/Contents/Info.plist",
		     "Applications/Utilities/Ghostty.app/Contents/Info.plist");
	add_fixture (fs, "Slack.Info.bplist", "System/Applications/Chess.app/Contents/Info.plist");
	add_fixture (fs, "syft-apple/parse-cases/no-name.plist",
		     "Users/alice/Applications/Tool.app/Contents/Info.plist");
	add_fixture (fs, "syft-apple/parse-cases/malformed.plist",
		     "Applications/Broken.app/Contents/Info.plist");
	/* not an application bundle's Info.plist */
	add_fixture (fs, "syft-apple/parse-cases/no-name.plist",
		     "Applications/Slack.app/Contents/Frameworks/X.framework/Resources/Info.plist");
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("ssh://mac01");
	TuScanOptions opts = {0};
	tu_source_macos (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 4);
	const char *expect[][3] = {{"/Applications/Slack.app", "Slack", NULL},
				   {"/Applications/Utilities/Ghostty.app", "Ghostty", NULL},
				   {"/System/Applications/Chess.app", "Slack", "system"},
				   {"/Users/alice/Applications/Tool.app", "Tool", NULL}};
	for (guint i = 0; i < G_N_ELEMENTS (expect); i++) {
		gboolean found = FALSE;
		for (guint j = 0; j < tu_record_list_len (scan->records); j++) {
			const TuRecord *r = tu_record_list_get (scan->records, j);
			if (g_strcmp0 (r->location, expect[i][0]) != 0)
				continue;
			found = TRUE;
			g_assert_cmpstr (r->raw_name, ==, expect[i][1]);
			g_assert_cmpstr (r->kind, ==, expect[i][2]);
		}
		if (!found)
			g_error ("no record at %s", expect[i][0]);
	}
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	g_assert_true (g_str_has_prefix (tu_warnings_text (scan->warnings, 0),
					 "mac01:/Applications/Broken.app/Contents/Info.plist:1: "));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/macos/syft-bundles", test_syft_bundles);
	g_test_add_func ("/trueup/scan/macos/syft-parse-cases", test_syft_parse_cases);
	g_test_add_func ("/trueup/scan/macos/binary-info-plist", test_binary_info_plist);
	g_test_add_func ("/trueup/scan/macos/binary-plist-hostile-input-is-an-error-with-offset",
			 test_binary_hostile);
	g_test_add_func ("/trueup/scan/macos/system-profiler-xml-matches-glpi", test_profiler_xml);
	g_test_add_func ("/trueup/scan/macos/system-profiler-mac-os-x-10.8", test_profiler_old_release);
	g_test_add_func ("/trueup/scan/macos/system-profiler-binary-plist-equals-xml", test_profiler_binary);
	g_test_add_func ("/trueup/scan/macos/system-profiler-json-equals-xml", test_profiler_json);
	g_test_add_func ("/trueup/scan/macos/collector-script-output-parses", test_collector);
	g_test_add_func ("/trueup/scan/macos/system-profiler-bad-input", test_profiler_errors);
	g_test_add_func ("/trueup/scan/macos/system-profiler-text-matches-glpi",
			 test_profiler_text_matches_glpi);
	g_test_add_func ("/trueup/scan/macos/system-profiler-text-named-apps",
			 test_profiler_text_details);
	g_test_add_func ("/trueup/scan/macos/system-profiler-text-equals-xml-but-local-dates",
			 test_profiler_text_equals_xml);
	g_test_add_func ("/trueup/scan/macos/system-profiler-text-crlf-and-bom",
			 test_profiler_text_crlf);
	g_test_add_func ("/trueup/scan/macos/system-profiler-text-bad-input-names-file-and-line",
			 test_profiler_text_bad_input);
	g_test_add_func ("/trueup/scan/macos/finder-bundles", test_finder);
	return g_test_run ();
}
