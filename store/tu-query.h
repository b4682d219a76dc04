/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The read side of the inventory: every SELECT that the engines, the reports and the front end
 * need lives here, so that one module knows the schema's columns (fwupd's "one object owns
 * each table"). A query is a list of columns, each with its name, its type (a TuColType
 * token of reports/tu-table.h, expanded only where the table writer is known), its width in
 * a workbook and its SQL expression, written once below as an X-macro: the same list makes
 * the SELECT here, the TuColumn array a table writer shows (TU_QUERY_XXX (TU_REPORT_COLUMN)
 * in reports/), and the TU_Q_* indexes a reader uses. A column added, removed or moved in a
 * list moves everywhere at once; there is no positional contract between a SELECT in one file
 * and a header or a row[N] in another.
 *
 * Results are TuRows: a row iterator that runs its statement on the first tu_rows_next() and
 * reads it stored, streamed or a page of hosts at a time (TuDbPager), as the query's size
 * needs. One TuRows may be open on a connection at a time while streaming or paging: read one
 * to its end (or free it) before starting the next. Callers outside store/ never see MySQL.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TuDb TuDb;
typedef struct _TuRows TuRows;

/* How many cells each row of @rows has. */
guint tu_rows_n_columns (TuRows *rows);
/* The next row: n_columns cells, NULL for SQL NULL, valid until the next call. NULL at the end
 * (with @error unset) or on an error (@error set). */
char **tu_rows_next (TuRows *rows, GError **error);
void tu_rows_free (TuRows *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuRows, tu_rows_free)

/* A cell as an integer (@if_null for NULL), as text ("" for NULL), or a DATE cell as a Julian
 * day (0 for NULL or a date that cannot be read). */
gint64 tu_cell_int (char **row, guint col, gint64 if_null);
const char *tu_cell_str (char **row, guint col);
guint32 tu_cell_date (char **row, guint col);

/* X-macro columns: X (ID, "name", TYPE, width, "SQL expression"). TU_Q_ENUM makes the
 * indexes; TU_Q_COLUMN a TuColumn initialiser (where reports/tu-table.h is included):
 *   static const TuColumn columns[] = {TU_QUERY_HOSTS (TU_Q_COLUMN)}; */
#define TU_Q_ENUM(id, name, type, width, expr)	 id,
#define TU_Q_COLUMN(id, name, type, width, expr) {name, type, width},

/* ----------------------------------------------------------------- for `hosts`, reports --- */
#define TU_QUERY_HOSTS(X)                                                                      \
	X (TU_Q_HOST_NAME, "host", TU_COL_TEXT, 20, "h.hostname")                              \
	X (TU_Q_HOST_FQDN, "fqdn", TU_COL_TEXT, 26, "h.fqdn")                                  \
	X (TU_Q_HOST_MACHINE_ID, "machine_id", TU_COL_TEXT, 34, "h.machine_id")                \
	X (TU_Q_HOST_OS, "os", TU_COL_TEXT, 28, "COALESCE(h.os_pretty, h.os_name)")            \
	X (TU_Q_HOST_OS_VERSION, "os_version", TU_COL_TEXT, 12, "h.os_version_id")             \
	X (TU_Q_HOST_OS_EDITION, "os_edition", TU_COL_TEXT, 14, "h.os_edition")                \
	X (TU_Q_HOST_KERNEL, "kernel", TU_COL_TEXT, 18, "h.kernel")                            \
	X (TU_Q_HOST_ARCH, "arch", TU_COL_TEXT, 8, "h.arch")                                   \
	X (TU_Q_HOST_SOCKETS, "sockets", TU_COL_INT, 8, "h.cpu_sockets")                       \
	X (TU_Q_HOST_CORES, "cores", TU_COL_INT, 8, "h.cpu_cores")                             \
	X (TU_Q_HOST_THREADS, "threads", TU_COL_INT, 8, "h.cpu_threads")                       \
	X (TU_Q_HOST_MEMORY_MB, "memory_mb", TU_COL_INT, 10,                                   \
	   "ROUND(h.memory_bytes / 1048576)")                                                  \
	X (TU_Q_HOST_VIRTUAL, "virtual", TU_COL_TEXT, 8,                                       \
	   "CASE h.is_virtual WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE NULL END")               \
	X (TU_Q_HOST_HYPERVISOR, "hypervisor", TU_COL_TEXT, 10, "h.hypervisor")                \
	X (TU_Q_HOST_VENDOR, "vendor", TU_COL_TEXT, 16, "h.dmi_vendor")                        \
	X (TU_Q_HOST_MODEL, "model", TU_COL_TEXT, 20, "h.dmi_model")                           \
	X (TU_Q_HOST_SERIAL, "serial", TU_COL_TEXT, 16, "h.dmi_serial")                        \
	X (TU_Q_HOST_IP_ADDRESSES, "ip_addresses", TU_COL_TEXT, 24, "h.ip_addresses")          \
	X (TU_Q_HOST_INSTALLATIONS, "installations", TU_COL_INT, 12,                           \
	   "(SELECT COUNT(*) FROM installations i WHERE i.host_id = h.id AND i.removed_at IS " \
	   "NULL)")                                                                            \
	X (TU_Q_HOST_TARGET, "target", TU_COL_TEXT, 24, "h.target")                            \
	X (TU_Q_HOST_FIRST_SEEN, "first_seen", TU_COL_DATETIME, 19,                            \
	   "DATE_FORMAT(h.first_seen, '%Y-%m-%d %H:%i:%s')")                                   \
	X (TU_Q_HOST_LAST_SEEN, "last_seen", TU_COL_DATETIME, 19,                              \
	   "DATE_FORMAT(h.last_seen, '%Y-%m-%d %H:%i:%s')")                                    \
	X (TU_Q_HOST_LAST_SCAN, "last_scan", TU_COL_TEXT, 10,                                  \
	   "(SELECT s.status FROM scans s WHERE s.host_id = h.id ORDER BY s.id DESC LIMIT 1)")
