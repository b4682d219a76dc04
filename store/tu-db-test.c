/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the --db URL parser: the host lists libpq takes (several hosts, ports, IPv6 in
 * brackets), the query parameters, and what must be refused without echoing it: passwords in
 * every form (also holding '/', '?', '@'), malformed %-escapes (u%00x@, %ZZ@, %00 in the
 * database name), empty hosts and bad ports. And the embedded server's redo log size for a
 * store's size. No database is needed.
 */
#include "config.h"

#include <string.h>

#include "tu-db.h"

static void
parse_ok (const char *url, TuDbUrl *out)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = tu_db_url_parse (url, out, &error);
	g_assert_no_error (error);
	g_assert_true (ok);
}

/* @url is refused; the message contains @expect and none of @secrets (NULL-terminated). */
static void
refused (const char *url, const char *expect, const char *const *secrets)
{
	TuDbUrl u;
	g_autoptr(GError) error = NULL;
	g_assert_false (tu_db_url_parse (url, &u, &error));
	g_assert_error (error, TU_ERROR, TU_ERROR_USAGE);
	if (strstr (error->message, expect) == NULL)
		g_error ("%s: message \"%s\" lacks \"%s\"", url, error->message, expect);
	for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++) {
		if (strstr (error->message, secrets[i]) != NULL)
			g_error ("%s: message \"%s\" shows \"%s\"", url, error->message, secrets[i]);
	}
	/* nothing is left allocated in a refused URL */
	g_assert_null (u.user);
	g_assert_null (u.hosts);
	g_assert_null (u.database);
	/* and the redacted form of a URL that does not parse shows none of it */
	g_autofree char *shown = tu_db_url_redact (url);
	for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
		g_assert_null (strstr (shown, secrets[i]));
}

static void
test_single_host (void)
{
	TuDbUrl u;
	parse_ok ("mysql://trueup@db.example.org:3307/inv", &u);
	g_assert_cmpstr (u.user, ==, "trueup");
	g_assert_cmpuint (u.n_hosts, ==, 1);
	g_assert_cmpstr (u.hosts[0].host, ==, "db.example.org");
	g_assert_cmpuint (u.hosts[0].port, ==, 3307);
	g_assert_cmpstr (u.database, ==, "inv");
	g_assert_false (u.failover_window_set);
	tu_db_url_clear (&u);

	parse_ok ("mariadb://db/inv", &u);
	g_assert_null (u.user);
	g_assert_cmpstr (u.hosts[0].host, ==, "db");
	g_assert_cmpuint (u.hosts[0].port, ==, 0);
	tu_db_url_clear (&u);

	/* no host at all: localhost, a socket or an option group */
	parse_ok ("mysql://u@/inv?socket=/run/mysqld/mysqld.sock", &u);
	g_assert_cmpuint (u.n_hosts, ==, 0);
	g_assert_cmpstr (u.socket, ==, "/run/mysqld/mysqld.sock");
	tu_db_url_clear (&u);
	parse_ok ("mysql://?group=client-it", &u);
	g_assert_cmpuint (u.n_hosts, ==, 0);
	g_assert_cmpstr (u.group, ==, "client-it");
	g_assert_null (u.database);
	tu_db_url_clear (&u);
}

