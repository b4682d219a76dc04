/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Binary fingerprints: software installed outside the package managers (a JDK unpacked in
 * /opt, nginx built into /usr/local, a static binary dropped into /usr/local/bin), recognised
 * by a version string inside the file. The rules are the "binary" stanzas of the rule files
 * (data/fingerprints/binaries.rules, compiled in, plus the user's *.rules), see the binary
 * section of data/fingerprints/README.md:
 *
 *   binary ID
 *     path GLOB...            shell globs relative to the root, {a,b} alternatives expanded
 *     content PCRE2           with a (?<version>...) group; several are tried in order
 *     hint LITERAL            (after a content) a string the match contains
 *     unless-file REL...      skip the match when one of these files exists (../release)
 *     set name TEMPLATE       the raw name; {group} inserts a named group of the match
 *     set publisher TEMPLATE
 *
 * Rules are compiled once (PCRE2 with JIT, byte semantics, a match limit); a TuBinaryRules is
 * read-only afterwards, so scans on several threads may share it. For one file, the rules
 * whose globs match its path are tried in order (user rules first, then the shipped ones in
 * file order) and the first that matches gives the file's one record. Files are scanned in
 * chunks of 1 MiB that overlap by 4 KiB, so a match (which must fit in 4 KiB) on a chunk
 * boundary is still found; with a hint, only the 4 KiB either side of each occurrence of the
 * hint (found with memmem) is handed to PCRE2.
 *
 * The finder expands every glob's directory once, reads each candidate file (at most
 * TU_SCAN_MAX_BINARY_BYTES), keeps one of several names for the same bytes in one folder
 * (symlinks, hard links) and, only when something matched, reads dpkg's file lists and
 * md5sums once to drop matches on files a package owns (the path, or the same bytes behind a
 * symlink such as /usr/local/bin/postgres -> /usr/lib/postgresql/15/bin/postgres).
 */
#include "config.h"

#include <fnmatch.h>
#include <pcre2.h>
#include <string.h>

#include "tu-common.h"
#include "tu-fingerprints.h"
#include "tu-sources.h"
#include "tu-stanza.h"

#define CHUNK_BYTES (1024u * 1024u)
#define OVERLAP_BYTES 4096u
#define MATCH_LIMIT 1000000u
#define MAX_EXPANSIONS 256u

typedef struct {
	pcre2_code *code;
	char *hint; /* NULL, or bytes (escapes decoded) */
	gsize hint_len;
	guint line;
	int version_group;
} Pattern;

typedef struct {
	char *id;
	char *file;
	guint line;
	GPtrArray *globs;	 /* char*, expanded */
	GArray *patterns;	 /* Pattern */
	GPtrArray *unless_files; /* char* */
	char *set_name;
	char *set_publisher;
} BinaryRule;

struct _TuBinaryRules {
	GPtrArray *rules; /* BinaryRule*, in the order they are tried */
	GPtrArray *globs; /* char*: every rule's globs, each once */
	pcre2_match_context *match_context;
	guint32 max_captures;
};

static void
pattern_clear (Pattern *p)
{
	pcre2_code_free (p->code);
	g_free (p->hint);
}

static void
binary_rule_free (BinaryRule *r)
{
	if (r == NULL)
		return;
	g_free (r->id);
	g_free (r->file);
	g_ptr_array_unref (r->globs);
	g_array_unref (r->patterns);
	g_ptr_array_unref (r->unless_files);
	g_free (r->set_name);
	g_free (r->set_publisher);
	g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BinaryRule, binary_rule_free)

void
tu_binary_rules_free (TuBinaryRules *rules)
{
	if (rules == NULL)
		return;
	g_ptr_array_unref (rules->rules);
	g_ptr_array_unref (rules->globs);
	pcre2_match_context_free (rules->match_context);
	g_free (rules);
}

GPtrArray *
tu_binary_rules_globs (TuBinaryRules *rules)
{
	return rules->globs;
}

/* ------------------------------------------------------------------ loading ------------ */

