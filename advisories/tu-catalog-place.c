/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Placing an installation in its release cycle (see tu_catalog_place). The catalogue names
 * cycles in several ways, and each is used from the catalogue's own data:
 *  - by version: the cycle is a prefix of the version ("3.0" holds "3.0.11", "15.0" holds SQL
 *    Server's "15.0.4405.4"), or a qualified cycle of that prefix ("13.0-sp3" holds 13.0.x);
 *  - by build: Windows and Windows Server cycles carry their build as "latest" (10.0.22631 is
 *    "11-23h2-w" and "11-23h2-e"); the edition family picks between cycles of one build,
 *    from the suffixes of the cycle names and the edition table below (Pro is (W), Enterprise
 *    (E), EnterpriseS the LTSC, IoTEnterpriseS the IoT LTSC; Windows Server Standard and
 *    Datacenter the long-term cycles, not the semi-annual ones);
 *  - by release: the marketing release the normaliser found ("2019") is a cycle's name
 *    (Office, Windows Server, Java's "8"), the first word of its label (SQL Server's
 *    "2019 'Aries'" is cycle 15.0), or a qualified cycle whose qualifier the product's name
 *    carries ("Office LTSC Professional Plus 2024" is "2024-ltsc");
 *  - by a release's build: products whose versions never name their release get it from the
 *    builds table below (Office 2016's MSI products are all 16.0.4266.x).
 * Java's legacy versions ("1.8.0_431") are read as the catalogue writes them ("8u431").
 * What cannot be placed gets the reason, never a guess: an edition that would pick between
 * cycles but is not known, a build no cycle has, a version without digits.
 *
 * The tables are data, not code paths: a new edition or a new release build is a row.
 */
#include "config.h"

#include <string.h>

#include "tu-catalog-private.h"
#include "tu-common.h"

/* The edition families of Windows (EditionID as the registry writes it, and the edition
 * names the normaliser gives) and Windows Server. A family is the suffix of the catalogue's
 * cycle names; "" is the cycles without one; "a|b" accepts either. */
static const struct {
	const char *product_id;
	const char *edition;
	const char *family;
} edition_families[] = {
	{"windows", "Core", "w"},
	{"windows", "CoreN", "w"},
	{"windows", "CoreSingleLanguage", "w"},
	{"windows", "CoreCountrySpecific", "w"},
	{"windows", "Home", "w"},
	{"windows", "Professional", "w"},
	{"windows", "ProfessionalN", "w"},
	{"windows", "Pro", "w"},
	{"windows", "Pro N", "w"},
	{"windows", "ProfessionalWorkstation", "w"},
	{"windows", "Pro for Workstations", "w"},
	{"windows", "ProfessionalEducation", "w"},
	{"windows", "Pro Education", "w"},
	{"windows", "SE", "w"},
	{"windows", "CloudEdition", "w"},
	{"windows", "Enterprise", "e"},
	{"windows", "EnterpriseN", "e"},
	{"windows", "Education", "e"},
	{"windows", "EducationN", "e"},
	{"windows", "IoTEnterprise", "e"},
	{"windows", "IoT Enterprise", "e"},
	{"windows", "EnterpriseS", "e-lts"},
	{"windows", "EnterpriseSN", "e-lts"},
	{"windows", "Enterprise LTSC", "e-lts"},
	{"windows", "Enterprise N LTSC", "e-lts"},
	{"windows", "Enterprise LTSB", "e-lts"},
	{"windows", "IoTEnterpriseS", "iot-lts"},
	{"windows", "IoT Enterprise LTSC", "iot-lts"},
	{"windows-server", "ServerStandard", ""},
	{"windows-server", "ServerDatacenter", ""},
	{"windows-server", "ServerEssentials", ""},
	{"windows-server", "Standard", ""},
	{"windows-server", "Datacenter", ""},
	{"windows-server", "Essentials", ""},
	{"windows-server", "ServerStandardACor", "sac|ac"},
	{"windows-server", "ServerDatacenterACor", "sac|ac"},
	{"windows-server", "ServerTurbine", ""}, /* Datacenter: Azure Edition */
};

/* The family suffixes each product's cycle names carry, longest first. */
static const struct {
	const char *product_id;
	const char *suffixes[6];
} family_suffixes[] = {
	{"windows", {"iot-lts", "e-lts", "w", "e", NULL}},
	{"windows-server", {"sac", "ac", NULL}},
};

/* Releases whose versions never name them: a build prefix gives the release. */
static const struct {
	const char *product_id;
	const char *build_prefix;
	const char *release;
} release_builds[] = {
	{"office", "16.0.4266.", "2016"},  /* every Office 2016 MSI product */
	{"office", "16.0.103", "2019"},	   /* Office 2019 volume, Version 1808 */
	{"office", "16.0.104", "2019"},
	{"office", "16.0.14332.", "2021"}, /* Office LTSC 2021, Version 2108 */
	{"office", "16.0.17932.", "2024"}, /* Office LTSC 2024, Version 2408 */
	{"msexchange", "15.2.", "2019"},
	{"msexchange", "15.1.", "2016"},
	{"msexchange", "15.0.", "2013"},
	{"sharepoint", "16.0.4", "2016"},
	{"sharepoint", "16.0.5", "2016"},
	{"sharepoint", "16.0.10", "2019"},
	{"sharepoint", "15.0.", "2013"},
	{"sharepoint", "14.0.", "2010"},
};

/* Products serviced by channel rather than by release: the catalogue page has no cycle for
 * them, so a build of theirs is unknown with this reason rather than "fits no cycle". Told by
 * a word of the installed name. */
static const struct {
	const char *product_id;
	const char *name_word;
	const char *reason;
} channel_products[] = {
	{"office", "Microsoft 365",
	 "Microsoft 365 Apps are serviced by update channel (Current, Monthly Enterprise, "
	 "Semi-Annual Enterprise), and the catalogue's Microsoft Office page has cycles only for "
	 "the perpetual releases (2007 to LTSC 2024), none for a channel"},
};

static const char *
family_of_edition (const char *product_id, const char *edition)
{
	if (edition == NULL || *edition == '\0')
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS (edition_families); i++) {
		if (strcmp (edition_families[i].product_id, product_id) == 0 &&
		    g_ascii_strcasecmp (edition_families[i].edition, edition) == 0)
			return edition_families[i].family;
	}
	return NULL;
}

/* The family suffix of a cycle name ("11-23h2-w" -> "w"), "" without one; NULL when the
 * product's cycles carry no families at all. */
static const char *
family_of_cycle (const char *product_id, const char *cycle)
{
	for (guint i = 0; i < G_N_ELEMENTS (family_suffixes); i++) {
		if (strcmp (family_suffixes[i].product_id, product_id) != 0)
			continue;
		gsize n = strlen (cycle);
		for (guint j = 0; family_suffixes[i].suffixes[j] != NULL; j++) {
			const char *sfx = family_suffixes[i].suffixes[j];
			gsize m = strlen (sfx);
			if (n > m + 1 && cycle[n - m - 1] == '-' && strcmp (cycle + n - m, sfx) == 0)
				return sfx;
		}
		return "";
	}
	return NULL;
}

static gboolean
family_accepts (const char *wanted, const char *family)
{
	if (*wanted == '\0')
		return *family == '\0';
	g_auto(GStrv) alternatives = g_strsplit (wanted, "|", -1);
	return g_strv_contains ((const char *const *) alternatives, family);
}

/* The first @n dot-separated numeric components of @v ("10.0.22631.4460", 3 ->
 * "10.0.22631"), NULL when it has fewer. (transfer full) */
static char *
numeric_prefix (const char *v, guint n)
{
	const char *p = v;
	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit (*p))
			return NULL;
		while (g_ascii_isdigit (*p))
			p++;
		if (i + 1 < n) {
			if (*p != '.')
				return NULL;
			p++;
		}
	}
	if (*p != '\0' && *p != '.' && *p != ' ')
		return NULL;
	return g_strndup (v, (gsize) (p - v));
}

