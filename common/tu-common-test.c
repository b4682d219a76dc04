/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the shared helpers and record types. */
#include "tu-common.h"
#include "tu-licence-record.h"
#include "tu-warnings.h"
#include "tu-record.h"

static void
test_hash_framing (void)
{
	const char *a[] = {"ab", "c"};
	const char *b[] = {"a", "bc"};
	const char *c[] = {"ab", NULL};
	const char *d[] = {"ab", ""};
	g_assert_cmpuint (tu_hash_strings (a, 2), !=, tu_hash_strings (b, 2));
	g_assert_cmpuint (tu_hash_strings (c, 2), !=, tu_hash_strings (d, 2));
	g_assert_cmpuint (tu_hash_strings (a, 2), ==, tu_hash_strings (a, 2));
	g_assert_cmpuint (tu_hash_strings (a, 2) >> 63, ==, 0);
	/* stable across releases: stored row ids depend on it */
	const char *e[] = {"dpkg", "bash", "5.2.15-2+b2", "", "amd64"};
	g_assert_cmpuint (tu_hash_strings (e, 5), ==, tu_hash_strings (e, 5));
}

static void
test_utf8_clean (void)
{
	gboolean changed = FALSE;
	g_autofree char *a = tu_utf8_clean ("Caf\xc3\xa9", -1, 100, &changed);
	g_assert_cmpstr (a, ==, "Caf\xc3\xa9");
	g_assert_false (changed);

	g_autofree char *b = tu_utf8_clean ("bad\xff\xfename", -1, 100, &changed);
	g_assert_cmpstr (b, ==, "bad\xef\xbf\xbd\xef\xbf\xbdname");
	g_assert_true (changed);

	/* truncation never splits a character */
	g_autofree char *c = tu_utf8_clean ("ab\xc3\xa9", -1, 3, &changed);
	g_assert_cmpstr (c, ==, "ab");
	g_assert_true (changed);

	g_autofree char *d = tu_utf8_clean ("a\nb\x01" "c", -1, 100, &changed);
	g_assert_cmpstr (d, ==, "abc");

	const char nul[] = {'a', '\0', 'b'};
	g_autofree char *e = tu_utf8_clean (nul, 3, 100, &changed);
	g_assert_cmpstr (e, ==, "ab");
	g_assert_true (changed);
}

static void
test_dates (void)
{
	guint32 j = 0;
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_date_parse ("2024-02-29", &j, "start", &error));
	g_autofree char *s = tu_date_format (j);
	g_assert_cmpstr (s, ==, "2024-02-29");
	g_assert_true (tu_date_parse ("2024-03-01T10:00:00Z", &j, "start", NULL));
	g_assert_false (tu_date_parse ("2023-02-29", &j, "start", &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_assert_nonnull (strstr (error->message, "start"));
	g_clear_error (&error);
	g_assert_false (tu_date_parse ("31/12/2024", &j, "end", &error));
	g_assert_nonnull (strstr (error->message, "end"));
	g_assert_false (tu_date_parse ("2024-1-1", &j, "end", NULL));
}

static void
test_numbers (void)
{
	gint64 v = 0;
	double d = 0;
	gboolean b = FALSE;
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_parse_int64 ("42", 0, 100, &v, "quantity", NULL));
	g_assert_cmpint (v, ==, 42);
	g_assert_false (tu_parse_int64 ("-1", 0, 100, &v, "quantity", &error));
	g_assert_nonnull (strstr (error->message, "quantity"));
	g_assert_false (tu_parse_int64 ("4x", 0, 100, &v, "quantity", NULL));
	g_assert_false (tu_parse_int64 ("", 0, 100, &v, "quantity", NULL));
	g_assert_true (tu_parse_double ("12.50", &d, "cost", NULL));
	g_assert_cmpfloat (d, ==, 12.5);
	g_assert_false (tu_parse_double ("nan", &d, "cost", NULL));
	g_assert_false (tu_parse_double ("1e400", &d, "cost", NULL));
	g_assert_true (tu_parse_bool ("Yes", &b, "auto_renew", NULL));
	g_assert_true (b);
	g_assert_false (tu_parse_bool ("maybe", &b, "auto_renew", NULL));
}

