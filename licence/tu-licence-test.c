/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The licence engine on hand-computed estates: each metric, each right (edition, downgrade,
 * maintenance, scope, dates), the first-fit trap, needs-data, costs and reasons. The engine is
 * pure, so these run without a database.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-flow.h"
#include "tu-licence.h"
#include "tu-rules.h"

static const char *rules_text =
	"product Microsoft / Office\n"
	"  editions Professional Plus > Standard\n"
	"  base Standard\n"
	"  releases 2016 < 2019 < 2021\n"
	"  released 2016 2015-09-22\n"
	"  released 2019 2018-09-24\n"
	"  released 2021 2021-10-05\n"
	"product Microsoft / SQL Server\n"
	"  editions Enterprise > Standard > Web\n"
	"  free Express, Developer\n"
	"  metric core\n";

static TuRuleSet *
make_rules (void)
{
	TuRuleSet *set = tu_rule_set_new ();
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_rule_set_add_file (set, "test.rules", rules_text, strlen (rules_text), FALSE,
					     &error));
	g_assert_no_error (error);
	g_assert_true (tu_rule_set_finish (set, &error));
	return set;
}

typedef struct {
	TuLicenceInput *in;
	TuRuleSet *rules;
} Estate;

static void
estate_init (Estate *e, const char *at)
{
	e->in = tu_licence_input_new ();
	e->rules = make_rules ();
	e->in->rules = e->rules;
	g_assert_true (tu_date_parse (at, &e->in->at, "at", NULL));
}

static void
estate_clear (Estate *e)
{
	tu_licence_input_free (e->in);
	tu_rule_set_free (e->rules);
}

static guint
host (Estate *e, const char *name, gint cores, gint sockets)
{
	TuLicHost *h = tu_lic_host_new (e->in->hosts->len + 1, name);
	h->cores = cores;
	h->sockets = sockets;
	g_ptr_array_add (e->in->hosts, h);
	return e->in->hosts->len - 1;
}

static guint
install (Estate *e, guint h, const char *product, const char *edition, const char *release)
{
	TuLicInstall *i = tu_lic_install_new (e->in->installs->len + 1, h, "Microsoft", product, edition,
					      release);
	i->raw_name = g_strdup_printf ("%s %s %s", product, edition, release);
	g_ptr_array_add (e->in->installs, i);
	return e->in->installs->len - 1;
}

static TuEntitlement *
ent (Estate *e, const char *id, const char *product, const char *edition, TuMetric m, gint64 q)
{
	TuEntitlement *x = tu_entitlement_new (id, "Microsoft", product, edition, m, q);
	g_ptr_array_add (e->in->entitlements, x);
	return x;
}

static const TuPositionRow *
row (TuLicencePosition *pos, const char *product, const char *edition, TuMetric m)
{
	for (guint i = 0; i < pos->rows->len; i++) {
		const TuPositionRow *r = g_ptr_array_index (pos->rows, i);
		if (g_strcmp0 (r->product, product) == 0 && g_strcmp0 (r->edition, edition) == 0 &&
		    r->metric == m)
			return r;
	}
	g_error ("no row %s %s %s", product, edition, tu_metric_to_string (m));
	return NULL;
}

/* The verdict on the installation at @install_index of the input (verdicts come in the
 * engine's order, not the input's). */
static const TuVerdict *
verdict (TuLicencePosition *pos, guint install_index)
{
	for (guint i = 0; i < pos->verdicts->len; i++) {
		const TuVerdict *v = g_ptr_array_index (pos->verdicts, i);
		if (v->install == install_index)
			return v;
	}
	g_error ("no verdict on installation %u", install_index);
	return NULL;
}

static guint32
date (const char *s)
{
	guint32 j = 0;
	g_assert_true (tu_date_parse (s, &j, "date", NULL));
	return j;
}

