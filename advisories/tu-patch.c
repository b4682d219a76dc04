/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The patch-currency engine; see tu-patch.h. Three passes over the store:
 *  1. hosts (with their OS), the known-exploited CVEs, advisory metadata and the advisory index
 *     (ecosystem base + package key -> affected entries, parsed lazily and once);
 *  2. the hosts' software sets (host_software_sets: one row a host, the software ids of its
 *     current installations, kept by the store), a page of hosts at a time, collapsed into
 *     distinct (software, host OS) keys, each evaluated once against the catalogue and the
 *     advisories (the advisories of a (package, release) are picked, parsed and their events
 *     sorted once, with their distribution's fixed versions, not once per key);
 *  3. the software sets again, each installation emitted with its key's result (in `patch`'s
 *     order: a host's set sorted by publisher, product and raw name in memory, as the store's
 *     collation orders them).
 * Neither pass reads the installations table: 8 bytes an installation instead of its row.
 * Memory follows the distinct keys and the advisories (and a page of sets), not the number of
 * installations.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog.h"
#include "tu-common.h"
#include "tu-osv.h"
#include "tu-patch.h"
#include "tu-patch-extended.h"
#include "tu-pkgindex.h"
#include "tu-query.h"

typedef struct {
	guint64 id;
	char *name;
	char *os_id;
	char *os_version_id;
	char *os_label;
	char *os_build; /* os_version: the full build on Windows */
	char *os_edition;
	char *groups; /* host_attributes.groups_list, or NULL */
	char *machine_id;
	GPtrArray *extended; /* TuExtendedPurchase* whose scope selects it, or NULL */
	guint os_index;	     /* distinct OS id */
} Host;

typedef struct {
	char *vuln_id;
	char *release;
	char *ecosystem;
	char *package;
	char *scheme;
	char *ranges;
	char *versions;
	TuOsvAffected *parsed; /* lazily */
	TuOsvMatcher *matcher; /* of parsed: its events checked and sorted once */
	gboolean parse_failed;
} Adv;

/* The advisories of one (ecosystem, package) key, and what a host's release makes of them:
 * which apply and their distribution's fixed versions, worked out once per release (not once
 * per installed version). */
typedef struct {
	GPtrArray *advs;	/* Adv* */
	GHashTable *by_release; /* release -> ReleaseAdvs* */
} AdvList;

typedef struct {
	GPtrArray *applicable; /* Adv* (borrowed) whose release applies, in stored order */
	GPtrArray *fixes;      /* char* (borrowed): the distinct "fixed" versions of the parsed
				* ones the scheme accepts, ascending */
	const char *newest;    /* the highest of them (the first met, of equal ones), or NULL */
} ReleaseAdvs;

typedef struct {
	double score; /* -1: none */
	char *vector;
	char *severity;	       /* the advisory's own label */
	char *severity_source; /* where the store says it came from */
	GPtrArray *aliases;    /* char* */
	const char *id;	       /* the key it is stored under in Ctx.vulns */
} VulnMeta;

/* the result for one (software, OS) key */
typedef struct {
	char *source;
	char *raw_name;
	char *raw_version;
	char *publisher;
	char *product;
	char *version;
	const char *catalog_id;
	char *cycle;
	char *latest_in_cycle;
	char *latest;
	gint behind;
	gint days_behind;
	const char *support;
	char *eol_date;
	gint eol_days;
	guint n_vulns;
	double max_cvss;
	char *vuln_ids;
	gboolean kev;
	char *fixed_in;
	guint n_unknown;
	gboolean has_advisories;
	gboolean covered;
	char *support_basis;
	char *extended_support;
	char *reason;
	TuSeverity severity;
	char *severity_source;
	char *cves;
	char *kev_cves;
	char *package;
	gboolean from_distribution;
	gboolean extended_paid; /* eol with paid extended support still running */
	char *catalog_key;	/* the catalogue id, for "extended-support:ID" host groups */
	char *distro_latest;	/* the highest fixed version of the distribution's advisories */
	guint rank;		/* the software's in `patch`'s order (report order only) */
	guint package_id;	/* the package's number for exposures, from 1; 0 until emitted */
	gint distro_behind;	/* how many of its fixed versions are newer than the installed */
} KeyResult;

typedef struct {
	TuDb *db;
	const TuPatchOptions *opts;
	GHashTable *os_results;	 /* os index + 1 -> KeyResult* (or absent) */
	GPtrArray *hosts;	 /* Host* */
	GHashTable *host_by_id;	 /* guint64* -> Host* */
	GHashTable *os_ids;	 /* "os_id\x1fversion" -> index+1 */
	GHashTable *kev;	 /* CVE -> due date ("" when none) */
	GHashTable *attr_groups; /* lower-case host key -> groups_list */
	GHashTable *vulns;	 /* vuln id -> VulnMeta* */
	GHashTable *by_alias;	 /* alias or id -> GPtrArray of VulnMeta* (borrowed) */
	GHashTable *advs;	 /* "base\x1fkey" -> AdvList* */
	TuCatalog *catalog;
	TuExtendedSupport *extended; /* purchases the hosts' extended lists borrow */
	TuPkgIndexSet *pkgindex;     /* the package indexes of the hosts' releases */
	GHashTable *keys;	     /* (software_id, os) packed key -> KeyResult* */
	TuPatchStats *stats;
	/* exposures, one per host and package: packages numbered as they are first emitted
	 * (package -> number), and per number the host that last had it (its place in the
	 * emission, a host's rows coming together) and how (1 vulnerable, 2 known exploited) */
	GHashTable *package_ids;
	GArray *exposed; /* Exposure, by package number */
	guint64 exposed_host;
	guint host_seq;
	GArray *host_items; /* HostItem: one host's, reused */
} Ctx;

typedef struct {
	guint host_seq;
	gint how;
} Exposure;

static void
host_free (Host *h)
{
	g_free (h->name);
	g_free (h->os_id);
	g_free (h->os_version_id);
	g_free (h->os_label);
	g_free (h->os_build);
	g_free (h->os_edition);
	g_free (h->groups);
	g_free (h->machine_id);
	if (h->extended != NULL)
		g_ptr_array_unref (h->extended);
	g_free (h);
}

static void
adv_free (Adv *a)
{
	g_free (a->vuln_id);
	g_free (a->release);
	g_free (a->ecosystem);
	g_free (a->package);
	g_free (a->scheme);
	g_free (a->ranges);
	g_free (a->versions);
	tu_osv_matcher_free (a->matcher);
	tu_osv_affected_free (a->parsed);
	g_free (a);
}

static void
release_advs_free (ReleaseAdvs *r)
{
	g_ptr_array_unref (r->applicable);
	g_ptr_array_unref (r->fixes);
	g_free (r);
}

static void
adv_list_free (AdvList *l)
{
	g_ptr_array_unref (l->advs);
	g_hash_table_unref (l->by_release);
	g_free (l);
}

static void
vuln_meta_free (VulnMeta *v)
{
	g_ptr_array_unref (v->aliases);
	g_free (v->vector);
	g_free (v->severity);
	g_free (v->severity_source);
	g_free (v);
}

static void
key_result_free (KeyResult *k)
{
	if (k == NULL)
		return;
	g_free (k->source);
	g_free (k->raw_name);
	g_free (k->raw_version);
	g_free (k->publisher);
	g_free (k->product);
	g_free (k->version);
	g_free (k->cycle);
	g_free (k->latest_in_cycle);
	g_free (k->latest);
	g_free (k->eol_date);
	g_free (k->vuln_ids);
	g_free (k->fixed_in);
	g_free (k->support_basis);
	g_free (k->extended_support);
	g_free (k->reason);
	g_free (k->severity_source);
	g_free (k->cves);
	g_free (k->kev_cves);
	g_free (k->package);
	g_free (k->catalog_key);
	g_free (k->distro_latest);
	g_free (k);
}

/* ---------------------------------------------------------------- loading -------------- */

/* The end of a TuRows read: FALSE with @local moved to @error if it failed. */
static gboolean
rows_done (GError *local, GError **error)
{
	if (local == NULL)
		return TRUE;
	g_propagate_error (error, local);
	return FALSE;
}

/* The hosts' groups (imported host attributes), for "extended-support" bought. */
static gboolean
load_host_groups (Ctx *c, GError **error)
{
	g_autoptr(TuRows) rows = tu_query_host_groups (c->db);
	char **r;
	GError *local = NULL;
	while ((r = tu_rows_next (rows, &local)) != NULL)
		g_hash_table_insert (c->attr_groups, g_ascii_strdown (r[TU_Q_HGROUP_HOST_KEY], -1),
				     g_strdup (r[TU_Q_HGROUP_GROUPS]));
	return rows_done (local, error);
}

