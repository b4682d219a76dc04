/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Licence file imports; see tu-licence-import.h. Each importer reads the whole file into
 * validated rows (nothing is written while any row is bad), then upserts them in one
 * transaction, retried as a whole on a transient server error.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-csv.h"
#include "tu-licence-import.h"
#include "tu-licence-store.h"
#include "tu-licence.h"
#include "tu-rules.h"

/* ---------------------------------------------------------------- field checks --------- */

static gboolean
fail (GError **error, const TuCsvRow *row, const char *column, const char *format, ...)
	G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError **error, const TuCsvRow *row, const char *column, const char *format, ...)
{
	va_list args;
	va_start (args, format);
	g_autofree char *msg = g_strdup_vprintf (format, args);
	va_end (args);
	if (column != NULL)
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: column %s: %s", row->path,
			     row->line, column, msg);
	else
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s", row->path, row->line,
			     msg);
	return FALSE;
}

/* Re-word a parse helper's error ("quantity: ...") with file, line and column. */
static gboolean
fail_from (GError **error, const TuCsvRow *row, const char *column, GError *local)
{
	const char *msg = local->message;
	gsize n = strlen (column);
	if (strncmp (msg, column, n) == 0 && msg[n] == ':')
		msg += n + 2;
	return fail (error, row, column, "%s", msg);
}

static gboolean
get_date (const TuCsvRow *row, guint col, const char *name, guint32 *out, GError **error)
{
	*out = 0;
	const char *v = row->values[col];
	if (v == NULL)
		return TRUE;
	g_autoptr(GError) local = NULL;
	if (!tu_date_parse (v, out, name, &local))
		return fail_from (error, row, name, local);
	return TRUE;
}

static gboolean
get_int (const TuCsvRow *row, guint col, const char *name, gint64 min, gint64 max, gint64 dflt,
	 gint64 *out, GError **error)
{
	const char *v = row->values[col];
	if (v == NULL) {
		*out = dflt;
		return TRUE;
	}
	g_autoptr(GError) local = NULL;
	if (!tu_parse_int64 (v, min, max, out, name, &local))
		return fail_from (error, row, name, local);
	return TRUE;
}

static gboolean
get_number (const TuCsvRow *row, guint col, const char *name, double min, double max,
	    gboolean *present, double *out, GError **error)
{
	const char *v = row->values[col];
	*present = v != NULL;
	if (v == NULL)
		return TRUE;
	g_autoptr(GError) local = NULL;
	if (!tu_parse_double (v, out, name, &local))
		return fail_from (error, row, name, local);
	if (*out < min || *out > max)
		return fail (error, row, name, "%s is out of range (%g to %g)", v, min, max);
	return TRUE;
}

static gboolean
get_bool (const TuCsvRow *row, guint col, const char *name, gboolean dflt, gboolean *out,
	  GError **error)
{
	const char *v = row->values[col];
	if (v == NULL) {
		*out = dflt;
		return TRUE;
	}
	g_autoptr(GError) local = NULL;
	if (!tu_parse_bool (v, out, name, &local))
		return fail_from (error, row, name, local);
	return TRUE;
}

static gboolean
get_currency (const TuCsvRow *row, guint col, char **out, GError **error)
{
	const char *v = row->values[col];
	*out = NULL;
	if (v == NULL)
		return TRUE;
	if (strlen (v) != 3 || !g_ascii_isalpha (v[0]) || !g_ascii_isalpha (v[1]) ||
	    !g_ascii_isalpha (v[2]))
		return fail (error, row, "currency", "\"%s\" is not an ISO 4217 code such as EUR", v);
	*out = g_ascii_strup (v, -1);
	return TRUE;
}

static gboolean
get_text (const TuCsvRow *row, guint col, const char *name, gsize max_chars, gboolean required,
	  char **out, GError **error)
{
	const char *v = row->values[col];
	*out = NULL;
	if (v == NULL) {
		if (required)
			return fail (error, row, name, "must not be empty");
		return TRUE;
	}
	if (g_utf8_strlen (v, -1) > (glong) max_chars)
		return fail (error, row, name, "longer than %" G_GSIZE_FORMAT " characters", max_chars);
	*out = g_strdup (v);
	return TRUE;
}

