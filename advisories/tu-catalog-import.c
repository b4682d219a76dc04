/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Importing the catalogue (see tu_catalog_import): which files a path names (endoflife.date's
 * products/ and releases/ layout, single pages, release data, in-house CSV), pairing each page
 * with its release data, and storing each file's products in one transaction. A page that
 * cannot be read is reported and the rest goes on; a database error stops the import.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog-private.h"
#include "tu-common.h"

#define CAT_MAX_FILE_SIZE (64u * 1024u * 1024u)

/* ---------------------------------------------------------------- import --------------- */

/* @messages: (nullable) NULL when the caller does not want them (a test of a failure) */
static void
add_message (TuWarnings *messages, const char *msg)
{
	if (messages != NULL)
		tu_warnings_add (messages, NULL, 0, NULL, "%s", msg);
}

/* What was ignored while reading @p, for the user. */
static void
add_warnings (TuWarnings *messages, const TuCatalogProduct *p)
{
	for (guint i = 0; p != NULL && i < p->warnings->len; i++)
		add_message (messages, g_ptr_array_index (p->warnings, i));
}

static GBytes *
read_file (const char *path, GError **error)
{
	return tu_file_read (path, CAT_MAX_FILE_SIZE, error);
}

/* "products/openssl.md" -> "openssl" (transfer full) */
static char *
name_of (const char *path, const char *suffix)
{
	g_autofree char *base = g_path_get_basename (path);
	gsize n = strlen (base), s = strlen (suffix);
	if (n > s && g_ascii_strcasecmp (base + n - s, suffix) == 0)
		base[n - s] = '\0';
	return g_steal_pointer (&base);
}

/* The release data beside a page: DIR/../releases/NAME.json when the page is in a folder
 * with a releases/ sibling (endoflife.date's layout), else NULL. (transfer full) */
static char *
sibling_file (const char *path, const char *folder, const char *name, const char *suffix)
{
	g_autofree char *dir = g_path_get_dirname (path);
	g_autofree char *parent = g_path_get_dirname (dir);
	g_autofree char *file = g_strconcat (name, suffix, NULL);
	g_autofree char *candidate = g_build_filename (parent, folder, file, NULL);
	if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer (&candidate);
	return NULL;
}

/* Parse a page and (when not NULL) its release data into one product. (transfer full) */
static TuCatalogProduct *
read_page (const char *md_path, const char *json_path, GError **error)
{
	g_autofree char *id = name_of (md_path, ".md");
	g_autoptr(GBytes) md = read_file (md_path, error);
	if (md == NULL)
		return NULL;
	g_autoptr(TuCatalogProduct) p = tu_catalog_product_new (id);
	gsize len = 0;
	const char *data = g_bytes_get_data (md, &len);
	if (!tu_catalog_parse_markdown (data, len, md_path, id, p, error))
		return NULL;
	if (json_path != NULL) {
		g_autoptr(GBytes) js = read_file (json_path, error);
		if (js == NULL)
			return NULL;
		data = g_bytes_get_data (js, &len);
		if (!tu_catalog_parse_release_json (data, len, json_path, p, error))
			return NULL;
	}
	return g_steal_pointer (&p);
}

/* Store @products in one transaction and count them. */
static gboolean
store_products (TuDb *db, GPtrArray *products, const char *source, TuCatalogImportStats *stats,
		GError **error)
{
	if (!tu_catalog_store_products (db, products, source, error))
		return FALSE;
	for (guint i = 0; i < products->len; i++) {
		const TuCatalogProduct *p = g_ptr_array_index (products, i);
		stats->n_products++;
		stats->n_cycles += p->cycles->len;
		stats->n_versions += p->versions->len;
		stats->n_identifiers += p->identifiers->len;
	}
	return TRUE;
}

static gboolean
store_single (TuDb *db, TuCatalogProduct *p, const char *source, TuCatalogImportStats *stats,
	      GError **error)
{
	g_autoptr(GPtrArray) one = g_ptr_array_new ();
	g_ptr_array_add (one, p);
	return store_products (db, one, source, stats, error);
}