/* "{usr/local,opt/app}/bin/{a,b}" -> four globs; no nesting */
static gboolean
expand_braces (const char *word, GPtrArray *out, const char *file, guint line, GError **error)
{
	const char *open = strchr (word, '{');
	if (open == NULL) {
		if (strchr (word, '}') != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: path: \"}\" without \"{\" in %s", file, line, word);
			return FALSE;
		}
		if (out->len >= MAX_EXPANSIONS) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: path: more than %u globs from one word", file, line,
				     MAX_EXPANSIONS);
			return FALSE;
		}
		g_ptr_array_add (out, g_strdup (word));
		return TRUE;
	}
	const char *close = strchr (open, '}');
	const char *nested = strchr (open + 1, '{');
	if (close == NULL || (nested != NULL && nested < close)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: path: unbalanced or nested braces in %s", file, line, word);
		return FALSE;
	}
	g_autofree char *inner = g_strndup (open + 1, (gsize) (close - open - 1));
	g_auto(GStrv) alternatives = g_strsplit (inner, ",", -1);
	for (guint i = 0; alternatives[i] != NULL; i++) {
		g_autofree char *next = g_strdup_printf ("%.*s%s%s", (int) (open - word), word,
							 alternatives[i], close + 1);
		if (!expand_braces (next, out, file, line, error))
			return FALSE;
	}
	return TRUE;
}

/* What the SSH collector can expand with sh and what stays inside the root. */
static gboolean
check_glob (const char *glob, const char *file, guint line, GError **error)
{
	const char *why = NULL;
	if (*glob == '\0')
		why = "an empty glob";
	else if (glob[0] == '/')
		why = "globs are relative to the root (no leading /)";
	else if (strstr (glob, "**") != NULL)
		why = "** is not a sh glob (the SSH collector expands globs with sh)";
	else if (g_str_has_prefix (glob, "../") || strstr (glob, "/../") != NULL ||
		 g_str_has_suffix (glob, "/..") || strcmp (glob, "..") == 0)
		why = "\"..\" leaves the root";
	else if (strpbrk (glob, "\"'`$\\;&|<>()\n\t") != NULL)
		why = "quotes, $, backslashes and shell operators are not allowed";
	if (why == NULL)
		return TRUE;
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: path %s: %s", file, line, glob, why);
	return FALSE;
}

/* A hint's escapes: \xHH, \t, \n, \r, \0, \\; anything else is itself. */
static char *
unescape_hint (const char *s, gsize *len, const char *file, guint line, GError **error)
{
	GString *out = g_string_new (NULL);
	for (const char *p = s; *p != '\0'; p++) {
		if (*p != '\\') {
			g_string_append_c (out, *p);
			continue;
		}
		p++;
		switch (*p) {
		case 'x':
			if (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])) {
				g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16 +
								 g_ascii_xdigit_value (p[2])));
				p += 2;
				break;
			}
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: hint: \\x needs two hexadecimal digits", file, line);
			g_string_free (out, TRUE);
			return NULL;
		case 't':
			g_string_append_c (out, '\t');
			break;
		case 'n':
			g_string_append_c (out, '\n');
			break;
		case 'r':
			g_string_append_c (out, '\r');
			break;
		case '0':
			g_string_append_c (out, '\0');
			break;
		case '\0':
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: hint: a lone backslash at the end", file, line);
			g_string_free (out, TRUE);
			return NULL;
		default:
			g_string_append_c (out, *p);
			break;
		}
	}
	*len = out->len;
	return g_string_free (out, FALSE);
}

static gboolean
compile_content (BinaryRule *r, const char *value, guint line, guint32 *max_captures,
		 GError **error)
{
	int code = 0;
	PCRE2_SIZE offset = 0;
	pcre2_code *re = pcre2_compile ((PCRE2_SPTR) value, PCRE2_ZERO_TERMINATED, PCRE2_NEVER_UTF, &code,
					&offset, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message (code, msg, sizeof msg);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: content: PCRE2 error at offset %zu: %s", r->file, line, (size_t) offset,
			     (const char *) msg);
		return FALSE;
	}
	int group = pcre2_substring_number_from_name (re, (PCRE2_SPTR) "version");
	if (group < 0) {
		pcre2_code_free (re);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: content: the pattern has no (?<version>...) group", r->file, line);
		return FALSE;
	}
	/* without JIT (some architectures) the interpreter does the same work, slower */
	pcre2_jit_compile (re, PCRE2_JIT_COMPLETE);
	uint32_t n = 0;
	pcre2_pattern_info (re, PCRE2_INFO_CAPTURECOUNT, &n);
	*max_captures = MAX (*max_captures, n);
	Pattern p = {re, NULL, 0, line, group};
	g_array_append_val (r->patterns, p);
	return TRUE;
}

