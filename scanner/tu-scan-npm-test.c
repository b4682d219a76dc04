/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * npm package.json parser and finder tests: Syft's manifest variants with upstream's expected
 * values, corrupt and hostile input, the global prefixes of a host-like snapshot, and this
 * machine's global prefix compared with `npm ls -g --json`.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static GBytes *
fixture (const char *rel)
{
	g_autofree char *full = g_build_filename ("tests/fixtures/npm", rel, NULL);
	g_autofree char *path = tu_test_source_path (full);
	return tu_test_read (path);
}

static const TuRecord *
parse_one (TuHostScan *scan, const char *rel)
{
	g_autoptr(GBytes) b = fixture (rel);
	g_autoptr(GError) error = NULL;
	guint before = tu_record_list_len (scan->records);
	g_assert_true (tu_npm_parse_package_json (g_bytes_get_data (b, NULL), g_bytes_get_size (b), rel,
						  scan, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, before + 1);
	return tu_record_list_get (scan->records, before);
}

static const TuRecord *
find (TuHostScan *scan, const char *name, const char *location)
{
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (g_strcmp0 (r->raw_name, name) == 0 &&
		    (location == NULL || g_strcmp0 (r->location, location) == 0))
			return r;
	}
	return NULL;
}

/* upstream TestParsePackageJSON, field by field */
static void
test_syft_variants (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	const TuRecord *r = parse_one (scan, "pkg-json/package.json");
	g_assert_cmpint (r->source, ==, TU_SOURCE_NPM);
	g_assert_cmpstr (r->raw_name, ==, "npm");
	g_assert_cmpstr (r->raw_version, ==, "6.14.6");
	g_assert_cmpstr (r->purl, ==, "pkg:npm/npm@6.14.6");
	g_assert_cmpstr (r->license, ==, "Artistic-2.0");
	g_assert_cmpstr (r->raw_publisher, ==, "Isaac Z. Schlueter");

	g_assert_cmpstr (parse_one (scan, "pkg-json/package-license-object.json")->license, ==, "ISC");
	g_assert_cmpstr (parse_one (scan, "pkg-json/package-license-objects.json")->license, ==,
			 "MIT OR Apache-2.0");
	g_assert_null (parse_one (scan, "pkg-json/package-malformed-license.json")->license);
	g_assert_null (parse_one (scan, "pkg-json/package-no-license.json")->license);
	r = parse_one (scan, "pkg-json/package-nested-author.json");
	g_assert_cmpstr (r->raw_publisher, ==, "Isaac Z. Schlueter");
	g_assert_cmpstr (r->license, ==, "Artistic-2.0");
	r = parse_one (scan, "pkg-json/package-repo-string.json");
	g_assert_cmpstr (r->raw_name, ==, "function-bind");
	g_assert_cmpstr (r->raw_version, ==, "1.1.1");
	g_assert_cmpstr (r->raw_publisher, ==, "Raynos");
	g_assert_cmpstr (r->license, ==, "MIT");
	g_assert_cmpstr (r->purl, ==, "pkg:npm/function-bind@1.1.1");
	/* private packages are installed all the same */
	g_assert_cmpstr (parse_one (scan, "pkg-json/package-private.json")->raw_name, ==, "npm");
	/* author forms: the name part only; no author, no publisher (authors, contributors and
	 * maintainers are not the publisher) */
	g_assert_cmpstr (parse_one (scan, "pkg-json/package-all-author-fields.json")->raw_publisher, ==,
			 "Main Author");
	g_assert_cmpstr (parse_one (scan, "pkg-json/package-author-non-standard.json")->raw_publisher,
			 ==, "npm Inc.");
	g_assert_cmpstr (parse_one (scan, "pkg-json/package-both-author-and-authors.json")->raw_publisher,
			 ==, "Isaac Z. Schlueter");
	g_assert_null (parse_one (scan, "pkg-json/package-authors-array.json")->raw_publisher);
	g_assert_null (parse_one (scan, "pkg-json/package-maintainers.json")->raw_publisher);
	r = parse_one (scan, "pkg-json/package-contributors-string.json");
	g_assert_cmpstr (r->raw_name, ==, "ghost");
	g_assert_cmpstr (r->raw_version, ==, "5.98.1");
	/* the prefix is two levels up from the manifest */
	g_assert_cmpstr (r->location, ==, ".");

	/* upstream TestParsePackageJSON_Partial: no name and no version, no package, no error */
	g_autoptr(GBytes) partial = fixture ("pkg-json/package-partial.json");
	g_autoptr(GError) error = NULL;
	guint before = tu_record_list_len (scan->records);
	g_assert_true (tu_npm_parse_package_json (g_bytes_get_data (partial, NULL),
						  g_bytes_get_size (partial), "p", scan, &error));
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, before);
}

