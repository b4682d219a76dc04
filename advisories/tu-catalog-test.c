/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests of the release catalogue on endoflife.date's real pages and release data: the
 * fixtures of tests/fixtures/catalog (copies of eight pages and seven release files) for the
 * parsers, the whole shared endoflife folder for the import (skipped when it is not on this
 * machine), and one embedded store for every database test of this process. Expected values
 * were read off the pages and release files by hand.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog.h"
#include "tu-common.h"
#include "tu-migrate.h"
#include "tu-test-store.h"
#include "tu-test-util.h"

/* ---------------------------------------------------------------- helpers -------------- */

static char *
fixture (const char *rel)
{
	g_autofree char *r = g_build_filename ("tests", "fixtures", "catalog", rel, NULL);
	return tu_test_source_path (r);
}

/* A page of the fixtures, with its release data when @with_json. (transfer full) */
static TuCatalogProduct *
parse_fixture (const char *name, gboolean with_json)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *md_rel = g_strdup_printf ("endoflife/products/%s.md", name);
	g_autofree char *md = fixture (md_rel);
	g_autoptr(GBytes) bytes = tu_test_read (md);
	TuCatalogProduct *p = tu_catalog_product_new (name);
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	g_assert_true (tu_catalog_parse_markdown (data, len, md, name, p, &error));
	g_assert_no_error (error);
	if (with_json) {
		g_autofree char *js_rel = g_strdup_printf ("endoflife/releases/%s.json", name);
		g_autofree char *js = fixture (js_rel);
		g_autoptr(GBytes) jb = tu_test_read (js);
		data = g_bytes_get_data (jb, &len);
		g_assert_true (tu_catalog_parse_release_json (data, len, js, p, &error));
		g_assert_no_error (error);
	}
	return p;
}

static GPtrArray *
products_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) tu_catalog_product_free);
}

static const TuCatalogCycle *
cycle (const TuCatalogProduct *p, const char *name)
{
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		if (strcmp (c->cycle, name) == 0)
			return c;
	}
	g_error ("%s has no cycle %s", p->id, name);
	return NULL;
}

static gboolean
has_ident (const TuCatalogProduct *p, const char *ident)
{
	for (guint i = 0; i < p->identifiers->len; i++) {
		if (strcmp (g_ptr_array_index (p->identifiers, i), ident) == 0)
			return TRUE;
	}
	return FALSE;
}

static guint32
day (const char *iso)
{
	guint32 j = 0;
	g_assert_true (tu_date_parse (iso, &j, "test", NULL));
	return j;
}

static const char *
cycle_name_for (const TuCatalogProduct *p, const char *version)
{
	const TuCatalogCycle *c = tu_catalog_cycle_for (p, version);
	return c ? c->cycle : NULL;
}

static gboolean
parse_md_text (const char *text, TuCatalogProduct *p, GError **error)
{
	return tu_catalog_parse_markdown (text, strlen (text), "products/x.md", "x", p, error);
}

static gboolean
parse_json_text (const char *text, TuCatalogProduct *p, GError **error)
{
	return tu_catalog_parse_release_json (text, strlen (text), "releases/x.json", p, error);
}

/* ---------------------------------------------------------------- pages ---------------- */

static void
test_openssl_page (void)
{
	g_autoptr(TuCatalogProduct) p = parse_fixture ("openssl", FALSE);
	g_assert_cmpstr (p->id, ==, "openssl");
	g_assert_cmpstr (p->title, ==, "OpenSSL");
	g_assert_cmpstr (p->category, ==, "framework");
	g_assert_cmpuint (p->identifiers->len, ==, 3);
	g_assert_true (has_ident (p, "repology:openssl"));
	g_assert_true (has_ident (p, "cpe:cpe:/a:openssl:openssl"));
	g_assert_true (has_ident (p, "cpe:cpe:2.3:a:openssl:openssl"));
	g_assert_cmpuint (p->cycles->len, ==, 14);
	g_assert_cmpuint (p->versions->len, ==, 0);
	/* newest first */
	g_assert_cmpstr (((TuCatalogCycle *) g_ptr_array_index (p->cycles, 0))->cycle, ==, "4.0");
	g_assert_cmpstr (((TuCatalogCycle *) g_ptr_array_index (p->cycles, 13))->cycle, ==, "0.9.8");
	const TuCatalogCycle *c = cycle (p, "1.1.1");
	g_assert_cmpstr (c->release_date, ==, "2018-09-11");
	g_assert_cmpstr (c->eol, ==, "2023-09-11");
	g_assert_cmpint (c->eol_flag, ==, -1);
	g_assert_cmpstr (c->latest, ==, "1.1.1w");
	g_assert_cmpstr (c->latest_date, ==, "2023-09-12");
	g_assert_null (c->extended_end); /* eoes: false */
	g_assert_true (c->lts);
	c = cycle (p, "3.5");
	g_assert_cmpstr (c->eol, ==, "2030-04-08"); /* "# documented on ..." comment dropped */
	g_assert_true (c->lts);
	g_assert_false (cycle (p, "3.4")->lts);
	g_assert_cmpstr (cycle (p, "0.9.8")->latest, ==, "0.9.8zh");
}