/* Every {NAME} of a template must be a group of one of the rule's patterns. */
static gboolean
check_template (BinaryRule *r, const char *tmpl, guint line, GError **error)
{
	for (const char *p = tmpl; *p != '\0'; p++) {
		if (*p == '}') {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: set: \"}\" without \"{\"",
				     r->file, line);
			return FALSE;
		}
		if (*p != '{')
			continue;
		const char *close = strchr (p, '}');
		if (close == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: set: \"{\" without \"}\"",
				     r->file, line);
			return FALSE;
		}
		g_autofree char *name = g_strndup (p + 1, (gsize) (close - p - 1));
		gboolean known = FALSE;
		for (guint i = 0; i < r->patterns->len && !known; i++) {
			Pattern *pat = &g_array_index (r->patterns, Pattern, i);
			known = pcre2_substring_number_from_name (pat->code, (PCRE2_SPTR) name) >= 0;
		}
		if (!known) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: set: {%s} is not a named group of the rule's content patterns",
				     r->file, line, name);
			return FALSE;
		}
		p = close;
	}
	return TRUE;
}

static BinaryRule *
rule_from_stanza (const TuStanza *st, guint32 *max_captures, GError **error)
{
	g_autoptr(BinaryRule) r = g_new0 (BinaryRule, 1);
	r->id = g_strdup (st->arg);
	r->file = g_strdup (st->file);
	r->line = st->line;
	r->globs = g_ptr_array_new_with_free_func (g_free);
	r->patterns = g_array_new (FALSE, TRUE, sizeof (Pattern));
	g_array_set_clear_func (r->patterns, (GDestroyNotify) pattern_clear);
	r->unless_files = g_ptr_array_new_with_free_func (g_free);
	if (r->id == NULL || *r->id == '\0' || strpbrk (r->id, " \t") != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: binary: one word expected (an ID)",
			     st->file, st->line);
		return NULL;
	}
	guint name_line = 0, publisher_line = 0;
	for (guint i = 0; i < st->lines->len; i++) {
		const TuStanzaLine *l = g_ptr_array_index (st->lines, i);
		if (strcmp (l->key, "path") == 0) {
			g_auto(GStrv) words = g_strsplit_set (l->value, " \t", -1);
			for (guint w = 0; words[w] != NULL; w++) {
				if (*words[w] == '\0')
					continue;
				g_autoptr(GPtrArray) expanded = g_ptr_array_new_with_free_func (g_free);
				if (!expand_braces (words[w], expanded, st->file, l->line, error))
					return NULL;
				for (guint e = 0; e < expanded->len; e++) {
					const char *glob = g_ptr_array_index (expanded, e);
					if (!check_glob (glob, st->file, l->line, error))
						return NULL;
					g_ptr_array_add (r->globs, g_strdup (glob));
				}
			}
		} else if (strcmp (l->key, "content") == 0) {
			if (!compile_content (r, l->value, l->line, max_captures, error))
				return NULL;
		} else if (strcmp (l->key, "hint") == 0) {
			Pattern *last = r->patterns->len > 0
						? &g_array_index (r->patterns, Pattern, r->patterns->len - 1)
						: NULL;
			if (last == NULL || last->hint != NULL) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: hint: belongs right after a content line (one each)",
					     st->file, l->line);
				return NULL;
			}
			gsize len = 0;
			char *hint = unescape_hint (l->value, &len, st->file, l->line, error);
			if (hint == NULL)
				return NULL;
			if (len < 2) {
				g_free (hint);
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: hint: at least two bytes", st->file, l->line);
				return NULL;
			}
			last->hint = hint;
			last->hint_len = len;
		} else if (strcmp (l->key, "unless-file") == 0) {
			g_auto(GStrv) words = g_strsplit_set (l->value, " \t", -1);
			for (guint w = 0; words[w] != NULL; w++) {
				if (*words[w] == '\0')
					continue;
				if (words[w][0] == '/') {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s:%u: unless-file: %s: relative to the matched file's folder",
						     st->file, l->line, words[w]);
					return NULL;
				}
				g_ptr_array_add (r->unless_files, g_strdup (words[w]));
			}
		} else if (strcmp (l->key, "set") == 0) {
			const char *v = l->value;
			gsize field_len = strcspn (v, " \t");
			const char *rest = v + field_len;
			while (*rest == ' ' || *rest == '\t')
				rest++;
			char **slot = NULL;
			if (field_len == 4 && strncmp (v, "name", 4) == 0) {
				slot = &r->set_name;
				name_line = l->line;
			} else if (field_len == 9 && strncmp (v, "publisher", 9) == 0) {
				slot = &r->set_publisher;
				publisher_line = l->line;
			} else {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: set %.*s: binary stanzas set name and publisher only",
					     st->file, l->line, (int) field_len, v);
				return NULL;
			}
			g_free (*slot);
			*slot = g_strdup (rest);
		} else {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: unknown key \"%s\" in a binary stanza (path, content, hint, "
				     "unless-file, set)",
				     st->file, l->line, l->key);
			return NULL;
		}
	}
	const char *missing = r->globs->len == 0	   ? "path"
			      : r->patterns->len == 0	   ? "content"
			      : r->set_name == NULL || *r->set_name == '\0' ? "set name"
								       : NULL;
	if (missing != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: binary %s: no %s line",
			     st->file, st->line, r->id, missing);
		return NULL;
	}
	if (!check_template (r, r->set_name, name_line, error) ||
	    (r->set_publisher != NULL && !check_template (r, r->set_publisher, publisher_line, error)))
		return NULL;
	return g_steal_pointer (&r);
}

