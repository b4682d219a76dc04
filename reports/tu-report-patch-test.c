/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The patch workbook's aggregator at its boundaries, with rows made here (no store): the
 * Vulnerable and End of life sheets kept as sorted batches on a temporary file and merged
 * (a batch of 5 rows) and continued on "Vulnerable (2)", ... past a sheet's rows (7 here,
 * Excel's 1,048,572 data rows in use) give exactly the rows and order of one sheet sorted in
 * memory, which is itself checked against the documented order worked out here; per-product
 * host counts are hosts, not rows; a feed whose host comes back is refused. The workbooks
 * are read back by openpyxl (tests/xlsx-dump.py).
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-report-patch.h"
#include "tu-test-util.h"

/* hosts, software, and the data rows of a detail sheet */
#define N_HOSTS	   13
#define N_SOFTWARE 7
#define SHEET	   7

typedef struct {
	char host[16];
	char raw_name[16];
	guint software;
	gboolean kev;
	const char *severity;
	double cvss;
	guint n_vulns;
	gint eol_days; /* -1: not end of life */
	guint feed;    /* place in the feed */
} Gen;

static const char *const severities[] = {"critical", "high", "medium", "low", "unknown"};

/* the software of the estate: what each verdict says */
static void
software_verdict (guint s, Gen *g)
{
	g->software = s;
	g_snprintf (g->raw_name, sizeof g->raw_name, "pkg-%c", 'g' - (int) s);
	g->kev = s == 3;
	g->severity = severities[s % G_N_ELEMENTS (severities)];
	g->cvss = s == 4 ? -1 : 10.0 - s;
	g->n_vulns = s % 3; /* 0: not vulnerable */
	g->eol_days = s % 2 == 0 ? (gint) (100 * s + 30) : -1;
}

/* hosts fed in an order that is not their names' (store order), a host's rows together */
static GArray *
make_feed (void)
{
	GArray *rows = g_array_new (FALSE, TRUE, sizeof (Gen));
	for (guint i = 0; i < N_HOSTS; i++) {
		guint h = (i * 5) % N_HOSTS;
		for (guint s = 0; s < N_SOFTWARE; s++) {
			if ((h + s) % 4 == 3)
				continue; /* not everywhere */
			Gen g = {0};
			software_verdict (s, &g);
			g_snprintf (g.host, sizeof g.host, "host-%02u", h);
			g.feed = rows->len;
			g_array_append_val (rows, g);
		}
	}
	return rows;
}

static TuPatchRow
row_of (const Gen *g)
{
	TuPatchRow r = {
		.host_id = (guint64) g_ascii_strtoull (g->host + 5, NULL, 10) + 1,
		.verdict_id = g->software + 1,
		.host = g->host,
		.os = "debian 12",
		.source = "dpkg",
		.raw_name = g->raw_name,
		.raw_version = "1.0-1",
		.publisher = "Debian",
		.product = g->raw_name,
		.version = "1.0",
		.behind = -1,
		.days_behind = -1,
		.support = g->eol_days >= 0 ? "eol" : "supported",
		.eol_date = g->eol_days >= 0 ? "2024-01-01" : NULL,
		.eol_days = g->eol_days,
		.n_vulns = g->n_vulns,
		.max_cvss = g->n_vulns > 0 ? g->cvss : -1,
		.vuln_ids = g->n_vulns > 0 ? "DSA-1" : "",
		.kev = g->n_vulns > 0 && g->kev,
		.fixed_in = g->n_vulns > 0 ? "1.0-2" : "",
		.os_build = "12",
		.os_edition = "",
		.support_basis = "Debian 12 (distribution)",
		.extended_support = "",
		.reason = "",
		.severity = g->n_vulns > 0 ? g->severity : "",
		.severity_source = "",
		.cves = "",
		.kev_cves = "",
		.package = g->raw_name,
	};
	return r;
}

static gint
severity_rank (const char *s)
{
	for (guint i = 0; i < 4; i++)
		if (strcmp (s, severities[i]) == 0)
			return (gint) i;
	return 5;
}

