/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Matching installed products to the release catalogue (see tu-catalog.h): the identifier and
 * name indexes of a loaded TuCatalog, the product and cycle of an installation, how far behind
 * it is, and its support status at a date.
 *
 * Ownership: a TuCatalog owns its products and the indexes over them; everything it hands out
 * is borrowed and lives as long as it does. A loaded TuCatalog is read-only, so matching may
 * run from several threads at once.
 *
 * A cycle is end of life from its eol date on (the date itself included), as the site shows it.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog-private.h"
#include "tu-common.h"
#include "tu-record.h"

/* ---------------------------------------------------------------- matching keys -------- */

/* Case and punctuation folded away: "Node.js" -> "nodejs". NULL when nothing is left.
 * (transfer full) */
static char *
name_key (const char *s, gssize len)
{
	if (s == NULL)
		return NULL;
	g_autofree char *valid = tu_utf8_clean (s, len, 1024, NULL);
	g_autofree char *fold = g_utf8_casefold (valid, -1);
	GString *out = g_string_new (NULL);
	for (const char *p = fold; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (g_unichar_isalnum (c))
			g_string_append_unichar (out, c);
	}
	if (out->len == 0) {
		g_string_free (out, TRUE);
		return NULL;
	}
	return g_string_free (out, FALSE);
}

