/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CVSS v3 base scores against published ones: the worked examples of FIRST's "CVSS v3.0
 * Examples" and "CVSS v3.1 Examples" documents, NVD's scores for the CVEs of the OSV records
 * in shared/data, and every CVSS_V3 vector found in those records. All expected values were
 * also checked against an independent implementation (Ruby's cvss-suite 3.1, Debian's
 * ruby-cvss-suite). Malformed vectors are errors that name the metric at fault.
 * CVSS v4.0: the vectors of FIRST's documents and the OSV schema, and 2,000 vectors scored by
 * FIRST's reference calculator (tests/fixtures/cvss4, which says how they were made).
 */
#include <string.h>

#include "tu-common.h"
#include "tu-osv.h"
#include "tu-test-util.h"

static const struct {
	const char *vector;
	double score;
	const char *source;
} known[] = {
    /* the brief's anchors */
    {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CVE-2014-6271 Shellshock"},
    {"AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "maximum"},
    {"AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5, "local read"},
    {"AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, "CVE-2014-3566 POODLE"},
    /* FIRST CVSS v3.0/v3.1 examples */
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "CVE-2013-1937 phpMyAdmin XSS"},
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "CVE-2013-0375 MySQL"},
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "CVE-2012-1516 VMware"},
    {"CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2, "CVE-2009-0783 Tomcat"},
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, "CVE-2012-0384 Cisco IOS"},
    {"CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, "CVE-2015-1098 iWork"},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "CVE-2014-0160 Heartbleed"},
    {"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8, "CVE-2008-1447 DNS"},
    {"CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, "CVE-2014-2005 Sophos"},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, "CVE-2010-0467 Joomla"},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8, "CVE-2012-1342 Cisco ACL"},
    {"CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3, "CVE-2013-6014 Juniper"},
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4, "CVE-2014-9253 redirect"},
    {"CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8, "CVE-2011-1265 Bluetooth"},
    {"CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6, "CVE-2014-2019 iOS"},
    {"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4, "CVE-2014-0224 OpenSSL CCS"},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6, "CVE-2012-5376 Chrome"},
    {"CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 6.8, "CVE-2016-0128 Badlock"},
    {"CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 8.2, "CVE-2016-5729 Lenovo"},
    /* vectors of the OSV records in shared/data, with NVD's scores */
    {"CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N", 4.7, "CVE-2018-5407 (linter data)"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", 5.3, "CVE-2023-41045 (linter data)"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CVE-2024-39236 GHSA-9v2f"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, "RHSA-2022:0216 vector (linter data)"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N", 8.1, "CVE-2023-43804 PYSEC-2023-192"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "CVE-2018-25091 PYSEC-2023-207"},
    {"CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N", 4.2, "CVE-2023-45803 PYSEC-2023-212"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "CVE-2023-49083 PYSEC-2023-254"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, "RHSA-2024:6220 (Red Hat data)"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N", 6.8, "schema.md example"},
    {"CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N", 5.7, "schema.md Haskell example"},
    /* edges: no impact, the smallest non-zero, scope change capped at 10 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "no impact"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0.0, "no impact, scope changed"},
    {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, "smallest"},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 9.1, "admin, scope changed"},
    /* temporal and environmental metrics do not change the base score */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C", 9.8, "with temporal"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:H/IR:X/AR:L/MAV:L/MAC:H/MPR:L/MUI:R/"
     "MS:C/MC:N/MI:L/MA:H",
     9.8, "with environmental"},
    /* metric order is free */
    {"CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N", 9.8, "reordered"},
};

static void
test_known_scores (void)
{
	g_assert_cmpuint (G_N_ELEMENTS (known), >=, 30);
	for (guint i = 0; i < G_N_ELEMENTS (known); i++) {
		g_autoptr(GError) error = NULL;
		double score = -1;
		if (!tu_cvss3_base_score (known[i].vector, &score, &error))
			g_error ("%s: %s", known[i].vector, error->message);
		/* one decimal place exactly: compare tenths as integers */
		gint64 got = (gint64) (score * 10.0 + 0.5);
		gint64 want = (gint64) (known[i].score * 10.0 + 0.5);
		if (got != want)
			g_error ("%s (%s): %.1f, expected %.1f", known[i].vector, known[i].source,
				 score, known[i].score);
		g_assert_cmpfloat_with_epsilon (score, known[i].score, 1e-9);
	}
}

/* Every CVSS_V3 vector in the OSV data scores, and with a published value. */
static void
test_every_vector_in_osv_data (void)
{
	g_autofree char *root = tu_test_shared_path ("osv");
	if (root == NULL) {
		g_test_skip ("shared/data is not on this machine");
		return;
	}
	static const char *const files[] = {
		"osv-schema/linter-testdata/CVE-2018-5407.json",
		"osv-schema/linter-testdata/CVE-2023-41045.json",
		"osv-schema/linter-testdata/GHSA-9v2f-6vcg-3hgv.json",
		"osv-schema/redhat-testdata/RHSA-2024_4546.json",
		"osv-schema/redhat-testdata/RHSA-2024_6220.json",
		"pypa/vulns/urllib3/PYSEC-2023-192.yaml",
		"pypa/vulns/urllib3/PYSEC-2023-207.yaml",
		"pypa/vulns/urllib3/PYSEC-2023-212.yaml",
		"pypa/vulns/cryptography/PYSEC-2023-254.yaml",
	};
	for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
		g_autofree char *path = g_build_filename (root, files[i], NULL);
		g_autoptr(GBytes) bytes = tu_test_read (path);
		gsize len = 0;
		const char *data = g_bytes_get_data (bytes, &len);
		g_autoptr(GPtrArray) records =
			g_ptr_array_new_with_free_func ((GDestroyNotify) tu_osv_record_free);
		g_autoptr(GPtrArray) rejected = g_ptr_array_new_with_free_func (g_free);
		g_autoptr(GError) error = NULL;
		g_assert_true (tu_osv_parse (data, len, path, records, rejected, &error));
		g_assert_cmpuint (records->len, ==, 1);
		const TuOsvRecord *r = g_ptr_array_index (records, 0);
		g_assert_nonnull (r->cvss_vector);
		g_assert_cmpfloat (r->cvss_score, >=, 0.0);
		gboolean found = FALSE;
		for (guint k = 0; k < G_N_ELEMENTS (known); k++) {
			if (strcmp (known[k].vector, r->cvss_vector) != 0)
				continue;
			found = TRUE;
			g_assert_cmpfloat_with_epsilon (r->cvss_score, known[k].score, 1e-9);
		}
		if (!found)
			g_error ("%s: vector %s has no published score in the table", files[i],
				 r->cvss_vector);
	}
}

static void
test_malformed_vectors (void)
{
	static const struct {
		const char *vector;
		const char *says;
	} bad[] = {
	    {"", "empty"},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "base metric A is missing"},
	    {"CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "base metric AV is missing"},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", "base metric S is missing"},
	    {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric AV: \"Q\" is not one of NALP"},
	    {"CVSS:3.1/AV:N/AC:M/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric AC: \"M\""},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", "metric S: \"X\""},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:P/I:H/A:H", "metric C: \"P\""},
	    {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric AV given twice"},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", "unknown metric \"XX\""},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z", "metric E: \"Z\""},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "is not METRIC:VALUE"},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HH", "is not METRIC:VALUE"},
	    {"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "is not METRIC:VALUE"},
	    {"CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric \"av\""},
	    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
	     "not CVSS 3.0 or 3.1"},
	    {"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "not CVSS 3.0 or 3.1"},
	    {"AV:N/AC:L/Au:N/C:P/I:P/A:P", "unknown metric \"Au\""},
	    {"CVSS:3.1", "not CVSS 3.0 or 3.1"},
	    {"CVSS:3.1/", "is not METRIC:VALUE"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autoptr(GError) error = NULL;
		double score = 42;
		g_assert_false (tu_cvss3_base_score (bad[i].vector, &score, &error));
		g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
		if (strstr (error->message, bad[i].says) == NULL)
			g_error ("%s: \"%s\" does not say %s", bad[i].vector, error->message,
				 bad[i].says);
	}
}

/* CVSS v4.0 anchors: FIRST's "CVSS v4.0 Examples" and the OSV schema's example vector; the
 * scores are those FIRST's calculator gives. */
static const struct {
	const char *vector;
	double score;
	const char *source;
} known_v4[] = {
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, "maximum"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3,
	 "network, no privileges, full impact on the vulnerable system"},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 7.3,
	 "FIRST v4.0 examples, CVE-2022-41741 nginx mp4 module (CVSS-B 7.3)"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 5.1,
	 "osv-schema schema.md, CVSS_V4 example"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, "no impact"},
	/* threat metric: E:A is what X means */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A", 9.3, "E:A is X"},
	/* supplemental metrics do not count; Provider Urgency's values are words */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/AU:Y/U:Amber", 9.3,
	 "supplemental metrics"},
};

static void
test_v4_known_scores (void)
{
	for (guint i = 0; i < G_N_ELEMENTS (known_v4); i++) {
		g_autoptr(GError) error = NULL;
		double score = -1;
		if (!tu_cvss4_score (known_v4[i].vector, &score, &error))
			g_error ("%s (%s): %s", known_v4[i].vector, known_v4[i].source,
				 error->message);
		if ((gint) (score * 10 + 0.5) != (gint) (known_v4[i].score * 10 + 0.5))
			g_error ("%s (%s): %.1f, expected %.1f", known_v4[i].vector,
				 known_v4[i].source, score, known_v4[i].score);
	}
	/* the threat metric lowers the same vector's score */
	double with_e = -1, without = -1;
	g_assert_true (tu_cvss4_score (known_v4[1].vector, &without, NULL));
	g_assert_true (tu_cvss4_score (
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", &with_e,
		NULL));
	g_assert_cmpfloat (with_e, <, without);
}

/* Every vector FIRST's reference calculator scored (tests/fixtures/cvss4): base-only ones and
 * ones with threat, environmental (Modified metrics, MSI:S) and supplemental metrics. */
static void
test_v4_reference_calculator (void)
{
	g_autofree char *path =
		tu_test_source_path ("tests/fixtures/cvss4/first-calculator.derived.tsv");
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true (g_file_get_contents (path, &text, NULL, &error));
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
	guint n = 0, n_environmental = 0;
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '\0' || lines[i][0] == '#')
			continue;
		g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
		g_assert_cmpuint (g_strv_length (f), ==, 2);
		double expected = g_ascii_strtod (f[1], NULL), score = -1;
		g_autoptr(GError) local = NULL;
		if (!tu_cvss4_score (f[0], &score, &local))
			g_error ("%s:%u: %s", path, i + 1, local->message);
		if ((gint) (score * 10 + 0.5) != (gint) (expected * 10 + 0.5))
			g_error ("%s:%u: %s scores %.1f, the reference calculator %.1f", path,
				 i + 1, f[0], score, expected);
		n++;
		n_environmental += strstr (f[0], "/M") != NULL;
	}
	g_assert_cmpuint (n, ==, 2000);
	g_assert_cmpuint (n_environmental, >, 300);
}

/* a complete base vector, to which the cases below add a bad metric */
#define V4_FULL "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"

static void
test_v4_malformed_vectors (void)
{
	static const struct {
		const char *vector;
		const char *says;
	} bad[] = {
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
		 "base metric SA is missing"},
		{"CVSS:4.0/AV:N/AC:L/AT:X/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		 "metric AT: \"X\""},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N",
		 "metric SC: \"S\""},
		{V4_FULL "/MSC:S", "metric MSC"},
		{V4_FULL "/U:Blue", "metric U"},
		{V4_FULL "/AV:L", "given twice"},
		{V4_FULL "/C:H",
		 "unknown metric"},
		{V4_FULL "/",
		 "not METRIC:VALUE"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "not a CVSS:4.0/ vector"},
		{"CVSS:4.0", "not a CVSS:4.0/ vector"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autoptr(GError) error = NULL;
		double score = 42;
		g_assert_false (tu_cvss4_score (bad[i].vector, &score, &error));
		g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
		g_assert_cmpfloat (score, ==, 42);
		if (strstr (error->message, bad[i].says) == NULL)
			g_error ("%s: \"%s\" does not say %s", bad[i].vector, error->message,
				 bad[i].says);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/cvss/published-base-scores", test_known_scores);
	g_test_add_func ("/trueup/cvss/every-vector-in-osv-data", test_every_vector_in_osv_data);
	g_test_add_func ("/trueup/cvss/malformed-vectors-name-the-metric", test_malformed_vectors);
	g_test_add_func ("/trueup/cvss/v4-published-scores", test_v4_known_scores);
	g_test_add_func ("/trueup/cvss/v4-as-the-reference-calculator",
			 test_v4_reference_calculator);
	g_test_add_func ("/trueup/cvss/v4-malformed-vectors-name-the-metric",
			 test_v4_malformed_vectors);
	return g_test_run ();
}
