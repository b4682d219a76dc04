/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness for the plain CSV import parser and import format detection. Seeds:
 * tests/fuzz/csv/. The input is read by one thread and by three (stretches cut where quotes
 * balance, however small the input): both must read the same hosts and records, or fail with
 * the same message.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* What a parse read, one line a record, or its error. (transfer full) */
static char *
parse (const uint8_t *data, size_t size, guint parts)
{
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	GError *error = NULL;
	GString *s = g_string_new (NULL);
	if (!tu_csv_import_parse_parts ((const char *) data, size, "fuzz.csv", parts, hosts,
					&error)) {
		g_string_append_printf (s, "error: %s", error->message);
		g_clear_error (&error);
	}
	for (guint i = 0; i < hosts->len; i++) {
		TuHostScan *h = g_ptr_array_index (hosts, i);
		for (guint j = 0; j < tu_record_list_len (h->records); j++) {
			const TuRecord *r = tu_record_list_get (h->records, j);
			g_string_append_printf (s, "%s|%s|%s|%s|%s|%s\n", h->facts.hostname,
						r->raw_name, r->raw_version ? r->raw_version : "-",
						r->raw_publisher ? r->raw_publisher : "-",
						r->arch ? r->arch : "-",
						r->install_date ? r->install_date : "-");
		}
	}
	g_ptr_array_unref (hosts);
	return g_string_free (s, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	char *one = parse (data, size, 1);
	char *three = parse (data, size, 3);
	if (g_strcmp0 (one, three) != 0) {
		g_printerr ("one thread read:\n%s\nthree threads read:\n%s\n", one, three);
		abort ();
	}
	g_free (one);
	g_free (three);
	/* format detection reads the same untrusted bytes */
	tu_import_detect (data, size, "fuzz.csv");
	return 0;
}
