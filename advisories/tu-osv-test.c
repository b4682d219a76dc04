/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OSV advisories on real records: the OSV linter's test data (the deliberately invalid records
 * refused, the others accepted), PyPA's YAML read as text, Red Hat's ecosystems, the
 * specification's evaluation on AlmaLinux rpm EVRs, PyPA PEP 440 ranges with unsorted events,
 * Go SEMVER ranges, and hand-written last_affected and limit ranges; then an import of all of
 * shared/data/osv into the embedded store (one server per process, so every database test is
 * in this one program) with counts, read-back and re-import.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-migrate.h"
#include "tu-osv-private.h"
#include "tu-osv.h"
#include "tu-test-store.h"
#include "tu-test-util.h"

/* ---------------------------------------------------------------- helpers -------------- */

typedef struct {
	gboolean ok;
	GError *error;
	GPtrArray *records;  /* TuOsvRecord* */
	GPtrArray *rejected; /* char* */
} Parsed;

static void
parsed_free (Parsed *p)
{
	g_clear_error (&p->error);
	g_ptr_array_unref (p->records);
	g_ptr_array_unref (p->rejected);
	g_free (p);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parsed, parsed_free)

static Parsed *
parse_buf (const char *buf, gsize len, const char *path)
{
	Parsed *p = g_new0 (Parsed, 1);
	p->records = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_osv_record_free);
	p->rejected = g_ptr_array_new_with_free_func (g_free);
	p->ok = tu_osv_parse (buf, len, path, p->records, p->rejected, &p->error);
	g_assert_true (p->ok == (p->error == NULL));
	if (!p->ok) {
		g_assert_cmpuint (p->records->len, ==, 0);
		g_assert_cmpuint (p->rejected->len, ==, 0);
	}
	return p;
}

static Parsed *
parse_text (const char *text)
{
	return parse_buf (text, strlen (text), "test.json");
}

static Parsed *
parse_file (const char *path)
{
	g_autoptr(GBytes) bytes = tu_test_read (path);
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	return parse_buf (data, len, path);
}

static char *
fixture (const char *rel)
{
	g_autofree char *r = g_build_filename ("tests", "fixtures", "osv", rel, NULL);
	return tu_test_source_path (r);
}

/* A shared-data path, or NULL after marking the test skipped. */
static char *
shared (const char *rel)
{
	char *p = tu_test_shared_path (rel);
	if (p == NULL)
		g_test_skip ("shared/data is not on this machine");
	return p;
}

static TuOsvRecord *
the_record (Parsed *p)
{
	g_assert_true (p->ok);
	g_assert_cmpuint (p->rejected->len, ==, 0);
	g_assert_cmpuint (p->records->len, ==, 1);
	return g_ptr_array_index (p->records, 0);
}

static const TuOsvAffected *
find_affected (const TuOsvRecord *r, const char *package)
{
	for (guint i = 0; i < r->affected->len; i++) {
		const TuOsvAffected *a = g_ptr_array_index (r->affected, i);
		if (strcmp (a->package, package) == 0)
			return a;
	}
	g_error ("%s has no affected package %s", r->id, package);
	return NULL;
}

static gboolean
strv_has (GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp (g_ptr_array_index (a, i), s) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
any_contains (GPtrArray *a, const char *needle)
{
	for (guint i = 0; i < a->len; i++)
		if (strstr (g_ptr_array_index (a, i), needle) != NULL)
			return TRUE;
	return FALSE;
}

static gboolean
any_warning_contains (const TuWarnings *w, const char *needle)
{
	for (guint i = 0; i < w->len; i++)
		if (strstr (tu_warnings_text (w, i), needle) != NULL)
			return TRUE;
	return FALSE;
}

/* Evaluate and check verdict and fix in one line. */
static void
check_eval (const TuOsvAffected *a, const char *version, TuOsvVerdict want,
	    const char *want_fixed)
{
	g_autofree char *fixed = NULL;
	g_autofree char *why = NULL;
	TuOsvVerdict got = tu_osv_affected_eval (a, version, &fixed, &why);
	if (got != want)
		g_error ("%s %s %s: verdict %d, expected %d (why: %s, fixed: %s)", a->ecosystem,
			 a->package, version, got, want, why ? why : "-", fixed ? fixed : "-");
	g_assert_cmpstr (fixed, ==, want_fixed);
	if (want == TU_OSV_UNKNOWN)
		g_assert_nonnull (why);
	else
		g_assert_null (why);
}

/* ---------------------------------------------------------------- pure tests ----------- */

static void
test_package_key (void)
{
	static const struct {
		const char *eco, *name, *key;
	} cases[] = {
	    {"PyPI", "Jinja2", "jinja2"},
	    {"PyPI", "zope.interface", "zope-interface"},
	    {"PyPI", "PyYAML", "pyyaml"},
	    {"PyPI", "Foo__Bar-._baz", "foo-bar-baz"},
	    {"PyPI", "typing_extensions", "typing-extensions"},
	    {"npm", "JSONStream", "jsonstream"},
	    {"npm", "@Babel/Core", "@babel/core"},
	    {"AlmaLinux", "openssl-libs", "openssl-libs"},
	    {"Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml"},
	    {"Maven", "org.apache.logging.log4j:log4j-core", "org.apache.logging.log4j:log4j-core"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *key = tu_osv_package_key (cases[i].eco, cases[i].name);
		g_assert_cmpstr (key, ==, cases[i].key);
	}
}

static void
test_scheme_for_ecosystem (void)
{
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("AlmaLinux"), ==, TU_SCHEME_RPM);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("Rocky Linux"), ==, TU_SCHEME_RPM);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("Red Hat"), ==, TU_SCHEME_RPM);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("SUSE"), ==, TU_SCHEME_RPM);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("openSUSE"), ==, TU_SCHEME_RPM);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("Debian"), ==, TU_SCHEME_DPKG);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("Ubuntu"), ==, TU_SCHEME_DPKG);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("Alpine"), ==, TU_SCHEME_APK);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("PyPI"), ==, TU_SCHEME_PEP440);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("npm"), ==, TU_SCHEME_SEMVER);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("Go"), ==, TU_SCHEME_SEMVER);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("crates.io"), ==, TU_SCHEME_SEMVER);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("Maven"), ==, TU_SCHEME_GENERIC);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem ("pypi"), ==, TU_SCHEME_GENERIC);
	g_assert_cmpint (tu_osv_scheme_for_ecosystem (NULL), ==, TU_SCHEME_GENERIC);
}

/* Ecosystem strings split at the first ':' only. */
static void
test_ecosystem_split (void)
{
	static const struct {
		const char *eco, *base, *release;
		TuScheme scheme;
	} cases[] = {
	    {"AlmaLinux:9", "AlmaLinux", "9", TU_SCHEME_RPM},
	    {"Debian:12", "Debian", "12", TU_SCHEME_DPKG},
	    {"Ubuntu:22.04:LTS", "Ubuntu", "22.04:LTS", TU_SCHEME_DPKG},
	    {"Red Hat:rhel_aus:8.6::appstream", "Red Hat", "rhel_aus:8.6::appstream",
	     TU_SCHEME_RPM},
	    {"Alpine:v3.18", "Alpine", "v3.18", TU_SCHEME_APK},
	    {"PyPI", "PyPI", "", TU_SCHEME_PEP440},
	    {"npm", "npm", "", TU_SCHEME_SEMVER},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(TuOsvAffected) a =
			tu_osv_affected_from_json (cases[i].eco, "pkg", NULL, NULL, NULL, &error);
		g_assert_no_error (error);
		g_assert_cmpstr (a->ecosystem, ==, cases[i].eco);
		g_assert_cmpstr (a->ecosystem_base, ==, cases[i].base);
		g_assert_cmpstr (a->ecosystem_release, ==, cases[i].release);
		g_assert_cmpint (a->scheme, ==, cases[i].scheme);
	}
}

