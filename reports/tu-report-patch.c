/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The patch-currency and changes reports.
 *
 * Patch: Summary (per product: hosts, share current, behind, end of life, vulnerable,
 * known-exploited; charts by status and by product), Vulnerable (known-exploited first, then
 * CVSS), End of life (dates and days past), Hosts (one row per host). Conditional formats mark
 * the urgent rows: known-exploited and critical CVSS red, high CVSS amber, long past end of
 * life red. Changes: what was installed, removed, upgraded or downgraded since a date, from
 * the installations' history.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-patch.h"
#include "tu-report-patch.h"

const TuColumn tu_patch_columns[] = {
	{"host", TU_COL_TEXT, 18},	   {"source", TU_COL_TEXT, 8},	    {"raw_name", TU_COL_TEXT, 28},
	{"publisher", TU_COL_TEXT, 16},	   {"product", TU_COL_TEXT, 20},    {"version", TU_COL_TEXT, 20},
	{"upstream_version", TU_COL_TEXT, 14}, {"cycle", TU_COL_TEXT, 8},   {"latest_in_cycle", TU_COL_TEXT, 14},
	{"latest", TU_COL_TEXT, 12},	   {"behind", TU_COL_INT, 8},	    {"days_behind", TU_COL_INT, 11},
	{"support", TU_COL_TEXT, 13},	   {"eol_date", TU_COL_DATE, 11},   {"vulns", TU_COL_INT, 7},
	{"max_cvss", TU_COL_NUMBER, 9},	   {"vuln_ids", TU_COL_TEXT, 40},   {"kev", TU_COL_TEXT, 5},
	{"fixed_in", TU_COL_TEXT, 20},	   {"os", TU_COL_TEXT, 22},
	/* issue 12: what a security team acts on */
	{"os_build", TU_COL_TEXT, 16},	   {"os_edition", TU_COL_TEXT, 14},
	{"eol_days", TU_COL_INT, 9},	   {"support_basis", TU_COL_TEXT, 30},
	{"extended_support", TU_COL_DATE, 12}, {"reason", TU_COL_TEXT, 30},
	{"severity", TU_COL_TEXT, 9},	   {"severity_source", TU_COL_TEXT, 30},
	{"cves", TU_COL_TEXT, 30},	   {"kev_cves", TU_COL_TEXT, 30},
	{"package", TU_COL_TEXT, 16},
};
const guint tu_patch_n_columns = G_N_ELEMENTS (tu_patch_columns);

static void
add_opt_int (TuTable *t, gint v)
{
	if (v < 0)
		tu_table_add_null (t);
	else
		tu_table_add_int (t, v);
}

gboolean
tu_report_write_patch_row (TuTable *t, const TuPatchRow *r, GError **error)
{
	tu_table_add_str (t, r->host);
	tu_table_add_str (t, r->source);
	tu_table_add_str (t, r->raw_name);
	tu_table_add_str (t, r->publisher);
	tu_table_add_str (t, r->product);
	tu_table_add_str (t, r->raw_version);
	tu_table_add_str (t, r->version);
	tu_table_add_str (t, r->cycle);
	tu_table_add_str (t, r->latest_in_cycle);
	tu_table_add_str (t, r->latest);
	add_opt_int (t, r->behind);
	add_opt_int (t, r->days_behind);
	tu_table_add_str (t, r->support);
	tu_table_add_text_as_type (t, r->eol_date);
	tu_table_add_int (t, r->n_vulns);
	if (r->max_cvss >= 0)
		tu_table_add_double (t, r->max_cvss);
	else
		tu_table_add_null (t);
	tu_table_add_str (t, r->vuln_ids);
	tu_table_add_str (t, r->kev ? "yes" : "no");
	tu_table_add_str (t, r->fixed_in);
	tu_table_add_str (t, r->os);
	tu_table_add_str (t, r->os_build);
	tu_table_add_str (t, r->os_edition);
	add_opt_int (t, r->eol_days);
	tu_table_add_str (t, r->support_basis);
	tu_table_add_text_as_type (t, r->extended_support && *r->extended_support
					      ? r->extended_support
					      : NULL);
	tu_table_add_str (t, r->reason);
	tu_table_add_str (t, r->severity);
	tu_table_add_str (t, r->severity_source);
	tu_table_add_str (t, r->cves);
	tu_table_add_str (t, r->kev_cves);
	tu_table_add_str (t, r->package);
	return tu_table_end_row (t, error);
}

