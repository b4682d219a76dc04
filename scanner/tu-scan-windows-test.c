/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Windows Uninstall exports: GLPI Agent's real `reg export` files compared with the software
 * lists GLPI Agent itself derives from them, the same data as PowerShell writes it (JSON and
 * CSV), the collector's per-machine JSON, and broken input of every kind.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

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

static GPtrArray *
parse_reg_file (const char *path, GError **error)
{
	g_autoptr(GBytes) b = tu_test_read (path);
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	if (!tu_windows_parse_reg (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path, hosts,
				   error)) {
		g_ptr_array_unref (hosts);
		return NULL;
	}
	return hosts;
}

static JsonArray *
load_expected (const char *path, JsonParser **parser_out)
{
	g_autoptr(GError) error = NULL;
	JsonParser *parser = json_parser_new ();
	json_parser_load_from_file (parser, path, &error);
	g_assert_no_error (error);
	*parser_out = parser;
	return json_node_get_array (json_parser_get_root (parser));
}

static const char *
exp_str (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);
	return n != NULL && !JSON_NODE_HOLDS_NULL (n) ? json_node_get_string (n) : NULL;
}

/* Every record must be in GLPI's list with the same name, version and publisher, found by its
 * key (GLPI's GUID); returns how many of GLPI's entries were matched. */
static guint
compare_with_glpi (TuHostScan *scan, JsonArray *expected, const char *const *renamed)
{
	g_autoptr(GHashTable) by_guid = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < json_array_get_length (expected); i++) {
		JsonObject *o = json_array_get_object_element (expected, i);
		if (g_strcmp0 (exp_str (o, "FROM"), "registry") == 0)
			g_hash_table_insert (by_guid, (gpointer) exp_str (o, "GUID"), o);
	}
	guint matched = 0;
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		const char *key = strrchr (r->location, '\\') + 1;
		JsonObject *o = g_hash_table_lookup (by_guid, key);
		g_assert_nonnull (o);
		if (renamed == NULL || !g_strv_contains (renamed, key))
			g_assert_cmpstr (r->raw_name, ==, exp_str (o, "NAME"));
		g_assert_cmpstr (r->raw_version, ==, exp_str (o, "VERSION"));
		g_assert_cmpstr (r->raw_publisher, ==, exp_str (o, "PUBLISHER"));
		/* GLPI writes DD/MM/YYYY */
		const char *d = exp_str (o, "INSTALLDATE");
		if (d != NULL) {
			g_autofree char *iso = g_strdup_printf ("%.4s-%.2s-%.2s", d + 6, d + 3, d);
			g_assert_cmpstr (r->install_date, ==, iso);
		} else {
			g_assert_null (r->install_date);
		}
		matched++;
	}
	return matched;
}

static void
test_reg_mssql (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/windows/mssql-Uninstall.reg");
	g_autofree char *exp_path =
		tu_test_source_path ("tests/fixtures/windows/mssql.expected.derived.json");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_reg_file (path, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 1);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	/* a .reg names no host: the file does, with a warning saying so */
	g_assert_cmpstr (scan->facts.hostname, ==, "mssql-Uninstall");
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	g_assert_nonnull (strstr (tu_warnings_text (scan->warnings, 0), "file name"));
	g_autoptr(JsonParser) parser = NULL;
	JsonArray *expected = load_expected (exp_path, &parser);
	/* GLPI appends the SQL Server edition ("Standard Edition") to "Microsoft SQL Server 2005",
	 * read from HKLM\SOFTWARE\Microsoft\Microsoft SQL Server\...\Setup, which is not part of an
	 * Uninstall export; trueup keeps DisplayName exactly as written and leaves editions to the
	 * normaliser. */
	static const char *const renamed[] = {"Microsoft SQL Server 2005", NULL};
	g_assert_cmpuint (compare_with_glpi (scan, expected, renamed), ==, 7);
	g_assert_cmpuint (json_array_get_length (expected), ==, 7);

	const TuRecord *git = find (scan, "Git version 2.12.2.2");
	g_assert_nonnull (git);
	g_assert_cmpint (git->source, ==, TU_SOURCE_WINDOWS);
	g_assert_cmpstr (git->install_date, ==, "2017-05-02");
	g_assert_cmpint (git->size_bytes, ==, 0x353f6 * 1024);
	g_assert_cmpstr (git->location, ==,
			 "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Git_is1");
	/* no WOW6432Node in the export: 32- or 64-bit Windows cannot be told, arch unknown */
	g_assert_null (git->arch);
	g_assert_null (git->kind);
	const TuRecord *perl = find (scan, "Strawberry Perl (64-bit)");
	g_assert_nonnull (perl);
	g_assert_cmpstr (perl->raw_version, ==, "5.24.1");
	g_assert_cmpstr (perl->install_date, ==, "2017-06-22");
}

