/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The licence importer against the embedded store: contracts, entitlements (publisher
 * aliases through the normaliser, a contract that must exist), host attributes and prices
 * are stored and read back as the engine loads them; re-importing updates by id; a file with
 * one bad row stores nothing and names the file, the line and the column.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-licence-import.h"
#include "tu-licence.h"
#include "tu-query.h"
#include "tu-test-store.h"

static TuNormaliser *norm = NULL;
static char *dir = NULL;

/* @text written to DIR/@name. (transfer full) */
static char *
write_file (const char *name, const char *text)
{
	char *path = g_build_filename (dir, name, NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true (g_file_set_contents (path, text, -1, &error));
	g_assert_no_error (error);
	return path;
}

static guint
count_rows (TuRows *rows)
{
	g_autoptr(GError) error = NULL;
	guint n = 0;
	while (tu_rows_next (rows, &error) != NULL)
		n++;
	g_assert_no_error (error);
	return n;
}

static const char contracts_csv[] =
	"id,vendor,title,start,end,notice_days,auto_renew,value,currency,owner,notes\n"
	"MS-EA-7351,Microsoft,Enterprise Agreement 7351,2024-01-01,2027-01-01,60,no,186400.00,"
	"GBP,IT Procurement,\"Renewal needs 60 days' notice, in writing\"\n";

static const char entitlements_csv[] =
	"id,publisher,product,edition,release,metric,quantity,start,end,maintenance_end,"
	"downgrade,core_factor,min_cores,unit_cost,currency,scope,contract,po\n"
	"OFF-PP-2021,Microsoft Corporation,Office,Professional Plus,2021,device,2,2024-01-01,,"
	"2027-01-01,yes,,,439.00,GBP,site=London,MS-EA-7351,PO-1\n"
	"WS-DC-2022,Microsoft Corporation,Windows Server,Datacenter,2022,core,48,2024-01-01,,,"
	"yes,,16,344.00,GBP,,MS-EA-7351,PO-1\n";

/* Contracts then entitlements: stored, the publisher alias resolved, read back as the engine
 * loads them; the same files again update, never duplicate. */
static void
test_entitlements_and_contracts (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autofree char *contracts = write_file ("contracts.csv", contracts_csv);
	g_autofree char *ents = write_file ("entitlements.csv", entitlements_csv);
	g_autoptr(GError) error = NULL;
	TuImportStats st = {0};
	g_assert_true (tu_import_contracts (db, contracts, &st, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_rows, ==, 1);
	g_assert_cmpuint (st.n_new, ==, 1);
	st = (TuImportStats){0};
	g_assert_true (tu_import_entitlements (db, norm, ents, &st, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_rows, ==, 2);
	g_assert_cmpuint (st.n_new, ==, 2);
	g_assert_cmpuint (st.n_updated, ==, 0);

	g_autoptr(TuLicenceInput) in = tu_licence_load (db, norm, tu_date_today (), &error);
	g_assert_no_error (error);
	g_assert_cmpuint (in->entitlements->len, ==, 2);
	const TuEntitlement *e = g_ptr_array_index (in->entitlements, 0);
	g_assert_cmpstr (e->id, ==, "OFF-PP-2021");
	g_assert_cmpstr (e->publisher, ==, "Microsoft");
	g_assert_cmpstr (e->edition, ==, "Professional Plus");
	g_assert_cmpstr (e->release, ==, "2021");
	g_assert_cmpint (e->metric, ==, TU_METRIC_DEVICE);
	g_assert_cmpint (e->quantity, ==, 2);
	g_assert_cmpstr (e->scope, ==, "site=London");
	g_assert_cmpstr (e->contract_id, ==, "MS-EA-7351");
	g_assert_true (e->has_unit_cost);
	g_assert_cmpfloat (e->unit_cost, ==, 439.0);
	g_autofree char *mend = tu_date_format (e->maintenance_end);
	g_assert_cmpstr (mend, ==, "2027-01-01");
	const TuEntitlement *w = g_ptr_array_index (in->entitlements, 1);
	g_assert_cmpint (w->metric, ==, TU_METRIC_CORE);
	g_assert_cmpint (w->min_cores, ==, 16);
	g_assert_cmpint (w->quantity, ==, 48);

	st = (TuImportStats){0};
	g_assert_true (tu_import_entitlements (db, norm, ents, &st, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_new, ==, 0);
	g_assert_cmpuint (st.n_updated, ==, 2);
	g_autoptr(TuRows) rows = tu_query_entitlements (db);
	g_assert_cmpuint (count_rows (rows), ==, 2);
}

/* One bad row anywhere: nothing of the file is stored, and the error says where. */
static void
test_bad_row_stores_nothing (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	static const struct {
		const char *row;
		const char *expect;
	} bad[] = {
		{"X-1,Microsoft,Visio,Professional,2021,seat,5,,,,,,,,,,,", ":3: column metric: "},
		{"X-1,Microsoft,Visio,Professional,2021,device,five,,,,,,,,,,,",
		 ":3: column quantity"},
		{"X-1,Microsoft,Visio,Professional,2021,device,5,2024-13-40,,,,,,,,,,",
		 ":3: column start"},
		{"X-1,Microsoft,Visio,Professional,2021,device,5,,,,,,,,,,NO-SUCH-CONTRACT,",
		 "contract NO-SUCH-CONTRACT does not exist"},
	};
	g_autoptr(TuRows) before_rows = tu_query_entitlements (db);
	guint before = count_rows (before_rows);
	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autofree char *text = g_strdup_printf (
			"id,publisher,product,edition,release,metric,quantity,start,end,"
			"maintenance_end,downgrade,core_factor,min_cores,unit_cost,currency,scope,"
			"contract,po\n"
			"NEW-1,Microsoft,Visio,Professional,2021,device,5,,,,,,,,,,,\n%s\n",
			bad[i].row);
		g_autofree char *path = write_file ("bad.csv", text);
		g_autoptr(GError) error = NULL;
		TuImportStats st = {0};
		g_assert_false (tu_import_entitlements (db, norm, path, &st, &error));
		g_assert_nonnull (error);
		if (strstr (error->message, bad[i].expect) == NULL ||
		    !g_str_has_prefix (error->message, path))
			g_error ("row %u: expected %s: %s", i, bad[i].expect, error->message);
		g_autoptr(TuRows) rows = tu_query_entitlements (db);
		g_assert_cmpuint (count_rows (rows), ==, before);
	}
}

/* Host attributes for hosts not scanned yet are kept and counted; prices are stored with the
 * publisher's canonical name. */
static void
test_hosts_and_prices (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autofree char *hosts = write_file (
		"hosts.csv",
		"host,site,cost_centre,owner,groups,environment,cores,sockets,virtual,"
		"cluster\n"
		"LON-WS-0141,London,FIN-210,alice.martin,workstations;finance,office,,,,\n"
		"LON-SQL-01,London,IT-100,,servers,production,24,2,yes,lon-cl-1\n");
	g_autoptr(GError) error = NULL;
	TuImportStats st = {0};
	g_assert_true (tu_import_host_attributes (db, hosts, &st, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_rows, ==, 2);
	g_assert_cmpuint (st.n_unknown_hosts, ==, 2);
	g_autoptr(TuRows) attrs = tu_query_host_attributes (db);
	gboolean seen_sql = FALSE;
	char **r;
	while ((r = tu_rows_next (attrs, &error)) != NULL) {
		if (g_ascii_strcasecmp (r[TU_Q_ATTR_HOST_KEY], "LON-SQL-01") != 0)
			continue;
		seen_sql = TRUE;
		g_assert_cmpstr (r[TU_Q_ATTR_CORES], ==, "24");
		g_assert_cmpstr (r[TU_Q_ATTR_CLUSTER], ==, "lon-cl-1");
		g_assert_cmpstr (r[TU_Q_ATTR_OWNER], ==, NULL);
	}
	g_assert_no_error (error);
	g_assert_true (seen_sql);

	g_autofree char *prices =
		write_file ("prices.csv", "publisher,product,edition,metric,unit_cost,currency\n"
					  "Oracle Corporation,Java SE,,user,180.00,GBP\n");
	st = (TuImportStats){0};
	g_assert_true (tu_import_prices (db, norm, prices, &st, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_rows, ==, 1);
	g_autoptr(TuRows) p = tu_query_prices (db);
	r = tu_rows_next (p, &error);
	g_assert_nonnull (r);
	g_assert_cmpstr (r[TU_Q_PRICE_PUBLISHER], ==, "Oracle");
	g_assert_cmpstr (r[TU_Q_PRICE_PRODUCT], ==, "Java SE");
	g_assert_cmpfloat (g_ascii_strtod (r[TU_Q_PRICE_UNIT_COST], NULL), ==, 180.0);
}

/* A purchase of paid extended support: the extended_support column is "yes" or a catalogue
 * product id (kept in lower case), "no" an ordinary entitlement; anything else is refused
 * with its line and column. The licence engine's input leaves purchases out. */
static void
test_extended_support (void)
{
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	static const char head[] = "id,publisher,product,metric,quantity,start,end,scope,"
				   "extended_support\n";
	g_autofree char *good =
		g_strconcat (head,
			     "ESU-Y1,Microsoft,Windows,device,1,2025-10-15,2026-10-13,"
			     "cost_centre=OPS-410,yes\n",
			     "ESU-Y2,Microsoft,Windows,device,1,2026-10-14,,group=esu,Windows\n",
			     "WIN-NO,Microsoft,Windows,device,3,,,,no\n", NULL);
	g_autofree char *path = write_file ("esu.csv", good);
	g_autoptr(GError) error = NULL;
	TuImportStats st = {0};
	g_assert_true (tu_import_entitlements (db, norm, path, &st, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.n_rows, ==, 3);
	g_autoptr(GHashTable) stored =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(TuRows) rows = tu_query_entitlements (db);
	char **r;
	while ((r = tu_rows_next (rows, &error)) != NULL)
		g_hash_table_insert (stored, g_strdup (r[TU_Q_ENT_ID]),
				     g_strdup (tu_cell_str (r, TU_Q_ENT_EXTENDED)));
	g_assert_no_error (error);
	g_assert_cmpstr (g_hash_table_lookup (stored, "ESU-Y1"), ==, "yes");
	g_assert_cmpstr (g_hash_table_lookup (stored, "ESU-Y2"), ==, "windows");
	g_assert_cmpstr (g_hash_table_lookup (stored, "WIN-NO"), ==, "");

	g_autoptr(TuLicenceInput) in = tu_licence_load (db, norm, tu_date_today (), &error);
	g_assert_no_error (error);
	gboolean seen_licence = FALSE;
	for (guint i = 0; i < in->entitlements->len; i++) {
		const TuEntitlement *e = g_ptr_array_index (in->entitlements, i);
		g_assert_false (g_str_has_prefix (e->id, "ESU-"));
		seen_licence |= g_strcmp0 (e->id, "WIN-NO") == 0;
	}
	g_assert_true (seen_licence);

	g_autofree char *bad = g_strconcat (
		head, "ESU-Y3,Microsoft,Windows,device,1,2025-10-15,,,Windows 10!\n", NULL);
	g_autofree char *bad_path = write_file ("esu-bad.csv", bad);
	g_assert_false (tu_import_entitlements (db, norm, bad_path, &st, &error));
	g_assert_nonnull (error);
	if (strstr (error->message, ":2: column extended_support: ") == NULL)
		g_error ("expected line 2, column extended_support: %s", error->message);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	norm = tu_normaliser_new (NULL, NULL);
	g_assert_nonnull (norm);
	dir = tu_test_mkdtemp ();
	g_test_add_func ("/trueup/licence-import/contracts-entitlements-stored-and-updated",
			 test_entitlements_and_contracts);
	g_test_add_func ("/trueup/licence-import/bad-row-stores-nothing-names-line-column",
			 test_bad_row_stores_nothing);
	g_test_add_func ("/trueup/licence-import/extended-support-purchases",
			 test_extended_support);
	g_test_add_func ("/trueup/licence-import/host-attributes-and-prices",
			 test_hosts_and_prices);
	int rc = g_test_run ();
	tu_test_store_close ();
	tu_test_rmtree (dir);
	g_free (dir);
	tu_normaliser_free (norm);
	return rc;
}
