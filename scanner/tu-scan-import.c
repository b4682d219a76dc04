/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Imports: which export a file is, and reading it into one TuHostScan per host.
 *
 * The format is found from the content, never from the name alone (exports get renamed,
 * "inventory.json" says nothing): regedit's header; for JSON the top-level keys of the
 * document (or of the first row of an array), read by a small scanner that skips nested
 * values without building a tree; for XML the plist's SPApplicationsDataType; for CSV the
 * header line. Only the first TU_IMPORT_SNIFF_BYTES are looked at. The name breaks ties and
 * picks the parser whose error will be the most useful when the content says nothing
 * (a ".reg" without its header, a ".csv" with a wrong header).
 *
 * UTF-16 text (PowerShell 5 redirects, regedit) is converted to UTF-8 before a parser sees it,
 * except for .reg files, whose parser names the encoding itself.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-scan.h"
#include "tu-sources.h"

#define TU_IMPORT_MAX_BYTES (1024u * 1024u * 1024u)
#define TU_IMPORT_SNIFF_BYTES (1024u * 1024u)

static const char *const format_names[] = {
	[TU_IMPORT_UNKNOWN] = "unknown",	   [TU_IMPORT_WINDOWS_REG] = "windows-reg",
	[TU_IMPORT_WINDOWS_JSON] = "windows-json", [TU_IMPORT_WINDOWS_CSV] = "windows-csv",
	[TU_IMPORT_MACOS] = "macos",		   [TU_IMPORT_GLPI] = "glpi",
	[TU_IMPORT_OSQUERY] = "osquery",	   [TU_IMPORT_CYCLONEDX] = "cyclonedx",
	[TU_IMPORT_SPDX] = "spdx",		   [TU_IMPORT_CSV] = "csv",
};

const char *
tu_import_format_name (TuImportFormat format)
{
	if ((guint) format >= G_N_ELEMENTS (format_names))
		return "unknown";
	return format_names[format];
}

/* ---- sniffing --------------------------------------------------------------------------- */

/* UTF-16 (by BOM, or by a NUL in every other byte of ASCII text) to UTF-8; NULL when not
 * UTF-16. Unpaired surrogates become U+FFFD. @big_endian says which one it was. */
static char *
utf16_to_utf8 (const guint8 *buf, gsize len, gsize *out_len, gboolean *big_endian)
{
	gboolean be;
	gsize skip = 0;
	if (len >= 2 && buf[0] == 0xff && buf[1] == 0xfe) {
		be = FALSE;
		skip = 2;
	} else if (len >= 2 && buf[0] == 0xfe && buf[1] == 0xff) {
		be = TRUE;
		skip = 2;
	} else if (len >= 4 && buf[0] != 0 && buf[1] == 0 && buf[2] != 0 && buf[3] == 0) {
		be = FALSE;
	} else if (len >= 4 && buf[0] == 0 && buf[1] != 0 && buf[2] == 0 && buf[3] != 0) {
		be = TRUE;
	} else {
		return NULL;
	}
	*big_endian = be;
	GString *out = g_string_sized_new (len - skip + (len - skip) / 2 + 1);
	gsize i = skip;
	while (i + 1 < len) {
		gunichar c = be ? ((gunichar) buf[i] << 8 | buf[i + 1]) : (buf[i] | (gunichar) buf[i + 1] << 8);
		i += 2;
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
			gunichar lo = be ? ((gunichar) buf[i] << 8 | buf[i + 1])
					 : (buf[i] | (gunichar) buf[i + 1] << 8);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xd800 && c <= 0xdfff) {
			c = 0xfffd;
		}
		g_string_append_unichar (out, c);
	}
	*out_len = out->len;
	return g_string_free (out, FALSE);
}

