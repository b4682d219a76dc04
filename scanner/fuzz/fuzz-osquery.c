/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the osquery results parser. Seeds: tests/fuzz/osquery/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	GError *error = NULL;
	tu_osquery_parse ((const char *) data, size, "fuzz.json", hosts, &error);
	g_clear_error (&error);
	g_ptr_array_unref (hosts);
	return 0;
}