static void
test_reg_mssql_engine (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/windows/mssql_engine-Uninstall.reg");
	g_autofree char *exp_path =
		tu_test_source_path ("tests/fixtures/windows/mssql_engine.expected.derived.json");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_reg_file (path, &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_autoptr(JsonParser) parser = NULL;
	JsonArray *expected = load_expected (exp_path, &parser);
	/* GLPI inserts the edition read from the SQL Server setup keys ("SQL Server 2011 Express
	 * Edition Database Engine Services"); the Uninstall key says what trueup records */
	static const char *const renamed[] = {"SQL Server 2011 Database Engine Services", NULL};
	g_assert_cmpuint (compare_with_glpi (scan, expected, renamed), ==, 2);
	g_assert_nonnull (find (scan, "SQL Server 2011 Database Engine Services"));
	g_assert_nonnull (find (scan, "SQL Server Database Engine Services"));
}

static void
test_reg_russian (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/windows/10_russian-Uninstall.reg");
	g_autofree char *exp_path =
		tu_test_source_path ("tests/fixtures/windows/10_russian.expected.derived.json");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_reg_file (path, &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_autoptr(JsonParser) parser = NULL;
	JsonArray *expected = load_expected (exp_path, &parser);
	/* GLPI's 10 = these 2 registry entries + 8 UWP packages from PowerShell output */
	g_assert_cmpuint (compare_with_glpi (scan, expected, NULL), ==, 2);
	const TuRecord *csp = find (scan, "КриптоПро CSP");
	g_assert_nonnull (csp);
	g_assert_cmpstr (csp->raw_publisher, ==, "Компания КриптоПро");
	g_assert_cmpstr (csp->install_date, ==, "2021-07-24");
	g_assert_nonnull (strstr (csp->location, "{50F91F80-D397-437C-B0C8-62128DE3B55E}"));
	const TuRecord *c1 = find (scan, "1C Предприятие 7.7");
	g_assert_nonnull (c1);
	g_assert_cmpstr (c1->raw_version, ==, "77.27");
	g_assert_null (c1->raw_publisher);
	g_assert_true (g_str_has_suffix (c1->location, "\\1C Предприятие 7.7.27"));
}

/* The big XP export: 534 program keys. GLPI lists 453: it also keeps keys without a
 * DisplayName (named after the key) and SystemComponent entries (category
 * "system_component"). trueup skips both, as "Programs and Features" does: the first are
 * leftovers and the second are parts of another product's installation (counting them would
 * count e.g. each Office 2010 language MSI as a product). Everything else must agree. */
static void
test_reg_xp (void)
{
	g_autofree char *path = tu_test_shared_path ("fixtures/glpi-agent/win32/registry/xp-Uninstall.reg");
	g_autofree char *exp_path =
		tu_test_shared_path ("fixtures/glpi-agent/win32/expected/xp.expected.derived.json");
	if (path == NULL || exp_path == NULL) {
		g_test_skip ("shared fixtures not present");
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_reg_file (path, &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_autoptr(JsonParser) parser = NULL;
	JsonArray *expected = load_expected (exp_path, &parser);
	g_assert_cmpuint (json_array_get_length (expected), ==, 453);
	g_assert_cmpuint (compare_with_glpi (scan, expected, NULL), ==, 361);
	/* the 92 GLPI entries trueup leaves out are exactly the two skipped kinds */
	guint system_components = 0, unnamed = 0;
	for (guint i = 0; i < json_array_get_length (expected); i++) {
		JsonObject *o = json_array_get_object_element (expected, i);
		const char *guid = exp_str (o, "GUID");
		gboolean found = FALSE;
		for (guint r = 0; r < tu_record_list_len (scan->records) && !found; r++)
			found = g_str_has_suffix (tu_record_list_get (scan->records, r)->location, guid);
		if (found)
			continue;
		if (g_strcmp0 (exp_str (o, "NAME"), guid) == 0)
			unnamed++;
		else if (g_strcmp0 (exp_str (o, "SYSTEM_CATEGORY"), "system_component") == 0)
			system_components++;
		else
			g_error ("GLPI lists %s, trueup does not", guid);
	}
	g_assert_cmpuint (system_components, ==, 57);
	g_assert_cmpuint (unnamed, ==, 35);
	/* ParentKeyName entries (hotfixes of .NET, Office service packs) are updates: 297, plus
	 * KB969084 whose only sign is ReleaseType "Hotfix" */
	guint updates = 0;
	for (guint r = 0; r < tu_record_list_len (scan->records); r++)
		updates += g_strcmp0 (tu_record_list_get (scan->records, r)->kind, "update") == 0;
	g_assert_cmpuint (updates, ==, 298);
	g_assert_cmpstr (find (scan, "Hotfix for Windows XP (KB969084)")->kind, ==, "update");
	/* the nested key Uninstall\{0001B4FD-...}\CustomMessages is not an installation */
	for (guint r = 0; r < tu_record_list_len (scan->records); r++)
		g_assert_null (strstr (tu_record_list_get (scan->records, r)->location, "CustomMessages"));
}

/* Same records whether the export is UTF-16LE (regedit), UTF-8 with or without BOM. */
static void
test_reg_encodings (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/windows/10_russian-Uninstall.reg");
	g_autoptr(GBytes) b = tu_test_read (path);
	gsize u8len = 0;
	g_autofree char *u8 = g_convert ((const char *) g_bytes_get_data (b, NULL) + 2,
					 (gssize) g_bytes_get_size (b) - 2, "UTF-8", "UTF-16LE", NULL,
					 &u8len, NULL);
	g_assert_nonnull (u8);
	g_autofree char *bom8 = g_strconcat ("\xef\xbb\xbf", u8, NULL);
	const char *variants[] = {u8, bom8};
	for (guint v = 0; v < G_N_ELEMENTS (variants); v++) {
		g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
		g_autoptr(GError) error = NULL;
		g_assert_true (tu_windows_parse_reg ((const guint8 *) variants[v], strlen (variants[v]),
						     "ru.reg", hosts, &error));
		TuHostScan *scan = g_ptr_array_index (hosts, 0);
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, 2);
		g_assert_nonnull (find (scan, "КриптоПро CSP"));
	}

	/* UTF-16BE: an error naming the encoding */
	gsize be_len = 0;
	g_autofree char *be = g_convert (u8, -1, "UTF-16BE", "UTF-8", NULL, &be_len, NULL);
	g_autofree char *be_bom = g_malloc (be_len + 2);
	be_bom[0] = (char) 0xfe;
	be_bom[1] = (char) 0xff;
	memcpy (be_bom + 2, be, be_len);
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	g_assert_false (tu_windows_parse_reg ((const guint8 *) be_bom, be_len + 2, "be.reg", hosts, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED);
	g_assert_nonnull (strstr (error->message, "be.reg: UTF-16BE"));
	g_clear_error (&error);
	g_assert_false (tu_windows_parse_reg ((const guint8 *) be, be_len, "be.reg", hosts, &error));
	g_assert_nonnull (strstr (error->message, "UTF-16BE"));
	g_clear_error (&error);

	/* Latin-1 (an ANSI regedit file with accents): the line of the first bad byte */
	const char *latin1 = "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\"
			     "CurrentVersion\\Uninstall\\x]\r\n\"DisplayName\"=\"Caf\xe9\"\r\n";
	g_assert_false (tu_windows_parse_reg ((const guint8 *) latin1, strlen (latin1), "l1.reg", hosts,
					      &error));
	g_assert_nonnull (strstr (error->message, "l1.reg:4: neither UTF-16LE nor UTF-8"));
	g_assert_nonnull (strstr (error->message, "Latin-1"));
	g_assert_cmpuint (hosts->len, ==, 0);
}

#define UNINST "\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\"

/* Views, per-user keys, the skip rules, every value type and REGEDIT4. */
static void
test_reg_rules (void)
{
	const char *reg =
		"Windows Registry Editor Version 5.00\r\n"
		"\r\n"
		"; a comment\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE" UNINST "App64]\r\n"
		"\"DisplayName\"=\"App \\\"Quoted\\\" \\\\ 64\"\r\n"
		"\"DisplayVersion\"=\"1.0\"\r\n"
		"\"EstimatedSize\"=dword:00000400\r\n"
		"\"InstallDate\"=\"20231399\"\r\n"
		"\"Comments\"=\"line one\r\nline two\"\r\n"
		"\"Blob\"=hex:01,02,\\\r\n  03\r\n"
		"\"Q\"=hex(b):00,00,00,00,00,00,00,00\r\n"
		"\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node" UNINST "App32]\r\n"
		"\"DisplayName\"=hex(2):41,00,70,00,70,00,20,00,33,00,32,00,00,00\r\n"
		"\"DisplayVersion\"=hex(7):32,00,2e,00,30,00,00,00,78,00,00,00,00,00\r\n"
		"\"InstallDate\"=\"20200229\"\r\n"
		"\r\n"
		"[HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software" UNINST "UserApp]\r\n"
		"\"DisplayName\"=\"User App\"\r\n"
		"\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE" UNINST "Hidden]\r\n"
		"\"DisplayName\"=\"Hidden component\"\r\n"
		"\"SystemComponent\"=dword:00000001\r\n"
		"\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE" UNINST "KB123456]\r\n"
		"\"DisplayName\"=\"Update for App64 (KB123456)\"\r\n"
		"\"ParentKeyName\"=\"App64\"\r\n"
		"\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE" UNINST "NoName]\r\n"
		"\"DisplayVersion\"=\"9\"\r\n"
		"\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE" UNINST "App64\\Nested]\r\n"
		"\"DisplayName\"=\"Not an installation\"\r\n"
		"\r\n"
		"[-HKEY_LOCAL_MACHINE\\SOFTWARE" UNINST "Deleted]\r\n"
		"\"DisplayName\"=\"Deleted\"\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other]\r\n"
		"\"DisplayName\"=\"Not under Uninstall\"\r\n"
		"@=\"default\"\r\n"
		"\"Gone\"=-\r\n";
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_windows_parse_reg ((const guint8 *) reg, strlen (reg), "/x/web01.reg", hosts,
					     &error));
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpstr (scan->facts.hostname, ==, "web01");
	g_assert_cmpstr (scan->target, ==, "import:/x/web01.reg");
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 4);
	const TuRecord *a64 = find (scan, "App \"Quoted\" \\ 64");
	g_assert_nonnull (a64);
	/* a WOW6432Node key proves 64-bit Windows: the native view is x64 */
	g_assert_cmpstr (a64->arch, ==, "x64");
	g_assert_cmpint (a64->size_bytes, ==, 1024 * 1024);
	g_assert_null (a64->install_date); /* 2023-13-99 is no date */
	const TuRecord *a32 = find (scan, "App 32");
	g_assert_nonnull (a32);
	g_assert_cmpstr (a32->arch, ==, "x86");
	g_assert_cmpstr (a32->raw_version, ==, "2.0");
	g_assert_cmpstr (a32->install_date, ==, "2020-02-29");
	const TuRecord *user = find (scan, "User App");
	g_assert_nonnull (user);
	g_assert_true (g_str_has_prefix (user->location, "HKEY_USERS\\S-1-5-21-1-2-3-1001\\"));
	const TuRecord *kb = find (scan, "Update for App64 (KB123456)");
	g_assert_nonnull (kb);
	g_assert_cmpstr (kb->kind, ==, "update");
	g_assert_null (find (scan, "Hidden component"));
	g_assert_null (find (scan, "Not an installation"));
	g_assert_null (find (scan, "Deleted"));
	g_assert_null (find (scan, "Not under Uninstall"));

	/* REGEDIT4: hex(2) holds code-page bytes, not UTF-16 */
	const char *r4 = "REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE" UNINST "Old]\n"
			 "\"DisplayName\"=hex(2):4f,6c,64,20,41,70,70,00\n";
	g_autoptr(GPtrArray) hosts4 = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_assert_true (tu_windows_parse_reg ((const guint8 *) r4, strlen (r4), "old.reg", hosts4, &error));
	g_assert_nonnull (find (g_ptr_array_index (hosts4, 0), "Old App"));
}

static void
expect_reg_error (const char *text, gssize len, const char *needle)
{
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	gsize n = len < 0 ? strlen (text) : (gsize) len;
	g_assert_false (tu_windows_parse_reg ((const guint8 *) text, n, "bad.reg", hosts, &error));
	g_assert_nonnull (error);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" does not contain \"%s\"", error->message, needle);
	g_assert_cmpuint (hosts->len, ==, 0);
}

static void
test_reg_corrupt (void)
{
#define HDR "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE" UNINST "A]\r\n"
	expect_reg_error ("hello\r\n", -1, "bad.reg:1: not a registry export");
	expect_reg_error ("", 0, "bad.reg:1: not a registry export");
	expect_reg_error (HDR "\"DisplayName\"=\"unterminated\r\n", -1, "bad.reg:4: unterminated string");
	expect_reg_error (HDR "\"EstimatedSize\"=dword:12\r\n", -1,
			  "bad.reg:4: value \"EstimatedSize\": dword needs 8 hex digits");
	expect_reg_error (HDR "\"X\"=hex(2):4g,00\r\n", -1, "bad.reg:4: value \"X\": bad hex data");
	expect_reg_error (HDR "\"X\"=hex(2):41,00,\\\r\n", -1, "bad.reg");
	expect_reg_error (HDR "\"X\"=qword:1\r\n", -1, "bad.reg:4: value \"X\": unknown value type");
	expect_reg_error (HDR "\"X\"\r\n", -1, "bad.reg:4: value \"X\": missing \"=\"");
	expect_reg_error (HDR "garbage here\r\n", -1, "bad.reg:4: \"garbage here\" is not a key");
	expect_reg_error (HDR "[HKEY_LOCAL_MACHINE\\SOFTWARE\r\n", -1, "bad.reg:4: key line without");
	expect_reg_error ("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n",
			  -1, "bad.reg: no ...\\Uninstall\\* keys");
	/* truncated UTF-16 (odd length) and binary garbage */
	expect_reg_error ("\xff\xfeW\x00i\x00n", 7, "truncated UTF-16LE");
	const char garbage[] = "\x00\x01\x02\x03\xff\xff\x00\x00\x10\x80";
	expect_reg_error (garbage, sizeof garbage - 1, "bad.reg");
	/* the real file cut in half */
	g_autofree char *path = tu_test_source_path ("tests/fixtures/windows/mssql-Uninstall.reg");
	g_autoptr(GBytes) b = tu_test_read (path);
	gsize half = g_bytes_get_size (b) / 2;
	half -= half % 2;
	/* cut inside a hex value: the parser stops at the truncated line, no crash */
	for (gsize cut = half; cut < half + 64; cut += 2) {
		g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
		g_autoptr(GError) error = NULL;
		gboolean ok = tu_windows_parse_reg (g_bytes_get_data (b, NULL), cut, "cut.reg", hosts, &error);
		g_assert_true (ok || strstr (error->message, "cut.reg:") != NULL);
	}
#undef HDR
}

/* The PowerShell-shaped export of the mssql fixture gives what the .reg gives. */
static void
test_json_powershell (void)
{
	g_autofree char *reg_path = tu_test_source_path ("tests/fixtures/windows/mssql-Uninstall.reg");
	g_autofree char *path = tu_test_source_path ("tests/fixtures/windows/mssql-Uninstall.ps.json");
	g_autofree char *csv_path = tu_test_source_path ("tests/fixtures/windows/mssql-Uninstall.ps.csv");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) reg = parse_reg_file (reg_path, &error);
	g_assert_no_error (error);
	TuHostScan *want = g_ptr_array_index (reg, 0);
	for (guint f = 0; f < 2; f++) {
		const char *p = f == 0 ? path : csv_path;
		g_autoptr(GBytes) b = tu_test_read (p);
		g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
		gboolean ok = f == 0 ? tu_windows_parse_json (g_bytes_get_data (b, NULL),
							      g_bytes_get_size (b), p, hosts, &error)
				     : tu_windows_parse_csv (g_bytes_get_data (b, NULL),
							     g_bytes_get_size (b), p, hosts, &error);
		g_assert_no_error (error);
		g_assert_true (ok);
		g_assert_cmpuint (hosts->len, ==, 1);
		TuHostScan *scan = g_ptr_array_index (hosts, 0);
		g_assert_cmpstr (scan->facts.hostname, ==, "mssql-Uninstall.ps");
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, tu_record_list_len (want->records));
		for (guint i = 0; i < tu_record_list_len (want->records); i++) {
			const TuRecord *w = tu_record_list_get (want->records, i);
			const TuRecord *r = find (scan, w->raw_name);
			g_assert_nonnull (r);
			g_assert_cmpstr (r->raw_version, ==, w->raw_version);
			g_assert_cmpstr (r->raw_publisher, ==, w->raw_publisher);
			g_assert_cmpstr (r->location, ==, w->location);
			g_assert_cmpstr (r->install_date, ==, w->install_date);
			g_assert_cmpint (r->size_bytes, ==, w->size_bytes);
		}
	}
}

