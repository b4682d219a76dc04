/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Normalisation of what is already stored: re-apply the rules to every software row after a
 * rule change (in batches, without rescanning), and the recognition statistics.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"
#include "tu-normaliser.h"

G_BEGIN_DECLS

/* The software rows a licence manager must look at, as SQL over `software s`: not recognised
 * and not known to be part of the OS, a driver or a component (nor an update or language
 * pack); or recognised by a rule that does not say whether it is sold by licence (class
 * unknown). The compliance workbook's review list and `normalise --stats` use it. */
#define TU_REVIEW_CONDITION                                                                   \
	"((s.is_recognised = 0 AND s.class NOT IN ('os', 'driver', 'component') AND "       \
	"s.kind NOT IN ('update', 'language-pack')) OR (s.is_recognised = 1 AND "           \
	"s.class = 'unknown'))"

typedef struct {
	guint64 n_checked;
	guint64 n_changed;
	guint64 n_newly_recognised;
	guint64 n_unrecognised; /* recognised before, not any more */
} TuRenormaliseStats;

/* Re-normalise every software row; rows whose result changed are updated, in batches of a
 * few thousand, each batch its own transaction (re-running is harmless). */
gboolean tu_renormalise (TuDb *db, TuNormaliser *norm, TuRenormaliseStats *stats, GError **error);

typedef struct {
	char *source;
	guint64 n_installations;
	guint64 n_recognised;
} TuSourceStats;

typedef struct {
	char *klass; /* commercial, freeware, open-source, component, driver, os, unknown */
	guint64 n_installations;
	guint64 n_recognised;
} TuClassStats;

typedef struct {
	guint64 n_installations; /* current installations, state installed */
	guint64 n_recognised;
	guint64 n_updates;
	guint64 n_language_packs;
	guint64 n_licensable;
	guint64 n_software;
	guint64 n_publishers;
	GPtrArray *by_source; /* TuSourceStats* */
	GPtrArray *by_class;  /* TuClassStats*, most installations first */
} TuNormaliseSummary;

void tu_normalise_summary_clear (TuNormaliseSummary *sum);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TuNormaliseSummary, tu_normalise_summary_clear)

typedef struct {
	guint64 n_hosts;
	guint64 n_installations;
	char *source;
	char *raw_name;
	char *raw_publisher;
	char *product;
	char *klass;
} TuUnrecognised;

/* Statistics over current installations; @unrecognised gets the @top unrecognised raw names by
 * number of installations, then hosts (transfer full, TuUnrecognised*). */
gboolean tu_normalise_stats (TuDb *db, guint top, TuNormaliseSummary *sum,
			     GPtrArray **unrecognised, GError **error);

G_END_DECLS
