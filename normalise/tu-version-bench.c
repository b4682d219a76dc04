/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark of tu_version_compare: comparisons per second for dpkg, rpm, semver, dotted and
 * pep440 over the reference pairs of tests/data/version-pairs-*.tsv (dotted has no file of
 * its own and uses the semver pairs, which are dotted numbers), with strcmp over the same
 * pairs as the yardstick measured in the same run, so that the ratio means something on
 * any machine. Each figure is the median of 5 runs. Prints, per scheme:
 *   dpkg: 12.3 M cmp/s (strcmp 150 M/s, ratio 0.08)
 * Run by `meson benchmark`; it asserts nothing about time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tu-test-util.h"
#include "tu-version.h"

#define N_RUNS	    5
#define MIN_SECONDS 0.1 /* per run */

typedef struct {
	GPtrArray *a; /* (element-type utf8) */
	GPtrArray *b;
} Pairs;

/* The pairs of one reference file, skipping those the reference tool refused. */
static gboolean
load_pairs (const char *name, Pairs *out, GError **error)
{
	g_autofree char *rel = g_strdup_printf ("tests/data/version-pairs-%s.tsv", name);
	g_autofree char *path = tu_test_source_path (rel);
	g_autofree char *contents = NULL;
	g_auto (GStrv) lines = NULL;

	if (!g_file_get_contents (path, &contents, NULL, error))
		return FALSE;
	out->a = g_ptr_array_new_with_free_func (g_free);
	out->b = g_ptr_array_new_with_free_func (g_free);
	lines = g_strsplit (contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto (GStrv) fields = NULL;
		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		fields = g_strsplit (lines[i], "\t", -1);
		if (g_strv_length (fields) != 3 || g_str_equal (fields[2], "error"))
			continue;
		g_ptr_array_add (out->a, g_strdup (fields[0]));
		g_ptr_array_add (out->b, g_strdup (fields[1]));
	}
	return TRUE;
}

static void
pairs_clear (Pairs *p)
{
	g_clear_pointer (&p->a, g_ptr_array_unref);
	g_clear_pointer (&p->b, g_ptr_array_unref);
}

static volatile long sink;

static int
cmp_strcmp (TuScheme scheme, const char *a, const char *b)
{
	return strcmp (a, b);
}

typedef int (*CompareFunc) (TuScheme scheme, const char *a, const char *b);

/* Comparisons per second of one run: whole passes over the pairs for MIN_SECONDS. */
static double
run_once (CompareFunc func, TuScheme scheme, const Pairs *p)
{
	const char **a = (const char **)p->a->pdata;
	const char **b = (const char **)p->b->pdata;
	guint n = p->a->len;
	guint64 n_cmp = 0;
	gint64 start = g_get_monotonic_time ();
	gint64 elapsed;
	long acc = 0;

	do {
		for (guint i = 0; i < n; i++)
			acc += func (scheme, a[i], b[i]);
		n_cmp += n;
		elapsed = g_get_monotonic_time () - start;
	} while (elapsed < (gint64)(MIN_SECONDS * G_USEC_PER_SEC));
	sink += acc;
	return (double)n_cmp / ((double)elapsed / G_USEC_PER_SEC);
}

static int
cmp_double (const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static double
median_rate (CompareFunc func, TuScheme scheme, const Pairs *p)
{
	double rates[N_RUNS];
	for (guint i = 0; i < N_RUNS; i++)
		rates[i] = run_once (func, scheme, p);
	qsort (rates, N_RUNS, sizeof rates[0], cmp_double);
	return rates[N_RUNS / 2];
}

int
main (int argc, char **argv)
{
	static const struct {
		TuScheme scheme;
		const char *file;
	} benches[] = {
	    {TU_SCHEME_DPKG, "dpkg"},	   {TU_SCHEME_RPM, "rpm"},
	    {TU_SCHEME_SEMVER, "semver"},  {TU_SCHEME_DOTTED, "semver"},
	    {TU_SCHEME_PEP440, "pep440"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS (benches); i++) {
		g_autoptr (GError) error = NULL;
		Pairs p = {NULL, NULL};
		double rate, ref;

		if (!load_pairs (benches[i].file, &p, &error)) {
			g_printerr ("tu-version-bench: %s\n", error->message);
			return EXIT_FAILURE;
		}
		/* warm the caches and the branch predictors once */
		(void)run_once (tu_version_compare, benches[i].scheme, &p);
		rate = median_rate (tu_version_compare, benches[i].scheme, &p);
		ref = median_rate (cmp_strcmp, benches[i].scheme, &p);
		g_print ("%s: %.1f M cmp/s (strcmp %.0f M/s, ratio %.2f) over %u pairs%s\n",
			 tu_scheme_to_string (benches[i].scheme), rate / 1e6, ref / 1e6, rate / ref,
			 p.a->len,
			 benches[i].scheme == TU_SCHEME_DOTTED ? " of version-pairs-semver.tsv"
							       : "");
		pairs_clear (&p);
	}
	return EXIT_SUCCESS;
}
