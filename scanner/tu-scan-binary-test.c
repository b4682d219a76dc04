/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Binary fingerprint tests: the shipped rules against every Syft classifier snippet with
 * upstream's expected names and versions (and the negative snippets matching nothing),
 * matches across chunk boundaries, real builds on this machine compared with what they say
 * about themselves (--version), rule files with errors naming file, line and PCRE2 offset,
 * user rules, and the finder on a root directory laid out like a host (unless-file, files
 * owned by dpkg packages, symlinks into them, files too large to read).
 */
#include <string.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

static TuBinaryRules *
shipped_rules (void)
{
	g_autoptr(GError) error = NULL;
	TuBinaryRules *rules = tu_binary_rules_new (NULL, &error);
	g_assert_no_error (error);
	g_assert_nonnull (rules);
	return rules;
}

static void
test_shipped_rules (void)
{
	g_autoptr(TuBinaryRules) rules = shipped_rules ();
	GPtrArray *globs = tu_binary_rules_globs (rules);
	g_assert_cmpuint (globs->len, >, 50);
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	gboolean has_nginx = FALSE, has_release = FALSE;
	for (guint i = 0; i < globs->len; i++) {
		const char *g = g_ptr_array_index (globs, i);
		/* what the SSH collector can expand with sh, each once */
		g_assert_null (strstr (g, "**"));
		g_assert_null (strpbrk (g, "{}"));
		g_assert_true (g[0] != '/');
		g_assert_true (g_hash_table_add (seen, (gpointer) g));
		/* never where the package managers install */
		g_assert_false (g_str_has_prefix (g, "usr/bin/") || g_str_has_prefix (g, "usr/lib/") ||
				g_str_has_prefix (g, "bin/") || g_str_has_prefix (g, "usr/sbin/"));
		has_nginx |= strcmp (g, "usr/local/nginx/sbin/nginx") == 0 ||
			     strcmp (g, "usr/local/*/sbin/nginx") == 0;
		has_release |= strcmp (g, "opt/*/release") == 0;
	}
	g_assert_true (has_nginx);
	g_assert_true (has_release);
}

/* Where each snippet's program would live outside the package managers. */
static const struct {
	const char *snippet;
	const char *path;
} snippet_paths[] = {
	{"snippets/bash/5.1.16/linux-amd64/bash", "usr/local/bin/bash"},
	{"snippets/busybox/1.36.1/linux-amd64/[", "opt/busybox/bin/busybox"},
	{"snippets/go/1.21.3/linux-amd64/go", "usr/local/go/bin/go"},
	{"snippets/haproxy/2.7.3/linux-amd64/haproxy", "usr/local/sbin/haproxy"},
	{"snippets/httpd/2.4.54/linux-amd64/httpd", "usr/local/apache2/bin/httpd"},
	{"snippets/java-jdk-openjdk/21.0.2+13-LTS/linux-amd64/jdb", "opt/jdk-21.0.2/bin/jdb"},
	{"snippets/java-jre-openjdk/1.8.0_352-b08/linux-amd64/java", "opt/jdk1.8.0_352/jre/bin/java"},
	{"snippets/java-jre-openjdk/11.0.17/linux-amd64/java", "opt/java/openjdk/bin/java"},
	{"snippets/lighttpd/1.4.76/linux-amd64/lighttpd", "usr/local/sbin/lighttpd"},
	{"snippets/mariadb/10.6.15/linux-amd64/mariadb", "usr/local/mysql/bin/mariadb"},
	{"snippets/mariadb/11.8.5/linux-amd64/mariadb", "opt/mariadb/bin/mariadb"},
	{"snippets/memcached/1.6.18/linux-amd64/memcached", "usr/local/bin/memcached"},
	{"snippets/mysql/5.6.51/linux-amd64/mysql", "usr/local/mysql/bin/mysql"},
	{"snippets/mysql/8.0.37/linux-amd64/mysql", "opt/mysql/bin/mysql"},
	{"snippets/nginx/1.25.1/linux-amd64/nginx", "usr/local/nginx/sbin/nginx"},
	{"snippets/node/19.2.0/linux-amd64/node", "usr/local/bin/node"},
	{"snippets/node/4.9.1/linux-amd64/node", "opt/node-v4.9.1-linux-x64/bin/node"},
	{"snippets/openssl/1.1.1w/linux-arm64/openssl", "usr/local/ssl/bin/openssl"},
	{"snippets/openssl/3.1.4/linux-amd64/openssl", "usr/local/bin/openssl"},
	{"snippets/perl/5.20.0/linux-amd64/perl", "usr/local/bin/perl"},
	{"snippets/postgres/15.1/linux-amd64/postgres", "usr/local/pgsql/bin/postgres"},
	{"snippets/postgres/15beta4/linux-amd64/postgres", "opt/postgresql/15/bin/postgres"},
	{"snippets/postgres/9.6.24/linux-amd64/postgres", "usr/local/bin/postgres"},
	{"snippets/python-shared-lib/3.7.4/linux-amd64/libpython3.7m.so.1.0",
	 "usr/local/lib/libpython3.7m.so.1.0"},
	{"snippets/python/3.6.3/linux-amd64/python3.6", "usr/local/bin/python3.6"},
	{"snippets/redis-server/2.8.23/linux-amd64/redis-server", "usr/local/bin/redis-server"},
	{"snippets/redis-server/6.0.16/linux-amd64/redis-server", "opt/redis/bin/redis-server"},
	{"snippets/redis-server/7.2.3/linux-amd64/redis-server", "usr/local/bin/redis-server"},
	{"snippets/ruby/1.9.3p551/linux-amd64/ruby", "usr/local/bin/ruby"},
	{"snippets/valkey-server/9.0.0/linux-amd64/valkey-server", "usr/local/bin/valkey-server"},
	{"snippets/xz/5.6.2/linux-amd64/xz", "usr/local/bin/xz"},
	{"negative/busybox", "usr/local/bin/busybox"},
	{"negative/go", "usr/local/go/bin/go"},
	{"negative/python2.6", "usr/local/bin/python2.6"},
};