static void
test_flow_basic (void)
{
	/* two sources of demand, two pools; max flow 5 */
	g_autoptr(TuFlow) f = tu_flow_new (6);
	tu_flow_add_edge (f, 0, 1, 3, 0);
	tu_flow_add_edge (f, 0, 2, 2, 0);
	guint a = tu_flow_add_edge (f, 1, 3, 100, 0);
	tu_flow_add_edge (f, 2, 3, 100, 1);
	tu_flow_add_edge (f, 2, 4, 100, 0);
	tu_flow_add_edge (f, 3, 5, 3, 0);
	tu_flow_add_edge (f, 4, 5, 2, 0);
	gint64 cost = 0;
	g_assert_cmpint (tu_flow_solve (f, 0, 5, &cost), ==, 5);
	g_assert_cmpint (cost, ==, 0);
	g_assert_cmpint (tu_flow_edge_flow (f, a), ==, 3);
}

/* 3 Professional Plus and 2 Standard licences; 2 Standard and 3 Professional Plus
 * installations: all covered, in whatever order they come. */
static void
test_greedy_trap (void)
{
	for (guint order = 0; order < 2; order++) {
		Estate e;
		estate_init (&e, "2026-06-01");
		const char *editions[5];
		/* S S P P P, then P P P S S */
		for (guint i = 0; i < 5; i++)
			editions[i] = (order == 0 ? i < 2 : i >= 3) ? "Standard" : "Professional Plus";
		for (guint i = 0; i < 5; i++) {
			g_autofree char *name = g_strdup_printf ("pc%u", i);
			install (&e, host (&e, name, 4, 1), "Office", editions[i], "2019");
		}
		/* the licences in both orders too */
		if (order == 0) {
			ent (&e, "PP", "Office", "Professional Plus", TU_METRIC_DEVICE, 3);
			ent (&e, "STD", "Office", "Standard", TU_METRIC_DEVICE, 2);
		} else {
			ent (&e, "STD", "Office", "Standard", TU_METRIC_DEVICE, 2);
			ent (&e, "PP", "Office", "Professional Plus", TU_METRIC_DEVICE, 3);
		}
		g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
		const TuPositionRow *pp = row (pos, "Office", "Professional Plus", TU_METRIC_DEVICE);
		const TuPositionRow *std = row (pos, "Office", "Standard", TU_METRIC_DEVICE);
		g_assert_cmpint (pp->required, ==, 3);
		g_assert_cmpint (pp->entitled, ==, 3);
		g_assert_cmpint (pp->shortfall, ==, 0);
		g_assert_cmpint (std->required, ==, 2);
		g_assert_cmpint (std->shortfall, ==, 0);
		g_assert_cmpint (std->surplus, ==, 0);
		for (guint i = 0; i < 5; i++)
			g_assert_cmpint (verdict (pos, i)->status, ==, TU_VERDICT_COVERED);
		estate_clear (&e);
	}
}

/* 2 Standard licences for 3 Standard installs: Professional Plus covers the third. */
static void
test_edition_hierarchy (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	for (guint i = 0; i < 3; i++) {
		g_autofree char *n = g_strdup_printf ("h%u", i);
		install (&e, host (&e, n, 4, 1), "Office", "Standard", "2019");
	}
	guint pp_inst = install (&e, host (&e, "h9", 4, 1), "Office", "Professional Plus", "2019");
	ent (&e, "STD", "Office", "Standard", TU_METRIC_DEVICE, 2);
	ent (&e, "PP", "Office", "Professional Plus", TU_METRIC_DEVICE, 1);
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	/* PP may cover Standard, but then the PP install is short: one short in all */
	const TuPositionRow *std = row (pos, "Office", "Standard", TU_METRIC_DEVICE);
	const TuPositionRow *pp = row (pos, "Office", "Professional Plus", TU_METRIC_DEVICE);
	g_assert_cmpint (std->shortfall + pp->shortfall, ==, 1);
	/* the closer edition is preferred: the PP install keeps the PP licence */
	g_assert_cmpint (pp->shortfall, ==, 0);
	g_assert_cmpint (verdict (pos, pp_inst)->status, ==, TU_VERDICT_COVERED);
	g_assert_cmpint (std->shortfall, ==, 1);
	/* a Standard licence never covers Professional Plus */
	Estate f;
	estate_init (&f, "2026-06-01");
	install (&f, host (&f, "x", 4, 1), "Office", "Professional Plus", "2019");
	ent (&f, "STD", "Office", "Standard", TU_METRIC_DEVICE, 5);
	g_autoptr(TuLicencePosition) pos2 = tu_licence_compute (f.in);
	const TuVerdict *v = verdict (pos2, 0);
	g_assert_cmpint (v->status, ==, TU_VERDICT_UNCOVERED);
	g_assert_nonnull (strstr (v->reason, "no entitlement for this edition (Professional Plus)"));
	g_assert_cmpint (row (pos2, "Office", "Standard", TU_METRIC_DEVICE)->surplus, ==, 5);
	estate_clear (&e);
	estate_clear (&f);
}

