/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The normaliser: aliases, rules, fallback and cache; see tu-normaliser.h.
 *
 * Results are interned in a GStringChunk owned by the normaliser and cached in a hash table
 * keyed by the raw identity (source, name, publisher, version, arch, source package), so the
 * common case (a string already seen on another host) costs one hash and a few compares.
 * The fallback for names no rule knows strips language tags, bitness and architecture markers
 * and trailing versions, and classifies updates and language packs; it never drops a record.
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tu-common.h"
#include "tu-normaliser.h"
#include "tu-rules.h"
#include "tu-fingerprints.h"


static const char *const kind_names[TU_KIND_LAST] = {
	"application", "update", "language-pack", "component", "system",
};

const char *
tu_kind_to_string (TuKind kind)
{
	return (guint) kind < TU_KIND_LAST ? kind_names[kind] : "application";
}

gboolean
tu_kind_from_string (const char *s, TuKind *out)
{
	for (guint i = 0; s != NULL && i < TU_KIND_LAST; i++) {
		if (g_strcmp0 (s, kind_names[i]) == 0) {
			*out = (TuKind) i;
			return TRUE;
		}
	}
	return FALSE;
}

static const char *const class_names[TU_CLASS_LAST] = {
	"unknown", "commercial", "freeware", "open-source", "component", "driver", "os",
};

const char *
tu_class_to_string (TuClass klass)
{
	return (guint) klass < TU_CLASS_LAST ? class_names[klass] : "unknown";
}

gboolean
tu_class_from_string (const char *s, TuClass *out)
{
	for (guint i = 0; s != NULL && i < TU_CLASS_LAST; i++) {
		if (g_strcmp0 (s, class_names[i]) == 0) {
			*out = (TuClass) i;
			return TRUE;
		}
	}
	return FALSE;
}

TuScheme
tu_scheme_for_source (TuSource source)
{
	switch (source) {
	case TU_SOURCE_DPKG:
		return TU_SCHEME_DPKG;
	case TU_SOURCE_RPM:
		return TU_SCHEME_RPM;
	case TU_SOURCE_APK:
		return TU_SCHEME_APK;
	case TU_SOURCE_PIP:
		return TU_SCHEME_PEP440;
	case TU_SOURCE_NPM:
		return TU_SCHEME_SEMVER;
	case TU_SOURCE_WINDOWS:
	case TU_SOURCE_MACOS:
		return TU_SCHEME_DOTTED;
	default:
		return TU_SCHEME_GENERIC;
	}
}

typedef struct {
	guint hash;
	TuSource source;
	const char *raw_name;
	const char *raw_publisher;
	const char *raw_version;
	const char *arch;
	const char *srcpkg;
	const char *purl;
	TuProduct product;
} CacheEntry;

struct _TuNormaliser {
	TuRuleSet *rules;
	GMutex lock;
	GHashTable *cache;	 /* CacheEntry* -> itself */
	GHashTable *publishers;	 /* raw publisher -> canonical (interned) */
	GStringChunk *strings;
	guint n_entries;
};

/* ---------------------------------------------------------------- fallback cleaning ---- */

typedef struct {
	pcre2_code *lang;
	pcre2_code *bitness;
	pcre2_code *trailing_version;
	pcre2_code *update;
	pcre2_code *language_pack;
	pcre2_code *legal_suffix;
	pcre2_code *driver;
	pcre2_code *os_appx;
	pcre2_code *component;
	pcre2_code *distro_suffix;
} Fallback;