static const char *
path_of_snippet (const char *snippet)
{
	for (guint i = 0; i < G_N_ELEMENTS (snippet_paths); i++) {
		if (strcmp (snippet_paths[i].snippet, snippet) == 0)
			return snippet_paths[i].path;
	}
	return NULL;
}

static GBytes *
fixture (const char *rel)
{
	g_autofree char *full = g_build_filename ("tests/fixtures/binary", rel, NULL);
	g_autofree char *path = tu_test_source_path (full);
	return tu_test_read (path);
}

static TuHostScan *
match (TuBinaryRules *rules, GBytes *b, const char *path)
{
	TuHostScan *scan = tu_host_scan_new ("test");
	g_autoptr(GError) error = NULL;
	g_assert_true (tu_binary_match (rules, g_bytes_get_data (b, NULL), g_bytes_get_size (b), path,
					scan, &error));
	g_assert_no_error (error);
	return scan;
}

/* Every row of EXPECTED.derived.tsv: one record with upstream's name and version. */
static void
test_syft_snippets (void)
{
	g_autoptr(TuBinaryRules) rules = shipped_rules ();
	g_autoptr(GBytes) tsv = fixture ("EXPECTED.derived.tsv");
	g_autofree char *text = g_strndup (g_bytes_get_data (tsv, NULL), g_bytes_get_size (tsv));
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
	guint n_positive = 0, n_negative = 0;
	for (guint i = 1; lines[i] != NULL; i++) {
		if (*lines[i] == '\0')
			continue;
		g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);
		g_assert_cmpuint (g_strv_length (cols), ==, 5);
		const char *path = path_of_snippet (cols[0]);
		if (path == NULL)
			g_error ("no path for snippet %s", cols[0]);
		g_autoptr(GBytes) b = fixture (cols[0]);
		g_autoptr(TuHostScan) scan = match (rules, b, path);
		if (strcmp (cols[1], "-") == 0) {
			if (tu_record_list_len (scan->records) != 0)
				g_error ("negative %s matched as %s %s", cols[0],
					 tu_record_list_get (scan->records, 0)->raw_name,
					 tu_record_list_get (scan->records, 0)->raw_version);
			n_negative++;
			continue;
		}
		if (tu_record_list_len (scan->records) != 1)
			g_error ("%s at %s: %u records, 1 expected", cols[0], path,
				 tu_record_list_len (scan->records));
		const TuRecord *r = tu_record_list_get (scan->records, 0);
		if (g_strcmp0 (r->raw_name, cols[1]) != 0 || g_strcmp0 (r->raw_version, cols[2]) != 0)
			g_error ("%s: %s %s, expected %s %s", cols[0], r->raw_name, r->raw_version, cols[1],
				 cols[2]);
		g_assert_cmpint (r->source, ==, TU_SOURCE_BINARY);
		g_autofree char *location = g_strdup_printf ("/%s", path);
		g_assert_cmpstr (r->location, ==, location);
		g_assert_cmpuint (scan->warnings->len, ==, 0);
		n_positive++;
	}
	g_assert_cmpuint (n_positive, ==, 31);
	g_assert_cmpuint (n_negative, ==, 3);

	/* the same bytes where no rule looks (package managers' folders) match nothing */
	g_autoptr(GBytes) nginx = fixture ("snippets/nginx/1.25.1/linux-amd64/nginx");
	g_autoptr(TuHostScan) scan = match (rules, nginx, "usr/sbin/nginx");
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
	/* publishers */
	g_autoptr(TuHostScan) scan2 = match (rules, nginx, "/opt/nginx/sbin/nginx");
	g_assert_cmpstr (tu_record_list_get (scan2->records, 0)->raw_publisher, ==, "F5");
	g_assert_cmpstr (tu_record_list_get (scan2->records, 0)->location, ==, "/opt/nginx/sbin/nginx");
}