static int
hexval (char c)
{
	if (g_ascii_isdigit (c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decoded and lower-cased. (transfer full) */
static char *
decode_lower (const char *s, gsize len)
{
	GString *out = g_string_sized_new (len);
	for (gsize i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval (s[i + 1]) >= 0 && hexval (s[i + 2]) >= 0) {
			g_string_append_c (out, (char) (hexval (s[i + 1]) * 16 + hexval (s[i + 2])));
			i += 2;
		} else {
			g_string_append_c (out, g_ascii_tolower (s[i]));
		}
	}
	for (gsize i = 0; i < out->len; i++)
		out->str[i] = g_ascii_tolower (out->str[i]);
	return g_string_free (out, FALSE);
}

/* A package URL reduced to "type/namespace/name" (version, qualifiers and subpath dropped,
 * lower case, percent-decoded; PyPI names with - _ . folded as PEP 503 does). @distro_key
 * (nullable) gets "type//name" for distribution package types whose namespace is the
 * distribution (deb, rpm, apk, alpm). NULL when @purl is not a package URL. (transfer full) */
static char *
purl_key (const char *purl, char **distro_key)
{
	if (distro_key != NULL)
		*distro_key = NULL;
	if (purl == NULL)
		return NULL;
	while (*purl == ' ' || *purl == '\t')
		purl++;
	if (g_ascii_strncasecmp (purl, "pkg:", 4) != 0)
		return NULL;
	const char *s = purl + 4;
	while (*s == '/')
		s++;
	gsize n = strcspn (s, "?#");
	while (n > 0 && s[n - 1] == '/')
		n--;
	const char *last_slash = NULL;
	for (gsize i = 0; i < n; i++) {
		if (s[i] == '/')
			last_slash = s + i;
	}
	if (last_slash == NULL)
		return NULL;
	const char *at = memchr (last_slash, '@', (gsize) (s + n - last_slash));
	if (at != NULL)
		n = (gsize) (at - s);
	g_autofree char *type = NULL;
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *q = memchr (p, '/', (gsize) (end - p));
		const char *e = q ? q : end;
		if (e > p)
			g_ptr_array_add (parts, decode_lower (p, (gsize) (e - p)));
		p = q ? q + 1 : end;
	}
	if (parts->len < 2)
		return NULL;
	type = g_strdup (g_ptr_array_index (parts, 0));
	char *name = g_ptr_array_index (parts, parts->len - 1);
	if (strcmp (type, "pypi") == 0) {
		GString *folded = g_string_new (NULL);
		for (const char *c = name; *c; c++) {
			gboolean sep = *c == '-' || *c == '_' || *c == '.';
			if (!sep)
				g_string_append_c (folded, *c);
			else if (folded->len == 0 || folded->str[folded->len - 1] != '-')
				g_string_append_c (folded, '-');
		}
		g_free (name);
		name = g_ptr_array_index (parts, parts->len - 1) = g_string_free (folded, FALSE);
	}
	GString *key = g_string_new (type);
	g_string_append_c (key, '/');
	for (guint i = 1; i + 1 < parts->len; i++) {
		if (i > 1)
			g_string_append_c (key, '/');
		g_string_append (key, g_ptr_array_index (parts, i));
	}
	g_string_append_c (key, '/');
	g_string_append (key, name);
	static const char *const distro_types[] = {"deb", "rpm", "apk", "alpm", NULL};
	if (distro_key != NULL && g_strv_contains (distro_types, type))
		*distro_key = g_strdup_printf ("%s//%s", type, name);
	return g_string_free (key, FALSE);
}

/* "vendor:product" of a CPE 2.3 formatted string or a CPE 2.2 URI, lower case and unescaped;
 * NULL when either is missing or a wildcard. (transfer full) */
static char *
cpe_key (const char *cpe)
{
	if (cpe == NULL)
		return NULL;
	const char *s;
	gboolean fs;
	if (g_ascii_strncasecmp (cpe, "cpe:2.3:", 8) == 0) {
		s = cpe + 8;
		fs = TRUE;
	} else if (g_ascii_strncasecmp (cpe, "cpe:/", 5) == 0) {
		s = cpe + 5;
		fs = FALSE;
	} else {
		return NULL;
	}
	/* fields: part, vendor, product */
	GString *field[3] = {g_string_new (NULL), g_string_new (NULL), g_string_new (NULL)};
	guint f = 0;
	for (const char *p = s; *p && f < 3; p++) {
		if (*p == ':') {
			f++;
			continue;
		}
		if (fs && *p == '\\' && p[1] != '\0') {
			p++;
			g_string_append_c (field[f], g_ascii_tolower (*p));
		} else if (!fs && *p == '%' && hexval (p[1]) >= 0 && hexval (p[2]) >= 0) {
			char c = (char) (hexval (p[1]) * 16 + hexval (p[2]));
			g_string_append_c (field[f], g_ascii_tolower (c));
			p += 2;
		} else {
			g_string_append_c (field[f], g_ascii_tolower (*p));
		}
	}
	char *key = NULL;
	const char *vendor = field[1]->str, *product = field[2]->str;
	gboolean wild = *vendor == '\0' || *product == '\0' || strcmp (vendor, "*") == 0 ||
			strcmp (product, "*") == 0 || strcmp (vendor, "-") == 0 ||
			strcmp (product, "-") == 0;
	if (!wild)
		key = g_strdup_printf ("%s:%s", vendor, product);
	for (guint i = 0; i < 3; i++)
		g_string_free (field[i], TRUE);
	return key;
}

/* ---------------------------------------------------------------- the catalogue -------- */

/* Name-key sources, strongest first: an in-house CSV row names its product outright. */
typedef enum { NAME_CSV = 0, NAME_TITLE, NAME_SLUG, NAME_REPOLOGY } NamePriority;

typedef struct {
	const TuCatalogProduct *product;
	NamePriority priority;
} NameHit;

struct _TuCatalog {
	GPtrArray *products;	  /* TuCatalogProduct*, by id */
	GHashTable *by_purl;	  /* "type/ns/name" -> product */
	GHashTable *by_distro;	  /* "type//name" -> product, or &ambiguous */
	GHashTable *by_cpe;	  /* "vendor:product" -> product */
	GHashTable *by_name;	  /* name key -> NameHit* */
	GHashTable *by_pub_prod;  /* casefold "publisher\x1fproduct" -> product (CSV) */
};

static const char ambiguous = 0;

void
tu_catalog_free (TuCatalog *cat)
{
	if (cat == NULL)
		return;
	g_hash_table_unref (cat->by_purl);
	g_hash_table_unref (cat->by_distro);
	g_hash_table_unref (cat->by_cpe);
	g_hash_table_unref (cat->by_name);
	g_hash_table_unref (cat->by_pub_prod);
	g_ptr_array_unref (cat->products);
	g_free (cat);
}

static void
index_name (TuCatalog *cat, const char *text, const TuCatalogProduct *p, NamePriority priority)
{
	g_autofree char *key = name_key (text, -1);
	if (key == NULL)
		return;
	NameHit *hit = g_hash_table_lookup (cat->by_name, key);
	if (hit != NULL && hit->priority <= priority)
		return; /* an earlier product (by id) or a stronger source keeps the key */
	hit = g_new0 (NameHit, 1);
	hit->product = p;
	hit->priority = priority;
	g_hash_table_replace (cat->by_name, g_steal_pointer (&key), hit);
}

static char *
pub_prod_key (const char *publisher, const char *product)
{
	g_autofree char *a = g_utf8_casefold (publisher, -1);
	g_autofree char *b = g_utf8_casefold (product, -1);
	return g_strconcat (a, "\x1f", b, NULL);
}

static void
index_product (TuCatalog *cat, const TuCatalogProduct *p)
{
	for (guint i = 0; i < p->identifiers->len; i++) {
		const char *ident = g_ptr_array_index (p->identifiers, i);
		if (g_str_has_prefix (ident, "purl:")) {
			g_autofree char *distro = NULL;
			char *key = purl_key (ident + 5, &distro);
			if (key != NULL && !g_hash_table_contains (cat->by_purl, key))
				g_hash_table_insert (cat->by_purl, key, (gpointer) p);
			else
				g_free (key);
			if (distro != NULL) {
				gpointer old = g_hash_table_lookup (cat->by_distro, distro);
				/* claimed by two products: the package name alone decides nothing */
				gpointer value = old == NULL || old == p ? (gpointer) p
									 : (gpointer) &ambiguous;
				char *k = g_steal_pointer (&distro);
				g_hash_table_replace (cat->by_distro, k, value);
			}
		} else if (g_str_has_prefix (ident, "cpe:")) {
			char *key = cpe_key (ident + 4);
			if (key != NULL && !g_hash_table_contains (cat->by_cpe, key))
				g_hash_table_insert (cat->by_cpe, key, (gpointer) p);
			else
				g_free (key);
		} else if (g_str_has_prefix (ident, "repology:")) {
			index_name (cat, ident + 9, p, NAME_REPOLOGY);
		}
	}
	if (p->publisher != NULL && p->product != NULL) {
		char *key = pub_prod_key (p->publisher, p->product);
		if (!g_hash_table_contains (cat->by_pub_prod, key))
			g_hash_table_insert (cat->by_pub_prod, key, (gpointer) p);
		else
			g_free (key);
		index_name (cat, p->product, p, NAME_CSV);
		g_autofree char *both = g_strconcat (p->publisher, " ", p->product, NULL);
		index_name (cat, both, p, NAME_CSV);
	} else {
		index_name (cat, p->title, p, NAME_TITLE);
		index_name (cat, p->id, p, NAME_SLUG);
	}
}

static TuCatalog *
catalog_new (GPtrArray *products)
{
	TuCatalog *cat = g_new0 (TuCatalog, 1);
	cat->products = products;
	cat->by_purl = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	cat->by_distro = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	cat->by_cpe = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	cat->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	cat->by_pub_prod = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < products->len; i++)
		index_product (cat, g_ptr_array_index (products, i));
	return cat;
}

