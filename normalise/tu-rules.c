/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fingerprint rules; see tu-rules.h and data/fingerprints/README.md.
 *
 * Every pattern is compiled once with PCRE2_UTF and JIT. Matching allocates only the match
 * data of the call (one per condition tried), so a TuRuleSet may be shared by threads. Named
 * captures of every positive condition feed the templates of the rule's "set" lines; a
 * template naming a capture that no condition defines is a load error, so typos cannot hide.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-rules.h"
#include "tu-version.h"

typedef enum {
	F_NAME,
	F_PUBLISHER,
	F_RAW_PUBLISHER,
	F_VERSION,
	F_ARCH,
	F_SRCPKG,
	F_PURL,
	F_LAST
} Field;

static const char *const field_names[F_LAST] = {
	"name", "publisher", "raw-publisher", "version", "arch", "srcpkg", "purl",
};

typedef enum {
	S_PUBLISHER,
	S_PRODUCT,
	S_EDITION,
	S_RELEASE,
	S_VERSION,
	S_SCHEME,
	S_KIND,
	S_LICENSABLE,
	S_COMPONENT_OF,
	S_CPE,
	S_PURL,
	S_METRIC,
	S_CLASS,
	S_LAST
} SetField;

static const char *const set_names[S_LAST] = {
	"publisher", "product",	   "edition", "release", "version", "scheme",
	"kind",	     "licensable", "component-of", "cpe", "purl",    "metric",
	"class",
};

typedef struct {
	Field field;
	gboolean negate;
	char *pattern;
	pcre2_code *re;
	guint line;
	/* a JIT-compiled copy, made once the condition has run JIT_AFTER times: most rules
	 * never run or run once for a given estate, and compiling costs more than interpreting
	 * a few short names; the hot ones get the JIT. Published atomically, never changed. */
	pcre2_code *jit;
	gint n_runs;
	int noise_group; /* the number of a group named "noise", or 0 */
} Cond;

struct _TuRule {
	char *id;
	char *file;
	char *location;
	guint line;
	gint priority;
	gboolean is_user;
	guint order;
	guint32 sources; /* bit per TuSource; 0: any */
	GPtrArray *conds;
	char *set[S_LAST];
	GPtrArray *tests; /* TuRuleTest* */
	gboolean replaced;
	/* prefilter: lower-case literals every match of one positive condition contains one of */
	GPtrArray *pf_literals;
	Field pf_field;
};

/* The prefilter index: for each field, rules keyed by a hash of one trigram of their literal.
 * A record's candidates are the rules whose trigram occurs in the (lower-cased) field, plus
 * the rules without a literal; they are tried in rule order, so the first match is the one
 * the plain loop would find. */
#define PF_BUCKETS 4096u

typedef struct {
	guint *start;	    /* PF_BUCKETS + 1 offsets into rules */
	guint *rules;	    /* rule indices, bucket by bucket */
	const char **lits;  /* the literal of each entry */
	guint64 *all;	    /* every rule keyed on this field (for subjects we cannot filter) */
	gboolean used;
} PfIndex;

static void index_clear (PfIndex *ix);
static void index_candidates (const PfIndex *ix, const char *subject, guint64 *bits,
			      guint n_words);

typedef struct {
	char *canonical;
	char *klass;	     /* the publisher's "class" line, or NULL */
	GPtrArray *patterns; /* pcre2_code* */
} Alias;

/* One alias pattern, flattened for the prefilter (owned by the set; the code by its Alias). */
typedef struct {
	const Alias *alias;
	pcre2_code *re;
	char *text;
} AliasPattern;

static void
alias_pattern_free (AliasPattern *ap)
{
	g_free (ap->text);
	g_free (ap);
}

struct _TuRuleSet {
	GPtrArray *rules;    /* TuRule*, sorted after finish */
	GPtrArray *aliases;  /* Alias* */
	GPtrArray *products; /* TuProductInfo* */
	GHashTable *product_index; /* "publisher\x1fproduct" (lower) -> TuProductInfo* */
	GPtrArray *tests;    /* TuRuleTest* (owned by rules) */
	GPtrArray *known_products;
	GChecksum *checksum;
	char *digest;
	guint next_order;
	gboolean finished;
	/* prefilter */
	guint n_words;
	guint64 *always; /* rules without a literal */
	PfIndex pf[F_LAST];
	gboolean no_prefilter;
	guint n_prefiltered;
	GPtrArray *alias_patterns; /* AliasPattern*, every alias pattern in file order */
	guint alias_words;
	guint64 *alias_always;
	PfIndex alias_index;
	GPtrArray *alias_lits; /* GPtrArray* of the alias literals (owned) */
	guint max_captures;
};

/* ---------------------------------------------------------------- lifecycle ------------ */

static void
cond_free (Cond *c)
{
	g_free (c->pattern);
	if (c->re != NULL)
		pcre2_code_free (c->re);
	if (c->jit != NULL)
		pcre2_code_free (c->jit);
	g_free (c);
}

static void
test_free (TuRuleTest *t)
{
	g_free ((char *) t->input.raw_name);
	g_free ((char *) t->input.raw_publisher);
	g_free ((char *) t->input.version);
	g_free ((char *) t->input.arch);
	g_free ((char *) t->input.srcpkg);
	g_free ((char *) t->input.purl);
	if (t->expect != NULL)
		g_hash_table_unref (t->expect);
	g_free (t);
}

static void
rule_free (TuRule *r)
{
	g_free (r->id);
	g_free (r->file);
	g_free (r->location);
	g_ptr_array_unref (r->conds);
	for (guint i = 0; i < S_LAST; i++)
		g_free (r->set[i]);
	g_ptr_array_unref (r->tests);
	if (r->pf_literals != NULL)
		g_ptr_array_unref (r->pf_literals);
	g_free (r);
}

static void
alias_free (Alias *a)
{
	g_free (a->canonical);
	g_free (a->klass);
	g_ptr_array_unref (a->patterns);
	g_free (a);
}

static void
product_info_free (TuProductInfo *p)
{
	g_free (p->publisher);
	g_free (p->product);
	g_free (p->base_edition);
	g_free (p->metric);
	g_ptr_array_unref (p->editions);
	g_hash_table_unref (p->covers);
	g_hash_table_unref (p->free_editions);
	g_ptr_array_unref (p->release_order);
	g_hash_table_unref (p->release_dates);
	g_free ((char *) p->file);
	g_free (p);
}

TuRuleSet *
tu_rule_set_new (void)
{
	TuRuleSet *set = g_new0 (TuRuleSet, 1);
	set->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
	set->aliases = g_ptr_array_new_with_free_func ((GDestroyNotify) alias_free);
	set->products = g_ptr_array_new_with_free_func ((GDestroyNotify) product_info_free);
	set->product_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	set->tests = g_ptr_array_new ();
	set->known_products = g_ptr_array_new_with_free_func (g_free);
	set->checksum = g_checksum_new (G_CHECKSUM_SHA256);
	set->alias_patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) alias_pattern_free);
	return set;
}

void
tu_rule_set_free (TuRuleSet *set)
{
	if (set == NULL)
		return;
	g_ptr_array_unref (set->tests);
	g_ptr_array_unref (set->rules);
	g_ptr_array_unref (set->aliases);
	g_hash_table_unref (set->product_index);
	g_ptr_array_unref (set->products);
	g_ptr_array_unref (set->known_products);
	g_checksum_free (set->checksum);
	g_free (set->digest);
	g_free (set->always);
	for (guint f = 0; f < F_LAST; f++)
		index_clear (&set->pf[f]);
	index_clear (&set->alias_index);
	g_free (set->alias_always);
	g_ptr_array_unref (set->alias_patterns);
	if (set->alias_lits != NULL)
		g_ptr_array_unref (set->alias_lits);
	g_free (set);
}

void
tu_rule_result_clear (TuRuleResult *r)
{
	g_clear_pointer (&r->publisher, g_free);
	g_clear_pointer (&r->product, g_free);
	g_clear_pointer (&r->edition, g_free);
	g_clear_pointer (&r->release, g_free);
	g_clear_pointer (&r->version, g_free);
	g_clear_pointer (&r->scheme, g_free);
	g_clear_pointer (&r->kind, g_free);
	g_clear_pointer (&r->licensable, g_free);
	g_clear_pointer (&r->component_of, g_free);
	g_clear_pointer (&r->cpe, g_free);
	g_clear_pointer (&r->purl, g_free);
	g_clear_pointer (&r->metric, g_free);
	g_clear_pointer (&r->klass, g_free);
	r->rule = NULL;
}

/* ---------------------------------------------------------------- compiling ------------ */

static pcre2_code *
compile_pattern (const char *pattern, const char *file, guint line, const char *what,
		 GError **error)
{
	int code = 0;
	PCRE2_SIZE offset = 0;
	pcre2_code *re = pcre2_compile ((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED,
					PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message (code, msg, sizeof msg);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: bad %s pattern at offset %zu: %s", file, line, what,
			     (size_t) offset, (const char *) msg);
		return NULL;
	}
	return re;
}