/* Duplicate ids in one file: the first line of each id. */
static gboolean
check_duplicate (GHashTable *seen, const TuCsvRow *row, const char *id, GError **error)
{
	g_autofree char *fold = g_utf8_casefold (id, -1);
	gpointer line = g_hash_table_lookup (seen, fold);
	if (line != NULL)
		return fail (error, row, "id", "id %s is already on line %u of this file", id,
			     GPOINTER_TO_UINT (line));
	g_hash_table_insert (seen, g_steal_pointer (&fold), GUINT_TO_POINTER (row->line));
	return TRUE;
}

/* ---------------------------------------------------------------- products ------------- */

typedef struct {
	char *publisher;
	char *product;
} Known;

static void
known_free (Known *k)
{
	g_free (k->publisher);
	g_free (k->product);
	g_free (k);
}

/* Every product trueup knows: the rules' literal products, product stanzas, and what the
 * inventory holds. */
static void
add_known (GPtrArray *out, GPtrArray *pairs)
{
	for (guint i = 0; i < pairs->len; i++) {
		const char *s = g_ptr_array_index (pairs, i);
		const char *sep = strchr (s, '\x1f');
		Known *k = g_new0 (Known, 1);
		k->publisher = g_strndup (s, (gsize) (sep - s));
		k->product = g_strdup (sep + 1);
		g_ptr_array_add (out, k);
	}
}

static GPtrArray *
known_products (TuDb *db, TuNormaliser *norm, GError **error)
{
	g_autoptr(GPtrArray) stored = tu_licence_store_products (db, error);
	if (stored == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) known_free);
	add_known (out, tu_rule_set_known_products (tu_normaliser_get_rules (norm)));
	add_known (out, stored);
	return out;
}

/* The canonical spelling of @product of @publisher, or an error naming the closest ones. */
static gboolean
resolve_product (GPtrArray *known, const TuCsvRow *row, const char *publisher,
		 const char *product, char **out, GError **error)
{
	for (guint i = 0; i < known->len; i++) {
		const Known *k = g_ptr_array_index (known, i);
		if (tu_str_equal_fold (k->publisher, publisher) &&
		    tu_str_equal_fold (k->product, product)) {
			*out = g_strdup (k->product);
			return TRUE;
		}
	}
	/* closest names: same publisher first, then everything */
	g_autoptr(GPtrArray) best = g_ptr_array_new ();
	guint best_d = G_MAXUINT;
	for (guint pass = 0; pass < 2 && best->len == 0; pass++) {
		for (guint i = 0; i < known->len; i++) {
			const Known *k = g_ptr_array_index (known, i);
			if (pass == 0 && !tu_str_equal_fold (k->publisher, publisher))
				continue;
			guint d = tu_str_distance (product, k->product, 64);
			if (strstr (k->product, product) != NULL || strstr (product, k->product) != NULL)
				d = MIN (d, 2u);
			if (d < best_d) {
				g_ptr_array_set_size (best, 0);
				best_d = d;
			}
			if (d == best_d && best->len < 5)
				g_ptr_array_add (best, (gpointer) k);
		}
		if (pass == 0 && best_d > 8) {
			/* nothing close for this publisher: look at every product */
			g_ptr_array_set_size (best, 0);
			best_d = G_MAXUINT;
		}
	}
	GString *names = g_string_new (NULL);
	for (guint i = 0; i < best->len; i++) {
		const Known *k = g_ptr_array_index (best, i);
		g_string_append_printf (names, "%s%s / %s", i ? ", " : "", k->publisher, k->product);
	}
	gboolean r = fail (error, row, "product",
			   "\"%s\" of %s is not a product trueup knows%s%s%s", product, publisher,
			   names->len ? " (closest: " : "", names->str, names->len ? ")" : "");
	g_string_free (names, TRUE);
	return r;
}

