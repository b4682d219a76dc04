/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests of tu-version.c: hand-written orderings per scheme (from each scheme's own
 * documentation and test suites), agreement with the reference tools on every pair of
 * tests/data/version-pairs-<scheme>.tsv (written by tools/gen-version-pairs from dpkg,
 * python3-rpm, python3-packaging and node-semver), validation messages, cycle and upstream,
 * and the order properties (antisymmetry, transitivity) that sorting relies on.
 */
#include <string.h>

#include "tu-error.h"
#include "tu-version.h"

typedef struct {
	const char *a;
	const char *op; /* "<", "=", ">" */
	const char *b;
} Case;

static int
op_to_sign (const char *op)
{
	if (g_str_equal (op, "<"))
		return -1;
	if (g_str_equal (op, ">"))
		return 1;
	return 0;
}

static const char *
sign_to_op (int r)
{
	return r < 0 ? "<" : (r > 0 ? ">" : "=");
}

/* Each case, both ways round, and each side against itself. */
static void
check_cases (TuScheme scheme, const Case *cases, gsize n_cases)
{
	for (gsize i = 0; i < n_cases; i++) {
		int want = op_to_sign (cases[i].op);
		int got = tu_version_compare (scheme, cases[i].a, cases[i].b);
		int back = tu_version_compare (scheme, cases[i].b, cases[i].a);
		if ((got > 0) - (got < 0) != want || (back > 0) - (back < 0) != -want) {
			g_test_message ("%s: '%s' %s '%s' expected, got %s (reversed: %s)",
					tu_scheme_to_string (scheme), cases[i].a, cases[i].op,
					cases[i].b, sign_to_op (got), sign_to_op (back));
			g_test_fail ();
		}
		g_assert_cmpint (tu_version_compare (scheme, cases[i].a, cases[i].a), ==, 0);
		g_assert_cmpint (tu_version_compare (scheme, cases[i].b, cases[i].b), ==, 0);
	}
}

/* Each version in @chain is strictly older than the next. */
static void
check_chain (TuScheme scheme, const char *const *chain)
{
	for (gsize i = 0; chain[i] != NULL; i++) {
		for (gsize j = 0; chain[j] != NULL; j++) {
			int want = i < j ? -1 : (i > j ? 1 : 0);
			int got = tu_version_compare (scheme, chain[i], chain[j]);
			if ((got > 0) - (got < 0) != want) {
				g_test_message ("%s: '%s' %s '%s' expected, got %s",
						tu_scheme_to_string (scheme), chain[i],
						sign_to_op (want), chain[j], sign_to_op (got));
				g_test_fail ();
			}
		}
	}
}

/* ---- reference files ---------------------------------------------------------------- */

static char *
source_root (void)
{
	const char *env = g_getenv ("TU_SOURCE_ROOT");
	g_autofree char *dir = NULL;

	if (env != NULL && *env != '\0')
		return g_strdup (env);
	dir = g_path_get_dirname (__FILE__);
	return g_build_filename (dir, "..", NULL);
}

typedef struct {
	char *a, *b, *verdict;
	guint line;
} Pair;

static void
pair_clear (Pair *p)
{
	g_free (p->a);
	g_free (p->b);
	g_free (p->verdict);
}

/* (transfer full): the pairs of tests/data/version-pairs-@name.tsv */
static GArray *
load_pairs (const char *name)
{
	g_autofree char *root = source_root ();
	g_autofree char *file = g_strdup_printf ("version-pairs-%s.tsv", name);
	g_autofree char *path = g_build_filename (root, "tests", "data", file, NULL);
	g_autofree char *contents = NULL;
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) lines = NULL;
	GArray *pairs = g_array_new (FALSE, TRUE, sizeof (Pair));

	g_array_set_clear_func (pairs, (GDestroyNotify)pair_clear);
	if (!g_file_get_contents (path, &contents, NULL, &error))
		g_error ("%s (set TU_SOURCE_ROOT to the source tree)", error->message);
	lines = g_strsplit (contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto (GStrv) fields = NULL;
		Pair p;
		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		fields = g_strsplit (lines[i], "\t", -1);
		if (g_strv_length (fields) != 3)
			g_error ("%s:%u: expected 3 tab-separated fields", path, i + 1);
		if (!g_strv_contains ((const char *const[]){"<", "=", ">", "error", NULL},
				      fields[2]))
			g_error ("%s:%u: bad verdict '%s'", path, i + 1, fields[2]);
		p.a = g_strdup (fields[0]);
		p.b = g_strdup (fields[1]);
		p.verdict = g_strdup (fields[2]);
		p.line = i + 1;
		g_array_append_val (pairs, p);
	}
	return pairs;
}