/* A version string across the 1 MiB chunk boundary, at the very end, around many hints. */
static void
test_chunk_boundaries (void)
{
	g_autoptr(TuBinaryRules) rules = shipped_rules ();
	const char *needle = "\x00nginx version: nginx/1.25.1\x00";
	gsize nlen = 29;
	gsize size = 3 * 1024 * 1024;
	const gsize offsets[] = {1024 * 1024 - 10, 2 * 1024 * 1024 - 1, 3 * 1024 * 1024 - 29, 0};
	for (guint i = 0; i < G_N_ELEMENTS (offsets); i++) {
		g_autofree guint8 *buf = g_malloc0 (size);
		memcpy (buf + offsets[i], needle, nlen);
		g_autoptr(GBytes) b = g_bytes_new_take (g_steal_pointer (&buf), size);
		g_autoptr(TuHostScan) scan = match (rules, b, "usr/local/sbin/nginx");
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
		g_assert_cmpstr (tu_record_list_get (scan->records, 0)->raw_version, ==, "1.25.1");
	}
	/* no hint: the redis pattern without one, across the boundary */
	const char *redis = "\x00" "6.0.16964eac4733d9-1673428630000000000\x00";
	g_autofree guint8 *buf = g_malloc0 (size);
	memcpy (buf + 1024 * 1024 - 20, redis, 41);
	g_autoptr(GBytes) rb = g_bytes_new_take (g_steal_pointer (&buf), size);
	g_autoptr(TuHostScan) rscan = match (rules, rb, "usr/local/bin/redis-server");
	g_assert_cmpuint (tu_record_list_len (rscan->records), ==, 1);
	g_assert_cmpstr (tu_record_list_get (rscan->records, 0)->raw_version, ==, "6.0.16");

	/* 8 MiB of hints and no version: done quickly, nothing found. (The buffer is zeroed
	 * past its end: PCRE2's JIT reads whole vectors, which valgrind takes for a use of
	 * uninitialised bytes when the tail is a GString's spare capacity.) */
	gsize many_len = 8 * 1024 * 1024;
	guint8 *many = g_malloc0 (many_len + 64);
	for (gsize at = 0; at + 15 <= many_len; at += 15)
		memcpy (many + at, "nginx version: ", 15);
	g_autoptr(GBytes) mb = g_bytes_new_with_free_func (many, many_len, g_free, many);
	g_autoptr(TuHostScan) mscan = match (rules, mb, "usr/local/sbin/nginx");
	g_assert_cmpuint (tu_record_list_len (mscan->records), ==, 0);

	/* nothing at all */
	g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
	g_autoptr(TuHostScan) escan = match (rules, empty, "usr/local/sbin/nginx");
	g_assert_cmpuint (tu_record_list_len (escan->records), ==, 0);
}

