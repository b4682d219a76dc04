/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snap: snap/NAME/current/meta/snap.yaml of every mounted snap (the same top-level keys
 * appear in the snap's build manifest, snap/manifest.yaml). Kept: name, version (the text as
 * written, so "1.10" stays "1.10"), architectures (joined with ","), type (os, core, base,
 * snapd, kernel and gadget snaps are part of the system: kind "system") and publisher when a
 * file carries one; snapd itself keeps the store publisher in its assertions, not here.
 *
 * libyaml's event parser is used, not its document loader: only top-level keys are looked
 * at, aliases are never expanded, and nesting deeper than MAX_DEPTH is refused, so no file
 * can make the parser use unbounded memory or stack. A snap.yaml describes one snap: when it
 * cannot be parsed the finder warns and skips it.
 */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "tu-common.h"
#include "tu-sources.h"

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

gboolean
tu_snap_parse_yaml (const char *buf, gsize len, const char *path, TuHostScan *scan,
		    GError **error)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize (&parser)) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: cannot start the YAML parser", path);
		return FALSE;
	}
	yaml_parser_set_input_string (&parser, (const unsigned char *) buf, len);

	SnapMeta m = {0};
	m.arches = g_string_new (NULL);
	g_autofree char *key = NULL;
	guint depth = 0;
	gboolean expect_key = TRUE;
	gboolean in_arches = FALSE;
	gboolean done = FALSE;
	gboolean ok = TRUE;

	while (!done && ok) {
		yaml_event_t ev;
		if (!yaml_parser_parse (&parser, &ev)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: not valid YAML: %s",
				     path, (guint) parser.problem_mark.line + 1,
				     parser.problem ? parser.problem : "syntax error");
			ok = FALSE;
			break;
		}
		guint line = (guint) ev.start_mark.line + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = TRUE; /* the first document only */
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == 0 && ev.type != YAML_MAPPING_START_EVENT) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: the document is not a mapping of keys", path, line);
				ok = FALSE;
				break;
			}
			if (depth == 1) {
				if (expect_key) {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: a collection used as a key", path, line);
					ok = FALSE;
					break;
				}
				in_arches = g_strcmp0 (key, "architectures") == 0 &&
					    ev.type == YAML_SEQUENCE_START_EVENT;
			}
			if (++depth > MAX_DEPTH) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: nested deeper than %u levels", path, line, MAX_DEPTH);
				ok = FALSE;
			}
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (depth > 0)
				depth--;
			if (depth == 1) {
				expect_key = TRUE;
				in_arches = FALSE;
			} else if (depth == 0)
				done = TRUE;
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *) ev.data.scalar.value;
			gsize vlen = ev.data.scalar.length;
			if (depth == 1 && expect_key) {
				g_free (key);
				key = g_strndup (v, vlen);
				expect_key = FALSE;
			} else if (depth == 1) {
				char **slot = key ? key_slot (&m, key) : NULL;
				if (slot != NULL && *slot != NULL) {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: duplicate key %s", path, line, key);
					ok = FALSE;
				} else if (slot != NULL) {
					*slot = tu_scan_clean_field (v, (gssize) vlen);
					if (slot == &m.name)
						m.name_line = line;
				} else if (g_strcmp0 (key, "architectures") == 0 && m.arches->len == 0) {
					g_autofree char *a = tu_scan_clean_field (v, (gssize) vlen);
					g_string_append (m.arches, a);
				}
				expect_key = TRUE;
			} else if (depth == 2 && in_arches && m.arches->len < 1024) {
				g_autofree char *a = tu_scan_clean_field (v, (gssize) vlen);
				if (m.arches->len > 0)
					g_string_append_c (m.arches, ',');
				g_string_append (m.arches, a);
			}
			break;
		}
		case YAML_ALIAS_EVENT:
			/* never expanded: an alias key or value is simply not one trueup keeps */
			if (depth == 1) {
				if (expect_key)
					g_clear_pointer (&key, g_free);
				expect_key = !expect_key;
			}
			break;
		default:
			break;
		}
		yaml_event_delete (&ev);
	}
	yaml_parser_delete (&parser);

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
