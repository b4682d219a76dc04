/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Patch matching against the embedded store (tu_patch_run): advisories apply by the
 * ecosystem the installation belongs to and are compared with that ecosystem's versions. A
 * Debian 12 host's binary package is judged by its source package's "Debian:12" records with
 * dpkg's ordering (vulnerable below the fix, clean at or above it), a Debian 11 host with the
 * same package is not judged by Debian 12's records, a PyPI package by its PyPI records with
 * PEP 440 and its CVE alias on CISA's list marks it known-exploited. Each verdict gives the
 * advisory ids, the version that fixes them all and the severity. Paid extended support
 * bought through an entitlement (RHEL 7's ELS for the hosts of a group) makes the OS and its
 * distribution packages security-only until the entitlement's end, and only there.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog.h"
#include "tu-common.h"
#include "tu-licence-store.h"
#include "tu-osv.h"
#include "tu-patch.h"
#include "tu-patch-extended.h"
#include "tu-store.h"
#include "tu-test-store.h"

static char *dir = NULL;

static char *
write_file (const char *name, const char *text)
{
	char *path = g_build_filename (dir, name, NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true (g_file_set_contents (path, text, -1, &error));
	g_assert_no_error (error);
	return path;
}

static void
add (TuHostScan *scan, TuSource source, const char *name, const char *version,
     const char *source_package)
{
	TuRecord r = TU_RECORD_INIT;
	r.source = source;
	r.raw_name = name;
	r.raw_version = version;
	r.source_package = source_package;
	tu_record_list_add (scan->records, &r);
}

static void
store_host (TuStore *store, const char *name, const char *os_version, gboolean with_pip)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("import:test");
	tu_host_facts_set (&scan->facts.hostname, name);
	tu_host_facts_set (&scan->facts.os_id, "debian");
	tu_host_facts_set (&scan->facts.os_name, "Debian GNU/Linux");
	tu_host_facts_set (&scan->facts.os_version_id, os_version);
	add (scan, TU_SOURCE_DPKG, "libssl3", "3.0.11-1~deb12u2", "openssl");
	add (scan, TU_SOURCE_DPKG, "curl", "7.88.1-10+deb12u5", "curl");
	if (with_pip) {
		add (scan, TU_SOURCE_PIP, "requests", "2.25.0", NULL);
		add (scan, TU_SOURCE_PIP, "urllib3", "1.26.5", NULL);
		add (scan, TU_SOURCE_PIP, "Jinja2", "2.11.2", NULL);
	}
	TuStoreStats st;
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_store_host_scan (store, scan, &st, &error));
	g_assert_no_error (error);
}

