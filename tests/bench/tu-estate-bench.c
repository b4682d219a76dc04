/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The synthetic estate and the scale benchmarks.
 *
 *   tu-estate-bench [--hosts N] [--installs M] [--data-dir DIR] [--keep]
 *   tu-estate-bench --patch-only --data-dir DIR    (patch again over an estate kept by --keep)
 *
 * Generates N hosts x M installations (default 1,000 x 1,500) that look like an estate:
 * Windows workstations and servers with real Uninstall names (Office editions and releases,
 * Visio, Project, Acrobat, SQL Server with cores, Windows Server), Linux servers with Debian
 * package names and versions, a realistic share of licensable software; entitlements near the
 * demand (some short, some surplus); and a few hundred thousand advisory ranges for the
 * packages. Every installation goes through the real ingest path (tu_ingest_run: the pool,
 * the normaliser and TuStore, one transaction per host), then the licence position and the patch position are computed.
 * Prints rows/s for ingest and seconds for each phase, with references measured in the same
 * run: for reconcile and patch, reading every installation as they did before their
 * projections (migrations 0008 and 0009), and a bare hash lookup per installation; the peak
 * memory of the run. The generator is deterministic (fixed seed), so runs compare.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tu-catalog.h"
#include "tu-common.h"
#include "tu-sql.h"
#include "tu-ingest.h"
#include "tu-licence.h"
#include "tu-migrate.h"
#include "tu-normaliser.h"
#include "tu-patch.h"
#include "tu-query.h"
#include "tu-store.h"
#include "tu-test-util.h"
#include "tu-writer.h"

typedef struct {
	const char *name;
	const char *publisher;
	const char *version;
} Sw;

/* licensable Windows software, as installers name it */
static const Sw office[] = {
	{"Microsoft Office Professional Plus 2019 - en-us", "Microsoft Corporation", "16.0.10827.20138"},
	{"Microsoft Office Standard 2019 - en-us", "Microsoft Corporation", "16.0.10827.20138"},
	{"Microsoft Office Professional Plus 2021 - en-us", "Microsoft Corporation", "16.0.14332.20358"},
	{"Microsoft Office Standard 2016", "Microsoft Corporation", "16.0.4266.1001"},
	{"Microsoft Office LTSC Professional Plus 2021 - en-us", "Microsoft Corporation", "16.0.14332.20447"},
};
static const Sw extras[] = {
	{"Microsoft Visio Professional 2019 - en-us", "Microsoft Corporation", "16.0.10827.20138"},
	{"Microsoft Project Professional 2019 - en-us", "Microsoft Corporation", "16.0.10827.20138"},
	{"Adobe Acrobat DC (64-bit)", "Adobe Inc.", "23.006.20360"},
	{"Adobe Photoshop 2024", "Adobe Inc.", "25.1.0"},
	{"WinRAR 6.24 (64-bit)", "win.rar GmbH", "6.24.0"},
	{"TeamViewer", "TeamViewer", "15.48.5"},
};
static const Sw server_sw[] = {
	{"Microsoft SQL Server 2019 (64-bit)", "Microsoft Corporation", "15.0.2000.5"},
	{"SQL Server 2019 Database Engine Services", "Microsoft Corporation", "15.0.2000.5"},
	{"SQL Server 2019 Common Files", "Microsoft Corporation", "15.0.2000.5"},
};

