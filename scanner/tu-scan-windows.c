/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Windows: the "Uninstall" registry keys, read from exports made on the machine, never from a
 * live registry. Three shapes, one set of rules:
 *  - `reg export` files (.reg): UTF-16LE with a BOM and CRLF as regedit writes them, or UTF-8;
 *    header "Windows Registry Editor Version 5.00" or "REGEDIT4";
 *  - PowerShell `Get-ItemProperty ...\Uninstall\* | ConvertTo-Json` (one object or an array)
 *    and the per-machine JSON of scanner/collectors/windows.ps1 (host facts, uninstall
 *    entries, Windows features, AppX packages and the OS itself);
 *  - PowerShell `... | Export-Csv` (optional "#TYPE" line, then a header row).
 *
 * The rules, shared by all three (see emit_entry):
 *  - only direct subkeys of an "...\Uninstall" key are installations; nested keys
 *    (Uninstall\{GUID}\CustomMessages) are not;
 *  - entries without DisplayName and entries with SystemComponent = 1 are skipped: Windows'
 *    own "Programs and Features" hides them too (GLPI keeps both; see the tests);
 *  - entries with ParentKeyName (or a ReleaseType of an update) are updates of a parent
 *    product: kind "update";
 *  - location is the registry key path: it identifies the installation, and for per-user
 *    installations (HKEY_USERS\SID\...) it names the user's SID;
 *  - arch: "x86" under WOW6432Node (32-bit programs on 64-bit Windows). The native view is
 *    "x64" only when the export proves a 64-bit Windows (a WOW6432Node key in the same export,
 *    or the collector's OS architecture); a 32-bit Windows has no WOW6432Node, and an export
 *    of the native key alone cannot tell the two apart, so arch stays unknown (NULL) then;
 *  - install_date from InstallDate "YYYYMMDD"; size from EstimatedSize (KiB; 0 is unknown).
 *
 * An export of the registry carries no host: the host is named after the file (with a warning)
 * unless the export says otherwise (PSComputerName, the collector's host section).
 */
#include "config.h"

#include <csv.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-json.h"
#include "tu-sources.h"


typedef enum {
	HIVE_NATIVE,   /* HKLM\SOFTWARE\Microsoft\... */
	HIVE_WOW64,    /* HKLM\SOFTWARE\WOW6432Node\... */
} HiveView;

/* One Uninstall subkey, whatever the export's shape. Strings are owned. */
typedef struct {
	char *key_path;
	char *display_name;
	char *display_version;
	char *publisher;
	char *install_date;
	char *parent_key_name;
	char *release_type;
	gint64 estimated_size; /* KiB, -1 unknown */
	gboolean system_component;
	HiveView view;
	guint line; /* where the key starts (0 when the format has no lines) */
} Entry;

static void
entry_free (Entry *e)
{
	g_free (e->key_path);
	g_free (e->display_name);
	g_free (e->display_version);
	g_free (e->publisher);
	g_free (e->install_date);
	g_free (e->parent_key_name);
	g_free (e->release_type);
	g_free (e);
}

static Entry *
entry_new (void)
{
	Entry *e = g_new0 (Entry, 1);
	e->estimated_size = -1;
	return e;
}

/* ---- text decoding ---------------------------------------------------------------------- */

/* UTF-16LE to UTF-8 in one pass; unpaired surrogates become U+FFFD. */
static char *
utf16le_to_utf8 (const guint8 *buf, gsize len, gsize *out_len)
{
	GString *out = g_string_sized_new (len + len / 2 + 1);
	gsize i = 0;
	while (i + 1 < len) {
		gunichar c = (gunichar) buf[i] | ((gunichar) buf[i + 1] << 8);
		i += 2;
		if (c >= 0xd800 && c <= 0xdbff) {
			gunichar lo = 0;
			if (i + 1 < len)
				lo = (gunichar) buf[i] | ((gunichar) buf[i + 1] << 8);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xdc00 && c <= 0xdfff) {
			c = 0xfffd;
		}
		g_string_append_unichar (out, c);
	}
	*out_len = out->len;
	return g_string_free (out, FALSE);
}

/* Line number (1-based) of byte @offset. */

static guint
line_at (const char *text, gsize offset)
{
	guint line = 1;
	for (gsize i = 0; i < offset; i++)
		line += text[i] == '\n';
	return line;
}

/* The text of an export as UTF-8: UTF-16LE (with or without BOM) is converted, a UTF-8 BOM
 * skipped; UTF-16BE and anything that is not valid UTF-8 are errors naming the encoding.
 * Returns the text (owned by *@owned when converted, else pointing into @buf). */
static const char *
decode_text (const guint8 *buf, gsize len, const char *path, char **owned, gsize *out_len,
	     GError **error)
{
	*owned = NULL;
	if (len >= 2 && buf[0] == 0xfe && buf[1] == 0xff) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: UTF-16BE text is not supported: export as UTF-16LE or UTF-8", path);
		return NULL;
	}
	if (len >= 2 && ((buf[0] == 0xff && buf[1] == 0xfe) || (buf[0] != 0 && buf[1] == 0))) {
		gsize skip = buf[0] == 0xff ? 2 : 0;
		if ((len - skip) % 2 != 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: truncated UTF-16LE text (odd number of bytes)", path);
			return NULL;
		}
		*owned = utf16le_to_utf8 (buf + skip, len - skip, out_len);
		return *owned;
	}
	if (len >= 2 && buf[0] == 0 && buf[1] != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: UTF-16BE text is not supported: export as UTF-16LE or UTF-8", path);
		return NULL;
	}
	const char *text = (const char *) buf;
	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf) {
		text += 3;
		len -= 3;
	}
	const char *bad = NULL;
	if (!g_utf8_validate_len (text, len, &bad)) {
		gsize off = (gsize) (bad - text);
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s:%u: neither UTF-16LE nor UTF-8 (invalid byte 0x%02x at offset %" G_GSIZE_FORMAT
			     "): a legacy code page such as Latin-1? Export as UTF-16LE or UTF-8",
			     path, line_at (text, off), (guint) (guint8) *bad, off);
		return NULL;
	}
	*out_len = len;
	return text;
}

