/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dpkg: var/lib/dpkg/status (and status.d/ of distroless images, one file per package, often
 * without a Status field because everything there is installed).
 *
 * One pass over the buffer, RFC 822-style stanzas separated by blank lines, continuation lines
 * folded away. Only the fields trueup keeps are copied. The states follow dpkg: "installed" is
 * counted; half-installed, unpacked, half-configured and triggers-* are recorded with their
 * state and not counted; config-files and not-installed packages are not installed at all.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

typedef struct {
	char *package;
	char *version;
	char *arch;
	char *maintainer;
	char *source;
	char *status;
	char *installed_size;
	guint line;	 /* first line of the stanza */
	guint n_fields;
} Stanza;

static void
stanza_clear (Stanza *s)
{
	g_clear_pointer (&s->package, g_free);
	g_clear_pointer (&s->version, g_free);
	g_clear_pointer (&s->arch, g_free);
	g_clear_pointer (&s->maintainer, g_free);
	g_clear_pointer (&s->source, g_free);
	g_clear_pointer (&s->status, g_free);
	g_clear_pointer (&s->installed_size, g_free);
	s->n_fields = 0;
	s->line = 0;
}

/* the field of interest named by [name, name+len), or NULL */
static char **
field_slot (Stanza *s, const char *name, gsize len)
{
#define IS(lit) (len == sizeof (lit) - 1 && g_ascii_strncasecmp (name, lit, len) == 0)
	if (IS ("Package"))
		return &s->package;
	if (IS ("Version"))
		return &s->version;
	if (IS ("Architecture"))
		return &s->arch;
	if (IS ("Maintainer"))
		return &s->maintainer;
	if (IS ("Source"))
		return &s->source;
	if (IS ("Status"))
		return &s->status;
	if (IS ("Installed-Size"))
		return &s->installed_size;
#undef IS
	return NULL;
}

/* Is the state (third word of Status) one trueup records? Sets @counted for "installed". */
static gboolean
classify_status (const char *status, const char **state, gboolean *counted)
{
	const char *last = strrchr (status, ' ');
	const char *st = last ? last + 1 : status;
	*state = st;
	*counted = g_strcmp0 (st, "installed") == 0;
	if (*counted)
		return TRUE;
	static const char *const partial[] = {"half-installed", "unpacked", "half-configured",
					      "triggers-awaited", "triggers-pending", NULL};
	return g_strv_contains (partial, st);
}

static gboolean
emit (Stanza *s, const char *path, gboolean status_optional, TuHostScan *scan, GError **error)
{
	if (s->n_fields == 0)
		return TRUE;
	if (s->package == NULL || *s->package == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: package entry without a Package field", path, s->line);
		return FALSE;
	}
	const char *state = "installed";
	gboolean counted = TRUE;
	if (s->status != NULL) {
		if (!classify_status (s->status, &state, &counted))
			return TRUE; /* config-files, not-installed: nothing is installed */
	} else if (!status_optional) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: package %s has no Status field", path, s->line, s->package);
		return FALSE;
	}
	if (s->version == NULL || *s->version == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: package %s: missing Version field", path, s->line, s->package);
		return FALSE;
	}
	/* "Source: openssl (3.0.11-1~deb12u2)": the name only */
	g_autofree char *src = NULL;
	if (s->source != NULL) {
		const char *sp = strchr (s->source, ' ');
		src = sp ? g_strndup (s->source, (gsize) (sp - s->source)) : g_strdup (s->source);
	}
	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_DPKG;
	r.raw_name = s->package;
	r.raw_version = s->version;
	r.raw_publisher = s->maintainer;
	r.arch = s->arch;
	r.source_package = src && *src ? src : s->package;
	r.state = counted ? NULL : state;
	if (s->installed_size != NULL) {
		guint64 kib = 0;
		if (g_ascii_string_to_unsigned (s->installed_size, 10, 0, G_MAXINT64 / 1024, &kib, NULL))
			r.size_bytes = (gint64) kib * 1024;
		else
			tu_scan_warn_at (scan, path, s->line, "package %s: Installed-Size \"%s\" is not a number",
					 s->package, s->installed_size);
	}
	tu_record_list_add (scan->records, &r);
	return TRUE;
}