static gboolean
load_hosts (Ctx *c, GError **error)
{
	g_autoptr(TuRows) rows = tu_query_hosts_os (c->db, c->opts->host);
	char **r;
	GError *local = NULL;
	while ((r = tu_rows_next (rows, &local)) != NULL) {
		Host *h = g_new0 (Host, 1);
		h->id = g_ascii_strtoull (r[TU_Q_PHOST_ID], NULL, 10);
		h->name = g_strdup (r[TU_Q_PHOST_NAME]);
		h->os_id = r[TU_Q_PHOST_OS_ID] ? g_ascii_strdown (r[TU_Q_PHOST_OS_ID], -1) : NULL;
		h->os_version_id = g_strdup (r[TU_Q_PHOST_OS_VERSION_ID]);
		h->os_label = g_strdup (tu_cell_str (r, TU_Q_PHOST_OS_LABEL));
		h->os_build = g_strdup (r[TU_Q_PHOST_OS_VERSION_ID] ? r[TU_Q_PHOST_OS_VERSION_ID]
								    : r[TU_Q_PHOST_OS_VERSION]);
		h->os_edition = g_strdup (r[TU_Q_PHOST_OS_EDITION]);
		g_autofree char *name_key = g_ascii_strdown (h->name, -1);
		g_autofree char *mid_key = r[TU_Q_PHOST_MACHINE_ID]
						   ? g_ascii_strdown (r[TU_Q_PHOST_MACHINE_ID], -1)
						   : NULL;
		const char *groups = g_hash_table_lookup (c->attr_groups, name_key);
		if (groups == NULL && mid_key != NULL)
			groups = g_hash_table_lookup (c->attr_groups, mid_key);
		h->groups = g_strdup (groups);
		h->machine_id = g_strdup (r[TU_Q_PHOST_MACHINE_ID]);
		/* the edition is part of the OS: it chooses Windows' cycle */
		g_autofree char *osk = g_strdup_printf (
			"%s\x1f%s\x1f%s", h->os_id ? h->os_id : "",
			h->os_version_id ? h->os_version_id : "", h->os_edition ? h->os_edition : "");
		gpointer idx = g_hash_table_lookup (c->os_ids, osk);
		if (idx == NULL) {
			idx = GUINT_TO_POINTER (g_hash_table_size (c->os_ids) + 1);
			g_hash_table_insert (c->os_ids, g_steal_pointer (&osk), idx);
		}
		h->os_index = GPOINTER_TO_UINT (idx) - 1;
		g_hash_table_insert (c->host_by_id, &h->id, h);
		g_ptr_array_add (c->hosts, h);
	}
	return rows_done (local, error);
}

static gboolean
load_advisories (Ctx *c, GError **error)
{
	char **r;
	GError *local = NULL;
	g_autoptr(TuRows) kev = tu_query_kev (c->db);
	while ((r = tu_rows_next (kev, &local)) != NULL)
		g_hash_table_insert (c->kev, g_strdup (r[TU_Q_KEV_CVE]),
				     g_strdup (tu_cell_str (r, TU_Q_KEV_DUE)));
	if (!rows_done (local, error))
		return FALSE;

	g_autoptr(TuRows) meta = tu_query_vuln_meta (c->db);
	while ((r = tu_rows_next (meta, &local)) != NULL) {
		VulnMeta *v = g_new0 (VulnMeta, 1);
		const char *score = r[TU_Q_VMETA_CVSS_SCORE];
		v->score = score ? g_ascii_strtod (score, NULL) : -1;
		v->vector = g_strdup (r[TU_Q_VMETA_CVSS_VECTOR]);
		v->severity = g_strdup (r[TU_Q_VMETA_SEVERITY]);
		v->severity_source = g_strdup (r[TU_Q_VMETA_SEVERITY_SOURCE]);
		v->aliases = g_ptr_array_new_with_free_func (g_free);
		c->stats->n_git_ranges += (guint) tu_cell_int (r, TU_Q_VMETA_GIT_RANGES, 0);
		char *id = g_strdup (r[TU_Q_VMETA_ID]);
		v->id = id;
		g_hash_table_insert (c->vulns, id, v);
	}
	if (!rows_done (local, error))
		return FALSE;
	g_autoptr(TuRows) aliases = tu_query_vuln_aliases (c->db);
	while ((r = tu_rows_next (aliases, &local)) != NULL) {
		VulnMeta *v = g_hash_table_lookup (c->vulns, r[TU_Q_VALIAS_VULN_ID]);
		if (v != NULL)
			g_ptr_array_add (v->aliases, g_strdup (r[TU_Q_VALIAS_ALIAS]));
	}
	if (!rows_done (local, error))
		return FALSE;
	/* the advisories that name each alias (a CVE, a GHSA id) or are it, for a severity
	 * another feed gives the same vulnerability */
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init (&it, c->vulns);
	while (g_hash_table_iter_next (&it, &key, &value)) {
		VulnMeta *v = value;
		for (guint i = 0; i <= v->aliases->len; i++) {
			const char *name = i < v->aliases->len ? g_ptr_array_index (v->aliases, i)
							       : v->id;
			GPtrArray *list = g_hash_table_lookup (c->by_alias, name);
			if (list == NULL) {
				list = g_ptr_array_new ();
				g_hash_table_insert (c->by_alias, (gpointer) name, list);
			}
			g_ptr_array_add (list, v);
		}
	}
	g_autoptr(TuRows) aff = tu_query_vuln_affected (c->db);
	while ((r = tu_rows_next (aff, &local)) != NULL) {
		Adv *a = g_new0 (Adv, 1);
		a->vuln_id = g_strdup (r[TU_Q_VAFF_VULN_ID]);
		a->ecosystem = g_strdup (r[TU_Q_VAFF_ECOSYSTEM]);
		a->release = g_strdup (tu_cell_str (r, TU_Q_VAFF_RELEASE));
		a->package = g_strdup (r[TU_Q_VAFF_PACKAGE]);
		a->scheme = g_strdup (r[TU_Q_VAFF_SCHEME]);
		a->ranges = g_strdup (r[TU_Q_VAFF_RANGES]);
		a->versions = g_strdup (r[TU_Q_VAFF_VERSIONS]);
		char *k = g_strdup_printf ("%s\x1f%s", r[TU_Q_VAFF_ECOSYSTEM_BASE],
					   r[TU_Q_VAFF_PACKAGE_KEY]);
		AdvList *list = g_hash_table_lookup (c->advs, k);
		if (list == NULL) {
			list = g_new0 (AdvList, 1);
			list->advs = g_ptr_array_new_with_free_func ((GDestroyNotify) adv_free);
			list->by_release =
				g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
						       (GDestroyNotify) release_advs_free);
			g_hash_table_insert (c->advs, k, list);
		} else {
			g_free (k);
		}
		g_ptr_array_add (list->advs, a);
		c->stats->n_advisories++;
	}
	return rows_done (local, error);
}

/* ---------------------------------------------------------------- evaluation ----------- */

typedef struct {
	guint64 id;
	char *source;
	char *raw_name;
	char *raw_version;
	char *publisher;
	char *product;
	char *version;
	char *scheme;
	char *srcpkg;
	char *purl;
	char *cpe;
	char *edition;
	char *release;
	char *raw_publisher;
	guint rank; /* in `patch`'s order: publisher, product, raw name (equal ones equal) */
} Software;

static void
software_free (Software *s)
{
	g_free (s->source);
	g_free (s->raw_name);
	g_free (s->raw_version);
	g_free (s->publisher);
	g_free (s->product);
	g_free (s->version);
	g_free (s->scheme);
	g_free (s->srcpkg);
	g_free (s->purl);
	g_free (s->cpe);
	g_free (s->edition);
	g_free (s->release);
	g_free (s->raw_publisher);
	g_free (s);
}

static char *
major_of (const char *v)
{
	if (v == NULL)
		return g_strdup ("");
	const char *dot = strchr (v, '.');
	return dot ? g_strndup (v, (gsize) (dot - v)) : g_strdup (v);
}

/* Which ecosystem's advisories apply to @s on a host running @os_id @os_version. */
static gboolean
ecosystem_for (const Software *s, const char *os_id, const char *os_version, const char **base,
	       char **release, char **package)
{
	TuSource src = tu_source_from_string (s->source);
	*release = NULL;
	*package = NULL;
	const char *id = os_id ? os_id : "";
	switch (src) {
	case TU_SOURCE_DPKG:
		if (g_strcmp0 (id, "debian") == 0) {
			*base = "Debian";
			*release = major_of (os_version);
		} else if (g_strcmp0 (id, "ubuntu") == 0) {
			*base = "Ubuntu";
			*release = g_strdup (os_version ? os_version : "");
		} else {
			return FALSE;
		}
		*package = g_strdup (s->srcpkg && *s->srcpkg ? s->srcpkg : s->raw_name);
		return TRUE;
	case TU_SOURCE_RPM:
		if (g_strcmp0 (id, "almalinux") == 0)
			*base = "AlmaLinux";
		else if (g_strcmp0 (id, "rocky") == 0)
			*base = "Rocky Linux";
		else if (g_strcmp0 (id, "rhel") == 0)
			*base = "Red Hat";
		else if (g_str_has_prefix (id, "opensuse"))
			*base = "openSUSE";
		else if (g_strcmp0 (id, "sles") == 0 || g_strcmp0 (id, "sled") == 0)
			*base = "SUSE";
		else
			return FALSE;
		*release = g_str_has_suffix (*base, "SUSE") ? g_strdup (os_version ? os_version : "")
							    : major_of (os_version);
		*package = g_strdup (s->raw_name);
		return TRUE;
	case TU_SOURCE_APK: {
		if (g_strcmp0 (id, "alpine") != 0)
			return FALSE;
		*base = "Alpine";
		g_auto(GStrv) parts = g_strsplit (os_version ? os_version : "", ".", 3);
		*release = g_strdup_printf ("v%s.%s", parts[0] ? parts[0] : "",
					    parts[0] && parts[1] ? parts[1] : "");
		*package = g_strdup (s->srcpkg && *s->srcpkg ? s->srcpkg : s->raw_name);
		return TRUE;
	}
	case TU_SOURCE_PIP:
		*base = "PyPI";
		*package = g_strdup (s->raw_name);
		return TRUE;
	case TU_SOURCE_NPM:
		*base = "npm";
		*package = g_strdup (s->raw_name);
		return TRUE;
	default:
		return FALSE;
	}
}

