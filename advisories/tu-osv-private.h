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

/* The stored ranges (and versions) column in the compact form the store writes, read without
 * json-glib into @ranges (TuOsvRange*; @strings char*). FALSE, with nothing added, for any
 * other text, which json-glib then reads (or refuses) as before. */
gboolean tu_osv_ranges_read_plain (const char *text, GPtrArray *ranges);
gboolean tu_osv_strings_read_plain (const char *text, GPtrArray *strings);
/* tu_osv_affected_from_json, with the plain reader allowed or not (the fuzz harness and the
 * tests compare both ways). */
TuOsvAffected *tu_osv_affected_from_json_full (const char *ecosystem, const char *package,
					       const char *scheme, const char *ranges_json,
					       const char *versions_json, gboolean plain_allowed,
					       GError **error);

G_END_DECLS
