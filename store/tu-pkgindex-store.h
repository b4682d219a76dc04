/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The package index tables (package_index_releases, package_index): each distribution
 * release's index replaced whole, and read back for patch. Over the plain records of
 * common/tu-pkgindex-record.h.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-pkgindex-record.h"

G_BEGIN_DECLS

/* Replace the stored index of each release of @releases (TuPkgIndexRelease*) with its entries,
 * all in one transaction: on failure no release is changed. */
gboolean tu_pkgindex_store_replace (TuDb *db, GPtrArray *releases, GError **error);

G_END_DECLS
