/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Patch currency: for each installation, where it stands against the release catalogue
 * (cycle, latest in cycle and overall, how far behind, support status and end of life) and the
 * advisories (known vulnerabilities, highest CVSS, known exploitation, the version that fixes
 * them all).
 *
 * The estate is evaluated by distinct (software, host OS) pairs, not installation by
 * installation: an estate repeats the same packages on thousands of hosts. Advisories are
 * indexed by (ecosystem, package) in memory. Which advisories apply:
 *  - distribution packages: the distribution release the host runs (Debian 12 hosts get
 *    "Debian:12" records for the package's source package, compared with dpkg; AlmaLinux 9
 *    hosts "AlmaLinux:9" records for the binary package, compared with rpm; Alpine, Rocky,
 *    Red Hat, SUSE likewise);
 *  - language packages: PyPI (PEP 440) and npm (SemVer) records by package name;
 *  - nothing else: upstream version ranges are not applied to distribution packages, whose
 *    fixes are backported without changing the upstream version.
 * The catalogue is matched on the upstream part of a packaged version ("3.0.11-1~deb12u2" is
 * in OpenSSL's cycle 3.0) while advisories compare the full version; Windows, Windows Server,
 * Office, SQL Server and Java are placed by build, edition and release (tu_catalog_place).
 * A package from the distribution's own archive is judged by the distribution: supported
 * while the host's release is (free extended support such as Debian LTS counted), behind and
 * latest by the distribution's fixed versions; its upstream cycle is shown for information.
 * Paid extended support is shown, and counts only for hosts the estate says bought it: an
 * entitlement with extended_support whose scope selects the host (until its end or the
 * catalogue's, tu-patch-extended.h), or the host's groups ("extended-support" or
 * "extended-support:ID"). A support verdict is never blank: "unknown" comes with its reason.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"

G_BEGIN_DECLS

typedef struct {
	guint64 host_id;
	/* The (software, host OS) verdict the row hands on, an id unique within one
	 * tu_patch_run: rows with the same verdict_id have the same values in every field but
	 * the host's own (host_id, host, os, os_build, os_edition) and those the host's bought
	 * extended support changes (support, eol_days, support_basis, extended_support). */
	guint64 verdict_id;
	const char *host;
	const char *os;		/* "debian 12" */
	const char *source;
	const char *raw_name;
	const char *raw_version;
	const char *publisher;
	const char *product;
	const char *version;	/* the version compared with the catalogue (upstream) */
	const char *catalog_id; /* NULL: no catalogue product */
	const char *cycle;
	const char *latest_in_cycle;
	const char *latest;
	gint behind;		/* releases behind the latest of the cycle; -1 unknown */
	gint days_behind;	/* -1 unknown */
	const char *support;	/* "supported", "security-only", "eol", "unknown" */
	const char *eol_date;
	gint eol_days;		/* days past end of life (>0), -1 when not eol */
	guint n_vulns;		/* the advisories in vuln_ids */
	double max_cvss;	/* -1: none known */
	const char *vuln_ids;	/* the advisories that affect it: "ALSA-2024:0310,ALSA-2024:4726" */
	gboolean kev;
	const char *fixed_in;	/* lowest version fixing them all; "" none needed; "no fix" */
	guint n_unknown;	/* advisories whose verdict is unknown (unparsable versions) */
	gboolean has_advisories; /* the package has advisories in its ecosystem */
	/* added for security teams (issue 12) */
	const char *os_build;	  /* the host's OS build or version ("10.0.22631.4460", "12") */
	const char *os_edition;	  /* the host's OS edition ("Professional", "ServerStandard") */
	const char *support_basis; /* what the verdict follows: "Debian 12 (distribution)",
				    * "Microsoft Windows 11 23H2 (W)" */
	const char *extended_support; /* paid extended support available until this date and not
				       * recorded as bought ("" otherwise) */
	const char *reason;	  /* why support is "unknown" ("" otherwise) */
	const char *severity;	  /* "critical", "high", "medium", "low", "none", "unknown";
				   * "" when not vulnerable */
	const char *severity_source; /* "CVSS_V3 9.8 (CVE-...)", "summary label Important (ALSA-...)" */
	const char *cves;	  /* the CVE ids of the advisories in vuln_ids */
	const char *kev_cves;	  /* "CVE-2024-38475 (due 2025-05-22)" */
	const char *package;	  /* what counts as one exposed product: the source package of
				   * a distribution package, else the product */
} TuPatchRow;

/* Called for each installation a catalogue or advisory covers; return FALSE (with @error) to
 * stop. Strings are borrowed for the call. */
typedef gboolean (*TuPatchRowFunc) (const TuPatchRow *row, gpointer user_data, GError **error);

typedef struct {
	guint64 n_installations;   /* looked at */
	guint64 n_rows;		   /* covered by a catalogue or an advisory */
	guint64 n_distinct;	   /* distinct (software, host OS) pairs evaluated */
	guint64 n_with_catalog;
	guint64 n_behind;
	guint64 n_eol;
	guint64 n_vulnerable;
	guint64 n_kev;
	guint64 n_unknown;	   /* installations with an advisory verdict unknown */
	guint64 n_support_unknown; /* rows whose support verdict is unknown (with a reason) */
	guint64 n_exposed;	   /* distinct (host, package) with known vulnerabilities */
	guint64 n_exposed_kev;	   /* of which with known-exploited ones */
	guint n_advisories;	   /* affected entries indexed */
	guint n_git_ranges;	   /* in the stored advisories: not matchable */
	guint n_extended_unmatched; /* purchases of extended support naming no catalogue product */
	double seconds_load;
	double seconds_match;
} TuPatchStats;

typedef struct {
	guint32 at;		/* the date support status is judged at */
	const char *host;	/* only this host (name, FQDN or machine-id); NULL: all */
	gboolean sorted;	/* rows by host name, then product (else in store order) */
} TuPatchOptions;

gboolean tu_patch_run (TuDb *db, const TuPatchOptions *options, TuPatchRowFunc func,
		       gpointer user_data, TuPatchStats *stats, GError **error);

G_END_DECLS
