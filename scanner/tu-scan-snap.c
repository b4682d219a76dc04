/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snap: snap/NAME/current/meta/snap.yaml of every mounted snap (the same top-level keys
 * appear in the snap's build manifest, snap/manifest.yaml). Kept: name, version (the text as
 * written, so "1.10" stays "1.10"), architectures (joined with ","), type (os, core, base,
 * snapd, kernel and gadget snaps are part of the system: kind "system") and publisher when a
 * file carries one; snapd itself keeps the store publisher in its assertions, not here.
 *
 * The file is read with common/tu-yaml (only the first document; only top-level keys are
 * looked at): aliases are never expanded and nesting deeper than MAX_DEPTH is refused, so no
 * file can make the parser use unbounded memory or stack. A snap.yaml describes one snap: when it
 * cannot be parsed the finder warns and skips it.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-yaml.h"

#define MAX_DEPTH 64

typedef struct {
	char *name;
	char *version;
	char *type;
	char *publisher;
	GString *arches;
	guint name_line;
} SnapMeta;

static char **
key_slot (SnapMeta *m, const char *key)
{
	if (strcmp (key, "name") == 0)
		return &m->name;
	if (strcmp (key, "version") == 0)
		return &m->version;
	if (strcmp (key, "type") == 0)
		return &m->type;
	if (strcmp (key, "publisher") == 0)
		return &m->publisher;
	return NULL;
}

static gboolean
is_system_type (const char *type)
{
	static const char *const system[] = {"os", "core", "base", "snapd", "kernel", "gadget", NULL};
	return type != NULL && g_strv_contains (system, type);
}

/* "…/snap/firefox/current/meta/snap.yaml" -> "…/snap/firefox/current" */
static char *
location_of (const char *path)
{
	if (g_str_has_suffix (path, "/meta/snap.yaml"))
		return g_strndup (path, strlen (path) - strlen ("/meta/snap.yaml"));
	return NULL;
}

/* The top-level keys trueup keeps from the first document's mapping (see the top). */
static gboolean
read_meta (const TuYamlNode *root, const char *path, SnapMeta *m, GError **error)
{
	if (root->kind != TU_YAML_MAPPING) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: the document is not a mapping of keys", path, root->line);
		return FALSE;
	}
	for (guint i = 0; i + 1 < root->items->len; i += 2) {
		const TuYamlNode *k = g_ptr_array_index (root->items, i);
		const TuYamlNode *v = g_ptr_array_index (root->items, i + 1);
		/* an alias key or value is never expanded: simply not one trueup keeps */
		if (k->kind != TU_YAML_SCALAR)
			continue;
		char **slot = key_slot (m, k->value);
		if (v->kind == TU_YAML_SCALAR && slot != NULL) {
			if (*slot != NULL) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: duplicate key %s", path, v->line, k->value);
				return FALSE;
			}
			*slot = tu_scan_clean_field (v->value, -1);
			if (slot == &m->name)
				m->name_line = v->line;
		} else if (strcmp (k->value, "architectures") == 0 && m->arches->len == 0) {
			if (v->kind == TU_YAML_SCALAR) {
				g_autofree char *a = tu_scan_clean_field (v->value, -1);
				g_string_append (m->arches, a);
			}
			for (guint j = 0; v->kind == TU_YAML_SEQUENCE && j < v->items->len &&
					  m->arches->len < 1024;
			     j++) {
				const TuYamlNode *item = g_ptr_array_index (v->items, j);
				if (item->kind != TU_YAML_SCALAR)
					continue;
				g_autofree char *a = tu_scan_clean_field (item->value, -1);
				if (m->arches->len > 0)
					g_string_append_c (m->arches, ',');
				g_string_append (m->arches, a);
			}
		}
	}
	return TRUE;
}

gboolean
tu_snap_parse_yaml (const char *buf, gsize len, const char *path, TuHostScan *scan,
		    GError **error)
{
	TuYamlOptions opts = {.max_depth = MAX_DEPTH, .first_document_only = TRUE};
	g_autoptr(GPtrArray) docs = tu_yaml_parse (buf, len, path, &opts, error);
	if (docs == NULL)
		return FALSE;
	SnapMeta m = {0};
	m.arches = g_string_new (NULL);
	gboolean ok = docs->len == 0 || read_meta (g_ptr_array_index (docs, 0), path, &m, error);

	if (ok && (m.name == NULL || *m.name == '\0')) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: name field missing", path,
			     m.name_line ? m.name_line : 1);
		ok = FALSE;
	}
	if (ok && (m.version == NULL || *m.version == '\0')) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: snap %s: version field missing", path, m.name_line, m.name);
		ok = FALSE;
	}
	if (ok) {
		g_autofree char *location = location_of (path);
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_SNAP;
		r.raw_name = m.name;
		r.raw_version = m.version;
		r.raw_publisher = m.publisher && *m.publisher ? m.publisher : NULL;
		r.arch = m.arches->len > 0 ? m.arches->str : NULL;
		r.location = location;
		r.kind = is_system_type (m.type) ? "system" : NULL;
		tu_record_list_add (scan->records, &r);
	}
	g_free (m.name);
	g_free (m.version);
	g_free (m.type);
	g_free (m.publisher);
	g_string_free (m.arches, TRUE);
	return ok;
}

void
tu_source_snap (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	g_autoptr(GPtrArray) files = tu_fs_glob (fs, "snap/*/current/meta/snap.yaml", 0);
	for (guint i = 0; files != NULL && i < files->len; i++) {
		const char *file = g_ptr_array_index (files, i);
		g_autofree char *shown = tu_fs_display (fs, file);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_META_BYTES, &error);
		if (bytes == NULL) {
			tu_host_scan_warn (scan, "%s (skipped)", error->message);
			continue;
		}
		/* one snap per file: a bad one is skipped with a warning (tu-scan.h) */
		if (!tu_snap_parse_yaml (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), shown,
					 scan, &error))
			tu_host_scan_warn (scan, "%s (skipped)", error->message);
	}
}