/* dpkg compares versions it only warns about; the TSV tells which ones it refused. */
static gboolean
dpkg_message_is_warning (const char *message)
{
	return strstr (message, "does not start with digit") != NULL ||
	       strstr (message, "invalid character in") != NULL;
}

static void
check_reference_file (TuScheme scheme)
{
	const char *name = tu_scheme_to_string (scheme);
	g_autoptr (GArray) pairs = load_pairs (name);
	guint n_bad = 0, n_error = 0;

	g_assert_cmpuint (pairs->len, >, 1000);
	for (guint i = 0; i < pairs->len; i++) {
		const Pair *p = &g_array_index (pairs, Pair, i);
		g_autoptr (GError) error = NULL;
		g_autofree char *why = NULL;
		int result = 0;

		if (g_str_equal (p->verdict, "error")) {
			g_autoptr (GError) error_a = NULL;
			g_autoptr (GError) error_b = NULL;
			n_error++;
			/* refused by the reference tool: refused here too */
			if (tu_version_compare_checked (scheme, p->a, p->b, &result, &error))
				why = g_strdup_printf ("accepted, compared %s", sign_to_op (result));
			/* by dpkg, with an error, not just a warning, for one side at least */
			if (why == NULL && scheme == TU_SCHEME_DPKG &&
			    (tu_version_validate (scheme, p->a, &error_a) ||
			     dpkg_message_is_warning (error_a->message)) &&
			    (tu_version_validate (scheme, p->b, &error_b) ||
			     dpkg_message_is_warning (error_b->message)))
				why = g_strdup ("refused with warnings only");
			/* and still ordered without a crash, both ways */
			(void)tu_version_compare (scheme, p->a, p->b);
			(void)tu_version_compare (scheme, p->b, p->a);
		} else {
			int got = tu_version_compare (scheme, p->a, p->b);
			if (g_strcmp0 (sign_to_op (got), p->verdict) != 0)
				why = g_strdup_printf ("got %s", sign_to_op (got));
			else if (tu_version_compare (scheme, p->b, p->a) != -got)
				why = g_strdup ("not antisymmetric");
			else if (scheme == TU_SCHEME_DPKG &&
				 !tu_version_validate (scheme, p->a, &error) && *p->a != '\0' &&
				 !dpkg_message_is_warning (error->message))
				why = g_strdup_printf ("dpkg compared it, but: %s", error->message);
		}
		if (why != NULL) {
			if (n_bad < 20)
				g_test_message ("version-pairs-%s.tsv:%u: '%s' %s '%s': %s", name,
						p->line, p->a, p->verdict, p->b, why);
			n_bad++;
		}
	}
	g_test_message ("%s: %u pairs (%u refused by the reference), %u disagreements", name,
			pairs->len, n_error, n_bad);
	if (n_bad > 0)
		g_test_fail ();
}

/* Sort the distinct versions of a reference file and check that a sample of them is
 * ordered transitively: a total preorder is what qsort and ORDER BY need. */
static void
check_transitive (TuScheme scheme)
{
	g_autoptr (GArray) pairs = load_pairs (tu_scheme_to_string (scheme));
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr (GPtrArray) versions = g_ptr_array_new ();
	g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);
	guint n = 0;
	const char *sample[120];

	for (guint i = 0; i < pairs->len; i++) {
		const Pair *p = &g_array_index (pairs, Pair, i);
		if (g_hash_table_add (seen, p->a))
			g_ptr_array_add (versions, p->a);
		if (g_hash_table_add (seen, p->b))
			g_ptr_array_add (versions, p->b);
	}
	for (n = 0; n < G_N_ELEMENTS (sample); n++)
		sample[n] = g_ptr_array_index (versions,
					       g_rand_int_range (rand, 0, (int)versions->len));
	for (guint i = 0; i < n; i++) {
		for (guint j = 0; j < n; j++) {
			int ij = tu_version_compare (scheme, sample[i], sample[j]);
			g_assert_cmpint (ij, ==, -tu_version_compare (scheme, sample[j], sample[i]));
			if (ij > 0)
				continue;
			for (guint k = 0; k < n; k++) {
				int jk = tu_version_compare (scheme, sample[j], sample[k]);
				if (jk > 0)
					continue;
				/* a <= b and b <= c: a <= c, strictly if either was strict */
				int ik = tu_version_compare (scheme, sample[i], sample[k]);
				if (ik > 0 || (ik == 0 && (ij < 0 || jk < 0))) {
					g_test_message ("%s: '%s' %s '%s' %s '%s' but %s",
							tu_scheme_to_string (scheme), sample[i],
							sign_to_op (ij), sample[j], sign_to_op (jk),
							sample[k], sign_to_op (ik));
					g_test_fail ();
					return;
				}
			}
		}
	}
}