enum { TU_QUERY_HOSTS (TU_Q_ENUM) TU_Q_HOST_N };
/* Every host with its facts, by name. */
TuRows *tu_query_hosts (TuDb *db);

/* ------------------------------------------------ for `inventory`, the inventory report --- */
#define TU_QUERY_INSTALLATIONS(X)                                                        \
	X (TU_Q_INST_HOST, "host", TU_COL_TEXT, 20, "h.hostname")                        \
	X (TU_Q_INST_SOURCE, "source", TU_COL_TEXT, 9, "s.source")                       \
	X (TU_Q_INST_RAW_NAME, "raw_name", TU_COL_TEXT, 36, "s.raw_name")                \
	X (TU_Q_INST_RAW_VERSION, "raw_version", TU_COL_TEXT, 18, "s.raw_version")       \
	X (TU_Q_INST_RAW_PUBLISHER, "raw_publisher", TU_COL_TEXT, 24, "s.raw_publisher") \
	X (TU_Q_INST_ARCH, "arch", TU_COL_TEXT, 8, "s.arch")                             \
	X (TU_Q_INST_PUBLISHER, "publisher", TU_COL_TEXT, 18, "s.publisher")             \
	X (TU_Q_INST_PRODUCT, "product", TU_COL_TEXT, 28, "s.product")                   \
	X (TU_Q_INST_EDITION, "edition", TU_COL_TEXT, 16, "s.edition")                   \
	X (TU_Q_INST_RELEASE, "release", TU_COL_TEXT, 9, "s.product_release")            \
	X (TU_Q_INST_VERSION, "version", TU_COL_TEXT, 18, "s.version")                   \
	X (TU_Q_INST_SCHEME, "scheme", TU_COL_TEXT, 8, "s.scheme")                       \
	X (TU_Q_INST_KIND, "kind", TU_COL_TEXT, 12, "s.kind")                            \
	X (TU_Q_INST_LICENSABLE, "licensable", TU_COL_TEXT, 10,                          \
	   "IF(s.is_licensable, 'yes', 'no')")                                           \
	X (TU_Q_INST_RECOGNISED, "recognised", TU_COL_TEXT, 10,                          \
	   "IF(s.is_recognised, 'yes', 'no')")                                           \
	X (TU_Q_INST_STATE, "state", TU_COL_TEXT, 10, "i.state")                         \
	X (TU_Q_INST_LOCATION, "location", TU_COL_TEXT, 30, "i.location")                \
	X (TU_Q_INST_INSTALL_DATE, "install_date", TU_COL_DATE, 12,                      \
	   "DATE_FORMAT(i.install_date, '%Y-%m-%d')")                                    \
	X (TU_Q_INST_FIRST_SEEN, "first_seen", TU_COL_DATETIME, 19,                      \
	   "DATE_FORMAT(i.first_seen, '%Y-%m-%d %H:%i:%s')")                             \
	/* an open interval was last seen when its host was (see tu-store.h) */          \
	X (TU_Q_INST_LAST_SEEN, "last_seen", TU_COL_DATETIME, 19,                        \
	   "DATE_FORMAT(h.last_seen, '%Y-%m-%d %H:%i:%s')")                              \
	X (TU_Q_INST_CLASS, "class", TU_COL_TEXT, 12, "s.class")                         \
	X (TU_Q_INST_UPSTREAM_VERSION, "upstream_version", TU_COL_TEXT, 20,              \
	   "s.upstream_version")