static void
test_device_counts_host_once (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	guint h = host (&e, "dev1", 4, 1);
	install (&e, h, "Office", "Standard", "2019");
	install (&e, h, "Office", "Standard", "2019");
	install (&e, host (&e, "dev2", 4, 1), "Office", "Standard", "2019");
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	/* no entitlement at all: the product is still listed, device by default */
	const TuPositionRow *r = row (pos, "Office", "Standard", TU_METRIC_DEVICE);
	g_assert_cmpint (r->required, ==, 2);
	g_assert_cmpint (r->entitled, ==, 0);
	g_assert_cmpint (r->shortfall, ==, 2);
	g_assert_cmpint (r->n_installs, ==, 3);
	g_assert_cmpint (r->n_hosts, ==, 2);
	g_assert_nonnull (strstr (verdict (pos, 0)->reason, "no entitlement for Microsoft Office"));
	estate_clear (&e);
}

static void
test_install_metric (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	guint h = host (&e, "dev1", 4, 1);
	install (&e, h, "Visio", "", "");
	install (&e, h, "Visio", "", "");
	install (&e, host (&e, "dev2", 4, 1), "Visio", "", "");
	TuEntitlement *x = ent (&e, "V", "Visio", "", TU_METRIC_INSTALL, 2);
	x->has_unit_cost = TRUE;
	x->unit_cost = 300;
	x->currency = g_strdup ("EUR");
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	const TuPositionRow *r = row (pos, "Visio", "", TU_METRIC_INSTALL);
	g_assert_cmpint (r->required, ==, 3);
	g_assert_cmpint (r->shortfall, ==, 1);
	g_assert_true (r->has_cost);
	g_assert_cmpfloat (r->shortfall_cost, ==, 300);
	g_assert_cmpstr (r->currency, ==, "EUR");
	guint n_uncovered = 0;
	for (guint i = 0; i < 3; i++) {
		if (verdict (pos, i)->status == TU_VERDICT_UNCOVERED) {
			n_uncovered++;
			g_assert_cmpstr (verdict (pos, i)->reason, ==, "all 2 licences of V used");
		}
	}
	g_assert_cmpuint (n_uncovered, ==, 1);
	g_assert_cmpuint (pos->warnings->len, ==, 0); /* one currency: nothing to say */
	estate_clear (&e);
}

/* One product bought in two currencies: the shortfall is costed in one of them (the latest
 * entitlement's), and the position says so instead of adding euros to dollars in silence. */
static void
test_two_currencies_warn (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	for (guint i = 0; i < 4; i++) {
		g_autofree char *name = g_strdup_printf ("dev%u", i);
		install (&e, host (&e, name, 4, 1), "Visio", "", "");
	}
	TuEntitlement *a = ent (&e, "V-EU", "Visio", "", TU_METRIC_INSTALL, 1);
	a->has_unit_cost = TRUE;
	a->unit_cost = 300;
	a->currency = g_strdup ("EUR");
	TuEntitlement *b = ent (&e, "V-US", "Visio", "", TU_METRIC_INSTALL, 1);
	b->has_unit_cost = TRUE;
	b->unit_cost = 350;
	b->currency = g_strdup ("USD");
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	const TuPositionRow *r = row (pos, "Visio", "", TU_METRIC_INSTALL);
	g_assert_cmpint (r->shortfall, ==, 2);
	g_assert_true (r->has_cost);
	g_assert_cmpuint (pos->warnings->len, ==, 1);
	const char *w = tu_warnings_text (pos->warnings, 0);
	g_test_message ("%s", w);
	g_assert_nonnull (strstr (w, "Visio"));
	g_assert_nonnull (strstr (w, "EUR"));
	g_assert_nonnull (strstr (w, "USD"));
	g_assert_nonnull (strstr (w, r->currency));
	g_assert_nonnull (strstr (w, "without conversion"));
	estate_clear (&e);
}