/* The canonical edition: one of the product's editions, or its base when empty. */
static gboolean
resolve_edition (TuNormaliser *norm, const TuCsvRow *row, const char *publisher,
		 const char *product, const char *edition, char **out, GError **error)
{
	const TuProductInfo *info = tu_rule_set_product_info (tu_normaliser_get_rules (norm), publisher,
							      product);
	if (edition == NULL || *edition == '\0') {
		*out = g_strdup (info ? info->base_edition : "");
		return TRUE;
	}
	if (info == NULL || info->editions->len == 0) {
		*out = g_strdup (edition);
		return TRUE;
	}
	for (guint i = 0; i < info->editions->len; i++) {
		if (tu_str_equal_fold (g_ptr_array_index (info->editions, i), edition)) {
			*out = g_strdup (g_ptr_array_index (info->editions, i));
			return TRUE;
		}
	}
	GHashTableIter iter;
	gpointer k;
	g_hash_table_iter_init (&iter, info->free_editions);
	GString *names = g_string_new (NULL);
	for (guint i = 0; i < info->editions->len; i++)
		g_string_append_printf (names, "%s%s", i ? ", " : "",
					(char *) g_ptr_array_index (info->editions, i));
	while (g_hash_table_iter_next (&iter, &k, NULL)) {
		if (tu_str_equal_fold (k, edition)) {
			g_string_free (names, TRUE);
			return fail (error, row, "edition", "%s %s is free: nothing to license", product,
				     edition);
		}
	}
	gboolean r = fail (error, row, "edition", "\"%s\" is not an edition of %s (editions: %s)",
			   edition, product, names->str);
	g_string_free (names, TRUE);
	return r;
}

static gboolean
check_scope (const TuCsvRow *row, const char *scope, GError **error)
{
	static const char *const keys[] = {"site", "cost_centre", "group", "environment", "cluster",
					   NULL};
	g_auto(GStrv) conds = g_strsplit (scope, ";", -1);
	for (guint i = 0; conds[i] != NULL; i++) {
		g_strstrip (conds[i]);
		if (*conds[i] == '\0')
			continue;
		char *eq = strchr (conds[i], '=');
		g_autofree char *key = eq ? g_strstrip (g_strndup (conds[i], (gsize) (eq - conds[i]))) : NULL;
		if (eq == NULL || !g_strv_contains (keys, key) || *g_strstrip (eq + 1) == '\0')
			return fail (error, row, "scope",
				     "\"%s\" is not KEY=VALUE with KEY one of site, cost_centre, group, "
				     "environment, cluster",
				     conds[i]);
	}
	return TRUE;
}

/* The extended_support column: empty or "no" an ordinary entitlement; "yes" paid extended
 * support for the catalogue product of the entitlement's product; else a catalogue product id
 * ("windows", "rhel"), kept in lower case. */
static gboolean
get_extended (const TuCsvRow *row, guint col, char **out, GError **error)
{
	const char *v = row->values[col];
	gboolean flag = FALSE;
	*out = NULL;
	if (v == NULL)
		return TRUE;
	if (tu_parse_bool (v, &flag, "extended_support", NULL)) {
		*out = flag ? g_strdup ("yes") : NULL;
		return TRUE;
	}
	gsize n = strlen (v);
	gboolean ok = n > 0 && n <= 64 && g_ascii_isalnum (v[0]);
	for (gsize i = 0; ok && i < n; i++)
		ok = g_ascii_isalnum (v[i]) || strchr ("-_.+", v[i]) != NULL;
	if (!ok)
		return fail (error, row, "extended_support",
			     "\"%s\" is neither yes/no nor a catalogue product id such as windows",
			     v);
	*out = g_ascii_strdown (v, -1);
	return TRUE;
}

/* ---------------------------------------------------------------- entitlements --------- */

enum {
	E_ID,
	E_PUBLISHER,
	E_PRODUCT,
	E_EDITION,
	E_RELEASE,
	E_METRIC,
	E_QUANTITY,
	E_START,
	E_END,
	E_MAINT,
	E_DOWNGRADE,
	E_FACTOR,
	E_MIN,
	E_COST,
	E_CURRENCY,
	E_SCOPE,
	E_CONTRACT,
	E_PO,
	E_EXTENDED,
};