static void
test_scalars_stay_text (void)
{
	/* nginx: "1.30" is a cycle of its own, "1.20" is not "1.2"; eol: false */
	g_autoptr(TuCatalogProduct) nginx = parse_fixture ("nginx", FALSE);
	g_assert_cmpuint (nginx->cycles->len, ==, 23);
	g_assert_cmpstr (cycle (nginx, "1.30")->latest, ==, "1.30.4");
	g_assert_cmpint (cycle (nginx, "1.30")->eol_flag, ==, 0);
	g_assert_null (cycle (nginx, "1.30")->eol);
	g_assert_cmpstr (cycle (nginx, "1.20")->eol, ==, "2022-05-24");
	g_assert_cmpstr (cycle (nginx, "1.2")->eol, ==, "2013-04-24");

	/* windows: unquoted latest 10.0.26100 stays a string, cycles are names, not numbers */
	g_autoptr(TuCatalogProduct) win = parse_fixture ("windows", FALSE);
	g_assert_cmpstr (cycle (win, "11-26h1-e")->latest, ==, "10.0.28000");

	/* Node.js: lts given as the date the cycle becomes LTS; eol: true */
	g_autoptr(TuCatalogProduct) node = parse_fixture ("nodejs", FALSE);
	g_assert_true (cycle (node, "26")->lts);
	g_assert_false (cycle (node, "25")->lts);
	g_assert_cmpint (cycle (node, "3")->eol_flag, ==, 1);
	g_assert_cmpint (cycle (node, "3")->support_flag, ==, 1);
	g_assert_cmpstr (cycle (node, "18")->support_end, ==, "2023-10-18");

	/* the same in a page written here: plain 1.30 and 1.10, comments, booleans */
	static const char page[] = "---\n"
				   "title: Example\n"
				   "releases:\n"
				   "  - releaseCycle: 1.30\n"
				   "    releaseDate: 2024-01-02 # a comment\n"
				   "    eol: false # not announced\n"
				   "    eoas: 2025-01-01\n"
				   "    latest: 1.30.0\n"
				   "  - releaseCycle: '1.10'\n"
				   "    releaseDate: 2020-01-02\n"
				   "    eol: true\n"
				   "    lts: false\n"
				   "---\n"
				   "Body with --- dashes\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new ("x");
	g_assert_true (parse_md_text (page, p, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (p->cycles->len, ==, 2);
	g_assert_cmpstr (cycle (p, "1.30")->latest, ==, "1.30.0");
	g_assert_cmpstr (cycle (p, "1.30")->release_date, ==, "2024-01-02");
	g_assert_cmpint (cycle (p, "1.30")->eol_flag, ==, 0);
	g_assert_cmpstr (cycle (p, "1.30")->support_end, ==, "2025-01-01");
	g_assert_cmpint (cycle (p, "1.10")->eol_flag, ==, 1);
	g_assert_null (p->category);
	g_assert_cmpuint (p->identifiers->len, ==, 0);
}

static void
expect_page_error (const char *text, const char *fragment)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new ("x");
	g_assert_false (parse_md_text (text, p, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	if (strstr (error->message, fragment) == NULL)
		g_error ("expected \"%s\" in \"%s\"", fragment, error->message);
	g_assert_true (g_str_has_prefix (error->message, "products/x.md"));
}

static void
test_page_errors (void)
{
	expect_page_error ("# Just markdown\n\nNo front matter.\n", "no YAML front matter");
	expect_page_error ("", "no YAML front matter");
	expect_page_error ("---\ntitle: X\nreleases: []\n", "no end");
	expect_page_error ("---\ncategory: os\nreleases: []\n---\n", "no title");
	expect_page_error ("---\ntitle: X\n---\n", "no releases");
	expect_page_error ("---\n- a\n- b\n---\n", "not a mapping");
	expect_page_error ("---\ntitle: [a\n---\n", "products/x.md:3: YAML: did not find expected");
	expect_page_error ("---\ntitle: X\nreleases:\n  - releaseCycle: \"1\"\n  - releaseCycle: "
			   "\"1\"\n---\n",
			   "products/x.md:5: release cycle \"1\" appears twice");
	expect_page_error ("---\ntitle: X\nreleases:\n  - eol: true\n---\n", "without releaseCycle");
	expect_page_error ("---\ntitle: X\nreleases:\n  - releaseCycle: \"1\"\n"
			   "    latest: [1, 2]\n---\n",
			   "latest: expected a single value");
	expect_page_error ("---\nt: &a X\ntitle: *a\nreleases: []\n---\n",
			   "aliases are not supported");
	expect_page_error ("---\ntitle: X\nreleases: nope\n---\n", "releases: expected a list");
	expect_page_error ("---\ntitle: X\nidentifiers: purl\nreleases: []\n---\n",
			   "identifiers: expected a list");
	/* a date that cannot be read: the cycle stays, without its support dates (verdict
	 * unknown), and a warning names the file, line and cycle */
	{
		g_autoptr(GError) err = NULL;
		g_autoptr(TuCatalogProduct) bad = tu_catalog_product_new ("x");
		g_assert_true (parse_md_text ("---\ntitle: X\nreleases:\n  - releaseCycle: \"1\"\n"
					      "    eoas: 2024-01-01\n    eol: soonish\n  - "
					      "releaseCycle: \"2\"\n    releaseDate: 2024-02-30\n"
					      "    eol: 2030-01-01\n---\n",
					      bad, &err));
		g_assert_no_error (err);
		g_assert_cmpuint (bad->cycles->len, ==, 2);
		g_assert_cmpuint (bad->warnings->len, ==, 2);
		const char *w0 = g_ptr_array_index (bad->warnings, 0);
		const char *w1 = g_ptr_array_index (bad->warnings, 1);
		g_assert_nonnull (strstr (w0, "products/x.md:6: cycle 1: eol: \"soonish\" is not a "
					      "date (YYYY-MM-DD), true or false (the cycle's support "
					      "dates are ignored: its verdict is unknown)"));
		g_assert_nonnull (strstr (w1, "products/x.md:8: cycle 2: releaseDate: \"2024-02-30\" "
					      "is not a date (YYYY-MM-DD) (the date is ignored)"));
		const TuCatalogCycle *one = cycle (bad, "1");
		g_assert_null (one->eol);
		g_assert_null (one->support_end);
		g_assert_cmpint (tu_catalog_support (one, 2461000, NULL), ==, TU_SUPPORT_UNKNOWN);
		g_assert_cmpstr (cycle (bad, "2")->eol, ==, "2030-01-01");
	}
	/* an alias or a deep structure where nothing is read is harmless */
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new ("x");
	g_assert_true (parse_md_text ("---\ntitle: X\nauto: &m {a: [[[[1]]]]}\nother: *m\nreleases: "
				      "[]\n---\n",
				      p, &error));
	g_assert_no_error (error);
	/* nesting is bounded */
	GString *deep = g_string_new ("---\ntitle: X\nreleases: []\nauto: ");
	for (guint i = 0; i < 200; i++)
		g_string_append_c (deep, '[');
	g_string_append (deep, "\n---\n");
	expect_page_error (deep->str, "nested deeper");
	g_string_free (deep, TRUE);
}

/* ---------------------------------------------------------------- release data --------- */

static void
test_release_json_merge (void)
{
	static const char page[] = "---\n"
				   "title: Example\n"
				   "releases:\n"
				   "  - releaseCycle: \"4.10\"\n"
				   "    releaseDate: 2024-05-01\n"
				   "    eol: false\n"
				   "  - releaseCycle: \"4.1\"\n"
				   "    releaseDate: 2023-05-01\n"
				   "    eol: 2025-01-01\n"
				   "  - releaseCycle: \"2511\"\n"
				   "    releaseDate: 2025-11-20\n"
				   "    eol: false\n"
				   "    latest: \"2511 Update 3\"\n"
				   "---\n";
	static const char json[] =
		"{\"releases\": {\"4.1\": {\"name\": \"4.1\", \"eol\": \"2025-06-30\"},"
		"  \"5.0\": {\"name\": \"5.0\", \"releaseDate\": \"2025-02-01\", \"eol\": false,"
		"            \"eoas\": true, \"codename\": \"Five\"}},"
		" \"versions\": {\"4.10.1\": {\"name\": \"4.10.1\", \"date\": \"2024-06-01\"},"
		"  \"4.10.0\": {\"name\": \"4.10.0\", \"date\": \"2024-05-01\"},"
		"  \"4.1.9\": {\"name\": \"4.1.9\", \"date\": \"2023-12-01\"},"
		"  \"4.1.10\": {\"name\": \"4.1.10\", \"date\": \"2024-02-01\"},"
		"  \"4.1.2\": {\"name\": \"4.1.2\", \"date\": \"2023-06-01\"},"
		"  \"5.0\": {\"name\": \"5.0\", \"date\": \"2025-02-01\"},"
		"  \"2511 Update 4\": {\"name\": \"2511 Update 4\", \"date\": null},"
		"  \"2511\": {\"name\": \"2511\", \"date\": \"2025-11-20\"}}}";
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new ("x");
	g_assert_true (parse_md_text (page, p, &error));
	g_assert_true (parse_json_text (json, p, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (p->cycles->len, ==, 4);
	g_assert_cmpuint (p->versions->len, ==, 8);
	/* the override changes eol only */
	const TuCatalogCycle *c = cycle (p, "4.1");
	g_assert_cmpstr (c->eol, ==, "2025-06-30");
	g_assert_cmpstr (c->release_date, ==, "2023-05-01");
	/* 4.1.10 is the highest of 4.1; 4.10.1 is not in 4.1 */
	g_assert_cmpstr (c->latest, ==, "4.1.10");
	g_assert_cmpstr (c->latest_date, ==, "2024-02-01");
	g_assert_cmpstr (cycle (p, "4.10")->latest, ==, "4.10.1");
	/* the page's hand-edited latest stays */
	g_assert_cmpstr (cycle (p, "2511")->latest, ==, "2511 Update 3");
	/* a new cycle from the release data, its version equal to its name */
	c = cycle (p, "5.0");
	g_assert_cmpstr (c->codename, ==, "Five");
	g_assert_cmpint (c->eol_flag, ==, 0);
	g_assert_cmpint (c->support_flag, ==, 1);
	g_assert_cmpstr (c->latest, ==, "5.0");
	g_assert_cmpstr (((TuCatalogCycle *) g_ptr_array_index (p->cycles, 0))->cycle, ==, "2511");
	g_assert_cmpstr (tu_catalog_newest_cycle (p)->cycle, ==, "2511");

	/* empty maps are fine; versions are added, not duplicated */
	g_assert_true (parse_json_text ("{\"releases\": {}, \"versions\": {}}", p, &error));
	g_assert_true (parse_json_text ("{\"versions\": {\"4.1.10\": {\"date\": \"2024-02-02\"}}}", p,
					&error));
	g_assert_no_error (error);
	g_assert_cmpuint (p->versions->len, ==, 8);

	/* real data: citrix-vad keeps the vendor syntax of the page */
	g_autoptr(TuCatalogProduct) citrix = parse_fixture ("citrix-vad", TRUE);
	g_assert_cmpstr (cycle (citrix, "2511")->latest, ==, "2511 Update 3");
	g_assert_cmpuint (citrix->versions->len, ==, 13);
	/* Python: 274 versions, its cycles untouched by the 17 release entries */
	g_autoptr(TuCatalogProduct) python = parse_fixture ("python", TRUE);
	g_assert_cmpuint (python->versions->len, ==, 274);
	g_assert_cmpuint (python->cycles->len, ==, 17);
	g_assert_cmpstr (cycle (python, "3.8")->eol, ==, "2024-10-07");
	g_assert_cmpstr (cycle (python, "3.8")->latest, ==, "3.8.20");
}

static void
expect_json_error (const char *text, gssize len, const char *fragment)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new ("x");
	g_assert_true (parse_md_text ("---\ntitle: X\nreleases:\n  - releaseCycle: \"1\"\n---\n", p,
				      &error));
	g_assert_false (tu_catalog_parse_release_json (text, len < 0 ? strlen (text) : (gsize) len,
						       "releases/x.json", p, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	if (strstr (error->message, fragment) == NULL)
		g_error ("expected \"%s\" in \"%s\"", fragment, error->message);
	g_assert_true (g_str_has_prefix (error->message, "releases/x.json: "));
	/* nothing applied */
	g_assert_cmpuint (p->cycles->len, ==, 1);
	g_assert_cmpuint (p->versions->len, ==, 0);
	g_assert_null (cycle (p, "1")->eol);
}

static void
test_release_json_errors (void)
{
	expect_json_error ("", -1, "expected endoflife.date release data");
	expect_json_error ("{\"releases\": ", -1, "not JSON");
	expect_json_error ("[1, 2]", -1, "expected endoflife.date release data");
	expect_json_error ("{\"vulnerabilities\": []}", -1, "expected endoflife.date release data");
	expect_json_error ("{\"releases\": []}", -1, "expected endoflife.date release data");
	expect_json_error ("{\"versions\": {\"a\xff\": {}}}", -1, "not valid UTF-8");
	GString *deep = g_string_new ("{\"releases\": ");
	for (guint i = 0; i < 5000; i++)
		g_string_append_c (deep, '[');
	expect_json_error (deep->str, -1, "nested deeper");
	g_string_free (deep, TRUE);

	/* files of other kinds from the shared data: KEV, an OSV record, the page schema */
	const char *others[] = {"kev/known_exploited_vulnerabilities.json",
				"endoflife/product-schema.json"};
	for (guint i = 0; i < G_N_ELEMENTS (others); i++) {
		g_autofree char *path = tu_test_shared_path (others[i]);
		if (path == NULL)
			continue;
		g_autoptr(GBytes) b = tu_test_read (path);
		gsize len = 0;
		const char *data = g_bytes_get_data (b, &len);
		g_autoptr(GError) error = NULL;
		g_autoptr(TuCatalogProduct) p = tu_catalog_product_new ("x");
		g_assert_false (tu_catalog_parse_release_json (data, len, path, p, &error));
		g_assert_nonnull (strstr (error->message, "expected endoflife.date release data"));
	}
}

/* A bad record in release data costs that record, not the file: a warning naming the file,
 * the cycle (or version) and the field; a cycle whose support date cannot be read keeps no
 * support dates (its verdict is unknown), the others are applied as usual. */
static void
test_release_json_bad_records (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new ("x");
	g_assert_true (parse_md_text ("---\ntitle: X\nreleases:\n  - releaseCycle: \"1\"\n"
				      "    eol: 2020-01-01\n  - releaseCycle: \"2\"\n---\n",
				      p, &error));
	const char *json =
		"{\"releases\": {\"1\": {\"eol\": \"later\", \"releaseDate\": \"2019-01-01\"}, "
		"\"2\": {\"eol\": \"2030-01-01\", \"releaseDate\": \"2024-02-30\"}, "
		"\"3\": {\"eol\": 2025}, \"4\": [1], \"5\": {\"eol\": \"2031-05-01\"}}, "
		"\"versions\": {\"1.0\": 3, \"2.1\": {\"date\": \"2024-13-01\"}, "
		"\"2.2\": {\"date\": \"2024-03-01\"}, \"\": {}}}";
	g_assert_true (tu_catalog_parse_release_json (json, strlen (json), "releases/x.json", p,
						      &error));
	g_assert_no_error (error);
	static const char *const says[] = {
		"releases/x.json: releases: 1: eol: \"later\" is not a date (YYYY-MM-DD), true "
		"or false (the cycle's support dates are ignored: its verdict is unknown)",
		"releases/x.json: releases: 2: releaseDate: \"2024-02-30\" is not a date "
		"(YYYY-MM-DD) (the value is ignored)",
		"releases/x.json: releases: 3: eol: expected a string, true or false (the cycle's "
		"support dates are ignored: its verdict is unknown)",
		"releases/x.json: releases: 4: expected an object (the entry is skipped)",
		"releases/x.json: versions: 1.0: expected an object (skipped)",
		"releases/x.json: versions: 2.1: date: \"2024-13-01\" is not a date (YYYY-MM-DD) "
		"(the date is ignored)",
		"releases/x.json: versions: the version \"\" is empty or longer than",
	};
	for (guint i = 0; i < G_N_ELEMENTS (says); i++) {
		gboolean found = FALSE;
		for (guint k = 0; k < p->warnings->len && !found; k++)
			found = strstr (g_ptr_array_index (p->warnings, k), says[i]) != NULL;
		if (!found) {
			for (guint k = 0; k < p->warnings->len; k++)
				g_printerr ("warning: %s\n",
					    (const char *) g_ptr_array_index (p->warnings, k));
			g_error ("no warning says %s", says[i]);
		}
	}
	g_assert_cmpuint (p->warnings->len, ==, G_N_ELEMENTS (says));
	/* cycle 1 lost its page's end of life too: unknown, not supported or eol */
	const TuCatalogCycle *one = cycle (p, "1");
	g_assert_null (one->eol);
	g_assert_cmpint (tu_catalog_support (one, 2461000, NULL), ==, TU_SUPPORT_UNKNOWN);
	g_assert_cmpstr (one->release_date, ==, "2019-01-01");
	/* the good parts of the others are applied */
	g_assert_cmpstr (cycle (p, "2")->eol, ==, "2030-01-01");
	g_assert_null (cycle (p, "2")->release_date);
	g_assert_cmpint (tu_catalog_support (cycle (p, "3"), 2461000, NULL), ==,
			 TU_SUPPORT_UNKNOWN);
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		g_assert_cmpstr (c->cycle, !=, "4");
	}
	g_assert_cmpstr (cycle (p, "5")->eol, ==, "2031-05-01");
	guint n_dated = 0;
	for (guint i = 0; i < p->versions->len; i++) {
		const TuCatalogVersion *v = g_ptr_array_index (p->versions, i);
		n_dated += v->date != NULL;
	}
	g_assert_cmpuint (p->versions->len, ==, 2); /* 2.1 without its date, 2.2 */
	g_assert_cmpuint (n_dated, ==, 1);
}

/* ---------------------------------------------------------------- cycles and support --- */

static void
test_cycle_for (void)
{
	g_autoptr(TuCatalogProduct) openssl = parse_fixture ("openssl", TRUE);
	g_autoptr(TuCatalogProduct) python = parse_fixture ("python", TRUE);
	g_autoptr(TuCatalogProduct) pg = parse_fixture ("postgresql", TRUE);
	g_autoptr(TuCatalogProduct) node = parse_fixture ("nodejs", TRUE);
	g_autoptr(TuCatalogProduct) nginx = parse_fixture ("nginx", TRUE);
	g_autoptr(TuCatalogProduct) django = parse_fixture ("django", TRUE);
	g_assert_cmpstr (cycle_name_for (openssl, "3.0.11"), ==, "3.0");
	g_assert_cmpstr (cycle_name_for (openssl, "1.1.1w"), ==, "1.1.1");
	g_assert_cmpstr (cycle_name_for (openssl, "1.1.0l"), ==, "1.1.0");
	g_assert_cmpstr (cycle_name_for (openssl, "3.0"), ==, "3.0");
	g_assert_null (cycle_name_for (openssl, "3.7.0"));
	g_assert_null (cycle_name_for (openssl, ""));
	g_assert_cmpstr (cycle_name_for (python, "3.11.2"), ==, "3.11");
	g_assert_cmpstr (cycle_name_for (python, "3.10.1"), ==, "3.10");
	g_assert_cmpstr (cycle_name_for (python, "3.1.5"), ==, "3.1");
	g_assert_cmpstr (cycle_name_for (python, "2.7.18"), ==, "2.7");
	g_assert_cmpstr (cycle_name_for (pg, "16.4"), ==, "16");
	g_assert_cmpstr (cycle_name_for (pg, "9.6.24"), ==, "9.6");
	g_assert_null (cycle_name_for (pg, "161.0"));
	g_assert_cmpstr (cycle_name_for (node, "18.19.1"), ==, "18");
	g_assert_cmpstr (cycle_name_for (node, "v18.19.1"), ==, "18");
	g_assert_cmpstr (cycle_name_for (node, "1.8.4"), ==, "1");
	g_assert_cmpstr (cycle_name_for (nginx, "1.22.1"), ==, "1.22");
	g_assert_cmpstr (cycle_name_for (nginx, "1.2.9"), ==, "1.2");
	/* Django has 4.1 and no 4.10: 4.10.1 is in no cycle */
	g_assert_null (cycle_name_for (django, "4.10.1"));
	g_assert_cmpstr (cycle_name_for (django, "4.1.13"), ==, "4.1");

	g_assert_cmpstr (tu_catalog_newest_cycle (openssl)->cycle, ==, "4.0");
	g_assert_cmpstr (tu_catalog_newest_cycle (python)->cycle, ==, "3.14");
	g_assert_cmpstr (tu_catalog_newest_cycle (pg)->cycle, ==, "18");
	g_assert_cmpstr (tu_catalog_newest_cycle (node)->cycle, ==, "26");
	g_assert_cmpstr (tu_catalog_newest_cycle (nginx)->cycle, ==, "1.31");
}

static void
assert_support (const TuCatalogProduct *p, const char *cyc, const char *at, TuSupport want,
		const char *want_eol)
{
	const char *eol = "unset";
	TuSupport got = tu_catalog_support (cycle (p, cyc), day (at), &eol);
	if (got != want)
		g_error ("%s %s at %s: %s, expected %s", p->id, cyc, at, tu_support_to_string (got),
			 tu_support_to_string (want));
	g_assert_cmpstr (eol, ==, want_eol);
}

static void
test_support (void)
{
	g_autoptr(TuCatalogProduct) openssl = parse_fixture ("openssl", TRUE);
	g_autoptr(TuCatalogProduct) python = parse_fixture ("python", TRUE);
	g_autoptr(TuCatalogProduct) node = parse_fixture ("nodejs", TRUE);
	g_autoptr(TuCatalogProduct) nginx = parse_fixture ("nginx", TRUE);
	assert_support (openssl, "1.1.1", "2024-06-01", TU_SUPPORT_EOL, "2023-09-11");
	assert_support (openssl, "1.1.1", "2023-09-10", TU_SUPPORT_SUPPORTED, "2023-09-11");
	assert_support (openssl, "1.1.1", "2023-09-11", TU_SUPPORT_EOL, "2023-09-11");
	assert_support (openssl, "3.0", "2024-06-01", TU_SUPPORT_SUPPORTED, "2026-09-07");
	assert_support (openssl, "3.0", "2026-09-07", TU_SUPPORT_EOL, "2026-09-07");
	/* Python: bug fixes end at eoas, security fixes at eol */
	assert_support (python, "3.8", "2024-06-01", TU_SUPPORT_SECURITY_ONLY, "2024-10-07");
	assert_support (python, "3.8", "2024-10-07", TU_SUPPORT_EOL, "2024-10-07");
	assert_support (python, "3.8", "2025-01-01", TU_SUPPORT_EOL, "2024-10-07");
	assert_support (python, "3.12", "2025-01-01", TU_SUPPORT_SUPPORTED, "2028-10-31");
	assert_support (python, "3.12", "2025-04-02", TU_SUPPORT_SECURITY_ONLY, "2028-10-31");
	/* eoas: true before the eol date */
	assert_support (python, "3.5", "2019-01-01", TU_SUPPORT_SECURITY_ONLY, "2020-09-30");
	/* eol: true, no date */
	assert_support (node, "3", "2015-09-01", TU_SUPPORT_EOL, NULL);
	assert_support (node, "18", "2024-01-01", TU_SUPPORT_SECURITY_ONLY, "2025-04-30");
	/* eol: false: supported, no date */
	assert_support (nginx, "1.30", "2026-08-22", TU_SUPPORT_SUPPORTED, NULL);
	assert_support (nginx, "1.22", "2026-08-22", TU_SUPPORT_EOL, "2023-04-11");
	/* nothing known */
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new ("x");
	g_autoptr(GError) error = NULL;
	g_assert_true (parse_md_text ("---\ntitle: X\nreleases:\n  - releaseCycle: \"1\"\n    "
				      "releaseDate: 2020-01-01\n---\n",
				      p, &error));
	assert_support (p, "1", "2026-01-01", TU_SUPPORT_UNKNOWN, NULL);
	g_assert_cmpint (tu_catalog_support (NULL, day ("2026-01-01"), NULL), ==, TU_SUPPORT_UNKNOWN);
	g_assert_cmpstr (tu_support_to_string (TU_SUPPORT_SECURITY_ONLY), ==, "security-only");
	g_assert_cmpstr (tu_support_to_string (TU_SUPPORT_UNKNOWN), ==, "");
}

static void
assert_behind (const TuCatalogProduct *p, const char *version, gint want_releases,
	       gint want_days)
{
	gint rb = -2, days = -2;
	const TuCatalogCycle *c = tu_catalog_cycle_for (p, version);
	g_assert_nonnull (c);
	tu_catalog_behind (p, c, version, &rb, &days);
	if (rb != want_releases || days != want_days)
		g_error ("%s %s: %d releases, %d days behind; expected %d, %d", p->id, version, rb,
			 days, want_releases, want_days);
}

static void
test_behind (void)
{
	g_autoptr(TuCatalogProduct) openssl = parse_fixture ("openssl", TRUE);
	g_autoptr(TuCatalogProduct) python = parse_fixture ("python", TRUE);
	g_autoptr(TuCatalogProduct) pg = parse_fixture ("postgresql", TRUE);
	g_autoptr(TuCatalogProduct) node = parse_fixture ("nodejs", TRUE);
	g_autoptr(TuCatalogProduct) nginx = parse_fixture ("nginx", TRUE);
	/* 3.0.12 ... 3.0.21; 2023-09-19 to 2026-06-09 */
	assert_behind (openssl, "3.0.11", 10, 994);
	/* 1.1.1u, v, w; 2023-02-07 to 2023-09-12 */
	assert_behind (openssl, "1.1.1t", 3, 217);
	assert_behind (openssl, "1.1.1w", 0, 0);
	assert_behind (python, "3.11.2", 14, 1283);
	assert_behind (pg, "16.4", 11, 735);
	assert_behind (node, "18.19.1", 9, 407);
	assert_behind (nginx, "1.22.0", 1, 148);
	assert_behind (nginx, "1.22.1", 0, 0);
	/* a version the catalogue does not list: counted, days unknown */
	assert_behind (openssl, "3.0.11a", 10, -1);
	/* newer than anything known */
	assert_behind (openssl, "3.0.99", 0, 0);
	gint rb = 0, days = 0;
	tu_catalog_behind (openssl, NULL, "3.0.1", &rb, &days);
	g_assert_cmpint (rb, ==, -1);
	g_assert_cmpint (days, ==, -1);
	/* no versions known for the cycle: unknown unless at the latest */
	g_autoptr(TuCatalogProduct) page_only = parse_fixture ("openssl", FALSE);
	const TuCatalogCycle *c = tu_catalog_cycle_for (page_only, "3.0.11");
	tu_catalog_behind (page_only, c, "3.0.11", &rb, &days);
	g_assert_cmpint (rb, ==, -1);
	g_assert_cmpint (days, ==, -1);
	tu_catalog_behind (page_only, c, "3.0.21", &rb, &days);
	g_assert_cmpint (rb, ==, 0);
	g_assert_cmpint (days, ==, 0);
}

/* ---------------------------------------------------------------- in-house CSV --------- */

static void
expect_csv_error (TuNormaliser *norm, const char *text, const char *fragment)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) out = products_new ();
	g_assert_false (tu_catalog_parse_csv (text, strlen (text), "inhouse.csv", norm, out, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	if (strstr (error->message, fragment) == NULL)
		g_error ("expected \"%s\" in \"%s\"", fragment, error->message);
	g_assert_cmpuint (out->len, ==, 0);
}

static void
test_csv_parse (void)
{
	g_autoptr(TuNormaliser) norm = tu_normaliser_new_fallback ();
	g_autofree char *path = fixture ("inhouse.csv");
	g_autoptr(GBytes) b = tu_test_read (path);
	gsize len = 0;
	const char *data = g_bytes_get_data (b, &len);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) out = products_new ();
	g_assert_true (tu_catalog_parse_csv (data, len, path, norm, out, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (out->len, ==, 2);
	const TuCatalogProduct *p = g_ptr_array_index (out, 0);
	g_assert_cmpstr (p->id, ==, "csv:Acme/Ledger Pro");
	g_assert_cmpstr (p->publisher, ==, "Acme");
	g_assert_cmpstr (p->product, ==, "Ledger Pro");
	g_assert_cmpstr (p->title, ==, "Ledger Pro");
	g_assert_cmpuint (p->cycles->len, ==, 3);
	const TuCatalogCycle *c = cycle (p, "7.2");
	g_assert_cmpstr (c->release_date, ==, "2025-03-01");
	g_assert_cmpstr (c->latest, ==, "7.2.4");
	g_assert_cmpstr (c->latest_date, ==, "2026-02-10");
	g_assert_cmpint (c->eol_flag, ==, 0);
	g_assert_null (c->eol);
	g_assert_cmpstr (c->support_end, ==, "2027-03-01");
	g_assert_true (c->lts);
	g_assert_cmpint (cycle (p, "6.0")->eol_flag, ==, 1);
	g_assert_cmpstr (cycle (p, "7.0")->eol, ==, "2026-06-30");
	g_assert_cmpint (cycle (p, "7.0")->support_flag, ==, -1);
	assert_support (p, "7.0", "2026-07-01", TU_SUPPORT_EOL, "2026-06-30");
	assert_support (p, "7.2", "2026-07-01", TU_SUPPORT_SUPPORTED, NULL);
	assert_support (p, "7.2", "2027-03-01", TU_SUPPORT_SECURITY_ONLY, NULL);
	g_assert_cmpstr (tu_catalog_newest_cycle (p)->cycle, ==, "7.2");
	/* "Contoso Ltd" loses its legal suffix: the publisher goes through the alias pass */
	p = g_ptr_array_index (out, 1);
	g_assert_cmpstr (p->id, ==, "csv:Contoso/Field Agent");

	const char *header = "publisher,product,cycle,release_date,latest,latest_date,eol,"
			     "support_end,lts\n";
	g_autofree char *bad_eol = g_strconcat (header, "Acme,Ledger,1.0,2024-01-01,,,,,\n",
						"Acme,Ledger,2.0,2025-01-01,,,soon,,\n", NULL);
	expect_csv_error (norm, bad_eol,
			  "inhouse.csv:3: column eol: \"soon\" is not a date (YYYY-MM-DD), true or "
			  "false");
	g_autofree char *bad_date = g_strconcat (header, "Acme,Ledger,1.0,01/02/2024,,,,,\n", NULL);
	expect_csv_error (norm, bad_date, "inhouse.csv:2: column release_date: \"01/02/2024\"");
	g_autofree char *bad_lts = g_strconcat (header, "Acme,Ledger,1.0,,,,,,maybe\n", NULL);
	expect_csv_error (norm, bad_lts, "inhouse.csv:2: column lts:");
	g_autofree char *no_cycle = g_strconcat (header, "Acme,Ledger,,,,,,,\n", NULL);
	expect_csv_error (norm, no_cycle, "inhouse.csv:2: column cycle: must not be empty");
	g_autofree char *dup = g_strconcat (header, "Acme,Ledger,1.0,,,,,,\n",
					    "ACME Inc.,Ledger,1.0,,,,,,\n",
					    NULL);
	expect_csv_error (norm, dup, "inhouse.csv:3: column cycle: cycle 1.0 of Acme Ledger is "
				     "already on line 2");
	g_autofree char *orphan_date = g_strconcat (header, "Acme,Ledger,1.0,,,2024-01-01,,,\n",
						    NULL);
	expect_csv_error (norm, orphan_date, "column latest_date: a latest_date needs a latest");
	g_autofree char *bad_support = g_strconcat (header, "Acme,Ledger,1.0,,,,,2024-02-30,\n",
						    NULL);
	expect_csv_error (norm, bad_support, "inhouse.csv:2: column support_end:");
	expect_csv_error (norm, "cveID,vendorProject,product\nCVE-1,a,b\n",
			  "inhouse.csv:1: not an in-house catalogue");
	expect_csv_error (norm, "publisher,product,cycle,colour\nA,B,1,red\n",
			  "unknown column \"colour\"");
}

/* ---------------------------------------------------------------- the store ------------ */

static gint64
count (TuDb *db, const char *template_sql, const char *arg)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuSql) q = tu_sql_new (db, template_sql);
	if (arg != NULL)
		tu_sql_bind_str (q, arg);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), &error);
	g_assert_no_error (error);
	MYSQL_ROW row = mysql_fetch_row (res);
	g_assert_nonnull (row);
	return tu_row_int (row, 0, -1);
}

static void
import_ok (TuDb *db, TuNormaliser *norm, const char *path, TuCatalogImportStats *st)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuWarnings) messages = tu_warnings_new ();
	gboolean ok = tu_catalog_import (db, norm, path, st, messages, &error);
	g_assert_no_error (error);
	g_assert_true (ok);
	for (guint i = 0; i < messages->len; i++)
		g_printerr ("unexpected message: %s\n", tu_warnings_text (messages, i));
	g_assert_cmpuint (messages->len, ==, 0);
}