/* ---- the shared rules ------------------------------------------------------------------- */

static gboolean
str_has_prefix_ci (const char *s, const char *prefix)
{
	return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

static const char *
strstr_ci (const char *hay, const char *needle)
{
	gsize n = strlen (needle);
	for (const char *p = hay; *p != '\0'; p++) {
		if (g_ascii_strncasecmp (p, needle, n) == 0)
			return p;
	}
	return NULL;
}

/* Is @key_path a direct subkey of an Uninstall key? Sets the view (WOW6432Node or native). */
static gboolean
classify_key (const char *key_path, HiveView *view)
{
	const char *last = strrchr (key_path, '\\');
	if (last == NULL || last[1] == '\0')
		return FALSE;
	gsize parent_len = (gsize) (last - key_path);
	static const char suffix[] = "\\Uninstall";
	gsize slen = sizeof suffix - 1;
	if (parent_len < slen || g_ascii_strncasecmp (last - slen, suffix, slen) != 0)
		return FALSE;
	*view = strstr_ci (key_path, "\\WOW6432Node\\") != NULL ? HIVE_WOW64 : HIVE_NATIVE;
	return TRUE;
}

/* "20170502" -> "2017-05-02"; anything else (empty, "5/2/2017") is no date. */
static gboolean
format_install_date (const char *s, char out[11])
{
	if (s == NULL || strlen (s) != 8)
		return FALSE;
	for (guint i = 0; i < 8; i++) {
		if (!g_ascii_isdigit (s[i]))
			return FALSE;
	}
	guint y = (guint) (s[0] - '0') * 1000 + (guint) (s[1] - '0') * 100 + (guint) (s[2] - '0') * 10 +
		  (guint) (s[3] - '0');
	guint m = (guint) (s[4] - '0') * 10 + (guint) (s[5] - '0');
	guint d = (guint) (s[6] - '0') * 10 + (guint) (s[7] - '0');
	if (y < 1980 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
		return FALSE;
	g_snprintf (out, 11, "%04u-%02u-%02u", y, m, d);
	return TRUE;
}

static gboolean
is_update_release_type (const char *t)
{
	static const char *const types[] = {"Update", "Security Update", "Hotfix", "Service Pack",
					    "Update Rollup", NULL};
	for (guint i = 0; t != NULL && types[i] != NULL; i++) {
		if (g_ascii_strcasecmp (t, types[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Append the record of one entry (or skip it by the rules above). */
static void
emit_entry (const Entry *e, const char *native_arch, TuHostScan *scan)
{
	if (e->system_component || e->display_name == NULL || *e->display_name == '\0')
		return;
	char date[11];
	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_WINDOWS;
	r.raw_name = e->display_name;
	r.raw_version = e->display_version;
	r.raw_publisher = e->publisher;
	r.arch = e->view == HIVE_WOW64 ? "x86" : native_arch;
	r.location = e->key_path;
	if (format_install_date (e->install_date, date))
		r.install_date = date;
	if ((e->parent_key_name != NULL && *e->parent_key_name != '\0') ||
	    is_update_release_type (e->release_type))
		r.kind = "update";
	if (e->estimated_size > 0 && e->estimated_size < G_MAXINT64 / 1024)
		r.size_bytes = e->estimated_size * 1024;
	tu_record_list_add (scan->records, &r);
}

static void
emit_entries (GPtrArray *entries, const char *native_arch, TuHostScan *scan)
{
	gboolean has_wow = FALSE;
	for (guint i = 0; i < entries->len; i++)
		has_wow |= ((Entry *) g_ptr_array_index (entries, i))->view == HIVE_WOW64;
	if (native_arch == NULL && has_wow)
		native_arch = "x64";
	for (guint i = 0; i < entries->len; i++)
		emit_entry (g_ptr_array_index (entries, i), native_arch, scan);
}

/* A host named after the export file, for exports that carry no host. */
static TuHostScan *
host_from_file_name (const char *path)
{
	g_autofree char *target = g_strdup_printf ("import:%s", path);
	TuHostScan *scan = tu_host_scan_new (target);
	g_autofree char *base = g_path_get_basename (path);
	char *dot = strrchr (base, '.');
	if (dot != NULL && dot != base)
		*dot = '\0';
	g_autofree char *clean = tu_scan_clean_field (base, -1);
	tu_host_facts_set (&scan->facts.hostname, clean);
	tu_host_scan_warn (scan,
			   "%s: the export names no host: host name \"%s\" taken from the file name",
			   path, clean);
	return scan;
}

/* The value slot of the entry for a registry value name we keep, or NULL. */
static char **
string_slot (Entry *e, const char *name, gsize len)
{
#define IS(lit) (len == sizeof (lit) - 1 && g_ascii_strncasecmp (name, lit, len) == 0)
	if (IS ("DisplayName"))
		return &e->display_name;
	if (IS ("DisplayVersion"))
		return &e->display_version;
	if (IS ("Publisher"))
		return &e->publisher;
	if (IS ("InstallDate"))
		return &e->install_date;
	if (IS ("ParentKeyName"))
		return &e->parent_key_name;
	if (IS ("ReleaseType"))
		return &e->release_type;
#undef IS
	return NULL;
}

static gboolean
is_name (const char *name, gsize len, const char *lit)
{
	return len == strlen (lit) && g_ascii_strncasecmp (name, lit, len) == 0;
}

/* ---- reg export ------------------------------------------------------------------------- */

typedef struct {
	const char *p;
	const char *end;
	const char *path;
	guint line;
	gboolean unicode; /* version 5.00: hex(2)/hex(7) are UTF-16LE; REGEDIT4: bytes */
} Cursor;

static void
skip_blanks (Cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* At end of line (blanks, CR, then LF or end of text)? Consumes it. */
static gboolean
take_eol (Cursor *c)
{
	skip_blanks (c);
	if (c->p < c->end && *c->p == '\r')
		c->p++;
	if (c->p >= c->end)
		return TRUE;
	if (*c->p == '\n') {
		c->p++;
		c->line++;
		return TRUE;
	}
	return FALSE;
}

static void
skip_line (Cursor *c)
{
	const char *nl = memchr (c->p, '\n', (gsize) (c->end - c->p));
	if (nl == NULL) {
		c->p = c->end;
	} else {
		c->p = nl + 1;
		c->line++;
	}
}

/* A quoted string starting at the quote; \\ and \" unescaped. Strings may span lines (a
 * value with an embedded newline). */
static gboolean
take_quoted (Cursor *c, GString *out, gboolean multiline, GError **error)
{
	guint start_line = c->line;
	g_string_truncate (out, 0);
	c->p++; /* the opening quote */
	while (c->p < c->end) {
		const char *run = c->p;
		while (c->p < c->end && *c->p != '"' && *c->p != '\\' && *c->p != '\n')
			c->p++;
		g_string_append_len (out, run, c->p - run);
		if (c->p >= c->end)
			break;
		char ch = *c->p;
		if (ch == '"') {
			c->p++;
			return TRUE;
		}
		if (ch == '\n') {
			if (!multiline)
				break;
			c->line++;
			g_string_append_c (out, '\n');
			c->p++;
			continue;
		}
		/* backslash */
		if (c->p + 1 < c->end && (c->p[1] == '\\' || c->p[1] == '"')) {
			g_string_append_c (out, c->p[1]);
			c->p += 2;
		} else {
			g_string_append_c (out, '\\');
			c->p++;
		}
	}
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: unterminated string", c->path,
		     start_line);
	return FALSE;
}

static int
hex_digit (char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Comma-separated hex bytes after "hex...:", continued on the next line after a trailing
 * backslash. */
static gboolean
take_hex_bytes (Cursor *c, GByteArray *out, const char *name, GError **error)
{
	g_byte_array_set_size (out, 0);
	for (;;) {
		skip_blanks (c);
		if (c->p < c->end && *c->p == '\\') {
			c->p++;
			if (!take_eol (c) || c->p >= c->end)
				goto bad; /* junk after the backslash, or cut off */
			continue;
		}
		if (c->p >= c->end || *c->p == '\r' || *c->p == '\n')
			return take_eol (c);
		if (c->end - c->p < 2)
			goto bad;
		int hi = hex_digit (c->p[0]), lo = hex_digit (c->p[1]);
		if (hi < 0 || lo < 0)
			goto bad;
		guint8 b = (guint8) (hi << 4 | lo);
		g_byte_array_append (out, &b, 1);
		c->p += 2;
		skip_blanks (c);
		if (c->p < c->end && *c->p == ',')
			c->p++;
		else if (c->p < c->end && *c->p != '\\' && *c->p != '\r' && *c->p != '\n')
			goto bad;
	}
bad:
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: value \"%s\": bad hex data",
		     c->path, c->line, name);
	return FALSE;
}

/* The string held by REG_SZ/REG_EXPAND_SZ/REG_MULTI_SZ bytes: the first string. */
static char *
hex_to_string (const GByteArray *bytes, gboolean unicode)
{
	if (!unicode) {
		gsize n = 0;
		while (n < bytes->len && bytes->data[n] != 0)
			n++;
		return tu_scan_clean_field ((const char *) bytes->data, (gssize) n);
	}
	gsize n = 0;
	while (n + 1 < bytes->len && (bytes->data[n] != 0 || bytes->data[n + 1] != 0))
		n += 2;
	gsize ulen = 0;
	g_autofree char *u = utf16le_to_utf8 (bytes->data, n, &ulen);
	return tu_scan_clean_field (u, (gssize) ulen);
}

static gboolean
parse_reg_text (Cursor *c, GPtrArray *entries, guint *n_keys, GError **error)
{
	g_autoptr(GString) sval = g_string_new (NULL);
	g_autoptr(GString) name = g_string_new (NULL);
	g_autoptr(GByteArray) hex = g_byte_array_new ();
	Entry *cur = NULL; /* the Uninstall entry values go to, or NULL */

	/* the header: the first non-blank line */
	while (c->p < c->end && take_eol (c))
		;
	if (c->end - c->p >= 36 && strncmp (c->p, "Windows Registry Editor Version 5.00", 36) == 0) {
		c->unicode = TRUE;
		c->p += 36;
	} else if (c->end - c->p >= 8 && strncmp (c->p, "REGEDIT4", 8) == 0) {
		c->unicode = FALSE;
		c->p += 8;
	} else {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: not a registry export (expected \"Windows Registry Editor Version "
			     "5.00\" or \"REGEDIT4\")",
			     c->path, c->line);
		return FALSE;
	}
	if (!take_eol (c)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: junk after the header",
			     c->path, c->line);
		return FALSE;
	}

	while (c->p < c->end) {
		skip_blanks (c);
		if (c->p >= c->end)
			break;
		char first = *c->p;
		if (first == '\r' || first == '\n') {
			take_eol (c);
			continue;
		}
		if (first == ';') {
			skip_line (c);
			continue;
		}
		if (first == '[') {
			guint line = c->line;
			const char *nl = memchr (c->p, '\n', (gsize) (c->end - c->p));
			const char *le = nl ? nl : c->end;
			const char *close = le;
			while (close > c->p && (close[-1] == '\r' || close[-1] == ' ' || close[-1] == '\t'))
				close--;
			if (close - c->p < 2 || close[-1] != ']') {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: key line without a closing \"]\"", c->path, line);
				return FALSE;
			}
			const char *k = c->p + 1;
			gsize klen = (gsize) (close - 1 - k);
			c->p = le;
			take_eol (c);
			cur = NULL;
			if (klen > 0 && k[0] == '-')
				continue; /* a deletion: nothing installed */
			g_autofree char *key = tu_scan_clean_field (k, (gssize) klen);
			HiveView view;
			if (!classify_key (key, &view))
				continue;
			cur = entry_new ();
			cur->key_path = g_steal_pointer (&key);
			cur->view = view;
			cur->line = line;
			g_ptr_array_add (entries, cur);
			(*n_keys)++;
			continue;
		}
		if (first != '"' && first != '@') {
			g_autofree char *shown = tu_scan_clean_field (
				c->p, MIN ((gssize) 40, (gssize) (c->end - c->p)));
			char *nl = strchr (shown, '\n');
			if (nl != NULL)
				*nl = '\0';
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: \"%s\" is not a key, a value or a comment", c->path, c->line,
				     shown);
			return FALSE;
		}
		/* a value: "Name"=... or @=... */
		guint line = c->line;
		if (first == '@') {
			g_string_assign (name, "@");
			c->p++;
		} else if (!take_quoted (c, name, FALSE, error)) {
			return FALSE;
		}
		skip_blanks (c);
		if (c->p >= c->end || *c->p != '=') {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: value \"%s\": missing \"=\"", c->path, line, name->str);
			return FALSE;
		}
		c->p++;
		skip_blanks (c);
		char **slot = cur != NULL && first == '"' ? string_slot (cur, name->str, name->len) : NULL;
		gboolean want_num = cur != NULL && first == '"' &&
				    (is_name (name->str, name->len, "EstimatedSize") ||
				     is_name (name->str, name->len, "SystemComponent"));
		gint64 num = -1;
		gboolean have_num = FALSE;
		gsize rest = (gsize) (c->end - c->p);
		if (rest > 0 && *c->p == '"') {
			if (!take_quoted (c, sval, TRUE, error))
				return FALSE;
			if (!take_eol (c)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: value \"%s\": junk after the string", c->path, c->line,
					     name->str);
				return FALSE;
			}
			if (slot != NULL) {
				g_free (*slot);
				*slot = tu_scan_clean_field (sval->str, (gssize) sval->len);
			}
		} else if (rest >= 6 && strncmp (c->p, "dword:", 6) == 0) {
			c->p += 6;
			guint32 v = 0;
			guint nd = 0;
			for (; c->p < c->end && nd < 9 && hex_digit (*c->p) >= 0; nd++, c->p++)
				v = v << 4 | (guint32) hex_digit (*c->p);
			if (nd != 8 || !take_eol (c)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: value \"%s\": dword needs 8 hex digits", c->path, line,
					     name->str);
				return FALSE;
			}
			num = v;
			have_num = TRUE;
		} else if (rest >= 3 && strncmp (c->p, "hex", 3) == 0) {
			c->p += 3;
			guint type = 3; /* REG_BINARY */
			if (c->p < c->end && *c->p == '(') {
				c->p++;
				type = 0;
				guint nd = 0;
				for (; c->p < c->end && hex_digit (*c->p) >= 0 && nd < 8; nd++, c->p++)
					type = type << 4 | (guint) hex_digit (*c->p);
				if (nd == 0 || c->p >= c->end || *c->p != ')') {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: value \"%s\": bad hex type", c->path, line,
						     name->str);
					return FALSE;
				}
				c->p++;
			}
			if (c->p >= c->end || *c->p != ':') {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: value \"%s\": missing \":\" after hex", c->path, line,
					     name->str);
				return FALSE;
			}
			c->p++;
			if (!take_hex_bytes (c, hex, name->str, error))
				return FALSE;
			if (slot != NULL && (type == 1 || type == 2 || type == 7)) {
				g_free (*slot);
				*slot = hex_to_string (hex, c->unicode);
			} else if (want_num && (type == 4 || type == 0xb) && hex->len >= 4) {
				guint64 v = 0;
				for (guint i = MIN (hex->len, 8u); i > 0; i--)
					v = v << 8 | hex->data[i - 1];
				num = (gint64) MIN (v, (guint64) G_MAXINT64);
				have_num = TRUE;
			}
		} else if (rest >= 1 && *c->p == '-') {
			c->p++;
			if (!take_eol (c)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: value \"%s\": junk after \"-\"", c->path, line,
					     name->str);
				return FALSE;
			}
		} else {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: value \"%s\": unknown value type", c->path, line, name->str);
			return FALSE;
		}
		if (want_num && have_num) {
			if (is_name (name->str, name->len, "EstimatedSize"))
				cur->estimated_size = num;
			else
				cur->system_component = num == 1;
		}
	}
	return TRUE;
}

