/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An OSV advisory, and an entry of CISA's known-exploited list, as the parsers make them
 * (advisories/tu-osv-parse.c, tu-kev.c) and the store keeps them (store/tu-osv-store.c): the
 * record, its affected packages, their ranges and events, and the stored form of the parts
 * kept as text (times as DATETIME text, ranges and version lists as JSON, read back by
 * tu_osv_affected_from_json). Plain data, so the store and the advisories share it without
 * either reaching the other.
 */
#pragma once

#include <glib.h>

#include "tu-scheme.h"

G_BEGIN_DECLS

typedef struct {
	char *kind;    /* "introduced", "fixed", "last_affected", "limit" */
	char *version; /* "0" for introduced means: from the first version */
} TuOsvEvent;

typedef struct {
	char *type;	   /* "ECOSYSTEM" or "SEMVER" (GIT ranges are only counted) */
	GPtrArray *events; /* TuOsvEvent*, in file order */
} TuOsvRange;

typedef struct {
	char *ecosystem;	 /* as written: "AlmaLinux:9", "PyPI", "Debian:12" */
	char *ecosystem_base;	 /* before the first ':': "AlmaLinux" */
	char *ecosystem_release; /* after it: "9", "12", "" */
	char *package;		 /* as written */
	char *package_key;	 /* normalised for lookups: see tu_osv_package_key */
	char *purl;
	TuScheme scheme;
	GPtrArray *ranges;	     /* TuOsvRange* (ECOSYSTEM and SEMVER only) */
	GPtrArray *versions;	     /* char*: explicit affected versions the scheme accepts */
	GPtrArray *invalid_versions; /* char*: those it cannot parse (reported) */
} TuOsvAffected;

typedef struct {
	char *id;
	char *summary;
	char *published; /* ISO 8601 as written, or NULL */
	char *modified;
	char *withdrawn;
	GPtrArray *aliases;    /* char*: aliases, and CVE ids from "related" */
	char *cvss_vector;     /* the CVSS v3.x, else v4.0, vector, or NULL */
	double cvss_score;     /* computed from the vector; < 0 when there is none */
	char *severity;	       /* a textual severity (database_specific / ecosystem_specific) */
	char *severity_source; /* where the severity came from: "CVSS_V3", "CVSS_V4",
				* "database_specific", "ecosystem_specific", "Ubuntu", "summary"
				* (a distribution's label: "Important: php security update") */
	guint n_git_ranges;
	GPtrArray *affected; /* TuOsvAffected* */
	GPtrArray *warnings; /* char*: things reported about this record (invalid versions...) */
} TuOsvRecord;

/* One entry of CISA's known-exploited vulnerabilities, checked (advisories/tu-kev.c). */
typedef struct {
	char *cve;
	char *vendor;
	char *product;
	char *name;
	char *date_added; /* YYYY-MM-DD */
	char *due_date;
	char *ransomware;
	char *notes;
	guint line;
} TuKevEntry;
void tu_kev_entry_free (TuKevEntry *k);

/* An RFC 3339 time as MySQL's DATETIME text in UTC, or NULL. (transfer full) */
char *tu_osv_time_to_sql (const char *s);
/* The stored JSON of ranges, and of a string list (NULL when empty). (transfer full) */
char *tu_osv_ranges_to_json (const GPtrArray *ranges);
char *tu_osv_strings_to_json (const GPtrArray *strings);

G_END_DECLS
