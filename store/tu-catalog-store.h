/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The catalogue's tables (catalog_products, catalog_identifiers, catalog_cycles,
 * catalog_versions): products written whole and read back, and the inventory facts
 * `trueup catalog --unmapped` needs. Over the plain records of common/tu-catalog-record.h.
 */
#pragma once

#include <glib.h>

#include "tu-catalog-record.h"
#include "tu-db.h"

G_BEGIN_DECLS

/* Store @products (TuCatalogProduct*) in one transaction, each replaced whole. */
gboolean tu_catalog_store_products (TuDb *db, GPtrArray *products, const char *source,
				    GError **error);
/* Products of the store (all, or the one named @only_id), sorted by id; their cycles in no
 * particular order (the catalogue sorts them). (transfer full) */
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