/* Does an advisory's ecosystem release apply to the host's? */
static gboolean
release_applies (const char *base, const char *adv_release, const char *host_release)
{
	if (adv_release == NULL || *adv_release == '\0')
		return TRUE;
	if (host_release == NULL || *host_release == '\0')
		return FALSE;
	if (g_strcmp0 (base, "Ubuntu") == 0)
		return g_str_has_prefix (adv_release, host_release);
	if (g_strcmp0 (base, "Red Hat") == 0) {
		/* "rhel_aus:8.6::appstream", "enterprise_linux:9::baseos": a token of the major */
		g_auto(GStrv) tokens = g_strsplit (adv_release, ":", -1);
		for (guint i = 0; tokens[i] != NULL; i++) {
			if (g_strcmp0 (tokens[i], host_release) == 0 ||
			    (g_str_has_prefix (tokens[i], host_release) &&
			     tokens[i][strlen (host_release)] == '.'))
				return TRUE;
		}
		return FALSE;
	}
	if (g_str_has_suffix (base, "SUSE"))
		return strstr (adv_release, host_release) != NULL;
	return g_ascii_strcasecmp (adv_release, host_release) == 0;
}

static char *
derived_purl (const Software *s, const char *os_id)
{
	if (s->purl != NULL && *s->purl)
		return g_strdup (s->purl);
	switch (tu_source_from_string (s->source)) {
	case TU_SOURCE_DPKG:
		return g_strdup_printf ("pkg:deb/%s/%s", os_id ? os_id : "debian",
					s->srcpkg && *s->srcpkg ? s->srcpkg : s->raw_name);
	case TU_SOURCE_RPM:
		return g_strdup_printf ("pkg:rpm/%s/%s", os_id ? os_id : "redhat", s->raw_name);
	case TU_SOURCE_APK:
		return g_strdup_printf ("pkg:apk/alpine/%s", s->raw_name);
	case TU_SOURCE_PIP:
		return g_strdup_printf ("pkg:pypi/%s", s->raw_name);
	case TU_SOURCE_NPM:
		return g_strdup_printf ("pkg:npm/%s", s->raw_name);
	default:
		return NULL;
	}
}

/* The version to place in a catalogue cycle: the upstream part of a packaged version. */
static char *
catalog_version (const Software *s)
{
	TuScheme scheme = TU_SCHEME_GENERIC;
	tu_scheme_from_string (s->scheme, &scheme);
	TuSource src = tu_source_from_string (s->source);
	const char *v = s->version && *s->version ? s->version : s->raw_version;
	if (src == TU_SOURCE_DPKG)
		return tu_version_upstream (TU_SCHEME_DPKG, s->raw_version ? s->raw_version : "");
	if (src == TU_SOURCE_RPM)
		return tu_version_upstream (TU_SCHEME_RPM, s->raw_version ? s->raw_version : "");
	if (src == TU_SOURCE_APK) {
		g_autofree char *copy = g_strdup (s->raw_version ? s->raw_version : "");
		char *r = strstr (copy, "-r");
		if (r != NULL)
			*r = '\0';
		return g_steal_pointer (&copy);
	}
	return tu_version_upstream (scheme, v ? v : "");
}

static void
add_id (GPtrArray *ids, GHashTable *seen, const char *id)
{
	if (id == NULL || g_hash_table_contains (seen, id))
		return;
	g_hash_table_add (seen, (gpointer) id);
	g_ptr_array_add (ids, (gpointer) id);
}

static TuSeverity vuln_own_severity (const VulnMeta *m, char **source);

/* The severity another imported advisory gives the same vulnerability: one that shares an
 * alias with @m (a CVE, a GHSA id) or is one of its aliases, scored ones first, in alias
 * order. UNKNOWN when none has one. (transfer full) source */
static TuSeverity
alias_severity (Ctx *c, const VulnMeta *m, char **source)
{
	for (int want_score = 1; want_score >= 0; want_score--) {
		for (guint i = 0; i < m->aliases->len; i++) {
			const char *alias = g_ptr_array_index (m->aliases, i);
			GPtrArray *list = g_hash_table_lookup (c->by_alias, alias);
			for (guint j = 0; list != NULL && j < list->len; j++) {
				const VulnMeta *o = g_ptr_array_index (list, j);
				if (o == m || (want_score && o->score < 0))
					continue;
				g_autofree char *from = NULL;
				TuSeverity sev = vuln_own_severity (o, &from);
				if (sev == TU_SEVERITY_UNKNOWN)
					continue;
				gboolean is_alias = g_strcmp0 (o->id, alias) == 0;
				*source = is_alias ? g_strdup_printf ("%s of %s, its alias", from,
								      o->id)
						   : g_strdup_printf ("%s of %s, which shares %s",
								      from, o->id, alias);
				return sev;
			}
		}
	}
	return TU_SEVERITY_UNKNOWN;
}

/* The severity of one advisory on the one scale, and where it came from: its own (below),
 * else another imported advisory's for the same vulnerability (alias_severity), else
 * unknown saying that neither has one. (transfer full) source */
static TuSeverity
vuln_severity (Ctx *c, const VulnMeta *m, char **source)
{
	TuSeverity sev = vuln_own_severity (m, source);
	if (sev != TU_SEVERITY_UNKNOWN || m == NULL || m->score >= 0 || m->severity != NULL ||
	    m->vector != NULL)
		return sev;
	g_autofree char *other = NULL;
	sev = alias_severity (c, m, &other);
	if (sev != TU_SEVERITY_UNKNOWN) {
		g_free (*source);
		*source = g_steal_pointer (&other);
		return sev;
	}
	if (m->aliases->len > 0) {
		g_autofree char *names = NULL;
		GString *list = g_string_new (NULL);
		for (guint i = 0; i < m->aliases->len; i++)
			g_string_append_printf (list, "%s%s", i ? ", " : "",
						(const char *) g_ptr_array_index (m->aliases, i));
		names = g_string_free (list, FALSE);
		g_free (*source);
		*source = g_strdup_printf ("no CVSS vector and no severity label, in this "
					   "advisory or an imported one for its aliases (%s)",
					   names);
	}
	return TU_SEVERITY_UNKNOWN;
}

/* An advisory's own severity: the CVSS score of its vector first, else its own label
 * (database_specific, ecosystem_specific, Ubuntu's priority, a distribution's label in the
 * summary). (transfer full) source */
static TuSeverity
vuln_own_severity (const VulnMeta *m, char **source)
{
	if (m == NULL) {
		*source = g_strdup ("no record of the advisory");
		return TU_SEVERITY_UNKNOWN;
	}
	if (m->score >= 0) {
		const char *v = m->vector ? m->vector : "";
		const char *slash = strchr (v, '/');
		g_autofree char *kind = g_str_has_prefix (v, "CVSS:") && slash != NULL
						? g_strndup (v, (gsize) (slash - v))
						: g_strdup ("CVSS:3");
		*source = g_strdup_printf ("%s vector, score %.1f", kind, m->score);
		return tu_severity_from_score (m->score);
	}
	TuSeverity sev = TU_SEVERITY_UNKNOWN;
	if (m->severity != NULL) {
		const char *src = m->severity_source ? m->severity_source : "severity";
		if (tu_severity_from_label (m->severity, &sev)) {
			*source = g_strdup_printf ("%s label %s", src, m->severity);
			return sev;
		}
		*source = g_strdup_printf ("unknown %s label \"%s\"", src, m->severity);
		return TU_SEVERITY_UNKNOWN;
	}
	if (m->vector != NULL)
		*source = g_strdup_printf ("a CVSS vector that could not be scored (%s); see the "
					   "import's warnings",
					   m->vector);
	else
		*source = g_strdup ("no CVSS vector and no severity label");
	return TU_SEVERITY_UNKNOWN;
}

static gint
version_cmp (gconstpointer pa, gconstpointer pb, gpointer user_data)
{
	TuScheme scheme = GPOINTER_TO_INT (user_data);
	return tu_version_compare (scheme, *(const char *const *) pa, *(const char *const *) pb);
}

/* The advisories of @list that apply to @release, parsed, with their fixed versions (see
 * ReleaseAdvs): made on the first pair that asks, kept for the others. */
