/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The normalised product's columns of `software` (see tu-product-columns.h): one table of
 * names, widths to fit and where each value lives in a TuProduct.
 */
#include "tu-product-columns.h"

#define TEXT(name, field)                                                           \
	{                                                                           \
		{name, "software." name, FALSE}, G_STRUCT_OFFSET (TuProduct, field) \
	}
#define ENUM(name)                      \
	{                               \
		{name, NULL, FALSE}, -1 \
	}
#define FLAG(name, field)                                              \
	{                                                              \
		{name, NULL, TRUE}, G_STRUCT_OFFSET (TuProduct, field) \
	}

static const struct {
	TuProductColumn column;
	glong offset; /* of the const char * (text) or gboolean (flag) field; -1: an enum */
} columns[TU_N_PCOLS] = {
	[TU_PCOL_PUBLISHER] = TEXT ("publisher", publisher),
	[TU_PCOL_PRODUCT] = TEXT ("product", product),
	[TU_PCOL_EDITION] = TEXT ("edition", edition),
	[TU_PCOL_RELEASE] = TEXT ("product_release", release),
	[TU_PCOL_VERSION] = TEXT ("version", version),
	[TU_PCOL_UPSTREAM_VERSION] = TEXT ("upstream_version", upstream_version),
	[TU_PCOL_SCHEME] = ENUM ("scheme"),
	[TU_PCOL_KIND] = ENUM ("kind"),
	[TU_PCOL_CLASS] = ENUM ("class"),
	[TU_PCOL_COMPONENT_OF] = TEXT ("component_of", component_of),
	[TU_PCOL_IS_LICENSABLE] = FLAG ("is_licensable", is_licensable),
	[TU_PCOL_IS_RECOGNISED] = FLAG ("is_recognised", is_recognised),
	[TU_PCOL_CPE] = TEXT ("norm_cpe", cpe),
	[TU_PCOL_PURL] = TEXT ("norm_purl", purl),
	[TU_PCOL_RULE] = TEXT ("rule", rule),
};

const TuProductColumn *
tu_product_column (TuProductColumnId id)
{
	g_return_val_if_fail ((guint) id < TU_N_PCOLS, NULL);
	return &columns[id].column;
}

const char *
tu_product_column_value (const TuProduct *p, TuProductColumnId id, gint64 *flag)
{
	g_return_val_if_fail ((guint) id < TU_N_PCOLS, NULL);
	*flag = 0;
	switch (id) {
	case TU_PCOL_SCHEME:
		return tu_scheme_to_string (p->scheme);
	case TU_PCOL_KIND:
		return tu_kind_to_string (p->kind);
	case TU_PCOL_CLASS:
		return tu_class_to_string (p->klass);
	default:
		break;
	}
	if (columns[id].column.is_flag) {
		*flag = G_STRUCT_MEMBER (gboolean, p, columns[id].offset) ? 1 : 0;
		return NULL;
	}
	return G_STRUCT_MEMBER (const char *, p, columns[id].offset);
}

void
tu_product_column_set (TuProduct *p, TuProductColumnId id, const char *value)
{
	g_return_if_fail ((guint) id < TU_N_PCOLS && columns[id].column.fit_column != NULL);
	G_STRUCT_MEMBER (const char *, p, columns[id].offset) = value;
}
