/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The release and end-of-life catalogue: endoflife.date's data (product pages products/NAME.md
 * with YAML front matter, release-data JSON releases/NAME.json) and in-house CSV catalogues
 * (publisher,product,cycle,release_date,latest,latest_date,eol,support_end,lts). Imported from
 * files: trueup needs no network at run time.
 *
 * Catalogue products are mapped to normalised products by identifiers first (purl, CPE), then
 * by name; TuCatalog answers, for an installation, which catalogue product and release cycle
 * it belongs to, the latest version of that cycle and overall, how far behind it is, and the
 * support status at a date.
 */
#pragma once

#include <glib.h>

#include "tu-catalog-record.h"
#include "tu-db.h"
#include "tu-normaliser.h"
#include "tu-warnings.h"

G_BEGIN_DECLS

/* An endoflife.date product page: the YAML front matter between the first two "---" lines
 * (title, category, identifiers, releases). @id is the file name without ".md". */
gboolean tu_catalog_parse_markdown (const char *buf, gsize len, const char *path, const char *id,
				    TuCatalogProduct *out, GError **error);
/* A release-data JSON ({"releases": {...}, "versions": {...}}): cycles override the page's,
 * versions are added; the highest version of a cycle fills its "latest" when the page has
 * none. */
gboolean tu_catalog_parse_release_json (const char *buf, gsize len, const char *path,
					TuCatalogProduct *into, GError **error);
/* An in-house CSV catalogue; publishers and products go through @norm's alias tables. */
gboolean tu_catalog_parse_csv (const char *buf, gsize len, const char *path, TuNormaliser *norm,
			       GPtrArray *products, GError **error);

typedef struct {
	guint n_products;
	guint n_cycles;
	guint n_versions;
	guint n_identifiers;
} TuCatalogImportStats;

/* Import a directory laid out like endoflife.date's (products/NAME.md and releases/NAME.json, or
 * the files directly), a single .md or .json, or an in-house .csv. A file of the wrong kind is
 * an error naming it; a product is replaced whole when imported again; each file's products
 * are stored in one transaction. */
gboolean tu_catalog_import (TuDb *db, TuNormaliser *norm, const char *path,
			    TuCatalogImportStats *stats, TuWarnings *messages, GError **error);

/* ---- matching ------------------------------------------------------------------------- */

typedef struct _TuCatalog TuCatalog;

/* Load the whole catalogue for matching. (transfer full) */
TuCatalog *tu_catalog_load (TuDb *db, GError **error);
void tu_catalog_free (TuCatalog *cat);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuCatalog, tu_catalog_free)

/* The catalogue product of a normalised product: by @purl (type/namespace/name, any version)
 * or @cpe (vendor:product) first, then by name (title or slug against @product, ignoring case
 * and punctuation: "Node.js" = "nodejs"). @mapped_by (nullable) gets "purl", "cpe" or "name".
 * NULL when none. (transfer none) */
/* How many products the catalogue holds (0: none imported yet). */
guint tu_catalog_n_products (TuCatalog *cat);
/* The product stored under catalogue id @id ("windows"), or NULL. (transfer none) */
const TuCatalogProduct *tu_catalog_product (TuCatalog *cat, const char *id);
const TuCatalogProduct *tu_catalog_match (TuCatalog *cat, const char *publisher,
					  const char *product, const char *purl, const char *cpe,
					  const char **mapped_by);

/* The cycle an upstream version belongs to: the longest cycle name that equals the version or
 * is a prefix of it followed by a non-digit ("3.0" holds "3.0.11" but "4.1" not "4.10.1").
 * NULL when none. (transfer none) */
const TuCatalogCycle *tu_catalog_cycle_for (const TuCatalogProduct *p, const char *version);
/* What is known of an installation for placing it in a cycle; every field may be NULL. */
typedef struct {
	const char *version; /* the upstream version ("10.0.22631.4460", "1.8.0_431") */
	const char *release; /* the marketing release the normaliser found ("2019", "11", "8") */
	const char *edition; /* its edition, or the OS's EditionID ("Pro", "Professional") */
	const char *name;    /* the name as discovered ("Microsoft Office LTSC ... 2024") */
} TuCatalogInstalled;