/* "1.8.0_431" -> "8u431" (Java's legacy form, as the catalogue writes its versions); NULL
 * for any other version. (transfer full) */
static char *
java_update_form (const char *v)
{
	if (!g_str_has_prefix (v, "1."))
		return NULL;
	const char *p = v + 2;
	const char *major = p;
	while (g_ascii_isdigit (*p))
		p++;
	if (p == major || !g_str_has_prefix (p, ".0_"))
		return NULL;
	const char *upd = p + 3;
	const char *q = upd;
	while (g_ascii_isdigit (*q))
		q++;
	if (q == upd || (*q != '\0' && *q != '-'))
		return NULL;
	return g_strdup_printf ("%.*su%.*s", (int) (p - major), major, (int) (q - upd), upd);
}

char *
tu_catalog_version_form (const TuCatalogProduct *p, const char *version)
{
	if (version == NULL)
		return NULL;
	g_autofree char *java = java_update_form (version);
	if (java != NULL && p != NULL) {
		/* only where the catalogue writes its versions that way */
		for (guint i = 0; i < p->cycles->len; i++) {
			const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
			if (c->latest != NULL && strchr (c->latest, 'u') != NULL &&
			    g_ascii_isdigit (c->latest[0]))
				return g_steal_pointer (&java);
		}
	}
	return g_strdup (version);
}

