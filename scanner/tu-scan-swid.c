/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SWID tags (ISO/IEC 19770-2): the XML files some vendors install next to their software
 * (usr/share/swidtag, etc/swid/swidtags.d, ProgramData/regid.* on Windows), one product per
 * tag. Both editions of the standard are read:
 *  - 2015 (namespace http://standards.iso.org/iso/19770/-2/2015/schema.xsd): a
 *    <SoftwareIdentity name version versionScheme tagId> root with <Entity role name>,
 *    <Meta product colloquialVersion revision arch> and <Link rel> children;
 *  - 2009 (.../2009/schema.xsd, and the .../2008/schema.xsd draft that Flexera-built
 *    installers such as Adobe's still write): <software_identification_tag> with product_title,
 *    product_version/name (or its numeric/major.minor.build.review), software_creator/name,
 *    software_licensor/name, tag_creator/name, software_id/unique_id.
 *
 * The XML is read with GMarkup (no DTDs, no external entities, no network), with a small
 * namespace resolver of our own since GMarkup knows nothing of namespaces. A tag describes one
 * product; what is not a product is skipped with a debug message: corpus tags (installers),
 * supplemental tags (they add to another tag), and tags generated from the rpm database
 * (versionScheme="rpm", rpm2swidtag), whose packages the rpm source already records. Patch
 * tags are recorded with kind "update". A tag that breaks the standard's rules (no name, no
 * tagId, another root or namespace, a SoftwareIdentity inside another, a supplemental tag
 * without its link) is an error for that file; the finder turns it into a warning.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

#define NS_2015 "http://standards.iso.org/iso/19770/-2/2015/schema.xsd"
#define MAX_DEPTH 256

typedef struct {
	char *prefix; /* "" for the default namespace */
	char *uri;
	guint depth; /* the element that declared it */
} NsDecl;

typedef enum { EDITION_NONE, EDITION_2015, EDITION_2009 } Edition;

/* 2009 elements whose text is kept */
typedef enum {
	T_NONE,
	T_TITLE,
	T_VERSION,
	T_CREATOR,
	T_TAG_CREATOR,
	T_LICENSOR,
	T_UNIQUE_ID,
	T_MAJOR,
	T_MINOR,
	T_BUILD,
	T_REVIEW,
} Text2009;

typedef struct {
	const char *path;
	const char *text_buf; /* the UTF-8 text being parsed */
	gsize text_len;
	GArray *line_starts;  /* gsize: the offset of each line */
	GMarkupParseContext *ctx;
	const char *element; /* the element being started, for element_line () */
	GArray *ns; /* NsDecl */
	guint depth;
	Edition edition;
	char *root_ns;
	guint root_line;
	/* the tag */
	char *name;
	char *version;
	char *version_scheme;
	char *tag_id;
	char *arch;
	char *meta_product;
	char *software_creator;
	char *tag_creator;
	char *licensor;
	char *numeric[4]; /* 2009: product_version/numeric/major, minor, build, review */
	gboolean is_supplemental;
	gboolean is_patch;
	gboolean is_corpus;
	gboolean has_supplemental_link;
	guint supplemental_link_line;
	/* 2009: the element chain below the root, and the text being collected */
	GPtrArray *chain;   /* char* local names */
	GArray *chain_depth; /* guint: the depth of each */
	Text2009 collecting;
	GString *text;
} Parser;

static void
ns_decl_clear (NsDecl *d)
{
	g_free (d->prefix);
	g_free (d->uri);
}

static void
parser_clear (Parser *p)
{
	g_array_unref (p->ns);
	g_array_unref (p->line_starts);
	g_ptr_array_unref (p->chain);
	g_array_unref (p->chain_depth);
	g_string_free (p->text, TRUE);
	g_free (p->root_ns);
	g_free (p->name);
	g_free (p->version);
	g_free (p->version_scheme);
	g_free (p->tag_id);
	g_free (p->arch);
	g_free (p->meta_product);
	g_free (p->software_creator);
	g_free (p->tag_creator);
	g_free (p->licensor);
	for (guint i = 0; i < G_N_ELEMENTS (p->numeric); i++)
		g_free (p->numeric[i]);
}

/* The line of the start tag of @element that GMarkup has just reported. GMarkup's position
 * is past the tag (often at the start of the next line), so walk back to its '<'. */
static guint
element_line (Parser *p)
{
	const char *element = p->element;
	int line = 0, chr = 0;
	g_markup_parse_context_get_position (p->ctx, &line, &chr);
	if (line <= 0 || (guint) line > p->line_starts->len)
		return line > 0 ? (guint) line : 1;
	gsize off = g_array_index (p->line_starts, gsize, line - 1);
	for (int c = 1; c < chr && off < p->text_len; c++)
		off = (gsize) (g_utf8_next_char (p->text_buf + off) - p->text_buf);
	gsize elen = strlen (element);
	for (gsize i = MIN (off, p->text_len); i > 0; i--) {
		const char *lt = p->text_buf + i - 1;
		if (*lt == '<' && i + elen <= p->text_len && memcmp (lt + 1, element, elen) == 0) {
			off = i - 1;
			break;
		}
	}
	/* the last line starting at or before off */
	guint lo = 0, hi = p->line_starts->len;
	while (hi - lo > 1) {
		guint mid = (lo + hi) / 2;
		if (g_array_index (p->line_starts, gsize, mid) <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo + 1;
}

static const char *
resolve_ns (Parser *p, const char *prefix)
{
	for (guint i = p->ns->len; i > 0; i--) {
		NsDecl *d = &g_array_index (p->ns, NsDecl, i - 1);
		if (g_strcmp0 (d->prefix, prefix) == 0)
			return d->uri;
	}
	return NULL;
}

/* The edition a namespace URI stands for (http or https, as tags in the wild have both). */
static Edition
edition_of (const char *uri)
{
	if (uri == NULL)
		return EDITION_NONE;
	if (g_str_has_prefix (uri, "http://"))
		uri += 7;
	else if (g_str_has_prefix (uri, "https://"))
		uri += 8;
	if (strcmp (uri, "standards.iso.org/iso/19770/-2/2015/schema.xsd") == 0)
		return EDITION_2015;
	if (strcmp (uri, "standards.iso.org/iso/19770/-2/2009/schema.xsd") == 0 ||
	    strcmp (uri, "standards.iso.org/iso/19770/-2/2008/schema.xsd") == 0)
		return EDITION_2009;
	return EDITION_NONE;
}

static const char *
attr (const char **names, const char **values, const char *name)
{
	for (guint i = 0; names[i] != NULL; i++) {
		if (g_strcmp0 (names[i], name) == 0)
			return values[i];
	}
	return NULL;
}

static gboolean
attr_is_true (const char **names, const char **values, const char *name)
{
	const char *v = attr (names, values, name);
	return v != NULL && (g_ascii_strcasecmp (v, "true") == 0 || g_strcmp0 (v, "1") == 0);
}

static void
keep (char **slot, const char *value)
{
	if (*slot == NULL && value != NULL && *value != '\0')
		*slot = tu_scan_clean_field (value, -1);
}

/* role is a list of words: "tagCreator softwareCreator" */
static gboolean
role_has (const char *roles, const char *role)
{
	if (roles == NULL)
		return FALSE;
	g_auto(GStrv) words = g_strsplit_set (roles, " \t\r\n", -1);
	return g_strv_contains ((const char *const *) words, role);
}

static void
start_2015 (Parser *p, const char *local, const char **names, const char **values,
	    GError **error)
{
	if (p->depth == 1) {
		p->root_line = element_line (p);
		keep (&p->name, attr (names, values, "name"));
		keep (&p->version, attr (names, values, "version"));
		keep (&p->version_scheme, attr (names, values, "versionScheme"));
		keep (&p->tag_id, attr (names, values, "tagId"));
		p->is_supplemental = attr_is_true (names, values, "supplemental");
		p->is_patch = attr_is_true (names, values, "patch");
		p->is_corpus = attr_is_true (names, values, "corpus");
		return;
	}
	if (strcmp (local, "SoftwareIdentity") == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: a SoftwareIdentity inside the SoftwareIdentity", p->path,
			     element_line (p));
		return;
	}
	if (p->depth != 2)
		return;
	if (strcmp (local, "Entity") == 0) {
		const char *role = attr (names, values, "role");
		const char *name = attr (names, values, "name");
		if (role_has (role, "softwareCreator"))
			keep (&p->software_creator, name);
		if (role_has (role, "tagCreator"))
			keep (&p->tag_creator, name);
		if (role_has (role, "licensor"))
			keep (&p->licensor, name);
	} else if (strcmp (local, "Meta") == 0) {
		keep (&p->arch, attr (names, values, "arch"));
		keep (&p->meta_product, attr (names, values, "product"));
	} else if (strcmp (local, "Link") == 0) {
		if (g_strcmp0 (attr (names, values, "rel"), "supplemental") == 0) {
			p->has_supplemental_link = TRUE;
			if (p->supplemental_link_line == 0)
				p->supplemental_link_line = element_line (p);
		}
	}
}

static void
start_2009 (Parser *p, const char *local)
{
	if (p->depth == 1) {
		p->root_line = element_line (p);
		return;
	}
	g_ptr_array_add (p->chain, g_strdup (local));
	g_array_append_val (p->chain_depth, p->depth);
	/* chain below the root: [parent, child] */
	const char *first = g_ptr_array_index (p->chain, 0);
	p->collecting = T_NONE;
	if (p->chain->len == 1 && strcmp (local, "product_title") == 0)
		p->collecting = T_TITLE;
	else if (p->chain->len == 2 && strcmp (first, "product_version") == 0 &&
		 strcmp (local, "name") == 0)
		p->collecting = T_VERSION;
	else if (p->chain->len == 2 && strcmp (first, "software_creator") == 0 &&
		 strcmp (local, "name") == 0)
		p->collecting = T_CREATOR;
	else if (p->chain->len == 2 && strcmp (first, "tag_creator") == 0 &&
		 strcmp (local, "name") == 0)
		p->collecting = T_TAG_CREATOR;
	else if (p->chain->len == 2 && strcmp (first, "software_licensor") == 0 &&
		 strcmp (local, "name") == 0)
		p->collecting = T_LICENSOR;
	else if (p->chain->len == 2 && strcmp (first, "software_id") == 0 &&
		 strcmp (local, "unique_id") == 0)
		p->collecting = T_UNIQUE_ID;
	else if (p->chain->len == 3 && strcmp (first, "product_version") == 0 &&
		 strcmp (g_ptr_array_index (p->chain, 1), "numeric") == 0) {
		static const char *const parts[] = {"major", "minor", "build", "review"};
		for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
			if (strcmp (local, parts[i]) == 0)
				p->collecting = T_MAJOR + i;
		}
	}
	g_string_truncate (p->text, 0);
}

static void
on_start (GMarkupParseContext *ctx, const char *element, const char **names, const char **values,
	  gpointer user_data, GError **error)
{
	Parser *p = user_data;
	p->element = element;
	p->depth++;
	if (p->depth > MAX_DEPTH) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: nested deeper than %u elements",
			     p->path, element_line (p), MAX_DEPTH);
		return;
	}
	for (guint i = 0; names[i] != NULL; i++) {
		const char *prefix = NULL;
		if (strcmp (names[i], "xmlns") == 0)
			prefix = "";
		else if (g_str_has_prefix (names[i], "xmlns:"))
			prefix = names[i] + 6;
		if (prefix == NULL)
			continue;
		NsDecl d = {g_strdup (prefix), g_strdup (values[i]), p->depth};
		g_array_append_val (p->ns, d);
	}
	const char *colon = strchr (element, ':');
	g_autofree char *prefix = colon ? g_strndup (element, (gsize) (colon - element)) : g_strdup ("");
	const char *local = colon ? colon + 1 : element;
	const char *uri = resolve_ns (p, prefix);

	if (p->depth == 1) {
		if (p->edition != EDITION_NONE) {
			/* GMarkup reads on after the root element closes */
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: a second root element <%s> after the tag", p->path,
				     element_line (p), element);
			return;
		}
		if (strcmp (local, "SoftwareIdentity") != 0 &&
		    strcmp (local, "software_identification_tag") != 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: the root element is <%s>, not a SWID tag's <SoftwareIdentity>",
				     p->path, element_line (p), element);
			return;
		}
		Edition edition = edition_of (uri);
		if ((edition == EDITION_2015 && strcmp (local, "SoftwareIdentity") != 0) ||
		    (edition == EDITION_2009 && strcmp (local, "software_identification_tag") != 0))
			edition = EDITION_NONE;
		if (edition == EDITION_NONE) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: <%s> is in namespace \"%s\", not ISO/IEC 19770-2's (2015: "
				     "%s)",
				     p->path, element_line (p), element, uri ? uri : "", NS_2015);
			return;
		}
		p->edition = edition;
		p->root_ns = g_strdup (uri);
	}
	/* elements of other namespaces (XML-DSig signatures, extensions) are not the tag's */
	if (g_strcmp0 (uri, p->root_ns) != 0)
		return;
	if (p->edition == EDITION_2015)
		start_2015 (p, local, names, values, error);
	else
		start_2009 (p, local);
}