static gboolean
import_csv (TuDb *db, TuNormaliser *norm, const char *path, TuCatalogImportStats *stats,
	    GError **error)
{
	g_autoptr(GBytes) bytes = read_file (path, error);
	if (bytes == NULL)
		return FALSE;
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	g_autoptr(GPtrArray) products = tu_catalog_products_new ();
	if (!tu_catalog_parse_csv (data, len, path, norm, products, error))
		return FALSE;
	return store_products (db, products, path, stats, error);
}

/* Release data on its own: merged into its page beside it, or into the stored product. */
static gboolean
import_json (TuDb *db, const char *path, TuCatalogImportStats *stats, TuWarnings *messages,
	     GError **error)
{
	g_autoptr(GBytes) bytes = read_file (path, error);
	if (bytes == NULL)
		return FALSE;
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	g_autofree char *id = name_of (path, ".json");
	g_autoptr(TuCatalogProduct) scratch = tu_catalog_product_new (id);
	if (!tu_catalog_parse_release_json (data, len, path, scratch, error))
		return FALSE;
	g_autofree char *page = sibling_file (path, "products", id, ".md");
	if (page != NULL) {
		g_autoptr(TuCatalogProduct) p = read_page (page, path, error);
		add_warnings (messages, p);
		return p != NULL && store_single (db, p, page, stats, error);
	}
	g_autoptr(GPtrArray) stored = tu_catalog_load_products (db, id, error);
	if (stored == NULL)
		return FALSE;
	if (stored->len == 0 || g_str_has_prefix (id, "csv:")) {
		g_set_error (error, TU_ERROR, TU_ERROR_NOT_FOUND,
			     "%s: release data of \"%s\" needs its product page: import "
			     "products/%s.md first (or the whole endoflife.date directory)",
			     path, id, id);
		return FALSE;
	}
	TuCatalogProduct *p = g_ptr_array_index (stored, 0);
	/* a latest that is the highest stored version was derived from older release data:
	 * let the new data recompute it */
	for (guint i = 0; i < p->cycles->len; i++) {
		TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		const TuCatalogVersion *v = c->latest ? tu_catalog_highest_in_cycle (p, c->cycle) : NULL;
		if (v != NULL && strcmp (v->version, c->latest) == 0) {
			g_clear_pointer (&c->latest, g_free);
			g_clear_pointer (&c->latest_date, g_free);
		}
	}
	if (!tu_catalog_parse_release_json (data, len, path, p, error))
		return FALSE;
	return store_single (db, p, path, stats, error);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Sorted names of the regular files of @dir ending in @suffix. (transfer full) */
static GPtrArray *
list_files (const char *dir, const char *suffix, GError **error)
{
	g_autoptr(GDir) d = g_dir_open (dir, 0, error);
	if (d == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	while ((name = g_dir_read_name (d)) != NULL) {
		g_autofree char *full = g_build_filename (dir, name, NULL);
		if (tu_str_has_suffix_ci (name, suffix) && strlen (name) > strlen (suffix) &&
		    g_file_test (full, G_FILE_TEST_IS_REGULAR))
			g_ptr_array_add (out, g_strdup (name));
	}
	g_ptr_array_sort (out, compare_names);
	return out;
}

static gboolean
import_dir (TuDb *db, TuNormaliser *norm, const char *path, TuCatalogImportStats *stats,
	    TuWarnings *messages, GError **error)
{
	g_autofree char *products_dir = g_build_filename (path, "products", NULL);
	g_autofree char *releases_dir = g_build_filename (path, "releases", NULL);
	gboolean layout = g_file_test (products_dir, G_FILE_TEST_IS_DIR);
	if (!layout) {
		g_free (products_dir);
		products_dir = g_strdup (path);
	}
	if (!layout || !g_file_test (releases_dir, G_FILE_TEST_IS_DIR)) {
		g_free (releases_dir);
		releases_dir = g_strdup (layout ? "" : path);
	}
	g_autoptr(GPtrArray) pages = list_files (products_dir, ".md", error);
	if (pages == NULL)
		return FALSE;
	g_autoptr(GPtrArray) jsons = *releases_dir ? list_files (releases_dir, ".json", error)
						   : g_ptr_array_new_with_free_func (g_free);
	if (jsons == NULL)
		return FALSE;
	g_autoptr(GPtrArray) csvs = layout ? g_ptr_array_new_with_free_func (g_free)
					   : list_files (path, ".csv", error);
	if (csvs == NULL)
		return FALSE;
	if (pages->len == 0 && jsons->len == 0 && csvs->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: no catalogue files here: expected endoflife.date's products/*.md "
			     "and releases/*.json, or .md, .json and .csv files",
			     path);
		return FALSE;
	}
	g_autoptr(GHashTable) page_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
								  NULL);
	for (guint i = 0; i < pages->len; i++)
		g_hash_table_add (page_names, name_of (g_ptr_array_index (pages, i), ".md"));
	g_autoptr(GHashTable) json_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
								  g_free);
	for (guint i = 0; i < jsons->len; i++) {
		const char *file = g_ptr_array_index (jsons, i);
		g_autofree char *name = name_of (file, ".json");
		g_autofree char *full = g_build_filename (releases_dir, file, NULL);
		if (g_hash_table_contains (page_names, name)) {
			g_hash_table_insert (json_names, g_steal_pointer (&name),
					     g_steal_pointer (&full));
		} else {
			g_autofree char *msg = g_strdup_printf (
				"%s: release data without its product page %s.md: not imported",
				full, name);
			add_message (messages, msg);
		}
	}
	for (guint i = 0; i < pages->len; i++) {
		const char *file = g_ptr_array_index (pages, i);
		g_autofree char *name = name_of (file, ".md");
		g_autofree char *md = g_build_filename (products_dir, file, NULL);
		const char *json = g_hash_table_lookup (json_names, name);
		g_autoptr(GError) local = NULL;
		g_autoptr(TuCatalogProduct) p = read_page (md, json, &local);
		if (p == NULL) {
			add_message (messages, local->message);
			continue;
		}
		add_warnings (messages, p);
		if (!store_single (db, p, md, stats, error))
			return FALSE;
	}
	for (guint i = 0; i < csvs->len; i++) {
		g_autofree char *full = g_build_filename (path, g_ptr_array_index (csvs, i), NULL);
		g_autoptr(GError) local = NULL;
		if (import_csv (db, norm, full, stats, &local))
			continue;
		if (g_error_matches (local, TU_ERROR, TU_ERROR_DB) ||
		    g_error_matches (local, TU_ERROR, TU_ERROR_DB_TRANSIENT)) {
			g_propagate_error (error, g_steal_pointer (&local));
			return FALSE;
		}
		add_message (messages, local->message);
	}
	return TRUE;
}