static const TuCatalogProduct *
find_product (TuCatalog *cat, const char *id)
{
	const TuCatalogProduct *p = tu_catalog_match (cat, NULL, id, NULL, NULL, NULL);
	g_assert_nonnull (p);
	g_assert_cmpstr (p->id, ==, id);
	return p;
}

/* Import the shared endoflife folder once per process and check what landed. Tests that
 * change a product put it back, so every test may rely on the whole catalogue. */
static gboolean endoflife_imported = FALSE;

static gboolean
need_endoflife (void)
{
	g_autofree char *dir = tu_test_shared_path ("endoflife");
	if (dir == NULL) {
		g_test_skip ("the shared endoflife data is not on this machine");
		return FALSE;
	}
	if (endoflife_imported)
		return TRUE;
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return FALSE;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new_fallback ();
	TuCatalogImportStats st;
	import_ok (db, norm, dir, &st);
	g_assert_cmpuint (st.n_products, ==, 81);
	g_assert_cmpuint (st.n_cycles, ==, 1775);
	g_assert_cmpuint (st.n_versions, ==, 24809);
	g_assert_cmpuint (st.n_identifiers, ==, 448);
	endoflife_imported = TRUE;
	return TRUE;
}

static void
test_import_endoflife (void)
{
	if (!need_endoflife ())
		return;
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_products WHERE id NOT LIKE 'csv:%'",
				NULL), ==, 81);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_cycles WHERE product_id NOT LIKE "
				    "'csv:%'", NULL), ==, 1775);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_versions", NULL), ==, 24809);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_identifiers", NULL), ==, 448);
	/* 67 products have release data; 7 of them (chrome, dotnetfx, oracle-database, pan-os,
	 * red-hat-build-of-openjdk, rhel, sles) list cycles but no versions */
	g_assert_cmpint (count (db, "SELECT COUNT(DISTINCT product_id) FROM catalog_versions", NULL),
			 ==, 60);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_versions WHERE product_id = ?",
			       "linux-kernel"), ==, 4854);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_cycles WHERE product_id = ? AND "
				    "cycle = '1.1.1' AND eol = '2023-09-11' AND latest = '1.1.1w' "
				    "AND lts = 1",
			       "openssl"), ==, 1);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_cycles WHERE product_id = ? AND "
				    "cycle = '1.30' AND eol IS NULL AND eol_flag = 0",
			       "nginx"), ==, 1);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_identifiers WHERE product_id = ? "
				    "AND kind = 'cpe' AND value = 'cpe:2.3:a:nodejs:node.js'",
			       "nodejs"), ==, 1);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_products WHERE id = ? AND title = "
				    "'Node.js' AND category = 'framework' AND source_file LIKE "
				    "'%/products/nodejs.md'",
			       "nodejs"), ==, 1);
}

