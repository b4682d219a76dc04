/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The compliance and renewals workbooks. Both lay out what the licence engine computed; the
 * arithmetic here is sums of the engine's figures (by metric, by currency, by site, cost
 * centre and owner), the notice deadline (end minus notice days), the possible exposure of
 * installations that need data (the metric's minimum times the unit cost) and the reading of
 * which entitlements covered an installation (another edition, a later release).
 *
 * Compliance: What to do (the few actions that matter, with a chart of shortfall cost),
 * Summary (per product, edition and metric, grouped by metric with a subtotal per metric and
 * a cost total per currency, never a total of different metrics; chart under it), Shortfall
 * by product (the charts' data), By site, By cost centre, By owner (from the host facts),
 * Installations (every verdict and its reason), Entitlements (the use of each), Needs review
 * (installations missing data, then unrecognised software, applications first).
 * Renewals: contracts ending within the window with their notice deadline and days left, the
 * true-up exposure of the products they cover, software still in use after a contract ended,
 * totals per currency; and the use of each contract's entitlements.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tu-common.h"
#include "tu-licence.h"
#include "tu-query.h"
#include "tu-report-licence.h"

const TuColumn tu_position_columns[] = {
	{"publisher", TU_COL_TEXT, 22, "Publisher"},
	{"product", TU_COL_TEXT, 32, "Product"},
	{"edition", TU_COL_TEXT, 20, "Edition"},
	{"metric", TU_COL_TEXT, 10, "Licence unit"},
	{"required", TU_COL_INT, 0, "Required (units)"},
	{"entitled", TU_COL_INT, 0, "Entitled (units)"},
	{"shortfall", TU_COL_INT, 0, "Shortfall (units)"},
	{"surplus", TU_COL_INT, 0, "Surplus (units)"},
	{"shortfall_cost", TU_COL_MONEY, 0, "Shortfall cost", TU_COL_SUM},
	{"currency", TU_COL_TEXT, 9, "Currency", TU_COL_NO_TEXT},
	{"needs_data", TU_COL_INT, 0, "Needs data (installations)"},
	{"installations", TU_COL_INT, 0, "Installations", TU_COL_NO_TEXT},
	{"hosts", TU_COL_INT, 0, "Hosts"},
	{"status", TU_COL_TEXT, 12, "Status", TU_COL_STATUS},
	{"possible_exposure", TU_COL_MONEY, 0, "Possible exposure", TU_COL_SUM},
	{"other_edition", TU_COL_INT, 0, "Covered by another edition (units)", TU_COL_NO_TEXT},
	{"downgrade", TU_COL_INT, 0, "Covered by downgrade (units)", TU_COL_NO_TEXT},
	{"note", TU_COL_TEXT, 70, "Note"},
};
const guint tu_position_n_columns = G_N_ELEMENTS (tu_position_columns);

const TuColumn tu_verdict_columns[] = {
	{"host", TU_COL_TEXT, 20, "Host"},
	{"publisher", TU_COL_TEXT, 22, "Publisher"},
	{"product", TU_COL_TEXT, 30, "Product"},
	{"edition", TU_COL_TEXT, 20, "Edition"},
	{"release", TU_COL_TEXT, 9, "Release"},
	{"version", TU_COL_TEXT, 18, "Version", TU_COL_NO_TEXT},
	{"metric", TU_COL_TEXT, 10, "Licence unit"},
	{"units", TU_COL_INT, 0, "Units required"},
	{"covered", TU_COL_INT, 0, "Units covered"},
	{"status", TU_COL_TEXT, 11, "Status", TU_COL_STATUS},
	{"entitlement", TU_COL_TEXT, 26, "Covered by"},
	{"reason", TU_COL_TEXT, 70, "Why"},
	{"raw_name", TU_COL_TEXT, 40, "Name as found", TU_COL_NO_TEXT},
	{"site", TU_COL_TEXT, 14, "Site", TU_COL_NO_TEXT},
	{"cost_centre", TU_COL_TEXT, 12, "Cost centre", TU_COL_NO_TEXT},
	{"owner", TU_COL_TEXT, 18, "Owner", TU_COL_NO_TEXT},
	{"coverage", TU_COL_TEXT, 28, "Covered through", TU_COL_NO_TEXT},
};
const guint tu_verdict_n_columns = G_N_ELEMENTS (tu_verdict_columns);

static const char *
unit_name (TuMetric m, gint64 n)
{
	switch (m) {
	case TU_METRIC_DEVICE:
		return n == 1 ? "device" : "devices";
	case TU_METRIC_USER:
		return n == 1 ? "user" : "users";
	case TU_METRIC_INSTALL:
		return n == 1 ? "installation" : "installations";
	case TU_METRIC_PROCESSOR:
		return n == 1 ? "processor" : "processors";
	case TU_METRIC_CORE:
		return n == 1 ? "core" : "cores";
	case TU_METRIC_SITE:
	default:
		return n == 1 ? "site licence" : "site licences";
	}
}

/* "11,344.00" */
static char *
money_text (double v)
{
	char buf[64];
	g_snprintf (buf, sizeof buf, "%.2f", fabs (v));
	const char *dot = strchr (buf, '.');
	gsize n = (gsize) (dot - buf);
	GString *out = g_string_new (v < -0.005 ? "-" : "");
	for (gsize i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			g_string_append_c (out, ',');
		g_string_append_c (out, buf[i]);
	}
	g_string_append (out, dot);
	return g_string_free (out, FALSE);
}

static char *
product_line (const char *product, const char *edition)
{
	if (edition != NULL && *edition)
		return g_strdup_printf ("%s %s", product, edition);
	return g_strdup (product);
}

/* ---------------------------------------------------------------- what explains a row --- */

/* Per position row: how its installations were covered, and what rows needing data may
 * cost. */
typedef struct {
	gint64 by_other_edition;
	gint64 by_downgrade;
	gint64 by_upgrade;
	gint64 lent;		/* units of this row's entitlements used by other editions */
	GPtrArray *lent_to;	/* char* editions */
	GPtrArray *from;	/* char* editions that covered this row */
	gint64 exposure_units;	/* at least, for the installations that need data */
	double exposure;
	GPtrArray *needs_hosts; /* char* host names */
	GPtrArray *short_hosts; /* char* hosts of uncovered or partly covered installations */
} RowNotes;

typedef struct {
	const TuLicenceInput *in;
	const TuLicencePosition *pos;
	GHashTable *row_index; /* key -> row index + 1 */
	GHashTable *ent_index; /* entitlement id -> index + 1 */
	RowNotes *notes;       /* one per row */
} Explain;

static char *
row_key (const char *product, const char *edition, TuMetric metric)
{
	g_autofree char *p = g_utf8_casefold (product ? product : "", -1);
	g_autofree char *e = g_utf8_casefold (edition ? edition : "", -1);
	return g_strdup_printf ("%s\x1f%s\x1f%d", p, e, (int) metric);
}

static void
add_unique (GPtrArray *list, const char *s)
{
	if (s == NULL)
		return;
	for (guint i = 0; i < list->len; i++) {
		if (g_strcmp0 (g_ptr_array_index (list, i), s) == 0)
			return;
	}
	g_ptr_array_add (list, g_strdup (s));
}

/* a release as a number when it is one ("2021"), else -1 */
static gint64
release_number (const char *r)
{
	if (r == NULL || *r == '\0')
		return -1;
	gint64 v;
	if (g_ascii_string_to_signed (r, 10, 0, G_MAXINT64, &v, NULL))
		return v;
	return -1;
}

static gint
row_of (Explain *x, const char *product, const char *edition, TuMetric metric)
{
	g_autofree char *k = row_key (product, edition, metric);
	return GPOINTER_TO_INT (g_hash_table_lookup (x->row_index, k)) - 1;
}

static const TuEntitlement *
entitlement_by_id (Explain *x, const char *id)
{
	guint i = GPOINTER_TO_UINT (g_hash_table_lookup (x->ent_index, id));
	return i > 0 ? g_ptr_array_index (x->in->entitlements, i - 1) : NULL;
}

static void
explain_verdict (Explain *x, const TuVerdict *v)
{
	const TuLicInstall *inst = g_ptr_array_index (x->in->installs, v->install);
	const TuLicHost *h = g_ptr_array_index (x->in->hosts, inst->host);
	gint ri = row_of (x, inst->product, inst->edition, v->metric);
	if (ri < 0)
		return;
	RowNotes *n = &x->notes[ri];
	const TuPositionRow *row = g_ptr_array_index (x->pos->rows, ri);
	if (v->status == TU_VERDICT_NEEDS_DATA) {
		/* the least it can need: the largest per-host minimum of its entitlements */
		gint64 least = 1;
		for (guint i = 0; i < x->in->entitlements->len; i++) {
			const TuEntitlement *e = g_ptr_array_index (x->in->entitlements, i);
			if (e->metric == v->metric && g_ascii_strcasecmp (e->product, inst->product) == 0 &&
			    g_ascii_strcasecmp (e->edition ? e->edition : "", inst->edition ? inst->edition : "") == 0 &&
			    (v->metric == TU_METRIC_CORE || v->metric == TU_METRIC_PROCESSOR))
				least = MAX (least, (gint64) e->min_cores);
		}
		n->exposure_units += least;
		if (row->has_cost)
			n->exposure += (double) least * row->unit_cost;
		add_unique (n->needs_hosts, h->name);
		return;
	}
	if (v->status == TU_VERDICT_UNCOVERED || v->status == TU_VERDICT_PARTIAL)
		add_unique (n->short_hosts, h->name);
	if (!v->is_representative || v->entitlements == NULL || *v->entitlements == '\0')
		return;
	g_auto(GStrv) pieces = g_strsplit (v->entitlements, ",", -1);
	for (guint k = 0; pieces[k] != NULL; k++) {
		char *piece = g_strstrip (pieces[k]);
		gint64 units = v->covered;
		char *colon = strrchr (piece, ':');
		gint64 parsed;
		if (colon != NULL &&
		    g_ascii_string_to_signed (colon + 1, 10, 0, G_MAXINT64, &parsed, NULL)) {
			*colon = '\0';
			units = parsed;
		}
		const TuEntitlement *e = entitlement_by_id (x, piece);
		if (e == NULL)
			continue;
		if (g_ascii_strcasecmp (e->edition ? e->edition : "", inst->edition ? inst->edition : "") != 0) {
			n->by_other_edition += units;
			add_unique (n->from, e->edition && *e->edition ? e->edition : "(no edition)");
			gint li = row_of (x, e->product, e->edition, e->metric);
			if (li >= 0) {
				x->notes[li].lent += units;
				add_unique (x->notes[li].lent_to,
					    inst->edition && *inst->edition ? inst->edition : "(no edition)");
			}
		}
		gint64 er = release_number (e->release), ir = release_number (inst->release);
		if (er >= 0 && ir >= 0 && er > ir)
			n->by_downgrade += units;
		else if (er >= 0 && ir >= 0 && er < ir)
			n->by_upgrade += units;
	}
}

static void
explain_init (Explain *x, const TuLicenceInput *in, const TuLicencePosition *pos)
{
	x->in = in;
	x->pos = pos;
	x->row_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	x->ent_index = g_hash_table_new (g_str_hash, g_str_equal);
	x->notes = g_new0 (RowNotes, MAX (pos->rows->len, 1));
	for (guint i = 0; i < pos->rows->len; i++) {
		const TuPositionRow *r = g_ptr_array_index (pos->rows, i);
		g_hash_table_insert (x->row_index, row_key (r->product, r->edition, r->metric),
				     GINT_TO_POINTER ((gint) i + 1));
		x->notes[i].lent_to = g_ptr_array_new_with_free_func (g_free);
		x->notes[i].from = g_ptr_array_new_with_free_func (g_free);
		x->notes[i].needs_hosts = g_ptr_array_new_with_free_func (g_free);
		x->notes[i].short_hosts = g_ptr_array_new_with_free_func (g_free);
	}
	for (guint i = 0; i < in->entitlements->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (in->entitlements, i);
		g_hash_table_insert (x->ent_index, e->id, GUINT_TO_POINTER (i + 1));
	}
	for (guint i = 0; i < pos->verdicts->len; i++)
		explain_verdict (x, g_ptr_array_index (pos->verdicts, i));
}

static void
explain_clear (Explain *x)
{
	for (guint i = 0; i < x->pos->rows->len; i++) {
		g_ptr_array_unref (x->notes[i].lent_to);
		g_ptr_array_unref (x->notes[i].from);
		g_ptr_array_unref (x->notes[i].needs_hosts);
		g_ptr_array_unref (x->notes[i].short_hosts);
	}
	g_free (x->notes);
	g_hash_table_unref (x->row_index);
	g_hash_table_unref (x->ent_index);
}

static char *
join_list (GPtrArray *list, guint max)
{
	GString *out = g_string_new (NULL);
	for (guint i = 0; i < list->len && i < max; i++)
		g_string_append_printf (out, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index (list, i));
	if (list->len > max)
		g_string_append_printf (out, " and %u more", list->len - max);
	return g_string_free (out, FALSE);
}

static char *
row_note (const TuPositionRow *r, const RowNotes *n)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
	if (n->by_other_edition > 0) {
		g_autofree char *from = join_list (n->from, 3);
		g_ptr_array_add (parts, g_strdup_printf ("%" G_GINT64_FORMAT " %s covered by another "
							 "edition (%s)",
							 n->by_other_edition,
							 unit_name (r->metric, n->by_other_edition), from));
	}
	if (n->by_downgrade > 0)
		g_ptr_array_add (parts, g_strdup_printf ("%" G_GINT64_FORMAT " %s covered by downgrade "
							 "rights (a later release's licence)",
							 n->by_downgrade,
							 unit_name (r->metric, n->by_downgrade)));
	if (n->by_upgrade > 0)
		g_ptr_array_add (parts, g_strdup_printf ("%" G_GINT64_FORMAT " %s covered by an earlier "
							 "release's licence with maintenance",
							 n->by_upgrade, unit_name (r->metric, n->by_upgrade)));
	if (n->lent > 0) {
		g_autofree char *to = join_list (n->lent_to, 3);
		g_ptr_array_add (parts, g_strdup_printf ("%" G_GINT64_FORMAT " of its %s used by "
							 "another edition (%s)",
							 n->lent, unit_name (r->metric, 2), to));
	}
	if (r->needs_data > 0) {
		g_autofree char *hosts = join_list (n->needs_hosts, 3);
		g_ptr_array_add (parts, g_strdup_printf ("needs data on %s: at least %" G_GINT64_FORMAT
							 " %s more",
							 hosts, n->exposure_units,
							 unit_name (r->metric, n->exposure_units)));
	}
	if (r->shortfall > 0 && !r->has_cost)
		g_ptr_array_add (parts, g_strdup ("no price known: import one to cost it"));
	if (r->is_unlimited)
		g_ptr_array_add (parts, g_strdup ("site licence: unlimited within its scope"));
	g_ptr_array_add (parts, NULL);
	return g_strjoinv ("; ", (char **) parts->pdata);
}

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

static TuRowStyle
row_style (const TuPositionRow *r)
{
	return r->shortfall > 0	    ? TU_ROW_RED
	       : r->needs_data > 0 ? TU_ROW_AMBER
	       : r->surplus > 0    ? TU_ROW_AMBER
				   : TU_ROW_GREEN;
}

const char *
tu_position_currency (const TuLicenceInput *in, const TuLicencePosition *pos)
{
	const char *one = NULL;
	for (guint i = 0; i < pos->rows->len; i++) {
		const TuPositionRow *r = g_ptr_array_index (pos->rows, i);
		if (!r->has_cost || r->currency == NULL || *r->currency == '\0')
			continue;
		if (one != NULL && g_strcmp0 (one, r->currency) != 0)
			return NULL;
		one = r->currency;
	}
	for (guint i = 0; in != NULL && i < in->entitlements->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (in->entitlements, i);
		if (!e->has_unit_cost || e->currency == NULL || *e->currency == '\0')
			continue;
		if (one != NULL && g_strcmp0 (one, e->currency) != 0)
			return NULL;
		one = e->currency;
	}
	return one;
}

static gboolean
write_position_row (Explain *x, guint i, TuTable *t, gboolean styled, GError **error)
{
	const TuPositionRow *r = g_ptr_array_index (x->pos->rows, i);
	const RowNotes *n = &x->notes[i];
	if (styled)
		tu_table_set_row_style (t, row_style (r));
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
	if (r->needs_data > 0 && r->has_cost)
		tu_table_add_double (t, n->exposure);
	else
		tu_table_add_null (t);
	tu_table_add_int (t, n->by_other_edition);
	tu_table_add_int (t, n->by_downgrade);
	g_autofree char *note = row_note (r, n);
	tu_table_add_str (t, note);
	return tu_table_end_row (t, error);
}

gboolean
tu_report_write_position (const TuLicenceInput *in, const TuLicencePosition *pos, TuTable *t,
			  gboolean styled, GError **error)
{
	Explain x;
	explain_init (&x, in, pos);
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < pos->rows->len; i++)
		ok = write_position_row (&x, i, t, styled, error);
	explain_clear (&x);
	return ok;
}

