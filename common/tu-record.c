/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Record lists and host facts. Records live in a GArray of fixed-size structs whose string
 * pointers point into one GStringChunk: one host's few thousand records cost two allocations
 * growth aside, and freeing the list frees everything.
 */
#include "tu-record.h"
#include "tu-util.h"

#include <string.h>

static const char *const source_names[TU_SOURCE_LAST] = {
	[TU_SOURCE_UNKNOWN] = "unknown", [TU_SOURCE_DPKG] = "dpkg",
	[TU_SOURCE_RPM] = "rpm",	 [TU_SOURCE_APK] = "apk",
	[TU_SOURCE_PACMAN] = "pacman",	 [TU_SOURCE_SNAP] = "snap",
	[TU_SOURCE_FLATPAK] = "flatpak", [TU_SOURCE_PIP] = "pip",
	[TU_SOURCE_NPM] = "npm",	 [TU_SOURCE_SWID] = "swid",
	[TU_SOURCE_WINDOWS] = "windows", [TU_SOURCE_MACOS] = "macos",
	[TU_SOURCE_BINARY] = "binary",	 [TU_SOURCE_GLPI] = "glpi",
	[TU_SOURCE_OSQUERY] = "osquery", [TU_SOURCE_CYCLONEDX] = "cyclonedx",
	[TU_SOURCE_SPDX] = "spdx",	 [TU_SOURCE_CSV] = "csv",
};

const char *
tu_source_to_string (TuSource source)
{
	if ((guint) source >= TU_SOURCE_LAST)
		return "unknown";
	return source_names[source];
}

TuSource
tu_source_from_string (const char *name)
{
	for (guint i = 1; name != NULL && i < TU_SOURCE_LAST; i++) {
		if (g_strcmp0 (name, source_names[i]) == 0)
			return (TuSource) i;
	}
	return TU_SOURCE_UNKNOWN;
}

struct _TuRecordList {
	GArray *records;
	GStringChunk *strings;
};

TuRecordList *
tu_record_list_new (void)
{
	TuRecordList *list = g_new0 (TuRecordList, 1);
	list->records = g_array_sized_new (FALSE, FALSE, sizeof (TuRecord), 256);
	list->strings = g_string_chunk_new (16384);
	return list;
}

void
tu_record_list_free (TuRecordList *list)
{
	if (list == NULL)
		return;
	g_array_unref (list->records);
	g_string_chunk_free (list->strings);
	g_free (list);
}

const char *
tu_record_list_intern (TuRecordList *list, const char *s, gssize len)
{
	if (s == NULL)
		return NULL;
	if (len < 0)
		return g_string_chunk_insert (list->strings, s);
	return g_string_chunk_insert_len (list->strings, s, len);
}

static const char *
dup_opt (TuRecordList *list, const char *s)
{
	/* empty strings are kept as empty: "" and NULL mean different things for some fields */
	return s ? g_string_chunk_insert_const (list->strings, s) : NULL;
}

const TuRecord *
tu_record_list_add (TuRecordList *list, const TuRecord *record)
{
	TuRecord copy = *record;
	copy.raw_name = g_string_chunk_insert (list->strings, record->raw_name ? record->raw_name : "");
	copy.raw_version = dup_opt (list, record->raw_version);
	copy.raw_publisher = dup_opt (list, record->raw_publisher);
	copy.arch = dup_opt (list, record->arch);
	copy.location = record->location ? g_string_chunk_insert (list->strings, record->location)
					 : NULL;
	copy.source_package = dup_opt (list, record->source_package);
	copy.install_date = dup_opt (list, record->install_date);
	copy.state = dup_opt (list, record->state);
	copy.kind = dup_opt (list, record->kind);
	copy.purl = record->purl ? g_string_chunk_insert (list->strings, record->purl) : NULL;
	copy.cpe = dup_opt (list, record->cpe);
	copy.license = dup_opt (list, record->license);
	g_array_append_val (list->records, copy);
	return &g_array_index (list->records, TuRecord, list->records->len - 1);
}

