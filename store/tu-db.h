/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inventory connection: an embedded MariaDB (libmariadbd) under DATA_DIR/db by default, or
 * a MariaDB/MySQL server named by a mysql:// URL. The same SQL runs in both modes.
 *
 * Values never reach SQL text unescaped: queries are written with '?' placeholders and values
 * are bound through TuSql, which escapes them with the connection's character set. Passwords
 * come from option files or the environment (TRUEUP_DB_PASSWORD, MYSQL_PWD), never from the
 * URL, and are never part of an error message.
 *
 * Transient server errors (deadlock, lock wait timeout, lost connection) carry the code
 * TU_ERROR_DB_TRANSIENT; tu_db_transaction() retries a whole transaction on them with back-off.
 */
#pragma once

#include <glib.h>
#include <mysql.h>

#include "tu-error.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MYSQL_RES, mysql_free_result)

typedef struct _TuDb TuDb;

typedef struct {
	const char *url;	 /* NULL: embedded */
	const char *data_dir;	 /* embedded: DATA_DIR (the store is DATA_DIR/db) */
	const char *option_file; /* extra option file for mysql://?group=NAME (e.g. --config) */
	const char *ssl_ca;	 /* TLS settings from the config; the URL query overrides */
	const char *ssl_cert;
	const char *ssl_key;
	gboolean ssl_verify;	 /* verify the server certificate and host name */
	gboolean ssl_verify_set;
	guint connect_timeout;	 /* seconds, 0: default (10) */
	const char *server_options; /* embedded: extra server options, e.g. "--innodb-buffer-pool-size=1G"
				     * (config server-options, env TRUEUP_SERVER_OPTIONS) */
	guint failover_window;	 /* seconds to keep reconnecting after a lost connection; 0: the
				  * URL's failover-window, else 60 */
} TuDbOptions;

/* One server of the URL's host list. */
typedef struct {
	char *host; /* NULL: localhost (or the option group's host) */
	guint port; /* 0: the default */
} TuDbHost;

/* A parsed mysql:// URL. Fields are NULL when absent.
 *
 *   mysql://USER@HOST[:PORT][,HOST[:PORT]...]/DBNAME?socket=...&group=...&ssl-ca=...
 *
 * Several hosts, as libpq takes them, are the nodes of one cluster (Galera) or a primary and
 * its stand-ins: trueup connects to the first that answers and, when a connection is lost,
 * to the next, for up to failover-window seconds (default 60). IPv6 addresses go in
 * brackets ([::1]:3306). */
typedef struct {
	char *user;
	TuDbHost *hosts; /* n_hosts of them; none: localhost, the socket or the option group */
	guint n_hosts;
	char *database;
	char *socket;
	char *group;
	char *ssl_ca;
	char *ssl_cert;
	char *ssl_key;
	int ssl_verify; /* -1 unset, 0, 1 */
	guint failover_window; /* seconds, when failover_window_set */
	gboolean failover_window_set;
} TuDbUrl;

/* Parse @url. A password in the URL is refused (it would show in `ps`) in every form (a ':'
 * before the '@', whatever characters the password holds; ?password=); unknown query keys,
 * malformed %-escapes (a '%' without two hex digits, %00, invalid UTF-8) and an empty host of
 * the list are refused. Error messages never repeat the URL or any part of its authority that
 * could hold a secret. */
gboolean tu_db_url_parse (const char *url, TuDbUrl *out, GError **error);
void tu_db_url_clear (TuDbUrl *url);
/* A parsed URL written back for messages: user, hosts and database; no query. (transfer full) */
char *tu_db_url_format (const TuDbUrl *url);
/* @url for messages: tu_db_url_format of the parsed URL, or a fixed text when it does not
 * parse (a URL that failed to parse is never shown). (transfer full) */
char *tu_db_url_redact (const char *url);

/* Open the store. Embedded: create DATA_DIR/db if needed, take the data-directory lock, start
 * the server with its messages in DATA_DIR/server.log. Server: connect and create the
 * database if it does not exist and the user may. (transfer full) */
TuDb *tu_db_open (const TuDbOptions *options, GError **error);
void tu_db_close (TuDb *db);
/* Shut the embedded server down cleanly now (it also happens at exit). No store can be opened
 * in this process afterwards. */
void tu_db_shutdown (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuDb, tu_db_close)

gboolean tu_db_is_embedded (TuDb *db);
/* A thread that did not open the store and uses it (one thread at a time, as always): enter
 * before its first statement, leave before it ends. */
void tu_db_thread_enter (void);
void tu_db_thread_leave (void);
/* (transfer none) e.g. "10.11.19-MariaDB-0+deb12u1-embedded" */
const char *tu_db_server_version (TuDb *db);
/* (transfer none) the data directory (embedded) or "host:port/db" (server: the host now
 * connected to); no secrets */
const char *tu_db_location (TuDb *db);
/* (transfer none) the raw handle, for the writer's LOAD DATA path */
MYSQL *tu_db_handle (TuDb *db);
/* Embedded: the directory the server may load files from (DATA_DIR/tmp); NULL for a server.
 * (transfer none) */
const char *tu_db_load_dir (TuDb *db);

/* TRUE when the embedded store was created by this open (a fresh data directory). */
gboolean tu_db_is_new (TuDb *db);

