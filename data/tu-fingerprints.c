/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one walker over rule files (see tu-fingerprints.h): the shipped resource directory and
 * a user's rules directory, *.rules only, in name order so that rule order is stable.
 */
#include "config.h"

#include "tu-common.h"
#include "tu-fingerprint-resources.h"
#include "tu-fingerprints.h"

#define FINGERPRINT_RESOURCE_DIR "/org/trueup/fingerprints"
#define RULE_FILE_MAX		 (16 * 1024 * 1024)

static gint
cmp_names (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

gboolean
tu_fingerprints_foreach_shipped (TuFingerprintFileFunc func, gpointer user_data, GError **error)
{
	GResource *resource = tu_fingerprints_get_resource ();
	g_auto(GStrv) names = g_resource_enumerate_children (resource, FINGERPRINT_RESOURCE_DIR,
							     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
	if (names == NULL)
		return TRUE; /* a build without shipped rules */
	g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
	for (guint i = 0; names[i] != NULL; i++) {
		if (g_str_has_suffix (names[i], ".rules"))
			g_ptr_array_add (sorted, names[i]);
	}
	g_ptr_array_sort (sorted, cmp_names);
	for (guint i = 0; i < sorted->len; i++) {
		const char *name = g_ptr_array_index (sorted, i);
		g_autofree char *path = g_build_path ("/", FINGERPRINT_RESOURCE_DIR, name, NULL);
		g_autoptr(GBytes) bytes = g_resource_lookup_data (resource, path, 0, error);
		if (bytes == NULL)
			return FALSE;
		g_autofree char *shown = g_build_filename ("data/fingerprints", name, NULL);
		if (!func (shown, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), FALSE,
			   user_data, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
tu_fingerprints_foreach_in_dir (const char *dir, TuFingerprintFileFunc func, gpointer user_data,
				GError **error)
{
	g_autoptr(GDir) d = g_dir_open (dir, 0, error);
	if (d == NULL) {
		g_prefix_error (error, "rules directory: ");
		return FALSE;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	while ((name = g_dir_read_name (d)) != NULL) {
		if (g_str_has_suffix (name, ".rules"))
			g_ptr_array_add (names, g_strdup (name));
	}
	g_ptr_array_sort (names, cmp_names);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
		g_autoptr(GBytes) bytes = tu_file_read (path, RULE_FILE_MAX, error);
		if (bytes == NULL)
			return FALSE;
		if (!func (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), TRUE,
			   user_data, error))
			return FALSE;
	}
	return TRUE;
}
