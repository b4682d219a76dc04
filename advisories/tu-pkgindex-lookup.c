/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The package indexes patch judges by (see TuPkgIndexSet in tu-pkgindex.h): for each
 * distribution release whose index is imported, the binary packages its hosts have -> the
 * distinct versions the index has of each, compared with the distribution's scheme (dpkg, rpm,
 * apk). Read from the store once, before judging, a thousand names a query: memory and time
 * follow the distinct packages installed, not the size of the index (a whole Debian 12 amd64
 * index is ~66,000 versions). Strings live in one GStringChunk per set.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-pkgindex.h"
#include "tu-query.h"
#include "tu-version.h"

typedef struct {
	char *distro;
	char *release;
	char *label; /* "debian 12" */
	TuScheme scheme;
	GHashTable *wanted;  /* names asked for (chunk) */
	GHashTable *by_name; /* name (chunk) -> GPtrArray of versions (chunk) */
} Index;

struct _TuPkgIndexSet {
	GHashTable *indexes; /* "distro\x1frelease" -> Index*, one per stored release */
	GStringChunk *strings;
};

static void
index_free (Index *ix)
{
	g_free (ix->distro);
	g_free (ix->release);
	g_free (ix->label);
	g_hash_table_unref (ix->wanted);
	g_hash_table_unref (ix->by_name);
	g_free (ix);
}

TuPkgIndexSet *
tu_pkgindex_set_new (void)
{
	TuPkgIndexSet *set = g_new0 (TuPkgIndexSet, 1);
	set->indexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					      (GDestroyNotify) index_free);
	set->strings = g_string_chunk_new (64 * 1024);
	return set;
}

void
tu_pkgindex_set_free (TuPkgIndexSet *set)
{
	if (set == NULL)
		return;
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
tu_pkgindex_set_prepare (TuPkgIndexSet *set, TuDb *db, GError **error)
{
	char **r;
	GError *local = NULL;
	g_autoptr(TuRows) rows = tu_query_pkgindex_releases (db);
	while ((r = tu_rows_next (rows, &local)) != NULL) {
		TuScheme scheme;
		if (!tu_distro_scheme (r[TU_Q_PIR_DISTRO], &scheme))
			continue;
		Index *ix = g_new0 (Index, 1);
		ix->distro = g_strdup (r[TU_Q_PIR_DISTRO]);
		ix->release = g_strdup (r[TU_Q_PIR_RELEASE]);
		ix->label = g_strdup_printf ("%s %s", ix->distro, ix->release);
		ix->scheme = scheme;
		ix->wanted = g_hash_table_new (g_str_hash, g_str_equal);
		ix->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
						     (GDestroyNotify) g_ptr_array_unref);
		g_hash_table_insert (set->indexes,
				     g_strdup_printf ("%s\x1f%s", ix->distro, ix->release), ix);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	return TRUE;
}

gboolean
tu_pkgindex_set_is_empty (TuPkgIndexSet *set)
{
	return g_hash_table_size (set->indexes) == 0;
}

void
tu_pkgindex_set_want (TuPkgIndexSet *set, const char *os_id, const char *version_id,
		      const char *name)
{
	g_autofree char *key = host_key (os_id, version_id);
	Index *ix = key ? g_hash_table_lookup (set->indexes, key) : NULL;
	if (ix != NULL && name != NULL && !g_hash_table_contains (ix->wanted, name))
		g_hash_table_add (ix->wanted, g_string_chunk_insert_const (set->strings, name));
}

/* One query's rows into @ix. */
static gboolean
load_rows (TuPkgIndexSet *set, Index *ix, TuRows *rows, GError **error)
{
	char **r;
	GError *local = NULL;
	while ((r = tu_rows_next (rows, &local)) != NULL) {
		const char *name = r[TU_Q_PI_NAME];
		const char *version = r[TU_Q_PI_VERSION];
		GPtrArray *versions = g_hash_table_lookup (ix->by_name, name);
		if (versions == NULL) {
			versions = g_ptr_array_new ();
			char *kept = g_string_chunk_insert_const (set->strings, name);
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

gboolean
tu_pkgindex_set_load (TuPkgIndexSet *set, TuDb *db, GError **error)
{
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init (&it, set->indexes);
	while (g_hash_table_iter_next (&it, NULL, &value)) {
		Index *ix = value;
		g_autofree const char **names =
			(const char **) g_hash_table_get_keys_as_array (ix->wanted, NULL);
		guint n = g_hash_table_size (ix->wanted);
		for (guint from = 0; from < n; from += TU_QUERY_MAX_IDS) {
			guint batch = MIN (n - from, TU_QUERY_MAX_IDS);
			g_autoptr(TuRows) rows = tu_query_pkgindex_of (db, ix->distro, ix->release,
								       names + from, batch);
			if (!load_rows (set, ix, rows, error))
				return FALSE;
		}
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