TuCatalog *
tu_catalog_load (TuDb *db, GError **error)
{
	GPtrArray *products = tu_catalog_load_products (db, NULL, error);
	if (products == NULL)
		return NULL;
	return catalog_new (products);
}

static const TuCatalogProduct *
match_name_key (TuCatalog *cat, const char *text, gssize len)
{
	g_autofree char *key = name_key (text, len);
	if (key == NULL)
		return NULL;
	NameHit *hit = g_hash_table_lookup (cat->by_name, key);
	return hit ? hit->product : NULL;
}

/* Products the catalogue covers under another product's page: the installed product's name
 * (as the normaliser writes it) and the catalogue id whose page speaks for it. Microsoft 365
 * Apps is Office's subscription edition: the Office page is where a reader looks for it, and
 * placing it there gives its own reason when no cycle fits (see tu-catalog-place.c). */
static const struct {
	const char *product;
	const char *catalog_id;
} covered_by[] = {
	{"Microsoft 365 Apps", "office"},
};

static const TuCatalogProduct *
product_by_id (TuCatalog *cat, const char *id)
{
	for (guint i = 0; i < cat->products->len; i++) {
		const TuCatalogProduct *p = g_ptr_array_index (cat->products, i);
		if (g_strcmp0 (p->id, id) == 0)
			return p;
	}
	return NULL;
}