/* Is @word in @text as a word of its own (case ignored)? */
static gboolean
has_word (const char *text, const char *word)
{
	if (text == NULL || *word == '\0')
		return FALSE;
	gsize n = strlen (word);
	for (const char *p = text; *p != '\0'; p++) {
		if (g_ascii_strncasecmp (p, word, n) != 0)
			continue;
		gboolean start = p == text || !g_ascii_isalnum (p[-1]);
		gboolean end = !g_ascii_isalnum (p[n]);
		if (start && end)
			return TRUE;
	}
	return FALSE;
}

/* By release: the cycle named @release, or labelled with it first, or qualified by a word
 * the installed product's name carries. */
static const TuCatalogCycle *
place_by_release (const TuCatalogProduct *p, const char *release, const char *name,
		  char **ambiguous)
{
	const TuCatalogCycle *plain = NULL, *qualified = NULL, *labelled = NULL;
	gboolean label_ambiguous = FALSE;
	gsize rn = strlen (release);
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		if (g_ascii_strcasecmp (c->cycle, release) == 0)
			plain = c;
		else if (g_ascii_strncasecmp (c->cycle, release, rn) == 0 && c->cycle[rn] == '-' &&
			 has_word (name, c->cycle + rn + 1) && qualified == NULL)
			qualified = c;
		else if (c->label != NULL && g_ascii_strncasecmp (c->label, release, rn) == 0 &&
			 (c->label[rn] == '\0' || c->label[rn] == ' ')) {
			/* one cycle and its variants ("13.0-sp3" for 2016 SP3 beside
			 * "13.0-sp3-acp"): the shortest; cycles of different names ("11 23H2
			 * (W)", "11 24H2 (W)"...): the release alone decides nothing */
			if (labelled == NULL) {
				labelled = c;
			} else if (g_str_has_prefix (labelled->cycle, c->cycle)) {
				labelled = c;
			} else if (!g_str_has_prefix (c->cycle, labelled->cycle)) {
				label_ambiguous = TRUE;
			}
		}
	}
	if (qualified != NULL)
		return qualified;
	if (plain != NULL)
		return plain;
	if (label_ambiguous && ambiguous != NULL && *ambiguous == NULL) {
		g_autoptr(GString) names = g_string_new (NULL);
		for (guint i = 0; i < p->cycles->len; i++) {
			const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
			if (c->label != NULL && g_ascii_strncasecmp (c->label, release, rn) == 0 &&
			    (c->label[rn] == '\0' || c->label[rn] == ' '))
				g_string_append_printf (names, "%s%s", names->len ? ", " : "",
							c->label);
		}
		*ambiguous = g_strdup_printf ("release %s is one of %s: no version to choose",
					      release, names->str);
	}
	return label_ambiguous ? NULL : labelled;
}