enum { TU_QUERY_INSTALLATIONS (TU_Q_ENUM) TU_Q_INST_N };
/* The current installations (the pager: a page of hosts at a time), by host. @host: a
 * hostname, FQDN or machine-id (NULL: every host). */
TuRows *tu_query_installations (TuDb *db, const char *host);

/* ---------------------------------------------------------- the inventory's products --- */
#define TU_QUERY_PRODUCTS(X)                                                     \
	X (TU_Q_PROD_PUBLISHER, "publisher", TU_COL_TEXT, 22, "s.publisher")     \
	X (TU_Q_PROD_PRODUCT, "product", TU_COL_TEXT, 30, "s.product")           \
	X (TU_Q_PROD_EDITION, "edition", TU_COL_TEXT, 16, "s.edition")           \
	X (TU_Q_PROD_VERSION, "version", TU_COL_TEXT, 20, "s.version")           \
	X (TU_Q_PROD_LICENSABLE, "licensable", TU_COL_TEXT, 10,                  \
	   "IF(MAX(s.is_licensable), 'yes', 'no')")                              \
	X (TU_Q_PROD_RECOGNISED, "recognised", TU_COL_TEXT, 10,                  \
	   "IF(MAX(s.is_recognised), 'yes', 'no')")                              \
	X (TU_Q_PROD_HOSTS, "hosts", TU_COL_INT, 8, "COUNT(DISTINCT i.host_id)") \
	X (TU_Q_PROD_INSTALLATIONS, "installations", TU_COL_INT, 12, "COUNT(*)")
enum { TU_QUERY_PRODUCTS (TU_Q_ENUM) TU_Q_PROD_N };
/* Installed products (updates and language packs left out), most widespread first. */
TuRows *tu_query_products (TuDb *db);

/* ------------------------------------------------------------ unrecognised software --- */
#define TU_QUERY_UNRECOGNISED(X)                                                  \
	X (TU_Q_UNREC_HOSTS, "hosts", TU_COL_INT, 8, "COUNT(DISTINCT i.host_id)") \
	X (TU_Q_UNREC_INSTALLATIONS, "installations", TU_COL_INT, 12, "COUNT(*)") \
	X (TU_Q_UNREC_SOURCE, "source", TU_COL_TEXT, 10, "s.source")              \
	X (TU_Q_UNREC_RAW_NAME, "raw_name", TU_COL_TEXT, 40, "s.raw_name")        \
	X (TU_Q_UNREC_RAW_PUBLISHER, "raw_publisher", TU_COL_TEXT, 26,            \
	   "MIN(s.raw_publisher)")                                                \
	X (TU_Q_UNREC_PRODUCT, "product", TU_COL_TEXT, 30, "MIN(s.product)")
enum { TU_QUERY_UNRECOGNISED (TU_Q_ENUM) TU_Q_UNREC_N };
/* The @limit most widespread installed raw names no rule recognises. */
TuRows *tu_query_unrecognised (TuDb *db, guint limit);

/* ------------------------------------------------------------------------ contracts --- */
#define TU_QUERY_CONTRACTS(X)                                                              \
	X (TU_Q_CONTRACT_ID, "id", TU_COL_TEXT, 14, "id")                                  \
	X (TU_Q_CONTRACT_VENDOR, "vendor", TU_COL_TEXT, 16, "vendor")                      \
	X (TU_Q_CONTRACT_TITLE, "title", TU_COL_TEXT, 30, "title")                         \
	X (TU_Q_CONTRACT_OWNER, "owner", TU_COL_TEXT, 16, "owner")                         \
	X (TU_Q_CONTRACT_START, "start", TU_COL_DATE, 11,                                  \
	   "DATE_FORMAT(start_date, '%Y-%m-%d')")                                          \
	X (TU_Q_CONTRACT_END, "end", TU_COL_DATE, 11, "DATE_FORMAT(end_date, '%Y-%m-%d')") \
	X (TU_Q_CONTRACT_NOTICE_DAYS, "notice_days", TU_COL_INT, 11, "notice_days")        \
	X (TU_Q_CONTRACT_AUTO_RENEW, "auto_renew", TU_COL_INT, 10, "auto_renew")           \
	X (TU_Q_CONTRACT_VALUE, "value", TU_COL_MONEY, 12, "value")                        \
	X (TU_Q_CONTRACT_CURRENCY, "currency", TU_COL_TEXT, 9, "currency")                 \
	X (TU_Q_CONTRACT_NOTES, "notes", TU_COL_TEXT, 40, "notes")
enum { TU_QUERY_CONTRACTS (TU_Q_ENUM) TU_Q_CONTRACT_N };
/* Contracts ending between 30 days before @from and @to (Julian days), by end date. */
TuRows *tu_query_contracts_ending (TuDb *db, guint32 from, guint32 to);

