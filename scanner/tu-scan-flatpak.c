/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * flatpak: the deployed applications and runtimes of the system installation
 * (var/lib/flatpak) and of each user's (home/USER/.local/share/flatpak, root/.local/...).
 * Each deployment is KIND/ID/ARCH/BRANCH/active/ with a "deploy" file: a serialized GVariant
 * of type (ssasta{sv}) written by flatpak-dir.c (FLATPAK_DEPLOY_DATA_GVARIANT_FORMAT): the
 * origin remote, the commit, the subpaths, the installed size (stored big-endian inside the
 * "t") and a metadata dict ("deploy-version", "appdata-name", "appdata-version",
 * "appdata-license", "runtime", ...). The data comes from the target, so it is checked to be
 * in normal form before anything is read from it.
 *
 * Records: the ref's ID as raw_name, appdata-version (the branch when the app ships no
 * AppStream version), ARCH, the origin remote as publisher (e.g. "flathub"). Runtimes and
 * extensions are recorded too, as kind "system". One deploy file describes one deployment:
 * one that cannot be parsed is skipped with a warning.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

#define DEPLOY_TYPE "(ssasta{sv})"

static char *
lookup_string (GVariant *dict, const char *key)
{
	g_autoptr(GVariant) v = g_variant_lookup_value (dict, key, G_VARIANT_TYPE_STRING);
	if (v == NULL)
		return NULL;
	gsize len = 0;
	const char *s = g_variant_get_string (v, &len);
	return len > 0 ? tu_scan_clean_field (s, (gssize) len) : NULL;
}

/* ".../app/ID/ARCH/BRANCH/active/deploy" -> ".../app/ID/ARCH/BRANCH/active" */
static char *
location_of (const char *path)
{
	const char *slash = strrchr (path, '/');
	return slash != NULL ? g_strndup (path, (gsize) (slash - path)) : NULL;
}

gboolean
tu_flatpak_parse_deploy (const guint8 *buf, gsize len, const char *path, const char *app_id,
			 const char *arch, const char *branch, TuHostScan *scan, GError **error)
{
	if (app_id == NULL || *app_id == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: no application or runtime ID",
			     path);
		return FALSE;
	}
	if (len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: byte 0: empty deploy file",
			     path);
		return FALSE;
	}
	g_autoptr(GBytes) bytes = g_bytes_new (buf, len);
	g_autoptr(GVariant) deploy =
		g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (DEPLOY_TYPE), bytes, FALSE));
	if (!g_variant_is_normal_form (deploy)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: byte 0: not flatpak deploy data (a GVariant %s in normal form, %"
			     G_GSIZE_FORMAT " bytes)",
			     path, DEPLOY_TYPE, len);
		return FALSE;
	}
	const char *origin = NULL;
	const char *commit = NULL;
	guint64 size_be = 0;
	g_autoptr(GVariant) metadata = NULL;
	g_variant_get (deploy, "(&s&s*t@a{sv})", &origin, &commit, NULL, &size_be, &metadata);

	g_autofree char *name = tu_scan_clean_field (app_id, -1);
	g_autofree char *version = lookup_string (metadata, "appdata-version");
	g_autofree char *license = lookup_string (metadata, "appdata-license");
	g_autofree char *c_origin = *origin ? tu_scan_clean_field (origin, -1) : NULL;
	g_autofree char *c_arch = arch && *arch ? tu_scan_clean_field (arch, -1) : NULL;
	g_autofree char *c_branch = branch && *branch ? tu_scan_clean_field (branch, -1) : NULL;
	g_autofree char *location = location_of (path);
	g_autofree char *date = NULL;
	/* lookup_value with a type: a value of another type is ignored, never a critical */
	g_autoptr(GVariant) ts_v = g_variant_lookup_value (metadata, "timestamp", G_VARIANT_TYPE_UINT64);
	guint64 ts = ts_v ? g_variant_get_uint64 (ts_v) : 0;
	if (ts > 0 && ts < 253402300800u) {
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) ts);
		date = dt ? g_date_time_format (dt, "%Y-%m-%d") : NULL;
	}
	if (version == NULL && c_branch == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: %s: no appdata-version and no branch", path, name);
		return FALSE;
	}
	guint64 size = GUINT64_FROM_BE (size_be);

	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_FLATPAK;
	r.raw_name = name;
	r.raw_version = version ? version : c_branch;
	r.arch = c_arch;
	r.raw_publisher = c_origin;
	r.license = license;
	r.location = location;
	r.install_date = date;
	r.size_bytes = size <= G_MAXINT64 ? (gint64) size : -1;
	tu_record_list_add (scan->records, &r);
	return TRUE;
}

/* One glob of deploy files (…/KIND/ID/ARCH/BRANCH/active/deploy). */
static void
scan_glob (TuFs *fs, const char *pattern, gboolean is_runtime, TuHostScan *scan)
{
	g_autoptr(GPtrArray) files = tu_fs_glob (fs, pattern, 0);
	for (guint i = 0; files != NULL && i < files->len; i++) {
		const char *file = g_ptr_array_index (files, i);
		g_auto(GStrv) parts = g_strsplit (file, "/", -1);
		guint n = g_strv_length (parts);
		if (n < 6)
			continue;
		const char *id = parts[n - 5];
		const char *arch = parts[n - 4];
		const char *branch = parts[n - 3];
		if (strcmp (arch, "current") == 0)
			continue; /* ID/current links to ARCH/BRANCH, found by itself */
		g_autofree char *shown = tu_fs_display (fs, file);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_META_BYTES, &error);
		if (bytes == NULL) {
			tu_host_scan_warn (scan, "%s (skipped)", error->message);
			continue;
		}
		g_autoptr(TuHostScan) one = tu_host_scan_new (scan->target);
		if (!tu_flatpak_parse_deploy (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
					      shown, id, arch, branch, one, &error)) {
			/* one deployment per file: skipped with a warning (tu-scan.h) */
			tu_host_scan_warn (scan, "%s (skipped)", error->message);
			continue;
		}
		for (guint r = 0; r < tu_record_list_len (one->records); r++) {
			TuRecord rec = *tu_record_list_get (one->records, r);
			if (is_runtime)
				rec.kind = "system";
			tu_record_list_add (scan->records, &rec);
		}
	}
}

void
tu_source_flatpak (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	static const char *const installations[] = {"var/lib/flatpak", "root/.local/share/flatpak",
						     "home/*/.local/share/flatpak"};
	for (guint i = 0; i < G_N_ELEMENTS (installations); i++) {
		g_autofree char *apps = g_strdup_printf ("%s/app/*/*/*/active/deploy", installations[i]);
		g_autofree char *runtimes =
			g_strdup_printf ("%s/runtime/*/*/*/active/deploy", installations[i]);
		scan_glob (fs, apps, FALSE, scan);
		scan_glob (fs, runtimes, TRUE, scan);
	}
}