static guint32
rnd (guint32 *state)
{
	/* xorshift32: fast and deterministic */
	guint32 x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* a pool of Debian-like packages: name, versions */
typedef struct {
	char *name;
	char *src;
	char *versions[3];
} Pkg;

static GPtrArray *
make_pool (guint n)
{
	GPtrArray *pool = g_ptr_array_new ();
	static const char *const stems[] = {"lib", "python3-", "golang-", "node-", "r-cran-", "fonts-",
					    "", "gir1.2-", "lib", "perl-"};
	guint32 s = 12345;
	for (guint i = 0; i < n; i++) {
		Pkg *p = g_new0 (Pkg, 1);
		p->name = g_strdup_printf ("%spkg%u", stems[i % G_N_ELEMENTS (stems)], i);
		p->src = g_strdup_printf ("src%u", i / 3);
		for (guint v = 0; v < 3; v++)
			p->versions[v] = g_strdup_printf ("%u.%u.%u-%u+deb12u%u", 1 + rnd (&s) % 9,
							  rnd (&s) % 20, rnd (&s) % 30, 1 + rnd (&s) % 3, v);
		g_ptr_array_add (pool, p);
	}
	return pool;
}

static void
add (TuHostScan *scan, TuSource source, const char *name, const char *version,
     const char *publisher, const char *srcpkg, const char *arch)
{
	TuRecord r = TU_RECORD_INIT;
	r.source = source;
	r.raw_name = name;
	r.raw_version = version;
	r.raw_publisher = publisher;
	r.source_package = srcpkg;
	r.arch = arch;
	tu_record_list_add (scan->records, &r);
}

static TuHostScan *
make_host (guint i, guint installs, GPtrArray *pool, gint64 now_us)
{
	guint32 s = 0x9e3779b9u ^ (i * 2654435761u);
	rnd (&s);
	gboolean windows = i % 10 < 6;
	gboolean server = i % 20 == 0;
	g_autofree char *name = g_strdup_printf ("%s%05u", windows ? (server ? "srv" : "pc") : "lnx", i);
	TuHostScan *scan = tu_host_scan_new ("bench");
	scan->started_us = now_us;
	tu_host_facts_set (&scan->facts.hostname, name);
	g_autofree char *mid = g_strdup_printf ("%032x", i + 1);
	tu_host_facts_set (&scan->facts.machine_id, mid);
	tu_host_facts_set (&scan->facts.os_id, windows ? "windows" : "debian");
	tu_host_facts_set (&scan->facts.os_version_id, windows ? "10.0" : "12");
	scan->facts.sockets = server ? 2 : 1;
	scan->facts.cores = server ? (gint) (8 + (i % 4) * 8) : 4;
	guint n = 0;
	if (windows) {
		const Sw *o = &office[rnd (&s) % G_N_ELEMENTS (office)];
		add (scan, TU_SOURCE_WINDOWS, o->name, o->version, o->publisher, NULL, "x64");
		n++;
		for (guint k = 0; k < G_N_ELEMENTS (extras); k++) {
			if (rnd (&s) % 100 < 15) {
				add (scan, TU_SOURCE_WINDOWS, extras[k].name, extras[k].version,
				     extras[k].publisher, NULL, "x64");
				n++;
			}
		}
		if (server) {
			for (guint k = 0; k < G_N_ELEMENTS (server_sw); k++, n++)
				add (scan, TU_SOURCE_WINDOWS, server_sw[k].name, server_sw[k].version,
				     server_sw[k].publisher, NULL, "x64");
		}
	}
	/* the rest from the package pool (Windows hosts get it as "windows" entries too: the
	 * row count and the distinct strings are what the benchmark is about) */
	guint start = rnd (&s) % pool->len;
	for (guint k = 0; n < installs; k++, n++) {
		const Pkg *p = g_ptr_array_index (pool, (start + k * 7) % pool->len);
		const char *v = p->versions[(i + k) % 7 == 0 ? 1 : 0];
		if (windows)
			add (scan, TU_SOURCE_WINDOWS, p->name, v, "Contoso Ltd", NULL, "x64");
		else
			add (scan, TU_SOURCE_DPKG, p->name, v, "Debian Maintainers <d@example.org>", p->src,
			     "amd64");
	}
	return scan;
}

/* CPU seconds of the whole process so far (every thread, the embedded server's included): on
 * this shared machine a figure that depends less on the other engineers' load than the clock. */
static double
cpu_seconds (void)
{
	struct rusage ru;
	getrusage (RUSAGE_SELF, &ru);
	return (double) ru.ru_utime.tv_sec + (double) ru.ru_stime.tv_sec +
	       ((double) ru.ru_utime.tv_usec + (double) ru.ru_stime.tv_usec) / 1e6;
}

static void
fail (GError *error)
{
	g_printerr ("estate-bench: %s\n", error->message);
	exit (1);
}

static void
add_entitlements (TuDb *db, guint hosts)
{
	g_autoptr(GError) error = NULL;
	/* near the demand: Office device licences per edition, SQL Server cores */
	guint pcs = hosts * 6 / 10;
	struct {
		const char *id, *product, *edition, *release, *metric;
		guint quantity;
	} ents[] = {
		{"B-PP19", "Office", "Professional Plus", "2019", "device", pcs / 5},
		{"B-STD19", "Office", "Standard", "2019", "device", pcs / 5 - 3},
		{"B-PP21", "Office", "Professional Plus", "2021", "device", pcs * 2 / 5 + 5},
		{"B-STD16", "Office", "Standard", "2016", "device", pcs / 5},
		{"B-VISIO", "Visio", "Professional", "2019", "device", pcs / 8},
		{"B-PROJ", "Project", "Professional", "2019", "device", pcs / 8},
		{"B-SQL", "SQL Server", "Enterprise", "2019", "core", hosts / 20 * 12},
	};
	for (guint i = 0; i < G_N_ELEMENTS (ents); i++) {
		g_autoptr(TuSql) q = tu_sql_new (
			db, "INSERT INTO entitlements (id, publisher, product, edition, product_release, "
			    "metric, quantity, unit_cost, currency, imported_at) VALUES (?, 'Microsoft', ?, "
			    "?, ?, ?, ?, 100, 'EUR', UTC_TIMESTAMP(6))");
		tu_sql_bind_str (q, ents[i].id);
		tu_sql_bind_str (q, ents[i].product);
		tu_sql_bind_str (q, ents[i].edition);
		tu_sql_bind_str (q, ents[i].release);
		tu_sql_bind_str (q, ents[i].metric);
		tu_sql_bind_int (q, ents[i].quantity);
		if (!tu_db_exec (db, tu_sql_get (q), &error))
			fail (error);
	}
}

/* advisories: a few per pool package, Debian 12, with fixed versions around the pool's */
static guint
add_advisories (TuDb *db, GPtrArray *pool, guint per_package)
{
	g_autoptr(GError) error = NULL;
	static const char *const vcols[] = {"id", "summary", "imported_at", NULL};
	static const char *const acols[] = {"vuln_id", "ecosystem", "ecosystem_base", "ecosystem_release",
					    "package", "package_key", "scheme", "ranges", NULL};
	g_autoptr(TuWriter) vw = tu_writer_new (db, "vulnerabilities", vcols, TU_WRITER_INSERT, NULL);
	g_autoptr(TuWriter) aw = tu_writer_new (db, "vuln_affected", acols, TU_WRITER_INSERT, NULL);
	guint n = 0;
	guint32 s = 777;
	for (guint i = 0; i < pool->len; i++) {
		const Pkg *p = g_ptr_array_index (pool, i);
		for (guint k = 0; k < per_package; k++, n++) {
			g_autofree char *id = g_strdup_printf ("DSA-BENCH-%u-%u", i, k);
			tu_writer_add_str (vw, id);
			tu_writer_add_str (vw, "synthetic advisory");
			tu_writer_add_str (vw, "2026-01-01 00:00:00");
			if (!tu_writer_end_row (vw, &error))
				fail (error);
			g_autofree char *ranges = g_strdup_printf (
				"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"%s\"}]}]",
				p->versions[rnd (&s) % 3]);
			tu_writer_add_str (aw, id);
			tu_writer_add_str (aw, "Debian:12");
			tu_writer_add_str (aw, "Debian");
			tu_writer_add_str (aw, "12");
			tu_writer_add_str (aw, p->src);
			tu_writer_add_str (aw, p->src);
			tu_writer_add_str (aw, "dpkg");
			tu_writer_add_str (aw, ranges);
			if (!tu_writer_end_row (aw, &error))
				fail (error);
		}
	}
	if (!tu_writer_flush (vw, &error) || !tu_writer_flush (aw, &error))
		fail (error);
	return n;
}

/* The estate as the ingest pool's targets: host @index generated in a worker thread. */
typedef struct {
	guint installs;
	GPtrArray *pool;
	gint64 now_us;
} Estate;

static GPtrArray *
estate_host (guint index, gpointer data)
{
	Estate *e = data;
	GPtrArray *scans = g_ptr_array_new ();
	g_ptr_array_add (scans, make_host (index, e->installs, e->pool, e->now_us));
	return scans;
}

/* A host the store refused ends the benchmark. */
static gboolean
stored_host (const TuHostScan *scan, const TuStoreStats *st, const GError *store_error,
	     gpointer data, GError **error)
{
	if (store_error != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s", store_error->message);
		return FALSE;
	}
	return TRUE;
}

/* The ingest's progress. */
typedef struct {
	double t0;
} Progress;

static void
ingest_progress (const TuIngestSummary *sum, gpointer data)
{
	Progress *p = data;
	if (sum->n_done % 1000 == 0)
		fprintf (stderr, "  %u hosts, %.0f rows/s\n", sum->n_done,
			 (double) sum->n_added / (tu_now_seconds () - p->t0));
}

static gboolean
count_row (const TuPatchRow *row, gpointer user_data, GError **error)
{
	(*(guint64 *) user_data)++;
	return TRUE;
}

/* Rows the server has inserted, updated and deleted so far (all tables; the handler
 * counters, as 10.11 has no Innodb_rows_* any more). */
static guint64
rows_written (TuDb *db)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db,
		"SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS WHERE "
		"VARIABLE_NAME IN ('HANDLER_WRITE', 'HANDLER_UPDATE', 'HANDLER_DELETE')",
		&error);
	if (res == NULL)
		fail (error);
	MYSQL_ROW row = mysql_fetch_row (res);
	return row != NULL ? (guint64) tu_row_int (row, 0, 0) : 0;
}

