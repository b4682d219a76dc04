/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the binary fingerprint matcher with the shipped rules: the first
 * byte picks the path (and so the rules that apply), the rest is the file. Seeds:
 * tests/fuzz/binary/ (Syft's snippets behind their path byte). */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const paths[] = {
	"usr/local/bin/bash",		 "usr/local/bin/busybox",
	"usr/local/go/bin/go",		 "usr/local/sbin/haproxy",
	"usr/local/apache2/bin/httpd",	 "opt/jdk/bin/jdb",
	"opt/jdk/bin/java",		 "usr/local/sbin/lighttpd",
	"usr/local/mysql/bin/mariadb",	 "usr/local/bin/memcached",
	"usr/local/mysql/bin/mysql",	 "usr/local/nginx/sbin/nginx",
	"usr/local/bin/node",		 "usr/local/bin/openssl",
	"usr/local/bin/perl",		 "usr/local/pgsql/bin/postgres",
	"usr/local/lib/libpython3.7m.so.1.0", "usr/local/bin/python3.6",
	"usr/local/bin/redis-server",	 "usr/local/bin/ruby",
	"usr/local/bin/valkey-server",	 "usr/local/bin/xz",
	"opt/jdk/release",		 "opt/jdk/lib/server/libjvm.so",
	"usr/local/lib/libcrypto.so.3",	 "usr/local/lib/libruby.so.3.2",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	static TuBinaryRules *rules;
	if (rules == NULL) {
		rules = tu_binary_rules_new (NULL, NULL);
		g_assert (rules != NULL);
	}
	if (size == 0)
		return 0;
	const char *path = paths[data[0] % G_N_ELEMENTS (paths)];
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	tu_binary_match (rules, data + 1, size - 1, path, scan, &error);
	g_clear_error (&error);
	tu_host_scan_free (scan);
	return 0;
}
