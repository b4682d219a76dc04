/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Importing distribution package indexes (see tu_pkgindex_import): every file is read,
 * decompressed and parsed first, and tied to its distribution release (--distro, or a Debian
 * index's Release file); only when all of them are read does one transaction replace the
 * index of each release they belong to. A bookworm host's index is the union of bookworm,
 * bookworm-updates and bookworm-security: give them in one call.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-pkgindex-store.h"
#include "tu-pkgindex.h"

/* "debian:12", "alpine:v3.18", "ubuntu:22.04" -> ("debian", "12"), ("alpine", "3.18"), ... */
static gboolean
parse_distro_option (const char *distro, char **id, char **release, GError **error)
{
	const char *colon = strchr (distro, ':');
	if (colon == NULL || colon == distro || colon[1] == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "--distro %s: give ID:RELEASE as os-release names them, e.g. "
			     "debian:12, ubuntu:22.04, alpine:3.18, almalinux:9",
			     distro);
		return FALSE;
	}
	g_autofree char *lower = g_ascii_strdown (distro, (gssize) (colon - distro));
	g_autofree char *key = tu_distro_release_key (lower, colon + 1);
	TuScheme scheme;
	if (key == NULL || !tu_distro_scheme (lower, &scheme)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "--distro %s: %s", distro,
			     key == NULL ? "the release does not start with a number"
					 : "not a distribution trueup knows the version scheme of");
		return FALSE;
	}
	*id = g_steal_pointer (&lower);
	*release = g_steal_pointer (&key);
	return TRUE;
}

/* The distribution release of the Debian index @path, from its Release file. */
static gboolean
release_of (const char *path, const char *shown, char **id, char **release, GError **error)
{
	g_autofree char *rfile = tu_pkgindex_find_release (path);
	if (rfile == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_NOT_FOUND,
			     "%s: no Release or InRelease file beside it tells its distribution "
			     "release: give --distro ID:RELEASE (e.g. debian:12)",
			     shown);
		return FALSE;
	}
	g_autoptr(GBytes) bytes = tu_file_read (rfile, 64u * 1024u * 1024u, error);
	if (bytes == NULL)
		return FALSE;
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	if (!tu_pkgindex_parse_release (rfile, data, len, id, release, error))
		return FALSE;
	TuScheme scheme;
	if (!tu_distro_scheme (*id, &scheme)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: Origin %s is not a distribution trueup knows: give --distro",
			     rfile, *id);
		g_clear_pointer (id, g_free);
		g_clear_pointer (release, g_free);
		return FALSE;
	}
	return TRUE;
}

/* A Release or InRelease file given as an index (a glob of apt's lists takes both): clear-
 * signed, or its first field one of a Release's. */
static gboolean
is_release_file (const char *data, gsize len)
{
	static const char *const starts[] = {"-----BEGIN PGP SIGNED MESSAGE", "Origin:", "Label:",
					     "Suite:", "Codename:"};
	for (guint i = 0; i < G_N_ELEMENTS (starts); i++) {
		gsize n = strlen (starts[i]);
		if (len >= n && memcmp (data, starts[i], n) == 0)
			return TRUE;
	}
	return FALSE;
}