/* ------------------------------------------------------------------------- changes --- */
#define TU_QUERY_CHANGES(X)                                                          \
	X (TU_Q_CHANGE_DATE, "date", TU_COL_DATETIME, 19,                            \
	   "DATE_FORMAT(x.at, '%Y-%m-%d %H:%i:%s')")                                 \
	X (TU_Q_CHANGE_HOST, "host", TU_COL_TEXT, 18, "h.hostname")                  \
	X (TU_Q_CHANGE_KIND, "change", TU_COL_TEXT, 11, "x.change_kind")             \
	X (TU_Q_CHANGE_SOURCE, "source", TU_COL_TEXT, 8, "s.source")                 \
	X (TU_Q_CHANGE_RAW_NAME, "raw_name", TU_COL_TEXT, 30,                        \
	   "COALESCE(x.label, s.raw_name)")                                          \
	X (TU_Q_CHANGE_PUBLISHER, "publisher", TU_COL_TEXT, 16, "s.publisher")       \
	X (TU_Q_CHANGE_PRODUCT, "product", TU_COL_TEXT, 22, "s.product")             \
	X (TU_Q_CHANGE_OLD_VERSION, "old_version", TU_COL_TEXT, 20, "x.old_version") \
	X (TU_Q_CHANGE_NEW_VERSION, "new_version", TU_COL_TEXT, 20, "x.new_version")
enum { TU_QUERY_CHANGES (TU_Q_ENUM) TU_Q_CHANGE_N };
/* Installed, removed, upgraded, downgraded software since @since ("YYYY-MM-DD[ HH:MM:SS]"),
 * from the installations' history, in time order. A host first seen since then is one row of
 * change "baseline" whose raw_name counts what its first scan found ("first scan: 412
 * installations"), not one "installed" row per package. */
TuRows *tu_query_changes (TuDb *db, const char *since);

/* ----------------------------------------------------------------- the catalogue --- */
#define TU_QUERY_CATALOG(X)                                                              \
	X (TU_Q_CATALOG_ID, "id", TU_COL_TEXT, 0, "p.id")                                \
	X (TU_Q_CATALOG_TITLE, "title", TU_COL_TEXT, 0, "p.title")                       \
	X (TU_Q_CATALOG_CATEGORY, "category", TU_COL_TEXT, 0, "p.category")              \
	X (TU_Q_CATALOG_CYCLES, "cycles", TU_COL_INT, 0,                                 \
	   "(SELECT COUNT(*) FROM catalog_cycles c WHERE c.product_id = p.id)")          \
	X (TU_Q_CATALOG_IDENTIFIERS, "identifiers", TU_COL_TEXT, 0,                      \
	   "(SELECT GROUP_CONCAT(CONCAT(i.kind, ':', i.value) ORDER BY i.kind, i.value " \
	   "SEPARATOR ' ') FROM catalog_identifiers i WHERE i.product_id = p.id)")
enum { TU_QUERY_CATALOG (TU_Q_ENUM) TU_Q_CATALOG_N };
/* The catalogue's products with their cycle counts and identifiers, by id. */
TuRows *tu_query_catalog_products (TuDb *db);

/* ---------------------------------------------------------- the licence engine's input --- */
#define TU_QUERY_LIC_ATTRS(X)                                                   \
	X (TU_Q_ATTR_HOST_KEY, "host_key", TU_COL_TEXT, 0, "host_key")          \
	X (TU_Q_ATTR_SITE, "site", TU_COL_TEXT, 0, "site")                      \
	X (TU_Q_ATTR_COST_CENTRE, "cost_centre", TU_COL_TEXT, 0, "cost_centre") \
	X (TU_Q_ATTR_OWNER, "owner", TU_COL_TEXT, 0, "owner")                   \
	X (TU_Q_ATTR_GROUPS, "groups", TU_COL_TEXT, 0, "groups_list")           \
	X (TU_Q_ATTR_ENVIRONMENT, "environment", TU_COL_TEXT, 0, "environment") \
	X (TU_Q_ATTR_CORES, "cores", TU_COL_INT, 0, "cpu_cores")                \
	X (TU_Q_ATTR_SOCKETS, "sockets", TU_COL_INT, 0, "cpu_sockets")          \
	X (TU_Q_ATTR_VIRTUAL, "virtual", TU_COL_INT, 0, "is_virtual")           \
	X (TU_Q_ATTR_CLUSTER, "cluster", TU_COL_TEXT, 0, "cluster")
enum { TU_QUERY_LIC_ATTRS (TU_Q_ENUM) TU_Q_ATTR_N };
/* The imported host attributes (site, cost centre, groups, overriding facts). */
TuRows *tu_query_host_attributes (TuDb *db);