/* Names of the capture groups of @re, added to @names. */
static void
collect_group_names (pcre2_code *re, GHashTable *names)
{
	uint32_t count = 0, entry_size = 0;
	PCRE2_SPTR table = NULL;
	pcre2_pattern_info (re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info (re, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
	pcre2_pattern_info (re, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < count; i++) {
		const char *name = (const char *) (table + i * entry_size + 2);
		g_hash_table_add (names, g_strdup (name));
	}
}

static const char *const template_specials[] = {
	"raw_name", "raw_version", "raw_publisher", "publisher", "source", "arch", "srcpkg",
	"purl",	    "clean_name",  NULL,
};
static const char *const template_filters[] = {
	"lower", "upper", "title", "trim", "purl", "dots", NULL,
};

/* Check every {var|filter:-default} of @tmpl against @names. */
static gboolean
check_template (const char *tmpl, GHashTable *names, const char *file, guint line,
		GError **error)
{
	for (const char *p = tmpl; *p; p++) {
		if (*p != '{')
			continue;
		const char *close = strchr (p, '}');
		if (close == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unclosed '{' in \"%s\"", file, line, tmpl);
			return FALSE;
		}
		g_autofree char *inner = g_strndup (p + 1, (gsize) (close - p - 1));
		char *dflt = strstr (inner, ":-");
		if (dflt != NULL)
			*dflt = '\0';
		char *filter = strchr (inner, '|');
		if (filter != NULL) {
			*filter++ = '\0';
			if (!g_strv_contains (template_filters, filter)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: unknown filter '%s' (known: lower, upper, title, "
					     "trim, purl, dots)",
					     file, line, filter);
				return FALSE;
			}
		}
		if (!g_hash_table_contains (names, inner) && !g_strv_contains (template_specials, inner)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: template names '{%s}' but no pattern of the rule has a "
				     "group of that name",
				     file, line, inner);
			return FALSE;
		}
		p = close;
	}
	return TRUE;
}

static gboolean
parse_field (const char *key, Field *field, gboolean *negate)
{
	*negate = g_str_has_prefix (key, "unless-");
	const char *name = *negate ? key + 7 : key;
	for (guint i = 0; i < F_LAST; i++) {
		if (g_strcmp0 (name, field_names[i]) == 0) {
			*field = (Field) i;
			return TRUE;
		}
	}
	return FALSE;
}

static int
set_field_index (const char *name)
{
	for (guint i = 0; i < S_LAST; i++) {
		if (g_strcmp0 (name, set_names[i]) == 0)
			return (int) i;
	}
	if (g_strcmp0 (name, "component_of") == 0)
		return S_COMPONENT_OF;
	return -1;
}

static gboolean
check_literal (SetField f, const char *value, const char *file, guint line, GError **error)
{
	if (strchr (value, '{') != NULL)
		return TRUE;
	static const char *const kinds[] = {"application", "update", "language-pack",
					    "component", "system", NULL};
	static const char *const metrics[] = {"device", "install", "user", "processor",
					      "core", "site", NULL};
	TuScheme scheme;
	gboolean b;
	if (f == S_SCHEME && !tu_scheme_from_string (value, &scheme)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: unknown scheme '%s' (dpkg, rpm, semver, dotted, apk, pep440, "
			     "generic)",
			     file, line, value);
		return FALSE;
	}
	if (f == S_KIND && !g_strv_contains (kinds, value)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: unknown kind '%s' (application, update, language-pack, "
			     "component, system)",
			     file, line, value);
		return FALSE;
	}
	if (f == S_METRIC && !g_strv_contains (metrics, value)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: unknown metric '%s' (device, install, user, processor, core, "
			     "site)",
			     file, line, value);
		return FALSE;
	}
	static const char *const classes[] = {"commercial", "freeware", "open-source", "component",
					      "driver", "os", "unknown", NULL};
	if (f == S_CLASS && !g_strv_contains (classes, value)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: unknown class '%s' (commercial, freeware, open-source, "
			     "component, driver, os, unknown)",
			     file, line, value);
		return FALSE;
	}
	if (f == S_LICENSABLE && !tu_parse_bool (value, &b, "licensable", NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: licensable must be yes or no, not '%s'", file, line, value);
		return FALSE;
	}
	return TRUE;
}

static const char *const test_input_keys[] = {"publisher", "version", "source", "arch",
					      "srcpkg",	   "purl",    NULL};
static const char *const expect_keys[] = {
	"publisher", "product", "edition", "release",	 "version", "scheme", "kind",
	"licensable", "component-of", "cpe", "purl", "recognised", "rule", "metric", "class",
	"upstream-version", NULL};

static gboolean
parse_test (TuRule *rule, const TuStanzaLine *l, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_auto(GStrv) words = tu_stanza_split_words (l->value, &local);
	if (words == NULL || words[0] == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: test needs a quoted raw name: %s", rule->file, l->line,
			     local ? local->message : "empty");
		return FALSE;
	}
	TuRuleTest *t = g_new0 (TuRuleTest, 1);
	t->rule = rule;
	t->file = rule->file;
	t->line = l->line;
	t->input.raw_name = g_strdup (words[0]);
	t->input.source = TU_SOURCE_UNKNOWN;
	t->expect = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_ptr_array_add (rule->tests, t);
	for (guint i = 1; words[i] != NULL; i++) {
		char *eq = strchr (words[i], '=');
		g_autofree char *key = eq ? g_strndup (words[i], (gsize) (eq - words[i])) : NULL;
		if (key == NULL || !g_strv_contains (test_input_keys, key)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unknown test input '%s' (publisher, version, source, "
				     "arch, srcpkg, purl)",
				     rule->file, l->line, words[i]);
			return FALSE;
		}
		const char *value = eq + 1;
		if (g_strcmp0 (key, "publisher") == 0)
			t->input.raw_publisher = g_strdup (value);
		else if (g_strcmp0 (key, "version") == 0)
			t->input.version = g_strdup (value);
		else if (g_strcmp0 (key, "arch") == 0)
			t->input.arch = g_strdup (value);
		else if (g_strcmp0 (key, "srcpkg") == 0)
			t->input.srcpkg = g_strdup (value);
		else if (g_strcmp0 (key, "purl") == 0)
			t->input.purl = g_strdup (value);
		else {
			t->input.source = tu_source_from_string (value);
			if (t->input.source == TU_SOURCE_UNKNOWN) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: unknown source '%s'", rule->file, l->line, value);
				return FALSE;
			}
		}
	}
	return TRUE;
}

static gboolean
parse_expect (TuRule *rule, const TuStanzaLine *l, GError **error)
{
	if (rule->tests->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: 'expect' must follow a 'test' line", rule->file, l->line);
		return FALSE;
	}
	TuRuleTest *t = g_ptr_array_index (rule->tests, rule->tests->len - 1);
	g_autoptr(GError) local = NULL;
	g_auto(GStrv) words = tu_stanza_split_words (l->value, &local);
	if (words == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s", rule->file,
			     l->line, local->message);
		return FALSE;
	}
	for (guint i = 0; words[i] != NULL; i++) {
		char *eq = strchr (words[i], '=');
		g_autofree char *key = eq ? g_strndup (words[i], (gsize) (eq - words[i])) : NULL;
		if (key == NULL || !g_strv_contains (expect_keys, key)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unknown expected field '%s'", rule->file, l->line,
				     words[i]);
			return FALSE;
		}
		g_hash_table_replace (t->expect, g_steal_pointer (&key), g_strdup (eq + 1));
	}
	return TRUE;
}