static const char advisories_json[] =
	"[{\"schema_version\": \"1.6.0\", \"id\": \"DSA-5764-1\", \"modified\": "
	"\"2024-09-03T00:00:00Z\", \"aliases\": [\"CVE-2024-5535\"], \"affected\": [{\"package\": "
	"{\"ecosystem\": \"Debian:12\", \"name\": \"openssl\"}, \"ranges\": [{\"type\": "
	"\"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": "
	"\"3.0.14-1~deb12u1\"}]}]}]},\n"
	" {\"schema_version\": \"1.6.0\", \"id\": \"DSA-5742-1\", \"modified\": "
	"\"2024-07-24T00:00:00Z\", \"aliases\": [\"CVE-2024-6197\"], \"affected\": [{\"package\": "
	"{\"ecosystem\": \"Debian:12\", \"name\": \"curl\"}, \"ranges\": [{\"type\": "
	"\"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": "
	"\"7.88.1-10+deb12u5\"}]}]}]},\n"
	" {\"schema_version\": \"1.6.0\", \"id\": \"GHSA-j8r2-6x86-q33q\", \"modified\": "
	"\"2023-05-26T00:00:00Z\", \"aliases\": [\"CVE-2023-32681\"], \"severity\": [{\"type\": "
	"\"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N\"}], "
	"\"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"requests\"}, "
	"\"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"2.3.0\"}, "
	"{\"fixed\": \"2.31.0\"}]}]}]},\n"
	/* a PyPI record with no severity of its own, and another feed's record of the same CVE
	 * (an AlmaLinux one, for its python3-urllib3) with its label: the label is used, named */
	" {\"schema_version\": \"1.6.0\", \"id\": \"PYSEC-2023-192\", \"modified\": "
	"\"2023-10-02T00:00:00Z\", \"aliases\": [\"CVE-2023-43804\"], \"affected\": "
	"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"urllib3\"}, \"ranges\": "
	"[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": "
	"\"1.26.17\"}]}]}]},\n"
	" {\"schema_version\": \"1.6.0\", \"id\": \"ALSA-TEST-0001\", \"modified\": "
	"\"2023-11-01T00:00:00Z\", \"summary\": \"Moderate: python-urllib3 security update\", "
	"\"related\": [\"CVE-2023-43804\"], \"affected\": [{\"package\": {\"ecosystem\": "
	"\"AlmaLinux:9\", \"name\": \"python3-urllib3\"}, \"ranges\": [{\"type\": "
	"\"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": "
	"\"1.26.5-3.el9_3.1\"}]}]}]},\n"
	/* no severity anywhere for its CVE: unknown, saying where it looked */
	" {\"schema_version\": \"1.6.0\", \"id\": \"PYSEC-2021-66\", \"modified\": "
	"\"2021-03-22T16:34:00Z\", \"aliases\": [\"CVE-2020-28493\"], \"affected\": "
	"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"jinja2\"}, \"ranges\": "
	"[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": "
	"\"2.11.3\"}]}]}]}]\n";

static const char kev_json[] =
	"{\"title\": \"CISA Catalog of Known Exploited Vulnerabilities\", \"catalogVersion\": "
	"\"2024.01.02\", \"count\": 1, \"vulnerabilities\": [{\"cveID\": \"CVE-2023-32681\", "
	"\"vendorProject\": \"Python\", \"product\": \"requests\", \"vulnerabilityName\": "
	"\"Requests header leak\", \"dateAdded\": \"2024-01-02\", \"shortDescription\": \"x\", "
	"\"requiredAction\": \"Update\", \"dueDate\": \"2024-01-23\", "
	"\"knownRansomwareCampaignUse\": \"Unknown\", \"notes\": \"\"}]}\n";

typedef struct {
	GHashTable *rows;    /* "host/raw_name" -> "vulns|fixed_in|kev|severity" */
	GHashTable *sources; /* "host/raw_name" -> severity_source */
} Collected;

static gboolean
collect (const TuPatchRow *row, gpointer user_data, GError **error)
{
	Collected *c = user_data;
	g_hash_table_insert (c->rows, g_strdup_printf ("%s/%s", row->host, row->raw_name),
			     g_strdup_printf ("%s|%s|%s|%s", row->vuln_ids ? row->vuln_ids : "",
					      row->fixed_in ? row->fixed_in : "",
					      row->kev ? "kev" : "-",
					      row->severity ? row->severity : ""));
	g_hash_table_insert (c->sources, g_strdup_printf ("%s/%s", row->host, row->raw_name),
			     g_strdup (row->severity_source ? row->severity_source : ""));
	return TRUE;
}