static void
on_end (GMarkupParseContext *ctx, const char *element, gpointer user_data, GError **error)
{
	Parser *p = user_data;
	if (p->edition == EDITION_2009 && p->collecting != T_NONE) {
		g_autofree char *t = g_strstrip (g_strdup (p->text->str));
		char **slot = NULL;
		switch (p->collecting) {
		case T_TITLE:
			slot = &p->name;
			break;
		case T_VERSION:
			slot = &p->version;
			break;
		case T_CREATOR:
			slot = &p->software_creator;
			break;
		case T_TAG_CREATOR:
			slot = &p->tag_creator;
			break;
		case T_LICENSOR:
			slot = &p->licensor;
			break;
		case T_UNIQUE_ID:
			slot = &p->tag_id;
			break;
		case T_MAJOR:
		case T_MINOR:
		case T_BUILD:
		case T_REVIEW:
			slot = &p->numeric[p->collecting - T_MAJOR];
			break;
		case T_NONE:
			break;
		}
		if (slot != NULL)
			keep (slot, t);
		p->collecting = T_NONE;
	}
	if (p->chain->len > 0 &&
	    g_array_index (p->chain_depth, guint, p->chain_depth->len - 1) == p->depth) {
		g_ptr_array_remove_index (p->chain, p->chain->len - 1);
		g_array_remove_index (p->chain_depth, p->chain_depth->len - 1);
	}
	while (p->ns->len > 0 && g_array_index (p->ns, NsDecl, p->ns->len - 1).depth >= p->depth)
		g_array_remove_index (p->ns, p->ns->len - 1);
	p->depth--;
}

