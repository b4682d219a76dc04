/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scanner: what a target has installed and the facts about it, as a TuHostScan.
 *
 * Every source has a parser that takes a buffer and its length (shared by every transport and
 * by the fuzzers), and a finder that locates its files on a TuFs. Failure policy:
 *  - a package manager's database that cannot be parsed fails the whole host's scan: storing
 *    the part that parsed would record every other package as removed;
 *  - a per-package metadata file (METADATA, package.json, desc, Info.plist, a SWID tag) that
 *    cannot be parsed is skipped with a warning naming file, line and field: it describes one
 *    package only, and the rest of the host is complete.
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "tu-fs.h"
#include "tu-record.h"

G_BEGIN_DECLS

/* Limits on what is read from a target. */
#define TU_SCAN_MAX_DB_BYTES (512u * 1024u * 1024u)   /* package databases */
#define TU_SCAN_MAX_META_BYTES (16u * 1024u * 1024u)  /* one package's metadata file */
#define TU_SCAN_MAX_BINARY_BYTES (256u * 1024u * 1024u) /* an executable read for fingerprints */
#define TU_SCAN_MAX_FIELD_BYTES 65536u		       /* one field of a record */

typedef struct _TuBinaryRules TuBinaryRules;

typedef struct {
	guint timeout;		      /* seconds per host, 0: none */
	gboolean no_binaries;	      /* skip binary fingerprints */
	TuBinaryRules *binary_rules;  /* (nullable) the binary fingerprints */
	GCancellable *cancellable;    /* (nullable) */
	const char *ssh_options;      /* extra options for ssh, from the config (nullable) */
	gboolean ssh_accept_new_host_keys; /* StrictHostKeyChecking=accept-new */
	gsize ssh_max_bytes;	      /* cap on one host's collector output; 0: 2 GB */
} TuScanOptions;

/* A source's finder: locate its files on @fs and append records (or set scan->error). */
typedef void (*TuSourceFunc) (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);

/* Scan a filesystem (a root or an SSH snapshot): host facts, then every source. */
void tu_scan_fs (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);

/* Scan this machine: the root "/" plus live facts (hostname, FQDN, addresses). */
TuHostScan *tu_scan_local (const TuScanOptions *options);
/* Scan a mounted disk image or container root as one host. */
TuHostScan *tu_scan_root (const char *root, const TuScanOptions *options);
/* Scan a remote host with the system ssh client: "[USER@]HOST[:PORT]" or "ssh://...". */
TuHostScan *tu_scan_ssh (const char *spec, const TuScanOptions *options);
/* Read an export (Windows, macOS, GLPI, osquery, CycloneDX, SPDX, CSV): the format is found
 * from the content. One file may hold several hosts. (transfer full) TuHostScan*; NULL with
 * @error when the file cannot be read or its format is unknown. */
GPtrArray *tu_scan_import (const char *path, const TuScanOptions *options, GError **error);

/* A --hosts file: targets one a line ("ssh://user@host:port", "root:/path", "local",
 * "import:FILE", # comments). (transfer full) char* targets, normalised to those forms. */
GPtrArray *tu_scan_parse_targets (const char *path, GError **error);
/* Scan one target of the forms above. (transfer full) TuHostScan*: one, or several for an
 * import. */
GPtrArray *tu_scan_target (const char *target, const TuScanOptions *options);

/* The binary fingerprints of the shipped rules and @user_dir (may be NULL); NULL with @error
 * when a rule is broken. (transfer full) */
TuBinaryRules *tu_scan_load_binary_rules (const char *user_dir, GError **error);
void tu_scan_binary_rules_free (TuBinaryRules *rules);

/* Host facts from the files of @fs (os-release, machine-id, hostname, cpuinfo, meminfo, DMI). */
void tu_host_facts_from_fs (TuFs *fs, TuHostFacts *facts);
/* Parse os-release text into @facts. */
void tu_host_facts_parse_os_release (const char *buf, gsize len, TuHostFacts *facts);
/* Parse /proc/cpuinfo text: sockets, cores, threads, model, hypervisor flag. */
void tu_host_facts_parse_cpuinfo (const char *buf, gsize len, TuHostFacts *facts);

/* Warn with "FILE:LINE: MESSAGE". */
void tu_scan_warn_at (TuHostScan *scan, const char *file, guint line, const char *format, ...)
	G_GNUC_PRINTF (4, 5);

/* Clean a field read from a target: valid UTF-8, no control characters, at most
 * TU_SCAN_MAX_FIELD_BYTES; NULL stays NULL. (transfer full) */
char *tu_scan_clean_field (const char *s, gssize len);

G_END_DECLS