static void
test_user_metric (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	const char *owners[] = {"alice", "alice", "ALICE", "bob", NULL, NULL};
	for (guint i = 0; i < G_N_ELEMENTS (owners); i++) {
		g_autofree char *n = g_strdup_printf ("u%u", i);
		guint h = host (&e, n, 4, 1);
		TuLicHost *hh = g_ptr_array_index (e.in->hosts, h);
		hh->owner = g_strdup (owners[i]);
		install (&e, h, "Project", "", "");
	}
	ent (&e, "P", "Project", "", TU_METRIC_USER, 10);
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	/* alice (3 hosts) 1, bob 1, two hosts without owner 1 each */
	const TuPositionRow *r = row (pos, "Project", "", TU_METRIC_USER);
	g_assert_cmpint (r->required, ==, 4);
	g_assert_cmpint (r->surplus, ==, 6);
	estate_clear (&e);
}

static void
test_processor_and_needs_data (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	install (&e, host (&e, "db1", 16, 2), "Oracle Database", "Enterprise", "19c");
	install (&e, host (&e, "db2", 8, 1), "Oracle Database", "Enterprise", "19c");
	guint unknown = install (&e, host (&e, "db3", -1, -1), "Oracle Database", "Enterprise", "19c");
	ent (&e, "ORA", "Oracle Database", "Enterprise", TU_METRIC_PROCESSOR, 2);
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	const TuPositionRow *r = row (pos, "Oracle Database", "Enterprise", TU_METRIC_PROCESSOR);
	g_assert_cmpint (r->required, ==, 3);
	g_assert_cmpint (r->entitled, ==, 2);
	g_assert_cmpint (r->shortfall, ==, 1);
	g_assert_cmpint (r->needs_data, ==, 1);
	const TuVerdict *v = verdict (pos, unknown);
	g_assert_cmpint (v->status, ==, TU_VERDICT_NEEDS_DATA);
	g_assert_nonnull (strstr (v->reason, "sockets) of db3 is unknown"));
	estate_clear (&e);
}

static void
test_core_metric (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	/* 2 cores x 1.0 with a minimum of 4 -> 4; 12 cores -> 12; 16 cores -> 16 */
	install (&e, host (&e, "sql-small", 2, 1), "SQL Server", "Standard", "2019");
	install (&e, host (&e, "sql-mid", 12, 1), "SQL Server", "Standard", "2019");
	guint big = install (&e, host (&e, "sql-big", 16, 2), "SQL Server", "Enterprise", "2019");
	TuEntitlement *s = ent (&e, "E-11", "SQL Server", "Standard", TU_METRIC_CORE, 16);
	s->min_cores = 4;
	TuEntitlement *x = ent (&e, "E-12", "SQL Server", "Enterprise", TU_METRIC_CORE, 8);
	x->min_cores = 4;
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	const TuPositionRow *std = row (pos, "SQL Server", "Standard", TU_METRIC_CORE);
	g_assert_cmpint (std->required, ==, 16);
	g_assert_cmpint (std->shortfall, ==, 0);
	const TuPositionRow *ent_row = row (pos, "SQL Server", "Enterprise", TU_METRIC_CORE);
	g_assert_cmpint (ent_row->required, ==, 16);
	g_assert_cmpint (ent_row->entitled, ==, 8);
	g_assert_cmpint (ent_row->shortfall, ==, 8);
	const TuVerdict *v = verdict (pos, big);
	g_assert_cmpint (v->status, ==, TU_VERDICT_PARTIAL);
	g_assert_cmpint (v->covered, ==, 8);
	g_assert_nonnull (strstr (v->reason, "all 8 cores of E-12 used"));
	/* a core factor of 0.5 halves the requirement, rounded up */
	g_ptr_array_set_size (e.in->entitlements, 0);
	TuEntitlement *half = ent (&e, "E-13", "SQL Server", "Enterprise", TU_METRIC_CORE, 100);
	half->core_factor = 0.5;
	g_autoptr(TuLicencePosition) pos2 = tu_licence_compute (e.in);
	/* Enterprise covers the Standard installs too; each row counts its own edition */
	g_assert_cmpint (row (pos2, "SQL Server", "Enterprise", TU_METRIC_CORE)->required, ==, 8);
	g_assert_cmpint (row (pos2, "SQL Server", "Standard", TU_METRIC_CORE)->required, ==, 1 + 6);
	g_assert_cmpint (row (pos2, "SQL Server", "Standard", TU_METRIC_CORE)->shortfall, ==, 0);
	g_assert_cmpint (row (pos2, "SQL Server", "Enterprise", TU_METRIC_CORE)->surplus, ==, 100 - 15);
	estate_clear (&e);
}