/* Every record of the OSV linter's test data, with the verdict SOURCES.md calls for. */
static void
test_linter_testdata (void)
{
	static const struct {
		const char *file;
		const char *id;
		const char *rejected_because; /* NULL: accepted */
		guint n_affected;	      /* stored entries */
		guint n_git;
	} cases[] = {
	    {"nointroduced-CVE-2023-41045.json", "CVE-2023-41045", "without an \"introduced\"", 0,
	     0},
	    {"SUSE-FU-2022_0444-1.json", "SUSE-FU-2022:0444-1", "\"affected\" is missing or empty",
	     0, 0},
	    {"RHSA-2022_0216.json", "RHSA-2022:0216", "\"affected\" is missing or empty", 0, 0},
	    {"GHSA-9v2f-6vcg-3hgv.json", "GHSA-9v2f-6vcg-3hgv", NULL, 1, 0},
	    {"nopackage-GHSA-9v2f-6vcg-3hgv.json", "GHSA-9v2f-6vcg-3hgv", NULL, 1, 0},
	    {"MAL-2024-10238.json", "MAL-2024-10238", NULL, 1, 0},
	    {"nondistinct-CVE-2018-5407.json", "CVE-2018-5407", NULL, 6, 2},
	    {"CVE-2018-5407.json", "CVE-2018-5407", NULL, 6, 1},
	    {"CVE-2023-41045.json", "CVE-2023-41045", NULL, 0, 1},
	    {"GO-2020-0001.json", "GO-2020-0001", NULL, 1, 0},
	    {"GO-2024-2963.json", "GO-2024-2963", NULL, 1, 0},
	    {"PYSEC-2023-74.json", "PYSEC-2023-74", NULL, 1, 1},
	};
	g_autofree char *dir = fixture ("linter-testdata");
	g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
	g_assert_nonnull (d);
	guint n_files = 0;
	while (g_dir_read_name (d) != NULL)
		n_files++;
	g_assert_cmpuint (n_files, ==, G_N_ELEMENTS (cases)); /* a verdict for every file */

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *path = g_build_filename (dir, cases[i].file, NULL);
		g_autoptr(Parsed) p = parse_file (path);
		g_assert_no_error (p->error);
		if (cases[i].rejected_because != NULL) {
			g_assert_cmpuint (p->records->len, ==, 0);
			g_assert_cmpuint (p->rejected->len, ==, 1);
			const char *msg = g_ptr_array_index (p->rejected, 0);
			/* "PATH: ID: reason" */
			g_autofree char *prefix = g_strdup_printf ("%s: %s: ", path, cases[i].id);
			g_assert_true (g_str_has_prefix (msg, prefix));
			g_assert_nonnull (strstr (msg, cases[i].rejected_because));
			continue;
		}
		TuOsvRecord *r = the_record (p);
		g_assert_cmpstr (r->id, ==, cases[i].id);
		g_assert_cmpuint (r->affected->len, ==, cases[i].n_affected);
		g_assert_cmpuint (r->n_git_ranges, ==, cases[i].n_git);
	}
	/* the RNG:001 and REC:001 messages name the check */
	g_autofree char *ni = g_build_filename (dir, "nointroduced-CVE-2023-41045.json", NULL);
	g_autoptr(Parsed) p = parse_file (ni);
	g_assert_nonnull (strstr (g_ptr_array_index (p->rejected, 0), "affected[0].ranges[0]"));
	g_assert_nonnull (strstr (g_ptr_array_index (p->rejected, 0), "RNG:001"));
}