/* The reference: the same hosts' rows (host, source, name, version, publisher, arch) loaded
 * into a table with a primary key by the writer's LOAD DATA, as big a batch as it takes (4 MB),
 * with no normalising, no history and one transaction per batch: the bulk-load limit of this
 * store on this machine, measured in the same run. Returns rows/s. */
static double
reference_load (TuDb *db, guint hosts, guint installs, GPtrArray *pool, gint64 now,
		double *cpu_us_per_row)
{
	g_autoptr(GError) error = NULL;
	if (!tu_db_exec (db,
			 "CREATE TABLE bench_reference (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT "
			 "PRIMARY KEY, host VARCHAR(255) NOT NULL, source VARCHAR(16) NOT NULL, "
			 "name VARCHAR(512) NOT NULL, version VARCHAR(255), "
			 "publisher VARCHAR(255), "
			 "arch VARCHAR(32)) ENGINE=InnoDB",
			 &error))
		fail (error);
	static const char *const cols[] = {"host", "source", "name", "version", "publisher", "arch",
					   NULL};
	double t0 = tu_now_seconds (), c0 = cpu_seconds ();
	g_autoptr(TuWriter) w = tu_writer_new (db, "bench_reference", cols, TU_WRITER_INSERT, NULL);
	tu_writer_set_batch_rows (w, G_MAXUINT);
	guint64 rows = 0;
	for (guint i = 0; i < hosts; i++) {
		TuHostScan *scan = make_host (i, installs, pool, now);
		for (guint k = 0; k < tu_record_list_len (scan->records); k++, rows++) {
			const TuRecord *r = tu_record_list_get (scan->records, k);
			tu_writer_add_str (w, scan->facts.hostname);
			tu_writer_add_str (w, tu_source_to_string (r->source));
			tu_writer_add_str (w, r->raw_name);
			tu_writer_add_str (w, r->raw_version);
			tu_writer_add_str (w, r->raw_publisher);
			tu_writer_add_str (w, r->arch);
			if (!tu_writer_end_row (w, &error))
				fail (error);
		}
		tu_host_scan_free (scan);
	}
	if (!tu_writer_flush (w, &error))
		fail (error);
	double rate = (double) rows / (tu_now_seconds () - t0);
	*cpu_us_per_row = 1e6 * (cpu_seconds () - c0) / (double) rows;
	if (!tu_db_exec (db, "DROP TABLE bench_reference", &error))
		fail (error);
	return rate;
}

