/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running SQL on a TuDb: statements, results, the host pager, transactions with retries, and
 * TuSql for binding values. Store-internal: only store/ includes this header (and test
 * programs that check what the store holds); it is the one place the MySQL C API is
 * included, and only the store's library gets the MySQL dependency's include path
 * (tools/checkdeps checks both). The connection itself is tu-db.h.
 */
#pragma once

#include <glib.h>
#include <mysql.h>

#include "tu-db.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MYSQL_RES, mysql_free_result)

/* (transfer none) the raw handle, for the writer's LOAD DATA path */
MYSQL *tu_db_handle (TuDb *db);
/* Embedded: the directory the server may load files from (DATA_DIR/tmp); NULL for a server.
 * (transfer none) */
const char *tu_db_load_dir (TuDb *db);

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
/* The byte lengths of the cells of the row tu_db_pager_next() returned last. */
unsigned long *tu_db_pager_lengths (TuDbPager *p);
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
/* The value, or SQL NULL when @present is FALSE (unknown, none): the one way to bind an
 * optional value. */
void tu_sql_bind_int_or_null (TuSql *sql, gint64 value, gboolean present);
void tu_sql_bind_uint_or_null (TuSql *sql, guint64 value, gboolean present);
void tu_sql_bind_double_or_null (TuSql *sql, double value, gboolean present);
/* A Julian day as 'YYYY-MM-DD', or SQL NULL for 0 (no date). */
void tu_sql_bind_date (TuSql *sql, guint32 julian);
/* The rendered statement; a critical when the number of bound values does not match.
 * (transfer none) */
const char *tu_sql_get (TuSql *sql);

/* Convenience for results */
gint64 tu_row_int (MYSQL_ROW row, guint col, gint64 if_null);
const char *tu_row_str (MYSQL_ROW row, guint col); /* "" for NULL */

G_END_DECLS