/* GHSA-9v2f-6vcg-3hgv lists 4.36.-1, which is no PEP 440 version: reported, left out. */
static void
test_invalid_version_reported (void)
{
	g_autofree char *path = fixture ("linter-testdata/GHSA-9v2f-6vcg-3hgv.json");
	g_autoptr(Parsed) p = parse_file (path);
	TuOsvRecord *r = the_record (p);
	const TuOsvAffected *a = find_affected (r, "Gradio");
	g_assert_cmpstr (a->ecosystem_base, ==, "PyPI");
	g_assert_cmpstr (a->package_key, ==, "gradio");
	g_assert_cmpint (a->scheme, ==, TU_SCHEME_PEP440);
	g_assert_cmpuint (a->versions->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (a->versions, 0), ==, "4.36.1");
	g_assert_cmpuint (a->invalid_versions->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (a->invalid_versions, 0), ==, "4.36.-1");
	g_assert_true (any_contains (r->warnings, "4.36.-1"));
	/* severity: the CVSS vector scored, and the GHSA word */
	g_assert_cmpstr (r->cvss_vector, ==, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	g_assert_cmpfloat_with_epsilon (r->cvss_score, 9.8, 1e-9);
	g_assert_cmpstr (r->severity, ==, "CRITICAL");
	g_assert_true (strv_has (r->aliases, "CVE-2024-39236"));
	/* only listed versions: exactly 4.36.1 (and versions PEP 440 calls equal to it) */
	check_eval (a, "4.36.1", TU_OSV_AFFECTED, NULL);
	check_eval (a, "4.36.1.0", TU_OSV_AFFECTED, NULL);
	check_eval (a, "4.36.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "4.37.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "4.36.-1", TU_OSV_UNKNOWN, NULL);
}

/* PyPA YAML: unquoted timestamps and versions stay text ("1.10" is not 1.1), block scalars,
 * details as the summary, GIT range counted, ECOSYSTEM range and versions kept. */
static void
test_yaml_scalars_as_text (void)
{
	g_autofree char *path = fixture ("pypa/PYSEC-2023-192.yaml");
	g_autoptr(Parsed) p = parse_file (path);
	TuOsvRecord *r = the_record (p);
	g_assert_cmpstr (r->id, ==, "PYSEC-2023-192");
	g_assert_cmpstr (r->modified, ==, "2023-10-10T14:28:19.389317Z");
	g_assert_cmpstr (r->published, ==, "2023-10-04T17:15:00Z");
	g_assert_null (r->withdrawn);
	g_assert_true (g_str_has_prefix (r->summary, "urllib3 is a user-friendly HTTP client "
						     "library for Python. urllib3 doesn't treat"));
	g_assert_cmpuint (r->aliases->len, ==, 2);
	g_assert_true (strv_has (r->aliases, "CVE-2023-43804"));
	g_assert_true (strv_has (r->aliases, "GHSA-v845-jxx5-vc9f"));
	g_assert_cmpuint (r->n_git_ranges, ==, 1);
	g_assert_cmpfloat_with_epsilon (r->cvss_score, 8.1, 1e-9);
	const TuOsvAffected *a = find_affected (r, "urllib3");
	g_assert_cmpstr (a->purl, ==, "pkg:pypi/urllib3");
	g_assert_cmpuint (a->ranges->len, ==, 1);
	g_assert_cmpuint (a->versions->len, ==, 85);
	g_assert_cmpuint (a->invalid_versions->len, ==, 0);
	g_assert_true (strv_has (a->versions, "1.10"));
	g_assert_true (strv_has (a->versions, "1.1"));
	g_assert_true (strv_has (a->versions, "1.20"));
	g_assert_true (strv_has (a->versions, "0.2"));
	g_assert_true (strv_has (a->versions, "1.26.16"));
	/* events in file order */
	const TuOsvRange *range = g_ptr_array_index (a->ranges, 0);
	g_assert_cmpstr (range->type, ==, "ECOSYSTEM");
	g_assert_cmpuint (range->events->len, ==, 4);
	const TuOsvEvent *e0 = g_ptr_array_index (range->events, 0);
	const TuOsvEvent *e3 = g_ptr_array_index (range->events, 3);
	g_assert_cmpstr (e0->kind, ==, "introduced");
	g_assert_cmpstr (e0->version, ==, "2.0.0");
	g_assert_cmpstr (e3->kind, ==, "fixed");
	g_assert_cmpstr (e3->version, ==, "1.26.17");
}

/* The same advisory in PyPA's YAML and in the linter's JSON reads the same. */
static void
test_yaml_and_json_agree (void)
{
	g_autofree char *yaml_path = shared ("osv/pypa/vulns/requests/PYSEC-2023-74.yaml");
	if (yaml_path == NULL)
		return;
	g_autofree char *json_path = fixture ("linter-testdata/PYSEC-2023-74.json");
	g_autoptr(Parsed) py = parse_file (yaml_path);
	g_autoptr(Parsed) pj = parse_file (json_path);
	TuOsvRecord *y = the_record (py), *j = the_record (pj);
	g_assert_cmpstr (y->id, ==, j->id);
	g_assert_cmpuint (y->n_git_ranges, ==, j->n_git_ranges);
	g_assert_cmpuint (y->aliases->len, ==, j->aliases->len);
	const TuOsvAffected *ay = find_affected (y, "requests");
	const TuOsvAffected *aj = find_affected (j, "requests");
	g_assert_cmpuint (ay->versions->len, ==, aj->versions->len);
	for (guint i = 0; i < aj->versions->len; i++)
		g_assert_true (strv_has (ay->versions, g_ptr_array_index (aj->versions, i)));
	g_assert_cmpuint (ay->ranges->len, ==, 1);
	const TuOsvRange *ry = g_ptr_array_index (ay->ranges, 0);
	const TuOsvRange *rj = g_ptr_array_index (aj->ranges, 0);
	g_assert_cmpuint (ry->events->len, ==, rj->events->len);
	for (guint i = 0; i < rj->events->len; i++) {
		const TuOsvEvent *ey = g_ptr_array_index (ry->events, i);
		const TuOsvEvent *ej = g_ptr_array_index (rj->events, i);
		g_assert_cmpstr (ey->kind, ==, ej->kind);
		g_assert_cmpstr (ey->version, ==, ej->version);
	}
	check_eval (ay, "2.30.0", TU_OSV_AFFECTED, "2.31.0");
	check_eval (aj, "2.30.0", TU_OSV_AFFECTED, "2.31.0");
	check_eval (ay, "2.2.1", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (ay, "2.31.0", TU_OSV_NOT_AFFECTED, NULL);
}

/* Red Hat's converted CSAF advisories: long ecosystems split at the first ':'. */
static void
test_redhat_ecosystems (void)
{
	g_autofree char *path = shared ("osv/osv-schema/redhat-testdata/RHSA-2024_6220.json");
	if (path == NULL)
		return;
	g_autoptr(Parsed) p = parse_file (path);
	TuOsvRecord *r = the_record (p);
	g_assert_cmpstr (r->id, ==, "RHSA-2024:6220");
	g_assert_cmpuint (r->affected->len, ==, 228);
	g_assert_cmpfloat_with_epsilon (r->cvss_score, 8.8, 1e-9);
	for (guint i = 0; i < r->affected->len; i++) {
		const TuOsvAffected *a = g_ptr_array_index (r->affected, i);
		g_assert_cmpstr (a->ecosystem_base, ==, "Red Hat");
		g_assert_true (g_str_has_prefix (a->ecosystem, "Red Hat:"));
		g_assert_cmpstr (a->ecosystem_release, ==, a->ecosystem + strlen ("Red Hat:"));
		g_assert_cmpint (a->scheme, ==, TU_SCHEME_RPM);
		g_assert_true (g_str_has_prefix (a->purl, "pkg:rpm/redhat/"));
		g_assert_cmpuint (a->invalid_versions->len, ==, 0);
	}
	g_autofree char *path2 = shared ("osv/osv-schema/redhat-testdata/RHSA-2024_4546.json");
	g_autoptr(Parsed) p2 = parse_file (path2);
	g_assert_cmpuint (the_record (p2)->affected->len, ==, 9);
}

/* Files that are not OSV at all are refused whole, with the file and the reason. */
static void
test_not_osv_refused (void)
{
	static const struct {
		const char *rel;
		const char *because;
	} files[] = {
		{"kev/known_exploited_vulnerabilities.json", "not an OSV record"},
		{"kev/known_exploited_vulnerabilities.csv", "neither JSON nor valid YAML"},
		{"kev/known_exploited_vulnerabilities_schema.json", "not an OSV record"},
		{"endoflife/releases/nginx.json", "not an OSV record"},
		{"endoflife/api_v1/openapi.yml", "not OSV records"},
		{"endoflife/products/nginx.md", "neither JSON nor valid YAML"},
		{"osv/osv-schema/schema.json", "not an OSV record"},
		{"osv/osv-schema/ecosystems.json", "not an OSV record"},
		{"osv/curl/curl-vuln-table.psv", "neither JSON nor valid YAML"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
		g_autofree char *path = shared (files[i].rel);
		if (path == NULL)
			return;
		g_autoptr(Parsed) p = parse_file (path);
		g_assert_error (p->error, TU_ERROR, TU_ERROR_INVALID_DATA);
		g_assert_true (g_str_has_prefix (p->error->message, path));
		if (strstr (p->error->message, files[i].because) == NULL)
			g_error ("%s: %s", files[i].rel, p->error->message);
	}

	static const struct {
		const char *text;
		const char *because;
	} texts[] = {
	    {"", "empty"},
	    {" \n\t\n", "empty"},
	    {"{\"id\": \"X-1\", \"affected\": [", "test.json:1:"},
	    {"[1, 2]", "element 0 is a plain value"},
	    {"[{\"id\": \"A-1\", \"affected\": []}, {\"foo\": 1}]",
	     "element 1 is an object without OSV fields"},
	    {"\"just a string\"", "not an OSV record"},
	    /* json-glib alone would keep only the last of several values */
	    {"{\"id\": \"A\", \"modified\": \"x\"}\n{\"id\": \"B\", \"modified\": \"x\"}\n",
	     "more than one JSON value"},
	    {"hello world\n", "the document is a plain value"},
	    {"id: A\naffected: &x [1]\nmodified: *x\n", "aliases"},
	    {"id: A\nid: B\n", "duplicate key"},
	    {"? [a, b]\n: c\n", "a collection used as a mapping key"},
	    {"\xff\xfe{\x00", "not UTF-8"},
	    {"id: \"a\\0b\"\nmodified: x\n", "NUL"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (texts); i++) {
		gsize len = strlen (texts[i].text);
		if (texts[i].text[0] == '\xff')
			len = 4;
		g_autoptr(Parsed) p = parse_buf (texts[i].text, len, "test.json");
		g_assert_error (p->error, TU_ERROR, TU_ERROR_INVALID_DATA);
		if (strstr (p->error->message, texts[i].because) == NULL)
			g_error ("text %u: \"%s\" does not say %s", i, p->error->message,
				 texts[i].because);
	}

	/* nesting beyond the limit, in both syntaxes */
	GString *deep = g_string_new ("{\"id\": \"A\", \"x\": ");
	for (guint i = 0; i < 100000; i++)
		g_string_append_c (deep, '[');
	g_autoptr(Parsed) pd = parse_buf (deep->str, deep->len, "deep.json");
	g_assert_error (pd->error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (pd->error->message, "nested deeper than 64 levels"));
	g_string_assign (deep, "id: A\nx: ");
	for (guint i = 0; i < 1000; i++)
		g_string_append_c (deep, '[');
	g_autoptr(Parsed) py = parse_buf (deep->str, deep->len, "deep.yaml");
	g_assert_error (py->error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_string_free (deep, TRUE);
}

/* Malformed records are refused one by one; the others in the file are kept. */
static void
test_malformed_records (void)
{
	static const struct {
		const char *affected; /* the "affected" member of a record */
		const char *because;
	} cases[] = {
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": "
	     "\"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\", \"fixed\": \"1.0\"}]}]}]",
	     "exactly one of"},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": "
	     "\"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {}]}]}]",
	     "exactly one of"},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": "
	     "\"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixd\": \"1.0\"}]}]}]",
	     "unknown event \"fixd\""},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": "
	     "\"SEMVER2\", \"events\": [{\"introduced\": \"0\"}]}]}]",
	     "unknown range type \"SEMVER2\""},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": "
	     "\"SEMVER\", \"events\": [{\"fixed\": \"1.0.0\"}]}]}]",
	     "RNG:001"},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": "
	     "\"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.0\"}, "
	     "{\"last_affected\": \"0.9\"}]}]}]",
	     "both \"fixed\" and \"last_affected\""},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": "
	     "\"ECOSYSTEM\"}]}]",
	     "without events"},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": "
	     "\"ECOSYSTEM\", \"events\": [{\"introduced\": 0}]}]}]",
	     "is not a string"},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"versions\": [1.10]}]",
	     "versions[0] is not a string"},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}}]",
	     "no affected entry can be used"},
	    {"[{\"versions\": [\"1.0\"]}]", "no affected entry can be used"},
	    {"[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"versions\": "
	     "[\"not a version\"]}]",
	     "no affected entry can be used"},
	    {"[\"PyPI\"]", "affected[0] is not an object"},
	    {"{}", "\"affected\" is not an array"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *text = g_strdup_printf (
		    "[{\"id\": \"GOOD-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": "
		    "[{\"package\": {\"ecosystem\": \"npm\", \"name\": \"left-pad\"}, "
		    "\"versions\": [\"1.0.0\"]}]},\n"
		    " {\"id\": \"BAD-%u\", \"affected\": %s}]",
		    i, cases[i].affected);
		g_autoptr(Parsed) p = parse_text (text);
		g_assert_no_error (p->error);
		g_assert_cmpuint (p->records->len, ==, 1);
		g_assert_cmpstr (((TuOsvRecord *) g_ptr_array_index (p->records, 0))->id, ==,
				 "GOOD-1");
		g_assert_cmpuint (p->rejected->len, ==, 1);
		const char *msg = g_ptr_array_index (p->rejected, 0);
		/* a record inside an array is named with its line */
		g_autofree char *prefix = g_strdup_printf ("test.json:2: BAD-%u: ", i);
		if (!g_str_has_prefix (msg, prefix) || strstr (msg, cases[i].because) == NULL)
			g_error ("case %u: \"%s\" should start with \"%s\" and say \"%s\"", i, msg,
				 prefix, cases[i].because);
	}
	/* no id */
	g_autoptr(Parsed) p =
	    parse_text ("{\"modified\": \"2024-01-01T00:00:00Z\", \"affected\": []}");
	g_assert_cmpuint (p->rejected->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (p->rejected, 0), ==, "test.json: (no id): no \"id\"");
}

