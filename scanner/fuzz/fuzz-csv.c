/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the plain CSV import parser and import format detection. Seeds: tests/fuzz/csv/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	GError *error = NULL;
	tu_csv_import_parse ((const char *) data, size, "fuzz.csv", hosts, &error);
	/* format detection reads the same untrusted bytes */
	tu_import_detect (data, size, "fuzz.csv");
	g_clear_error (&error);
	g_ptr_array_unref (hosts);
	return 0;
}