/* Hand-written PowerShell shapes: one object, WOW6432Node paths, PSComputerName. */
static void
test_json_shapes (void)
{
	const char *one = "{\"DisplayName\":\"Solo\",\"DisplayVersion\":\"1.2\",\"SystemComponent\":0,"
			  "\"PSPath\":\"Microsoft.PowerShell.Core\\\\Registry::HKEY_LOCAL_MACHINE\\\\SOFTWARE"
			  "\\\\WOW6432Node\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\Solo\"}";
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_windows_parse_json (one, strlen (one), "one.json", hosts, &error));
	const TuRecord *solo = find (g_ptr_array_index (hosts, 0), "Solo");
	g_assert_nonnull (solo);
	g_assert_cmpstr (solo->arch, ==, "x86");

	const char *many = "[{\"DisplayName\":\"A\",\"PSComputerName\":\"pc1\"},"
			   "{\"DisplayName\":\"B\",\"PSComputerName\":\"pc2\"},"
			   "{\"DisplayName\":\"C\",\"PSComputerName\":\"pc1\",\"ParentKeyName\":\"A\"}]";
	g_autoptr(GPtrArray) hosts2 = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_assert_true (tu_windows_parse_json (many, strlen (many), "many.json", hosts2, &error));
	g_assert_cmpuint (hosts2->len, ==, 2);
	TuHostScan *pc1 = g_ptr_array_index (hosts2, 0);
	g_assert_cmpstr (pc1->facts.hostname, ==, "pc1");
	g_assert_cmpuint (pc1->warnings->len, ==, 0);
	g_assert_cmpuint (tu_record_list_len (pc1->records), ==, 2);
	g_assert_cmpstr (find (pc1, "C")->kind, ==, "update");
}

