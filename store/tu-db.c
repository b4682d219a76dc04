/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inventory connection, embedded or server; see tu-db.h for the contract.
 *
 * Embedded mode starts libmariadbd once per process (a second mysql_library_init after
 * mysql_library_end crashes the library), so a TuDb is a process-wide singleton there. The
 * server itself does not protect a data directory from a second process (it waits on the Aria
 * lock, then starts anyway and the first process fails), so trueup takes an flock on
 * DATA_DIR/trueup.lock before starting it and names the holder when that fails.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <errmsg.h>
#include <mysqld_error.h>

#include "tu-common.h"
#include "tu-db.h"
#include "tu-sql.h"

#define TU_DB_DEFAULT_NAME "trueup"

struct _TuDb {
	MYSQL *mysql;
	gboolean is_embedded;
	gboolean is_new;
	char *location;
	char *server_version;
	/* server mode: what is needed to reconnect after a lost connection */
	TuDbUrl url;
	TuDbOptions options;
	char *option_file;
	char *load_dir;
	char *password; /* from the environment; never logged */
	char *url_string; /* server mode: the URL as given, for tu_db_open_another */
	int lock_fd;
	/* server mode: failover */
	guint cur_host;	       /* index into url.hosts of the connection */
	guint failover_window; /* seconds */
	guint n_reconnects;
	unsigned int last_errno; /* of the last error set by tu_db_set_error */
	GError *gone;		 /* set once the servers stayed away past the window */
};

#ifdef TU_HAVE_EMBEDDED
static gboolean library_started = FALSE;
static char *library_data_dir = NULL;
static char *library_load_dir = NULL; /* in memory (make_load_dir); removed at exit */
#endif

/* ---------------------------------------------------------------- URL ------------------ */

void
tu_db_url_clear (TuDbUrl *url)
{
	g_clear_pointer (&url->user, g_free);
	for (guint i = 0; i < url->n_hosts; i++)
		g_free (url->hosts[i].host);
	g_clear_pointer (&url->hosts, g_free);
	url->n_hosts = 0;
	g_clear_pointer (&url->database, g_free);
	g_clear_pointer (&url->socket, g_free);
	g_clear_pointer (&url->group, g_free);
	g_clear_pointer (&url->ssl_ca, g_free);
	g_clear_pointer (&url->ssl_cert, g_free);
	g_clear_pointer (&url->ssl_key, g_free);
	url->failover_window = 0;
	url->ssl_verify = -1;
}

/* Decode a %-escaped part of the URL. Refused (NULL): a '%' not followed by two hex digits,
 * an escaped NUL, and text that is not UTF-8. The part itself is never put in a message: it
 * may be a mistyped secret. (transfer full) */
static char *
url_unescape (const char *s, gsize len, const char *what, GError **error)
{
	g_autoptr(GString) out = g_string_sized_new (len);
	for (gsize i = 0; i < len; i++) {
		if (s[i] != '%') {
			g_string_append_c (out, s[i]);
			continue;
		}
		if (i + 2 >= len || !g_ascii_isxdigit (s[i + 1]) || !g_ascii_isxdigit (s[i + 2])) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
				     "--db: %s: a '%%' must be followed by two hexadecimal digits "
				     "(write %%25 for '%%')",
				     what);
			return NULL;
		}
		int v = g_ascii_xdigit_value (s[i + 1]) * 16 + g_ascii_xdigit_value (s[i + 2]);
		if (v == 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "--db: %s: %%00 (a NUL byte) is not allowed",
				     what);
			return NULL;
		}
		g_string_append_c (out, (char) v);
		i += 2;
	}
	if (!g_utf8_validate (out->str, (gssize) out->len, NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "--db: %s: not valid UTF-8 once decoded",
			     what);
		return NULL;
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_valid_db_name (const char *name)
{
	if (name == NULL || *name == '\0' || strlen (name) > 64)
		return FALSE;
	for (const char *p = name; *p; p++) {
		if (!g_ascii_isalnum (*p) && *p != '_' && *p != '$')
			return FALSE;
	}
	return TRUE;
}

/* A host name as it may appear in the list: letters, digits, '.', '-', '_' (and '%'-escapes,
 * decoded and checked again). Nothing else: the name is shown in messages. */
static gboolean
is_valid_host_name (const char *name)
{
	if (name == NULL || *name == '\0' || strlen (name) > 255)
		return FALSE;
	for (const char *p = name; *p; p++) {
		if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
			return FALSE;
	}
	return TRUE;
}

static gboolean
is_valid_ipv6 (const char *addr, gsize len)
{
	if (len == 0 || len > 45)
		return FALSE;
	gboolean has_colon = FALSE;
	for (gsize i = 0; i < len; i++) {
		if (addr[i] == ':')
			has_colon = TRUE;
		else if (!g_ascii_isxdigit (addr[i]) && addr[i] != '.')
			return FALSE;
	}
	return has_colon;
}

/* One "host[:port]" or "[v6]:port" of the list; @n is its position (1-based) for messages,
 * which show the host (never a secret: a ':' before the '@' was refused earlier) but not a
 * port that is not a number. */
static gboolean
parse_host (const char *p, gsize len, guint n, TuDbHost *out, GError **error)
{
	const char *end = p + len;
	const char *port_colon = NULL;
	if (len > 0 && *p == '[') {
		const char *close = memchr (p, ']', len);
		if (close == NULL || !is_valid_ipv6 (p + 1, (gsize) (close - p - 1))) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
				     "--db: host %u: an IPv6 address goes in brackets, as [::1]:3306", n);
			return FALSE;
		}
		out->host = g_strndup (p + 1, (gsize) (close - p - 1));
		if (close + 1 < end) {
			if (close[1] != ':') {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
					     "--db: host %u: only \":PORT\" may follow \"[%s]\"", n,
					     out->host);
				return FALSE;
			}
			port_colon = close + 1;
		}
	} else {
		port_colon = memchr (p, ':', len);
		const char *host_end = port_colon ? port_colon : end;
		if (host_end > p) {
			g_autofree char *what = g_strdup_printf ("host %u", n);
			out->host = url_unescape (p, (gsize) (host_end - p), what, error);
			if (out->host == NULL)
				return FALSE;
			if (!is_valid_host_name (out->host)) {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
					     "--db: host %u is not a host name or address (letters, "
					     "digits, '.', '-', '_'; IPv6 in brackets)",
					     n);
				return FALSE;
			}
		}
	}
	if (port_colon != NULL) {
		g_autofree char *port = g_strndup (port_colon + 1, (gsize) (end - port_colon - 1));
		guint64 v = 0;
		if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &v, NULL)) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
				     "--db: host %u%s%s%s: the port is not a number between 1 and 65535",
				     n, out->host ? " (" : "", out->host ? out->host : "",
				     out->host ? ")" : "");
			return FALSE;
		}
		out->port = (guint) v;
	}
	return TRUE;
}

/* Set by tu_db_url_parse for every refused password form, so one message serves them all. */
static void
set_password_error (GError **error)
{
	g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
		     "--db: the URL seems to carry a password (a ':' before the '@'); a password "
		     "there would be visible to other users in the process list: put it in an "
		     "option file or TRUEUP_DB_PASSWORD (the URL is not shown; percent-encode a "
		     "':' that belongs to the user name as %%3A)");
}