/* related CVE ids become aliases; other related ids do not; summary from details. */
static void
test_related_and_summary (void)
{
	g_autoptr(Parsed) p = parse_text (
	    "{\"id\": \"ALSA-2099:0001\", \"related\": [\"CVE-2099-0001\", \"RHSA-2099:0001\", "
	    "\"CVE-2099-0001\"], \"aliases\": [\"ALSA-2099:0001\"], \"details\": \"\\n\\n  First "
	    "line.  \\nSecond line.\", \"severity\": [{\"type\": \"CVSS_V4\", \"score\": "
	    "\"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N\"}], "
	    "\"published\": \"yesterday\", \"withdrawn\": \"2099-01-02T03:04:05+02:00\", "
	    "\"affected\": [{\"package\": {\"ecosystem\": \"AlmaLinux:9\", \"name\": \"x\"}, "
	    "\"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, "
	    "{\"fixed\": \"1:1.0-1.el9\"}]}]}]}");
	TuOsvRecord *r = the_record (p);
	g_assert_cmpuint (r->aliases->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (r->aliases, 0), ==, "CVE-2099-0001");
	g_assert_cmpstr (r->summary, ==, "First line.");
	/* a CVSS v4 vector is scored (the OSV schema's example: 5.1) */
	g_assert_true (g_str_has_prefix (r->cvss_vector, "CVSS:4.0/"));
	g_assert_cmpfloat (r->cvss_score, ==, 5.1);
	g_assert_cmpstr (r->severity_source, ==, "CVSS_V4");
	/* a malformed v4 vector: a warning naming the metric, no score, no severity */
	g_autoptr(Parsed) bad =
		parse_text ("{\"id\": \"GHSA-bad4\", \"severity\": [{\"type\": \"CVSS_V4\", "
			    "\"score\": \"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/"
			    "SI:N\"}], \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", "
			    "\"name\": \"x\"}, \"versions\": [\"1.0\"]}]}");
	TuOsvRecord *rb = the_record (bad);
	g_assert_cmpfloat (rb->cvss_score, <, 0);
	g_assert_null (rb->severity_source);
	g_assert_null (rb->severity);
	g_assert_true (any_contains (rb->warnings, "base metric SA is missing (no score)"));
	/* a bad time is kept as written and reported */
	g_assert_cmpstr (r->published, ==, "yesterday");
	g_assert_true (any_contains (r->warnings, "\"published\" is not an RFC 3339 time"));
	/* about the field, not the record */
	g_assert_true (any_contains (r->warnings, "the record is stored without its published date"));
	g_assert_true (any_contains (r->warnings, "withdrawn"));
}

/* Severity on one scale with its source: the vector first; else the record's own label
 * (database_specific, ecosystem_specific, Ubuntu's priority, AlmaLinux's label leading its
 * summary); a label outside the table warned about by record and never guessed. */
static void
test_severity_sources (void)
{
	/* the real AlmaLinux record: no vector, "Moderate: openssl security update" */
	g_autofree char *alma = fixture ("almalinux/ALSA-2024_0310.json");
	g_autoptr(Parsed) pa = parse_file (alma);
	TuOsvRecord *ra = the_record (pa);
	g_assert_null (ra->cvss_vector);
	g_assert_cmpstr (ra->severity, ==, "Moderate");
	g_assert_cmpstr (ra->severity_source, ==, "summary");
	TuSeverity sev = TU_SEVERITY_UNKNOWN;
	g_assert_true (tu_severity_from_label (ra->severity, &sev));
	g_assert_cmpint (sev, ==, TU_SEVERITY_MEDIUM);
	/* a summary whose first word is its subject is no label */
	g_autoptr(Parsed) pp = parse_text (
	    "{\"id\": \"X-1\", \"summary\": \"php: buffer overflow\", \"affected\": [{\"package\": "
	    "{\"ecosystem\": \"AlmaLinux:9\", \"name\": \"php\"}, \"versions\": [\"1.0-1\"]}]}");
	TuOsvRecord *rp = the_record (pp);
	g_assert_null (rp->severity);
	g_assert_null (rp->severity_source);
	/* database_specific, and the vector before it */
	g_autoptr(Parsed) pd = parse_text (
	    "{\"id\": \"X-2\", \"database_specific\": {\"severity\": \"MODERATE\"}, "
	    "\"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, "
	    "\"versions\": [\"1.0\"]}]}");
	TuOsvRecord *rd = the_record (pd);
	g_assert_cmpstr (rd->severity, ==, "MODERATE");
	g_assert_cmpstr (rd->severity_source, ==, "database_specific");
	g_assert_true (tu_severity_from_label (rd->severity, &sev));
	g_assert_cmpint (sev, ==, TU_SEVERITY_MEDIUM);
	g_autoptr(Parsed) pv = parse_text (
	    "{\"id\": \"X-3\", \"severity\": [{\"type\": \"CVSS_V3\", \"score\": "
	    "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}], \"database_specific\": "
	    "{\"severity\": \"LOW\"}, \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", "
	    "\"name\": \"a\"}, \"versions\": [\"1.0\"]}]}");
	TuOsvRecord *rv = the_record (pv);
	g_assert_cmpstr (rv->severity_source, ==, "CVSS_V3");
	g_assert_cmpint (tu_severity_from_score (rv->cvss_score), ==, TU_SEVERITY_CRITICAL);
	/* ecosystem_specific of an affected entry; Ubuntu's priority */
	g_autoptr(Parsed) pe = parse_text (
	    "{\"id\": \"X-4\", \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", "
	    "\"name\": \"a\"}, \"versions\": [\"1.0-1\"], \"ecosystem_specific\": {\"severity\": "
	    "\"high\"}}]}");
	g_assert_cmpstr (the_record (pe)->severity_source, ==, "ecosystem_specific");
	g_autoptr(Parsed) pu = parse_text (
	    "{\"id\": \"UBUNTU-1\", \"severity\": [{\"type\": \"Ubuntu\", \"score\": "
	    "\"negligible\"}], \"affected\": [{\"package\": {\"ecosystem\": \"Ubuntu:22.04:LTS\", "
	    "\"name\": \"a\"}, \"versions\": [\"1.0-1\"]}]}");
	TuOsvRecord *ru = the_record (pu);
	g_assert_cmpstr (ru->severity_source, ==, "Ubuntu");
	g_assert_true (tu_severity_from_label (ru->severity, &sev));
	g_assert_cmpint (sev, ==, TU_SEVERITY_NONE);
	/* an unknown label: kept, warned about, never mapped */
	g_autoptr(Parsed) px = parse_text (
	    "{\"id\": \"X-5\", \"database_specific\": {\"severity\": \"Urgent\"}, "
	    "\"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, "
	    "\"versions\": [\"1.0\"]}]}");
	TuOsvRecord *rx = the_record (px);
	g_assert_true (any_contains (rx->warnings, "unknown label \"Urgent\""));
	g_assert_false (tu_severity_from_label (rx->severity, &sev));
	/* a malformed vector: warned, no score, the label used instead */
	g_autoptr(Parsed) pm = parse_text (
	    "{\"id\": \"X-6\", \"severity\": [{\"type\": \"CVSS_V3\", \"score\": "
	    "\"CVSS:3.1/AV:Q\"}], \"database_specific\": {\"severity\": \"HIGH\"}, "
	    "\"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, "
	    "\"versions\": [\"1.0\"]}]}");
	TuOsvRecord *rm = the_record (pm);
	g_assert_cmpfloat (rm->cvss_score, <, 0);
	g_assert_true (any_contains (rm->warnings, "no score"));
	g_assert_cmpstr (rm->severity_source, ==, "database_specific");
	/* the scale */
	g_assert_cmpint (tu_severity_from_score (0.0), ==, TU_SEVERITY_NONE);
	g_assert_cmpint (tu_severity_from_score (3.9), ==, TU_SEVERITY_LOW);
	g_assert_cmpint (tu_severity_from_score (4.0), ==, TU_SEVERITY_MEDIUM);
	g_assert_cmpint (tu_severity_from_score (8.9), ==, TU_SEVERITY_HIGH);
	g_assert_cmpint (tu_severity_from_score (9.0), ==, TU_SEVERITY_CRITICAL);
	g_assert_true (tu_severity_from_label ("Important", &sev));
	g_assert_cmpint (sev, ==, TU_SEVERITY_HIGH);
	g_assert_cmpstr (tu_severity_to_string (TU_SEVERITY_UNKNOWN), ==, "unknown");
}

