/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every source of installed software: one file each (scanner/tu-scan-SOURCE.c), each with
 *  - parsers that take a buffer and its length (and the path to name in messages) and append
 *    records and warnings to a TuHostScan; they never read files themselves, so local scans,
 *    --root, SSH snapshots and the fuzzers share them;
 *  - for on-host sources, a finder (TuSourceFunc) that locates the files on a TuFs.
 *
 * Parsers of package databases return FALSE with @error (naming file, line and field) when the
 * database cannot be parsed: the caller fails the host's scan (see tu-scan.h). Parsers of
 * per-package files return FALSE for that file only; the finder turns it into a warning.
 * raw_name and raw_version are exactly what the source wrote.
 *
 * Import parsers (Windows, macOS, GLPI, osquery, CycloneDX, SPDX, CSV exports) append one
 * TuHostScan per host found to @hosts (host facts filled from the export where present).
 */
#pragma once

#include <glib.h>

#include "tu-fs.h"
#include "tu-record.h"
#include "tu-scan.h"

G_BEGIN_DECLS

/* --- dpkg (tu-scan-dpkg.c): var/lib/dpkg/status and status.d/ (distroless) ------------- */
/* Installed packages ("install ok installed"); half-installed states are recorded with their
 * state and not counted; config-files and not-installed are skipped. */
gboolean tu_dpkg_parse_status (const char *buf, gsize len, const char *path, TuHostScan *scan,
			       GError **error);
void tu_source_dpkg (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);

/* --- rpm (tu-scan-rpm.c): SQLite, Berkeley DB and NDB rpmdbs, read directly ------------ */
/* One rpm header blob (the same format in all three databases). */
gboolean tu_rpm_parse_header (const guint8 *blob, gsize len, const char *path, TuHostScan *scan,
			      GError **error);
gboolean tu_rpm_parse_sqlite (const guint8 *buf, gsize len, const char *path, TuHostScan *scan,
			      GError **error);
gboolean tu_rpm_parse_bdb (const guint8 *buf, gsize len, const char *path, TuHostScan *scan,
			   GError **error);
gboolean tu_rpm_parse_ndb (const guint8 *buf, gsize len, const char *path, TuHostScan *scan,
			   GError **error);
/* The output of the SSH collector's `rpm -qa --queryformat` (see collectors). */
gboolean tu_rpm_parse_qa (const char *buf, gsize len, const char *path, TuHostScan *scan,
			  GError **error);
void tu_source_rpm (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);

/* --- apk, pacman, snap, flatpak (tu-scan-apk.c, -pacman.c, -snap.c, -flatpak.c) --------- */
gboolean tu_apk_parse_installed (const char *buf, gsize len, const char *path, TuHostScan *scan,
				 GError **error);
void tu_source_apk (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);
gboolean tu_pacman_parse_desc (const char *buf, gsize len, const char *path, TuHostScan *scan,
			       GError **error);
void tu_source_pacman (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);
/* snap/NAME/current/meta/snap.yaml */
gboolean tu_snap_parse_yaml (const char *buf, gsize len, const char *path, TuHostScan *scan,
			     GError **error);
void tu_source_snap (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);
/* var/lib/flatpak/app/ID/ARCH/BRANCH/active/deploy (GVariant) and metadata, system and
 * per-user installations */
gboolean tu_flatpak_parse_deploy (const guint8 *buf, gsize len, const char *path,
				  const char *app_id, const char *arch, const char *branch,
				  TuHostScan *scan, GError **error);
void tu_source_flatpak (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);

/* --- language packages (tu-scan-pip.c, tu-scan-npm.c) ---------------------------------- */
/* *.dist-info/METADATA, *.egg-info/PKG-INFO (email-header format). */
gboolean tu_pip_parse_metadata (const char *buf, gsize len, const char *path, TuHostScan *scan,
				GError **error);
void tu_source_pip (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);
/* node_modules/NAME/package.json of global prefixes */
gboolean tu_npm_parse_package_json (const char *buf, gsize len, const char *path,
				    TuHostScan *scan, GError **error);
void tu_source_npm (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);

