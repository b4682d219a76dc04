/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A distribution's package index entries and release keys; see tu-pkgindex-record.h. */
#include "tu-pkgindex-record.h"

#include <string.h>

const char *
tu_pkgindex_format_to_string (TuPkgIndexFormat format)
{
	switch (format) {
	case TU_PKGINDEX_DEB:
		return "deb";
	case TU_PKGINDEX_APK:
		return "apk";
	case TU_PKGINDEX_RPM:
		return "rpm";
	default:
		return "unknown";
	}
}

void
tu_pkgindex_entry_free (TuPkgIndexEntry *e)
{
	if (e == NULL)
		return;
	g_free (e->name);
	g_free (e->version);
	g_free (e->arch);
	g_free (e->source);
	g_free (e->source_version);
	g_free (e);
}

TuPkgIndexRelease *
tu_pkgindex_release_new (const char *distro, const char *release, TuPkgIndexFormat format)
{
	TuPkgIndexRelease *r = g_new0 (TuPkgIndexRelease, 1);
	r->distro = g_strdup (distro);
	r->release = g_strdup (release);
	r->format = format;
	r->files = g_ptr_array_new_with_free_func (g_free);
	r->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_pkgindex_entry_free);
	r->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	return r;
}

void
tu_pkgindex_release_free (TuPkgIndexRelease *r)
{
	if (r == NULL)
		return;
	g_free (r->distro);
	g_free (r->release);
	g_ptr_array_unref (r->files);
	g_ptr_array_unref (r->entries);
	g_hash_table_unref (r->seen);
	g_free (r);
}

gboolean
tu_pkgindex_release_add (TuPkgIndexRelease *r, TuPkgIndexEntry *e)
{
	char *key = g_strdup_printf ("%s\x1f%s\x1f%s", e->name, e->arch ? e->arch : "",
				     e->version);
	if (!g_hash_table_add (r->seen, key)) {
		tu_pkgindex_entry_free (e);
		return FALSE;
	}
	g_ptr_array_add (r->entries, e);
	return TRUE;
}

/* distributions released by major version (their minor releases share one archive) */
static const char *const by_major[] = {
	"debian",
	"raspbian",
	"almalinux",
	"rocky",
	"rhel",
	"centos",
	"ol",
	"fedora",
	"amzn",
	NULL,
};

char *
tu_distro_release_key (const char *os_id, const char *version_id)
{
	if (os_id == NULL || version_id == NULL)
		return NULL;
	const char *v = version_id;
	if (*v == 'v' || *v == 'V')
		v++;
	if (!g_ascii_isdigit (*v))
		return NULL;
	gsize n = 0;
	if (g_strv_contains (by_major, os_id)) {
		while (g_ascii_isdigit (v[n]))
			n++;
		return g_strndup (v, n);
	}
	if (strcmp (os_id, "alpine") == 0) {
		/* digits, and one dot followed by a digit */
		guint dots = 0;
		while (g_ascii_isdigit (v[n]) ||
		       (v[n] == '.' && dots++ < 1 && g_ascii_isdigit (v[n + 1])))
			n++;
		return g_strndup (v, n);
	}
	return g_strdup (v);
}

gboolean
tu_distro_scheme (const char *os_id, TuScheme *scheme)
{
	static const char *const dpkg[] = {"debian", "ubuntu", "raspbian", "linuxmint", "pop",
					   "kali", "devuan", NULL};
	static const char *const rpm[] = {"almalinux", "rocky", "rhel", "centos", "ol", "fedora",
					  "amzn", "sles", "sled", "opensuse-leap",
					  "opensuse-tumbleweed", NULL};
	if (os_id == NULL)
		return FALSE;
	if (g_strv_contains (dpkg, os_id))
		*scheme = TU_SCHEME_DPKG;
	else if (g_strv_contains (rpm, os_id))
		*scheme = TU_SCHEME_RPM;
	else if (strcmp (os_id, "alpine") == 0)
		*scheme = TU_SCHEME_APK;
	else
		return FALSE;
	return TRUE;
}