static void
test_host_list (void)
{
	TuDbUrl u;
	parse_ok ("mysql://user@h1:3306,h2:3307,h3/db", &u);
	g_assert_cmpuint (u.n_hosts, ==, 3);
	g_assert_cmpstr (u.hosts[0].host, ==, "h1");
	g_assert_cmpuint (u.hosts[0].port, ==, 3306);
	g_assert_cmpstr (u.hosts[1].host, ==, "h2");
	g_assert_cmpuint (u.hosts[1].port, ==, 3307);
	g_assert_cmpstr (u.hosts[2].host, ==, "h3");
	g_assert_cmpuint (u.hosts[2].port, ==, 0);
	g_assert_cmpstr (u.database, ==, "db");
	g_autofree char *back = tu_db_url_format (&u);
	g_assert_cmpstr (back, ==, "mysql://user@h1:3306,h2:3307,h3/db");
	tu_db_url_clear (&u);

	/* the form the issue found refused: the same host on several ports */
	parse_ok ("mysql://u@127.0.0.1:4402,127.0.0.1:4403/trueup", &u);
	g_assert_cmpuint (u.n_hosts, ==, 2);
	g_assert_cmpuint (u.hosts[1].port, ==, 4403);
	tu_db_url_clear (&u);

	/* IPv6 in brackets, alone and in a list, with and without a port */
	parse_ok ("mysql://u@[::1]:3306,[fe80::1],h:1/db", &u);
	g_assert_cmpuint (u.n_hosts, ==, 3);
	g_assert_cmpstr (u.hosts[0].host, ==, "::1");
	g_assert_cmpuint (u.hosts[0].port, ==, 3306);
	g_assert_cmpstr (u.hosts[1].host, ==, "fe80::1");
	g_assert_cmpuint (u.hosts[1].port, ==, 0);
	g_assert_cmpstr (u.hosts[2].host, ==, "h");
	g_autofree char *back6 = tu_db_url_format (&u);
	g_assert_cmpstr (back6, ==, "mysql://u@[::1]:3306,[fe80::1],h:1/db");
	tu_db_url_clear (&u);

	/* the failover window from the query */
	parse_ok ("mysql://u@a,b/db?failover-window=5&ssl_verify=1", &u);
	g_assert_true (u.failover_window_set);
	g_assert_cmpuint (u.failover_window, ==, 5);
	g_assert_cmpint (u.ssl_verify, ==, 1);
	tu_db_url_clear (&u);
}

static void
test_escapes (void)
{
	TuDbUrl u;
	/* a user name with '@' and ':' percent-encoded is a user name, not a password */
	parse_ok ("mysql://ops%40corp%3Aeu@h/db", &u);
	g_assert_cmpstr (u.user, ==, "ops@corp:eu");
	tu_db_url_clear (&u);
	parse_ok ("mysql://u@h/db?socket=%2Ftmp%2Fmy%20sock", &u);
	g_assert_cmpstr (u.socket, ==, "/tmp/my sock");
	tu_db_url_clear (&u);

	/* issue 16, item 10: never fall back to the OS user or print "(null)" */
	refused ("mysql://u%00x@h/db", "%00", NULL);
	refused ("mysql://%ZZ@h/db", "two hexadecimal digits", NULL);
	refused ("mysql://u%4@h/db", "two hexadecimal digits", NULL);
	refused ("mysql://u%@h/db", "two hexadecimal digits", NULL);
	refused ("mysql://u@h/inv%00", "%00", NULL);
	refused ("mysql://u@h/in%ZZv", "two hexadecimal digits", NULL);
	refused ("mysql://u%ff@h/db", "UTF-8", NULL);
	refused ("mysql://u@h/db?socket=%0", "two hexadecimal digits", NULL);
	/* the database name is checked after decoding */
	refused ("mysql://u@h/in%2Fv", "database name", NULL);
	refused ("mysql://u@h/in`v", "database name", NULL);
}

static void
test_passwords (void)
{
	/* issue 16, item 5: a password holding '/', '?', '@' or '#' is refused and never shown,
	 * whole or in part */
	static const char *const plain[] = {"S3cret", NULL};
	refused ("mysql://u:S3cret@h/db", "password", plain);
	static const char *const slash[] = {"S3cret", "PW", "S3cret/PW", NULL};
	refused ("mysql://u:S3cret/PW@host/db", "password", slash);
	static const char *const query[] = {"S3cret", "PW", NULL};
	refused ("mysql://u:S3cret?PW@host/db", "password", query);
	static const char *const at[] = {"S3", "cret", "host2", NULL};
	refused ("mysql://u:S3@cret@host2/db", "password", at);
	static const char *const hash[] = {"S3", "cret", NULL};
	refused ("mysql://u:S3#cret@h/db", "password", hash);
	static const char *const multi[] = {"pw9", NULL};
	refused ("mysql://u:pw9@h1:1,h2:2/db", "password", multi);
	static const char *const empty_user[] = {"topsecret", NULL};
	refused ("mysql://:topsecret@h/db", "password", empty_user);
	static const char *const param[] = {"hunter2", NULL};
	refused ("mysql://u@h/db?password=hunter2", "password", param);
	refused ("mysql://u@h/db?pwd=hunter2", "password", param);
	/* a URL that is not one is not echoed either */
	static const char *const scheme[] = {"hunter2", NULL};
	refused ("postgres://u:hunter2@h/db", "not a database URL", scheme);
	refused ("hunter2", "not a database URL", scheme);
}