gboolean
tu_db_url_parse (const char *url, TuDbUrl *out, GError **error)
{
	memset (out, 0, sizeof *out);
	out->ssl_verify = -1;
	if (!g_str_has_prefix (url, "mysql://") && !g_str_has_prefix (url, "mariadb://")) {
		/* not shown: a mistyped URL may carry a secret */
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "--db: not a database URL (expected "
			     "mysql://USER@HOST[:PORT][,HOST[:PORT]...]/DBNAME)");
		return FALSE;
	}
	const char *rest = strstr (url, "://") + 3;
	/* The user ends at the first '@'. A ':' before it is a password, whatever follows it
	 * ('/', '?' and '@' included): refused before anything of the authority is looked at, so
	 * that no part of a password reaches a message. */
	const char *first_at = strchr (rest, '@');
	if (first_at != NULL && memchr (rest, ':', (gsize) (first_at - rest)) != NULL) {
		set_password_error (error);
		return FALSE;
	}
	const char *auth_end = rest + strcspn (rest, "/?#");
	if (strchr (rest, '#') != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "--db: a URL fragment ('#') means nothing here");
		return FALSE;
	}
	const char *p = rest;
	if (first_at != NULL && first_at < auth_end) {
		if (first_at > rest) {
			out->user = url_unescape (rest, (gsize) (first_at - rest), "user name", error);
			if (out->user == NULL)
				goto fail;
			if (*out->user == '\0' || strlen (out->user) > 128) {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "--db: the user name is too long");
				goto fail;
			}
		}
		p = first_at + 1;
	}
	/* the host list: host[:port] or [v6][:port], separated by commas */
	if (p < auth_end) {
		GArray *hosts = g_array_new (FALSE, TRUE, sizeof (TuDbHost));
		const char *h = p;
		gboolean ok = TRUE;
		while (ok) {
			const char *comma = h;
			/* a comma inside brackets cannot occur in a valid address; stop at the next */
			while (comma < auth_end && *comma != ',')
				comma++;
			TuDbHost host = {0};
			if (comma == h) {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
					     "--db: host %u of the list is empty", hosts->len + 1);
				ok = FALSE;
			} else {
				ok = parse_host (h, (gsize) (comma - h), hosts->len + 1, &host, error);
			}
			g_array_append_val (hosts, host);
			if (comma >= auth_end)
				break;
			h = comma + 1;
			if (h >= auth_end && ok) {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
					     "--db: host %u of the list is empty", hosts->len + 1);
				ok = FALSE;
			}
		}
		out->n_hosts = hosts->len;
		out->hosts = (TuDbHost *) (void *) g_array_free (hosts, FALSE);
		if (!ok)
			goto fail;
	}
	const char *query = strchr (auth_end, '?');
	const char *path_end = query ? query : auth_end + strlen (auth_end);
	if (*auth_end == '/' && auth_end + 1 < path_end) {
		out->database = url_unescape (auth_end + 1, (gsize) (path_end - auth_end - 1),
					      "database name", error);
		if (out->database == NULL)
			goto fail;
		if (!is_valid_db_name (out->database)) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
				     "--db: the database name must be letters, digits, '_' or '$' "
				     "(at most 64)");
			goto fail;
		}
	}
	if (query != NULL) {
		g_auto(GStrv) pairs = g_strsplit (query + 1, "&", -1);
		for (guint i = 0; pairs[i] != NULL; i++) {
			if (*pairs[i] == '\0')
				continue;
			char *eq = strchr (pairs[i], '=');
			g_autofree char *key = eq ? g_strndup (pairs[i], (gsize) (eq - pairs[i]))
						  : g_strdup (pairs[i]);
			for (char *k = key; *k; k++) {
				if (*k == '_')
					*k = '-';
			}
			if (g_strcmp0 (key, "password") == 0 || g_strcmp0 (key, "pwd") == 0) {
				set_password_error (error);
				goto fail;
			}
			gboolean key_ok = TRUE;
			for (const char *k = key; *k; k++)
				key_ok = key_ok && (g_ascii_isalnum (*k) || *k == '-');
			if (!key_ok || *key == '\0') {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
					     "--db: parameter %u of the query is not NAME=VALUE", i + 1);
				goto fail;
			}
			g_autofree char *what = g_strdup_printf ("parameter %s", key);
			const char *raw = eq ? eq + 1 : "";
			g_autofree char *value = url_unescape (raw, strlen (raw), what, error);
			if (value == NULL)
				goto fail;
			if (g_strcmp0 (key, "socket") == 0) {
				g_free (out->socket);
				out->socket = g_steal_pointer (&value);
			} else if (g_strcmp0 (key, "group") == 0) {
				g_free (out->group);
				out->group = g_steal_pointer (&value);
			} else if (g_strcmp0 (key, "ssl-ca") == 0 || g_strcmp0 (key, "tls-ca") == 0) {
				g_free (out->ssl_ca);
				out->ssl_ca = g_steal_pointer (&value);
			} else if (g_strcmp0 (key, "ssl-cert") == 0 ||
				   g_strcmp0 (key, "tls-cert") == 0) {
				g_free (out->ssl_cert);
				out->ssl_cert = g_steal_pointer (&value);
			} else if (g_strcmp0 (key, "ssl-key") == 0 || g_strcmp0 (key, "tls-key") == 0) {
				g_free (out->ssl_key);
				out->ssl_key = g_steal_pointer (&value);
			} else if (g_strcmp0 (key, "ssl-verify") == 0 ||
				   g_strcmp0 (key, "ssl-verify-server-cert") == 0 ||
				   g_strcmp0 (key, "tls-verify") == 0) {
				gboolean b = FALSE;
				g_autoptr(GError) local = NULL;
				if (!tu_parse_bool (value, &b, key, &local)) {
					g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "--db: %s",
						     local->message);
					goto fail;
				}
				out->ssl_verify = b;
			} else if (g_strcmp0 (key, "failover-window") == 0) {
				guint64 v = 0;
				if (!g_ascii_string_to_unsigned (value, 10, 0, 86400, &v, NULL)) {
					g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
						     "--db: failover-window=\"%s\": seconds, 0 to 86400",
						     value);
					goto fail;
				}
				out->failover_window = (guint) v;
				out->failover_window_set = TRUE;
			} else {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
					     "--db: unknown parameter \"%s\" (known: socket, group, "
					     "ssl-ca, ssl-cert, ssl-key, ssl-verify, failover-window)",
					     key);
				goto fail;
			}
		}
	}
	return TRUE;
fail:
	tu_db_url_clear (out);
	return FALSE;
}

char *
tu_db_url_format (const TuDbUrl *url)
{
	GString *s = g_string_new ("mysql://");
	if (url->user != NULL) {
		g_autofree char *user = g_uri_escape_string (url->user, NULL, FALSE);
		g_string_append_printf (s, "%s@", user);
	}
	for (guint i = 0; i < url->n_hosts; i++) {
		const TuDbHost *h = &url->hosts[i];
		if (i > 0)
			g_string_append_c (s, ',');
		if (h->host != NULL && strchr (h->host, ':') != NULL)
			g_string_append_printf (s, "[%s]", h->host);
		else if (h->host != NULL)
			g_string_append (s, h->host);
		if (h->port != 0)
			g_string_append_printf (s, ":%u", h->port);
	}
	g_string_append_c (s, '/');
	if (url->database != NULL)
		g_string_append (s, url->database);
	return g_string_free (s, FALSE);
}

char *
tu_db_url_redact (const char *url)
{
	if (url == NULL)
		return g_strdup ("(embedded)");
	TuDbUrl parsed;
	if (!tu_db_url_parse (url, &parsed, NULL))
		return g_strdup ("(a --db URL that could not be parsed; not shown)");
	char *shown = tu_db_url_format (&parsed);
	tu_db_url_clear (&parsed);
	return shown;
}

/* ---------------------------------------------------------------- errors --------------- */

/* Deadlock, lock wait timeout and a lost connection; and 1467: InnoDB reports a deadlock or
 * lock wait on a table's AUTO-INC lock (held for a whole LOAD DATA or multi-row INSERT with the
 * default innodb_autoinc_lock_mode=1) as "Failed to read auto-increment value", after rolling
 * the transaction back like any deadlock victim. Seen with two scans writing at once. */
/* The connection is gone or the node cannot serve: the server went away (2006), the
 * connection dropped mid-statement (2013, 2055), the server is shutting down (1053) or killed
 * the connection (1927), it cannot be reached (2002, 2003), or a Galera node is out of the
 * primary component ("WSREP has not yet prepared node for application use", 1047). The cure
 * is a new connection, to the next host if there is one. */
static gboolean
errno_is_connection (unsigned int code)
{
	return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST ||
	       code == CR_SERVER_LOST_EXTENDED || code == CR_CONNECTION_ERROR ||
	       code == CR_CONN_HOST_ERROR || code == ER_SERVER_SHUTDOWN ||
	       code == ER_CONNECTION_KILLED || code == ER_UNKNOWN_COM_ERROR;
}

static gboolean
errno_is_transient (unsigned int code)
{
	/* a Galera certification conflict reaches the client as a deadlock (1213) */
	return code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT ||
	       code == ER_AUTOINC_READ_FAILED || errno_is_connection (code);
}