static pcre2_code *
must_compile (const char *pattern)
{
	int code = 0;
	PCRE2_SIZE off = 0;
	pcre2_code *re = pcre2_compile ((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED,
					PCRE2_UTF | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &code,
					&off, NULL);
	if (re == NULL)
		g_error ("built-in pattern %s does not compile at %zu", pattern, (size_t) off);
	pcre2_jit_compile (re, PCRE2_JIT_COMPLETE);
	return re;
}

static const Fallback *
fallback_patterns (void)
{
	static gsize once = 0;
	static Fallback fb;
	if (g_once_init_enter (&once)) {
		/* language tags: "- en-us", "(en-US)", "en_GB", "(English)", "- Deutsch" */
		fb.lang = must_compile (
			"(?:\\s*[-\\x{2013}]\\s*|\\s+|\\()\\b(?:[a-z]{2,3}[-_][a-z]{2,4}(?:[-_][a-z]{2})?|"
			"english|deutsch|fran[cç]ais|espa[nñ]ol|italiano|portugu[eê]s|nederlands|"
			"svenska|dansk|norsk|suomi|polski|русский|日本語|中文\\S*|한국어)\\b\\)?"
			"(?=\\s|\\)|$|,)");
		/* bitness / architecture markers: "(x64)", "64-bit", "(32 bit)", "x86_64", "amd64" */
		fb.bitness = must_compile (
			"\\b(?:x64|x86|x86[-_]64|amd64|arm64|aarch64|i[3-6]86|win64|win32|"
			"(?:64|32)[- ]?bits?)\\b(?:\\s+(?:edition|version))?");
		/* trailing versions: " 22.01", " v1.2.3", " version 4.2", " Build 1234", " 1.0.0-beta" */
		fb.trailing_version = must_compile (
			"(?:\\s*[-,:]?\\s+(?:version|ver\\.?|v)?\\s*v?\\d+(?:[.,]\\d+)+[\\w.+~-]*|"
			"\\s+v\\d+[\\w.+~-]*|\\s+(?:build|rev\\.?|revision)\\s+\\d+[\\w.+-]*)\\s*$");
		fb.update = must_compile (
			"^(?:security\\s+update|update|hotfix|critical\\s+update|service\\s+pack\\s*\\d*|"
			"cumulative\\s+update|definition\\s+update|update\\s+rollup)\\s+for\\b|"
			"\\bKB\\d{6,7}\\b|\\(KB\\d+\\)");
		fb.language_pack = must_compile (
			"\\blanguage\\s+(?:interface\\s+)?pack\\b|\\bMUI\\b|\\blang(?:uage)?\\s*pack\\b|"
			"\\bproofing\\s+tools?\\b|\\bsprachpaket\\b|\\bmodule\\s+linguistique\\b");
		fb.legal_suffix = must_compile (
			"[,\\s]+(?:inc\\.?|incorporated|corp\\.?|corporation|co\\.?,?\\s*ltd\\.?|ltd\\.?|"
			"limited|llc|l\\.l\\.c\\.|gmbh(?:\\s*&\\s*co\\.?\\s*kg)?|ag|s\\.?a\\.?|s\\.?r\\.?l\\.?|"
			"b\\.?v\\.?|pty\\.?\\s*ltd\\.?|plc|oy|ab|as|a/s|k\\.?k\\.?)\\s*$");
		/* hardware drivers and the utilities that come with them */
		fb.driver = must_compile (
			"\\bdrivers?\\b|\\bchipset\\b|\\bfirmware\\b|\\bHD\\s+Audio\\b|"
			"\\b(?:audio|graphics|wireless|wi-?fi|bluetooth|ethernet|lan|touchpad|"
			"card\\s+reader|fingerprint|serial\\s+io|rapid\\s+storage|management\\s+"
			"engine|trusted\\s+connect|thunderbolt)\\b.*\\b(?:software|utility|"
			"service|console|package)\\b|^(?:Realtek|Synaptics|ELAN|Conexant|IDT|Intel\\(R\\)\\s+"
			"(?:Serial|Chipset|Management|Rapid|Wireless|PROSet|Trusted|Dynamic))");
		/* AppX packages of Windows itself and the frameworks Store apps share */
		fb.os_appx = must_compile (
			"^(?:Microsoft\\.(?:Windows\\.|UI\\.Xaml|VCLibs|NET\\.Native|Services\\.Store|"
			"DirectX|Advertising|AAD\\.|AccountsControl|AsyncTextService|BioEnrollment|"
			"CredDialogHost|ECApp|LockApp|Win32WebViewHost|XboxGameCallableUI|"
			"MicrosoftEdgeDevToolsClient|WindowsAppRuntime|Ink\\.|LanguageExperiencePack)|"
			"windows\\.|Windows\\.|InputApp$|MicrosoftWindows\\.|"
			"1527c705-839a-4832-9118-54d4Bd6a0c89|c5e2524a-ea46-4f67-841f-6a9465d9d515|"
			"E2A4F912-2574-4A75-9BB0-0D023378592B|F46D4000-FD22-4DB4-AC8E-4E1DDDE828FE)");
		/* parts other products install: runtimes, helpers, updaters, add-ins */
		fb.component = must_compile (
			"\\b(?:redistributable|runtime|update\\s+(?:helper|service)|updater|"
			"(?:add|plug)-?ins?|extension|helper|prerequisites?|bootstrapper|"
			"machine-wide\\s+installer|shared\\s+components?|minimum\\s+runtime|"
			"additional\\s+runtime|support\\s+files|native\\s+client|odbc|oledb|"
			"sdk|targeting\\s+pack|intellisense|templates?)\\b");
		/* what distributions append to an upstream version */
		fb.distro_suffix = must_compile (
			"(?:[+~.]dfsg|[+~](?:ds|repack|deb\\d|bpo|nmu|b\\d|build\\d|ubuntu)|"
			"(?<=\\d)ubuntu\\d|[._](?:el|fc|amzn|mga|sles?|suse|ph|oe)\\d).*$");
		g_once_init_leave (&once, 1);
	}
	return &fb;
}

static gboolean
re_search (pcre2_code *re, const char *s)
{
	g_autoptr(pcre2_match_data) md = pcre2_match_data_create_from_pattern (re, NULL);
	return pcre2_match (re, (PCRE2_SPTR) s, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0;
}

/* Remove every match of @re from @s (in place semantics, returns new string). */
static char *
re_remove_all (pcre2_code *re, const char *s)
{
	g_autoptr(pcre2_match_data) md = pcre2_match_data_create_from_pattern (re, NULL);
	GString *out = g_string_new (NULL);
	PCRE2_SIZE pos = 0;
	gsize len = strlen (s);
	while (pos <= len) {
		int rc = pcre2_match (re, (PCRE2_SPTR) s, len, pos, 0, md, NULL);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer (md);
		g_string_append_len (out, s + pos, (gssize) (ov[0] - pos));
		g_string_append_c (out, ' ');
		if (ov[1] == ov[0]) {
			if (ov[0] < len)
				g_string_append_c (out, s[ov[0]]);
			pos = ov[0] + 1;
		} else {
			pos = ov[1];
		}
	}
	if (pos < len)
		g_string_append (out, s + pos);
	return g_string_free (out, FALSE);
}

static char *
tidy (const char *s)
{
	/* collapse blanks; drop empty brackets and dangling separators at the ends */
	g_auto(GStrv) words = g_strsplit_set (s, " \t", -1);
	GString *out = g_string_new (NULL);
	for (guint i = 0; words[i] != NULL; i++) {
		if (*words[i] == '\0' || g_strcmp0 (words[i], "()") == 0 ||
		    g_strcmp0 (words[i], "[]") == 0)
			continue;
		if (out->len > 0)
			g_string_append_c (out, ' ');
		g_string_append (out, words[i]);
	}
	for (;;) {
		gsize n = out->len;
		while (out->len > 0 && strchr (" -,:;/(", out->str[out->len - 1]) != NULL)
			g_string_truncate (out, out->len - 1);
		if (g_str_has_suffix (out->str, "()"))
			g_string_truncate (out, out->len - 2);
		if (out->len == n)
			break;
	}
	while (out->len > 0 && strchr (" -,:;", out->str[0]) != NULL)
		g_string_erase (out, 0, 1);
	return g_string_free (out, FALSE);
}

/* Brackets after the markers went: a group left empty, or holding only a version or
 * separators, goes; an unmatched bracket goes. "Rust 1.79 (MSVC )" -> "Rust 1.79 (MSVC)",
 * "Foo (1.2)" -> "Foo", "Foo (" -> "Foo". */
static char *
fix_brackets (const char *s)
{
	gsize len = strlen (s);
	g_autofree gboolean *keep = g_new (gboolean, len + 1);
	for (gsize i = 0; i < len; i++)
		keep[i] = TRUE;
	/* match brackets with a stack; unmatched ones are dropped */
	g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (gsize));
	for (gsize i = 0; i < len; i++) {
		char c = s[i];
		if (c == '(' || c == '[') {
			g_array_append_val (stack, i);
		} else if (c == ')' || c == ']') {
			char want = c == ')' ? '(' : '[';
			if (stack->len == 0 || s[g_array_index (stack, gsize, stack->len - 1)] != want) {
				keep[i] = FALSE;
				continue;
			}
			gsize open = g_array_index (stack, gsize, stack->len - 1);
			g_array_set_size (stack, stack->len - 1);
			/* what the group holds, without blanks and separators at its ends */
			gsize a = open + 1, b = i;
			while (a < b && strchr (" \t-,;:/", s[a]) != NULL)
				a++;
			while (b > a && strchr (" \t-,;:/", s[b - 1]) != NULL)
				b--;
			gboolean empty = a == b;
			gboolean version_only = !empty;
			gsize v = a;
			if (v < b && (s[v] == 'v' || s[v] == 'V'))
				v++;
			if (v >= b || !g_ascii_isdigit (s[v]))
				version_only = FALSE;
			for (gsize k = v; version_only && k < b; k++) {
				if (!g_ascii_isalnum (s[k]) && strchr (".-_+", s[k]) == NULL)
					version_only = FALSE;
			}
			/* "(current user)", "(remove only)", "(x64 en-US)": installers' noise */
			gboolean noise = !empty && !version_only && tu_rules_is_noise (s + a, b - a);
			if (empty || version_only || noise) {
				for (gsize k = open; k <= i; k++)
					keep[k] = FALSE;
			} else {
				for (gsize k = open + 1; k < a; k++)
					keep[k] = FALSE;
				for (gsize k = b; k < i; k++)
					keep[k] = FALSE;
			}
		}
	}
	for (guint k = 0; k < stack->len; k++)
		keep[g_array_index (stack, gsize, k)] = FALSE;
	GString *out = g_string_sized_new (len);
	for (gsize i = 0; i < len; i++) {
		if (keep[i])
			g_string_append_c (out, s[i]);
	}
	return g_string_free (out, FALSE);
}

char *
tu_normaliser_clean_name (const char *raw_name)
{
	const Fallback *fb = fallback_patterns ();
	g_autofree char *a = re_remove_all (fb->lang, raw_name);
	g_autofree char *b = re_remove_all (fb->bitness, a);
	g_autofree char *fixed = fix_brackets (b);
	g_autofree char *c = tidy (fixed);
	/* a qualifier in brackets at the end stays, the version before it goes:
	 * "Rust 1.79 (MSVC)" -> "Rust (MSVC)" */
	g_autofree char *tail = NULL;
	gsize n = strlen (c);
	if (n > 0 && c[n - 1] == ')') {
		char *open = strrchr (c, '(');
		if (open != NULL && open > c && strchr (open, ')') == c + n - 1) {
			tail = g_strdup (open);
			*open = '\0';
			g_strchomp (c);
		}
	}
	/* trailing versions, repeatedly ("Foo 1.2 Build 33") */
	for (guint i = 0; i < 4; i++) {
		g_autofree char *d = re_remove_all (fb->trailing_version, c);
		g_autofree char *e = tidy (d);
		if (g_strcmp0 (e, c) == 0 || *e == '\0')
			break;
		g_free (c);
		c = g_steal_pointer (&e);
	}
	if (tail != NULL) {
		g_autofree char *joined = g_strdup_printf ("%s %s", c, tail);
		g_free (c);
		c = tidy (joined);
	}
	if (*c == '\0') {
		/* nothing but markers: the raw name, with its brackets balanced */
		g_autofree char *raw_fixed = fix_brackets (raw_name);
		g_autofree char *raw_tidy = tidy (raw_fixed);
		return *raw_tidy ? g_steal_pointer (&raw_tidy) : g_strdup (raw_name);
	}
	return g_steal_pointer (&c);
}

static char *
strip_legal_suffix (const char *publisher)
{
	const Fallback *fb = fallback_patterns ();
	g_autofree char *cur = g_strstrip (g_strdup (publisher));
	for (guint i = 0; i < 3; i++) {
		g_autoptr(pcre2_match_data) md = pcre2_match_data_create_from_pattern (fb->legal_suffix, NULL);
		int rc = pcre2_match (fb->legal_suffix, (PCRE2_SPTR) cur, PCRE2_ZERO_TERMINATED, 0, 0,
				      md, NULL);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer (md);
		if (ov[0] == 0)
			break;
		cur[ov[0]] = '\0';
		g_strchomp (cur);
	}
	/* a trailing period or comma left behind */
	gsize n = strlen (cur);
	while (n > 0 && (cur[n - 1] == ',' || cur[n - 1] == '.'))
		cur[--n] = '\0';
	return *cur ? g_steal_pointer (&cur) : g_strdup (publisher);
}

/* ---------------------------------------------------------------- upstream version ----- */

char *
tu_normaliser_upstream_version (TuSource source, const char *version)
{
	g_autofree char *up = NULL;
	if (version == NULL)
		return NULL;
	switch (source) {
	case TU_SOURCE_DPKG:
		up = tu_version_upstream (TU_SCHEME_DPKG, version);
		break;
	case TU_SOURCE_RPM:
		up = tu_version_upstream (TU_SCHEME_RPM, version);
		break;
	case TU_SOURCE_APK:
	case TU_SOURCE_PACMAN: {
		/* apk: upstream-rN; pacman: [epoch:]pkgver-pkgrel */
		const char *s = version;
		const char *colon = strchr (s, ':');
		if (source == TU_SOURCE_PACMAN && colon != NULL)
			s = colon + 1;
		const char *dash = strrchr (s, '-');
		gsize n = strlen (s);
		if (dash != NULL && dash > s) {
			const char *q = dash + 1;
			if (source == TU_SOURCE_APK && *q == 'r')
				q++;
			gboolean digits = g_ascii_isdigit (*q);
			while (g_ascii_isdigit (*q) || (source == TU_SOURCE_PACMAN && *q == '.'))
				q++;
			if (digits && *q == '\0')
				n = (gsize) (dash - s);
		}
		up = g_strndup (s, n);
		break;
	}
	default:
		return NULL;
	}
	g_strstrip (up);
	/* "2.0+really1.9": the package went back to upstream 1.9 under a higher version */
	const char *really = strstr (up, "really");
	if (really != NULL && really > up && strchr ("+~.", really[-1]) != NULL &&
	    g_ascii_isdigit (really[6])) {
		char *rest = g_strdup (really + 6);
		g_free (up);
		up = rest;
	}
	const Fallback *fb = fallback_patterns ();
	g_autoptr(pcre2_match_data) md = pcre2_match_data_create_from_pattern (fb->distro_suffix, NULL);
	if (pcre2_match (fb->distro_suffix, (PCRE2_SPTR) up, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer (md);
		if (ov[0] > 0)
			up[ov[0]] = '\0';
	}
	gsize n = strlen (up);
	while (n > 1 && strchr ("+~._-", up[n - 1]) != NULL)
		up[--n] = '\0';
	return g_steal_pointer (&up);
}

/* ---------------------------------------------------------------- construction --------- */

static guint run_tests (TuNormaliser *n, GPtrArray *failures, gboolean only_user);

static TuNormaliser *
normaliser_alloc (void)
{
	TuNormaliser *n = g_new0 (TuNormaliser, 1);
	g_mutex_init (&n->lock);
	n->strings = g_string_chunk_new (64 * 1024);
	n->publishers = g_hash_table_new (g_str_hash, g_str_equal);
	return n;
}

static guint
entry_hash (gconstpointer p)
{
	return ((const CacheEntry *) p)->hash;
}

static gboolean
entry_equal (gconstpointer a, gconstpointer b)
{
	const CacheEntry *x = a, *y = b;
	return x->hash == y->hash && x->source == y->source &&
	       g_strcmp0 (x->raw_name, y->raw_name) == 0 &&
	       g_strcmp0 (x->raw_version, y->raw_version) == 0 &&
	       g_strcmp0 (x->raw_publisher, y->raw_publisher) == 0 &&
	       g_strcmp0 (x->arch, y->arch) == 0 && g_strcmp0 (x->srcpkg, y->srcpkg) == 0 &&
	       g_strcmp0 (x->purl, y->purl) == 0;
}

TuNormaliser *
tu_normaliser_new_fallback (void)
{
	TuNormaliser *n = normaliser_alloc ();
	n->rules = tu_rule_set_new ();
	tu_rule_set_finish (n->rules, NULL);
	n->cache = g_hash_table_new_full (entry_hash, entry_equal, g_free, NULL);
	return n;
}

static gboolean
add_rule_file (const char *shown, const char *data, gsize len, gboolean is_user,
	       gpointer user_data, GError **error)
{
	return tu_rule_set_add_file (user_data, shown, data, len, is_user, error);
}

TuNormaliser *
tu_normaliser_new (const char *user_rules_dir, GError **error)
{
	g_autoptr(TuNormaliser) n = normaliser_alloc ();
	n->rules = tu_rule_set_new ();
	n->cache = g_hash_table_new_full (entry_hash, entry_equal, g_free, NULL);
	if (!tu_fingerprints_foreach_shipped (add_rule_file, n->rules, error))
		return NULL;
	if (user_rules_dir != NULL &&
	    !tu_fingerprints_foreach_in_dir (user_rules_dir, add_rule_file, n->rules, error))
		return NULL;
	if (!tu_rule_set_finish (n->rules, error))
		return NULL;
	/* the user's rules are tested as they load: a rule whose own test fails is an error,
	 * not a rule that silently does something else (the shipped rules are tested in CI
	 * and by `normalise --test`) */
	if (user_rules_dir != NULL) {
		g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
		run_tests (n, failures, TRUE);
		if (failures->len > 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s%s",
				     (const char *) g_ptr_array_index (failures, 0),
				     failures->len > 1 ? " (and more: see normalise --test)" : "");
			return NULL;
		}
	}
	return g_steal_pointer (&n);
}

void
tu_normaliser_free (TuNormaliser *n)
{
	if (n == NULL)
		return;
	if (n->cache != NULL)
		g_hash_table_unref (n->cache);
	g_hash_table_unref (n->publishers);
	g_string_chunk_free (n->strings);
	tu_rule_set_free (n->rules);
	g_mutex_clear (&n->lock);
	g_free (n);
}

guint
tu_normaliser_n_rules (TuNormaliser *n)
{
	return tu_rule_set_n_rules (n->rules);
}

const char *
tu_normaliser_digest (TuNormaliser *n)
{
	return tu_rule_set_digest (n->rules);
}

TuRuleSet *
tu_normaliser_get_rules (TuNormaliser *n)
{
	return n->rules;
}

/* ---------------------------------------------------------------- applying ------------- */

static const char *
intern (TuNormaliser *n, const char *s)
{
	return s ? g_string_chunk_insert_const (n->strings, s) : NULL;
}

/* caller holds the lock */
static const char *
canonical_publisher_locked (TuNormaliser *n, const char *raw)
{
	if (raw == NULL || *raw == '\0')
		return "";
	const char *hit = g_hash_table_lookup (n->publishers, raw);
	if (hit != NULL)
		return hit;
	const char *alias = tu_rule_set_publisher_alias (n->rules, raw);
	const char *canonical;
	if (alias != NULL) {
		canonical = intern (n, alias);
	} else {
		/* "Jane Doe <jane@example.org>" (dpkg Maintainer): the name, without the address */
		g_autofree char *no_mail = g_strdup (raw);
		char *lt = strchr (no_mail, '<');
		if (lt != NULL && lt > no_mail && strchr (lt, '>') != NULL) {
			*lt = '\0';
			g_strchomp (no_mail);
		}
		g_autofree char *stripped = strip_legal_suffix (no_mail);
		/* the alias table may know the stripped form ("Foo Inc." -> "Foo" -> "Foo Corp") */
		const char *again = tu_rule_set_publisher_alias (n->rules, stripped);
		canonical = intern (n, again ? again : stripped);
	}
	g_hash_table_insert (n->publishers, (gpointer) intern (n, raw), (gpointer) canonical);
	return canonical;
}

const char *
tu_normaliser_publisher (TuNormaliser *n, const char *publisher)
{
	g_mutex_lock (&n->lock);
	const char *c = canonical_publisher_locked (n, publisher);
	g_mutex_unlock (&n->lock);
	return c;
}

static guint
record_hash (const TuRecord *r)
{
	guint h = (guint) r->source * 2654435761u;
	const char *parts[] = {r->raw_name, r->raw_version, r->raw_publisher, r->arch,
			       r->source_package, r->purl};
	for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
		h = h * 31u + (parts[i] ? g_str_hash (parts[i]) : 7u);
	return h;
}

/* Names as installers write them come composed or decomposed ("é" or "e" + U+0301): rules
 * see the composed form (NFC). (transfer full) */
static char *
nfc (const char *s)
{
	if (s == NULL)
		return NULL;
	for (const guchar *p = (const guchar *) s; *p; p++) {
		if (*p >= 0x80)
			return g_utf8_normalize (s, -1, G_NORMALIZE_NFC);
	}
	return g_strdup (s);
}

static gboolean
is_distribution_source (TuSource s)
{
	return s == TU_SOURCE_DPKG || s == TU_SOURCE_RPM || s == TU_SOURCE_APK || s == TU_SOURCE_PACMAN;
}

/* The publishers whose packages make up the distributions themselves. */
static gboolean
is_distribution_publisher (const char *publisher)
{
	static const char *const distros[] = {
		"Debian", "Canonical", "Ubuntu", "Red Hat", "Fedora Project", "CentOS", "Rocky Linux",
		"AlmaLinux", "SUSE", "openSUSE", "Alpine Linux", "Arch Linux", "Amazon",
		NULL,
	};
	return publisher == NULL || *publisher == '\0' || g_strv_contains (distros, publisher);
}

/* What a record is, for triage. A rule's "class" line decides; otherwise its kind, whether it
 * is licensable, its publisher's class and its source; for records no rule knows, the
 * source's own kind and the shape of the name. */
static TuClass
classify (TuNormaliser *n, const TuRecord *r, const TuProduct *p, const char *rule_class,
	  gboolean rule_says_licensable)
{
	TuClass k = TU_CLASS_UNKNOWN;
	const Fallback *fb = fallback_patterns ();
	const char *name = r->raw_name ? r->raw_name : "";
	if (rule_class != NULL && tu_class_from_string (rule_class, &k))
		return k;
	if (p->kind == TU_KIND_SYSTEM)
		return TU_CLASS_OS;
	if (p->kind == TU_KIND_COMPONENT || p->kind == TU_KIND_UPDATE ||
	    p->kind == TU_KIND_LANGUAGE_PACK)
		return TU_CLASS_COMPONENT;
	if (p->is_recognised) {
		if (p->is_licensable)
			return TU_CLASS_COMMERCIAL;
		const char *pc = tu_rule_set_publisher_class (n->rules, p->publisher);
		if (pc != NULL && tu_class_from_string (pc, &k))
			return k;
		if (is_distribution_source (r->source) || r->source == TU_SOURCE_PIP ||
		    r->source == TU_SOURCE_NPM)
			return TU_CLASS_OPEN_SOURCE;
		return rule_says_licensable ? TU_CLASS_FREEWARE : TU_CLASS_UNKNOWN;
	}
	if (re_search (fb->driver, name))
		return TU_CLASS_DRIVER;
	if (r->source == TU_SOURCE_WINDOWS && re_search (fb->os_appx, name))
		return TU_CLASS_OS;
	if (is_distribution_source (r->source))
		return is_distribution_publisher (p->publisher) ? TU_CLASS_OS : TU_CLASS_UNKNOWN;
	if (r->source == TU_SOURCE_PIP || r->source == TU_SOURCE_NPM)
		return TU_CLASS_OPEN_SOURCE;
	if (re_search (fb->component, name))
		return TU_CLASS_COMPONENT;
	return TU_CLASS_UNKNOWN;
}

static void
normalise_uncached (TuNormaliser *n, const TuRecord *r, TuProduct *p)
{
	g_autofree char *name_nfc = nfc (r->raw_name);
	g_autofree char *publisher_nfc = nfc (r->raw_publisher);
	const char *publisher = canonical_publisher_locked (n, publisher_nfc);
	TuRuleInput in = {
		.source = r->source,
		.raw_name = name_nfc,
		.raw_publisher = publisher_nfc,
		.publisher = publisher,
		.version = r->raw_version,
		.arch = r->arch,
		.srcpkg = r->source_package,
		.purl = r->purl,
	};
	TuRuleResult res;
	const Fallback *fb = fallback_patterns ();
	const char *rule_class = NULL;
	gboolean rule_says_licensable = FALSE;
	memset (p, 0, sizeof *p);
	p->scheme = tu_scheme_for_source (r->source);
	/* exports (osquery, SBOMs) carry purls that say which packaging a version follows */
	if (p->scheme == TU_SCHEME_GENERIC && r->purl != NULL) {
		static const struct {
			const char *prefix;
			TuScheme scheme;
		} by_purl[] = {
			{"pkg:deb/", TU_SCHEME_DPKG},	  {"pkg:rpm/", TU_SCHEME_RPM},
			{"pkg:apk/", TU_SCHEME_APK},	  {"pkg:pypi/", TU_SCHEME_PEP440},
			{"pkg:npm/", TU_SCHEME_SEMVER}, {"pkg:golang/", TU_SCHEME_SEMVER},
			{"pkg:cargo/", TU_SCHEME_SEMVER},
		};
		for (guint i = 0; i < G_N_ELEMENTS (by_purl); i++) {
			if (g_str_has_prefix (r->purl, by_purl[i].prefix))
				p->scheme = by_purl[i].scheme;
		}
	}
	p->kind = TU_KIND_APPLICATION;
	if (tu_rule_set_match (n->rules, &in, &res)) {
		const char *pub = res.publisher && *res.publisher ? res.publisher : publisher;
		/* the alias table applies to what rules produce too: one spelling per publisher */
		p->publisher = canonical_publisher_locked (n, pub);
		if (*p->publisher == '\0')
			p->publisher = intern (n, pub);
		p->product = intern (n, res.product && *res.product ? res.product : r->raw_name);
		p->edition = intern (n, res.edition ? res.edition : "");
		p->release = intern (n, res.release ? res.release : "");
		p->version = intern (n, res.version && *res.version ? res.version
					: r->raw_version ? r->raw_version : "");
		if (res.scheme != NULL)
			tu_scheme_from_string (res.scheme, &p->scheme);
		if (res.kind != NULL)
			tu_kind_from_string (res.kind, &p->kind);
		gboolean lic = FALSE;
		if (res.licensable != NULL && tu_parse_bool (res.licensable, &lic, "licensable", NULL))
			p->is_licensable = lic;
		p->component_of = res.component_of && *res.component_of ? intern (n, res.component_of)
									: NULL;
		p->cpe = res.cpe && *res.cpe ? intern (n, res.cpe) : NULL;
		p->purl = res.purl && *res.purl ? intern (n, res.purl) : NULL;
		p->metric = res.metric && *res.metric ? intern (n, res.metric) : NULL;
		p->rule = intern (n, tu_rule_location (res.rule));
		p->is_recognised = TRUE;
		rule_class = res.klass != NULL && *res.klass ? intern (n, res.klass) : NULL;
		rule_says_licensable = tu_rule_sets_licensable (res.rule);
		/* an edition the product hierarchy calls free is never licensable */
		const TuProductInfo *info = tu_rule_set_product_info (n->rules, p->publisher, p->product);
		if (info != NULL && *p->edition != '\0') {
			g_autofree char *fold = g_utf8_casefold (p->edition, -1);
			if (g_hash_table_contains (info->free_editions, fold))
				p->is_licensable = FALSE;
		}
		if (p->metric == NULL && info != NULL && info->metric != NULL)
			p->metric = intern (n, info->metric);
		tu_rule_result_clear (&res);
	} else {
		g_autofree char *clean = tu_normaliser_clean_name (r->raw_name ? r->raw_name : "");
		p->publisher = publisher;
		p->product = intern (n, clean);
		p->edition = "";
		p->release = "";
		p->version = intern (n, r->raw_version ? r->raw_version : "");
		p->purl = r->purl ? intern (n, r->purl) : NULL;
		p->cpe = r->cpe ? intern (n, r->cpe) : NULL;
		p->is_recognised = FALSE;
		p->is_licensable = FALSE;
		const char *name = r->raw_name ? r->raw_name : "";
		if (re_search (fb->update, name))
			p->kind = TU_KIND_UPDATE;
		else if (re_search (fb->language_pack, name))
			p->kind = TU_KIND_LANGUAGE_PACK;
	}
	/* the source knows better than a name pattern that an entry is an update (Windows
	 * ParentKeyName) or part of the OS */
	if (r->kind != NULL && p->kind == TU_KIND_APPLICATION) {
		TuKind k;
		if (tu_kind_from_string (r->kind, &k))
			p->kind = k;
	}
	/* updates, hotfixes and language packs are never counted as licensable products */
	if (p->kind == TU_KIND_UPDATE || p->kind == TU_KIND_LANGUAGE_PACK)
		p->is_licensable = FALSE;
	{
		g_autofree char *up = tu_normaliser_upstream_version (r->source, r->raw_version);
		p->upstream_version = up != NULL ? intern (n, up) : NULL;
	}
	p->klass = classify (n, r, p, rule_class, rule_says_licensable);
}

const TuProduct *
tu_normaliser_apply (TuNormaliser *n, const TuRecord *r)
{
	CacheEntry key = {
		.hash = record_hash (r),
		.source = r->source,
		.raw_name = r->raw_name,
		.raw_publisher = r->raw_publisher,
		.raw_version = r->raw_version,
		.arch = r->arch,
		.srcpkg = r->source_package,
		.purl = r->purl,
	};
	g_mutex_lock (&n->lock);
	CacheEntry *hit = g_hash_table_lookup (n->cache, &key);
	if (hit == NULL) {
		hit = g_new0 (CacheEntry, 1);
		*hit = key;
		hit->raw_name = intern (n, r->raw_name);
		hit->raw_publisher = intern (n, r->raw_publisher);
		hit->raw_version = intern (n, r->raw_version);
		hit->arch = intern (n, r->arch);
		hit->srcpkg = intern (n, r->source_package);
		hit->purl = intern (n, r->purl);
		normalise_uncached (n, r, &hit->product);
		g_hash_table_add (n->cache, hit);
		n->n_entries++;
	}
	g_mutex_unlock (&n->lock);
	return &hit->product;
}

/* ---------------------------------------------------------------- tests and explain ---- */

static const char *
product_field (const TuProduct *p, const char *field)
{
	if (g_strcmp0 (field, "publisher") == 0)
		return p->publisher;
	if (g_strcmp0 (field, "product") == 0)
		return p->product;
	if (g_strcmp0 (field, "edition") == 0)
		return p->edition;
	if (g_strcmp0 (field, "release") == 0)
		return p->release;
	if (g_strcmp0 (field, "version") == 0)
		return p->version;
	if (g_strcmp0 (field, "scheme") == 0)
		return tu_scheme_to_string (p->scheme);
	if (g_strcmp0 (field, "kind") == 0)
		return tu_kind_to_string (p->kind);
	if (g_strcmp0 (field, "licensable") == 0)
		return p->is_licensable ? "yes" : "no";
	if (g_strcmp0 (field, "recognised") == 0)
		return p->is_recognised ? "yes" : "no";
	if (g_strcmp0 (field, "component-of") == 0)
		return p->component_of ? p->component_of : "";
	if (g_strcmp0 (field, "cpe") == 0)
		return p->cpe ? p->cpe : "";
	if (g_strcmp0 (field, "purl") == 0)
		return p->purl ? p->purl : "";
	if (g_strcmp0 (field, "metric") == 0)
		return p->metric ? p->metric : "";
	if (g_strcmp0 (field, "class") == 0)
		return tu_class_to_string (p->klass);
	if (g_strcmp0 (field, "upstream-version") == 0)
		return p->upstream_version ? p->upstream_version : "";
	return "";
}

/* A publisher's spelling folded to what differs between two spellings of one name: case,
 * punctuation, blanks and legal suffixes. (transfer full) */
static char *
publisher_fold (const char *publisher)
{
	g_autofree char *stripped = strip_legal_suffix (publisher);
	g_autofree char *lower = g_utf8_casefold (stripped, -1);
	GString *out = g_string_new (NULL);
	for (const char *p = lower; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (g_unichar_isalnum (c))
			g_string_append_unichar (out, c);
	}
	return g_string_free (out, FALSE);
}

/* One spelling per publisher: a rule's literal publisher must be its own canonical spelling
 * (not one the alias table maps elsewhere), and no two canonical spellings may differ only in
 * case, punctuation or legal suffix. */
static guint
check_publisher_spellings (TuNormaliser *n, GPtrArray *failures)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GPtrArray) canon = tu_rule_set_canonical_publishers (n->rules);
	guint n_checks = 0;
	for (guint i = 0; i < canon->len; i++) {
		const char *c = g_ptr_array_index (canon, i);
		char *key = publisher_fold (c);
		const char *other = g_hash_table_lookup (seen, key);
		if (other != NULL && g_strcmp0 (other, c) != 0)
			g_ptr_array_add (failures,
					 g_strdup_printf ("publisher \"%s\" and \"%s\": two spellings of "
							  "one publisher in the alias table",
							  other, c));
		if (other == NULL)
			g_hash_table_insert (seen, key, g_strdup (c));
		else
			g_free (key);
		n_checks++;
	}
	GPtrArray *rules = tu_rule_set_rules (n->rules);
	for (guint i = 0; i < rules->len; i++) {
		const TuRule *r = g_ptr_array_index (rules, i);
		const char *pub = tu_rule_set_value (r, "publisher");
		if (pub == NULL || strchr (pub, '{') != NULL)
			continue;
		n_checks++;
		const char *alias = tu_rule_set_publisher_alias (n->rules, pub);
		if (alias != NULL && g_strcmp0 (alias, pub) != 0) {
			g_ptr_array_add (failures,
					 g_strdup_printf ("%s: rule %s sets publisher \"%s\", which the "
							  "alias table spells \"%s\"",
							  tu_rule_location (r), tu_rule_id (r), pub, alias));
			continue;
		}
		g_autofree char *key = publisher_fold (pub);
		const char *other = g_hash_table_lookup (seen, key);
		if (other == NULL)
			g_hash_table_insert (seen, g_steal_pointer (&key), g_strdup (pub));
		else if (g_strcmp0 (other, pub) != 0)
			g_ptr_array_add (failures,
					 g_strdup_printf ("%s: rule %s sets publisher \"%s\", a second "
							  "spelling of \"%s\"",
							  tu_rule_location (r), tu_rule_id (r), pub, other));
	}
	return n_checks;
}

