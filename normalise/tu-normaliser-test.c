/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The normaliser with the shipped rules: upstream versions of distribution packages, the
 * fallback's cleaned names (balanced brackets, no dangling separators), the classification of
 * recognised and unrecognised records, and rule files that are wrong (bad pattern, duplicate
 * rule ID, failing inline test, a second spelling of a publisher) failing with file and line.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tu-common.h"
#include "tu-normaliser.h"
#include "tu-rules.h"
#include "tu-test-util.h"

static TuNormaliser *
shipped (void)
{
	static TuNormaliser *norm = NULL;
	if (norm == NULL) {
		g_autoptr(GError) error = NULL;
		norm = tu_normaliser_new (NULL, &error);
		g_assert_no_error (error);
	}
	return norm;
}

static const TuProduct *
apply (TuSource source, const char *name, const char *publisher, const char *version,
       const char *srcpkg, const char *kind)
{
	TuRecord r = TU_RECORD_INIT;
	r.source = source;
	r.raw_name = name;
	r.raw_publisher = publisher;
	r.raw_version = version;
	r.source_package = srcpkg;
	r.kind = kind;
	return tu_normaliser_apply (shipped (), &r);
}

static void
test_upstream_version (void)
{
	static const struct {
		TuSource source;
		const char *version;
		const char *upstream;
	} cases[] = {
		{TU_SOURCE_RPM, "1:3.0.7-27.el9", "3.0.7"},
		{TU_SOURCE_DPKG, "1:9.2p1-2+deb12u7", "9.2p1"},
		{TU_SOURCE_DPKG, "3.0.11-1~deb12u2", "3.0.11"},
		{TU_SOURCE_DPKG, "2.4.57-1ubuntu2.3", "2.4.57"},
		{TU_SOURCE_DPKG, "1.2.11.dfsg-2+deb11u2", "1.2.11"},
		{TU_SOURCE_DPKG, "2.36+dfsg-1", "2.36"},
		{TU_SOURCE_DPKG, "1:2.0+really1.9-1", "1.9"},
		{TU_SOURCE_DPKG, "7.88.1", "7.88.1"},
		{TU_SOURCE_DPKG, "1.22.1~ubuntu22.04.1", "1.22.1"},
		{TU_SOURCE_DPKG, "5.36.0-7+deb12u1", "5.36.0"},
		{TU_SOURCE_DPKG, "2.0~rc1-1", "2.0~rc1"},
		{TU_SOURCE_RPM, "2.4.57-5.el9_4.1", "2.4.57"},
		{TU_SOURCE_RPM, "8.0.36-1.module+el8.9.0+20949+c9a4c8e7", "8.0.36"},
		{TU_SOURCE_RPM, "1.20.1-1.fc39", "1.20.1"},
		{TU_SOURCE_RPM, "2.0.el9", "2.0"},
		{TU_SOURCE_APK, "3.1.4-r1", "3.1.4"},
		{TU_SOURCE_APK, "1.36.1-r15", "1.36.1"},
		{TU_SOURCE_PACMAN, "1:1.2.3-2", "1.2.3"},
		{TU_SOURCE_PACMAN, "2.42-4.1", "2.42"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *up = tu_normaliser_upstream_version (cases[i].source, cases[i].version);
		g_assert_cmpstr (up, ==, cases[i].upstream);
	}
	g_assert_null (tu_normaliser_upstream_version (TU_SOURCE_WINDOWS, "1.2.3"));
	/* and it is on the record */
	const TuProduct *p = apply (TU_SOURCE_RPM, "openssl-libs", "Red Hat, Inc.", "1:3.0.7-27.el9",
				    "openssl", NULL);
	g_assert_cmpstr (p->upstream_version, ==, "3.0.7");
	g_assert_cmpstr (p->product, ==, "OpenSSL");
	p = apply (TU_SOURCE_WINDOWS, "7-Zip 23.01 (x64)", "Igor Pavlov", "23.01", NULL, NULL);
	g_assert_null (p->upstream_version);
}

static void
test_clean_name (void)
{
	static const struct {
		const char *raw;
		const char *clean;
	} cases[] = {
		{"Rust 1.79 (MSVC 64-bit)", "Rust (MSVC)"},
		{"Rust 1.79 (MSVC)", "Rust (MSVC)"},
		{"Frobnicator (x64)", "Frobnicator"},
		{"Frobnicator (64-bit) 2.0", "Frobnicator"},
		{"Frobnicator [x86_64]", "Frobnicator"},
		{"Frobnicator (arm64) - 2.0.1", "Frobnicator"},
		{"Frobnicator (en-US)", "Frobnicator"},
		{"Frobnicator (1.2.3)", "Frobnicator"},
		{"Frobnicator (", "Frobnicator"},
		{"Frobnicator)", "Frobnicator"},
		{"Frobnicator - ", "Frobnicator"},
		{"Frobnicator (Portable) 3.1", "Frobnicator"},
		{"Frobnicator (Server Edition) 3.1", "Frobnicator (Server Edition)"},
		{"Frobnicator [Beta] (x64 en-US)", "Frobnicator"},
		{"Frobnicator [Studio] (x64 en-US)", "Frobnicator [Studio]"},
		{"Frobnicator v2.1 build 33", "Frobnicator"},
		{"(x64)", "(x64)"},
		{"Frobnicator 24.1.4 (current user)", "Frobnicator"},
		{"Frobnicator (remove only)", "Frobnicator"},
		{"Frobnicator (Machine - MSI)", "Frobnicator"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *c = tu_normaliser_clean_name (cases[i].raw);
		g_assert_cmpstr (c, ==, cases[i].clean);
	}
	/* no rule: the cleaned name and the canonical spelling of the raw publisher */
	const TuProduct *p = apply (TU_SOURCE_WINDOWS, "Zorblax Planner 4.2 (64-bit)",
				    "Zorblax Software GmbH", "4.2", NULL, NULL);
	g_assert_false (p->is_recognised);
	g_assert_cmpstr (p->product, ==, "Zorblax Planner");
	g_assert_cmpstr (p->publisher, ==, "Zorblax Software");
}

static void
test_classification (void)
{
	const TuProduct *p;
	/* recognised: licensable is commercial, a free client freeware */
	p = apply (TU_SOURCE_WINDOWS, "Microsoft SQL Server 2019 (64-bit)", "Microsoft Corporation",
		   "15.0.2000.5", NULL, NULL);
	g_assert_true (p->is_recognised);
	g_assert_cmpstr (tu_class_to_string (p->klass), ==, "commercial");
	/* a distribution package a rule maps is open source */
	p = apply (TU_SOURCE_DPKG, "libssl3", "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>",
		   "3.0.11-1~deb12u2", "openssl", NULL);
	g_assert_cmpstr (tu_class_to_string (p->klass), ==, "open-source");
	/* unrecognised: an OS feature, a system AppX package, a driver, a distribution package */
	p = apply (TU_SOURCE_WINDOWS, "Frobnicate-Service-Role", "Microsoft Corporation", NULL, NULL,
		   "system");
	g_assert_cmpstr (tu_class_to_string (p->klass), ==, "os");
	p = apply (TU_SOURCE_WINDOWS, "Microsoft.Windows.FrobnicatorHost", "CN=Microsoft Windows", "10.0.1",
		   NULL, NULL);
	g_assert_cmpstr (tu_class_to_string (p->klass), ==, "os");
	p = apply (TU_SOURCE_WINDOWS, "Zorblax USB Audio Driver", "Zorblax", "1.0", NULL, NULL);
	g_assert_cmpstr (tu_class_to_string (p->klass), ==, "driver");
	p = apply (TU_SOURCE_DPKG, "libzorblax0", "Debian QA Group <packages@qa.debian.org>", "1.0-2",
		   "zorblax", NULL);
	g_assert_false (p->is_recognised);
	g_assert_cmpstr (tu_class_to_string (p->klass), ==, "os");
	g_assert_cmpstr (p->upstream_version, ==, "1.0");
	/* an unknown name from an unknown publisher needs a look */
	p = apply (TU_SOURCE_WINDOWS, "Zorblax Planner", "Zorblax Software", "4.2", NULL, NULL);
	g_assert_cmpstr (tu_class_to_string (p->klass), ==, "unknown");
	/* a component keeps its identity and its suite */
	p = apply (TU_SOURCE_WINDOWS, "Teams Machine-Wide Installer", "Microsoft Corporation",
		   "1.6.0.27573", NULL, NULL);
	g_assert_true (p->is_recognised);
	g_assert_cmpstr (tu_class_to_string (p->klass), ==, "component");
	g_assert_cmpstr (p->component_of, ==, "Teams");
	g_assert_false (p->is_licensable);
}

/* a user rules directory holding one file with @text */
static GError *
load_user (const char *text)
{
	g_autofree char *dir = tu_test_mkdtemp ();
	g_autofree char *path = g_build_filename (dir, "local.rules", NULL);
	g_assert_true (g_file_set_contents (path, text, -1, NULL));
	GError *error = NULL;
	TuNormaliser *norm = tu_normaliser_new (dir, &error);
	tu_normaliser_free (norm);
	tu_test_rmtree (dir);
	return error;
}

static void
test_bad_rule_files (void)
{
	g_autoptr(GError) bad_pattern = load_user ("rule local-a\n"
						   "  name ^Foo(\n"
						   "  set product Foo\n");
	g_assert_error (bad_pattern, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_true (strstr (bad_pattern->message, "local.rules:2: bad name pattern") != NULL);

	g_autoptr(GError) dup = load_user ("rule local-a\n"
					   "  name ^Foo$\n"
					   "  set product Foo\n"
					   "\n"
					   "rule local-a\n"
					   "  name ^Bar$\n"
					   "  set product Bar\n");
	g_assert_error (dup, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_true (strstr (dup->message, "local.rules:5: rule ID local-a is already used at") !=
		       NULL);

	g_autoptr(GError) failing = load_user ("rule local-a\n"
					       "  name ^Foo\\b\n"
					       "  set publisher Foo Labs\n"
					       "  set product Foo\n"
					       "  set licensable no\n"
					       "  test \"Foo 2\"\n"
					       "  expect product=Bar\n");
	g_assert_error (failing, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_true (strstr (failing->message, "local.rules:6: test \"Foo 2\": expected "
						 "product=\"Bar\", got \"Foo\"") != NULL);

	g_autoptr(GError) klass = load_user ("rule local-a\n"
					     "  name ^Foo\\b\n"
					     "  set product Foo\n"
					     "  set class shareware\n");
	g_assert_error (klass, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_true (strstr (klass->message, "local.rules:4: unknown class 'shareware'") != NULL);

	g_autoptr(GError) good = load_user ("rule local-a\n"
					    "  name ^Foo\\b\n"
					    "  set publisher Foo Labs\n"
					    "  set product Foo\n"
					    "  set licensable no\n"
					    "  test \"Foo 2\"\n"
					    "  expect product=Foo class=freeware\n");
	g_assert_no_error (good);
}

static void
test_publisher_spelling (void)
{
	g_autofree char *dir = tu_test_mkdtemp ();
	g_autofree char *path = g_build_filename (dir, "local.rules", NULL);
	g_assert_true (g_file_set_contents (path,
					    "rule local-office-helper\n"
					    "  name ^Frob Helper$\n"
					    "  set publisher Microsoft Corporation\n"
					    "  set product Frob Helper\n"
					    "\n"
					    "rule local-frob\n"
					    "  name ^Frob Tool$\n"
					    "  set publisher ADOBE\n"
					    "  set product Frob\n",
					    -1, NULL));
	g_autoptr(GError) error = NULL;
	g_autoptr(TuNormaliser) norm = tu_normaliser_new (dir, &error);
	g_assert_no_error (error);
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
	tu_normaliser_run_tests (norm, failures);
	g_autoptr(GString) all = g_string_new (NULL);
	for (guint i = 0; i < failures->len; i++)
		g_string_append_printf (all, "%s\n", (const char *) g_ptr_array_index (failures, i));
	g_assert_true (strstr (all->str, "local.rules:1: rule local-office-helper sets publisher "
					 "\"Microsoft Corporation\", which the alias table spells "
					 "\"Microsoft\"") != NULL);
	g_assert_true (strstr (all->str, "local.rules:6: rule local-frob sets publisher \"ADOBE\"") !=
		       NULL);
	tu_test_rmtree (dir);
}

static void
test_shipped_rules_pass (void)
{
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
	guint n = tu_normaliser_run_tests (shipped (), failures);
	for (guint i = 0; i < failures->len; i++)
		g_test_message ("%s", (const char *) g_ptr_array_index (failures, i));
	g_assert_cmpuint (failures->len, ==, 0);
	g_assert_cmpuint (n, >, tu_normaliser_n_rules (shipped ()));
}

/* The literal prefilter only skips rules that cannot match: with and without it, the same
 * rule fires for every inline test's input and every name of the winget corpus. */
static void
test_prefilter_agrees (void)
{
	TuRuleSet *set = tu_normaliser_get_rules (shipped ());
	g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
	GPtrArray *tests = tu_rule_set_tests (set);
	g_autofree char *arp = tu_test_source_path ("tests/data/winget/arp.tsv");
	g_autofree char *text = NULL;
	g_assert_true (g_file_get_contents (arp, &text, NULL, NULL));
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
	guint n = 0, n_matched = 0;
	for (guint i = 0; i < tests->len + g_strv_length (lines); i++) {
		TuRuleInput in = {0};
		g_auto(GStrv) f = NULL;
		if (i < tests->len) {
			in = ((const TuRuleTest *) g_ptr_array_index (tests, i))->input;
		} else {
			f = g_strsplit (lines[i - tests->len], "\t", -1);
			if (g_strv_length (f) < 3 || i == tests->len)
				continue;
			in.source = TU_SOURCE_WINDOWS;
			in.raw_name = f[0];
			in.raw_publisher = f[1];
			in.version = f[2];
		}
		in.publisher = tu_normaliser_publisher (shipped (), in.raw_publisher);
		TuRuleResult a, b;
		tu_rule_set_set_prefilter (set, TRUE);
		gboolean ma = tu_rule_set_match (set, &in, &a);
		const char *pa = tu_rule_set_publisher_alias (set, in.raw_publisher);
		tu_rule_set_set_prefilter (set, FALSE);
		gboolean mb = tu_rule_set_match (set, &in, &b);
		const char *pb = tu_rule_set_publisher_alias (set, in.raw_publisher);
		tu_rule_set_set_prefilter (set, TRUE);
		g_assert_cmpint (ma, ==, mb);
		g_assert_cmpstr (pa, ==, pb);
		if (ma) {
			g_assert_cmpstr (tu_rule_location (a.rule), ==, tu_rule_location (b.rule));
			n_matched++;
		}
		tu_rule_result_clear (&a);
		tu_rule_result_clear (&b);
		n++;
	}
	g_assert_cmpuint (n, >, 1000);
	g_assert_cmpuint (n_matched, >, n / 2);
	/* most rules have a literal */
	g_assert_cmpuint (tu_rule_set_n_prefiltered (set) * 10, >, tu_normaliser_n_rules (shipped ()) * 9);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/normaliser/upstream-version", test_upstream_version);
	g_test_add_func ("/trueup/normaliser/clean-name-balanced", test_clean_name);
	g_test_add_func ("/trueup/normaliser/classification", test_classification);
	g_test_add_func ("/trueup/normaliser/bad-rule-files-name-file-and-line", test_bad_rule_files);
	g_test_add_func ("/trueup/normaliser/one-spelling-per-publisher", test_publisher_spelling);
	g_test_add_func ("/trueup/normaliser/shipped-rules-pass-their-tests", test_shipped_rules_pass);
	g_test_add_func ("/trueup/normaliser/prefilter-agrees-with-every-rule-tried",
			 test_prefilter_agrees);
	return g_test_run ();
}
