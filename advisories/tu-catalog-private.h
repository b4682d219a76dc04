/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the parts of the catalogue share and nobody else needs: the record helpers of
 * tu-catalog.c (cycles, versions, the cycle rule), for the parser, the importer and the
 * matcher. The store's reads and writes are store/tu-catalog-store.h.
 */
#pragma once

#include "tu-catalog-store.h"
#include "tu-catalog.h"

G_BEGIN_DECLS

/* ---- records (tu-catalog.c) ---- */
void tu_catalog_set_str (char **slot, const char *value);
TuCatalogCycle *tu_catalog_find_cycle (const TuCatalogProduct *p, const char *name);
gboolean tu_catalog_has_identifier (const TuCatalogProduct *p, const char *ident);
/* Newest first: by release date, then by cycle name (generic version order). */
void tu_catalog_sort_cycles (TuCatalogProduct *p);
gboolean tu_catalog_date_julian (const char *s, guint32 *out);
/* @version equals @cycle or starts with it followed by a non-digit. */
gboolean tu_catalog_version_in_cycle (const char *version, const char *cycle);
/* The highest known version of @cycle (ties: the later date). (transfer none) */
const TuCatalogVersion *tu_catalog_highest_in_cycle (const TuCatalogProduct *p,
						     const char *cycle);
/* Cycles without a latest get the highest known version of the cycle. */
void tu_catalog_fill_latest (TuCatalogProduct *p);

/* The stored products (all, or the one named @only_id), sorted by id, with their cycles in
 * catalogue order. (transfer full) */
GPtrArray *tu_catalog_load_products (TuDb *db, const char *only_id, GError **error);

G_END_DECLS