static void
on_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer user_data,
	 GError **error)
{
	Parser *p = user_data;
	if (p->collecting != T_NONE && p->text->len < TU_SCAN_MAX_FIELD_BYTES)
		g_string_append_len (p->text, text, (gssize) MIN (len, TU_SCAN_MAX_FIELD_BYTES));
}

static const GMarkupParser markup_parser = {on_start, on_end, on_text, NULL, NULL};

/* GMarkup says "Error on line 3 char 5: ..."; messages here say "FILE:3: ..." */
static void
set_markup_error (GError **error, const char *path, GMarkupParseContext *ctx, const GError *e)
{
	int line = 0;
	g_markup_parse_context_get_position (ctx, &line, NULL);
	const char *msg = e->message;
	if (g_str_has_prefix (msg, "Error on line ")) {
		const char *colon = strstr (msg, ": ");
		if (colon != NULL)
			msg = colon + 2;
	}
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%d: %s", path, line > 0 ? line : 1,
		     msg);
}

/* UTF-16 tags (some Windows installers write them) become UTF-8; a UTF-8 BOM is dropped. */
static char *
to_utf8 (const char *buf, gsize len, gsize *out_len, GError **error)
{
	const char *from = NULL;
	if (len >= 2 && (guchar) buf[0] == 0xff && (guchar) buf[1] == 0xfe)
		from = "UTF-16LE";
	else if (len >= 2 && (guchar) buf[0] == 0xfe && (guchar) buf[1] == 0xff)
		from = "UTF-16BE";
	if (from == NULL) {
		gsize skip = len >= 3 && memcmp (buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		*out_len = len - skip;
		char *copy = g_malloc (len - skip + 1);
		memcpy (copy, buf + skip, len - skip);
		copy[len - skip] = '\0';
		return copy;
	}
	gsize written = 0;
	char *out = g_convert (buf + 2, (gssize) (len - 2) & ~(gssize) 1, "UTF-8", from, NULL, &written,
			       error);
	*out_len = written;
	return out;
}

static gboolean
parse_tag (const char *buf, gsize len, const char *path, const char *location,
	   GHashTable *seen_tag_ids, TuHostScan *scan, GError **error)
{
	g_autoptr(GError) conv_error = NULL;
	gsize n = 0;
	g_autofree char *text = to_utf8 (buf, len, &n, &conv_error);
	if (text == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: not valid UTF-16: %s", path,
			     conv_error->message);
		return FALSE;
	}
	Parser p = {0};
	p.path = path;
	p.ns = g_array_new (FALSE, FALSE, sizeof (NsDecl));
	g_array_set_clear_func (p.ns, (GDestroyNotify) ns_decl_clear);
	p.chain = g_ptr_array_new_with_free_func (g_free);
	p.chain_depth = g_array_new (FALSE, FALSE, sizeof (guint));
	p.text = g_string_new (NULL);
	p.text_buf = text;
	p.text_len = n;
	p.line_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
	for (gsize off = 0;;) {
		g_array_append_val (p.line_starts, off);
		const char *nl = off < n ? memchr (text + off, '\n', n - off) : NULL;
		if (nl == NULL)
			break;
		off = (gsize) (nl - text) + 1;
	}
	p.ctx = g_markup_parse_context_new (&markup_parser, 0, &p, NULL);
	g_autoptr(GError) markup_error = NULL;
	gboolean ok = g_markup_parse_context_parse (p.ctx, text, (gssize) n, &markup_error) &&
		      g_markup_parse_context_end_parse (p.ctx, &markup_error);
	if (!ok) {
		if (markup_error->domain == TU_ERROR)
			g_propagate_error (error, g_steal_pointer (&markup_error));
		else
			set_markup_error (error, path, p.ctx, markup_error);
		goto out;
	}
	ok = FALSE;
	if (p.edition == EDITION_NONE) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: no SWID tag in the file", path);
		goto out;
	}
	const char *what = p.edition == EDITION_2015 ? "SoftwareIdentity" : "software_identification_tag";
	if (p.name == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s without a %s", path,
			     p.root_line, what, p.edition == EDITION_2015 ? "name" : "product_title");
		goto out;
	}
	if (p.tag_id == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s %s without a %s", path,
			     p.root_line, what, p.name,
			     p.edition == EDITION_2015 ? "tagId" : "software_id/unique_id");
		goto out;
	}
	if (p.is_supplemental && !p.has_supplemental_link) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: supplemental tag %s without a Link rel=\"supplemental\" to the tag "
			     "it supplements",
			     path, p.root_line, p.tag_id);
		goto out;
	}
	if (!p.is_supplemental && p.has_supplemental_link) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: tag %s has a Link rel=\"supplemental\" but no supplemental=\"true\"",
			     path, p.supplemental_link_line, p.tag_id);
		goto out;
	}
	ok = TRUE;
	if (p.is_corpus) {
		g_debug ("%s: corpus tag %s (an installer, not an installation): skipped", path, p.tag_id);
		goto out;
	}
	if (p.is_supplemental) {
		g_debug ("%s: supplemental tag %s: skipped", path, p.tag_id);
		goto out;
	}
	if (g_strcmp0 (p.version_scheme, "rpm") == 0) {
		g_debug ("%s: tag %s describes an rpm package, which the rpm source records: skipped",
			 path, p.tag_id);
		goto out;
	}
	if (p.version == NULL && p.numeric[0] != NULL) {
		GString *v = g_string_new (p.numeric[0]);
		for (guint i = 1; i < G_N_ELEMENTS (p.numeric) && p.numeric[i] != NULL; i++)
			g_string_append_printf (v, ".%s", p.numeric[i]);
		p.version = g_string_free (v, FALSE);
	}
	if (seen_tag_ids != NULL) {
		if (g_hash_table_contains (seen_tag_ids, p.tag_id)) {
			g_debug ("%s: tag %s seen already: skipped", path, p.tag_id);
			goto out;
		}
		g_hash_table_add (seen_tag_ids, g_strdup (p.tag_id));
	}
	const char *publisher = p.software_creator ? p.software_creator
						   : p.licensor ? p.licensor : p.tag_creator;
	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_SWID;
	r.raw_name = p.name;
	r.raw_version = p.version;
	r.raw_publisher = publisher;
	r.arch = p.arch;
	r.location = location ? location : path;
	r.kind = p.is_patch ? "update" : NULL;
	tu_record_list_add (scan->records, &r);