static const char *
coverage_of (const TuLicenceInput *in, GHashTable *ent_index, const TuVerdict *v,
	     const TuLicInstall *inst)
{
	if (v->entitlements == NULL || *v->entitlements == '\0')
		return NULL;
	gboolean other = FALSE, down = FALSE;
	g_auto(GStrv) pieces = g_strsplit (v->entitlements, ",", -1);
	for (guint k = 0; pieces[k] != NULL; k++) {
		char *piece = g_strstrip (pieces[k]);
		char *colon = strrchr (piece, ':');
		if (colon != NULL && g_ascii_isdigit (colon[1]))
			*colon = '\0';
		guint i = GPOINTER_TO_UINT (g_hash_table_lookup (ent_index, piece));
		if (i == 0)
			continue;
		const TuEntitlement *e = g_ptr_array_index (in->entitlements, i - 1);
		if (g_ascii_strcasecmp (e->edition ? e->edition : "", inst->edition ? inst->edition : "") != 0)
			other = TRUE;
		gint64 er = release_number (e->release), ir = release_number (inst->release);
		if (er >= 0 && ir >= 0 && er > ir)
			down = TRUE;
	}
	if (other && down)
		return "another edition, by downgrade";
	if (other)
		return "another edition";
	if (down)
		return "downgrade rights";
	return "its own licence";
}