static void
test_load_hand_checked (void)
{
	if (!need_endoflife ())
		return;
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalog) cat = tu_catalog_load (db, &error);
	g_assert_no_error (error);

	const TuCatalogProduct *openssl = find_product (cat, "openssl");
	g_assert_cmpstr (openssl->title, ==, "OpenSSL");
	g_assert_cmpuint (openssl->cycles->len, ==, 14);
	g_assert_cmpuint (openssl->versions->len, ==, 238);
	g_assert_cmpuint (openssl->identifiers->len, ==, 3);
	const TuCatalogCycle *first = g_ptr_array_index (openssl->cycles, 0);
	g_assert_cmpstr (first->cycle, ==, "4.0");
	g_assert_cmpstr (cycle_name_for (openssl, "3.0.11"), ==, "3.0");
	g_assert_cmpstr (cycle_name_for (openssl, "1.1.1w"), ==, "1.1.1");
	g_assert_cmpstr (cycle (openssl, "3.0")->latest, ==, "3.0.21");
	g_assert_cmpstr (cycle (openssl, "3.0")->latest_date, ==, "2026-06-09");
	g_assert_cmpint (cycle (openssl, "3.0")->eol_flag, ==, -1);
	assert_support (openssl, "1.1.1", "2024-06-01", TU_SUPPORT_EOL, "2023-09-11");
	assert_support (openssl, "3.0", "2024-06-01", TU_SUPPORT_SUPPORTED, "2026-09-07");
	assert_support (openssl, "3.0", "2026-10-01", TU_SUPPORT_EOL, "2026-09-07");
	assert_behind (openssl, "3.0.11", 10, 994);

	const TuCatalogProduct *python = find_product (cat, "python");
	g_assert_cmpuint (python->cycles->len, ==, 17);
	g_assert_cmpstr (cycle_name_for (python, "3.11.2"), ==, "3.11");
	g_assert_cmpstr (cycle (python, "3.8")->eol, ==, "2024-10-07");
	assert_support (python, "3.8", "2025-01-01", TU_SUPPORT_EOL, "2024-10-07");
	assert_support (python, "3.8", "2024-01-01", TU_SUPPORT_SECURITY_ONLY, "2024-10-07");
	assert_support (python, "3.5", "2019-01-01", TU_SUPPORT_SECURITY_ONLY, "2020-09-30");
	assert_behind (python, "3.11.2", 14, 1283);

	const TuCatalogProduct *pg = find_product (cat, "postgresql");
	g_assert_cmpuint (pg->cycles->len, ==, 29);
	g_assert_cmpstr (cycle_name_for (pg, "16.4"), ==, "16");
	g_assert_cmpstr (cycle (pg, "16")->latest, ==, "16.15");
	g_assert_cmpstr (cycle (pg, "16")->eol, ==, "2028-11-09");
	assert_support (pg, "12", "2024-11-21", TU_SUPPORT_EOL, "2024-11-21");
	assert_behind (pg, "16.4", 11, 735);
	g_assert_cmpstr (tu_catalog_newest_cycle (pg)->latest, ==, "18.6");

	const TuCatalogProduct *node = find_product (cat, "nodejs");
	g_assert_cmpstr (node->title, ==, "Node.js");
	g_assert_cmpuint (node->cycles->len, ==, 26);
	g_assert_cmpstr (cycle_name_for (node, "18.19.1"), ==, "18");
	g_assert_cmpstr (cycle (node, "18")->latest, ==, "18.20.8");
	g_assert_true (cycle (node, "18")->lts);
	assert_support (node, "18", "2024-01-01", TU_SUPPORT_SECURITY_ONLY, "2025-04-30");
	assert_support (node, "18", "2025-05-01", TU_SUPPORT_EOL, "2025-04-30");
	assert_support (node, "3", "2015-09-01", TU_SUPPORT_EOL, NULL);
	assert_behind (node, "18.19.1", 9, 407);

	const TuCatalogProduct *nginx = find_product (cat, "nginx");
	g_assert_cmpuint (nginx->cycles->len, ==, 23);
	g_assert_cmpstr (cycle_name_for (nginx, "1.22.1"), ==, "1.22");
	g_assert_cmpstr (cycle (nginx, "1.22")->latest, ==, "1.22.1");
	assert_support (nginx, "1.30", "2026-08-22", TU_SUPPORT_SUPPORTED, NULL);
	assert_support (nginx, "1.22", "2023-01-01", TU_SUPPORT_SUPPORTED, "2023-04-11");
	assert_behind (nginx, "1.22.0", 1, 148);

	const TuCatalogProduct *django = find_product (cat, "django");
	g_assert_null (cycle_name_for (django, "4.10.1"));
	g_assert_cmpstr (cycle_name_for (django, "4.1.13"), ==, "4.1");
}