/* The leading version of a catalogue "latest" ("13.0.6500.1 GDR" -> "13.0.6500.1").
 * (transfer full) */
static char *
latest_version (const TuCatalogCycle *c)
{
	if (c->latest == NULL || !g_ascii_isdigit (c->latest[0]))
		return NULL;
	const char *sp = strchr (c->latest, ' ');
	return sp ? g_strndup (c->latest, (gsize) (sp - c->latest)) : g_strdup (c->latest);
}

/* By version prefix, with the service-pack cycles of one version (SQL Server 2016 is "13.0",
 * "13.0-sp1" ... "13.0-sp3-acp"): among the cycles of the version's base, the one whose latest
 * build is the lowest at or above the installed build (13.0.6300.2 is SP3, whose latest is
 * 13.0.6500.1); above them all, the newest. One cycle of the base: that one. */
static const TuCatalogCycle *
place_by_version (const TuCatalogProduct *p, const char *version)
{
	g_autoptr(GPtrArray) family = g_ptr_array_new ();
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *q = g_ptr_array_index (p->cycles, i);
		const char *dash = strchr (q->cycle, '-');
		if (dash == NULL || dash == q->cycle || !g_ascii_isdigit (q->cycle[0]))
			continue;
		g_autofree char *base = g_strndup (q->cycle, (gsize) (dash - q->cycle));
		if (strchr (base, '.') != NULL && tu_catalog_version_in_cycle (version, base))
			g_ptr_array_add (family, (gpointer) q);
	}
	const TuCatalogCycle *plain = tu_catalog_cycle_for (p, version);
	if (family->len == 0)
		return plain;
	if (plain != NULL)
		g_ptr_array_add (family, (gpointer) plain);
	const TuCatalogCycle *fit = NULL, *newest = NULL;
	g_autofree char *fit_latest = NULL, *newest_latest = NULL;
	for (guint i = 0; i < family->len; i++) {
		const TuCatalogCycle *q = g_ptr_array_index (family, i);
		g_autofree char *l = latest_version (q);
		if (l == NULL)
			continue;
		if (newest == NULL || tu_version_compare (TU_SCHEME_DOTTED, l, newest_latest) > 0) {
			newest = q;
			g_free (newest_latest);
			newest_latest = g_strdup (l);
		}
		if (tu_version_compare (TU_SCHEME_DOTTED, l, version) >= 0 &&
		    (fit == NULL || tu_version_compare (TU_SCHEME_DOTTED, l, fit_latest) < 0)) {
			fit = q;
			g_free (fit_latest);
			fit_latest = g_steal_pointer (&l);
		}
	}
	if (fit != NULL)
		return fit;
	if (newest != NULL)
		return newest;
	/* no builds to compare: the plain cycle, else the shortest qualified name */
	if (plain != NULL)
		return plain;
	const TuCatalogCycle *best = NULL;
	for (guint i = 0; i < family->len; i++) {
		const TuCatalogCycle *q = g_ptr_array_index (family, i);
		if (best == NULL || strlen (q->cycle) < strlen (best->cycle))
			best = q;
	}
	return best;
}

/* Does the catalogue place @p by build: a cycle whose latest is a build of three or more
 * numbers that its name is not the start of ("current-2410" with 16.0.18129.20200)? */
