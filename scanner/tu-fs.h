/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The files of a target, whatever the transport. Sources ask for paths relative to the
 * target's root ("var/lib/dpkg/status") and get bytes; they never open files themselves.
 *
 *  - a root filesystem (the local machine "/", a mounted disk image, a container root): paths
 *    are resolved component by component as if the root were "/" (an absolute symlink inside
 *    an image points inside the image); a symlink whose ".." would leave the root is not
 *    followed. Paths are resolved to descriptors beneath a descriptor of the root and read
 *    from those (no check-then-reopen race). Anything but a regular file (a FIFO, a device)
 *    is refused without blocking. Nothing of the target is executed.
 *  - a snapshot: files streamed by the SSH collector, held in memory.
 *
 * Reads are bounded: a file larger than the cap is refused with a message, never read whole.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TuFs TuFs;

/* (transfer full) */
TuFs *tu_fs_new_root (const char *root, GError **error);
TuFs *tu_fs_new_snapshot (const char *description);
void tu_fs_free (TuFs *fs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuFs, tu_fs_free)

/* Add a file to a snapshot (parent directories are implied). */
void tu_fs_snapshot_add (TuFs *fs, const char *path, GBytes *data);

/* Read @path (relative to the root). NULL with TU_ERROR_NOT_FOUND when absent.
 * (transfer full) */
GBytes *tu_fs_read (TuFs *fs, const char *path, gsize max_size, GError **error);
/* Names in directory @path, sorted; NULL when it is not a directory. (transfer full) char* */
GPtrArray *tu_fs_list (TuFs *fs, const char *path);
gboolean tu_fs_is_dir (TuFs *fs, const char *path);
gboolean tu_fs_is_file (TuFs *fs, const char *path);
/* Size of a regular file, -1 when absent. */
gint64 tu_fs_file_size (TuFs *fs, const char *path);

/* Expand a glob of '/'-separated segments with shell wildcards per segment ("opt/ * /bin/java"
 * without the blanks; "**" matches any number of directories, up to @max_depth levels).
 * Returns matching paths, sorted. (transfer full) char* */
GPtrArray *tu_fs_glob (TuFs *fs, const char *pattern, guint max_depth);

/* The path as the user knows it, for messages: "/mnt/img/var/lib/dpkg/status" or
 * "web01:/var/lib/dpkg/status". (transfer full) */
char *tu_fs_display (TuFs *fs, const char *path);
/* TRUE for the real root "/" of this machine. */
gboolean tu_fs_is_local_root (TuFs *fs);
/* The root directory of a root filesystem, NULL for snapshots. (transfer none) */
const char *tu_fs_root (TuFs *fs);
/* Resolve with the component-by-component walk only, as on a kernel without openat2 (for
 * tests of that path). */
void tu_fs_set_walk_only (TuFs *fs, gboolean walk_only);

G_END_DECLS
