/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the parts of the OSV code share and nobody else needs: the range and version rules
 * the parser and the evaluator both apply. The store's write is store/tu-osv-store.h.
 */
#pragma once

#include "tu-osv-store.h"
#include "tu-osv.h"

G_BEGIN_DECLS

/* "introduced 0" or "limit *": events that name no version. */
gboolean tu_osv_event_is_special (const TuOsvEvent *e);
/* Does @scheme parse @version? *@why (nullable) gets the reason when not. (transfer full) */
gboolean tu_osv_version_valid (TuScheme scheme, const char *version, char **why);
/* SEMVER ranges compare with SemVer, others with the affected package's scheme. */
TuScheme tu_osv_range_scheme (const TuOsvAffected *a, const TuOsvRange *range);
void tu_osv_set_str (char **slot, const char *value);

G_END_DECLS