static void patch_phases (TuDb *db, double reconcile);

/* Reconcile and patch over the estate just stored. */
static void
engines_phases (TuDb *db, TuNormaliser *norm, GPtrArray *pool, guint hosts, guint advisories)
{
	g_autoptr(GError) error = NULL;
	double t0;
	add_entitlements (db, hosts);
	t0 = tu_now_seconds ();
	g_autoptr(TuLicenceInput) in = tu_licence_load (db, norm, tu_date_today (), &error);
	if (in == NULL)
		fail (error);
	double load = tu_now_seconds () - t0;
	t0 = tu_now_seconds ();
	g_autoptr(TuLicencePosition) pos = tu_licence_compute (in);
	double compute = tu_now_seconds () - t0;
	gint64 shortfall = 0;
	for (guint i = 0; i < pos->rows->len; i++)
		shortfall += ((TuPositionRow *) g_ptr_array_index (pos->rows, i))->shortfall;
	printf ("reconcile: %u licensable installations, %u rows, %" G_GINT64_FORMAT
		" short: load %.2f s + compute %.2f s = %.2f s\n",
		in->installs->len, pos->rows->len, shortfall, load, compute, load + compute);

	/* the release catalogue the demo ships (endoflife.date's data) */
	g_autofree char *eol_dir = tu_test_source_path ("examples/demo/feeds/endoflife");
	t0 = tu_now_seconds ();
	TuCatalogImportStats cst;
	g_autoptr(TuWarnings) cmsgs = tu_warnings_new ();
	if (!tu_catalog_import (db, norm, eol_dir, &cst, cmsgs, &error))
		fail (error);
	printf ("catalogue: %u products, %u cycles, %u versions imported in %.1f s\n",
		cst.n_products, cst.n_cycles, cst.n_versions, tu_now_seconds () - t0);

	t0 = tu_now_seconds ();
	guint n_adv = add_advisories (db, pool, advisories);
	printf ("advisories: %u ranges written in %.1f s\n", n_adv, tu_now_seconds () - t0);
	patch_phases (db, load + compute);
}

