/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The advisories' tables: vulnerabilities, vuln_aliases and vuln_affected (one OSV record
 * replaced whole at a time) and kev (CISA's known-exploited list, replaced whole). Over the
 * plain records of common/tu-osv-record.h.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-osv-record.h"

G_BEGIN_DECLS

/* Replace one record (and its aliases and affected packages) in its own transaction. */
gboolean tu_osv_store_record (TuDb *db, const TuOsvRecord *record, const char *source_file,
			      GError **error);

/* Replace the known-exploited list with @entries (TuKevEntry*) in one transaction. */
gboolean tu_kev_store_replace (TuDb *db, GPtrArray *entries, GError **error);

G_END_DECLS
