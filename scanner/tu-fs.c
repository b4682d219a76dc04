/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Target filesystems; see tu-fs.h. A root filesystem holds a descriptor of its root, and every
 * path is resolved from it to a descriptor that is then read, listed or stat'ed: nothing is
 * checked by name and reopened later, so a tree changing under the scan (a live container
 * root, a hostile user swapping a directory for a symlink) cannot make a read leave the root.
 *
 * The fast path is one openat2 (RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, Linux 5.6+). Where it
 * is missing (ENOSYS) or refuses what the image means (an absolute symlink, which inside an
 * image means the image's own "/"), the path is walked one component at a time with
 * openat (O_NOFOLLOW) from descriptors of the directories already checked; symlinks are read
 * with readlinkat and interpreted relative to the root, and ".." pops a descriptor off the
 * walk's own stack instead of asking the filesystem, so it can never climb out of the root
 * (as chroot would, without privileges or executing anything).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-fs.h"

#define MAX_SYMLINK_HOPS 40

struct _TuFs {
	char *root;	   /* NULL for a snapshot */
	int root_fd;	   /* O_PATH descriptor of the root; -1 for a snapshot */
	gboolean no_openat2; /* the kernel has none (or a test asked for the walk) */
	char *description; /* snapshot: "web01" */
	GHashTable *files; /* snapshot: path -> GBytes */
	GHashTable *dirs;  /* snapshot: dir -> GHashTable of child names */
};

TuFs *
tu_fs_new_root (const char *root, GError **error)
{
	struct stat st;
	/* the root itself is named by the user: a symlink to it is followed */
	int fd = open (root, O_PATH | O_CLOEXEC);
	if (fd < 0 || fstat (fd, &st) != 0) {
		int saved = errno;
		if (fd >= 0)
			close (fd);
		g_set_error (error, TU_ERROR, saved == ENOENT ? TU_ERROR_NOT_FOUND : TU_ERROR_IO,
			     "root %s: %s", root, g_strerror (saved));
		return NULL;
	}
	if (!S_ISDIR (st.st_mode)) {
		close (fd);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "root %s: not a directory", root);
		return NULL;
	}
	TuFs *fs = g_new0 (TuFs, 1);
	fs->root = g_canonicalize_filename (root, NULL);
	fs->root_fd = fd;
	return fs;
}