static void
test_json_collector (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/windows/collector-sample.json");
	g_autoptr(GBytes) b = tu_test_read (path);
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_windows_parse_json (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path,
					      hosts, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 1);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	TuHostFacts *f = &scan->facts;
	g_assert_cmpuint (scan->warnings->len, ==, 0);
	g_assert_cmpstr (f->hostname, ==, "SQL-PRD-01");
	g_assert_cmpstr (f->fqdn, ==, "SQL-PRD-01.corp.example.com");
	g_assert_cmpstr (f->domain, ==, "corp.example.com");
	g_assert_cmpstr (f->machine_id, ==, "6f1c2b9e-3a41-4d0b-9a7e-52c8e1f0a6d3");
	g_assert_cmpstr (f->os_id, ==, "windows");
	g_assert_cmpstr (f->os_name, ==, "Windows Server 2019");
	g_assert_cmpstr (f->os_edition, ==, "ServerDatacenter");
	g_assert_cmpstr (f->os_version, ==, "10.0.17763");
	g_assert_cmpstr (f->arch, ==, "x64");
	g_assert_cmpint (f->sockets, ==, 2);
	g_assert_cmpint (f->cores, ==, 16);
	g_assert_cmpint (f->threads, ==, 32);
	g_assert_cmpint (f->memory_bytes, ==, G_GINT64_CONSTANT (137438953472));
	g_assert_cmpint (f->is_virtual, ==, 1);
	g_assert_cmpstr (f->hypervisor, ==, "vmware");
	g_assert_cmpstr (f->dmi_vendor, ==, "VMware, Inc.");
	g_assert_cmpstr (f->ip_addresses, ==, "10.20.30.41,fe80::8d2c:1b4a:9e3f:2a10");

	/* the OS itself, countable for Windows Server licences */
	const TuRecord *os = find (scan, "Microsoft Windows Server 2019 Datacenter");
	g_assert_nonnull (os);
	g_assert_cmpstr (os->raw_version, ==, "10.0.17763.6893");
	g_assert_cmpstr (os->raw_publisher, ==, "Microsoft Corporation");
	g_assert_null (os->kind);
	/* uninstall: 7 entries, 1 system component, 1 without a name, 1 more system component */
	const TuRecord *sql = find (scan, "Microsoft SQL Server 2019 (64-bit)");
	g_assert_nonnull (sql);
	g_assert_cmpstr (sql->arch, ==, "x64");
	g_assert_cmpstr (sql->install_date, ==, "2024-06-11");
	g_assert_null (find (scan, "SQL Server 2019 Database Engine Services"));
	g_assert_null (find (scan, "Office 16 Click-to-Run Extensibility Component"));
	g_assert_cmpstr (find (scan, "Security Update for SQL Server 2019 RTM GDR (KB5046859)")->kind, ==,
			 "update");
	const TuRecord *npp = find (scan, "Notepad++ (32-bit x86)");
	g_assert_cmpstr (npp->arch, ==, "x86");
	g_assert_cmpint (npp->size_bytes, ==, 13927 * 1024);
	const TuRecord *code = find (scan, "Microsoft Visual Studio Code (User)");
	g_assert_true (g_str_has_prefix (code->location, "HKEY_USERS\\S-1-5-21-"));
	/* features: the installed ones only, as system components */
	const TuRecord *fs = find (scan, "FileAndStorage-Services");
	g_assert_nonnull (fs);
	g_assert_cmpstr (fs->kind, ==, "system");
	g_assert_null (find (scan, "Web-Server"));
	g_assert_null (find (scan, "Hyper-V"));
	/* AppX: Store apps are applications, System-signed ones part of the OS */
	const TuRecord *store = find (scan, "Microsoft.WindowsStore");
	g_assert_cmpstr (store->raw_version, ==, "12107.1001.15.0");
	g_assert_null (store->kind);
	g_assert_cmpstr (find (scan, "Microsoft.Windows.ShellExperienceHost")->kind, ==, "system");
	/* 4 uninstall + OS + 3 features + 2 appx */
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 10);
}