/* AlmaLinux rpm EVRs: epochs, dist tags, module builds. */
static void
test_eval_almalinux_rpm (void)
{
	g_autofree char *path = fixture ("almalinux/ALSA-2024_0310.json");
	g_autoptr(Parsed) p = parse_file (path);
	TuOsvRecord *r = the_record (p);
	g_assert_cmpstr (r->id, ==, "ALSA-2024:0310");
	g_assert_true (strv_has (r->aliases, "CVE-2023-5363"));
	g_assert_cmpstr (r->summary, ==, "Moderate: openssl security update");
	const TuOsvAffected *a = find_affected (r, "openssl-libs");
	g_assert_cmpstr (a->ecosystem_base, ==, "AlmaLinux");
	g_assert_cmpstr (a->ecosystem_release, ==, "9");
	g_assert_cmpint (a->scheme, ==, TU_SCHEME_RPM);
	const char *fix = "1:3.0.7-25.el9_3";
	check_eval (a, "1:3.0.7-24.el9", TU_OSV_AFFECTED, fix);
	check_eval (a, "1:3.0.7-25.el9", TU_OSV_AFFECTED, fix);   /* el9 < el9_3 */
	check_eval (a, "1:3.0.7-25.el9_3", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1:3.0.7-27.el9", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1:3.0.1-47.el9_1", TU_OSV_AFFECTED, fix);
	check_eval (a, "1:3.2.2-6.el9_5", TU_OSV_NOT_AFFECTED, NULL);
	/* no epoch is epoch 0: below every 1: version, however high */
	check_eval (a, "3.0.7-99.el9", TU_OSV_AFFECTED, fix);
	check_eval (a, "9.9.9-1.el9", TU_OSV_AFFECTED, fix);
	check_eval (a, "2:1.0-1.el9", TU_OSV_NOT_AFFECTED, NULL);
	/* rpm refuses illegal characters: unknown, never a guess */
	check_eval (a, "1:3.0.7 25", TU_OSV_UNKNOWN, NULL);
	check_eval (a, "", TU_OSV_UNKNOWN, NULL);

	/* module builds: 8.1.14-1.module_el9.2.0+24+ca6bd7c2 */
	g_autofree char *mpath = fixture ("almalinux/ALSA-2023_2417.json");
	g_autoptr(Parsed) mp = parse_file (mpath);
	const TuOsvAffected *php = find_affected (the_record (mp), "php");
	const char *mfix = "8.1.14-1.module_el9.2.0+24+ca6bd7c2";
	check_eval (php, "8.1.14-1.module_el9.1.0+15+94ba28e4", TU_OSV_AFFECTED, mfix);
	check_eval (php, "8.1.8-1.module_el9.1.0+15+94ba28e4", TU_OSV_AFFECTED, mfix);
	check_eval (php, mfix, TU_OSV_NOT_AFFECTED, NULL);
	check_eval (php, "8.1.27-1.module_el9.4.0+98+ee8c4a4f", TU_OSV_NOT_AFFECTED, NULL);
}