/* The cycle of an installation, placed by version, build and edition, release, or a
 * release's known builds (see tu-catalog-place.c). NULL with *@reason (transfer full) saying
 * why: "not in the catalogue", "no version or release recorded", "edition not known: ...",
 * "build 10.0.12345 fits no cycle of Microsoft Windows". (transfer none) */
const TuCatalogCycle *tu_catalog_place (const TuCatalogProduct *p, const TuCatalogInstalled *inst,
					char **reason);
/* @version as @p's catalogue writes versions ("1.8.0_431" -> "8u431" where the catalogue
 * writes Java updates so), else a copy. (transfer full) */
char *tu_catalog_version_form (const TuCatalogProduct *p, const char *version);

/* The newest cycle (by release date, else by cycle order). (transfer none) */
const TuCatalogCycle *tu_catalog_newest_cycle (const TuCatalogProduct *p);

/* Cycles named CHANNEL-NUMBER ("current-2410", "monthly-enterprise-2409": an update channel
 * and its version, as an in-house catalogue of Microsoft 365 Apps writes them) are the
 * releases of one channel: the newest cycle of @cycle's channel (by release date, else by
 * number), which is the latest release for an installation on that channel. NULL when
 * @cycle's name is not of that form. (transfer none) */
const TuCatalogCycle *tu_catalog_newest_in_channel (const TuCatalogProduct *p,
						    const TuCatalogCycle *cycle);
/* How far @version is behind the latest of @cycle: the number of known versions of the cycle
 * newer than it, and the days between its release and the latest's (-1 when unknown). */
void tu_catalog_behind (const TuCatalogProduct *p, const TuCatalogCycle *cycle,
			const char *version, gint *releases_behind, gint *days_behind);

typedef enum {
	TU_SUPPORT_UNKNOWN,
	TU_SUPPORT_SUPPORTED,
	TU_SUPPORT_SECURITY_ONLY,
	TU_SUPPORT_EOL,
} TuSupport;

/* The support status of @cycle at @at (Julian day); *@eol_date (nullable) gets the end of life
 * date when there is one. */
TuSupport tu_catalog_support (const TuCatalogCycle *cycle, guint32 at, const char **eol_date);
const char *tu_support_to_string (TuSupport s); /* "supported", "security-only", "eol", "" */

/* A support verdict with extended support counted: free extended support (Debian LTS) keeps
 * a cycle security-only until its end; paid extended support (Windows ESU, RHEL ELS) leaves
 * it end of life and is only reported, since buying it is the estate's fact, not the
 * catalogue's. Strings borrowed from @cycle. */
typedef struct {
	TuSupport support;
	const char *eol_date;	       /* the end of the support counted (the LTS end when free) */
	const char *free_extended;     /* "Debian LTS" when the verdict counts it, else NULL */
	const char *paid_extended_end; /* paid extended support available until, else NULL */
} TuCatalogVerdict;
void tu_catalog_judge (const TuCatalogProduct *p, const TuCatalogCycle *cycle, guint32 at,
		       TuCatalogVerdict *out);

/* The catalogue product of a host's operating system by its os-release ID ("debian",
 * "almalinux", "rocky" -> "rocky-linux"), or NULL. (transfer none) */
const char *tu_catalog_os_slug (const char *os_id);
/* The publisher of that operating system, as the normaliser names it ("Debian", "Apple"), or
 * NULL. */
const char *tu_catalog_os_publisher (const char *os_id);

/* Catalogue products no normalised product of the inventory maps to, with their identifiers,
 * for `trueup catalog --unmapped`. (transfer full) TuCatalogProduct* borrowed from @cat in a
 * new array */
GPtrArray *tu_catalog_unmapped (TuCatalog *cat, TuDb *db, GError **error);

G_END_DECLS
