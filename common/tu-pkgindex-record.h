/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A distribution's package index as the parsers make it (advisories/tu-pkgindex-parse.c:
 * Debian/Ubuntu Packages, Alpine APKINDEX, RPM repodata primary.xml) and the store keeps it
 * (store/tu-pkgindex-store.c): one entry per binary package version, tied to a distribution
 * release. Plain data, so the store and the advisories share it without either reaching the
 * other. Also the one place that says which release of a distribution a host runs in an
 * index's terms (tu_distro_release_key), so the importer and patch agree.
 */
#pragma once

#include <glib.h>

#include "tu-scheme.h"

G_BEGIN_DECLS

typedef enum {
	TU_PKGINDEX_DEB, /* Debian/Ubuntu Packages (deb822 stanzas) */
	TU_PKGINDEX_APK, /* Alpine APKINDEX ("P:name" letter lines) */
	TU_PKGINDEX_RPM, /* RPM repodata primary.xml */
} TuPkgIndexFormat;

/* (transfer none): "deb", "apk", "rpm" */
const char *tu_pkgindex_format_to_string (TuPkgIndexFormat format);

typedef struct {
	char *name;	      /* the binary package */
	char *version;	      /* the distribution's scheme: "3.0.14-1~deb12u2", "1:3.0.7-25.el9" */
	char *arch;	      /* "amd64", "all", "x86_64", "noarch" */
	char *source;	      /* source package (Debian Source:, apk o:, rpm sourcerpm's name) */
	char *source_version; /* its version (Debian "Source: x (v)"; else the binary's) */
	guint line;	      /* where the record starts in its file */
} TuPkgIndexEntry;

void tu_pkgindex_entry_free (TuPkgIndexEntry *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuPkgIndexEntry, tu_pkgindex_entry_free)

/* One distribution release's whole index, as one import replaces it. */
typedef struct {
	char *distro;  /* os-release ID: "debian", "alpine", "almalinux" */
	char *release; /* its release key (tu_distro_release_key): "12", "3.18", "9" */
	TuPkgIndexFormat format;
	GPtrArray *files;   /* char*: the index files, as given */
	GPtrArray *entries; /* TuPkgIndexEntry*, distinct (name, arch, version) */
	GHashTable *seen;   /* "name\x1farch\x1fversion" of @entries (owned keys) */
} TuPkgIndexRelease;

/* (transfer full) */
TuPkgIndexRelease *tu_pkgindex_release_new (const char *distro, const char *release,
					    TuPkgIndexFormat format);
void tu_pkgindex_release_free (TuPkgIndexRelease *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuPkgIndexRelease, tu_pkgindex_release_free)
/* Add @e (transfer full) unless the same (name, arch, version) is there already (the same
 * package in two suites of one release: bookworm and bookworm-updates); TRUE when added. */
gboolean tu_pkgindex_release_add (TuPkgIndexRelease *r, TuPkgIndexEntry *e);

/* The release key an index of distribution @os_id (os-release ID, lower case) is stored
 * under for a host whose VERSION_ID is @version_id: Debian and the Enterprise Linux family
 * by major ("12.8" -> "12", "9.3" -> "9"), Alpine by major.minor ("3.18.4" -> "3.18", "v3.18"
 * -> "3.18"), Ubuntu and everything else as given ("22.04"). NULL when @version_id has no
 * digit to start with. (transfer full) */
char *tu_distro_release_key (const char *os_id, const char *version_id);

/* The version scheme of the distribution's packages: dpkg (Debian, Ubuntu and their
 * derivatives), apk (Alpine), rpm (the rest we know). FALSE when @os_id is none of those. */
gboolean tu_distro_scheme (const char *os_id, TuScheme *scheme);

G_END_DECLS