gboolean
tu_windows_parse_reg (const guint8 *buf, gsize len, const char *path, GPtrArray *hosts,
		      GError **error)
{
	g_autofree char *owned = NULL;
	gsize tlen = 0;
	const char *text = decode_text (buf, len, path, &owned, &tlen, error);
	if (text == NULL)
		return FALSE;
	Cursor c = {.p = text, .end = text + tlen, .path = path, .line = 1};
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
	guint n_keys = 0;
	if (!parse_reg_text (&c, entries, &n_keys, error))
		return FALSE;
	if (n_keys == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: no ...\\Uninstall\\* keys in this registry export: export "
			     "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
			     path);
		return FALSE;
	}
	TuHostScan *scan = host_from_file_name (path);
	tu_host_facts_set (&scan->facts.os_id, "windows");
	emit_entries (entries, NULL, scan);
	scan->finished_us = g_get_real_time ();
	g_ptr_array_add (hosts, scan);
	return TRUE;
}

/* ---- JSON (PowerShell and the collector) ------------------------------------------------ */

/* A cleaned copy of a member's text, or NULL. (transfer full) */
static char *
member_dup (JsonObject *o, const char *name)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	return tu_scan_clean_field (tu_json_member_text (o, name, buf), -1);
}

/* A whole number member (or a numeric string); -1 when absent or not a number. */
static gint64
member_int (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
		return -1;
	if (json_node_get_value_type (n) == G_TYPE_INT64)
		return json_node_get_int (n);
	if (json_node_get_value_type (n) == G_TYPE_DOUBLE) {
		double d = json_node_get_double (n);
		return d >= 0 && d < 9e18 ? (gint64) d : -1;
	}
	if (json_node_get_value_type (n) == G_TYPE_BOOLEAN)
		return json_node_get_boolean (n) ? 1 : 0;
	if (json_node_get_value_type (n) == G_TYPE_STRING) {
		guint64 v = 0;
		if (g_ascii_string_to_unsigned (json_node_get_string (n), 10, 0, G_MAXINT64, &v, NULL))
			return (gint64) v;
	}
	return -1;
}