/* the Vulnerable sheet's order as documented: known exploited, severity, CVSS, advisories,
 * host, name, then the feed */
static gint
vuln_cmp (gconstpointer pa, gconstpointer pb)
{
	const Gen *a = pa, *b = pb;
	if (a->kev != b->kev)
		return a->kev ? -1 : 1;
	if (severity_rank (a->severity) != severity_rank (b->severity))
		return severity_rank (a->severity) - severity_rank (b->severity);
	if (a->cvss != b->cvss)
		return a->cvss > b->cvss ? -1 : 1;
	if (a->n_vulns != b->n_vulns)
		return a->n_vulns > b->n_vulns ? -1 : 1;
	int r = strcmp (a->host, b->host);
	if (r == 0)
		r = strcmp (a->raw_name, b->raw_name);
	return r != 0 ? r : (gint) a->feed - (gint) b->feed;
}

static gint
eol_cmp (gconstpointer pa, gconstpointer pb)
{
	const Gen *a = pa, *b = pb;
	if (a->eol_days != b->eol_days)
		return a->eol_days > b->eol_days ? -1 : 1;
	int r = strcmp (a->host, b->host);
	if (r == 0)
		r = strcmp (a->raw_name, b->raw_name);
	return r != 0 ? r : (gint) a->feed - (gint) b->feed;
}

/* The workbook of the feed, with the aggregator's limits (0, 0: the defaults). */
static char *
write_workbook (const char *dir, const char *name, GArray *feed, guint batch, guint64 sheet)
{
	g_autoptr(TuPatchAgg) agg = tu_patch_agg_new ();
	if (batch > 0)
		tu_patch_agg_set_limits (agg, batch, sheet);
	g_autoptr(GError) error = NULL;
	for (guint i = 0; i < feed->len; i++) {
		TuPatchRow r = row_of (&g_array_index (feed, Gen, i));
		g_assert_true (tu_patch_agg_add_row (&r, agg, &error));
	}
	char *path = g_build_filename (dir, name, NULL);
	g_assert_true (tu_report_patch (agg, NULL, 2460000, path, "xlsx", NULL, &error));
	g_assert_no_error (error);
	return path;
}

/* SHEET -> GPtrArray of rows (GStrv of the data row's cells, "" where empty), header and
 * title block left out, in the order the workbook has its sheets (@order). */
static GHashTable *
read_workbook (const char *path, GPtrArray *order)
{
	g_autofree char *script = tu_test_source_path ("tests/xlsx-dump.py");
	const char *argv[] = {"/usr/bin/python3", script, path, NULL};
	g_autofree char *out = NULL, *err = NULL;
	gint status = 0;
	g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
				     &err, &status, NULL));
	if (!g_spawn_check_wait_status (status, NULL))
		g_error ("xlsx-dump.py %s: %s", path, err);
	GHashTable *sheets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
						    (GDestroyNotify) g_ptr_array_unref);
	g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit (lines[i], "\t", 5);
		if (g_strv_length (f) < 5)
			continue;
		guint row = (guint) g_ascii_strtoull (f[1], NULL, 10);
		guint col = (guint) g_ascii_strtoull (f[2], NULL, 10);
		GPtrArray *rows = g_hash_table_lookup (sheets, f[0]);
		if (rows == NULL) {
			rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
			g_hash_table_insert (sheets, g_strdup (f[0]), rows);
			g_ptr_array_add (order, g_strdup (f[0]));
		}
		if (row <= TU_SHEET_HEADER_ROW + 1) /* the title block and the header */
			continue;
		guint idx = row - TU_SHEET_HEADER_ROW - 2;
		while (rows->len <= idx)
			g_ptr_array_add (rows, g_new0 (char *, 1));
		char **cells = g_ptr_array_index (rows, idx);
		guint n = g_strv_length (cells);
		if (col > n) {
			cells = g_renew (char *, cells, col + 1);
			for (guint k = n; k < col; k++)
				cells[k] = g_strdup ("");
			cells[col] = NULL;
			rows->pdata[idx] = cells;
		}
		g_free (cells[col - 1]);
		cells[col - 1] = g_strdup (f[4]);
	}
	return sheets;
}

