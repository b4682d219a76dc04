/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Target filesystems; see tu-fs.h. Root paths are resolved by hand, one component at a time
 * with lstat/readlink, so that symlinks are interpreted relative to the target's root and ".."
 * can never climb out of it (as chroot would, without privileges or executing anything).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-fs.h"

#define MAX_SYMLINK_HOPS 40

struct _TuFs {
	char *root;	   /* NULL for a snapshot */
	char *description; /* snapshot: "web01" */
	GHashTable *files; /* snapshot: path -> GBytes */
	GHashTable *dirs;  /* snapshot: dir -> GHashTable of child names */
};

TuFs *
tu_fs_new_root (const char *root, GError **error)
{
	struct stat st;
	if (stat (root, &st) != 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, saved == ENOENT ? TU_ERROR_NOT_FOUND : TU_ERROR_IO,
			     "root %s: %s", root, g_strerror (saved));
		return NULL;
	}
	if (!S_ISDIR (st.st_mode)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "root %s: not a directory", root);
		return NULL;
	}
	TuFs *fs = g_new0 (TuFs, 1);
	fs->root = g_canonicalize_filename (root, NULL);
	return fs;
}

TuFs *
tu_fs_new_snapshot (const char *description)
{
	TuFs *fs = g_new0 (TuFs, 1);
	fs->description = g_strdup (description);
	fs->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					   (GDestroyNotify) g_bytes_unref);
	fs->dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					  (GDestroyNotify) g_hash_table_unref);
	return fs;
}

void
tu_fs_free (TuFs *fs)
{
	if (fs == NULL)
		return;
	g_free (fs->root);
	g_free (fs->description);
	if (fs->files != NULL)
		g_hash_table_unref (fs->files);
	if (fs->dirs != NULL)
		g_hash_table_unref (fs->dirs);
	g_free (fs);
}

const char *
tu_fs_root (TuFs *fs)
{
	return fs->root;
}

gboolean
tu_fs_is_local_root (TuFs *fs)
{
	return fs->root != NULL && g_strcmp0 (fs->root, "/") == 0;
}

/* "a//b/./c/" -> "a/b/c"; NULL when ".." would leave the root */
static char *
normalise_rel (const char *path)
{
	g_auto(GStrv) parts = g_strsplit (path, "/", -1);
	g_autoptr(GPtrArray) stack = g_ptr_array_new ();
	for (guint i = 0; parts[i] != NULL; i++) {
		if (*parts[i] == '\0' || g_strcmp0 (parts[i], ".") == 0)
			continue;
		if (g_strcmp0 (parts[i], "..") == 0) {
			if (stack->len == 0)
				return NULL;
			g_ptr_array_remove_index (stack, stack->len - 1);
			continue;
		}
		g_ptr_array_add (stack, parts[i]);
	}
	g_ptr_array_add (stack, NULL);
	return g_strjoinv ("/", (char **) stack->pdata);
}

char *
tu_fs_display (TuFs *fs, const char *path)
{
	g_autofree char *rel = normalise_rel (path);
	if (fs->root != NULL)
		return g_build_filename (fs->root, rel ? rel : path, NULL);
	return g_strdup_printf ("%s:/%s", fs->description, rel ? rel : path);
}

/* Resolve @path under the root; the real path, or NULL (errno set) when it does not exist or
 * a symlink would leave the root. */
static char *
resolve (TuFs *fs, const char *path)
{
	g_autoptr(GQueue) todo = g_queue_new ();
	g_auto(GStrv) parts = g_strsplit (path, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (*parts[i] != '\0')
			g_queue_push_tail (todo, g_strdup (parts[i]));
	}
	g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
	guint hops = 0;
	while (!g_queue_is_empty (todo)) {
		g_autofree char *comp = g_queue_pop_head (todo);
		if (g_strcmp0 (comp, ".") == 0)
			continue;
		if (g_strcmp0 (comp, "..") == 0) {
			if (stack->len == 0) {
				while (!g_queue_is_empty (todo))
					g_free (g_queue_pop_head (todo));
				errno = EXDEV; /* would leave the root */
				return NULL;
			}
			g_ptr_array_remove_index (stack, stack->len - 1);
			continue;
		}
		g_ptr_array_add (stack, g_strdup (comp));
		g_ptr_array_add (stack, NULL);
		g_autofree char *joined = g_strjoinv ("/", (char **) stack->pdata);
		g_ptr_array_remove_index (stack, stack->len - 1);
		g_autofree char *real = g_build_filename (fs->root, joined, NULL);
		struct stat st;
		if (lstat (real, &st) != 0) {
			while (!g_queue_is_empty (todo))
				g_free (g_queue_pop_head (todo));
			return NULL;
		}
		if (!S_ISLNK (st.st_mode))
			continue;
		if (++hops > MAX_SYMLINK_HOPS) {
			while (!g_queue_is_empty (todo))
				g_free (g_queue_pop_head (todo));
			errno = ELOOP;
			return NULL;
		}
		char target[4096];
		ssize_t n = readlink (real, target, sizeof target - 1);
		if (n < 0) {
			while (!g_queue_is_empty (todo))
				g_free (g_queue_pop_head (todo));
			return NULL;
		}
		target[n] = '\0';
		g_ptr_array_remove_index (stack, stack->len - 1);
		if (target[0] == '/')
			g_ptr_array_set_size (stack, 0);
		g_auto(GStrv) tparts = g_strsplit (target, "/", -1);
		for (gint i = (gint) g_strv_length (tparts) - 1; i >= 0; i--) {
			if (*tparts[i] != '\0')
				g_queue_push_head (todo, g_strdup (tparts[i]));
		}
	}
	g_ptr_array_add (stack, NULL);
	g_autofree char *joined = g_strjoinv ("/", (char **) stack->pdata);
	return g_build_filename (fs->root, joined, NULL);
}