static const char *const ent_columns[] = {
	"id",
	"publisher",
	"product",
	"edition",
	"release",
	"metric",
	"quantity",
	"start",
	"end",
	"maintenance_end",
	"downgrade",
	"core_factor",
	"min_cores",
	"unit_cost",
	"currency",
	"scope",
	"contract",
	"po",
	"extended_support",
	NULL,
};
static const char *const ent_required[] = {"id", "publisher", "product", "metric", "quantity",
					   NULL};

typedef struct {
	TuDb *db;
	TuNormaliser *norm;
	GPtrArray *known;
	GHashTable *contracts;
	GHashTable *seen;
	GPtrArray *rows; /* TuEntitlement* */
	GArray *lines;
	const char *path;
} EntReader;

static gboolean
ent_row (const TuCsvRow *row, gpointer user_data, GError **error)
{
	EntReader *r = user_data;
	g_autoptr(TuEntitlement) e = g_new0 (TuEntitlement, 1);
	g_autofree char *publisher = NULL, *product = NULL, *metric = NULL;
	gint64 v = 0;
	if (!get_text (row, E_ID, "id", 128, TRUE, &e->id, error) ||
	    !check_duplicate (r->seen, row, e->id, error) ||
	    !get_text (row, E_PUBLISHER, "publisher", 255, TRUE, &publisher, error) ||
	    !get_text (row, E_PRODUCT, "product", 255, TRUE, &product, error) ||
	    !get_text (row, E_METRIC, "metric", 16, TRUE, &metric, error))
		return FALSE;
	e->publisher = g_strdup (tu_normaliser_publisher (r->norm, publisher));
	if (!resolve_product (r->known, row, e->publisher, product, &e->product, error) ||
	    !resolve_edition (r->norm, row, e->publisher, e->product, row->values[E_EDITION],
			      &e->edition, error))
		return FALSE;
	if (!tu_metric_from_string (metric, &e->metric))
		return fail (error, row, "metric",
			     "unknown metric \"%s\" (device, install, user, processor, core, site)",
			     metric);
	if (!get_int (row, E_QUANTITY, "quantity", 0, G_MAXINT32, 0, &e->quantity, error) ||
	    !get_date (row, E_START, "start", &e->start, error) ||
	    !get_date (row, E_END, "end", &e->end, error) ||
	    !get_date (row, E_MAINT, "maintenance_end", &e->maintenance_end, error) ||
	    !get_bool (row, E_DOWNGRADE, "downgrade", TRUE, &e->downgrade, error))
		return FALSE;
	if (e->start != 0 && e->end != 0 && e->end < e->start)
		return fail (error, row, "end", "%s is before the start %s", row->values[E_END],
			     row->values[E_START]);
	gboolean present = FALSE;
	e->core_factor = 1.0;
	if (!get_number (row, E_FACTOR, "core_factor", 0.0001, 100, &present, &e->core_factor, error))
		return FALSE;
	if (!present)
		e->core_factor = 1.0;
	if (!get_int (row, E_MIN, "min_cores", 0, 100000, 0, &v, error))
		return FALSE;
	e->min_cores = (gint) v;
	if (!get_number (row, E_COST, "unit_cost", 0, 1e12, &e->has_unit_cost, &e->unit_cost, error) ||
	    !get_currency (row, E_CURRENCY, &e->currency, error))
		return FALSE;
	if (e->has_unit_cost && e->currency == NULL)
		return fail (error, row, "currency", "a unit_cost needs a currency");
	e->release = g_strdup (row->values[E_RELEASE] ? row->values[E_RELEASE] : "");
	e->scope = g_strdup (row->values[E_SCOPE] ? row->values[E_SCOPE] : "");
	if (!check_scope (row, e->scope, error) ||
	    !get_text (row, E_CONTRACT, "contract", 128, FALSE, &e->contract_id, error) ||
	    !get_text (row, E_PO, "po", 128, FALSE, &e->po, error) ||
	    !get_extended (row, E_EXTENDED, &e->extended_support, error))
		return FALSE;
	if (e->contract_id != NULL) {
		g_autofree char *fold = g_utf8_casefold (e->contract_id, -1);
		if (!g_hash_table_contains (r->contracts, fold))
			return fail (error, row, "contract",
				     "contract %s does not exist (import the contracts first)",
				     e->contract_id);
	}
	g_ptr_array_add (r->rows, g_steal_pointer (&e));
	g_array_append_val (r->lines, row->line);
	return TRUE;
}

