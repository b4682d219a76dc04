/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Normaliser benchmark: the time to load and compile the shipped rule set, the rate of first
 * sightings (every record a cache miss: the rules themselves), and the rate on a realistic
 * estate stream (few distinct strings repeated across hosts), with a plain hash-table lookup
 * of the same keys as the in-run reference. Medians of 5 runs.
 *
 * The distinct records are this machine's real dpkg packages plus real Windows and macOS names
 * from the rule tests, so the rule set is exercised on the strings it is written for.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tu-common.h"
#include "tu-normaliser.h"
#include "tu-rules.h"
#include "tu-sources.h"

static int
cmp_double (const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return (x > y) - (x < y);
}

static double
median (double *v, guint n)
{
	qsort (v, n, sizeof *v, cmp_double);
	return v[n / 2];
}

int
main (int argc, char **argv)
{
	guint64 stream_len = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 5000000;
	g_autoptr(GError) error = NULL;

	/* rule set load and compile */
	double loads[5];
	guint n_rules = 0;
	for (guint r = 0; r < 5; r++) {
		double t0 = tu_now_seconds ();
		g_autoptr(TuNormaliser) n = tu_normaliser_new (NULL, &error);
		if (n == NULL)
			g_error ("%s", error->message);
		loads[r] = tu_now_seconds () - t0;
		n_rules = tu_normaliser_n_rules (n);
	}
	printf ("rule set: %u rules loaded and compiled (JIT after 64 runs of a pattern) in %.1f ms "
		"(median of 5)\n",
		n_rules,
		median (loads, 5) * 1000);

	/* distinct records: this machine's packages and the rules' own test inputs */
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("bench");
	g_autoptr(TuFs) fs = tu_fs_new_root ("/", NULL);
	TuScanOptions opts = {0};
	tu_source_dpkg (fs, scan, &opts);
	g_autoptr(TuNormaliser) probe = tu_normaliser_new (NULL, &error);
	GPtrArray *tests = tu_rule_set_tests (tu_normaliser_get_rules (probe));
	for (guint i = 0; i < tests->len; i++) {
		const TuRuleTest *t = g_ptr_array_index (tests, i);
		TuRecord r = TU_RECORD_INIT;
		r.source = t->input.source ? t->input.source : TU_SOURCE_WINDOWS;
		r.raw_name = t->input.raw_name;
		r.raw_publisher = t->input.raw_publisher;
		r.raw_version = t->input.version;
		r.source_package = t->input.srcpkg;
		tu_record_list_add (scan->records, &r);
	}
	guint distinct = tu_record_list_len (scan->records);

	/* first sightings: every record goes through the rules; the in-run reference is the same
	 * records with the literal prefilter off (every rule tried, as before it) */
	double misses[5], plain[5];
	for (guint r = 0; r < 5; r++) {
		g_autoptr(TuNormaliser) n = tu_normaliser_new (NULL, &error);
		double t0 = tu_now_seconds ();
		for (guint i = 0; i < distinct; i++)
			tu_normaliser_apply (n, tu_record_list_get (scan->records, i));
		misses[r] = distinct / (tu_now_seconds () - t0);
		g_autoptr(TuNormaliser) n2 = tu_normaliser_new (NULL, &error);
		tu_rule_set_set_prefilter (tu_normaliser_get_rules (n2), FALSE);
		t0 = tu_now_seconds ();
		for (guint i = 0; i < distinct; i++)
			tu_normaliser_apply (n2, tu_record_list_get (scan->records, i));
		plain[r] = distinct / (tu_now_seconds () - t0);
	}
	double miss = median (misses, 5), miss_plain = median (plain, 5);
	printf ("first sightings (rules, no cache): %u distinct records, %.0f records/s "
		"(%u of %u rules prefiltered; every rule tried: %.0f records/s; ratio %.2f)\n",
		distinct, miss, tu_rule_set_n_prefiltered (tu_normaliser_get_rules (probe)),
		tu_normaliser_n_rules (probe), miss_plain, miss / miss_plain);

	/* an estate stream: the distinct records repeated, as hosts repeat them */
	g_autoptr(TuNormaliser) n = tu_normaliser_new (NULL, &error);
	for (guint i = 0; i < distinct; i++)
		tu_normaliser_apply (n, tu_record_list_get (scan->records, i));
	g_autoptr(GHashTable) ref = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < distinct; i++)
		g_hash_table_add (ref, (gpointer) tu_record_list_get (scan->records, i)->raw_name);
	double rates[5], refs[5];
	guint64 sink = 0;
	for (guint r = 0; r < 5; r++) {
		double t0 = tu_now_seconds ();
		for (guint64 i = 0; i < stream_len; i++) {
			const TuProduct *p = tu_normaliser_apply (n, tu_record_list_get (scan->records,
										  (guint) ((i * 7919) % distinct)));
			sink += p->is_licensable;
		}
		rates[r] = stream_len / (tu_now_seconds () - t0);
		t0 = tu_now_seconds ();
		for (guint64 i = 0; i < stream_len; i++)
			sink += g_hash_table_contains (ref, tu_record_list_get (scan->records,
										 (guint) ((i * 7919) % distinct))->raw_name);
		refs[r] = stream_len / (tu_now_seconds () - t0);
	}
	double rate = median (rates, 5), reference = median (refs, 5);
	printf ("estate stream: %" G_GUINT64_FORMAT " records over %u distinct: %.2f M records/s "
		"(a bare GHashTable lookup of the names: %.2f M/s; ratio %.2f)\n",
		stream_len, distinct, rate / 1e6, reference / 1e6, rate / reference);
	return sink == G_MAXUINT64;
}