/* ---------------------------------------------------------------- aggregation ---------- */

typedef struct {
	char *publisher;
	char *product;
	GHashTable *hosts;
	guint n_installs;
	guint n_catalog;
	guint n_current;
	guint n_behind;
	guint n_eol;
	guint n_vulnerable;
	guint n_kev;
	guint n_unknown;
} ProductAgg;

typedef struct {
	char *host;
	char *os;
	guint n_installs;
	guint n_behind;
	guint n_eol;
	guint n_vulnerable;
	guint n_kev;
	double max_cvss;
} HostAgg;

/* a copy of the columns of a row, for sorting */
typedef struct {
	char **values; /* tu_patch_n_columns texts */
	gboolean kev;
	double cvss;
	gint eol_days;
} SavedRow;

typedef struct {
	GHashTable *products; /* key -> ProductAgg* */
	GPtrArray *product_list;
	GPtrArray *hosts;     /* HostAgg* in host order */
	GPtrArray *vulnerable; /* SavedRow* */
	GPtrArray *eol;	      /* SavedRow* */
} Agg;

static void
product_agg_free (ProductAgg *p)
{
	g_free (p->publisher);
	g_free (p->product);
	g_hash_table_unref (p->hosts);
	g_free (p);
}

static void
host_agg_free (HostAgg *h)
{
	g_free (h->host);
	g_free (h->os);
	g_free (h);
}

static void
saved_row_free (SavedRow *s)
{
	g_strfreev (s->values);
	g_free (s);
}

static char *
opt_int_text (gint v)
{
	return v < 0 ? NULL : g_strdup_printf ("%d", v);
}

static SavedRow *
save_row (const TuPatchRow *r)
{
	SavedRow *s = g_new0 (SavedRow, 1);
	s->values = g_new0 (char *, tu_patch_n_columns + 1);
	char **v = s->values;
	v[0] = g_strdup (r->host);
	v[1] = g_strdup (r->source);
	v[2] = g_strdup (r->raw_name);
	v[3] = g_strdup (r->publisher);
	v[4] = g_strdup (r->product);
	v[5] = g_strdup (r->raw_version);
	v[6] = g_strdup (r->version);
	v[7] = g_strdup (r->cycle);
	v[8] = g_strdup (r->latest_in_cycle);
	v[9] = g_strdup (r->latest);
	v[10] = opt_int_text (r->behind);
	v[11] = opt_int_text (r->days_behind);
	v[12] = g_strdup (r->support);
	v[13] = g_strdup (r->eol_date);
	v[14] = g_strdup_printf ("%u", r->n_vulns);
	v[15] = r->max_cvss >= 0 ? g_strdup_printf ("%.1f", r->max_cvss) : NULL;
	v[16] = g_strdup (r->vuln_ids);
	v[17] = g_strdup (r->kev ? "yes" : "no");
	v[18] = g_strdup (r->fixed_in);
	v[19] = g_strdup (r->os);
	v[20] = g_strdup (r->os_build);
	v[21] = g_strdup (r->os_edition);
	v[22] = opt_int_text (r->eol_days);
	v[23] = g_strdup (r->support_basis);
	v[24] = g_strdup (r->extended_support);
	v[25] = g_strdup (r->reason);
	v[26] = g_strdup (r->severity);
	v[27] = g_strdup (r->severity_source);
	v[28] = g_strdup (r->cves);
	v[29] = g_strdup (r->kev_cves);
	v[30] = g_strdup (r->package);
	/* g_strfreev stops at the first NULL: keep the array dense with "" */
	for (guint i = 0; i < tu_patch_n_columns; i++) {
		if (v[i] == NULL)
			v[i] = g_strdup ("");
	}
	s->kev = r->kev;
	s->cvss = r->max_cvss;
	s->eol_days = r->eol_days;
	return s;
}