static const ReleaseAdvs *
release_advs (AdvList *list, const char *base, const char *release, TuScheme scheme)
{
	const char *key = release ? release : "";
	ReleaseAdvs *r = g_hash_table_lookup (list->by_release, key);
	if (r != NULL)
		return r;
	r = g_new0 (ReleaseAdvs, 1);
	r->applicable = g_ptr_array_new ();
	r->fixes = g_ptr_array_new ();
	/* the distinct fixed versions, in the order a hash set of them iterates (which of
	 * equal highest versions is "newest" stays what it was when each pair made the set) */
	g_autoptr(GHashTable) fixes = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < list->advs->len; i++) {
		Adv *a = g_ptr_array_index (list->advs, i);
		if (!release_applies (base, a->release, release))
			continue;
		g_ptr_array_add (r->applicable, a);
		if (a->parsed == NULL && !a->parse_failed) {
			g_autoptr(GError) local = NULL;
			a->parsed = tu_osv_affected_from_json (a->ecosystem, a->package, a->scheme,
							       a->ranges, a->versions, &local);
			a->parse_failed = a->parsed == NULL;
			if (a->parsed != NULL)
				a->matcher = tu_osv_matcher_new (a->parsed);
		}
		if (a->parsed == NULL)
			continue;
		/* the distribution's own fixed versions: what "latest" means for its packages */
		for (guint j = 0; j < a->parsed->ranges->len; j++) {
			const TuOsvRange *range = g_ptr_array_index (a->parsed->ranges, j);
			for (guint e = 0; e < range->events->len; e++) {
				const TuOsvEvent *ev = g_ptr_array_index (range->events, e);
				if (strcmp (ev->kind, "fixed") == 0)
					g_hash_table_add (fixes, ev->version);
			}
		}
	}
	GHashTableIter it;
	gpointer fv;
	g_hash_table_iter_init (&it, fixes);
	while (g_hash_table_iter_next (&it, &fv, NULL)) {
		if (!tu_version_validate (scheme, fv, NULL))
			continue;
		g_ptr_array_add (r->fixes, fv);
		if (r->newest == NULL || tu_version_compare (scheme, fv, r->newest) > 0)
			r->newest = fv;
	}
	g_ptr_array_sort_with_data (r->fixes, version_cmp, GINT_TO_POINTER (scheme));
	g_hash_table_insert (list->by_release, g_strdup (key), r);
	return r;
}

/* How many of @r's fixed versions are newer than @installed (a version the scheme accepts):
 * those after the last one not newer, found by halving the ascending list. */
static gint
n_fixes_newer (const ReleaseAdvs *r, TuScheme scheme, const char *installed)
{
	guint lo = 0, hi = r->fixes->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (tu_version_compare (scheme, g_ptr_array_index (r->fixes, mid), installed) > 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (gint) (r->fixes->len - lo);
}

static void
evaluate_advisories (Ctx *c, const Software *s, const Host *h, KeyResult *k)
{
	const char *base = NULL;
	g_autofree char *release = NULL, *package = NULL;
	if (!ecosystem_for (s, h->os_id, h->os_version_id, &base, &release, &package))
		return;
	g_autofree char *pkey = tu_osv_package_key (base, package);
	g_autofree char *lookup = g_strdup_printf ("%s\x1f%s", base, pkey);
	AdvList *list = g_hash_table_lookup (c->advs, lookup);
	if (list == NULL)
		return;
	TuScheme scheme = tu_osv_scheme_for_ecosystem (base);
	const ReleaseAdvs *applicable = release_advs (list, base, release, scheme);
	g_autoptr(GPtrArray) ids = g_ptr_array_new ();
	g_autoptr(GPtrArray) cves = g_ptr_array_new ();
	g_autoptr(GPtrArray) kev_cves = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GHashTable) seen_vulns = g_hash_table_new (g_str_hash, g_str_equal);
	g_autofree char *unknown_sources = NULL;
	const char *installed = s->raw_version ? s->raw_version : "";
	char *fixed_max = NULL;
	gboolean no_fix = FALSE;
	k->severity = TU_SEVERITY_UNKNOWN;
	if (applicable->applicable->len > 0)
		k->has_advisories = TRUE;
	for (guint i = 0; i < applicable->applicable->len; i++) {
		Adv *a = g_ptr_array_index (applicable->applicable, i);
		if (a->matcher == NULL)
			continue;
		g_autofree char *fixed = NULL;
		g_autofree char *why = NULL;
		TuOsvVerdict v = tu_osv_matcher_eval (a->matcher, installed, &fixed, &why);
		if (v == TU_OSV_UNKNOWN) {
			k->n_unknown++;
			continue;
		}
		if (v != TU_OSV_AFFECTED || g_hash_table_contains (seen_vulns, a->vuln_id))
			continue;
		g_hash_table_add (seen_vulns, a->vuln_id);
		k->n_vulns++;
		add_id (ids, seen, a->vuln_id);
		VulnMeta *meta = g_hash_table_lookup (c->vulns, a->vuln_id);
		const char *due = g_hash_table_lookup (c->kev, a->vuln_id);
		if (due != NULL)
			g_ptr_array_add (kev_cves, *due ? g_strdup_printf ("%s (due %s)", a->vuln_id, due)
							: g_strdup (a->vuln_id));
		if (meta != NULL) {
			if (meta->score > k->max_cvss)
				k->max_cvss = meta->score;
			for (guint j = 0; j < meta->aliases->len; j++) {
				const char *alias = g_ptr_array_index (meta->aliases, j);
				if (g_hash_table_contains (seen, alias))
					continue;
				add_id (cves, seen, alias);
				const char *adue = g_hash_table_lookup (c->kev, alias);
				if (adue != NULL)
					g_ptr_array_add (kev_cves,
							 *adue ? g_strdup_printf ("%s (due %s)", alias, adue)
							       : g_strdup (alias));
			}
		}
		g_autofree char *source = NULL;
		TuSeverity sev = vuln_severity (c, meta, &source);
		if (sev == TU_SEVERITY_UNKNOWN) {
			if (unknown_sources == NULL)
				unknown_sources = g_strdup_printf ("%s (%s)", source, a->vuln_id);
		} else if (sev > k->severity) {
			k->severity = sev;
			g_free (k->severity_source);
			k->severity_source = g_strdup_printf ("%s (%s)", source, a->vuln_id);
		}
		if (fixed == NULL) {
			no_fix = TRUE;
		} else if (fixed_max == NULL || tu_version_compare (scheme, fixed, fixed_max) > 0) {
			g_free (fixed_max);
			fixed_max = g_steal_pointer (&fixed);
		}
	}
	if (k->n_vulns > 0) {
		g_ptr_array_add (ids, NULL);
		k->vuln_ids = g_strjoinv (",", (char **) ids->pdata);
		g_ptr_array_add (cves, NULL);
		k->cves = g_strjoinv (",", (char **) cves->pdata);
		k->kev = kev_cves->len > 0;
		g_ptr_array_add (kev_cves, NULL);
		k->kev_cves = g_strjoinv (",", (char **) kev_cves->pdata);
		k->fixed_in = no_fix ? g_strdup ("no fix") : g_strdup (fixed_max);
		if (k->severity == TU_SEVERITY_UNKNOWN)
			k->severity_source = g_steal_pointer (&unknown_sources);
	}
	g_free (fixed_max);
	/* behind and latest by the distribution's own versions, never upstream's */
	if (applicable->newest != NULL && tu_version_validate (scheme, installed, NULL)) {
		const char *newest = applicable->newest;
		/* an installed version above every fix is the newest the distribution is known
		 * to ship */
		if (tu_version_compare (scheme, installed, newest) > 0)
			newest = installed;
		g_free (k->distro_latest);
		k->distro_latest = g_strdup (newest);
		k->distro_behind = n_fixes_newer (applicable, scheme, installed);
	}
}

/* A cycle as people name it: its label, after the product's title unless the label already
 * names the product ("Windows Server 2019", "AlmaLinux OS 9"). (transfer full) */
static char *
cycle_name (const TuCatalogProduct *p, const TuCatalogCycle *cycle)
{
	const char *title = p->title ? p->title : p->id;
	if (cycle->label == NULL)
		return g_strdup_printf ("%s %s", title, cycle->cycle);
	const char *sp = strchr (cycle->label, ' ');
	g_autofree char *first = sp ? g_strndup (cycle->label, (gsize) (sp - cycle->label))
				    : g_strdup (cycle->label);
	g_auto(GStrv) words = g_strsplit (title, " ", -1);
	if (g_strv_contains ((const char *const *) words, first))
		return g_strdup (cycle->label);
	return g_strdup_printf ("%s %s", title, cycle->label);
}

/* The support verdict of @cycle, with free extended support counted and paid support shown.
 * Sets support, eol_date, eol_days, extended_support, support_basis and reason of @k. */
static void
judge_support (Ctx *c, const TuCatalogProduct *p, const TuCatalogCycle *cycle, KeyResult *k)
{
	TuCatalogVerdict v;
	tu_catalog_judge (p, cycle, c->opts->at, &v);
	g_free (k->support_basis);
	k->support_basis = cycle_name (p, cycle);
	if (v.free_extended != NULL) {
		g_autofree char *b = k->support_basis;
		k->support_basis = g_strdup_printf ("%s, %s until %s", b, v.free_extended,
						    v.eol_date);
	}
	g_free (k->eol_date);
	k->eol_date = g_strdup (v.eol_date);
	g_free (k->extended_support);
	k->extended_support = g_strdup (v.paid_extended_end);
	k->extended_paid = v.paid_extended_end != NULL;
	k->support = v.support == TU_SUPPORT_UNKNOWN ? "unknown" : tu_support_to_string (v.support);
	k->eol_days = -1;
	guint32 j = 0;
	if (v.support == TU_SUPPORT_EOL && v.eol_date != NULL &&
	    tu_date_parse (v.eol_date, &j, "eol", NULL))
		k->eol_days = (gint) c->opts->at - (gint) j;
	if (v.support == TU_SUPPORT_UNKNOWN) {
		g_free (k->reason);
		k->reason = g_strdup_printf ("the catalogue gives no end of life for %s %s (none, "
					     "or one the catalogue import could not read and "
					     "warned about)",
					     p->title ? p->title : p->id, cycle->cycle);
	}
}