static void
count_new (GHashTable *existing, GPtrArray *rows, gsize id_offset, TuImportStats *stats)
{
	stats->n_rows = rows->len;
	for (guint i = 0; i < rows->len; i++) {
		const char *id = *(const char **) ((const char *) g_ptr_array_index (rows, i) + id_offset);
		g_autofree char *fold = g_utf8_casefold (id, -1);
		if (g_hash_table_contains (existing, fold))
			stats->n_updated++;
		else
			stats->n_new++;
	}
}

gboolean
tu_import_entitlements (TuDb *db, TuNormaliser *norm, const char *path, TuImportStats *stats,
			GError **error)
{
	memset (stats, 0, sizeof *stats);
	g_autoptr(GPtrArray) known = known_products (db, norm, error);
	if (known == NULL)
		return FALSE;
	g_autoptr(GHashTable) contracts =
		tu_licence_store_ids (db, TU_LICENCE_IDS_CONTRACTS, error);
	g_autoptr(GHashTable) existing =
		contracts ? tu_licence_store_ids (db, TU_LICENCE_IDS_ENTITLEMENTS, error) : NULL;
	if (existing == NULL)
		return FALSE;
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_entitlement_free);
	g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
	EntReader r = {db, norm, known, contracts, seen, rows, lines, path};
	if (!tu_csv_read_file (path, ent_columns, ent_required, ent_row, &r, error))
		return FALSE;
	count_new (existing, rows, G_STRUCT_OFFSET (TuEntitlement, id), stats);
	return tu_licence_store_entitlements (db, rows, lines, path, error);
}

/* ---------------------------------------------------------------- contracts ------------ */

enum { C_ID,
       C_VENDOR,
       C_TITLE,
       C_START,
       C_END,
       C_NOTICE,
       C_AUTO,
       C_VALUE,
       C_CURRENCY,
       C_OWNER,
       C_NOTES };
static const char *const contract_columns[] = {"id", "vendor", "title", "start",
					       "end", "notice_days", "auto_renew", "value",
					       "currency", "owner", "notes", NULL};
static const char *const contract_required[] = {"id", NULL};

typedef struct {
	GHashTable *seen;
	GPtrArray *rows;
} ContractReader;

static gboolean
contract_row (const TuCsvRow *row, gpointer user_data, GError **error)
{
	ContractReader *r = user_data;
	g_autoptr(TuContract) c = g_new0 (TuContract, 1);
	c->line = row->line;
	if (!get_text (row, C_ID, "id", 128, TRUE, &c->id, error) ||
	    !check_duplicate (r->seen, row, c->id, error) ||
	    !get_text (row, C_VENDOR, "vendor", 255, FALSE, &c->vendor, error) ||
	    !get_text (row, C_TITLE, "title", 512, FALSE, &c->title, error) ||
	    !get_date (row, C_START, "start", &c->start, error) ||
	    !get_date (row, C_END, "end", &c->end, error) ||
	    !get_int (row, C_NOTICE, "notice_days", 0, 3650, -1, &c->notice_days, error) ||
	    !get_bool (row, C_AUTO, "auto_renew", FALSE, &c->auto_renew, error) ||
	    !get_number (row, C_VALUE, "value", 0, 1e13, &c->has_value, &c->value, error) ||
	    !get_currency (row, C_CURRENCY, &c->currency, error) ||
	    !get_text (row, C_OWNER, "owner", 255, FALSE, &c->owner, error) ||
	    !get_text (row, C_NOTES, "notes", 20000, FALSE, &c->notes, error))
		return FALSE;
	if (c->start != 0 && c->end != 0 && c->end < c->start)
		return fail (error, row, "end", "%s is before the start %s", row->values[C_END],
			     row->values[C_START]);
	if (c->has_value && c->currency == NULL)
		return fail (error, row, "currency", "a value needs a currency");
	g_ptr_array_add (r->rows, g_steal_pointer (&c));
	return TRUE;
}