static void
assert_match (TuCatalog *cat, const char *publisher, const char *product, const char *purl,
	      const char *cpe, const char *want_id, const char *want_by)
{
	const char *by = "unset";
	const TuCatalogProduct *p = tu_catalog_match (cat, publisher, product, purl, cpe, &by);
	if (g_strcmp0 (p ? p->id : NULL, want_id) != 0 || g_strcmp0 (by, want_by) != 0)
		g_error ("match (%s, %s, %s, %s): %s by %s, expected %s by %s", publisher, product,
			 purl, cpe, p ? p->id : "nothing", by, want_id, want_by);
}

static void
test_match (void)
{
	if (!need_endoflife ())
		return;
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalog) cat = tu_catalog_load (db, &error);
	g_assert_no_error (error);
	/* CPE, both forms, any version, by vendor:product */
	assert_match (cat, "OpenSSL", "OpenSSL", NULL,
		      "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*",
		      "openssl", "cpe");
	assert_match (cat, NULL, NULL, NULL, "cpe:/a:openssl:openssl:1.1.1w", "openssl", "cpe");
	assert_match (cat, NULL, NULL, NULL, "cpe:2.3:a:nodejs:node.js:18.19.1", "nodejs", "cpe");
	assert_match (cat, NULL, NULL, NULL, "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*", "nginx",
		      "cpe");
	assert_match (cat, NULL, NULL, NULL, "cpe:2.3:a:postgresql:postgresql:16.4", "postgresql",
		      "cpe");
	assert_match (cat, NULL, NULL, NULL, "cpe:/a:python:python:3.11.2", "python", "cpe");
	assert_match (cat, NULL, NULL, NULL, "cpe:2.3:a:openssl:*:3.0", NULL, NULL);
	assert_match (cat, NULL, NULL, NULL, "cpe:2.3:a:someone:openssl:3.0", NULL, NULL);
	/* purl by type/namespace/name; version, qualifiers and subpath ignored */
	assert_match (cat, NULL, NULL, "pkg:deb/debian/nginx@1.22.1-9?arch=amd64", NULL, "nginx",
		      "purl");
	assert_match (cat, NULL, NULL, "pkg:deb/debian/python3.11@3.11.2-6", NULL, "python", "purl");
	assert_match (cat, NULL, NULL, "pkg:rpm/redhat/nodejs@18.19.1-1.el9?arch=x86_64#sub", NULL,
		      "nodejs", "purl");
	assert_match (cat, NULL, NULL, "pkg:docker/library/postgres@16.4", NULL, "postgresql",
		      "purl");
	assert_match (cat, NULL, NULL, "PKG:DEB/Ubuntu/PostgreSQL", NULL, "postgresql", "purl");
	/* a distribution the page does not name: the package name decides when only one
	 * product claims it */
	assert_match (cat, NULL, NULL, "pkg:rpm/rocky/nginx@1.20.1", NULL, "nginx", "purl");
	assert_match (cat, NULL, NULL, "pkg:apk/wolfi/nginx@1.20.1", NULL, "nginx", "purl");
	/* ... but not for ecosystems whose namespace is part of the name */
	assert_match (cat, NULL, NULL, "pkg:npm/%40someone/nginx@1.0.0", NULL, NULL, NULL);
	/* purl first, then CPE, then name */
	assert_match (cat, "OpenSSL", "OpenSSL", "pkg:deb/debian/openssl@3.0.11-1~deb12u2",
		      "cpe:2.3:a:openssl:openssl:3.0.11", "openssl", "cpe");
	assert_match (cat, "OpenSSL", "OpenSSL", "pkg:deb/debian/openssl@3.0.11-1~deb12u2", NULL,
		      "openssl", "name");
	/* names: case and punctuation ignored, title or slug */
	assert_match (cat, "OpenJS Foundation", "Node.js", NULL, NULL, "nodejs", "name");
	assert_match (cat, NULL, "nodejs", NULL, NULL, "nodejs", "name");
	assert_match (cat, "F5", "nginx", NULL, NULL, "nginx", "name");
	assert_match (cat, "PostgreSQL Global Development Group", "PostgreSQL", NULL, NULL,
		      "postgresql", "name");
	assert_match (cat, "Python Software Foundation", "Python", NULL, NULL, "python", "name");
	assert_match (cat, NULL, "Apache HTTP Server", NULL, NULL, "apache-http-server", "name");
	assert_match (cat, NULL, "apache-http-server", NULL, NULL, "apache-http-server", "name");
	/* without a leading publisher word, and publisher + product */
	assert_match (cat, "Apache Software Foundation", "Apache Tomcat", NULL, NULL, "tomcat",
		      "name");
	assert_match (cat, "Apache Software Foundation", "HTTP Server", NULL, NULL,
		      "apache-http-server", "name");
	assert_match (cat, "Microsoft", "SQL Server", NULL, NULL, "mssqlserver", "name");
	assert_match (cat, "Mozilla", "Mozilla Firefox", NULL, NULL, "firefox", "name");
	assert_match (cat, "Atlassian Corporation", "Atlassian Confluence", NULL, NULL, "confluence",
		      "name");
	/* a product the catalogue covers on another product's page */
	assert_match (cat, "Microsoft", "Microsoft 365 Apps", NULL, NULL, "office", "name");
	/* no leading word stripped when it is not the publisher's */
	assert_match (cat, "Someone", "Mozilla Firefox", NULL, NULL, NULL, NULL);
	assert_match (cat, NULL, "Mozilla Firefox", NULL, NULL, NULL, NULL);
	assert_match (cat, "OpenSSL", "OpenSSL Toolkit Extra", NULL, NULL, NULL, NULL);
	assert_match (cat, NULL, "", NULL, NULL, NULL, NULL);
	assert_match (cat, NULL, NULL, NULL, NULL, NULL, NULL);
	assert_match (NULL, "OpenSSL", "OpenSSL", NULL, NULL, NULL, NULL);
}

