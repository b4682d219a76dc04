/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Placing installations in release cycles, on the real endoflife.date pages the demo ships
 * (examples/demo/feeds/endoflife) and real build numbers: Windows 10 and 11 builds with their
 * editions (EditionID as the registry writes it and the normaliser's names), Windows Server
 * 2016 to 2025, Office 2016 to LTSC 2024, SQL Server 2016 to 2022, Java's legacy versions,
 * Exchange and SharePoint builds; and the verdicts with extended support: Debian 12 in its
 * free LTS, Windows 10's paid ESU. Pure: no store. Expected cycles were read off the pages
 * and Microsoft's release-health and build tables by hand.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog.h"
#include "tu-common.h"
#include "tu-test-util.h"

static TuCatalogProduct *
page (const char *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *rel = g_strdup_printf ("examples/demo/feeds/endoflife/products/%s.md", name);
	g_autofree char *md = tu_test_source_path (rel);
	g_autoptr(GBytes) bytes = tu_test_read (md);
	TuCatalogProduct *p = tu_catalog_product_new (name);
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	g_assert_true (tu_catalog_parse_markdown (data, len, md, name, p, &error));
	g_assert_no_error (error);
	return p;
}

/* The cycle placed, or "-: REASON". (transfer full) */
static char *
place (const TuCatalogProduct *p, const char *version, const char *release, const char *edition,
       const char *name)
{
	TuCatalogInstalled inst = {version, release, edition, name};
	g_autofree char *reason = NULL;
	const TuCatalogCycle *c = tu_catalog_place (p, &inst, &reason);
	if (c == NULL) {
		g_assert_nonnull (reason);
		return g_strdup_printf ("-: %s", reason);
	}
	g_assert_null (reason);
	return g_strdup (c->cycle);
}

#define assert_place(p, v, r, e, n, want)                                                    \
	do {                                                                                 \
		g_autofree char *got_ = place (p, v, r, e, n);                               \
		g_assert_cmpstr (got_, ==, want);                                            \
	} while (0)

static guint32
day (const char *iso)
{
	guint32 j = 0;
	g_assert_true (tu_date_parse (iso, &j, "date", NULL));
	return j;
}

static void
test_windows_builds_and_editions (void)
{
	g_autoptr(TuCatalogProduct) w = page ("windows");
	/* Windows 11 23H2: Pro and Home are (W), Enterprise and Education (E) */
	assert_place (w, "10.0.22631.4460", "11", "Professional", NULL, "11-23h2-w");
	assert_place (w, "10.0.22631.4460", "11", "Pro", NULL, "11-23h2-w");
	assert_place (w, "10.0.22631.4460", "11", "Core", NULL, "11-23h2-w");
	assert_place (w, "10.0.22631.4460", "11", "Enterprise", NULL, "11-23h2-e");
	assert_place (w, "10.0.22631.4460", "11", "Education", NULL, "11-23h2-e");
	/* 24H2: the LTSC and IoT LTSC share the build with the (E) and (W) cycles */
	assert_place (w, "10.0.26100.2314", "11", "Professional", NULL, "11-24h2-w");
	assert_place (w, "10.0.26100.2314", "11", "EnterpriseS", NULL, "11-24h2-e-lts");
	assert_place (w, "10.0.26100.2314", "11", "IoTEnterpriseS", NULL, "11-24h2-iot-lts");
	assert_place (w, "10.0.26100.2314", "11", "Enterprise", NULL, "11-24h2-e");
	assert_place (w, "10.0.22621.4317", "11", "Pro", NULL, "11-22h2-w");
	assert_place (w, "10.0.22000.2538", "11", "Enterprise", NULL, "11-21h2-e");
	/* Windows 10 22H2 is one cycle for every edition; 21H2 has four */
	assert_place (w, "10.0.19045.5131", "10", "Professional", NULL, "10-22h2");
	assert_place (w, "10.0.19045.5131", "10", "Enterprise", NULL, "10-22h2");
	assert_place (w, "10.0.19045.5131", "10", NULL, NULL, "10-22h2");
	assert_place (w, "10.0.19044.5131", "10", "EnterpriseS", NULL, "10-21h2-e-lts");
	assert_place (w, "10.0.19044.5131", "10", "IoTEnterpriseS", NULL, "10-21h2-iot-lts");
	assert_place (w, "10.0.19044.3086", "10", "Professional", NULL, "10-21h2-w");
	assert_place (w, "10.0.17763.6532", "10", "EnterpriseS", NULL, "10-1809-e-lts");
	/* what cannot be placed says why */
	assert_place (w, "10.0.22631.4460", "11", NULL, NULL,
		      "-: edition not known: build 10.0.22631 is one of 11 23H2 (W), 11 23H2 (E)");
	assert_place (w, "10.0.22631.4460", "11", "Starter", NULL,
		      "-: edition \"Starter\" fits none of the cycles of build 10.0.22631 (11 23H2 "
		      "(W), 11 23H2 (E))");
	assert_place (w, "10.0.12345.1", NULL, "Professional", NULL,
		      "-: build 10.0.12345 fits no cycle of Microsoft Windows");
	assert_place (w, NULL, NULL, "Professional", NULL, "-: no version or release recorded");
	assert_place (w, "unknown", NULL, NULL, NULL, "-: version \"unknown\" not parsable");
}

static void
test_windows_server (void)
{
	g_autoptr(TuCatalogProduct) s = page ("windows-server");
	assert_place (s, "10.0.14393.7515", "2016", "ServerStandard", NULL, "2016");
	/* 17763 is both 2019 and 1809 SAC: Standard and Datacenter are the long-term 2019 */
	assert_place (s, "10.0.17763.6532", "2019", "ServerDatacenter", NULL, "2019");
	assert_place (s, "10.0.17763.6532", NULL, "ServerStandard", NULL, "2019");
	assert_place (s, "10.0.17763.6532", NULL, "ServerDatacenterACor", NULL, "1809-sac");
	assert_place (s, "10.0.20348.2849", "2022", "Standard", NULL, "2022");
	assert_place (s, "10.0.26100.2314", "2025", "Datacenter", NULL, "2025");
	assert_place (s, NULL, "2019", NULL, NULL, "2019");
}

static void
test_office_releases (void)
{
	g_autoptr(TuCatalogProduct) o = page ("office");
	/* every Office 2016 MSI product is 16.0.4266.1001, whatever its name says */
	assert_place (o, "16.0.4266.1001", NULL, NULL,
		      "Microsoft Office Language Pack 2016 - French/Français", "2016");
	assert_place (o, "16.0.4266.1001", "2016", "Standard", "Microsoft Office Standard 2016",
		      "2016");
	assert_place (o, "16.0.10416.20058", "2019", "Professional Plus",
		      "Microsoft Office Professional Plus 2019 - en-us", "2019");
	assert_place (o, "16.0.10416.20058", NULL, NULL, NULL, "2019");
	assert_place (o, "16.0.14332.20812", "2021", "Professional Plus",
		      "Microsoft Office LTSC Professional Plus 2021 - en-us", "2021");
	assert_place (o, "16.0.17932.20130", "2024", "Professional Plus",
		      "Microsoft Office LTSC Professional Plus 2024 - en-us", "2024-ltsc");
	assert_place (o, "16.0.17932.20130", NULL, NULL,
		      "Microsoft Office LTSC Standard 2024 - en-us", "2024-ltsc");
	assert_place (o, "16.0.17928.20156", "2024", "Home", "Microsoft Office Home 2024", "2024");
	/* a Microsoft 365 Apps build names no release */
	assert_place (o, "16.0.18129.20158", NULL, NULL, NULL,
		      "-: no cycle of Microsoft Office for version 16.0.18129.20158");
	/* named as Microsoft 365 Apps: serviced by channel, which the catalogue has no cycles
	 * for; said so, never placed in a perpetual release */
	assert_place (o, "16.0.18129.20158", NULL, "Enterprise",
		      "Microsoft 365 Apps for enterprise - en-us",
		      "-: Microsoft 365 Apps are serviced by update channel (Current, Monthly "
		      "Enterprise, Semi-Annual Enterprise), and the catalogue's Microsoft Office "
		      "page has cycles only for the perpetual releases (2007 to LTSC 2024), none "
		      "for a channel: build 16.0.18129.20158 cannot be judged from it");
}

static void
test_sql_server_versions (void)
{
	g_autoptr(TuCatalogProduct) q = page ("mssqlserver");
	assert_place (q, "13.0.6300.2", "2016", NULL, NULL, "13.0-sp3");
	assert_place (q, "14.0.3465.1", "2017", NULL, NULL, "14.0");
	assert_place (q, "15.0.4405.4", "2019", NULL, NULL, "15.0");
	assert_place (q, "15.0.2000.5", NULL, NULL, NULL, "15.0");
	assert_place (q, "16.0.4135.4", "2022", NULL, NULL, "16.0");
	/* no version (the "Microsoft SQL Server 2019 (64-bit)" record): the release's label */
	assert_place (q, NULL, "2019", NULL, "Microsoft SQL Server 2019 (64-bit)", "15.0");
	/* 2016 without a build: RTM and four service packs, each its own end of life */
	assert_place (q, NULL, "2016", NULL, NULL,
		      "-: release 2016 is one of 2016 SP3 Azure Connect Pack, 2016 SP3, 2016 SP2, "
		      "2016 SP1, 2016: no version to choose");
	assert_place (q, "13.0.5026.0", NULL, NULL, NULL, "13.0-sp2");
	assert_place (q, "13.0.7000.253", NULL, NULL, NULL, "13.0-sp3-acp");
	assert_place (q, "13.0.1601.5", NULL, NULL, NULL, "13.0");
	assert_place (q, NULL, "2022", NULL, NULL, "16.0");
	const TuCatalogCycle *c = NULL;
	for (guint i = 0; i < q->cycles->len; i++) {
		c = g_ptr_array_index (q->cycles, i);
		if (strcmp (c->cycle, "15.0") == 0)
			break;
	}
	g_assert_true (g_str_has_prefix (c->label, "2019 '"));
	g_assert_null (strstr (c->label, "__CODENAME__"));
}

static void
test_java_and_others (void)
{
	g_autoptr(TuCatalogProduct) j = page ("oracle-jdk");
	assert_place (j, "1.8.0_431", "8", NULL, "Java 8 Update 431", "8");
	assert_place (j, "1.8.0_202", NULL, NULL, NULL, "8");
	assert_place (j, "21.0.5", NULL, NULL, NULL, "21");
	assert_place (j, "17.0.13", NULL, NULL, NULL, "17");
	g_autofree char *form = tu_catalog_version_form (j, "1.8.0_431");
	g_assert_cmpstr (form, ==, "8u431");
	g_autoptr(TuCatalogProduct) x = page ("msexchange");
	assert_place (x, "15.2.1544.36", NULL, NULL, NULL, "2019");
	assert_place (x, "15.2.1258.39", NULL, NULL, NULL, "2019");
	assert_place (x, "15.1.2507.44", NULL, NULL, NULL, "2016");
	g_autoptr(TuCatalogProduct) sp = page ("sharepoint");
	assert_place (sp, "16.0.10417.20198", NULL, NULL, NULL, "2019");
	assert_place (sp, "16.0.5565.1001", NULL, NULL, NULL, "2016");
	g_autoptr(TuCatalogProduct) ps = page ("powershell");
	assert_place (ps, "7.4.6.0", NULL, NULL, NULL, "7.4");
	assert_place (ps, NULL, NULL, NULL, "PowerShell", "-: no version or release recorded");
	assert_place (NULL, "1.0", NULL, NULL, NULL, "-: not in the catalogue");
}

static const TuCatalogCycle *
cycle_named (const TuCatalogProduct *p, const char *name)
{
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		if (strcmp (c->cycle, name) == 0)
			return c;
	}
	g_assert_not_reached ();
}