gboolean
tu_import_contracts (TuDb *db, const char *path, TuImportStats *stats, GError **error)
{
	memset (stats, 0, sizeof *stats);
	g_autoptr(GHashTable) existing = tu_licence_store_ids (db, TU_LICENCE_IDS_CONTRACTS, error);
	if (existing == NULL)
		return FALSE;
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) rows =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_contract_free);
	ContractReader r = {seen, rows};
	if (!tu_csv_read_file (path, contract_columns, contract_required, contract_row, &r, error))
		return FALSE;
	count_new (existing, rows, G_STRUCT_OFFSET (TuContract, id), stats);
	return tu_licence_store_contracts (db, rows, path, error);
}

/* ---------------------------------------------------------------- host attributes ------ */

enum { H_HOST,
       H_SITE,
       H_CC,
       H_OWNER,
       H_GROUPS,
       H_ENV,
       H_CORES,
       H_SOCKETS,
       H_VIRTUAL,
       H_CLUSTER };
static const char *const host_columns[] = {"host", "site", "cost_centre", "owner",
					   "groups", "environment", "cores", "sockets",
					   "virtual", "cluster", NULL};
static const char *const host_required[] = {"host", NULL};

static gboolean
host_row (const TuCsvRow *row, gpointer user_data, GError **error)
{
	ContractReader *r = user_data;
	g_autoptr(TuHostAttributes) h = g_new0 (TuHostAttributes, 1);
	g_autofree char *host = NULL;
	h->line = row->line;
	if (!get_text (row, H_HOST, "host", 255, TRUE, &host, error))
		return FALSE;
	h->key = g_utf8_strdown (host, -1);
	gpointer first = g_hash_table_lookup (r->seen, h->key);
	if (first != NULL)
		return fail (error, row, "host", "host %s is already on line %u of this file", host,
			     GPOINTER_TO_UINT (first));
	g_hash_table_insert (r->seen, g_strdup (h->key), GUINT_TO_POINTER (row->line));
	gboolean virt = FALSE;
	if (!get_text (row, H_SITE, "site", 128, FALSE, &h->site, error) ||
	    !get_text (row, H_CC, "cost_centre", 128, FALSE, &h->cost_centre, error) ||
	    !get_text (row, H_OWNER, "owner", 255, FALSE, &h->owner, error) ||
	    !get_text (row, H_GROUPS, "groups", 1024, FALSE, &h->groups, error) ||
	    !get_text (row, H_ENV, "environment", 64, FALSE, &h->environment, error) ||
	    !get_text (row, H_CLUSTER, "cluster", 128, FALSE, &h->cluster, error) ||
	    !get_int (row, H_CORES, "cores", 1, 1000000, -1, &h->cores, error) ||
	    !get_int (row, H_SOCKETS, "sockets", 1, 10000, -1, &h->sockets, error))
		return FALSE;
	h->is_virtual = -1;
	if (row->values[H_VIRTUAL] != NULL) {
		if (!get_bool (row, H_VIRTUAL, "virtual", FALSE, &virt, error))
			return FALSE;
		h->is_virtual = virt;
	}
	g_ptr_array_add (r->rows, g_steal_pointer (&h));
	return TRUE;
}

