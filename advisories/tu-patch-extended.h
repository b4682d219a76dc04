/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Paid extended support bought through an entitlement: an entitlement whose extended_support
 * column is set (migration 0011) is a purchase of the catalogue's paid extended support
 * (Windows ESU, RHEL ELS) for the hosts its scope selects, from its start to its end. The
 * scope is matched as the licence engine matches it (tu_scope_problem, common/), against the
 * imported host attributes. Patch asks, per host, which purchases select it, and per
 * installation, whether one of them covers its catalogue product and cycle on the day judged.
 */
#pragma once

#include <glib.h>

#include "tu-catalog.h"
#include "tu-db.h"
#include "tu-warnings.h"

G_BEGIN_DECLS

typedef struct {
	char *id;	  /* the entitlement */
	char *catalog_id; /* the catalogue product it is for; NULL when none matches */
	char *release;	  /* "" any; else the cycle, or its first part ("10" is 10-22h2) */
	char *scope;
	guint32 start, end; /* Julian days; 0: none */
} TuExtendedPurchase;

typedef struct _TuExtendedSupport TuExtendedSupport;

/* The purchases of extended support among the stored entitlements, and the host attributes
 * their scopes are matched against. "yes" is resolved to the catalogue product of the
 * entitlement's publisher and product through @catalog (as installations are); a purchase
 * that names no product of a catalogue that has some covers nothing, and is a warning in
 * @warnings (nullable) naming it. *@n_unmatched (nullable) counts them. */
TuExtendedSupport *tu_extended_support_load (TuDb *db, TuCatalog *catalog, TuWarnings *warnings,
					     guint *n_unmatched, GError **error);
/* The warnings tu_extended_support_load gives, against the stored catalogue: for
 * `import entitlements`, so that a purchase that would count for nothing says so at once. */
gboolean tu_extended_support_check (TuDb *db, TuWarnings *warnings, GError **error);
void tu_extended_support_free (TuExtendedSupport *es);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuExtendedSupport, tu_extended_support_free)

/* The purchases whose scope selects the host (its attributes found by lower-case name, else
 * machine id; a host without attributes is selected only by an empty scope); NULL when
 * none. The array's elements are borrowed from @es. (transfer container) */
GPtrArray *tu_extended_support_for_host (TuExtendedSupport *es, const char *name,
					 const char *machine_id);

/* Among @purchases (nullable), the one covering catalogue product @catalog_id in @cycle on day
 * @at (the one ending last when several do), or NULL; then *@lapsed (nullable) is the one
 * for that product and cycle that ended last before @at, if any. */
const TuExtendedPurchase *tu_extended_support_find (const GPtrArray *purchases,
						    const char *catalog_id, const char *cycle,
						    guint32 at, const TuExtendedPurchase **lapsed);

G_END_DECLS