/* PEP 440 with the events out of order: urllib3's 2.0.0..2.0.6 listed before 0..1.26.17. */
static void
test_eval_pep440_unsorted (void)
{
	g_autofree char *path = fixture ("pypa/PYSEC-2023-192.yaml");
	g_autoptr(Parsed) p = parse_file (path);
	const TuOsvAffected *a = find_affected (the_record (p), "urllib3");
	check_eval (a, "0.3", TU_OSV_AFFECTED, "1.26.17");
	check_eval (a, "1.10", TU_OSV_AFFECTED, "1.26.17");
	check_eval (a, "1.26.16", TU_OSV_AFFECTED, "1.26.17");
	check_eval (a, "1.26.17rc1", TU_OSV_AFFECTED, "1.26.17");
	check_eval (a, "1.26.17", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1.26.17.post1", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1.26.18", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1.999", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "2.0.0a1", TU_OSV_NOT_AFFECTED, NULL); /* before 2.0.0 */
	check_eval (a, "2.0.0", TU_OSV_AFFECTED, "2.0.6");
	check_eval (a, "2.0.5", TU_OSV_AFFECTED, "2.0.6");
	check_eval (a, "2.0.6", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "2.1.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "v1.26.16", TU_OSV_AFFECTED, "1.26.17"); /* PEP 440 allows the v */
	check_eval (a, "1.26.x", TU_OSV_UNKNOWN, NULL);
	g_autofree char *why = NULL;
	g_assert_cmpint (tu_osv_affected_eval (a, "latest", NULL, &why), ==, TU_OSV_UNKNOWN);
	g_assert_nonnull (strstr (why, "latest"));
}

/* SEMVER ranges from the linter's Go records: pre-release introduced "1.22.0-0". */
static void
test_eval_semver_go (void)
{
	g_autofree char *path = fixture ("linter-testdata/GO-2024-2963.json");
	g_autoptr(Parsed) p = parse_file (path);
	const TuOsvAffected *a = find_affected (the_record (p), "stdlib");
	g_assert_cmpstr (a->ecosystem_base, ==, "Go");
	check_eval (a, "1.0.0", TU_OSV_AFFECTED, "1.21.12");
	check_eval (a, "1.21.11", TU_OSV_AFFECTED, "1.21.12");
	check_eval (a, "1.21.12", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1.21.99", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1.22.0-rc.1", TU_OSV_AFFECTED, "1.22.5");
	check_eval (a, "1.22.0", TU_OSV_AFFECTED, "1.22.5");
	check_eval (a, "1.22.4", TU_OSV_AFFECTED, "1.22.5");
	check_eval (a, "1.22.5", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1.23.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (a, "1.22", TU_OSV_UNKNOWN, NULL);

	g_autofree char *path2 = fixture ("linter-testdata/GO-2020-0001.json");
	g_autoptr(Parsed) p2 = parse_file (path2);
	const TuOsvAffected *gin = find_affected (the_record (p2), "github.com/gin-gonic/gin");
	check_eval (gin, "1.5.0", TU_OSV_AFFECTED, "1.6.0");
	check_eval (gin, "1.6.0-rc.1", TU_OSV_AFFECTED, "1.6.0");
	check_eval (gin, "1.6.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (gin, "1.6.0+build.7", TU_OSV_NOT_AFFECTED, NULL);

	/* Alpine apk versions in ECOSYSTEM ranges */
	g_autofree char *path3 = fixture ("linter-testdata/CVE-2018-5407.json");
	g_autoptr(Parsed) p3 = parse_file (path3);
	const TuOsvAffected *ossl = g_ptr_array_index (the_record (p3)->affected, 0);
	g_assert_cmpstr (ossl->ecosystem, ==, "Alpine:v3.3");
	g_assert_cmpint (ossl->scheme, ==, TU_SCHEME_APK);
	check_eval (ossl, "1.0.2p-r0", TU_OSV_AFFECTED, "1.0.2q-r0");
	check_eval (ossl, "1.0.2q-r0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (ossl, "1.0.2q_rc1-r0", TU_OSV_AFFECTED, "1.0.2q-r0");
}

static TuOsvAffected *
make_affected (const char *ecosystem, const char *ranges, const char *versions)
{
	g_autoptr(GError) error = NULL;
	TuOsvAffected *a =
		tu_osv_affected_from_json (ecosystem, "pkg", NULL, ranges, versions, &error);
	g_assert_no_error (error);
	return a;
}

/* last_affected is inclusive, limit exclusive, "*" unbounded; several ranges. */
static void
test_eval_last_affected_and_limit (void)
{
	/* the specification's last_affected example */
	g_autoptr(TuOsvAffected) la = make_affected (
		"Maven", "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
			 "{\"last_affected\":\"2.1.214\"}]}]",
		NULL);
	check_eval (la, "1.4.200", TU_OSV_AFFECTED, NULL);
	check_eval (la, "2.1.214", TU_OSV_AFFECTED, NULL); /* inclusive, and nothing fixes it */
	check_eval (la, "2.1.215", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (la, "2.2", TU_OSV_NOT_AFFECTED, NULL);

	/* limit: versions at or past it are outside the range */
	g_autoptr(TuOsvAffected) lim = make_affected (
		"npm", "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},"
		       "{\"limit\":\"2.0.0\"}]}]",
		NULL);
	check_eval (lim, "0.9.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (lim, "1.0.0", TU_OSV_AFFECTED, NULL);
	check_eval (lim, "1.9.9", TU_OSV_AFFECTED, NULL);
	check_eval (lim, "2.0.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (lim, "3.0.0", TU_OSV_NOT_AFFECTED, NULL);

	/* several limits: before any one of them; "*" is infinity */
	g_autoptr(TuOsvAffected) lims = make_affected (
	    "npm",
	    "[{\"type\":\"SEMVER\",\"events\":[{\"limit\":\"1.5.0\"},{\"introduced\":\"1.0.0\"},"
	    "{\"fixed\":\"1.2.0\"},{\"limit\":\"1.1.0\"}]},"
	    "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"5.0.0\"},{\"limit\":\"*\"}]}]",
	    NULL);
	check_eval (lims, "1.0.5", TU_OSV_AFFECTED, "1.2.0");
	check_eval (lims, "1.1.5", TU_OSV_AFFECTED, "1.2.0"); /* before the 1.5.0 limit */
	check_eval (lims, "1.3.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (lims, "4.0.0", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (lims, "5.0.0", TU_OSV_AFFECTED, NULL);
	check_eval (lims, "99.0.0", TU_OSV_AFFECTED, NULL);

	/* introduced again after a fix; an introduced-only range affects everything above */
	g_autoptr(TuOsvAffected) multi = make_affected (
		"Debian:12",
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":\"1.2-1\"},{\"introduced\":\"0\"},"
		"{\"introduced\":\"2.0-1\"},{\"fixed\":\"2.0-3\"},{\"fixed\":\"2.1-1\"}]}]",
		NULL);
	g_assert_cmpint (multi->scheme, ==, TU_SCHEME_DPKG);
	check_eval (multi, "1.0-1", TU_OSV_AFFECTED, "1.2-1");
	check_eval (multi, "1.2-1", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (multi, "1.2~rc1-1", TU_OSV_AFFECTED, "1.2-1");
	check_eval (multi, "2.0-2", TU_OSV_AFFECTED, "2.0-3");
	check_eval (multi, "2.0-3", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (multi, "1:0.1-1", TU_OSV_NOT_AFFECTED, NULL);

	/* a listed version without ranges; and with a range that fixes it later */
	g_autoptr(TuOsvAffected) listed = make_affected (
	    "PyPI",
	    "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"3.0\"},{\"fixed\":\"3.2\"}]}]",
	    "[\"1.0\", \"1.1\", \"not-a-version\"]");
	g_assert_cmpuint (listed->versions->len, ==, 2);
	g_assert_cmpuint (listed->invalid_versions->len, ==, 1);
	check_eval (listed, "1.0", TU_OSV_AFFECTED, "3.2");
	check_eval (listed, "1.0.0", TU_OSV_AFFECTED, "3.2"); /* equal in PEP 440 */
	check_eval (listed, "1.2", TU_OSV_NOT_AFFECTED, NULL);
	check_eval (listed, "3.1", TU_OSV_AFFECTED, "3.2");

	/* an event the scheme cannot parse makes its range unknown; another range still counts */
	g_autoptr(TuOsvAffected) bad = make_affected (
	    "npm",
	    "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.x\"}]},"
	    "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"3.0.0\"},{\"fixed\":\"3.1.0\"}]}]",
	    NULL);
	g_assert_true (strv_has (bad->invalid_versions, "1.x"));
	g_autofree char *why = NULL;
	g_assert_cmpint (tu_osv_affected_eval (bad, "0.5.0", NULL, &why), ==, TU_OSV_UNKNOWN);
	g_assert_nonnull (strstr (why, "1.x"));
	check_eval (bad, "3.0.5", TU_OSV_AFFECTED, "3.1.0");

	/* a SEMVER range in a PyPI package compares with SemVer */
	g_autoptr(TuOsvAffected) mixed = make_affected (
	    "PyPI",
	    "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0.0\"}]}]",
	    NULL);
	check_eval (mixed, "1.0.0rc1", TU_OSV_UNKNOWN, NULL); /* PEP 440, not SemVer */
	check_eval (mixed, "0.9.0", TU_OSV_AFFECTED, "1.0.0");

	/* stored columns that cannot be read back are errors */
	g_autoptr(GError) error = NULL;
	g_assert_null (tu_osv_affected_from_json ("npm", "x", "nonsense", NULL, NULL, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_clear_error (&error);
	g_assert_null (tu_osv_affected_from_json ("npm", "x", "semver", "{", NULL, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_clear_error (&error);
	g_assert_null (tu_osv_affected_from_json ("npm", "x", "semver", "[{\"type\":\"X\"}]", NULL,
						  &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_clear_error (&error);
	g_assert_null (tu_osv_affected_from_json ("npm", "x", "semver", NULL, "[1]", &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_clear_error (&error);
	g_assert_null (tu_osv_affected_from_json ("npm", "x", "semver", NULL, "[\"1.0.0\"] []",
						  &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (error->message, "more than one JSON value"));
	g_clear_error (&error);
	g_assert_null (tu_osv_affected_from_json ("npm", "x", "semver", "{}", NULL, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
}

/* The stored columns read without json-glib (what patch reads back by the hundred thousand)
 * give what json-glib's reader gives; any other text is left to json-glib, which reads it or
 * refuses it exactly as before. */
static void
test_stored_columns_plain (void)
{
	static const struct {
		const char *ranges, *versions;
		gboolean plain; /* in the store's own compact form */
	} cases[] = {
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":"
		 "\"1:2.4.57-2\"}]}]",
		 NULL, TRUE},
		{"[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},"
		 "{\"limit\":\"2.0.0\"}]},"
		 "{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"3\"},{\"last_affected\":"
		 "\"3.1\"}]}]",
		 "[\"0.9\",\"1.0\"]", TRUE},
		{"[]", "[\"caf\xc3\xa9\"]", TRUE},
		/* json-glib's: white space, an escape, another key order, a GIT range */
		{" [{\"type\": \"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]", NULL, FALSE},
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		 "{\"fixed\":\"1\\u002e2\"}]}]",
		 NULL, FALSE},
		{"[{\"events\":[{\"introduced\":\"0\"}],\"type\":\"ECOSYSTEM\"}]", NULL, FALSE},
		{"[{\"type\":\"GIT\",\"events\":[{\"introduced\":\"0\"}]},{\"type\":\"ECOSYSTEM\","
		 "\"events\":[{\"introduced\":\"2\"}]}]",
		 "[\"1\", \"2\"]", FALSE},
		/* refused either way, with json-glib's reader's message */
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":\"1\"}]}]", NULL, FALSE},
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1\"},"
		 "{\"last_affected\":\"2\"}]}]",
		 NULL, FALSE},
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[]}]", NULL, FALSE},
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"\"}]}]", NULL, FALSE},
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fix\":\"1\"}]}]", NULL, FALSE},
		{"[{\"type\":\"X\",\"events\":[{\"introduced\":\"0\"}]}]", NULL, FALSE},
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}] []", NULL, FALSE},
		{"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}", NULL, FALSE},
		{NULL, "[\"1.0\",2]", FALSE},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr(GPtrArray) r = g_ptr_array_new ();
		g_autoptr(GPtrArray) v = g_ptr_array_new_with_free_func (g_free);
		gboolean plain = (cases[i].ranges == NULL ||
				  tu_osv_ranges_read_plain (cases[i].ranges, r)) &&
				 (cases[i].versions == NULL ||
				  tu_osv_strings_read_plain (cases[i].versions, v));
		g_test_message ("case %u: %s", i, cases[i].ranges);
		g_assert_cmpint (plain, ==, cases[i].plain);
		g_autoptr(GError) e1 = NULL, e2 = NULL;
		g_autoptr(TuOsvAffected) fast = tu_osv_affected_from_json_full (
			"Debian:12", "pkg", "dpkg", cases[i].ranges, cases[i].versions, TRUE, &e1);
		g_autoptr(TuOsvAffected) slow = tu_osv_affected_from_json_full (
			"Debian:12", "pkg", "dpkg", cases[i].ranges, cases[i].versions, FALSE, &e2);
		g_assert_cmpint (fast == NULL, ==, slow == NULL);
		if (slow == NULL) {
			g_assert_cmpstr (e1->message, ==, e2->message);
			continue;
		}
		g_autofree char *fj = tu_osv_ranges_to_json (fast->ranges);
		g_autofree char *sj = tu_osv_ranges_to_json (slow->ranges);
		g_assert_cmpstr (fj, ==, sj);
		g_autofree char *fv = tu_osv_strings_to_json (fast->versions);
		g_autofree char *sv = tu_osv_strings_to_json (slow->versions);
		g_assert_cmpstr (fv, ==, sv);
		/* and the store's own form of what was read is read plainly (the ranges are
		 * freed with @slow's) */
		g_autoptr(GPtrArray) again = g_ptr_array_new ();
		g_assert_true (tu_osv_ranges_read_plain (sj, again));
		for (guint j = 0; j < again->len; j++)
			g_ptr_array_add (slow->ranges, g_ptr_array_index (again, j));
	}
}

/* ---------------------------------------------------------------- the store ------------ */

static gint64
count (TuDb *db, const char *template_sql, const char *arg)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuSql) q = tu_sql_new (db, template_sql);
	if (arg != NULL)
		tu_sql_bind_str (q, arg);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), &error);
	g_assert_no_error (error);
	MYSQL_ROW row = mysql_fetch_row (res);
	g_assert_nonnull (row);
	return tu_row_int (row, 0, -1);
}

static char *
one_string (TuDb *db, const char *template_sql, const char *arg)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuSql) q = tu_sql_new (db, template_sql);
	tu_sql_bind_str (q, arg);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), &error);
	g_assert_no_error (error);
	MYSQL_ROW row = mysql_fetch_row (res);
	g_assert_nonnull (row);
	return row[0] ? g_strdup (row[0]) : NULL;
}

static void
check_shared_counts (TuDb *db)
{
	/* AlmaLinux: 205 advisories with 2414 affected packages, CVE ids from "related" */
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM vulnerabilities WHERE id LIKE 'ALSA-%'",
				NULL), ==, 205);
	g_assert_cmpint (
	    count (db, "SELECT COUNT(*) FROM vuln_affected WHERE vuln_id LIKE 'ALSA-%'", NULL), ==,
	    2414);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM vuln_affected WHERE ecosystem = "
				    "'AlmaLinux:9' AND ecosystem_base = 'AlmaLinux' AND "
				    "ecosystem_release = '9' AND scheme = 'rpm'", NULL), ==, 2414);
	g_assert_cmpint (count (db,
				"SELECT COUNT(DISTINCT vuln_id) FROM vuln_aliases WHERE vuln_id "
				"LIKE 'ALSA-%' AND alias LIKE 'CVE-%'",
				NULL),
			 ==, 205);
	/* PyPA: 32 records, 15 with a GIT range, one affected package each, PEP 503 keys */
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM vulnerabilities WHERE id LIKE 'PYSEC-%'",
				NULL), ==, 32);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM vulnerabilities WHERE id LIKE 'PYSEC-%' "
				    "AND n_git_ranges > 0", NULL), ==, 15);
	g_assert_cmpint (count (db,
				"SELECT COUNT(*) FROM vuln_affected WHERE ecosystem_base = 'PyPI' "
				"AND package_key = ?",
				"pyyaml"),
			 ==, 4);
	g_assert_cmpint (count (db,
				"SELECT COUNT(*) FROM vuln_affected WHERE ecosystem_base = 'PyPI' "
				"AND package_key = ?",
				"jinja2"),
			 ==, 5);
	g_assert_cmpint (count (db,
				"SELECT COUNT(*) FROM vuln_affected WHERE ecosystem_base = 'PyPI' "
				"AND package_key = ?",
				"urllib3"),
			 ==, 11);
	/* PSF: 11 records with GIT ranges only: stored, counted, nothing to match */
	g_assert_cmpint (count (db,
				"SELECT COUNT(*) FROM vulnerabilities WHERE id LIKE 'PSF-%' AND "
				"n_git_ranges = 1",
				NULL),
			 ==, 11);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM vuln_affected WHERE vuln_id LIKE 'PSF-%'",
				NULL), ==, 0);
	/* the linter's rejected records are not stored; the curl .json.in is not walked */
	g_assert_cmpint (count (db,
				"SELECT COUNT(*) FROM vulnerabilities WHERE id IN "
				"('RHSA-2022:0216', 'SUSE-FU-2022:0444-1', 'CURL-CVE-2025-11563')",
				NULL),
			 ==, 0);
	/* one row per id: the linter's duplicates replaced each other, in name order */
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM vulnerabilities", NULL), ==, 256);
	g_assert_cmpint (count (db, "SELECT n_git_ranges FROM vulnerabilities WHERE id = ?",
				"CVE-2018-5407"), ==, 2); /* nondistinct-… comes last */
	g_autofree char *gradio = one_string (
	    db, "SELECT package FROM vuln_affected WHERE vuln_id = ?", "GHSA-9v2f-6vcg-3hgv");
	g_assert_cmpstr (gradio, ==, "Gradi0");
	g_autofree char *src = one_string (
	    db, "SELECT source_file FROM vulnerabilities WHERE id = ?", "PYSEC-2023-74");
	g_assert_true (g_str_has_suffix (src, "pypa/vulns/requests/PYSEC-2023-74.yaml"));
	/* times in UTC, scores from the vectors */
	g_autofree char *modified =
	    one_string (db, "SELECT modified FROM vulnerabilities WHERE id = ?", "PYSEC-2023-192");
	g_assert_cmpstr (modified, ==, "2023-10-10 14:28:19");
	g_autofree char *score = one_string (
	    db, "SELECT cvss_score FROM vulnerabilities WHERE id = ?", "PYSEC-2023-192");
	g_assert_cmpstr (score, ==, "8.1");
	g_autofree char *sev = one_string (db, "SELECT severity FROM vulnerabilities WHERE id = ?",
					   "GHSA-9v2f-6vcg-3hgv");
	g_assert_cmpstr (sev, ==, "CRITICAL");
}