static void
test_reference_pairs (gconstpointer data)
{
	check_reference_file ((TuScheme)GPOINTER_TO_INT (data));
}

static void
test_transitive (gconstpointer data)
{
	check_transitive ((TuScheme)GPOINTER_TO_INT (data));
}

/* ---- hand-written orderings ---------------------------------------------------------- */

static void
test_dpkg_order (void)
{
	/* deb-version(5) and dpkg's own test suite */
	static const Case cases[] = {
	    {"1.0~rc1", "<", "1.0"},
	    {"1.0", "<", "1.0+b1"},
	    {"1.0-1", "<", "1.0-2"},
	    {"1.0-9", "<", "1.0-10"},
	    {"1:0.1", ">", "2.0"},
	    {"0:1.0", "=", "1.0"},
	    {"1.0", "=", "1.0-0"},
	    {"1.0-1", "<", "1.0-1.1"},
	    {"1.0a", ">", "1.0"},
	    {"1.0.", ">", "1.0"},
	    {"1.0B", "<", "1.0a"},
	    {"1.0+", ">", "1.0z"},
	    {"1.0~~", "<", "1.0~~a"},
	    {"1.0~~a", "<", "1.0~"},
	    {"1.0~", "<", "1.0"},
	    {"2.30-1", ">", "2.4-1"},
	    {"01.0", "=", "1.0"},
	    {"3.0.11-1~deb12u2", "<", "3.0.11-1"},
	    {"3.0.11-1~deb12u2", ">", "3.0.9-1"},
	    {"1.2.3+dfsg-1", ">", "1.2.3-1"},
	    {"2147483647:1", ">", "1:99"},
	    /* "" is dpkg's "no version": below everything, even '~' */
	    {"", "<", "~"},
	    {"", "<", "0"},
	    {"", "=", ""},
	    /* blanks around a version are trimmed */
	    {" 1.0", "=", "1.0"},
	    /* versions dpkg only warns about still compare */
	    {"a1", ">", "1"},
	    {"1.0_1", ">", "1.0.1"},
	};
	static const char *const chain[] = {"", "~~", "~~a", "~", "0", "0.1~rc1", "0.1",
					    "0.1-1", "0.1a", "0.1+", "1.0", "1:0.1", NULL};
	check_cases (TU_SCHEME_DPKG, cases, G_N_ELEMENTS (cases));
	check_chain (TU_SCHEME_DPKG, chain);
}

static void
test_rpm_order (void)
{
	/* rpm's rpmvercmp.at and labelCompare */
	static const Case cases[] = {
	    {"1.0", "<", "2.0"},
	    {"2.0.1a", ">", "2.0.1"},
	    {"5.5p10", ">", "5.5p1"},
	    {"10xyz", "<", "10.1xyz"},
	    {"xyz.4", "<", "8"},
	    {"6.0.rc1", ">", "6.0"},
	    {"10.0001", "=", "10.1"},
	    {"2_0", "=", "2.0"},
	    {"+a", "=", "_a"},
	    {"1.0~rc1", "<", "1.0"},
	    {"1.0~rc1~git123", "<", "1.0~rc1"},
	    {"1.0^", ">", "1.0"},
	    {"1.0^git1", "<", "1.01"},
	    {"1.0^20160101", "<", "1.0.1"},
	    {"1.0~rc1^git1", ">", "1.0~rc1"},
	    {"1.0^git1~pre", "<", "1.0^git1"},
	    {"1:1.0-1", ">", "2.0-1"},
	    {"0:1.0-1", "=", "1.0-1"},
	    {":1.0-1", "=", "0:1.0-1"},
	    {"1.0", "<", "1.0-1"},  /* a missing release is below any release */
	    {"1.0-", ">", "1.0"},   /* even an empty one */
	    {"1.0-1.el9", "<", "1.0-1.el9_0"},
	    {"1:3.0.1-43.el9_0", ">", "1:3.0.1-5.el9"},
	    {"1.0-1-2", ">", "1.0-1-1"}, /* the release is after the last '-' */
	};
	check_cases (TU_SCHEME_RPM, cases, G_N_ELEMENTS (cases));
}