gboolean
tu_pkgindex_import (TuDb *db, const char *distro, const char *const *paths,
		    TuPkgIndexImportStats *stats, TuWarnings *warnings, GError **error)
{
	g_return_val_if_fail (db != NULL && paths != NULL && warnings != NULL, FALSE);
	TuPkgIndexImportStats local_stats;
	if (stats == NULL)
		stats = &local_stats;
	memset (stats, 0, sizeof *stats);

	g_autofree char *opt_id = NULL;
	g_autofree char *opt_release = NULL;
	if (distro != NULL && !parse_distro_option (distro, &opt_id, &opt_release, error))
		return FALSE;

	/* "id\x1frelease" -> TuPkgIndexRelease*, in the order first seen */
	g_autoptr(GPtrArray) releases =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_pkgindex_release_free);
	g_autoptr(GHashTable) by_key =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; paths[i] != NULL; i++) {
		const char *path = paths[i];
		g_autofree char *shown = tu_utf8_clean (path, -1, 1024, NULL);
		g_autoptr(GBytes) raw = tu_file_read (path, TU_PKGINDEX_MAX_SIZE, error);
		if (raw == NULL)
			return FALSE;
		g_autoptr(GBytes) plain =
			tu_pkgindex_decompress (shown, raw, TU_PKGINDEX_MAX_SIZE, error);
		if (plain == NULL)
			return FALSE;
		g_clear_pointer (&raw, g_bytes_unref);
		gsize len = 0;
		const char *data = g_bytes_get_data (plain, &len);
		TuPkgIndexFormat format = tu_pkgindex_sniff (data, len);
		if (format == TU_PKGINDEX_DEB && is_release_file (data, len)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: a Release file, not a package index (give the Packages "
				     "files; their Release is read beside them)",
				     shown);
			return FALSE;
		}

		g_autofree char *id = g_strdup (opt_id);
		g_autofree char *release = g_strdup (opt_release);
		if (id == NULL) {
			if (format != TU_PKGINDEX_DEB) {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
					     "%s: an %s names no distribution release: give "
					     "--distro ID:RELEASE (e.g. %s)",
					     shown,
					     format == TU_PKGINDEX_APK ? "APKINDEX"
								       : "RPM repodata index",
					     format == TU_PKGINDEX_APK ? "alpine:3.18"
								       : "almalinux:9");
				return FALSE;
			}
			if (!release_of (path, shown, &id, &release, error))
				return FALSE;
		}
		g_autofree char *key = g_strdup_printf ("%s\x1f%s", id, release);
		TuPkgIndexRelease *r = g_hash_table_lookup (by_key, key);
		if (r == NULL) {
			r = tu_pkgindex_release_new (id, release, format);
			g_ptr_array_add (releases, r);
			g_hash_table_insert (by_key, g_steal_pointer (&key), r);
		} else if (r->format != format) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: a %s index, but an earlier file of %s %s is a %s index",
				     shown,
				     tu_pkgindex_format_to_string (format), id, release,
				     tu_pkgindex_format_to_string (r->format));
			return FALSE;
		}
		TuScheme expected = TU_SCHEME_GENERIC;
		tu_distro_scheme (id, &expected);
		TuScheme of_format = format == TU_PKGINDEX_APK	 ? TU_SCHEME_APK
				     : format == TU_PKGINDEX_RPM ? TU_SCHEME_RPM
								 : TU_SCHEME_DPKG;
		if (expected != of_format) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: a %s index cannot be %s's (its packages are %s)", shown,
				     tu_pkgindex_format_to_string (format), id,
				     tu_scheme_to_string (expected));
			return FALSE;
		}
		g_autoptr(GPtrArray) entries =
			g_ptr_array_new_with_free_func ((GDestroyNotify) tu_pkgindex_entry_free);
		guint n_warnings = warnings->len;
		if (!tu_pkgindex_parse (format, shown, data, len, entries, warnings, error))
			return FALSE;
		stats->n_files++;
		stats->n_records += entries->len;
		stats->n_refused += warnings->len - n_warnings;
		g_ptr_array_add (r->files, g_strdup (shown));
		/* the entries move to the release (which drops a version it has already) */
		g_ptr_array_set_free_func (entries, NULL);
		for (guint j = 0; j < entries->len; j++)
			tu_pkgindex_release_add (r, g_ptr_array_index (entries, j));
	}
	for (guint i = 0; i < releases->len; i++) {
		const TuPkgIndexRelease *r = g_ptr_array_index (releases, i);
		stats->n_packages += r->entries->len;
	}
	if (!tu_pkgindex_store_replace (db, releases, error))
		return FALSE;
	stats->n_releases = releases->len;
	return TRUE;
}