#define TU_QUERY_LIC_HOSTS(X)                                                 \
	X (TU_Q_LHOST_ID, "id", TU_COL_INT, 0, "id")                          \
	X (TU_Q_LHOST_NAME, "host", TU_COL_TEXT, 0, "hostname")               \
	X (TU_Q_LHOST_FQDN, "fqdn", TU_COL_TEXT, 0, "fqdn")                   \
	X (TU_Q_LHOST_MACHINE_ID, "machine_id", TU_COL_TEXT, 0, "machine_id") \
	X (TU_Q_LHOST_CORES, "cores", TU_COL_INT, 0, "cpu_cores")             \
	X (TU_Q_LHOST_SOCKETS, "sockets", TU_COL_INT, 0, "cpu_sockets")       \
	X (TU_Q_LHOST_VIRTUAL, "virtual", TU_COL_INT, 0, "is_virtual")
enum { TU_QUERY_LIC_HOSTS (TU_Q_ENUM) TU_Q_LHOST_N };
/* Every host's id, names and processor facts, by name. */
TuRows *tu_query_host_facts (TuDb *db);

#define TU_QUERY_LIC_SOFTWARE(X)                                           \
	X (TU_Q_LSW_ID, "id", TU_COL_INT, 0, "id")                         \
	X (TU_Q_LSW_PUBLISHER, "publisher", TU_COL_TEXT, 0, "publisher")   \
	X (TU_Q_LSW_PRODUCT, "product", TU_COL_TEXT, 0, "product")         \
	X (TU_Q_LSW_EDITION, "edition", TU_COL_TEXT, 0, "edition")         \
	X (TU_Q_LSW_RELEASE, "release", TU_COL_TEXT, 0, "product_release") \
	X (TU_Q_LSW_VERSION, "version", TU_COL_TEXT, 0, "version")         \
	X (TU_Q_LSW_RAW_NAME, "raw_name", TU_COL_TEXT, 0, "raw_name")
enum { TU_QUERY_LIC_SOFTWARE (TU_Q_ENUM) TU_Q_LSW_N };
/* The licensable software (updates and language packs left out). */
TuRows *tu_query_licensable_software (TuDb *db);

#define TU_QUERY_PRESENT(X)                                           \
	X (TU_Q_PRESENT_ID, "id", TU_COL_INT, 0, "id")                \
	X (TU_Q_PRESENT_HOST_ID, "host_id", TU_COL_INT, 0, "host_id") \
	X (TU_Q_PRESENT_SOFTWARE_ID, "software_id", TU_COL_INT, 0, "software_id")
enum { TU_QUERY_PRESENT (TU_Q_ENUM) TU_Q_PRESENT_N };
/* The installations present at the end of day @at (a Julian day, tu_date_*), by their history
 * (first seen by then, not removed by then), a page of hosts at a time. */
TuRows *tu_query_installations_at (TuDb *db, guint32 at);

#define TU_QUERY_LIC_PRESENT(X)                                          \
	X (TU_Q_LPRESENT_ID, "id", TU_COL_INT, 0, "i.id")                \
	X (TU_Q_LPRESENT_HOST_ID, "host_id", TU_COL_INT, 0, "i.host_id") \
	X (TU_Q_LPRESENT_SOFTWARE_ID, "software_id", TU_COL_INT, 0, "i.software_id")
enum { TU_QUERY_LIC_PRESENT (TU_Q_ENUM) TU_Q_LPRESENT_N };
/* The installations of licensable software (as tu_query_licensable_software) present at the
 * end of day @at, in the store's order (host, then installation). Read from the keys of
 * licensable intervals the store keeps (licensable_installations): it grows with the
 * licensable installations, not with the estate (reconcile's input). */
TuRows *tu_query_licensable_installations_at (TuDb *db, guint32 at);

#define TU_QUERY_ENTITLEMENTS(X)                                                           \
	X (TU_Q_ENT_ID, "id", TU_COL_TEXT, 0, "id")                                        \
	X (TU_Q_ENT_PUBLISHER, "publisher", TU_COL_TEXT, 0, "publisher")                   \
	X (TU_Q_ENT_PRODUCT, "product", TU_COL_TEXT, 0, "product")                         \
	X (TU_Q_ENT_EDITION, "edition", TU_COL_TEXT, 0, "edition")                         \
	X (TU_Q_ENT_RELEASE, "release", TU_COL_TEXT, 0, "product_release")                 \
	X (TU_Q_ENT_METRIC, "metric", TU_COL_TEXT, 0, "metric")                            \
	X (TU_Q_ENT_QUANTITY, "quantity", TU_COL_INT, 0, "quantity")                       \
	X (TU_Q_ENT_START, "start", TU_COL_DATE, 0, "start_date")                          \
	X (TU_Q_ENT_END, "end", TU_COL_DATE, 0, "end_date")                                \
	X (TU_Q_ENT_MAINTENANCE_END, "maintenance_end", TU_COL_DATE, 0, "maintenance_end") \
	X (TU_Q_ENT_DOWNGRADE, "downgrade", TU_COL_INT, 0, "downgrade")                    \
	X (TU_Q_ENT_CORE_FACTOR, "core_factor", TU_COL_NUMBER, 0, "core_factor")           \
	X (TU_Q_ENT_MIN_CORES, "min_cores", TU_COL_INT, 0, "min_cores")                    \
	X (TU_Q_ENT_UNIT_COST, "unit_cost", TU_COL_MONEY, 0, "unit_cost")                  \
	X (TU_Q_ENT_CURRENCY, "currency", TU_COL_TEXT, 0, "currency")                      \
	X (TU_Q_ENT_SCOPE, "scope", TU_COL_TEXT, 0, "scope")                               \
	X (TU_Q_ENT_CONTRACT, "contract", TU_COL_TEXT, 0, "contract_id")                   \
	X (TU_Q_ENT_PO, "po", TU_COL_TEXT, 0, "po")                                        \
	X (TU_Q_ENT_EXTENDED, "extended_support", TU_COL_TEXT, 0, "extended_support")
