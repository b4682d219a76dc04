/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apk (Alpine, Wolfi, Chainguard): lib/apk/db/installed, the one database of installed
 * packages. Stanzas separated by blank lines, one "X:value" line per field, X one letter:
 * P name, V version, A arch, m maintainer, o origin (the source package), I installed size
 * in bytes, L licence, t build time; the file entries (F, R, a, Z, M...) repeat and are
 * skipped. A line that is not "X:value" makes the whole database unparsable: storing the
 * part before it would record every later package as removed (tu-scan.h).
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

typedef struct {
	char *name;
	char *version;
	char *arch;
	char *maintainer;
	char *origin;
	char *size;
	char *license;
	guint line;	/* first line of the stanza */
	guint n_fields;
} Stanza;

static void
stanza_clear (Stanza *s)
{
	g_clear_pointer (&s->name, g_free);
	g_clear_pointer (&s->version, g_free);
	g_clear_pointer (&s->arch, g_free);
	g_clear_pointer (&s->maintainer, g_free);
	g_clear_pointer (&s->origin, g_free);
	g_clear_pointer (&s->size, g_free);
	g_clear_pointer (&s->license, g_free);
	s->line = 0;
	s->n_fields = 0;
}

static char **
field_slot (Stanza *s, char key)
{
	switch (key) {
	case 'P':
		return &s->name;
	case 'V':
		return &s->version;
	case 'A':
		return &s->arch;
	case 'm':
		return &s->maintainer;
	case 'o':
		return &s->origin;
	case 'I':
		return &s->size;
	case 'L':
		return &s->license;
	default:
		return NULL;
	}
}

static gboolean
emit (Stanza *s, const char *path, TuHostScan *scan, GError **error)
{
	if (s->n_fields == 0)
		return TRUE;
	if (s->name == NULL || *s->name == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: package entry without a P: (name) field", path, s->line);
		return FALSE;
	}
	if (s->version == NULL || *s->version == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: package %s: V: (version) field missing", path, s->line, s->name);
		return FALSE;
	}
	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_APK;
	r.raw_name = s->name;
	r.raw_version = s->version;
	r.arch = s->arch && *s->arch ? s->arch : NULL;
	r.raw_publisher = s->maintainer && *s->maintainer ? s->maintainer : NULL;
	r.source_package = s->origin && *s->origin ? s->origin : s->name;
	r.license = s->license && *s->license ? s->license : NULL;
	if (s->size != NULL) {
		guint64 v = 0;
		if (g_ascii_string_to_unsigned (s->size, 10, 0, G_MAXINT64, &v, NULL))
			r.size_bytes = (gint64) v;
		else
			tu_scan_warn_at (scan, path, s->line, "package %s: I: (size) \"%s\" is not a number",
					 s->name, s->size);
	}
	tu_record_list_add (scan->records, &r);
	return TRUE;
}

gboolean
tu_apk_parse_installed (const char *buf, gsize len, const char *path, TuHostScan *scan,
			GError **error)
{
	Stanza s = {0};
	const char *p = buf;
	const char *end = buf + len;
	guint lineno = 0;
	gboolean ok = TRUE;

	while (p < end && ok) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *line_end = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		lineno++;
		gsize n = (gsize) (line_end - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0) {
			ok = emit (&s, path, scan, error);
			stanza_clear (&s);
		} else if (n < 2 || p[1] != ':' || !g_ascii_isalpha (p[0])) {
			g_autofree char *shown = tu_scan_clean_field (p, (gssize) MIN (n, 60u));
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: \"%s\" is not a field (X:value)", path, lineno, shown);
			ok = FALSE;
		} else {
			if (s.n_fields++ == 0)
				s.line = lineno;
			char **slot = field_slot (&s, p[0]);
			if (slot != NULL) {
				if (*slot != NULL) {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: duplicate field %c: in one package", path, lineno,
						     p[0]);
					ok = FALSE;
				} else {
					*slot = tu_scan_clean_field (p + 2, (gssize) n - 2);
				}
			}
		}
		p = next;
	}
	if (ok)
		ok = emit (&s, path, scan, error);
	stanza_clear (&s);
	return ok;
}

void
tu_source_apk (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	static const char *const dbs[] = {"lib/apk/db/installed", "usr/lib/apk/db/installed"};
	for (guint i = 0; i < G_N_ELEMENTS (dbs); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = tu_fs_read (fs, dbs[i], TU_SCAN_MAX_DB_BYTES, &error);
		if (bytes == NULL) {
			if (g_error_matches (error, TU_ERROR, TU_ERROR_NOT_FOUND))
				continue;
			/* a database we cannot read fails the host: see tu-scan.h */
			g_propagate_error (&scan->error, g_steal_pointer (&error));
			return;
		}
		g_autofree char *shown = tu_fs_display (fs, dbs[i]);
		tu_apk_parse_installed (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), shown,
					scan, &scan->error);
		return; /* apk-tools 3 may link one to the other: the first found is the database */
	}
}