/* A positive count for a host fact, -1 for unknown (never 0). */
static gint
member_count (JsonObject *o, const char *name)
{
	gint64 v = member_int (o, name);
	return v > 0 && v <= G_MAXINT ? (gint) v : -1;
}

static void
set_fact (char **field, JsonObject *o, const char *name)
{
	g_autofree char *v = member_dup (o, name);
	tu_host_facts_set (field, v);
}

/* The registry path from PowerShell's PSPath
 * ("Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\..."), or the collector's key. */
static char *
entry_key_path (JsonObject *o)
{
	g_autofree char *pspath = member_dup (o, "PSPath");
	if (pspath == NULL)
		pspath = member_dup (o, "key");
	if (pspath == NULL)
		return NULL;
	const char *sep = strstr (pspath, "::");
	const char *k = sep ? sep + 2 : pspath;
	/* short hive names as PowerShell drives write them */
	static const struct {
		const char *short_name, *long_name;
	} hives[] = {
		{"HKLM:\\", "HKEY_LOCAL_MACHINE\\"}, {"HKCU:\\", "HKEY_CURRENT_USER\\"},
		{"HKU:\\", "HKEY_USERS\\"},	   {"HKLM\\", "HKEY_LOCAL_MACHINE\\"},
		{"HKCU\\", "HKEY_CURRENT_USER\\"},  {"HKU\\", "HKEY_USERS\\"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (hives); i++) {
		if (str_has_prefix_ci (k, hives[i].short_name))
			return g_strconcat (hives[i].long_name, k + strlen (hives[i].short_name), NULL);
	}
	return g_strdup (k);
}

/* One uninstall entry from a JSON object (PowerShell's property names). */
static Entry *
entry_from_json (JsonObject *o)
{
	Entry *e = entry_new ();
	e->key_path = entry_key_path (o);
	e->display_name = member_dup (o, "DisplayName");
	e->display_version = member_dup (o, "DisplayVersion");
	e->publisher = member_dup (o, "Publisher");
	e->install_date = member_dup (o, "InstallDate");
	e->parent_key_name = member_dup (o, "ParentKeyName");
	e->release_type = member_dup (o, "ReleaseType");
	e->estimated_size = member_int (o, "EstimatedSize");
	e->system_component = member_int (o, "SystemComponent") == 1;
	HiveView view = HIVE_NATIVE;
	if (e->key_path != NULL)
		classify_key (e->key_path, &view);
	/* the collector says which view a key came from */
	g_autofree char *hive = member_dup (o, "hive");
	if (hive != NULL && strstr_ci (hive, "WOW6432Node") != NULL)
		view = HIVE_WOW64;
	e->view = view;
	return e;
}

static void
add_ip (GString *ips, const char *ip)
{
	if (ip == NULL || *ip == '\0')
		return;
	if (ips->len > 0)
		g_string_append_c (ips, ',');
	g_string_append (ips, ip);
}

/* The native architecture named by the collector ("64-bit", "AMD64", "ARM64"...). */
static const char *
native_arch_of (const char *arch)
{
	if (arch == NULL)
		return NULL;
	if (strstr_ci (arch, "ARM64") != NULL)
		return "arm64";
	if (strstr (arch, "64") != NULL)
		return "x64";
	if (strstr (arch, "32") != NULL || strstr_ci (arch, "x86") != NULL)
		return "x86";
	return NULL;
}

static void
collector_host_facts (JsonObject *host, TuHostFacts *f)
{
	tu_host_facts_set (&f->os_id, "windows");
	set_fact (&f->hostname, host, "hostname");
	set_fact (&f->fqdn, host, "fqdn");
	set_fact (&f->domain, host, "domain");
	set_fact (&f->machine_id, host, "machine_guid");
	set_fact (&f->os_name, host, "os_name");
	set_fact (&f->os_version, host, "os_version");
	set_fact (&f->os_version_id, host, "os_build");
	set_fact (&f->os_edition, host, "os_edition");
	set_fact (&f->os_pretty, host, "os_caption");
	set_fact (&f->dmi_vendor, host, "manufacturer");
	set_fact (&f->dmi_model, host, "model");
	set_fact (&f->dmi_serial, host, "serial");
	set_fact (&f->hypervisor, host, "hypervisor");
	g_autofree char *arch = member_dup (host, "os_architecture");
	tu_host_facts_set (&f->arch, native_arch_of (arch));
	gint64 mem = member_int (host, "memory_bytes");
	f->memory_bytes = mem > 0 ? mem : -1;
	JsonNode *virt = json_object_get_member (host, "is_virtual");
	if (virt != NULL && JSON_NODE_HOLDS_VALUE (virt) &&
	    json_node_get_value_type (virt) == G_TYPE_BOOLEAN)
		f->is_virtual = json_node_get_boolean (virt) ? 1 : 0;
	JsonNode *cpun = json_object_get_member (host, "cpu");
	if (cpun != NULL && JSON_NODE_HOLDS_OBJECT (cpun)) {
		JsonObject *cpu = json_node_get_object (cpun);
		f->sockets = member_count (cpu, "sockets");
		f->cores = member_count (cpu, "cores");
		f->threads = member_count (cpu, "threads");
		set_fact (&f->cpu_model, cpu, "model");
	}
	JsonNode *ipn = json_object_get_member (host, "ip_addresses");
	if (ipn != NULL && JSON_NODE_HOLDS_ARRAY (ipn)) {
		JsonArray *a = json_node_get_array (ipn);
		g_autoptr(GString) ips = g_string_new (NULL);
		for (guint i = 0; i < json_array_get_length (a); i++) {
			JsonNode *n = json_array_get_element (a, i);
			if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING) {
				g_autofree char *ip = tu_scan_clean_field (json_node_get_string (n), -1);
				add_ip (ips, ip);
			}
		}
		tu_host_facts_set (&f->ip_addresses, ips->str);
	}
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);
	return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* The collector's file: host facts, uninstall entries, the OS, features and AppX packages. */