guint
tu_normaliser_run_tests (TuNormaliser *n, GPtrArray *failures)
{
	guint n_tests = run_tests (n, failures, FALSE);
	check_publisher_spellings (n, failures);
	return n_tests;
}

static guint
run_tests (TuNormaliser *n, GPtrArray *failures, gboolean only_user)
{
	GPtrArray *tests = tu_rule_set_tests (n->rules);
	guint n_run = 0;
	for (guint i = 0; i < tests->len; i++) {
		const TuRuleTest *t = g_ptr_array_index (tests, i);
		if (only_user && !tu_rule_is_user (t->rule))
			continue;
		n_run++;
		TuRecord r = TU_RECORD_INIT;
		r.source = t->input.source;
		r.raw_name = t->input.raw_name;
		r.raw_publisher = t->input.raw_publisher;
		r.raw_version = t->input.version;
		r.arch = t->input.arch;
		r.source_package = t->input.srcpkg;
		r.purl = t->input.purl;
		TuProduct p;
		g_mutex_lock (&n->lock);
		normalise_uncached (n, &r, &p);
		g_mutex_unlock (&n->lock);
		g_autoptr(GString) problems = g_string_new (NULL);
		/* the test's own rule must fire unless it names another */
		const char *want_rule = g_hash_table_lookup (t->expect, "rule");
		const char *own = tu_rule_id (t->rule);
		const char *fired = NULL;
		TuRuleInput in = {.source = r.source, .raw_name = r.raw_name, .raw_publisher = r.raw_publisher,
				  .publisher = tu_normaliser_publisher (n, r.raw_publisher),
				  .version = r.raw_version, .arch = r.arch, .srcpkg = r.source_package,
				  .purl = r.purl};
		TuRuleResult res;
		if (tu_rule_set_match (n->rules, &in, &res)) {
			fired = tu_rule_id (res.rule);
			tu_rule_result_clear (&res);
		}
		const char *expected_rule = want_rule ? want_rule : own;
		if (g_strcmp0 (expected_rule, "none") == 0)
			expected_rule = NULL; /* "expect rule=none": no rule may fire */
		if (g_strcmp0 (fired, expected_rule) != 0)
			g_string_append_printf (problems, "%srule %s should fire, but %s did",
						problems->len ? "; " : "",
						expected_rule ? expected_rule : "none",
						fired ? fired : "none (fallback)");
		GHashTableIter iter;
		gpointer k, v;
		g_hash_table_iter_init (&iter, t->expect);
		g_autoptr(GPtrArray) keys = g_ptr_array_new ();
		while (g_hash_table_iter_next (&iter, &k, &v))
			g_ptr_array_add (keys, k);
		g_ptr_array_sort (keys, (GCompareFunc) g_strcmp0);
		for (guint j = 0; j < keys->len; j++) {
			const char *field = g_ptr_array_index (keys, j);
			if (g_strcmp0 (field, "rule") == 0)
				continue;
			const char *want = g_hash_table_lookup (t->expect, field);
			const char *got = product_field (&p, field);
			gboolean same = g_strcmp0 (want, got) == 0;
			gboolean want_bool = FALSE;
			/* yes/no fields accept any spelling of a boolean */
			if (!same && (g_strcmp0 (field, "licensable") == 0 ||
				      g_strcmp0 (field, "recognised") == 0) &&
			    tu_parse_bool (want, &want_bool, field, NULL))
				same = g_strcmp0 (want_bool ? "yes" : "no", got) == 0;
			if (!same)
				g_string_append_printf (problems, "%sexpected %s=\"%s\", got \"%s\"",
							problems->len ? "; " : "", field, want, got);
		}
		if (problems->len > 0)
			g_ptr_array_add (failures, g_strdup_printf ("%s:%u: test \"%s\": %s", t->file,
								    t->line, t->input.raw_name,
								    problems->str));
	}
	return n_run;
}

GPtrArray *
tu_normaliser_explain (TuNormaliser *n, const TuRecord *r)
{
	TuRuleInput in = {.source = r->source,
			  .raw_name = r->raw_name,
			  .raw_publisher = r->raw_publisher,
			  .publisher = tu_normaliser_publisher (n, r->raw_publisher),
			  .version = r->raw_version,
			  .arch = r->arch,
			  .srcpkg = r->source_package,
			  .purl = r->purl};
	return tu_rule_set_explain (n->rules, &in);
}
