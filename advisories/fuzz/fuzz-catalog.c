/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the catalogue parsers: endoflife.date product pages (YAML front
 * matter), release-data JSON merged into a page, and in-house CSV catalogues; every product
 * that parses is also run through the cycle, support and behind queries. The first byte picks
 * the parser; for pages and release data the input is split at the first NUL into the
 * document and a version to place. FUZZ_CATALOG_MODE=0, 1 or 2 in the environment keeps one
 * parser whatever the first byte, for a campaign per parser. Seeds: tests/fuzz/catalog/. */
#include <stdint.h>
#include <string.h>

#include "tu-catalog.h"
#include "tu-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char page[] = "---\n"
			   "title: Fuzz\n"
			   "releases:\n"
			   "  - releaseCycle: \"4.1\"\n"
			   "    releaseDate: 2023-05-01\n"
			   "    eol: 2025-01-01\n"
			   "  - releaseCycle: \"4.10\"\n"
			   "    eol: false\n"
			   "    latest: \"4.10 Update 2\"\n"
			   "---\n";

static void
query (const TuCatalogProduct *p, const char *version)
{
	const TuCatalogCycle *c = tu_catalog_cycle_for (p, version);
	const TuCatalogCycle *newest = tu_catalog_newest_cycle (p);
	gint behind = 0, days = 0;
	tu_catalog_behind (p, c ? c : newest, version, &behind, &days);
	const char *eol = NULL;
	tu_support_to_string (tu_catalog_support (c ? c : newest, 740000, &eol));
	for (guint i = 0; i < p->cycles->len; i++)
		tu_catalog_support (g_ptr_array_index (p->cycles, i), 739000, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	static TuNormaliser *norm = NULL;
	static int forced = -2;
	if (norm == NULL)
		norm = tu_normaliser_new_fallback ();
	if (forced == -2) {
		const char *env = g_getenv ("FUZZ_CATALOG_MODE");
		forced = env != NULL && env[0] >= '0' && env[0] <= '2' ? env[0] - '0' : -1;
	}
	if (size == 0)
		return 0;
	guint mode = forced >= 0 ? (guint) forced : data[0] % 3u;
	const char *buf = (const char *) data + 1;
	gsize len = size - 1;
	const char *nul = memchr (buf, '\0', len);
	gsize doc_len = nul ? (gsize) (nul - buf) : len;
	g_autofree char *version = nul ? g_strndup (nul + 1, len - doc_len - 1) : g_strdup ("4.1.3");
	GError *error = NULL;
	if (mode == 0) {
		TuCatalogProduct *p = tu_catalog_product_new ("fuzz");
		if (tu_catalog_parse_markdown (buf, doc_len, "products/fuzz.md", "fuzz", p, &error))
			query (p, version);
		g_clear_error (&error);
		tu_catalog_product_free (p);
	} else if (mode == 1) {
		TuCatalogProduct *p = tu_catalog_product_new ("fuzz");
		if (!tu_catalog_parse_markdown (page, strlen (page), "products/fuzz.md", "fuzz", p,
						&error))
			g_error ("%s", error->message);
		if (tu_catalog_parse_release_json (buf, doc_len, "releases/fuzz.json", p, &error))
			query (p, version);
		g_clear_error (&error);
		tu_catalog_product_free (p);
	} else {
		GPtrArray *products =
			g_ptr_array_new_with_free_func ((GDestroyNotify) tu_catalog_product_free);
		if (tu_catalog_parse_csv (buf, len, "fuzz.csv", norm, products, &error)) {
			for (guint i = 0; i < products->len; i++)
				query (g_ptr_array_index (products, i), "7.2.1");
		}
		g_clear_error (&error);
		g_ptr_array_unref (products);
	}
	return 0;
}