static void
evaluate_catalog (Ctx *c, const Software *s, const Host *h, KeyResult *k)
{
	if (c->catalog == NULL)
		return;
	g_autofree char *purl = derived_purl (s, h->os_id);
	const char *by = NULL;
	const TuCatalogProduct *p = tu_catalog_match (c->catalog, s->publisher, s->product, purl,
						      s->cpe, &by);
	if (p == NULL)
		return;
	k->catalog_id = p->id;
	k->catalog_key = g_strdup (p->id);
	const TuCatalogCycle *newest = tu_catalog_newest_cycle (p);
	if (newest != NULL)
		k->latest = g_strdup (newest->latest);
	/* an operating system's own product is placed with the host's edition when the
	 * installed record names none (Windows' registry record does, its facts always) */
	gboolean is_os = g_strcmp0 (p->category, "os") == 0;
	TuCatalogInstalled inst = {
		.version = k->version,
		.release = s->release,
		.edition = s->edition && *s->edition ? s->edition : is_os ? h->os_edition
									  : NULL,
		.name = s->raw_name,
	};
	g_autofree char *reason = NULL;
	const TuCatalogCycle *cycle = tu_catalog_place (p, &inst, &reason);
	if (cycle == NULL) {
		/* no latest either: the product's newest release (Office LTSC 2024's build for a
		 * Microsoft 365 Apps one) says nothing about a line it cannot be placed in */
		g_clear_pointer (&k->latest, g_free);
		k->support = "unknown";
		k->reason = g_steal_pointer (&reason);
		return;
	}
	k->cycle = g_strdup (cycle->cycle);
	k->latest_in_cycle = g_strdup (cycle->latest);
	/* a channel's installation is behind its channel's newest release, not another's */
	const TuCatalogCycle *channel_newest = tu_catalog_newest_in_channel (p, cycle);
	if (channel_newest != NULL) {
		g_free (k->latest);
		k->latest = g_strdup (channel_newest->latest);
	}
	/* a version that only names its cycle ("3.1" of a meta-package) says nothing about which
	 * release of the cycle is installed: how far behind is unknown */
	g_autofree char *form = tu_catalog_version_form (p, k->version);
	if (form != NULL && *form && g_strcmp0 (form, cycle->cycle) != 0)
		tu_catalog_behind (p, cycle, form, &k->behind, &k->days_behind);
	judge_support (c, p, cycle, k);
}

/* How a package from a distribution's own archive is told from a third party's: the rpm
 * Vendor, the dpkg Maintainer's mail domain, or the distribution's mark in the version
 * ("+deb12u2", ".el9"). A package the distribution publishes advisories for is its own too. */
static const struct {
	const char *os_id;
	TuSource source;
	const char *vendors; /* rpm Vendor prefixes, '|'-separated */
	const char *domains; /* dpkg Maintainer mail domains */
	const char *marks;   /* in the version */
} distributions[] = {
	{"debian", TU_SOURCE_DPKG, NULL, "debian.org|debian.net", "+deb|~deb"},
	{"ubuntu", TU_SOURCE_DPKG, NULL, "ubuntu.com|canonical.com|debian.org", "ubuntu"},
	{"almalinux", TU_SOURCE_RPM, "AlmaLinux", NULL, ".el"},
	{"rocky", TU_SOURCE_RPM, "Rocky", NULL, ".el"},
	{"rhel", TU_SOURCE_RPM, "Red Hat", NULL, ".el"},
	{"centos", TU_SOURCE_RPM, "CentOS", NULL, ".el"},
	{"fedora", TU_SOURCE_RPM, "Fedora", NULL, ".fc"},
	{"amzn", TU_SOURCE_RPM, "Amazon", NULL, ".amzn"},
	{"sles", TU_SOURCE_RPM, "SUSE", NULL, NULL},
	{"opensuse-leap", TU_SOURCE_RPM, "openSUSE|SUSE", NULL, NULL},
	{"alpine", TU_SOURCE_APK, NULL, NULL, NULL},
};

static gboolean
any_of (const char *list, const char *text, gboolean prefix_ci)
{
	if (list == NULL || text == NULL || *text == '\0')
		return FALSE;
	g_auto(GStrv) items = g_strsplit (list, "|", -1);
	for (guint i = 0; items[i] != NULL; i++) {
		if (prefix_ci ? g_ascii_strncasecmp (text, items[i], strlen (items[i])) == 0
			      : strstr (text, items[i]) != NULL)
			return TRUE;
	}
	return FALSE;
}

/* Is @s of a packaging source whose versions are in @h's distribution's scheme (dpkg on
 * Debian and Ubuntu, rpm on the Enterprise Linux family, apk on Alpine)? */
static gboolean
is_distribution_source (const Software *s, const Host *h)
{
	TuScheme scheme;
	if (!tu_distro_scheme (h->os_id, &scheme))
		return FALSE;
	switch (tu_source_from_string (s->source)) {
	case TU_SOURCE_DPKG:
		return scheme == TU_SCHEME_DPKG;
	case TU_SOURCE_RPM:
		return scheme == TU_SCHEME_RPM;
	case TU_SOURCE_APK:
		return scheme == TU_SCHEME_APK;
	default:
		return FALSE;
	}
}

static gboolean
from_distribution (const Software *s, const Host *h, const KeyResult *k)
{
	TuSource src = tu_source_from_string (s->source);
	for (guint i = 0; i < G_N_ELEMENTS (distributions); i++) {
		if (g_strcmp0 (distributions[i].os_id, h->os_id) != 0 ||
		    distributions[i].source != src)
			continue;
		if (distributions[i].vendors == NULL && distributions[i].domains == NULL &&
		    distributions[i].marks == NULL)
			return TRUE;
		if (k->has_advisories)
			return TRUE;
		if (distributions[i].vendors != NULL && s->raw_publisher && *s->raw_publisher)
			return any_of (distributions[i].vendors, s->raw_publisher, TRUE);
		if (distributions[i].domains != NULL && s->raw_publisher != NULL) {
			const char *at = strrchr (s->raw_publisher, '@');
			if (at != NULL && any_of (distributions[i].domains, at + 1, FALSE))
				return TRUE;
		}
		return any_of (distributions[i].marks, s->raw_version, FALSE);
	}
	return FALSE;
}

/* The name one exposure is counted by: a distribution package's source package ("httpd" for
 * httpd, mod_ssl, httpd-core...), else the product. (transfer full) */
static char *
package_group (const Software *s, gboolean distro)
{
	if (distro && s->srcpkg != NULL && *s->srcpkg) {
		/* an rpm's source is the file name: "httpd-2.4.57-5.el9.src.rpm" */
		if (g_str_has_suffix (s->srcpkg, ".src.rpm")) {
			g_autofree char *copy = g_strndup (s->srcpkg, strlen (s->srcpkg) - 8);
			for (guint n = 0; n < 2; n++) {
				char *dash = strrchr (copy, '-');
				if (dash != NULL)
					*dash = '\0';
			}
			return g_steal_pointer (&copy);
		}
		return g_strdup (s->srcpkg);
	}
	if (s->product != NULL && *s->product)
		return g_strdup_printf ("%s %s", s->publisher ? s->publisher : "", s->product);
	return g_strdup (s->raw_name);
}

static KeyResult *evaluate_os (Ctx *c, const Host *h);

static KeyResult *
os_result (Ctx *c, const Host *h)
{
	gpointer key = GUINT_TO_POINTER (h->os_index + 1);
	if (!g_hash_table_contains (c->os_results, key))
		g_hash_table_insert (c->os_results, key, evaluate_os (c, h));
	return g_hash_table_lookup (c->os_results, key);
}