static void
test_extended_support (void)
{
	TuCatalogVerdict v;
	/* Debian 12: regular security support ended 2026-07-11; Debian LTS (free) runs to
	 * 2028-06-30, so Debian 12 and its packages are security-only, not end of life */
	g_autoptr(TuCatalogProduct) d = page ("debian");
	const TuCatalogCycle *bookworm = cycle_named (d, "12");
	tu_catalog_judge (d, bookworm, day ("2026-12-06"), &v);
	g_assert_cmpint (v.support, ==, TU_SUPPORT_SECURITY_ONLY);
	g_assert_cmpstr (v.free_extended, ==, "Debian LTS");
	g_assert_cmpstr (v.eol_date, ==, "2028-06-30");
	g_assert_null (v.paid_extended_end);
	tu_catalog_judge (d, bookworm, day ("2026-01-10"), &v);
	g_assert_cmpint (v.support, ==, TU_SUPPORT_SUPPORTED);
	tu_catalog_judge (d, bookworm, day ("2028-06-30"), &v);
	g_assert_cmpint (v.support, ==, TU_SUPPORT_EOL);
	g_assert_null (v.free_extended);
	/* Windows 10 22H2: ESU is paid: end of life, with the ESU date shown */
	g_autoptr(TuCatalogProduct) w = page ("windows");
	tu_catalog_judge (w, cycle_named (w, "10-22h2"), day ("2026-12-06"), &v);
	g_assert_cmpint (v.support, ==, TU_SUPPORT_EOL);
	g_assert_cmpstr (v.eol_date, ==, "2025-10-14");
	g_assert_cmpstr (v.paid_extended_end, ==, "2028-10-10");
	g_assert_null (v.free_extended);
	/* Windows 11 23H2 (W) ended 2025-11-11, (E) 2026-11-10 */
	tu_catalog_judge (w, cycle_named (w, "11-23h2-w"), day ("2025-11-10"), &v);
	g_assert_cmpint (v.support, ==, TU_SUPPORT_SUPPORTED);
	tu_catalog_judge (w, cycle_named (w, "11-23h2-w"), day ("2025-11-11"), &v);
	g_assert_cmpint (v.support, ==, TU_SUPPORT_EOL);
	g_assert_null (v.paid_extended_end);
}

