/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The read side of the inventory; see tu-query.h. Each query is a static QueryDef: its select
 * list (from the header's X-macro, which also makes the TU_Q_* indexes and, in reports/, the
 * TuColumn array) and the rest of the statement after the select list. The first
 * tu_rows_next() runs it with its values bound and reads the result in the query's mode.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-db.h"
#include "tu-query.h"
#include "tu-sql.h"

typedef enum {
	READ_STORED, /* small results: read whole */
	READ_STREAM, /* one statement, streamed */
	READ_PAGED,  /* installations: a page of hosts at a time (TuDbPager, "{hosts}") */
} ReadMode;

typedef struct {
	const char *what; /* for errors: "reading the history" */
	const char *const *exprs;
	guint n_columns;
	const char *rest; /* FROM ... after the select list; '?' for bound values */
	ReadMode mode;
	const char *pager_column; /* READ_PAGED: the host id column "{hosts}" filters */
} QueryDef;

/* the select list of a query: the SQL expressions of its X-macro, in order */
#define EXPR(id, name, type, width, expr) expr,
#define DEFINE_COLUMNS(prefix, LIST)	  static const char *const prefix##_exprs[] = {LIST (EXPR)}
#define COLUMNS_OF(prefix)		  prefix##_exprs, G_N_ELEMENTS (prefix##_exprs)