static void
test_semver_order (void)
{
	/* semver.org 2.0.0, section 11 */
	static const char *const chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
					    "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
					    "1.0.0-rc.1",  "1.0.0",	    "2.0.0",
					    "2.1.0",	   "2.1.1",	    NULL};
	static const Case cases[] = {
	    {"1.0.0+build.1", "=", "1.0.0+build.2"},
	    {"1.0.0-alpha+001", "=", "1.0.0-alpha"},
	    {"1.0.0-0", "<", "1.0.0-a"},
	    {"1.0.0-9", "<", "1.0.0-10"},
	    {"1.0.0-a.1", "<", "1.0.0-a.1.0"},
	    {"1.0.0-DEV", "<", "1.0.0-dev"},
	    {"10.0.0", ">", "9.99.99"},
	    {"18446744073709551616.0.0", ">", "18446744073709551615.0.0"},
	    /* lenient: a leading 'v', missing minor and patch */
	    {"v1.2.3", "=", "1.2.3"},
	    {"1.2", "=", "1.2.0"},
	    {"1", "<", "1.0.1"},
	    {"1.2.3beta", "<", "1.2.3"},
	    /* not versions at all: below every version */
	    {"banana", "<", "0.0.0"},
	};
	check_chain (TU_SCHEME_SEMVER, chain);
	check_cases (TU_SCHEME_SEMVER, cases, G_N_ELEMENTS (cases));
}

static void
test_dotted_order (void)
{
	static const Case cases[] = {
	    {"1.2", "=", "1.2.0.0"},
	    {"16.0.4266.1001", "<", "16.0.10000.1"},
	    {"16.0.4266.1001", ">", "16.0.4266"},
	    {"10.0", ">", "9.9.9.9"},
	    {"01.2", "=", "1.2"},
	    {" 1.2 ", "=", "1.2"},
	    {"1.2b", ">", "1.2"},
	    {"1.2a", "<", "1.2b"},
	    {"1.2a", "<", "1.3"},
	    {"1.2.x", ">", "1.2"},
	    {"", "=", "0"},
	    {"1..2", "=", "1.0.2"},
	    {"99999999999999999999.0", ">", "9999999999999999999.9"},
	};
	check_cases (TU_SCHEME_DOTTED, cases, G_N_ELEMENTS (cases));
}

static void
test_apk_order (void)
{
	/* from apk-tools' test/version.data, plus the commit-hash token */
	static const Case cases[] = {
	    {"2.34", ">", "0.1.0_alpha"},
	    {"23_foo", ">", "4_beta"},
	    {"1.0", "<", "1.0bc"},
	    {"0.1.0_alpha", "=", "0.1.0_alpha"},
	    {"0.1.0_alpha2", ">", "0.1.0_alpha"},
	    {"0.1.0_alpha", "<", "2.2.39-r1"},
	    {"1.0.4-r3", "<", "1.0.4-r4"},
	    {"1.1", ">", "1.1_alpha1"},
	    {"1.2.1", ">", "1.2"},
	    {"0.13_beta5", ">", "0.9.12"},
	    {"2.3.0b-r1", "<", "2.3.0b-r2"},
	    {"3.1_p16", "<", "3.1_p17"},
	    {"1.06-r6", "<", "006"},
	    {"006", ">", "1.0.0"},
	    {"20060720", ">", "3.0.20060720"},
	    {"2.5.1-r8", "<", "2.5.1a-r1"},
	    {"4.5_p1-r1", ">", "4.5_p1"},
	    {"1.7", "<", "1.7b"},
	    {"1.8.5", "<", "1.8.5_p2"},
	    {"0.10.0", "<", "0.10.1_rc1"},
	    {"2.1.9.200602141850", ">", "1.6"},
	    {"1.02", "<", "1.03-r1"},
	    {"1.2.07.8", "<", "1.2.12.04"},
	    {"2.10.1", ">", "02.08.01b"},
	    {"0.20070118", "<", "0.20070207_rc1"},
	    {"1.3_pre1-r1", "<", "1.3.2"},
	    {"1.0_p10-r0", ">", "1.0_p9-r0"},
	    {"0.1.0_alpha_pre2", "<", "0.1.0_alpha"},
	    {"1.0.0_pre20191002222144-r0", "<", "1.0.0_pre20210530193627-r0"},
	    {"1.0_alpha", "<", "1.0_beta"},
	    {"1.0_beta", "<", "1.0_pre"},
	    {"1.0_pre", "<", "1.0_rc"},
	    {"1.0_rc", "<", "1.0"},
	    {"1.0", "<", "1.0_cvs"},
	    {"1.0_cvs", "<", "1.0_svn"},
	    {"1.0_svn", "<", "1.0_git"},
	    {"1.0_git", "<", "1.0_hg"},
	    {"1.0_hg", "<", "1.0_p"},
	    {"1.0_p1", "<", "1.0_p1-r1"},
	    {"1.0~abc", ">", "1.0"},
	    {"1.0~abc", "<", "1.0~abd"},
	    {"1.0~abc-r1", ">", "1.0~abc"},
	};
	check_cases (TU_SCHEME_APK, cases, G_N_ELEMENTS (cases));
}