static void
test_import_files_and_wrong_kinds (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new_fallback ();
	g_autoptr(GError) error = NULL;
	TuCatalogImportStats st;
	g_autofree char *tmp = tu_test_mkdtemp ();

	/* a page alone picks up releases/NAME.json beside its products/ folder */
	g_autofree char *md = fixture ("endoflife/products/nginx.md");
	import_ok (db, norm, md, &st);
	g_assert_cmpuint (st.n_products, ==, 1);
	g_assert_cmpuint (st.n_cycles, ==, 23);
	g_assert_cmpuint (st.n_versions, ==, 594);

	/* release data alone: the page must be stored already (or lie beside it) */
	g_autofree char *json_text = NULL;
	g_autofree char *json_src = fixture ("endoflife/releases/nginx.json");
	g_assert_true (g_file_get_contents (json_src, &json_text, NULL, NULL));
	tu_test_write (tmp, "loose/nginx.json", json_text, -1);
	tu_test_write (tmp, "loose/unknownthing.json", "{\"releases\": {}, \"versions\": {}}", -1);
	g_autofree char *loose = g_build_filename (tmp, "loose", "nginx.json", NULL);
	import_ok (db, norm, loose, &st);
	g_assert_cmpuint (st.n_versions, ==, 594);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_cycles WHERE product_id = ?",
			       "nginx"), ==, 23);
	g_autofree char *orphan = g_build_filename (tmp, "loose", "unknownthing.json", NULL);
	g_assert_false (tu_catalog_import (db, norm, orphan, &st, NULL, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_NOT_FOUND);
	g_assert_nonnull (strstr (error->message, "needs its product page"));
	g_assert_nonnull (strstr (error->message, orphan));
	g_clear_error (&error);

	/* files of other kinds, named in the error */
	struct {
		const char *shared;
		const char *fragment;
	} others[] = {
		{"kev/known_exploited_vulnerabilities.json", "expected endoflife.date release data"},
		{"kev/known_exploited_vulnerabilities.csv", "not an in-house catalogue"},
		{"endoflife/api_v1/openapi.yml", "not a catalogue file"},
		{"endoflife/LICENSE.endoflife.date", "not a catalogue file"},
		{"SOURCES.md", "not an endoflife.date product page"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (others); i++) {
		g_autofree char *path = tu_test_shared_path (others[i].shared);
		if (path == NULL)
			continue;
		g_assert_false (tu_catalog_import (db, norm, path, &st, NULL, &error));
		g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
		if (strstr (error->message, others[i].fragment) == NULL ||
		    strstr (error->message, path) == NULL)
			g_error ("%s: %s", path, error->message);
		g_clear_error (&error);
		g_assert_cmpuint (st.n_products, ==, 0);
	}
	/* an OSV record (a JSON file) */
	tu_test_write (tmp, "GHSA-xxxx.json",
		       "{\"id\": \"GHSA-xxxx\", \"affected\": [{\"package\": {\"name\": "
		       "\"x\"}}]}",
		       -1);
	g_autofree char *osv = g_build_filename (tmp, "GHSA-xxxx.json", NULL);
	g_assert_false (tu_catalog_import (db, norm, osv, &st, NULL, &error));
	g_assert_nonnull (strstr (error->message, "expected endoflife.date release data"));
	g_clear_error (&error);
	tu_test_write (tmp, "notes.txt", "hello\n", -1);
	g_autofree char *txt = g_build_filename (tmp, "notes.txt", NULL);
	g_assert_false (tu_catalog_import (db, norm, txt, &st, NULL, &error));
	g_assert_nonnull (strstr (error->message, "not a catalogue file"));
	g_clear_error (&error);
	g_autofree char *missing = g_build_filename (tmp, "missing.md", NULL);
	g_assert_false (tu_catalog_import (db, norm, missing, &st, NULL, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_NOT_FOUND);
	g_clear_error (&error);
	g_autofree char *empty_dir = g_build_filename (tmp, "empty", NULL);
	g_mkdir (empty_dir, 0755);
	g_assert_false (tu_catalog_import (db, norm, empty_dir, &st, NULL, &error));
	g_assert_nonnull (strstr (error->message, "no catalogue files"));
	g_clear_error (&error);

	/* a directory: a bad page and a release file without page are reported, the rest
	 * goes on */
	g_autofree char *page = NULL;
	g_autofree char *page_src = fixture ("endoflife/products/django.md");
	g_assert_true (g_file_get_contents (page_src, &page, NULL, NULL));
	tu_test_write (tmp, "eol/products/django.md", page, -1);
	tu_test_write (tmp, "eol/products/broken.md", "---\ntitle: Broken\n", -1);
	tu_test_write (tmp, "eol/releases/ghost.json", "{\"releases\": {}, \"versions\": {}}", -1);
	tu_test_write (tmp, "eol/releases/django.json", "{\"versions\": {\"4.1.99\": {\"date\": "
							 "\"2026-01-01\"}}}",
		       -1);
	g_autofree char *eol_dir = g_build_filename (tmp, "eol", NULL);
	g_autoptr(TuWarnings) messages = tu_warnings_new ();
	g_assert_true (tu_catalog_import (db, norm, eol_dir, &st, messages, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_products, ==, 1);
	g_assert_cmpuint (st.n_versions, ==, 1);
	g_assert_cmpuint (messages->len, ==, 2);
	g_assert_nonnull (strstr (tu_warnings_text (messages, 0),
				  "ghost.json: release data without its product page"));
	g_assert_nonnull (strstr (tu_warnings_text (messages, 1),
				  "broken.md: the front matter has no end"));
	/* django was replaced whole: its versions are now the one of this release file */
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_versions WHERE product_id = ?",
			       "django"), ==, 1);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_products WHERE id = ?", "broken"),
			 ==, 0);
	/* put django back as the other tests know it */
	g_autofree char *django = fixture ("endoflife/products/django.md");
	import_ok (db, norm, django, &st);
	g_assert_cmpuint (st.n_versions, ==, 389);
	tu_test_rmtree (tmp);
}