/* The binary stanzas of one rule file, appended to @out; IDs must be unique in @ids. */
static gboolean
add_file (GPtrArray *out, GHashTable *ids, const char *file, const char *buf, gsize len,
	  guint32 *max_captures, GError **error)
{
	g_autoptr(GPtrArray) stanzas = tu_stanza_parse (file, buf, len, error);
	if (stanzas == NULL)
		return FALSE;
	for (guint i = 0; i < stanzas->len; i++) {
		const TuStanza *st = g_ptr_array_index (stanzas, i);
		if (g_strcmp0 (st->kind, "binary") != 0)
			continue;
		BinaryRule *r = rule_from_stanza (st, max_captures, error);
		if (r == NULL)
			return FALSE;
		const BinaryRule *first = g_hash_table_lookup (ids, r->id);
		if (first != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: binary %s: defined already at %s:%u", r->file, r->line, r->id,
				     first->file, first->line);
			binary_rule_free (r);
			return FALSE;
		}
		g_hash_table_insert (ids, r->id, r);
		g_ptr_array_add (out, r);
	}
	return TRUE;
}

static gint
cmp_strings (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

typedef struct {
	GPtrArray *out;
	GHashTable *ids;
	guint32 *max_captures;
} LoadCtx;

static gboolean
load_file (const char *shown, const char *data, gsize len, gboolean is_user, gpointer user_data,
	   GError **error)
{
	LoadCtx *ctx = user_data;
	return add_file (ctx->out, ctx->ids, shown, data, len, ctx->max_captures, error);
}

TuBinaryRules *
tu_binary_rules_new (const char *user_dir, GError **error)
{
	guint32 max_captures = 0;
	g_autoptr(GPtrArray) shipped = g_ptr_array_new_with_free_func ((GDestroyNotify) binary_rule_free);
	g_autoptr(GPtrArray) user = g_ptr_array_new_with_free_func ((GDestroyNotify) binary_rule_free);
	g_autoptr(GHashTable) shipped_ids = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GHashTable) user_ids = g_hash_table_new (g_str_hash, g_str_equal);
	LoadCtx shipped_ctx = {shipped, shipped_ids, &max_captures};
	if (!tu_fingerprints_foreach_shipped (load_file, &shipped_ctx, error))
		return NULL;
	LoadCtx user_ctx = {user, user_ids, &max_captures};
	if (user_dir != NULL &&
	    !tu_fingerprints_foreach_in_dir (user_dir, load_file, &user_ctx, error))
		return NULL;

	TuBinaryRules *rules = g_new0 (TuBinaryRules, 1);
	rules->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) binary_rule_free);
	rules->globs = g_ptr_array_new_with_free_func (g_free);
	rules->max_captures = max_captures;
	rules->match_context = pcre2_match_context_create (NULL);
	pcre2_set_match_limit (rules->match_context, MATCH_LIMIT);
	pcre2_set_depth_limit (rules->match_context, MATCH_LIMIT / 10);
	/* user rules first; a user rule replaces the shipped rule of the same ID */
	while (user->len > 0)
		g_ptr_array_add (rules->rules, g_ptr_array_steal_index (user, 0));
	while (shipped->len > 0) {
		BinaryRule *r = g_ptr_array_steal_index (shipped, 0);
		if (g_hash_table_contains (user_ids, r->id))
			binary_rule_free (r);
		else
			g_ptr_array_add (rules->rules, r);
	}
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < rules->rules->len; i++) {
		BinaryRule *r = g_ptr_array_index (rules->rules, i);
		for (guint g = 0; g < r->globs->len; g++) {
			const char *glob = g_ptr_array_index (r->globs, g);
			if (g_hash_table_add (seen, (gpointer) glob))
				g_ptr_array_add (rules->globs, g_strdup (glob));
		}
	}
	return rules;
}