static gboolean
parse_common (const char *buf, gsize len, const char *path, gboolean status_optional,
	      TuHostScan *scan, GError **error)
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
			/* blank line: end of stanza */
			ok = emit (&s, path, status_optional, scan, error);
			stanza_clear (&s);
		} else if (p[0] == ' ' || p[0] == '\t') {
			if (s.n_fields == 0) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: continuation line before any field", path, lineno);
				ok = FALSE;
			}
			/* a continuation line: only Description and lists use them, nothing kept */
		} else {
			const char *colon = memchr (p, ':', n);
			if (colon == NULL || colon == p) {
				g_autofree char *shown = tu_scan_clean_field (p, (gssize) MIN (n, 60u));
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: \"%s\" is not a field (NAME: VALUE)", path, lineno,
					     shown);
				ok = FALSE;
				break;
			}
			if (s.n_fields == 0)
				s.line = lineno;
			s.n_fields++;
			char **slot = field_slot (&s, p, (gsize) (colon - p));
			if (slot != NULL) {
				const char *v = colon + 1;
				const char *v_end = p + n;
				while (v < v_end && (*v == ' ' || *v == '\t'))
					v++;
				while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t'))
					v_end--;
				if (*slot != NULL) {
					g_autofree char *field = g_strndup (p, (gsize) (colon - p));
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: duplicate field %s", path, lineno, field);
					ok = FALSE;
					break;
				}
				*slot = tu_scan_clean_field (v, v_end - v);
			}
		}
		p = next;
	}
	if (ok)
		ok = emit (&s, path, status_optional, scan, error);
	stanza_clear (&s);
	return ok;
}

gboolean
tu_dpkg_parse_status (const char *buf, gsize len, const char *path, TuHostScan *scan,
		      GError **error)
{
	return parse_common (buf, len, path, FALSE, scan, error);
}

void
tu_source_dpkg (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	static const char *const admindirs[] = {"var/lib/dpkg", "usr/lib/dpkg", NULL};
	for (guint i = 0; admindirs[i] != NULL; i++) {
		g_autofree char *status_path = g_strdup_printf ("%s/status", admindirs[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = tu_fs_read (fs, status_path, TU_SCAN_MAX_DB_BYTES, &error);
		if (bytes != NULL) {
			g_autofree char *shown = tu_fs_display (fs, status_path);
			if (!tu_dpkg_parse_status (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
						   shown, scan, &scan->error))
				return;
		} else if (!g_error_matches (error, TU_ERROR, TU_ERROR_NOT_FOUND)) {
			/* a database we cannot read fails the host: see tu-scan.h */
			g_propagate_error (&scan->error, g_steal_pointer (&error));
			return;
		}
		/* distroless: one file per package; companions (.md5sums, .preinst...) skipped */
		g_autofree char *dir = g_strdup_printf ("%s/status.d", admindirs[i]);
		g_autoptr(GPtrArray) names = tu_fs_list (fs, dir);
		for (guint n = 0; names != NULL && n < names->len; n++) {
			const char *name = g_ptr_array_index (names, n);
			if (strchr (name, '.') != NULL || name[0] == '.')
				continue;
			g_autofree char *file = g_strdup_printf ("%s/%s", dir, name);
			g_autofree char *shown = tu_fs_display (fs, file);
			g_autoptr(GError) ferr = NULL;
			g_autoptr(GBytes) fb = tu_fs_read (fs, file, TU_SCAN_MAX_META_BYTES, &ferr);
			if (fb == NULL) {
				tu_host_scan_warn (scan, "%s", ferr->message);
				continue;
			}
			/* parse into a side list so that a bad file adds nothing */
			g_autoptr(TuHostScan) one = tu_host_scan_new (scan->target);
			if (!parse_common (g_bytes_get_data (fb, NULL), g_bytes_get_size (fb), shown, TRUE,
					   one, &ferr)) {
				tu_host_scan_warn (scan, "%s (skipped)", ferr->message);
				continue;
			}
			for (guint r = 0; r < tu_record_list_len (one->records); r++)
				tu_record_list_add (scan->records, tu_record_list_get (one->records, r));
			tu_warnings_take (scan->warnings, one->warnings);
		}
	}
}