/* The rows of SHEET, "SHEET (2)", ... one after the other; @n_sheets: how many there were. */
static GPtrArray *
sheet_rows (GHashTable *sheets, const char *name, guint *n_sheets)
{
	GPtrArray *all = g_ptr_array_new ();
	*n_sheets = 0;
	for (guint k = 1;; k++) {
		g_autofree char *sheet =
			k == 1 ? g_strdup (name) : g_strdup_printf ("%s (%u)", name, k);
		GPtrArray *rows = g_hash_table_lookup (sheets, sheet);
		if (rows == NULL)
			break;
		(*n_sheets)++;
		for (guint i = 0; i < rows->len; i++)
			g_ptr_array_add (all, g_ptr_array_index (rows, i));
	}
	return all;
}

static void
assert_same_rows (GPtrArray *a, GPtrArray *b)
{
	g_assert_cmpuint (a->len, ==, b->len);
	for (guint i = 0; i < a->len; i++) {
		g_autofree char *x = g_strjoinv ("|", g_ptr_array_index (a, i));
		g_autofree char *y = g_strjoinv ("|", g_ptr_array_index (b, i));
		g_assert_cmpstr (x, ==, y);
	}
}

static void
test_detail_sheets (void)
{
	g_autofree char *dir = tu_test_mkdtemp ();
	g_autoptr(GArray) feed = make_feed ();
	g_autofree char *small = write_workbook (dir, "small.xlsx", feed, 5, SHEET);
	g_autofree char *plain = write_workbook (dir, "plain.xlsx", feed, 0, 0);
	g_autoptr(GPtrArray) small_order = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GPtrArray) plain_order = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GHashTable) s = read_workbook (small, small_order);
	g_autoptr(GHashTable) p = read_workbook (plain, plain_order);

	/* the expected rows, from the feed */
	g_autoptr(GArray) vuln = g_array_new (FALSE, FALSE, sizeof (Gen));
	g_autoptr(GArray) eol = g_array_new (FALSE, FALSE, sizeof (Gen));
	for (guint i = 0; i < feed->len; i++) {
		const Gen *g = &g_array_index (feed, Gen, i);
		if (g->n_vulns > 0)
			g_array_append_val (vuln, *g);
		if (g->eol_days >= 0)
			g_array_append_val (eol, *g);
	}
	g_array_sort (vuln, vuln_cmp);
	g_array_sort (eol, eol_cmp);
	/* three sheets at least, the last one not full */
	g_assert_cmpuint (vuln->len, >, 20);
	g_assert_cmpuint (vuln->len % SHEET, !=, 0);
	g_assert_cmpuint (eol->len, >, SHEET);
	guint vuln_sheets = (vuln->len + SHEET - 1) / SHEET;
	guint eol_sheets = (eol->len + SHEET - 1) / SHEET;

	guint n_plain = 0, n_small = 0;
	g_autoptr(GPtrArray) pv = sheet_rows (p, "Vulnerable", &n_plain);
	g_autoptr(GPtrArray) sv = sheet_rows (s, "Vulnerable", &n_small);
	g_assert_cmpuint (n_plain, ==, 1);
	g_assert_cmpuint (n_small, ==, vuln_sheets);
	GPtrArray *first = g_hash_table_lookup (s, "Vulnerable");
	GPtrArray *second = g_hash_table_lookup (s, "Vulnerable (2)");
	g_assert_cmpuint (first->len, ==, SHEET);
	g_assert_cmpuint (second->len, ==, SHEET);
	/* in memory and one sheet: the documented order */
	g_assert_cmpuint (pv->len, ==, vuln->len);
	for (guint i = 0; i < vuln->len; i++) {
		char **cells = g_ptr_array_index (pv, i);
		const Gen *g = &g_array_index (vuln, Gen, i);
		g_assert_cmpstr (cells[0], ==, g->host);
		g_assert_cmpstr (cells[1], ==, g->raw_name);
	}
	/* merged from sorted batches and continued on further sheets: the same rows */
	assert_same_rows (sv, pv);

	g_autoptr(GPtrArray) pe = sheet_rows (p, "End of life", &n_plain);
	g_autoptr(GPtrArray) se = sheet_rows (s, "End of life", &n_small);
	g_assert_cmpuint (n_small, ==, eol_sheets);
	g_assert_cmpuint (pe->len, ==, eol->len);
	for (guint i = 0; i < eol->len; i++) {
		char **cells = g_ptr_array_index (pe, i);
		g_assert_cmpstr (cells[0], ==, g_array_index (eol, Gen, i).host);
		g_assert_cmpstr (cells[1], ==, g_array_index (eol, Gen, i).raw_name);
	}
	assert_same_rows (se, pe);

	/* the continuations sit after their sheet, and the other sheets are the same */
	g_autofree char *names = NULL;
	g_ptr_array_add (small_order, NULL);
	names = g_strjoinv (",", (char **) small_order->pdata);
	GString *want = g_string_new ("What to do,Summary,Status,Vulnerable");
	for (guint k = 2; k <= vuln_sheets; k++)
		g_string_append_printf (want, ",Vulnerable (%u)", k);
	g_string_append (want, ",End of life");
	for (guint k = 2; k <= eol_sheets; k++)
		g_string_append_printf (want, ",End of life (%u)", k);
	g_string_append (want, ",Hosts");
	g_assert_cmpstr (names, ==, want->str);
	g_string_free (want, TRUE);
	const char *same[] = {"What to do", "Summary", "Status", "Hosts"};
	for (guint i = 0; i < G_N_ELEMENTS (same); i++)
		assert_same_rows (g_hash_table_lookup (s, same[i]),
				  g_hash_table_lookup (p, same[i]));

	/* Summary: hosts counted once per product, the estate's hosts once */
	GPtrArray *sum = g_hash_table_lookup (p, "Summary");
	guint with_a = 0;
	for (guint h = 0; h < N_HOSTS; h++)
		with_a += (h + 0) % 4 != 3;
	gboolean found = FALSE;
	for (guint i = 0; i < sum->len; i++) {
		char **cells = g_ptr_array_index (sum, i);
		if (g_strcmp0 (cells[1], "pkg-g") == 0) {
			g_assert_cmpint (g_ascii_strtoll (cells[2], NULL, 10), ==, with_a);
			found = TRUE;
		}
		if (g_strcmp0 (cells[0], "All products") == 0)
			g_assert_cmpint (g_ascii_strtoll (cells[2], NULL, 10), ==, N_HOSTS);
	}
	g_assert_true (found);
	tu_test_rmtree (dir);
}

/* The aggregator counts hosts by the last one it saw: a host that comes back is refused. */
static void
test_host_rows_together (void)
{
	g_autoptr(TuPatchAgg) agg = tu_patch_agg_new ();
	g_autoptr(GError) error = NULL;
	Gen a = {0}, b = {0};
	software_verdict (1, &a);
	software_verdict (2, &b);
	g_strlcpy (a.host, "host-01", sizeof a.host);
	g_strlcpy (b.host, "host-02", sizeof b.host);
	TuPatchRow ra = row_of (&a), rb = row_of (&b);
	g_assert_true (tu_patch_agg_add_row (&ra, agg, &error));
	g_assert_true (tu_patch_agg_add_row (&ra, agg, &error));
	g_assert_true (tu_patch_agg_add_row (&rb, agg, &error));
	g_assert_false (tu_patch_agg_add_row (&ra, agg, &error));
	g_assert_nonnull (strstr (error->message, "host-01"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/patch-report/detail-sheets", test_detail_sheets);
	g_test_add_func ("/trueup/patch-report/host-rows-together", test_host_rows_together);
	return g_test_run ();
}