/* Patch over the stored estate, both orders, with the references (reconcile's time, when
 * given, is put against the same read). */
static void
patch_phases (TuDb *db, double reconcile)
{
	g_autoptr(GError) error = NULL;
	double t0;
	TuPatchOptions popts = {.at = tu_date_today ()};
	TuPatchStats pst;
	guint64 n_rows = 0;
	/* the CPU time of the process too (the embedded server's threads included): on a
	 * shared machine it varies far less than the wall time */
	double c0 = cpu_seconds ();
	t0 = tu_now_seconds ();
	if (!tu_patch_run (db, &popts, count_row, &n_rows, &pst, &error))
		fail (error);
	double patch = tu_now_seconds () - t0;
	printf ("patch: %" G_GUINT64_FORMAT " installations, %" G_GUINT64_FORMAT
		" distinct (software, OS) pairs, %u advisory ranges, %" G_GUINT64_FORMAT
		" rows, %" G_GUINT64_FORMAT " vulnerable: load %.2f s, match %.2f s, "
		"total %.2f s (CPU %.2f s)\n",
		pst.n_installations, pst.n_distinct, pst.n_advisories, n_rows, pst.n_vulnerable,
		pst.seconds_load, pst.seconds_match, patch, cpu_seconds () - c0);
	/* in the order of `patch` and the workbook: a host at a time, sorted in memory */
	popts.sorted = TRUE;
	n_rows = 0;
	c0 = cpu_seconds ();
	t0 = tu_now_seconds ();
	if (!tu_patch_run (db, &popts, count_row, &n_rows, &pst, &error))
		fail (error);
	double patch_sorted = tu_now_seconds () - t0;
	double patch_sorted_cpu = cpu_seconds () - c0;
	printf ("patch in report order (a host at a time): %" G_GUINT64_FORMAT
		" rows in %.2f s (CPU %.2f s)\n",
		n_rows, patch_sorted, patch_sorted_cpu);

	/* references in this run: what reconcile and patch read before their projections (every
	 * present installation; every current one, which patch read twice), and a bare hash
	 * lookup per current installation in a table of the distinct (software, OS) pairs */
	t0 = tu_now_seconds ();
	guint64 n_present = 0;
	{
		g_autoptr(TuRows) all = tu_query_installations_at (db, tu_date_today ());
		GError *local = NULL;
		while (tu_rows_next (all, &local) != NULL)
			n_present++;
		if (local != NULL)
			fail (local);
	}
	double read_all = tu_now_seconds () - t0;
	printf ("reference: reading every installation present today (reconcile's read before "
		"0008, patch's before 0009, once): %" G_GUINT64_FORMAT " rows in %.2f s; reconcile "
		"is %.3fx of it, patch %.3fx (report order %.3fx)\n",
		n_present, read_all, reconcile / read_all, patch / read_all,
		patch_sorted / read_all);
	{
		g_autoptr(GHashTable) pairs = g_hash_table_new (g_int64_hash, g_int64_equal);
		guint64 n_pairs = MAX (pst.n_distinct, 1);
		guint64 *keys = g_new (guint64, n_pairs);
		for (guint64 i = 0; i < n_pairs; i++) {
			keys[i] = i * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
			g_hash_table_add (pairs, &keys[i]);
		}
		guint64 hits = 0;
		t0 = tu_now_seconds ();
		for (guint64 i = 0; i < pst.n_installations; i++) {
			guint64 k = (i % n_pairs) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
			hits += g_hash_table_contains (pairs, &k);
		}
		double bare = tu_now_seconds () - t0;
		printf ("reference: a bare GHashTable lookup per installation (%" G_GUINT64_FORMAT
			" in %" G_GUINT64_FORMAT " pairs): %.2f s; patch is %.1fx of it\n",
			hits, n_pairs, bare, patch / MAX (bare, 1e-6));
		g_free (keys);
	}
}