guint
tu_catalog_n_products (TuCatalog *cat)
{
	return cat != NULL ? cat->products->len : 0;
}

const TuCatalogProduct *
tu_catalog_product (TuCatalog *cat, const char *id)
{
	return cat != NULL && id != NULL ? product_by_id (cat, id) : NULL;
}

static const TuCatalogProduct *
match_covered_by (TuCatalog *cat, const char *product)
{
	g_autofree char *key = name_key (product, -1);
	for (guint i = 0; key != NULL && i < G_N_ELEMENTS (covered_by); i++) {
		g_autofree char *k = name_key (covered_by[i].product, -1);
		if (g_strcmp0 (k, key) == 0)
			return product_by_id (cat, covered_by[i].catalog_id);
	}
	return NULL;
}

static const TuCatalogProduct *
match_by_name (TuCatalog *cat, const char *publisher, const char *product)
{
	if (product == NULL || *product == '\0')
		return NULL;
	if (publisher != NULL && *publisher != '\0') {
		g_autofree char *key = pub_prod_key (publisher, product);
		const TuCatalogProduct *p = g_hash_table_lookup (cat->by_pub_prod, key);
		if (p != NULL)
			return p;
	}
	const TuCatalogProduct *p = match_name_key (cat, product, -1);
	if (p != NULL || publisher == NULL || *publisher == '\0')
		return p;
	/* without a leading publisher word: "Apache Tomcat" of "Apache Software Foundation" */
	g_autofree char *pub_key = name_key (publisher, -1);
	gsize first_len = strcspn (publisher, " \t,");
	g_autofree char *pub_first = name_key (publisher, (gssize) first_len);
	for (const char *sp = product; (sp = strchr (sp, ' ')) != NULL; sp++) {
		g_autofree char *head = name_key (product, sp - product);
		if (head == NULL ||
		    (g_strcmp0 (head, pub_key) != 0 && g_strcmp0 (head, pub_first) != 0))
			continue;
		g_autofree char *rest = name_key (sp + 1, -1);
		if (rest == NULL || strlen (rest) < 2)
			continue;
		if ((p = match_name_key (cat, sp + 1, -1)) != NULL)
			return p;
	}
	/* the publisher and the product together: "Apache" + "HTTP Server" */
	g_autofree char *both = g_strconcat (publisher, " ", product, NULL);
	if ((p = match_name_key (cat, both, -1)) != NULL)
		return p;
	if (first_len < strlen (publisher)) {
		g_autofree char *first_both = g_strdup_printf ("%.*s %s", (int) first_len, publisher,
							       product);
		p = match_name_key (cat, first_both, -1);
	}
	return p;
}