/* Corrupt manifests fail naming the file and the line. */
static void
test_corrupt (void)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) corrupt = fixture ("corrupt/package.json");
	g_assert_false (tu_npm_parse_package_json (g_bytes_get_data (corrupt, NULL),
						   g_bytes_get_size (corrupt), "/g/corrupt/package.json",
						   scan, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_true (g_str_has_prefix (error->message, "/g/corrupt/package.json:3:"));
	g_clear_error (&error);

	struct {
		const char *json;
		gssize len;
		const char *expect;
	} cases[] = {
		{"", 0, "f:1: empty file"},
		{"[1, 2]", -1, "f:1: not a JSON object"},
		{"{\"name\": \"a\", \"version\": 3}", -1, "f:1: field \"version\" is not a string"},
		{"{\"name\": \"a\"}", -1, "f:1: package a: \"version\" field missing"},
		{"{\"version\": \"1.0.0\"}", -1, "f:1: \"name\" field missing"},
		{"{\"name\": \"a\",\n\"version\": \"1", -1, "f:2:"},
		{"\x7f" "ELF\x02\x01\x01", 7, "f:1:"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		gsize len = cases[i].len < 0 ? strlen (cases[i].json) : (gsize) cases[i].len;
		g_assert_false (tu_npm_parse_package_json (cases[i].json, len, "f", scan, &error));
		g_assert_nonnull (error);
		if (!g_str_has_prefix (error->message, cases[i].expect))
			g_error ("case %u: \"%s\" does not start with \"%s\"", i, error->message,
				 cases[i].expect);
		g_clear_error (&error);
	}
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);

	/* deeply nested: refused before json-glib sees it, with the line */
	GString *deep = g_string_new ("{\"name\": \"a\",\n\"x\": ");
	for (guint i = 0; i < 100000; i++)
		g_string_append_c (deep, '[');
	g_assert_false (tu_npm_parse_package_json (deep->str, deep->len, "d", scan, &error));
	g_assert_cmpstr (error->message, ==, "d:2: nested deeper than 128 levels");
	g_clear_error (&error);
	g_string_free (deep, TRUE);

	/* Latin-1 and an embedded NUL: read as Node does, invalid bytes become U+FFFD */
	const char latin1[] = "{\"name\": \"caf\xe9\", \"version\": \"1.0.0\", \"author\": \"Jos\xe9 <j@x>\","
			      "\"license\": \"MIT\x00\"}";
	g_assert_true (tu_npm_parse_package_json (latin1, sizeof latin1 - 1, "l", scan, &error));
	g_assert_no_error (error);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "caf\xef\xbf\xbd");
	g_assert_cmpstr (r->raw_publisher, ==, "Jos\xef\xbf\xbd");
	g_assert_true (g_utf8_validate (r->license, -1, NULL));
	g_assert_cmpstr (r->purl, ==, "pkg:npm/caf%EF%BF%BD@1.0.0");
}

static void
add_fixture (TuFs *fs, const char *rel, const char *at)
{
	g_autoptr(GBytes) b = fixture (rel);
	tu_fs_snapshot_add (fs, at, b);
}

