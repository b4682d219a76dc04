/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Python distributions: the core metadata of every installed distribution, read from
 * NAME.dist-info/METADATA (wheels), NAME.egg-info/PKG-INFO and single-file NAME.egg-info
 * (setuptools, distutils), in the site- and dist-packages of every interpreter the SSH
 * collector also looks at.
 *
 * The metadata is an RFC 822 header block: "Field: value" lines, continuation lines starting
 * with a blank, and a body (the long description) after the first blank line, which is never
 * looked at. Like Python's own email parser (what importlib.metadata and pip use), a line
 * that is neither a field nor a continuation ends the header block: the fields before it
 * still count, and the file gets a warning. One record per file; the parser appends nothing
 * when it fails, so the finder can turn a failure into a warning for that file alone.
 *
 * raw_name is the Name field as written ("Pygments"); the purl carries the PEP 503 form
 * ("pkg:pypi/pygments@2.6.1"). location is the site-packages directory: the same
 * distribution in two environments is two installations.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

/* The fields trueup keeps; the first occurrence of each wins, as in email.message.get(). */
typedef struct {
	char *name;
	char *version;
	char *author;
	char *author_email;
	char *maintainer;
	char *maintainer_email;
	char *license;
	char *license_expression;
	char *license_classifier; /* the last component of the last "License :: ..." */
	guint name_line;
	guint version_line;
	gboolean license_multiline;
} Metadata;

static void
metadata_clear (Metadata *m)
{
	g_free (m->name);
	g_free (m->version);
	g_free (m->author);
	g_free (m->author_email);
	g_free (m->maintainer);
	g_free (m->maintainer_email);
	g_free (m->license);
	g_free (m->license_expression);
	g_free (m->license_classifier);
}

/* setuptools writes "UNKNOWN" for a field it was not given */
static gboolean
is_unset (const char *s)
{
	return s == NULL || *s == '\0' || g_ascii_strcasecmp (s, "UNKNOWN") == 0 ||
	       g_ascii_strcasecmp (s, "None") == 0;
}

static char **
field_slot (Metadata *m, const char *name, gsize len, guint **line_slot)
{
#define IS(lit) (len == sizeof (lit) - 1 && g_ascii_strncasecmp (name, lit, len) == 0)
	*line_slot = NULL;
	if (IS ("Name")) {
		*line_slot = &m->name_line;
		return &m->name;
	}
	if (IS ("Version")) {
		*line_slot = &m->version_line;
		return &m->version;
	}
	if (IS ("Author"))
		return &m->author;
	if (IS ("Author-email"))
		return &m->author_email;
	if (IS ("Maintainer"))
		return &m->maintainer;
	if (IS ("Maintainer-email"))
		return &m->maintainer_email;
	if (IS ("License"))
		return &m->license;
	if (IS ("License-Expression"))
		return &m->license_expression;
#undef IS
	return NULL;
}

/* "Georg Brandl <georg@python.org>, Other <o@x>" -> "Georg Brandl"; NULL when no name part */
static char *
name_of_email (const char *s)
{
	if (s == NULL)
		return NULL;
	const char *lt = strchr (s, '<');
	if (lt == NULL)
		return NULL;
	const char *comma = strchr (s, ',');
	if (comma != NULL && comma < lt)
		return NULL; /* "a@x, B <b@x>": the first address has no name */
	g_autofree char *name = g_strndup (s, (gsize) (lt - s));
	g_strstrip (name);
	gsize n = strlen (name);
	if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
		name[n - 1] = '\0';
		memmove (name, name + 1, n - 1);
		g_strstrip (name);
	}
	return *name != '\0' ? g_steal_pointer (&name) : NULL;
}

/* PEP 503: lower case, runs of '-', '_' and '.' become one '-' */
static char *
pep503_normalise (const char *name)
{
	GString *out = g_string_sized_new (strlen (name));
	gboolean in_sep = FALSE;
	for (const char *p = name; *p != '\0'; p++) {
		if (*p == '-' || *p == '_' || *p == '.') {
			if (!in_sep)
				g_string_append_c (out, '-');
			in_sep = TRUE;
		} else {
			g_string_append_c (out, g_ascii_tolower (*p));
			in_sep = FALSE;
		}
	}
	return g_string_free (out, FALSE);
}

