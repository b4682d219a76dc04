/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the parts of the OSV code share and nobody else needs: the range and version rules
 * the parser and the evaluator both apply, the stored form of a record, and the store's write.
 */
#pragma once

#include "tu-osv.h"

G_BEGIN_DECLS

/* "introduced 0" or "limit *": events that name no version. */
gboolean tu_osv_event_is_special (const TuOsvEvent *e);
/* Does @scheme parse @version? *@why (nullable) gets the reason when not. (transfer full) */
gboolean tu_osv_version_valid (TuScheme scheme, const char *version, char **why);
/* SEMVER ranges compare with SemVer, others with the affected package's scheme. */
TuScheme tu_osv_range_scheme (const TuOsvAffected *a, const TuOsvRange *range);
/* An RFC 3339 time as MySQL's DATETIME text in UTC, or NULL. (transfer full) */
char *tu_osv_time_to_sql (const char *s);
/* The stored JSON of ranges, and of a string list (NULL when empty). (transfer full) */
char *tu_osv_ranges_to_json (const GPtrArray *ranges);
char *tu_osv_strings_to_json (const GPtrArray *strings);
void tu_osv_set_str (char **slot, const char *value);

/* Replace one record (and its aliases and affected packages) in its own transaction. */
gboolean tu_osv_store_record (TuDb *db, const TuOsvRecord *record, const char *source_file,
			      GError **error);

G_END_DECLS