/* ------------------------------------------------------------------ matching ----------- */

/* Search [start, end) of @buf chunk by chunk; the subject always starts at @buf so that
 * lookbehinds see the bytes before a chunk. */
static int
scan_range (const Pattern *p, const guint8 *buf, gsize start, gsize end, pcre2_match_data *md,
	    pcre2_match_context *mc)
{
	for (gsize at = start; at < end; at += CHUNK_BYTES) {
		gsize stop = MIN (end, at + CHUNK_BYTES + OVERLAP_BYTES);
		int rc = pcre2_match (p->code, buf, stop, at, 0, md, mc);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
		if (stop == end)
			break;
	}
	return PCRE2_ERROR_NOMATCH;
}

/* Search around each occurrence of the hint; nearby occurrences share one window. */
static int
scan_pattern (const Pattern *p, const guint8 *buf, gsize len, pcre2_match_data *md,
	      pcre2_match_context *mc)
{
	if (p->hint == NULL)
		return scan_range (p, buf, 0, len, md, mc);
	const guint8 *hit = memmem (buf, len, p->hint, p->hint_len);
	while (hit != NULL) {
		gsize h = (gsize) (hit - buf);
		gsize ws = h > OVERLAP_BYTES ? h - OVERLAP_BYTES : 0;
		gsize we = MIN (len, h + p->hint_len + OVERLAP_BYTES);
		const guint8 *next = NULL;
		for (;;) {
			gsize from = h + 1;
			next = from < len ? memmem (buf + from, len - from, p->hint, p->hint_len) : NULL;
			if (next == NULL)
				break;
			gsize n = (gsize) (next - buf);
			if (n > we + OVERLAP_BYTES)
				break;
			h = n;
			we = MIN (len, n + p->hint_len + OVERLAP_BYTES);
		}
		int rc = scan_range (p, buf, ws, we, md, mc);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
		hit = next;
	}
	return PCRE2_ERROR_NOMATCH;
}

/* @tmpl with {group} replaced by the match's groups (unset ones: nothing). */
static char *
expand_template (const char *tmpl, const Pattern *p, const guint8 *buf, pcre2_match_data *md)
{
	if (tmpl == NULL)
		return NULL;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer (md);
	GString *out = g_string_new (NULL);
	for (const char *s = tmpl; *s != '\0'; s++) {
		const char *close = *s == '{' ? strchr (s, '}') : NULL;
		if (close == NULL) {
			g_string_append_c (out, *s);
			continue;
		}
		g_autofree char *name = g_strndup (s + 1, (gsize) (close - s - 1));
		int n = pcre2_substring_number_from_name (p->code, (PCRE2_SPTR) name);
		if (n > 0 && (guint32) n < pcre2_get_ovector_count (md) && ov[2 * n] != PCRE2_UNSET)
			g_string_append_len (out, (const char *) buf + ov[2 * n],
					     (gssize) (ov[2 * n + 1] - ov[2 * n]));
		s = close;
	}
	char *clean = tu_scan_clean_field (out->str, (gssize) out->len);
	g_string_free (out, TRUE);
	g_strstrip (clean);
	if (*clean == '\0') {
		g_free (clean);
		return NULL;
	}
	return clean;
}

typedef struct {
	const BinaryRule *rule;
	char *name;
	char *version;
	char *publisher;
} Match;

static void
match_clear (Match *m)
{
	g_clear_pointer (&m->name, g_free);
	g_clear_pointer (&m->version, g_free);
	g_clear_pointer (&m->publisher, g_free);
	m->rule = NULL;
}

