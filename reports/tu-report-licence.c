/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The compliance and renewals workbooks. Both lay out what the licence engine computed; the
 * only arithmetic here is totals and the notice deadline (end minus notice days).
 *
 * Compliance: Summary (per publisher, product, edition and metric; shortfalls red, surplus
 * amber, compliant green; totals per currency) with a chart of shortfall cost by publisher,
 * Installations (every verdict and its reason), Entitlements (the use of each), Needs review
 * (unrecognised software by hosts, installations missing data).
 * Renewals: contracts ending within the window with their notice deadline, and the use of
 * each contract's entitlements so that a renewal can be sized to need.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tu-common.h"
#include "tu-licence.h"
#include "tu-renormalise.h"
#include "tu-report-licence.h"

const TuColumn tu_position_columns[] = {
	{"publisher", TU_COL_TEXT, 18}, {"product", TU_COL_TEXT, 26},	{"edition", TU_COL_TEXT, 18},
	{"metric", TU_COL_TEXT, 10},	{"required", TU_COL_INT, 10},	{"entitled", TU_COL_INT, 10},
	{"shortfall", TU_COL_INT, 10},	{"surplus", TU_COL_INT, 10},	{"shortfall_cost", TU_COL_MONEY, 14},
	{"currency", TU_COL_TEXT, 9},	{"needs_data", TU_COL_INT, 11}, {"installations", TU_COL_INT, 13},
	{"hosts", TU_COL_INT, 8},	{"status", TU_COL_TEXT, 12},
};
const guint tu_position_n_columns = G_N_ELEMENTS (tu_position_columns);

const TuColumn tu_verdict_columns[] = {
	{"host", TU_COL_TEXT, 18},	{"publisher", TU_COL_TEXT, 16}, {"product", TU_COL_TEXT, 24},
	{"edition", TU_COL_TEXT, 16},	{"release", TU_COL_TEXT, 9},	{"version", TU_COL_TEXT, 16},
	{"metric", TU_COL_TEXT, 9},	{"units", TU_COL_INT, 7},	{"covered", TU_COL_INT, 8},
	{"status", TU_COL_TEXT, 11},	{"entitlement", TU_COL_TEXT, 18}, {"reason", TU_COL_TEXT, 60},
	{"raw_name", TU_COL_TEXT, 36},
};
const guint tu_verdict_n_columns = G_N_ELEMENTS (tu_verdict_columns);

static const char *
row_status (const TuPositionRow *r)
{
	if (r->shortfall > 0)
		return "shortfall";
	if (r->needs_data > 0)
		return "needs data";
	if (r->surplus > 0)
		return "surplus";
	return "compliant";
}