DEFINE_COLUMNS (hosts, TU_QUERY_HOSTS);
G_STATIC_ASSERT (G_N_ELEMENTS (hosts_exprs) == TU_Q_HOST_N);
static const QueryDef q_hosts = {
	"reading hosts",
	COLUMNS_OF (hosts),
	"FROM hosts h ORDER BY h.hostname, h.id",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (installations, TU_QUERY_INSTALLATIONS);
G_STATIC_ASSERT (G_N_ELEMENTS (installations_exprs) == TU_Q_INST_N);
static const QueryDef q_installations = {
	"reading installations",
	COLUMNS_OF (installations),
	"FROM installations i JOIN hosts h ON h.id = i.host_id "
	"JOIN software s ON s.id = i.software_id "
	"WHERE {hosts} AND i.removed_at IS NULL "
	"ORDER BY h.hostname, h.id, s.source, s.raw_name, s.raw_version, i.id",
	READ_PAGED,
	"i.host_id",
};

DEFINE_COLUMNS (products, TU_QUERY_PRODUCTS);
G_STATIC_ASSERT (G_N_ELEMENTS (products_exprs) == TU_Q_PROD_N);
static const QueryDef q_products = {
	"reading products",
	COLUMNS_OF (products),
	"FROM installations i JOIN software s ON s.id = i.software_id WHERE i.removed_at IS NULL "
	"AND s.kind NOT IN ('update', 'language-pack') "
	"GROUP BY s.publisher, s.product, s.edition, s.version "
	"ORDER BY COUNT(DISTINCT i.host_id) DESC, s.publisher, s.product, s.edition, s.version",
	READ_STREAM,
	NULL,
};

DEFINE_COLUMNS (unrecognised, TU_QUERY_UNRECOGNISED);
G_STATIC_ASSERT (G_N_ELEMENTS (unrecognised_exprs) == TU_Q_UNREC_N);
static const QueryDef q_unrecognised = {
	"reading unrecognised software",
	COLUMNS_OF (unrecognised),
	"FROM installations i JOIN software s ON s.id = i.software_id WHERE "
	"i.removed_at IS NULL AND s.is_recognised = 0 AND s.kind NOT IN ('update', "
	"'language-pack') GROUP BY s.source, s.raw_name ORDER BY COUNT(DISTINCT i.host_id) "
	"DESC, s.raw_name LIMIT ?",
	READ_STREAM,
	NULL,
};

DEFINE_COLUMNS (contracts, TU_QUERY_CONTRACTS);
G_STATIC_ASSERT (G_N_ELEMENTS (contracts_exprs) == TU_Q_CONTRACT_N);
static const QueryDef q_contracts_ending = {
	"reading contracts",
	COLUMNS_OF (contracts),
	"FROM contracts WHERE end_date IS NOT NULL AND end_date <= ? "
	"AND end_date >= DATE_SUB(?, INTERVAL 30 DAY) ORDER BY end_date, id",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (changes, TU_QUERY_CHANGES);
G_STATIC_ASSERT (G_N_ELEMENTS (changes_exprs) == TU_Q_CHANGE_N);
/* A new interval that replaced an old one at the same moment is an upgrade (or downgrade, or a
 * change of publisher/arch), not an installation. A host first seen in the period is one
 * baseline row with the count of what its first scan found: what it had then is not a
 * change. */
static const QueryDef q_changes = {
	"reading the history",
	COLUMNS_OF (changes),
	"FROM ("
	" SELECT o.removed_at AS at, o.host_id, o.removed_reason AS change_kind, "
	"  n.software_id AS software_id, so.raw_version AS old_version, "
	"  sn.raw_version AS new_version, NULL AS label "
	"  FROM installations o JOIN installations n ON n.host_id = o.host_id AND "
	"  n.install_key = o.install_key AND n.first_seen = o.removed_at "
	"  JOIN software so ON so.id = o.software_id JOIN software sn ON sn.id = n.software_id "
	"  WHERE o.removed_at >= ? AND o.removed_reason IN ('upgraded', 'downgraded', 'changed') "
	" UNION ALL "
	" SELECT n.first_seen, n.host_id, 'installed', n.software_id, NULL, s2.raw_version, NULL "
	"  FROM installations n JOIN software s2 ON s2.id = n.software_id "
	"  JOIN hosts hn ON hn.id = n.host_id WHERE n.first_seen >= ? "
	"  AND n.first_seen > hn.first_seen "
	"  AND NOT EXISTS (SELECT 1 FROM installations o WHERE o.host_id = n.host_id AND "
	"  o.install_key = n.install_key AND o.removed_at = n.first_seen AND o.removed_reason "
	"  IN ('upgraded', 'downgraded', 'changed')) "
	" UNION ALL "
	" SELECT o.removed_at, o.host_id, 'removed', o.software_id, s3.raw_version, NULL, NULL "
	"  FROM installations o JOIN software s3 ON s3.id = o.software_id "
	"  WHERE o.removed_at >= ? AND o.removed_reason = 'removed'"
	" UNION ALL "
	" SELECT hb.first_seen, hb.id, 'baseline', NULL, NULL, NULL, "
	"  CONCAT('first scan: ', (SELECT COUNT(*) FROM installations b WHERE b.host_id = hb.id "
	"  AND b.first_seen <= hb.first_seen), ' installations') "
	"  FROM hosts hb WHERE hb.first_seen >= ?"
	") x JOIN hosts h ON h.id = x.host_id LEFT JOIN software s ON s.id = x.software_id "
	"ORDER BY x.at, h.hostname, x.change_kind = 'baseline' DESC, s.raw_name, s.source, "
	"x.change_kind, x.old_version, x.new_version",
	READ_STREAM,
	NULL,
};

DEFINE_COLUMNS (catalog, TU_QUERY_CATALOG);
G_STATIC_ASSERT (G_N_ELEMENTS (catalog_exprs) == TU_Q_CATALOG_N);
static const QueryDef q_catalog = {
	"reading the catalogue",
	COLUMNS_OF (catalog),
	"FROM catalog_products p ORDER BY p.id",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (attrs, TU_QUERY_LIC_ATTRS);
G_STATIC_ASSERT (G_N_ELEMENTS (attrs_exprs) == TU_Q_ATTR_N);
static const QueryDef q_attrs = {
	"reading host attributes",
	COLUMNS_OF (attrs),
	"FROM host_attributes",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (lhosts, TU_QUERY_LIC_HOSTS);
G_STATIC_ASSERT (G_N_ELEMENTS (lhosts_exprs) == TU_Q_LHOST_N);
static const QueryDef q_lhosts = {
	"reading hosts",
	COLUMNS_OF (lhosts),
	"FROM hosts ORDER BY hostname, id",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (lsw, TU_QUERY_LIC_SOFTWARE);
G_STATIC_ASSERT (G_N_ELEMENTS (lsw_exprs) == TU_Q_LSW_N);
static const QueryDef q_lsw = {
	"reading software",
	COLUMNS_OF (lsw),
	"FROM software WHERE is_licensable = 1 AND kind NOT IN ('update', 'language-pack')",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (present, TU_QUERY_PRESENT);
G_STATIC_ASSERT (G_N_ELEMENTS (present_exprs) == TU_Q_PRESENT_N);
static const QueryDef q_present = {
	"reading installations",
	COLUMNS_OF (present),
	"FROM installations WHERE {hosts} AND state = 'installed' AND first_seen <= ? AND "
	"(removed_at IS NULL OR removed_at > ?)",
	READ_PAGED,
	"host_id",
};

DEFINE_COLUMNS (lpresent, TU_QUERY_LIC_PRESENT);
G_STATIC_ASSERT (G_N_ELEMENTS (lpresent_exprs) == TU_Q_LPRESENT_N);
/* The keys of licensable intervals (migration 0008), in key order, each joined to its
 * installations row and software row by primary key: the read grows with the licensable
 * intervals, not with the estate. Stored: the result is what reconcile judges (about 12,000
 * rows on the 10,000-host benchmark estate). */
static const QueryDef q_lpresent = {
	"reading licensable installations",
	COLUMNS_OF (lpresent),
	"FROM licensable_installations l STRAIGHT_JOIN installations i ON i.host_id = l.host_id "
	"AND i.install_key = l.install_key AND i.software_id = l.software_id AND i.first_seen = "
	"l.first_seen STRAIGHT_JOIN software s ON s.id = l.software_id WHERE s.is_licensable = 1 "
	"AND s.kind NOT IN ('update', 'language-pack') AND i.state = 'installed' AND "
	"i.first_seen <= ? AND (i.removed_at IS NULL OR i.removed_at > ?) ORDER BY l.host_id, "
	"l.install_key, l.software_id, l.first_seen",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (ents, TU_QUERY_ENTITLEMENTS);
G_STATIC_ASSERT (G_N_ELEMENTS (ents_exprs) == TU_Q_ENT_N);
static const QueryDef q_ents = {
	"reading entitlements",
	COLUMNS_OF (ents),
	"FROM entitlements ORDER BY id",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (prices, TU_QUERY_PRICES);
G_STATIC_ASSERT (G_N_ELEMENTS (prices_exprs) == TU_Q_PRICE_N);
static const QueryDef q_prices = {
	"reading prices",
	COLUMNS_OF (prices),
	"FROM prices",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (scan_status, TU_QUERY_SCAN_STATUS);
G_STATIC_ASSERT (G_N_ELEMENTS (scan_status_exprs) == TU_Q_SCANS_NCOL);
static const QueryDef q_scan_status = {
	"reading scans",
	COLUMNS_OF (scan_status),
	"FROM scans GROUP BY status ORDER BY status",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (hgroups, TU_QUERY_HOST_GROUPS);
G_STATIC_ASSERT (G_N_ELEMENTS (hgroups_exprs) == TU_Q_HGROUP_N);
static const QueryDef q_hgroups = {
	"reading host groups",
	COLUMNS_OF (hgroups),
	"FROM host_attributes WHERE groups_list IS NOT NULL",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (phosts, TU_QUERY_PATCH_HOSTS);
G_STATIC_ASSERT (G_N_ELEMENTS (phosts_exprs) == TU_Q_PHOST_N);
static const QueryDef q_phosts = {
	"reading hosts",
	COLUMNS_OF (phosts),
	"FROM hosts WHERE (? IS NULL OR hostname = ? OR fqdn = ? OR machine_id = ?) "
	"ORDER BY hostname, id",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (kev, TU_QUERY_KEV);
G_STATIC_ASSERT (G_N_ELEMENTS (kev_exprs) == TU_Q_KEV_N);
static const QueryDef q_kev = {
	"reading known-exploited vulnerabilities",
	COLUMNS_OF (kev),
	"FROM kev",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (vmeta, TU_QUERY_VULN_META);
G_STATIC_ASSERT (G_N_ELEMENTS (vmeta_exprs) == TU_Q_VMETA_N);
static const QueryDef q_vmeta = {
	"reading advisories",
	COLUMNS_OF (vmeta),
	"FROM vulnerabilities",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (valias, TU_QUERY_VULN_ALIASES);
G_STATIC_ASSERT (G_N_ELEMENTS (valias_exprs) == TU_Q_VALIAS_N);
static const QueryDef q_valias = {
	"reading advisory aliases",
	COLUMNS_OF (valias),
	"FROM vuln_aliases ORDER BY vuln_id, alias",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (vaff, TU_QUERY_VULN_AFFECTED);
G_STATIC_ASSERT (G_N_ELEMENTS (vaff_exprs) == TU_Q_VAFF_N);
static const QueryDef q_vaff = {
	"reading advisories",
	COLUMNS_OF (vaff),
	"FROM vuln_affected",
	READ_STREAM,
	NULL,
};

DEFINE_COLUMNS (pir, TU_QUERY_PKGINDEX_RELEASES);
G_STATIC_ASSERT (G_N_ELEMENTS (pir_exprs) == TU_Q_PIR_N);
static const QueryDef q_pir = {
	"reading package index releases",
	COLUMNS_OF (pir),
	"FROM package_index_releases ORDER BY distro, distro_release",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (pi, TU_QUERY_PKGINDEX);
G_STATIC_ASSERT (G_N_ELEMENTS (pi_exprs) == TU_Q_PI_N);
static const QueryDef q_pi = {
	"reading a package index",
	COLUMNS_OF (pi),
	"FROM package_index WHERE distro = ? AND distro_release = ? ORDER BY name, arch, version",
	READ_STREAM,
	NULL,
};

static const QueryDef q_pi_of = {
	"reading a package index",
	COLUMNS_OF (pi),
	"FROM package_index WHERE distro = ? AND distro_release = ? AND name IN ({names})",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (sets, TU_QUERY_SOFTWARE_SETS);
G_STATIC_ASSERT (G_N_ELEMENTS (sets_exprs) == TU_Q_SET_N_COLUMNS);
static const QueryDef q_sets = {
	"reading software sets",
	COLUMNS_OF (sets),
	"FROM host_software_sets WHERE {hosts}",
	READ_PAGED,
	"host_id",
};
/* "{ids}": as many placeholders as ids (tu_query_software_sets_of) */
static const QueryDef q_sets_of = {
	"reading software sets",
	COLUMNS_OF (sets),
	"FROM host_software_sets WHERE host_id IN ({ids})",
	READ_STORED,
	NULL,
};

DEFINE_COLUMNS (swid, TU_QUERY_SOFTWARE_BY_ID);
G_STATIC_ASSERT (G_N_ELEMENTS (swid_exprs) == TU_Q_SW_N);
/* "{ids}": as many placeholders as ids (tu_query_software_by_id) */
static const QueryDef q_swid = {
	"reading software",
	COLUMNS_OF (swid),
	"FROM software WHERE id IN ({ids})",
	READ_STORED,
	NULL,
};

/* ------------------------------------------------------------------------ TuRows --- */

struct _TuRows {
	TuDb *db;
	const QueryDef *def;
	TuSql *sql;	   /* the statement with its values bound */
	char *host;	   /* READ_PAGED: only this host (NULL: all) */
	gboolean has_host; /* READ_PAGED: @host restricts the hosts */
	gboolean started;
	gboolean done;
	MYSQL_RES *res;	  /* READ_STORED, READ_STREAM */
	TuDbPager *pager; /* READ_PAGED */
	GArray *host_ids; /* READ_PAGED with a host list */
};

/* @rest: the statement after the select list (NULL: the query's own) */
static TuRows *
rows_new_rest (TuDb *db, const QueryDef *def, const char *rest)
{
	TuRows *rows = g_new0 (TuRows, 1);
	rows->db = db;
	rows->def = def;
	g_autoptr(GString) sql = g_string_new ("SELECT ");
	for (guint c = 0; c < def->n_columns; c++)
		g_string_append_printf (sql, "%s%s", c ? ", " : "", def->exprs[c]);
	g_string_append_printf (sql, " %s", rest ? rest : def->rest);
	rows->sql = tu_sql_new (db, sql->str);
	return rows;
}

static TuRows *
rows_new (TuDb *db, const QueryDef *def)
{
	return rows_new_rest (db, def, NULL);
}

void
tu_rows_free (TuRows *rows)
{
	if (rows == NULL)
		return;
	g_clear_pointer (&rows->res, mysql_free_result);
	g_clear_pointer (&rows->pager, tu_db_pager_free);
	if (rows->host_ids != NULL)
		g_array_unref (rows->host_ids);
	tu_sql_free (rows->sql);
	g_free (rows->host);
	g_free (rows);
}

guint
tu_rows_n_columns (TuRows *rows)
{
	return rows->def->n_columns;
}

/* The hosts a paged query restricted to one host reads, in report order. */
static GArray *
host_ids_of (TuDb *db, const char *host, GError **error)
{
	g_autoptr(TuSql) hq = tu_sql_new (db, "SELECT id FROM hosts WHERE ? IS NULL OR hostname = ? "
					      "OR fqdn = ? OR machine_id = ? ORDER BY hostname, id");
	for (guint i = 0; i < 4; i++)
		tu_sql_bind_str (hq, host);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (hq), error);
	if (res == NULL)
		return NULL;
	GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint64));
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		guint64 id = g_ascii_strtoull (row[0], NULL, 10);
		g_array_append_val (ids, id);
	}
	return ids;
}

static gboolean
rows_start (TuRows *rows, GError **error)
{
	rows->started = TRUE;
	const char *sql = tu_sql_get (rows->sql);
	switch (rows->def->mode) {
	case READ_STORED:
		rows->res = tu_db_query (rows->db, sql, error);
		return rows->res != NULL;
	case READ_STREAM:
		rows->res = tu_db_query_stream (rows->db, sql, error);
		return rows->res != NULL;
	case READ_PAGED:
		if (rows->has_host) {
			rows->host_ids = host_ids_of (rows->db, rows->host, error);
			if (rows->host_ids == NULL)
				return FALSE;
		}
		rows->pager = tu_db_pager_new (rows->db, sql, rows->def->pager_column,
					       rows->host_ids, error);
		return rows->pager != NULL;
	}
	g_assert_not_reached ();
}

char **
tu_rows_next (TuRows *rows, GError **error)
{
	if (rows->done)
		return NULL;
	if (!rows->started && !rows_start (rows, error)) {
		rows->done = TRUE;
		return NULL;
	}
	MYSQL_ROW row;
	if (rows->pager != NULL) {
		GError *local = NULL;
		row = tu_db_pager_next (rows->pager, &local);
		if (local != NULL)
			g_propagate_prefixed_error (error, local, "%s: ", rows->def->what);
	} else {
		row = mysql_fetch_row (rows->res);
		if (row == NULL && mysql_errno (tu_db_handle (rows->db)) != 0)
			tu_db_set_error (rows->db, error, rows->def->what);
	}
	if (row == NULL) {
		/* free the result now: the connection is free for the next statement */
		rows->done = TRUE;
		g_clear_pointer (&rows->res, mysql_free_result);
		g_clear_pointer (&rows->pager, tu_db_pager_free);
	}
	return row;
}

gint64
tu_cell_int (char **row, guint col, gint64 if_null)
{
	if (row[col] == NULL)
		return if_null;
	return g_ascii_strtoll (row[col], NULL, 10);
}

const char *
tu_cell_str (char **row, guint col)
{
	return row[col] ? row[col] : "";
}

guint32
tu_cell_date (char **row, guint col)
{
	guint32 j = 0;
	if (row[col] != NULL && !tu_date_parse (row[col], &j, "date", NULL))
		j = 0;
	return j;
}

/* ---------------------------------------------------------------------- queries --- */

TuRows *
tu_query_hosts (TuDb *db)
{
	return rows_new (db, &q_hosts);
}

TuRows *
tu_query_installations (TuDb *db, const char *host)
{
	TuRows *rows = rows_new (db, &q_installations);
	/* the hosts in report order (all of them when no host is given), as the pager's pages */
	rows->has_host = TRUE;
	rows->host = g_strdup (host);
	return rows;
}

TuRows *
tu_query_products (TuDb *db)
{
	return rows_new (db, &q_products);
}

TuRows *
tu_query_unrecognised (TuDb *db, guint limit)
{
	TuRows *rows = rows_new (db, &q_unrecognised);
	tu_sql_bind_uint (rows->sql, limit);
	return rows;
}

TuRows *
tu_query_contracts_ending (TuDb *db, guint32 from, guint32 to)
{
	TuRows *rows = rows_new (db, &q_contracts_ending);
	g_autofree char *from_s = tu_date_format (from);
	g_autofree char *to_s = tu_date_format (to);
	tu_sql_bind_str (rows->sql, to_s);
	tu_sql_bind_str (rows->sql, from_s);
	return rows;
}

TuRows *
tu_query_changes (TuDb *db, const char *since)
{
	TuRows *rows = rows_new (db, &q_changes);
	for (guint i = 0; i < 4; i++)
		tu_sql_bind_str (rows->sql, since);
	return rows;
}

TuRows *
tu_query_catalog_products (TuDb *db)
{
	return rows_new (db, &q_catalog);
}

TuRows *
tu_query_host_attributes (TuDb *db)
{
	return rows_new (db, &q_attrs);
}

TuRows *
tu_query_host_facts (TuDb *db)
{
	return rows_new (db, &q_lhosts);
}

TuRows *
tu_query_licensable_software (TuDb *db)
{
	return rows_new (db, &q_lsw);
}

TuRows *
tu_query_installations_at (TuDb *db, guint32 at)
{
	g_autofree char *day = tu_date_format (at);
	g_autofree char *end_of_day = g_strdup_printf ("%s 23:59:59.999999", day);
	TuRows *rows = rows_new (db, &q_present);
	tu_sql_bind_str (rows->sql, end_of_day);
	tu_sql_bind_str (rows->sql, end_of_day);
	return rows;
}

TuRows *
tu_query_licensable_installations_at (TuDb *db, guint32 at)
{
	g_autofree char *day = tu_date_format (at);
	g_autofree char *end_of_day = g_strdup_printf ("%s 23:59:59.999999", day);
	TuRows *rows = rows_new (db, &q_lpresent);
	tu_sql_bind_str (rows->sql, end_of_day);
	tu_sql_bind_str (rows->sql, end_of_day);
	return rows;
}

TuRows *
tu_query_entitlements (TuDb *db)
{
	return rows_new (db, &q_ents);
}

TuRows *
tu_query_prices (TuDb *db)
{
	return rows_new (db, &q_prices);
}

TuRows *
tu_query_scans_by_status (TuDb *db)
{
	return rows_new (db, &q_scan_status);
}

TuRows *
tu_query_host_groups (TuDb *db)
{
	return rows_new (db, &q_hgroups);
}

TuRows *
tu_query_hosts_os (TuDb *db, const char *host)
{
	TuRows *rows = rows_new (db, &q_phosts);
	for (guint i = 0; i < 4; i++)
		tu_sql_bind_str (rows->sql, host);
	return rows;
}

TuRows *
tu_query_kev (TuDb *db)
{
	return rows_new (db, &q_kev);
}

TuRows *
tu_query_vuln_meta (TuDb *db)
{
	return rows_new (db, &q_vmeta);
}

TuRows *
tu_query_vuln_aliases (TuDb *db)
{
	return rows_new (db, &q_valias);
}

TuRows *
tu_query_vuln_affected (TuDb *db)
{
	return rows_new (db, &q_vaff);
}

TuRows *
tu_query_pkgindex_releases (TuDb *db)
{
	return rows_new (db, &q_pir);
}

TuRows *
tu_query_pkgindex (TuDb *db, const char *distro, const char *release)
{
	TuRows *rows = rows_new (db, &q_pi);
	tu_sql_bind_str (rows->sql, distro);
	tu_sql_bind_str (rows->sql, release);
	return rows;
}

TuRows *
tu_query_pkgindex_of (TuDb *db, const char *distro, const char *release,
		      const char *const *names, guint n_names)
{
	g_return_val_if_fail (n_names > 0 && n_names <= TU_QUERY_MAX_IDS, NULL);
	g_autoptr(GString) marks = g_string_new (NULL);
	for (guint i = 0; i < n_names; i++)
		g_string_append (marks, i ? ",?" : "?");
	g_autoptr(GString) rest = g_string_new (q_pi_of.rest);
	g_string_replace (rest, "{names}", marks->str, 1);
	TuRows *rows = rows_new_rest (db, &q_pi_of, rest->str);
	tu_sql_bind_str (rows->sql, distro);
	tu_sql_bind_str (rows->sql, release);
	for (guint i = 0; i < n_names; i++)
		tu_sql_bind_str (rows->sql, names[i]);
	return rows;
}

TuRows *
tu_query_software_sets (TuDb *db, const char *host)
{
	TuRows *rows = rows_new (db, &q_sets);
	/* every host: the pager's own pages; one host: the hosts it names */
	rows->has_host = host != NULL;
	rows->host = g_strdup (host);
	return rows;
}

/* @def's statement with "{ids}" replaced by @n_ids bound ids */
static TuRows *
rows_new_ids (TuDb *db, const QueryDef *def, const guint64 *ids, guint n_ids)
{
	g_return_val_if_fail (n_ids > 0 && n_ids <= TU_QUERY_MAX_IDS, NULL);
	g_autoptr(GString) marks = g_string_new (NULL);
	for (guint i = 0; i < n_ids; i++)
		g_string_append (marks, i ? ",?" : "?");
	g_autoptr(GString) rest = g_string_new (def->rest);
	g_string_replace (rest, "{ids}", marks->str, 1);
	TuRows *rows = rows_new_rest (db, def, rest->str);
	for (guint i = 0; i < n_ids; i++)
		tu_sql_bind_uint (rows->sql, ids[i]);
	return rows;
}

TuRows *
tu_query_software_sets_of (TuDb *db, const guint64 *ids, guint n_ids)
{
	return rows_new_ids (db, &q_sets_of, ids, n_ids);
}

gboolean
tu_software_set_check (TuRows *rows, char **row, guint *n_ids, GError **error)
{
	unsigned long *lengths = rows->pager != NULL ? tu_db_pager_lengths (rows->pager)
						     : mysql_fetch_lengths (rows->res);
	gint64 n = tu_cell_int (row, TU_Q_SET_N, -1);
	if (lengths == NULL || n < 0 || (guint64) lengths[TU_Q_SET_IDS] != 8 * (guint64) n) {
		unsigned long len = lengths ? lengths[TU_Q_SET_IDS] : 0;
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
			     "host_software_sets: host %s: %lu bytes of software ids for "
			     "%" G_GINT64_FORMAT " installations (run trueup db check)",
			     tu_cell_str (row, TU_Q_SET_HOST_ID), len, n);
		return FALSE;
	}
	*n_ids = (guint) n;
	return TRUE;
}

guint64
tu_software_set_id (const char *ids, guint i)
{
	guint64 be;
	memcpy (&be, ids + 8 * (gsize) i, sizeof be);
	return GUINT64_FROM_BE (be);
}

TuRows *
tu_query_software_by_id (TuDb *db, const guint64 *ids, guint n_ids)
{
	return rows_new_ids (db, &q_swid, ids, n_ids);
}

/* Tables whose row counts `db status` shows, in this order (fixed identifiers). */
static const char *const status_tables[] = {
	"hosts",
	"scans",
	"software",
	"installations",
	"host_attributes",
	"contracts",
	"entitlements",
	"catalog_products",
	"catalog_cycles",
	"vulnerabilities",
	"vuln_affected",
	"kev",
	"package_index",
};

gboolean
tu_query_table_counts (TuDb *db, GPtrArray **names, GArray **counts, GError **error)
{
	g_autoptr(GPtrArray) n = g_ptr_array_new ();
	g_autoptr(GArray) c = g_array_new (FALSE, FALSE, sizeof (gint64));
	for (guint i = 0; i < G_N_ELEMENTS (status_tables); i++) {
		g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", status_tables[i]);
		g_autoptr(GError) local = NULL;
		g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, &local);
		gint64 rows = -1; /* a table of a pending migration */
		MYSQL_ROW row = res ? mysql_fetch_row (res) : NULL;
		if (row != NULL && row[0] != NULL)
			rows = g_ascii_strtoll (row[0], NULL, 10);
		g_ptr_array_add (n, (gpointer) status_tables[i]);
		g_array_append_val (c, rows);
	}
	*names = g_steal_pointer (&n);
	*counts = g_steal_pointer (&c);
	return TRUE;
}
