/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The licence tables the importers write (entitlements, contracts, host_attributes, prices)
 * and what the importers check against: the ids already stored, the hosts of the inventory
 * and the products it holds. Over the plain records of common/tu-licence-record.h; each
 * write is one file's rows in one transaction, re-importing an id updates it.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-licence-record.h"

G_BEGIN_DECLS

/* Write @rows (TuEntitlement*), each from line @lines[i] (guint) of @path. */
gboolean tu_licence_store_entitlements (TuDb *db, GPtrArray *rows, GArray *lines,
					const char *path, GError **error);
/* Write @rows (TuContract*) of @path. */
gboolean tu_licence_store_contracts (TuDb *db, GPtrArray *rows, const char *path,
				     GError **error);
/* Write @rows (TuHostAttributes*) of @path. */
gboolean tu_licence_store_host_attributes (TuDb *db, GPtrArray *rows, const char *path,
					   GError **error);
/* Write @rows (TuPrice*), each from line @lines[i] (guint) of @path. */
gboolean tu_licence_store_prices (TuDb *db, GPtrArray *rows, GArray *lines, const char *path,
				  GError **error);

typedef enum {
	TU_LICENCE_IDS_CONTRACTS,	/* contract ids */
	TU_LICENCE_IDS_ENTITLEMENTS,	/* entitlement ids */
	TU_LICENCE_IDS_HOST_ATTRIBUTES, /* host keys with attributes */
	TU_LICENCE_IDS_HOSTS,		/* host names, FQDNs and machine ids of the inventory */
} TuLicenceIds;

/* The stored ids of @which, case-folded (g_utf8_casefold), as a set. (transfer full) */
GHashTable *tu_licence_store_ids (TuDb *db, TuLicenceIds which, GError **error);

/* The distinct normalised products of the inventory, "publisher\x1fproduct" (char*).
 * (transfer full) */
GPtrArray *tu_licence_store_products (TuDb *db, GError **error);

G_END_DECLS