int
main (int argc, char **argv)
{
	gint hosts = 1000, installs = 1500, advisories = 60, writers = 0;
	g_autofree char *data_dir = NULL;
	gboolean keep = FALSE, ingest_only = FALSE, patch_only = FALSE;
	GOptionEntry entries[] = {
		{"hosts", 0, 0, G_OPTION_ARG_INT, &hosts, "hosts (1000)", "N"},
		{"installs", 0, 0, G_OPTION_ARG_INT, &installs, "installations per host (1500)", "M"},
		{"writers", 0, 0, G_OPTION_ARG_INT, &writers,
		 "store connections writing at once (0: trueup's default)", "W"},
		{"advisories", 0, 0, G_OPTION_ARG_INT, &advisories,
		 "advisory ranges per package of the pool (60)", "K"},
		{"data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "keep the store here", "DIR"},
		{"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "do not remove the temporary store", NULL},
		{"ingest-only", 0, 0, G_OPTION_ARG_NONE, &ingest_only,
		 "only the ingest, the rescan and their reference", NULL},
		{"patch-only", 0, 0, G_OPTION_ARG_NONE, &patch_only,
		 "only patch and its references, over the estate kept in --data-dir by an earlier "
		 "--keep run (to compare builds on one estate)",
		 NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new ("- the synthetic estate benchmark");
	g_option_context_add_main_entries (ctx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse (ctx, &argc, &argv, &error))
		fail (error);
	gboolean temp = data_dir == NULL;
	if (temp)
		data_dir = tu_test_mkdtemp ();
	TuDbOptions opts = {.data_dir = data_dir, .server_options = g_getenv ("TRUEUP_SERVER_OPTIONS")};
	g_autoptr(TuDb) db = tu_db_open (&opts, &error);
	if (db == NULL || !tu_migrate_apply (db, NULL, &error))
		fail (error);
	g_autoptr(TuNormaliser) norm = tu_normaliser_new (NULL, &error);
	if (norm == NULL)
		fail (error);
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	if (patch_only) {
		if (temp)
			g_error ("--patch-only needs the --data-dir of an estate kept by --keep");
		patch_phases (db, 0);
		struct rusage pru;
		getrusage (RUSAGE_SELF, &pru);
		printf ("peak memory (patch only): %.0f MB\n", pru.ru_maxrss / 1024.0);
		tu_store_free (g_steal_pointer (&store));
		tu_db_close (g_steal_pointer (&db));
		tu_db_shutdown ();
		return 0;
	}
	g_autoptr(GPtrArray) pool = make_pool (6000);

	printf ("synthetic estate: %d hosts x %d installations = %.1f M rows\n", hosts, installs,
		(double) hosts * installs / 1e6);
	Progress progress = {0};
	double t0 = tu_now_seconds (), c0 = cpu_seconds ();
	progress.t0 = t0;
	gint64 now = g_get_real_time ();
	/* the CLI's ingest path: one worker generates hosts while the lanes store them */
	Estate estate = {(guint) installs, pool, now};
	TuIngestReporter reporter = {
		.host = stored_host, .progress = ingest_progress, .data = &progress};
	TuIngestSummary sum;
	if (!tu_ingest_run ((guint) hosts, estate_host, &estate, 1, (guint) writers, store, NULL,
			    &reporter, &sum, &error))
		fail (error);
	guint64 rows = sum.n_added;
	double ingest = tu_now_seconds () - t0;
	double ingest_cpu = 1e6 * (cpu_seconds () - c0) / (double) rows;
	guint used = tu_ingest_writers ((guint) writers, store);
	printf ("ingest (normalise + store, one transaction per group of hosts, %u writer%s): "
		"%" G_GUINT64_FORMAT " rows in %.1f s = %.0f rows/s; CPU %.2f us a row\n",
		used, used == 1 ? "" : "s", rows, ingest, (double) rows / ingest, ingest_cpu);

	/* a second scan of the same estate: nothing changes; what is written is counted by the
	 * server (rows inserted, updated and deleted in every table), and the reference is the
	 * first ingest of the same hosts in this run */
	guint64 written0 = rows_written (db);
	t0 = tu_now_seconds ();
	guint rescan = MIN (hosts, 200);
	estate.now_us = now + G_USEC_PER_SEC;
	reporter.progress = NULL;
	if (!tu_ingest_run (rescan, estate_host, &estate, 1, (guint) writers, store, NULL,
			    &reporter, &sum, &error))
		fail (error);
	double re = tu_now_seconds () - t0;
	guint64 written = rows_written (db) - written0;
	printf ("rescan of %u unchanged hosts: %.1f s = %.0f rows/s; %.2f ms per host against "
		"%.2f ms per host to ingest it (%.1f%%); %.1f rows written per host (%d "
		"installations each)\n",
		rescan, re, (double) rescan * installs / re, 1e3 * re / rescan, 1e3 * ingest / hosts,
		100.0 * (re / rescan) / (ingest / hosts), (double) written / rescan, installs);

	double ref_cpu = 0;
	double ref = reference_load (db, (guint) hosts, (guint) installs, pool, now, &ref_cpu);
	printf ("reference: the same rows by LOAD DATA into one table (4 MB batches): %.0f rows/s, "
		"CPU %.2f us a row; ingest %.2fx its rate, %.2fx its CPU a row\n",
		ref, ref_cpu, (double) rows / ingest / ref, ingest_cpu / ref_cpu);
	if (!ingest_only)
		engines_phases (db, norm, pool, (guint) hosts, (guint) advisories);
	struct rusage ru;
	getrusage (RUSAGE_SELF, &ru);
	printf ("peak memory of the whole run (ingest included): %.0f MB\n", ru.ru_maxrss / 1024.0);

	tu_store_free (g_steal_pointer (&store));
	tu_db_close (g_steal_pointer (&db));
	tu_db_shutdown ();
	if (temp && !keep)
		tu_test_rmtree (data_dir);
	return 0;
}