/* The disk under the store is full: "The table 'x' is full" (1114, what InnoDB says when it
 * cannot extend a tablespace), "Disk full" (1021), or a write error whose operating-system
 * error is ENOSPC (28), whatever the statement's own error code. */
static gboolean
error_is_disk_full (unsigned int code, const char *msg)
{
	if (code == ER_RECORD_FILE_FULL || code == ER_DISK_FULL)
		return TRUE;
	if (msg == NULL)
		return FALSE;
	return strstr (msg, "Errcode: 28 ") != NULL || strstr (msg, "errno: 28 ") != NULL ||
	       strstr (msg, "error 28 ") != NULL || strstr (msg, "No space left on device") != NULL;
}

gboolean
tu_db_set_error (TuDb *db, GError **error, const char *context)
{
	unsigned int code = mysql_errno (db->mysql);
	db->last_errno = code;
	const char *msg = mysql_error (db->mysql);
	if (error_is_disk_full (code, msg)) {
		g_set_error (error, TU_ERROR, TU_ERROR_DISK_FULL,
			     "%s%sdisk full: %s %s has no space left: %s (%u)", context ? context : "",
			     context ? ": " : "", db->is_embedded ? "the store" : "the server",
			     db->location ? db->location : "", msg, code);
		return FALSE;
	}
	g_set_error (error, TU_ERROR, errno_is_transient (code) ? TU_ERROR_DB_TRANSIENT : TU_ERROR_DB,
		     "%s%s%s (%u)", context ? context : "", context ? ": " : "",
		     msg && *msg ? msg : "unknown database error", code);
	return FALSE;
}

/* ---------------------------------------------------------------- embedded ------------- */

#ifdef TU_HAVE_EMBEDDED
static gboolean
take_data_dir_lock (TuDb *db, const char *data_dir, GError **error)
{
	g_autofree char *lock_path = g_build_filename (data_dir, "trueup.lock", NULL);
	int fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "data directory %s: cannot create %s: %s",
			     data_dir, lock_path, g_strerror (saved));
		return FALSE;
	}
	if (flock (fd, LOCK_EX | LOCK_NB) != 0) {
		char buf[32] = {0};
		ssize_t n = pread (fd, buf, sizeof buf - 1, 0);
		guint64 pid = 0;
		if (n > 0)
			g_ascii_string_to_unsigned (g_strstrip (buf), 10, 1, G_MAXINT32, &pid, NULL);
		close (fd);
		if (pid > 0)
			g_set_error (error, TU_ERROR, TU_ERROR_LOCKED,
				     "data directory %s is in use by process %" G_GUINT64_FORMAT,
				     data_dir, pid);
		else
			g_set_error (error, TU_ERROR, TU_ERROR_LOCKED,
				     "data directory %s is in use by another process", data_dir);
		return FALSE;
	}
	g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());
	if (ftruncate (fd, 0) != 0 || pwrite (fd, pid, strlen (pid), 0) < 0) {
		/* the lock is what matters; the pid is only for the message */
	}
	db->lock_fd = fd;
	return TRUE;
}

static void
library_shutdown (void)
{
	if (!library_started)
		return;
	/* fd 2 is the server log since the start (tu_terminal_divert) */
	mysql_library_end ();
	library_started = FALSE;
}

/* The embedded server's options. Sized for a desktop tool: a small buffer pool and redo log
 * keep a fresh store at about 30 MB and start-up near 0.1 s (see README). Durability: the redo
 * log is written at every commit and flushed once a second, so a crash of trueup itself loses
 * nothing, a power cut at most the last second, and never consistency. (transfer full) */
guint64
tu_db_redo_log_bytes (guint64 store_bytes)
{
	guint64 log = 16u << 20;
	while (log < TU_DB_REDO_LOG_MAX && log * 8 < store_bytes)
		log *= 2;
	return log;
}

/* The size of the store's file @name, 0 when there is none. */
static guint64
file_bytes (const char *store, const char *name)
{
	g_autofree char *path = g_build_filename (store, name, NULL);
	struct stat st;
	return stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* The store's size: its system tablespace, which holds every table (file-per-table is off). */
static guint64
store_bytes (const char *store)
{
	return file_bytes (store, "ibdata1");
}

#define LOAD_DIR_PREFIX "trueup-load-"

/* Remove a load directory: its files (batches), then itself. */
static void
remove_dir (const char *dir)
{
	g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
	const char *f;
	while (d != NULL && (f = g_dir_read_name (d)) != NULL) {
		g_autofree char *path = g_build_filename (dir, f, NULL);
		g_unlink (path);
	}
	g_rmdir (dir);
}

/* Remove the load directories of trueup processes of this user that have ended (killed before
 * their exit removed them): at most a batch file each. */
static void
remove_stale_load_dirs (const char *parent)
{
	g_autoptr(GDir) d = g_dir_open (parent, 0, NULL);
	const char *name;
	while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
		if (!g_str_has_prefix (name, LOAD_DIR_PREFIX))
			continue;
		gint64 pid = g_ascii_strtoll (name + strlen (LOAD_DIR_PREFIX), NULL, 10);
		g_autofree char *dir = g_build_filename (parent, name, NULL);
		struct stat st;
		if (pid <= 0 || lstat (dir, &st) != 0 || !S_ISDIR (st.st_mode) ||
		    st.st_uid != getuid () || kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
			continue;
		remove_dir (dir);
	}
}

/* Where the embedded server reads the batches of LOAD DATA (TuWriter): a private directory in
 * memory (/dev/shm) when there is one; NULL: none (the data directory's tmp is used). A batch
 * lives for one statement; on disk, removing it made the storing thread wait for the kernel's
 * writeback of its pages (measured: hundreds of waits a minute of ingest). (transfer full) */
static char *
make_load_dir (void)
{
	const char *parent = "/dev/shm";
	if (g_getenv ("TRUEUP_LOAD_ON_DISK") == NULL && g_file_test (parent, G_FILE_TEST_IS_DIR) &&
	    access (parent, W_OK | X_OK) == 0) {
		remove_stale_load_dirs (parent);
		g_autofree char *dir = g_strdup_printf ("%s/" LOAD_DIR_PREFIX "%d-XXXXXX", parent,
							(int) getpid ());
		if (g_mkdtemp_full (dir, 0700) != NULL)
			return g_steal_pointer (&dir);
	}
	return NULL;
}

static void
remove_load_dir (void)
{
	if (library_load_dir == NULL)
		return;
	remove_dir (library_load_dir);
	g_clear_pointer (&library_load_dir, g_free);
}

static GPtrArray *
server_args (const char *store, const char *tmp, const char *load_dir, const char *extra)
{
	GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (args, g_strdup ("trueup"));
	g_ptr_array_add (args, g_strdup ("--no-defaults"));
	g_ptr_array_add (args, g_strdup_printf ("--datadir=%s", store));
	g_ptr_array_add (args, g_strdup_printf ("--tmpdir=%s", tmp));
	g_ptr_array_add (args, g_strdup_printf ("--secure-file-priv=%s", load_dir));
	static const char *const fixed[] = {
		"--character-set-server=utf8mb4",
		"--collation-server=utf8mb4_bin",
		"--innodb-buffer-pool-size=64M",
		"--innodb-log-buffer-size=8M",
		"--innodb-flush-log-at-trx-commit=2",
		/* Tables live in the system tablespace: in embedded mode InnoDB logs the creation of
		 * a per-table file under a doubled absolute path ("DIR//DIR/db/t.ibd"), and a crash
		 * after any CREATE TABLE then makes the store unrecoverable. Measured; see README. */
		"--innodb-file-per-table=0",
		"--innodb-autoextend-increment=4",
		"--skip-grant-tables",
		"--skip-name-resolve",
		"--local-infile=1",
		"--max-allowed-packet=64M",
		"--log-warnings=1",
	};
	for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
		g_ptr_array_add (args, g_strdup (fixed[i]));
	/* The redo log grows with the store (InnoDB resizes it at start-up, crash-safe): a 16 MB
	 * log fills every few thousand rows of a big ingest, and each time the server must write
	 * pages back before it can go on, much of it in the thread that stores. Measured, a
	 * 256 MB log took 14 % off the server's work a row loading installations. A new store
	 * stays small (a bigger log costs its disk space and half a second to create). */
	/* a log an earlier big ingest made bigger (tu_db_reserve_redo_log) is kept: shrunk at
	 * each start it would be rewritten twice a run */
	guint64 log = MAX (tu_db_redo_log_bytes (store_bytes (store)),
			   file_bytes (store, "ib_logfile0"));
	g_ptr_array_add (args, g_strdup_printf ("--innodb-log-file-size=%" G_GUINT64_FORMAT "M",
						MIN (log, TU_DB_REDO_LOG_MAX) >> 20));
	/* the user's tuning comes last and wins; only --options, never a new data directory */
	g_auto(GStrv) words = extra ? g_strsplit_set (extra, " \t", -1) : NULL;
	for (guint i = 0; words != NULL && words[i] != NULL; i++) {
		if (g_str_has_prefix (words[i], "--") && !g_str_has_prefix (words[i], "--datadir") &&
		    !g_str_has_prefix (words[i], "--defaults"))
			g_ptr_array_add (args, g_strdup (words[i]));
	}
	g_ptr_array_add (args, NULL);
	return args;
}

/* InnoDB cannot recover a store that was killed before its first clean shutdown ("wrong
 * space ID" on every later start), while it recovers an established store from any crash.
 * So a new store is made by a child process that starts the server in a side directory and
 * shuts it down cleanly; only then is the directory renamed into place. A Ctrl-C during the
 * very first run leaves at worst a side directory that the next run removes. */
static char *last_server_error (const char *log_path, goffset from, const char *data_dir);

static gboolean
bootstrap_store (const char *data_dir, const char *store, const char *tmp, const char *log_path,
		 goffset log_start, const char *extra, GError **error)
{
	g_autofree char *fresh = g_build_filename (data_dir, "db.new", NULL);
	tu_remove_tree (fresh);
	if (g_mkdir (fresh, 0700) != 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "data directory %s: %s", fresh,
			     g_strerror (saved));
		return FALSE;
	}
	g_autoptr(GPtrArray) args = server_args (fresh, tmp, tmp, extra);
	fflush (NULL);
	pid_t pid = fork ();
	if (pid < 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "cannot create the store: fork: %s",
			     g_strerror (saved));
		return FALSE;
	}
	if (pid == 0) {
		/* die with the parent: a killed first run leaves only db.new, removed next time */
		prctl (PR_SET_PDEATHSIG, SIGKILL);
		if (getppid () == 1)
			_exit (3);
		int log_fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (log_fd >= 0)
			dup2 (log_fd, STDERR_FILENO);
		if (mysql_library_init ((int) args->len - 1, (char **) args->pdata, NULL) != 0)
			_exit (1);
		MYSQL *m = mysql_init (NULL);
		mysql_options (m, MYSQL_OPT_USE_EMBEDDED_CONNECTION, NULL);
		int rc = 0;
		if (mysql_real_connect (m, NULL, NULL, NULL, NULL, 0, NULL, 0) == NULL ||
		    mysql_query (m, "CREATE DATABASE IF NOT EXISTS `" TU_DB_DEFAULT_NAME
				    "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin") != 0)
			rc = 2;
		mysql_close (m);
		mysql_library_end ();
		_exit (rc);
	}
	int status = 0;
	while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
		g_autofree char *why = last_server_error (log_path, log_start, data_dir);
		g_set_error (error, TU_ERROR, TU_ERROR_DB, "cannot create the embedded store in %s: %s (see %s)",
			     store, why ? why : "the server did not start", log_path);
		tu_remove_tree (fresh);
		return FALSE;
	}
	g_rmdir (store); /* an empty directory left by an older trueup; never a store */
	if (g_rename (fresh, store) != 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "cannot create the store %s: %s", store,
			     g_strerror (saved));
		return FALSE;
	}
	return TRUE;
}