/* percent-encode everything but the purl's unreserved characters */
static void
append_purl_encoded (GString *out, const char *s)
{
	for (const guchar *p = (const guchar *) s; *p != '\0'; p++) {
		if (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_' || *p == '~')
			g_string_append_c (out, (char) *p);
		else
			g_string_append_printf (out, "%%%02X", *p);
	}
}

/* The directory holding NAME.dist-info/METADATA, NAME.egg-info/PKG-INFO or NAME.egg-info. */
static char *
site_packages_of (const char *path)
{
	g_autofree char *dir = g_path_get_dirname (path);
	if (tu_str_has_suffix_ci (dir, "dist-info") || tu_str_has_suffix_ci (dir, "egg-info"))
		return g_path_get_dirname (dir);
	return g_steal_pointer (&dir);
}

/* Check the fields of one file and append its record. */
static gboolean
emit (Metadata *m, guint lineno, guint stray_line, gboolean in_header, const char *path,
      const char *location, GHashTable *seen, TuHostScan *scan, GError **error)
{
	if (is_unset (m->name)) {
		if (lineno == 0)
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:1: empty file, no Name field", path);
		else if (stray_line != 0 && !in_header)
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: not a metadata field (NAME: VALUE), no Name field", path,
				     stray_line);
		else if (!in_header)
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:1: no metadata fields before the first blank line", path);
		else
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: Name field missing",
				     path);
		return FALSE;
	}
	if (is_unset (m->version)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: package %s: Version field missing",
			     path, m->name_line, m->name);
		return FALSE;
	}

	g_autofree char *publisher = NULL;
	if (!is_unset (m->author))
		publisher = g_strdup (m->author);
	else if (!is_unset (m->maintainer))
		publisher = g_strdup (m->maintainer);
	else
		publisher = name_of_email (m->author_email);
	if (publisher == NULL)
		publisher = name_of_email (m->maintainer_email);

	/* the SPDX expression of PEP 639 first; a License field that holds the whole licence
	 * text (folded over many lines) is no name; the trove classifier last */
	const char *license = NULL;
	if (!is_unset (m->license_expression))
		license = m->license_expression;
	else if (!is_unset (m->license) && !m->license_multiline && strlen (m->license) <= 200)
		license = m->license;
	else if (!is_unset (m->license_classifier))
		license = m->license_classifier;

	g_autofree char *normalised = pep503_normalise (m->name);
	if (seen != NULL) {
		if (g_hash_table_contains (seen, normalised)) {
			g_debug ("%s: %s is in this site-packages already (dist-info and egg-info "
				 "side by side): one installation",
				 path, m->name);
			return TRUE;
		}
		g_hash_table_add (seen, g_strdup (normalised));
	}
	GString *purl = g_string_new ("pkg:pypi/");
	append_purl_encoded (purl, normalised);
	g_string_append_c (purl, '@');
	append_purl_encoded (purl, m->version);
	g_autofree char *purl_s = g_string_free (purl, FALSE);
	g_autofree char *derived_location = location ? NULL : site_packages_of (path);

	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_PIP;
	r.raw_name = m->name;
	r.raw_version = m->version;
	r.raw_publisher = publisher;
	r.location = location ? location : derived_location;
	r.purl = purl_s;
	r.license = license;
	tu_record_list_add (scan->records, &r);
	if (stray_line != 0)
		tu_scan_warn_at (scan, path, stray_line,
				 "package %s: not a metadata field (NAME: VALUE); the fields before it are "
				 "used, the rest is taken as the description",
				 m->name);
	return TRUE;
}

static gboolean
parse_metadata (const char *buf, gsize len, const char *path, const char *location,
		GHashTable *seen, TuHostScan *scan, GError **error)
{
	Metadata m = {0};
	const char *p = buf;
	const char *end = buf + len;
	guint lineno = 0;
	guint stray_line = 0;
	char **last_slot = NULL; /* the kept field that continuation lines extend */
	gboolean in_header = FALSE;
	gboolean ok;

	if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *line_end = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		lineno++;
		gsize n = (gsize) (line_end - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0)
			break; /* the body (description) follows */
		if (p[0] == ' ' || p[0] == '\t') {
			if (!in_header) {
				stray_line = lineno;
				break;
			}
			/* a folded line: only License is worth knowing it was folded */
			if (last_slot == &m.license)
				m.license_multiline = TRUE;
			p = next;
			continue;
		}
		const char *colon = memchr (p, ':', n);
		gboolean is_field = colon != NULL && colon > p;
		for (const char *q = p; is_field && q < colon; q++) {
			/* RFC 5322 field names: printable ASCII without blanks */
			if ((guchar) *q <= ' ' || (guchar) *q >= 0x7f)
				is_field = FALSE;
		}
		if (!is_field) {
			stray_line = lineno;
			break;
		}
		in_header = TRUE;
		const char *v = colon + 1;
		const char *v_end = p + n;
		while (v < v_end && (*v == ' ' || *v == '\t'))
			v++;
		while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t'))
			v_end--;
		gsize name_len = (gsize) (colon - p);
		guint *line_slot = NULL;
		char **slot = field_slot (&m, p, name_len, &line_slot);
		last_slot = NULL;
		if (slot != NULL && *slot == NULL) {
			*slot = tu_scan_clean_field (v, v_end - v);
			last_slot = slot;
			if (line_slot != NULL)
				*line_slot = lineno;
		} else if (name_len == 10 && g_ascii_strncasecmp (p, "Classifier", 10) == 0 &&
			   (gsize) (v_end - v) > 11 && strncmp (v, "License :: ", 11) == 0) {
			/* "License :: OSI Approved :: BSD License": the last component */
			const char *last = v;
			for (const char *q = v; q + 4 <= v_end; q++) {
				if (memcmp (q, " :: ", 4) == 0)
					last = q + 4;
			}
			g_free (m.license_classifier);
			m.license_classifier = tu_scan_clean_field (last, v_end - last);
		}
		p = next;
	}

	ok = emit (&m, lineno, stray_line, in_header, path, location, seen, scan, error);
	metadata_clear (&m);
	return ok;
}

