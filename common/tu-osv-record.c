/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Freeing a KEV entry, and the stored form of an OSV record's text parts (see
 * tu-osv-record.h): times as DATETIME text, ranges and version lists as JSON.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-osv-record.h"
#include "tu-util.h"

void
tu_kev_entry_free (TuKevEntry *k)
{
	if (k == NULL)
		return;
	g_free (k->cve);
	g_free (k->vendor);
	g_free (k->product);
	g_free (k->name);
	g_free (k->date_added);
	g_free (k->due_date);
	g_free (k->ransomware);
	g_free (k->notes);
	g_free (k);
}

/* An RFC 3339 time as MySQL's DATETIME text in UTC, or NULL when it is not one. A date alone
 * is midnight. (transfer full) */
char *
tu_osv_time_to_sql (const char *s)
{
	if (s == NULL)
		return NULL;
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (s, utc);
	if (dt == NULL) {
		guint32 julian = 0;
		if (strlen (s) != 10 || !tu_date_parse (s, &julian, "date", NULL))
			return NULL;
		return g_strdup_printf ("%s 00:00:00", s);
	}
	g_autoptr(GDateTime) u = g_date_time_to_utc (dt);
	if (u == NULL || g_date_time_get_year (u) < 1000 || g_date_time_get_year (u) > 9999)
		return NULL;
	return g_date_time_format (u, "%Y-%m-%d %H:%M:%S");
}

static char *
node_to_json (JsonNode *root)
{
	g_autoptr(JsonGenerator) gen = json_generator_new ();
	json_generator_set_root (gen, root);
	return json_generator_to_data (gen, NULL);
}

char *
tu_osv_ranges_to_json (const GPtrArray *ranges)
{
	g_autoptr(JsonBuilder) b = json_builder_new ();
	json_builder_begin_array (b);
	for (guint i = 0; i < ranges->len; i++) {
		const TuOsvRange *range = g_ptr_array_index (ranges, i);
		json_builder_begin_object (b);
		json_builder_set_member_name (b, "type");
		json_builder_add_string_value (b, range->type);
		json_builder_set_member_name (b, "events");
		json_builder_begin_array (b);
		for (guint j = 0; j < range->events->len; j++) {
			const TuOsvEvent *e = g_ptr_array_index (range->events, j);
			json_builder_begin_object (b);
			json_builder_set_member_name (b, e->kind);
			json_builder_add_string_value (b, e->version);
			json_builder_end_object (b);
		}
		json_builder_end_array (b);
		json_builder_end_object (b);
	}
	json_builder_end_array (b);
	g_autoptr(JsonNode) root = json_builder_get_root (b);
	return node_to_json (root);
}

/* NULL for an empty list. (transfer full) */
char *
tu_osv_strings_to_json (const GPtrArray *strings)
{
	if (strings->len == 0)
		return NULL;
	g_autoptr(JsonBuilder) b = json_builder_new ();
	json_builder_begin_array (b);
	for (guint i = 0; i < strings->len; i++)
		json_builder_add_string_value (b, g_ptr_array_index (strings, i));
	json_builder_end_array (b);
	g_autoptr(JsonNode) root = json_builder_get_root (b);
	return node_to_json (root);
}