/* --- SWID tags (tu-scan-swid.c): ISO/IEC 19770-2 -------------------------------------- */
gboolean tu_swid_parse (const char *buf, gsize len, const char *path, TuHostScan *scan,
			GError **error);
void tu_source_swid (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);

/* --- binary fingerprints (tu-scan-binary.c): the "binary" stanzas of the rule files ----- */
/* Load the binary fingerprints of the shipped rules and @user_dir (may be NULL). */
TuBinaryRules *tu_binary_rules_new (const char *user_dir, GError **error);
void tu_binary_rules_free (TuBinaryRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuBinaryRules, tu_binary_rules_free)
/* Match one file's contents at @path (relative to the root) against the rules whose path globs
 * match: the first rule that matches appends the file's one record. */
gboolean tu_binary_match (TuBinaryRules *rules, const guint8 *buf, gsize len, const char *path,
			  TuHostScan *scan, GError **error);
void tu_source_binary (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);
/* The path globs of all rules, for the SSH collector. (transfer none) char* */
GPtrArray *tu_binary_rules_globs (TuBinaryRules *rules);

/* --- macOS (tu-scan-macos.c) ----------------------------------------------------------- */
/* An Info.plist (XML or binary) of an application bundle at @path. */
gboolean tu_macos_parse_info_plist (const guint8 *buf, gsize len, const char *path,
				    TuHostScan *scan, GError **error);
void tu_source_macos (TuFs *fs, TuHostScan *scan, const TuScanOptions *options);
/* `system_profiler SPApplicationsDataType -json` and `-xml` output, its plain text output
 * (told apart by a first line ending in ':', "Applications:"), and the collector's JSON
 * (scanner/collectors/macos.sh). */
gboolean tu_macos_parse_system_profiler (const char *buf, gsize len, const char *path,
					 GPtrArray *hosts, GError **error);

/* --- Windows (tu-scan-windows.c) ------------------------------------------------------- */
/* `reg export` of the Uninstall keys (UTF-16LE with BOM; UTF-8 accepted too). */
gboolean tu_windows_parse_reg (const guint8 *buf, gsize len, const char *path, GPtrArray *hosts,
			       GError **error);
/* PowerShell `Get-ItemProperty ... | ConvertTo-Json`, and the collector's per-machine JSON
 * (scanner/collectors/windows.ps1: host facts, uninstall entries, features, edition). */
gboolean tu_windows_parse_json (const char *buf, gsize len, const char *path, GPtrArray *hosts,
				GError **error);
/* PowerShell `Get-ItemProperty ... | Export-Csv`. */
gboolean tu_windows_parse_csv (const char *buf, gsize len, const char *path, GPtrArray *hosts,
			       GError **error);

/* --- exports from other tools (tu-scan-glpi.c, -osquery.c, -sbom.c, -csv.c) ------------ */
gboolean tu_glpi_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
			GError **error);
gboolean tu_osquery_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
			   GError **error);
gboolean tu_cyclonedx_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
			     GError **error);
gboolean tu_spdx_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
			GError **error);
/* host,name,version[,publisher,arch,install_date] with a header line */
gboolean tu_csv_import_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts,
			      GError **error);
/* The same, read by at most @max_parts threads (0: one a core, for files over 1 MB). */
gboolean tu_csv_import_parse_parts (const char *buf, gsize len, const char *path,
				    guint max_parts, GPtrArray *hosts, GError **error);

/* --- import format detection (tu-scan-import.c) ---------------------------------------- */
typedef enum {
	TU_IMPORT_UNKNOWN,
	TU_IMPORT_WINDOWS_REG,
	TU_IMPORT_WINDOWS_JSON,
	TU_IMPORT_WINDOWS_CSV,
	TU_IMPORT_MACOS,
	TU_IMPORT_GLPI,
	TU_IMPORT_OSQUERY,
	TU_IMPORT_CYCLONEDX,
	TU_IMPORT_SPDX,
	TU_IMPORT_CSV,
} TuImportFormat;

/* The format of an export, from its content (the name only breaks ties). */
TuImportFormat tu_import_detect (const guint8 *buf, gsize len, const char *path);
const char *tu_import_format_name (TuImportFormat format);

G_END_DECLS
