/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file access of a target: a root filesystem confines every path to the root (absolute
 * symlinks resolve inside the image, ".." never climbs out, a link loop is an error rather than
 * a hang), reads are capped, and snapshots answer the same questions from memory.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-fs.h"
#include "tu-test-util.h"

static char *
make_tree (void)
{
	char *root = tu_test_mkdtemp ();
	g_autofree char *etc = g_build_filename (root, "etc", NULL);
	g_autofree char *lib = g_build_filename (root, "usr", "lib", "app", NULL);
	g_assert_cmpint (g_mkdir_with_parents (etc, 0755), ==, 0);
	g_assert_cmpint (g_mkdir_with_parents (lib, 0755), ==, 0);
	g_autofree char *hostname = g_build_filename (etc, "hostname", NULL);
	g_assert_true (g_file_set_contents (hostname, "inside\n", -1, NULL));
	g_autofree char *big = g_build_filename (lib, "big", NULL);
	g_autofree char *data = g_strnfill (10000, 'x');
	g_assert_true (g_file_set_contents (big, data, -1, NULL));
	/* an absolute link: inside the image it means the image's /etc/hostname */
	g_autofree char *abs = g_build_filename (root, "abs-link", NULL);
	g_assert_cmpint (symlink ("/etc/hostname", abs), ==, 0);
	/* a relative link that climbs past the root */
	g_autofree char *climb = g_build_filename (lib, "climb", NULL);
	g_assert_cmpint (symlink ("../../../../../../../../etc/hostname", climb), ==, 0);
	/* a directory link and a loop */
	g_autofree char *dlink = g_build_filename (root, "lib-link", NULL);
	g_assert_cmpint (symlink ("usr/lib", dlink), ==, 0);
	g_autofree char *l1 = g_build_filename (root, "loop1", NULL);
	g_autofree char *l2 = g_build_filename (root, "loop2", NULL);
	g_assert_cmpint (symlink ("loop2", l1), ==, 0);
	g_assert_cmpint (symlink ("loop1", l2), ==, 0);
	return root;
}

static char *
read_text (TuFs *fs, const char *path, GError **error)
{
	g_autoptr(GBytes) b = tu_fs_read (fs, path, 1 << 20, error);
	if (b == NULL)
		return NULL;
	return g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

static void
test_root_confinement (void)
{
	g_autofree char *root = make_tree ();
	g_autoptr(GError) error = NULL;
	g_autoptr(TuFs) fs = tu_fs_new_root (root, &error);
	g_assert_no_error (error);

	g_autofree char *plain = read_text (fs, "etc/hostname", &error);
	g_assert_no_error (error);
	g_assert_cmpstr (plain, ==, "inside\n");
	/* the absolute link resolves inside the root, not to this machine's /etc/hostname */
	g_autofree char *abs = read_text (fs, "abs-link", &error);
	g_assert_no_error (error);
	g_assert_cmpstr (abs, ==, "inside\n");
	/* ".." stops at the root: the climbing link lands on the image's /etc/hostname or is
	 * refused, and never reads this machine's */
	g_autofree char *climb = read_text (fs, "usr/lib/app/climb", &error);
	if (climb != NULL)
		g_assert_cmpstr (climb, ==, "inside\n");
	g_clear_error (&error);
	/* the caller's own ".." is confined too */
	g_autofree char *dots = read_text (fs, "../../../../etc/hostname", &error);
	if (dots != NULL)
		g_assert_cmpstr (dots, ==, "inside\n");
	g_clear_error (&error);
	/* directory links are followed inside the root */
	g_assert_true (tu_fs_is_dir (fs, "lib-link/app"));
	g_assert_cmpint (tu_fs_file_size (fs, "lib-link/app/big"), ==, 10000);
	/* a loop is an error, not a hang */
	g_autoptr(GBytes) loop = tu_fs_read (fs, "loop1", 1024, &error);
	g_assert_null (loop);
	g_assert_nonnull (error);
	g_clear_error (&error);
	/* absent files say so */
	g_autoptr(GBytes) none = tu_fs_read (fs, "etc/absent", 1024, &error);
	g_assert_null (none);
	g_assert_error (error, TU_ERROR, TU_ERROR_NOT_FOUND);
	g_clear_error (&error);
	/* reads are capped, with the path in the message */
	g_autoptr(GBytes) capped = tu_fs_read (fs, "usr/lib/app/big", 100, &error);
	g_assert_null (capped);
	g_assert_nonnull (error);
	g_assert_nonnull (strstr (error->message, "big"));
	g_clear_error (&error);
	/* listing is sorted; globs expand per segment */
	g_autoptr(GPtrArray) names = tu_fs_list (fs, "usr/lib/app");
	g_assert_nonnull (names);
	g_assert_cmpuint (names->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "big");
	g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "climb");
	g_autoptr(GPtrArray) hits = tu_fs_glob (fs, "usr/*/app/big", 4);
	g_assert_cmpuint (hits->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (hits, 0), ==, "usr/lib/app/big");
	g_autoptr(GPtrArray) deep = tu_fs_glob (fs, "**/big", 6);
	g_assert_cmpuint (deep->len, >=, 1);
	g_autofree char *shown = tu_fs_display (fs, "etc/hostname");
	g_assert_true (g_str_has_prefix (shown, root));
	g_assert_false (tu_fs_is_local_root (fs));
	tu_test_rmtree (root);
}

static void
test_missing_root (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuFs) fs = tu_fs_new_root ("/nonexistent/trueup-root", &error);
	g_assert_null (fs);
	g_assert_nonnull (error);
	g_assert_nonnull (strstr (error->message, "/nonexistent/trueup-root"));
}

static void
test_snapshot (void)
{
	g_autoptr(TuFs) fs = tu_fs_new_snapshot ("web01");
	g_autoptr(GBytes) b = g_bytes_new_static ("Package: a\n", 11);
	tu_fs_snapshot_add (fs, "var/lib/dpkg/status", b);
	g_assert_true (tu_fs_is_dir (fs, "var/lib/dpkg"));
	g_assert_true (tu_fs_is_file (fs, "var/lib/dpkg/status"));
	g_assert_false (tu_fs_is_file (fs, "var/lib/dpkg"));
	g_assert_cmpint (tu_fs_file_size (fs, "var/lib/dpkg/status"), ==, 11);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) got = tu_fs_read (fs, "var/lib/dpkg/status", 100, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (g_bytes_get_size (got), ==, 11);
	g_autoptr(GBytes) none = tu_fs_read (fs, "etc/os-release", 100, &error);
	g_assert_null (none);
	g_assert_error (error, TU_ERROR, TU_ERROR_NOT_FOUND);
	g_autofree char *shown = tu_fs_display (fs, "var/lib/dpkg/status");
	g_assert_cmpstr (shown, ==, "web01:/var/lib/dpkg/status");
	g_assert_null (tu_fs_root (fs));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/fs/root-confinement", test_root_confinement);
	g_test_add_func ("/fs/missing-root", test_missing_root);
	g_test_add_func ("/fs/snapshot", test_snapshot);
	return g_test_run ();
}