static gboolean
placed_by_build (const TuCatalogProduct *p)
{
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		g_autofree char *build = c->latest ? numeric_prefix (c->latest, 3) : NULL;
		if (build != NULL && !tu_catalog_version_in_cycle (c->latest, c->cycle))
			return TRUE;
	}
	return FALSE;
}

/* By build: the cycles whose latest has the version's build; the edition family and the
 * release choose between them. *@reason gets why none was chosen. */
static const TuCatalogCycle *
place_by_build (const TuCatalogProduct *p, const TuCatalogInstalled *inst, gboolean *had_build,
		char **reason)
{
	g_autofree char *build = numeric_prefix (inst->version, 3);
	if (build == NULL)
		return NULL;
	g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
	for (guint i = 0; i < p->cycles->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (p->cycles, i);
		g_autofree char *cb = c->latest ? numeric_prefix (c->latest, 3) : NULL;
		if (cb != NULL && strcmp (cb, build) == 0)
			g_ptr_array_add (candidates, (gpointer) c);
	}
	if (candidates->len == 0)
		return NULL;
	*had_build = TRUE;
	if (candidates->len == 1)
		return g_ptr_array_index (candidates, 0);
	/* the release names one of them ("2019" among "2019" and "1809-sac") */
	if (inst->release != NULL && *inst->release) {
		for (guint i = 0; i < candidates->len; i++) {
			const TuCatalogCycle *c = g_ptr_array_index (candidates, i);
			if (g_ascii_strcasecmp (c->cycle, inst->release) == 0)
				return c;
		}
	}
	const char *wanted = family_of_edition (p->id, inst->edition);
	const TuCatalogCycle *unsuffixed = NULL;
	guint n_unsuffixed = 0;
	for (guint i = 0; i < candidates->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (candidates, i);
		const char *family = family_of_cycle (p->id, c->cycle);
		if (family == NULL)
			continue;
		if (wanted != NULL && family_accepts (wanted, family))
			return c;
		if (*family == '\0') {
			unsuffixed = c;
			n_unsuffixed++;
		}
	}
	/* cycles without a family suffix hold every edition ("10-22h2") */
	if (n_unsuffixed == 1)
		return unsuffixed;
	g_autoptr(GString) names = g_string_new (NULL);
	for (guint i = 0; i < candidates->len; i++) {
		const TuCatalogCycle *c = g_ptr_array_index (candidates, i);
		g_string_append_printf (names, "%s%s", i ? ", " : "", c->label ? c->label : c->cycle);
	}
	if (family_of_cycle (p->id, "") == NULL) {
		/* no edition families: cycles of channels sharing a build (an in-house
		 * catalogue's Microsoft 365 Apps "current-2410" and "monthly-enterprise-2410") */
		*reason = g_strdup_printf ("build %s is in several cycles (%s) and nothing "
					   "recorded (a channel, an edition) chooses between them",
					   build, names->str);
		return NULL;
	}
	*reason = inst->edition && *inst->edition
			  ? g_strdup_printf ("edition \"%s\" fits none of the cycles of build %s (%s)",
					     inst->edition, build, names->str)
			  : g_strdup_printf ("edition not known: build %s is one of %s", build,
					     names->str);
	return NULL;
}

static const char *
release_of_build (const TuCatalogProduct *p, const char *version)
{
	for (guint i = 0; i < G_N_ELEMENTS (release_builds); i++) {
		if (strcmp (release_builds[i].product_id, p->id) == 0 &&
		    g_str_has_prefix (version, release_builds[i].build_prefix))
			return release_builds[i].release;
	}
	return NULL;
}