static void
test_pep440_order (void)
{
	/* PEP 440, "Summary of permitted suffixes and relative ordering" */
	static const char *const chain[] = {
	    "1.0.dev456", "1.0a1",	 "1.0a2.dev456", "1.0a12.dev456",	"1.0a12",
	    "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456",
	    "1.0rc1",	  "1.0",	 "1.0+abc.5",	 "1.0+abc.7",		"1.0+5",
	    "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", NULL};
	static const Case cases[] = {
	    {"1.0alpha1", "=", "1.0a1"},
	    {"1.0-ALPHA.1", "=", "1.0a1"},
	    {"1.0c1", "=", "1.0rc1"},
	    {"1.0pre1", "=", "1.0rc1"},
	    {"1.0preview1", "=", "1.0rc1"},
	    {"1.0-1", "=", "1.0.post1"},
	    {"1.0rev1", "=", "1.0.post1"},
	    {"1.0r", "=", "1.0.post0"},
	    {"1.0.dev", "=", "1.0.dev0"},
	    {"v1.0", "=", "1.0"},
	    {"1.0.0", "=", "1.0"},
	    {"1.0+Local", "=", "1.0+local"},
	    {"1.0+local.1", "=", "1.0+local-1"},
	    {"1.0+01", "=", "1.0+1"},
	    {"1!1.0", ">", "2.0"},
	    {" 1.0\n", "=", "1.0"},
	    {"1.0a-1", "=", "1.0a1"},
	    {"1.10", ">", "1.9"},
	    {"99999999999999999999", ">", "99999999999999999998"},
	    /* invalid strings: below every version */
	    {"4.36.-1", "<", "0"},
	};
	check_chain (TU_SCHEME_PEP440, chain);
	check_cases (TU_SCHEME_PEP440, cases, G_N_ELEMENTS (cases));
}

static void
test_generic_order (void)
{
	static const Case cases[] = {
	    {"1.10", ">", "1.9"},	  {"1.0", "<", "1.0a"},	      {"1.0a", "<", "1.0.1"},
	    {"2023-R2", ">", "2023-R1"}, {"abc", "<", "abd"},	      {"V1.0", "<", "v1.0"},
	    {"1.0", "<", "1-0-"},	  {"1.01", ">", "1.1"},	      {"", "<", "0"},
	    {"R2 SP1", "<", "R2 SP2"},	  {"2019 CU12", ">", "2019 CU9"},
	};
	check_cases (TU_SCHEME_GENERIC, cases, G_N_ELEMENTS (cases));
}

/* ---- validation ------------------------------------------------------------------------ */

typedef struct {
	const char *version;
	const char *message; /* NULL: valid */
} ValidateCase;

static void
check_validate (TuScheme scheme, const ValidateCase *cases, gsize n_cases)
{
	for (gsize i = 0; i < n_cases; i++) {
		g_autoptr (GError) error = NULL;
		gboolean ok = tu_version_validate (scheme, cases[i].version, &error);
		if (cases[i].message == NULL) {
			if (!ok)
				g_test_message ("%s: '%s' refused: %s",
						tu_scheme_to_string (scheme), cases[i].version,
						error->message);
			g_assert_no_error (error);
			g_assert_true (ok);
		} else {
			g_assert_false (ok);
			g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
			g_assert_cmpstr (error->message, ==, cases[i].message);
		}
	}
}

