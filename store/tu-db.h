/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inventory connection: an embedded MariaDB (libmariadbd) under DATA_DIR/db by default, or
 * a MariaDB/MySQL server named by a mysql:// URL. The same SQL runs in both modes.
 *
 * This is the connection as the rest of trueup sees it: open, close, where it points and
 * whether it is still reachable. Running SQL (statements, results, transactions, TuSql) is
 * store-internal, in tu-sql.h, so that no file outside store/ sees the MySQL C API.
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

#include "tu-error.h"

G_BEGIN_DECLS

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
/* Another connection to the same store: the embedded server this process runs, or the server
 * @db is connected to (failing over to the URL's other hosts as @db does). For a second
 * thread that stores at the same time (its own transactions). (transfer full) */
TuDb *tu_db_open_another (TuDb *db, GError **error);
/* Shut the embedded server down cleanly now (it also happens at exit). No store can be opened
 * in this process afterwards. */
void tu_db_shutdown (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuDb, tu_db_close)

gboolean tu_db_is_embedded (TuDb *db);
/* The embedded server's redo log for a store of @store_bytes: 16 MB, doubled while it is under
 * an eighth of the store, at most 512 MB (an explicit --innodb-log-file-size in the server
 * options wins). */
guint64 tu_db_redo_log_bytes (guint64 store_bytes);
#define TU_DB_REDO_LOG_MAX (512u << 20)
/* Embedded: make the redo log at least @bytes (at most TU_DB_REDO_LOG_MAX) for a big write that
 * has started, on the running server (MariaDB 10.11 resizes it online); kept at later starts.
 * A server's log is its administrator's: nothing is done. */
gboolean tu_db_reserve_redo_log (TuDb *db, guint64 bytes, GError **error);
/* A thread that did not open the store and uses it (one thread at a time, as always): enter
 * before its first statement, leave before it ends. */
void tu_db_thread_enter (void);
void tu_db_thread_leave (void);
/* (transfer none) e.g. "10.11.19-MariaDB-0+deb12u1-embedded" */
const char *tu_db_server_version (TuDb *db);
/* (transfer none) the data directory (embedded) or "host:port/db" (server: the host now
 * connected to); no secrets */
const char *tu_db_location (TuDb *db);

/* TRUE when the embedded store was created by this open (a fresh data directory). */
gboolean tu_db_is_new (TuDb *db);

/* Once the servers stayed away past the failover window: the one error that says so (every
 * call on @db fails with a copy of it). NULL while the store is reachable. (transfer none) */
const GError *tu_db_unreachable (TuDb *db);

/* How many times the connection was lost and made again (to the same or another host). */
guint tu_db_n_reconnects (TuDb *db);

G_END_DECLS