static void
expect_json_error (const char *text, gssize len, const char *needle)
{
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	gsize n = len < 0 ? strlen (text) : (gsize) len;
	g_assert_false (tu_windows_parse_json (text, n, "bad.json", hosts, &error));
	g_assert_nonnull (error);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" does not contain \"%s\"", error->message, needle);
	g_assert_cmpuint (hosts->len, ==, 0);
}

static void
test_json_corrupt (void)
{
	expect_json_error ("[{\"DisplayName\":\"A\"},\n{\"DisplayName\":}]", -1, "bad.json:2:");
	expect_json_error ("", 0, "bad.json:1: empty JSON document");
	expect_json_error ("[]", -1, "no uninstall entries");
	expect_json_error ("[1,2]", -1, "bad.json: [0]: not an object");
	expect_json_error ("\"x\"", -1, "expected a JSON array or object");
	expect_json_error ("{\"trueup_collector\":\"windows\",\"version\":2}", -1, "version 2 is not");
	expect_json_error ("{\"trueup_collector\":\"windows\",\"version\":1,\"host\":{},\"uninstall\":[]}",
			   -1, "host.hostname: missing");
	expect_json_error ("{\"trueup_collector\":\"macos\",\"version\":1}", -1, "\"macos\" collector");
	expect_json_error ("[{\"DisplayName\":\"caf\xe9\"}]", -1, "bad.json:1: neither UTF-16LE nor UTF-8");
	GString *deep = g_string_new (NULL);
	for (guint i = 0; i < 100000; i++)
		g_string_append_c (deep, '[');
	expect_json_error (deep->str, (gssize) deep->len, "nested deeper than");
	g_string_free (deep, TRUE);
}