/* Which AlmaLinux 9 advisories affect an installed openssl, from the stored rows. */
static void
check_openssl_from_store (TuDb *db)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MYSQL_RES) res = tu_db_query (
	    db,
	    "SELECT vuln_id, ecosystem, package, scheme, ranges, versions FROM vuln_affected "
	    "WHERE ecosystem_base = 'AlmaLinux' AND package_key = 'openssl' ORDER BY vuln_id",
	    &error);
	g_assert_no_error (error);
	guint n_rows = 0, n_affected = 0;
	g_autoptr(GString) fixes = g_string_new (NULL);
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		n_rows++;
		g_autoptr(TuOsvAffected) a = tu_osv_affected_from_json (row[1], row[2], row[3],
									row[4], row[5], &error);
		g_assert_no_error (error);
		g_assert_cmpstr (a->package_key, ==, "openssl");
		g_autofree char *fixed = NULL;
		TuOsvVerdict v = tu_osv_affected_eval (a, "1:3.0.7-27.el9", &fixed, NULL);
		g_assert_cmpint (v, !=, TU_OSV_UNKNOWN);
		if (v == TU_OSV_AFFECTED) {
			n_affected++;
			g_string_append_printf (fixes, "%s=%s ", row[0], fixed);
		}
	}
	g_assert_cmpuint (n_rows, ==, 15);
	g_assert_cmpuint (n_affected, ==, 8);
	g_assert_true (g_str_has_prefix (fixes->str, "ALSA-2024:6783=1:3.0.7-28.el9_4 "
						     "ALSA-2024:9333=1:3.2.2-6.el9_5 "));
}

static void
test_import_shared_data (void)
{
	g_autofree char *dir = shared ("osv");
	if (dir == NULL)
		return;
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuWarnings) messages = tu_warnings_new ();
	TuOsvImportStats st;
	g_assert_true (tu_osv_import (db, dir, &st, messages, &error));
	g_assert_no_error (error);
	/* 205 + 32 + 11 + 12 + 2 records in as many files, and schema.json, ecosystems.json */
	g_assert_cmpuint (st.n_files, ==, 264);
	g_assert_cmpuint (st.n_files_refused, ==, 2);
	g_assert_cmpuint (st.n_rejected, ==, 3);
	g_assert_cmpuint (st.n_records, ==, 259);
	/* 2414 AlmaLinux + 32 PyPA + 18 linter + 9 + 228 Red Hat */
	g_assert_cmpuint (st.n_affected, ==, 2701);
	/* 15 PyPA + 11 PSF + 5 in the linter's records */
	g_assert_cmpuint (st.n_git_ranges, ==, 31);
	g_assert_cmpuint (st.n_invalid_versions, ==, 1);
	g_assert_true (any_warning_contains (messages, "schema.json: not an OSV record"));
	g_assert_true (any_warning_contains (messages, "ecosystems.json: not an OSV record"));
	g_assert_true (any_warning_contains (messages, "RHSA-2022:0216: \"affected\" is missing"));
	g_assert_true (any_warning_contains (messages,
					     "GHSA-9v2f-6vcg-3hgv: affected[0] (PyPI Gradio): "
					     "listed version: Invalid version: '4.36.-1'"));
	check_shared_counts (db);
	check_openssl_from_store (db);

	/* again: the same rows, nothing doubled */
	g_ptr_array_set_size (messages, 0);
	g_assert_true (tu_osv_import (db, dir, &st, messages, &error));
	g_assert_cmpuint (st.n_records, ==, 259);
	check_shared_counts (db);

	/* the curl record is JSON despite its name: taken when named, not by a directory walk */
	g_autofree char *curl = shared ("osv/curl/CVE-2025-11563.json.in");
	g_assert_true (tu_osv_import (db, curl, &st, messages, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_files, ==, 1);
	g_assert_cmpuint (st.n_records, ==, 1);
	g_assert_cmpuint (st.n_affected, ==, 0);
	g_assert_cmpuint (st.n_git_ranges, ==, 2);
	g_assert_cmpint (count (db, "SELECT n_git_ranges FROM vulnerabilities WHERE id = ?",
				"CURL-CVE-2025-11563"), ==, 2);
	g_autofree char *sev = one_string (db, "SELECT severity FROM vulnerabilities WHERE id = ?",
					   "CURL-CVE-2025-11563");
	g_assert_cmpstr (sev, ==, "Moderate");
	g_assert_cmpint (count (db,
				"SELECT COUNT(*) FROM vuln_aliases WHERE vuln_id = "
				"'CURL-CVE-2025-11563' AND alias = ?",
				"CVE-2025-11563"),
			 ==, 1);
}