static void
test_reimport_replaces (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new_fallback ();
	g_autoptr(GError) error = NULL;
	TuCatalogImportStats st;
	g_autofree char *dir = fixture ("endoflife");
	import_ok (db, norm, dir, &st);
	g_assert_cmpuint (st.n_products, ==, 8);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_cycles WHERE product_id = ?",
			       "openssl"), ==, 14);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_versions WHERE product_id = ?",
			       "openssl"), ==, 238);
	/* a new edition of the page with two cycles and one identifier */
	g_autofree char *tmp = tu_test_mkdtemp ();
	tu_test_write (tmp, "products/openssl.md",
		       "---\ntitle: OpenSSL\ncategory: framework\nidentifiers:\n  - repology: "
		       "openssl\nreleases:\n  - releaseCycle: \"3.5\"\n    releaseDate: 2025-04-08\n"
		       "    eol: 2030-04-08\n  - releaseCycle: \"9.0\"\n    releaseDate: 2030-01-01\n"
		       "    eol: false\n---\n",
		       -1);
	tu_test_write (tmp, "releases/openssl.json",
		       "{\"releases\": {}, \"versions\": {\"3.5.7\": {\"date\": \"2026-06-09\"}, "
		       "\"3.5.8\": {\"date\": \"2026-07-01\"}}}",
		       -1);
	import_ok (db, norm, tmp, &st);
	g_assert_cmpuint (st.n_products, ==, 1);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_cycles WHERE product_id = ?",
			       "openssl"), ==, 2);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_versions WHERE product_id = ?",
			       "openssl"), ==, 2);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_identifiers WHERE product_id = ?",
			       "openssl"), ==, 1);
	g_autoptr(TuCatalog) cat = tu_catalog_load (db, &error);
	g_assert_no_error (error);
	const TuCatalogProduct *p = find_product (cat, "openssl");
	g_assert_cmpstr (cycle (p, "3.5")->latest, ==, "3.5.8");
	g_assert_cmpstr (cycle (p, "3.5")->latest_date, ==, "2026-07-01");
	g_assert_cmpstr (tu_catalog_newest_cycle (p)->cycle, ==, "9.0");
	/* release data alone against the stored page (no products/ folder beside it): the
	 * versions are added and the derived latest moves on */
	tu_test_write (tmp, "elsewhere/loose/openssl.json",
		       "{\"versions\": {\"3.5.9\": {\"date\": \"2026-08-01\"}}}", -1);
	g_autofree char *loose = g_build_filename (tmp, "elsewhere", "loose", "openssl.json", NULL);
	import_ok (db, norm, loose, &st);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_cycles WHERE product_id = ? AND "
				    "cycle = '3.5' AND latest = '3.5.9'",
			       "openssl"), ==, 1);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_versions WHERE product_id = ?",
			       "openssl"), ==, 3);
	tu_test_rmtree (tmp);
	/* back to the real page */
	import_ok (db, norm, dir, &st);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_cycles WHERE product_id = ?",
			       "openssl"), ==, 14);
}