/* Release files of three JDK vendors (Oracle's as its Java 8 builds write it, constructed
 * here; Temurin's as in a real 17 build). */
static void
test_release_files (void)
{
	g_autoptr(TuBinaryRules) rules = shipped_rules ();
	const char *oracle8 = "JAVA_VERSION=\"1.8.0_202\"\nOS_NAME=\"Linux\"\nOS_VERSION=\"2.6\"\n"
			      "OS_ARCH=\"amd64\"\nSOURCE=\" .:2b1fbd4be5c1 corba:...\"\nBUILD_TYPE=\"commercial\"\n";
	const char *oracle17 = "IMPLEMENTOR=\"Oracle Corporation\"\nJAVA_VERSION=\"17.0.1\"\n"
			       "JAVA_VERSION_DATE=\"2021-10-19\"\nLIBC=\"gnu\"\n";
	const char *temurin = "IMPLEMENTOR=\"Eclipse Adoptium\"\nIMPLEMENTOR_VERSION=\"Temurin-17.0.2+8\"\n"
			      "JAVA_VERSION=\"17.0.2\"\nJAVA_VERSION_DATE=\"2022-01-18\"\nLIBC=\"gnu\"\n"
			      "JAVA_RUNTIME_VERSION=\"17.0.2+8\"\n";
	const char *noimpl = "JAVA_VERSION=\"1.7.0_80\"\nOS_NAME=\"Linux\"\n";
	const char *other = "VERSION=\"3\"\nNAME=\"not a jdk\"\n";
	struct {
		const char *text;
		const char *name, *version, *publisher;
	} cases[] = {
		{oracle8, "Java SE", "1.8.0_202", "Oracle Corporation"},
		{oracle17, "Java SE", "17.0.1", "Oracle Corporation"},
		{temurin, "openjdk", "17.0.2+8", "Eclipse Adoptium"},
		{noimpl, "openjdk", "1.7.0_80", NULL},
		{other, NULL, NULL, NULL},
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr(GBytes) b = g_bytes_new_static (cases[i].text, strlen (cases[i].text));
		g_autoptr(TuHostScan) scan = match (rules, b, "opt/jdk/release");
		if (cases[i].name == NULL) {
			g_assert_cmpuint (tu_record_list_len (scan->records), ==, 0);
			continue;
		}
		g_assert_cmpuint (tu_record_list_len (scan->records), ==, 1);
		const TuRecord *r = tu_record_list_get (scan->records, 0);
		g_assert_cmpstr (r->raw_name, ==, cases[i].name);
		g_assert_cmpstr (r->raw_version, ==, cases[i].version);
		g_assert_cmpstr (r->raw_publisher, ==, cases[i].publisher);
	}
}

/* Run a program and return the first match of @regex in its output (stdout and stderr). */
static char *
self_reported (const char *const *argv, const char *regex)
{
	g_autofree char *out = NULL, *err = NULL;
	int status = 0;
	if (!g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, NULL))
		return NULL;
	g_autofree char *all = g_strconcat (out ? out : "", err ? err : "", NULL);
	g_autoptr(GRegex) re = g_regex_new (regex, 0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;
	if (!g_regex_match (re, all, 0, &mi))
		return NULL;
	return g_match_info_fetch_named (mi, "v");
}

static void
check_real (TuBinaryRules *rules, const char *file, const char *as_path, const char *expect_name,
	    const char *expect_version, guint *n_checked)
{
	if (expect_version == NULL || !g_file_test (file, G_FILE_TEST_IS_REGULAR))
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMappedFile) mf = g_mapped_file_new (file, FALSE, &error);
	if (mf == NULL)
		return;
	g_autoptr(GBytes) b = g_mapped_file_get_bytes (mf);
	g_autoptr(TuHostScan) scan = match (rules, b, as_path);
	if (tu_record_list_len (scan->records) != 1)
		g_error ("%s (as /%s): no match; it says it is %s %s", file, as_path, expect_name,
			 expect_version);
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	if (g_strcmp0 (r->raw_name, expect_name) != 0 || g_strcmp0 (r->raw_version, expect_version) != 0)
		g_error ("%s: %s %s, but it says it is %s %s", file, r->raw_name, r->raw_version,
			 expect_name, expect_version);
	g_test_message ("%s as /%s: %s %s", file, as_path, r->raw_name, r->raw_version);
	(*n_checked)++;
}