const TuCatalogProduct *
tu_catalog_match (TuCatalog *cat, const char *publisher, const char *product, const char *purl,
		  const char *cpe, const char **mapped_by)
{
	const char *by_dummy = NULL;
	if (mapped_by == NULL)
		mapped_by = &by_dummy;
	*mapped_by = NULL;
	if (cat == NULL)
		return NULL;
	if (purl != NULL && *purl != '\0') {
		g_autofree char *distro = NULL;
		g_autofree char *key = purl_key (purl, &distro);
		const TuCatalogProduct *p = key ? g_hash_table_lookup (cat->by_purl, key) : NULL;
		if (p == NULL && distro != NULL) {
			gconstpointer d = g_hash_table_lookup (cat->by_distro, distro);
			p = d != &ambiguous ? d : NULL;
		}
		if (p != NULL) {
			*mapped_by = "purl";
			return p;
		}
	}
	if (cpe != NULL && *cpe != '\0') {
		g_autofree char *key = cpe_key (cpe);
		const TuCatalogProduct *p = key ? g_hash_table_lookup (cat->by_cpe, key) : NULL;
		if (p != NULL) {
			*mapped_by = "cpe";
			return p;
		}
	}
	const TuCatalogProduct *p = match_by_name (cat, publisher, product);
	if (p == NULL && product != NULL)
		p = match_covered_by (cat, product);
	if (p != NULL)
		*mapped_by = "name";
	return p;
}

/* ---------------------------------------------------------------- cycles and support --- */

const TuCatalogCycle *
tu_catalog_cycle_for (const TuCatalogProduct *p, const char *version)
{
	if (p == NULL || version == NULL || *version == '\0')
		return NULL;
	const TuCatalogCycle *best = NULL;
	gsize best_len = 0;
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		gsize n = strlen (c->cycle);
		if (n > best_len && tu_catalog_version_in_cycle (version, c->cycle)) {
			best = c;
			best_len = n;
		}
	}
	/* "v18.19.1" as tags and some tools write it */
	if (best == NULL && (version[0] == 'v' || version[0] == 'V') && g_ascii_isdigit (version[1]))
		return tu_catalog_cycle_for (p, version + 1);
	return best;
}

const TuCatalogCycle *
tu_catalog_newest_cycle (const TuCatalogProduct *p)
{
	if (p == NULL || p->cycles->len == 0)
		return NULL;
	gboolean all_dated = TRUE;
	for (guint i = 0; i < p->cycles->len && all_dated; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		all_dated = c->release_date != NULL;
	}
	const TuCatalogCycle *best = NULL;
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		if (best == NULL) {
			best = c;
			continue;
		}
		int d = all_dated ? strcmp (c->release_date, best->release_date) : 0;
		if (d == 0)
			d = tu_version_compare (TU_SCHEME_GENERIC, c->cycle, best->cycle);
		if (d > 0)
			best = c;
	}
	return best;
}

/* The channel of a CHANNEL-NUMBER cycle name ("current-2410" -> "current"), else NULL.
 * (transfer full) */
static char *
channel_of (const char *cycle)
{
	const char *dash = strrchr (cycle, '-');
	if (dash == NULL || dash == cycle || dash[1] == '\0' || !g_ascii_isalpha (cycle[0]))
		return NULL;
	for (const char *p = dash + 1; *p; p++)
		if (!g_ascii_isdigit (*p))
			return NULL;
	return g_strndup (cycle, (gsize) (dash - cycle));
}

const TuCatalogCycle *
tu_catalog_newest_in_channel (const TuCatalogProduct *p, const TuCatalogCycle *cycle)
{
	if (p == NULL || cycle == NULL)
		return NULL;
	g_autofree char *channel = channel_of (cycle->cycle);
	if (channel == NULL)
		return NULL;
	const TuCatalogCycle *best = cycle;
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		g_autofree char *ch = channel_of (c->cycle);
		if (ch == NULL || g_ascii_strcasecmp (ch, channel) != 0)
			continue;
		int d = c->release_date && best->release_date
				? strcmp (c->release_date, best->release_date)
				: 0;
		if (d == 0)
			d = tu_version_compare (TU_SCHEME_GENERIC, c->cycle + strlen (ch) + 1,
						best->cycle + strlen (channel) + 1);
		if (d > 0)
			best = c;
	}
	return best;
}