/* One bad record never affects the others; a record imported again replaces the old one;
 * a file that is not OSV is reported, not fatal; a missing path is an error. */
static void
test_import_replace_and_refuse (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autofree char *dir = tu_test_mkdtemp ();
	tu_test_write (
	    dir, "a/TEST-1.json",
	    "[{\"id\": \"TEST-1\", \"aliases\": [\"CVE-2099-1\"], \"affected\": [\n"
	    "  {\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"Foo.Bar\"}, \"ranges\": "
	    "[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, "
	    "{\"fixed\": \"1.10\"}]}], \"versions\": [\"1.9\", \"1.10rc1\"]},\n"
	    "  {\"package\": {\"ecosystem\": \"npm\", \"name\": \"Left-Pad\"}, \"versions\": "
	    "[\"1.0.0\"]}]},\n"
	    " {\"id\": \"TEST-2\", \"affected\": [{\"package\": {\"ecosystem\": \"npm\", "
	    "\"name\": \"x\"}, \"ranges\": [{\"type\": \"SEMVER\", \"events\": "
	    "[{\"fixed\": \"1.0.0\"}]}]}]}]",
	    -1);
	tu_test_write (dir, "b/not-osv.json", "{\"releases\": {}, \"versions\": {}}", -1);
	tu_test_write (dir, "b/notes.txt", "not looked at", -1);
	tu_test_write (dir, "c:colon/TEST-3.yml",
		       "id: TEST-3\naffected:\n- package:\n    ecosystem: Debian:12\n    name: "
		       "openssl\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: "
		       "'0'\n    - fixed: 3.0.11-1~deb12u1\n",
		       -1);
	g_autoptr(TuWarnings) messages = tu_warnings_new ();
	g_autoptr(GError) error = NULL;
	TuOsvImportStats st;
	g_assert_true (tu_osv_import (db, dir, &st, messages, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_files, ==, 3);
	g_assert_cmpuint (st.n_files_refused, ==, 1);
	g_assert_cmpuint (st.n_records, ==, 2);
	g_assert_cmpuint (st.n_rejected, ==, 1);
	g_assert_cmpuint (st.n_affected, ==, 3);
	g_assert_true (
		any_warning_contains (messages, "TEST-1.json:4: TEST-2: affected[0].ranges[0]"));
	g_assert_true (any_warning_contains (messages, "not-osv.json: not an OSV record"));
	g_assert_cmpint (
	    count (db, "SELECT COUNT(*) FROM vuln_affected WHERE vuln_id = ?", "TEST-1"), ==, 2);
	g_autofree char *key = one_string (db,
					   "SELECT package_key FROM vuln_affected WHERE vuln_id = "
					   "'TEST-1' AND ecosystem = ?",
					   "PyPI");
	g_assert_cmpstr (key, ==, "foo-bar");
	g_autofree char *npm_key = one_string (db, "SELECT package_key FROM vuln_affected WHERE "
						   "vuln_id = 'TEST-1' AND ecosystem = ?", "npm");
	g_assert_cmpstr (npm_key, ==, "left-pad");
	g_autofree char *ranges = one_string (db,
					      "SELECT ranges FROM vuln_affected WHERE vuln_id = "
					      "'TEST-1' AND ecosystem = ?",
					      "PyPI");
	g_assert_cmpstr (ranges, ==, "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
				     "{\"fixed\":\"1.10\"}]}]");
	g_autofree char *versions = one_string (db,
						"SELECT versions FROM vuln_affected WHERE vuln_id "
						"= 'TEST-1' AND ecosystem = ?",
						"PyPI");
	g_assert_cmpstr (versions, ==, "[\"1.9\",\"1.10rc1\"]");
	g_autofree char *deb = one_string (db, "SELECT ranges FROM vuln_affected WHERE vuln_id = ?",
					   "TEST-3");
	g_assert_nonnull (strstr (deb, "3.0.11-1~deb12u1"));

	/* TEST-1 again with one package: the old rows go */
	tu_test_write (dir, "a/TEST-1.json",
		       "{\"id\": \"TEST-1\", \"affected\": [{\"package\": {\"ecosystem\": \"npm\", "
		       "\"name\": \"left-pad\"}, \"versions\": [\"1.0.1\"]}]}",
		       -1);
	g_autofree char *file = g_build_filename (dir, "a", "TEST-1.json", NULL);
	g_assert_true (tu_osv_import (db, file, &st, messages, &error));
	g_assert_cmpuint (st.n_records, ==, 1);
	g_assert_cmpint (
	    count (db, "SELECT COUNT(*) FROM vuln_affected WHERE vuln_id = ?", "TEST-1"), ==, 1);
	g_assert_cmpint (
	    count (db, "SELECT COUNT(*) FROM vuln_aliases WHERE vuln_id = ?", "TEST-1"), ==, 0);

	/* a file named on its own that is not OSV: reported, not fatal */
	g_autofree char *not_osv = g_build_filename (dir, "b", "not-osv.json", NULL);
	g_assert_true (tu_osv_import (db, not_osv, &st, messages, &error));
	g_assert_cmpuint (st.n_files_refused, ==, 1);
	g_assert_cmpuint (st.n_records, ==, 0);

	/* a path that does not exist */
	g_autofree char *missing = g_build_filename (dir, "nothing-here", NULL);
	g_assert_false (tu_osv_import (db, missing, &st, messages, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_NOT_FOUND);
	tu_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/osv/package-key-pep503", test_package_key);
	g_test_add_func ("/trueup/osv/scheme-per-ecosystem", test_scheme_for_ecosystem);
	g_test_add_func ("/trueup/osv/ecosystem-base-and-release", test_ecosystem_split);
	g_test_add_func ("/trueup/osv/linter-testdata-verdicts", test_linter_testdata);
	g_test_add_func ("/trueup/osv/invalid-listed-version-reported",
			 test_invalid_version_reported);
	g_test_add_func ("/trueup/osv/yaml-scalars-stay-text", test_yaml_scalars_as_text);
	g_test_add_func ("/trueup/osv/yaml-and-json-agree", test_yaml_and_json_agree);
	g_test_add_func ("/trueup/osv/redhat-ecosystems", test_redhat_ecosystems);
	g_test_add_func ("/trueup/osv/not-osv-files-refused", test_not_osv_refused);
	g_test_add_func ("/trueup/osv/malformed-records-rejected-alone", test_malformed_records);
	g_test_add_func ("/trueup/osv/related-cves-and-summary", test_related_and_summary);
	g_test_add_func ("/trueup/osv/severity-one-scale-with-source", test_severity_sources);
	g_test_add_func ("/trueup/osv/eval-almalinux-rpm-epochs", test_eval_almalinux_rpm);
	g_test_add_func ("/trueup/osv/eval-pep440-unsorted-events", test_eval_pep440_unsorted);
	g_test_add_func ("/trueup/osv/eval-semver-and-apk", test_eval_semver_go);
	g_test_add_func ("/trueup/osv/eval-last-affected-and-limit",
			 test_eval_last_affected_and_limit);
	g_test_add_func ("/trueup/osv/stored-columns-plain", test_stored_columns_plain);
	g_test_add_func ("/trueup/osv/import-shared-data", test_import_shared_data);
	g_test_add_func ("/trueup/osv/import-replace-and-refuse", test_import_replace_and_refuse);
	int rc = g_test_run ();
	tu_test_store_close ();
	return rc;
}
