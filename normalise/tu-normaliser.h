/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The normaliser: raw discovery -> canonical publisher, product, edition, release, version and
 * version scheme, with the rule that decided it. Rules come from data/fingerprints (compiled
 * in) and from the user's rules directory; results are cached by (source, raw name,
 * publisher, version, arch) because an estate repeats the same few thousand strings.
 *
 * Thread safety: tu_normaliser_apply may be called from several threads at once; the cache is
 * guarded by a mutex, the compiled rules are read-only and each thread has its own PCRE2
 * match data.
 */
#pragma once

#include <glib.h>

#include "tu-record.h"
#include "tu-version.h"

G_BEGIN_DECLS

typedef enum {
	TU_KIND_APPLICATION = 0,
	TU_KIND_UPDATE,	       /* security updates, hotfixes, KBs */
	TU_KIND_LANGUAGE_PACK, /* MUI, language packs, proofing tools */
	TU_KIND_COMPONENT,     /* part of a suite, counted under component_of */
	TU_KIND_SYSTEM,	       /* OS components, drivers, runtimes that ship with the OS */
	TU_KIND_LAST
} TuKind;

const char *tu_kind_to_string (TuKind kind);
gboolean tu_kind_from_string (const char *s, TuKind *out);

/* What a record is, for triage: who must look at it. Components, drivers and the operating
 * system's own parts are never a licence manager's question; an unknown record may be. */
typedef enum {
	TU_CLASS_UNKNOWN = 0,
	TU_CLASS_COMMERCIAL,  /* sold by licence */
	TU_CLASS_FREEWARE,    /* free to use, not open source */
	TU_CLASS_OPEN_SOURCE, /* an open-source licence */
	TU_CLASS_COMPONENT,   /* part of another product: runtimes it installs, helpers, updates */
	TU_CLASS_DRIVER,      /* hardware drivers and their utilities */
	TU_CLASS_OS,	      /* Windows features, roles, system AppX, distribution base packages */
	TU_CLASS_LAST
} TuClass;

/* "commercial", "freeware", "open-source", "component", "driver", "os", "unknown" */
const char *tu_class_to_string (TuClass klass);
gboolean tu_class_from_string (const char *s, TuClass *out);

/* A normalised product. Strings are owned by the normaliser and live as long as it does. */
typedef struct {
	const char *publisher;
	const char *product;
	const char *edition;	  /* "" when none */
	const char *release;	  /* marketing release licences are sold by: 2019, 19c, DC; or "" */
	const char *version;	  /* build version */
	/* the upstream version of a distribution package (dpkg, rpm, apk, pacman): no epoch,
	 * no distribution revision or suffix ("1:3.0.7-27.el9" -> "3.0.7"); NULL otherwise */
	const char *upstream_version;
	TuScheme scheme;
	TuClass klass;
	TuKind kind;
	const char *component_of; /* suite product, or NULL */
	const char *cpe;	  /* CPE 2.3, or NULL */
	const char *purl;	  /* package URL, or NULL */
	gboolean is_licensable;
	gboolean is_recognised;
	const char *rule;	  /* "file:line" of the rule that fired; NULL for the fallback */
	const char *metric;	  /* default licence metric hint of the rule, or NULL */
} TuProduct;

typedef struct _TuNormaliser TuNormaliser;

/* Load the shipped rules and those of @user_rules_dir (may be NULL). A broken rule set (bad
 * pattern, unknown field, failing inline test) is an error naming file and line: trueup never
 * runs with rules silently skipped. (transfer full) */
TuNormaliser *tu_normaliser_new (const char *user_rules_dir, GError **error);
/* A normaliser with no rules: only the alias table and the fallback cleaning. */
TuNormaliser *tu_normaliser_new_fallback (void);
void tu_normaliser_free (TuNormaliser *norm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuNormaliser, tu_normaliser_free)

/* Normalise one record. (transfer none): valid as long as @norm. */
const TuProduct *tu_normaliser_apply (TuNormaliser *norm, const TuRecord *record);

/* The default version scheme of a source (dpkg -> dpkg, rpm -> rpm, pip -> pep440, ...). */
TuScheme tu_scheme_for_source (TuSource source);

/* The canonical spelling of a publisher ("Microsoft Corporation" -> "Microsoft"); the input
 * itself when no alias matches. (transfer none) valid as long as @norm. */
const char *tu_normaliser_publisher (TuNormaliser *norm, const char *publisher);

/* The cleaned product name of the fallback: language tags, bitness and architecture markers,
 * trailing versions stripped. (transfer full) */
char *tu_normaliser_clean_name (const char *raw_name);

/* The upstream version of a distribution package's version: the epoch, the distribution's
 * revision and its suffixes stripped ("1:9.2p1-2+deb12u7" -> "9.2p1", "2.4.57-1ubuntu2" ->
 * "2.4.57", "1.2.3-r0" -> "1.2.3", "1:3.0.7-27.el9" -> "3.0.7", "2.0+really1.9-1" -> "1.9").
 * NULL when @source is not a distribution's package manager. (transfer full) */
char *tu_normaliser_upstream_version (TuSource source, const char *version);

/* Number of rules loaded, and a digest of the rule set (changes when any rule changes). */
guint tu_normaliser_n_rules (TuNormaliser *norm);
const char *tu_normaliser_digest (TuNormaliser *norm);

G_END_DECLS

G_BEGIN_DECLS

/* Run every inline test of the rule set. Returns the number of tests run; failures are
 * appended to @failures as "file:line: test \"NAME\": expected F=V, got W". */
guint tu_normaliser_run_tests (TuNormaliser *norm, GPtrArray *failures);

/* The rule set behind the normaliser. (transfer none) */
struct _TuRuleSet *tu_normaliser_get_rules (TuNormaliser *norm);

/* How every rule fared for one input, for --explain: the result and the rules that matched or
 * nearly matched. (transfer full) TuRuleTrace* (see tu-rules.h) */
GPtrArray *tu_normaliser_explain (TuNormaliser *norm, const TuRecord *record);

G_END_DECLS
