/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scanner's orchestration: which sources run on a filesystem, local and --root targets,
 * target lists, and the helpers every source shares. Transports live in their own files
 * (tu-transport-ssh.c); parsers in tu-scan-SOURCE.c.
 */
#include "config.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-scan.h"
#include "tu-sources.h"

char *
tu_scan_clean_field (const char *s, gssize len)
{
	if (s == NULL)
		return NULL;
	return tu_utf8_clean (s, len, TU_SCAN_MAX_FIELD_BYTES, NULL);
}

void
tu_scan_warn_at (TuHostScan *scan, const char *file, guint line, const char *format, ...)
{
	va_list args;
	va_start (args, format);
	tu_warnings_addv (scan->warnings, file, line, NULL, format, args);
	va_end (args);
}

typedef struct {
	const char *name;
	TuSourceFunc func;
} Source;

/* The on-host sources, in the order they run. */
static const Source sources[] = {
	{"dpkg", tu_source_dpkg},
	{"rpm", tu_source_rpm},
	{"apk", tu_source_apk},
	{"pacman", tu_source_pacman},
	{"snap", tu_source_snap},
	{"flatpak", tu_source_flatpak},
	{"pip", tu_source_pip},
	{"npm", tu_source_npm},
	{"swid", tu_source_swid},
	{"macos", tu_source_macos},
	{"binary", tu_source_binary},
};

/* A root without facts of its own: the most common package architecture */
static void
infer_arch (TuHostScan *scan)
{
	if (scan->facts.arch != NULL)
		return;
	g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
	const char *best = NULL;
	guint best_n = 0;
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (r->arch == NULL || r->source > TU_SOURCE_PACMAN || g_strcmp0 (r->arch, "all") == 0 ||
		    g_strcmp0 (r->arch, "noarch") == 0 || g_strcmp0 (r->arch, "any") == 0)
			continue;
		guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, r->arch)) + 1;
		g_hash_table_insert (counts, (gpointer) r->arch, GUINT_TO_POINTER (n));
		if (n > best_n) {
			best_n = n;
			best = r->arch;
		}
	}
	if (best != NULL)
		scan->facts.arch = g_strdup (best);
}

void
tu_scan_fs (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	tu_host_facts_from_fs (fs, &scan->facts);
	for (guint i = 0; i < G_N_ELEMENTS (sources) && scan->error == NULL; i++) {
		if (options->no_binaries && g_strcmp0 (sources[i].name, "binary") == 0)
			continue;
		if (options->cancellable != NULL &&
		    g_cancellable_set_error_if_cancelled (options->cancellable, &scan->error))
			break;
		double t0 = tu_now_seconds ();
		guint before = tu_record_list_len (scan->records);
		sources[i].func (fs, scan, options);
		g_debug ("%s: %s: %u records in %.3f s", scan->target, sources[i].name,
			 tu_record_list_len (scan->records) - before, tu_now_seconds () - t0);
	}
	infer_arch (scan);
	scan->finished_us = g_get_real_time ();
}

static char *
local_fqdn (const char *hostname)
{
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo (hostname, NULL, &hints, &res) != 0 || res == NULL)
		return NULL;
	char *fqdn = res->ai_canonname && strchr (res->ai_canonname, '.') ? g_strdup (res->ai_canonname)
									   : NULL;
	freeaddrinfo (res);
	return fqdn;
}

static char *
local_addresses (void)
{
	struct ifaddrs *ifa = NULL;
	if (getifaddrs (&ifa) != 0)
		return NULL;
	GString *out = g_string_new (NULL);
	for (struct ifaddrs *i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		char buf[INET6_ADDRSTRLEN];
		const void *addr = NULL;
		if (i->ifa_addr->sa_family == AF_INET)
			addr = &((struct sockaddr_in *) i->ifa_addr)->sin_addr;
		else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct in6_addr *a6 = &((struct sockaddr_in6 *) i->ifa_addr)->sin6_addr;
			if (IN6_IS_ADDR_LINKLOCAL (a6))
				continue;
			addr = a6;
		}
		if (addr == NULL || inet_ntop (i->ifa_addr->sa_family, addr, buf, sizeof buf) == NULL)
			continue;
		if (out->len > 0)
			g_string_append_c (out, ',');
		g_string_append (out, buf);
	}
	freeifaddrs (ifa);
	return g_string_free (out, out->len == 0);
}