/* The last "[ERROR]" line the server wrote to its log, for a one-line message. */
static char *
last_server_error (const char *log_path, goffset from, const char *data_dir)
{
	/* a disk so full that the server could not even log it */
	struct statvfs vfs;
	guint64 free_kb = G_MAXUINT64;
	if (statvfs (data_dir, &vfs) == 0)
		free_kb = (guint64) vfs.f_bavail * vfs.f_frsize / 1024;
	if (free_kb < 1024)
		return g_strdup_printf ("disk full: %" G_GUINT64_FORMAT " KB free on the file "
					"system of %s",
					free_kb, data_dir);
	g_autoptr(GBytes) bytes = tu_file_read (log_path, 64 * 1024 * 1024, NULL);
	if (bytes == NULL)
		return NULL;
	gsize len = 0;
	const char *data = g_bytes_get_data (bytes, &len);
	if ((gsize) from > len)
		from = 0;
	g_autofree char *text = g_strndup (data + from, len - (gsize) from);
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
	char *found = NULL;
	const char *cause = NULL;
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *line = lines[i];
		const char *e = strstr (line, "[ERROR]");
		if (e != NULL) {
			g_free (found);
			found = g_strdup (g_strstrip ((char *) e + 7));
		}
		/* the cause, in the words the server uses for it under any prefix */
		if (cause == NULL &&
		    (strstr (line, "error 28") != NULL || strstr (line, "errno: 28 ") != NULL ||
		     strstr (line, "Errcode: 28 ") != NULL ||
		     strstr (line, "No space left on device") != NULL))
			cause = "disk full";
		else if (cause == NULL &&
			 (strstr (line, "Permission denied") != NULL ||
			  strstr (line, "errno: 13 ") != NULL || strstr (line, "Errcode: 13 ") != NULL ||
			  strstr (line, "error 13 ") != NULL))
			cause = "permission denied";
		else if (cause == NULL && (strstr (line, "Can't lock aria control file") != NULL ||
					   strstr (line, "Unable to lock") != NULL))
			cause = "data directory in use";
	}
	if (cause != NULL) {
		char *with_cause = g_strdup_printf ("%s%s%s", cause, found ? ": " : "",
						    found ? found : "");
		g_free (found);
		return with_cause;
	}
	return found;
}

static gboolean
open_embedded (TuDb *db, const TuDbOptions *options, GError **error)
{
	const char *data_dir = options->data_dir;
	if (data_dir == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "no data directory for the embedded store");
		return FALSE;
	}
	if (library_started) {
		if (g_strcmp0 (library_data_dir, data_dir) != 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
				     "the embedded server is already running on %s in this process",
				     library_data_dir);
			return FALSE;
		}
	}
	if (g_mkdir_with_parents (data_dir, 0700) != 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "data directory %s: %s", data_dir,
			     g_strerror (saved));
		return FALSE;
	}
	if (access (data_dir, W_OK | X_OK) != 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "data directory %s is not writable: %s",
			     data_dir, g_strerror (saved));
		return FALSE;
	}
	if (!library_started && !take_data_dir_lock (db, data_dir, error))
		return FALSE;

	g_autofree char *store = g_build_filename (data_dir, "db", NULL);
	/* new: no store directory, or an empty one */
	{
		g_autoptr(GError) local = NULL;
		g_autoptr(GDir) d = g_dir_open (store, 0, &local);
		if (d == NULL && !g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			/* an existing store that cannot be read is an error, never a new store */
			g_set_error (error, TU_ERROR, TU_ERROR_IO,
				     "the store %s exists but cannot be read: %s", store,
				     local->message);
			return FALSE;
		}
		db->is_new = d == NULL || g_dir_read_name (d) == NULL;
	}
	g_autofree char *tmp = g_build_filename (data_dir, "tmp", NULL);
	g_mkdir_with_parents (tmp, 0700);
	g_autofree char *log_path = g_build_filename (data_dir, "server.log", NULL);
	struct stat st;
	goffset log_start = stat (log_path, &st) == 0 ? st.st_size : 0;

	if (!library_started) {
		if (db->is_new && !bootstrap_store (data_dir, store, tmp, log_path, log_start,
						    options->server_options, error))
			return FALSE;
		g_autofree char *in_memory = make_load_dir ();
		g_autoptr(GPtrArray) args = server_args (store, tmp, in_memory ? in_memory : tmp,
							 options->server_options);
		/* The server writes to fd 2 whenever it likes (start-up, "Got ERROR" lines on a
		 * full disk, shutdown) under any prefix: fd 2 becomes the server log for good,
		 * and trueup's own messages go to the terminal through tu_terminal(). */
		if (!tu_terminal_divert (log_path, error)) {
			g_prefix_error (error, "data directory %s: ", data_dir);
			return FALSE;
		}
		int rc = mysql_library_init ((int) args->len - 1, (char **) args->pdata, NULL);
		if (rc != 0) {
			if (in_memory != NULL)
				g_rmdir (in_memory);
			g_autofree char *why = last_server_error (log_path, log_start, data_dir);
			g_set_error (error, TU_ERROR, TU_ERROR_DB,
				     "cannot start the embedded store in %s: %s (see %s)", store,
				     why ? why : "the server did not start", log_path);
			return FALSE;
		}
		library_started = TRUE;
		library_data_dir = g_strdup (data_dir);
		library_load_dir = g_steal_pointer (&in_memory);
		if (library_load_dir != NULL)
			atexit (remove_load_dir);
		/* a clean shutdown at exit: InnoDB needs it, above all for a store created by this
		 * process (its first pages may still be only in memory) */
		atexit (library_shutdown);
	}

	db->mysql = mysql_init (NULL);
	mysql_options (db->mysql, MYSQL_OPT_USE_EMBEDDED_CONNECTION, NULL);
	if (mysql_real_connect (db->mysql, NULL, NULL, NULL, NULL, 0, NULL, 0) == NULL) {
		g_autofree char *why = last_server_error (log_path, log_start, data_dir);
		tu_db_set_error (db, error, "cannot open the embedded store");
		if (why != NULL)
			g_prefix_error (error, "%s: ", why);
		return FALSE;
	}
	db->is_embedded = TRUE;
	db->location = g_strdup (store);
	db->load_dir = g_strdup (library_load_dir ? library_load_dir : tmp);
	return TRUE;
}
#endif