static gboolean
parse_rule (TuRuleSet *set, const TuStanza *st, gboolean is_user, GError **error)
{
	TuRule *rule = g_new0 (TuRule, 1);
	rule->id = g_strdup (st->arg);
	rule->file = g_strdup (st->file);
	rule->line = st->line;
	rule->location = g_strdup_printf ("%s:%u", st->file, st->line);
	rule->priority = 50;
	rule->is_user = is_user;
	rule->order = set->next_order++;
	rule->conds = g_ptr_array_new_with_free_func ((GDestroyNotify) cond_free);
	rule->tests = g_ptr_array_new_with_free_func ((GDestroyNotify) test_free);
	g_ptr_array_add (set->rules, rule);

	if (*rule->id == '\0' || strpbrk (rule->id, " \t") != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: a rule needs one ID word: 'rule ID'", st->file, st->line);
		return FALSE;
	}
	g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *set_lines = g_ptr_array_new ();
	for (guint i = 0; i < st->lines->len; i++) {
		const TuStanzaLine *l = g_ptr_array_index (st->lines, i);
		Field field;
		gboolean negate;
		if (g_strcmp0 (l->key, "priority") == 0) {
			gint64 v = 0;
			g_autoptr(GError) local = NULL;
			if (!tu_parse_int64 (l->value, -1000, 1000, &v, "priority", &local)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s",
					     st->file, l->line, local->message);
				g_ptr_array_unref (set_lines);
				return FALSE;
			}
			rule->priority = (gint) v;
		} else if (g_strcmp0 (l->key, "source") == 0) {
			g_auto(GStrv) words = g_strsplit_set (l->value, " \t,", -1);
			for (guint w = 0; words[w] != NULL; w++) {
				if (*words[w] == '\0')
					continue;
				TuSource src = tu_source_from_string (words[w]);
				if (src == TU_SOURCE_UNKNOWN) {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: unknown source '%s'", st->file, l->line,
						     words[w]);
					g_ptr_array_unref (set_lines);
					return FALSE;
				}
				rule->sources |= 1u << src;
			}
		} else if (parse_field (l->key, &field, &negate)) {
			Cond *c = g_new0 (Cond, 1);
			c->field = field;
			c->negate = negate;
			c->pattern = g_strdup (l->value);
			c->line = l->line;
			g_ptr_array_add (rule->conds, c);
			c->re = compile_pattern (l->value, st->file, l->line, l->key, error);
			if (c->re == NULL) {
				g_ptr_array_unref (set_lines);
				return FALSE;
			}
			int ng = pcre2_substring_number_from_name (c->re, (PCRE2_SPTR) "noise");
			c->noise_group = ng > 0 ? ng : 0;
			if (!negate)
				collect_group_names (c->re, names);
		} else if (g_strcmp0 (l->key, "set") == 0) {
			g_ptr_array_add (set_lines, (gpointer) l);
		} else if (g_strcmp0 (l->key, "test") == 0) {
			if (!parse_test (rule, l, error)) {
				g_ptr_array_unref (set_lines);
				return FALSE;
			}
		} else if (g_strcmp0 (l->key, "expect") == 0) {
			if (!parse_expect (rule, l, error)) {
				g_ptr_array_unref (set_lines);
				return FALSE;
			}
		} else {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unknown field '%s' in rule %s", st->file, l->line,
				     l->key, rule->id);
			g_ptr_array_unref (set_lines);
			return FALSE;
		}
	}
	for (guint i = 0; i < set_lines->len; i++) {
		const TuStanzaLine *l = g_ptr_array_index (set_lines, i);
		g_autofree char *name = NULL;
		g_autofree char *value = NULL;
		const char *p = l->value;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		name = g_strndup (l->value, (gsize) (p - l->value));
		while (*p == ' ' || *p == '\t')
			p++;
		value = g_strdup (p);
		int idx = set_field_index (name);
		if (idx < 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unknown field '%s' in 'set' (publisher, product, "
				     "edition, release, version, scheme, kind, licensable, "
				     "component-of, cpe, purl, metric, class)",
				     st->file, l->line, name);
			g_ptr_array_unref (set_lines);
			return FALSE;
		}
		if (!check_template (value, names, st->file, l->line, error) ||
		    !check_literal ((SetField) idx, value, st->file, l->line, error)) {
			g_ptr_array_unref (set_lines);
			return FALSE;
		}
		g_free (rule->set[idx]);
		rule->set[idx] = g_steal_pointer (&value);
	}
	g_ptr_array_unref (set_lines);
	if (rule->conds->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: rule %s has no condition (name, publisher, version, arch, "
			     "srcpkg or purl)",
			     st->file, st->line, rule->id);
		return FALSE;
	}
	if (rule->set[S_PRODUCT] == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: rule %s sets no product", st->file, st->line, rule->id);
		return FALSE;
	}
	return TRUE;
}

static gboolean
parse_publisher (TuRuleSet *set, const TuStanza *st, GError **error)
{
	Alias *a = g_new0 (Alias, 1);
	a->canonical = g_strdup (st->arg);
	a->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) pcre2_code_free);
	g_ptr_array_add (set->aliases, a);
	if (*a->canonical == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: 'publisher' needs the canonical name", st->file, st->line);
		return FALSE;
	}
	for (guint i = 0; i < st->lines->len; i++) {
		const TuStanzaLine *l = g_ptr_array_index (st->lines, i);
		if (g_strcmp0 (l->key, "class") == 0) {
			if (!check_literal (S_CLASS, l->value, st->file, l->line, error))
				return FALSE;
			g_free (a->klass);
			a->klass = g_strdup (l->value);
			continue;
		}
		if (g_strcmp0 (l->key, "alias") != 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unknown field '%s' in publisher %s (alias, class)",
				     st->file, l->line, l->key, a->canonical);
			return FALSE;
		}
		pcre2_code *re = compile_pattern (l->value, st->file, l->line, "alias", error);
		if (re == NULL)
			return FALSE;
		g_ptr_array_add (a->patterns, re);
		AliasPattern *ap = g_new0 (AliasPattern, 1);
		ap->alias = a;
		ap->re = re;
		ap->text = g_strdup (l->value);
		g_ptr_array_add (set->alias_patterns, ap);
	}
	return TRUE;
}

static char *
product_key (const char *publisher, const char *product)
{
	g_autofree char *k = g_strdup_printf ("%s\x1f%s", publisher ? publisher : "",
					      product ? product : "");
	return g_utf8_casefold (k, -1);
}

static char *
cover_key (const char *a, const char *b)
{
	g_autofree char *k = g_strdup_printf ("%s\x1f%s", a, b);
	return g_utf8_casefold (k, -1);
}