gboolean
tu_report_write_position (const TuLicencePosition *pos, TuTable *t, gboolean styled,
			  GError **error)
{
	for (guint i = 0; i < pos->rows->len; i++) {
		const TuPositionRow *r = g_ptr_array_index (pos->rows, i);
		if (styled)
			tu_table_set_row_style (t, r->shortfall > 0	? TU_ROW_RED
						   : r->surplus > 0	? TU_ROW_AMBER
						   : r->needs_data > 0 ? TU_ROW_AMBER
								       : TU_ROW_GREEN);
		tu_table_add_str (t, r->publisher);
		tu_table_add_str (t, r->product);
		tu_table_add_str (t, r->edition);
		tu_table_add_str (t, tu_metric_to_string (r->metric));
		tu_table_add_int (t, r->required);
		tu_table_add_int (t, r->entitled);
		tu_table_add_int (t, r->shortfall);
		tu_table_add_int (t, r->surplus);
		if (r->has_cost)
			tu_table_add_double (t, r->shortfall_cost);
		else
			tu_table_add_null (t);
		tu_table_add_str (t, r->currency);
		tu_table_add_int (t, r->needs_data);
		tu_table_add_int (t, r->n_installs);
		tu_table_add_int (t, r->n_hosts);
		tu_table_add_str (t, row_status (r));
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
tu_report_write_verdicts (const TuLicenceInput *in, const TuLicencePosition *pos, TuTable *t,
			  gboolean styled, GError **error)
{
	for (guint i = 0; i < pos->verdicts->len; i++) {
		const TuVerdict *v = g_ptr_array_index (pos->verdicts, i);
		const TuLicInstall *inst = g_ptr_array_index (in->installs, v->install);
		const TuLicHost *h = g_ptr_array_index (in->hosts, inst->host);
		if (styled)
			tu_table_set_row_style (t, v->status == TU_VERDICT_COVERED ? TU_ROW_PLAIN
						   : v->status == TU_VERDICT_NEEDS_DATA
							   ? TU_ROW_AMBER
							   : TU_ROW_RED);
		tu_table_add_str (t, h->name);
		tu_table_add_str (t, inst->publisher);
		tu_table_add_str (t, inst->product);
		tu_table_add_str (t, inst->edition);
		tu_table_add_str (t, inst->release);
		tu_table_add_str (t, inst->version);
		tu_table_add_str (t, tu_metric_to_string (v->metric));
		tu_table_add_int (t, v->is_representative ? v->units : 0);
		tu_table_add_int (t, v->is_representative ? v->covered : 0);
		tu_table_add_str (t, tu_verdict_status_to_string (v->status));
		tu_table_add_str (t, v->entitlements);
		tu_table_add_str (t, v->reason);
		tu_table_add_str (t, inst->raw_name);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

static const TuColumn use_columns[] = {
	{"id", TU_COL_TEXT, 14},	  {"publisher", TU_COL_TEXT, 16}, {"product", TU_COL_TEXT, 24},
	{"edition", TU_COL_TEXT, 16},	  {"release", TU_COL_TEXT, 9},	  {"metric", TU_COL_TEXT, 9},
	{"quantity", TU_COL_INT, 9},	  {"used", TU_COL_INT, 8},	  {"unused", TU_COL_INT, 8},
	{"unit_cost", TU_COL_MONEY, 11}, {"unused_cost", TU_COL_MONEY, 12}, {"currency", TU_COL_TEXT, 9},
	{"start", TU_COL_DATE, 11},	  {"end", TU_COL_DATE, 11},	  {"maintenance_end", TU_COL_DATE, 14},
	{"active", TU_COL_TEXT, 18},	  {"scope", TU_COL_TEXT, 16},	  {"contract", TU_COL_TEXT, 12},
	{"po", TU_COL_TEXT, 12},
};

static void
add_date (TuTable *t, guint32 julian)
{
	if (julian == 0) {
		tu_table_add_null (t);
		return;
	}
	g_autofree char *d = tu_date_format (julian);
	tu_table_add_text_as_type (t, d);
}

static gboolean
write_uses (const TuLicenceInput *in, const TuLicencePosition *pos, TuTable *t, const char *contract,
	    GError **error)
{
	for (guint i = 0; i < pos->uses->len; i++) {
		const TuEntitlementUse *u = g_ptr_array_index (pos->uses, i);
		const TuEntitlement *e = g_ptr_array_index (in->entitlements, u->entitlement);
		if (contract != NULL && g_strcmp0 (e->contract_id, contract) != 0)
			continue;
		tu_table_set_row_style (t, !u->is_active ? TU_ROW_PLAIN
					   : u->unused > 0 ? TU_ROW_AMBER
							   : TU_ROW_GREEN);
		tu_table_add_str (t, e->id);
		tu_table_add_str (t, e->publisher);
		tu_table_add_str (t, e->product);
		tu_table_add_str (t, e->edition);
		tu_table_add_str (t, e->release);
		tu_table_add_str (t, tu_metric_to_string (e->metric));
		tu_table_add_int (t, e->quantity);
		tu_table_add_int (t, u->used);
		tu_table_add_int (t, u->unused);
		if (e->has_unit_cost)
			tu_table_add_double (t, e->unit_cost);
		else
			tu_table_add_null (t);
		if (u->has_cost)
			tu_table_add_double (t, u->unused_cost);
		else
			tu_table_add_null (t);
		tu_table_add_str (t, e->currency);
		add_date (t, e->start);
		add_date (t, e->end);
		add_date (t, e->maintenance_end);
		tu_table_add_str (t, u->is_active ? "yes" : u->inactive_reason);
		tu_table_add_str (t, e->scope);
		tu_table_add_str (t, e->contract_id);
		tu_table_add_str (t, e->po);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

static const TuColumn review_columns[] = {
	{"what", TU_COL_TEXT, 14},     {"hosts", TU_COL_INT, 8},      {"installations", TU_COL_INT, 12},
	{"source", TU_COL_TEXT, 10},   {"raw_name", TU_COL_TEXT, 40}, {"raw_publisher", TU_COL_TEXT, 26},
	{"detail", TU_COL_TEXT, 60},
};

static gboolean
write_review (TuDb *db, const TuLicenceInput *in, const TuLicencePosition *pos, TuTable *t,
	      GError **error)
{
	for (guint i = 0; i < pos->verdicts->len; i++) {
		const TuVerdict *v = g_ptr_array_index (pos->verdicts, i);
		if (v->status != TU_VERDICT_NEEDS_DATA)
			continue;
		const TuLicInstall *inst = g_ptr_array_index (in->installs, v->install);
		const TuLicHost *h = g_ptr_array_index (in->hosts, inst->host);
		tu_table_set_row_style (t, TU_ROW_AMBER);
		tu_table_add_str (t, "needs data");
		tu_table_add_int (t, 1);
		tu_table_add_int (t, 1);
		tu_table_add_null (t);
		tu_table_add_str (t, inst->raw_name);
		tu_table_add_str (t, inst->publisher);
		g_autofree char *detail = g_strdup_printf ("%s on %s: %s", inst->product, h->name, v->reason);
		tu_table_add_str (t, detail);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	g_autoptr(MYSQL_RES) res = tu_db_query_stream (
		db,
		"SELECT COUNT(DISTINCT i.host_id), COUNT(*), s.source, s.raw_name, MIN(s.raw_publisher), "
		"MIN(s.product), MAX(s.is_recognised), MIN(s.class) FROM installations i "
		"JOIN software s ON s.id = i.software_id WHERE i.removed_at IS NULL AND "
		TU_REVIEW_CONDITION " GROUP BY s.source, s.raw_name ORDER BY "
		"COUNT(DISTINCT i.host_id) DESC, s.raw_name LIMIT 5000",
		error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW r;
	while ((r = mysql_fetch_row (res)) != NULL) {
		gboolean recognised = g_strcmp0 (r[6], "1") == 0;
		tu_table_add_str (t, recognised ? "unclassified" : "unrecognised");
		tu_table_add_text_as_type (t, r[0]);
		tu_table_add_text_as_type (t, r[1]);
		tu_table_add_str (t, r[2]);
		tu_table_add_str (t, r[3]);
		tu_table_add_str (t, r[4]);
		g_autofree char *detail =
			recognised ? g_strdup_printf ("recognised as \"%s\", but its rule does not say "
						      "whether it is sold by licence",
						      r[5])
				   : g_strdup_printf ("no rule knows it; listed as \"%s\" (class %s)",
						      r[5], r[7]);
		tu_table_add_str (t, detail);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

/* shortfall cost by publisher, per currency, for the chart */
typedef struct {
	char *publisher;
	char *currency;
	double cost;
} PubCost;

static void
pub_cost_free (PubCost *p)
{
	g_free (p->publisher);
	g_free (p->currency);
	g_free (p);
}

static GPtrArray *
costs_by_publisher (const TuLicencePosition *pos)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) pub_cost_free);
	for (guint i = 0; i < pos->rows->len; i++) {
		const TuPositionRow *r = g_ptr_array_index (pos->rows, i);
		if (!r->has_cost || r->shortfall_cost <= 0)
			continue;
		PubCost *hit = NULL;
		for (guint k = 0; k < out->len && hit == NULL; k++) {
			PubCost *p = g_ptr_array_index (out, k);
			if (g_strcmp0 (p->publisher, r->publisher) == 0 &&
			    g_strcmp0 (p->currency, r->currency) == 0)
				hit = p;
		}
		if (hit == NULL) {
			hit = g_new0 (PubCost, 1);
			hit->publisher = g_strdup (r->publisher);
			hit->currency = g_strdup (r->currency);
			g_ptr_array_add (out, hit);
		}
		hit->cost += r->shortfall_cost;
	}
	return out;
}

gboolean
tu_report_compliance (TuDb *db, const TuLicenceInput *in, const TuLicencePosition *pos,
		      const char *path, const char *format, GPtrArray **files, GError **error)
{
	g_autoptr(TuReport) r = tu_report_new (path, format, error);
	if (r == NULL)
		return FALSE;
	TuWorkbook *wb = tu_report_workbook (r);
	g_autofree char *at = tu_date_format (in->at);
	g_autofree char *title = g_strdup_printf ("Licence compliance as of %s", at);

	g_autoptr(TuTable) summary = tu_report_sheet (r, "Summary", tu_position_columns,
						      tu_position_n_columns, TRUE, title, error);
	if (summary == NULL)
		return FALSE;
	if (!tu_report_write_position (pos, summary, TRUE, error))
		return FALSE;
	/* totals per currency (and the rows without a cost) */
	g_autoptr(GHashTable) totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	gint64 tot_req = 0, tot_ent = 0, tot_short = 0, tot_surplus = 0;
	for (guint i = 0; i < pos->rows->len; i++) {
		const TuPositionRow *row = g_ptr_array_index (pos->rows, i);
		tot_req += row->required;
		tot_ent += row->entitled;
		tot_short += row->shortfall;
		tot_surplus += row->surplus;
		if (!row->has_cost || row->currency == NULL)
			continue;
		double *sum = g_hash_table_lookup (totals, row->currency);
		if (sum == NULL) {
			sum = g_new0 (double, 1);
			g_hash_table_insert (totals, g_strdup (row->currency), sum);
		}
		*sum += row->shortfall_cost;
	}
	g_autoptr(GList) currencies = g_hash_table_get_keys (totals);
	currencies = g_list_sort (currencies, (GCompareFunc) g_strcmp0);
	if (currencies == NULL)
		currencies = g_list_append (currencies, (gpointer) "");
	for (GList *l = currencies; l != NULL; l = l->next) {
		const char *cur = l->data;
		double *sum = g_hash_table_lookup (totals, cur);
		tu_table_set_row_style (summary, TU_ROW_BOLD);
		tu_table_add_str (summary, "Total");
		tu_table_add_null (summary);
		tu_table_add_null (summary);
		tu_table_add_null (summary);
		tu_table_add_int (summary, tot_req);
		tu_table_add_int (summary, tot_ent);
		tu_table_add_int (summary, tot_short);
		tu_table_add_int (summary, tot_surplus);
		if (sum != NULL)
			tu_table_add_double (summary, *sum);
		else
			tu_table_add_null (summary);
		tu_table_add_str (summary, *cur ? cur : NULL);
		for (guint k = 0; k < 4; k++)
			tu_table_add_null (summary);
		if (!tu_table_end_row (summary, error))
			return FALSE;
	}

	/* the chart's data and the chart */
	g_autoptr(GPtrArray) pub_costs = costs_by_publisher (pos);
	static const TuColumn pub_columns[] = {
		{"publisher", TU_COL_TEXT, 24}, {"shortfall_cost", TU_COL_MONEY, 16}, {"currency", TU_COL_TEXT, 9}};
	if (wb != NULL && pub_costs->len > 0) {
		lxw_chart *chart = workbook_add_chart (tu_workbook_handle (wb), LXW_CHART_BAR);
		lxw_chart_series *series = chart_add_series (chart, NULL, NULL);
		chart_series_set_categories (series, "Shortfall by publisher", 1, 0, (lxw_row_t) pub_costs->len, 0);
		chart_series_set_values (series, "Shortfall by publisher", 1, 1, (lxw_row_t) pub_costs->len, 1);
		chart_series_set_name (series, "Shortfall cost");
		chart_title_set_name (chart, "Shortfall cost by publisher");
		chart_legend_set_position (chart, LXW_CHART_LEGEND_NONE);
		lxw_chart_options opts = {.x_offset = 10, .y_offset = 10, .x_scale = 1.3, .y_scale = 1.2};
		worksheet_insert_chart_opt (tu_table_worksheet (summary), 1,
					    (lxw_col_t) tu_position_n_columns + 1, chart, &opts);
	}
	if (!tu_report_sheet_done (r, summary, error))
		return FALSE;
	g_autoptr(TuTable) pubs = tu_report_sheet (r, "Shortfall by publisher", pub_columns,
						   G_N_ELEMENTS (pub_columns), FALSE, NULL, error);
	if (pubs == NULL)
		return FALSE;
	for (guint i = 0; i < pub_costs->len; i++) {
		const PubCost *p = g_ptr_array_index (pub_costs, i);
		tu_table_add_str (pubs, p->publisher);
		tu_table_add_double (pubs, p->cost);
		tu_table_add_str (pubs, p->currency);
		if (!tu_table_end_row (pubs, error))
			return FALSE;
	}
	if (!tu_report_sheet_done (r, pubs, error))
		return FALSE;

	g_autoptr(TuTable) inst = tu_report_sheet (r, "Installations", tu_verdict_columns,
						   tu_verdict_n_columns, FALSE, NULL, error);
	if (inst == NULL || !tu_report_write_verdicts (in, pos, inst, TRUE, error) ||
	    !tu_report_sheet_done (r, inst, error))
		return FALSE;
	g_autoptr(TuTable) uses = tu_report_sheet (r, "Entitlements", use_columns,
						   G_N_ELEMENTS (use_columns), FALSE, NULL, error);
	if (uses == NULL || !write_uses (in, pos, uses, NULL, error) ||
	    !tu_report_sheet_done (r, uses, error))
		return FALSE;
	g_autoptr(TuTable) review = tu_report_sheet (r, "Needs review", review_columns,
						     G_N_ELEMENTS (review_columns), FALSE, NULL, error);
	if (review == NULL || !write_review (db, in, pos, review, error) ||
	    !tu_report_sheet_done (r, review, error))
		return FALSE;
	return tu_report_close (r, files, error);
}

/* ---------------------------------------------------------------- renewals ------------- */

static const TuColumn renewal_columns[] = {
	{"contract", TU_COL_TEXT, 12},	    {"vendor", TU_COL_TEXT, 16},
	{"title", TU_COL_TEXT, 30},	    {"owner", TU_COL_TEXT, 16},
	{"start", TU_COL_DATE, 11},	    {"end", TU_COL_DATE, 11},
	{"days_to_end", TU_COL_INT, 11},    {"notice_days", TU_COL_INT, 11},
	{"notice_deadline", TU_COL_DATE, 15}, {"deadline", TU_COL_TEXT, 22},
	{"auto_renew", TU_COL_TEXT, 10},    {"value", TU_COL_MONEY, 12},
	{"currency", TU_COL_TEXT, 9},	    {"entitled", TU_COL_INT, 9},
	{"used", TU_COL_INT, 8},	    {"unused", TU_COL_INT, 8},
	{"unused_cost", TU_COL_MONEY, 12},  {"notes", TU_COL_TEXT, 40},
};

gboolean
tu_report_renewals (TuDb *db, const TuLicenceInput *in, const TuLicencePosition *pos,
		    guint within_days, const char *path, const char *format, GPtrArray **files,
		    GError **error)
{
	guint32 today = in->at;
	guint32 horizon = today + within_days;
	g_autofree char *from = tu_date_format (today);
	g_autofree char *to = tu_date_format (horizon);
	g_autoptr(TuSql) q = tu_sql_new (
		db,
		"SELECT id, vendor, title, owner, DATE_FORMAT(start_date, '%Y-%m-%d'), "
		"DATE_FORMAT(end_date, '%Y-%m-%d'), notice_days, auto_renew, value, currency, notes "
		"FROM contracts WHERE end_date IS NOT NULL AND end_date <= ? "
		"AND end_date >= DATE_SUB(?, INTERVAL 30 DAY) ORDER BY end_date, id");
	tu_sql_bind_str (q, to);
	tu_sql_bind_str (q, from);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), error);
	if (res == NULL)
		return FALSE;
	g_autoptr(TuReport) r = tu_report_new (path, format, error);
	if (r == NULL)
		return FALSE;
	g_autofree char *title = g_strdup_printf ("Contracts ending by %s (as of %s)", to, from);
	g_autoptr(TuTable) t = tu_report_sheet (r, "Renewals", renewal_columns,
						G_N_ELEMENTS (renewal_columns), TRUE, title, error);
	if (t == NULL)
		return FALSE;
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		guint32 end = 0;
		tu_date_parse (row[5], &end, "end", NULL);
		gint64 notice = tu_row_int (row, 6, -1);
		guint32 deadline = notice >= 0 ? end - (guint32) notice : end;
		gint64 days_to_deadline = (gint64) deadline - (gint64) today;
		const char *state;
		TuRowStyle style;
		if (end < today) {
			state = "ended";
			style = TU_ROW_PLAIN;
		} else if (days_to_deadline < 0) {
			state = "notice deadline passed";
			style = TU_ROW_RED;
		} else if (days_to_deadline <= 30) {
			state = "notice due within 30 days";
			style = TU_ROW_AMBER;
		} else {
			state = "open";
			style = TU_ROW_GREEN;
		}
		/* the use of the contract's entitlements */
		gint64 entitled = 0, used = 0, unused = 0;
		double unused_cost = 0;
		gboolean has_cost = FALSE;
		for (guint i = 0; i < pos->uses->len; i++) {
			const TuEntitlementUse *u = g_ptr_array_index (pos->uses, i);
			const TuEntitlement *e = g_ptr_array_index (in->entitlements, u->entitlement);
			if (g_strcmp0 (e->contract_id, row[0]) != 0 || !u->is_active)
				continue;
			entitled += e->quantity;
			used += u->used;
			unused += u->unused;
			if (u->has_cost) {
				unused_cost += u->unused_cost;
				has_cost = TRUE;
			}
		}
		tu_table_set_row_style (t, style);
		tu_table_add_str (t, row[0]);
		tu_table_add_str (t, row[1]);
		tu_table_add_str (t, row[2]);
		tu_table_add_str (t, row[3]);
		tu_table_add_text_as_type (t, row[4]);
		tu_table_add_text_as_type (t, row[5]);
		tu_table_add_int (t, (gint64) end - (gint64) today);
		if (notice >= 0)
			tu_table_add_int (t, notice);
		else
			tu_table_add_null (t);
		add_date (t, deadline);
		tu_table_add_str (t, state);
		tu_table_add_str (t, tu_row_int (row, 7, 0) ? "yes" : "no");
		tu_table_add_text_as_type (t, row[8]);
		tu_table_add_str (t, row[9]);
		tu_table_add_int (t, entitled);
		tu_table_add_int (t, used);
		tu_table_add_int (t, unused);
		if (has_cost)
			tu_table_add_double (t, unused_cost);
		else
			tu_table_add_null (t);
		tu_table_add_str (t, row[10]);
		if (!tu_table_end_row (t, error))
			return FALSE;
		g_ptr_array_add (ids, g_strdup (row[0]));
	}
	if (!tu_report_sheet_done (r, t, error))
		return FALSE;
	g_autoptr(TuTable) uses = tu_report_sheet (r, "Entitlement use", use_columns,
						   G_N_ELEMENTS (use_columns), FALSE, NULL, error);
	if (uses == NULL)
		return FALSE;
	for (guint i = 0; i < ids->len; i++) {
		if (!write_uses (in, pos, uses, g_ptr_array_index (ids, i), error))
			return FALSE;
	}
	if (!tu_report_sheet_done (r, uses, error))
		return FALSE;
	return tu_report_close (r, files, error);
}