static gboolean
rule_applies (const BinaryRule *r, const char *path)
{
	for (guint i = 0; i < r->globs->len; i++) {
		if (fnmatch (g_ptr_array_index (r->globs, i), path, FNM_PATHNAME | FNM_PERIOD) == 0)
			return TRUE;
	}
	return FALSE;
}

/* The first rule that applies to @path and matches; warnings (a pattern giving up) to @scan. */
static gboolean
find_match (TuBinaryRules *rules, const guint8 *buf, gsize len, const char *path,
	    TuHostScan *scan, Match *m)
{
	pcre2_match_data *md = NULL;
	for (guint i = 0; i < rules->rules->len; i++) {
		const BinaryRule *r = g_ptr_array_index (rules->rules, i);
		if (!rule_applies (r, path))
			continue;
		if (md == NULL)
			md = pcre2_match_data_create (rules->max_captures + 1, NULL);
		for (guint j = 0; j < r->patterns->len; j++) {
			const Pattern *p = &g_array_index (r->patterns, Pattern, j);
			int rc = scan_pattern (p, buf, len, md, rules->match_context);
			if (rc == PCRE2_ERROR_NOMATCH)
				continue;
			if (rc < 0) {
				PCRE2_UCHAR msg[256];
				pcre2_get_error_message (rc, msg, sizeof msg);
				tu_host_scan_warn (scan, "/%s: binary %s: the content pattern of %s:%u gave up: %s",
						   path, r->id, r->file, p->line, (const char *) msg);
				continue;
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer (md);
			int g = p->version_group;
			if ((guint32) g >= pcre2_get_ovector_count (md) || ov[2 * g] == PCRE2_UNSET ||
			    ov[2 * g + 1] <= ov[2 * g])
				continue; /* an empty version is no version */
			m->rule = r;
			m->version = tu_scan_clean_field ((const char *) buf + ov[2 * g],
							  (gssize) (ov[2 * g + 1] - ov[2 * g]));
			m->name = expand_template (r->set_name, p, buf, md);
			m->publisher = expand_template (r->set_publisher, p, buf, md);
			if (m->name == NULL)
				m->name = g_strdup (r->id);
			pcre2_match_data_free (md);
			return TRUE;
		}
	}
	pcre2_match_data_free (md);
	return FALSE;
}

static void
add_record (TuHostScan *scan, const Match *m, const char *path)
{
	g_autofree char *location = path[0] == '/' ? g_strdup (path) : g_strdup_printf ("/%s", path);
	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_BINARY;
	r.raw_name = m->name;
	r.raw_version = m->version;
	r.raw_publisher = m->publisher;
	r.location = location;
	tu_record_list_add (scan->records, &r);
}

gboolean
tu_binary_match (TuBinaryRules *rules, const guint8 *buf, gsize len, const char *path,
		 TuHostScan *scan, GError **error)
{
	if (rules == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "/%s: no binary fingerprints loaded", path);
		return FALSE;
	}
	while (*path == '/')
		path++;
	Match m = {0};
	if (find_match (rules, buf, len, path, scan, &m))
		add_record (scan, &m, path);
	match_clear (&m);
	return TRUE;
}

/* ------------------------------------------------------------------ the finder --------- */

/* "opt/jdk/bin" + "../release" -> "opt/jdk/release"; NULL when it leaves the root */
static char *
join_relative (const char *dir, const char *rel)
{
	g_autofree char *joined = g_strdup_printf ("%s/%s", dir, rel);
	g_auto(GStrv) parts = g_strsplit (joined, "/", -1);
	g_autoptr(GPtrArray) stack = g_ptr_array_new ();
	for (guint i = 0; parts[i] != NULL; i++) {
		if (*parts[i] == '\0' || strcmp (parts[i], ".") == 0)
			continue;
		if (strcmp (parts[i], "..") == 0) {
			if (stack->len == 0)
				return NULL;
			g_ptr_array_remove_index (stack, stack->len - 1);
			continue;
		}
		g_ptr_array_add (stack, parts[i]);
	}
	g_ptr_array_add (stack, NULL);
	return g_strjoinv ("/", (char **) stack->pdata);
}

static gboolean
has_wildcard (const char *s)
{
	return strpbrk (s, "*?[") != NULL;
}