static void
test_csv_corrupt (void)
{
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	const char *unbalanced = "\"DisplayName\",\"DisplayVersion\"\r\n\"A\",\"1\"\r\n\"B,\"2\"\r\n";
	g_assert_false (tu_windows_parse_csv (unbalanced, strlen (unbalanced), "b.csv", hosts, &error));
	g_assert_nonnull (strstr (error->message, "b.csv:3:"));
	g_clear_error (&error);
	const char *short_row = "#TYPE x\r\n\"DisplayName\",\"DisplayVersion\"\r\n\"A\"\r\n";
	g_assert_false (tu_windows_parse_csv (short_row, strlen (short_row), "b.csv", hosts, &error));
	g_assert_nonnull (strstr (error->message, "b.csv:3: 1 fields where the header has 2"));
	g_clear_error (&error);
	const char *no_name = "\"Name\",\"Version\"\r\n\"A\",\"1\"\r\n";
	g_assert_false (tu_windows_parse_csv (no_name, strlen (no_name), "b.csv", hosts, &error));
	g_assert_nonnull (strstr (error->message, "b.csv:1: the header has neither DisplayName"));
	g_clear_error (&error);
	g_assert_cmpuint (hosts->len, ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/windows/reg-mssql-matches-glpi", test_reg_mssql);
	g_test_add_func ("/trueup/scan/windows/reg-mssql-engine-matches-glpi", test_reg_mssql_engine);
	g_test_add_func ("/trueup/scan/windows/reg-cyrillic-matches-glpi", test_reg_russian);
	g_test_add_func ("/trueup/scan/windows/reg-xp-matches-glpi-less-hidden-entries", test_reg_xp);
	g_test_add_func ("/trueup/scan/windows/reg-utf16le-utf8-same-records-others-refused",
			 test_reg_encodings);
	g_test_add_func ("/trueup/scan/windows/reg-views-users-skips-updates-value-types", test_reg_rules);
	g_test_add_func ("/trueup/scan/windows/reg-corrupt-is-error-with-line", test_reg_corrupt);
	g_test_add_func ("/trueup/scan/windows/powershell-json-and-csv-equal-reg", test_json_powershell);
	g_test_add_func ("/trueup/scan/windows/powershell-json-shapes-and-computers", test_json_shapes);
	g_test_add_func ("/trueup/scan/windows/collector-json-facts-os-features-appx", test_json_collector);
	g_test_add_func ("/trueup/scan/windows/json-corrupt-is-error-with-line", test_json_corrupt);
	g_test_add_func ("/trueup/scan/windows/csv-corrupt-is-error-with-line", test_csv_corrupt);
	return g_test_run ();
}