gboolean
tu_pip_parse_metadata (const char *buf, gsize len, const char *path, TuHostScan *scan,
		       GError **error)
{
	return parse_metadata (buf, len, path, NULL, NULL, scan, error);
}

/* The metadata file of one entry of a site-packages directory, or NULL when the entry is no
 * distribution. Names are compared without case, as importlib.metadata does. */
static char *
metadata_path_of (TuFs *fs, const char *sp, const char *name)
{
	if (name[0] == '.')
		return NULL;
	if (tu_str_has_suffix_ci (name, ".dist-info"))
		return g_strdup_printf ("%s/%s/METADATA", sp, name);
	if (!tu_str_has_suffix_ci (name, ".egg-info"))
		return NULL;
	g_autofree char *entry = g_strdup_printf ("%s/%s", sp, name);
	if (tu_fs_is_dir (fs, entry))
		return g_strdup_printf ("%s/PKG-INFO", entry);
	return g_steal_pointer (&entry);
}

/* One site-packages directory. A distribution can only be installed once in it; where a
 * package ships both a .dist-info and an .egg-info (Debian's python3-cryptography), it is one
 * installation: the dist-info, read first, counts. */
static void
scan_site_packages (TuFs *fs, const char *sp, TuHostScan *scan)
{
	g_autoptr(GPtrArray) names = tu_fs_list (fs, sp);
	g_autofree char *location = g_strdup_printf ("/%s", sp);
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint pass = 0; pass < 2; pass++) {
		for (guint i = 0; names != NULL && i < names->len; i++) {
			const char *name = g_ptr_array_index (names, i);
			if (tu_str_has_suffix_ci (name, ".dist-info") != (pass == 0))
				continue;
			g_autofree char *file = metadata_path_of (fs, sp, name);
			if (file == NULL)
				continue;
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_META_BYTES, &error);
			if (bytes == NULL) {
				tu_host_scan_warn (scan, "%s (skipped)", error->message);
				continue;
			}
			g_autofree char *shown = tu_fs_display (fs, file);
			if (!parse_metadata (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), shown,
					     location, seen, scan, &error))
				tu_host_scan_warn (scan, "%s (skipped)", error->message);
		}
	}
}

/* "usr/lib64/python3.12/site-packages" when usr/lib64 is a link to usr/lib (Arch, some
 * images) lists exactly what "usr/lib/python3.12/site-packages" does: one environment seen
 * twice. Directories of their own (Fedora's lib64 holds the arch-specific half) differ. */
static gboolean
is_lib64_alias (TuFs *fs, const char *sp)
{
	const char *at = g_str_has_prefix (sp, "lib64/") ? sp : NULL;
	if (at == NULL) {
		const char *m = strstr (sp, "/lib64/");
		if (m == NULL)
			return FALSE;
		at = m + 1;
	}
	g_autofree char *twin = g_strdup_printf ("%.*slib%s", (int) (at - sp), sp, at + 5);
	g_autoptr(GPtrArray) a = tu_fs_list (fs, sp);
	g_autoptr(GPtrArray) b = tu_fs_list (fs, twin);
	if (a == NULL || b == NULL || a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
			return FALSE;
	}
	return TRUE;
}

void
tu_source_pip (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	/* the same list as the SSH collector's (scanner/collectors/ssh-collector.sh) */
	static const char *const interpreters[] = {
		"usr/lib/python*",	  "usr/lib64/python*",	     "usr/local/lib/python*",
		"usr/local/lib64/python*", "opt/*/lib/python*",	     "opt/*/*/lib/python*",
		"home/*/.local/lib/python*", "root/.local/lib/python*", NULL};
	static const char *const subdirs[] = {"site-packages", "dist-packages", NULL};
	for (guint i = 0; interpreters[i] != NULL; i++) {
		g_autoptr(GPtrArray) dirs = tu_fs_glob (fs, interpreters[i], 0);
		for (guint d = 0; d < dirs->len; d++) {
			for (guint s = 0; subdirs[s] != NULL; s++) {
				g_autofree char *sp = g_strdup_printf ("%s/%s",
								       (char *) g_ptr_array_index (dirs, d),
								       subdirs[s]);
				if (!tu_fs_is_dir (fs, sp))
					continue;
				if (is_lib64_alias (fs, sp)) {
					g_debug ("%s: %s is the lib directory seen again, skipped",
						 scan->target, sp);
					continue;
				}
				scan_site_packages (fs, sp, scan);
			}
		}
	}
}