/* Every file some glob names, each once, sorted. A directory is listed once however many
 * globs look into it. */
static GPtrArray *
candidates (TuFs *fs, TuBinaryRules *rules)
{
	/* directory glob -> the file-name patterns looked for in it */
	g_autoptr(GHashTable) by_dir = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
							      (GDestroyNotify) g_ptr_array_unref);
	g_autoptr(GPtrArray) dir_order = g_ptr_array_new ();
	for (guint i = 0; i < rules->globs->len; i++) {
		const char *glob = g_ptr_array_index (rules->globs, i);
		const char *slash = strrchr (glob, '/');
		g_autofree char *dir = slash ? g_strndup (glob, (gsize) (slash - glob)) : g_strdup ("");
		const char *base = slash ? slash + 1 : glob;
		GPtrArray *bases = g_hash_table_lookup (by_dir, dir);
		if (bases == NULL) {
			bases = g_ptr_array_new_with_free_func (g_free);
			g_ptr_array_add (dir_order, g_strdup (dir));
			g_hash_table_insert (by_dir, g_ptr_array_index (dir_order, dir_order->len - 1), bases);
		}
		g_ptr_array_add (bases, g_strdup (base));
	}
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < dir_order->len; i++) {
		const char *dir_glob = g_ptr_array_index (dir_order, i);
		GPtrArray *bases = g_hash_table_lookup (by_dir, dir_glob);
		g_autoptr(GPtrArray) dirs = NULL;
		if (*dir_glob == '\0') {
			dirs = g_ptr_array_new_with_free_func (g_free);
			g_ptr_array_add (dirs, g_strdup (""));
		} else {
			dirs = tu_fs_glob (fs, dir_glob, 0);
		}
		for (guint d = 0; d < dirs->len; d++) {
			const char *dir = g_ptr_array_index (dirs, d);
			if (*dir != '\0' && !tu_fs_is_dir (fs, dir))
				continue;
			g_autoptr(GPtrArray) names = NULL;
			for (guint b = 0; b < bases->len; b++) {
				const char *base = g_ptr_array_index (bases, b);
				if (!has_wildcard (base)) {
					g_autofree char *file = *dir ? g_strdup_printf ("%s/%s", dir, base)
								     : g_strdup (base);
					if (!g_hash_table_contains (seen, file) && tu_fs_is_file (fs, file)) {
						g_ptr_array_add (out, g_strdup (file));
						g_hash_table_add (seen, g_steal_pointer (&file));
					}
					continue;
				}
				if (names == NULL)
					names = tu_fs_list (fs, *dir ? dir : ".");
				for (guint n = 0; names != NULL && n < names->len; n++) {
					const char *name = g_ptr_array_index (names, n);
					if (fnmatch (base, name, FNM_PERIOD) != 0)
						continue;
					g_autofree char *file = *dir ? g_strdup_printf ("%s/%s", dir, name)
								     : g_strdup (name);
					if (!g_hash_table_contains (seen, file) && tu_fs_is_file (fs, file)) {
						g_ptr_array_add (out, g_strdup (file));
						g_hash_table_add (seen, g_steal_pointer (&file));
					}
				}
			}
		}
	}
	g_ptr_array_sort (out, cmp_strings);
	return out;
}

typedef struct {
	char *path;
	char *md5;
	Match match;
	gboolean is_owned;
} Pending;

static void
pending_free (Pending *p)
{
	g_free (p->path);
	g_free (p->md5);
	match_clear (&p->match);
	g_free (p);
}

/* Mark the matches on files that a dpkg package owns: the path in a .list, or the same
 * bytes (md5) in a .md5sums, which also catches symlinks into package-managed directories.
 * Read only when something matched, once. */
