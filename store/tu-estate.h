/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a report covers, for its title block: how many hosts, which sites (from the imported
 * host facts) and how fresh the data is (the oldest and newest of the hosts' last scans). A
 * read of the schema for the reports, which take the result and never the database.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"

G_BEGIN_DECLS

typedef struct {
	guint n_hosts;
	char *oldest_scan; /* "YYYY-MM-DD HH:MM" UTC, the host last seen longest ago; NULL: none */
	char *newest_scan;
	GPtrArray *sites; /* char*, distinct, sorted */
	char *first_scan; /* the first host's first sighting: where the history starts */
} TuEstateScope;

/* @host: only this host (hostname, FQDN or machine-id); NULL: all. */
gboolean tu_estate_scope_load (TuDb *db, const char *host, TuEstateScope *out, GError **error);
void tu_estate_scope_clear (TuEstateScope *s);
/* "19 hosts; sites: London, New York, Paris" (transfer full) */
char *tu_estate_scope_describe (const TuEstateScope *s);
/* "oldest scan 2026-11-06 06:00, newest 2026-12-06 10:12 (UTC)"; NULL with no scans
 * (transfer full) */
char *tu_estate_scope_freshness (const TuEstateScope *s);

/* Software no rule recognises, grouped by source and name, for a licence manager's review:
 * what may be paid for first. Until records carry a classification, the order is that of
 * their kind and source: applications found on Windows and macOS (where commercial software
 * lives) before distribution and language packages, and among them Store (AppX) packages,
 * whose publisher is a certificate subject ("CN=..."), after the rest; operating-system parts (kind
 * "system", "component": Windows roles and features, AppX system packages) are left out and counted
 * in
 * @n_left_out. */
typedef struct {
	guint n_hosts;
	guint n_installs;
	char *source;
	char *raw_name;
	char *raw_publisher;
	char *product;
	char *klass; /* the record's class: "commercial", "freeware", ... */
	gboolean is_recognised;
	gboolean is_desktop; /* found by a Windows or macOS collector */
} TuReviewItem;

void tu_review_item_free (TuReviewItem *u);
/* (transfer full) TuReviewItem*, at most @limit */
GPtrArray *tu_estate_review_items (TuDb *db, guint limit, guint *n_left_out, GError **error);

G_END_DECLS
