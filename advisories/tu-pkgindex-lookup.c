/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The package indexes patch judges by (see TuPkgIndexSet in tu-pkgindex.h): for each
 * distribution release its hosts run and whose index is imported, binary package name -> the
 * distinct versions the index has of it, compared with the distribution's scheme (dpkg, rpm,
 * apk). Read from the store once, before judging; memory follows the index (a whole Debian 12
 * amd64 index is ~66,000 versions), not the estate. Strings live in one GStringChunk per set.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-pkgindex.h"
#include "tu-query.h"
#include "tu-version.h"

typedef struct {
	char *label; /* "debian 12" */
	TuScheme scheme;
	GHashTable *by_name; /* name (chunk) -> GPtrArray of versions (chunk) */
} Index;

struct _TuPkgIndexSet {
	gboolean have_releases;
	GHashTable *stored;  /* "distro\x1frelease" of every imported release */
	GHashTable *indexes; /* "distro\x1frelease" -> Index* (loaded) */
	GStringChunk *strings;
};

static void
index_free (Index *ix)
{
	g_free (ix->label);
	g_hash_table_unref (ix->by_name);
	g_free (ix);
}

TuPkgIndexSet *
tu_pkgindex_set_new (void)
{
	TuPkgIndexSet *set = g_new0 (TuPkgIndexSet, 1);
	set->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	set->indexes =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
				       (GDestroyNotify) index_free);
	set->strings = g_string_chunk_new (64 * 1024);
	return set;
}

void
tu_pkgindex_set_free (TuPkgIndexSet *set)
{
	if (set == NULL)
		return;
	g_hash_table_unref (set->stored);
	g_hash_table_unref (set->indexes);
	g_string_chunk_free (set->strings);
	g_free (set);
}

/* "distro\x1frelease" of a host, NULL when its release has no key. (transfer full) */
static char *
host_key (const char *os_id, const char *version_id)
{
	if (os_id == NULL)
		return NULL;
	g_autofree char *release = tu_distro_release_key (os_id, version_id);
	return release ? g_strdup_printf ("%s\x1f%s", os_id, release) : NULL;
}

gboolean
tu_pkgindex_set_load (TuPkgIndexSet *set, TuDb *db, const char *os_id, const char *version_id,
		      GError **error)
{
	char **r;
	GError *local = NULL;
	if (!set->have_releases) {
		g_autoptr(TuRows) rows = tu_query_pkgindex_releases (db);
		while ((r = tu_rows_next (rows, &local)) != NULL)
			g_hash_table_add (set->stored,
					  g_strdup_printf ("%s\x1f%s", r[TU_Q_PIR_DISTRO],
							   r[TU_Q_PIR_RELEASE]));
		if (local != NULL) {
			g_propagate_error (error, local);
			return FALSE;
		}
		set->have_releases = TRUE;
	}
	g_autofree char *key = host_key (os_id, version_id);
	TuScheme scheme;
	if (key == NULL || !g_hash_table_contains (set->stored, key) ||
	    g_hash_table_contains (set->indexes, key) || !tu_distro_scheme (os_id, &scheme))
		return TRUE;
	g_autofree char *release = tu_distro_release_key (os_id, version_id);
	Index *ix = g_new0 (Index, 1);
	ix->label = g_strdup_printf ("%s %s", os_id, release);
	ix->scheme = scheme;
	ix->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
					     (GDestroyNotify) g_ptr_array_unref);
	g_hash_table_insert (set->indexes, g_steal_pointer (&key), ix);
	g_autoptr(TuRows) rows = tu_query_pkgindex (db, os_id, release);
	while ((r = tu_rows_next (rows, &local)) != NULL) {
		const char *name = r[TU_Q_PI_NAME];
		const char *version = r[TU_Q_PI_VERSION];
		GPtrArray *versions = g_hash_table_lookup (ix->by_name, name);
		if (versions == NULL) {
			versions = g_ptr_array_new ();
			char *kept = g_string_chunk_insert (set->strings, name);
			g_hash_table_insert (ix->by_name, kept, versions);
		}
		/* the same version of another architecture ("all" and "amd64") counts once */
		gboolean dup = FALSE;
		for (guint i = 0; i < versions->len && !dup; i++)
			dup = strcmp (g_ptr_array_index (versions, i), version) == 0;
		if (!dup)
			g_ptr_array_add (versions,
					 g_string_chunk_insert_const (set->strings, version));
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

TuPkgIndexLookup
tu_pkgindex_set_lookup (TuPkgIndexSet *set, const char *os_id, const char *version_id,
			const char *name, const char *installed, char **latest, gint *behind,
			gboolean *listed, char **label)
{
	*latest = NULL;
	*behind = -1;
	*listed = FALSE;
	*label = NULL;
	g_autofree char *key = host_key (os_id, version_id);
	Index *ix = key ? g_hash_table_lookup (set->indexes, key) : NULL;
	if (ix == NULL)
		return TU_PKGINDEX_NO_INDEX;
	*label = g_strdup (ix->label);
	GPtrArray *versions = name ? g_hash_table_lookup (ix->by_name, name) : NULL;
	if (versions == NULL || versions->len == 0)
		return TU_PKGINDEX_NOT_LISTED;
	const char *newest = NULL;
	for (guint i = 0; i < versions->len; i++) {
		const char *v = g_ptr_array_index (versions, i);
		if (newest == NULL || tu_version_compare (ix->scheme, v, newest) > 0)
			newest = v;
	}
	gboolean comparable =
		installed != NULL && tu_version_validate (ix->scheme, installed, NULL);
	if (comparable) {
		gint n_newer = 0;
		for (guint i = 0; i < versions->len; i++) {
			const char *v = g_ptr_array_index (versions, i);
			int cmp = tu_version_compare (ix->scheme, v, installed);
			n_newer += cmp > 0;
			*listed = *listed || cmp == 0;
		}
		*behind = n_newer;
		/* a version above every one the index has is the newest known */
		if (tu_version_compare (ix->scheme, installed, newest) > 0)
			newest = installed;
	}
	*latest = g_strdup (newest);
	return TU_PKGINDEX_LISTED;
}