/* Microsoft 365 Apps from an in-house catalogue of update channels (the hand-written test
 * fixture tests/fixtures/catalog/m365-channels.csv, not Microsoft's data): placed by build as
 * Windows is; latest is the newest release of the same channel; a build two channels share
 * is unknown with both named; a build the catalogue lacks fits no cycle. */
static void
test_m365_channels (void)
{
	g_autofree char *path = tu_test_source_path ("tests/fixtures/catalog/m365-channels.csv");
	g_autoptr(GBytes) bytes = tu_test_read (path);
	g_autoptr(GPtrArray) products = tu_catalog_products_new ();
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	g_assert_true (tu_catalog_parse_csv (data, len, path, NULL, products, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (products->len, ==, 1);
	const TuCatalogProduct *m = g_ptr_array_index (products, 0);
	const char *name = "Microsoft 365 Apps for enterprise - en-us";
	assert_place (m, "16.0.18129.20158", NULL, "Enterprise", name, "current-2410");
	assert_place (m, "16.0.17928.20336", NULL, NULL, name, "semi-annual-2408");
	assert_place (m, "16.0.18025.20160", NULL, NULL, name,
		      "-: build 16.0.18025 is in several cycles (monthly-enterprise-2409, "
		      "current-2409) and nothing recorded (a channel, an edition) "
		      "chooses between them");
	assert_place (m, "16.0.19999.20000", NULL, NULL, name,
		      "-: build 16.0.19999 fits no cycle of Microsoft 365 Apps");
	/* latest: the channel's newest (current-2411), not the newest cycle (semi-annual-2408,
	 * released last with an older build) */
	const TuCatalogCycle *c2410 = cycle_named (m, "current-2410");
	g_assert_cmpstr (tu_catalog_newest_cycle (m)->cycle, ==, "semi-annual-2408");
	g_assert_cmpstr (tu_catalog_newest_in_channel (m, c2410)->latest, ==, "16.0.18227.20162");
	const TuCatalogCycle *me2409 = cycle_named (m, "monthly-enterprise-2409");
	g_assert_true (tu_catalog_newest_in_channel (m, me2409) == me2409);
	/* Windows' cycles are no channels */
	g_autoptr(TuCatalogProduct) w = page ("windows");
	g_assert_null (tu_catalog_newest_in_channel (w, cycle_named (w, "11-23h2-w")));
	/* supported until the version's end (its day is the first without support) */
	TuCatalogVerdict v;
	tu_catalog_judge (m, c2410, day ("2024-12-09"), &v);
	g_assert_cmpint (v.support, ==, TU_SUPPORT_SUPPORTED);
	tu_catalog_judge (m, c2410, day ("2024-12-10"), &v);
	g_assert_cmpint (v.support, ==, TU_SUPPORT_EOL);
	g_assert_cmpstr (v.eol_date, ==, "2024-12-10");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/catalog-place/windows", test_windows_builds_and_editions);
	g_test_add_func ("/trueup/catalog-place/windows-server", test_windows_server);
	g_test_add_func ("/trueup/catalog-place/office", test_office_releases);
	g_test_add_func ("/trueup/catalog-place/sql-server", test_sql_server_versions);
	g_test_add_func ("/trueup/catalog-place/java-exchange-sharepoint", test_java_and_others);
	g_test_add_func ("/trueup/catalog-place/extended-support", test_extended_support);
	g_test_add_func ("/trueup/catalog-place/m365-channels-inhouse", test_m365_channels);
	return g_test_run ();
}