/* ---------------------------------------------------------------- server --------------- */

/* "host:port" of host @i, or the socket or option group, for messages. (transfer full) */
static char *
host_label (TuDb *db, guint i)
{
	const TuDbUrl *url = &db->url;
	if (url->socket != NULL)
		return g_strdup_printf ("socket %s", url->socket);
	const TuDbHost *h = i < url->n_hosts ? &url->hosts[i] : NULL;
	const char *host = h != NULL && h->host != NULL ? h->host : NULL;
	if (host == NULL && url->group != NULL)
		return g_strdup_printf ("option group [%s]", url->group);
	if (host == NULL)
		host = "localhost";
	guint port = h != NULL && h->port != 0 ? h->port : 3306;
	if (strchr (host, ':') != NULL)
		return g_strdup_printf ("[%s]:%u", host, port);
	return g_strdup_printf ("%s:%u", host, port);
}

/* Every server of the URL, for the one message that ends a run. (transfer full) */
static char *
all_hosts_label (TuDb *db)
{
	GString *s = g_string_new (NULL);
	guint n = MAX (db->url.n_hosts, 1);
	for (guint i = 0; i < n; i++) {
		g_autofree char *one = host_label (db, i);
		g_string_append_printf (s, "%s%s", i ? ", " : "", one);
	}
	return g_string_free (s, FALSE);
}

static gboolean setup_session (TuDb *db, GError **error);