static void
test_cells (void)
{
	g_assert_true (tu_cell_is_formula_like ("=1+1"));
	g_assert_true (tu_cell_is_formula_like ("@SUM(A1)"));
	g_assert_true (tu_cell_is_formula_like ("-2+3"));
	g_assert_true (tu_cell_is_formula_like ("\tx"));
	g_assert_false (tu_cell_is_formula_like ("nginx"));

	g_autoptr(GString) csv = g_string_new (NULL);
	tu_csv_append_field (csv, "=HYPERLINK(\"x\")");
	g_assert_cmpstr (csv->str, ==, "\"'=HYPERLINK(\"\"x\"\")\"");
	g_string_truncate (csv, 0);
	tu_csv_append_field (csv, "a,b");
	g_assert_cmpstr (csv->str, ==, "\"a,b\"");
	g_string_truncate (csv, 0);
	tu_csv_append_field (csv, "plain");
	g_assert_cmpstr (csv->str, ==, "plain");

	g_autoptr(GString) tsv = g_string_new (NULL);
	tu_tsv_append_field (tsv, "a\tb\nc\\d");
	g_assert_cmpstr (tsv->str, ==, "a\\tb\\nc\\\\d");
}

static void
test_record_list (void)
{
	g_autoptr(TuRecordList) list = tu_record_list_new ();
	char name[16];
	for (guint i = 0; i < 1000; i++) {
		g_snprintf (name, sizeof name, "pkg%u", i);
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_DPKG;
		r.raw_name = name;
		r.raw_version = "1.0";
		tu_record_list_add (list, &r);
	}
	g_assert_cmpuint (tu_record_list_len (list), ==, 1000);
	const TuRecord *r = tu_record_list_get (list, 999);
	g_assert_cmpstr (r->raw_name, ==, "pkg999");
	g_assert_cmpstr (r->raw_version, ==, "1.0");
	g_assert_null (r->raw_publisher);
	g_assert_cmpint (r->size_bytes, ==, -1);
	g_assert_cmpstr (tu_source_to_string (r->source), ==, "dpkg");
	g_assert_cmpint (tu_source_from_string ("cyclonedx"), ==, TU_SOURCE_CYCLONEDX);
	g_assert_cmpint (tu_source_from_string ("nope"), ==, TU_SOURCE_UNKNOWN);
}

static void
test_host_facts (void)
{
	TuHostFacts a, b;
	tu_host_facts_init (&a);
	tu_host_facts_init (&b);
	g_assert_cmpint (a.cores, ==, -1);
	tu_host_facts_set (&a.hostname, "  web01 ");
	g_assert_cmpstr (a.hostname, ==, "web01");
	tu_host_facts_set (&b.hostname, "other");
	tu_host_facts_set (&b.os_id, "debian");
	b.cores = 8;
	tu_host_facts_merge (&a, &b);
	g_assert_cmpstr (a.hostname, ==, "web01");
	g_assert_cmpstr (a.os_id, ==, "debian");
	g_assert_cmpint (a.cores, ==, 8);
	tu_host_facts_set (&a.os_id, "   ");
	g_assert_null (a.os_id);
	tu_host_facts_clear (&a);
	tu_host_facts_clear (&b);
}

static void
test_equal_fold (void)
{
	g_assert_true (tu_str_equal_fold (NULL, NULL));
	g_assert_false (tu_str_equal_fold (NULL, ""));
	g_assert_false (tu_str_equal_fold ("", NULL));
	g_assert_true (tu_str_equal_fold ("Professional Plus", "PROFESSIONAL plus"));
	/* beyond ASCII: case folding, not byte equality (E acute, upper and lower) */
	g_assert_true (tu_str_equal_fold ("\xc3\x89tudiant", "\xc3\xa9tudiant"));
	g_assert_false (tu_str_equal_fold ("Standard", "Standard Edition"));
	g_assert_false (tu_str_equal_fold ("2019", "2016"));
}