gboolean
tu_import_host_attributes (TuDb *db, const char *path, TuImportStats *stats, GError **error)
{
	memset (stats, 0, sizeof *stats);
	g_autoptr(GHashTable) existing =
		tu_licence_store_ids (db, TU_LICENCE_IDS_HOST_ATTRIBUTES, error);
	g_autoptr(GHashTable) hosts =
		existing ? tu_licence_store_ids (db, TU_LICENCE_IDS_HOSTS, error) : NULL;
	if (hosts == NULL)
		return FALSE;
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) rows =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_attributes_free);
	ContractReader r = {seen, rows};
	if (!tu_csv_read_file (path, host_columns, host_required, host_row, &r, error))
		return FALSE;
	count_new (existing, rows, G_STRUCT_OFFSET (TuHostAttributes, key), stats);
	for (guint i = 0; i < rows->len; i++) {
		const TuHostAttributes *h = g_ptr_array_index (rows, i);
		g_autofree char *fold = g_utf8_casefold (h->key, -1);
		if (!g_hash_table_contains (hosts, fold))
			stats->n_unknown_hosts++;
	}
	return tu_licence_store_host_attributes (db, rows, path, error);
}

/* ---------------------------------------------------------------- prices --------------- */

enum { P_PUBLISHER,
       P_PRODUCT,
       P_EDITION,
       P_METRIC,
       P_COST,
       P_CURRENCY };
static const char *const price_columns[] = {"publisher", "product", "edition", "metric",
					    "unit_cost", "currency", NULL};
static const char *const price_required[] = {"publisher", "product", "metric", "unit_cost",
					     "currency", NULL};

typedef struct {
	TuNormaliser *norm;
	GPtrArray *known;
	GHashTable *seen;
	GPtrArray *rows; /* TuPrice* */
	GArray *lines;	 /* the line of each row */
} PriceReader;

static gboolean
price_row (const TuCsvRow *row, gpointer user_data, GError **error)
{
	PriceReader *r = user_data;
	TuPrice *p = g_new0 (TuPrice, 1);
	g_autofree char *publisher = NULL, *product = NULL, *metric = NULL;
	gboolean present = FALSE;
	gboolean ok = get_text (row, P_PUBLISHER, "publisher", 255, TRUE, &publisher, error) &&
		      get_text (row, P_PRODUCT, "product", 255, TRUE, &product, error) &&
		      get_text (row, P_METRIC, "metric", 16, TRUE, &metric, error);
	if (ok) {
		p->publisher = g_strdup (tu_normaliser_publisher (r->norm, publisher));
		ok = resolve_product (r->known, row, p->publisher, product, &p->product, error) &&
		     resolve_edition (r->norm, row, p->publisher, p->product, row->values[P_EDITION],
				      &p->edition, error);
	}
	if (ok && !tu_metric_from_string (metric, &p->metric))
		ok = fail (error, row, "metric", "unknown metric \"%s\"", metric);
	ok = ok && get_number (row, P_COST, "unit_cost", 0, 1e12, &present, &p->unit_cost, error) &&
	     get_currency (row, P_CURRENCY, &p->currency, error);
	if (ok) {
		g_autofree char *k0 = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%d", p->publisher, p->product,
						       p->edition, p->metric);
		g_autofree char *k = g_utf8_casefold (k0, -1);
		gpointer first = g_hash_table_lookup (r->seen, k);
		if (first != NULL)
			ok = fail (error, row, NULL, "the same price is already on line %u",
				   GPOINTER_TO_UINT (first));
		else
			g_hash_table_insert (r->seen, g_steal_pointer (&k), GUINT_TO_POINTER (row->line));
	}
	if (!ok) {
		tu_price_free (p);
		return FALSE;
	}
	g_ptr_array_add (r->rows, p);
	g_array_append_val (r->lines, row->line);
	return TRUE;
}

gboolean
tu_import_prices (TuDb *db, TuNormaliser *norm, const char *path, TuImportStats *stats,
		  GError **error)
{
	memset (stats, 0, sizeof *stats);
	g_autoptr(GPtrArray) known = known_products (db, norm, error);
	if (known == NULL)
		return FALSE;
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_price_free);
	g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
	PriceReader r = {norm, known, seen, rows, lines};
	if (!tu_csv_read_file (path, price_columns, price_required, price_row, &r, error))
		return FALSE;
	stats->n_rows = rows->len;
	stats->n_new = rows->len;
	return tu_licence_store_prices (db, rows, lines, path, error);
}