enum { TU_QUERY_ENTITLEMENTS (TU_Q_ENUM) TU_Q_ENT_N };
/* Every entitlement, by id (the engine decides which are active); extended_support is not
 * NULL for a purchase of paid extended support (migration 0011), which patch reads and the
 * licence engine leaves out. */
TuRows *tu_query_entitlements (TuDb *db);

#define TU_QUERY_PRICES(X)                                                  \
	X (TU_Q_PRICE_PUBLISHER, "publisher", TU_COL_TEXT, 0, "publisher")  \
	X (TU_Q_PRICE_PRODUCT, "product", TU_COL_TEXT, 0, "product")        \
	X (TU_Q_PRICE_EDITION, "edition", TU_COL_TEXT, 0, "edition")        \
	X (TU_Q_PRICE_METRIC, "metric", TU_COL_TEXT, 0, "metric")           \
	X (TU_Q_PRICE_UNIT_COST, "unit_cost", TU_COL_MONEY, 0, "unit_cost") \
	X (TU_Q_PRICE_CURRENCY, "currency", TU_COL_TEXT, 0, "currency")
enum { TU_QUERY_PRICES (TU_Q_ENUM) TU_Q_PRICE_N };
/* The price list. */
TuRows *tu_query_prices (TuDb *db);

/* ------------------------------------------------------------- the patch engine's input --- */
#define TU_QUERY_HOST_GROUPS(X)                                          \
	X (TU_Q_HGROUP_HOST_KEY, "host_key", TU_COL_TEXT, 0, "host_key") \
	X (TU_Q_HGROUP_GROUPS, "groups", TU_COL_TEXT, 0, "groups_list")
enum { TU_QUERY_HOST_GROUPS (TU_Q_ENUM) TU_Q_HGROUP_N };
/* The imported host attributes that name groups (extended support bought). */
TuRows *tu_query_host_groups (TuDb *db);

#define TU_QUERY_PATCH_HOSTS(X)                                                        \
	X (TU_Q_PHOST_ID, "id", TU_COL_INT, 0, "id")                                   \
	X (TU_Q_PHOST_NAME, "host", TU_COL_TEXT, 0, "hostname")                        \
	X (TU_Q_PHOST_OS_ID, "os_id", TU_COL_TEXT, 0, "os_id")                         \
	X (TU_Q_PHOST_OS_VERSION_ID, "os_version_id", TU_COL_TEXT, 0, "os_version_id") \
	X (TU_Q_PHOST_OS_LABEL, "os", TU_COL_TEXT, 0, "COALESCE(os_pretty, os_name)")  \
	X (TU_Q_PHOST_OS_VERSION, "os_version", TU_COL_TEXT, 0, "os_version")          \
	X (TU_Q_PHOST_OS_EDITION, "os_edition", TU_COL_TEXT, 0, "os_edition")          \
	X (TU_Q_PHOST_MACHINE_ID, "machine_id", TU_COL_TEXT, 0, "machine_id")
enum { TU_QUERY_PATCH_HOSTS (TU_Q_ENUM) TU_Q_PHOST_N };
/* The hosts with their operating system, by name; @host: only the hosts whose name, FQDN or
 * machine-id it is (NULL: all). */
TuRows *tu_query_hosts_os (TuDb *db, const char *host);

#define TU_QUERY_KEV(X)                                \
	X (TU_Q_KEV_CVE, "cve", TU_COL_TEXT, 0, "cve") \
	X (TU_Q_KEV_DUE, "due_date", TU_COL_DATE, 0, "due_date")
enum { TU_QUERY_KEV (TU_Q_ENUM) TU_Q_KEV_N };
/* The known-exploited CVEs with CISA's due dates. */
TuRows *tu_query_kev (TuDb *db);