static void
test_dpkg_validate (void)
{
	/* dpkg's own words, as `dpkg --compare-versions` prints them */
	static const ValidateCase cases[] = {
	    {"1:2.4.57-2", NULL},
	    {"1.0~rc1+dfsg-1~deb12u1", NULL},
	    {" 1.0 ", NULL},
	    {"1:2:3", NULL},
	    {"", "version '' has bad syntax: version string is empty"},
	    {"  ", "version '  ' has bad syntax: version string is empty"},
	    {"1 0", "version '1 0' has bad syntax: version string has embedded spaces"},
	    {":1", "version ':1' has bad syntax: epoch in version is empty"},
	    {"a:1", "version 'a:1' has bad syntax: epoch in version is empty"},
	    {"1a:1", "version '1a:1' has bad syntax: epoch in version is not number"},
	    {"1.0-1:2", "version '1.0-1:2' has bad syntax: epoch in version is not number"},
	    {"-1:1", "version '-1:1' has bad syntax: epoch in version is negative"},
	    {"2147483648:1", "version '2147483648:1' has bad syntax: epoch in version is too big"},
	    {"1:", "version '1:' has bad syntax: nothing after colon in version number"},
	    {"1.0-", "version '1.0-' has bad syntax: revision number is empty"},
	    {"1:-1", "version '1:-1' has bad syntax: version number is empty"},
	    {"a1", "version 'a1' has bad syntax: version number does not start with digit"},
	    {"1.0@x", "version '1.0@x' has bad syntax: invalid character in version number"},
	    {"1.0-a@", "version '1.0-a@' has bad syntax: invalid character in revision number"},
	};
	check_validate (TU_SCHEME_DPKG, cases, G_N_ELEMENTS (cases));
}

static void
test_rpm_validate (void)
{
	static const ValidateCase cases[] = {
	    {"1:3.0.1-43.el9_0", NULL},
	    {"1.0^git1~pre", NULL},
	    {"2.0", NULL},
	    {":1.0-1", NULL},
	    {"", "invalid version: empty string"},
	    {"1.0 1", "Illegal char ' ' (0x20) in: 1.0 1"},
	    {"1.0/1", "Illegal char '/' (0x2f) in: 1.0/1"},
	    {"1..0", "Illegal sequence \"..\" in: 1..0"},
	    {"1:2:3", "Invalid version (double separator ':'): 1:2:3"},
	    {"1-2-3", "Invalid version (double separator '-'): 1-2-3"},
	    {"a:1.0", "Invalid version (epoch must be unsigned integer): a:1.0"},
	    {"1:-1", "invalid version: empty version in: 1:-1"},
	    {"1.0-", "invalid version: empty release in: 1.0-"},
	};
	check_validate (TU_SCHEME_RPM, cases, G_N_ELEMENTS (cases));
}

static void
test_semver_validate (void)
{
	static const ValidateCase cases[] = {
	    {"1.0.0-alpha.1+build.5", NULL},
	    {"0.0.0", NULL},
	    {"1.0.0-0a.--.x-y", NULL},
	    {"1.0.0+001", NULL},
	    {"9007199254740991.0.0", NULL},
	    {"01.2.3", "invalid semver: leading zero in major version ('01.2.3')"},
	    {"1.02.3", "invalid semver: leading zero in minor version ('1.02.3')"},
	    {"1.2", "invalid semver: expected MAJOR.MINOR.PATCH ('1.2')"},
	    {"1.2.3.4", "invalid semver: unexpected character '.' ('1.2.3.4')"},
	    {"1.2.3-01", "invalid semver: leading zero in pre-release identifier '01' ('1.2.3-01')"},
	    {"1.2.3-", "invalid semver: empty pre-release identifier ('1.2.3-')"},
	    {"1.2.3-a..b", "invalid semver: empty pre-release identifier ('1.2.3-a..b')"},
	    {"1.2.3+", "invalid semver: empty build metadata identifier ('1.2.3+')"},
	    {"1.2.3-a_b", "invalid semver: unexpected character '_' ('1.2.3-a_b')"},
	    {"v1.2.3", "invalid semver: leading 'v' or '=' is not part of a version ('v1.2.3')"},
	    {"x.2.3", "invalid semver: major version is not a number ('x.2.3')"},
	    {"", "invalid semver: empty version ('')"},
	    {"9007199254740992.0.0",
	     "invalid semver: major version is larger than 9007199254740991 "
	     "('9007199254740992.0.0')"},
	};
	check_validate (TU_SCHEME_SEMVER, cases, G_N_ELEMENTS (cases));
}