out:
	g_markup_parse_context_free (p.ctx);
	parser_clear (&p);
	return ok;
}

gboolean
tu_swid_parse (const char *buf, gsize len, const char *path, TuHostScan *scan, GError **error)
{
	return parse_tag (buf, len, path, NULL, NULL, scan, error);
}

void
tu_source_swid (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	/* depth 2 below each directory: the SSH collector's find -maxdepth 3 */
	static const char *const globs[] = {
		"usr/share/swidtag/**/*.swidtag",	   "usr/share/swidtag/**/*.xml",
		"usr/local/share/swidtag/**/*.swidtag", "usr/local/share/swidtag/**/*.xml",
		"etc/swid/swidtags.d/**/*.swidtag",	   "etc/swid/swidtags.d/**/*.xml",
		"ProgramData/regid.*/**/*.swidtag",	   NULL};
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; globs[i] != NULL; i++) {
		g_autoptr(GPtrArray) files = tu_fs_glob (fs, globs[i], 2);
		for (guint f = 0; f < files->len; f++) {
			const char *file = g_ptr_array_index (files, f);
			if (!tu_fs_is_file (fs, file))
				continue;
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_META_BYTES, &error);
			if (bytes == NULL) {
				tu_host_scan_warn (scan, "%s (skipped)", error->message);
				continue;
			}
			g_autofree char *shown = tu_fs_display (fs, file);
			g_autofree char *location = g_strdup_printf ("/%s", file);
			if (!parse_tag (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), shown,
					location, seen, scan, &error))
				tu_host_scan_warn (scan, "%s (skipped)", error->message);
		}
	}
}