static KeyResult *
evaluate (Ctx *c, const Software *s, const Host *h)
{
	KeyResult *k = g_new0 (KeyResult, 1);
	k->source = g_strdup (s->source);
	k->raw_name = g_strdup (s->raw_name);
	k->raw_version = g_strdup (s->raw_version);
	k->publisher = g_strdup (s->publisher);
	k->product = g_strdup (s->product);
	k->version = catalog_version (s);
	k->behind = -1;
	k->days_behind = -1;
	k->eol_days = -1;
	k->max_cvss = -1;
	k->distro_behind = -1;
	k->support = "unknown";
	evaluate_catalog (c, s, h, k);
	evaluate_advisories (c, s, h, k);
	k->covered = k->catalog_id != NULL || k->has_advisories;
	/* the operating system's own record (macOS's system_profiler entry) is the host's OS
	 * row already: one row for it, not two that disagree */
	const KeyResult *os_row = k->catalog_id != NULL ? os_result (c, h) : NULL;
	if (os_row != NULL && g_strcmp0 (os_row->catalog_id, k->catalog_id) == 0 &&
	    !k->has_advisories)
		k->covered = FALSE;
	/* a distribution package index of the host's release: a package it lists at the
	 * installed version is the distribution's; latest and behind come from it */
	g_autofree char *ix_latest = NULL;
	g_autofree char *ix_label = NULL;
	gint ix_behind = -1;
	gboolean ix_listed = FALSE;
	TuPkgIndexLookup ix = TU_PKGINDEX_NO_INDEX;
	if (c->pkgindex != NULL && is_distribution_source (s, h))
		ix = tu_pkgindex_set_lookup (c->pkgindex, h->os_id, h->os_version_id, s->raw_name,
					     s->raw_version, &ix_latest, &ix_behind, &ix_listed,
					     &ix_label);
	k->from_distribution = from_distribution (s, h, k) || ix_listed;
	k->package = package_group (s, k->from_distribution);
	if (k->covered && k->from_distribution) {
		/* supported while the distribution release is; upstream's cycle is information */
		const KeyResult *os = os_result (c, h);
		g_clear_pointer (&k->extended_support, g_free);
		k->extended_paid = FALSE;
		g_clear_pointer (&k->reason, g_free);
		if (os != NULL && os->catalog_id != NULL) {
			k->support = os->support;
			g_free (k->eol_date);
			k->eol_date = g_strdup (os->eol_date);
			k->eol_days = os->eol_days;
			k->extended_support = g_strdup (os->extended_support);
			k->extended_paid = os->extended_paid;
			g_free (k->catalog_key);
			k->catalog_key = g_strdup (os->catalog_key);
			g_free (k->support_basis);
			k->support_basis = g_strdup_printf ("%s (distribution package)",
							    os->support_basis ? os->support_basis
									      : os->product);
			k->reason = g_strdup (os->reason);
		} else {
			k->support = "unknown";
			g_free (k->support_basis);
			k->support_basis = g_strdup_printf ("%s %s (distribution package)",
							    h->os_id, h->os_version_id ? h->os_version_id : "");
			k->reason = g_strdup_printf ("the distribution %s %s is not in the catalogue",
						     h->os_id, h->os_version_id ? h->os_version_id : "");
		}
		g_free (k->latest_in_cycle);
		g_free (k->latest);
		k->latest_in_cycle = g_strdup (k->distro_latest);
		k->latest = g_strdup (k->distro_latest);
		k->behind = k->distro_behind;
		k->days_behind = -1;
		if (ix == TU_PKGINDEX_LISTED) {
			g_free (k->latest_in_cycle);
			g_free (k->latest);
			k->latest_in_cycle = g_strdup (ix_latest);
			k->latest = g_steal_pointer (&ix_latest);
			k->behind = ix_behind;
		}
		if (ix != TU_PKGINDEX_NO_INDEX) {
			g_autofree char *b = k->support_basis;
			k->support_basis = g_strdup_printf (
				"%s; %s (%s)", b,
				ix == TU_PKGINDEX_LISTED
					? "latest and behind from the package index"
					: "not in the package index: latest and behind from its "
					  "advisories",
				ix_label);
		}
	} else if (k->covered && k->catalog_id == NULL) {
		k->reason = g_strdup ("not in the catalogue");
	}
	c->stats->n_distinct++;
	return k;
}

static KeyResult *
evaluate_os (Ctx *c, const Host *h)
{
	if (c->catalog == NULL || h->os_id == NULL || h->os_version_id == NULL)
		return NULL;
	const char *slug = tu_catalog_os_slug (h->os_id);
	if (slug == NULL)
		return NULL;
	const TuCatalogProduct *p = tu_catalog_match (c->catalog, NULL, slug, NULL, NULL, NULL);
	if (p == NULL || g_strcmp0 (p->id, slug) != 0)
		return NULL;
	KeyResult *k = g_new0 (KeyResult, 1);
	k->source = g_strdup ("os");
	k->raw_name = g_strdup (*h->os_label ? h->os_label : h->os_id);
	k->raw_version = g_strdup (h->os_version_id);
	const char *publisher = tu_catalog_os_publisher (h->os_id);
	k->publisher = g_strdup (publisher ? publisher : "");
	k->product = g_strdup (p->title);
	k->version = g_strdup (h->os_version_id);
	k->behind = -1;
	k->days_behind = -1;
	k->eol_days = -1;
	k->max_cvss = -1;
	k->support = "unknown";
	k->catalog_id = p->id;
	k->catalog_key = g_strdup (p->id);
	k->package = g_strdup (p->title);
	/* the newest release, as an installation's row says it (its cycle's latest) */
	const TuCatalogCycle *newest = tu_catalog_newest_cycle (p);
	if (newest != NULL)
		k->latest = g_strdup (newest->latest ? newest->latest : newest->cycle);
	TuCatalogInstalled inst = {.version = h->os_version_id, .edition = h->os_edition};
	g_autofree char *reason = NULL;
	const TuCatalogCycle *cycle = tu_catalog_place (p, &inst, &reason);
	if (cycle != NULL) {
		k->cycle = g_strdup (cycle->cycle);
		k->latest_in_cycle = g_strdup (cycle->latest);
		/* behind within its release (macOS 15.1.1 of 15.7.9, AlmaLinux 9.3 of 9.8); a
		 * version that only names the release (Debian "12") says nothing */
		g_autofree char *form = tu_catalog_version_form (p, h->os_version_id);
		if (form != NULL && *form && g_strcmp0 (form, cycle->cycle) != 0)
			tu_catalog_behind (p, cycle, form, &k->behind, &k->days_behind);
		judge_support (c, p, cycle, k);
	} else {
		k->reason = g_steal_pointer (&reason);
	}
	k->covered = TRUE;
	return k;
}

/* ---------------------------------------------------------------- passes --------------- */

static guint64
pack_key (guint64 software_id, guint os_index)
{
	/* software ids are 63-bit hashes: fold the OS in, then resolve collisions by key table */
	return software_id ^ ((guint64) (os_index + 1) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));
}

typedef struct {
	guint64 software_id;
	guint os_index;
} KeyId;

static guint
keyid_hash (gconstpointer p)
{
	const KeyId *k = p;
	guint64 v = pack_key (k->software_id, k->os_index);
	return (guint) (v ^ (v >> 32));
}

static gboolean
keyid_equal (gconstpointer a, gconstpointer b)
{
	const KeyId *x = a, *y = b;
	return x->software_id == y->software_id && x->os_index == y->os_index;
}

/* Pass 2: the distinct keys, and a representative host of each OS. */
static gboolean
collect_keys (Ctx *c, GHashTable *software_ids, GHashTable *os_host, GError **error)
{
	g_autoptr(TuRows) rows = tu_query_software_sets (c->db, c->opts->host);
	char **r;
	GError *local = NULL;
	while ((r = tu_rows_next (rows, &local)) != NULL) {
		guint64 host_id = g_ascii_strtoull (r[TU_Q_SET_HOST_ID], NULL, 10);
		Host *h = g_hash_table_lookup (c->host_by_id, &host_id);
		guint n = 0;
		if (h == NULL)
			continue;
		if (!tu_software_set_check (rows, r, &n, error))
			return FALSE;
		c->stats->n_installations += n;
		for (guint i = 0; i < n; i++) {
			KeyId k = {tu_software_set_id (r[TU_Q_SET_IDS], i), h->os_index};
			if (g_hash_table_contains (c->keys, &k))
				continue;
			g_hash_table_insert (c->keys, g_memdup2 (&k, sizeof k), NULL);
			if (!g_hash_table_contains (software_ids, &k.software_id))
				g_hash_table_add (software_ids,
						  g_memdup2 (&k.software_id, sizeof k.software_id));
			gpointer os = GUINT_TO_POINTER (h->os_index + 1);
			if (!g_hash_table_contains (os_host, os))
				g_hash_table_insert (os_host, os, h);
		}
	}
	return rows_done (local, error);
}

static gboolean
load_software (Ctx *c, GHashTable *software_ids, GHashTable *out, GError **error)
{
	g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init (&it, software_ids);
	while (g_hash_table_iter_next (&it, &key, NULL))
		g_array_append_val (ids, *(guint64 *) key);
	for (guint pos = 0; pos < ids->len; pos += TU_QUERY_MAX_IDS) {
		guint n = MIN (ids->len - pos, TU_QUERY_MAX_IDS);
		g_autoptr(TuRows) rows =
			tu_query_software_by_id (c->db, &g_array_index (ids, guint64, pos), n);
		char **r;
		GError *local = NULL;
		while ((r = tu_rows_next (rows, &local)) != NULL) {
			Software *s = g_new0 (Software, 1);
			s->id = g_ascii_strtoull (r[TU_Q_SW_ID], NULL, 10);
			s->source = g_strdup (r[TU_Q_SW_SOURCE]);
			s->raw_name = g_strdup (r[TU_Q_SW_RAW_NAME]);
			s->raw_version = g_strdup (r[TU_Q_SW_RAW_VERSION]);
			s->publisher = g_strdup (r[TU_Q_SW_PUBLISHER]);
			s->product = g_strdup (r[TU_Q_SW_PRODUCT]);
			s->version = g_strdup (r[TU_Q_SW_VERSION]);
			s->scheme = g_strdup (r[TU_Q_SW_SCHEME]);
			s->srcpkg = g_strdup (r[TU_Q_SW_SOURCE_PACKAGE]);
			s->purl = g_strdup (r[TU_Q_SW_PURL]);
			s->cpe = g_strdup (r[TU_Q_SW_CPE]);
			s->edition = g_strdup (r[TU_Q_SW_EDITION]);
			s->release = g_strdup (r[TU_Q_SW_RELEASE]);
			s->raw_publisher = g_strdup (r[TU_Q_SW_RAW_PUBLISHER]);
			g_hash_table_insert (out, &s->id, s);
		}
		if (!rows_done (local, error))
			return FALSE;
	}
	return TRUE;
}