static gboolean
parse_collector (JsonObject *root, const char *path, GPtrArray *hosts, GError **error)
{
	char nb[G_ASCII_DTOSTR_BUF_SIZE];
	const char *version = tu_json_member_text (root, "version", nb);
	if (g_strcmp0 (version, "1") != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: windows collector format version %s is not supported (1 is)", path,
			     version ? version : "(none)");
		return FALSE;
	}
	JsonNode *hostn = json_object_get_member (root, "host");
	if (hostn == NULL || !JSON_NODE_HOLDS_OBJECT (hostn)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: host: missing or not an object",
			     path);
		return FALSE;
	}
	JsonObject *host = json_node_get_object (hostn);
	JsonArray *uninstall = member_array (root, "uninstall");
	if (uninstall == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: uninstall: missing or not an array", path);
		return FALSE;
	}
	g_autofree char *target = g_strdup_printf ("import:%s", path);
	g_autoptr(TuHostScan) scan = tu_host_scan_new (target);
	collector_host_facts (host, &scan->facts);
	if (scan->facts.hostname == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: host.hostname: missing", path);
		return FALSE;
	}
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
	for (guint i = 0; i < json_array_get_length (uninstall); i++) {
		JsonNode *n = json_array_get_element (uninstall, i);
		if (!JSON_NODE_HOLDS_OBJECT (n)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: uninstall[%u]: not an object", path, i);
			return FALSE;
		}
		g_ptr_array_add (entries, entry_from_json (json_node_get_object (n)));
	}
	emit_entries (entries, scan->facts.arch, scan);

	/* the OS itself, so that Windows (Server) licences can be counted */
	g_autofree char *caption = member_dup (host, "os_caption");
	if (caption != NULL && *caption != '\0') {
		g_autofree char *build = member_dup (host, "os_build");
		g_autofree char *osver = member_dup (host, "os_version");
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_WINDOWS;
		r.raw_name = caption;
		r.raw_version = build && *build ? build : osver;
		r.raw_publisher = "Microsoft Corporation";
		r.arch = scan->facts.arch;
		r.location = "Win32_OperatingSystem";
		tu_record_list_add (scan->records, &r);
	}

	/* enabled Windows features and roles: part of the OS */
	JsonArray *features = member_array (root, "features");
	for (guint i = 0; features != NULL && i < json_array_get_length (features); i++) {
		JsonNode *n = json_array_get_element (features, i);
		if (!JSON_NODE_HOLDS_OBJECT (n))
			continue;
		JsonObject *o = json_node_get_object (n);
		g_autofree char *name = member_dup (o, "name");
		g_autofree char *state = member_dup (o, "state");
		if (name == NULL || *name == '\0') {
			tu_scan_warn_at (scan, path, 0, "features[%u]: no name (skipped)", i);
			continue;
		}
		if (state == NULL || (g_ascii_strcasecmp (state, "Enabled") != 0 &&
				      g_ascii_strcasecmp (state, "Installed") != 0))
			continue;
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_WINDOWS;
		r.raw_name = name;
		r.raw_publisher = "Microsoft Corporation";
		r.kind = "system";
		r.location = "WindowsFeature";
		tu_record_list_add (scan->records, &r);
	}

	/* AppX (Store) packages */
	JsonArray *appx = member_array (root, "appx");
	for (guint i = 0; appx != NULL && i < json_array_get_length (appx); i++) {
		JsonNode *n = json_array_get_element (appx, i);
		if (!JSON_NODE_HOLDS_OBJECT (n))
			continue;
		JsonObject *o = json_node_get_object (n);
		g_autofree char *name = member_dup (o, "name");
		if (name == NULL || *name == '\0') {
			tu_scan_warn_at (scan, path, 0, "appx[%u]: no name (skipped)", i);
			continue;
		}
		g_autofree char *version_s = member_dup (o, "version");
		g_autofree char *publisher = member_dup (o, "publisher");
		g_autofree char *arch = member_dup (o, "architecture");
		g_autofree char *loc = member_dup (o, "install_location");
		g_autofree char *sig = member_dup (o, "signature_kind");
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_WINDOWS;
		r.raw_name = name;
		r.raw_version = version_s;
		r.raw_publisher = publisher;
		r.arch = arch;
		r.location = loc;
		if (sig != NULL && g_ascii_strcasecmp (sig, "System") == 0)
			r.kind = "system";
		tu_record_list_add (scan->records, &r);
	}
	scan->finished_us = g_get_real_time ();
	g_ptr_array_add (hosts, g_steal_pointer (&scan));
	return TRUE;
}

