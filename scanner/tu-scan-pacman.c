/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pacman (Arch, Manjaro, EndeavourOS): var/lib/pacman/local/NAME-VERSION/desc, one file per
 * installed package. Sections "%FIELD%" followed by one value per line and a blank line;
 * multi-valued sections (%LICENSE%, %DEPENDS%...) have several value lines. Kept: %NAME%,
 * %VERSION%, %BASE% (the source package), %ARCH%, %PACKAGER%, %SIZE% (installed bytes),
 * %INSTALLDATE% (Unix time, recorded as the UTC date) and %LICENSE% (several entries are
 * all of the package's licences: joined with " AND ", as Arch's licence arrays mean).
 * A desc describes one package: when it cannot be parsed the finder warns and skips it.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

enum { F_NAME, F_VERSION, F_BASE, F_ARCH, F_PACKAGER, F_SIZE, F_INSTALLDATE, F_LICENSE, F_LAST };
static const char *const field_names[F_LAST] = {"NAME",	    "VERSION", "BASE",	      "ARCH",
						"PACKAGER", "SIZE",    "INSTALLDATE", "LICENSE"};

static int
field_index (const char *name, gsize len)
{
	for (int i = 0; i < F_LAST; i++)
		if (strlen (field_names[i]) == len && memcmp (field_names[i], name, len) == 0)
			return i;
	return -1;
}

gboolean
tu_pacman_parse_desc (const char *buf, gsize len, const char *path, TuHostScan *scan,
		      GError **error)
{
	GString *values[F_LAST] = {NULL};
	guint value_lines[F_LAST] = {0};
	const char *p = buf;
	const char *end = buf + len;
	guint lineno = 0;
	int current = -2; /* -2: expecting a header; -1: inside a section trueup skips */
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
			current = -2;
		} else if (current == -2) {
			if (n < 3 || p[0] != '%' || p[n - 1] != '%') {
				g_autofree char *shown = tu_scan_clean_field (p, (gssize) MIN (n, 60u));
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: \"%s\" is not a %%FIELD%% header", path, lineno, shown);
				ok = FALSE;
				break;
			}
			current = field_index (p + 1, n - 2);
			if (current >= 0 && values[current] != NULL) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: duplicate field %%%s%%", path, lineno,
					     field_names[current]);
				ok = FALSE;
				break;
			}
			if (current >= 0) {
				values[current] = g_string_new (NULL);
				value_lines[current] = lineno;
			}
		} else if (current >= 0) {
			g_autofree char *v = tu_scan_clean_field (p, (gssize) n);
			if (values[current]->len > 0)
				g_string_append (values[current], current == F_LICENSE ? " AND " : " ");
			if (values[current]->len < TU_SCAN_MAX_FIELD_BYTES)
				g_string_append (values[current], v);
		}
		p = next;
	}

	const char *name = values[F_NAME] ? values[F_NAME]->str : NULL;
	const char *version = values[F_VERSION] ? values[F_VERSION]->str : NULL;
	if (ok && (name == NULL || *name == '\0')) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %%NAME%% field missing", path,
			     values[F_NAME] ? value_lines[F_NAME] : 1);
		ok = FALSE;
	}
	if (ok && (version == NULL || *version == '\0')) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: package %s: %%VERSION%% field missing", path,
			     values[F_VERSION] ? value_lines[F_VERSION] : value_lines[F_NAME], name);
		ok = FALSE;
	}
	if (ok) {
		g_autofree char *date = NULL;
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_PACMAN;
		r.raw_name = name;
		r.raw_version = version;
#define OPT(f) (values[f] && values[f]->len > 0 ? values[f]->str : NULL)
		r.source_package = OPT (F_BASE) ? OPT (F_BASE) : name;
		r.arch = OPT (F_ARCH);
		r.raw_publisher = OPT (F_PACKAGER);
		r.license = OPT (F_LICENSE);
		guint64 v = 0;
		if (OPT (F_SIZE) != NULL) {
			if (g_ascii_string_to_unsigned (OPT (F_SIZE), 10, 0, G_MAXINT64, &v, NULL))
				r.size_bytes = (gint64) v;
			else
				tu_scan_warn_at (scan, path, value_lines[F_SIZE] + 1,
						 "package %s: %%SIZE%% \"%s\" is not a number", name,
						 OPT (F_SIZE));
		}
		if (OPT (F_INSTALLDATE) != NULL) {
			g_autoptr(GDateTime) dt = NULL;
			if (g_ascii_string_to_unsigned (OPT (F_INSTALLDATE), 10, 1, 253402300799u, &v,
							NULL))
				dt = g_date_time_new_from_unix_utc ((gint64) v);
			if (dt != NULL)
				date = g_date_time_format (dt, "%Y-%m-%d");
			else
				tu_scan_warn_at (scan, path, value_lines[F_INSTALLDATE] + 1,
						 "package %s: %%INSTALLDATE%% \"%s\" is not a time", name,
						 OPT (F_INSTALLDATE));
		}
#undef OPT
		r.install_date = date;
		tu_record_list_add (scan->records, &r);
	}
	for (guint i = 0; i < F_LAST; i++)
		if (values[i] != NULL)
			g_string_free (values[i], TRUE);
	return ok;
}

void
tu_source_pacman (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	g_autoptr(GPtrArray) descs = tu_fs_glob (fs, "var/lib/pacman/local/*/desc", 0);
	for (guint i = 0; descs != NULL && i < descs->len; i++) {
		const char *file = g_ptr_array_index (descs, i);
		g_autofree char *shown = tu_fs_display (fs, file);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_META_BYTES, &error);
		if (bytes == NULL) {
			tu_host_scan_warn (scan, "%s (skipped)", error->message);
			continue;
		}
		/* one package per file: a bad one is skipped with a warning (tu-scan.h) */
		if (!tu_pacman_parse_desc (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
					   shown, scan, &error))
			tu_host_scan_warn (scan, "%s (skipped)", error->message);
	}
}