static const char *
skip_space (const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* Past the JSON string starting at @p (a quote); @end when unterminated. */
static const char *
skip_string (const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return end;
}

/* Past the JSON value at @p: strings, nested containers (counted, not parsed), scalars. */
static const char *
skip_value (const char *p, const char *end)
{
	if (p >= end)
		return end;
	if (*p == '"')
		return skip_string (p, end);
	if (*p == '{' || *p == '[') {
		guint depth = 0;
		while (p < end) {
			if (*p == '"') {
				p = skip_string (p, end);
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return end;
	}
	while (p < end && *p != ',' && *p != '}' && *p != ']')
		p++;
	return p;
}

/* The keys of the JSON object at @p (a brace) into @keys (key as written -> the first 256
 * bytes of its value's text). Stops quietly where the sniffed prefix ends. */
static void
object_keys (const char *p, const char *end, GHashTable *keys, const char **content_at)
{
	p++; /* the brace */
	while (p < end) {
		p = skip_space (p, end);
		if (p >= end || *p != '"')
			return;
		const char *k = p + 1;
		p = skip_string (p, end);
		if (p >= end)
			return;
		char *key = g_strndup (k, (gsize) (p - 1 - k));
		p = skip_space (p, end);
		if (p >= end || *p != ':') {
			g_free (key);
			return;
		}
		p = skip_space (p + 1, end);
		const char *v = p;
		if (content_at != NULL && strcmp (key, "content") == 0)
			*content_at = v;
		p = skip_value (p, end);
		g_hash_table_replace (keys, key, g_strndup (v, (gsize) MIN (p - v, 256)));
		p = skip_space (p, end);
		if (p < end && *p == ',')
			p++;
		else
			return;
	}
}

static gboolean
has_key (GHashTable *keys, const char *key)
{
	return g_hash_table_contains (keys, key);
}

/* Columns only osquery's software tables have (see tu-scan-osquery.c). */
static gboolean
looks_like_osquery_row (GHashTable *k)
{
	static const char *const distinctive[] = {
		"identifying_number", "pid_with_namespace", "mount_namespace_id", "admindir",
		"package_group",      "bundle_identifier",	"bundle_short_version", "uninstall_string",
		"auto_updated",	      "eapi",
	};
	for (guint i = 0; i < G_N_ELEMENTS (distinctive); i++) {
		if (has_key (k, distinctive[i]))
			return TRUE;
	}
	return has_key (k, "revision") && has_key (k, "maintainer");
}

static TuImportFormat
detect_json (const char *p, const char *end)
{
	g_autoptr(GHashTable) k = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	if (*p == '[') {
		const char *q = skip_space (p + 1, end);
		if (q >= end || *q != '{')
			return TU_IMPORT_UNKNOWN;
		object_keys (q, end, k, NULL);
		if (has_key (k, "DisplayName") || has_key (k, "PSPath") || has_key (k, "PSChildName"))
			return TU_IMPORT_WINDOWS_JSON;
		if (looks_like_osquery_row (k))
			return TU_IMPORT_OSQUERY;
		if (has_key (k, "SPApplicationsDataType") || has_key (k, "_items"))
			return TU_IMPORT_MACOS;
		return TU_IMPORT_UNKNOWN;
	}
	const char *content = NULL;
	object_keys (p, end, k, &content);
	if (has_key (k, "bomFormat"))
		return TU_IMPORT_CYCLONEDX;
	if (has_key (k, "spdxVersion"))
		return TU_IMPORT_SPDX;
	const char *collector = g_hash_table_lookup (k, "trueup_collector");
	if (collector != NULL) {
		if (strstr (collector, "\"windows\"") != NULL)
			return TU_IMPORT_WINDOWS_JSON;
		if (strstr (collector, "\"macos\"") != NULL)
			return TU_IMPORT_MACOS;
		return TU_IMPORT_UNKNOWN;
	}
	if (has_key (k, "SPApplicationsDataType"))
		return TU_IMPORT_MACOS;
	if (has_key (k, "content") &&
	    (has_key (k, "deviceid") || has_key (k, "itemtype") || has_key (k, "action")))
		return TU_IMPORT_GLPI;
	/* a big inventory whose content outgrows the sniffed prefix: GLPI's sections */
	if (content != NULL && content < end && *content == '{') {
		g_autoptr(GHashTable) c = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		object_keys (content, end, c, NULL);
		if (has_key (c, "versionclient") || has_key (c, "hardware") || has_key (c, "softwares"))
			return TU_IMPORT_GLPI;
	}
	if (has_key (k, "hostIdentifier") &&
	    (has_key (k, "snapshot") || has_key (k, "columns") || has_key (k, "diffResults")))
		return TU_IMPORT_OSQUERY;
	if (has_key (k, "DisplayName") || has_key (k, "PSPath"))
		return TU_IMPORT_WINDOWS_JSON;
	return TU_IMPORT_UNKNOWN;
}

/* The header line of a CSV: lower-cased names, quotes and blanks stripped. */
static TuImportFormat
detect_csv (const char *p, const char *end)
{
	const char *nl = memchr (p, '\n', (gsize) (end - p));
	g_autofree char *line = g_strndup (p, (gsize) ((nl ? nl : end) - p));
	if (g_str_has_prefix (line, "#TYPE"))
		return TU_IMPORT_WINDOWS_CSV;
	g_auto(GStrv) cells = g_strsplit (line, ",", 64);
	gboolean host = FALSE, name = FALSE, version = FALSE, windows = FALSE;
	for (guint i = 0; cells[i] != NULL; i++) {
		char *c = g_strstrip (g_strdelimit (cells[i], "\"\r", ' '));
		host |= g_ascii_strcasecmp (c, "host") == 0;
		name |= g_ascii_strcasecmp (c, "name") == 0;
		version |= g_ascii_strcasecmp (c, "version") == 0;
		windows |= g_ascii_strcasecmp (c, "DisplayName") == 0 || g_ascii_strcasecmp (c, "PSPath") == 0;
	}
	if (windows)
		return TU_IMPORT_WINDOWS_CSV;
	if (host && name && version)
		return TU_IMPORT_CSV;
	return TU_IMPORT_UNKNOWN;
}

/* `system_profiler SPApplicationsDataType` as text: a line "Applications:", then (past blank
 * lines) an indented application's "Name:" line. */
static gboolean
is_profiler_text (const char *p, const char *end)
{
	if (end - p < 13 || memcmp (p, "Applications:", 13) != 0)
		return FALSE;
	p += 13;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p >= end || *p != '\n')
		return FALSE;
	const char *line = p + 1;
	for (p = line; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'); p++) {
		if (*p == '\n')
			line = p + 1;
	}
	const char *nl = memchr (p, '\n', (gsize) (end - p));
	const char *eol = nl != NULL ? nl : end;
	while (eol > p && (eol[-1] == '\r' || eol[-1] == ' ' || eol[-1] == '\t'))
		eol--;
	return p > line && eol > p && eol[-1] == ':';
}

static TuImportFormat
detect_text (const char *text, gsize len, const char *path)
{
	const char *end = text + len;
	const char *p = text;
	if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	p = skip_space (p, end);
	if (p >= end)
		return TU_IMPORT_UNKNOWN;
	gsize rest = (gsize) (end - p);
	if ((rest >= 23 && memcmp (p, "Windows Registry Editor", 23) == 0) ||
	    (rest >= 8 && memcmp (p, "REGEDIT4", 8) == 0))
		return TU_IMPORT_WINDOWS_REG;
	if (*p == '<') {
		if (g_strstr_len (p, (gssize) rest, "SPApplicationsDataType") != NULL)
			return TU_IMPORT_MACOS;
		if (g_strstr_len (p, (gssize) rest, "<REQUEST>") != NULL)
			return TU_IMPORT_GLPI; /* legacy XML: the GLPI parser says what to do */
		return TU_IMPORT_UNKNOWN;
	}
	if (is_profiler_text (p, end))
		return TU_IMPORT_MACOS;
	if (*p == '{' || *p == '[') {
		TuImportFormat f = detect_json (p, end);
		if (f != TU_IMPORT_UNKNOWN)
			return f;
	} else {
		TuImportFormat f = detect_csv (p, end);
		if (f != TU_IMPORT_UNKNOWN)
			return f;
	}
	/* the content says nothing: the name picks the parser with the best error */
	if (path != NULL && tu_str_has_suffix_ci (path, ".reg"))
		return TU_IMPORT_WINDOWS_REG;
	if (path != NULL && tu_str_has_suffix_ci (path, ".csv") && *p != '{' && *p != '[')
		return TU_IMPORT_CSV;
	return TU_IMPORT_UNKNOWN;
}

TuImportFormat
tu_import_detect (const guint8 *buf, gsize len, const char *path)
{
	gsize n = MIN (len, (gsize) TU_IMPORT_SNIFF_BYTES);
	gboolean be = FALSE;
	gsize u8len = 0;
	g_autofree char *u8 = utf16_to_utf8 (buf, n - n % 2, &u8len, &be);
	if (u8 != NULL)
		return detect_text (u8, u8len, path);
	return detect_text ((const char *) buf, n, path);
}

/* ---- import ------------------------------------------------------------------------------ */

/* A package database given to --import: which one, to say "scan its root" instead. */
static const char *
package_database_kind (const guint8 *buf, gsize len)
{
	if (len >= 16 && memcmp (buf, "SQLite format 3", 16) == 0)
		return "an rpm (or other SQLite) database";
	if (len >= 16 && (memcmp (buf + 12, "\x61\x15\x06\x00", 4) == 0 ||
			  memcmp (buf + 12, "\x00\x06\x15\x61", 4) == 0))
		return "a Berkeley DB rpm database (Packages)";
	if (len >= 4 && memcmp (buf, "RpmP", 4) == 0)
		return "an NDB rpm database (Packages.db)";
	const char *t = (const char *) buf;
	gsize n = MIN (len, (gsize) 4096);
	if (n >= 9 && memcmp (t, "Package: ", 9) == 0 &&
	    g_strstr_len (t, (gssize) n, "\nStatus: ") != NULL)
		return "a dpkg status file (var/lib/dpkg/status)";
	if (n >= 3 && (memcmp (t, "C:Q", 3) == 0 || memcmp (t, "P:", 2) == 0) &&
	    g_strstr_len (t, (gssize) n, "\nV:") != NULL)
		return "an apk database (lib/apk/db/installed)";
	if (n >= 7 && memcmp (t, "%NAME%\n", 7) == 0)
		return "a pacman package entry (var/lib/pacman/local/*/desc)";
	return NULL;
}

GPtrArray *
tu_scan_import (const char *path, const TuScanOptions *options, GError **error)
{
	g_autoptr(GBytes) bytes = tu_file_read (path, TU_IMPORT_MAX_BYTES, error);
	if (bytes == NULL)
		return NULL;
	gsize len = 0;
	const guint8 *buf = g_bytes_get_data (bytes, &len);
	TuImportFormat format = tu_import_detect (buf, len, path);
	const char *db_kind = format == TU_IMPORT_UNKNOWN ? package_database_kind (buf, len) : NULL;
	if (db_kind != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: this is %s, not an export: scan the file system it belongs to with "
			     "--root DIR (DIR is the directory that holds var/ or lib/), so that the "
			     "host's other packages and facts come with it",
			     path, db_kind);
		return NULL;
	}
	if (format == TU_IMPORT_UNKNOWN) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: not an export trueup can import; known formats: Windows reg export "
			     "of the Uninstall keys, PowerShell Get-ItemProperty as JSON or CSV, the "
			     "windows and macos collectors' JSON, macOS system_profiler "
			     "SPApplicationsDataType (-json, -xml, text), GLPI Agent JSON or XML "
			     "inventory, osquery JSON (osqueryi --json or osqueryd results), CycloneDX "
			     "JSON, SPDX 2 JSON, CSV with host,name,version",
			     path);
		return NULL;
	}
	g_debug ("%s: %s export", path, tu_import_format_name (format));

	/* UTF-16 text to UTF-8 (the reg parser reads UTF-16 itself and names bad encodings) */
	g_autofree char *converted = NULL;
	const char *text = (const char *) buf;
	gsize tlen = len;
	if (format != TU_IMPORT_WINDOWS_REG) {
		gboolean be = FALSE;
		converted = utf16_to_utf8 (buf, len, &tlen, &be);
		if (converted != NULL) {
			if (len % 2 != 0) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: truncated UTF-16%s text (odd number of bytes)", path,
					     be ? "BE" : "LE");
				return NULL;
			}
			text = converted;
		} else {
			tlen = len;
		}
	}

	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	gboolean ok = FALSE;
	switch (format) {
	case TU_IMPORT_WINDOWS_REG:
		ok = tu_windows_parse_reg (buf, len, path, hosts, error);
		break;
	case TU_IMPORT_WINDOWS_JSON:
		ok = tu_windows_parse_json (text, tlen, path, hosts, error);
		break;
	case TU_IMPORT_WINDOWS_CSV:
		ok = tu_windows_parse_csv (text, tlen, path, hosts, error);
		break;
	case TU_IMPORT_MACOS:
		ok = tu_macos_parse_system_profiler (text, tlen, path, hosts, error);
		break;
	case TU_IMPORT_GLPI:
		ok = tu_glpi_parse (text, tlen, path, hosts, error);
		break;
	case TU_IMPORT_OSQUERY:
		ok = tu_osquery_parse (text, tlen, path, hosts, error);
		break;
	case TU_IMPORT_CYCLONEDX:
		ok = tu_cyclonedx_parse (text, tlen, path, hosts, error);
		break;
	case TU_IMPORT_SPDX:
		ok = tu_spdx_parse (text, tlen, path, hosts, error);
		break;
	case TU_IMPORT_CSV:
		ok = tu_csv_import_parse (text, tlen, path, hosts, error);
		break;
	case TU_IMPORT_UNKNOWN:
	default:
		g_assert_not_reached ();
	}
	if (!ok)
		return NULL;
	if (hosts->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: no host in this %s export",
			     path, tu_import_format_name (format));
		return NULL;
	}
	g_autofree char *target = g_strdup_printf ("import:%s", path);
	for (guint i = 0; i < hosts->len; i++) {
		TuHostScan *scan = g_ptr_array_index (hosts, i);
		g_free (scan->target);
		scan->target = g_strdup (target);
		if (scan->finished_us == 0)
			scan->finished_us = g_get_real_time ();
	}
	return g_steal_pointer (&hosts);
}
