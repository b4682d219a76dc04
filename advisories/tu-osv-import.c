/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Importing OSV advisories (see tu_osv_import): a file, or every *.json, *.yaml and *.yml file
 * under a directory in name order (an id found again replaces the earlier record, so the order
 * must not depend on the file system), skipping hidden entries and symbolic links to
 * directories. Templates such as curl's CVE-*.json.in are not taken by a walk (".in" files are
 * inputs to a generator); naming one imports it, by its content. Refused files and records
 * are reported and the rest goes on.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-osv-private.h"

#define OSV_MAX_FILE_SIZE (64u * 1024u * 1024u)
#define OSV_MAX_WALK_DEPTH 32 /* directory levels */

static gboolean
is_osv_file_name (const char *name)
{
	return tu_str_has_suffix_ci (name, ".json") || tu_str_has_suffix_ci (name, ".yaml") ||
	       tu_str_has_suffix_ci (name, ".yml");
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The files to import under @dir, sorted (records imported later replace earlier ones of the
 * same id, so the order must not depend on the file system). Hidden entries and symbolic
 * links to directories are not followed. */
static void
collect_files (const char *dir, guint depth, GPtrArray *files, TuWarnings *messages)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GDir) d = g_dir_open (dir, 0, &local);
	if (d == NULL) {
		tu_warnings_add (messages, dir, 0, NULL, "%s", local->message);
		return;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	while ((name = g_dir_read_name (d)) != NULL)
		if (name[0] != '.')
			g_ptr_array_add (names, g_strdup (name));
	g_ptr_array_sort (names, compare_names);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *child = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
		if (g_file_test (child, G_FILE_TEST_IS_DIR)) {
			if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
				continue;
			if (depth + 1 >= OSV_MAX_WALK_DEPTH) {
				tu_warnings_add (messages, child, 0, NULL,
						 "more than %u directory levels deep (not read)",
						 OSV_MAX_WALK_DEPTH);
				continue;
			}
			collect_files (child, depth + 1, files, messages);
		} else if (is_osv_file_name (g_ptr_array_index (names, i)) &&
			   g_file_test (child, G_FILE_TEST_IS_REGULAR)) {
			g_ptr_array_add (files, g_steal_pointer (&child));
		}
	}
}

gboolean
tu_osv_import (TuDb *db, const char *path, TuOsvImportStats *stats, TuWarnings *messages,
	       GError **error)
{
	g_return_val_if_fail (db != NULL && path != NULL && messages != NULL, FALSE);
	TuOsvImportStats local_stats;
	if (stats == NULL)
		stats = &local_stats;
	memset (stats, 0, sizeof *stats);

	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
	if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
		collect_files (path, 0, files, messages);
	} else if (g_file_test (path, G_FILE_TEST_EXISTS)) {
		g_ptr_array_add (files, g_strdup (path));
	} else {
		g_set_error (error, TU_ERROR, TU_ERROR_NOT_FOUND, "%s: no such file or directory",
			     path);
		return FALSE;
	}
	gboolean single = !g_file_test (path, G_FILE_TEST_IS_DIR);

	for (guint i = 0; i < files->len; i++) {
		const char *file = g_ptr_array_index (files, i);
		g_autofree char *shown = tu_utf8_clean (file, -1, 1024, NULL);
		g_autoptr(GError) local = NULL;
		g_autoptr(GBytes) bytes = tu_file_read (file, OSV_MAX_FILE_SIZE, &local);
		stats->n_files++;
		if (bytes == NULL) {
			if (single) {
				g_propagate_error (error, g_steal_pointer (&local));
				return FALSE;
			}
			stats->n_files_refused++;
			tu_warnings_add (messages, NULL, 0, NULL, "%s", local->message);
			continue;
		}
		g_autoptr(GPtrArray) records =
			g_ptr_array_new_with_free_func ((GDestroyNotify) tu_osv_record_free);
		g_autoptr(GPtrArray) rejected = g_ptr_array_new_with_free_func (g_free);
		gsize len = 0;
		const char *data = g_bytes_get_data (bytes, &len);
		if (!tu_osv_parse (data, len, shown, records, rejected, &local)) {
			stats->n_files_refused++;
			tu_warnings_add (messages, NULL, 0, NULL, "%s", local->message);
			continue;
		}
		stats->n_rejected += rejected->len;
		for (guint j = 0; j < rejected->len; j++)
			tu_warnings_add (messages, NULL, 0, NULL, "%s",
					 (const char *) g_ptr_array_index (rejected, j));
		for (guint j = 0; j < records->len; j++) {
			const TuOsvRecord *r = g_ptr_array_index (records, j);
			if (!tu_osv_store_record (db, r, shown, error)) {
				g_prefix_error (error, "%s: %s: ", shown, r->id);
				return FALSE;
			}
			stats->n_records++;
			stats->n_affected += r->affected->len;
			stats->n_git_ranges += r->n_git_ranges;
			for (guint k = 0; k < r->affected->len; k++) {
				const TuOsvAffected *a = g_ptr_array_index (r->affected, k);
				stats->n_invalid_versions += a->invalid_versions->len;
			}
			for (guint k = 0; k < r->warnings->len; k++)
				tu_warnings_add (messages, shown, 0, r->id, "%s",
						 (const char *) g_ptr_array_index (r->warnings, k));
		}
	}
	return TRUE;
}