static void
snapshot_add_dirs (TuFs *fs, const char *path)
{
	g_autofree char *p = g_strdup (path);
	for (;;) {
		char *slash = strrchr (p, '/');
		const char *child = slash ? slash + 1 : p;
		g_autofree char *parent = slash ? g_strndup (p, (gsize) (slash - p)) : g_strdup ("");
		GHashTable *children = g_hash_table_lookup (fs->dirs, parent);
		gboolean existed = children != NULL;
		if (children == NULL) {
			children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
			g_hash_table_insert (fs->dirs, g_strdup (parent), children);
		}
		g_hash_table_add (children, g_strdup (child));
		if (existed || slash == NULL)
			break;
		*slash = '\0';
	}
}

void
tu_fs_snapshot_add (TuFs *fs, const char *path, GBytes *data)
{
	g_return_if_fail (fs->files != NULL);
	g_autofree char *rel = normalise_rel (path);
	if (rel == NULL || *rel == '\0')
		return;
	g_hash_table_replace (fs->files, g_strdup (rel), g_bytes_ref (data));
	snapshot_add_dirs (fs, rel);
}

GBytes *
tu_fs_read (TuFs *fs, const char *path, gsize max_size, GError **error)
{
	if (fs->files != NULL) {
		g_autofree char *rel = normalise_rel (path);
		GBytes *b = rel ? g_hash_table_lookup (fs->files, rel) : NULL;
		if (b == NULL) {
			g_autofree char *shown = tu_fs_display (fs, path);
			g_set_error (error, TU_ERROR, TU_ERROR_NOT_FOUND, "%s: not found", shown);
			return NULL;
		}
		if (max_size > 0 && g_bytes_get_size (b) > max_size) {
			g_autofree char *shown = tu_fs_display (fs, path);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: %" G_GSIZE_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
				     " allowed",
				     shown, g_bytes_get_size (b), max_size);
			return NULL;
		}
		return g_bytes_ref (b);
	}
	g_autofree char *real = resolve (fs, path);
	if (real == NULL) {
		int saved = errno;
		g_autofree char *shown = tu_fs_display (fs, path);
		if (saved == EXDEV)
			g_set_error (error, TU_ERROR, TU_ERROR_IO,
				     "%s: a symlink leads out of the root; not followed", shown);
		else
			g_set_error (error, TU_ERROR,
				     saved == ENOENT || saved == ENOTDIR ? TU_ERROR_NOT_FOUND : TU_ERROR_IO,
				     "%s: %s", shown, g_strerror (saved));
		return NULL;
	}
	g_autoptr(GError) local = NULL;
	GBytes *b = tu_file_read (real, max_size, &local);
	if (b == NULL) {
		g_autofree char *shown = tu_fs_display (fs, path);
		const char *msg = local->message;
		/* tu_file_read names the real path; show the path as the user knows it */
		const char *colon = g_str_has_prefix (msg, real) ? msg + strlen (real) : NULL;
		g_set_error (error, local->domain, local->code, "%s%s", shown,
			     colon ? colon : msg);
		return NULL;
	}
	return b;
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
tu_fs_list (TuFs *fs, const char *path)
{
	if (fs->files != NULL) {
		g_autofree char *rel = normalise_rel (path);
		GHashTable *children = rel ? g_hash_table_lookup (fs->dirs, rel) : NULL;
		if (children == NULL)
			return NULL;
		GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
		GHashTableIter iter;
		gpointer k;
		g_hash_table_iter_init (&iter, children);
		while (g_hash_table_iter_next (&iter, &k, NULL))
			g_ptr_array_add (out, g_strdup (k));
		g_ptr_array_sort (out, cmp_str);
		return out;
	}
	g_autofree char *real = resolve (fs, path);
	if (real == NULL)
		return NULL;
	g_autoptr(GDir) dir = g_dir_open (real, 0, NULL);
	if (dir == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	while ((name = g_dir_read_name (dir)) != NULL)
		g_ptr_array_add (out, g_strdup (name));
	g_ptr_array_sort (out, cmp_str);
	return out;
}

static int
stat_mode (TuFs *fs, const char *path, gint64 *size)
{
	if (fs->files != NULL) {
		g_autofree char *rel = normalise_rel (path);
		if (rel == NULL)
			return 0;
		GBytes *b = g_hash_table_lookup (fs->files, rel);
		if (b != NULL) {
			if (size)
				*size = (gint64) g_bytes_get_size (b);
			return S_IFREG;
		}
		return g_hash_table_contains (fs->dirs, rel) ? S_IFDIR : 0;
	}
	g_autofree char *real = resolve (fs, path);
	struct stat st;
	if (real == NULL || stat (real, &st) != 0)
		return 0;
	if (size)
		*size = st.st_size;
	return (int) (st.st_mode & S_IFMT);
}

gboolean
tu_fs_is_dir (TuFs *fs, const char *path)
{
	return stat_mode (fs, path, NULL) == S_IFDIR;
}

gboolean
tu_fs_is_file (TuFs *fs, const char *path)
{
	return stat_mode (fs, path, NULL) == S_IFREG;
}

gint64
tu_fs_file_size (TuFs *fs, const char *path)
{
	gint64 size = -1;
	if (stat_mode (fs, path, &size) != S_IFREG)
		return -1;
	return size;
}

static gboolean
has_wildcard (const char *s)
{
	return strpbrk (s, "*?[") != NULL;
}

static void
glob_step (TuFs *fs, const char *base, char **segs, guint i, guint depth, guint max_depth,
	   GPtrArray *out, GHashTable *seen)
{
	if (segs[i] == NULL) {
		if (!g_hash_table_contains (seen, base)) {
			g_hash_table_add (seen, g_strdup (base));
			g_ptr_array_add (out, g_strdup (base));
		}
		return;
	}
	const char *seg = segs[i];
	if (g_strcmp0 (seg, "**") == 0) {
		/* zero directories ... */
		glob_step (fs, base, segs, i + 1, depth, max_depth, out, seen);
		if (depth >= max_depth)
			return;
		/* ... or one more, then ** again */
		g_autoptr(GPtrArray) names = tu_fs_list (fs, *base ? base : ".");
		for (guint n = 0; names != NULL && n < names->len; n++) {
			g_autofree char *next = *base ? g_strdup_printf ("%s/%s", base,
									 (char *) g_ptr_array_index (names, n))
						      : g_strdup (g_ptr_array_index (names, n));
			if (tu_fs_is_dir (fs, next))
				glob_step (fs, next, segs, i, depth + 1, max_depth, out, seen);
		}
		return;
	}
	if (!has_wildcard (seg)) {
		g_autofree char *next = *base ? g_strdup_printf ("%s/%s", base, seg) : g_strdup (seg);
		if (segs[i + 1] == NULL ? stat_mode (fs, next, NULL) != 0 : tu_fs_is_dir (fs, next))
			glob_step (fs, next, segs, i + 1, depth, max_depth, out, seen);
		return;
	}
	g_autoptr(GPtrArray) names = tu_fs_list (fs, *base ? base : ".");
	for (guint n = 0; names != NULL && n < names->len; n++) {
		const char *name = g_ptr_array_index (names, n);
		if (name[0] == '.' && seg[0] != '.')
			continue;
		if (fnmatch (seg, name, 0) != 0)
			continue;
		g_autofree char *next = *base ? g_strdup_printf ("%s/%s", base, name) : g_strdup (name);
		if (segs[i + 1] != NULL && !tu_fs_is_dir (fs, next))
			continue;
		glob_step (fs, next, segs, i + 1, depth, max_depth, out, seen);
	}
}

GPtrArray *
tu_fs_glob (TuFs *fs, const char *pattern, guint max_depth)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) raw = g_strsplit (pattern, "/", -1);
	g_autoptr(GPtrArray) segs = g_ptr_array_new ();
	for (guint i = 0; raw[i] != NULL; i++) {
		if (*raw[i] != '\0' && g_strcmp0 (raw[i], ".") != 0)
			g_ptr_array_add (segs, raw[i]);
	}
	g_ptr_array_add (segs, NULL);
	glob_step (fs, "", (char **) segs->pdata, 0, 0, max_depth, out, seen);
	g_ptr_array_sort (out, cmp_str);
	return out;
}