static void
test_malformed_hosts (void)
{
	refused ("mysql://u@h1,,h3/db", "host 2 of the list is empty", NULL);
	refused ("mysql://u@h1,/db", "host 2 of the list is empty", NULL);
	refused ("mysql://u@,h2/db", "host 1 of the list is empty", NULL);
	refused ("mysql://u@h1:3306,h2:port/db", "host 2 (h2): the port is not a number", NULL);
	refused ("mysql://u@h1:0/db", "the port is not a number between 1 and 65535", NULL);
	refused ("mysql://u@h1:65536/db", "the port is not a number between 1 and 65535", NULL);
	refused ("mysql://u@[::1/db", "IPv6", NULL);
	refused ("mysql://u@[zz::1]:3306/db", "IPv6", NULL);
	refused ("mysql://u@[::1]x/db", "only \":PORT\"", NULL);
	refused ("mysql://u@h%20x/db", "not a host name", NULL);
	refused ("mysql://u@h/db#frag", "fragment", NULL);
	refused ("mysql://u@h/db?nosuch=1", "unknown parameter \"nosuch\"", NULL);
	refused ("mysql://u@h/db?failover-window=soon", "failover-window", NULL);
}

static void
test_redact (void)
{
	g_autofree char *a = tu_db_url_redact ("mysql://u@h1:1,h2/db?socket=/x");
	g_assert_cmpstr (a, ==, "mysql://u@h1:1,h2/db");
	g_autofree char *b = tu_db_url_redact ("mysql://u:S3cret/PW@host/db");
	g_assert_null (strstr (b, "S3cret"));
	g_assert_null (strstr (b, "PW"));
	g_autofree char *c = tu_db_url_redact (NULL);
	g_assert_cmpstr (c, ==, "(embedded)");
}

/* the embedded server's redo log follows the store's size, within 16 MB and 512 MB */
static void
test_redo_log_sizing (void)
{
	const guint64 M = 1u << 20;
	g_assert_cmpuint (tu_db_redo_log_bytes (0), ==, 16 * M);
	g_assert_cmpuint (tu_db_redo_log_bytes (12 * M), ==, 16 * M);  /* a new store */
	g_assert_cmpuint (tu_db_redo_log_bytes (128 * M), ==, 16 * M); /* an eighth: enough */
	g_assert_cmpuint (tu_db_redo_log_bytes (128 * M + 1), ==, 32 * M);
	g_assert_cmpuint (tu_db_redo_log_bytes (500 * M), ==, 64 * M);
	g_assert_cmpuint (tu_db_redo_log_bytes (2048 * M), ==, 256 * M);
	g_assert_cmpuint (tu_db_redo_log_bytes (G_GUINT64_CONSTANT (5) << 30), ==, 512 * M);
	g_assert_cmpuint (tu_db_redo_log_bytes (G_MAXUINT64), ==, 512 * M);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/db-url/single-host", test_single_host);
	g_test_add_func ("/trueup/db-url/host-list-as-libpq", test_host_list);
	g_test_add_func ("/trueup/db-url/percent-escapes-checked", test_escapes);
	g_test_add_func ("/trueup/db-url/passwords-refused-unshown", test_passwords);
	g_test_add_func ("/trueup/db-url/malformed-hosts-refused", test_malformed_hosts);
	g_test_add_func ("/trueup/db-url/redact", test_redact);
	g_test_add_func ("/trueup/db/redo-log-sizing", test_redo_log_sizing);
	return g_test_run ();
}