/* Entries from PowerShell objects (JSON or CSV rows), grouped by PSComputerName when present. */
static gboolean
emit_powershell (JsonArray *items, const char *path, GPtrArray *hosts, GError **error)
{
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
	g_autoptr(GPtrArray) computers = g_ptr_array_new_with_free_func (g_free);
	guint n_uninstall = 0;
	for (guint i = 0; i < json_array_get_length (items); i++) {
		JsonNode *n = json_array_get_element (items, i);
		if (!JSON_NODE_HOLDS_OBJECT (n)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: [%u]: not an object",
				     path, i);
			return FALSE;
		}
		JsonObject *o = json_node_get_object (n);
		Entry *e = entry_from_json (o);
		e->line = i;
		g_ptr_array_add (entries, e);
		g_ptr_array_add (computers, member_dup (o, "PSComputerName"));
		n_uninstall += e->key_path != NULL || json_object_has_member (o, "DisplayName");
	}
	if (n_uninstall == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: no uninstall entries (objects with PSPath or DisplayName)", path);
		return FALSE;
	}
	/* one host per PSComputerName, in order of appearance; no name: the file's */
	g_autoptr(GHashTable) by_host = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) order = g_ptr_array_new ();
	for (guint i = 0; i < entries->len; i++) {
		const char *computer = g_ptr_array_index (computers, i);
		const char *k = computer && *computer ? computer : "";
		GPtrArray *group = g_hash_table_lookup (by_host, k);
		if (group == NULL) {
			group = g_ptr_array_new ();
			g_hash_table_insert (by_host, (gpointer) k, group);
			g_ptr_array_add (order, (gpointer) k);
		}
		g_ptr_array_add (group, g_ptr_array_index (entries, i));
	}
	for (guint h = 0; h < order->len; h++) {
		const char *k = g_ptr_array_index (order, h);
		g_autoptr(GPtrArray) group = g_hash_table_lookup (by_host, k);
		TuHostScan *scan;
		if (*k == '\0') {
			scan = host_from_file_name (path);
		} else {
			g_autofree char *target = g_strdup_printf ("import:%s", path);
			scan = tu_host_scan_new (target);
			tu_host_facts_set (&scan->facts.hostname, k);
		}
		tu_host_facts_set (&scan->facts.os_id, "windows");
		emit_entries (group, NULL, scan);
		scan->finished_us = g_get_real_time ();
		g_ptr_array_add (hosts, scan);
	}
	return TRUE;
}