/* Connect to host @i of the URL and set the session up. */
static gboolean
connect_host (TuDb *db, guint i, GError **error)
{
	const TuDbUrl *url = &db->url;
	if (db->mysql != NULL)
		mysql_close (db->mysql);
	db->mysql = mysql_init (NULL);
#ifdef TU_HAVE_EMBEDDED
	mysql_options (db->mysql, MYSQL_OPT_USE_REMOTE_CONNECTION, NULL);
#endif
	unsigned int timeout = db->options.connect_timeout ? db->options.connect_timeout : 10;
	mysql_options (db->mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	/* a node that dies without closing its sockets must not hold a statement forever: a read
	 * that waits this long is a lost connection (2013), retried on the next host */
	unsigned int rw_timeout = 600;
	mysql_options (db->mysql, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options (db->mysql, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	unsigned int one = 1;
	mysql_options (db->mysql, MYSQL_OPT_LOCAL_INFILE, &one);
	if (db->option_file != NULL)
		mysql_options (db->mysql, MYSQL_READ_DEFAULT_FILE, db->option_file);
	/* [client] and [trueup] (or the named group) of the user's option files */
	mysql_options (db->mysql, MYSQL_READ_DEFAULT_GROUP, url->group ? url->group : "trueup");
	mysql_options (db->mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");

	const char *ca = url->ssl_ca ? url->ssl_ca : db->options.ssl_ca;
	const char *cert = url->ssl_cert ? url->ssl_cert : db->options.ssl_cert;
	const char *key = url->ssl_key ? url->ssl_key : db->options.ssl_key;
	int verify = url->ssl_verify >= 0	       ? url->ssl_verify
		     : db->options.ssl_verify_set ? db->options.ssl_verify
						  : -1;
	if (ca != NULL || cert != NULL || key != NULL)
		mysql_ssl_set (db->mysql, key, cert, ca, NULL, NULL);
	if (verify >= 0) {
		my_bool v = verify ? 1 : 0;
		mysql_options (db->mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &v);
	}

	const TuDbHost *h = i < url->n_hosts ? &url->hosts[i] : NULL;
	const char *host = h != NULL ? h->host : NULL;
	guint port = h != NULL ? h->port : 0;
	if (host == NULL && url->socket == NULL && url->group == NULL)
		host = "localhost";
	g_autofree char *label = host_label (db, i);
	if (mysql_real_connect (db->mysql, host, url->user, db->password, NULL, port,
				url->socket, CLIENT_LOCAL_FILES) == NULL) {
		g_autofree char *context = g_strdup_printf ("cannot connect to %s", label);
		return tu_db_set_error (db, error, context);
	}
	if (!setup_session (db, error)) {
		g_prefix_error (error, "%s: ", label);
		return FALSE;
	}
	db->cur_host = i;
	g_free (db->location);
	db->location = g_strdup_printf ("%s/%s", label,
					db->url.database ? db->url.database : TU_DB_DEFAULT_NAME);
	return TRUE;
}

/* Try every host once, starting at @first: the first that answers wins. With one host the
 * error is that host's; with several it names each and why. */
static gboolean
connect_any (TuDb *db, guint first, GError **error)
{
	guint n = MAX (db->url.n_hosts, 1);
	g_autoptr(GString) why = g_string_new (NULL);
	g_autoptr(GError) last = NULL;
	for (guint k = 0; k < n; k++) {
		guint i = (first + k) % n;
		g_clear_error (&last);
		if (connect_host (db, i, &last))
			return TRUE;
		g_string_append_printf (why, "%s%s", k ? "; " : "", last->message);
	}
	if (n == 1) {
		g_propagate_error (error, g_steal_pointer (&last));
		return FALSE;
	}
	g_set_error (error, TU_ERROR, last->code, "no server of the %u answered: %s", n, why->str);
	return FALSE;
}

static gboolean
open_server (TuDb *db, const TuDbOptions *options, GError **error)
{
	if (!tu_db_url_parse (options->url, &db->url, error))
		return FALSE;
	db->url_string = g_strdup (options->url);
#ifdef TU_HAVE_EMBEDDED
	/* Initialise the library as a client only (argc -1): left to mysql_init, the embedded
	 * library would start a server of its own with the system's defaults (/etc/mysql,
	 * /var/lib/mysql). Once per process, as the library allows. */
	static gsize client_once = 0;
	if (g_once_init_enter (&client_once)) {
		if (!library_started)
			mysql_library_init (-1, NULL, NULL);
		g_once_init_leave (&client_once, 1);
	}
#endif
	const char *pw = g_getenv ("TRUEUP_DB_PASSWORD");
	if (pw == NULL)
		pw = g_getenv ("MYSQL_PWD");
	db->password = g_strdup (pw);
	if (options->option_file != NULL && g_file_test (options->option_file, G_FILE_TEST_IS_REGULAR))
		db->option_file = g_strdup (options->option_file);
	db->failover_window = db->url.failover_window_set ? db->url.failover_window
			      : options->failover_window  ? options->failover_window
							  : 60;
	return connect_any (db, 0, error);
}

/* ---------------------------------------------------------------- session -------------- */

/* Whether the server takes writes under READ COMMITTED: not when it logs statements. */
static gboolean
read_committed_allowed (TuDb *db)
{
	if (db->is_embedded)
		return TRUE;
	if (mysql_query (db->mysql, "SELECT @@log_bin, @@binlog_format") != 0)
		return FALSE;
	MYSQL_RES *res = mysql_store_result (db->mysql);
	MYSQL_ROW row = res != NULL ? mysql_fetch_row (res) : NULL;
	gboolean ok = row != NULL && (g_strcmp0 (row[0], "0") == 0 ||
				      g_ascii_strcasecmp (row[1] ? row[1] : "", "STATEMENT") != 0);
	if (res != NULL)
		mysql_free_result (res);
	return ok;
}

static gboolean
setup_session (TuDb *db, GError **error)
{
	if (mysql_set_character_set (db->mysql, "utf8mb4") != 0)
		return tu_db_set_error (db, error, "cannot use utf8mb4");
	/* Strict mode so that bad values are errors, not warnings; no NO_BACKSLASH_ESCAPES, so
	 * mysql_real_escape_string's output is what the server expects. Times are UTC. */
	static const char *const setup[] = {
		"SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
		"ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
		"SET SESSION time_zone = '+00:00'",
		"SET SESSION group_concat_max_len = 1048576",
	};
	for (guint i = 0; i < G_N_ELEMENTS (setup); i++) {
		if (mysql_query (db->mysql, setup[i]) != 0)
			return tu_db_set_error (db, error, "cannot set up the session");
	}
	/* Transactions read what is committed (no gap locks): a scan locks its host's row and
	 * reads that host's rows, so a snapshot older than the lock would be stale, and two
	 * connections storing new hosts would deadlock on the gap of a host both looked for
	 * (SELECT ... FOR UPDATE of an absent row locks the gap in REPEATABLE READ; measured: 35
	 * deadlocks in 2,000 new hosts through two connections). A server logging statements
	 * (binlog_format STATEMENT) refuses such writes: it keeps its own level. */
	if (!read_committed_allowed (db) ||
	    mysql_query (db->mysql, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED") != 0)
		g_debug ("transactions keep the server's isolation level");
	/* Galera: a node applies the other nodes' commits asynchronously; causal reads make a
	 * report through one node see every scan committed through another before it started.
	 * Best effort: a server without the variable (MySQL, embedded) ignores it. */
	if (!db->is_embedded && mysql_query (db->mysql, "SET SESSION wsrep_sync_wait = 1") != 0)
		g_debug ("wsrep_sync_wait not set: %s", mysql_error (db->mysql));
	const char *name = db->url.database ? db->url.database : TU_DB_DEFAULT_NAME;
	/* the name is validated (letters, digits, _ and $), so quoting with backticks is safe */
	g_autofree char *create = g_strdup_printf (
		"CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", name);
	if (mysql_query (db->mysql, create) != 0) {
		unsigned int code = mysql_errno (db->mysql);
		if (code != ER_DBACCESS_DENIED_ERROR && code != ER_ACCESS_DENIED_ERROR &&
		    code != ER_SPECIFIC_ACCESS_DENIED_ERROR)
			return tu_db_set_error (db, error, "cannot create the database");
	}
	if (mysql_select_db (db->mysql, name) != 0) {
		g_autofree char *context = g_strdup_printf ("cannot use database %s", name);
		return tu_db_set_error (db, error, context);
	}
	g_free (db->server_version);
	db->server_version = g_strdup (mysql_get_server_info (db->mysql));
	return TRUE;
}

TuDb *
tu_db_open (const TuDbOptions *options, GError **error)
{
	g_autoptr(TuDb) db = g_new0 (TuDb, 1);
	db->lock_fd = -1;
	db->url.ssl_verify = -1;
	db->options = *options;
	db->options.url = NULL;
	db->options.data_dir = NULL;
	db->options.option_file = NULL;

	if (options->url == NULL) {
#ifdef TU_HAVE_EMBEDDED
		if (!open_embedded (db, options, error))
			return NULL;
#else
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "this trueup was built without the embedded store (-Dembedded=false): "
			     "give --db mysql://USER@HOST/DBNAME");
		return NULL;
#endif
		if (!setup_session (db, error))
			return NULL;
	} else {
		if (!open_server (db, options, error))
			return NULL;
	}
	return g_steal_pointer (&db);
}

/* A second connection: to the embedded server this process runs, or to the server @db is
 * connected to now (the URL's other hosts stay its failover). */
TuDb *
tu_db_open_another (TuDb *db, GError **error)
{
	g_autoptr(TuDb) other = g_new0 (TuDb, 1);
	other->lock_fd = -1; /* the first connection holds the data directory's lock */
	other->url.ssl_verify = -1;
	other->options = db->options;
	other->failover_window = db->failover_window;
	if (db->is_embedded) {
#ifdef TU_HAVE_EMBEDDED
		other->mysql = mysql_init (NULL);
		mysql_options (other->mysql, MYSQL_OPT_USE_EMBEDDED_CONNECTION, NULL);
		if (mysql_real_connect (other->mysql, NULL, NULL, NULL, NULL, 0, NULL, 0) == NULL) {
			tu_db_set_error (other, error, "cannot open another connection to the "
						       "embedded store");
			return NULL;
		}
		other->is_embedded = TRUE;
		other->location = g_strdup (db->location);
		other->load_dir = g_strdup (db->load_dir);
		if (!setup_session (other, error))
			return NULL;
		return g_steal_pointer (&other);
#endif
	}
	if (!tu_db_url_parse (db->url_string, &other->url, error))
		return NULL;
	other->url_string = g_strdup (db->url_string);
	other->password = g_strdup (db->password);
	other->option_file = g_strdup (db->option_file);
	if (!connect_any (other, db->cur_host, error))
		return NULL;
	return g_steal_pointer (&other);
}

gboolean
tu_db_reserve_redo_log (TuDb *db, guint64 bytes, GError **error)
{
	if (!db->is_embedded)
		return TRUE;
	bytes = MIN (bytes, TU_DB_REDO_LOG_MAX);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, "SELECT @@innodb_log_file_size", error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row = mysql_fetch_row (res);
	guint64 now = row != NULL && row[0] != NULL ? g_ascii_strtoull (row[0], NULL, 10) : 0;
	if (now >= bytes)
		return TRUE;
	g_autofree char *sql =
		g_strdup_printf ("SET GLOBAL innodb_log_file_size = %" G_GUINT64_FORMAT, bytes);
	return tu_db_exec (db, sql, error);
}

void
tu_db_shutdown (void)
{
#ifdef TU_HAVE_EMBEDDED
	library_shutdown ();
#endif
}

void
tu_db_close (TuDb *db)
{
	if (db == NULL)
		return;
	if (db->mysql != NULL)
		mysql_close (db->mysql);
	/* The embedded library stays up until exit: it cannot be started twice in one process. */
	tu_db_url_clear (&db->url);
	g_free (db->location);
	g_free (db->server_version);
	g_free (db->option_file);
	g_free (db->load_dir);
	g_free (db->url_string);
	if (db->password != NULL) {
		memset (db->password, 0, strlen (db->password));
		g_free (db->password);
	}
	g_clear_error (&db->gone);
	/* the data-directory lock is held for the life of the process with the library */
	g_free (db);
}

gboolean
tu_db_is_embedded (TuDb *db)
{
	return db->is_embedded;
}

void
tu_db_thread_enter (void)
{
	mysql_thread_init ();
}

void
tu_db_thread_leave (void)
{
	mysql_thread_end ();
}

const char *
tu_db_load_dir (TuDb *db)
{
	return db->load_dir;
}

gboolean
tu_db_is_new (TuDb *db)
{
	return db->is_new;
}

const char *
tu_db_server_version (TuDb *db)
{
	return db->server_version;
}

const char *
tu_db_location (TuDb *db)
{
	return db->location;
}

MYSQL *
tu_db_handle (TuDb *db)
{
	return db->mysql;
}

const GError *
tu_db_unreachable (TuDb *db)
{
	return db->gone;
}

guint
tu_db_n_reconnects (TuDb *db)
{
	return db->n_reconnects;
}

/* After a lost connection: connect again, to the next host first, backing off between rounds,
 * until *@lost_since (set on the first loss) plus the failover window. Past it the servers are
 * gone: @db remembers it, so that every later call fails at once with the same one message
 * instead of waiting out a window per host. */
static gboolean
recover_connection (TuDb *db, gint64 *lost_since, const GError *cause, GError **error)
{
	if (db->gone != NULL) {
		g_propagate_error (error, g_error_copy (db->gone));
		return FALSE;
	}
	if (db->is_embedded) {
		g_propagate_error (error, g_error_copy (cause));
		return FALSE;
	}
	gint64 now = g_get_monotonic_time ();
	if (*lost_since == 0)
		*lost_since = now;
	gint64 deadline = *lost_since + (gint64) db->failover_window * G_USEC_PER_SEC;
	g_autofree char *last = g_strdup (cause->message);
	guint n = MAX (db->url.n_hosts, 1);
	for (guint round = 0;; round++) {
		g_autoptr(GError) local = NULL;
		if (connect_any (db, (db->cur_host + 1) % n, &local)) {
			db->n_reconnects++;
			g_debug ("reconnected to %s", db->location);
			return TRUE;
		}
		g_free (last);
		last = g_strdup (local->message);
		now = g_get_monotonic_time ();
		if (now >= deadline)
			break;
		/* 100 ms, 200 ms, ... 2 s between rounds, never past the deadline */
		gint64 pause = (gint64) (100000L << MIN (round, 4U));
		pause = MIN (pause, 2 * G_USEC_PER_SEC);
		pause += g_random_int_range (0, (gint32) (pause / 4 + 1));
		g_usleep ((gulong) MIN (pause, deadline - now));
	}
	g_autofree char *hosts = all_hosts_label (db);
	db->gone = g_error_new (TU_ERROR, TU_ERROR_DB_UNREACHABLE,
				"the database server%s %s did not answer for %u s after the "
				"connection was lost (last error: %s)",
				n > 1 ? "s" : "", hosts, db->failover_window, last);
	g_propagate_error (error, g_error_copy (db->gone));
	return FALSE;
}

gboolean
tu_db_exec (TuDb *db, const char *sql, GError **error)
{
	if (mysql_real_query (db->mysql, sql, strlen (sql)) != 0)
		return tu_db_set_error (db, error, NULL);
	/* drain any result so the connection stays usable */
	MYSQL_RES *res = mysql_store_result (db->mysql);
	if (res != NULL)
		mysql_free_result (res);
	while (mysql_more_results (db->mysql)) {
		if (mysql_next_result (db->mysql) > 0)
			return tu_db_set_error (db, error, NULL);
		res = mysql_store_result (db->mysql);
		if (res != NULL)
			mysql_free_result (res);
	}
	return TRUE;
}

static MYSQL_RES *
query_common (TuDb *db, const char *sql, gboolean stream, GError **error)
{
	if (mysql_real_query (db->mysql, sql, strlen (sql)) != 0) {
		tu_db_set_error (db, error, NULL);
		return NULL;
	}
	MYSQL_RES *res = stream ? mysql_use_result (db->mysql) : mysql_store_result (db->mysql);
	if (res == NULL) {
		if (mysql_errno (db->mysql) != 0)
			tu_db_set_error (db, error, NULL);
		else
			g_set_error (error, TU_ERROR, TU_ERROR_DB, "statement returned no rows: %.60s",
				     sql);
		return NULL;
	}
	return res;
}

MYSQL_RES *
tu_db_query (TuDb *db, const char *sql, GError **error)
{
	return query_common (db, sql, FALSE, error);
}

MYSQL_RES *
tu_db_query_stream (TuDb *db, const char *sql, GError **error)
{
	return query_common (db, sql, TRUE, error);
}

/* ---------------------------------------------------------------- pager ---------------- */

/* about 100,000 installations a page on typical hosts; a page's rows are held by the
 * embedded server until the page has been read. TU_DB_PAGER_HOSTS overrides it (tests). */
#define TU_DB_PAGER_HOSTS 64

static guint
pager_hosts (void)
{
	const char *env = g_getenv ("TU_DB_PAGER_HOSTS");
	guint64 n = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 0;
	return n > 0 && n < 100000 ? (guint) n : TU_DB_PAGER_HOSTS;
}

struct _TuDbPager {
	TuDb *db;
	char *head; /* the statement before "{hosts}" */
	char *tail; /* and after */
	char *column;
	GArray *ids; /* guint64, owned */
	guint pos;
	gboolean paged;
	gboolean done;
	guint page;
	MYSQL_RES *res;
};

TuDbPager *
tu_db_pager_new (TuDb *db, const char *sql, const char *column, GArray *host_ids,
		 GError **error)
{
	const char *tok = strstr (sql, "{hosts}");
	g_return_val_if_fail (tok != NULL, NULL);
	TuDbPager *p = g_new0 (TuDbPager, 1);
	p->db = db;
	p->head = g_strndup (sql, (gsize) (tok - sql));
	p->tail = g_strdup (tok + strlen ("{hosts}"));
	p->column = g_strdup (column);
	p->paged = db->is_embedded;
	p->page = pager_hosts ();
	p->ids = g_array_new (FALSE, FALSE, sizeof (guint64));
	if (host_ids != NULL) {
		g_array_append_vals (p->ids, host_ids->data, host_ids->len);
	} else if (p->paged) {
		g_autoptr(MYSQL_RES) res = tu_db_query (db, "SELECT id FROM hosts ORDER BY id", error);
		if (res == NULL) {
			tu_db_pager_free (p);
			return NULL;
		}
		MYSQL_ROW r;
		while ((r = mysql_fetch_row (res)) != NULL) {
			guint64 id = g_ascii_strtoull (r[0], NULL, 10);
			g_array_append_val (p->ids, id);
		}
	}
	if (!p->paged && host_ids == NULL)
		g_clear_pointer (&p->column, g_free); /* every host: TRUE */
	return p;
}

/* Run the statement for the next page; FALSE at the end or on an error. */
static gboolean
pager_run (TuDbPager *p, GError **error)
{
	g_clear_pointer (&p->res, mysql_free_result);
	if (p->done)
		return FALSE;
	g_autoptr(GString) sql = g_string_new (p->head);
	if (p->column == NULL) {
		g_string_append (sql, "TRUE");
		p->done = TRUE;
	} else {
		guint n = p->paged ? MIN (p->page, p->ids->len - p->pos) : p->ids->len;
		if (p->paged && n == 0) {
			p->done = TRUE;
			return FALSE;
		}
		g_string_append_printf (sql, "%s IN (0", p->column);
		for (guint i = 0; i < n; i++)
			g_string_append_printf (sql, ",%" G_GUINT64_FORMAT,
						g_array_index (p->ids, guint64, p->pos + i));
		g_string_append_c (sql, ')');
		p->pos += n;
		if (!p->paged || p->pos >= p->ids->len)
			p->done = TRUE;
	}
	g_string_append (sql, p->tail);
	p->res = tu_db_query_stream (p->db, sql->str, error);
	return p->res != NULL;
}

MYSQL_ROW
tu_db_pager_next (TuDbPager *p, GError **error)
{
	for (;;) {
		if (p->res != NULL) {
			MYSQL_ROW r = mysql_fetch_row (p->res);
			if (r != NULL)
				return r;
			if (mysql_errno (p->db->mysql) != 0) {
				tu_db_set_error (p->db, error, "reading rows");
				return NULL;
			}
		}
		if (!pager_run (p, error))
			return NULL;
	}
}

unsigned long *
tu_db_pager_lengths (TuDbPager *p)
{
	return p->res != NULL ? mysql_fetch_lengths (p->res) : NULL;
}

void
tu_db_pager_free (TuDbPager *p)
{
	if (p == NULL)
		return;
	if (p->res != NULL) {
		/* drain a stream cut short, so that the connection can run statements again */
		while (mysql_fetch_row (p->res) != NULL)
			;
		mysql_free_result (p->res);
	}
	g_free (p->head);
	g_free (p->tail);
	g_free (p->column);
	g_array_unref (p->ids);
	g_free (p);
}

guint64
tu_db_affected_rows (TuDb *db)
{
	return mysql_affected_rows (db->mysql);
}

guint64
tu_db_insert_id (TuDb *db)
{
	return mysql_insert_id (db->mysql);
}

void
tu_db_append_quoted (TuDb *db, GString *sql, const char *value, gssize len)
{
	gsize n = len < 0 ? strlen (value) : (gsize) len;
	gsize old = sql->len;
	g_string_set_size (sql, old + 2 * n + 3);
	sql->str[old] = '\'';
	unsigned long written = mysql_real_escape_string (db->mysql, sql->str + old + 1, value, n);
	sql->str[old + 1 + written] = '\'';
	g_string_set_size (sql, old + 2 + written);
}

void
tu_db_backoff (guint attempt)
{
	gulong ms = 50UL << MIN (attempt, 6U);
	ms += (gulong) g_random_int_range (0, (gint32) (ms / 2 + 1));
	g_usleep (ms * 1000);
}

/* After a failed statement: is the connection gone? By the error's code, or, whatever the
 * code said (a LOAD DATA LOCAL cut off mid-transfer reports other codes), by a ping that
 * fails. Never for the embedded server. */
static gboolean
connection_lost (TuDb *db)
{
	if (db->is_embedded)
		return FALSE;
	return errno_is_connection (db->last_errno) || mysql_ping (db->mysql) != 0;
}

gboolean
tu_db_transaction (TuDb *db, TuDbTxnFunc func, gpointer user_data, GError **error)
{
	/* Galera certification conflicts come in bursts when scanners write the same rows
	 * through different nodes: ten attempts, backing off 50 ms to 3.2 s with jitter */
	const guint max_conflicts = 10;
	guint conflicts = 0, n_lost = 0;
	gint64 lost_since = 0;
	for (;;) {
		g_autoptr(GError) local = NULL;
		if (db->gone != NULL) {
			g_propagate_error (error, g_error_copy (db->gone));
			return FALSE;
		}
		db->last_errno = 0;
		gboolean ok = tu_db_exec (db, "START TRANSACTION", &local) &&
			      func (db, user_data, &local) && tu_db_exec (db, "COMMIT", &local);
		if (ok)
			return TRUE;
		gboolean lost = connection_lost (db);
		/* roll back whatever happened; pointless on a lost connection */
		if (!lost)
			mysql_query (db->mysql, "ROLLBACK");
		if (!lost && !g_error_matches (local, TU_ERROR, TU_ERROR_DB_TRANSIENT)) {
			g_propagate_error (error, g_steal_pointer (&local));
			return FALSE;
		}
		if (lost) {
			/* the whole transaction again, on a new connection; a COMMIT whose answer was
			 * lost may have landed, and the host's scan is idempotent */
			g_debug ("lost the connection, reconnecting: %s", local->message);
			/* a statement that drops the connection itself (a packet over the
			 * server's limit) would come back for ever: ten reconnections at most */
			if (++n_lost > 10) {
				g_propagate_error (error, g_steal_pointer (&local));
				return FALSE;
			}
			if (!recover_connection (db, &lost_since, local, error))
				return FALSE;
			continue;
		}
		if (++conflicts >= max_conflicts) {
			g_propagate_error (error, g_steal_pointer (&local));
			return FALSE;
		}
		g_debug ("transient database error, retrying (%u): %s", conflicts, local->message);
		tu_db_backoff (conflicts - 1);
	}
}

gboolean
tu_db_exec_retry (TuDb *db, const char *sql, GError **error)
{
	guint conflicts = 0, n_lost = 0;
	gint64 lost_since = 0;
	for (;;) {
		g_autoptr(GError) local = NULL;
		if (db->gone != NULL) {
			g_propagate_error (error, g_error_copy (db->gone));
			return FALSE;
		}
		db->last_errno = 0;
		if (tu_db_exec (db, sql, &local))
			return TRUE;
		gboolean lost = connection_lost (db);
		if (!lost && !g_error_matches (local, TU_ERROR, TU_ERROR_DB_TRANSIENT)) {
			g_propagate_error (error, g_steal_pointer (&local));
			return FALSE;
		}
		if (lost) {
			/* a statement that drops the connection itself (a packet over the
			 * server's limit) would come back for ever: ten reconnections at most */
			if (++n_lost > 10) {
				g_propagate_error (error, g_steal_pointer (&local));
				return FALSE;
			}
			if (!recover_connection (db, &lost_since, local, error))
				return FALSE;
			continue;
		}
		if (++conflicts >= 10) {
			g_propagate_error (error, g_steal_pointer (&local));
			return FALSE;
		}
		tu_db_backoff (conflicts - 1);
	}
}

/* ---------------------------------------------------------------- TuSql ---------------- */

struct _TuSql {
	TuDb *db;
	char *template_sql;
	GPtrArray *values; /* rendered literals */
	GString *rendered;
};

TuSql *
tu_sql_new (TuDb *db, const char *template_sql)
{
	TuSql *sql = g_new0 (TuSql, 1);
	sql->db = db;
	sql->template_sql = g_strdup (template_sql);
	sql->values = g_ptr_array_new_with_free_func (g_free);
	return sql;
}

void
tu_sql_free (TuSql *sql)
{
	if (sql == NULL)
		return;
	g_free (sql->template_sql);
	g_ptr_array_unref (sql->values);
	if (sql->rendered != NULL)
		g_string_free (sql->rendered, TRUE);
	g_free (sql);
}

void
tu_sql_bind_str (TuSql *sql, const char *value)
{
	if (value == NULL) {
		tu_sql_bind_null (sql);
		return;
	}
	GString *lit = g_string_new (NULL);
	tu_db_append_quoted (sql->db, lit, value, -1);
	g_ptr_array_add (sql->values, g_string_free (lit, FALSE));
}

void
tu_sql_bind_int (TuSql *sql, gint64 value)
{
	g_ptr_array_add (sql->values, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
tu_sql_bind_uint (TuSql *sql, guint64 value)
{
	g_ptr_array_add (sql->values, g_strdup_printf ("%" G_GUINT64_FORMAT, value));
}

void
tu_sql_bind_double (TuSql *sql, double value)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_ptr_array_add (sql->values, g_strdup (g_ascii_dtostr (buf, sizeof buf, value)));
}

void
tu_sql_bind_null (TuSql *sql)
{
	g_ptr_array_add (sql->values, g_strdup ("NULL"));
}

void
tu_sql_bind_int_or_null (TuSql *sql, gint64 value, gboolean present)
{
	if (present)
		tu_sql_bind_int (sql, value);
	else
		tu_sql_bind_null (sql);
}

void
tu_sql_bind_uint_or_null (TuSql *sql, guint64 value, gboolean present)
{
	if (present)
		tu_sql_bind_uint (sql, value);
	else
		tu_sql_bind_null (sql);
}

void
tu_sql_bind_double_or_null (TuSql *sql, double value, gboolean present)
{
	if (present)
		tu_sql_bind_double (sql, value);
	else
		tu_sql_bind_null (sql);
}

void
tu_sql_bind_date (TuSql *sql, guint32 julian)
{
	if (julian == 0) {
		tu_sql_bind_null (sql);
		return;
	}
	g_autofree char *d = tu_date_format (julian);
	tu_sql_bind_str (sql, d);
}

const char *
tu_sql_get (TuSql *sql)
{
	if (sql->rendered != NULL)
		return sql->rendered->str;
	sql->rendered = g_string_sized_new (strlen (sql->template_sql) + 64);
	guint n = 0;
	for (const char *p = sql->template_sql; *p; p++) {
		if (*p == '?') {
			if (n >= sql->values->len) {
				g_critical ("SQL has more placeholders than values: %s", sql->template_sql);
				g_string_append (sql->rendered, "NULL");
			} else {
				g_string_append (sql->rendered, g_ptr_array_index (sql->values, n));
			}
			n++;
		} else {
			g_string_append_c (sql->rendered, *p);
		}
	}
	if (n != sql->values->len)
		g_critical ("SQL has %u placeholders but %u values: %s", n, sql->values->len,
			    sql->template_sql);
	return sql->rendered->str;
}

gint64
tu_row_int (MYSQL_ROW row, guint col, gint64 if_null)
{
	if (row[col] == NULL)
		return if_null;
	return g_ascii_strtoll (row[col], NULL, 10);
}

const char *
tu_row_str (MYSQL_ROW row, guint col)
{
	return row[col] ? row[col] : "";
}
