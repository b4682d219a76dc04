/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The licence engine: the effective licence position (ELP). What is installed (licensable
 * installations present at a date, on hosts with their facts and attributes) is matched with
 * what was bought (entitlements active at that date) under the use rights: edition hierarchy,
 * downgrade rights, maintenance (upgrade) rights, scope and dates. Installations are allocated
 * to entitlements by a minimum-cost maximum flow over groups of identical demands, so the
 * total shortfall is the least possible whatever order things come in; costs break ties
 * consistently (the closest edition, then the soonest-expiring, then the cheaper entitlement).
 * Every verdict carries its reason.
 *
 * The computation (tu_licence_compute) is pure: it takes a TuLicenceInput and touches no
 * database, so positions can be computed by hand in tests. tu_licence_load builds the input
 * from the store.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-licence-record.h"
#include "tu-normaliser.h"
#include "tu-rules.h"
#include "tu-warnings.h"

G_BEGIN_DECLS

typedef struct {
	guint64 id;
	char *name;
	char *site;
	char *cost_centre;
	char *owner;
	char *environment;
	char *cluster;
	char **groups;	 /* NULL-terminated */
	gint cores;	 /* -1 unknown */
	gint sockets;	 /* -1 unknown */
	gint is_virtual; /* -1 unknown */
} TuLicHost;

typedef struct {
	guint64 id;
	guint host;	 /* index into hosts */
	char *publisher;
	char *product;
	char *edition;
	char *release;
	char *version;
	char *raw_name;
	char *metric_hint; /* the normaliser's default metric, or NULL */
	/* the installation data names no edition: @edition is the product's base edition */
	gboolean edition_assumed;
} TuLicInstall;

typedef struct {
	guint32 at;		  /* the date of the position */
	GPtrArray *hosts;	  /* TuLicHost* */
	GPtrArray *installs;	  /* TuLicInstall* */
	GPtrArray *entitlements;  /* TuEntitlement*, all of them: active or not */
	GPtrArray *prices;	  /* TuPrice* */
	TuRuleSet *rules;	  /* (nullable) product facts: editions, releases; borrowed */
	GHashTable *release_dates; /* "publisher\x1fproduct\x1frelease" (casefold) -> "YYYY-MM-DD" */
} TuLicenceInput;

TuLicenceInput *tu_licence_input_new (void);
void tu_licence_input_free (TuLicenceInput *in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuLicenceInput, tu_licence_input_free)

/* Convenience constructors for tests and loaders. Strings are copied. */
TuLicHost *tu_lic_host_new (guint64 id, const char *name);
TuLicInstall *tu_lic_install_new (guint64 id, guint host, const char *publisher,
				  const char *product, const char *edition, const char *release);

typedef enum {
	TU_VERDICT_COVERED,
	TU_VERDICT_PARTIAL,
	TU_VERDICT_UNCOVERED,
	TU_VERDICT_NEEDS_DATA,
} TuVerdictStatus;

const char *tu_verdict_status_to_string (TuVerdictStatus s);

/* The verdict on one installation. */
typedef struct {
	guint install;		/* index into input->installs */
	TuMetric metric;
	gint64 units;		/* required units of the demand this installation belongs to */
	gint64 covered;		/* of which covered */
	TuVerdictStatus status;
	char *entitlements;	/* "E-1" or "E-1:8,E-2:8" */
	char *reason;		/* why (not) covered, in words */
	gboolean is_representative; /* the installation that counts for its host or user */
} TuVerdict;

/* One row of the position: per product, edition and metric. */
typedef struct {
	char *publisher;
	char *product;
	char *edition;
	TuMetric metric;
	gint64 required;
	gint64 entitled;
	gint64 shortfall;
	gint64 surplus;
	gint64 needs_data;	/* installations left out for missing facts */
	guint n_installs;
	guint n_hosts;
	gboolean has_cost;
	double unit_cost;	/* what one more unit costs (when has_cost) */
	double shortfall_cost;
	char *currency;
	gboolean is_unlimited;	/* a site entitlement */
} TuPositionRow;

/* How each entitlement is used. */
typedef struct {
	guint entitlement;	/* index into input->entitlements */
	gboolean is_active;
	gint64 used;
	gint64 unused;
	gboolean has_cost;
	double unused_cost;
	char *inactive_reason;	/* "ended 2025-12-31", "starts 2027-01-01" */
} TuEntitlementUse;

typedef struct {
	GPtrArray *rows;	 /* TuPositionRow*, sorted by publisher, product, edition, metric */
	/* TuVerdict*, one per installation, by host name, publisher, product, edition, release,
	 * version, raw name (then host and installation id), not in input order; the allocation
	 * follows the same order, so neither depends on the order of the input */
	GPtrArray *verdicts;
	GPtrArray *uses;	 /* TuEntitlementUse*, in input order */
	/* what the user should know about the figures (a product priced in two currencies,
	 * costed in one of them) */
	TuWarnings *warnings;
} TuLicencePosition;

TuLicencePosition *tu_licence_compute (const TuLicenceInput *input);
void tu_licence_position_free (TuLicencePosition *pos);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuLicencePosition, tu_licence_position_free)

/* Build the input from the store as of @at (Julian day): installations present at the end of
 * that day by their history, hosts with their attributes (imported facts override scanned
 * ones), all entitlements, prices, product facts from @norm's rules. (transfer full) */
TuLicenceInput *tu_licence_load (TuDb *db, TuNormaliser *norm, guint32 at, GError **error);

G_END_DECLS