gboolean
tu_catalog_import (TuDb *db, TuNormaliser *norm, const char *path, TuCatalogImportStats *stats,
		   TuWarnings *messages, GError **error)
{
	TuCatalogImportStats local_stats;
	if (stats == NULL)
		stats = &local_stats;
	memset (stats, 0, sizeof *stats);
	if (g_file_test (path, G_FILE_TEST_IS_DIR))
		return import_dir (db, norm, path, stats, messages, error);
	if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
		g_set_error (error, TU_ERROR, TU_ERROR_NOT_FOUND, "%s: no such file or directory",
			     path);
		return FALSE;
	}
	if (tu_str_has_suffix_ci (path, ".md")) {
		g_autofree char *id = name_of (path, ".md");
		g_autofree char *json = sibling_file (path, "releases", id, ".json");
		g_autoptr(TuCatalogProduct) p = read_page (path, json, error);
		add_warnings (messages, p);
		return p != NULL && store_single (db, p, path, stats, error);
	}
	if (tu_str_has_suffix_ci (path, ".json"))
		return import_json (db, path, stats, messages, error);
	if (tu_str_has_suffix_ci (path, ".csv"))
		return import_csv (db, norm, path, stats, error);
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "%s: not a catalogue file: expected an endoflife.date product page (.md), its "
		     "release data (.json), an in-house catalogue (.csv) or a directory of them",
		     path);
	return FALSE;
}
