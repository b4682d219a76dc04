/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file access of a target: a root filesystem confines every path to the root (absolute
 * symlinks resolve inside the image, ".." never climbs out, a link loop is an error rather than
 * a hang), also while the tree is being changed under the scan, and with the openat2 fast path
 * as with the component walk used where the kernel has none; a FIFO or a device is refused
 * without blocking; reads are capped, and snapshots answer the same questions from memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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
test_root_confinement (gconstpointer walk_only)
{
	g_autofree char *root = make_tree ();
	g_autoptr(GError) error = NULL;
	g_autoptr(TuFs) fs = tu_fs_new_root (root, &error);
	g_assert_no_error (error);
	tu_fs_set_walk_only (fs, GPOINTER_TO_INT (walk_only));

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

/* A FIFO where a source expects a file (var/lib/dpkg/status, etc/os-release) is refused at
 * once with a message naming it; it used to block in open() forever. The alarm turns a hang
 * into a failure with a reason. */
static void
test_fifo_refused (gconstpointer walk_only)
{
	g_autofree char *root = make_tree ();
	g_autofree char *fifo = g_build_filename (root, "etc", "os-release", NULL);
	g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
	g_autofree char *link = g_build_filename (root, "etc", "fifo-link", NULL);
	g_assert_cmpint (symlink ("/etc/os-release", link), ==, 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(TuFs) fs = tu_fs_new_root (root, &error);
	g_assert_no_error (error);
	tu_fs_set_walk_only (fs, GPOINTER_TO_INT (walk_only));
	alarm (20);
	const char *paths[] = {"etc/os-release", "etc/fifo-link"};
	for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
		g_autoptr(GBytes) b = tu_fs_read (fs, paths[i], 1024, &error);
		g_assert_null (b);
		g_assert_error (error, TU_ERROR, TU_ERROR_IO);
		g_assert_nonnull (strstr (error->message, "FIFO"));
		g_assert_nonnull (strstr (error->message, "refused"));
		g_clear_error (&error);
	}
	g_assert_false (tu_fs_is_file (fs, "etc/os-release"));
	/* the same for a file named by the user (--import, a licence CSV) */
	g_autoptr(GBytes) direct = tu_file_read (fifo, 1024, &error);
	g_assert_null (direct);
	g_assert_nonnull (error);
	g_assert_nonnull (strstr (error->message, "FIFO"));
	g_clear_error (&error);
	/* and a directory */
	g_autoptr(GBytes) dir = tu_fs_read (fs, "etc", 1024, &error);
	g_assert_null (dir);
	g_assert_nonnull (strstr (error->message, "directory"));
	alarm (0);
	tu_test_rmtree (root);
}

typedef struct {
	char *a;
	char *b;
	gint stop;
	guint n_swaps;
} Swapper;

static gpointer
swap_thread (gpointer data)
{
	Swapper *sw = data;
	while (!g_atomic_int_get (&sw->stop)) {
		if (renameat2 (AT_FDCWD, sw->a, AT_FDCWD, sw->b, RENAME_EXCHANGE) == 0)
			sw->n_swaps++;
	}
	return NULL;
}

/* The race the old check-by-name-then-reopen lost: a thread keeps swapping the root's "etc"
 * directory with a symlink to a directory outside the root (an atomic exchange, as a hostile
 * container would) while the scan reads etc/os-release in a loop. Every read must give the
 * root's file or an error, never the outside one. Bounded in time; it also checks that both
 * states were actually seen, so a run where the swapper never ran cannot pass unnoticed. */
static void
test_root_race (gconstpointer walk_only)
{
	g_autofree char *base = tu_test_mkdtemp ();
	g_autofree char *root = g_build_filename (base, "root", NULL);
	g_autofree char *outside = g_build_filename (base, "outside", "etc", NULL);
	g_autofree char *inside = g_build_filename (root, "etc", NULL);
	g_assert_cmpint (g_mkdir_with_parents (outside, 0755), ==, 0);
	g_assert_cmpint (g_mkdir_with_parents (inside, 0755), ==, 0);
	g_autofree char *secret = g_build_filename (outside, "os-release", NULL);
	g_assert_true (g_file_set_contents (secret, "ID=outside\n", -1, NULL));
	g_autofree char *mine = g_build_filename (inside, "os-release", NULL);
	g_assert_true (g_file_set_contents (mine, "ID=inside\n", -1, NULL));
	/* relative and absolute escapes both: "etc.swap" -> /abs/outside/etc */
	g_autofree char *swap = g_build_filename (root, "etc.swap", NULL);
	g_assert_cmpint (symlink (outside, swap), ==, 0);

	g_autoptr(GError) error = NULL;
	g_autoptr(TuFs) fs = tu_fs_new_root (root, &error);
	g_assert_no_error (error);
	tu_fs_set_walk_only (fs, GPOINTER_TO_INT (walk_only));

	Swapper sw = {.a = inside, .b = swap};
	GThread *t = g_thread_new ("swapper", swap_thread, &sw);
	guint n_inside = 0, n_refused = 0, n_outside = 0, n_reads = 0;
	gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC / 2;
	while (g_get_monotonic_time () < deadline && n_outside == 0) {
		g_autoptr(GError) local = NULL;
		g_autoptr(GBytes) b = tu_fs_read (fs, "etc/os-release", 4096, &local);
		n_reads++;
		if (b == NULL) {
			n_refused++;
			continue;
		}
		if (g_strstr_len (g_bytes_get_data (b, NULL), (gssize) g_bytes_get_size (b),
				  "outside") != NULL)
			n_outside++;
		else
			n_inside++;
	}
	g_atomic_int_set (&sw.stop, 1);
	g_thread_join (t);
	g_test_message ("%u reads: %u inside, %u refused, %u outside; %u swaps", n_reads, n_inside,
			n_refused, n_outside, sw.n_swaps);
	g_assert_cmpuint (n_outside, ==, 0);
	g_assert_cmpuint (sw.n_swaps, >, 100);
	g_assert_cmpuint (n_inside, >, 0);
	g_assert_cmpuint (n_refused, >, 0);
	tu_test_rmtree (base);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_data_func ("/fs/root-confinement", GINT_TO_POINTER (FALSE), test_root_confinement);
	g_test_add_data_func ("/fs/root-confinement-walk", GINT_TO_POINTER (TRUE),
			      test_root_confinement);
	g_test_add_data_func ("/fs/fifo-refused", GINT_TO_POINTER (FALSE), test_fifo_refused);
	g_test_add_data_func ("/fs/fifo-refused-walk", GINT_TO_POINTER (TRUE), test_fifo_refused);
	g_test_add_data_func ("/fs/root-race", GINT_TO_POINTER (FALSE), test_root_race);
	g_test_add_data_func ("/fs/root-race-walk", GINT_TO_POINTER (TRUE), test_root_race);
	g_test_add_func ("/fs/missing-root", test_missing_root);
	g_test_add_func ("/fs/snapshot", test_snapshot);
	return g_test_run ();
}