guint
tu_record_list_len (const TuRecordList *list)
{
	return list->records->len;
}

const TuRecord *
tu_record_list_get (const TuRecordList *list, guint i)
{
	g_return_val_if_fail (i < list->records->len, NULL);
	return &g_array_index (list->records, TuRecord, i);
}

TuRecord *
tu_record_list_get_mutable (TuRecordList *list, guint i)
{
	g_return_val_if_fail (i < list->records->len, NULL);
	return &g_array_index (list->records, TuRecord, i);
}

void
tu_host_facts_init (TuHostFacts *facts)
{
	memset (facts, 0, sizeof *facts);
	facts->sockets = -1;
	facts->cores = -1;
	facts->threads = -1;
	facts->memory_bytes = -1;
	facts->is_virtual = -1;
}

#define FOR_EACH_STRING_FACT(X)                                                                   \
	X (hostname)                                                                              \
	X (fqdn)                                                                                  \
	X (machine_id)                                                                            \
	X (os_id)                                                                                 \
	X (os_like)                                                                               \
	X (os_name)                                                                               \
	X (os_version)                                                                            \
	X (os_version_id)                                                                         \
	X (os_pretty)                                                                             \
	X (os_edition)                                                                            \
	X (kernel)                                                                                \
	X (arch)                                                                                  \
	X (cpu_model)                                                                             \
	X (hypervisor)                                                                            \
	X (dmi_vendor)                                                                            \
	X (dmi_model)                                                                             \
	X (dmi_serial)                                                                            \
	X (ip_addresses)                                                                          \
	X (domain)

void
tu_host_facts_clear (TuHostFacts *facts)
{
#define FREE_FACT(f) g_clear_pointer (&facts->f, g_free);
	FOR_EACH_STRING_FACT (FREE_FACT)
#undef FREE_FACT
	tu_host_facts_init (facts);
}

void
tu_host_facts_set (char **field, const char *value)
{
	g_free (*field);
	*field = NULL;
	if (value == NULL)
		return;
	/* facts come from the target (a remote hostname, a DMI string, a registry export):
	 * control characters (terminal escapes) dropped and invalid UTF-8 replaced, as for
	 * records, so that they can be printed and stored */
	g_autofree char *v = g_strstrip (tu_utf8_clean (value, -1, TU_FACT_MAX_BYTES, NULL));
	if (*v != '\0')
		*field = g_steal_pointer (&v);
}

void
tu_host_facts_merge (TuHostFacts *dst, const TuHostFacts *src)
{
#define MERGE_FACT(f)                                                                             \
	if (dst->f == NULL && src->f != NULL)                                                     \
		dst->f = g_strdup (src->f);
	FOR_EACH_STRING_FACT (MERGE_FACT)
#undef MERGE_FACT
	if (dst->sockets < 0)
		dst->sockets = src->sockets;
	if (dst->cores < 0)
		dst->cores = src->cores;
	if (dst->threads < 0)
		dst->threads = src->threads;
	if (dst->memory_bytes < 0)
		dst->memory_bytes = src->memory_bytes;
	if (dst->is_virtual < 0)
		dst->is_virtual = src->is_virtual;
}

TuHostScan *
tu_host_scan_new (const char *target)
{
	TuHostScan *scan = g_new0 (TuHostScan, 1);
	scan->target = g_strdup (target);
	tu_host_facts_init (&scan->facts);
	scan->records = tu_record_list_new ();
	scan->warnings = tu_warnings_new ();
	scan->started_us = g_get_real_time ();
	return scan;
}

void
tu_host_scan_free (TuHostScan *scan)
{
	if (scan == NULL)
		return;
	g_free (scan->target);
	tu_host_facts_clear (&scan->facts);
	tu_record_list_free (scan->records);
	tu_warnings_free (scan->warnings);
	g_clear_error (&scan->error);
	g_free (scan);
}

void
tu_host_scan_warn (TuHostScan *scan, const char *format, ...)
{
	va_list args;
	va_start (args, format);
	tu_warnings_addv (scan->warnings, NULL, 0, NULL, format, args);
	va_end (args);
}
