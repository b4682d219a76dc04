/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dpkg benchmark: parsing a real status file against `dpkg-query -W` printing the same
 * database, in the same run (medians of 7). The status file is this machine's, or the one
 * given as argument; a copy trimmed to its first 1,000 packages is timed too, as the issue
 * asks for a 1,000-package status.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static int
cmp_double (const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return (x > y) - (x < y);
}

/* the first @n stanzas of @text */
static GString *
first_packages (const char *text, guint n)
{
	GString *out = g_string_new (NULL);
	const char *p = text;
	for (guint i = 0; i < n && *p; i++) {
		const char *end = strstr (p, "\n\n");
		const char *stop = end ? end + 2 : p + strlen (p);
		g_string_append_len (out, p, stop - p);
		p = stop;
	}
	return out;
}

static void
time_both (const char *admindir, const char *status, gsize len, const char *label)
{
	double ours[7], theirs[7];
	guint n = 0;
	for (guint r = 0; r < 7; r++) {
		double t0 = tu_now_seconds ();
		g_autoptr(TuHostScan) scan = tu_host_scan_new ("bench");
		g_autoptr(GError) error = NULL;
		if (!tu_dpkg_parse_status (status, len, "status", scan, &error))
			g_error ("%s", error->message);
		ours[r] = tu_now_seconds () - t0;
		n = tu_record_list_len (scan->records);
		g_autofree char *arg = g_strdup_printf ("--admindir=%s", admindir);
		const char *argv[] = {"dpkg-query", arg, "-W", NULL};
		t0 = tu_now_seconds ();
		g_autofree char *out = NULL;
		g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
			      NULL, NULL, &out, NULL, NULL, NULL);
		theirs[r] = tu_now_seconds () - t0;
	}
	qsort (ours, 7, sizeof (double), cmp_double);
	qsort (theirs, 7, sizeof (double), cmp_double);
	printf ("%s: %u packages: parse %.3f ms, dpkg-query -W %.3f ms: %.0f x faster\n", label, n,
		ours[3] * 1000, theirs[3] * 1000, theirs[3] / ours[3]);
}

int
main (int argc, char **argv)
{
	const char *status_path = argc > 1 ? argv[1] : "/var/lib/dpkg/status";
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = tu_file_read (status_path, 0, &error);
	if (bytes == NULL) {
		printf ("dpkg bench: %s\n", error->message);
		return 0;
	}
	g_autofree char *dir = g_path_get_dirname (status_path);
	time_both (dir, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "this machine");
	/* a 1,000-package admindir */
	g_autofree char *tmp = tu_test_mkdtemp ();
	g_autoptr(GString) thousand = first_packages (g_bytes_get_data (bytes, NULL), 1000);
	tu_test_write (tmp, "status", thousand->str, (gssize) thousand->len);
	g_autofree char *upd = g_build_filename (tmp, "updates", NULL);
	g_mkdir (upd, 0755);
	time_both (tmp, thousand->str, thousand->len, "first 1,000 packages");
	tu_test_rmtree (tmp);
	return 0;
}