static void
test_site_and_scope (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	guint lon = host (&e, "lon1", 4, 1), par = host (&e, "par1", 4, 1);
	((TuLicHost *) g_ptr_array_index (e.in->hosts, lon))->site = g_strdup ("London");
	((TuLicHost *) g_ptr_array_index (e.in->hosts, par))->site = g_strdup ("Paris");
	install (&e, lon, "Visio", "", "");
	guint pi = install (&e, par, "Visio", "", "");
	TuEntitlement *s = ent (&e, "SITE-LON", "Visio", "", TU_METRIC_SITE, 1);
	g_free (s->scope);
	s->scope = g_strdup ("site=London");
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	g_assert_cmpint (verdict (pos, 0)->status, ==, TU_VERDICT_COVERED);
	const TuVerdict *v = verdict (pos, pi);
	g_assert_cmpint (v->status, ==, TU_VERDICT_UNCOVERED);
	g_assert_cmpstr (v->reason, ==, "out of scope site=London");
	const TuPositionRow *site = row (pos, "Visio", "", TU_METRIC_SITE);
	g_assert_true (site->is_unlimited);
	g_assert_cmpint (site->shortfall, ==, 0);
	estate_clear (&e);
}

static void
test_release_rights (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	guint old = install (&e, host (&e, "a", 4, 1), "Office", "Standard", "2016");
	guint mid = install (&e, host (&e, "b", 4, 1), "Office", "Standard", "2019");
	guint new_ = install (&e, host (&e, "c", 4, 1), "Office", "Standard", "2021");
	TuEntitlement *x = ent (&e, "O19", "Office", "Standard", TU_METRIC_DEVICE, 10);
	g_free (x->release);
	x->release = g_strdup ("2019");
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	g_assert_cmpint (verdict (pos, old)->status, ==, TU_VERDICT_COVERED); /* downgrade */
	g_assert_cmpint (verdict (pos, mid)->status, ==, TU_VERDICT_COVERED);
	g_assert_cmpint (verdict (pos, new_)->status, ==, TU_VERDICT_UNCOVERED);
	g_assert_nonnull (strstr (verdict (pos, new_)->reason, "without maintenance"));

	/* no downgrade rights */
	x->downgrade = FALSE;
	g_autoptr(TuLicencePosition) pos2 = tu_licence_compute (e.in);
	g_assert_cmpint (verdict (pos2, old)->status, ==, TU_VERDICT_UNCOVERED);
	g_assert_nonnull (strstr (verdict (pos2, old)->reason, "without downgrade rights"));

	/* maintenance to 2021-12-31 covers 2021 (released 2021-10-05) */
	x->downgrade = TRUE;
	x->maintenance_end = date ("2021-12-31");
	g_autoptr(TuLicencePosition) pos3 = tu_licence_compute (e.in);
	g_assert_cmpint (verdict (pos3, new_)->status, ==, TU_VERDICT_COVERED);
	/* ... but maintenance that ended before 2021 came out does not */
	x->maintenance_end = date ("2021-06-30");
	g_autoptr(TuLicencePosition) pos4 = tu_licence_compute (e.in);
	g_assert_cmpint (verdict (pos4, new_)->status, ==, TU_VERDICT_UNCOVERED);
	g_assert_nonnull (strstr (verdict (pos4, new_)->reason, "maintenance of O19 ended 2021-06-30"));
	estate_clear (&e);
}

