/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The normalised product's columns of `software`, once: the scan's insert (tu-store.c) and
 * `normalise --apply` (tu-renormalise.c: its read, its comparison with what is stored, its
 * fitting to column widths and its update) all walk this table, so a column added to the
 * product is added here and nowhere else. Store-internal.
 */
#pragma once

#include <glib.h>

#include "tu-normaliser.h"

G_BEGIN_DECLS

typedef enum {
	TU_PCOL_PUBLISHER,
	TU_PCOL_PRODUCT,
	TU_PCOL_EDITION,
	TU_PCOL_RELEASE,
	TU_PCOL_VERSION,
	TU_PCOL_UPSTREAM_VERSION,
	TU_PCOL_SCHEME,
	TU_PCOL_KIND,
	TU_PCOL_CLASS,
	TU_PCOL_COMPONENT_OF,
	TU_PCOL_IS_LICENSABLE,
	TU_PCOL_IS_RECOGNISED,
	TU_PCOL_CPE,
	TU_PCOL_PURL,
	TU_PCOL_RULE,
	TU_N_PCOLS
} TuProductColumnId;

/* The column names in TuProductColumnId order, for column lists: "publisher", ... */
#define TU_PRODUCT_COLUMN_NAMES                                                              \
	"publisher", "product", "edition", "product_release", "version", "upstream_version", \
		"scheme", "kind", "class", "component_of", "is_licensable", "is_recognised", \
		"norm_cpe", "norm_purl", "rule"

typedef struct {
	const char *column;	/* "publisher" */
	const char *fit_column; /* "software.publisher" for free text cut to its width, or NULL */
	gboolean is_flag;	/* an integer 0/1 (is_licensable, is_recognised) */
} TuProductColumn;

/* (transfer none) column @id's description */
const TuProductColumn *tu_product_column (TuProductColumnId id);
/* Column @id of @p: its text (enums by name; NULL: SQL NULL), or for a flag its value in
 * *@flag (the text is then NULL). (transfer none) */
const char *tu_product_column_value (const TuProduct *p, TuProductColumnId id, gint64 *flag);
/* Point the free-text field of column @id of @p at @value (borrowed), e.g. a fitted copy. */
void tu_product_column_set (TuProduct *p, TuProductColumnId id, const char *value);

G_END_DECLS