static gboolean
parse_json_text (const char *text, gsize tlen, const char *path, GPtrArray *hosts,
		 GError **error)
{
	g_autoptr(JsonParser) parser = tu_json_load (text, tlen, path, 1, error);
	if (parser == NULL)
		return FALSE;
	JsonNode *root = json_parser_get_root (parser);
	if (JSON_NODE_HOLDS_OBJECT (root)) {
		JsonObject *o = json_node_get_object (root);
		char nb[G_ASCII_DTOSTR_BUF_SIZE];
		const char *collector = tu_json_member_text (o, "trueup_collector", nb);
		if (collector != NULL) {
			if (g_strcmp0 (collector, "windows") != 0) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: a \"%s\" collector file, not a Windows one", path,
					     collector);
				return FALSE;
			}
			return parse_collector (o, path, hosts, error);
		}
		/* ConvertTo-Json of a single object */
		g_autoptr(JsonArray) one = json_array_new ();
		json_array_add_element (one, json_node_copy (root));
		return emit_powershell (one, path, hosts, error);
	}
	if (!JSON_NODE_HOLDS_ARRAY (root)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: expected a JSON array or object of uninstall entries", path);
		return FALSE;
	}
	return emit_powershell (json_node_get_array (root), path, hosts, error);
}

gboolean
tu_windows_parse_json (const char *buf, gsize len, const char *path, GPtrArray *hosts,
		       GError **error)
{
	g_autofree char *owned = NULL;
	gsize tlen = 0;
	const char *text = decode_text ((const guint8 *) buf, len, path, &owned, &tlen, error);
	if (text == NULL)
		return FALSE;
	return parse_json_text (text, tlen, path, hosts, error);
}