TuHostScan *
tu_scan_local (const TuScanOptions *options)
{
	TuHostScan *scan = tu_host_scan_new ("local");
	g_autoptr(TuFs) fs = tu_fs_new_root ("/", &scan->error);
	if (fs == NULL)
		return scan;
	char host[256] = {0};
	if (gethostname (host, sizeof host - 1) == 0 && *host != '\0')
		tu_host_facts_set (&scan->facts.hostname, host);
	struct utsname uts;
	if (uname (&uts) == 0) {
		tu_host_facts_set (&scan->facts.kernel, uts.release);
		tu_host_facts_set (&scan->facts.arch, uts.machine);
	}
	if (scan->facts.hostname != NULL) {
		g_autofree char *fqdn = local_fqdn (scan->facts.hostname);
		tu_host_facts_set (&scan->facts.fqdn, fqdn);
	}
	g_autofree char *ips = local_addresses ();
	tu_host_facts_set (&scan->facts.ip_addresses, ips);
	tu_scan_fs (fs, scan, options);
	return scan;
}

TuHostScan *
tu_scan_root (const char *root, const TuScanOptions *options)
{
	g_autofree char *canon = g_canonicalize_filename (root, NULL);
	g_autofree char *target = g_strdup_printf ("root:%s", canon);
	TuHostScan *scan = tu_host_scan_new (target);
	g_autoptr(TuFs) fs = tu_fs_new_root (canon, &scan->error);
	if (fs == NULL)
		return scan;
	tu_scan_fs (fs, scan, options);
	/* an image without /etc/hostname is named after its directory */
	if (scan->facts.hostname == NULL) {
		g_autofree char *base = g_path_get_basename (canon);
		tu_host_facts_set (&scan->facts.hostname, base);
	}
	return scan;
}

GPtrArray *
tu_scan_parse_targets (const char *path, GError **error)
{
	g_autoptr(GBytes) bytes = tu_file_read (path, 64 * 1024 * 1024, error);
	if (bytes == NULL)
		return NULL;
	g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
	if (!g_utf8_validate (text, -1, NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: not valid UTF-8", path);
		return NULL;
	}
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; lines[i] != NULL; i++) {
		char *l = g_strstrip (lines[i]);
		char *hash = strchr (l, '#');
		if (hash != NULL) {
			*hash = '\0';
			g_strstrip (l);
		}
		if (*l == '\0')
			continue;
		if (g_strcmp0 (l, "local") == 0 || g_str_has_prefix (l, "ssh://") ||
		    g_str_has_prefix (l, "import:")) {
			g_ptr_array_add (out, g_strdup (l));
		} else if (g_str_has_prefix (l, "root:")) {
			if (l[5] == '\0') {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: root: needs a directory", path, i + 1);
				return NULL;
			}
			g_ptr_array_add (out, g_strdup (l));
		} else {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: \"%s\" is not a target (ssh://user@host:port, root:/path, "
				     "local, import:FILE)",
				     path, i + 1, l);
			return NULL;
		}
	}
	return g_steal_pointer (&out);
}

GPtrArray *
tu_scan_target (const char *target, const TuScanOptions *options)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	if (g_strcmp0 (target, "local") == 0) {
		g_ptr_array_add (out, tu_scan_local (options));
	} else if (g_str_has_prefix (target, "root:")) {
		g_ptr_array_add (out, tu_scan_root (target + 5, options));
	} else if (g_str_has_prefix (target, "ssh://")) {
		g_ptr_array_add (out, tu_scan_ssh (target, options));
	} else if (g_str_has_prefix (target, "import:")) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) hosts = tu_scan_import (target + 7, options, &error);
		if (hosts == NULL) {
			TuHostScan *failed = tu_host_scan_new (target);
			failed->error = g_steal_pointer (&error);
			g_ptr_array_add (out, failed);
		} else {
			while (hosts->len > 0)
				g_ptr_array_add (out, g_ptr_array_steal_index (hosts, 0));
		}
	} else {
		TuHostScan *failed = tu_host_scan_new (target);
		g_set_error (&failed->error, TU_ERROR, TU_ERROR_USAGE, "unknown target \"%s\"", target);
		g_ptr_array_add (out, failed);
	}
	return out;
}

TuBinaryRules *
tu_scan_load_binary_rules (const char *user_dir, GError **error)
{
	return tu_binary_rules_new (user_dir, error);
}

void
tu_scan_binary_rules_free (TuBinaryRules *rules)
{
	tu_binary_rules_free (rules);
}