#define TU_QUERY_VULN_META(X)                                                    \
	X (TU_Q_VMETA_ID, "id", TU_COL_TEXT, 0, "id")                            \
	X (TU_Q_VMETA_CVSS_SCORE, "cvss_score", TU_COL_NUMBER, 0, "cvss_score")  \
	X (TU_Q_VMETA_GIT_RANGES, "n_git_ranges", TU_COL_INT, 0, "n_git_ranges") \
	X (TU_Q_VMETA_CVSS_VECTOR, "cvss_vector", TU_COL_TEXT, 0, "cvss_vector") \
	X (TU_Q_VMETA_SEVERITY, "severity", TU_COL_TEXT, 0, "severity")          \
	X (TU_Q_VMETA_SEVERITY_SOURCE, "severity_source", TU_COL_TEXT, 0, "severity_source")
enum { TU_QUERY_VULN_META (TU_Q_ENUM) TU_Q_VMETA_N };
/* Every stored advisory's score, vector and severity. */
TuRows *tu_query_vuln_meta (TuDb *db);

#define TU_QUERY_VULN_ALIASES(X)                                      \
	X (TU_Q_VALIAS_VULN_ID, "vuln_id", TU_COL_TEXT, 0, "vuln_id") \
	X (TU_Q_VALIAS_ALIAS, "alias", TU_COL_TEXT, 0, "alias")
enum { TU_QUERY_VULN_ALIASES (TU_Q_ENUM) TU_Q_VALIAS_N };
/* The advisories' aliases (CVE ids), by advisory and alias. */
TuRows *tu_query_vuln_aliases (TuDb *db);

#define TU_QUERY_VULN_AFFECTED(X)                                                        \
	X (TU_Q_VAFF_VULN_ID, "vuln_id", TU_COL_TEXT, 0, "vuln_id")                      \
	X (TU_Q_VAFF_ECOSYSTEM, "ecosystem", TU_COL_TEXT, 0, "ecosystem")                \
	X (TU_Q_VAFF_ECOSYSTEM_BASE, "ecosystem_base", TU_COL_TEXT, 0, "ecosystem_base") \
	X (TU_Q_VAFF_RELEASE, "ecosystem_release", TU_COL_TEXT, 0, "ecosystem_release")  \
	X (TU_Q_VAFF_PACKAGE, "package", TU_COL_TEXT, 0, "package")                      \
	X (TU_Q_VAFF_PACKAGE_KEY, "package_key", TU_COL_TEXT, 0, "package_key")          \
	X (TU_Q_VAFF_SCHEME, "scheme", TU_COL_TEXT, 0, "scheme")                         \
	X (TU_Q_VAFF_RANGES, "ranges", TU_COL_TEXT, 0, "ranges")                         \
	X (TU_Q_VAFF_VERSIONS, "versions", TU_COL_TEXT, 0, "versions")
enum { TU_QUERY_VULN_AFFECTED (TU_Q_ENUM) TU_Q_VAFF_N };
/* Every affected (ecosystem, package) entry of the stored advisories, streamed. */
TuRows *tu_query_vuln_affected (TuDb *db);

#define TU_QUERY_PKGINDEX_RELEASES(X)                                     \
	X (TU_Q_PIR_DISTRO, "distro", TU_COL_TEXT, 0, "distro")           \
	X (TU_Q_PIR_RELEASE, "release", TU_COL_TEXT, 0, "distro_release") \
	X (TU_Q_PIR_FORMAT, "format", TU_COL_TEXT, 0, "format")           \
	X (TU_Q_PIR_N_PACKAGES, "packages", TU_COL_INT, 0, "n_packages")  \
	X (TU_Q_PIR_IMPORTED, "imported_at", TU_COL_TEXT, 0, "imported_at")
enum { TU_QUERY_PKGINDEX_RELEASES (TU_Q_ENUM) TU_Q_PIR_N };
/* The distribution releases whose package index is imported, by distro and release. */
TuRows *tu_query_pkgindex_releases (TuDb *db);

#define TU_QUERY_PKGINDEX(X)                                        \
	X (TU_Q_PI_NAME, "name", TU_COL_TEXT, 0, "name")            \
	X (TU_Q_PI_VERSION, "version", TU_COL_TEXT, 0, "version")   \
	X (TU_Q_PI_ARCH, "arch", TU_COL_TEXT, 0, "arch")            \
	X (TU_Q_PI_SOURCE, "source", TU_COL_TEXT, 0, "source_name") \
	X (TU_Q_PI_SOURCE_VERSION, "source_version", TU_COL_TEXT, 0, "source_version")
enum { TU_QUERY_PKGINDEX (TU_Q_ENUM) TU_Q_PI_N };
/* The package index of one distribution release (@distro "debian", @release "12"), by
 * package name, streamed. */