static void
test_dates (void)
{
	Estate e;
	estate_init (&e, "2026-01-15");
	install (&e, host (&e, "a", 4, 1), "Project", "", "");
	TuEntitlement *x = ent (&e, "SUB", "Project", "", TU_METRIC_DEVICE, 1);
	x->start = date ("2025-01-01");
	x->end = date ("2025-12-31");
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	g_assert_cmpint (verdict (pos, 0)->status, ==, TU_VERDICT_UNCOVERED);
	g_assert_cmpstr (verdict (pos, 0)->reason, ==, "subscription ended 2025-12-31 (SUB)");
	g_assert_false (((TuEntitlementUse *) g_ptr_array_index (pos->uses, 0))->is_active);
	/* as of the last day of the subscription, covered */
	e.in->at = date ("2025-12-31");
	g_autoptr(TuLicencePosition) pos2 = tu_licence_compute (e.in);
	g_assert_cmpint (verdict (pos2, 0)->status, ==, TU_VERDICT_COVERED);
	/* before it starts */
	e.in->at = date ("2024-12-31");
	g_autoptr(TuLicencePosition) pos3 = tu_licence_compute (e.in);
	g_assert_cmpstr (verdict (pos3, 0)->reason, ==, "entitlement SUB starts 2025-01-01");
	estate_clear (&e);
}

static void
test_tie_break_soonest_end (void)
{
	Estate e;
	estate_init (&e, "2026-06-01");
	install (&e, host (&e, "a", 4, 1), "Visio", "", "");
	TuEntitlement *late = ent (&e, "A-LATE", "Visio", "", TU_METRIC_DEVICE, 1);
	late->end = date ("2028-01-01");
	TuEntitlement *soon = ent (&e, "B-SOON", "Visio", "", TU_METRIC_DEVICE, 1);
	soon->end = date ("2027-01-01");
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	g_assert_cmpstr (verdict (pos, 0)->entitlements, ==, "B-SOON");
	estate_clear (&e);
}

/* One estate where the order matters (two users for one Illustrator licence, two SQL Server
 * hosts for too few cores, a user counted on two hosts, a host with two releases of one
 * product), built in input order @forward or reversed, with other ids: the store assigns host
 * ids in whatever order parallel scans finish. Returns the verdicts as text, in the order the
 * engine gives them. */
static char *
order_estate_verdicts (gboolean forward)
{
	static const struct {
		const char *host, *owner, *product, *edition, *release;
		gint cores;
	} rows[] = {
		{"lon-mac-01", "sam", "Illustrator", "", "", 8},
		{"par-mac-02", "chloe", "Illustrator", "", "", 8},
		{"par-ws-07", "chloe", "Photoshop", "", "2024", 4},
		{"par-mac-02", "chloe", "Photoshop", "", "2024", 8},
		{"lon-sql-01", NULL, "SQL Server", "Standard", "2019", 24},
		{"par-sql-02", NULL, "SQL Server", "Standard", "2019", 8},
		{"lon-ws-41", "tom", "Office", "Standard", "2016", 4},
		{"lon-ws-41", "tom", "Office", "Standard", "2019", 4},
		{"nyc-ws-05", "emma", "Office", "Standard", "2019", 4},
	};
	Estate e;
	estate_init (&e, "2026-06-01");
	g_autoptr(GHashTable) hosts = g_hash_table_new (g_str_hash, g_str_equal);
	guint n = G_N_ELEMENTS (rows);
	for (guint k = 0; k < n; k++) {
		guint i = forward ? k : n - 1 - k;
		gpointer hi = NULL;
		if (!g_hash_table_lookup_extended (hosts, rows[i].host, NULL, &hi)) {
			guint h = host (&e, rows[i].host, rows[i].cores, 1);
			TuLicHost *hh = g_ptr_array_index (e.in->hosts, h);
			hh->id = forward ? 100 + h : 900 - h;
			hh->owner = g_strdup (rows[i].owner);
			hi = GUINT_TO_POINTER (h);
			g_hash_table_insert (hosts, (gpointer) rows[i].host, hi);
		}
		guint x = install (&e, GPOINTER_TO_UINT (hi), rows[i].product, rows[i].edition,
				   rows[i].release);
		TuLicInstall *inst = g_ptr_array_index (e.in->installs, x);
		inst->id = forward ? 1000 + x : 9000 - x;
	}
	ent (&e, "AI", "Illustrator", "", TU_METRIC_USER, 1);
	ent (&e, "PS", "Photoshop", "", TU_METRIC_USER, 1);
	ent (&e, "SQL-STD", "SQL Server", "Standard", TU_METRIC_CORE, 8);
	ent (&e, "SQL-ENT", "SQL Server", "Enterprise", TU_METRIC_CORE, 16);
	ent (&e, "OFF", "Office", "Standard", TU_METRIC_DEVICE, 1);
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (e.in);
	GString *out = g_string_new (NULL);
	for (guint i = 0; i < pos->verdicts->len; i++) {
		const TuVerdict *v = g_ptr_array_index (pos->verdicts, i);
		const TuLicInstall *inst = g_ptr_array_index (e.in->installs, v->install);
		const TuLicHost *h = g_ptr_array_index (e.in->hosts, inst->host);
		g_string_append_printf (out,
					"%s %s %s %s: %s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
					" [%s] %s\n",
					h->name, inst->product, inst->edition, inst->release,
					tu_verdict_status_to_string (v->status), v->covered,
					v->units, v->entitlements, v->reason);
	}
	estate_clear (&e);
	return g_string_free (out, FALSE);
}

