/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the GLib test programs: where the project's sources and the shared reference
 * data are, and temporary directories that clean up after themselves. Header-only: tests
 * include it, the libraries never do.
 */
#pragma once

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "tu-util.h"

/* A file of the source tree: $TU_SOURCE_ROOT/REL (set by meson test), else under the tree this
 * build was configured from (a test or benchmark run by hand). (transfer full) */
static inline char *
tu_test_source_path (const char *rel)
{
	const char *root = g_getenv ("TU_SOURCE_ROOT");
	if (root != NULL && *root != '\0')
		return g_build_filename (root, rel, NULL);
	g_autofree char *configured = g_path_get_dirname (TU_SOURCE_DATADIR);
	return g_build_filename (configured, rel, NULL);
}

/* A file of the shared reference data (../shared/data next to the repository, or
 * $TU_SHARED_DATA). NULL when the data is not on this machine. (transfer full) */
static inline char *
tu_test_shared_path (const char *rel)
{
	const char *candidates[] = {g_getenv ("TU_SHARED_DATA"), NULL, "/work/shared/data"};
	g_autofree char *beside = NULL;
	const char *root = g_getenv ("TU_SOURCE_ROOT");
	if (root != NULL)
		beside = g_build_filename (root, "..", "shared", "data", NULL);
	candidates[1] = beside;
	for (guint i = 0; i < G_N_ELEMENTS (candidates); i++) {
		if (candidates[i] == NULL)
			continue;
		g_autofree char *p = g_build_filename (candidates[i], rel, NULL);
		if (g_file_test (p, G_FILE_TEST_EXISTS))
			return g_steal_pointer (&p);
	}
	return NULL;
}

/* Read a whole test file or fail the test. (transfer full) */
static inline GBytes *
tu_test_read (const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GMappedFile) mf = g_mapped_file_new (path, FALSE, &error);
	g_assert_no_error (error);
	return g_mapped_file_get_bytes (mf);
}

/* A fresh temporary directory, removed (recursively) by tu_test_rmtree. (transfer full) */
static inline char *
tu_test_mkdtemp (void)
{
	g_autoptr(GError) error = NULL;
	char *dir = g_dir_make_tmp ("trueup-test-XXXXXX", &error);
	g_assert_no_error (error);
	return dir;
}

static inline void
tu_test_rmtree (const char *path)
{
	tu_remove_tree (path);
}

/* Write @contents to DIR/REL, creating parent directories. */
static inline void
tu_test_write (const char *dir, const char *rel, const char *contents, gssize len)
{
	g_autofree char *path = g_build_filename (dir, rel, NULL);
	g_autofree char *parent = g_path_get_dirname (path);
	g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
	g_autoptr(GError) error = NULL;
	g_file_set_contents (path, contents, len, &error);
	g_assert_no_error (error);
}