const TuCatalogCycle *
tu_catalog_place (const TuCatalogProduct *p, const TuCatalogInstalled *inst, char **reason)
{
	g_return_val_if_fail (reason != NULL && *reason == NULL, NULL);
	if (p == NULL) {
		*reason = g_strdup ("not in the catalogue");
		return NULL;
	}
	const char *version = inst->version && *inst->version ? inst->version : NULL;
	const char *release = inst->release && *inst->release ? inst->release : NULL;
	const TuCatalogCycle *c = NULL;
	gboolean had_build = FALSE;
	g_autofree char *build_reason = NULL;
	if (version != NULL) {
		g_autofree char *form = tu_catalog_version_form (p, version);
		if ((c = place_by_version (p, form)) != NULL)
			return c;
		TuCatalogInstalled local = *inst;
		local.version = form;
		if ((c = place_by_build (p, &local, &had_build, &build_reason)) != NULL)
			return c;
	}
	/* a build the catalogue has, with an edition that does not choose: not the release */
	if (had_build) {
		*reason = g_steal_pointer (&build_reason);
		return NULL;
	}
	g_autofree char *ambiguous = NULL;
	if (release != NULL &&
	    (c = place_by_release (p, release, inst->name, &ambiguous)) != NULL)
		return c;
	const char *built = version ? release_of_build (p, version) : NULL;
	if (built != NULL && (c = place_by_release (p, built, inst->name, NULL)) != NULL)
		return c;
	for (guint i = 0; i < G_N_ELEMENTS (channel_products); i++) {
		if (g_strcmp0 (p->id, channel_products[i].product_id) == 0 && inst->name != NULL &&
		    strstr (inst->name, channel_products[i].name_word) != NULL) {
			*reason = g_strdup_printf ("%s: build %s cannot be judged from it",
						   channel_products[i].reason,
						   version ? version : "(none recorded)");
			return NULL;
		}
	}
	if (ambiguous != NULL) {
		*reason = g_steal_pointer (&ambiguous);
	} else if (build_reason != NULL) {
		*reason = g_steal_pointer (&build_reason);
	} else if (version == NULL && release == NULL) {
		*reason = g_strdup ("no version or release recorded");
	} else if (version != NULL && strpbrk (version, "0123456789") == NULL) {
		*reason = g_strdup_printf ("version \"%s\" not parsable", version);
	} else if (version != NULL && numeric_prefix (version, 3) != NULL && !had_build &&
		   (family_of_cycle (p->id, "") != NULL || placed_by_build (p))) {
		g_autofree char *build = numeric_prefix (version, 3);
		*reason = g_strdup_printf ("build %s fits no cycle of %s", build,
					   p->title ? p->title : p->id);
	} else {
		*reason = g_strdup_printf ("no cycle of %s for %s %s", p->title ? p->title : p->id,
					   version ? "version" : "release", version ? version : release);
	}
	return NULL;
}

/* Products whose extended support costs nothing: the verdict counts it. Every other "eoes" of
 * the catalogue is paid (Windows ESU, RHEL ELS, Ubuntu Pro's ESM) and only shown. */
static const struct {
	const char *product_id;
	const char *name;
} free_extended[] = {
	{"debian", "Debian LTS"},
};

void
tu_catalog_judge (const TuCatalogProduct *p, const TuCatalogCycle *cycle, guint32 at,
		  TuCatalogVerdict *out)
{
	memset (out, 0, sizeof *out);
	out->support = tu_catalog_support (cycle, at, &out->eol_date);
	guint32 ext = 0;
	if (out->support != TU_SUPPORT_EOL || cycle->extended_end == NULL ||
	    !tu_catalog_date_julian (cycle->extended_end, &ext) || at >= ext)
		return;
	for (guint i = 0; i < G_N_ELEMENTS (free_extended); i++) {
		if (p != NULL && strcmp (free_extended[i].product_id, p->id) == 0) {
			out->support = TU_SUPPORT_SECURITY_ONLY;
			out->free_extended = free_extended[i].name;
			out->eol_date = cycle->extended_end;
			return;
		}
	}
	out->paid_extended_end = cycle->extended_end;
}
