/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Distribution package indexes: what a distribution release publishes, package by package, so
 * that patch judges a distribution package's `latest` and `behind` by its distribution's own
 * versions. Three formats, told apart by content: Debian/Ubuntu `Packages` (deb822 stanzas;
 * Package, Version, Architecture, Source), Alpine `APKINDEX` (letter lines P:, V:, A:, o:) and
 * RPM repodata `primary.xml` (GMarkup). Each may be compressed (gzip, xz, lz4 frames, told by
 * their magic bytes); an APKINDEX.tar.gz is read through its tar to the APKINDEX member.
 *
 * The parsers take a buffer and a length (the fuzz harnesses call them directly). A record
 * without a name or a version, or with a version its scheme refuses, is a warning naming the
 * file, line and field, and the rest goes on; only a buffer that is not such an index at all
 * is an error. The import (tu_pkgindex_import) reads every file of one distribution release
 * first and replaces that release's stored index in one transaction, so a failed import
 * leaves the old index.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-pkgindex-record.h"
#include "tu-warnings.h"

G_BEGIN_DECLS

/* The largest index accepted, decompressed (Debian 12's main amd64 Packages is ~95 MB). */
#define TU_PKGINDEX_MAX_SIZE (1024u * 1024u * 1024u)

/* @raw decompressed by its magic bytes (gzip, including concatenated members; xz; lz4
 * frames), or @raw itself when it is none of them. @file names it in errors. An APKINDEX
 * tarball's APKINDEX member is returned, not the tar. (transfer full) */
GBytes *tu_pkgindex_decompress (const char *file, GBytes *raw, gsize max_size, GError **error);

/* Which format @buf is: APKINDEX when its first line is a letter field ("C:", "P:"), RPM when
 * it is XML, else Debian's. */
TuPkgIndexFormat tu_pkgindex_sniff (const char *buf, gsize len);

/* Parse @buf (decompressed) as @format, appending a TuPkgIndexEntry* to @entries per valid
 * record, and a warning (file, line, field) to @warnings per refused one. FALSE with @error
 * only when @buf is not such an index at all (not UTF-8 / not XML / no record). */
gboolean tu_pkgindex_parse (TuPkgIndexFormat format, const char *file, const char *buf,
			    gsize len, GPtrArray *entries, TuWarnings *warnings, GError **error);

/* A Debian/Ubuntu Release or InRelease file (a clear-signed one is read without its
 * signature, which apt has checked): the distribution ("debian", from Origin) and release key
 * (from Version: "12.8" -> "12", "12-updates" -> "12"). FALSE with @error when it has no
 * Origin or no Version that starts with a digit. */
gboolean tu_pkgindex_parse_release (const char *file, const char *buf, gsize len, char **distro,
				    char **release, GError **error);

/* The Release (or InRelease) file that describes the index @path, as apt and a mirror lay
 * them out: RELEASE beside it ("Release", "InRelease"), apt's lists naming
 * ("HOST_debian_dists_bookworm_main_binary-amd64_Packages.lz4" ->
 * "HOST_debian_dists_bookworm_InRelease"), or a mirror's dists/SUITE/COMPONENT/binary-ARCH/
 * Packages -> dists/SUITE/InRelease. NULL when none exists. (transfer full) */
char *tu_pkgindex_find_release (const char *path);

typedef struct {
	guint n_files;
	guint n_records;  /* entries read */
	guint n_packages; /* distinct (name, arch, version) stored */
	guint n_refused;  /* records refused with a warning */
	guint n_releases; /* distribution releases replaced */
} TuPkgIndexImportStats;

/* Import the index files @paths (NULL-terminated). @distro: "ID:RELEASE" ("debian:12",
 * "alpine:3.18") for every file, or NULL to read each Debian index's Release file (see
 * tu_pkgindex_find_release; APKINDEX and RPM indexes need @distro). The files of one
 * distribution release together replace its stored index, in one transaction per release.
 * FALSE when a file cannot be read or is not an index, when a release is unknown, or when the
 * store fails: then no release of this call is changed. */
gboolean tu_pkgindex_import (TuDb *db, const char *distro, const char *const *paths,
			     TuPkgIndexImportStats *stats, TuWarnings *warnings, GError **error);

/* The stored indexes patch reads: of the releases its hosts run, the packages they have. */
typedef struct _TuPkgIndexSet TuPkgIndexSet;
/* (transfer full) */
TuPkgIndexSet *tu_pkgindex_set_new (void);
void tu_pkgindex_set_free (TuPkgIndexSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuPkgIndexSet, tu_pkgindex_set_free)

/* Read which releases have a stored index. FALSE only when the store fails. */
gboolean tu_pkgindex_set_prepare (TuPkgIndexSet *set, TuDb *db, GError **error);
/* Whether any release has one (after tu_pkgindex_set_prepare). */
gboolean tu_pkgindex_set_is_empty (TuPkgIndexSet *set);
/* Ask for binary package @name of the release a host with os-release @os_id and @version_id
 * runs (nothing when that release has no stored index). */
void tu_pkgindex_set_want (TuPkgIndexSet *set, const char *os_id, const char *version_id,
			   const char *name);
/* Read the versions of every package asked for, a thousand names a query. FALSE only when
 * the store fails. Judging (tu_pkgindex_set_lookup) reads nothing. */
gboolean tu_pkgindex_set_load (TuPkgIndexSet *set, TuDb *db, GError **error);

typedef enum {
	TU_PKGINDEX_NO_INDEX,	/* no index of the host's release is imported */
	TU_PKGINDEX_NOT_LISTED, /* there is one, and the package is not in it */
	TU_PKGINDEX_LISTED,	/* @latest and @behind are set */
} TuPkgIndexLookup;

/* Binary package @name installed at @installed on a host of @os_id @version_id: its newest
 * version in the release's index (or @installed when that is newer) in @latest, how many of
 * the index's versions of it are newer than @installed in @behind (-1 when @installed is not a
 * version of the distribution's scheme), whether the index lists @installed itself in
 * @listed, and the index's name ("debian 12") in @label. (transfer full) @latest, @label */
TuPkgIndexLookup tu_pkgindex_set_lookup (TuPkgIndexSet *set, const char *os_id,
					 const char *version_id, const char *name,
					 const char *installed, char **latest, gint *behind,
					 gboolean *listed, char **label);

G_END_DECLS