/* The builds on this machine, matched as if they were unpacked in /opt or /usr/local, agree
 * with what they print about themselves. */
static void
test_real_builds (void)
{
	g_autoptr(TuBinaryRules) rules = shipped_rules ();
	guint n = 0;
	/* JDKs: release file, libjvm.so and the launcher */
	g_autoptr(GDir) jvm = g_dir_open ("/usr/lib/jvm", 0, NULL);
	const char *name;
	while (jvm != NULL && (name = g_dir_read_name (jvm)) != NULL) {
		g_autofree char *home = g_build_filename ("/usr/lib/jvm", name, NULL);
		g_autofree char *java = g_build_filename (home, "bin", "java", NULL);
		if (g_file_test (home, G_FILE_TEST_IS_SYMLINK) || !g_file_test (java, G_FILE_TEST_IS_EXECUTABLE))
			continue;
		const char *argv[] = {java, "-XshowSettings:properties", "-version", NULL};
		g_autofree char *v = self_reported (argv, "java\\.runtime\\.version = (?<v>\\S+)");
		g_autofree char *release = g_build_filename (home, "release", NULL);
		g_autofree char *libjvm = g_build_filename (home, "lib", "server", "libjvm.so", NULL);
		check_real (rules, release, "opt/jdk/release", "openjdk", v, &n);
		check_real (rules, libjvm, "opt/jdk/lib/server/libjvm.so", "openjdk", v, &n);
		check_real (rules, java, "opt/jdk/bin/java", "openjdk", v, &n);
	}
	const struct {
		const char *file;
		const char *as_path;
		const char *name;
		const char *argv1;
		const char *regex;
	} programs[] = {
		{"/usr/bin/node", "usr/local/bin/node", "node", "--version", "^v(?<v>\\d+\\.\\d+\\.\\d+)"},
		{"/usr/bin/openssl", "usr/local/bin/openssl", "openssl", "version", "^OpenSSL (?<v>\\S+)"},
		{"/usr/bin/perl", "usr/local/bin/perl", "perl", "-v", "\\(v(?<v>5\\.\\d+\\.\\d+)\\)"},
		{"/usr/bin/mariadb", "usr/local/mysql/bin/mysql", "mariadb", "--version",
		 "(?<v>\\d+\\.\\d+\\.\\d+)-MariaDB"},
		{"/usr/lib/postgresql/15/bin/postgres", "usr/local/pgsql/bin/postgres", "postgresql",
		 "--version", "\\(PostgreSQL\\) (?<v>\\d+\\.\\d+)"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (programs); i++) {
		const char *argv[] = {programs[i].file, programs[i].argv1, NULL};
		if (!g_file_test (programs[i].file, G_FILE_TEST_IS_EXECUTABLE))
			continue;
		g_autofree char *v = self_reported (argv, programs[i].regex);
		check_real (rules, programs[i].file, programs[i].as_path, programs[i].name, v, &n);
	}
	/* pyenv's builds are the /usr/local kind: every interpreter, 2.7 to 3.13 */
	g_autofree char *pyenv = g_build_filename (g_get_home_dir (), ".pyenv", "versions", NULL);
	g_autoptr(GDir) versions = g_dir_open (pyenv, 0, NULL);
	while (versions != NULL && (name = g_dir_read_name (versions)) != NULL) {
		g_auto(GStrv) parts = g_strsplit (name, ".", 3);
		if (g_strv_length (parts) != 3)
			continue;
		g_autofree char *exe = g_strdup_printf ("%s/%s/bin/python%s.%s", pyenv, name, parts[0], parts[1]);
		g_autofree char *lib = g_strdup_printf ("%s/%s/lib/libpython%s.%s.so.1.0", pyenv, name, parts[0],
							parts[1]);
		const char *argv[] = {exe, "--version", NULL};
		g_autofree char *v = self_reported (argv, "Python (?<v>\\S+)");
		g_autofree char *as = g_strdup_printf ("usr/local/bin/python%s.%s", parts[0], parts[1]);
		g_autofree char *lib_as = g_strdup_printf ("usr/local/lib/libpython%s.%s.so.1.0", parts[0],
							   parts[1]);
		/* a shared build's interpreter is a stub: its libpython says the version */
		if (g_file_test (lib, G_FILE_TEST_IS_REGULAR))
			check_real (rules, lib, lib_as, "python", v, &n);
		else
			check_real (rules, exe, as, "python", v, &n);
	}
	if (n == 0)
		g_test_skip ("no JDK, node, openssl, perl, MariaDB, PostgreSQL or Python build here");
	else
		g_test_message ("%u real builds agree with what they print", n);
}

static void
expect_load_error (const char *rules_text, const char *needle)
{
	g_autofree char *dir = tu_test_mkdtemp ();
	tu_test_write (dir, "local.rules", rules_text, -1);
	g_autoptr(GError) error = NULL;
	g_autoptr(TuBinaryRules) rules = tu_binary_rules_new (dir, &error);
	g_assert_null (rules);
	g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
	g_autofree char *full = g_strdup_printf ("%s/local.rules:%s", dir, needle);
	if (strstr (error->message, full) == NULL)
		g_error ("\"%s\" lacks \"%s\"", error->message, full);
	tu_test_rmtree (dir);
}

static void
test_rule_errors (void)
{
	expect_load_error ("binary a\n  path usr/local/bin/a\n  content (?<version>\\d+\n  set name a\n",
			   "3: content: PCRE2 error at offset 14: missing closing parenthesis");
	expect_load_error ("binary a\n  path usr/local/bin/a\n  content v(\\d+)\n  set name a\n",
			   "3: content: the pattern has no (?<version>...) group");
	expect_load_error ("binary a\n  path usr/local/**/a\n  content (?<version>1)\n  set name a\n",
			   "2: path usr/local/**/a: ** is not a sh glob");
	expect_load_error ("binary a\n  path /usr/local/bin/a\n  content (?<version>1)\n  set name a\n",
			   "2: path /usr/local/bin/a: globs are relative to the root");
	expect_load_error ("binary a\n  path {usr/local,opt/*/bin/a\n  content (?<version>1)\n  set name a\n",
			   "2: path: unbalanced or nested braces");
	expect_load_error ("binary a\n  path usr/local/bin/a\n  hint abc\n  content (?<version>1)\n  set name a\n",
			   "3: hint: belongs right after a content line");
	expect_load_error ("binary a\n  path usr/local/bin/a\n  content (?<version>1)\n  hint \\x4\n  set name a\n",
			   "4: hint: \\x needs two hexadecimal digits");
	expect_load_error ("binary a\n  path usr/local/bin/a\n  content (?<version>1)\n  set name {vendor}\n",
			   "4: set: {vendor} is not a named group");
	expect_load_error ("binary a\n  path usr/local/bin/a\n  content (?<version>1)\n  set cpe x\n",
			   "4: set cpe: binary stanzas set name and publisher only");
	expect_load_error ("binary a\n  path usr/local/bin/a\n  content (?<version>1)\n  frobnicate x\n"
			   "  set name a\n",
			   "4: unknown key \"frobnicate\"");
	expect_load_error ("binary a\n  path usr/local/bin/a\n  set name a\n", "1: binary a: no content line");
	expect_load_error ("binary a\n  path usr/local/bin/a\n  content (?<version>1)\n  set name a\n"
			   "binary a\n  path usr/local/bin/b\n  content (?<version>1)\n  set name b\n",
			   "5: binary a: defined already at ");
	expect_load_error ("  path x\n", "1: indented line outside a stanza");

	/* a directory that does not exist */
	g_autoptr(GError) error = NULL;
	g_autoptr(TuBinaryRules) rules = tu_binary_rules_new ("/nonexistent/rules.d", &error);
	g_assert_null (rules);
	g_assert_true (g_str_has_prefix (error->message, "rules directory: "));
}

/* A user rule with a shipped rule's ID replaces it; user rules are tried first. */
static void
test_user_rules (void)
{
	g_autofree char *dir = tu_test_mkdtemp ();
	tu_test_write (dir, "site.rules",
		       "# our own builds\n"
		       "binary nginx\n"
		       "  path usr/local/nginx/sbin/nginx\n"
		       "  content nginx/(?<version>\\d+\\.\\d+)\\.\\d+\n"
		       "  set name nginx (site build)\n"
		       "  set publisher Example IT\n"
		       "\n"
		       "binary acme-agent\n"
		       "  path {opt/acme,usr/local}/bin/acme-{agent,agentd}\n"
		       "  content ACME Agent (?<edition>[A-Z][a-z]+) v(?<version>\\d+(?:\\.\\d+)+)\n"
		       "  hint ACME\\x20Agent\n"
		       "  set name ACME Agent {edition}\n"
		       "  set publisher ACME Corp\n",
		       -1);
	g_autoptr(GError) error = NULL;
	g_autoptr(TuBinaryRules) rules = tu_binary_rules_new (dir, &error);
	g_assert_no_error (error);
	GPtrArray *globs = tu_binary_rules_globs (rules);
	gboolean has_acme = FALSE;
	for (guint i = 0; i < globs->len; i++)
		has_acme |= strcmp (g_ptr_array_index (globs, i), "opt/acme/bin/acme-agentd") == 0;
	g_assert_true (has_acme);

	g_autoptr(GBytes) nginx = fixture ("snippets/nginx/1.25.1/linux-amd64/nginx");
	g_autoptr(TuHostScan) scan = match (rules, nginx, "usr/local/nginx/sbin/nginx");
	const TuRecord *r = tu_record_list_get (scan->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "nginx (site build)");
	g_assert_cmpstr (r->raw_version, ==, "1.25");
	/* the shipped nginx stanza is gone: its other paths match nothing now */
	g_autoptr(TuHostScan) scan2 = match (rules, nginx, "opt/nginx/sbin/nginx");
	g_assert_cmpuint (tu_record_list_len (scan2->records), ==, 0);

	const char agent[] = "\x7f" "ELF....ACME Agent Enterprise v4.2.17\x00...";
	g_autoptr(GBytes) ab = g_bytes_new_static (agent, sizeof agent - 1);
	g_autoptr(TuHostScan) scan3 = match (rules, ab, "usr/local/bin/acme-agentd");
	r = tu_record_list_get (scan3->records, 0);
	g_assert_cmpstr (r->raw_name, ==, "ACME Agent Enterprise");
	g_assert_cmpstr (r->raw_version, ==, "4.2.17");
	g_assert_cmpstr (r->raw_publisher, ==, "ACME Corp");
	tu_test_rmtree (dir);
}

static void
copy_fixture (const char *root, const char *rel, const char *to)
{
	g_autoptr(GBytes) b = fixture (rel);
	tu_test_write (root, to, g_bytes_get_data (b, NULL), (gssize) g_bytes_get_size (b));
}

/* The finder on a root laid out like a host. */
static void
test_finder (void)
{
	g_autofree char *root = tu_test_mkdtemp ();
	/* a JDK with its release file: one record for the release, none for bin/java */
	tu_test_write (root, "opt/jdk-17/release",
		       "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"17.0.2\"\nJAVA_RUNTIME_VERSION=\"17.0.2+8\"\n",
		       -1);
	copy_fixture (root, "snippets/java-jre-openjdk/11.0.17/linux-amd64/java", "opt/jdk-17/bin/java");
	/* a JRE without one: its launcher speaks */
	copy_fixture (root, "snippets/java-jre-openjdk/11.0.17/linux-amd64/java", "opt/jre-11/bin/java");
	copy_fixture (root, "snippets/nginx/1.25.1/linux-amd64/nginx", "usr/local/nginx/sbin/nginx");
	copy_fixture (root, "snippets/python/3.6.3/linux-amd64/python3.6", "usr/local/bin/python3.6");
	/* package-managed: by path (an app that installs into /opt), and by content through a
	 * symlink from /usr/local/bin */
	copy_fixture (root, "snippets/node/19.2.0/linux-amd64/node", "opt/app/bin/node");
	copy_fixture (root, "snippets/postgres/15.1/linux-amd64/postgres", "usr/lib/postgresql/15/bin/postgres");
	g_autofree char *link_dir = g_build_filename (root, "usr/local/bin", NULL);
	g_autofree char *link = g_build_filename (link_dir, "postgres", NULL);
	g_assert_cmpint (symlink ("/usr/lib/postgresql/15/bin/postgres", link), ==, 0);
	g_autoptr(GBytes) pg = fixture ("snippets/postgres/15.1/linux-amd64/postgres");
	g_autofree char *md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, pg);
	g_autofree char *md5sums = g_strdup_printf ("0123456789abcdef0123456789abcdef  usr/share/doc/x\n"
						    "%s  usr/lib/postgresql/15/bin/postgres\n",
						    md5);
	tu_test_write (root, "var/lib/dpkg/info/postgresql-15.md5sums", md5sums, -1);
	tu_test_write (root, "var/lib/dpkg/info/app.list", "/opt\n/opt/app\n/opt/app/bin/node\n", -1);
	/* not where binaries are looked for */
	copy_fixture (root, "snippets/openssl/3.1.4/linux-amd64/openssl", "usr/bin/openssl");
	/* too large to read: a sparse file */
	g_autofree char *big = g_build_filename (root, "usr/local/bin/memcached", NULL);
	g_assert_true (g_file_set_contents (big, "", 0, NULL));
	g_assert_cmpint (truncate (big, (off_t) TU_SCAN_MAX_BINARY_BYTES + 1), ==, 0);

	g_autoptr(GError) error = NULL;
	g_autoptr(TuFs) fs = tu_fs_new_root (root, &error);
	g_assert_no_error (error);
	g_autoptr(TuBinaryRules) rules = shipped_rules ();
	TuScanOptions opts = {0};
	opts.binary_rules = rules;
	g_autoptr(TuHostScan) scan = tu_host_scan_new ("root:test");
	tu_source_binary (fs, scan, &opts);
	g_assert_no_error (scan->error);
	const char *expect[][3] = {
		{"/opt/jdk-17/release", "openjdk", "17.0.2+8"},
		{"/opt/jre-11/bin/java", "openjdk", "11.0.17+8-LTS"},
		{"/usr/local/bin/python3.6", "python", "3.6.3"},
		{"/usr/local/nginx/sbin/nginx", "nginx", "1.25.1"},
	};
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		g_test_message ("record: %s %s at %s", r->raw_name, r->raw_version, r->location);
	}
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, G_N_ELEMENTS (expect));
	for (guint i = 0; i < G_N_ELEMENTS (expect); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		g_assert_cmpstr (r->location, ==, expect[i][0]);
		g_assert_cmpstr (r->raw_name, ==, expect[i][1]);
		g_assert_cmpstr (r->raw_version, ==, expect[i][2]);
	}
	g_assert_cmpuint (scan->warnings->len, ==, 1);
	g_assert_nonnull (strstr (tu_warnings_text (scan->warnings, 0),
				  "usr/local/bin/memcached: 268435457 bytes"));

	/* the same host without options' rules: the finder loads the shipped ones */
	TuScanOptions none = {0};
	g_autoptr(TuHostScan) scan2 = tu_host_scan_new ("root:test");
	tu_source_binary (fs, scan2, &none);
	g_assert_cmpuint (tu_record_list_len (scan2->records), ==, G_N_ELEMENTS (expect));
	tu_test_rmtree (root);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/binary/shipped-rules-load-with-sh-globs", test_shipped_rules);
	g_test_add_func ("/trueup/scan/binary/syft-snippets-give-upstream-versions", test_syft_snippets);
	g_test_add_func ("/trueup/scan/binary/match-across-chunk-boundaries", test_chunk_boundaries);
	g_test_add_func ("/trueup/scan/binary/jdk-release-files-by-vendor", test_release_files);
	g_test_add_func ("/trueup/scan/binary/real-builds-agree-with-their-version-output", test_real_builds);
	g_test_add_func ("/trueup/scan/binary/rule-errors-name-file-line-and-offset", test_rule_errors);
	g_test_add_func ("/trueup/scan/binary/user-rules-first-and-replacing", test_user_rules);
	g_test_add_func ("/trueup/scan/binary/finder-skips-package-owned-and-covered", test_finder);
	return g_test_run ();
}
