/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fuzz harnesses outside a fuzzing build: a main that feeds LLVMFuzzerTestOneInput every
 * file named on the command line, and every regular file of a directory named there, once
 * each, in name order. Each input is handed over in a buffer of exactly its size, as libFuzzer
 * does. A normal build links every harness with this and runs it over its seeds in
 * tests/fuzz/NAME (meson test --suite replay), so a harness that no longer compiles breaks the
 * build, and a seed that crashes or trips a harness's check fails a test, without clang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
replay_file (const char *path, guint *n)
{
	g_autofree char *contents = NULL;
	gsize len = 0;
	g_autoptr (GError) error = NULL;
	if (!g_file_get_contents (path, &contents, &len, &error)) {
		fprintf (stderr, "%s\n", error->message);
		return FALSE;
	}
	/* exactly len bytes, no terminating NUL, so a read past the end is a read past the end */
	uint8_t *exact = g_malloc (len > 0 ? len : 1);
	memcpy (exact, contents, len);
	LLVMFuzzerTestOneInput (exact, len);
	g_free (exact);
	(*n)++;
	return TRUE;
}

static int
by_name (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
replay_dir (const char *path, guint *n)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
	if (dir == NULL) {
		fprintf (stderr, "%s\n", error->message);
		return FALSE;
	}
	g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	while ((name = g_dir_read_name (dir)) != NULL)
		g_ptr_array_add (names, g_build_filename (path, name, NULL));
	g_ptr_array_sort (names, by_name);
	for (guint i = 0; i < names->len; i++) {
		const char *file = g_ptr_array_index (names, i);
		if (g_file_test (file, G_FILE_TEST_IS_REGULAR) && !replay_file (file, n))
			return FALSE;
	}
	return TRUE;
}

int
main (int argc, char **argv)
{
	guint n = 0;
	if (argc < 2) {
		fprintf (stderr, "usage: %s SEED-FILE-OR-DIRECTORY...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		gboolean ok = g_file_test (argv[i], G_FILE_TEST_IS_DIR) ? replay_dir (argv[i], &n)
									: replay_file (argv[i], &n);
		if (!ok)
			return 1;
	}
	if (n == 0) {
		fprintf (stderr, "%s: no inputs\n", argv[0]);
		return 1;
	}
	printf ("%u inputs replayed\n", n);
	return 0;
}