static gboolean
aggregate (const TuPatchRow *r, gpointer user_data, GError **error)
{
	Agg *a = user_data;
	g_autofree char *k = g_strdup_printf ("%s\x1f%s", r->publisher, r->product);
	ProductAgg *p = g_hash_table_lookup (a->products, k);
	if (p == NULL) {
		p = g_new0 (ProductAgg, 1);
		p->publisher = g_strdup (r->publisher);
		p->product = g_strdup (r->product);
		p->hosts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
		g_hash_table_insert (a->products, g_steal_pointer (&k), p);
		g_ptr_array_add (a->product_list, p);
	}
	gboolean eol = g_strcmp0 (r->support, "eol") == 0;
	g_hash_table_add (p->hosts, (gpointer) g_memdup2 (&r->host_id, sizeof r->host_id));
	p->n_installs++;
	p->n_catalog += r->catalog_id != NULL;
	p->n_current += r->behind == 0;
	p->n_behind += r->behind > 0;
	p->n_eol += eol;
	p->n_vulnerable += r->n_vulns > 0;
	p->n_kev += r->kev;
	p->n_unknown += r->n_unknown > 0;

	HostAgg *h = a->hosts->len ? g_ptr_array_index (a->hosts, a->hosts->len - 1) : NULL;
	if (h == NULL || g_strcmp0 (h->host, r->host) != 0) {
		h = g_new0 (HostAgg, 1);
		h->host = g_strdup (r->host);
		h->os = g_strdup (r->os);
		h->max_cvss = -1;
		g_ptr_array_add (a->hosts, h);
	}
	h->n_installs++;
	h->n_behind += r->behind > 0;
	h->n_eol += eol;
	h->n_vulnerable += r->n_vulns > 0;
	h->n_kev += r->kev;
	h->max_cvss = MAX (h->max_cvss, r->max_cvss);
	if (r->n_vulns > 0)
		g_ptr_array_add (a->vulnerable, save_row (r));
	if (eol)
		g_ptr_array_add (a->eol, save_row (r));
	return TRUE;
}

static gint
vuln_order (gconstpointer pa, gconstpointer pb)
{
	const SavedRow *a = *(SavedRow *const *) pa, *b = *(SavedRow *const *) pb;
	if (a->kev != b->kev)
		return a->kev ? -1 : 1;
	if (a->cvss != b->cvss)
		return a->cvss > b->cvss ? -1 : 1;
	int r = g_strcmp0 (a->values[0], b->values[0]);
	return r ? r : g_strcmp0 (a->values[2], b->values[2]);
}

static gint
eol_order (gconstpointer pa, gconstpointer pb)
{
	const SavedRow *a = *(SavedRow *const *) pa, *b = *(SavedRow *const *) pb;
	if (a->eol_days != b->eol_days)
		return a->eol_days > b->eol_days ? -1 : 1;
	int r = g_strcmp0 (a->values[0], b->values[0]);
	return r ? r : g_strcmp0 (a->values[2], b->values[2]);
}

static gint
product_order (gconstpointer pa, gconstpointer pb)
{
	const ProductAgg *a = *(ProductAgg *const *) pa, *b = *(ProductAgg *const *) pb;
	if (a->n_kev != b->n_kev)
		return a->n_kev > b->n_kev ? -1 : 1;
	if (a->n_vulnerable != b->n_vulnerable)
		return a->n_vulnerable > b->n_vulnerable ? -1 : 1;
	if (a->n_eol != b->n_eol)
		return a->n_eol > b->n_eol ? -1 : 1;
	guint ha = g_hash_table_size (a->hosts), hb = g_hash_table_size (b->hosts);
	if (ha != hb)
		return ha > hb ? -1 : 1;
	int r = g_strcmp0 (a->publisher, b->publisher);
	return r ? r : g_strcmp0 (a->product, b->product);
}

