/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Importing what was bought and what scans cannot see, from CSV files with a header line:
 * entitlements, contracts, host attributes and a price list. A file is all or nothing: every
 * row is checked first (errors name file, line and column), then the whole file is written in
 * one transaction; re-importing an id updates it. Publishers, products and editions go through
 * the normaliser's alias tables and product facts, so "Microsoft Corporation" in a purchase
 * record is "Microsoft", and a product trueup does not know is an error with the closest names.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-normaliser.h"

G_BEGIN_DECLS

typedef struct {
	guint n_rows;
	guint n_new;
	guint n_updated;
	guint n_unknown_hosts; /* host attributes for hosts not in the inventory (yet) */
} TuImportStats;

gboolean tu_import_entitlements (TuDb *db, TuNormaliser *norm, const char *path,
				 TuImportStats *stats, GError **error);
gboolean tu_import_contracts (TuDb *db, const char *path, TuImportStats *stats, GError **error);
gboolean tu_import_host_attributes (TuDb *db, const char *path, TuImportStats *stats,
				    GError **error);
gboolean tu_import_prices (TuDb *db, TuNormaliser *norm, const char *path, TuImportStats *stats,
			   GError **error);

G_END_DECLS