/* ---- CSV (Export-Csv) ------------------------------------------------------------------- */

typedef struct {
	GPtrArray *fields; /* char*, the current row */
	GPtrArray *rows;   /* GPtrArray* of char* */
	GArray *row_lines; /* guint, the line each row starts on */
	guint line;	   /* the line being fed */
	guint row_line;	   /* the line the current row started on */
} CsvRows;

static void
csv_field_cb (void *s, size_t len, void *data)
{
	CsvRows *c = data;
	if (c->fields->len == 0)
		c->row_line = c->line;
	g_ptr_array_add (c->fields, s ? tu_scan_clean_field (s, (gssize) len) : NULL);
}

static void
csv_row_cb (int term, void *data)
{
	CsvRows *c = data;
	if (c->fields->len == 0)
		c->row_line = c->line;
	g_ptr_array_add (c->rows, c->fields);
	g_array_append_val (c->row_lines, c->row_line);
	c->fields = g_ptr_array_new_with_free_func (g_free);
}

gboolean
tu_windows_parse_csv (const char *buf, gsize len, const char *path, GPtrArray *hosts,
		      GError **error)
{
	g_autofree char *owned = NULL;
	gsize tlen = 0;
	const char *text = decode_text ((const guint8 *) buf, len, path, &owned, &tlen, error);
	if (text == NULL)
		return FALSE;
	const char *p = text;
	const char *end = text + tlen;
	guint first_line = 1;
	/* "#TYPE System.Management.Automation.PSCustomObject" */
	if (tlen >= 5 && strncmp (p, "#TYPE", 5) == 0) {
		const char *nl = memchr (p, '\n', tlen);
		p = nl ? nl + 1 : end;
		first_line = 2;
	}
	struct csv_parser csv;
	if (csv_init (&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: cannot set up the CSV parser", path);
		return FALSE;
	}
	CsvRows rows = {
		.fields = g_ptr_array_new_with_free_func (g_free),
		.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref),
		.row_lines = g_array_new (FALSE, FALSE, sizeof (guint)),
		.line = first_line,
	};
	gboolean ok = TRUE;
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *next = nl ? nl + 1 : end;
		if (csv_parse (&csv, p, (size_t) (next - p), csv_field_cb, csv_row_cb, &rows) !=
		    (size_t) (next - p)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: malformed CSV (%s)",
				     path, rows.line, csv_strerror (csv_error (&csv)));
			ok = FALSE;
			break;
		}
		rows.line++;
		p = next;
	}
	if (ok && csv_fini (&csv, csv_field_cb, csv_row_cb, &rows) != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: malformed CSV: unbalanced quotes in the row starting here", path,
			     rows.fields->len > 0 ? rows.row_line : rows.line - 1);
		ok = FALSE;
	}
	csv_free (&csv);
	g_ptr_array_unref (rows.fields);
	g_autoptr(GPtrArray) all = rows.rows;
	g_autoptr(GArray) lines = rows.row_lines;
	if (!ok)
		return FALSE;
	if (all->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: no header row", path);
		return FALSE;
	}
	GPtrArray *header = g_ptr_array_index (all, 0);
	gboolean has_name = FALSE;
	for (guint i = 0; i < header->len; i++) {
		const char *h = g_ptr_array_index (header, i);
		has_name |= g_strcmp0 (h, "DisplayName") == 0 || g_strcmp0 (h, "PSPath") == 0;
	}
	if (!has_name) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: the header has neither DisplayName nor PSPath", path,
			     g_array_index (lines, guint, 0));
		return FALSE;
	}
	/* rows as objects, so that the JSON rules apply unchanged */
	g_autoptr(JsonArray) items = json_array_new ();
	for (guint r = 1; r < all->len; r++) {
		GPtrArray *row = g_ptr_array_index (all, r);
		if (row->len == 1 && g_ptr_array_index (row, 0) == NULL)
			continue; /* a blank line */
		if (row->len != header->len) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: %u fields where the header has %u", path,
				     g_array_index (lines, guint, r), row->len, header->len);
			return FALSE;
		}
		JsonObject *o = json_object_new ();
		for (guint i = 0; i < header->len; i++) {
			const char *h = g_ptr_array_index (header, i);
			const char *v = g_ptr_array_index (row, i);
			if (h != NULL && v != NULL)
				json_object_set_string_member (o, h, v);
		}
		json_array_add_object_element (items, o);
	}
	return emit_powershell (items, path, hosts, error);
}