static void
mark_package_owned (TuFs *fs, GPtrArray *pending)
{
	g_autoptr(GHashTable) by_path = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GHashTable) by_md5 = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < pending->len; i++) {
		Pending *p = g_ptr_array_index (pending, i);
		g_hash_table_insert (by_path, p->path, p);
		g_hash_table_insert (by_md5, p->md5, p);
	}
	const char *info = "var/lib/dpkg/info";
	g_autoptr(GPtrArray) names = tu_fs_list (fs, info);
	for (guint i = 0; names != NULL && i < names->len; i++) {
		const char *name = g_ptr_array_index (names, i);
		gboolean is_list = g_str_has_suffix (name, ".list");
		if (!is_list && !g_str_has_suffix (name, ".md5sums"))
			continue;
		g_autofree char *file = g_strdup_printf ("%s/%s", info, name);
		g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_DB_BYTES, NULL);
		if (bytes == NULL)
			continue;
		gsize len = 0;
		const char *p = g_bytes_get_data (bytes, &len);
		const char *end = p + len;
		while (p < end) {
			const char *nl = memchr (p, '\n', (gsize) (end - p));
			const char *line_end = nl ? nl : end;
			if (is_list && line_end - p > 1 && p[0] == '/') {
				g_autofree char *path = g_strndup (p + 1, (gsize) (line_end - p - 1));
				Pending *hit = g_hash_table_lookup (by_path, path);
				if (hit != NULL)
					hit->is_owned = TRUE;
			} else if (!is_list && line_end - p > 32) {
				g_autofree char *md5 = g_ascii_strdown (p, 32);
				Pending *hit = g_hash_table_lookup (by_md5, md5);
				if (hit != NULL)
					hit->is_owned = TRUE;
			}
			p = nl ? nl + 1 : end;
		}
	}
}

void
tu_source_binary (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	TuBinaryRules *rules = options->binary_rules;
	g_autoptr(TuBinaryRules) own = NULL;
	if (rules == NULL) {
		own = tu_binary_rules_new (NULL, &scan->error);
		if (own == NULL)
			return;
		rules = own;
	}
	g_autoptr(GPtrArray) files = candidates (fs, rules);
	g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
	for (guint i = 0; i < files->len; i++) {
		const char *file = g_ptr_array_index (files, i);
		if (options->cancellable != NULL && g_cancellable_is_cancelled (options->cancellable))
			return;
		gint64 size = tu_fs_file_size (fs, file);
		if (size > (gint64) TU_SCAN_MAX_BINARY_BYTES) {
			g_autofree char *shown = tu_fs_display (fs, file);
			tu_host_scan_warn (scan, "%s: %" G_GINT64_FORMAT " bytes, more than the %u read for "
						 "fingerprints (skipped)",
					   shown, size, TU_SCAN_MAX_BINARY_BYTES);
			continue;
		}
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_BINARY_BYTES, &error);
		if (bytes == NULL) {
			tu_host_scan_warn (scan, "%s (skipped)", error->message);
			continue;
		}
		gsize len = 0;
		const guint8 *buf = g_bytes_get_data (bytes, &len);
		Match m = {0};
		if (!find_match (rules, buf, len, file, scan, &m))
			continue;
		g_autofree char *dir = g_path_get_dirname (file);
		gboolean is_covered = FALSE;
		for (guint u = 0; u < m.rule->unless_files->len && !is_covered; u++) {
			g_autofree char *other = join_relative (dir, g_ptr_array_index (m.rule->unless_files, u));
			is_covered = other != NULL && tu_fs_is_file (fs, other);
		}
		if (is_covered) {
			g_debug ("%s: /%s: binary %s: an unless-file exists, skipped", scan->target, file,
				 m.rule->id);
			match_clear (&m);
			continue;
		}
		Pending *p = g_new0 (Pending, 1);
		p->path = g_strdup (file);
		p->md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, buf, len);
		p->match = m;
		g_ptr_array_add (pending, p);
	}
	if (pending->len == 0)
		return;
	/* the same bytes twice in one folder are one installation seen through a symlink or
	 * hard link (libruby.so.3.2 -> libruby.so.3.2.2, perl and perl5.36.0): the first name */
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < pending->len;) {
		Pending *p = g_ptr_array_index (pending, i);
		g_autofree char *dir = g_path_get_dirname (p->path);
		char *key = g_strdup_printf ("%s\n%s", dir, p->md5);
		if (!g_hash_table_add (seen, key)) {
			g_debug ("%s: /%s: the same file as another in its folder", scan->target, p->path);
			g_ptr_array_remove_index (pending, i);
			continue;
		}
		i++;
	}
	mark_package_owned (fs, pending);
	for (guint i = 0; i < pending->len; i++) {
		Pending *p = g_ptr_array_index (pending, i);
		if (p->is_owned) {
			g_debug ("%s: /%s: owned by a dpkg package, not recorded as a binary", scan->target,
				 p->path);
			continue;
		}
		add_record (scan, &p->match, p->path);
	}
}
