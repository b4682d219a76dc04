/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The release catalogue's records (see tu-catalog-record.h): making and freeing them.
 */
#include "tu-catalog-record.h"

void
tu_catalog_cycle_free (TuCatalogCycle *c)
{
	if (c == NULL)
		return;
	g_free (c->cycle);
	g_free (c->codename);
	g_free (c->label);
	g_free (c->release_date);
	g_free (c->latest);
	g_free (c->latest_date);
	g_free (c->eol);
	g_free (c->support_end);
	g_free (c->extended_end);
	g_free (c);
}

TuCatalogCycle *
tu_catalog_cycle_new (const char *name)
{
	TuCatalogCycle *c = g_new0 (TuCatalogCycle, 1);
	c->cycle = g_strdup (name);
	c->eol_flag = -1;
	c->support_flag = -1;
	return c;
}

void
tu_catalog_version_free (TuCatalogVersion *v)
{
	if (v == NULL)
		return;
	g_free (v->version);
	g_free (v->date);
	g_free (v);
}

TuCatalogProduct *
tu_catalog_product_new (const char *id)
{
	TuCatalogProduct *p = g_new0 (TuCatalogProduct, 1);
	p->id = g_strdup (id);
	p->identifiers = g_ptr_array_new_with_free_func (g_free);
	p->cycles = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_catalog_cycle_free);
	p->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_catalog_version_free);
	p->warnings = g_ptr_array_new_with_free_func (g_free);
	return p;
}

void
tu_catalog_product_free (TuCatalogProduct *p)
{
	if (p == NULL)
		return;
	g_free (p->id);
	g_free (p->title);
	g_free (p->category);
	g_free (p->publisher);
	g_free (p->product);
	g_ptr_array_unref (p->identifiers);
	g_ptr_array_unref (p->cycles);
	g_ptr_array_unref (p->versions);
	g_ptr_array_unref (p->warnings);
	g_free (p);
}

GPtrArray *
tu_catalog_products_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) tu_catalog_product_free);
}
