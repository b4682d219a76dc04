/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What was bought and what scans cannot see, as the importers read it
 * (licence/tu-licence-import.c), the store keeps it (store/tu-licence-store.c) and the licence
 * engine uses it: licence metrics, entitlements, prices, contracts and host attributes. Plain
 * data and memory only, so that the store and the licence engine share them without either
 * reaching the other.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	TU_METRIC_SITE,
	TU_METRIC_DEVICE,
	TU_METRIC_USER,
	TU_METRIC_INSTALL,
	TU_METRIC_PROCESSOR,
	TU_METRIC_CORE,
	TU_METRIC_LAST
} TuMetric;

const char *tu_metric_to_string (TuMetric metric);
gboolean tu_metric_from_string (const char *s, TuMetric *out);

typedef struct {
	char *id;
	char *publisher;
	char *product;
	char *edition; /* canonical; the product's base edition when none was given */
	char *release; /* "" : any release */
	TuMetric metric;
	gint64 quantity;
	guint32 start; /* Julian days; 0: none */
	guint32 end;   /* 0: perpetual */
	guint32 maintenance_end;
	gboolean downgrade;
	double core_factor;
	gint min_cores;
	gboolean has_unit_cost;
	double unit_cost;
	char *currency;
	char *scope; /* "key=value[;key=value]" or "" */
	char *contract_id;
	char *po;
	/* a purchase of paid extended support (Windows ESU, RHEL ELS), not a licence: NULL for
	 * an ordinary entitlement, else "yes" (the catalogue product of publisher and product)
	 * or a catalogue product id ("windows"); it lasts until @end */
	char *extended_support;
} TuEntitlement;

typedef struct {
	char *publisher;
	char *product;
	char *edition;
	TuMetric metric;
	double unit_cost;
	char *currency;
} TuPrice;

/* A contract: dates are Julian days (0: none); notice_days -1: unknown. */
typedef struct {
	char *id, *vendor, *title, *currency, *owner, *notes;
	guint32 start, end;
	gint64 notice_days;
	gboolean auto_renew, has_value;
	double value;
	guint line; /* of the imported file */
} TuContract;

/* Facts about a host that scans cannot see; counts -1 when not given. */
typedef struct {
	char *key; /* host name, FQDN or machine id, lower case */
	char *site, *cost_centre, *owner, *groups, *environment, *cluster;
	gint64 cores, sockets;
	gint is_virtual;
	guint line; /* of the imported file */
} TuHostAttributes;

/* What an entitlement's scope ("site=London;group=finance") is matched against: the host's
 * imported attributes. Borrowed strings; @groups NULL-terminated (or NULL). */
typedef struct {
	const char *site, *cost_centre, *environment, *cluster;
	const char *const *groups;
} TuScopeHost;

/* NULL when @host is in @scope (empty: every host); else the first condition it fails,
 * e.g. "site=London". Keys: site, cost_centre (cost_center), environment, cluster, group
 * (one of the host's groups); values compared without case. The licence engine and patch's
 * extended support both use it. */
char *tu_scope_problem (const char *scope, const TuScopeHost *host);

/* Strings are copied. */
TuEntitlement *tu_entitlement_new (const char *id, const char *publisher, const char *product,
				   const char *edition, TuMetric metric, gint64 quantity);
void tu_entitlement_free (TuEntitlement *e);
void tu_price_free (TuPrice *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuEntitlement, tu_entitlement_free)
void tu_contract_free (TuContract *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuContract, tu_contract_free)
void tu_host_attributes_free (TuHostAttributes *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuHostAttributes, tu_host_attributes_free)

G_END_DECLS