/* Global prefixes only; scoped packages; nested dependencies are not installations. */
static void
test_finder (void)
{
	g_autoptr(TuFs) fs = tu_fs_new_snapshot ("build01");
	add_fixture (fs, "pkg-json/package.json", "usr/lib/node_modules/npm/package.json");
	add_fixture (fs, "actions-core.package.json", "usr/lib/node_modules/@actions/core/package.json");
	add_fixture (fs, "cowsay.package.json", "usr/local/lib/node_modules/cowsay/package.json");
	add_fixture (fs, "pkg-json/package-repo-string.json",
		     "usr/local/lib/node_modules/cowsay/node_modules/function-bind/package.json");
	add_fixture (fs, "pkg-json/package.json", "opt/homebrew/lib/node_modules/npm/package.json");
	add_fixture (fs, "corrupt/package.json", "usr/lib/node_modules/broken/package.json");
	add_fixture (fs, "pkg-json/package-partial.json", "usr/lib/node_modules/partial/package.json");
	add_fixture (fs, "cowsay.package.json", "usr/lib/node_modules/.bin/package.json");
	add_fixture (fs, "cowsay.package.json", "home/alice/project/node_modules/cowsay/package.json");
	g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
	tu_fs_snapshot_add (fs, "usr/lib/node_modules/no-manifest/index.js", empty);

	g_autoptr(TuHostScan) scan = tu_host_scan_new ("ssh://build01");
	TuScanOptions opts = {0};
	tu_source_npm (fs, scan, &opts);
	g_assert_no_error (scan->error);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 4);
	const TuRecord *r = find (scan, "@actions/core", "/usr/lib/node_modules");
	g_assert_nonnull (r);
	g_assert_cmpstr (r->raw_version, ==, "1.6.0");
	g_assert_cmpstr (r->purl, ==, "pkg:npm/%40actions/core@1.6.0");
	g_assert_cmpstr (r->license, ==, "MIT");
	r = find (scan, "cowsay", "/usr/local/lib/node_modules");
	g_assert_nonnull (r);
	g_assert_cmpstr (r->raw_version, ==, "1.4.0");
	g_assert_cmpstr (r->raw_publisher, ==, "Fabio Crisci");
	g_assert_nonnull (find (scan, "npm", "/usr/lib/node_modules"));
	g_assert_nonnull (find (scan, "npm", "/opt/homebrew/lib/node_modules"));
	g_assert_null (find (scan, "function-bind", NULL));
	/* the corrupt manifest is a warning naming the file, the rest is complete */
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	g_assert_true (g_str_has_prefix (tu_warnings_text (scan->warnings, 0),
					 "build01:/usr/lib/node_modules/broken/package.json:3:"));
}

/* This machine's global prefix against `npm ls -g --json`. */
static void
test_against_npm_ls (void)
{
	g_autofree char *npm = g_find_program_in_path ("npm");
	if (npm == NULL) {
		g_test_skip ("npm is not installed");
		return;
	}
	const char *root_argv[] = {npm, "root", "-g", NULL};
	g_autofree char *root_out = NULL;
	g_autoptr(GError) error = NULL;
	int status = 0;
	g_assert_true (g_spawn_sync (NULL, (char **) root_argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
				     NULL, &root_out, NULL, &status, &error));
	g_strstrip (root_out);
	if (!g_spawn_check_wait_status (status, NULL) || !g_str_has_prefix (root_out, "/")) {
		g_test_skip ("npm root -g failed");
		return;
	}
	const char *ls_argv[] = {npm, "ls", "-g", "--json", "--depth=0", NULL};
	g_autofree char *ls_out = NULL;
	g_assert_true (g_spawn_sync (NULL, (char **) ls_argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
				     &ls_out, NULL, &status, &error));
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_assert_true (json_parser_load_from_data (parser, ls_out, -1, &error));
	JsonObject *deps = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
							  "dependencies");

	g_autoptr(TuFs) fs = tu_fs_new_root ("/", NULL);
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("local");
	TuScanOptions opts = {0};
	tu_source_npm (fs, scan, &opts);
	g_assert_no_error (scan->error);
	guint ours = 0;
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (g_strcmp0 (r->location, root_out) != 0)
			continue;
		ours++;
		g_assert_true (deps != NULL && json_object_has_member (deps, r->raw_name));
		JsonObject *d = json_object_get_object_member (deps, r->raw_name);
		g_assert_cmpstr (json_object_get_string_member (d, "version"), ==, r->raw_version);
	}
	g_assert_cmpuint (ours, ==, deps ? json_object_get_size (deps) : 0);
	g_test_message ("%u global packages in %s agree with npm ls -g", ours, root_out);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/npm/syft-package-json-variants", test_syft_variants);
	g_test_add_func ("/trueup/scan/npm/corrupt-is-an-error-with-file-and-line", test_corrupt);
	g_test_add_func ("/trueup/scan/npm/finder-global-prefixes-only", test_finder);
	g_test_add_func ("/trueup/scan/npm/agrees-with-npm-ls", test_against_npm_ls);
	return g_test_run ();
}