static gboolean
parse_product (TuRuleSet *set, const TuStanza *st, GError **error)
{
	const char *slash = strstr (st->arg, " / ");
	if (slash == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: write 'product PUBLISHER / PRODUCT'", st->file, st->line);
		return FALSE;
	}
	TuProductInfo *p = g_new0 (TuProductInfo, 1);
	p->publisher = g_strstrip (g_strndup (st->arg, (gsize) (slash - st->arg)));
	p->product = g_strstrip (g_strdup (slash + 3));
	p->editions = g_ptr_array_new_with_free_func (g_free);
	p->covers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	p->free_editions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	p->release_order = g_ptr_array_new_with_free_func (g_free);
	p->release_dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	p->file = g_strdup (st->file);
	p->line = st->line;
	g_ptr_array_add (set->products, p);
	g_autofree char *key = product_key (p->publisher, p->product);
	if (g_hash_table_contains (set->product_index, key)) {
		const TuProductInfo *old = g_hash_table_lookup (set->product_index, key);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: product %s / %s is already described at %s:%u", st->file,
			     st->line, p->publisher, p->product, old->file, old->line);
		return FALSE;
	}
	g_hash_table_insert (set->product_index, g_steal_pointer (&key), p);

	for (guint i = 0; i < st->lines->len; i++) {
		const TuStanzaLine *l = g_ptr_array_index (st->lines, i);
		if (g_strcmp0 (l->key, "editions") == 0) {
			g_auto(GStrv) chain = g_strsplit (l->value, ">", -1);
			for (guint a = 0; chain[a] != NULL; a++) {
				g_strstrip (chain[a]);
				if (*chain[a] == '\0') {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: empty edition in '%s'", st->file,
						     l->line, l->value);
					return FALSE;
				}
				gboolean known = FALSE;
				for (guint e = 0; e < p->editions->len; e++)
					known |= g_ascii_strcasecmp (g_ptr_array_index (p->editions, e),
								     chain[a]) == 0;
				if (!known)
					g_ptr_array_add (p->editions, g_strdup (chain[a]));
				for (guint b = a + 1; chain[b] != NULL; b++) {
					g_autofree char *tb = g_strstrip (g_strdup (chain[b]));
					g_hash_table_add (p->covers, cover_key (chain[a], tb));
				}
			}
			if (p->base_edition == NULL) {
				guint last = g_strv_length (chain) - 1;
				p->base_edition = g_strdup (chain[last]);
			}
		} else if (g_strcmp0 (l->key, "free") == 0) {
			g_auto(GStrv) words = g_strsplit (l->value, ",", -1);
			for (guint w = 0; words[w] != NULL; w++) {
				g_strstrip (words[w]);
				if (*words[w] != '\0')
					g_hash_table_add (p->free_editions, g_utf8_casefold (words[w], -1));
			}
		} else if (g_strcmp0 (l->key, "base") == 0) {
			g_free (p->base_edition);
			p->base_edition = g_strdup (l->value);
		} else if (g_strcmp0 (l->key, "metric") == 0) {
			if (!check_literal (S_METRIC, l->value, st->file, l->line, error))
				return FALSE;
			g_free (p->metric);
			p->metric = g_strdup (l->value);
		} else if (g_strcmp0 (l->key, "releases") == 0) {
			g_auto(GStrv) order = g_strsplit (l->value, "<", -1);
			for (guint w = 0; order[w] != NULL; w++) {
				g_strstrip (order[w]);
				if (*order[w] != '\0')
					g_ptr_array_add (p->release_order, g_strdup (order[w]));
			}
		} else if (g_strcmp0 (l->key, "released") == 0) {
			/* the date is the last word: releases may have blanks ("2012 R2") */
			const char *sp = strrchr (l->value, ' ');
			const char *tab = strrchr (l->value, '\t');
			if (tab != NULL && (sp == NULL || tab > sp))
				sp = tab;
			guint32 julian;
			g_autofree char *release = sp ? g_strstrip (g_strndup (l->value, (gsize) (sp - l->value)))
						      : NULL;
			if (sp == NULL || *release == '\0' ||
			    !tu_date_parse (sp + 1, &julian, "released", NULL)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: write 'released RELEASE YYYY-MM-DD'", st->file,
					     l->line);
				return FALSE;
			}
			g_hash_table_replace (p->release_dates, g_steal_pointer (&release),
					      g_strdup (sp + 1));
		} else {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unknown field '%s' in product %s (editions, free, base, "
				     "metric, releases, released)",
				     st->file, l->line, l->key, p->product);
			return FALSE;
		}
	}
	if (p->base_edition == NULL)
		p->base_edition = g_strdup ("");
	/* transitive closure of "covers" */
	guint n = p->editions->len;
	for (guint k = 0; k < n; k++) {
		for (guint i = 0; i < n; i++) {
			for (guint j = 0; j < n; j++) {
				const char *ei = g_ptr_array_index (p->editions, i);
				const char *ek = g_ptr_array_index (p->editions, k);
				const char *ej = g_ptr_array_index (p->editions, j);
				g_autofree char *ik = cover_key (ei, ek);
				g_autofree char *kj = cover_key (ek, ej);
				if (g_hash_table_contains (p->covers, ik) &&
				    g_hash_table_contains (p->covers, kj))
					g_hash_table_add (p->covers, cover_key (ei, ej));
			}
		}
	}
	for (guint i = 0; i < n; i++) {
		const char *e = g_ptr_array_index (p->editions, i);
		g_autofree char *self = cover_key (e, e);
		if (g_hash_table_contains (p->covers, self)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: edition hierarchy of %s has a cycle through %s", st->file,
				     st->line, p->product, e);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
tu_rule_set_add_file (TuRuleSet *set, const char *display_path, const char *data, gsize len,
		      gboolean is_user, GError **error)
{
	g_return_val_if_fail (!set->finished, FALSE);
	g_checksum_update (set->checksum, (const guchar *) display_path, -1);
	g_checksum_update (set->checksum, (const guchar *) data, (gssize) len);
	g_autoptr(GPtrArray) stanzas = tu_stanza_parse (display_path, data, len, error);
	if (stanzas == NULL)
		return FALSE;
	for (guint i = 0; i < stanzas->len; i++) {
		const TuStanza *st = g_ptr_array_index (stanzas, i);
		gboolean ok = TRUE;
		if (g_strcmp0 (st->kind, "rule") == 0)
			ok = parse_rule (set, st, is_user, error);
		else if (g_strcmp0 (st->kind, "publisher") == 0)
			ok = parse_publisher (set, st, error);
		else if (g_strcmp0 (st->kind, "product") == 0)
			ok = parse_product (set, st, error);
		else if (g_strcmp0 (st->kind, "binary") == 0)
			continue; /* the scanner's binary fingerprints */
		else {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unknown stanza '%s' (rule, publisher, product, binary)",
				     st->file, st->line, st->kind);
			ok = FALSE;
		}
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

static void build_prefilter (TuRuleSet *set);

static gint
rule_cmp (gconstpointer a, gconstpointer b)
{
	const TuRule *ra = *(TuRule *const *) a;
	const TuRule *rb = *(TuRule *const *) b;
	if (ra->priority != rb->priority)
		return ra->priority > rb->priority ? -1 : 1;
	if (ra->is_user != rb->is_user)
		return ra->is_user ? -1 : 1;
	return (ra->order > rb->order) - (ra->order < rb->order);
}

gboolean
tu_rule_set_finish (TuRuleSet *set, GError **error)
{
	/* IDs: unique among shipped rules and among user rules; a user rule replaces the shipped
	 * rule with its ID */
	g_autoptr(GHashTable) shipped = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GHashTable) user = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < set->rules->len; i++) {
		TuRule *r = g_ptr_array_index (set->rules, i);
		GHashTable *t = r->is_user ? user : shipped;
		TuRule *dup = g_hash_table_lookup (t, r->id);
		if (dup != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: rule ID %s is already used at %s", r->location, r->id,
				     dup->location);
			return FALSE;
		}
		g_hash_table_insert (t, r->id, r);
	}
	for (guint i = 0; i < set->rules->len; i++) {
		TuRule *r = g_ptr_array_index (set->rules, i);
		if (!r->is_user && g_hash_table_contains (user, r->id))
			r->replaced = TRUE;
	}
	for (guint i = 0; i < set->rules->len;) {
		TuRule *r = g_ptr_array_index (set->rules, i);
		if (r->replaced)
			g_ptr_array_remove_index (set->rules, i);
		else
			i++;
	}
	g_ptr_array_sort (set->rules, rule_cmp);
	g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < set->rules->len; i++) {
		TuRule *r = g_ptr_array_index (set->rules, i);
		for (guint t = 0; t < r->tests->len; t++)
			g_ptr_array_add (set->tests, g_ptr_array_index (r->tests, t));
		const char *pub = r->set[S_PUBLISHER];
		const char *prod = r->set[S_PRODUCT];
		if (pub != NULL && prod != NULL && strchr (pub, '{') == NULL &&
		    strchr (prod, '{') == NULL) {
			char *k = g_strdup_printf ("%s\x1f%s", pub, prod);
			if (!g_hash_table_contains (known, k)) {
				g_ptr_array_add (set->known_products, k);
				g_hash_table_add (known, k);
			} else {
				g_free (k);
			}
		}
	}
	for (guint i = 0; i < set->products->len; i++) {
		const TuProductInfo *p = g_ptr_array_index (set->products, i);
		char *k = g_strdup_printf ("%s\x1f%s", p->publisher, p->product);
		if (!g_hash_table_contains (known, k)) {
			g_ptr_array_add (set->known_products, k);
			g_hash_table_add (known, k);
		} else {
			g_free (k);
		}
	}
	for (guint i = 0; i < set->rules->len; i++) {
		const TuRule *r = g_ptr_array_index (set->rules, i);
		for (guint c = 0; c < r->conds->len; c++) {
			const Cond *cond = g_ptr_array_index (r->conds, c);
			uint32_t n_caps = 0;
			pcre2_pattern_info (cond->re, PCRE2_INFO_CAPTURECOUNT, &n_caps);
			set->max_captures = MAX (set->max_captures, n_caps);
		}
	}
	build_prefilter (set);
	set->digest = g_strdup (g_checksum_get_string (set->checksum));
	set->finished = TRUE;
	return TRUE;
}

guint
tu_rule_set_n_rules (TuRuleSet *set)
{
	return set->rules->len;
}

const char *
tu_rule_set_digest (TuRuleSet *set)
{
	return set->digest;
}

GPtrArray *
tu_rule_set_tests (TuRuleSet *set)
{
	return set->tests;
}

GPtrArray *
tu_rule_set_products (TuRuleSet *set)
{
	return set->products;
}

GPtrArray *
tu_rule_set_known_products (TuRuleSet *set)
{
	return set->known_products;
}

const TuProductInfo *
tu_rule_set_product_info (TuRuleSet *set, const char *publisher, const char *product)
{
	g_autofree char *key = product_key (publisher, product);
	return g_hash_table_lookup (set->product_index, key);
}

gboolean
tu_product_info_covers (const TuProductInfo *info, const char *a, const char *b)
{
	if (g_utf8_collate (a ? a : "", b ? b : "") == 0)
		return TRUE;
	g_autofree char *fa = g_utf8_casefold (a ? a : "", -1);
	g_autofree char *fb = g_utf8_casefold (b ? b : "", -1);
	if (g_strcmp0 (fa, fb) == 0)
		return TRUE;
	if (info == NULL)
		return FALSE;
	g_autofree char *k = cover_key (a ? a : "", b ? b : "");
	return g_hash_table_contains (info->covers, k);
}

const char *
tu_rule_id (const TuRule *r)
{
	return r->id;
}

const char *
tu_rule_file (const TuRule *r)
{
	return r->file;
}

guint
tu_rule_line (const TuRule *r)
{
	return r->line;
}

gint
tu_rule_priority (const TuRule *r)
{
	return r->priority;
}

gboolean
tu_rule_is_user (const TuRule *r)
{
	return r->is_user;
}

const char *
tu_rule_location (const TuRule *r)
{
	return r->location;
}

/* ---------------------------------------------------------------- matching ------------- */