void
tu_catalog_behind (const TuCatalogProduct *p, const TuCatalogCycle *cycle, const char *version,
		   gint *releases_behind, gint *days_behind)
{
	gint rb = -1, days = -1;
	if (p != NULL && cycle != NULL && version != NULL && *version != '\0') {
		guint n_known = 0, n_newer = 0;
		const char *own_date = NULL;
		for (guint i = 0; i < p->versions->len; i++) {
			const TuCatalogVersion *v = g_ptr_array_index (p->versions, i);
			if (!tu_catalog_version_in_cycle (v->version, cycle->cycle))
				continue;
			n_known++;
			if (tu_version_compare (TU_SCHEME_GENERIC, v->version, version) > 0)
				n_newer++;
			if (strcmp (v->version, version) == 0)
				own_date = v->date;
		}
		if (n_known > 0)
			rb = (gint) n_newer;
		else if (cycle->latest != NULL &&
			 tu_version_compare (TU_SCHEME_GENERIC, version, cycle->latest) >= 0)
			rb = 0;
		if (own_date == NULL && cycle->latest != NULL && strcmp (cycle->latest, version) == 0)
			own_date = cycle->latest_date;
		guint32 a = 0, b = 0;
		if (rb == 0)
			days = 0;
		else if (tu_catalog_date_julian (own_date, &a) && tu_catalog_date_julian (cycle->latest_date, &b))
			days = b > a ? (gint) (b - a) : 0;
	}
	if (releases_behind != NULL)
		*releases_behind = rb;
	if (days_behind != NULL)
		*days_behind = days;
}

TuSupport
tu_catalog_support (const TuCatalogCycle *cycle, guint32 at, const char **eol_date)
{
	if (eol_date != NULL)
		*eol_date = cycle ? cycle->eol : NULL;
	if (cycle == NULL)
		return TU_SUPPORT_UNKNOWN;
	guint32 j = 0;
	if ((tu_catalog_date_julian (cycle->eol, &j) && at >= j) || cycle->eol_flag == 1)
		return TU_SUPPORT_EOL;
	if ((tu_catalog_date_julian (cycle->support_end, &j) && at >= j) || cycle->support_flag == 1)
		return TU_SUPPORT_SECURITY_ONLY;
	if (cycle->eol != NULL || cycle->eol_flag == 0 || cycle->support_end != NULL ||
	    cycle->support_flag == 0)
		return TU_SUPPORT_SUPPORTED;
	return TU_SUPPORT_UNKNOWN;
}

const char *
tu_support_to_string (TuSupport s)
{
	switch (s) {
	case TU_SUPPORT_SUPPORTED:
		return "supported";
	case TU_SUPPORT_SECURITY_ONLY:
		return "security-only";
	case TU_SUPPORT_EOL:
		return "eol";
	case TU_SUPPORT_UNKNOWN:
	default:
		return "";
	}
}

/* ---------------------------------------------------------------- unmapped ------------- */

/* The package URL the patch engine derives for a package of a distribution. (transfer full) */
static char *
derived_purl (const char *source, const char *raw_name, const char *srcpkg, const char *os_id)
{
	switch (tu_source_from_string (source)) {
	case TU_SOURCE_DPKG:
		return g_strdup_printf ("pkg:deb/%s/%s", os_id ? os_id : "debian",
					srcpkg && *srcpkg ? srcpkg : raw_name);
	case TU_SOURCE_RPM:
		return g_strdup_printf ("pkg:rpm/%s/%s", os_id ? os_id : "redhat", raw_name);
	case TU_SOURCE_APK:
		return g_strdup_printf ("pkg:apk/alpine/%s", raw_name);
	case TU_SOURCE_PIP:
		return g_strdup_printf ("pkg:pypi/%s", raw_name);
	case TU_SOURCE_NPM:
		return g_strdup_printf ("pkg:npm/%s", raw_name);
	default:
		return NULL;
	}
}

