/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The release catalogue's records: a product with its identifiers, release cycles and known
 * versions, as the parsers make them (advisories/tu-catalog-parse.c), the store keeps them
 * (store/tu-catalog-store.c) and the matcher reads them. Plain data and memory only, so that
 * the store and the advisories share them without either reaching the other.
 *
 * Ownership: a TuCatalogProduct owns its strings and arrays.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	char *cycle;
	char *codename;
	char *label;	    /* releaseLabel with its placeholders filled ("11 23H2 (W)"), or NULL */
	char *release_date; /* YYYY-MM-DD or NULL */
	char *latest;
	char *latest_date;
	char *eol;	   /* YYYY-MM-DD or NULL */
	int eol_flag;	   /* -1: a date or unknown; 0: false (no end announced); 1: true (ended) */
	char *support_end; /* end of active support (eoas) */
	int support_flag;
	char *extended_end; /* end of extended support (eoes) */
	gboolean lts;
} TuCatalogCycle;

typedef struct {
	char *version;
	char *date; /* YYYY-MM-DD or NULL */
} TuCatalogVersion;

typedef struct {
	char *id; /* endoflife slug, or "csv:PUBLISHER/PRODUCT" */
	char *title;
	char *category;
	char *publisher; /* in-house CSV rows name the normalised publisher and product */
	char *product;
	GPtrArray *identifiers; /* char*: "purl:pkg:deb/debian/openssl",
				 * "cpe:cpe:2.3:a:openssl:openssl", "repology:openssl" */
	GPtrArray *cycles;	/* TuCatalogCycle* */
	GPtrArray *versions;	/* TuCatalogVersion* */
	GPtrArray *warnings;	/* char*: records read with something ignored ("FILE:LINE: cycle
				 * 1: eol: ... (the cycle's support dates are ignored ...)") */
} TuCatalogProduct;

TuCatalogProduct *tu_catalog_product_new (const char *id);
void tu_catalog_product_free (TuCatalogProduct *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuCatalogProduct, tu_catalog_product_free)

TuCatalogCycle *tu_catalog_cycle_new (const char *name);
void tu_catalog_cycle_free (TuCatalogCycle *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuCatalogCycle, tu_catalog_cycle_free)
void tu_catalog_version_free (TuCatalogVersion *v);
/* An array that frees its TuCatalogProduct*. (transfer full) */
GPtrArray *tu_catalog_products_new (void);

G_END_DECLS