gboolean
tu_report_write_verdicts (const TuLicenceInput *in, const TuLicencePosition *pos, TuTable *t,
			  gboolean styled, GError **error)
{
	g_autoptr(GHashTable) ent_index = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < in->entitlements->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (in->entitlements, i);
		g_hash_table_insert (ent_index, e->id, GUINT_TO_POINTER (i + 1));
	}
	for (guint i = 0; i < pos->verdicts->len; i++) {
		const TuVerdict *v = g_ptr_array_index (pos->verdicts, i);
		const TuLicInstall *inst = g_ptr_array_index (in->installs, v->install);
		const TuLicHost *h = g_ptr_array_index (in->hosts, inst->host);
		if (styled)
			tu_table_set_row_style (t, v->status == TU_VERDICT_COVERED ? TU_ROW_GREEN
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
		tu_table_add_str (t, h->site);
		tu_table_add_str (t, h->cost_centre);
		tu_table_add_str (t, h->owner);
		tu_table_add_str (t, coverage_of (in, ent_index, v, inst));
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------- entitlements --------- */

static const TuColumn use_columns[] = {
	{"id", TU_COL_TEXT, 20, "Entitlement"},
	{"publisher", TU_COL_TEXT, 22, "Publisher"},
	{"product", TU_COL_TEXT, 30, "Product"},
	{"edition", TU_COL_TEXT, 18, "Edition"},
	{"release", TU_COL_TEXT, 9, "Release"},
	{"metric", TU_COL_TEXT, 10, "Licence unit"},
	{"quantity", TU_COL_INT, 0, "Quantity (units)"},
	{"used", TU_COL_INT, 0, "Used (units)"},
	{"unused", TU_COL_INT, 0, "Unused (units)"},
	{"unit_cost", TU_COL_MONEY, 0, "Unit cost"},
	{"unused_cost", TU_COL_MONEY, 0, "Unused value"},
	{"currency", TU_COL_TEXT, 9, "Currency"},
	{"start", TU_COL_DATE, 0, "Start"},
	{"end", TU_COL_DATE, 0, "End"},
	{"maintenance_end", TU_COL_DATE, 0, "Maintenance ends"},
	{"active", TU_COL_TEXT, 18, "Active"},
	{"scope", TU_COL_TEXT, 20, "Scope"},
	{"contract", TU_COL_TEXT, 20, "Contract"},
	{"po", TU_COL_TEXT, 14, "Purchase order"},
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

/* ---------------------------------------------------------------- needs review --------- */

static const TuColumn review_columns[] = {
	{"what", TU_COL_TEXT, 26, "What"},
	{"hosts", TU_COL_INT, 0, "Hosts"},
	{"installations", TU_COL_INT, 0, "Installations"},
	{"source", TU_COL_TEXT, 10, "Found by"},
	{"raw_name", TU_COL_TEXT, 40, "Name as found"},
	{"raw_publisher", TU_COL_TEXT, 30, "Publisher as found"},
	{"detail", TU_COL_TEXT, 70, "Detail"},
};

static gboolean
write_review (GPtrArray *unrecognised, const TuLicenceInput *in, const TuLicencePosition *pos,
	      TuTable *t, GError **error)
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
	for (guint i = 0; i < unrecognised->len; i++) {
		const TuReviewItem *u = g_ptr_array_index (unrecognised, i);
		g_autofree char *what = g_strdup_printf ("%s, %s", u->is_recognised ? "unclassified" : "unrecognised",
							 u->klass && *u->klass ? u->klass : "unknown");
		if (g_strcmp0 (u->klass, "commercial") == 0)
			tu_table_set_row_style (t, TU_ROW_AMBER);
		tu_table_add_str (t, what);
		tu_table_add_int (t, u->n_hosts);
		tu_table_add_int (t, u->n_installs);
		tu_table_add_str (t, u->source);
		tu_table_add_str (t, u->raw_name);
		tu_table_add_str (t, u->raw_publisher);
		g_autofree char *detail =
			u->is_recognised
				? g_strdup_printf ("recognised as \"%s\", but its rule does not say whether "
						   "it is sold by licence",
						   u->product)
				: g_strdup_printf ("no rule knows it (listed as \"%s\")%s", u->product,
						   g_strcmp0 (u->klass, "commercial") == 0
							   ? ": commercial software, likely paid for"
							   : "");
		tu_table_add_str (t, detail);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------- summary -------------- */

static gint
metric_rank (TuMetric m)
{
	static const TuMetric order[] = {TU_METRIC_DEVICE, TU_METRIC_USER,    TU_METRIC_INSTALL,
					 TU_METRIC_PROCESSOR, TU_METRIC_CORE, TU_METRIC_SITE};
	for (guint i = 0; i < G_N_ELEMENTS (order); i++) {
		if (order[i] == m)
			return (gint) i;
	}
	return (gint) G_N_ELEMENTS (order);
}

static gint
by_metric (gconstpointer pa, gconstpointer pb, gpointer data)
{
	const TuLicencePosition *pos = data;
	guint a = *(const guint *) pa, b = *(const guint *) pb;
	const TuPositionRow *ra = g_ptr_array_index (pos->rows, a), *rb = g_ptr_array_index (pos->rows, b);
	gint ma = metric_rank (ra->metric), mb = metric_rank (rb->metric);
	if (ma != mb)
		return ma - mb;
	return a < b ? -1 : a > b;
}

/* per currency sums of a money figure */
static void
add_money (GHashTable *sums, const char *currency, double v)
{
	const char *key = currency && *currency ? currency : "";
	double *sum = g_hash_table_lookup (sums, key);
	if (sum == NULL) {
		sum = g_new0 (double, 1);
		g_hash_table_insert (sums, g_strdup (key), sum);
	}
	*sum += v;
}

static GList *
sorted_keys (GHashTable *h)
{
	return g_list_sort (g_hash_table_get_keys (h), (GCompareFunc) g_strcmp0);
}

static gboolean
write_summary (Explain *x, TuTable *t, GError **error)
{
	const TuLicencePosition *pos = x->pos;
	g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
	for (guint i = 0; i < pos->rows->len; i++)
		g_array_append_val (order, i);
	g_array_sort_with_data (order, by_metric, (gpointer) pos);
	for (guint k = 0; k < order->len; k++) {
		if (!write_position_row (x, g_array_index (order, guint, k), t, TRUE, error))
			return FALSE;
	}
	/* a subtotal per metric: units of one kind only */
	for (gint m = 0; m < TU_METRIC_LAST; m++) {
		gint64 req = 0, ent = 0, sh = 0, sur = 0, nd = 0;
		guint n = 0;
		for (guint i = 0; i < pos->rows->len; i++) {
			const TuPositionRow *r = g_ptr_array_index (pos->rows, i);
			if ((gint) r->metric != m)
				continue;
			n++;
			req += r->required;
			ent += r->entitled;
			sh += r->shortfall;
			sur += r->surplus;
			nd += r->needs_data;
		}
		if (n == 0)
			continue;
		g_autofree char *label = g_strdup_printf ("All %s licences", tu_metric_to_string ((TuMetric) m));
		tu_table_set_row_style (t, TU_ROW_BOLD);
		tu_table_add_str (t, label);
		tu_table_add_null (t);
		tu_table_add_null (t);
		tu_table_add_str (t, tu_metric_to_string ((TuMetric) m));
		tu_table_add_int (t, req);
		tu_table_add_int (t, ent);
		tu_table_add_int (t, sh);
		tu_table_add_int (t, sur);
		for (guint c = 0; c < 2; c++)
			tu_table_add_null (t);
		tu_table_add_int (t, nd);
		for (guint c = 0; c < 6; c++)
			tu_table_add_null (t);
		g_autofree char *note = g_strdup_printf ("%u product line%s counted in %s", n,
							 n == 1 ? "" : "s", unit_name ((TuMetric) m, 2));
		tu_table_add_str (t, note);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	/* money: a total per currency */
	g_autoptr(GHashTable) cost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) exposure = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; i < pos->rows->len; i++) {
		const TuPositionRow *r = g_ptr_array_index (pos->rows, i);
		if (!r->has_cost)
			continue;
		add_money (cost, r->currency, r->shortfall_cost);
		add_money (exposure, r->currency, r->needs_data > 0 ? x->notes[i].exposure : 0);
	}
	g_autoptr(GList) currencies = sorted_keys (cost);
	for (GList *l = currencies; l != NULL; l = l->next) {
		const char *cur = l->data;
		g_autofree char *label = g_strdup_printf ("Total cost%s%s", *cur ? " in " : "", cur);
		tu_table_set_row_style (t, TU_ROW_BOLD);
		tu_table_add_str (t, label);
		for (guint c = 0; c < 7; c++)
			tu_table_add_null (t);
		tu_table_add_double (t, *(double *) g_hash_table_lookup (cost, cur));
		tu_table_add_str (t, *cur ? cur : NULL);
		for (guint c = 0; c < 4; c++)
			tu_table_add_null (t);
		double *ex = g_hash_table_lookup (exposure, cur);
		tu_table_add_double (t, ex ? *ex : 0);
		tu_table_add_null (t);
		tu_table_add_null (t);
		tu_table_add_str (t, "shortfall cost, and what the rows that need data may add");
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------- what to do ----------- */

typedef struct {
	int kind;	/* 0 buy, 1 data, 2 spare */
	double amount;
	gboolean has_amount;
	char *action;
	char *why;
} Action;

static void
action_free (Action *a)
{
	g_free (a->action);
	g_free (a->why);
	g_free (a);
}

static gint
action_order (gconstpointer pa, gconstpointer pb)
{
	const Action *a = *(Action *const *) pa, *b = *(Action *const *) pb;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	if (a->has_amount != b->has_amount)
		return a->has_amount ? -1 : 1;
	if (a->amount != b->amount)
		return a->amount > b->amount ? -1 : 1;
	return g_strcmp0 (a->action, b->action);
}

static GPtrArray *
actions_of (Explain *x)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
	const TuLicencePosition *pos = x->pos;
	for (guint i = 0; i < pos->rows->len; i++) {
		const TuPositionRow *r = g_ptr_array_index (pos->rows, i);
		const RowNotes *n = &x->notes[i];
		g_autofree char *line = product_line (r->product, r->edition);
		if (r->shortfall > 0) {
			Action *a = g_new0 (Action, 1);
			a->kind = 0;
			a->has_amount = r->has_cost;
			a->amount = r->shortfall_cost;
			g_autofree char *cost = r->has_cost ? money_text (r->shortfall_cost) : NULL;
			g_autofree char *hosts = join_list (n->short_hosts, 3);
			g_autofree char *price = r->has_cost ? g_strdup_printf (" for %s %s", cost, r->currency ? r->currency : "")
							     : g_strdup (" (no price known)");
			a->action = g_strdup_printf ("Buy %" G_GINT64_FORMAT " %s of %s%s, or remove it from %s",
						     r->shortfall, unit_name (r->metric, r->shortfall), line,
						     price, *hosts ? hosts : "the hosts short");
			a->why = g_strdup_printf ("%" G_GINT64_FORMAT " required, %" G_GINT64_FORMAT " entitled",
						  r->required, r->entitled);
			g_ptr_array_add (out, a);
		}
		if (r->needs_data > 0) {
			Action *a = g_new0 (Action, 1);
			a->kind = 1;
			a->has_amount = r->has_cost;
			a->amount = n->exposure;
			g_autofree char *hosts = join_list (n->needs_hosts, 3);
			a->action = g_strdup_printf ("Record the %s of %s (%s)",
						     r->metric == TU_METRIC_CORE ? "cores"
						     : r->metric == TU_METRIC_PROCESSOR ? "processors"
						     : r->metric == TU_METRIC_USER ? "owner"
										    : "facts",
						     hosts, line);
			a->why = g_strdup_printf ("may need at least %" G_GINT64_FORMAT " more %s",
						  n->exposure_units, unit_name (r->metric, n->exposure_units));
			g_ptr_array_add (out, a);
		}
	}
	for (guint i = 0; i < pos->uses->len; i++) {
		const TuEntitlementUse *u = g_ptr_array_index (pos->uses, i);
		const TuEntitlement *e = g_ptr_array_index (x->in->entitlements, u->entitlement);
		if (!u->is_active || u->unused <= 0)
			continue;
		g_autofree char *line = product_line (e->product, e->edition);
		Action *a = g_new0 (Action, 1);
		a->kind = 2;
		a->has_amount = u->has_cost;
		a->amount = u->unused_cost;
		a->action = g_strdup_printf ("Reassign or drop %" G_GINT64_FORMAT " spare %s of %s (%s)",
					     u->unused, unit_name (e->metric, u->unused), line, e->id);
		a->why = g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " used%s%s",
					  u->used, e->quantity, e->contract_id ? "; contract " : "",
					  e->contract_id ? e->contract_id : "");
		g_ptr_array_add (out, a);
	}
	g_ptr_array_sort (out, action_order);
	return out;
}

static const TuColumn action_columns[] = {
	{"rank", TU_COL_INT, 4, "#"},
	{"action", TU_COL_TEXT, 70, "What to do"},
	{"amount", TU_COL_MONEY, 0, "Amount"},
	{"kind", TU_COL_TEXT, 16, "Kind"},
	{"why", TU_COL_TEXT, 30, "Why"},
};

#define TOP_ACTIONS 10

static gboolean
write_actions (GPtrArray *actions, TuTable *t, GError **error)
{
	static const char *const kinds[] = {"buy or remove", "complete the data", "spare licences"};
	for (guint i = 0; i < actions->len && i < TOP_ACTIONS; i++) {
		const Action *a = g_ptr_array_index (actions, i);
		tu_table_set_row_style (t, a->kind == 0 ? TU_ROW_RED : TU_ROW_AMBER);
		tu_table_add_int (t, i + 1);
		tu_table_add_str (t, a->action);
		if (a->has_amount)
			tu_table_add_double (t, a->amount);
		else
			tu_table_add_null (t);
		tu_table_add_str (t, kinds[a->kind]);
		tu_table_add_str (t, a->why);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	if (actions->len == 0) {
		tu_table_set_row_style (t, TU_ROW_GREEN);
		tu_table_add_int (t, 1);
		tu_table_add_str (t, "Nothing: every licensable installation is covered and no licence is spare");
		tu_table_add_null (t);
		tu_table_add_null (t);
		tu_table_add_null (t);
		return tu_table_end_row (t, error);
	}
	return TRUE;
}

/* ---------------------------------------------------------------- shortfall chart ------ */

static const TuColumn short_columns[] = {
	{"line", TU_COL_TEXT, 36, "Product"},
	{"publisher", TU_COL_TEXT, 22, "Publisher"},
	{"metric", TU_COL_TEXT, 10, "Licence unit"},
	{"shortfall", TU_COL_INT, 0, "Shortfall (units)"},
	{"shortfall_cost", TU_COL_MONEY, 0, "Shortfall cost"},
	{"currency", TU_COL_TEXT, 9, "Currency"},
};

static gint
by_cost (gconstpointer pa, gconstpointer pb)
{
	const TuPositionRow *a = *(TuPositionRow *const *) pa, *b = *(TuPositionRow *const *) pb;
	if (a->shortfall_cost != b->shortfall_cost)
		return a->shortfall_cost > b->shortfall_cost ? -1 : 1;
	return g_strcmp0 (a->product, b->product);
}

static lxw_chart *
shortfall_chart (TuWorkbook *wb, guint n, const char *currency)
{
	lxw_chart *chart = workbook_add_chart (tu_workbook_handle (wb), LXW_CHART_BAR);
	lxw_chart_series *series = chart_add_series (chart, NULL, NULL);
	lxw_row_t first = TU_SHEET_HEADER_ROW + 1;
	chart_series_set_categories (series, "Shortfall by product", first, 0, first + n - 1, 0);
	chart_series_set_values (series, "Shortfall by product", first, 4, first + n - 1, 4);
	g_autofree char *title = currency ? g_strdup_printf ("Shortfall cost by product (%s)", currency)
					  : g_strdup ("Shortfall cost by product");
	chart_series_set_name (series, "Shortfall cost");
	chart_title_set_name (chart, title);
	chart_legend_set_position (chart, LXW_CHART_LEGEND_NONE);
	chart_axis_set_reverse (chart->y_axis);
	return chart;
}

/* ---------------------------------------------------------------- breakdowns ----------- */

typedef struct {
	char *group;
	guint row;	/* position row */
	gint64 required;
	gint64 covered;
	gint64 needs_data;
	guint n_installs;
	GHashTable *hosts;
} Part;

static void
part_free (Part *p)
{
	g_free (p->group);
	g_hash_table_unref (p->hosts);
	g_free (p);
}

static gint
part_order (gconstpointer pa, gconstpointer pb)
{
	const Part *a = *(Part *const *) pa, *b = *(Part *const *) pb;
	int r = g_utf8_collate (a->group, b->group);
	if (r != 0)
		return r;
	return a->row < b->row ? -1 : a->row > b->row;
}

typedef enum { BY_SITE, BY_COST_CENTRE, BY_OWNER } Dimension;

static const char *
dimension_of (const TuLicHost *h, Dimension d)
{
	const char *v = d == BY_SITE ? h->site : d == BY_COST_CENTRE ? h->cost_centre : h->owner;
	return v && *v ? v : NULL;
}

static gboolean
write_breakdown (Explain *x, Dimension d, TuTable *t, GError **error)
{
	static const char *const none[] = {"(no site)", "(no cost centre)", "(no owner)"};
	g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
	for (guint i = 0; i < x->pos->verdicts->len; i++) {
		const TuVerdict *v = g_ptr_array_index (x->pos->verdicts, i);
		const TuLicInstall *inst = g_ptr_array_index (x->in->installs, v->install);
		const TuLicHost *h = g_ptr_array_index (x->in->hosts, inst->host);
		gint ri = row_of (x, inst->product, inst->edition, v->metric);
		if (ri < 0)
			continue;
		const char *group = dimension_of (h, d);
		if (group == NULL)
			group = none[d];
		g_autofree char *key = g_strdup_printf ("%s\x1f%d", group, ri);
		Part *p = g_hash_table_lookup (index, key);
		if (p == NULL) {
			p = g_new0 (Part, 1);
			p->group = g_strdup (group);
			p->row = (guint) ri;
			p->hosts = g_hash_table_new (g_direct_hash, g_direct_equal);
			g_hash_table_insert (index, g_steal_pointer (&key), p);
			g_ptr_array_add (parts, p);
		}
		p->n_installs++;
		g_hash_table_add (p->hosts, GUINT_TO_POINTER (inst->host + 1));
		if (v->status == TU_VERDICT_NEEDS_DATA) {
			p->needs_data++;
		} else if (v->is_representative) {
			p->required += v->units;
			p->covered += v->covered;
		}
	}
	g_ptr_array_sort (parts, part_order);
	for (guint i = 0; i < parts->len; i++) {
		const Part *p = g_ptr_array_index (parts, i);
		const TuPositionRow *r = g_ptr_array_index (x->pos->rows, p->row);
		gint64 shortv = MAX (p->required - p->covered, 0);
		tu_table_set_row_style (t, shortv > 0 ? TU_ROW_RED : p->needs_data > 0 ? TU_ROW_AMBER : TU_ROW_PLAIN);
		tu_table_add_str (t, p->group);
		tu_table_add_str (t, r->publisher);
		tu_table_add_str (t, r->product);
		tu_table_add_str (t, r->edition);
		tu_table_add_str (t, tu_metric_to_string (r->metric));
		tu_table_add_int (t, p->required);
		tu_table_add_int (t, p->covered);
		tu_table_add_int (t, shortv);
		if (r->has_cost)
			tu_table_add_double (t, (double) shortv * r->unit_cost);
		else
			tu_table_add_null (t);
		tu_table_add_str (t, r->currency);
		tu_table_add_int (t, p->needs_data);
		tu_table_add_int (t, g_hash_table_size (p->hosts));
		tu_table_add_int (t, p->n_installs);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
breakdown_sheet (TuReport *r, Explain *x, Dimension d, GError **error)
{
	static const char *const sheets[] = {"By site", "By cost centre", "By owner"};
	static const char *const titles[] = {"Site", "Cost centre", "Owner"};
	static const char *const notes[] = {
		"The position by the hosts' site (host facts); units short are those left uncovered here",
		"The position by the hosts' cost centre (host facts)",
		"The position by the hosts' owner (host facts); a per-user licence counts each owner once",
	};
	TuColumn cols[] = {
		{"group", TU_COL_TEXT, 22, titles[d]},
		{"publisher", TU_COL_TEXT, 22, "Publisher"},
		{"product", TU_COL_TEXT, 30, "Product"},
		{"edition", TU_COL_TEXT, 18, "Edition"},
		{"metric", TU_COL_TEXT, 10, "Licence unit"},
		{"required", TU_COL_INT, 0, "Required (units)"},
		{"covered", TU_COL_INT, 0, "Covered (units)"},
		{"short", TU_COL_INT, 0, "Short (units)"},
		{"shortfall_cost", TU_COL_MONEY, 0, "Shortfall cost"},
		{"currency", TU_COL_TEXT, 9, "Currency"},
		{"needs_data", TU_COL_INT, 0, "Needs data (installations)"},
		{"hosts", TU_COL_INT, 0, "Hosts"},
		{"installations", TU_COL_INT, 0, "Installations"},
	};
	g_autoptr(TuTable) t = tu_report_sheet (r, sheets[d], cols, G_N_ELEMENTS (cols), FALSE,
						notes[d], error);
	return t != NULL && write_breakdown (x, d, t, error) && tu_report_sheet_done (r, t, error);
}

/* ---------------------------------------------------------------- compliance ----------- */

gboolean
tu_report_compliance (GPtrArray *unrecognised, guint n_left_out, const TuEstateScope *scope,
		      const TuLicenceInput *in, const TuLicencePosition *pos, const char *path,
		      const char *format, GPtrArray **files, GError **error)
{
	const char *currency = tu_position_currency (in, pos);
	g_autoptr(TuReport) r = tu_report_new_for (
		path, format, "Licence compliance",
		"What is installed against what was bought: shortfalls, their cost, and what to do",
		in->at, 0, scope, currency, error);
	if (r == NULL)
		return FALSE;
	TuWorkbook *wb = tu_report_workbook (r);
	Explain x;
	explain_init (&x, in, pos);
	gboolean ok = TRUE;

	/* the charts' data, sorted by cost */
	g_autoptr(GPtrArray) short_rows = g_ptr_array_new ();
	for (guint i = 0; i < pos->rows->len; i++) {
		TuPositionRow *row = g_ptr_array_index (pos->rows, i);
		if (row->shortfall > 0 && row->has_cost)
			g_ptr_array_add (short_rows, row);
	}
	g_ptr_array_sort (short_rows, by_cost);

	/* What to do */
	g_autoptr(GPtrArray) actions = actions_of (&x);
	g_autofree char *todo_note = g_strdup_printf (
		"The %u most useful actions of %u: buy or remove first (by cost), then missing data, "
		"then spare licences",
		MIN (actions->len, (guint) TOP_ACTIONS), actions->len);
	g_autoptr(TuTable) todo = tu_report_sheet (r, "What to do", action_columns,
						   G_N_ELEMENTS (action_columns), FALSE, todo_note, error);
	ok = todo != NULL && write_actions (actions, todo, error);
	if (ok && wb != NULL && short_rows->len > 0)
		tu_table_add_chart (todo, shortfall_chart (wb, short_rows->len, currency), 1.2, 1.1);
	ok = ok && tu_report_sheet_done (r, todo, error);

	/* Summary */
	g_autoptr(TuTable) summary = ok ? tu_report_sheet (
						  r, "Summary", tu_position_columns, tu_position_n_columns, TRUE,
						  "Per product, edition and licence unit, grouped by unit; "
						  "totals per unit and per currency (never across units)",
						  error)
					: NULL;
	ok = summary != NULL && write_summary (&x, summary, error);
	if (ok && wb != NULL && short_rows->len > 0)
		tu_table_add_chart (summary, shortfall_chart (wb, short_rows->len, currency), 1.5, 1.2);
	ok = ok && tu_report_sheet_done (r, summary, error);

	/* Shortfall by product */
	g_autoptr(TuTable) shorts = ok ? tu_report_sheet (r, "Shortfall by product", short_columns,
							   G_N_ELEMENTS (short_columns), FALSE,
							   "The product lines short, costliest first (the "
							   "charts' data)",
							   error)
				       : NULL;
	ok = shorts != NULL;
	for (guint i = 0; ok && i < short_rows->len; i++) {
		const TuPositionRow *row = g_ptr_array_index (short_rows, i);
		g_autofree char *line = product_line (row->product, row->edition);
		tu_table_set_row_style (shorts, TU_ROW_RED);
		tu_table_add_str (shorts, line);
		tu_table_add_str (shorts, row->publisher);
		tu_table_add_str (shorts, tu_metric_to_string (row->metric));
		tu_table_add_int (shorts, row->shortfall);
		tu_table_add_double (shorts, row->shortfall_cost);
		tu_table_add_str (shorts, row->currency);
		ok = tu_table_end_row (shorts, error);
	}
	if (ok && wb != NULL && short_rows->len > 0)
		tu_table_add_chart (shorts, shortfall_chart (wb, short_rows->len, currency), 1.2, 1.1);
	ok = ok && tu_report_sheet_done (r, shorts, error);

	for (guint d = BY_SITE; ok && d <= BY_OWNER; d++)
		ok = breakdown_sheet (r, &x, (Dimension) d, error);

	g_autoptr(TuTable) inst = ok ? tu_report_sheet (r, "Installations", tu_verdict_columns,
							 tu_verdict_n_columns, FALSE,
							 "Every licensable installation, its verdict and why",
							 error)
				     : NULL;
	ok = inst != NULL && tu_report_write_verdicts (in, pos, inst, TRUE, error) &&
	     tu_report_sheet_done (r, inst, error);
	g_autoptr(TuTable) uses = ok ? tu_report_sheet (r, "Entitlements", use_columns,
							 G_N_ELEMENTS (use_columns), FALSE,
							 "What was bought and how much of it is used", error)
				     : NULL;
	ok = uses != NULL && write_uses (in, pos, uses, NULL, error) &&
	     tu_report_sheet_done (r, uses, error);
	g_autofree char *review_note = g_strdup_printf (
		"Installations that need data, then software to classify: commercial first, then "
		"unknown, freeware and open source; %u operating-system parts, drivers and "
		"components left out",
		n_left_out);
	g_autoptr(TuTable) review = ok ? tu_report_sheet (r, "Needs review", review_columns,
							   G_N_ELEMENTS (review_columns), FALSE,
							   review_note, error)
				       : NULL;
	ok = review != NULL && write_review (unrecognised, in, pos, review, error) &&
	     tu_report_sheet_done (r, review, error);
	explain_clear (&x);
	return ok && tu_report_close (r, files, error);
}

/* ---------------------------------------------------------------- renewals ------------- */

static const TuColumn renewal_columns[] = {
	{"contract", TU_COL_TEXT, 20, "Contract"},
	{"vendor", TU_COL_TEXT, 14, "Vendor"},
	{"title", TU_COL_TEXT, 30, "Title"},
	{"owner", TU_COL_TEXT, 16, "Owner"},
	{"start", TU_COL_DATE, 0, "Start"},
	{"end", TU_COL_DATE, 0, "End"},
	{"days_to_end", TU_COL_INT, 0, "Days to end"},
	{"notice_days", TU_COL_INT, 0, "Notice (days)"},
	{"notice_deadline", TU_COL_DATE, 0, "Notice deadline"},
	{"days_to_deadline", TU_COL_INT, 0, "Days left to give notice"},
	{"deadline", TU_COL_TEXT, 22, "State"},
	{"auto_renew", TU_COL_TEXT, 6, "Auto-renews"},
	{"anniversary", TU_COL_DATE, 0, "Next anniversary"},
	{"maintenance_end", TU_COL_DATE, 0, "Maintenance ends"},
	{"value", TU_COL_MONEY, 0, "Contract value"},
	{"unused_cost", TU_COL_MONEY, 0, "Unused licences' value"},
	{"exposure", TU_COL_MONEY, 0, "True-up exposure"},
	{"shortfall", TU_COL_TEXT, 30, "Short at the anniversary"},
	{"after_end", TU_COL_TEXT, 30, "Still in use after the end"},
	{"currency", TU_COL_TEXT, 9, "Currency"},
	{"notes", TU_COL_TEXT, 30, "Notes"},
};

static void
contract_row_free (gpointer p)
{
	char **cells = p;
	for (guint c = 0; c < TU_Q_CONTRACT_N; c++)
		g_free (cells[c]);
	g_free (cells);
}

/* the contract's next anniversary on or after @today (its end if that is sooner) */
static guint32
next_anniversary (guint32 start, guint32 end, guint32 today)
{
	if (start == 0)
		return end;
	GDate d;
	g_date_clear (&d, 1);
	g_date_set_julian (&d, start);
	while (g_date_get_julian (&d) < today)
		g_date_add_years (&d, 1);
	guint32 a = g_date_get_julian (&d);
	return end != 0 && end < a ? end : a;
}

static gboolean
same_product (const TuEntitlement *e, const char *publisher, const char *product)
{
	(void) publisher;
	return g_ascii_strcasecmp (e->product, product) == 0;
}

gboolean
tu_report_renewals (TuRows *contract_rows, const TuEstateScope *scope, const TuLicenceInput *in,
		    const TuLicencePosition *pos, guint within_days, const char *path,
		    const char *format, GPtrArray **files, GError **error)
{
	guint32 today = in->at;
	guint32 horizon = today + within_days;
	g_autofree char *to = tu_date_format (horizon);
	/* the contracts, kept: a few rows, read twice (the currency of the headers first) */
	g_autoptr(GPtrArray) contracts = g_ptr_array_new_with_free_func (contract_row_free);
	char **row;
	GError *local = NULL;
	while ((row = tu_rows_next (contract_rows, &local)) != NULL) {
		char **copy = g_new0 (char *, TU_Q_CONTRACT_N);
		for (guint c = 0; c < TU_Q_CONTRACT_N; c++)
			copy[c] = g_strdup (row[c]);
		g_ptr_array_add (contracts, copy);
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	/* one currency for the headers when the contracts and licences agree on one */
	const char *currency = tu_position_currency (in, pos);
	for (guint i = 0; i < contracts->len; i++) {
		row = g_ptr_array_index (contracts, i);
		if (row[TU_Q_CONTRACT_CURRENCY] != NULL && currency != NULL &&
		    g_strcmp0 (row[TU_Q_CONTRACT_CURRENCY], currency) != 0)
			currency = NULL;
	}
	g_autoptr(TuReport) r = tu_report_new_for (
		path, format, "Renewals",
		"Contracts ending soon: notice deadlines, true-up exposure, what is still in use",
		today, 0, scope, currency, error);
	if (r == NULL)
		return FALSE;
	g_autofree char *note = g_strdup_printf ("Contracts ending by %s (within %u days), and those "
						 "ended in the last 30 days",
						 to, within_days);
	g_autoptr(TuTable) t = tu_report_sheet (r, "Renewals", renewal_columns,
						G_N_ELEMENTS (renewal_columns), TRUE, note, error);
	if (t == NULL)
		return FALSE;
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GHashTable) tot_value = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) tot_unused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) tot_exposure = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	for (guint ci = 0; ci < contracts->len; ci++) {
		row = g_ptr_array_index (contracts, ci);
		guint32 start = 0, end = 0;
		if (row[TU_Q_CONTRACT_START] != NULL)
			tu_date_parse (row[TU_Q_CONTRACT_START], &start, "start", NULL);
		tu_date_parse (row[TU_Q_CONTRACT_END], &end, "end", NULL);
		gint64 notice = tu_cell_int (row, TU_Q_CONTRACT_NOTICE_DAYS, -1);
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
		/* the contract's entitlements: unused value, maintenance, products */
		double unused_cost = 0;
		gboolean has_unused_cost = FALSE;
		guint32 maintenance = 0;
		g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func (g_free);
		for (guint i = 0; i < pos->uses->len; i++) {
			const TuEntitlementUse *u = g_ptr_array_index (pos->uses, i);
			const TuEntitlement *e = g_ptr_array_index (in->entitlements, u->entitlement);
			if (g_strcmp0 (e->contract_id, row[TU_Q_CONTRACT_ID]) != 0)
				continue;
			add_unique (products, e->product);
			if (e->maintenance_end != 0 && (maintenance == 0 || e->maintenance_end < maintenance))
				maintenance = e->maintenance_end;
			if (u->is_active && u->has_cost) {
				unused_cost += u->unused_cost;
				has_unused_cost = TRUE;
			}
		}
		/* the true-up: the shortfall of the products it covers */
		double exposure = 0;
		gboolean has_exposure = FALSE;
		g_autoptr(GPtrArray) shorts = g_ptr_array_new_with_free_func (g_free);
		for (guint i = 0; i < pos->rows->len; i++) {
			const TuPositionRow *pr = g_ptr_array_index (pos->rows, i);
			gboolean covered = FALSE;
			for (guint k = 0; k < pos->uses->len && !covered; k++) {
				const TuEntitlementUse *u = g_ptr_array_index (pos->uses, k);
				const TuEntitlement *e = g_ptr_array_index (in->entitlements, u->entitlement);
				covered = g_strcmp0 (e->contract_id, row[TU_Q_CONTRACT_ID]) == 0 &&
					  same_product (e, pr->publisher, pr->product);
			}
			if (!covered || pr->shortfall <= 0)
				continue;
			g_autofree char *line = product_line (pr->product, pr->edition);
			g_ptr_array_add (shorts, g_strdup_printf ("%s: %" G_GINT64_FORMAT " %s", line,
								  pr->shortfall,
								  unit_name (pr->metric, pr->shortfall)));
			if (pr->has_cost && end >= today) {
				exposure += pr->shortfall_cost;
				has_exposure = TRUE;
			}
		}
		/* software of an ended contract still installed */
		g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_free);
		if (end < today) {
			for (guint p = 0; p < products->len; p++) {
				const char *product = g_ptr_array_index (products, p);
				gint64 units = 0;
				TuMetric metric = TU_METRIC_DEVICE;
				g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_free);
				for (guint i = 0; i < pos->verdicts->len; i++) {
					const TuVerdict *v = g_ptr_array_index (pos->verdicts, i);
					const TuLicInstall *li = g_ptr_array_index (in->installs, v->install);
					if (g_ascii_strcasecmp (li->product, product) != 0)
						continue;
					const TuLicHost *h = g_ptr_array_index (in->hosts, li->host);
					add_unique (hosts, h->name);
					metric = v->metric;
					if (v->is_representative)
						units += v->units;
				}
				if (hosts->len == 0)
					continue;
				g_autofree char *hl = join_list (hosts, 4);
				g_ptr_array_add (after, g_strdup_printf ("%s: %" G_GINT64_FORMAT " %s (%s)",
									 product, units,
									 unit_name (metric, units), hl));
			}
			if (after->len > 0)
				style = TU_ROW_RED;
		}
		tu_table_set_row_style (t, style);
		tu_table_add_str (t, row[TU_Q_CONTRACT_ID]);
		tu_table_add_str (t, row[TU_Q_CONTRACT_VENDOR]);
		tu_table_add_str (t, row[TU_Q_CONTRACT_TITLE]);
		tu_table_add_str (t, row[TU_Q_CONTRACT_OWNER]);
		tu_table_add_text_as_type (t, row[TU_Q_CONTRACT_START]);
		tu_table_add_text_as_type (t, row[TU_Q_CONTRACT_END]);
		tu_table_add_int (t, (gint64) end - (gint64) today);
		if (notice >= 0)
			tu_table_add_int (t, notice);
		else
			tu_table_add_null (t);
		add_date (t, deadline);
		if (end >= today)
			tu_table_add_int (t, days_to_deadline);
		else
			tu_table_add_null (t);
		tu_table_add_str (t, state);
		tu_table_add_str (t, tu_cell_int (row, TU_Q_CONTRACT_AUTO_RENEW, 0) ? "yes" : "no");
		add_date (t, end >= today ? next_anniversary (start, end, today) : 0);
		add_date (t, maintenance);
		tu_table_add_text_as_type (t, row[TU_Q_CONTRACT_VALUE]);
		if (has_unused_cost)
			tu_table_add_double (t, unused_cost);
		else
			tu_table_add_null (t);
		if (has_exposure)
			tu_table_add_double (t, exposure);
		else
			tu_table_add_null (t);
		g_ptr_array_add (shorts, NULL);
		g_autofree char *short_text = g_strjoinv ("; ", (char **) shorts->pdata);
		tu_table_add_str (t, *short_text ? short_text : NULL);
		g_ptr_array_add (after, NULL);
		g_autofree char *after_text = g_strjoinv ("; ", (char **) after->pdata);
		tu_table_add_str (t, *after_text ? after_text : NULL);
		tu_table_add_str (t, row[TU_Q_CONTRACT_CURRENCY]);
		tu_table_add_str (t, row[TU_Q_CONTRACT_NOTES]);
		if (!tu_table_end_row (t, error))
			return FALSE;
		if (row[TU_Q_CONTRACT_VALUE] != NULL)
			add_money (tot_value, row[TU_Q_CONTRACT_CURRENCY], g_ascii_strtod (row[TU_Q_CONTRACT_VALUE], NULL));
		if (has_unused_cost)
			add_money (tot_unused, row[TU_Q_CONTRACT_CURRENCY], unused_cost);
		if (has_exposure)
			add_money (tot_exposure, row[TU_Q_CONTRACT_CURRENCY], exposure);
		g_ptr_array_add (ids, g_strdup (row[TU_Q_CONTRACT_ID]));
	}
	/* totals per currency: money only, never units of different metrics */
	g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);
	GHashTable *tables[] = {tot_value, tot_unused, tot_exposure};
	for (guint k = 0; k < G_N_ELEMENTS (tables); k++) {
		GHashTableIter it;
		gpointer key;
		g_hash_table_iter_init (&it, tables[k]);
		while (g_hash_table_iter_next (&it, &key, NULL))
			g_hash_table_add (all, key);
	}
	g_autoptr(GList) currencies = sorted_keys (all);
	for (GList *l = currencies; l != NULL; l = l->next) {
		const char *cur = l->data;
		g_autofree char *label = g_strdup_printf ("Total%s%s", *cur ? " in " : "", cur);
		tu_table_set_row_style (t, TU_ROW_BOLD);
		tu_table_add_str (t, label);
		for (guint c = 0; c < 13; c++)
			tu_table_add_null (t);
		for (guint k = 0; k < G_N_ELEMENTS (tables); k++) {
			double *v = g_hash_table_lookup (tables[k], cur);
			if (v != NULL)
				tu_table_add_double (t, *v);
			else
				tu_table_add_null (t);
		}
		tu_table_add_null (t);
		tu_table_add_null (t);
		tu_table_add_str (t, *cur ? cur : NULL);
		tu_table_add_null (t);
		if (!tu_table_end_row (t, error))
			return FALSE;
	}
	if (!tu_report_sheet_done (r, t, error))
		return FALSE;
	g_autoptr(TuTable) uses = tu_report_sheet (r, "Entitlement use", use_columns,
						   G_N_ELEMENTS (use_columns), FALSE,
						   "The entitlements of these contracts and how much of "
						   "each is used, to size the renewal",
						   error);
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