/* The catalogue's OS products by os-release ID, and their publisher as the normaliser's
 * publisher table writes it (the canonical name of the vendor's own packages' publisher:
 * Debian's Maintainer addresses are "Debian", AlmaLinux's rpm Vendor "AlmaLinux"). */
static const struct {
	const char *os_id;
	const char *slug;
	const char *publisher;
} os_slugs[] = {
	{"debian", "debian", "Debian"},
	{"ubuntu", "ubuntu", "Canonical"},
	{"almalinux", "almalinux", "AlmaLinux"},
	{"rhel", "rhel", "Red Hat"},
	{"rocky", "rocky-linux", "Rocky Enterprise Software Foundation"},
	{"centos", "centos", "CentOS"},
	{"alpine", "alpine-linux", "Alpine Linux"},
	{"amzn", "amazon-linux", "Amazon"},
	{"fedora", "fedora", "Fedora Project"},
	{"sles", "sles", "SUSE"},
	{"macos", "macos", "Apple"},
};

const char *
tu_catalog_os_publisher (const char *os_id)
{
	for (guint i = 0; os_id != NULL && i < G_N_ELEMENTS (os_slugs); i++) {
		if (g_ascii_strcasecmp (os_id, os_slugs[i].os_id) == 0)
			return os_slugs[i].publisher;
	}
	return NULL;
}

const char *
tu_catalog_os_slug (const char *os_id)
{
	for (guint i = 0; os_id != NULL && i < G_N_ELEMENTS (os_slugs); i++) {
		if (g_ascii_strcasecmp (os_id, os_slugs[i].os_id) == 0)
			return os_slugs[i].slug;
	}
	return NULL;
}

typedef struct {
	TuCatalog *cat;
	GPtrArray *os_ids;
	GHashTable *mapped;
} UnmappedCtx;

static void
unmapped_one (const TuCatalogSoftware *sw, gpointer user_data)
{
	UnmappedCtx *u = user_data;
	const TuCatalogProduct *p = NULL;
	if (sw->purl != NULL && *sw->purl != '\0') {
		p = tu_catalog_match (u->cat, sw->publisher, sw->product, sw->purl, sw->cpe, NULL);
	} else {
		for (guint i = 0; i < u->os_ids->len && p == NULL; i++) {
			g_autofree char *purl =
				derived_purl (sw->source, sw->raw_name ? sw->raw_name : "",
					      sw->source_package, g_ptr_array_index (u->os_ids, i));
			p = tu_catalog_match (u->cat, sw->publisher, sw->product, purl, sw->cpe,
					      NULL);
		}
	}
	if (p != NULL)
		g_hash_table_add (u->mapped, (gpointer) p);
}

GPtrArray *
tu_catalog_unmapped (TuCatalog *cat, TuDb *db, GError **error)
{
	g_autoptr(GPtrArray) os_ids = tu_catalog_store_os_ids (db, error);
	if (os_ids == NULL)
		return NULL;
	if (os_ids->len == 0)
		g_ptr_array_add (os_ids, NULL);
	g_autoptr(GHashTable) mapped = g_hash_table_new (g_direct_hash, g_direct_equal);
	/* the hosts' operating systems are installed products too */
	for (guint i = 0; i < os_ids->len; i++) {
		const char *slug = tu_catalog_os_slug (g_ptr_array_index (os_ids, i));
		const TuCatalogProduct *p =
			slug ? tu_catalog_match (cat, NULL, slug, NULL, NULL, NULL) : NULL;
		if (p != NULL && g_strcmp0 (p->id, slug) == 0)
			g_hash_table_add (mapped, (gpointer) p);
	}
	UnmappedCtx u = {cat, os_ids, mapped};
	if (!tu_catalog_store_each_software (db, unmapped_one, &u, error))
		return NULL;
	GPtrArray *out = g_ptr_array_new ();
	for (guint i = 0; i < cat->products->len; i++) {
		gpointer p = g_ptr_array_index (cat->products, i);
		if (!g_hash_table_contains (mapped, p))
			g_ptr_array_add (out, p);
	}
	return out;
}