static void
test_distance (void)
{
	g_assert_cmpuint (tu_str_distance ("Office", "office", 10), ==, 0);
	g_assert_cmpuint (tu_str_distance ("Ofice", "Office", 10), ==, 1);
	g_assert_cmpuint (tu_str_distance ("Visio", "Project", 3), ==, 3);
}

/* Warnings keep their place and have one text; taking them moves them. */
static void
test_warnings (void)
{
	g_autoptr(TuWarnings) w = tu_warnings_new ();
	tu_warnings_add (w, "var/lib/dpkg/status", 812, "Version", "\"%s\" is not a version", "1:");
	tu_warnings_add (w, "prices.csv", 0, NULL, "%u rows ignored", 2u);
	tu_warnings_add (w, NULL, 0, "currency", "priced in %s and %s", "GBP", "EUR");
	tu_warnings_add (w, NULL, 0, NULL, "plain");
	g_assert_cmpuint (w->len, ==, 4);
	g_assert_cmpstr (tu_warnings_text (w, 0), ==,
			 "var/lib/dpkg/status:812: Version: \"1:\" is not a version");
	g_assert_cmpstr (tu_warnings_text (w, 1), ==, "prices.csv: 2 rows ignored");
	g_assert_cmpstr (tu_warnings_text (w, 2), ==, "currency: priced in GBP and EUR");
	g_assert_cmpstr (tu_warnings_text (w, 3), ==, "plain");
	const TuWarning *x = tu_warnings_get (w, 0);
	g_assert_cmpstr (x->file, ==, "var/lib/dpkg/status");
	g_assert_cmpuint (x->line, ==, 812);
	g_assert_cmpstr (x->field, ==, "Version");
	g_assert_cmpstr (x->message, ==, "\"1:\" is not a version");

	g_autoptr(TuWarnings) all = tu_warnings_new ();
	tu_warnings_add (all, "a", 1, NULL, "first");
	tu_warnings_take (all, w);
	g_assert_cmpuint (w->len, ==, 0);
	g_assert_cmpuint (all->len, ==, 5);
	g_assert_cmpstr (tu_warnings_text (all, 4), ==, "plain");
	tu_warnings_add (w, NULL, 0, NULL, "again");
	g_assert_cmpstr (tu_warnings_text (w, 0), ==, "again");
}

/* An entitlement's scope against a host's attributes: every condition must hold, values
 * without case, group one of the host's groups; the first failing condition is named. */
static void
test_scope (void)
{
	const char *groups[] = {"workstations", "Finance", NULL};
	const TuScopeHost h = {.site = "London", .cost_centre = "FIN-210", .groups = groups};
	const TuScopeHost none = {0};
	static const struct {
		const char *scope;
		const char *problem; /* NULL: in scope */
	} cases[] = {
		{"", NULL},
		{"site=london", NULL},
		{"site=London;group=finance", NULL},
		{"cost_center=FIN-210", NULL},
		{"site=Paris", "site=Paris"},
		{"site=London;group=design", "group=design"},
		{"environment=production", "environment=production"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *p = tu_scope_problem (cases[i].scope, &h);
		g_assert_cmpstr (p, ==, cases[i].problem);
	}
	g_autofree char *p = tu_scope_problem ("group=finance", &none);
	g_assert_cmpstr (p, ==, "group=finance");
	g_assert_null (tu_scope_problem (NULL, &none));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/common/hash-framing", test_hash_framing);
	g_test_add_func ("/trueup/common/utf8-clean", test_utf8_clean);
	g_test_add_func ("/trueup/common/dates", test_dates);
	g_test_add_func ("/trueup/common/numbers", test_numbers);
	g_test_add_func ("/trueup/common/cells-formula-guard", test_cells);
	g_test_add_func ("/trueup/common/record-list", test_record_list);
	g_test_add_func ("/trueup/common/host-facts", test_host_facts);
	g_test_add_func ("/trueup/common/equal-fold", test_equal_fold);
	g_test_add_func ("/trueup/common/distance", test_distance);
	g_test_add_func ("/trueup/common/warnings-place-and-text", test_warnings);
	g_test_add_func ("/trueup/common/entitlement-scope", test_scope);
	return g_test_run ();
}