/* Does the host say its paid extended support for @catalog_id was bought? A host group
 * "extended-support" (all of it) or "extended-support:ID" (that catalogue product). */
static gboolean
extended_bought (const Host *h, const char *catalog_id)
{
	if (h->groups == NULL || catalog_id == NULL)
		return FALSE;
	g_auto(GStrv) groups = g_strsplit (h->groups, ";", -1);
	for (guint i = 0; groups[i] != NULL; i++) {
		const char *g = g_strstrip (groups[i]);
		if (g_ascii_strcasecmp (g, "extended-support") == 0)
			return TRUE;
		if (g_ascii_strncasecmp (g, "extended-support:", 17) == 0 &&
		    g_ascii_strcasecmp (g + 17, catalog_id) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
emit_result (Ctx *c, const Host *h, KeyResult *kr, TuPatchRowFunc func, gpointer user_data,
	     GError **error)
{
	if (kr == NULL || !kr->covered)
		return TRUE;
	const char *support = kr->support;
	const char *extended = kr->extended_support ? kr->extended_support : "";
	gint eol_days = kr->eol_days;
	g_autofree char *basis = NULL;
	const TuExtendedPurchase *lapsed = NULL;
	const TuExtendedPurchase *bought = NULL;
	if (kr->extended_paid && h->extended != NULL) {
		/* a distribution package's extended support is its distribution release's */
		const KeyResult *os = kr->from_distribution ? os_result (c, h) : NULL;
		const char *cycle = os ? os->cycle : kr->cycle;
		bought = tu_extended_support_find (h->extended, kr->catalog_key, cycle,
						   c->opts->at, &lapsed);
	}
	if (kr->extended_paid && extended_bought (h, kr->catalog_key)) {
		support = "security-only";
		eol_days = -1;
		basis = g_strdup_printf ("%s, extended support bought until %s",
					 kr->support_basis ? kr->support_basis : "", extended);
		extended = "";
	} else if (bought != NULL) {
		/* until the entitlement's end or the catalogue's, whichever is first */
		g_autofree char *end = bought->end ? tu_date_format (bought->end) : NULL;
		const char *until = end && strcmp (end, extended) < 0 ? end : extended;
		support = "security-only";
		eol_days = -1;
		basis = g_strdup_printf ("%s, extended support bought until %s (%s)",
					 kr->support_basis ? kr->support_basis : "", until,
					 bought->id);
		extended = "";
	} else if (lapsed != NULL) {
		g_autofree char *end = tu_date_format (lapsed->end);
		basis = g_strdup_printf ("%s, extended support bought ended %s (%s)",
					 kr->support_basis ? kr->support_basis : "", end,
					 lapsed->id);
	}
	TuPatchRow row = {
		.host_id = h->id,
		.verdict_id = (guint64) (guintptr) kr, /* key results live as long as the run */
		.host = h->name,
		.os = h->os_label,
		.source = kr->source,
		.raw_name = kr->raw_name,
		.raw_version = kr->raw_version,
		.publisher = kr->publisher,
		.product = kr->product,
		.version = kr->version,
		.catalog_id = kr->catalog_id,
		.cycle = kr->cycle,
		.latest_in_cycle = kr->latest_in_cycle,
		.latest = kr->latest,
		.behind = kr->behind,
		.days_behind = kr->days_behind,
		.support = support,
		.eol_date = kr->eol_date,
		.eol_days = eol_days,
		.n_vulns = kr->n_vulns,
		.max_cvss = kr->max_cvss,
		.vuln_ids = kr->vuln_ids,
		.kev = kr->kev,
		.fixed_in = kr->fixed_in ? kr->fixed_in : "",
		.n_unknown = kr->n_unknown,
		.has_advisories = kr->has_advisories,
		.os_build = h->os_build ? h->os_build : "",
		.os_edition = h->os_edition ? h->os_edition : "",
		.support_basis = basis ? basis : kr->support_basis ? kr->support_basis
								   : "",
		.extended_support = extended,
		.reason = kr->reason ? kr->reason : "",
		.severity = kr->n_vulns > 0 ? tu_severity_to_string (kr->severity) : "",
		.severity_source = kr->severity_source ? kr->severity_source : "",
		.cves = kr->cves ? kr->cves : "",
		.kev_cves = kr->kev_cves ? kr->kev_cves : "",
		.package = kr->package ? kr->package : "",
	};
	TuPatchStats *st = c->stats;
	st->n_rows++;
	st->n_with_catalog += kr->catalog_id != NULL;
	st->n_behind += kr->behind > 0;
	st->n_eol += g_strcmp0 (support, "eol") == 0;
	st->n_vulnerable += kr->n_vulns > 0;
	st->n_kev += kr->kev;
	st->n_unknown += kr->n_unknown > 0;
	st->n_support_unknown += g_strcmp0 (support, "unknown") == 0;
	if (kr->n_vulns > 0) {
		/* one exposure per host and package: httpd's sub-packages are one. A host's rows
		 * come together (both orders): a package's exposure is this host's when it was
		 * last seen on this host */
		if (c->exposed_host != h->id || c->host_seq == 0) {
			c->exposed_host = h->id;
			c->host_seq++;
		}
		if (kr->package_id == 0) {
			gpointer n = g_hash_table_lookup (c->package_ids, row.package);
			if (n == NULL) {
				n = GUINT_TO_POINTER (g_hash_table_size (c->package_ids) + 1);
				g_hash_table_insert (c->package_ids, (gpointer) row.package, n);
				g_array_set_size (c->exposed, GPOINTER_TO_UINT (n) + 1);
			}
			kr->package_id = GPOINTER_TO_UINT (n);
		}
		Exposure *e = &g_array_index (c->exposed, Exposure, kr->package_id);
		gint was = e->host_seq == c->host_seq ? e->how : 0;
		gint now = MAX (was, kr->kev ? 2 : 1);
		if (was == 0)
			st->n_exposed++;
		if (now == 2 && was != 2)
			st->n_exposed_kev++;
		e->host_seq = c->host_seq;
		e->how = now;
	}
	return func (&row, user_data, error);
}

static gboolean
emit (Ctx *c, const Host *h, guint64 software_id, TuPatchRowFunc func, gpointer user_data,
      GError **error)
{
	KeyId k = {software_id, h->os_index};
	return emit_result (c, h, g_hash_table_lookup (c->keys, &k), func, user_data, error);
}

static gboolean
emit_os (Ctx *c, const Host *h, TuPatchRowFunc func, gpointer user_data, GError **error)
{
	return emit_result (c, h, os_result (c, h), func, user_data, error);
}

/* MariaDB's order for the store's binary PAD SPACE collation: bytes, a shorter string
 * compared as if padded with spaces. */
static int
cmp_pad_space (const char *a, const char *b)
{
	const guchar *x = (const guchar *) (a ? a : ""), *y = (const guchar *) (b ? b : "");
	while (*x != '\0' && *x == *y) {
		x++;
		y++;
	}
	if (*x == *y)
		return 0;
	if (*x == '\0' || *y == '\0') {
		gboolean x_ended = *x == '\0';
		const guchar *rest = x_ended ? y : x;
		while (*rest == ' ')
			rest++;
		if (*rest == '\0')
			return 0;
		/* the longer string against the other's padding */
		int longer = *rest < ' ' ? -1 : 1;
		return x_ended ? -longer : longer;
	}
	return *x < *y ? -1 : 1;
}

typedef struct {
	KeyResult *kr;
	guint pos; /* in the host's software set: installation order */
} HostItem;

/* The order of `patch`: publisher, product, raw name */
static gint
software_cmp (gconstpointer pa, gconstpointer pb)
{
	const Software *a = *(Software *const *) pa, *b = *(Software *const *) pb;
	int r = cmp_pad_space (a->publisher, b->publisher);
	if (r == 0)
		r = cmp_pad_space (a->product, b->product);
	return r != 0 ? r : cmp_pad_space (a->raw_name, b->raw_name);
}

/* Each software's rank in that order, once, so that a host's installations sort by integers */
static void
rank_software (GHashTable *software)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new ();
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init (&it, software);
	while (g_hash_table_iter_next (&it, NULL, &value))
		g_ptr_array_add (all, value);
	g_ptr_array_sort (all, software_cmp);
	guint rank = 0;
	for (guint i = 0; i < all->len; i++) {
		Software *s = g_ptr_array_index (all, i);
		if (i > 0 && software_cmp (&all->pdata[i - 1], &all->pdata[i]) != 0)
			rank++;
		s->rank = rank;
	}
}

/* then installation */
static gint
host_item_cmp (gconstpointer pa, gconstpointer pb)
{
	const HostItem *a = pa, *b = pb;
	if (a->kr->rank != b->kr->rank)
		return a->kr->rank < b->kr->rank ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* One host's covered installations, in the order of `patch`, from its software set (@ids,
 * @n ids; NULL: none). */
static gboolean
emit_host_sorted (Ctx *c, const Host *h, const char *ids, guint n, TuPatchRowFunc func,
		  gpointer user_data, GError **error)
{
	GArray *items = c->host_items;
	g_array_set_size (items, 0);
	for (guint i = 0; i < n; i++) {
		KeyId k = {tu_software_set_id (ids, i), h->os_index};
		KeyResult *kr = g_hash_table_lookup (c->keys, &k);
		if (kr == NULL || !kr->covered)
			continue;
		HostItem item = {kr, i};
		g_array_append_val (items, item);
	}
	g_array_sort (items, host_item_cmp);
	for (guint i = 0; i < items->len; i++) {
		const HostItem *item = &g_array_index (items, HostItem, i);
		if (!emit_result (c, h, item->kr, func, user_data, error))
			return FALSE;
	}
	return TRUE;
}

/* Every host in name order with its OS row and its covered installations, the software sets
 * read a page of hosts at a time (one round trip a page, memory bounded by the page). */
#define SORTED_PAGE 500
static gboolean
emit_sorted (Ctx *c, TuPatchRowFunc func, gpointer user_data, GError **error)
{
	for (guint first = 0; first < c->hosts->len; first += SORTED_PAGE) {
		guint n_page = MIN (c->hosts->len - first, SORTED_PAGE);
		guint64 ids[SORTED_PAGE];
		for (guint i = 0; i < n_page; i++)
			ids[i] = ((const Host *) g_ptr_array_index (c->hosts, first + i))->id;
		/* host id -> its set (GBytes) */
		g_autoptr(GHashTable) sets = g_hash_table_new_full (
			g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_bytes_unref);
		g_autoptr(TuRows) rows = tu_query_software_sets_of (c->db, ids, n_page);
		char **r;
		GError *local = NULL;
		while ((r = tu_rows_next (rows, &local)) != NULL) {
			guint n = 0;
			if (!tu_software_set_check (rows, r, &n, error))
				return FALSE;
			guint64 id = g_ascii_strtoull (r[TU_Q_SET_HOST_ID], NULL, 10);
			g_hash_table_insert (sets, g_memdup2 (&id, sizeof id),
					     g_bytes_new (r[TU_Q_SET_IDS], 8 * (gsize) n));
		}
		if (!rows_done (local, error))
			return FALSE;
		for (guint i = 0; i < n_page; i++) {
			const Host *h = g_ptr_array_index (c->hosts, first + i);
			GBytes *set = g_hash_table_lookup (sets, &h->id);
			gsize size = 0;
			const char *data = set ? g_bytes_get_data (set, &size) : NULL;
			if (!emit_os (c, h, func, user_data, error) ||
			    !emit_host_sorted (c, h, data, (guint) (size / 8), func, user_data,
					       error))
				return FALSE;
		}
	}
	return TRUE;
}

/* The package index versions of the distribution packages the keys name, for the releases
 * with an imported index (none imported: nothing read). */
static gboolean
load_pkgindex (Ctx *c, GHashTable *software, GHashTable *os_host, GError **error)
{
	c->pkgindex = tu_pkgindex_set_new ();
	if (!tu_pkgindex_set_prepare (c->pkgindex, c->db, error))
		return FALSE;
	if (tu_pkgindex_set_is_empty (c->pkgindex))
		return TRUE;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init (&it, c->keys);
	while (g_hash_table_iter_next (&it, &key, NULL)) {
		const KeyId *k = key;
		const Software *s = g_hash_table_lookup (software, &k->software_id);
		const Host *h = g_hash_table_lookup (os_host, GUINT_TO_POINTER (k->os_index + 1));
		if (s != NULL && h != NULL && is_distribution_source (s, h))
			tu_pkgindex_set_want (c->pkgindex, h->os_id, h->os_version_id, s->raw_name);
	}
	return tu_pkgindex_set_load (c->pkgindex, c->db, error);
}

gboolean
tu_patch_run (TuDb *db, const TuPatchOptions *opts, TuPatchRowFunc func, gpointer user_data,
	      TuPatchStats *stats, GError **error)
{
	memset (stats, 0, sizeof *stats);
	double t0 = tu_now_seconds ();
	Ctx c = {0};
	c.db = db;
	c.opts = opts;
	c.stats = stats;
	c.hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_free);
	c.host_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
	c.os_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	c.kev = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	c.attr_groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	c.package_ids = g_hash_table_new (g_str_hash, g_str_equal);
	c.exposed = g_array_new (FALSE, TRUE, sizeof (Exposure));
	c.host_items = g_array_new (FALSE, FALSE, sizeof (HostItem));
	c.vulns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) vuln_meta_free);
	c.by_alias = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
					    (GDestroyNotify) g_ptr_array_unref);
	c.advs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					(GDestroyNotify) adv_list_free);
	c.keys = g_hash_table_new_full (keyid_hash, keyid_equal, g_free, (GDestroyNotify) key_result_free);
	c.os_results = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
					      (GDestroyNotify) key_result_free);
	g_autoptr(GHashTable) software_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
	g_autoptr(GHashTable) os_host = g_hash_table_new (g_direct_hash, g_direct_equal);
	g_autoptr(GHashTable) software = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
								(GDestroyNotify) software_free);
	gboolean ok = load_host_groups (&c, error) && load_hosts (&c, error) &&
		      load_advisories (&c, error);
	if (ok) {
		c.catalog = tu_catalog_load (db, error);
		ok = c.catalog != NULL;
	}
	if (ok) {
		/* paid extended support bought through entitlements, per host */
		g_autoptr(TuExtendedSupport) es = tu_extended_support_load (
			db, c.catalog, NULL, &stats->n_extended_unmatched, error);
		ok = es != NULL;
		for (guint i = 0; ok && i < c.hosts->len; i++) {
			Host *h = g_ptr_array_index (c.hosts, i);
			h->extended = tu_extended_support_for_host (es, h->name, h->machine_id);
		}
		c.extended = g_steal_pointer (&es);
	}
	ok = ok && collect_keys (&c, software_ids, os_host, error) &&
	     load_software (&c, software_ids, software, error) &&
	     load_pkgindex (&c, software, os_host, error);
	stats->seconds_load = tu_now_seconds () - t0;
	if (ok) {
		/* evaluate every distinct key once */
		GHashTableIter iter;
		gpointer key, value;
		g_hash_table_iter_init (&iter, c.keys);
		while (g_hash_table_iter_next (&iter, &key, &value)) {
			const KeyId *k = key;
			const Software *s = g_hash_table_lookup (software, &k->software_id);
			const Host *h = g_hash_table_lookup (os_host, GUINT_TO_POINTER (k->os_index + 1));
			if (s == NULL || h == NULL)
				continue;
			g_hash_table_iter_replace (&iter, evaluate (&c, s, h));
		}
		stats->seconds_match = tu_now_seconds () - t0 - stats->seconds_load;
	}
	/* pass 3: every installation with its key's result */
	if (ok && opts->sorted) {
		rank_software (software);
		/* each key result takes its software's rank: one lookup an installation */
		GHashTableIter iter;
		gpointer key, value;
		g_hash_table_iter_init (&iter, c.keys);
		while (g_hash_table_iter_next (&iter, &key, &value)) {
			const KeyId *k = key;
			const Software *s = g_hash_table_lookup (software, &k->software_id);
			if (value != NULL && s != NULL)
				((KeyResult *) value)->rank = s->rank;
		}
		ok = emit_sorted (&c, func, user_data, error);
	} else if (ok) {
		/* each host's OS row with its installations (a host's rows together), then the
		 * hosts without any */
		g_autoptr(GHashTable) done = g_hash_table_new (g_int64_hash, g_int64_equal);
		g_autoptr(TuRows) rows = tu_query_software_sets (db, opts->host);
		char **r;
		GError *local = NULL;
		while (ok && (r = tu_rows_next (rows, &local)) != NULL) {
			guint64 host_id = g_ascii_strtoull (r[TU_Q_SET_HOST_ID], NULL, 10);
			const Host *h = g_hash_table_lookup (c.host_by_id, &host_id);
			guint n = 0;
			if (h == NULL)
				continue;
			ok = tu_software_set_check (rows, r, &n, error) &&
			     emit_os (&c, h, func, user_data, error);
			g_hash_table_add (done, (gpointer) &h->id);
			for (guint k = 0; ok && k < n; k++)
				ok = emit (&c, h, tu_software_set_id (r[TU_Q_SET_IDS], k), func,
					   user_data, error);
		}
		if (ok)
			ok = rows_done (local, error);
		g_clear_error (&local);
		for (guint i = 0; ok && i < c.hosts->len; i++) {
			const Host *h = g_ptr_array_index (c.hosts, i);
			if (!g_hash_table_contains (done, &h->id))
				ok = emit_os (&c, h, func, user_data, error);
		}
	}
	g_hash_table_unref (c.os_results);
	tu_catalog_free (c.catalog);
	tu_extended_support_free (c.extended);
	g_hash_table_unref (c.keys);
	g_hash_table_unref (c.advs);
	g_clear_pointer (&c.pkgindex, tu_pkgindex_set_free);
	g_hash_table_unref (c.by_alias); /* borrows the vulns' strings */
	g_hash_table_unref (c.vulns);
	g_hash_table_unref (c.kev);
	g_hash_table_unref (c.attr_groups);
	g_hash_table_unref (c.package_ids);
	g_array_unref (c.exposed);
	g_array_unref (c.host_items);
	g_hash_table_unref (c.os_ids);
	g_hash_table_unref (c.host_by_id);
	g_ptr_array_unref (c.hosts);
	return ok;
}
