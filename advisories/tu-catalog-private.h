/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the parts of the catalogue share and nobody else needs: the record helpers of
 * tu-catalog.c (cycles, versions, the cycle rule), the store's reads and writes
 * (tu-catalog-store.c), for the parser, the importer and the matcher.
 */
#pragma once

#include "tu-catalog.h"

G_BEGIN_DECLS

/* ---- records (tu-catalog.c) ---- */
TuCatalogCycle *tu_catalog_cycle_new (const char *name);
void tu_catalog_cycle_free (TuCatalogCycle *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuCatalogCycle, tu_catalog_cycle_free)
void tu_catalog_version_free (TuCatalogVersion *v);
/* An array that frees its TuCatalogProduct*. (transfer full) */
GPtrArray *tu_catalog_products_new (void);
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

/* ---- the store (tu-catalog-store.c) ---- */
/* Store @products (TuCatalogProduct*) in one transaction, each replaced whole. */
gboolean tu_catalog_store_products (TuDb *db, GPtrArray *products, const char *source,
				    TuCatalogImportStats *stats, GError **error);
/* Products of the store (all, or the one named @only_id), sorted by id. (transfer full) */
GPtrArray *tu_catalog_store_load (TuDb *db, const char *only_id, GError **error);
/* The distinct os_id of the hosts (char*). (transfer full) */
GPtrArray *tu_catalog_store_os_ids (TuDb *db, GError **error);

/* One distinct normalised product of the inventory, as --unmapped matches it. Strings are
 * borrowed for the call and may be NULL. */
typedef struct {
	const char *publisher;
	const char *product;
	const char *purl; /* the normalised purl, else the record's */
	const char *cpe;
	const char *source;
	const char *raw_name;
	const char *source_package;
} TuCatalogSoftware;
typedef void (*TuCatalogSoftwareFunc) (const TuCatalogSoftware *sw, gpointer user_data);
gboolean tu_catalog_store_each_software (TuDb *db, TuCatalogSoftwareFunc func,
					 gpointer user_data, GError **error);

G_END_DECLS
