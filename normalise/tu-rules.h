/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fingerprint rules: the compiled form of the "rule", "publisher" and "product" stanzas of
 * data/fingerprints (see data/fingerprints/README.md for the format). A TuRuleSet is
 * built once, then only read: matching is safe from several threads.
 *
 *   rule ID          conditions (PCRE2, JIT) on name, publisher, version, source, arch,
 *                    source package, purl; templates producing the normalised fields;
 *                    inline tests. Higher priority first; a user rule with a shipped rule's
 *                    ID replaces it.
 *   publisher NAME   alias patterns that map raw publisher spellings to NAME.
 *   product P / N    edition hierarchy, free editions, base edition, release order and dates,
 *                    the default licence metric.
 */
#pragma once

#include <glib.h>
#include <pcre2.h>

#include "tu-record.h"
#include "tu-stanza.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (pcre2_code, pcre2_code_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (pcre2_match_data, pcre2_match_data_free)

typedef struct _TuRuleSet TuRuleSet;
typedef struct _TuRule TuRule;

/* What a rule sees of a record. Strings may be NULL (treated as ""). */
typedef struct {
	TuSource source;
	const char *raw_name;
	const char *raw_publisher;
	const char *publisher; /* canonical spelling, after aliases */
	const char *version;   /* raw version */
	const char *arch;
	const char *srcpkg;
	const char *purl;
} TuRuleInput;

/* The fields a rule produced; NULL where the rule set nothing. (transfer full) strings. */
typedef struct {
	char *publisher;
	char *product;
	char *edition;
	char *release;
	char *version;
	char *scheme;
	char *kind;
	char *licensable;
	char *component_of;
	char *cpe;
	char *purl;
	char *metric;
	char *klass;
	const TuRule *rule;
} TuRuleResult;

void tu_rule_result_clear (TuRuleResult *r);

/* An inline test of a rule: input and expected fields. */
typedef struct {
	const TuRule *rule;
	const char *file;
	guint line;
	TuRuleInput input;	/* strings owned by the test */
	GHashTable *expect;	/* field -> expected value */
} TuRuleTest;

/* Licensing facts about a product (the "product" stanza). */
typedef struct {
	char *publisher;
	char *product;
	char *base_edition;	     /* "" when the product has no editions */
	char *metric;		     /* default metric, or NULL */
	GPtrArray *editions;	     /* char*, every edition named in the hierarchy */
	GHashTable *covers;	     /* "A\x1fB" -> TRUE when edition A covers edition B */
	GHashTable *free_editions;   /* edition -> TRUE */
	GPtrArray *release_order;    /* char*, oldest first, when given */
	GHashTable *release_dates;   /* release -> "YYYY-MM-DD" */
	const char *file;
	guint line;
} TuProductInfo;

TuRuleSet *tu_rule_set_new (void);
void tu_rule_set_free (TuRuleSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuRuleSet, tu_rule_set_free)

/* Add the stanzas of one file. @is_user: from the user's rules directory (overrides shipped
 * rules of the same ID, and is tried first at equal priority). Errors name file:line and, for
 * a bad pattern, the PCRE2 error offset. Stanza kinds other than rule/publisher/product are
 * left to other readers (the binary fingerprints). */
gboolean tu_rule_set_add_file (TuRuleSet *set, const char *display_path, const char *data,
			       gsize len, gboolean is_user, GError **error);
/* Resolve overrides and sort by priority. Call once after the last add. */
gboolean tu_rule_set_finish (TuRuleSet *set, GError **error);

guint tu_rule_set_n_rules (TuRuleSet *set);
/* SHA-256 over every file's contents in load order. (transfer none) */
const char *tu_rule_set_digest (TuRuleSet *set);

/* Does @s (@len bytes) hold only what installers add to a product's name: versions,
 * architectures, language tags, per-user/per-machine, Installer/Setup, pre-release words?
 * What a "noise" group may capture; the fallback drops brackets holding only that. */
gboolean tu_rules_is_noise (const char *s, gsize len);

/* The literal prefilter (on by default): each rule's longest required literal, indexed by a
 * trigram, decides which rules a record is tried against. Turning it off (for tests that
 * compare both ways) tries every rule. */
void tu_rule_set_set_prefilter (TuRuleSet *set, gboolean enabled);
/* How many rules have a literal. */
guint tu_rule_set_n_prefiltered (TuRuleSet *set);
/* The rule's required literals (lower case; a match contains one of them), or NULL.
 * (transfer none) char* */
GPtrArray *tu_rule_prefilter (const TuRule *rule);

/* First matching rule by priority: TRUE and @out filled, or FALSE when none matched. */
gboolean tu_rule_set_match (TuRuleSet *set, const TuRuleInput *input, TuRuleResult *out);

/* The canonical spelling for a raw publisher, or NULL when no alias matches. */
const char *tu_rule_set_publisher_alias (TuRuleSet *set, const char *raw_publisher);

/* The class a publisher stanza gives its publisher ("open-source" for the Apache Software
 * Foundation), or NULL. (transfer none) */
const char *tu_rule_set_publisher_class (TuRuleSet *set, const char *canonical);
/* Every canonical publisher name of the alias table, in file order. (transfer container) */
GPtrArray *tu_rule_set_canonical_publishers (TuRuleSet *set);
/* The rules in match order. (transfer none) TuRule* */
GPtrArray *tu_rule_set_rules (TuRuleSet *set);
/* Does the rule say whether it is licensable (a licensable or class line)? */
gboolean tu_rule_sets_licensable (const TuRule *rule);
/* The template of a rule's "set FIELD" line, or NULL. (transfer none) */
const char *tu_rule_set_value (const TuRule *rule, const char *field);

/* All inline tests. (transfer none) TuRuleTest* */
GPtrArray *tu_rule_set_tests (TuRuleSet *set);

/* Product information by canonical publisher and product, or NULL. (transfer none) */
const TuProductInfo *tu_rule_set_product_info (TuRuleSet *set, const char *publisher,
					       const char *product);
/* Every product stanza. (transfer none) TuProductInfo* */
GPtrArray *tu_rule_set_products (TuRuleSet *set);
/* Every literal product name the rules can produce ("publisher\x1fproduct"), for suggestions.
 * (transfer none) */
GPtrArray *tu_rule_set_known_products (TuRuleSet *set);
/* Does @edition_a cover @edition_b for this product (equal editions always do)? */
gboolean tu_product_info_covers (const TuProductInfo *info, const char *edition_a,
				 const char *edition_b);

/* Explanation of how every rule fared against @input, best first, for --explain. */
typedef struct {
	const TuRule *rule;
	guint n_conditions;
	guint n_passed;
	char *failed; /* the first condition that failed, e.g. "publisher /^Microsoft$/" */
	gboolean matched;
	GPtrArray *captures; /* "name=value" char* of the conditions that passed */
} TuRuleTrace;

/* (transfer full): TuRuleTrace*, rules that matched or passed at least one condition, ordered
 * matched first, then by the share of conditions passed. */
GPtrArray *tu_rule_set_explain (TuRuleSet *set, const TuRuleInput *input);

const char *tu_rule_id (const TuRule *rule);
const char *tu_rule_file (const TuRule *rule);
guint tu_rule_line (const TuRule *rule);
gint tu_rule_priority (const TuRule *rule);
gboolean tu_rule_is_user (const TuRule *rule);
/* "file:line" (transfer none) */
const char *tu_rule_location (const TuRule *rule);

G_END_DECLS