static void
test_pep440_validate (void)
{
	static const ValidateCase cases[] = {
	    {"1!2.0rc1.post2.dev3+local.7", NULL},
	    {"v1.0", NULL},
	    {"1.0a-", NULL},
	    {"1.0.post.", NULL},
	    {"4.36.-1", "Invalid version: '4.36.-1'"},
	    {"1.0+", "Invalid version: '1.0+'"},
	    {"1.0+a..b", "Invalid version: '1.0+a..b'"},
	    {"french toast", "Invalid version: 'french toast'"},
	    {"1.0-1-1", "Invalid version: '1.0-1-1'"},
	    {"", "Invalid version: ''"},
	};
	check_validate (TU_SCHEME_PEP440, cases, G_N_ELEMENTS (cases));
}

static void
test_apk_validate (void)
{
	static const ValidateCase cases[] = {
	    {"1.0_alpha1-r2", NULL},
	    {"2.1.9.200602141850", NULL},
	    {"1.0_alpha_pre2", NULL},
	    {"1.0~abc123", NULL},
	    {"1.0b-r1", NULL},
	    {"1.0-1", "invalid apk version '1.0-1': unexpected '-1'"},
	    {"1.0_foo", "invalid apk version '1.0_foo': unexpected '_foo'"},
	    {"1.0bc", "invalid apk version '1.0bc': unexpected 'c'"},
	    {"1.0~xyz", "invalid apk version '1.0~xyz': unexpected '~xyz'"},
	    {"1.", "invalid apk version '1.': unexpected '.'"},
	    {"a1", "invalid apk version 'a1': does not start with a digit"},
	};
	check_validate (TU_SCHEME_APK, cases, G_N_ELEMENTS (cases));
}

static void
test_dotted_generic_validate (void)
{
	static const ValidateCase dotted[] = {
	    {"16.0.4266.1001", NULL},
	    {"7", NULL},
	    {"1..2", "invalid dotted version '1..2': part 2 is not a number"},
	    {"1.2a", "invalid dotted version '1.2a': part 2 is not a number"},
	    {"", "invalid dotted version: empty string"},
	};
	static const ValidateCase generic[] = {
	    {"2023-R2", NULL},
	    {"", "version string is empty"},
	    {"1 0", "version '1 0' contains a blank or control character"},
	    {"...", "version '...' has neither digits nor letters"},
	};
	check_validate (TU_SCHEME_DOTTED, dotted, G_N_ELEMENTS (dotted));
	check_validate (TU_SCHEME_GENERIC, generic, G_N_ELEMENTS (generic));
}

