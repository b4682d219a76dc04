/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Vulnerability advisories: OSV records (JSON, or YAML as the PyPA database writes them),
 * CVSS v3 base scores computed from vectors, and CISA's known-exploited vulnerabilities.
 *
 * An OSV record names affected packages per ecosystem with ranges (ECOSYSTEM, SEMVER: events
 * introduced / fixed / last_affected / limit) and explicit version lists. Versions are compared
 * with the ecosystem's scheme: rpm for AlmaLinux, Rocky Linux, Red Hat, SUSE/openSUSE; dpkg for
 * Debian and Ubuntu; apk for Alpine; PEP 440 for PyPI; SemVer for npm, Go and crates.io;
 * generic otherwise. GIT ranges (commit hashes) cannot be matched to installed versions: they
 * are counted and reported, never guessed. A version the scheme cannot parse makes a verdict
 * "unknown", never "affected" or "safe".
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-osv-record.h"
#include "tu-version.h"
#include "tu-warnings.h"

G_BEGIN_DECLS

void tu_osv_record_free (TuOsvRecord *r);
void tu_osv_affected_free (TuOsvAffected *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuOsvRecord, tu_osv_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuOsvAffected, tu_osv_affected_free)

/* Parse one file: a record, or an array of records, in JSON or YAML (detected from content).
 * Valid records go to @records (TuOsvRecord*); invalid ones are not added, and their reason goes
 * to @rejected ("PATH: ID: reason", e.g. a range without an "introduced" event, an empty
 * "affected", an unknown range type). Returns FALSE with @error only when the file itself cannot
 * be read as JSON/YAML or is not OSV at all (then nothing of it is used). */
gboolean tu_osv_parse (const char *buf, gsize len, const char *path, GPtrArray *records,
		       GPtrArray *rejected, GError **error);

typedef struct {
	guint n_files;
	guint n_records;	   /* stored */
	guint n_rejected;	   /* records refused (see messages) */
	guint n_files_refused;	   /* files that were not OSV at all */
	guint n_affected;
	guint n_git_ranges;	   /* counted, not matchable */
	guint n_invalid_versions;
} TuOsvImportStats;

/* Import a file or every *.json / *.yaml / *.yml under a directory (recursively). Each record is
 * stored on its own (an id imported again replaces the old record); refused files and records
 * are reported in @messages and the rest goes on. FALSE only when the path cannot be
 * read or the store fails. */
gboolean tu_osv_import (TuDb *db, const char *path, TuOsvImportStats *stats, TuWarnings *messages,
			GError **error);

/* The scheme of an ecosystem ("AlmaLinux" -> rpm, "Debian" -> dpkg, "PyPI" -> pep440, ...). */
TuScheme tu_osv_scheme_for_ecosystem (const char *ecosystem_base);
/* The lookup key of a package name: PEP 503 normalisation for PyPI ("Jinja2" -> "jinja2",
 * "zope.interface" -> "zope-interface"), lower case for npm, as written elsewhere.
 * (transfer full) */
char *tu_osv_package_key (const char *ecosystem_base, const char *name);

typedef enum {
	TU_OSV_NOT_AFFECTED,
	TU_OSV_AFFECTED,
	TU_OSV_UNKNOWN, /* a version the scheme cannot parse: reported, never guessed */
} TuOsvVerdict;

/* Is @version affected by @a (ranges as the OSV specification evaluates them: events sorted
 * by version, "0" first; last_affected inclusive; limit exclusive; or listed in versions)?
 * For an affected version, *@fixed (when not NULL) gets the lowest "fixed" version above it,
 * or NULL when nothing fixes it. For UNKNOWN, *@why (when not NULL) says what could not be
 * parsed. (transfer full) strings. */
TuOsvVerdict tu_osv_affected_eval (const TuOsvAffected *a, const char *version, char **fixed,
				   char **why);

/* The same, for one affected package judged against many versions: its ranges' events are
 * checked and sorted once, when the matcher is made. @a must outlive the matcher.
 * tu_osv_matcher_eval answers exactly as tu_osv_affected_eval does (which makes a matcher for
 * one call). */
typedef struct _TuOsvMatcher TuOsvMatcher;
TuOsvMatcher *tu_osv_matcher_new (const TuOsvAffected *a);
void tu_osv_matcher_free (TuOsvMatcher *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuOsvMatcher, tu_osv_matcher_free)
TuOsvVerdict tu_osv_matcher_eval (const TuOsvMatcher *m, const char *version, char **fixed,
				  char **why);

/* An affected package rebuilt from its stored columns (ranges and versions JSON). */
TuOsvAffected *tu_osv_affected_from_json (const char *ecosystem, const char *package,
					  const char *scheme, const char *ranges_json,
					  const char *versions_json, GError **error);

/* CVSS v3.0/v3.1 base score of a vector ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" ->
 * 9.8), computed with the specification's formulas and rounding. */
gboolean tu_cvss3_base_score (const char *vector, double *score, GError **error);

/* CVSS v4.0 score of a vector ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
 * -> 9.3) by the specification's macro vectors and severity distances (section 8.2). Threat and
 * environmental metrics count when given (the score is then CVSS-BT, -BE or -BTE, as the
 * specification names them); supplemental metrics are checked and do not count. */
gboolean tu_cvss4_score (const char *vector, double *score, GError **error);

/* One severity scale for every source. */
typedef enum {
	TU_SEVERITY_UNKNOWN = 0,
	TU_SEVERITY_NONE,
	TU_SEVERITY_LOW,
	TU_SEVERITY_MEDIUM,
	TU_SEVERITY_HIGH,
	TU_SEVERITY_CRITICAL,
} TuSeverity;

/* The qualitative rating of a CVSS v3/v4 base score (0.0 none, 0.1-3.9 low, 4.0-6.9 medium,
 * 7.0-8.9 high, 9.0-10.0 critical). */
TuSeverity tu_severity_from_score (double score);
/* A severity label of an advisory, from the table of the labels the feeds use (GHSA's
 * CRITICAL/HIGH/MODERATE/LOW, Red Hat's and AlmaLinux's Critical/Important/Moderate/Low,
 * Ubuntu's priorities, Debian's urgencies), any case. FALSE for a label not in the table. */
gboolean tu_severity_from_label (const char *label, TuSeverity *out);
const char *tu_severity_to_string (TuSeverity s); /* "critical" ... "none", "unknown" */

/* CISA's known-exploited vulnerabilities, JSON or CSV (detected from content). Replaces the
 * stored list in one transaction. */
gboolean tu_kev_import (TuDb *db, const char *path, guint *n_cves, GError **error);

G_END_DECLS