/* The verdicts, their order and which installation gets the last licence are the same
 * whatever order the installations come in and whatever ids the store gave them. */
static void
test_order_defined (void)
{
	g_autofree char *forward = order_estate_verdicts (TRUE);
	g_autofree char *reversed = order_estate_verdicts (FALSE);
	g_assert_cmpstr (forward, ==, reversed);
	/* by host name: the first host alphabetically, not the first stored, gets the licence */
	g_assert_true (g_str_has_prefix (forward, "lon-mac-01 Illustrator  : covered 1/1 [AI]"));
	g_assert_nonnull (strstr (forward, "\npar-mac-02 Illustrator  : uncovered 0/1"));
	g_assert_nonnull (strstr (forward, "\nlon-sql-01 SQL Server Standard 2019: "));
	const char *lon = strstr (forward, "\nlon-ws-41 Office Standard 2016");
	const char *lon2 = strstr (forward, "\nlon-ws-41 Office Standard 2019");
	const char *nyc = strstr (forward, "\nnyc-ws-05");
	g_assert_true (lon != NULL && lon2 != NULL && nyc != NULL && lon < lon2 && lon2 < nyc);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/licence/flow/max-flow", test_flow_basic);
	g_test_add_func ("/trueup/licence/first-fit-trap-fully-covered", test_greedy_trap);
	g_test_add_func ("/trueup/licence/edition-hierarchy", test_edition_hierarchy);
	g_test_add_func ("/trueup/licence/device-counts-host-once", test_device_counts_host_once);
	g_test_add_func ("/trueup/licence/install-metric-and-cost", test_install_metric);
	g_test_add_func ("/trueup/licence/user-metric-by-owner", test_user_metric);
	g_test_add_func ("/trueup/licence/processor-and-needs-data", test_processor_and_needs_data);
	g_test_add_func ("/trueup/licence/core-factor-minimum-partial", test_core_metric);
	g_test_add_func ("/trueup/licence/site-and-scope", test_site_and_scope);
	g_test_add_func ("/trueup/licence/downgrade-and-maintenance", test_release_rights);
	g_test_add_func ("/trueup/licence/subscription-dates", test_dates);
	g_test_add_func ("/trueup/licence/ties-soonest-end-first", test_tie_break_soonest_end);
	g_test_add_func ("/trueup/licence/two-currencies-warn", test_two_currencies_warn);
	g_test_add_func ("/trueup/licence/order-defined-whatever-the-input-order",
			 test_order_defined);
	return g_test_run ();
}