static gboolean
write_saved (TuTable *t, GPtrArray *rows, GError **error)
{
	for (guint i = 0; i < rows->len; i++) {
		const SavedRow *s = g_ptr_array_index (rows, i);
		for (guint c = 0; c < tu_patch_n_columns; c++)
			tu_table_add_text_as_type (t, *s->values[c] ? s->values[c] : NULL);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

/* Colour whole rows by a formula over one column (not a cell formula: a display rule). */
static void
highlight_rows (TuWorkbook *wb, TuTable *t, guint n_rows, guint n_cols, const char *formula,
		const char *format)
{
	if (wb == NULL || n_rows == 0)
		return;
	lxw_conditional_format cf = {0};
	cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
	cf.value_string = (char *) formula;
	cf.format = tu_workbook_format (wb, format);
	worksheet_conditional_format_range (tu_table_worksheet (t), 1, 0, (lxw_row_t) n_rows,
					    (lxw_col_t) (n_cols - 1), &cf);
}

static const TuColumn summary_columns[] = {
	{"publisher", TU_COL_TEXT, 18},	 {"product", TU_COL_TEXT, 24},	  {"hosts", TU_COL_INT, 8},
	{"installations", TU_COL_INT, 12}, {"current", TU_COL_INT, 9},	  {"behind", TU_COL_INT, 8},
	{"share_current", TU_COL_PERCENT, 13}, {"end_of_life", TU_COL_INT, 11}, {"vulnerable", TU_COL_INT, 11},
	{"known_exploited", TU_COL_INT, 15}, {"unknown_verdicts", TU_COL_INT, 16},
};

static const TuColumn host_columns[] = {
	{"host", TU_COL_TEXT, 20},	 {"os", TU_COL_TEXT, 28},	   {"covered", TU_COL_INT, 9},
	{"behind", TU_COL_INT, 8},	 {"end_of_life", TU_COL_INT, 11}, {"vulnerable", TU_COL_INT, 11},
	{"known_exploited", TU_COL_INT, 15}, {"max_cvss", TU_COL_NUMBER, 9},
};

static const TuColumn status_columns[] = {
	{"status", TU_COL_TEXT, 26},
	{"installations", TU_COL_INT, 14},
};

gboolean
tu_report_patch (TuDb *db, const TuPatchOptions *opts, const char *path, const char *format,
		 GPtrArray **files, TuPatchStats *stats, GError **error)
{
	Agg a = {
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
		g_ptr_array_new_with_free_func ((GDestroyNotify) product_agg_free),
		g_ptr_array_new_with_free_func ((GDestroyNotify) host_agg_free),
		g_ptr_array_new_with_free_func ((GDestroyNotify) saved_row_free),
		g_ptr_array_new_with_free_func ((GDestroyNotify) saved_row_free),
	};
	TuPatchOptions sorted = *opts;
	sorted.sorted = TRUE;
	gboolean ok = tu_patch_run (db, &sorted, aggregate, &a, stats, error);
	g_autoptr(TuReport) r = ok ? tu_report_new (path, format, error) : NULL;
	ok = r != NULL;
	TuWorkbook *wb = ok ? tu_report_workbook (r) : NULL;
	g_ptr_array_sort (a.product_list, product_order);
	g_ptr_array_sort (a.vulnerable, vuln_order);
	g_ptr_array_sort (a.eol, eol_order);

	/* Summary */
	g_autoptr(TuTable) sum = ok ? tu_report_sheet (r, "Summary", summary_columns,
							 G_N_ELEMENTS (summary_columns), FALSE, NULL, error)
				    : NULL;
	ok = sum != NULL;
	for (guint i = 0; ok && i < a.product_list->len; i++) {
		const ProductAgg *p = g_ptr_array_index (a.product_list, i);
		tu_table_add_str (sum, p->publisher);
		tu_table_add_str (sum, p->product);
		tu_table_add_int (sum, g_hash_table_size (p->hosts));
		tu_table_add_int (sum, p->n_installs);
		tu_table_add_int (sum, p->n_current);
		tu_table_add_int (sum, p->n_behind);
		if (p->n_current + p->n_behind > 0)
			tu_table_add_double (sum, (double) p->n_current / (p->n_current + p->n_behind));
		else
			tu_table_add_null (sum);
		tu_table_add_int (sum, p->n_eol);
		tu_table_add_int (sum, p->n_vulnerable);
		tu_table_add_int (sum, p->n_kev);
		tu_table_add_int (sum, p->n_unknown);
		ok = tu_table_end_row (sum, error);
	}
	guint n_products = a.product_list->len;
	if (ok && wb != NULL && n_products > 0) {
		highlight_rows (wb, sum, n_products, G_N_ELEMENTS (summary_columns), "=$J2>0", "red");
		highlight_rows (wb, sum, n_products, G_N_ELEMENTS (summary_columns),
				"=OR($H2>0,$I2>0)", "amber");
		/* by status */
		lxw_chart *pie = workbook_add_chart (tu_workbook_handle (wb), LXW_CHART_PIE);
		lxw_chart_series *s1 = chart_add_series (pie, NULL, NULL);
		chart_series_set_categories (s1, "Status", 1, 0, 5, 0);
		chart_series_set_values (s1, "Status", 1, 1, 5, 1);
		chart_title_set_name (pie, "Installations by status");
		lxw_chart_options o1 = {.x_offset = 10, .y_offset = 10};
		worksheet_insert_chart_opt (tu_table_worksheet (sum), 1,
					    (lxw_col_t) G_N_ELEMENTS (summary_columns) + 1, pie, &o1);
		/* by product: the first 15 products, stacked current / behind / end of life */
		guint top = MIN (n_products, 15u);
		lxw_chart *bar = workbook_add_chart (tu_workbook_handle (wb), LXW_CHART_BAR_STACKED);
		const struct {
			const char *name;
			lxw_col_t col;
		} series[] = {{"Current", 4}, {"Behind", 5}, {"End of life", 7}, {"Vulnerable", 8}};
		for (guint k = 0; k < G_N_ELEMENTS (series); k++) {
			lxw_chart_series *s = chart_add_series (bar, NULL, NULL);
			chart_series_set_categories (s, "Summary", 1, 1, (lxw_row_t) top, 1);
			chart_series_set_values (s, "Summary", 1, series[k].col, (lxw_row_t) top,
						 series[k].col);
			chart_series_set_name (s, series[k].name);
		}
		chart_title_set_name (bar, "By product");
		lxw_chart_options o2 = {.x_offset = 10, .y_offset = 10, .x_scale = 1.4, .y_scale = 1.6};
		worksheet_insert_chart_opt (tu_table_worksheet (sum), 17,
					    (lxw_col_t) G_N_ELEMENTS (summary_columns) + 1, bar, &o2);
	}
	ok = ok && tu_report_sheet_done (r, sum, error);

	/* Status (the pie's data) */
	g_autoptr(TuTable) st = ok ? tu_report_sheet (r, "Status", status_columns,
							G_N_ELEMENTS (status_columns), FALSE, NULL, error)
				   : NULL;
	ok = st != NULL;
	if (ok) {
		guint64 current = 0, behind = 0;
		for (guint i = 0; i < a.product_list->len; i++) {
			const ProductAgg *p = g_ptr_array_index (a.product_list, i);
			current += p->n_current;
			behind += p->n_behind;
		}
		const struct {
			const char *name;
			guint64 n;
		} lines[] = {
			{"current", current},
			{"behind", behind},
			{"end of life", stats->n_eol},
			{"with known vulnerabilities", stats->n_vulnerable},
			{"with known-exploited ones", stats->n_kev},
		};
		for (guint i = 0; ok && i < G_N_ELEMENTS (lines); i++) {
			tu_table_add_str (st, lines[i].name);
			tu_table_add_int (st, (gint64) lines[i].n);
			ok = tu_table_end_row (st, error);
		}
	}
	ok = ok && tu_report_sheet_done (r, st, error);

	/* Vulnerable */
	g_autoptr(TuTable) vul = ok ? tu_report_sheet (r, "Vulnerable", tu_patch_columns,
							 tu_patch_n_columns, TRUE, NULL, error)
				    : NULL;
	ok = vul != NULL && write_saved (vul, a.vulnerable, error);
	if (ok) {
		highlight_rows (wb, vul, a.vulnerable->len, tu_patch_n_columns, "=$R2=\"yes\"", "red");
		highlight_rows (wb, vul, a.vulnerable->len, tu_patch_n_columns, "=$P2>=9", "red");
		highlight_rows (wb, vul, a.vulnerable->len, tu_patch_n_columns, "=$P2>=7", "amber");
	}
	ok = ok && tu_report_sheet_done (r, vul, error);

	/* End of life */
	g_autoptr(TuTable) eol = ok ? tu_report_sheet (r, "End of life", tu_patch_columns,
							 tu_patch_n_columns, FALSE, NULL, error)
				    : NULL;
	ok = eol != NULL && write_saved (eol, a.eol, error);
	if (ok)
		highlight_rows (wb, eol, a.eol->len, tu_patch_n_columns, "=$N2<TODAY()-365", "red");
	ok = ok && tu_report_sheet_done (r, eol, error);

	/* Hosts */
	g_autoptr(TuTable) hosts = ok ? tu_report_sheet (r, "Hosts", host_columns,
							   G_N_ELEMENTS (host_columns), FALSE, NULL, error)
				      : NULL;
	ok = hosts != NULL;
	for (guint i = 0; ok && i < a.hosts->len; i++) {
		const HostAgg *h = g_ptr_array_index (a.hosts, i);
		tu_table_set_row_style (hosts, h->n_kev > 0 ? TU_ROW_RED
					       : h->n_eol > 0 || h->n_vulnerable > 0 ? TU_ROW_AMBER
									       : TU_ROW_PLAIN);
		tu_table_add_str (hosts, h->host);
		tu_table_add_str (hosts, h->os);
		tu_table_add_int (hosts, h->n_installs);
		tu_table_add_int (hosts, h->n_behind);
		tu_table_add_int (hosts, h->n_eol);
		tu_table_add_int (hosts, h->n_vulnerable);
		tu_table_add_int (hosts, h->n_kev);
		if (h->max_cvss >= 0)
			tu_table_add_double (hosts, h->max_cvss);
		else
			tu_table_add_null (hosts);
		ok = tu_table_end_row (hosts, error);
	}
	ok = ok && tu_report_sheet_done (r, hosts, error);
	ok = ok && tu_report_close (r, files, error);
	g_hash_table_unref (a.products);
	g_ptr_array_unref (a.product_list);
	g_ptr_array_unref (a.hosts);
	g_ptr_array_unref (a.vulnerable);
	g_ptr_array_unref (a.eol);
	return ok;
}

/* ---------------------------------------------------------------- changes -------------- */

const TuColumn tu_change_columns[] = {
	{"date", TU_COL_DATETIME, 19},	{"host", TU_COL_TEXT, 18},	 {"change", TU_COL_TEXT, 11},
	{"source", TU_COL_TEXT, 8},	{"raw_name", TU_COL_TEXT, 30},	 {"publisher", TU_COL_TEXT, 16},
	{"product", TU_COL_TEXT, 22},	{"old_version", TU_COL_TEXT, 20}, {"new_version", TU_COL_TEXT, 20},
};
const guint tu_change_n_columns = G_N_ELEMENTS (tu_change_columns);

gboolean
tu_report_write_changes (TuDb *db, const char *since, TuTable *t, guint64 *n_rows, GError **error)
{
	/* a new interval that replaced an old one at the same moment is an upgrade (or downgrade,
	 * or a change of publisher/arch), not an installation */
	g_autoptr(TuSql) q = tu_sql_new (
		db,
		"SELECT DATE_FORMAT(x.at, '%Y-%m-%d %H:%i:%s'), h.hostname, x.change_kind, s.source, "
		"s.raw_name, s.publisher, s.product, x.old_version, x.new_version FROM ("
		" SELECT o.removed_at AS at, o.host_id, o.removed_reason AS change_kind, "
		"  n.software_id AS software_id, so.raw_version AS old_version, sn.raw_version AS new_version "
		"  FROM installations o JOIN installations n ON n.host_id = o.host_id AND "
		"  n.install_key = o.install_key AND n.first_seen = o.removed_at "
		"  JOIN software so ON so.id = o.software_id JOIN software sn ON sn.id = n.software_id "
		"  WHERE o.removed_at >= ? AND o.removed_reason IN ('upgraded', 'downgraded', 'changed') "
		" UNION ALL "
		" SELECT n.first_seen, n.host_id, 'installed', n.software_id, NULL, s2.raw_version "
		"  FROM installations n JOIN software s2 ON s2.id = n.software_id WHERE n.first_seen >= ? "
		"  AND NOT EXISTS (SELECT 1 FROM installations o WHERE o.host_id = n.host_id AND "
		"  o.install_key = n.install_key AND o.removed_at = n.first_seen AND o.removed_reason "
		"  IN ('upgraded', 'downgraded', 'changed')) "
		" UNION ALL "
		" SELECT o.removed_at, o.host_id, 'removed', o.software_id, s3.raw_version, NULL "
		"  FROM installations o JOIN software s3 ON s3.id = o.software_id "
		"  WHERE o.removed_at >= ? AND o.removed_reason = 'removed'"
		") x JOIN hosts h ON h.id = x.host_id JOIN software s ON s.id = x.software_id "
		"ORDER BY x.at, h.hostname, s.raw_name");
	tu_sql_bind_str (q, since);
	tu_sql_bind_str (q, since);
	tu_sql_bind_str (q, since);
	g_autoptr(MYSQL_RES) res = tu_db_query_stream (db, tu_sql_get (q), error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW r;
	guint64 n = 0;
	while ((r = mysql_fetch_row (res)) != NULL) {
		tu_table_set_row_style (t, g_strcmp0 (r[2], "removed") == 0	 ? TU_ROW_AMBER
					   : g_strcmp0 (r[2], "downgraded") == 0 ? TU_ROW_RED
									   : TU_ROW_PLAIN);
		for (guint c = 0; c < tu_change_n_columns; c++)
			tu_table_add_text_as_type (t, r[c]);
		if (!tu_table_end_row (t, error))
			return FALSE;
		n++;
	}
	if (mysql_errno (tu_db_handle (db)) != 0)
		return tu_db_set_error (db, error, "reading the history");
	if (n_rows != NULL)
		*n_rows = n;
	return TRUE;
}

gboolean
tu_report_changes (TuDb *db, const char *since, const char *path, const char *format,
		   GPtrArray **files, GError **error)
{
	g_autoptr(TuReport) r = tu_report_new (path, format, error);
	if (r == NULL)
		return FALSE;
	g_autoptr(TuTable) t = tu_report_sheet (r, "Changes", tu_change_columns, tu_change_n_columns,
						TRUE, NULL, error);
	if (t == NULL || !tu_report_write_changes (db, since, t, NULL, error) ||
	    !tu_report_sheet_done (r, t, error))
		return FALSE;
	return tu_report_close (r, files, error);
}