const char *
tu_rule_set_publisher_alias (TuRuleSet *set, const char *raw)
{
	if (raw == NULL || *raw == '\0')
		return NULL;
	g_autoptr(pcre2_match_data) md = pcre2_match_data_create (8, NULL);
	if (!set->finished || set->no_prefilter) {
		for (guint i = 0; i < set->alias_patterns->len; i++) {
			const AliasPattern *ap = g_ptr_array_index (set->alias_patterns, i);
			if (pcre2_match (ap->re, (PCRE2_SPTR) raw, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0)
				return ap->alias->canonical;
		}
		return NULL;
	}
	g_autofree guint64 *bits = g_new (guint64, set->alias_words ? set->alias_words : 1);
	memcpy (bits, set->alias_always, set->alias_words * sizeof (guint64));
	index_candidates (&set->alias_index, raw, bits, set->alias_words);
	for (guint w = 0; w < set->alias_words; w++) {
		for (guint64 b = bits[w]; b != 0; b &= b - 1) {
			guint i = w * 64 + (guint) __builtin_ctzll (b);
			const AliasPattern *ap = g_ptr_array_index (set->alias_patterns, i);
			if (pcre2_match (ap->re, (PCRE2_SPTR) raw, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0)
				return ap->alias->canonical;
		}
	}
	return NULL;
}

const char *
tu_rule_set_publisher_class (TuRuleSet *set, const char *canonical)
{
	if (canonical == NULL || *canonical == '\0')
		return NULL;
	for (guint i = 0; i < set->aliases->len; i++) {
		const Alias *a = g_ptr_array_index (set->aliases, i);
		if (a->klass != NULL && g_strcmp0 (a->canonical, canonical) == 0)
			return a->klass;
	}
	return NULL;
}

gboolean
tu_rule_sets_licensable (const TuRule *rule)
{
	return rule->set[S_LICENSABLE] != NULL || rule->set[S_CLASS] != NULL;
}

const char *
tu_rule_set_value (const TuRule *rule, const char *field)
{
	int idx = set_field_index (field);
	return idx >= 0 ? rule->set[idx] : NULL;
}

GPtrArray *
tu_rule_set_canonical_publishers (TuRuleSet *set)
{
	GPtrArray *out = g_ptr_array_new ();
	for (guint i = 0; i < set->aliases->len; i++) {
		const Alias *a = g_ptr_array_index (set->aliases, i);
		g_ptr_array_add (out, a->canonical);
	}
	return out;
}

GPtrArray *
tu_rule_set_rules (TuRuleSet *set)
{
	return set->rules;
}

static const char *
input_field (const TuRuleInput *in, Field f)
{
	const char *v = NULL;
	switch (f) {
	case F_NAME:
		v = in->raw_name;
		break;
	case F_PUBLISHER:
		v = in->publisher;
		break;
	case F_RAW_PUBLISHER:
		v = in->raw_publisher;
		break;
	case F_VERSION:
		v = in->version;
		break;
	case F_ARCH:
		v = in->arch;
		break;
	case F_SRCPKG:
		v = in->srcpkg;
		break;
	case F_PURL:
		v = in->purl;
		break;
	case F_LAST:
		break;
	}
	return v ? v : "";
}

/* ---------------------------------------------------------------- prefilter ------------ */

/* Skip a bracketed construct starting at @p (at '(' or '['), returning the character after
 * its close, or NULL when it does not close. */
static const char *
skip_class (const char *p)
{
	/* p at '[' */
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[' && p[1] == ':') {
			const char *e = strstr (p, ":]");
			if (e == NULL)
				return NULL;
			p = e + 1;
		}
		p++;
	}
	return *p ? p + 1 : NULL;
}

static const char *
skip_group (const char *p)
{
	/* p at '(' */
	int depth = 0;
	while (*p) {
		if (*p == '\\' && p[1]) {
			p += 2;
			continue;
		}
		if (*p == '[') {
			p = skip_class (p);
			if (p == NULL)
				return NULL;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
		p++;
	}
	return NULL;
}

/* A quantifier at @p: its length (0 when none) and its minimum. */
static gsize
quantifier (const char *p, guint *min)
{
	const char *q = p;
	if (*q == '?' || *q == '*') {
		*min = 0;
		q++;
	} else if (*q == '+') {
		*min = 1;
		q++;
	} else if (*q == '{' && g_ascii_isdigit (q[1])) {
		const char *d = q + 1;
		guint m = 0;
		while (g_ascii_isdigit (*d))
			m = m * 10 + (guint) (*d++ - '0');
		if (*d == ',') {
			d++;
			while (g_ascii_isdigit (*d))
				d++;
		}
		if (*d != '}')
			return 0;
		*min = m;
		q = d + 1;
	} else {
		return 0;
	}
	if (*q == '?' || *q == '+')
		q++; /* lazy, possessive */
	return (gsize) (q - p);
}

/* Literal sets: a pattern "requires" a set when every match contains one of its strings. The
 * best set is the one whose shortest string is longest (then the smallest set). */
#define LIT_MIN 3
#define LIT_MAX_ALTERNATIVES 24

static guint
lits_quality (GPtrArray *lits)
{
	if (lits == NULL || lits->len == 0)
		return 0;
	guint q = G_MAXUINT;
	for (guint i = 0; i < lits->len; i++)
		q = MIN (q, (guint) strlen (g_ptr_array_index (lits, i)));
	return q;
}

/* keep the better of @best and @cand (both may be NULL); returns the keeper */
static GPtrArray *
lits_better (GPtrArray *best, GPtrArray *cand)
{
	guint qb = lits_quality (best), qc = lits_quality (cand);
	if (cand != NULL && (qc > qb || (qc == qb && qc > 0 && cand->len < best->len))) {
		if (best != NULL)
			g_ptr_array_unref (best);
		return cand;
	}
	if (cand != NULL)
		g_ptr_array_unref (cand);
	return best;
}

static GPtrArray *alt_literals (const char *p, const char *end, gboolean *ok);

/* The best literal set of a sequence (no top-level '|' between @p and @end). */
static GPtrArray *
seq_literals (const char *p, const char *end, gboolean *ok)
{
	g_autoptr(GString) run = g_string_new (NULL);
	GPtrArray *best = NULL;
#define END_RUN()                                                                                  \
	do {                                                                                       \
		if (run->len >= LIT_MIN) {                                                         \
			GPtrArray *one = g_ptr_array_new_with_free_func (g_free);                  \
			g_ptr_array_add (one, g_strdup (run->str));                                \
			best = lits_better (best, one);                                            \
		}                                                                                  \
		g_string_truncate (run, 0);                                                        \
	} while (0)
	while (p < end && *ok) {
		guint min = 1;
		gsize ql;
		if (*p == '(') {
			const char *close = skip_group (p);
			if (close == NULL || close > end) {
				*ok = FALSE;
				break;
			}
			END_RUN ();
			const char *inner = p + 1, *inner_end = close - 1;
			gboolean use = TRUE;
			if (*inner == '?') {
				const char *q = inner + 1;
				if (*q == '#' || *q == '=' || *q == '!' || *q == '(' ||
				    (*q == '<' && (q[1] == '=' || q[1] == '!'))) {
					use = FALSE; /* comments, lookarounds, conditionals */
				} else if (*q == ':' || *q == '>' || *q == '|') {
					inner = q + 1;
				} else if (*q == '<' || *q == '\'' || (*q == 'P' && q[1] == '<')) {
					const char *e = strpbrk (q + 1, ">'");
					if (e == NULL || e >= inner_end) {
						*ok = FALSE;
						break;
					}
					inner = e + 1;
				} else {
					/* option letters: (?i) (?-i) (?i:...) */
					while (g_ascii_isalpha (*q) || *q == '-' || *q == '^') {
						if (*q == 'x') {
							*ok = FALSE;
							break;
						}
						q++;
					}
					if (*q == ')')
						use = FALSE;
					else if (*q == ':')
						inner = q + 1;
					else
						use = FALSE;
				}
			}
			p = close;
			p += quantifier (p, &min);
			if (use && min > 0 && *ok)
				best = lits_better (best, alt_literals (inner, inner_end, ok));
			continue;
		}
		if (*p == '[') {
			END_RUN ();
			p = skip_class (p);
			if (p == NULL || p > end) {
				*ok = FALSE;
				break;
			}
			p += quantifier (p, &min);
			continue;
		}
		char lit = 0;
		const char *next;
		if (*p == '\\') {
			char c = p[1];
			if (c == '\0' || c == 'Q') {
				*ok = FALSE;
				break;
			}
			if (g_ascii_isalnum (c)) {
				/* a class, an assertion, a reference or a coded character */
				const char *q = p + 2;
				if (strchr ("xpPogkN", c) != NULL && (*q == '{' || *q == '<' || *q == '\'')) {
					char close = *q == '{' ? '}' : *q == '<' ? '>' : '\'';
					const char *e = strchr (q + 1, close);
					if (e == NULL) {
						*ok = FALSE;
						break;
					}
					q = e + 1;
				} else if (c == 'x') {
					for (guint k = 0; k < 2 && g_ascii_isxdigit (*q); k++)
						q++;
				} else if (c == 'p' || c == 'P' || c == 'c') {
					if (*q)
						q++;
				} else if (g_ascii_isdigit (c)) {
					while (g_ascii_isdigit (*q))
						q++;
				}
				END_RUN ();
				p = q;
				p += quantifier (p, &min);
				continue;
			}
			lit = c;
			next = p + 2;
		} else if (*p == '.' || *p == '^' || *p == '$' || (guchar) *p >= 0x80) {
			END_RUN ();
			p = g_utf8_next_char (p);
			p += quantifier (p, &min);
			continue;
		} else {
			lit = *p;
			next = p + 1;
		}
		if ((guchar) lit >= 0x80) {
			END_RUN ();
			p = next;
			continue;
		}
		ql = quantifier (next, &min);
		if (min == 0) {
			END_RUN ();
		} else {
			g_string_append_c (run, g_ascii_tolower (lit));
			if (ql > 0)
				END_RUN ();
		}
		p = next + ql;
	}
	END_RUN ();
#undef END_RUN
	if (!*ok) {
		if (best != NULL)
			g_ptr_array_unref (best);
		return NULL;
	}
	return best;
}

/* The literal set of an alternation: one set per branch, united; NULL when a branch has none. */
static GPtrArray *
alt_literals (const char *p, const char *end, gboolean *ok)
{
	GPtrArray *all = g_ptr_array_new_with_free_func (g_free);
	const char *start = p;
	int depth = 0;
	for (const char *q = p;; q++) {
		if (q < end && *q == '\\' && q + 1 < end) {
			q++;
			continue;
		}
		if (q < end && *q == '[') {
			const char *e = skip_class (q);
			if (e == NULL || e > end) {
				*ok = FALSE;
				break;
			}
			q = e - 1;
			continue;
		}
		if (q < end && *q == '(')
			depth++;
		else if (q < end && *q == ')')
			depth--;
		if (q >= end || (*q == '|' && depth == 0)) {
			GPtrArray *branch = seq_literals (start, q, ok);
			if (branch == NULL || !*ok) {
				if (branch != NULL)
					g_ptr_array_unref (branch);
				g_ptr_array_unref (all);
				return NULL;
			}
			for (guint i = 0; i < branch->len; i++)
				g_ptr_array_add (all, g_strdup (g_ptr_array_index (branch, i)));
			g_ptr_array_unref (branch);
			if (all->len > LIT_MAX_ALTERNATIVES) {
				g_ptr_array_unref (all);
				return NULL;
			}
			if (q >= end)
				break;
			start = q + 1;
		}
	}
	if (!*ok || all->len == 0) {
		g_ptr_array_unref (all);
		return NULL;
	}
	return all;
}

/* The literals every match of @pattern contains one of, lower-cased ASCII; NULL when the
 * pattern gives none of three characters or more (extended mode, \Q, a branch without one).
 * Groups are looked into, classes and escapes end a run: the set is a necessary condition,
 * never a sufficient one. (transfer full) */
static GPtrArray *
required_literals (const char *pattern)
{
	gboolean ok = TRUE;
	if (strstr (pattern, "(?x") != NULL || strstr (pattern, "(?-x") != NULL)
		return NULL;
	GPtrArray *lits = alt_literals (pattern, pattern + strlen (pattern), &ok);
	if (lits != NULL && (!ok || lits_quality (lits) < LIT_MIN)) {
		g_ptr_array_unref (lits);
		return NULL;
	}
	return lits;
}

static guint
trigram_hash (const char *s)
{
	guint32 h = ((guint32) (guchar) s[0] << 16) ^ ((guint32) (guchar) s[1] << 8) ^ (guchar) s[2];
	return (h * 2654435761u) >> 20 & (PF_BUCKETS - 1);
}

/* Index @n entries by their literal sets (@lits[i], NULL: not in this index): each literal in
 * the bucket of its emptiest trigram. */
static void
index_build (PfIndex *ix, guint n, GPtrArray *const *lits, guint n_words)
{
	g_autofree guint *counts = g_new0 (guint, PF_BUCKETS);
	g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint));
	for (guint i = 0; i < n; i++) {
		if (lits[i] == NULL)
			continue;
		for (guint l = 0; l < lits[i]->len; l++) {
			const char *lit = g_ptr_array_index (lits[i], l);
			gsize len = strlen (lit);
			guint best = trigram_hash (lit);
			for (gsize k = 1; k + 3 <= len; k++) {
				guint h = trigram_hash (lit + k);
				if (counts[h] < counts[best])
					best = h;
			}
			counts[best]++;
			g_array_append_val (keys, best);
		}
	}
	ix->used = keys->len > 0;
	if (!ix->used)
		return;
	ix->start = g_new0 (guint, PF_BUCKETS + 1);
	ix->all = g_new0 (guint64, n_words ? n_words : 1);
	guint total = 0;
	for (guint b = 0; b < PF_BUCKETS; b++) {
		ix->start[b] = total;
		total += counts[b];
	}
	ix->start[PF_BUCKETS] = total;
	ix->rules = g_new0 (guint, total);
	ix->lits = g_new0 (const char *, total);
	g_autofree guint *fill = g_new0 (guint, PF_BUCKETS);
	guint k = 0;
	for (guint i = 0; i < n; i++) {
		if (lits[i] == NULL)
			continue;
		for (guint l = 0; l < lits[i]->len; l++) {
			guint b = g_array_index (keys, guint, k++);
			guint at = ix->start[b] + fill[b]++;
			ix->rules[at] = i;
			ix->lits[at] = g_ptr_array_index (lits[i], l);
		}
		ix->all[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
	}
}

static void
index_clear (PfIndex *ix)
{
	g_clear_pointer (&ix->start, g_free);
	g_clear_pointer (&ix->rules, g_free);
	g_clear_pointer (&ix->lits, g_free);
	g_clear_pointer (&ix->all, g_free);
	ix->used = FALSE;
}

/* Set the bit of every entry of @ix one of whose literals @subject contains. */
static void
index_candidates (const PfIndex *ix, const char *subject, guint64 *bits, guint n_words)
{
	if (!ix->used)
		return;
	gsize len = strlen (subject);
	char stack[512];
	g_autofree char *heap = NULL;
	char *low = len < sizeof stack ? stack : (heap = g_malloc (len + 1));
	for (gsize k = 0; k < len; k++) {
		guchar c = (guchar) subject[k];
		if (c >= 0x80) {
			/* caseless matching may fold non-ASCII characters onto ASCII ones (the
			 * Kelvin sign is a k): every entry is a candidate */
			for (guint w = 0; w < n_words; w++)
				bits[w] |= ix->all[w];
			return;
		}
		low[k] = g_ascii_tolower ((char) c);
	}
	low[len] = '\0';
	for (gsize k = 0; k + 3 <= len; k++) {
		guint h = trigram_hash (low + k);
		for (guint j = ix->start[h]; j < ix->start[h + 1]; j++) {
			guint i = ix->rules[j];
			if ((bits[i / 64] >> (i % 64)) & 1)
				continue;
			if (strstr (low, ix->lits[j]) != NULL)
				bits[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
		}
	}
}

/* Choose each rule's literals and build the per-field trigram indexes; the same for the
 * publisher aliases. */
static void
build_prefilter (TuRuleSet *set)
{
	guint n = set->rules->len;
	set->n_words = (n + 63) / 64;
	set->always = g_new0 (guint64, set->n_words ? set->n_words : 1);
	for (guint i = 0; i < n; i++) {
		TuRule *r = g_ptr_array_index (set->rules, i);
		g_clear_pointer (&r->pf_literals, g_ptr_array_unref);
		for (guint c = 0; c < r->conds->len; c++) {
			const Cond *cond = g_ptr_array_index (r->conds, c);
			if (cond->negate)
				continue;
			GPtrArray *lits = required_literals (cond->pattern);
			if (lits == NULL)
				continue;
			guint qn = lits_quality (lits), qo = lits_quality (r->pf_literals);
			if (qn > qo || (qn == qo && r->pf_literals != NULL &&
					lits->len < r->pf_literals->len)) {
				if (r->pf_literals != NULL)
					g_ptr_array_unref (r->pf_literals);
				r->pf_literals = lits;
				r->pf_field = cond->field;
			} else {
				g_ptr_array_unref (lits);
			}
		}
		if (r->pf_literals == NULL)
			set->always[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
		else
			set->n_prefiltered++;
	}
	g_autofree GPtrArray **lits = g_new0 (GPtrArray *, n ? n : 1);
	for (guint f = 0; f < F_LAST; f++) {
		for (guint i = 0; i < n; i++) {
			const TuRule *r = g_ptr_array_index (set->rules, i);
			lits[i] = r->pf_field == (Field) f ? r->pf_literals : NULL;
		}
		index_build (&set->pf[f], n, lits, set->n_words);
	}
	/* aliases: every pattern of every publisher stanza, in order */
	guint na = set->alias_patterns->len;
	set->alias_words = (na + 63) / 64;
	set->alias_always = g_new0 (guint64, set->alias_words ? set->alias_words : 1);
	set->alias_lits = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
	g_autofree GPtrArray **alits = g_new0 (GPtrArray *, na ? na : 1);
	for (guint i = 0; i < na; i++) {
		const AliasPattern *ap = g_ptr_array_index (set->alias_patterns, i);
		alits[i] = required_literals (ap->text);
		if (alits[i] == NULL)
			set->alias_always[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
		else
			g_ptr_array_add (set->alias_lits, alits[i]);
	}
	index_build (&set->alias_index, na, alits, set->alias_words);
}

void
tu_rule_set_set_prefilter (TuRuleSet *set, gboolean enabled)
{
	set->no_prefilter = !enabled;
}

guint
tu_rule_set_n_prefiltered (TuRuleSet *set)
{
	return set->n_prefiltered;
}

GPtrArray *
tu_rule_prefilter (const TuRule *rule)
{
	return rule->pf_literals;
}

/* The candidate rules for @in: a bit per rule index in @bits (set->n_words words). */
static void
prefilter_candidates (TuRuleSet *set, const TuRuleInput *in, guint64 *bits)
{
	memcpy (bits, set->always, set->n_words * sizeof (guint64));
	for (guint f = 0; f < F_LAST; f++)
		index_candidates (&set->pf[f], input_field (in, (Field) f), bits, set->n_words);
}

typedef struct {
	char *name;
	char *value;
} Capture;

static void
capture_clear (gpointer p)
{
	Capture *c = p;
	g_free (c->name);
	g_free (c->value);
}

/* Does the condition pass? Named groups of a positive match are appended to @caps. */
#define JIT_AFTER 64

/* The code to match with: the JIT-compiled copy once there is one. The thread that makes a
 * condition's JIT_AFTER-th run compiles a copy and publishes it; the original is never
 * modified, so other threads may go on matching with it meanwhile. JIT is an optimisation: if
 * it is unavailable the interpreter gives the same results. */
static const pcre2_code *
cond_code (Cond *c)
{
	pcre2_code *jit = g_atomic_pointer_get (&c->jit);
	if (jit != NULL)
		return jit;
	if (g_atomic_int_add (&c->n_runs, 1) == JIT_AFTER) {
		pcre2_code *copy = pcre2_code_copy (c->re);
		if (copy != NULL && pcre2_jit_compile (copy, PCRE2_JIT_COMPLETE) == 0) {
			g_atomic_pointer_set (&c->jit, copy);
			return copy;
		}
		if (copy != NULL)
			pcre2_code_free (copy);
	}
	return c->re;
}

/* What a group named "noise" may hold: the variants installers add to a product's name
 * (versions, architectures, language tags, per-user/per-machine, Installer/Setup, pre-release
 * words, "(remove only)"), in any order, bare or in brackets. One pattern for every rule, so
 * that rules stay short and the rule set compiles fast. */
static const char noise_pattern[] =
	"^(?:[\\s\\-_,:.]*+(?:(?&t)|[(\\[]\\s*(?&t)(?:[\\s,;/]+(?&t))*\\s*[)\\]]))*\\s*$"
	"(?(DEFINE)(?<t>v(?:er(?:sion)?)?\\.?\\s*\\d[\\w.+~-]*+|\\d[\\w.+~-]*+|x64|x86|"
	"x86[_-]64|amd64|arm64|aarch64|ia64|win(?:64|32)|(?:64|32)[- ]?bits?|[a-z]{2}-[a-z]{2}|"
	"[a-z]{2}_[a-z]{2}|(?:current|all)\\s+users?|per-?(?:user|machine)|user|machine|system|"
	"remove\\s+only|install\\s+only|uninstall\\s+only|installer|setup|beta\\s*\\d*|"
	"alpha\\s*\\d*|preview|nightly|insiders?|rc\\s*\\d*|eap|portable|msi|release|stable|lts|"
	"build\\s*\\d[\\w.]*+|for\\s+(?:windows|win(?:32|64)?|pc)|windows))";

gboolean
tu_rules_is_noise (const char *s, gsize len)
{
	static gsize once = 0;
	static pcre2_code *re = NULL;
	if (g_once_init_enter (&once)) {
		int code = 0;
		PCRE2_SIZE off = 0;
		re = pcre2_compile ((PCRE2_SPTR) noise_pattern, PCRE2_ZERO_TERMINATED,
				    PCRE2_UTF | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
		if (re == NULL)
			g_error ("the noise pattern does not compile at %zu", (size_t) off);
		pcre2_jit_compile (re, PCRE2_JIT_COMPLETE);
		g_once_init_leave (&once, 1);
	}
	g_autoptr(pcre2_match_data) md = pcre2_match_data_create (4, NULL);
	return pcre2_match (re, (PCRE2_SPTR) s, len, 0, 0, md, NULL) >= 0;
}

static gboolean
cond_eval_md (const Cond *c, const TuRuleInput *in, GArray *caps, pcre2_match_data *md)
{
	const char *subject = input_field (in, c->field);
	const pcre2_code *code = cond_code ((Cond *) c);
	int rc = pcre2_match (code, (PCRE2_SPTR) subject, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);
	gboolean matched = rc >= 0;
	if (matched && c->noise_group > 0 && c->noise_group < rc) {
		PCRE2_SIZE *nv = pcre2_get_ovector_pointer (md);
		if (nv[2 * c->noise_group] != PCRE2_UNSET &&
		    !tu_rules_is_noise (subject + nv[2 * c->noise_group],
			       nv[2 * c->noise_group + 1] - nv[2 * c->noise_group]))
			matched = FALSE;
	}
	if (matched && !c->negate && caps != NULL) {
		uint32_t count = 0, entry_size = 0;
		PCRE2_SPTR table = NULL;
		pcre2_pattern_info (c->re, PCRE2_INFO_NAMECOUNT, &count);
		pcre2_pattern_info (c->re, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
		pcre2_pattern_info (c->re, PCRE2_INFO_NAMETABLE, &table);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer (md);
		for (uint32_t i = 0; i < count; i++) {
			PCRE2_SPTR entry = table + i * entry_size;
			guint n = ((guint) entry[0] << 8) | entry[1];
			if ((int) n >= rc || ov[2 * n] == PCRE2_UNSET)
				continue;
			Capture cap;
			cap.name = g_strdup ((const char *) entry + 2);
			cap.value = g_strndup (subject + ov[2 * n], ov[2 * n + 1] - ov[2 * n]);
			/* a later group of the same name only fills an empty earlier one */
			gboolean dup = FALSE;
			for (guint k = 0; k < caps->len; k++) {
				Capture *old = &g_array_index (caps, Capture, k);
				if (g_strcmp0 (old->name, cap.name) == 0) {
					dup = TRUE;
					if (*old->value == '\0') {
						g_free (old->value);
						old->value = g_steal_pointer (&cap.value);
					}
				}
			}
			if (dup) {
				capture_clear (&cap);
				continue;
			}
			g_array_append_val (caps, cap);
		}
	}
	return c->negate ? !matched : matched;
}

static gboolean
cond_eval (const Cond *c, const TuRuleInput *in, GArray *caps)
{
	g_autoptr(pcre2_match_data) md = pcre2_match_data_create_from_pattern (c->re, NULL);
	return cond_eval_md (c, in, caps, md);
}

static gboolean
source_ok (const TuRule *r, const TuRuleInput *in)
{
	return r->sources == 0 || (in->source != TU_SOURCE_UNKNOWN && (r->sources & (1u << in->source)));
}

char *tu_normaliser_clean_name (const char *raw_name);

static char *
apply_filter (const char *value, const char *filter)
{
	if (filter == NULL)
		return g_strdup (value);
	if (g_strcmp0 (filter, "lower") == 0)
		return g_utf8_strdown (value, -1);
	if (g_strcmp0 (filter, "upper") == 0)
		return g_utf8_strup (value, -1);
	if (g_strcmp0 (filter, "trim") == 0)
		return g_strstrip (g_strdup (value));
	if (g_strcmp0 (filter, "dots") == 0) {
		char *s = g_strdup (value);
		for (char *p = s; *p; p++) {
			if (*p == '_' || *p == '-' || *p == ' ')
				*p = '.';
		}
		return s;
	}
	if (g_strcmp0 (filter, "title") == 0) {
		GString *s = g_string_new (NULL);
		gboolean start = TRUE;
		for (const char *p = value; *p; p = g_utf8_next_char (p)) {
			gunichar c = g_utf8_get_char (p);
			g_string_append_unichar (s, start ? g_unichar_totitle (c) : c);
			start = !g_unichar_isalnum (c);
		}
		return g_string_free (s, FALSE);
	}
	if (g_strcmp0 (filter, "purl") == 0) {
		g_autofree char *lower = g_ascii_strdown (value, -1);
		return g_uri_escape_string (lower, "-._~", FALSE);
	}
	return g_strdup (value);
}

static const char *
lookup_var (const char *name, const TuRuleInput *in, GArray *caps, char **tmp)
{
	for (guint i = 0; i < caps->len; i++) {
		const Capture *c = &g_array_index (caps, Capture, i);
		if (g_strcmp0 (c->name, name) == 0)
			return c->value;
	}
	if (g_strcmp0 (name, "raw_name") == 0)
		return in->raw_name;
	if (g_strcmp0 (name, "raw_version") == 0)
		return in->version;
	if (g_strcmp0 (name, "raw_publisher") == 0)
		return in->raw_publisher;
	if (g_strcmp0 (name, "publisher") == 0)
		return in->publisher;
	if (g_strcmp0 (name, "source") == 0)
		return tu_source_to_string (in->source);
	if (g_strcmp0 (name, "arch") == 0)
		return in->arch;
	if (g_strcmp0 (name, "srcpkg") == 0)
		return in->srcpkg;
	if (g_strcmp0 (name, "purl") == 0)
		return in->purl;
	if (g_strcmp0 (name, "clean_name") == 0) {
		*tmp = tu_normaliser_clean_name (in->raw_name ? in->raw_name : "");
		return *tmp;
	}
	return NULL;
}

static char *
expand (const char *tmpl, const TuRuleInput *in, GArray *caps)
{
	if (tmpl == NULL)
		return NULL;
	/* most templates are literal text, already free of runs of blanks */
	if (strchr (tmpl, '{') == NULL)
		return g_strdup (tmpl);
	GString *out = g_string_new (NULL);
	for (const char *p = tmpl; *p; p++) {
		if (*p != '{') {
			g_string_append_c (out, *p);
			continue;
		}
		const char *close = strchr (p, '}');
		g_autofree char *inner = g_strndup (p + 1, (gsize) (close - p - 1));
		char *dflt = strstr (inner, ":-");
		if (dflt != NULL) {
			*dflt = '\0';
			dflt += 2;
		}
		char *filter = strchr (inner, '|');
		if (filter != NULL)
			*filter++ = '\0';
		g_autofree char *tmp = NULL;
		const char *v = lookup_var (inner, in, caps, &tmp);
		if (v == NULL || *v == '\0')
			v = dflt ? dflt : "";
		g_autofree char *f = apply_filter (v, filter);
		g_string_append (out, f);
		p = close;
	}
	/* collapse runs of blanks a missing capture may leave behind */
	g_autofree char *s = g_string_free (out, FALSE);
	g_auto(GStrv) words = g_strsplit_set (s, " \t", -1);
	GString *clean = g_string_new (NULL);
	for (guint i = 0; words[i] != NULL; i++) {
		if (*words[i] == '\0')
			continue;
		if (clean->len > 0)
			g_string_append_c (clean, ' ');
		g_string_append (clean, words[i]);
	}
	return g_string_free (clean, FALSE);
}

static gboolean
rule_eval (const TuRule *r, const TuRuleInput *in, GArray *caps, pcre2_match_data *md)
{
	if (!source_ok (r, in))
		return FALSE;
	for (guint i = 0; i < r->conds->len; i++) {
		if (!cond_eval_md (g_ptr_array_index (r->conds, i), in, caps, md))
			return FALSE;
	}
	return TRUE;
}

gboolean
tu_rule_set_match (TuRuleSet *set, const TuRuleInput *in, TuRuleResult *out)
{
	memset (out, 0, sizeof *out);
	g_autoptr(GArray) caps = g_array_new (FALSE, FALSE, sizeof (Capture));
	g_array_set_clear_func (caps, capture_clear);
	/* one match data for every condition tried: large enough for the rule set's patterns */
	g_autoptr(pcre2_match_data) md = pcre2_match_data_create (set->max_captures + 1, NULL);
	guint64 stack_bits[64];
	g_autofree guint64 *heap_bits = NULL;
	guint64 *bits = NULL;
	if (!set->no_prefilter && set->n_words > 0) {
		bits = set->n_words <= G_N_ELEMENTS (stack_bits)
			       ? stack_bits
			       : (heap_bits = g_new (guint64, set->n_words));
		prefilter_candidates (set, in, bits);
	}
	for (guint i = 0; i < set->rules->len; i++) {
		if (bits != NULL) {
			guint64 w = bits[i / 64] >> (i % 64);
			if (w == 0) {
				/* no candidate in the rest of this word */
				i = (i | 63u);
				continue;
			}
			if ((w & 1) == 0) {
				i += (guint) __builtin_ctzll (w) - 1;
				continue;
			}
		}
		const TuRule *r = g_ptr_array_index (set->rules, i);
		g_array_set_size (caps, 0);
		if (!rule_eval (r, in, caps, md))
			continue;
		out->rule = r;
		out->publisher = expand (r->set[S_PUBLISHER], in, caps);
		out->product = expand (r->set[S_PRODUCT], in, caps);
		out->edition = expand (r->set[S_EDITION], in, caps);
		out->release = expand (r->set[S_RELEASE], in, caps);
		out->version = expand (r->set[S_VERSION], in, caps);
		out->scheme = expand (r->set[S_SCHEME], in, caps);
		out->kind = expand (r->set[S_KIND], in, caps);
		out->licensable = expand (r->set[S_LICENSABLE], in, caps);
		out->component_of = expand (r->set[S_COMPONENT_OF], in, caps);
		out->cpe = expand (r->set[S_CPE], in, caps);
		out->purl = expand (r->set[S_PURL], in, caps);
		out->metric = expand (r->set[S_METRIC], in, caps);
		out->klass = expand (r->set[S_CLASS], in, caps);
		return TRUE;
	}
	return FALSE;
}

static void
trace_free (TuRuleTrace *t)
{
	g_free (t->failed);
	g_ptr_array_unref (t->captures);
	g_free (t);
}

static gint
trace_cmp (gconstpointer a, gconstpointer b)
{
	const TuRuleTrace *ta = *(TuRuleTrace *const *) a;
	const TuRuleTrace *tb = *(TuRuleTrace *const *) b;
	if (ta->matched != tb->matched)
		return ta->matched ? -1 : 1;
	double sa = (double) ta->n_passed / MAX (ta->n_conditions, 1u);
	double sb = (double) tb->n_passed / MAX (tb->n_conditions, 1u);
	if (sa != sb)
		return sa > sb ? -1 : 1;
	if (ta->n_passed != tb->n_passed)
		return ta->n_passed > tb->n_passed ? -1 : 1;
	return rule_cmp (&ta->rule, &tb->rule);
}

GPtrArray *
tu_rule_set_explain (TuRuleSet *set, const TuRuleInput *in)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) trace_free);
	g_autoptr(GArray) caps = g_array_new (FALSE, FALSE, sizeof (Capture));
	g_array_set_clear_func (caps, capture_clear);
	gboolean first_found = FALSE;
	for (guint i = 0; i < set->rules->len; i++) {
		const TuRule *r = g_ptr_array_index (set->rules, i);
		TuRuleTrace *t = g_new0 (TuRuleTrace, 1);
		t->rule = r;
		t->captures = g_ptr_array_new_with_free_func (g_free);
		g_array_set_size (caps, 0);
		t->n_conditions = r->conds->len + (r->sources ? 1 : 0);
		if (r->sources) {
			if (source_ok (r, in))
				t->n_passed++;
			else
				t->failed = g_strdup_printf ("source is %s", tu_source_to_string (in->source));
		}
		/* only the first name condition must pass for a rule to be a near match */
		gboolean name_passed = FALSE;
		for (guint c = 0; c < r->conds->len; c++) {
			const Cond *cond = g_ptr_array_index (r->conds, c);
			if (cond_eval (cond, in, caps)) {
				t->n_passed++;
				if (cond->field == F_NAME && !cond->negate)
					name_passed = TRUE;
			} else if (t->failed == NULL) {
				t->failed = g_strdup_printf ("%s%s %s", cond->negate ? "unless-" : "",
							     field_names[cond->field], cond->pattern);
			}
		}
		for (guint c = 0; c < caps->len; c++) {
			const Capture *cap = &g_array_index (caps, Capture, c);
			g_ptr_array_add (t->captures, g_strdup_printf ("%s=%s", cap->name, cap->value));
		}
		t->matched = t->n_passed == t->n_conditions && !first_found;
		if (t->matched)
			first_found = TRUE;
		/* a rule for another source is not a near match, whatever its name pattern says */
		gboolean other_source = r->sources != 0 && !source_ok (r, in);
		if (t->matched || (!other_source && (name_passed || (t->n_passed > 0 &&
								     t->n_passed + 1 >= t->n_conditions &&
								     t->n_conditions > 1))))
			g_ptr_array_add (out, t);
		else
			trace_free (t);
	}
	g_ptr_array_sort (out, trace_cmp);
	return out;
}