TuFs *
tu_fs_new_snapshot (const char *description)
{
	TuFs *fs = g_new0 (TuFs, 1);
	fs->root_fd = -1;
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
	if (fs->root_fd >= 0)
		close (fs->root_fd);
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

void
tu_fs_set_walk_only (TuFs *fs, gboolean walk_only)
{
	fs->no_openat2 = walk_only;
}

static void
close_stack (GArray *stack)
{
	for (guint i = 0; i < stack->len; i++)
		close (g_array_index (stack, int, i));
	g_array_set_size (stack, 0);
}

/* Push the components of a symlink's target onto @todo (in order). */
static gboolean
push_link (int dirfd, const char *name, GQueue *todo, GArray *stack)
{
	char target[4096];
	ssize_t n = readlinkat (dirfd, name, target, sizeof target - 1);
	if (n < 0)
		return FALSE;
	target[n] = '\0';
	if (target[0] == '/')
		close_stack (stack); /* the image's own "/" */
	g_auto(GStrv) tparts = g_strsplit (target, "/", -1);
	for (gint i = (gint) g_strv_length (tparts) - 1; i >= 0; i--) {
		if (*tparts[i] != '\0')
			g_queue_push_head (todo, g_strdup (tparts[i]));
	}
	return TRUE;
}

/* The walk: one component at a time from descriptors already checked. */
static int
open_walk (TuFs *fs, const char *path, int flags)
{
	g_autoptr(GQueue) todo = g_queue_new ();
	g_auto(GStrv) parts = g_strsplit (path, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (*parts[i] != '\0')
			g_queue_push_tail (todo, g_strdup (parts[i]));
	}
	g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (int));
	guint hops = 0;
	int result = -1, saved = 0;
	if (g_queue_is_empty (todo))
		g_queue_push_tail (todo, g_strdup ("."));
	while (!g_queue_is_empty (todo)) {
		g_autofree char *comp = g_queue_pop_head (todo);
		gboolean last = g_queue_is_empty (todo);
		int dirfd = stack->len ? g_array_index (stack, int, stack->len - 1) : fs->root_fd;
		if (g_strcmp0 (comp, ".") == 0 && !last)
			continue;
		if (g_strcmp0 (comp, "..") == 0) {
			if (stack->len == 0) {
				saved = EXDEV; /* would leave the root */
				break;
			}
			close (g_array_index (stack, int, stack->len - 1));
			g_array_set_size (stack, stack->len - 1);
			if (!last)
				continue;
			comp[0] = '.', comp[1] = '\0';
			dirfd = stack->len ? g_array_index (stack, int, stack->len - 1) : fs->root_fd;
		}
		int fd;
		if (last)
			fd = openat (dirfd, comp, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
		else
			fd = openat (dirfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && (flags & O_PATH) != 0 && last) {
			/* O_PATH | O_NOFOLLOW opens a symlink itself */
			struct stat st;
			if (fstat (fd, &st) == 0 && S_ISLNK (st.st_mode)) {
				close (fd);
				fd = -1;
				errno = ELOOP;
			}
		}
		if (fd >= 0) {
			if (last) {
				result = fd;
				break;
			}
			g_array_append_val (stack, fd);
			continue;
		}
		saved = errno;
		if (saved != ELOOP && saved != ENOTDIR && saved != EMLINK)
			break;
		/* a symlink (or really not a directory): interpret it ourselves */
		if (++hops > MAX_SYMLINK_HOPS) {
			saved = ELOOP;
			break;
		}
		if (!push_link (dirfd, comp, todo, stack))
			break; /* not a symlink: the first error stands */
		saved = 0;
	}
	close_stack (stack);
	while (!g_queue_is_empty (todo))
		g_free (g_queue_pop_head (todo));
	if (result < 0)
		errno = saved ? saved : ENOENT;
	return result;
}

/* Open @path beneath the root with @flags (O_RDONLY | O_NONBLOCK to read, O_DIRECTORY to
 * list, O_PATH to stat); -1 with errno set, EXDEV when the path would leave the root. */
static int
open_beneath (TuFs *fs, const char *path, int flags)
{
	if (!fs->no_openat2) {
		/* no lexical clean-up: ".." after a symlinked directory is that directory's parent,
		 * which the kernel knows */
		const char *rel = path;
		while (*rel == '/')
			rel++;
		struct open_how how = {
			/* openat2 refuses O_PATH with any flag it ignores */
			.flags = (guint64) (flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY)),
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
		};
		int fd = (int) syscall (SYS_openat2, fs->root_fd, *rel ? rel : ".", &how, sizeof how);
		if (fd >= 0)
			return fd;
		if (errno == ENOSYS || errno == EPERM)
			fs->no_openat2 = TRUE; /* no openat2 here (or a seccomp filter refuses it) */
		else if (errno != EXDEV && errno != ELOOP && errno != EAGAIN)
			return -1;
		/* EXDEV: an absolute symlink (the image's "/") or a ".." past the root: the walk
		 * tells which */
	}
	return open_walk (fs, path, flags);
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
	int fd = open_beneath (fs, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
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
	/* read from the descriptor that was resolved: a FIFO or a device is refused by fstat */
	g_autofree char *shown = tu_fs_display (fs, path);
	return tu_file_read_fd (fd, shown, max_size, error);
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
	int fd = open_beneath (fs, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return NULL;
	DIR *dir = fdopendir (fd);
	if (dir == NULL) {
		close (fd);
		return NULL;
	}
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	struct dirent *de;
	while ((de = readdir (dir)) != NULL) {
		if (g_strcmp0 (de->d_name, ".") != 0 && g_strcmp0 (de->d_name, "..") != 0)
			g_ptr_array_add (out, g_strdup (de->d_name));
	}
	closedir (dir);
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
	int fd = open_beneath (fs, path, O_PATH);
	struct stat st;
	if (fd < 0)
		return 0;
	int rc = fstat (fd, &st);
	close (fd);
	if (rc != 0)
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
