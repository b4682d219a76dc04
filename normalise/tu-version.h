/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Version schemes: how two version strings of one product order. Each installation carries
 * its scheme (from its source or from the rule that recognised it), so comparisons are made
 * like with like. dpkg and rpm agree with `dpkg --compare-versions` and rpm's rpmvercmp /
 * labelCompare on every pair in tests/data/version-pairs-*.tsv.
 */
#pragma once

#include <glib.h>

#include "tu-scheme.h"

G_BEGIN_DECLS

/* Is @version well-formed for @scheme? The error says why, as the reference tool would
 * ("version 'a:1' has epoch which is not number", "invalid semver: leading zero"). */
gboolean tu_version_validate (TuScheme scheme, const char *version, GError **error);

/* Compare two versions. Returns <0, 0 or >0. Invalid input is compared the way the reference
 * tool compares it where it compares at all (rpm compares anything), otherwise by a
 * deterministic fallback; use tu_version_compare_checked to refuse invalid input. */
int tu_version_compare (TuScheme scheme, const char *a, const char *b);

/* Compare, failing with TU_ERROR_INVALID_DATA when either side is invalid for @scheme. */
gboolean tu_version_compare_checked (TuScheme scheme, const char *a, const char *b, int *result,
				     GError **error);

/* Compare as the scheme's reference tool does on its command line: dpkg refuses what its
 * parser calls an error but compares, with a warning (returned in *@warning, transfer full),
 * what it only warns about; rpm refuses only an empty version; node-semver accepts a leading
 * "v" and blanks; packaging refuses anything that is not PEP 440. */
gboolean tu_version_compare_as_tool (TuScheme scheme, const char *a, const char *b, int *result,
				     char **warning, GError **error);

/* The leading release "cycle" of a version for catalogue matching, with @n_parts numeric
 * parts: ("3.0.11-1~deb12u2", dpkg, 2) -> "3.0"; ("1:2.4.57-2", dpkg, 2) -> "2.4";
 * ("17.0.9+9", semver, 1) -> "17". (transfer full); NULL when there is no numeric start. */
char *tu_version_cycle (TuScheme scheme, const char *version, guint n_parts);

/* The upstream part of a packaged version: dpkg strips the epoch and the Debian revision,
 * rpm the epoch and the release. Others return a copy. (transfer full) */
char *tu_version_upstream (TuScheme scheme, const char *version);

G_END_DECLS