static void
test_matching_by_ecosystem (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new (NULL, &error);
	g_assert_no_error (error);
	{
		g_autoptr(TuStore) store = tu_store_new (db, norm);
		store_host (store, "deb12", "12", TRUE);
		store_host (store, "deb11", "11", FALSE);
	}
	g_autofree char *osv = write_file ("advisories.json", advisories_json);
	g_autofree char *kev = write_file ("kev.json", kev_json);
	TuOsvImportStats ost = {0};
	g_autoptr(TuWarnings) messages = tu_warnings_new ();
	g_assert_true (tu_osv_import (db, osv, &ost, messages, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (messages->len, ==, 0);
	g_assert_cmpuint (ost.n_records, ==, 6);
	guint n_kev = 0;
	g_assert_true (tu_kev_import (db, kev, &n_kev, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (n_kev, ==, 1);

	Collected c = {g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
		       g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free)};
	TuPatchOptions opts = {.sorted = TRUE};
	g_assert_true (tu_date_parse ("2024-10-01", &opts.at, "at", NULL));
	TuPatchStats st;
	g_assert_true (tu_patch_run (db, &opts, collect, &c, &st, &error));
	g_assert_no_error (error);

	/* below Debian 12's fix: vulnerable, fixed by the DSA's version */
	g_assert_cmpstr (g_hash_table_lookup (c.rows, "deb12/libssl3"), ==,
			 "DSA-5764-1|3.0.14-1~deb12u1|-|unknown");
	/* at the fix: covered by an advisory, not vulnerable */
	const char *curl = g_hash_table_lookup (c.rows, "deb12/curl");
	g_assert_nonnull (curl);
	if (!g_str_has_prefix (curl, "||-|"))
		g_error ("curl: %s", curl);
	/* PyPI by PEP 440, known-exploited through its CVE alias, severity from CVSS v3 */
	g_assert_cmpstr (g_hash_table_lookup (c.rows, "deb12/requests"), ==,
			 "GHSA-j8r2-6x86-q33q|2.31.0|kev|medium");
	/* no severity of its own: another feed's label for the same CVE, named */
	g_assert_cmpstr (g_hash_table_lookup (c.rows, "deb12/urllib3"), ==,
			 "PYSEC-2023-192|1.26.17|-|medium");
	g_assert_cmpstr (g_hash_table_lookup (c.sources, "deb12/urllib3"), ==,
			 "summary label Moderate of ALSA-TEST-0001, which shares CVE-2023-43804 "
			 "(PYSEC-2023-192)");
	/* none anywhere: unknown, naming the aliases looked for */
	g_assert_cmpstr (g_hash_table_lookup (c.rows, "deb12/Jinja2"), ==,
			 "PYSEC-2021-66|2.11.3|-|unknown");
	g_assert_cmpstr (g_hash_table_lookup (c.sources, "deb12/Jinja2"), ==,
			 "no CVSS vector and no severity label, in this advisory or an imported "
			 "one for its aliases (CVE-2020-28493) (PYSEC-2021-66)");
	/* Debian 12's records say nothing about a Debian 11 host */
	const char *old = g_hash_table_lookup (c.rows, "deb11/libssl3");
	g_assert_true (old == NULL || g_str_has_prefix (old, "||"));
	g_assert_cmpuint (st.n_vulnerable, ==, 4);
	g_assert_cmpuint (st.n_kev, ==, 1);
	g_hash_table_unref (c.rows);
	g_hash_table_unref (c.sources);
}

static guint32
jd (const char *iso)
{
	guint32 j = 0;
	g_assert_true (tu_date_parse (iso, &j, "date", NULL));
	return j;
}

/* Which ESU purchase covers a catalogue product's cycle on a day: by catalogue id and
 * release ("10" is cycle 10-22h2, not 11-23h2-w), the start and end days both covered, the
 * one ending last when several do, and the one that ended last named when none does. */
static void
test_extended_find (void)
{
	TuExtendedPurchase y1 = {"Y1", "windows", "10", "", jd ("2025-10-15"), jd ("2026-10-13")};
	TuExtendedPurchase y2 = {"Y2", "windows", "", "", jd ("2026-10-14"), jd ("2027-10-12")};
	TuExtendedPurchase open_end = {"OPEN", "windows", "10", "", jd ("2027-06-01"), 0};
	TuExtendedPurchase rhel = {"ELS", "rhel", "7", "", 0, 0};
	g_autoptr(GPtrArray) all = g_ptr_array_new ();
	g_ptr_array_add (all, &y1);
	g_ptr_array_add (all, &y2);
	g_ptr_array_add (all, &open_end);
	g_ptr_array_add (all, &rhel);
	const TuExtendedPurchase *lapsed = NULL;
	g_assert_null (tu_extended_support_find (all, "windows", "10-22h2", jd ("2025-10-14"),
						 &lapsed));
	g_assert_null (lapsed);
	g_assert_true (tu_extended_support_find (all, "windows", "10-22h2", jd ("2025-10-15"),
						 NULL) == &y1);
	g_assert_true (tu_extended_support_find (all, "Windows", "10-22h2", jd ("2026-10-13"),
						 NULL) == &y1);
	g_assert_true (tu_extended_support_find (all, "windows", "10-22h2", jd ("2026-10-14"),
						 NULL) == &y2);
	/* both cover it: the one without an end */
	g_assert_true (tu_extended_support_find (all, "windows", "10-22h2", jd ("2027-07-01"),
						 NULL) == &open_end);
	/* release 10 is not Windows 11; Y2 (any release) lapsed */
	g_assert_null (tu_extended_support_find (all, "windows", "11-23h2-w", jd ("2027-11-01"),
						 &lapsed));
	g_assert_true (lapsed == &y2);
	g_assert_null (tu_extended_support_find (all, "windows", "100", jd ("2025-11-01"), NULL));
	const TuExtendedPurchase *els =
		tu_extended_support_find (all, "rhel", "7", jd ("2030-01-01"), NULL);
	g_assert_true (els == &rhel);
	g_assert_null (tu_extended_support_find (all, "rhel", "8", jd ("2030-01-01"), NULL));
	g_assert_null (tu_extended_support_find (NULL, "rhel", "7", jd ("2030-01-01"), NULL));
}

static void
store_rhel_host (TuStore *store, const char *name)
{
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("import:test");
	tu_host_facts_set (&scan->facts.hostname, name);
	tu_host_facts_set (&scan->facts.os_id, "rhel");
	tu_host_facts_set (&scan->facts.os_name, "Red Hat Enterprise Linux Server");
	tu_host_facts_set (&scan->facts.os_version_id, "7.9");
	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_RPM;
	r.raw_name = "openssl";
	r.raw_version = "1:1.0.2k-26.el7_9";
	r.raw_publisher = "Red Hat, Inc.";
	r.source_package = "openssl-1.0.2k-26.el7_9.src.rpm";
	tu_record_list_add (scan->records, &r);
	TuStoreStats st;
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_store_host_scan (store, scan, &st, &error));
	g_assert_no_error (error);
}

typedef struct {
	GHashTable *rows; /* "host/raw_name" -> "support|eol_days|support_basis|extended_support" */
} Support;

static gboolean
collect_support (const TuPatchRow *row, gpointer user_data, GError **error)
{
	Support *s = user_data;
	g_hash_table_insert (s->rows, g_strdup_printf ("%s/%s", row->host, row->raw_name),
			     g_strdup_printf ("%s|%d|%s|%s", row->support, row->eol_days,
					      row->support_basis, row->extended_support));
	return TRUE;
}

static GHashTable *
support_at (TuDb *db, const char *date)
{
	Support s = {g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free)};
	TuPatchOptions opts = {.sorted = TRUE};
	g_assert_true (tu_date_parse (date, &opts.at, "at", NULL));
	TuPatchStats st;
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_patch_run (db, &opts, collect_support, &s, &st, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_extended_unmatched, ==, 0);
	return s.rows;
}

/* RHEL 7 (end of life 2024-06-30, paid ELS until 2029-05-31 in the demo's catalogue page)
 * with ELS bought through an entitlement for group "els": the host in the group gets its OS
 * row and its Red Hat packages security-only until the entitlement's end, naming it; the host
 * outside the group stays end of life with ELS shown as available. Days past end of life by
 * hand: 2025-01-01 is 185 days after 2024-06-30. */
static void
test_extended_support_bought (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new (NULL, &error);
	g_assert_no_error (error);
	{
		g_autoptr(TuStore) store = tu_store_new (db, norm);
		store_rhel_host (store, "rhel-els");
		store_rhel_host (store, "rhel-none");
	}
	/* the catalogue: the demo's RHEL and OpenSSL pages */
	g_autofree char *products = g_build_filename (dir, "endoflife", "products", NULL);
	g_assert_cmpint (g_mkdir_with_parents (products, 0700), ==, 0);
	static const char *const pages[] = {"rhel", "openssl"};
	for (guint i = 0; i < G_N_ELEMENTS (pages); i++) {
		g_autofree char *rel =
			g_strdup_printf ("examples/demo/feeds/endoflife/products/%s.md", pages[i]);
		g_autofree char *src = tu_test_source_path (rel);
		g_autoptr(GBytes) bytes = tu_test_read (src);
		g_autofree char *name = g_strdup_printf ("%s.md", pages[i]);
		g_autofree char *dst = g_build_filename (products, name, NULL);
		g_assert_true (g_file_set_contents (dst, g_bytes_get_data (bytes, NULL),
						    (gssize) g_bytes_get_size (bytes), &error));
	}
	g_autofree char *eol_dir = g_build_filename (dir, "endoflife", NULL);
	TuCatalogImportStats cst = {0};
	g_assert_true (tu_catalog_import (db, norm, eol_dir, &cst, NULL, &error));
	g_assert_no_error (error);

	g_autoptr(GPtrArray) hosts =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_attributes_free);
	TuHostAttributes *a = g_new0 (TuHostAttributes, 1);
	a->key = g_strdup ("rhel-els");
	a->groups = g_strdup ("servers;els");
	a->cores = a->sockets = -1;
	a->is_virtual = -1;
	g_ptr_array_add (hosts, a);
	g_assert_true (tu_licence_store_host_attributes (db, hosts, "hosts.csv", &error));
	g_assert_no_error (error);
	g_autoptr(GPtrArray) ents =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_entitlement_free);
	TuEntitlement *e = tu_entitlement_new ("ELS-7", "Red Hat", "Red Hat Enterprise Linux",
					       "", TU_METRIC_DEVICE, 1);
	g_free (e->scope);
	e->scope = g_strdup ("group=els");
	g_free (e->release);
	e->release = g_strdup ("7");
	g_assert_true (tu_date_parse ("2024-07-01", &e->start, "start", NULL));
	g_assert_true (tu_date_parse ("2025-06-30", &e->end, "end", NULL));
	e->extended_support = g_strdup ("rhel");
	g_ptr_array_add (ents, e);
	g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
	guint line = 2;
	g_array_append_val (lines, line);
	g_assert_true (tu_licence_store_entitlements (db, ents, lines, "ents.csv", &error));
	g_assert_no_error (error);

	g_autoptr(GHashTable) in = support_at (db, "2025-01-01");
	const char *bought = "security-only|-1|Red Hat Enterprise Linux 7, extended support bought "
			     "until 2025-06-30 (ELS-7)|";
	const char *os = NULL;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init (&it, in);
	while (g_hash_table_iter_next (&it, &k, &v)) {
		if (g_str_has_prefix (k, "rhel-els/Red Hat"))
			os = v;
	}
	g_assert_cmpstr (os, ==, bought);
	g_autofree char *pkg = g_strdup_printf ("security-only|-1|Red Hat Enterprise Linux 7 "
						"(distribution package), extended support bought "
						"until 2025-06-30 (ELS-7)|");
	g_assert_cmpstr (g_hash_table_lookup (in, "rhel-els/openssl"), ==, pkg);
	g_assert_cmpstr (g_hash_table_lookup (in, "rhel-none/openssl"), ==,
			 "eol|185|Red Hat Enterprise Linux 7 (distribution package)|2029-05-31");
	/* after the entitlement's end: end of life again, naming the purchase that ended */
	g_autoptr(GHashTable) after = support_at (db, "2025-07-01");
	g_assert_cmpstr (g_hash_table_lookup (after, "rhel-els/openssl"), ==,
			 "eol|366|Red Hat Enterprise Linux 7 (distribution package), extended "
			 "support bought ended 2025-06-30 (ELS-7)|2029-05-31");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	dir = tu_test_mkdtemp ();
	g_test_add_func ("/trueup/patch/advisories-by-ecosystem-fix-and-kev",
			 test_matching_by_ecosystem);
	g_test_add_func ("/trueup/patch/extended-support-purchase-by-product-release-dates",
			 test_extended_find);
	g_test_add_func ("/trueup/patch/rhel-els-bought-by-entitlement-scope",
			 test_extended_support_bought);
	int rc = g_test_run ();
	tu_test_store_close ();
	tu_test_rmtree (dir);
	g_free (dir);
	return rc;
}