static void
test_compare_checked (void)
{
	g_autoptr (GError) error = NULL;
	int result = 42;

	g_assert_true (tu_version_compare_checked (TU_SCHEME_DPKG, "1.0", "1.0~rc1", &result,
						   &error));
	g_assert_no_error (error);
	g_assert_cmpint (result, >, 0);

	result = 42;
	g_assert_false (tu_version_compare_checked (TU_SCHEME_DPKG, "1.0", "1:", &result,
						    &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_cmpstr (error->message, ==,
			 "version '1:' has bad syntax: nothing after colon in version number");
	g_assert_cmpint (result, ==, 42);
}

/* ---- cycle, upstream, names ------------------------------------------------------------ */

static void
test_cycle (void)
{
	static const struct {
		TuScheme scheme;
		const char *version;
		guint n_parts;
		const char *cycle;
	} cases[] = {
	    {TU_SCHEME_DPKG, "3.0.11-1~deb12u2", 2, "3.0"},
	    {TU_SCHEME_DPKG, "1:2.4.57-2", 2, "2.4"},
	    {TU_SCHEME_DPKG, "1:2.4.57-2", 1, "2"},
	    {TU_SCHEME_DPKG, "2:8.2.3995-1+deb12u2", 3, "8.2.3995"},
	    {TU_SCHEME_DPKG, "1.2~rc1-1", 2, "1.2"},
	    {TU_SCHEME_DPKG, "10", 2, "10"},
	    {TU_SCHEME_SEMVER, "17.0.9+9", 1, "17"},
	    {TU_SCHEME_SEMVER, "v1.22.3", 2, "1.22"},
	    {TU_SCHEME_RPM, "3:1.2-3.el9", 2, "1.2"},
	    {TU_SCHEME_PEP440, "1!2.3.4", 2, "2.3"},
	    {TU_SCHEME_PEP440, "3.12.0rc1", 2, "3.12"},
	    {TU_SCHEME_DOTTED, "16.0.4266.1001", 3, "16.0.4266"},
	    {TU_SCHEME_APK, "3.18.4-r0", 2, "3.18"},
	    {TU_SCHEME_GENERIC, "22.04.3 LTS", 2, "22.04"},
	    {TU_SCHEME_GENERIC, "abc", 1, NULL},
	    {TU_SCHEME_DPKG, "", 1, NULL},
	    {TU_SCHEME_DPKG, "1:", 1, NULL},
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *cycle =
		    tu_version_cycle (cases[i].scheme, cases[i].version, cases[i].n_parts);
		g_assert_cmpstr (cycle, ==, cases[i].cycle);
	}
}

static void
test_upstream (void)
{
	static const struct {
		TuScheme scheme;
		const char *version;
		const char *upstream;
	} cases[] = {
	    {TU_SCHEME_DPKG, "1:2.4.57-2", "2.4.57"},
	    {TU_SCHEME_DPKG, "3.0.11-1~deb12u2", "3.0.11"},
	    {TU_SCHEME_DPKG, "1.0", "1.0"},
	    {TU_SCHEME_DPKG, "1:1.0-1-2", "1.0-1"},
	    {TU_SCHEME_DPKG, " 2.0-1 ", "2.0"},
	    {TU_SCHEME_RPM, "1:3.0.1-43.el9_0", "3.0.1"},
	    {TU_SCHEME_RPM, "2.0", "2.0"},
	    {TU_SCHEME_RPM, "2.0-1", "2.0"},
	    {TU_SCHEME_SEMVER, "1.2.3-rc.1", "1.2.3-rc.1"},
	    {TU_SCHEME_APK, "1.2.3-r0", "1.2.3-r0"},
	    {TU_SCHEME_GENERIC, "", ""},
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *up = tu_version_upstream (cases[i].scheme, cases[i].version);
		g_assert_cmpstr (up, ==, cases[i].upstream);
	}
}

static void
test_scheme_names (void)
{
	for (guint i = 0; i < TU_SCHEME_LAST; i++) {
		TuScheme s = TU_SCHEME_LAST;
		const char *name = tu_scheme_to_string ((TuScheme)i);
		g_assert_nonnull (name);
		g_assert_true (tu_scheme_from_string (name, &s));
		g_assert_cmpint (s, ==, i);
	}
	g_assert_true (tu_scheme_from_string ("DPKG", NULL));
	g_assert_false (tu_scheme_from_string ("deb", NULL));
	g_assert_false (tu_scheme_from_string (NULL, NULL));
	g_assert_null (tu_scheme_to_string (TU_SCHEME_LAST));
}

int
main (int argc, char **argv)
{
	static const TuScheme with_files[] = {TU_SCHEME_DPKG, TU_SCHEME_RPM, TU_SCHEME_PEP440,
					      TU_SCHEME_SEMVER};

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/trueup/version/dpkg/order", test_dpkg_order);
	g_test_add_func ("/trueup/version/rpm/order", test_rpm_order);
	g_test_add_func ("/trueup/version/semver/order", test_semver_order);
	g_test_add_func ("/trueup/version/dotted/order", test_dotted_order);
	g_test_add_func ("/trueup/version/apk/order", test_apk_order);
	g_test_add_func ("/trueup/version/pep440/order", test_pep440_order);
	g_test_add_func ("/trueup/version/generic/order", test_generic_order);
	for (gsize i = 0; i < G_N_ELEMENTS (with_files); i++) {
		const char *name = tu_scheme_to_string (with_files[i]);
		g_autofree char *p1 = g_strdup_printf ("/trueup/version/%s/reference-pairs", name);
		g_autofree char *p2 = g_strdup_printf ("/trueup/version/%s/transitive", name);
		g_test_add_data_func (p1, GINT_TO_POINTER (with_files[i]), test_reference_pairs);
		g_test_add_data_func (p2, GINT_TO_POINTER (with_files[i]), test_transitive);
	}
	g_test_add_func ("/trueup/version/dpkg/validate-messages", test_dpkg_validate);
	g_test_add_func ("/trueup/version/rpm/validate-messages", test_rpm_validate);
	g_test_add_func ("/trueup/version/semver/validate-messages", test_semver_validate);
	g_test_add_func ("/trueup/version/pep440/validate-messages", test_pep440_validate);
	g_test_add_func ("/trueup/version/apk/validate-messages", test_apk_validate);
	g_test_add_func ("/trueup/version/dotted-generic/validate-messages",
			 test_dotted_generic_validate);
	g_test_add_func ("/trueup/version/compare-checked", test_compare_checked);
	g_test_add_func ("/trueup/version/cycle", test_cycle);
	g_test_add_func ("/trueup/version/upstream", test_upstream);
	g_test_add_func ("/trueup/version/scheme-names", test_scheme_names);

	return g_test_run ();
}