TuRows *tu_query_pkgindex (TuDb *db, const char *distro, const char *release);
/* Its rows for the packages @names only (at most TU_QUERY_MAX_IDS), in no particular order. */
TuRows *tu_query_pkgindex_of (TuDb *db, const char *distro, const char *release,
			      const char *const *names, guint n_names);

#define TU_QUERY_SOFTWARE_SETS(X)                                           \
	X (TU_Q_SET_HOST_ID, "host_id", TU_COL_INT, 0, "host_id")           \
	X (TU_Q_SET_N, "n_installations", TU_COL_INT, 0, "n_installations") \
	X (TU_Q_SET_IDS, "software_ids", TU_COL_TEXT, 0, "software_ids")
enum { TU_QUERY_SOFTWARE_SETS (TU_Q_ENUM) TU_Q_SET_N_COLUMNS };
/* Each host's current installed software (host_software_sets: one row a host, the software
 * ids of its open installed intervals in installation order; tu_software_set_id reads them),
 * a page of hosts at a time; @host as tu_query_hosts_os (NULL: every host, in the store's
 * order). */
TuRows *tu_query_software_sets (TuDb *db, const char *host);
/* The software sets of the hosts @ids (at most TU_QUERY_MAX_IDS; no row for a host without a
 * current installation), in no particular order. */
TuRows *tu_query_software_sets_of (TuDb *db, const guint64 *ids, guint n_ids);
/* The number of ids in the software_ids cell of the row tu_rows_next() returned last, checked
 * against its n_installations cell; FALSE (with @error) when they disagree. */
gboolean tu_software_set_check (TuRows *rows, char **row, guint *n_ids, GError **error);
/* The @i-th software id of a software_ids cell. */
guint64 tu_software_set_id (const char *ids, guint i);

#define TU_QUERY_SOFTWARE_BY_ID(X)                                                     \
	X (TU_Q_SW_ID, "id", TU_COL_INT, 0, "id")                                      \
	X (TU_Q_SW_SOURCE, "source", TU_COL_TEXT, 0, "source")                         \
	X (TU_Q_SW_RAW_NAME, "raw_name", TU_COL_TEXT, 0, "raw_name")                   \
	X (TU_Q_SW_RAW_VERSION, "raw_version", TU_COL_TEXT, 0, "raw_version")          \
	X (TU_Q_SW_PUBLISHER, "publisher", TU_COL_TEXT, 0, "publisher")                \
	X (TU_Q_SW_PRODUCT, "product", TU_COL_TEXT, 0, "product")                      \
	X (TU_Q_SW_VERSION, "version", TU_COL_TEXT, 0, "version")                      \
	X (TU_Q_SW_SCHEME, "scheme", TU_COL_TEXT, 0, "scheme")                         \
	X (TU_Q_SW_SOURCE_PACKAGE, "source_package", TU_COL_TEXT, 0, "source_package") \
	X (TU_Q_SW_PURL, "purl", TU_COL_TEXT, 0, "COALESCE(norm_purl, purl)")          \
	X (TU_Q_SW_CPE, "cpe", TU_COL_TEXT, 0, "COALESCE(norm_cpe, cpe)")              \
	X (TU_Q_SW_EDITION, "edition", TU_COL_TEXT, 0, "edition")                      \
	X (TU_Q_SW_RELEASE, "release", TU_COL_TEXT, 0, "product_release")              \
	X (TU_Q_SW_RAW_PUBLISHER, "raw_publisher", TU_COL_TEXT, 0, "raw_publisher")
enum { TU_QUERY_SOFTWARE_BY_ID (TU_Q_ENUM) TU_Q_SW_N };
/* The software rows of @ids (at most TU_QUERY_MAX_IDS at a time). */
#define TU_QUERY_MAX_IDS 1000
TuRows *tu_query_software_by_id (TuDb *db, const guint64 *ids, guint n_ids);

/* --------------------------------------------------------------------- db status --- */
#define TU_QUERY_SCAN_STATUS(X)                                   \
	X (TU_Q_SCANS_STATUS, "status", TU_COL_TEXT, 0, "status") \
	X (TU_Q_SCANS_N, "scans", TU_COL_INT, 0, "COUNT(*)")
enum { TU_QUERY_SCAN_STATUS (TU_Q_ENUM) TU_Q_SCANS_NCOL };
/* How many scans have each status (ok, failed, interrupted...). */
TuRows *tu_query_scans_by_status (TuDb *db);

/* The row counts of the main tables, in a fixed order: @names (static strings) and @counts
 * (gint64, -1 for a table of a pending migration). */
gboolean tu_query_table_counts (TuDb *db, GPtrArray **names, GArray **counts, GError **error);

G_END_DECLS