/* Run one statement that returns no rows. */
gboolean tu_db_exec (TuDb *db, const char *sql, GError **error);
/* Run a statement and store its whole result. (transfer full); NULL with @error. */
MYSQL_RES *tu_db_query (TuDb *db, const char *sql, GError **error);
/* Run a statement and stream its result row by row (mysql_use_result): against a server memory
 * stays flat, and no other statement may run on @db until the result is freed. The embedded
 * server runs the statement to the end before the first row and keeps the whole result in
 * memory: for results that grow with the estate, use a TuDbPager. (transfer full) */
MYSQL_RES *tu_db_query_stream (TuDb *db, const char *sql, GError **error);

/* Rows of a statement over installations, read a page of hosts at a time, so that memory is
 * bounded by the page and not by the estate in both modes.
 *
 * @sql contains the token "{hosts}" once, before any bound value; each page runs it with the
 * token replaced by "@column IN (id, ...)" for the next page of @host_ids (in their order, so
 * a statement ordered by host gives one ordered stream). Against a server, where results
 * stream, the token becomes "@column IN (all ids)" for a filtered list, or TRUE when
 * @host_ids is NULL (every host), and the statement runs once. @host_ids: guint64 host ids
 * (borrowed), or NULL for every host in id order. No other statement may run on @db while the
 * pager is reading. */
typedef struct _TuDbPager TuDbPager;
TuDbPager *tu_db_pager_new (TuDb *db, const char *sql, const char *column, GArray *host_ids,
			    GError **error);
/* The next row (valid until the next call), or NULL at the end or on an error (@error set). */
MYSQL_ROW tu_db_pager_next (TuDbPager *p, GError **error);
void tu_db_pager_free (TuDbPager *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuDbPager, tu_db_pager_free)
/* Affected rows of the last statement. */
guint64 tu_db_affected_rows (TuDb *db);
guint64 tu_db_insert_id (TuDb *db);

/* Fill @error from the connection's last error, with @context prefixed; sets the transient
 * code for retryable errors. Always returns FALSE. */
gboolean tu_db_set_error (TuDb *db, GError **error, const char *context);

/* Escape @value as a quoted SQL string literal and append it to @sql ('it''s' style, with the
 * connection's character set). */
void tu_db_append_quoted (TuDb *db, GString *sql, const char *value, gssize len);

/* A transaction body. Return FALSE with @error to roll back. It may be called more than once
 * (after a transient error) so it must not keep state between calls except via @user_data
 * that it resets itself. */
typedef gboolean (*TuDbTxnFunc) (TuDb *db, gpointer user_data, GError **error);

/* BEGIN; @func; COMMIT. A deadlock, lock wait or Galera certification conflict retries the
 * whole transaction (up to 10 times, with back-off and jitter). A lost connection (server
 * restarted or killed, a Galera node leaving the cluster) reconnects, to the next host of the
 * URL's list first, with back-off, and retries the whole transaction, for up to the failover
 * window; past it the error is TU_ERROR_DB_UNREACHABLE, naming the server(s), and every later
 * call on @db fails at once with it (the run should stop). */
gboolean tu_db_transaction (TuDb *db, TuDbTxnFunc func, gpointer user_data, GError **error);

/* Run an idempotent statement, retrying transient errors as tu_db_transaction() does
 * (outside a transaction). */
gboolean tu_db_exec_retry (TuDb *db, const char *sql, GError **error);

/* Once the servers stayed away past the failover window: the one error that says so (every
 * call on @db fails with a copy of it). NULL while the store is reachable. (transfer none) */
const GError *tu_db_unreachable (TuDb *db);

/* How many times the connection was lost and made again (to the same or another host). */
guint tu_db_n_reconnects (TuDb *db);

/* Sleep for the @attempt-th back-off (0-based): 50 ms, 100 ms, 200 ms, ... with jitter. */
void tu_db_backoff (guint attempt);

/*
 * TuSql: a statement with '?' placeholders and bound values, rendered with escaping. The
 * template is a fixed string in the code; only values vary.
 *
 *   g_autoptr(TuSql) q = tu_sql_new (db, "SELECT id FROM hosts WHERE hostname = ? AND id > ?");
 *   tu_sql_bind_str (q, name);
 *   tu_sql_bind_int (q, 10);
 *   res = tu_db_query (db, tu_sql_get (q), error);
 */
typedef struct _TuSql TuSql;
TuSql *tu_sql_new (TuDb *db, const char *template_sql);
void tu_sql_free (TuSql *sql);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuSql, tu_sql_free)
void tu_sql_bind_str (TuSql *sql, const char *value); /* NULL binds SQL NULL */
void tu_sql_bind_int (TuSql *sql, gint64 value);
void tu_sql_bind_uint (TuSql *sql, guint64 value);
void tu_sql_bind_double (TuSql *sql, double value);
void tu_sql_bind_null (TuSql *sql);
/* The rendered statement; a critical when the number of bound values does not match.
 * (transfer none) */
const char *tu_sql_get (TuSql *sql);

/* Convenience for results */
gint64 tu_row_int (MYSQL_ROW row, guint col, gint64 if_null);
const char *tu_row_str (MYSQL_ROW row, guint col); /* "" for NULL */

G_END_DECLS