static void
test_csv_import (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new (NULL, &error);
	g_assert_no_error (error);
	TuCatalogImportStats st;
	g_autofree char *tmp = tu_test_mkdtemp ();
	/* a bad row: nothing of the file is stored */
	tu_test_write (tmp, "bad.csv",
		       "publisher,product,cycle,release_date,latest,latest_date,eol,support_end,lts\n"
		       "Microsoft Corporation,Dynamics Widget,1.0,2024-01-01,1.0.3,2024-06-01,,,\n"
		       "Microsoft Corporation,Dynamics Widget,2.0,2025-01-01,2.0.1,2025-02-01,"
		       "2024-13-45,,\n",
		       -1);
	g_autofree char *bad = g_build_filename (tmp, "bad.csv", NULL);
	g_assert_false (tu_catalog_import (db, norm, bad, &st, NULL, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_autofree char *want = g_strdup_printf ("%s:3: column eol:", bad);
	g_assert_true (g_str_has_prefix (error->message, want));
	g_clear_error (&error);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_products WHERE id LIKE 'csv:%'",
				NULL), ==, 0);

	g_autofree char *good = fixture ("inhouse.csv");
	import_ok (db, norm, good, &st);
	g_assert_cmpuint (st.n_products, ==, 2);
	g_assert_cmpuint (st.n_cycles, ==, 4);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM catalog_products WHERE id = ? AND "
				    "publisher = 'Acme' AND product = 'Ledger Pro'",
			       "csv:Acme/Ledger Pro"), ==, 1);
	/* the alias pass: "Microsoft Corporation" is Microsoft */
	tu_test_write (tmp, "good.csv",
		       "publisher,product,cycle,release_date,latest,latest_date,eol,support_end,lts\n"
		       "Microsoft Corporation,Dynamics Widget,1.0,2024-01-01,1.0.3,2024-06-01,"
		       "TRUE,,\n",
		       -1);
	g_autofree char *good2 = g_build_filename (tmp, "good.csv", NULL);
	import_ok (db, norm, good2, &st);
	g_autoptr(TuCatalog) cat = tu_catalog_load (db, &error);
	g_assert_no_error (error);
	assert_match (cat, "Microsoft", "Dynamics Widget", NULL, NULL,
		      "csv:Microsoft/Dynamics Widget",
		      "name");
	assert_match (cat, "Acme", "Ledger Pro", NULL, NULL, "csv:Acme/Ledger Pro", "name");
	assert_match (cat, NULL, "ledger-pro", NULL, NULL, "csv:Acme/Ledger Pro", "name");
	assert_match (cat, "Contoso", "Field Agent", NULL, NULL, "csv:Contoso/Field Agent", "name");
	const TuCatalogProduct *p = tu_catalog_match (cat, "Acme", "Ledger Pro", NULL, NULL, NULL);
	g_assert_cmpstr (cycle_name_for (p, "7.2.1"), ==, "7.2");
	assert_behind (p, "7.2.1", -1, -1);
	assert_support (p, "6.0", "2020-01-01", TU_SUPPORT_EOL, NULL);
	tu_test_rmtree (tmp);
}

static void
insert_software (TuDb *db, guint64 id, const char *source, const char *raw_name,
		 const char *publisher, const char *product, const char *purl, const char *cpe)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuSql) q = tu_sql_new (db, "INSERT INTO software (id, source, raw_name, publisher, "
					     "product, purl, cpe, first_seen) VALUES (?, ?, ?, ?, ?, "
					     "?, ?, UTC_TIMESTAMP(6))");
	tu_sql_bind_uint (q, id);
	tu_sql_bind_str (q, source);
	tu_sql_bind_str (q, raw_name);
	tu_sql_bind_str (q, publisher);
	tu_sql_bind_str (q, product);
	tu_sql_bind_str (q, purl);
	tu_sql_bind_str (q, cpe);
	g_assert_true (tu_db_exec (db, tu_sql_get (q), &error));
	g_assert_no_error (error);
}

static gboolean
listed (GPtrArray *list, const char *id)
{
	for (guint i = 0; i < list->len; i++) {
		if (strcmp (((TuCatalogProduct *) g_ptr_array_index (list, i))->id, id) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
test_unmapped (void)
{
	if (!need_endoflife ())
		return;
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuCatalog) cat = tu_catalog_load (db, &error);
	g_assert_no_error (error);
	g_autoptr(GPtrArray) before = tu_catalog_unmapped (cat, db, &error);
	g_assert_no_error (error);
	guint n_products = count (db, "SELECT COUNT(*) FROM catalog_products", NULL);
	g_assert_cmpuint (before->len, ==, n_products);

	insert_software (db, 1, "dpkg", "libssl3", "OpenSSL", "OpenSSL", NULL,
			 "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*");
	insert_software (db, 2, "rpm", "nginx", "", "nginx-core", NULL, NULL); /* derived purl */
	insert_software (db, 3, "windows", "Node.js", "Node.js Foundation", "Node.js", NULL, NULL);
	insert_software (db, 4, "dpkg", "postgresql-16", "PostgreSQL Global Development Group",
			 "PostgreSQL", "pkg:deb/debian/postgresql-16@16.4", NULL);
	insert_software (db, 5, "windows", "Thing", "Nobody", "Unknown Thing", NULL, NULL);
	g_autoptr(GPtrArray) after = tu_catalog_unmapped (cat, db, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (after->len, ==, n_products - 4);
	g_assert_false (listed (after, "openssl"));
	g_assert_false (listed (after, "nginx"));
	g_assert_false (listed (after, "nodejs"));
	g_assert_false (listed (after, "postgresql"));
	g_assert_true (listed (after, "python"));
	g_assert_true (listed (after, "windows"));
	g_assert_true (tu_db_exec (db, "DELETE FROM software WHERE id <= 5", &error));
}

/* An OS row's publisher is the one the normaliser gives the vendor's own packages: the raw
 * publishers those packages carry (a dpkg Maintainer, an rpm Vendor, a macOS record's
 * publisher) normalise to it, and it is canonical itself. */
static void
test_os_publisher (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new (NULL, &error);
	g_assert_no_error (error);
	static const struct {
		const char *os_id;
		const char *raw; /* a raw publisher of the vendor's own packages */
	} cases[] = {
		{"debian", "Santiago Vila <sanvila@debian.org>"},
		{"ubuntu", "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>"},
		{"almalinux", "AlmaLinux"},
		{"rhel", "Red Hat, Inc."},
		{"fedora", "Fedora Project"},
		{"macos", "Apple Inc."},
		{"sles", "SUSE LLC <https://www.suse.com/>"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		const char *pub = tu_catalog_os_publisher (cases[i].os_id);
		g_assert_nonnull (pub);
		g_assert_cmpstr (tu_normaliser_publisher (norm, cases[i].raw), ==, pub);
	}
	static const char *const all[] = {"debian", "ubuntu", "almalinux", "rhel", "rocky",
					  "centos", "alpine", "amzn", "fedora", "sles", "macos"};
	for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
		const char *pub = tu_catalog_os_publisher (all[i]);
		g_assert_nonnull (pub);
		g_assert_nonnull (tu_catalog_os_slug (all[i]));
		g_assert_cmpstr (tu_normaliser_publisher (norm, pub), ==, pub);
	}
	g_assert_null (tu_catalog_os_publisher ("windows"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/catalog/page/openssl-front-matter", test_openssl_page);
	g_test_add_func ("/trueup/catalog/page/scalars-stay-text", test_scalars_stay_text);
	g_test_add_func ("/trueup/catalog/page/errors-name-file-and-line", test_page_errors);
	g_test_add_func ("/trueup/catalog/release-data/merge-and-latest", test_release_json_merge);
	g_test_add_func ("/trueup/catalog/release-data/refused-whole", test_release_json_errors);
	g_test_add_func ("/trueup/catalog/release-data/bad-record-costs-only-itself",
			 test_release_json_bad_records);
	g_test_add_func ("/trueup/catalog/cycle-for-longest-prefix", test_cycle_for);
	g_test_add_func ("/trueup/catalog/support-at-dates", test_support);
	g_test_add_func ("/trueup/catalog/releases-and-days-behind", test_behind);
	g_test_add_func ("/trueup/catalog/csv/parse-and-column-errors", test_csv_parse);
	g_test_add_func ("/trueup/catalog/import/endoflife-directory", test_import_endoflife);
	g_test_add_func ("/trueup/catalog/load/hand-checked-values", test_load_hand_checked);
	g_test_add_func ("/trueup/catalog/match/purl-cpe-name", test_match);
	g_test_add_func ("/trueup/catalog/unmapped", test_unmapped);
	g_test_add_func ("/trueup/catalog/os-publisher-as-normalised", test_os_publisher);
	g_test_add_func ("/trueup/catalog/import/files-and-wrong-kinds",
			 test_import_files_and_wrong_kinds);
	g_test_add_func ("/trueup/catalog/import/again-replaces", test_reimport_replaces);
	g_test_add_func ("/trueup/catalog/csv/import-all-or-nothing", test_csv_import);
	int rc = g_test_run ();
	tu_test_store_close ();
	return rc;
}
